//! `[[training_objective]]`: what the exercise trains, after HSEEP 2020 (exercise
//! objectives aligned to core capabilities, evaluated against criteria) and the Open
//! Cyber Range scenario language (training learning objectives evaluated by metrics
//! with a minimum score): each is measured by scenario objectives and inject expected
//! actions, each with the minimum a team must reach.

use super::super::diagnostic::Code;
use super::super::model::*;
use super::super::raw::RawTrainingObjective;
use super::super::spans::Seg::{Index as I, Key as K};
use super::{Validator, at};

/// Score (0-1) an objective must reach when the link does not say.
pub const DEFAULT_OBJECTIVE_MIN_SCORE: f64 = 0.5;
/// Share of an expected action's points to win when the link does not say: all of them.
pub const DEFAULT_EXPECTATION_MIN_SCORE: f64 = 1.0;

/// Checks every training objective's links and teams.
pub(super) fn build(
    cx: &mut Validator<'_>,
    objectives: &[Objective],
    injects: &[Inject],
) -> Vec<TrainingObjective> {
    let raw = cx.raw;
    raw.training_objectives
        .iter()
        .enumerate()
        .filter_map(|(i, t)| training_objective(cx, i, t, objectives, injects))
        .collect()
}

fn training_objective(
    cx: &mut Validator<'_>,
    i: usize,
    t: &RawTrainingObjective,
    objectives: &[Objective],
    injects: &[Inject],
) -> Option<TrainingObjective> {
    if t.name.trim().is_empty() {
        cx.error(
            Code::EmptyValue,
            at("training_objective", i, &[K("name")]),
            "`name` is empty",
            Some("say in one line what the teams should be able to do".into()),
        );
    }
    if t.objectives.is_empty() && t.expectations.is_empty() {
        cx.error(
            Code::EmptyValue,
            at("training_objective", i, &[K("id")]),
            format!("training objective `{}` is measured by nothing", t.id),
            Some("link it to `objectives = [{ objective = ID, min_score = 0.6 }]` or to expected actions `expectations = [{ inject = ID, expectation = ID }]`".into()),
        );
    }
    let mut ok = true;
    let mut scored: Vec<TeamIdx> = Vec::new();
    let all_teams = || (0..cx.raw.teams.len()).map(|k| TeamIdx(k as u32));
    let mut links = Vec::new();
    for (k, link) in t.objectives.iter().enumerate() {
        let min_score = link.min_score.unwrap_or(DEFAULT_OBJECTIVE_MIN_SCORE);
        cx.check_unit(
            at(
                "training_objective",
                i,
                &[K("objectives"), I(k), K("min_score")],
            ),
            "min_score",
            min_score,
        );
        let path = [K("objectives"), I(k), K("objective")];
        let place = at("training_objective", i, &path);
        let Some(objective) = cx.objective(&link.objective, place) else {
            ok = false;
            continue;
        };
        match objectives.get(objective.index()).map(|o| o.scope) {
            Some(ObjectiveScope::Team(team)) => scored.push(team),
            Some(ObjectiveScope::Region) => scored.extend(all_teams()),
            None => ok = false,
        }
        links.push(ObjectiveLink {
            objective,
            min_score,
        });
    }
    let mut expectation_links = Vec::new();
    for (k, link) in t.expectations.iter().enumerate() {
        let min_score = link.min_score.unwrap_or(DEFAULT_EXPECTATION_MIN_SCORE);
        cx.check_unit(
            at(
                "training_objective",
                i,
                &[K("expectations"), I(k), K("min_score")],
            ),
            "min_score",
            min_score,
        );
        let Some(inject) = cx.inject(
            &link.inject,
            at(
                "training_objective",
                i,
                &[K("expectations"), I(k), K("inject")],
            ),
        ) else {
            ok = false;
            continue;
        };
        let path = [K("expectations"), I(k), K("expectation")];
        let place = at("training_objective", i, &path);
        let Some(expectation) = cx.expectation(&link.inject, &link.expectation, place) else {
            ok = false;
            continue;
        };
        match injects
            .get(inject.index())
            .and_then(|i| i.msel.expectations.get(expectation as usize))
        {
            Some(e) => scored.extend(&e.teams),
            None => ok = false,
        }
        expectation_links.push(ExpectationLink {
            inject,
            expectation,
            min_score,
        });
    }
    scored.sort_unstable();
    scored.dedup();
    let mut teams = Vec::new();
    for (k, name) in t.teams.iter().enumerate() {
        let path = [K("teams"), I(k)];
        let place = at("training_objective", i, &path);
        let Some(team) = cx.team(name, place) else {
            ok = false;
            continue;
        };
        if ok && !scored.contains(&team) {
            cx.warning(
                Code::NoEffect,
                place,
                format!("no linked objective or expected action scores `{name}`"),
                Some("its attainment cannot be measured; link an objective or expected action of this team, or remove it".into()),
            );
        }
        teams.push(team);
    }
    if t.teams.is_empty() {
        teams = scored;
    }
    teams.sort_unstable();
    teams.dedup();
    ok.then(|| TrainingObjective {
        id: t.id.clone(),
        name: t.name.clone(),
        description: t.description.clone(),
        capability: t.capability,
        objectives: links,
        expectations: expectation_links,
        teams,
    })
}

