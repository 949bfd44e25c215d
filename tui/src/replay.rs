//! `replay --watch`: a recorded exercise served to the terminal interface as if it were
//! a session, for the hot wash on the projector. The interface is the one players used
//! (same screens, same key table); instead of a clock, the facilitator moves through
//! the exercise: a tick back or forward, to a tick, to the next thing that happened.
//!
//! The session answers [`ToSession::Seek`] by putting the engine's [`Rewind`] at the
//! tick asked for and sending that tick's views; anything that would change the
//! exercise (a command, the clock) is refused, in words: a recording is not replayed
//! differently here (`cyberdrill branch` asks "what if").

use std::sync::mpsc::{self, Receiver, Sender};

use cyberdrill_engine::command::Actor;
use cyberdrill_engine::rewind::Rewind;

use crate::client::{
    CommandOutcome, FromSession, Pace, ReplayPosition, Seek, SessionLink, SessionStatus, ToSession,
};

/// Starts the replay session of `rewind` for `seat` on its own thread.
pub fn spawn(rewind: Rewind, seat: Actor) -> SessionLink {
    let (to_session, inbox) = mpsc::channel();
    let (outbox, from_session) = mpsc::channel();
    let thread = std::thread::spawn(move || {
        let mut session = ReplaySession {
            rewind,
            seat,
            watching: seat,
            outbox,
        };
        session.run(&inbox);
    });
    SessionLink {
        to_session,
        from_session,
        thread,
    }
}

/// The replay and whose views it sends.
pub struct ReplaySession {
    rewind: Rewind,
    seat: Actor,
    /// The actor the facilitator chose to see the exercise as (the seat itself if none).
    watching: Actor,
    outbox: Sender<FromSession>,
}

impl ReplaySession {
    /// Serves the interface until it shuts down or goes away.
    fn run(&mut self, inbox: &Receiver<ToSession>) {
        self.show();
        for request in inbox {
            if request == ToSession::Shutdown {
                return;
            }
            self.handle(request);
        }
    }

    /// Answers one request of the interface.
    pub fn handle(&mut self, request: ToSession) {
        match request {
            ToSession::Seek(seek) => {
                let target = self.target(seek);
                match self.rewind.seek(target) {
                    Ok(()) => self.show(),
                    Err(err) => self.send(FromSession::Failed(err.to_string())),
                }
            }
            ToSession::Watch(actor) if self.seat == Actor::Facilitator => {
                self.watching = actor;
                self.show();
            }
            ToSession::Shutdown => {}
            other => self.send(FromSession::Outcome(CommandOutcome {
                label: label(&other).to_string(),
                result: Err(
                    "this is the replay of a recorded exercise: it shows what happened and \
                     cannot be changed (ask \"what if\" with `cyberdrill branch`)"
                        .to_string(),
                ),
            })),
        }
    }

    /// The tick a seek goes to.
    fn target(&self, seek: Seek) -> u32 {
        let tick = self.rewind.tick();
        match seek {
            Seek::Back => tick.saturating_sub(1),
            Seek::Forward => tick.saturating_add(1),
            Seek::To(tick) => tick,
            Seek::NextMoment => self
                .rewind
                .next_moment()
                .map_or(self.rewind.last_tick(), |m| m.tick),
            Seek::PreviousMoment => self.rewind.previous_moment().map_or(0, |m| m.tick),
        }
    }

    /// Where the replay is, for the interface.
    pub fn position(&self) -> ReplayPosition {
        ReplayPosition {
            tick: self.rewind.tick(),
            last: self.rewind.last_tick(),
            now: self.rewind.moments_now().map(|m| m.what.clone()).collect(),
            next: self.rewind.next_moment().map(|m| (m.tick, m.what.clone())),
        }
    }

    /// Sends the tick on show: the status, the seat's view, the watched actor's view and
    /// the position.
    fn show(&self) {
        let simulation = self.rewind.simulation();
        self.send(FromSession::Status(SessionStatus {
            tick: simulation.tick(),
            pace: Pace::TurnBased,
            paused: true,
            finished: simulation.is_finished(),
            ..SessionStatus::initial(self.watching)
        }));
        self.send(FromSession::View(Box::new(simulation.view(self.seat))));
        if self.watching != self.seat {
            self.send(FromSession::Watched(Box::new(
                simulation.view(self.watching),
            )));
        }
        self.send(FromSession::Replay(self.position()));
    }

    fn send(&self, message: FromSession) {
        // The interface may be gone; its shutdown ends the session.
        let _ = self.outbox.send(message);
    }
}

