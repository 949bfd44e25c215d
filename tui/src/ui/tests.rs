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

/// Every economy's loss on the Overview carries its share of the economy's output for
/// the exercise, also in the narrow column of an 80-column terminal.
#[test]
fn the_overview_gives_every_loss_with_its_share_of_output_at_every_size() {
    let (app, _rx) = team_app();
    let view = fixture::team_view();
    for (w, h) in SIZES {
        let screen = render(&app, w, h);
        assert!(screen.contains("Loss (share of output)"), "{screen}");
        for economy in &view.economies {
            let start: String = economy.name.chars().take(12).collect();
            let loss = cyberdrill_engine::money::brief(economy.loss, economy.output);
            assert!(
                screen
                    .lines()
                    .any(|row| row.contains(&start) && row.contains(&loss)),
                "{start}: {loss}: {screen}"
            );
        }
    }
}

/// An own asset says what its outage costs: output lost a tick while it is down, and
/// over the whole exercise with its share of the economy's output.
#[test]
fn an_own_asset_says_what_is_at_stake_in_context() {
    use cyberdrill_engine::money;
    let (mut app, _rx) = team_app();
    app.update(Action::GoTo(Screen::Assets));
    let view = fixture::team_view();
    let (Some(asset), Some(arcadia)) = (view.assets.first(), view.economies.first()) else {
        panic!("the fixture has assets and economies");
    };
    let Some(per_tick) = asset.at_stake else {
        panic!("an own asset carries what is at stake");
    };
    let whole = per_tick * f64::from(view.duration_ticks);
    for (w, h) in SIZES {
        let screen = render(&app, w, h);
        assert!(
            screen.contains(&format!(
                "down, it costs {} of output",
                money::short(per_tick)
            )),
            "{screen}"
        );
        assert!(
            screen.contains("down all exercise:")
                && screen.contains(&format!(
                    "{}, {} of Arcadia's",
                    money::short(whole),
                    money::share(whole, arcadia.output)
                )),
            "{screen}"
        );
    }
}

#[test]
fn overview_for_the_facilitator_shows_every_sector_grid_row() {
    let (app, _rx) = facilitator_app();
    snapshot_at_sizes("overview_facilitator", &app);
}

#[test]
fn assets_mark_cross_border_dependencies() {
    let (mut app, _rx) = team_app();
    app.update(Action::GoTo(Screen::Assets));
    app.update(Action::Down); // ArcTel backbone depends on a foreign cable landing
    let screen = render(&app, 80, 24);
    assert!(screen.contains("cross-border"), "{screen}");
    assert!(screen.contains("⇄"), "{screen}");
    snapshot_at_sizes("assets_team", &app);
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
    assert!(before.contains("6 Comms ✉2"), "{before}");
    app.update(Action::GoTo(Screen::Comms));
    let screen = render(&app, 80, 24);
    assert!(screen.contains("NEWS Payment terminals"), "{screen}");
    snapshot_at_sizes("comms_team", &app);
}

#[test]
fn the_control_screen_lists_injects_and_campaigns() {
    let (mut app, _rx) = facilitator_app();
    app.update(Action::GoTo(Screen::Control));
    app.update(Action::Down);
    let screen = render(&app, 80, 24);
    assert!(screen.contains("Ransom note published"), "{screen}");
    assert!(screen.contains("at tick 12"), "{screen}");
    assert!(screen.contains("‖ paused"), "{screen}");
    assert!(
        screen.contains("r report"),
        "the footer names the report key: {screen}"
    );
    snapshot_at_sizes("control_console", &app);
}

