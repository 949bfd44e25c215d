//! Lessons learned, laid out as the after-action report and improvement plan (AAR/IP) of
//! the Homeland Security Exercise and Evaluation Program (HSEEP, FEMA 2020, chapter 5
//! and its AAR/IP template): strengths, areas for improvement each with its evidence,
//! and an improvement plan of corrective actions with who owns them and when they are due.
//!
//! Nothing here is inferred. Every finding is either what a person recorded during the
//! session (a seat's feedback form at the hot wash, an evaluator's note, an answer to a
//! discussion question), named with who wrote it and at which tick, or a fact of the run
//! labelled as such (an objective met or missed, with what it measures and its score).

use cyberdrill_engine::command::Actor;
use cyberdrill_engine::journal::{NoteSubject, SessionEvent};
use cyberdrill_engine::scenario::model::ObjectiveScope;
use cyberdrill_engine::view::ObjectiveView;

use super::tables::{self, Table};
use super::{ReportInput, analysis};

/// What the lessons-learned sections are made of, said once for both formats.
pub const LESSONS_NOTE: &str = "Laid out as HSEEP's after-action report and improvement plan \
    (Homeland Security Exercise and Evaluation Program, FEMA 2020). Each finding is what was \
    recorded during the session (the hot wash's feedback forms, evaluators' notes), named \
    with who wrote it and when, or a fact of the run marked \"from the run\" (an objective \
    met or missed, with what it measures). Nothing is inferred.";

/// Said where the session recorded no improvement.
pub const NO_PLAN: &str = "No seat proposed an improvement at the hot wash: the improvement \
    plan is left for the forum to draw up.";

/// One piece of evidence for a finding: when, who or what says so, and what it says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Evidence {
    /// The tick it was recorded at (`None`: a fact of the whole run).
    pub tick: Option<u32>,
    /// Who recorded it ("evaluator 1's note at 14:32 UTC") or "from the run".
    pub source: String,
    pub text: String,
}

impl Evidence {
    /// One line: `tick 5, evaluator 1's note at 14:32 UTC: text`.
    pub fn line(&self) -> String {
        match self.tick {
            Some(tick) => format!("tick {tick}, {}: {}", self.source, self.text),
            None => format!("{}: {}", self.source, self.text),
        }
    }
}

/// A strength or an area for improvement: what it is, where it comes from, and the
/// evidence recorded about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub statement: String,
    /// Who said so ("CSIRT of Arcadia's feedback at the hot wash, tick 66") or "from the run".
    pub source: String,
    pub evidence: Vec<Evidence>,
}

/// The lessons-learned sections of one report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lessons {
    pub strengths: Vec<Finding>,
    pub areas_for_improvement: Vec<Finding>,
    /// Action, owner, due date and who proposed it: one row per improvement proposed.
    pub plan: Table,
    /// Every answer to a discussion question, by module and question (`None`: none).
    pub answers: Option<Table>,
    /// Every evaluator's note with its tick and real time (`None`: none).
    pub notes: Option<Table>,
}

const FROM_THE_RUN: &str = "from the run";

/// A feedback form as journaled, with the tick it came in at.
struct Form<'a> {
    tick: u32,
    by: Actor,
    went_well: &'a str,
    to_improve: &'a str,
    improvement: &'a str,
    owner: &'a str,
    due: &'a str,
}

/// An evaluator's note as journaled, with the tick it was written at.
struct Note<'a> {
    tick: u32,
    evaluator: u32,
    about: NoteSubject,
    text: &'a str,
    unix_ms: u64,
}

impl Note<'_> {
    fn evidence(&self) -> Evidence {
        Evidence {
            tick: Some(self.tick),
            source: format!(
                "evaluator {}'s note at {}",
                self.evaluator + 1,
                utc_time(self.unix_ms)
            ),
            text: self.text.to_string(),
        }
    }
}

