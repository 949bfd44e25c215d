//! One file per subcommand; `main.rs` only declares and dispatches them.

pub mod play;
