//! Assets: the viewer's assets (its critical infrastructure) by sector with their service levels, and for the
//! selected asset what its outage costs (in context: its share of the economy's output)
//! and what it depends on, with cross-border links marked (the multi-regional
//! inoperability model's cross-border case).

use cyberdrill_engine::money;
use cyberdrill_engine::scenario::model::{DependencyKind, Operator};
use cyberdrill_engine::view::{AssetView, View};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Row, TableState, Wrap};

use crate::app::{App, Cursor};
use crate::forms::{asset_name, economy_name};
use crate::text::{Health, bar, percent, truncate};
use crate::ui::pages::duration_words;
use crate::ui::selectable_table;

/// The Assets screen's own state: the asset selected.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AssetsState {
    pub asset: Cursor,
}

pub fn draw(frame: &mut Frame, area: Rect, app: &App) {
    let Some(view) = app.shown() else {
        return;
    };
    let [list, detail] =
        Layout::horizontal([Constraint::Percentage(60), Constraint::Percentage(40)]).areas(area);
    let order = app.asset_order();
    let at = app.screens.assets.asset.at;
    draw_asset_table(frame, list, view, &order, at);
    let selected = order.get(at).map(|&i| &view.assets[i]);
    draw_asset_detail(frame, detail, view, selected);
}

fn sector_name(view: &View, asset: &AssetView) -> String {
    view.sectors
        .iter()
        .find(|s| s.idx == asset.sector)
        .map(|s| s.name.clone())
        .unwrap_or_default()
}

fn draw_asset_table(frame: &mut Frame, area: Rect, view: &View, order: &[usize], selected: usize) {
    let title = match crate::forms::my_economy(view) {
        Some(e) => format!(" Assets of {} ", economy_name(view, e)),
        None => " Assets of the region ".to_string(),
    };
    let widths = [
        Constraint::Length(8),
        Constraint::Fill(1),
        Constraint::Length(9),
        Constraint::Length(10),
    ];
    let inner = area.width.saturating_sub(2) as usize;
    let name_width = inner.saturating_sub(2 + 8 + 9 + 10 + 3).max(4);
    let rows = order.iter().map(|&i| {
        let asset = &view.assets[i];
        let health = Health::of_service(asset.service);
        Row::new(vec![
            Line::from(truncate(&sector_name(view, asset), 8)),
            Line::from(truncate(&asset.name, name_width)),
            Line::from(format!(
                "{} {:>4}",
                bar(asset.service, 4),
                percent(asset.service)
            )),
            Line::styled(health.label(), health.style()),
        ])
    });
    let header = Row::new(["Sector", "Asset", "Service", "Status"]);
    let table = selectable_table(rows, widths, header, Block::bordered().title(title));
    let mut state = TableState::default().with_selected((!order.is_empty()).then_some(selected));
    frame.render_stateful_widget(table, area, &mut state);
}

fn kind_word(kind: DependencyKind) -> &'static str {
    match kind {
        DependencyKind::Physical => "physical",
        DependencyKind::Cyber => "cyber",
        DependencyKind::Geographic => "geographic",
        DependencyKind::Logical => "logical",
    }
}

fn draw_asset_detail(frame: &mut Frame, area: Rect, view: &View, asset: Option<&AssetView>) {
    let block = Block::bordered().title(" Asset ");
    let Some(asset) = asset else {
        frame.render_widget(Paragraph::new("No asset to show.").block(block), area);
        return;
    };
    let width = area.width.saturating_sub(2) as usize;
    let bold = Style::default().add_modifier(Modifier::BOLD);
    let operator = match asset.operator {
        Operator::Public => "public",
        Operator::Private => "private",
    };
    let health = Health::of_service(asset.service);
    let mut lines = vec![
        Line::styled(truncate(&asset.name, width), bold),
        Line::from(truncate(
            &format!(
                "{} · {} · {operator}",
                economy_name(view, asset.economy),
                sector_name(view, asset)
            ),
            width,
        )),
        Line::from(truncate(
            &format!(
                "criticality {}/5 · serves {}",
                asset.criticality,
                people(asset.people_served)
            ),
            width,
        )),
        Line::from(vec![
            Span::raw(format!(
                "service {} {} ",
                bar(asset.service, 5),
                percent(asset.service)
            )),
            Span::styled(health.label(), health.style()),
        ]),
    ];
    if let Some(damage) = asset.damage.filter(|d| *d > 0.0) {
        lines.push(Line::from(truncate(
            &format!("direct damage {} (restore repairs it)", percent(damage)),
            width,
        )));
    }
    lines.extend(at_stake_lines(view, asset));
    if let Some(p) = asset.posture {
        lines.push(Line::from(truncate(
            &format!(
                "patching {} · monitoring {} · backups {}",
                p.patching, p.monitoring, p.backups
            ),
            width,
        )));
    }
    lines.push(Line::styled("Depends on", bold));
    if asset.depends_on.is_empty() {
        lines.push(Line::from("  nothing"));
    }
    for dep in &asset.depends_on {
        let service = view
            .assets
            .iter()
            .find(|a| a.idx == dep.on)
            .map(|a| a.service);
        let marker = if dep.cross_border { "⇄ " } else { "  " };
        let state = match service {
            Some(s) => format!("{} {}", Health::of_service(s).symbol(), percent(s)),
            None => "?".to_string(),
        };
        lines.push(Line::from(truncate(
            &format!("{marker}{} {state}", asset_name(view, dep.on)),
            width,
        )));
        lines.push(Line::from(truncate(
            &format!("    {} · weight {:.2}", kind_word(dep.kind), dep.weight),
            width,
        )));
        if dep.cross_border {
            lines.push(Line::from(truncate(
                &format!("    ⇄ cross-border: {}", foreign_economy(view, dep.on)),
                width,
            )));
        }
    }
    frame.render_widget(
        Paragraph::new(lines)
            .block(block)
            .wrap(Wrap { trim: false }),
        area,
    );
}

/// What the asset's outage costs, for the viewer's own assets: the output lost each tick
/// while it is completely down (in every economy it serves), and over the whole
/// exercise with that sum's share of its economy's output for the exercise (the one way
/// money is put in context, [`money::in_context`]). Long lines wrap.
fn at_stake_lines(view: &View, asset: &AssetView) -> Vec<Line<'static>> {
    let Some(per_tick) = asset.at_stake else {
        return Vec::new();
    };
    let mut lines = vec![Line::from(format!(
        "down, it costs {} of output a tick ({})",
        money::short(per_tick),
        duration_words(u64::from(view.tick_minutes))
    ))];
    if let Some(economy) = view.economies.iter().find(|e| e.idx == asset.economy) {
        lines.push(Line::from("down all exercise:"));
        lines.push(Line::from(money::in_context(
            per_tick * f64::from(view.duration_ticks),
            economy.output,
            &economy.name,
        )));
    }
    lines
}

fn foreign_economy(view: &View, asset: cyberdrill_engine::scenario::model::AssetIdx) -> String {
    view.assets
        .iter()
        .find(|a| a.idx == asset)
        .map(|a| economy_name(view, a.economy))
        .unwrap_or_default()
}

/// People served in a short form: `950`, `12k`, `1.2M`.
fn people(count: u64) -> String {
    if count >= 1_000_000 {
        format!("{:.1}M", count as f64 / 1e6)
    } else if count >= 1_000 {
        format!("{}k", count / 1_000)
    } else {
        count.to_string()
    }
}
