//! The exercise journal: one append-only file per exercise, from which any exercise can
//! be replayed, verified, resumed after a crash and debriefed.
//!
//! (`docs/architecture.md`, "Invariants"): every accepted command is appended and flushed to
//! disk before it is acknowledged; the journal also records the scenario, the seed, the
//! engine version and the state hash after each step. Headless runs (`run --journal`),
//! the server (`serve --journal`/`--resume`), `replay` and `report` share this format.
//!
//! # Format
//! UTF-8 text, one record per line: eight upper-case hex digits of the CRC-32 of the
//! JSON text, one space, the JSON text, `\n`. The first line is the [`Header`]; every
//! other line is a [`Record`]. A last line without its `\n` is a write cut off by a
//! crash or power loss: it was never acknowledged, so [`read_journal`] drops it and
//! reports a [`Truncation`]. Any other damaged line is corruption and an error that
//! names the line and its byte offset.

use std::collections::BTreeMap;
use std::fmt;
use std::fs::{File, OpenOptions};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::command::{Actor, Command};
use crate::scenario::model::TeamIdx;

/// Version of the journal format written by this build; readers refuse other versions.
pub const FORMAT_VERSION: u32 = 1;

/// What an exercise starts from: enough to re-create its simulation bit for bit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Header {
    /// [`FORMAT_VERSION`] of the writer.
    pub format_version: u32,
    /// Version of the engine that recorded the exercise (`CARGO_PKG_VERSION`).
    pub engine_version: String,
    /// File name the scenario was loaded from, for people reading reports.
    pub scenario_file: String,
    /// The scenario file's full text, so the journal replays without the original file.
    pub scenario_text: String,
    /// blake3 of `scenario_text`, hex: identifies the scenario version across journals.
    pub scenario_blake3: String,
    /// The simulation's seed.
    pub seed: u64,
    /// What recorded the exercise, e.g. `run --policy cooperative` or `serve`.
    pub recorded_by: String,
    /// The bot policy that played every seat, for headless runs (`None`: people played).
    #[serde(default)]
    pub bots: Option<String>,
}

impl Header {
    /// A header for the current engine and format, hashing `scenario_text`.
    pub fn new(
        scenario_file: impl Into<String>,
        scenario_text: impl Into<String>,
        seed: u64,
        recorded_by: impl Into<String>,
    ) -> Self {
        let scenario_text = scenario_text.into();
        Self {
            format_version: FORMAT_VERSION,
            engine_version: env!("CARGO_PKG_VERSION").to_string(),
            scenario_file: scenario_file.into(),
            scenario_blake3: blake3::hash(scenario_text.as_bytes()).to_hex().to_string(),
            scenario_text,
            seed,
            recorded_by: recorded_by.into(),
            bots: None,
        }
    }

    /// The same header, noting that bots played every seat with `policy`.
    pub fn with_bots(mut self, policy: impl Into<String>) -> Self {
        self.bots = Some(policy.into());
        self
    }
}

/// How a facilitated exercise advances (recorded so that a resumed server keeps its pace).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "mode", rename_all = "snake_case")]
pub enum Pace {
    /// One tick every `millis_per_tick` milliseconds of wall time.
    RealTime { millis_per_tick: u64 },
    /// A tick when every team has declared itself ready (or the facilitator steps).
    TurnBased,
}

