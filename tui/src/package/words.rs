//! The scenario's elements in words, as the package's documents print them.

use cyberdrill_engine::names::{self, Names};
use cyberdrill_engine::scenario::Scenario;
use cyberdrill_engine::scenario::model::{
    Audience, Effect, Expectation, Goal, Inject, ObjectiveScope, Trigger,
};
use serde::Serialize;

use crate::report::tables::Table;

/// A value of the scenario format in words: `operational_coordination` becomes
/// `operational coordination`.
pub fn snake<T: Serialize>(value: &T) -> String {
    serde_json::to_value(value)
        .ok()
        .and_then(|v| v.as_str().map(|s| s.replace('_', " ")))
        .unwrap_or_default()
}

/// A length of simulated time: `45 min`, `6 h`, `2 d 4 h`.
pub fn span(minutes: u64) -> String {
    let (days, hours, mins) = (minutes / 1440, minutes % 1440 / 60, minutes % 60);
    let mut parts = Vec::new();
    if days > 0 {
        parts.push(format!("{days} d"));
    }
    if hours > 0 {
        parts.push(format!("{hours} h"));
    }
    if mins > 0 || parts.is_empty() {
        parts.push(format!("{mins} min"));
    }
    parts.join(" ")
}

/// A tick with the simulated time since the start: `tick 6 (start + 6 h)`.
pub fn tick(scenario: &Scenario, tick: u32) -> String {
    let minutes = u64::from(tick) * u64::from(scenario.meta.tick_minutes);
    if tick == 0 {
        "the start (tick 0)".to_string()
    } else {
        format!("tick {tick} (start + {})", span(minutes))
    }
}

/// When an inject fires. A condition is quoted as the scenario writes it (`when` in the
/// MSEL sheet), since that is what the facilitator sees in the file.
pub fn trigger(scenario: &Scenario, inject: &Inject, written_when: Option<&str>) -> String {
    match &inject.trigger {
        Trigger::Manual => "when the facilitator fires it".to_string(),
        Trigger::At(t) => format!("at {}", tick(scenario, *t)),
        Trigger::After { inject, delay } => {
            let headline = scenario
                .injects
                .get(inject.index())
                .map_or("another inject", |i| i.headline.as_str());
            match delay {
                0 => format!("with \u{201c}{headline}\u{201d}"),
                1 => format!("1 tick after \u{201c}{headline}\u{201d}"),
                d => format!("{d} ticks after \u{201c}{headline}\u{201d}"),
            }
        }
        Trigger::When(_) => match written_when {
            Some(text) if !text.is_empty() => format!("when {text}"),
            _ => "when its condition holds".to_string(),
        },
    }
}

/// Who receives an inject: `every team`, team names, with the roles it was addressed to.
pub fn audience(scenario: &Scenario, inject: &Inject) -> String {
    let names = Names(scenario);
    let mut text = match &inject.audience {
        Audience::All => "every team".to_string(),
        Audience::Facilitator => "the facilitator only".to_string(),
        Audience::Teams(teams) => teams
            .iter()
            .map(|t| names.team(*t))
            .collect::<Vec<_>>()
            .join(", "),
    };
    if !inject.msel.to_roles.is_empty() {
        let roles: Vec<&str> = inject
            .msel
            .to_roles
            .iter()
            .map(|r| names::role(*r))
            .collect();
        text.push_str(&format!(" (every {} team)", roles.join(" and ")));
    }
    text
}

/// What an inject does to the world when it fires.
pub fn effect(scenario: &Scenario, effect: &Effect) -> String {
    let names = Names(scenario);
    let campaign = |c: cyberdrill_engine::scenario::model::CampaignIdx| {
        scenario
            .campaigns
            .get(c.index())
            .map_or_else(|| format!("campaign #{}", c.0), |c| c.name.clone())
    };
    match effect {
        Effect::StartCampaign(c) => format!("starts the campaign \u{201c}{}\u{201d}", campaign(*c)),
        Effect::StopCampaign(c) => format!("stops the campaign \u{201c}{}\u{201d}", campaign(*c)),
        Effect::DamageAsset { asset, amount } => format!(
            "takes {:.0}% of the service of {}",
            amount * 100.0,
            names.asset(*asset)
        ),
        Effect::AdjustTrust { economy, delta } => {
            format!(
                "moves public trust in {} by {delta:+.0}",
                names.economy(*economy)
            )
        }
        Effect::SetAwareness { economy, value } => {
            format!(
                "sets public awareness in {} to {value}",
                names.economy(*economy)
            )
        }
        Effect::SpamFiltering { economy, value } => {
            format!(
                "has the providers in {} filter spam up to {value}%",
                names.economy(*economy)
            )
        }
        Effect::AdjustAnalysts { team, delta } => {
            format!("changes the analysts of {} by {delta:+}", names.team(*team))
        }
        Effect::Ransom { .. } => cyberdrill_engine::names::effect(scenario, effect),
    }
}

/// Whom an objective is for.
pub fn scope(scenario: &Scenario, scope: ObjectiveScope) -> String {
    match scope {
        ObjectiveScope::Region => "the region (every team)".to_string(),
        ObjectiveScope::Team(t) => Names(scenario).team(t),
    }
}

