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

pub mod auth;
pub mod bots;
pub mod clock;
pub mod local;
pub mod report;
pub mod requests;
#[cfg(test)]
mod tests;

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::net::IpAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use cyberdrill_engine::Simulation;
use cyberdrill_engine::command::{Actor, Command};
use cyberdrill_engine::journal::{Journal, NoteSubject, Record, SessionEvent};
use cyberdrill_engine::policy::Policy;
use cyberdrill_engine::scenario::model::{EconomyIdx, Module, TeamIdx};
use cyberdrill_engine::view::HistoryWindow;

use crate::client::{Discussion, Feedback, Seat};
use crate::net::codes::JoinCodes;
use crate::net::protocol::{
    ClientMsg, Denied, Frame, MAX_TEXT_CHARS, Outcome, PROTOCOL_VERSION, ServerMsg, Status,
};
use auth::{Gate, Refusal};
pub use clock::{Clock, Pace};
use requests::{Requests, Seen};

/// A connection's number, given by the caller, unique for the host's lifetime.
pub type ConnId = u64;

/// Something that happened, handed to [`Host::handle`] with the time it happened.
#[derive(Debug, Clone, PartialEq)]
pub enum Input {
    /// A connection opened: a TCP peer at `peer`, or a seat in this process (`None`). It
    /// must say `hello` first.
    Connected { conn: ConnId, peer: Option<IpAddr> },
    /// A message from a connection.
    Received { conn: ConnId, msg: ClientMsg },
    /// The connection is gone.
    Disconnected { conn: ConnId },
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
            Input::Connected { conn, peer } => {
                self.conns.insert(
                    conn,
                    Conn {
                        peer,
                        seat: None,
                        bot: false,
                        watching: None,
                    },
                );
            }
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
        match seat {
            Seat::Team(t) => self
                .sim
                .scenario()
                .teams
                .get(t.index())
                .map_or_else(|| format!("team #{}", t.0), |team| team.name.clone()),
            Seat::Facilitator => "Facilitator".to_string(),
            Seat::Evaluator(n) => format!("Evaluator {}", n + 1),
        }
    }

    // ---- inputs -------------------------------------------------------------------

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

    fn hello(&mut self, conn: ConnId, version: u32, code: &str, bot: bool, now: Instant) {
        if version != PROTOCOL_VERSION {
            self.refuse(
                conn,
                format!(
                    "this server speaks protocol version {PROTOCOL_VERSION}, the client \
                     version {version}: use a cyberdrill of the same release as the server"
                ),
            );
            return;
        }
        let peer = self.conns.get(&conn).and_then(|c| c.peer);
        let seat = match self.gate.check(code, peer, now) {
            Ok(seat) => seat,
            Err(refusal) => {
                if let (Refusal::Wrong { strikes, wait }, Some(addr)) = (&refusal, peer) {
                    let then = if wait.is_zero() {
                        String::new()
                    } else {
                        format!("; its next code is checked in {} s", wait.as_secs())
                    };
                    self.log(format!(
                        "refused a wrong join code from {addr} ({strikes} in a row{then})"
                    ));
                }
                self.refuse(conn, refusal.reason());
                return;
            }
        };
        let taken_from = self.seats.get(&seat).and_then(|s| s.holder);
        if let Some(old) = taken_from {
            self.take_over(old, seat, peer);
        }
        if let Some(c) = self.conns.get_mut(&conn) {
            c.seat = Some(seat);
            c.bot = bot;
        }
        let had_bot = match self.seats.get_mut(&seat) {
            Some(state) => {
                state.holder = Some(conn);
                state.history_sent = None;
                state.vacated_at = None;
                std::mem::take(&mut state.bot_plays)
            }
            None => false,
        };
        let next_request_id = self.seats.get(&seat).map_or(1, |s| s.requests.next_id());
        let name = self.seat_name(seat);
        let welcome = ServerMsg::Welcome {
            protocol_version: PROTOCOL_VERSION,
            seat,
            seat_name: name.clone(),
            title: self.title().to_string(),
            status: self.status(),
            next_request_id,
        };
        self.send(vec![conn], welcome);
        self.push_views(&[seat]);
        if taken_from.is_none() {
            if let Some(actor) = seat.actor() {
                self.session(SessionEvent::Joined { actor, bot });
            }
            let who = if bot { " (a bot)" } else { "" };
            let from_bot = if had_bot {
                ", taking the seat over from the bot"
            } else {
                ""
            };
            self.notice(format!("{name} joined{who}{from_bot}"));
        }
        if self.phase == Phase::HotWash {
            let finished = self.finished_msg();
            self.send(vec![conn], finished);
        }
        self.broadcast_status();
    }

    /// Another connection presented `seat`'s code: the one holding it is told and closed.
    fn take_over(&mut self, old: ConnId, seat: Seat, by: Option<IpAddr>) {
        self.conns.remove(&old);
        let from = by.map_or_else(|| "this machine".to_string(), |a| a.to_string());
        self.send(
            vec![old],
            ServerMsg::Replaced {
                reason: format!(
                    "another connection (from {from}) joined with this seat's code and took \
                     the seat over; if that was not your team, tell the facilitator"
                ),
            },
        );
        self.out.push_back(Output::Close { conn: old });
        if let Some(actor) = seat.actor() {
            self.session(SessionEvent::TakenOver { actor });
        }
        let name = self.seat_name(seat);
        self.notice(format!(
            "{name}: a new connection from {from} took the seat over; the previous one was closed"
        ));
    }

    fn disconnected(&mut self, conn: ConnId, now: Instant) {
        let Some(gone) = self.conns.remove(&conn) else {
            return;
        };
        let Some(seat) = gone.seat else {
            return;
        };
        let bots = self.bots.is_some();
        if let Some(state) = self.seats.get_mut(&seat) {
            if state.holder != Some(conn) {
                return;
            }
            state.holder = None;
            state.history_sent = None;
            state.ready = false;
            if bots && matches!(seat, Seat::Team(_)) {
                state.vacated_at = Some(now);
            }
        }
        if let Some(actor) = seat.actor() {
            self.session(SessionEvent::Left { actor });
        }
        let name = self.seat_name(seat);
        let then = if bots && matches!(seat, Seat::Team(_)) {
            format!(
                "; the bot plays it if nobody is back within {} s",
                self.bot_grace.as_secs()
            )
        } else {
            String::new()
        };
        self.notice(format!("{name} left{then}"));
        self.broadcast_status();
        self.advance_if_all_ready(now);
    }

    // ---- requests -----------------------------------------------------------------

    fn submit(
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
                Err(error) => Outcome::Rejected(error),
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
    fn run_command(
        &mut self,
        actor: Actor,
        command: Command,
        request_id: Option<u64>,
    ) -> Result<cyberdrill_engine::Accepted, cyberdrill_engine::CommandError> {
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

    fn ready(&mut self, conn: ConnId, seat: Seat) {
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

    fn set_pace(&mut self, conn: ConnId, pace: Pace, now: Instant) {
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

    fn pause(&mut self, now: Instant) {
        if self.phase == Phase::Playing && self.clock.pause(now) {
            self.session(SessionEvent::Paused);
            self.log_clock("paused".to_string());
            self.broadcast_status();
        }
    }

    fn resume(&mut self, now: Instant) {
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

    fn watch(&mut self, conn: ConnId, watched: Actor) {
        let team = match watched {
            Actor::Team(team) if team.index() < self.sim.scenario().teams.len() => Some(team),
            Actor::Team(team) => {
                let teams = self.sim.scenario().teams.len();
                self.error(
                    conn,
                    &format!(
                        "there is no team #{} to watch: teams are #0 to #{}",
                        team.0,
                        teams.saturating_sub(1)
                    ),
                );
                return;
            }
            Actor::Facilitator => None,
        };
        if let Some(c) = self.conns.get_mut(&conn) {
            c.watching = team;
        }
        if let Some(team) = team {
            let frame = self.watched_frame(team);
            self.out.push_back(Output::Send {
                to: vec![conn],
                frame,
            });
        }
    }

    fn answer(&mut self, conn: ConnId, seat: Seat, module: u32, question: u32, text: String) {
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

    fn feedback(&mut self, conn: ConnId, seat: Seat, feedback: Feedback) {
        let Some(by) = seat.actor() else {
            self.error(conn, "evaluators write notes rather than the feedback form");
            return;
        };
        let Feedback {
            went_well,
            to_improve,
            improvement,
            owner,
        } = feedback;
        let checked = [
            ("what went well", went_well),
            ("what to improve", to_improve),
            ("improvement", improvement),
            ("owner", owner),
        ]
        .into_iter()
        .map(|(what, text)| self.checked_length(conn, what, text))
        .collect::<Option<Vec<String>>>();
        let Some([went_well, to_improve, improvement, owner]) =
            checked.and_then(|v| <[String; 4]>::try_from(v).ok())
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

    fn note(&mut self, conn: ConnId, seat: Seat, about: NoteSubject, text: String, now: Instant) {
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
    fn checked_text(&mut self, conn: ConnId, what: &str, text: String) -> Option<String> {
        if text.trim().is_empty() {
            self.error(conn, &format!("the {what} is empty"));
            return None;
        }
        self.checked_length(conn, what, text)
    }

    fn checked_length(&mut self, conn: ConnId, what: &str, text: String) -> Option<String> {
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

    // ---- time ---------------------------------------------------------------------

    /// Does what fell due by `now`: a real-time tick, seats handed back to bots, views
    /// of seats touched by others' commands.
    fn run_due(&mut self, now: Instant) {
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

    /// The host's bot starts playing `team`'s seat.
    fn bot_takes(&mut self, team: TeamIdx, what: &str) {
        let seat = Seat::Team(team);
        let Some(state) = self.seats.get_mut(&seat) else {
            return;
        };
        if state.holder.is_some() || state.bot_plays {
            return;
        }
        state.bot_plays = true;
        self.session(SessionEvent::Joined {
            actor: Actor::Team(team),
            bot: true,
        });
        let name = self.seat_name(seat);
        self.notice(format!("{name}: the bot {what}"));
    }

    /// Turn-based pace: a tick when every connected team is ready and at least one of
    /// them is played by people. Bots say they are ready as soon as they have moved:
    /// alone they would race through the exercise before anyone joined.
    fn advance_if_all_ready(&mut self, now: Instant) {
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
    fn advance(&mut self, now: Instant, ticks: u32) {
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
    fn step_world(&mut self, now: Instant) {
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
    fn bots_move(&mut self) {
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

    /// Economies where a person (not a program) holds a team seat.
    fn economies_with_people(&self) -> BTreeSet<EconomyIdx> {
        let scenario = self.sim.scenario();
        self.seats
            .iter()
            .filter_map(|(seat, state)| {
                let Seat::Team(team) = seat else { return None };
                let holder = state.holder?;
                let person = self.conns.get(&holder).is_some_and(|c| !c.bot);
                person
                    .then(|| scenario.teams.get(team.index()).map(|t| t.economy))
                    .flatten()
            })
            .collect()
    }

    /// The module (other than the last) that ends at `tick`.
    fn module_ending_at(&self, tick: u32) -> Option<usize> {
        self.modules
            .windows(2)
            .position(|pair| pair[1].start == tick)
    }

    fn module_break(&mut self, module: usize, now: Instant) {
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
    fn enter_hot_wash(&mut self) {
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

    fn stop_reached(&self) -> bool {
        self.stop_at.is_some_and(|stop| self.tick() >= stop)
    }

    /// Ends the session: everyone is told (that the exercise finished, if they were not
    /// yet, and that the session is over), then the caller stops.
    fn stop(&mut self) {
        if self.phase == Phase::Stopped {
            return;
        }
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

    fn finished_msg(&self) -> ServerMsg {
        ServerMsg::Finished {
            tick: self.tick(),
            state_hash: self.sim.state_hash().to_hex(),
        }
    }

    fn schedule_flush(&mut self) {
        if self.flush_due.is_none() && !self.stale.is_empty() {
            self.flush_due = Some(self.now + self.view_flush);
        }
    }

    // ---- what is sent -------------------------------------------------------------

    fn tick(&self) -> u32 {
        self.sim.tick()
    }

    fn status(&self) -> Status {
        let mut connected = Vec::new();
        let mut ready = Vec::new();
        let mut bots = Vec::new();
        for (seat, state) in &self.seats {
            let Seat::Team(team) = seat else { continue };
            let actor = Actor::Team(*team);
            if state.holder.is_some() {
                connected.push(actor);
            }
            if state.ready {
                ready.push(actor);
            }
            if state.bot_plays {
                bots.push(actor);
            }
        }
        Status {
            tick: self.tick(),
            pace: self.clock.pace(),
            paused: self.clock.is_paused(),
            connected,
            ready,
            bots,
            finished: self.phase != Phase::Playing,
            discussion: self.discussion.clone(),
        }
    }

    fn broadcast_status(&mut self) {
        let status = ServerMsg::Status {
            status: self.status(),
        };
        let everyone = self.joined_conns();
        self.send(everyone, status);
    }

    /// Sends each of `seats` that has a holder its view (with the history it lacks), and
    /// the watched teams' views to facilitator and evaluators who watch one. A view is
    /// built once for all the seats that see the same.
    fn push_views(&mut self, seats: &[Seat]) {
        let tick = self.tick();
        let mut frames: BTreeMap<(Actor, Option<u32>), Arc<Frame>> = BTreeMap::new();
        let mut watched: BTreeMap<TeamIdx, Arc<Frame>> = BTreeMap::new();
        for seat in seats {
            let Some(state) = self.seats.get_mut(seat) else {
                continue;
            };
            let Some(holder) = state.holder else { continue };
            let history_after = state.history_sent.replace(tick);
            let viewer = seat.viewer();
            let frame = frames
                .entry((viewer, history_after))
                .or_insert_with(|| {
                    let window = history_after.map_or(HistoryWindow::Full, HistoryWindow::After);
                    Arc::new(Frame::new(ServerMsg::View {
                        view: Box::new(self.sim.view_with(viewer, window)),
                        history_after,
                    }))
                })
                .clone();
            self.out.push_back(Output::Send {
                to: vec![holder],
                frame,
            });
            if let Some(team) = self.conns.get(&holder).and_then(|c| c.watching) {
                let frame = watched
                    .entry(team)
                    .or_insert_with(|| self.watched_frame(team))
                    .clone();
                self.out.push_back(Output::Send {
                    to: vec![holder],
                    frame,
                });
            }
        }
    }

    /// A team's view for someone watching it, without history (the client has it).
    fn watched_frame(&self, team: TeamIdx) -> Arc<Frame> {
        Arc::new(Frame::new(ServerMsg::Watched {
            view: Box::new(
                self.sim
                    .view_with(Actor::Team(team), HistoryWindow::Omitted),
            ),
        }))
    }

    /// Seats whose view a command can change besides the submitter's: those the
    /// engine names ([`Simulation::audience`]: the seats a command addresses, the
    /// facilitator), and the evaluators, who see everything.
    fn seats_touched_by(&self, command: &Command) -> BTreeSet<Seat> {
        let mut touched: BTreeSet<Seat> = self
            .sim
            .audience(command)
            .into_iter()
            .map(Seat::from)
            .collect();
        touched.extend(self.seats.keys().filter(|s| s.sees_everything()).copied());
        touched
    }

    fn held_seats(&self) -> Vec<Seat> {
        self.seats
            .iter()
            .filter(|(_, s)| s.holder.is_some())
            .map(|(seat, _)| *seat)
            .collect()
    }

    fn team_seats(&self) -> Vec<TeamIdx> {
        (0..self.sim.scenario().teams.len() as u32)
            .map(TeamIdx)
            .collect()
    }

    /// Connections that hold a seat, in seat order.
    fn joined_conns(&self) -> Vec<ConnId> {
        self.seats.values().filter_map(|s| s.holder).collect()
    }

    fn send(&mut self, to: Vec<ConnId>, msg: ServerMsg) {
        if to.is_empty() {
            return;
        }
        self.out.push_back(Output::Send {
            to,
            frame: Arc::new(Frame::new(msg)),
        });
    }

    fn error(&mut self, conn: ConnId, message: &str) {
        self.send(
            vec![conn],
            ServerMsg::Error {
                message: message.to_string(),
            },
        );
    }

    /// Refuses a connection's handshake and closes it.
    fn refuse(&mut self, conn: ConnId, reason: String) {
        self.conns.remove(&conn);
        self.send(vec![conn], ServerMsg::Refused { reason });
        self.out.push_back(Output::Close { conn });
    }

    /// Tells the console, the facilitator and the evaluators about the table.
    fn notice(&mut self, text: String) {
        self.log(format!("tick {}: {text}", self.tick()));
        let watchers: Vec<ConnId> = self
            .seats
            .iter()
            .filter(|(seat, _)| seat.sees_everything())
            .filter_map(|(_, s)| s.holder)
            .collect();
        self.send(watchers, ServerMsg::Notice { text });
    }

    fn log(&mut self, line: String) {
        self.out.push_back(Output::Log(line));
    }

    /// A clock change for the console (the seats learn it from the status).
    fn log_clock(&mut self, what: String) {
        self.log(format!("tick {}: {what}", self.tick()));
    }

    /// Journals a session event at the current tick.
    fn session(&mut self, event: SessionEvent) {
        self.record(Record::Session {
            tick: self.tick(),
            event,
        });
    }

    fn record(&mut self, record: Record) {
        self.journal.records.push(record.clone());
        self.out.push_back(Output::Journal(record));
    }

    /// Journals how the clock differs from what the journal last said.
    fn journal_clock_from(&mut self, (pace, paused): (Option<Pace>, bool)) {
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
