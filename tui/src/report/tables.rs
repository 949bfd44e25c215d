//! The report's facts and tables, built once from a [`ReportInput`] and rendered by
//! each format ([`super::html`], [`super::markdown`]): both formats tell the same facts
//! in the same words, and a table added here appears in both.

use cyberdrill_engine::command::{Actor, CommandKind, Pillar};
use cyberdrill_engine::journal::{NoteSubject, Pace, SessionEvent};
use cyberdrill_engine::readiness::SelfAssessment;
use cyberdrill_engine::scenario::Scenario;
use cyberdrill_engine::scenario::attainment::{
    self, Attainment, ExpectationResult, Outcome, RunRecord,
};
use cyberdrill_engine::scenario::coverage;
use cyberdrill_engine::scenario::model::TeamIdx;
use cyberdrill_engine::trust::TrustCause;
use cyberdrill_engine::view::ObjectiveView;

use super::{ReportInput, analysis, knowledge, map, money};
use crate::text::percent;

/// A column of a table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    pub title: String,
    /// Numbers, aligned to the right.
    pub numeric: bool,
}

/// A table of text cells, one `Vec` per row, as many cells as columns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    pub columns: Vec<Column>,
    pub rows: Vec<Vec<String>>,
}

impl Table {
    /// An empty table with these columns: (title, numeric).
    pub fn with_columns(columns: &[(&str, bool)]) -> Self {
        Self::with_titles(
            columns
                .iter()
                .map(|&(title, numeric)| (title.to_string(), numeric))
                .collect(),
        )
    }

    /// An empty table with columns named at run time: (title, numeric).
    pub fn with_titles(columns: Vec<(String, bool)>) -> Self {
        Table {
            columns: columns
                .into_iter()
                .map(|(title, numeric)| Column { title, numeric })
                .collect(),
            rows: Vec::new(),
        }
    }

    /// Adds a row of as many cells as columns.
    pub fn push(&mut self, row: Vec<String>) {
        debug_assert_eq!(row.len(), self.columns.len());
        self.rows.push(row);
    }
}

/// `4.5 h`, or `–` when nothing was measured.
fn hours(value: Option<f64>) -> String {
    value.map_or_else(|| "–".to_string(), |h| format!("{h:.1} h"))
}

/// A tick, or `–` when the milestone was never reached.
fn tick(value: Option<u32>) -> String {
    value.map_or_else(|| "–".to_string(), |t| t.to_string())
}

/// The exercise in a few facts: (name, value), for the top of the report.
pub fn summary(input: &ReportInput) -> Vec<(&'static str, String)> {
    let h = &input.header;
    let economies: Vec<&str> = input
        .view
        .economies
        .iter()
        .map(|e| e.name.as_str())
        .collect();
    vec![
        (
            "Scenario",
            format!("{} ({})", input.view.title, h.scenario_file),
        ),
        ("Economies", economies.join(", ")),
        ("Teams", input.view.teams.len().to_string()),
        (
            "Duration",
            format!(
                "{} of {} ticks ({:.0} simulated hours)",
                input.view.tick,
                input.view.duration_ticks,
                input.hours(f64::from(input.view.tick))
            ),
        ),
        ("Seed", h.seed.to_string()),
        ("Recorded by", h.recorded_by.clone()),
        ("Engine", h.engine_version.clone()),
        ("Scenario blake3", h.scenario_blake3.clone()),
        ("Final state hash", input.state_hash.clone()),
    ]
}

