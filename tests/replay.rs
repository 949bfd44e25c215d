//! Whole-program tests of the journal, replay, report and batch commands: the real
//! `cyberdrill` binary, run as a user would.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn cyberdrill(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_cyberdrill"))
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("cannot run cyberdrill {args:?}: {e}"))
}

fn ok(args: &[&str]) -> Output {
    let out = cyberdrill(args);
    assert!(
        out.status.success(),
        "cyberdrill {args:?} failed ({:?}):\n{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

fn user_error(args: &[&str]) -> String {
    let out = cyberdrill(args);
    assert_eq!(
        out.status.code(),
        Some(1),
        "cyberdrill {args:?} should fail with 1:\nstdout {}\nstderr {}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn json(out: &Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not one JSON object ({e}):\n{}",
            String::from_utf8_lossy(&out.stdout)
        )
    })
}

fn scenario(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../scenarios")
        .join(name)
        .display()
        .to_string()
}

fn bundled() -> Vec<String> {
    ["tutorial.toml", "apec-regional.toml", "itu-cirt-drill.toml"]
        .iter()
        .map(|n| scenario(n))
        .collect()
}

fn path_str(p: &Path) -> &str {
    p.to_str()
        .unwrap_or_else(|| panic!("non-UTF-8 temp path {}", p.display()))
}

/// Records a cooperative run's journal and returns (journal path, run --json object).
fn record(dir: &Path, file: &str, seed: u64, ticks: Option<u32>) -> (PathBuf, serde_json::Value) {
    let journal = dir.join(format!("seed-{seed}.journal"));
    let seed = seed.to_string();
    let ticks = ticks.map(|t| t.to_string());
    let mut args = vec![
        "run",
        file,
        "--seed",
        &seed,
        "--policy",
        "cooperative",
        "--journal",
        path_str(&journal),
        "--json",
    ];
    if let Some(t) = &ticks {
        args.extend(["--ticks", t.as_str()]);
    }
    let live = json(&ok(&args));
    (journal, live)
}

#[test]
fn replay_equals_the_live_run_for_every_bundled_scenario_and_several_seeds() {
    let dir = tempfile::tempdir().expect("tempdir");
    for file in bundled() {
        for seed in [1u64, 7, 2024] {
            let sub = dir.path().join(format!("{}-{seed}", file.len()));
            std::fs::create_dir_all(&sub).expect("mkdir");
            let (journal, live) = record(&sub, &file, seed, None);
            let replayed = json(&ok(&["replay", path_str(&journal), "--verify", "--json"]));
            assert_eq!(
                replayed["state_hash"], live["state_hash"],
                "{file} seed {seed}: replay's final state differs from the live run"
            );
            assert_eq!(
                replayed, live,
                "{file} seed {seed}: replay --json differs from run --json"
            );
        }
    }
}

/// Rewrites one record of a journal as someone who knows the format would: the first
/// record `pick` selects is changed by `edit`, and the whole journal written anew, every
/// checksum and chain link recomputed. Only the final chain digest can tell.
fn rewrite_record(
    journal: &Path,
    pick: impl Fn(&serde_json::Value) -> bool,
    edit: impl Fn(&mut serde_json::Value),
) {
    use cyberdrill_engine::journal::{JournalWriter, Record, read_journal};
    let read = read_journal(journal).expect("journal reads");
    let mut done = false;
    let records: Vec<Record> = read
        .records
        .iter()
        .map(|record| {
            let mut value = serde_json::to_value(record).expect("record as JSON");
            if !done && pick(&value) {
                edit(&mut value);
                done = true;
            }
            serde_json::from_value(value).expect("still a record")
        })
        .collect();
    assert!(done, "no record matched");
    std::fs::remove_file(journal).expect("remove the original");
    let mut writer = JournalWriter::create(journal, &read.header).expect("create");
    for record in &records {
        writer.write(record).expect("write");
    }
    writer.close().expect("close");
}

