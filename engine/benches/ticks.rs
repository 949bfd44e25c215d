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

/// The floor: the engine's per-asset arithmetic (synchronous inoperability cascade,
/// mean service per economy and over the region, loss) in the best plain layout, every
/// asset visited every tick: struct of arrays, the dependencies in one contiguous
/// index (compressed sparse rows), and service and loss summed in the same pass as the
/// cascade, a run of same-economy assets at a time in registers.
struct Floor {
    q: Vec<f64>,
    next: Vec<f64>,
    damage: Vec<f64>,
    resilience: Vec<f64>,
    loss_per_tick: Vec<f64>,
    economy: Vec<u32>,
    dep_start: Vec<u32>,
    dep_on: Vec<u32>,
    dep_weight: Vec<f64>,
    loss: Vec<f64>,
    service: Vec<f64>,
    assets_per_economy: Vec<f64>,
}

impl Floor {
    fn from(scenario: &Scenario) -> Self {
        let n = scenario.assets.len();
        let economies = scenario.economies.len();
        let mut dep_start = Vec::with_capacity(n + 1);
        let mut dep_on = Vec::new();
        let mut dep_weight = Vec::new();
        dep_start.push(0u32);
        let mut assets_per_economy = vec![0.0; economies];
        for a in &scenario.assets {
            for d in &a.depends_on {
                dep_on.push(d.on.index() as u32);
                dep_weight.push(d.weight);
            }
            dep_start.push(dep_on.len() as u32);
            assets_per_economy[a.economy.index()] += 1.0;
        }
        Self {
            q: vec![0.0; n],
            next: vec![0.0; n],
            // Some assets damaged, as in a running exercise.
            damage: (0..n)
                .map(|i| if i % 97 == 0 { 0.6 } else { 0.0 })
                .collect(),
            resilience: scenario.assets.iter().map(|a| a.resilience).collect(),
            loss_per_tick: scenario
                .assets
                .iter()
                .map(|a| a.people_served as f64)
                .collect(),
            economy: scenario
                .assets
                .iter()
                .map(|a| a.economy.index() as u32)
                .collect(),
            dep_start,
            dep_on,
            dep_weight,
            loss: vec![0.0; economies],
            service: vec![0.0; economies],
            assets_per_economy,
        }
    }

    /// One tick: q(t+1) for every asset from q(t), with each economy's service and
    /// loss summed as it goes; returns the sum of the mean services and the region's.
    /// Slices cut to one length first, so that the compiler drops the bounds checks.
    fn tick(&mut self) -> f64 {
        self.service.fill(0.0);
        let n = self.q.len();
        let q = &self.q[..n];
        let next = &mut self.next[..n];
        let damage = &self.damage[..n];
        let res = &self.resilience[..n];
        let lpt = &self.loss_per_tick[..n];
        let econ = &self.economy[..n];
        let starts = &self.dep_start[..n + 1];
        let (dep_on, dep_weight) = (&self.dep_on[..], &self.dep_weight[..]);
        let mut total = 0.0;
        let mut run = (u32::MAX, 0.0, 0.0); // (economy, service, loss) of the current run
        for i in 0..n {
            let (start, end) = (starts[i] as usize, starts[i + 1] as usize);
            let mut inherited = 0.0;
            for (&on, &w) in dep_on[start..end].iter().zip(&dep_weight[start..end]) {
                inherited += w * q[on as usize];
            }
            let qi = q[i];
            let target = (inherited + damage[i]).min(1.0);
            let nq = (qi + res[i] * (target - qi)).clamp(0.0, 1.0);
            next[i] = nq;
            let economy = econ[i];
            if economy != run.0 {
                if run.0 != u32::MAX {
                    self.service[run.0 as usize] += run.1;
                    self.loss[run.0 as usize] += run.2;
                }
                run = (economy, 0.0, 0.0);
            }
            run.1 += 1.0 - nq;
            run.2 += nq * lpt[i]; // q = 0 adds exactly 0: the engine's `if q > 0` is the same sum
            total += 1.0 - nq;
        }
        if run.0 != u32::MAX {
            self.service[run.0 as usize] += run.1;
            self.loss[run.0 as usize] += run.2;
        }
        std::mem::swap(&mut self.q, &mut self.next);
        let means: f64 = self
            .service
            .iter()
            .zip(&self.assets_per_economy)
            .map(|(s, &n)| if n == 0.0 { 1.0 } else { s / n })
            .sum();
        means + total / self.q.len().max(1) as f64
    }
}

criterion_group!(benches, regional, generated_ticks);
criterion_main!(benches);
