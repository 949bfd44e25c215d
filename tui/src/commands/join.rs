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
use cyberdrill_tui::client::{CommandOutcome, FromSession, Pace, SessionStatus, ToSession};
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
    cyberdrill_tui::terminal::play(seat, link).context("the terminal interface failed")?;
    Ok(ExitCode::SUCCESS)
}

/// Carries messages both ways until the interface shuts down or the server goes away.
async fn bridge(
    joined: Joined,
    from_ui: std_mpsc::Receiver<ToSession>,
    to_ui: std_mpsc::Sender<FromSession>,
) -> anyhow::Result<()> {
    let seat = joined.seat;
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
    let _ = to_ui.send(FromSession::Status(session_status(&joined.status, seat)));
    let mut labels: BTreeMap<u64, String> = BTreeMap::new();
    let mut next_request = 0u64;
    let mut keepalive = tokio::time::interval(Duration::from_secs(30));
    loop {
        tokio::select! {
            msg = receiver.recv() => {
                let Some(msg) = msg? else {
                    bail!("the server closed the connection; rejoin with the same code");
                };
                if let Some(update) = to_interface(msg, seat, &mut labels)
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
                for msg in to_server(request, &mut next_request, &mut labels, &to_ui) {
                    sender.send(&msg).await?;
                }
            }
            _ = keepalive.tick() => sender.send(&ClientMsg::Ping).await?,
        }
    }
}

/// A server message as the interface understands it (`None`: nothing to show).
fn to_interface(
    msg: ServerMsg,
    seat: Actor,
    labels: &mut BTreeMap<u64, String>,
) -> Option<FromSession> {
    match msg {
        ServerMsg::View { view, .. } => Some(FromSession::View(view)),
        ServerMsg::Status { status } => Some(FromSession::Status(session_status(&status, seat))),
        ServerMsg::Result {
            request_id,
            outcome,
        } => {
            let label = labels
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
        ServerMsg::Finished { tick, state_hash } => Some(FromSession::Outcome(CommandOutcome {
            label: "exercise".to_string(),
            result: Ok(format!(
                "the exercise ended at tick {tick} (state hash {state_hash})"
            )),
        })),
        ServerMsg::Welcome { .. } | ServerMsg::Refused { .. } | ServerMsg::Pong => None,
    }
}

/// The protocol messages for one interface request.
fn to_server(
    request: ToSession,
    next_request: &mut u64,
    labels: &mut BTreeMap<u64, String>,
    to_ui: &std_mpsc::Sender<FromSession>,
) -> Vec<ClientMsg> {
    match request {
        ToSession::Submit { actor, command } => {
            *next_request += 1;
            labels.insert(*next_request, command.label().to_string());
            vec![ClientMsg::Submit {
                request_id: *next_request,
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
        ToSession::Watch(_) => {
            let _ = to_ui.send(FromSession::Outcome(CommandOutcome {
                label: "watch".to_string(),
                result: Err(
                    "watching another seat is only available in `cyberdrill play`".to_string(),
                ),
            }));
            Vec::new()
        }
        ToSession::Report => {
            let _ = to_ui.send(FromSession::Outcome(CommandOutcome {
                label: "report".to_string(),
                result: Err("a served exercise's report is written on the host, from its journal: `cyberdrill report JOURNAL --out FILE`".to_string()),
            }));
            Vec::new()
        }
        ToSession::Shutdown => Vec::new(),
    }
}

/// The interface's status line from the server's.
fn session_status(status: &Status, seat: Actor) -> SessionStatus {
    let pace = match (status.paused, status.pace) {
        (true, _) => Pace::Paused,
        (false, protocol::Pace::RealTime { millis_per_tick }) => Pace::Running {
            ms_per_tick: u32::try_from(millis_per_tick).unwrap_or(u32::MAX),
        },
        (false, protocol::Pace::TurnBased) => Pace::TurnBased,
    };
    SessionStatus {
        pace,
        finished: status.finished,
        watching: seat,
        bot_seats: 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use cyberdrill_engine::command::Command;

    #[test]
    fn pace_requests_become_protocol_controls_and_results_keep_their_labels() {
        let (to_ui, _from) = std_mpsc::channel();
        let mut labels = BTreeMap::new();
        let mut next = 0;
        let msgs = to_server(
            ToSession::SetPace(Pace::Running { ms_per_tick: 500 }),
            &mut next,
            &mut labels,
            &to_ui,
        );
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
        let msgs = to_server(
            ToSession::Submit {
                actor: Actor::Facilitator,
                command: Command::Broadcast { text: "hi".into() },
            },
            &mut next,
            &mut labels,
            &to_ui,
        );
        assert!(matches!(msgs[0], ClientMsg::Submit { request_id: 1, .. }));
        let shown = to_interface(
            ServerMsg::Error {
                message: "nope".into(),
            },
            Actor::Facilitator,
            &mut labels,
        );
        assert!(matches!(shown, Some(FromSession::Outcome(_))));
        assert_eq!(labels.get(&1).map(String::as_str), Some("broadcast"));
    }

    #[test]
    fn a_paused_server_shows_as_paused() {
        let status = Status {
            tick: 3,
            pace: protocol::Pace::TurnBased,
            paused: true,
            connected: vec![],
            ready: vec![],
            finished: false,
        };
        assert_eq!(
            session_status(&status, Actor::Facilitator).pace,
            Pace::Paused
        );
    }
}
