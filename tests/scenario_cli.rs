//! `cyberdrill scenario`: list, export and generate, run as the real binary.

mod scratch;

use std::path::PathBuf;
use std::process::{Command, Output};

use scratch::Scratch;

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

    let path = scratch::file("apec.toml");
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

    let path = scratch::file("generated.toml");
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

/// A copy of the exercise-package example to import into.
fn package_copy(name: &str) -> Scratch {
    let path = scratch::file(name);
    if let Err(err) = std::fs::write(&path, repository_file("tests/good/exercise-package.toml")) {
        panic!("cannot write {}: {err}", path.display());
    }
    path
}

/// The journal of a run of the exercise-package example, with cooperative bots.
fn journal_of_a_run(name: &str) -> Scratch {
    let scenario = package_copy(&format!("{name}.toml"));
    let journal = scratch::file(&format!("{name}.journal"));
    let _ = std::fs::remove_file(&journal);
    let (scenario, path) = (scenario.to_string_lossy(), journal.to_string_lossy());
    let args = [
        "run",
        &scenario,
        "--seed",
        "3",
        "--policy",
        "cooperative",
        "--journal",
        &path,
    ];
    run_ok(&args);
    journal
}

fn run_ok(args: &[&str]) -> String {
    let output = cyberdrill(args);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{args:?}: {}",
        stderr(&output)
    );
    stdout(&output)
}

#[test]
fn msel_round_trips_through_xlsx_and_csv_unchanged() {
    for extension in ["xlsx", "csv"] {
        let scenario = package_copy(&format!("round-trip-{extension}.toml"));
        let sheet = scratch::file(&format!("msel.{extension}"));
        let (scenario_arg, sheet_arg) = (scenario.to_string_lossy(), sheet.to_string_lossy());
        let said = run_ok(&["msel", "export", &scenario_arg, "--out", &sheet_arg]);
        assert!(said.contains("3 injects written"), "{said}");
        let said = run_ok(&["msel", "import", &sheet_arg, "--into", &scenario_arg]);
        assert!(said.contains("0 added, 0 changed, 3 unchanged"), "{said}");
        let after = std::fs::read_to_string(&scenario).unwrap_or_default();
        assert_eq!(after, repository_file("tests/good/exercise-package.toml"));
    }
}

