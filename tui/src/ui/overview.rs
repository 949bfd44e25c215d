//! Overview: the region at a glance. Each economy's status, trust, service and loss
//! (with its share of the economy's output) with sparklines over its history, what changed since the last tick, the
//! objectives' scores with their trend, the service of every sector of the
//! economies the viewer can see in full, and the selected economy's loss in context,
//! by cause, and what moved its trust (beside the grid on a wide terminal, on the
//! economies' bottom border on a narrow one; see [`super::economy`]).

use cyberdrill_engine::money;
use cyberdrill_engine::view::{EconomyView, View, Visibility};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Row, Sparkline, Table, TableState};

use crate::app::{App, Cursor};
use crate::digest::{Digest, Topic};
use crate::text::{Health, fit, percent, truncate};
use crate::ui::{clip_with_more, economy, scroll_offset};

/// The Overview's own state: the economy selected (its row and the sector grid follow).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OverviewState {
    pub economy: Cursor,
}

/// Economy names get more room on wide terminals.
fn name_width(area: Rect) -> u16 {
    if area.width >= 110 { 28 } else { 16 }
}
const STATUS_WIDTH: u16 = 11;

pub fn draw(frame: &mut Frame, area: Rect, app: &App) {
    let Some(view) = app.shown() else {
        return;
    };
    let selected = app.screens.overview.economy.at;
    // The digest is about the seat's own view, not a watched team's.
    let digest = if app.watched.is_some() {
        None
    } else {
        app.digest.as_ref()
    };
    let [economies, changes, objectives, sectors] = overview_layout(area, view, digest);
    draw_economies(frame, economies, view, selected);
    if let Some(digest) = digest {
        draw_digest(frame, changes, digest);
    }
    draw_objectives(frame, objectives, view, digest);
    match view.economies.get(selected) {
        Some(chosen) if sectors.width >= economy::WIDE => {
            let [grid, panel] =
                Layout::horizontal([Constraint::Min(0), Constraint::Length(economy::PANEL_WIDTH)])
                    .areas(sectors);
            draw_sector_grid(frame, grid, view, selected);
            economy::draw(frame, panel, chosen, &view.sectors);
        }
        _ => draw_sector_grid(frame, sectors, view, selected),
    }
}

/// Every economy first (they are the point of the screen; the list scrolls), then what
/// changed since the last tick, then the objectives, then the sector grid, which keeps
/// at least [`GRID_MIN`] rows (its header and the selected economy's row).
fn overview_layout(area: Rect, view: &View, digest: Option<&Digest>) -> [Rect; 4] {
    let height = area.height;
    let economies_wanted = view.economies.len() as u16 + 3;
    let economies = economies_wanted.min(height.saturating_sub(GRID_MIN + 3).max(5));
    let mut left = height.saturating_sub(economies);
    let changes_wanted = digest.map_or(0, |d| (d.lines.len().max(1) as u16 + 2).min(8));
    let changes = changes_wanted.min(left.saturating_sub(GRID_MIN + 3));
    let changes = if changes < 3 { 0 } else { changes };
    left = left.saturating_sub(changes);
    let objectives_wanted = if view.objectives.is_empty() {
        0
    } else {
        (view.objectives.len() as u16 + 2).min(7)
    };
    let objectives = objectives_wanted.min(left.saturating_sub(GRID_MIN));
    let objectives = if objectives < 3 { 0 } else { objectives };
    Layout::vertical([
        Constraint::Length(economies),
        Constraint::Length(changes),
        Constraint::Length(objectives),
        Constraint::Min(0),
    ])
    .areas(area)
}

/// The sector grid's smallest height: borders, its header and one economy.
const GRID_MIN: u16 = 4;

/// What changed since the last tick, one line each, marked by what it is about.
fn draw_digest(frame: &mut Frame, area: Rect, digest: &Digest) {
    if area.height == 0 {
        return;
    }
    let title = if digest.to_tick == digest.from_tick + 1 {
        format!(" Since tick {} ", digest.from_tick)
    } else {
        format!(" Since tick {} (to {}) ", digest.from_tick, digest.to_tick)
    };
    let width = area.width.saturating_sub(2) as usize;
    let lines: Vec<Line> = if digest.lines.is_empty() {
        vec![Line::styled(
            "nothing new",
            Style::default().add_modifier(Modifier::DIM),
        )]
    } else {
        digest
            .lines
            .iter()
            .map(|l| {
                let mark = match l.topic {
                    Topic::News => "●",
                    Topic::Incident => "!",
                    Topic::Message => "✉",
                    Topic::Task => "✔",
                    Topic::Objective => "◆",
                };
                Line::from(truncate(&format!("{mark} {}", l.text), width))
            })
            .collect()
    };
    let lines = clip_with_more(lines, area.height.saturating_sub(2) as usize);
    frame.render_widget(
        Paragraph::new(lines).block(Block::bordered().title(title)),
        area,
    );
}

