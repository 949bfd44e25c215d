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
use cyberdrill_engine::journal::{Header, Record};
use cyberdrill_engine::policy::{Policy, bot_commands};
use cyberdrill_engine::scenario::model::TeamIdx;
use cyberdrill_engine::view::View;

use crate::client::{CommandOutcome, FromSession, Pace, SessionStatus, ToSession};
use crate::report::{Collector, ReportInput, html};

/// What a session needs of an exercise: the simulation facade plus the bots' policy.
pub trait Exercise: Send + 'static {
    /// Validates and applies a command; the engine's message, or its refusal in words.
    fn submit(&mut self, actor: Actor, command: Command) -> Result<String, String>;
    /// Advances one tick.
    fn step(&mut self);
    /// What `actor` may see now.
    fn view(&mut self, actor: Actor) -> View;
    /// The last tick has been simulated.
    fn is_finished(&self) -> bool;
    /// What the bot playing `team` does now.
    fn bot_commands(&mut self, team: TeamIdx) -> Vec<Command>;
    /// Writes the after-action report of the exercise so far; the file written, or why not.
    fn write_report(&mut self) -> Result<PathBuf, String>;
}

/// The engine's facade with a bot policy for the seats nobody took, keeping the
/// exercise's journal in memory so the facilitator can have its debrief report at any
/// time (APEC 2005 action area 8: exercises and lessons learned).
pub struct SimulationExercise {
    simulation: Simulation,
    policy: Policy,
    header: Header,
    /// Every accepted command (bots' and people's) and every step, in order.
    records: Vec<Record>,
    /// The facilitator's picture at every tick, for the report's charts.
    collector: Collector,
    /// Where reports are written.
    report_dir: PathBuf,
}

impl SimulationExercise {
    /// An exercise of `simulation` whose seats nobody took are played with `policy`;
    /// `header` names the scenario and seed in reports, written into `report_dir`.
    pub fn new(
        simulation: Simulation,
        policy: Policy,
        header: Header,
        report_dir: impl Into<PathBuf>,
    ) -> Self {
        let mut collector = Collector::default();
        collector.observe(&simulation.view(Actor::Facilitator));
        Self {
            simulation,
            policy,
            header,
            records: Vec::new(),
            collector,
            report_dir: report_dir.into(),
        }
    }

    /// The journal records kept so far.
    pub fn records(&self) -> &[Record] {
        &self.records
    }

    /// The report's file name: `cyberdrill-report-<scenario>-tick<N>.html`.
    fn report_path(&self) -> PathBuf {
        let stem = Path::new(&self.header.scenario_file)
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

    /// The report's HTML from the journal kept so far.
    fn render_report(&self) -> Result<String, String> {
        let metrics = serde_json::to_value(self.simulation.metrics())
            .map_err(|e| format!("cannot encode the metrics for the report: {e}"))?;
        let input = ReportInput::new(
            self.header.clone(),
            &self.records,
            self.simulation.view(Actor::Facilitator),
            self.collector.clone(),
            metrics,
            self.simulation.state_hash().to_hex(),
            None,
        );
        html::render(&input).map_err(|e| format!("cannot draw the report: {e:#}"))
    }
}

impl Exercise for SimulationExercise {
    fn submit(&mut self, actor: Actor, command: Command) -> Result<String, String> {
        let tick = self.simulation.tick();
        let accepted = self
            .simulation
            .submit(actor, command.clone())
            .map(|accepted| accepted.message)
            .map_err(|refusal| refusal.to_string())?;
        self.records.push(Record::Command {
            tick,
            actor,
            command,
        });
        Ok(accepted)
    }

    fn step(&mut self) {
        self.simulation.step();
        self.records.push(Record::Step {
            tick: self.simulation.tick(),
            state_hash: None,
        });
        self.collector
            .observe(&self.simulation.view(Actor::Facilitator));
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
    let (to_session, inbox) = mpsc::channel();
    let (outbox, from_session) = mpsc::channel();
    let thread = std::thread::spawn(move || {
        LocalSession {
            exercise,
            seat,
            bots,
            pace: Pace::Paused,
            watching: seat,
            outbox,
            next_tick: None,
        }
        .run(inbox)
    });
    SessionLink {
        to_session,
        from_session,
        thread,
    }
}

struct LocalSession<E: Exercise> {
    exercise: E,
    seat: Actor,
    bots: Vec<TeamIdx>,
    pace: Pace,
    watching: Actor,
    outbox: Sender<FromSession>,
    /// When the next real-time tick is due (running pace only).
    next_tick: Option<Instant>,
}

impl<E: Exercise> LocalSession<E> {
    fn run(mut self, inbox: Receiver<ToSession>) {
        self.send_status();
        self.send_views();
        loop {
            let message = match self.next_tick {
                Some(due) => {
                    let wait = due.saturating_duration_since(Instant::now());
                    match inbox.recv_timeout(wait) {
                        Ok(message) => Some(message),
                        Err(RecvTimeoutError::Timeout) => None,
                        Err(RecvTimeoutError::Disconnected) => return,
                    }
                }
                None => match inbox.recv() {
                    Ok(message) => Some(message),
                    Err(_) => return,
                },
            };
            match message {
                Some(ToSession::Shutdown) => return,
                Some(message) => self.handle(message),
                None => {}
            }
            if self.next_tick.is_some_and(|due| Instant::now() >= due) {
                self.tick();
                self.schedule_next_tick();
            }
        }
    }

    fn handle(&mut self, message: ToSession) {
        match message {
            ToSession::Submit { actor, command } => self.submit(actor, command),
            ToSession::SetPace(pace) => {
                self.pace = pace;
                self.schedule_next_tick();
                self.send_status();
            }
            ToSession::Step => self.tick(),
            ToSession::Ready => {
                if self.pace == Pace::TurnBased {
                    // One human seat in a local session: ready means everyone is.
                    self.tick();
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

    fn submit(&mut self, actor: Actor, command: Command) {
        let label = command.label().to_string();
        let result = if actor != self.seat {
            Err("this seat can only act for itself".to_string())
        } else {
            self.exercise.submit(actor, command)
        };
        let accepted = result.is_ok();
        self.send(FromSession::Outcome(CommandOutcome { label, result }));
        if accepted {
            self.send_views();
        }
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
    fn tick(&mut self) {
        if self.exercise.is_finished() {
            self.pace = Pace::Paused;
            self.next_tick = None;
            self.send_status();
            return;
        }
        for team in self.bots.clone() {
            for command in self.exercise.bot_commands(team) {
                // A bot's refused command is its own business; the bot tries again later.
                let _ = self.exercise.submit(Actor::Team(team), command);
            }
        }
        self.exercise.step();
        if self.exercise.is_finished() {
            self.pace = Pace::Paused;
            self.next_tick = None;
        }
        self.send_status();
        self.send_views();
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
        fn submit(&mut self, actor: Actor, command: Command) -> Result<String, String> {
            self.record(format!("{actor:?} {}", command.label()));
            match command {
                Command::Restore { .. } => Err("the asset is still compromised".to_string()),
                _ => Ok(format!("{} accepted", command.label())),
            }
        }
        fn step(&mut self) {
            self.tick += 1;
            self.record(format!("step {}", self.tick));
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
}
