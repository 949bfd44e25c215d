//! Diagnostics as data: what is wrong, where, what else is involved, what to do.
//!
//! A diagnostic is a [`Code`] (stable, for tools and the authoring guide), a severity, a
//! byte span of the scenario text, a message, secondary [`Label`]s pointing at related
//! places ("first defined here") and an optional hint. Validation collects all of them;
//! [`super::render`] turns them into text or JSON.

use std::ops::Range;

use serde::Serialize;

/// How bad a problem is: an error stops the scenario from loading, a warning does not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
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

macro_rules! codes {
    ($($(#[$doc:meta])* $variant:ident = $name:literal: $summary:literal,)*) => {
        /// What kind of problem a diagnostic reports: a stable name that editors, CI and
        /// the authoring guide refer to, printed as `error[duplicate-id]`.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Code {
            $($(#[$doc])* $variant,)*
        }

        impl Code {
            /// Every code, in the order of the authoring guide's table.
            pub const ALL: &'static [Code] = &[$(Code::$variant,)*];

            /// The printed name, e.g. `duplicate-id`.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Code::$variant => $name,)*
                }
            }

            /// One sentence on what the code means, for the authoring guide.
            pub fn summary(self) -> &'static str {
                match self {
                    $(Code::$variant => $summary,)*
                }
            }
        }
    };
}

codes! {
    NotUtf8 = "not-utf8": "the file is not UTF-8 text",
    TomlSyntax = "toml-syntax": "the text is not valid TOML",
    TooDeep = "too-deep": "values, arrays or dotted keys nested beyond the limits",
    MissingSection = "missing-section": "a required section such as `[scenario]` is absent",
    UnknownSection = "unknown-section": "a top-level section the format does not have",
    UnknownField = "unknown-field": "a field the table does not have (often a typo)",
    UnknownValue = "unknown-value": "a value outside the allowed names of a field",
    MissingField = "missing-field": "a required field is absent",
    WrongType = "wrong-type": "a value of the wrong type (text for a number, a table for a list)",
    OutOfRange = "out-of-range": "a number outside the range of its field",
    OverLimit = "over-limit": "more than the engine's documented maximum (assets, dependencies, per-tick work)",
    EmptyValue = "empty-value": "an id, a list or a text that must not be empty",
    InvalidValue = "invalid-value": "a value the field cannot take (a malformed technique id)",
    DuplicateId = "duplicate-id": "two elements of one kind share an id",
    UnknownReference = "unknown-reference": "an id that names nothing declared in the file",
    WrongKind = "wrong-kind": "an id that names the wrong kind of thing (a group where one asset is needed)",
    TickAfterEnd = "tick-after-end": "a tick after the last tick of the exercise",
    ConflictingFields = "conflicting-fields": "fields that cannot be given together",
    SelfDependency = "self-dependency": "an asset or group that depends on itself",
    WeightsOverOne = "weights-over-one": "an asset's dependency weights add up to more than 1",
    SharesOverOne = "shares-over-one": "shares of an economy's output (sectors, or the assets of one sector) add up to more than 1",
    SharesBelow = "shares-below": "the assets of a sector carry far less than its output in an economy, or one asset carries none",
    NoTargets = "no-targets": "a campaign whose targets match no asset",
    NeverHolds = "never-holds": "a condition that can never hold, so its inject never fires",
    InjectCycle = "inject-cycle": "injects that wait for each other through `after`",
    FiresTooLate = "fires-too-late": "an inject that fires after the end of the exercise at the earliest",
    NeverFires = "never-fires": "a condition waiting on an inject that never fires by itself",
    NeverStarts = "never-starts": "a campaign with no `start` that no inject starts",
    NoEffect = "no-effect": "a field that has no effect where it is written",
    Repeated = "repeated": "an entry listed twice, or next to one that already includes it",
    TooFewParties = "too-few-parties": "an agreement that does not bind two different economies",
    OutOfReach = "out-of-reach": "an objective its team has no action to move",
    TooFewOptions = "too-few-options": "a decision point with fewer than two options",
    NotRunYet = "not-run-yet": "a part of the format this version of the engine checks but does not run yet",
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

/// A secondary place a diagnostic points at, with what it is ("first defined here").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Label {
    pub span: Range<usize>,
    pub message: String,
}

/// One problem in a scenario file, pointing at the bytes that cause it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub code: Code,
    pub severity: Severity,
    /// Byte range in the scenario text (may be empty: a position).
    pub span: Range<usize>,
    pub message: String,
    /// Related places, each with its own caret.
    pub labels: Vec<Label>,
    /// What to do about it.
    pub hint: Option<String>,
}

impl Diagnostic {
    /// An error at `span`.
    pub fn error(code: Code, span: Range<usize>, message: impl Into<String>) -> Self {
        Self::new(Severity::Error, code, span, message)
    }

    /// A warning at `span`.
    pub fn warning(code: Code, span: Range<usize>, message: impl Into<String>) -> Self {
        Self::new(Severity::Warning, code, span, message)
    }

    fn new(severity: Severity, code: Code, span: Range<usize>, message: impl Into<String>) -> Self {
        Self {
            code,
            severity,
            span,
            message: message.into(),
            labels: Vec::new(),
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

    /// The same diagnostic pointing also at `span`, labelled `message`.
    pub fn with_label(mut self, span: Range<usize>, message: impl Into<String>) -> Self {
        self.labels.push(Label {
            span,
            message: message.into(),
        });
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

    /// `span` moved inside the text, onto character boundaries, start <= end.
    pub fn clamp_span(&self, span: &Range<usize>) -> Range<usize> {
        let start = self.clamp(span.start);
        start..self.clamp(span.end).max(start)
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
    fn spans_are_clamped_onto_character_boundaries() {
        let index = LineIndex::new("é");
        assert_eq!(index.clamp_span(&(1..99)), 0..2);
        let backwards = std::ops::Range { start: 5, end: 2 };
        assert_eq!(index.clamp_span(&backwards), 2..2);
    }

    #[test]
    fn code_names_are_unique_kebab_case() {
        let mut names: Vec<&str> = Code::ALL.iter().map(|c| c.as_str()).collect();
        assert!(names.iter().all(|n| {
            n.chars()
                .all(|c| c.is_ascii_lowercase() || c == '-' || c.is_ascii_digit())
        }));
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), Code::ALL.len());
    }
}
