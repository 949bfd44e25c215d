//! Hazard recovery: the operators' own crews repair what a natural disaster or technical
//! failure broke, with no team acting, at a steady pace that clears the damage in the
//! asset's `repair_hours` (Florida's utilities restored about 80% of customers within
//! four days of hurricane Irma, EEI and US EIA 2017; `docs/model.md`, "Hazard
//! recovery"). A team's restore is faster; an attack's damage waits for one (there is an
//! adversary to evict first), so crews stop when an attack strikes the asset.

use std::collections::BTreeSet;

use bevy_ecs::prelude::*;

use crate::command::IncidentId;
use crate::world::{
    Assets, Clock, Hit, Id, Ids, Impacted, NO_INCIDENT, Open, Recovered, ScenarioData, in_id_order,
};

/// Damage the crews repair per tick, per asset (0: none under way).
#[derive(Resource, Debug, Clone, PartialEq)]
pub struct Crews(pub Vec<f64>);

/// The assets whose crews are at work (rate above 0), in index order: derived from
/// [`Crews`], kept by the system so that a tick visits the assets under repair, not
/// every asset (the first run, and every run of the reference path, reads them all).
#[derive(Debug, Default)]
pub struct AtWork {
    known: bool,
    assets: BTreeSet<u32>,
}

/// Whether a crew rate means work under way (as the full pass reads it: any rate not
/// at or below 0, NaN included).
fn working(rate: f64) -> bool {
    rate > 0.0 || rate.is_nan()
}

/// Every asset whose crew is at work, read from every rate: a block of rates is
/// first tested as a whole (without branching per rate, which the compiler can do
/// several rates at a time), and only blocks with a crew at work are read rate by rate.
fn crews_at_work(rates: &[f64]) -> BTreeSet<u32> {
    const BLOCK: usize = 256;
    let mut at_work = BTreeSet::new();
    for (b, block) in rates.chunks(BLOCK).enumerate() {
        if !block.iter().fold(false, |any, &rate| any | working(rate)) {
            continue;
        }
        for (k, &rate) in block.iter().enumerate() {
            if working(rate) {
                at_work.insert((b * BLOCK + k) as u32);
            }
        }
    }
    at_work
}

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
    mut at_work: Local<AtWork>,
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
        if working(*rate) {
            at_work.assets.insert(a as u32);
        } else {
            at_work.assets.remove(&(a as u32));
        }
    }
    if !at_work.known || assets.active.visits_all() {
        at_work.assets = crews_at_work(&crews.0);
        at_work.known = true;
    }
    let visit: Vec<u32> = at_work.assets.iter().copied().collect();
    for a in visit {
        let a = a as usize;
        let rate = crews.0[a];
        let left = assets.damage[a] - rate;
        assets.set_damage(a, if left < 1e-9 { 0.0 } else { left });
        if assets.damage[a] > 0.0 {
            continue;
        }
        crews.0[a] = 0.0;
        at_work.assets.remove(&(a as u32));
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::systems::testing::{get, get_mut, incident, run, world_at};
    use crate::view::Stage;

    #[test]
    fn the_rate_clears_the_damage_in_the_repair_hours() {
        for (damage, hours, tick_minutes, rate) in [
            (1.0, 10.0, 60, 0.1),
            (0.6, 2.0, 30, 0.15),
            (0.5, 120.0, 60, 0.5 / 120.0),
            // Shorter than a tick: repaired within the tick, never faster.
            (0.4, 0.1, 60, 0.4),
            (0.0, 10.0, 60, 0.0),
        ] {
            let got = repair_rate(damage, hours, tick_minutes);
            assert!(
                (got - rate).abs() < 1e-12,
                "{damage} over {hours} h at {tick_minutes} min a tick: {got}, not {rate}"
            );
        }
    }

    #[test]
    fn crews_repair_a_hazard_and_recover_it_but_leave_an_attacks_damage_to_the_teams() {
        let mut world = world_at(5);
        let hazard = incident(&mut world, 0, 0, Stage::Impact, 5);
        get_mut::<_, Hit>(&mut world, hazard).hazard = true;
        let attack = incident(&mut world, 3, 0, Stage::Impact, 5);
        {
            let mut assets = world.resource_mut::<Assets>();
            assets.set_damage(0, 0.5);
            assets.set_damage(3, 0.5);
        }
        run(&mut world, repair_hazards);
        let rate = world.resource::<Crews>().0[0];
        assert!(
            (rate - 0.5 / 120.0).abs() < 1e-12,
            "the grid's crews clear 0.5 in its 120 repair hours: {rate}"
        );
        assert_eq!(world.resource::<Crews>().0[3], 0.0, "no crews on an attack");
        let damage = &world.resource::<Assets>().damage;
        assert!((damage[0] - (0.5 - rate)).abs() < 1e-12, "a tick's repair");
        assert_eq!(damage[3], 0.5, "an attack's damage waits for a team");

        let mut tick = 5;
        while world.resource::<Assets>().damage[0] > 0.0 && tick < 300 {
            tick += 1;
            world.resource_mut::<Clock>().tick = tick;
            run(&mut world, repair_hazards);
        }
        assert_eq!(tick, 5 + 119, "repaired in its 120 repair hours");
        assert_eq!(world.resource::<Crews>().0[0], 0.0, "crews stood down");
        assert_eq!(get::<_, Recovered>(&world, hazard), Some(&Recovered(tick)));
        assert_eq!(world.resource::<Assets>().open_incident[0], NO_INCIDENT);
        assert_eq!(get::<_, Recovered>(&world, attack), None);
        assert_eq!(world.resource::<Assets>().damage[3], 0.5);
    }
}
