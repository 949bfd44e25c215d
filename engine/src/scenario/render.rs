//! Diagnostics for people and for tools.
//!
//! [`render`] draws each diagnostic as rustc and cargo do, with `annotate-snippets` (the
//! renderer they use): `error[code]: message`, `--> FILE:LINE:COL`, the source lines
//! with a caret under the problem and a labelled underline under each related place, then
//! `= hint: ...`. [`render_short`] gives one `FILE:LINE:COL: error[code]: message` line
//! per diagnostic (for grep and editors' error formats); [`to_json`] the same data with
//! line, column and byte offsets, for editors and CI. Plain text, no colour, and no
//! control character from the file reaches the terminal.

use std::borrow::Cow;
use std::ops::Range;

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};
use serde::Serialize;

use super::diagnostic::{Diagnostic, LineIndex, Severity};

/// Width lines are cut to around the caret (`...` marks the cut).
const TERM_WIDTH: usize = 140;

/// Renders diagnostics for people, one block per diagnostic, in the given order.
pub fn render(file_name: &str, text: &str, diagnostics: &[Diagnostic]) -> String {
    let printable = Printable::new(text);
    let path = sanitize(file_name);
    let renderer = Renderer::plain().term_width(TERM_WIDTH);
    let mut out = String::new();
    for diagnostic in diagnostics {
        let message = sanitize(&diagnostic.message);
        let labels: Vec<(Range<usize>, Cow<'_, str>)> = diagnostic
            .labels
            .iter()
            .map(|l| (printable.span(&l.span), sanitize(&l.message)))
            .collect();
        let hint = diagnostic.hint.as_deref().map(sanitize);
        let snippet = Snippet::source(printable.text.as_ref())
            .path(path.as_ref())
            .fold(true)
            .annotation(AnnotationKind::Primary.span(printable.span(&diagnostic.span)))
            .annotations(labels.iter().map(|(span, label)| {
                AnnotationKind::Context
                    .span(span.clone())
                    .label(label.as_ref())
            }));
        let title = level(diagnostic.severity)
            .primary_title(message.as_ref())
            .id(diagnostic.code.as_str());
        let mut group: Group<'_> = title.element(snippet);
        if let Some(hint) = &hint {
            group = group.element(Level::HELP.with_name("hint").message(hint.as_ref()));
        }
        out.push_str(&renderer.render(&[group]));
        out.push_str("\n\n");
    }
    out
}

/// One line per diagnostic: `FILE:LINE:COL: error[code]: message`.
pub fn render_short(file_name: &str, text: &str, diagnostics: &[Diagnostic]) -> String {
    let index = LineIndex::new(text);
    let path = sanitize(file_name);
    let mut out = String::new();
    for d in diagnostics {
        let (line, column) = index.line_col(d.span.start);
        out.push_str(&format!(
            "{path}:{line}:{column}: {}[{}]: {}\n",
            d.severity.label(),
            d.code,
            sanitize(&d.message)
        ));
    }
    out
}

fn level(severity: Severity) -> Level<'static> {
    match severity {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
    }
}

/// A place in the text for tools: 1-based line and character column, and byte offset.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Position {
    pub line: usize,
    pub column: usize,
    pub offset: usize,
}

/// A span for tools: where it starts and where it ends (exclusive).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Location {
    pub start: Position,
    pub end: Position,
}

/// A secondary label for tools.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct JsonLabel {
    pub message: String,
    #[serde(flatten)]
    pub location: Location,
}

/// One diagnostic for tools (`cyberdrill validate --format json`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct JsonDiagnostic {
    pub code: &'static str,
    pub severity: Severity,
    pub message: String,
    pub hint: Option<String>,
    #[serde(flatten)]
    pub location: Location,
    pub labels: Vec<JsonLabel>,
}

