//! Decision points: each is offered to its teams when its trigger holds, settled by a
//! team's `decide` (the facade records the choice) or, when its deadline passes with no
//! choice, by its default; the settled option's effects apply here, at the start of the
//! tick after the choice (HSEEP 2020 decision points; CISA Tabletop Exercise Packages).
//!
//! Runs after the injects, so a decision can be offered in the tick an inject
//! announcing it fires (`after` an inject with no delay), and in scenario order.

use std::sync::Arc;

use bevy_ecs::prelude::*;
use bevy_ecs::system::SystemState;

use crate::decisions::{DecisionPoints, Settlement};
use crate::metrics::Measures;
use crate::outcomes::{Achieved, Outcomes};
use crate::scenario::model::{Decision, DecisionIdx};
use crate::systems::fire_injects::InjectEffects;
use crate::world::{Clock, ScenarioData};

/// Offers the decisions whose trigger holds, applies defaults at deadlines and the
/// effects of every option settled since the last tick. Exclusive, with the state its
/// triggers read and the effects kept between ticks: each is fetched only when needed.
pub fn offer_decisions(
    world: &mut World,
    measures: &mut SystemState<Measures<'static, 'static>>,
    effects: &mut SystemState<InjectEffects<'static, 'static>>,
) {
    let now = world.resource::<Clock>().tick;
    let scenario = Arc::clone(&world.resource::<ScenarioData>().0);
    // Which decisions not offered yet are triggered, read for all of them in one look
    // at the state, and read again (for the decisions after it) once a default or an
    // option's effects changed the state.
    let mut triggered: Option<Vec<bool>> = None;
    for (index, decision) in scenario.decisions.iter().enumerate() {
        let idx = DecisionIdx(index as u32);
        let Some(state) = world.resource::<DecisionPoints>().get(idx).copied() else {
            continue;
        };
        if state.offered_at.is_none() {
            let holds = triggered
                .get_or_insert_with(|| {
                    triggered_from(world, measures, &scenario.decisions, index, now)
                })
                .get(index)
                .copied()
                .unwrap_or(false);
            if !holds {
                continue;
            }
            if let Some(state) = world.resource_mut::<DecisionPoints>().get_mut(idx) {
                state.offered_at = Some(now);
            }
        }
        let offered_at = world
            .resource::<DecisionPoints>()
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
            if let Some(state) = world.resource_mut::<DecisionPoints>().get_mut(idx) {
                state.settled = Some(Settlement {
                    option,
                    by: None,
                    at: now,
                    applied: false,
                });
            }
            world.resource_mut::<Outcomes>().record(
                now,
                Achieved::Decided {
                    decision: idx,
                    option,
                    by: None,
                },
            );
            triggered = None;
        }
        let pending = world
            .resource::<DecisionPoints>()
            .get(idx)
            .and_then(|s| s.settled)
            .filter(|s| !s.applied);
        if let Some(settled) = pending {
            if let Some(option) = decision.options.get(settled.option as usize)
                && let Ok(mut effects) = effects.get_mut(world)
            {
                for effect in &option.effects {
                    effects.apply(effect, now);
                }
            }
            if let Some(Some(s)) = world
                .resource_mut::<DecisionPoints>()
                .get_mut(idx)
                .map(|s| s.settled.as_mut())
            {
                s.applied = true;
            }
            triggered = None;
        }
    }
}

