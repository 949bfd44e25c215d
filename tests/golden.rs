//! The behaviour oracle: what `cyberdrill run --json` prints for every bundled scenario,
//! every bot policy and seeds 0 to 49, recorded in `tests/golden/` and compared value
//! for value. A refactoring of the engine must leave every line identical; a change of
//! the model shows up here run by run.
//!
//! The 450 runs are computed in-process through the same code `run --json` uses
//! ([`RunOutcome::of`] after [`play_bots`]), serialised the same way; one run per
//! scenario is also checked against the real binary's output, so the two cannot drift.
//!
//! - `tests/golden/runs.jsonl`: one `run --json` line per run, without its `state_hash`
//!   (the metrics and objectives);
//! - `tests/golden/state-hashes.txt`: `scenario policy seed hash` per run, apart, so that
//!   a deliberate change of the state's canonical encoding touches only this file;
//! - `tests/golden/state-hashes-v1.txt`: the same by the first definition of the hash
//!   (`HashVersion::V1`), which journals recorded before version 2 are still verified
//!   with: it moves with the model, never with a change of version 2's encoding;
//! - `tests/golden/scenarios.txt`: the CRC-32 of each bundled scenario's text, so that a
//!   rebalanced scenario is reported as such rather than as a change of behaviour.
//!
//! After an intended change of the model or of a bundled scenario, regenerate with
//! `CYBERDRILL_BLESS_GOLDEN=1 cargo test -p cyberdrill --test golden` and say why in the
//! commit.

use std::path::{Path, PathBuf};
use std::process::Command;

use cyberdrill_engine::policy::Policy;
use cyberdrill_engine::scenario::{self, Scenario, bundled};
use cyberdrill_engine::{HashVersion, Simulation};
use cyberdrill_tui::outcome::{RunOutcome, play_bots};

const SEEDS: std::ops::Range<u64> = 0..50;

fn golden_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/golden")
}

fn load(name: &str, text: &str) -> Scenario {
    match scenario::parse(text) {
        Ok(checked) => checked.scenario,
        Err(diagnostics) => panic!("bundled {name} does not load: {diagnostics:?}"),
    }
}

/// One run as `run --json` prints it (one line), and its state hash.
struct Run {
    line: String,
    key: String,
    hash: String,
    /// The state hash by the first definition.
    hash_v1: String,
}

/// `run --json` output without its `"state_hash":"…",` member, and the hash.
fn split_hash(json: &str) -> (String, String) {
    const KEY: &str = "\"state_hash\":\"";
    let Some(start) = json.find(KEY) else {
        panic!("no state_hash in {json}");
    };
    let hash_start = start + KEY.len();
    let Some(len) = json[hash_start..].find('"') else {
        panic!("unterminated state_hash in {json}");
    };
    let hash = json[hash_start..hash_start + len].to_string();
    let mut end = hash_start + len + 1;
    if json[end..].starts_with(',') {
        end += 1;
    }
    (format!("{}{}", &json[..start], &json[end..]), hash)
}

fn run_one(file: &str, scenario: &Scenario, policy: Policy, seed: u64) -> Run {
    let mut sim = Simulation::new(scenario.clone(), seed);
    let limit = sim.scenario().meta.duration_ticks;
    if let Err(err) = play_bots(&mut sim, policy, limit) {
        panic!("{file} {policy} seed {seed}: {err}");
    }
    let json = match serde_json::to_string(&RunOutcome::of(&sim, &policy.to_string())) {
        Ok(json) => json,
        Err(err) => panic!("{file} {policy} seed {seed}: cannot serialise: {err}"),
    };
    let (line, hash) = split_hash(&json);
    sim.set_hash_version(HashVersion::V1);
    Run {
        line,
        key: format!("{} {policy} {seed}", file.trim_end_matches(".toml")),
        hash,
        hash_v1: sim.state_hash().to_hex(),
    }
}

