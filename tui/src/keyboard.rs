//! The bytes a terminal sends for keys, turned into [`InputEvent`]s: printable text (UTF-8),
//! Enter, Tab, Backspace, Esc, control keys, the cursor and editing keys in their
//! xterm forms (`ESC [ A`, `ESC O A`, `ESC [ 1 ; 5 A`, `ESC [ 3 ~`), Alt+key, and
//! bracketed pastes (`ESC [ 200 ~` … `ESC [ 201 ~`, delivered whole).
//!
//! Any byte stream will do: the local terminal read on a thread (see
//! [`crate::terminal`]), or a remote terminal's channel. Work is linear in the bytes
//! fed, a paste is kept up to [`MAX_PASTE_BYTES`] (the rest is dropped, not buffered),
//! and an unknown or broken sequence is skipped rather than wedging the input.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::interface::InputEvent;

/// The most of one paste kept: far beyond any form's limit, small enough that a runaway
/// paste (or one whose end marker never comes) cannot exhaust memory.
pub const MAX_PASTE_BYTES: usize = 64 * 1024;

/// The longest escape sequence waited for; anything longer is not a key and is skipped.
const MAX_SEQUENCE: usize = 32;

const PASTE_START: &[u8] = b"\x1b[200~";
const PASTE_END: &[u8] = b"\x1b[201~";

/// Turns a terminal's input bytes into events, keeping what a read cut in the middle of
/// a sequence or a character until the next read completes it.
#[derive(Debug, Default)]
pub struct KeyDecoder {
    /// Bytes of an incomplete sequence or character, from the end of the last read.
    pending: Vec<u8>,
    /// Inside a bracketed paste: the text so far.
    paste: Option<Vec<u8>>,
}

/// What the bytes at the front of the buffer are.
enum Parsed {
    /// A key, taking this many bytes.
    Key(KeyEvent, usize),
    /// The start of a bracketed paste, taking this many bytes.
    PasteStart(usize),
    /// Nothing to deliver (an unknown sequence, an invalid byte): skip this many bytes.
    Skip(usize),
    /// The bytes may become a key once more arrive.
    Incomplete,
}

impl KeyDecoder {
    /// Decodes `bytes`, appending the events to `out`. `more` says that the read was cut
    /// short (it filled its buffer), so that a lone Esc at the end may be the start of a
    /// sequence; otherwise a lone Esc is the Esc key.
    pub fn feed(&mut self, bytes: &[u8], more: bool, out: &mut Vec<InputEvent>) {
        let mut buffer = std::mem::take(&mut self.pending);
        buffer.extend_from_slice(bytes);
        let mut at = 0;
        while at < buffer.len() {
            if self.paste.is_some() {
                at = self.take_paste(&buffer, at, out);
                continue;
            }
            match parse(&buffer[at..], more) {
                Parsed::Key(key, len) => {
                    out.push(InputEvent::Key(key));
                    at += len;
                }
                Parsed::PasteStart(len) => {
                    self.paste = Some(Vec::new());
                    at += len;
                }
                Parsed::Skip(len) => at += len.max(1),
                Parsed::Incomplete => {
                    self.pending = buffer[at..].to_vec();
                    return;
                }
            }
        }
    }

