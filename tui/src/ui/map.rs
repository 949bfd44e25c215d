//! The map page: the economies the seat can see on a circle (the report's layout, the
//! first on top), lines for their cross-border dependencies, each economy labelled with
//! its service health and its loss with the loss's share of its output; under it, which
//! economy depends on which. `g` opens it, Enter closes it.

use cyberdrill_engine::money;
use cyberdrill_engine::view::View;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::symbols::Marker;
use ratatui::text::Line;
use ratatui::widgets::canvas::{Canvas, Line as Segment};
use ratatui::widgets::{Block, Clear, Paragraph};
use unicode_width::UnicodeWidthStr;

use crate::app::App;
use crate::report::map::{Link, links, position};
use crate::text::{Health, percent, truncate};
use crate::ui::clip_with_more;

/// The canvas's half width and half height around the circle of unit radius: room for
/// the labels left and right, and above and below.
const HALF_WIDTH: f64 = 1.7;
const HALF_HEIGHT: f64 = 1.35;

pub fn draw(frame: &mut Frame, area: Rect, app: &App) {
    let Some(view) = app.shown() else {
        return;
    };
    frame.render_widget(Clear, area);
    let links = links(view);
    let list_rows = (links.len().max(1) as u16 + 2).min(area.height / 3);
    let [graph, list] =
        Layout::vertical([Constraint::Min(0), Constraint::Length(list_rows)]).areas(area);
    draw_graph(frame, graph, view, &links);
    draw_links(frame, list, view, &links);
}

/// An economy's label, two lines: its health symbol and name, then its service and its
/// loss with the loss's share of its output for the exercise (`81% · $1.6M (0.04%)`).
fn label(view: &View, i: usize) -> ([String; 2], Style) {
    let economy = &view.economies[i];
    let health = Health::of_service(economy.service);
    (
        [
            format!("{} {}", health.symbol(), economy.name),
            format!(
                "{} · {}",
                percent(economy.service),
                money::brief(economy.loss, economy.output)
            ),
        ],
        health.style().add_modifier(Modifier::BOLD),
    )
}

/// What the figures under each economy's name are.
const LEGEND: &str = " under each economy: service · loss (share of its output for the exercise) ";

fn draw_graph(frame: &mut Frame, area: Rect, view: &View, links: &[Link]) {
    let n = view.economies.len();
    let inner_width = f64::from(area.width.saturating_sub(2).max(1));
    // Canvas units per terminal column, to centre a label on its node, and per row, to
    // put its second line on the row under the first (the canvas puts a label on row
    // `floor((top - y) / per_row)`: each line goes in the middle of its row).
    let per_column = 2.0 * HALF_WIDTH / inner_width;
    let per_row = 2.0 * HALF_HEIGHT / f64::from(area.height.saturating_sub(3).max(1));
    let row_of = |y: f64| ((HALF_HEIGHT - y) / per_row).floor();
    let at = |i: usize| {
        let (x, y) = position(i, n);
        // The canvas's y grows upwards; the layout's downwards.
        (x, -y)
    };
    let max_label = (inner_width as usize / 3).max(8);
    let canvas = Canvas::default()
        .block(
            Block::bordered()
                .title(" Map · cross-border dependencies · Enter closes · g opens it again ")
                .title_bottom(truncate(LEGEND, inner_width as usize)),
        )
        .marker(Marker::Braille)
        .x_bounds([-HALF_WIDTH, HALF_WIDTH])
        .y_bounds([-HALF_HEIGHT, HALF_HEIGHT])
        .paint(|ctx| {
            for link in links {
                let ((x1, y1), (x2, y2)) = (at(link.from), at(link.to));
                ctx.draw(&Segment::new(x1, y1, x2, y2, Color::DarkGray));
            }
            ctx.layer();
            for i in 0..n {
                let (x, y) = at(i);
                let (lines, style) = label(view, i);
                let first = row_of(y);
                for (row, text) in lines.iter().enumerate() {
                    let text = truncate(text, max_label);
                    let half = text.width() as f64 / 2.0 * per_column;
                    let y = HALF_HEIGHT - (first + row as f64 + 0.5) * per_row;
                    ctx.print(x - half, y, Line::styled(text, style));
                }
            }
        });
    frame.render_widget(canvas, area);
}

/// Which economy depends on which, one line per pair.
fn draw_links(frame: &mut Frame, area: Rect, view: &View, links: &[Link]) {
    if area.height < 3 {
        return;
    }
    let width = area.width.saturating_sub(2) as usize;
    let lines: Vec<Line> = if links.is_empty() {
        vec![Line::styled(
            "no cross-border dependency in what you can see",
            Style::default().add_modifier(Modifier::DIM),
        )]
    } else {
        links
            .iter()
            .map(|link| {
                Line::from(truncate(
                    &format!(
                        "{} → {}: {} asset dependenc{}",
                        view.economies[link.from].name,
                        view.economies[link.to].name,
                        link.count,
                        if link.count == 1 { "y" } else { "ies" }
                    ),
                    width,
                ))
            })
            .collect()
    };
    let lines = clip_with_more(lines, area.height.saturating_sub(2) as usize);
    frame.render_widget(
        Paragraph::new(lines).block(Block::bordered().title(" depends on ")),
        area,
    );
}
