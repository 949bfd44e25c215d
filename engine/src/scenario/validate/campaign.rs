//! `[[campaign]]`: attack campaigns and hazards, their targets, pace and impact; and the
//! warning for a campaign nothing starts.

use std::collections::HashSet;

use super::super::diagnostic::Code;
use super::super::model::{self, *};
use super::super::raw::{RawTargets, RawTechniques};
use super::super::spans::Seg::{Index as I, Key as K};
use super::defaults::*;
use super::ids::AssetName;
use super::{Validator, at};

/// Checks every campaign and resolves its targets against the built assets.
pub(super) fn build(cx: &mut Validator<'_>, assets: &[Asset]) -> Vec<Campaign> {
    let raw = cx.raw;
    let mut out = Vec::with_capacity(raw.campaigns.len());
    for (i, c) in raw.campaigns.iter().enumerate() {
        let actor = cx.actor(&c.actor, at("campaign", i, &[K("actor")]));
        let targets = targets(cx, i, &c.targets, assets);
        if let Some(start) = c.start {
            cx.check_tick(at("campaign", i, &[K("start")]), "start", start);
        }
        let stage_ticks = c.stage_ticks.unwrap_or(DEFAULT_STAGE_TICKS);
        cx.check_at_least_one(
            at("campaign", i, &[K("stage_ticks")]),
            "stage_ticks",
            stage_ticks,
        );
        let intensity = c.intensity.unwrap_or(DEFAULT_INTENSITY);
        cx.check_at_least_one(at("campaign", i, &[K("intensity")]), "intensity", intensity);
        cx.check_at_most(
            at("campaign", i, &[K("intensity")]),
            "intensity",
            intensity,
            MAX_INTENSITY,
            "every attempt is work in every tick; to hit more targets at once, split the campaign or give it more ticks",
        );
        let impact = c.impact.unwrap_or_else(|| model::default_impact(c.kind));
        cx.check_unit(at("campaign", i, &[K("impact")]), "impact", impact);
        if let Some(d) = c.duration {
            cx.check_at_least_one(at("campaign", i, &[K("duration")]), "duration", d);
        }
        let victim_rate = c
            .victim_rate
            .unwrap_or_else(|| model::default_victim_rate(c.kind));
        cx.check_non_negative(
            at("campaign", i, &[K("victim_rate")]),
            "victim_rate",
            victim_rate,
            "victims per hour per million people served",
        );
        for (name, value) in [
            ("victim_loss", c.victim_loss),
            ("ransom", c.ransom),
            ("recovery_cost", c.recovery_cost),
        ] {
            if let Some(v) = value {
                cx.check_non_negative(at("campaign", i, &[K(name)]), name, v, "US dollars");
            }
        }
        let (messages, response_rate) = spam_rates(cx, i);
        let (origin, hosting) = reach(cx, i);
        check_techniques(cx, i, &c.techniques);
        out.push(Campaign {
            id: c.id.clone(),
            name: c.name.clone(),
            actor: actor.unwrap_or(ActorIdx(0)),
            kind: c.kind,
            targets,
            start: c.start,
            stage_ticks,
            intensity,
            impact,
            duration: c.duration,
            victim_rate: if victim_rate.is_finite() {
                victim_rate.max(0.0)
            } else {
                0.0
            },
            victim_loss: c.victim_loss,
            messages,
            response_rate,
            ransom: c.ransom,
            recovery_cost: c.recovery_cost,
            origin,
            hosting,
            techniques: c.techniques.clone(),
        });
    }
    out
}