/// Each economy at the end: trust (and its lowest), service and loss; with harmful
/// content in the scenario, also the children it reached and those safeguarded (child
/// online protection is measured in children, not money); with spam, the messages that
/// got past filtering to people and the people who answered (fraud victims).
pub fn economies_at_end(input: &ReportInput) -> Table {
    let children: Vec<Option<(f64, f64)>> = input
        .view
        .economies
        .iter()
        .map(|e| children_of(&input.metrics, &e.id))
        .collect();
    let with_children = children.iter().any(Option::is_some);
    let spam: Vec<Option<(f64, f64)>> = input
        .view
        .economies
        .iter()
        .map(|e| spam_of(&input.metrics, &e.id))
        .collect();
    let with_spam = spam.iter().any(Option::is_some);
    let mut columns = vec![
        ("economy", false),
        ("trust", true),
        ("lowest trust", true),
        ("service", true),
        ("loss", true),
        ("share of output", true),
    ];
    if with_children {
        columns.extend([("children exposed", true), ("safeguarded", true)]);
    }
    if with_spam {
        columns.extend([("spam reaching people", true), ("answered spam", true)]);
    }
    let mut table = Table::with_columns(&columns);
    for ((e, children), spam) in input.view.economies.iter().zip(children).zip(spam) {
        let lowest = e.history.iter().map(|p| p.trust).fold(e.trust, f64::min);
        let mut row = vec![
            e.name.clone(),
            format!("{:.0}", e.trust),
            format!("{lowest:.0}"),
            percent(e.service),
            money(e.loss),
            cyberdrill_engine::money::share(e.loss, e.output),
        ];
        if with_children {
            let (exposed, safeguarded) = children.unwrap_or((0.0, 0.0));
            row.push(format!("{exposed:.0}"));
            row.push(if exposed > 0.0 {
                format!("{safeguarded:.0} ({:.0}%)", 100.0 * safeguarded / exposed)
            } else {
                format!("{safeguarded:.0}")
            });
        }
        if with_spam {
            let (reached, responded) = spam.unwrap_or((0.0, 0.0));
            row.push(format!("{reached:.0}"));
            row.push(format!("{responded:.1}"));
        }
        table.push(row);
    }
    table
}

/// One economy's entry in the run's metrics (`economies[]`, found by its id).
fn economy_metrics<'a>(
    metrics: &'a serde_json::Value,
    economy: &str,
) -> Option<&'a serde_json::Value> {
    metrics
        .get("economies")?
        .as_array()?
        .iter()
        .find(|e| e.get("id").and_then(|id| id.as_str()) == Some(economy))
}

/// The children an economy's harmful-content incidents reached and safeguarded, from
/// the run's metrics (`economies[].children`, present only with harmful content).
fn children_of(metrics: &serde_json::Value, economy: &str) -> Option<(f64, f64)> {
    let children = economy_metrics(metrics, economy)?.get("children")?;
    Some((
        children.get("exposed")?.as_f64()?,
        children.get("safeguarded")?.as_f64()?,
    ))
}

/// The spam messages that reached an economy's people past filtering and the people who
/// answered them, from the run's metrics (`economies[].spam`, present only with spam).
fn spam_of(metrics: &serde_json::Value, economy: &str) -> Option<(f64, f64)> {
    let spam = economy_metrics(metrics, economy)?.get("spam")?;
    Some((
        spam.get("reached")?.as_f64()?,
        spam.get("responded")?.as_f64()?,
    ))
}

/// Each economy's ITU-style self-assessment: its five readiness pillars at the start and
/// at the end (`start → end`) and what moved them, from the run's metrics
/// (`economies[].self_assessment`; `docs/model.md` "Readiness that moves").
pub fn self_assessment(input: &ReportInput) -> Table {
    let mut columns: Vec<(String, bool)> = vec![("economy".to_string(), false)];
    columns.extend(Pillar::ALL.iter().map(|p| (p.name().to_string(), true)));
    columns.push(("what moved them".to_string(), false));
    let mut table = Table::with_titles(columns);
    for e in &input.view.economies {
        let Some(assessment) = self_assessment_of(&input.metrics, &e.id) else {
            continue;
        };
        let mut row = vec![e.name.clone()];
        row.extend(Pillar::ALL.iter().map(|&p| {
            let (start, end) = (p.of(assessment.start), p.of(assessment.end));
            if start == end {
                format!("{end}")
            } else {
                format!("{start} → {end}")
            }
        }));
        let moves: Vec<String> = assessment
            .moves
            .parts()
            .iter()
            .map(|(pillar, cause, points)| {
                format!("{} +{points} ({})", pillar.name(), cause.label())
            })
            .collect();
        row.push(if moves.is_empty() {
            "nothing".to_string()
        } else {
            moves.join("; ")
        });
        table.push(row);
    }
    table
}

