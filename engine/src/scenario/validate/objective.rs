//! `[[objective]]`: measurable goals, scored per team or for the region, and whether a
//! team can act on its objective.

use super::super::diagnostic::Code;
use super::super::model::*;
use super::super::raw::RawGoal;
use super::super::spans::Seg::Key as K;
use super::defaults::*;
use super::msel::role_name;
use super::{Validator, at};

/// Checks every objective's weight, goal and team.
pub(super) fn build(cx: &mut Validator<'_>, teams: &[Team]) -> Vec<Objective> {
    let raw = cx.raw;
    let mut out = Vec::with_capacity(raw.objectives.len());
    for (i, o) in raw.objectives.iter().enumerate() {
        let weight = o.weight.unwrap_or(DEFAULT_OBJECTIVE_WEIGHT);
        if !(weight.is_finite() && weight > 0.0) {
            cx.error(
                Code::OutOfRange,
                at("objective", i, &[K("weight")]),
                format!("`weight` is {weight}, out of range"),
                Some("a weight must be more than 0".into()),
            );
        }
        let goal = goal(cx, i, &o.goal);
        let scope = match &o.team {
            None => ObjectiveScope::Region,
            Some(t) => match cx.team(t, at("objective", i, &[K("team")])) {
                Some(team) => {
                    if let Some(goal) = &goal {
                        check_team_can_act(cx, i, &teams[team.index()], goal);
                    }
                    ObjectiveScope::Team(team)
                }
                None => ObjectiveScope::Region,
            },
        };
        if let Some(goal) = goal {
            out.push(Objective {
                id: o.id.clone(),
                description: o.description.clone(),
                scope,
                weight,
                goal,
            });
        }
    }
    out
}

fn goal(cx: &mut Validator<'_>, i: usize, g: &RawGoal) -> Option<Goal> {
    let p = |variant: &'static str, field: &'static str| [K("goal"), K(variant), K(field)];
    if matches!(
        g,
        RawGoal::ChildrenSafeguarded { .. } | RawGoal::ChildrenExposedAtMost { .. }
    ) && !cx
        .raw
        .campaigns
        .iter()
        .any(|c| c.kind == CampaignKind::HarmfulContent)
    {
        let variant = match g {
            RawGoal::ChildrenSafeguarded { .. } => "children_safeguarded",
            _ => "children_exposed_at_most",
        };
        cx.error(
            Code::OutOfReach,
            at("objective", i, &[K("goal"), K(variant)]),
            "no campaign of the scenario is harmful content: no child can be exposed or safeguarded".to_string(),
            Some("add a `[[campaign]]` of kind `harmful_content`, or choose another goal".into()),
        );
    }
    match g {
        RawGoal::ServiceAtLeast {
            economy,
            sector,
            level,
        } => {
            let variant = "service_at_least";
            cx.check_unit(at("objective", i, &p(variant, "level")), "level", *level);
            let economy = cx
                .optional(
                    economy,
                    at("objective", i, &p(variant, "economy")),
                    Validator::economy,
                )
                .ok()?;
            let sector = cx
                .optional(
                    sector,
                    at("objective", i, &p(variant, "sector")),
                    Validator::sector,
                )
                .ok()?;
            Some(Goal::ServiceAtLeast {
                economy,
                sector,
                level: *level,
            })
        }
        RawGoal::TrustAtLeast { economy, level } => {
            if !(0.0..=100.0).contains(level) {
                cx.error(
                    Code::OutOfRange,
                    at("objective", i, &p("trust_at_least", "level")),
                    format!("trust level {level} is out of range"),
                    Some("trust runs from 0 to 100".into()),
                );
            }
            let economy =
                cx.economy(economy, at("objective", i, &p("trust_at_least", "economy")))?;
            Some(Goal::TrustAtLeast {
                economy,
                level: *level,
            })
        }
        RawGoal::LossAtMost { economy, amount } => {
            if !(amount.is_finite() && *amount >= 0.0) {
                cx.error(
                    Code::OutOfRange,
                    at("objective", i, &p("loss_at_most", "amount")),
                    format!("loss amount {amount} is out of range"),
                    Some("give an amount in US dollars, 0 or more".into()),
                );
            }
            let economy = cx
                .optional(
                    economy,
                    at("objective", i, &p("loss_at_most", "economy")),
                    Validator::economy,
                )
                .ok()?;
            Some(Goal::LossAtMost {
                economy,
                amount: *amount,
            })
        }
        RawGoal::DetectWithin {
            campaign,
            economy,
            ticks,
        }
        | RawGoal::ContainWithin {
            campaign,
            economy,
            ticks,
        } => {
            let variant = if matches!(g, RawGoal::DetectWithin { .. }) {
                "detect_within"
            } else {
                "contain_within"
            };
            let campaign = cx
                .optional(
                    campaign,
                    at("objective", i, &p(variant, "campaign")),
                    Validator::campaign,
                )
                .ok()?;
            let economy = cx
                .optional(
                    economy,
                    at("objective", i, &p(variant, "economy")),
                    Validator::economy,
                )
                .ok()?;
            let ticks = *ticks;
            Some(if variant == "detect_within" {
                Goal::DetectWithin {
                    campaign,
                    economy,
                    ticks,
                }
            } else {
                Goal::ContainWithin {
                    campaign,
                    economy,
                    ticks,
                }
            })
        }
        RawGoal::ChildrenSafeguarded { economy, share } => {
            let variant = "children_safeguarded";
            cx.check_unit(at("objective", i, &p(variant, "share")), "share", *share);
            let economy = cx
                .optional(
                    economy,
                    at("objective", i, &p(variant, "economy")),
                    Validator::economy,
                )
                .ok()?;
            Some(Goal::ChildrenSafeguarded {
                economy,
                share: *share,
            })
        }
        RawGoal::ChildrenExposedAtMost { economy, count } => {
            let variant = "children_exposed_at_most";
            if !(count.is_finite() && *count >= 0.0) {
                cx.error(
                    Code::OutOfRange,
                    at("objective", i, &p(variant, "count")),
                    format!("children count {count} is out of range"),
                    Some("give a number of children, 0 or more".into()),
                );
            }
            let economy = cx
                .optional(
                    economy,
                    at("objective", i, &p(variant, "economy")),
                    Validator::economy,
                )
                .ok()?;
            Some(Goal::ChildrenExposedAtMost {
                economy,
                count: *count,
            })
        }
    }
}