/// A spam campaign's messages per person an hour and response rate (defaults from
/// [`model::DEFAULT_SPAM_MESSAGES`] and [`model::DEFAULT_SPAM_RESPONSE_RATE`]); other
/// kinds send none, and say so if the file gives them either. A spam campaign's victims
/// come from its response rate, so a `victim_rate` there is a warning.
fn spam_rates(cx: &mut Validator<'_>, i: usize) -> (f64, f64) {
    let raw = cx.raw;
    let c = &raw.campaigns[i];
    if c.kind != CampaignKind::Spam {
        for (name, given) in [
            ("messages", c.messages.is_some()),
            ("response_rate", c.response_rate.is_some()),
        ] {
            if given {
                cx.warning(
                    Code::NoEffect,
                    at("campaign", i, &[K(name)]),
                    format!("`{name}` applies to spam campaigns only"),
                    Some(format!(
                        "remove `{name}`, or make the campaign `kind = \"spam\"`"
                    )),
                );
            }
        }
        return (0.0, 0.0);
    }
    if c.victim_rate.is_some() {
        cx.warning(
            Code::NoEffect,
            at("campaign", i, &[K("victim_rate")]),
            "a spam campaign makes victims through its `response_rate`, not `victim_rate`",
            Some("remove `victim_rate`; set `messages` and `response_rate` instead".into()),
        );
    }
    let messages = c.messages.unwrap_or(model::DEFAULT_SPAM_MESSAGES);
    cx.check_non_negative(
        at("campaign", i, &[K("messages")]),
        "messages",
        messages,
        "messages per person an hour",
    );
    let rate = c.response_rate.unwrap_or(model::DEFAULT_SPAM_RESPONSE_RATE);
    cx.check_unit(
        at("campaign", i, &[K("response_rate")]),
        "response_rate",
        rate,
    );
    let messages = if messages.is_finite() {
        messages.max(0.0)
    } else {
        0.0
    };
    let rate = if (0.0..=1.0).contains(&rate) {
        rate
    } else {
        0.0
    };
    (messages, rate)
}

/// A campaign's origin and hosting economies: resolved, hosting ascending without
/// duplicates (a name listed twice is a warning), the origin alone when only it is
/// given. Hazards have neither.
fn reach(cx: &mut Validator<'_>, i: usize) -> (Option<EconomyIdx>, Vec<EconomyIdx>) {
    let raw = cx.raw;
    let c = &raw.campaigns[i];
    let hazard = matches!(
        c.kind,
        CampaignKind::NaturalDisaster | CampaignKind::TechnicalFailure
    ) || raw
        .actors
        .iter()
        .find(|a| a.id == c.actor)
        .is_some_and(|a| a.kind == ActorKind::NaturalHazard);
    if hazard && (c.origin.is_some() || !c.hosting.is_empty()) {
        let field = if c.origin.is_some() {
            "origin"
        } else {
            "hosting"
        };
        cx.warning(
            Code::NoEffect,
            at("campaign", i, &[K(field)]),
            "a natural hazard or technical failure has no origin or hosting economy",
            Some("remove `origin` and `hosting`: nobody can be prosecuted for a storm".into()),
        );
        return (None, Vec::new());
    }
    let origin = cx
        .optional(
            &c.origin,
            at("campaign", i, &[K("origin")]),
            Validator::economy,
        )
        .ok()
        .flatten();
    let mut hosting = Vec::new();
    for (k, e) in c.hosting.iter().enumerate() {
        let path = [K("hosting"), I(k)];
        let place = at("campaign", i, &path);
        if c.hosting[..k].contains(e) {
            cx.warning(
                Code::Repeated,
                place,
                format!("`{e}` is listed twice in `hosting`"),
                Some("list each hosting economy once".into()),
            );
            continue;
        }
        if let Some(e) = cx.economy(e, place) {
            hosting.push(e);
        }
    }
    if c.hosting.is_empty() {
        hosting.extend(origin);
    }
    hosting.sort_unstable();
    hosting.dedup();
    (origin, hosting)
}

/// Whether `id` is written as an ATT&CK technique id: `T` and four digits, with a
/// sub-technique `.` and three digits (`T1566`, `T1566.002`).
pub fn is_technique_id(id: &str) -> bool {
    let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
    let Some(rest) = id.strip_prefix('T') else {
        return false;
    };
    match rest.split_once('.') {
        None => digits(rest, 4),
        Some((technique, sub)) => digits(technique, 4) && digits(sub, 3),
    }
}

/// Every technique id of every stage is well formed, and none is listed twice in a stage.
fn check_techniques(cx: &mut Validator<'_>, i: usize, techniques: &RawTechniques) {
    for (stage, ids) in techniques.stages() {
        for (k, id) in ids.iter().enumerate() {
            let path = [K("techniques"), K(stage), I(k)];
            if !is_technique_id(id) {
                cx.error(
                    Code::InvalidValue,
                    at("campaign", i, &path),
                    format!("`{id}` is not an ATT&CK technique id"),
                    Some("write `T` and four digits, and for a sub-technique `.` and three more: `T1566`, `T1566.002`".into()),
                );
            } else if ids[..k].contains(id) {
                cx.warning(
                    Code::Repeated,
                    at("campaign", i, &path),
                    format!("`{id}` is listed twice in `{stage}`"),
                    Some("remove the repeated technique".into()),
                );
            }
        }
    }
}

