//! Measuring the world: inject conditions, objective scores and run metrics.
//!
//! All three read the same state through a [`Snapshot`] of references, so a condition
//! in a scenario file, an objective's score and a metric in `cyberdrill run --json`
//! always agree on what "service", "loss" or "detected" mean.

use serde::{Deserialize, Serialize};

use crate::outcomes::{Outcomes, Watches};
use crate::scenario::model::{
    CampaignIdx, Condition, EconomyIdx, Goal, IncidentState, ObjectiveScope, Scenario, SectorIdx,
    ServiceScope,
};
use crate::world::{Assets, Clock, Economies, Incident, Incidents, Injects, Progress};

/// Read-only references to the parts of the world that are measured.
#[derive(Clone, Copy)]
pub struct Snapshot<'a> {
    pub scenario: &'a Scenario,
    pub clock: &'a Clock,
    pub assets: &'a Assets,
    pub economies: &'a Economies,
    pub incidents: &'a Incidents,
    pub injects: &'a Injects,
    pub progress: &'a Progress,
    /// What players' actions achieved (conditions on actions).
    pub outcomes: &'a Outcomes,
    /// When each `after` condition's inner condition first held.
    pub watches: &'a Watches,
}

impl Snapshot<'_> {
    /// Mean service over assets of an economy and/or sector (`None` = any); 1 when no
    /// asset matches (nothing there can be down).
    pub fn mean_service(&self, economy: Option<EconomyIdx>, sector: Option<SectorIdx>) -> f64 {
        match (economy, sector) {
            (None, None) => self.progress.service_now,
            (Some(e), None) => self.economies.0[e.index()].service,
            _ => {
                let mut sum = 0.0;
                let mut count = 0usize;
                for i in 0..self.assets.len() {
                    let economy_ok = economy.is_none_or(|e| self.assets.economy[i] == e.0);
                    let sector_ok = sector.is_none_or(|s| self.assets.sector[i] == s.0);
                    if economy_ok && sector_ok {
                        sum += self.assets.service(i);
                        count += 1;
                    }
                }
                if count == 0 { 1.0 } else { sum / count as f64 }
            }
        }
    }

    /// Loss of one economy, or of the region.
    pub fn loss(&self, economy: Option<EconomyIdx>) -> f64 {
        match economy {
            Some(e) => self.economies.0[e.index()].loss,
            None => self.economies.0.iter().map(|e| e.loss).sum(),
        }
    }

    /// Incidents matching an optional campaign and economy, in id order.
    pub fn matching_incidents(
        &self,
        campaign: Option<CampaignIdx>,
        economy: Option<EconomyIdx>,
    ) -> impl Iterator<Item = &Incident> {
        self.incidents.0.iter().filter(move |i| {
            campaign.is_none_or(|c| i.campaign == c) && economy.is_none_or(|e| i.economy == e)
        })
    }

    /// Whether an inject condition holds now.
    pub fn holds(&self, condition: &Condition) -> bool {
        match condition {
            Condition::TickAtLeast(t) => self.clock.tick >= *t,
            Condition::ServiceBelow { scope, level } => {
                let service = match scope {
                    ServiceScope::Asset(a) => self.assets.service(a.index()),
                    ServiceScope::Mean { economy, sector } => self.mean_service(*economy, *sector),
                };
                service < *level
            }
            Condition::TrustBelow { economy, value } => {
                self.economies.0[economy.index()].trust < *value
            }
            Condition::LossAbove { economy, value } => self.loss(*economy) > *value,
            Condition::Incidents {
                campaign,
                economy,
                count,
            } => self.matching_incidents(*campaign, *economy).count() >= *count as usize,
            Condition::Reached {
                state,
                campaign,
                economy,
                asset,
                count,
            } => {
                let reached = self
                    .matching_incidents(*campaign, *economy)
                    .filter(|i| asset.is_none_or(|a| i.asset == a) && has_reached(i, *state))
                    .count();
                reached >= (*count).max(1) as usize
            }
            Condition::Action(action) => self.outcomes.holds(action),
            Condition::After { delay, watch, .. } => self
                .watches
                .0
                .get(*watch as usize)
                .copied()
                .flatten()
                .is_some_and(|first| self.clock.tick >= first.saturating_add(*delay)),
            Condition::InjectFired(inject) => self.injects.0[inject.index()].fired_at.is_some(),
            Condition::All(all) => all.iter().all(|c| self.holds(c)),
            Condition::Any(any) => any.iter().any(|c| self.holds(c)),
            Condition::Not(inner) => !self.holds(inner),
        }
    }

    /// Score of an objective so far, 0-1.
    pub fn goal_score(&self, objective_index: usize, goal: &Goal) -> f64 {
        match goal {
            Goal::ServiceAtLeast { .. } => {
                let ticks = self.clock.tick;
                if ticks == 0 {
                    return 1.0;
                }
                let ok = self
                    .progress
                    .objective_ok_ticks
                    .get(objective_index)
                    .copied()
                    .unwrap_or(0);
                f64::from(ok) / f64::from(ticks)
            }
            Goal::TrustAtLeast { economy, level } => {
                let trust = self.economies.0[economy.index()].trust;
                ratio_at_least(trust, *level)
            }
            Goal::LossAtMost { economy, amount } => {
                let loss = self.loss(*economy);
                if loss <= *amount {
                    1.0
                } else {
                    amount.max(0.0) / loss
                }
            }
            Goal::DetectWithin {
                campaign,
                economy,
                ticks,
            } => self.share_within(*campaign, *economy, *ticks, |i| i.detected_at),
            Goal::ContainWithin {
                campaign,
                economy,
                ticks,
            } => self.share_within(*campaign, *economy, *ticks, |i| {
                i.contained_at.or(i.recovered_at)
            }),
        }
    }

    /// Share of matching incidents whose event happened within `ticks` of their start;
    /// incidents still inside their window without the event are not counted yet.
    fn share_within(
        &self,
        campaign: Option<CampaignIdx>,
        economy: Option<EconomyIdx>,
        ticks: u32,
        event: impl Fn(&Incident) -> Option<u32>,
    ) -> f64 {
        let now = self.clock.tick;
        let mut met = 0u32;
        let mut decided = 0u32;
        for incident in self.matching_incidents(campaign, economy) {
            let deadline = incident.started_at.saturating_add(ticks);
            match event(incident) {
                Some(at) if at <= deadline => {
                    met += 1;
                    decided += 1;
                }
                Some(_) => decided += 1,
                None if now > deadline => decided += 1,
                None => {}
            }
        }
        if decided == 0 {
            1.0
        } else {
            f64::from(met) / f64::from(decided)
        }
    }

    /// Every objective's score, in scenario order.
    pub fn objective_scores(&self) -> Vec<ObjectiveScore> {
        self.scenario
            .objectives
            .iter()
            .enumerate()
            .map(|(index, objective)| ObjectiveScore {
                id: objective.id.clone(),
                scope: match objective.scope {
                    ObjectiveScope::Region => "region".to_string(),
                    ObjectiveScope::Team(t) => self.scenario.teams[t.index()].id.clone(),
                },
                weight: objective.weight,
                score: self.goal_score(index, &objective.goal),
            })
            .collect()
    }

    /// The run's headline figures.
    pub fn metrics(&self) -> Metrics {
        let incidents = &self.incidents.0;
        let ticks = self.clock.tick;
        let economies = self
            .scenario
            .economies
            .iter()
            .zip(&self.economies.0)
            .map(|(economy, state)| EconomyMetrics {
                id: economy.id.clone(),
                loss: state.loss,
                trust: state.trust,
                service: state.service,
            })
            .collect::<Vec<_>>();
        Metrics {
            ticks,
            regional_loss: self.loss(None),
            mean_availability: if ticks == 0 {
                self.progress.service_now
            } else {
                self.progress.service_sum / f64::from(ticks)
            },
            min_trust: self
                .economies
                .0
                .iter()
                .map(|e| e.trust)
                .fold(None, |min: Option<f64>, t| {
                    Some(min.map_or(t, |m| m.min(t)))
                })
                .unwrap_or(100.0),
            incidents: incidents.len() as u32,
            detected: incidents.iter().filter(|i| i.detected_at.is_some()).count() as u32,
            contained: incidents
                .iter()
                .filter(|i| i.contained_at.is_some())
                .count() as u32,
            recovered: incidents
                .iter()
                .filter(|i| i.recovered_at.is_some())
                .count() as u32,
            mean_time_to_detect: mean_delay(incidents, |i| i.detected_at),
            mean_time_to_contain: mean_delay(incidents, |i| i.contained_at),
            mean_time_to_recover: mean_delay(incidents, |i| i.recovered_at),
            economies,
        }
    }
}

