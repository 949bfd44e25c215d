//! `cyberdrill report`: the after-action report of a journaled exercise, for the
//! debrief (HTML with charts) or the forum's minutes (Markdown).

use std::path::PathBuf;

use anyhow::Context;
use cyberdrill_engine::journal::read_journal;

use crate::report::{self, html, markdown};

/// Output format of the report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// One self-contained page with charts (no network needed to open it).
    Html,
    /// Markdown tables and lists, for minutes.
    Md,
}

/// Arguments of `cyberdrill report`.
#[derive(Debug, clap::Args)]
pub struct ReportArgs {
    /// Journal of the exercise (written by `run --journal` or `serve --journal`).
    pub journal: PathBuf,
    /// File to write the report to.
    #[arg(long)]
    pub out: PathBuf,
    #[arg(long, value_enum, default_value_t = Format::Html)]
    pub format: Format,
}

/// Replays the journal (verifying its state hashes, so the report tells what really
/// happened) and writes the report.
pub fn run(args: &ReportArgs) -> anyhow::Result<()> {
    let journal = read_journal(&args.journal)?;
    for notice in journal.notices() {
        eprintln!("notice: {}: {notice}", args.journal.display());
    }
    let input = report::from_journal(&journal)?;
    let text = match args.format {
        Format::Html => html::render(&input)?,
        Format::Md => markdown::render(&input),
    };
    std::fs::write(&args.out, text).with_context(|| {
        format!(
            "cannot write the report to {}: check that its directory exists and is writable",
            args.out.display()
        )
    })?;
    eprintln!("report written to {}", args.out.display());
    Ok(())
}
