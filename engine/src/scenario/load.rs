//! Loading a scenario: bytes to text, text to the checked model, with every problem
//! reported as a [`Diagnostic`].

use std::io::Read as _;
use std::path::{Path, PathBuf};

use toml::de::DeTable;

use super::diagnostic::{Code, Diagnostic};
use super::model::Scenario;
use super::render::render;
use super::spans::SpanIndex;
use super::validate::{self, Context};
use super::{chunked, document, guard};

/// Largest scenario file read (bytes): a guard against reading a device or a mistake.
pub const MAX_FILE_BYTES: u64 = 1 << 30;

/// A scenario that passed validation, with the warnings found on the way.
#[derive(Debug, Clone, PartialEq)]
pub struct Checked {
    pub scenario: Scenario,
    pub warnings: Vec<Diagnostic>,
}

/// A scenario loaded from a file: its display name, its exact text (journals record it,
/// so that a replay loads the same bytes), and the checked model.
#[derive(Debug, Clone)]
pub struct LoadedScenario {
    pub name: String,
    pub source: String,
    pub scenario: Scenario,
}

/// Why a scenario file could not be loaded. `Display` is the text for humans.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("cannot read scenario file `{}`: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// The rendered diagnostics (errors and warnings), ready to print.
    #[error("{rendered}")]
    Invalid { rendered: String },
}

/// Parses and validates scenario text. Never panics, whatever the text; `Ok` only if
/// there is no error (warnings come back in [`Checked::warnings`]). Diagnostics are in
/// order of position in the text.
pub fn parse(text: &str) -> Result<Checked, Vec<Diagnostic>> {
    parse_unclamped(text).map_err(|mut diagnostics| {
        clamp_spans(text, &mut diagnostics);
        diagnostics
    })
}

/// Moves every span inside the text and onto character boundaries, whatever produced it.
fn clamp_spans(text: &str, diagnostics: &mut [Diagnostic]) {
    let index = super::diagnostic::LineIndex::new(text);
    for d in diagnostics {
        d.span = index.clamp_span(&d.span);
        for label in &mut d.labels {
            label.span = index.clamp_span(&label.span);
        }
    }
}

fn parse_unclamped(text: &str) -> Result<Checked, Vec<Diagnostic>> {
    if let Some(checked) = chunked::parse(text) {
        return Ok(checked);
    }
    parse_whole(text)
}

/// Parses and validates the whole file as one TOML tree, which every diagnostic's span
/// comes from (the path of every small file, and of any file with something to report).
pub(super) fn parse_whole(text: &str) -> Result<Checked, Vec<Diagnostic>> {
    if let Some(diagnostic) = guard::scan_nesting(text) {
        return Err(vec![diagnostic]);
    }
    let (root, errors) = DeTable::parse_recoverable(text);
    if !errors.is_empty() {
        let mut diagnostics: Vec<Diagnostic> = errors.iter().map(syntax_error).collect();
        sort(&mut diagnostics);
        diagnostics.dedup();
        return Err(diagnostics);
    }
    if let Some(diagnostic) = guard::tree_depth(&root) {
        return Err(vec![diagnostic]);
    }
    let split = document::split(&root);
    let mut diagnostics = split.diagnostics;
    let raw = split.raw;
    let spans = SpanIndex::new(&root);
    let ctx = Context {
        text: Some(text),
        spans: Some(&spans),
        origins: &split.origins,
    };
    match validate::check(&raw, &ctx) {
        Ok(checked) if diagnostics.is_empty() => Ok(checked),
        Ok(checked) => {
            diagnostics.extend(checked.warnings);
            sort(&mut diagnostics);
            Err(diagnostics)
        }
        Err(more) => {
            diagnostics.extend(more);
            sort(&mut diagnostics);
            Err(diagnostics)
        }
    }
}

/// Orders diagnostics by position, errors before warnings at the same place.
fn sort(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by(|a, b| {
        (a.span.start, a.span.end, a.severity).cmp(&(b.span.start, b.span.end, b.severity))
    });
}

fn syntax_error(error: &toml::de::Error) -> Diagnostic {
    let span = error.span().unwrap_or(0..0);
    let message = error.message().trim_end();
    Diagnostic::error(Code::TomlSyntax, span, format!("invalid TOML: {message}"))
        .with_hint("see https://toml.io for the syntax; strings need quotes, tables `[name]`, lists of tables `[[name]]`")
}

/// Bytes to text. On invalid UTF-8, returns the text with replacement characters and a
/// diagnostic at the first bad byte (its span is in the returned text).
pub fn decode(bytes: Vec<u8>) -> Result<String, (String, Diagnostic)> {
    match String::from_utf8(bytes) {
        Ok(text) => Ok(text),
        Err(err) => {
            let valid = err.utf8_error().valid_up_to();
            let bad = err.as_bytes().get(valid).copied().unwrap_or(0);
            let lossy = String::from_utf8_lossy(err.as_bytes()).into_owned();
            let end = lossy[valid..]
                .chars()
                .next()
                .map_or(valid, |c| valid + c.len_utf8());
            let diagnostic = Diagnostic::error(
                Code::NotUtf8,
                valid..end,
                format!("the file is not valid UTF-8: byte 0x{bad:02X} at offset {valid}"),
            )
            .with_hint(
                "TOML files must be UTF-8; re-save the file as UTF-8 (is it a binary file?)",
            );
            Err((lossy, diagnostic))
        }
    }
}

/// Reads a file, refusing more than [`MAX_FILE_BYTES`].
pub fn read_bytes(path: &Path) -> Result<Vec<u8>, LoadError> {
    let io = |source| LoadError::Io {
        path: path.to_owned(),
        source,
    };
    let file = std::fs::File::open(path).map_err(io)?;
    let mut bytes = Vec::new();
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(io)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(io(std::io::Error::other(format!(
            "larger than {MAX_FILE_BYTES} bytes; is this really a scenario file?"
        ))));
    }
    Ok(bytes)
}

/// Reads a scenario file's text ([`read_bytes`], [`decode`]), not yet parsed: what
/// [`load_file`] and the commands that edit a scenario in place start from, so that a
/// file that cannot be read or is not UTF-8 is refused in the same words by all.
pub fn read_text(path: &Path) -> Result<String, LoadError> {
    let bytes = read_bytes(path)?;
    decode(bytes).map_err(|(lossy, diagnostic)| LoadError::Invalid {
        rendered: render(&path.display().to_string(), &lossy, &[diagnostic]),
    })
}

/// Reads, parses and validates a scenario file.
pub fn load_file(path: &Path) -> Result<LoadedScenario, LoadError> {
    let name = path.display().to_string();
    let text = read_text(path)?;
    match parse(&text) {
        Ok(checked) => Ok(LoadedScenario {
            name,
            source: text,
            scenario: checked.scenario,
        }),
        Err(diagnostics) => Err(LoadError::Invalid {
            rendered: render(&name, &text, &diagnostics),
        }),
    }
}
