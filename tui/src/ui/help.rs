//! Help (`?`): the keys of the current screen and of every screen, over it, from the
//! one key table ([`crate::input::BINDINGS`]); it scrolls when it does not fit.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};

use crate::app::{App, Scroll};
use crate::input::help_rows;
use crate::text::{fit, wrap};
use crate::ui::centred;

const KEY_WIDTH: usize = 16;

pub fn draw(frame: &mut Frame, area: Rect, app: &App, scroll: &Scroll) {
    let rect = centred(area, 76, area.height);
    let text_width = (rect.width as usize).saturating_sub(KEY_WIDTH + 3);
    let bold = Style::default().add_modifier(Modifier::BOLD);
    let mut lines: Vec<Line> = Vec::new();
    for (key, does) in help_rows(app) {
        for (i, part) in wrap(does, text_width).into_iter().enumerate() {
            let key = if i == 0 { key.as_str() } else { "" };
            lines.push(Line::from(vec![
                Span::styled(fit(key, KEY_WIDTH), bold),
                Span::raw(" "),
                Span::raw(part),
            ]));
        }
    }
    lines.push(Line::styled(
        "↑↓ scroll · any other key closes · forms show their keys at the bottom",
        Style::default().add_modifier(Modifier::DIM),
    ));
    let height = (lines.len() as u16 + 2).min(area.height);
    let rect = centred(area, 76, height);
    let visible = height.saturating_sub(2);
    let max = (lines.len() as u16).saturating_sub(visible);
    let offset = scroll.fit(max);
    let title = if max > 0 {
        format!(" Help: {} · ↑↓ for more ", app.screen.title())
    } else {
        format!(" Help: {} ", app.screen.title())
    };
    frame.render_widget(Clear, rect);
    frame.render_widget(
        Paragraph::new(lines)
            .scroll((offset, 0))
            .block(Block::bordered().title(title)),
        rect,
    );
}
