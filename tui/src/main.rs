//! `cyberdrill`: one binary for facilitators, players, authors and analysts.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod commands;
mod report;

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
    /// Re-simulate a journaled exercise; `--verify` checks every recorded state hash.
    #[command(after_help = "Example:\n  cyberdrill replay drill.journal --verify --json")]
    Replay(commands::replay::ReplayArgs),
    /// After-action report of a journaled exercise: HTML with charts, or Markdown.
    #[command(
        after_help = "Examples:\n  cyberdrill report drill.journal --out drill.html\n  cyberdrill report drill.journal --out minutes.md --format md"
    )]
    Report(commands::report::ReportArgs),
    /// Monte-Carlo runs over seeds (and policies), in parallel, with a percentile summary.
    #[command(
        after_help = "Examples:\n  cyberdrill batch scenarios/apec-regional.toml --runs 1000 --policy idle,cooperative --out runs.jsonl\n  cyberdrill batch scenarios/apec-regional.toml --runs 10000 --shard 2/8 --out part2.jsonl"
    )]
    Batch(commands::batch::BatchArgs),
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
        Some(Command::Replay(args)) => commands::replay::run(&args).map(|()| ExitCode::SUCCESS),
        Some(Command::Report(args)) => commands::report::run(&args).map(|()| ExitCode::SUCCESS),
        Some(Command::Batch(args)) => commands::batch::run(&args).map(|()| ExitCode::SUCCESS),
    }
}
