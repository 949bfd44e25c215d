//! `cyberdrill batch merge`: the shard files of a batch split over machines, joined into
//! the file and the summary one machine would have produced. Shards may be given in any
//! order; a missing, repeated or foreign shard is an error naming the file and line.

use std::fs::File;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};

use super::create_output;
use super::summary::{RunRecord, Summary, header};

/// Arguments of `cyberdrill batch merge`.
#[derive(Debug, clap::Args)]
pub struct MergeArgs {
    /// Shard output files of one batch (`batch --shard`), in any order.
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    /// Merged output file: the same bytes the batch run on one machine writes.
    #[arg(long)]
    pub out: PathBuf,
}

/// Joins the shards, writes the merged JSONL and prints the batch's summary.
pub fn run(args: &MergeArgs) -> anyhow::Result<()> {
    refuse_overwriting_an_input(args)?;
    let mut shards = Vec::with_capacity(args.files.len());
    for path in &args.files {
        if let Some(first) = first_record(path)? {
            shards.push((first.seed, path.as_path()));
        }
    }
    if shards.is_empty() {
        bail!("the shard files hold no runs: nothing to merge");
    }
    shards.sort_by_key(|&(seed, _)| seed);
    let mut out = create_output(&args.out)?;
    let mut order = RunOrder::default();
    let mut summary = Summary::default();
    let mut previous: Option<&Path> = None;
    for &(first_seed, path) in &shards {
        if let (Some(prev), Some(last)) = (previous, order.last_seed()) {
            if first_seed <= last {
                bail!(
                    "{} and {} both hold seed {first_seed}: the same shard given twice, or \
                     shards of different splits",
                    prev.display(),
                    path.display()
                );
            }
            if first_seed > last + 1 {
                bail!(
                    "seeds {}..={} are in none of the files (the shard between {} and {} is \
                     missing)",
                    last + 1,
                    first_seed - 1,
                    prev.display(),
                    path.display()
                );
            }
        }
        for (number, line) in lines(path)? {
            let at = || format!("{}:{number}", path.display());
            let line = line.with_context(|| format!("cannot read {}", at()))?;
            if line.trim().is_empty() {
                continue;
            }
            let record = RunRecord::parse(&line)
                .with_context(|| format!("{}: not a batch line (a shard cut short?)", at()))?;
            order
                .follow(&record)
                .map_err(|msg| anyhow::anyhow!("{}: {msg}", at()))?;
            summary.add(&record);
            writeln!(out, "{line}")
                .with_context(|| format!("cannot write to {}", args.out.display()))?;
        }
        previous = Some(path);
    }
    order.finish().map_err(|msg| {
        anyhow::anyhow!(
            "{}: {msg}",
            previous.map_or_else(String::new, |p| p.display().to_string())
        )
    })?;
    out.flush()
        .with_context(|| format!("cannot write to {}", args.out.display()))?;
    let (Some(first), Some(last)) = (order.first_seed, order.last_seed()) else {
        bail!("the shard files hold no runs: nothing to merge");
    };
    let mut stdout = std::io::stdout();
    write!(
        stdout,
        "{}",
        header(
            summary.runs(),
            &order.scenario,
            &(first..last + 1),
            None,
            &args.out.display().to_string()
        )
    )?;
    write!(stdout, "{}", summary.table())?;
    Ok(())
}

fn refuse_overwriting_an_input(args: &MergeArgs) -> anyhow::Result<()> {
    let Ok(out) = args.out.canonicalize() else {
        return Ok(()); // does not exist yet: cannot be an input
    };
    for path in &args.files {
        if path.canonicalize().is_ok_and(|p| p == out) {
            bail!(
                "--out {} is also one of the shard files: write the merged file elsewhere",
                args.out.display()
            );
        }
    }
    Ok(())
}

fn lines(path: &Path) -> anyhow::Result<impl Iterator<Item = (usize, std::io::Result<String>)>> {
    let file =
        File::open(path).with_context(|| format!("cannot open shard file {}", path.display()))?;
    Ok(BufReader::new(file)
        .lines()
        .enumerate()
        .map(|(i, line)| (i + 1, line)))
}

/// The first run in a shard file, or `None` for a shard that got no seeds.
fn first_record(path: &Path) -> anyhow::Result<Option<RunRecord>> {
    for (number, line) in lines(path)? {
        let line = line.with_context(|| format!("cannot read {}:{number}", path.display()))?;
        if line.trim().is_empty() {
            continue;
        }
        return RunRecord::parse(&line)
            .map(Some)
            .with_context(|| format!("{}:{number}: not a batch line", path.display()));
    }
    Ok(None)
}

