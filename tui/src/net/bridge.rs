//! The seat's side of the protocol, whatever carries it: what the interface asks
//! ([`ToSession`]) becomes protocol messages for the host, and what the host sends
//! ([`ServerMsg`]) becomes what the interface shows ([`FromSession`]).
//!
//! `join` puts a bridge between the interface and a TCP connection, `play` between the
//! interface and a host on the next thread, and a seat served over SSH between the
//! interface the server runs for it and the host in the same process. The bridge keeps
//! what a seat's client must remember: the economies' history and the directory received
//! so far (views arrive with only the newest points, and without the directory after the
//! first: [`ViewBook`]), the requests not yet answered (sent again with
//! the same ids after a reconnect: the host runs each once), whom the facilitator
//! watches, and the last status. After-action reports arrive as HTML and are written
//! into the interface's report directory.

use std::collections::BTreeMap;
use std::path::PathBuf;

use cyberdrill_engine::command::Actor;
use cyberdrill_engine::scenario::model::TeamIdx;
use cyberdrill_engine::view::{HistoryBook, View};

use crate::client::{CommandOutcome, FromSession, Presence, Seat, SessionStatus, ToSession};
use crate::net::protocol::{ClientMsg, Directory, ServerMsg, Status};

/// What a client keeps of the views it was sent, to complete the next ones: views
/// carry only the history points not sent before, and the directory only in the first.
#[derive(Debug, Clone, Default)]
pub struct ViewBook {
    history: HistoryBook,
    directory: Option<Directory>,
}

impl ViewBook {
    /// Completes a [`ServerMsg::View`]'s view into the whole view; an error when the
    /// host's views skipped something (a new connection mends it).
    pub fn complete(&mut self, view: &mut View, history_after: Option<u32>) -> Result<(), String> {
        const MEND: &str = "rejoining gets the whole view";
        self.history
            .complete(view, history_after)
            .map_err(|e| format!("{e}: the server's views skipped part of the history; {MEND}"))?;
        match (history_after, &self.directory) {
            (None, _) => self.directory = Some(Directory::of(view)),
            (Some(_), Some(directory)) => directory.fill(view),
            (Some(_), None) => {
                return Err(format!(
                    "a view without the directory of teams came before the first view; {MEND}"
                ));
            }
        }
        Ok(())
    }

    /// Gives a [`ServerMsg::Watched`] view the history and directory kept from this
    /// seat's own views (both are public).
    pub fn fill(&self, view: &mut View) {
        self.history.fill(view);
        if let Some(directory) = &self.directory {
            directory.fill(view);
        }
    }
}

/// What a seat's client remembers between messages. See the module documentation.
pub struct Bridge {
    seat: Seat,
    /// Submitted and not answered yet: the request as sent, and its label.
    in_flight: BTreeMap<u64, (ClientMsg, String)>,
    next_request: u64,
    watching: Actor,
    status: Status,
    book: ViewBook,
    report_dir: PathBuf,
    /// The report directory is on the exercise server, not the player's machine (an
    /// SSH seat): said so with the path.
    reports_on_server: bool,
    /// The report last written, until taken.
    written: Option<PathBuf>,
    /// The host said the session is over.
    ended: bool,
}

/// A line for the interface under `label`.
pub fn outcome(label: &str, result: Result<String, String>) -> FromSession {
    FromSession::Outcome(CommandOutcome {
        label: label.to_string(),
        result,
    })
}

impl Bridge {
    /// A bridge for a seat just welcomed with `status`, whose next request id is
    /// `next_request_id`; reports are written into `report_dir`.
    pub fn new(
        seat: Seat,
        status: Status,
        next_request_id: u64,
        report_dir: impl Into<PathBuf>,
    ) -> Self {
        Bridge {
            seat,
            in_flight: BTreeMap::new(),
            next_request: next_request_id.max(1),
            watching: seat.viewer(),
            status,
            book: ViewBook::default(),
            report_dir: report_dir.into(),
            reports_on_server: false,
            written: None,
            ended: false,
        }
    }

