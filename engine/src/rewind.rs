//! A journaled exercise at any tick, for the hot wash: step forward and back, jump to a
//! tick or to the next thing that happened (`cyberdrill replay --watch`).
//!
//! The simulation cannot run backwards, and keeping every tick's world would cost far
//! more memory than re-simulating: stepping back rebuilds the exercise from the
//! journal's header and replays it to the tick asked for (the same path as
//! [`crate::replay`], so what is shown is exactly what was played). A position is a
//! tick *after* the commands recorded at it, so that what the teams did at tick N is on
//! show at tick N.

use crate::Simulation;
use crate::journal::{Journal, Record};
use crate::names::Names;
use crate::replay::{self, ReplayError};

/// Something that happened in the exercise, with the tick it is on show at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Moment {
    pub tick: u32,
    /// In words, with the scenario's names: `nor-csirt: contain`, `inject "Ransom note"`.
    pub what: String,
}

/// A journaled exercise positioned at one tick.
#[derive(Debug)]
pub struct Rewind {
    journal: Journal,
    simulation: Simulation,
    /// The next record to apply.
    next: usize,
    /// The last tick the journal reaches.
    last: u32,
    moments: Vec<Moment>,
}

impl Rewind {
    /// The exercise at tick 0 (after the commands recorded before the first step), with
    /// the moments of the whole journal (found by replaying it once).
    pub fn new(journal: Journal) -> Result<Rewind, ReplayError> {
        let whole = replay::replay(&journal, false)?;
        let last = whole.simulation.tick();
        let moments = moments(&journal, &whole.simulation);
        let simulation = replay::start(&journal)?;
        let mut rewind = Rewind {
            journal,
            simulation,
            next: 0,
            last,
            moments,
        };
        rewind.seek(0)?;
        Ok(rewind)
    }

    /// The tick on show.
    pub fn tick(&self) -> u32 {
        self.simulation.tick()
    }

    /// The last tick the journal reaches.
    pub fn last_tick(&self) -> u32 {
        self.last
    }

    /// The simulation at the tick on show (its views, metrics, hash).
    pub fn simulation(&self) -> &Simulation {
        &self.simulation
    }

    /// The journal being watched.
    pub fn journal(&self) -> &Journal {
        &self.journal
    }

    /// Everything that happened, in tick order.
    pub fn moments(&self) -> &[Moment] {
        &self.moments
    }

    /// The first tick after the one on show at which something happened.
    pub fn next_moment(&self) -> Option<&Moment> {
        let tick = self.tick();
        self.moments.iter().find(|m| m.tick > tick)
    }

    /// The last tick before the one on show at which something happened.
    pub fn previous_moment(&self) -> Option<&Moment> {
        let tick = self.tick();
        self.moments.iter().rev().find(|m| m.tick < tick)
    }

    /// What happened at the tick on show.
    pub fn moments_now(&self) -> impl Iterator<Item = &Moment> {
        let tick = self.tick();
        self.moments.iter().filter(move |m| m.tick == tick)
    }

    /// Puts the exercise at `tick` (at most [`Self::last_tick`]): forward by replaying
    /// on, back by replaying from the start.
    pub fn seek(&mut self, tick: u32) -> Result<(), ReplayError> {
        let tick = tick.min(self.last);
        if tick < self.simulation.tick() {
            self.simulation = replay::start(&self.journal)?;
            self.next = 0;
        }
        while let Some(record) = self.journal.records.get(self.next) {
            if matches!(record, Record::Step { tick: after, .. } if *after > tick) {
                break;
            }
            replay::apply(&mut self.simulation, record, self.next + 1)?;
            self.next += 1;
        }
        Ok(())
    }
}

