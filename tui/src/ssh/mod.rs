//! Seats over SSH (`serve --ssh ADDR`): players type `ssh -p PORT HOST` on any laptop
//! (every current Windows, macOS and Linux has the OpenSSH client), enter their join
//! code when asked, and play in the same terminal interface as `join`, run by the
//! server for them. Nothing to install at the seats, the transport is encrypted, and
//! the server is authenticated by its host key ([`host_key`]), whose fingerprint is
//! printed at start and on the code slips.
//!
//! Each accepted connection is one SSH session ([`connection`]): its join code is asked
//! with a keyboard-interactive prompt (or taken from the user name, `ssh CODE@HOST`) and
//! presented to the host through the server's [`Doorway`], exactly as a `join` client's
//! `hello`: the host checks it, throttles wrong codes per address, applies takeovers,
//! permissions and the journal. Then the seat's task ([`seat`]) runs the interface.
//!
//! Limits: at most [`SshLimits::max_sessions`] connections at once (more are closed at
//! once, with a line on the console); [`MAX_CODES_PER_CONNECTION`] codes per connection,
//! each wrong one answered after a growing delay; a login must be complete within
//! [`SshLimits::login_timeout`]; a seat where nobody presses a key for
//! [`SshLimits::idle`] is closed; a client that stops answering keepalives or reading
//! its frames is dropped.

pub mod connection;
pub mod host_key;
pub mod seat;

use std::io::Write;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use russh::MethodKind;
use russh::keys::PrivateKey;
use tokio::net::TcpListener;
use tokio::task::JoinSet;
use tokio_util::sync::CancellationToken;

use crate::net::server::Doorway;

/// Codes one connection may present; after the last wrong one it is closed (it may
/// connect again, slowed down by the host's per-address delays).
pub const MAX_CODES_PER_CONNECTION: u32 = 3;

/// The wait before a connection's first wrong code is answered (by default); it
/// doubles with each further wrong code on the same connection.
pub const FIRST_WRONG_CODE_DELAY: Duration = Duration::from_secs(1);

/// Limits of the SSH seats.
#[derive(Debug, Clone)]
pub struct SshLimits {
    /// SSH connections open at once (logging in or seated).
    pub max_sessions: usize,
    /// Time from connecting to a running seat (the code typed, the terminal opened).
    pub login_timeout: Duration,
    /// A seat where nobody presses a key for this long is closed.
    pub idle: Duration,
    /// A client that does not take a frame within this time is dropped as too slow.
    pub write_timeout: Duration,
    /// Frames the host may queue for one seat before it is dropped as too slow.
    pub queue: usize,
    /// The wait before a connection's first wrong code is answered; it doubles with
    /// each further one on the same connection.
    pub first_wrong_code_delay: Duration,
}

impl Default for SshLimits {
    fn default() -> Self {
        SshLimits {
            max_sessions: 64,
            login_timeout: Duration::from_secs(120),
            idle: Duration::from_secs(60 * 60),
            write_timeout: Duration::from_secs(10),
            queue: 256,
            first_wrong_code_delay: FIRST_WRONG_CODE_DELAY,
        }
    }
}

/// What every connection shares.
pub(crate) struct Shared {
    pub doorway: Doorway,
    pub limits: SshLimits,
    pub config: Arc<russh::server::Config>,
    /// The exercise's title, shown before the code is asked.
    pub title: String,
    /// Where the seats' reports are written (on this machine: an SSH player cannot
    /// download them, so the path is shown to the seat and on the console).
    pub report_dir: PathBuf,
}

