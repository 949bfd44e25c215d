//! The report as one self-contained HTML page: inline CSS and inline SVG charts, no
//! script and no network, so it opens anywhere (a projector laptop offline included).

use std::fmt::Write;

use super::analysis::{self, Theme};
use super::{ReportInput, charts, money};

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
    page.push_str("<h2>Service, trust and loss</h2>\n");
    for svg in [
        charts::service_by_sector(input)?,
        charts::trust_by_economy(input)?,
        charts::loss_by_economy(input)?,
    ] {
        let _ = writeln!(page, "<div class=\"chart\">{svg}</div>");
    }
    page.push_str("<h2>Incidents</h2>\n");
    incidents(&mut page, input)?;
    page.push_str("<h2>Time to detect, contain and recover</h2>\n");
    response_times(&mut page, input);
    page.push_str("<h2>Objectives</h2>\n");
    objectives(&mut page, input);
    page.push_str("<h2>Injects</h2>\n");
    injects(&mut page, input);
    page.push_str("<h2>Decisions and messages per team</h2>\n");
    decisions(&mut page, input);
    page.push_str("<h2>Metrics</h2>\n<table><tr><th>metric</th><th>value</th></tr>\n");
    for (name, value) in input.metric_rows() {
        let _ = writeln!(
            page,
            "<tr><td>{}</td><td class=\"n\">{}</td></tr>",
            escape(&name),
            escape(&value)
        );
    }
    page.push_str("</table>\n</body></html>\n");
    Ok(page)
}

fn summary(page: &mut String, input: &ReportInput) {
    let h = &input.header;
    if let Some(cut) = &input.recovered {
        let _ = writeln!(page, "<p class=\"notice\">{}</p>", escape(&cut.to_string()));
    }
    let economies: Vec<String> = input
        .view
        .economies
        .iter()
        .map(|e| e.name.clone())
        .collect();
    let rows = [
        (
            "Scenario",
            format!("{} ({})", input.view.title, h.scenario_file),
        ),
        ("Economies", economies.join(", ")),
        ("Teams", input.view.teams.len().to_string()),
        (
            "Duration",
            format!(
                "{} of {} ticks ({:.0} simulated hours)",
                input.view.tick,
                input.view.duration_ticks,
                input.hours(f64::from(input.view.tick))
            ),
        ),
        ("Seed", h.seed.to_string()),
        ("Recorded by", h.recorded_by.clone()),
        ("Engine", h.engine_version.clone()),
        ("Scenario blake3", h.scenario_blake3.clone()),
        ("Final state hash", input.state_hash.clone()),
    ];
    page.push_str("<table>\n");
    for (k, v) in rows {
        let _ = writeln!(page, "<tr><th>{k}</th><td>{}</td></tr>", escape(&v));
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

fn incidents(page: &mut String, input: &ReportInput) -> anyhow::Result<()> {
    let total = input.view.incidents.len();
    if total == 0 {
        page.push_str("<p>No incident occurred.</p>\n");
        return Ok(());
    }
    let _ = writeln!(
        page,
        "<p class=\"key\">{total} incident(s){}.<span style=\"background:{}\"></span>undetected\
         <span style=\"background:{}\"></span>detected<span style=\"background:{}\"></span>\
         contained<span style=\"background:{}\"></span>recovered</p>",
        if total > charts::MAX_INCIDENT_ROWS {
            format!(", the first {} drawn", charts::MAX_INCIDENT_ROWS)
        } else {
            String::new()
        },
        charts::hex(charts::UNDETECTED),
        charts::hex(charts::DETECTED),
        charts::hex(charts::CONTAINED),
        charts::hex(charts::RECOVERED),
    );
    let _ = writeln!(
        page,
        "<div class=\"chart\">{}</div>",
        charts::incident_timeline(input)?
    );
    Ok(())
}

fn hours(value: Option<f64>) -> String {
    value.map_or_else(|| "–".to_string(), |h| format!("{h:.1} h"))
}

fn response_times(page: &mut String, input: &ReportInput) {
    page.push_str(
        "<p class=\"muted\">Mean simulated hours from the start of each compromise.</p>\n<table>\
         <tr><th>economy</th><th>incidents</th><th>detected</th><th>contained</th>\
         <th>recovered</th><th>to detect</th><th>to contain</th><th>to recover</th><th>loss</th></tr>\n",
    );
    for (row, economy) in analysis::response_times(input)
        .iter()
        .zip(&input.view.economies)
    {
        let _ = writeln!(
            page,
            "<tr><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td>\
             <td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td>\
             <td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
            escape(&row.economy),
            row.incidents,
            row.detected,
            row.contained,
            row.recovered,
            hours(row.mean_detect_hours),
            hours(row.mean_contain_hours),
            hours(row.mean_recover_hours),
            money(economy.loss)
        );
    }
    page.push_str("</table>\n");
}

fn objectives(page: &mut String, input: &ReportInput) {
    page.push_str(
        "<table><tr><th>objective</th><th>for</th><th>weight</th><th>score</th><th>met</th></tr>\n",
    );
    for o in &input.view.objectives {
        let scope = input.scope_name(o.scope);
        let _ = writeln!(
            page,
            "<tr><td>{}</td><td>{}</td><td class=\"n\">{:.1}</td><td class=\"n\">{:.0}%</td><td>{}</td></tr>",
            escape(&o.description),
            escape(&scope),
            o.weight,
            o.score * 100.0,
            if o.score >= 1.0 { "yes" } else { "no" }
        );
    }
    page.push_str("</table>\n");
}

fn injects(page: &mut String, input: &ReportInput) {
    page.push_str("<table><tr><th>tick</th><th>inject</th><th>text</th></tr>\n");
    for inject in &input.view.injects {
        let tick = inject
            .fired_at
            .map_or_else(|| "not fired".to_string(), |t| t.to_string());
        let _ = writeln!(
            page,
            "<tr><td class=\"n\">{}</td><td>{}</td><td>{}</td></tr>",
            tick,
            escape(&inject.headline),
            escape(&inject.text)
        );
    }
    page.push_str("</table>\n");
}

fn decisions(page: &mut String, input: &ReportInput) {
    let counts = analysis::decisions_per_actor(input);
    if counts.is_empty() {
        page.push_str("<p>No team took any decision.</p>\n");
        return;
    }
    for (actor, count) in counts {
        let _ = writeln!(
            page,
            "<details><summary><b>{}</b>: {count} decision(s) and message(s)</summary>\
             <table><tr><th>tick</th><th>action</th><th>on</th></tr>",
            escape(&input.actor_name(actor))
        );
        for d in input.decisions.iter().filter(|d| d.actor == actor) {
            let _ = writeln!(
                page,
                "<tr><td class=\"n\">{}</td><td>{}</td><td>{}</td></tr>",
                d.tick,
                d.command.label(),
                escape(&input.describe(&d.command))
            );
        }
        page.push_str("</table></details>\n");
    }
}
