//! How long loading takes (parsing, deserializing and validating): the bundled APEC
//! regional scenario, a generated 1,000,000-asset scenario written out asset by asset,
//! and a million assets written as twenty asset groups with cross-border dependencies.
//!
//! Run with `cargo bench --bench load`.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use cyberdrill_engine::scenario::generate::{GenerateOptions, generate_toml};
use cyberdrill_engine::scenario::parse;

/// The allocator of the command line, so that figures match what users run.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

const APEC: &str = include_str!("../../scenarios/apec-regional.toml");

/// A scenario of `groups` asset groups of `per_group` members each, every group in its
/// own economy and depending on the previous group (a chain across borders).
fn group_scenario(groups: usize, per_group: usize) -> String {
    let mut text = String::from(
        "[scenario]\nid = \"big\"\ntitle = \"Big\"\nduration_ticks = 48\n\n[[sector]]\nid = \"telecom\"\nname = \"Telecom\"\n",
    );
    for g in 0..groups {
        text.push_str(&format!(
            "\n[[economy]]\nid = \"e{g}\"\nname = \"Economy {g}\"\npopulation = 1000000\nreadiness = {{ legal = 50, technical = 50, organizational = 50, capacity = 50, cooperation = 50 }}\n"
        ));
        let dep = if g == 0 {
            String::new()
        } else {
            format!("depends_on = [{{ on = \"g{}-1\", weight = 0.3 }}]\n", g - 1)
        };
        text.push_str(&format!(
            "\n[[asset_group]]\nid = \"g{g}\"\nname = \"Exchange {g}.{{n}}\"\ncount = {per_group}\neconomy = \"e{g}\"\nsector = \"telecom\"\n{dep}"
        ));
    }
    text
}

fn bench_load(c: &mut Criterion) {
    c.bench_function("load apec-regional.toml", |b| {
        b.iter(|| parse(black_box(APEC)).map(|s| s.scenario.assets.len()))
    });
    let mut group = c.benchmark_group("load 1,000,000 assets");
    group.sample_size(10);
    let generated = generate_toml(GenerateOptions {
        economies: 21,
        assets: 1_000_000,
        seed: 1,
    });
    if let Err(diagnostics) = parse(&generated) {
        panic!("the generated scenario is invalid: {diagnostics:?}");
    }
    group.bench_function("generated, one [[asset]] each", |b| {
        b.iter(|| parse(black_box(&generated)).map(|s| s.scenario.assets.len()))
    });
    let grouped = group_scenario(20, 50_000);
    group.bench_function("20 asset groups", |b| {
        b.iter(|| parse(black_box(&grouped)).map(|s| s.scenario.assets.len()))
    });
    group.finish();
}

criterion_group!(benches, bench_load);
criterion_main!(benches);
