//! `cyberdrill`: one binary for facilitators, players, authors and analysts.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod commands;

/// Tabletop cyber-exercise engine for regional CSIRT drills.
///
/// With no command, plays the bundled tutorial in the terminal (`cyberdrill play`).
#[derive(Debug, Parser)]
#[command(name = "cyberdrill", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Play an exercise in the terminal; bots play the seats nobody took.
    ///
    /// Without FILE, plays the bundled tutorial; without --team or --facilitator, you play
    /// the scenario's first CSIRT team. Keys: ? help, q quit, space pause/resume, n step.
    #[command(
        after_help = "Examples:\n  cyberdrill play\n  cyberdrill play scenarios/apec-regional.toml --team nor-csirt --seed 7\n  cyberdrill play scenarios/itu-cirt-drill.toml --facilitator --bots isolated"
    )]
    Play(commands::play::PlayArgs),
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
        None => commands::play::run(commands::play::PlayArgs::default()),
        Some(Command::Play(args)) => commands::play::run(args),
    }
}