    /// Inside a paste: keeps the text up to the end marker (or the end of the buffer,
    /// holding back a possible start of the marker), and delivers the paste when the
    /// marker comes. Returns where decoding goes on.
    fn take_paste(&mut self, buffer: &[u8], at: usize, out: &mut Vec<InputEvent>) -> usize {
        let rest = &buffer[at..];
        let (text, next, ended) = match find(rest, PASTE_END) {
            Some(end) => (&rest[..end], at + end + PASTE_END.len(), true),
            None => {
                // A marker cut by the read: keep its first bytes for the next read.
                let held = (1..PASTE_END.len())
                    .rev()
                    .find(|&n| rest.len() >= n && rest.ends_with(&PASTE_END[..n]))
                    .unwrap_or(0);
                self.pending = rest[rest.len() - held..].to_vec();
                (&rest[..rest.len() - held], buffer.len(), false)
            }
        };
        if let Some(paste) = self.paste.as_mut() {
            let room = MAX_PASTE_BYTES.saturating_sub(paste.len());
            paste.extend_from_slice(&text[..text.len().min(room)]);
        }
        if ended && let Some(paste) = self.paste.take() {
            out.push(InputEvent::Paste(
                String::from_utf8_lossy(&paste).into_owned(),
            ));
        }
        next
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn key(code: KeyCode, modifiers: KeyModifiers, len: usize) -> Parsed {
    Parsed::Key(KeyEvent::new(code, modifiers), len)
}

fn plain(code: KeyCode, len: usize) -> Parsed {
    key(code, KeyModifiers::NONE, len)
}

/// The key (or other meaning) of the bytes at the front of `b` (not empty).
fn parse(b: &[u8], more: bool) -> Parsed {
    match b[0] {
        0x1b => parse_escape(b, more),
        b'\r' => plain(KeyCode::Enter, 1),
        b'\t' => plain(KeyCode::Tab, 1),
        0x7f | 0x08 => plain(KeyCode::Backspace, 1),
        // In raw mode a line feed is Ctrl-J, not Enter: a pasted line break must not
        // send a half-written form.
        c @ 0x01..=0x1a => key(
            KeyCode::Char(char::from(c - 1 + b'a')),
            KeyModifiers::CONTROL,
            1,
        ),
        c @ 0x1c..=0x1f => key(
            KeyCode::Char(char::from(c - 0x1c + b'4')),
            KeyModifiers::CONTROL,
            1,
        ),
        0x00 => key(KeyCode::Char(' '), KeyModifiers::CONTROL, 1),
        _ => match utf8_char(b) {
            Utf8::Char(ch, len) => {
                let modifiers = if ch.is_uppercase() {
                    KeyModifiers::SHIFT
                } else {
                    KeyModifiers::NONE
                };
                key(KeyCode::Char(ch), modifiers, len)
            }
            Utf8::Incomplete => Parsed::Incomplete,
            Utf8::Invalid => Parsed::Skip(1),
        },
    }
}

enum Utf8 {
    Char(char, usize),
    Incomplete,
    Invalid,
}

fn utf8_char(b: &[u8]) -> Utf8 {
    let len = match b[0] {
        0x00..=0x7f => 1,
        0xc2..=0xdf => 2,
        0xe0..=0xef => 3,
        0xf0..=0xf4 => 4,
        _ => return Utf8::Invalid,
    };
    if b.len() < len {
        // Only continuation bytes may follow the lead byte.
        if b[1..].iter().all(|c| c & 0xc0 == 0x80) {
            return Utf8::Incomplete;
        }
        return Utf8::Invalid;
    }
    match std::str::from_utf8(&b[..len])
        .ok()
        .and_then(|s| s.chars().next())
    {
        Some(ch) => Utf8::Char(ch, len),
        None => Utf8::Invalid,
    }
}

fn parse_escape(b: &[u8], more: bool) -> Parsed {
    let Some(&second) = b.get(1) else {
        return if more {
            Parsed::Incomplete
        } else {
            plain(KeyCode::Esc, 1)
        };
    };
    match second {
        b'[' => parse_csi(b),
        b'O' => match b.get(2) {
            None => Parsed::Incomplete,
            Some(&c) => match cursor_key(c) {
                Some(code) => plain(code, 3),
                None => Parsed::Skip(3),
            },
        },
        0x1b => plain(KeyCode::Esc, 1),
        _ => match parse(&b[1..], more) {
            Parsed::Key(mut key, len) => {
                key.modifiers |= KeyModifiers::ALT;
                Parsed::Key(key, len + 1)
            }
            Parsed::Incomplete => Parsed::Incomplete,
            Parsed::PasteStart(_) | Parsed::Skip(_) => Parsed::Skip(1),
        },
    }
}

/// The key of an SS3 or CSI final byte, for the cursor keys.
fn cursor_key(c: u8) -> Option<KeyCode> {
    Some(match c {
        b'A' => KeyCode::Up,
        b'B' => KeyCode::Down,
        b'C' => KeyCode::Right,
        b'D' => KeyCode::Left,
        b'H' => KeyCode::Home,
        b'F' => KeyCode::End,
        _ => return None,
    })
}

/// `ESC [ params final`: the cursor keys (with modifiers: `ESC [ 1 ; 5 A`), Shift-Tab
/// (`ESC [ Z`), the `~` keys (Home, Insert, Delete, End, Page Up, Page Down), and the
/// start of a bracketed paste. Others (function keys, reports) are skipped.
fn parse_csi(b: &[u8]) -> Parsed {
    // Parameter bytes 0x30-0x3F, intermediate bytes 0x20-0x2F, then a final byte.
    let Some(end) = b[2..].iter().position(|c| !(0x20..=0x3f).contains(c)) else {
        return if b.len() > MAX_SEQUENCE {
            Parsed::Skip(b.len())
        } else {
            Parsed::Incomplete
        };
    };
    let final_at = 2 + end;
    let len = final_at + 1;
    let final_byte = b[final_at];
    if !(0x40..=0x7e).contains(&final_byte) {
        // Not a sequence after all: drop the ESC [ and read on.
        return Parsed::Skip(2);
    }
    let params = &b[2..final_at];
    if &b[..len] == PASTE_START {
        return Parsed::PasteStart(len);
    }
    let mut numbers = params.split(|&c| c == b';').map(|p| {
        std::str::from_utf8(p)
            .ok()
            .and_then(|s| s.parse::<u16>().ok())
    });
    let first = numbers.next().flatten();
    let modifiers = numbers
        .next()
        .flatten()
        .map_or(KeyModifiers::NONE, modifier);
    if final_byte == b'Z' {
        return key(KeyCode::BackTab, KeyModifiers::SHIFT, len);
    }
    if let Some(code) = cursor_key(final_byte) {
        return key(code, modifiers, len);
    }
    if final_byte == b'~' {
        let code = match first {
            Some(1 | 7) => KeyCode::Home,
            Some(2) => KeyCode::Insert,
            Some(3) => KeyCode::Delete,
            Some(4 | 8) => KeyCode::End,
            Some(5) => KeyCode::PageUp,
            Some(6) => KeyCode::PageDown,
            _ => return Parsed::Skip(len),
        };
        return key(code, modifiers, len);
    }
    Parsed::Skip(len)
}

/// xterm's modifier parameter: 1 + (Shift 1, Alt 2, Ctrl 4).
fn modifier(value: u16) -> KeyModifiers {
    let bits = value.saturating_sub(1);
    let mut modifiers = KeyModifiers::NONE;
    if bits & 1 != 0 {
        modifiers |= KeyModifiers::SHIFT;
    }
    if bits & 2 != 0 {
        modifiers |= KeyModifiers::ALT;
    }
    if bits & 4 != 0 {
        modifiers |= KeyModifiers::CONTROL;
    }
    modifiers
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Decodes reads in turn; every read but the last was cut short (more follows).
    fn decode(chunks: &[&[u8]]) -> Vec<InputEvent> {
        let mut decoder = KeyDecoder::default();
        let mut out = Vec::new();
        for (i, chunk) in chunks.iter().enumerate() {
            decoder.feed(chunk, i + 1 < chunks.len(), &mut out);
        }
        out
    }

    fn keys(codes: &[KeyCode]) -> Vec<InputEvent> {
        codes
            .iter()
            .map(|&c| InputEvent::Key(KeyEvent::new(c, KeyModifiers::NONE)))
            .collect()
    }

    fn with(code: KeyCode, modifiers: KeyModifiers) -> InputEvent {
        InputEvent::Key(KeyEvent::new(code, modifiers))
    }

    #[test]
    fn text_enter_tab_backspace_and_escape() {
        assert_eq!(
            decode(&[b"ab\r\t\x7f\x1b"]),
            keys(&[
                KeyCode::Char('a'),
                KeyCode::Char('b'),
                KeyCode::Enter,
                KeyCode::Tab,
                KeyCode::Backspace,
                KeyCode::Esc,
            ])
        );
        assert_eq!(
            decode(&[b"Y"]),
            vec![with(KeyCode::Char('Y'), KeyModifiers::SHIFT)]
        );
    }

    #[test]
    fn control_keys_carry_the_control_modifier() {
        assert_eq!(
            decode(&[b"\x03\n"]),
            vec![
                with(KeyCode::Char('c'), KeyModifiers::CONTROL),
                with(KeyCode::Char('j'), KeyModifiers::CONTROL),
            ]
        );
    }

    #[test]
    fn cursor_keys_in_both_forms_with_modifiers() {
        assert_eq!(
            decode(&[b"\x1b[A\x1b[B\x1bOC\x1bOD\x1b[Z\x1b[3~\x1b[5~"]),
            vec![
                with(KeyCode::Up, KeyModifiers::NONE),
                with(KeyCode::Down, KeyModifiers::NONE),
                with(KeyCode::Right, KeyModifiers::NONE),
                with(KeyCode::Left, KeyModifiers::NONE),
                with(KeyCode::BackTab, KeyModifiers::SHIFT),
                with(KeyCode::Delete, KeyModifiers::NONE),
                with(KeyCode::PageUp, KeyModifiers::NONE),
            ]
        );
        assert_eq!(
            decode(&[b"\x1b[1;5A"]),
            vec![with(KeyCode::Up, KeyModifiers::CONTROL)]
        );
        assert_eq!(
            decode(&[b"\x1bq"]),
            vec![with(KeyCode::Char('q'), KeyModifiers::ALT)]
        );
    }

    #[test]
    fn wide_characters_and_sequences_cut_between_reads_are_completed() {
        let text = "é東🙂";
        let bytes = text.as_bytes();
        // Every split point, including inside each character.
        for cut in 0..=bytes.len() {
            let got = decode(&[&bytes[..cut], &bytes[cut..]]);
            assert_eq!(
                got,
                keys(&[KeyCode::Char('é'), KeyCode::Char('東'), KeyCode::Char('🙂')]),
                "cut at {cut}"
            );
        }
        let mut decoder = KeyDecoder::default();
        let mut out = Vec::new();
        decoder.feed(b"\x1b", true, &mut out);
        assert!(out.is_empty(), "a lone Esc at a full read waits: {out:?}");
        decoder.feed(b"[A", false, &mut out);
        assert_eq!(out, keys(&[KeyCode::Up]));
        assert_eq!(decode(&[b"\x1b[1;", b"5A"]), decode(&[b"\x1b[1;5A"]));
    }

    #[test]
    fn a_bracketed_paste_arrives_whole_even_across_reads() {
        let mut paste = b"\x1b[200~".to_vec();
        paste.extend_from_slice("first line\r\nsecond é".as_bytes());
        paste.extend_from_slice(b"\x1b[201~q");
        let whole = vec![
            InputEvent::Paste("first line\r\nsecond é".to_string()),
            InputEvent::Key(KeyEvent::new(KeyCode::Char('q'), KeyModifiers::NONE)),
        ];
        for cut in 0..=paste.len() {
            assert_eq!(decode(&[&paste[..cut], &paste[cut..]]), whole, "cut {cut}");
        }
    }

    #[test]
    fn a_huge_paste_is_kept_up_to_the_limit_and_input_goes_on() {
        let mut bytes = b"\x1b[200~".to_vec();
        bytes.extend(std::iter::repeat_n(b'x', MAX_PASTE_BYTES * 3));
        bytes.extend_from_slice(b"\x1b[201~\r");
        let mut decoder = KeyDecoder::default();
        let mut out = Vec::new();
        for chunk in bytes.chunks(1000) {
            decoder.feed(chunk, chunk.len() == 1000, &mut out);
        }
        assert_eq!(out.len(), 2, "one paste and Enter");
        let InputEvent::Paste(text) = &out[0] else {
            panic!("expected a paste, got {:?}", out[0]);
        };
        assert_eq!(text.len(), MAX_PASTE_BYTES);
        assert_eq!(out[1], InputEvent::Key(KeyEvent::from(KeyCode::Enter)));
    }

    #[test]
    fn garbage_never_wedges_the_input() {
        let mut decoder = KeyDecoder::default();
        let mut out = Vec::new();
        // Invalid UTF-8, an unknown sequence, an over-long one, a stray continuation byte.
        decoder.feed(b"\xff\x1b[99x\x80", false, &mut out);
        decoder.feed(b"\x1b[", false, &mut out);
        decoder.feed(&[b'1'; 40], false, &mut out);
        decoder.feed(b"a", false, &mut out);
        assert_eq!(
            out.last(),
            Some(&InputEvent::Key(KeyEvent::from(KeyCode::Char('a'))))
        );
    }
}
