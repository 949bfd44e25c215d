//! Decisions: the decision points put to the seat's team (the white cell: every one
//! offered so far), each option on its own row with its mark (recommended `★`, chosen
//! `✓`), and beside them the selected decision's situation, deadline and default, and
//! what the selected option does, effect by effect. Enter opens the `decide` form on the
//! selected option, to confirm the choice.

use cyberdrill_engine::names::Names;
use cyberdrill_engine::view::{DecisionView, View};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::Line;
use ratatui::widgets::{Block, Paragraph, Row, TableState, Wrap};

use crate::app::{App, Cursor};
use crate::text::truncate;
use crate::ui::selectable_table;

/// The Decisions screen's own state: the option selected (rows are options).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DecisionsState {
    pub row: Cursor,
}

/// Every row of the screen: (index in `view.decisions`, option), open decisions first,
/// then settled ones, each in scenario order.
pub fn rows(view: &View) -> Vec<(usize, u32)> {
    let mut order: Vec<usize> = (0..view.decisions.len()).collect();
    order.sort_by_key(|&i| (!view.decisions[i].is_open(), view.decisions[i].idx));
    order
        .into_iter()
        .flat_map(|i| (0..view.decisions[i].options.len() as u32).map(move |o| (i, o)))
        .collect()
}

/// Open decisions the seat's team may still settle: the tab's mark.
pub fn awaiting(view: &View) -> usize {
    view.decisions
        .iter()
        .filter(|d| d.is_open() && view.my_team.is_some_and(|t| d.teams.contains(&t)))
        .count()
}

/// When a decision closes, in words: `open, default "Refuse" at t7`.
fn status(view: &View, d: &DecisionView) -> String {
    match d.settled {
        Some(s) => {
            let option = d
                .options
                .get(s.option as usize)
                .map_or("?", |o| o.label.as_str());
            match s.by {
                Some(team) => format!(
                    "settled t{}: \"{option}\" chosen by {}",
                    s.at,
                    Names(view).team(team)
                ),
                None => format!("settled t{}: \"{option}\" applied by default", s.at),
            }
        }
        None => {
            let default = d
                .default
                .and_then(|o| d.options.get(o as usize))
                .map(|o| o.label.as_str());
            match (d.deadline_at, default) {
                (Some(at), Some(label)) => format!(
                    "open since t{}: decide by t{at}, else \"{label}\" applies",
                    d.offered_at
                ),
                _ => format!("open since t{}, until the end", d.offered_at),
            }
        }
    }
}

pub fn draw(frame: &mut Frame, area: Rect, app: &App) {
    let Some(view) = app.view.as_ref() else {
        return;
    };
    let rows = rows(view);
    if rows.is_empty() {
        let text = "No decision has been put to your team yet. Decision points open when \
                    the scenario's events call for them (pay a ransom, speak to the press, \
                    notify a regulator); they appear here with their options.";
        frame.render_widget(
            Paragraph::new(text)
                .wrap(Wrap { trim: true })
                .block(Block::bordered().title(" Decisions ")),
            area,
        );
        return;
    }
    let [list, detail] =
        Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)]).areas(area);
    draw_options(frame, list, app, view, &rows);
    draw_detail(frame, detail, app, view, &rows);
}

fn draw_options(frame: &mut Frame, area: Rect, app: &App, view: &View, rows: &[(usize, u32)]) {
    let width = area.width.saturating_sub(4) as usize;
    let title_width = (width / 2).max(8);
    let option_width = width.saturating_sub(title_width + 3).max(4);
    let table_rows: Vec<Row> = rows
        .iter()
        .map(|&(i, o)| {
            let d = &view.decisions[i];
            let option = &d.options[o as usize];
            let chosen = d.settled.is_some_and(|s| s.option == o);
            let mark = if chosen {
                "✓"
            } else if option.recommended {
                "★"
            } else {
                " "
            };
            let title = if o == 0 {
                truncate(&d.title, title_width)
            } else {
                String::new()
            };
            let style = if d.is_open() {
                Style::default()
            } else if chosen {
                Style::default().fg(Color::Green)
            } else {
                Style::default().add_modifier(Modifier::DIM)
            };
            Row::new(vec![
                title,
                mark.to_string(),
                truncate(&option.label, option_width),
            ])
            .style(style)
        })
        .collect();
    let table = selectable_table(
        table_rows,
        [
            Constraint::Length(title_width as u16),
            Constraint::Length(1),
            Constraint::Min(4),
        ],
        Row::new(vec!["decision", "", "option"]),
        Block::bordered().title(" Decisions · ★ recommended · ✓ chosen "),
    );
    let mut state = TableState::default().with_selected(Some(app.screens.decisions.row.at));
    frame.render_stateful_widget(table, area, &mut state);
}

fn draw_detail(frame: &mut Frame, area: Rect, app: &App, view: &View, rows: &[(usize, u32)]) {
    let Some(&(i, o)) = rows.get(app.screens.decisions.row.at) else {
        return;
    };
    let d = &view.decisions[i];
    let option = &d.options[o as usize];
    let bold = Style::default().add_modifier(Modifier::BOLD);
    let names = Names(view);
    let mut lines = vec![
        Line::styled(d.title.clone(), bold),
        Line::from(status(view, d)),
        Line::from(format!(
            "put to: {}",
            d.teams
                .iter()
                .map(|t| names.team(*t))
                .collect::<Vec<_>>()
                .join(", ")
        )),
    ];
    if !d.text.trim().is_empty() {
        lines.push(Line::from(""));
        lines.push(Line::from(d.text.trim().to_string()));
    }
    lines.push(Line::from(""));
    lines.push(Line::styled(format!("Option: {}", option.label), bold));
    if !option.text.trim().is_empty() {
        lines.push(Line::from(option.text.trim().to_string()));
    }
    if option.effects.is_empty() {
        lines.push(Line::from("Effects: none on the simulation."));
    } else {
        lines.push(Line::from("Effects, from the next tick:"));
        lines.extend(option.effects.iter().map(|e| Line::from(format!("• {e}"))));
    }
    let may_choose =
        d.is_open() && !app.is_evaluator() && view.my_team.is_some_and(|t| d.teams.contains(&t));
    let title = if may_choose {
        " Enter: choose this option "
    } else {
        " Decision "
    };
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .block(Block::bordered().title(title)),
        area,
    );
}
