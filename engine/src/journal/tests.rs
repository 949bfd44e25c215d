use std::path::{Path, PathBuf};

use super::writer::frame;
use super::*;
use crate::command::{IncidentId, Recipient, Tlp};
use crate::rng::SimRng;
use crate::scenario::model::{EconomyIdx, TeamIdx};

fn sample_header() -> Header {
    Header::new(
        "tutorial.toml",
        "[meta]\nid = \"tutorial\"\n# ünïcode ✓\n",
        42,
        "test",
    )
}

fn sample_records() -> Vec<Record> {
    vec![
        Record::Session {
            tick: 0,
            event: SessionEvent::PaceChanged {
                pace: Pace::RealTime {
                    millis_per_tick: 30_000,
                },
            },
        },
        Record::Command {
            tick: 0,
            actor: Actor::Team(TeamIdx(1)),
            command: Command::ShareIndicators {
                incident: IncidentId(3),
                with: vec![EconomyIdx(0), EconomyIdx(2)],
                tlp: Tlp::Amber,
                teams: Vec::new(),
            },
            request_id: Some(4),
        },
        Record::Step {
            tick: 1,
            state_hash: Some("00ff".repeat(8)),
        },
        Record::Command {
            tick: 1,
            actor: Actor::Facilitator,
            command: Command::Message {
                to: Recipient::All,
                text: "line one\nline two \"quoted\" ✓".to_string(),
            },
            request_id: None,
        },
        Record::Step {
            tick: 2,
            state_hash: None,
        },
        Record::Session {
            tick: 2,
            event: SessionEvent::Paused,
        },
    ]
}

/// The sample records and the closing record a finished writer adds.
fn closed_records() -> Vec<Record> {
    let mut records = sample_records();
    records.push(Record::Closed { tick: 2 });
    records
}

/// Writes the sample journal and closes it.
fn write_sample(dir: &Path) -> PathBuf {
    let path = dir.join("exercise.journal");
    let mut writer = JournalWriter::create(&path, &sample_header()).expect("create");
    for record in sample_records() {
        writer.append(&record).expect("append");
    }
    writer.close().expect("close");
    path
}

/// Where each line of `bytes` starts.
fn line_starts(bytes: &[u8]) -> Vec<usize> {
    std::iter::once(0)
        .chain(
            bytes
                .iter()
                .enumerate()
                .filter(|(_, b)| **b == b'\n')
                .map(|(i, _)| i + 1),
        )
        .filter(|&i| i < bytes.len())
        .collect()
}

/// `bytes` with line `index` (from 0) replaced by `json`, framed with a valid checksum.
fn reframe(bytes: &[u8], index: usize, json: &str) -> Vec<u8> {
    let text = std::str::from_utf8(bytes).expect("utf-8");
    let mut out = String::new();
    for (i, line) in text.lines().enumerate() {
        if i == index {
            out.push_str(&frame(json));
        } else {
            out.push_str(line);
            out.push('\n');
        }
    }
    out.into_bytes()
}

/// The sample journal in format 1: the same records, no chain, no closing record.
fn format1_sample() -> Vec<u8> {
    let mut header = sample_header();
    header.format_version = UNCHAINED_FORMAT_VERSION;
    // Written before hash versions: no `hash_version` in the header.
    header.hash_version = 1;
    let mut text = frame(&serde_json::to_string(&header).expect("json"));
    for record in sample_records() {
        text.push_str(&frame(&serde_json::to_string(&record).expect("json")));
    }
    text.into_bytes()
}

#[test]
fn round_trip_keeps_header_and_records_in_order_and_closes() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("exercise.journal");
    let mut writer = JournalWriter::create(&path, &sample_header()).expect("create");
    for record in sample_records() {
        writer.append(&record).expect("append");
    }
    let digest = writer.close().expect("close").expect("a format 2 journal");
    let journal = read_journal(&path).expect("read");
    assert_eq!(journal.header, sample_header());
    assert_eq!(journal.header.format_version, FORMAT_VERSION);
    assert_eq!(journal.records, closed_records());
    assert_eq!(journal.recovered, None);
    assert_eq!(journal.header.engine_version, env!("CARGO_PKG_VERSION"));
    assert_eq!(journal.chain, Some(digest), "the last link is the digest");
    assert!(journal.is_closed());
    assert_eq!(
        journal.notices(),
        Vec::<Notice>::new(),
        "nothing to warn of"
    );
}

