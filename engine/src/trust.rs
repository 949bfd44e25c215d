//! What moved public trust: every change to an economy's trust is booked under its
//! cause, so a screen can say "trust 58: -14 attacks on people, -6 outages, +3 visible
//! response" instead of a bare number. The causes are the terms of the trust model
//! (`systems::update_trust`, `docs/model.md` "Public trust") and the two other things
//! that move it: awareness campaigns and the facilitator's injects.
//!
//! [`TrustMoves::apply`] is the one way to change a trust level: it clamps to 0-100 and
//! books what was actually applied, so the parts always add up to the change since the
//! start. A new cause is a new [`TrustCause`] variant (and its label).

use std::collections::BTreeMap;

use bevy_ecs::prelude::Component;
use serde::{Deserialize, Serialize};

/// Why trust moved.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TrustCause {
    /// Erosion by open attacks on people at impact (fraud, fake sites, harmful content).
    AttacksOnPeople,
    /// Erosion by outages of essential services.
    Outages,
    /// Regained by incidents contained or recovered (a visible response).
    VisibleResponse,
    /// Regained towards its starting level by an aware public.
    AwarePublic,
    /// Awareness campaigns run at home.
    AwarenessCampaigns,
    /// Scenario events (injects) and the options of decisions settled.
    Events,
}

impl TrustCause {
    /// Every cause, in the order screens and reports list them.
    pub const ALL: [TrustCause; 6] = [
        TrustCause::AttacksOnPeople,
        TrustCause::Outages,
        TrustCause::VisibleResponse,
        TrustCause::AwarePublic,
        TrustCause::AwarenessCampaigns,
        TrustCause::Events,
    ];

    /// How screens and reports name it.
    pub fn label(self) -> &'static str {
        match self {
            TrustCause::AttacksOnPeople => "attacks on people",
            TrustCause::Outages => "outages",
            TrustCause::VisibleResponse => "visible response",
            TrustCause::AwarePublic => "recovery with an aware public",
            TrustCause::AwarenessCampaigns => "awareness campaigns",
            TrustCause::Events => "events and decisions",
        }
    }

    fn slot(self) -> usize {
        self as usize
    }
}

/// Points of trust gained (positive) or lost (negative) since the start, by cause, as
/// applied within the 0-100 bounds: they add up to the change since the start. In JSON
/// an object keyed by cause (`{"attacks_on_people": -4.2, ...}`), a missing cause 0.
#[derive(Component, Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
#[serde(into = "BTreeMap<TrustCause, f64>", from = "BTreeMap<TrustCause, f64>")]
pub struct TrustMoves([f64; TrustCause::ALL.len()]);

impl From<TrustMoves> for BTreeMap<TrustCause, f64> {
    fn from(moves: TrustMoves) -> Self {
        moves.parts().into_iter().collect()
    }
}

impl From<BTreeMap<TrustCause, f64>> for TrustMoves {
    fn from(map: BTreeMap<TrustCause, f64>) -> Self {
        let mut moves = TrustMoves::default();
        for (cause, points) in map {
            moves.book(cause, points);
        }
        moves
    }
}

impl TrustMoves {
    /// Moves `trust` by `delta` within 0-100 and books the change applied under `cause`;
    /// returns that change (less than `delta` at a bound).
    pub fn apply(&mut self, trust: &mut f64, cause: TrustCause, delta: f64) -> f64 {
        let (next, applied) = moved(*trust, delta);
        *trust = next;
        self.book(cause, applied);
        applied
    }

    /// Books `points` under `cause` without moving anything: for a caller that applied
    /// several causes at once and split the applied change among them.
    pub fn book(&mut self, cause: TrustCause, points: f64) {
        self.0[cause.slot()] += points;
    }

    /// The points booked under `cause` since the start.
    pub fn get(&self, cause: TrustCause) -> f64 {
        self.0[cause.slot()]
    }

    /// Every cause with its points, in [`TrustCause::ALL`]'s order.
    pub fn parts(&self) -> [(TrustCause, f64); TrustCause::ALL.len()] {
        TrustCause::ALL.map(|cause| (cause, self.get(cause)))
    }

    /// Their sum: the change since the start.
    pub fn total(&self) -> f64 {
        self.0.iter().sum()
    }

    /// The causes that moved trust by at least `at_least` points either way, largest
    /// first (ties in [`TrustCause::ALL`]'s order): what a screen with little room shows.
    pub fn largest(&self, at_least: f64) -> Vec<(TrustCause, f64)> {
        let mut moved: Vec<(TrustCause, f64)> = self
            .parts()
            .into_iter()
            .filter(|(_, points)| points.abs() >= at_least)
            .collect();
        moved.sort_by(|a, b| b.1.abs().total_cmp(&a.1.abs()));
        moved
    }

    /// `-7.5 attacks on people, -6.0 outages, +1.0 visible response`: the causes of at
    /// least 0.05 points, largest first; `not moved` when none.
    pub fn words(&self) -> String {
        let moved = self.largest(0.05);
        if moved.is_empty() {
            return "not moved".to_string();
        }
        moved
            .iter()
            .map(|(cause, points)| format!("{points:+.1} {}", cause.label()))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// Trust after adding `delta` within 0-100, and the change actually applied (less than
/// `delta` at a bound).
pub fn moved(trust: f64, delta: f64) -> (f64, f64) {
    let next = (trust + delta).clamp(0.0, 100.0);
    (next, next - trust)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_move_is_booked_as_applied_within_the_bounds() {
        assert_eq!(moved(50.0, 2.0), (52.0, 2.0));
        assert_eq!(moved(99.0, 2.0), (100.0, 1.0));
        assert_eq!(moved(1.0, -3.0), (0.0, -1.0));
        let mut moves = TrustMoves::default();
        let mut trust = 99.0;
        assert_eq!(
            moves.apply(&mut trust, TrustCause::AwarenessCampaigns, 2.0),
            1.0
        );
        assert_eq!(trust, 100.0);
        assert_eq!(moves.get(TrustCause::AwarenessCampaigns), 1.0);
    }

    #[test]
    fn the_parts_add_up_to_the_total_and_read_largest_first() {
        let mut moves = TrustMoves::default();
        moves.book(TrustCause::AttacksOnPeople, -4.0);
        moves.book(TrustCause::Outages, -2.5);
        moves.book(TrustCause::VisibleResponse, 1.0);
        moves.book(TrustCause::AwarePublic, 0.5);
        moves.book(TrustCause::AwarenessCampaigns, 2.0);
        moves.book(TrustCause::Events, -1.0);
        assert_eq!(moves.total(), -4.0);
        assert_eq!(
            moves.words(),
            "-4.0 attacks on people, -2.5 outages, +2.0 awareness campaigns, \
             +1.0 visible response, -1.0 events and decisions, +0.5 recovery with an aware public"
        );
        assert_eq!(TrustMoves::default().words(), "not moved");
        let json = serde_json::to_string(&moves).unwrap_or_default();
        assert!(json.contains(r#""attacks_on_people":-4.0"#), "{json}");
        assert_eq!(serde_json::from_str::<TrustMoves>(&json).ok(), Some(moves));
    }
}
