//! Tests of loading and validation: defaults, group expansion, target resolution,
//! diagnostics for each class of error.

use super::model::*;
use super::*;

const SMALL: &str = include_str!("../../../tests/good/two-economies.toml");

fn ok(text: &str) -> Checked {
    match parse(text) {
        Ok(checked) => checked,
        Err(diagnostics) => panic!(
            "expected a valid scenario, got:\n{}",
            render("t.toml", text, &diagnostics)
        ),
    }
}

fn errors(text: &str) -> Vec<Diagnostic> {
    match parse(text) {
        Ok(_) => panic!("expected errors"),
        Err(diagnostics) => diagnostics,
    }
}

/// The rendered output, for assertions on messages and positions.
fn rendered(text: &str) -> String {
    render("t.toml", text, &errors(text))
}

const HEAD: &str = "[scenario]\nid = \"t\"\ntitle = \"T\"\nduration_ticks = 10\n\n[[economy]]\nid = \"sg\"\nname = \"S\"\npopulation = 100\nreadiness = { legal = 1, technical = 2, organizational = 3, capacity = 4, cooperation = 5 }\n\n[[sector]]\nid = \"energy\"\nname = \"E\"\n";

#[test]
fn small_scenario_loads_with_resolved_references() {
    let checked = ok(SMALL);
    let s = &checked.scenario;
    assert!(checked.warnings.is_empty(), "{:?}", checked.warnings);
    assert_eq!(s.meta.id, "two-economies");
    assert_eq!(s.economies.len(), 2);
    let ids: Vec<&str> = s.assets.iter().map(|a| a.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "ar-grid",
            "ar-switch",
            "bo-bank-1",
            "bo-bank-2",
            "bo-bank-3"
        ]
    );
    assert_eq!(s.assets[3].name, "Borlandia bank 2");
    assert_eq!(s.cross_border_dependencies(), 3);
    assert_eq!(
        s.injects[2].trigger,
        Trigger::After {
            inject: InjectIdx(1),
            delay: 3
        }
    );
    assert_eq!(s.injects[0].audience, Audience::All);
    assert_eq!(s.objectives[0].scope, ObjectiveScope::Team(TeamIdx(1)));
}

#[test]
fn defaults_chain_asset_then_sector_then_file_then_built_in() {
    let s = ok(SMALL).scenario;
    let grid = &s.assets[0];
    // Sector template: criticality 5, resilience 0.4; file default posture; built-in operator.
    assert_eq!(grid.criticality, 5);
    assert_eq!(grid.resilience, 0.4);
    assert_eq!(
        grid.posture,
        Posture {
            patching: 60,
            monitoring: 50,
            backups: 60
        }
    );
    assert_eq!(grid.operator, Operator::Public);
    assert_eq!(grid.people_served, 5_000_000);
    let switch = &s.assets[1];
    assert_eq!(switch.operator, Operator::Private);
    assert_eq!(switch.people_served, 100_000);
    assert_eq!(switch.resilience, 0.5);
    let bank = &s.assets[2];
    // The group's own posture wins over the file default.
    assert_eq!(
        bank.posture,
        Posture {
            patching: 40,
            monitoring: 30,
            backups: 35
        }
    );
    assert_eq!(s.economies[1].gdp_per_capita, 10_000.0);
    assert_eq!(s.economies[1].trust, 70);
    assert_eq!(s.economies[1].awareness, 35);
    assert_eq!(s.teams[1].analysts, 4);
    assert_eq!(s.meta.mla_delay_without_agreement, 48);
    assert_eq!(s.meta.assistance_delay_without_agreement, 12);
    assert_eq!(s.campaigns[0].stage_ticks, 3);
    assert_eq!(
        s.campaigns[0].impact,
        default_impact(CampaignKind::Phishing)
    );
    assert_eq!(s.campaigns[1].stage_ticks, 2);
    assert_eq!(s.objectives[0].weight, 1.0);
}

#[test]
fn groups_expand_in_file_order_and_split_dependency_weight() {
    let text = format!(
        "{HEAD}\n[[asset]]\nid = \"a\"\nname = \"A\"\neconomy = \"sg\"\nsector = \"energy\"\ndepends_on = [{{ on = \"g\", weight = 0.6 }}, {{ on = \"b\", weight = 0.2 }}]\n\n[[asset_group]]\nid = \"g\"\nname = \"G{{n}}\"\ncount = 3\neconomy = \"sg\"\nsector = \"energy\"\n\n[[asset]]\nid = \"b\"\nname = \"B\"\neconomy = \"sg\"\nsector = \"energy\"\n"
    );
    let s = ok(&text).scenario;
    let ids: Vec<&str> = s.assets.iter().map(|a| a.id.as_str()).collect();
    assert_eq!(ids, ["a", "g-1", "g-2", "g-3", "b"]);
    assert_eq!(s.assets[2].name, "G2");
    let deps: Vec<(u32, f64)> = s.assets[0]
        .depends_on
        .iter()
        .map(|d| (d.on.0, d.weight))
        .collect();
    assert_eq!(deps.len(), 4);
    assert_eq!(deps[3], (4, 0.2));
    for (k, (on, w)) in deps[..3].iter().enumerate() {
        assert_eq!(*on, k as u32 + 1);
        assert!((w - 0.2).abs() < 1e-12);
    }
    assert_eq!(s.assets[0].depends_on[0].kind, DependencyKind::Cyber);
}

