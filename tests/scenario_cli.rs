//! `cyberdrill scenario`: list, export and generate, run as the real binary.

use std::path::PathBuf;
use std::process::{Command, Output};

fn cyberdrill(args: &[&str]) -> Output {
    match Command::new(env!("CARGO_BIN_EXE_cyberdrill"))
        .args(args)
        .output()
    {
        Ok(output) => output,
        Err(err) => panic!("cannot run cyberdrill {args:?}: {err}"),
    }
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn scratch_file(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("cyberdrill-scenario-cli-{}", std::process::id()));
    if let Err(err) = std::fs::create_dir_all(&dir) {
        panic!("cannot create {}: {err}", dir.display());
    }
    dir.join(name)
}

fn repository_file(relative: &str) -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join(relative);
    match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(err) => panic!("cannot read {}: {err}", path.display()),
    }
}

#[test]
fn list_names_the_three_bundled_scenarios() {
    let output = cyberdrill(&["scenario", "list"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let text = stdout(&output);
    for name in ["tutorial", "apec-regional", "itu-cirt-drill"] {
        assert!(text.contains(name), "{name} missing from:\n{text}");
    }
    assert!(
        text.contains("Coral Rim 2026"),
        "titles are listed:\n{text}"
    );
}

#[test]
fn export_prints_the_bundled_file_byte_for_byte() {
    let output = cyberdrill(&["scenario", "export", "tutorial"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(stdout(&output), repository_file("scenarios/tutorial.toml"));

    let path = scratch_file("apec.toml");
    let path_arg = path.to_string_lossy().into_owned();
    let output = cyberdrill(&[
        "scenario",
        "export",
        "apec-regional.toml",
        "--out",
        &path_arg,
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let written = std::fs::read_to_string(&path).unwrap_or_default();
    assert_eq!(written, repository_file("scenarios/apec-regional.toml"));
}

#[test]
fn export_of_an_unknown_scenario_is_a_user_error_listing_the_known_ones() {
    let output = cyberdrill(&["scenario", "export", "atlantis"]);
    assert_eq!(output.status.code(), Some(1));
    let message = stderr(&output);
    assert!(
        message.contains("atlantis") && message.contains("itu-cirt-drill"),
        "{message}"
    );
}

#[test]
fn generate_is_deterministic_and_out_writes_the_same_bytes() {
    let args = [
        "scenario",
        "generate",
        "--economies",
        "4",
        "--assets",
        "250",
        "--seed",
        "12",
    ];
    let first = cyberdrill(&args);
    let second = cyberdrill(&args);
    assert_eq!(first.status.code(), Some(0), "{}", stderr(&first));
    assert_eq!(first.stdout, second.stdout);
    let text = stdout(&first);
    // Sum `count` over the `[[asset_group]]` blocks only (injects have counts too).
    let mut in_group = false;
    let mut members = 0u64;
    for line in text.lines() {
        if line.starts_with('[') {
            in_group = line == "[[asset_group]]";
        } else if let Some(n) = line.strip_prefix("count = ").filter(|_| in_group) {
            members += n.trim().parse::<u64>().unwrap_or(0);
        }
    }
    assert_eq!(members, 250, "asset group members add up to --assets");
    assert_eq!(text.matches("[[economy]]").count(), 4);

    let other_seed = cyberdrill(&[
        "scenario",
        "generate",
        "--economies",
        "4",
        "--assets",
        "250",
        "--seed",
        "13",
    ]);
    assert_ne!(first.stdout, other_seed.stdout);

    let path = scratch_file("generated.toml");
    let path_arg = path.to_string_lossy().into_owned();
    let mut with_out = args.to_vec();
    with_out.extend(["--out", &path_arg]);
    let output = cyberdrill(&with_out);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(output.stdout.is_empty());
    assert_eq!(std::fs::read(&path).unwrap_or_default(), first.stdout);
}

#[test]
fn generate_rejects_impossible_options_with_exit_code_1() {
    for (args, expected) in [
        (vec!["--economies", "0", "--assets", "10"], "at least 1"),
        (vec!["--economies", "5", "--assets", "3"], "fewer than"),
        (
            vec!["--economies", "five", "--assets", "3"],
            "invalid value",
        ),
    ] {
        let mut full = vec!["scenario", "generate"];
        full.extend(args);
        let output = cyberdrill(&full);
        assert_eq!(output.status.code(), Some(1), "{full:?}");
        assert!(
            stderr(&output).contains(expected),
            "{full:?}: {}",
            stderr(&output)
        );
    }
}

#[test]
fn generate_into_a_missing_directory_says_which_path_failed() {
    let output = cyberdrill(&[
        "scenario",
        "generate",
        "--economies",
        "1",
        "--assets",
        "1",
        "--out",
        "/nonexistent-dir-for-cyberdrill/x.toml",
    ]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("/nonexistent-dir-for-cyberdrill/x.toml"));
}
