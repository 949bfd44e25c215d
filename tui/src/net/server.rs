//! The authoritative exercise server behind `cyberdrill serve`.
//!
//! One task, the exercise, owns the simulation and the journal and is the only code
//! that touches them; it advances ticks (on a timer or when every team is ready),
//! puts each checked request to the simulation, journals what was accepted (on disk
//! before the acknowledgement leaves), and pushes each seat only its own view.
//! Requests are taken in batches of whatever has arrived: their records are written,
//! synced to disk once (group commit: one flush, not one per command), and only then
//! are the answers and views of the batch sent.
//! Connection tasks ([`super::connection`]) do the talking; the exercise never waits
//! on a peer: a peer whose queue is full is dropped (DESIGN.md, "Exercise sessions").

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use bytes::Bytes;
use cyberdrill_engine::Simulation;
use cyberdrill_engine::command::{Actor, Command, Recipient};
use cyberdrill_engine::journal::{JournalWriter, Record, SessionEvent};
use cyberdrill_engine::scenario::model::{EconomyIdx, TeamIdx};
use cyberdrill_engine::view::HistoryWindow;
use tokio::net::TcpListener;
use tokio::sync::mpsc;
use tokio::time::{Instant, sleep_until};
use tokio_util::sync::CancellationToken;

use super::codes::JoinCodes;
use super::connection::{self, ConnId, Event, Gate, Limits};
use super::protocol::{
    self, ClientMsg, Denied, Outcome, PROTOCOL_VERSION, Pace, ServerMsg, Status,
};

/// An exercise ready to be hosted: the simulation (fresh or resumed), its seats and
/// codes, and where it is journaled.
pub struct Hosted {
    pub sim: Simulation,
    pub title: String,
    /// `(id, name)` of each team, in index order.
    pub teams: Vec<(String, String)>,
    pub codes: JoinCodes,
    pub journal: Option<JournalWriter>,
}

/// How the server runs the exercise.
#[derive(Debug, Clone)]
pub struct ServerConfig {
    pub pace: Pace,
    /// Start with the clock stopped until the facilitator resumes it.
    pub paused: bool,
    /// End the exercise (and `serve`) once this many ticks are complete.
    pub stop_at: Option<u32>,
    pub limits: Limits,
    /// Views of seats touched by another team's command are pushed at most this often.
    pub view_flush: Duration,
}

impl Default for ServerConfig {
    fn default() -> Self {
        ServerConfig {
            pace: Pace::TurnBased,
            paused: false,
            stop_at: None,
            limits: Limits::default(),
            view_flush: Duration::from_millis(100),
        }
    }
}

/// How the exercise ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ending {
    pub tick: u32,
    /// Hex state hash at the final tick.
    pub state_hash: String,
}

/// Serves the exercise on `listener` until it ends (its last tick, or `stop_at`).
pub async fn serve(
    listener: TcpListener,
    hosted: Hosted,
    config: ServerConfig,
) -> anyhow::Result<Ending> {
    let team_ids: Vec<String> = hosted.teams.iter().map(|(id, _)| id.clone()).collect();
    let gate = Arc::new(Gate {
        codes: hosted.codes.clone(),
        team_ids,
    });
    let (events_tx, events_rx) = mpsc::channel(4096);
    let stop_accepting = CancellationToken::new();
    let accept = tokio::spawn(accept_connections(
        listener,
        gate,
        config.limits.clone(),
        events_tx,
        stop_accepting.clone(),
    ));
    let mut exercise = Exercise::new(hosted, &config);
    let ending = exercise.run(events_rx, &config).await;
    stop_accepting.cancel();
    let _ = accept.await;
    ending
}

/// Accepts connections and gives each its own task, until told to stop.
async fn accept_connections(
    listener: TcpListener,
    gate: Arc<Gate>,
    limits: Limits,
    events: mpsc::Sender<Event>,
    stop: CancellationToken,
) {
    let mut next_conn: ConnId = 0;
    loop {
        let accepted = tokio::select! {
            _ = stop.cancelled() => return,
            accepted = listener.accept() => accepted,
        };
        match accepted {
            Ok((stream, _peer)) => {
                next_conn += 1;
                tokio::spawn(connection::run_connection(
                    stream,
                    next_conn,
                    gate.clone(),
                    limits.clone(),
                    events.clone(),
                ));
            }
            // Out of file descriptors and the like: wait a little rather than spin.
            Err(_) => tokio::time::sleep(Duration::from_millis(50)).await,
        }
    }
}

