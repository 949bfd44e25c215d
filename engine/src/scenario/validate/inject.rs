//! `[[inject]]`: events fired by the clock, by a condition, after another inject or by
//! the facilitator; who receives them and what they change. Conditions are in
//! [`super::condition`], the timing checks across injects in [`super::timing`].

use super::super::diagnostic::Code;
use super::super::model::*;
use super::super::raw::{RawAfter, RawCondition, RawEffect, RawInject};
use super::super::spans::Seg::{self, Index as I, Key as K};
use super::condition::{Bounds, condition, never_holds};
use super::msel;
use super::{Validator, at};

/// Checks every inject's trigger, audience and effects.
pub(super) fn build(cx: &mut Validator<'_>, campaigns: &[Campaign]) -> Vec<Inject> {
    let raw = cx.raw;
    let mut out = Vec::with_capacity(raw.injects.len());
    for (i, inj) in raw.injects.iter().enumerate() {
        let written = Written {
            at: inj.at,
            when: inj.when.as_ref(),
            after: inj.after.as_ref(),
        };
        let trigger = trigger(cx, "inject", i, written, campaigns);
        let audience = audience(cx, i, inj);
        let effects = effects(cx, "inject", i, &[], &inj.effects);
        let msel = msel::build(cx, i, inj, &audience);
        out.push(Inject {
            id: inj.id.clone(),
            headline: inj.headline.clone(),
            text: inj.text.clone(),
            trigger,
            audience,
            effects,
            msel,
        });
    }
    out
}

/// The trigger fields of an inject or a decision, as written.
#[derive(Clone, Copy)]
pub(super) struct Written<'r> {
    pub at: Option<u32>,
    pub when: Option<&'r RawCondition>,
    pub after: Option<&'r RawAfter>,
}

/// Checks the trigger of element `i` of `[[section]]` (an inject or a decision):
/// `Manual` when none is given or it is broken (already reported).
pub(super) fn trigger(
    cx: &mut Validator<'_>,
    section: &'static str,
    i: usize,
    written: Written<'_>,
    campaigns: &[Campaign],
) -> Trigger {
    let given: Vec<&'static str> = [
        ("at", written.at.is_some()),
        ("when", written.when.is_some()),
        ("after", written.after.is_some()),
    ]
    .into_iter()
    .filter(|(_, present)| *present)
    .map(|(name, _)| name)
    .collect();
    if given.len() > 1 {
        let second = given[1];
        cx.error(
            Code::ConflictingFields,
            at(section, i, &[K(second)]),
            format!("{section} has both `{}` and `{second}`", given[0]),
            Some(format!("give at most one of `at`, `when` and `after`; split it into two {section}s if both are needed")),
        );
        return Trigger::Manual;
    }
    if let Some(tick) = written.at {
        cx.check_tick(at(section, i, &[K("at")]), "at", tick);
        return Trigger::At(tick);
    }
    if let Some(when) = written.when {
        let mut path = vec![K("when")];
        let condition = condition(cx, section, i, when, &mut path);
        let raw = cx.raw;
        let economy_ids: Vec<&str> = raw.economies.iter().map(|e| e.id.as_str()).collect();
        let bounds = Bounds {
            duration: cx.duration,
            campaigns,
            economy_ids: &economy_ids,
        };
        if let Some(reason) = condition.as_ref().and_then(|c| never_holds(c, bounds)) {
            cx.error(
                Code::NeverHolds,
                at(section, i, &[K("when")]),
                format!(
                    "this condition can never hold, so {}",
                    if section == "inject" {
                        "the inject never fires"
                    } else {
                        "the decision is never offered"
                    }
                ),
                Some(reason),
            );
        }
        return condition.map_or(Trigger::Manual, Trigger::When);
    }
    if let Some(after) = written.after {
        let target = cx.inject(&after.inject, at(section, i, &[K("after"), K("inject")]));
        if section == "inject" && target == Some(InjectIdx(i as u32)) {
            cx.error(
                Code::InjectCycle,
                at(section, i, &[K("after"), K("inject")]),
                "inject fires after itself",
                Some("`after` must name another inject".into()),
            );
            return Trigger::Manual;
        }
        return target.map_or(Trigger::Manual, |inject| Trigger::After {
            inject,
            delay: after.delay,
        });
    }
    Trigger::Manual
}

