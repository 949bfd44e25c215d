//! Scoring a run against the file's expected actions and training objectives, for the
//! after-action report.
//!
//! An expected action is scored as OpenBAS scores its expectations: its points are won
//! by each expected team that takes the action (an accepted command of that kind) within
//! `within` ticks of the inject firing, else lost; one without a command is left to the
//! evaluators. A training objective is attained by a team that reaches the minimum of
//! every linked objective and expected action that applies to it (HSEEP 2020: exercise
//! objectives evaluated against their criteria; the Open Cyber Range's training learning
//! objectives: evaluations with a minimum score).

use serde::Serialize;

use super::model::*;
use crate::command::CommandKind;

/// What a run did, as a replayed journal tells it.
#[derive(Debug, Clone, Copy)]
pub struct RunRecord<'a> {
    /// Per inject, in scenario order: the tick it fired at, if it did.
    pub fired_at: &'a [Option<u32>],
    /// Accepted commands of teams: tick, team, kind.
    pub actions: &'a [(u32, TeamIdx, CommandKind)],
    /// Per objective, in scenario order: its final score, 0-1.
    pub objective_scores: &'a [f64],
}

/// How an expected action came out for one team.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Taken in time: the points are won.
    Met,
    /// Not taken, or too late.
    Missed,
    /// The inject never fired: nothing was expected.
    NotFired,
    /// No command measures it: the evaluators judge.
    ForEvaluators,
}

/// One expected action for one team.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ExpectationResult {
    pub inject: InjectIdx,
    /// Index in the inject's expected actions.
    pub expectation: u32,
    pub team: TeamIdx,
    pub outcome: Outcome,
    /// Tick the action was taken, when met.
    pub taken_at: Option<u32>,
    pub points: u32,
    pub of: u32,
}

/// Every expected action of every inject for every team expected to act, in file order.
pub fn expectations(scenario: &Scenario, run: &RunRecord<'_>) -> Vec<ExpectationResult> {
    let mut results = Vec::new();
    for (i, inject) in scenario.injects.iter().enumerate() {
        let fired = run.fired_at.get(i).copied().flatten();
        for (k, expectation) in inject.msel.expectations.iter().enumerate() {
            for &team in &expectation.teams {
                let (outcome, taken_at) = match (expectation.action, fired) {
                    (None, _) => (Outcome::ForEvaluators, None),
                    (Some(_), None) => (Outcome::NotFired, None),
                    (Some(kind), Some(at)) => {
                        let last = expectation.within.map(|w| at.saturating_add(w));
                        let taken = run
                            .actions
                            .iter()
                            .filter(|(tick, by, done)| *by == team && *done == kind && *tick >= at)
                            .map(|(tick, _, _)| *tick)
                            .find(|tick| last.is_none_or(|last| *tick <= last));
                        match taken {
                            Some(tick) => (Outcome::Met, Some(tick)),
                            None => (Outcome::Missed, None),
                        }
                    }
                };
                results.push(ExpectationResult {
                    inject: InjectIdx(i as u32),
                    expectation: k as u32,
                    team,
                    outcome,
                    taken_at,
                    points: if outcome == Outcome::Met {
                        expectation.score
                    } else {
                        0
                    },
                    of: expectation.score,
                });
            }
        }
    }
    results
}

/// One link of a training objective, for one team.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LinkResult {
    /// The objective's id, or `inject/expectation`.
    pub what: String,
    /// Score reached (0-1); `None`: for the evaluators.
    pub reached: Option<f64>,
    pub min_score: f64,
}

/// Whether one team attained one training objective.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Attainment {
    /// Index in [`Scenario::training_objectives`].
    pub training_objective: usize,
    pub team: TeamIdx,
    /// `None`: every measured link was reached, and some await the evaluators.
    pub attained: Option<bool>,
    pub links: Vec<LinkResult>,
}

