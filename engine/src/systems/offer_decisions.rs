//! Decision points: each is offered to its teams when its trigger holds, settled by a
//! team's `decide` (the facade records the choice) or, when its deadline passes with no
//! choice, by its default; the settled option's effects apply here, at the start of the
//! tick after the choice (HSEEP 2020 decision points; CISA Tabletop Exercise Packages).
//!
//! Runs after the injects, so a decision can be offered in the tick an inject
//! announcing it fires (`after` an inject with no delay), and in scenario order.

use std::sync::Arc;

use bevy_ecs::prelude::*;

use crate::decisions::{DecisionPoints, Settlement};
use crate::metrics::Measures;
use crate::outcomes::{Achieved, Outcomes};
use crate::scenario::model::DecisionIdx;
use crate::systems::fire_injects::InjectEffects;

/// Offers the decisions whose trigger holds, applies defaults at deadlines and the
/// effects of every option settled since the last tick.
pub fn offer_decisions(
    mut world: ParamSet<(
        Measures,
        InjectEffects,
        ResMut<DecisionPoints>,
        ResMut<Outcomes>,
    )>,
) {
    let (now, scenario) = {
        let measures = world.p0();
        (measures.clock.tick, Arc::clone(&measures.scenario.0))
    };
    for (index, decision) in scenario.decisions.iter().enumerate() {
        let idx = DecisionIdx(index as u32);
        let Some(state) = world.p2().get(idx).copied() else {
            continue;
        };
        if state.offered_at.is_none() {
            if !world.p0().trigger_holds(&decision.trigger, now) {
                continue;
            }
            if let Some(state) = world.p2().get_mut(idx) {
                state.offered_at = Some(now);
            }
        }
        let offered_at = world
            .p2()
            .get(idx)
            .and_then(|s| s.offered_at)
            .unwrap_or(now);
        let lapsed = decision
            .deadline
            .is_some_and(|d| now >= offered_at.saturating_add(d));
        if state.settled.is_none()
            && lapsed
            && let Some(option) = decision.default
        {
            if let Some(state) = world.p2().get_mut(idx) {
                state.settled = Some(Settlement {
                    option,
                    by: None,
                    at: now,
                    applied: false,
                });
            }
            world.p3().record(
                now,
                Achieved::Decided {
                    decision: idx,
                    option,
                    by: None,
                },
            );
        }
        let pending = world
            .p2()
            .get(idx)
            .and_then(|s| s.settled)
            .filter(|s| !s.applied);
        if let Some(settled) = pending {
            if let Some(option) = decision.options.get(settled.option as usize) {
                let mut effects = world.p1();
                for effect in &option.effects {
                    effects.apply(effect, now);
                }
            }
            if let Some(Some(s)) = world.p2().get_mut(idx).map(|s| s.settled.as_mut()) {
                s.applied = true;
            }
        }
    }
}
