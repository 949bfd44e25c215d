//! The host driven with synthetic time: hours of exercise in microseconds, no sleeps.
//! A [`Table`] plays the caller's part: it hands the host inputs at chosen instants,
//! moves time forward through [`Host::poll_timeout`], and records what comes out.

use std::collections::BTreeMap;
use std::net::IpAddr;
use std::time::{Duration, Instant};

use cyberdrill_engine::Simulation;
use cyberdrill_engine::command::{Actor, Command, Recipient};
use cyberdrill_engine::journal::{Header, Journal, NoteSubject, Pace, Record, SessionEvent};
use cyberdrill_engine::policy::Policy;
use cyberdrill_engine::scenario::model::{Module, TeamIdx};
use cyberdrill_engine::testkit::two_economies;

use super::*;
use crate::client::Feedback;
use crate::net::protocol::{ClientMsg, Denied, Outcome, PROTOCOL_VERSION, ServerMsg, Status};

const SEED: u64 = 5;

/// The caller's side of a host, with a clock of its own.
struct Table {
    host: Host,
    t0: Instant,
    now: Instant,
    codes: JoinCodes,
    next_conn: ConnId,
    /// Every message each connection received, in order.
    inbox: BTreeMap<ConnId, Vec<ServerMsg>>,
    journal: Vec<Record>,
    logs: Vec<String>,
    closed: Vec<ConnId>,
    reports: Vec<ConnId>,
    stopped: Option<Ending>,
}

/// The two-economy test region, shortened to `ticks`.
fn region(ticks: u32) -> Simulation {
    region_in_modules(ticks, Vec::new())
}

/// The test region in `modules`.
fn region_in_modules(ticks: u32, modules: Vec<Module>) -> Simulation {
    let mut scenario = two_economies();
    scenario.meta.duration_ticks = ticks;
    scenario.modules = modules;
    Simulation::new(scenario, SEED)
}

fn module(title: &str, start: u32, questions: &[&str]) -> Module {
    Module {
        title: title.to_string(),
        start,
        questions: questions.iter().map(|q| q.to_string()).collect(),
    }
}

fn journal_of(sim: &Simulation) -> Journal {
    Journal {
        header: Header::new("two.toml", "# test", sim.seed(), "test"),
        records: Vec::new(),
        recovered: None,
        chain: None,
    }
}

fn codes(evaluators: u32) -> JoinCodes {
    let ids: Vec<String> = two_economies().teams.iter().map(|t| t.id.clone()).collect();
    JoinCodes::generate(&ids, evaluators).expect("OS randomness")
}

fn real(ms: u64) -> Pace {
    Pace::RealTime {
        millis_per_tick: ms,
    }
}

impl Table {
    fn new(ticks: u32, configure: impl FnOnce(&mut HostConfig)) -> Table {
        Table::with_journal(region(ticks), None, codes(1), configure)
    }

    fn with_journal(
        sim: Simulation,
        journal: Option<Journal>,
        codes: JoinCodes,
        configure: impl FnOnce(&mut HostConfig),
    ) -> Table {
        let mut config = HostConfig::new(codes.clone());
        configure(&mut config);
        let t0 = Instant::now();
        let journal = journal.unwrap_or_else(|| journal_of(&sim));
        let host = Host::new(sim, journal, config, t0);
        let mut table = Table {
            host,
            t0,
            now: t0,
            codes,
            next_conn: 0,
            inbox: BTreeMap::new(),
            journal: Vec::new(),
            logs: Vec::new(),
            closed: Vec::new(),
            reports: Vec::new(),
            stopped: None,
        };
        table.pump();
        table
    }

    fn team_code(&self, team: u32) -> String {
        let id = &two_economies().teams[team as usize].id;
        self.codes.teams[id].clone()
    }

    fn input(&mut self, input: Input) {
        self.host.handle(self.now, input);
        self.pump();
    }

    fn pump(&mut self) {
        while let Some(output) = self.host.poll_output() {
            match output {
                Output::Send { to, frame } => {
                    for conn in to {
                        self.inbox.entry(conn).or_default().push(frame.msg.clone());
                    }
                }
                Output::Close { conn } => self.closed.push(conn),
                Output::Journal(record) => self.journal.push(record),
                Output::Log(line) => self.logs.push(line),
                Output::Report { to } => self.reports.push(to),
                Output::Stop(ending) => self.stopped = Some(ending),
            }
        }
    }

