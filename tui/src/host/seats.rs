//! Who sits where: a connection's `hello`, takeovers, departures, bots taking seats
//! back, and watching another team.

use std::collections::BTreeSet;
use std::net::IpAddr;
use std::time::Instant;

use cyberdrill_engine::command::{Actor, Command};
use cyberdrill_engine::journal::SessionEvent;
use cyberdrill_engine::scenario::model::{EconomyIdx, TeamIdx};

use super::auth::Refusal;
use super::{ConnId, Host, Output, Phase};
use crate::client::Seat;
use crate::net::protocol::{PROTOCOL_VERSION, ServerMsg};

impl Host {
    pub(super) fn hello(
        &mut self,
        conn: ConnId,
        version: u32,
        code: &str,
        bot: bool,
        now: Instant,
    ) {
        if version != PROTOCOL_VERSION {
            self.refuse(
                conn,
                format!(
                    "this server speaks protocol version {PROTOCOL_VERSION}, the client \
                     version {version}: use a cyberdrill of the same release as the server"
                ),
            );
            return;
        }
        let peer = self.conns.get(&conn).and_then(|c| c.peer);
        let seat = match self.gate.check(code, peer, now) {
            Ok(seat) => seat,
            Err(refusal) => {
                if let (Refusal::Wrong { strikes, wait }, Some(addr)) = (&refusal, peer) {
                    let then = if wait.is_zero() {
                        String::new()
                    } else {
                        format!("; its next code is checked in {} s", wait.as_secs())
                    };
                    self.log(format!(
                        "refused a wrong join code from {addr} ({strikes} in a row{then})"
                    ));
                }
                self.refuse(conn, refusal.reason());
                return;
            }
        };
        let taken_from = self.seats.get(&seat).and_then(|s| s.holder);
        if let Some(old) = taken_from {
            self.take_over(old, seat, peer);
        }
        if let Some(c) = self.conns.get_mut(&conn) {
            c.seat = Some(seat);
            c.bot = bot;
        }
        let had_bot = match self.seats.get_mut(&seat) {
            Some(state) => {
                state.holder = Some(conn);
                state.history_sent = None;
                state.vacated_at = None;
                std::mem::take(&mut state.bot_plays)
            }
            None => false,
        };
        let next_request_id = self.seats.get(&seat).map_or(1, |s| s.requests.next_id());
        let name = self.seat_name(seat);
        let welcome = ServerMsg::Welcome {
            protocol_version: PROTOCOL_VERSION,
            seat,
            seat_name: name.clone(),
            title: self.title().to_string(),
            status: self.status(),
            next_request_id,
        };
        self.send(vec![conn], welcome);
        self.push_views(&[seat]);
        if taken_from.is_none() {
            if let Some(actor) = seat.actor() {
                self.session(SessionEvent::Joined { actor, bot });
            }
            let who = if bot { " (a bot)" } else { "" };
            let from_bot = if had_bot {
                ", taking the seat over from the bot"
            } else {
                ""
            };
            self.notice(format!("{name} joined{who}{from_bot}"));
        }
        if self.phase == Phase::HotWash {
            let finished = self.finished_msg();
            self.send(vec![conn], finished);
        }
        self.broadcast_status();
    }

    /// Another connection presented `seat`'s code: the one holding it is told and closed.
    pub(super) fn take_over(&mut self, old: ConnId, seat: Seat, by: Option<IpAddr>) {
        self.conns.remove(&old);
        let from = by.map_or_else(|| "this machine".to_string(), |a| a.to_string());
        self.send(
            vec![old],
            ServerMsg::Replaced {
                reason: format!(
                    "another connection (from {from}) joined with this seat's code and took \
                     the seat over; if that was not your team, tell the facilitator"
                ),
            },
        );
        self.out.push_back(Output::Close { conn: old });
        if let Some(actor) = seat.actor() {
            self.session(SessionEvent::TakenOver { actor });
        }
        let name = self.seat_name(seat);
        self.notice(format!(
            "{name}: a new connection from {from} took the seat over; the previous one was closed"
        ));
    }