/// Every run of the oracle, in file order (scenario, policy, seed), on a few threads.
fn all_runs() -> Vec<Run> {
    let jobs: Vec<(&str, Scenario, Policy, u64)> = bundled::all()
        .into_iter()
        .flat_map(|(file, text)| {
            let scenario = load(file, text);
            Policy::ALL.into_iter().flat_map(move |policy| {
                let scenario = scenario.clone();
                SEEDS.map(move |seed| (file, scenario.clone(), policy, seed))
            })
        })
        .collect();
    let threads = std::thread::available_parallelism().map_or(2, |n| n.get().min(4));
    let mut results: Vec<Option<Run>> = (0..jobs.len()).map(|_| None).collect();
    std::thread::scope(|scope| {
        let chunks = results.chunks_mut(jobs.len().div_ceil(threads));
        for (chunk_index, chunk) in chunks.enumerate() {
            let jobs = &jobs;
            scope.spawn(move || {
                let first = chunk_index * jobs.len().div_ceil(threads);
                for (offset, slot) in chunk.iter_mut().enumerate() {
                    let (file, scenario, policy, seed) = &jobs[first + offset];
                    *slot = Some(run_one(file, scenario, *policy, *seed));
                }
            });
        }
    });
    results.into_iter().flatten().collect()
}

fn scenario_digests() -> String {
    bundled::all()
        .into_iter()
        .map(|(file, text)| format!("{file} {:08x}\n", crc32fast::hash(text.as_bytes())))
        .collect()
}

fn read(name: &str) -> String {
    let path = golden_dir().join(name);
    match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(err) => panic!(
            "cannot read {}: {err}; generate it with CYBERDRILL_BLESS_GOLDEN=1 cargo test -p cyberdrill --test golden",
            path.display()
        ),
    }
}

fn write(name: &str, text: &str) {
    let dir = golden_dir();
    if let Err(err) = std::fs::create_dir_all(&dir) {
        panic!("cannot create {}: {err}", dir.display());
    }
    if let Err(err) = std::fs::write(dir.join(name), text) {
        panic!("cannot write {name}: {err}");
    }
}

/// The first member (by path) where two JSON lines differ, to say what changed.
fn first_difference(expected: &str, actual: &str) -> String {
    fn walk(path: &str, a: &serde_json::Value, b: &serde_json::Value) -> Option<String> {
        use serde_json::Value;
        match (a, b) {
            (Value::Object(x), Value::Object(y)) => {
                for (key, value) in x {
                    let sub = format!("{path}.{key}");
                    match y.get(key) {
                        Some(other) => {
                            if let Some(found) = walk(&sub, value, other) {
                                return Some(found);
                            }
                        }
                        None => return Some(format!("{sub}: missing")),
                    }
                }
                y.keys()
                    .find(|k| !x.contains_key(*k))
                    .map(|k| format!("{path}.{k}: unexpected"))
            }
            (Value::Array(x), Value::Array(y)) if x.len() == y.len() => x
                .iter()
                .zip(y)
                .enumerate()
                .find_map(|(i, (p, q))| walk(&format!("{path}[{i}]"), p, q)),
            _ if a == b => None,
            _ => Some(format!("{path}: expected {a}, got {b}")),
        }
    }
    match (
        serde_json::from_str::<serde_json::Value>(expected),
        serde_json::from_str::<serde_json::Value>(actual),
    ) {
        (Ok(a), Ok(b)) => walk("", &a, &b).unwrap_or_else(|| "same values, other text".into()),
        _ => "not JSON".into(),
    }
}

