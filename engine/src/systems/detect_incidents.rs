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
        // A shipment for one team only (TLP:AMBER+STRICT, RED) gives its economy's
        // watch no indicators.
        if shipment.team.is_some() {
            continue;
        }
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
                team: None,
                at: now,
                source: Source::Own,
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detection::FoundBy;
    use crate::systems::testing::{entity, get, get_mut, incident, run, world_at};
    use crate::view::Stage;
    use crate::world::{Contained, Recovered};

    /// Each open, undetected incident takes one draw, in id order, against the sources
    /// that may find it ([`detection::sources`]); closed and detected ones take none. A
    /// found incident records its source and its economy knows it from now.
    #[test]
    fn open_undetected_incidents_roll_once_each_in_id_order() {
        let mut world = world_at(3);
        let closed = incident(&mut world, 3, 0, Stage::Impact, 1);
        let e = entity(&world, closed);
        world.entity_mut(e).insert((Contained(2), Recovered(3)));
        let seen = incident(&mut world, 2, 1, Stage::Foothold, 1);
        let e = entity(&world, seen);
        world.entity_mut(e).insert(Detected(2));
        let before = world.resource::<Rng>().0.word_pos();
        run(&mut world, detect_incidents);
        assert_eq!(world.resource::<Rng>().0.word_pos(), before, "no draw");

        // Weak holds the phishing indicators, from no shipment: held with no source.
        get_mut::<_, Indicators>(&mut world, EconomyIdx(1)).0[1] = true;
        let grid = incident(&mut world, 0, 0, Stage::InitialAccess, 2);
        let bank = incident(&mut world, 5, 1, Stage::Impact, 2);
        let scenario = std::sync::Arc::clone(&world.resource::<ScenarioData>().0);
        let hours = tick_hours(scenario.meta.tick_minutes);
        let exposure = |world: &World, asset: usize, economy: u32, stage, kind, held| {
            let pillars = get::<_, Pillars>(world, EconomyIdx(economy)).map(|p| p.0);
            let awareness = get::<_, Awareness>(world, EconomyIdx(economy)).map_or(0.0, |a| a.0);
            Exposure {
                kind,
                stage,
                monitoring: world.resource::<Assets>().posture[asset].monitoring,
                technical: pillars.map_or(0, |p| p.technical),
                organizational: pillars.map_or(0, |p| p.organizational),
                awareness,
                indicators: held,
            }
        };
        let cases = [
            exposure(
                &world,
                0,
                0,
                Stage::InitialAccess,
                scenario.campaigns[0].kind,
                None,
            ),
            exposure(
                &world,
                5,
                1,
                Stage::Impact,
                scenario.campaigns[1].kind,
                Some(None),
            ),
        ];
        let mut rng = world.resource::<Rng>().0.clone();
        let expected: Vec<_> = cases
            .iter()
            .map(|x| detection::found(rng.unit(), &detection::sources(x, hours)))
            .collect();
        run(&mut world, detect_incidents);
        assert_eq!(world.resource::<Rng>().0.word_pos(), rng.word_pos());
        for ((id, economy), found) in [(grid, 0), (bank, 1)].into_iter().zip(expected) {
            let at = get::<_, Detected>(&world, id).map(|d| d.0);
            assert_eq!(at, found.map(|_| 3), "{id:?}");
            assert_eq!(get::<_, FoundBy>(&world, id).copied(), found, "{id:?}");
            let own =
                get::<_, KnownBy>(&world, id).and_then(|k| k.by(EconomyIdx(economy)).copied());
            let known = own.map(|k| (k.at, k.source));
            assert_eq!(known, found.map(|_| (3, Source::Own)), "{id:?}");
        }
        assert!(get::<_, Detected>(&world, closed).is_none());
    }
}
