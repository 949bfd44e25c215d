//! What players' actions achieved, recorded as they happen: the facts that inject
//! conditions test so that no inject reports the result of an action nobody took.
//!
//! Incidents carry their own facts (detected, investigated, contained, recovered, read
//! from the incidents themselves); everything else a team can do across borders or in
//! law leaves an [`Outcome`] here, in the order it happened: indicators that arrived, a
//! notification from a partner CSIRT, analysts requested and delivered, legal action
//! and mutual legal assistance requested, succeeded or failed, content taken down, a
//! decision taken. The record is append-only and part of the state (hashed, journaled
//! through the commands that caused it), so a replay rebuilds it exactly.
//!
//! Sources: the master scenario events list of exercise practice, where an inject's
//! "expected player action" precedes the injects that report its result (US HSEEP
//! 2020); APEC 2005 action areas 2 (legal cooperation), 3 (incident response) and 7
//! (cooperation among economies).

use bevy_ecs::prelude::Resource;
use serde::{Deserialize, Serialize};

use crate::scenario::model::{
    ActionCondition, CampaignIdx, Condition, DecisionIdx, EconomyIdx, LegalOutcome, Scenario,
    TeamIdx, Tlp, Trigger,
};

/// One thing a team's action achieved (or a decision point settled).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Achieved {
    /// Indicators of a campaign arrived in `to`, sent by `from` under `tlp`.
    Shared {
        campaign: CampaignIdx,
        from: EconomyIdx,
        to: EconomyIdx,
        tlp: Tlp,
    },
    /// A CSIRT of `from` told `to` that assets there are compromised by `campaign`.
    Notified {
        campaign: CampaignIdx,
        from: EconomyIdx,
        to: EconomyIdx,
    },
    /// A team of `from` asked `to` for analysts (the request arrived).
    AssistanceRequested { from: EconomyIdx, to: EconomyIdx },
    /// Analysts lent by a team of `from` arrived at a team of `to`.
    AssistanceDelivered {
        from: EconomyIdx,
        to: EconomyIdx,
        analysts: u32,
    },
    /// Domestic legal action by the police of `by` against a campaign.
    LegalAction {
        campaign: CampaignIdx,
        by: EconomyIdx,
        outcome: LegalOutcome,
    },
    /// A mutual legal assistance request from `from` to `to` about a campaign.
    Mla {
        campaign: CampaignIdx,
        from: EconomyIdx,
        to: EconomyIdx,
        outcome: LegalOutcome,
    },
    /// A campaign's content or servers hosted in `host` were taken down.
    Takedown {
        campaign: CampaignIdx,
        host: EconomyIdx,
    },
    /// A decision point settled on an option: chosen by a team, or its default applied
    /// when nobody chose before the deadline (`by: None`).
    Decided {
        decision: DecisionIdx,
        option: u32,
        by: Option<TeamIdx>,
    },
}

/// What stopped a campaign, as `run --json` reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StopCause {
    /// It ran its `duration`.
    Duration,
    /// An inject's `stop_campaign`.
    Inject,
    /// Arrests or a seizure after domestic legal action.
    LegalAction,
    /// Arrests or a seizure abroad after mutual legal assistance.
    Mla,
    /// Its content was taken down in every economy hosting it.
    Takedown,
}

impl StopCause {
    /// Stopped by what players did (it is not restarted by a scenario's inject).
    pub fn by_players(self) -> bool {
        matches!(self, Self::LegalAction | Self::Mla | Self::Takedown)
    }
}

/// An inject that fired, for `run --json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InjectFired {
    pub id: String,
    pub tick: u32,
}

/// A campaign's run, for `run --json`: when it started and what stopped it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CampaignRun {
    pub id: String,
    pub started_at: Option<u32>,
    pub stopped_at: Option<u32>,
    pub stopped_by: Option<StopCause>,
}

/// An achievement and the tick it happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Outcome {
    pub tick: u32,
    pub what: Achieved,
}

/// Every outcome so far, oldest first; and, derived from them (not part of the state),
/// a running tally for each action condition the scenario's triggers use, so that a
/// condition evaluated every tick does not read every outcome ever recorded.
#[derive(Resource, Debug, Clone, Default, PartialEq, Eq)]
pub struct Outcomes(pub Vec<Outcome>, pub(crate) Tallies);

