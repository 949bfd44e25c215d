//! Input tests: key sequences drive the app state as a player would, without a terminal,
//! and what the app sends to its session is read from the other end of the channel.

use std::sync::mpsc;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use cyberdrill_engine::command::{Actor, Command, CommandKind, IncidentId, Recipient, TaskId, Tlp};
use cyberdrill_engine::scenario::model::{EconomyIdx, TeamIdx};
use cyberdrill_engine::view::TaskView;

use crate::app::{App, Modal, PageKind, Screen};
use crate::client::{
    CommandOutcome, Discussion, Feedback, FromSession, NoteSubject, Pace, Seat, SessionStatus,
    ToSession,
};
use crate::fixture;
use crate::input::map_key;

fn key(code: KeyCode) -> KeyEvent {
    KeyEvent::new(code, KeyModifiers::NONE)
}

/// Presses each key in turn, as the event loop does.
fn press(app: &mut App, keys: &[KeyCode]) {
    for &code in keys {
        if let Some(action) = map_key(app, key(code)) {
            app.update(action);
        }
    }
}

fn type_text(app: &mut App, text: &str) {
    let keys: Vec<KeyCode> = text.chars().map(KeyCode::Char).collect();
    press(app, &keys);
}

fn team_app() -> (App, mpsc::Receiver<ToSession>) {
    let (tx, rx) = mpsc::channel();
    let mut app = App::new(Actor::Team(TeamIdx(0)), tx);
    app.receive(FromSession::View(Box::new(fixture::team_view())));
    (app, rx)
}

fn sent(rx: &mpsc::Receiver<ToSession>) -> Vec<ToSession> {
    rx.try_iter().collect()
}

#[test]
fn open_incident_pick_contain_submit_and_see_the_task() {
    let (mut app, rx) = team_app();
    // Incidents screen, second incident (#1, ArcTel backbone), Enter opens the actions.
    press(
        &mut app,
        &[KeyCode::Char('4'), KeyCode::Down, KeyCode::Enter],
    );
    assert!(matches!(app.modal, Modal::Picker(_)));
    // Second entry is "contain"; Enter opens its form with the incident chosen.
    press(&mut app, &[KeyCode::Down, KeyCode::Enter]);
    let Modal::Form(form) = &app.modal else {
        panic!("expected the contain form, got {:?}", app.modal);
    };
    assert_eq!(
        form.command(),
        Ok(Command::Contain {
            incident: IncidentId(1)
        })
    );
    press(&mut app, &[KeyCode::Enter]);
    assert_eq!(app.modal, Modal::None);
    assert_eq!(
        sent(&rx),
        vec![ToSession::Submit {
            actor: Actor::Team(TeamIdx(0)),
            command: Command::Contain {
                incident: IncidentId(1)
            },
        }]
    );
    // The session accepts it and the next view carries the task.
    app.receive(FromSession::Outcome(CommandOutcome {
        label: "contain".to_string(),
        result: Ok("task #2 started: 3 analysts until tick 11".to_string()),
    }));
    let mut view = fixture::team_view();
    view.tasks.push(TaskView {
        id: TaskId(2),
        team: TeamIdx(0),
        label: "contain".to_string(),
        target: "#1 ArcTel backbone".to_string(),
        analysts: 3,
        started_at: 8,
        done_at: 11,
        progress: 0.0,
        finished: false,
        command: Command::Contain {
            incident: IncidentId(1),
        },
        outcome: None,
    });
    app.receive(FromSession::View(Box::new(view)));
    press(&mut app, &[KeyCode::Char('5')]);
    assert_eq!(app.screen, Screen::Actions);
    let shown = app.view.as_ref().map(|v| v.tasks.len());
    assert_eq!(shown, Some(3));
    assert!(app.notices.last().is_some_and(|n| n.accepted));
}