/// Whether an incident has reached a state (through its economy's watch or a team's
/// work): a recovered incident counts as contained too only if it was contained.
fn has_reached(incident: &Incident, state: IncidentState) -> bool {
    match state {
        IncidentState::Detected => incident.detected_at.is_some(),
        IncidentState::Investigated => incident.investigated,
        IncidentState::Contained => incident.contained_at.is_some(),
        IncidentState::Recovered => incident.recovered_at.is_some(),
    }
}

/// `value / level` capped at 1 (1 when `level` is not positive).
fn ratio_at_least(value: f64, level: f64) -> f64 {
    if level <= 0.0 || value >= level {
        1.0
    } else {
        (value / level).max(0.0)
    }
}

/// Mean ticks from an incident's start to an event, over incidents where it happened.
fn mean_delay(incidents: &[Incident], event: impl Fn(&Incident) -> Option<u32>) -> Option<f64> {
    let mut sum = 0u64;
    let mut count = 0u64;
    for incident in incidents {
        if let Some(at) = event(incident) {
            sum += u64::from(at.saturating_sub(incident.started_at));
            count += 1;
        }
    }
    (count > 0).then(|| sum as f64 / count as f64)
}

/// Headline figures of a run so far.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Metrics {
    /// Ticks completed.
    pub ticks: u32,
    /// Cumulative economic loss of the region, US dollars.
    pub regional_loss: f64,
    /// Regional mean service level, averaged over the completed ticks, 0-1.
    pub mean_availability: f64,
    /// Lowest public trust among the economies now, 0-100.
    pub min_trust: f64,
    /// Incidents so far (compromises and hazard strikes).
    pub incidents: u32,
    pub detected: u32,
    pub contained: u32,
    pub recovered: u32,
    /// Mean ticks from start to detection, over detected incidents.
    pub mean_time_to_detect: Option<f64>,
    pub mean_time_to_contain: Option<f64>,
    pub mean_time_to_recover: Option<f64>,
    /// Per economy, in scenario order.
    pub economies: Vec<EconomyMetrics>,
}

/// One economy's figures.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EconomyMetrics {
    pub id: String,
    pub loss: f64,
    pub trust: f64,
    pub service: f64,
}

/// An objective's score: `scope` is `"region"` or the team's id.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ObjectiveScore {
    pub id: String,
    pub scope: String,
    pub weight: f64,
    /// 0-1.
    pub score: f64,
}
