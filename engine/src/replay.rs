//! Re-simulating an exercise from its journal, and checking that it comes out the same.
//!
//! Determinism (`docs/architecture.md`, "Invariants", and `docs/debrief.md`): the same
//! scenario bytes, seed and ordered commands give
//! the same state hash at every tick. Replay rebuilds the simulation from the journal's
//! header (the scenario text and seed it recorded), submits each journaled command
//! before the step that followed it, steps at each step marker and, when verifying,
//! compares every recorded state hash. A server resuming after a crash uses the same
//! path and takes the [`Simulation`] back.
//!
//! The simulation computes its hashes by the definition the journal's header names
//! ([`crate::HashVersion`]; version 1 when it names none), so a journal recorded before
//! version 2 still verifies, and a resumed one goes on being recorded in its own version.

use crate::command::{Actor, Command};
use crate::journal::{Journal, JournalError, JournalWriter, Record, UnsupportedHashVersion};
use crate::scenario;
use crate::{Accepted, CommandError, Simulation};

/// What a replay produced.
#[derive(Debug)]
pub struct ReplayOutcome {
    /// The simulation in the state the journal leaves it in (ready to continue).
    pub simulation: Simulation,
    /// Commands re-submitted.
    pub commands: usize,
    /// Steps taken.
    pub steps: usize,
    /// Recorded state hashes compared (all of them matched).
    pub verified_hashes: usize,
}

/// Why a journal could not be replayed.
#[derive(Debug, thiserror::Error)]
pub enum ReplayError {
    #[error(
        "the scenario recorded in the journal ({file}) no longer loads with this cyberdrill:\n{rendered}\
         replay it with the engine version that recorded it ({engine})"
    )]
    Scenario {
        file: String,
        engine: String,
        rendered: String,
    },
    /// Worded by the journal module, as when a journal file is read.
    #[error("the journal {0}")]
    UnsupportedHashVersion(UnsupportedHashVersion),
    #[error(
        "replay diverges at tick {tick} (record {record}): the journal recorded state hash \
         {expected}, the replay computed {actual}; the journal was recorded by a different \
         engine build or edited after the fact"
    )]
    Divergence {
        tick: u32,
        record: usize,
        expected: String,
        actual: String,
    },
    #[error(
        "replay diverges at tick {tick} (record {record}): the journal says {actor:?} issued \
         \"{label}\" and it was accepted, but the replay refuses it: {reason}"
    )]
    Refused {
        tick: u32,
        record: usize,
        actor: Actor,
        label: &'static str,
        reason: String,
    },
    #[error(
        "the journal is out of order at record {record}: it says tick {recorded}, but the \
         replay is at tick {actual}; the journal was edited or written by a faulty recorder"
    )]
    OutOfOrder {
        record: usize,
        recorded: u32,
        actual: u32,
    },
}

/// Builds the simulation the journal starts from: its scenario text and seed, hashing
/// the state by the definition the journal's hashes were recorded with.
pub fn start(journal: &Journal) -> Result<Simulation, ReplayError> {
    let header = &journal.header;
    let version = header
        .checked_hash_version()
        .map_err(ReplayError::UnsupportedHashVersion)?;
    match scenario::parse(&header.scenario_text) {
        Ok(checked) => {
            let mut simulation = Simulation::new(checked.scenario, header.seed);
            simulation.set_hash_version(version);
            Ok(simulation)
        }
        Err(diagnostics) => Err(ReplayError::Scenario {
            file: header.scenario_file.clone(),
            engine: header.engine_version.clone(),
            rendered: scenario::render(&header.scenario_file, &header.scenario_text, &diagnostics),
        }),
    }
}

/// Replays a journal; with `verify`, every recorded state hash is checked.
pub fn replay(journal: &Journal, verify: bool) -> Result<ReplayOutcome, ReplayError> {
    replay_observed(journal, verify, |_| {})
}

