//! `cyberdrill serve`: host a networked exercise, fresh or resumed from its journal.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use anyhow::{Context, bail};
use cyberdrill_engine::Simulation;
use cyberdrill_engine::journal::{Header, JournalWriter, Record, SessionEvent};
use cyberdrill_engine::scenario::{self, LoadedScenario};
use tokio::net::TcpListener;

use crate::net::codes::JoinCodes;
use crate::net::connection::Limits;
use crate::net::protocol::{self, Pace};
use crate::net::server::{self, Hosted, ServerConfig};

/// Arguments of `cyberdrill serve`.
#[derive(Debug, clap::Args)]
pub struct ServeArgs {
    /// Scenario file (TOML).
    pub file: PathBuf,
    /// Address to listen on, HOST:PORT (port 0 picks a free port, printed at start).
    #[arg(long)]
    pub bind: String,
    /// Journal every accepted command and every tick to this new file (refuses to
    /// overwrite an existing one).
    #[arg(long, conflicts_with = "resume")]
    pub journal: Option<PathBuf>,
    /// Also write the join codes as JSON: {"facilitator": CODE, "teams": {TEAM_ID: CODE}}.
    #[arg(long)]
    pub codes_out: Option<PathBuf>,
    /// `real:MS` (a tick every MS milliseconds) or `turns` (a tick when every connected
    /// team is ready, at least one of them played by people, or when the facilitator
    /// steps). Default `turns`; a resumed exercise keeps the pace its journal ends with.
    #[arg(long, value_parser = protocol::parse_pace)]
    pub pace: Option<Pace>,
    /// Start with the clock stopped, e.g. while teams are still joining; the facilitator
    /// starts it from the console (`space`). A resumed exercise that was paused stays so.
    #[arg(long)]
    pub paused: bool,
    /// End the exercise (exit 0) once this many ticks are complete.
    #[arg(long)]
    pub stop_at: Option<u32>,
    /// Simulation seed (default: a random one, printed and journaled).
    #[arg(long, conflicts_with = "resume")]
    pub seed: Option<u64>,
    /// Continue the exercise recorded in this journal: replays and verifies it, then
    /// serves with the same seed and codes, appending to the same journal.
    #[arg(long)]
    pub resume: Option<PathBuf>,
    /// A peer that takes longer than this to accept a frame is dropped as too slow.
    #[arg(long, default_value_t = 10_000, hide = true)]
    pub write_timeout_ms: u64,
    /// A peer that sends nothing for this long is disconnected (clients ping every 30 s).
    #[arg(long, default_value_t = 120, hide = true)]
    pub idle_timeout_secs: u64,
}

/// Runs `serve` to the end of the exercise.
pub fn run(args: ServeArgs) -> anyhow::Result<ExitCode> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .context("cannot start the network runtime")?;
    runtime.block_on(serve(args))
}

async fn serve(args: ServeArgs) -> anyhow::Result<ExitCode> {
    let (hosted, clock) = match &args.resume {
        Some(journal) => resume(&args, journal)?,
        None => fresh(&args)?,
    };
    let listener = TcpListener::bind(&args.bind).await.with_context(|| {
        format!(
            "cannot listen on `{}`: give a free HOST:PORT of this machine, e.g. 0.0.0.0:7777",
            args.bind
        )
    })?;
    let local = listener
        .local_addr()
        .context("cannot read the listening address")?;
    if let Some(path) = &args.codes_out {
        write_codes(path, &hosted.codes)?;
    }
    announce(&hosted, &local.to_string(), clock);
    let limits = Limits {
        write_timeout: Duration::from_millis(args.write_timeout_ms.max(1)),
        idle_timeout: Duration::from_secs(args.idle_timeout_secs.max(1)),
        ..Limits::default()
    };
    let config = ServerConfig {
        pace: clock.pace,
        paused: clock.paused,
        stop_at: args.stop_at,
        limits,
        ..ServerConfig::default()
    };
    let ending = server::serve(listener, hosted, config).await?;
    let _ = writeln!(
        std::io::stdout(),
        "finished at tick {}, state hash {}",
        ending.tick,
        ending.state_hash
    );
    Ok(ExitCode::SUCCESS)
}

