//! One SSH connection: the login (the join code, checked by the host), then one
//! session channel with a terminal, whose shell is the seat ([`super::seat`]).
//!
//! Everything the client sends is untrusted: sizes are clamped by the interface, codes
//! are cut to a sane length before the host sees them, one session channel per
//! connection, no commands, subsystems, forwarding or agent. A connection that has no
//! running seat within the login timeout is closed.

use std::borrow::Cow;
use std::io::Write;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use russh::server::{Auth, ChannelOpenHandle, Handler, Msg, Response, Session};
use russh::{Channel, ChannelId, Disconnect, MethodSet, Pty};
use tokio::net::TcpStream;
use tokio::sync::{mpsc, oneshot};
use tokio::time::timeout;
use tokio_util::sync::CancellationToken;

use super::seat::{self, SeatInput, SeatLimits, Welcomed};
use super::{MAX_CODES_PER_CONNECTION, Shared};
use crate::host::clock;
use crate::net::bridge::Bridge;
use crate::net::protocol::{ClientMsg, PROTOCOL_VERSION, ServerMsg};
use crate::net::server::Outgoing;

/// The longest code looked at: real codes are 12 characters, with dashes or spaces.
const MAX_CODE_CHARS: usize = 40;

/// How long the host may take to answer a code.
const HELLO_TIMEOUT: Duration = Duration::from_secs(10);

/// Input events queued for a seat before the connection waits for it (backpressure
/// reaches the client through the SSH window).
const INPUT_QUEUE: usize = 64;

/// The terminal size assumed when the client did not say.
const DEFAULT_SIZE: (u16, u16) = (80, 24);

/// Serves one accepted connection until it closes, the login times out or the exercise
/// ends.
pub(crate) async fn serve(
    stream: TcpStream,
    peer: SocketAddr,
    shared: Arc<Shared>,
    stop: CancellationToken,
) {
    let _ = stream.set_nodelay(true);
    let (started_tx, started) = oneshot::channel();
    let handler = Connection {
        shared: Arc::clone(&shared),
        peer,
        codes_tried: 0,
        user_tried: false,
        closing: false,
        welcomed: None,
        channel: None,
        size: None,
        input: None,
        started: Some(started_tx),
    };
    let config = Arc::clone(&shared.config);
    let too_late = || {
        let _ = writeln!(
            std::io::stdout(),
            "ssh: closed a connection from {}: no seat was opened within {} of connecting",
            peer.ip(),
            clock::duration_label(
                u64::try_from(shared.limits.login_timeout.as_millis()).unwrap_or(u64::MAX)
            )
        );
    };
    let running = match timeout(
        shared.limits.login_timeout,
        russh::server::run_stream(config, stream, handler),
    )
    .await
    {
        Ok(Ok(running)) => running,
        Ok(Err(_)) => return,
        Err(_) => {
            too_late();
            return;
        }
    };
    let handle = running.handle();
    tokio::pin!(running);
    let login = timeout(shared.limits.login_timeout, started);
    tokio::select! {
        _ = &mut running => return,
        seated = login => {
            if !matches!(seated, Ok(Ok(()))) {
                too_late();
                let _ = handle
                    .disconnect(
                        Disconnect::ByApplication,
                        "no seat was opened in time: connect again and enter your join code"
                            .to_string(),
                        String::new(),
                    )
                    .await;
            }
        }
    }
    tokio::select! {
        _ = &mut running => {}
        // The exercise ended: the seat says goodbye (the host told it); the connection
        // then ends with the server.
        () = stop.cancelled() => {
            let _ = timeout(Duration::from_secs(2), &mut running).await;
        }
    }
}

/// The state of one connection, as russh's handler.
struct Connection {
    shared: Arc<Shared>,
    peer: SocketAddr,
    /// Codes presented on this connection.
    codes_tried: u32,
    /// The user name was already tried as a code.
    user_tried: bool,
    /// No more codes are checked: the next answer is refused.
    closing: bool,
    /// The host welcomed the code; taken by the seat when the shell starts.
    welcomed: Option<Welcomed>,
    /// The session channel (one per connection).
    channel: Option<ChannelId>,
    /// The size the client's terminal reported.
    size: Option<(u16, u16)>,
    /// The running seat's input.
    input: Option<mpsc::Sender<SeatInput>>,
    /// Told once the seat runs (ends the login timeout).
    started: Option<oneshot::Sender<()>>,
}

/// What the host answered a code.
enum Answer {
    Welcomed(Box<Welcomed>),
    Refused(String),
}

