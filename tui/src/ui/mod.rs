//! Drawing: one module per screen, each a `draw(frame, area, &app)` that only reads the
//! state. This module draws the frame around them (tabs, clock, status line), the
//! overlays (help, quit confirmation, pickers, forms) and the "too small" message.

pub mod actions;
pub mod comms;
pub mod facilitator;
pub mod help;
pub mod incidents;
pub mod infrastructure;
pub mod modal;
pub mod overview;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Tabs};

use crate::app::{App, Modal, Screen};
use crate::client::{Pace, SessionStatus};
use crate::host::clock;
use crate::text::truncate;

/// The smallest terminal the screens are laid out for.
pub const MIN_WIDTH: u16 = 80;
pub const MIN_HEIGHT: u16 = 24;

/// Draws the whole interface for the current state.
pub fn draw(frame: &mut Frame, app: &App) {
    let area = frame.area();
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        draw_too_small(frame, area);
        return;
    }
    let [tabs, clock, body, status] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Min(0),
        Constraint::Length(1),
    ])
    .areas(area);
    draw_tabs(frame, tabs, app);
    draw_clock(frame, clock, app);
    if app.view.is_none() {
        let text = match &app.failure {
            Some(reason) => format!("✖ the exercise session failed: {reason}"),
            None => "waiting for the first view of the exercise…".to_string(),
        };
        frame.render_widget(Paragraph::new(text).block(Block::bordered()), body);
    } else {
        match app.screen {
            Screen::Overview => overview::draw(frame, body, app),
            Screen::Infrastructure => infrastructure::draw(frame, body, app),
            Screen::Incidents => incidents::draw(frame, body, app),
            Screen::Actions => actions::draw(frame, body, app),
            Screen::Comms => comms::draw(frame, body, app),
            Screen::Facilitator => facilitator::draw(frame, body, app),
        }
    }
    draw_status(frame, status, app);
    match &app.modal {
        Modal::None => {}
        Modal::Help => help::draw(frame, body, app),
        Modal::ConfirmQuit => modal::draw_confirm_quit(frame, body),
        Modal::Picker(picker) => modal::draw_picker(frame, body, picker),
        Modal::Form(form) => modal::draw_form(frame, body, form),
    }
}

fn draw_too_small(frame: &mut Frame, area: Rect) {
    let lines = vec![
        Line::from("terminal too small"),
        Line::from(format!("(need {MIN_WIDTH}x{MIN_HEIGHT},")),
        Line::from(format!("have {}x{})", area.width, area.height)),
    ];
    let height = (lines.len() as u16).min(area.height);
    let top = area.y + area.height.saturating_sub(height) / 2;
    let centred = Rect::new(area.x, top, area.width, height);
    frame.render_widget(Paragraph::new(lines).centered(), centred);
}

fn draw_tabs(frame: &mut Frame, area: Rect, app: &App) {
    let screens = app.screens();
    let unread_total = app.unread_total();
    let titles = screens.iter().enumerate().map(|(i, s)| {
        let unread = if *s == Screen::Comms && unread_total > 0 {
            format!(" ✉{unread_total}")
        } else {
            String::new()
        };
        let title = if area.width < 100 {
            s.short_title()
        } else {
            s.title()
        };
        format!("{} {title}{unread}", i + 1)
    });
    let selected = screens.iter().position(|s| *s == app.screen);
    let tabs = Tabs::new(titles)
        .select(selected)
        .padding("", "")
        .divider(" │ ")
        .highlight_style(Style::default().add_modifier(Modifier::REVERSED | Modifier::BOLD));
    frame.render_widget(tabs, area);
}

/// The clock in words and a symbol: `▶ a tick every 10m`, `‖ paused (a tick every 10m)`,
/// `↻ turn-based (n = ready)`, `■ finished`.
pub fn pace_label(status: &SessionStatus) -> String {
    if status.finished {
        return "■ finished".to_string();
    }
    match (status.paused, status.pace) {
        (true, pace) => format!("‖ paused ({})", clock::describe(pace)),
        (false, Pace::RealTime { .. }) => format!("▶ {}", clock::describe(status.pace)),
        (false, Pace::TurnBased) => "↻ turn-based (n = ready)".to_string(),
    }
}

