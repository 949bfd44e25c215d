//! The report as Markdown, for forum minutes and wikis: the same facts as the HTML page,
//! as tables and lists (the charts are summarised as figures).

use std::fmt::Write;

use super::analysis::{self, Theme};
use super::lessons::Finding;
use super::tables::{self, Table};
use super::{ReportInput, lessons, loss_causes, metrics, what_if};

/// Makes text safe inside a Markdown table cell.
fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace(['\n', '\r'], " ")
}

/// One table: numeric columns right-aligned.
pub fn table(table: &Table) -> String {
    let titles: Vec<String> = table.columns.iter().map(|c| cell(&c.title)).collect();
    let rules: Vec<&str> = table
        .columns
        .iter()
        .map(|c| if c.numeric { "---:" } else { "---" })
        .collect();
    let mut out = format!("| {} |\n|{}|\n", titles.join(" | "), rules.join("|"));
    for row in &table.rows {
        let cells: Vec<String> = row.iter().map(|c| cell(c)).collect();
        let _ = writeln!(out, "| {} |", cells.join(" | "));
    }
    out
}

/// Renders the whole report.
pub fn render(input: &ReportInput) -> String {
    let mut md = String::new();
    let _ = writeln!(md, "# After-action report: {}\n", input.view.title);
    for notice in &input.notices {
        let _ = writeln!(md, "> **Note:** {notice}\n");
    }
    for (name, value) in tables::summary(input) {
        let _ = writeln!(md, "- {name}: {}", code_if_hash(name, &value));
    }

    md.push_str("\n## Questions for the debrief\n\n");
    let questions = analysis::debrief_questions(input);
    if questions.is_empty() {
        md.push_str("Everything was detected, shared and contained: ask what made that work.\n");
    }
    let mut theme: Option<Theme> = None;
    for q in &questions {
        if theme != Some(q.theme) {
            let _ = writeln!(md, "\n### {}\n", q.theme.title());
            theme = Some(q.theme);
        }
        let _ = writeln!(md, "1. {}", q.text);
    }

    section(
        &mut md,
        "Cross-border dependencies",
        &tables::cross_border(input),
    );
    section(
        &mut md,
        "Economies at the end",
        &tables::economies_at_end(input),
    );
    md.push_str("\n## Where the money went\n\n");
    for sentence in loss_causes::sentences(input) {
        let _ = writeln!(md, "- {sentence}");
    }
    md.push('\n');
    md.push_str(&table(&loss_causes::table(input)));
    let _ = write!(
        md,
        "\n### Outages by sector\n\n{}\n### Costliest assets\n\n{}",
        table(&loss_causes::by_sector(input)),
        table(&loss_causes::top_assets(input))
    );
    section(&mut md, "What moved trust", &tables::trust_moves(input));
    section(
        &mut md,
        "Self-assessment: readiness at the start and the end",
        &tables::self_assessment(input),
    );
    section(
        &mut md,
        "Lowest service by sector",
        &tables::lowest_service_by_sector(input),
    );
    md.push_str(
        "\n## Time to detect, contain and recover\n\nMean simulated hours from the start of each compromise.\n\n",
    );
    md.push_str(&table(&tables::response_times(input)));
    section(&mut md, "Incidents", &tables::incidents(input, 0));
    section(
        &mut md,
        "Who knew what, when: campaigns",
        &tables::who_knew_campaigns(input),
    );
    section(
        &mut md,
        "Who knew what, when: incidents",
        &tables::who_knew(input),
    );
    section(&mut md, "Objectives", &tables::objectives(input));
    if let Some(training) = tables::training_objectives(input) {
        section(&mut md, "Training objectives", &training);
    }
    if let Some(expected) = tables::expected_actions(input) {
        section(&mut md, "Expected actions", &expected);
    }
    if let Some(coverage) = tables::attack_coverage(input) {
        md.push_str(&format!(
            "\n## ATT&CK coverage\n\n{}\n\n",
            tables::COVERAGE_NOTE
        ));
        md.push_str(&table(&coverage));
    }
    lessons(&mut md, input);
    if let Some(what_if) = &input.what_if {
        let _ = writeln!(md, "\n## What if\n\n{}\n", what_if::introduction(what_if));
        for sentence in what_if::sentences(what_if) {
            let _ = writeln!(md, "- {}", inline(&sentence));
        }
        md.push('\n');
        md.push_str(&table(&what_if::table(what_if)));
    }
    section(&mut md, "Injects", &tables::injects(input));
    if let Some(points) = tables::decision_points(input) {
        section(&mut md, "Decision points", &points);
    }

    if let Some(session) = tables::session(input) {
        section(&mut md, "Session", &session);
    }
    section(
        &mut md,
        "Decision timeline",
        &tables::decision_timeline(input),
    );
    md.push_str("\n## Decisions and messages per team\n");
    for actor in tables::decisions(input) {
        let _ = write!(
            md,
            "\n### {} ({})\n\n{}",
            actor.name,
            actor.count,
            table(&actor.table)
        );
    }
    section(&mut md, "Metrics", &metrics::figures(input));
    for (title, list) in metrics::lists(input) {
        let _ = write!(md, "\n### {title}\n\n{}", table(&list));
    }
    md
}

/// A `## title` section holding one table.
fn section(md: &mut String, title: &str, rows: &Table) {
    let _ = write!(md, "\n## {title}\n\n{}", table(rows));
}

/// Hashes in code spans, so that they can be copied whole.
fn code_if_hash(name: &str, value: &str) -> String {
    if name.ends_with("hash") || name.ends_with("blake3") {
        format!("`{value}`")
    } else {
        value.to_string()
    }
}

/// HSEEP's lessons learned: strengths, areas for improvement with their evidence, the
/// improvement plan, then the answers and notes they were drawn from.
fn lessons(md: &mut String, input: &ReportInput) {
    let lessons = lessons::lessons(input);
    let _ = writeln!(md, "\n## Strengths\n\n{}\n", lessons::LESSONS_NOTE);
    findings(md, &lessons.strengths, "No strength was recorded.");
    md.push_str("\n## Areas for improvement\n\n");
    findings(
        md,
        &lessons.areas_for_improvement,
        "No area for improvement was recorded.",
    );
    md.push_str("\n## Improvement plan\n\n");
    if lessons.plan.rows.is_empty() {
        let _ = writeln!(md, "{}", lessons::NO_PLAN);
    } else {
        md.push_str(&table(&lessons.plan));
    }
    if let Some(answers) = &lessons.answers {
        let _ = write!(
            md,
            "\n### Answers to the discussion questions\n\n{}",
            table(answers)
        );
    }
    if let Some(notes) = &lessons.notes {
        let _ = write!(md, "\n### Evaluators' notes\n\n{}", table(notes));
    }
}

/// Findings as a numbered list, each with its source and its evidence as sub-items.
fn findings(md: &mut String, findings: &[Finding], none: &str) {
    if findings.is_empty() {
        let _ = writeln!(md, "{none}");
        return;
    }
    for finding in findings {
        let _ = writeln!(
            md,
            "1. **{}** ({})",
            inline(&finding.statement),
            inline(&finding.source)
        );
        for evidence in &finding.evidence {
            let _ = writeln!(md, "   - {}", inline(&evidence.line()));
        }
    }
}

/// Free text on one Markdown list line.
fn inline(text: &str) -> String {
    text.replace(['\n', '\r'], " ")
}
