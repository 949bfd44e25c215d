//! The exercise server behind `cyberdrill serve`: the host ([`crate::host`]) in one task,
//! beside the sockets.
//!
//! Connection tasks ([`super::connection`]) read and check frames and write what the
//! host sends; the server task hands the host their events with the time they arrived,
//! writes the host's journal records, and delivers its frames. Events are taken in
//! batches of whatever has arrived: their records are written, synced to disk once
//! (group commit: one flush, not one per command), and only then are the batch's
//! answers and views delivered. The host never waits on a peer: a peer whose queue is
//! full is dropped (it can rejoin and get its current view).
//!
//! Seats served by this process (a terminal interface run on the server for an SSH
//! session) come in through the same [`Doorway`] as TCP connections.

use std::collections::BTreeMap;
use std::future::Future;
use std::io::Write;
use std::net::IpAddr;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use anyhow::Context;
use cyberdrill_engine::journal::JournalWriter;
use futures_util::FutureExt;
use tokio::net::TcpListener;
use tokio::sync::mpsc;
use tokio::time::{Instant, sleep_until};
use tokio_util::sync::CancellationToken;

use super::connection::{self, Limits};
pub use super::outbox::Outgoing;
use super::outbox::{self, Frames, Outbox};
use super::protocol::{ClientMsg, Frame, ServerMsg};
use crate::host::report::{self, Source};
use crate::host::{ConnId, Ending, Host, Input, Output};

/// What connections tell the server task.
#[derive(Debug)]
pub enum Event {
    /// A connection opened: frames for it go to `outbox`; cancelling `kick` closes it at
    /// once. `peer`: its address (`None`: a seat in this process).
    Connected {
        conn: ConnId,
        peer: Option<IpAddr>,
        outbox: Outbox,
        kick: CancellationToken,
    },
    /// A checked message from the connection.
    Received { conn: ConnId, msg: ClientMsg },
    /// The connection is gone.
    Disconnected { conn: ConnId },
}

/// The way in to a running server, for connections of any kind: numbers them and
/// carries their events to the host.
#[derive(Debug, Clone)]
pub struct Doorway {
    events: mpsc::Sender<Event>,
    /// Views taken by connections' readers: the host sends each its next view then.
    views_taken: mpsc::UnboundedSender<ConnId>,
    next_conn: Arc<AtomicU64>,
}

impl Doorway {
    /// A number for a new connection, never given before.
    pub fn next_conn(&self) -> ConnId {
        self.next_conn.fetch_add(1, Ordering::Relaxed) + 1
    }

    /// Where connection `conn`'s queue reports the views its reader takes.
    pub fn taken(&self, conn: ConnId) -> outbox::Taken {
        outbox::Taken {
            conn,
            to: self.views_taken.clone(),
        }
    }

    /// Hands an event to the server task (waits while its queue is full); `false` once
    /// the server has stopped.
    pub async fn send(&self, event: Event) -> bool {
        self.events.send(event).await.is_ok()
    }

    /// Opens a connection served in this process (a terminal interface the server runs
    /// for an SSH session): the host's frames for it arrive on the returned [`Seated`]'s
    /// `frames`, at most `queue` of them waiting besides the newest view (a seat that
    /// lets them pile up is dropped, as a slow TCP peer is; views it did not take yet
    /// are replaced by newer ones, see [`outbox`]). It must say `hello` first, like any
    /// connection; `peer`, its address, is throttled after wrong codes. `None` once the
    /// server stopped.
    pub async fn open(&self, peer: Option<IpAddr>, queue: usize) -> Option<Seated> {
        let conn = self.next_conn();
        let (outbox, frames) = outbox::channel(queue, Some(self.taken(conn)));
        let kick = CancellationToken::new();
        let connected = Event::Connected {
            conn,
            peer,
            outbox,
            kick: kick.clone(),
        };
        self.send(connected).await.then(|| Seated {
            conn,
            frames,
            kick,
            doorway: self.clone(),
        })
    }
}

/// A connection served in this process, opened with [`Doorway::open`].
#[derive(Debug)]
pub struct Seated {
    pub conn: ConnId,
    /// What the host sends it, in order (`frames.recv().await`); [`Outgoing::Close`] or
    /// `None` ends it.
    pub frames: Frames,
    /// Cancelled when the server drops the connection at once (it fell behind).
    pub kick: CancellationToken,
    doorway: Doorway,
}

impl Seated {
    /// Sends a protocol message to the host as this connection; `false` once the
    /// server stopped.
    pub async fn send(&self, msg: ClientMsg) -> bool {
        self.doorway
            .send(Event::Received {
                conn: self.conn,
                msg,
            })
            .await
    }

