//! Incidents: what the viewer knows of, by severity and stage, with where it came from;
//! the selected incident's details, and Enter to act on it.

use cyberdrill_engine::view::{IncidentView, Severity, Source, View};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::Line;
use ratatui::widgets::{Block, Paragraph, Row, TableState, Wrap};

use std::collections::BTreeSet;

use cyberdrill_engine::command::IncidentId;

use crate::app::{App, Cursor};
use crate::forms::{asset_name, economy_name, severity_word, stage_word};
use crate::text::truncate;
use crate::ui::selectable_table;

/// The Incidents screen's own state: the incident selected, and those already listed
/// on screen once (the others are marked new).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IncidentsState {
    pub incident: Cursor,
    pub seen: BTreeSet<IncidentId>,
}

pub fn draw(frame: &mut Frame, area: Rect, app: &App) {
    let Some(view) = app.shown() else {
        return;
    };
    let state = &app.screens.incidents;
    let [list, detail] = Layout::vertical([Constraint::Min(5), Constraint::Length(8)]).areas(area);
    draw_incident_table(frame, list, view, state);
    draw_incident_detail(
        frame,
        detail,
        view,
        view.incidents.get(state.incident.at),
        app,
    );
}

/// Severity with a symbol, readable without colour.
pub fn severity_label(severity: Severity) -> (String, Style) {
    let (symbol, colour) = match severity {
        Severity::Low => ("·", Color::Gray),
        Severity::Medium => ("!", Color::Yellow),
        Severity::High => ("!!", Color::LightRed),
        Severity::Critical => ("‼‼", Color::Red),
    };
    (
        format!("{symbol} {}", severity_word(severity)),
        Style::default().fg(colour),
    )
}

/// Where the response stands: `active`, `contained`, `recovered`.
pub fn response_word(incident: &IncidentView) -> &'static str {
    if incident.recovered_at.is_some() {
        "✔ recovered"
    } else if incident.contained_at.is_some() {
        "◐ contained"
    } else {
        "● active"
    }
}

/// How the viewer learned of an incident, in a sentence's words.
fn source_words(view: &View, source: Source) -> String {
    match source {
        Source::Own => "detected by your own economy".to_string(),
        Source::SharedBy { economy, tlp } => format!(
            "shared by {} under {}",
            economy_name(view, economy),
            cyberdrill_engine::names::tlp_name(tlp)
        ),
    }
}

fn draw_incident_table(frame: &mut Frame, area: Rect, view: &View, state: &IncidentsState) {
    let selected = state.incident.at;
    let block = Block::bordered().title(format!(" Known incidents ({}) ", view.incidents.len()));
    if view.incidents.is_empty() {
        frame.render_widget(
            Paragraph::new("No incident detected yet. Watch and warning continues.").block(block),
            area,
        );
        return;
    }
    let widths = [
        Constraint::Length(5),
        Constraint::Fill(1),
        Constraint::Length(11),
        Constraint::Length(14),
        Constraint::Length(12),
        Constraint::Length(3),
    ];
    let inner = area.width.saturating_sub(2) as usize;
    let asset_width = inner.saturating_sub(2 + 5 + 11 + 14 + 12 + 3 + 5).max(4);
    let rows = view.incidents.iter().map(|incident| {
        let (severity, style) = severity_label(incident.severity);
        let new = if state.seen.contains(&incident.id) {
            ""
        } else {
            "●"
        };
        Row::new(vec![
            Line::from(format!("{new}#{}", incident.id.0)),
            Line::from(truncate(&asset_name(view, incident.asset), asset_width)),
            Line::styled(severity, style),
            Line::from(stage_word(incident.stage)),
            Line::from(response_word(incident)),
            Line::from(if incident.investigated { "✔" } else { "" }),
        ])
    });
    let header = Row::new(["Id", "Asset", "Severity", "Stage", "Response", "Inv"]);
    let table = selectable_table(rows, widths, header, block);
    let mut state = TableState::default().with_selected(Some(selected));
    frame.render_stateful_widget(table, area, &mut state);
}

fn tick_or_dash(tick: Option<u32>) -> String {
    tick.map_or("—".to_string(), |t| format!("t{t}"))
}

fn draw_incident_detail(
    frame: &mut Frame,
    area: Rect,
    view: &View,
    incident: Option<&IncidentView>,
    app: &App,
) {
    let block = Block::bordered().title(" Incident ");
    let Some(incident) = incident else {
        frame.render_widget(Paragraph::new("").block(block), area);
        return;
    };
    let width = area.width.saturating_sub(2) as usize;
    let campaign = incident
        .campaign
        .and_then(|c| view.campaigns.iter().find(|v| v.idx == c))
        .map(|c| format!("{} ({})", c.name, c.actor))
        .unwrap_or_else(|| "unknown until investigated".to_string());
    let kind = incident
        .kind
        .map(|k| cyberdrill_engine::names::campaign_kind(k).to_string())
        .unwrap_or_else(|| "unknown".to_string());
    let hint = if app.is_facilitator() {
        ""
    } else {
        "Enter: act on this incident (investigate, contain, share, legal…)"
    };
    let lines = vec![
        Line::from(truncate(
            &format!(
                "#{} {} · {}",
                incident.id.0,
                asset_name(view, incident.asset),
                economy_name(view, incident.economy)
            ),
            width,
        )),
        Line::from(truncate(
            &format!("campaign: {campaign} · kind: {kind}"),
            width,
        )),
        Line::from(truncate(
            &format!(
                "started {} · detected {} · contained {} · recovered {}",
                tick_or_dash(incident.started_at),
                tick_or_dash(incident.detected_at),
                tick_or_dash(incident.contained_at),
                tick_or_dash(incident.recovered_at)
            ),
            width,
        )),
        Line::from(truncate(
            &format!("known: {}", source_words(view, incident.source)),
            width,
        )),
        Line::styled(hint, Style::default().add_modifier(Modifier::DIM)),
    ];
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .block(block),
        area,
    );
}