#[test]
fn share_indicators_needs_an_economy_ticked() {
    let (mut app, rx) = team_app();
    press(&mut app, &[KeyCode::Char('5')]);
    for _ in 0..share_at(&app) {
        press(&mut app, &[KeyCode::Down]);
    }
    press(&mut app, &[KeyCode::Enter]);
    // Sending with nothing ticked is refused by the form itself, with a reason.
    press(&mut app, &[KeyCode::Enter]);
    let Modal::Form(form) = &app.modal else {
        panic!("the form should stay open");
    };
    assert!(
        form.problem
            .as_deref()
            .is_some_and(|p| p.contains("tick at least one"))
    );
    assert!(sent(&rx).is_empty());
    // Field 2 ("with"), tick Borealis, move on, tick Calédonie, choose TLP:GREEN, send.
    press(
        &mut app,
        &[
            KeyCode::Down,
            KeyCode::Char(' '),
            KeyCode::Right,
            KeyCode::Char(' '),
            KeyCode::Down,
            KeyCode::Right,
            KeyCode::Enter,
        ],
    );
    assert_eq!(
        sent(&rx),
        vec![ToSession::Submit {
            actor: Actor::Team(TeamIdx(0)),
            command: Command::ShareIndicators {
                incident: IncidentId(0),
                with: vec![EconomyIdx(1), EconomyIdx(2)],
                tlp: Tlp::Green,
                teams: Vec::new(),
            },
        }]
    );
}

#[test]
fn a_refusal_is_shown_in_words() {
    let (mut app, _rx) = team_app();
    app.receive(FromSession::Outcome(CommandOutcome {
        label: "restore".to_string(),
        result: Err("the asset is still compromised: contain incident #0 first".to_string()),
    }));
    let notice = app.notices.last().expect("a notice was received");
    assert!(!notice.accepted);
    assert_eq!(
        notice.text,
        "restore refused: the asset is still compromised: contain incident #0 first"
    );
}

#[test]
fn writing_a_message_in_a_channel_addresses_that_channel() {
    let (mut app, rx) = team_app();
    // Comms: Everyone, Facilitator, Borealis CIRT (third).
    press(
        &mut app,
        &[KeyCode::Char('6'), KeyCode::Down, KeyCode::Down],
    );
    press(&mut app, &[KeyCode::Char('m')]);
    // Letters typed in a form are text, not shortcuts ('q' does not quit).
    type_text(&mut app, "need help? q");
    press(
        &mut app,
        &[KeyCode::Backspace, KeyCode::Backspace, KeyCode::Enter],
    );
    assert_eq!(
        sent(&rx),
        vec![ToSession::Submit {
            actor: Actor::Team(TeamIdx(0)),
            command: Command::Message {
                to: Recipient::Team(TeamIdx(1)),
                text: "need help?".to_string(),
            },
        }]
    );
    assert!(!app.should_quit);
}

#[test]
fn reading_a_channel_clears_its_unread_count() {
    let (mut app, _rx) = team_app();
    assert_eq!(app.unread_total(), 2);
    press(&mut app, &[KeyCode::Char('6')]);
    // "Everyone" is selected first: the broadcast is read.
    assert_eq!(app.unread_total(), 1);
    press(&mut app, &[KeyCode::Down, KeyCode::Down]);
    assert_eq!(app.unread_total(), 0);
}

#[test]
fn quit_needs_confirmation_and_escape_cancels() {
    let (mut app, rx) = team_app();
    press(&mut app, &[KeyCode::Char('q'), KeyCode::Esc]);
    assert!(!app.should_quit);
    press(&mut app, &[KeyCode::Char('q'), KeyCode::Char('y')]);
    assert!(app.should_quit);
    assert_eq!(sent(&rx), vec![ToSession::Shutdown]);
}

#[test]
fn ctrl_c_quits_from_inside_a_form() {
    let (mut app, _rx) = team_app();
    press(&mut app, &[KeyCode::Char('5'), KeyCode::Enter]);
    assert!(matches!(app.modal, Modal::Form(_)));
    let action = map_key(
        &app,
        KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL),
    );
    if let Some(action) = action {
        app.update(action);
    }
    assert!(app.should_quit);
}

