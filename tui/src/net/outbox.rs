//! What the host sends one connection, waiting to be written: answers and messages in
//! order, but only the newest view.
//!
//! A view is the seat's whole picture at one tick; once a newer one exists, an older
//! one not yet written is worth nothing to its reader. So a connection that falls
//! behind (a slow laptop, a busy link) skips intermediate views instead of queueing
//! them: a new view takes the place of the unsent one (keeping its place in the order,
//! so that it never overtakes what was queued before it), and the connection's memory
//! stays one view however far it is behind. Results, notices and the other messages
//! still queue, each delivered once, up to a limit beyond which the connection is too
//! slow to keep and is dropped.
//!
//! Views carry only the history points their seat was not sent before (see
//! [`ServerMsg::View`]): a replaced view's points are carried over into its
//! replacement, so the reader still gets every point once.
//!
//! A queue made with a [`Taken`] reports every view its reader takes, and the server's
//! host then builds the connection no newer view until its last one was taken
//! ([`crate::host::Input::ViewTaken`]): a reader that falls behind costs the host nothing
//! instead of a view a tick that would only be replaced.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex, MutexGuard};

use tokio::sync::Notify;
use tokio::sync::mpsc::UnboundedSender;

use super::protocol::{Directory, Frame, ServerMsg};
use crate::host::ConnId;

/// What goes to one connection: frames in order, then perhaps the order to close.
#[derive(Debug, Clone)]
pub enum Outgoing {
    Frame(Arc<Frame>),
    /// Deliver what was queued before, then close.
    Close,
}

/// The sending side of a connection's queue (the server task, and the connection's own
/// task for the answers it gives itself). Cheap to clone.
#[derive(Debug, Clone)]
pub struct Outbox {
    shared: Arc<Shared>,
}

/// The receiving side: the connection's writer, or a seat served in the server's
/// process.
#[derive(Debug)]
pub struct Frames {
    shared: Arc<Shared>,
}

/// Where a paced connection reports the views it takes: its number goes to the
/// server task, which tells the host ([`crate::host::Input::ViewTaken`]).
#[derive(Debug, Clone)]
pub struct Taken {
    pub conn: ConnId,
    pub to: UnboundedSender<ConnId>,
}

/// A queue of at most `capacity` frames besides the newest view and the newest watched
/// view, which never queue. `taken`: where to report each view the reader takes.
pub fn channel(capacity: usize, taken: Option<Taken>) -> (Outbox, Frames) {
    let shared = Arc::new(Shared {
        queue: Mutex::new(Queue {
            items: VecDeque::new(),
            view: None,
            watched: None,
            closed: false,
        }),
        wake: Notify::new(),
        capacity: capacity.max(1),
        taken,
    });
    (
        Outbox {
            shared: shared.clone(),
        },
        Frames { shared },
    )
}

#[derive(Debug)]
struct Shared {
    queue: Mutex<Queue>,
    wake: Notify,
    capacity: usize,
    taken: Option<Taken>,
}

#[derive(Debug)]
struct Queue {
    items: VecDeque<Item>,
    /// The newest unsent view, written where [`Item::View`] stands.
    view: Option<Arc<Frame>>,
    /// The newest unsent view of a watched team, written where [`Item::Watched`] stands.
    watched: Option<Arc<Frame>>,
    /// A close was queued: nothing more is taken.
    closed: bool,
}

