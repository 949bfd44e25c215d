//! The TCP client side of the protocol, shared by `cyberdrill join` and `cyberdrill bot`:
//! connect, shake hands with a join code, then exchange frames. What a seat remembers
//! between frames (the history of views, requests in flight) is the [`super::bridge`]'s.

use std::time::Duration;

use anyhow::{Context, bail};
use futures_util::{SinkExt, StreamExt};
use tokio::net::TcpStream;
use tokio::net::tcp::{OwnedReadHalf, OwnedWriteHalf};
use tokio::time::timeout;
use tokio_util::codec::{FramedRead, FramedWrite, LengthDelimitedCodec};

use super::protocol::{self, ClientMsg, PROTOCOL_VERSION, Seat, ServerMsg, Status};

/// How long to wait for the server to accept the connection and answer `hello`.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// Sending half of a joined connection.
pub struct Sender {
    writer: FramedWrite<OwnedWriteHalf, LengthDelimitedCodec>,
}

/// Receiving half of a joined connection.
pub struct Receiver {
    reader: FramedRead<OwnedReadHalf, LengthDelimitedCodec>,
}

/// The server answered the handshake with a refusal: the code opens no seat there.
/// Unlike a server that cannot be reached, trying again will not help.
#[derive(Debug)]
pub struct Refused(pub String);

impl std::fmt::Display for Refused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "the server refused to let you join: {}", self.0)
    }
}

impl std::error::Error for Refused {}

/// A connection that passed the handshake.
pub struct Joined {
    pub seat: Seat,
    pub seat_name: String,
    pub title: String,
    pub status: Status,
    /// The smallest request id the seat has not used yet.
    pub next_request_id: u64,
    pub sender: Sender,
    pub receiver: Receiver,
}

/// Another connection took the seat over: rejoining would only take it back.
#[derive(Debug)]
pub struct Replaced(pub String);

impl std::fmt::Display for Replaced {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Replaced {}

/// Connects to `addr` and joins with `code`; a refused code is an error that quotes
/// the server's reason.
pub async fn join(addr: &str, code: &str, bot: bool) -> anyhow::Result<Joined> {
    let stream = timeout(CONNECT_TIMEOUT, TcpStream::connect(addr))
        .await
        .map_err(|_| anyhow::anyhow!("no answer from {addr} within 10 s"))
        .and_then(|r| r.map_err(anyhow::Error::from))
        .with_context(|| {
            format!("cannot reach the exercise server at {addr}: check the address and port")
        })?;
    let _ = stream.set_nodelay(true);
    let (read_half, write_half) = stream.into_split();
    let mut sender = Sender {
        writer: FramedWrite::new(write_half, protocol::server_codec()),
    };
    let mut receiver = Receiver {
        reader: FramedRead::new(read_half, protocol::client_codec()),
    };
    sender
        .send(&ClientMsg::Hello {
            protocol_version: PROTOCOL_VERSION,
            code: code.to_string(),
            bot,
        })
        .await?;
    let answer = timeout(CONNECT_TIMEOUT, receiver.recv())
        .await
        .map_err(|_| anyhow::anyhow!("the server at {addr} did not answer the handshake"))??;
    match answer {
        Some(ServerMsg::Welcome {
            protocol_version: _,
            seat,
            seat_name,
            title,
            status,
            next_request_id,
        }) => Ok(Joined {
            seat,
            seat_name,
            title,
            status,
            next_request_id,
            sender,
            receiver,
        }),
        Some(ServerMsg::Refused { reason }) => Err(Refused(reason).into()),
        Some(other) => bail!("unexpected answer to the handshake: {other:?}"),
        None => bail!("the server at {addr} closed the connection during the handshake"),
    }
}

impl Sender {
    /// Sends one message.
    pub async fn send(&mut self, msg: &ClientMsg) -> anyhow::Result<()> {
        self.writer
            .send(protocol::encode(msg))
            .await
            .context("lost the connection to the server")
    }
}

impl Receiver {
    /// The next message, or `None` once the server closed the connection.
    pub async fn recv(&mut self) -> anyhow::Result<Option<ServerMsg>> {
        match self.reader.next().await {
            None => Ok(None),
            Some(Err(e)) => {
                Err(anyhow::Error::from(e).context("lost the connection to the server"))
            }
            Some(Ok(frame)) => protocol::decode_server(&frame)
                .map(Some)
                .map_err(anyhow::Error::msg),
        }
    }
}
