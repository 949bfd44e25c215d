//! Decision points as they run: when each was offered, how it was settled (a team's
//! `decide`, or its default at the deadline), and the ransom policies decisions set.
//!
//! A decision is the exercise's "decision point" (HSEEP 2020: discussion-based and
//! operations-based exercises put key decisions to the players; CISA's Tabletop Exercise
//! Packages list them per module: pay or not, speak now or later, notify the
//! regulator). Its state is index-aligned with the scenario's `[[decision]]` blocks,
//! part of the state hash, and rebuilt exactly by a replay (a choice is a journaled
//! command; offers and defaults follow from the state).

use bevy_ecs::prelude::Resource;
use serde::{Deserialize, Serialize};

use crate::scenario::model::{CampaignIdx, DecisionIdx, EconomyIdx, RansomPolicy, TeamIdx};

/// How a decision point was settled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Settlement {
    /// Index of the option in the decision's options.
    pub option: u32,
    /// The team that chose; `None`: the default applied at the deadline.
    pub by: Option<TeamIdx>,
    /// Tick it was settled.
    pub at: u32,
    /// Whether the option's effects have been applied (at the start of the tick after
    /// the choice).
    pub applied: bool,
}

/// One decision point's progress.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct DecisionState {
    /// Tick its trigger first held; `None`: not offered yet.
    pub offered_at: Option<u32>,
    pub settled: Option<Settlement>,
}

impl DecisionState {
    /// Offered and not settled: the teams may choose.
    pub fn is_open(&self) -> bool {
        self.offered_at.is_some() && self.settled.is_none()
    }
}

/// Every decision point's progress, index-aligned with the scenario's decisions.
#[derive(Resource, Debug, Clone, PartialEq, Eq, Default)]
pub struct DecisionPoints(pub Vec<DecisionState>);

impl DecisionPoints {
    /// None offered yet, for a scenario with `count` decisions.
    pub fn new(count: usize) -> Self {
        Self(vec![DecisionState::default(); count])
    }

    pub fn get(&self, decision: DecisionIdx) -> Option<&DecisionState> {
        self.0.get(decision.index())
    }

    pub fn get_mut(&mut self, decision: DecisionIdx) -> Option<&mut DecisionState> {
        self.0.get_mut(decision.index())
    }
}

/// A decision point's run, for `run --json` and the report: when it was offered and
/// how it was settled.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DecisionRun {
    pub id: String,
    pub offered_at: Option<u32>,
    /// The option's id, once settled.
    pub option: Option<String>,
    /// The id of the team that chose; `None` when the default applied (or unsettled).
    pub by: Option<String>,
    pub settled_at: Option<u32>,
}

/// A ransom policy set by a decision's (or an inject's) `ransom` effect.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct RansomRule {
    pub economy: EconomyIdx,
    /// `None`: every ransomware campaign.
    pub campaign: Option<CampaignIdx>,
    pub policy: RansomPolicy,
    /// Tick it was set.
    pub at: u32,
}

/// The ransom policies in force, oldest first: at a ransomware impact the loss model
/// asks [`RansomPolicies::get`] whether the victim's economy decided to pay, refuse or
/// negotiate, instead of drawing the victim's own choice.
#[derive(Resource, Debug, Clone, PartialEq, Eq, Default)]
pub struct RansomPolicies(pub Vec<RansomRule>);

impl RansomPolicies {
    /// Records a policy set at tick `at`.
    pub fn set(&mut self, rule: RansomRule) {
        self.0.push(rule);
    }

    /// The policy in force for ransomware of `campaign` in `economy`: the latest rule
    /// naming that economy and that campaign or every campaign.
    pub fn get(&self, economy: EconomyIdx, campaign: CampaignIdx) -> Option<RansomPolicy> {
        self.0
            .iter()
            .rev()
            .find(|r| r.economy == economy && r.campaign.is_none_or(|c| c == campaign))
            .map(|r| r.policy)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_latest_matching_ransom_policy_is_in_force() {
        let mut policies = RansomPolicies::default();
        let (tam, nor) = (EconomyIdx(0), EconomyIdx(1));
        let (lock, other) = (CampaignIdx(0), CampaignIdx(1));
        assert_eq!(policies.get(tam, lock), None);
        policies.set(RansomRule {
            economy: tam,
            campaign: None,
            policy: RansomPolicy::Refuse,
            at: 2,
        });
        policies.set(RansomRule {
            economy: tam,
            campaign: Some(lock),
            policy: RansomPolicy::Negotiate,
            at: 5,
        });
        assert_eq!(policies.get(tam, lock), Some(RansomPolicy::Negotiate));
        assert_eq!(policies.get(tam, other), Some(RansomPolicy::Refuse));
        assert_eq!(policies.get(nor, lock), None);
    }

    #[test]
    fn a_decision_is_open_between_its_offer_and_its_settlement() {
        let mut state = DecisionState::default();
        assert!(!state.is_open());
        state.offered_at = Some(3);
        assert!(state.is_open());
        state.settled = Some(Settlement {
            option: 1,
            by: None,
            at: 7,
            applied: false,
        });
        assert!(!state.is_open());
    }
}