/// Builds the lessons-learned sections from the journal's session events and the run.
pub fn lessons(input: &ReportInput) -> Lessons {
    let mut forms = Vec::new();
    let mut notes = Vec::new();
    for moment in &input.session {
        match &moment.event {
            SessionEvent::Feedback {
                by,
                went_well,
                to_improve,
                improvement,
                owner,
                due,
            } => forms.push(Form {
                tick: moment.tick,
                by: *by,
                went_well: went_well.trim(),
                to_improve: to_improve.trim(),
                improvement: improvement.trim(),
                owner: owner.trim(),
                due: due.trim(),
            }),
            SessionEvent::EvaluatorNote {
                evaluator,
                about,
                text,
                unix_ms,
            } => notes.push(Note {
                tick: moment.tick,
                evaluator: *evaluator,
                about: *about,
                text,
                unix_ms: *unix_ms,
            }),
            _ => {}
        }
    }
    let objectives = &input.view.objectives;
    let notes_about = |subject: NoteSubject| -> Vec<Evidence> {
        notes
            .iter()
            .filter(|n| n.about == subject)
            .map(Note::evidence)
            .collect()
    };
    let objective_subject =
        |index: usize| NoteSubject::Objective(u32::try_from(index).unwrap_or(u32::MAX));

    let mut strengths = Vec::new();
    let mut areas_for_improvement = Vec::new();
    for form in forms.iter().filter(|f| !f.went_well.is_empty()) {
        strengths.push(Finding {
            statement: form.went_well.to_string(),
            source: form_source(input, form),
            evidence: Vec::new(),
        });
    }
    for (index, objective) in objectives.iter().enumerate() {
        let mut evidence = vec![measured(objective)];
        evidence.extend(notes_about(objective_subject(index)));
        if tables::met(objective) {
            strengths.push(Finding {
                statement: format!(
                    "Objective met: {} ({})",
                    objective.description,
                    input.scope_name(objective.scope)
                ),
                source: FROM_THE_RUN.to_string(),
                evidence,
            });
            continue;
        }
        if let ObjectiveScope::Team(team) = objective.scope {
            evidence.extend(notes_about(NoteSubject::Team(team)));
            evidence.extend(team_record(input, Actor::Team(team)));
        }
        areas_for_improvement.push(Finding {
            statement: format!(
                "Objective not met: {} ({})",
                objective.description,
                input.scope_name(objective.scope)
            ),
            source: FROM_THE_RUN.to_string(),
            evidence,
        });
    }
    for form in forms.iter().filter(|f| !f.to_improve.is_empty()) {
        let mut evidence = match form.by {
            Actor::Team(team) => {
                let mut found = notes_about(NoteSubject::Team(team));
                found.extend(
                    objectives
                        .iter()
                        .filter(|o| o.scope == ObjectiveScope::Team(team) && !tables::met(o))
                        .map(|o| Evidence {
                            tick: None,
                            source: FROM_THE_RUN.to_string(),
                            text: format!("objective not met: {}: {}", o.description, score_of(o)),
                        }),
                );
                found
            }
            Actor::Facilitator => notes_about(NoteSubject::Exercise),
        };
        if !form.improvement.is_empty() {
            evidence.push(Evidence {
                tick: Some(form.tick),
                source: "proposed improvement".to_string(),
                text: form.improvement.to_string(),
            });
        }
        areas_for_improvement.push(Finding {
            statement: form.to_improve.to_string(),
            source: form_source(input, form),
            evidence,
        });
    }

    let mut plan = Table::with_columns(&[
        ("area for improvement", false),
        ("corrective action", false),
        ("owner (team or role)", false),
        ("due", false),
        ("proposed by", false),
    ]);
    for form in forms.iter().filter(|f| !f.improvement.is_empty()) {
        plan.push(vec![
            or_dash(form.to_improve),
            form.improvement.to_string(),
            or_else(form.owner, "not assigned"),
            or_else(form.due, "not set"),
            form_source(input, form),
        ]);
    }

    Lessons {
        strengths,
        areas_for_improvement,
        plan,
        answers: answers(input),
        notes: notes_table(input, &notes),
    }
}

/// "CSIRT of Arcadia's feedback at the hot wash, tick 66".
fn form_source(input: &ReportInput, form: &Form) -> String {
    format!(
        "{}'s feedback at the hot wash, tick {}",
        input.actor_name(form.by),
        form.tick
    )
}

/// What an objective measures and what it scored, as a fact of the run.
fn measured(objective: &ObjectiveView) -> Evidence {
    let text = if objective.measure.is_empty() {
        format!("scored {}", score_of(objective))
    } else {
        format!("{}: {}", objective.measure, score_of(objective))
    };
    Evidence {
        tick: None,
        source: FROM_THE_RUN.to_string(),
        text,
    }
}

fn score_of(objective: &ObjectiveView) -> String {
    format!("{} at the end", crate::text::percent(objective.score))
}

