//! The fast way through a large valid scenario: parse each `[[asset]]` and
//! `[[asset_group]]` element on its own, deserialize it and drop its tree, instead of
//! holding the parsed tree of the whole file while the assets are built.
//!
//! toml's parsed tree costs about 30 times the text it holds (a map node per table, a
//! token list for the whole file while parsing): for the generated million-asset
//! scenario (16 MB of text) the whole tree peaked at about 550 MB, far more than the
//! assets themselves. Element by element, only one small tree exists at a time.
//!
//! This path gives no positions: it is taken only when it finds nothing to report. Any
//! syntax error, shape error, warning or error of validation, or a file whose elements
//! cannot be cut apart safely, sends the load back to the whole-file path, which reports
//! exactly as before. So the fast path changes no diagnostic, and a test checks that it
//! builds the same scenario as the whole-file path.

use serde::de::DeserializeOwned;
use toml::de::{DeTable, DeValue, ValueDeserializer};
use toml_parser::Source;
use toml_parser::lexer::TokenKind;

use super::document;
use super::guard;
use super::load::Checked;
use super::raw::RawScenario;
use super::spans::Origins;
use super::validate::{self, Context};

/// Files smaller than this take the whole-file path: the saving would be small.
pub const MIN_BYTES: usize = 1 << 20;

/// The sections cut into elements.
const ASSET: &str = "asset";
const GROUP: &str = "asset_group";

/// A piece of the file, from the start of a line to the start of the next piece.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Piece {
    /// Anything but an asset or a group (headers, economies, campaigns...).
    Rest,
    /// One `[[asset]]` or `[[asset_group]]` element, with its sub-tables.
    Element(&'static str),
}

/// The file cut into pieces at table headers: each piece's kind and start offset.
fn cut(text: &str) -> Vec<(Piece, usize)> {
    let mut pieces = vec![(Piece::Rest, 0)];
    let mut tokens = Source::new(text).lex().peekable();
    let mut line_start = true;
    let mut line_begin = 0;
    // Brackets and braces open in a value: a `[` at the start of a line inside a
    // multi-line array is not a header.
    let mut depth: usize = 0;
    while let Some(token) = tokens.next() {
        let kind = token.kind();
        match kind {
            TokenKind::Whitespace | TokenKind::Comment => continue,
            TokenKind::Newline => {
                line_start = true;
                line_begin = token.span().end();
                continue;
            }
            TokenKind::Eof => break,
            TokenKind::LeftSquareBracket if line_start && depth == 0 => {}
            TokenKind::LeftSquareBracket | TokenKind::LeftCurlyBracket => {
                depth += 1;
                line_start = false;
                continue;
            }
            TokenKind::RightSquareBracket | TokenKind::RightCurlyBracket => {
                depth = depth.saturating_sub(1);
                line_start = false;
                continue;
            }
            _ => {
                line_start = false;
                continue;
            }
        }
        // A table header: `[name...]` or `[[name...]]`.
        let array = tokens
            .next_if(|t| t.kind() == TokenKind::LeftSquareBracket)
            .is_some();
        while tokens
            .next_if(|t| t.kind() == TokenKind::Whitespace)
            .is_some()
        {}
        let name = tokens
            .next_if(|t| t.kind() == TokenKind::Atom)
            .and_then(|t| text.get(t.span().start()..t.span().end()));
        while tokens
            .next_if(|t| t.kind() == TokenKind::Whitespace)
            .is_some()
        {}
        let whole_name = tokens
            .peek()
            .is_some_and(|t| t.kind() == TokenKind::RightSquareBracket);
        // The rest of the header line belongs to the header.
        while tokens
            .next_if(|t| !matches!(t.kind(), TokenKind::Newline | TokenKind::Eof))
            .is_some()
        {}
        let section = match name {
            Some(ASSET) => Some(ASSET),
            Some(GROUP) => Some(GROUP),
            _ => None,
        };
        let current = pieces.last().map(|&(piece, _)| piece);
        let piece = match section {
            Some(section) if array && whole_name => Piece::Element(section),
            // A sub-table of the element above (`[asset_group.posture]`).
            Some(section) if current == Some(Piece::Element(section)) => continue,
            // Anything else naming the sections goes to the rest, where the whole-file
            // path takes over (see `Rest::names_a_cut_section`).
            _ => Piece::Rest,
        };
        if piece != Piece::Rest || current != Some(Piece::Rest) {
            pieces.push((piece, line_begin));
        }
        line_start = true;
    }
    pieces
}

