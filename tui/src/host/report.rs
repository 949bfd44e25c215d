//! The after-action report of the exercise so far, as the host's callers make it for
//! the facilitator ([`super::Output::Report`]): by replaying the journal and checking
//! every recorded state hash on the way, exactly as `cyberdrill report` does, from the
//! journal file when there is one (so that what is reported is what is on disk), else
//! from the journal the host keeps in memory.

use std::fmt;
use std::path::{Path, PathBuf};

use cyberdrill_engine::journal::{Journal, Record, read_journal};

use crate::net::protocol::ServerMsg;
use crate::report::{self, ReportError, html};

/// Where the journal to report on is.
#[derive(Debug, Clone)]
pub enum Source {
    /// The exercise's journal file.
    File(PathBuf),
    /// The host's journal in memory (an exercise without a journal file).
    Memory(Box<Journal>),
}

/// The report as a message for the seat that asked: the HTML page and its file name
/// (`cyberdrill-report-<scenario>-tick<N>.html`), or why there is none.
pub fn make(source: Source) -> ServerMsg {
    match render(source) {
        Ok((file_name, html)) => ServerMsg::Report { file_name, html },
        Err(reason) => ServerMsg::ReportFailed { reason },
    }
}

fn render(source: Source) -> Result<(String, String), String> {
    // Reading the file and replaying it are both the journal failing to verify.
    let unverified = |e: &dyn fmt::Display| {
        format!("the journal does not verify, so no report was written: {e}")
    };
    let journal = match source {
        Source::File(path) => read_journal(&path).map_err(|e| unverified(&e))?,
        Source::Memory(journal) => *journal,
    };
    let input = report::from_journal(&journal).map_err(|e| match e {
        ReportError::Replay(e) => unverified(&e),
        other => other.to_string(),
    })?;
    let page = html::render(&input).map_err(|e| format!("cannot draw the report: {e:#}"))?;
    Ok((file_name(&journal), page))
}

/// `cyberdrill-report-<scenario>-tick<N>.html`, N the ticks the journal holds.
pub fn file_name(journal: &Journal) -> String {
    let stem = Path::new(&journal.header.scenario_file)
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut name: String = stem
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect();
    if name.is_empty() {
        name = "exercise".to_string();
    }
    let tick = journal
        .records
        .iter()
        .rev()
        .find_map(|r| match r {
            Record::Step { tick, .. } => Some(*tick),
            _ => None,
        })
        .unwrap_or(0);
    format!("cyberdrill-report-{name}-tick{tick}.html")
}
