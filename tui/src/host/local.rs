//! `play`: the host on a thread beside the terminal interface, one seat for the player
//! and the host's bots on the others.
//!
//! This is the host's simplest caller: it reads the real clock, hands the host the
//! player's requests as protocol messages (through the same [`Bridge`] `join` uses),
//! writes the journal (each batch synced before its answers reach the interface) and
//! makes the facilitator's reports.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::time::Instant;

use cyberdrill_engine::journal::JournalWriter;

use super::report::{self, Source};
use super::{ConnId, Host, Input, Output};
use crate::client::{FromSession, SessionLink, ToSession};
use crate::net::bridge::Bridge;
use crate::net::protocol::{ClientMsg, Frame, PROTOCOL_VERSION, ServerMsg};

/// The player's connection.
const PLAYER: ConnId = 1;

/// Starts `host` on its own thread for the player holding `code`; its journal goes to
/// `writer` too when there is one, reports into `report_dir`. When the interface shuts
/// down, the host comes back on the receiver (for its final state and journal).
pub fn spawn(
    host: Host,
    code: String,
    writer: Option<JournalWriter>,
    report_dir: PathBuf,
) -> (SessionLink, Receiver<Host>) {
    let (to_session, inbox) = mpsc::channel();
    let (outbox, from_session) = mpsc::channel();
    let (give_back, returned) = mpsc::sync_channel(1);
    let thread = std::thread::spawn(move || {
        let mut local = Local {
            host,
            writer,
            bridge: None,
            report_dir,
            outbox,
        };
        if let Err(reason) = local.run(&code, &inbox) {
            local.show(FromSession::Failed(reason));
        }
        // Nobody may be waiting for it.
        let _ = give_back.send(local.host);
    });
    let link = SessionLink {
        to_session,
        from_session,
        thread,
    };
    (link, returned)
}

struct Local {
    host: Host,
    writer: Option<JournalWriter>,
    /// Set once the host welcomed the player.
    bridge: Option<Bridge>,
    report_dir: PathBuf,
    outbox: Sender<FromSession>,
}

impl Local {
    /// Serves the interface until it shuts down or goes away; an error when the
    /// exercise cannot go on (its journal cannot be written).
    fn run(&mut self, code: &str, inbox: &Receiver<ToSession>) -> Result<(), String> {
        self.host.handle(
            Instant::now(),
            Input::Connected {
                conn: PLAYER,
                peer: None,
                paced: false,
            },
        );
        self.host.handle(
            Instant::now(),
            Input::Received {
                conn: PLAYER,
                msg: ClientMsg::Hello {
                    protocol_version: PROTOCOL_VERSION,
                    code: code.to_string(),
                    bot: false,
                },
            },
        );
        self.pump()?;
        loop {
            let request = match self.host.poll_timeout() {
                Some(due) => {
                    match inbox.recv_timeout(due.saturating_duration_since(Instant::now())) {
                        Ok(request) => Some(request),
                        Err(RecvTimeoutError::Timeout) => None,
                        Err(RecvTimeoutError::Disconnected) => break,
                    }
                }
                None => match inbox.recv() {
                    Ok(request) => Some(request),
                    Err(_) => break,
                },
            };
            match request {
                Some(ToSession::Shutdown) => break,
                Some(request) => {
                    let msgs = match self.bridge.as_mut() {
                        Some(bridge) => {
                            let (msgs, local) = bridge.server_msgs(request);
                            if let Some(local) = local {
                                self.show(local);
                            }
                            msgs
                        }
                        None => Vec::new(),
                    };
                    for msg in msgs {
                        self.host
                            .handle(Instant::now(), Input::Received { conn: PLAYER, msg });
                    }
                }
                None => self.host.handle(Instant::now(), Input::Timeout),
            }
            self.pump()?;
        }
        // The player ends the session: nothing more happens, so nothing more is journaled
        // (a report made just before quitting is the journal's whole story).
        Ok(())
    }

    /// Takes every output: records to the journal file (synced once), then the frames
    /// for the player to the interface.
    fn pump(&mut self) -> Result<(), String> {
        let mut frames: Vec<Arc<Frame>> = Vec::new();
        let mut failure = None;
        while let Some(output) = self.host.poll_output() {
            match output {
                Output::Journal(record) => {
                    if let (Some(writer), None) = (self.writer.as_mut(), &failure)
                        && let Err(e) = writer.write(&record)
                    {
                        failure = Some(e.to_string());
                    }
                }
                Output::Send { to, frame } => {
                    if to.contains(&PLAYER) {
                        frames.push(frame);
                    }
                }
                Output::Report { to } if to == PLAYER => {
                    let source = match &self.writer {
                        Some(writer) => Source::File(writer.path().to_path_buf()),
                        None => Source::Memory(Box::new(self.host.journal().clone())),
                    };
                    frames.push(Arc::new(Frame::new(report::make(source))));
                }
                // One seat, nobody to take it over; no console: the facilitator's
                // notices say the same; `play` ends when the player quits.
                Output::Report { .. } | Output::Close { .. } | Output::Log(_) | Output::Stop(_) => {
                }
            }
        }
        if let (Some(writer), None) = (self.writer.as_mut(), &failure)
            && let Err(e) = writer.sync()
        {
            failure = Some(e.to_string());
        }
        if let Some(e) = failure {
            return Err(format!(
                "{e}; the exercise stopped here, and the journal holds everything up to this point"
            ));
        }
        for frame in frames {
            let msg = Arc::try_unwrap(frame).map_or_else(|shared| shared.msg.clone(), |f| f.msg);
            self.deliver(msg)?;
        }
        Ok(())
    }

    /// One message from the host, through the bridge to the interface.
    fn deliver(&mut self, msg: ServerMsg) -> Result<(), String> {
        let Some(bridge) = self.bridge.as_mut() else {
            return match msg {
                ServerMsg::Welcome {
                    seat,
                    status,
                    next_request_id,
                    ..
                } => {
                    let bridge = Bridge::new(seat, status, next_request_id, &self.report_dir);
                    let status = FromSession::Status(bridge.session_status());
                    self.bridge = Some(bridge);
                    self.show(status);
                    Ok(())
                }
                ServerMsg::Refused { reason } => {
                    Err(format!("the exercise refused the seat: {reason}"))
                }
                _ => Ok(()),
            };
        };
        if let Some(update) = bridge.interface_update(msg)? {
            self.show(update);
        }
        Ok(())
    }

    fn show(&self, message: FromSession) {
        // If the interface has gone, the next receive on the inbox ends the session.
        let _ = self.outbox.send(message);
    }
}
