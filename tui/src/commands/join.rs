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

use crate::net::client::{self, Joined};
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
    let thread = std::thread::spawn(move || {
        if let Err(e) = runtime.block_on(bridge(joined, from_ui, to_ui.clone())) {
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

/// Carries messages both ways until the interface shuts down or the server goes away.
async fn bridge(
    joined: Joined,
    from_ui: std_mpsc::Receiver<ToSession>,
    to_ui: std_mpsc::Sender<FromSession>,
) -> anyhow::Result<()> {
    let mut sender = joined.sender;
    let mut receiver = joined.receiver;
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
    let _ = to_ui.send(FromSession::Status(bridge.session_status()));
    let mut keepalive = tokio::time::interval(Duration::from_secs(30));
    loop {
        tokio::select! {
            msg = receiver.recv() => {
                let Some(msg) = msg? else {
                    bail!("the server closed the connection; rejoin with the same code");
                };
                if let Some(update) = bridge.interface_update(msg)
                    && to_ui.send(update).is_err()
                {
                    return Ok(());
                }
            }
            request = ui_rx.recv() => {
                let Some(request) = request else { return Ok(()) };
                if request == ToSession::Shutdown {
                    return Ok(());
                }
                let (msgs, local) = bridge.server_msgs(request);
                if let Some(update) = local
                    && to_ui.send(update).is_err()
                {
                    return Ok(());
                }
                for msg in msgs {
                    sender.send(&msg).await?;
                }
            }
            _ = keepalive.tick() => sender.send(&ClientMsg::Ping).await?,
        }
    }
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
            ServerMsg::Error { message } => Some(FromSession::Outcome(CommandOutcome {
                label: "server".to_string(),
                result: Err(message),
            })),
            ServerMsg::Finished { tick, state_hash } => {
                Some(FromSession::Outcome(CommandOutcome {
                    label: "exercise".to_string(),
                    result: Ok(format!(
                        "the exercise ended at tick {tick} (state hash {state_hash})"
                    )),
                }))
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
                    Some(FromSession::Outcome(CommandOutcome {
                        label: "report".to_string(),
                        result: Err("a served exercise's report is written on the host, \
                                     from its journal: `cyberdrill report JOURNAL --out FILE`"
                            .to_string()),
                    })),
                );
            }
            ToSession::Shutdown => Vec::new(),
        };
        (msgs, None)
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
