//! Commands a seat submits: each runs once per request id, an accepted one is journaled,
//! and a refusal says what to do (or who is already doing it).

use cyberdrill_engine::command::{Actor, Command};
use cyberdrill_engine::journal::Record;
use cyberdrill_engine::{Accepted, CommandError};

use super::requests::Seen;
use super::{ConnId, Host, Phase};
use crate::client::Seat;
use crate::net::protocol::{Denied, Outcome, ServerMsg};

impl Host {
    pub(super) fn submit(
        &mut self,
        conn: ConnId,
        seat: Seat,
        request_id: u64,
        asked: Actor,
        command: Command,
    ) {
        let answer = |host: &mut Host, outcome: Outcome| {
            host.send(
                vec![conn],
                ServerMsg::Result {
                    request_id,
                    outcome,
                },
            );
        };
        let Some(actor) = seat.actor() else {
            return answer(self, Outcome::Denied(Denied::Evaluator));
        };
        if asked != actor {
            return answer(self, Outcome::Denied(Denied::NotYourSeat { seat, asked }));
        }
        let seen = self
            .seats
            .get(&seat)
            .map_or(Seen::New, |s| s.requests.seen(request_id, &command));
        match seen {
            Seen::New => {}
            Seen::Repeat(outcome) | Seen::Reused(outcome) => return answer(self, outcome),
        }
        let outcome = if command.is_facilitator_only() && actor != Actor::Facilitator {
            Outcome::Denied(Denied::FacilitatorOnly {
                what: command.label().to_string(),
            })
        } else if self.phase != Phase::Playing {
            Outcome::Denied(Denied::Finished)
        } else {
            let touched = self.seats_touched_by(&command);
            match self.run_command(actor, command.clone(), Some(request_id)) {
                Ok(accepted) => {
                    self.acted.insert(seat);
                    self.stale
                        .extend(touched.into_iter().filter(|s| *s != seat));
                    self.schedule_flush();
                    Outcome::Accepted(accepted)
                }
                Err(error) => refusal(actor, error),
            }
        };
        if let Some(state) = self.seats.get_mut(&seat) {
            state
                .requests
                .answered(request_id, command, outcome.clone());
        }
        answer(self, outcome);
    }

    /// Puts a command to the simulation; an accepted one is journaled.
    pub(super) fn run_command(
        &mut self,
        actor: Actor,
        command: Command,
        request_id: Option<u64>,
    ) -> Result<Accepted, CommandError> {
        let tick = self.tick();
        let accepted = self.sim.submit(actor, command.clone())?;
        self.record(Record::Command {
            tick,
            actor,
            command,
            request_id,
        });
        Ok(accepted)
    }
}

/// The simulation's refusal as the seat is told it: a task already in progress names
/// the team doing it and says whether it is the seat's own (the engine's error carries
/// the holder's index, so no view is built for it).
fn refusal(actor: Actor, error: CommandError) -> Outcome {
    match error {
        CommandError::AlreadyInProgress { task, holder, team } => Outcome::InProgress {
            task,
            team,
            yours: actor == Actor::Team(holder),
        },
        other => Outcome::Rejected(other),
    }
}
