//! The economy panel beside the Overview's sector grid: the selected economy's loss in
//! context (money with its unit and its share of the economy's output for the exercise,
//! as a finance ministry reads it) and, where the viewer sees the economy in full, where
//! the money went, cause by cause, and what moved public trust. A terminal too narrow
//! for the panel shows the loss in context on the economies' bottom border instead.
//! Figures and their sources: `docs/model.md` ("Economic loss", "Public trust").

use cyberdrill_engine::economics::Cause;
use cyberdrill_engine::money;
use cyberdrill_engine::spam::SpamSeen;
use cyberdrill_engine::view::EconomyView;
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

/// The panel's lines, before clipping: the loss in context, its causes, then trust and
/// what moved it.
pub fn lines(economy: &EconomyView) -> Vec<Line<'static>> {
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
    if let Some(spam) = &economy.spam {
        lines.extend(spam_lines(spam));
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
pub fn draw(frame: &mut Frame, area: Rect, economy: &EconomyView) {
    if area.height < 3 || area.width < 10 {
        return;
    }
    let title = format!(" {} ", economy.name);
    let block = Block::bordered().title(truncate(&title, area.width.saturating_sub(2) as usize));
    let lines = clip_with_more(lines(economy), area.height.saturating_sub(2) as usize);
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
    fn the_panel_puts_the_loss_in_context_and_says_what_moved_trust() {
        let view = fixture::team_view();
        let Some(own) = view.economies.iter().find(|e| e.loss_breakdown.is_some()) else {
            panic!("the fixture has an economy seen in full");
        };
        let text: Vec<String> = lines(own).iter().map(|l| l.to_string()).collect();
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
        let Some(other) = view.economies.iter().find(|e| e.loss_breakdown.is_none()) else {
            panic!("the fixture has an economy seen from outside");
        };
        let text: Vec<String> = lines(other).iter().map(|l| l.to_string()).collect();
        assert!(text.join("\n").contains("known to its own teams"));
        assert!(!text.join("\n").contains("Spam"), "spam is its own teams'");
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
