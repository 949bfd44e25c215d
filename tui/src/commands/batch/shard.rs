//! Which slice of the seed range one machine runs: `--shard I/N` given by hand, or
//! `--shard env/N` taken from the job array the machine belongs to (a Kubernetes Indexed
//! Job's `JOB_COMPLETION_INDEX`, a Slurm job array's `SLURM_ARRAY_TASK_ID`), so that one
//! job description serves every machine.

use std::fmt;
use std::str::FromStr;

/// Slice `index` (1-based) of `count` equal contiguous slices.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    pub index: u64,
    pub count: u64,
}

impl fmt::Display for Shard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

/// `--shard` as written: a fixed slice, or one whose index (and, under Slurm, count)
/// comes from the job array's environment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ShardSpec {
    Fixed(Shard),
    FromEnv { count: Option<u64> },
}

impl FromStr for ShardSpec {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let usage = || {
            format!(
                "`{s}` is not a shard: write I/N with 1 <= I <= N (e.g. 2/8), or env/N to take \
                 I from a Kubernetes Indexed Job or a Slurm job array"
            )
        };
        let (i, n) = match s.split_once('/') {
            Some((i, n)) => (i.trim(), Some(n.trim())),
            None => (s.trim(), None),
        };
        let count = match n {
            Some(n) => match n.parse::<u64>() {
                Ok(count) if count >= 1 => Some(count),
                _ => return Err(usage()),
            },
            None => None,
        };
        if i.eq_ignore_ascii_case("env") {
            return Ok(ShardSpec::FromEnv { count });
        }
        let index: u64 = i.parse().map_err(|_| usage())?;
        match count {
            Some(count) if index >= 1 && index <= count => {
                Ok(ShardSpec::Fixed(Shard { index, count }))
            }
            _ => Err(usage()),
        }
    }
}

impl fmt::Display for ShardSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ShardSpec::Fixed(shard) => shard.fmt(f),
            ShardSpec::FromEnv { count: Some(n) } => write!(f, "env/{n}"),
            ShardSpec::FromEnv { count: None } => f.write_str("env"),
        }
    }
}

/// Kubernetes Indexed Jobs: the pod's completion index, 0 to `spec.completions - 1`.
pub const KUBERNETES_INDEX: &str = "JOB_COMPLETION_INDEX";
/// Slurm job arrays: the task's array index, and the array's shape.
pub const SLURM_TASK_ID: &str = "SLURM_ARRAY_TASK_ID";
const SLURM_MIN: &str = "SLURM_ARRAY_TASK_MIN";
const SLURM_MAX: &str = "SLURM_ARRAY_TASK_MAX";
const SLURM_STEP: &str = "SLURM_ARRAY_TASK_STEP";
const SLURM_COUNT: &str = "SLURM_ARRAY_TASK_COUNT";

/// The slice this machine runs. `env` reads `JOB_COMPLETION_INDEX` first, then
/// `SLURM_ARRAY_TASK_ID` (through `lookup`, the process environment in the program).
pub fn resolve(spec: ShardSpec, lookup: impl Fn(&str) -> Option<String>) -> Result<Shard, String> {
    let count = match spec {
        ShardSpec::Fixed(shard) => return Ok(shard),
        ShardSpec::FromEnv { count } => count,
    };
    let number =
        |name: &str| -> Result<Option<u64>, String> {
            match lookup(name) {
                None => Ok(None),
                Some(text) => text.trim().parse().map(Some).map_err(|_| {
                    format!("{name}=`{text}` in the environment is not a whole number")
                }),
            }
        };
    if let Some(position) = number(KUBERNETES_INDEX)? {
        let count = count.ok_or_else(|| {
            format!(
                "--shard env under a Kubernetes Indexed Job needs the number of shards: \
                 write --shard env/N with N the Job's spec.completions \
                 ({KUBERNETES_INDEX} is {position})"
            )
        })?;
        return slice(position, count, KUBERNETES_INDEX);
    }
    let Some(id) = number(SLURM_TASK_ID)? else {
        return Err(format!(
            "--shard {spec} takes the shard from a job array, but neither {KUBERNETES_INDEX} \
             (Kubernetes Indexed Job) nor {SLURM_TASK_ID} (Slurm job array) is set; \
             outside a job array write --shard I/N"
        ));
    };
    let min = number(SLURM_MIN)?.unwrap_or(0);
    let step = number(SLURM_STEP)?.unwrap_or(1).max(1);
    let array_count = number(SLURM_COUNT)?;
    let count = match (count, array_count) {
        (Some(n), Some(array)) if n != array => {
            return Err(format!(
                "--shard env/{n} but the Slurm array has {array} tasks \
                 ({SLURM_COUNT}): make them equal, or write --shard env"
            ));
        }
        (Some(n), _) | (None, Some(n)) => n,
        (None, None) => {
            return Err(format!(
                "--shard env: {SLURM_COUNT} is not set, so write the number of shards: \
                 --shard env/N"
            ));
        }
    };
    let not_a_range = || {
        format!(
            "{SLURM_TASK_ID}={id} is not in a plain range of {count} tasks: submit the array \
             as a range, e.g. --array=0-{} or --array=1-{count}",
            count - 1
        )
    };
    if let Some(max) = number(SLURM_MAX)?
        && (max < min || (max - min) / step + 1 != count)
    {
        return Err(not_a_range());
    }
    if id < min || (id - min) % step != 0 {
        return Err(not_a_range());
    }
    slice((id - min) / step, count, SLURM_TASK_ID)
}

