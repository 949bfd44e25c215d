//! The client side of the protocol, shared by `cyberdrill join` and `cyberdrill bot`:
//! connect, shake hands with a join code, then exchange frames.

use std::time::Duration;

use anyhow::{Context, bail};
use cyberdrill_engine::command::Actor;
use futures_util::{SinkExt, StreamExt};
use tokio::net::TcpStream;
use tokio::net::tcp::{OwnedReadHalf, OwnedWriteHalf};
use tokio::time::timeout;
use tokio_util::codec::{FramedRead, FramedWrite, LengthDelimitedCodec};

use super::protocol::{self, ClientMsg, PROTOCOL_VERSION, ServerMsg, Status};

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

/// A connection that passed the handshake.
pub struct Joined {
    pub seat: Actor,
    pub seat_name: String,
    pub title: String,
    pub status: Status,
    pub sender: Sender,
    pub receiver: Receiver,
}

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
        }) => Ok(Joined {
            seat,
            seat_name,
            title,
            status,
            sender,
            receiver,
        }),
        Some(ServerMsg::Refused { reason }) => {
            bail!("the server refused to let you join: {reason}")
        }
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
