//! The networked exercise: the protocol, the server that puts the host beside sockets,
//! the TCP client shared by `join` and `bot`, the seat's side of the protocol for any
//! transport, and join codes.

pub mod bridge;
pub mod client;
pub mod codes;
pub mod connection;
pub mod outbox;
pub mod protocol;
pub mod server;
pub mod slips;
pub mod wire;