/// How the exercise's clock starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Clock {
    pace: Pace,
    paused: bool,
}

/// A new exercise: load the scenario, draw the seed and codes, start the journal.
fn fresh(args: &ServeArgs) -> anyhow::Result<(Hosted, Clock)> {
    let loaded = scenario::load_file(&args.file).map_err(|e| anyhow::anyhow!("{e}"))?;
    let seed = match args.seed {
        Some(seed) => seed,
        None => random_seed()?,
    };
    let teams = team_directory(&loaded);
    let team_ids: Vec<String> = teams.iter().map(|(id, _)| id.clone()).collect();
    let codes = JoinCodes::generate(&team_ids)?;
    let clock = Clock {
        pace: args.pace.unwrap_or(Pace::TurnBased),
        paused: args.paused,
    };
    let journal = match &args.journal {
        Some(path) => Some(start_journal(path, &loaded, seed, &codes, clock)?),
        None => None,
    };
    let title = loaded.scenario.meta.title.clone();
    let sim = Simulation::new(loaded.scenario, seed);
    let hosted = Hosted {
        sim,
        title,
        teams,
        codes,
        journal,
    };
    Ok((hosted, clock))
}

/// Creates the journal with its header, the join codes and the starting clock.
fn start_journal(
    path: &Path,
    loaded: &LoadedScenario,
    seed: u64,
    codes: &JoinCodes,
    clock: Clock,
) -> anyhow::Result<JournalWriter> {
    if path.exists() {
        bail!(
            "journal {} already exists: give a new file name, or continue the exercise it \
             records with `cyberdrill serve {} --bind ADDR --resume {}`",
            path.display(),
            loaded.name,
            path.display()
        );
    }
    let header = Header::new(loaded.name.clone(), loaded.source.clone(), seed, "serve");
    let mut writer = JournalWriter::create(path, &header)?;
    writer.write(&Record::Session {
        tick: 0,
        event: SessionEvent::SeatCodes {
            facilitator: codes.facilitator.clone(),
            teams: codes.teams.clone(),
            evaluators: Vec::new(),
        },
    })?;
    journal_clock_changes(&mut writer, 0, (None, false), clock)?;
    writer.sync()?;
    Ok(writer)
}

/// Journals how `clock` differs from the journal's `(pace, paused)`.
fn journal_clock_changes(
    writer: &mut JournalWriter,
    tick: u32,
    (pace, paused): (Option<Pace>, bool),
    clock: Clock,
) -> anyhow::Result<()> {
    if pace != Some(clock.pace) {
        writer.write(&Record::Session {
            tick,
            event: SessionEvent::PaceChanged { pace: clock.pace },
        })?;
    }
    if clock.paused && !paused {
        writer.write(&Record::Session {
            tick,
            event: SessionEvent::Paused,
        })?;
    }
    Ok(())
}

