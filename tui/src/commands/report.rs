//! `cyberdrill report`: the after-action report of a journaled exercise, for the
//! debrief (HTML with charts) or the forum's minutes (Markdown).

use std::path::PathBuf;

use anyhow::{Context, bail};
use cyberdrill_engine::journal::read_journal;

use crate::report::{self, html, markdown, what_if};

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
    /// Add a "What if" section: the exercise played again without some of the teams'
    /// moves (nobody acting, each cooperative kind of move, the single moves that
    /// mattered most), beside the exercise as played. Off by default: it replays the
    /// exercise hundreds of times.
    #[arg(long)]
    pub what_if: bool,
    /// Random streams each what-if is played on (with --what-if).
    #[arg(long, value_name = "N")]
    pub seeds: Option<u64>,
    /// Single moves, those that mattered most, the what-if section plays (with --what-if).
    #[arg(long, value_name = "K")]
    pub what_if_commands: Option<usize>,
}

/// Replays the journal (verifying its state hashes, so the report tells what really
/// happened) and writes the report.
pub fn run(args: &ReportArgs) -> anyhow::Result<()> {
    let what_if = what_if_options(args)?;
    let journal = read_journal(&args.journal)?;
    for notice in journal.notices() {
        eprintln!("notice: {}: {notice}", args.journal.display());
    }
    let mut input = report::from_journal(&journal)?;
    if let Some(options) = what_if {
        input.what_if = Some(what_if::compute(&journal, &input, options)?);
    }
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

/// The what-if section's options, or `None` when it was not asked for; the options that
/// only mean something with `--what-if` are refused without it.
fn what_if_options(args: &ReportArgs) -> anyhow::Result<Option<what_if::Options>> {
    if !args.what_if {
        if args.seeds.is_some() || args.what_if_commands.is_some() {
            bail!(
                "--seeds and --what-if-commands shape the what-if section: add --what-if to \
                 ask for it"
            );
        }
        return Ok(None);
    }
    let defaults = what_if::Options::default();
    let seeds = args.seeds.unwrap_or(defaults.seeds);
    if seeds == 0 {
        bail!(
            "--seeds must be at least 1 (each what-if is played on that many random streams; \
             default {})",
            defaults.seeds
        );
    }
    Ok(Some(what_if::Options {
        seeds,
        commands: args.what_if_commands.unwrap_or(defaults.commands),
    }))
}
