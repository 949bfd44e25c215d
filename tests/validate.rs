//! Whole-program tests of `cyberdrill validate`, `inspect` and `schema`: the real binary
//! on the corpus of bad scenarios in `tests/bad/` (one per class of error), with the
//! rendered diagnostics pinned by snapshots and the key `FILE:LINE:COL: message` lines
//! asserted exactly.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Runs the binary from the workspace root, so paths in its output are relative.
fn cyberdrill(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_cyberdrill"))
        .args(args)
        .current_dir(workspace())
        .output()
        .expect("the cyberdrill binary runs")
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// Validates one bad file: exit code 1, a summary line, and the rendered diagnostics;
/// then the same file with `--format short`, one line per diagnostic.
fn validate_bad(name: &str) -> (String, String) {
    let path = format!("tests/bad/{name}");
    let output = cyberdrill(&["validate", &path]);
    assert_eq!(output.status.code(), Some(1), "{path}: {}", stderr(&output));
    assert!(
        stdout(&output).starts_with(&format!("{path}: invalid, ")),
        "{}",
        stdout(&output)
    );
    let short = cyberdrill(&["validate", "--format", "short", &path]);
    assert_eq!(short.status.code(), Some(1), "{path}: {}", stderr(&short));
    assert_eq!(stdout(&short), "", "--format short prints no summary");
    (stderr(&output), stderr(&short))
}

/// The exact `FILE:LINE:COL: severity[code]: message` of each class (as `--format short`
/// prints them), and the snapshot of the full output for people.
const EXPECTED: &[(&str, &[&str])] = &[
    (
        "agreement.toml",
        &[
            "tests/bad/agreement.toml:125:11: error[too-few-parties]: an agreement needs at least two different parties",
            "tests/bad/agreement.toml:125:18: warning[repeated]: `ar` is listed twice",
        ],
    ),
    (
        "dangling-actor.toml",
        &["tests/bad/dangling-actor.toml:77:9: error[unknown-reference]: unknown actor `fin_gang`"],
    ),
    (
        "dangling-asset.toml",
        &[
            "tests/bad/dangling-asset.toml:56:22: error[unknown-reference]: unknown asset or asset group `ar-gird`",
        ],
    ),
    (
        "dangling-campaign.toml",
        &[
            "tests/bad/dangling-campaign.toml:83:6: warning[never-starts]: campaign `ransom-switch` can never start",
            "tests/bad/dangling-campaign.toml:101:31: error[unknown-reference]: unknown campaign `ransom-swich`",
        ],
    ),
    (
        "dangling-economy.toml",
        &["tests/bad/dangling-economy.toml:47:11: error[unknown-reference]: unknown economy `aar`"],
    ),
    (
        "dangling-group.toml",
        &[
            "tests/bad/dangling-group.toml:87:23: error[unknown-reference]: unknown asset or asset group `bo-banks`",
        ],
    ),
    (
        "dangling-inject.toml",
        &[
            "tests/bad/dangling-inject.toml:106:20: error[unknown-reference]: unknown inject `ransom-begin`",
        ],
    ),
    (
        "dangling-sector.toml",
        &[
            "tests/bad/dangling-sector.toml:79:24: error[unknown-reference]: unknown sector `finanse`",
        ],
    ),
    (
        "dangling-team.toml",
        &["tests/bad/dangling-team.toml:107:19: error[unknown-reference]: unknown team `bo-cirt`"],
    ),
    (
        "dotted-key.toml",
        &["tests/bad/dotted-key.toml:4:64: error[too-deep]: dotted key has more than 32 parts"],
    ),
    (
        "duplicate-id.toml",
        &[
            "tests/bad/duplicate-id.toml:35:6: error[duplicate-id]: duplicate economy id `ar`",
            "tests/bad/duplicate-id.toml:71:6: error[duplicate-id]: member `bo-bank-2` of group `bo-bank` has the id of another asset",
            "tests/bad/duplicate-id.toml:87:6: error[duplicate-id]: duplicate actor id `fin-gang`",
        ],
    ),
    (
        "empty-targets.toml",
        &[
            "tests/bad/empty-targets.toml:79:11: error[no-targets]: the campaign's targets match no asset",
        ],
    ),
    (
        "empty.toml",
        &["tests/bad/empty.toml:1:1: error[missing-section]: missing `[scenario]` table"],
    ),
    (
        "group-count.toml",
        &["tests/bad/group-count.toml:61:9: error[out-of-range]: `count` must be at least 1"],
    ),
    (
        "inject-timing.toml",
        &[
            "tests/bad/inject-timing.toml:106:42: warning[fires-too-late]: this delay puts the inject at tick 32 at the earliest, after the end of the exercise (tick 24)",
            "tests/bad/inject-timing.toml:112:34: warning[never-fires]: inject `minister-call` never fires by itself, so this condition never holds",
            "tests/bad/inject-timing.toml:118:20: error[inject-cycle]: injects wait for each other in a cycle: `loop-a` -> `loop-b` -> `loop-a`",
            "tests/bad/inject-timing.toml:128:25: warning[never-fires]: inject `loop-b` never fires by itself, so this condition never holds",
        ],
    ),
    (
        "limits.toml",
        &[
            "tests/bad/limits.toml:9:18: error[over-limit]: `duration_ticks` is 4294967295, more than the maximum of 100000",
            "tests/bad/limits.toml:88:13: error[over-limit]: `intensity` is 4294967295, more than the maximum of 10000",
        ],
    ),
    (
        "missing-field.toml",
        &[
            "tests/bad/missing-field.toml:27:1: error[missing-field]: missing field `name` in `economy[1]`",
        ],
    ),
    (
        "nesting.toml",
        &[
            "tests/bad/nesting.toml:99:520: error[too-deep]: arrays and inline tables nested more than 64 deep",
        ],
    ),
    (
        "not-an-array.toml",
        &[
            "tests/bad/not-an-array.toml:122:1: error[wrong-type]: `agreement` must be a list of tables",
        ],
    ),
    (
        "not-utf8.toml",
        &[
            "tests/bad/not-utf8.toml:3:10: error[not-utf8]: the file is not valid UTF-8: byte 0xE9 at offset 53",
        ],
    ),
    (
        "objectives.toml",
        &[
            "tests/bad/objectives.toml:132:8: error[out-of-reach]: team `ar-police` (law_enforcement) has no action that can move this goal",
            "tests/bad/objectives.toml:145:8: error[out-of-reach]: team `ar-regulator` (regulator) works in `ar` and has no action that reaches `bo`",
            "tests/bad/objectives.toml:151:8: error[unknown-reference]: unknown team `bo-police`",
        ],
    ),
    (
        "out-of-range.toml",
        &[
            "tests/bad/out-of-range.toml:31:23: error[out-of-range]: `legal` is 130, out of range",
            "tests/bad/out-of-range.toml:37:41: error[out-of-range]: `resilience` is 0, out of range",
            "tests/bad/out-of-range.toml:42:47: error[out-of-range]: `criticality` is 7, out of range",
            "tests/bad/out-of-range.toml:72:14: error[out-of-range]: `actor[0].capability`: integer `300` is out of range: expected a whole number from 0 to 255",
            "tests/bad/out-of-range.toml:89:10: error[out-of-range]: `impact` is 1.5, out of range",
        ],
    ),
    (
        "syntax.toml",
        &[
            "tests/bad/syntax.toml:7:43: error[toml-syntax]: invalid TOML: invalid basic string, expected `\"`",
            "tests/bad/syntax.toml:72:13: error[toml-syntax]: invalid TOML: string values must be quoted, expected literal string",
        ],
    ),
    (
        "triggers.toml",
        &[
            "tests/bad/triggers.toml:80:9: error[tick-after-end]: `start` is tick 30, after the end of the exercise (tick 24)",
            "tests/bad/triggers.toml:83:6: warning[never-starts]: campaign `ransom-switch` can never start",
            "tests/bad/triggers.toml:94:8: error[conflicting-fields]: inject has both `at` and `when`",
            "tests/bad/triggers.toml:100:8: error[never-holds]: this condition can never hold, so the inject never fires",
            "tests/bad/triggers.toml:113:20: error[inject-cycle]: injects wait for each other in a cycle: `loop-a` -> `loop-b` -> `loop-a`",
        ],
    ),
    (
        "truncated.toml",
        &[
            "tests/bad/truncated.toml:70:15: error[toml-syntax]: invalid TOML: invalid basic string, expected `\"`",
        ],
    ),
    (
        "unknown-field.toml",
        &[
            "tests/bad/unknown-field.toml:37:28: error[unknown-field]: unknown field `resilence` in `sector[0].asset`",
            "tests/bad/unknown-field.toml:72:1: error[unknown-field]: unknown field `capabilty` in `actor[0]`",
        ],
    ),
    (
        "unknown-section.toml",
        &["tests/bad/unknown-section.toml:68:3: error[unknown-section]: unknown section `actors`"],
    ),
    (
        "unknown-variant.toml",
        &[
            "tests/bad/unknown-variant.toml:86:8: error[unknown-value]: unknown value `ransomwre` for `campaign[1].kind`",
            "tests/bad/unknown-variant.toml:119:8: error[unknown-value]: unknown value `cert` for `team[1].role`",
        ],
    ),
    (
        "weights.toml",
        &[
            "tests/bad/weights.toml:50:22: error[self-dependency]: `ar-grid` depends on itself",
            "tests/bad/weights.toml:50:78: error[out-of-range]: dependency weight 0 is out of range",
            "tests/bad/weights.toml:57:14: error[weights-over-one]: dependency weights add up to 1.3, more than 1",
        ],
    ),
    (
        "wrong-type.toml",
        &[
            "tests/bad/wrong-type.toml:30:14: error[wrong-type]: `economy[1].population`: expected a whole number, 0 or more, found string \"12 million\"",
            "tests/bad/wrong-type.toml:114:12: error[wrong-type]: `team[0].analysts`: expected a whole number from 0 to 4294967295, found floating point `6.5`",
        ],
    ),
];

#[test]
fn every_bad_file_is_rejected_with_exact_locations() {
    let mut failures = Vec::new();
    for (name, lines) in EXPECTED {
        let (out, short) = validate_bad(name);
        for line in *lines {
            if !short.lines().any(|l| l == *line) {
                failures.push(format!("{name}: missing `{line}` in:\n{short}"));
            }
            // The same diagnostic, for people: its headline, then its location.
            let (location, rest) = line.split_at(line.find(": ").unwrap_or(0));
            let headline = format!("{}\n", &rest[2..]);
            let arrow = format!("--> {location}\n");
            if !out.contains(&headline) || !out.contains(&arrow) {
                failures.push(format!("{name}: no `{headline}` at `{arrow}` in:\n{out}"));
            }
        }
        assert_eq!(
            short.lines().count(),
            lines.len(),
            "{name}: more diagnostics than expected:\n{short}"
        );
        insta::assert_snapshot!(name.trim_end_matches(".toml"), out);
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn the_corpus_has_an_expectation_for_every_file() {
    let mut on_disk: Vec<String> = std::fs::read_dir(workspace().join("tests/bad"))
        .expect("tests/bad exists")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    on_disk.sort();
    let mut expected: Vec<String> = EXPECTED.iter().map(|(n, _)| (*n).to_owned()).collect();
    expected.sort();
    assert_eq!(on_disk, expected);
}

#[test]
fn valid_files_pass_and_warnings_do_not_fail() {
    let output = cyberdrill(&[
        "validate",
        "tests/good/two-economies.toml",
        "tests/good/with-warning.toml",
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(
        stdout(&output),
        "tests/good/two-economies.toml: ok, 0 warnings\ntests/good/with-warning.toml: ok, 1 warning\n"
    );
    assert!(
        stderr(&output).contains("warning[never-starts]: campaign `ransom-switch` can never start")
    );
}

#[test]
fn one_bad_file_among_good_ones_fails_and_missing_files_are_reported() {
    let output = cyberdrill(&[
        "validate",
        "tests/good/two-economies.toml",
        "tests/bad/empty.toml",
        "tests/no-such-file.toml",
    ]);
    assert_eq!(output.status.code(), Some(1));
    let out = stdout(&output);
    assert!(out.contains("tests/good/two-economies.toml: ok"), "{out}");
    assert!(
        out.contains("tests/bad/empty.toml: invalid, 1 error, 0 warnings"),
        "{out}"
    );
    assert!(stderr(&output).contains("cannot read scenario file `tests/no-such-file.toml`"));
}

#[test]
fn inspect_json_has_the_documented_shape() {
    let output = cyberdrill(&["inspect", "tests/good/two-economies.toml", "--json"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let value: serde_json::Value = serde_json::from_slice(&output.stdout).expect("one JSON object");
    assert_eq!(value["title"], "Two economies, one payment switch");
    assert_eq!(
        value["economies"][1],
        serde_json::json!({"id": "bo", "name": "Borlandia"})
    );
    assert_eq!(
        value["teams"][0],
        serde_json::json!({"id": "ar-csirt", "role": "csirt", "economy": "ar"})
    );
    assert_eq!(
        value["counts"],
        serde_json::json!({
            "sectors": 2, "assets": 5, "dependencies": 4, "cross_border_dependencies": 3,
            "campaigns": 2, "injects": 3, "objectives": 2
        })
    );
}

#[test]
fn inspect_text_and_errors() {
    let output = cyberdrill(&["inspect", "tests/good/two-economies.toml"]);
    assert_eq!(output.status.code(), Some(0));
    let out = stdout(&output);
    assert!(
        out.starts_with("Two economies, one payment switch (two-economies)\n"),
        "{out}"
    );
    assert!(
        out.contains("assets: 5 with 4 dependencies (3 across borders)"),
        "{out}"
    );
    let output = cyberdrill(&["inspect", "tests/bad/dangling-team.toml"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("unknown team `bo-cirt`"));
}

#[test]
fn schema_is_json_schema_with_every_section() {
    let output = cyberdrill(&["schema"]);
    assert_eq!(output.status.code(), Some(0));
    let value: serde_json::Value = serde_json::from_slice(&output.stdout).expect("valid JSON");
    assert!(
        value["$schema"]
            .as_str()
            .is_some_and(|s| s.contains("json-schema.org"))
    );
    let properties = value["properties"]
        .as_object()
        .expect("top-level properties");
    for section in [
        "scenario",
        "defaults",
        "economy",
        "sector",
        "asset",
        "asset_group",
        "actor",
        "campaign",
        "inject",
        "team",
        "agreement",
        "objective",
        "decision",
        "training_objective",
        "module",
    ] {
        assert!(properties.contains_key(section), "schema lacks `{section}`");
    }
    assert_eq!(value["required"], serde_json::json!(["scenario"]));
}

#[test]
fn validate_without_files_is_a_usage_error() {
    let output = cyberdrill(&["validate"]);
    assert_eq!(output.status.code(), Some(1));
}

#[test]
fn json_format_gives_codes_positions_and_labels_for_every_file() {
    let output = cyberdrill(&[
        "validate",
        "--format",
        "json",
        "tests/bad/duplicate-id.toml",
        "tests/good/with-warning.toml",
        "tests/no-such-file.toml",
    ]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert_eq!(stderr(&output), "", "json goes to stdout only");
    let value: serde_json::Value =
        serde_json::from_slice(&output.stdout).expect("one JSON document");
    assert_eq!(value["valid"], false);
    let files = value["files"].as_array().expect("files");
    assert_eq!(files.len(), 3);
    let bad = &files[0];
    assert_eq!(bad["file"], "tests/bad/duplicate-id.toml");
    assert_eq!(bad["valid"], false);
    assert_eq!(bad["errors"], 3);
    let first = &bad["diagnostics"][0];
    assert_eq!(first["code"], "duplicate-id");
    assert_eq!(first["severity"], "error");
    assert_eq!(first["message"], "duplicate economy id `ar`");
    assert_eq!(
        first["start"],
        serde_json::json!({"line": 35, "column": 6, "offset": first["start"]["offset"]})
    );
    assert_eq!(first["end"]["column"], 10);
    assert_eq!(first["labels"][0]["message"], "first declared here");
    assert_eq!(first["labels"][0]["start"]["line"], 21);
    assert!(first["hint"].as_str().is_some_and(|h| h.contains("unique")));
    let warned = &files[1];
    assert_eq!(warned["valid"], true);
    assert_eq!(warned["warnings"], 1);
    assert_eq!(warned["diagnostics"][0]["code"], "never-starts");
    assert!(
        files[2]["read_error"]
            .as_str()
            .is_some_and(|e| e.contains("cannot read scenario file"))
    );
}

#[test]
fn short_format_is_one_line_per_problem_and_silent_when_valid() {
    let output = cyberdrill(&[
        "validate",
        "--format",
        "short",
        "tests/good/two-economies.toml",
    ]);
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(stdout(&output), "");
    assert_eq!(stderr(&output), "");
    let output = cyberdrill(&[
        "validate",
        "--format",
        "short",
        "tests/good/with-warning.toml",
    ]);
    assert_eq!(output.status.code(), Some(0));
    let lines: Vec<String> = stderr(&output).lines().map(str::to_owned).collect();
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert!(
        lines[0].starts_with("tests/good/with-warning.toml:")
            && lines[0]
                .contains(": warning[never-starts]: campaign `ransom-switch` can never start"),
        "{lines:?}"
    );
}
