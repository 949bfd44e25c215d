//! History: one point per economy per tick (trust, loss, service), for the players'
//! sparklines and the after-action report.

use bevy_ecs::prelude::*;

use crate::view::EconomyPoint;
use crate::world::{Clock, History, Loss, Service, Trust};

/// Appends this tick's point to every economy's history.
pub fn record_history(
    clock: Res<Clock>,
    mut economies: Query<(&Trust, &Loss, &Service, &mut History)>,
) {
    for (trust, loss, service, mut history) in &mut economies {
        history.0.push(EconomyPoint {
            tick: clock.tick,
            trust: trust.0,
            loss: loss.0,
            service: service.0,
        });
    }
}