/// Resolves a campaign's targets (see [`RawTargets`]): listed assets (a group means all
/// its members), plus every asset matching the economy and sector filters. When only
/// assets are listed, the filters add nothing; when nothing is listed, every asset is a
/// target.
fn targets(cx: &mut Validator<'_>, i: usize, t: &RawTargets, assets: &[Asset]) -> Vec<AssetIdx> {
    let mut economies = Vec::new();
    let mut unresolved = false;
    for (k, e) in t.economies.iter().enumerate() {
        match cx.economy(e, at("campaign", i, &[K("targets"), K("economies"), I(k)])) {
            Some(e) => economies.push(e),
            None => unresolved = true,
        }
    }
    let mut sectors = Vec::new();
    for (k, s) in t.sectors.iter().enumerate() {
        match cx.sector(s, at("campaign", i, &[K("targets"), K("sectors"), I(k)])) {
            Some(s) => sectors.push(s),
            None => unresolved = true,
        }
    }
    let mut targets = Vec::new();
    for (k, a) in t.assets.iter().enumerate() {
        match cx.asset_name(a, at("campaign", i, &[K("targets"), K("assets"), I(k)])) {
            Some(AssetName::Asset(idx)) => targets.push(idx),
            Some(AssetName::Group { first, count }) => {
                targets.extend((first..first + count).map(AssetIdx))
            }
            None => unresolved = true,
        }
    }
    let filtered = !t.economies.is_empty() || !t.sectors.is_empty() || t.assets.is_empty();
    if filtered {
        targets.extend(
            assets
                .iter()
                .enumerate()
                .filter(|(_, a)| {
                    (economies.is_empty() || economies.contains(&a.economy))
                        && (sectors.is_empty() || sectors.contains(&a.sector))
                })
                .map(|(n, _)| AssetIdx(n as u32)),
        );
    }
    targets.sort_unstable();
    targets.dedup();
    if targets.is_empty() && !unresolved && !cx.assets_incomplete {
        cx.error(
            Code::NoTargets,
            at("campaign", i, &[K("targets")]),
            "the campaign's targets match no asset",
            Some("no asset lies in one of these economies and one of these sectors; widen `economies` or `sectors`, or list `assets`".into()),
        );
    }
    targets
}