    /// For a seat run by the server (over SSH): the report directory is the server's,
    /// so the player is told the report is there rather than on their machine.
    pub fn with_reports_on_server(mut self) -> Self {
        self.reports_on_server = true;
        self
    }

    /// The report written since last asked, if any.
    pub fn take_written_report(&mut self) -> Option<PathBuf> {
        self.written.take()
    }

    pub fn seat(&self) -> Seat {
        self.seat
    }

    /// The host said the session is over: nothing to rejoin.
    pub fn ended(&self) -> bool {
        self.ended
    }

    /// The last status the host sent.
    pub fn status(&self) -> &Status {
        &self.status
    }

    /// A new connection was welcomed with `status` and `next_request_id`: the requests
    /// the old one never answered, sent again with their ids (the host answers a request
    /// it already ran without running it twice), and the facilitator's watch.
    pub fn rejoined(&mut self, status: Status, next_request_id: u64) -> Vec<ClientMsg> {
        self.status = status;
        self.next_request = self.next_request.max(next_request_id);
        // The new connection's first view carries the whole view again.
        self.book = ViewBook::default();
        let mut again: Vec<ClientMsg> = self.in_flight.values().map(|(m, _)| m.clone()).collect();
        if self.watching != self.seat.viewer() {
            again.push(ClientMsg::Watch {
                seat: self.watching,
            });
        }
        again
    }

    /// A host message as the interface understands it (`None`: nothing to show); an
    /// error when the host's views skipped part of the history (a new connection mends it).
    pub fn interface_update(&mut self, msg: ServerMsg) -> Result<Option<FromSession>, String> {
        Ok(match msg {
            ServerMsg::View {
                mut view,
                history_after,
            } => {
                self.book.complete(&mut view, history_after)?;
                Some(FromSession::View(view))
            }
            // A frame of a watch just ended can still be on its way: not shown.
            ServerMsg::Watched { mut view } => {
                if self.watching != view.viewer {
                    return Ok(None);
                }
                self.book.fill(&mut view);
                Some(FromSession::Watched(view))
            }
            ServerMsg::Status { status } => {
                self.status = status;
                Some(FromSession::Status(self.session_status()))
            }
            ServerMsg::Result {
                request_id,
                outcome: answer,
            } => {
                let label = self
                    .in_flight
                    .remove(&request_id)
                    .map_or_else(|| "command".to_string(), |(_, label)| label);
                Some(outcome(&label, answer.into_result()))
            }
            ServerMsg::Recorded { what } => Some(outcome(&what, Ok("recorded".to_string()))),
            ServerMsg::Notice { text } => Some(FromSession::Notice(text)),
            ServerMsg::Report { file_name, html } => {
                Some(outcome("report", self.write_report(&file_name, &html)))
            }
            ServerMsg::ReportFailed { reason } => Some(outcome("report", Err(reason))),
            ServerMsg::Error { message } => Some(outcome("server", Err(message))),
            ServerMsg::Replaced { reason } => Some(FromSession::Failed(reason)),
            ServerMsg::Finished { tick, state_hash } => {
                self.status.finished = true;
                Some(outcome(
                    "exercise",
                    Ok(format!(
                        "the exercise ended at tick {tick} (state hash {state_hash})"
                    )),
                ))
            }
            ServerMsg::Ended { reason } => {
                self.ended = true;
                self.status.finished = true;
                Some(outcome("exercise", Ok(reason)))
            }
            ServerMsg::Welcome { .. } | ServerMsg::Refused { .. } | ServerMsg::Pong => None,
        })
    }