#[test]
fn a_dropped_writer_closes_the_journal_and_closing_twice_writes_once() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("dropped.journal");
    {
        let mut writer = JournalWriter::create(&path, &sample_header()).expect("create");
        for record in sample_records() {
            writer.append(&record).expect("append");
        }
    }
    assert_eq!(read_journal(&path).expect("read").records, closed_records());
    let again = write_sample(dir.path());
    assert_eq!(
        std::fs::read(&path).expect("read"),
        std::fs::read(again).expect("read"),
        "close() then drop writes one closing record, as a drop alone does"
    );
}

#[test]
fn every_line_is_linked_to_the_one_before() {
    let dir = tempfile::tempdir().expect("tempdir");
    let bytes = std::fs::read(write_sample(dir.path())).expect("read");
    let text = std::str::from_utf8(&bytes).expect("utf-8");
    let mut link = Link::START;
    for line in text.lines() {
        let (_, json) = line.split_once(' ').expect("framed");
        let (recorded, body) = chain::detach(json).expect("linked");
        link = link.next(&body);
        assert_eq!(recorded, link, "{line}");
    }
    assert_eq!(
        parse_journal(&bytes, Path::new("j")).expect("reads").chain,
        Some(link)
    );
}

#[test]
fn a_batch_written_then_synced_once_reads_back_like_appends() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("batched.journal");
    let mut writer = JournalWriter::create(&path, &sample_header()).expect("create");
    let records = sample_records();
    let (first, rest) = records.split_at(2);
    for record in first {
        writer.write(record).expect("write");
    }
    writer.sync().expect("sync");
    writer
        .sync()
        .expect("a second sync with nothing new is harmless");
    for record in rest {
        writer.write(record).expect("write");
    }
    writer.sync().expect("sync");
    assert_eq!(writer.records_written(), records.len());
    drop(writer);
    let batched = std::fs::read(&path).expect("read batched");
    let one_by_one = std::fs::read(write_sample(dir.path())).expect("read appended");
    assert_eq!(batched, one_by_one);
}

#[test]
fn the_clock_is_the_last_pace_and_pause_journaled() {
    let mut journal = Journal::new(sample_header());
    journal.records = sample_records();
    let half_minute = Pace::RealTime {
        millis_per_tick: 30_000,
    };
    assert_eq!(journal.clock(), (Some(half_minute), true));
    journal.records.push(Record::Session {
        tick: 3,
        event: SessionEvent::Resumed {
            paused_ms: Some(90_000),
        },
    });
    journal.records.push(Record::Session {
        tick: 3,
        event: SessionEvent::PaceChanged {
            pace: Pace::TurnBased,
        },
    });
    assert_eq!(journal.clock(), (Some(Pace::TurnBased), false));
    journal.records.clear();
    assert_eq!(journal.clock(), (None, false));
}

#[test]
fn create_refuses_to_overwrite() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = write_sample(dir.path());
    let before = std::fs::read(&path).expect("read");
    let err = JournalWriter::create(&path, &sample_header()).expect_err("must refuse");
    assert!(
        matches!(
            err,
            JournalError::Io {
                action: "create",
                ..
            }
        ),
        "{err}"
    );
    assert_eq!(
        std::fs::read(&path).expect("read"),
        before,
        "left untouched"
    );
}