#[test]
fn a_lone_player_pauses_resumes_and_steps() {
    let (mut app, rx) = team_app();
    app.receive(FromSession::Status(SessionStatus {
        pace: Pace::RealTime {
            millis_per_tick: 1000,
        },
        ..SessionStatus::initial(Actor::Team(TeamIdx(0)))
    }));
    press(
        &mut app,
        &[KeyCode::Char(' '), KeyCode::Char(' '), KeyCode::Char('n')],
    );
    assert_eq!(
        sent(&rx),
        vec![ToSession::Resume, ToSession::Pause, ToSession::Step,]
    );
    // Facilitator-only keys do nothing for a team.
    press(
        &mut app,
        &[KeyCode::Char('+'), KeyCode::Char('f'), KeyCode::Char('v')],
    );
    assert!(sent(&rx).is_empty());
    assert_eq!(app.modal, Modal::None);
}

#[test]
fn the_facilitator_paces_fires_edits_and_watches_a_team() {
    let (tx, rx) = mpsc::channel();
    let mut app = App::new(Actor::Facilitator, tx);
    app.receive(FromSession::View(Box::new(fixture::facilitator_view())));
    press(&mut app, &[KeyCode::Char('7')]);
    assert_eq!(app.screen, Screen::Control);
    press(
        &mut app,
        &[KeyCode::Char('+'), KeyCode::Char('+'), KeyCode::Char('t')],
    );
    assert_eq!(
        sent(&rx),
        vec![
            // From turn-based, faster starts real time at 10 minutes a tick.
            ToSession::SetPace(Pace::RealTime {
                millis_per_tick: 600_000
            }),
            ToSession::SetPace(Pace::RealTime {
                millis_per_tick: 300_000
            }),
            ToSession::SetPace(Pace::TurnBased),
        ]
    );
    // The pending inject is second; fire it.
    press(
        &mut app,
        &[KeyCode::Down, KeyCode::Char('f'), KeyCode::Enter],
    );
    assert_eq!(
        sent(&rx),
        vec![ToSession::Submit {
            actor: Actor::Facilitator,
            command: Command::FireInject {
                inject: cyberdrill_engine::scenario::model::InjectIdx(1)
            },
        }]
    );
    // Edit it: the form starts with its current wording; add to the headline.
    press(&mut app, &[KeyCode::Char('e'), KeyCode::Down]);
    type_text(&mut app, " (update)");
    press(&mut app, &[KeyCode::Enter]);
    let edits = sent(&rx);
    assert!(
        matches!(&edits[..], [ToSession::Submit { command: Command::EditInject { headline, .. }, .. }] if headline == "Ransom note published (update)"),
        "{edits:?}"
    );
    // See the exercise as Borealis CIRT (third entry: facilitator, Arcadia, Borealis).
    press(
        &mut app,
        &[
            KeyCode::Char('v'),
            KeyCode::Down,
            KeyCode::Down,
            KeyCode::Enter,
        ],
    );
    assert_eq!(sent(&rx), vec![ToSession::Watch(Actor::Team(TeamIdx(1)))]);
}

#[test]
fn number_keys_beyond_the_seat_screens_do_nothing() {
    let (mut app, _rx) = team_app();
    press(&mut app, &[KeyCode::Char('8')]);
    assert_eq!(app.screen, Screen::Overview);
    press(&mut app, &[KeyCode::Tab, KeyCode::Tab, KeyCode::Tab]);
    assert_eq!(app.screen, Screen::Incidents);
    press(
        &mut app,
        &[
            KeyCode::BackTab,
            KeyCode::BackTab,
            KeyCode::BackTab,
            KeyCode::BackTab,
        ],
    );
    assert_eq!(app.screen, Screen::Decisions);
    press(&mut app, &[KeyCode::Char('7')]);
    assert_eq!(app.screen, Screen::Decisions, "a team's seventh screen");
}

#[test]
fn r_on_the_facilitator_screen_asks_the_session_for_the_report() {
    let (tx, rx) = mpsc::channel();
    let mut app = App::new(Actor::Facilitator, tx);
    app.receive(FromSession::View(Box::new(fixture::facilitator_view())));
    // Elsewhere than the Control screen, `r` does nothing.
    press(&mut app, &[KeyCode::Char('1'), KeyCode::Char('r')]);
    assert!(sent(&rx).is_empty());
    press(&mut app, &[KeyCode::Char('7'), KeyCode::Char('r')]);
    assert_eq!(app.screen, Screen::Control);
    assert_eq!(sent(&rx), vec![ToSession::Report]);
    assert!(
        crate::input::help_rows(&app)
            .iter()
            .any(|(keys, _)| keys == "r"),
        "the help lists the report key"
    );
}

