//! `cyberdrill batch`: Monte-Carlo runs of one scenario over many seeds (and policies),
//! for authors balancing a scenario and analysts comparing policies.
//!
//! Runs are spread over a rayon pool of `--jobs` threads; each simulation itself stays
//! single-threaded and deterministic. Lines are written in seed order (then policy
//! order), so the output is byte-identical whatever `--jobs` is, and `--shard I/N`
//! splits the seed range into contiguous slices whose files concatenate to the
//! unsharded file.

use std::fmt;
use std::fs::File;
use std::io::{BufWriter, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::str::FromStr;

use anyhow::{Context, bail};
use cyberdrill_engine::Simulation;
use cyberdrill_engine::policy::Policy;
use cyberdrill_engine::scenario::Scenario;
use indicatif::{ProgressBar, ProgressStyle};
use rayon::prelude::*;

use super::outcome::{RunOutcome, load_file_or_bundled, play_bots};

/// Runs handed to the pool at once: large enough to keep every thread busy, small
/// enough to stream lines to the file and move the progress bar.
const CHUNK: usize = 512;

/// Arguments of `cyberdrill batch`.
#[derive(Debug, clap::Args)]
pub struct BatchArgs {
    /// Scenario file (TOML), or the name of a bundled scenario (tutorial, apec-regional,
    /// itu-cirt-drill).
    pub file: PathBuf,
    /// Number of seeds to run (before sharding).
    #[arg(long)]
    pub runs: u64,
    /// Bot policies, comma-separated; each seed runs once per policy.
    #[arg(long, value_delimiter = ',', default_value = "cooperative")]
    pub policy: Vec<Policy>,
    /// Worker threads (default: all cores).
    #[arg(long)]
    pub jobs: Option<usize>,
    /// First seed; runs use seeds S, S+1, ... S+runs-1.
    #[arg(long, default_value_t = 0)]
    pub seed_start: u64,
    /// Run only slice I of N (1-based) of the seed range; shard files concatenate to the
    /// whole.
    #[arg(long)]
    pub shard: Option<Shard>,
    /// Stop each run after this many ticks (default: the scenario's duration).
    #[arg(long)]
    pub ticks: Option<u32>,
    /// Output file: one JSON object per line, as `run --json` prints it plus `policy`.
    #[arg(long)]
    pub out: PathBuf,
}

/// Slice `index` (1-based) of `count` equal contiguous slices.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    pub index: u64,
    pub count: u64,
}

impl FromStr for Shard {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let usage = || format!("`{s}` is not a shard: write I/N with 1 <= I <= N, e.g. 2/8");
        let (i, n) = s.split_once('/').ok_or_else(usage)?;
        let index: u64 = i.trim().parse().map_err(|_| usage())?;
        let count: u64 = n.trim().parse().map_err(|_| usage())?;
        if count == 0 || index == 0 || index > count {
            return Err(usage());
        }
        Ok(Shard { index, count })
    }
}

impl fmt::Display for Shard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

/// The seeds of one shard of `runs` seeds from `start`: contiguous, and the shards of
/// one split cover the whole range in order without overlap.
pub fn shard_seeds(start: u64, runs: u64, shard: Option<Shard>) -> std::ops::Range<u64> {
    let Some(Shard { index, count }) = shard else {
        return start..start + runs;
    };
    let bound = |k: u64| (u128::from(runs) * u128::from(k) / u128::from(count)) as u64;
    start + bound(index - 1)..start + bound(index)
}

/// One run's metrics: the numeric leaves of its `metrics` object, by dotted path.
type Sample = Vec<(String, f64)>;

/// One headless run, as `run --json` prints it.
fn run_one(
    scenario: &Scenario,
    seed: u64,
    policy: Policy,
    ticks: Option<u32>,
) -> anyhow::Result<serde_json::Value> {
    let mut sim = Simulation::new(scenario.clone(), seed);
    let limit = ticks.unwrap_or(u32::MAX);
    play_bots(&mut sim, policy, limit)?;
    Ok(serde_json::to_value(RunOutcome::of(
        &sim,
        &policy.to_string(),
    ))?)
}

