//! Direct damage: an incident that reaches impact this tick (or a hazard striking)
//! takes the campaign's `impact` off the asset's service, the term c(t) of the
//! inoperability model. The damage stays until the asset is restored (or, for a denial
//! of service, until it is contained); a contained attack does no further harm.

use bevy_ecs::prelude::*;

use crate::world::{Assets, Clock, Incidents, ScenarioData};

/// Adds the impact of incidents that reached impact this tick to their asset's damage.
pub fn apply_damage(
    scenario: Res<ScenarioData>,
    clock: Res<Clock>,
    incidents: Res<Incidents>,
    mut assets: ResMut<Assets>,
) {
    let now = clock.tick;
    for incident in &incidents.0 {
        if incident.impacted_at != Some(now) || !incident.is_open() {
            continue;
        }
        let impact = scenario.0.campaigns[incident.campaign.index()].impact;
        let damage = &mut assets.damage[incident.asset.index()];
        *damage = damage.max(impact).clamp(0.0, 1.0);
    }
}
