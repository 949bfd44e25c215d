//! Conditions of injects fired `when` something holds: references resolved, levels
//! checked, and conditions that can never hold found.

use super::super::diagnostic::Code;
use super::super::model::*;
use super::super::raw::{RawCondition, RawDetected, RawIncidentsReached};
use super::super::spans::Seg::{self, Index as I, Key as K};
use super::{Validator, at};

/// Converts the condition written at `path` in element `i` of `[[section]]` (an inject
/// or a decision), resolving references; `None` when something did not resolve (already
/// reported).
pub(super) fn condition(
    cx: &mut Validator<'_>,
    section: &'static str,
    i: usize,
    c: &RawCondition,
    path: &mut Vec<Seg>,
) -> Option<Condition> {
    let here = |p: &[Seg], k: &'static str| [p, &[K(k)]].concat();
    match c {
        RawCondition::TickAtLeast(t) => Some(Condition::TickAtLeast(*t)),
        RawCondition::ServiceBelow(s) => {
            let p = here(path, "service_below");
            cx.check_unit(at(section, i, &here(&p, "level")), "level", s.level);
            if let Some(asset) = &s.asset {
                if s.economy.is_some() || s.sector.is_some() {
                    cx.error(
                        Code::ConflictingFields,
                        at(section, i, &p),
                        "`asset` cannot be combined with `economy` or `sector`",
                        Some("name one asset, or filter by economy and/or sector".into()),
                    );
                    return None;
                }
                let asset = cx.single_asset(asset, at(section, i, &here(&p, "asset")), "asset")?;
                return Some(Condition::ServiceBelow {
                    scope: ServiceScope::Asset(asset),
                    level: s.level,
                });
            }
            let economy = cx
                .optional(
                    &s.economy,
                    at(section, i, &here(&p, "economy")),
                    Validator::economy,
                )
                .ok()?;
            let sector = cx
                .optional(
                    &s.sector,
                    at(section, i, &here(&p, "sector")),
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
                    at(section, i, &here(&p, "value")),
                    format!("trust value {} is out of range", t.value),
                    Some("trust runs from 0 to 100".into()),
                );
            }
            let economy = cx.economy(&t.economy, at(section, i, &here(&p, "economy")))?;
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
                    at(section, i, &here(&p, "value")),
                    "loss value must be a finite number",
                    None,
                );
            }
            let economy = cx
                .optional(
                    &l.economy,
                    at(section, i, &here(&p, "economy")),
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
                    at(section, i, &here(&p, "campaign")),
                    Validator::campaign,
                )
                .ok()?;
            let economy = cx
                .optional(
                    &n.economy,
                    at(section, i, &here(&p, "economy")),
                    Validator::economy,
                )
                .ok()?;
            Some(Condition::Incidents {
                campaign,
                economy,
                count: n.count,
            })
        }
        RawCondition::Detected(RawDetected::Campaign(c)) => {
            let p = here(path, "detected");
            cx.campaign(c, at(section, i, &p))
                .map(|campaign| Condition::Reached {
                    state: IncidentState::Detected,
                    campaign: Some(campaign),
                    economy: None,
                    asset: None,
                    count: 1,
                })
        }
        RawCondition::Detected(RawDetected::Incidents(r)) => reached(
            cx,
            section,
            i,
            IncidentState::Detected,
            r,
            &here(path, "detected"),
        ),
        RawCondition::Investigated(r) => reached(
            cx,
            section,
            i,
            IncidentState::Investigated,
            r,
            &here(path, "investigated"),
        ),
        RawCondition::Contained(r) => reached(
            cx,
            section,
            i,
            IncidentState::Contained,
            r,
            &here(path, "contained"),
        ),
        RawCondition::Recovered(r) => reached(
            cx,
            section,
            i,
            IncidentState::Recovered,
            r,
            &here(path, "recovered"),
        ),
        RawCondition::Shared(s) => {
            let p = here(path, "shared");
            let campaign = optional_campaign(cx, section, i, &s.campaign, &p)?;
            let (from, to) = flow(cx, section, i, &s.from, &s.to, &p)?;
            Some(Condition::Action(ActionCondition::Shared {
                campaign,
                from,
                to,
                tlp: s.tlp,
            }))
        }
        RawCondition::Notified(n) => {
            let p = here(path, "notified");
            let campaign = optional_campaign(cx, section, i, &n.campaign, &p)?;
            let (from, to) = flow(cx, section, i, &n.from, &n.to, &p)?;
            Some(Condition::Action(ActionCondition::Notified {
                campaign,
                from,
                to,
            }))
        }
        RawCondition::AssistanceRequested(n) => {
            let p = here(path, "assistance_requested");
            if n.campaign.is_some() {
                cx.error(
                    Code::NoEffect,
                    at(section, i, &here(&p, "campaign")),
                    "a request for assistance is not about one campaign",
                    Some(
                        "filter by `from` (the economy asking) and `to` (the economy asked)".into(),
                    ),
                );
                return None;
            }
            let (from, to) = flow(cx, section, i, &n.from, &n.to, &p)?;
            Some(Condition::Action(ActionCondition::AssistanceRequested {
                from,
                to,
            }))
        }
        RawCondition::AssistanceDelivered(d) => {
            let p = here(path, "assistance_delivered");
            let (from, to) = flow(cx, section, i, &d.from, &d.to, &p)?;
            let analysts = d.analysts.unwrap_or(1);
            cx.check_at_least_one(at(section, i, &here(&p, "analysts")), "analysts", analysts);
            Some(Condition::Action(ActionCondition::AssistanceDelivered {
                from,
                to,
                analysts,
            }))
        }
        RawCondition::LegalAction(l) => {
            let p = here(path, "legal_action");
            let campaign = optional_campaign(cx, section, i, &l.campaign, &p)?;
            let by = cx
                .optional(&l.by, at(section, i, &here(&p, "by")), Validator::economy)
                .ok()?;
            Some(Condition::Action(ActionCondition::LegalAction {
                campaign,
                by,
                outcome: l.outcome,
            }))
        }
        RawCondition::Mla(m) => {
            let p = here(path, "mla");
            let campaign = optional_campaign(cx, section, i, &m.campaign, &p)?;
            let (from, to) = flow(cx, section, i, &m.from, &m.to, &p)?;
            Some(Condition::Action(ActionCondition::Mla {
                campaign,
                from,
                to,
                outcome: m.outcome,
            }))
        }
        RawCondition::Takedown(t) => {
            let p = here(path, "takedown");
            let campaign = optional_campaign(cx, section, i, &t.campaign, &p)?;
            let host = cx
                .optional(
                    &t.host,
                    at(section, i, &here(&p, "host")),
                    Validator::economy,
                )
                .ok()?;
            Some(Condition::Action(ActionCondition::Takedown {
                campaign,
                host,
            }))
        }
        RawCondition::Decision(d) => {
            let p = here(path, "decision");
            let decision = cx.decision(&d.id, at(section, i, &here(&p, "id")))?;
            let option = match &d.option {
                None => None,
                Some(option) => Some(cx.decision_option(
                    decision,
                    option,
                    at(section, i, &here(&p, "option")),
                )?),
            };
            Some(Condition::Action(ActionCondition::Decision {
                decision,
                option,
                include_default: d.include_default,
            }))
        }
        RawCondition::After(a) => {
            path.extend([K("after"), K("condition")]);
            let inner = condition(cx, section, i, &a.condition, path);
            path.truncate(path.len() - 2);
            let watch = cx.next_watch();
            inner.map(|inner| Condition::After {
                delay: a.delay,
                condition: Box::new(inner),
                watch,
            })
        }
        RawCondition::InjectFired(id) => {
            let p = here(path, "inject_fired");
            cx.inject(id, at(section, i, &p))
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
                    at(section, i, &here(path, key)),
                    format!("`{key}` has no conditions"),
                    Some("list at least one condition".into()),
                );
                return None;
            }
            let mut converted = Vec::new();
            let mut ok = true;
            for (n, inner) in list.iter().enumerate() {
                path.extend([K(key), I(n)]);
                match condition(cx, section, i, inner, path) {
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
            let converted = condition(cx, section, i, inner, path);
            path.pop();
            converted.map(|c| Condition::Not(Box::new(c)))
        }
    }
}

