//! One TCP connection on the server: reading and checking frames, rate limiting, and
//! writing the frames the host queues for it. The host itself decides the handshake
//! (codes, takeovers, wrong-code delays per address).
//!
//! Everything a peer sends is untrusted. A connection task can end its own connection
//! (no handshake in time, oversized frame, too many malformed frames, idle or slow peer)
//! but never blocks or disturbs the exercise: it talks to it only through a bounded
//! channel, and the host talks back through a bounded per-connection queue that it
//! never waits on.

use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;

use bytes::Buf;
use futures_util::StreamExt;
use tokio::io::AsyncWriteExt;
use tokio::net::TcpStream;
use tokio::net::tcp::OwnedWriteHalf;
use tokio::time::{Instant, timeout};
use tokio_util::codec::{FramedRead, LengthDelimitedCodec};
use tokio_util::sync::CancellationToken;

use super::outbox::{self, Frames, Outbox, Outgoing};
use super::protocol::{self, ClientMsg, Denied, Frame, MAX_SERVER_FRAME, Outcome, ServerMsg};
use super::server::{Doorway, Event};
use crate::host::ConnId;

/// Limits that keep one peer from hurting the exercise or the other teams.
#[derive(Debug, Clone)]
pub struct Limits {
    /// Time allowed between connecting and a valid `Hello`.
    pub handshake_timeout: Duration,
    /// A connection that sends nothing (not even `Ping`) for this long is closed.
    pub idle_timeout: Duration,
    /// A peer that does not take a frame within this time is a slow peer and is dropped.
    pub write_timeout: Duration,
    /// Frames queued for one connection besides its newest view (views replace each
    /// other, see [`outbox`]); a peer that lets the queue fill is dropped rather than
    /// making the exercise wait.
    pub outbox_frames: usize,
    /// Sustained requests per second allowed per connection.
    pub requests_per_second: f64,
    /// Requests allowed in one burst.
    pub request_burst: f64,
    /// Malformed frames tolerated before the connection is closed.
    pub max_malformed: u32,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            handshake_timeout: Duration::from_secs(10),
            idle_timeout: Duration::from_secs(120),
            write_timeout: Duration::from_secs(10),
            outbox_frames: 256,
            requests_per_second: 20.0,
            request_burst: 60.0,
            max_malformed: 8,
        }
    }
}

/// Kernel send buffer per connection (Linux doubles it for bookkeeping).
const SEND_BUFFER_BYTES: usize = 64 * 1024;

/// Token bucket: `rate` requests per second on average, `burst` at once.
struct RateLimit {
    tokens: f64,
    rate: f64,
    burst: f64,
    last: Instant,
}

impl RateLimit {
    fn new(rate: f64, burst: f64) -> Self {
        RateLimit {
            tokens: burst,
            rate,
            burst,
            last: Instant::now(),
        }
    }

    /// Takes one token if there is one.
    fn allow(&mut self) -> bool {
        let now = Instant::now();
        let elapsed = now.duration_since(self.last).as_secs_f64();
        self.last = now;
        self.tokens = (self.tokens + elapsed * self.rate).min(self.burst);
        if self.tokens >= 1.0 {
            self.tokens -= 1.0;
            true
        } else {
            false
        }
    }
}

/// Serves one accepted TCP connection until it closes: the host learns of it, of every
/// checked frame it sends, and of its end.
pub async fn run_connection(
    stream: TcpStream,
    conn: ConnId,
    peer: IpAddr,
    limits: Limits,
    doorway: Doorway,
) {
    let _ = stream.set_nodelay(true);
    // Bound what the kernel buffers for one peer: memory stays small with a hundred
    // clients, and a peer that stops reading is noticed (and dropped) in seconds.
    let _ = socket2::SockRef::from(&stream).set_send_buffer_size(SEND_BUFFER_BYTES);
    let (read_half, write_half) = stream.into_split();
    let mut reader = FramedRead::new(read_half, protocol::server_codec());
    let (outbox, queued) = outbox::channel(limits.outbox_frames, Some(doorway.taken(conn)));
    let kick = CancellationToken::new();
    let connected = Event::Connected {
        conn,
        peer: Some(peer),
        outbox: outbox.clone(),
        kick: kick.clone(),
    };
    if !doorway.send(connected).await {
        return;
    }
    let write_task = tokio::spawn(write_frames(
        write_half,
        queued,
        kick.clone(),
        limits.write_timeout,
    ));
    read_requests(&mut reader, conn, &limits, &doorway, &outbox, &kick).await;
    // Deliver what is already queued (say, the error explaining why the connection
    // closes), then close.
    outbox.close();
    drop(outbox);
    let _ = write_task.await;
    kick.cancel();
    let _ = doorway.send(Event::Disconnected { conn }).await;
}