/// As [`replay`], calling `observe` with the simulation at the start and after every
/// step (reports sample the world over time this way).
pub fn replay_observed(
    journal: &Journal,
    verify: bool,
    mut observe: impl FnMut(&Simulation),
) -> Result<ReplayOutcome, ReplayError> {
    let mut simulation = start(journal)?;
    observe(&simulation);
    let mut outcome = Counts::default();
    for (index, record) in journal.records.iter().enumerate() {
        // Records are numbered from 1 after the header, as people count lines.
        let record_no = index + 1;
        apply(&mut simulation, record, record_no)?;
        match record {
            Record::Command { .. } => outcome.commands += 1,
            Record::Step { tick, state_hash } => {
                outcome.steps += 1;
                if let (true, Some(expected)) = (verify, state_hash) {
                    let actual = simulation.state_hash().to_hex();
                    if !actual.eq_ignore_ascii_case(expected) {
                        return Err(ReplayError::Divergence {
                            tick: *tick,
                            record: record_no,
                            expected: expected.clone(),
                            actual,
                        });
                    }
                    outcome.verified += 1;
                }
                observe(&simulation);
            }
            Record::Session { .. } | Record::Closed { .. } => {}
        }
    }
    Ok(ReplayOutcome {
        simulation,
        commands: outcome.commands,
        steps: outcome.steps,
        verified_hashes: outcome.verified,
    })
}

/// Applies one journal record (number `record`, for errors) to `simulation`: a command
/// is submitted again, a step taken; session events and the closing record change
/// nothing. Replays and [`crate::rewind`] go through here, so they cannot drift apart.
pub fn apply(
    simulation: &mut Simulation,
    record: &Record,
    record_no: usize,
) -> Result<(), ReplayError> {
    match record {
        Record::Command {
            tick,
            actor,
            command,
            ..
        } => {
            expect_tick(simulation, *tick, record_no)?;
            resubmit(simulation, *actor, command, record_no)
        }
        Record::Step { tick, .. } => {
            expect_tick(simulation, tick.saturating_sub(1), record_no)?;
            simulation.step();
            expect_tick(simulation, *tick, record_no)
        }
        Record::Session { .. } | Record::Closed { .. } => Ok(()),
    }
}

#[derive(Default)]
struct Counts {
    commands: usize,
    steps: usize,
    verified: usize,
}

fn expect_tick(simulation: &Simulation, recorded: u32, record: usize) -> Result<(), ReplayError> {
    let actual = simulation.tick();
    if actual == recorded {
        Ok(())
    } else {
        Err(ReplayError::OutOfOrder {
            record,
            recorded,
            actual,
        })
    }
}

fn resubmit(
    simulation: &mut Simulation,
    actor: Actor,
    command: &Command,
    record: usize,
) -> Result<(), ReplayError> {
    simulation
        .submit(actor, command.clone())
        .map(|_| ())
        .map_err(|err| ReplayError::Refused {
            tick: simulation.tick(),
            record,
            actor,
            label: command.label(),
            reason: err.to_string(),
        })
}

/// A simulation that journals itself: every accepted command and every step (with its
/// state hash) is on disk before the call returns. Headless runs and the server drive
/// exercises through it so that their journals replay exactly.
#[derive(Debug)]
pub struct Recorder {
    simulation: Simulation,
    writer: JournalWriter,
}

impl Recorder {
    /// Journals `simulation` into `writer` from now on (a new journal's writer, or one
    /// reopened with [`JournalWriter::open_append`] after a replay).
    pub fn new(simulation: Simulation, writer: JournalWriter) -> Self {
        Self { simulation, writer }
    }

    /// The simulation, to read views, metrics and the tick.
    pub fn simulation(&self) -> &Simulation {
        &self.simulation
    }

