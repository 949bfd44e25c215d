//! Replay throughput: ticks per second re-simulating (and verifying) a journal of the
//! bundled APEC regional scenario played by cooperative bots.

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use cyberdrill_engine::Simulation;
use cyberdrill_engine::journal::{Header, JournalWriter, read_journal};
use cyberdrill_engine::policy::{Policy, play_until};
use cyberdrill_engine::replay::{Recorder, replay};
use cyberdrill_engine::scenario::{self, bundled};

/// The allocator of the command line, so that figures match what users run.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn record_regional(path: &std::path::Path, seed: u64) -> u32 {
    let text = bundled::APEC_REGIONAL;
    let Ok(checked) = scenario::parse(text) else {
        panic!("the bundled regional scenario does not load");
    };
    let header = Header::new("apec-regional.toml", text, seed, "bench");
    let Ok(writer) = JournalWriter::create(path, &header) else {
        panic!("cannot create the bench journal");
    };
    let mut recorder = Recorder::new(Simulation::new(checked.scenario, seed), writer);
    if play_until(&mut recorder, Policy::Cooperative, u32::MAX).is_err() {
        panic!("journal write failed");
    }
    recorder.simulation().tick()
}

fn replay_regional(c: &mut Criterion) {
    let Ok(dir) = tempfile::tempdir() else {
        panic!("no temp dir");
    };
    let path = dir.path().join("regional.journal");
    let ticks = record_regional(&path, 42);
    let Ok(journal) = read_journal(&path) else {
        panic!("cannot read the bench journal");
    };
    let mut group = c.benchmark_group("replay");
    group.sample_size(10);
    group.throughput(Throughput::Elements(u64::from(ticks)));
    group.bench_function("apec_regional_verify", |b| {
        b.iter(|| black_box(replay(&journal, true).map(|o| o.steps)))
    });
    group.bench_function("apec_regional_no_verify", |b| {
        b.iter(|| black_box(replay(&journal, false).map(|o| o.steps)))
    });
    group.finish();
}

criterion_group!(benches, replay_regional);
criterion_main!(benches);