/// What the journal says of a team's part: its decisions, and its absences from its seat.
fn team_record(input: &ReportInput, actor: Actor) -> Vec<Evidence> {
    let decisions = input.decisions.iter().filter(|d| d.actor == actor).count();
    let first = input
        .decisions
        .iter()
        .find(|d| d.actor == actor)
        .map_or_else(String::new, |d| format!(", the first at tick {}", d.tick));
    let mut found = vec![Evidence {
        tick: None,
        source: FROM_THE_RUN.to_string(),
        text: format!(
            "{} took {decisions} decision(s) and message(s){first}",
            input.actor_name(actor)
        ),
    }];
    for (index, moment) in input.session.iter().enumerate() {
        if !matches!(moment.event, SessionEvent::Left { actor: left } if left == actor) {
            continue;
        }
        // Leaving as the session ends is no absence.
        if let Some(stretch) = analysis::stretch(input, index).filter(|s| s.ticks > 0) {
            let until = stretch
                .until
                .map_or_else(|| "the end".to_string(), |t| format!("tick {t}"));
            found.push(Evidence {
                tick: Some(stretch.from),
                source: "the session".to_string(),
                text: format!(
                    "{} left its seat until {until} ({} tick(s))",
                    input.actor_name(actor),
                    stretch.ticks
                ),
            });
        }
    }
    found
}

/// Every answer to a discussion question, with the module and the question asked.
fn answers(input: &ReportInput) -> Option<Table> {
    let modules = cyberdrill_engine::scenario::parse(&input.header.scenario_text)
        .map(|checked| checked.scenario.modules)
        .unwrap_or_default();
    let mut table = Table::with_columns(&[
        ("tick", true),
        ("module", false),
        ("question", false),
        ("team", false),
        ("answer", false),
    ]);
    for moment in &input.session {
        let SessionEvent::Answer {
            by,
            module,
            question,
            text,
        } = &moment.event
        else {
            continue;
        };
        let asked = modules.get(*module as usize);
        table.push(vec![
            moment.tick.to_string(),
            asked.map_or_else(
                || format!("module {}", module + 1),
                |m| format!("{}. {}", module + 1, m.title),
            ),
            asked
                .and_then(|m| m.questions.get(*question as usize))
                .map_or_else(
                    || format!("question {}", question + 1),
                    |q| format!("{}. {q}", question + 1),
                ),
            input.actor_name(*by),
            text.clone(),
        ]);
    }
    (!table.rows.is_empty()).then_some(table)
}

fn notes_table(input: &ReportInput, notes: &[Note]) -> Option<Table> {
    if notes.is_empty() {
        return None;
    }
    let mut table = Table::with_columns(&[
        ("tick", true),
        ("written", false),
        ("evaluator", true),
        ("about", false),
        ("note", false),
    ]);
    for note in notes {
        table.push(vec![
            note.tick.to_string(),
            utc_time(note.unix_ms),
            (note.evaluator + 1).to_string(),
            subject_name(input, note.about),
            note.text.to_string(),
        ]);
    }
    Some(table)
}

/// What a note is about, in words.
pub fn subject_name(input: &ReportInput, about: NoteSubject) -> String {
    match about {
        NoteSubject::Team(team) => input.actor_name(Actor::Team(team)),
        NoteSubject::Objective(index) => input.view.objectives.get(index as usize).map_or_else(
            || format!("objective {}", index + 1),
            |o| format!("objective: {}", o.description),
        ),
        NoteSubject::Exercise => "the exercise".to_string(),
    }
}

/// The time of day of a Unix time in milliseconds, `14:32 UTC`.
fn utc_time(unix_ms: u64) -> String {
    let seconds_of_day = unix_ms / 1000 % 86_400;
    format!(
        "{:02}:{:02} UTC",
        seconds_of_day / 3600,
        seconds_of_day % 3600 / 60
    )
}

fn or_dash(text: &str) -> String {
    or_else(text, "–")
}

fn or_else(text: &str, otherwise: &str) -> String {
    if text.is_empty() {
        otherwise.to_string()
    } else {
        text.to_string()
    }
}

#[cfg(test)]
mod tests {
    use cyberdrill_engine::policy::Policy;
    use cyberdrill_engine::scenario::bundled;

    use super::super::tests::{regional_input, served_journal_of, team};
    use super::super::{from_journal, html, markdown};
    use super::*;

    /// 14:32:10 UTC on 30 November 2026.
    const AT_14_32: u64 = 1_796_049_130_000;

    fn feedback(by: Actor, improvement: &str, owner: &str, due: &str) -> SessionEvent {
        SessionEvent::Feedback {
            by,
            went_well: "we shared early".to_string(),
            to_improve: "escalation to the minister was slow".to_string(),
            improvement: improvement.to_string(),
            owner: owner.to_string(),
            due: due.to_string(),
        }
    }

