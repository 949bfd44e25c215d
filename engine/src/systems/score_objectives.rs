//! Objectives that are measured over time (service kept at or above a level) count the
//! ticks on which they held; the others are scored from the state when asked
//! ([`crate::metrics::Snapshot::goal_score`]).

use bevy_ecs::prelude::*;

use crate::metrics::Snapshot;
use crate::outcomes::{Outcomes, Watches};
use crate::scenario::model::Goal;
use crate::world::{Assets, Clock, Economies, Incidents, Injects, Progress, ScenarioData};

/// Counts this tick for every service objective that holds.
#[allow(clippy::too_many_arguments)]
pub fn score_objectives(
    scenario: Res<ScenarioData>,
    clock: Res<Clock>,
    assets: Res<Assets>,
    economies: Res<Economies>,
    incidents: Res<Incidents>,
    injects: Res<Injects>,
    outcomes: Res<Outcomes>,
    watches: Res<Watches>,
    mut progress: ResMut<Progress>,
) {
    let held: Vec<bool> = {
        let snapshot = Snapshot {
            scenario: &scenario.0,
            clock: &clock,
            assets: &assets,
            economies: &economies,
            incidents: &incidents,
            injects: &injects,
            progress: &progress,
            outcomes: &outcomes,
            watches: &watches,
        };
        scenario
            .0
            .objectives
            .iter()
            .map(|objective| match objective.goal {
                Goal::ServiceAtLeast {
                    economy,
                    sector,
                    level,
                } => snapshot.mean_service(economy, sector) >= level,
                _ => false,
            })
            .collect()
    };
    for (count, held) in progress.objective_ok_ticks.iter_mut().zip(held) {
        if held {
            *count += 1;
        }
    }
}
