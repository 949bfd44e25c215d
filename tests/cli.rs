//! The command-line contract (README.md and each subcommand's `--help`), across every subcommand: each has `--help`
//! with an example, user errors exit 1 with a message on stderr, and no argument vector
//! makes the binary panic (exit 101).

mod scratch;

use std::process::{Command, Output, Stdio};

fn cyberdrill(args: &[&str]) -> Output {
    match Command::new(env!("CARGO_BIN_EXE_cyberdrill"))
        .args(args)
        .current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
        .stdin(Stdio::null())
        .output()
    {
        Ok(output) => output,
        Err(err) => panic!("cannot run cyberdrill: {err}"),
    }
}

/// Every subcommand of the command line (and the authoring helper).
const SUBCOMMANDS: &[&str] = &[
    "play",
    "serve",
    "join",
    "bot",
    "validate",
    "inspect",
    "schema",
    "run",
    "replay",
    "report",
    "batch",
    "balance",
    "branch",
    "scenario",
    "msel",
    "attack-layer",
    "campaign",
    "package",
];

/// Subcommands this build provides, as listed by the top-level `--help`.
fn listed_subcommands() -> Vec<String> {
    let output = cyberdrill(&["--help"]);
    assert!(output.status.success());
    let text = String::from_utf8_lossy(&output.stdout).into_owned();
    text.lines()
        .skip_while(|line| !line.starts_with("Commands:"))
        .skip(1)
        .take_while(|line| line.starts_with("  "))
        .filter_map(|line| line.split_whitespace().next().map(str::to_owned))
        .filter(|name| name != "help")
        .collect()
}

#[test]
fn top_level_help_lists_the_core_subcommands() {
    let listed = listed_subcommands();
    for core in [
        "play", "validate", "inspect", "schema", "run", "replay", "report", "batch",
    ] {
        assert!(
            listed.iter().any(|name| name == core),
            "`{core}` missing from --help: {listed:?}"
        );
    }
    for name in &listed {
        assert!(
            SUBCOMMANDS.contains(&name.as_str()),
            "undocumented subcommand `{name}`"
        );
    }
}

#[test]
fn every_subcommand_has_help_with_an_example() {
    for name in listed_subcommands() {
        let output = cyberdrill(&[&name, "--help"]);
        assert_eq!(output.status.code(), Some(0), "`{name} --help` exit code");
        let help = String::from_utf8_lossy(&output.stdout);
        assert!(
            help.contains("Example"),
            "`{name} --help` shows no example:\n{help}"
        );
        assert!(
            help.contains(&format!("cyberdrill {name}")),
            "`{name} --help` example does not show the command:\n{help}"
        );
    }
}

#[test]
fn version_prints_the_package_version() {
    let output = cyberdrill(&["--version"]);
    assert_eq!(output.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&output.stdout).contains(env!("CARGO_PKG_VERSION")));
}

#[test]
fn bad_arguments_are_user_errors_not_crashes() {
    let cases: &[&[&str]] = &[
        &["frobnicate"],
        &["--no-such-flag"],
        &["validate"],
        &["run"],
        &["run", "scenarios/tutorial.toml", "--seed", "minus-one"],
        &["run", "scenarios/tutorial.toml", "--policy", "heroic"],
        &["run", "scenarios/tutorial.toml", "--ticks", "-5"],
        &["run", "does/not/exist.toml"],
        &["inspect", "does/not/exist.toml"],
        &["replay", "does/not/exist.journal"],
        &[
            "batch",
            "scenarios/tutorial.toml",
            "--runs",
            "0",
            "--out",
            "/nonexistent/dir/x.jsonl",
        ],
        &["play", "does/not/exist.toml"],
        &[
            "package",
            "does/not/exist.toml",
            "--out",
            "/nonexistent/dir",
        ],
        &[
            "campaign",
            "import",
            "does/not/exist.json",
            "--into",
            "scenarios/tutorial.toml",
        ],
        &[
            "campaign",
            "import",
            "Cargo.toml",
            "--into",
            "scenarios/tutorial.toml",
        ],
        &[
            "msel",
            "export",
            "scenarios/tutorial.toml",
            "--out",
            "msel.ods",
        ],
        &[
            "attack-layer",
            "does/not/exist.toml",
            "--out",
            "/nonexistent/layer.json",
        ],
    ];
    for args in cases {
        let output = cyberdrill(args);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(
            output.status.code(),
            Some(1),
            "`cyberdrill {}` should be a user error (exit 1), stderr:\n{stderr}",
            args.join(" ")
        );
        assert!(
            !stderr.trim().is_empty(),
            "`cyberdrill {}` exits 1 without saying why",
            args.join(" ")
        );
        assert!(
            !stderr.contains("panicked"),
            "`cyberdrill {}` panicked:\n{stderr}",
            args.join(" ")
        );
    }
}

#[test]
fn a_missing_file_is_named_in_the_error() {
    let output = cyberdrill(&["inspect", "no-such-scenario.toml"]);
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("no-such-scenario.toml"), "{stderr}");
}

#[test]
fn a_reader_that_goes_away_ends_the_output_quietly() {
    // `cyberdrill schema | head -0`: the pipe is closed before anything is written.
    for args in [
        vec!["schema"],
        vec!["inspect", "--json", "scenarios/apec-regional.toml"],
        vec!["validate", "scenarios/tutorial.toml"],
    ] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_cyberdrill"))
            .args(&args)
            .current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the binary runs");
        drop(child.stdout.take());
        let out = child.wait_with_output().expect("it ends");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {stderr}");
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
    }
}

#[test]
fn commands_that_take_a_scenario_take_a_bundled_scenarios_name() {
    // From a directory without scenario files: the names are the bundled scenarios'.
    let dir = scratch::dir("cli-bundled-names");
    for args in [
        vec!["inspect", "tutorial"],
        vec!["inspect", "apec-regional", "--json"],
        vec!["run", "itu-cirt-drill", "--ticks", "2", "--json"],
    ] {
        let out = Command::new(env!("CARGO_BIN_EXE_cyberdrill"))
            .args(&args)
            .current_dir(&dir)
            .output()
            .expect("the binary runs");
        assert_eq!(
            out.status.code(),
            Some(0),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}
