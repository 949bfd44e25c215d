//! The simulation's state as a bevy_ecs world: entities with components, and a few
//! resources.
//!
//! Economies, teams, campaigns, injects, incidents, team tasks, shared-information
//! deliveries, messages and assistance requests are entities. Each has a stable id
//! component ([`Id`]) and is listed in its kind's [`Ids`] resource, so that it can be
//! found by id and visited in id order: bevy's query order is not guaranteed (it changes
//! as entities move between archetypes), and wherever the order of visits matters (the
//! random stream, sums of floating-point numbers, lists in views) systems visit in id
//! order, by [`Ids`] or [`in_id_order`].
//!
//! Per-asset state stays in index-aligned arrays ([`Assets`]) and the dependency graph in
//! compressed sparse rows: the cascade visits every asset and every dependency each tick,
//! and at a million assets a linear pass over dense arrays is what keeps a tick within
//! its budget (`docs/architecture.md` gives the measurement). The systems that react to
//! events (attacks, tasks) touch only the few assets concerned.

use std::marker::PhantomData;
use std::sync::Arc;

use bevy_ecs::prelude::*;

use crate::active::ActiveSet;
use crate::command::{Actor, Command, IncidentId, Recipient, TaskId, Tlp};
use crate::detection::FoundBy;
use crate::outcomes::StopCause;
use crate::rng::SimRng;
use crate::scenario::model::{
    AssetIdx, CampaignIdx, CampaignKind, EconomyIdx, InjectIdx, Posture, Readiness, Scenario,
    TeamIdx,
};
use crate::view::{EconomyPoint, Source, Stage};

// ---------------------------------------------------------------------------------
// Ids

/// The id of an entity kind: a position from 0 in creation order (scenario order for
/// what the scenario declares).
pub trait Key: Copy + Ord + Send + Sync + std::fmt::Debug + 'static {
    fn from_position(position: u32) -> Self;
    fn position(self) -> u32;
}

macro_rules! key {
    ($($ty:ty),* $(,)?) => {$(
        impl Key for $ty {
            fn from_position(position: u32) -> Self {
                Self(position)
            }
            fn position(self) -> u32 {
                self.0
            }
        }
    )*};
}

/// Stable id of a shared-information delivery, in sending order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DeliveryId(pub u32);
/// Stable id of a message, in sending order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct MessageId(pub u32);
/// Stable id of an assistance request, in order of arrival.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct RequestId(pub u32);

key!(
    EconomyIdx,
    TeamIdx,
    CampaignIdx,
    InjectIdx,
    IncidentId,
    TaskId,
    DeliveryId,
    MessageId,
    RequestId
);

/// The stable id of an entity of kind `K`.
#[derive(Component, Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Id<K: Key>(pub K);

/// Every entity of kind `K`, by id: entities are never despawned, so the list only
/// grows and an id is its position.
#[derive(Resource, Debug)]
pub struct Ids<K: Key> {
    entities: Vec<Entity>,
    kind: PhantomData<fn() -> K>,
}

impl<K: Key> Default for Ids<K> {
    fn default() -> Self {
        Self {
            entities: Vec::new(),
            kind: PhantomData,
        }
    }
}

impl<K: Key> Ids<K> {
    /// The entity with id `id`.
    pub fn get(&self, id: K) -> Option<Entity> {
        self.entities.get(id.position() as usize).copied()
    }

    /// The id the next entity of this kind gets.
    pub fn next(&self) -> K {
        K::from_position(self.entities.len() as u32)
    }

    pub fn len(&self) -> usize {
        self.entities.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entities.is_empty()
    }

    /// Every (id, entity), in id order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = (K, Entity)> + '_ {
        self.entities
            .iter()
            .enumerate()
            .map(|(i, e)| (K::from_position(i as u32), *e))
    }

    /// Records `entity` under the next id.
    fn push(&mut self, entity: Entity) -> K {
        let id = self.next();
        self.entities.push(entity);
        id
    }
}

/// Spawns an entity of kind `K` under the next id, with its [`Id`] and `bundle`, and
/// records it in [`Ids`]; its commands apply when the system's commands do. One spawn
/// with every component, not an empty entity then an insert: the entity is moved once.
pub fn spawn_with_id<K: Key>(commands: &mut Commands, ids: &mut Ids<K>, bundle: impl Bundle) -> K {
    let id = ids.next();
    let entity = commands.spawn((Id(id), bundle)).id();
    ids.push(entity)
}

/// As [`spawn_with_id`], at once on a world.
pub fn spawn_now<K: Key>(world: &mut World, bundle: impl Bundle) -> K {
    let id = world.get_resource_or_init::<Ids<K>>().next();
    let entity = world.spawn((Id(id), bundle)).id();
    world.resource_mut::<Ids<K>>().push(entity);
    id
}

