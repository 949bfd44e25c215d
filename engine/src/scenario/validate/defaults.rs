//! Defaults, in one place.
//!
//! An asset field is taken from the asset (or asset group), else the sector's `asset`
//! table, else `[defaults.asset]`, else the built-in value below. Economies, teams,
//! campaigns and objectives default field by field. The authoring guide's "Defaults, in
//! one place" table lists the same values.

use crate::scenario::model::{Operator, Posture};

/// Built-in asset defaults, used when neither the asset, its sector nor `[defaults.asset]` says.
pub const DEFAULT_OPERATOR: Operator = Operator::Public;
pub const DEFAULT_CRITICALITY: u8 = 3;
pub const DEFAULT_PEOPLE_SERVED: u64 = 100_000;
pub const DEFAULT_POSTURE: Posture = Posture {
    patching: 50,
    monitoring: 50,
    backups: 50,
};
pub const DEFAULT_RESILIENCE: f64 = 0.5;
pub const DEFAULT_GDP_PER_CAPITA: f64 = 10_000.0;
pub const DEFAULT_AWARENESS: u8 = 50;
pub const DEFAULT_TRUST: u8 = 70;
pub const DEFAULT_ANALYSTS: u32 = 4;
pub const DEFAULT_TICK_MINUTES: u32 = 60;
pub const DEFAULT_SHARING_DELAY: u32 = 12;
pub const DEFAULT_MLA_DELAY: u32 = 48;
pub const DEFAULT_ASSISTANCE_DELAY: u32 = 12;
pub const DEFAULT_STAGE_TICKS: u32 = 3;
pub const DEFAULT_INTENSITY: u32 = 1;
pub const DEFAULT_OBJECTIVE_WEIGHT: f64 = 1.0;

/// Most new targets one campaign may attempt per tick. Every attempt is work in every
/// tick the campaign is active, so this bounds a tick's work by the file's size (the
/// engine clamps to it too); the bundled scenarios use 1 to 3.
pub const MAX_INTENSITY: u32 = 10_000;
/// Longest exercise in ticks (about 11 years of one-hour ticks): `run` and `batch` go
/// through every tick, and the history keeps one point per economy per tick.
pub const MAX_DURATION_TICKS: u32 = 100_000;

/// Most assets a scenario may have after expanding groups (memory guard).
pub const MAX_ASSETS: u64 = 5_000_000;
/// Most dependency edges after expanding groups (memory guard).
pub const MAX_DEPENDENCIES: u64 = 50_000_000;
