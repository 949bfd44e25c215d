//! Small flows written for the edge cases; the published example flows are read by the
//! CLI test `campaign_import` (tests/scenario_cli.rs).

use serde_json::{Value, json};

use super::*;
use crate::scenario::parse;

const SMALL: &str = include_str!("../../../../tests/good/two-economies.toml");

fn action(id: &str, name: &str, technique: Option<&str>, next: &[&str]) -> Value {
    let mut a = json!({
        "type": "attack-action", "spec_version": "2.1", "id": id, "name": name,
        "effect_refs": next,
    });
    if let Some(t) = technique {
        a["technique_id"] = json!(t);
    }
    a
}

fn bundle(start: &[&str], mut objects: Vec<Value>) -> String {
    objects.insert(
        0,
        json!({
            "type": "attack-flow", "spec_version": "2.1", "id": "attack-flow--1",
            "name": "Test Flow", "start_refs": start,
            "external_references": [{ "source_name": "r", "url": "https://example.org/report" }],
        }),
    );
    json!({ "type": "bundle", "id": "bundle--1", "objects": objects }).to_string()
}

#[test]
fn a_chain_is_read_in_order_into_the_stages_of_its_tactics() {
    let flow = read_flow(&bundle(
        &["attack-action--a"],
        vec![
            // Written out of order: the links decide, not the bundle's order.
            action("attack-action--c", "Encrypt", Some("T1486"), &[]),
            action(
                "attack-action--b",
                "PowerShell",
                Some("t1059.001"),
                &["attack-action--c"],
            ),
            action(
                "attack-action--a",
                "Phishing",
                Some("T1566.001"),
                &["attack-action--b"],
            ),
        ],
    ))
    .expect("the flow reads");
    assert_eq!(flow.name, "Test Flow");
    assert_eq!(flow.order, ["T1566.001", "T1059.001", "T1486"]);
    assert_eq!(flow.techniques.initial_access, ["T1566.001"]);
    assert_eq!(flow.techniques.foothold, ["T1059.001"]);
    assert_eq!(flow.techniques.impact, ["T1486"]);
    assert_eq!(flow.references, ["https://example.org/report"]);
    assert_eq!(suggested_kind(&flow), CampaignKind::Ransomware);
    assert!(flow.notes.is_empty(), "{:?}", flow.notes);
}

#[test]
fn branches_joined_by_an_operator_come_before_what_follows_the_join() {
    let flow = read_flow(&bundle(
        &["attack-action--a", "attack-action--b"],
        vec![
            action(
                "attack-action--a",
                "Scan",
                Some("T1595"),
                &["attack-operator--and"],
            ),
            action(
                "attack-action--b",
                "Exploit",
                Some("T1190"),
                &["attack-operator--and"],
            ),
            json!({ "type": "attack-operator", "id": "attack-operator--and", "operator": "AND",
                    "effect_refs": ["attack-condition--c"] }),
            json!({ "type": "attack-condition", "id": "attack-condition--c", "description": "shell",
                    "on_true_refs": ["attack-action--d"], "on_false_refs": ["attack-action--e"] }),
            action("attack-action--d", "Wipe", Some("T1485"), &[]),
            action("attack-action--e", "Exfiltrate", Some("T1041"), &[]),
        ],
    ))
    .expect("the flow reads");
    assert_eq!(flow.order, ["T1595", "T1190", "T1485", "T1041"]);
    assert_eq!(flow.techniques.reconnaissance, ["T1595"]);
    assert_eq!(flow.techniques.initial_access, ["T1190"]);
    assert_eq!(flow.techniques.impact, ["T1485", "T1041"]);
    assert_eq!(suggested_kind(&flow), CampaignKind::Malware);
}

#[test]
fn a_flow_without_starts_begins_where_nothing_leads() {
    let flow = read_flow(&bundle(
        &[],
        vec![
            action(
                "attack-action--b",
                "Valid accounts",
                Some("T1078"),
                &["attack-action--c"],
            ),
            action(
                "attack-action--c",
                "Discovery",
                Some("T1083"),
                &["attack-action--d"],
            ),
            action(
                "attack-action--d",
                "Valid accounts again",
                Some("T1078.002"),
                &[],
            ),
            action(
                "attack-action--a",
                "Supply chain",
                Some("T1195.002"),
                &["attack-action--b"],
            ),
        ],
    ))
    .expect("the flow reads");
    assert_eq!(flow.order, ["T1195.002", "T1078", "T1083", "T1078.002"]);
    // Valid accounts is initial access until the foothold, then foothold.
    assert_eq!(flow.techniques.initial_access, ["T1195.002", "T1078"]);
    assert_eq!(flow.techniques.foothold, ["T1083", "T1078.002"]);
}