    /// Moves time to `secs` after the start, waking the host whenever it asked to be.
    fn at(&mut self, secs: f64) {
        let until = self.t0 + Duration::from_secs_f64(secs);
        while let Some(due) = self.host.poll_timeout().filter(|due| *due <= until) {
            self.now = due.max(self.now);
            self.input(Input::Timeout);
        }
        self.now = until.max(self.now);
        self.input(Input::Timeout);
    }

    fn connect(&mut self, peer: Option<IpAddr>) -> ConnId {
        self.connect_with(peer, false)
    }

    /// A connection; `paced`: its views wait for [`Input::ViewTaken`].
    fn connect_with(&mut self, peer: Option<IpAddr>, paced: bool) -> ConnId {
        self.next_conn += 1;
        let conn = self.next_conn;
        self.input(Input::Connected { conn, peer, paced });
        conn
    }

    /// A new connection saying hello with `code`.
    fn join_as(&mut self, code: &str, bot: bool) -> ConnId {
        let conn = self.connect(None);
        self.hello(conn, code, bot);
        conn
    }

    /// A new paced connection (its views wait for [`Input::ViewTaken`]) of a person
    /// saying hello with `code`.
    fn join_paced(&mut self, code: &str) -> ConnId {
        let conn = self.connect_with(None, true);
        self.hello(conn, code, false);
        conn
    }

    fn hello(&mut self, conn: ConnId, code: &str, bot: bool) {
        self.say(
            conn,
            ClientMsg::Hello {
                protocol_version: PROTOCOL_VERSION,
                code: code.to_string(),
                bot,
            },
        );
    }

    fn say(&mut self, conn: ConnId, msg: ClientMsg) {
        self.input(Input::Received { conn, msg });
    }

    fn leave(&mut self, conn: ConnId) {
        self.input(Input::Disconnected { conn });
    }

    fn tick(&self) -> u32 {
        self.host.simulation().tick()
    }

    fn received(&self, conn: ConnId) -> &[ServerMsg] {
        self.inbox.get(&conn).map_or(&[], Vec::as_slice)
    }

    fn last_status(&self, conn: ConnId) -> Status {
        self.received(conn)
            .iter()
            .rev()
            .find_map(|m| match m {
                ServerMsg::Status { status } => Some(status.clone()),
                ServerMsg::Welcome { status, .. } => Some(status.clone()),
                _ => None,
            })
            .expect("a status")
    }

    fn results(&self, conn: ConnId) -> Vec<(u64, Outcome)> {
        self.received(conn)
            .iter()
            .filter_map(|m| match m {
                ServerMsg::Result {
                    request_id,
                    outcome,
                } => Some((*request_id, outcome.clone())),
                _ => None,
            })
            .collect()
    }

    fn sessions(&self) -> Vec<(u32, SessionEvent)> {
        self.journal
            .iter()
            .filter_map(|r| match r {
                Record::Session { tick, event } => Some((*tick, event.clone())),
                _ => None,
            })
            .collect()
    }

    fn clock_events(&self) -> Vec<(u32, SessionEvent)> {
        self.sessions()
            .into_iter()
            .filter(|(_, e)| {
                matches!(
                    e,
                    SessionEvent::PaceChanged { .. }
                        | SessionEvent::Paused
                        | SessionEvent::Resumed { .. }
                )
            })
            .collect()
    }
}

#[test]
fn real_time_ticks_come_on_time_and_a_pause_keeps_its_pace_and_real_length() {
    let mut table = Table::new(48, |c| {
        c.pace = real(600_000);
        c.paused = true;
    });
    let facilitator = table.join_as(&table.codes.facilitator.clone(), false);
    table.at(3600.0);
    assert_eq!(table.tick(), 0, "a paused clock never ticks");
    table.say(facilitator, ClientMsg::Resume);
    table.at(3600.0 + 599.0);
    assert_eq!(table.tick(), 0);
    table.at(3600.0 + 600.0);
    assert_eq!(table.tick(), 1, "ten minutes after the resume");
    table.at(3600.0 + 1800.0);
    assert_eq!(table.tick(), 3);
    table.say(facilitator, ClientMsg::Pause);
    table.at(3600.0 + 1800.0 + 2700.0);
    assert_eq!(table.tick(), 3);
    table.say(facilitator, ClientMsg::Resume);
    let status = table.last_status(facilitator);
    assert_eq!(status.pace, real(600_000), "the pace survived the pause");
    assert!(!status.paused);
    assert_eq!(
        table.clock_events(),
        vec![
            (
                0,
                SessionEvent::PaceChanged {
                    pace: real(600_000)
                }
            ),
            (0, SessionEvent::Paused),
            (
                0,
                SessionEvent::Resumed {
                    paused_ms: Some(3_600_000)
                }
            ),
            (3, SessionEvent::Paused),
            (
                3,
                SessionEvent::Resumed {
                    paused_ms: Some(2_700_000)
                }
            ),
        ]
    );
    let journal_steps = table
        .journal
        .iter()
        .filter(|r| matches!(r, Record::Step { .. }))
        .count();
    assert_eq!(journal_steps, 3);
}