/// Loads a large scenario element by element; `None` when the whole-file path must do
/// it (something to report, or a file too small to be worth it).
pub fn parse(text: &str) -> Option<Checked> {
    if text.len() < MIN_BYTES || guard::scan_nesting(text).is_some() {
        return None;
    }
    let pieces = cut(text);
    let mut rest = String::new();
    let mut elements = Vec::new();
    for (k, &(piece, start)) in pieces.iter().enumerate() {
        let end = pieces.get(k + 1).map_or(text.len(), |&(_, next)| next);
        let slice = text.get(start..end)?;
        match piece {
            Piece::Rest => rest.push_str(slice),
            Piece::Element(section) => elements.push((section, start, slice)),
        }
    }
    let (root, errors) = DeTable::parse_recoverable(&rest);
    if !errors.is_empty() || guard::tree_depth(&root).is_some() {
        return None;
    }
    let root_table = root.get_ref();
    if root_table.contains_key(ASSET) || root_table.contains_key(GROUP) {
        return None;
    }
    let split = document::split(&root);
    drop(root);
    if !split.diagnostics.is_empty() {
        return None;
    }
    let mut raw: RawScenario = split.raw;
    let mut origins: Origins = split.origins;
    for (section, start, slice) in elements {
        if section == ASSET {
            raw.assets.push(element(slice, ASSET)?);
            origins.asset_starts.push(start);
        } else {
            raw.asset_groups.push(element(slice, GROUP)?);
            origins.group_starts.push(start);
        }
    }
    for (section, count) in [(ASSET, raw.assets.len()), (GROUP, raw.asset_groups.len())] {
        origins.positions.insert(section, (0..count).collect());
    }
    let ctx = Context {
        text: Some(text),
        spans: None,
        origins: &origins,
    };
    match validate::check(&raw, &ctx) {
        Ok(checked) if checked.warnings.is_empty() => Some(checked),
        _ => None,
    }
}

/// The one element of `[[section]]` a piece holds, deserialized.
fn element<T: DeserializeOwned>(piece: &str, section: &str) -> Option<T> {
    let (root, errors) = DeTable::parse_recoverable(piece);
    if !errors.is_empty() || guard::tree_depth(&root).is_some() || root.get_ref().len() != 1 {
        return None;
    }
    let mut table = root.into_inner();
    let value = table.remove(section)?.into_inner();
    let DeValue::Array(items) = value else {
        return None;
    };
    if items.len() != 1 || !matches!(items[0].get_ref(), DeValue::Table(_)) {
        return None;
    }
    let item = items.into_iter().next()?;
    T::deserialize(ValueDeserializer::from(item)).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::bundled;
    use crate::scenario::generate::{GenerateOptions, generate_toml};

    /// The fast path on a text, below its size threshold.
    fn fast(text: &str) -> Option<Checked> {
        let padded = format!("{text}\n{}", "#".repeat(MIN_BYTES));
        parse(&padded)
    }

    /// The whole-file path's result on the same text.
    fn whole(text: &str) -> Checked {
        let padded = format!("{text}\n{}", "#".repeat(MIN_BYTES));
        match super::super::load::parse_whole(&padded) {
            Ok(checked) => checked,
            Err(d) => panic!("the whole-file path refuses the text: {d:?}"),
        }
    }

    #[test]
    fn the_fast_path_builds_what_the_whole_file_path_builds() {
        let generated = generate_toml(GenerateOptions {
            economies: 6,
            assets: 3_000,
            seed: 11,
        });
        for text in [
            bundled::APEC_REGIONAL,
            bundled::ITU_CIRT_DRILL,
            bundled::TUTORIAL,
            generated.as_str(),
        ] {
            let Some(checked) = fast(text) else {
                panic!("the fast path gave up on a valid scenario without warnings");
            };
            assert_eq!(checked, whole(text));
        }
    }

    #[test]
    fn sub_tables_and_headers_inside_values_stay_with_their_element() {
        let text = generate_toml(GenerateOptions {
            economies: 2,
            assets: 40,
            seed: 3,
        });
        // An asset written with a sub-table, a multi-line array whose lines start with
        // brackets, and a string holding a header, between two groups.
        let extra = "
[[asset]]
id = \"hand-made\"
name = \"\"\"
[[asset]]
not a header\"\"\"
economy = \"e1\"
sector = \"energy\"
depends_on = [
  { on = \"e1-energy-1-1\", weight = 0.1 },
]
[asset.posture]
patching = 10
monitoring = 20
backups = 30
";
        let at = text.find("[[asset_group]]").unwrap_or(text.len());
        let text = format!("{}{extra}\n{}", &text[..at], &text[at..]);
        let Some(checked) = fast(&text) else {
            panic!("the fast path gave up");
        };
        assert_eq!(checked, whole(&text));
        let hand = checked
            .scenario
            .assets
            .iter()
            .find(|a| a.id() == "hand-made");
        assert!(
            hand.is_some_and(|a| a.posture.patching == 10 && a.name().contains("not a header")),
            "{hand:?}"
        );
    }

    #[test]
    fn anything_to_report_goes_back_to_the_whole_file_path() {
        let text = generate_toml(GenerateOptions {
            economies: 2,
            assets: 40,
            seed: 3,
        });
        assert!(fast(&text).is_some());
        for broken in [
            // A syntax error in an element, an unknown field, a dangling reference.
            text.replacen("count = ", "count = = ", 1),
            text.replacen("[[asset_group]]\n", "[[asset_group]]\ncolour = 1\n", 1),
            text.replacen("sector = \"energy\"", "sector = \"enrgy\"", 1),
            // Assets written another way than one `[[asset]]` table each.
            format!("asset = []\n{text}"),
            format!("{text}\n[asset_group.stray]\nx = 1\n"),
        ] {
            assert!(fast(&broken).is_none(), "not refused:\n{broken}");
        }
    }
}
