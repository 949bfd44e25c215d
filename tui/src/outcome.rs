//! What a headless run produced, as `run --json`, `replay --json` and each `batch` line
//! print it, the bot run that plays every seat, journaled or not, and the scenario
//! argument of headless runs (a file or a bundled name).

use std::path::Path;

use anyhow::bail;
use cyberdrill_engine::Simulation;
use cyberdrill_engine::decisions::DecisionRun;
use cyberdrill_engine::metrics::{Metrics, ObjectiveScore};
use cyberdrill_engine::outcomes::{CampaignRun, InjectFired};
use cyberdrill_engine::policy::{Policy, Seats, play_until};
use cyberdrill_engine::scenario::{self, LoadedScenario, Scenario, bundled};
use serde::Serialize;

/// A scenario file, or a bundled scenario by name (`tutorial`, `apec-regional`,
/// `itu-cirt-drill`) when no such file exists, with its text (for a journal). Headless
/// commands (`run`, `batch`) take either.
pub fn load_file_or_bundled(file: &Path) -> anyhow::Result<(String, Scenario)> {
    let loaded = load_named(file)?;
    Ok((loaded.source, loaded.scenario))
}

/// As [`load_file_or_bundled`], with the name a journal records (`tutorial.toml` for
/// the bundled tutorial): every command that takes a scenario takes a bundled name.
pub fn load_named(file: &Path) -> anyhow::Result<LoadedScenario> {
    if !file.exists()
        && let Some((name, text)) = file.to_str().and_then(bundled::find)
    {
        return match scenario::parse(text) {
            Ok(checked) => Ok(LoadedScenario {
                name: name.to_string(),
                source: text.to_string(),
                scenario: checked.scenario,
            }),
            Err(diagnostics) => bail!("{}", scenario::render(name, text, &diagnostics)),
        };
    }
    match scenario::load_file(file) {
        Ok(loaded) => Ok(loaded),
        Err(err @ scenario::LoadError::Io { .. }) if !file.exists() => bail!(
            "{err}\ngive a scenario file, or a bundled scenario by name: {}",
            bundled::all()
                .map(|(file, _)| file.trim_end_matches(".toml"))
                .join(", ")
        ),
        Err(err) => bail!("{err}"),
    }
}

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
    /// Injects that fired, with their tick.
    pub injects_fired: Vec<InjectFired>,
    /// Every campaign: when it started, stopped and what stopped it.
    pub campaigns: Vec<CampaignRun>,
    /// Every decision point: when it was offered, the option taken and by whom (none:
    /// its default).
    pub decisions: Vec<DecisionRun>,
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
            injects_fired: sim.injects_fired(),
            campaigns: sim.campaign_runs(),
            decisions: sim.decision_runs(),
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
