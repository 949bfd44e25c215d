//! The facilitator guide: what the exercise control needs and players must not see
//! (HSEEP's controller and evaluator handbook, the MSEL): every inject in the order it
//! fires with its sender, channel, recipients, text and effects, the actions expected of
//! the teams, the discussion questions, the modules and the adversary's campaigns.

use cyberdrill_engine::names::{self, Names};
use cyberdrill_engine::scenario::Scenario;
use cyberdrill_engine::scenario::model::{Inject, Trigger};
use cyberdrill_engine::scenario::sheet;

use super::words::{self, snake};
use super::{Doc, Section};
use crate::report::tables::Table;

/// The facilitator guide of a scenario; `source` is its text, for the conditions as
/// written.
pub fn guide(scenario: &Scenario, source: &str) -> Doc {
    let when = written_conditions(scenario, source);
    let mut sections = vec![overview(scenario), timeline(scenario, &when)];
    sections.push(msel(scenario, &when));
    if !scenario.modules.is_empty() {
        sections.push(modules(scenario));
    }
    sections.push(campaigns(scenario));
    Doc {
        file: "facilitator-guide",
        title: format!("{}: facilitator guide", scenario.meta.title),
        subtitle: "For the facilitator and controllers only: the master scenario events list (MSEL), the actions expected of the teams and the questions to ask.".to_string(),
        sections,
    }
}

/// The `when` cell of each inject's MSEL row, as the file writes it.
fn written_conditions(scenario: &Scenario, source: &str) -> Vec<Option<String>> {
    let rows = sheet::export(source).unwrap_or_default();
    let column = rows
        .first()
        .and_then(|header| header.iter().position(|h| h == "when"));
    scenario
        .injects
        .iter()
        .map(|inject| {
            let row = rows
                .iter()
                .skip(1)
                .find(|r| r.first() == Some(&inject.id))?;
            column.and_then(|c| row.get(c)).cloned()
        })
        .collect()
}

fn overview(scenario: &Scenario) -> Section {
    let meta = &scenario.meta;
    let mut s = Section::new("The exercise");
    s.paragraph(meta.briefing.clone());
    let expected: usize = scenario
        .injects
        .iter()
        .map(|i| i.msel.expectations.len())
        .sum();
    s.facts(vec![
        (
            "Length".to_string(),
            format!(
                "{} ticks of {}",
                meta.duration_ticks,
                words::span(u64::from(meta.tick_minutes))
            ),
        ),
        ("Injects".to_string(), scenario.injects.len().to_string()),
        ("Expected actions".to_string(), expected.to_string()),
        (
            "Campaigns".to_string(),
            scenario.campaigns.len().to_string(),
        ),
        (
            "Modules".to_string(),
            scenario.modules.len().max(1).to_string(),
        ),
    ]);
    s.paragraph(format!(
        "Run it with `cyberdrill serve {id} --journal {id}.journal` (or `cyberdrill play` for one seat); \
         the facilitator can fire, rewrite and broadcast injects; after the exercise, \
         `cyberdrill report {id}.journal` scores the expected actions and training objectives.",
        id = meta.id
    ));
    s
}

/// Injects in the order they can fire: fixed ticks first by tick, then the rest.
fn timeline(scenario: &Scenario, when: &[Option<String>]) -> Section {
    let mut s = Section::new("Timeline");
    let mut table = Table::with_columns(&[
        ("fires", false),
        ("inject", false),
        ("from", false),
        ("channel", false),
        ("to", false),
    ]);
    for (k, inject) in ordered(scenario) {
        table.push(vec![
            words::trigger(scenario, inject, when.get(k).and_then(|w| w.as_deref())),
            inject.headline.clone(),
            inject.msel.sender.clone().unwrap_or_else(|| "–".into()),
            inject
                .msel
                .channel
                .map_or_else(|| "–".into(), |c| snake(&c)),
            words::audience(scenario, inject),
        ]);
    }
    s.table(table);
    if scenario.injects.is_empty() {
        s.paragraph("This scenario has no inject: the campaigns alone drive the story.");
    }
    s
}

/// Injects with their index, those at a fixed tick first in tick order, then the others
/// in file order.
fn ordered(scenario: &Scenario) -> Vec<(usize, &Inject)> {
    let mut injects: Vec<(usize, &Inject)> = scenario.injects.iter().enumerate().collect();
    injects.sort_by_key(|(k, i)| match i.trigger {
        Trigger::At(t) => (0, t, *k),
        _ => (1, 0, *k),
    });
    injects
}