/// A team objective must be one the team can influence: its role must have actions
/// that move the measure (see [`role_can_pursue`]), in its own economy unless the role
/// acts across borders (see [`acts_across_borders`]: "help Valdoria contain"), and for
/// a regulator or operator with sectors, in one of them.
fn check_team_can_act(cx: &mut Validator<'_>, i: usize, team: &Team, goal: &Goal) {
    let at_goal = at("objective", i, &[K("goal")]);
    if !role_can_pursue(team.role, goal) {
        cx.error(
            Code::OutOfReach,
            at("objective", i, &[K("team")]),
            format!(
                "team `{}` ({}) has no action that can move this goal",
                team.id,
                role_name(team.role)
            ),
            Some(role_hint(goal).into()),
        );
        return;
    }
    let raw = cx.raw;
    let (economy, sector) = goal_scope(goal);
    if let Some(e) = economy
        && e != team.economy
        && !acts_across_borders(team.role)
    {
        let id = |e: EconomyIdx| raw.economies.get(e.index()).map_or("?", |x| x.id.as_str());
        cx.error(
            Code::OutOfReach,
            at_goal,
            format!(
                "team `{}` ({}) works in `{}` and has no action that reaches `{}`",
                team.id,
                role_name(team.role),
                id(team.economy),
                id(e)
            ),
            Some("only a csirt (sharing indicators, lending analysts) or law enforcement (mutual legal assistance, takedowns) acts in another economy: give this objective to one of those, to a team of that economy, or make it regional by removing `team`".into()),
        );
        return;
    }
    if let Some(s) = sector
        && matches!(team.role, Role::Regulator | Role::Operator)
        && !team.sectors.is_empty()
        && !team.sectors.contains(&s)
    {
        let name = raw.sectors.get(s.index()).map_or("?", |x| x.id.as_str());
        cx.error(
            Code::OutOfReach,
            at_goal,
            format!("team `{}` does not answer for sector `{name}`", team.id),
            Some(
                "add the sector to the team's `sectors`, or give the objective to another team"
                    .into(),
            ),
        );
    }
}

/// Which roles have actions that move a goal: service needs containment and restoring
/// (CSIRT, regulator, operator); detection needs watch and monitoring (CSIRT, operator);
/// containment needs incident response (CSIRT, operator); trust and loss are moved by
/// every role (awareness, takedowns, legal action, response).
pub fn role_can_pursue(role: Role, goal: &Goal) -> bool {
    match goal {
        Goal::ServiceAtLeast { .. } => {
            matches!(role, Role::Csirt | Role::Regulator | Role::Operator)
        }
        Goal::DetectWithin { .. } | Goal::ContainWithin { .. } => {
            matches!(role, Role::Csirt | Role::Operator)
        }
        Goal::TrustAtLeast { .. } | Goal::LossAtMost { .. } => true,
        // Referral and takedown (CSIRT, police), blocking (CSIRT, operator), awareness
        // (CSIRT, regulator): every role has an action that protects children.
        Goal::ChildrenSafeguarded { .. } => matches!(role, Role::Csirt | Role::LawEnforcement),
        Goal::ChildrenExposedAtMost { .. } => true,
    }
}

/// Whether a role has actions that reach another economy: a CSIRT shares indicators
/// with it and lends it analysts (who detect, contain and restore there), police send
/// mutual legal assistance requests and take down infrastructure hosted there.
/// Regulators and operators act only at home.
pub fn acts_across_borders(role: Role) -> bool {
    matches!(role, Role::Csirt | Role::LawEnforcement)
}

fn role_hint(goal: &Goal) -> &'static str {
    match goal {
        Goal::ServiceAtLeast { .. } => "service goals suit a csirt, regulator or operator team",
        Goal::ChildrenSafeguarded { .. } => {
            "safeguarding goals suit a csirt or law-enforcement team (they refer harmful content to a hotline or the police, and take it down)"
        }
        _ => "detection and containment goals suit a csirt or operator team",
    }
}

