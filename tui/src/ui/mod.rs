//! Drawing: one module per screen, each a `draw(frame, area, &app)` that only reads the
//! state (and the screen's own state type). This module draws the frame around them
//! (tabs, clock, status line), the overlays (help, quit question, pickers, forms,
//! pages) and the "too small" message.

pub mod actions;
pub mod assets;
pub mod comms;
pub mod control;
pub mod decisions;
pub mod economy;
pub mod help;
pub mod incidents;
pub mod map;
pub mod modal;
pub mod news;
pub mod overview;
pub mod pages;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, List, ListItem, Paragraph, Row, Table, Wrap};
use unicode_width::UnicodeWidthStr;

use crate::app::{App, Modal, Screen};
use crate::client::{Pace, ReplayPosition, SessionStatus};
use crate::digest::Alert;
use crate::host::clock;
use crate::text::truncate;

/// The smallest terminal the screens are laid out for.
pub const MIN_WIDTH: u16 = 80;
pub const MIN_HEIGHT: u16 = 24;

/// The most rows the status line grows to for a fresh refusal, so that it is read in
/// full at 80 columns without hiding the screen.
const MAX_STATUS_ROWS: u16 = 4;

/// Draws the whole interface for the current state.
pub fn draw(frame: &mut Frame, app: &App) {
    let area = frame.area();
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        draw_too_small(frame, area);
        return;
    }
    let status_lines = status_lines(app, area.width);
    let status_rows = (status_lines.len() as u16).clamp(1, MAX_STATUS_ROWS);
    let [tabs, clock, body, status] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Min(0),
        Constraint::Length(status_rows),
    ])
    .areas(area);
    draw_tabs(frame, tabs, app);
    draw_clock(frame, clock, app);
    if app.view.is_none() {
        let text = match &app.failure {
            Some(reason) => format!("✖ the exercise session failed: {reason}"),
            None => "waiting for the first view of the exercise…".to_string(),
        };
        frame.render_widget(
            Paragraph::new(text)
                .wrap(Wrap { trim: true })
                .block(Block::bordered()),
            body,
        );
    } else {
        match app.screen {
            Screen::Overview => overview::draw(frame, body, app),
            Screen::News => news::draw(frame, body, app),
            Screen::Assets => assets::draw(frame, body, app),
            Screen::Incidents => incidents::draw(frame, body, app),
            Screen::Actions => actions::draw(frame, body, app),
            Screen::Comms => comms::draw(frame, body, app),
            Screen::Control => control::draw(frame, body, app),
            Screen::Decisions => decisions::draw(frame, body, app),
        }
    }
    frame.render_widget(Paragraph::new(status_lines), status);
    match &app.modal {
        Modal::None => {}
        Modal::Help(scroll) => help::draw(frame, body, app, scroll),
        Modal::ConfirmQuit => modal::draw_confirm_quit(frame, body),
        Modal::Picker(picker) => modal::draw_picker(frame, body, picker),
        Modal::Form(form) => modal::draw_form(frame, body, form),
        Modal::Page(page) => pages::draw(frame, body, app, page),
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

/// Each tab's title with its number and unread marks: `2 News ●1`, `6 Comms ✉2`.
fn tab_titles(app: &App) -> Vec<String> {
    let unread_messages = app.unread_total();
    let unread_news = app.unread_news();
    let awaiting = app.view.as_ref().map_or(0, decisions::awaiting);
    app.screens()
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let mark = match s {
                Screen::Comms if unread_messages > 0 => format!(" ✉{unread_messages}"),
                Screen::News if unread_news > 0 => format!(" ●{unread_news}"),
                Screen::Decisions if awaiting > 0 => format!(" ◆{awaiting}"),
                _ => String::new(),
            };
            format!("{} {}{mark}", i + 1, s.title())
        })
        .collect()
}

