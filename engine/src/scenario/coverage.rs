//! ATT&CK coverage of an exercise: which techniques its campaigns use, at which stage,
//! and in a run how many of the incidents of those campaigns were detected or missed.
//! One computation for the ATT&CK Navigator layer (`attack-layer`) and the report's
//! coverage table, so that both tell the same figures.
//!
//! A technique is credited with every incident of every campaign that lists it: the
//! engine models a campaign's stages, not single techniques, so "detected" means an
//! incident of a campaign using the technique was detected (as an exercise's detection
//! coverage is usually scored per adversary emulation plan, MITRE ATT&CK Evaluations).

use std::collections::BTreeMap;

use super::model::Scenario;
use crate::view::View;

/// Incidents of one campaign in a run.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Seen {
    pub detected: u32,
    pub missed: u32,
}

impl Seen {
    /// Every incident, detected or not.
    pub fn total(self) -> u32 {
        self.detected + self.missed
    }
}

/// One technique of the exercise with its uses and, for a run, its incidents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Technique {
    /// `T1566` or `T1566.002`.
    pub id: String,
    /// Where it is used, as `campaign name (stage)`, in scenario order.
    pub uses: Vec<String>,
    /// Indexes of the campaigns using it.
    pub campaigns: Vec<usize>,
    /// Incidents of those campaigns (zero without a run).
    pub seen: Seen,
}

/// Detected and missed incidents per campaign, by campaign index, from the
/// facilitator's view of a run (which holds every incident with its campaign).
pub fn seen_per_campaign(scenario: &Scenario, view: &View) -> Vec<Seen> {
    let mut seen = vec![Seen::default(); scenario.campaigns.len()];
    for incident in &view.incidents {
        let Some(slot) = incident.campaign.and_then(|c| seen.get_mut(c.index())) else {
            continue;
        };
        if incident.detected_at.is_some() {
            slot.detected += 1;
        } else {
            slot.missed += 1;
        }
    }
    seen
}

/// Every technique of the scenario's campaigns, sorted by id; with `seen` (from
/// [`seen_per_campaign`]), each with the incidents of its campaigns.
pub fn techniques(scenario: &Scenario, seen: Option<&[Seen]>) -> Vec<Technique> {
    let mut by_id: BTreeMap<&str, Technique> = BTreeMap::new();
    for (k, campaign) in scenario.campaigns.iter().enumerate() {
        for (stage, ids) in campaign.techniques.stages() {
            for id in ids {
                let technique = by_id.entry(id.as_str()).or_insert_with(|| Technique {
                    id: id.clone(),
                    uses: Vec::new(),
                    campaigns: Vec::new(),
                    seen: Seen::default(),
                });
                let usage = format!("{} ({})", campaign.name, stage.replace('_', " "));
                if !technique.uses.contains(&usage) {
                    technique.uses.push(usage);
                }
                if !technique.campaigns.contains(&k) {
                    technique.campaigns.push(k);
                    let run = seen.and_then(|s| s.get(k)).copied().unwrap_or_default();
                    technique.seen.detected += run.detected;
                    technique.seen.missed += run.missed;
                }
            }
        }
    }
    by_id.into_values().collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::parse;

    const SCENARIO: &str = include_str!("../../../tests/good/exercise-package.toml");

    #[test]
    fn a_technique_shared_by_two_campaigns_counts_the_incidents_of_both() {
        let scenario = parse(SCENARIO).expect("valid").scenario;
        let campaigns = scenario.campaigns.len();
        assert!(campaigns >= 2, "the fixture needs two campaigns");
        let seen: Vec<Seen> = (0..campaigns)
            .map(|k| Seen {
                detected: k as u32 + 1,
                missed: 10 * (k as u32 + 1),
            })
            .collect();
        let all = techniques(&scenario, Some(&seen));
        assert!(!all.is_empty());
        let mut ids: Vec<&str> = all.iter().map(|t| t.id.as_str()).collect();
        ids.dedup();
        assert_eq!(ids.len(), all.len(), "one entry per technique");
        for t in &all {
            let expected = t.campaigns.iter().fold(Seen::default(), |s, &k| Seen {
                detected: s.detected + seen[k].detected,
                missed: s.missed + seen[k].missed,
            });
            assert_eq!(t.seen, expected, "{}", t.id);
            assert!(!t.uses.is_empty());
        }
        let none = techniques(&scenario, None);
        assert!(none.iter().all(|t| t.seen == Seen::default()));
    }
}
