//! The simulation's state: bevy_ecs resources holding plain data.
//!
//! Per-asset state is kept as index-aligned arrays (structure of arrays) and the
//! dependency graph in compressed sparse row form, so that the systems that touch every
//! asset (the cascade, loss accrual) iterate linearly and the systems that react to
//! events (attacks, tasks) touch only the few assets concerned. Everything whose order
//! matters is a `Vec` indexed by a stable id (asset, economy, campaign, incident, task),
//! never a hash map and never ECS query order.

use std::sync::Arc;

use bevy_ecs::prelude::Resource;

use crate::command::{Actor, Command, IncidentId, Recipient, TaskId, Tlp};
use crate::outcomes::StopCause;
use crate::rng::SimRng;
use crate::scenario::model::{
    AssetIdx, CampaignIdx, CampaignKind, EconomyIdx, Posture, Readiness, Scenario, TeamIdx,
};
use crate::view::{EconomyPoint, Source, Stage};

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
}

/// Per-economy state, index-aligned with [`Scenario::economies`].
#[derive(Debug, Clone, PartialEq)]
pub struct EconomyState {
    /// Public trust in the online environment, 0-100.
    pub trust: f64,
    /// Public awareness, 0-100.
    pub awareness: f64,
    /// Cumulative economic loss, US dollars.
    pub loss: f64,
    pub readiness: Readiness,
    /// Mean service of its assets, refreshed every tick.
    pub service: f64,
    /// Campaigns whose indicators this economy holds (own investigation or shared),
    /// index-aligned with [`Scenario::campaigns`].
    pub knows_campaign: Vec<bool>,
    /// Campaigns disrupted here by domestic legal action.
    pub disrupted: Vec<bool>,
}

#[derive(Resource, Debug, Clone)]
pub struct Economies(pub Vec<EconomyState>);

/// Runtime state of a campaign, index-aligned with [`Scenario::campaigns`].
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CampaignState {
    pub started_at: Option<u32>,
    /// Stopped by an inject, by its duration or by law enforcement.
    pub stopped_at: Option<u32>,
    /// What stopped it.
    pub stopped_by: Option<StopCause>,
    /// Hosting economies where its infrastructure was taken down or seized, in order.
    pub taken_down: Vec<EconomyIdx>,
}

impl CampaignState {
    /// Attempting new targets now.
    pub fn active(&self) -> bool {
        self.started_at.is_some() && self.stopped_at.is_none()
    }
}

#[derive(Resource, Debug, Clone)]
pub struct Campaigns(pub Vec<CampaignState>);

/// One economy learning of an incident.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Knowing {
    pub economy: EconomyIdx,
    pub at: u32,
    pub source: Source,
}

/// One compromise of one asset (or one hazard striking it).
#[derive(Debug, Clone, PartialEq)]
pub struct Incident {
    pub asset: AssetIdx,
    pub economy: EconomyIdx,
    pub campaign: CampaignIdx,
    pub kind: CampaignKind,
    /// A natural hazard or technical failure: no stages, strikes at once.
    pub hazard: bool,
    pub stage: Stage,
    pub started_at: u32,
    /// Tick at which the next stage is reached if the actor succeeds.
    pub stage_entered_at: u32,
    pub impacted_at: Option<u32>,
    pub detected_at: Option<u32>,
    pub contained_at: Option<u32>,
    pub recovered_at: Option<u32>,
    /// Investigated by its own economy: indicators known and shareable.
    pub investigated: bool,
    /// Economies that know of it, in the order they learned.
    pub known: Vec<Knowing>,
}

impl Incident {
    /// Still progressing or harming: neither contained nor recovered.
    pub fn is_open(&self) -> bool {
        self.contained_at.is_none() && self.recovered_at.is_none()
    }

    /// Whether `economy` knows of this incident.
    pub fn known_by(&self, economy: EconomyIdx) -> Option<&Knowing> {
        self.known.iter().find(|k| k.economy == economy)
    }
}

/// All incidents, in creation order: the index is the [`IncidentId`].
#[derive(Resource, Debug, Clone, Default)]
pub struct Incidents(pub Vec<Incident>);

impl Incidents {
    pub fn get(&self, id: IncidentId) -> Option<&Incident> {
        self.0.get(id.0 as usize)
    }
}

/// Runtime state of a team, index-aligned with [`Scenario::teams`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct TeamState {
    /// Own analysts (the scenario's, adjusted by injects).
    pub analysts: u32,
    /// Working on tasks.
    pub busy: u32,
    /// Lent to other teams.
    pub lent: u32,
    /// Borrowed from other teams.
    pub borrowed: u32,
}

impl TeamState {
    /// Analysts free for a new task.
    pub fn free(&self) -> u32 {
        (self.analysts + self.borrowed).saturating_sub(self.busy + self.lent)
    }
}

#[derive(Resource, Debug, Clone)]
pub struct Teams(pub Vec<TeamState>);

/// A team action in progress or done.
#[derive(Debug, Clone, PartialEq)]
pub struct Task {
    pub id: TaskId,
    pub team: TeamIdx,
    pub command: Command,
    /// Analysts it occupies (for assistance: analysts lent).
    pub analysts: u32,
    pub started_at: u32,
    pub done_at: u32,
    pub finished: bool,
    /// What happened when it completed, in words.
    pub outcome: Option<String>,
}

/// All tasks in acceptance order: the index is the [`TaskId`].
#[derive(Resource, Debug, Clone, Default)]
pub struct Tasks(pub Vec<Task>);

/// Indicators on their way to another economy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Delivery {
    pub arrives_at: u32,
    pub incident: IncidentId,
    pub from: EconomyIdx,
    pub to: EconomyIdx,
    pub tlp: Tlp,
    pub delivered: bool,
}

/// Shared information in flight and delivered, in sending order.
#[derive(Resource, Debug, Clone, Default)]
pub struct Deliveries(pub Vec<Delivery>);

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    pub tick: u32,
    pub from: Actor,
    pub to: Recipient,
    pub text: String,
}

/// Every message sent, oldest first.
#[derive(Resource, Debug, Clone, Default)]
pub struct Messages(pub Vec<Message>);

/// An open request for analysts from one team to another economy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AssistanceRequest {
    pub from_team: TeamIdx,
    pub to: EconomyIdx,
    pub analysts: u32,
    pub at: u32,
    /// Analysts provided so far in answer to it.
    pub provided: u32,
}

#[derive(Resource, Debug, Clone, Default)]
pub struct AssistanceRequests(pub Vec<AssistanceRequest>);

/// Runtime state of an inject, index-aligned with [`Scenario::injects`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InjectState {
    pub fired_at: Option<u32>,
    /// The facilitator may rewrite an inject before it fires.
    pub headline: String,
    pub text: String,
    /// Fired by the facilitator; its effects apply at the start of the next tick.
    pub queued: bool,
}

#[derive(Resource, Debug, Clone)]
pub struct Injects(pub Vec<InjectState>);

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

/// One point per economy per completed tick.
#[derive(Resource, Debug, Clone, Default)]
pub struct History(pub Vec<Vec<EconomyPoint>>);
