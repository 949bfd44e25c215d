//! The exercise host: one exercise, its seats and its clock, behind `play` and `serve`.
//!
//! The host owns the simulation and is the only code that changes it. It does no I/O
//! and never reads a clock, as quinn-proto's `Connection` does for QUIC: inputs come in
//! through [`Host::handle`] with the time they happen (`now`), outputs are taken with
//! [`Host::poll_output`] (frames for connections, journal records, log lines), and
//! [`Host::poll_timeout`] says when to call back if nothing arrives. Its callers do the
//! rest: `play` runs it on a thread beside the terminal ([`local`]), `serve` in a task
//! beside the sockets (`crate::net::server`), and tests drive it with synthetic time
//! through hours of exercise without sleeping.
//!
//! Connections speak the protocol of [`crate::net::protocol`] whatever carries them: a
//! TCP client, the player's own interface in `play`, or a terminal interface run by the
//! server for a seat connected over SSH. A connection opens, says `hello` with a join
//! code, and holds the seat the code opens; a second connection with the same code takes
//! the seat over and the first is told ([`ServerMsg::Replaced`]). Team seats nobody holds
//! can be played by the host's own bots ([`bots`]), which hand a seat to the person who
//! joins with its code and take it back a grace period after they leave.
//!
//! Durability is the caller's half of the contract: every [`Output::Journal`] must be on
//! disk before any [`Output::Send`] that follows it is delivered, so that an answer
//! never acknowledges what a crash could lose. Callers take all outputs, write the
//! records, sync once, then deliver the frames (one disk flush per batch of requests).
//!
//! Its parts, one `impl Host` each: `seats` (who sits where: hello, takeovers,
//! departures, bots taking seats back, watching), `commands` (submitted commands, run
//! once per request id), `timeline` (clock, turns, bots' moves, modules, hot wash, the
//! end), `lessons` (answers, feedback forms, evaluators' notes) and `outputs` (views,
//! status, notices, journal records); beside them the join-code gate ([`auth`]), the
//! host's bots ([`bots`]), the clock ([`clock`]), request ids ([`requests`]), the
//! report ([`report`]) and `play`'s caller ([`local`]).

pub mod auth;
pub mod bots;
pub mod clock;
mod commands;
mod lessons;
pub mod local;
mod outputs;
pub mod report;
pub mod requests;
mod seats;
#[cfg(test)]
mod tests;
mod timeline;

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::net::IpAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use cyberdrill_engine::Simulation;
use cyberdrill_engine::command::Actor;
use cyberdrill_engine::journal::{Journal, Record, SessionEvent};
use cyberdrill_engine::names::{self, Names};
use cyberdrill_engine::policy::Policy;
use cyberdrill_engine::scenario::model::{Module, TeamIdx};

use crate::client::{Discussion, Seat};
use crate::net::codes::JoinCodes;
use crate::net::protocol::{ClientMsg, Denied, Frame, Outcome, ServerMsg};
use crate::net::wire::PublicEconomies;
use auth::Gate;
pub use clock::{Clock, Pace};
use requests::Requests;

/// A connection's number, given by the caller, unique for the host's lifetime.
pub type ConnId = u64;

/// Something that happened, handed to [`Host::handle`] with the time it happened.
#[derive(Debug, Clone, PartialEq)]
pub enum Input {
    /// A connection opened: a TCP peer at `peer`, or a seat in this process (`None`). It
    /// must say `hello` first. `paced`: the caller reports each view the connection takes
    /// ([`Input::ViewTaken`]), and the host sends it a view only once it took the last
    /// one (see [`Input::ViewTaken`]).
    Connected {
        conn: ConnId,
        peer: Option<IpAddr>,
        paced: bool,
    },
    /// A message from a connection.
    Received { conn: ConnId, msg: ClientMsg },
    /// The connection is gone.
    Disconnected { conn: ConnId },
    /// A paced connection took the last view it was sent (its writer has it). Until
    /// then the host builds it no newer view: a connection that cannot keep up with the
    /// ticks skips views instead of making the host build views nobody reads (with a
    /// hundred seats, building and encoding views is most of a tick's work). A view
    /// that fell due meanwhile is sent now, with the state of now.
    ViewTaken { conn: ConnId },
    /// Nothing arrived: time passed ([`Host::poll_timeout`] came).
    Timeout,
    /// Whoever runs the host ends the session (Ctrl-C on `serve`'s terminal), as the
    /// facilitator's `end` would.
    Shutdown,
}

