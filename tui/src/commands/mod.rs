//! One file per subcommand; `main.rs` only declares and dispatches them.

pub mod attack_layer;
pub mod balance;
pub mod batch;
pub mod bot;
pub mod branch;
pub mod campaign;
pub mod code;
pub mod inspect;
pub mod join;
pub mod msel;
pub use cyberdrill_tui::outcome;
pub mod package;
pub mod play;
pub mod replay;
pub mod report;
pub mod run;
pub mod scenario;
pub mod schema;
pub mod serve;
pub mod validate;
pub mod workers;