#[test]
fn msel_import_from_xlsx_edits_the_scenario_and_locates_problems() {
    use rust_xlsxwriter::Workbook;
    let scenario = package_copy("xlsx-edit.toml");
    let exported = scratch::file("exported.csv");
    run_ok(&[
        "msel",
        "export",
        &scenario.to_string_lossy(),
        "--out",
        &exported.to_string_lossy(),
    ]);
    let mut rows: Vec<Vec<String>> = Vec::new();
    let mut reader = match csv::ReaderBuilder::new()
        .has_headers(false)
        .from_path(&exported)
    {
        Ok(reader) => reader,
        Err(err) => panic!("{err}"),
    };
    for record in reader.records() {
        rows.push(
            record
                .map(|r| r.iter().map(str::to_owned).collect())
                .unwrap_or_default(),
        );
    }
    let col = |name: &str| rows[0].iter().position(|h| h == name).unwrap_or(usize::MAX);
    let (channel, at) = (col("channel"), col("at"));
    let write = |rows: &[Vec<String>], name: &str| {
        let path = scratch::file(name);
        let mut workbook = Workbook::new();
        let sheet = workbook.add_worksheet();
        let named = sheet.set_name("MSEL").is_ok();
        assert!(named);
        for (r, row) in rows.iter().enumerate() {
            for (c, text) in row.iter().enumerate() {
                let written = match text.parse::<u32>() {
                    Ok(n) => sheet.write_number(r as u32, c as u16, n).is_ok(),
                    Err(_) => sheet.write_string(r as u32, c as u16, text).is_ok(),
                };
                assert!(written);
            }
        }
        if let Err(err) = workbook.save(&path) {
            panic!("{err}");
        }
        path
    };
    // A wrong channel and a wrong tick: located by sheet, row and column; nothing written.
    let mut bad = rows.clone();
    bad[2][channel] = "fax".into();
    bad[3][at] = "soon".into();
    let sheet = write(&bad, "bad.xlsx");
    let output = cyberdrill(&[
        "msel",
        "import",
        &sheet.to_string_lossy(),
        "--into",
        &scenario.to_string_lossy(),
    ]);
    assert_eq!(output.status.code(), Some(1));
    let said = stderr(&output);
    let letter = |c: usize| ((b'A' + c as u8) as char).to_string();
    assert!(
        said.contains(&format!(
            "sheet MSEL, row 4, column {} (at): error: `soon` is not a tick",
            letter(at)
        )),
        "{said}"
    );
    let output_fixed_tick = {
        let mut one = bad.clone();
        one[3][at] = rows[3][at].clone();
        write(&one, "bad-channel.xlsx")
    };
    let output = cyberdrill(&[
        "msel",
        "import",
        &output_fixed_tick.to_string_lossy(),
        "--into",
        &scenario.to_string_lossy(),
    ]);
    let said = stderr(&output);
    assert!(
        said.contains(&format!(
            "sheet MSEL, row 3, column {} (channel): error[unknown-value]",
            letter(channel)
        )),
        "{said}"
    );
    assert!(said.contains("was not changed"), "{said}");
    assert_eq!(
        std::fs::read_to_string(&scenario).unwrap_or_default(),
        repository_file("tests/good/exercise-package.toml")
    );
    // A good edit: the channel changes, a new row adds an inject.
    let mut good = rows.clone();
    good[2][channel] = "social".into();
    let mut new = vec![String::new(); rows[0].len()];
    new[0] = "press-call".into();
    new[at] = "5".into();
    new[col("headline")] = "A journalist calls the CSIRT".into();
    new[col("to")] = "ar-csirt".into();
    good.push(new);
    let sheet = write(&good, "good.xlsx");
    let said = run_ok(&[
        "msel",
        "import",
        &sheet.to_string_lossy(),
        "--into",
        &scenario.to_string_lossy(),
    ]);
    assert!(
        said.contains("1 (press-call) added, 1 (ransom-begins) changed"),
        "{said}"
    );
    let text = std::fs::read_to_string(&scenario).unwrap_or_default();
    assert!(text.contains("channel = \"social\""), "{text}");
    assert!(text.contains("id = \"press-call\""), "{text}");
    run_ok(&["validate", &scenario.to_string_lossy()]);
}

#[test]
fn attack_layer_lists_the_campaigns_techniques() {
    let path = package_copy("attack-scenario.toml");
    let layer_path = scratch::file("layer.json");
    let said = run_ok(&[
        "attack-layer",
        &path.to_string_lossy(),
        "--out",
        &layer_path.to_string_lossy(),
    ]);
    assert!(said.contains("7 techniques written"), "{said}");
    let layer: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&layer_path).unwrap_or_default())
            .unwrap_or_default();
    assert_eq!(layer["domain"], "enterprise-attack");
    assert_eq!(layer["versions"]["layer"], "4.5");
    let ids: Vec<&str> = layer["techniques"]
        .as_array()
        .map(|t| t.iter().filter_map(|t| t["techniqueID"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(
        ids,
        [
            "T1021.001",
            "T1059.001",
            "T1078",
            "T1133",
            "T1486",
            "T1490",
            "T1566.002"
        ]
    );
    assert!(
        layer["techniques"][0]["comment"]
            .as_str()
            .is_some_and(|c| c.contains("Ransomware on the payment switch (foothold)")),
        "{layer}"
    );
}

#[test]
fn attack_layer_of_a_journal_scores_techniques_by_detection() {
    let journal = journal_of_a_run("attack-run");
    let layer_path = scratch::file("run-layer.json");
    run_ok(&[
        "attack-layer",
        &journal.to_string_lossy(),
        "--out",
        &layer_path.to_string_lossy(),
    ]);
    let layer: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&layer_path).unwrap_or_default())
            .unwrap_or_default();
    assert_eq!(layer["gradient"]["maxValue"], 100);
    let techniques = layer["techniques"].as_array().cloned().unwrap_or_default();
    assert_eq!(techniques.len(), 7);
    let scored = techniques.iter().filter(|t| t["score"].is_u64()).count();
    assert!(scored > 0, "no technique was scored: {layer}");
    for t in &techniques {
        let comment = t["comment"].as_str().unwrap_or_default();
        assert!(
            comment.contains("incidents detected") || comment.contains("no incident in this run"),
            "{comment}"
        );
    }
}

