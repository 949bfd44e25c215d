//! `cyberdrill`: one binary for facilitators, players, authors and analysts.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[allow(dead_code)] // Wired to `cyberdrill report` once the simulation facade lands.
mod report;

/// Tabletop cyber-exercise engine for regional CSIRT drills.
#[derive(Debug, Parser)]
#[command(name = "cyberdrill", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Debug, Subcommand)]
enum Command {}

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
    }
}
