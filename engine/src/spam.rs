//! Spam as its own campaign kind: unsolicited bulk email sent to the people a mail or
//! messaging service serves. What the economy's providers do not filter out reaches
//! people; a few of them respond and are defrauded, so spam feeds fraud.
//!
//! - **Sent**: while a spam incident is at impact and open (not contained by the
//!   provider, not closed by a takedown everywhere), the campaign sends `messages` an hour
//!   to each person the service serves, in proportion to the share of its hosting
//!   economies still serving its botnet's command servers.
//! - **Reached**: the sent messages the economy's filtering lets through,
//!   `sent x (1 - filtering / 100)`.
//! - **Responded**: `reached x response_rate x (1 - 0.5 awareness / 100)`: aware people
//!   respond half as often at full awareness, as for the victims of other attacks on
//!   people. Each responder is booked in the ledger as a fraud victim.
//!
//! Filtering is a defence that moves: an inject's or decision's `spam_filtering` effect,
//! or a regulator coordinating the operators of a service spam is aimed at, sets a
//! higher target, and the level closes [`ROLLOUT_HOURS`]'s share of the gap each hour
//! ([`crate::systems::roll_out_spam_filters`]).
//!
//! Sources: APEC, *Strategy to Ensure Trusted, Secure and Sustainable Online Environment*
//! (2005: spam named among the threats to a trusted online environment); OECD, *Anti-Spam
//! Toolkit of Recommended Policies and Measures* (2006: regulation, enforcement and
//! cooperation, industry-driven filtering, user awareness); Kanich et al., "Spamalytics:
//! an empirical analysis of spam marketing conversion" (ACM CCS 2008); Rao & Reiley,
//! "The Economics of Spam" (*Journal of Economic Perspectives* 26(3), 2012). The formulas
//! and the defaults are in `docs/model.md`, "Spam".

use bevy_ecs::prelude::*;
use serde::{Deserialize, Serialize};

use crate::scenario::model::{EconomyIdx, Scenario};

/// Hours a raised filtering target takes to be mostly in place: the level closes
/// `hours / ROLLOUT_HOURS` of the gap each tick (about two thirds in a day), as the
/// providers roll the filters out. An assumption: no published figure for the pace.
pub const ROLLOUT_HOURS: f64 = 24.0;

/// Share of what filtering lets through that a regulator's coordination with the
/// operators of a service spam is aimed at removes (half: an assumption; the OECD
/// toolkit's best practices for providers, without a measured effect).
pub const COORDINATED_FILTERING_GAIN: f64 = 0.5;

/// One economy's filtering, in percent of spam filtered out.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct SpamFilter {
    /// Filtering now.
    pub level: f64,
    /// Filtering the providers are moving to.
    pub target: f64,
}

/// Spam in one economy, or the region, so far (expected counts, so fractional).
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct SpamTally {
    /// Messages sent to its people.
    pub sent: f64,
    /// Of those, the messages filtering let through to people.
    pub reached: f64,
    /// People who responded and were defrauded.
    pub responded: f64,
    /// What the responders lost, US dollars (also in the ledger, as fraud).
    pub loss: f64,
}

impl SpamTally {
    fn add(&mut self, other: &SpamTally) {
        self.sent += other.sent;
        self.reached += other.reached;
        self.responded += other.responded;
        self.loss += other.loss;
    }
}

/// What an economy's own teams see of spam: the filtering now and where the providers
/// are taking it, and the spam so far.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct SpamSeen {
    pub filter: SpamFilter,
    pub tally: SpamTally,
}

/// Every economy's spam filtering and spam so far, index-aligned with the scenario's
/// economies.
#[derive(Resource, Debug, Clone, Default, PartialEq)]
pub struct Spam {
    pub filters: Vec<SpamFilter>,
    pub tallies: Vec<SpamTally>,
}

impl Spam {
    /// Each economy's filtering at its scenario level, nothing sent yet.
    pub fn new(scenario: &Scenario) -> Self {
        Spam {
            filters: scenario
                .economies
                .iter()
                .map(|e| SpamFilter {
                    level: e.spam_filtering,
                    target: e.spam_filtering,
                })
                .collect(),
            tallies: vec![SpamTally::default(); scenario.economies.len()],
        }
    }

    /// Economy `e`'s filtering now, percent (0 for an economy not in the scenario).
    pub fn filtering(&self, e: EconomyIdx) -> f64 {
        self.filters.get(e.index()).map_or(0.0, |f| f.level)
    }

    /// Sets economy `e`'s filtering target to `percent` (clamped to 0-100).
    pub fn aim(&mut self, e: EconomyIdx, percent: f64) {
        if let Some(filter) = self.filters.get_mut(e.index()) {
            filter.target = percent.clamp(0.0, 100.0);
        }
    }

