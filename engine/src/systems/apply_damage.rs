//! Direct damage: an incident that reaches impact this tick (or a hazard striking)
//! takes the campaign's `impact` off the asset's service, the term c(t) of the
//! inoperability model. The damage stays until the asset is restored (or, for a denial
//! of service, until it is contained); a contained attack does no further harm.

use bevy_ecs::prelude::*;

use crate::world::{Assets, Clock, Hit, Impacted, Open, ScenarioData};

/// Adds the impact of open incidents that reached impact this tick to their asset's
/// damage (in any order: the damage is the largest impact, never a sum).
pub fn apply_damage(
    scenario: Res<ScenarioData>,
    clock: Res<Clock>,
    impacted: Query<(&Hit, &Impacted), Open>,
    mut assets: ResMut<Assets>,
) {
    for (hit, impacted) in &impacted {
        if impacted.0 != clock.tick {
            continue;
        }
        let impact = scenario.0.campaigns[hit.campaign.index()].impact;
        let a = hit.asset.index();
        let damage = damage_after(assets.damage[a], impact);
        assets.set_damage(a, damage);
    }
}

/// An asset's direct damage after an impact of `impact` (0-1): the larger of the two.
pub fn damage_after(damage: f64, impact: f64) -> f64 {
    damage.max(impact).clamp(0.0, 1.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::systems::testing::{entity, incident, run, world_at};
    use crate::view::Stage;
    use crate::world::Contained;

    #[test]
    fn damage_is_the_larger_impact_never_a_sum() {
        for (damage, impact, after) in [
            (0.0, 0.6, 0.6),
            (0.3, 0.6, 0.6),
            (0.8, 0.6, 0.8),
            (0.6, 0.6, 0.6),
            (0.0, 1.5, 1.0),
        ] {
            assert_eq!(
                damage_after(damage, impact),
                after,
                "{damage} then {impact}"
            );
        }
    }

    #[test]
    fn only_incidents_reaching_impact_this_tick_and_still_open_do_damage() {
        let mut world = world_at(5);
        let impact = world.resource::<ScenarioData>().0.campaigns[0].impact;
        incident(&mut world, 0, 0, Stage::Impact, 5);
        incident(&mut world, 2, 0, Stage::Impact, 4);
        let contained = incident(&mut world, 3, 0, Stage::Impact, 5);
        let e = entity(&world, contained);
        world.entity_mut(e).insert(Contained(5));
        incident(&mut world, 5, 0, Stage::Foothold, 5);
        run(&mut world, apply_damage);
        let damage = &world.resource::<Assets>().damage;
        assert_eq!(damage[0], impact, "impact this tick");
        assert_eq!(damage[2], 0.0, "impact an earlier tick was applied then");
        assert_eq!(damage[3], 0.0, "contained");
        assert_eq!(damage[5], 0.0, "not at impact");
    }
}