/// What the host asks its caller to do, in order.
#[derive(Debug, Clone)]
pub enum Output {
    /// Deliver `frame` to each connection of `to`, after every record journaled before.
    Send { to: Vec<ConnId>, frame: Arc<Frame> },
    /// Close the connection once the frames sent to it before are delivered.
    Close { conn: ConnId },
    /// Append this record to the exercise's journal.
    Journal(Record),
    /// A line for the host's console (the terminal running `serve`).
    Log(String),
    /// Make the after-action report from the journal and send it to `to`
    /// ([`ServerMsg::Report`] or [`ServerMsg::ReportFailed`]): replaying a journal takes
    /// a while, and the journal may be on disk, so the caller does it.
    Report { to: ConnId },
    /// The session is over (the facilitator ended it, or `--stop-at` came): close every
    /// connection and stop.
    Stop(Ending),
}

/// How the exercise ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ending {
    pub tick: u32,
    /// Hex state hash at the final tick.
    pub state_hash: String,
}

/// How the host runs its exercise.
#[derive(Debug, Clone)]
pub struct HostConfig {
    pub codes: JoinCodes,
    pub pace: Pace,
    /// Start with the clock stopped until the facilitator (or the lone player) starts it.
    pub paused: bool,
    /// End the session once this many ticks are complete, without a hot wash.
    pub stop_at: Option<u32>,
    /// The host's bots play the team seats nobody holds, with this policy.
    pub bots: Option<Policy>,
    /// A seat whose person left goes back to the host's bot after this long (a blink of
    /// the venue's Wi-Fi should not hand a team's work to a bot).
    pub bot_grace: Duration,
    /// Views of seats touched by another seat's command are sent at most this often.
    pub view_flush: Duration,
    /// The wall-clock time at `now` of [`Host::new`], in Unix milliseconds: evaluators'
    /// notes are timestamped from it (the host never reads a clock itself).
    pub unix_ms_at_start: u64,
    /// One person plays alone (`play`): whatever seat they hold keeps the clock (pause,
    /// resume, step, pace, jumps, the end), as the facilitator does at a forum.
    pub solo: bool,
}

impl HostConfig {
    /// Defaults for `codes`: turn-based, running, no bots.
    pub fn new(codes: JoinCodes) -> Self {
        HostConfig {
            codes,
            pace: Pace::TurnBased,
            paused: false,
            stop_at: None,
            bots: None,
            bot_grace: Duration::from_secs(60),
            view_flush: Duration::from_millis(100),
            unix_ms_at_start: 0,
            solo: false,
        }
    }
}

/// A connection as the host sees it.
#[derive(Debug, Clone)]
struct Conn {
    peer: Option<IpAddr>,
    /// The seat it holds, once its `hello` was welcomed.
    seat: Option<Seat>,
    /// Played by a program (`cyberdrill bot`): ready as soon as it has moved.
    bot: bool,
    /// Facilitator and evaluators: the team whose view it also receives.
    watching: Option<TeamIdx>,
    /// Its views are paced by [`Input::ViewTaken`].
    paced: bool,
    /// Paced: it was sent a view it has not taken yet.
    view_unread: bool,
    /// Paced: a view fell due while the last one was unread; sent once it is taken.
    view_owed: bool,
}

/// One seat's state.
#[derive(Debug, Clone, Default)]
struct SeatState {
    holder: Option<ConnId>,
    /// The tick through which the holder has been sent the economies' history.
    history_sent: Option<u32>,
    /// Turn-based: said it is ready for the next tick.
    ready: bool,
    /// The host's bot plays it (team seats nobody holds, with bots configured).
    bot_plays: bool,
    /// When its holder left, for handing it back to the bot after the grace period.
    vacated_at: Option<Instant>,
    requests: Requests,
}