/// Something that happened to the session rather than to the simulated world. Replays
/// skip these: they never change the state, but debriefs and resumed servers need them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum SessionEvent {
    /// The facilitator changed the pace.
    PaceChanged { pace: Pace },
    /// The facilitator paused the clock.
    Paused,
    /// The facilitator resumed the clock, after it had stood still for `paused_ms`
    /// milliseconds of real time (absent in journals written before that was recorded):
    /// a pause lasts no simulated time, so only the real length says what it cost.
    Resumed {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        paused_ms: Option<u64>,
    },
    /// A player (or bot) took a seat.
    Joined { actor: Actor, bot: bool },
    /// A player left or lost the connection.
    Left { actor: Actor },
    /// A server resumed the exercise from this journal.
    ResumedFromJournal,
    /// The seats' join codes, so that a resumed server opens the same seats with the
    /// same codes: a served exercise's journal is as secret as the codes themselves.
    SeatCodes {
        facilitator: String,
        /// Team id (as in the scenario file) to code.
        teams: BTreeMap<String, String>,
        /// One code per evaluator seat, in evaluator order.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        evaluators: Vec<String>,
    },
    /// Free-text note by the recorder (e.g. why the exercise ended early).
    Note { text: String },
    /// The facilitator jumped the clock from tick `from` to tick `to` at once ("the next
    /// morning", as CTEP facilitator guides put it); the steps between are journaled as
    /// usual.
    TimeJumped { from: u32, to: u32 },
    /// Module `module` (its index in the scenario's modules) ended: the clock stopped
    /// so that every seat could discuss its questions.
    ModuleBreak { module: u32 },
    /// A seat's answer to discussion question `question` of module `module`, at a module
    /// break or the hot wash after the last tick.
    Answer {
        by: Actor,
        module: u32,
        question: u32,
        text: String,
    },
    /// A seat's feedback form at the hot wash: what went well, what to improve, and one
    /// improvement with who owns it (HSEEP 2020's improvement plan: action and owner).
    Feedback {
        by: Actor,
        went_well: String,
        to_improve: String,
        improvement: String,
        owner: String,
    },
    /// An evaluator's note: an observation about a team, an objective or the exercise
    /// (HSEEP 2020: evaluators observe against the objectives and feed the after-action
    /// report). `unix_ms` is the real time it was written.
    EvaluatorNote {
        evaluator: u32,
        about: NoteSubject,
        text: String,
        unix_ms: u64,
    },
    /// A new connection presented the seat's code and took the seat over; the previous
    /// connection was told and closed.
    TakenOver { actor: Actor },
}

/// What an evaluator's note is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NoteSubject {
    /// One team's play.
    Team(TeamIdx),
    /// One objective, by its index in the scenario's objectives.
    Objective(u32),
    /// The exercise as a whole (its organisation, its scenario).
    Exercise,
}

/// One entry after the header, in the order things happened.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Record {
    /// A command the simulation accepted, submitted when it had completed `tick` ticks.
    /// Replay submits commands in journal order before the next step.
    Command {
        tick: u32,
        actor: Actor,
        command: Command,
        /// The id the seat's client gave the request (`None`: a bot of the server, a
        /// headless run): a request repeated with the same id is answered, not run again,
        /// also by a server resumed from this journal.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        request_id: Option<u64>,
    },
    /// The simulation stepped; `tick` is its tick count after the step, `state_hash` the
    /// hex state hash then (`None` when the recorder chose not to hash this tick).
    Step {
        tick: u32,
        state_hash: Option<String>,
    },
    /// A session event at `tick` (ticks completed when it happened).
    Session { tick: u32, event: SessionEvent },
}

/// Where a cut-off last record was dropped.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Truncation {
    /// Bytes of the incomplete record that were dropped.
    pub dropped_bytes: u64,
    /// Whole records kept after the header (the cut record came after the last of these).
    pub after_records: usize,
    /// Byte length of the whole-record part of the file; appending resumes here.
    pub valid_len: u64,
}

impl fmt::Display for Truncation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "the journal's last record was cut off mid-write (a crash or power loss): \
             dropped {} byte(s) after record {}; everything up to that record is intact",
            self.dropped_bytes, self.after_records
        )
    }
}

/// A journal as read from disk.
#[derive(Debug, Clone, PartialEq)]
pub struct Journal {
    pub header: Header,
    pub records: Vec<Record>,
    /// Set when a cut-off last record was dropped.
    pub recovered: Option<Truncation>,
}

