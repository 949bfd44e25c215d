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
use crate::world::{Clock, ScenarioData};

/// Records, for every `after` condition not started yet, whether its inner condition
/// holds now. Exclusive: each watch started is seen by the conditions checked after it.
pub fn watch_conditions(world: &mut World, measures: &mut SystemState<Measures<'static, 'static>>) {
    let scenario = world.resource::<ScenarioData>().0.clone();
    if scenario.watches == 0 {
        return;
    }
    let now = world.resource::<Clock>().tick;
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
            let started = world
                .resource::<Watches>()
                .0
                .get(watch as usize)
                .is_none_or(Option::is_some);
            if started {
                return;
            }
            // Every resource is inserted with the world (`Simulation::new`).
            let held = measures.get(world).is_ok_and(|m| m.holds(inner));
            if held && let Some(slot) = world.resource_mut::<Watches>().0.get_mut(watch as usize) {
                *slot = Some(now);
            }
        });
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
