//! Tests of loading as a whole: syntax, shape and semantic diagnostics together, hostile
//! input, and the bundled files. Each section's own checks are tested in its module of
//! `validate/`.

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
    let ids: Vec<String> = s.assets.iter().map(|a| a.id().into_owned()).collect();
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
    assert_eq!(s.assets[3].name(), "Borlandia bank 2");
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
fn unknown_field_suggests_the_right_name() {
    let text = format!(
        "{HEAD}\n[[asset]]\nid = \"a\"\nname = \"A\"\neconomy = \"sg\"\nsector = \"energy\"\nresilence = 0.5\n"
    );
    let out = rendered(&text);
    assert!(
        out.contains(
            "error[unknown-field]: unknown field `resilence` in `asset[0]`\n  --> t.toml:21:1\n"
        ),
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
        out.contains("error[unknown-reference]: unknown economy `sgg`\n  --> t.toml:19:11\n"),
        "{out}"
    );
    assert!(out.contains("did you mean `sg`?"), "{out}");
    assert!(
        out.contains("error[unknown-reference]: unknown sector `enrgy`\n  --> t.toml:20:10\n"),
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
    assert!(render("f", &lossy, &[diagnostic]).starts_with(
        "error[not-utf8]: the file is not valid UTF-8: byte 0xFF at offset 2\n --> f:2:1"
    ));
}

/// A scenario file's text is read once for all its readers: a file that is not UTF-8
/// is refused naming the file and the byte, by [`read_text`] as by [`load_file`], and
/// a readable one comes back as written.
#[test]
fn a_scenario_files_text_is_read_and_refused_alike_by_its_readers() {
    let dir = tempfile::tempdir().expect("tempdir");
    let binary = dir.path().join("binary.toml");
    std::fs::write(&binary, [b'a', b'\n', 0xff, b'b']).expect("write");
    let refused = |e: LoadError| match e {
        LoadError::Invalid { rendered } => rendered,
        other => panic!("expected diagnostics, got {other}"),
    };
    let read = refused(read_text(&binary).expect_err("not utf-8"));
    assert!(read.starts_with("error[not-utf8]: "), "{read}");
    assert!(
        read.contains(&format!("{}:2:1", binary.display())),
        "{read}"
    );
    let loaded = refused(load_file(&binary).expect_err("not utf-8"));
    assert_eq!(loaded, read);
    let good = dir.path().join("good.toml");
    std::fs::write(&good, SMALL).expect("write");
    assert_eq!(read_text(&good).expect("reads"), SMALL);
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
fn the_authoring_guide_lists_every_diagnostic_code() {
    let guide = include_str!("../../../scenarios/README.md");
    for code in Code::ALL {
        let row = format!("| `{}` | {} |", code.as_str(), code.summary());
        assert!(guide.contains(&row), "the guide lacks the row {row}");
    }
}

/// The guide's exercise-package example: every block it shows is in the tested file,
/// which is valid without warnings.
#[test]
fn the_guide_shows_the_exercise_package_example_as_tested() {
    let guide = include_str!("../../../scenarios/README.md");
    let file = include_str!("../../../tests/good/exercise-package.toml");
    let section = guide
        .find("## For the exercise package")
        .expect("the guide has the section");
    let start = section + guide[section..].find("```toml\n").expect("an example") + 8;
    let end = start + guide[start..].find("```").expect("closed");
    let shown = &guide[start..end];
    for block in shown.split("\n\n") {
        assert!(file.contains(block.trim_end()), "not in the file:\n{block}");
    }
    assert!(shown.contains("[[training_objective]]") && shown.contains("expect = ["));
    let checked = ok(file);
    assert!(checked.warnings.is_empty(), "{:?}", checked.warnings);
    assert_eq!(checked.scenario.training_objectives.len(), 2);
}

/// The guide's objective about another economy is valid in its worked example.
#[test]
fn the_guides_objective_about_another_economy_is_valid() {
    let guide = include_str!("../../../scenarios/README.md");
    let at = guide
        .find("id = \"help-bo-contain\"")
        .expect("the guide shows an objective about another economy");
    let start = guide[..at].rfind("```toml\n").expect("in a TOML block") + 8;
    let end = start + guide[start..].find("```").expect("closed");
    let text = format!("{SMALL}\n{}", &guide[start..end]);
    let checked = ok(&text);
    let objective = checked
        .scenario
        .objectives
        .iter()
        .find(|o| o.id == "help-bo-contain")
        .expect("the objective is kept");
    assert_eq!(objective.scope, ObjectiveScope::Team(TeamIdx(0)));
}