    /// A regulator's coordination with the operators of a service spam is aimed at:
    /// the target lets through [`COORDINATED_FILTERING_GAIN`] less than the higher of the
    /// level and the target did. Returns the new target.
    pub fn coordinate(&mut self, e: EconomyIdx) -> Option<f64> {
        let filter = self.filters.get_mut(e.index())?;
        let from = filter.level.max(filter.target);
        filter.target = 100.0 - (100.0 - from) * (1.0 - COORDINATED_FILTERING_GAIN);
        Some(filter.target)
    }

    /// One tick of `hours`: every level closes `hours / ROLLOUT_HOURS` of its gap to
    /// the target (all of it when the tick is a day or longer).
    pub fn roll_out(&mut self, hours: f64) {
        let step = (hours / ROLLOUT_HOURS).clamp(0.0, 1.0);
        for filter in &mut self.filters {
            filter.level += (filter.target - filter.level) * step;
        }
    }

    /// Books `sent` messages to economy `e`'s people with `awareness` (0-100), a
    /// `response_rate` per message reaching someone and `per_victim` lost by each
    /// responder; returns what it booked.
    pub fn deliver(
        &mut self,
        e: EconomyIdx,
        sent: f64,
        awareness: f64,
        response_rate: f64,
        per_victim: f64,
    ) -> SpamTally {
        let filtering = (self.filtering(e) / 100.0).clamp(0.0, 1.0);
        let aware = (awareness / 100.0).clamp(0.0, 1.0);
        let reached = sent.max(0.0) * (1.0 - filtering);
        let responded = reached * response_rate.clamp(0.0, 1.0) * (1.0 - 0.5 * aware);
        let booked = SpamTally {
            sent: sent.max(0.0),
            reached,
            responded,
            loss: responded * per_victim.max(0.0),
        };
        if let Some(tally) = self.tallies.get_mut(e.index()) {
            tally.add(&booked);
        }
        booked
    }

    /// Economy `e`'s filtering and spam so far (`None` for an economy not in the
    /// scenario).
    pub fn seen(&self, e: EconomyIdx) -> Option<SpamSeen> {
        Some(SpamSeen {
            filter: *self.filters.get(e.index())?,
            tally: *self.tallies.get(e.index())?,
        })
    }

    /// Spam in one economy, or in the region when `economy` is `None`.
    pub fn tally(&self, economy: Option<EconomyIdx>) -> SpamTally {
        let mut sum = SpamTally::default();
        for (e, tally) in self.tallies.iter().enumerate() {
            if economy.is_none_or(|x| x.index() == e) {
                sum.add(tally);
            }
        }
        sum
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit::two_economies;

    /// 1,000 messages at 99% filtering: 10 reach people; at a response rate of 0.1 and
    /// no awareness 1 responds (0.5 at full awareness), each losing 100.
    #[test]
    fn filtering_stops_what_reaches_people_and_awareness_who_responds() {
        let mut spam = Spam::new(&two_economies());
        let (a, b) = (EconomyIdx(0), EconomyIdx(1));
        assert_eq!(spam.filtering(a), 99.0, "the default");
        let got = spam.deliver(a, 1000.0, 0.0, 0.1, 100.0);
        assert!((got.reached - 10.0).abs() < 1e-9);
        assert!((got.responded - 1.0).abs() < 1e-9);
        assert!((got.loss - 100.0).abs() < 1e-9);
        let aware = spam.deliver(b, 1000.0, 100.0, 0.1, 100.0);
        assert!((aware.responded - 0.5).abs() < 1e-9);
        let region = spam.tally(None);
        assert_eq!(region.sent, 2000.0);
        assert!((region.responded - 1.5).abs() < 1e-9);
        assert_eq!(spam.tally(Some(b)).sent, 1000.0);
    }

    /// A raised target is reached over ticks, not at once: an hour closes a 24th of the
    /// gap, a day or more all of it; coordination halves what filtering lets through.
    #[test]
    fn filtering_rises_towards_its_target_over_ticks() {
        let mut spam = Spam::new(&two_economies());
        let a = EconomyIdx(0);
        assert_eq!(spam.coordinate(a), Some(99.5));
        spam.roll_out(1.0);
        let after_an_hour = spam.filtering(a);
        assert!(after_an_hour > 99.0 && after_an_hour < 99.5);
        spam.roll_out(24.0);
        assert_eq!(spam.filtering(a), 99.5);
        spam.aim(a, 150.0);
        spam.roll_out(48.0);
        assert_eq!(spam.filtering(a), 100.0, "clamped");
        assert_eq!(spam.coordinate(EconomyIdx(9)), None);
    }
}
