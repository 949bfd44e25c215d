//! `cyberdrill play`: a local exercise in the terminal interface. The player takes one
//! seat (a team, or the facilitator); the host's bots play every other team
//! ([`cyberdrill_tui::host::local`]).

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context, bail};
use cyberdrill_engine::Simulation;
use cyberdrill_engine::command::Actor;
use cyberdrill_engine::journal::{self, Header, Journal, JournalWriter, read_journal};
use cyberdrill_engine::policy::Policy;
use cyberdrill_engine::scenario::Scenario;
use cyberdrill_engine::scenario::model::{Role, TeamIdx};
use cyberdrill_tui::client::Seat;
use cyberdrill_tui::host::clock::{self, Pace};
use cyberdrill_tui::host::{self, Host, HostConfig};
use cyberdrill_tui::net::codes::JoinCodes;

use super::serve::{load_scenario, unix_ms_now};

/// Arguments of `cyberdrill play`.
#[derive(Debug, Clone, clap::Args)]
pub struct PlayArgs {
    /// Scenario file to play (default: the bundled tutorial).
    pub file: Option<PathBuf>,
    /// Seed of the simulation's randomness: same seed, same commands, same exercise.
    #[arg(long, default_value_t = DEFAULT_SEED)]
    pub seed: u64,
    /// Play this team (its id in the scenario); default: the scenario's first CSIRT team.
    #[arg(long, value_name = "ID", conflicts_with = "facilitator")]
    pub team: Option<String>,
    /// Play the facilitator (white cell): see everything, pace the exercise, fire injects.
    #[arg(long)]
    pub facilitator: bool,
    /// The clock's pace: `real:` and a time per tick (`real:2s`, `real:10m`) or `turns`
    /// (a tick each time you say ready, `n`). The clock starts paused: `space` starts it.
    #[arg(long, value_parser = clock::parse, default_value = "real:1s")]
    pub pace: Pace,
    /// How bots play the seats nobody took: idle, isolated or cooperative.
    #[arg(long, value_name = "P", default_value_t = Policy::Cooperative)]
    pub bots: Policy,
    /// Journal the exercise to this new file as it is played (every accepted command and
    /// every tick with its state hash, each on disk before it is acknowledged), for
    /// `cyberdrill replay --verify` and `cyberdrill report` afterwards.
    #[arg(long, value_name = "PATH")]
    pub journal: Option<PathBuf>,
    /// Replace the file given to --journal if it already exists (its content is lost).
    #[arg(long, requires = "journal")]
    pub overwrite_journal: bool,
}

/// Seed used when none is given.
pub const DEFAULT_SEED: u64 = 1;

/// A tick a second: quick enough to learn the tutorial alone.
pub const DEFAULT_PACE: Pace = Pace::RealTime {
    millis_per_tick: 1000,
};

impl Default for PlayArgs {
    /// What `cyberdrill` with no arguments plays: the tutorial, first CSIRT team.
    fn default() -> Self {
        PlayArgs {
            file: None,
            seed: DEFAULT_SEED,
            team: None,
            facilitator: false,
            pace: DEFAULT_PACE,
            bots: Policy::Cooperative,
            journal: None,
            overwrite_journal: false,
        }
    }
}

pub fn run(args: PlayArgs) -> anyhow::Result<ExitCode> {
    let (scenario_file, scenario_text, scenario) = load(args.file.as_ref())?;
    let seat = choose_seat(&scenario, args.team.as_deref(), args.facilitator)?;
    if let Some(path) = &args.journal {
        check_journal_path(path, args.overwrite_journal)?;
    }
    if !std::io::stdout().is_terminal() || !std::io::stdin().is_terminal() {
        bail!(
            "`cyberdrill play` needs an interactive terminal; for a run without one use `cyberdrill run FILE`"
        );
    }
    let recorded_by = format!("play --bots {}", args.bots);
    let header = Header::new(scenario_file, scenario_text, args.seed, recorded_by);
    let writer = match &args.journal {
        Some(path) => Some(create_journal(path, &header, args.overwrite_journal)?),
        None => None,
    };
    let team_ids: Vec<String> = scenario.teams.iter().map(|t| t.id.clone()).collect();
    let codes = JoinCodes::generate(&team_ids, 0)?;
    let code = match seat {
        Actor::Facilitator => codes.facilitator.clone(),
        Actor::Team(team) => team_ids
            .get(team.index())
            .and_then(|id| codes.teams.get(id))
            .cloned()
            .unwrap_or_default(),
    };
    let config = HostConfig {
        pace: args.pace,
        paused: true,
        bots: Some(args.bots),
        solo: true,
        unix_ms_at_start: unix_ms_now(),
        ..HostConfig::new(codes)
    };
    let journal = Journal {
        header,
        records: Vec::new(),
        recovered: None,
        chain: None,
    };
    let host = Host::new(
        Simulation::new(scenario, args.seed),
        journal,
        config,
        Instant::now(),
    );
    // Facilitator reports (key `r`) are written into the current directory.
    let (link, returned) = host::local::spawn(host, code, writer, PathBuf::from("."));
    let ending = cyberdrill_tui::terminal::play(Seat::from(seat).viewer(), link)
        .context("the terminal interface failed")?;
    ending.report();
    if let (Some(path), Ok(host)) = (&args.journal, returned.try_recv()) {
        eprintln!(
            "the exercise is journaled in {} (tick {}, state hash {}); check it with \
             `cyberdrill replay {} --verify`",
            path.display(),
            host.simulation().tick(),
            host.simulation().state_hash().to_hex(),
            path.display()
        );
    }
    Ok(ending.exit_code())
}

