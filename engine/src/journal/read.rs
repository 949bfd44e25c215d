//! Reading journals: framing, checksums, the hash chain, a cut-off last record.

use std::fs::File;
use std::io::Read;
use std::path::Path;

use super::chain::{self, Link};
use super::{
    FORMAT_VERSION, Header, Journal, JournalError, Record, Truncation, UNCHAINED_FORMAT_VERSION,
};

/// Reads and checks a whole journal file.
pub fn read_journal(path: impl AsRef<Path>) -> Result<Journal, JournalError> {
    let path = path.as_ref();
    let mut bytes = Vec::new();
    File::open(path)
        .and_then(|mut f| f.read_to_end(&mut bytes))
        .map_err(|error| JournalError::Io {
            action: "read",
            path: path.to_path_buf(),
            error,
        })?;
    parse_journal(&bytes, path)
}

/// Parses journal bytes, checking every line's checksum and (from format 2 on) every
/// link of the hash chain; `path` only names the file in errors.
pub fn parse_journal(bytes: &[u8], path: &Path) -> Result<Journal, JournalError> {
    let corrupt = |line: usize, offset: usize, reason: String| JournalError::Corrupt {
        path: path.to_path_buf(),
        line,
        offset: offset as u64,
        reason,
    };
    let mut header: Option<Header> = None;
    let mut records = Vec::new();
    let mut recovered = None;
    // The chain's last link; `None` before the header and in format 1 journals.
    let mut link: Option<Link> = None;
    let mut offset = 0usize;
    let mut line_no = 0usize;
    while offset < bytes.len() {
        line_no += 1;
        let rest = &bytes[offset..];
        let Some(newline) = rest.iter().position(|&b| b == b'\n') else {
            // No line end: the write of this record never completed.
            if header.is_none() {
                return Err(JournalError::MissingHeader {
                    path: path.to_path_buf(),
                });
            }
            recovered = Some(Truncation {
                dropped_bytes: rest.len() as u64,
                after_records: records.len(),
                valid_len: offset as u64,
            });
            break;
        };
        let json = unframe(&rest[..newline]).map_err(|reason| corrupt(line_no, offset, reason))?;
        let chained = match &header {
            None => json.starts_with("{\"chain\""),
            Some(_) => link.is_some(),
        };
        let (recorded, body) = if chained {
            let (recorded, body) =
                chain::detach(json).map_err(|reason| corrupt(line_no, offset, reason))?;
            (Some(recorded), body)
        } else {
            (None, json.to_string())
        };
        let parsed_header = match &header {
            // The header's version is checked before its link: another format may
            // link its lines otherwise, and deserves "unsupported", not "tampered".
            None => {
                let parsed: Header = serde_json::from_str(&body)
                    .map_err(|e| corrupt(line_no, offset, format!("bad header: {e}")))?;
                check_header(&parsed, chained, path, line_no, offset)?;
                Some(parsed)
            }
            Some(_) => None,
        };
        if let Some(recorded) = recorded {
            let computed = link.unwrap_or(Link::START).next(&body);
            if recorded != computed {
                return Err(JournalError::ChainBroken {
                    path: path.to_path_buf(),
                    line: line_no,
                    offset: offset as u64,
                    recorded,
                    computed,
                });
            }
            link = Some(computed);
        }
        if let Some(parsed) = parsed_header {
            // After its link: a later hash version links its lines as this one does, so
            // an edited `hash_version` is tampering, and an intact one unsupported.
            check_hash_version(&parsed, path)?;
            header = Some(parsed);
        } else {
            let record: Record = serde_json::from_str(&body)
                .map_err(|e| corrupt(line_no, offset, format!("bad record: {e}")))?;
            if !chained && matches!(record, Record::Closed { .. }) {
                return Err(corrupt(
                    line_no,
                    offset,
                    "a closing record in a format 1 journal, which has none".to_string(),
                ));
            }
            records.push(record);
        }
        offset += newline + 1;
    }
    let header = header.ok_or_else(|| JournalError::MissingHeader {
        path: path.to_path_buf(),
    })?;
    Ok(Journal {
        header,
        records,
        recovered,
        chain: link,
    })
}

/// The header's state hash version must be one this build computes.
fn check_hash_version(header: &Header, path: &Path) -> Result<(), JournalError> {
    header
        .checked_hash_version()
        .map(|_| ())
        .map_err(|refusal| JournalError::UnsupportedHashVersion {
            path: path.to_path_buf(),
            refusal,
        })
}

/// Checks a line's framing and checksum and returns its JSON text.
fn unframe(line: &[u8]) -> Result<&str, String> {
    let text = std::str::from_utf8(line).map_err(|e| format!("not UTF-8 text ({e})"))?;
    let Some((crc_hex, json)) = text.split_once(' ') else {
        return Err("no space between checksum and record".to_string());
    };
    if crc_hex.len() != 8 || !crc_hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(format!("checksum field {crc_hex:?} is not 8 hex digits"));
    }
    let expected = u32::from_str_radix(crc_hex, 16)
        .map_err(|e| format!("checksum field {crc_hex:?} unreadable ({e})"))?;
    let actual = crc32fast::hash(json.as_bytes());
    if expected != actual {
        return Err(format!(
            "checksum mismatch (recorded {expected:08X}, content has {actual:08X})"
        ));
    }
    Ok(json)
}

/// The header's version must be one this build reads, and agree with the line's
/// framing (format 1 unchained, format 2 chained); its scenario text must match its hash.
fn check_header(
    header: &Header,
    chained: bool,
    path: &Path,
    line: usize,
    offset: usize,
) -> Result<(), JournalError> {
    let corrupt = |reason: String| JournalError::Corrupt {
        path: path.to_path_buf(),
        line,
        offset: offset as u64,
        reason,
    };
    match header.format_version {
        FORMAT_VERSION if !chained => {
            return Err(corrupt(
                "the header says format 2 but has no chain link".to_string(),
            ));
        }
        UNCHAINED_FORMAT_VERSION if chained => {
            return Err(corrupt(
                "the header says format 1 but carries a chain link".to_string(),
            ));
        }
        FORMAT_VERSION | UNCHAINED_FORMAT_VERSION => {}
        found => {
            return Err(JournalError::UnsupportedVersion {
                path: path.to_path_buf(),
                found,
                supported: FORMAT_VERSION,
                engine: header.engine_version.clone(),
            });
        }
    }
    let actual = blake3::hash(header.scenario_text.as_bytes()).to_hex();
    if actual.as_str() != header.scenario_blake3 {
        return Err(corrupt(format!(
            "the scenario text does not match its recorded blake3 hash \
             (recorded {}, text has {actual})",
            header.scenario_blake3
        )));
    }
    Ok(())
}