/// An exercise continued from its journal: replay and verify it, recover the codes and
/// the clock (the pace it ended with and whether it was paused; `--pace` and
/// `--paused` change them, journaled).
fn resume(args: &ServeArgs, path: &Path) -> anyhow::Result<(Hosted, Clock)> {
    let file = &args.file;
    let (mut writer, journal) = JournalWriter::open_append(path)?;
    if let Some(cut) = &journal.recovered {
        eprintln!("warning: {cut}");
    }
    let given = scenario::read_bytes(file).map_err(|e| anyhow::anyhow!("{e}"))?;
    if given != journal.header.scenario_text.as_bytes() {
        bail!(
            "{} is not the scenario journal {} was recorded with ({}): pass the same \
             scenario file to resume",
            file.display(),
            path.display(),
            journal.header.scenario_file
        );
    }
    let codes = recorded_codes(&journal.records).with_context(|| {
        format!(
            "journal {} has no join codes: it was not recorded by `cyberdrill serve`",
            path.display()
        )
    })?;
    let replayed = cyberdrill_engine::replay::replay(&journal, true)
        .with_context(|| format!("cannot resume from journal {}", path.display()))?;
    let sim = replayed.simulation;
    let loaded = LoadedScenario {
        name: journal.header.scenario_file.clone(),
        source: journal.header.scenario_text.clone(),
        scenario: sim.scenario().clone(),
    };
    let teams = team_directory(&loaded);
    let team_ids: Vec<String> = teams.iter().map(|(id, _)| id.clone()).collect();
    codes.check_covers(&team_ids)?;
    writer.write(&Record::Session {
        tick: sim.tick(),
        event: SessionEvent::ResumedFromJournal,
    })?;
    let recorded = journal.clock();
    let clock = Clock {
        pace: args.pace.or(recorded.0).unwrap_or(Pace::TurnBased),
        paused: recorded.1 || args.paused,
    };
    journal_clock_changes(&mut writer, sim.tick(), recorded, clock)?;
    writer.sync()?;
    eprintln!(
        "resumed {} at tick {} (seed {}): {} commands replayed, {} state hashes verified",
        path.display(),
        sim.tick(),
        journal.header.seed,
        replayed.commands,
        replayed.verified_hashes
    );
    let hosted = Hosted {
        title: loaded.scenario.meta.title.clone(),
        sim,
        teams,
        codes,
        journal: Some(writer),
    };
    Ok((hosted, clock))
}

/// The join codes recorded at the start of a journal.
fn recorded_codes(records: &[Record]) -> Option<JoinCodes> {
    records.iter().find_map(|record| match record {
        Record::Session {
            event: SessionEvent::SeatCodes {
                facilitator, teams, ..
            },
            ..
        } => Some(JoinCodes {
            facilitator: facilitator.clone(),
            teams: teams.clone(),
        }),
        _ => None,
    })
}

fn team_directory(loaded: &LoadedScenario) -> Vec<(String, String)> {
    loaded
        .scenario
        .teams
        .iter()
        .map(|t| (t.id.clone(), t.name.clone()))
        .collect()
}

fn random_seed() -> anyhow::Result<u64> {
    let mut bytes = [0u8; 8];
    getrandom::fill(&mut bytes)
        .map_err(|e| anyhow::anyhow!("the operating system's random source is unavailable: {e}"))?;
    Ok(u64::from_le_bytes(bytes))
}

/// Writes the codes file atomically (a temporary file renamed into place), so a
/// script that waits for it never reads half of it.
fn write_codes(path: &Path, codes: &JoinCodes) -> anyhow::Result<()> {
    let json = serde_json::to_string_pretty(codes)?;
    let tmp = path.with_extension("tmp");
    std::fs::write(&tmp, json.as_bytes())
        .and_then(|()| std::fs::rename(&tmp, path))
        .with_context(|| format!("cannot write the join codes to {}", path.display()))
}

/// Prints where to connect and the codes, one seat a line.
fn announce(hosted: &Hosted, addr: &str, clock: Clock) {
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "serving \"{}\" on {addr}", hosted.title);
    let _ = writeln!(out, "listening on {addr}");
    let _ = writeln!(
        out,
        "pace {}{}, tick {}",
        protocol::pace_label(clock.pace),
        if clock.paused {
            " (paused: the facilitator starts the clock)"
        } else {
            ""
        },
        hosted.sim.tick()
    );
    let _ = writeln!(out, "facilitator code: {}", hosted.codes.facilitator);
    for (id, name) in &hosted.teams {
        if let Some(code) = hosted.codes.teams.get(id) {
            let _ = writeln!(out, "team {id} ({name}) code: {code}");
        }
    }
    let _ = writeln!(
        out,
        "players: cyberdrill join {addr} --code CODE; bots: cyberdrill bot {addr} --code CODE"
    );
    let _ = out.flush();
}