    /// The connection ends (the SSH session closed): the host frees the seat.
    pub async fn close(self) {
        let _ = self
            .doorway
            .send(Event::Disconnected { conn: self.conn })
            .await;
    }
}

/// Most events taken in one batch, so that a flood cannot hold answers back for long.
const MAX_BATCH: usize = 256;

/// How long the last frames get to reach their peers when the session ends.
const CLOSING_GRACE: Duration = Duration::from_millis(200);

/// A connection as the server task knows it.
struct Peer {
    outbox: Outbox,
    kick: CancellationToken,
}

impl Drop for Peer {
    /// A connection the server forgets (the session ended, or the server stopped on an
    /// error) gets what was queued, then its end: nobody waits for frames for ever.
    fn drop(&mut self) {
        self.outbox.close();
    }
}

/// Serves the host on `listener` until its session ends; `journal`: where its records
/// go. `on_start` is given the doorway before the first connection is accepted (for
/// seats served by this process).
pub async fn serve(
    listener: TcpListener,
    host: Host,
    journal: Option<JournalWriter>,
    limits: Limits,
    on_start: impl FnOnce(Doorway),
) -> anyhow::Result<Ending> {
    // Listen for Ctrl-C before anything else: tokio installs the handler when the future
    // is first polled, and a signal arriving before that would be lost (or end the
    // process without a clean end of the session).
    let mut interrupt = Box::pin(tokio::signal::ctrl_c());
    let early = interrupt.as_mut().now_or_never();
    let (events_tx, events) = mpsc::channel(4096);
    // Unbounded, yet never long: a connection takes at most one view the host sent it
    // before the host sends it another.
    let (views_taken, taken) = mpsc::unbounded_channel();
    let doorway = Doorway {
        events: events_tx,
        views_taken,
        next_conn: Arc::new(AtomicU64::new(0)),
    };
    on_start(doorway.clone());
    let stop_accepting = CancellationToken::new();
    let accept = tokio::spawn(accept_connections(
        listener,
        doorway,
        limits,
        stop_accepting.clone(),
    ));
    let mut server = Server {
        host,
        journal,
        peers: BTreeMap::new(),
        pending: Vec::new(),
        unsynced: false,
    };
    let ending = server.run(events, taken, interrupt, early).await;
    stop_accepting.cancel();
    let _ = accept.await;
    ending
}

/// Accepts connections and gives each its own task, until told to stop.
async fn accept_connections(
    listener: TcpListener,
    doorway: Doorway,
    limits: Limits,
    stop: CancellationToken,
) {
    loop {
        let accepted = tokio::select! {
            _ = stop.cancelled() => return,
            accepted = listener.accept() => accepted,
        };
        match accepted {
            Ok((stream, peer)) => {
                let conn = doorway.next_conn();
                tokio::spawn(connection::run_connection(
                    stream,
                    conn,
                    peer.ip(),
                    limits.clone(),
                    doorway.clone(),
                ));
            }
            // Out of file descriptors and the like: wait a little rather than spin.
            Err(_) => tokio::time::sleep(Duration::from_millis(50)).await,
        }
    }
}

/// The server task's state: the host, its journal file and the connections.
struct Server {
    host: Host,
    journal: Option<JournalWriter>,
    peers: BTreeMap<ConnId, Peer>,
    /// What the batch sends, delivered once its records are on disk.
    pending: Vec<(ConnId, Outgoing)>,
    /// Records were written since the journal was last synced.
    unsynced: bool,
}