/// The SSH server's configuration: the host key, only keyboard-interactive
/// authentication (no password or key prompts that would confuse a player), no
/// constant-time padding of rejections by russh (the host's code check is constant-time
/// and wrong codes are delayed on purpose), keepalives to notice vanished clients.
fn config(key: PrivateKey) -> russh::server::Config {
    russh::server::Config {
        server_id: russh::SshId::Standard(std::borrow::Cow::Borrowed(concat!(
            "SSH-2.0-cyberdrill_",
            env!("CARGO_PKG_VERSION")
        ))),
        methods: russh::MethodSet::from(&[MethodKind::KeyboardInteractive][..]),
        auth_rejection_time: Duration::ZERO,
        auth_rejection_time_initial: Some(Duration::ZERO),
        keys: vec![key],
        // Enough for a player's mistakes, few enough to stop a guesser early.
        max_auth_attempts: 6,
        inactivity_timeout: Some(Duration::from_secs(180)),
        keepalive_interval: Some(Duration::from_secs(15)),
        keepalive_max: 4,
        nodelay: true,
        ..russh::server::Config::default()
    }
}

/// The SSH side of a running server: stop it when the exercise ends.
pub struct SshServer {
    stop: CancellationToken,
    accepting: tokio::task::JoinHandle<()>,
}

impl SshServer {
    /// Accepts SSH connections on `listener` until stopped; each gets its seat through
    /// `doorway`. Reports the facilitator asks for are written into `report_dir`.
    pub fn start(
        listener: TcpListener,
        doorway: Doorway,
        key: PrivateKey,
        limits: SshLimits,
        title: String,
        report_dir: PathBuf,
    ) -> SshServer {
        let shared = Arc::new(Shared {
            doorway,
            limits,
            config: Arc::new(config(key)),
            title,
            report_dir,
        });
        let stop = CancellationToken::new();
        let accepting = tokio::spawn(accept(listener, shared, stop.clone()));
        SshServer { stop, accepting }
    }

    /// Stops accepting, lets the seats say goodbye for at most `grace`, then closes
    /// what is left.
    pub async fn stop(self, grace: Duration) {
        self.stop.cancel();
        let _ = tokio::time::timeout(grace, self.accepting).await;
    }
}

/// Accepts connections and gives each its task, at most `max_sessions` at once.
async fn accept(listener: TcpListener, shared: Arc<Shared>, stop: CancellationToken) {
    let open = Arc::new(AtomicUsize::new(0));
    let mut sessions = JoinSet::new();
    loop {
        let accepted = tokio::select! {
            () = stop.cancelled() => break,
            accepted = listener.accept() => accepted,
            // Reap finished sessions so the set does not grow.
            Some(_) = sessions.join_next(), if !sessions.is_empty() => continue,
        };
        let (stream, peer) = match accepted {
            Ok(accepted) => accepted,
            // Out of file descriptors and the like: wait a little rather than spin.
            Err(_) => {
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
        };
        if open.load(Ordering::SeqCst) >= shared.limits.max_sessions {
            let _ = writeln!(
                std::io::stdout(),
                "ssh: refused a connection from {}: {} SSH sessions are open already \
                 (--ssh-max-sessions)",
                peer.ip(),
                shared.limits.max_sessions
            );
            drop(stream);
            continue;
        }
        open.fetch_add(1, Ordering::SeqCst);
        let guard = OpenGuard(Arc::clone(&open));
        let shared = Arc::clone(&shared);
        let stop = stop.clone();
        sessions.spawn(async move {
            let _guard = guard;
            connection::serve(stream, peer, shared, stop).await;
        });
    }
    // The exercise is over: the seats were told by the host and close themselves;
    // whatever is left when the caller's grace runs out is dropped with the runtime.
    while sessions.join_next().await.is_some() {}
}

/// Counts an open connection until dropped.
struct OpenGuard(Arc<AtomicUsize>);

impl Drop for OpenGuard {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

/// The command a player types to reach `host` on `port` (`-p` left out for port 22).
pub fn ssh_command(host: &str, port: u16) -> String {
    if port == 22 {
        format!("ssh {host}")
    } else {
        format!("ssh -p {port} {host}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_command_leaves_out_the_default_port() {
        assert_eq!(ssh_command("10.0.0.5", 2222), "ssh -p 2222 10.0.0.5");
        assert_eq!(ssh_command("drill.lan", 22), "ssh drill.lan");
    }
}