#[test]
fn a_cycle_is_read_once_from_where_the_flow_enters_it() {
    let flow = read_flow(&bundle(
        &["attack-action--a"],
        vec![
            action(
                "attack-action--a",
                "Phish",
                Some("T1566"),
                &["attack-action--b"],
            ),
            action(
                "attack-action--b",
                "Run",
                Some("T1204"),
                &["attack-action--c"],
            ),
            action(
                "attack-action--c",
                "Move",
                Some("T1021"),
                &["attack-action--b", "attack-action--d"],
            ),
            action("attack-action--d", "Stop services", Some("T1489"), &[]),
            // A loop nothing leads into.
            action(
                "attack-action--x",
                "Loop 1",
                Some("T1055"),
                &["attack-action--y"],
            ),
            action(
                "attack-action--y",
                "Loop 2",
                Some("T1055"),
                &["attack-action--x"],
            ),
        ],
    ))
    .expect("the flow reads");
    assert_eq!(flow.order, ["T1566", "T1204", "T1021", "T1489", "T1055"]);
    assert_eq!(flow.techniques.foothold, ["T1204", "T1021", "T1055"]);
    let loops: Vec<&String> = flow
        .notes
        .iter()
        .filter(|n| n.contains("loops back"))
        .collect();
    assert_eq!(loops.len(), 2, "{:?}", flow.notes);
    assert!(loops[1].contains("`Loop 1`"), "{loops:?}");
    assert!(loops[0].contains("`Run`"), "{loops:?}");
}

#[test]
fn unknown_objects_and_dangling_links_are_skipped_with_a_note() {
    let flow = read_flow(&bundle(
        &["attack-action--a", "attack-action--gone"],
        vec![
            json!({ "type": "x-acme-widget", "id": "x-acme-widget--1", "effect_refs": ["attack-action--a"] }),
            json!({ "type": "tool", "id": "tool--1", "name": "PsExec" }),
            json!({ "no_type": true }),
            action("attack-action--a", "Phish", Some("T1566"), &["attack-action--nowhere", "attack-action--b"]),
            action("attack-action--b", "Custom step", None, &["attack-action--c"]),
            action("attack-action--c", "Bad id", Some("T15"), &["attack-action--d"]),
            json!({ "type": "attack-action", "name": "No id", "technique_id": "T1003" }),
            action("attack-action--d", "Dump", Some("T1003.001"), &[]),
        ],
    ))
    .expect("the flow reads");
    assert_eq!(flow.order, ["T1566", "T1003.001"]);
    assert_eq!(flow.actions, 4);
    let notes = flow.notes.join("\n");
    for expected in [
        "`attack-action--gone`, which is not an action",
        "leads to `attack-action--nowhere`",
        "`T15` is not an ATT&CK technique id",
        "1 action(s) without an ATT&CK technique: Custom step",
        "has no `id`: skipped",
    ] {
        assert!(notes.contains(expected), "{expected:?} not in:\n{notes}");
    }
}

#[test]
fn several_ids_in_one_action_and_slashed_sub_techniques_are_read() {
    let flow = read_flow(&bundle(
        &["attack-action--a"],
        vec![
            action(
                "attack-action--a",
                "Deploy",
                Some("T1072; T1505,T1203"),
                &["attack-action--b"],
            ),
            action(
                "attack-action--b",
                "Rundll32",
                Some("T1218/011"),
                &["attack-action--c"],
            ),
            action("attack-action--c", "Typo", Some("T1078.00"), &[]),
        ],
    ))
    .expect("the flow reads");
    assert_eq!(flow.order, ["T1072", "T1505", "T1203", "T1218.011"]);
    assert!(
        flow.notes.iter().any(|n| n.contains("`T1078.00`")),
        "{:?}",
        flow.notes
    );
}

