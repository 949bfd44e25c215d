//! Ticks per second: the bundled regional scenario (a whole run, bots included) and
//! generated worlds of 10k, 100k and 1M assets (one tick each; visiting only the assets
//! whose inputs changed, and every asset), beside the same
//! per-asset update (inoperability cascade, loss, mean service) written as plain Rust
//! in the best layout it has: the floor the engine's per-asset work is compared with.
//! Like the command line, the benches allocate with mimalloc.
//!
//! `cargo bench -p cyberdrill-engine --bench ticks`

use std::hint::black_box;
use std::time::Duration;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use cyberdrill_engine::Simulation;
use cyberdrill_engine::policy::{Policy, play_round};
use cyberdrill_engine::scenario::bundled::APEC_REGIONAL;
use cyberdrill_engine::scenario::generate::{GenerateOptions, generate};
use cyberdrill_engine::scenario::{Scenario, parse, validate};

#[path = "support/floor.rs"]
mod floor;
use floor::Floor;

/// The allocator of the command line, so that figures match what users run.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

const SIZES: [u64; 3] = [10_000, 100_000, 1_000_000];

fn apec() -> Scenario {
    match parse(APEC_REGIONAL) {
        Ok(checked) => checked.scenario,
        Err(diagnostics) => panic!("apec-regional does not load: {diagnostics:?}"),
    }
}

fn generated(assets: u64) -> Scenario {
    let raw = generate(GenerateOptions {
        economies: 12,
        assets,
        seed: 1,
    });
    match validate(&raw) {
        Ok(checked) => checked.scenario,
        Err(diagnostics) => panic!(
            "generated scenario does not validate: {:?}",
            diagnostics.first()
        ),
    }
}

fn full_run(scenario: &Scenario, seed: u64, policy: Policy) -> Simulation {
    let mut sim = Simulation::new(scenario.clone(), seed);
    while !sim.is_finished() {
        play_round(&mut sim, policy);
        sim.step();
    }
    sim
}

fn regional(c: &mut Criterion) {
    let scenario = apec();
    let mut group = c.benchmark_group("regional");
    group
        .sample_size(20)
        .measurement_time(Duration::from_secs(5));
    group.throughput(Throughput::Elements(u64::from(
        scenario.meta.duration_ticks,
    )));
    for policy in [Policy::Idle, Policy::Cooperative] {
        group.bench_with_input(
            BenchmarkId::new("full_run", policy),
            &policy,
            |b, &policy| {
                let mut seed = 0;
                b.iter(|| {
                    seed += 1;
                    black_box(full_run(&scenario, seed, policy).state_hash())
                });
            },
        );
    }
    group.finish();
}

/// Engine ticks on generated worlds (headless, no bots: the per-asset cost).
fn generated_ticks(c: &mut Criterion) {
    let mut group = c.benchmark_group("generated_tick");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(5));
    for assets in SIZES {
        let mut scenario = generated(assets);
        scenario.meta.duration_ticks = u32::MAX;
        let mut sim = Simulation::new(scenario, 7);
        group.throughput(Throughput::Elements(1));
        group.bench_function(BenchmarkId::new("engine", assets), |b| {
            b.iter(|| sim.step())
        });
        // Every asset visited every tick, as the floor does (the honest comparison).
        let mut every = Simulation::new(sim.scenario().clone(), 7);
        every.visit_every_asset(true);
        group.bench_function(BenchmarkId::new("engine_every_asset", assets), |b| {
            b.iter(|| every.step())
        });
        let mut floor = Floor::from(sim.scenario());
        group.bench_function(BenchmarkId::new("plain_floor", assets), |b| {
            b.iter(|| black_box(floor.tick()))
        });
    }
    group.finish();
}

criterion_group!(benches, regional, generated_ticks);
criterion_main!(benches);