/// Attainment of every training objective by every team it is for, in file order.
pub fn attainment(scenario: &Scenario, run: &RunRecord<'_>) -> Vec<Attainment> {
    let results = expectations(scenario, run);
    let mut out = Vec::new();
    for (t, training) in scenario.training_objectives.iter().enumerate() {
        for &team in &training.teams {
            let mut links = Vec::new();
            for link in &training.objectives {
                let Some(objective) = scenario.objectives.get(link.objective.index()) else {
                    continue;
                };
                let applies = match objective.scope {
                    ObjectiveScope::Region => true,
                    ObjectiveScope::Team(owner) => owner == team,
                };
                if applies {
                    links.push(LinkResult {
                        what: objective.id.clone(),
                        reached: run.objective_scores.get(link.objective.index()).copied(),
                        min_score: link.min_score,
                    });
                }
            }
            for link in &training.expectations {
                let Some(result) = results.iter().find(|r| {
                    r.inject == link.inject && r.expectation == link.expectation && r.team == team
                }) else {
                    continue;
                };
                let inject = &scenario.injects[link.inject.index()];
                let id = inject
                    .msel
                    .expectations
                    .get(link.expectation as usize)
                    .map_or("", |e| e.id.as_str());
                links.push(LinkResult {
                    what: format!("{}/{id}", inject.id),
                    reached: (result.outcome != Outcome::ForEvaluators)
                        .then(|| f64::from(result.points) / f64::from(result.of.max(1))),
                    min_score: link.min_score,
                });
            }
            if links.is_empty() {
                continue;
            }
            let missed = links
                .iter()
                .any(|l| l.reached.is_some_and(|r| r < l.min_score));
            let open = links.iter().any(|l| l.reached.is_none());
            out.push(Attainment {
                training_objective: t,
                team,
                attained: match (missed, open) {
                    (true, _) => Some(false),
                    (false, true) => None,
                    (false, false) => Some(true),
                },
                links,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::command::CommandKind::{Contain, ShareIndicators};

    fn scenario() -> Scenario {
        match crate::scenario::parse(include_str!("../../../tests/good/exercise-package.toml")) {
            Ok(checked) => checked.scenario,
            Err(d) => panic!("{d:?}"),
        }
    }

    fn inject(s: &Scenario, id: &str) -> usize {
        s.injects
            .iter()
            .position(|i| i.id == id)
            .unwrap_or(usize::MAX)
    }

    fn team(s: &Scenario, id: &str) -> TeamIdx {
        TeamIdx(
            s.teams
                .iter()
                .position(|t| t.id == id)
                .unwrap_or(usize::MAX) as u32,
        )
    }

    #[test]
    fn an_expected_action_is_met_only_in_time_and_by_its_team() {
        let s = scenario();
        let mut fired = vec![None; s.injects.len()];
        fired[inject(&s, "ransom-begins")] = Some(8);
        let ar = team(&s, "ar-csirt");
        let scores = vec![1.0; s.objectives.len()];
        let score = |actions: &[(u32, TeamIdx, CommandKind)]| {
            let run = RunRecord {
                fired_at: &fired,
                actions,
                objective_scores: &scores,
            };
            expectations(&s, &run)
                .into_iter()
                .find(|r| {
                    r.team == ar
                        && r.inject.index() == inject(&s, "ransom-begins")
                        && r.expectation == 0
                })
                .map(|r| (r.outcome, r.points))
        };
        // `contain` is expected within 3 ticks of tick 8: 100 points.
        assert_eq!(score(&[(10, ar, Contain)]), Some((Outcome::Met, 100)));
        assert_eq!(score(&[(12, ar, Contain)]), Some((Outcome::Missed, 0)));
        assert_eq!(score(&[(7, ar, Contain)]), Some((Outcome::Missed, 0)));
        assert_eq!(
            score(&[(9, ar, ShareIndicators)]),
            Some((Outcome::Missed, 0))
        );
        let nothing_fired = vec![None; s.injects.len()];
        let run = RunRecord {
            fired_at: &nothing_fired,
            actions: &[],
            objective_scores: &scores,
        };
        assert!(
            expectations(&s, &run)
                .iter()
                .all(|r| matches!(r.outcome, Outcome::NotFired | Outcome::ForEvaluators))
        );
    }

    /// Whether `team` attained `training` in `all` (`None`: no such row).
    fn attained(all: &[Attainment], training: usize, team: TeamIdx) -> Option<Option<bool>> {
        all.iter()
            .find(|a| a.training_objective == training && a.team == team)
            .map(|a| a.attained)
    }

    #[test]
    fn a_training_objective_needs_every_link_that_applies_to_the_team() {
        let s = scenario();
        let mut fired = vec![None; s.injects.len()];
        fired[inject(&s, "ransom-begins")] = Some(8);
        let (ar, bo) = (team(&s, "ar-csirt"), team(&s, "bo-csirt"));
        let training = s
            .training_objectives
            .iter()
            .position(|t| t.id == "contain-ransomware")
            .unwrap_or(usize::MAX);
        let keep = s
            .objectives
            .iter()
            .position(|o| o.id == "keep-payments")
            .unwrap_or(usize::MAX);
        let mut scores = vec![0.0; s.objectives.len()];
        scores[keep] = 0.75;
        let actions = [(9, ar, Contain)];
        let run = RunRecord {
            fired_at: &fired,
            actions: &actions,
            objective_scores: &scores,
        };
        let all = attainment(&s, &run);
        let of = |team| attained(&all, training, team);
        assert_eq!(of(ar), Some(Some(true)));
        assert_eq!(of(bo), Some(Some(true)));
        scores[keep] = 0.5;
        let run = RunRecord {
            fired_at: &fired,
            actions: &[],
            objective_scores: &scores,
        };
        let all = attainment(&s, &run);
        let of = |team| attained(&all, training, team);
        assert_eq!(of(ar), Some(Some(false)));
        assert_eq!(of(bo), Some(Some(false)));
    }
}
