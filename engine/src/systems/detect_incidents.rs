//! Watch and warning: each tick every open, undetected incident may be found, by its
//! economy's own watch at a pace set by published dwell times (a median of days to
//! months, shorter with better monitoring and technical readiness), by its impact
//! (ransomware announces itself, a flood is seen at once), by indicators the economy
//! holds for the campaign (its own investigation, or shared by another economy), or by
//! victims' reports of fraud. One draw per incident per tick decides whether and by
//! which source ([`detection::found`]); the source is recorded on the incident
//! ([`FoundBy`]), so a run can say how much was found from outside (M-Trends reports the
//! same share). APEC 2005 action area 3 (watch, warning and incident response) and 7
//! (information sharing); formulas and sources in `docs/model.md` ("Detection").

use std::collections::{BTreeMap, BTreeSet};

use bevy_ecs::prelude::*;

use crate::command::IncidentId;
use crate::detection::{self, Exposure};
use crate::economics::tick_hours;
use crate::scenario::model::{CampaignIdx, EconomyIdx};
use crate::view::Source;
use crate::world::{
    Assets, Awareness, Clock, Delivered, DeliveryId, Detected, Hit, Id, Ids, Indicators, Intrusion,
    Investigated, Knowing, KnownBy, Open, Pillars, Rng, ScenarioData, Shipment, in_id_order,
};

/// Open incidents nobody found yet.
type Undetected<'w, 's> = Query<
    'w,
    's,
    (
        Entity,
        &'static Id<IncidentId>,
        &'static Hit,
        &'static Intrusion,
        &'static mut KnownBy,
    ),
    (Without<Detected>, Open),
>;

/// Where each economy got the indicators of each campaign: its own investigations (the
/// campaigns of investigated incidents) and the shipments that reached it.
type IndicatorTrail<'w, 's> = (
    Query<'w, 's, &'static Hit, With<Investigated>>,
    Query<'w, 's, (&'static Id<DeliveryId>, &'static Shipment), With<Delivered>>,
);

/// Rolls detection for every open, undetected incident, in id order.
#[allow(clippy::too_many_arguments)]
pub fn detect_incidents(
    scenario: Res<ScenarioData>,
    clock: Res<Clock>,
    assets: Res<Assets>,
    economy_ids: Res<Ids<EconomyIdx>>,
    economies: Query<(&Pillars, &Indicators, &Awareness)>,
    incident_ids: Res<Ids<IncidentId>>,
    (investigated, shipments): IndicatorTrail,
    hits: Query<&Hit>,
    mut rng: ResMut<Rng>,
    mut undetected: Undetected,
    mut commands: Commands,
) {
    let now = clock.tick;
    let hours = tick_hours(scenario.0.meta.tick_minutes);
    let own: BTreeSet<(EconomyIdx, CampaignIdx)> = investigated
        .iter()
        .map(|h| (h.economy, h.campaign))
        .collect();
    let mut shared: BTreeMap<(EconomyIdx, CampaignIdx), EconomyIdx> = BTreeMap::new();
    for (_, shipment) in in_id_order(shipments.iter().map(|(id, s)| (id.0, s))) {
        let Some(Ok(hit)) = incident_ids.get(shipment.incident).map(|e| hits.get(e)) else {
            continue;
        };
        shared
            .entry((shipment.to, hit.campaign))
            .or_insert(shipment.from);
    }
    let items = undetected
        .iter_mut()
        .map(|(entity, id, hit, intrusion, known)| (id.0, (entity, hit, intrusion, known)));
    for (_, (entity, hit, intrusion, mut known)) in in_id_order(items) {
        let Some(Ok((pillars, indicators, awareness))) =
            economy_ids.get(hit.economy).map(|e| economies.get(e))
        else {
            continue;
        };
        let key = (hit.economy, hit.campaign);
        let held = indicators
            .0
            .get(hit.campaign.index())
            .copied()
            .unwrap_or(false);
        let exposure = Exposure {
            kind: hit.kind,
            stage: intrusion.stage,
            monitoring: assets.posture[hit.asset.index()].monitoring,
            technical: pillars.0.technical,
            organizational: pillars.0.organizational,
            awareness: awareness.0,
            indicators: held.then(|| {
                if own.contains(&key) {
                    None
                } else {
                    shared.get(&key).copied()
                }
            }),
        };
        let u = rng.0.unit();
        let Some(source) = detection::found(u, &detection::sources(&exposure, hours)) else {
            continue;
        };
        commands.entity(entity).insert((Detected(now), source));
        if known.by(hit.economy).is_none() {
            known.0.push(Knowing {
                economy: hit.economy,
                at: now,
                source: Source::Own,
            });
        }
    }
}