#[test]
fn the_report_scores_expected_actions_and_training_objectives() {
    let journal = journal_of_a_run("report-run");
    let report = scratch::file("report.md");
    run_ok(&[
        "report",
        &journal.to_string_lossy(),
        "--out",
        &report.to_string_lossy(),
        "--format",
        "md",
    ]);
    let text = std::fs::read_to_string(&report).unwrap_or_default();
    let section = |title: &str| {
        let start = text
            .find(&format!("## {title}"))
            .unwrap_or_else(|| panic!("no {title}:\n{text}"));
        text[start..]
            .split("\n## ")
            .next()
            .unwrap_or_default()
            .to_string()
    };
    let training = section("Training objectives");
    assert!(
        training.contains("Contain ransomware on critical payment infrastructure within hours"),
        "{training}"
    );
    assert!(training.contains("keep-payments"), "{training}");
    let expected = section("Expected actions");
    assert!(
        expected.contains("Isolate the encrypted servers"),
        "{expected}"
    );
    assert!(expected.contains("for the evaluators"), "{expected}");
}

/// The published example flows of the MITRE Center for Threat-Informed Defense's Attack
/// Flow corpus (github.com/center-for-threat-informed-defense/attack-flow, `corpus/`,
/// Apache-2.0), read where the test machine keeps them rather than copied into the
/// repository: the directory `CYBERDRILL_ATTACK_FLOWS` names, or else an `attack-flows`
/// directory in a folder beside the repository (as on CI).
fn flows_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("CYBERDRILL_ATTACK_FLOWS") {
        return PathBuf::from(dir);
    }
    let repository = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    let beside = repository.join("..");
    std::fs::read_dir(&beside)
        .into_iter()
        .flatten()
        .filter_map(|entry| entry.ok().map(|e| e.path().join("attack-flows")))
        .filter(|dir| dir.is_dir())
        .min()
        .unwrap_or_else(|| {
            panic!(
                "the published Attack Flow examples were not found: set CYBERDRILL_ATTACK_FLOWS \
                 to a copy of the corpus/ directory of \
                 github.com/center-for-threat-informed-defense/attack-flow, or put it in an \
                 `attack-flows` directory in a folder beside the repository"
            )
        })
}

fn published_flows() -> Vec<PathBuf> {
    let dir = flows_dir();
    let mut flows: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|err| {
            panic!(
                "the published Attack Flow examples are expected in {}: {err}",
                dir.display()
            )
        })
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.extension().is_some_and(|e| e == "json"))
        .collect();
    flows.sort();
    assert!(
        flows.len() >= 4,
        "expected the four published example flows in {}, found {flows:?}",
        dir.display()
    );
    flows
}

/// The distinct valid technique ids of a flow's actions, read straight from its JSON.
fn flow_techniques(flow: &serde_json::Value) -> Vec<String> {
    let mut ids: Vec<String> = flow["objects"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|o| o["type"] == "attack-action")
        .filter_map(|o| o["technique_id"].as_str())
        .flat_map(|t| t.split([';', ',', ' ']))
        .map(|t| t.trim().replace('/', ".").to_ascii_uppercase())
        .filter(|t| {
            let (main, sub) = t.split_once('.').unwrap_or((t, "000"));
            main.len() == 5
                && main.starts_with('T')
                && main[1..].bytes().all(|b| b.is_ascii_digit())
                && sub.len() == 3
                && sub.bytes().all(|b| b.is_ascii_digit())
        })
        .collect();
    ids.sort();
    ids.dedup();
    ids
}

