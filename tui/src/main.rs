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
    /// Headless run of a scenario with every team played by a bot policy.
    #[command(
        after_help = "Example:\n  cyberdrill run scenarios/apec-regional.toml --seed 7 --policy cooperative --json"
    )]
    Run(commands::run::RunArgs),
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
        Some(Command::Run(args)) => commands::run::run(args),
    }
}