#[cfg(test)]
mod tests {
    use super::super::fixture::{SMALL, check, ok};
    use crate::scenario::model::*;

    const EXPECT: &str = "expect = [{ id = \"ask\", description = \"Ask the partner for help\", action = \"request_assistance\" }]\n";

    #[test]
    fn links_resolve_and_teams_follow_what_is_scored() {
        let text = format!(
            "{}
[[training_objective]]
id = \"cooperate\"
name = \"Ask partners for help early\"
capability = \"operational_coordination\"
objectives = [{{ objective = \"keep-payments\", min_score = 0.7 }}]
expectations = [{{ inject = \"minister-call\", expectation = \"ask\" }}]
",
            SMALL.replace(
                "to = [\"ar-csirt\", \"bo-csirt\"]\n",
                &format!("to = [\"ar-csirt\", \"bo-csirt\"]\n{EXPECT}")
            )
        );
        let s = ok(&text).scenario;
        let t = &s.training_objectives[0];
        assert_eq!(t.capability, Some(CoreCapability::OperationalCoordination));
        assert_eq!(t.objectives[0].objective, ObjectiveIdx(0));
        assert_eq!(t.objectives[0].min_score, 0.7);
        assert_eq!(
            (
                t.expectations[0].inject,
                t.expectations[0].expectation,
                t.expectations[0].min_score
            ),
            (InjectIdx(2), 0, 1.0)
        );
        // keep-payments scores bo-csirt; the expected action, both receivers.
        assert_eq!(t.teams, vec![TeamIdx(0), TeamIdx(1)]);
    }

    #[test]
    fn the_capability_is_one_of_hseep_core_capabilities() {
        check(&format!(
            "{SMALL}
[[training_objective]]
id = \"t\"
name = \"T\"
capability = \"cybersecurty\"
#            ^^^^^^^^^^^^^^ error[unknown-value]: unknown value `cybersecurty` for `training_objective[0].capability`
objectives = [{{ objective = \"keep-payments\" }}]
"
        ));
    }

    #[test]
    fn bad_links() {
        check(&format!(
            "{SMALL}
[[training_objective]]
id = \"nothing\"
#    ^^^^^^^^^ error[empty-value]: training objective `nothing` is measured by nothing
name = \" \"
#      ^^^ error[empty-value]: `name` is empty

[[training_objective]]
id = \"links\"
name = \"L\"
objectives = [{{ objective = \"keep-payment\", min_score = 1.5 }}]
#                           ^^^^^^^^^^^^^^ error[unknown-reference]: unknown objective `keep-payment`
#                                                       ^^^ error[out-of-range]: `min_score` is 1.5, out of range
expectations = [{{ inject = \"minister-call\", expectation = \"ask\" }}]
#                                                         ^^^^^ error[unknown-reference]: inject `minister-call` has no expected action `ask`

[[training_objective]]
id = \"teams\"
name = \"T\"
objectives = [{{ objective = \"keep-payments\" }}]
teams = [\"ar-csirt\"]
#        ^^^^^^^^^^ warning[no-effect]: no linked objective or expected action scores `ar-csirt`
"
        ));
    }
}