#[test]
fn campaign_import_turns_each_published_attack_flow_into_a_valid_campaign() {
    // (file, campaign id, kind, first technique of its first stage, a technique of impact)
    let expected: [(&str, &str, &str, &str, Option<&str>); 4] = [
        (
            "conti-ransomware.json",
            "conti-ransomware",
            "ransomware",
            "T1566.001",
            Some("T1486"),
        ),
        (
            "notpetya.json",
            "notpetya",
            "ransomware",
            "T1593",
            Some("T1486"),
        ),
        (
            "solarwinds.json",
            "solarwinds",
            "malware",
            "T1587.001",
            Some("T1567.002"),
        ),
        (
            "target-breach.json",
            "target-breach",
            "malware",
            "T1592.004",
            Some("T1029"),
        ),
    ];
    let flows = published_flows();
    for (file, id, kind, first, impact) in expected {
        let Some(flow_path) = flows.iter().find(|p| p.ends_with(file)) else {
            panic!("{file} is missing from the published flows: {flows:?}");
        };
        let scenario = package_copy(&format!("flow-{id}.toml"));
        let said = run_ok(&[
            "campaign",
            "import",
            &flow_path.to_string_lossy(),
            "--into",
            &scenario.to_string_lossy(),
            "--start",
            "2",
        ]);
        assert!(
            said.contains(&format!("campaign `{id}` ({kind}, actor `fin-gang`)")),
            "{said}"
        );
        let text = std::fs::read_to_string(&scenario).unwrap_or_default();
        let before = repository_file("tests/good/exercise-package.toml");
        assert!(text.len() > before.len());
        run_ok(&["validate", &scenario.to_string_lossy()]);

        let doc: toml::Table = text.parse().unwrap_or_default();
        let campaigns = doc["campaign"].as_array().cloned().unwrap_or_default();
        let Some(added) = campaigns.iter().find(|c| c["id"].as_str() == Some(id)) else {
            panic!("no campaign `{id}` in:\n{text}");
        };
        assert_eq!(added["kind"].as_str(), Some(kind));
        assert_eq!(added["start"].as_integer(), Some(2));
        let stages = added["techniques"].as_table().cloned().unwrap_or_default();
        let listed: Vec<String> = ["reconnaissance", "initial_access", "foothold", "impact"]
            .iter()
            .filter_map(|s| stages.get(*s).and_then(|v| v.as_array()))
            .flatten()
            .filter_map(|v| v.as_str().map(str::to_string))
            .collect();
        assert_eq!(
            listed.first().map(String::as_str),
            Some(first),
            "{file}: {listed:?}"
        );
        let mut sorted = listed.clone();
        sorted.sort();
        let distinct = sorted.len();
        sorted.dedup();
        assert_eq!(distinct, sorted.len(), "{file}: a technique listed twice");
        let json: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(flow_path).unwrap_or_default())
                .unwrap_or_default();
        assert_eq!(
            sorted,
            flow_techniques(&json),
            "{file}: every technique of the flow, once"
        );
        if let Some(impact) = impact {
            let impacts = stages
                .get("impact")
                .and_then(|v| v.as_array())
                .cloned()
                .unwrap_or_default();
            assert!(
                impacts.iter().any(|v| v.as_str() == Some(impact)),
                "{file}: {impacts:?}"
            );
        }
        // Importing the same flow again is refused and leaves the file as it is.
        let again = cyberdrill(&[
            "campaign",
            "import",
            &flow_path.to_string_lossy(),
            "--into",
            &scenario.to_string_lossy(),
        ]);
        assert_eq!(again.status.code(), Some(1));
        assert!(
            stderr(&again).contains("already has a campaign"),
            "{}",
            stderr(&again)
        );
        assert_eq!(std::fs::read_to_string(&scenario).unwrap_or_default(), text);
    }
}