fn draw_clock(frame: &mut Frame, area: Rect, app: &App) {
    let Some(view) = app.shown() else {
        return;
    };
    let who = match (app.watched.as_ref(), app.seat) {
        (Some(watched), _) => format!(
            "watching {}",
            crate::forms::actor_name(view, watched.viewer)
        ),
        (None, seat) => crate::forms::actor_name(view, seat),
    };
    let line = Line::from(vec![
        Span::styled(
            format!("Tick {}/{}", view.tick, view.duration_ticks),
            Style::default().add_modifier(Modifier::BOLD),
        ),
        Span::raw(format!(" · {} · ", view.time_label)),
        Span::styled(pace_label(&app.status), Style::default().fg(Color::Cyan)),
        Span::raw(format!(" · {who} · {}", view.title)),
    ]);
    frame.render_widget(Paragraph::new(truncate_line(line, area.width)), area);
}

fn draw_status(frame: &mut Frame, area: Rect, app: &App) {
    let width = area.width as usize;
    let line = if let Some(reason) = &app.failure {
        Line::styled(
            truncate(&format!("✖ {reason}"), width),
            Style::default().fg(Color::Red),
        )
    } else if let Some(notice) = app.notices.last() {
        notice_line(notice, width)
    } else if let Some(news) = app
        .view
        .as_ref()
        .and_then(|v| v.injects.iter().rev().find(|i| i.fired_at.is_some()))
    {
        Line::from(truncate(
            &format!("NEWS t{}: {}", news.fired_at.unwrap_or(0), news.headline),
            width,
        ))
    } else {
        Line::from(truncate(
            "? help · q quit · space pause/resume · n step",
            width,
        ))
    };
    frame.render_widget(Paragraph::new(line), area);
}

/// One notice as a line: `✔ contain: …` in green or `✖ contain refused: …` in red.
pub fn notice_line(notice: &crate::app::Notice, width: usize) -> Line<'static> {
    let (symbol, colour) = if notice.accepted {
        ("✔", Color::Green)
    } else {
        ("✖", Color::Red)
    };
    Line::styled(
        truncate(&format!("{symbol} {}", notice.text), width),
        Style::default().fg(colour),
    )
}

/// Cuts a styled line to `width` columns (spans beyond are dropped, the last is cut with `…`).
pub fn truncate_line(line: Line<'static>, width: u16) -> Line<'static> {
    let mut left = width as usize;
    let mut spans = Vec::new();
    for span in line.spans {
        if left == 0 {
            break;
        }
        let w = span.width();
        if w <= left {
            left -= w;
            spans.push(span);
        } else {
            spans.push(Span::styled(truncate(&span.content, left), span.style));
            left = 0;
        }
    }
    Line::from(spans)
}

/// The first of `len` rows to show in `visible` lines so that `selected` is on screen,
/// scrolling no further than needed (as ratatui's own lists do).
pub fn scroll_offset(selected: usize, visible: usize, len: usize) -> usize {
    if visible == 0 || len <= visible {
        return 0;
    }
    (selected + 1).saturating_sub(visible).min(len - visible)
}

/// At most `rows` of `lines`; when some do not fit, the last row says how many are left
/// out instead of dropping them silently.
pub fn clip_with_more(mut lines: Vec<Line<'static>>, rows: usize) -> Vec<Line<'static>> {
    if lines.len() > rows {
        let kept = rows.saturating_sub(1);
        let left_out = lines.len() - kept;
        lines.truncate(kept);
        if rows > 0 {
            lines.push(Line::styled(
                format!("… and {left_out} more"),
                Style::default().add_modifier(Modifier::DIM),
            ));
        }
    }
    lines
}

/// The style of a selected row: reversed, so that it shows without colour.
pub fn selected_style() -> Style {
    Style::default().add_modifier(Modifier::REVERSED)
}

/// A rectangle of at most `width` x `height` centred in `area`.
pub fn centred(area: Rect, width: u16, height: u16) -> Rect {
    let w = width.min(area.width);
    let h = height.min(area.height);
    Rect::new(
        area.x + (area.width - w) / 2,
        area.y + (area.height - h) / 2,
        w,
        h,
    )
}

#[cfg(test)]
mod tests;
