//! The report as Markdown, for forum minutes and wikis: the same facts as the HTML page,
//! as tables and lists (the charts are summarised as figures).

use std::fmt::Write;

use super::analysis::{self, Theme};
use super::{ReportInput, money};

/// Makes text safe inside a Markdown table cell.
fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace(['\n', '\r'], " ")
}

fn hours(value: Option<f64>) -> String {
    value.map_or_else(|| "–".to_string(), |h| format!("{h:.1} h"))
}

/// Renders the whole report.
pub fn render(input: &ReportInput) -> String {
    let mut md = String::new();
    let h = &input.header;
    let _ = writeln!(md, "# After-action report: {}\n", input.view.title);
    if let Some(cut) = &input.recovered {
        let _ = writeln!(md, "> **Note:** {cut}\n");
    }
    let economies: Vec<String> = input
        .view
        .economies
        .iter()
        .map(|e| e.name.clone())
        .collect();
    let _ = writeln!(
        md,
        "- Scenario: {} (`{}`)",
        input.view.title, h.scenario_file
    );
    let _ = writeln!(md, "- Economies: {}", economies.join(", "));
    let _ = writeln!(
        md,
        "- Duration: {} of {} ticks ({:.0} simulated hours)",
        input.view.tick,
        input.view.duration_ticks,
        input.hours(f64::from(input.view.tick))
    );
    let _ = writeln!(md, "- Seed: {}; recorded by: {}", h.seed, h.recorded_by);
    let _ = writeln!(md, "- Final state hash: `{}`\n", input.state_hash);

    md.push_str("## Questions for the debrief\n\n");
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

    md.push_str("\n## Economies at the end\n\n| economy | trust | lowest trust | service | loss |\n|---|---:|---:|---:|---:|\n");
    for e in &input.view.economies {
        let lowest = e.history.iter().map(|p| p.trust).fold(e.trust, f64::min);
        let _ = writeln!(
            md,
            "| {} | {:.0} | {lowest:.0} | {:.0}% | {} |",
            cell(&e.name),
            e.trust,
            e.service * 100.0,
            money(e.loss)
        );
    }

    md.push_str("\n## Lowest service by sector\n\n| sector | lowest regional mean | at tick |\n|---|---:|---:|\n");
    for (s, sector) in input.view.sectors.iter().enumerate() {
        let lowest = input
            .samples
            .iter()
            .filter_map(|p| Some((p.tick, (*p.sector_service.get(s)?)?)))
            .fold(None, |acc: Option<(u32, f64)>, p| match acc {
                Some(a) if a.1 <= p.1 => Some(a),
                _ => Some(p),
            });
        if let Some((tick, value)) = lowest {
            let _ = writeln!(
                md,
                "| {} | {:.0}% | {tick} |",
                cell(&sector.name),
                value * 100.0
            );
        }
    }

    md.push_str("\n## Time to detect, contain and recover\n\nMean simulated hours from the start of each compromise.\n\n| economy | incidents | detected | contained | recovered | to detect | to contain | to recover |\n|---|---:|---:|---:|---:|---:|---:|---:|\n");
    for row in analysis::response_times(input) {
        let _ = writeln!(
            md,
            "| {} | {} | {} | {} | {} | {} | {} | {} |",
            cell(&row.economy),
            row.incidents,
            row.detected,
            row.contained,
            row.recovered,
            hours(row.mean_detect_hours),
            hours(row.mean_contain_hours),
            hours(row.mean_recover_hours)
        );
    }

    md.push_str("\n## Incidents\n\n| # | asset | economy | started | detected | contained | recovered |\n|---:|---|---|---:|---:|---:|---:|\n");
    let tick = |t: Option<u32>| t.map_or_else(|| "–".to_string(), |t| t.to_string());
    for i in &input.view.incidents {
        let _ = writeln!(
            md,
            "| {} | {} | {} | {} | {} | {} | {} |",
            i.id.0,
            cell(&input.asset_name(i.asset.index())),
            cell(&input.economy_name(i.economy.index())),
            tick(i.started_at),
            tick(i.detected_at),
            tick(i.contained_at),
            tick(i.recovered_at)
        );
    }

    md.push_str(
        "\n## Objectives\n\n| objective | for | weight | score | met |\n|---|---|---:|---:|---|\n",
    );
    for o in &input.view.objectives {
        let scope = input.scope_name(o.scope);
        let _ = writeln!(
            md,
            "| {} | {} | {:.1} | {:.0}% | {} |",
            cell(&o.description),
            cell(&scope),
            o.weight,
            o.score * 100.0,
            if o.score >= 1.0 { "yes" } else { "no" }
        );
    }

    md.push_str("\n## Injects\n\n| tick | inject |\n|---:|---|\n");
    for inject in &input.view.injects {
        let _ = writeln!(
            md,
            "| {} | {} |",
            tick(inject.fired_at).replace('–', "not fired"),
            cell(&inject.headline)
        );
    }

    md.push_str("\n## Decisions and messages per team\n");
    for (actor, count) in analysis::decisions_per_actor(input) {
        let _ = writeln!(
            md,
            "\n### {} ({count})\n\n| tick | action | on |\n|---:|---|---|",
            input.actor_name(actor)
        );
        for d in input.decisions.iter().filter(|d| d.actor == actor) {
            let _ = writeln!(
                md,
                "| {} | {} | {} |",
                d.tick,
                d.command.label(),
                cell(&input.describe(&d.command))
            );
        }
    }

    md.push_str("\n## Metrics\n\n| metric | value |\n|---|---:|\n");
    for (name, value) in input.metric_rows() {
        let _ = writeln!(md, "| {} | {} |", cell(&name), cell(&value));
    }
    md
}
