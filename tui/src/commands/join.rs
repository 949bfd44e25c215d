//! `cyberdrill join`: the same terminal interface as `play`, against a server. A bridge
//! thread carries the interface's requests ([`ToSession`]) to the server as protocol
//! messages and the server's views, results and status back as [`FromSession`].

use std::collections::BTreeMap;
use std::io::IsTerminal;
use std::process::ExitCode;
use std::sync::mpsc as std_mpsc;
use std::time::Duration;

use anyhow::{Context, bail};
use cyberdrill_engine::command::Actor;
use cyberdrill_engine::scenario::model::TeamIdx;
use cyberdrill_tui::client::{
    CommandOutcome, FromSession, Pace, Presence, SessionStatus, ToSession,
};
use cyberdrill_tui::session::SessionLink;
use tokio::sync::mpsc;

use crate::net::client::{self, Joined, Receiver, Sender};
use crate::net::protocol::{self, ClientMsg, Outcome, ServerMsg, Status};

/// Arguments of `cyberdrill join`.
#[derive(Debug, clap::Args)]
pub struct JoinArgs {
    /// Server address, HOST:PORT.
    pub addr: String,
    /// Your seat's join code, as handed out by the facilitator.
    #[arg(long)]
    pub code: String,
}

/// Joins, then runs the terminal interface until the player quits.
pub fn run(args: JoinArgs) -> anyhow::Result<ExitCode> {
    if !std::io::stdout().is_terminal() || !std::io::stdin().is_terminal() {
        bail!("`cyberdrill join` needs an interactive terminal");
    }
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("cannot start the network runtime")?;
    // Join before the terminal is taken over, so a refused code is a plain message.
    let joined = runtime.block_on(client::join(&args.addr, &args.code, false))?;
    let seat = joined.seat;
    let (to_session, from_ui) = std_mpsc::channel::<ToSession>();
    let (to_ui, from_session) = std_mpsc::channel::<FromSession>();
    let server = Server {
        addr: args.addr,
        code: args.code,
    };
    let thread = std::thread::spawn(move || {
        if let Err(e) = runtime.block_on(bridge(server, joined, from_ui, to_ui.clone())) {
            let _ = to_ui.send(FromSession::Failed(format!("{e:#}")));
        }
    });
    let link = SessionLink {
        to_session,
        from_session,
        thread,
    };
    let ending =
        cyberdrill_tui::terminal::play(seat, link).context("the terminal interface failed")?;
    ending.report();
    Ok(ending.exit_code())
}

/// A line for the interface's status and Actions screen, under `label`.
fn outcome(label: &str, result: Result<String, String>) -> FromSession {
    FromSession::Outcome(CommandOutcome {
        label: label.to_string(),
        result,
    })
}

/// Where to (re)join: the server and the seat's code.
struct Server {
    addr: String,
    code: String,
}

/// Waits between attempts to rejoin after the connection was lost: quick at first
/// (a venue's Wi-Fi blinks), then every few seconds (the server is being restarted).
const REJOIN_DELAYS_MS: [u64; 6] = [250, 500, 1000, 2000, 3000, 5000];

/// Carries messages both ways until the interface shuts down. A lost connection is
/// rejoined with the same code, again and again, until the server answers (a restarted
/// server resumes from its journal with the same codes) or refuses the code.
async fn bridge(
    server: Server,
    joined: Joined,
    from_ui: std_mpsc::Receiver<ToSession>,
    to_ui: std_mpsc::Sender<FromSession>,
) -> anyhow::Result<()> {
    // The interface's channel is a blocking one: forward it from its own thread.
    let (ui_tx, mut ui_rx) = mpsc::unbounded_channel();
    std::thread::spawn(move || {
        while let Ok(request) = from_ui.recv() {
            if ui_tx.send(request).is_err() {
                break;
            }
        }
    });
    let mut bridge = Bridge::new(joined.seat, joined.status);
    let mut connection = (joined.sender, joined.receiver);
    let _ = to_ui.send(FromSession::Status(bridge.session_status()));
    loop {
        let lost = match carry(&mut bridge, &mut connection, &mut ui_rx, &to_ui).await {
            Carried::Shutdown => return Ok(()),
            // The exercise is over: nothing to rejoin; the screens keep its end.
            Carried::Lost(_) if bridge.status.finished => {
                return wait_for_shutdown(&mut ui_rx, &to_ui).await;
            }
            Carried::Lost(reason) => reason,
        };
        for outcome in bridge.unanswered() {
            let _ = to_ui.send(outcome);
        }
        let _ = to_ui.send(outcome(
            "connection",
            Err(format!("{lost}; rejoining with the same code…")),
        ));
        let Some(joined) = rejoin(&server, &mut ui_rx, &to_ui).await? else {
            return Ok(());
        };
        bridge.status = joined.status;
        connection = (joined.sender, joined.receiver);
        let _ = to_ui.send(FromSession::Status(bridge.session_status()));
        let _ = to_ui.send(outcome(
            "connection",
            Ok(format!("rejoined at tick {}", bridge.status.tick)),
        ));
        // What the facilitator watched is per connection on the server: ask again.
        if bridge.watching != bridge.seat {
            let watch = ClientMsg::Watch {
                seat: bridge.watching,
            };
            connection.0.send(&watch).await?;
        }
    }
}