/// Who receives inject `i`: the teams of `to` and of `to_roles`, everybody, or (with
/// neither) the facilitator only.
fn audience(cx: &mut Validator<'_>, i: usize, inj: &RawInject) -> Audience {
    let to = &inj.to;
    if to.is_empty() && inj.to_roles.is_empty() {
        return Audience::Facilitator;
    }
    if to.iter().any(|t| t == "all") {
        if to.len() > 1 || !inj.to_roles.is_empty() {
            let (field, message) = if to.len() > 1 {
                ("to", "`to` lists \"all\" and particular teams")
            } else {
                ("to_roles", "`to` lists \"all\", so `to_roles` adds nobody")
            };
            cx.warning(
                Code::Repeated,
                at("inject", i, &[K(field)]),
                message,
                Some("\"all\" already includes every team; remove the others".into()),
            );
        }
        return Audience::All;
    }
    let mut teams = msel::teams_of_roles(cx, &inj.to_roles);
    for (k, t) in to.iter().enumerate() {
        if let Some(t) = cx.team(t, at("inject", i, &[K("to"), I(k)])) {
            teams.push(t);
        }
    }
    teams.sort_unstable();
    teams.dedup();
    Audience::Teams(teams)
}

/// Checks the effects written at `prefix` of element `i` of `[[section]]` (an inject's
/// `effects`, or a decision option's).
pub(super) fn effects(
    cx: &mut Validator<'_>,
    section: &'static str,
    i: usize,
    prefix: &[Seg],
    effects: &[RawEffect],
) -> Vec<Effect> {
    let mut out = Vec::new();
    for (k, e) in effects.iter().enumerate() {
        let path = |variant: &'static str| [prefix, &[K("effects"), I(k), K(variant)]].concat();
        let field = |variant: &'static str, name: &'static str| {
            [prefix, &[K("effects"), I(k), K(variant), K(name)]].concat()
        };
        let converted = match e {
            RawEffect::StartCampaign(c) => cx
                .campaign(c, at(section, i, &path("start_campaign")))
                .map(Effect::StartCampaign),
            RawEffect::StopCampaign(c) => cx
                .campaign(c, at(section, i, &path("stop_campaign")))
                .map(Effect::StopCampaign),
            RawEffect::DamageAsset { asset, amount } => {
                let p = field("damage_asset", "amount");
                cx.check_unit(at(section, i, &p), "amount", *amount);
                let p = field("damage_asset", "asset");
                cx.single_asset(asset, at(section, i, &p), "damage_asset")
                    .map(|asset| Effect::DamageAsset {
                        asset,
                        amount: *amount,
                    })
            }
            RawEffect::AdjustTrust { economy, delta } => {
                if !delta.is_finite() {
                    cx.error(
                        Code::OutOfRange,
                        at(section, i, &field("adjust_trust", "delta")),
                        "`delta` must be a finite number",
                        None,
                    );
                }
                cx.economy(economy, at(section, i, &field("adjust_trust", "economy")))
                    .map(|economy| Effect::AdjustTrust {
                        economy,
                        delta: *delta,
                    })
            }
            RawEffect::SetAwareness { economy, value } => {
                let p = field("set_awareness", "value");
                cx.check_score(at(section, i, &p), "value", *value);
                cx.economy(economy, at(section, i, &field("set_awareness", "economy")))
                    .map(|economy| Effect::SetAwareness {
                        economy,
                        value: *value,
                    })
            }
            RawEffect::SpamFiltering { economy, value } => {
                let p = field("spam_filtering", "value");
                cx.check_percent(at(section, i, &p), "value", *value);
                let p = field("spam_filtering", "economy");
                cx.economy(economy, at(section, i, &p))
                    .filter(|_| (0.0..=100.0).contains(value))
                    .map(|economy| Effect::SpamFiltering {
                        economy,
                        value: *value,
                    })
            }
            RawEffect::AdjustAnalysts { team, delta } => cx
                .team(team, at(section, i, &field("adjust_analysts", "team")))
                .map(|team| Effect::AdjustAnalysts {
                    team,
                    delta: *delta,
                }),
            RawEffect::Ransom {
                economy,
                campaign,
                policy,
            } => {
                let campaign = match campaign {
                    Some(c) => {
                        let p = field("ransom", "campaign");
                        cx.campaign(c, at(section, i, &p)).map(Some)
                    }
                    None => Some(None),
                };
                let economy = cx.economy(economy, at(section, i, &field("ransom", "economy")));
                economy
                    .zip(campaign)
                    .map(|(economy, campaign)| Effect::Ransom {
                        economy,
                        campaign,
                        policy: *policy,
                    })
            }
        };
        out.extend(converted);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::fixture::{HEAD, SMALL, check, ok};
    use crate::scenario::model::*;

    const ASSETS: &str = "
[[asset_group]]
id = \"g\"
name = \"G\"
count = 2
economy = \"sg\"
sector = \"energy\"

[[team]]
id = \"t\"
name = \"T\"
role = \"csirt\"
economy = \"sg\"
";

    #[test]
    fn triggers_and_audiences_of_the_guide_example() {
        let s = ok(SMALL).scenario;
        assert_eq!(
            s.injects[2].trigger,
            Trigger::After {
                inject: InjectIdx(1),
                delay: 3
            }
        );
        assert_eq!(s.injects[0].audience, Audience::All);
        assert_eq!(s.injects[1].audience, Audience::Teams(vec![TeamIdx(0)]));
    }

    #[test]
    fn two_triggers_a_late_tick_and_an_inject_after_itself() {
        check(&format!(
            "{HEAD}{ASSETS}
[[inject]]
id = \"a\"
headline = \"A\"
at = 11
#    ^^ error[tick-after-end]: `at` is tick 11, after the end of the exercise (tick 10)

[[inject]]
id = \"b\"
headline = \"B\"
at = 1
when = {{ tick_at_least = 2 }}
#      ^^^^^^^^^^^^^^^^^^^^^ error[conflicting-fields]: inject has both `at` and `when`

[[inject]]
id = \"c\"
headline = \"C\"
after = {{ inject = \"c\" }}
#                  ^^^ error[inject-cycle]: inject fires after itself
to = [\"all\", \"t\"]
#    ^^^^^^^^^^^^ warning[repeated]: `to` lists \"all\" and particular teams
"
        ));
    }

    #[test]
    fn effects_resolve_and_check_their_values() {
        check(&format!(
            "{HEAD}{ASSETS}
[[inject]]
id = \"a\"
headline = \"A\"
to = [\"tt\"]
#     ^^^^ error[unknown-reference]: unknown team `tt`
effects = [{{ damage_asset = {{ asset = \"g\", amount = 2.0 }} }}, {{ set_awareness = {{ economy = \"sg\", value = 101 }} }}]
#                                     ^^^ error[wrong-kind]: `g` is a group; `damage_asset` needs one asset
#                                                   ^^^ error[out-of-range]: `amount` is 2, out of range
#                                                                                                        ^^^ error[out-of-range]: `value` is 101, out of range
"
        ));
    }

    /// A spam filtering effect names an economy of the scenario and a percentage.
    #[test]
    fn spam_filtering_effects_check_economy_and_percent() {
        check(&format!(
            "{HEAD}{ASSETS}
[[inject]]
id = \"a\"
headline = \"A\"
effects = [{{ spam_filtering = {{ economy = \"zz\", value = 99.5 }} }}, {{ spam_filtering = {{ economy = \"sg\", value = 100.5 }} }}]
#                                         ^^^^ error[unknown-reference]: unknown economy `zz`
#                                                                                                              ^^^^^ error[out-of-range]: `value` is 100.5, out of range
"
        ));
        let s = ok(&format!(
            "{HEAD}{ASSETS}
[[inject]]
id = \"a\"
headline = \"A\"
effects = [{{ spam_filtering = {{ economy = \"sg\", value = 99.5 }} }}]
"
        ))
        .scenario;
        assert_eq!(
            s.injects[0].effects,
            [Effect::SpamFiltering {
                economy: EconomyIdx(0),
                value: 99.5
            }]
        );
    }
}
