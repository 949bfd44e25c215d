//! One file per subcommand; `main.rs` only declares and dispatches them.

pub mod inspect;
pub mod play;
pub mod run;
pub mod scenario;
pub mod schema;
pub mod validate;