/// How carrying messages over one connection ended.
enum Carried {
    /// The interface is closing.
    Shutdown,
    /// The connection is gone, for this reason.
    Lost(String),
}

/// Carries messages both ways over one connection until it is lost or the interface
/// shuts down.
async fn carry(
    bridge: &mut Bridge,
    (sender, receiver): &mut (Sender, Receiver),
    ui_rx: &mut mpsc::UnboundedReceiver<ToSession>,
    to_ui: &std_mpsc::Sender<FromSession>,
) -> Carried {
    let mut keepalive = tokio::time::interval(Duration::from_secs(30));
    loop {
        tokio::select! {
            msg = receiver.recv() => {
                let msg = match msg {
                    Ok(Some(msg)) => msg,
                    Ok(None) => return Carried::Lost("the server closed the connection".to_string()),
                    Err(e) => return Carried::Lost(format!("{e:#}")),
                };
                if let Some(update) = bridge.interface_update(msg)
                    && to_ui.send(update).is_err()
                {
                    return Carried::Shutdown;
                }
            }
            request = ui_rx.recv() => {
                let Some(request) = request else { return Carried::Shutdown };
                if request == ToSession::Shutdown {
                    return Carried::Shutdown;
                }
                let (msgs, local) = bridge.server_msgs(request);
                if let Some(update) = local
                    && to_ui.send(update).is_err()
                {
                    return Carried::Shutdown;
                }
                for msg in msgs {
                    if let Err(e) = sender.send(&msg).await {
                        return Carried::Lost(format!("{e:#}"));
                    }
                }
            }
            _ = keepalive.tick() => {
                if let Err(e) = sender.send(&ClientMsg::Ping).await {
                    return Carried::Lost(format!("{e:#}"));
                }
            }
        }
    }
}

/// Rejoins until the server answers; `None` if the interface shut down meanwhile, an
/// error if the server refused the code (it is not the same exercise any more).
/// Requests made while disconnected are answered at once: not sent.
async fn rejoin(
    server: &Server,
    ui_rx: &mut mpsc::UnboundedReceiver<ToSession>,
    to_ui: &std_mpsc::Sender<FromSession>,
) -> anyhow::Result<Option<Joined>> {
    let mut attempt = 0usize;
    loop {
        let delay = REJOIN_DELAYS_MS[attempt.min(REJOIN_DELAYS_MS.len() - 1)];
        attempt += 1;
        let wait = tokio::time::sleep(Duration::from_millis(delay));
        tokio::pin!(wait);
        loop {
            tokio::select! {
                _ = &mut wait => break,
                request = ui_rx.recv() => match request {
                    None | Some(ToSession::Shutdown) => return Ok(None),
                    Some(_) => {
                        let not_yet = "not connected: rejoining the server, try again in a moment";
                        let _ = to_ui.send(outcome("connection", Err(not_yet.to_string())));
                    }
                },
            }
        }
        match client::join(&server.addr, &server.code, false).await {
            Ok(joined) => return Ok(Some(joined)),
            // Refused: the code no longer opens a seat there. Anything else (no
            // answer, connection refused): the server is not back yet.
            Err(e) if e.downcast_ref::<client::Refused>().is_some() => return Err(e),
            Err(_) => {}
        }
    }
}

/// After the exercise ended and the server closed: nothing more to carry; wait for
/// the interface to close.
async fn wait_for_shutdown(
    ui_rx: &mut mpsc::UnboundedReceiver<ToSession>,
    to_ui: &std_mpsc::Sender<FromSession>,
) -> anyhow::Result<()> {
    while let Some(request) = ui_rx.recv().await {
        if request == ToSession::Shutdown {
            break;
        }
        let _ = to_ui.send(outcome(
            "exercise",
            Err("the exercise has ended".to_string()),
        ));
    }
    Ok(())
}

