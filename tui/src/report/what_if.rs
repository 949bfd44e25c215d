//! The report's "What if" section, for the hot wash: what the exercise would likely have
//! cost had the teams not made some of the moves they made.
//!
//! Counterfactual replay by simulation (Pearl, *Causality*, 2009, ch. 7), on the engine's
//! [`branch`]: the exercise as recorded up to a branch point, with some moves never made,
//! then bots (the journal's, else cooperative) play every team to the end on `seeds`
//! random streams, never making those moves (a bot would otherwise make a left-out move
//! again a tick later). Beside each: the exercise as recorded to the same tick, then the
//! same bots on the same streams, so that the gap between the two spreads is what the
//! moves did, not luck (common random numbers, Law 2015, *Simulation Modeling and
//! Analysis*, ch. 11). Stream 0 continues the recorded stream: for a bot-played journal
//! the "as played" spread contains the recorded outcome itself.
//!
//! Which moves: nobody acting at all (from tick 0, the idle policy); every command of each
//! kind the forum's cooperation turns on (indicators shared, mutual legal assistance,
//! legal action, takedowns, decisions), kind by kind, branching at the first of them; and
//! the single team commands that mattered most, branching right after each: every team
//! command but messages is first left out alone on the recorded stream, and those that
//! moved the regional loss most are played on every stream.
//!
//! Same journal and options, same section: the runs are spread over threads and
//! collected in order.

use std::collections::{BTreeMap, BTreeSet};

use cyberdrill_engine::branch::{self, BranchError, Counterfactual, Figures, Never};
use cyberdrill_engine::command::{Actor, Command, CommandKind};
use cyberdrill_engine::journal::{Journal, Record};
use cyberdrill_engine::money::{brief, in_context};
use cyberdrill_engine::policy::Policy;
use cyberdrill_engine::scenario::model::TeamIdx;
use rayon::prelude::*;

use super::ReportInput;
use super::tables::Table;
use crate::text::percent_to;

/// Random streams each counterfactual is played on, unless told otherwise.
pub const DEFAULT_SEEDS: u64 = 20;
/// Individual commands played on every stream, unless told otherwise.
pub const DEFAULT_COMMANDS: usize = 5;

/// The kinds of command left out kind by kind: the moves of cross-border cooperation
/// and deterrence the APEC strategy and the ITU forum teach, and the decision points.
pub const KINDS: [CommandKind; 5] = [
    CommandKind::ShareIndicators,
    CommandKind::MutualLegalAssistance,
    CommandKind::LegalAction,
    CommandKind::Takedown,
    CommandKind::Decide,
];

/// How much the section plays.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Options {
    /// Random streams per counterfactual (at least 1).
    pub seeds: u64,
    /// Individual commands, the ones that mattered most, played on every stream.
    pub commands: usize,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            seeds: DEFAULT_SEEDS,
            commands: DEFAULT_COMMANDS,
        }
    }
}

/// p5, p50 and p95 of each figure over the runs.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Spread {
    pub p5: Figures,
    pub p50: Figures,
    pub p95: Figures,
}

impl Spread {
    fn of(runs: &[Figures]) -> Spread {
        Spread {
            p5: branch::spread(runs, 5.0),
            p50: branch::spread(runs, 50.0),
            p95: branch::spread(runs, 95.0),
        }
    }
}

/// One counterfactual, beside the exercise as played on the same random streams.
#[derive(Debug, Clone, PartialEq)]
pub struct Case {
    /// What was left out, for the table ("nobody acted", "no share indicators", ...).
    pub title: String,
    /// The same as the start of a sentence ("Had nobody acted", ...).
    pub had: String,
    /// The branch point: the exercise as recorded before this tick, then the bots.
    pub from: u32,
    /// The journal records left out (numbered from 1, as `cyberdrill branch` takes them).
    pub left_out: Vec<usize>,
    pub without: Spread,
    pub as_played: Spread,
    /// Recorded commands before the branch point the changed history no longer allowed
    /// (they were skipped).
    pub skipped: usize,
}

/// The whole section.
#[derive(Debug, Clone, PartialEq)]
pub struct WhatIf {
    pub seeds: u64,
    /// How the bots play every team after each branch point.
    pub policy: Policy,
    /// The recorded outcome.
    pub recorded: Figures,
    /// The region's output (GDP) over the exercise, US dollars: what every regional loss
    /// of the section is a share of.
    pub output: f64,
    /// Team commands left out one by one on the recorded stream to find those that
    /// mattered.
    pub screened: usize,
    /// How many of the cases are single commands (the last ones).
    pub singles: usize,
    pub cases: Vec<Case>,
}

