//! What a headless run produced, as `run --json`, `replay --json` and each `batch` line
//! print it, and the bot loop that plays every seat, journaled or not.

use cyberdrill_engine::command::{Actor, Command};
use cyberdrill_engine::metrics::{Metrics, ObjectiveScore};
use cyberdrill_engine::policy::{Policy, bot_commands};
use cyberdrill_engine::replay::Recorder;
use cyberdrill_engine::scenario::model::TeamIdx;
use cyberdrill_engine::{CommandError, Simulation};
use serde::Serialize;

/// The one-object result of a run.
#[derive(Debug, Clone, Serialize)]
pub struct RunOutcome {
    pub scenario: String,
    pub seed: u64,
    pub policy: String,
    pub ticks: u32,
    pub state_hash: String,
    pub metrics: Metrics,
    pub objectives: Vec<ObjectiveScore>,
}

impl RunOutcome {
    /// The outcome of `sim` as it stands, played by `policy`.
    pub fn of(sim: &Simulation, policy: &str) -> Self {
        Self {
            scenario: sim.scenario().meta.id.clone(),
            seed: sim.seed(),
            policy: policy.to_string(),
            ticks: sim.tick(),
            state_hash: sim.state_hash().to_hex(),
            metrics: sim.metrics(),
            objectives: sim.objective_scores(),
        }
    }
}

/// Something bots can play: a bare simulation, or one that journals itself.
pub trait Seats {
    fn simulation(&self) -> &Simulation;
    /// Submits a command; the outer error is a failure to journal it.
    fn submit(
        &mut self,
        actor: Actor,
        command: Command,
    ) -> anyhow::Result<Result<(), CommandError>>;
    fn step(&mut self) -> anyhow::Result<()>;
}

impl Seats for Simulation {
    fn simulation(&self) -> &Simulation {
        self
    }

    fn submit(
        &mut self,
        actor: Actor,
        command: Command,
    ) -> anyhow::Result<Result<(), CommandError>> {
        Ok(Simulation::submit(self, actor, command).map(|_| ()))
    }

    fn step(&mut self) -> anyhow::Result<()> {
        Simulation::step(self);
        Ok(())
    }
}

impl Seats for Recorder {
    fn simulation(&self) -> &Simulation {
        Recorder::simulation(self)
    }

    fn submit(
        &mut self,
        actor: Actor,
        command: Command,
    ) -> anyhow::Result<Result<(), CommandError>> {
        Ok(Recorder::submit(self, actor, command)?.map(|_| ()))
    }

    fn step(&mut self) -> anyhow::Result<()> {
        Ok(Recorder::step(self)?)
    }
}

/// Every team played by `policy`, tick after tick, up to `limit` ticks.
pub fn play_bots(seats: &mut impl Seats, policy: Policy, limit: u32) -> anyhow::Result<()> {
    // Idle bots never act: skip building views nobody reads (most of a run's cost).
    let teams = if policy == Policy::Idle {
        0
    } else {
        seats.simulation().scenario().teams.len() as u32
    };
    while seats.simulation().tick() < limit && !seats.simulation().is_finished() {
        for t in 0..teams {
            let actor = Actor::Team(TeamIdx(t));
            for command in bot_commands(seats.simulation(), TeamIdx(t), policy) {
                // A bot's plan can be overtaken by its own earlier command this tick
                // (analysts now busy); a refusal is simply a move not made.
                let _refused = seats.submit(actor, command)?;
            }
        }
        seats.step()?;
    }
    Ok(())
}
