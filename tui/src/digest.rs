//! What changed since the last tick, in the seat's words: news that arrived, incidents
//! found or moving on, messages, tasks that finished, objectives that moved. The
//! interface keeps a small [`Snapshot`] of what the seat knew when a tick began and
//! compares the next tick's view with it: players at a forum look up from a discussion
//! and need to know what happened meanwhile, not to re-read every screen.

use std::collections::{BTreeMap, BTreeSet};

use cyberdrill_engine::command::{IncidentId, TaskId};
use cyberdrill_engine::scenario::model::InjectIdx;
use cyberdrill_engine::view::{Stage, View};

use crate::forms::{actor_name, incident_line};

/// What the seat knew at one tick, kept to say what changed by the next.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Snapshot {
    pub tick: u32,
    pub fired: BTreeSet<InjectIdx>,
    /// Each known incident's stage and whether it was contained / recovered.
    pub incidents: BTreeMap<IncidentId, (Stage, bool, bool)>,
    pub messages: usize,
    pub finished_tasks: BTreeSet<TaskId>,
    /// Each objective's score, by id.
    pub objectives: BTreeMap<String, f64>,
}

impl Snapshot {
    pub fn of(view: &View) -> Snapshot {
        Snapshot {
            tick: view.tick,
            fired: view
                .injects
                .iter()
                .filter(|i| i.fired_at.is_some())
                .map(|i| i.idx)
                .collect(),
            incidents: view
                .incidents
                .iter()
                .map(|i| {
                    (
                        i.id,
                        (i.stage, i.contained_at.is_some(), i.recovered_at.is_some()),
                    )
                })
                .collect(),
            messages: view.messages.len(),
            finished_tasks: view
                .tasks
                .iter()
                .filter(|t| t.finished)
                .map(|t| t.id)
                .collect(),
            objectives: view
                .objectives
                .iter()
                .map(|o| (o.id.clone(), o.score))
                .collect(),
        }
    }
}

/// What a line of the digest is about (the screen where to look).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Topic {
    News,
    Incident,
    Message,
    Task,
    Objective,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DigestLine {
    pub topic: Topic,
    pub text: String,
}

/// Something new the player has not looked at yet, shown in the status line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Alert {
    /// A news item (inject) arrived.
    News(InjectIdx),
    /// An incident became known.
    Incident(IncidentId),
}

/// What changed from one tick to a later one.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Digest {
    pub from_tick: u32,
    pub to_tick: u32,
    pub lines: Vec<DigestLine>,
    /// How each objective's score moved (by id): the trend the Overview shows.
    pub objective_moves: BTreeMap<String, f64>,
    /// The newest news and incident that arrived, for the alert.
    pub newest_news: Option<InjectIdx>,
    pub newest_incident: Option<IncidentId>,
}

impl Digest {
    /// The alert this digest raises: news first (it carries the story and the
    /// instructions), then a new incident; for the facilitator, who fires the news,
    /// only incidents.
    pub fn alert(&self, facilitator: bool) -> Option<Alert> {
        let news = self.newest_news.filter(|_| !facilitator).map(Alert::News);
        news.or(self.newest_incident.map(Alert::Incident))
    }
}

/// Changes smaller than this are not a trend (rounding of scores).
const SCORE_EPSILON: f64 = 0.005;

