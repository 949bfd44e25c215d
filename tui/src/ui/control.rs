//! Control: the facilitator's console (the "white cell"): the clock and its pace, who
//! is at the table, every inject (fired or pending, with its trigger, recipients, text
//! and effects, scrollable) to fire or edit, and every campaign.

use cyberdrill_engine::scenario::model::TeamIdx;
use cyberdrill_engine::view::View;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::Line;
use ratatui::widgets::{Block, ListItem, ListState, Paragraph};

use crate::app::{App, Cursor, Scroll};
use crate::client::Pace;
use crate::text::truncate;
use crate::ui::{clip_with_more, draw_scrolled_text, pace_label, selectable_list};

/// The Control screen's own state: the inject selected and how far its text is
/// scrolled.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ControlState {
    pub inject: Cursor,
    pub detail: Scroll,
}

pub fn draw(frame: &mut Frame, area: Rect, app: &App) {
    let Some(view) = app.view.as_ref() else {
        return;
    };
    let controls_height = if app.table_log.is_empty() { 5 } else { 6 };
    let [controls, body] =
        Layout::vertical([Constraint::Length(controls_height), Constraint::Min(0)]).areas(area);
    draw_controls(frame, controls, app, view);
    let [injects, right] =
        Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)]).areas(body);
    draw_injects(frame, injects, app, view);
    let [detail, campaigns] =
        Layout::vertical([Constraint::Percentage(65), Constraint::Percentage(35)]).areas(right);
    draw_inject_detail(frame, detail, app, view);
    draw_campaigns(frame, campaigns, view);
}

fn draw_controls(frame: &mut Frame, area: Rect, app: &App, view: &View) {
    let width = area.width.saturating_sub(2) as usize;
    let watching = match app.watched.as_ref() {
        Some(w) => crate::forms::actor_name(view, w.viewer),
        None => "everything (facilitator)".to_string(),
    };
    let lines = vec![
        Line::styled(
            truncate(
                &format!(
                    "{} · tick {}/{} · seeing: {watching}",
                    pace_label(&app.status),
                    view.tick,
                    view.duration_ticks,
                ),
                width,
            ),
            Style::default().add_modifier(Modifier::BOLD),
        ),
        Line::from(truncate(&presence_line(app, view), width)),
    ];
    let mut lines = lines;
    // The latest event at the table: a team joined or left, a bot took a seat or
    // handed it back.
    if let Some((tick, event)) = app.table_log.last() {
        lines.push(Line::styled(
            truncate(&format!("t{tick}: {event}"), width),
            Style::default().fg(Color::Yellow),
        ));
    }
    lines.push(Line::from(truncate(&crate::input::seat_hints(app), width)));
    frame.render_widget(
        Paragraph::new(lines).block(Block::bordered().title(" Clock ")),
        area,
    );
}

/// Who is at the table: how many teams are connected and played by bots, and whom the
/// turn waits for (turn-based) or who is missing (nobody, not even a bot).
fn presence_line(app: &App, view: &View) -> String {
    let presence = &app.status.presence;
    let name = |t: &TeamIdx| {
        view.teams
            .get(t.index())
            .map_or_else(|| format!("team #{}", t.0), |team| team.name.clone())
    };
    let connected = if presence.bots.is_empty() {
        format!(
            "teams connected {}/{}",
            presence.connected.len(),
            view.teams.len()
        )
    } else {
        format!(
            "teams connected {}/{}, {} played by bots",
            presence.connected.len(),
            view.teams.len(),
            presence.bots.len()
        )
    };
    let (label, names): (&str, Vec<String>) = if app.status.pace == Pace::TurnBased {
        let waiting = presence
            .connected
            .iter()
            .filter(|t| !presence.ready.contains(t))
            .map(name)
            .collect();
        ("turn waits for", waiting)
    } else {
        let absent = (0..view.teams.len() as u32)
            .map(TeamIdx)
            .filter(|t| !presence.connected.contains(t) && !presence.bots.contains(t))
            .map(|t| name(&t))
            .collect();
        ("absent", absent)
    };
    if names.is_empty() {
        return connected;
    }
    format!("{connected} · {label}: {}", names.join(", "))
}

fn draw_injects(frame: &mut Frame, area: Rect, app: &App, view: &View) {
    let width = area.width.saturating_sub(4) as usize;
    let items: Vec<ListItem> = view
        .injects
        .iter()
        .map(|inject| {
            let (when, style) = match inject.fired_at {
                Some(t) => (format!("✔ t{t:<3}"), Style::default().fg(Color::Green)),
                None => ("◌ ----".to_string(), Style::default()),
            };
            ListItem::new(Line::styled(
                truncate(&format!("{when} {}", inject.headline), width),
                style,
            ))
        })
        .collect();
    let list = selectable_list(
        items,
        Block::bordered().title(" Injects · f fire · e edit "),
    );
    let mut state = ListState::default().with_selected(Some(app.screens.control.inject.at));
    frame.render_stateful_widget(list, area, &mut state);
}

/// The selected inject in full: headline, when it fires or fired, who receives it, its
/// sender and channel, its text and its effects; it scrolls (PgUp/PgDn) so that all of
/// it is readable at 80x24.
fn draw_inject_detail(frame: &mut Frame, area: Rect, app: &App, view: &View) {
    let state = &app.screens.control;
    let Some(inject) = view.injects.get(state.inject.at) else {
        frame.render_widget(
            Paragraph::new("No inject in this scenario.")
                .block(Block::bordered().title(" Inject ")),
            area,
        );
        return;
    };
    let status = match inject.fired_at {
        Some(t) => format!("fired at tick {t}"),
        None => format!("pending · trigger: {}", inject.trigger),
    };
    let dim = Style::default().add_modifier(Modifier::DIM);
    let mut lines = vec![
        Line::styled(
            inject.headline.clone(),
            Style::default().add_modifier(Modifier::BOLD),
        ),
        Line::styled(status, dim),
        Line::from(format!("To: {}", inject.recipients)),
    ];
    if let Some(from) = crate::ui::news::from_line(inject) {
        lines.push(Line::from(from));
    }
    lines.push(Line::from(
        inject.text.split_whitespace().collect::<Vec<_>>().join(" "),
    ));
    if inject.effects.is_empty() {
        lines.push(Line::styled("Effects: none (story only)", dim));
    } else {
        lines.push(Line::from("Effects:"));
        lines.extend(
            inject
                .effects
                .iter()
                .map(|effect| Line::from(format!("• {effect}"))),
        );
    }
    draw_scrolled_text(frame, area, "Inject", lines, &state.detail);
}

fn draw_campaigns(frame: &mut Frame, area: Rect, view: &View) {
    let width = area.width.saturating_sub(2) as usize;
    let lines: Vec<Line> = view
        .campaigns
        .iter()
        .map(|c| {
            let state = if c.active {
                "● active "
            } else {
                "○ idle   "
            };
            Line::from(truncate(&format!("{state}{} ({})", c.name, c.actor), width))
        })
        .collect();
    let lines = clip_with_more(lines, area.height.saturating_sub(2) as usize);
    frame.render_widget(
        Paragraph::new(lines).block(Block::bordered().title(" Campaigns ")),
        area,
    );
}