/// An economy's self-assessment from the run's metrics.
fn self_assessment_of(metrics: &serde_json::Value, economy: &str) -> Option<SelfAssessment> {
    let found = economy_metrics(metrics, economy)?.get("self_assessment")?;
    serde_json::from_value(found.clone()).ok()
}

/// What moved each economy's public trust, by cause, from its start to the end (the
/// causes add up to the change; `docs/model.md` "Public trust").
pub fn trust_moves(input: &ReportInput) -> Table {
    let mut columns: Vec<(String, bool)> = vec![
        ("economy".to_string(), false),
        ("trust at the end".to_string(), true),
        ("change".to_string(), true),
    ];
    columns.extend(
        TrustCause::ALL
            .iter()
            .map(|c| (c.label().to_string(), true)),
    );
    let mut table = Table::with_titles(columns);
    for e in &input.view.economies {
        let Some(moves) = e.trust_moves else {
            continue;
        };
        let mut row = vec![
            e.name.clone(),
            format!("{:.0}", e.trust),
            format!("{:+.1}", moves.total()),
        ];
        row.extend(moves.parts().iter().map(|(_, p)| format!("{p:+.1}")));
        table.push(row);
    }
    table
}

/// The region's cross-border dependencies, economy to economy (the map's arrows), with
/// the lowest service and the loss of each side.
pub fn cross_border(input: &ReportInput) -> Table {
    let mut table = Table::with_columns(&[
        ("economy", false),
        ("depends on", false),
        ("asset dependencies", true),
        ("summed weight", true),
        ("its lowest service", true),
        ("their lowest service", true),
    ]);
    let economies = &input.view.economies;
    for link in map::links(&input.view) {
        let (from, to) = (&economies[link.from], &economies[link.to]);
        table.push(vec![
            from.name.clone(),
            to.name.clone(),
            link.count.to_string(),
            format!("{:.2}", link.weight),
            percent(map::worst_service(from)),
            percent(map::worst_service(to)),
        ]);
    }
    table
}

/// The lowest regional mean service each sector fell to, and when.
pub fn lowest_service_by_sector(input: &ReportInput) -> Table {
    let mut table = Table::with_columns(&[
        ("sector", false),
        ("lowest regional mean", true),
        ("at tick", true),
    ]);
    for (s, sector) in input.view.sectors.iter().enumerate() {
        let lowest = input
            .samples
            .iter()
            .filter_map(|p| Some((p.tick, (*p.sector_service.get(s)?)?)))
            .fold(None, |acc: Option<(u32, f64)>, p| match acc {
                Some(a) if a.1 <= p.1 => Some(a),
                _ => Some(p),
            });
        if let Some((at, value)) = lowest {
            table.push(vec![sector.name.clone(), percent(value), at.to_string()]);
        }
    }
    table
}

/// Incidents, detections, containments and recoveries per economy, with the mean
/// simulated hours from compromise to each, and the economy's loss with its share of the
/// economy's output for the exercise.
pub fn response_times(input: &ReportInput) -> Table {
    let mut table = Table::with_columns(&[
        ("economy", false),
        ("incidents", true),
        ("detected", true),
        ("contained", true),
        ("recovered", true),
        ("to detect", true),
        ("to contain", true),
        ("to recover", true),
        ("loss (share of output)", true),
    ]);
    for (row, economy) in analysis::response_times(input)
        .into_iter()
        .zip(&input.view.economies)
    {
        table.push(vec![
            row.economy,
            row.incidents.to_string(),
            row.detected.to_string(),
            row.contained.to_string(),
            row.recovered.to_string(),
            hours(row.mean_detect_hours),
            hours(row.mean_contain_hours),
            hours(row.mean_recover_hours),
            cyberdrill_engine::money::brief(economy.loss, economy.output),
        ]);
    }
    table
}