/// Warns about a campaign with no `start` that no inject starts.
pub(super) fn warn_never_started(
    cx: &mut Validator<'_>,
    campaigns: &[Campaign],
    injects: &[Inject],
) {
    let started: HashSet<CampaignIdx> = injects
        .iter()
        .flat_map(|i| &i.effects)
        .filter_map(|e| match e {
            Effect::StartCampaign(c) => Some(*c),
            _ => None,
        })
        .collect();
    for (i, c) in campaigns.iter().enumerate() {
        if c.start.is_none() && !started.contains(&CampaignIdx(i as u32)) {
            cx.warning(
                Code::NeverStarts,
                at("campaign", i, &[K("id")]),
                format!("campaign `{}` can never start", c.id),
                Some(
                    "it has no `start` and no inject has `start_campaign` for it; add one of them"
                        .into(),
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::fixture::{HEAD, SMALL, check, ok};
    use crate::scenario::model::*;

    const ACTOR: &str =
        "\n[[actor]]\nid = \"x\"\nname = \"X\"\nkind = \"criminal\"\ncapability = 5\n";

    #[test]
    fn targets_resolve_by_filters_and_listed_assets() {
        let s = ok(SMALL).scenario;
        // `sectors = ["finance"]`: the switch and the three banks.
        assert_eq!(
            s.campaigns[0].targets,
            vec![AssetIdx(1), AssetIdx(2), AssetIdx(3), AssetIdx(4)]
        );
        // Only assets listed: exactly those, the filters add nothing.
        assert_eq!(s.campaigns[1].targets, vec![AssetIdx(1)]);
        let text = SMALL.replace(
            "targets = { assets = [\"ar-switch\"] }",
            "targets = { assets = [\"bo-bank\"], economies = [\"ar\"], sectors = [\"energy\"] }",
        );
        let s = ok(&text).scenario;
        // The group means all its members; plus the Aramian energy assets.
        assert_eq!(
            s.campaigns[1].targets,
            vec![AssetIdx(0), AssetIdx(2), AssetIdx(3), AssetIdx(4)]
        );
        let text = SMALL.replace("targets = { assets = [\"ar-switch\"] }", "targets = {}");
        assert_eq!(ok(&text).scenario.campaigns[1].targets.len(), 5);
    }

    #[test]
    fn origin_and_hosting_resolve_and_hosting_defaults_to_the_origin() {
        let s = ok(SMALL).scenario;
        assert_eq!(s.campaigns[0].origin, None);
        assert!(s.campaigns[0].hosting.is_empty());
        let text = SMALL.replacen(
            "kind = \"phishing\"\n",
            "kind = \"phishing\"\norigin = \"bo\"\n",
            1,
        );
        let s = ok(&text).scenario;
        assert_eq!(s.campaigns[0].origin, Some(EconomyIdx(1)));
        assert_eq!(s.campaigns[0].hosting, vec![EconomyIdx(1)]);
        let text = text.replacen(
            "origin = \"bo\"\n",
            "origin = \"bo\"\nhosting = [\"bo\", \"ar\"]\n",
            1,
        );
        let s = ok(&text).scenario;
        assert_eq!(s.campaigns[0].hosting, vec![EconomyIdx(0), EconomyIdx(1)]);
    }

    #[test]
    fn origin_and_hosting_are_checked() {
        check(&format!(
            "{HEAD}{ACTOR}
[[asset]]
id = \"a\"
name = \"A\"
economy = \"sg\"
sector = \"energy\"

[[actor]]
id = \"storm\"
name = \"Storm\"
kind = \"natural_hazard\"
capability = 50

[[campaign]]
id = \"c\"
name = \"C\"
actor = \"x\"
kind = \"fake_website\"
targets = {{}}
start = 1
origin = \"zz\"
#        ^^^^ error[unknown-reference]: unknown economy `zz`
hosting = [\"sg\", \"sg\"]
#                ^^^^ warning[repeated]: `sg` is listed twice in `hosting`

[[campaign]]
id = \"s\"
name = \"S\"
actor = \"storm\"
kind = \"natural_disaster\"
targets = {{}}
start = 1
origin = \"sg\"
#        ^^^^ warning[no-effect]: a natural hazard or technical failure has no origin or hosting economy
"
        ));
    }

    #[test]
    fn campaign_defaults() {
        let s = ok(SMALL).scenario;
        assert_eq!(s.campaigns[0].stage_ticks, 3);
        assert_eq!(s.campaigns[0].intensity, 1);
        assert_eq!(
            s.campaigns[0].impact,
            default_impact(CampaignKind::Phishing)
        );
        assert_eq!(s.campaigns[1].stage_ticks, 2);
        assert_eq!(s.campaigns[0].victim_rate, 10.0, "phishing makes victims");
        assert_eq!(s.campaigns[0].victim_loss, None, "scaled to the economy");
        assert_eq!(s.campaigns[0].ransom, None);
    }

    #[test]
    fn victims_and_money_are_amounts_of_zero_or_more() {
        check(&format!(
            "{HEAD}
[[asset]]
id = \"a\"
name = \"A\"
economy = \"sg\"
sector = \"energy\"
{ACTOR}
[[campaign]]
id = \"c\"
name = \"C\"
actor = \"x\"
kind = \"ransomware\"
targets = {{}}
start = 1
victim_rate = -1.0
#             ^^^^ error[out-of-range]: `victim_rate` is -1, out of range
victim_loss = 0.0
ransom = nan
#        ^^^ error[out-of-range]: `ransom` is NaN, out of range
recovery_cost = 50_000.0
"
        ));
    }

    /// A spam campaign's messages and response rate: defaults, ranges, and warnings where
    /// they (or a spam campaign's `victim_rate`) would do nothing.
    #[test]
    fn spam_rates_have_defaults_ranges_and_apply_to_spam_only() {
        let spam = SMALL.replace("kind = \"phishing\"", "kind = \"spam\"");
        assert_ne!(spam, SMALL, "the example has a phishing campaign to turn");
        let s = ok(&spam).scenario;
        assert_eq!(s.campaigns[0].kind, CampaignKind::Spam);
        assert_eq!(s.campaigns[0].messages, DEFAULT_SPAM_MESSAGES);
        assert_eq!(s.campaigns[0].response_rate, DEFAULT_SPAM_RESPONSE_RATE);
        assert_eq!(s.campaigns[1].messages, 0.0, "other kinds send no spam");
        check(&format!(
            "{HEAD}
[[asset]]
id = \"a\"
name = \"A\"
economy = \"sg\"
sector = \"energy\"
{ACTOR}
[[campaign]]
id = \"s\"
name = \"S\"
actor = \"x\"
kind = \"spam\"
targets = {{}}
start = 1
messages = -2.0
#          ^^^^ error[out-of-range]: `messages` is -2, out of range
response_rate = 1.5
#               ^^^ error[out-of-range]: `response_rate` is 1.5, out of range
victim_rate = 3.0
#             ^^^ warning[no-effect]: a spam campaign makes victims through its `response_rate`, not `victim_rate`

[[campaign]]
id = \"p\"
name = \"P\"
actor = \"x\"
kind = \"phishing\"
targets = {{}}
start = 1
messages = 2.0
#          ^^^ warning[no-effect]: `messages` applies to spam campaigns only
"
        ));
    }

    #[test]
    fn a_scenario_with_no_assets_reports_campaigns_without_targets() {
        check(&format!(
            "{HEAD}{ACTOR}
[[campaign]]
id = \"c\"
name = \"C\"
actor = \"x\"
kind = \"ddos\"
targets = {{}}
#         ^^ error[no-targets]: the campaign's targets match no asset
start = 1
"
        ));
    }

    /// Issue 17: an intensity of 4294967295 passed, then `run` never finished.
    #[test]
    fn intensity_has_a_documented_maximum() {
        let at_max = SMALL.replace("stage_ticks = 2\n", "stage_ticks = 2\nintensity = 10000\n");
        assert_eq!(ok(&at_max).scenario.campaigns[1].intensity, 10_000);
        check(&SMALL.replace(
            "stage_ticks = 2\n",
            "stage_ticks = 2\nintensity = 4294967295\n#           ^^^^^^^^^^ error[over-limit]: `intensity` is 4294967295, more than the maximum of 10000\n",
        ));
    }

    #[test]
    fn ranges_start_and_a_campaign_nothing_starts() {
        check(&format!(
            "{HEAD}{ACTOR}
[[asset]]
id = \"a\"
name = \"A\"
economy = \"sg\"
sector = \"energy\"

[[campaign]]
id = \"c\"
#    ^^^ warning[never-starts]: campaign `c` can never start
name = \"C\"
actor = \"y\"
#       ^^^ error[unknown-reference]: unknown actor `y`
kind = \"ddos\"
targets = {{}}
stage_ticks = 0
#             ^ error[out-of-range]: `stage_ticks` must be at least 1
impact = 1.5
#        ^^^ error[out-of-range]: `impact` is 1.5, out of range

[[campaign]]
id = \"d\"
name = \"D\"
actor = \"x\"
kind = \"ddos\"
targets = {{}}
start = 11
#       ^^ error[tick-after-end]: `start` is tick 11, after the end of the exercise (tick 10)
"
        ));
    }

    #[test]
    fn technique_ids_are_checked_per_stage() {
        assert!(super::is_technique_id("T1566") && super::is_technique_id("T1566.002"));
        for bad in [
            "t1566",
            "T156",
            "T15660",
            "T1566.02",
            "T1566.",
            "TA0001",
            "T1566.0021",
            "",
        ] {
            assert!(!super::is_technique_id(bad), "{bad}");
        }
        let text = SMALL.replace(
            "stage_ticks = 2\n",
            "stage_ticks = 2\ntechniques = { initial_access = [\"T1566.001\", \"T1566.001\"], impact = [\"T1486\", \"1490\"] }\n#                                             ^^^^^^^^^^^ warning[repeated]: `T1566.001` is listed twice in `initial_access`\n#                                                                              ^^^^^^ error[invalid-value]: `1490` is not an ATT&CK technique id\n",
        );
        check(&text);
        let fine = SMALL.replace(
            "stage_ticks = 2\n",
            "stage_ticks = 2\ntechniques = { initial_access = [\"T1566.001\"], impact = [\"T1486\"] }\n",
        );
        let techniques = &ok(&fine).scenario.campaigns[1].techniques;
        assert_eq!(techniques.initial_access, ["T1566.001"]);
        assert_eq!(techniques.impact, ["T1486"]);
        assert!(techniques.foothold.is_empty());
    }
}
