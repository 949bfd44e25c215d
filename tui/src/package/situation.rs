//! The situation manual: what every participant reads before the exercise (HSEEP's
//! SitMan): background, economies and readiness, teams and their actions, objectives,
//! rules of play and the schedule by module. It tells no inject in advance.

use cyberdrill_engine::command::CommandKind;
use cyberdrill_engine::names::{self, Names};
use cyberdrill_engine::scenario::Scenario;
use cyberdrill_engine::scenario::model::Role;

use super::words::{self, snake};
use super::{Doc, Section};
use crate::report::tables::Table;

/// The situation manual of a scenario.
pub fn manual(scenario: &Scenario) -> Doc {
    Doc {
        file: "situation-manual",
        title: format!("{}: situation manual", scenario.meta.title),
        subtitle: "For every participant: the situation at the start, who plays whom, what counts and how the exercise runs.".to_string(),
        sections: vec![
            background(scenario),
            economies(scenario),
            teams(scenario),
            objectives(scenario),
            rules(scenario),
            schedule(scenario),
        ],
    }
}

fn background(scenario: &Scenario) -> Section {
    let meta = &scenario.meta;
    let mut s = Section::new("Background");
    s.paragraph(meta.briefing.clone());
    let mut facts = vec![(
        "Length".to_string(),
        format!(
            "{} of simulated time ({} ticks of {})",
            words::span(u64::from(meta.duration_ticks) * u64::from(meta.tick_minutes)),
            meta.duration_ticks,
            words::span(u64::from(meta.tick_minutes))
        ),
    )];
    if let Some(start) = &meta.start_label {
        facts.push(("Starts".to_string(), start.clone()));
    }
    let names: Vec<&str> = scenario.economies.iter().map(|e| e.name.as_str()).collect();
    facts.push(("Economies".to_string(), names.join(", ")));
    facts.push(("Teams".to_string(), scenario.teams.len().to_string()));
    s.facts(facts);
    s
}

fn economies(scenario: &Scenario) -> Section {
    let mut s = Section::new("Economies and readiness");
    s.paragraph(
        "Readiness is scored 0-100 on the five work areas of the ITU Global Cybersecurity Agenda; \
         it sets how fast each economy detects, responds and recovers. Its output (GDP) over \
         the exercise is what every loss is compared with.",
    );
    let mut table = Table::with_columns(&[
        ("economy", false),
        ("population", true),
        ("legal", true),
        ("technical", true),
        ("organizational", true),
        ("capacity", true),
        ("cooperation", true),
        ("public awareness", true),
        ("public trust", true),
        ("output for the exercise", true),
    ]);
    for (i, e) in scenario.economies.iter().enumerate() {
        let r = e.readiness;
        table.push(vec![
            e.name.clone(),
            thousands(e.population),
            r.legal.to_string(),
            r.technical.to_string(),
            r.organizational.to_string(),
            r.capacity.to_string(),
            r.cooperation.to_string(),
            e.awareness.to_string(),
            e.trust.to_string(),
            cyberdrill_engine::money::short(cyberdrill_engine::economics::exercise_output(
                scenario,
                Some(cyberdrill_engine::scenario::model::EconomyIdx(i as u32)),
            )),
        ]);
    }
    s.table(table);

    s.heading("Critical infrastructure");
    let names = Names(scenario);
    let mut assets = Table::with_columns(&[
        ("asset", false),
        ("economy", false),
        ("sector", false),
        ("people served", true),
        ("depends on", false),
    ]);
    for a in &scenario.assets {
        let depends: Vec<String> = a
            .depends_on()
            .iter()
            .map(|d| format!("{} ({})", names.asset(d.on), snake(&d.kind)))
            .collect();
        assets.push(vec![
            a.name().into_owned(),
            names.economy(a.economy),
            names.sector(a.sector),
            thousands(a.people_served),
            depends.join(", "),
        ]);
    }
    s.table(assets);

    if !scenario.agreements.is_empty() {
        s.heading("Agreements between economies");
        let mut agreements =
            Table::with_columns(&[("agreement", false), ("between", false), ("delay", false)]);
        for a in &scenario.agreements {
            agreements.push(vec![
                snake(&a.kind),
                names.economies(&a.parties),
                words::ticks_span(scenario, a.delay),
            ]);
        }
        s.table(agreements);
    }
    s
}