/// A counterfactual before it is played.
struct Plan {
    title: String,
    had: String,
    change: Counterfactual,
}

/// Plays the section's counterfactuals of `journal` (whose report input is `input`, for
/// names).
pub fn compute(
    journal: &Journal,
    input: &ReportInput,
    options: Options,
) -> Result<WhatIf, BranchError> {
    let seeds = options.seeds.max(1);
    let recorded = branch::actual(journal)?;
    let policy = journal
        .header
        .bots
        .as_deref()
        .and_then(|p| p.parse::<Policy>().ok())
        .unwrap_or(Policy::Cooperative);
    let moves: Vec<(usize, u32, TeamIdx, &Command)> = journal
        .records
        .iter()
        .enumerate()
        .filter_map(|(i, r)| match r {
            Record::Command {
                tick,
                actor: Actor::Team(team),
                command,
                ..
            } if command.kind() != CommandKind::Message => Some((i + 1, *tick, *team, command)),
            _ => None,
        })
        .collect();

    let mut plans = Vec::new();
    if !moves.is_empty() {
        plans.push(Plan {
            title: "nobody acted".to_string(),
            had: "Had no team acted at all".to_string(),
            change: Counterfactual::bots_from(0, Policy::Idle),
        });
    }
    for kind in KINDS {
        let of_kind: Vec<u32> = moves
            .iter()
            .filter(|m| m.3.kind() == kind)
            .map(|m| m.1)
            .collect();
        let Some(&first) = of_kind.first() else {
            continue;
        };
        plans.push(Plan {
            title: format!("no {}", kind.label()),
            had: format!(
                "Had no team issued \"{}\" (the {} recorded, from tick {first})",
                kind.label(),
                of_kind.len()
            ),
            change: Counterfactual {
                never: vec![Never::Kind(kind)],
                ..Counterfactual::bots_from(first, policy)
            },
        });
    }

    // Screening: each move left out alone, on the recorded random stream, against the
    // exercise as played to the same tick.
    let single =
        |&(record, tick, team, command): &(usize, u32, TeamIdx, &Command)| Counterfactual {
            without_commands: vec![record],
            never: vec![Never::Command(team, command.clone())],
            ..Counterfactual::bots_from(tick + 1, policy)
        };
    let screen_ats: BTreeSet<u32> = moves.iter().map(|m| m.1 + 1).collect();
    let screen_base: BTreeMap<u32, Figures> = screen_ats
        .into_par_iter()
        .map(|at| branch::play(journal, &Counterfactual::bots_from(at, policy), 0).map(|f| (at, f)))
        .collect::<Result<_, _>>()?;
    let moved: Vec<f64> = moves
        .par_iter()
        .map(|m| {
            let base = screen_base
                .get(&(m.1 + 1))
                .map_or(recorded.loss, |f| f.loss);
            branch::play(journal, &single(m), 0).map(|f| (f.loss - base).abs())
        })
        .collect::<Result<_, _>>()?;
    let mut ranked: Vec<(usize, f64)> = moved.into_iter().enumerate().collect();
    ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    let before = plans.len();
    for &(index, moved) in ranked.iter().take(options.commands) {
        if moved <= 0.0 {
            break;
        }
        let m = &moves[index];
        let (record, tick, team, command) = *m;
        let who = input.actor_name(Actor::Team(team));
        let on = input.describe(command);
        let on = if on.is_empty() {
            String::new()
        } else {
            format!(" on {on}")
        };
        plans.push(Plan {
            title: format!("record {record}: {who} {}{on}", command.label()),
            had: format!(
                "Had {who} not issued \"{}\"{on} (tick {tick}, record {record})",
                command.label()
            ),
            change: single(m),
        });
    }
    let singles = plans.len() - before;

    // Every run: the counterfactuals, then one baseline per tick they branch at.
    let ats: Vec<u32> = plans
        .iter()
        .map(|p| p.change.at)
        .collect::<BTreeSet<u32>>()
        .into_iter()
        .collect();
    let mut jobs: Vec<Counterfactual> = plans.iter().map(|p| p.change.clone()).collect();
    let baseline_job: BTreeMap<u32, usize> = ats
        .iter()
        .enumerate()
        .map(|(i, &at)| (at, plans.len() + i))
        .collect();
    jobs.extend(ats.iter().map(|&at| Counterfactual::bots_from(at, policy)));
    let runs: Vec<Figures> = (0..jobs.len() as u64 * seeds)
        .into_par_iter()
        .map(|i| branch::play(journal, &jobs[(i / seeds) as usize], i % seeds))
        .collect::<Result<_, _>>()?;
    let job_runs = |job: usize| &runs[job * seeds as usize..(job + 1) * seeds as usize];

    let mut cases = Vec::with_capacity(plans.len());
    for (job, plan) in plans.into_iter().enumerate() {
        let baseline = baseline_job.get(&plan.change.at).copied().unwrap_or(job);
        let (_, skipped) = branch::branch_point(journal, &plan.change)?;
        cases.push(Case {
            title: plan.title,
            had: plan.had,
            from: plan.change.at,
            left_out: plan.change.without_commands.clone(),
            without: Spread::of(job_runs(job)),
            as_played: Spread::of(job_runs(baseline)),
            skipped,
        });
    }
    Ok(WhatIf {
        seeds,
        policy,
        recorded,
        output: input.view.economies.iter().map(|e| e.output).sum(),
        screened: moves.len(),
        singles,
        cases,
    })
}