/// A joined connection as the exercise sees it.
struct Conn {
    seat: Actor,
    outbox: mpsc::Sender<Bytes>,
    kick: CancellationToken,
    /// The facilitator's connection: the team whose view it also receives.
    watching: Option<TeamIdx>,
    /// Played by `cyberdrill bot`: a bot is ready as soon as it has moved, so bots
    /// alone never end a turn.
    bot: bool,
}

/// The state the exercise task owns.
struct Exercise {
    hosted: Hosted,
    conns: BTreeMap<ConnId, Conn>,
    pace: Pace,
    paused: bool,
    stop_at: Option<u32>,
    /// Turn-based: teams ready for the next tick.
    ready: BTreeSet<TeamIdx>,
    /// Seats whose view changed since it was last pushed.
    stale: BTreeSet<Actor>,
    /// For each seat with connections, the tick through which all of them were sent
    /// the economies' history: later views carry only newer points.
    history_sent: BTreeMap<Actor, u32>,
    /// Real-time pace: when the next tick is due.
    next_tick: Option<Instant>,
    /// Seats whose own command was accepted in this batch: their view goes out with it.
    acted: BTreeSet<Actor>,
    /// Frames of this batch, sent once its journal records are on disk.
    outgoing: Vec<(ConnId, Bytes)>,
}

/// Most events taken in one batch, so that a flood cannot hold answers back for long.
const MAX_BATCH: usize = 256;

impl Exercise {
    fn new(hosted: Hosted, config: &ServerConfig) -> Self {
        let mut exercise = Exercise {
            hosted,
            conns: BTreeMap::new(),
            pace: config.pace,
            paused: config.paused,
            stop_at: config.stop_at,
            ready: BTreeSet::new(),
            stale: BTreeSet::new(),
            history_sent: BTreeMap::new(),
            next_tick: None,
            acted: BTreeSet::new(),
            outgoing: Vec::new(),
        };
        exercise.schedule_next_tick(Instant::now());
        exercise
    }

    async fn run(
        &mut self,
        mut events: mpsc::Receiver<Event>,
        config: &ServerConfig,
    ) -> anyhow::Result<Ending> {
        let mut flush = tokio::time::interval(config.view_flush);
        flush.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        while !self.is_over() {
            let due = self.next_tick;
            tokio::select! {
                event = events.recv() => match event {
                    Some(event) => {
                        self.handle(event)?;
                        for _ in 1..MAX_BATCH {
                            match events.try_recv() {
                                Ok(event) => self.handle(event)?,
                                Err(_) => break,
                            }
                        }
                    }
                    None => break,
                },
                _ = sleep_until(due.unwrap_or_else(Instant::now)), if due.is_some() => {
                    self.advance()?;
                    if let Some(due) = due {
                        self.schedule_next_tick(due);
                    }
                }
                _ = flush.tick() => self.push_stale_views(),
            }
            self.commit()?;
        }
        self.finish(&mut events).await
    }

    fn tick(&self) -> u32 {
        self.hosted.sim.tick()
    }

    fn is_over(&self) -> bool {
        self.hosted.sim.is_finished() || self.stop_at.is_some_and(|stop| self.tick() >= stop)
    }

    /// Real-time pace and not paused: the next tick is one period after `from`
    /// (or now, if the server fell behind).
    fn schedule_next_tick(&mut self, from: Instant) {
        self.next_tick = match self.pace {
            Pace::RealTime { millis_per_tick } if !self.paused => {
                let due = from + Duration::from_millis(millis_per_tick);
                Some(due.max(Instant::now()))
            }
            _ => None,
        };
    }

    fn handle(&mut self, event: Event) -> anyhow::Result<()> {
        match event {
            Event::Joined {
                conn,
                seat,
                bot,
                outbox,
                kick,
            } => self.join(conn, seat, bot, outbox, kick)?,
            Event::Left { conn } => self.leave(conn)?,
            Event::Request { conn, msg } => {
                let Some(seat) = self.conns.get(&conn).map(|c| c.seat) else {
                    return Ok(());
                };
                self.request(conn, seat, msg)?;
            }
        }
        Ok(())
    }