/// Incidents `skip..` in id order, with the tick of each milestone.
pub fn incidents(input: &ReportInput, skip: usize) -> Table {
    let mut table = Table::with_columns(&[
        ("#", true),
        ("asset", false),
        ("economy", false),
        ("started", true),
        ("detected", true),
        ("contained", true),
        ("recovered", true),
    ]);
    for i in input.view.incidents.iter().skip(skip) {
        table.push(vec![
            i.id.0.to_string(),
            input.asset_name(i.asset.index()),
            input.economy_name(i.economy.index()),
            tick(i.started_at),
            tick(i.detected_at),
            tick(i.contained_at),
            tick(i.recovered_at),
        ]);
    }
    table
}

/// Every objective with whose it is, its weight and score.
pub fn objectives(input: &ReportInput) -> Table {
    let mut table = Table::with_columns(&[
        ("objective", false),
        ("for", false),
        ("weight", true),
        ("score", true),
        ("met", false),
    ]);
    for o in &input.view.objectives {
        table.push(vec![
            o.description.clone(),
            input.scope_name(o.scope),
            format!("{:.1}", o.weight),
            percent(o.score),
            if met(o) { "yes" } else { "no" }.to_string(),
        ]);
    }
    table
}

/// Whether an objective was met: its score reached 100%.
pub fn met(objective: &ObjectiveView) -> bool {
    objective.score >= 1.0
}

/// Every inject, fired (with its tick) or not.
pub fn injects(input: &ReportInput) -> Table {
    let mut table = Table::with_columns(&[("tick", true), ("inject", false), ("text", false)]);
    for inject in &input.view.injects {
        table.push(vec![
            inject
                .fired_at
                .map_or_else(|| "not fired".to_string(), |t| t.to_string()),
            inject.headline.clone(),
            inject.text.clone(),
        ]);
    }
    table
}

/// Every decision point offered: the option taken, by which team or by default at the
/// deadline, and when; `None` when the scenario offered none.
pub fn decision_points(input: &ReportInput) -> Option<Table> {
    if input.view.decisions.is_empty() {
        return None;
    }
    let mut table = Table::with_columns(&[
        ("offered", true),
        ("decision", false),
        ("option taken", false),
        ("by", false),
        ("tick", true),
    ]);
    for d in &input.view.decisions {
        let (option, by, at) = match d.settled {
            Some(s) => (
                d.options
                    .get(s.option as usize)
                    .map_or_else(String::new, |o| o.label.clone()),
                s.by.map_or_else(
                    || "default at the deadline".to_string(),
                    |t| input.actor_name(Actor::Team(t)),
                ),
                s.at.to_string(),
            ),
            None => (
                "open at the end".to_string(),
                String::new(),
                "–".to_string(),
            ),
        };
        table.push(vec![
            d.offered_at.to_string(),
            d.title.clone(),
            option,
            by,
            at,
        ]);
    }
    Some(table)
}

/// One actor's decisions and messages, in journal order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActorDecisions {
    pub actor: Actor,
    pub name: String,
    pub count: usize,
    pub table: Table,
}

/// Decisions and messages of every actor who took any, in actor order.
pub fn decisions(input: &ReportInput) -> Vec<ActorDecisions> {
    analysis::decisions_per_actor(input)
        .into_iter()
        .map(|(actor, count)| {
            let mut table =
                Table::with_columns(&[("tick", true), ("action", false), ("on", false)]);
            for d in input.decisions.iter().filter(|d| d.actor == actor) {
                table.push(vec![
                    d.tick.to_string(),
                    d.command.label().to_string(),
                    input.describe(&d.command),
                ]);
            }
            ActorDecisions {
                actor,
                name: input.actor_name(actor),
                count,
                table,
            }
        })
        .collect()
}

