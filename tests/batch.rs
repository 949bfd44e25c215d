//! Whole-program tests of a batch split over machines: `batch --shard env/N` inside a
//! Kubernetes Indexed Job or a Slurm job array, and `batch merge` of the shards giving
//! exactly the file and the summary of the batch run on one machine.

use std::path::Path;
use std::process::{Command, Output};

/// `cyberdrill` in `dir` with only these job-array variables set (none inherited).
fn cyberdrill(dir: &Path, env: &[(&str, &str)], args: &[&str]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_cyberdrill"));
    command.current_dir(dir).args(args);
    for name in [
        "JOB_COMPLETION_INDEX",
        "SLURM_ARRAY_TASK_ID",
        "SLURM_ARRAY_TASK_MIN",
        "SLURM_ARRAY_TASK_MAX",
        "SLURM_ARRAY_TASK_STEP",
        "SLURM_ARRAY_TASK_COUNT",
    ] {
        command.env_remove(name);
    }
    command.envs(env.iter().copied());
    command
        .output()
        .unwrap_or_else(|e| panic!("cannot run cyberdrill {args:?}: {e}"))
}

fn ok(dir: &Path, env: &[(&str, &str)], args: &[&str]) -> Vec<u8> {
    let out = cyberdrill(dir, env, args);
    assert!(
        out.status.success(),
        "cyberdrill {args:?} with {env:?} failed ({:?}):\n{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

fn user_error(dir: &Path, args: &[&str]) -> String {
    let out = cyberdrill(dir, &[], args);
    assert_eq!(
        out.status.code(),
        Some(1),
        "cyberdrill {args:?} should fail with 1:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// A small batch of two policies: 7 seeds, 8 ticks each.
fn batch_args<'a>(out: &'a str, shard: Option<&'a str>) -> Vec<&'a str> {
    let mut args = vec![
        "batch",
        "tutorial",
        "--runs",
        "7",
        "--seed-start",
        "40",
        "--ticks",
        "8",
        "--policy",
        "idle,cooperative",
        "--out",
        out,
    ];
    if let Some(shard) = shard {
        args.extend(["--shard", shard]);
    }
    args
}

fn read(dir: &Path, name: &str) -> Vec<u8> {
    std::fs::read(dir.join(name)).unwrap_or_else(|e| panic!("cannot read {name}: {e}"))
}

#[test]
fn shards_from_job_arrays_merge_into_exactly_the_single_run() {
    let single = tempfile::tempdir().expect("tempdir");
    let printed = ok(single.path(), &[], &batch_args("runs.jsonl", None));

    let shards = tempfile::tempdir().expect("tempdir");
    let dir = shards.path();
    // Kubernetes: completion indexes 0 and 1 of a Job with completions: 3.
    for index in ["0", "1"] {
        let name = format!("k{index}.jsonl");
        ok(
            dir,
            &[("JOB_COMPLETION_INDEX", index)],
            &batch_args(&name, Some("env/3")),
        );
    }
    // Slurm, `--array=1-3`: task 3 is the last of three shards; N from the array.
    let slurm = [
        ("SLURM_ARRAY_TASK_ID", "3"),
        ("SLURM_ARRAY_TASK_MIN", "1"),
        ("SLURM_ARRAY_TASK_MAX", "3"),
        ("SLURM_ARRAY_TASK_STEP", "1"),
        ("SLURM_ARRAY_TASK_COUNT", "3"),
    ];
    let last = ok(dir, &slurm, &batch_args("s3.jsonl", Some("env")));
    assert!(
        String::from_utf8_lossy(&last).contains("shard 3/3"),
        "{}",
        String::from_utf8_lossy(&last)
    );
    // The same slice given by hand is the same file.
    ok(dir, &[], &batch_args("fixed3.jsonl", Some("3/3")));
    assert_eq!(read(dir, "s3.jsonl"), read(dir, "fixed3.jsonl"));

    // Shards in any order.
    let merged = ok(
        dir,
        &[],
        &[
            "batch",
            "merge",
            "s3.jsonl",
            "k0.jsonl",
            "k1.jsonl",
            "--out",
            "runs.jsonl",
        ],
    );
    assert_eq!(
        read(dir, "runs.jsonl"),
        read(single.path(), "runs.jsonl"),
        "the merged file differs from the single run's"
    );
    assert_eq!(
        String::from_utf8_lossy(&merged),
        String::from_utf8_lossy(&printed),
        "the merged summary differs from the single run's"
    );
    let text = String::from_utf8_lossy(&printed);
    assert!(
        text.starts_with("14 run(s) of tutorial (seeds 40..=46) written to runs.jsonl")
            && text.contains("regional_loss")
            && text.contains("cooperative"),
        "{text}"
    );
}

#[test]
fn merge_refuses_missing_repeated_and_damaged_shards() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path();
    for i in 1..=3 {
        let shard = format!("{i}/3");
        ok(dir, &[], &batch_args(&format!("p{i}.jsonl"), Some(&shard)));
    }
    let merge = |files: &[&str], out: &str| {
        let mut args = vec!["batch", "merge"];
        args.extend_from_slice(files);
        args.extend(["--out", out]);
        user_error(dir, &args)
    };
    let err = merge(&["p1.jsonl", "p3.jsonl"], "m.jsonl");
    assert!(
        err.contains("missing") && err.contains("seeds 42..=43"),
        "{err}"
    );
    let err = merge(&["p1.jsonl", "p2.jsonl", "p2.jsonl", "p3.jsonl"], "m.jsonl");
    assert!(err.contains("given twice"), "{err}");
    let err = merge(&["p1.jsonl", "p2.jsonl", "p3.jsonl"], "p2.jsonl");
    assert!(err.contains("also one of the shard files"), "{err}");
    assert!(
        !read(dir, "p2.jsonl").is_empty(),
        "an input was overwritten"
    );

    // A shard cut short in the middle of a line (its machine died while writing).
    let whole = read(dir, "p2.jsonl");
    std::fs::write(dir.join("cut.jsonl"), &whole[..whole.len() - 30]).expect("write");
    let err = merge(&["p1.jsonl", "cut.jsonl", "p3.jsonl"], "m.jsonl");
    let lines = whole.iter().filter(|&&b| b == b'\n').count();
    assert!(
        err.contains(&format!("cut.jsonl:{lines}")) && err.contains("cut short"),
        "{err}"
    );

    let err = user_error(dir, &batch_args("x.jsonl", Some("env/3")));
    assert!(
        err.contains("JOB_COMPLETION_INDEX") && err.contains("SLURM_ARRAY_TASK_ID"),
        "{err}"
    );
    let out = cyberdrill(
        dir,
        &[("JOB_COMPLETION_INDEX", "3")],
        &batch_args("x.jsonl", Some("env/3")),
    );
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("shard 4") && err.contains("agree"), "{err}");
}
