//! The interface against the real engine: the tutorial runs in a local host on its own
//! thread (as `play` runs it), bots play the other seats, and key presses take an
//! incident from detection to a task in progress, through the same channels the
//! terminal uses.

use std::path::Path;
use std::sync::mpsc::Receiver;
use std::time::{Duration, Instant};

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use cyberdrill_engine::Simulation;
use cyberdrill_engine::command::{Actor, Command};
use cyberdrill_engine::journal::{Header, Journal, JournalWriter, Pace, Record, read_journal};
use cyberdrill_engine::policy::Policy;
use cyberdrill_engine::replay::replay;
use cyberdrill_engine::scenario::model::TeamIdx;
use cyberdrill_engine::scenario::{self, bundled};

use crate::app::{App, Modal};
use crate::client::{SessionLink, ToSession};
use crate::host::{self, Host, HostConfig};
use crate::input::map_key;
use crate::net::codes::JoinCodes;

const SEED: u64 = 7;

/// `play` for `seat` on the bundled scenario `text` (called `name`), bots elsewhere,
/// journaled to `writer` if given, reports into `dir`; the host comes back at the end.
fn start(
    name: &str,
    text: &str,
    seat: Actor,
    writer: Option<JournalWriter>,
    dir: &Path,
) -> (SessionLink, Receiver<Host>) {
    let loaded = match scenario::parse(text) {
        Ok(checked) => checked.scenario,
        Err(d) => panic!("{name} must load: {d:?}"),
    };
    let ids: Vec<String> = loaded.teams.iter().map(|t| t.id.clone()).collect();
    let codes = JoinCodes::generate(&ids, 0).expect("OS randomness");
    let code = match seat {
        Actor::Facilitator => codes.facilitator.clone(),
        Actor::Team(t) => codes.teams[&ids[t.index()]].clone(),
    };
    let config = HostConfig {
        pace: Pace::RealTime {
            millis_per_tick: 1000,
        },
        paused: true,
        bots: Some(Policy::Cooperative),
        solo: true,
        ..HostConfig::new(codes)
    };
    let journal = Journal {
        header: Header::new(name, text, SEED, "play"),
        records: Vec::new(),
        recovered: None,
        chain: None,
    };
    let host = Host::new(
        Simulation::new(loaded, SEED),
        journal,
        config,
        Instant::now(),
    );
    host::local::spawn(host, code, writer, dir.to_path_buf())
}

fn press(app: &mut App, keys: &[KeyCode]) {
    for &code in keys {
        if let Some(action) = map_key(app, KeyEvent::new(code, KeyModifiers::NONE)) {
            app.update(action);
        }
    }
}

/// Takes in everything the session sends until `done` holds (or fails after a while).
fn pump_until(app: &mut App, link: &SessionLink, done: impl Fn(&App) -> bool) {
    for _ in 0..10_000 {
        if done(app) {
            return;
        }
        match link.from_session.recv_timeout(Duration::from_secs(10)) {
            Ok(message) => app.receive(message),
            Err(e) => panic!("the session went quiet: {e}"),
        }
    }
    panic!("the awaited state never came");
}

