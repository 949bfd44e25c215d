//! cyberdrill's engine: the scenario format and the deterministic simulation of a
//! regional cyber exercise. It knows nothing of terminals or sockets; callers use the
//! `Simulation` facade, the [`command::Command`]s it accepts and the [`view::View`]s it
//! gives each team.

pub mod active;
pub mod branch;
pub mod command;
pub mod decisions;
pub mod detection;
pub mod economics;
pub mod journal;
pub mod metrics;
pub mod money;
pub mod names;
pub mod notifications;
pub mod outcomes;
pub mod partners;
pub mod policy;
pub mod protection;
pub mod readiness;
pub mod replay;
pub mod rewind;
pub mod rng;
pub mod scenario;
mod sim;
pub mod spam;
pub mod systems;
pub mod testkit;
pub mod trust;
pub mod view;
pub mod world;

pub use metrics::{EconomyMetrics, Metrics, ObjectiveScore};
pub use sim::rules;
pub use sim::{Accepted, CommandError, HashVersion, Simulation, StateHash};