/// Per action condition kept: what the outcomes so far add up to for it (see
/// [`tally`]). Appended to by [`Outcomes::record`] only.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tallies(Vec<(ActionCondition, u64)>);

/// Per `after` condition of the scenario ([`crate::scenario::model::Condition::After`]'s
/// `watch`), the tick its inner condition first held: "N ticks after X" needs the world
/// to remember when X happened, not a hidden marker inject.
#[derive(Resource, Debug, Clone, Default, PartialEq, Eq)]
pub struct Watches(pub Vec<Option<u32>>);

/// How open a TLP label is: what it lets recipients do with the information. Higher is
/// more open (FIRST TLP 2.0: RED, AMBER+STRICT, AMBER, GREEN, CLEAR).
pub fn openness(tlp: Tlp) -> u8 {
    match tlp {
        Tlp::Red => 0,
        Tlp::AmberStrict => 1,
        Tlp::Amber => 2,
        Tlp::Green => 3,
        Tlp::Clear => 4,
    }
}

/// Whether an optional filter admits a value (`None` admits everything).
fn admits<T: PartialEq>(filter: Option<T>, value: T) -> bool {
    filter.is_none_or(|f| f == value)
}

/// Whether a legal request that reached `reached` satisfies a condition asking for
/// `wanted`: every request counts as requested.
fn outcome_matches(wanted: LegalOutcome, reached: LegalOutcome) -> bool {
    wanted == LegalOutcome::Requested || wanted == reached
}

impl Outcomes {
    /// No outcome yet, keeping a tally for each of `conditions` (the action conditions
    /// of the scenario's triggers, [`action_conditions`]).
    pub fn keeping(conditions: Vec<ActionCondition>) -> Self {
        Self(
            Vec::new(),
            Tallies(conditions.into_iter().map(|c| (c, 0)).collect()),
        )
    }

    /// Records an outcome at `tick`.
    pub fn record(&mut self, tick: u32, what: Achieved) {
        for (condition, sum) in &mut self.1.0 {
            *sum += tally(condition, &what);
        }
        self.0.push(Outcome { tick, what });
    }

    /// Whether a condition on players' actions holds now: from its tally if one is
    /// kept, or else from every outcome.
    pub fn holds(&self, condition: &ActionCondition) -> bool {
        match self.1.0.iter().find(|(c, _)| c == condition) {
            Some(&(_, sum)) => enough(condition, sum),
            None => self.holds_reading_all(condition),
        }
    }

    /// Whether a condition on players' actions holds now, read from every outcome (the
    /// reference the tallies are checked against).
    pub fn holds_reading_all(&self, condition: &ActionCondition) -> bool {
        let sum = self.0.iter().map(|o| tally(condition, &o.what)).sum();
        enough(condition, sum)
    }
}

/// What one outcome adds to a condition's tally: the analysts of a matching delivery of
/// assistance (the condition asks for a number of them), 1 for a matching outcome of
/// any other kind (the condition asks for one).
fn tally(condition: &ActionCondition, what: &Achieved) -> u64 {
    match (*condition, *what) {
        (
            ActionCondition::AssistanceDelivered { from, to, .. },
            Achieved::AssistanceDelivered {
                from: f,
                to: t,
                analysts: n,
            },
        ) if admits(from, f) && admits(to, t) => u64::from(n),
        (ActionCondition::AssistanceDelivered { .. }, _) => 0,
        _ => u64::from(matches_one(condition, what)),
    }
}

/// Whether a condition's tally meets it.
fn enough(condition: &ActionCondition, sum: u64) -> bool {
    match *condition {
        ActionCondition::AssistanceDelivered { analysts, .. } => sum >= u64::from(analysts.max(1)),
        _ => sum >= 1,
    }
}

