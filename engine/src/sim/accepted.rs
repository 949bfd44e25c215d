//! What an accepted command became, and its words. A started task is worded when its
//! message is read, not when it is accepted: bots submit most of a run's commands and
//! never read the answer, and naming what a task acts on (incident, asset, economies)
//! cost more than checking the command at the door.

use std::borrow::Cow;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::command::{Command, IncidentId, TaskId};
use crate::names::{self, Directory, Names};
use crate::scenario::model::{
    AssetIdx, DecisionIdx, EconomyIdx, InjectIdx, Scenario, SectorIdx, TeamIdx,
};

/// What an accepted command became. On the wire and in `Debug` it is its task and its
/// message in words, exactly as they were when the message was a field.
#[derive(Clone, Serialize, Deserialize)]
#[serde(from = "Words", into = "Words")]
pub struct Accepted {
    /// The task it started, for actions that take time.
    pub task: Option<TaskId>,
    message: Message,
}

#[derive(Clone)]
enum Message {
    /// Worded already.
    Said(Cow<'static, str>),
    /// Worded when read.
    Started(TaskWords),
}

/// What the message of a started task is worded from: the command and what the door
/// knew when it accepted it. Names come from the scenario, which does not change
/// during a run; the one thing the world knew, the asset an incident struck, is kept.
#[derive(Clone)]
pub(super) struct TaskWords {
    pub scenario: Arc<Scenario>,
    pub command: Command,
    /// The asset struck by the incident the command acts on, if the world knew it.
    pub incident_asset: Option<AssetIdx>,
    pub analysts: u32,
    pub done_at: u32,
    /// The tick lent analysts reach the borrower (assistance).
    pub arrives: Option<u32>,
}

impl Accepted {
    /// Accepted with these words.
    pub fn said(task: Option<TaskId>, message: impl Into<Cow<'static, str>>) -> Self {
        Self {
            task,
            message: Message::Said(message.into()),
        }
    }

    /// A started task, worded when read.
    pub(super) fn started(task: TaskId, words: TaskWords) -> Self {
        Self {
            task: Some(task),
            message: Message::Started(words),
        }
    }

    /// What happens next, in words: `investigate (#3 on Arcadia grid): 2 analysts, done
    /// at tick 9`.
    pub fn message(&self) -> Cow<'_, str> {
        match &self.message {
            Message::Said(text) => Cow::Borrowed(text.as_ref()),
            Message::Started(words) => Cow::Owned(words.message()),
        }
    }
}

impl TaskWords {
    fn message(&self) -> String {
        let mut target = Names(self).target(&self.command);
        if let Some(arrives) = self.arrives {
            target.push_str(&format!(", arriving at tick {arrives}"));
        }
        format!(
            "{} ({target}): {}, done at tick {}",
            self.command.label(),
            names::analysts(self.analysts),
            self.done_at
        )
    }
}

/// The names the door used: the scenario's, and the asset of the command's incident.
impl Directory for TaskWords {
    fn team_name(&self, team: TeamIdx) -> Option<&str> {
        self.scenario.team_name(team)
    }
    fn economy_name(&self, economy: EconomyIdx) -> Option<&str> {
        self.scenario.economy_name(economy)
    }
    fn sector_name(&self, sector: SectorIdx) -> Option<&str> {
        self.scenario.sector_name(sector)
    }
    fn asset_name(&self, asset: AssetIdx) -> Option<Cow<'_, str>> {
        self.scenario.asset_name(asset)
    }
    fn incident_asset(&self, incident: IncidentId) -> Option<AssetIdx> {
        self.incident_asset
            .filter(|_| self.command.incident() == Some(incident))
    }
    fn inject_headline(&self, inject: InjectIdx) -> Option<&str> {
        self.scenario.inject_headline(inject)
    }
    fn decision_choice(&self, decision: DecisionIdx, option: u32) -> Option<(&str, &str)> {
        self.scenario.decision_choice(decision, option)
    }
}

/// An accepted command as it was before its message was worded on demand: the wire
/// form, so servers and clients of either kind understand each other.
#[derive(Serialize, Deserialize)]
#[serde(rename = "Accepted")]
struct Words {
    task: Option<TaskId>,
    message: String,
}

impl From<Words> for Accepted {
    fn from(words: Words) -> Self {
        Accepted::said(words.task, words.message)
    }
}

impl From<Accepted> for Words {
    fn from(accepted: Accepted) -> Self {
        Words {
            task: accepted.task,
            message: accepted.message().into_owned(),
        }
    }
}

/// Two answers are the same when they say the same.
impl PartialEq for Accepted {
    fn eq(&self, other: &Self) -> bool {
        self.task == other.task && self.message() == other.message()
    }
}

impl Eq for Accepted {}

impl std::fmt::Debug for Accepted {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Accepted")
            .field("task", &self.task)
            .field("message", &self.message())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::command::{Actor, Recipient};
    use crate::sim::Simulation;
    use crate::sim::tests::bank_incident;
    use crate::testkit::two_economies;

    const STRONG_CSIRT: TeamIdx = TeamIdx(0);
    const WEAK_CSIRT: TeamIdx = TeamIdx(4);

    /// A started task's message, worded when read, names what the door named: the
    /// incident's asset (which only the world knew), teams, the lent analysts' arrival.
    #[test]
    fn a_started_task_is_worded_when_read_as_the_door_named_it() {
        let mut sim = Simulation::new(two_economies(), 5);
        let incident = bank_incident(&mut sim, ());
        let investigate = sim
            .submit(Actor::Team(STRONG_CSIRT), Command::Investigate { incident })
            .expect("investigating");
        assert_eq!(
            investigate.message(),
            "investigate (#0 on strong-bank): 2 analysts, done at tick 2"
        );
        let lend = Command::ProvideAssistance {
            to: WEAK_CSIRT,
            analysts: 1,
        };
        let lent = sim
            .submit(Actor::Team(STRONG_CSIRT), lend)
            .expect("lending");
        assert_eq!(
            lent.message(),
            "provide assistance (1 analyst to weak-csirt, arriving at tick 12): 1 analyst, \
             done at tick 24"
        );
        // The world moving on does not change the words.
        sim.step();
        assert_eq!(
            investigate.message(),
            "investigate (#0 on strong-bank): 2 analysts, done at tick 2"
        );
        let message = Command::Message {
            to: Recipient::All,
            text: "hello".into(),
        };
        let sent = sim
            .submit(Actor::Team(STRONG_CSIRT), message)
            .expect("sent");
        assert_eq!((sent.task, sent.message()), (None, "message sent".into()));
    }

    /// On the wire an answer is its task and its message in words, both ways.
    #[test]
    fn an_answer_travels_as_its_task_and_words() {
        let mut sim = Simulation::new(two_economies(), 5);
        let accepted = sim
            .submit(Actor::Team(STRONG_CSIRT), Command::AwarenessCampaign)
            .expect("campaigning");
        let json = serde_json::to_value(&accepted).expect("serializes");
        assert_eq!(
            json,
            serde_json::json!({
                "task": 0,
                "message": accepted.message(),
            })
        );
        let back: Accepted = serde_json::from_value(json).expect("deserializes");
        assert_eq!(back, accepted);
        assert_eq!(
            format!("{back:?}"),
            format!(
                "Accepted {{ task: Some(TaskId(0)), message: {:?} }}",
                accepted.message()
            )
        );
    }
}