#[test]
fn turn_based_survives_pause_and_resume_without_changing_pace() {
    // serve --pace turns --paused, then the facilitator's first `space`: the old server
    // logged "pace set to real:1000" here.
    let mut table = Table::new(48, |c| {
        c.pace = Pace::TurnBased;
        c.paused = true;
    });
    let facilitator = table.join_as(&table.codes.facilitator.clone(), false);
    let team = table.join_as(&table.team_code(0), false);
    table.say(facilitator, ClientMsg::Resume);
    table.say(facilitator, ClientMsg::Pause);
    table.say(facilitator, ClientMsg::Resume);
    assert_eq!(table.last_status(team).pace, Pace::TurnBased);
    assert!(
        !table
            .clock_events()
            .iter()
            .skip(1)
            .any(|(_, e)| matches!(e, SessionEvent::PaceChanged { .. })),
        "{:?}",
        table.clock_events()
    );
    assert!(
        table.logs.iter().all(|l| !l.contains("real:")),
        "{:?}",
        table.logs
    );
    // Time alone never advances a turn-based clock; the team's ready does.
    table.at(7200.0);
    assert_eq!(table.tick(), 0);
    table.say(team, ClientMsg::Ready);
    assert_eq!(table.tick(), 1);
    // Ready during a pause is kept; the resume ends the turn.
    table.say(facilitator, ClientMsg::Pause);
    table.say(team, ClientMsg::Ready);
    assert_eq!(table.tick(), 1);
    table.say(facilitator, ClientMsg::Resume);
    assert_eq!(table.tick(), 2);
}

#[test]
fn in_turns_people_end_the_turn_the_hosts_bots_never_wait_and_programs_alone_never_end_it() {
    let mut table = Table::new(48, |c| {
        c.pace = Pace::TurnBased;
        c.bots = Some(Policy::Cooperative);
    });
    let program = table.join_as(&table.team_code(1), true);
    table.say(program, ClientMsg::Ready);
    assert_eq!(table.tick(), 0, "a program alone never ends a turn");
    let person = table.join_as(&table.team_code(0), false);
    let status = table.last_status(person);
    assert_eq!(
        status.connected,
        vec![Actor::Team(TeamIdx(0)), Actor::Team(TeamIdx(1))]
    );
    assert_eq!(
        status.bots.len(),
        6,
        "the host's bots play the six empty seats"
    );
    table.say(person, ClientMsg::Ready);
    assert_eq!(table.tick(), 1, "everyone connected was ready");
    assert!(
        table.journal.iter().any(|r| matches!(
            r,
            Record::Command { tick: 0, actor: Actor::Team(t), request_id: None, .. } if t.0 >= 2
        )),
        "the host's bots moved before the tick"
    );
    // Readiness is per turn.
    table.say(person, ClientMsg::Ready);
    assert_eq!(
        table.tick(),
        1,
        "the program has not said ready for this turn"
    );
    table.say(program, ClientMsg::Ready);
    assert_eq!(table.tick(), 2);
}