#[test]
fn verify_reports_the_tick_where_a_replay_diverges() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (journal, _) = record(dir.path(), &scenario("tutorial.toml"), 3, Some(12));
    rewrite_record(
        &journal,
        |v| v["kind"] == "step" && v["tick"] == 5,
        |v| v["state_hash"] = serde_json::Value::String("ab".repeat(32)),
    );
    let err = user_error(&["replay", path_str(&journal), "--verify"]);
    assert!(err.contains("diverges at tick 5"), "{err}");
    assert!(err.contains(&"ab".repeat(32)), "{err}");
    // Without --verify the hashes are not compared.
    ok(&["replay", path_str(&journal)]);
}

#[test]
fn a_cut_journal_replays_up_to_its_last_whole_record() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (journal, live) = record(dir.path(), &scenario("tutorial.toml"), 5, Some(10));
    let bytes = std::fs::read(&journal).expect("bytes");
    let line_start = |end: usize| {
        bytes[..end - 1]
            .iter()
            .rposition(|&b| b == b'\n')
            .expect("lines")
            + 1
    };
    // The journal ends with its closing record, after the step marker of tick 10.
    let closing_start = line_start(bytes.len());
    let last_step_start = line_start(closing_start);
    for (start, end, ticks) in [
        (closing_start, bytes.len(), 10),
        (last_step_start, closing_start, 9),
    ] {
        // Cut the record in half.
        let cut = start + (end - start) / 2;
        std::fs::write(&journal, &bytes[..cut]).expect("write cut");
        let out = ok(&["replay", path_str(&journal), "--verify", "--json"]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains("cut off"), "{stderr}");
        assert!(
            stderr.contains(&format!("dropped {} byte", cut - start)),
            "{stderr}"
        );
        assert!(
            stderr.contains(&format!("ends at tick {ticks}, not closed")),
            "{stderr}"
        );
        let replayed = json(&out);
        assert_eq!(replayed["ticks"], ticks);
        assert_eq!(replayed["state_hash"] == live["state_hash"], ticks == 10);
    }
}

/// A journal cut exactly at a record boundary (here right after its header) used to
/// replay without a word; now it says where it ends.
#[test]
fn a_journal_cut_at_a_record_boundary_says_it_is_not_closed() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (journal, _) = record(dir.path(), &scenario("tutorial.toml"), 5, Some(6));
    let bytes = std::fs::read(&journal).expect("bytes");
    let header_end = bytes.iter().position(|&b| b == b'\n').expect("header") + 1;
    std::fs::write(&journal, &bytes[..header_end]).expect("cut");
    let out = ok(&["replay", path_str(&journal), "--verify"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("ends at tick 0, not closed"), "{stderr}");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("ends at tick 0, not closed"), "{stdout}");
    // Whole, it is closed, and its digest is printed for the minutes.
    std::fs::write(&journal, &bytes).expect("restore");
    let out = ok(&["replay", path_str(&journal), "--verify"]);
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("closed at tick 6"), "{stdout}");
    let digest = stdout
        .lines()
        .find_map(|l| l.strip_prefix("journal digest "))
        .and_then(|rest| rest.split(' ').next())
        .unwrap_or_else(|| panic!("no digest in {stdout}"));
    assert_eq!(digest.len(), 64, "{digest}");
    // The digest is the journal's: rewriting one record (every checksum and link
    // recomputed) changes it, and the rewritten journal still verifies otherwise.
    rewrite_record(
        &journal,
        |v| v["kind"] == "step" && v["tick"] == 3,
        |v| v["state_hash"] = serde_json::Value::Null,
    );
    let out = ok(&["replay", path_str(&journal), "--verify"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("journal digest "), "{stdout}");
    assert!(!stdout.contains(digest), "{stdout}");
}