impl Journal {
    /// The clock as the journal left it: the last pace set (`None`: never journaled)
    /// and whether it was paused.
    pub fn clock(&self) -> (Option<Pace>, bool) {
        let mut pace = None;
        let mut paused = false;
        for record in &self.records {
            match record {
                Record::Session {
                    event: SessionEvent::PaceChanged { pace: set },
                    ..
                } => pace = Some(*set),
                Record::Session {
                    event: SessionEvent::Paused,
                    ..
                } => paused = true,
                Record::Session {
                    event: SessionEvent::Resumed { .. },
                    ..
                } => paused = false,
                _ => {}
            }
        }
        (pace, paused)
    }
}

/// Everything that can be wrong with a journal file.
#[derive(Debug, thiserror::Error)]
pub enum JournalError {
    /// The operating system's reason is part of the message (not a separate source),
    /// so that it is said once however the error is printed.
    #[error("cannot {action} journal {path}: {error}")]
    Io {
        action: &'static str,
        path: PathBuf,
        error: io::Error,
    },
    #[error(
        "journal {path} is corrupted at line {line} (byte offset {offset}): {reason}; \
         the file was altered after it was written and cannot be trusted from this point"
    )]
    Corrupt {
        path: PathBuf,
        line: usize,
        offset: u64,
        reason: String,
    },
    #[error(
        "journal {path} has no complete header line: it is empty or was cut off before \
         the exercise began, so there is nothing to replay"
    )]
    MissingHeader { path: PathBuf },
    #[error(
        "journal {path} is format version {found}, this cyberdrill reads version {supported}: \
         use the cyberdrill version that recorded it (engine {engine})"
    )]
    UnsupportedVersion {
        path: PathBuf,
        found: u32,
        supported: u32,
        engine: String,
    },
    #[error("cannot encode a journal record: {0}")]
    Encode(#[from] serde_json::Error),
}

/// One framed line: `CRC32-hex SPACE json \n`.
fn frame(json: &str) -> String {
    format!("{:08X} {json}\n", crc32fast::hash(json.as_bytes()))
}

/// Appends records to a journal file, each on disk (`sync_data`) before `append` returns;
/// a server taking many commands at once writes them all, then syncs once
/// ([`Self::write`], [`Self::sync`]): one disk flush instead of one per command.
#[derive(Debug)]
pub struct JournalWriter {
    file: File,
    path: PathBuf,
    records: usize,
    /// Records written since the last sync.
    unsynced: bool,
}

impl JournalWriter {
    /// Creates a new journal at `path` (refusing to overwrite an existing file) and
    /// writes its header durably.
    pub fn create(path: impl AsRef<Path>, header: &Header) -> Result<Self, JournalError> {
        let path = path.as_ref().to_path_buf();
        let file = OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
            .map_err(|error| JournalError::Io {
                action: "create",
                path: path.clone(),
                error,
            })?;
        let mut writer = Self {
            file,
            path,
            records: 0,
            unsynced: false,
        };
        let line = frame(&serde_json::to_string(header)?);
        writer
            .file
            .write_all(line.as_bytes())
            .map_err(writer.io_err("write to"))?;
        writer.unsynced = true;
        writer.sync()?;
        Ok(writer)
    }

