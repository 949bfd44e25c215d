//! A local session: the exercise on its own thread beside the interface. It owns the
//! simulation, advances it at the chosen pace, lets bots play the seats nobody took,
//! takes `(Actor, Command)`s from the interface over a channel and sends back views,
//! command outcomes and its status, exactly as a server will over the network.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use cyberdrill_engine::Simulation;
use cyberdrill_engine::command::{Actor, Command};
use cyberdrill_engine::journal::{
    Header, Journal, JournalWriter, Pace as JournalPace, Record, SessionEvent, read_journal,
};
use cyberdrill_engine::policy::{Policy, bot_commands};
use cyberdrill_engine::scenario::model::TeamIdx;
use cyberdrill_engine::view::View;

use crate::client::{CommandOutcome, FromSession, Pace, SessionStatus, ToSession};
use crate::report::{self, ReportError, html};

/// The exercise cannot go on: its journal could not be written, so what happens next
/// would not be recorded. The session stops and the interface shows why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fatal(pub String);

/// What a session needs of an exercise: the simulation facade plus the bots' policy.
pub trait Exercise: Send + 'static {
    /// Validates and applies a command: the engine's message, or its refusal in words
    /// (inner); [`Fatal`] when an accepted command could not be journaled.
    fn submit(&mut self, actor: Actor, command: Command) -> Result<Result<String, String>, Fatal>;
    /// Advances one tick; [`Fatal`] when the step could not be journaled.
    fn step(&mut self) -> Result<(), Fatal>;
    /// What `actor` may see now.
    fn view(&mut self, actor: Actor) -> View;
    /// The last tick has been simulated.
    fn is_finished(&self) -> bool;
    /// What the bot playing `team` does now.
    fn bot_commands(&mut self, team: TeamIdx) -> Vec<Command>;
    /// Writes the after-action report of the exercise so far; the file written, or why not.
    fn write_report(&mut self) -> Result<PathBuf, String>;
    /// Journals something that happened to the session (its clock), not to the world;
    /// [`Fatal`] when it could not be journaled.
    fn session_event(&mut self, event: SessionEvent) -> Result<(), Fatal>;
}

/// The engine's facade with a bot policy for the seats nobody took, journaling the
/// exercise as it is played: always in memory, so that the facilitator can have a
/// verified debrief report at any time (APEC 2005 action area 8: exercises and lessons
/// learned), and on disk too with `play --journal`, in the format and with the
/// durability of `serve --journal` (each record synced before it is acknowledged).
pub struct SimulationExercise {
    simulation: Simulation,
    policy: Policy,
    /// Header and every accepted command (bots' and people's) and every step with its
    /// state hash, in order: what replays to this exercise.
    journal: Journal,
    /// The journal file, when the exercise is journaled to disk.
    writer: Option<JournalWriter>,
    /// Where reports are written.
    report_dir: PathBuf,
}

impl SimulationExercise {
    /// An exercise of `simulation` whose seats nobody took are played with `policy`,
    /// journaled in memory; `header` names the scenario and seed in reports, written
    /// into `report_dir`.
    pub fn new(
        simulation: Simulation,
        policy: Policy,
        header: Header,
        report_dir: impl Into<PathBuf>,
    ) -> Self {
        Self {
            simulation,
            policy,
            journal: Journal::new(header),
            writer: None,
            report_dir: report_dir.into(),
        }
    }

    /// The same exercise, journaled to disk as well through `writer` (a journal just
    /// created with this exercise's header, before anything has happened).
    pub fn journaled_to(mut self, writer: JournalWriter) -> Self {
        self.writer = Some(writer);
        self
    }

    /// The journal records kept so far.
    pub fn records(&self) -> &[Record] {
        &self.journal.records
    }

    /// The state hash of the simulation now (hex), as `replay` prints it.
    pub fn state_hash(&self) -> String {
        self.simulation.state_hash().to_hex()
    }

    /// The ticks simulated so far.
    pub fn tick(&self) -> u32 {
        self.simulation.tick()
    }

    /// Appends `record` to the journal: on disk first (synced), then in memory.
    fn record(&mut self, record: Record) -> Result<(), Fatal> {
        if let Some(writer) = self.writer.as_mut() {
            writer.append(&record).map_err(|e| {
                Fatal(format!(
                    "{e}; the exercise stopped here, and the journal holds everything up to this point"
                ))
            })?;
        }
        self.journal.records.push(record);
        Ok(())
    }