#[test]
fn a_seat_goes_to_the_person_with_its_code_and_back_to_the_bot_after_the_grace() {
    let mut table = Table::new(48, |c| {
        c.pace = real(1_000);
        c.bots = Some(Policy::Cooperative);
        c.bot_grace = Duration::from_secs(60);
    });
    let facilitator = table.join_as(&table.codes.facilitator.clone(), false);
    let team = table.join_as(&table.team_code(0), false);
    let bots = |t: &Table| t.last_status(facilitator).bots;
    assert!(!bots(&table).contains(&Actor::Team(TeamIdx(0))));
    let notices: Vec<String> = table
        .received(facilitator)
        .iter()
        .filter_map(|m| match m {
            ServerMsg::Notice { text } => Some(text.clone()),
            _ => None,
        })
        .collect();
    assert!(
        notices
            .iter()
            .any(|n| n.contains("taking the seat over from the bot")),
        "{notices:?}"
    );
    table.at(10.0);
    table.leave(team);
    table.at(69.0);
    assert!(
        !bots(&table).contains(&Actor::Team(TeamIdx(0))),
        "still within the grace"
    );
    table.at(70.0);
    assert!(
        bots(&table).contains(&Actor::Team(TeamIdx(0))),
        "the bot plays it again"
    );
    let team_events: Vec<SessionEvent> = table
        .sessions()
        .into_iter()
        .map(|(_, e)| e)
        .filter(|e| {
            matches!(
                e,
                SessionEvent::Joined {
                    actor: Actor::Team(TeamIdx(0)),
                    ..
                } | SessionEvent::Left {
                    actor: Actor::Team(TeamIdx(0))
                }
            )
        })
        .collect();
    let team0 = Actor::Team(TeamIdx(0));
    assert_eq!(
        team_events,
        vec![
            SessionEvent::Joined {
                actor: team0,
                bot: true
            },
            SessionEvent::Joined {
                actor: team0,
                bot: false
            },
            SessionEvent::Left { actor: team0 },
            SessionEvent::Joined {
                actor: team0,
                bot: true
            },
        ]
    );
}

#[test]
fn a_second_connection_with_the_same_code_takes_the_seat_over_and_the_first_is_told() {
    let mut table = Table::new(48, |_| {});
    let code = table.team_code(2);
    let first = table.join_as(&code, false);
    let second = table.join_as(&code, false);
    assert!(
        table.received(first).iter().any(
            |m| matches!(m, ServerMsg::Replaced { reason } if reason.contains("took the seat over"))
        ),
        "{:?}",
        table.received(first)
    );
    assert!(table.closed.contains(&first));
    assert!(matches!(
        table.received(second)[0],
        ServerMsg::Welcome { .. }
    ));
    assert!(table.sessions().iter().any(|(_, e)| *e
        == SessionEvent::TakenOver {
            actor: Actor::Team(TeamIdx(2))
        }));
    assert!(
        table.logs.iter().any(|l| l.contains("took the seat over")),
        "{:?}",
        table.logs
    );
    // The first connection's departure, reported late by its caller, changes nothing.
    table.leave(first);
    assert_eq!(
        table.last_status(second).connected,
        vec![Actor::Team(TeamIdx(2))]
    );
    // Only the new holder acts.
    table.say(
        first,
        ClientMsg::Submit {
            request_id: 1,
            actor: Actor::Team(TeamIdx(2)),
            command: Command::AwarenessCampaign,
        },
    );
    assert!(table.results(first).is_empty());
}

#[test]
fn a_repeated_request_runs_once_also_over_a_new_connection_and_a_resumed_host() {
    let mut table = Table::new(48, |_| {});
    let code = table.team_code(0);
    let me = Actor::Team(TeamIdx(0));
    let submit = |id: u64, command: Command| ClientMsg::Submit {
        request_id: id,
        actor: me,
        command,
    };
    let first = table.join_as(&code, false);
    table.say(first, submit(1, Command::AwarenessCampaign));
    table.say(first, submit(1, Command::AwarenessCampaign));
    let commands = |t: &Table| {
        t.journal
            .iter()
            .filter(|r| matches!(r, Record::Command { actor, .. } if *actor == me))
            .count()
    };
    assert_eq!(commands(&table), 1, "the repeat did not run");
    let results = table.results(first);
    assert_eq!(results.len(), 2);
    assert_eq!(results[0], results[1], "the repeat got the first answer");
    // The connection drops; a new one sends the same request again.
    table.leave(first);
    let second = table.join_as(&code, false);
    let Some(ServerMsg::Welcome {
        next_request_id, ..
    }) = table.received(second).first().cloned()
    else {
        panic!("welcome");
    };
    assert_eq!(next_request_id, 2);
    table.say(second, submit(1, Command::AwarenessCampaign));
    assert_eq!(commands(&table), 1);
    // The same id for another command is refused.
    table.say(second, submit(1, Command::Broadcast { text: "x".into() }));
    assert!(matches!(
        table.results(second).last(),
        Some((1, Outcome::Denied(Denied::RequestIdReused { next: 2, .. })))
    ));
    // A host resumed from the journal knows the id too.
    let journal = table.host.journal().clone();
    assert!(journal.records.iter().any(|r| matches!(
        r,
        Record::Command {
            request_id: Some(1),
            ..
        }
    )));
    let mut resumed_sim = region(48);
    for record in &journal.records {
        match record {
            Record::Command { actor, command, .. } => {
                assert!(resumed_sim.submit(*actor, command.clone()).is_ok());
            }
            Record::Step { .. } => resumed_sim.step(),
            Record::Session { .. } | Record::Closed { .. } => {}
        }
    }
    let mut resumed = Table::with_journal(resumed_sim, Some(journal), table.codes.clone(), |_| {});
    let third = resumed.join_as(&code, false);
    resumed.say(third, submit(1, Command::AwarenessCampaign));
    assert!(matches!(
        resumed.results(third).as_slice(),
        [(1, Outcome::Accepted(a))] if a.message().contains("already carried out")
    ));
    assert!(
        !resumed
            .journal
            .iter()
            .any(|r| matches!(r, Record::Command { .. })),
        "nothing ran twice"
    );
}

