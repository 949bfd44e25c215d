//! The package is built from the scenario: every element an author wrote reaches the
//! document that needs it, and nothing meant for the facilitator reaches the players'.

use cyberdrill_engine::scenario::parse;

use super::render::{to_html, to_markdown};
use super::{Block, Doc, documents};

const EXAMPLE: &str = include_str!("../../../tests/good/exercise-package.toml");

fn docs() -> Vec<Doc> {
    let scenario = match parse(EXAMPLE) {
        Ok(checked) => checked.scenario,
        Err(d) => panic!("{d:?}"),
    };
    documents(&scenario, EXAMPLE)
}

fn text(doc: &Doc) -> String {
    to_markdown(doc)
}

#[test]
fn the_three_documents_in_the_order_they_are_handed_out() {
    let files: Vec<&str> = docs().iter().map(|d| d.file).collect();
    assert_eq!(
        files,
        ["situation-manual", "facilitator-guide", "evaluator-guide"]
    );
}

#[test]
fn the_situation_manual_tells_the_situation_and_not_the_injects() {
    let docs = docs();
    let manual = text(&docs[0]);
    for expected in [
        "# Two economies, one payment switch: situation manual",
        "A phishing wave hits bank staff in Aramia",
        "## Economies and readiness",
        "| Aramia | 5,000,000 | 70 | 75 | 70 | 60 | 65 |",
        "| Borlandia | 12,000,000 | 30 | 35 | 40 | 25 | 30 |",
        "Regional payment switch",
        "## Teams and what they can do",
        "| Aramia CSIRT | CSIRT | Aramia | 6 |",
        "### Actions of a CSIRT team",
        "- contain:",
        "## Objectives",
        "service of Banking and payments in Borlandia stays at or above 70%",
        "## Rules of play",
        "ticks of 1 h; the exercise ends after tick 24",
        "## Schedule by module",
        "Starts:** 2026-03-02 08:00",
    ] {
        assert!(manual.contains(expected), "{expected:?} not in:\n{manual}");
    }
    for secret in [
        "Payment switch operator reports",
        "Isolate the encrypted servers",
        "T1486",
        "evaluator",
    ] {
        assert!(
            !manual.contains(secret),
            "{secret:?} leaks into the situation manual"
        );
    }
}

#[test]
fn the_facilitator_guide_holds_the_msel_with_expected_actions_and_questions() {
    let guide = text(&docs()[1]);
    for expected in [
        "## Timeline",
        "| at tick 2 (start + 2 h) | Banks warn customers of fake login pages | Regional Banking Association | media | every team |",
        "### Payment switch operator reports encrypted servers (ransom-begins)",
        "**From:** Switch operator's duty manager",
        "**Channel:** phone",
        "**Fires:** when { all = [{ tick_at_least = 6 }, { detected = \"phish-banks\" }] }",
        "starts the campaign “Ransomware on the payment switch”",
        "moves public trust in Borlandia by -5",
        "| Isolate the encrypted servers | Aramia CSIRT | automatically: `contain` sent within 3 ticks (3 h) of the inject | 100 | Keep Borlandia's banks above 70% service |",
        "3 ticks after “Payment switch operator reports encrypted servers”",
        "every CSIRT team",
        "| Agree a joint public statement with the partner CSIRT | Aramia CSIRT, Borlandia CIRT | by the evaluators | 30 |",
        "- Who decides to take the switch offline?",
        "## The adversary",
        "initial access: T1133; foothold: T1021.001, T1059.001; impact: T1486, T1490",
    ] {
        assert!(guide.contains(expected), "{expected:?} not in:\n{guide}");
    }
}

#[test]
fn the_evaluator_guide_lists_each_training_objective_with_its_criteria() {
    let guide = text(&docs()[2]);
    for expected in [
        "### Contain ransomware on critical payment infrastructure within hours",
        "**Core capability:** Operational coordination",
        "The APEC strategy's cooperation across economies",
        "| objective: Keep Borlandia's banks above 70% service (service of Banking and payments in Borlandia stays at or above 70%) | automatically | 70% |",
        "| expected action: Agree a joint public statement with the partner CSIRT (after “Minister asks for a joint statement”) | by the evaluators | 100% |",
        "Observe: Does the CSIRT warn Borlandia's banks before they lose the switch?",
        "## Objectives and how they are scored",
        "## Your notes in the after-action report",
        "under the areas for improvement of the team it is about",
    ] {
        assert!(guide.contains(expected), "{expected:?} not in:\n{guide}");
    }
}

#[test]
fn html_and_markdown_carry_the_same_sections_and_escape_markup() {
    for doc in docs() {
        let html = to_html(&doc);
        assert!(html.starts_with("<!DOCTYPE html>") && html.ends_with("</html>\n"));
        assert!(
            !html.contains("<script") && !html.contains("http"),
            "self-contained"
        );
        for section in &doc.sections {
            let title = super::super::report::html::escape(&section.title);
            assert!(html.contains(&format!("<h2>{title}</h2>")), "{title}");
            assert!(to_markdown(&doc).contains(&format!("## {}", section.title)));
            for block in &section.blocks {
                if let Block::Heading(h) = block {
                    assert!(html.contains(&super::super::report::html::escape(h)));
                }
            }
        }
    }
    let hostile = EXAMPLE.replace(
        "title = \"Two economies, one payment switch\"",
        "title = \"<script>alert(1)</script>\"",
    );
    let scenario = parse(&hostile)
        .map(|c| c.scenario)
        .unwrap_or_else(|d| panic!("{d:?}"));
    let html = to_html(&documents(&scenario, &hostile)[0]);
    assert!(!html.contains("<script>") && html.contains("&lt;script&gt;"));
}

/// The situation manual gives each economy's output over the exercise: the yardstick
/// every loss on the screens and in the report is a share of.
#[test]
fn the_situation_manual_gives_each_economys_output_for_the_exercise() {
    let scenario = match parse(EXAMPLE) {
        Ok(checked) => checked.scenario,
        Err(d) => panic!("{d:?}"),
    };
    let manual = text(&docs()[0]);
    assert!(manual.contains("output for the exercise"), "{manual}");
    for (i, e) in scenario.economies.iter().enumerate() {
        let output = cyberdrill_engine::economics::exercise_output(
            &scenario,
            Some(cyberdrill_engine::scenario::model::EconomyIdx(i as u32)),
        );
        assert!(output > 0.0);
        let Some(row) = manual
            .lines()
            .find(|l| l.starts_with(&format!("| {} |", e.name)))
        else {
            panic!("no row for {}: {manual}", e.name);
        };
        assert!(
            row.ends_with(&format!("| {} |", cyberdrill_engine::money::short(output))),
            "{row}"
        );
    }
}
