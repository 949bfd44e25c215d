//! The report's facts and tables, built once from a [`ReportInput`] and rendered by
//! each format ([`super::html`], [`super::markdown`]): both formats tell the same facts
//! in the same words, and a table added here appears in both.

use cyberdrill_engine::command::Actor;
use cyberdrill_engine::journal::{NoteSubject, Pace, SessionEvent};

use super::{ReportInput, analysis, money};

/// A column of a table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Column {
    pub title: &'static str,
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
    fn with_columns(columns: &[(&'static str, bool)]) -> Self {
        Table {
            columns: columns
                .iter()
                .map(|&(title, numeric)| Column { title, numeric })
                .collect(),
            rows: Vec::new(),
        }
    }

    fn push(&mut self, row: Vec<String>) {
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

/// Each economy at the end: trust (and its lowest), service and loss.
pub fn economies_at_end(input: &ReportInput) -> Table {
    let mut table = Table::with_columns(&[
        ("economy", false),
        ("trust", true),
        ("lowest trust", true),
        ("service", true),
        ("loss", true),
    ]);
    for e in &input.view.economies {
        let lowest = e.history.iter().map(|p| p.trust).fold(e.trust, f64::min);
        table.push(vec![
            e.name.clone(),
            format!("{:.0}", e.trust),
            format!("{lowest:.0}"),
            format!("{:.0}%", e.service * 100.0),
            money(e.loss),
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
            table.push(vec![
                sector.name.clone(),
                format!("{:.0}%", value * 100.0),
                at.to_string(),
            ]);
        }
    }
    table
}

/// Incidents, detections, containments and recoveries per economy, with the mean
/// simulated hours from compromise to each, and the economy's loss.
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
        ("loss", true),
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
            money(economy.loss),
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
            format!("{:.0}%", o.score * 100.0),
            if o.score >= 1.0 { "yes" } else { "no" }.to_string(),
        ]);
    }
    table
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

/// The run's metrics, as `run --json` prints them, flattened.
pub fn metrics(input: &ReportInput) -> Table {
    let mut table = Table::with_columns(&[("metric", false), ("value", true)]);
    for (name, value) in input.metric_rows() {
        table.push(vec![name, value]);
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
        } => format!(
            "{} gave feedback: went well: {went_well}; to improve: {to_improve}; \
             improvement: {improvement} (owner: {owner})",
            input.actor_name(*by)
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
