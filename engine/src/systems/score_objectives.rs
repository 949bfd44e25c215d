//! Objectives that are measured over time (service kept at or above a level) count the
//! ticks on which they held; the others are scored from the state when asked
//! ([`crate::metrics::Measures::goal_score`]).

use bevy_ecs::prelude::*;
use bevy_ecs::system::SystemState;

use crate::metrics::Measures;
use crate::scenario::model::Goal;
use crate::world::Progress;

/// Counts this tick for every service objective that holds (the state read once).
pub fn score_objectives(world: &mut World, measures: &mut SystemState<Measures<'static, 'static>>) {
    let held: Vec<bool> = {
        // Every resource is inserted with the world (`Simulation::new`).
        let Ok(measures) = measures.get(world) else {
            return;
        };
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
    let Some(mut progress) = world.get_resource_mut::<Progress>() else {
        return;
    };
    for (count, held) in progress.objective_ok_ticks.iter_mut().zip(held) {
        if held {
            *count += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::systems::testing::{run, world_at};
    use crate::world::Assets;

    /// The region's first objective: banking (sector 2) at least 80% on average; the
    /// second (detection within 6 ticks) is scored at the end, not per tick.
    #[test]
    fn a_tick_counts_when_the_service_goal_holds() {
        let mut world = world_at(1);
        run(&mut world, score_objectives);
        assert_eq!(world.resource::<Progress>().objective_ok_ticks, vec![1, 0]);
        // The banks at 30% and 100% service: a mean of 65%, below the goal.
        world.resource_mut::<Assets>().inoperability[2] = 0.7;
        run(&mut world, score_objectives);
        assert_eq!(world.resource::<Progress>().objective_ok_ticks, vec![1, 0]);
        // 70% and 100%: 85%, above.
        world.resource_mut::<Assets>().inoperability[2] = 0.3;
        run(&mut world, score_objectives);
        assert_eq!(world.resource::<Progress>().objective_ok_ticks, vec![2, 0]);
    }
}