    fn join(
        &mut self,
        conn: ConnId,
        seat: Actor,
        bot: bool,
        outbox: mpsc::Sender<Bytes>,
        kick: CancellationToken,
    ) -> anyhow::Result<()> {
        let first_of_seat = !self.is_connected(seat);
        self.conns.insert(
            conn,
            Conn {
                seat,
                outbox,
                kick,
                watching: None,
                bot,
            },
        );
        let welcome = ServerMsg::Welcome {
            protocol_version: PROTOCOL_VERSION,
            seat,
            seat_name: self.seat_name(seat),
            title: self.hosted.title.clone(),
            status: self.status(),
        };
        self.send(conn, protocol::encode(&welcome));
        // A new connection has no history yet: it gets all of it. The seat's other
        // connections already hold it through this tick.
        let view = self.view_frame(seat, None);
        self.send(conn, view);
        if first_of_seat {
            self.history_sent.insert(seat, self.tick());
        }
        self.session(SessionEvent::Joined { actor: seat, bot })?;
        self.broadcast_status();
        Ok(())
    }

    fn leave(&mut self, conn: ConnId) -> anyhow::Result<()> {
        let Some(gone) = self.conns.remove(&conn) else {
            return Ok(());
        };
        gone.kick.cancel();
        if !self.is_connected(gone.seat) {
            self.history_sent.remove(&gone.seat);
        }
        self.session(SessionEvent::Left { actor: gone.seat })?;
        // The exercise goes on without it; in turn-based pace the others may now all
        // be ready.
        self.broadcast_status();
        self.advance_if_all_ready()
    }

    fn request(&mut self, conn: ConnId, seat: Actor, msg: ClientMsg) -> anyhow::Result<()> {
        match msg {
            ClientMsg::Submit {
                request_id,
                actor,
                command,
            } => {
                let touched = self.seats_touched_by(&command);
                let outcome = self.submit(seat, actor, command)?;
                let accepted = matches!(outcome, Outcome::Accepted(_));
                self.send(
                    conn,
                    protocol::encode(&ServerMsg::Result {
                        request_id,
                        outcome,
                    }),
                );
                if accepted {
                    // The submitter sees its new task with the answer; others whose
                    // view the command touched (messages, assistance) at the next flush.
                    self.acted.insert(seat);
                    self.stale
                        .extend(touched.into_iter().filter(|s| *s != seat));
                }
            }
            ClientMsg::Ready => match seat {
                Actor::Team(team) => {
                    if !self.is_over() {
                        self.ready.insert(team);
                        self.broadcast_status();
                        self.advance_if_all_ready()?;
                    }
                }
                Actor::Facilitator => self.error(
                    conn,
                    "the facilitator does not take turns: use `step` to advance a tick",
                ),
            },
            ClientMsg::Pace { pace } => {
                if self.facilitator_only(conn, seat, "pace") {
                    self.pace = pace;
                    self.schedule_next_tick(Instant::now());
                    self.session(SessionEvent::PaceChanged { pace })?;
                    self.broadcast_status();
                    self.advance_if_all_ready()?;
                }
            }
            ClientMsg::Pause => {
                if self.facilitator_only(conn, seat, "pause") && !self.paused {
                    self.paused = true;
                    self.next_tick = None;
                    self.session(SessionEvent::Paused)?;
                    self.broadcast_status();
                }
            }
            ClientMsg::Resume => {
                if self.facilitator_only(conn, seat, "resume") && self.paused {
                    self.paused = false;
                    self.schedule_next_tick(Instant::now());
                    self.session(SessionEvent::Resumed { paused_ms: None })?;
                    self.broadcast_status();
                    self.advance_if_all_ready()?;
                }
            }
            ClientMsg::Watch { seat: watched } => {
                if self.facilitator_only(conn, seat, "watch") {
                    self.watch(conn, watched);
                }
            }
            ClientMsg::Step => {
                if self.facilitator_only(conn, seat, "step") && !self.is_over() {
                    self.advance()?;
                }
            }
            // Answered by the connection task itself.
            ClientMsg::Hello { .. } | ClientMsg::Ping => {}
        }
        Ok(())
    }

