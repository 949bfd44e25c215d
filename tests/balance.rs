//! `cyberdrill balance`, run as a user runs it: the findings on a scenario built to be
//! unbalanced, `--deny-warnings` for CI, and the pinned statistics of every bundled
//! scenario over seeds, so that a change of the model shows up as a reviewed diff.
//!
//! After an intended change of the model or of a bundled scenario, regenerate the pinned
//! statistics with `CYBERDRILL_BLESS_GOLDEN=1 cargo test -p cyberdrill --test balance`
//! and say why in the commit.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use cyberdrill_engine::scenario::bundled;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn balance(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_cyberdrill"))
        .arg("balance")
        .args(args)
        .current_dir(root())
        .output()
        .expect("the cyberdrill binary runs")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

const UNBALANCED: &str = "tests/fixtures/unbalanced.toml";

#[test]
fn an_unreachable_objective_a_never_firing_inject_and_a_dormant_campaign_are_warned() {
    let output = balance(&[UNBALANCED, "--runs", "4"]);
    let text = stdout(&output);
    assert!(
        output.status.success(),
        "{text}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    for warning in [
        "warning: objective `out-of-reach` is never met, under any of the 3 policies",
        "warning: inject `never-fires` never fires, under any policy: its condition never holds",
        "warning: campaign `dormant` never starts, under any policy",
    ] {
        assert!(text.contains(warning), "no «{warning}» in:\n{text}");
    }
    // The table says it per policy.
    let row = text
        .lines()
        .find(|l| l.starts_with("never-fires "))
        .expect("a row for the inject");
    assert_eq!(
        row.matches("never").count(),
        4,
        "the id and three policies: {row}"
    );
    assert!(text.contains("regional loss p50 [p5, p95]"));
    // The p50 in context: a share of the region's output for the exercise.
    let share = text
        .lines()
        .find(|l| l.starts_with("p50's share of the output"))
        .expect("a row for the share of output");
    assert_eq!(share.matches('%').count(), 3, "one per policy: {share}");
    // Nothing is said of what does happen: the reachable objective and the injects that fire.
    assert!(!text.contains("`news-phish`"), "{text}");
}

#[test]
fn deny_warnings_fails_on_a_warning_and_json_carries_the_findings() {
    let output = balance(&[UNBALANCED, "--runs", "2", "--deny-warnings"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stderr).contains("--deny-warnings"));
    let output = balance(&[UNBALANCED, "--runs", "2", "--policy", "idle", "--json"]);
    assert!(output.status.success());
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).expect("json");
    assert_eq!(json["seeds"], serde_json::json!([1, 2]));
    assert_eq!(json["policies"].as_array().map(Vec::len), Some(1));
    let findings = json["findings"].as_array().expect("findings");
    assert!(
        findings
            .iter()
            .any(|f| f["warning"] == true
                && f["text"].as_str().is_some_and(|t| t.contains("dormant")))
    );
}

#[test]
fn bad_arguments_are_refused_with_the_reason() {
    let output = balance(&[UNBALANCED, "--runs", "0"]);
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("--runs must be at least 1"));
    let output = balance(&["no-such-scenario.toml"]);
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("bundled scenario by name"));
}

/// Seeds per policy for the pinned statistics: enough to catch a change of the model,
/// few enough for a debug build.
const GOLDEN_RUNS: &str = "8";

#[test]
fn bundled_scenarios_keep_their_pinned_outcome_statistics() {
    let bless = std::env::var_os("CYBERDRILL_BLESS_GOLDEN").is_some();
    let mut changed = Vec::new();
    for (file, _) in bundled::all() {
        let name = file.trim_end_matches(".toml");
        let output = balance(&[name, "--runs", GOLDEN_RUNS]);
        assert!(output.status.success(), "{name}");
        let text = stdout(&output);
        let path = root().join(format!("tests/golden/balance-{name}.txt"));
        if bless {
            std::fs::write(&path, &text).expect("write the pinned statistics");
            continue;
        }
        let pinned = std::fs::read_to_string(&path).unwrap_or_else(|e| {
            panic!(
                "{}: {e} (CYBERDRILL_BLESS_GOLDEN=1 writes it)",
                path.display()
            )
        });
        if pinned != text {
            changed.push(format!("--- {}\n{pinned}+++ now\n{text}", path.display()));
        }
    }
    assert!(
        changed.is_empty(),
        "the outcome statistics changed (review, then bless with CYBERDRILL_BLESS_GOLDEN=1):\n{}",
        changed.join("\n")
    );
}
