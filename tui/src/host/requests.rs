//! Request ids: a request repeated with the same id runs once.
//!
//! A client numbers its requests; when a connection is lost before the answer arrives,
//! the client cannot know whether the request ran, so it sends it again with the same
//! id after rejoining. Each seat's ids are remembered with the command and its answer:
//! the repeat gets the first answer, and the command runs once. Accepted commands carry
//! their id into the journal, so a server resumed from it still knows them.

use std::collections::BTreeMap;

use cyberdrill_engine::Accepted;
use cyberdrill_engine::command::Command;

use crate::net::protocol::{Denied, Outcome};

/// One seat's requests so far.
#[derive(Debug, Clone, Default)]
pub struct Requests {
    answered: BTreeMap<u64, (Command, Outcome)>,
}

/// What to do with a request.
#[derive(Debug, Clone, PartialEq)]
pub enum Seen {
    /// A new id: run the command.
    New,
    /// The same id and command as before: send this answer again, run nothing.
    Repeat(Outcome),
    /// The same id for another command: refuse.
    Reused(Outcome),
}

impl Requests {
    /// Whether request `id` with `command` was seen before.
    pub fn seen(&self, id: u64, command: &Command) -> Seen {
        match self.answered.get(&id) {
            None => Seen::New,
            Some((first, outcome)) if first == command => Seen::Repeat(outcome.clone()),
            Some(_) => Seen::Reused(Outcome::Denied(Denied::RequestIdReused {
                request_id: id,
                next: self.next_id(),
            })),
        }
    }

    /// Remembers the answer to request `id`.
    pub fn answered(&mut self, id: u64, command: Command, outcome: Outcome) {
        self.answered.insert(id, (command, outcome));
    }

    /// Remembers a request a journal says was accepted at `tick` (the engine's words
    /// of the time are not journaled).
    pub fn journaled(&mut self, id: u64, command: Command, tick: u32) {
        let outcome = Outcome::Accepted(Accepted::said(
            None,
            format!("already carried out at tick {tick} (this request was sent again)"),
        ));
        self.answered.insert(id, (command, outcome));
    }

    /// The smallest id above every id used so far (1 for a fresh seat).
    pub fn next_id(&self) -> u64 {
        self.answered
            .keys()
            .next_back()
            .map_or(1, |id| id.saturating_add(1))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_repeat_gets_the_first_answer_and_a_reuse_is_refused() {
        let mut requests = Requests::default();
        let campaign = Command::AwarenessCampaign;
        assert_eq!(requests.seen(3, &campaign), Seen::New);
        let first = Outcome::Accepted(Accepted::said(None, "started"));
        requests.answered(3, campaign.clone(), first.clone());
        assert_eq!(requests.seen(3, &campaign), Seen::Repeat(first));
        let other = Command::Broadcast { text: "x".into() };
        assert_eq!(
            requests.seen(3, &other),
            Seen::Reused(Outcome::Denied(Denied::RequestIdReused {
                request_id: 3,
                next: 4
            }))
        );
        assert_eq!(requests.next_id(), 4);
        requests.journaled(9, other.clone(), 2);
        assert!(matches!(
            requests.seen(9, &other),
            Seen::Repeat(Outcome::Accepted(_))
        ));
        assert_eq!(requests.next_id(), 10);
    }
}
