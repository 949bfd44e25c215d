//! `cyberdrill run` end to end: the real binary on the bundled scenarios.

mod scratch;

use std::process::{Command, Output};

fn cyberdrill(args: &[&str]) -> Output {
    match Command::new(env!("CARGO_BIN_EXE_cyberdrill"))
        .args(args)
        .current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
        .output()
    {
        Ok(output) => output,
        Err(err) => panic!("cannot run cyberdrill: {err}"),
    }
}

fn json_run(args: &[&str]) -> serde_json::Value {
    let output = cyberdrill(args);
    assert!(
        output.status.success(),
        "exit {:?}: {}",
        output.status.code(),
        String::from_utf8_lossy(&output.stderr)
    );
    let text = String::from_utf8_lossy(&output.stdout);
    assert_eq!(
        text.trim().lines().count(),
        1,
        "exactly one JSON object: {text}"
    );
    match serde_json::from_str(text.trim()) {
        Ok(value) => value,
        Err(err) => panic!("not JSON ({err}): {text}"),
    }
}

#[test]
fn json_report_has_the_documented_fields() {
    let report = json_run(&[
        "run",
        "scenarios/tutorial.toml",
        "--seed",
        "7",
        "--policy",
        "isolated",
        "--json",
    ]);
    assert_eq!(report["scenario"], "tutorial");
    assert_eq!(report["seed"], 7);
    let hash = report["state_hash"].as_str().unwrap_or_default();
    assert_eq!(hash.len(), 64);
    assert!(
        hash.chars()
            .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase())
    );
    let metrics = &report["metrics"];
    for field in [
        "regional_loss",
        "mean_availability",
        "min_trust",
        "incidents",
        "detected",
        "contained",
    ] {
        assert!(
            metrics[field].is_number(),
            "metrics.{field} missing: {metrics}"
        );
    }
    assert!(report["ticks"].as_u64().is_some_and(|t| t > 0));
    assert!(report["objectives"].is_array());
}

#[test]
fn same_seed_same_hash_and_ticks_limit_the_run() {
    let args = [
        "run",
        "apec-regional",
        "--seed",
        "3",
        "--ticks",
        "10",
        "--json",
    ];
    let a = json_run(&args);
    let b = json_run(&args);
    assert_eq!(a["state_hash"], b["state_hash"]);
    assert_eq!(a["ticks"], 10);
    let other = json_run(&[
        "run",
        "apec-regional",
        "--seed",
        "4",
        "--ticks",
        "10",
        "--json",
    ]);
    assert_ne!(a["state_hash"], other["state_hash"]);
}

#[test]
fn readable_summary_without_json() {
    let output = cyberdrill(&["run", "tutorial", "--seed", "1", "--policy", "idle"]);
    assert!(output.status.success());
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(text.contains("regional loss"), "{text}");
    assert!(text.contains("policy idle"), "{text}");
    assert!(text.contains("state hash "), "{text}");
}

#[test]
fn bad_input_is_a_user_error_not_a_panic() {
    let missing = cyberdrill(&["run", "no/such/file.toml"]);
    assert_eq!(missing.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("no/such/file.toml"));
    let policy = cyberdrill(&["run", "tutorial", "--policy", "heroic"]);
    assert_eq!(policy.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&policy.stderr).contains("idle, isolated or cooperative"));
    let bad = scratch::file("bad.toml");
    let _ = std::fs::write(&bad, "[scenario]\nid = 3\n");
    let invalid = cyberdrill(&["run", &bad.to_string_lossy()]);
    assert_eq!(invalid.status.code(), Some(1));
    assert!(!String::from_utf8_lossy(&invalid.stderr).is_empty());
}