#[test]
fn detect_open_investigate_and_see_the_task_on_the_tutorial() {
    let seat = Actor::Team(TeamIdx(0));
    let reports = tempfile::tempdir().expect("tempdir");
    let (link, _host) = start(
        "tutorial.toml",
        bundled::TUTORIAL,
        seat,
        None,
        reports.path(),
    );
    let mut app = App::new(seat, link.to_session.clone());
    pump_until(&mut app, &link, |a| a.view.is_some());

    // Step with `n` until our team knows of an incident it can investigate.
    let investigable = |a: &App| {
        a.view
            .as_ref()
            .is_some_and(|v| v.incidents.iter().any(|i| !i.investigated))
    };
    while !investigable(&app) {
        let tick = app.view.as_ref().map_or(0, |v| v.tick);
        assert!(!app.status.finished, "no incident in the whole tutorial");
        press(&mut app, &[KeyCode::Char('n')]);
        pump_until(&mut app, &link, |a| {
            a.view.as_ref().is_some_and(|v| v.tick > tick)
        });
    }
    let view = app.view.clone().expect("a view arrived");
    let at = view
        .incidents
        .iter()
        .position(|i| !i.investigated)
        .expect("checked above");
    let tasks_before = view.tasks.len();

    // Incidents screen, select it, Enter, "investigate" (first), Enter, Enter to send.
    press(&mut app, &[KeyCode::Char('4')]);
    for _ in 0..at {
        press(&mut app, &[KeyCode::Down]);
    }
    press(&mut app, &[KeyCode::Enter, KeyCode::Enter]);
    assert!(matches!(app.modal, Modal::Form(_)), "{:?}", app.modal);
    press(&mut app, &[KeyCode::Enter]);
    pump_until(&mut app, &link, |a| !a.notices.is_empty());
    let notice = app.notices.last().expect("an outcome arrived");
    assert!(notice.accepted, "the engine refused: {}", notice.text);
    pump_until(&mut app, &link, |a| {
        a.view
            .as_ref()
            .is_some_and(|v| v.tasks.len() > tasks_before)
    });
    let view = app.view.as_ref().expect("a view arrived");
    assert!(
        view.tasks
            .iter()
            .any(|t| t.label == "investigate" && !t.finished),
        "{:?}",
        view.tasks
    );
    let _ = link.to_session.send(ToSession::Shutdown);
    assert!(link.thread.join().is_ok());
}

/// Starts the regional scenario with `seat` and bots elsewhere, reports into `dir`.
fn regional_session(seat: Actor, dir: &Path) -> (SessionLink, Vec<String>) {
    let regional = match scenario::parse(bundled::APEC_REGIONAL) {
        Ok(checked) => checked.scenario,
        Err(d) => panic!("the regional scenario must load: {d:?}"),
    };
    let economies = regional.economies.iter().map(|e| e.name.clone()).collect();
    let (link, _host) = start(
        "apec-regional.toml",
        bundled::APEC_REGIONAL,
        seat,
        None,
        dir,
    );
    (link, economies)
}

/// Waits for the session's answer to a report request.
fn report_answer(link: &SessionLink) -> Result<String, String> {
    loop {
        match link.from_session.recv_timeout(Duration::from_secs(30)) {
            Ok(crate::client::FromSession::Outcome(o)) if o.label == "report" => {
                return o.result;
            }
            Ok(_) => {}
            Err(e) => panic!("no answer to the report request: {e}"),
        }
    }
}

#[test]
fn the_facilitator_gets_the_report_of_the_exercise_so_far() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (link, economies) = regional_session(Actor::Facilitator, dir.path());
    let mut app = App::new(Actor::Facilitator, link.to_session.clone());
    pump_until(&mut app, &link, |a| a.view.is_some());
    for tick in 1..=4 {
        press(&mut app, &[KeyCode::Char('n')]);
        pump_until(&mut app, &link, |a| {
            a.view.as_ref().is_some_and(|v| v.tick == tick)
        });
    }
    press(&mut app, &[KeyCode::Char('7'), KeyCode::Char('r')]);
    let answer = report_answer(&link);
    let expected = dir
        .path()
        .join("cyberdrill-report-apec-regional-tick4.html");
    assert_eq!(answer, Ok(format!("written to {}", expected.display())));
    let html = std::fs::read_to_string(&expected).expect("the report file");
    assert!(html.contains("<svg"), "the report has its charts");
    assert!(!economies.is_empty());
    for name in &economies {
        assert!(html.contains(name.as_str()), "the report names {name}");
    }
    let _ = link.to_session.send(ToSession::Shutdown);
    assert!(link.thread.join().is_ok());
}

#[test]
fn a_team_seat_is_refused_the_report() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (link, _) = regional_session(Actor::Team(TeamIdx(0)), dir.path());
    let _ = link.to_session.send(ToSession::Report);
    let answer = report_answer(&link);
    assert_eq!(
        answer,
        Err("only the facilitator writes the after-action report".to_string())
    );
    assert_eq!(
        std::fs::read_dir(dir.path())
            .map(|d| d.count())
            .unwrap_or(1),
        0
    );
    let _ = link.to_session.send(ToSession::Shutdown);
    assert!(link.thread.join().is_ok());
}