    /// Submits a command; an accepted one is journaled before this returns. The outer
    /// error is a journal failure (the command was applied but is not durable: stop the
    /// exercise), the inner one the simulation's refusal.
    pub fn submit(
        &mut self,
        actor: Actor,
        command: Command,
    ) -> Result<Result<Accepted, CommandError>, JournalError> {
        let tick = self.simulation.tick();
        let accepted = match self.simulation.submit(actor, command.clone()) {
            Ok(accepted) => accepted,
            Err(refused) => return Ok(Err(refused)),
        };
        self.writer.append(&Record::Command {
            tick,
            actor,
            command,
            request_id: None,
        })?;
        Ok(Ok(accepted))
    }

    /// Steps the simulation and journals the step with its state hash (nothing is
    /// written once the exercise has finished and the step does nothing).
    pub fn step(&mut self) -> Result<(), JournalError> {
        let before = self.simulation.tick();
        self.simulation.step();
        let tick = self.simulation.tick();
        if tick == before {
            return Ok(());
        }
        self.writer.append(&Record::Step {
            tick,
            state_hash: Some(self.simulation.state_hash().to_hex()),
        })
    }

    /// Journals a session event at the current tick.
    pub fn session(&mut self, event: crate::journal::SessionEvent) -> Result<(), JournalError> {
        self.writer.append(&Record::Session {
            tick: self.simulation.tick(),
            event,
        })
    }

    /// The simulation and the writer back.
    pub fn into_parts(self) -> (Simulation, JournalWriter) {
        (self.simulation, self.writer)
    }
}

impl crate::policy::Seats for Recorder {
    type Error = JournalError;

    fn simulation(&self) -> &Simulation {
        Recorder::simulation(self)
    }

    fn submit(
        &mut self,
        actor: Actor,
        command: Command,
    ) -> Result<Result<Accepted, CommandError>, JournalError> {
        Recorder::submit(self, actor, command)
    }

    fn step(&mut self) -> Result<(), JournalError> {
        Recorder::step(self)
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::HashVersion;
    use crate::journal::{Header, read_journal};
    use crate::policy::{Policy, play_until};
    use crate::scenario::bundled;

    /// Plays `ticks` ticks of bots through a recorder writing to `path`.
    fn record_bots(path: &Path, text: &str, seed: u64, policy: Policy, ticks: u32) -> Simulation {
        let scenario = scenario::parse(text)
            .expect("bundled scenario loads")
            .scenario;
        let header = Header::new("test.toml", text, seed, "test");
        let writer = JournalWriter::create(path, &header).expect("create journal");
        let mut recorder = Recorder::new(Simulation::new(scenario, seed), writer);
        continue_bots(&mut recorder, policy, ticks);
        recorder.into_parts().0
    }

    fn continue_bots(recorder: &mut Recorder, policy: Policy, ticks: u32) {
        let limit = recorder.simulation().tick() + ticks;
        play_until(recorder, policy, limit).expect("journal write");
    }

    /// The one bot round plays the same game journaled or bare, journals every
    /// accepted command, and stops at the tick limit and at the end of the exercise.
    #[test]
    fn a_journaled_bot_run_plays_the_same_game_as_a_bare_one() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("j");
        let journaled = record_bots(&path, bundled::APEC_REGIONAL, 7, Policy::Cooperative, 30);
        let scenario = scenario::parse(bundled::APEC_REGIONAL)
            .expect("bundled scenario loads")
            .scenario;
        let mut bare = Simulation::new(scenario, 7);
        let Ok(()) = play_until(&mut bare, Policy::Cooperative, 30);
        assert_eq!(bare.tick(), 30, "stops at the limit");
        assert_eq!(bare.state_hash(), journaled.state_hash());

        let journal = read_journal(&path).expect("read");
        let commands = |journal: &Journal| {
            journal
                .records
                .iter()
                .filter(|r| matches!(r, Record::Command { .. }))
                .count()
        };
        assert!(commands(&journal) > 0, "the bots did nothing");
        // Every accepted command was journaled: without them, the replay drifts.
        assert_eq!(replay(&journal, true).expect("replays").steps, 30);

        let Ok(()) = play_until(&mut bare, Policy::Cooperative, u32::MAX);
        assert!(bare.is_finished(), "runs to the end");
        assert_eq!(bare.tick(), bare.scenario().meta.duration_ticks);

        let idle_path = dir.path().join("idle");
        record_bots(&idle_path, bundled::APEC_REGIONAL, 7, Policy::Idle, 5);
        assert_eq!(commands(&read_journal(&idle_path).expect("read")), 0);
    }