impl Connection {
    /// Presents `code` to the host as a new connection's `hello`.
    async fn present(&mut self, code: &str) -> Answer {
        let code: String = code.chars().take(MAX_CODE_CHARS).collect();
        let over = || Answer::Refused("the exercise is over".to_string());
        let doorway = &self.shared.doorway;
        let Some(mut seated) = doorway
            .open(Some(self.peer.ip()), self.shared.limits.queue)
            .await
        else {
            return over();
        };
        let hello = ClientMsg::Hello {
            protocol_version: PROTOCOL_VERSION,
            code,
            bot: false,
        };
        if !seated.send(hello).await {
            return over();
        }
        let answer = match timeout(HELLO_TIMEOUT, seated.frames.recv()).await {
            Ok(Some(Outgoing::Frame(frame))) => frame.msg.clone(),
            _ => {
                seated.close().await;
                return Answer::Refused("the exercise server did not answer".to_string());
            }
        };
        match answer {
            ServerMsg::Welcome {
                seat,
                status,
                next_request_id,
                ..
            } => Answer::Welcomed(Box::new(Welcomed {
                seated,
                bridge: Bridge::new(seat, status, next_request_id, &self.shared.report_dir)
                    .with_reports_on_server(),
            })),
            ServerMsg::Refused { reason } => {
                seated.close().await;
                Answer::Refused(reason)
            }
            other => {
                seated.close().await;
                Answer::Refused(format!("unexpected answer from the exercise: {other:?}"))
            }
        }
    }

    /// Checks a code; a wrong one is answered after a delay that doubles with each
    /// wrong code on this connection, with the prompt again, or, after the last one
    /// allowed, with the reason only (the connection is then refused).
    async fn try_code(&mut self, code: &str) -> Auth {
        self.codes_tried += 1;
        let reason = match self.present(code).await {
            Answer::Welcomed(welcomed) => {
                self.welcomed = Some(*welcomed);
                return Auth::Accept;
            }
            Answer::Refused(reason) => reason,
        };
        tokio::time::sleep(wrong_code_delay(
            self.shared.limits.first_wrong_code_delay,
            self.codes_tried,
        ))
        .await;
        if self.codes_tried >= MAX_CODES_PER_CONNECTION {
            self.closing = true;
            return Auth::Partial {
                name: Cow::Borrowed(""),
                instructions: Cow::Owned(format!(
                    "{reason}\r\n{MAX_CODES_PER_CONNECTION} wrong codes: connect again to retry.\r\n"
                )),
                prompts: Cow::Owned(Vec::new()),
            };
        }
        ask(format!("{reason}\r\n"))
    }

    /// The seat's input, once it runs.
    async fn send_to_seat(&mut self, event: SeatInput) {
        if let Some(input) = &self.input
            && input.send(event).await.is_err()
        {
            self.input = None;
        }
    }
}

/// The wait before the `tried`-th wrong code on one connection is answered: `first`,
/// doubling with each further one.
fn wrong_code_delay(first: Duration, tried: u32) -> Duration {
    first.saturating_mul(2u32.saturating_pow(tried.saturating_sub(1)))
}

/// The prompt for the join code, after `instructions`.
fn ask(instructions: String) -> Auth {
    Auth::Partial {
        name: Cow::Borrowed("cyberdrill"),
        instructions: Cow::Owned(instructions),
        prompts: Cow::Owned(vec![(Cow::Borrowed("Join code (on your slip): "), false)]),
    }
}

/// Whether a user name looks like a join code (`ssh CODE@HOST`) rather than the
/// player's login name, which `ssh` sends when none is given: only the former is tried
/// (a wrong code costs the connection and the address a wait).
fn looks_like_code(user: &str) -> bool {
    crate::net::codes::is_code_shaped(user)
}

/// A size the client reported, in terminal cells (the interface clamps it further).
fn cells(columns: u32, rows: u32) -> (u16, u16) {
    (
        u16::try_from(columns).unwrap_or(u16::MAX),
        u16::try_from(rows).unwrap_or(u16::MAX),
    )
}

impl Handler for Connection {
    type Error = russh::Error;

    async fn authentication_banner(&mut self) -> Result<Option<String>, Self::Error> {
        Ok(Some(format!(
            "cyberdrill exercise \"{}\": enter the join code on your team's slip.\r\n",
            self.shared.title
        )))
    }

    async fn auth_publickey_offered(
        &mut self,
        _user: &str,
        _offer: russh::server::PublicKeyOffer<'_>,
    ) -> Result<Auth, Self::Error> {
        Ok(Auth::reject())
    }

