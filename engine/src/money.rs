//! Sums of money as people read them, the same on every screen and in every report.
//!
//! Losses are modelled in US dollars (`docs/model.md`, economic loss); a facilitator
//! compares the terminal's overview with the after-action report, so both print a sum
//! with this one function.

/// US dollars in a short form of three significant digits, trailing zeros dropped:
/// `$950`, `$12.3k`, `$350k`, `$4.5M`, `$1.25B`, `$2T`; negative sums as `-$1.2M`.
/// Never wider than seven characters for sums under a thousand trillion.
pub fn short(dollars: f64) -> String {
    if !dollars.is_finite() {
        return "$?".to_string();
    }
    let abs = dollars.abs();
    let sign = if dollars < 0.0 && abs >= 0.5 { "-" } else { "" };
    if abs < 999.5 {
        return format!("{sign}${abs:.0}");
    }
    const UNITS: [(f64, &str); 4] = [(1e3, "k"), (1e6, "M"), (1e9, "B"), (1e12, "T")];
    // The largest unit that leaves at least 1 once rounded to three digits (999.96k
    // rounds to 1000k: that is 1M).
    let mut pick = UNITS[0];
    for unit in UNITS {
        if abs >= unit.0 * 0.9995 {
            pick = unit;
        }
    }
    let (scale, suffix) = pick;
    let value = abs / scale;
    let decimals = if value < 9.995 {
        2
    } else if value < 99.95 {
        1
    } else {
        0
    };
    let text = format!("{value:.decimals$}");
    let text = if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.')
    } else {
        &text
    };
    format!("{sign}${text}{suffix}")
}

/// Whole US dollars with thousands separators, for the exact figures of a text run
/// summary beside the short form: `$1,234,567`; negative sums as `-$1,200`.
pub fn exact(dollars: f64) -> String {
    if !dollars.is_finite() {
        return "$?".to_string();
    }
    let whole = format!("{:.0}", dollars.abs());
    let sign = if dollars <= -0.5 { "-" } else { "" };
    let mut out = String::with_capacity(whole.len() + whole.len() / 3 + 2);
    out.push_str(sign);
    out.push('$');
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A part of a whole as a percentage people read: `12%`, `3.4%`, `0.42%`, `0.003%`,
/// trailing zeros dropped; `—` without a whole to compare with. The one percent format of
/// a loss's share of output, on screens and in the report.
pub fn share(part: f64, whole: f64) -> String {
    if !part.is_finite() || !whole.is_finite() || whole <= 0.0 {
        return "—".to_string();
    }
    let percent = 100.0 * part / whole;
    let decimals = if percent.abs() >= 10.0 {
        0
    } else if percent.abs() >= 1.0 {
        1
    } else if percent.abs() >= 0.1 {
        2
    } else {
        3
    };
    let text = format!("{percent:.decimals$}");
    let text = if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.')
    } else {
        &text
    };
    format!("{text}%")
}

/// A loss with its unit and its share of the economy's output over the exercise, the way
/// a finance ministry reads a figure: `$52M, 0.4% of Norvale's output for the exercise`.
/// The one way a loss is put in context, on screens and in the report.
pub fn in_context(loss: f64, output: f64, economy: &str) -> String {
    format!(
        "{}, {} of {economy}'s output for the exercise",
        short(loss),
        share(loss, output)
    )
}

/// A loss with its share of the economy's output for the exercise where a column or a
/// label has no room for [`in_context`]'s sentence: `$52M (0.4%)`, at most 16
/// characters for sums below a thousand trillion that are less than ten times the output
/// (a loss never exceeds it, `docs/model.md` "Economic loss"). The column's title or the label's caption says
/// whose output the share is of.
pub fn brief(loss: f64, output: f64) -> String {
    format!("{} ({})", short(loss), share(loss, output))
}

#[cfg(test)]
mod tests {
    use super::{brief, exact, in_context, short};

    #[test]
    fn a_loss_in_context_carries_its_unit_and_its_share_of_output() {
        assert_eq!(
            in_context(52e6, 13e9, "Norvale"),
            "$52M, 0.4% of Norvale's output for the exercise"
        );
        assert_eq!(brief(52e6, 13e9), "$52M (0.4%)");
        assert_eq!(brief(1_600_000.0, 4e9), "$1.6M (0.04%)");
        assert_eq!(brief(1e6, 0.0), "$1M (—)");
        for (loss, output) in [(123.4e12, 13.0e12), (0.123, 9e15), (999.9, 1000.0)] {
            assert!(
                brief(loss, output).chars().count() <= 16,
                "{}",
                brief(loss, output)
            );
        }
    }

    #[test]
    fn exact_sums_have_thousands_separators() {
        assert_eq!(exact(0.0), "$0");
        assert_eq!(exact(999.4), "$999");
        assert_eq!(exact(1_234_567.0), "$1,234,567");
        assert_eq!(exact(-1_200.0), "-$1,200");
        assert_eq!(exact(-0.2), "$0");
        assert_eq!(exact(f64::NAN), "$?");
    }

    #[test]
    fn three_significant_digits_with_trailing_zeros_dropped() {
        let cases = [
            (0.0, "$0"),
            (0.4, "$0"),
            (950.0, "$950"),
            (999.4, "$999"),
            (999.6, "$1k"),
            (1_000.0, "$1k"),
            (1_234.0, "$1.23k"),
            (12_300.0, "$12.3k"),
            (350_000.0, "$350k"),
            (999_700.0, "$1M"),
            (1_600_000.0, "$1.6M"),
            (4_500_000.0, "$4.5M"),
            (12_340_000.0, "$12.3M"),
            (1_250_000_000.0, "$1.25B"),
            (2e12, "$2T"),
            (4.5e15, "$4500T"),
            (-1_200_000.0, "-$1.2M"),
            (-3.0, "-$3"),
            (-0.2, "$0"),
        ];
        for (dollars, text) in cases {
            assert_eq!(short(dollars), text, "{dollars}");
        }
        assert_eq!(short(f64::NAN), "$?");
        assert_eq!(short(f64::INFINITY), "$?");
    }

    #[test]
    fn never_wider_than_seven_characters_below_a_thousand_trillion() {
        let mut dollars = 1.0;
        while dollars < 9.99e14 {
            for d in [dollars, -dollars, dollars * 0.9996, dollars * 1.0004] {
                assert!(short(d).chars().count() <= 7, "{d}: {}", short(d));
            }
            dollars *= 1.37;
        }
    }
}
