//! The clock: the first thing a tick does is move time on, so every event recorded in
//! the rest of the tick carries the number of the tick being simulated (1 for the
//! first step).

use bevy_ecs::prelude::*;

use crate::world::Clock;

/// Starts the next tick.
pub fn advance_clock(mut clock: ResMut<Clock>) {
    clock.tick += 1;
}
