//! Watch and warning: each tick an open, undetected incident is found by its economy
//! with a chance that grows with the asset's monitoring, the economy's technical
//! readiness, how far the attack has gone, and whether the economy holds indicators of
//! the campaign (its own investigations or shared by other economies). APEC 2005 action
//! area 3 (watch, warning and incident response) and 7 (information sharing); ITU GCA
//! technical measures. Detection before impact lets a team contain before any damage.

use bevy_ecs::prelude::*;

use super::fraction;
use crate::scenario::model::CampaignKind;
use crate::view::{Source, Stage};
use crate::world::{Assets, Clock, Economies, Incidents, Knowing, Rng};

/// Base chance per tick: even an unwatched network sometimes notices.
const BASE: f64 = 0.02;
const MONITORING_WEIGHT: f64 = 0.2;
const TECHNICAL_WEIGHT: f64 = 0.1;
/// Held indicators of the campaign: the signature is known.
const INDICATOR_BONUS: f64 = 0.3;
const FOOTHOLD_BONUS: f64 = 0.05;
/// Impact shows: an outage or a ransom note is seen by users and operators.
const IMPACT_BONUS: f64 = 0.4;
const MAX_CHANCE: f64 = 0.95;

/// Chance per tick that an incident at `stage` is detected.
pub fn detection_chance(
    monitoring: u8,
    technical: u8,
    stage: Stage,
    kind: CampaignKind,
    knows_campaign: bool,
) -> f64 {
    let stage_bonus = match stage {
        Stage::Reconnaissance | Stage::InitialAccess => 0.0,
        Stage::Foothold => FOOTHOLD_BONUS,
        Stage::Impact
            if matches!(
                kind,
                CampaignKind::Ddos | CampaignKind::Ransomware | CampaignKind::Malware
            ) =>
        {
            2.0 * IMPACT_BONUS
        }
        Stage::Impact => IMPACT_BONUS,
    };
    let indicators = if knows_campaign { INDICATOR_BONUS } else { 0.0 };
    (BASE
        + MONITORING_WEIGHT * fraction(monitoring)
        + TECHNICAL_WEIGHT * fraction(technical)
        + stage_bonus
        + indicators)
        .min(MAX_CHANCE)
}

/// Rolls detection for every open, undetected incident, in id order.
pub fn detect_incidents(
    clock: Res<Clock>,
    assets: Res<Assets>,
    economies: Res<Economies>,
    mut rng: ResMut<Rng>,
    mut incidents: ResMut<Incidents>,
) {
    let now = clock.tick;
    for incident in incidents.0.iter_mut() {
        if incident.detected_at.is_some() || !incident.is_open() {
            continue;
        }
        let economy = &economies.0[incident.economy.index()];
        let chance = detection_chance(
            assets.posture[incident.asset.index()].monitoring,
            economy.readiness.technical,
            incident.stage,
            incident.kind,
            economy.knows_campaign[incident.campaign.index()],
        );
        if rng.0.chance(chance) {
            incident.detected_at = Some(now);
            if incident.known_by(incident.economy).is_none() {
                incident.known.push(Knowing {
                    economy: incident.economy,
                    at: now,
                    source: Source::Own,
                });
            }
        }
    }
}
