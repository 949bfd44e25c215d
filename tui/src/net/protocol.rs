//! The wire protocol between the exercise host and its clients (`join`, `bot`, and any
//! seat served in-process).
//!
//! Each message is one frame: a 4-byte big-endian length, then a JSON object with a
//! `type` field (`tokio-util`'s `LengthDelimitedCodec` with a size limit per direction).
//! A connection opens with a handshake, `Hello{protocol_version, code}` answered by
//! `Welcome{...}` or `Refused{reason}`; afterwards the client submits commands and the
//! server pushes the seat's [`View`] after every tick and every accepted command.
//! Economies' history grows every tick, so a view carries only the points the seat has
//! not been sent yet (`history_after`); the client keeps the rest ([`HistoryBook`]).
//! The acting seat is fixed by the join code: a `Submit` naming another actor is
//! rejected, never carried out.
//!
//! The host ([`crate::host`]) speaks these types whatever the transport: a seat in the
//! same process gets the very [`ServerMsg`] values a TCP client gets as JSON.

use std::fmt;
use std::sync::{Arc, OnceLock};

use bytes::Bytes;
use cyberdrill_engine::command::{Actor, Command};
#[cfg(doc)]
use cyberdrill_engine::view::HistoryBook;
use cyberdrill_engine::view::{SectorInfo, TeamInfo, View};
use cyberdrill_engine::{Accepted, CommandError};
use serde::{Deserialize, Serialize};
use tokio_util::codec::LengthDelimitedCodec;

use super::wire::{self, PublicEconomies};

pub use crate::client::{Discussion, Feedback, Pace, Presence, Seat};
pub use cyberdrill_engine::journal::NoteSubject;

/// Bumped on every incompatible change; a client of another version is refused with
/// a message saying which version the server speaks.
pub const PROTOCOL_VERSION: u32 = 4;

/// Largest frame a client may send: commands are small, so anything bigger is an
/// attack or a bug, and is answered with an error and a closed connection.
pub const MAX_CLIENT_FRAME: usize = 64 * 1024;

/// Largest frame the server sends: the facilitator's view of a large scenario, or an
/// after-action report.
pub const MAX_SERVER_FRAME: usize = 16 * 1024 * 1024;

/// Longest free text a seat may send in an answer, a feedback field or a note, in
/// characters: a paragraph, not a document.
pub const MAX_TEXT_CHARS: usize = 4000;

/// What a client sends.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum ClientMsg {
    /// First frame of every connection; `bot` marks a seat played by a bot (journaled).
    Hello {
        protocol_version: u32,
        code: String,
        #[serde(default)]
        bot: bool,
    },
    /// Carry out `command` as `actor`, which must be the connection's own seat. A
    /// `request_id` the seat already used for the same command is answered again
    /// without running it twice (also after a reconnect or a server restart).
    Submit {
        request_id: u64,
        actor: Actor,
        command: Command,
    },
    /// Turn-based pace: this team is done with the current turn.
    Ready,
    /// Facilitator: change the pace (a paused clock stays paused).
    Pace { pace: Pace },
    /// Facilitator: stop advancing ticks.
    Pause,
    /// Facilitator: advance ticks again (and end a module's discussion).
    Resume,
    /// Facilitator: advance one tick now.
    Step,
    /// Facilitator: jump `ticks` ticks at once; stops early at a module's end.
    Advance { ticks: u32 },
    /// Facilitator: also receive `seat`'s view (`watched` frames); the facilitator's
    /// own seat stops watching.
    Watch { seat: Actor },
    /// Facilitator or evaluator: the after-action report of the exercise so far.
    Report,
    /// Teams and facilitator: an answer to question `question` of module `module`.
    Answer {
        module: u32,
        question: u32,
        text: String,
    },
    /// Teams and facilitator: the hot wash's feedback form.
    Feedback { feedback: Feedback },
    /// Evaluators: a note about a team, an objective or the exercise.
    Note { about: NoteSubject, text: String },
    /// Facilitator: end the session (after the hot wash); the server stops.
    End,
    /// Keeps an idle connection open; answered with `Pong`.
    Ping,
}

