//! The workloads of the `ticks` bench, run once, for instruction counts with
//! `valgrind --tool=callgrind` (repeatable where wall-clock figures on a shared machine
//! are not; docs/performance.md gives the commands and the counts):
//!
//! - `workload regional <idle|cooperative> <seed>`: a whole run of the bundled regional
//!   scenario, bots included (the bench's `regional/full_run`);
//! - `workload generated <assets> <ticks>`: ticks of a generated world of 12 economies
//!   (the bench's `generated_tick/engine`; count only `Simulation::step` with
//!   `--collect-atstart=no --toggle-collect='*Simulation::step*'`).
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

const USAGE: &str =
    "usage: workload regional <idle|cooperative> <seed> | workload generated <assets> <ticks>";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let words: Vec<&str> = args.iter().map(String::as_str).collect();
    let sim = match words.as_slice() {
        ["regional", policy, seed] => {
            let (Ok(policy), Ok(seed)) = (policy.parse::<Policy>(), seed.parse::<u64>()) else {
                eprintln!("{USAGE}");
                return ExitCode::FAILURE;
            };
            let Ok(checked) = parse(APEC_REGIONAL) else {
                eprintln!("the bundled regional scenario does not load");
                return ExitCode::FAILURE;
            };
            let mut sim = Simulation::new(checked.scenario, seed);
            while !sim.is_finished() {
                play_round(&mut sim, policy);
                sim.step();
            }
            sim
        }
        ["generated", assets, ticks] => {
            let (Ok(assets), Ok(ticks)) = (assets.parse::<u64>(), ticks.parse::<u32>()) else {
                eprintln!("{USAGE}");
                return ExitCode::FAILURE;
            };
            let raw = generate(GenerateOptions {
                economies: 12,
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
