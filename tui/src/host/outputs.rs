//! What the host sends and records: views (built once for every seat that sees the
//! same), the status, notices, log lines and journal records.

use std::collections::BTreeMap;
use std::sync::Arc;

use cyberdrill_engine::command::Actor;
use cyberdrill_engine::journal::{Record, SessionEvent};
use cyberdrill_engine::scenario::model::TeamIdx;
use cyberdrill_engine::view::{EconomyView, HistoryWindow};

use super::{ConnId, Host, Output, Phase};
use crate::client::Seat;
use crate::net::protocol::{Directory, Frame, ServerMsg, Status};
use crate::net::wire::PublicEconomies;

impl Host {
    pub(super) fn tick(&self) -> u32 {
        self.sim.tick()
    }

    pub(super) fn status(&self) -> Status {
        let mut connected = Vec::new();
        let mut ready = Vec::new();
        let mut bots = Vec::new();
        for (seat, state) in &self.seats {
            let Seat::Team(team) = seat else { continue };
            let actor = Actor::Team(*team);
            if state.holder.is_some() {
                connected.push(actor);
            }
            if state.ready {
                ready.push(actor);
            }
            if state.bot_plays {
                bots.push(actor);
            }
        }
        Status {
            tick: self.tick(),
            pace: self.clock.pace(),
            paused: self.clock.is_paused(),
            connected,
            ready,
            bots,
            finished: self.phase != Phase::Playing,
            discussion: self.discussion.clone(),
        }
    }

    pub(super) fn broadcast_status(&mut self) {
        let status = ServerMsg::Status {
            status: self.status(),
        };
        let everyone = self.joined_conns();
        self.send(everyone, status);
    }

    /// Sends each of `seats` that has a holder its view (with the history it lacks), and
    /// the watched teams' views to facilitator and evaluators who watch one. A view is
    /// built once for all the seats that see the same. A paced holder that has not taken
    /// its last view yet is owed one instead ([`Input::ViewTaken`](super::Input)).
    pub(super) fn push_views(&mut self, seats: &[Seat]) {
        let tick = self.tick();
        let mut frames: BTreeMap<(Actor, Option<u32>), Arc<Frame>> = BTreeMap::new();
        let mut watched: BTreeMap<TeamIdx, Arc<Frame>> = BTreeMap::new();
        // The economies a seat does not own look the same in every view of this push:
        // built once per history window, not once per seat.
        let mut public: BTreeMap<Option<u32>, Vec<EconomyView>> = BTreeMap::new();
        for seat in seats {
            let Some(state) = self.seats.get_mut(seat) else {
                continue;
            };
            let Some(holder) = state.holder else { continue };
            if let Some(conn) = self.conns.get_mut(&holder).filter(|c| c.paced) {
                if conn.view_unread {
                    conn.view_owed = true;
                    continue;
                }
                conn.view_unread = true;
            }
            let history_after = state.history_sent.replace(tick);
            let viewer = seat.viewer();
            let frame = match frames.get(&(viewer, history_after)) {
                Some(frame) => frame.clone(),
                None => {
                    let frame = self.view_frame(viewer, history_after, tick, &mut public);
                    frames.insert((viewer, history_after), frame.clone());
                    frame
                }
            };
            self.out.push_back(Output::Send {
                to: vec![holder],
                frame,
            });
            if let Some(team) = self.conns.get(&holder).and_then(|c| c.watching) {
                let frame = watched
                    .entry(team)
                    .or_insert_with(|| self.watched_frame(team))
                    .clone();
                self.out.push_back(Output::Send {
                    to: vec![holder],
                    frame,
                });
            }
        }
    }

    /// `viewer`'s view with the history after `history_after` (`None`: whole, with the
    /// directory), its public economies taken from `public` (built there once per window).
    fn view_frame(
        &mut self,
        viewer: Actor,
        history_after: Option<u32>,
        tick: u32,
        public: &mut BTreeMap<Option<u32>, Vec<EconomyView>>,
    ) -> Arc<Frame> {
        let window = history_after.map_or(HistoryWindow::Full, HistoryWindow::After);
        let figures = public
            .entry(history_after)
            .or_insert_with(|| self.sim.public_economies(window));
        let mut view = self.sim.view_sharing(viewer, window, figures);
        if history_after.is_some() {
            // The holder has it from its first view.
            Directory::take(&mut view);
        }
        let encoded = self.public_economies(tick, history_after);
        let msg = ServerMsg::View {
            view: Box::new(view),
            history_after,
        };
        Arc::new(Frame::view(msg, encoded))
    }