/// Why a request was not even put to the simulation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Denied {
    /// The `Submit` named an actor other than the connection's seat.
    NotYourSeat { seat: Seat, asked: Actor },
    /// Facilitator-only command or control from a team.
    FacilitatorOnly { what: String },
    /// Evaluators watch and write notes; they do not act in the exercise.
    Evaluator,
    /// More requests per second than the server allows one connection.
    RateLimited,
    /// The exercise has ended.
    Finished,
    /// The seat used this request id before for another command: ids must be new.
    RequestIdReused { request_id: u64, next: u64 },
}

impl fmt::Display for Denied {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Denied::NotYourSeat { seat, asked } => write!(
                f,
                "this connection plays {} and cannot act as {}",
                seat_words(*seat),
                seat_words(Seat::from(*asked))
            ),
            Denied::FacilitatorOnly { what } => {
                write!(f, "`{what}` is for the facilitator only")
            }
            Denied::Evaluator => {
                f.write_str("evaluators observe and write notes; they cannot act in the exercise")
            }
            Denied::RateLimited => f.write_str("too many requests: slow down"),
            Denied::Finished => f.write_str("the exercise has ended"),
            Denied::RequestIdReused { request_id, next } => write!(
                f,
                "request id {request_id} was already used for another command of this seat: \
                 number new requests from {next} on"
            ),
        }
    }
}

/// A seat in words when its name is not at hand: `team #2`, `the facilitator`.
fn seat_words(seat: Seat) -> String {
    match seat {
        Seat::Team(t) => format!("team #{}", t.0),
        Seat::Facilitator => "the facilitator".to_string(),
        Seat::Evaluator(n) => format!("evaluator {}", n + 1),
    }
}

/// The simulation's answer to one `Submit`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Accepted(Accepted),
    /// The simulation refused the command (for instance: no free analysts).
    Rejected(CommandError),
    /// The server refused the request before the simulation saw it.
    Denied(Denied),
    /// The simulation refused the command because a team of the same economy is already
    /// doing the same: which one, so that the seat can coordinate with it.
    InProgress {
        task: u32,
        /// The team's name.
        team: String,
        /// The asking seat's own team holds the task.
        yours: bool,
    },
}

impl Outcome {
    /// The outcome in words: the engine's message, or the refusal.
    pub fn into_result(self) -> Result<String, String> {
        match self {
            Outcome::Accepted(accepted) => Ok(accepted.message().into_owned()),
            Outcome::Rejected(error) => Err(error.to_string()),
            Outcome::Denied(denied) => Err(denied.to_string()),
            Outcome::InProgress {
                task, yours: true, ..
            } => Err(format!(
                "your team is already doing this (task #{task}): wait for it to finish"
            )),
            Outcome::InProgress { task, team, .. } => Err(format!(
                "{team} is already doing this (task #{task}): wait for it to finish, or \
                 coordinate with {team} in Comms"
            )),
        }
    }
}

/// Shared state of the exercise's clock and table, pushed to everyone when it changes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Status {
    pub tick: u32,
    /// The room's pace; kept while paused.
    pub pace: Pace,
    pub paused: bool,
    /// Teams whose seat is held by a connection, in index order.
    pub connected: Vec<Actor>,
    /// Turn-based pace: teams that said they are ready for this turn.
    pub ready: Vec<Actor>,
    /// Teams the server's own bots play (`serve --bots`) because nobody holds them.
    #[serde(default)]
    pub bots: Vec<Actor>,
    pub finished: bool,
    /// Questions every seat discusses now: a module's end, or the hot wash.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub discussion: Option<Discussion>,
}