/// The diagnostics of one text with their positions, for tools.
pub fn to_json(text: &str, diagnostics: &[Diagnostic]) -> Vec<JsonDiagnostic> {
    let index = LineIndex::new(text);
    let locate = |span: &Range<usize>| {
        let span = index.clamp_span(span);
        let position = |offset: usize| {
            let (line, column) = index.line_col(offset);
            Position {
                line,
                column,
                offset,
            }
        };
        Location {
            start: position(span.start),
            end: position(span.end),
        }
    };
    diagnostics
        .iter()
        .map(|d| JsonDiagnostic {
            code: d.code.as_str(),
            severity: d.severity,
            message: d.message.clone(),
            hint: d.hint.clone(),
            location: locate(&d.span),
            labels: d
                .labels
                .iter()
                .map(|l| JsonLabel {
                    message: l.message.clone(),
                    location: locate(&l.span),
                })
                .collect(),
        })
        .collect()
}

/// C1 control characters (U+0080 to U+009F) are not replaced by the renderer, which
/// shows the C0 ones as control pictures; some terminals act on them.
fn is_c1(c: char) -> bool {
    ('\u{80}'..='\u{9f}').contains(&c)
}

/// Bidirectional overrides and isolates, which can make a line read differently from
/// what it is.
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// `s` with control characters shown as printable ones (C0 as control pictures).
fn sanitize(s: &str) -> Cow<'_, str> {
    let bad = |c: char| (c.is_control() && c != '\n') || is_bidi_control(c);
    if !s.chars().any(bad) {
        return Cow::Borrowed(s);
    }
    Cow::Owned(
        s.chars()
            .map(|c| match c {
                c if !bad(c) => c,
                c if u32::from(c) < 0x20 => {
                    char::from_u32(0x2400 + u32::from(c)).unwrap_or('\u{FFFD}')
                }
                '\u{7f}' => '\u{2421}',
                _ => '\u{FFFD}',
            })
            .collect(),
    )
}

/// The scenario text with C1 controls replaced (the renderer handles the others), and
/// the byte shift that moves spans of the original text onto it.
struct Printable<'a> {
    text: Cow<'a, str>,
    /// (offset in the original just past a replaced character, total shift from there).
    shifts: Vec<(usize, usize)>,
    index: LineIndex<'a>,
}

impl<'a> Printable<'a> {
    fn new(text: &'a str) -> Self {
        let index = LineIndex::new(text);
        if !text.chars().any(is_c1) {
            return Self {
                text: Cow::Borrowed(text),
                shifts: Vec::new(),
                index,
            };
        }
        let mut out = String::with_capacity(text.len());
        let mut shifts = Vec::new();
        let mut shift = 0;
        for (at, c) in text.char_indices() {
            if is_c1(c) {
                out.push('\u{FFFD}');
                shift += '\u{FFFD}'.len_utf8() - c.len_utf8();
                shifts.push((at + c.len_utf8(), shift));
            } else {
                out.push(c);
            }
        }
        Self {
            text: Cow::Owned(out),
            shifts,
            index,
        }
    }

    /// `span` of the original text, clamped, in the printable text.
    fn span(&self, span: &Range<usize>) -> Range<usize> {
        let span = self.index.clamp_span(span);
        self.offset(span.start)..self.offset(span.end)
    }

    fn offset(&self, offset: usize) -> usize {
        let before = self.shifts.partition_point(|(end, _)| *end <= offset);
        offset + before.checked_sub(1).map_or(0, |i| self.shifts[i].1)
    }
}

#[cfg(test)]
mod tests {
    use super::super::diagnostic::Code;
    use super::*;

    #[test]
    fn renders_code_location_snippet_caret_and_hint() {
        let text = "[scenario]\nid = 5\n";
        let diagnostic =
            Diagnostic::error(Code::WrongType, 16..17, "invalid type").with_hint("write a string");
        let rendered = render("f.toml", text, &[diagnostic]);
        assert_eq!(
            rendered,
            "error[wrong-type]: invalid type\n --> f.toml:2:6\n  |\n2 | id = 5\n  |      ^\n  |\n  = hint: write a string\n\n"
        );
    }

    #[test]
    fn a_secondary_label_gets_its_own_underline() {
        let text = "[[e]]\nid = \"a\"\n[[e]]\nid = \"a\"\n";
        let d = Diagnostic::error(Code::DuplicateId, 26..29, "duplicate e id `a`")
            .with_label(11..14, "first defined here");
        let rendered = render("f.toml", text, &[d]);
        assert!(
            rendered.contains("2 | id = \"a\"\n  |      --- first defined here\n"),
            "{rendered}"
        );
        assert!(
            rendered.contains("4 | id = \"a\"\n  |      ^^^\n"),
            "{rendered}"
        );
        assert!(rendered.contains("--> f.toml:4:6"), "{rendered}");
    }