fn draw_tabs(frame: &mut Frame, area: Rect, app: &App) {
    let titles = tab_titles(app);
    let selected = app.screens().iter().position(|s| *s == app.screen);
    // The widest divider that fits, so that every tab shows its full name.
    let names: usize = titles.iter().map(|t| t.width()).sum();
    let gaps = titles.len().saturating_sub(1);
    let divider = [" │ ", "│", " "]
        .into_iter()
        .find(|d| names + gaps * d.width() <= area.width as usize)
        .unwrap_or(" ");
    let mut spans = Vec::new();
    for (i, title) in titles.into_iter().enumerate() {
        if i > 0 {
            spans.push(Span::raw(divider));
        }
        let style = if Some(i) == selected {
            Style::default().add_modifier(Modifier::REVERSED | Modifier::BOLD)
        } else {
            Style::default()
        };
        spans.push(Span::styled(title, style));
    }
    frame.render_widget(
        Paragraph::new(truncate_line(Line::from(spans), area.width)),
        area,
    );
}

/// The clock in words and a symbol: `▶ a tick every 10m`, `‖ paused (a tick every 10m)`,
/// `↻ turn-based (n = ready)`, `■ finished`.
pub fn pace_label(status: &SessionStatus) -> String {
    if status.finished {
        return match &status.discussion {
            Some(_) => "■ finished · hot wash (d)".to_string(),
            None => "■ finished".to_string(),
        };
    }
    if let Some(discussion) = &status.discussion {
        return format!("‖ discussion: {} (d)", discussion.title);
    }
    match (status.paused, status.pace) {
        (true, pace) => format!("‖ paused ({})", clock::describe(pace)),
        (false, Pace::RealTime { .. }) => format!("▶ {}", clock::describe(status.pace)),
        (false, Pace::TurnBased) => "↻ turn-based (n = ready)".to_string(),
    }
}

/// A replay in place of the clock (the tick is already on the line):
/// `⏯ replay · next event t17`.
pub fn replay_label(position: &ReplayPosition) -> String {
    let next = match &position.next {
        Some((tick, _)) => format!("next event t{tick}"),
        None => "no more events".to_string(),
    };
    format!("⏯ replay · {next}")
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
        Span::styled(
            match &app.replay {
                Some(position) => replay_label(position),
                None => pace_label(&app.status),
            },
            Style::default().fg(Color::Cyan),
        ),
        Span::raw(format!(" · {who} · {}", view.title)),
    ]);
    frame.render_widget(Paragraph::new(truncate_line(line, area.width)), area);
}

/// The status line: a failure; else the reply to the player's last command while it
/// is fresh, in full (wrapped over up to [`MAX_STATUS_ROWS`] rows); else an alert for
/// news or an incident not yet looked at; else the keys of what is open.
fn status_lines(app: &App, width: u16) -> Vec<Line<'static>> {
    let width_usize = width as usize;
    if let Some(reason) = &app.failure {
        return wrapped(
            &format!("✖ {reason}"),
            width,
            Style::default().fg(Color::Red),
        );
    }
    if app.notice_fresh
        && let Some(notice) = app.notices.last()
    {
        let (symbol, colour) = notice_mark(notice);
        return wrapped(
            &format!("{symbol} {}", notice.text),
            width,
            Style::default().fg(colour),
        );
    }
    if let Some(position) = app.replay.as_ref().filter(|_| app.replay_fresh) {
        return wrapped(
            &format!("t{}: {}", position.tick, position.now.join("; ")),
            width,
            Style::default().fg(Color::Cyan),
        );
    }
    if app.replay.is_none()
        && let Some(line) = alert_line(app, width_usize)
    {
        return vec![line];
    }
    vec![Line::from(truncate(&crate::input::hints(app), width_usize))]
}

/// `text` wrapped at word boundaries into lines of at most `width` columns, at most
/// [`MAX_STATUS_ROWS`] of them (a longer text ends with `…` on the last).
fn wrapped(text: &str, width: u16, style: Style) -> Vec<Line<'static>> {
    let mut lines: Vec<Line<'static>> = crate::text::wrap(text, width as usize)
        .into_iter()
        .map(|l| Line::styled(l, style))
        .collect();
    let max = MAX_STATUS_ROWS as usize;
    if lines.len() > max {
        let rest: Vec<String> = lines[max - 1..]
            .iter()
            .map(|l| l.spans.iter().map(|s| s.content.to_string()).collect())
            .collect();
        lines.truncate(max - 1);
        lines.push(Line::styled(
            truncate(&rest.join(" "), width as usize),
            style,
        ));
    }
    lines
}

