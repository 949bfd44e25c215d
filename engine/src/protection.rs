//! Child online protection as its own outcome: how many children harmful content
//! reached, and how many of them were safeguarded. Money is not the measure here (a
//! harmful-content incident causes no fraud loss); children are.
//!
//! - **Exposed**: while a harmful-content incident is at impact and still open (not
//!   contained at the victim's end, not closed by a takedown everywhere), the material
//!   reaches children among the people its asset serves, fewer where the public is aware
//!   and in proportion to the share of its hosting economies still serving it
//!   ([`crate::systems::expose_children`]).
//! - **Safeguarded**: the children an incident exposed (before and after) once it was
//!   *referred*: reported to a hotline or the police (the `refer` command), or named in
//!   a completed takedown, whose notice and takedown passes the report on to the police
//!   for victim identification. Blocking the material locally (containment) stops
//!   further exposure but safeguards nobody: no one follows up the children it reached.
//!
//! Sources: ITU, *Guidelines on Child Online Protection* (2020: policy-makers, industry,
//! parents and educators; reporting mechanisms, hotlines, notice and takedown); INHOPE,
//! *Annual Report 2023* (member hotlines exchange reports through ICCAM, issue notice and
//! takedown to the host and forward reports to law enforcement for victim
//! identification). The formulas and the defaults are in `docs/model.md`, "Child online
//! protection".

use std::collections::BTreeMap;

use bevy_ecs::prelude::*;
use serde::{Deserialize, Serialize};

use crate::command::IncidentId;
use crate::scenario::model::EconomyIdx;

/// One harmful-content incident's children.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ChildCase {
    /// Economy of the children it reached (the incident's).
    pub economy: EconomyIdx,
    /// Children it exposed so far (an expected count).
    pub exposed: f64,
    /// Tick it was referred to a hotline or the police (by referral or takedown).
    pub referred_at: Option<u32>,
}

/// Every harmful-content incident's children, by incident id (so sums and the hash go
/// in id order).
#[derive(Resource, Debug, Clone, Default, PartialEq)]
pub struct ChildProtection {
    pub cases: BTreeMap<IncidentId, ChildCase>,
}

/// Children exposed and safeguarded over some incidents.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct Children {
    /// Children the material reached (an expected count).
    pub exposed: f64,
    /// Of those, the children of incidents referred to a hotline or the police.
    pub safeguarded: f64,
}

impl Children {
    /// Share of the exposed children who were safeguarded, 0-1; 1 when none was exposed
    /// (nobody was left without help).
    pub fn safeguarded_share(&self) -> f64 {
        if self.exposed <= 0.0 {
            1.0
        } else {
            (self.safeguarded / self.exposed).clamp(0.0, 1.0)
        }
    }
}

impl ChildProtection {
    /// Books `children` more exposed by incident `id` in `economy`.
    pub fn expose(&mut self, id: IncidentId, economy: EconomyIdx, children: f64) {
        let case = self.cases.entry(id).or_insert(ChildCase {
            economy,
            exposed: 0.0,
            referred_at: None,
        });
        case.exposed += children.max(0.0);
    }

    /// Records incident `id` (of `economy`) as referred at `now`; whether it was not
    /// referred before (a case with no exposure yet is opened, so later exposure counts
    /// as safeguarded).
    pub fn refer(&mut self, id: IncidentId, economy: EconomyIdx, now: u32) -> bool {
        let case = self.cases.entry(id).or_insert(ChildCase {
            economy,
            exposed: 0.0,
            referred_at: None,
        });
        if case.referred_at.is_some() {
            return false;
        }
        case.referred_at = Some(now);
        true
    }

    /// Whether incident `id` was referred.
    pub fn referred(&self, id: IncidentId) -> bool {
        self.cases
            .get(&id)
            .is_some_and(|case| case.referred_at.is_some())
    }

    /// Children of one economy, or of the region when `economy` is `None`.
    pub fn children(&self, economy: Option<EconomyIdx>) -> Children {
        let mut sum = Children::default();
        for case in self.cases.values() {
            if economy.is_none_or(|e| e == case.economy) {
                sum.exposed += case.exposed;
                if case.referred_at.is_some() {
                    sum.safeguarded += case.exposed;
                }
            }
        }
        sum
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Referral safeguards every child the incident reached, before and after it; an
    /// unreferred incident's children stay exposed only; a second referral changes
    /// nothing.
    #[test]
    fn a_referral_safeguards_the_children_its_incident_reached() {
        let mut cop = ChildProtection::default();
        let (a, b) = (EconomyIdx(0), EconomyIdx(1));
        cop.expose(IncidentId(3), a, 4.0);
        cop.expose(IncidentId(5), b, 2.0);
        assert_eq!(cop.children(None).safeguarded, 0.0);
        assert!(cop.refer(IncidentId(3), a, 7));
        assert!(!cop.refer(IncidentId(3), a, 8), "referred once");
        cop.expose(IncidentId(3), a, 1.0);
        let region = cop.children(None);
        assert_eq!((region.exposed, region.safeguarded), (7.0, 5.0));
        let there = cop.children(Some(b));
        assert_eq!((there.exposed, there.safeguarded), (2.0, 0.0));
        assert_eq!(there.safeguarded_share(), 0.0);
        assert_eq!(cop.children(Some(a)).safeguarded_share(), 1.0);
        assert_eq!(Children::default().safeguarded_share(), 1.0, "none exposed");
        assert!(cop.referred(IncidentId(3)) && !cop.referred(IncidentId(5)));
    }
}
