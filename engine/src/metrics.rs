//! Measuring the world: inject conditions, objective scores and run metrics.
//!
//! All three read the same state through one system parameter, [`Measures`], so a
//! condition in a scenario file, an objective's score and a metric in `cyberdrill run
//! --json` always agree on what "service", "loss" or "detected" mean; systems take it as
//! a parameter and the facade reads it through a `SystemState`.

use bevy_ecs::prelude::*;
use bevy_ecs::system::SystemParam;
use serde::{Deserialize, Serialize};

use crate::detection::FoundCounts;
use crate::economics::{Ledger, LossBreakdown};

use crate::outcomes::{Outcomes, Watches};
use crate::protection::{ChildProtection, Children};
use crate::readiness::{ReadinessMoves, SelfAssessment};
use crate::scenario::model::{
    CampaignIdx, CampaignKind, Condition, EconomyIdx, Goal, IncidentState, InjectIdx,
    ObjectiveScope, Scenario, SectorIdx, ServiceScope, Trigger,
};
use crate::spam::{Spam, SpamTally};
use crate::world::{
    Assets, Clock, Firing, Ids, IncidentRecord, IncidentRecordItem, Loss, Pillars, Progress,
    ScenarioData, Service, Trust,
};

/// The sectors whose mean service a condition (of an inject or a decision point) or an
/// objective asks about, each once: the world keeps their means (see
/// [`crate::active`]).
pub fn watched_sectors(scenario: &Scenario) -> Vec<u32> {
    let mut out = Vec::new();
    scenario.each_trigger_condition(|condition| {
        if let Condition::ServiceBelow {
            scope: ServiceScope::Mean {
                sector: Some(s), ..
            },
            ..
        } = condition
        {
            out.push(s.0);
        }
    });
    for objective in &scenario.objectives {
        if let Goal::ServiceAtLeast {
            sector: Some(s), ..
        } = objective.goal
        {
            out.push(s.0);
        }
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// Read access to everything that is measured.
#[derive(SystemParam)]
pub struct Measures<'w, 's> {
    pub scenario: Res<'w, ScenarioData>,
    pub clock: Res<'w, Clock>,
    pub assets: Res<'w, Assets>,
    pub progress: Res<'w, Progress>,
    pub ledger: Res<'w, Ledger>,
    economy_ids: Res<'w, Ids<EconomyIdx>>,
    economies: Query<'w, 's, (&'static Trust, &'static Loss, &'static Service)>,
    readiness: Query<'w, 's, (&'static Pillars, &'static ReadinessMoves)>,
    incidents: Query<'w, 's, IncidentRecord>,
    inject_ids: Res<'w, Ids<InjectIdx>>,
    injects: Query<'w, 's, &'static Firing>,
    /// What players' actions achieved (conditions on actions).
    pub outcomes: Res<'w, Outcomes>,
    /// When each `after` condition's inner condition first held.
    pub watches: Res<'w, Watches>,
    /// Children exposed to harmful content and safeguarded.
    pub protection: Res<'w, ChildProtection>,
    /// Spam filtering and the spam sent, reaching people and answered.
    pub spam: Res<'w, Spam>,
}

impl Measures<'_, '_> {
    /// Trust, loss and service of every economy, in scenario order.
    fn economies(&self) -> impl Iterator<Item = (&Trust, &Loss, &Service)> + '_ {
        self.economy_ids
            .iter()
            .filter_map(|(_, e)| self.economies.get(e).ok())
    }

    /// Trust, loss and service of one economy.
    pub fn economy(&self, economy: EconomyIdx) -> Option<(&Trust, &Loss, &Service)> {
        self.economy_ids
            .get(economy)
            .and_then(|e| self.economies.get(e).ok())
    }

    /// When an inject fired, if it did.
    pub fn fired_at(&self, inject: InjectIdx) -> Option<u32> {
        self.inject_ids
            .get(inject)
            .and_then(|e| self.injects.get(e).ok())
            .and_then(|f| f.fired_at)
    }

    /// Whether an inject is due at tick `now`: queued by the facilitator, or not fired
    /// and its trigger holds.
    pub fn inject_due(&self, inject: InjectIdx, now: u32) -> bool {
        let Some(firing) = self
            .inject_ids
            .get(inject)
            .and_then(|e| self.injects.get(e).ok())
        else {
            return false;
        };
        if firing.queued {
            return true;
        }
        if firing.fired_at.is_some() {
            return false;
        }
        self.scenario
            .0
            .injects
            .get(inject.index())
            .is_some_and(|i| self.trigger_holds(&i.trigger, now))
    }

    /// Whether a trigger (of an inject or a decision point) holds at tick `now`; a
    /// manual one never does by itself.
    pub fn trigger_holds(&self, trigger: &Trigger, now: u32) -> bool {
        match trigger {
            Trigger::Manual => false,
            Trigger::At(tick) => now >= *tick,
            Trigger::When(condition) => self.holds(condition),
            Trigger::After { inject, delay } => self
                .fired_at(*inject)
                .is_some_and(|fired| now >= fired.saturating_add(*delay)),
        }
    }

    /// Mean service over assets of an economy and/or sector (`None` = any); 1 when no
    /// asset matches (nothing there can be down).
    pub fn mean_service(&self, economy: Option<EconomyIdx>, sector: Option<SectorIdx>) -> f64 {
        match (economy, sector) {
            (None, None) => self.progress.service_now,
            (Some(e), None) => self.economy(e).map_or(1.0, |(_, _, service)| service.0),
            (economy, Some(sector)) => {
                let kept = self.assets.active.sector_mean(
                    economy.map(|e| e.0),
                    sector.0,
                    &self.assets.inoperability,
                    &self.assets.economy,
                );
                if let Some(mean) = kept {
                    return mean;
                }
                let mut sum = 0.0;
                let mut count = 0usize;
                for i in 0..self.assets.len() {
                    let economy_ok = economy.is_none_or(|e| self.assets.economy[i] == e.0);
                    let sector_ok = self.assets.sector[i] == sector.0;
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
    /// (The region's is summed in economy order, so it is the same every run.)
    pub fn loss(&self, economy: Option<EconomyIdx>) -> f64 {
        match economy {
            Some(e) => self.economy(e).map_or(0.0, |(_, loss, _)| loss.0),
            None => self.economies().map(|(_, loss, _)| loss.0).sum(),
        }
    }

    /// Incidents matching an optional campaign and economy, in no particular order
    /// (every use counts them).
    pub fn matching_incidents(
        &self,
        campaign: Option<CampaignIdx>,
        economy: Option<EconomyIdx>,
    ) -> impl Iterator<Item = IncidentRecordItem<'_, '_>> {
        self.incidents.iter().filter(move |i| {
            campaign.is_none_or(|c| i.hit.campaign == c)
                && economy.is_none_or(|e| i.hit.economy == e)
        })
    }

    /// Whether an inject condition holds now.
    pub fn holds(&self, condition: &Condition) -> bool {
        self.holds_watching(condition, &self.watches.0)
    }

    /// Whether a condition holds now, with `watches` as the first tick each `after`
    /// condition's inner condition held: [`crate::systems::watch_conditions`] starts
    /// watches on a copy as it walks the triggers, each seen by the conditions after it,
    /// and reads the state once for the whole walk.
    pub fn holds_watching(&self, condition: &Condition, watches: &[Option<u32>]) -> bool {
        match condition {
            Condition::TickAtLeast(t) => self.clock.tick >= *t,
            Condition::ServiceBelow { scope, level } => {
                let service = match scope {
                    ServiceScope::Asset(a) => self.assets.service(a.index()),
                    ServiceScope::Mean { economy, sector } => self.mean_service(*economy, *sector),
                };
                service < *level
            }
            Condition::TrustBelow { economy, value } => self
                .economy(*economy)
                .is_some_and(|(trust, _, _)| trust.0 < *value),
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
                    .filter(|i| asset.is_none_or(|a| i.hit.asset == a) && has_reached(i, *state))
                    .count();
                reached >= (*count).max(1) as usize
            }
            Condition::Action(action) if self.assets.active.visits_all() => {
                self.outcomes.holds_reading_all(action)
            }
            Condition::Action(action) => self.outcomes.holds(action),
            Condition::After { delay, watch, .. } => watches
                .get(*watch as usize)
                .copied()
                .flatten()
                .is_some_and(|first| self.clock.tick >= first.saturating_add(*delay)),
            Condition::InjectFired(inject) => self.fired_at(*inject).is_some(),
            Condition::All(all) => all.iter().all(|c| self.holds_watching(c, watches)),
            Condition::Any(any) => any.iter().any(|c| self.holds_watching(c, watches)),
            Condition::Not(inner) => !self.holds_watching(inner, watches),
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
                let trust = self.economy(*economy).map_or(0.0, |(trust, _, _)| trust.0);
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
            } => self.share_within(*campaign, *economy, *ticks, |i| i.detected_at()),
            Goal::ContainWithin {
                campaign,
                economy,
                ticks,
            } => self.share_within(*campaign, *economy, *ticks, |i| {
                i.contained_at().or(i.recovered_at())
            }),
            Goal::ChildrenSafeguarded { economy, share } => ratio_at_least(
                self.protection.children(*economy).safeguarded_share(),
                *share,
            ),
            Goal::ChildrenExposedAtMost { economy, count } => {
                let exposed = self.protection.children(*economy).exposed;
                if exposed <= *count {
                    1.0
                } else {
                    count.max(0.0) / exposed
                }
            }
        }
    }

    /// Share of matching incidents whose event happened within `ticks` of their start;
    /// incidents still inside their window without the event are not counted yet.
    fn share_within(
        &self,
        campaign: Option<CampaignIdx>,
        economy: Option<EconomyIdx>,
        ticks: u32,
        event: impl Fn(&IncidentRecordItem) -> Option<u32>,
    ) -> f64 {
        let now = self.clock.tick;
        let mut met = 0u32;
        let mut decided = 0u32;
        for incident in self.matching_incidents(campaign, economy) {
            let deadline = incident.intrusion.started_at.saturating_add(ticks);
            match event(&incident) {
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
            .0
            .objectives
            .iter()
            .enumerate()
            .map(|(index, objective)| ObjectiveScore {
                id: objective.id.clone(),
                scope: match objective.scope {
                    ObjectiveScope::Region => "region".to_string(),
                    ObjectiveScope::Team(t) => self
                        .scenario
                        .0
                        .teams
                        .get(t.index())
                        .map_or_else(|| format!("team #{}", t.0), |team| team.id.clone()),
                },
                weight: objective.weight,
                score: self.goal_score(index, &objective.goal),
            })
            .collect()
    }

    /// Whether the scenario has a harmful-content campaign (child online protection is
    /// measured only then).
    fn has_harmful_content(&self) -> bool {
        self.scenario
            .0
            .campaigns
            .iter()
            .any(|c| c.kind == CampaignKind::HarmfulContent)
    }

    /// Whether the scenario has a spam campaign (spam is measured only then).
    fn has_spam(&self) -> bool {
        self.scenario
            .0
            .campaigns
            .iter()
            .any(|c| c.kind == CampaignKind::Spam)
    }

    /// An economy's ITU-style self-assessment: its pillars at the start and now, and
    /// what moved them.
    pub fn self_assessment(&self, economy: EconomyIdx) -> SelfAssessment {
        let start = self.scenario.0.economies[economy.index()].readiness;
        let (end, moves) = self
            .economy_ids
            .get(economy)
            .and_then(|e| self.readiness.get(e).ok())
            .map_or((start, ReadinessMoves::default()), |(p, m)| (p.0, *m));
        SelfAssessment { start, end, moves }
    }

    /// The run's headline figures.
    pub fn metrics(&self) -> Metrics {
        let ticks = self.clock.tick;
        let scenario = &self.scenario.0;
        let mut top_assets = self.ledger.top_assets(TOP_ASSETS).into_iter();
        let economies = self
            .scenario
            .0
            .economies
            .iter()
            .zip(self.economies())
            .enumerate()
            .map(|(e, (economy, (trust, loss, service)))| EconomyMetrics {
                loss_by_sector: scenario
                    .sectors
                    .iter()
                    .zip(self.ledger.sector_losses(e))
                    .filter(|(_, loss)| **loss > 0.0)
                    .map(|(sector, loss)| SectorLoss {
                        sector: sector.id.clone(),
                        loss: *loss,
                    })
                    .collect(),
                top_assets: top_assets
                    .next()
                    .unwrap_or_default()
                    .into_iter()
                    .filter_map(|a| {
                        Some(TopAsset {
                            asset: scenario.assets.get(a.asset.index())?.id().into_owned(),
                            loss: a.loss,
                        })
                    })
                    .collect(),
                id: economy.id.clone(),
                loss: loss.0,
                trust: trust.0,
                service: service.0,
                output: crate::economics::exercise_output(scenario, Some(EconomyIdx(e as u32))),
                loss_breakdown: self.ledger.breakdown.get(e).copied().unwrap_or_default(),
                victims: self.ledger.victims.get(e).copied().unwrap_or(0.0),
                children: self
                    .has_harmful_content()
                    .then(|| self.protection.children(Some(EconomyIdx(e as u32)))),
                spam: self
                    .has_spam()
                    .then(|| self.spam.tally(Some(EconomyIdx(e as u32)))),
                self_assessment: Some(self.self_assessment(EconomyIdx(e as u32))),
            })
            .collect::<Vec<_>>();
        let mut counts = Counts::default();
        let mut found_by = FoundCounts::default();
        for incident in &self.incidents {
            counts.add(&incident);
            found_by.count(
                incident.hit.kind,
                incident.hit.hazard,
                incident.found_by.copied(),
            );
        }
        Metrics {
            ticks,
            regional_loss: self.loss(None),
            mean_availability: if ticks == 0 {
                self.progress.service_now
            } else {
                self.progress.service_sum / f64::from(ticks)
            },
            min_trust: self
                .economies()
                .map(|(trust, _, _)| trust.0)
                .fold(None, |min: Option<f64>, t| {
                    Some(min.map_or(t, |m| m.min(t)))
                })
                .unwrap_or(100.0),
            incidents: counts.incidents,
            detected: counts.detected.count,
            contained: counts.contained.count,
            recovered: counts.recovered.count,
            mean_time_to_detect: counts.detected.mean(),
            mean_time_to_contain: counts.contained.mean(),
            mean_time_to_recover: counts.recovered.mean(),
            found_by,
            economies,
        }
    }
}

/// Incidents counted for the metrics: how many, and how many ticks after their start
/// each event came (integer sums: the same in any order).
#[derive(Default)]
struct Counts {
    incidents: u32,
    detected: Delays,
    contained: Delays,
    recovered: Delays,
}

impl Counts {
    fn add(&mut self, incident: &IncidentRecordItem) {
        let start = incident.intrusion.started_at;
        self.incidents += 1;
        self.detected.add(start, incident.detected_at());
        self.contained.add(start, incident.contained_at());
        self.recovered.add(start, incident.recovered_at());
    }
}

/// How many incidents saw an event, and the sum of their delays.
#[derive(Default)]
struct Delays {
    count: u32,
    sum: u64,
}

impl Delays {
    fn add(&mut self, start: u32, event: Option<u32>) {
        if let Some(at) = event {
            self.count += 1;
            self.sum += u64::from(at.saturating_sub(start));
        }
    }

    /// Mean ticks from an incident's start to the event, over incidents where it happened.
    fn mean(&self) -> Option<f64> {
        (self.count > 0).then(|| self.sum as f64 / f64::from(self.count))
    }
}

/// Whether an incident has reached a state (through its economy's watch or a team's
/// work).
fn has_reached(incident: &IncidentRecordItem<'_, '_>, state: IncidentState) -> bool {
    match state {
        IncidentState::Detected => incident.detected.is_some(),
        IncidentState::Investigated => incident.investigated,
        IncidentState::Contained => incident.contained.is_some(),
        IncidentState::Recovered => incident.recovered.is_some(),
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
    /// How the detected incidents were found, and how many intrusions were not.
    #[serde(default)]
    pub found_by: FoundCounts,
    /// Per economy, in scenario order.
    pub economies: Vec<EconomyMetrics>,
}

/// One economy's figures.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EconomyMetrics {
    pub id: String,
    /// Cumulative loss, US dollars: the sum of `loss_breakdown`.
    pub loss: f64,
    pub trust: f64,
    pub service: f64,
    /// Output (GDP) over the whole exercise period, US dollars: what `loss` compares to.
    #[serde(default)]
    pub output: f64,
    /// `loss` by cause.
    #[serde(default)]
    pub loss_breakdown: LossBreakdown,
    /// Victims of attacks on people so far (an expected count).
    #[serde(default)]
    pub victims: f64,
    /// Children exposed to harmful content and safeguarded (expected counts), in a
    /// scenario with harmful content only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub children: Option<Children>,
    /// Spam sent to its people, reaching them past filtering, answered (fraud victims)
    /// and what those lost (expected counts and US dollars), in a scenario with spam only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub spam: Option<SpamTally>,
    /// Outage loss by sector, in the scenario's sector order, sectors with a loss only
    /// (they add up to `loss_breakdown`'s direct and dependencies parts).
    #[serde(default)]
    pub loss_by_sector: Vec<SectorLoss>,
    /// The assets whose outages cost the economy most, largest first, at most
    /// [`TOP_ASSETS`]; an asset serving several economies costs each its share.
    #[serde(default)]
    pub top_assets: Vec<TopAsset>,
    /// The five readiness pillars at the start and at the end, and what moved them
    /// (training, capacity-building assistance); absent only from figures written by an
    /// older version.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub self_assessment: Option<SelfAssessment>,
}

/// How many assets `run --json`, the views and the report list as an economy's costliest.
pub const TOP_ASSETS: usize = 5;

/// One sector's outage loss in an economy, US dollars.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SectorLoss {
    /// The sector's id.
    pub sector: String,
    pub loss: f64,
}

/// What one asset's outages cost an economy, US dollars.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TopAsset {
    /// The asset's id.
    pub asset: String,
    pub loss: f64,
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
