//! The exercise journal: one append-only file per exercise, from which any exercise can
//! be replayed, verified, resumed after a crash and debriefed.
//!
//! Every accepted command is appended and flushed to disk before it is acknowledged;
//! the journal also records the scenario, the seed, the engine version and the state
//! hash after each step. Headless runs (`run --journal`), `play --journal`, the server
//! (`serve --journal`/`--resume`), `replay`, `report` and `branch` share this format.
//!
//! # Format
//! UTF-8 text, one record per line: eight upper-case hex digits of the CRC-32 of the
//! JSON text, one space, the JSON text, `\n`. The first line is the [`Header`]; every
//! other line is a [`Record`]. A last line without its `\n` is a write cut off by a
//! crash or power loss: it was never acknowledged, so [`read_journal`] drops it and
//! reports a [`Truncation`]. Any other damaged line is corruption and an error that
//! names the line and its byte offset.
//!
//! From format 2 on, each line's JSON object starts with a `chain` field linking it to
//! every line before it ([`chain`]): a record edited and given a fresh CRC is named by
//! [`JournalError::ChainBroken`], and the last link ([`Journal::chain`]) is the digest
//! of the whole journal. A writer that stops properly ends the journal with
//! [`Record::Closed`], so a journal cut at a record boundary says so
//! ([`Journal::notices`]). Format 1 journals (no chain, no closing record) still read.
//!
//! The header also says which definition of the state hash the step records carry
//! ([`Header::hash_version`], [`crate::HashVersion`]): a header without it was written
//! before version 2 and carries version 1 hashes, which replays keep verifying with the
//! version 1 definition; a version this build does not know is refused on reading
//! ([`JournalError::UnsupportedHashVersion`]).
//!
//! Journals hold every seat's join code: they are created readable by their owner only.

use std::collections::BTreeMap;
use std::fmt;
use std::io;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use crate::HashVersion;
use crate::command::{Actor, Command};
use crate::scenario::model::TeamIdx;

pub mod chain;
mod read;
mod writer;

pub use chain::Link;
pub use read::{parse_journal, read_journal};
pub use writer::{JournalWriter, check_replaceable};

/// Version of the journal format written by this build: 2, hash-chained and closed.
pub const FORMAT_VERSION: u32 = 2;

/// The first format (no chain, no closing record), still read and replayed.
pub const UNCHAINED_FORMAT_VERSION: u32 = 1;

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
    /// The definition of the state hashes in the step records ([`HashVersion::number`]).
    /// Absent in journals recorded before version 2, which carry version 1 hashes: read
    /// as 1, and not written when 1, so that such a header reads and writes as it was.
    #[serde(
        default = "first_hash_version",
        skip_serializing_if = "is_first_hash_version"
    )]
    pub hash_version: u32,
}

/// The hash version of a header without one.
fn first_hash_version() -> u32 {
    HashVersion::V1.number()
}

fn is_first_hash_version(version: &u32) -> bool {
    *version == HashVersion::V1.number()
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
            hash_version: HashVersion::CURRENT.number(),
        }
    }

    /// The definition of the state hashes recorded after this header (`None`: a version
    /// this build does not know; [`read_journal`] refuses those).
    pub fn state_hash_version(&self) -> Option<HashVersion> {
        HashVersion::from_number(self.hash_version)
    }

    /// As [`Self::state_hash_version`], refusing a version this build does not know.
    /// Reading a journal file and replaying (or resuming) a journal held in memory both
    /// check with this, so the refusal and the fix it suggests are worded once.
    pub fn checked_hash_version(&self) -> Result<HashVersion, UnsupportedHashVersion> {
        self.state_hash_version()
            .ok_or_else(|| UnsupportedHashVersion {
                found: self.hash_version,
                supported: HashVersion::CURRENT.number(),
                engine: self.engine_version.clone(),
            })
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
    /// improvement with who owns it and when it is due (HSEEP 2020's improvement plan:
    /// corrective action, responsible organisation, completion date).
    Feedback {
        by: Actor,
        went_well: String,
        to_improve: String,
        improvement: String,
        owner: String,
        /// When the improvement is due, as the seat wrote it ("2027-03-31", "before the
        /// next forum"); empty when not given, and in journals written before it was asked.
        #[serde(default, skip_serializing_if = "String::is_empty")]
        due: String,
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
    /// The recorder stopped properly at `tick`: nothing it wrote is missing after this.
    /// A resumed exercise writes on after it; replays skip it.
    Closed { tick: u32 },
}

impl Record {
    /// The ticks the simulation had completed when this was recorded.
    pub fn tick(&self) -> u32 {
        match self {
            Record::Command { tick, .. }
            | Record::Step { tick, .. }
            | Record::Session { tick, .. }
            | Record::Closed { tick } => *tick,
        }
    }
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

/// Something about a journal that its reader must be told, though it still replays.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Notice {
    /// The last record was cut off mid-write and dropped.
    CutOff(Truncation),
    /// A format 1 journal: no hash chain, no digest.
    Unchained,
    /// No closing record after the last one, at `tick`.
    NotClosed { tick: u32 },
}

impl fmt::Display for Notice {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Notice::CutOff(cut) => cut.fmt(f),
            Notice::Unchained => f.write_str(
                "the journal is format 1: it has no hash chain, so an edit that recomputes a \
                 line's checksum cannot be detected, and no digest can be given for the minutes",
            ),
            Notice::NotClosed { tick } => write!(
                f,
                "the journal ends at tick {tick}, not closed: its recorder stopped without \
                 closing it (a crash or a kill), it is still being written, or records after \
                 this point were cut off"
            ),
        }
    }
}