    /// Opens an existing journal to continue it (a resumed exercise): reads it, cuts a
    /// partial last record off the file if a crash left one, and positions at the end.
    /// Returns the writer and what was already recorded.
    pub fn open_append(path: impl AsRef<Path>) -> Result<(Self, Journal), JournalError> {
        let path = path.as_ref().to_path_buf();
        let journal = read_journal(&path)?;
        let io_err = |action: &'static str| {
            let path = path.clone();
            move |error| JournalError::Io {
                action,
                path,
                error,
            }
        };
        let file = OpenOptions::new()
            .append(true)
            .open(&path)
            .map_err(io_err("open for appending"))?;
        if let Some(cut) = &journal.recovered {
            file.set_len(cut.valid_len)
                .map_err(io_err("cut the partial last record off"))?;
            file.sync_data().map_err(io_err("sync"))?;
        }
        let writer = Self {
            file,
            path: path.clone(),
            records: journal.records.len(),
            unsynced: false,
        };
        Ok((writer, journal))
    }

    /// Appends one record; returns only once it is on disk, so the caller may then
    /// acknowledge the command to the player.
    pub fn append(&mut self, record: &Record) -> Result<(), JournalError> {
        self.write(record)?;
        self.sync()
    }

    /// Writes one record without waiting for the disk: it is durable only once
    /// [`Self::sync`] returns, and no command it records may be acknowledged before.
    pub fn write(&mut self, record: &Record) -> Result<(), JournalError> {
        let line = frame(&serde_json::to_string(record)?);
        self.file
            .write_all(line.as_bytes())
            .map_err(self.io_err("write to"))?;
        self.records += 1;
        self.unsynced = true;
        Ok(())
    }

    /// Puts every record written so far on disk (nothing to do if they already are).
    pub fn sync(&mut self) -> Result<(), JournalError> {
        if self.unsynced {
            self.file.sync_data().map_err(self.io_err("sync"))?;
            self.unsynced = false;
        }
        Ok(())
    }

    /// Records written after the header (including those read by [`Self::open_append`]).
    pub fn records_written(&self) -> usize {
        self.records
    }

    /// The journal's path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn io_err(&self, action: &'static str) -> impl FnOnce(std::io::Error) -> JournalError {
        let path = self.path.clone();
        move |error| JournalError::Io {
            action,
            path,
            error,
        }
    }
}

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