/// The regional scenario for `seat`, bots elsewhere, journaled to the new file `journal`;
/// the host comes back when the session ends.
fn journaled_regional_session(
    seat: Actor,
    dir: &Path,
    journal: &Path,
) -> (SessionLink, Receiver<Host>) {
    let header = Header::new("apec-regional.toml", bundled::APEC_REGIONAL, SEED, "play");
    let writer = JournalWriter::create(journal, &header).expect("a new journal");
    start(
        "apec-regional.toml",
        bundled::APEC_REGIONAL,
        seat,
        Some(writer),
        dir,
    )
}

/// Steps with `n` until the view shows `ticks`.
fn step_to(app: &mut App, link: &SessionLink, ticks: u32) {
    let from = app.view.as_ref().map_or(0, |v| v.tick);
    for tick in from + 1..=ticks {
        press(app, &[KeyCode::Char('n')]);
        pump_until(app, link, |a| {
            a.view.as_ref().is_some_and(|v| v.tick == tick)
        });
    }
}

#[test]
fn a_journaled_play_replays_and_verifies_to_the_live_state_hash() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("drill.journal");
    let seat = Actor::Team(TeamIdx(0));
    let (link, returned) = journaled_regional_session(seat, dir.path(), &path);
    let mut app = App::new(seat, link.to_session.clone());
    pump_until(&mut app, &link, |a| a.view.is_some());
    step_to(&mut app, &link, 3);
    // The player's own decision, between ticks: journaled like the bots'.
    let _ = link.to_session.send(ToSession::Submit {
        actor: seat,
        command: Command::AwarenessCampaign,
    });
    let campaign = |a: &App| {
        a.notices
            .iter()
            .any(|n| n.text.starts_with("awareness campaign"))
    };
    pump_until(&mut app, &link, campaign);
    assert!(
        app.notices
            .iter()
            .any(|n| n.accepted && n.text.starts_with("awareness campaign")),
        "{:?}",
        app.notices
    );
    step_to(&mut app, &link, 6);
    let _ = link.to_session.send(ToSession::Shutdown);
    assert!(link.thread.join().is_ok());
    let live = returned.recv().expect("the session gives the host back");

    let journal = read_journal(&path).expect("the journal reads back");
    assert_eq!(journal.header.recorded_by, "play");
    assert!(journal.records.iter().any(|r| matches!(
        r,
        Record::Command { tick: 3, actor, command: Command::AwarenessCampaign, .. } if *actor == seat
    )));
    let replayed = replay(&journal, true).expect("the journal replays and verifies");
    assert_eq!(replayed.steps, 6);
    assert_eq!(replayed.verified_hashes, 6, "every tick's hash is recorded");
    assert_eq!(
        replayed.simulation.state_hash(),
        live.simulation().state_hash()
    );
    // The file also ends with the closing record the writer adds when it is dropped.
    let (closing, written) = journal.records.split_last().expect("records");
    assert!(matches!(closing, Record::Closed { .. }), "{closing:?}");
    assert_eq!(live.journal().records, written);
}

/// Rewrites the recorded state hash of the step to `tick` in the journal at `path`,
/// with a valid checksum: an edit only replay verification can catch.
fn forge_step_hash(path: &std::path::Path, tick: u32) {
    use cyberdrill_engine::journal::chain::{Link, attach, detach};
    // Relinked from the forged line on, as a forger who knows the format would: the
    // journal reads, and only the replay can tell.
    let text = std::fs::read_to_string(path).expect("journal");
    let mut forged = String::new();
    let mut link = Link::START;
    for line in text.lines() {
        let (_, json) = line.split_once(' ').expect("framed line");
        let (_, mut body) = detach(json).expect("a linked line");
        if let Ok(Record::Step { tick: t, .. }) = serde_json::from_str::<Record>(&body)
            && t == tick
        {
            let record = Record::Step {
                tick,
                state_hash: Some("0".repeat(64)),
            };
            body = serde_json::to_string(&record).expect("encode");
        }
        let (json, next) = attach(&link, &body);
        link = next;
        forged.push_str(&format!(
            "{:08X} {json}\n",
            crc32fast::hash(json.as_bytes())
        ));
    }
    std::fs::write(path, forged).expect("rewrite journal");
}

