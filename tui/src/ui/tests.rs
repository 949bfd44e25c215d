//! Rendering tests: every screen and overlay drawn with ratatui's `TestBackend` at the
//! smallest supported size (80x24) and a larger one (120x40), compared with reviewed
//! insta snapshots.

use std::sync::mpsc;

use cyberdrill_engine::command::Actor;
use cyberdrill_engine::scenario::model::TeamIdx;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

use crate::app::{Action, App, Screen};
use crate::client::{CommandOutcome, FromSession, Pace, SessionStatus, ToSession};
use crate::fixture;
use crate::ui::draw;

const SIZES: [(u16, u16); 2] = [(80, 24), (120, 40)];

fn render(app: &App, width: u16, height: u16) -> String {
    let mut terminal =
        Terminal::new(TestBackend::new(width, height)).expect("a test terminal always opens");
    terminal
        .draw(|frame| draw(frame, app))
        .expect("drawing to a test terminal cannot fail");
    terminal.backend().to_string()
}

fn status(seat: Actor, pace: Pace) -> FromSession {
    FromSession::Status(SessionStatus {
        pace,
        finished: false,
        watching: seat,
        bot_seats: 2,
    })
}

fn team_app() -> (App, mpsc::Receiver<ToSession>) {
    let (tx, rx) = mpsc::channel();
    let seat = Actor::Team(TeamIdx(0));
    let mut app = App::new(seat, tx);
    app.receive(status(seat, Pace::Running { ms_per_tick: 500 }));
    app.receive(FromSession::View(Box::new(fixture::team_view())));
    (app, rx)
}

fn facilitator_app() -> (App, mpsc::Receiver<ToSession>) {
    let (tx, rx) = mpsc::channel();
    let mut app = App::new(Actor::Facilitator, tx);
    app.receive(status(Actor::Facilitator, Pace::Paused));
    app.receive(FromSession::View(Box::new(fixture::facilitator_view())));
    (app, rx)
}

fn snapshot_at_sizes(name: &str, app: &App) {
    for (w, h) in SIZES {
        insta::assert_snapshot!(format!("{name}_{w}x{h}"), render(app, w, h));
    }
}

#[test]
fn overview_shows_every_economy_with_status_words() {
    let (app, _rx) = team_app();
    let screen = render(&app, 80, 24);
    assert!(screen.contains("Arcadia"), "{screen}");
    assert!(screen.contains("Borealis"), "{screen}");
    assert!(screen.contains("! degraded"), "{screen}");
    assert!(screen.contains("Tick 8/48"), "{screen}");
    snapshot_at_sizes("overview_team", &app);
}

#[test]
fn overview_for_the_facilitator_shows_every_sector_grid_row() {
    let (app, _rx) = facilitator_app();
    snapshot_at_sizes("overview_facilitator", &app);
}

#[test]
fn infrastructure_marks_cross_border_dependencies() {
    let (mut app, _rx) = team_app();
    app.update(Action::GoTo(Screen::Infrastructure));
    app.update(Action::Down); // ArcTel backbone depends on a foreign cable landing
    let screen = render(&app, 80, 24);
    assert!(screen.contains("cross-border"), "{screen}");
    assert!(screen.contains("⇄"), "{screen}");
    snapshot_at_sizes("infrastructure_team", &app);
}

#[test]
fn incidents_list_severity_stage_and_response() {
    let (mut app, _rx) = team_app();
    app.update(Action::GoTo(Screen::Incidents));
    let screen = render(&app, 80, 24);
    assert!(screen.contains("critical"), "{screen}");
    assert!(screen.contains("contained"), "{screen}");
    snapshot_at_sizes("incidents_team", &app);
}

#[test]
fn actions_show_tasks_with_progress_and_refusals() {
    let (mut app, _rx) = team_app();
    app.update(Action::GoTo(Screen::Actions));
    app.receive(FromSession::Outcome(CommandOutcome {
        label: "restore".to_string(),
        result: Err("no free analysts: 0 of 8 are free".to_string()),
    }));
    let screen = render(&app, 80, 24);
    assert!(
        screen.contains("restore refused: no free analysts"),
        "{screen}"
    );
    assert!(screen.contains("34%"), "{screen}");
    snapshot_at_sizes("actions_team", &app);
}

