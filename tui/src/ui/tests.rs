//! Rendering tests: every screen and overlay drawn with ratatui's `TestBackend` at the
//! smallest supported size (80x24) and a larger one (120x40), compared with reviewed
//! insta snapshots.

use std::sync::mpsc;

use cyberdrill_engine::command::Actor;
use cyberdrill_engine::scenario::model::TeamIdx;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

use crate::app::{Action, App, Modal, Screen};
use crate::client::{CommandOutcome, FromSession, Pace, Presence, SessionStatus, ToSession};
use crate::fixture;
use crate::forms::Field;
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

/// A status at `pace`, running or `paused`, with two teams played by bots.
fn status(seat: Actor, pace: Pace, paused: bool) -> FromSession {
    FromSession::Status(SessionStatus {
        pace,
        paused,
        presence: Presence {
            bots: vec![TeamIdx(1), TeamIdx(2)],
            ..Presence::default()
        },
        ..SessionStatus::initial(seat)
    })
}

const HALF_SECOND: Pace = Pace::RealTime {
    millis_per_tick: 500,
};

fn team_app() -> (App, mpsc::Receiver<ToSession>) {
    let (tx, rx) = mpsc::channel();
    let seat = Actor::Team(TeamIdx(0));
    let mut app = App::new(seat, tx);
    app.receive(status(seat, HALF_SECOND, false));
    app.receive(FromSession::View(Box::new(fixture::team_view())));
    (app, rx)
}

