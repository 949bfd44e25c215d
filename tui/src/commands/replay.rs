//! `cyberdrill replay`: re-simulates a journaled exercise and, with `--verify`, checks
//! that every recorded state hash comes out the same. Reading the journal checks every
//! line's checksum and hash chain; the journal digest printed at the end belongs in the
//! exercise's minutes.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, bail};
use cyberdrill_engine::command::Actor;
use cyberdrill_engine::journal::{Journal, read_journal};
use cyberdrill_engine::rewind::Rewind;
use cyberdrill_tui::client::Seat;

use super::outcome::RunOutcome;
use super::play::choose_seat;

/// Arguments of `cyberdrill replay`.
#[derive(Debug, clap::Args)]
pub struct ReplayArgs {
    /// Journal file (written by `run --journal` or `serve --journal`).
    pub journal: PathBuf,
    /// Compare every recorded state hash; exit 1 at the first divergence.
    #[arg(long)]
    pub verify: bool,
    /// Print the final state as one JSON object, as `run --json` does.
    #[arg(long, conflicts_with = "watch")]
    pub json: bool,
    /// Open the recorded exercise in the terminal interface (for the hot wash): step a
    /// tick back (`b`) or forward (`n`), go to a tick (`t`) or to the next event (`e`).
    #[arg(long)]
    pub watch: bool,
    /// With --watch: see the exercise as this team (its id) or as the `facilitator`
    /// (everything; the default).
    #[arg(long = "as", value_name = "TEAM|facilitator", requires = "watch")]
    pub seat: Option<String>,
}

/// Replays the journal and prints the outcome, or opens it in the terminal interface.
pub fn run(args: &ReplayArgs) -> anyhow::Result<ExitCode> {
    let journal = read_journal(&args.journal)?;
    for notice in journal.notices() {
        eprintln!("notice: {}: {notice}", args.journal.display());
    }
    if args.watch {
        return watch(journal, args);
    }
    let outcome = cyberdrill_engine::replay::replay(&journal, args.verify)?;
    let sim = &outcome.simulation;
    let policy = journal.header.bots.as_deref().unwrap_or("none");
    let result = RunOutcome::of(sim, policy);
    if args.json {
        let text = serde_json::to_string(&result).context("cannot encode the result")?;
        writeln!(std::io::stdout(), "{text}")?;
        return Ok(ExitCode::SUCCESS);
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
    Ok(ExitCode::SUCCESS)
}

/// `replay --watch`: the terminal interface on the recording, as the seat asked for.
fn watch(journal: Journal, args: &ReplayArgs) -> anyhow::Result<ExitCode> {
    if args.verify {
        let outcome = cyberdrill_engine::replay::replay(&journal, true)?;
        eprintln!(
            "{} state hash(es) verified; opening the replay",
            outcome.verified_hashes
        );
    }
    let rewind = Rewind::new(journal)?;
    let scenario = rewind.simulation().scenario();
    let seat = match args.seat.as_deref() {
        None | Some("facilitator") => Actor::Facilitator,
        Some(team) => choose_seat(scenario, Some(team), false)?,
    };
    if !std::io::stdout().is_terminal() || !std::io::stdin().is_terminal() {
        bail!(
            "`cyberdrill replay --watch` needs an interactive terminal; without one, \
             `cyberdrill replay JOURNAL` prints the outcome and `cyberdrill report` writes the report"
        );
    }
    let link = cyberdrill_tui::replay::spawn(rewind, seat);
    let ending = cyberdrill_tui::terminal::play(Seat::from(seat), link)
        .context("the terminal interface failed")?;
    ending.report();
    Ok(ending.exit_code())
}