#[test]
fn wrong_codes_from_one_address_are_logged_and_slowed_down() {
    let mut table = Table::new(48, |_| {});
    let guesser = Some(IpAddr::from([192, 0, 2, 7]));
    let mut refusals = Vec::new();
    for _ in 0..7 {
        let conn = table.connect(guesser);
        table.say(
            conn,
            ClientMsg::Hello {
                protocol_version: PROTOCOL_VERSION,
                code: "AAAA-BBBB-CCCC".into(),
                bot: false,
            },
        );
        assert!(table.closed.contains(&conn));
        if let Some(ServerMsg::Refused { reason }) = table.received(conn).first() {
            refusals.push(reason.clone());
        }
    }
    assert!(refusals[0].starts_with("unknown join code"));
    assert!(refusals[5].contains("checked in 1 s"), "{}", refusals[5]);
    assert!(refusals[6].contains("try again in"), "{}", refusals[6]);
    let logged: Vec<&String> = table
        .logs
        .iter()
        .filter(|l| l.contains("wrong join code from 192.0.2.7"))
        .collect();
    assert_eq!(
        logged.len(),
        6,
        "each checked wrong code is logged: {:?}",
        table.logs
    );
    // A code sent before `hello` is refused too.
    let rude = table.connect(None);
    table.say(rude, ClientMsg::Ready);
    assert!(matches!(
        table.received(rude).first(),
        Some(ServerMsg::Refused { .. })
    ));
}

#[test]
fn a_module_end_stops_the_clock_and_asks_every_seat_its_questions_until_resumed() {
    let modules = vec![
        module(
            "Detection",
            0,
            &["Who saw it first?", "What did you share?"],
        ),
        module("Response", 4, &["What would you do differently?"]),
    ];
    let mut table = Table::with_journal(region_in_modules(12, modules), None, codes(1), |c| {
        c.pace = real(60_000);
    });
    let facilitator = table.join_as(&table.codes.facilitator.clone(), false);
    let team = table.join_as(&table.team_code(0), false);
    table.at(3600.0);
    assert_eq!(table.tick(), 4, "the clock stopped at the module's end");
    let status = table.last_status(team);
    assert!(status.paused);
    let discussion = status.discussion.expect("the questions");
    assert_eq!(discussion.module, Some(0));
    assert_eq!(discussion.questions.len(), 2);
    assert!(!discussion.feedback);
    table.say(
        team,
        ClientMsg::Answer {
            module: 0,
            question: 1,
            text: "indicators to the other CSIRT".into(),
        },
    );
    assert!(
        table
            .received(team)
            .iter()
            .any(|m| matches!(m, ServerMsg::Recorded { .. }))
    );
    assert!(
        table.received(facilitator).iter().any(
            |m| matches!(m, ServerMsg::Notice { text } if text.contains("What did you share?"))
        )
    );
    table.say(facilitator, ClientMsg::Resume);
    assert_eq!(table.last_status(team).discussion, None);
    table.at(3600.0 + 60.0);
    assert_eq!(table.tick(), 5);
    let answers: Vec<SessionEvent> = table
        .sessions()
        .into_iter()
        .map(|(_, e)| e)
        .filter(|e| {
            matches!(
                e,
                SessionEvent::Answer { .. } | SessionEvent::ModuleBreak { .. }
            )
        })
        .collect();
    assert_eq!(
        answers,
        vec![
            SessionEvent::ModuleBreak { module: 0 },
            SessionEvent::Answer {
                by: Actor::Team(TeamIdx(0)),
                module: 0,
                question: 1,
                text: "indicators to the other CSIRT".into()
            }
        ]
    );
    // The last module's questions and the feedback form come at the hot wash.
    table.at(3600.0 + 60.0 * 8.0);
    assert_eq!(table.tick(), 12);
    let hot_wash = table.last_status(team).discussion.expect("the hot wash");
    assert_eq!(hot_wash.module, Some(1));
    assert!(hot_wash.feedback);
}

