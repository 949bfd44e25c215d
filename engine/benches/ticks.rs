//! Ticks per second: the bundled regional scenario (a whole run, bots included) and
//! generated worlds of 10k, 100k and 1M assets (one tick each), beside the same
//! per-asset update (inoperability cascade, loss, mean service) over a plain `Vec` of
//! structs: the floor the engine's per-asset work is compared with.
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
        let mut floor = PlainWorld::from(sim.scenario());
        group.bench_function(BenchmarkId::new("plain_vec_floor", assets), |b| {
            b.iter(|| black_box(floor.tick()))
        });
    }
    group.finish();
}

/// The floor: one struct per asset with its dependencies inline, updated in one loop.
struct PlainAsset {
    q: f64,
    damage: f64,
    resilience: f64,
    loss_per_tick: f64,
    economy: usize,
    depends_on: Vec<(usize, f64)>,
}

struct PlainWorld {
    assets: Vec<PlainAsset>,
    next: Vec<f64>,
    loss: Vec<f64>,
    service: Vec<(f64, usize)>,
}

impl PlainWorld {
    fn from(scenario: &Scenario) -> Self {
        let assets: Vec<PlainAsset> = scenario
            .assets
            .iter()
            .enumerate()
            .map(|(i, a)| PlainAsset {
                // Some assets damaged, as in a running exercise.
                q: 0.0,
                damage: if i % 97 == 0 { 0.6 } else { 0.0 },
                resilience: a.resilience,
                loss_per_tick: a.people_served as f64,
                economy: a.economy.index(),
                depends_on: a
                    .depends_on
                    .iter()
                    .map(|d| (d.on.index(), d.weight))
                    .collect(),
            })
            .collect();
        let n = assets.len();
        Self {
            assets,
            next: vec![0.0; n],
            loss: vec![0.0; scenario.economies.len()],
            service: vec![(0.0, 0); scenario.economies.len()],
        }
    }

    /// Cascade (synchronous), loss and mean service per economy: the engine's per-asset work.
    fn tick(&mut self) -> f64 {
        for (i, a) in self.assets.iter().enumerate() {
            let inherited: f64 = a
                .depends_on
                .iter()
                .map(|&(on, w)| w * self.assets[on].q)
                .sum();
            let target = (inherited + a.damage).min(1.0);
            self.next[i] = (a.q + a.resilience * (target - a.q)).clamp(0.0, 1.0);
        }
        for s in &mut self.service {
            *s = (0.0, 0);
        }
        for (a, &q) in self.assets.iter_mut().zip(&self.next) {
            a.q = q;
            self.loss[a.economy] += q * a.loss_per_tick;
            let s = &mut self.service[a.economy];
            s.0 += 1.0 - q;
            s.1 += 1;
        }
        self.service.iter().map(|s| s.0 / s.1.max(1) as f64).sum()
    }
}

criterion_group!(benches, regional, generated_ticks);
criterion_main!(benches);
