//! The clock: the first thing a tick does is move time on, so every event recorded in
//! the rest of the tick carries the number of the tick being simulated (1 for the
//! first step).

use bevy_ecs::prelude::*;

use crate::world::Clock;

/// Starts the next tick.
pub fn advance_clock(mut clock: ResMut<Clock>) {
    clock.tick += 1;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::systems::testing::{run, world_at};

    #[test]
    fn each_run_is_one_more_tick() {
        let mut world = world_at(0);
        run(&mut world, advance_clock);
        assert_eq!(world.resource::<Clock>().tick, 1);
        run(&mut world, advance_clock);
        assert_eq!(world.resource::<Clock>().tick, 2);
    }
}