/// Who knew of each incident, when and how: one row per economy that learned of it, in
/// incident order, then in the order they learned.
pub fn who_knew(input: &ReportInput) -> Table {
    let mut table = Table::with_columns(&[
        ("#", true),
        ("incident", false),
        ("campaign", false),
        ("economy", false),
        ("learned at tick", true),
        ("after the compromise", true),
        ("how", false),
    ]);
    for learning in knowledge::learnings(input) {
        let incident = learning.incident;
        table.push(vec![
            incident.id.0.to_string(),
            format!(
                "{} ({})",
                input.asset_name(incident.asset.index()),
                input.economy_name(incident.economy.index())
            ),
            incident
                .campaign
                .map_or_else(|| "–".to_string(), |c| input.campaign_name(c)),
            input.economy_name(learning.economy.index()),
            learning.at.to_string(),
            hours(
                learning
                    .after_start()
                    .map(|ticks| input.hours(f64::from(ticks))),
            ),
            knowledge::how(input, learning.source),
        ]);
    }
    table
}

/// When each economy first learned of each campaign, and how: through the first of the
/// campaign's incidents it learned of, or a partner's notification.
pub fn who_knew_campaigns(input: &ReportInput) -> Table {
    let mut table = Table::with_columns(&[
        ("campaign", false),
        ("economy", false),
        ("first learned at tick", true),
        ("how", false),
        ("through incident", true),
    ]);
    let learnings = knowledge::learnings(input);
    for ((campaign, economy), first) in knowledge::campaign_firsts(&learnings, &input.notifications)
    {
        table.push(vec![
            input.campaign_name(campaign),
            input.economy_name(economy.index()),
            first.at().to_string(),
            first.how(input),
            match first {
                knowledge::CampaignSource::Incident(learning) => learning.incident.id.0.to_string(),
                knowledge::CampaignSource::Notified(_) => "–".to_string(),
            },
        ]);
    }
    table
}

/// Every decision and message of every actor in one timeline, in journal order (the
/// order they were taken), with the scenario time elapsed.
pub fn decision_timeline(input: &ReportInput) -> Table {
    let mut table = Table::with_columns(&[
        ("tick", true),
        ("scenario time", true),
        ("who", false),
        ("action", false),
        ("on", false),
    ]);
    for d in &input.decisions {
        table.push(vec![
            d.tick.to_string(),
            super::charts::duration(u64::from(d.tick) * u64::from(input.view.tick_minutes)),
            input.actor_name(d.actor),
            d.command.label().to_string(),
            input.describe(&d.command),
        ]);
    }
    table
}

/// The session's story: seats taken and left (people or bot), pauses and resumes, pace
/// changes and restarts, with how long each pause and absence lasted in ticks. `None`
/// when the journal holds no session event (a headless run). Join codes are never
/// among the events (see [`super::SessionMoment`]).
pub fn session(input: &ReportInput) -> Option<Table> {
    if input.session.is_empty() {
        return None;
    }
    let mut table = Table::with_columns(&[
        ("tick", true),
        ("what happened", false),
        ("lasted (ticks)", true),
    ]);
    for (index, moment) in input.session.iter().enumerate() {
        let lasted = analysis::stretch(input, index).map_or_else(String::new, |s| {
            if s.until.is_some() {
                s.ticks.to_string()
            } else {
                format!("{}, to the end", s.ticks)
            }
        });
        table.push(vec![
            moment.tick.to_string(),
            session_event(input, moment.tick, &moment.event),
            lasted,
        ]);
    }
    Some(table)
}

