//! The evaluator guide (HSEEP's exercise evaluation guide): what the exercise trains
//! (training objectives with their core capability and criteria), how the objectives are
//! scored, and every expected action with how it is scored and what to watch for.

use cyberdrill_engine::names::Names;
use cyberdrill_engine::scenario::Scenario;

use super::words::{self, snake};
use super::{Doc, Section};
use crate::report::tables::Table;

/// The evaluator guide of a scenario.
pub fn guide(scenario: &Scenario) -> Doc {
    Doc {
        file: "evaluator-guide",
        title: format!("{}: evaluator guide", scenario.meta.title),
        subtitle: "For the evaluators: what the exercise trains, the criteria of each training objective and what to observe at each inject.".to_string(),
        sections: vec![
            training_objectives(scenario),
            objectives(scenario),
            expected_actions(scenario),
            notes(),
        ],
    }
}

fn training_objectives(scenario: &Scenario) -> Section {
    let names = Names(scenario);
    let mut s = Section::new("Training objectives");
    if scenario.training_objectives.is_empty() {
        s.paragraph(
            "This scenario names no training objective: evaluate the objectives and expected actions below.",
        );
        return s;
    }
    s.paragraph(
        "A training objective is attained by a team when every criterion reaches its minimum \
         score. Criteria scored automatically appear in the after-action report \
         (`cyberdrill report`); the others are yours to judge.",
    );
    for t in &scenario.training_objectives {
        s.heading(t.name.clone());
        s.paragraph(t.description.clone());
        let mut facts = Vec::new();
        if let Some(capability) = t.capability {
            facts.push((
                "Core capability".to_string(),
                capitalised(&snake(&capability)),
            ));
        }
        if !t.teams.is_empty() {
            let teams: Vec<String> = t.teams.iter().map(|x| names.team(*x)).collect();
            facts.push(("Teams".to_string(), teams.join(", ")));
        }
        s.facts(facts);
        let mut criteria =
            Table::with_columns(&[("criterion", false), ("scored", false), ("minimum", true)]);
        for link in &t.objectives {
            let Some(o) = scenario.objectives.get(link.objective.index()) else {
                continue;
            };
            criteria.push(vec![
                format!(
                    "objective: {} ({})",
                    o.description,
                    words::goal(scenario, &o.goal)
                ),
                "automatically".to_string(),
                percent(link.min_score),
            ]);
        }
        for link in &t.expectations {
            let Some(inject) = scenario.injects.get(link.inject.index()) else {
                continue;
            };
            let Some(e) = inject.msel.expectations.get(link.expectation as usize) else {
                continue;
            };
            criteria.push(vec![
                format!(
                    "expected action: {} (after \u{201c}{}\u{201d})",
                    e.description, inject.headline
                ),
                words::scored_by(scenario, e),
                percent(link.min_score),
            ]);
        }
        s.table(criteria);
    }
    s
}

fn objectives(scenario: &Scenario) -> Section {
    let mut s = Section::new("Objectives and how they are scored");
    s.paragraph(
        "The simulation scores each objective from 0 to 1 as it runs; the region's overall score weighs them by their weight.",
    );
    s.table(words::objectives(scenario));
    if scenario.objectives.is_empty() {
        s.paragraph("This scenario sets no scored objective.");
    }
    s
}

fn expected_actions(scenario: &Scenario) -> Section {
    let mut s = Section::new("Expected actions and what to observe");
    let mut any = false;
    for inject in &scenario.injects {
        let notes = inject.msel.evaluator_notes.trim();
        if inject.msel.expectations.is_empty() && notes.is_empty() {
            continue;
        }
        any = true;
        s.heading(format!("After \u{201c}{}\u{201d}", inject.headline));
        let mut table = Table::with_columns(&[
            ("expected action", false),
            ("of", false),
            ("scored", false),
            ("points", true),
        ]);
        for e in &inject.msel.expectations {
            table.push(vec![
                e.description.clone(),
                words::expected_of(scenario, inject, e),
                words::scored_by(scenario, e),
                e.score.to_string(),
            ]);
        }
        s.table(table);
        if !notes.is_empty() {
            s.paragraph(format!("Observe: {notes}"));
        }
    }
    if !any {
        s.paragraph("No inject of this scenario lists expected actions or evaluator notes.");
    }
    s
}

/// Where an evaluator's notes go: the report's lessons learned are built from them.
fn notes() -> Section {
    let mut s = Section::new("Your notes in the after-action report");
    s.paragraph(
        "At your seat (`serve --evaluators N`), `w` writes a note about a team, an objective or \
         the exercise as a whole; it is journaled with the tick and the time of day. The \
         after-action report lists every note and gives each as evidence where it belongs: \
         under the objective it is about (a strength when the objective was met, an area for \
         improvement when it was missed), under the areas for improvement of the team it is \
         about, and, for a note about the exercise, under the facilitator's. Strengths, areas \
         for improvement and the improvement plan follow HSEEP's after-action report (FEMA \
         2020); the plan's actions, owners and due dates come from the hot wash's feedback \
         forms, so ask each team to fill one in.",
    );
    s
}

fn percent(score: f64) -> String {
    format!("{:.0}%", score * 100.0)
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}