    /// The report's file name: `cyberdrill-report-<scenario>-tick<N>.html`.
    fn report_path(&self) -> PathBuf {
        let stem = Path::new(&self.journal.header.scenario_file)
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let mut name: String = stem
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '-' {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        if name.is_empty() {
            name = "exercise".to_string();
        }
        self.report_dir.join(format!(
            "cyberdrill-report-{name}-tick{}.html",
            self.simulation.tick()
        ))
    }

    /// The report's HTML, made as `cyberdrill report` makes it: by replaying the
    /// journal (the file, when there is one, else the one in memory) and checking
    /// every recorded state hash on the way.
    fn render_report(&self) -> Result<String, String> {
        let from_disk;
        let journal = match &self.writer {
            Some(writer) => {
                from_disk = read_journal(writer.path()).map_err(|e| {
                    format!("the journal does not verify, so no report was written: {e}")
                })?;
                &from_disk
            }
            None => &self.journal,
        };
        let input = report::from_journal(journal).map_err(|e| match e {
            ReportError::Replay(e) => {
                format!("the journal does not verify, so no report was written: {e}")
            }
            other => other.to_string(),
        })?;
        html::render(&input).map_err(|e| format!("cannot draw the report: {e:#}"))
    }
}

impl Exercise for SimulationExercise {
    fn submit(&mut self, actor: Actor, command: Command) -> Result<Result<String, String>, Fatal> {
        let tick = self.simulation.tick();
        let accepted = match self.simulation.submit(actor, command.clone()) {
            Ok(accepted) => accepted.message,
            Err(refusal) => return Ok(Err(refusal.to_string())),
        };
        self.record(Record::Command {
            tick,
            actor,
            command,
            request_id: None,
        })?;
        Ok(Ok(accepted))
    }

    fn step(&mut self) -> Result<(), Fatal> {
        let before = self.simulation.tick();
        self.simulation.step();
        let tick = self.simulation.tick();
        if tick == before {
            return Ok(());
        }
        let state_hash = Some(self.simulation.state_hash().to_hex());
        self.record(Record::Step { tick, state_hash })
    }

    fn write_report(&mut self) -> Result<PathBuf, String> {
        let text = self.render_report()?;
        let path = self.report_path();
        std::fs::write(&path, text).map_err(|e| {
            format!(
                "cannot write the report to {}: {e}; check that the directory exists and is writable",
                path.display()
            )
        })?;
        Ok(path)
    }

    fn view(&mut self, actor: Actor) -> View {
        self.simulation.view(actor)
    }

    fn is_finished(&self) -> bool {
        self.simulation.is_finished()
    }

    fn bot_commands(&mut self, team: TeamIdx) -> Vec<Command> {
        bot_commands(&self.simulation, team, self.policy)
    }

