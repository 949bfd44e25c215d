//! The wire protocol between `cyberdrill serve` and its clients (`join`, `bot`).
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

use std::fmt;

use bytes::Bytes;
use cyberdrill_engine::command::{Actor, Command};
#[cfg(doc)]
use cyberdrill_engine::view::HistoryBook;
use cyberdrill_engine::view::View;
use cyberdrill_engine::{Accepted, CommandError};
use serde::{Deserialize, Serialize};
use tokio_util::codec::LengthDelimitedCodec;

/// Bumped on every incompatible change; a client of another version is refused with
/// a message saying which version the server speaks.
pub const PROTOCOL_VERSION: u32 = 2;

/// Largest frame a client may send: commands are small, so anything bigger is an
/// attack or a bug, and is answered with an error and a closed connection.
pub const MAX_CLIENT_FRAME: usize = 64 * 1024;

/// Largest frame the server sends: the facilitator's view of a large scenario.
pub const MAX_SERVER_FRAME: usize = 16 * 1024 * 1024;

/// How ticks advance: the journal's type, so that pace changes are journaled as sent.
pub use cyberdrill_engine::journal::Pace;

/// Parses a `--pace` argument: `turns` or `real:MS`.
pub fn parse_pace(s: &str) -> Result<Pace, String> {
    if s == "turns" {
        return Ok(Pace::TurnBased);
    }
    let hint = "expected `turns` or `real:MS` with MS a whole number of milliseconds \
                from 1 to 3600000, e.g. `real:2000`";
    let Some(ms) = s.strip_prefix("real:") else {
        return Err(format!("unknown pace `{s}`: {hint}"));
    };
    match ms.parse::<u64>() {
        Ok(ms) if (1..=3_600_000).contains(&ms) => Ok(Pace::RealTime {
            millis_per_tick: ms,
        }),
        _ => Err(format!("bad pace `{s}`: {hint}")),
    }
}

/// The pace as written on the command line, e.g. `real:250`.
pub fn pace_label(pace: Pace) -> String {
    match pace {
        Pace::RealTime { millis_per_tick } => format!("real:{millis_per_tick}"),
        Pace::TurnBased => "turns".to_string(),
    }
}

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
    /// Carry out `command` as `actor`, which must be the connection's own seat.
    Submit {
        request_id: u64,
        actor: Actor,
        command: Command,
    },
    /// Turn-based pace: this team is done with the current turn.
    Ready,
    /// Facilitator: change the pace.
    Pace { pace: Pace },
    /// Facilitator: stop advancing ticks.
    Pause,
    /// Facilitator: advance ticks again.
    Resume,
    /// Facilitator: advance one tick now.
    Step,
    /// Facilitator: also receive `seat`'s view (`watched` frames); the facilitator's
    /// own seat stops watching.
    Watch { seat: Actor },
    /// Keeps an idle connection open; answered with `Pong`.
    Ping,
}

/// Why a request was not even put to the simulation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Denied {
    /// The `Submit` named an actor other than the connection's seat.
    NotYourSeat { seat: Actor, asked: Actor },
    /// Facilitator-only command or control from a team.
    FacilitatorOnly { what: String },
    /// More requests per second than the server allows one connection.
    RateLimited,
    /// The exercise has ended.
    Finished,
}

impl fmt::Display for Denied {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Denied::NotYourSeat { seat, asked } => write!(
                f,
                "this connection plays {} and cannot act as {}",
                actor_name(*seat),
                actor_name(*asked)
            ),
            Denied::FacilitatorOnly { what } => {
                write!(f, "`{what}` is for the facilitator only")
            }
            Denied::RateLimited => f.write_str("too many requests: slow down"),
            Denied::Finished => f.write_str("the exercise has ended"),
        }
    }
}

fn actor_name(actor: Actor) -> String {
    match actor {
        Actor::Team(t) => format!("team #{}", t.0),
        Actor::Facilitator => "the facilitator".to_string(),
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
}

/// Shared state of the exercise's clock, pushed to everyone when it changes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Status {
    pub tick: u32,
    pub pace: Pace,
    pub paused: bool,
    /// Teams with at least one connection, in index order.
    pub connected: Vec<Actor>,
    /// Turn-based pace: teams that said they are ready for this turn.
    pub ready: Vec<Actor>,
    pub finished: bool,
}

/// What the server sends.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ServerMsg {
    /// The handshake succeeded: the connection plays `seat`.
    Welcome {
        protocol_version: u32,
        seat: Actor,
        /// The team's name, or `Facilitator`.
        seat_name: String,
        title: String,
        status: Status,
    },
    /// The handshake failed; the connection is closed after this frame.
    Refused { reason: String },
    /// Answer to `Submit{request_id}`.
    Result { request_id: u64, outcome: Outcome },
    /// The seat's current view. With `history_after: Some(t)` its economies' history
    /// holds only the points after tick `t`: the earlier ones were sent before and the
    /// client keeps them ([`HistoryBook`]). Absent: the whole history.
    View {
        view: Box<View>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        history_after: Option<u32>,
    },
    /// The facilitator's connection: the view of the team it watches, whenever the
    /// facilitator's own view is sent. Its history is left out: history is public, so
    /// it is the one the client keeps from its own views ([`HistoryBook::fill`]).
    Watched { view: Box<View> },
    /// The clock changed (tick, pace, pause, readiness, who is connected).
    Status { status: Status },
    /// A frame was malformed or not allowed here; says what and how to fix it.
    Error { message: String },
    /// The exercise ended at `tick` with `state_hash`.
    Finished { tick: u32, state_hash: String },
    /// Answer to `Ping`.
    Pong,
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
             ready, pace, pause, resume, step, watch or ping (protocol version {PROTOCOL_VERSION})"
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

    #[test]
    fn pace_parses_and_prints_round_trip() {
        assert_eq!(parse_pace("turns"), Ok(Pace::TurnBased));
        let fast = Pace::RealTime {
            millis_per_tick: 250,
        };
        assert_eq!(parse_pace("real:250"), Ok(fast));
        assert_eq!(pace_label(fast), "real:250");
        for bad in ["real:", "real:0", "real:-3", "real:x", "fast", ""] {
            let err = parse_pace(bad).expect_err("bad pace");
            assert!(err.contains("real:MS"), "{bad}: {err}");
        }
    }

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
}