/// Query results sorted by their id: the order in which systems must visit entities
/// whenever the order matters (bevy's query order does not).
pub fn in_id_order<K: Key, T>(items: impl Iterator<Item = (K, T)>) -> Vec<(K, T)> {
    let mut items: Vec<(K, T)> = items.collect();
    items.sort_unstable_by_key(|(id, _)| *id);
    items
}

// ---------------------------------------------------------------------------------
// Resources

/// The checked scenario the world was built from (shared, read-only).
#[derive(Resource, Debug, Clone)]
pub struct ScenarioData(pub Arc<Scenario>);

/// Ticks completed so far.
#[derive(Resource, Debug, Clone, Copy, Default)]
pub struct Clock {
    pub tick: u32,
}

/// The one source of randomness of the simulation.
#[derive(Resource, Debug, Clone)]
pub struct Rng(pub SimRng);

/// Marker for "no incident" in [`Assets::open_incident`].
pub const NO_INCIDENT: u32 = u32::MAX;

/// Per-asset state, index-aligned with [`Scenario::assets`].
#[derive(Resource, Debug, Clone)]
pub struct Assets {
    pub economy: Vec<u32>,
    pub sector: Vec<u32>,
    /// Current posture (hardening raises it during the exercise).
    pub posture: Vec<Posture>,
    /// K of the inoperability model.
    pub resilience: Vec<f64>,
    /// CSR offsets: the dependencies of asset `i` are `dep_start[i]..dep_start[i + 1]`.
    pub dep_start: Vec<u32>,
    /// Asset depended on, per dependency.
    pub dep_on: Vec<u32>,
    /// Weight (an entry of the interdependency matrix A), per dependency.
    pub dep_weight: Vec<f64>,
    /// Inoperability q = 1 - service level.
    pub inoperability: Vec<f64>,
    /// Direct damage c from attacks and hazards, until restored.
    pub damage: Vec<f64>,
    /// Dollars lost per tick when the asset is completely down.
    pub loss_per_tick: Vec<f64>,
    /// The incident currently open on the asset (neither contained nor recovered),
    /// or [`NO_INCIDENT`]: an asset is attacked by one campaign at a time.
    pub open_incident: Vec<u32>,
    /// Scratch buffer for the synchronous cascade update (not part of the state).
    pub scratch: Vec<f64>,
    /// Which assets the per-asset passes visit (derived from the state, not part of it).
    pub active: ActiveSet,
}

impl Assets {
    /// Number of assets.
    pub fn len(&self) -> usize {
        self.economy.len()
    }

    /// Whether the world has no assets.
    pub fn is_empty(&self) -> bool {
        self.economy.is_empty()
    }

    /// Service level of asset `i`, 0-1.
    pub fn service(&self, i: usize) -> f64 {
        1.0 - self.inoperability[i]
    }

    /// Sets asset `i`'s direct damage, so that the cascade visits it next tick: every
    /// change of `damage` goes through here (see [`crate::active`]).
    pub fn set_damage(&mut self, i: usize, damage: f64) {
        if let Some(slot) = self.damage.get_mut(i)
            && slot.to_bits() != damage.to_bits()
        {
            *slot = damage;
            self.active.damage_changed(i);
        }
    }
}

/// Running totals for objectives and metrics that average over time.
#[derive(Resource, Debug, Clone, Default)]
pub struct Progress {
    /// Per objective: ticks on which its service goal held.
    pub objective_ok_ticks: Vec<u32>,
    /// Sum over completed ticks of the regional mean service.
    pub service_sum: f64,
    /// Regional mean service now.
    pub service_now: f64,
}

// ---------------------------------------------------------------------------------
// Economies

/// Public trust in the online environment, 0-100.
#[derive(Component, Debug, Clone, Copy, PartialEq)]
pub struct Trust(pub f64);

/// Public awareness, 0-100.
#[derive(Component, Debug, Clone, Copy, PartialEq)]
pub struct Awareness(pub f64);

/// Cumulative economic loss, US dollars.
#[derive(Component, Debug, Clone, Copy, PartialEq)]
pub struct Loss(pub f64);

/// Mean service of the economy's assets, refreshed every tick.
#[derive(Component, Debug, Clone, Copy, PartialEq)]
pub struct Service(pub f64);

/// Readiness on the five ITU GCA pillars now: the scenario's at the start, raised by
/// training and capacity-building assistance ([`crate::readiness`]).
#[derive(Component, Debug, Clone, Copy, PartialEq)]
pub struct Pillars(pub Readiness);

