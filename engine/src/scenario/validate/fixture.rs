//! Test fixtures with the expected diagnostics written in the file, as rust-analyzer's
//! `check_diagnostics` does: a TOML comment under a line puts carets under the offending
//! text, followed by the diagnostic, and dashes under a secondary label's place:
//!
//! ```toml
//! id = "x"
//! #    --- first declared here
//! id = "x"
//! #    ^^^ error[duplicate-id]: duplicate actor id `x`
//! ```
//!
//! [`check`] asserts that exactly the annotated diagnostics are produced (labels are
//! compared when the fixture annotates any).

use crate::scenario::diagnostic::{Diagnostic, LineIndex};
use crate::scenario::{Checked, parse, render};

/// The authoring guide's example, valid without warnings.
pub const SMALL: &str = include_str!("../../../../tests/good/two-economies.toml");

/// A valid head: `[scenario]` of 10 ticks, economy `sg`, sector `energy`.
pub const HEAD: &str = "[scenario]\nid = \"t\"\ntitle = \"T\"\nduration_ticks = 10\n\n[[economy]]\nid = \"sg\"\nname = \"S\"\npopulation = 100\nreadiness = { legal = 1, technical = 2, organizational = 3, capacity = 4, cooperation = 5 }\n\n[[sector]]\nid = \"energy\"\nname = \"E\"\n";

/// Every diagnostic of `text`, errors or warnings.
pub fn diagnostics(text: &str) -> Vec<Diagnostic> {
    match parse(text) {
        Ok(checked) => checked.warnings,
        Err(diagnostics) => diagnostics,
    }
}

/// The checked scenario; panics with the rendered diagnostics if there is an error.
pub fn ok(text: &str) -> Checked {
    match parse(text) {
        Ok(checked) => checked,
        Err(diagnostics) => panic!(
            "expected a valid scenario, got:\n{}",
            render("t.toml", text, &diagnostics)
        ),
    }
}

/// The rendered diagnostics of `text`.
pub fn rendered(text: &str) -> String {
    render("t.toml", text, &diagnostics(text))
}

/// Asserts that `text` produces exactly the diagnostics annotated in it.
#[track_caller]
pub fn check(text: &str) {
    let (expected, expected_labels) = annotations(text);
    let found = diagnostics(text);
    let index = LineIndex::new(text);
    let lines: Vec<&str> = text.lines().collect();
    let place = |span: &std::ops::Range<usize>| {
        let (line, column) = index.line_col(span.start);
        let (end_line, end_column) = index.line_col(span.end);
        let line_len = lines.get(line - 1).map_or(0, |l| l.chars().count());
        let end = if end_line == line {
            end_column
        } else {
            line_len + 1
        };
        (line, column, end.saturating_sub(column).max(1))
    };
    let mut actual: Vec<String> = found
        .iter()
        .map(|d| {
            let (line, column, width) = place(&d.span);
            format!(
                "{line}:{column}+{width} {}[{}]: {}",
                d.severity.label(),
                d.code,
                d.message
            )
        })
        .collect();
    actual.sort();
    let mut expected = expected;
    expected.sort();
    assert_eq!(
        actual,
        expected,
        "diagnostics differ; rendered:\n{}",
        render("t.toml", text, &found)
    );
    if !expected_labels.is_empty() {
        let mut labels: Vec<String> = found
            .iter()
            .flat_map(|d| &d.labels)
            .map(|l| {
                let (line, column, width) = place(&l.span);
                format!("{line}:{column}+{width} {}", l.message)
            })
            .collect();
        labels.sort();
        let mut expected_labels = expected_labels;
        expected_labels.sort();
        assert_eq!(labels, expected_labels, "labels differ");
    }
}

/// The annotations of a fixture: diagnostics and labels, as `LINE:COL+WIDTH text`.
fn annotations(text: &str) -> (Vec<String>, Vec<String>) {
    let mut diagnostics = Vec::new();
    let mut labels = Vec::new();
    let mut annotated = 0;
    for (n, line) in text.lines().enumerate() {
        let Some((column, marker, width, rest)) = annotation(line) else {
            annotated = n + 1;
            continue;
        };
        let entry = format!("{annotated}:{column}+{width} {rest}");
        if marker == '^' {
            diagnostics.push(entry);
        } else {
            labels.push(entry);
        }
    }
    (diagnostics, labels)
}

/// `#   ^^^ text` or `#   --- text`: the 1-based column of the first marker, the marker,
/// how many, and the text after them.
fn annotation(line: &str) -> Option<(usize, char, usize, &str)> {
    let body = line.strip_prefix('#')?;
    let trimmed = body.trim_start();
    let marker = trimmed.chars().next().filter(|c| *c == '^' || *c == '-')?;
    let width = trimmed.chars().take_while(|c| *c == marker).count();
    let rest = trimmed[width..].strip_prefix(' ')?;
    let column = 1 + line.chars().count() - trimmed.chars().count();
    Some((column, marker, width, rest))
}

#[test]
fn annotations_are_read_with_their_columns() {
    let (d, l) = annotations("a = 1\n# ^ error[x]: y\nb = \"zz\"\n#   ---- first\n");
    assert_eq!(d, ["1:3+1 error[x]: y"]);
    assert_eq!(l, ["3:5+4 first"]);
}