/// What the server sends.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ServerMsg {
    /// The handshake succeeded: the connection plays `seat`.
    Welcome {
        protocol_version: u32,
        seat: Seat,
        /// The team's name, `Facilitator` or `Evaluator N`.
        seat_name: String,
        title: String,
        status: Status,
        /// The smallest request id this seat has not used yet.
        #[serde(default)]
        next_request_id: u64,
    },
    /// The handshake failed; the connection is closed after this frame.
    Refused { reason: String },
    /// Another connection presented this seat's code and took the seat over; this
    /// connection is closed after this frame (a client must not rejoin by itself).
    Replaced { reason: String },
    /// Answer to `Submit{request_id}`.
    Result { request_id: u64, outcome: Outcome },
    /// The seat's current view. With `history_after: Some(t)` its economies' history
    /// holds only the points after tick `t`: the earlier ones were sent before and the
    /// client keeps them ([`HistoryBook`]); and the [`Directory`] is left out, as it never
    /// changes: the client keeps it from the first view. Absent: the whole view.
    View {
        view: Box<View>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        history_after: Option<u32>,
    },
    /// The facilitator's connection: the view of the team it watches, whenever the
    /// facilitator's own view is sent. Its history and [`Directory`] are left out: both
    /// are public, so they are the ones the client keeps from its own views
    /// ([`HistoryBook::fill`], [`Directory::fill`]).
    Watched { view: Box<View> },
    /// The clock or the table changed (tick, pace, pause, readiness, who is here, the
    /// discussion).
    Status { status: Status },
    /// Something happened at the table (joins, departures, bots taking seats over):
    /// sent to the facilitator and evaluators.
    Notice { text: String },
    /// An answer, a feedback form or a note was journaled; `what` says which.
    Recorded { what: String },
    /// The after-action report asked for: a file name and the self-contained HTML page.
    Report { file_name: String, html: String },
    /// The report could not be made, and why.
    ReportFailed { reason: String },
    /// A frame was malformed or not allowed here; says what and how to fix it.
    Error { message: String },
    /// The simulation ended at `tick` with `state_hash`; the connection stays open for
    /// the hot wash until the facilitator ends the session.
    Finished { tick: u32, state_hash: String },
    /// The session is over (the facilitator ended it, or its last planned tick came):
    /// the server closes the connection; a client must not rejoin.
    Ended { reason: String },
    /// Answer to `Ping`.
    Pong,
}

/// The parts of a view that never change during an exercise: the directory of teams
/// and sectors, and the briefing. A seat is sent them once, in its first view (a third
/// of a view's bytes with a hundred economies).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Directory {
    teams: Vec<TeamInfo>,
    sectors: Vec<SectorInfo>,
    briefing: String,
}

impl Directory {
    /// Takes the directory out of `view` (which then holds empty ones).
    pub fn take(view: &mut View) -> Directory {
        Directory {
            teams: std::mem::take(&mut view.teams),
            sectors: std::mem::take(&mut view.sectors),
            briefing: std::mem::take(&mut view.briefing),
        }
    }

    /// A copy of `view`'s directory.
    pub fn of(view: &View) -> Directory {
        Directory {
            teams: view.teams.clone(),
            sectors: view.sectors.clone(),
            briefing: view.briefing.clone(),
        }
    }

    /// Gives `view`, sent without it, the directory.
    pub fn fill(&self, view: &mut View) {
        view.teams.clone_from(&self.teams);
        view.sectors.clone_from(&self.sectors);
        view.briefing.clone_from(&self.briefing);
    }
}

/// One message on its way to one or more connections: encoded to JSON at most once,
/// by the first connection that writes it to a socket, and never by seats in the
/// host's own process, which take the message as it is.
#[derive(Debug)]
pub struct Frame {
    pub msg: ServerMsg,
    encoded: OnceLock<Bytes>,
    /// A view's economies as other views of the same push encoded them.
    public: Option<Arc<PublicEconomies>>,
}

impl Frame {
    pub fn new(msg: ServerMsg) -> Self {
        Frame {
            msg,
            encoded: OnceLock::new(),
            public: None,
        }
    }

    /// A view frame that copies the public economies' bytes from `public`, shared by
    /// the views of one push (see [`super::wire`]).
    pub fn view(msg: ServerMsg, public: Arc<PublicEconomies>) -> Self {
        Frame {
            msg,
            encoded: OnceLock::new(),
            public: Some(public),
        }
    }

