//! `cyberdrill`: one binary for facilitators, players, authors and analysts.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod commands;

/// Tabletop cyber-exercise engine for regional CSIRT drills.
#[derive(Debug, Parser)]
#[command(name = "cyberdrill", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Bundled scenarios and the synthetic scenario generator.
    #[command(after_help = "Examples:\n  cyberdrill scenario list\n  \
                            cyberdrill scenario export tutorial --out tutorial.toml\n  \
                            cyberdrill scenario generate --economies 8 --assets 500 --seed 1")]
    Scenario(commands::scenario::ScenarioArgs),
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => {
            // Help and version are not errors; every other parse failure is a user error (1).
            let code = if err.use_stderr() { 1 } else { 0 };
            let _ = err.print();
            return ExitCode::from(code);
        }
    };
    match run(cli) {
        Ok(code) => code,
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::from(1)
        }
    }
}

fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        None => Ok(ExitCode::SUCCESS),
        Some(Command::Scenario(args)) => commands::scenario::run(args),
    }
}