impl Server {
    /// Runs the session; `ctrl_c`: Ctrl-C on the server's terminal, one future for the
    /// whole session (a signal arriving while a batch is handled is kept for the next
    /// turn of the loop); `early`: what it gave when first polled, if anything.
    async fn run(
        &mut self,
        mut events: mpsc::Receiver<Event>,
        mut taken: mpsc::UnboundedReceiver<ConnId>,
        mut ctrl_c: Pin<Box<impl Future<Output = std::io::Result<()>>>>,
        early: Option<std::io::Result<()>>,
    ) -> anyhow::Result<Ending> {
        let (reports_tx, mut reports) = mpsc::channel::<(ConnId, ServerMsg)>(16);
        // A finished future is never polled again.
        let mut interrupted = early.is_some();
        if matches!(early, Some(Ok(()))) {
            self.host.handle(now(), Input::Shutdown);
        }
        loop {
            let due = self.host.poll_timeout().map(Instant::from_std);
            tokio::select! {
                event = events.recv() => {
                    let Some(event) = event else { break };
                    self.take(event);
                    for _ in 1..MAX_BATCH {
                        match events.try_recv() {
                            Ok(event) => self.take(event),
                            Err(_) => break,
                        }
                    }
                }
                Some(conn) = taken.recv() => {
                    self.host.handle(now(), Input::ViewTaken { conn });
                    while let Ok(conn) = taken.try_recv() {
                        self.host.handle(now(), Input::ViewTaken { conn });
                    }
                }
                _ = sleep_until(due.unwrap_or_else(Instant::now)), if due.is_some() => {
                    self.host.handle(now(), Input::Timeout);
                }
                Some((conn, msg)) = reports.recv() => {
                    self.pending.push((conn, Outgoing::Frame(Arc::new(Frame::new(msg)))));
                }
                // Ctrl-C on the server's terminal ends the session cleanly: everyone is
                // told, the journal is complete.
                Ok(()) = ctrl_c.as_mut(), if !interrupted => {
                    interrupted = true;
                    self.host.handle(now(), Input::Shutdown);
                }
            }
            if let Some(ending) = self.commit(&reports_tx)? {
                self.close_all(&mut events).await;
                return Ok(ending);
            }
        }
        // Every sender is gone: nothing can reach the host any more.
        let tick = self.host.simulation().tick();
        Ok(Ending {
            tick,
            state_hash: self.host.simulation().state_hash().to_hex(),
        })
    }

    /// Hands one connection event to the host.
    fn take(&mut self, event: Event) {
        let input = match event {
            Event::Connected {
                conn,
                peer,
                outbox,
                kick,
            } => {
                self.peers.insert(conn, Peer { outbox, kick });
                // Every queue made by the doorway reports the views its reader takes.
                Input::Connected {
                    conn,
                    peer,
                    paced: true,
                }
            }
            Event::Received { conn, msg } => Input::Received { conn, msg },
            Event::Disconnected { conn } => {
                self.peers.remove(&conn);
                Input::Disconnected { conn }
            }
        };
        self.host.handle(now(), input);
    }

    /// Ends a batch: takes the host's outputs, syncs their records to disk, then sends
    /// the batch's frames (answers only leave once what they acknowledge is durable).
    /// The answers go first; the views of the seats whose commands were accepted are
    /// built after they left (a round trip does not wait for views). The ending, once
    /// the host's session is over.
    fn commit(
        &mut self,
        reports: &mpsc::Sender<(ConnId, ServerMsg)>,
    ) -> anyhow::Result<Option<Ending>> {
        let mut ending = None;
        while let Some(output) = self.host.poll_answer() {
            self.take_output(output, reports, &mut ending)?;
        }
        self.sync_and_deliver()?;
        while let Some(output) = self.host.poll_output() {
            self.take_output(output, reports, &mut ending)?;
        }
        self.sync_and_deliver()?;
        Ok(ending)
    }

    /// Does one of the host's outputs: a record is written (not yet synced), a frame
    /// waits in `pending` for the sync.
    fn take_output(
        &mut self,
        output: Output,
        reports: &mpsc::Sender<(ConnId, ServerMsg)>,
        ending: &mut Option<Ending>,
    ) -> anyhow::Result<()> {
        match output {
            Output::Journal(record) => {
                if let Some(journal) = self.journal.as_mut() {
                    journal.write(&record).context(JOURNAL_LOST)?;
                    self.unsynced = true;
                }
            }
            Output::Send { to, frame } => {
                for conn in to {
                    self.pending
                        .push((conn, Outgoing::Frame(Arc::clone(&frame))));
                }
            }
            Output::Close { conn } => self.pending.push((conn, Outgoing::Close)),
            // A closed stdout (`serve | head`) must not stop the exercise: the
            // journal has it.
            Output::Log(line) => {
                let _ = writeln!(std::io::stdout(), "{line}");
            }
            Output::Report { to } => {
                let source = match &self.journal {
                    Some(journal) => Source::File(journal.path().to_path_buf()),
                    None => Source::Memory(Box::new(self.host.journal().clone())),
                };
                let reports = reports.clone();
                // Replaying the journal takes a while: not on the host's task.
                tokio::task::spawn_blocking(move || {
                    let _ = reports.blocking_send((to, report::make(source)));
                });
            }
            Output::Stop(end) => *ending = Some(end),
        }
        Ok(())
    }

    /// Syncs the records written since the last sync, then delivers the frames waiting.
    fn sync_and_deliver(&mut self) -> anyhow::Result<()> {
        if let Some(journal) = self.journal.as_mut()
            && std::mem::take(&mut self.unsynced)
        {
            // fsync blocks: let the runtime move other tasks off this thread meanwhile.
            tokio::task::block_in_place(|| journal.sync()).context(JOURNAL_LOST)?;
        }
        for (conn, outgoing) in std::mem::take(&mut self.pending) {
            self.deliver(conn, outgoing);
        }
        Ok(())
    }