/// A journal as read from disk (or kept in memory by a live exercise).
#[derive(Debug, Clone, PartialEq)]
pub struct Journal {
    pub header: Header,
    pub records: Vec<Record>,
    /// Set when a cut-off last record was dropped.
    pub recovered: Option<Truncation>,
    /// The last link of the hash chain, read from the file: the digest of the whole
    /// journal, for the minutes (`None`: a format 1 file, or a journal in memory).
    pub chain: Option<Link>,
}

impl Journal {
    /// A journal of `header` with nothing recorded yet, kept in memory.
    pub fn new(header: Header) -> Self {
        Self {
            header,
            records: Vec::new(),
            recovered: None,
            chain: None,
        }
    }

    /// The tick of the last record (0 for a journal with no record).
    pub fn last_tick(&self) -> u32 {
        self.records.last().map_or(0, Record::tick)
    }

    /// Whether the recorder closed the journal properly after its last record.
    pub fn is_closed(&self) -> bool {
        matches!(self.records.last(), Some(Record::Closed { .. }))
    }

    /// What a reader must be told about how far this journal can be trusted: a
    /// cut-off last record, a format without a hash chain, or an end without a closing
    /// record (a crash, or a file cut at a record boundary).
    pub fn notices(&self) -> Vec<Notice> {
        let mut notices = Vec::new();
        if let Some(cut) = &self.recovered {
            notices.push(Notice::CutOff(cut.clone()));
        }
        if self.header.format_version == UNCHAINED_FORMAT_VERSION {
            notices.push(Notice::Unchained);
        } else if !self.is_closed() {
            notices.push(Notice::NotClosed {
                tick: self.last_tick(),
            });
        }
        notices
    }

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
        "journal {path} breaks its hash chain at line {line} (byte offset {offset}): the \
         line records link {recorded}, but the lines up to it give {computed}; this record \
         was edited, or one before it removed, after it was written (its checksum was \
         recomputed, so not by a disk fault): the journal cannot be trusted from here on"
    )]
    ChainBroken {
        path: PathBuf,
        line: usize,
        offset: u64,
        recorded: Link,
        computed: Link,
    },
    #[error(
        "journal {path} cannot be replaced: it is {what}, not a regular file; give the \
         path of a new file (or of an earlier journal to overwrite)"
    )]
    NotAFile { path: PathBuf, what: &'static str },
    #[error(
        "journal {path} is format version {found}, this cyberdrill reads versions 1 to \
         {supported}: use the cyberdrill version that recorded it (engine {engine})"
    )]
    UnsupportedVersion {
        path: PathBuf,
        found: u32,
        supported: u32,
        engine: String,
    },
    #[error("journal {path} {refusal}")]
    UnsupportedHashVersion {
        path: PathBuf,
        refusal: UnsupportedHashVersion,
    },
    #[error("cannot encode a journal record: {0}")]
    Encode(#[from] serde_json::Error),
}

/// A journal's header names a state hash version this build does not compute
/// ([`Header::checked_hash_version`]). Raised in [`JournalError::UnsupportedHashVersion`]
/// (reading a file, which names it) and `ReplayError::UnsupportedHashVersion` (replaying
/// or resuming a journal held in memory), which put the journal before these words.
///
/// Not an error of its own: its message is the predicate of a sentence whose subject is
/// the journal ("journal x.journal records its state hashes with ...").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnsupportedHashVersion {
    /// The header's `hash_version`.
    pub found: u32,
    /// The latest version this build computes (it computes 1 to this).
    pub supported: u32,
    /// The engine version that recorded the journal, which knows `found`.
    pub engine: String,
}

impl fmt::Display for UnsupportedHashVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Self {
            found,
            supported,
            engine,
        } = self;
        write!(
            f,
            "records its state hashes with hash version {found} (its header's \
             \"hash_version\"), and this cyberdrill computes versions 1 to {supported}: \
             replay or resume it with a cyberdrill that knows version {found}, such as the \
             one that recorded it (engine {engine})"
        )
    }
}

#[cfg(test)]
mod tests;
