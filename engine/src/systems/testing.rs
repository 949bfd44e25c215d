//! A small world for running one system alone, as bevy's own crates test their
//! systems: the world of [`crate::testkit::two_economies`] at tick 0, helpers to set it
//! up, and `run` to run one system once (its commands applied).
//!
//! The region: assets 0-2 are Strong's grid, telecom (on the grid, weight 0.5) and bank
//! (on telecom 0.4 and Weak's telecom 0.2); 3-5 the same for Weak. Campaign 0 is
//! ransomware on assets 0, 2, 3 and 5, campaign 1 phishing on the banks. Teams 0-3 are
//! Strong's CSIRT, regulator, operator and police, 4-7 Weak's.

use std::sync::Arc;

use bevy_ecs::component::Mutable;
use bevy_ecs::prelude::*;
use bevy_ecs::system::RunSystemOnce;

use crate::command::{Command, IncidentId, TaskId};
use crate::scenario::model::{AssetIdx, CampaignIdx, Scenario, TeamIdx};
use crate::testkit::two_economies;
use crate::view::Stage;
use crate::world::{
    Assets, Assignment, Clock, Done, Hit, Ids, Impacted, Intrusion, Key, KnownBy, ScenarioData,
    Staff, spawn_now,
};

/// The two-economy world at `tick`, as `Simulation::new` builds it.
pub fn world_at(tick: u32) -> World {
    world_of(two_economies(), tick)
}

/// The world of `scenario` at `tick`.
pub fn world_of(scenario: Scenario, tick: u32) -> World {
    let mut world = World::new();
    crate::sim::insert_initial_state(&mut world, &Arc::new(scenario), 7);
    world.resource_mut::<Clock>().tick = tick;
    world
}

/// Runs `system` once on `world` and applies its commands.
pub fn run<M>(world: &mut World, system: impl IntoSystem<(), (), M>) {
    if let Err(err) = world.run_system_once(system) {
        panic!("the system did not run: {err}");
    }
}

/// The entity with id `id`.
pub fn entity<K: Key>(world: &World, id: K) -> Entity {
    match world.resource::<Ids<K>>().get(id) {
        Some(entity) => entity,
        None => panic!("no entity {id:?}"),
    }
}

/// Component `C` of the entity with id `id`, if it has one.
pub fn get<K: Key, C: Component>(world: &World, id: K) -> Option<&C> {
    world.get::<C>(entity(world, id))
}

/// Component `C` of the entity with id `id`, to change it.
pub fn get_mut<K: Key, C: Component<Mutability = Mutable>>(world: &mut World, id: K) -> Mut<'_, C> {
    let entity = entity(world, id);
    match world.get_mut::<C>(entity) {
        Some(c) => c,
        None => panic!("{id:?} has no such component"),
    }
}

/// An open incident of `campaign` on `asset`, at `stage` since tick `since` (at impact
/// since then, if `stage` is impact), as `advance_campaigns` makes them.
pub fn incident(
    world: &mut World,
    asset: u32,
    campaign: u32,
    stage: Stage,
    since: u32,
) -> IncidentId {
    let scenario = Arc::clone(&world.resource::<ScenarioData>().0);
    let hit = Hit {
        asset: AssetIdx(asset),
        economy: scenario.assets[asset as usize].economy,
        campaign: CampaignIdx(campaign),
        kind: scenario.campaigns[campaign as usize].kind,
        hazard: false,
    };
    let intrusion = Intrusion {
        stage,
        started_at: since,
        stage_entered_at: since,
    };
    let id: IncidentId = spawn_now(world, (hit, intrusion, KnownBy::default()));
    if stage == Stage::Impact {
        let incident = entity(world, id);
        world.entity_mut(incident).insert(Impacted(since));
    }
    world.resource_mut::<Assets>().open_incident[asset as usize] = id.0;
    id
}

/// A task of `team` doing `command` with `analysts` busy, due at `done_at`.
pub fn task(world: &mut World, team: u32, command: Command, analysts: u32, done_at: u32) -> TaskId {
    get_mut::<_, Staff>(world, TeamIdx(team)).busy += analysts;
    spawn_now(
        world,
        Assignment {
            team: TeamIdx(team),
            command,
            analysts,
            started_at: 0,
            done_at,
        },
    )
}

/// What task `task` achieved, once done.
pub fn outcome(world: &World, task: TaskId) -> Option<String> {
    get::<_, Done>(world, task).map(|d| d.outcome.clone())
}
