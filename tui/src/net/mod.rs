//! The networked exercise: the protocol, the authoritative server, the client side
//! shared by `join` and `bot`, and join codes.

pub mod client;
pub mod codes;
pub mod connection;
pub mod protocol;
pub mod server;