#[test]
fn the_facilitator_jumps_time_and_a_jump_stops_at_a_module_end() {
    let modules = vec![module("Night", 0, &["q"]), module("Morning", 10, &["q"])];
    let mut table = Table::with_journal(region_in_modules(24, modules), None, codes(1), |c| {
        c.bots = Some(Policy::Cooperative);
    });
    let facilitator = table.join_as(&table.codes.facilitator.clone(), false);
    table.say(facilitator, ClientMsg::Advance { ticks: 6 });
    assert_eq!(table.tick(), 6);
    table.say(facilitator, ClientMsg::Advance { ticks: 6 });
    assert_eq!(table.tick(), 10, "stopped at the end of the first module");
    assert_eq!(
        table
            .sessions()
            .into_iter()
            .filter(|(_, e)| matches!(e, SessionEvent::TimeJumped { .. }))
            .collect::<Vec<_>>(),
        vec![
            (6, SessionEvent::TimeJumped { from: 0, to: 6 }),
            (10, SessionEvent::TimeJumped { from: 6, to: 10 }),
        ]
    );
    // One view for the whole jump, not one per tick.
    let views = table
        .received(facilitator)
        .iter()
        .filter(|m| matches!(m, ServerMsg::View { .. }))
        .count();
    assert_eq!(views, 3, "joining, then one per jump");
    let team = table.join_as(&table.team_code(0), false);
    table.say(team, ClientMsg::Advance { ticks: 2 });
    assert!(
        matches!(table.received(team).last(), Some(ServerMsg::Error { message }) if message.contains("facilitator only"))
    );
}

#[test]
fn after_the_last_tick_the_host_stays_for_the_hot_wash_until_the_facilitator_ends_it() {
    let mut table = Table::new(3, |c| c.pace = real(1_000));
    let facilitator = table.join_as(&table.codes.facilitator.clone(), false);
    let team = table.join_as(&table.team_code(0), false);
    table.at(3600.0);
    assert_eq!(table.tick(), 3);
    assert_eq!(
        table.stopped, None,
        "no stop before the facilitator says so"
    );
    assert_eq!(table.host.poll_timeout(), None, "nothing more to time");
    assert!(
        table
            .received(team)
            .iter()
            .any(|m| matches!(m, ServerMsg::Finished { tick: 3, .. }))
    );
    let status = table.last_status(team);
    assert!(status.finished && status.discussion.is_some_and(|d| d.feedback));
    table.say(
        team,
        ClientMsg::Feedback {
            feedback: Feedback {
                went_well: "sharing".into(),
                to_improve: "escalation".into(),
                improvement: "a call tree".into(),
                owner: "CSIRT lead".into(),
                due: "before the next forum".into(),
            },
        },
    );
    assert!(table.sessions().iter().any(
        |(_, e)| matches!(e, SessionEvent::Feedback { owner, due, .. }
                if owner == "CSIRT lead" && due == "before the next forum")
    ));
    table.say(
        team,
        ClientMsg::Submit {
            request_id: 1,
            actor: Actor::Team(TeamIdx(0)),
            command: Command::AwarenessCampaign,
        },
    );
    assert!(matches!(
        table.results(team).as_slice(),
        [(1, Outcome::Denied(Denied::Finished))]
    ));
    // Someone joining during the hot wash learns it is over.
    let late = table.join_as(&table.team_code(1), false);
    assert!(
        table
            .received(late)
            .iter()
            .any(|m| matches!(m, ServerMsg::Finished { .. }))
    );
    table.say(team, ClientMsg::End);
    assert_eq!(table.stopped, None, "only the facilitator ends the session");
    table.say(facilitator, ClientMsg::End);
    assert_eq!(table.stopped.as_ref().map(|e| e.tick), Some(3));
}

#[test]
fn stop_at_ends_the_session_at_that_tick_without_a_hot_wash() {
    let mut table = Table::new(48, |c| {
        c.pace = real(1_000);
        c.stop_at = Some(2);
    });
    let team = table.join_as(&table.team_code(0), false);
    table.at(10.0);
    assert_eq!(table.tick(), 2);
    assert!(table.stopped.is_some());
    assert!(
        table
            .received(team)
            .iter()
            .any(|m| matches!(m, ServerMsg::Finished { tick: 2, .. }))
    );
}