/// Column layout of an economy row: name, status, then three value+sparkline pairs;
/// the loss, with its share of output, takes half of what is left.
fn columns(area: Rect) -> [Rect; 5] {
    Layout::horizontal([
        Constraint::Length(name_width(area)),
        Constraint::Length(STATUS_WIDTH),
        Constraint::Fill(1),
        Constraint::Fill(1),
        Constraint::Fill(2),
    ])
    .spacing(1)
    .areas(area)
}

fn draw_economies(frame: &mut Frame, area: Rect, view: &View, selected: usize) {
    let total = view.economies.len();
    let visible = area.height.saturating_sub(3) as usize;
    let offset = scroll_offset(selected, visible, total);
    let title = if total > visible && visible > 0 {
        format!(
            " Economies {}-{} of {total} · ↑↓ scroll · trust · service · loss ",
            offset + 1,
            (offset + visible).min(total)
        )
    } else {
        " Economies: trust · service · loss ".to_string()
    };
    let mut block =
        Block::bordered().title(truncate(&title, area.width.saturating_sub(2) as usize));
    // A narrow terminal has no room for the economy panel: the selected economy's loss
    // in context goes on the bottom border instead.
    if area.width < economy::WIDE
        && let Some(chosen) = view.economies.get(selected)
    {
        let summary = format!(" {} ", economy::summary(chosen));
        block = block.title_bottom(truncate(&summary, area.width.saturating_sub(2) as usize));
    }
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if inner.height == 0 {
        return;
    }
    let header_area = Rect { height: 1, ..inner };
    let [name, status, trust, service, loss] = columns(header_area);
    let bold = Style::default().add_modifier(Modifier::BOLD);
    for (rect, text) in [
        (name, "Economy"),
        (status, "Status"),
        (trust, "Trust 0-100"),
        (service, "Service"),
        (loss, "Loss (share of output)"),
    ] {
        frame.render_widget(Paragraph::new(Span::styled(text, bold)), rect);
    }
    let rows = inner.height.saturating_sub(1) as usize;
    for (line, (i, economy)) in view
        .economies
        .iter()
        .enumerate()
        .skip(offset)
        .take(rows)
        .enumerate()
    {
        let row = Rect {
            y: inner.y + 1 + line as u16,
            height: 1,
            ..inner
        };
        draw_economy_row(frame, row, view, economy, i == selected);
    }
}

fn draw_economy_row(
    frame: &mut Frame,
    row: Rect,
    view: &View,
    economy: &EconomyView,
    selected: bool,
) {
    let [name, status, trust, service, loss] = columns(row);
    let mine = crate::forms::my_economy(view) == Some(economy.idx);
    let marker = if mine { "* " } else { "  " };
    let mut name_style = Style::default();
    if mine {
        name_style = name_style.add_modifier(Modifier::BOLD);
    }
    if selected {
        name_style = name_style.patch(super::selected_style());
    }
    frame.render_widget(
        Paragraph::new(Span::styled(
            format!(
                "{marker}{}",
                truncate(&economy.name, (name.width as usize).saturating_sub(2))
            ),
            name_style,
        )),
        name,
    );
    let health = Health::of_service(economy.service);
    frame.render_widget(
        Paragraph::new(Span::styled(health.label(), health.style())),
        status,
    );
    let trust_points: Vec<u64> = economy.history.iter().map(|p| scaled(p.trust)).collect();
    let service_points: Vec<u64> = economy
        .history
        .iter()
        .map(|p| scaled(p.service * 100.0))
        .collect();
    let loss_points: Vec<u64> = economy.history.iter().map(|p| scaled(p.loss)).collect();
    draw_value_and_trend(
        frame,
        trust,
        (&format!("{:.0}", economy.trust), VALUE_WIDTH),
        &trust_points,
        Some(100),
    );
    draw_value_and_trend(
        frame,
        service,
        (&percent(economy.service), VALUE_WIDTH),
        &service_points,
        Some(100),
    );
    draw_value_and_trend(
        frame,
        loss,
        (&money::brief(economy.loss, economy.output), LOSS_WIDTH),
        &loss_points,
        None,
    );
}

/// Columns of a trust or service value before its sparkline.
const VALUE_WIDTH: u16 = 7;
/// Columns of a loss with its share of output (`$12.3M (0.42%)`, [`money::brief`])
/// before its sparkline: a column narrower than that drops the sparkline first.
const LOSS_WIDTH: u16 = 16;

/// A non-negative whole number for the sparkline (which draws `u64`s).
fn scaled(value: f64) -> u64 {
    if value.is_finite() && value > 0.0 {
        value as u64
    } else {
        0
    }
}