#[test]
fn targets_resolve_by_filters_and_listed_assets() {
    let s = ok(SMALL).scenario;
    // `sectors = ["finance"]`: the switch and the three banks.
    assert_eq!(
        s.campaigns[0].targets,
        vec![AssetIdx(1), AssetIdx(2), AssetIdx(3), AssetIdx(4)]
    );
    // Only assets listed: exactly those, the filters add nothing.
    assert_eq!(s.campaigns[1].targets, vec![AssetIdx(1)]);
    let text = SMALL.replace(
        "targets = { assets = [\"ar-switch\"] }",
        "targets = { assets = [\"bo-bank\"], economies = [\"ar\"], sectors = [\"energy\"] }",
    );
    let s = ok(&text).scenario;
    // The group means all its members; plus the Aramian energy assets.
    assert_eq!(
        s.campaigns[1].targets,
        vec![AssetIdx(0), AssetIdx(2), AssetIdx(3), AssetIdx(4)]
    );
    let text = SMALL.replace("targets = { assets = [\"ar-switch\"] }", "targets = {}");
    assert_eq!(ok(&text).scenario.campaigns[1].targets.len(), 5);
}

#[test]
fn unknown_field_suggests_the_right_name() {
    let text = format!(
        "{HEAD}\n[[asset]]\nid = \"a\"\nname = \"A\"\neconomy = \"sg\"\nsector = \"energy\"\nresilence = 0.5\n"
    );
    let out = rendered(&text);
    assert!(
        out.contains("t.toml:21:1: error: unknown field `resilence` in `asset[0]`"),
        "{out}"
    );
    assert!(out.contains("= hint: did you mean `resilience`?"), "{out}");
}

#[test]
fn unknown_variant_and_dangling_references_are_all_reported() {
    let text = format!(
        "{HEAD}\n[[asset]]\nid = \"a\"\nname = \"A\"\neconomy = \"sgg\"\nsector = \"enrgy\"\n\n[[actor]]\nid = \"x\"\nname = \"X\"\nkind = \"criminall\"\ncapability = 5\n"
    );
    let out = rendered(&text);
    assert!(
        out.contains("t.toml:19:11: error: unknown economy `sgg`"),
        "{out}"
    );
    assert!(out.contains("did you mean `sg`?"), "{out}");
    assert!(
        out.contains("t.toml:20:10: error: unknown sector `enrgy`"),
        "{out}"
    );
    assert!(out.contains("unknown value `criminall`"), "{out}");
    assert!(out.contains("did you mean `criminal`?"), "{out}");
}

#[test]
fn all_problems_are_reported_in_file_order() {
    let text = SMALL
        .replace("capability = 60", "capability = 160")
        .replace("count = 3", "count = 0")
        .replace("delay = 2", "delay = -2");
    let diagnostics = errors(&text);
    assert!(diagnostics.len() >= 3, "{diagnostics:?}");
    let starts: Vec<usize> = diagnostics.iter().map(|d| d.span.start).collect();
    let mut sorted = starts.clone();
    sorted.sort_unstable();
    assert_eq!(starts, sorted);
}

#[test]
fn did_you_mean_for_ids_and_sections() {
    let text = format!("{HEAD}\n[[asets]]\nid = \"a\"\n");
    let out = rendered(&text);
    assert!(out.contains("unknown section `asets`"), "{out}");
    assert!(out.contains("did you mean `asset`?"), "{out}");
}

#[test]
fn empty_and_binary_input_give_diagnostics() {
    assert!(
        errors("")
            .iter()
            .any(|d| d.message.contains("missing `[scenario]`"))
    );
    assert!(!errors("\u{0}\u{1}\u{2}garbage[[").is_empty());
    let (lossy, diagnostic) = decode(vec![b'a', b'\n', 0xff, b'b']).expect_err("not utf-8");
    assert_eq!(diagnostic.span, 2..5);
    assert!(
        render("f", &lossy, &[diagnostic]).starts_with("f:2:1: error: the file is not valid UTF-8")
    );
}

#[test]
fn deep_nesting_is_refused_without_overflow() {
    let deep_conditions = format!(
        "{HEAD}\n[[inject]]\nid = \"i\"\nheadline = \"h\"\nwhen = {}{{ tick_at_least = 1 }}{}\n",
        "{ not = ".repeat(70),
        " }".repeat(70)
    );
    assert!(!errors(&deep_conditions).is_empty());
    let dotted = format!("{HEAD}\n[inject.{}]\n", vec!["not"; 10_000].join("."));
    assert!(!errors(&dotted).is_empty());
    let brackets = "[".repeat(100_000);
    assert!(!errors(&brackets).is_empty());
}