#[test]
fn the_facilitator_report_is_made_from_the_verified_journal() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("drill.journal");
    let (link, _returned) = journaled_regional_session(Actor::Facilitator, dir.path(), &path);
    let mut app = App::new(Actor::Facilitator, link.to_session.clone());
    pump_until(&mut app, &link, |a| a.view.is_some());
    step_to(&mut app, &link, 4);
    press(&mut app, &[KeyCode::Char('7'), KeyCode::Char('r')]);
    let written = dir
        .path()
        .join("cyberdrill-report-apec-regional-tick4.html");
    assert_eq!(
        report_answer(&link),
        Ok(format!("written to {}", written.display()))
    );
    let live = std::fs::read_to_string(&written).expect("the report file");
    let journal = read_journal(&path).expect("journal");
    let offline = crate::report::from_journal(&journal).expect("verifies");
    assert_eq!(live, crate::report::html::render(&offline).expect("render"));
    std::fs::remove_file(&written).expect("remove the report");

    // A journal whose recorded hashes no longer match gets no report, and says why.
    forge_step_hash(&path, 2);
    press(&mut app, &[KeyCode::Char('r')]);
    let report_notice = |a: &App| a.notices.iter().any(|n| n.text.starts_with("report"));
    pump_until(&mut app, &link, report_notice);
    let refused = app
        .notices
        .iter()
        .find(|n| n.text.starts_with("report"))
        .expect("the report's answer");
    assert!(!refused.accepted);
    assert!(
        refused
            .text
            .starts_with("report refused: the journal does not verify"),
        "{}",
        refused.text
    );
    assert!(refused.text.contains("tick 2"), "{}", refused.text);
    assert!(!written.exists(), "no report from an unverified journal");
    let _ = link.to_session.send(ToSession::Shutdown);
    assert!(link.thread.join().is_ok());
}

#[test]
fn a_played_clock_is_journaled_and_the_journal_still_verifies() {
    use cyberdrill_engine::journal::SessionEvent;

    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("drill.journal");
    let (link, returned) = journaled_regional_session(Actor::Facilitator, dir.path(), &path);
    let mut app = App::new(Actor::Facilitator, link.to_session.clone());
    pump_until(&mut app, &link, |a| a.view.is_some());
    // `t` switches to turn-based (a paused clock stays paused), `space` resumes and
    // pauses without touching the pace, `n` steps.
    press(&mut app, &[KeyCode::Char('t')]);
    pump_until(&mut app, &link, |a| a.status.pace == Pace::TurnBased);
    step_to(&mut app, &link, 2);
    press(&mut app, &[KeyCode::Char(' ')]);
    pump_until(&mut app, &link, |a| !a.status.paused);
    press(&mut app, &[KeyCode::Char(' ')]);
    pump_until(&mut app, &link, |a| a.status.paused);
    assert_eq!(app.status.pace, Pace::TurnBased, "pausing kept the pace");
    step_to(&mut app, &link, 4);
    press(&mut app, &[KeyCode::Char(' ')]);
    pump_until(&mut app, &link, |a| !a.status.paused);
    step_to(&mut app, &link, 5);
    let _ = link.to_session.send(ToSession::Shutdown);
    assert!(link.thread.join().is_ok());
    let live = returned.recv().expect("the host comes back");

    let journal = read_journal(&path).expect("the journal reads back");
    let clock: Vec<(u32, SessionEvent)> = journal
        .records
        .iter()
        .filter_map(|r| match r {
            Record::Session { tick, event } => Some((*tick, event.clone())),
            _ => None,
        })
        .filter(|(_, e)| {
            matches!(
                e,
                SessionEvent::PaceChanged { .. }
                    | SessionEvent::Paused
                    | SessionEvent::Resumed { .. }
            )
        })
        .map(|(tick, event)| match event {
            // Real time is not the test's to fix: that a length is recorded is.
            SessionEvent::Resumed { paused_ms } => {
                assert!(
                    paused_ms.is_some(),
                    "a resume records how long the pause lasted"
                );
                (tick, SessionEvent::Resumed { paused_ms: None })
            }
            other => (tick, other),
        })
        .collect();
    let second = Pace::RealTime {
        millis_per_tick: 1000,
    };
    assert_eq!(
        clock,
        vec![
            (0, SessionEvent::PaceChanged { pace: second }),
            (0, SessionEvent::Paused),
            (
                0,
                SessionEvent::PaceChanged {
                    pace: Pace::TurnBased
                }
            ),
            (2, SessionEvent::Resumed { paused_ms: None }),
            (2, SessionEvent::Paused),
            (4, SessionEvent::Resumed { paused_ms: None }),
        ]
    );
    assert_eq!(journal.clock(), (Some(Pace::TurnBased), false));
    let replayed = replay(&journal, true).expect("session events never change the state");
    assert_eq!(replayed.steps, 5);
    assert_eq!(
        replayed.simulation.state_hash(),
        live.simulation().state_hash()
    );
    // The file also ends with the closing record the writer adds when it is dropped.
    let (closing, written) = journal.records.split_last().expect("records");
    assert!(matches!(closing, Record::Closed { .. }), "{closing:?}");
    assert_eq!(live.journal().records, written);
}

