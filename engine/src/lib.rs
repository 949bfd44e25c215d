//! cyberdrill's engine: the scenario format and the deterministic simulation of a
//! regional cyber exercise. It knows nothing of terminals or sockets; callers use the
//! [`Simulation`] facade.

pub mod rng;
pub mod scenario;