#[test]
fn validate_without_text_builds_the_same_model() {
    let raw: raw::RawScenario = toml::from_str(SMALL).expect("parses");
    let from_raw = validate(&raw).expect("valid");
    assert_eq!(from_raw.scenario, ok(SMALL).scenario);
}

#[test]
fn a_deep_tree_within_the_text_limits_is_refused_after_parsing() {
    // 30 dotted segments and 40 inline tables each pass the text scan, but together they
    // nest beyond the tree limit, which must be caught before deserializing.
    let header = vec!["not"; 30].join(".");
    let value = format!(
        "{}{{ tick_at_least = 1 }}{}",
        "{ not = ".repeat(40),
        " }".repeat(40)
    );
    let text = format!(
        "{HEAD}\n[[inject]]\nid = \"i\"\nheadline = \"h\"\n[inject.when.{header}]\nnot = {value}\n"
    );
    let diagnostics = errors(&text);
    assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
    assert!(
        diagnostics[0]
            .message
            .contains("nested more than 64 levels"),
        "{diagnostics:?}"
    );
}

#[test]
fn generated_text_and_generated_raw_scenario_validate_to_the_same_model() {
    let opts = generate::GenerateOptions {
        economies: 7,
        assets: 5_000,
        seed: 11,
    };
    let from_text = ok(&generate::generate_toml(opts));
    let from_raw = validate(&generate::generate(opts)).expect("the generated scenario is valid");
    assert_eq!(from_text.scenario.assets.len(), 5_000);
    assert_eq!(from_text.scenario, from_raw.scenario);
}

#[test]
fn bundled_scenarios_are_valid_without_warnings() {
    for (name, text) in [
        ("tutorial", include_str!("../../../scenarios/tutorial.toml")),
        (
            "apec-regional",
            include_str!("../../../scenarios/apec-regional.toml"),
        ),
        (
            "itu-cirt-drill",
            include_str!("../../../scenarios/itu-cirt-drill.toml"),
        ),
    ] {
        let checked = ok(text);
        assert!(
            checked.warnings.is_empty(),
            "{name}: {:?}",
            checked.warnings
        );
    }
}

#[test]
fn the_authoring_guide_example_is_the_tested_fixture_and_is_valid() {
    let guide = include_str!("../../../scenarios/README.md");
    let start = guide
        .find("```toml\n")
        .expect("the guide has a TOML example")
        + "```toml\n".len();
    let end = start + guide[start..].find("```").expect("the example is closed");
    let example = &guide[start..end];
    assert_eq!(
        example, SMALL,
        "the guide's example drifted from tests/good/two-economies.toml"
    );
    assert!(ok(example).warnings.is_empty());
}

#[test]
fn a_broken_scenario_table_does_not_hide_other_problems() {
    let text = SMALL
        .replace("title = \"Two economies, one payment switch\"\n", "")
        .replace(
            "economy = \"ar\"\nsector = \"energy\"",
            "economy = \"aar\"\nsector = \"energy\"",
        );
    let out = rendered(&text);
    assert!(out.contains("missing field `title` in `scenario`"), "{out}");
    assert!(out.contains("unknown economy `aar`"), "{out}");
    // No error about the clock, which is unknown rather than wrong.
    assert!(!out.contains("after the end of the exercise"), "{out}");
}

#[test]
fn a_scenario_with_no_assets_reports_campaigns_without_targets() {
    let text = format!(
        "{HEAD}\n[[actor]]\nid = \"x\"\nname = \"X\"\nkind = \"criminal\"\ncapability = 5\n\n[[campaign]]\nid = \"c\"\nname = \"C\"\nactor = \"x\"\nkind = \"ddos\"\ntargets = {{}}\nstart = 1\n"
    );
    let out = rendered(&text);
    assert!(
        out.contains("the campaign's targets match no asset"),
        "{out}"
    );
}

/// The earliest tick of an inject settles through chains written against file order
/// (`after` on an inject further down, itself waiting on `inject_fired`), and a delay
/// that fits is not reported.
#[test]
fn an_after_chain_past_the_end_is_a_warning_whatever_the_file_order() {
    let injects = |last_delay: u32| {
        format!(
            "{SMALL}\n[[inject]]\nid = \"third\"\nheadline = \"3\"\nafter = {{ inject = \"second\", delay = {last_delay} }}\n\n\
             [[inject]]\nid = \"second\"\nheadline = \"2\"\nwhen = {{ all = [{{ tick_at_least = 3 }}, {{ inject_fired = \"first\" }}] }}\n\n\
             [[inject]]\nid = \"first\"\nheadline = \"1\"\nat = 20\n"
        )
    };
    // `first` at 20, `second` no earlier, `third` 4 later: 24, the last tick.
    assert!(ok(&injects(4)).warnings.is_empty());
    let late = ok(&injects(5));
    let messages: Vec<&str> = late.warnings.iter().map(|d| d.message.as_str()).collect();
    assert_eq!(
        messages,
        [
            "this delay puts the inject at tick 25 at the earliest, after the end of the exercise (tick 24)"
        ]
    );
}
