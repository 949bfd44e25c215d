//! Conditions of injects fired `when` something holds: references resolved, levels
//! checked, and conditions that can never hold found.

use super::super::diagnostic::Code;
use super::super::model::*;
use super::super::raw::RawCondition;
use super::super::spans::Seg::{self, Index as I, Key as K};
use super::{Validator, at};

/// Converts the condition of inject `i` written at `path`, resolving references;
/// `None` when something did not resolve (already reported).
pub(super) fn condition(
    cx: &mut Validator<'_>,
    i: usize,
    c: &RawCondition,
    path: &mut Vec<Seg>,
) -> Option<Condition> {
    let here = |p: &[Seg], k: &'static str| [p, &[K(k)]].concat();
    match c {
        RawCondition::TickAtLeast(t) => Some(Condition::TickAtLeast(*t)),
        RawCondition::ServiceBelow(s) => {
            let p = here(path, "service_below");
            cx.check_unit(at("inject", i, &here(&p, "level")), "level", s.level);
            if let Some(asset) = &s.asset {
                if s.economy.is_some() || s.sector.is_some() {
                    cx.error(
                        Code::ConflictingFields,
                        at("inject", i, &p),
                        "`asset` cannot be combined with `economy` or `sector`",
                        Some("name one asset, or filter by economy and/or sector".into()),
                    );
                    return None;
                }
                let asset = cx.single_asset(asset, at("inject", i, &here(&p, "asset")), "asset")?;
                return Some(Condition::ServiceBelow {
                    scope: ServiceScope::Asset(asset),
                    level: s.level,
                });
            }
            let economy = cx
                .optional(
                    &s.economy,
                    at("inject", i, &here(&p, "economy")),
                    Validator::economy,
                )
                .ok()?;
            let sector = cx
                .optional(
                    &s.sector,
                    at("inject", i, &here(&p, "sector")),
                    Validator::sector,
                )
                .ok()?;
            Some(Condition::ServiceBelow {
                scope: ServiceScope::Mean { economy, sector },
                level: s.level,
            })
        }
        RawCondition::TrustBelow(t) => {
            let p = here(path, "trust_below");
            if !(0.0..=100.0).contains(&t.value) {
                cx.error(
                    Code::OutOfRange,
                    at("inject", i, &here(&p, "value")),
                    format!("trust value {} is out of range", t.value),
                    Some("trust runs from 0 to 100".into()),
                );
            }
            let economy = cx.economy(&t.economy, at("inject", i, &here(&p, "economy")))?;
            Some(Condition::TrustBelow {
                economy,
                value: t.value,
            })
        }
        RawCondition::LossAbove(l) => {
            let p = here(path, "loss_above");
            if !l.value.is_finite() {
                cx.error(
                    Code::OutOfRange,
                    at("inject", i, &here(&p, "value")),
                    "loss value must be a finite number",
                    None,
                );
            }
            let economy = cx
                .optional(
                    &l.economy,
                    at("inject", i, &here(&p, "economy")),
                    Validator::economy,
                )
                .ok()?;
            Some(Condition::LossAbove {
                economy,
                value: l.value,
            })
        }
        RawCondition::Incidents(n) => {
            let p = here(path, "incidents");
            let campaign = cx
                .optional(
                    &n.campaign,
                    at("inject", i, &here(&p, "campaign")),
                    Validator::campaign,
                )
                .ok()?;
            let economy = cx
                .optional(
                    &n.economy,
                    at("inject", i, &here(&p, "economy")),
                    Validator::economy,
                )
                .ok()?;
            Some(Condition::Incidents {
                campaign,
                economy,
                count: n.count,
            })
        }
        RawCondition::Detected(c) => {
            let p = here(path, "detected");
            cx.campaign(c, at("inject", i, &p)).map(Condition::Detected)
        }
        RawCondition::InjectFired(id) => {
            let p = here(path, "inject_fired");
            cx.inject(id, at("inject", i, &p))
                .map(Condition::InjectFired)
        }
        RawCondition::All(list) | RawCondition::Any(list) => {
            let key = if matches!(c, RawCondition::All(_)) {
                "all"
            } else {
                "any"
            };
            if list.is_empty() {
                cx.error(
                    Code::EmptyValue,
                    at("inject", i, &here(path, key)),
                    format!("`{key}` has no conditions"),
                    Some("list at least one condition".into()),
                );
                return None;
            }
            let mut converted = Vec::new();
            let mut ok = true;
            for (n, inner) in list.iter().enumerate() {
                path.extend([K(key), I(n)]);
                match condition(cx, i, inner, path) {
                    Some(c) => converted.push(c),
                    None => ok = false,
                }
                path.truncate(path.len() - 2);
            }
            if !ok {
                return None;
            }
            Some(if key == "all" {
                Condition::All(converted)
            } else {
                Condition::Any(converted)
            })
        }
        RawCondition::Not(inner) => {
            path.push(K("not"));
            let converted = condition(cx, i, inner, path);
            path.pop();
            converted.map(|c| Condition::Not(Box::new(c)))
        }
    }
}

