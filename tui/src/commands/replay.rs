//! `cyberdrill replay`: re-simulates a journaled exercise and, with `--verify`, checks
//! that every recorded state hash comes out the same.

use std::io::Write;
use std::path::PathBuf;

use anyhow::Context;
use cyberdrill_engine::journal::read_journal;

use super::outcome::RunOutcome;

/// Arguments of `cyberdrill replay`.
#[derive(Debug, clap::Args)]
pub struct ReplayArgs {
    /// Journal file (written by `run --journal` or `serve --journal`).
    pub journal: PathBuf,
    /// Compare every recorded state hash; exit 1 at the first divergence.
    #[arg(long)]
    pub verify: bool,
    /// Print the final state as one JSON object, as `run --json` does.
    #[arg(long)]
    pub json: bool,
}

/// Replays the journal and prints the outcome.
pub fn run(args: &ReplayArgs) -> anyhow::Result<()> {
    let journal = read_journal(&args.journal)?;
    if let Some(cut) = &journal.recovered {
        eprintln!("notice: {}: {cut}", args.journal.display());
    }
    let outcome = cyberdrill_engine::replay::replay(&journal, args.verify)?;
    let sim = &outcome.simulation;
    let policy = journal.header.bots.as_deref().unwrap_or("none");
    let result = RunOutcome::of(sim, policy);
    if args.json {
        let text = serde_json::to_string(&result).context("cannot encode the result")?;
        writeln!(std::io::stdout(), "{text}")?;
        return Ok(());
    }
    let header = &journal.header;
    writeln!(
        std::io::stdout(),
        "replayed {} ({}), seed {}, recorded by {} with engine {}",
        header.scenario_file,
        result.scenario,
        header.seed,
        header.recorded_by,
        header.engine_version
    )?;
    writeln!(
        std::io::stdout(),
        "{} command(s), {} tick(s){}",
        outcome.commands,
        outcome.steps,
        if args.verify {
            format!(", {} state hash(es) verified", outcome.verified_hashes)
        } else {
            String::new()
        }
    )?;
    writeln!(std::io::stdout(), "final state hash {}", result.state_hash)?;
    Ok(())
}