#[test]
fn r_sends_no_report_request_for_a_team_seat() {
    let (mut app, rx) = team_app();
    for screen in ['1', '2', '3', '4', '5', '6'] {
        press(&mut app, &[KeyCode::Char(screen), KeyCode::Char('r')]);
    }
    assert!(!sent(&rx).contains(&ToSession::Report));
}

/// Where a generated table of the README is: between `<!-- NAME:start -->` and
/// `<!-- NAME:end -->`.
fn readme_block(readme: &str, name: &str) -> Option<std::ops::Range<usize>> {
    let start = format!("<!-- {name}:start -->\n");
    let end = format!("<!-- {name}:end -->");
    let from = readme.find(&start)? + start.len();
    let to = from + readme[from..].find(&end)?;
    Some(from..to)
}

#[test]
fn the_readme_key_and_screen_tables_are_the_ones_the_code_uses() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../README.md");
    let mut readme = std::fs::read_to_string(path).expect("README.md");
    let tables = [
        ("screens", crate::app::readme_screens()),
        ("keys", crate::input::readme_keys()),
    ];
    // `CYBERDRILL_UPDATE_README=1 cargo test readme` rewrites the blocks.
    let update = std::env::var_os("CYBERDRILL_UPDATE_README").is_some();
    for (name, expected) in &tables {
        let at = readme_block(&readme, name)
            .unwrap_or_else(|| panic!("README.md has no `<!-- {name}:start -->` block"));
        if &readme[at.clone()] != expected {
            if update {
                readme.replace_range(at, expected);
            } else {
                panic!(
                    "README.md's {name} table differs from the code's; run \
                     `CYBERDRILL_UPDATE_README=1 cargo test -p cyberdrill --lib readme` \
                     or paste:\n{expected}"
                );
            }
        }
    }
    if update {
        std::fs::write(path, readme).expect("README.md rewritten");
    }
}

/// The hot wash of a scenario whose last module asks two questions.
fn hot_wash() -> Discussion {
    Discussion {
        module: Some(1),
        title: "Module 2: Recovery".to_string(),
        questions: vec![
            "Who decided to restore, and on what information?".to_string(),
            "What would you share earlier next time?".to_string(),
        ],
        feedback: true,
    }
}

#[test]
fn every_binding_dispatches_to_its_action_for_a_seat_it_is_for() {
    use crate::input::{BINDINGS, Scope, Who};
    for binding in BINDINGS {
        let (tx, _rx) = mpsc::channel();
        let seat = match binding.who {
            Who::Facilitator | Who::WhiteCell => Seat::Facilitator,
            Who::Evaluator => Seat::Evaluator(0),
            _ => Seat::Team(TeamIdx(0)),
        };
        let mut app = App::new(seat, tx);
        let view = if seat.sees_everything() {
            fixture::facilitator_view()
        } else {
            fixture::team_view()
        };
        app.receive(FromSession::View(Box::new(view)));
        if binding.who == Who::Replay {
            app.receive(FromSession::Replay(crate::client::ReplayPosition {
                tick: 3,
                last: 10,
                now: Vec::new(),
                next: None,
            }));
        }
        match binding.scope {
            Scope::Screen(screen) => app.update(crate::app::Action::GoTo(screen)),
            // The share form opens on a list, where letters and space are keys.
            Scope::Form => {
                app.update(crate::app::Action::GoTo(Screen::Actions));
                for _ in 0..share_at(&app) {
                    app.update(crate::app::Action::Down);
                }
                app.update(crate::app::Action::Activate);
            }
            Scope::Picker => app.update(crate::app::Action::GoTo(Screen::Incidents)),
            Scope::Page => app.update(crate::app::Action::ShowBriefing),
            Scope::Discussion => {
                app.status.discussion = Some(hot_wash());
                app.update(crate::app::Action::ShowDiscussion);
            }
            Scope::Help => app.update(crate::app::Action::ShowHelp),
            Scope::Confirm => app.update(crate::app::Action::AskQuit),
            Scope::Screens => {}
        }
        if binding.scope == Scope::Picker {
            app.update(crate::app::Action::Activate);
        }
        for key in binding.keys {
            let modifiers = if key.ctrl {
                KeyModifiers::CONTROL
            } else {
                KeyModifiers::NONE
            };
            let action = map_key(&app, KeyEvent::new(key.code, modifiers));
            let expected = binding.action;
            let same_row = match (action, expected) {
                (Some(crate::app::Action::GoToTab(_)), crate::app::Action::GoToTab(_)) => true,
                (Some(crate::app::Action::PrevField), crate::app::Action::NextField) => true,
                (Some(crate::app::Action::Left), crate::app::Action::Right) => true,
                (Some(crate::app::Action::PageUp), crate::app::Action::PageDown) => true,
                (Some(a), e) => a == e,
                (None, _) => false,
            };
            assert!(
                same_row,
                "{} in {:?}: {action:?}, the table says {expected:?}",
                key.name(),
                binding.scope
            );
        }
    }
}