/// An objective's goal as a sentence.
pub fn goal(scenario: &Scenario, goal: &Goal) -> String {
    let names = Names(scenario);
    let economy = |e: Option<cyberdrill_engine::scenario::model::EconomyIdx>| {
        e.map_or_else(|| "the region".to_string(), |e| names.economy(e))
    };
    let campaign = |c: Option<cyberdrill_engine::scenario::model::CampaignIdx>| {
        c.and_then(|c| scenario.campaigns.get(c.index()))
            .map_or_else(
                || "any campaign".to_string(),
                |c| format!("\u{201c}{}\u{201d}", c.name),
            )
    };
    match goal {
        Goal::ServiceAtLeast {
            economy: e,
            sector,
            level,
        } => {
            let what = match sector {
                Some(s) => format!("{} in {}", names.sector(*s), economy(*e)),
                None => economy(*e),
            };
            format!("service of {what} stays at or above {:.0}%", level * 100.0)
        }
        Goal::TrustAtLeast { economy: e, level } => format!(
            "public trust in {} stays at or above {level:.0}",
            names.economy(*e)
        ),
        Goal::LossAtMost { economy: e, amount } => format!(
            "loss in {} stays at or below {}",
            economy(*e),
            cyberdrill_engine::money::in_context(
                *amount,
                cyberdrill_engine::economics::exercise_output(scenario, *e),
                &economy(*e)
            )
        ),
        Goal::DetectWithin {
            campaign: c,
            economy: e,
            ticks,
        } => format!(
            "incidents of {} in {} detected within {} of their start",
            campaign(*c),
            economy(*e),
            ticks_span(scenario, *ticks)
        ),
        Goal::ContainWithin {
            campaign: c,
            economy: e,
            ticks,
        } => format!(
            "incidents of {} in {} contained within {} of their start",
            campaign(*c),
            economy(*e),
            ticks_span(scenario, *ticks)
        ),
        Goal::ChildrenSafeguarded { economy: e, share } => format!(
            "at least {:.0}% of the children harmful content reaches in {} are safeguarded",
            share * 100.0,
            economy(*e)
        ),
        Goal::ChildrenExposedAtMost { economy: e, count } => format!(
            "harmful content reaches at most {count:.0} children in {}",
            economy(*e)
        ),
    }
}

/// The objectives as a table: what, for whom, met when, weight.
pub fn objectives(scenario: &Scenario) -> Table {
    let mut table = Table::with_columns(&[
        ("objective", false),
        ("for", false),
        ("met when", false),
        ("weight", true),
    ]);
    for o in &scenario.objectives {
        table.push(vec![
            o.description.clone(),
            scope(scenario, o.scope),
            goal(scenario, &o.goal),
            o.weight.to_string(),
        ]);
    }
    table
}

/// A number of ticks as simulated time: `6 ticks (6 h)`.
pub fn ticks_span(scenario: &Scenario, ticks: u32) -> String {
    let minutes = u64::from(ticks) * u64::from(scenario.meta.tick_minutes);
    let unit = if ticks == 1 { "tick" } else { "ticks" };
    format!("{ticks} {unit} ({})", span(minutes))
}

/// Who is expected to act on an expectation: its teams, else the inject's recipients.
pub fn expected_of(scenario: &Scenario, inject: &Inject, expectation: &Expectation) -> String {
    if expectation.teams.is_empty() {
        audience(scenario, inject)
    } else {
        let names = Names(scenario);
        expectation
            .teams
            .iter()
            .map(|t| names.team(*t))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// How an expectation is scored: by the engine (a command within a time) or by the
/// evaluators.
pub fn scored_by(scenario: &Scenario, expectation: &Expectation) -> String {
    match (expectation.action, expectation.within) {
        (Some(action), Some(within)) => format!(
            "automatically: `{}` sent within {} of the inject",
            action.label(),
            ticks_span(scenario, within)
        ),
        (Some(action), None) => format!(
            "automatically: `{}` sent before the end of the exercise",
            action.label()
        ),
        (None, _) => "by the evaluators".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_read_as_days_hours_and_minutes() {
        assert_eq!(span(0), "0 min");
        assert_eq!(span(45), "45 min");
        assert_eq!(span(360), "6 h");
        assert_eq!(span(1440 + 4 * 60 + 30), "1 d 4 h 30 min");
    }

    /// A loss objective's limit is put in context: its share of the output of the economy
    /// (here the region) over the exercise.
    #[test]
    fn a_loss_limit_reads_with_its_share_of_output() {
        let scenario = match cyberdrill_engine::scenario::parse(
            cyberdrill_engine::scenario::bundled::APEC_REGIONAL,
        ) {
            Ok(checked) => checked.scenario,
            Err(d) => panic!("{d:?}"),
        };
        let Some((goal, amount)) = scenario.objectives.iter().find_map(|o| match o.goal {
            Goal::LossAtMost {
                economy: None,
                amount,
            } => Some((&o.goal, amount)),
            _ => None,
        }) else {
            panic!("the APEC scenario caps the regional loss");
        };
        let output = cyberdrill_engine::economics::exercise_output(&scenario, None);
        assert_eq!(
            super::goal(&scenario, goal),
            format!(
                "loss in the region stays at or below {}",
                cyberdrill_engine::money::in_context(amount, output, "the region")
            )
        );
        assert!(super::goal(&scenario, goal).contains("of the region's output for the exercise"));
    }
}
