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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::model::EconomyIdx;
    use crate::systems::testing::{get, get_mut, run, world_at};

    #[test]
    fn one_point_per_economy_per_tick() {
        let mut world = world_at(3);
        get_mut::<_, Loss>(&mut world, EconomyIdx(1)).0 = 1234.5;
        run(&mut world, record_history);
        world.resource_mut::<Clock>().tick = 4;
        run(&mut world, record_history);
        let history = get::<_, History>(&world, EconomyIdx(1)).map(|h| h.0.clone());
        let history = history.unwrap_or_default();
        assert_eq!(history.len(), 2);
        assert_eq!(
            history[0],
            EconomyPoint {
                tick: 3,
                trust: 70.0,
                loss: 1234.5,
                service: 1.0,
            }
        );
        assert_eq!(history[1].tick, 4);
        let strong = get::<_, History>(&world, EconomyIdx(0)).map(|h| h.0.len());
        assert_eq!(strong, Some(2));
    }
}
