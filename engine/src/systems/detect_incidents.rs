//! Watch and warning: each tick an open, undetected incident is found by its economy
//! with a chance that grows with the asset's monitoring, the economy's technical
//! readiness, how far the attack has gone, and whether the economy holds indicators of
//! the campaign (its own investigations or shared by other economies). APEC 2005 action
//! area 3 (watch, warning and incident response) and 7 (information sharing); ITU GCA
//! technical measures. Detection before impact lets a team contain before any damage.

use bevy_ecs::prelude::*;

use super::fraction;
use crate::command::IncidentId;
use crate::scenario::model::{CampaignKind, EconomyIdx};
use crate::view::{Source, Stage};
use crate::world::{
    Assets, Clock, Detected, Hit, Id, Ids, Indicators, Intrusion, Knowing, KnownBy, Open, Pillars,
    Rng, in_id_order,
};

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
#[allow(clippy::type_complexity)]
pub fn detect_incidents(
    clock: Res<Clock>,
    assets: Res<Assets>,
    economy_ids: Res<Ids<EconomyIdx>>,
    economies: Query<(&Pillars, &Indicators)>,
    mut rng: ResMut<Rng>,
    mut undetected: Query<
        (Entity, &Id<IncidentId>, &Hit, &Intrusion, &mut KnownBy),
        (Without<Detected>, Open),
    >,
    mut commands: Commands,
) {
    let now = clock.tick;
    let items = undetected
        .iter_mut()
        .map(|(entity, id, hit, intrusion, known)| (id.0, (entity, hit, intrusion, known)));
    for (_, (entity, hit, intrusion, mut known)) in in_id_order(items) {
        let Some((pillars, indicators)) = economy_ids
            .get(hit.economy)
            .and_then(|e| economies.get(e).ok())
        else {
            continue;
        };
        let chance = detection_chance(
            assets.posture[hit.asset.index()].monitoring,
            pillars.0.technical,
            intrusion.stage,
            hit.kind,
            indicators
                .0
                .get(hit.campaign.index())
                .copied()
                .unwrap_or(false),
        );
        if rng.0.chance(chance) {
            commands.entity(entity).insert(Detected(now));
            if known.by(hit.economy).is_none() {
                known.0.push(Knowing {
                    economy: hit.economy,
                    at: now,
                    source: Source::Own,
                });
            }
        }
    }
}