/// Editing a record and fixing its checksum, but not the chain, is refused with the
/// line, for every kind of record.
#[test]
fn an_edited_record_with_a_fresh_checksum_is_refused_at_its_line() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (journal, _) = record(dir.path(), &scenario("tutorial.toml"), 9, Some(8));
    let text = std::fs::read_to_string(&journal).expect("text");
    let lines: Vec<&str> = text.lines().collect();
    for (index, line) in lines.iter().enumerate() {
        let (_, json) = line.split_once(' ').expect("framed");
        // Change the tick (or the seed, in the header) by one digit.
        let edited = json.replacen("\"tick\":", "\"tick\":1", 1);
        let edited = if edited == json {
            json.replacen("\"seed\":", "\"seed\":1", 1)
        } else {
            edited
        };
        assert_ne!(edited, json, "line {} has nothing to edit", index + 1);
        let mut forged = lines.clone();
        let framed = format!("{:08X} {edited}", crc32fast::hash(edited.as_bytes()));
        forged[index] = &framed;
        std::fs::write(&journal, forged.join("\n") + "\n").expect("write");
        let err = user_error(&["replay", path_str(&journal), "--verify"]);
        assert!(
            err.contains(&format!("hash chain at line {}", index + 1)),
            "line {}: {err}",
            index + 1
        );
    }
}

/// A journal written before the chain (format 1) still replays and verifies, with a
/// notice that it has none.
#[test]
fn a_format_1_journal_replays_with_a_notice() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (journal, live) = record(dir.path(), &scenario("tutorial.toml"), 4, Some(9));
    // The same exercise in format 1: no links, no closing record, format_version 1.
    let text = std::fs::read_to_string(&journal).expect("text");
    let mut old = String::new();
    for (index, line) in text.lines().enumerate() {
        let (_, json) = line.split_once(' ').expect("framed");
        let mut value: serde_json::Value = serde_json::from_str(json).expect("json");
        let object = value.as_object_mut().expect("an object");
        object.remove("chain");
        if index == 0 {
            object.insert("format_version".into(), 1.into());
        }
        if value["kind"] == "closed" {
            continue;
        }
        let body = value.to_string();
        old.push_str(&format!(
            "{:08X} {body}\n",
            crc32fast::hash(body.as_bytes())
        ));
    }
    std::fs::write(&journal, old).expect("write");
    let out = ok(&["replay", path_str(&journal), "--verify", "--json"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("no hash chain"), "{stderr}");
    assert!(!stderr.contains("not closed"), "{stderr}");
    assert_eq!(json(&out)["state_hash"], live["state_hash"]);
    let report = dir.path().join("old.md");
    ok(&[
        "report",
        path_str(&journal),
        "--out",
        path_str(&report),
        "--format",
        "md",
    ]);
    let md = std::fs::read_to_string(&report).expect("report");
    assert!(md.contains("no hash chain"), "{md}");
}

#[test]
fn a_corrupted_journal_is_refused_with_its_position() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (journal, _) = record(dir.path(), &scenario("tutorial.toml"), 9, Some(8));
    let mut bytes = std::fs::read(&journal).expect("bytes");
    let line_starts: Vec<usize> = bytes
        .iter()
        .enumerate()
        .filter(|(_, b)| **b == b'\n')
        .map(|(i, _)| i + 1)
        .collect();
    // Damage the JSON of the fourth line.
    let at = line_starts[2] + 12;
    bytes[at] = if bytes[at] == b'x' { b'y' } else { b'x' };
    std::fs::write(&journal, &bytes).expect("write");
    let err = user_error(&["replay", path_str(&journal), "--verify"]);
    assert!(err.contains("line 4"), "{err}");
    assert!(
        err.contains(&format!("byte offset {}", line_starts[2])),
        "{err}"
    );
    assert!(!err.contains("panicked"), "{err}");
    // Missing and empty files are user errors too.
    let err = user_error(&["replay", path_str(&dir.path().join("nope.journal"))]);
    assert!(err.contains("nope.journal"), "{err}");
    let empty = dir.path().join("empty.journal");
    std::fs::write(&empty, b"").expect("write");
    let err = user_error(&["replay", path_str(&empty)]);
    assert!(err.contains("header"), "{err}");
}

