//! cyberdrill's engine: the scenario format and the deterministic simulation of a
//! regional cyber exercise. It knows nothing of terminals or sockets; callers use the
//! `Simulation` facade, the [`command::Command`]s it accepts and the [`view::View`]s it
//! gives each team.

pub mod command;
pub mod journal;
pub mod rng;
pub mod scenario;
pub mod view;
