//! Campaigns: threat actors working through the stages of an intrusion against the
//! targets they chose, and hazards striking at once.
//!
//! Reconnaissance is the campaign choosing `intensity` targets per tick among its
//! targets; each attempt becomes an incident (initial access) with a chance set by the
//! actor's capability against the asset's patching and the public's awareness (APEC
//! 2005: spam, phishing and identity theft prey on unaware users; ITU GCA technical
//! measures). An incident then moves to foothold and impact, each step's chance per tick
//! again capability against defence, so good posture buys time to detect and contain
//! before any damage (Lockheed Martin kill chain, Hutchins et al. 2011). Indicators an
//! economy holds for the campaign (its own or shared by others) block part of its
//! attempts there; domestic legal action halves them, and a campaign's attempts scale
//! with the share of its hosting economies that still serve it ([`super::enforcement`]). Natural disasters and technical
//! failures have no stages: they strike and are seen at once.

use bevy_ecs::prelude::*;

use super::enforcement::{DISRUPTION_FACTOR, hosting_left};
use super::{fraction, is_hazard, targets_people};
use crate::command::IncidentId;
use crate::outcomes::StopCause;
use crate::scenario::model::{
    ActorKind, AssetIdx, CampaignIdx, CampaignKind, EconomyIdx, Posture, Readiness,
};
use crate::view::{Source, Stage};
use crate::world::{
    Assets, Campaigns, Clock, Economies, Incident, Incidents, Knowing, NO_INCIDENT, Rng,
    ScenarioData,
};

/// Share of the remaining defence that known indicators add against initial access.
const INDICATOR_BLOCKING: f64 = 0.5;

/// Starts and stops campaigns on their clock, makes new attempts, and moves incidents
/// through their stages.
pub fn advance_campaigns(
    scenario: Res<ScenarioData>,
    clock: Res<Clock>,
    economies: Res<Economies>,
    mut rng: ResMut<Rng>,
    mut assets: ResMut<Assets>,
    mut campaigns: ResMut<Campaigns>,
    mut incidents: ResMut<Incidents>,
) {
    let now = clock.tick;
    let scenario = &scenario.0;
    for (index, campaign) in scenario.campaigns.iter().enumerate() {
        let state = &mut campaigns.0[index];
        if state.started_at.is_none()
            && state.stopped_at.is_none()
            && campaign.start.is_some_and(|s| now >= s)
        {
            state.started_at = Some(now);
        }
        if let (Some(started), Some(duration)) = (state.started_at, campaign.duration)
            && state.stopped_at.is_none()
            && now >= started.saturating_add(duration)
        {
            state.stopped_at = Some(now);
            state.stopped_by = Some(StopCause::Duration);
        }
        if !state.active() {
            continue;
        }
        let capability = fraction(scenario.actors[campaign.actor.index()].capability);
        let served = hosting_left(&campaign.hosting, state);
        let hazard = is_hazard(campaign.kind)
            || scenario.actors[campaign.actor.index()].kind == ActorKind::NaturalHazard;
        for _ in 0..campaign.intensity {
            let pick = rng.0.below(campaign.targets.len() as u64) as usize;
            let asset = campaign.targets[pick];
            if assets.open_incident[asset.index()] != NO_INCIDENT {
                continue;
            }
            let economy = EconomyIdx(assets.economy[asset.index()]);
            let state = &economies.0[economy.index()];
            let strike = hazard || {
                let mut defence = access_defence(
                    campaign.kind,
                    assets.posture[asset.index()],
                    state.awareness,
                    state.readiness,
                );
                if state.knows_campaign[index] {
                    defence += INDICATOR_BLOCKING * (1.0 - defence);
                }
                let mut chance = attack_strength(capability, defence);
                if state.disrupted[index] {
                    chance *= DISRUPTION_FACTOR;
                }
                chance *= served;
                rng.0.chance(chance)
            };
            if strike {
                let id = IncidentId(incidents.0.len() as u32);
                assets.open_incident[asset.index()] = id.0;
                incidents.0.push(new_incident(
                    asset,
                    economy,
                    CampaignIdx(index as u32),
                    campaign.kind,
                    hazard,
                    now,
                ));
            }
        }
    }
    advance_stages(scenario, now, &economies, &assets, &mut rng, &mut incidents);
}