/// `detected`, `investigated`, `contained` or `recovered` with filters and a count.
fn reached(
    cx: &mut Validator<'_>,
    section: &'static str,
    i: usize,
    state: IncidentState,
    r: &RawIncidentsReached,
    p: &[Seg],
) -> Option<Condition> {
    let field = |k: &'static str| [p, &[K(k)]].concat();
    let campaign = optional_campaign(cx, section, i, &r.campaign, p)?;
    let economy = cx
        .optional(
            &r.economy,
            at(section, i, &field("economy")),
            Validator::economy,
        )
        .ok()?;
    let asset = match &r.asset {
        None => None,
        Some(a) => Some(cx.single_asset(a, at(section, i, &field("asset")), "asset")?),
    };
    let count = r.count.unwrap_or(1);
    cx.check_at_least_one(at(section, i, &field("count")), "count", count);
    Some(Condition::Reached {
        state,
        campaign,
        economy,
        asset,
        count,
    })
}

/// The optional `campaign` filter of a condition at `p`.
fn optional_campaign(
    cx: &mut Validator<'_>,
    section: &'static str,
    i: usize,
    campaign: &Option<String>,
    p: &[Seg],
) -> Option<Option<CampaignIdx>> {
    cx.optional(
        campaign,
        at(section, i, &[p, &[K("campaign")]].concat()),
        Validator::campaign,
    )
    .ok()
}

