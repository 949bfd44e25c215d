//! cyberdrill's terminal interface, as a library: the client-side model of a session
//! (the latest [`cyberdrill_engine::view::View`] received and the commands sent), the
//! Elm-shaped app (state, actions, update) and one drawing module per screen.
//!
//! The interface never touches the simulation: it talks to a session over channels
//! ([`client`]), the same way it will talk to a server over the network.

pub mod app;
pub mod client;
pub mod forms;
pub mod input;
pub mod interface;
pub mod keyboard;
pub mod outcome;
pub mod report;
pub mod session;
pub mod terminal;
pub mod text;
pub mod ui;

#[cfg(test)]
pub mod fixture;
#[cfg(test)]
mod input_tests;
#[cfg(test)]
mod play_tests;