/// What a condition can be, whatever happens in the exercise.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Possible {
    Never(String),
    Always,
    Maybe,
}

/// Why `condition` can never hold within `duration` ticks, if it cannot.
pub fn never_holds(condition: &Condition, duration: u32) -> Option<String> {
    match possible(condition, duration) {
        Possible::Never(reason) => Some(reason),
        _ => None,
    }
}

fn possible(c: &Condition, duration: u32) -> Possible {
    match c {
        Condition::TickAtLeast(t) if *t > duration => Possible::Never(format!(
            "`tick_at_least = {t}` is after the last tick ({duration})"
        )),
        Condition::TickAtLeast(0) => Possible::Always,
        Condition::ServiceBelow { level, .. } if *level <= 0.0 => {
            Possible::Never(format!("service is never below {level}"))
        }
        Condition::TrustBelow { value, .. } if *value <= 0.0 => {
            Possible::Never(format!("trust is never below {value}"))
        }
        Condition::Incidents { count: 0, .. } => Possible::Always,
        Condition::All(list) => {
            let parts: Vec<Possible> = list.iter().map(|c| possible(c, duration)).collect();
            if let Some(Possible::Never(r)) = parts.iter().find(|p| matches!(p, Possible::Never(_)))
            {
                Possible::Never(format!("in `all`, {r}"))
            } else if parts.iter().all(|p| *p == Possible::Always) {
                Possible::Always
            } else {
                Possible::Maybe
            }
        }
        Condition::Any(list) => {
            let parts: Vec<Possible> = list.iter().map(|c| possible(c, duration)).collect();
            if parts.contains(&Possible::Always) {
                Possible::Always
            } else if !parts.is_empty() && parts.iter().all(|p| matches!(p, Possible::Never(_))) {
                Possible::Never("every condition in `any` is impossible".into())
            } else {
                Possible::Maybe
            }
        }
        Condition::Not(inner) => match possible(inner, duration) {
            Possible::Always => Possible::Never("`not` of a condition that always holds".into()),
            Possible::Never(_) => Possible::Always,
            Possible::Maybe => Possible::Maybe,
        },
        _ => Possible::Maybe,
    }
}

#[cfg(test)]
mod tests {
    use super::super::fixture::{HEAD, check};
    use super::*;

    #[test]
    fn conditions_that_can_never_hold() {
        assert!(never_holds(&Condition::TickAtLeast(11), 10).is_some());
        assert!(never_holds(&Condition::TickAtLeast(10), 10).is_none());
        let never_not = Condition::Not(Box::new(Condition::TickAtLeast(0)));
        assert_eq!(
            never_holds(&never_not, 10).as_deref(),
            Some("`not` of a condition that always holds")
        );
        let any = Condition::Any(vec![Condition::TickAtLeast(20), never_not]);
        assert!(never_holds(&any, 10).is_some());
        let all = Condition::All(vec![Condition::TickAtLeast(1), Condition::TickAtLeast(30)]);
        assert!(never_holds(&all, 10).is_some_and(|r| r.starts_with("in `all`")));
    }

    #[test]
    fn references_levels_and_empty_lists_inside_conditions() {
        check(&format!(
            "{HEAD}
[[asset]]
id = \"a\"
name = \"A\"
economy = \"sg\"
sector = \"energy\"

[[inject]]
id = \"i\"
headline = \"h\"
when = {{ any = [{{ trust_below = {{ economy = \"xx\", value = 500 }} }}, {{ all = [] }}, {{ service_below = {{ asset = \"a\", sector = \"energy\", level = 0.5 }} }}] }}
#                                           ^^^^ error[unknown-reference]: unknown economy `xx`
#                                                         ^^^ error[out-of-range]: trust value 500 is out of range
#                                                                          ^^ error[empty-value]: `all` has no conditions
#                                                                                                  ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ error[conflicting-fields]: `asset` cannot be combined with `economy` or `sector`

[[inject]]
id = \"j\"
headline = \"h\"
when = {{ all = [{{ tick_at_least = 2 }}, {{ tick_at_least = 12 }}] }}
#      ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ error[never-holds]: this condition can never hold, so the inject never fires
"
        ));
    }
}