/// A paced connection whose last view was not yet reported taken when the session
/// stops still gets the final view, before the session's end: nothing reports a take
/// after the stop, and the player must see the state the exercise ended in.
#[test]
fn a_paced_connection_is_sent_the_final_view_when_the_session_stops() {
    let mut table = Table::new(48, |c| {
        c.pace = real(1_000);
        c.stop_at = Some(2);
    });
    let slow = table.join_paced(&table.team_code(0));
    table.at(10.0);
    assert!(table.stopped.is_some());
    assert_eq!(views_of(&table, slow), vec![(0, None), (2, Some(0))]);
    let received = table.received(slow);
    let final_view = received
        .iter()
        .position(|m| matches!(m, ServerMsg::View { view, .. } if view.tick == 2));
    let ended = received
        .iter()
        .position(|m| matches!(m, ServerMsg::Ended { .. }));
    assert!(
        matches!((final_view, ended), (Some(v), Some(e)) if v < e),
        "the final view comes before the end: {final_view:?} {ended:?}"
    );
}

#[test]
fn an_evaluator_sees_everything_cannot_act_and_writes_notes_with_a_time() {
    let mut table = Table::new(48, |c| c.unix_ms_at_start = 1_700_000_000_000);
    let evaluator = table.join_as(&table.codes.evaluators[0].clone(), false);
    let Some(ServerMsg::Welcome {
        seat, seat_name, ..
    }) = table.received(evaluator).first().cloned()
    else {
        panic!("welcome");
    };
    assert_eq!(
        (seat, seat_name.as_str()),
        (Seat::Evaluator(0), "Evaluator 1")
    );
    let Some(ServerMsg::View { view, .. }) = table.received(evaluator).get(1).cloned() else {
        panic!("a view");
    };
    assert_eq!(view.viewer, Actor::Facilitator, "the facilitator's view");
    table.say(
        evaluator,
        ClientMsg::Submit {
            request_id: 1,
            actor: Actor::Facilitator,
            command: Command::Broadcast { text: "hi".into() },
        },
    );
    assert!(matches!(
        table.results(evaluator).as_slice(),
        [(1, Outcome::Denied(Denied::Evaluator))]
    ));
    table.say(evaluator, ClientMsg::Pause);
    assert!(matches!(
        table.received(evaluator).last(),
        Some(ServerMsg::Error { .. })
    ));
    table.at(90.0);
    table.say(
        evaluator,
        ClientMsg::Note {
            about: NoteSubject::Team(TeamIdx(4)),
            text: "did not share the indicators".into(),
        },
    );
    table.say(
        evaluator,
        ClientMsg::Note {
            about: NoteSubject::Objective(9),
            text: "no such objective".into(),
        },
    );
    let notes: Vec<SessionEvent> = table
        .sessions()
        .into_iter()
        .map(|(_, e)| e)
        .filter(|e| matches!(e, SessionEvent::EvaluatorNote { .. }))
        .collect();
    assert_eq!(
        notes,
        vec![SessionEvent::EvaluatorNote {
            evaluator: 0,
            about: NoteSubject::Team(TeamIdx(4)),
            text: "did not share the indicators".into(),
            unix_ms: 1_700_000_090_000,
        }]
    );
    // Teams may not write notes.
    let team = table.join_as(&table.team_code(0), false);
    table.say(
        team,
        ClientMsg::Note {
            about: NoteSubject::Exercise,
            text: "x".into(),
        },
    );
    assert!(matches!(
        table.received(team).last(),
        Some(ServerMsg::Error { .. })
    ));
}

#[test]
fn a_team_message_reaches_its_recipient_at_the_next_flush_and_the_report_is_asked_of_the_caller() {
    let mut table = Table::new(48, |_| {});
    let facilitator = table.join_as(&table.codes.facilitator.clone(), false);
    let a = table.join_as(&table.team_code(0), false);
    let b = table.join_as(&table.team_code(4), false);
    let views = |t: &Table, conn| {
        t.received(conn)
            .iter()
            .filter(|m| matches!(m, ServerMsg::View { .. }))
            .count()
    };
    let before = views(&table, b);
    table.say(
        a,
        ClientMsg::Submit {
            request_id: 1,
            actor: Actor::Team(TeamIdx(0)),
            command: Command::Message {
                to: cyberdrill_engine::command::Recipient::Team(TeamIdx(4)),
                text: "indicators coming".into(),
            },
        },
    );
    assert_eq!(views(&table, b), before, "not before the flush");
    table.at(0.1);
    assert_eq!(views(&table, b), before + 1);
    table.say(facilitator, ClientMsg::Report);
    table.say(a, ClientMsg::Report);
    assert_eq!(table.reports, vec![facilitator]);
    assert!(matches!(
        table.received(a).last(),
        Some(ServerMsg::ReportFailed { .. })
    ));
}