#[test]
fn a_served_facilitator_sees_who_is_connected_and_whom_the_turn_waits_for() {
    let (mut app, _rx) = facilitator_app();
    app.update(Action::GoTo(Screen::Control));
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
    for _ in 0..share_at(&app) {
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
    for _ in 0..share_at(&app) {
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
    app.update(Action::GoTo(Screen::Control));
    let screen = render(&app, 80, 24);
    // The Campaigns panel shows what fits and counts the others.
    let shown = (0..30)
        .filter(|i| screen.contains(&format!("Campaign {i} ")))
        .count()
        + usize::from(screen.contains("NightLocker"));
    assert!(shown > 0, "{screen}");
    assert!(
        screen.contains(&format!("… and {} more", campaigns - shown)),
        "{shown} shown of {campaigns}:\n{screen}"
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

/// The team app after the tick that brought the fixture's state: the tick before,
/// inject 0 had not fired, incident #4 was unknown, a message and a finished task were
/// missing, and the finance objective stood at 90%.
fn team_app_a_tick_later() -> (App, mpsc::Receiver<ToSession>) {
    let (tx, rx) = mpsc::channel();
    let seat = Actor::Team(TeamIdx(0));
    let mut app = App::new(seat, tx);
    app.receive(status(seat, HALF_SECOND, false));
    let mut before = fixture::team_view();
    before.tick = 7;
    before.injects[0].fired_at = None;
    before.incidents.retain(|i| i.id.0 != 4);
    before.messages.pop();
    before.tasks.retain(|t| !t.finished);
    before.objectives[0].score = 0.9;
    app.receive(FromSession::View(Box::new(before)));
    app.receive(FromSession::View(Box::new(fixture::team_view())));
    (app, rx)
}

#[test]
fn the_overview_says_what_changed_since_the_last_tick_and_objective_trends() {
    let (app, _rx) = team_app_a_tick_later();
    let screen = render(&app, 80, 24);
    assert!(screen.contains("Since tick 7"), "{screen}");
    assert!(
        screen.contains("news: Payment terminals fail across Arcadia"),
        "{screen}"
    );
    assert!(screen.contains("new incident: #4"), "{screen}");
    assert!(
        screen.contains("75% ▼"),
        "the objective went down: {screen}"
    );
    assert!(
        screen.contains("● NEWS t5: Payment terminals fail across Arcadia · 2 News"),
        "the status line alerts: {screen}"
    );
    snapshot_at_sizes("overview_since_last_tick", &app);
}

#[test]
fn objectives_are_not_scored_before_the_first_tick() {
    let (tx, _rx) = mpsc::channel();
    let mut app = App::new(Actor::Team(TeamIdx(0)), tx);
    let mut view = fixture::team_view();
    view.tick = 0;
    for objective in &mut view.objectives {
        objective.score = 1.0;
    }
    app.receive(FromSession::View(Box::new(view)));
    let screen = render(&app, 80, 24);
    assert!(
        screen.contains("measured from the first tick on"),
        "{screen}"
    );
    assert!(!screen.contains("100%"), "{screen}");
}

#[test]
fn news_shows_every_delivered_inject_in_full_and_marks_it_read() {
    let (mut app, _rx) = team_app_a_tick_later();
    assert_eq!(app.unread_news(), 1);
    assert!(render(&app, 80, 24).contains("2 News ●1"));
    app.update(Action::GoTo(Screen::News));
    let screen = render(&app, 120, 40);
    assert!(
        screen.contains("Shops report card payments refused since 05:00."),
        "the inject's full text: {screen}"
    );
    assert!(screen.contains("received at tick 5"), "{screen}");
    assert!(
        screen.contains("From Arcadia Payments Council · email"),
        "the inject's sender and channel: {screen}"
    );
    assert_eq!(app.unread_news(), 0, "shown is read");
    assert!(!screen.contains("● NEWS"), "the alert is done: {screen}");
    snapshot_at_sizes("news_team", &app);
}

#[test]
fn a_long_inject_scrolls_on_the_news_screen_at_80x24() {
    let (mut app, _rx) = team_app();
    let mut view = fixture::team_view();
    view.injects[0].text = (1..=40)
        .map(|i| format!("Sentence {i} of a long situation report."))
        .collect::<Vec<_>>()
        .join(" ");
    app.receive(FromSession::View(Box::new(view)));
    app.update(Action::GoTo(Screen::News));
    let top = render(&app, 80, 24);
    assert!(top.contains("Sentence 1 "), "{top}");
    assert!(!top.contains("Sentence 40 "), "{top}");
    assert!(top.contains("PgUp/PgDn"), "says it scrolls: {top}");
    for _ in 0..10 {
        app.update(Action::PageDown);
    }
    let bottom = render(&app, 80, 24);
    assert!(bottom.contains("Sentence 40 "), "{bottom}");
    app.update(Action::PageUp);
    assert!(
        !render(&app, 80, 24).contains("Sentence 1 "),
        "one page up from the end"
    );
}

#[test]
fn the_briefing_opens_first_and_says_role_time_and_objectives() {
    let (tx, _rx) = mpsc::channel();
    let seat = Actor::Team(TeamIdx(0));
    let mut app = App::new(seat, tx).greeting();
    app.receive(status(seat, HALF_SECOND, true));
    app.receive(FromSession::View(Box::new(fixture::team_view())));
    assert!(matches!(app.modal, Modal::Page(_)), "{:?}", app.modal);
    let screen = render(&app, 80, 24);
    for expected in [
        "You are Arcadia CSIRT, a CSIRT team of Arcadia.",
        "one tick is 1 hour",
        "48 ticks (48 hours)",
        "A criminal group targets the region's payment switch.",
        "Keep Arcadia's finance sector above 70% service",
    ] {
        assert!(screen.contains(expected), "{expected}: {screen}");
    }
    // What each percentage will measure, under the objective.
    let wide = render(&app, 120, 40);
    assert!(
        wide.contains(
            "% = share of ticks so far on which Arcadia's Finance service was at or above 70%"
        ),
        "{wide}"
    );
    snapshot_at_sizes("briefing_team", &app);
    app.update(Action::Back);
    assert_eq!(app.modal, Modal::None);
    app.update(Action::ShowBriefing);
    assert!(matches!(app.modal, Modal::Page(_)));
}

#[test]
fn the_end_opens_the_results_with_scorecard_region_and_report() {
    let (mut app, _rx) = team_app();
    let mut view = fixture::team_view();
    view.tick = 48;
    app.receive(FromSession::View(Box::new(view)));
    app.receive(FromSession::Status(SessionStatus {
        tick: 48,
        finished: true,
        ..SessionStatus::initial(Actor::Team(TeamIdx(0)))
    }));
    assert!(matches!(app.modal, Modal::Page(_)), "{:?}", app.modal);
    let screen = render(&app, 120, 40);
    for expected in [
        "The exercise ended at tick 48 of 48",
        "Scorecard of Arcadia CSIRT",
        "75% Keep Arcadia's finance sector above 70% service, weight 2",
        "overall (weighted)",
        "Regional loss under $10M",
        "% = 100% while the loss of the region is at most $10M, 0.083% of the region's",
        "The facilitator writes it",
        // Each economy's loss in context; what moved trust where the seat sees it.
        "* Arcadia: loss $1.6M, 0.04% of Arcadia's output for the exercise · service 81%",
        "what moved trust: -7.5 attacks on people, -6.0 outages, +1.0 visible response",
        "Borealis: loss $1.6M, 0.04% of Borealis's output for the exercise",
    ] {
        assert!(screen.contains(expected), "{expected}: {screen}");
    }
    assert_eq!(
        screen.matches("what moved trust").count(),
        1,
        "a team sees what moved its own economy's trust only: {screen}"
    );
    snapshot_at_sizes("results_team", &app);
}

#[test]
fn a_long_refusal_is_shown_in_full_at_80_columns() {
    let (mut app, _rx) = team_app();
    let refusal = "a CSIRT team may not take legal action: ask a law enforcement team \
                   (Calédonie–Überseegebiet Police nationale 東京)";
    app.receive(FromSession::Outcome(CommandOutcome {
        label: "legal action".to_string(),
        result: Err(refusal.to_string()),
    }));
    let screen = render(&app, 80, 24);
    let flat: String = screen
        .lines()
        .map(|l| l.trim_matches('"').trim_end())
        .collect::<Vec<_>>()
        .join(" ");
    assert!(
        flat.contains("ask a law enforcement team (Calédonie–Überseegebiet Police nationale 東京)"),
        "the refusal is whole: {screen}"
    );
    snapshot_at_sizes("refusal_wrapped", &app);
    // The next key press gives the status line back to the hints.
    app.update(Action::Down);
    assert!(render(&app, 80, 24).contains("? help"));
}

#[test]
fn the_control_screen_scrolls_a_long_inject_at_80x24() {
    let (mut app, _rx) = facilitator_app();
    let mut view = fixture::facilitator_view();
    view.injects[1].text = (1..=30)
        .map(|i| format!("Line {i} of the ransom note."))
        .collect::<Vec<_>>()
        .join(" ");
    app.receive(FromSession::View(Box::new(view)));
    app.update(Action::GoTo(Screen::Control));
    app.update(Action::Down);
    assert!(!render(&app, 80, 24).contains("Line 30 "));
    for _ in 0..10 {
        app.update(Action::PageDown);
    }
    let screen = render(&app, 80, 24);
    assert!(screen.contains("Line 30 "), "{screen}");
}

#[test]
fn the_control_screen_shows_an_injects_recipients_and_effects_scrolling_at_80x24() {
    let (mut app, _rx) = facilitator_app();
    app.update(Action::GoTo(Screen::Control));
    app.update(Action::Down);
    let screen = render(&app, 80, 24);
    assert!(
        screen.contains("To: Arcadia CSIRT, Borealis CIRT"),
        "{screen}"
    );
    // The effects are below the text: scrolled into view at 80x24.
    let mut seen = screen.clone();
    for _ in 0..6 {
        app.update(Action::PageDown);
        seen.push_str(&render(&app, 80, 24));
    }
    for effect in [
        "Effects:",
        "• starts NightLocker",
        "• trust in Arcadia -5 points",
    ] {
        assert!(seen.contains(effect), "{effect}: {seen}");
    }
    app.update(Action::Up);
    let screen = render(&app, 80, 24);
    assert!(screen.contains("To: every team"), "{screen}");
    assert!(
        screen.contains("From Arcadia Payments Council · email"),
        "{screen}"
    );
    snapshot_at_sizes("control_inject_detail", &app);
}

#[test]
fn the_control_screen_shows_the_latest_event_at_the_table() {
    let (mut app, _rx) = facilitator_app();
    app.update(Action::GoTo(Screen::Control));
    app.receive(FromSession::Notice(
        "a bot hands Borealis CIRT back to its team".to_string(),
    ));
    let screen = render(&app, 80, 24);
    assert!(
        screen.contains("t0: a bot hands Borealis CIRT back to its team"),
        "{screen}"
    );
}

/// A module break with two questions, the first answered by this seat.
fn module_break(app: &mut App) {
    app.receive(FromSession::Status(SessionStatus {
        tick: 12,
        paused: true,
        discussion: Some(crate::client::Discussion {
            module: Some(0),
            title: "Module 1: the first signs".to_string(),
            questions: vec![
                "Who noticed the phishing first, and how did the news reach the CSIRT?".to_string(),
                "What did you share with Borealis, under which label, and when?".to_string(),
            ],
            feedback: false,
        }),
        ..SessionStatus::initial(Actor::Team(TeamIdx(0)))
    }));
    app.answers
        .insert((0, 0), "The hospital's service desk, by phone".to_string());
}

#[test]
fn a_module_break_shows_the_questions_and_the_answers_given() {
    let (mut app, _rx) = team_app();
    module_break(&mut app);
    let screen = render(&app, 80, 24);
    for expected in [
        "Module 1: the first signs",
        "Module 1 has ended: the clock is stopped",
        "1. Who noticed the phishing first",
        "your answer: The hospital's service desk, by phone",
        "not answered yet: a answers",
        "discussion: Module 1: the first signs (d)",
    ] {
        assert!(screen.contains(expected), "{expected}: {screen}");
    }
    snapshot_at_sizes("discussion_team", &app);
    // The answer form for the second question, at both sizes.
    app.update(Action::Answer);
    assert!(matches!(app.modal, Modal::Form(_)), "{:?}", app.modal);
    let screen = render(&app, 80, 24);
    assert!(screen.contains("2. What did you share"), "{screen}");
    snapshot_at_sizes("form_answer", &app);
}

#[test]
fn an_evaluator_sees_the_note_form_and_no_acting_keys() {
    let (tx, _rx) = mpsc::channel();
    let mut app = App::new(crate::client::Seat::Evaluator(0), tx);
    app.receive(status(Actor::Facilitator, HALF_SECOND, false));
    app.receive(FromSession::View(Box::new(fixture::facilitator_view())));
    let screen = render(&app, 80, 24);
    assert!(screen.contains("w note"), "{screen}");
    assert!(!screen.contains("space pause"), "{screen}");
    app.update(Action::WriteNote);
    snapshot_at_sizes("form_note", &app);
}

/// Where "share indicators" is in the seat's Actions menu.
fn share_at(app: &App) -> usize {
    app.commands()
        .iter()
        .position(|&k| k == cyberdrill_engine::command::CommandKind::ShareIndicators)
        .expect("a CSIRT may share indicators")
}

#[test]
fn the_decisions_screen_shows_options_effects_and_deadline_and_enter_confirms_a_choice() {
    let (mut app, rx) = team_app();
    let tabs = render(&app, 120, 40);
    assert!(
        tabs.contains("7 Decisions ◆1"),
        "one open decision marked: {tabs}"
    );
    app.update(Action::GoTo(Screen::Decisions));
    let screen = render(&app, 120, 40);
    // The open decision comes first, its recommended option marked.
    assert!(screen.contains("Pay the ransom?"), "{screen}");
    assert!(screen.contains("★ Refuse and restore"), "{screen}");
    assert!(
        screen.contains("open since t10: decide by t14, else \"Refuse and restore"),
        "{screen}"
    );
    assert!(screen.contains("• trust in Arcadia -2 points"), "{screen}");
    // The settled one shows who chose.
    assert!(screen.contains("✓ Speak now"), "{screen}");
    snapshot_at_sizes("decisions_team", &app);
    // Enter on the second option opens the decide form on it; Enter again sends it.
    app.update(Action::Down);
    app.update(Action::Activate);
    assert!(
        matches!(app.modal, Modal::Form(_)),
        "a form asks to confirm"
    );
    let form = render(&app, 120, 40);
    assert!(
        form.contains("Pay the ransom? Refuse and restore"),
        "{form}"
    );
    app.update(Action::Activate);
    let sent: Vec<ToSession> = rx.try_iter().collect();
    assert!(
        sent.iter().any(|m| matches!(
            m,
            ToSession::Submit {
                command: cyberdrill_engine::command::Command::Decide { option: 1, .. },
                ..
            }
        )),
        "{sent:?}"
    );
    // A settled decision is not chosen again: the seat is told why.
    app.update(Action::Down);
    app.update(Action::Activate);
    assert!(matches!(app.modal, Modal::None));
    assert!(
        app.notices
            .last()
            .is_some_and(|n| !n.accepted && n.text.contains("already settled")),
        "{:?}",
        app.notices.last()
    );
}

#[test]
fn the_white_cell_sees_every_decision_offered_on_tab_8() {
    let (mut app, _rx) = facilitator_app();
    let tabs = render(&app, 120, 40);
    assert!(tabs.contains("8 Decisions"), "{tabs}");
    app.update(Action::GoTo(Screen::Decisions));
    let screen = render(&app, 120, 40);
    assert!(screen.contains("Pay the ransom?"), "{screen}");
    assert!(
        screen.contains(" Decision "),
        "the white cell does not choose: {screen}"
    );
}

#[test]
fn g_opens_the_map_of_economies_and_their_cross_border_dependencies() {
    let (mut app, _rx) = facilitator_app();
    app.update(Action::ShowMap);
    assert!(matches!(&app.modal, Modal::Page(p) if p.kind == crate::app::PageKind::Map));
    let view = fixture::facilitator_view();
    let links = crate::report::map::links(&view);
    assert!(!links.is_empty(), "the fixture crosses a border");
    for (w, h) in SIZES {
        let screen = render(&app, w, h);
        assert!(
            screen.contains("Map · cross-border dependencies"),
            "{screen}"
        );
        for economy in &view.economies {
            // Long names are cut to fit their label.
            let start: String = economy.name.chars().take(12).collect();
            assert!(screen.contains(&start), "{}: {screen}", economy.name);
        }
        assert!(
            screen.contains("✖ Calédonie"),
            "the health symbol: {screen}"
        );
        let link = &links[0];
        let line = format!(
            "{} → {}",
            view.economies[link.from].name, view.economies[link.to].name
        );
        assert!(screen.contains(&line), "{line}: {screen}");
        // Under each name: service, and the loss with its share of the economy's output.
        for economy in &view.economies {
            let figures = format!(
                "{} · {}",
                crate::text::percent(economy.service),
                cyberdrill_engine::money::brief(economy.loss, economy.output)
            );
            assert!(screen.contains(&figures), "{figures}: {screen}");
        }
        assert!(
            screen.contains("under each economy: service · loss (share of its output"),
            "{screen}"
        );
        // The figures sit on the row right under the name.
        let rows: Vec<&str> = screen.lines().collect();
        let Some(at) = rows.iter().position(|r| r.contains("! Arcadia")) else {
            panic!("Arcadia's label: {screen}");
        };
        assert!(
            rows.get(at + 1)
                .is_some_and(|r| r.contains("81% · $1.6M (0.04%)")),
            "{screen}"
        );
    }
    snapshot_at_sizes("map_facilitator", &app);
    app.update(Action::Back);
    assert_eq!(app.modal, Modal::None);
}

/// `replay --watch`: the clock line says where the replay is and what comes next, the
/// status line what happened at this tick, then the replay's keys.
#[test]
fn a_replay_shows_its_position_what_happened_and_its_keys() {
    let (mut app, _rx) = facilitator_app();
    app.receive(FromSession::Replay(crate::client::ReplayPosition {
        tick: 8,
        last: 48,
        now: vec![
            "Arcadia CSIRT: contain".to_string(),
            "inject \"Ransom note\"".to_string(),
        ],
        next: Some((11, "Borealis CSIRT: share".to_string())),
    }));
    let screen = render(&app, 80, 24);
    assert!(
        screen.contains("Tick 8/48 · Day 1 08:00 · ⏯ replay · next event t11"),
        "{screen}"
    );
    assert!(
        screen.contains("t8: Arcadia CSIRT: contain; inject \"Ransom note\""),
        "{screen}"
    );
    snapshot_at_sizes("replay_facilitator", &app);
    // After a key press, the status line shows the replay's keys.
    app.update(Action::GoTo(Screen::News));
    let screen = render(&app, 80, 24);
    assert!(
        screen.contains("n next tick · b back · e next event"),
        "{screen}"
    );
}

#[test]
fn enter_on_the_overview_opens_where_the_selected_economys_money_went() {
    let (mut app, _rx) = team_app();
    app.update(Action::Activate);
    assert!(matches!(&app.modal, Modal::Page(p) if p.kind == crate::app::PageKind::Economy));
    for (w, h) in SIZES {
        let screen = render(&app, w, h);
        assert!(screen.contains("Where the money went"), "{screen}");
        assert!(screen.contains("Outages by sector:"), "{screen}");
        assert!(screen.contains("Finance"), "{screen}");
    }
    let tall = render(&app, 120, 40);
    assert!(tall.contains("Costliest assets:"), "{tall}");
    // Every sector and asset, each with its share of Arcadia's output for the exercise.
    assert!(tall.contains("Royal Hospital records"), "{tall}");
    assert!(tall.contains("$750k 0.019% Finance"), "{tall}");
    snapshot_at_sizes("economy_detail_team", &app);
    // Another economy's breakdown is its own teams' to know.
    app.update(Action::Activate);
    assert_eq!(app.modal, Modal::None, "Enter closes the page");
    app.update(Action::Down);
    app.update(Action::Activate);
    let other = render(&app, 120, 40);
    assert!(
        other.contains("By sector and asset: known to its own teams"),
        "{other}"
    );
}