/// What the section says before its sentences and table.
pub fn introduction(what_if: &WhatIf) -> String {
    format!(
        "Each line replays the exercise as recorded up to a branch point, with some moves \
         never made, then lets {} bots play every team to the end on {} random streams \
         (stream 0 continues the recorded one), never making those moves; beside it, the \
         exercise as recorded to the same tick and the same bots on the same streams: the \
         gap between the two is what the moves did, not luck. Recorded outcome: regional \
         loss {}, mean service {}, {} incident(s). The single commands below are the {} of \
         {} team commands whose absence alone moved the loss most on the recorded stream. \
         Each loss's share is of the region's output for the exercise.",
        what_if.policy,
        what_if.seeds,
        in_context(what_if.recorded.loss, what_if.output, "the region"),
        percent_to(what_if.recorded.service, 1),
        what_if.recorded.incidents,
        what_if.singles,
        what_if.screened,
    )
}

/// One sentence per counterfactual: loss, service and incidents, p50 with p5-p95, beside
/// the exercise as played on the same streams.
pub fn sentences(what_if: &WhatIf) -> Vec<String> {
    what_if
        .cases
        .iter()
        .map(|case| {
            let (w, a) = (&case.without, &case.as_played);
            let mut text = format!(
                "{}, regional loss p50 would have been {} (p5 {}, p95 {}) against {} as \
                 played; mean service {} (p5 {}, p95 {}) against {}; incidents {} (p5 {}, \
                 p95 {}) against {}.",
                case.had,
                in_context(w.p50.loss, what_if.output, "the region"),
                super::money(w.p5.loss),
                super::money(w.p95.loss),
                brief(a.p50.loss, what_if.output),
                percent_to(w.p50.service, 1),
                percent_to(w.p5.service, 1),
                percent_to(w.p95.service, 1),
                percent_to(a.p50.service, 1),
                w.p50.incidents,
                w.p5.incidents,
                w.p95.incidents,
                a.p50.incidents,
            );
            if case.skipped > 0 {
                text.push_str(&format!(
                    " {} recorded command(s) before the branch point were no longer possible \
                     and were skipped.",
                    case.skipped
                ));
            }
            text
        })
        .collect()
}

/// The table: each counterfactual's p5/p50/p95 of loss (each with its share of the
/// region's output for the exercise), p50 of service and incidents, each beside the
/// exercise as played.
pub fn table(what_if: &WhatIf) -> Table {
    let mut table = Table::with_columns(&[
        ("what if", false),
        ("branch at tick", true),
        ("loss p5", true),
        ("loss p50", true),
        ("loss p95", true),
        ("as played p50", true),
        ("service p50", true),
        ("as played", true),
        ("incidents p50", true),
        ("as played", true),
    ]);
    for case in &what_if.cases {
        let (w, a) = (&case.without, &case.as_played);
        table.push(vec![
            case.title.clone(),
            case.from.to_string(),
            brief(w.p5.loss, what_if.output),
            brief(w.p50.loss, what_if.output),
            brief(w.p95.loss, what_if.output),
            brief(a.p50.loss, what_if.output),
            percent_to(w.p50.service, 1),
            percent_to(a.p50.service, 1),
            w.p50.incidents.to_string(),
            a.p50.incidents.to_string(),
        ]);
    }
    table
}

