//! The messages between a seat's interface and the exercise host that owns the simulation.
//!
//! The host may run beside the interface (`play`), on a server (`join`), or on the server
//! with the interface (a seat served over SSH); either way the interface only sends
//! [`ToSession`] and receives [`FromSession`] over a [`SessionLink`], so it keeps a
//! client-side model: "the latest view I received, and the requests I send". The
//! [`crate::net::bridge::Bridge`] turns these into protocol messages for the host.

use std::sync::mpsc::{Receiver, Sender};
use std::thread::JoinHandle;

use cyberdrill_engine::command::{Actor, Command};
pub use cyberdrill_engine::journal::{NoteSubject, Pace};
use cyberdrill_engine::scenario::model::TeamIdx;
use cyberdrill_engine::view::View;
use serde::{Deserialize, Serialize};

/// Who an interface plays: a team, the facilitator (white cell), or an evaluator, who
/// sees everything the facilitator sees, cannot act, and writes notes (HSEEP 2020's
/// evaluators). On the wire `{"team": N}`, `"facilitator"` or `{"evaluator": N}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Seat {
    Team(TeamIdx),
    Facilitator,
    /// Evaluator number N (from 0), in the order of their codes.
    Evaluator(u32),
}

impl Seat {
    /// The actor this seat acts as; evaluators act as nobody.
    pub fn actor(self) -> Option<Actor> {
        match self {
            Seat::Team(team) => Some(Actor::Team(team)),
            Seat::Facilitator => Some(Actor::Facilitator),
            Seat::Evaluator(_) => None,
        }
    }

    /// Whose view this seat is shown: evaluators see what the facilitator sees.
    pub fn viewer(self) -> Actor {
        self.actor().unwrap_or(Actor::Facilitator)
    }

    /// Sees the whole exercise (facilitator and evaluators).
    pub fn sees_everything(self) -> bool {
        !matches!(self, Seat::Team(_))
    }
}

impl From<Actor> for Seat {
    fn from(actor: Actor) -> Self {
        match actor {
            Actor::Team(team) => Seat::Team(team),
            Actor::Facilitator => Seat::Facilitator,
        }
    }
}

/// A participant's feedback form at the hot wash (HSEEP 2020: what went well, what to
/// improve, and one improvement with its owner and due date for the improvement plan).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Feedback {
    pub went_well: String,
    pub to_improve: String,
    pub improvement: String,
    pub owner: String,
    /// When the improvement is due, in the seat's words; clients that predate it send none.
    #[serde(default)]
    pub due: String,
}

/// What the interface asks of the host.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ToSession {
    /// Submit a command as this seat (the host checks the seat may act so).
    Submit { actor: Actor, command: Command },
    /// Stop the clock (facilitator, or a lone player); the pace is kept.
    Pause,
    /// Start the clock again at the pace it had (and end a module's discussion).
    Resume,
    /// Change the pace; a paused clock stays paused.
    SetPace(Pace),
    /// Advance exactly one tick now (facilitator, or a lone player).
    Step,
    /// Jump the clock `ticks` ticks at once ("the next morning"); stops early at the end
    /// of a module (facilitator).
    Advance { ticks: u32 },
    /// This seat is ready for the next turn (turn-based pace).
    Ready,
    /// The facilitator wants to see the exercise as this actor sees it.
    Watch(Actor),
    /// The after-action report of the exercise so far (facilitator, evaluators): it is
    /// made by the host and written into the interface's current directory; the answer
    /// is an [`FromSession::Outcome`] labelled `report`: the file written, or why not.
    Report,
    /// An answer to a discussion question of `module` (a module break or the hot wash).
    Answer {
        module: u32,
        question: u32,
        text: String,
    },
    /// The hot wash's feedback form.
    Feedback(Feedback),
    /// An evaluator's note about a team, an objective or the exercise.
    Note { about: NoteSubject, text: String },
    /// The facilitator ends the session (after the hot wash): the server stops.
    EndSession,
    /// Replay only (`replay --watch`): show the recorded exercise at another tick.
    Seek(Seek),
    /// The interface is closing; the host may let go of the seat.
    Shutdown,
}