/// Campaigns whose indicators the economy holds (its own investigations, or shared with
/// it), index-aligned with [`Scenario::campaigns`].
#[derive(Component, Debug, Clone, PartialEq)]
pub struct Indicators(pub Vec<bool>);

/// Campaigns disrupted in the economy by legal action (domestic, or abroad through
/// mutual legal assistance), index-aligned with [`Scenario::campaigns`].
#[derive(Component, Debug, Clone, PartialEq)]
pub struct Disrupted(pub Vec<bool>);

/// One point per completed tick (trust, loss, service), for sparklines and reports.
#[derive(Component, Debug, Clone, PartialEq, Default)]
pub struct History(pub Vec<EconomyPoint>);

/// Everything recorded about one economy, read-only: the one record the state hash,
/// views and campaigns' defences read, so a new economy component is added once here
/// (and the hash's exhaustive destructuring of it then fails to compile until hashed).
#[derive(bevy_ecs::query::QueryData)]
pub struct EconomyRecord {
    pub trust: &'static Trust,
    pub trust_moves: &'static crate::trust::TrustMoves,
    pub awareness: &'static Awareness,
    pub loss: &'static Loss,
    pub service: &'static Service,
    pub pillars: &'static Pillars,
    pub readiness_moves: &'static crate::readiness::ReadinessMoves,
    pub indicators: &'static Indicators,
    pub disrupted: &'static Disrupted,
    pub history: &'static History,
    pub partners: &'static crate::partners::PartnerTrust,
}

// ---------------------------------------------------------------------------------
// Teams

/// A team's analysts: its own (the scenario's, adjusted by injects), those at work on
/// its tasks, those lent to other teams and those borrowed from them.
#[derive(Component, Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Staff {
    pub analysts: u32,
    pub busy: u32,
    pub lent: u32,
    pub borrowed: u32,
}

impl Staff {
    /// Analysts free for a new task.
    pub fn free(&self) -> u32 {
        (self.analysts + self.borrowed).saturating_sub(self.busy + self.lent)
    }
}

// ---------------------------------------------------------------------------------
// Campaigns

/// When a campaign started and stopped (by its clock, an inject or law enforcement).
#[derive(Component, Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Activity {
    pub started_at: Option<u32>,
    pub stopped_at: Option<u32>,
    /// What stopped it.
    pub stopped_by: Option<StopCause>,
}

/// Hosting economies where a campaign's infrastructure was taken down or seized, in
/// order ([`crate::systems::enforcement`]).
#[derive(Component, Debug, Clone, PartialEq, Eq, Default)]
pub struct TakenDown(pub Vec<EconomyIdx>);

impl Activity {
    /// Attempting new targets now.
    pub fn active(&self) -> bool {
        self.started_at.is_some() && self.stopped_at.is_none()
    }
}

// ---------------------------------------------------------------------------------
// Injects

/// What an inject says (the facilitator may rewrite it before it fires).
#[derive(Component, Debug, Clone, PartialEq, Eq)]
pub struct Wording {
    pub headline: String,
    pub text: String,
}

/// Whether and when an inject fired.
#[derive(Component, Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Firing {
    pub fired_at: Option<u32>,
    /// Fired by the facilitator; its effects apply at the start of the next tick.
    pub queued: bool,
}

// ---------------------------------------------------------------------------------
// Incidents

/// What an incident struck: one compromise of one asset by one campaign (or one
/// hazard striking it).
#[derive(Component, Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hit {
    pub asset: AssetIdx,
    pub economy: EconomyIdx,
    pub campaign: CampaignIdx,
    pub kind: CampaignKind,
    /// A natural hazard or technical failure: no stages, strikes at once.
    pub hazard: bool,
}

/// How far the intrusion has gone.
#[derive(Component, Debug, Clone, Copy, PartialEq, Eq)]
pub struct Intrusion {
    pub stage: Stage,
    pub started_at: u32,
    /// Tick the current stage was reached.
    pub stage_entered_at: u32,
}

/// The incident reached impact at this tick (its damage applies).
#[derive(Component, Debug, Clone, Copy, PartialEq, Eq)]
pub struct Impacted(pub u32);

/// Its own economy detected the incident at this tick.
#[derive(Component, Debug, Clone, Copy, PartialEq, Eq)]
pub struct Detected(pub u32);

/// Contained at this tick: the attack progresses and harms no more.
#[derive(Component, Debug, Clone, Copy, PartialEq, Eq)]
pub struct Contained(pub u32);

/// Recovered at this tick: the service it damaged is back.
#[derive(Component, Debug, Clone, Copy, PartialEq, Eq)]
pub struct Recovered(pub u32);

/// Investigated by its own economy: indicators known and shareable.
#[derive(Component, Debug, Clone, Copy, PartialEq, Eq)]
pub struct Investigated;

