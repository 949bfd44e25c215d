//! One file per subcommand; `main.rs` only parses and dispatches.

pub mod run;
