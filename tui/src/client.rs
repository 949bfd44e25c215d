//! The messages between a player's interface and the session that owns the simulation.
//!
//! A session may be local (a thread beside the interface) or remote (a server); either
//! way the interface only sends [`ToSession`] and receives [`FromSession`], so it keeps
//! a client-side model: "the latest view I received, and the commands I send".

use cyberdrill_engine::command::{Actor, Command};
use cyberdrill_engine::scenario::model::TeamIdx;
use cyberdrill_engine::view::View;

/// How the exercise clock advances (the facilitator's pacing control).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pace {
    /// Nothing advances until resumed or stepped.
    Paused,
    /// One tick every `ms_per_tick` milliseconds of real time.
    Running { ms_per_tick: u32 },
    /// One tick each time every human seat has said it is ready.
    TurnBased,
}

/// Real-time speeds offered by the faster/slower keys, fastest first.
pub const PACE_STEPS_MS: [u32; 7] = [100, 250, 500, 1000, 2000, 5000, 10000];

/// The default real-time speed when an exercise is resumed.
pub const DEFAULT_MS_PER_TICK: u32 = 1000;

impl Pace {
    /// Short words for the clock, e.g. `running 500 ms/tick`.
    pub fn describe(self) -> String {
        match self {
            Pace::Paused => "paused".to_string(),
            Pace::Running { ms_per_tick } => format!("running {ms_per_tick} ms/tick"),
            Pace::TurnBased => "turn-based".to_string(),
        }
    }

    /// The next faster real-time speed (a paused or turn-based clock starts running).
    pub fn faster(self) -> Pace {
        match self {
            Pace::Running { ms_per_tick } => Pace::Running {
                ms_per_tick: PACE_STEPS_MS
                    .iter()
                    .rev()
                    .copied()
                    .find(|&ms| ms < ms_per_tick)
                    .unwrap_or(PACE_STEPS_MS[0]),
            },
            _ => Pace::Running {
                ms_per_tick: DEFAULT_MS_PER_TICK,
            },
        }
    }

    /// The next slower real-time speed (a paused or turn-based clock starts running).
    pub fn slower(self) -> Pace {
        match self {
            Pace::Running { ms_per_tick } => Pace::Running {
                ms_per_tick: PACE_STEPS_MS
                    .iter()
                    .copied()
                    .find(|&ms| ms > ms_per_tick)
                    .unwrap_or(PACE_STEPS_MS[PACE_STEPS_MS.len() - 1]),
            },
            _ => Pace::Running {
                ms_per_tick: DEFAULT_MS_PER_TICK,
            },
        }
    }
}

/// What the interface asks of its session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ToSession {
    /// Submit a command as this seat (the session checks the seat may act so).
    Submit { actor: Actor, command: Command },
    /// Change the pace (facilitator, or a lone player).
    SetPace(Pace),
    /// Advance exactly one tick now (facilitator, or a lone player).
    Step,
    /// This seat is ready for the next turn (turn-based pace).
    Ready,
    /// The facilitator wants to see the exercise as this actor sees it.
    Watch(Actor),
    /// The facilitator wants the after-action report of the exercise so far; the session
    /// answers with an [`FromSession::Outcome`] labelled `report`: the file written, or why not.
    Report,
    /// The interface is closing; the session may stop.
    Shutdown,
}

/// Whether a submitted command was accepted, in words for the player.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommandOutcome {
    /// The command's label, e.g. `contain`.
    pub label: String,
    /// The engine's message on acceptance, or its refusal.
    pub result: Result<String, String>,
}

/// The session's state that is not part of any view: clock pace and seat.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionStatus {
    pub pace: Pace,
    /// The exercise has reached its last tick.
    pub finished: bool,
    /// Whose view the session sends in [`FromSession::Watched`] (the facilitator's choice).
    pub watching: Actor,
    /// Seats played by bots, for the facilitator's console.
    pub bot_seats: usize,
    /// A served exercise: which teams are here and which are ready (`None` in a local
    /// session, where every seat is the player's or a bot's).
    pub presence: Option<Presence>,
}

/// Who is at the table of a served exercise, for the facilitator: teams come and go, and
/// in turn-based pace the turn ends when every connected team is ready.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Presence {
    /// Teams with at least one connection, in index order.
    pub connected: Vec<TeamIdx>,
    /// Teams that said they are ready for this turn.
    pub ready: Vec<TeamIdx>,
}

/// What the session sends to the interface.
#[derive(Debug, Clone, PartialEq)]
pub enum FromSession {
    /// The seat's own view, after every tick and every accepted command.
    View(Box<View>),
    /// The view of the actor the facilitator watches (only while watching someone else).
    Watched(Box<View>),
    Status(SessionStatus),
    Outcome(CommandOutcome),
    /// The session stopped on an error it could not recover from.
    Failed(String),
}