/// What the refused request was, for the status line.
fn label(request: &ToSession) -> &'static str {
    match request {
        ToSession::Submit { command, .. } => command.label(),
        ToSession::Pause | ToSession::Resume | ToSession::SetPace(_) | ToSession::Step => "clock",
        ToSession::Advance { .. } => "jump",
        ToSession::Ready => "ready",
        ToSession::Watch(_) => "view as",
        ToSession::Report => "report",
        ToSession::Answer { .. } => "answer",
        ToSession::Feedback(_) => "feedback",
        ToSession::Note { .. } => "note",
        ToSession::EndSession => "end session",
        ToSession::Seek(_) | ToSession::Shutdown => "replay",
    }
}

#[cfg(test)]
mod tests {
    use cyberdrill_engine::journal::{Header, JournalWriter, read_journal};
    use cyberdrill_engine::policy::{Policy, play_seats};
    use cyberdrill_engine::replay::Recorder;
    use cyberdrill_engine::scenario::{self, bundled};
    use cyberdrill_engine::{Simulation, StateHash};

    use super::*;

    /// A cooperative run of the tutorial, 10 ticks, and its state hash at each tick.
    fn recorded() -> (Rewind, Vec<StateHash>) {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("j");
        let text = bundled::TUTORIAL;
        let scenario = scenario::parse(text).expect("bundled").scenario;
        let writer = JournalWriter::create(&path, &Header::new("tutorial", text, 4, "test"))
            .expect("journal");
        let mut recorder = Recorder::new(Simulation::new(scenario, 4), writer);
        // Each tick's hash after the commands issued at it, as a replay shows the tick.
        let mut hashes = Vec::new();
        for _ in 0..10 {
            play_seats(&mut recorder, Policy::Cooperative).expect("plays");
            hashes.push(recorder.simulation().state_hash());
            recorder.step().expect("steps");
        }
        hashes.push(recorder.simulation().state_hash());
        let journal = read_journal(&path).expect("reads");
        (Rewind::new(journal).expect("rewinds"), hashes)
    }

    fn session(seat: Actor) -> (ReplaySession, Receiver<FromSession>, Vec<StateHash>) {
        let (rewind, hashes) = recorded();
        let (outbox, inbox) = mpsc::channel();
        let session = ReplaySession {
            rewind,
            seat,
            watching: seat,
            outbox,
        };
        (session, inbox, hashes)
    }

    fn positions(inbox: &Receiver<FromSession>) -> Vec<ReplayPosition> {
        inbox
            .try_iter()
            .filter_map(|m| match m {
                FromSession::Replay(position) => Some(position),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn seeks_move_through_the_recording_and_stop_at_its_ends() {
        let (mut session, inbox, hashes) = session(Actor::Facilitator);
        for (seek, tick) in [
            (Seek::Back, 0),
            (Seek::Forward, 1),
            (Seek::To(7), 7),
            (Seek::Back, 6),
            (Seek::To(99), 10),
            (Seek::Forward, 10),
            (Seek::To(0), 0),
        ] {
            session.handle(ToSession::Seek(seek));
            let shown = positions(&inbox);
            assert_eq!(shown.last().map(|p| p.tick), Some(tick), "{seek:?}");
            assert_eq!(
                session.rewind.simulation().state_hash(),
                hashes[tick as usize]
            );
        }
        session.handle(ToSession::Seek(Seek::NextMoment));
        let next = positions(&inbox).pop().expect("a position");
        assert!(next.tick > 0 && !next.now.is_empty(), "{next:?}");
        session.handle(ToSession::Seek(Seek::PreviousMoment));
        assert!(positions(&inbox).pop().expect("a position").tick < next.tick);
    }

    #[test]
    fn a_command_is_refused_and_the_facilitator_may_watch_a_team() {
        let (mut session, inbox, _) = session(Actor::Facilitator);
        session.handle(ToSession::Step);
        let refused = inbox.try_iter().any(|m| {
            matches!(m, FromSession::Outcome(CommandOutcome { result: Err(why), .. })
                if why.contains("cannot be changed"))
        });
        assert!(refused);
        let team = Actor::Team(cyberdrill_engine::scenario::model::TeamIdx(0));
        session.handle(ToSession::Watch(team));
        let watched = inbox
            .try_iter()
            .find_map(|m| match m {
                FromSession::Watched(view) => Some(view.viewer),
                _ => None,
            })
            .expect("the team's view");
        assert_eq!(watched, team);
    }
}