#[test]
fn a_refusal_for_a_task_already_in_progress_names_the_team_doing_it() {
    let mut table = Table::new(24, |_| {});
    let harden = Command::HardenSector {
        sector: cyberdrill_engine::scenario::model::SectorIdx(0),
    };
    let submit = |team: u32, request_id: u64| ClientMsg::Submit {
        request_id,
        actor: Actor::Team(TeamIdx(team)),
        command: harden.clone(),
    };
    let (regulator, operator) = (table.team_code(1), table.team_code(2));
    let regulator = table.join_as(&regulator, false);
    let operator = table.join_as(&operator, false);
    table.say(regulator, submit(1, 1));
    let Some((1, Outcome::Accepted(accepted))) = table.results(regulator).last().cloned() else {
        panic!("the regulator's task starts");
    };
    let task = accepted.task.expect("a task").0;
    table.say(operator, submit(2, 1));
    let holder = two_economies().teams[1].name.clone();
    let Some((1, outcome)) = table.results(operator).last().cloned() else {
        panic!("an answer");
    };
    assert_eq!(
        outcome,
        Outcome::InProgress {
            task,
            team: holder.clone(),
            yours: false
        }
    );
    let text = outcome.into_result().expect_err("a refusal");
    assert!(
        text.starts_with(&format!("{holder} is already doing this (task #{task})")),
        "{text}"
    );
    table.say(regulator, submit(1, 2));
    let Some((2, outcome)) = table.results(regulator).last().cloned() else {
        panic!("an answer");
    };
    assert!(
        matches!(outcome, Outcome::InProgress { yours: true, .. }),
        "{outcome:?}"
    );
}

/// The views a connection received: `(tick, history_after)`.
fn views_of(table: &Table, conn: ConnId) -> Vec<(u32, Option<u32>)> {
    table
        .received(conn)
        .iter()
        .filter_map(|m| match m {
            ServerMsg::View {
                view,
                history_after,
            } => Some((view.tick, *history_after)),
            _ => None,
        })
        .collect()
}

#[test]
fn a_paced_connection_that_has_not_taken_its_view_is_sent_the_newest_once_it_does() {
    let mut table = Table::new(48, |c| c.pace = real(1000));
    let slow = table.join_paced(&table.team_code(0));
    let quick = table.join_as(&table.team_code(1), false);
    assert_eq!(views_of(&table, slow), vec![(0, None)]);
    table.at(5.0);
    assert_eq!(table.tick(), 5);
    // Five ticks while the first view was unread: no view is built for it meanwhile,
    // while an unpaced connection gets one a tick.
    assert_eq!(views_of(&table, slow), vec![(0, None)]);
    assert_eq!(views_of(&table, quick).len(), 6);
    // Taken: the newest view at once, with every history point since the first.
    table.input(Input::ViewTaken { conn: slow });
    assert_eq!(views_of(&table, slow), vec![(0, None), (5, Some(0))]);
    // Taken before the next tick: that tick's view comes with the tick.
    table.input(Input::ViewTaken { conn: slow });
    assert_eq!(
        views_of(&table, slow).len(),
        2,
        "nothing owed, nothing sent"
    );
    table.at(6.0);
    assert_eq!(views_of(&table, slow)[2], (6, Some(5)));
    // A command's answer is not held back by an unread view; the view follows when taken.
    table.say(
        slow,
        ClientMsg::Submit {
            request_id: 1,
            actor: Actor::Team(TeamIdx(0)),
            command: Command::Message {
                to: Recipient::Facilitator,
                text: "status".to_string(),
            },
        },
    );
    assert!(matches!(
        table.results(slow).as_slice(),
        [(1, Outcome::Accepted(_))]
    ));
    assert_eq!(views_of(&table, slow).len(), 3);
    table.input(Input::ViewTaken { conn: slow });
    assert_eq!(views_of(&table, slow)[3], (6, Some(6)));
}