    /// The frame's payload for a socket.
    pub fn bytes(&self) -> Bytes {
        self.encoded
            .get_or_init(|| match (&self.msg, &self.public) {
                (
                    ServerMsg::View {
                        view,
                        history_after,
                    },
                    Some(public),
                ) => wire::encode_view(view, *history_after, public)
                    .map_or_else(|_| encode(&self.msg), Bytes::from),
                _ => encode(&self.msg),
            })
            .clone()
    }
}

/// The codec for frames a server reads (client frames, small limit).
pub fn server_codec() -> LengthDelimitedCodec {
    LengthDelimitedCodec::builder()
        .max_frame_length(MAX_CLIENT_FRAME)
        .new_codec()
}

/// The codec for frames a client reads (server frames, large limit).
pub fn client_codec() -> LengthDelimitedCodec {
    LengthDelimitedCodec::builder()
        .max_frame_length(MAX_SERVER_FRAME)
        .new_codec()
}

/// Encodes one message as a frame payload.
pub fn encode<T: Serialize>(msg: &T) -> Bytes {
    // Serialising these plain data types cannot fail: no maps with non-string keys,
    // no custom serialisers. Fall back to an error frame rather than panicking.
    match serde_json::to_vec(msg) {
        Ok(bytes) => Bytes::from(bytes),
        Err(e) => Bytes::from(format!(
            r#"{{"type":"error","message":"internal: could not encode a message: {e}"}}"#
        )),
    }
}

/// Decodes a client frame, with a message that says what was wrong.
pub fn decode_client(frame: &[u8]) -> Result<ClientMsg, String> {
    serde_json::from_slice(frame).map_err(|e| {
        format!(
            "malformed frame ({e}); expected a JSON object with a `type` of hello, submit, \
             ready, pace, pause, resume, step, advance, watch, report, answer, feedback, \
             note, end or ping (protocol version {PROTOCOL_VERSION})"
        )
    })
}

/// Decodes a server frame.
pub fn decode_server(frame: &[u8]) -> Result<ServerMsg, String> {
    serde_json::from_slice(frame).map_err(|e| format!("malformed frame from the server: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use cyberdrill_engine::scenario::model::TeamIdx;

    #[test]
    fn client_messages_round_trip_and_unknown_fields_are_refused() {
        let msg = ClientMsg::Submit {
            request_id: 7,
            actor: Actor::Facilitator,
            command: Command::Broadcast { text: "hi".into() },
        };
        let bytes = encode(&msg);
        assert_eq!(decode_client(&bytes), Ok(msg));
        let err = decode_client(
            br#"{"type":"hello","protocol_version":1,"code":"X","as":"facilitator"}"#,
        )
        .expect_err("refused");
        assert!(err.contains("unknown field"), "{err}");
        let err = decode_client(b"\xff\x00garbage").expect_err("refused");
        assert!(err.contains("malformed frame"), "{err}");
    }

    #[test]
    fn seats_are_written_as_actors_are_and_evaluators_by_number() {
        let json = |seat: Seat| serde_json::to_string(&seat).unwrap_or_default();
        assert_eq!(json(Seat::Team(TeamIdx(2))), r#"{"team":2}"#);
        assert_eq!(json(Seat::Facilitator), r#""facilitator""#);
        assert_eq!(json(Seat::Evaluator(0)), r#"{"evaluator":0}"#);
        assert_eq!(
            serde_json::to_string(&Actor::Team(TeamIdx(2))).unwrap_or_default(),
            json(Seat::Team(TeamIdx(2)))
        );
    }

    #[test]
    fn a_frame_is_encoded_once_and_as_the_message_encodes() {
        let frame = Frame::new(ServerMsg::Pong);
        assert_eq!(frame.bytes(), encode(&ServerMsg::Pong));
        assert_eq!(frame.bytes().as_ptr(), frame.bytes().as_ptr());
    }
}
