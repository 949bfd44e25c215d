//! Diagnostics as data, and their rendering as plain text in the style of a compiler.
//!
//! A diagnostic is a byte span of the scenario text, a message and an optional hint.
//! Validation collects all of them; [`render`] turns them into
//! `FILE:LINE:COL: error: message`, the source line with a gutter, a caret line under
//! the span and `  = hint: ...`. Plain text, no colour, so tests and logs read it.

use std::fmt::Write as _;
use std::ops::Range;

/// How bad a problem is: an error stops the scenario from loading, a warning does not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Error,
    Warning,
}

impl Severity {
    /// The word printed before the message.
    pub fn label(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

/// One problem in a scenario file, pointing at the bytes that cause it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    /// Byte range in the scenario text (may be empty: a position).
    pub span: Range<usize>,
    pub message: String,
    /// What to do about it.
    pub hint: Option<String>,
}

impl Diagnostic {
    /// An error at `span`.
    pub fn error(span: Range<usize>, message: impl Into<String>) -> Self {
        Self {
            severity: Severity::Error,
            span,
            message: message.into(),
            hint: None,
        }
    }

    /// A warning at `span`.
    pub fn warning(span: Range<usize>, message: impl Into<String>) -> Self {
        Self {
            severity: Severity::Warning,
            span,
            message: message.into(),
            hint: None,
        }
    }

    /// The same diagnostic with a hint.
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// The same diagnostic with a hint, if there is one.
    pub fn with_optional_hint(mut self, hint: Option<String>) -> Self {
        self.hint = hint;
        self
    }

    /// True for errors.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// Line and column (both 1-based, columns in characters) of byte offsets in a text.
pub struct LineIndex<'a> {
    text: &'a str,
    line_starts: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    /// Indexes the starts of the lines of `text`.
    pub fn new(text: &'a str) -> Self {
        let mut line_starts = vec![0];
        line_starts.extend(
            text.bytes()
                .enumerate()
                .filter(|(_, b)| *b == b'\n')
                .map(|(i, _)| i + 1),
        );
        Self { text, line_starts }
    }

    /// `offset` moved into the text and back onto a character boundary.
    pub fn clamp(&self, offset: usize) -> usize {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        offset
    }

    /// Zero-based line number holding `offset`.
    fn line_of(&self, offset: usize) -> usize {
        match self.line_starts.binary_search(&offset) {
            Ok(line) => line,
            Err(next) => next - 1,
        }
    }

    /// 1-based line and 1-based character column of `offset`.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = self.clamp(offset);
        let line = self.line_of(offset);
        let column = self.text[self.line_starts[line]..offset].chars().count();
        (line + 1, column + 1)
    }

    /// The text of the zero-based line, without its line ending.
    fn line_text(&self, line: usize) -> &'a str {
        let start = self.line_starts[line];
        let end = self
            .line_starts
            .get(line + 1)
            .map_or(self.text.len(), |next| next - 1);
        self.text[start..end.max(start)].trim_end_matches('\r')
    }
}

/// Renders diagnostics as plain text, one block per diagnostic, in the given order.
pub fn render(file_name: &str, text: &str, diagnostics: &[Diagnostic]) -> String {
    let index = LineIndex::new(text);
    let mut out = String::new();
    for diagnostic in diagnostics {
        render_one(&mut out, file_name, &index, diagnostic);
    }
    out
}