    async fn auth_keyboard_interactive<'a>(
        &'a mut self,
        user: &str,
        _submethods: &str,
        response: Option<Response<'a>>,
    ) -> Result<Auth, Self::Error> {
        if self.closing {
            return Ok(Auth::Reject {
                proceed_with_methods: Some(MethodSet::empty()),
                partial_success: false,
            });
        }
        let Some(mut response) = response else {
            if !self.user_tried && looks_like_code(user) {
                self.user_tried = true;
                return Ok(self.try_code(user).await);
            }
            return Ok(ask(String::new()));
        };
        let code = response
            .next()
            .map(|bytes| String::from_utf8_lossy(&bytes).trim().to_string())
            .unwrap_or_default();
        if code.is_empty() {
            return Ok(ask(
                "Type the code printed on your slip, then Enter.\r\n".to_string()
            ));
        }
        Ok(self.try_code(&code).await)
    }

    async fn channel_open_session(
        &mut self,
        channel: Channel<Msg>,
        reply: ChannelOpenHandle,
        _session: &mut Session,
    ) -> Result<(), Self::Error> {
        if self.channel.is_some() || self.welcomed.is_none() {
            reply
                .reject(russh::ChannelOpenFailure::AdministrativelyProhibited)
                .await;
            return Ok(());
        }
        self.channel = Some(channel.id());
        reply.accept().await;
        Ok(())
    }

    #[allow(clippy::too_many_arguments)] // russh's signature
    async fn pty_request(
        &mut self,
        channel: ChannelId,
        _term: &str,
        col_width: u32,
        row_height: u32,
        _pix_width: u32,
        _pix_height: u32,
        _modes: &[(Pty, u32)],
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        if self.channel != Some(channel) {
            return session.channel_failure(channel);
        }
        self.size = Some(cells(col_width, row_height));
        session.channel_success(channel)
    }

    async fn shell_request(
        &mut self,
        channel: ChannelId,
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        if self.channel != Some(channel) || self.input.is_some() {
            return session.channel_failure(channel);
        }
        let Some(welcomed) = self.welcomed.take() else {
            return session.channel_failure(channel);
        };
        session.channel_success(channel)?;
        let size = self.size.unwrap_or(DEFAULT_SIZE);
        let (input, events) = mpsc::channel(INPUT_QUEUE);
        self.input = Some(input);
        let limits = SeatLimits {
            idle: self.shared.limits.idle,
            write_timeout: self.shared.limits.write_timeout,
        };
        let out = seat::Channel {
            handle: session.handle(),
            id: channel,
        };
        tokio::spawn(seat::run(
            welcomed,
            out,
            size,
            events,
            limits,
            self.peer.ip(),
        ));
        if let Some(started) = self.started.take() {
            let _ = started.send(());
        }
        Ok(())
    }

    async fn exec_request(
        &mut self,
        channel: ChannelId,
        _data: &[u8],
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        // `ssh HOST COMMAND`: there is nothing to run but the exercise.
        session.data(
            channel,
            "cyberdrill runs no commands: connect with `ssh -p PORT HOST` only\r\n".to_string(),
        )?;
        session.channel_failure(channel)?;
        session.close(channel)
    }

    async fn subsystem_request(
        &mut self,
        channel: ChannelId,
        _name: &str,
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        session.channel_failure(channel)
    }

    async fn window_change_request(
        &mut self,
        channel: ChannelId,
        col_width: u32,
        row_height: u32,
        _pix_width: u32,
        _pix_height: u32,
        _session: &mut Session,
    ) -> Result<(), Self::Error> {
        if self.channel != Some(channel) {
            return Ok(());
        }
        let (width, height) = cells(col_width, row_height);
        if self.input.is_some() {
            self.send_to_seat(SeatInput::Resize { width, height }).await;
        } else {
            self.size = Some((width, height));
        }
        Ok(())
    }

    async fn data(
        &mut self,
        channel: ChannelId,
        data: &[u8],
        _session: &mut Session,
    ) -> Result<(), Self::Error> {
        if self.channel == Some(channel) {
            self.send_to_seat(SeatInput::Data(data.to_vec())).await;
        }
        Ok(())
    }

    async fn channel_eof(
        &mut self,
        channel: ChannelId,
        _session: &mut Session,
    ) -> Result<(), Self::Error> {
        if self.channel == Some(channel) {
            self.send_to_seat(SeatInput::Closed).await;
        }
        Ok(())
    }

    /// A closed channel ends the seat as its end of input does.
    async fn channel_close(
        &mut self,
        channel: ChannelId,
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        self.channel_eof(channel, session).await
    }
}

impl Drop for Connection {
    /// A code welcomed but never given a shell: the seat is freed.
    fn drop(&mut self) {
        if let Some(welcomed) = self.welcomed.take()
            && let Ok(runtime) = tokio::runtime::Handle::try_current()
        {
            runtime.spawn(welcomed.seated.close());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_code_shaped_user_names_are_tried_as_codes() {
        assert!(looks_like_code("ABCD-EFGH-JK23"));
        assert!(looks_like_code("abcd efgh jk23"));
        assert!(
            looks_like_code("WFDP-KEME-GRWW"),
            "codes without a digit too"
        );
        assert!(!looks_like_code("alice"));
        assert!(!looks_like_code("administrator"));
        assert!(!looks_like_code("abcdefghijkl"));
    }

    #[test]
    fn each_wrong_code_on_a_connection_waits_twice_as_long_as_the_one_before() {
        let first = Duration::from_secs(1);
        let waits: Vec<u64> = (1..=3)
            .map(|tried| wrong_code_delay(first, tried).as_secs())
            .collect();
        assert_eq!(waits, vec![1, 2, 4]);
        // No overflow, however many codes.
        assert!(wrong_code_delay(first, u32::MAX) >= Duration::from_secs(u64::from(u32::MAX)));
    }

    #[test]
    fn reported_sizes_beyond_a_terminal_cell_count_saturate() {
        assert_eq!(cells(120, 40), (120, 40));
        assert_eq!(cells(u32::MAX, 70_000), (u16::MAX, u16::MAX));
    }
}