#[test]
fn comms_show_channels_unread_counts_and_timeline() {
    let (mut app, _rx) = team_app();
    let before = render(&app, 80, 24);
    assert!(before.contains("5 Comms ✉2"), "{before}");
    app.update(Action::GoTo(Screen::Comms));
    let screen = render(&app, 80, 24);
    assert!(screen.contains("NEWS Payment terminals"), "{screen}");
    snapshot_at_sizes("comms_team", &app);
}

#[test]
fn facilitator_console_lists_injects_and_campaigns() {
    let (mut app, _rx) = facilitator_app();
    app.update(Action::GoTo(Screen::Facilitator));
    app.update(Action::Down);
    let screen = render(&app, 80, 24);
    assert!(screen.contains("Ransom note published"), "{screen}");
    assert!(screen.contains("at tick 12"), "{screen}");
    assert!(screen.contains("‖ paused"), "{screen}");
    assert!(
        screen.contains("r report"),
        "the footer names the report key: {screen}"
    );
    snapshot_at_sizes("facilitator_console", &app);
}

#[test]
fn help_lists_the_keys_of_the_current_screen() {
    let (mut app, _rx) = team_app();
    app.update(Action::GoTo(Screen::Incidents));
    app.update(Action::ShowHelp);
    let screen = render(&app, 80, 24);
    assert!(screen.contains("act on the selected incident"), "{screen}");
    snapshot_at_sizes("help_incidents", &app);
}

#[test]
fn quit_asks_first() {
    let (mut app, _rx) = team_app();
    app.update(Action::AskQuit);
    snapshot_at_sizes("confirm_quit", &app);
}

#[test]
fn share_form_shows_its_fields() {
    let (mut app, _rx) = team_app();
    app.update(Action::GoTo(Screen::Actions));
    for _ in 0..5 {
        app.update(Action::Down);
    }
    app.update(Action::Activate);
    let screen = render(&app, 80, 24);
    assert!(screen.contains("share indicators"), "{screen}");
    assert!(screen.contains("[ ] Borealis"), "{screen}");
    snapshot_at_sizes("form_share", &app);
}

#[test]
fn incident_picker_offers_incident_actions() {
    let (mut app, _rx) = team_app();
    app.update(Action::GoTo(Screen::Incidents));
    app.update(Action::Activate);
    snapshot_at_sizes("picker_incident", &app);
}

#[test]
fn a_small_terminal_gets_a_message_not_a_broken_layout() {
    let (app, _rx) = team_app();
    for (w, h) in [(20, 6), (79, 24), (80, 23), (1, 1)] {
        let screen = render(&app, w, h);
        assert!(
            w < 18 || screen.contains("terminal too small"),
            "{w}x{h}: {screen}"
        );
    }
    insta::assert_snapshot!("too_small_20x6", render(&app, 20, 6));
}

#[test]
fn every_screen_draws_at_every_size_without_panicking() {
    let (mut app, _rx) = facilitator_app();
    for screen in app.screens().to_vec() {
        app.update(Action::GoTo(screen));
        for w in [1, 2, 40, 79, 80, 81, 100, 200] {
            for h in [1, 2, 10, 23, 24, 25, 60] {
                render(&app, w, h);
            }
        }
    }
}

#[test]
fn before_the_first_view_the_screen_says_it_is_waiting() {
    let (tx, _rx) = mpsc::channel();
    let app = App::new(Actor::Team(TeamIdx(0)), tx);
    assert!(render(&app, 80, 24).contains("waiting for the first view"));
}

#[test]
fn the_sector_grid_scrolls_to_economies_below_the_fold() {
    let (mut app, _rx) = facilitator_app();
    let mut view = fixture::facilitator_view();
    // Twelve economies seen in full: more than an 80x24 grid can show at once.
    let template = view.economies[0].clone();
    for i in 3..12u32 {
        let mut economy = template.clone();
        economy.idx = cyberdrill_engine::scenario::model::EconomyIdx(i);
        economy.name = format!("Eco {i}");
        view.economies.push(economy);
    }
    app.receive(FromSession::View(Box::new(view)));
    // Grid rows start at the border; the economies panel above indents its names.
    assert!(!render(&app, 80, 24).contains("│Eco 11 "));
    for _ in 0..11 {
        app.update(Action::Down);
    }
    let screen = render(&app, 80, 24);
    assert!(screen.contains("│Eco 11 "), "{screen}");
}