    fn note(tick_text: &str, about: NoteSubject) -> SessionEvent {
        SessionEvent::EvaluatorNote {
            evaluator: 0,
            about,
            text: tick_text.to_string(),
            unix_ms: AT_14_32,
        }
    }

    /// The part of `text` between `from` and `to`.
    fn between<'a>(text: &'a str, from: &str, to: &str) -> &'a str {
        let start = text.find(from).unwrap_or_else(|| panic!("no {from}"));
        let rest = &text[start..];
        &rest[..rest
            .find(to)
            .unwrap_or_else(|| panic!("no {to} after {from}"))]
    }

    #[test]
    fn notes_and_feedback_become_strengths_areas_for_improvement_and_the_plan() {
        let modules = "\n[[module]]\ntitle = \"The first day\"\nstart = 0\n\
                       questions = [\"Who saw the phishing first?\"]\n";
        let text = format!("{}{modules}", bundled::APEC_REGIONAL);
        // Which objective the cooperative bots miss in 30 ticks, to note about it.
        let plain = regional_input(Policy::Cooperative, 30);
        let missed = plain
            .view
            .objectives
            .iter()
            .position(|o| !tables::met(o))
            .expect("cooperative bots miss an objective in 30 ticks");
        let missed_subject = NoteSubject::Objective(u32::try_from(missed).expect("small"));
        let journal = served_journal_of(
            &text,
            &[
                (
                    12,
                    note(
                        "the CSIRT did not call its regulator",
                        NoteSubject::Team(cyberdrill_engine::scenario::model::TeamIdx(0)),
                    ),
                ),
                (14, note("nobody owned this objective", missed_subject)),
                (
                    20,
                    SessionEvent::Answer {
                        by: team(1),
                        module: 0,
                        question: 0,
                        text: "our hospital desk".to_string(),
                    },
                ),
                (
                    30,
                    feedback(team(0), "a call tree", "CSIRT lead", "2027-03-31"),
                ),
                (30, feedback(team(1), "a weekly drill", "", "")),
                (30, feedback(Actor::Facilitator, "", "", "")),
            ],
        );
        let input = from_journal(&journal).expect("session events never change the state");
        let lessons = lessons(&input);
        let first = input.actor_name(team(0));

        // Strengths: each "went well", then the objectives met, from the run.
        let said = format!("{first}'s feedback at the hot wash, tick 30");
        let strength = lessons
            .strengths
            .iter()
            .find(|s| s.source == said)
            .expect("team 0's strength");
        assert_eq!(strength.statement, "we shared early");
        let met = input
            .view
            .objectives
            .iter()
            .filter(|o| tables::met(o))
            .count();
        let missed_count = input.view.objectives.len() - met;
        assert_eq!(
            lessons.strengths.len(),
            3 + met,
            "three forms said what went well"
        );
        assert!(
            lessons.strengths[3..]
                .iter()
                .all(|s| s.source == FROM_THE_RUN && s.statement.starts_with("Objective met: "))
        );

        // Areas for improvement: every objective missed, with its measure and the note
        // about it; then each "to improve", with the notes about its team.
        assert_eq!(lessons.areas_for_improvement.len(), missed_count + 3);
        let objective = &input.view.objectives[missed];
        let area = lessons
            .areas_for_improvement
            .iter()
            .find(|a| a.statement.contains(&objective.description))
            .expect("the missed objective");
        assert!(area.statement.starts_with("Objective not met: "));
        assert_eq!(area.source, FROM_THE_RUN);
        assert!(
            !objective.measure.is_empty(),
            "the engine says what it measures"
        );
        assert_eq!(area.evidence[0], measured(objective));
        assert!(
            area.evidence.iter().any(|e| e.line()
                == "tick 14, evaluator 1's note at 14:32 UTC: nobody owned this objective"),
            "{area:#?}"
        );
        let area = lessons
            .areas_for_improvement
            .iter()
            .find(|a| a.source == said)
            .expect("team 0's area for improvement");
        assert_eq!(area.statement, "escalation to the minister was slow");
        assert!(area.evidence.iter().any(|e| e.line()
            == "tick 12, evaluator 1's note at 14:32 UTC: the CSIRT did not call its regulator"));
        assert!(area.evidence.iter().any(|e| e.text == "a call tree"));
        let second = lessons
            .areas_for_improvement
            .iter()
            .find(|a| a.source.starts_with(&input.actor_name(team(1))))
            .expect("team 1's area for improvement");
        assert!(
            !second.evidence.iter().any(|e| e.text.contains("regulator")),
            "a note about team 0 is no evidence about team 1"
        );

        // The plan: one row per improvement proposed, nothing made up where none was said.
        assert_eq!(
            lessons.plan.rows,
            [
                vec![
                    "escalation to the minister was slow".to_string(),
                    "a call tree".to_string(),
                    "CSIRT lead".to_string(),
                    "2027-03-31".to_string(),
                    said.clone(),
                ],
                vec![
                    "escalation to the minister was slow".to_string(),
                    "a weekly drill".to_string(),
                    "not assigned".to_string(),
                    "not set".to_string(),
                    format!(
                        "{}'s feedback at the hot wash, tick 30",
                        input.actor_name(team(1))
                    ),
                ],
            ]
        );
        let answers = lessons.answers.as_ref().expect("one answer");
        assert_eq!(
            answers.rows,
            [vec![
                "20".to_string(),
                "1. The first day".to_string(),
                "1. Who saw the phishing first?".to_string(),
                input.actor_name(team(1)),
                "our hospital desk".to_string(),
            ]]
        );
        let notes = lessons.notes.as_ref().expect("two notes");
        assert_eq!(notes.rows[0][..4], ["12", "14:32 UTC", "1", first.as_str()]);

        // Both formats put each in its section.
        let page = html::render(&input).expect("render");
        let strengths = between(
            &page,
            "<h2>Strengths</h2>",
            "<h2>Areas for improvement</h2>",
        );
        assert!(strengths.contains("shared early") && !strengths.contains("regulator"));
        let areas = between(
            &page,
            "<h2>Areas for improvement</h2>",
            "<h2>Improvement plan</h2>",
        );
        assert!(areas.contains("the CSIRT did not call its regulator"));
        assert!(areas.contains(&html::escape(&objective.description)));
        let plan = between(&page, "<h2>Improvement plan</h2>", "<h2>Injects</h2>");
        assert!(plan.contains(&html::table(&lessons.plan)));
        assert!(plan.contains("our hospital desk"));
        let md = markdown::render(&input);
        let areas = between(&md, "\n## Areas for improvement", "\n## Improvement plan");
        assert!(areas.contains(
            "   - tick 12, evaluator 1's note at 14:32 UTC: the CSIRT did not call its regulator"
        ));
        let plan = between(&md, "\n## Improvement plan", "\n## Injects");
        assert!(plan.contains(&markdown::table(&lessons.plan)));
        assert!(plan.contains(&markdown::table(answers)));
    }

    #[test]
    fn a_run_without_a_hot_wash_reports_only_facts_of_the_run_and_no_plan() {
        let input = regional_input(Policy::Cooperative, 30);
        let lessons = lessons(&input);
        assert_eq!(
            lessons.strengths.len() + lessons.areas_for_improvement.len(),
            input.view.objectives.len(),
            "one finding per objective, met or not"
        );
        assert!(
            lessons
                .strengths
                .iter()
                .chain(&lessons.areas_for_improvement)
                .all(|f| f.source == FROM_THE_RUN)
        );
        assert!(
            lessons.plan.rows.is_empty() && lessons.answers.is_none() && lessons.notes.is_none()
        );
        let page = html::render(&input).expect("render");
        assert!(page.contains(&html::escape(NO_PLAN)));
        assert!(markdown::render(&input).contains(NO_PLAN));
    }

    #[test]
    fn a_teams_record_counts_its_decisions_and_its_absences_but_not_leaving_at_the_end() {
        let mut input = regional_input(Policy::Cooperative, 30);
        let end = input.view.tick;
        for (tick, event) in [
            (10, SessionEvent::Left { actor: team(0) }),
            (
                12,
                SessionEvent::Joined {
                    actor: team(0),
                    bot: false,
                },
            ),
            (end, SessionEvent::Left { actor: team(0) }),
        ] {
            input
                .session
                .push(super::super::SessionMoment { tick, event });
        }
        let record = team_record(&input, team(0));
        let decisions = input
            .decisions
            .iter()
            .filter(|d| d.actor == team(0))
            .count();
        assert!(
            record[0]
                .text
                .contains(&format!("took {decisions} decision(s)"))
        );
        let absences: Vec<String> = record[1..].iter().map(Evidence::line).collect();
        assert_eq!(
            absences,
            [format!(
                "tick 10, the session: {} left its seat until tick 12 (2 tick(s))",
                input.actor_name(team(0))
            )]
        );
    }

    #[test]
    fn notes_are_timed_in_utc() {
        assert_eq!(utc_time(AT_14_32), "14:32 UTC");
        assert_eq!(utc_time(0), "00:00 UTC");
    }
}