    /// Puts one command to the simulation as `seat`, after the server's own checks;
    /// an accepted command is on disk before this returns.
    fn submit(&mut self, seat: Actor, asked: Actor, command: Command) -> anyhow::Result<Outcome> {
        if asked != seat {
            return Ok(Outcome::Denied(Denied::NotYourSeat { seat, asked }));
        }
        if command.is_facilitator_only() && seat != Actor::Facilitator {
            return Ok(Outcome::Denied(Denied::FacilitatorOnly {
                what: command.label().to_string(),
            }));
        }
        if self.is_over() {
            return Ok(Outcome::Denied(Denied::Finished));
        }
        let tick = self.tick();
        match self.hosted.sim.submit(seat, command.clone()) {
            Ok(accepted) => {
                self.journal(Record::Command {
                    tick,
                    actor: seat,
                    command,
                    request_id: None,
                })?;
                Ok(Outcome::Accepted(accepted))
            }
            Err(error) => Ok(Outcome::Rejected(error)),
        }
    }

    /// Whether `seat` is the facilitator; if not, tells the connection so.
    fn facilitator_only(&mut self, conn: ConnId, seat: Actor, what: &str) -> bool {
        if seat == Actor::Facilitator {
            return true;
        }
        let denied = Denied::FacilitatorOnly {
            what: what.to_string(),
        };
        self.error(conn, &denied.to_string());
        false
    }

    /// Turn-based pace: advances when every connected team is ready and at least one
    /// of them is played by people. Bots say they are ready as soon as they have moved:
    /// alone they would race through the whole exercise before anyone joined.
    fn advance_if_all_ready(&mut self) -> anyhow::Result<()> {
        if self.pace != Pace::TurnBased || self.paused || self.is_over() {
            return Ok(());
        }
        let people_play = self
            .conns
            .values()
            .any(|c| !c.bot && matches!(c.seat, Actor::Team(_)));
        let connected = self.connected_teams();
        if people_play && connected.iter().all(|t| self.ready.contains(t)) {
            self.advance()?;
        }
        Ok(())
    }

    /// One tick: step the simulation, journal the step with its state hash, push every
    /// seat its new view and the new status.
    fn advance(&mut self) -> anyhow::Result<()> {
        self.hosted.sim.step();
        let tick = self.tick();
        let state_hash = self.hosted.sim.state_hash().to_string();
        self.journal(Record::Step {
            tick,
            state_hash: Some(state_hash),
        })?;
        self.ready.clear();
        self.stale.clear();
        self.acted.clear();
        for seat in self.seats() {
            self.push_view(seat);
        }
        self.broadcast_status();
        Ok(())
    }

    /// Tells everyone the exercise is over and lets the frames drain.
    async fn finish(&mut self, events: &mut mpsc::Receiver<Event>) -> anyhow::Result<Ending> {
        let ending = Ending {
            tick: self.tick(),
            state_hash: self.hosted.sim.state_hash().to_string(),
        };
        for seat in self.seats() {
            self.push_view(seat);
        }
        self.broadcast_status();
        let done = protocol::encode(&ServerMsg::Finished {
            tick: ending.tick,
            state_hash: ending.state_hash.clone(),
        });
        for conn in self.conns.keys().copied().collect::<Vec<_>>() {
            self.send(conn, done.clone());
        }
        self.commit()?;
        // Give the writers a moment to deliver the last frames, then close. Requests
        // still arriving meanwhile are answered (the exercise has ended), not dropped.
        let grace = tokio::time::sleep(Duration::from_millis(200));
        tokio::pin!(grace);
        loop {
            tokio::select! {
                _ = &mut grace => break,
                event = events.recv() => match event {
                    Some(event) => {
                        self.handle(event)?;
                        self.commit()?;
                    }
                    None => break,
                },
            }
        }
        for conn in self.conns.values() {
            conn.kick.cancel();
        }
        Ok(ending)
    }