/// The status a seat receives when a module ends (`finished`: at the hot wash).
fn discussing(discussion: Discussion, finished: bool) -> FromSession {
    FromSession::Status(SessionStatus {
        finished,
        discussion: Some(discussion),
        ..SessionStatus::initial(Actor::Team(TeamIdx(0)))
    })
}

#[test]
fn a_module_break_shows_its_questions_and_a_team_answers_them() {
    let (mut app, rx) = team_app();
    app.receive(discussing(hot_wash(), false));
    assert!(
        matches!(&app.modal, Modal::Page(p) if p.kind == PageKind::Discussion),
        "the questions open by themselves: {:?}",
        app.modal
    );
    // `a` answers the first question; the answer is sent and shown on the page.
    press(&mut app, &[KeyCode::Char('a')]);
    type_text(&mut app, "The CSIRT, on the hospital's call");
    press(&mut app, &[KeyCode::Enter]);
    assert_eq!(
        sent(&rx),
        vec![ToSession::Answer {
            module: 1,
            question: 0,
            text: "The CSIRT, on the hospital's call".to_string()
        }]
    );
    // The next `a` opens on the question not answered yet.
    press(&mut app, &[KeyCode::Char('d'), KeyCode::Char('a')]);
    type_text(&mut app, "the indicators");
    press(&mut app, &[KeyCode::Enter]);
    assert!(matches!(
        &sent(&rx)[..],
        [ToSession::Answer { question: 1, .. }]
    ));
    assert_eq!(app.answers.len(), 2);
    // An empty answer is not sent: the form says why.
    press(
        &mut app,
        &[KeyCode::Char('d'), KeyCode::Char('a'), KeyCode::Enter],
    );
    let Modal::Form(form) = &app.modal else {
        panic!("the empty answer's form stays open: {:?}", app.modal);
    };
    assert_eq!(
        form.problem.as_deref(),
        Some("the answer is empty: type some text")
    );
    assert!(sent(&rx).is_empty());
}

#[test]
fn at_the_hot_wash_the_results_come_first_then_the_feedback_form() {
    let (mut app, rx) = team_app();
    app.receive(discussing(hot_wash(), true));
    assert!(matches!(&app.modal, Modal::Page(p) if p.kind == PageKind::Results));
    press(&mut app, &[KeyCode::Char('d'), KeyCode::Char('f')]);
    type_text(&mut app, "sharing early");
    press(&mut app, &[KeyCode::Tab]);
    type_text(&mut app, "who restores");
    press(&mut app, &[KeyCode::Tab]);
    type_text(&mut app, "a restore runbook");
    press(&mut app, &[KeyCode::Tab]);
    type_text(&mut app, "St Aurelia's IT");
    press(&mut app, &[KeyCode::Tab]);
    type_text(&mut app, "2027-03-31");
    press(&mut app, &[KeyCode::Enter]);
    assert_eq!(
        sent(&rx),
        vec![ToSession::Feedback(Feedback {
            went_well: "sharing early".to_string(),
            to_improve: "who restores".to_string(),
            improvement: "a restore runbook".to_string(),
            owner: "St Aurelia's IT".to_string(),
            due: "2027-03-31".to_string(),
        })]
    );
    assert!(app.feedback_sent);
}