    /// The shared encoding of the public economies for the views of `tick` with
    /// history after `history_after`, kept for that tick only.
    fn public_economies(&mut self, tick: u32, history_after: Option<u32>) -> Arc<PublicEconomies> {
        let economies = self.sim.scenario().economies.len();
        let (at, by_window) = &mut self.public_economies;
        if *at != tick {
            *at = tick;
            by_window.clear();
        }
        by_window
            .entry(history_after)
            .or_insert_with(|| Arc::new(PublicEconomies::new(economies)))
            .clone()
    }

    /// A paced connection took its last view: it is sent the view it is owed, if any.
    pub(super) fn view_taken(&mut self, conn: ConnId) {
        let Some(c) = self.conns.get_mut(&conn) else {
            return;
        };
        c.view_unread = false;
        if std::mem::take(&mut c.view_owed)
            && let Some(seat) = c.seat
        {
            self.push_views(&[seat]);
        }
    }

    /// Sends every paced connection the view it is owed, whether or not it took its
    /// last one: the session is ending, so nothing will report a take any more, and a
    /// player must still see the state the exercise ended in.
    pub(super) fn send_owed_views(&mut self) {
        let mut owed = Vec::new();
        for c in self.conns.values_mut() {
            if std::mem::take(&mut c.view_owed) {
                c.view_unread = false;
                owed.extend(c.seat);
            }
        }
        self.push_views(&owed);
    }

    /// A team's view for someone watching it, without history and directory (the
    /// client has them from its own views).
    pub(super) fn watched_frame(&self, team: TeamIdx) -> Arc<Frame> {
        let mut view = self
            .sim
            .view_with(Actor::Team(team), HistoryWindow::Omitted);
        Directory::take(&mut view);
        Arc::new(Frame::new(ServerMsg::Watched {
            view: Box::new(view),
        }))
    }

    pub(super) fn finished_msg(&self) -> ServerMsg {
        ServerMsg::Finished {
            tick: self.tick(),
            state_hash: self.sim.state_hash().to_hex(),
        }
    }

    pub(super) fn send(&mut self, to: Vec<ConnId>, msg: ServerMsg) {
        if to.is_empty() {
            return;
        }
        self.out.push_back(Output::Send {
            to,
            frame: Arc::new(Frame::new(msg)),
        });
    }

    pub(super) fn error(&mut self, conn: ConnId, message: &str) {
        self.send(
            vec![conn],
            ServerMsg::Error {
                message: message.to_string(),
            },
        );
    }

    /// Refuses a connection's handshake and closes it.
    pub(super) fn refuse(&mut self, conn: ConnId, reason: String) {
        self.conns.remove(&conn);
        self.send(vec![conn], ServerMsg::Refused { reason });
        self.out.push_back(Output::Close { conn });
    }

    /// Tells the console, the facilitator and the evaluators about the table.
    pub(super) fn notice(&mut self, text: String) {
        self.log(format!("tick {}: {text}", self.tick()));
        let watchers: Vec<ConnId> = self
            .seats
            .iter()
            .filter(|(seat, _)| seat.sees_everything())
            .filter_map(|(_, s)| s.holder)
            .collect();
        self.send(watchers, ServerMsg::Notice { text });
    }

    pub(super) fn log(&mut self, line: String) {
        self.out.push_back(Output::Log(line));
    }

    /// A clock change for the console (the seats learn it from the status).
    pub(super) fn log_clock(&mut self, what: String) {
        self.log(format!("tick {}: {what}", self.tick()));
    }

    /// Journals a session event at the current tick.
    pub(super) fn session(&mut self, event: SessionEvent) {
        self.record(Record::Session {
            tick: self.tick(),
            event,
        });
    }

    pub(super) fn record(&mut self, record: Record) {
        self.journal.records.push(record.clone());
        self.out.push_back(Output::Journal(record));
    }
}