fn economy_names(file: &str) -> Vec<String> {
    let text = std::fs::read_to_string(file).expect("scenario text");
    let checked = cyberdrill_engine::scenario::parse(&text)
        .unwrap_or_else(|d| panic!("bundled scenario {file} does not load: {d:?}"));
    let names: Vec<String> = checked
        .scenario
        .economies
        .iter()
        .map(|e| e.name.clone())
        .collect();
    assert!(!names.is_empty(), "{file} has no economy");
    names
}

#[test]
fn report_has_charts_and_names_every_economy_in_html_and_markdown() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = scenario("apec-regional.toml");
    let (journal, _) = record(dir.path(), &file, 11, Some(24));
    let html = dir.path().join("report.html");
    let md = dir.path().join("report.md");
    ok(&["report", path_str(&journal), "--out", path_str(&html)]);
    ok(&[
        "report",
        path_str(&journal),
        "--out",
        path_str(&md),
        "--format",
        "md",
    ]);
    let html = std::fs::read_to_string(&html).expect("html");
    let md = std::fs::read_to_string(&md).expect("md");
    assert!(
        html.matches("<svg").count() >= 4,
        "service, trust, loss and incident charts"
    );
    assert!(!html.contains("<script"), "self-contained, no script");
    assert!(!html.contains("src=\"http"), "no network resources");
    assert!(html.contains("Questions for the debrief"));
    assert!(md.contains("## Questions for the debrief"));
    for name in economy_names(&file) {
        assert!(html.contains(&name), "HTML report lacks economy {name}");
        assert!(md.contains(&name), "Markdown report lacks economy {name}");
    }
    let err = user_error(&[
        "report",
        path_str(&journal),
        "--out",
        path_str(&dir.path().join("no/such/dir/r.html")),
    ]);
    assert!(err.contains("r.html"), "{err}");
}

fn batch(dir: &Path, name: &str, extra: &[&str]) -> String {
    let out = dir.join(name);
    let mut args = vec![
        "batch",
        "",
        "--runs",
        "6",
        "--ticks",
        "12",
        "--seed-start",
        "100",
        "--out",
        path_str(&out),
    ];
    let file = scenario("tutorial.toml");
    args[1] = &file;
    args.extend_from_slice(extra);
    ok(&args);
    std::fs::read_to_string(&out).expect("batch output")
}

#[test]
fn batch_runs_distinct_seeds_identically_whatever_the_jobs_and_shards() {
    let dir = tempfile::tempdir().expect("tempdir");
    let one = batch(dir.path(), "j1.jsonl", &["--jobs", "1"]);
    let two = batch(dir.path(), "j2.jsonl", &["--jobs", "2"]);
    let again = batch(dir.path(), "j2b.jsonl", &["--jobs", "2"]);
    assert_eq!(one, two, "output depends on --jobs");
    assert_eq!(two, again, "same arguments, different output");
    let lines: Vec<serde_json::Value> = one
        .lines()
        .map(|l| serde_json::from_str(l).expect("JSONL line"))
        .collect();
    assert_eq!(lines.len(), 6);
    let seeds: Vec<u64> = lines.iter().filter_map(|l| l["seed"].as_u64()).collect();
    assert_eq!(seeds, (100..106).collect::<Vec<_>>());
    assert!(
        lines
            .iter()
            .all(|l| l["policy"] == "cooperative" && l["state_hash"].is_string())
    );
    let shards: String = (1..=4)
        .map(|i| {
            batch(
                dir.path(),
                &format!("s{i}.jsonl"),
                &["--shard", &format!("{i}/4")],
            )
        })
        .collect();
    assert_eq!(shards, one, "shards do not concatenate to the whole");
}