/// The optional `from` and `to` economies of a condition at `p`.
#[allow(clippy::type_complexity)]
fn flow(
    cx: &mut Validator<'_>,
    section: &'static str,
    i: usize,
    from: &Option<String>,
    to: &Option<String>,
    p: &[Seg],
) -> Option<(Option<EconomyIdx>, Option<EconomyIdx>)> {
    let from = cx
        .optional(
            from,
            at(section, i, &[p, &[K("from")]].concat()),
            Validator::economy,
        )
        .ok()?;
    let to = cx
        .optional(
            to,
            at(section, i, &[p, &[K("to")]].concat()),
            Validator::economy,
        )
        .ok()?;
    Some((from, to))
}

/// What a condition can be, whatever happens in the exercise.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Possible {
    Never(String),
    Always,
    Maybe,
}

/// What the reachability of a condition depends on beyond the clock: the campaigns'
/// kinds, origins and hosting economies, and the economies' ids for messages.
#[derive(Clone, Copy)]
pub struct Bounds<'a> {
    /// The last tick.
    pub duration: u32,
    pub campaigns: &'a [Campaign],
    pub economy_ids: &'a [&'a str],
}

/// Why `condition` can never hold, if it cannot: a tick after the end, a level no service
/// or trust goes below, a takedown of something that cannot be taken down, a legal request
/// to an economy that neither harbours nor hosts the campaign.
pub fn never_holds(condition: &Condition, bounds: Bounds<'_>) -> Option<String> {
    match possible(condition, bounds) {
        Possible::Never(reason) => Some(reason),
        _ => None,
    }
}

fn possible(c: &Condition, bounds: Bounds<'_>) -> Possible {
    let duration = bounds.duration;
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
        Condition::Action(action) => match unreachable_action(action, bounds) {
            Some(reason) => Possible::Never(reason),
            None => Possible::Maybe,
        },
        Condition::After {
            delay, condition, ..
        } => match possible(condition, bounds) {
            Possible::Never(reason) => Possible::Never(reason),
            _ if *delay > duration => Possible::Never(format!(
                "a delay of {delay} ticks is longer than the exercise ({duration} ticks)"
            )),
            Possible::Always if *delay == 0 => Possible::Always,
            _ => Possible::Maybe,
        },
        Condition::All(list) => {
            let parts: Vec<Possible> = list.iter().map(|c| possible(c, bounds)).collect();
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
            let parts: Vec<Possible> = list.iter().map(|c| possible(c, bounds)).collect();
            if parts.contains(&Possible::Always) {
                Possible::Always
            } else if !parts.is_empty() && parts.iter().all(|p| matches!(p, Possible::Never(_))) {
                Possible::Never("every condition in `any` is impossible".into())
            } else {
                Possible::Maybe
            }
        }
        Condition::Not(inner) => match possible(inner, bounds) {
            Possible::Always => Possible::Never("`not` of a condition that always holds".into()),
            Possible::Never(_) => Possible::Always,
            Possible::Maybe => Possible::Maybe,
        },
        _ => Possible::Maybe,
    }
}