#[test]
fn campaign_import_refuses_what_is_not_a_flow_and_leaves_the_file_alone() {
    let scenario = package_copy("flow-refused.toml");
    let before = std::fs::read_to_string(&scenario).unwrap_or_default();
    let cases = [
        (
            "not-json.json",
            "{ \"type\": \"bundle\",\n  \"objects\": [ }",
            "not JSON",
        ),
        (
            "no-flow.json",
            "{\"type\": \"bundle\", \"objects\": [{\"type\": \"tool\", \"id\": \"tool--1\"}]}",
            "no `attack-flow` object",
        ),
        (
            "no-techniques.json",
            "{\"type\": \"bundle\", \"objects\": [{\"type\": \"attack-flow\", \"id\": \"attack-flow--1\", \"name\": \"Empty\", \"start_refs\": [\"attack-action--1\"]}, {\"type\": \"attack-action\", \"id\": \"attack-action--1\", \"name\": \"Something\"}]}",
            "has no attack action with an ATT&CK `technique_id`",
        ),
    ];
    for (name, json, says) in cases {
        let flow = scratch::file(name);
        if let Err(err) = std::fs::write(&flow, json) {
            panic!("cannot write {}: {err}", flow.display());
        }
        let output = cyberdrill(&[
            "campaign",
            "import",
            &flow.to_string_lossy(),
            "--into",
            &scenario.to_string_lossy(),
        ]);
        assert_eq!(output.status.code(), Some(1), "{name}");
        assert!(
            stderr(&output).contains(says),
            "{name}: {}",
            stderr(&output)
        );
    }
    let flows = published_flows();
    let output = cyberdrill(&[
        "campaign",
        "import",
        &flows[0].to_string_lossy(),
        "--into",
        &scenario.to_string_lossy(),
        "--actor",
        "nobody",
    ]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains("unknown actor `nobody`"),
        "{}",
        stderr(&output)
    );
    assert!(
        stderr(&output).contains("was not changed"),
        "{}",
        stderr(&output)
    );
    assert_eq!(
        std::fs::read_to_string(&scenario).unwrap_or_default(),
        before
    );
}

#[test]
fn package_writes_the_three_documents_in_html_and_markdown() {
    let scenario = package_copy("package.toml");
    let out = scratch::file("package");
    let _ = std::fs::remove_dir_all(&out);
    let said = run_ok(&[
        "package",
        &scenario.to_string_lossy(),
        "--out",
        &out.to_string_lossy(),
    ]);
    for doc in ["situation-manual", "facilitator-guide", "evaluator-guide"] {
        for extension in ["html", "md"] {
            let path = out.join(format!("{doc}.{extension}"));
            let text = std::fs::read_to_string(&path)
                .unwrap_or_else(|err| panic!("{}: {err}\n{said}", path.display()));
            assert!(
                text.contains("Two economies, one payment switch"),
                "{}",
                path.display()
            );
        }
    }
    let facilitator = std::fs::read_to_string(out.join("facilitator-guide.md")).unwrap_or_default();
    assert!(
        facilitator.contains("Isolate the encrypted servers"),
        "{facilitator}"
    );
    let evaluator = std::fs::read_to_string(out.join("evaluator-guide.html")).unwrap_or_default();
    assert!(evaluator.contains("Contain ransomware on critical payment infrastructure"));
    // A bundled scenario by name, without training objectives or MSEL fields.
    let bundled = scratch::file("package-tutorial");
    run_ok(&["package", "tutorial", "--out", &bundled.to_string_lossy()]);
    let manual = std::fs::read_to_string(bundled.join("situation-manual.md")).unwrap_or_default();
    assert!(manual.contains("## Economies and readiness"), "{manual}");
}
