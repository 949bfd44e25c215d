//! Lessons learned: answers to a module's discussion questions, the hot wash's feedback
//! form and evaluators' notes, each checked and journaled.

use std::time::Instant;

use cyberdrill_engine::journal::{NoteSubject, SessionEvent};

use super::{ConnId, Host};
use crate::client::{Feedback, Seat};
use crate::net::protocol::{MAX_TEXT_CHARS, ServerMsg};

impl Host {
    pub(super) fn answer(
        &mut self,
        conn: ConnId,
        seat: Seat,
        module: u32,
        question: u32,
        text: String,
    ) {
        let Some(by) = seat.actor() else {
            self.error(
                conn,
                "evaluators write notes rather than answers: use `note`",
            );
            return;
        };
        let Some(asked) = self
            .modules
            .get(module as usize)
            .and_then(|m| m.questions.get(question as usize))
            .cloned()
        else {
            self.error(
                conn,
                &format!(
                    "there is no question {} in module {}: the scenario has {} module(s)",
                    question + 1,
                    module + 1,
                    self.modules.len()
                ),
            );
            return;
        };
        let Some(text) = self.checked_text(conn, "answer", text) else {
            return;
        };
        self.session(SessionEvent::Answer {
            by,
            module,
            question,
            text: text.clone(),
        });
        let name = self.seat_name(seat);
        self.notice(format!("{name} answered \"{asked}\": {text}"));
        self.send(
            vec![conn],
            ServerMsg::Recorded {
                what: format!("answer to question {}", question + 1),
            },
        );
    }

    pub(super) fn feedback(&mut self, conn: ConnId, seat: Seat, feedback: Feedback) {
        let Some(by) = seat.actor() else {
            self.error(conn, "evaluators write notes rather than the feedback form");
            return;
        };
        let Feedback {
            went_well,
            to_improve,
            improvement,
            owner,
            due,
        } = feedback;
        let checked = [
            ("what went well", went_well),
            ("what to improve", to_improve),
            ("improvement", improvement),
            ("owner", owner),
            ("due date", due),
        ]
        .into_iter()
        .map(|(what, text)| self.checked_length(conn, what, text))
        .collect::<Option<Vec<String>>>();
        let Some([went_well, to_improve, improvement, owner, due]) =
            checked.and_then(|v| <[String; 5]>::try_from(v).ok())
        else {
            return;
        };
        if [&went_well, &to_improve, &improvement]
            .iter()
            .all(|t| t.trim().is_empty())
        {
            self.error(
                conn,
                "the feedback form is empty: write at least one answer",
            );
            return;
        }
        self.session(SessionEvent::Feedback {
            by,
            went_well,
            to_improve,
            improvement,
            owner,
            due,
        });
        let name = self.seat_name(seat);
        self.notice(format!("{name} sent its feedback form"));
        self.send(
            vec![conn],
            ServerMsg::Recorded {
                what: "feedback".to_string(),
            },
        );
    }

    pub(super) fn note(
        &mut self,
        conn: ConnId,
        seat: Seat,
        about: NoteSubject,
        text: String,
        now: Instant,
    ) {
        let Seat::Evaluator(evaluator) = seat else {
            self.error(conn, "notes are for evaluators (serve --evaluators N)");
            return;
        };
        let scenario = self.sim.scenario();
        let known = match about {
            NoteSubject::Team(team) => team.index() < scenario.teams.len(),
            NoteSubject::Objective(index) => (index as usize) < scenario.objectives.len(),
            NoteSubject::Exercise => true,
        };
        if !known {
            self.error(
                conn,
                &format!(
                    "a note about {about:?}, which the scenario does not have: it has {} \
                     teams and {} objectives, numbered from 0",
                    scenario.teams.len(),
                    scenario.objectives.len()
                ),
            );
            return;
        }
        let Some(text) = self.checked_text(conn, "note", text) else {
            return;
        };
        let elapsed = now.saturating_duration_since(self.started).as_millis();
        let unix_ms = self
            .unix_ms_at_start
            .saturating_add(u64::try_from(elapsed).unwrap_or(u64::MAX));
        self.session(SessionEvent::EvaluatorNote {
            evaluator,
            about,
            text,
            unix_ms,
        });
        self.send(
            vec![conn],
            ServerMsg::Recorded {
                what: "note".to_string(),
            },
        );
    }

    /// `text` if it is not empty and within [`MAX_TEXT_CHARS`]; else tells `conn`.
    pub(super) fn checked_text(
        &mut self,
        conn: ConnId,
        what: &str,
        text: String,
    ) -> Option<String> {
        if text.trim().is_empty() {
            self.error(conn, &format!("the {what} is empty"));
            return None;
        }
        self.checked_length(conn, what, text)
    }

    pub(super) fn checked_length(
        &mut self,
        conn: ConnId,
        what: &str,
        text: String,
    ) -> Option<String> {
        let chars = text.chars().count();
        if chars > MAX_TEXT_CHARS {
            self.error(
                conn,
                &format!(
                    "the {what} is {chars} characters long; at most {MAX_TEXT_CHARS} are kept: \
                     shorten it"
                ),
            );
            return None;
        }
        Some(text)
    }
}