/// Parses journal bytes; `path` only names the file in errors.
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
        if header.is_none() {
            let parsed: Header = serde_json::from_str(json)
                .map_err(|e| corrupt(line_no, offset, format!("bad header: {e}")))?;
            check_header(&parsed, path, line_no, offset)?;
            header = Some(parsed);
        } else {
            let record: Record = serde_json::from_str(json)
                .map_err(|e| corrupt(line_no, offset, format!("bad record: {e}")))?;
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

fn check_header(
    header: &Header,
    path: &Path,
    line: usize,
    offset: usize,
) -> Result<(), JournalError> {
    if header.format_version != FORMAT_VERSION {
        return Err(JournalError::UnsupportedVersion {
            path: path.to_path_buf(),
            found: header.format_version,
            supported: FORMAT_VERSION,
            engine: header.engine_version.clone(),
        });
    }
    let actual = blake3::hash(header.scenario_text.as_bytes()).to_hex();
    if actual.as_str() != header.scenario_blake3 {
        return Err(JournalError::Corrupt {
            path: path.to_path_buf(),
            line,
            offset: offset as u64,
            reason: format!(
                "the scenario text does not match its recorded blake3 hash \
                 (recorded {}, text has {actual})",
                header.scenario_blake3
            ),
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
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

    fn write_sample(dir: &Path) -> PathBuf {
        let path = dir.join("exercise.journal");
        let mut writer = JournalWriter::create(&path, &sample_header()).expect("create");
        for record in sample_records() {
            writer.append(&record).expect("append");
        }
        path
    }

    #[test]
    fn round_trip_keeps_header_and_records_in_order() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = write_sample(dir.path());
        let journal = read_journal(&path).expect("read");
        assert_eq!(journal.header, sample_header());
        assert_eq!(journal.records, sample_records());
        assert_eq!(journal.recovered, None);
        assert_eq!(journal.header.engine_version, env!("CARGO_PKG_VERSION"));
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
        let batched = std::fs::read(&path).expect("read batched");
        let one_by_one = std::fs::read(write_sample(dir.path())).expect("read appended");
        assert_eq!(batched, one_by_one);
    }

    #[test]
    fn the_clock_is_the_last_pace_and_pause_journaled() {
        let mut journal = Journal {
            header: sample_header(),
            records: sample_records(),
            recovered: None,
        };
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
        let records = sample_records();
        // Every cut from just after the previous line end to just before the last `\n`.
        for cut in last_start + 1..bytes.len() {
            let journal = parse_journal(&bytes[..cut], Path::new("j")).unwrap_or_else(|e| {
                panic!("cut at byte {cut} must be recovered, got {e}");
            });
            assert_eq!(journal.records, records[..records.len() - 1], "cut {cut}");
            let t = journal.recovered.expect("truncation reported");
            assert_eq!(t.dropped_bytes, (cut - last_start) as u64);
            assert_eq!(t.after_records, records.len() - 1);
            assert_eq!(t.valid_len, last_start as u64);
            assert!(t.to_string().contains("cut off"));
        }
        // Cut exactly at a line end: nothing lost, nothing to report.
        let journal = parse_journal(&bytes[..last_start], Path::new("j")).expect("whole lines");
        assert_eq!(journal.recovered, None);
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
        let line_starts: Vec<usize> = std::iter::once(0)
            .chain(
                bytes
                    .iter()
                    .enumerate()
                    .filter(|(_, b)| **b == b'\n')
                    .map(|(i, _)| i + 1),
            )
            .filter(|&i| i < bytes.len())
            .collect();
        // Flip one byte of the JSON part of the third line (a record).
        let mut damaged = bytes.clone();
        damaged[line_starts[2] + 15] ^= 0x01;
        let err = parse_journal(&damaged, Path::new("x.journal")).expect_err("corrupt");
        match &err {
            JournalError::Corrupt {
                line,
                offset,
                reason,
                ..
            } => {
                assert_eq!(*line, 3);
                assert_eq!(*offset, line_starts[2] as u64);
                assert!(reason.contains("checksum mismatch"), "{reason}");
            }
            other => panic!("expected corruption, got {other}"),
        }
        assert!(err.to_string().contains("line 3"));
        // A damaged checksum field.
        let mut damaged = bytes.clone();
        damaged[line_starts[1]] = b'Z';
        let err = parse_journal(&damaged, Path::new("x")).expect_err("corrupt");
        assert!(
            matches!(err, JournalError::Corrupt { line: 2, .. }),
            "{err}"
        );
        // A line with a valid checksum but a record of unknown kind.
        let mut forged = bytes[..line_starts[1]].to_vec();
        forged.extend_from_slice(frame(r#"{"kind":"teleport","tick":1}"#).as_bytes());
        let err = parse_journal(&forged, Path::new("x")).expect_err("bad record");
        match err {
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
        let bytes = frame(&serde_json::to_string(&header).expect("json"));
        let err = parse_journal(bytes.as_bytes(), Path::new("x")).expect_err("hash");
        assert!(err.to_string().contains("blake3"), "{err}");
    }

    #[test]
    fn other_format_versions_are_refused() {
        let mut header = sample_header();
        header.format_version = FORMAT_VERSION + 1;
        let bytes = frame(&serde_json::to_string(&header).expect("json"));
        let err = parse_journal(bytes.as_bytes(), Path::new("x")).expect_err("version");
        assert!(
            matches!(err, JournalError::UnsupportedVersion { .. }),
            "{err}"
        );
    }

    #[test]
    fn open_append_cuts_a_partial_record_and_continues() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = write_sample(dir.path());
        let mut bytes = std::fs::read(&path).expect("read");
        bytes.extend_from_slice(b"1234ABCD {\"kind\":\"st");
        std::fs::write(&path, &bytes).expect("write partial");
        let (mut writer, journal) = JournalWriter::open_append(&path).expect("open");
        assert!(journal.recovered.is_some());
        assert_eq!(writer.records_written(), sample_records().len());
        let extra = Record::Session {
            tick: 2,
            event: SessionEvent::ResumedFromJournal,
        };
        writer.append(&extra).expect("append");
        let again = read_journal(&path).expect("reread");
        assert_eq!(again.recovered, None);
        let mut expected = sample_records();
        expected.push(extra);
        assert_eq!(again.records, expected);
    }

    /// Seeded fuzzing: random byte flips, insertions and truncations never panic, and
    /// whatever is accepted is a prefix of what was written.
    #[test]
    fn damaged_journals_never_panic() {
        let dir = tempfile::tempdir().expect("tempdir");
        let bytes = std::fs::read(write_sample(dir.path())).expect("read bytes");
        let records = sample_records();
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