/// What changed between `before` and `view`, news first, then incidents, tasks,
/// messages and objectives.
pub fn since(before: &Snapshot, view: &View) -> Digest {
    let mut digest = Digest {
        from_tick: before.tick,
        to_tick: view.tick,
        ..Digest::default()
    };
    for inject in view
        .injects
        .iter()
        .filter(|i| i.fired_at.is_some() && !before.fired.contains(&i.idx))
    {
        digest.lines.push(DigestLine {
            topic: Topic::News,
            text: format!("news: {}", inject.headline),
        });
        digest.newest_news = Some(inject.idx);
    }
    for incident in &view.incidents {
        let now = (
            incident.stage,
            incident.contained_at.is_some(),
            incident.recovered_at.is_some(),
        );
        let change = match before.incidents.get(&incident.id) {
            None => {
                digest.newest_incident = Some(incident.id);
                Some("new incident")
            }
            Some(&(_, _, false)) if now.2 => Some("recovered"),
            Some(&(_, false, _)) if now.1 => Some("contained"),
            Some(&(stage, _, _)) if now.0 > stage => Some("moved on"),
            Some(_) => None,
        };
        if let Some(change) = change {
            digest.lines.push(DigestLine {
                topic: Topic::Incident,
                text: format!("{change}: {}", incident_line(view, incident.id)),
            });
        }
    }
    for task in view
        .tasks
        .iter()
        .filter(|t| t.finished && !before.finished_tasks.contains(&t.id))
    {
        let outcome = task
            .outcome
            .as_ref()
            .map_or(String::new(), |o| format!(": {o}"));
        digest.lines.push(DigestLine {
            topic: Topic::Task,
            text: format!("done: {} {}{outcome}", task.label, task.target),
        });
    }
    let new_messages = &view.messages[before.messages.min(view.messages.len())..];
    match new_messages {
        [] => {}
        [one] => digest.lines.push(DigestLine {
            topic: Topic::Message,
            text: format!("message from {}: {}", actor_name(view, one.from), one.text),
        }),
        many => digest.lines.push(DigestLine {
            topic: Topic::Message,
            text: format!("{} new messages (Comms)", many.len()),
        }),
    }
    for objective in &view.objectives {
        let Some(&was) = before.objectives.get(&objective.id) else {
            continue;
        };
        let moved = objective.score - was;
        if moved.abs() >= SCORE_EPSILON {
            digest.objective_moves.insert(objective.id.clone(), moved);
            digest.lines.push(DigestLine {
                topic: Topic::Objective,
                text: format!(
                    "objective {} {:.0}% → {:.0}%: {}",
                    if moved > 0.0 { "up" } else { "down" },
                    was * 100.0,
                    objective.score * 100.0,
                    objective.description
                ),
            });
        }
    }
    digest
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixture;

    #[test]
    fn a_tick_later_the_digest_names_news_incidents_tasks_messages_and_objectives() {
        let mut before_view = fixture::team_view();
        before_view.tick = 7;
        // Before: the second inject had not fired, incident #4 was unknown, #1 was not
        // yet contained, the contain task had not finished, one message less.
        before_view.injects[0].fired_at = None;
        before_view.incidents.retain(|i| i.id.0 != 4);
        before_view.messages.pop();
        before_view.objectives[0].score = 0.9;
        let before = Snapshot::of(&before_view);

        let mut view = fixture::team_view();
        view.incidents[1].contained_at = Some(8);
        let digest = since(&before, &view);
        let texts: Vec<&str> = digest.lines.iter().map(|l| l.text.as_str()).collect();
        assert_eq!(
            texts,
            vec![
                "news: Payment terminals fail across Arcadia",
                "contained: #1 ArcTel backbone (medium, foothold)",
                "new incident: #4 Pacific submarine cable landing (low, initial access)",
                "message from Facilitator: Reminder: the minister expects a situation report at 10:00.",
                "objective down 90% → 75%: Keep Arcadia's finance sector above 70% service",
            ]
        );
        assert_eq!(digest.alert(false), Some(Alert::News(InjectIdx(0))));
        assert_eq!(digest.alert(true), Some(Alert::Incident(IncidentId(4))));
        assert!(digest.objective_moves["keep-finance"] < 0.0);
    }

    #[test]
    fn nothing_changed_means_an_empty_digest_and_no_alert() {
        let view = fixture::team_view();
        let digest = since(&Snapshot::of(&view), &view);
        assert!(digest.lines.is_empty());
        assert_eq!(digest.alert(false), None);
    }
}