/// The tutorial's instructions name actions in capitals (INVESTIGATE, SHARE, HARDEN, …):
/// every team an inject is sent to may take every action it names, so that no team is
/// told to do what its role cannot (a CSIRT told to harden a sector was refused).
#[test]
fn the_tutorial_tells_each_team_only_what_its_role_may_do() {
    use cyberdrill_engine::command::{IncidentId, Tlp};
    use cyberdrill_engine::scenario::model::{AssetIdx, Audience, EconomyIdx, SectorIdx};
    let tutorial = match scenario::parse(bundled::TUTORIAL) {
        Ok(checked) => checked.scenario,
        Err(d) => panic!("the tutorial must load: {d:?}"),
    };
    let incident = IncidentId(0);
    let actions: [(&str, Command); 10] = [
        ("INVESTIGATE", Command::Investigate { incident }),
        ("CONTAIN", Command::Contain { incident }),
        ("RESTORE", Command::Restore { asset: AssetIdx(0) }),
        (
            "HARDEN",
            Command::HardenSector {
                sector: SectorIdx(0),
            },
        ),
        ("AWARENESS", Command::AwarenessCampaign),
        (
            "SHARE",
            Command::ShareIndicators {
                incident,
                with: vec![EconomyIdx(1)],
                tlp: Tlp::Amber,
                teams: Vec::new(),
            },
        ),
        (
            "REQUEST ASSISTANCE",
            Command::RequestAssistance {
                from: EconomyIdx(0),
                analysts: 1,
            },
        ),
        (
            "PROVIDE ASSISTANCE",
            Command::ProvideAssistance {
                to: TeamIdx(0),
                analysts: 1,
            },
        ),
        ("LEGAL ACTION", Command::LegalAction { incident }),
        ("TAKEDOWN", Command::Takedown { incident }),
    ];
    let mut checked = 0;
    for inject in &tutorial.injects {
        let teams: Vec<TeamIdx> = match &inject.audience {
            Audience::Teams(teams) => teams.clone(),
            Audience::All => (0..tutorial.teams.len() as u32).map(TeamIdx).collect(),
            Audience::Facilitator => Vec::new(),
        };
        let text = inject.text.split_whitespace().collect::<Vec<_>>().join(" ");
        for (word, command) in &actions {
            // "PROVIDE ASSISTANCE" is not also a bare "ASSISTANCE" request, and so on:
            // each capitalised action is matched whole.
            if !text.contains(word) {
                continue;
            }
            for team in &teams {
                let role = tutorial.teams[team.index()].role;
                assert!(
                    command.kind().allowed_to(role),
                    "inject `{}` tells {} ({role:?}) to {word}, which its role may not do",
                    inject.id,
                    tutorial.teams[team.index()].id
                );
                checked += 1;
            }
        }
    }
    assert!(
        checked >= 8,
        "the tutorial's instructions were found ({checked})"
    );
}