    /// The protocol messages for one interface request, and what to tell the interface
    /// at once (`None`: the host's answer will).
    pub fn server_msgs(&mut self, request: ToSession) -> (Vec<ClientMsg>, Option<FromSession>) {
        let msg = match request {
            ToSession::Submit { actor, command } => {
                let request_id = self.next_request;
                self.next_request += 1;
                let label = command.label().to_string();
                let msg = ClientMsg::Submit {
                    request_id,
                    actor,
                    command,
                };
                self.in_flight.insert(request_id, (msg.clone(), label));
                msg
            }
            ToSession::Pause => ClientMsg::Pause,
            ToSession::Resume => ClientMsg::Resume,
            ToSession::SetPace(pace) => ClientMsg::Pace { pace },
            ToSession::Step => ClientMsg::Step,
            ToSession::Advance { ticks } => ClientMsg::Advance { ticks },
            ToSession::Ready => ClientMsg::Ready,
            ToSession::Watch(seat) => {
                // Only the facilitator and evaluators watch; the host refuses anyone else.
                if self.seat.sees_everything() {
                    self.watching = seat;
                    let status = FromSession::Status(self.session_status());
                    return (vec![ClientMsg::Watch { seat }], Some(status));
                }
                ClientMsg::Watch { seat }
            }
            ToSession::Report => ClientMsg::Report,
            ToSession::Answer {
                module,
                question,
                text,
            } => ClientMsg::Answer {
                module,
                question,
                text,
            },
            ToSession::Feedback(feedback) => ClientMsg::Feedback { feedback },
            ToSession::Note { about, text } => ClientMsg::Note { about, text },
            ToSession::EndSession => ClientMsg::End,
            ToSession::Seek(_) => {
                let refusal = "a live exercise cannot be rewound: replay its journal with \
                               `cyberdrill replay JOURNAL --watch`";
                return (Vec::new(), Some(outcome("seek", Err(refusal.to_string()))));
            }
            ToSession::Shutdown => return (Vec::new(), None),
        };
        (vec![msg], None)
    }

    /// The requests in flight when a connection was lost, said as such while the bridge
    /// rejoins (it sends them again once back).
    pub fn waiting_for_answers(&self) -> Option<FromSession> {
        if self.in_flight.is_empty() {
            return None;
        }
        let labels: Vec<&str> = self.in_flight.values().map(|(_, l)| l.as_str()).collect();
        Some(outcome(
            "connection",
            Err(format!(
                "no answer yet for {}: sent again once rejoined (each runs once)",
                labels.join(", ")
            )),
        ))
    }

    /// The interface's status from the host's.
    pub fn session_status(&self) -> SessionStatus {
        let status = &self.status;
        let teams = |actors: &[Actor]| -> Vec<TeamIdx> {
            actors
                .iter()
                .filter_map(|a| match a {
                    Actor::Team(t) => Some(*t),
                    Actor::Facilitator => None,
                })
                .collect()
        };
        SessionStatus {
            tick: status.tick,
            pace: status.pace,
            paused: status.paused,
            finished: status.finished,
            watching: self.watching,
            presence: Presence {
                connected: teams(&status.connected),
                ready: teams(&status.ready),
                bots: teams(&status.bots),
            },
            discussion: status.discussion.clone(),
        }
    }