    #[test]
    fn replay_reproduces_every_bundled_scenario() {
        let dir = tempfile::tempdir().expect("tempdir");
        for (i, (name, text)) in bundled::all().into_iter().enumerate() {
            for seed in [3u64, 99] {
                let path = dir.path().join(format!("{i}-{seed}.journal"));
                let live = record_bots(&path, text, seed, Policy::Cooperative, 16);
                let journal = read_journal(&path).expect("read");
                let outcome = replay(&journal, true).expect("replays");
                assert_eq!(
                    outcome.simulation.state_hash(),
                    live.state_hash(),
                    "{name} {seed}"
                );
                assert_eq!(outcome.steps as u32, live.tick());
                assert_eq!(outcome.verified_hashes as u32, live.tick());
                assert!(live.tick() > 0);
                assert!(
                    outcome.commands > 0,
                    "{name}: the bots did nothing to replay"
                );
            }
        }
    }

    #[test]
    fn a_wrong_hash_or_a_missing_command_is_a_divergence_at_its_tick() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("j");
        record_bots(&path, bundled::TUTORIAL, 5, Policy::Cooperative, 12);
        let journal = read_journal(&path).expect("read");

        let mut wrong_hash = journal.clone();
        for record in &mut wrong_hash.records {
            if let Record::Step {
                tick: 7,
                state_hash,
            } = record
            {
                *state_hash = Some("0".repeat(64));
            }
        }
        match replay(&wrong_hash, true) {
            Err(ReplayError::Divergence { tick, .. }) => assert_eq!(tick, 7),
            other => panic!("expected a divergence at tick 7, got {other:?}"),
        }
        assert!(
            replay(&wrong_hash, false).is_ok(),
            "hashes are only checked when verifying"
        );