    /// Hands an outgoing frame to the connection without waiting. A peer whose queue is
    /// full is too slow to keep up: it is disconnected (it can rejoin and get its
    /// current view); its task reports the departure.
    fn deliver(&mut self, conn: ConnId, outgoing: Outgoing) {
        let Some(peer) = self.peers.get(&conn) else {
            return;
        };
        match outgoing {
            Outgoing::Frame(frame) => {
                if !peer.outbox.push(frame) {
                    peer.kick.cancel();
                }
            }
            // Dropping the peer queues its close.
            Outgoing::Close => {
                self.peers.remove(&conn);
            }
        }
    }

    /// The session is over: requests still arriving are answered for a moment (the
    /// host says the session is over), then every connection is closed.
    async fn close_all(&mut self, events: &mut mpsc::Receiver<Event>) {
        let grace = tokio::time::sleep(CLOSING_GRACE);
        tokio::pin!(grace);
        let (reports_tx, _reports) = mpsc::channel(1);
        loop {
            tokio::select! {
                _ = &mut grace => break,
                event = events.recv() => match event {
                    Some(event) => {
                        self.take(event);
                        if self.commit(&reports_tx).is_err() {
                            break;
                        }
                    }
                    None => break,
                },
            }
        }
        // Dropping each peer queues its close.
        self.peers.clear();
    }
}

/// The time now, as the host takes it (tokio's clock, so that paused tests move it).
fn now() -> std::time::Instant {
    Instant::now().into_std()
}

const JOURNAL_LOST: &str = "the exercise stopped because its journal can no longer be written; \
     free disk space or fix the file, then continue with `serve --resume`";

#[cfg(test)]
mod tests {
    use std::time::Instant;

    use cyberdrill_engine::Simulation;
    use cyberdrill_engine::journal::{Header, Journal};
    use cyberdrill_engine::testkit::two_economies;

    use super::*;
    use crate::client::{FromSession, Seat, ToSession};
    use crate::host::HostConfig;
    use crate::net::bridge::Bridge;
    use crate::net::codes::JoinCodes;
    use crate::net::protocol::PROTOCOL_VERSION;

    /// The next message the host sends a seat in this process.
    async fn next(seat: &mut Seated) -> ServerMsg {
        match seat.frames.recv().await {
            Some(Outgoing::Frame(frame)) => frame.msg.clone(),
            other => panic!("the seat was closed: {other:?}"),
        }
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_seat_in_the_servers_process_plays_through_a_bridge_as_a_tcp_client_would() {
        let scenario = two_economies();
        let ids: Vec<String> = scenario.teams.iter().map(|t| t.id.clone()).collect();
        let codes = JoinCodes::generate(&ids, 0).expect("OS randomness");
        let sim = Simulation::new(scenario, 3);
        let journal = Journal {
            header: Header::new("two.toml", "# test", 3, "test"),
            records: Vec::new(),
            recovered: None,
            chain: None,
        };
        let host = Host::new(sim, journal, HostConfig::new(codes.clone()), Instant::now());
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let (doors_tx, mut doors) = mpsc::channel(1);
        let server = tokio::spawn(serve(listener, host, None, Limits::default(), move |d| {
            let _ = doors_tx.try_send(d);
        }));
        let doorway = doors.recv().await.expect("the doorway");

        let mut seat = doorway.open(None, 64).await.expect("open");
        let code = codes.teams[&ids[0]].clone();
        let hello = ClientMsg::Hello {
            protocol_version: PROTOCOL_VERSION,
            code,
            bot: false,
        };
        assert!(seat.send(hello).await);
        let ServerMsg::Welcome {
            seat: who,
            status,
            next_request_id,
            ..
        } = next(&mut seat).await
        else {
            panic!("welcome");
        };
        assert_eq!(
            who,
            Seat::Team(cyberdrill_engine::scenario::model::TeamIdx(0))
        );
        let mut bridge = Bridge::new(who, status, next_request_id, ".");
        let Ok(Some(FromSession::View(view))) = bridge.interface_update(next(&mut seat).await)
        else {
            panic!("the first view");
        };
        assert_eq!(view.tick, 0);
        // The interface's `ready` goes through the bridge; alone at the table, the turn ends.
        let (msgs, _) = bridge.server_msgs(ToSession::Ready);
        for msg in msgs {
            assert!(seat.send(msg).await);
        }
        loop {
            if let Ok(Some(FromSession::View(view))) =
                bridge.interface_update(next(&mut seat).await)
                && view.tick == 1
            {
                break;
            }
        }
        seat.close().await;
        server.abort();
    }
}
