//! The economy panel beside the Overview's sector grid: the selected economy's loss in
//! context (money with its unit and its share of the economy's output for the exercise,
//! as a finance ministry reads it) and, where the viewer sees the economy in full, where
//! the money went, cause by cause, what moved public trust and what raised its
//! readiness. A terminal too narrow
//! for the panel shows the loss in context on the economies' bottom border instead.
//! Figures and their sources: `docs/model.md` ("Economic loss", "Public trust").

use cyberdrill_engine::economics::Cause;
use cyberdrill_engine::money;
use cyberdrill_engine::readiness::ReadinessMoves;
use cyberdrill_engine::spam::SpamSeen;
use cyberdrill_engine::view::{EconomyView, SectorInfo};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::Line;
use ratatui::widgets::{Block, Paragraph, Wrap};

use crate::text::truncate;
use crate::ui::clip_with_more;

/// Columns the panel takes beside the sector grid on a wide terminal.
pub const PANEL_WIDTH: u16 = 44;

/// Terminals at least this wide show the panel beside the grid; narrower ones show the
/// one-line [`summary`] under the economies instead.
pub const WIDE: u16 = 100;

/// `Norvale: $52M, 0.4% of Norvale's output for the exercise`: the one line a narrow
/// terminal has room for.
pub fn summary(economy: &EconomyView) -> String {
    format!(
        "{}: {}",
        economy.name,
        money::in_context(economy.loss, economy.output, &economy.name)
    )
}

/// Sectors and assets the side panel lists (the detail page lists every one).
const PANEL_ROWS: usize = 3;

/// The panel's lines, before clipping: the loss in context, its causes, then trust and
/// what moved it, then the costliest sectors and assets (the first [`PANEL_ROWS`]), then
/// spam where there is any.
pub fn lines(economy: &EconomyView, sectors: &[SectorInfo]) -> Vec<Line<'static>> {
    let mut lines = summary_lines(economy);
    lines.extend(where_it_went(economy, sectors, PANEL_ROWS, NAME_WIDTH));
    if let Some(spam) = &economy.spam {
        lines.extend(spam_lines(spam));
    }
    lines
}

/// The economy detail page (Enter on the Overview): the panel's lines with every sector
/// and every listed asset.
pub fn detail(economy: &EconomyView, sectors: &[SectorInfo]) -> Vec<Line<'static>> {
    let mut lines = vec![Line::styled(
        economy.name.clone(),
        Style::default().add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
    )];
    lines.extend(summary_lines(economy));
    lines.extend(where_it_went(economy, sectors, usize::MAX, usize::MAX));
    if let Some(spam) = &economy.spam {
        lines.extend(spam_lines(spam));
    }
    lines
}

/// Width of an asset's or sector's name after its loss and share (the panel's inner
/// width less `  $12.3M  0.42% `).
const NAME_WIDTH: usize = PANEL_WIDTH as usize - 2 - 17;

/// Outage loss by sector and the costliest assets, each with its share of the economy's
/// output for the exercise, at most `rows` of each, names cut to `name_width`.
fn where_it_went(
    economy: &EconomyView,
    sectors: &[SectorInfo],
    rows: usize,
    name_width: usize,
) -> Vec<Line<'static>> {
    let dim = Style::default().add_modifier(Modifier::DIM);
    let row = |loss: f64, name: &str| {
        Line::from(format!(
            "  {:>7} {:>6} {}",
            money::short(loss),
            money::share(loss, economy.output),
            truncate(name, name_width)
        ))
    };
    if economy.loss_breakdown.is_none() {
        return vec![Line::styled(
            "By sector and asset: known to its own teams",
            dim,
        )];
    }
    let by_sector: Vec<(f64, &str)> = economy
        .sectors_by_loss(sectors)
        .into_iter()
        .map(|(loss, sector)| (loss, sector.name.as_str()))
        .collect();
    let mut lines = vec![Line::styled("Outages by sector:", dim)];
    if by_sector.is_empty() {
        lines.push(Line::styled("  none yet", dim));
    }
    lines.extend(
        by_sector
            .iter()
            .take(rows)
            .map(|(loss, name)| row(*loss, name)),
    );
    lines.push(Line::styled("Costliest assets:", dim));
    if economy.top_assets.is_empty() {
        lines.push(Line::styled("  none yet", dim));
    }
    lines.extend(
        economy
            .top_assets
            .iter()
            .take(rows)
            .map(|a| row(a.loss, &a.name)),
    );
    lines
}

