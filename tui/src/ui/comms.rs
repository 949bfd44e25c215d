//! Communications: one channel per team, per economy, the facilitator and everyone,
//! with unread counts; the selected channel's messages; and a timeline where injects
//! (news, intelligence, calls) and messages arrive in order.

use cyberdrill_engine::view::View;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, ListItem, ListState, Paragraph, Wrap};

use std::collections::BTreeMap;

use crate::app::{App, Channel, Cursor};
use crate::forms::{actor_name, economy_name, team_name};
use crate::text::truncate;
use crate::ui::selectable_list;

/// The Comms screen's own state: the channel selected and how many messages of each
/// channel have been read (messages only accumulate).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CommsState {
    pub channel: Cursor,
    pub read: BTreeMap<Channel, usize>,
}

pub fn draw(frame: &mut Frame, area: Rect, app: &App) {
    let Some(view) = app.view.as_ref() else {
        return;
    };
    let [channels, right] =
        Layout::horizontal([Constraint::Length(26), Constraint::Min(0)]).areas(area);
    let [messages, timeline] =
        Layout::vertical([Constraint::Percentage(55), Constraint::Percentage(45)]).areas(right);
    draw_channels(frame, channels, app, view);
    draw_messages(frame, messages, app, view);
    draw_timeline(frame, timeline, view);
}

/// A channel's name, e.g. `Facilitator`, `Borealis CSIRT`, `all of Arcadia`.
pub fn channel_name(view: &View, channel: Channel) -> String {
    match channel {
        Channel::All => "Everyone (broadcast)".to_string(),
        Channel::Facilitator => "Facilitator".to_string(),
        Channel::Team(t) => team_name(view, t),
        Channel::Economy(e) => format!("all of {}", economy_name(view, e)),
    }
}

fn draw_channels(frame: &mut Frame, area: Rect, app: &App, view: &View) {
    let width = area.width.saturating_sub(4) as usize;
    let unread_counts = app.unread_counts();
    let items: Vec<ListItem> = app
        .channels()
        .into_iter()
        .map(|c| {
            let unread = unread_counts.get(&c).copied().unwrap_or(0);
            let count = if unread > 0 {
                format!(" ✉{unread}")
            } else {
                String::new()
            };
            let name = truncate(&channel_name(view, c), width.saturating_sub(count.len()));
            let style = if unread > 0 {
                Style::default().add_modifier(Modifier::BOLD)
            } else {
                Style::default()
            };
            ListItem::new(Line::styled(format!("{name}{count}"), style))
        })
        .collect();
    let list = selectable_list(items, Block::bordered().title(" Channels "));
    let mut state = ListState::default().with_selected(Some(app.screens.comms.channel.at));
    frame.render_stateful_widget(list, area, &mut state);
}

fn draw_messages(frame: &mut Frame, area: Rect, app: &App, view: &View) {
    let channel = app.selected_channel();
    let title = format!(" {} · Enter/m to write ", channel_name(view, channel));
    let block = Block::bordered().title(truncate(&title, area.width.saturating_sub(2) as usize));
    let messages = app.messages_in(channel);
    if messages.is_empty() {
        frame.render_widget(Paragraph::new("No messages yet.").block(block), area);
        return;
    }
    let shown = area.height.saturating_sub(2) as usize;
    let lines: Vec<Line> = messages[messages.len().saturating_sub(shown)..]
        .iter()
        .map(|m| {
            Line::from(vec![
                Span::styled(
                    format!("t{} {}: ", m.tick, actor_name(view, m.from)),
                    Style::default().add_modifier(Modifier::BOLD),
                ),
                Span::raw(m.text.clone()),
            ])
        })
        .collect();
    // Messages wrap: scroll so that the newest message's last line is at the bottom.
    let text = Paragraph::new(lines).wrap(Wrap { trim: true });
    let inner_width = area.width.saturating_sub(2);
    let wrapped = text.line_count(inner_width);
    let scroll = wrapped.saturating_sub(shown);
    let scroll = u16::try_from(scroll).unwrap_or(u16::MAX);
    frame.render_widget(text.scroll((scroll, 0)).block(block), area);
}

/// Injects and messages in one list by tick: `t4 NEWS Power cut in Arcadia`.
pub fn timeline_lines(view: &View, width: usize) -> Vec<Line<'static>> {
    let mut entries: Vec<(u32, u8, Line<'static>)> = Vec::new();
    for inject in &view.injects {
        if let Some(tick) = inject.fired_at {
            entries.push((
                tick,
                0,
                Line::styled(
                    truncate(&format!("t{tick} NEWS {}", inject.headline), width),
                    Style::default().fg(Color::Cyan),
                ),
            ));
        }
    }
    for message in &view.messages {
        entries.push((
            message.tick,
            1,
            Line::from(truncate(
                &format!(
                    "t{} MSG {} → {}: {}",
                    message.tick,
                    actor_name(view, message.from),
                    crate::forms::recipient_name(view, message.to),
                    message.text
                ),
                width,
            )),
        ));
    }
    // Stable sort: by tick, news before messages of the same tick, else arrival order.
    entries.sort_by_key(|(tick, kind, _)| (*tick, *kind));
    entries.into_iter().map(|(_, _, line)| line).collect()
}

fn draw_timeline(frame: &mut Frame, area: Rect, view: &View) {
    let width = area.width.saturating_sub(2) as usize;
    let lines = timeline_lines(view, width);
    let shown = area.height.saturating_sub(2) as usize;
    let recent = lines[lines.len().saturating_sub(shown)..].to_vec();
    frame.render_widget(
        Paragraph::new(recent).block(Block::bordered().title(" Timeline: news and messages ")),
        area,
    );
}