#[test]
fn batch_compares_policies_side_by_side() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("cmp.jsonl");
    let file = scenario("tutorial.toml");
    let printed = ok(&[
        "batch",
        &file,
        "--runs",
        "3",
        "--ticks",
        "10",
        "--policy",
        "idle,cooperative",
        "--out",
        path_str(&out),
    ]);
    let table = String::from_utf8_lossy(&printed.stdout);
    assert!(
        table.contains("idle") && table.contains("cooperative"),
        "{table}"
    );
    assert!(table.contains("regional_loss"), "{table}");
    let text = std::fs::read_to_string(&out).expect("out");
    let policies: Vec<String> = text
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).expect("line")["policy"].to_string())
        .collect();
    assert_eq!(policies.len(), 6);
    assert_eq!(policies[0], "\"idle\"");
    assert_eq!(policies[1], "\"cooperative\"");
    let err = user_error(&[
        "batch",
        &file,
        "--runs",
        "3",
        "--shard",
        "5/4",
        "--out",
        path_str(&out),
    ]);
    assert!(err.contains("shard"), "{err}");
    let err = user_error(&["batch", &file, "--runs", "0", "--out", path_str(&out)]);
    assert!(err.contains("--runs"), "{err}");
}

#[test]
fn batch_accepts_a_bundled_scenario_name_like_run() {
    let dir = tempfile::tempdir().expect("tempdir");
    let in_dir = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_cyberdrill"))
            .current_dir(dir.path())
            .args(args)
            .output()
            .unwrap_or_else(|e| panic!("cannot run cyberdrill {args:?}: {e}"))
    };
    let by_name = in_dir(&[
        "batch",
        "tutorial",
        "--runs",
        "2",
        "--ticks",
        "6",
        "--out",
        "name.jsonl",
    ]);
    assert!(
        by_name.status.success(),
        "batch by name failed:\n{}",
        String::from_utf8_lossy(&by_name.stderr)
    );
    let file = scenario("tutorial.toml");
    ok(&[
        "batch",
        &file,
        "--runs",
        "2",
        "--ticks",
        "6",
        "--out",
        path_str(&dir.path().join("file.jsonl")),
    ]);
    let read = |name: &str| std::fs::read_to_string(dir.path().join(name)).expect("batch output");
    let lines = read("name.jsonl");
    assert_eq!(lines.lines().count(), 2);
    assert_eq!(lines, read("file.jsonl"), "the name runs the bundled file");

    let unknown = in_dir(&["batch", "no-such-drill", "--runs", "1", "--out", "x.jsonl"]);
    assert_eq!(unknown.status.code(), Some(1));
    let err = String::from_utf8_lossy(&unknown.stderr);
    assert!(
        err.contains("no-such-drill") && err.contains("apec-regional"),
        "{err}"
    );
}

