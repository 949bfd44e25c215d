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
use crate::world::{
    Assets, Awareness, Clock, Delivered, DeliveryId, Detected, Hit, Id, Ids, Indicators, Intrusion,
    Investigated, KnownBy, Open, Pillars, Rng, ScenarioData, Shipment, in_id_order,
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

/// Every investigated incident and delivered shipment (the reference path).
type EveryIndicator<'w, 's> = (
    Query<'w, 's, &'static Hit, With<Investigated>>,
    Query<'w, 's, (&'static Id<DeliveryId>, &'static Shipment), With<Delivered>>,
);

/// Indicators that reached the trail since the system last ran: incidents just
/// investigated and shipments just delivered (an incident stays investigated and a
/// shipment delivered, so the trail only grows).
type NewIndicators<'w, 's> = (
    Query<'w, 's, &'static Hit, Added<Investigated>>,
    Query<'w, 's, (&'static Id<DeliveryId>, &'static Shipment), Added<Delivered>>,
);

/// Where each economy got the indicators of each campaign: its own investigations (the
/// campaigns of investigated incidents) and, per economy and campaign, the shipment of
/// the lowest id that reached it (its sender is the source credited). Kept by the
/// system from what was added since it last ran, so a tick's cost does not grow with
/// every incident investigated and shipment delivered before it; derived from the
/// state, not part of it (the system's first run reads every incident and shipment).
#[derive(Debug, Default)]
pub struct IndicatorTrail {
    own: BTreeSet<(EconomyIdx, CampaignIdx)>,
    shared: BTreeMap<(EconomyIdx, CampaignIdx), (DeliveryId, EconomyIdx)>,
}

impl IndicatorTrail {
    /// Adds investigated incidents' hits and delivered shipments, in any order.
    fn extend<'a>(
        &mut self,
        investigated: impl Iterator<Item = &'a Hit>,
        shipments: impl Iterator<Item = (DeliveryId, &'a Shipment)>,
        incident_ids: &Ids<IncidentId>,
        hits: &Query<&Hit>,
    ) {
        self.own
            .extend(investigated.map(|h| (h.economy, h.campaign)));
        for (id, shipment) in shipments {
            // A shipment for one team only (TLP:AMBER+STRICT, RED) gives its economy's
            // watch no indicators.
            if shipment.team.is_some() {
                continue;
            }
            let Some(Ok(hit)) = incident_ids.get(shipment.incident).map(|e| hits.get(e)) else {
                continue;
            };
            self.add_shipment(id, shipment.to, hit.campaign, shipment.from);
        }
    }

    /// Shipment `id` from `from` brought `to` the indicators of `campaign`: credited if
    /// no shipment of a lower id did.
    fn add_shipment(
        &mut self,
        id: DeliveryId,
        to: EconomyIdx,
        campaign: CampaignIdx,
        from: EconomyIdx,
    ) {
        let first = (id, from);
        self.shared
            .entry((to, campaign))
            .and_modify(|held| *held = (*held).min(first))
            .or_insert(first);
    }

    /// Where an economy's indicators of a campaign came from: its own investigation
    /// (`None`), or the economy that shipped them first (`Some`).
    fn source(&self, key: (EconomyIdx, CampaignIdx)) -> Option<EconomyIdx> {
        if self.own.contains(&key) {
            None
        } else {
            self.shared.get(&key).map(|&(_, from)| from)
        }
    }
}

/// Rolls detection for every open, undetected incident, in id order.
#[allow(clippy::too_many_arguments)]
pub fn detect_incidents(
    scenario: Res<ScenarioData>,
    clock: Res<Clock>,
    assets: Res<Assets>,
    economy_ids: Res<Ids<EconomyIdx>>,
    economies: Query<(&Pillars, &Indicators, &Awareness)>,
    incident_ids: Res<Ids<IncidentId>>,
    (investigated, delivered): NewIndicators,
    every_indicator: EveryIndicator,
    mut trail: Local<IndicatorTrail>,
    hits: Query<&Hit>,
    mut rng: ResMut<Rng>,
    mut undetected: Undetected,
    mut commands: Commands,
) {
    let now = clock.tick;
    let hours = tick_hours(scenario.0.meta.tick_minutes);
    trail.extend(
        investigated.iter(),
        delivered.iter().map(|(id, s)| (id.0, s)),
        &incident_ids,
        &hits,
    );
    // The reference the kept trail is checked against: rebuilt from every incident and
    // shipment (see `Simulation::visit_every_asset`).
    let rebuilt;
    let trail: &IndicatorTrail = if assets.active.visits_all() {
        let (investigated, shipments) = every_indicator;
        let mut all = IndicatorTrail::default();
        all.extend(
            investigated.iter(),
            shipments.iter().map(|(id, s)| (id.0, s)),
            &incident_ids,
            &hits,
        );
        rebuilt = all;
        &rebuilt
    } else {
        &trail
    };
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
            indicators: held.then(|| trail.source(key)),
        };
        let u = rng.0.unit();
        let Some(source) = detection::found(u, &detection::sources(&exposure, hours)) else {
            continue;
        };
        commands.entity(entity).insert((Detected(now), source));
        known.found_at_home(hit.economy, now);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::view::Source;

    /// The trail credits the economy whose shipment has the lowest id, whatever order
    /// the shipments arrive in (as a trail rebuilt from every shipment in id order
    /// would), and an economy's own investigation comes before any shipment.
    #[test]
    fn the_trail_credits_the_first_shipment_whatever_order_they_arrive_in() {
        let (to, campaign) = (EconomyIdx(1), CampaignIdx(0));
        let mut trail = IndicatorTrail::default();
        trail.add_shipment(DeliveryId(5), to, campaign, EconomyIdx(2));
        assert_eq!(trail.source((to, campaign)), Some(EconomyIdx(2)));
        trail.add_shipment(DeliveryId(3), to, campaign, EconomyIdx(0));
        trail.add_shipment(DeliveryId(4), to, campaign, EconomyIdx(3));
        assert_eq!(trail.source((to, campaign)), Some(EconomyIdx(0)));
        assert_eq!(trail.source((to, CampaignIdx(1))), None, "no shipment");
        assert_eq!(trail.source((EconomyIdx(0), campaign)), None, "not to it");
        trail.own.insert((to, campaign));
        assert_eq!(trail.source((to, campaign)), None, "its own investigation");
    }
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