/// `72 ▆▆▅▄▃` : the current value in `width` columns, then the most recent history that
/// fits.
fn draw_value_and_trend(
    frame: &mut Frame,
    area: Rect,
    (value, width): (&str, u16),
    points: &[u64],
    max: Option<u64>,
) {
    let [text, spark] =
        Layout::horizontal([Constraint::Length(width), Constraint::Min(0)]).areas(area);
    frame.render_widget(Paragraph::new(fit(value, text.width as usize)), text);
    let width = spark.width as usize;
    let recent = &points[points.len().saturating_sub(width)..];
    let mut sparkline = Sparkline::default().data(recent);
    if let Some(max) = max {
        sparkline = sparkline.max(max);
    }
    frame.render_widget(sparkline, spark);
}

/// Economies the viewer sees in full: the rows of the sector grid.
fn grid_economies(view: &View) -> Vec<&EconomyView> {
    view.economies
        .iter()
        .filter(|e| e.visibility == Visibility::Full && !e.sector_service.is_empty())
        .collect()
}

fn draw_sector_grid(frame: &mut Frame, area: Rect, view: &View, selected_economy: usize) {
    if area.height < 3 {
        return;
    }
    let full = grid_economies(view);
    // The grid follows the economy selected above, when it is one of its rows.
    let selected = view
        .economies
        .get(selected_economy)
        .and_then(|chosen| full.iter().position(|e| e.idx == chosen.idx));
    let title = if full.len() > 1 {
        " Service by sector · ↑↓ scroll "
    } else {
        " Service by sector "
    };
    let block = Block::bordered().title(title);
    if full.is_empty() || view.sectors.is_empty() {
        frame.render_widget(
            Paragraph::new("No economy visible in full.").block(block),
            area,
        );
        return;
    }
    let inner_width = area.width.saturating_sub(2);
    let name_w = name_width(area);
    let sectors = view.sectors.len() as u16;
    let cell = (inner_width.saturating_sub(name_w) / sectors.max(1)).max(4);
    let mut widths = vec![Constraint::Length(name_w)];
    widths.extend(std::iter::repeat_n(
        Constraint::Length(cell - 1),
        view.sectors.len(),
    ));
    let header = Row::new(
        std::iter::once("Economy".to_string()).chain(
            view.sectors
                .iter()
                .map(|s| truncate(&s.name, cell as usize - 1)),
        ),
    )
    .style(Style::default().add_modifier(Modifier::BOLD));
    let rows = full.iter().map(|economy| {
        let mut cells = vec![Line::from(truncate(&economy.name, name_w as usize))];
        cells.extend(economy.sector_service.iter().map(|service| match service {
            Some(s) => {
                let health = Health::of_service(*s);
                Line::styled(
                    truncate(
                        &format!("{} {}", health.symbol(), percent(*s)),
                        cell as usize - 1,
                    ),
                    health.style(),
                )
            }
            None => Line::from("—"),
        }));
        Row::new(cells)
    });
    let table = Table::new(rows, widths)
        .header(header)
        .column_spacing(1)
        .block(block);
    let mut state = TableState::default().with_selected(selected);
    frame.render_stateful_widget(table, area, &mut state);
}

/// Each objective's score so far with its trend since the last tick (`▲` up, `▼`
/// down), and its description. Before the first tick nothing has been measured: the
/// scores say so instead of a 100% that means nothing yet.
fn draw_objectives(frame: &mut Frame, area: Rect, view: &View, digest: Option<&Digest>) {
    if area.height == 0 {
        return;
    }
    let measured = view.tick > 0;
    let title = if measured {
        " Objectives: score so far · ▲▼ since the last tick · i: what % means "
    } else {
        " Objectives: measured from the first tick on "
    };
    let block = Block::bordered().title(title);
    let width = area.width.saturating_sub(2) as usize;
    let lines: Vec<Line> = view
        .objectives
        .iter()
        .map(|o| {
            let moved = digest.and_then(|d| d.objective_moves.get(&o.id).copied());
            let trend = match moved {
                Some(m) if m > 0.0 => "▲",
                Some(m) if m < 0.0 => "▼",
                _ => " ",
            };
            let (score, style) = if measured {
                (
                    format!("{:>4} {trend} ", percent(o.score)),
                    Health::of_service(o.score).style(),
                )
            } else {
                ("   —   ".to_string(), Style::default())
            };
            let scope = match o.scope {
                cyberdrill_engine::scenario::model::ObjectiveScope::Region => " (region)",
                _ => "",
            };
            Line::from(vec![
                Span::styled(score, style),
                Span::raw(truncate(
                    &format!("{}{scope}", o.description),
                    width.saturating_sub(7),
                )),
            ])
        })
        .collect();
    let lines = clip_with_more(lines, area.height.saturating_sub(2) as usize);
    frame.render_widget(Paragraph::new(lines).block(block), area);
}
