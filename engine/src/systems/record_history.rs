//! History: one point per economy per tick (trust, loss, service), for the players'
//! sparklines and the after-action report.

use bevy_ecs::prelude::*;

use crate::view::EconomyPoint;
use crate::world::{Clock, Economies, History};

/// Appends this tick's point for every economy.
pub fn record_history(clock: Res<Clock>, economies: Res<Economies>, mut history: ResMut<History>) {
    for (points, economy) in history.0.iter_mut().zip(&economies.0) {
        points.push(EconomyPoint {
            tick: clock.tick,
            trust: economy.trust,
            loss: economy.loss,
            service: economy.service,
        });
    }
}