    fn session_event(&mut self, event: SessionEvent) -> Result<(), Fatal> {
        let tick = self.simulation.tick();
        self.record(Record::Session { tick, event })
    }
}

/// The clock as a journal records it: the last pace set (`None`: the clock has not
/// started yet) and whether it is paused, as [`Journal::clock`] reads it back.
pub type JournaledClock = (Option<JournalPace>, bool);

/// The session events that take a journal's clock from `journaled` to the local
/// session's `pace`, and the journaled clock after them. A local pause keeps the pace
/// it paused (as `serve` does: `Paused`, then `Resumed` at the same pace); running
/// again at another speed journals the new pace before the resume.
pub fn clock_events(journaled: JournaledClock, pace: Pace) -> (Vec<SessionEvent>, JournaledClock) {
    let (journaled_pace, was_paused) = journaled;
    let (new_pace, paused) = match pace {
        Pace::Paused => (journaled_pace, true),
        Pace::Running { ms_per_tick } => (
            Some(JournalPace::RealTime {
                millis_per_tick: u64::from(ms_per_tick),
            }),
            false,
        ),
        Pace::TurnBased => (Some(JournalPace::TurnBased), false),
    };
    let mut events = Vec::new();
    if let Some(set) = new_pace.filter(|_| new_pace != journaled_pace) {
        events.push(SessionEvent::PaceChanged { pace: set });
    }
    match (was_paused, paused) {
        (false, true) => events.push(SessionEvent::Paused),
        (true, false) => events.push(SessionEvent::Resumed { paused_ms: None }),
        _ => {}
    }
    (events, (new_pace, paused))
}

/// The interface's ends of a running session's channels.
pub struct SessionLink {
    pub to_session: Sender<ToSession>,
    pub from_session: Receiver<FromSession>,
    pub thread: JoinHandle<()>,
}

/// Starts `exercise` on its own thread for `seat`; `bots` play those teams (in this
/// order, before every tick). The session starts paused and sends the first view at once.
pub fn spawn_local(exercise: impl Exercise, seat: Actor, bots: Vec<TeamIdx>) -> SessionLink {
    spawn_local_returning(exercise, seat, bots).0
}

/// As [`spawn_local`]; when the session ends, the exercise comes back on the receiver
/// (for its final state: `play` prints the journal's final state hash).
pub fn spawn_local_returning<E: Exercise>(
    exercise: E,
    seat: Actor,
    bots: Vec<TeamIdx>,
) -> (SessionLink, Receiver<E>) {
    let (to_session, inbox) = mpsc::channel();
    let (outbox, from_session) = mpsc::channel();
    let (give_back, returned) = mpsc::sync_channel(1);
    let thread = std::thread::spawn(move || {
        let exercise = LocalSession {
            exercise,
            seat,
            bots,
            pace: Pace::Paused,
            journaled: (None, false),
            watching: seat,
            outbox,
            next_tick: None,
        }
        .run(inbox);
        // Nobody may be waiting for it (plain `spawn_local`).
        let _ = give_back.send(exercise);
    });
    let link = SessionLink {
        to_session,
        from_session,
        thread,
    };
    (link, returned)
}

struct LocalSession<E: Exercise> {
    exercise: E,
    seat: Actor,
    bots: Vec<TeamIdx>,
    pace: Pace,
    /// The clock as the journal has it. The session starts paused but journals nothing
    /// until the clock is first set: a journal's clock starts "not started".
    journaled: JournaledClock,
    watching: Actor,
    outbox: Sender<FromSession>,
    /// When the next real-time tick is due (running pace only).
    next_tick: Option<Instant>,
}

impl<E: Exercise> LocalSession<E> {
    /// Serves the interface until it shuts down or leaves, or the exercise cannot go
    /// on; gives the exercise back.
    fn run(mut self, inbox: Receiver<ToSession>) -> E {
        if let Err(Fatal(reason)) = self.serve(inbox) {
            self.send(FromSession::Failed(reason));
        }
        self.exercise
    }

    fn serve(&mut self, inbox: Receiver<ToSession>) -> Result<(), Fatal> {
        self.send_status();
        self.send_views();
        loop {
            let message = match self.next_tick {
                Some(due) => {
                    let wait = due.saturating_duration_since(Instant::now());
                    match inbox.recv_timeout(wait) {
                        Ok(message) => Some(message),
                        Err(RecvTimeoutError::Timeout) => None,
                        Err(RecvTimeoutError::Disconnected) => return Ok(()),
                    }
                }
                None => match inbox.recv() {
                    Ok(message) => Some(message),
                    Err(_) => return Ok(()),
                },
            };
            match message {
                Some(ToSession::Shutdown) => return Ok(()),
                Some(message) => self.handle(message)?,
                None => {}
            }
            if self.next_tick.is_some_and(|due| Instant::now() >= due) {
                self.tick()?;
                self.schedule_next_tick();
            }
        }
    }

    fn handle(&mut self, message: ToSession) -> Result<(), Fatal> {
        match message {
            ToSession::Submit { actor, command } => self.submit(actor, command)?,
            ToSession::SetPace(pace) => {
                self.journal_clock(pace)?;
                self.pace = pace;
                self.schedule_next_tick();
                self.send_status();
            }
            ToSession::Step => self.tick()?,
            ToSession::Ready => {
                if self.pace == Pace::TurnBased {
                    // One human seat in a local session: ready means everyone is.
                    self.tick()?;
                }
            }
            ToSession::Watch(actor) => {
                if self.seat == Actor::Facilitator {
                    self.watching = actor;
                    self.send_status();
                    self.send_views();
                }
            }
            ToSession::Report => self.write_report(),
            ToSession::Shutdown => {}
        }
        Ok(())
    }