/// Runs the batch, writes the JSONL file and prints the percentile summary.
pub fn run(args: &BatchArgs) -> anyhow::Result<()> {
    if args.runs == 0 {
        bail!("--runs must be at least 1");
    }
    if args.jobs == Some(0) {
        bail!("--jobs must be at least 1 (or leave it out to use every core)");
    }
    args.seed_start.checked_add(args.runs).with_context(|| {
        format!(
            "--seed-start {} plus --runs {} overflows the seed range (at most {})",
            args.seed_start,
            args.runs,
            u64::MAX
        )
    })?;
    let (_, scenario) = load_file_or_bundled(&args.file)?;
    let policies = dedup_policies(&args.policy);
    let seeds = shard_seeds(args.seed_start, args.runs, args.shard);
    let jobs: Vec<(u64, Policy)> = seeds
        .clone()
        .flat_map(|seed| policies.iter().map(move |p| (seed, *p)))
        .collect();
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(args.jobs.unwrap_or(0))
        .build()
        .context("cannot start the worker threads")?;
    let mut out = create_output(&args.out)?;
    let progress = progress_bar(jobs.len() as u64);
    let mut samples: Vec<(Policy, Sample)> = Vec::with_capacity(jobs.len());
    for chunk in jobs.chunks(CHUNK) {
        let results: Vec<anyhow::Result<(String, Sample)>> = pool.install(|| {
            chunk
                .par_iter()
                .map(|&(seed, policy)| {
                    let value = run_one(&scenario, seed, policy, args.ticks)
                        .with_context(|| format!("run with seed {seed}, policy {policy}"))?;
                    let line = with_policy(value, policy)?;
                    let sample = numeric_metrics(&line);
                    progress.inc(1);
                    Ok((line.to_string(), sample))
                })
                .collect()
        });
        for (result, &(_, policy)) in results.into_iter().zip(chunk) {
            let (line, sample) = result?;
            writeln!(out, "{line}")
                .with_context(|| format!("cannot write to {}", args.out.display()))?;
            samples.push((policy, sample));
        }
    }
    out.flush()
        .with_context(|| format!("cannot write to {}", args.out.display()))?;
    progress.finish_and_clear();
    writeln!(
        std::io::stdout(),
        "{} run(s) of {} (seeds {}..={}{}) written to {}\n",
        jobs.len(),
        args.file.display(),
        seeds.start,
        seeds.end.saturating_sub(1),
        args.shard
            .map(|s| format!(", shard {s}"))
            .unwrap_or_default(),
        args.out.display()
    )?;
    write!(std::io::stdout(), "{}", summary(&policies, &samples))?;
    Ok(())
}

fn dedup_policies(policies: &[Policy]) -> Vec<Policy> {
    let mut unique = Vec::new();
    for p in policies {
        if !unique.contains(p) {
            unique.push(*p);
        }
    }
    unique
}

fn create_output(path: &Path) -> anyhow::Result<BufWriter<File>> {
    let file = File::create(path).with_context(|| {
        format!(
            "cannot create output file {}: check that its directory exists and is writable",
            path.display()
        )
    })?;
    Ok(BufWriter::new(file))
}

fn progress_bar(total: u64) -> ProgressBar {
    if !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(total);
    if let Ok(style) =
        ProgressStyle::with_template("{bar:40} {pos}/{len} runs  {per_sec}  eta {eta}")
    {
        bar.set_style(style);
    }
    bar
}

/// The run's object with a `policy` field added.
fn with_policy(value: serde_json::Value, policy: Policy) -> anyhow::Result<serde_json::Value> {
    let serde_json::Value::Object(mut map) = value else {
        bail!("a run did not produce a JSON object");
    };
    map.insert(
        "policy".to_string(),
        serde_json::Value::String(policy.to_string()),
    );
    Ok(serde_json::Value::Object(map))
}

/// The numeric leaves of a run object's `metrics`, by dotted path, in document order.
fn numeric_metrics(run: &serde_json::Value) -> Sample {
    let mut out = Vec::new();
    if let Some(metrics) = run.get("metrics") {
        collect_numbers("", metrics, &mut out);
    }
    out
}

fn collect_numbers(prefix: &str, value: &serde_json::Value, out: &mut Sample) {
    let join = |k: &str| {
        if prefix.is_empty() {
            k.to_string()
        } else {
            format!("{prefix}.{k}")
        }
    };
    match value {
        serde_json::Value::Number(n) => {
            if let Some(f) = n.as_f64() {
                out.push((prefix.to_string(), f));
            }
        }
        serde_json::Value::Object(map) => {
            for (k, v) in map {
                collect_numbers(&join(k), v, out);
            }
        }
        serde_json::Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                let name = v
                    .get("id")
                    .and_then(|id| id.as_str())
                    .map_or_else(|| i.to_string(), str::to_string);
                collect_numbers(&join(&name), v, out);
            }
        }
        _ => {}
    }
}

/// Nearest-rank percentile of sorted values (`p` in 0-100).
pub fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let rank = (p / 100.0 * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

/// p5, p50 and p95 of one metric.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Spread {
    pub p5: f64,
    pub p50: f64,
    pub p95: f64,
}