/// A session event in words.
fn session_event(input: &ReportInput, tick: u32, event: &SessionEvent) -> String {
    match event {
        SessionEvent::PaceChanged { pace } => format!("pace set to {}", pace_words(*pace)),
        SessionEvent::Paused => "the clock was paused".to_string(),
        SessionEvent::Resumed { paused_ms: None } => "the clock was resumed".to_string(),
        SessionEvent::Resumed {
            paused_ms: Some(ms),
        } => format!(
            "the clock was resumed after {} of real time",
            real_duration(*ms)
        ),
        SessionEvent::Joined { actor, bot } => format!(
            "{} joined ({})",
            input.actor_name(*actor),
            if *bot { "bot" } else { "people" }
        ),
        SessionEvent::Left { actor } => format!("{} left", input.actor_name(*actor)),
        SessionEvent::ResumedFromJournal => format!(
            "the server was restarted at tick {tick}; the exercise continued from its journal"
        ),
        // Never reaches a report (dropped with the input); said without the codes anyway.
        SessionEvent::SeatCodes { .. } => "join codes issued".to_string(),
        SessionEvent::Note { text } => format!("note: {text}"),
        SessionEvent::TimeJumped { from, to } => {
            format!("the facilitator jumped the clock from tick {from} to tick {to}")
        }
        SessionEvent::ModuleBreak { module } => {
            format!(
                "module {} ended: the clock stopped for its discussion",
                module + 1
            )
        }
        SessionEvent::Answer {
            by,
            module,
            question,
            text,
        } => format!(
            "{} answered question {} of module {}: {text}",
            input.actor_name(*by),
            question + 1,
            module + 1
        ),
        SessionEvent::Feedback {
            by,
            went_well,
            to_improve,
            improvement,
            owner,
            due,
        } => format!(
            "{} gave feedback: went well: {went_well}; to improve: {to_improve}; \
             improvement: {improvement} (owner: {owner}; due: {})",
            input.actor_name(*by),
            if due.is_empty() { "not set" } else { due }
        ),
        SessionEvent::EvaluatorNote {
            evaluator,
            about,
            text,
            ..
        } => format!(
            "evaluator {} noted about {}: {text}",
            evaluator + 1,
            match about {
                NoteSubject::Team(team) => input.actor_name(Actor::Team(*team)),
                NoteSubject::Objective(index) => format!("objective {}", index + 1),
                NoteSubject::Exercise => "the exercise".to_string(),
            }
        ),
        SessionEvent::TakenOver { actor } => format!(
            "a new connection took over {}'s seat",
            input.actor_name(*actor)
        ),
    }
}

/// A real-time length in words: `45 s`, `12 min`, `1 h 05 min`.
fn real_duration(ms: u64) -> String {
    let secs = ms / 1000;
    match secs {
        0..60 => format!("{secs} s"),
        60..3600 => format!("{} min", secs / 60),
        _ => format!("{} h {:02} min", secs / 3600, secs % 3600 / 60),
    }
}

fn pace_words(pace: Pace) -> String {
    match pace {
        Pace::RealTime { millis_per_tick } => format!("real time, {millis_per_tick} ms per tick"),
        Pace::TurnBased => "turn-based (a tick when every team is ready)".to_string(),
    }
}

/// The scenario's expected actions and training objectives scored on this run, from the
/// journal's scenario text, its fired injects, accepted commands and final objective
/// scores; `None` when the scenario has neither.
fn training_run(
    input: &ReportInput,
) -> Option<(Scenario, Vec<ExpectationResult>, Vec<Attainment>)> {
    let scenario = cyberdrill_engine::scenario::parse(&input.header.scenario_text)
        .ok()?
        .scenario;
    let has_expectations = scenario
        .injects
        .iter()
        .any(|i| !i.msel.expectations.is_empty());
    if !has_expectations && scenario.training_objectives.is_empty() {
        return None;
    }
    let mut fired_at = vec![None; scenario.injects.len()];
    for inject in &input.view.injects {
        if let Some(slot) = fired_at.get_mut(inject.idx.index()) {
            *slot = inject.fired_at;
        }
    }
    let actions: Vec<(u32, TeamIdx, CommandKind)> = input
        .decisions
        .iter()
        .filter_map(|d| match d.actor {
            Actor::Team(team) => Some((d.tick, team, d.command.kind())),
            Actor::Facilitator => None,
        })
        .collect();
    let objective_scores: Vec<f64> = scenario
        .objectives
        .iter()
        .map(|o| {
            input
                .view
                .objectives
                .iter()
                .find(|v| v.id == o.id && v.scope == o.scope)
                .map_or(0.0, |v| v.score)
        })
        .collect();
    let run = RunRecord {
        fired_at: &fired_at,
        actions: &actions,
        objective_scores: &objective_scores,
    };
    let results = attainment::expectations(&scenario, &run);
    let attained = attainment::attainment(&scenario, &run);
    Some((scenario, results, attained))
}