/// The journal holds every seat's join code: nobody but its owner may read it.
#[cfg(unix)]
#[test]
fn a_new_journal_is_readable_by_its_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().expect("tempdir");
    let path = write_sample(dir.path());
    let mode = std::fs::metadata(&path).expect("meta").permissions().mode();
    assert_eq!(mode & 0o777, 0o600, "mode {mode:o}");
    let replaced = JournalWriter::create_replacing(&path, &sample_header()).expect("replace");
    drop(replaced);
    let mode = std::fs::metadata(&path).expect("meta").permissions().mode();
    assert_eq!(mode & 0o777, 0o600, "a replaced journal too: mode {mode:o}");
}

#[test]
fn replacing_takes_a_regular_file_or_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("old.journal");
    std::fs::write(&path, "an earlier exercise").expect("write");
    drop(JournalWriter::create_replacing(&path, &sample_header()).expect("replace"));
    assert_eq!(read_journal(&path).expect("a journal now").records.len(), 1);
    let fresh = dir.path().join("fresh.journal");
    drop(JournalWriter::create_replacing(&fresh, &sample_header()).expect("create"));
    assert!(read_journal(&fresh).is_ok());
}

#[test]
fn replacing_refuses_directories_links_and_devices_and_leaves_them_alone() {
    let dir = tempfile::tempdir().expect("tempdir");
    let sub = dir.path().join("sub");
    std::fs::create_dir(&sub).expect("mkdir");
    let err = JournalWriter::create_replacing(&sub, &sample_header()).expect_err("a dir");
    assert!(err.to_string().contains("a directory"), "{err}");
    assert!(sub.is_dir());
    #[cfg(unix)]
    {
        let target = dir.path().join("target.txt");
        std::fs::write(&target, "keep me").expect("write");
        let link = dir.path().join("link.journal");
        std::os::unix::fs::symlink(&target, &link).expect("symlink");
        let err = JournalWriter::create_replacing(&link, &sample_header()).expect_err("a link");
        assert!(err.to_string().contains("symbolic link"), "{err}");
        assert!(
            std::fs::symlink_metadata(&link)
                .expect("still there")
                .file_type()
                .is_symlink()
        );
        assert_eq!(std::fs::read_to_string(&target).expect("read"), "keep me");
        // Devices are only inspected here, never opened: the check is what stands
        // between `--overwrite-journal /dev/full` and the device node.
        for device in ["/dev/full", "/dev/null"] {
            if Path::new(device).exists() {
                let err = check_replaceable(Path::new(device)).expect_err("a device");
                assert!(err.to_string().contains("a device"), "{err}");
                assert!(err.to_string().contains("not a regular file"), "{err}");
            }
        }
    }
}

#[test]
fn every_cut_inside_the_last_record_is_recovered() {
    let dir = tempfile::tempdir().expect("tempdir");
    let bytes = std::fs::read(write_sample(dir.path())).expect("read bytes");
    let last_start = bytes[..bytes.len() - 1]
        .iter()
        .rposition(|&b| b == b'\n')
        .expect("several lines")
        + 1;
    let records = closed_records();
    // Every cut from just after the previous line end to just before the last `\n`.
    for cut in last_start + 1..bytes.len() {
        let journal = parse_journal(&bytes[..cut], Path::new("j")).unwrap_or_else(|e| {
            panic!("cut at byte {cut} must be recovered, got {e}");
        });
        assert_eq!(journal.records, records[..records.len() - 1], "cut {cut}");
        let t = journal.recovered.clone().expect("truncation reported");
        assert_eq!(t.dropped_bytes, (cut - last_start) as u64);
        assert_eq!(t.after_records, records.len() - 1);
        assert_eq!(t.valid_len, last_start as u64);
        assert!(t.to_string().contains("cut off"));
        let notices: Vec<String> = journal.notices().iter().map(|n| n.to_string()).collect();
        assert!(notices[0].contains("cut off"), "{notices:?}");
        assert!(notices[1].contains("not closed"), "{notices:?}");
    }
    // Cut exactly at a line end: nothing torn, but no closing record either.
    let journal = parse_journal(&bytes[..last_start], Path::new("j")).expect("whole lines");
    assert_eq!(journal.recovered, None);
    assert!(!journal.is_closed());
}

