//! The scenario language: the file format authors write, its loading and validation
//! with diagnostics that point at the offending line, and the checked model the
//! simulation runs on.
//!
//! Loading is two passes, as in a compiler: [`raw`] mirrors the TOML file, then
//! validation resolves every id to an index and applies defaults, producing
//! [`model::Scenario`]. Problems are collected as [`Diagnostic`]s rather than
//! stopping at the first one.

pub mod bundled;
pub mod model;
pub mod raw;

pub use model::Scenario;
