//! The workloads of the `ticks` bench and of the bots' and long-run figures, run once,
//! for instruction counts with `valgrind --tool=callgrind` (repeatable where wall-clock
//! figures on a shared machine are not; docs/performance.md gives the commands and the
//! counts):
//!
//! - `workload regional <idle|cooperative> <seed>`: a whole run of the bundled regional
//!   scenario, bots included (the bench's `regional/full_run`);
//! - `workload generated <assets> <ticks> [<economies> <policy>]`: ticks of a generated
//!   world (12 economies unless given; the bench's `generated_tick/engine`), with a bot
//!   round before each tick when a policy is given; count only `Simulation::step` with
//!   `--collect-atstart=no --toggle-collect='*Simulation::step*'`, and the bots with
//!   `--toggle-collect='*policy::play_round*'`;
//! - `workload long <policy> <ticks>`: the regional scenario with its duration raised,
//!   played for `ticks` ticks and then 10 more inside `measured_ticks`, so that
//!   `--collect-atstart=no --toggle-collect='*measured_ticks*'` counts 10 ticks (bots
//!   included) at any point of a long run: the cost of a tick at tick 50 against tick 500.
//!
//! It prints the final state hash, so two builds can be checked to do the same work.

use std::process::ExitCode;

use cyberdrill_engine::Simulation;
use cyberdrill_engine::policy::{Policy, play_round};
use cyberdrill_engine::scenario::bundled::APEC_REGIONAL;
use cyberdrill_engine::scenario::generate::{GenerateOptions, generate};
use cyberdrill_engine::scenario::{parse, validate};

/// The allocator of the command line and the benches, so that counts match them.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

const USAGE: &str = "usage: workload regional <idle|cooperative> <seed> | workload generated \
                     <assets> <ticks> [<economies> <policy>] | workload long <policy> <ticks>";

/// Ticks counted by `long`, after the ticks it was asked to play first.
const MEASURED: u32 = 10;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let words: Vec<&str> = args.iter().map(String::as_str).collect();
    let sim = match words.as_slice() {
        ["regional", policy, seed] => {
            let (Ok(policy), Ok(seed)) = (policy.parse::<Policy>(), seed.parse::<u64>()) else {
                eprintln!("{USAGE}");
                return ExitCode::FAILURE;
            };
            let Some(mut sim) = regional(seed) else {
                return ExitCode::FAILURE;
            };
            while !sim.is_finished() {
                play_round(&mut sim, policy);
                sim.step();
            }
            sim
        }
        ["long", policy, ticks] => {
            let (Ok(policy), Ok(ticks)) = (policy.parse::<Policy>(), ticks.parse::<u32>()) else {
                eprintln!("{USAGE}");
                return ExitCode::FAILURE;
            };
            let Some(mut sim) = regional_lasting(1, ticks.saturating_add(MEASURED)) else {
                return ExitCode::FAILURE;
            };
            for _ in 0..ticks {
                play_round(&mut sim, policy);
                sim.step();
            }
            measured_ticks(&mut sim, policy);
            sim
        }
        ["generated", assets, ticks, rest @ ..] => {
            let (Ok(assets), Ok(ticks)) = (assets.parse::<u64>(), ticks.parse::<u32>()) else {
                eprintln!("{USAGE}");
                return ExitCode::FAILURE;
            };
            let (economies, policy) = match rest {
                [] => (12, Policy::Idle),
                [economies, policy] => {
                    let (Ok(e), Ok(p)) = (economies.parse::<u32>(), policy.parse::<Policy>())
                    else {
                        eprintln!("{USAGE}");
                        return ExitCode::FAILURE;
                    };
                    (e, p)
                }
                _ => {
                    eprintln!("{USAGE}");
                    return ExitCode::FAILURE;
                }
            };
            let raw = generate(GenerateOptions {
                economies,
                assets,
                seed: 1,
            });
            let Ok(checked) = validate(&raw) else {
                eprintln!("the generated scenario does not validate");
                return ExitCode::FAILURE;
            };
            let mut scenario = checked.scenario;
            scenario.meta.duration_ticks = u32::MAX;
            let mut sim = Simulation::new(scenario, 7);
            for _ in 0..ticks {
                play_round(&mut sim, policy);
                sim.step();
            }
            sim
        }
        _ => {
            eprintln!("{USAGE}");
            return ExitCode::FAILURE;
        }
    };
    println!("{}", sim.state_hash().to_hex());
    ExitCode::SUCCESS
}

/// The bundled regional scenario, seeded.
fn regional(seed: u64) -> Option<Simulation> {
    let Ok(checked) = parse(APEC_REGIONAL) else {
        eprintln!("the bundled regional scenario does not load");
        return None;
    };
    Some(Simulation::new(checked.scenario, seed))
}

/// The bundled regional scenario lasting `ticks` ticks.
fn regional_lasting(seed: u64, ticks: u32) -> Option<Simulation> {
    let Ok(checked) = parse(APEC_REGIONAL) else {
        eprintln!("the bundled regional scenario does not load");
        return None;
    };
    let mut scenario = checked.scenario;
    scenario.meta.duration_ticks = ticks;
    Some(Simulation::new(scenario, seed))
}

/// The ticks `long` counts: a bot round and a step, [`MEASURED`] times.
#[inline(never)]
fn measured_ticks(sim: &mut Simulation, policy: Policy) {
    for _ in 0..MEASURED {
        play_round(sim, policy);
        sim.step();
    }
}