/// One economy learning of an incident: all its teams, or only one of them (a label
/// that restricts the information to the recipient team, TLP:AMBER+STRICT or RED).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Knowing {
    pub economy: EconomyIdx,
    /// `Some`: only this team of the economy knows.
    pub team: Option<TeamIdx>,
    pub at: u32,
    pub source: Source,
}

/// The economies that know of an incident, in the order they learned.
#[derive(Component, Debug, Clone, PartialEq, Eq, Default)]
pub struct KnownBy(pub Vec<Knowing>);

impl KnownBy {
    /// How `economy` as a whole (every team of it) learned of it, if it did.
    pub fn by(&self, economy: EconomyIdx) -> Option<&Knowing> {
        self.0
            .iter()
            .find(|k| k.economy == economy && k.team.is_none())
    }

    /// How `team` of `economy` learned of it, if it did: with its whole economy, or as
    /// the one team a restricted label addressed.
    pub fn by_team(&self, economy: EconomyIdx, team: TeamIdx) -> Option<&Knowing> {
        self.0
            .iter()
            .find(|k| k.economy == economy && k.team.is_none_or(|t| t == team))
    }

    /// `economy` finds the incident itself at `at` (its own detection, a partner's
    /// notification, its operators' sweep): every team of it knows from then on, unless
    /// the economy as a whole already did.
    pub fn found_at_home(&mut self, economy: EconomyIdx, at: u32) {
        if self.by(economy).is_none() {
            self.0.push(Knowing {
                economy,
                team: None,
                at,
                source: Source::Own,
            });
        }
    }
}

/// Still progressing or harming: neither contained nor recovered.
pub type Open = (Without<Contained>, Without<Recovered>);

// ---------------------------------------------------------------------------------
// Tasks, deliveries, messages, assistance requests

/// A team action under way: who does what, with how many analysts, until when.
#[derive(Component, Debug, Clone, PartialEq, Eq)]
pub struct Assignment {
    pub team: TeamIdx,
    pub command: Command,
    /// Analysts it occupies (for assistance: analysts lent).
    pub analysts: u32,
    pub started_at: u32,
    pub done_at: u32,
}

/// A task completed; what happened, in words.
#[derive(Component, Debug, Clone, PartialEq, Eq)]
pub struct Done {
    pub outcome: String,
}

/// Indicators on their way from one economy to another.
#[derive(Component, Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shipment {
    pub arrives_at: u32,
    pub incident: IncidentId,
    pub from: EconomyIdx,
    pub to: EconomyIdx,
    /// `Some`: for this team of `to` only (TLP:AMBER+STRICT, RED).
    pub team: Option<TeamIdx>,
    pub tlp: Tlp,
}

/// The shipment arrived.
#[derive(Component, Debug, Clone, Copy, PartialEq, Eq)]
pub struct Delivered;

/// A message from a team or the facilitator.
#[derive(Component, Debug, Clone, PartialEq, Eq)]
pub struct Message {
    pub tick: u32,
    pub from: Actor,
    pub to: Recipient,
    pub text: String,
}

/// A team's request for analysts from another economy.
#[derive(Component, Debug, Clone, Copy, PartialEq, Eq)]
pub struct AssistanceRequest {
    pub from_team: TeamIdx,
    pub to: EconomyIdx,
    pub analysts: u32,
    pub at: u32,
    /// Analysts provided so far in answer to it.
    pub provided: u32,
}

/// Everything recorded about one incident, read-only: what views, metrics, the door
/// and the state hash read.
#[derive(bevy_ecs::query::QueryData)]
pub struct IncidentRecord {
    pub id: &'static Id<IncidentId>,
    pub hit: &'static Hit,
    pub intrusion: &'static Intrusion,
    pub impacted: Option<&'static Impacted>,
    pub detected: Option<&'static Detected>,
    pub contained: Option<&'static Contained>,
    pub recovered: Option<&'static Recovered>,
    pub investigated: Has<Investigated>,
    pub known: &'static KnownBy,
    pub found_by: Option<&'static FoundBy>,
}

impl IncidentRecordItem<'_, '_> {
    pub fn impacted_at(&self) -> Option<u32> {
        self.impacted.map(|t| t.0)
    }

    pub fn detected_at(&self) -> Option<u32> {
        self.detected.map(|t| t.0)
    }

    pub fn contained_at(&self) -> Option<u32> {
        self.contained.map(|t| t.0)
    }

    pub fn recovered_at(&self) -> Option<u32> {
        self.recovered.map(|t| t.0)
    }

    /// Still progressing or harming: neither contained nor recovered.
    pub fn is_open(&self) -> bool {
        self.contained.is_none() && self.recovered.is_none()
    }
}