/// An incident as it begins: at initial access, or at impact and seen for a hazard.
fn new_incident(
    asset: AssetIdx,
    economy: EconomyIdx,
    campaign: CampaignIdx,
    kind: CampaignKind,
    hazard: bool,
    now: u32,
) -> Incident {
    Incident {
        asset,
        economy,
        campaign,
        kind,
        hazard,
        stage: if hazard {
            Stage::Impact
        } else {
            Stage::InitialAccess
        },
        started_at: now,
        stage_entered_at: now,
        impacted_at: hazard.then_some(now),
        detected_at: hazard.then_some(now),
        contained_at: None,
        recovered_at: None,
        investigated: false,
        known: if hazard {
            vec![Knowing {
                economy,
                at: now,
                source: Source::Own,
            }]
        } else {
            Vec::new()
        },
    }
}

/// Moves open incidents that began before this tick one stage on, by chance.
fn advance_stages(
    scenario: &crate::scenario::Scenario,
    now: u32,
    economies: &Economies,
    assets: &Assets,
    rng: &mut Rng,
    incidents: &mut Incidents,
) {
    for incident in incidents.0.iter_mut() {
        if incident.hazard
            || !incident.is_open()
            || incident.stage == Stage::Impact
            || incident.stage_entered_at >= now
        {
            continue;
        }
        let campaign = &scenario.campaigns[incident.campaign.index()];
        let capability = fraction(scenario.actors[campaign.actor.index()].capability);
        let posture = assets.posture[incident.asset.index()];
        let readiness = economies.0[incident.economy.index()].readiness;
        let defence = stage_defence(incident.stage, posture, readiness);
        let per_tick = (2.0 * attack_strength(capability, defence)
            / f64::from(campaign.stage_ticks.max(1)))
        .min(1.0);
        if rng.0.chance(per_tick) {
            incident.stage = next_stage(incident.stage);
            incident.stage_entered_at = now;
            if incident.stage == Stage::Impact {
                incident.impacted_at = Some(now);
            }
        }
    }
}

fn next_stage(stage: Stage) -> Stage {
    match stage {
        Stage::Reconnaissance => Stage::InitialAccess,
        Stage::InitialAccess => Stage::Foothold,
        Stage::Foothold | Stage::Impact => Stage::Impact,
    }
}

/// Chance that an actor of `capability` (0-1) beats a defence `defence` (0-1):
/// `capability * (1 - 0.8 defence) + 0.05`, in [0, 1]. Even a perfect defence leaks a
/// little; even a weak actor sometimes gets in.
pub fn attack_strength(capability: f64, defence: f64) -> f64 {
    (capability * (1.0 - 0.8 * defence.clamp(0.0, 1.0)) + 0.05).clamp(0.0, 1.0)
}

/// Defence against initial access: awareness weighs most against attacks on people,
/// patching against exploits, technical readiness and monitoring against floods.
pub fn access_defence(
    kind: CampaignKind,
    posture: Posture,
    awareness: f64,
    readiness: Readiness,
) -> f64 {
    let patching = fraction(posture.patching);
    let aware = fraction(awareness);
    if targets_people(kind) {
        0.3 * patching + 0.7 * aware
    } else if kind == CampaignKind::Ddos {
        0.5 * fraction(readiness.technical) + 0.5 * fraction(posture.monitoring)
    } else {
        0.6 * patching + 0.4 * aware
    }
}

/// Defence against moving from `stage` to the next: patching and technical readiness
/// against a foothold, monitoring and organisation against impact.
pub fn stage_defence(stage: Stage, posture: Posture, readiness: Readiness) -> f64 {
    match stage {
        Stage::Reconnaissance | Stage::InitialAccess => {
            0.5 * fraction(posture.patching) + 0.5 * fraction(readiness.technical)
        }
        Stage::Foothold | Stage::Impact => {
            0.5 * fraction(posture.monitoring) + 0.5 * fraction(readiness.organizational)
        }
    }
}