    /// Journals a session event and tells the facilitator's terminal (the one running
    /// `serve`) in words: who came and went, and what happened to the clock.
    fn session(&mut self, event: SessionEvent) -> anyhow::Result<()> {
        let what = match &event {
            SessionEvent::Joined { actor, bot } => format!(
                "{} joined{}",
                self.seat_name(*actor),
                if *bot { " (a bot)" } else { "" }
            ),
            SessionEvent::Left { actor } => format!("{} left", self.seat_name(*actor)),
            SessionEvent::PaceChanged { pace } => {
                format!("pace set to {}", protocol::pace_label(*pace))
            }
            SessionEvent::Paused => "paused".to_string(),
            SessionEvent::Resumed { .. } => "resumed".to_string(),
            SessionEvent::ResumedFromJournal => "resumed from its journal".to_string(),
            SessionEvent::SeatCodes { .. } => "join codes recorded".to_string(),
            SessionEvent::Note { text } => text.clone(),
            other => format!("{other:?}"),
        };
        // A closed stdout (`serve | head`) must not stop the exercise: the journal has it.
        let _ = writeln!(std::io::stdout(), "tick {}: {what}", self.tick());
        self.journal(Record::Session {
            tick: self.tick(),
            event,
        })
    }

    /// Writes a record; it is on disk, and its command acknowledged, at [`Self::commit`].
    fn journal(&mut self, record: Record) -> anyhow::Result<()> {
        let Some(journal) = self.hosted.journal.as_mut() else {
            return Ok(());
        };
        journal.write(&record).with_context(journal_lost)
    }

    /// Ends a batch: syncs its journal records to disk, then sends its frames (answers
    /// only leave once what they acknowledge is durable), with the views of the seats
    /// that acted.
    fn commit(&mut self) -> anyhow::Result<()> {
        for seat in std::mem::take(&mut self.acted) {
            if self.is_connected(seat) {
                self.push_view(seat);
            }
        }
        if let Some(journal) = self.hosted.journal.as_mut() {
            // fsync blocks: let the runtime move other tasks off this thread meanwhile.
            tokio::task::block_in_place(|| journal.sync()).with_context(journal_lost)?;
        }
        for (conn, frame) in std::mem::take(&mut self.outgoing) {
            self.deliver(conn, frame);
        }
        Ok(())
    }

    fn status(&self) -> Status {
        let connected: Vec<Actor> = self
            .connected_teams()
            .into_iter()
            .map(Actor::Team)
            .collect();
        Status {
            tick: self.tick(),
            pace: self.pace,
            paused: self.paused,
            connected,
            ready: self.ready.iter().copied().map(Actor::Team).collect(),
            finished: self.is_over(),
        }
    }

    fn broadcast_status(&mut self) {
        let frame = protocol::encode(&ServerMsg::Status {
            status: self.status(),
        });
        for conn in self.conns.keys().copied().collect::<Vec<_>>() {
            self.send(conn, frame.clone());
        }
    }

    fn connected_teams(&self) -> BTreeSet<TeamIdx> {
        self.conns
            .values()
            .filter_map(|c| match c.seat {
                Actor::Team(t) => Some(t),
                Actor::Facilitator => None,
            })
            .collect()
    }

    /// Seats with at least one connection, in seat order.
    fn seats(&self) -> BTreeSet<Actor> {
        self.conns.values().map(|c| c.seat).collect()
    }

    /// Whether `seat` has at least one connection.
    fn is_connected(&self, seat: Actor) -> bool {
        self.conns.values().any(|c| c.seat == seat)
    }

    fn seat_name(&self, seat: Actor) -> String {
        match seat {
            Actor::Team(t) => self
                .hosted
                .teams
                .get(t.index())
                .map(|(_, name)| name.clone())
                .unwrap_or_else(|| format!("team #{}", t.0)),
            Actor::Facilitator => "Facilitator".to_string(),
        }
    }

    /// The seat's view, with only the history after `history_after` (`None`: all).
    fn view_frame(&self, seat: Actor, history_after: Option<u32>) -> Bytes {
        let window = history_after.map_or(HistoryWindow::Full, HistoryWindow::After);
        protocol::encode(&ServerMsg::View {
            view: Box::new(self.hosted.sim.view_with(seat, window)),
            history_after,
        })
    }

    /// Sends the seat's connections its current view, with the history they lack, and
    /// the facilitator's the views of the teams they watch.
    fn push_view(&mut self, seat: Actor) {
        let tick = self.tick();
        let history_after = self.history_sent.insert(seat, tick);
        let view = self.view_frame(seat, history_after);
        self.send_to_seat(seat, view);
        if seat == Actor::Facilitator {
            let watchers: Vec<(ConnId, TeamIdx)> = self
                .conns
                .iter()
                .filter_map(|(id, c)| c.watching.map(|team| (*id, team)))
                .collect();
            let mut frames: BTreeMap<TeamIdx, Bytes> = BTreeMap::new();
            for (conn, team) in watchers {
                let frame = frames
                    .entry(team)
                    .or_insert_with(|| self.watched_frame(team))
                    .clone();
                self.send(conn, frame);
            }
        }
    }