/// The action conditions in the triggers of `scenario`'s injects and decision points,
/// each once, in the order first met.
pub fn action_conditions(scenario: &Scenario) -> Vec<ActionCondition> {
    fn walk(condition: &Condition, out: &mut Vec<ActionCondition>) {
        match condition {
            Condition::Action(action) if !out.contains(action) => out.push(*action),
            Condition::After { condition, .. } | Condition::Not(condition) => walk(condition, out),
            Condition::All(list) | Condition::Any(list) => {
                for c in list {
                    walk(c, out);
                }
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    let triggers = scenario
        .injects
        .iter()
        .map(|i| &i.trigger)
        .chain(scenario.decisions.iter().map(|d| &d.trigger));
    for trigger in triggers {
        if let Trigger::When(condition) = trigger {
            walk(condition, &mut out);
        }
    }
    out
}

/// Whether one outcome satisfies a condition (for the conditions met by a single one).
fn matches_one(condition: &ActionCondition, what: &Achieved) -> bool {
    match (*condition, *what) {
        (
            ActionCondition::Shared {
                campaign,
                from,
                to,
                tlp,
            },
            Achieved::Shared {
                campaign: c,
                from: f,
                to: t,
                tlp: label,
            },
        ) => {
            admits(campaign, c)
                && admits(from, f)
                && admits(to, t)
                && tlp.is_none_or(|least| openness(label) >= openness(least))
        }
        (
            ActionCondition::Notified { campaign, from, to },
            Achieved::Notified {
                campaign: c,
                from: f,
                to: t,
            },
        ) => admits(campaign, c) && admits(from, f) && admits(to, t),
        (
            ActionCondition::AssistanceRequested { from, to },
            Achieved::AssistanceRequested { from: f, to: t },
        ) => admits(from, f) && admits(to, t),
        (
            ActionCondition::LegalAction {
                campaign,
                by,
                outcome,
            },
            Achieved::LegalAction {
                campaign: c,
                by: b,
                outcome: s,
            },
        ) => admits(campaign, c) && admits(by, b) && outcome_matches(outcome, s),
        (
            ActionCondition::Mla {
                campaign,
                from,
                to,
                outcome,
            },
            Achieved::Mla {
                campaign: c,
                from: f,
                to: t,
                outcome: s,
            },
        ) => admits(campaign, c) && admits(from, f) && admits(to, t) && outcome_matches(outcome, s),
        (
            ActionCondition::Takedown { campaign, host },
            Achieved::Takedown {
                campaign: c,
                host: h,
            },
        ) => admits(campaign, c) && admits(host, h),
        (
            ActionCondition::Decision {
                decision,
                option,
                include_default,
            },
            Achieved::Decided {
                decision: d,
                option: o,
                by,
            },
        ) => decision == d && admits(option, o) && (include_default || by.is_some()),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TAM: EconomyIdx = EconomyIdx(0);
    const NOR: EconomyIdx = EconomyIdx(1);
    const PHISH: CampaignIdx = CampaignIdx(0);
    const FAKE: CampaignIdx = CampaignIdx(1);

    fn shared(tlp: Tlp) -> Outcomes {
        let mut record = Outcomes::default();
        record.record(
            5,
            Achieved::Shared {
                campaign: PHISH,
                from: TAM,
                to: NOR,
                tlp,
            },
        );
        record
    }

    fn share_condition(tlp: Option<Tlp>) -> ActionCondition {
        ActionCondition::Shared {
            campaign: Some(PHISH),
            from: Some(TAM),
            to: Some(NOR),
            tlp,
        }
    }

    #[test]
    fn nothing_recorded_means_no_action_condition_holds() {
        let empty = Outcomes::default();
        for condition in [
            share_condition(None),
            ActionCondition::Mla {
                campaign: None,
                from: None,
                to: None,
                outcome: LegalOutcome::Requested,
            },
            ActionCondition::Takedown {
                campaign: None,
                host: None,
            },
            ActionCondition::Decision {
                decision: DecisionIdx(0),
                option: None,
                include_default: true,
            },
        ] {
            assert!(
                !empty.holds(&condition),
                "{condition:?} held on an empty record"
            );
        }
    }

    #[test]
    fn shared_matches_direction_campaign_and_openness_of_the_label() {
        let record = shared(Tlp::Amber);
        assert!(record.holds(&share_condition(None)));
        assert!(record.holds(&share_condition(Some(Tlp::Amber))));
        assert!(record.holds(&share_condition(Some(Tlp::Red))));
        assert!(
            !record.holds(&share_condition(Some(Tlp::Green))),
            "AMBER is less open than GREEN"
        );
        assert!(!record.holds(&ActionCondition::Shared {
            campaign: Some(PHISH),
            from: Some(NOR),
            to: Some(TAM),
            tlp: None,
        }));
        assert!(!record.holds(&ActionCondition::Shared {
            campaign: Some(FAKE),
            from: None,
            to: None,
            tlp: None,
        }));
    }

    #[test]
    fn a_request_counts_as_requested_but_only_success_as_succeeded() {
        let mut record = Outcomes::default();
        let mla = |outcome| Achieved::Mla {
            campaign: PHISH,
            from: TAM,
            to: NOR,
            outcome,
        };
        let asks = |outcome| ActionCondition::Mla {
            campaign: Some(PHISH),
            from: None,
            to: Some(NOR),
            outcome,
        };
        record.record(3, mla(LegalOutcome::Requested));
        assert!(record.holds(&asks(LegalOutcome::Requested)));
        assert!(!record.holds(&asks(LegalOutcome::Succeeded)));
        record.record(20, mla(LegalOutcome::Failed));
        assert!(record.holds(&asks(LegalOutcome::Failed)));
        assert!(!record.holds(&asks(LegalOutcome::Succeeded)));
        record.record(40, mla(LegalOutcome::Succeeded));
        assert!(record.holds(&asks(LegalOutcome::Succeeded)));
    }

    /// The tallies kept for a scenario's conditions answer as reading every outcome
    /// does, after each outcome recorded, whatever the condition's filters.
    #[test]
    fn kept_tallies_answer_as_reading_every_outcome() {
        let wants = |to, analysts| ActionCondition::AssistanceDelivered {
            from: None,
            to,
            analysts,
        };
        let conditions = vec![
            share_condition(None),
            share_condition(Some(Tlp::Green)),
            wants(Some(NOR), 3),
            wants(None, 1),
            wants(Some(TAM), 0),
        ];
        let mut kept = Outcomes::keeping(conditions.clone());
        let events = [
            Achieved::AssistanceDelivered {
                from: TAM,
                to: NOR,
                analysts: 2,
            },
            Achieved::Shared {
                campaign: PHISH,
                from: TAM,
                to: NOR,
                tlp: Tlp::Amber,
            },
            Achieved::AssistanceDelivered {
                from: NOR,
                to: TAM,
                analysts: 1,
            },
            Achieved::Shared {
                campaign: PHISH,
                from: TAM,
                to: NOR,
                tlp: Tlp::Clear,
            },
            Achieved::AssistanceDelivered {
                from: TAM,
                to: NOR,
                analysts: 1,
            },
        ];
        let mut answers = Vec::new();
        for (tick, what) in events.into_iter().enumerate() {
            kept.record(tick as u32, what);
            for condition in &conditions {
                let held = kept.holds(condition);
                assert_eq!(
                    held,
                    kept.holds_reading_all(condition),
                    "{condition:?} at {tick}"
                );
                answers.push(held);
            }
        }
        assert!(answers.contains(&true) && answers.contains(&false));
    }

    #[test]
    fn assistance_delivered_adds_up_analysts() {
        let mut record = Outcomes::default();
        let wants = |analysts| ActionCondition::AssistanceDelivered {
            from: None,
            to: Some(NOR),
            analysts,
        };
        record.record(
            4,
            Achieved::AssistanceDelivered {
                from: TAM,
                to: NOR,
                analysts: 2,
            },
        );
        assert!(record.holds(&wants(1)));
        assert!(!record.holds(&wants(3)));
        record.record(
            6,
            Achieved::AssistanceDelivered {
                from: TAM,
                to: NOR,
                analysts: 1,
            },
        );
        assert!(record.holds(&wants(3)));
    }

    #[test]
    fn a_default_applied_at_the_deadline_is_not_a_choice() {
        let mut record = Outcomes::default();
        record.record(
            9,
            Achieved::Decided {
                decision: DecisionIdx(0),
                option: 1,
                by: None,
            },
        );
        let chose = |option, include_default| ActionCondition::Decision {
            decision: DecisionIdx(0),
            option,
            include_default,
        };
        assert!(!record.holds(&chose(Some(1), false)));
        assert!(!record.holds(&chose(None, false)));
        assert!(record.holds(&chose(Some(1), true)));
        assert!(!record.holds(&chose(Some(0), true)));
        record.record(
            10,
            Achieved::Decided {
                decision: DecisionIdx(1),
                option: 0,
                by: Some(TeamIdx(2)),
            },
        );
        assert!(record.holds(&ActionCondition::Decision {
            decision: DecisionIdx(1),
            option: Some(0),
            include_default: false,
        }));
    }
}
