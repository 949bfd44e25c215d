//! Actions and tasks: every command the seat can send (Enter opens its form), the
//! analysts in use, the tasks in progress with progress bars, and what the engine said
//! about our last commands (acceptance or a readable refusal).

use cyberdrill_engine::view::View;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::Line;
use ratatui::widgets::{Block, ListItem, ListState, Paragraph, Row, Table};

use crate::app::{App, Cursor};
use crate::forms::team_name;
use crate::text::{bar, percent, truncate};
use crate::ui::{notice_lines, selectable_list};

/// The Actions screen's own state: the command selected.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ActionsState {
    pub command: Cursor,
}

pub fn draw(frame: &mut Frame, area: Rect, app: &App) {
    let Some(view) = app.view.as_ref() else {
        return;
    };
    let [menu, right] =
        Layout::horizontal([Constraint::Length(28), Constraint::Min(0)]).areas(area);
    draw_menu(frame, menu, app);
    let [about, notices, tasks] = Layout::vertical([
        Constraint::Length(5),
        Constraint::Length(5),
        Constraint::Min(3),
    ])
    .areas(right);
    draw_about(frame, about, app, view);
    draw_notices(frame, notices, app);
    draw_tasks(frame, tasks, view);
}

fn draw_menu(frame: &mut Frame, area: Rect, app: &App) {
    let width = area.width.saturating_sub(4) as usize;
    // What the team's role may not do is greyed; the panel beside it says who may.
    let items: Vec<ListItem> = app
        .commands()
        .iter()
        .map(|&k| {
            let item = ListItem::new(truncate(k.label(), width));
            if app.may_send(k) {
                item
            } else {
                item.style(Style::default().add_modifier(Modifier::DIM))
            }
        })
        .collect();
    let list = selectable_list(items, Block::bordered().title(" Actions "));
    let mut state = ListState::default().with_selected(Some(app.screens.actions.command.at));
    frame.render_stateful_widget(list, area, &mut state);
}

fn draw_about(frame: &mut Frame, area: Rect, app: &App, view: &View) {
    let width = area.width.saturating_sub(2) as usize;
    let selected = app.commands().get(app.screens.actions.command.at).copied();
    let about = selected.map(|k| k.description()).unwrap_or("");
    let not_mine = selected.and_then(|k| app.not_my_role(k));
    let a = view.analysts;
    let analysts = if app.is_facilitator() {
        "facilitator: actions take effect at once".to_string()
    } else {
        let incoming = if a.incoming > 0 {
            format!(" · {} on their way", a.incoming)
        } else {
            String::new()
        };
        format!(
            "analysts {}/{} free · busy {} · lent {} · borrowed {}{incoming}",
            a.free(),
            a.total,
            a.busy,
            a.lent,
            a.borrowed
        )
    };
    let lines = match not_mine {
        // Whose action it is, in full: the refusal the player would otherwise get.
        Some(why) => crate::text::wrap(&why, width)
            .into_iter()
            .map(|l| Line::styled(l, Style::default().add_modifier(Modifier::DIM)))
            .collect(),
        None => vec![
            Line::from(truncate(about, width)),
            Line::styled(
                truncate(&analysts, width),
                Style::default().add_modifier(Modifier::BOLD),
            ),
            Line::from(truncate(&assistance_requests(view), width)),
        ],
    };
    frame.render_widget(
        Paragraph::new(lines).block(Block::bordered().title(" Enter opens the form ")),
        area,
    );
}

/// Open requests for analysts, e.g. `asked for analysts: Borealis CIRT 0/2 (t7)`.
fn assistance_requests(view: &View) -> String {
    if view.assistance_requests.is_empty() {
        return "no open request for analysts".to_string();
    }
    let asks: Vec<String> = view
        .assistance_requests
        .iter()
        .map(|r| {
            format!(
                "{} {}/{} (t{})",
                team_name(view, r.from_team),
                r.provided,
                r.analysts,
                r.at
            )
        })
        .collect();
    format!("asked for analysts: {}", asks.join(", "))
}

/// The newest replies, each wrapped in full, as many as fit (newest at the bottom).
fn draw_notices(frame: &mut Frame, area: Rect, app: &App) {
    let width = area.width.saturating_sub(2) as usize;
    let shown = area.height.saturating_sub(2) as usize;
    let mut lines: Vec<Line> = Vec::new();
    for notice in app.notices.iter().rev() {
        let wrapped = notice_lines(notice, width);
        if !lines.is_empty() && lines.len() + wrapped.len() > shown {
            break;
        }
        lines.splice(0..0, wrapped);
    }
    let lines = lines[lines.len().saturating_sub(shown)..].to_vec();
    let body = if lines.is_empty() {
        vec![Line::from("No command sent yet.")]
    } else {
        lines
    };
    frame.render_widget(
        Paragraph::new(body).block(Block::bordered().title(" Engine replies ")),
        area,
    );
}

fn draw_tasks(frame: &mut Frame, area: Rect, view: &View) {
    let block = Block::bordered().title(" Tasks ");
    if view.tasks.is_empty() {
        frame.render_widget(Paragraph::new("No task in progress.").block(block), area);
        return;
    }
    let inner = area.width.saturating_sub(2) as usize;
    let show_team = view.my_team.is_none();
    let widths = [
        Constraint::Fill(1),
        Constraint::Length(3),
        Constraint::Length(15),
        Constraint::Length(5),
    ];
    let what_width = inner.saturating_sub(3 + 15 + 5 + 3).max(4);
    // In progress first (by id), then finished ones, newest first.
    let mut tasks: Vec<_> = view.tasks.iter().collect();
    tasks.sort_by_key(|t| {
        (
            t.finished,
            if t.finished {
                u32::MAX - t.id.0
            } else {
                t.id.0
            },
        )
    });
    // Only the rows that fit are built: a facilitator's list holds every team's tasks.
    // When some do not fit, the last row says how many.
    let fit_rows = area.height.saturating_sub(3) as usize;
    let left_out = if tasks.len() > fit_rows {
        let kept = fit_rows.saturating_sub(1);
        Some(tasks.len() - kept)
    } else {
        None
    };
    if let Some(left_out) = left_out {
        tasks.truncate(tasks.len() - left_out);
    }
    let more = left_out.map(|n| {
        Row::new(vec![Line::styled(
            format!("… and {n} more"),
            Style::default().add_modifier(Modifier::DIM),
        )])
    });
    let rows = tasks.into_iter().map(|task| {
        let who = if show_team {
            format!("{}: ", team_name(view, task.team))
        } else {
            String::new()
        };
        let progress = if task.finished {
            "✔ done".to_string()
        } else {
            format!("{} {:>4}", bar(task.progress, 10), percent(task.progress))
        };
        let outcome = match (&task.outcome, task.finished) {
            (Some(outcome), true) => format!(" → {outcome}"),
            _ => String::new(),
        };
        Row::new(vec![
            Line::from(truncate(
                &format!("{who}{} {}{outcome}", task.label, task.target),
                what_width,
            )),
            Line::from(format!("{:>3}", task.analysts)),
            Line::from(progress),
            Line::from(format!("t{}", task.done_at)),
        ])
    });
    let rows = rows.chain(more);
    let header = Row::new(["Task", "An.", "Progress", "Done"])
        .style(Style::default().add_modifier(Modifier::BOLD));
    frame.render_widget(
        Table::new(rows, widths)
            .header(header)
            .column_spacing(1)
            .block(block),
        area,
    );
}