/// Where the session is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    /// Ticks advance.
    Playing,
    /// The last tick is done: the hot wash, until the facilitator ends the session.
    HotWash,
    /// The session is over; nothing more happens.
    Stopped,
}

/// The exercise host. See the module documentation.
pub struct Host {
    sim: Simulation,
    journal: Journal,
    clock: Clock,
    gate: Gate,
    conns: BTreeMap<ConnId, Conn>,
    seats: BTreeMap<Seat, SeatState>,
    bots: Option<Policy>,
    bot_grace: Duration,
    stop_at: Option<u32>,
    solo: bool,
    /// The scenario's modules (a copy: the host reads them at every tick).
    modules: Vec<Module>,
    discussion: Option<Discussion>,
    phase: Phase,
    /// Seats whose view changed since it was last sent, sent at `flush_due`.
    stale: BTreeSet<Seat>,
    flush_due: Option<Instant>,
    view_flush: Duration,
    /// Seats whose own command was accepted: their view follows the outputs queued.
    acted: BTreeSet<Seat>,
    /// The economies' public parts as encoded for the views sent at a tick, by history
    /// window: every view of that tick copies them (see [`crate::net::wire`]).
    public_economies: (u32, BTreeMap<Option<u32>, Arc<PublicEconomies>>),
    out: VecDeque<Output>,
    started: Instant,
    unix_ms_at_start: u64,
    /// The latest `now` seen: time never runs backwards inside the host.
    now: Instant,
}

impl Host {
    /// A host for `sim`, whose journal so far is `journal` (its header, and the records
    /// of a resumed exercise; new records are both output and kept). The clock's pace
    /// and pause, if they differ from what the journal last says, are journaled first.
    pub fn new(sim: Simulation, journal: Journal, config: HostConfig, now: Instant) -> Self {
        let team_ids: Vec<String> = sim.scenario().teams.iter().map(|t| t.id.clone()).collect();
        let mut seats: BTreeMap<Seat, SeatState> = BTreeMap::new();
        seats.insert(Seat::Facilitator, SeatState::default());
        for team in 0..team_ids.len() {
            seats.insert(Seat::Team(TeamIdx(team as u32)), SeatState::default());
        }
        for evaluator in 0..config.codes.evaluators.len() {
            seats.insert(Seat::Evaluator(evaluator as u32), SeatState::default());
        }
        for record in &journal.records {
            if let Record::Command {
                tick,
                actor,
                command,
                request_id: Some(id),
            } = record
                && let Some(seat) = seats.get_mut(&Seat::from(*actor))
            {
                seat.requests.journaled(*id, command.clone(), *tick);
            }
        }
        let journaled_clock = journal.clock();
        let mut host = Host {
            clock: Clock::new(config.pace, config.paused, now),
            gate: Gate::new(config.codes, team_ids),
            conns: BTreeMap::new(),
            seats,
            bots: config.bots,
            bot_grace: config.bot_grace,
            stop_at: config.stop_at,
            solo: config.solo,
            modules: sim.scenario().modules.clone(),
            discussion: None,
            phase: Phase::Playing,
            stale: BTreeSet::new(),
            flush_due: None,
            view_flush: config.view_flush,
            acted: BTreeSet::new(),
            public_economies: (0, BTreeMap::new()),
            out: VecDeque::new(),
            started: now,
            unix_ms_at_start: config.unix_ms_at_start,
            now,
            sim,
            journal,
        };
        host.journal_clock_from(journaled_clock);
        if let Some(policy) = host.bots {
            let teams = host.team_seats();
            for team in &teams {
                if let Some(state) = host.seats.get_mut(&Seat::Team(*team)) {
                    state.bot_plays = true;
                }
                host.session(SessionEvent::Joined {
                    actor: Actor::Team(*team),
                    bot: true,
                });
            }
            host.notice(format!(
                "bots ({policy}) play the {} team seats until people join with their codes",
                teams.len()
            ));
        }
        if host.sim.is_finished() {
            host.enter_hot_wash();
        } else if host.stop_reached() {
            host.stop();
        }
        host
    }

