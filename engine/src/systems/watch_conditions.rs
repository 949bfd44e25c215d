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

use crate::metrics::Snapshot;
use crate::outcomes::{Outcomes, Watches};
use crate::scenario::model::{Condition, Trigger};
use crate::world::{Assets, Clock, Economies, Incidents, Injects, Progress, ScenarioData};

/// Records, for every `after` condition not yet started, whether its inner condition
/// holds now.
#[allow(clippy::too_many_arguments)]
pub fn watch_conditions(
    scenario: Res<ScenarioData>,
    clock: Res<Clock>,
    assets: Res<Assets>,
    economies: Res<Economies>,
    incidents: Res<Incidents>,
    injects: Res<Injects>,
    progress: Res<Progress>,
    outcomes: Res<Outcomes>,
    mut watches: ResMut<Watches>,
) {
    let scenario = &scenario.0;
    if scenario.watches == 0 {
        return;
    }
    let mut seen = Watches(watches.0.clone());
    let triggers = scenario
        .injects
        .iter()
        .map(|i| &i.trigger)
        .chain(scenario.decisions.iter().map(|d| &d.trigger));
    for trigger in triggers {
        let Trigger::When(condition) = trigger else {
            continue;
        };
        let mut look = |c: &Condition, watch: u32| {
            if seen.0.get(watch as usize).is_none_or(Option::is_some) {
                return;
            }
            let held = Snapshot {
                scenario,
                clock: &clock,
                assets: &assets,
                economies: &economies,
                incidents: &incidents,
                injects: &injects,
                progress: &progress,
                outcomes: &outcomes,
                watches: &seen,
            }
            .holds(c);
            if held {
                seen.0[watch as usize] = Some(clock.tick);
            }
        };
        walk(condition, &mut look);
    }
    if seen != *watches {
        *watches = seen;
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