/// Where a replay goes (`replay --watch`): a recorded exercise cannot be changed, only
/// looked at, at any tick.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Seek {
    /// One tick back.
    Back,
    /// One tick forward.
    Forward,
    /// This tick (beyond the last: the last).
    To(u32),
    /// The next tick at which something happened.
    NextMoment,
    /// The last tick before this one at which something happened.
    PreviousMoment,
}

/// Where a replay is (`replay --watch`): the tick on show, the last one recorded, what
/// happened at this tick and what happens next, for the clock and status lines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReplayPosition {
    pub tick: u32,
    pub last: u32,
    /// What happened at the tick on show.
    pub now: Vec<String>,
    /// The next tick at which something happened, and what.
    pub next: Option<(u32, String)>,
}

/// Whether a request was accepted, in words for the player.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommandOutcome {
    /// The request's label, e.g. `contain`.
    pub label: String,
    /// The engine's message on acceptance, or its refusal.
    pub result: Result<String, String>,
}

/// The host's state that is not part of any view: the clock, the table, the discussion.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionStatus {
    /// Ticks completed.
    pub tick: u32,
    /// The room's pace; kept while paused.
    pub pace: Pace,
    /// The clock stands still (the facilitator paused it, or a module ended).
    pub paused: bool,
    /// The exercise has reached its last tick: the hot wash.
    pub finished: bool,
    /// Whose view the host sends in [`FromSession::Watched`] (the facilitator's choice).
    pub watching: Actor,
    /// Who is at the table.
    pub presence: Presence,
    /// Questions every seat discusses now: a module's end, or the hot wash.
    pub discussion: Option<Discussion>,
}

impl SessionStatus {
    /// A clock at tick 0, paused, nobody at the table: before the host's first status.
    pub fn initial(watching: Actor) -> Self {
        SessionStatus {
            tick: 0,
            pace: Pace::TurnBased,
            paused: true,
            finished: false,
            watching,
            presence: Presence::default(),
            discussion: None,
        }
    }
}

/// Who is at the table: teams come and go, bots of the host play the seats nobody
/// holds, and in turn-based pace the turn ends when every connected team is ready.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Presence {
    /// Teams whose seat is held by a connection (people, or a `cyberdrill bot`), in
    /// index order.
    pub connected: Vec<TeamIdx>,
    /// Teams that said they are ready for this turn.
    pub ready: Vec<TeamIdx>,
    /// Teams the host's own bots play because nobody holds their seat.
    #[serde(default)]
    pub bots: Vec<TeamIdx>,
}

/// A discussion every seat is asked to hold now: at the end of a module (the clock is
/// paused until the facilitator resumes) or at the hot wash after the last tick.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Discussion {
    /// The module that ended (index in the scenario's modules; `None`: the scenario has
    /// no modules and this is the hot wash).
    pub module: Option<u32>,
    /// The module's title, or `Hot wash`.
    pub title: String,
    pub questions: Vec<String>,
    /// The hot wash: the feedback form is asked for too.
    pub feedback: bool,
}

/// What the host sends to the interface.
#[derive(Debug, Clone, PartialEq)]
pub enum FromSession {
    /// The seat's own view, after every tick and every accepted command.
    View(Box<View>),
    /// The view of the actor the facilitator watches (only while watching someone else).
    Watched(Box<View>),
    Status(SessionStatus),
    Outcome(CommandOutcome),
    /// Something that happened at the table, for the facilitator and evaluators: a team
    /// joined or left, a bot took a seat over or handed it back, a seat was taken over.
    Notice(String),
    /// The session stopped on an error it could not recover from.
    Failed(String),
    /// A replay moved to another tick (`replay --watch`).
    Replay(ReplayPosition),
}

/// The interface's ends of a running session: the channels, and the thread that carries
/// them to the host (which ends once [`ToSession::Shutdown`] is sent or the channel closes).
pub struct SessionLink {
    pub to_session: Sender<ToSession>,
    pub from_session: Receiver<FromSession>,
    pub thread: JoinHandle<()>,
}
