//! Overlays that take the keys while open: the quit confirmation, list pickers and
//! command forms.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, ListItem, ListState, Paragraph};

use crate::app::Picker;
use crate::forms::{Field, Form, Purpose};
use crate::input::Scope;
use crate::text::truncate;
use crate::ui::{centred, scroll_offset, selectable_list};

pub fn draw_confirm_quit(frame: &mut Frame, area: Rect) {
    let rect = centred(area, 40, 5);
    frame.render_widget(Clear, rect);
    frame.render_widget(
        Paragraph::new(vec![
            Line::from("Quit the exercise?"),
            Line::styled(
                "y = quit · n = stay",
                Style::default().add_modifier(Modifier::BOLD),
            ),
        ])
        .centered()
        .block(Block::bordered().title(" Quit ")),
        rect,
    );
}

pub fn draw_picker(frame: &mut Frame, area: Rect, picker: &Picker) {
    let height = picker.entries.len() as u16 + 2;
    let rect = centred(area, 50, height);
    let width = rect.width.saturating_sub(4) as usize;
    let items: Vec<ListItem> = picker
        .entries
        .iter()
        .map(|(text, _)| ListItem::new(truncate(text, width)))
        .collect();
    let title = truncate(
        &format!(" {} · Enter/Esc ", picker.title),
        rect.width.saturating_sub(2) as usize,
    );
    let list = selectable_list(items, Block::bordered().title(title));
    let mut state = ListState::default().with_selected(Some(picker.selected));
    frame.render_widget(Clear, rect);
    frame.render_stateful_widget(list, rect, &mut state);
}

/// Rows a chosen entry may take below its field's first row.
const MAX_WRAPPED_CHOICE_ROWS: usize = 2;

/// Lines one field takes in the form; a list shows at most `max_choices` of its
/// choices, scrolled to keep the cursor on screen.
fn field_lines(
    field: &Field,
    focused: bool,
    width: usize,
    max_choices: usize,
) -> Vec<Line<'static>> {
    let marker = if focused { "› " } else { "  " };
    let label_style = if focused {
        Style::default().add_modifier(Modifier::BOLD | Modifier::REVERSED)
    } else {
        Style::default().add_modifier(Modifier::BOLD)
    };
    let label = Span::styled(format!("{marker}{}:", field.label()), label_style);
    let room = width.saturating_sub(field.label().len() + 4);
    match field {
        Field::One {
            choices, selected, ..
        } => {
            let value = match choices.get(*selected) {
                Some(c) => format!("‹ {} › ({}/{})", c.text, selected + 1, choices.len()),
                None => "(nothing to choose)".to_string(),
            };
            // A long entry (a discussion question, a headline) wraps onto a few more
            // rows rather than being cut.
            let mut rows = crate::text::wrap(&value, room).into_iter();
            let first = rows.next().unwrap_or_default();
            let mut lines = vec![Line::from(vec![label, Span::raw(" "), Span::raw(first)])];
            let indent = width.saturating_sub(room);
            let rest: Vec<String> = rows.collect();
            let kept = rest.len().min(MAX_WRAPPED_CHOICE_ROWS);
            for (i, row) in rest.iter().take(kept).enumerate() {
                let row = if i + 1 == kept && rest.len() > kept {
                    truncate(&format!("{row} {}", rest[kept]), room)
                } else {
                    row.clone()
                };
                lines.push(Line::from(format!("{}{row}", " ".repeat(indent))));
            }
            lines
        }
        Field::Many {
            choices,
            ticked,
            cursor,
            ..
        } => {
            let shown = max_choices.max(1);
            let offset = scroll_offset(*cursor, shown, choices.len());
            let mut header = vec![label];
            if choices.len() > shown {
                let ticks = ticked.iter().filter(|t| **t).count();
                header.push(Span::raw(format!(
                    " {}-{} of {} · {ticks} ticked · ←→ scroll",
                    offset + 1,
                    (offset + shown).min(choices.len()),
                    choices.len()
                )));
            }
            let mut lines = vec![Line::from(header)];
            if choices.is_empty() {
                lines.push(Line::from("    (nothing to choose)"));
            }
            let window = choices
                .iter()
                .zip(ticked)
                .enumerate()
                .skip(offset)
                .take(shown);
            for (i, (choice, tick)) in window {
                let box_ = if *tick { "[x]" } else { "[ ]" };
                let pointer = if focused && i == *cursor { "▸" } else { " " };
                lines.push(Line::from(truncate(
                    &format!("   {pointer}{box_} {}", choice.text),
                    width,
                )));
            }
            lines
        }
        Field::Number {
            value, min, max, ..
        } => vec![Line::from(vec![
            label,
            Span::raw(format!(" ‹ {value} › ({min}-{max})")),
        ])],
        Field::Text { value, .. } => {
            let cursor = if focused { "▏" } else { "" };
            // Show the end of long text, where the typing happens.
            let shown: String = {
                let chars: Vec<char> = value.chars().collect();
                let keep = room.saturating_sub(2);
                let from = chars.len().saturating_sub(keep);
                chars[from..].iter().collect()
            };
            vec![Line::from(vec![
                label,
                Span::raw(" "),
                Span::raw(truncate(&format!("{shown}{cursor}"), room)),
            ])]
        }
    }
}

/// How many choices each list of `form` can show in `height` rows, so that every
/// field, the problem or hint line and the borders stay on screen.
fn choices_per_list(form: &Form, height: u16, description_rows: usize) -> usize {
    let lists = form
        .fields
        .iter()
        .filter(|f| matches!(f, Field::Many { choices, .. } if !choices.is_empty()))
        .count();
    // Borders, the description, a blank line, the hint, and one line per field.
    let fixed = 2 + description_rows + 2 + form.fields.len().max(1);
    let room = (height as usize).saturating_sub(fixed);
    (room / lists.max(1)).max(1)
}

pub fn draw_form(frame: &mut Frame, area: Rect, form: &Form) {
    let width = area.width.saturating_sub(8).min(72);
    let inner_width = width.saturating_sub(2) as usize;
    // The description in full: it says what sending does.
    let mut lines: Vec<Line> = crate::text::wrap(form.purpose.description(), inner_width)
        .into_iter()
        .map(|l| Line::styled(l, Style::default().add_modifier(Modifier::DIM)))
        .collect();
    if form.fields.is_empty() && matches!(form.purpose, Purpose::Command(_)) {
        lines.push(Line::from("No choices needed."));
    }
    let max_choices = choices_per_list(form, area.height, lines.len());
    for (i, field) in form.fields.iter().enumerate() {
        lines.extend(field_lines(
            field,
            i == form.focus,
            inner_width,
            max_choices,
        ));
    }
    lines.push(Line::from(""));
    match &form.problem {
        Some(problem) => lines.push(Line::styled(
            truncate(&format!("✖ {problem}"), inner_width),
            Style::default().fg(Color::Red),
        )),
        None => lines.push(Line::styled(
            truncate(&crate::input::scope_hints(Scope::Form), inner_width),
            Style::default().add_modifier(Modifier::DIM),
        )),
    }
    let height = (lines.len() as u16 + 2).min(area.height);
    let rect = centred(area, width, height);
    frame.render_widget(Clear, rect);
    frame.render_widget(
        Paragraph::new(lines).block(Block::bordered().title(format!(" {} ", form.purpose.label()))),
        rect,
    );
}