        let mut dropped = journal.clone();
        let first_command = dropped
            .records
            .iter()
            .position(|r| matches!(r, Record::Command { .. }))
            .expect("bots issued commands");
        let Record::Command { tick, .. } = dropped.records.remove(first_command) else {
            unreachable!("picked a command")
        };
        match replay(&dropped, true) {
            Err(
                ReplayError::Divergence { tick: at, .. } | ReplayError::Refused { tick: at, .. },
            ) => {
                assert!(
                    at >= tick,
                    "divergence reported at {at}, before the change at {tick}"
                )
            }
            other => panic!("expected a divergence, got {other:?}"),
        }
    }

    #[test]
    fn an_out_of_order_journal_is_refused() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("j");
        record_bots(&path, bundled::TUTORIAL, 1, Policy::Idle, 4);
        let mut journal = read_journal(&path).expect("read");
        journal.records.swap(0, 1);
        journal
            .records
            .retain(|r| !matches!(r, Record::Step { tick: 1, .. }));
        assert!(matches!(
            replay(&journal, false),
            Err(ReplayError::OutOfOrder { .. })
        ));
    }

    #[test]
    fn resuming_from_a_journal_continues_exactly() {
        let dir = tempfile::tempdir().expect("tempdir");
        let whole = record_bots(
            &dir.path().join("whole"),
            bundled::TUTORIAL,
            8,
            Policy::Cooperative,
            20,
        );
        let path = dir.path().join("resumed");
        record_bots(&path, bundled::TUTORIAL, 8, Policy::Cooperative, 9);
        let (writer, journal) = JournalWriter::open_append(&path).expect("reopen");
        let outcome = replay(&journal, true).expect("replay");
        let mut recorder = Recorder::new(outcome.simulation, writer);
        continue_bots(&mut recorder, Policy::Cooperative, 11);
        assert_eq!(recorder.simulation().state_hash(), whole.state_hash());
        let reread = read_journal(&path).expect("reread");
        assert_eq!(replay(&reread, true).expect("replays").steps, 20);
    }

    /// Records `ticks` ticks of cooperative bots as a journal recorded before hash
    /// version 2 was: no `hash_version` in its header, version 1 hashes in its steps.
    fn record_version_1(path: &Path, ticks: u32) -> Simulation {
        let text = bundled::TUTORIAL;
        let scenario = scenario::parse(text).expect("bundled").scenario;
        let mut header = Header::new("test.toml", text, 8, "test");
        header.hash_version = HashVersion::V1.number();
        let writer = JournalWriter::create(path, &header).expect("create journal");
        let mut simulation = Simulation::new(scenario, 8);
        simulation.set_hash_version(HashVersion::V1);
        let mut recorder = Recorder::new(simulation, writer);
        continue_bots(&mut recorder, Policy::Cooperative, ticks);
        recorder.into_parts().0
    }

    /// A journal of version 1 hashes verifies with the version 1 definition, and one
    /// resumed goes on in version 1: the whole journal verifies, and ends on the hash
    /// of an exercise recorded in one go.
    #[test]
    fn a_version_1_journal_verifies_and_is_continued_in_version_1() {
        let dir = tempfile::tempdir().expect("tempdir");
        let whole = record_version_1(&dir.path().join("whole"), 20);
        let path = dir.path().join("resumed");
        record_version_1(&path, 9);
        let text = std::fs::read_to_string(&path).expect("text");
        assert!(
            !text.contains("hash_version"),
            "written as before version 2"
        );
        let (writer, journal) = JournalWriter::open_append(&path).expect("reopen");
        assert_eq!(journal.header.state_hash_version(), Some(HashVersion::V1));
        let outcome = replay(&journal, true).expect("verifies by version 1");
        assert_eq!(outcome.verified_hashes, 9);
        assert_eq!(outcome.simulation.hash_version(), HashVersion::V1);
        let mut recorder = Recorder::new(outcome.simulation, writer);
        continue_bots(&mut recorder, Policy::Cooperative, 11);
        assert_eq!(recorder.simulation().state_hash(), whole.state_hash());
        let (simulation, _) = recorder.into_parts();
        let reread = read_journal(&path).expect("reread");
        let again = replay(&reread, true).expect("the continued journal verifies");
        assert_eq!(again.verified_hashes, 20);

        // The same exercise by version 2: another hash, so verifying a version 1
        // journal by version 2 would fail at its first step.
        let mut by_v2 = simulation;
        by_v2.set_hash_version(HashVersion::V2);
        assert_ne!(by_v2.state_hash(), whole.state_hash());
        let mut mislabelled = reread.clone();
        mislabelled.header.hash_version = HashVersion::V2.number();
        assert!(matches!(
            replay(&mislabelled, true),
            Err(ReplayError::Divergence { tick: 1, .. })
        ));
    }

    /// A journal kept in memory with a hash version this build does not know is
    /// refused with what to do, never replayed by another definition.
    #[test]
    fn an_unknown_hash_version_is_refused_before_replaying() {
        let text = bundled::TUTORIAL;
        let mut header = Header::new("test.toml", text, 1, "test");
        header.hash_version = 3;
        let journal = Journal::new(header);
        let err = replay(&journal, false).expect_err("unknown version");
        assert!(
            matches!(
                err,
                ReplayError::UnsupportedHashVersion(UnsupportedHashVersion {
                    found: 3,
                    supported: 2,
                    ..
                })
            ),
            "{err}"
        );
        assert_eq!(
            err.to_string(),
            format!(
                "the journal records its state hashes with hash version 3 (its header's \
                 \"hash_version\"), and this cyberdrill computes versions 1 to 2: replay or \
                 resume it with a cyberdrill that knows version 3, such as the one that \
                 recorded it (engine {})",
                env!("CARGO_PKG_VERSION")
            )
        );
    }
}