#[test]
fn an_evaluator_writes_notes_and_cannot_act() {
    let (tx, rx) = mpsc::channel();
    let mut app = App::new(Seat::Evaluator(0), tx);
    app.receive(FromSession::View(Box::new(fixture::facilitator_view())));
    assert!(app.is_facilitator() && app.is_evaluator() && !app.directs());
    // The clock, messages, injects and the facilitator's pacing are not an evaluator's.
    press(
        &mut app,
        &[
            KeyCode::Char(' '),
            KeyCode::Char('n'),
            KeyCode::Char('m'),
            KeyCode::Char('+'),
            KeyCode::Char('b'),
            KeyCode::Char('a'),
        ],
    );
    assert!(sent(&rx).is_empty());
    assert_eq!(app.modal, Modal::None);
    assert!(app.commands().is_empty());
    // `w`: a note about the second team (the list: the exercise, then each team).
    press(&mut app, &[KeyCode::Char('w')]);
    type_text(&mut app, "Borealis waited 3 ticks before sharing");
    press(
        &mut app,
        &[
            KeyCode::BackTab,
            KeyCode::Right,
            KeyCode::Right,
            KeyCode::Enter,
        ],
    );
    assert_eq!(
        sent(&rx),
        vec![ToSession::Note {
            about: NoteSubject::Team(TeamIdx(1)),
            text: "Borealis waited 3 ticks before sharing".to_string()
        }]
    );
}

#[test]
fn the_facilitator_jumps_the_clock_and_ends_the_session_after_asking() {
    let (tx, rx) = mpsc::channel();
    let mut app = App::new(Actor::Facilitator, tx);
    app.receive(FromSession::View(Box::new(fixture::facilitator_view())));
    press(
        &mut app,
        &[
            KeyCode::Char('a'),
            KeyCode::Right,
            KeyCode::Right,
            KeyCode::Enter,
        ],
    );
    assert_eq!(sent(&rx), vec![ToSession::Advance { ticks: 3 }]);
    // `x` asks first: Esc keeps the session, Enter ends it.
    press(&mut app, &[KeyCode::Char('x'), KeyCode::Esc]);
    assert!(sent(&rx).is_empty());
    press(&mut app, &[KeyCode::Char('x'), KeyCode::Enter]);
    assert_eq!(sent(&rx), vec![ToSession::EndSession]);
    // A team has neither key.
    let (mut team, team_rx) = team_app();
    press(&mut team, &[KeyCode::Char('a'), KeyCode::Char('x')]);
    assert!(sent(&team_rx).is_empty());
    assert_eq!(team.modal, Modal::None);
}

#[test]
fn the_menu_puts_the_roles_actions_first_and_says_whose_the_others_are() {
    let (mut app, rx) = team_app();
    let menu = app.commands();
    let first_greyed = menu
        .iter()
        .position(|&k| !app.may_send(k))
        .expect("a CSIRT may not do everything");
    assert!(
        menu[first_greyed..].iter().all(|&k| !app.may_send(k)),
        "what the role may do comes first: {menu:?}"
    );
    let legal = menu
        .iter()
        .position(|&k| k == CommandKind::LegalAction)
        .expect("legal action is listed, greyed");
    press(&mut app, &[KeyCode::Char('5')]);
    for _ in 0..legal {
        press(&mut app, &[KeyCode::Down]);
    }
    press(&mut app, &[KeyCode::Enter]);
    assert_eq!(app.modal, Modal::None, "no form for another role's action");
    assert!(sent(&rx).is_empty());
    let notice = app.notices.last().expect("the player is told why");
    assert!(!notice.accepted);
    assert_eq!(
        notice.text,
        "\"legal action\" is for law enforcement teams, and Arcadia CSIRT is a CSIRT team: \
         ask one of them in Comms."
    );
    // The incident picker offers only the role's own actions.
    press(&mut app, &[KeyCode::Char('4'), KeyCode::Enter]);
    let Modal::Picker(picker) = &app.modal else {
        panic!("the incident's actions: {:?}", app.modal);
    };
    let offered: Vec<&str> = picker.entries.iter().map(|(t, _)| t.as_str()).collect();
    assert!(offered.contains(&"contain"), "{offered:?}");
    assert!(!offered.contains(&"legal action"), "{offered:?}");
}