/// Refuses a `--journal` path that cannot be a new journal: a directory, an existing
/// file the player did not ask to replace (`--overwrite-journal`: it may hold another
/// exercise's record), or, even with it, anything but a regular file (a device such as
/// `/dev/full`, a pipe, a socket, a symbolic link), which is never replaced.
fn check_journal_path(path: &Path, overwrite: bool) -> anyhow::Result<()> {
    if path.is_dir() {
        bail!(
            "--journal {} is a directory: give the path of a new file in it, e.g. {}",
            path.display(),
            path.join("drill.journal").display()
        );
    }
    let exists = journal::check_replaceable(path)
        .with_context(|| "--overwrite-journal replaces only a regular file".to_string())?;
    if exists && !overwrite {
        bail!(
            "--journal {} already exists ({}); a journal is never overwritten by accident: \
             choose a new file name, or add --overwrite-journal to replace it",
            path.display(),
            describe_existing(path)
        );
    }
    Ok(())
}

/// Creates the exercise's journal at `path` (checked by [`check_journal_path`]),
/// replacing an existing regular file only with `overwrite`.
fn create_journal(path: &Path, header: &Header, overwrite: bool) -> anyhow::Result<JournalWriter> {
    check_journal_path(path, overwrite)?;
    let created = if overwrite {
        JournalWriter::create_replacing(path, header)
    } else {
        JournalWriter::create(path, header)
    };
    created.with_context(|| {
        format!(
            "cannot start the journal {}: check that its directory exists and is writable",
            path.display()
        )
    })
}

/// What the file in the way holds, so the player knows what replacing it would lose.
fn describe_existing(path: &Path) -> String {
    match read_journal(path) {
        Ok(journal) => format!(
            "the journal of an exercise of {} with seed {}, {} record(s)",
            journal.header.scenario_file,
            journal.header.seed,
            journal.records.len()
        ),
        Err(_) => match std::fs::metadata(path) {
            Ok(meta) => format!("{} byte(s), not a cyberdrill journal", meta.len()),
            Err(_) => "unreadable".to_string(),
        },
    }
}

/// The scenario from `file` (a file, or a bundled scenario's name), or the bundled
/// tutorial, with its name and text (which the exercise's journal records).
fn load(file: Option<&PathBuf>) -> anyhow::Result<(String, String, Scenario)> {
    let tutorial = PathBuf::from("tutorial");
    let loaded = load_scenario(file.unwrap_or(&tutorial))?;
    Ok((loaded.name, loaded.source, loaded.scenario))
}

/// The seat asked for, or the first CSIRT team (the first team, if none is a CSIRT).
pub fn choose_seat(
    scenario: &Scenario,
    team: Option<&str>,
    facilitator: bool,
) -> anyhow::Result<Actor> {
    if facilitator {
        return Ok(Actor::Facilitator);
    }
    if let Some(id) = team {
        return match scenario.team_by_id(id) {
            Some(idx) => Ok(Actor::Team(idx)),
            None => {
                let known: Vec<&str> = scenario.teams.iter().map(|t| t.id.as_str()).collect();
                bail!(
                    "no team `{id}` in scenario `{}`; its teams are: {} (or use --facilitator)",
                    scenario.meta.id,
                    known.join(", ")
                )
            }
        };
    }
    let first_csirt = scenario.teams.iter().position(|t| t.role == Role::Csirt);
    match first_csirt.or((!scenario.teams.is_empty()).then_some(0)) {
        Some(at) => Ok(Actor::Team(TeamIdx(at as u32))),
        None => Ok(Actor::Facilitator),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use cyberdrill_engine::scenario::bundled;

    fn tutorial() -> Scenario {
        match cyberdrill_engine::scenario::parse(bundled::TUTORIAL) {
            Ok(checked) => checked.scenario,
            Err(d) => panic!("tutorial: {d:?}"),
        }
    }

    #[test]
    fn the_default_seat_is_the_first_csirt_team() {
        let s = tutorial();
        let seat = choose_seat(&s, None, false).expect("the tutorial has teams");
        let Actor::Team(idx) = seat else {
            panic!("expected a team, got {seat:?}")
        };
        assert_eq!(s.teams[idx.index()].role, Role::Csirt);
        assert!(s.teams[..idx.index()].iter().all(|t| t.role != Role::Csirt));
    }

    #[test]
    fn an_unknown_team_lists_the_known_ones() {
        let s = tutorial();
        let err = choose_seat(&s, Some("nobody"), false)
            .expect_err("unknown team")
            .to_string();
        assert!(err.contains("no team `nobody`"), "{err}");
        assert!(err.contains(&s.teams[0].id), "{err}");
        assert_eq!(
            choose_seat(&s, None, true).expect("facilitator"),
            Actor::Facilitator
        );
    }
}