/// A journal cut at a record boundary is not silent: it says where it ends.
#[test]
fn a_journal_cut_at_any_record_boundary_says_it_is_not_closed() {
    let dir = tempfile::tempdir().expect("tempdir");
    let bytes = std::fs::read(write_sample(dir.path())).expect("read bytes");
    let starts = line_starts(&bytes);
    let records = closed_records();
    // Cut after the header, after each record but the closing one.
    for (kept, &cut) in starts.iter().enumerate().skip(1) {
        let journal = parse_journal(&bytes[..cut], Path::new("j")).expect("whole lines");
        assert_eq!(journal.records.len(), kept - 1);
        let tick = journal.records.last().map_or(0, |r| r.tick());
        let notices: Vec<String> = journal.notices().iter().map(|n| n.to_string()).collect();
        assert_eq!(journal.notices(), vec![Notice::NotClosed { tick }]);
        assert_eq!(
            notices,
            vec![format!(
                "the journal ends at tick {tick}, not closed: its recorder stopped without \
                 closing it (a crash or a kill), it is still being written, or records after \
                 this point were cut off"
            )],
            "cut after {} record(s)",
            kept - 1
        );
    }
    let whole = parse_journal(&bytes, Path::new("j")).expect("whole");
    assert_eq!(whole.records, records);
    assert!(whole.notices().is_empty());
}

#[test]
fn a_cut_header_is_a_clear_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    let bytes = std::fs::read(write_sample(dir.path())).expect("read bytes");
    let header_end = bytes.iter().position(|&b| b == b'\n').expect("header line");
    for cut in [0, 1, 9, header_end / 2, header_end] {
        let err = parse_journal(&bytes[..cut], Path::new("j")).expect_err("no header");
        assert!(
            matches!(err, JournalError::MissingHeader { .. }),
            "cut {cut}: {err}"
        );
    }
}

#[test]
fn corruption_names_line_and_offset() {
    let dir = tempfile::tempdir().expect("tempdir");
    let bytes = std::fs::read(write_sample(dir.path())).expect("read bytes");
    let starts = line_starts(&bytes);
    // Flip one byte of the JSON part of the third line (a record).
    let mut damaged = bytes.clone();
    damaged[starts[2] + 15] ^= 0x01;
    let err = parse_journal(&damaged, Path::new("x.journal")).expect_err("corrupt");
    match &err {
        JournalError::Corrupt {
            line,
            offset,
            reason,
            ..
        } => {
            assert_eq!(*line, 3);
            assert_eq!(*offset, starts[2] as u64);
            assert!(reason.contains("checksum mismatch"), "{reason}");
        }
        other => panic!("expected corruption, got {other}"),
    }
    assert!(err.to_string().contains("line 3"));
    // A damaged checksum field.
    let mut damaged = bytes.clone();
    damaged[starts[1]] = b'Z';
    let err = parse_journal(&damaged, Path::new("x")).expect_err("corrupt");
    assert!(
        matches!(err, JournalError::Corrupt { line: 2, .. }),
        "{err}"
    );
}

/// The tamper evidence the chain exists for: change any byte of any line (the header
/// included) and give the line a fresh checksum, as an editor who knows the format
/// would; the journal is refused, naming that line.
#[test]
fn every_edited_byte_with_a_recomputed_checksum_is_found_at_its_line() {
    let dir = tempfile::tempdir().expect("tempdir");
    let bytes = std::fs::read(write_sample(dir.path())).expect("read bytes");
    let text = std::str::from_utf8(&bytes).expect("utf-8").to_string();
    let mut edits = 0;
    for (index, line) in text.lines().enumerate() {
        let (_, json) = line.split_once(' ').expect("framed");
        for at in 0..json.len() {
            for replacement in [b'0', b'7', b'a', b'"', b'x'] {
                let mut edited = json.as_bytes().to_vec();
                if edited[at] == replacement {
                    continue;
                }
                edited[at] = replacement;
                let Ok(edited) = String::from_utf8(edited) else {
                    continue;
                };
                edits += 1;
                let tampered = reframe(&bytes, index, &edited);
                let err = parse_journal(&tampered, Path::new("t")).expect_err("tampering found");
                let named = match &err {
                    JournalError::ChainBroken { line, .. } | JournalError::Corrupt { line, .. } => {
                        *line
                    }
                    // A header claiming another format is refused as such.
                    JournalError::UnsupportedVersion { .. } => 1,
                    other => panic!("line {} byte {at}: unexpected {other}", index + 1),
                };
                assert_eq!(named, index + 1, "byte {at} of line {}: {err}", index + 1);
            }
        }
    }
    assert!(edits > 3000, "only {edits} edits tried");
}

