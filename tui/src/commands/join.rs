//! `cyberdrill join`: the same terminal interface as `play`, against a server. A thread
//! carries the interface's requests to the server and the server's messages back,
//! through the seat's [`Bridge`]; a lost connection is rejoined by itself.

use std::io::IsTerminal;
use std::process::ExitCode;
use std::sync::mpsc as std_mpsc;
use std::time::Duration;

use anyhow::{Context, bail};
use cyberdrill_tui::client::{FromSession, SessionLink, ToSession};
use cyberdrill_tui::net::bridge::{Bridge, outcome};
use cyberdrill_tui::net::client::{self, Joined, Receiver, Sender};
use cyberdrill_tui::net::protocol::{ClientMsg, ServerMsg};
use tokio::sync::mpsc;

use super::code::CodeArgs;

/// Arguments of `cyberdrill join`.
#[derive(Debug, clap::Args)]
pub struct JoinArgs {
    /// Server address, HOST:PORT.
    pub addr: String,
    #[command(flatten)]
    pub code: CodeArgs,
}

/// Joins, then runs the terminal interface until the player quits.
pub fn run(args: JoinArgs) -> anyhow::Result<ExitCode> {
    if !std::io::stdout().is_terminal() || !std::io::stdin().is_terminal() {
        bail!("`cyberdrill join` needs an interactive terminal");
    }
    let code = args.code.resolve()?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("cannot start the network runtime")?;
    // Join before the terminal is taken over, so a refused code is a plain message.
    let joined = runtime.block_on(client::join(&args.addr, &code, false))?;
    let seat = joined.seat;
    let (to_session, from_ui) = std_mpsc::channel::<ToSession>();
    let (to_ui, from_session) = std_mpsc::channel::<FromSession>();
    let server = Server {
        addr: args.addr,
        code,
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
/// server resumes from its journal with the same codes) or refuses the code; requests
/// the lost connection never answered are sent again with their ids (each runs once).
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
    let mut bridge = Bridge::new(joined.seat, joined.status, joined.next_request_id, ".");
    let mut connection = (joined.sender, joined.receiver);
    let _ = to_ui.send(FromSession::Status(bridge.session_status()));
    loop {
        let lost = match carry(&mut bridge, &mut connection, &mut ui_rx, &to_ui).await {
            Carried::Shutdown => return Ok(()),
            // The session is over, or another connection took the seat: nothing to
            // rejoin; the screens keep what they show.
            Carried::Lost(_) if bridge.ended() => {
                return wait_for_shutdown(&mut ui_rx, &to_ui).await;
            }
            Carried::Replaced => return wait_for_shutdown(&mut ui_rx, &to_ui).await,
            Carried::Lost(reason) => reason,
        };
        if let Some(waiting) = bridge.waiting_for_answers() {
            let _ = to_ui.send(waiting);
        }
        let _ = to_ui.send(outcome(
            "connection",
            Err(format!("{lost}; rejoining with the same code…")),
        ));
        let Some(joined) = rejoin(&server, &mut ui_rx, &to_ui).await? else {
            return Ok(());
        };
        connection = (joined.sender, joined.receiver);
        let again = bridge.rejoined(joined.status, joined.next_request_id);
        let _ = to_ui.send(FromSession::Status(bridge.session_status()));
        let _ = to_ui.send(outcome(
            "connection",
            Ok(format!("rejoined at tick {}", bridge.status().tick)),
        ));
        for msg in again {
            connection.0.send(&msg).await?;
        }
    }
}

/// How carrying messages over one connection ended.
enum Carried {
    /// The interface is closing.
    Shutdown,
    /// The connection is gone, for this reason.
    Lost(String),
    /// Another connection took the seat over.
    Replaced,
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
                let replaced = matches!(msg, ServerMsg::Replaced { .. });
                match bridge.interface_update(msg) {
                    Ok(Some(update)) => {
                        if to_ui.send(update).is_err() {
                            return Carried::Shutdown;
                        }
                    }
                    Ok(None) => {}
                    Err(reason) => return Carried::Lost(reason),
                }
                if replaced {
                    return Carried::Replaced;
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

/// After the exercise ended and the server closed, or another connection took the
/// seat: nothing more to carry; wait for the interface to close.
async fn wait_for_shutdown(
    ui_rx: &mut mpsc::UnboundedReceiver<ToSession>,
    to_ui: &std_mpsc::Sender<FromSession>,
) -> anyhow::Result<()> {
    while let Some(request) = ui_rx.recv().await {
        if request == ToSession::Shutdown {
            break;
        }
        let _ = to_ui.send(outcome(
            "connection",
            Err("not connected to the exercise any more".to_string()),
        ));
    }
    Ok(())
}
