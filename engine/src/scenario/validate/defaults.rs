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

/// Hours to repair a hazard's damage when nothing else says (sectors not in the table of
/// [`default_repair_hours`]).
pub const DEFAULT_REPAIR_HOURS: f64 = 96.0;

/// Share of an economy's output of a sector whose id the table below does not know.
pub const DEFAULT_OUTPUT_SHARE: f64 = 0.03;
/// Explicit output shares of one sector in one economy adding up to less than this draw
/// a warning: most of the sector would never lose anything.
pub const LOW_SHARES: f64 = 0.25;

/// Share of an economy's output (GDP) a sector produces when neither the economy's
/// `sector_shares` nor the sector's `output_share` says: rounded typical shares of value
/// added in national accounts by activity (ISIC Rev. 4 sections D, E, J 61, K, O, Q, P,
/// H; OECD National Accounts, value added by activity). A documented default, not data
/// about any real economy.
pub fn default_output_share(sector_id: &str) -> f64 {
    match sector_id {
        "energy" => 0.025,
        "water" => 0.01,
        "telecom" => 0.02,
        "ecommerce" => 0.03,
        "platforms" => 0.02,
        "finance" => 0.07,
        "government" => 0.07,
        "health" => 0.06,
        "education" => 0.05,
        "transport" => 0.045,
        _ => DEFAULT_OUTPUT_SHARE,
    }
}

/// Hours an operator's crews take to repair a hazard's damage when no asset, sector
/// template or `[defaults.asset]` says: 120 for power, telecom and water (Florida's
/// utilities restored about 80% of customers in four days after hurricane Irma, EEI and
/// US EIA 2017), 96 for the rest.
pub fn default_repair_hours(sector_id: &str) -> f64 {
    match sector_id {
        "energy" | "telecom" | "water" => 120.0,
        _ => DEFAULT_REPAIR_HOURS,
    }
}
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
