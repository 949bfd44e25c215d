//! `cyberdrill balance`: is a scenario playable and does it discriminate? Runs every bot
//! policy over the same seeds and reports, per policy, the objectives never or always
//! met, the injects never or always fired (an inject with a condition that never fires
//! has a condition that never holds), the campaigns that never start, and the spread of
//! the regional loss. For authors, and for the CI of scenario repositories
//! (`--deny-warnings` fails on anything that looks like a mistake).
//!
//! Exercise design wants each objective reachable and none given away, each inject
//! reached by play (US HSEEP 2020, exercise design and the master scenario events list;
//! ENISA 2009 good practice guide on exercises, scenario validation).

use std::collections::BTreeMap;
use std::fmt::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use cyberdrill_engine::Simulation;
use cyberdrill_engine::money;
use cyberdrill_engine::policy::Policy;
use cyberdrill_engine::scenario::Scenario;
use rayon::prelude::*;
use serde::Serialize;

use super::batch::summary::percentile;
use super::outcome::{RunOutcome, load_named, play_bots};

/// Arguments of `cyberdrill balance`.
#[derive(Debug, clap::Args)]
pub struct BalanceArgs {
    /// Scenario file (TOML), or the name of a bundled scenario.
    pub file: PathBuf,
    /// Seeds to run per policy (seeds 1..=N).
    #[arg(long, default_value_t = 50)]
    pub runs: u64,
    /// Bot policies, comma-separated (default: all of them).
    #[arg(long, value_delimiter = ',')]
    pub policy: Vec<Policy>,
    /// Exit with status 1 when there is any warning (for CI).
    #[arg(long)]
    pub deny_warnings: bool,
    /// Print the statistics as JSON instead of text.
    #[arg(long)]
    pub json: bool,
}

/// How often something happened over one policy's runs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Count {
    pub id: String,
    /// Runs in which it happened (objective met, inject fired, campaign started).
    pub runs: u64,
}

/// One policy's statistics over the seeds.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PolicyStats {
    pub policy: String,
    pub runs: u64,
    pub objectives_met: Vec<Count>,
    pub injects_fired: Vec<Count>,
    pub campaigns_started: Vec<Count>,
    /// Regional loss p5, p50, p95 (US dollars).
    pub loss: [f64; 3],
    /// Mean objective score over the runs, per objective, 0-1.
    pub mean_scores: Vec<f64>,
}

/// Something an author should look at: a warning fails `--deny-warnings`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub warning: bool,
    pub text: String,
}

/// The whole report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Balance {
    pub scenario: String,
    pub seeds: [u64; 2],
    pub policies: Vec<PolicyStats>,
    pub findings: Vec<Finding>,
}

