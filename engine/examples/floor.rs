//! The `ticks` bench's generated worlds and plain-Rust floor, and the set-up of a run,
//! run once for instruction counts with `valgrind --tool=callgrind` (repeatable where
//! wall-clock figures on a shared machine are not; `docs/performance.md`, "Simulation
//! ticks", gives the commands and the counts):
//!
//! - `floor tick <assets> <engine|every|floor> <warm> <ticks>`: the bench's generated
//!   world (12 economies, seed 1, the engine seeded 7), stepped `warm` times and then
//!   `ticks` times inside `measured_ticks` by the engine as it runs (`engine`), the
//!   engine visiting every asset (`every`), or the floor (`floor`); count the measured
//!   ticks only with `--collect-atstart=no --toggle-collect='*measured_ticks*'`;
//! - `floor setup <runs>`: `Simulation::new` of the bundled regional scenario `runs`
//!   times (the set-up a batch pays once per run); count it alone with
//!   `--collect-atstart=no --toggle-collect='*Simulation::new*'`.
//!
//! It prints the final state hash (or the floor's last figure), so that two builds can
//! be checked to do the same work.

use std::hint::black_box;
use std::process::ExitCode;

use cyberdrill_engine::Simulation;
use cyberdrill_engine::scenario::bundled::APEC_REGIONAL;
use cyberdrill_engine::scenario::generate::{GenerateOptions, generate};
use cyberdrill_engine::scenario::{Scenario, parse, validate};

#[path = "../benches/support/floor.rs"]
mod floor;
use floor::Floor;

/// The allocator of the command line and the benches, so that counts match them.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

const USAGE: &str = "usage: floor tick <assets> <engine|every|floor> <warm> <ticks> | \
                     floor setup <runs>";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let words: Vec<&str> = args.iter().map(String::as_str).collect();
    match words.as_slice() {
        ["tick", assets, mode, warm, ticks] => {
            let (Ok(assets), Ok(warm), Ok(ticks)) = (
                assets.parse::<u64>(),
                warm.parse::<u32>(),
                ticks.parse::<u32>(),
            ) else {
                eprintln!("{USAGE}");
                return ExitCode::FAILURE;
            };
            let Some(mut scenario) = generated(assets) else {
                return ExitCode::FAILURE;
            };
            scenario.meta.duration_ticks = u32::MAX;
            match *mode {
                "engine" | "every" => {
                    let mut sim = Simulation::new(scenario, 7);
                    sim.visit_every_asset(*mode == "every");
                    for _ in 0..warm {
                        sim.step();
                    }
                    measured_ticks(ticks, || sim.step());
                    println!("{}", sim.state_hash().to_hex());
                }
                "floor" => {
                    let mut floor = Floor::from(&scenario);
                    let mut last = 0.0;
                    for _ in 0..warm {
                        last = floor.tick();
                    }
                    measured_ticks(ticks, || last = floor.tick());
                    println!("{last}");
                }
                _ => {
                    eprintln!("{USAGE}");
                    return ExitCode::FAILURE;
                }
            }
        }
        ["setup", runs] => {
            let Ok(runs) = runs.parse::<u64>() else {
                eprintln!("{USAGE}");
                return ExitCode::FAILURE;
            };
            let Ok(checked) = parse(APEC_REGIONAL) else {
                eprintln!("the bundled regional scenario does not load");
                return ExitCode::FAILURE;
            };
            let hash = measured_setups(&checked.scenario, runs);
            println!("{hash}");
        }
        _ => {
            eprintln!("{USAGE}");
            return ExitCode::FAILURE;
        }
    }
    ExitCode::SUCCESS
}

/// The bench's generated world of `assets` assets.
fn generated(assets: u64) -> Option<Scenario> {
    let raw = generate(GenerateOptions {
        economies: 12,
        assets,
        seed: 1,
    });
    match validate(&raw) {
        Ok(checked) => Some(checked.scenario),
        Err(_) => {
            eprintln!("the generated scenario does not validate");
            None
        }
    }
}

/// The ticks counted: `tick` called `ticks` times.
#[inline(never)]
fn measured_ticks(ticks: u32, mut tick: impl FnMut()) {
    for _ in 0..ticks {
        tick();
    }
}

/// `runs` simulations of `scenario` built (seeds 1, 2, ...), with the state hash of
/// the last.
fn measured_setups(scenario: &Scenario, runs: u64) -> String {
    let mut last = String::new();
    for seed in 1..=runs {
        let sim = black_box(Simulation::new(scenario.clone(), seed));
        if seed == runs {
            last = sim.state_hash().to_hex();
        }
    }
    last
}
