//! Replay throughput: ticks per second re-simulating (and verifying) a journal of the
//! bundled APEC regional scenario played by cooperative bots, recorded by the current
//! state hash definition and by version 1 (journals recorded before version 2).

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use cyberdrill_engine::journal::{Header, JournalWriter, read_journal};
use cyberdrill_engine::policy::{Policy, play_until};
use cyberdrill_engine::replay::{Recorder, replay};
use cyberdrill_engine::scenario::{self, bundled};
use cyberdrill_engine::{HashVersion, Simulation};

/// The allocator of the command line, so that figures match what users run.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn record_regional(path: &std::path::Path, seed: u64, version: HashVersion) -> u32 {
    let text = bundled::APEC_REGIONAL;
    let Ok(checked) = scenario::parse(text) else {
        panic!("the bundled regional scenario does not load");
    };
    let mut header = Header::new("apec-regional.toml", text, seed, "bench");
    header.hash_version = version.number();
    let Ok(writer) = JournalWriter::create(path, &header) else {
        panic!("cannot create the bench journal");
    };
    let mut simulation = Simulation::new(checked.scenario, seed);
    simulation.set_hash_version(version);
    let mut recorder = Recorder::new(simulation, writer);
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
    let ticks = record_regional(&path, 42, HashVersion::CURRENT);
    let Ok(journal) = read_journal(&path) else {
        panic!("cannot read the bench journal");
    };
    let path_v1 = dir.path().join("regional-v1.journal");
    record_regional(&path_v1, 42, HashVersion::V1);
    let Ok(journal_v1) = read_journal(&path_v1) else {
        panic!("cannot read the version 1 bench journal");
    };
    let mut group = c.benchmark_group("replay");
    group.sample_size(10);
    group.throughput(Throughput::Elements(u64::from(ticks)));
    group.bench_function("apec_regional_verify", |b| {
        b.iter(|| black_box(replay(&journal, true).map(|o| o.steps)))
    });
    group.bench_function("apec_regional_verify_hash_v1", |b| {
        b.iter(|| black_box(replay(&journal_v1, true).map(|o| o.steps)))
    });
    group.bench_function("apec_regional_no_verify", |b| {
        b.iter(|| black_box(replay(&journal, false).map(|o| o.steps)))
    });
    group.finish();
}

criterion_group!(benches, replay_regional);
criterion_main!(benches);