#[test]
fn every_run_matches_the_oracle() {
    let runs = all_runs();
    let lines: String = runs.iter().map(|r| format!("{}\n", r.line)).collect();
    let hashes: String = runs
        .iter()
        .map(|r| format!("{} {}\n", r.key, r.hash))
        .collect();
    let hashes_v1: String = runs
        .iter()
        .map(|r| format!("{} {}\n", r.key, r.hash_v1))
        .collect();
    if std::env::var_os("CYBERDRILL_BLESS_GOLDEN").is_some() {
        write("runs.jsonl", &lines);
        write("state-hashes.txt", &hashes);
        write("state-hashes-v1.txt", &hashes_v1);
        write("scenarios.txt", &scenario_digests());
        return;
    }
    assert_eq!(
        read("scenarios.txt"),
        scenario_digests(),
        "a bundled scenario changed since the oracle was recorded: check that the change is \
         intended, then regenerate with CYBERDRILL_BLESS_GOLDEN=1 cargo test -p cyberdrill --test golden"
    );
    let expected = read("runs.jsonl");
    assert_eq!(expected.lines().count(), runs.len(), "runs in the oracle");
    let mut differences = Vec::new();
    for (want, run) in expected.lines().zip(&runs) {
        if want != run.line {
            differences.push(format!(
                "{}: {}",
                run.key,
                first_difference(want, &run.line)
            ));
        }
    }
    assert!(
        differences.is_empty(),
        "{} of {} runs differ from the oracle (behaviour changed); first ones:\n{}",
        differences.len(),
        runs.len(),
        differences[..differences.len().min(10)].join("\n")
    );
    for (file, version) in [("state-hashes.txt", 2), ("state-hashes-v1.txt", 1)] {
        let expected_hashes = read(file);
        assert_eq!(
            expected_hashes.lines().count(),
            runs.len(),
            "runs in {file}"
        );
        let mut moved = Vec::new();
        for (want, run) in expected_hashes.lines().zip(&runs) {
            let hash = if version == 1 {
                &run.hash_v1
            } else {
                &run.hash
            };
            let got = format!("{} {hash}", run.key);
            if want != got {
                moved.push(format!("expected {want}\n     got {got}"));
            }
        }
        assert!(
            moved.is_empty(),
            "{} state hashes (version {version}, {file}) differ while metrics agree: the state \
             or its encoding changed; first ones:\n{}",
            moved.len(),
            moved[..moved.len().min(5)].join("\n")
        );
    }
}

/// The in-process runs are what the binary prints: one run per scenario, through
/// `cyberdrill run --json`.
#[test]
fn the_binary_prints_the_oracle() {
    let expected = read("runs.jsonl");
    let expected_hashes = read("state-hashes.txt");
    let per_scenario = Policy::ALL.len() * SEEDS.count();
    let per_policy = SEEDS.count();
    let picks = [
        ("tutorial.toml", Policy::Cooperative, 7u64),
        ("apec-regional.toml", Policy::Isolated, 13),
        ("itu-cirt-drill.toml", Policy::Cooperative, 49),
    ];
    for (file, policy, seed) in picks {
        let Some(s) = bundled::all().iter().position(|(f, _)| *f == file) else {
            panic!("{file} is not bundled");
        };
        let Some(p) = Policy::ALL.iter().position(|x| *x == policy) else {
            panic!("{policy} is not a policy");
        };
        let index = s * per_scenario + p * per_policy + seed as usize;
        let output = match Command::new(env!("CARGO_BIN_EXE_cyberdrill"))
            .args(["run", &format!("scenarios/{file}"), "--policy"])
            .arg(policy.to_string())
            .args(["--seed", &seed.to_string(), "--json"])
            .current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
            .output()
        {
            Ok(output) => output,
            Err(err) => panic!("cannot run cyberdrill: {err}"),
        };
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        let printed = String::from_utf8_lossy(&output.stdout);
        let (line, hash) = split_hash(printed.trim_end());
        assert_eq!(
            expected.lines().nth(index),
            Some(line.as_str()),
            "{file} {policy} seed {seed}"
        );
        let key = format!("{} {policy} {seed}", file.trim_end_matches(".toml"));
        assert_eq!(
            expected_hashes.lines().nth(index),
            Some(format!("{key} {hash}").as_str())
        );
    }
}
