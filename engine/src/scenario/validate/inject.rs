//! `[[inject]]`: events fired by the clock, by a condition, after another inject or by
//! the facilitator; who receives them and what they change. Conditions are in
//! [`super::condition`], the timing checks across injects in [`super::timing`].

use super::super::diagnostic::Code;
use super::super::model::*;
use super::super::raw::{RawEffect, RawInject};
use super::super::spans::Seg::{Index as I, Key as K};
use super::condition::{condition, never_holds};
use super::msel;
use super::{Validator, at};

/// Checks every inject's trigger, audience and effects.
pub(super) fn build(cx: &mut Validator<'_>) -> Vec<Inject> {
    let raw = cx.raw;
    let mut out = Vec::with_capacity(raw.injects.len());
    for (i, inj) in raw.injects.iter().enumerate() {
        let trigger = trigger(cx, i, inj);
        let audience = audience(cx, i, inj);
        let effects = effects(cx, i, &inj.effects);
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

fn trigger(cx: &mut Validator<'_>, i: usize, inj: &RawInject) -> Trigger {
    let given: Vec<&'static str> = [
        ("at", inj.at.is_some()),
        ("when", inj.when.is_some()),
        ("after", inj.after.is_some()),
    ]
    .into_iter()
    .filter(|(_, present)| *present)
    .map(|(name, _)| name)
    .collect();
    if given.len() > 1 {
        let second = given[1];
        cx.error(
            Code::ConflictingFields,
            at("inject", i, &[K(second)]),
            format!("inject has both `{}` and `{second}`", given[0]),
            Some("give at most one of `at`, `when` and `after`; split it into two injects if both are needed".into()),
        );
        return Trigger::Manual;
    }
    if let Some(tick) = inj.at {
        cx.check_tick(at("inject", i, &[K("at")]), "at", tick);
        return Trigger::At(tick);
    }
    if let Some(when) = &inj.when {
        let mut path = vec![K("when")];
        let condition = condition(cx, i, when, &mut path);
        if let Some(reason) = condition.as_ref().and_then(|c| never_holds(c, cx.duration)) {
            cx.error(
                Code::NeverHolds,
                at("inject", i, &[K("when")]),
                "this condition can never hold, so the inject never fires",
                Some(reason),
            );
        }
        return condition.map_or(Trigger::Manual, Trigger::When);
    }
    if let Some(after) = &inj.after {
        let target = cx.inject(&after.inject, at("inject", i, &[K("after"), K("inject")]));
        if target == Some(InjectIdx(i as u32)) {
            cx.error(
                Code::InjectCycle,
                at("inject", i, &[K("after"), K("inject")]),
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

fn effects(cx: &mut Validator<'_>, i: usize, effects: &[RawEffect]) -> Vec<Effect> {
    let mut out = Vec::new();
    for (k, e) in effects.iter().enumerate() {
        let path = |variant: &'static str| [K("effects"), I(k), K(variant)];
        let field =
            |variant: &'static str, name: &'static str| [K("effects"), I(k), K(variant), K(name)];
        let converted = match e {
            RawEffect::StartCampaign(c) => cx
                .campaign(c, at("inject", i, &path("start_campaign")))
                .map(Effect::StartCampaign),
            RawEffect::StopCampaign(c) => cx
                .campaign(c, at("inject", i, &path("stop_campaign")))
                .map(Effect::StopCampaign),
            RawEffect::DamageAsset { asset, amount } => {
                let p = field("damage_asset", "amount");
                cx.check_unit(at("inject", i, &p), "amount", *amount);
                let p = field("damage_asset", "asset");
                cx.single_asset(asset, at("inject", i, &p), "damage_asset")
                    .map(|asset| Effect::DamageAsset {
                        asset,
                        amount: *amount,
                    })
            }
            RawEffect::AdjustTrust { economy, delta } => {
                if !delta.is_finite() {
                    cx.error(
                        Code::OutOfRange,
                        at("inject", i, &field("adjust_trust", "delta")),
                        "`delta` must be a finite number",
                        None,
                    );
                }
                cx.economy(economy, at("inject", i, &field("adjust_trust", "economy")))
                    .map(|economy| Effect::AdjustTrust {
                        economy,
                        delta: *delta,
                    })
            }
            RawEffect::SetAwareness { economy, value } => {
                let p = field("set_awareness", "value");
                cx.check_score(at("inject", i, &p), "value", *value);
                cx.economy(economy, at("inject", i, &field("set_awareness", "economy")))
                    .map(|economy| Effect::SetAwareness {
                        economy,
                        value: *value,
                    })
            }
            RawEffect::AdjustAnalysts { team, delta } => cx
                .team(team, at("inject", i, &field("adjust_analysts", "team")))
                .map(|team| Effect::AdjustAnalysts {
                    team,
                    delta: *delta,
                }),
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
}