/// Why an action condition about one campaign can never hold: it names a takedown of a
/// campaign nobody can take down, or a legal success where the campaign is out of reach.
fn unreachable_action(action: &ActionCondition, bounds: Bounds<'_>) -> Option<String> {
    let economy = |e: EconomyIdx| {
        bounds
            .economy_ids
            .get(e.index())
            .map_or_else(|| format!("#{}", e.0), |id| format!("`{id}`"))
    };
    let list = |economies: &[EconomyIdx]| {
        economies
            .iter()
            .map(|e| economy(*e))
            .collect::<Vec<_>>()
            .join(", ")
    };
    match *action {
        ActionCondition::Takedown {
            campaign: Some(c),
            host,
        } => {
            let campaign = bounds.campaigns.get(c.index())?;
            if !can_be_taken_down(campaign.kind) {
                return Some(format!(
                    "campaign `{}` is not content that can be taken down (only fake websites, phishing and harmful content are)",
                    campaign.id
                ));
            }
            if campaign.hosting.is_empty() {
                return Some(format!(
                    "campaign `{}` has no `hosting` economy: its content is out of every team's reach",
                    campaign.id
                ));
            }
            match host {
                Some(h) if !campaign.hosting.contains(&h) => Some(format!(
                    "{} does not host campaign `{}` (it is hosted in {})",
                    economy(h),
                    campaign.id,
                    list(&campaign.hosting)
                )),
                _ => None,
            }
        }
        ActionCondition::Mla {
            campaign: Some(c),
            to,
            outcome: LegalOutcome::Succeeded,
            ..
        } => {
            let campaign = bounds.campaigns.get(c.index())?;
            let reachable =
                |e: EconomyIdx| campaign.origin == Some(e) || campaign.hosting.contains(&e);
            match to {
                Some(to) if !reachable(to) => Some(format!(
                    "mutual legal assistance to {} cannot succeed against campaign `{}`: it neither harbours the actor nor hosts its infrastructure",
                    economy(to),
                    campaign.id
                )),
                None if campaign.origin.is_none() && campaign.hosting.is_empty() => Some(format!(
                    "campaign `{}` has no `origin` or `hosting`: no request can reach it",
                    campaign.id
                )),
                _ => None,
            }
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::super::fixture::{HEAD, SMALL, check, ok};
    use super::*;

    fn bounds(duration: u32) -> Bounds<'static> {
        Bounds {
            duration,
            campaigns: &[],
            economy_ids: &[],
        }
    }

    #[test]
    fn conditions_that_can_never_hold() {
        assert!(never_holds(&Condition::TickAtLeast(11), bounds(10)).is_some());
        assert!(never_holds(&Condition::TickAtLeast(10), bounds(10)).is_none());
        let never_not = Condition::Not(Box::new(Condition::TickAtLeast(0)));
        assert_eq!(
            never_holds(&never_not, bounds(10)).as_deref(),
            Some("`not` of a condition that always holds")
        );
        let any = Condition::Any(vec![Condition::TickAtLeast(20), never_not]);
        assert!(never_holds(&any, bounds(10)).is_some());
        let all = Condition::All(vec![Condition::TickAtLeast(1), Condition::TickAtLeast(30)]);
        assert!(never_holds(&all, bounds(10)).is_some_and(|r| r.starts_with("in `all`")));
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

    /// The guide's example with the phishing campaign run from Borlandia and hosted there.
    fn hosted() -> String {
        SMALL.replacen(
            "kind = \"phishing\"\n",
            "kind = \"phishing\"\norigin = \"bo\"\n",
            1,
        )
    }

    #[test]
    fn conditions_on_actions_resolve_with_their_filters() {
        let text = format!(
            "{}
[[inject]]
id = \"a\"
headline = \"A\"
when = {{ after = {{ delay = 2, condition = {{ all = [{{ shared = {{ campaign = \"phish-banks\", from = \"ar\", to = \"bo\", tlp = \"amber+strict\" }} }}, {{ mla = {{ to = \"bo\", outcome = \"succeeded\" }} }}] }} }} }}

[[inject]]
id = \"b\"
headline = \"B\"
when = {{ after = {{ delay = 1, condition = {{ contained = {{ economy = \"bo\", count = 2 }} }} }} }}
",
            hosted()
        );
        let s = ok(&text).scenario;
        assert_eq!(s.watches, 2);
        let Trigger::When(Condition::After {
            delay: 2,
            condition,
            watch: 0,
        }) = &s.injects[3].trigger
        else {
            panic!("not an `after`: {:?}", s.injects[3].trigger);
        };
        assert_eq!(
            **condition,
            Condition::All(vec![
                Condition::Action(ActionCondition::Shared {
                    campaign: Some(CampaignIdx(0)),
                    from: Some(EconomyIdx(0)),
                    to: Some(EconomyIdx(1)),
                    tlp: Some(Tlp::AmberStrict),
                }),
                Condition::Action(ActionCondition::Mla {
                    campaign: None,
                    from: None,
                    to: Some(EconomyIdx(1)),
                    outcome: LegalOutcome::Succeeded,
                }),
            ])
        );
        let Trigger::When(Condition::After {
            condition,
            watch: 1,
            ..
        }) = &s.injects[4].trigger
        else {
            panic!("not an `after`: {:?}", s.injects[4].trigger);
        };
        assert_eq!(
            **condition,
            Condition::Reached {
                state: IncidentState::Contained,
                campaign: None,
                economy: Some(EconomyIdx(1)),
                asset: None,
                count: 2,
            }
        );
    }

    #[test]
    fn actions_that_can_never_succeed_are_errors() {
        check(&format!(
            "{}
[[inject]]
id = \"x\"
headline = \"X\"
when = {{ takedown = {{ campaign = \"ransom-switch\" }} }}
#      ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ error[never-holds]: this condition can never hold, so the inject never fires

[[inject]]
id = \"y\"
headline = \"Y\"
when = {{ takedown = {{ campaign = \"phish-banks\", host = \"ar\" }} }}
#      ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ error[never-holds]: this condition can never hold, so the inject never fires

[[inject]]
id = \"z\"
headline = \"Z\"
when = {{ mla = {{ campaign = \"phish-banks\", to = \"ar\", outcome = \"succeeded\" }} }}
#      ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ error[never-holds]: this condition can never hold, so the inject never fires

[[inject]]
id = \"w\"
headline = \"W\"
when = {{ after = {{ delay = 30, condition = {{ shared = {{ to = \"bo\" }} }} }} }}
#      ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ error[never-holds]: this condition can never hold, so the inject never fires

[[inject]]
id = \"v\"
headline = \"V\"
when = {{ investigated = {{ campaign = \"phish-bank\", asset = \"bo-bank\", count = 0 }} }}
#                                    ^^^^^^^^^^^^ error[unknown-reference]: unknown campaign `phish-bank`
",
            hosted()
        ));
        let d = crate::scenario::validate::fixture::rendered(&format!(
            "{}
[[inject]]
id = \"y\"
headline = \"Y\"
when = {{ takedown = {{ campaign = \"phish-banks\", host = \"ar\" }} }}
",
            hosted()
        ));
        assert!(
            d.contains("`ar` does not host campaign `phish-banks` (it is hosted in `bo`)"),
            "{d}"
        );
    }
}