#[test]
fn a_removed_or_reordered_record_breaks_the_chain_where_it_was() {
    let dir = tempfile::tempdir().expect("tempdir");
    let bytes = std::fs::read(write_sample(dir.path())).expect("read bytes");
    let text = std::str::from_utf8(&bytes).expect("utf-8");
    let lines: Vec<&str> = text.lines().collect();
    for removed in 1..lines.len() - 1 {
        let mut kept = lines.clone();
        kept.remove(removed);
        let tampered = kept.join("\n") + "\n";
        match parse_journal(tampered.as_bytes(), Path::new("t")) {
            Err(JournalError::ChainBroken { line, .. }) => assert_eq!(line, removed + 1),
            other => panic!("removing line {}: {other:?}", removed + 1),
        }
    }
    let mut swapped = lines.clone();
    swapped.swap(2, 3);
    match parse_journal((swapped.join("\n") + "\n").as_bytes(), Path::new("t")) {
        Err(JournalError::ChainBroken { line, .. }) => assert_eq!(line, 3),
        other => panic!("swapping: {other:?}"),
    }
    // Dropping the closing record is a clean cut: said, not hidden.
    let without_close = lines[..lines.len() - 1].join("\n") + "\n";
    let journal = parse_journal(without_close.as_bytes(), Path::new("t")).expect("reads");
    assert_eq!(journal.notices(), vec![Notice::NotClosed { tick: 2 }]);
    assert!(
        journal.notices()[0]
            .to_string()
            .contains("ends at tick 2, not closed")
    );
}

