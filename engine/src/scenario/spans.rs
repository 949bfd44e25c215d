//! Where things are in the file: from a path like `asset[3].depends_on[0].on` to the
//! byte span of that value in the parsed document.
//!
//! Semantic checks run on the raw serde types, which carry no positions; they name the
//! offending value by path, and this index turns the path into a span. A path that does
//! not exist in the file (a field left to its default) resolves to its nearest ancestor.

use std::collections::BTreeMap;
use std::ops::Range;

use toml::Spanned;
use toml::de::{DeTable, DeValue};

/// One step of a path inside an element: a field name or a position in an array.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Seg {
    Key(&'static str),
    Index(usize),
}

/// The parsed document, kept to answer span queries.
pub struct SpanIndex<'a> {
    root: &'a Spanned<DeTable<'a>>,
}

impl<'a> SpanIndex<'a> {
    /// Index over a parsed document.
    pub fn new(root: &'a Spanned<DeTable<'a>>) -> Self {
        Self { root }
    }

    /// Span of `section` (`[scenario]`, or element `element` of `[[section]]`), then `path`
    /// inside it; the nearest existing ancestor when the path runs out.
    pub fn span(&self, section: &str, element: Option<usize>, path: &[Seg]) -> Range<usize> {
        let Some((key, mut node)) = self.root.get_ref().get_key_value(section) else {
            return 0..0;
        };
        if let Some(element) = element {
            match node.get_ref() {
                DeValue::Array(items) => match items.get(element) {
                    Some(item) => node = item,
                    None => return key.span(),
                },
                _ => return key.span(),
            }
        }
        let mut best = element_span(node, key.span());
        for seg in path {
            let next = match (seg, node.get_ref()) {
                (Seg::Key(k), DeValue::Table(table)) => table.get_key_value(*k),
                (Seg::Index(i), DeValue::Array(items)) => items.get(*i).map(|v| (key, v)),
                _ => None,
            };
            match next {
                Some((_, value)) => {
                    node = value;
                    best = value.span();
                }
                None => break,
            }
        }
        best
    }

    /// Span of the key `name` inside element `element` of `section` (for "unknown field").
    pub fn key_span(
        &self,
        section: &str,
        element: Option<usize>,
        name: &str,
    ) -> Option<Range<usize>> {
        let node = self.root.get_ref().get(section)?;
        let node = match element {
            Some(i) => match node.get_ref() {
                DeValue::Array(items) => items.get(i)?,
                _ => return None,
            },
            None => node,
        };
        match node.get_ref() {
            DeValue::Table(table) => table.get_key_value(name).map(|(k, _)| k.span()),
            _ => None,
        }
    }
}

/// The span of a table element; an `[[asset]]` table's own span can be empty, in which
/// case the span of its first key is used, and failing that the section key's.
fn element_span(node: &Spanned<DeValue<'_>>, fallback: Range<usize>) -> Range<usize> {
    let span = node.span();
    if span.start < span.end {
        return span;
    }
    if let DeValue::Table(table) = node.get_ref() {
        let first = table.keys().map(|k| k.span()).min_by_key(|s| s.start);
        if let Some(first) = first {
            return first;
        }
    }
    fallback
}

/// Where each raw element came from in the file, for the semantic checks.
#[derive(Debug, Default, Clone)]
pub struct Origins {
    /// Per section: the file position (index in the `[[section]]` array) of each element
    /// that deserialized, in the order of the raw vectors.
    pub positions: BTreeMap<&'static str, Vec<usize>>,
    /// Per section: ids of elements that failed to deserialize (already reported), so that
    /// references to them are not reported again as dangling.
    pub broken_ids: BTreeMap<&'static str, Vec<String>>,
    /// Start offsets of `[[asset]]` and `[[asset_group]]` elements, to interleave them in
    /// file order; empty when the scenario did not come from text.
    pub asset_starts: Vec<usize>,
    pub group_starts: Vec<usize>,
    /// `[scenario]` was missing or malformed (already reported): the semantic checks run
    /// with an unbounded duration and skip the clock's own checks.
    pub meta_broken: bool,
}

impl Origins {
    /// File position of raw element `index` of `section` (identity when unknown).
    pub fn position(&self, section: &str, index: usize) -> usize {
        self.positions
            .get(section)
            .and_then(|p| p.get(index))
            .copied()
            .unwrap_or(index)
    }
}
