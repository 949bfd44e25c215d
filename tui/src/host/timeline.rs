//! The clock and the story's course: real-time ticks and turns, pause, resume and pace,
//! time jumps, the host's bots moving each tick, module breaks, the hot wash and the end.

use std::time::Instant;

use cyberdrill_engine::command::Actor;
use cyberdrill_engine::journal::{Record, SessionEvent};
use cyberdrill_engine::scenario::model::TeamIdx;

use super::clock::{self, Pace};
use super::{ConnId, Ending, Host, Output, Phase, bots};
use crate::client::{Discussion, Seat};
use crate::net::protocol::ServerMsg;

impl Host {
    pub(super) fn ready(&mut self, conn: ConnId, seat: Seat) {
        let Seat::Team(_) = seat else {
            self.error(
                conn,
                "only teams take turns: the facilitator uses `step` to advance a tick",
            );
            return;
        };
        if self.phase != Phase::Playing {
            return;
        }
        if let Some(state) = self.seats.get_mut(&seat) {
            state.ready = true;
        }
        self.broadcast_status();
        self.advance_if_all_ready(self.now);
    }

    pub(super) fn set_pace(&mut self, conn: ConnId, pace: Pace, now: Instant) {
        if let Pace::RealTime { millis_per_tick } = pace
            && !(1..=clock::MAX_MS_PER_TICK).contains(&millis_per_tick)
        {
            self.error(
                conn,
                &format!("a real-time pace is 1 ms to 1 h a tick, not {millis_per_tick} ms"),
            );
            return;
        }
        if self.clock.set_pace(pace, now) {
            self.session(SessionEvent::PaceChanged { pace });
            self.log_clock(format!("pace set to {}", clock::label(pace)));
            self.broadcast_status();
            self.advance_if_all_ready(now);
        }
    }

    pub(super) fn pause(&mut self, now: Instant) {
        if self.phase == Phase::Playing && self.clock.pause(now) {
            self.session(SessionEvent::Paused);
            self.log_clock("paused".to_string());
            self.broadcast_status();
        }
    }

    pub(super) fn resume(&mut self, now: Instant) {
        if self.phase != Phase::Playing {
            return;
        }
        let ended_discussion = self.discussion.take().is_some();
        match self.clock.resume(now) {
            Some(stood) => {
                let paused_ms = u64::try_from(stood.as_millis()).unwrap_or(u64::MAX);
                self.session(SessionEvent::Resumed {
                    paused_ms: Some(paused_ms),
                });
                self.log_clock(format!(
                    "resumed after {} paused",
                    clock::duration_label(paused_ms / 1000 * 1000)
                ));
            }
            None if !ended_discussion => return,
            None => {}
        }
        self.broadcast_status();
        self.advance_if_all_ready(now);
    }

    /// Does what fell due by `now`: a real-time tick, seats handed back to bots, views
    /// of seats touched by others' commands.
    pub(super) fn run_due(&mut self, now: Instant) {
        if self.phase == Phase::Stopped {
            return;
        }
        if self.bots.is_some() {
            let grace = self.bot_grace;
            let back: Vec<Seat> = self
                .seats
                .iter()
                .filter(|(_, s)| s.vacated_at.is_some_and(|left| now >= left + grace))
                .map(|(seat, _)| *seat)
                .collect();
            for seat in back {
                if let Some(state) = self.seats.get_mut(&seat) {
                    state.vacated_at = None;
                }
                if let Seat::Team(team) = seat {
                    let secs = grace.as_secs();
                    self.bot_takes(
                        team,
                        &format!("plays it again: nobody was at the seat for {secs} s"),
                    );
                    self.broadcast_status();
                }
            }
        }
        if self.phase == Phase::Playing && self.clock.is_due(now) {
            self.advance(now, 1);
            if self.phase == Phase::Playing {
                self.clock.ticked(now);
            }
        }
        if self.flush_due.is_some_and(|due| now >= due) {
            self.flush_due = None;
            let stale: Vec<Seat> = std::mem::take(&mut self.stale).into_iter().collect();
            self.push_views(&stale);
        }
    }

    /// Turn-based pace: a tick when every connected team is ready and at least one of
    /// them is played by people. Bots say they are ready as soon as they have moved:
    /// alone they would race through the exercise before anyone joined.
    pub(super) fn advance_if_all_ready(&mut self, now: Instant) {
        if self.clock.pace() != Pace::TurnBased
            || self.clock.is_paused()
            || self.phase != Phase::Playing
        {
            return;
        }
        let mut people_play = false;
        for (seat, state) in &self.seats {
            let Seat::Team(_) = seat else { continue };
            let Some(holder) = state.holder else { continue };
            if !state.ready {
                return;
            }
            people_play |= self.conns.get(&holder).is_some_and(|c| !c.bot);
        }
        if people_play {
            self.advance(now, 1);
        }
    }

    /// Advances up to `ticks` ticks (stopping early at a module's end or the last tick),
    /// then sends every seat its view and the status.
    pub(super) fn advance(&mut self, now: Instant, ticks: u32) {
        let from = self.tick();
        for _ in 0..ticks {
            if self.phase != Phase::Playing {
                break;
            }
            self.step_world(now);
            if self.discussion.is_some() {
                break;
            }
        }
        let to = self.tick();
        if ticks > 1 && to > from {
            self.session(SessionEvent::TimeJumped { from, to });
            self.log_clock(format!(
                "the facilitator jumped from tick {from} to tick {to}"
            ));
        }
        for state in self.seats.values_mut() {
            state.ready = false;
        }
        self.stale.clear();
        self.acted.clear();
        self.flush_due = None;
        let held = self.held_seats();
        self.push_views(&held);
        if self.phase == Phase::HotWash {
            let finished = self.finished_msg();
            let everyone: Vec<ConnId> = self.joined_conns();
            self.send(everyone, finished);
        }
        self.broadcast_status();
        if self.stop_reached() {
            self.stop();
        }
    }