    pub(super) fn disconnected(&mut self, conn: ConnId, now: Instant) {
        let Some(gone) = self.conns.remove(&conn) else {
            return;
        };
        let Some(seat) = gone.seat else {
            return;
        };
        let bots = self.bots.is_some();
        if let Some(state) = self.seats.get_mut(&seat) {
            if state.holder != Some(conn) {
                return;
            }
            state.holder = None;
            state.history_sent = None;
            state.ready = false;
            if bots && matches!(seat, Seat::Team(_)) {
                state.vacated_at = Some(now);
            }
        }
        if let Some(actor) = seat.actor() {
            self.session(SessionEvent::Left { actor });
        }
        let name = self.seat_name(seat);
        let then = if bots && matches!(seat, Seat::Team(_)) {
            format!(
                "; the bot plays it if nobody is back within {} s",
                self.bot_grace.as_secs()
            )
        } else {
            String::new()
        };
        self.notice(format!("{name} left{then}"));
        self.broadcast_status();
        self.advance_if_all_ready(now);
    }

    /// The host's bot starts playing `team`'s seat.
    pub(super) fn bot_takes(&mut self, team: TeamIdx, what: &str) {
        let seat = Seat::Team(team);
        let Some(state) = self.seats.get_mut(&seat) else {
            return;
        };
        if state.holder.is_some() || state.bot_plays {
            return;
        }
        state.bot_plays = true;
        self.session(SessionEvent::Joined {
            actor: Actor::Team(team),
            bot: true,
        });
        let name = self.seat_name(seat);
        self.notice(format!("{name}: the bot {what}"));
    }

    pub(super) fn watch(&mut self, conn: ConnId, watched: Actor) {
        let team = match watched {
            Actor::Team(team) if team.index() < self.sim.scenario().teams.len() => Some(team),
            Actor::Team(team) => {
                let teams = self.sim.scenario().teams.len();
                self.error(
                    conn,
                    &format!(
                        "there is no team #{} to watch: teams are #0 to #{}",
                        team.0,
                        teams.saturating_sub(1)
                    ),
                );
                return;
            }
            Actor::Facilitator => None,
        };
        if let Some(c) = self.conns.get_mut(&conn) {
            c.watching = team;
        }
        if let Some(team) = team {
            let frame = self.watched_frame(team);
            self.out.push_back(Output::Send {
                to: vec![conn],
                frame,
            });
        }
    }

    /// Economies where a person (not a program) holds a team seat.
    pub(super) fn economies_with_people(&self) -> BTreeSet<EconomyIdx> {
        let scenario = self.sim.scenario();
        self.seats
            .iter()
            .filter_map(|(seat, state)| {
                let Seat::Team(team) = seat else { return None };
                let holder = state.holder?;
                let person = self.conns.get(&holder).is_some_and(|c| !c.bot);
                person
                    .then(|| scenario.teams.get(team.index()).map(|t| t.economy))
                    .flatten()
            })
            .collect()
    }

    pub(super) fn held_seats(&self) -> Vec<Seat> {
        self.seats
            .iter()
            .filter(|(_, s)| s.holder.is_some())
            .map(|(seat, _)| *seat)
            .collect()
    }

    pub(super) fn team_seats(&self) -> Vec<TeamIdx> {
        (0..self.sim.scenario().teams.len() as u32)
            .map(TeamIdx)
            .collect()
    }

    /// Connections that hold a seat, in seat order.
    pub(super) fn joined_conns(&self) -> Vec<ConnId> {
        self.seats.values().filter_map(|s| s.holder).collect()
    }

    /// Seats whose view a command can change besides the submitter's: those the
    /// engine names ([`Simulation::audience`]: the seats a command addresses, the
    /// facilitator), and the evaluators, who see everything.
    pub(super) fn seats_touched_by(&self, command: &Command) -> BTreeSet<Seat> {
        let mut touched: BTreeSet<Seat> = self
            .sim
            .audience(command)
            .into_iter()
            .map(Seat::from)
            .collect();
        touched.extend(self.seats.keys().filter(|s| s.sees_everything()).copied());
        touched
    }
}
