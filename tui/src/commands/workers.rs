//! The worker threads of the commands that play many runs at once (`batch`, `branch`),
//! sized by their `--jobs`: written once so that both refuse and start them alike.

use anyhow::{Context, bail};

/// Refuses `--jobs 0`, saying what to give instead. Called before any work, so that a
/// wrong option is reported before the files are read.
pub fn check_jobs(jobs: Option<usize>) -> anyhow::Result<()> {
    if jobs == Some(0) {
        bail!("--jobs must be at least 1 (or leave it out to use every core)");
    }
    Ok(())
}

/// A pool of `jobs` threads, or one per core when `None` (checked by [`check_jobs`]).
pub fn pool(jobs: Option<usize>) -> anyhow::Result<rayon::ThreadPool> {
    rayon::ThreadPoolBuilder::new()
        .num_threads(jobs.unwrap_or(0))
        .build()
        .context("cannot start the worker threads")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `--jobs 0` is refused saying what to give; a count, or none, starts a pool.
    #[test]
    fn no_jobs_is_refused_and_a_count_or_every_core_starts() {
        let refused = check_jobs(Some(0)).expect_err("--jobs 0");
        assert_eq!(
            refused.to_string(),
            "--jobs must be at least 1 (or leave it out to use every core)"
        );
        for jobs in [None, Some(1), Some(3)] {
            check_jobs(jobs).expect("a usable --jobs");
        }
        assert_eq!(pool(Some(2)).expect("a pool").current_num_threads(), 2);
    }
}