#[test]
fn a_regulator_is_told_what_it_can_do_instead_of_acting_on_an_incident() {
    let (tx, rx) = mpsc::channel();
    let mut app = App::new(Actor::Team(TeamIdx(0)), tx);
    let mut view = fixture::team_view();
    view.teams[0].role = cyberdrill_engine::scenario::model::Role::Regulator;
    app.receive(FromSession::View(Box::new(view)));
    press(&mut app, &[KeyCode::Char('4'), KeyCode::Enter]);
    assert_eq!(app.modal, Modal::None);
    let notice = app.notices.last().expect("told why");
    assert!(
        notice
            .text
            .starts_with("A regulator team does not act on incidents itself: its actions are harden sector, awareness campaign, coordinate operators, train, build capacity and decide"),
        "{}",
        notice.text
    );
    assert!(sent(&rx).is_empty());
}

/// Where "share indicators" is in the seat's Actions menu.
fn share_at(app: &App) -> usize {
    app.commands()
        .iter()
        .position(|&k| k == cyberdrill_engine::command::CommandKind::ShareIndicators)
        .expect("a CSIRT may share indicators")
}

/// A team's seat watching a recording (`replay --watch`) at tick 8 of 48.
fn replaying() -> (App, mpsc::Receiver<ToSession>) {
    let (mut app, rx) = team_app();
    app.receive(FromSession::Replay(crate::client::ReplayPosition {
        tick: 8,
        last: 48,
        now: vec!["Arcadia CSIRT: contain".to_string()],
        next: Some((11, "inject \"Ransom note\"".to_string())),
    }));
    (app, rx)
}

#[test]
fn in_a_replay_the_keys_move_through_the_recording_and_change_nothing() {
    use crate::client::Seek;
    let (mut app, rx) = replaying();
    press(
        &mut app,
        &[
            KeyCode::Char('n'),
            KeyCode::Char('b'),
            KeyCode::Char('e'),
            KeyCode::Char('E'),
            KeyCode::Home,
            KeyCode::End,
            // A team's keys that would act do nothing on a recording.
            KeyCode::Char(' '),
            KeyCode::Char('m'),
        ],
    );
    assert_eq!(
        sent(&rx),
        vec![
            ToSession::Seek(Seek::Forward),
            ToSession::Seek(Seek::Back),
            ToSession::Seek(Seek::NextMoment),
            ToSession::Seek(Seek::PreviousMoment),
            ToSession::Seek(Seek::To(0)),
            ToSession::Seek(Seek::To(u32::MAX)),
        ]
    );
    assert_eq!(app.modal, Modal::None);
    let hints = crate::input::hints(&app);
    assert!(
        // Reading keys stay: the Overview's economy detail, then the recording's keys.
        hints.starts_with("Enter detail · n next tick · b back · e next event · t go to tick"),
        "{hints}"
    );
    assert!(!hints.contains("pause"), "{hints}");

    // Outside a replay, `n` is the clock's step again.
    let (mut live, live_rx) = team_app();
    press(&mut live, &[KeyCode::Char('n')]);
    assert!(
        !sent(&live_rx)
            .iter()
            .any(|m| matches!(m, ToSession::Seek(_)))
    );
}

#[test]
fn go_to_a_tick_takes_a_typed_number_within_the_recording() {
    use crate::client::Seek;
    let (mut app, rx) = replaying();
    press(&mut app, &[KeyCode::Char('t')]);
    type_text(&mut app, "99");
    press(&mut app, &[KeyCode::Enter]);
    let Modal::Form(form) = &app.modal else {
        panic!("a tick past the end keeps the form open: {:?}", app.modal);
    };
    assert!(
        form.problem
            .as_deref()
            .is_some_and(|p| p.contains("0 to 48")),
        "{:?}",
        form.problem
    );
    press(&mut app, &[KeyCode::Backspace, KeyCode::Backspace]);
    type_text(&mut app, "30");
    press(&mut app, &[KeyCode::Enter]);
    assert_eq!(sent(&rx), vec![ToSession::Seek(Seek::To(30))]);
    assert_eq!(app.modal, Modal::None);
}
