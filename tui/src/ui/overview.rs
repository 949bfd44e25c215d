//! Overview: the region at a glance. Each economy's status, trust, loss and service
//! with sparklines over its history, the service of every sector of the economies the
//! viewer can see in full, and the objectives' scores.

use cyberdrill_engine::view::{EconomyView, View, Visibility};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Row, Sparkline, Table, TableState};

use crate::app::App;
use crate::text::{Health, fit, money, percent, truncate};
use crate::ui::{clip_with_more, scroll_offset};

/// Economy names get more room on wide terminals.
fn name_width(area: Rect) -> u16 {
    if area.width >= 110 { 28 } else { 16 }
}
const STATUS_WIDTH: u16 = 11;

pub fn draw(frame: &mut Frame, area: Rect, app: &App) {
    let Some(view) = app.shown() else {
        return;
    };
    let [economies, sectors, objectives] = overview_layout(area, view);
    draw_economies(frame, economies, view, app.selected.economy);
    draw_sector_grid(frame, sectors, view, app.selected.economy);
    draw_objectives(frame, objectives, view);
}

/// Every economy first (they are the point of the screen), then the sector grid, then
/// the objectives only where there is room left for them.
fn overview_layout(area: Rect, view: &View) -> [Rect; 3] {
    let economies_height = (view.economies.len() as u16 + 3).min(area.height.saturating_sub(5));
    let full_rows = grid_economies(view).len() as u16;
    let grid_height = full_rows.max(1) + 3;
    let left = area.height.saturating_sub(economies_height);
    let objectives_wanted = (view.objectives.len() as u16 + 2).min(6);
    let objectives_height = if view.objectives.is_empty() {
        0
    } else if left >= grid_height + objectives_wanted {
        objectives_wanted
    } else if left >= 4 + objectives_wanted.min(4) {
        objectives_wanted.min(4)
    } else {
        0
    };
    Layout::vertical([
        Constraint::Length(economies_height),
        Constraint::Min(3),
        Constraint::Length(objectives_height),
    ])
    .areas(area)
}

/// Column layout of an economy row: name, status, then three value+sparkline pairs.
fn columns(area: Rect) -> [Rect; 5] {
    Layout::horizontal([
        Constraint::Length(name_width(area)),
        Constraint::Length(STATUS_WIDTH),
        Constraint::Ratio(1, 3),
        Constraint::Ratio(1, 3),
        Constraint::Ratio(1, 3),
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
    let block = Block::bordered().title(truncate(&title, area.width.saturating_sub(2) as usize));
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
        (loss, "Loss"),
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
        &format!("{:.0}", economy.trust),
        &trust_points,
        Some(100),
    );
    draw_value_and_trend(
        frame,
        service,
        &percent(economy.service),
        &service_points,
        Some(100),
    );
    draw_value_and_trend(frame, loss, &money(economy.loss), &loss_points, None);
}

/// A non-negative whole number for the sparkline (which draws `u64`s).
fn scaled(value: f64) -> u64 {
    if value.is_finite() && value > 0.0 {
        value as u64
    } else {
        0
    }
}

/// `72 ▆▆▅▄▃` : the current value, then the most recent history that fits.
fn draw_value_and_trend(
    frame: &mut Frame,
    area: Rect,
    value: &str,
    points: &[u64],
    max: Option<u64>,
) {
    let [text, spark] = Layout::horizontal([Constraint::Length(7), Constraint::Min(0)]).areas(area);
    frame.render_widget(Paragraph::new(fit(value, 7)), text);
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

fn draw_objectives(frame: &mut Frame, area: Rect, view: &View) {
    let block = Block::bordered().title(" Objectives ");
    let width = area.width.saturating_sub(2) as usize;
    let lines: Vec<Line> = view
        .objectives
        .iter()
        .map(|o| {
            let score = format!("{:>4} ", percent(o.score));
            Line::from(vec![
                Span::styled(score, Health::of_service(o.score).style()),
                Span::raw(truncate(&o.description, width.saturating_sub(5))),
            ])
        })
        .collect();
    let lines = clip_with_more(lines, area.height.saturating_sub(2) as usize);
    frame.render_widget(Paragraph::new(lines).block(block), area);
}