/// What the bridge remembers between messages: the seat, the labels of requests in
/// flight (for their results), whom the facilitator watches and the last status.
struct Bridge {
    seat: Actor,
    labels: BTreeMap<u64, String>,
    next_request: u64,
    watching: Actor,
    status: Status,
}

impl Bridge {
    fn new(seat: Actor, status: Status) -> Self {
        Bridge {
            seat,
            labels: BTreeMap::new(),
            next_request: 0,
            watching: seat,
            status,
        }
    }

    /// A server message as the interface understands it (`None`: nothing to show).
    fn interface_update(&mut self, msg: ServerMsg) -> Option<FromSession> {
        match msg {
            ServerMsg::View { view, .. } => Some(FromSession::View(view)),
            // A frame of a watch just ended can still be on its way: not shown.
            ServerMsg::Watched { view } => {
                (self.watching == view.viewer).then_some(FromSession::Watched(view))
            }
            ServerMsg::Status { status } => {
                self.status = status;
                Some(FromSession::Status(self.session_status()))
            }
            ServerMsg::Result {
                request_id,
                outcome,
            } => {
                let label = self
                    .labels
                    .remove(&request_id)
                    .unwrap_or_else(|| "command".to_string());
                let result = match outcome {
                    Outcome::Accepted(accepted) => Ok(accepted.message),
                    Outcome::Rejected(error) => Err(error.to_string()),
                    Outcome::Denied(denied) => Err(denied.to_string()),
                };
                Some(FromSession::Outcome(CommandOutcome { label, result }))
            }
            ServerMsg::Error { message } => Some(outcome("server", Err(message))),
            ServerMsg::Finished { tick, state_hash } => {
                self.status.finished = true;
                Some(outcome(
                    "exercise",
                    Ok(format!(
                        "the exercise ended at tick {tick} (state hash {state_hash})"
                    )),
                ))
            }
            ServerMsg::Welcome { .. } | ServerMsg::Refused { .. } | ServerMsg::Pong => None,
        }
    }

    /// The protocol messages for one interface request, and what to tell the
    /// interface at once (`None`: the server's answer will).
    fn server_msgs(&mut self, request: ToSession) -> (Vec<ClientMsg>, Option<FromSession>) {
        let msgs = match request {
            ToSession::Submit { actor, command } => {
                self.next_request += 1;
                self.labels
                    .insert(self.next_request, command.label().to_string());
                vec![ClientMsg::Submit {
                    request_id: self.next_request,
                    actor,
                    command,
                }]
            }
            ToSession::SetPace(Pace::Paused) => vec![ClientMsg::Pause],
            ToSession::SetPace(Pace::Running { ms_per_tick }) => vec![
                ClientMsg::Pace {
                    pace: protocol::Pace::RealTime {
                        millis_per_tick: u64::from(ms_per_tick),
                    },
                },
                ClientMsg::Resume,
            ],
            ToSession::SetPace(Pace::TurnBased) => vec![
                ClientMsg::Pace {
                    pace: protocol::Pace::TurnBased,
                },
                ClientMsg::Resume,
            ],
            ToSession::Step => vec![ClientMsg::Step],
            ToSession::Ready => vec![ClientMsg::Ready],
            ToSession::Watch(seat) => {
                // Only the facilitator watches; the server refuses anyone else.
                if self.seat == Actor::Facilitator {
                    self.watching = seat;
                    let status = FromSession::Status(self.session_status());
                    return (vec![ClientMsg::Watch { seat }], Some(status));
                }
                vec![ClientMsg::Watch { seat }]
            }
            ToSession::Report => {
                return (
                    Vec::new(),
                    Some(outcome(
                        "report",
                        Err("a served exercise's report is written on the host, \
                                     from its journal: `cyberdrill report JOURNAL --out FILE`"
                            .to_string()),
                    )),
                );
            }
            ToSession::Shutdown => Vec::new(),
        };
        (msgs, None)
    }

    /// The requests the lost connection never answered, said as such: each may or may
    /// not have been carried out (an answer can be lost after the journal has it).
    fn unanswered(&mut self) -> Vec<FromSession> {
        std::mem::take(&mut self.labels)
            .into_values()
            .map(|label| {
                FromSession::Outcome(CommandOutcome {
                    label,
                    result: Err("no answer before the connection was lost: it may or may \
                                 not have been carried out; check before sending it again"
                        .to_string()),
                })
            })
            .collect()
    }

