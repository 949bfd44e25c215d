//! `cyberdrill branch`: what if? Replays a journal to a tick, changes one thing (the
//! bots' policy from there, a team left out, a command never issued) and plays the
//! rest out over many random streams, printing the recorded outcome beside the
//! counterfactual's spread (the engine's [`cyberdrill_engine::branch`]).
//!
//! Runs are spread over a rayon pool and collected in run order, so the output is the
//! same whatever the number of threads.

use std::io::Write;
use std::path::PathBuf;

use anyhow::{Context, bail};
use cyberdrill_engine::branch::{self, Counterfactual, Figures};
use cyberdrill_engine::journal::read_journal;
use cyberdrill_engine::money;
use cyberdrill_engine::policy::Policy;
use rayon::prelude::*;
use serde::Serialize;

use super::workers;

/// Arguments of `cyberdrill branch`.
#[derive(Debug, clap::Args)]
pub struct BranchArgs {
    /// Journal file (written by `run --journal`, `play --journal` or `serve --journal`).
    pub journal: PathBuf,
    /// The branch point: the recorded exercise up to this tick (before the commands
    /// issued at it), then the counterfactual.
    #[arg(long, value_name = "TICK")]
    pub at: u32,
    /// How bots play every team from the branch point: idle, isolated or cooperative
    /// (default: the journal's bots, else cooperative).
    #[arg(long, value_name = "P")]
    pub policy: Option<Policy>,
    /// A team (its id) that does nothing: its recorded commands before the branch point
    /// are dropped and no bot plays it after. May be repeated.
    #[arg(long = "without-team", value_name = "T")]
    pub without_team: Vec<String>,
    /// A recorded command never issued, by its journal record number (as in the
    /// report's decision timeline). May be repeated.
    #[arg(long = "without-command", value_name = "N")]
    pub without_command: Vec<usize>,
    /// Runs of the counterfactual; run 0 keeps the recorded random stream, the others
    /// draw from seeds seed+1, seed+2, ... after the branch point.
    #[arg(long, value_name = "N", default_value_t = 20)]
    pub seeds: u64,
    /// Print one JSON object instead of a table.
    #[arg(long)]
    pub json: bool,
    /// Threads for the runs (default: every core); the output does not depend on it.
    #[arg(long)]
    pub jobs: Option<usize>,
}

/// The recorded outcome beside the counterfactual's spread.
#[derive(Debug, Clone, Serialize)]
pub struct BranchReport {
    pub journal: String,
    pub scenario: String,
    pub seed: u64,
    pub at: u32,
    /// The journal's last tick: every run is played to it.
    pub until: u32,
    pub policy: String,
    pub without_teams: Vec<String>,
    pub without_commands: Vec<usize>,
    pub seeds: u64,
    /// Recorded commands before the branch point that the changed history refused.
    pub skipped_commands: usize,
    /// The region's output (GDP) over the exercise, US dollars: what each run's `loss` is
    /// a share of.
    pub output: f64,
    pub actual: Figures,
    pub p5: Figures,
    pub p50: Figures,
    pub p95: Figures,
    /// Every run's figures, run 0 first.
    pub runs: Vec<Figures>,
}

