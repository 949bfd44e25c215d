//! Text helpers that keep unicode and long names from breaking layouts, and the
//! colour-independent status words every screen uses.

use ratatui::style::{Color, Style};
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// Cuts `text` to at most `width` terminal columns, ending with `…` when cut.
/// Wide characters (CJK, emoji) count as two columns and are never split.
pub fn truncate(text: &str, width: usize) -> String {
    if text.width() <= width {
        return text.to_string();
    }
    if width == 0 {
        return String::new();
    }
    let mut out = String::new();
    let mut used = 0;
    for ch in text.chars() {
        let w = ch.width().unwrap_or(0);
        if used + w > width - 1 {
            break;
        }
        out.push(ch);
        used += w;
    }
    out.push('…');
    out
}

/// `text` broken into lines of at most `width` columns, at spaces where it can be and
/// inside a word only when the word alone is wider than a line; nothing is left out.
/// Wide characters count as two columns.
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let width = width.max(1);
    let mut lines = Vec::new();
    let mut line = String::new();
    let mut used = 0;
    for word in text.split_whitespace() {
        let w = word.width();
        if used > 0 && used + 1 + w <= width {
            line.push(' ');
            line.push_str(word);
            used += 1 + w;
            continue;
        }
        if used > 0 {
            lines.push(std::mem::take(&mut line));
            used = 0;
        }
        if w <= width {
            line.push_str(word);
            used = w;
            continue;
        }
        // A word wider than a line: cut it at the line's width.
        for ch in word.chars() {
            let cw = ch.width().unwrap_or(0);
            if used + cw > width {
                lines.push(std::mem::take(&mut line));
                used = 0;
            }
            line.push(ch);
            used += cw;
        }
    }
    if used > 0 || lines.is_empty() {
        lines.push(line);
    }
    lines
}

/// Pads or truncates `text` to exactly `width` columns.
pub fn fit(text: &str, width: usize) -> String {
    let cut = truncate(text, width);
    let pad = width.saturating_sub(cut.width());
    format!("{cut}{}", " ".repeat(pad))
}

/// Service health in three steps, shown with a symbol and a word so that it reads
/// without colour (and for colour-blind players).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Health {
    Ok,
    Degraded,
    Down,
}

impl Health {
    /// At 90 % service or more an asset is ok; under 50 % it is down.
    pub fn of_service(service: f64) -> Health {
        if service >= 0.9 {
            Health::Ok
        } else if service >= 0.5 {
            Health::Degraded
        } else {
            Health::Down
        }
    }

    pub fn symbol(self) -> &'static str {
        match self {
            Health::Ok => "▲",
            Health::Degraded => "!",
            Health::Down => "✖",
        }
    }

    pub fn word(self) -> &'static str {
        match self {
            Health::Ok => "ok",
            Health::Degraded => "degraded",
            Health::Down => "down",
        }
    }

    /// Symbol and word, e.g. `! degraded`.
    pub fn label(self) -> String {
        format!("{} {}", self.symbol(), self.word())
    }

    pub fn style(self) -> Style {
        Style::default().fg(match self {
            Health::Ok => Color::Green,
            Health::Degraded => Color::Yellow,
            Health::Down => Color::Red,
        })
    }
}

/// A text bar of `width` cells for a 0-1 value, e.g. `██████░░░░`, readable without colour.
pub fn bar(value: f64, width: usize) -> String {
    let clamped = if value.is_finite() {
        value.clamp(0.0, 1.0)
    } else {
        0.0
    };
    let filled = (clamped * width as f64 + 0.5) as usize;
    let filled = filled.min(width);
    format!("{}{}", "█".repeat(filled), "░".repeat(width - filled))
}

/// A 0-1 value as a percentage with no decimals, e.g. `62%`: the one percent format of
/// the screens and the report (a loss's share of output: `money::share`).
pub fn percent(value: f64) -> String {
    percent_to(value, 0)
}

/// A 0-1 value as a percentage with `decimals` decimals, e.g. `62.4%`.
pub fn percent_to(value: f64, decimals: usize) -> String {
    format!("{:.decimals$}%", value * 100.0)
}

/// US dollars in a short human form: `$950`, `$12.3k`, `$4.5M`, `$1.25B`; the one
/// format of the screens and the after-action report.
pub use cyberdrill_engine::money::short as money;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn truncate_marks_cut_text_with_an_ellipsis() {
        assert_eq!(truncate("Arcadia national grid", 10), "Arcadia n…");
        assert_eq!(truncate("short", 10), "short");
        assert_eq!(truncate("anything", 0), "");
    }

    #[test]
    fn truncate_counts_wide_characters_as_two_columns() {
        // Each CJK character is two columns wide: 4 columns leave room for one and the ellipsis.
        assert_eq!(truncate("東京電力網", 4), "東…");
        assert!(truncate("東京電力網", 4).width() <= 4);
        assert_eq!(fit("東京", 6).width(), 6);
    }

    #[test]
    fn wrap_breaks_at_spaces_and_keeps_every_word() {
        let refusal = "harden sector refused: a CSIRT team may not harden a sector: ask a regulator or operator team";
        let lines = wrap(refusal, 40);
        assert!(lines.iter().all(|l| l.width() <= 40), "{lines:?}");
        assert_eq!(lines.join(" "), refusal);
        assert_eq!(wrap("東京電力網", 4), vec!["東京", "電力", "網"]);
        assert_eq!(wrap("", 10), vec![String::new()]);
    }

    #[test]
    fn health_reads_without_colour() {
        assert_eq!(Health::of_service(1.0).label(), "▲ ok");
        assert_eq!(Health::of_service(0.6).label(), "! degraded");
        assert_eq!(Health::of_service(0.1).label(), "✖ down");
    }

    #[test]
    fn bar_and_money_are_human() {
        assert_eq!(bar(0.5, 4), "██░░");
        assert_eq!(bar(f64::NAN, 2), "░░");
        assert_eq!(money(12_300.0), "$12.3k");
        assert_eq!(money(4_500_000.0), "$4.5M");
    }
}