/// Writes queued frames until told to close (after the frames queued before) or kicked
/// (at once: slow peer); a frame the peer does not take within `write_timeout` ends the
/// connection. Each frame is its 4-byte big-endian length and its encoded bytes, written
/// together without copying them into a buffer of the connection's own (the frames a
/// hundred connections share are encoded once: see [`Frame::bytes`]).
async fn write_frames(
    mut writer: OwnedWriteHalf,
    mut queued: Frames,
    kick: CancellationToken,
    write_timeout: Duration,
) {
    loop {
        let next = tokio::select! {
            _ = kick.cancelled() => break,
            next = queued.recv() => next,
        };
        let Some(Outgoing::Frame(frame)) = next else {
            break;
        };
        let payload = frame.bytes();
        // Larger than a client accepts: it would drop the connection on reading it.
        let Some(length) = u32::try_from(payload.len())
            .ok()
            .filter(|n| *n as usize <= MAX_SERVER_FRAME)
        else {
            break;
        };
        let header = length.to_be_bytes();
        let mut framed = Buf::chain(&header[..], payload);
        if !matches!(
            timeout(write_timeout, writer.write_all_buf(&mut framed)).await,
            Ok(Ok(()))
        ) {
            break;
        }
    }
    let _ = timeout(write_timeout, writer.shutdown()).await;
    kick.cancel();
}

/// Reads frames until the peer leaves, misbehaves past the limits, idles out or is
/// kicked. Answers what it can itself (pings, malformed frames, rate limiting) and
/// passes the rest to the host. The first frame (the `hello`) must come within the
/// handshake timeout.
async fn read_requests(
    reader: &mut FramedRead<tokio::net::tcp::OwnedReadHalf, LengthDelimitedCodec>,
    conn: ConnId,
    limits: &Limits,
    doorway: &Doorway,
    outbox: &Outbox,
    kick: &CancellationToken,
) {
    let mut rate = RateLimit::new(limits.requests_per_second, limits.request_burst);
    let mut malformed = 0u32;
    let mut first = true;
    loop {
        let wait = if first {
            limits.handshake_timeout
        } else {
            limits.idle_timeout
        };
        let next = tokio::select! {
            _ = kick.cancelled() => return,
            next = timeout(wait, reader.next()) => next,
        };
        let frame = match next {
            Err(_) if first => {
                let _ = reply(
                    outbox,
                    ServerMsg::Refused {
                        reason: format!(
                            "no handshake within {} s: send `hello` first",
                            limits.handshake_timeout.as_secs()
                        ),
                    },
                );
                return;
            }
            Err(_) => {
                let _ = reply(
                    outbox,
                    ServerMsg::Error {
                        message: format!(
                            "closing an idle connection: nothing received for {} s \
                             (clients send `ping` to stay connected)",
                            limits.idle_timeout.as_secs()
                        ),
                    },
                );
                return;
            }
            Ok(None) => return,
            Ok(Some(Err(e))) => {
                // Oversized or broken framing: the stream cannot be resynchronised.
                let _ = reply(
                    outbox,
                    ServerMsg::Error {
                        message: format!(
                            "bad frame ({e}); frames are a 4-byte big-endian length and at \
                             most {} bytes of JSON; closing the connection",
                            protocol::MAX_CLIENT_FRAME
                        ),
                    },
                );
                return;
            }
            Ok(Some(Ok(frame))) => frame,
        };
        let first_frame = std::mem::replace(&mut first, false);
        let msg = match protocol::decode_client(&frame) {
            Ok(msg) => msg,
            // No seat without a readable `hello`: refused, as a wrong code is.
            Err(reason) if first_frame => {
                let _ = reply(outbox, ServerMsg::Refused { reason });
                return;
            }
            Err(message) => {
                malformed += 1;
                if !reply(outbox, ServerMsg::Error { message }) {
                    return;
                }
                if malformed >= limits.max_malformed {
                    let _ = reply(
                        outbox,
                        ServerMsg::Error {
                            message: format!(
                                "{malformed} malformed frames: closing the connection"
                            ),
                        },
                    );
                    return;
                }
                continue;
            }
        };
        if !rate.allow() {
            let denial = match &msg {
                ClientMsg::Submit { request_id, .. } => ServerMsg::Result {
                    request_id: *request_id,
                    outcome: Outcome::Denied(Denied::RateLimited),
                },
                _ => ServerMsg::Error {
                    message: Denied::RateLimited.to_string(),
                },
            };
            if !reply(outbox, denial) {
                return;
            }
            continue;
        }
        let passed = match msg {
            ClientMsg::Ping => reply(outbox, ServerMsg::Pong),
            msg => doorway.send(Event::Received { conn, msg }).await,
        };
        if !passed {
            return;
        }
    }
}

/// Queues a frame for this connection without waiting. `false`: the queue is full, the
/// peer is not reading what it asked for, and the connection must close: an answer
/// silently dropped would leave a client waiting for it for ever.
#[must_use = "a full queue means the connection must close"]
fn reply(outbox: &Outbox, msg: ServerMsg) -> bool {
    outbox.push(Arc::new(Frame::new(msg)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn rate_limit_allows_a_burst_then_the_sustained_rate() {
        let mut rate = RateLimit::new(10.0, 5.0);
        let allowed = (0..20).filter(|_| rate.allow()).count();
        assert_eq!(allowed, 5);
        tokio::time::advance(Duration::from_millis(500)).await;
        let allowed = (0..20).filter(|_| rate.allow()).count();
        assert_eq!(allowed, 5);
        tokio::time::advance(Duration::from_secs(60)).await;
        let allowed = (0..20).filter(|_| rate.allow()).count();
        assert_eq!(allowed, 5, "tokens never exceed the burst");
    }
}