/// The loss in context, its causes, then trust and what moved it, then what moved its
/// readiness.
fn summary_lines(economy: &EconomyView) -> Vec<Line<'static>> {
    let bold = Style::default().add_modifier(Modifier::BOLD);
    let dim = Style::default().add_modifier(Modifier::DIM);
    let mut lines = vec![
        Line::styled(format!("Loss {}", money::short(economy.loss)), bold),
        Line::from(money::in_context(
            economy.loss,
            economy.output,
            &economy.name,
        )),
    ];
    match &economy.loss_breakdown {
        Some(breakdown) => {
            lines.push(Line::styled("By cause:", dim));
            for cause in Cause::ALL {
                lines.push(Line::from(format!(
                    "  {:>7} {}",
                    money::short(breakdown.part(cause)),
                    cause.label()
                )));
            }
        }
        None => lines.push(Line::styled("By cause: known to its own teams", dim)),
    }
    lines.push(Line::styled(
        format!("Trust {:.0}/100", economy.trust),
        bold,
    ));
    match &economy.trust_moves {
        Some(moves) => {
            let moved = moves.largest(0.05);
            if moved.is_empty() {
                lines.push(Line::styled("  not moved yet", dim));
            }
            for (cause, points) in moved {
                lines.push(Line::from(format!("  {points:+7.1} {}", cause.label())));
            }
        }
        None => lines.push(Line::styled("What moved it: known to its own teams", dim)),
    }
    lines.extend(readiness_lines(economy.readiness_moves.as_ref()));
    lines
}

/// What raised the economy's readiness pillars since the start, pillar by pillar with
/// its cause (training at home, capacity-building assistance from another economy:
/// `docs/model.md`, "Readiness that moves"); one line when nothing has.
fn readiness_lines(moves: Option<&ReadinessMoves>) -> Vec<Line<'static>> {
    let bold = Style::default().add_modifier(Modifier::BOLD);
    let dim = Style::default().add_modifier(Modifier::DIM);
    let Some(moves) = moves else {
        return vec![Line::styled("Readiness moves: known to its own teams", dim)];
    };
    let parts = moves.parts();
    if parts.is_empty() {
        return vec![Line::styled("Readiness: not moved yet", dim)];
    }
    let mut lines = vec![Line::styled("Readiness moved", bold)];
    lines.extend(parts.into_iter().map(|(pillar, cause, points)| {
        Line::from(format!(
            "  {:>+7} {} ({})",
            points,
            pillar.name(),
            cause.label()
        ))
    }));
    lines
}

/// Spam in the viewer's own economy: what got past the providers' filters to people,
/// who answered it (fraud victims, their loss in the fraud line above), and the
/// filtering, with where the providers are taking it (`docs/model.md`, "Spam").
fn spam_lines(spam: &SpamSeen) -> Vec<Line<'static>> {
    let bold = Style::default().add_modifier(Modifier::BOLD);
    let SpamSeen { filter, tally } = spam;
    let mut filtering = format!("  filtered {:.1}%", filter.level);
    if (filter.target - filter.level).abs() >= 0.05 {
        filtering.push_str(&format!(", rising to {:.1}%", filter.target));
    }
    vec![
        Line::styled("Spam", bold),
        Line::from(format!("  {} reached people", count(tally.reached))),
        Line::from(format!(
            "  {} answered, {} lost",
            count(tally.responded),
            money::short(tally.loss)
        )),
        Line::from(filtering),
    ]
}

/// A count of messages or people: `1.2M`, `35k`, `12`.
fn count(n: f64) -> String {
    if n >= 1e6 {
        format!("{:.1}M", n / 1e6)
    } else if n >= 1e4 {
        format!("{:.0}k", n / 1e3)
    } else {
        format!("{n:.0}")
    }
}

