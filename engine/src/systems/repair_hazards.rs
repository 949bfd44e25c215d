//! Hazard recovery: the operators' own crews repair what a natural disaster or technical
//! failure broke, with no team acting, at a steady pace that clears the damage in the
//! asset's `repair_hours` (Florida's utilities restored about 80% of customers within
//! four days of hurricane Irma, EEI and US EIA 2017; `docs/model.md`, "Hazard
//! recovery"). A team's restore is faster; an attack's damage waits for one (there is an
//! adversary to evict first), so crews stop when an attack strikes the asset.

use bevy_ecs::prelude::*;

use crate::command::IncidentId;
use crate::world::{
    Assets, Clock, Hit, Id, Ids, Impacted, NO_INCIDENT, Open, Recovered, ScenarioData, in_id_order,
};

/// Damage the crews repair per tick, per asset (0: none under way).
#[derive(Resource, Debug, Clone, PartialEq)]
pub struct Crews(pub Vec<f64>);

/// Damage repaired per tick so that `damage` is gone in `repair_hours`.
pub fn repair_rate(damage: f64, repair_hours: f64, tick_minutes: u32) -> f64 {
    let ticks = repair_hours * 60.0 / f64::from(tick_minutes.max(1));
    damage / ticks.max(1.0)
}

/// Starts crews on assets a hazard struck this tick, stops them where an attack struck,
/// and repairs a tick's worth everywhere; a hazard whose damage is gone is recovered.
#[allow(clippy::too_many_arguments)]
pub fn repair_hazards(
    scenario: Res<ScenarioData>,
    clock: Res<Clock>,
    impacted: Query<(&Id<IncidentId>, &Hit, &Impacted), Open>,
    incident_ids: Res<Ids<IncidentId>>,
    hits: Query<&Hit, Without<Recovered>>,
    mut crews: ResMut<Crews>,
    mut assets: ResMut<Assets>,
    mut commands: Commands,
) {
    let scenario = &scenario.0;
    let now = clock.tick;
    let struck = impacted
        .iter()
        .filter(|(_, _, at)| at.0 == now)
        .map(|(id, hit, _)| (id.0, hit));
    for (_, hit) in in_id_order(struck) {
        let a = hit.asset.index();
        let (Some(rate), Some(asset)) = (crews.0.get_mut(a), scenario.assets.get(a)) else {
            continue;
        };
        *rate = if hit.hazard {
            repair_rate(
                assets.damage[a],
                asset.repair_hours,
                scenario.meta.tick_minutes,
            )
        } else {
            0.0
        };
    }
    for a in 0..crews.0.len() {
        let rate = crews.0[a];
        if rate <= 0.0 {
            continue;
        }
        let left = assets.damage[a] - rate;
        assets.set_damage(a, if left < 1e-9 { 0.0 } else { left });
        if assets.damage[a] > 0.0 {
            continue;
        }
        crews.0[a] = 0.0;
        let open = assets.open_incident[a];
        if open == NO_INCIDENT {
            continue;
        }
        let Some(entity) = incident_ids.get(IncidentId(open)) else {
            continue;
        };
        if hits.get(entity).is_ok_and(|hit| hit.hazard) {
            commands.entity(entity).insert(Recovered(now));
            assets.open_incident[a] = NO_INCIDENT;
        }
    }
}