#[test]
fn a_forged_record_with_a_valid_checksum_is_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let bytes = std::fs::read(write_sample(dir.path())).expect("read bytes");
    let starts = line_starts(&bytes);
    // A line with a valid checksum but no link.
    let mut forged = bytes[..starts[1]].to_vec();
    forged.extend_from_slice(frame(r#"{"kind":"closed","tick":1}"#).as_bytes());
    let err = parse_journal(&forged, Path::new("x")).expect_err("no link");
    assert!(
        matches!(&err, JournalError::Corrupt { line: 2, reason, .. } if reason.contains("no chain link")),
        "{err}"
    );
    // A correctly linked record of unknown kind.
    let journal = parse_journal(&bytes[..starts[1]], Path::new("x")).expect("header");
    let (json, _) = chain::attach(
        &journal.chain.expect("linked"),
        r#"{"kind":"teleport","tick":1}"#,
    );
    let mut forged = bytes[..starts[1]].to_vec();
    forged.extend_from_slice(frame(&json).as_bytes());
    match parse_journal(&forged, Path::new("x")).expect_err("bad record") {
        JournalError::Corrupt { line, reason, .. } => {
            assert_eq!(line, 2);
            assert!(reason.contains("bad record"), "{reason}");
        }
        other => panic!("expected corruption, got {other}"),
    }
}

#[test]
fn a_tampered_scenario_text_is_detected_by_its_hash() {
    let mut header = sample_header();
    header.scenario_text.push_str("extra = 1\n");
    let (json, _) = chain::attach(&Link::START, &serde_json::to_string(&header).expect("json"));
    let err = parse_journal(frame(&json).as_bytes(), Path::new("x")).expect_err("hash");
    assert!(err.to_string().contains("blake3"), "{err}");
}

#[test]
fn other_format_versions_are_refused() {
    let mut header = sample_header();
    header.format_version = FORMAT_VERSION + 1;
    let body = serde_json::to_string(&header).expect("json");
    for json in [body.clone(), chain::attach(&Link::START, &body).0] {
        let err = parse_journal(frame(&json).as_bytes(), Path::new("x")).expect_err("version");
        assert!(
            matches!(err, JournalError::UnsupportedVersion { found: 3, .. }),
            "{err}"
        );
    }
    // A format 2 header without its link, and a format 1 header with one.
    let err = parse_journal(
        frame(&serde_json::to_string(&sample_header()).expect("json")).as_bytes(),
        Path::new("x"),
    )
    .expect_err("unlinked format 2");
    assert!(err.to_string().contains("no chain link"), "{err}");
    let mut old = sample_header();
    old.format_version = UNCHAINED_FORMAT_VERSION;
    let (json, _) = chain::attach(&Link::START, &serde_json::to_string(&old).expect("json"));
    let err = parse_journal(frame(&json).as_bytes(), Path::new("x")).expect_err("linked 1");
    assert!(err.to_string().contains("format 1"), "{err}");
}

#[test]
fn format_1_journals_read_with_a_notice_that_they_have_no_chain() {
    let journal = parse_journal(&format1_sample(), Path::new("old")).expect("reads");
    assert_eq!(journal.header.format_version, UNCHAINED_FORMAT_VERSION);
    assert_eq!(journal.records, sample_records());
    assert_eq!(journal.chain, None);
    let notices = journal.notices();
    assert_eq!(notices, vec![Notice::Unchained]);
    assert!(
        notices[0].to_string().contains("no hash chain"),
        "{notices:?}"
    );
    // A closing record has no place in format 1.
    let mut bytes = format1_sample();
    bytes.extend_from_slice(frame(r#"{"kind":"closed","tick":2}"#).as_bytes());
    assert!(parse_journal(&bytes, Path::new("old")).is_err());
}

/// A journal written by cyberdrill 0.1.0 before the chain (format 1), kept as it was.
#[test]
fn the_committed_format_1_journal_still_reads() {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/format1-tutorial.journal");
    let journal = read_journal(&path).expect("the format 1 fixture reads");
    assert_eq!(journal.header.format_version, 1);
    assert_eq!(journal.header.seed, 3);
    assert_eq!(journal.chain, None);
    assert_eq!(journal.last_tick(), 6);
    assert!(
        journal
            .records
            .iter()
            .any(|r| matches!(r, Record::Command { .. }))
    );
    assert!(journal.notices()[0].to_string().contains("format 1"));
}

#[test]
fn open_append_continues_the_chain_after_the_closing_record() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = write_sample(dir.path());
    let mut bytes = std::fs::read(&path).expect("read");
    bytes.extend_from_slice(b"1234ABCD {\"chain\":\"00");
    std::fs::write(&path, &bytes).expect("write partial");
    let (mut writer, journal) = JournalWriter::open_append(&path).expect("open");
    assert!(journal.recovered.is_some());
    assert!(journal.is_closed());
    assert_eq!(writer.records_written(), closed_records().len());
    assert_eq!(writer.chain(), journal.chain);
    let extra = Record::Session {
        tick: 2,
        event: SessionEvent::ResumedFromJournal,
    };
    writer.append(&extra).expect("append");
    drop(writer);
    let again = read_journal(&path).expect("reread");
    assert_eq!(again.recovered, None);
    let mut expected = closed_records();
    expected.push(extra);
    expected.push(Record::Closed { tick: 2 });
    assert_eq!(again.records, expected);
    // Reopened and left at once: already closed, nothing added.
    drop(JournalWriter::open_append(&path).expect("reopen"));
    assert_eq!(read_journal(&path).expect("reread").records, expected);
}

#[test]
fn a_format_1_journal_is_continued_in_format_1() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("old.journal");
    std::fs::write(&path, format1_sample()).expect("write");
    let (mut writer, _) = JournalWriter::open_append(&path).expect("open");
    assert_eq!(writer.chain(), None);
    let extra = Record::Step {
        tick: 3,
        state_hash: None,
    };
    writer.append(&extra).expect("append");
    assert_eq!(writer.close().expect("close"), None);
    let journal = read_journal(&path).expect("still format 1");
    let mut expected = sample_records();
    expected.push(extra);
    assert_eq!(journal.records, expected);
}

/// Seeded fuzzing: random byte flips, insertions and truncations never panic, and
/// whatever is accepted is a prefix of what was written.
#[test]
fn damaged_journals_never_panic() {
    let dir = tempfile::tempdir().expect("tempdir");
    let written = std::fs::read(write_sample(dir.path())).expect("read bytes");
    for (bytes, records) in [
        (written, closed_records()),
        (format1_sample(), sample_records()),
    ] {
        let mut rng = SimRng::new(0x5EED);
        for case in 0..3000 {
            let mut damaged = bytes.clone();
            let edits = 1 + rng.below(3);
            for _ in 0..edits {
                let at = rng.below(damaged.len() as u64) as usize;
                match rng.below(4) {
                    0 => damaged[at] ^= 1 << rng.below(8),
                    1 => damaged[at] = rng.below(256) as u8,
                    2 => damaged.insert(at, rng.below(256) as u8),
                    _ => damaged.truncate(at),
                }
                if damaged.is_empty() {
                    break;
                }
            }
            if let Ok(journal) = parse_journal(&damaged, Path::new("fuzz")) {
                let n = journal.records.len();
                assert!(n <= records.len(), "case {case}");
                assert_eq!(journal.records, records[..n], "case {case}");
            }
        }
    }
}

/// New journals name the state hash version they are recorded with; a header without
/// it (written before version 2) reads as version 1 and is written back without it.
#[test]
fn the_header_names_its_state_hash_version() {
    let header = sample_header();
    assert_eq!(header.hash_version, 2);
    assert_eq!(header.state_hash_version(), Some(crate::HashVersion::V2));
    let json = serde_json::to_string(&header).expect("json");
    assert!(json.contains("\"hash_version\":2"), "{json}");

    let mut old = sample_header();
    old.hash_version = 1;
    let json = serde_json::to_string(&old).expect("json");
    assert!(!json.contains("hash_version"), "{json}");
    let read: Header = serde_json::from_str(&json).expect("reads");
    assert_eq!(read.state_hash_version(), Some(crate::HashVersion::V1));
    assert_eq!(read, old);
}

/// A hash version from a later cyberdrill is refused on reading, saying what, where
/// and how to fix it, in either format.
#[test]
fn unknown_state_hash_versions_are_refused() {
    let mut header = sample_header();
    header.hash_version = 7;
    let body = serde_json::to_string(&header).expect("json");
    let mut old = header.clone();
    old.format_version = UNCHAINED_FORMAT_VERSION;
    let old_body = serde_json::to_string(&old).expect("json");
    for json in [chain::attach(&Link::START, &body).0, old_body] {
        let err = parse_journal(frame(&json).as_bytes(), Path::new("later.journal"))
            .expect_err("an unknown hash version");
        assert!(
            matches!(
                err,
                JournalError::UnsupportedHashVersion {
                    refusal: UnsupportedHashVersion {
                        found: 7,
                        supported: 2,
                        ..
                    },
                    ..
                }
            ),
            "{err}"
        );
        let text = err.to_string();
        assert!(
            text.starts_with("journal later.journal records its state hashes with hash version 7 "),
            "{text}"
        );
        for part in [
            "\"hash_version\"",
            "1 to 2",
            "a cyberdrill that knows version 7",
        ] {
            assert!(text.contains(part), "{part}: {text}");
        }
    }
}