fn render_one(out: &mut String, file_name: &str, index: &LineIndex<'_>, diagnostic: &Diagnostic) {
    let start = index.clamp(diagnostic.span.start);
    let end = index.clamp(diagnostic.span.end.max(diagnostic.span.start));
    let (line, column) = index.line_col(start);
    let _ = writeln!(
        out,
        "{file_name}:{line}:{column}: {}: {}",
        diagnostic.severity.label(),
        diagnostic.message
    );
    let source_line: Vec<char> = index.line_text(line - 1).chars().map(printable).collect();
    let gutter = line.to_string();
    let pad = " ".repeat(gutter.len());
    let caret_start = column - 1;
    let (end_line, end_column) = index.line_col(end);
    let caret_end = if end_line == line {
        end_column - 1
    } else {
        source_line.len()
    };
    let width = caret_end.saturating_sub(caret_start).max(1);
    let window = Window::around(source_line.len(), caret_start);
    let shown: String = source_line[window.start..window.end].iter().collect();
    let lead = if window.start > 0 { "..." } else { "" };
    let tail = if window.end < source_line.len() {
        "..."
    } else {
        ""
    };
    let caret_column = lead.len() + caret_start - window.start;
    let width = width.min(window.end.saturating_sub(caret_start).max(1));
    let _ = writeln!(out, "{pad} |");
    let _ = writeln!(out, "{gutter} | {lead}{shown}{tail}");
    let _ = writeln!(
        out,
        "{pad} | {}{}",
        " ".repeat(caret_column),
        "^".repeat(width)
    );
    if let Some(hint) = &diagnostic.hint {
        let _ = writeln!(out, "{pad} = hint: {hint}");
    }
    out.push('\n');
}

/// Longest source line shown whole; longer lines are cut to a window around the caret.
const MAX_SHOWN_CHARS: usize = 120;

/// The part of a long line shown in a snippet (character positions).
struct Window {
    start: usize,
    end: usize,
}

impl Window {
    fn around(len: usize, caret: usize) -> Self {
        if len <= MAX_SHOWN_CHARS {
            return Self { start: 0, end: len };
        }
        let start = caret.saturating_sub(MAX_SHOWN_CHARS / 3).min(len);
        let end = (start + MAX_SHOWN_CHARS).min(len);
        Self { start, end }
    }
}

/// Tabs and control characters shown as one printable character each, so carets line up
/// and binary input cannot drive the terminal.
fn printable(c: char) -> char {
    if c == '\t' {
        ' '
    } else if c.is_control() {
        '\u{FFFD}'
    } else {
        c
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_and_column_are_one_based_characters() {
        let text = "ab\ncé d\n";
        let index = LineIndex::new(text);
        assert_eq!(index.line_col(0), (1, 1));
        assert_eq!(index.line_col(3), (2, 1));
        // 'd' is after a two-byte 'é': byte 7, character column 4.
        assert_eq!(index.line_col(7), (2, 4));
        assert_eq!(index.line_col(1000), (3, 1));
    }

    #[test]
    fn renders_location_snippet_caret_and_hint() {
        let text = "[scenario]\nid = 5\n";
        let diagnostic = Diagnostic::error(16..17, "invalid type").with_hint("write a string");
        let rendered = render("f.toml", text, &[diagnostic]);
        assert_eq!(
            rendered,
            "f.toml:2:6: error: invalid type\n  |\n2 | id = 5\n  |      ^\n  = hint: write a string\n\n"
        );
    }

    #[test]
    fn long_lines_are_cut_around_the_caret() {
        let text = format!("{}X{}", "a".repeat(500), "b".repeat(500));
        let rendered = render("f", &text, &[Diagnostic::error(500..501, "here")]);
        let lines: Vec<&str> = rendered.lines().collect();
        assert!(lines[0].starts_with("f:1:501: error: here"));
        assert!(lines[2].starts_with("1 | ...") && lines[2].ends_with("..."));
        let caret = lines[3].find('^').expect("caret");
        assert_eq!(lines[2].chars().nth(caret), Some('X'));
        assert!(lines[2].len() < 140);
    }

    #[test]
    fn spans_outside_the_text_or_inside_a_character_do_not_panic() {
        let text = "é";
        let rendered = render("f", text, &[Diagnostic::warning(1..99, "x")]);
        assert!(rendered.starts_with("f:1:1: warning: x"));
        let rendered = render(
            "f",
            "",
            &[Diagnostic::error(Range { start: 5, end: 2 }, "y")],
        );
        assert!(rendered.starts_with("f:1:1: error: y"));
    }
}