fn facilitator_app() -> (App, mpsc::Receiver<ToSession>) {
    let (tx, rx) = mpsc::channel();
    let mut app = App::new(Actor::Facilitator, tx);
    app.receive(status(Actor::Facilitator, HALF_SECOND, true));
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
fn actions_say_how_many_lent_analysts_are_on_their_way() {
    let (mut app, _rx) = team_app();
    app.update(Action::GoTo(Screen::Actions));
    assert!(!render(&app, 100, 30).contains("on their way"));
    let mut view = fixture::team_view();
    view.analysts.incoming = 3;
    app.receive(FromSession::View(Box::new(view)));
    let screen = render(&app, 100, 30);
    assert!(screen.contains("· 3 on their way"), "{screen}");
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
fn a_served_facilitator_sees_who_is_connected_and_whom_the_turn_waits_for() {
    let (mut app, _rx) = facilitator_app();
    app.update(Action::GoTo(Screen::Facilitator));
    let local = render(&app, 120, 30);
    assert!(local.contains("2 played by bots"), "{local}");
    let names: Vec<String> = fixture::facilitator_view()
        .teams
        .iter()
        .map(|t| t.name.clone())
        .collect();
    assert!(names.len() >= 3, "the fixture has teams to show");
    let served = |pace: Pace, connected: Vec<u32>, ready: Vec<u32>| {
        FromSession::Status(SessionStatus {
            pace,
            paused: false,
            presence: Presence {
                connected: connected.into_iter().map(TeamIdx).collect(),
                ready: ready.into_iter().map(TeamIdx).collect(),
                bots: Vec::new(),
            },
            ..SessionStatus::initial(Actor::Facilitator)
        })
    };
    app.receive(served(Pace::TurnBased, vec![0, 1, 2], vec![1]));
    let screen = render(&app, 160, 30);
    let expected = format!(
        "teams connected 3/{} · turn waits for: {}, {}",
        names.len(),
        names[0],
        names[2]
    );
    assert!(screen.contains(&expected), "{expected}\n{screen}");

    app.receive(served(HALF_SECOND, vec![0, 2], vec![]));
    let screen = render(&app, 160, 30);
    let expected = format!("teams connected 2/{} · absent: {}", names.len(), names[1]);
    assert!(screen.contains(&expected), "{expected}\n{screen}");
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

/// The real view of `seat` at tick 0 of `text` (seed 1).
fn scenario_app(text: &str, seat: Actor) -> (App, mpsc::Receiver<ToSession>) {
    let scenario = match cyberdrill_engine::scenario::parse(text) {
        Ok(checked) => checked.scenario,
        Err(d) => panic!("the scenario must load: {d:?}"),
    };
    let view = cyberdrill_engine::Simulation::new(scenario, 1).view(seat);
    let (tx, rx) = mpsc::channel();
    let mut app = App::new(seat, tx);
    app.receive(status(seat, HALF_SECOND, true));
    app.receive(FromSession::View(Box::new(view)));
    (app, rx)
}

fn generated(economies: u32) -> String {
    cyberdrill_engine::scenario::generate::generate_toml(
        cyberdrill_engine::scenario::generate::GenerateOptions {
            economies,
            assets: u64::from(economies) * 3,
            seed: 1,
        },
    )
}

/// The economy names shown in the Overview's economies panel (rows of the panel start
/// with a two-column marker, `* ` for the viewer's own economy).
fn economies_on_screen(app: &App, screen: &str) -> Vec<String> {
    let view = app.shown().expect("a view");
    view.economies
        .iter()
        .filter(|e| {
            let name = crate::text::truncate(&e.name, 14);
            screen.contains(&format!("│  {name}")) || screen.contains(&format!("│* {name}"))
        })
        .map(|e| e.name.clone())
        .collect()
}

#[test]
fn the_overview_scrolls_the_economies_of_apec_regional_at_80x24() {
    let (mut app, _rx) = scenario_app(
        cyberdrill_engine::scenario::bundled::APEC_REGIONAL,
        Actor::Facilitator,
    );
    let names: Vec<String> = app
        .shown()
        .map(|v| v.economies.iter().map(|e| e.name.clone()).collect())
        .unwrap_or_default();
    assert_eq!(names.len(), 9);
    let top = render(&app, 80, 24);
    insta::assert_snapshot!("overview_apec_regional_top_80x24", top);
    for _ in 0..names.len() {
        app.update(Action::Down);
    }
    let bottom = render(&app, 80, 24);
    let shown = economies_on_screen(&app, &bottom);
    assert!(
        shown.contains(&names[8]),
        "the last economy scrolled into view:\n{bottom}"
    );
    insta::assert_snapshot!("overview_apec_regional_bottom_80x24", bottom);
}

#[test]
fn a_team_scrolls_through_fifty_generated_economies_at_80x24() {
    let text = generated(50);
    let (mut app, _rx) = scenario_app(&text, Actor::Team(TeamIdx(0)));
    let names: Vec<String> = app
        .shown()
        .map(|v| v.economies.iter().map(|e| e.name.clone()).collect())
        .unwrap_or_default();
    assert_eq!(names.len(), 50);
    let first = economies_on_screen(&app, &render(&app, 80, 24));
    assert!(
        first.contains(&names[0]) && !first.contains(&names[49]),
        "{first:?}"
    );
    for (step, name) in names.iter().enumerate().skip(1) {
        app.update(Action::Down);
        let screen = render(&app, 80, 24);
        let shown = economies_on_screen(&app, &screen);
        assert!(
            shown.contains(name),
            "economy {step} selected but not shown:\n{screen}"
        );
    }
    let screen = render(&app, 80, 24);
    assert!(
        screen.contains("of 50"),
        "the panel says where the list is:\n{screen}"
    );
    insta::assert_snapshot!("overview_fifty_economies_team_end_80x24", screen);
}

/// The team's share form on a 50-economy scenario, the economies list focused.
fn share_form_with_fifty_economies() -> (App, mpsc::Receiver<ToSession>) {
    let (mut app, rx) = scenario_app(&generated(50), Actor::Team(TeamIdx(0)));
    app.update(Action::GoTo(Screen::Actions));
    for _ in 0..5 {
        app.update(Action::Down);
    }
    app.update(Action::Activate);
    app.update(Action::NextField);
    (app, rx)
}

#[test]
fn a_long_list_in_a_form_scrolls_with_its_cursor_and_the_form_stays_whole() {
    let (mut app, _rx) = share_form_with_fifty_economies();
    let Modal::Form(form) = &app.modal else {
        panic!("the share form is open: {:?}", app.modal)
    };
    let Some(Field::Many { choices, .. }) = form.fields.get(form.focus) else {
        panic!("the economies list is focused")
    };
    let names: Vec<String> = choices.iter().map(|c| c.text.clone()).collect();
    assert_eq!(names.len(), 49, "every other economy");
    for _ in 1..names.len() {
        app.update(Action::Right);
    }
    let screen = render(&app, 80, 24);
    assert!(screen.contains(&format!("▸[ ] {}", names[48])), "{screen}");
    assert!(screen.contains("of 49"), "{screen}");
    assert!(
        screen.contains("Enter send"),
        "the hint stays on screen: {screen}"
    );
    assert!(
        screen.contains("label:"),
        "fields after the list stay: {screen}"
    );
    insta::assert_snapshot!("form_share_fifty_economies_80x24", screen);
}

#[test]
fn lists_without_a_selection_say_how_many_did_not_fit() {
    let (mut app, _rx) = facilitator_app();
    let mut view = fixture::facilitator_view();
    let template = view.campaigns[0].clone();
    for i in 0..30 {
        let mut campaign = template.clone();
        campaign.name = format!("Campaign {i}");
        view.campaigns.push(campaign);
    }
    let campaigns = view.campaigns.len();
    app.receive(FromSession::View(Box::new(view)));
    app.update(Action::GoTo(Screen::Facilitator));
    let screen = render(&app, 80, 24);
    // Six rows of the Campaigns panel: five campaigns and the count of the others.
    assert!(
        screen.contains(&format!("… and {} more", campaigns - 5)),
        "{screen}"
    );
}

#[test]
fn tasks_that_do_not_fit_are_counted() {
    let (mut app, _rx) = team_app();
    let mut view = fixture::team_view();
    let template = view.tasks[0].clone();
    for i in 0..40 {
        let mut task = template.clone();
        task.id.0 = 100 + i;
        view.tasks.push(task);
    }
    let total = view.tasks.len();
    app.receive(FromSession::View(Box::new(view)));
    app.update(Action::GoTo(Screen::Actions));
    let screen = render(&app, 80, 24);
    let at = screen.find("… and ").map(|i| i + "… and ".len());
    let left_out: usize = at
        .and_then(|i| screen[i..].split_whitespace().next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no count of the tasks left out:\n{screen}"));
    assert!(left_out > 0 && left_out < total, "{left_out} of {total}");
}

#[test]
fn fifty_economies_draw_on_every_screen_at_every_size_without_panicking() {
    let text = generated(50);
    for seat in [Actor::Facilitator, Actor::Team(TeamIdx(0))] {
        let (mut app, _rx) = scenario_app(&text, seat);
        for screen in app.screens().to_vec() {
            app.update(Action::GoTo(screen));
            for _ in 0..60 {
                app.update(Action::Down);
            }
            for w in [1, 2, 40, 79, 80, 81, 200] {
                for h in [1, 2, 10, 23, 24, 25, 60] {
                    render(&app, w, h);
                }
            }
        }
    }
    let (app, _rx) = share_form_with_fifty_economies();
    for w in [1, 2, 40, 80, 200] {
        for h in [1, 2, 10, 24, 60] {
            render(&app, w, h);
        }
    }
}

#[test]
fn long_wrapped_messages_keep_the_newest_in_view() {
    let (mut app, _rx) = team_app();
    let mut view = fixture::team_view();
    for i in 0..8 {
        view.messages.push(cyberdrill_engine::view::MessageView {
            tick: 8,
            from: Actor::Facilitator,
            to: cyberdrill_engine::command::Recipient::All,
            text: format!(
                "Situation report {i}: the cable landing station reports packet loss on two \
                 of three links, operators are rerouting through the northern exchange, \
                 expect degraded service for hours. END-{i}"
            ),
        });
    }
    app.receive(FromSession::View(Box::new(view)));
    app.update(Action::GoTo(Screen::Comms));
    for (w, h) in SIZES {
        let screen = render(&app, w, h);
        assert!(
            screen.contains("END-7"),
            "{w}x{h}: the newest message is cut:\n{screen}"
        );
    }
}