    /// The interface's status line from the server's.
    fn session_status(&self) -> SessionStatus {
        let status = &self.status;
        let pace = match (status.paused, status.pace) {
            (true, _) => Pace::Paused,
            (false, protocol::Pace::RealTime { millis_per_tick }) => Pace::Running {
                ms_per_tick: u32::try_from(millis_per_tick).unwrap_or(u32::MAX),
            },
            (false, protocol::Pace::TurnBased) => Pace::TurnBased,
        };
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
            pace,
            finished: status.finished,
            watching: self.watching,
            bot_seats: 0,
            presence: Some(Presence {
                connected: teams(&status.connected),
                ready: teams(&status.ready),
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use cyberdrill_engine::command::Command;
    use cyberdrill_engine::scenario::model::TeamIdx;

    fn status(paused: bool) -> Status {
        Status {
            tick: 3,
            pace: protocol::Pace::TurnBased,
            paused,
            connected: vec![],
            ready: vec![],
            finished: false,
        }
    }

    #[test]
    fn pace_requests_become_protocol_controls_and_results_keep_their_labels() {
        let mut bridge = Bridge::new(Actor::Facilitator, status(false));
        let (msgs, local) =
            bridge.server_msgs(ToSession::SetPace(Pace::Running { ms_per_tick: 500 }));
        assert_eq!(
            msgs,
            vec![
                ClientMsg::Pace {
                    pace: protocol::Pace::RealTime {
                        millis_per_tick: 500
                    }
                },
                ClientMsg::Resume
            ]
        );
        assert_eq!(local, None);
        let (msgs, _) = bridge.server_msgs(ToSession::Submit {
            actor: Actor::Facilitator,
            command: Command::Broadcast { text: "hi".into() },
        });
        assert!(matches!(msgs[0], ClientMsg::Submit { request_id: 1, .. }));
        let shown = bridge.interface_update(ServerMsg::Error {
            message: "nope".into(),
        });
        assert!(matches!(shown, Some(FromSession::Outcome(_))));
        assert_eq!(bridge.labels.get(&1).map(String::as_str), Some("broadcast"));
    }

    #[test]
    fn requests_a_lost_connection_never_answered_are_said_to_be_unconfirmed() {
        let mut bridge = Bridge::new(Actor::Team(TeamIdx(0)), status(false));
        bridge.server_msgs(ToSession::Submit {
            actor: Actor::Team(TeamIdx(0)),
            command: Command::AwarenessCampaign,
        });
        let told = bridge.unanswered();
        let [FromSession::Outcome(outcome)] = told.as_slice() else {
            panic!("one outcome: {told:?}");
        };
        assert_eq!(outcome.label, "awareness campaign");
        assert!(
            outcome
                .result
                .as_ref()
                .is_err_and(|e| e.contains("may or may not have been carried out")),
            "{outcome:?}"
        );
        assert!(bridge.unanswered().is_empty(), "said once");
    }

    #[test]
    fn a_paused_server_shows_as_paused() {
        let mut bridge = Bridge::new(Actor::Facilitator, status(false));
        assert_eq!(bridge.session_status().pace, Pace::TurnBased);
        let shown = bridge.interface_update(ServerMsg::Status {
            status: status(true),
        });
        let Some(FromSession::Status(shown)) = shown else {
            panic!("a status");
        };
        assert_eq!(shown.pace, Pace::Paused);
        assert_eq!(shown.presence, Some(Presence::default()));
        let mut here = status(false);
        here.connected = vec![Actor::Team(TeamIdx(0)), Actor::Team(TeamIdx(2))];
        here.ready = vec![Actor::Team(TeamIdx(2))];
        let Some(FromSession::Status(shown)) =
            bridge.interface_update(ServerMsg::Status { status: here })
        else {
            panic!("a status");
        };
        assert_eq!(
            shown.presence,
            Some(Presence {
                connected: vec![TeamIdx(0), TeamIdx(2)],
                ready: vec![TeamIdx(2)],
            })
        );
    }

    #[test]
    fn the_facilitator_watches_a_team_through_the_server() {
        let mut bridge = Bridge::new(Actor::Facilitator, status(false));
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
        assert_eq!(shown, Some(FromSession::Watched(Box::new(view.clone()))));
        // Back to the facilitator's own screens: a late frame of the old watch is dropped.
        bridge.server_msgs(ToSession::Watch(Actor::Facilitator));
        let late = bridge.interface_update(ServerMsg::Watched {
            view: Box::new(view),
        });
        assert_eq!(late, None);
    }
}