    /// Writes a report the host sent into the report directory: the file written, or why
    /// not. The host's file name is kept to plain characters, whatever it says.
    fn write_report(&mut self, file_name: &str, html: &str) -> Result<String, String> {
        let safe: String = file_name
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        let safe = safe.trim_start_matches('.');
        let name = if safe.is_empty() {
            "cyberdrill-report.html"
        } else {
            safe
        };
        let path = self.report_dir.join(name);
        std::fs::write(&path, html).map_err(|e| {
            format!(
                "cannot write the report to {}: {e}; check that the directory is writable",
                path.display()
            )
        })?;
        let said = if self.reports_on_server {
            format!("written on the exercise server at {}", path.display())
        } else {
            format!("written to {}", path.display())
        };
        self.written = Some(path);
        Ok(said)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::client::Pace;
    use crate::net::protocol::{Denied, Outcome};
    use cyberdrill_engine::command::Command;

    fn status(paused: bool) -> Status {
        Status {
            tick: 3,
            pace: Pace::TurnBased,
            paused,
            connected: vec![],
            ready: vec![],
            bots: vec![],
            finished: false,
            discussion: None,
        }
    }

    #[test]
    fn requests_become_protocol_messages_and_answers_keep_their_labels() {
        let mut bridge = Bridge::new(Seat::Facilitator, status(false), 5, ".");
        let (msgs, local) = bridge.server_msgs(ToSession::SetPace(Pace::RealTime {
            millis_per_tick: 600_000,
        }));
        assert_eq!(
            msgs,
            vec![ClientMsg::Pace {
                pace: Pace::RealTime {
                    millis_per_tick: 600_000
                }
            }]
        );
        assert_eq!(local, None);
        assert_eq!(
            bridge.server_msgs(ToSession::Pause).0,
            vec![ClientMsg::Pause]
        );
        let (msgs, _) = bridge.server_msgs(ToSession::Submit {
            actor: Actor::Facilitator,
            command: Command::Broadcast { text: "hi".into() },
        });
        assert!(
            matches!(msgs[0], ClientMsg::Submit { request_id: 5, .. }),
            "numbered from the host's next id: {msgs:?}"
        );
        let shown = bridge.interface_update(ServerMsg::Result {
            request_id: 5,
            outcome: Outcome::Denied(Denied::Finished),
        });
        assert_eq!(
            shown,
            Ok(Some(outcome(
                "broadcast",
                Err("the exercise has ended".to_string())
            )))
        );
    }

    #[test]
    fn unanswered_requests_are_sent_again_with_their_ids_after_a_rejoin() {
        let mut bridge = Bridge::new(Seat::Team(TeamIdx(0)), status(false), 1, ".");
        let (sent, _) = bridge.server_msgs(ToSession::Submit {
            actor: Actor::Team(TeamIdx(0)),
            command: Command::AwarenessCampaign,
        });
        assert!(bridge.waiting_for_answers().is_some());
        let again = bridge.rejoined(status(false), 1);
        assert_eq!(again, sent, "the same request, the same id");
        let (next, _) = bridge.server_msgs(ToSession::Submit {
            actor: Actor::Team(TeamIdx(0)),
            command: Command::AwarenessCampaign,
        });
        assert!(matches!(next[0], ClientMsg::Submit { request_id: 2, .. }));
    }

    #[test]
    fn a_paused_host_shows_as_paused_with_its_pace_and_table() {
        let mut bridge = Bridge::new(Seat::Facilitator, status(false), 1, ".");
        let mut here = status(true);
        here.connected = vec![Actor::Team(TeamIdx(0)), Actor::Team(TeamIdx(2))];
        here.ready = vec![Actor::Team(TeamIdx(2))];
        here.bots = vec![Actor::Team(TeamIdx(1))];
        let Ok(Some(FromSession::Status(shown))) =
            bridge.interface_update(ServerMsg::Status { status: here })
        else {
            panic!("a status");
        };
        assert!(shown.paused);
        assert_eq!(shown.pace, Pace::TurnBased, "a pause keeps the pace");
        assert_eq!(
            shown.presence,
            Presence {
                connected: vec![TeamIdx(0), TeamIdx(2)],
                ready: vec![TeamIdx(2)],
                bots: vec![TeamIdx(1)],
            }
        );
    }

    #[test]
    fn the_facilitator_watches_a_team_and_late_frames_of_an_ended_watch_are_dropped() {
        let mut bridge = Bridge::new(Seat::Facilitator, status(false), 1, ".");
        let team = Actor::Team(TeamIdx(1));
        let (msgs, local) = bridge.server_msgs(ToSession::Watch(team));
        assert_eq!(msgs, vec![ClientMsg::Watch { seat: team }]);
        let Some(FromSession::Status(shown)) = local else {
            panic!("the status says whom the facilitator watches");
        };
        assert_eq!(shown.watching, team);
        let sim =
            cyberdrill_engine::Simulation::new(cyberdrill_engine::testkit::two_economies(), 1);
        let view = sim.view(team);
        let shown = bridge.interface_update(ServerMsg::Watched {
            view: Box::new(view.clone()),
        });
        assert_eq!(
            shown,
            Ok(Some(FromSession::Watched(Box::new(view.clone()))))
        );
        bridge.server_msgs(ToSession::Watch(Actor::Facilitator));
        let late = bridge.interface_update(ServerMsg::Watched {
            view: Box::new(view),
        });
        assert_eq!(late, Ok(None));
    }

    fn view_frame(sim: &cyberdrill_engine::Simulation, history_after: Option<u32>) -> ServerMsg {
        let window = history_after.map_or(
            cyberdrill_engine::view::HistoryWindow::Full,
            cyberdrill_engine::view::HistoryWindow::After,
        );
        let mut view = sim.view_with(Actor::Facilitator, window);
        if history_after.is_some() {
            Directory::take(&mut view);
        }
        ServerMsg::View {
            view: Box::new(view),
            history_after,
        }
    }

    fn played(sim: &mut cyberdrill_engine::Simulation, ticks: u32) {
        for _ in 0..ticks {
            cyberdrill_engine::policy::play_round(
                sim,
                cyberdrill_engine::policy::Policy::Cooperative,
            );
            sim.step();
        }
    }

    #[test]
    fn views_come_out_whole_from_increments_and_a_gap_says_to_rejoin() {
        let mut sim =
            cyberdrill_engine::Simulation::new(cyberdrill_engine::testkit::two_economies(), 4);
        played(&mut sim, 3);
        let first = view_frame(&sim, None);
        played(&mut sim, 2);
        let second = view_frame(&sim, Some(3));
        let mut bridge = Bridge::new(Seat::Facilitator, status(false), 1, ".");
        let Ok(Some(FromSession::View(view))) = bridge.interface_update(first) else {
            panic!("a view");
        };
        assert!(view.economies.iter().all(|e| e.history.len() == 3));
        let Ok(Some(FromSession::View(view))) = bridge.interface_update(second) else {
            panic!("a view");
        };
        assert_eq!(*view, sim.view(Actor::Facilitator));
        played(&mut sim, 3);
        let skipping = view_frame(&sim, Some(7));
        let err = bridge
            .interface_update(skipping)
            .expect_err("points 6 and 7 never came");
        assert!(err.contains("rejoin"), "{err}");
    }

    #[test]
    fn a_report_is_written_under_a_plain_name_in_the_report_directory() {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut bridge = Bridge::new(Seat::Facilitator, status(false), 1, dir.path());
        let shown = bridge.interface_update(ServerMsg::Report {
            file_name: "../../etc/cyberdrill report.html".to_string(),
            html: "<html></html>".to_string(),
        });
        let written = dir.path().join("_.._etc_cyberdrill_report.html");
        assert_eq!(
            shown,
            Ok(Some(outcome(
                "report",
                Ok(format!("written to {}", written.display()))
            )))
        );
        assert_eq!(
            std::fs::read_to_string(&written).ok().as_deref(),
            Some("<html></html>")
        );
        assert_eq!(bridge.take_written_report(), Some(written));
        assert_eq!(bridge.take_written_report(), None);
    }

    #[test]
    fn a_seat_run_by_the_server_is_told_the_report_is_on_the_server() {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut bridge =
            Bridge::new(Seat::Facilitator, status(false), 1, dir.path()).with_reports_on_server();
        let shown = bridge.interface_update(ServerMsg::Report {
            file_name: "cyberdrill-report-drill-tick3.html".to_string(),
            html: "<html></html>".to_string(),
        });
        let written = dir.path().join("cyberdrill-report-drill-tick3.html");
        assert_eq!(
            shown,
            Ok(Some(outcome(
                "report",
                Ok(format!(
                    "written on the exercise server at {}",
                    written.display()
                ))
            )))
        );
    }
}