/// The shard at 0-based `position` of `count`.
fn slice(position: u64, count: u64, source: &str) -> Result<Shard, String> {
    if position >= count {
        return Err(format!(
            "{source} gives shard {} but --shard says there are {count}: \
             the job array and N must agree",
            position.saturating_add(1)
        ));
    }
    Ok(Shard {
        index: position + 1,
        count,
    })
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

#[cfg(test)]
mod tests {
    use super::*;

    fn env<'a>(vars: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
        move |name| {
            vars.iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| v.to_string())
        }
    }

    fn shard(index: u64, count: u64) -> Shard {
        Shard { index, count }
    }

    #[test]
    fn shards_cover_the_range_in_order_without_overlap() {
        for runs in [1u64, 2, 7, 10, 1000] {
            for count in [1u64, 2, 3, 8] {
                let mut next = 5;
                for index in 1..=count {
                    let seeds = shard_seeds(5, runs, Some(shard(index, count)));
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
        assert_eq!("2/8".parse(), Ok(ShardSpec::Fixed(shard(2, 8))));
        assert_eq!("env/8".parse(), Ok(ShardSpec::FromEnv { count: Some(8) }));
        assert_eq!("env".parse(), Ok(ShardSpec::FromEnv { count: None }));
        for bad in [
            "0/4", "5/4", "1/0", "x/2", "3", "1/2/3", "env/0", "env/x", "",
        ] {
            assert!(bad.parse::<ShardSpec>().is_err(), "{bad}");
        }
    }

    #[test]
    fn kubernetes_completion_index_counts_from_zero() {
        let spec = ShardSpec::FromEnv { count: Some(8) };
        assert_eq!(
            resolve(spec, env(&[(KUBERNETES_INDEX, "0")])),
            Ok(shard(1, 8))
        );
        assert_eq!(
            resolve(spec, env(&[(KUBERNETES_INDEX, "7")])),
            Ok(shard(8, 8))
        );
        let err = resolve(spec, env(&[(KUBERNETES_INDEX, "8")])).expect_err("refused");
        assert!(err.contains("shard 9") && err.contains('8'), "{err}");
        let err = resolve(
            ShardSpec::FromEnv { count: None },
            env(&[(KUBERNETES_INDEX, "3")]),
        )
        .expect_err("refused");
        assert!(
            err.contains("env/N") && err.contains("completions"),
            "{err}"
        );
        let err = resolve(spec, env(&[(KUBERNETES_INDEX, "two")])).expect_err("refused");
        assert!(err.contains("JOB_COMPLETION_INDEX=`two`"), "{err}");
    }

    #[test]
    fn slurm_task_id_is_counted_from_the_array_start() {
        let from_one = |id: &'static str| {
            [
                (SLURM_TASK_ID, id),
                (SLURM_MIN, "1"),
                (SLURM_MAX, "8"),
                (SLURM_STEP, "1"),
                (SLURM_COUNT, "8"),
            ]
        };
        let spec = ShardSpec::FromEnv { count: None };
        assert_eq!(resolve(spec, env(&from_one("1"))), Ok(shard(1, 8)));
        assert_eq!(resolve(spec, env(&from_one("8"))), Ok(shard(8, 8)));
        assert_eq!(
            resolve(ShardSpec::FromEnv { count: Some(8) }, env(&from_one("3"))),
            Ok(shard(3, 8))
        );
        let err = resolve(ShardSpec::FromEnv { count: Some(4) }, env(&from_one("3")))
            .expect_err("refused");
        assert!(err.contains("env/4") && err.contains("8 tasks"), "{err}");
        // --array=0-7, and a step: --array=10-24:2 (8 tasks).
        let zero = [(SLURM_TASK_ID, "0"), (SLURM_MIN, "0"), (SLURM_COUNT, "8")];
        assert_eq!(resolve(spec, env(&zero)), Ok(shard(1, 8)));
        let stepped = [
            (SLURM_TASK_ID, "14"),
            (SLURM_MIN, "10"),
            (SLURM_MAX, "24"),
            (SLURM_STEP, "2"),
            (SLURM_COUNT, "8"),
        ];
        assert_eq!(resolve(spec, env(&stepped)), Ok(shard(3, 8)));
        // --array=1,3,5,7 is not a range: refused rather than mapped wrongly.
        let list = [
            (SLURM_TASK_ID, "3"),
            (SLURM_MIN, "1"),
            (SLURM_MAX, "7"),
            (SLURM_STEP, "1"),
            (SLURM_COUNT, "4"),
        ];
        let err = resolve(spec, env(&list)).expect_err("refused");
        assert!(err.contains("--array=0-3"), "{err}");
        let err = resolve(spec, env(&[(SLURM_TASK_ID, "2")])).expect_err("refused");
        assert!(err.contains("env/N"), "{err}");
    }

    #[test]
    fn kubernetes_wins_and_neither_is_an_error() {
        let both = [(KUBERNETES_INDEX, "1"), (SLURM_TASK_ID, "5")];
        assert_eq!(
            resolve(ShardSpec::FromEnv { count: Some(4) }, env(&both)),
            Ok(shard(2, 4))
        );
        let err = resolve(ShardSpec::FromEnv { count: Some(4) }, env(&[])).expect_err("refused");
        assert!(
            err.contains(KUBERNETES_INDEX) && err.contains(SLURM_TASK_ID) && err.contains("I/N"),
            "{err}"
        );
        assert_eq!(
            resolve(ShardSpec::Fixed(shard(2, 3)), env(&both)),
            Ok(shard(2, 3))
        );
    }
}
