//! Trust between economies: how far each economy trusts each other one, grown by timely
//! sharing and by help that arrived, lost by requests left unanswered, and spent as
//! speed: an economy sends indicators sooner to the partners it trusts. The ITU 2009
//! Asia-Pacific forum asked for partnerships "built on mutual trust" with "a
//! demonstrable and measurable value proposition"; ENISA's study of information
//! sharing (*Incentives and Challenges for Information Sharing in the Context of Network
//! and Information Security*, 2010) found trust the first condition of sharing and
//! reciprocity what builds it. Public trust in an economy's services is another thing
//! (`Trust`, `systems::update_trust`).
//!
//! Every change is booked under its cause ([`PartnerMoves`]), so the self-assessment can
//! say what moved it. Formulas and sources: `docs/model.md`, "Trust between economies".

use bevy_ecs::prelude::Component;
use serde::{Deserialize, Serialize};

/// Trust every pair of economies starts at: neutral, the sharing delays as agreed.
pub const START: f64 = 50.0;
/// Indicators that arrive within this many ticks of their sender first knowing the
/// incident were shared in time (a day at hourly ticks: the early-warning deadline of
/// the EU NIS2 Directive, art. 23).
pub const TIMELY_TICKS: u32 = 24;
/// Trust a timely shipment adds, at most (times the room left, `(100 - t) / 100`).
pub const TIMELY_GAIN: f64 = 2.0;
/// Trust lent analysts add on arrival, at most (times the room left).
pub const ASSISTANCE_GAIN: f64 = 5.0;
/// A request for analysts nobody has answered this many ticks after it arrived was
/// refused.
pub const REFUSAL_TICKS: u32 = 24;
/// Trust a refused request takes, at most (times the trust there is to lose, `t / 100`).
pub const REFUSAL_LOSS: f64 = 10.0;

/// Points of trust gained (positive) or lost (negative) since the start, by cause, as
/// applied (within 0-100): they add up to the change since the start.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct PartnerMoves {
    /// Indicators the partner shared in time.
    pub timely_sharing: f64,
    /// Analysts the partner lent that arrived.
    pub assistance: f64,
    /// Requests for analysts the partner left unanswered.
    pub refusals: f64,
}

impl PartnerMoves {
    /// Every cause with its points, in a fixed order, worded for screens and reports.
    pub fn parts(&self) -> [(&'static str, f64); 3] {
        [
            ("timely sharing", self.timely_sharing),
            ("assistance", self.assistance),
            ("refusals", self.refusals),
        ]
    }

    /// Their sum: the change since the start.
    pub fn total(&self) -> f64 {
        self.parts().iter().map(|(_, p)| p).sum()
    }
}

/// How far an economy trusts each economy of the scenario (its own entry unused), by
/// economy index, 0-100, with what moved it.
#[derive(Component, Debug, Clone, PartialEq)]
pub struct PartnerTrust {
    pub level: Vec<f64>,
    pub moves: Vec<PartnerMoves>,
}

impl PartnerTrust {
    /// Neutral trust in each of `economies` economies.
    pub fn new(economies: usize) -> Self {
        Self {
            level: vec![START; economies],
            moves: vec![PartnerMoves::default(); economies],
        }
    }

    /// Trust in economy `other` (neutral for an economy outside the scenario).
    pub fn of(&self, other: usize) -> f64 {
        self.level.get(other).copied().unwrap_or(START)
    }

    /// Timely indicators from `other`: `+2 x (100 - t) / 100`.
    pub fn shared_in_time(&mut self, other: usize) {
        self.add(
            other,
            |t| TIMELY_GAIN * (100.0 - t) / 100.0,
            |m, d| {
                m.timely_sharing += d;
            },
        );
    }

    /// Analysts from `other` arrived: `+5 x (100 - t) / 100`.
    pub fn helped(&mut self, other: usize) {
        self.add(
            other,
            |t| ASSISTANCE_GAIN * (100.0 - t) / 100.0,
            |m, d| {
                m.assistance += d;
            },
        );
    }

    /// `other` left a request unanswered: `-10 x t / 100`.
    pub fn refused(&mut self, other: usize) {
        self.add(other, |t| -REFUSAL_LOSS * t / 100.0, |m, d| m.refusals += d);
    }

    fn add(
        &mut self,
        other: usize,
        delta: impl Fn(f64) -> f64,
        book: impl Fn(&mut PartnerMoves, f64),
    ) {
        let (Some(level), Some(moves)) = (self.level.get_mut(other), self.moves.get_mut(other))
        else {
            return;
        };
        let next = (*level + delta(*level)).clamp(0.0, 100.0);
        book(moves, next - *level);
        *level = next;
    }
}

/// The delay of indicators sent to a partner trusted at `trust`: the agreed `base`
/// scaled by `(150 - trust) / 100` and rounded up (as is at the neutral 50, half of it
/// at full trust, half as long again at none); an immediate delivery stays immediate.
pub fn sharing_delay(base: u32, trust: f64) -> u32 {
    if base == 0 {
        return 0;
    }
    let scaled = (f64::from(base) * (150.0 - trust.clamp(0.0, 100.0)) / 100.0).ceil();
    (scaled as u32).max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sharing_delays_shorten_with_trust_and_are_as_agreed_at_the_start() {
        assert_eq!(sharing_delay(6, START), 6);
        assert_eq!(sharing_delay(6, 100.0), 3);
        assert_eq!(sharing_delay(6, 0.0), 9);
        assert_eq!(sharing_delay(6, 70.0), 5);
        assert_eq!(sharing_delay(1, 100.0), 1);
        assert_eq!(sharing_delay(0, 100.0), 0);
    }

    #[test]
    fn moves_are_booked_by_cause_as_applied_and_add_up() {
        let mut trust = PartnerTrust::new(2);
        trust.shared_in_time(1);
        assert_eq!(trust.of(1), 51.0);
        trust.helped(1);
        assert!((trust.of(1) - (51.0 + 5.0 * 0.49)).abs() < 1e-9);
        trust.refused(1);
        let moves = trust.moves[1];
        assert_eq!(moves.timely_sharing, 1.0);
        assert!(moves.refusals < -5.0);
        assert!((START + moves.total() - trust.of(1)).abs() < 1e-9);
        // Nothing happens to an economy outside the scenario.
        trust.refused(7);
        assert_eq!(trust.of(7), START);
    }
}