    /// Takes in one input at time `now` (after anything that fell due by then).
    pub fn handle(&mut self, now: Instant, input: Input) {
        let now = now.max(self.now);
        self.now = now;
        self.run_due(now);
        if self.phase == Phase::Stopped {
            // Still answered, never dropped: a client waiting for an answer gets one.
            match input {
                Input::Received {
                    conn,
                    msg: ClientMsg::Submit { request_id, .. },
                } => self.send(
                    vec![conn],
                    ServerMsg::Result {
                        request_id,
                        outcome: Outcome::Denied(Denied::Finished),
                    },
                ),
                Input::Received { conn, .. } => self.error(conn, "the session is over"),
                _ => {}
            }
            return;
        }
        match input {
            Input::Connected { conn, peer, paced } => {
                self.conns.insert(
                    conn,
                    Conn {
                        peer,
                        seat: None,
                        bot: false,
                        watching: None,
                        paced,
                        view_unread: false,
                        view_owed: false,
                    },
                );
            }
            Input::ViewTaken { conn } => self.view_taken(conn),
            Input::Received { conn, msg } => self.received(conn, msg, now),
            Input::Disconnected { conn } => self.disconnected(conn, now),
            Input::Timeout => {}
            Input::Shutdown => {
                let tick = self.tick();
                self.session(SessionEvent::Note {
                    text: format!(
                        "the session was ended from the server's terminal at tick {tick}"
                    ),
                });
                self.stop();
            }
        }
    }

    /// When to call [`Self::handle`] with [`Input::Timeout`] if nothing arrives first.
    pub fn poll_timeout(&self) -> Option<Instant> {
        if self.phase == Phase::Stopped {
            return None;
        }
        let handback = self
            .bots
            .and(self.seats.values().filter_map(|s| s.vacated_at).min())
            .map(|left| left + self.bot_grace);
        [self.clock.due(), self.flush_due, handback]
            .into_iter()
            .flatten()
            .min()
    }

    /// The next thing to do, in order; `None` once everything was taken.
    pub fn poll_output(&mut self) -> Option<Output> {
        if self.out.is_empty() && !self.acted.is_empty() {
            let acted: Vec<Seat> = std::mem::take(&mut self.acted).into_iter().collect();
            self.push_views(&acted);
        }
        self.out.pop_front()
    }

    /// As [`Self::poll_output`], but `None` where the views of the seats whose commands
    /// were just accepted would be built: those views follow in [`Self::poll_output`].
    /// A caller that syncs its journal before delivering can so deliver the answers
    /// first, without their waiting for views to be built.
    pub fn poll_answer(&mut self) -> Option<Output> {
        self.out.pop_front()
    }

    /// The simulation (for its final state).
    pub fn simulation(&self) -> &Simulation {
        &self.sim
    }

    /// The journal as kept in memory: the header and every record so far.
    pub fn journal(&self) -> &Journal {
        &self.journal
    }

    /// The scenario's title.
    pub fn title(&self) -> &str {
        &self.sim.scenario().meta.title
    }

    /// The clock.
    pub fn clock(&self) -> &Clock {
        &self.clock
    }

    /// The session is over.
    pub fn is_stopped(&self) -> bool {
        self.phase == Phase::Stopped
    }

    /// What a seat is called on screens and in logs: the team's name, `Facilitator`,
    /// `Evaluator 1`.
    pub fn seat_name(&self, seat: Seat) -> String {
        let names = Names(self.sim.scenario());
        match seat {
            Seat::Team(team) => names.team(team),
            Seat::Facilitator => names.actor(Actor::Facilitator),
            Seat::Evaluator(n) => names::evaluator(n),
        }
    }