/// Runs the branch and prints it.
pub fn run(args: &BranchArgs) -> anyhow::Result<()> {
    if args.seeds == 0 {
        bail!("--seeds must be at least 1");
    }
    workers::check_jobs(args.jobs)?;
    let journal = read_journal(&args.journal)?;
    for notice in journal.notices() {
        eprintln!("notice: {}: {notice}", args.journal.display());
    }
    let start = cyberdrill_engine::replay::start(&journal)?;
    let scenario = start.scenario();
    let mut without_teams = Vec::new();
    for id in &args.without_team {
        match scenario.team_by_id(id) {
            Some(team) => without_teams.push(team),
            None => {
                let known: Vec<&str> = scenario.teams.iter().map(|t| t.id.as_str()).collect();
                bail!(
                    "--without-team {id}: no such team in the journal's scenario; its teams \
                     are: {}",
                    known.join(", ")
                )
            }
        }
    }
    let recorded = journal
        .header
        .bots
        .as_deref()
        .and_then(|p| p.parse::<Policy>().ok());
    let policy = args.policy.or(recorded).unwrap_or(Policy::Cooperative);
    let change = Counterfactual {
        without_teams,
        without_commands: args.without_command.clone(),
        ..Counterfactual::bots_from(args.at, policy)
    };
    let (_, skipped) = branch::branch_point(&journal, &change)?;
    let actual = branch::actual(&journal)?;
    let pool = workers::pool(args.jobs)?;
    let runs: Vec<Figures> = pool.install(|| {
        (0..args.seeds)
            .into_par_iter()
            .map(|run| branch::play(&journal, &change, run))
            .collect::<Result<_, _>>()
    })?;
    let spread = |p: f64| branch::spread(&runs, p);
    let report = BranchReport {
        journal: args.journal.display().to_string(),
        scenario: scenario.meta.id.clone(),
        seed: journal.header.seed,
        at: args.at,
        until: journal.last_tick(),
        policy: policy.to_string(),
        without_teams: args.without_team.clone(),
        without_commands: args.without_command.clone(),
        seeds: args.seeds,
        skipped_commands: skipped,
        output: cyberdrill_engine::economics::exercise_output(scenario, None),
        actual,
        p5: spread(5.0),
        p50: spread(50.0),
        p95: spread(95.0),
        runs,
    };
    let mut out = std::io::stdout().lock();
    if args.json {
        serde_json::to_writer(&mut out, &report).context("cannot write the JSON report")?;
        writeln!(out)?;
    } else {
        out.write_all(table(&report).as_bytes())?;
    }
    Ok(())
}

/// The readable table: what was changed, then each figure's recorded value and p5,
/// p50, p95 of the branch (the loss also as a share of the region's output for the
/// exercise).
pub fn table(report: &BranchReport) -> String {
    let mut change = vec![format!("bots play {}", report.policy)];
    for team in &report.without_teams {
        change.push(format!("without {team}"));
    }
    for record in &report.without_commands {
        change.push(format!("without the command of record {record}"));
    }
    let mut out = format!(
        "branch of {} ({}, seed {}) at tick {}: {}; {} run(s) to tick {}\n",
        report.journal,
        report.scenario,
        report.seed,
        report.at,
        change.join(", "),
        report.seeds,
        report.until
    );
    if report.skipped_commands > 0 {
        out.push_str(&format!(
            "{} recorded command(s) before tick {} were no longer possible in the changed \
             history and were skipped\n",
            report.skipped_commands, report.at
        ));
    }
    out.push_str(&format!(
        "{:<12} {:>14} {:>14} {:>14} {:>14}\n",
        "", "recorded", "p5", "p50", "p95"
    ));
    type Cell<'a> = &'a dyn Fn(&Figures) -> String;
    let share = |f: &Figures| money::share(f.loss, report.output);
    let rows: [(&str, Cell); 6] = [
        ("loss", &|f: &Figures| money::exact(f.loss)),
        ("of output", &share),
        ("service", &|f: &Figures| {
            format!("{:.1}%", f.service * 100.0)
        }),
        ("min trust", &|f: &Figures| format!("{:.1}", f.trust)),
        ("incidents", &|f: &Figures| f.incidents.to_string()),
        ("objectives", &|f: &Figures| {
            format!("{:.0}%", f.objectives * 100.0)
        }),
    ];
    for (name, cell) in rows {
        out.push_str(&format!(
            "{name:<12} {:>14} {:>14} {:>14} {:>14}\n",
            cell(&report.actual),
            cell(&report.p5),
            cell(&report.p50),
            cell(&report.p95)
        ));
    }
    out
}
