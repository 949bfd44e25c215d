//! What a headless run produced, as `run --json`, `replay --json` and each `batch` line
//! print it, and the bot run that plays every seat, journaled or not.

use cyberdrill_engine::Simulation;
use cyberdrill_engine::metrics::{Metrics, ObjectiveScore};
use cyberdrill_engine::policy::{Policy, Seats, play_until};
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

/// Every team played by `policy`, tick after tick, up to tick `limit` or the end: the
/// engine's one bot round ([`play_until`]), on a bare simulation or a journaling
/// [`Recorder`](cyberdrill_engine::replay::Recorder), with its journal failure as an
/// error for the command line.
pub fn play_bots<S>(seats: &mut S, policy: Policy, limit: u32) -> anyhow::Result<()>
where
    S: Seats,
    S::Error: std::error::Error + Send + Sync + 'static,
{
    Ok(play_until(seats, policy, limit)?)
}
