//! `cyberdrill play`: a local exercise in the terminal interface. The player takes one
//! seat (a team, or the facilitator); bots play every other team.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, bail};
use cyberdrill_engine::Simulation;
use cyberdrill_engine::command::Actor;
use cyberdrill_engine::journal::{self, Header, JournalWriter, read_journal};
use cyberdrill_engine::policy::Policy;
use cyberdrill_engine::scenario::model::{Role, TeamIdx};
use cyberdrill_engine::scenario::{self, Scenario, bundled};
use cyberdrill_tui::session::{SimulationExercise, spawn_local_returning};

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

impl Default for PlayArgs {
    /// What `cyberdrill` with no arguments plays: the tutorial, first CSIRT team.
    fn default() -> Self {
        PlayArgs {
            file: None,
            seed: DEFAULT_SEED,
            team: None,
            facilitator: false,
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
    let bots: Vec<TeamIdx> = (0..scenario.teams.len() as u32)
        .map(TeamIdx)
        .filter(|t| Actor::Team(*t) != seat)
        .collect();
    let recorded_by = format!("play --bots {}", args.bots);
    let header = Header::new(scenario_file, scenario_text, args.seed, recorded_by);
    let writer = match &args.journal {
        Some(path) => Some(create_journal(path, &header, args.overwrite_journal)?),
        None => None,
    };
    // Facilitator reports (key `r`) are written into the current directory.
    let mut exercise =
        SimulationExercise::new(Simulation::new(scenario, args.seed), args.bots, header, ".");
    if let Some(writer) = writer {
        exercise = exercise.journaled_to(writer);
    }
    let (link, returned) = spawn_local_returning(exercise, seat, bots);
    let ending =
        cyberdrill_tui::terminal::play(seat, link).context("the terminal interface failed")?;
    ending.report();
    if let (Some(path), Ok(exercise)) = (&args.journal, returned.try_recv()) {
        eprintln!(
            "the exercise is journaled in {} (tick {}, state hash {}); check it with \
             `cyberdrill replay {} --verify`",
            path.display(),
            exercise.tick(),
            exercise.state_hash(),
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

/// The scenario from `file`, or the bundled tutorial, with its name and text (which
/// the exercise's journal records).
fn load(file: Option<&PathBuf>) -> anyhow::Result<(String, String, Scenario)> {
    match file {
        Some(path) => {
            let loaded = scenario::load_file(path)?;
            Ok((loaded.name, loaded.source, loaded.scenario))
        }
        None => match scenario::parse(bundled::TUTORIAL) {
            Ok(checked) => Ok((
                "tutorial.toml".to_string(),
                bundled::TUTORIAL.to_string(),
                checked.scenario,
            )),
            Err(diagnostics) => bail!(
                "the bundled tutorial does not load (please report this):\n{}",
                scenario::render("tutorial.toml", bundled::TUTORIAL, &diagnostics)
            ),
        },
    }
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

    fn tutorial() -> Scenario {
        match scenario::parse(bundled::TUTORIAL) {
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
