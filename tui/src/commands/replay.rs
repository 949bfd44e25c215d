//! `cyberdrill replay`: re-simulates a journaled exercise and, with `--verify`, checks
//! that every recorded state hash comes out the same. Reading the journal checks every
//! line's checksum and hash chain; the journal digest printed at the end belongs in the
//! exercise's minutes.

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
    for notice in journal.notices() {
        eprintln!("notice: {}: {notice}", args.journal.display());
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
    if let Some(digest) = journal.chain {
        // What the minutes record: any later edit of the journal changes it.
        writeln!(
            std::io::stdout(),
            "journal digest {digest} ({}; chain of {} record(s) and the header intact)",
            if journal.is_closed() {
                format!("closed at tick {}", journal.last_tick())
            } else {
                format!("ends at tick {}, not closed", journal.last_tick())
            },
            journal.records.len()
        )?;
    }
    Ok(())
}