#[cfg(test)]
mod tests {
    use cyberdrill_engine::Simulation;
    use cyberdrill_engine::journal::{Header, JournalWriter, read_journal};
    use cyberdrill_engine::replay::Recorder;
    use cyberdrill_engine::scenario::{self, bundled};

    use super::*;
    use crate::outcome::play_bots;
    use crate::report::{from_journal, html, markdown};

    /// A cooperative bot run of the regional scenario, journaled as `run --journal`
    /// writes it.
    fn journal(ticks: u32) -> Journal {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("j");
        let text = bundled::APEC_REGIONAL;
        let checked = scenario::parse(text).expect("bundled scenario");
        let header = Header::new("apec-regional.toml", text, 7, "test").with_bots("cooperative");
        let writer = JournalWriter::create(&path, &header).expect("create");
        let mut recorder = Recorder::new(Simulation::new(checked.scenario, 7), writer);
        play_bots(&mut recorder, Policy::Cooperative, ticks).expect("play");
        read_journal(&path).expect("read")
    }

    #[test]
    fn the_moves_that_mattered_are_played_again_and_leaving_them_out_costs_more() {
        let journal = journal(30);
        let input = from_journal(&journal).expect("replays");
        let options = Options {
            seeds: 5,
            commands: 2,
        };
        let what_if = compute(&journal, &input, options).expect("plays");
        assert_eq!(
            what_if,
            compute(&journal, &input, options).expect("plays"),
            "same journal and options, same section"
        );
        assert_eq!(what_if.policy, Policy::Cooperative, "the journal's bots");
        assert_eq!(what_if.singles, 2);
        let titles: Vec<&str> = what_if.cases.iter().map(|c| c.title.as_str()).collect();
        assert_eq!(titles[0], "nobody acted", "{titles:?}");
        assert!(titles.contains(&"no share indicators"), "{titles:?}");
        assert!(
            what_if.cases[what_if.cases.len() - 2..]
                .iter()
                .all(|c| c.left_out.len() == 1 && c.title.starts_with("record ")),
            "{titles:?}"
        );

        let nobody = &what_if.cases[0];
        assert_eq!(nobody.from, 0);
        assert!(
            nobody.without.p50.loss > nobody.as_played.p50.loss,
            "nobody acting cost no more than the teams' moves: {nobody:?}"
        );
        // Stream 0 of the baseline at tick 0 is the recorded run itself (with 5 streams,
        // p5 and p95 are the smallest and the largest).
        assert!(
            nobody.as_played.p5.loss <= what_if.recorded.loss
                && what_if.recorded.loss <= nobody.as_played.p95.loss,
            "{what_if:?}"
        );

        let sentences = sentences(&what_if);
        assert_eq!(sentences.len(), what_if.cases.len());
        assert!(
            sentences[0].starts_with("Had no team acted at all, regional loss p50 would have been"),
            "{}",
            sentences[0]
        );
        assert_eq!(table(&what_if).rows.len(), what_if.cases.len());
        // Every regional loss is in context: a share of the region's output.
        let region: f64 = input.view.economies.iter().map(|e| e.output).sum();
        assert!(what_if.output > 0.0 && (what_if.output - region).abs() < 1e-6);
        assert!(
            sentences[0].contains(&in_context(nobody.without.p50.loss, region, "the region")),
            "{}",
            sentences[0]
        );
        assert!(introduction(&what_if).contains(&in_context(
            what_if.recorded.loss,
            region,
            "the region"
        )));
        assert_eq!(
            table(&what_if).rows[0][3],
            brief(nobody.without.p50.loss, region)
        );
    }

    #[test]
    fn the_section_is_in_both_formats_only_when_asked_for() {
        let journal = journal(12);
        let mut input = from_journal(&journal).expect("replays");
        let page = html::render(&input).expect("renders");
        let md = markdown::render(&input);
        assert!(!page.contains("<h2>What if</h2>") && !md.contains("## What if"));

        let options = Options {
            seeds: 2,
            commands: 1,
        };
        input.what_if = Some(compute(&journal, &input, options).expect("plays"));
        let page = html::render(&input).expect("renders");
        let md = markdown::render(&input);
        assert!(page.contains("<h2>What if</h2>"), "html");
        assert!(md.contains("\n## What if\n"), "markdown");
        for text in [&page, &md] {
            assert!(text.contains("Had no team acted at all"));
            assert!(text.contains("as played p50"));
        }
    }
}