/// Every metric's spread per policy, metrics in first-seen order.
pub fn spreads(policies: &[Policy], samples: &[(Policy, Sample)]) -> Vec<(String, Vec<Spread>)> {
    let mut names: Vec<String> = Vec::new();
    for (_, sample) in samples {
        for (name, _) in sample {
            if !names.contains(name) {
                names.push(name.clone());
            }
        }
    }
    names
        .into_iter()
        .map(|name| {
            let per_policy = policies
                .iter()
                .map(|policy| {
                    let mut values: Vec<f64> = samples
                        .iter()
                        .filter(|(p, _)| p == policy)
                        .filter_map(|(_, s)| s.iter().find(|(n, _)| *n == name).map(|(_, v)| *v))
                        .filter(|v| v.is_finite())
                        .collect();
                    values.sort_by(f64::total_cmp);
                    Spread {
                        p5: percentile(&values, 5.0),
                        p50: percentile(&values, 50.0),
                        p95: percentile(&values, 95.0),
                    }
                })
                .collect();
            (name, per_policy)
        })
        .collect()
}

fn number(v: f64) -> String {
    if v.is_nan() {
        "-".to_string()
    } else if (v.fract() == 0.0 && v.abs() < 1e15) || v.abs() >= 1000.0 {
        format!("{v:.0}")
    } else {
        format!("{v:.3}")
    }
}

/// The percentile table: p5/p50/p95 columns for one policy, or one `p50 [p5, p95]`
/// column per policy side by side.
pub fn summary(policies: &[Policy], samples: &[(Policy, Sample)]) -> String {
    let rows = spreads(policies, samples);
    let width = rows.iter().map(|(n, _)| n.len()).max().unwrap_or(6).max(6);
    let mut out = String::new();
    if let [policy] = policies {
        out.push_str(&format!(
            "policy {policy}\n{:<width$}  {:>14}  {:>14}  {:>14}\n",
            "metric", "p5", "p50", "p95"
        ));
        for (name, spread) in &rows {
            let s = spread[0];
            out.push_str(&format!(
                "{name:<width$}  {:>14}  {:>14}  {:>14}\n",
                number(s.p5),
                number(s.p50),
                number(s.p95)
            ));
        }
    } else {
        out.push_str(&format!("{:<width$}", "metric: p50 [p5, p95]"));
        for p in policies {
            out.push_str(&format!("  {:>36}", p.to_string()));
        }
        out.push('\n');
        for (name, spread) in &rows {
            out.push_str(&format!("{name:<width$}"));
            for s in spread {
                let cell = format!("{} [{}, {}]", number(s.p50), number(s.p5), number(s.p95));
                out.push_str(&format!("  {cell:>36}"));
            }
            out.push('\n');
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_cover_the_range_in_order_without_overlap() {
        for runs in [1u64, 2, 7, 10, 1000] {
            for count in [1u64, 2, 3, 8] {
                let mut next = 5;
                for index in 1..=count {
                    let seeds = shard_seeds(5, runs, Some(Shard { index, count }));
                    assert_eq!(seeds.start, next, "runs {runs} shard {index}/{count}");
                    next = seeds.end;
                }
                assert_eq!(next, 5 + runs);
            }
        }
        assert_eq!(shard_seeds(3, 4, None), 3..7);
    }

    #[test]
    fn shard_parsing_rejects_nonsense() {
        assert_eq!("2/8".parse::<Shard>(), Ok(Shard { index: 2, count: 8 }));
        for bad in ["0/4", "5/4", "1/0", "x/2", "3", "1/2/3"] {
            assert!(bad.parse::<Shard>().is_err(), "{bad}");
        }
    }

    #[test]
    fn nearest_rank_percentiles() {
        let v: Vec<f64> = (1..=100).map(f64::from).collect();
        assert_eq!(percentile(&v, 5.0), 5.0);
        assert_eq!(percentile(&v, 50.0), 50.0);
        assert_eq!(percentile(&v, 95.0), 95.0);
        assert_eq!(percentile(&[7.0], 5.0), 7.0);
        assert!(percentile(&[], 50.0).is_nan());
    }

    #[test]
    fn summary_puts_policies_side_by_side() {
        let sample = |loss: f64| vec![("regional_loss".to_string(), loss)];
        let samples = vec![
            (Policy::Idle, sample(100.0)),
            (Policy::Cooperative, sample(10.0)),
            (Policy::Idle, sample(300.0)),
            (Policy::Cooperative, sample(30.0)),
        ];
        let table = summary(&[Policy::Idle, Policy::Cooperative], &samples);
        assert!(
            table.contains("idle") && table.contains("cooperative"),
            "{table}"
        );
        assert!(table.contains("100 [100, 300]"), "{table}");
        assert!(table.contains("10 [10, 30]"), "{table}");
        let single = summary(&[Policy::Idle], &samples);
        assert!(single.contains("p95") && single.contains("300"), "{single}");
    }

    #[test]
    fn metrics_are_flattened_by_path() {
        let run = serde_json::json!({
            "seed": 3,
            "metrics": {"regional_loss": 12.5, "economies": [{"id": "arc", "loss": 2}], "note": "x"}
        });
        assert_eq!(
            numeric_metrics(&run),
            vec![
                ("economies.arc.loss".to_string(), 2.0),
                ("regional_loss".to_string(), 12.5)
            ]
        );
    }
}
