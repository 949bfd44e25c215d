//! One file per subcommand; `main.rs` only parses and dispatches.

pub mod batch;
pub mod bot;
pub mod outcome;
pub mod replay;
pub mod report;
pub mod serve;
