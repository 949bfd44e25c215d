//! `cyberdrill`: one binary for facilitators, players, authors and analysts.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod commands;
mod net;
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
    /// Host a networked exercise: prints a join code per team and one for the facilitator.
    #[command(
        after_help = "Examples:\n  cyberdrill serve scenarios/apec-regional.toml --bind 0.0.0.0:7777 --journal drill.journal --codes-out codes.json\n  cyberdrill serve scenarios/apec-regional.toml --bind 0.0.0.0:7777 --resume drill.journal"
    )]
    Serve(commands::serve::ServeArgs),
    /// Let a bot play a team seat on a served exercise (empty seats, load tests).
    #[command(
        after_help = "Example:\n  cyberdrill bot 192.168.1.10:7777 --code 7KQ4-M2XD-9PRT --policy cooperative"
    )]
    Bot(commands::bot::BotArgs),
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
        Some(Command::Replay(args)) => commands::replay::run(&args).map(|()| ExitCode::SUCCESS),
        Some(Command::Report(args)) => commands::report::run(&args).map(|()| ExitCode::SUCCESS),
        Some(Command::Batch(args)) => commands::batch::run(&args).map(|()| ExitCode::SUCCESS),
        Some(Command::Serve(args)) => commands::serve::run(args),
        Some(Command::Bot(args)) => commands::bot::run(args),
    }
}
