//! The client side of the protocol, shared by `cyberdrill join` and `cyberdrill bot`:
//! connect, shake hands with a join code, then exchange frames.

use std::time::Duration;

use anyhow::{Context, bail};
use cyberdrill_engine::command::Actor;
use cyberdrill_engine::view::HistoryBook;
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

/// Receiving half of a joined connection. Views arrive with only the history points
/// not sent before; the receiver keeps the rest and hands out whole views.
pub struct Receiver {
    reader: FramedRead<OwnedReadHalf, LengthDelimitedCodec>,
    history: HistoryBook,
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
        history: HistoryBook::default(),
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
    /// The next message, or `None` once the server closed the connection. A view comes
    /// out whole: its history completed from the points received before.
    pub async fn recv(&mut self) -> anyhow::Result<Option<ServerMsg>> {
        let frame = match self.reader.next().await {
            None => return Ok(None),
            Some(Err(e)) => {
                return Err(anyhow::Error::from(e).context("lost the connection to the server"));
            }
            Some(Ok(frame)) => frame,
        };
        match protocol::decode_server(&frame).map_err(anyhow::Error::msg)? {
            ServerMsg::View {
                mut view,
                history_after,
            } => {
                self.history
                    .complete(&mut view, history_after)
                    .with_context(|| {
                        "the server's views skipped part of the history: rejoin with the \
                         same code to get the whole view"
                    })?;
                Ok(Some(ServerMsg::View {
                    view,
                    history_after: None,
                }))
            }
            ServerMsg::Watched { mut view } => {
                self.history.fill(&mut view);
                Ok(Some(ServerMsg::Watched { view }))
            }
            other => Ok(Some(other)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use cyberdrill_engine::Simulation;
    use cyberdrill_engine::policy::{Policy, play_round};
    use cyberdrill_engine::testkit::two_economies;
    use cyberdrill_engine::view::HistoryWindow;
    use tokio::net::TcpListener;

    /// A server that sends `frames`, then closes.
    async fn serve_frames(frames: Vec<ServerMsg>) -> String {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("addr").to_string();
        tokio::spawn(async move {
            let (stream, _) = listener.accept().await.expect("accept");
            let (_read, write) = stream.into_split();
            let mut writer = FramedWrite::new(write, protocol::client_codec());
            for frame in frames {
                writer.send(protocol::encode(&frame)).await.expect("send");
            }
        });
        addr
    }

    async fn receiver_of(addr: &str) -> Receiver {
        let stream = TcpStream::connect(addr).await.expect("connect");
        let (read, _write) = stream.into_split();
        Receiver {
            reader: FramedRead::new(read, protocol::client_codec()),
            history: HistoryBook::default(),
        }
    }

    fn view_frame(sim: &Simulation, history_after: Option<u32>) -> ServerMsg {
        let window = history_after.map_or(HistoryWindow::Full, HistoryWindow::After);
        ServerMsg::View {
            view: Box::new(sim.view_with(Actor::Facilitator, window)),
            history_after,
        }
    }

    fn played(sim: &mut Simulation, ticks: u32) {
        for _ in 0..ticks {
            play_round(sim, Policy::Cooperative);
            sim.step();
        }
    }

    #[tokio::test]
    async fn views_come_out_whole_from_increments() {
        let mut sim = Simulation::new(two_economies(), 4);
        played(&mut sim, 3);
        let first = view_frame(&sim, None);
        played(&mut sim, 2);
        let second = view_frame(&sim, Some(3));
        let whole = sim.view(Actor::Facilitator);
        let mut receiver = receiver_of(&serve_frames(vec![first, second]).await).await;
        let Some(ServerMsg::View { view, .. }) = receiver.recv().await.expect("first") else {
            panic!("a view");
        };
        assert!(view.economies.iter().all(|e| e.history.len() == 3));
        let Some(ServerMsg::View { view, .. }) = receiver.recv().await.expect("second") else {
            panic!("a view");
        };
        assert_eq!(*view, whole);
        assert!(receiver.recv().await.expect("closed").is_none());
    }

    #[tokio::test]
    async fn a_gap_in_the_history_is_an_error_that_says_to_rejoin() {
        let mut sim = Simulation::new(two_economies(), 4);
        played(&mut sim, 3);
        let first = view_frame(&sim, None);
        played(&mut sim, 3);
        let skipping = view_frame(&sim, Some(5));
        let mut receiver = receiver_of(&serve_frames(vec![first, skipping]).await).await;
        receiver.recv().await.expect("first view");
        let err = receiver
            .recv()
            .await
            .expect_err("points 4 and 5 never came");
        let text = format!("{err:#}");
        assert!(text.contains("rejoin"), "{text}");
        assert!(text.contains("through tick 3"), "{text}");
    }
}
