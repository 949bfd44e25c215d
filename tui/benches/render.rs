//! Frame render time of every screen on the APEC regional scenario (nine economies,
//! 111 assets) after a day of cooperative play, as the facilitator sees it (everything
//! visible: the busiest case), at 120x40 and 80x24.
//!
//! Run: `cargo bench -p cyberdrill --bench render`.

use std::hint::black_box;
use std::sync::mpsc;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use cyberdrill_engine::Simulation;
use cyberdrill_engine::command::Actor;
use cyberdrill_engine::policy::{Policy, decide};
use cyberdrill_engine::scenario::model::TeamIdx;
use cyberdrill_engine::scenario::{self, bundled};
use cyberdrill_tui::app::{Action, App};
use cyberdrill_tui::client::FromSession;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

/// The allocator of the command line, so that figures match what users run.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

const SEED: u64 = 1;
const TICKS: u32 = 24;

/// The facilitator's app after `TICKS` ticks of the regional scenario, every team a bot.
fn regional_app() -> App {
    let scenario = match scenario::parse(bundled::APEC_REGIONAL) {
        Ok(checked) => checked.scenario,
        Err(d) => panic!("the bundled regional scenario must load: {d:?}"),
    };
    let teams = scenario.teams.len() as u32;
    let mut sim = Simulation::new(scenario, SEED);
    for _ in 0..TICKS {
        for team in (0..teams).map(TeamIdx) {
            for command in decide(Policy::Cooperative, &sim.view(Actor::Team(team))) {
                let _ = sim.submit(Actor::Team(team), command);
            }
        }
        sim.step();
    }
    let (tx, _rx) = mpsc::channel();
    let mut app = App::new(Actor::Facilitator, tx);
    app.receive(FromSession::View(Box::new(sim.view(Actor::Facilitator))));
    app
}

fn render_screens(c: &mut Criterion) {
    let mut app = regional_app();
    let mut group = c.benchmark_group("render_regional_facilitator");
    group.measurement_time(Duration::from_secs(3));
    for screen in app.screens().to_vec() {
        app.update(Action::GoTo(screen));
        for (w, h) in [(120u16, 40u16), (80, 24)] {
            let mut terminal = match Terminal::new(TestBackend::new(w, h)) {
                Ok(t) => t,
                Err(e) => panic!("test terminal: {e}"),
            };
            group.bench_function(format!("{}_{w}x{h}", screen.title()), |b| {
                b.iter(|| {
                    let _ = terminal.draw(|frame| cyberdrill_tui::ui::draw(frame, black_box(&app)));
                })
            });
        }
    }
    group.finish();
}

criterion_group!(benches, render_screens);
criterion_main!(benches);
