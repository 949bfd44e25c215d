//! One file per subcommand; `main.rs` only declares the variants and dispatches.

pub mod scenario;