    fn received(&mut self, conn: ConnId, msg: ClientMsg, now: Instant) {
        let Some(state) = self.conns.get(&conn) else {
            return;
        };
        let Some(seat) = state.seat else {
            match msg {
                ClientMsg::Hello {
                    protocol_version,
                    code,
                    bot,
                } => self.hello(conn, protocol_version, &code, bot, now),
                other => {
                    self.refuse(
                        conn,
                        format!(
                            "the first frame must be `hello` with protocol_version and code, \
                             not `{}`",
                            kind(&other)
                        ),
                    );
                }
            }
            return;
        };
        match msg {
            ClientMsg::Hello { .. } => {
                self.error(conn, "already joined: `hello` is only the first frame")
            }
            ClientMsg::Ping => self.send(vec![conn], ServerMsg::Pong),
            ClientMsg::Submit {
                request_id,
                actor,
                command,
            } => self.submit(conn, seat, request_id, actor, command),
            ClientMsg::Ready => self.ready(conn, seat),
            ClientMsg::Pace { pace } => {
                if self.keeps_clock(conn, seat, "pace") {
                    self.set_pace(conn, pace, now);
                }
            }
            ClientMsg::Pause => {
                if self.keeps_clock(conn, seat, "pause") {
                    self.pause(now);
                }
            }
            ClientMsg::Resume => {
                if self.keeps_clock(conn, seat, "resume") {
                    self.resume(now);
                }
            }
            ClientMsg::Step => {
                if self.keeps_clock(conn, seat, "step") && self.phase == Phase::Playing {
                    self.advance(now, 1);
                }
            }
            ClientMsg::Advance { ticks } => {
                if self.keeps_clock(conn, seat, "advance") && self.phase == Phase::Playing {
                    self.advance(now, ticks);
                }
            }
            ClientMsg::Watch { seat: watched } => {
                if seat.sees_everything() {
                    self.watch(conn, watched);
                } else {
                    self.error(conn, "`watch` is for the facilitator only (and evaluators)");
                }
            }
            ClientMsg::Report => {
                if seat.sees_everything() {
                    self.out.push_back(Output::Report { to: conn });
                } else {
                    self.send(
                        vec![conn],
                        ServerMsg::ReportFailed {
                            reason: "only the facilitator writes the after-action report"
                                .to_string(),
                        },
                    );
                }
            }
            ClientMsg::Answer {
                module,
                question,
                text,
            } => self.answer(conn, seat, module, question, text),
            ClientMsg::Feedback { feedback } => self.feedback(conn, seat, feedback),
            ClientMsg::Note { about, text } => self.note(conn, seat, about, text, now),
            ClientMsg::End => {
                if self.keeps_clock(conn, seat, "end") {
                    let tick = self.tick();
                    self.session(SessionEvent::Note {
                        text: format!("the facilitator ended the session at tick {tick}"),
                    });
                    self.stop();
                }
            }
        }
    }

    /// Whether `seat` keeps the clock: the facilitator, or anyone playing alone; if not,
    /// tells the connection so.
    fn keeps_clock(&mut self, conn: ConnId, seat: Seat, what: &str) -> bool {
        if self.solo && !matches!(seat, Seat::Evaluator(_)) {
            return true;
        }
        self.facilitator_only(conn, seat, what)
    }

    /// Whether `seat` is the facilitator; if not, tells the connection so.
    fn facilitator_only(&mut self, conn: ConnId, seat: Seat, what: &str) -> bool {
        if seat == Seat::Facilitator {
            return true;
        }
        let denied = Denied::FacilitatorOnly {
            what: what.to_string(),
        };
        self.error(conn, &denied.to_string());
        false
    }
}

/// A client message's `type`, for errors.
fn kind(msg: &ClientMsg) -> &'static str {
    match msg {
        ClientMsg::Hello { .. } => "hello",
        ClientMsg::Submit { .. } => "submit",
        ClientMsg::Ready => "ready",
        ClientMsg::Pace { .. } => "pace",
        ClientMsg::Pause => "pause",
        ClientMsg::Resume => "resume",
        ClientMsg::Step => "step",
        ClientMsg::Advance { .. } => "advance",
        ClientMsg::Watch { .. } => "watch",
        ClientMsg::Report => "report",
        ClientMsg::Answer { .. } => "answer",
        ClientMsg::Feedback { .. } => "feedback",
        ClientMsg::Note { .. } => "note",
        ClientMsg::End => "end",
        ClientMsg::Ping => "ping",
    }
}