/// Whether the trigger of each decision from `from` on that is not offered yet holds
/// now (`false` for the others). Offering a decision changes nothing a trigger reads.
fn triggered_from(
    world: &World,
    measures: &mut SystemState<Measures<'static, 'static>>,
    decisions: &[Decision],
    from: usize,
    now: u32,
) -> Vec<bool> {
    let waiting: Vec<bool> = {
        let points = world.resource::<DecisionPoints>();
        (0..decisions.len())
            .map(|k| {
                k >= from
                    && points
                        .get(DecisionIdx(k as u32))
                        .is_some_and(|s| s.offered_at.is_none())
            })
            .collect()
    };
    // Every resource is inserted with the world (`Simulation::new`).
    let Ok(measures) = measures.get(world) else {
        return Vec::new();
    };
    decisions
        .iter()
        .zip(waiting)
        .map(|(decision, waiting)| waiting && measures.trigger_holds(&decision.trigger, now))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::decisions::{DecisionState, RansomPolicies};
    use crate::scenario::model::{
        CampaignIdx, Decision, DecisionOption, EconomyIdx, Effect, RansomPolicy, TeamIdx, Trigger,
    };
    use crate::systems::testing::{run, world_of};
    use crate::testkit::two_economies;
    use crate::world::Clock;

    fn option(id: &str, policy: RansomPolicy) -> DecisionOption {
        DecisionOption {
            id: id.into(),
            label: id.into(),
            text: String::new(),
            effects: vec![Effect::Ransom {
                economy: EconomyIdx(0),
                campaign: None,
                policy,
            }],
            recommended: false,
        }
    }

    /// The two-economy world with one decision for Strong's CSIRT: offered at tick 3,
    /// two ticks to choose, "refuse" by default.
    fn world_with_a_decision(tick: u32) -> World {
        let mut scenario = two_economies();
        scenario.decisions.push(Decision {
            id: "ransom".into(),
            title: "Pay the ransom?".into(),
            text: String::new(),
            trigger: Trigger::At(3),
            teams: vec![TeamIdx(0)],
            deadline: Some(2),
            default: Some(1),
            options: vec![
                option("pay", RansomPolicy::Pay),
                option("refuse", RansomPolicy::Refuse),
            ],
        });
        let mut world = world_of(scenario, tick);
        world.insert_resource(DecisionPoints::new(1));
        world
    }

    fn state(world: &World) -> DecisionState {
        world.resource::<DecisionPoints>().0[0]
    }

    fn policy(world: &World) -> Option<RansomPolicy> {
        world
            .resource::<RansomPolicies>()
            .get(EconomyIdx(0), CampaignIdx(0))
    }

    fn step(world: &mut World, tick: u32) {
        world.resource_mut::<Clock>().tick = tick;
        run(world, offer_decisions);
    }

    #[test]
    fn a_decision_is_offered_at_its_trigger_and_defaults_at_its_deadline() {
        let mut world = world_with_a_decision(2);
        step(&mut world, 2);
        assert_eq!(state(&world).offered_at, None, "before its trigger");
        step(&mut world, 3);
        assert_eq!(state(&world).offered_at, Some(3));
        step(&mut world, 4);
        assert_eq!(state(&world).settled, None, "still time to choose");
        assert_eq!(policy(&world), None);
        step(&mut world, 5);
        let settled = state(&world).settled;
        assert_eq!(settled.map(|s| (s.option, s.by, s.at)), Some((1, None, 5)));
        assert_eq!(
            policy(&world),
            Some(RansomPolicy::Refuse),
            "the default applies"
        );
    }

    #[test]
    fn a_teams_choice_applies_its_effects_once_and_the_default_never_overrides_it() {
        let mut world = world_with_a_decision(3);
        step(&mut world, 3);
        world.resource_mut::<DecisionPoints>().0[0].settled = Some(Settlement {
            option: 0,
            by: Some(TeamIdx(0)),
            at: 3,
            applied: false,
        });
        step(&mut world, 4);
        assert_eq!(policy(&world), Some(RansomPolicy::Pay));
        assert!(state(&world).settled.is_some_and(|s| s.applied));
        step(&mut world, 5);
        step(&mut world, 6);
        let settled = state(&world).settled;
        assert_eq!(
            settled.map(|s| (s.option, s.by)),
            Some((0, Some(TeamIdx(0))))
        );
        assert_eq!(policy(&world), Some(RansomPolicy::Pay), "past the deadline");
        assert_eq!(
            world.resource::<RansomPolicies>().0.len(),
            1,
            "applied once"
        );
    }
}