/// The order `batch` writes runs in: seed after seed, and for each seed every policy in
/// the order of the first seed; one scenario throughout.
#[derive(Debug, Default)]
struct RunOrder {
    scenario: String,
    first_seed: Option<u64>,
    seed: u64,
    policies: Vec<String>,
    /// Whether the policy list is complete (a second seed has started).
    known: bool,
    /// Policies of the current seed seen so far.
    at: usize,
}

impl RunOrder {
    fn last_seed(&self) -> Option<u64> {
        self.first_seed.map(|_| self.seed)
    }

    fn follow(&mut self, run: &RunRecord) -> Result<(), String> {
        if self.first_seed.is_none() {
            self.scenario = run.scenario.clone();
            self.first_seed = Some(run.seed);
            self.seed = run.seed;
            self.policies.push(run.policy.clone());
            self.at = 1;
            return Ok(());
        }
        if run.scenario != self.scenario {
            return Err(format!(
                "a run of scenario `{}` among runs of `{}`: shards of different batches",
                run.scenario, self.scenario
            ));
        }
        if run.seed == self.seed + 1 {
            self.end_seed()?;
            self.seed = run.seed;
            self.at = 0;
        } else if run.seed != self.seed {
            return Err(format!(
                "seed {} follows seed {}: runs out of order or missing",
                run.seed, self.seed
            ));
        }
        if !self.known {
            if self.policies.contains(&run.policy) {
                return Err(format!(
                    "seed {} policy {} appears twice",
                    run.seed, run.policy
                ));
            }
            self.policies.push(run.policy.clone());
        } else if self.policies.get(self.at) != Some(&run.policy) {
            return Err(format!(
                "seed {} policy {}: expected policy {} (every seed runs {} in that order)",
                run.seed,
                run.policy,
                self.policies.get(self.at).map_or("none", String::as_str),
                self.policies.join(",")
            ));
        }
        self.at += 1;
        Ok(())
    }

    fn end_seed(&mut self) -> Result<(), String> {
        if self.known && self.at != self.policies.len() {
            return Err(format!(
                "seed {} ran {} of the {} policies ({})",
                self.seed,
                self.at,
                self.policies.len(),
                self.policies.join(",")
            ));
        }
        self.known = true;
        Ok(())
    }

    fn finish(&mut self) -> Result<(), String> {
        self.end_seed()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(seed: u64, policy: &str) -> RunRecord {
        RunRecord {
            scenario: "s".to_string(),
            seed,
            policy: policy.to_string(),
            metrics: Vec::new(),
        }
    }

    #[test]
    fn runs_follow_seed_then_policy_order() {
        let mut order = RunOrder::default();
        for r in [
            run(4, "idle"),
            run(4, "cooperative"),
            run(5, "idle"),
            run(5, "cooperative"),
        ] {
            order.follow(&r).expect("in order");
        }
        order.finish().expect("complete");
        assert_eq!((order.first_seed, order.last_seed()), (Some(4), Some(5)));

        let mut gap = RunOrder::default();
        gap.follow(&run(1, "idle")).expect("first");
        assert!(
            gap.follow(&run(3, "idle"))
                .expect_err("refused")
                .contains("seed 3 follows seed 1")
        );

        let mut short = RunOrder::default();
        for r in [run(1, "idle"), run(1, "cooperative"), run(2, "idle")] {
            short.follow(&r).expect("so far in order");
        }
        assert!(
            short
                .finish()
                .expect_err("refused")
                .contains("ran 1 of the 2")
        );

        let mut swapped = RunOrder::default();
        for r in [run(1, "idle"), run(1, "cooperative")] {
            swapped.follow(&r).expect("so far in order");
        }
        let err = swapped.follow(&run(2, "cooperative")).expect_err("refused");
        assert!(err.contains("expected policy idle"), "{err}");
        let mut twice = RunOrder::default();
        twice.follow(&run(1, "idle")).expect("first");
        assert!(
            twice
                .follow(&run(1, "idle"))
                .expect_err("refused")
                .contains("twice")
        );

        let mut other = RunOrder::default();
        other.follow(&run(1, "idle")).expect("first");
        let mut foreign = run(2, "idle");
        foreign.scenario = "t".to_string();
        assert!(
            other
                .follow(&foreign)
                .expect_err("refused")
                .contains("different batches")
        );
    }
}