    /// Journals the clock change to `pace`, as `serve` journals its facilitator's.
    /// Setting the pace it already has journals nothing.
    fn journal_clock(&mut self, pace: Pace) -> Result<(), Fatal> {
        if pace == self.pace {
            return Ok(());
        }
        let (events, journaled) = clock_events(self.journaled, pace);
        for event in events {
            self.exercise.session_event(event)?;
        }
        self.journaled = journaled;
        Ok(())
    }

    /// The facilitator's report of the exercise so far, answered as an outcome.
    fn write_report(&mut self) {
        let result = if self.seat == Actor::Facilitator {
            self.exercise
                .write_report()
                .map(|path| format!("written to {}", path.display()))
        } else {
            Err("only the facilitator writes the after-action report".to_string())
        };
        self.send(FromSession::Outcome(CommandOutcome {
            label: "report".to_string(),
            result,
        }));
    }

    fn submit(&mut self, actor: Actor, command: Command) -> Result<(), Fatal> {
        let label = command.label().to_string();
        let result = if actor != self.seat {
            Err("this seat can only act for itself".to_string())
        } else {
            self.exercise.submit(actor, command)?
        };
        let accepted = result.is_ok();
        self.send(FromSession::Outcome(CommandOutcome { label, result }));
        if accepted {
            self.send_views();
        }
        Ok(())
    }

    fn schedule_next_tick(&mut self) {
        self.next_tick = match self.pace {
            Pace::Running { ms_per_tick } if !self.exercise.is_finished() => {
                Some(Instant::now() + Duration::from_millis(u64::from(ms_per_tick)))
            }
            _ => None,
        };
    }

    /// Bots act for their seats, then the world advances one tick.
    fn tick(&mut self) -> Result<(), Fatal> {
        if self.exercise.is_finished() {
            self.pace = Pace::Paused;
            self.next_tick = None;
            self.send_status();
            return Ok(());
        }
        for team in self.bots.clone() {
            for command in self.exercise.bot_commands(team) {
                // A bot's refused command is its own business; the bot tries again later.
                let _refused = self.exercise.submit(Actor::Team(team), command)?;
            }
        }
        self.exercise.step()?;
        if self.exercise.is_finished() {
            self.pace = Pace::Paused;
            self.next_tick = None;
        }
        self.send_status();
        self.send_views();
        Ok(())
    }

    fn send_views(&mut self) {
        let own = self.exercise.view(self.seat);
        self.send(FromSession::View(Box::new(own)));
        if self.watching != self.seat {
            let watched = self.exercise.view(self.watching);
            self.send(FromSession::Watched(Box::new(watched)));
        }
    }

    fn send_status(&mut self) {
        self.send(FromSession::Status(SessionStatus {
            pace: self.pace,
            finished: self.exercise.is_finished(),
            watching: self.watching,
            bot_seats: self.bots.len(),
            presence: None,
        }));
    }

