//! The report as one self-contained HTML page: inline CSS and inline SVG charts, no
//! script and no network, so it opens anywhere (a projector laptop offline included).

use std::fmt::Write;

use super::analysis::{self, Theme};
use super::lessons::Finding;
use super::tables::{self, Table};
use super::{ReportInput, charts, lessons, loss_causes, map, metrics, swimlanes, what_if};

/// Escapes text for HTML element content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

const STYLE: &str = "body{font-family:system-ui,sans-serif;max-width:960px;margin:2em auto;\
padding:0 1em;color:#222}h1{margin-bottom:0}h2{border-bottom:2px solid #ddd;padding-bottom:.2em;\
margin-top:2em}table{border-collapse:collapse;margin:.5em 0;font-size:.92em}\
td,th{border:1px solid #ccc;padding:.25em .6em;text-align:left;vertical-align:top}\
th{background:#f3f3f3}td.n{text-align:right}.muted{color:#666}.notice{background:#fff4d6;\
border:1px solid #e0b000;padding:.5em 1em}.chart svg{max-width:100%;height:auto}\
.key span{display:inline-block;width:1em;height:1em;margin:0 .3em 0 1em;vertical-align:middle}\
details{margin:.4em 0}";

/// One table: numeric columns right-aligned.
pub fn table(table: &Table) -> String {
    let mut out = String::from("<table><tr>");
    for column in &table.columns {
        let _ = write!(out, "<th>{}</th>", escape(&column.title));
    }
    out.push_str("</tr>\n");
    for row in &table.rows {
        out.push_str("<tr>");
        for (cell, column) in row.iter().zip(&table.columns) {
            let class = if column.numeric { " class=\"n\"" } else { "" };
            let _ = write!(out, "<td{class}>{}</td>", escape(cell));
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</table>\n");
    out
}

/// Renders the whole report.
pub fn render(input: &ReportInput) -> anyhow::Result<String> {
    let mut page = String::new();
    let title = &input.view.title;
    let _ = write!(
        page,
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <title>After-action report: {}</title><style>{STYLE}</style></head><body>\n",
        escape(title)
    );
    let _ = writeln!(
        page,
        "<h1>After-action report</h1><p class=\"muted\">{}</p>",
        escape(title)
    );
    summary(&mut page, input);
    page.push_str("<h2>Questions for the debrief</h2>\n");
    questions(&mut page, input);
    page.push_str("<h2>The region</h2>\n");
    region(&mut page, input);
    page.push_str("<h2>Service, trust and loss</h2>\n");
    for svg in [
        charts::service_by_sector(input)?,
        charts::trust_by_economy(input)?,
        charts::loss_by_economy(input)?,
    ] {
        let _ = writeln!(page, "<div class=\"chart\">{svg}</div>");
    }
    page.push_str("<h3>Economies at the end</h3>\n");
    page.push_str(&table(&tables::economies_at_end(input)));
    page.push_str("<h3>Where the money went</h3>\n");
    let _ = writeln!(
        page,
        "<div class=\"chart\">{}</div>",
        loss_causes::svg(input)?
    );
    page.push_str(&table(&loss_causes::table(input)));
    page.push_str("<h4>Outages by sector</h4>\n");
    page.push_str(&table(&loss_causes::by_sector(input)));
    page.push_str("<h4>Costliest assets</h4>\n");
    page.push_str(&table(&loss_causes::top_assets(input)));
    page.push_str("<h3>What moved trust</h3>\n");
    page.push_str(&table(&tables::trust_moves(input)));
    page.push_str("<h3>Self-assessment: readiness at the start and the end</h3>\n");
    page.push_str(&table(&tables::self_assessment(input)));
    page.push_str("<h3>Lowest service by sector</h3>\n");
    page.push_str(&table(&tables::lowest_service_by_sector(input)));
    page.push_str("<h2>Incidents</h2>\n");
    incidents(&mut page, input)?;
    page.push_str("<h2>Time to detect, contain and recover</h2>\n");
    page.push_str(
        "<p class=\"muted\">Mean simulated hours from the start of each compromise.</p>\n",
    );
    page.push_str(&table(&tables::response_times(input)));
    page.push_str("<h2>Who knew what, when</h2>\n");
    who_knew(&mut page, input)?;
    page.push_str("<h2>Objectives</h2>\n");
    page.push_str(&table(&tables::objectives(input)));
    if let Some(training) = tables::training_objectives(input) {
        page.push_str("<h2>Training objectives</h2>\n");
        page.push_str(&table(&training));
    }
    if let Some(expected) = tables::expected_actions(input) {
        page.push_str("<h2>Expected actions</h2>\n");
        page.push_str(&table(&expected));
    }
    if let Some(coverage) = tables::attack_coverage(input) {
        page.push_str("<h2>ATT&amp;CK coverage</h2>\n");
        page.push_str(&format!(
            "<p class=\"muted\">{}</p>\n",
            escape(tables::COVERAGE_NOTE)
        ));
        page.push_str(&table(&coverage));
    }
    lessons(&mut page, input);
    if let Some(what_if) = &input.what_if {
        page.push_str("<h2>What if</h2>\n");
        let _ = writeln!(
            page,
            "<p class=\"muted\">{}</p>\n<ul>",
            escape(&what_if::introduction(what_if))
        );
        for sentence in what_if::sentences(what_if) {
            let _ = writeln!(page, "<li>{}</li>", escape(&sentence));
        }
        page.push_str("</ul>\n");
        page.push_str(&table(&what_if::table(what_if)));
    }
    page.push_str("<h2>Injects</h2>\n");
    page.push_str(&table(&tables::injects(input)));
    if let Some(points) = tables::decision_points(input) {
        page.push_str("<h2>Decision points</h2>\n");
        page.push_str(&table(&points));
    }
    if let Some(session) = tables::session(input) {
        page.push_str("<h2>Session</h2>\n");
        page.push_str(&table(&session));
    }
    page.push_str("<h2>Decisions and messages per team</h2>\n");
    decisions(&mut page, input)?;
    page.push_str("<h2>Metrics</h2>\n");
    page.push_str(&table(&metrics::figures(input)));
    for (title, list) in metrics::lists(input) {
        let _ = writeln!(page, "<h3>{}</h3>\n{}", escape(&title), table(&list));
    }
    page.push_str("</body></html>\n");
    Ok(page)
}

fn summary(page: &mut String, input: &ReportInput) {
    for notice in &input.notices {
        let _ = writeln!(page, "<p class=\"notice\">{}</p>", escape(notice));
    }
    page.push_str("<table>\n");
    for (name, value) in tables::summary(input) {
        let _ = writeln!(page, "<tr><th>{name}</th><td>{}</td></tr>", escape(&value));
    }
    page.push_str("</table>\n");
}

fn questions(page: &mut String, input: &ReportInput) {
    let questions = analysis::debrief_questions(input);
    if questions.is_empty() {
        page.push_str(
            "<p>Every incident was detected, shared and contained, no cascade crossed a border \
             and every objective was met. Ask the teams what made that work.</p>\n",
        );
        return;
    }
    let mut theme: Option<Theme> = None;
    for q in &questions {
        if theme != Some(q.theme) {
            if theme.is_some() {
                page.push_str("</ol>\n");
            }
            let _ = writeln!(page, "<h3>{}</h3><ol>", q.theme.title());
            theme = Some(q.theme);
        }
        let _ = writeln!(page, "<li>{}</li>", escape(&q.text));
    }
    page.push_str("</ol>\n");
}

/// The timeline charts (every incident, [`charts::MAX_INCIDENT_ROWS`] to a chart) and
/// every incident in a table.
fn incidents(page: &mut String, input: &ReportInput) -> anyhow::Result<()> {
    let total = input.view.incidents.len();
    if total == 0 {
        page.push_str("<p>No incident occurred.</p>\n");
        return Ok(());
    }
    let _ = writeln!(
        page,
        "<p class=\"key\">{total} incident(s).<span style=\"background:{}\"></span>undetected\
         <span style=\"background:{}\"></span>detected<span style=\"background:{}\"></span>\
         contained<span style=\"background:{}\"></span>recovered</p>",
        charts::hex(charts::UNDETECTED),
        charts::hex(charts::DETECTED),
        charts::hex(charts::CONTAINED),
        charts::hex(charts::RECOVERED),
    );
    for svg in charts::incident_timelines(input)? {
        let _ = writeln!(page, "<div class=\"chart\">{svg}</div>");
    }
    let _ = writeln!(
        page,
        "<details><summary>Every incident ({total})</summary>{}</details>",
        table(&tables::incidents(input, 0))
    );
    Ok(())
}

/// The map of economies and their cross-border dependencies, and the same as a table.
fn region(page: &mut String, input: &ReportInput) {
    let _ = writeln!(
        page,
        "<p class=\"muted\">An arrow runs from an economy to the one its assets depend on \
         (its width: the summed weight; its number: how many asset dependencies). Hover a \
         node or an arrow for its figures.</p>\n<div class=\"chart\">{}</div>",
        map::svg(&input.view)
    );
    let links = tables::cross_border(input);
    if links.rows.is_empty() {
        page.push_str("<p>No asset depends on another economy's.</p>\n");
    } else {
        page.push_str(&table(&links));
    }
}

/// When each economy learned of each campaign and incident, and how: the swimlane chart
/// with its key, the campaigns' table, and every learning in a table.
fn who_knew(page: &mut String, input: &ReportInput) -> anyhow::Result<()> {
    if input.view.incidents.is_empty() {
        page.push_str("<p>No incident occurred: nobody had anything to learn.</p>\n");
        return Ok(());
    }
    page.push_str("<p class=\"key\">");
    for (symbol, meaning) in swimlanes::WHO_KNEW_KEY {
        let _ = write!(page, "<b>{symbol}</b> {} &nbsp; ", escape(meaning));
    }
    page.push_str("<br>Colour: the campaign");
    for campaign in &input.view.campaigns {
        let _ = write!(
            page,
            "<span style=\"background:{}\"></span>{}",
            charts::hex(swimlanes::campaign_colour(Some(campaign.idx))),
            escape(&campaign.name)
        );
    }
    let _ = writeln!(
        page,
        "<span style=\"background:{}\"></span>a hazard or an unidentified campaign</p>",
        charts::hex(swimlanes::campaign_colour(None))
    );
    let _ = writeln!(
        page,
        "<div class=\"chart\">{}</div>",
        swimlanes::who_knew(input)?
    );
    page.push_str("<h3>When each economy first learned of each campaign</h3>\n");
    page.push_str(&table(&tables::who_knew_campaigns(input)));
    let learned = tables::who_knew(input);
    let _ = writeln!(
        page,
        "<details><summary>Every economy that learned of every incident ({})</summary>{}</details>",
        learned.rows.len(),
        table(&learned)
    );
    Ok(())
}

fn decisions(page: &mut String, input: &ReportInput) -> anyhow::Result<()> {
    let per_actor = tables::decisions(input);
    if per_actor.is_empty() {
        page.push_str("<p>No team took any decision.</p>\n");
        return Ok(());
    }
    let _ = writeln!(
        page,
        "<div class=\"chart\">{}</div>",
        swimlanes::decision_timeline(input)?
    );
    let timeline = tables::decision_timeline(input);
    let _ = writeln!(
        page,
        "<details><summary>Every decision and message in order ({})</summary>{}</details>",
        timeline.rows.len(),
        table(&timeline)
    );
    for actor in per_actor {
        let _ = writeln!(
            page,
            "<details><summary><b>{}</b>: {} decision(s) and message(s)</summary>{}</details>",
            escape(&actor.name),
            actor.count,
            table(&actor.table)
        );
    }
    Ok(())
}

/// HSEEP's lessons learned: strengths, areas for improvement with their evidence, the
/// improvement plan, then the answers and notes they were drawn from.
fn lessons(page: &mut String, input: &ReportInput) {
    let lessons = lessons::lessons(input);
    let _ = writeln!(
        page,
        "<h2>Strengths</h2>\n<p class=\"muted\">{}</p>",
        escape(lessons::LESSONS_NOTE)
    );
    findings(page, &lessons.strengths, "No strength was recorded.");
    page.push_str("<h2>Areas for improvement</h2>\n");
    findings(
        page,
        &lessons.areas_for_improvement,
        "No area for improvement was recorded.",
    );
    page.push_str("<h2>Improvement plan</h2>\n");
    if lessons.plan.rows.is_empty() {
        let _ = writeln!(page, "<p>{}</p>", escape(lessons::NO_PLAN));
    } else {
        page.push_str(&table(&lessons.plan));
    }
    if let Some(answers) = &lessons.answers {
        page.push_str("<h3>Answers to the discussion questions</h3>\n");
        page.push_str(&table(answers));
    }
    if let Some(notes) = &lessons.notes {
        page.push_str("<h3>Evaluators' notes</h3>\n");
        page.push_str(&table(notes));
    }
}

/// Findings as a numbered list, each with its source and evidence.
fn findings(page: &mut String, findings: &[Finding], none: &str) {
    if findings.is_empty() {
        let _ = writeln!(page, "<p>{}</p>", escape(none));
        return;
    }
    page.push_str("<ol>\n");
    for finding in findings {
        let _ = write!(
            page,
            "<li><b>{}</b> <span class=\"muted\">({})</span>",
            escape(&finding.statement),
            escape(&finding.source)
        );
        if !finding.evidence.is_empty() {
            page.push_str("<ul>");
            for evidence in &finding.evidence {
                let _ = write!(page, "<li>{}</li>", escape(&evidence.line()));
            }
            page.push_str("</ul>");
        }
        page.push_str("</li>\n");
    }
    page.push_str("</ol>\n");
}