fn msel(scenario: &Scenario, when: &[Option<String>]) -> Section {
    let mut s = Section::new("Master scenario events list");
    for (k, inject) in ordered(scenario) {
        s.heading(format!("{} ({})", inject.headline, inject.id));
        let mut facts = vec![(
            "Fires".to_string(),
            words::trigger(scenario, inject, when.get(k).and_then(|w| w.as_deref())),
        )];
        if let Some(sender) = &inject.msel.sender {
            facts.push(("From".to_string(), sender.clone()));
        }
        if let Some(channel) = inject.msel.channel {
            facts.push(("Channel".to_string(), snake(&channel)));
        }
        facts.push(("To".to_string(), words::audience(scenario, inject)));
        if !inject.effects.is_empty() {
            let effects: Vec<String> = inject
                .effects
                .iter()
                .map(|e| words::effect(scenario, e))
                .collect();
            facts.push(("Effects".to_string(), effects.join("; ")));
        }
        s.facts(facts);
        s.paragraph(inject.text.clone());
        if !inject.msel.expectations.is_empty() {
            let mut table = Table::with_columns(&[
                ("expected action", false),
                ("of", false),
                ("scored", false),
                ("points", true),
                ("counts for", false),
            ]);
            for e in &inject.msel.expectations {
                let objectives: Vec<String> = e
                    .objectives
                    .iter()
                    .filter_map(|o| scenario.objectives.get(o.index()))
                    .map(|o| o.description.clone())
                    .collect();
                table.push(vec![
                    e.description.clone(),
                    words::expected_of(scenario, inject, e),
                    words::scored_by(scenario, e),
                    e.score.to_string(),
                    objectives.join("; "),
                ]);
            }
            s.table(table);
        }
        if !inject.msel.questions.is_empty() {
            s.paragraph("Discussion questions:");
            s.list(inject.msel.questions.clone());
        }
    }
    s
}

fn modules(scenario: &Scenario) -> Section {
    let mut s = Section::new("Modules and their discussions");
    let end = scenario.meta.duration_ticks;
    for (k, m) in scenario.modules.iter().enumerate() {
        let until = scenario.modules.get(k + 1).map_or(end, |next| next.start);
        s.heading(format!(
            "Module {}: {} ({} to {})",
            k + 1,
            m.title,
            words::tick(scenario, m.start),
            words::tick(scenario, until)
        ));
        let injects: Vec<String> = ordered(scenario)
            .into_iter()
            .filter(|(_, i)| matches!(i.trigger, Trigger::At(t) if t >= m.start && t < until))
            .map(|(_, i)| i.headline.clone())
            .collect();
        if !injects.is_empty() {
            s.paragraph(format!("Injects at fixed ticks: {}.", injects.join("; ")));
        }
        if m.questions.is_empty() {
            s.paragraph("Discuss what happened and what the teams will do next.");
        } else {
            s.list(m.questions.clone());
        }
    }
    s
}

fn campaigns(scenario: &Scenario) -> Section {
    let names = Names(scenario);
    let mut s = Section::new("The adversary");
    s.paragraph("Played by the simulation. Keep it from the players: they learn of it through incidents and injects.");
    let mut table = Table::with_columns(&[
        ("campaign", false),
        ("actor", false),
        ("kind", false),
        ("starts", false),
        ("targets", false),
        ("ATT&CK techniques", false),
    ]);
    for c in &scenario.campaigns {
        let actor = scenario
            .actors
            .get(c.actor.index())
            .map_or_else(|| "–".to_string(), |a| a.name.clone());
        let starts = match c.start {
            Some(t) => format!("at {}", words::tick(scenario, t)),
            None => "when an inject starts it".to_string(),
        };
        let targets: Vec<String> = c.targets.iter().map(|a| names.asset(*a)).collect();
        let techniques: Vec<String> = c
            .techniques
            .stages()
            .iter()
            .filter(|(_, ids)| !ids.is_empty())
            .map(|(stage, ids)| format!("{}: {}", stage.replace('_', " "), ids.join(", ")))
            .collect();
        table.push(vec![
            c.name.clone(),
            actor,
            names::campaign_kind(c.kind).to_string(),
            starts,
            summarise(&targets, 6),
            if techniques.is_empty() {
                "–".to_string()
            } else {
                techniques.join("; ")
            },
        ]);
    }
    s.table(table);
    s
}

/// The first `n` names and how many more.
fn summarise(names: &[String], n: usize) -> String {
    if names.len() <= n {
        names.join(", ")
    } else {
        format!("{} and {} more", names[..n].join(", "), names.len() - n)
    }
}