/// `● NEWS t3: Nurses report odd emails · 2 News` for news or an incident not yet seen.
fn alert_line(app: &App, width: usize) -> Option<Line<'static>> {
    let view = app.view.as_ref()?;
    let number = |screen: Screen| {
        app.screens()
            .iter()
            .position(|s| *s == screen)
            .map_or(String::new(), |i| {
                format!(" · {} {}", i + 1, screen.title())
            })
    };
    let text = match app.alert? {
        Alert::News(idx) => {
            let inject = view.injects.iter().find(|i| i.idx == idx)?;
            format!(
                "● NEWS t{}: {}{}",
                inject.fired_at.unwrap_or(view.tick),
                inject.headline,
                number(Screen::News)
            )
        }
        Alert::Incident(id) => format!(
            "● NEW INCIDENT {}{}",
            crate::forms::incident_line(view, id),
            number(Screen::Incidents)
        ),
    };
    Some(Line::styled(
        truncate(&text, width),
        Style::default()
            .fg(Color::Yellow)
            .add_modifier(Modifier::BOLD),
    ))
}

fn notice_mark(notice: &crate::app::Notice) -> (&'static str, Color) {
    if notice.accepted {
        ("✔", Color::Green)
    } else {
        ("✖", Color::Red)
    }
}

/// One notice as wrapped lines: `✔ contain: …` in green or `✖ contain refused: …` in
/// red, never cut.
pub fn notice_lines(notice: &crate::app::Notice, width: usize) -> Vec<Line<'static>> {
    let (symbol, colour) = notice_mark(notice);
    crate::text::wrap(&format!("{symbol} {}", notice.text), width)
        .into_iter()
        .map(|l| Line::styled(l, Style::default().fg(colour)))
        .collect()
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

/// A list the player picks from: every screen marks its selected item the same way.
pub fn selectable_list<'a, T>(items: T, block: Block<'a>) -> List<'a>
where
    T: IntoIterator,
    T::Item: Into<ListItem<'a>>,
{
    List::new(items)
        .block(block)
        .highlight_symbol("› ")
        .highlight_style(selected_style())
}

/// A table the player picks a row from, under a bold header: every screen marks its
/// selected row the same way.
pub fn selectable_table<'a, R, C>(
    rows: R,
    widths: C,
    header: Row<'a>,
    block: Block<'a>,
) -> Table<'a>
where
    R: IntoIterator,
    R::Item: Into<Row<'a>>,
    C: IntoIterator,
    C::Item: Into<Constraint>,
{
    Table::new(rows, widths)
        .header(header.style(Style::default().add_modifier(Modifier::BOLD)))
        .column_spacing(1)
        .row_highlight_style(selected_style())
        .highlight_symbol("› ")
        .block(block)
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

/// Draws `lines` in a bordered block, wrapped, scrolled by `scroll` (which learns how
/// far the text goes); the title says where in the text the view is when it does not
/// all fit.
pub fn draw_scrolled_text(
    frame: &mut Frame,
    area: Rect,
    title: &str,
    lines: Vec<Line<'static>>,
    scroll: &crate::app::Scroll,
) {
    let paragraph = Paragraph::new(lines).wrap(Wrap { trim: false });
    let inner_width = area.width.saturating_sub(2);
    let visible = area.height.saturating_sub(2);
    let total = u16::try_from(paragraph.line_count(inner_width)).unwrap_or(u16::MAX);
    let max = total.saturating_sub(visible);
    let offset = scroll.fit(max);
    let title = if max > 0 {
        format!(
            " {title} · lines {}-{} of {total} · PgUp/PgDn ",
            offset + 1,
            (offset + visible).min(total)
        )
    } else {
        format!(" {title} ")
    };
    let title = truncate(&title, area.width.saturating_sub(2) as usize);
    frame.render_widget(
        paragraph
            .scroll((offset, 0))
            .block(Block::bordered().title(title)),
        area,
    );
}

#[cfg(test)]
mod tests;
