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
        let damage = &mut assets.damage[hit.asset.index()];
        *damage = damage_after(*damage, impact);
    }
}

/// An asset's direct damage after an impact of `impact` (0-1): the larger of the two.
pub fn damage_after(damage: f64, impact: f64) -> f64 {
    damage.max(impact).clamp(0.0, 1.0)
}
