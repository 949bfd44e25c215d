//! "N ticks after X": every `after` condition of the scenario's triggers remembers the
//! tick its inner condition first held, so that an inject can report an action's result
//! some time after the action ("six ticks after the request succeeded, arrests") with
//! no hidden marker inject (HSEEP 2020: an inject's expected player action precedes the
//! injects that report its result).
//!
//! Runs before the injects are evaluated, against the state at the start of the tick,
//! walking every trigger in scenario order and each condition inside out, so that an
//! `after` nested in another sees the inner one's first tick in the same pass.

use bevy_ecs::prelude::*;
use bevy_ecs::system::SystemState;

use crate::metrics::Measures;
use crate::outcomes::Watches;
use crate::scenario::model::{Condition, Trigger};

/// Records, for every `after` condition not started yet, whether its inner condition
/// holds now. The watches are started on a copy, so that each one started is seen by
/// the conditions checked after it while the state is read once for the whole walk.
pub fn watch_conditions(world: &mut World, measures: &mut SystemState<Measures<'static, 'static>>) {
    // Every resource is inserted with the world (`Simulation::new`).
    let Ok(measures) = measures.get(world) else {
        return;
    };
    let scenario = &measures.scenario.0;
    if scenario.watches == 0 {
        return;
    }
    let now = measures.clock.tick;
    let mut watches = measures.watches.0.clone();
    let mut started = false;
    let triggers = scenario
        .injects
        .iter()
        .map(|i| &i.trigger)
        .chain(scenario.decisions.iter().map(|d| &d.trigger));
    for trigger in triggers {
        let Trigger::When(condition) = trigger else {
            continue;
        };
        walk(condition, &mut |inner, watch| {
            let unstarted = watches.get(watch as usize).is_some_and(Option::is_none);
            if unstarted && measures.holds_watching(inner, &watches) {
                watches[watch as usize] = Some(now);
                started = true;
            }
        });
    }
    if started && let Some(mut kept) = world.get_resource_mut::<Watches>() {
        kept.0 = watches;
    }
}

/// Calls `look(inner, watch)` for every `after` condition inside `condition`, innermost
/// first.
fn walk(condition: &Condition, look: &mut impl FnMut(&Condition, u32)) {
    match condition {
        Condition::After {
            condition: inner,
            watch,
            ..
        } => {
            walk(inner, look);
            look(inner, *watch);
        }
        Condition::All(list) | Condition::Any(list) => {
            for c in list {
                walk(c, look);
            }
        }
        Condition::Not(inner) => walk(inner, look),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::systems::testing::{run, world_of};
    use crate::testkit::two_economies;
    use crate::world::Clock;

    /// The two-economy world at `tick` whose inject fires on `condition`, with `watches`
    /// `after` conditions in it.
    fn watching(condition: Condition, watches: u32, tick: u32) -> World {
        let mut scenario = two_economies();
        scenario.injects[0].trigger = Trigger::When(condition);
        scenario.watches = watches;
        world_of(scenario, tick)
    }

    fn after(delay: u32, condition: Condition, watch: u32) -> Condition {
        Condition::After {
            delay,
            condition: Box::new(condition),
            watch,
        }
    }

    fn watches(world: &World) -> Vec<Option<u32>> {
        world.resource::<Watches>().0.clone()
    }

    #[test]
    fn a_watch_keeps_the_first_tick_its_condition_held() {
        let mut world = watching(after(3, Condition::TickAtLeast(2), 0), 1, 1);
        run(&mut world, watch_conditions);
        assert_eq!(watches(&world), vec![None], "tick 1: not yet");
        for tick in [2, 3, 7] {
            world.resource_mut::<Clock>().tick = tick;
            run(&mut world, watch_conditions);
            assert_eq!(watches(&world), vec![Some(2)], "tick {tick}");
        }
    }

    #[test]
    fn a_watch_nested_in_another_starts_both_in_the_same_pass() {
        // "1 tick after (0 ticks after tick 4)", and the same under a `not`.
        let inner = after(0, Condition::TickAtLeast(4), 0);
        let nested = Condition::All(vec![
            after(1, inner, 1),
            Condition::Not(Box::new(after(0, Condition::TickAtLeast(9), 2))),
        ]);
        let mut world = watching(nested, 3, 4);
        run(&mut world, watch_conditions);
        assert_eq!(watches(&world), vec![Some(4), Some(4), None]);
    }
}
