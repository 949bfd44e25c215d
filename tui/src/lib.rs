//! cyberdrill's terminal interface, as a library: the exercise host ([`host`]) behind
//! `play` and `serve`, the network around it ([`net`]), the client-side model of a
//! session (the latest [`cyberdrill_engine::view::View`] received and the commands
//! sent), the Elm-shaped app (state, actions, update) and one drawing module per screen.
//!
//! The interface never touches the simulation: it talks to the host over channels
//! ([`client`]), the same way whether the host is on the next thread or on a server.

pub mod app;
pub mod client;
pub mod digest;
pub mod forms;
pub mod host;
pub mod input;
pub mod interface;
pub mod keyboard;
pub mod net;
pub mod outcome;
pub mod package;
pub mod replay;
pub mod report;
pub mod ssh;
pub mod terminal;
pub mod text;
pub mod ui;

#[cfg(test)]
pub mod fixture;
#[cfg(test)]
mod input_tests;
#[cfg(test)]
mod play_tests;