    #[test]
    fn long_lines_are_cut_around_the_caret() {
        let text = format!("{}X{}", "a".repeat(500), "b".repeat(500));
        let rendered = render(
            "f",
            &text,
            &[Diagnostic::error(Code::OutOfRange, 500..501, "here")],
        );
        let lines: Vec<&str> = rendered.lines().collect();
        assert_eq!(lines[0], "error[out-of-range]: here");
        assert_eq!(lines[1], " --> f:1:501");
        assert!(lines[3].starts_with("1 | ...") && lines[3].ends_with("..."));
        let caret = lines[4].find('^').expect("caret");
        assert_eq!(lines[3].chars().nth(caret), Some('X'));
        assert!(lines[3].chars().count() <= TERM_WIDTH);
    }

    #[test]
    fn spans_outside_the_text_or_inside_a_character_do_not_panic() {
        let text = "é";
        let rendered = render(
            "f",
            text,
            &[Diagnostic::warning(Code::OutOfRange, 1..99, "x").with_label(1..1, "y")],
        );
        assert!(
            rendered.starts_with("warning[out-of-range]: x\n --> f:1:1"),
            "{rendered}"
        );
        let backwards = Range { start: 5, end: 2 };
        let rendered = render(
            "f",
            "",
            &[Diagnostic::error(Code::TomlSyntax, backwards, "y")],
        );
        assert!(
            rendered.starts_with("error[toml-syntax]: y\n --> f:1:1"),
            "{rendered}"
        );
    }

    #[test]
    fn no_control_character_reaches_the_terminal() {
        let hostile: String = (0u32..0xa0)
            .filter_map(char::from_u32)
            .chain(['\u{202e}', 'x'])
            .collect();
        let text = format!("id = \"{hostile}\"\n");
        let message = format!("unknown economy `{hostile}`");
        let span = 6..text.len() - 2;
        let d = Diagnostic::error(Code::UnknownReference, span.clone(), message.as_str())
            .with_label(span, hostile.as_str())
            .with_hint(hostile.as_str());
        for out in [
            render(&hostile, &text, std::slice::from_ref(&d)),
            render_short(&hostile, &text, std::slice::from_ref(&d)),
        ] {
            let bad: Vec<char> = out
                .chars()
                .filter(|c| (c.is_control() && *c != '\n') || *c == '\u{202e}')
                .collect();
            assert!(bad.is_empty(), "{bad:?} in {out:?}");
        }
    }

    #[test]
    fn spans_after_replaced_characters_still_point_at_their_text() {
        let text = "a = \"\u{85}\u{85}\"\nbad = 1\n";
        let at = text.find("bad").expect("bad");
        let rendered = render(
            "f",
            text,
            &[Diagnostic::error(
                Code::UnknownField,
                at..at + 3,
                "unknown field `bad`",
            )],
        );
        assert!(rendered.contains("2 | bad = 1\n  | ^^^"), "{rendered}");
    }

    #[test]
    fn short_and_json_give_the_same_places() {
        let text = "a\nbé = 1\n";
        let d = Diagnostic::warning(Code::UnknownField, 5..7, "w").with_label(0..1, "l");
        assert_eq!(
            render_short("f", text, std::slice::from_ref(&d)),
            "f:2:3: warning[unknown-field]: w\n"
        );
        let json = serde_json::to_value(to_json(text, &[d])).expect("serializes");
        assert_eq!(
            json,
            serde_json::json!([{
                "code": "unknown-field", "severity": "warning", "message": "w", "hint": null,
                "start": {"line": 2, "column": 3, "offset": 5},
                "end": {"line": 2, "column": 5, "offset": 7},
                "labels": [{"message": "l",
                    "start": {"line": 1, "column": 1, "offset": 0},
                    "end": {"line": 1, "column": 2, "offset": 1}}]
            }])
        );
    }
}
