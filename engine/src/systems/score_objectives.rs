//! Objectives that are measured over time (service kept at or above a level) count the
//! ticks on which they held; the others are scored from the state when asked
//! ([`crate::metrics::Measures::goal_score`]).

use bevy_ecs::prelude::*;

use crate::metrics::Measures;
use crate::scenario::model::Goal;
use crate::world::Progress;

/// Counts this tick for every service objective that holds.
pub fn score_objectives(mut world: ParamSet<(Measures, ResMut<Progress>)>) {
    let held: Vec<bool> = {
        let measures = world.p0();
        measures
            .scenario
            .0
            .objectives
            .iter()
            .map(|objective| match objective.goal {
                Goal::ServiceAtLeast {
                    economy,
                    sector,
                    level,
                } => measures.mean_service(economy, sector) >= level,
                _ => false,
            })
            .collect()
    };
    let mut progress = world.p1();
    for (count, held) in progress.objective_ok_ticks.iter_mut().zip(held) {
        if held {
            *count += 1;
        }
    }
}
