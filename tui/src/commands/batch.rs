//! `cyberdrill batch`: Monte-Carlo runs of one scenario over many seeds (and policies),
//! for authors balancing a scenario and analysts comparing policies.
//!
//! Runs are spread over a rayon pool of `--jobs` threads; each simulation itself stays
//! single-threaded and deterministic. Lines are written in seed order (then policy
//! order), so the output is byte-identical whatever `--jobs` is. Beyond one machine,
//! `--shard I/N` (or `env/N` inside a Kubernetes or Slurm job array) splits the seed
//! range into contiguous slices whose files concatenate to the unsharded file, and
//! `batch merge` joins them and prints the summary the single run prints.

use std::fs::File;
use std::io::{BufWriter, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{Context, bail};
use cyberdrill_engine::Simulation;
use cyberdrill_engine::policy::Policy;
use cyberdrill_engine::scenario::Scenario;
use indicatif::{ProgressBar, ProgressStyle};
use rayon::prelude::*;

use super::outcome::{RunOutcome, load_file_or_bundled, play_bots};
use super::workers;

mod merge;
mod shard;
pub(crate) mod summary;

pub use shard::ShardSpec;
use summary::{RunRecord, Summary, header};

/// Runs handed to the pool at once: large enough to keep every thread busy, small
/// enough to stream lines to the file and move the progress bar.
const CHUNK: usize = 512;

/// Arguments of `cyberdrill batch`: a batch to run, or `batch merge` of shard files.
#[derive(Debug, clap::Args)]
#[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
pub struct BatchArgs {
    #[command(subcommand)]
    pub command: Option<BatchCommand>,
    #[command(flatten)]
    pub run: Option<RunBatchArgs>,
}

/// What `batch` does besides running.
#[derive(Debug, clap::Subcommand)]
pub enum BatchCommand {
    /// Join the files of a batch split with --shard into the file and summary one
    /// machine would have written.
    #[command(after_help = "Example:\n  cyberdrill batch merge part-*.jsonl --out runs.jsonl")]
    Merge(merge::MergeArgs),
}

/// Arguments of a batch run.
#[derive(Debug, clap::Args)]
pub struct RunBatchArgs {
    /// Scenario file (TOML), or the name of a bundled scenario (tutorial, apec-regional,
    /// itu-cirt-drill).
    #[arg(required = true)]
    pub file: PathBuf,
    /// Number of seeds to run (before sharding).
    #[arg(long, required = true)]
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
    /// whole (`batch merge` joins them). `env/N` takes I from the job array this runs in:
    /// JOB_COMPLETION_INDEX (Kubernetes Indexed Job, 0-based) or SLURM_ARRAY_TASK_ID
    /// (Slurm job array, counted from its first task); under Slurm plain `env` also
    /// takes N from the array.
    #[arg(long)]
    pub shard: Option<ShardSpec>,
    /// Stop each run after this many ticks (default: the scenario's duration).
    #[arg(long)]
    pub ticks: Option<u32>,
    /// Output file: one JSON object per line, the fields `run --json` prints (keys sorted).
    #[arg(long, required = true)]
    pub out: PathBuf,
}

/// One headless run: the fields `run --json` prints, keys sorted.
fn run_one(
    scenario: &Arc<Scenario>,
    seed: u64,
    policy: Policy,
    ticks: Option<u32>,
) -> anyhow::Result<serde_json::Value> {
    let mut sim = Simulation::shared(Arc::clone(scenario), seed);
    let limit = ticks.unwrap_or(u32::MAX);
    play_bots(&mut sim, policy, limit)?;
    Ok(serde_json::to_value(RunOutcome::of(
        &sim,
        &policy.to_string(),
    ))?)
}

/// Runs `batch` or `batch merge`.
pub fn run(args: &BatchArgs) -> anyhow::Result<()> {
    match (&args.command, &args.run) {
        (Some(BatchCommand::Merge(merge)), _) => merge::run(merge),
        (None, Some(run)) => run_batch(run),
        (None, None) => bail!(
            "give a scenario, --runs and --out (cyberdrill batch FILE --runs N --out FILE), \
             or merge shard files (cyberdrill batch merge FILES --out FILE)"
        ),
    }
}

/// Runs the batch, writes the JSONL file and prints the percentile summary.
fn run_batch(args: &RunBatchArgs) -> anyhow::Result<()> {
    if args.runs == 0 {
        bail!("--runs must be at least 1");
    }
    workers::check_jobs(args.jobs)?;
    args.seed_start.checked_add(args.runs).with_context(|| {
        format!(
            "--seed-start {} plus --runs {} overflows the seed range (at most {})",
            args.seed_start,
            args.runs,
            u64::MAX
        )
    })?;
    let shard = args
        .shard
        .map(|spec| shard::resolve(spec, |name| std::env::var(name).ok()))
        .transpose()
        .map_err(|msg| anyhow::anyhow!("{msg}"))?;
    let (_, scenario) = load_file_or_bundled(&args.file)?;
    let scenario = Arc::new(scenario);
    let policies = dedup_policies(&args.policy);
    let seeds = shard::shard_seeds(args.seed_start, args.runs, shard);
    let jobs: Vec<(u64, Policy)> = seeds
        .clone()
        .flat_map(|seed| policies.iter().map(move |p| (seed, *p)))
        .collect();
    let pool = workers::pool(args.jobs)?;
    let mut out = create_output(&args.out)?;
    let progress = progress_bar(jobs.len() as u64);
    let mut summary = Summary::with_policies(policies.iter().map(Policy::to_string).collect());
    // Each chunk's lines are written (and summed up) while the next chunk runs, so the
    // workers do not wait for the file.
    let mut done: Vec<anyhow::Result<(String, RunRecord)>> = Vec::new();
    for chunk in jobs.chunks(CHUNK) {
        let (written, results) = pool.install(|| {
            rayon::join(
                || write_lines(std::mem::take(&mut done), &mut out, &mut summary, &args.out),
                || {
                    chunk
                        .par_iter()
                        .map(|&(seed, policy)| {
                            let value = run_one(&scenario, seed, policy, args.ticks).with_context(
                                || format!("run with seed {seed}, policy {policy}"),
                            )?;
                            let line = value.to_string();
                            // The summary takes the numbers as `batch merge` reads them back.
                            let record = RunRecord::written(&value)?;
                            progress.inc(1);
                            Ok((line, record))
                        })
                        .collect()
                },
            )
        });
        written?;
        done = results;
    }
    write_lines(done, &mut out, &mut summary, &args.out)?;
    out.flush()
        .with_context(|| format!("cannot write to {}", args.out.display()))?;
    progress.finish_and_clear();
    let mut stdout = std::io::stdout();
    write!(
        stdout,
        "{}",
        header(
            jobs.len() as u64,
            &scenario.meta.id,
            &seeds,
            shard.map(|s| s.to_string()),
            &args.out.display().to_string()
        )
    )?;
    write!(stdout, "{}", summary.table())?;
    Ok(())
}

/// Writes finished runs' lines in order and adds them to the summary; the first failed
/// run stops the batch.
fn write_lines(
    runs: Vec<anyhow::Result<(String, RunRecord)>>,
    out: &mut impl Write,
    summary: &mut Summary,
    path: &Path,
) -> anyhow::Result<()> {
    for run in runs {
        let (line, record) = run?;
        writeln!(out, "{line}").with_context(|| format!("cannot write to {}", path.display()))?;
        summary.add(&record);
    }
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

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;

    /// The summary's record of a run, taken from the value the line is written from,
    /// equals the record `batch merge` reads back from the line, float for float.
    #[test]
    fn a_runs_record_is_the_record_its_line_reads_back_as() {
        for name in ["apec-regional", "tutorial"] {
            let (_, scenario) = load_file_or_bundled(Path::new(name)).expect("bundled");
            let scenario = Arc::new(scenario);
            for policy in [Policy::Cooperative, Policy::Idle] {
                for seed in 0..3 {
                    let value = run_one(&scenario, seed, policy, None).expect("run");
                    let line = value.to_string();
                    let written = RunRecord::written(&value).expect("written");
                    let read = RunRecord::parse(&line).expect("read back");
                    assert!(written.metrics.len() > 10, "{name}: too few metrics");
                    assert_eq!(written, read, "{name} seed {seed} {policy}");
                }
            }
        }
    }
}
