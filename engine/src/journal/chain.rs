//! The journal's hash chain: what makes an edited journal evident.
//!
//! A CRC tells a torn or damaged line from a whole one, but anyone can recompute it
//! after editing a record. So from format 2 on, each line's JSON object begins with a
//! `chain` field: the blake3 digest of the previous line's chain value and of this
//! line's JSON without the field ([`Link::next`]). Every line thus commits to everything
//! before it, the header included; an edit that does not recompute every later link is
//! found at the record it touched, and one that does changes the last line's digest,
//! which `replay --verify` prints for the exercise's minutes (Schneier and Kelsey,
//! "Secure audit logs to support computer forensics", ACM TISSEC 2(2), 1999: a hash
//! chain over the log entries, its latest value kept where the log's writer cannot
//! reach it).

use std::fmt;

/// Domain separation for the chain's blake3 (`Hasher::new_derive_key`), so that no
/// other digest in cyberdrill (state hashes, scenario hashes) can pose as a link.
const CONTEXT: &str = "cyberdrill 2026 journal chain link v2";

/// The field every chained line's JSON object starts with, up to its hex value.
const PREFIX: &str = "{\"chain\":\"";

/// Hex digits of a link.
const HEX_LEN: usize = 64;

/// One link of the chain: the digest of every line up to and including its own.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Link([u8; 32]);

impl Link {
    /// What the header's link is computed from: nothing came before it.
    pub const START: Link = Link([0; 32]);

    /// The link of a line whose JSON (without its `chain` field) is `body`, after `self`.
    pub fn next(&self, body: &str) -> Link {
        let mut hasher = blake3::Hasher::new_derive_key(CONTEXT);
        hasher.update(&self.0);
        hasher.update(body.as_bytes());
        Link(*hasher.finalize().as_bytes())
    }

    /// Lower-case hex, as written in journals and printed for the minutes.
    pub fn to_hex(&self) -> String {
        blake3::Hash::from_bytes(self.0).to_hex().to_string()
    }

    /// Parses exactly 64 lower-case hex digits: any other spelling of the same value is
    /// an edit too.
    fn from_hex(hex: &str) -> Option<Link> {
        if hex.len() != HEX_LEN || !hex.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')) {
            return None;
        }
        blake3::Hash::from_hex(hex)
            .ok()
            .map(|hash| Link(*hash.as_bytes()))
    }
}

impl fmt::Display for Link {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_hex())
    }
}

impl fmt::Debug for Link {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Link({self})")
    }
}

/// `body` (a JSON object) with its link after `prev` as its first field; and that link.
pub fn attach(prev: &Link, body: &str) -> (String, Link) {
    let link = prev.next(body);
    // `body` is a serialized struct or tagged enum: never the empty object.
    let rest = body.strip_prefix('{').unwrap_or(body);
    (format!("{PREFIX}{link}\",{rest}"), link)
}

/// Splits a chained line's JSON into its recorded link and its body (the JSON without
/// the `chain` field, as it was hashed); why not, if the field is missing or malformed.
pub fn detach(json: &str) -> Result<(Link, String), String> {
    let Some(after) = json.strip_prefix(PREFIX) else {
        return Err("the record has no chain link (a format 2 journal links every line)".into());
    };
    let (hex, rest) = after.split_at_checked(HEX_LEN).unwrap_or((after, ""));
    let Some(link) = Link::from_hex(hex) else {
        return Err(format!(
            "the record's chain link {hex:?} is not {HEX_LEN} lower-case hex digits"
        ));
    };
    let Some(rest) = rest.strip_prefix("\",") else {
        return Err("the record's chain link is not followed by the record".into());
    };
    Ok((link, format!("{{{rest}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attach_then_detach_gives_back_the_body_and_link() {
        let body = r#"{"kind":"step","tick":1}"#;
        let (line, link) = attach(&Link::START, body);
        assert!(line.starts_with(PREFIX), "{line}");
        assert_eq!(detach(&line), Ok((link, body.to_string())));
        assert_eq!(link, Link::START.next(body));
        assert_ne!(link.next(body), link, "each link depends on the one before");
    }

    #[test]
    fn only_the_canonical_spelling_of_a_link_is_accepted() {
        let body = r#"{"kind":"step","tick":1}"#;
        let (line, _) = attach(&Link::START, body);
        let upper = line.replacen(&line[10..74], &line[10..74].to_uppercase(), 1);
        if upper != line {
            assert!(detach(&upper).is_err());
        }
        assert!(detach(body).is_err(), "no link");
        assert!(detach(&line[..40]).is_err(), "cut link");
        assert!(detach(&line.replacen("\",", "\" ", 1)).is_err());
    }
}