#[test]
fn a_tactic_given_by_the_action_decides_its_stage() {
    let mut a = action("attack-action--a", "Valid accounts", Some("T1078"), &[]);
    a["tactic_id"] = json!("TA0004");
    let mut b = action("attack-action--b", "Odd tactic", Some("T1566"), &[]);
    b["tactic_id"] = json!("TA9999");
    let flow = read_flow(&bundle(
        &["attack-action--a", "attack-action--b"],
        vec![a, b],
    ))
    .expect("the flow reads");
    assert_eq!(flow.techniques.foothold, ["T1078"]);
    assert_eq!(flow.techniques.initial_access, ["T1566"]);
    assert!(
        flow.notes.iter().any(|n| n.contains("`TA9999`")),
        "{:?}",
        flow.notes
    );
}

#[test]
fn what_is_not_a_flow_is_refused_with_the_reason() {
    assert!(matches!(
        read_flow("{\"type\": \"bundle\",\n \"objects\": [}"),
        Err(FlowError::Json { line: 2, .. })
    ));
    assert!(matches!(read_flow("[1, 2]"), Err(FlowError::NotBundle(_))));
    assert!(matches!(
        read_flow("{\"type\": \"bundle\"}"),
        Err(FlowError::NotBundle(_))
    ));
    assert_eq!(
        read_flow(
            "{\"type\": \"bundle\", \"objects\": [{\"type\": \"tool\", \"id\": \"tool--1\"}]}"
        ),
        Err(FlowError::NoFlow)
    );
    let none = bundle(
        &["attack-action--a"],
        vec![action("attack-action--a", "Something", None, &[])],
    );
    assert_eq!(
        read_flow(&none),
        Err(FlowError::NoTechniques("Test Flow".into()))
    );
    assert_eq!(
        read_flow(&bundle(&[], vec![])),
        Err(FlowError::NoTechniques("Test Flow".into()))
    );
}

fn spec(id: &str) -> CampaignSpec {
    CampaignSpec {
        id: id.into(),
        actor: "fin-gang".into(),
        kind: CampaignKind::Ransomware,
        economies: vec!["ar".into()],
        start: Some(2),
    }
}

#[test]
fn the_campaign_is_added_after_the_others_and_the_rest_of_the_file_is_untouched() {
    let flow = read_flow(&bundle(
        &["attack-action--a"],
        vec![
            action(
                "attack-action--a",
                "Phish",
                Some("T1566.001"),
                &["attack-action--b"],
            ),
            action("attack-action--b", "Encrypt", Some("T1486"), &[]),
        ],
    ))
    .expect("the flow reads");
    let before = parse(SMALL).expect("valid").scenario.campaigns.len();
    let text = add_campaign(SMALL, &flow, &spec("test-flow")).expect("added");
    // The block is inserted after the last campaign; every other byte is the file's.
    let start = text
        .find("\n# Imported from")
        .expect("the block has its comment");
    let end = start + (text.len() - SMALL.len());
    assert_eq!(format!("{}{}", &text[..start], &text[end..]), SMALL);
    assert!(text[start..end].contains("[[campaign]]\nid = \"test-flow\""));
    assert!(
        text[end..].starts_with("\n[[inject]]"),
        "{}",
        &text[start..]
    );
    assert!(text.contains("# Imported from the Attack Flow \"Test Flow\" (attack-flow--1)"));
    assert!(text.contains("# Source: https://example.org/report"));
    let scenario = match parse(&text) {
        Ok(checked) => checked.scenario,
        Err(d) => panic!("{}", crate::scenario::render("t.toml", &text, &d)),
    };
    assert_eq!(scenario.campaigns.len(), before + 1);
    let added = &scenario.campaigns[before];
    assert_eq!(added.id, "test-flow");
    assert_eq!(added.name, "Test Flow");
    assert_eq!(added.techniques.initial_access, ["T1566.001"]);
    assert_eq!(added.techniques.impact, ["T1486"]);
    assert_eq!(
        add_campaign(&text, &flow, &spec("test-flow")),
        Err(AddError::Taken("test-flow".into()))
    );
}

#[test]
fn ids_are_made_of_the_flows_name() {
    assert_eq!(id_from_name("Conti Ransomware"), "conti-ransomware");
    assert_eq!(
        id_from_name("  SolarWinds (2020) / SUNBURST "),
        "solarwinds-2020-sunburst"
    );
    assert_eq!(id_from_name("---"), "attack-flow");
}