fn teams(scenario: &Scenario) -> Section {
    let names = Names(scenario);
    let mut s = Section::new("Teams and what they can do");
    let mut table = Table::with_columns(&[
        ("team", false),
        ("role", false),
        ("economy", false),
        ("analysts", true),
        ("answers for", false),
    ]);
    for t in &scenario.teams {
        let sectors: Vec<String> = t.sectors.iter().map(|x| names.sector(*x)).collect();
        table.push(vec![
            t.name.clone(),
            names::role(t.role).to_string(),
            names.economy(t.economy),
            t.analysts.to_string(),
            if sectors.is_empty() {
                "every sector".to_string()
            } else {
                sectors.join(", ")
            },
        ]);
    }
    s.table(table);
    let mut roles: Vec<Role> = Vec::new();
    for t in &scenario.teams {
        if !roles.contains(&t.role) {
            roles.push(t.role);
        }
    }
    for role in roles {
        s.heading(format!("Actions of a {} team", names::role(role)));
        s.list(
            CommandKind::ALL
                .iter()
                .filter(|k| k.allowed_to(role))
                .map(|k| format!("{}: {}", k.label(), k.description()))
                .collect(),
        );
    }
    s
}

fn objectives(scenario: &Scenario) -> Section {
    let mut s = Section::new("Objectives");
    s.paragraph(
        "The exercise scores these objectives as it runs; every team sees its own and the region's.",
    );
    s.table(words::objectives(scenario));
    if scenario.objectives.is_empty() {
        s.paragraph("This scenario sets no scored objective: the debrief discusses the response.");
    }
    s
}

fn rules(scenario: &Scenario) -> Section {
    let meta = &scenario.meta;
    let mut s = Section::new("Rules of play");
    s.list(vec![
        format!(
            "The clock moves in ticks of {}; the exercise ends after tick {}. The facilitator may pause it at any time.",
            words::span(u64::from(meta.tick_minutes)),
            meta.duration_ticks
        ),
        "Stay in your role: act only through your team's actions, as your organisation would.".to_string(),
        "An action occupies analysts until it is done; a team cannot do more at once than it has analysts.".to_string(),
        "News and messages (injects) reach the teams they are addressed to during play; treat them as real.".to_string(),
        format!(
            "Information shared with an economy arrives after its agreement's delay, or after {} without an agreement; analysts lent arrive after {} without one; mutual legal assistance takes {} without one.",
            words::ticks_span(scenario, meta.sharing_delay_without_agreement),
            words::ticks_span(scenario, meta.assistance_delay_without_agreement),
            words::ticks_span(scenario, meta.mla_delay_without_agreement)
        ),
        "The threat actors and the infrastructure are played by the simulation; the facilitator may fire or rewrite injects.".to_string(),
        "It is a no-fault exercise: the debrief looks at decisions and processes, not at people.".to_string(),
    ]);
    s
}

fn schedule(scenario: &Scenario) -> Section {
    let mut s = Section::new("Schedule by module");
    let end = scenario.meta.duration_ticks;
    if scenario.modules.is_empty() {
        s.paragraph(format!(
            "One module from {} to {}, then the hot wash (the discussion right after play).",
            words::tick(scenario, 0),
            words::tick(scenario, end)
        ));
        return s;
    }
    let mut table = Table::with_columns(&[
        ("module", false),
        ("from", false),
        ("to", false),
        ("then discuss", false),
    ]);
    for (k, m) in scenario.modules.iter().enumerate() {
        let until = scenario.modules.get(k + 1).map_or(end, |next| next.start);
        table.push(vec![
            m.title.clone(),
            words::tick(scenario, m.start),
            words::tick(scenario, until),
            if m.questions.is_empty() {
                "what happened, what to do next".to_string()
            } else {
                m.questions.join(" / ")
            },
        ]);
    }
    s.table(table);
    s.paragraph("Play pauses at the end of each module for its discussion; the hot wash follows the last one.");
    s
}

/// `5,000,000`.
fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (k, c) in digits.chars().enumerate() {
        if k > 0 && (digits.len() - k).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}