/// Every expected action for every team expected to act: met in time, missed, or left to
/// the evaluators (OpenBAS-style expectations).
pub fn expected_actions(input: &ReportInput) -> Option<Table> {
    let (scenario, results, _) = training_run(input)?;
    let mut table = Table::with_columns(&[
        ("inject", false),
        ("expected action", false),
        ("team", false),
        ("outcome", false),
        ("points", true),
    ]);
    for r in &results {
        let inject = &scenario.injects[r.inject.index()];
        let Some(expectation) = inject.msel.expectations.get(r.expectation as usize) else {
            continue;
        };
        let outcome = match r.outcome {
            Outcome::Met => format!("met at tick {}", tick(r.taken_at)),
            Outcome::Missed => "missed".to_string(),
            Outcome::NotFired => "inject not fired".to_string(),
            Outcome::ForEvaluators => "for the evaluators".to_string(),
        };
        let points = match r.outcome {
            Outcome::ForEvaluators => format!("– / {}", r.of),
            _ => format!("{} / {}", r.points, r.of),
        };
        table.push(vec![
            inject.headline.clone(),
            expectation.description.clone(),
            input.actor_name(Actor::Team(r.team)),
            outcome,
            points,
        ]);
    }
    (!table.rows.is_empty()).then_some(table)
}

/// Attainment of each training objective by each team it is for, with what measured it.
pub fn training_objectives(input: &ReportInput) -> Option<Table> {
    let (scenario, _, attained) = training_run(input)?;
    let mut table = Table::with_columns(&[
        ("training objective", false),
        ("team", false),
        ("attained", false),
        ("measured by", false),
    ]);
    for a in &attained {
        let Some(training) = scenario.training_objectives.get(a.training_objective) else {
            continue;
        };
        let links: Vec<String> = a
            .links
            .iter()
            .map(|l| match l.reached {
                Some(r) => format!("{} {} (needs {})", l.what, percent(r), percent(l.min_score)),
                None => format!("{}: for the evaluators", l.what),
            })
            .collect();
        table.push(vec![
            training.name.clone(),
            input.actor_name(Actor::Team(a.team)),
            match a.attained {
                Some(true) => "yes",
                Some(false) => "no",
                None => "if the evaluators agree",
            }
            .to_string(),
            links.join("; "),
        ]);
    }
    (!table.rows.is_empty()).then_some(table)
}

/// What the coverage table counts, printed above it.
pub const COVERAGE_NOTE: &str = "Each ATT&CK technique of the scenario's campaigns, with the incidents of the campaigns using it: detected when every one was detected, missed when none was.";

/// ATT&CK coverage of the run: every technique of the campaigns, detected or missed by
/// the incidents of the campaigns that use it (the figures of `attack-layer JOURNAL`).
pub fn attack_coverage(input: &ReportInput) -> Option<Table> {
    let scenario = cyberdrill_engine::scenario::parse(&input.header.scenario_text)
        .ok()?
        .scenario;
    let seen = coverage::seen_per_campaign(&scenario, &input.view);
    let mut table = Table::with_columns(&[
        ("technique", false),
        ("used by", false),
        ("incidents", true),
        ("detected", true),
        ("missed", true),
        ("coverage", false),
    ]);
    for t in coverage::techniques(&scenario, Some(&seen)) {
        let s = t.seen;
        let verdict = match (s.detected, s.missed) {
            (0, 0) => "no incident".to_string(),
            (_, 0) => "detected".to_string(),
            (0, _) => "missed".to_string(),
            (d, _) => format!(
                "partly ({})",
                percent((f64::from(d) / f64::from(s.total())).min(1.0))
            ),
        };
        table.push(vec![
            t.id,
            t.uses.join("; "),
            s.total().to_string(),
            s.detected.to_string(),
            s.missed.to_string(),
            verdict,
        ]);
    }
    (!table.rows.is_empty()).then_some(table)
}