/// Draws the panel for `economy` in `area`.
pub fn draw(frame: &mut Frame, area: Rect, economy: &EconomyView, sectors: &[SectorInfo]) {
    if area.height < 3 || area.width < 10 {
        return;
    }
    let title = format!(" {} ", economy.name);
    let block = Block::bordered().title(truncate(&title, area.width.saturating_sub(2) as usize));
    let lines = clip_with_more(
        lines(economy, sectors),
        area.height.saturating_sub(2) as usize,
    );
    frame.render_widget(
        Paragraph::new(lines)
            .block(block)
            .wrap(Wrap { trim: false }),
        area,
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixture;

    #[test]
    fn the_panel_and_the_detail_say_which_sectors_and_assets_the_money_went_through() {
        let view = fixture::team_view();
        let Some(own) = view.economies.iter().find(|e| e.loss_breakdown.is_some()) else {
            panic!("the fixture has an economy seen in full");
        };
        let text =
            |lines: Vec<Line>| -> Vec<String> { lines.iter().map(|l| l.to_string()).collect() };
        let panel = text(lines(own, &view.sectors));
        let at = |lines: &[String], what: &str| {
            lines
                .iter()
                .position(|l| l.contains(what))
                .unwrap_or_else(|| panic!("no {what:?} in {lines:#?}"))
        };
        // Largest first, each with its share of the economy's output for the exercise.
        let finance = format!(
            "{:>7} {:>6} Finance",
            money::short(30.0 * 25_000.0),
            money::share(30.0 * 25_000.0, own.output)
        );
        assert!(at(&panel, &finance) < at(&panel, "Telecom"));
        assert!(at(&panel, "Telecom") < at(&panel, "Energy"));
        assert!(
            !panel.iter().any(|l| l.ends_with("Health")),
            "three in the panel"
        );
        assert!(at(&panel, "Arcadia interbank") < at(&panel, "ArcTel backbone"));
        assert!(!panel.iter().any(|l| l.contains("Royal Hospital")));
        let rows = &panel[at(&panel, "Outages by sector:")..];
        assert!(
            rows.iter()
                .all(|l| l.chars().count() <= PANEL_WIDTH as usize - 2)
        );
        // The detail lists every sector and asset, names whole.
        let page = text(detail(own, &view.sectors));
        assert!(page.iter().any(|l| l.ends_with("Health")));
        assert!(page.iter().any(|l| l.contains("Royal Hospital records")));
        assert!(page.iter().any(|l| l.contains("with a very long name")));
        let Some(other) = view.economies.iter().find(|e| e.loss_breakdown.is_none()) else {
            panic!("the fixture has an economy seen from outside");
        };
        let outside = text(detail(other, &view.sectors)).join("\n");
        assert!(outside.contains("By sector and asset: known to its own teams"));
    }

    #[test]
    fn the_panel_puts_the_loss_in_context_and_says_what_moved_trust() {
        let view = fixture::team_view();
        let Some(own) = view.economies.iter().find(|e| e.loss_breakdown.is_some()) else {
            panic!("the fixture has an economy seen in full");
        };
        let text: Vec<String> = lines(own, &view.sectors)
            .iter()
            .map(|l| l.to_string())
            .collect();
        let text = text.join("\n");
        assert!(
            text.contains(&money::in_context(own.loss, own.output, &own.name)),
            "{text}"
        );
        for cause in Cause::ALL {
            assert!(text.contains(cause.label()), "{text}");
        }
        assert!(text.contains("-7.5 attacks on people"), "{text}");
        assert!(text.contains("-6.0 outages"), "{text}");
        assert!(text.contains("Spam"), "{text}");
        assert!(text.contains("35k reached people"), "{text}");
        assert!(text.contains("3 answered, $3k lost"), "{text}");
        assert!(text.contains("filtered 99.0%, rising to 99.8%"), "{text}");
        // What raised its readiness, pillar by pillar with the cause.
        assert!(text.contains("Readiness moved"), "{text}");
        assert!(text.contains("+3 technical (training)"), "{text}");
        assert!(
            text.contains("+2 cooperation (capacity-building assistance)"),
            "{text}"
        );
        let Some(other) = view.economies.iter().find(|e| e.loss_breakdown.is_none()) else {
            panic!("the fixture has an economy seen from outside");
        };
        let text: Vec<String> = lines(other, &view.sectors)
            .iter()
            .map(|l| l.to_string())
            .collect();
        assert!(text.join("\n").contains("known to its own teams"));
        assert!(
            text.join("\n")
                .contains("Readiness moves: known to its own teams")
        );
        assert!(!text.join("\n").contains("Spam"), "spam is its own teams'");
        // Nothing moved yet: one line says so.
        let mut still = own.clone();
        still.readiness_moves = Some(ReadinessMoves::default());
        let text: Vec<String> = lines(&still, &view.sectors)
            .iter()
            .map(|l| l.to_string())
            .collect();
        assert!(
            text.iter().any(|l| l == "Readiness: not moved yet"),
            "{text:#?}"
        );
        assert!(!text.iter().any(|l| l.contains("Readiness moved")));
        assert_eq!(
            summary(own),
            format!(
                "{}: {}",
                own.name,
                money::in_context(own.loss, own.output, &own.name)
            )
        );
    }
}