    /// One tick: the host's bots move, the world steps, the step is journaled; a
    /// module's end stops the clock for its discussion, the last tick opens the hot wash.
    pub(super) fn step_world(&mut self, now: Instant) {
        self.discussion = None;
        self.bots_move();
        self.sim.step();
        let tick = self.tick();
        let state_hash = Some(self.sim.state_hash().to_hex());
        self.record(Record::Step { tick, state_hash });
        if self.sim.is_finished() {
            self.enter_hot_wash();
            return;
        }
        if let Some(module) = self.module_ending_at(tick) {
            self.module_break(module, now);
        }
    }

    /// The host's bots play their seats, in team order, each from its own view.
    pub(super) fn bots_move(&mut self) {
        let Some(policy) = self.bots else {
            return;
        };
        let people_at = self.economies_with_people();
        let playing: Vec<TeamIdx> = self
            .seats
            .iter()
            .filter_map(|(seat, state)| match seat {
                Seat::Team(team) if state.bot_plays => Some(*team),
                _ => None,
            })
            .collect();
        for team in playing {
            let actor = Actor::Team(team);
            for m in bots::moves(&self.sim, team, policy, &people_at) {
                // A bot's refused command is its own business: it tries again later.
                let accepted = self.run_command(actor, m.command, None).is_ok();
                if let (true, Some(announce)) = (accepted, m.announce) {
                    let _ = self.run_command(actor, announce, None);
                }
            }
        }
    }

    /// The module (other than the last) that ends at `tick`.
    pub(super) fn module_ending_at(&self, tick: u32) -> Option<usize> {
        self.modules
            .windows(2)
            .position(|pair| pair[1].start == tick)
    }

    pub(super) fn module_break(&mut self, module: usize, now: Instant) {
        let Some(spec) = self.modules.get(module).cloned() else {
            return;
        };
        self.session(SessionEvent::ModuleBreak {
            module: module as u32,
        });
        if self.clock.pause(now) {
            self.session(SessionEvent::Paused);
        }
        self.log_clock(format!(
            "module {} ({}) ended: the clock stopped for its discussion",
            module + 1,
            spec.title
        ));
        self.discussion = Some(Discussion {
            module: Some(module as u32),
            title: spec.title,
            questions: spec.questions,
            feedback: false,
        });
    }

    /// The last tick is done: the clock stops for good and every seat is asked the last
    /// module's questions and the feedback form.
    pub(super) fn enter_hot_wash(&mut self) {
        self.phase = Phase::HotWash;
        self.clock.stop();
        let last = self.modules.len().checked_sub(1);
        self.discussion = Some(
            match last.and_then(|i| self.modules.get(i).map(|m| (i, m))) {
                Some((index, module)) => Discussion {
                    module: Some(index as u32),
                    title: module.title.clone(),
                    questions: module.questions.clone(),
                    feedback: true,
                },
                None => Discussion {
                    module: None,
                    title: "Hot wash".to_string(),
                    questions: Vec::new(),
                    feedback: true,
                },
            },
        );
        if let Some(index) = last {
            self.session(SessionEvent::ModuleBreak {
                module: index as u32,
            });
        }
        let tick = self.tick();
        self.log(format!(
            "tick {tick}: the exercise reached its last tick; the hot wash is open until \
             the facilitator ends the session"
        ));
    }

    pub(super) fn stop_reached(&self) -> bool {
        self.stop_at.is_some_and(|stop| self.tick() >= stop)
    }

    /// Ends the session: everyone is told (that the exercise finished, if they were not
    /// yet, and that the session is over), then the caller stops.
    pub(super) fn stop(&mut self) {
        if self.phase == Phase::Stopped {
            return;
        }
        self.send_owed_views();
        let everyone = self.joined_conns();
        if self.phase == Phase::Playing {
            let finished = self.finished_msg();
            self.send(everyone.clone(), finished);
        }
        let tick = self.tick();
        self.send(
            everyone,
            ServerMsg::Ended {
                reason: format!("the session ended at tick {tick}; thank you for playing"),
            },
        );
        self.phase = Phase::Stopped;
        self.clock.stop();
        self.broadcast_status();
        self.out.push_back(Output::Stop(Ending {
            tick: self.tick(),
            state_hash: self.sim.state_hash().to_hex(),
        }));
    }

    pub(super) fn schedule_flush(&mut self) {
        if self.flush_due.is_none() && !self.stale.is_empty() {
            self.flush_due = Some(self.now + self.view_flush);
        }
    }

    /// Journals how the clock differs from what the journal last said.
    pub(super) fn journal_clock_from(&mut self, (pace, paused): (Option<Pace>, bool)) {
        if pace != Some(self.clock.pace()) {
            self.session(SessionEvent::PaceChanged {
                pace: self.clock.pace(),
            });
        }
        match (paused, self.clock.is_paused()) {
            (false, true) => self.session(SessionEvent::Paused),
            (true, false) => self.session(SessionEvent::Resumed { paused_ms: None }),
            _ => {}
        }
    }
}
