//! Synthetic scenario generation: time to stream a scenario of 10k and 1M assets as TOML
//! (into a sink, so the measure is the generator, not the disk).
//!
//! Run with `cargo bench -p cyberdrill-engine --bench generate`.

use std::hint::black_box;
use std::io;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use cyberdrill_engine::scenario::generate::{GenerateOptions, write_toml};

/// The allocator of the command line, so that figures match what users run.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Counts bytes and throws them away.
struct CountingSink(u64);

impl io::Write for CountingSink {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        self.0 += bytes.len() as u64;
        Ok(bytes.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

fn stream_toml(c: &mut Criterion) {
    let mut group = c.benchmark_group("generate_toml");
    group.sample_size(10);
    for (economies, assets) in [(10u32, 10_000u64), (50, 1_000_000)] {
        let opts = GenerateOptions {
            economies,
            assets,
            seed: 7,
        };
        group.throughput(Throughput::Elements(assets));
        group.bench_function(format!("{economies}x{assets}"), |b| {
            b.iter(|| {
                let mut sink = CountingSink(0);
                let result = write_toml(black_box(opts), &mut sink);
                black_box((result.is_ok(), sink.0))
            });
        });
    }
    group.finish();
}

criterion_group!(benches, stream_toml);
criterion_main!(benches);
