//! News: every inject delivered to the seat (the exercise's story: news, intelligence,
//! a minister's call, the control cell's instructions), newest first, unread ones
//! marked, and the selected one in full (with its sender and channel), scrollable. A facilitator's edit of an inject
//! before it fires is what arrives here. The facilitator's News lists what has been
//! delivered (the Control screen lists every inject, pending ones too).

use std::collections::BTreeSet;

use cyberdrill_engine::scenario::model::InjectIdx;
use cyberdrill_engine::view::{InjectView, View};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::Line;
use ratatui::widgets::{Block, ListItem, ListState, Paragraph};

use crate::app::{App, Cursor, Scroll};
use crate::text::truncate;
use crate::ui::{draw_scrolled_text, selectable_list};

/// The News screen's own state: the item selected, the items read, how far the
/// selected item's text is scrolled.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NewsState {
    pub item: Cursor,
    pub read: BTreeSet<InjectIdx>,
    pub text: Scroll,
}

/// The news delivered to the viewer, newest first.
pub fn items(view: &View) -> Vec<&InjectView> {
    let mut items: Vec<&InjectView> = view
        .injects
        .iter()
        .filter(|i| i.fired_at.is_some())
        .collect();
    items.sort_by_key(|i| std::cmp::Reverse((i.fired_at, i.idx)));
    items
}

pub fn draw(frame: &mut Frame, area: Rect, app: &App) {
    let Some(view) = app.view.as_ref() else {
        return;
    };
    let state = &app.screens.news;
    let items = items(view);
    let list_width = (area.width * 2 / 5).clamp(30, 50);
    let [list, body] =
        Layout::horizontal([Constraint::Length(list_width), Constraint::Min(0)]).areas(area);
    draw_list(frame, list, &items, state);
    match items.get(state.item.at) {
        Some(item) => draw_item(frame, body, view, item, &state.text),
        None => frame.render_widget(
            Paragraph::new(vec![
                Line::from("No news yet."),
                Line::from(""),
                Line::from("Injects (news, intelligence, calls, the control cell's"),
                Line::from("instructions) arrive here as the exercise runs; the"),
                Line::from("status line says when one arrives."),
            ])
            .block(Block::bordered().title(" News ")),
            body,
        ),
    }
}

fn draw_list(frame: &mut Frame, area: Rect, items: &[&InjectView], state: &NewsState) {
    let width = area.width.saturating_sub(4) as usize;
    let unread = items
        .iter()
        .filter(|i| !state.read.contains(&i.idx))
        .count();
    let rows: Vec<ListItem> = items
        .iter()
        .map(|item| {
            let new = !state.read.contains(&item.idx);
            let mark = if new { "●" } else { " " };
            let text = format!(
                "{mark} t{:<3} {}",
                item.fired_at.unwrap_or(0),
                item.headline
            );
            let style = if new {
                Style::default().add_modifier(Modifier::BOLD)
            } else {
                Style::default()
            };
            ListItem::new(Line::styled(truncate(&text, width), style))
        })
        .collect();
    let title = if unread > 0 {
        format!(" News · {unread} unread ")
    } else {
        " News ".to_string()
    };
    let list = selectable_list(rows, Block::bordered().title(title));
    let mut list_state = ListState::default().with_selected(Some(state.item.at));
    frame.render_stateful_widget(list, area, &mut list_state);
}

fn draw_item(frame: &mut Frame, area: Rect, view: &View, item: &InjectView, scroll: &Scroll) {
    let bold = Style::default().add_modifier(Modifier::BOLD);
    let dim = Style::default().add_modifier(Modifier::DIM);
    let mut lines = vec![Line::styled(item.headline.clone(), bold)];
    if let Some(from) = from_line(item) {
        lines.push(Line::from(from));
    }
    lines.push(Line::styled(
        received(view, item.fired_at.unwrap_or(view.tick)),
        dim,
    ));
    lines.push(Line::from(""));
    for paragraph in item.text.split("\n\n") {
        lines.push(Line::from(
            paragraph.split_whitespace().collect::<Vec<_>>().join(" "),
        ));
        lines.push(Line::from(""));
    }
    draw_scrolled_text(frame, area, "Message", lines, scroll);
}

/// Who an inject comes from and how it reached the seat, as the scenario's master
/// events list gives them: `From Minister of Health · phone call`; `None` if it says
/// neither.
pub fn from_line(item: &InjectView) -> Option<String> {
    match (item.sender.as_deref(), item.channel.as_deref()) {
        (Some(sender), Some(channel)) => Some(format!("From {sender} · {channel}")),
        (Some(sender), None) => Some(format!("From {sender}")),
        (None, Some(channel)) => Some(format!("By {channel}")),
        (None, None) => None,
    }
}

/// When an item arrived, in ticks and in simulated time before now: `tick 3 · 2 h ago`.
fn received(view: &View, at: u32) -> String {
    let minutes = u64::from(view.tick.saturating_sub(at)) * u64::from(view.tick_minutes);
    let ago = match minutes {
        0 => "this tick".to_string(),
        m if m < 60 => format!("{m} min ago"),
        m if m % 60 == 0 => format!("{} h ago", m / 60),
        m => format!("{} h {} min ago", m / 60, m % 60),
    };
    format!("received at tick {at} · {ago}")
}