    fn send(&mut self, message: FromSession) {
        // If the interface has gone, the next receive on the inbox ends the session.
        let _ = self.outbox.send(message);
    }
}

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Mutex};

    use cyberdrill_engine::command::Recipient;

    use super::*;
    use crate::fixture;

    /// A small exercise that records what reached it: ticks advance the fixture view's
    /// clock; restores are refused, as an engine would refuse them.
    struct Recorder {
        log: Arc<Mutex<Vec<String>>>,
        tick: u32,
        last: u32,
    }

    impl Exercise for Recorder {
        fn submit(
            &mut self,
            actor: Actor,
            command: Command,
        ) -> Result<Result<String, String>, Fatal> {
            self.record(format!("{actor:?} {}", command.label()));
            Ok(match command {
                Command::Restore { .. } => Err("the asset is still compromised".to_string()),
                _ => Ok(format!("{} accepted", command.label())),
            })
        }
        fn step(&mut self) -> Result<(), Fatal> {
            self.tick += 1;
            self.record(format!("step {}", self.tick));
            Ok(())
        }
        fn view(&mut self, actor: Actor) -> View {
            let mut view = fixture::team_view();
            view.viewer = actor;
            view.tick = self.tick;
            view
        }
        fn is_finished(&self) -> bool {
            self.tick >= self.last
        }
        fn write_report(&mut self) -> Result<PathBuf, String> {
            self.record("report".to_string());
            Err("the recorder keeps no report".to_string())
        }
        fn bot_commands(&mut self, team: TeamIdx) -> Vec<Command> {
            vec![Command::Message {
                to: Recipient::All,
                text: format!("bot {} here", team.0),
            }]
        }
        fn session_event(&mut self, event: SessionEvent) -> Result<(), Fatal> {
            self.record(format!("session {event:?} at {}", self.tick));
            Ok(())
        }
    }

    impl Recorder {
        fn record(&self, entry: String) {
            if let Ok(mut log) = self.log.lock() {
                log.push(entry);
            }
        }
    }

    fn start(seat: Actor, last: u32) -> (SessionLink, Arc<Mutex<Vec<String>>>) {
        let log = Arc::new(Mutex::new(Vec::new()));
        let exercise = Recorder {
            log: Arc::clone(&log),
            tick: 0,
            last,
        };
        (
            spawn_local(exercise, seat, vec![TeamIdx(1), TeamIdx(2)]),
            log,
        )
    }

    /// Receives until a view of `tick` arrives (or the session ends), returning everything.
    fn until_view_of(link: &SessionLink, tick: u32) -> Vec<FromSession> {
        let mut seen = Vec::new();
        while let Ok(message) = link.from_session.recv_timeout(Duration::from_secs(10)) {
            let done = matches!(&message, FromSession::View(v) if v.tick == tick);
            seen.push(message);
            if done {
                break;
            }
        }
        seen
    }

    fn finish(link: SessionLink) {
        let _ = link.to_session.send(ToSession::Shutdown);
        assert!(link.thread.join().is_ok(), "the session thread panicked");
    }

    #[test]
    fn step_lets_bots_act_in_team_order_then_advances() {
        let seat = Actor::Team(TeamIdx(0));
        let (link, log) = start(seat, 48);
        until_view_of(&link, 0);
        let _ = link.to_session.send(ToSession::Step);
        until_view_of(&link, 1);
        let entries = log.lock().map(|l| l.clone()).unwrap_or_default();
        assert_eq!(
            entries,
            vec![
                "Team(TeamIdx(1)) message",
                "Team(TeamIdx(2)) message",
                "step 1"
            ]
        );
        finish(link);
    }

    #[test]
    fn refusals_come_back_in_words_and_seats_act_only_for_themselves() {
        let seat = Actor::Team(TeamIdx(0));
        let (link, log) = start(seat, 48);
        until_view_of(&link, 0);
        let restore = Command::Restore {
            asset: cyberdrill_engine::scenario::model::AssetIdx(2),
        };
        let _ = link.to_session.send(ToSession::Submit {
            actor: seat,
            command: restore.clone(),
        });
        let _ = link.to_session.send(ToSession::Submit {
            actor: Actor::Team(TeamIdx(1)),
            command: restore,
        });
        let mut outcomes = Vec::new();
        while outcomes.len() < 2 {
            match link.from_session.recv_timeout(Duration::from_secs(10)) {
                Ok(FromSession::Outcome(o)) => outcomes.push(o.result),
                Ok(_) => {}
                Err(e) => panic!("no outcome: {e}"),
            }
        }
        assert_eq!(
            outcomes,
            vec![
                Err("the asset is still compromised".to_string()),
                Err("this seat can only act for itself".to_string())
            ]
        );
        // The impersonation never reached the exercise.
        assert_eq!(log.lock().map(|l| l.len()).unwrap_or(0), 1);
        finish(link);
    }

    #[test]
    fn running_pace_advances_by_itself_and_stops_at_the_end() {
        let (link, _log) = start(Actor::Facilitator, 3);
        until_view_of(&link, 0);
        let _ = link
            .to_session
            .send(ToSession::SetPace(Pace::Running { ms_per_tick: 100 }));
        let seen = until_view_of(&link, 3);
        let last_status = seen.iter().rev().find_map(|m| match m {
            FromSession::Status(s) => Some(s.clone()),
            _ => None,
        });
        let status = last_status.expect("statuses are sent after every tick");
        assert!(status.finished);
        assert_eq!(status.pace, Pace::Paused);
        finish(link);
    }

    /// An exercise whose journal cannot be written: every step fails.
    struct UnwritableJournal;

    impl Exercise for UnwritableJournal {
        fn submit(&mut self, _: Actor, _: Command) -> Result<Result<String, String>, Fatal> {
            Ok(Ok("accepted".to_string()))
        }
        fn step(&mut self) -> Result<(), Fatal> {
            Err(Fatal(
                "cannot write to journal drill.journal: disk full".to_string(),
            ))
        }
        fn view(&mut self, actor: Actor) -> View {
            let mut view = fixture::team_view();
            view.viewer = actor;
            view
        }
        fn is_finished(&self) -> bool {
            false
        }
        fn bot_commands(&mut self, _: TeamIdx) -> Vec<Command> {
            Vec::new()
        }
        fn write_report(&mut self) -> Result<PathBuf, String> {
            Err("no report".to_string())
        }
        fn session_event(&mut self, _: SessionEvent) -> Result<(), Fatal> {
            Ok(())
        }
    }

    #[test]
    fn a_journal_failure_stops_the_session_and_says_why() {
        let (link, returned) =
            spawn_local_returning(UnwritableJournal, Actor::Facilitator, Vec::new());
        let _ = link.to_session.send(ToSession::Step);
        let reason = loop {
            match link.from_session.recv_timeout(Duration::from_secs(10)) {
                Ok(FromSession::Failed(reason)) => break reason,
                Ok(_) => {}
                Err(e) => panic!("no failure reported: {e}"),
            }
        };
        assert!(reason.contains("disk full"), "{reason}");
        // The session has ended by itself and handed the exercise back.
        assert!(link.thread.join().is_ok());
        assert!(returned.recv_timeout(Duration::from_secs(10)).is_ok());
    }

    #[test]
    fn the_facilitator_watching_a_team_receives_both_views() {
        let (link, _log) = start(Actor::Facilitator, 48);
        until_view_of(&link, 0);
        let _ = link
            .to_session
            .send(ToSession::Watch(Actor::Team(TeamIdx(1))));
        let watched = loop {
            match link.from_session.recv_timeout(Duration::from_secs(10)) {
                Ok(FromSession::Watched(view)) => break view,
                Ok(_) => {}
                Err(e) => panic!("no watched view: {e}"),
            }
        };
        assert_eq!(watched.viewer, Actor::Team(TeamIdx(1)));
        finish(link);
    }

    #[test]
    fn the_local_pace_maps_onto_the_journal_pace_and_paused_flag() {
        let second = JournalPace::RealTime {
            millis_per_tick: 1000,
        };
        let running = Pace::Running { ms_per_tick: 1000 };
        // The first start journals the pace, not a resume.
        assert_eq!(
            clock_events((None, false), running),
            (
                vec![SessionEvent::PaceChanged { pace: second }],
                (Some(second), false)
            )
        );
        // A pause keeps the pace; resuming at it journals only the resume.
        assert_eq!(
            clock_events((Some(second), false), Pace::Paused),
            (vec![SessionEvent::Paused], (Some(second), true))
        );
        assert_eq!(
            clock_events((Some(second), true), running),
            (
                vec![SessionEvent::Resumed { paused_ms: None }],
                (Some(second), false)
            )
        );
        // Leaving a pause for another pace journals both, the pace first.
        assert_eq!(
            clock_events((Some(second), true), Pace::TurnBased),
            (
                vec![
                    SessionEvent::PaceChanged {
                        pace: JournalPace::TurnBased
                    },
                    SessionEvent::Resumed { paused_ms: None }
                ],
                (Some(JournalPace::TurnBased), false)
            )
        );
    }

    #[test]
    fn pace_changes_pauses_and_resumes_reach_the_exercise_with_their_tick() {
        let (link, log) = start(Actor::Facilitator, 48);
        until_view_of(&link, 0);
        let _ = link.to_session.send(ToSession::SetPace(Pace::TurnBased));
        let _ = link.to_session.send(ToSession::Step);
        until_view_of(&link, 1);
        let _ = link.to_session.send(ToSession::SetPace(Pace::Paused));
        // The pace it already has: nothing to journal.
        let _ = link.to_session.send(ToSession::SetPace(Pace::Paused));
        let _ = link.to_session.send(ToSession::Step);
        until_view_of(&link, 2);
        let _ = link.to_session.send(ToSession::SetPace(Pace::TurnBased));
        let _ = link.to_session.send(ToSession::Step);
        until_view_of(&link, 3);
        let sessions: Vec<String> = log
            .lock()
            .map(|l| l.clone())
            .unwrap_or_default()
            .into_iter()
            .filter(|e| e.starts_with("session"))
            .collect();
        assert_eq!(
            sessions,
            vec![
                "session PaceChanged { pace: TurnBased } at 0",
                "session Paused at 1",
                "session Resumed { paused_ms: None } at 2",
            ]
        );
        finish(link);
    }
}