#[derive(Debug)]
enum Item {
    Frame(Arc<Frame>),
    /// The place of the newest view.
    View,
    /// The place of the newest watched view.
    Watched,
    Close,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, Queue> {
        // A panic while holding this lock cannot leave the queue half-changed (every
        // change is one push or pop): carry on with it.
        self.queue
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl Outbox {
    /// Queues `frame` without waiting: a view takes the place of the connection's unsent
    /// view if it has one. `false`: the queue is full, the connection is not reading what
    /// it is sent and must be closed (a message silently dropped would leave a client
    /// waiting for an answer for ever).
    #[must_use = "a full queue means the connection must close"]
    pub fn push(&self, frame: Arc<Frame>) -> bool {
        let mut queue = self.shared.lock();
        if queue.closed {
            return true;
        }
        let place = match &frame.msg {
            ServerMsg::View { .. } => {
                let waiting = queue.view.take();
                let placed = waiting.is_some();
                queue.view = Some(match waiting {
                    Some(older) => merged(older, frame),
                    None => frame,
                });
                (!placed).then_some(Item::View)
            }
            ServerMsg::Watched { .. } => {
                let placed = queue.watched.replace(frame).is_some();
                (!placed).then_some(Item::Watched)
            }
            _ => Some(Item::Frame(frame)),
        };
        let Some(item) = place else {
            // The unsent view was replaced in its place: nothing more to wake for.
            return true;
        };
        if queue.items.len() >= self.shared.capacity {
            return false;
        }
        queue.items.push_back(item);
        drop(queue);
        self.shared.wake.notify_one();
        true
    }

    /// Queues the order to close after everything queued before (never refused).
    pub fn close(&self) {
        let mut queue = self.shared.lock();
        if !queue.closed {
            queue.closed = true;
            queue.items.push_back(Item::Close);
        }
        drop(queue);
        self.shared.wake.notify_one();
    }
}

impl Frames {
    /// The next thing to write, waiting for it; `None` once the connection was closed
    /// and everything before the close was taken.
    pub async fn recv(&mut self) -> Option<Outgoing> {
        loop {
            if let Some(next) = self.try_recv() {
                return Some(next);
            }
            if self.shared.lock().closed {
                return None;
            }
            self.shared.wake.notified().await;
        }
    }

    /// The next thing to write if there is one.
    pub fn try_recv(&mut self) -> Option<Outgoing> {
        let mut queue = self.shared.lock();
        while let Some(item) = queue.items.pop_front() {
            let next = match item {
                Item::Frame(frame) => Some(Outgoing::Frame(frame)),
                Item::View => {
                    let view = queue.view.take();
                    if let (Some(_), Some(taken)) = (&view, &self.shared.taken) {
                        // The server is gone if this fails: nobody waits for it then.
                        let _ = taken.to.send(taken.conn);
                    }
                    view.map(Outgoing::Frame)
                }
                Item::Watched => queue.watched.take().map(Outgoing::Frame),
                Item::Close => Some(Outgoing::Close),
            };
            if next.is_some() {
                return next;
            }
        }
        None
    }
}

/// One view replacing an unsent `older` one: `newer`, with the history points `older`
/// carried that `newer` leaves out (and, when `older` was a seat's first view, the
/// whole directory and history, as a first view has).
fn merged(older: Arc<Frame>, newer: Arc<Frame>) -> Arc<Frame> {
    let ServerMsg::View {
        history_after: Some(after),
        ..
    } = &newer.msg
    else {
        // The newer view carries everything itself.
        return newer;
    };
    let after = *after;
    let ServerMsg::View {
        view: old,
        history_after: old_after,
    } = &older.msg
    else {
        return newer;
    };
    let old_after = *old_after;
    let mut msg = Arc::try_unwrap(newer).map_or_else(|shared| shared.msg.clone(), |f| f.msg);
    if let ServerMsg::View {
        view,
        history_after,
    } = &mut msg
    {
        for (economy, before) in view.economies.iter_mut().zip(&old.economies) {
            let mut points: Vec<_> = before
                .history
                .iter()
                .filter(|p| p.tick <= after)
                .copied()
                .collect();
            points.append(&mut economy.history);
            economy.history = points;
        }
        if old_after.is_none() {
            Directory::of(old).fill(view);
        }
        *history_after = old_after;
    }
    Arc::new(Frame::new(msg))
}

#[cfg(test)]
mod tests {
    use cyberdrill_engine::Simulation;
    use cyberdrill_engine::command::Actor;
    use cyberdrill_engine::policy::{self, Policy};
    use cyberdrill_engine::testkit::two_economies;
    use cyberdrill_engine::view::{HistoryBook, HistoryWindow};

    use super::*;

    fn frame(msg: ServerMsg) -> Arc<Frame> {
        Arc::new(Frame::new(msg))
    }

    /// The facilitator's view as the host sends it: after `after`, without the
    /// directory; `None`: whole.
    fn view(sim: &Simulation, after: Option<u32>) -> Arc<Frame> {
        let mut view = sim.view_with(
            Actor::Facilitator,
            after.map_or(HistoryWindow::Full, HistoryWindow::After),
        );
        if after.is_some() {
            Directory::take(&mut view);
        }
        frame(ServerMsg::View {
            view: Box::new(view),
            history_after: after,
        })
    }

    fn step(sim: &mut Simulation) {
        policy::play_round(sim, Policy::Cooperative);
        sim.step();
    }

    fn taken(frames: &mut Frames) -> Vec<ServerMsg> {
        std::iter::from_fn(|| frames.try_recv())
            .map(|out| match out {
                Outgoing::Frame(frame) => frame.msg.clone(),
                Outgoing::Close => ServerMsg::Ended {
                    reason: "close".to_string(),
                },
            })
            .collect()
    }

    #[test]
    fn a_reader_behind_gets_every_message_but_only_the_newest_view_with_all_its_history() {
        let mut sim = Simulation::new(two_economies(), 2);
        let (outbox, mut frames) = channel(8, None);
        let pong = || frame(ServerMsg::Pong);
        // Nothing is read while three ticks pass: the first, whole view, a message,
        // two increments, another message.
        assert!(outbox.push(view(&sim, None)));
        assert!(outbox.push(pong()));
        step(&mut sim);
        assert!(outbox.push(view(&sim, Some(0))));
        step(&mut sim);
        assert!(outbox.push(view(&sim, Some(1))));
        assert!(outbox.push(pong()));
        outbox.close();
        assert!(outbox.push(pong()), "pushing after the close is ignored");

        let got = taken(&mut frames);
        assert_eq!(got.len(), 4, "{got:?}");
        let ServerMsg::View {
            view,
            history_after,
        } = &got[0]
        else {
            panic!("the view keeps the first one's place: {got:?}");
        };
        assert_eq!(
            *history_after, None,
            "as whole as the first view it replaced"
        );
        let mut book = HistoryBook::default();
        let mut whole = (**view).clone();
        assert_eq!(book.complete(&mut whole, None), Ok(()));
        assert_eq!(
            whole,
            sim.view(Actor::Facilitator),
            "the newest, and complete"
        );
        assert!(matches!(got[1], ServerMsg::Pong) && matches!(got[2], ServerMsg::Pong));
        assert!(matches!(got[3], ServerMsg::Ended { .. }), "then the close");
    }

    #[test]
    fn replaced_increments_keep_every_history_point_once() {
        let mut sim = Simulation::new(two_economies(), 3);
        let (outbox, mut frames) = channel(8, None);
        let mut book = HistoryBook::default();
        let mut first = sim.view(Actor::Facilitator);
        assert!(outbox.push(view(&sim, None)));
        assert!(frames.try_recv().is_some());
        assert_eq!(book.complete(&mut first, None), Ok(()));
        for after in 0..3 {
            step(&mut sim);
            assert!(outbox.push(view(&sim, Some(after))));
        }
        let got = taken(&mut frames);
        let [
            ServerMsg::View {
                view,
                history_after,
            },
        ] = got.as_slice()
        else {
            panic!("one view: {got:?}");
        };
        assert_eq!(*history_after, Some(0));
        let mut view = (**view).clone();
        assert!(view.teams.is_empty(), "the directory stays left out");
        assert!(view.economies.iter().all(|e| e.history.len() == 3));
        assert_eq!(book.complete(&mut view, *history_after), Ok(()));
        Directory::of(&first).fill(&mut view);
        assert_eq!(view, sim.view(Actor::Facilitator));
    }

    #[test]
    fn a_full_queue_refuses_but_views_never_fill_it() {
        let sim = Simulation::new(two_economies(), 1);
        let (outbox, mut frames) = channel(2, None);
        assert!(outbox.push(frame(ServerMsg::Pong)));
        assert!(outbox.push(view(&sim, None)));
        for _ in 0..10 {
            assert!(outbox.push(view(&sim, Some(0))), "a view replaces a view");
        }
        assert!(!outbox.push(frame(ServerMsg::Pong)), "the queue is full");
        assert_eq!(taken(&mut frames).len(), 2);
        assert!(outbox.push(frame(ServerMsg::Pong)), "room again once read");
    }

    #[tokio::test]
    async fn the_reader_waits_for_frames_and_ends_after_the_close() {
        let (outbox, mut frames) = channel(4, None);
        let reader = tokio::spawn(async move {
            let mut got = 0;
            while let Some(out) = frames.recv().await {
                if matches!(out, Outgoing::Frame(_)) {
                    got += 1;
                }
            }
            got
        });
        tokio::task::yield_now().await;
        assert!(outbox.push(frame(ServerMsg::Pong)));
        assert!(outbox.push(frame(ServerMsg::Pong)));
        outbox.close();
        assert_eq!(reader.await.ok(), Some(2));
    }
}