/// `branch`: the same journal and counterfactual give the same output byte for byte
/// (whatever the threads), a branch at tick 0 with the recorded policy has the recorded
/// run as its run 0, and a bad counterfactual is refused in words.
#[test]
fn branch_is_deterministic_and_at_tick_0_with_the_recorded_policy_is_the_recorded_run() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (journal, live) = record(dir.path(), &scenario("tutorial.toml"), 9, None);
    let journal = path_str(&journal);
    let args = |jobs: &'static str| {
        vec![
            "branch", journal, "--at", "0", "--seeds", "6", "--json", "--jobs", jobs,
        ]
    };
    let one = ok(&args("1"));
    let two = ok(&args("2"));
    assert_eq!(one.stdout, two.stdout, "the output depends on the threads");
    let report = json(&one);
    assert_eq!(
        report["policy"], "cooperative",
        "the journal's bots by default"
    );
    let recorded = &live["metrics"];
    for (figure, metric) in [
        ("loss", "regional_loss"),
        ("service", "mean_availability"),
        ("trust", "min_trust"),
        ("incidents", "incidents"),
    ] {
        assert_eq!(report["actual"][figure], recorded[metric], "{figure}");
        assert_eq!(
            report["runs"][0][figure], recorded[metric],
            "run 0 {figure}"
        );
    }
    assert_eq!(report["runs"].as_array().map(Vec::len), Some(6));
    // The loss in context: the region's output for the exercise.
    let output: f64 = recorded["economies"]
        .as_array()
        .expect("economies")
        .iter()
        .filter_map(|e| e["output"].as_f64())
        .sum();
    assert!(output > 0.0);
    assert_eq!(report["output"].as_f64(), Some(output));

    let text = String::from_utf8_lossy(
        &ok(&[
            "branch", journal, "--at", "5", "--policy", "idle", "--seeds", "4",
        ])
        .stdout,
    )
    .into_owned();
    for word in [
        "recorded",
        "p5",
        "p50",
        "p95",
        "loss",
        "objectives",
        "bots play idle",
    ] {
        assert!(text.contains(word), "{word}:\n{text}");
    }
    let shares = text
        .lines()
        .find(|l| l.starts_with("of output "))
        .unwrap_or_else(|| panic!("a row of the loss's share of output:\n{text}"));
    assert_eq!(
        shares.matches('%').count(),
        4,
        "recorded, p5, p50, p95: {shares}"
    );

    let past = user_error(&["branch", journal, "--at", "100000"]);
    assert!(past.contains("past the end of the journal"), "{past}");
    let team = user_error(&["branch", journal, "--at", "3", "--without-team", "nobody"]);
    assert!(team.contains("its teams are"), "{team}");
    let step = user_error(&["branch", journal, "--at", "3", "--without-command", "99999"]);
    assert!(step.contains("has no record 99999"), "{step}");
}

/// `report --what-if`: the section is in the report, the same for the same journal and
/// seeds, and its options are refused in words when they make no sense.
#[test]
fn report_what_if_is_deterministic_and_its_bad_arguments_are_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (journal, _) = record(dir.path(), &scenario("tutorial.toml"), 9, None);
    let journal = path_str(&journal);
    let out = |name: &str| dir.path().join(name).display().to_string();
    let (first, second) = (out("a.md"), out("b.md"));
    for file in [&first, &second] {
        ok(&[
            "report",
            journal,
            "--out",
            file,
            "--format",
            "md",
            "--what-if",
            "--seeds",
            "3",
            "--what-if-commands",
            "2",
        ]);
    }
    let read = |file: &str| std::fs::read_to_string(file).expect("the report was written");
    let md = read(&first);
    assert_eq!(md, read(&second), "same journal and seeds, same report");
    assert!(md.contains("\n## What if\n"), "{md}");
    assert!(
        md.contains("Had no team acted at all, regional loss p50"),
        "{md}"
    );
    assert!(md.contains("on 3 random streams"), "{md}");

    let plain = out("plain.md");
    ok(&["report", journal, "--out", &plain, "--format", "md"]);
    assert!(!read(&plain).contains("## What if"), "off by default");

    let zero = user_error(&[
        "report",
        journal,
        "--out",
        &plain,
        "--what-if",
        "--seeds",
        "0",
    ]);
    assert!(zero.contains("--seeds must be at least 1"), "{zero}");
    let alone = user_error(&["report", journal, "--out", &plain, "--seeds", "5"]);
    assert!(alone.contains("add --what-if"), "{alone}");
}

/// A journal recorded before state hash version 2: format 2, no `hash_version` in its
/// header, version 1 hashes in its steps. Recorded by `cyberdrill run
/// scenarios/tutorial.toml --policy cooperative --seed 6 --ticks 12 --journal …` at main
/// `cd2e08c`; after an intended change of the model (which moves every state hash, the
/// golden oracle's included) it is recorded again, by version 1, with
/// `CYBERDRILL_BLESS_GOLDEN=1 cargo test -p cyberdrill --test replay version_2`.
fn hash_v1_fixture() -> PathBuf {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/hash-v1-tutorial.journal");
    if std::env::var_os("CYBERDRILL_BLESS_GOLDEN").is_some() {
        record_hash_v1_fixture(&path);
    }
    path
}

