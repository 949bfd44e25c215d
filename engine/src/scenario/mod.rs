//! The scenario language: the file format authors write, its loading and validation
//! with diagnostics that point at the offending line, and the checked model the
//! simulation runs on.
//!
//! Loading is two passes, as in a compiler: [`raw`] mirrors the TOML file, then
//! validation resolves every id to an index and applies defaults, producing
//! [`model::Scenario`]. Problems are collected as [`Diagnostic`]s rather than
//! stopping at the first one.

pub mod attainment;
pub mod bundled;
mod chunked;
pub mod coverage;
mod diagnostic;
mod document;
pub mod flow;
pub mod generate;
mod guard;
mod load;
pub mod model;
pub mod raw;
mod render;
pub mod sheet;
mod spans;
pub mod suggest;
pub mod validate;

pub use diagnostic::{Code, Diagnostic, Label, LineIndex, Severity};
pub use load::{
    Checked, LoadError, LoadedScenario, MAX_FILE_BYTES, decode, load_file, parse, read_bytes,
    read_text,
};
pub use model::Scenario;
pub use render::{JsonDiagnostic, JsonLabel, Location, Position, render, render_short, to_json};
pub use validate::validate;

#[cfg(test)]
mod tests;

/// The JSON Schema of the scenario file format, derived from [`raw::RawScenario`];
/// served by `cyberdrill schema` for editor completion and checking.
pub fn json_schema() -> serde_json::Value {
    serde_json::to_value(schemars::schema_for!(raw::RawScenario)).unwrap_or_default()
}