/// Runs `balance`.
pub fn run(args: &BalanceArgs) -> anyhow::Result<ExitCode> {
    if args.runs == 0 {
        anyhow::bail!("--runs must be at least 1");
    }
    let loaded = load_named(&args.file)?;
    let policies = if args.policy.is_empty() {
        Policy::ALL.to_vec()
    } else {
        let mut unique = Vec::new();
        for p in &args.policy {
            if !unique.contains(p) {
                unique.push(*p);
            }
        }
        unique
    };
    let balance = measure(&loaded.name, &loaded.scenario, args.runs, &policies)?;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&balance)?);
    } else {
        print!("{}", render(&balance, &loaded.scenario));
    }
    let warnings = balance.findings.iter().filter(|f| f.warning).count();
    Ok(if args.deny_warnings && warnings > 0 {
        eprintln!("balance: {warnings} warning(s) and --deny-warnings");
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

/// Plays `runs` seeds under each policy and gathers the statistics and findings.
pub fn measure(
    name: &str,
    scenario: &Scenario,
    runs: u64,
    policies: &[Policy],
) -> anyhow::Result<Balance> {
    let mut stats = Vec::new();
    for &policy in policies {
        let outcomes: Vec<RunOutcome> = (1..=runs)
            .into_par_iter()
            .map(|seed| {
                let mut sim = Simulation::new(scenario.clone(), seed);
                play_bots(&mut sim, policy, u32::MAX)?;
                Ok(RunOutcome::of(&sim, &policy.to_string()))
            })
            .collect::<anyhow::Result<_>>()?;
        stats.push(policy_stats(scenario, policy, &outcomes));
    }
    let findings = findings(scenario, &stats);
    Ok(Balance {
        scenario: name.to_string(),
        seeds: [1, runs],
        policies: stats,
        findings,
    })
}

fn policy_stats(scenario: &Scenario, policy: Policy, outcomes: &[RunOutcome]) -> PolicyStats {
    let count = |ids: Vec<String>, happened: &dyn Fn(&RunOutcome, &str) -> bool| {
        ids.into_iter()
            .map(|id| Count {
                runs: outcomes.iter().filter(|o| happened(o, &id)).count() as u64,
                id,
            })
            .collect::<Vec<_>>()
    };
    let objectives = scenario.objectives.iter().map(|o| o.id.clone()).collect();
    let injects = scenario.injects.iter().map(|i| i.id.clone()).collect();
    let campaigns = scenario.campaigns.iter().map(|c| c.id.clone()).collect();
    let mut losses: Vec<f64> = outcomes.iter().map(|o| o.metrics.regional_loss).collect();
    losses.sort_by(f64::total_cmp);
    let mean_scores = scenario
        .objectives
        .iter()
        .map(|objective| {
            let sum: f64 = outcomes
                .iter()
                .filter_map(|o| o.objectives.iter().find(|s| s.id == objective.id))
                .map(|s| s.score)
                .sum();
            sum / outcomes.len().max(1) as f64
        })
        .collect();
    PolicyStats {
        policy: policy.to_string(),
        runs: outcomes.len() as u64,
        objectives_met: count(objectives, &|o, id| {
            o.objectives.iter().any(|s| s.id == id && s.score >= 1.0)
        }),
        injects_fired: count(injects, &|o, id| o.injects_fired.iter().any(|f| f.id == id)),
        campaigns_started: count(campaigns, &|o, id| {
            o.campaigns
                .iter()
                .any(|c| c.id == id && c.started_at.is_some())
        }),
        loss: [
            percentile(&losses, 5.0),
            percentile(&losses, 50.0),
            percentile(&losses, 95.0),
        ],
        mean_scores,
    }
}

/// In how many runs of each policy `id` happened, by `pick` from the policy's counts.
fn across(stats: &[PolicyStats], pick: fn(&PolicyStats) -> &[Count], id: &str) -> Vec<(u64, u64)> {
    stats
        .iter()
        .map(|s| {
            let happened = pick(s).iter().find(|c| c.id == id).map_or(0, |c| c.runs);
            (happened, s.runs)
        })
        .collect()
}

/// What an author should look at. Warnings: an objective no policy ever meets (out of
/// reach), or that every policy always meets, idle bots included (given away); an
/// inject that never fires under any policy (its condition never holds); a campaign
/// that never starts. Notes: what holds only under some policies.
fn findings(scenario: &Scenario, stats: &[PolicyStats]) -> Vec<Finding> {
    let mut out = Vec::new();
    let policies = stats.len();
    let idle_included = stats.iter().any(|s| s.policy == Policy::Idle.to_string());
    for objective in &scenario.objectives {
        let met = across(stats, |s| &s.objectives_met, &objective.id);
        if met.iter().all(|(n, _)| *n == 0) {
            out.push(Finding {
                warning: true,
                text: format!(
                    "objective `{}` is never met, under any of the {policies} policies: out of reach?",
                    objective.id
                ),
            });
        } else if idle_included && met.iter().all(|(n, runs)| n == runs) {
            out.push(Finding {
                warning: true,
                text: format!(
                    "objective `{}` is always met, even by idle teams: it asks nothing of the players",
                    objective.id
                ),
            });
        }
    }
    for inject in &scenario.injects {
        let fired = across(stats, |s| &s.injects_fired, &inject.id);
        if fired.iter().all(|(n, _)| *n == 0) {
            out.push(Finding {
                warning: true,
                text: format!(
                    "inject `{}` never fires, under any policy: its condition never holds",
                    inject.id
                ),
            });
        } else if let Some((missing, _)) = stats.iter().zip(&fired).find(|(_, (n, _))| *n == 0) {
            out.push(Finding {
                warning: false,
                text: format!(
                    "inject `{}` never fires under the {} policy",
                    inject.id, missing.policy
                ),
            });
        }
    }
    for campaign in &scenario.campaigns {
        let started = across(stats, |s| &s.campaigns_started, &campaign.id);
        if started.iter().all(|(n, _)| *n == 0) {
            out.push(Finding {
                warning: true,
                text: format!("campaign `{}` never starts, under any policy", campaign.id),
            });
        }
    }
    out
}

/// `3/50`, `never`, `always`.
fn share(runs: u64, of: u64) -> String {
    match runs {
        0 => "never".to_string(),
        n if n == of => "always".to_string(),
        n => format!("{n}/{of}"),
    }
}

/// The report as text: a table per kind (rows: ids, columns: policies), the loss spread,
/// then the findings.
pub fn render(balance: &Balance, scenario: &Scenario) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "balance of {} over seeds {}..={} per policy\n",
        balance.scenario, balance.seeds[0], balance.seeds[1]
    );
    let policies: Vec<&str> = balance.policies.iter().map(|s| s.policy.as_str()).collect();
    let width = scenario
        .objectives
        .iter()
        .map(|o| o.id.len())
        .chain(scenario.injects.iter().map(|i| i.id.len()))
        .chain(scenario.campaigns.iter().map(|c| c.id.len()))
        .chain(["regional loss p50 [p5, p95]".len()])
        .max()
        .unwrap_or(0);
    let header = |out: &mut String, title: &str| {
        let _ = write!(out, "{title:<width$}");
        for p in &policies {
            let _ = write!(out, "  {p:>26}");
        }
        out.push('\n');
    };
    type Pick = fn(&PolicyStats) -> &[Count];
    let sections: [(&str, Pick); 3] = [
        ("objective met", |s| &s.objectives_met),
        ("inject fired", |s| &s.injects_fired),
        ("campaign started", |s| &s.campaigns_started),
    ];
    for (title, pick) in sections {
        let ids: Vec<&str> = balance
            .policies
            .first()
            .map(|s| pick(s).iter().map(|c| c.id.as_str()).collect())
            .unwrap_or_default();
        if ids.is_empty() {
            continue;
        }
        header(&mut out, title);
        for id in ids {
            let _ = write!(out, "{id:<width$}");
            for s in &balance.policies {
                let runs = pick(s).iter().find(|c| c.id == id).map_or(0, |c| c.runs);
                let mut cell = share(runs, s.runs);
                if title == "objective met" {
                    let at = scenario.objectives.iter().position(|o| o.id == id);
                    if let Some(score) = at.and_then(|i| s.mean_scores.get(i)) {
                        let _ = write!(cell, " (score {:.0}%)", score * 100.0);
                    }
                }
                let _ = write!(out, "  {cell:>26}");
            }
            out.push('\n');
        }
        out.push('\n');
    }
    header(&mut out, "");
    let _ = write!(out, "{:<width$}", "regional loss p50 [p5, p95]");
    for s in &balance.policies {
        let [p5, p50, p95] = s.loss;
        let cell = format!(
            "{} [{}, {}]",
            money::short(p50),
            money::short(p5),
            money::short(p95)
        );
        let _ = write!(out, "  {cell:>26}");
    }
    // The p50 in context: its share of the region's output for the exercise.
    let output = cyberdrill_engine::economics::exercise_output(scenario, None);
    let _ = write!(out, "\n{:<width$}", "p50's share of the output");
    for s in &balance.policies {
        let _ = write!(out, "  {:>26}", money::share(s.loss[1], output));
    }
    out.push_str("\n\n");
    let mut by_kind: BTreeMap<bool, Vec<&Finding>> = BTreeMap::new();
    for f in &balance.findings {
        by_kind.entry(!f.warning).or_default().push(f);
    }
    if balance.findings.is_empty() {
        out.push_str("no warning: every objective is reachable and none is given away, every inject fires, every campaign starts\n");
    }
    for (note, findings) in by_kind {
        for f in findings {
            let _ = writeln!(out, "{}: {}", if note { "note" } else { "warning" }, f.text);
        }
    }
    out
}