fn goal_scope(goal: &Goal) -> (Option<EconomyIdx>, Option<SectorIdx>) {
    match goal {
        Goal::ServiceAtLeast {
            economy, sector, ..
        } => (*economy, *sector),
        Goal::TrustAtLeast { economy, .. } => (Some(*economy), None),
        Goal::LossAtMost { economy, .. }
        | Goal::DetectWithin { economy, .. }
        | Goal::ContainWithin { economy, .. }
        | Goal::ChildrenSafeguarded { economy, .. }
        | Goal::ChildrenExposedAtMost { economy, .. } => (*economy, None),
    }
}

#[cfg(test)]
mod tests {
    use super::super::fixture::{HEAD, SMALL, check, ok};
    use crate::scenario::model::*;

    #[test]
    fn team_and_regional_objectives_of_the_guide_example() {
        let s = ok(SMALL).scenario;
        assert_eq!(s.objectives[0].scope, ObjectiveScope::Team(TeamIdx(1)));
        assert_eq!(s.objectives[0].weight, 1.0);
        assert_eq!(s.objectives[1].scope, ObjectiveScope::Region);
        assert_eq!(s.objectives[1].weight, 2.0);
    }

    #[test]
    fn a_team_objective_must_be_one_the_team_can_act_on() {
        check(&format!(
            "{HEAD}
[[team]]
id = \"police\"
name = \"P\"
role = \"law_enforcement\"
economy = \"sg\"

[[objective]]
id = \"o\"
description = \"d\"
team = \"police\"
#      ^^^^^^^^ error[out-of-reach]: team `police` (law_enforcement) has no action that can move this goal
goal = {{ service_at_least = {{ level = 0.5 }} }}

[[objective]]
id = \"w\"
description = \"d\"
weight = 0
#        ^ error[out-of-range]: `weight` is 0, out of range
goal = {{ loss_at_most = {{ amount = -1 }} }}
#                                  ^^ error[out-of-range]: loss amount -1 is out of range
"
        ));
    }

    /// The children goals need harmful content in the scenario, a share from 0 to 1 and
    /// a count of 0 or more, and safeguarding suits only the teams that refer.
    #[test]
    fn children_goals_need_harmful_content_and_sound_numbers() {
        check(&format!(
            "{HEAD}
[[objective]]
id = \"kids\"
description = \"d\"
goal = {{ children_safeguarded = {{ share = 1.5 }} }}
#                               ^^^^^^^^^^^^^^^ error[out-of-reach]: no campaign of the scenario is harmful content: no child can be exposed or safeguarded
#                                         ^^^ error[out-of-range]: `share` is 1.5, out of range
"
        ));
        let harmful = SMALL.replace("kind = \"phishing\"", "kind = \"harmful_content\"");
        assert_ne!(
            harmful, SMALL,
            "the example has a phishing campaign to turn"
        );
        check(&format!(
            "{harmful}
[[objective]]
id = \"kids\"
description = \"d\"
goal = {{ children_exposed_at_most = {{ count = -2 }} }}
#                                             ^^ error[out-of-range]: children count -2 is out of range

[[objective]]
id = \"safe\"
description = \"d\"
goal = {{ children_safeguarded = {{ economy = \"ar\", share = 0.9 }} }}
"
        ));
    }

    #[test]
    fn a_csirt_or_the_police_may_hold_an_objective_about_another_economy() {
        let helping = format!(
            "{SMALL}
[[team]]
id = \"ar-police\"
name = \"Aramia police\"
role = \"law_enforcement\"
economy = \"ar\"

[[objective]]
id = \"help-bo-contain\"
description = \"Help Borlandia contain the ransomware within a day\"
team = \"ar-csirt\"
goal = {{ contain_within = {{ campaign = \"ransom-switch\", economy = \"bo\", ticks = 24 }} }}

[[objective]]
id = \"bo-trust\"
description = \"Keep Borlandia's trust above 40 with mutual legal assistance\"
team = \"ar-police\"
goal = {{ trust_at_least = {{ economy = \"bo\", level = 40 }} }}
"
        );
        let s = ok(&helping).scenario;
        let helped = s.objectives.iter().find(|o| o.id == "help-bo-contain");
        assert_eq!(
            helped.map(|o| o.scope),
            Some(ObjectiveScope::Team(TeamIdx(0)))
        );
        assert!(s.objectives.iter().any(|o| o.id == "bo-trust"));
    }

    #[test]
    fn a_regulator_cannot_hold_an_objective_about_another_economy() {
        check(&format!(
            "{SMALL}
[[team]]
id = \"ar-regulator\"
name = \"R\"
role = \"regulator\"
economy = \"ar\"

[[objective]]
id = \"o\"
description = \"d\"
team = \"ar-regulator\"
goal = {{ service_at_least = {{ economy = \"bo\", level = 0.5 }} }}
#      ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ error[out-of-reach]: team `ar-regulator` (regulator) works in `ar` and has no action that reaches `bo`
"
        ));
    }
}
