//! Help (`?`): the keys of the current screen, over it.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};

use crate::app::App;
use crate::input::help_for;
use crate::text::fit;
use crate::ui::centred;

pub fn draw(frame: &mut Frame, area: Rect, app: &App) {
    let keys = help_for(app);
    let height = keys.len() as u16 + 3;
    let rect = centred(area, 70, height);
    let key_width = 24;
    let text_width = rect.width.saturating_sub(key_width as u16 + 3) as usize;
    let mut lines: Vec<Line> = keys
        .into_iter()
        .map(|(key, what)| {
            Line::from(vec![
                Span::styled(
                    fit(key, key_width),
                    Style::default().add_modifier(Modifier::BOLD),
                ),
                Span::raw(" "),
                Span::raw(fit(what, text_width)),
            ])
        })
        .collect();
    lines.push(Line::styled(
        "any key closes",
        Style::default().add_modifier(Modifier::DIM),
    ));
    frame.render_widget(Clear, rect);
    frame.render_widget(
        Paragraph::new(lines)
            .block(Block::bordered().title(format!(" Help: {} ", app.screen.title()))),
        rect,
    );
}