/// Records the fixture again as `run --journal` recorded it before version 2.
fn record_hash_v1_fixture(path: &Path) {
    use cyberdrill_engine::journal::{Header, JournalWriter};
    use cyberdrill_engine::replay::Recorder;
    use cyberdrill_engine::{HashVersion, Simulation};
    let file = "scenarios/tutorial.toml";
    let text = std::fs::read_to_string(scenario("tutorial.toml")).expect("the tutorial");
    let scenario = cyberdrill_engine::scenario::parse(&text)
        .unwrap_or_else(|_| panic!("the tutorial does not load"))
        .scenario;
    let mut header =
        Header::new(file, text, 6, "run --policy cooperative").with_bots("cooperative");
    header.hash_version = HashVersion::V1.number();
    let _absent = std::fs::remove_file(path);
    let writer = JournalWriter::create(path, &header).expect("the fixture is written");
    let mut simulation = Simulation::new(scenario, 6);
    simulation.set_hash_version(HashVersion::V1);
    let mut recorder = Recorder::new(simulation, writer);
    cyberdrill_tui::outcome::play_bots(
        &mut recorder,
        cyberdrill_engine::policy::Policy::Cooperative,
        12,
    )
    .expect("the fixture is recorded");
}

/// Journals recorded before state hash version 2 still verify, by version 1, through
/// the binary; the replay ends where the recording did.
#[test]
fn a_journal_recorded_before_hash_version_2_still_verifies() {
    let fixture = hash_v1_fixture();
    let text = std::fs::read_to_string(&fixture).expect("the fixture");
    let header = text.lines().next().expect("a header");
    assert!(!header.contains("hash_version"), "{header}");
    let out = ok(&["replay", path_str(&fixture), "--verify"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("12 state hash(es) verified"), "{stdout}");
    // The last step's recorded hash is the final state hash the replay prints.
    let last = text
        .lines()
        .filter_map(|l| l.split_once(' ').map(|(_, json)| json))
        .filter_map(|json| serde_json::from_str::<serde_json::Value>(json).ok())
        .rfind(|v| v["kind"] == "step")
        .expect("steps");
    let recorded = last["state_hash"].as_str().expect("a hash");
    assert!(
        stdout.contains(&format!("final state hash {recorded}")),
        "{stdout}"
    );
    // A report of it verifies too.
    let dir = tempfile::tempdir().expect("tempdir");
    let report = dir.path().join("old.md");
    ok(&[
        "report",
        path_str(&fixture),
        "--out",
        path_str(&report),
        "--format",
        "md",
    ]);
}

/// A journal whose header names a state hash version this cyberdrill does not know is
/// refused, naming the journal and the version and saying what to use.
#[test]
fn a_journal_of_a_later_hash_version_is_refused() {
    use cyberdrill_engine::journal::{JournalWriter, Record, read_journal};
    let read = read_journal(hash_v1_fixture()).expect("the fixture reads");
    let dir = tempfile::tempdir().expect("tempdir");
    let later = dir.path().join("later.journal");
    let mut header = read.header.clone();
    header.hash_version = 9;
    let mut writer = JournalWriter::create(&later, &header).expect("create");
    for record in read
        .records
        .iter()
        .filter(|r| !matches!(r, Record::Closed { .. }))
    {
        writer.append(record).expect("append");
    }
    writer.close().expect("close");
    for args in [
        vec!["replay", path_str(&later), "--verify"],
        vec!["replay", path_str(&later)],
        vec!["branch", path_str(&later), "--at", "3"],
    ] {
        let stderr = user_error(&args);
        for part in [
            "later.journal",
            "hash version 9",
            "\"hash_version\"",
            "1 to 2",
        ] {
            assert!(stderr.contains(part), "{args:?}: {part}: {stderr}");
        }
        assert!(!stderr.contains("panicked"), "{stderr}");
    }
}
