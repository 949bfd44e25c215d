//! Limits checked before and after parsing, so hostile input cannot exhaust the stack.
//!
//! The TOML parser bounds the nesting of arrays and inline tables, but not dotted keys
//! (`a.b.c. ... = 1` thousands deep builds a table that deep, and everything that walks
//! or drops it recurses). [`scan_nesting`] is a small lexer that refuses such text before
//! it reaches the parser; [`tree_depth`] measures the parsed tree without recursion so
//! that deserialization (which recurses through nested conditions) only sees shallow
//! documents.

use std::ops::Range;

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::diagnostic::{Code, Diagnostic};

/// Deepest nesting of arrays and inline tables accepted (the parser's own limit is 80).
pub const MAX_BRACKET_DEPTH: usize = 64;
/// Most segments in one dotted key (`a.b.c` has 3).
pub const MAX_KEY_SEGMENTS: usize = 32;
/// Deepest parsed tree accepted: enough for about 25 levels of nested `all`/`any`/`not`.
pub const MAX_TREE_DEPTH: usize = 64;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Open {
    Array,
    InlineTable,
}

/// Scans the raw text for nesting deeper than the limits, ignoring strings and comments.
pub fn scan_nesting(text: &str) -> Option<Diagnostic> {
    let bytes = text.as_bytes();
    let mut stack: Vec<Open> = Vec::new();
    let mut in_key = true;
    let mut key_segments = 1;
    let mut line_has_content = false;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        match b {
            b'\n' => {
                if stack.is_empty() {
                    in_key = true;
                    key_segments = 1;
                }
                line_has_content = false;
            }
            b'#' => {
                i = skip_comment(bytes, i);
                continue;
            }
            b'"' | b'\'' => {
                i = skip_string(bytes, i);
                line_has_content = true;
                continue;
            }
            b'=' => in_key = false,
            b'[' => {
                let header = stack.is_empty() && in_key && !line_has_content;
                if !header {
                    stack.push(Open::Array);
                    if stack.len() > MAX_BRACKET_DEPTH {
                        return Some(too_deep(i..i + 1));
                    }
                } else if bytes.get(i + 1) == Some(&b'[') {
                    i += 1;
                }
            }
            b']' if stack.last() == Some(&Open::Array) => {
                stack.pop();
            }
            b'{' => {
                stack.push(Open::InlineTable);
                if stack.len() > MAX_BRACKET_DEPTH {
                    return Some(too_deep(i..i + 1));
                }
                in_key = true;
                key_segments = 1;
            }
            b'}' if stack.last() == Some(&Open::InlineTable) => {
                stack.pop();
            }
            b',' if stack.last() == Some(&Open::InlineTable) => {
                in_key = true;
                key_segments = 1;
            }
            b'.' if in_key => {
                key_segments += 1;
                if key_segments > MAX_KEY_SEGMENTS {
                    return Some(
                        Diagnostic::error(
                            Code::TooDeep,
                            i..i + 1,
                            format!("dotted key has more than {MAX_KEY_SEGMENTS} parts"),
                        )
                        .with_hint("no scenario field is nested this deeply; shorten the key"),
                    );
                }
            }
            _ => {}
        }
        if !b.is_ascii_whitespace() {
            line_has_content = true;
        }
        i += 1;
    }
    None
}

fn too_deep(span: Range<usize>) -> Diagnostic {
    Diagnostic::error(
        Code::TooDeep,
        span,
        format!("arrays and inline tables nested more than {MAX_BRACKET_DEPTH} deep"),
    )
    .with_hint("no scenario field is nested this deeply; flatten the value")
}

/// Index just past the comment starting at `start` (stops at the newline).
fn skip_comment(bytes: &[u8], start: usize) -> usize {
    bytes[start..]
        .iter()
        .position(|b| *b == b'\n')
        .map_or(bytes.len(), |n| start + n)
}

/// Index just past the string starting at `start` (basic, literal, or multi-line).
fn skip_string(bytes: &[u8], start: usize) -> usize {
    let quote = bytes[start];
    let triple = bytes.get(start + 1) == Some(&quote) && bytes.get(start + 2) == Some(&quote);
    let mut i = start + if triple { 3 } else { 1 };
    while i < bytes.len() {
        let b = bytes[i];
        if quote == b'"' && b == b'\\' {
            i += 2;
            continue;
        }
        if !triple && b == b'\n' {
            return i;
        }
        if b == quote {
            if !triple {
                return i + 1;
            }
            if bytes.get(i + 1) == Some(&quote) && bytes.get(i + 2) == Some(&quote) {
                return i + 3;
            }
        }
        i += 1;
    }
    bytes.len()
}

/// The span of the first value found deeper than `limit` below the document root (a
/// top-level value is at depth 1), measured with an explicit stack.
pub fn deepest_beyond(root: &Spanned<DeTable<'_>>, limit: usize) -> Option<Range<usize>> {
    let mut stack: Vec<(&Spanned<DeValue<'_>>, usize)> =
        root.get_ref().values().map(|v| (v, 1)).collect();
    while let Some((node, depth)) = stack.pop() {
        if depth > limit {
            return Some(node.span());
        }
        match node.get_ref() {
            DeValue::Array(items) => stack.extend(items.iter().map(|v| (v, depth + 1))),
            DeValue::Table(table) => stack.extend(table.values().map(|v| (v, depth + 1))),
            _ => {}
        }
    }
    None
}

/// A diagnostic if the parsed document is nested beyond [`MAX_TREE_DEPTH`].
pub fn tree_depth(root: &Spanned<DeTable<'_>>) -> Option<Diagnostic> {
    deepest_beyond(root, MAX_TREE_DEPTH).map(|span| {
        Diagnostic::error(
            Code::TooDeep,
            span,
            format!("values nested more than {MAX_TREE_DEPTH} levels deep"),
        )
        .with_hint("split deeply nested `all`/`any`/`not` conditions into separate injects")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinary_scenario_text_passes() {
        let text = "[scenario]\nid = \"a.b.c\" # x.y.z\n[[asset]]\ndepends_on = [{ on = \"x\", weight = 0.5 }]\nnums = [[1.5, 2.5], [3.5]]\n";
        assert!(scan_nesting(text).is_none());
    }

    #[test]
    fn deep_brackets_are_refused() {
        let text = format!("x = {}1{}", "[".repeat(5000), "]".repeat(5000));
        let diagnostic = scan_nesting(&text).expect("refused");
        assert_eq!(
            diagnostic.span,
            4 + MAX_BRACKET_DEPTH..5 + MAX_BRACKET_DEPTH
        );
        assert!(scan_nesting(&"[".repeat(10_000)).is_some());
    }

    #[test]
    fn long_dotted_keys_are_refused_but_dots_in_strings_and_floats_are_not() {
        let key = vec!["a"; 5000].join(".");
        assert!(scan_nesting(&format!("{key} = 1")).is_some());
        assert!(scan_nesting(&format!("[{key}]")).is_some());
        assert!(scan_nesting(&format!("x = {{ {key} = 1 }}")).is_some());
        let floats = vec!["1.5"; 5000].join(", ");
        assert!(scan_nesting(&format!("x = [{floats}]")).is_none());
        assert!(scan_nesting(&format!("x = \"{key}\"")).is_none());
    }
}