/// The journal's commands and what the finished replay says happened: injects fired,
/// campaigns started, incidents first learned of; in tick order.
fn moments(journal: &Journal, end: &Simulation) -> Vec<Moment> {
    let scenario = end.scenario();
    let names = Names(scenario);
    let mut moments: Vec<Moment> = Vec::new();
    for record in &journal.records {
        if let Record::Command {
            tick,
            actor: who,
            command,
            ..
        } = record
        {
            moments.push(Moment {
                tick: *tick,
                what: format!("{}: {}", names.actor(*who), command.label()),
            });
        }
    }
    for fired in end.injects_fired() {
        let headline = scenario
            .injects
            .iter()
            .find(|i| i.id == fired.id)
            .map_or(fired.id.as_str(), |i| i.headline.as_str());
        moments.push(Moment {
            tick: fired.tick,
            what: format!("inject \"{headline}\""),
        });
    }
    for run in end.campaign_runs() {
        if let Some(started) = run.started_at {
            let name = scenario
                .campaigns
                .iter()
                .find(|c| c.id == run.id)
                .map_or(run.id.as_str(), |c| c.name.as_str());
            moments.push(Moment {
                tick: started,
                what: format!("campaign \"{name}\" starts"),
            });
        }
    }
    for incident in end.knowledge() {
        if let Some(first) = incident.known.iter().min_by_key(|k| k.at) {
            moments.push(Moment {
                tick: first.at,
                what: format!(
                    "incident #{} detected by {}",
                    incident.incident.0,
                    names.economy(first.economy)
                ),
            });
        }
    }
    // Stable: within a tick, commands first, then injects, campaigns, incidents.
    moments.sort_by_key(|m| m.tick);
    moments
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::journal::{Header, JournalWriter, read_journal};
    use crate::policy::{Policy, play_until};
    use crate::replay::Recorder;
    use crate::scenario::{self, bundled};

    fn recorded(ticks: u32) -> (Journal, Vec<String>) {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("j");
        let text = bundled::APEC_REGIONAL;
        let scenario = scenario::parse(text).expect("bundled").scenario;
        let header = Header::new("apec-regional", text, 3, "test");
        let writer = JournalWriter::create(&path, &header).expect("create");
        let mut recorder = Recorder::new(Simulation::new(scenario, 3), writer);
        let mut hashes = vec![recorder.simulation().state_hash().to_hex()];
        for tick in 1..=ticks {
            play_until(&mut recorder, Policy::Cooperative, tick).expect("journal");
            hashes.push(recorder.simulation().state_hash().to_hex());
        }
        (read_journal(&path).expect("read"), hashes)
    }

    /// Every tick shows the state the exercise had then, going forward, back, or
    /// jumping; after the commands of that tick.
    #[test]
    fn seeking_shows_the_recorded_state_at_every_tick_in_any_order() {
        let (journal, _) = recorded(12);
        let mut rewind = Rewind::new(journal.clone()).expect("rewinds");
        assert_eq!(rewind.last_tick(), 12);
        // The reference: a plain replay observed after each step, plus that tick's commands.
        let mut at = Vec::new();
        let mut reference = replay::start(&journal).expect("starts");
        for record in &journal.records {
            if let Record::Step { .. } = record {
                at.push(reference.state_hash());
            }
            replay::apply(&mut reference, record, 0).expect("applies");
        }
        at.push(reference.state_hash());
        for tick in [12, 3, 4, 0, 11, 7, 7, 12, 30] {
            rewind.seek(tick).expect("seeks");
            let shown = tick.min(12);
            assert_eq!(rewind.tick(), shown);
            assert_eq!(
                rewind.simulation().state_hash(),
                at[shown as usize],
                "{tick}"
            );
        }
    }

    #[test]
    fn moments_name_commands_injects_and_campaigns_in_tick_order() {
        let (journal, _) = recorded(20);
        let mut rewind = Rewind::new(journal).expect("rewinds");
        let moments = rewind.moments().to_vec();
        assert!(moments.windows(2).all(|w| w[0].tick <= w[1].tick));
        assert!(moments.iter().any(|m| m.what.starts_with("inject \"")));
        assert!(moments.iter().any(|m| m.what.contains(": ")), "{moments:?}");
        let first = rewind.next_moment().expect("something happens").clone();
        assert!(first.tick > 0);
        rewind.seek(first.tick).expect("seeks");
        assert!(rewind.moments_now().any(|m| m == &first));
        assert!(rewind.previous_moment().is_none_or(|m| m.tick < first.tick));
    }
}