    /// A team's view for a facilitator watching it, without history (the client has it).
    fn watched_frame(&self, team: TeamIdx) -> Bytes {
        protocol::encode(&ServerMsg::Watched {
            view: Box::new(
                self.hosted
                    .sim
                    .view_with(Actor::Team(team), HistoryWindow::Omitted),
            ),
        })
    }

    /// A facilitator's connection starts (or, watching its own seat, stops) receiving
    /// another team's view.
    fn watch(&mut self, conn: ConnId, seat: Actor) {
        let team = match seat {
            Actor::Team(team) if team.index() < self.hosted.teams.len() => Some(team),
            Actor::Team(team) => {
                let teams = self.hosted.teams.len();
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
            self.send(conn, frame);
        }
    }

    /// Seats whose view a command can change besides the submitter's: the recipients
    /// of messages, shared indicators, assistance and legal requests, everyone for
    /// facilitator actions, and always the facilitator, who sees everything. Other
    /// actions change only the submitter's own economy until the next tick.
    fn seats_touched_by(&self, command: &Command) -> BTreeSet<Actor> {
        let scenario = self.hosted.sim.scenario();
        let teams_of = |economies: &[EconomyIdx]| -> Vec<Actor> {
            scenario
                .teams
                .iter()
                .enumerate()
                .filter(|(_, t)| economies.contains(&t.economy))
                .map(|(i, _)| Actor::Team(TeamIdx(i as u32)))
                .collect()
        };
        let everyone = || -> Vec<Actor> {
            (0..scenario.teams.len() as u32)
                .map(|i| Actor::Team(TeamIdx(i)))
                .collect()
        };
        let mut touched: BTreeSet<Actor> = match command {
            Command::Message { to, .. } => match to {
                Recipient::Team(t) => vec![Actor::Team(*t)],
                Recipient::Economy(e) => teams_of(&[*e]),
                Recipient::Facilitator => Vec::new(),
                Recipient::All => everyone(),
            },
            Command::ShareIndicators { with, .. } => teams_of(with),
            Command::RequestAssistance { from, .. } => teams_of(&[*from]),
            Command::ProvideAssistance { to, .. } => vec![Actor::Team(*to)],
            Command::MutualLegalAssistance { to, .. } => teams_of(&[*to]),
            Command::FireInject { .. } | Command::EditInject { .. } | Command::Broadcast { .. } => {
                everyone()
            }
            _ => Vec::new(),
        }
        .into_iter()
        .collect();
        touched.insert(Actor::Facilitator);
        touched
    }

    fn push_stale_views(&mut self) {
        for seat in std::mem::take(&mut self.stale) {
            if self.is_connected(seat) {
                self.push_view(seat);
            }
        }
    }

    fn send_to_seat(&mut self, seat: Actor, frame: Bytes) {
        let conns: Vec<ConnId> = self
            .conns
            .iter()
            .filter(|(_, c)| c.seat == seat)
            .map(|(id, _)| *id)
            .collect();
        for conn in conns {
            self.send(conn, frame.clone());
        }
    }

    fn error(&mut self, conn: ConnId, message: &str) {
        let frame = protocol::encode(&ServerMsg::Error {
            message: message.to_string(),
        });
        self.send(conn, frame);
    }

    /// Queues a frame for the end of the batch ([`Self::commit`]).
    fn send(&mut self, conn: ConnId, frame: Bytes) {
        self.outgoing.push((conn, frame));
    }

    /// Hands a frame to the connection's writer without waiting. A peer whose queue is
    /// full is too slow to keep up: it is disconnected (it can rejoin and get its
    /// current view).
    fn deliver(&mut self, conn: ConnId, frame: Bytes) {
        let Some(c) = self.conns.get(&conn) else {
            return;
        };
        if c.outbox.try_send(frame).is_err() {
            c.kick.cancel();
            // Its task reports `Left`, which journals the departure.
        }
    }
}

fn journal_lost() -> &'static str {
    "the exercise stopped because its journal can no longer be written; \
     free disk space or fix the file, then continue with `serve --resume`"
}
