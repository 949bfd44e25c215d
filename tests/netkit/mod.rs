//! Test kit for the networked exercise: start the real `cyberdrill serve`, talk the wire
//! protocol from plain blocking sockets (length-prefixed JSON frames), and generate
//! scenarios of any number of teams.
#![allow(dead_code)] // each test file uses a different part of the kit

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Shutdown, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

/// A loopback address with a port that was free a moment ago, for a server that must
/// listen where its clients expect it. The port is below the range the kernel hands out
/// for `bind(…:0)` and for outgoing connections (`ip_local_port_range`): a port from
/// that range, once released, could be taken by another test's server or client before
/// the server binds it, and a client reconnecting to it while no server listens could
/// connect to itself (a TCP self-connect) and keep it.
pub fn free_loopback_addr() -> String {
    use std::sync::atomic::{AtomicU32, Ordering};
    static PICKED: AtomicU32 = AtomicU32::new(0);
    const LOWEST: u32 = 10_000;
    let first_ephemeral = std::fs::read_to_string("/proc/sys/net/ipv4/ip_local_port_range")
        .ok()
        .and_then(|range| range.split_whitespace().next()?.parse::<u32>().ok())
        .unwrap_or(32_768);
    let span = first_ephemeral.saturating_sub(LOWEST);
    // Spread over the span by process, so that test runs side by side pick apart.
    let start = std::process::id().wrapping_mul(2_654_435_761);
    for _ in 0..span.min(1000) {
        let n = PICKED.fetch_add(1, Ordering::Relaxed);
        let port = LOWEST + start.wrapping_add(n.wrapping_mul(7_919)) % span;
        let Ok(port) = u16::try_from(port) else {
            continue;
        };
        if std::net::TcpListener::bind(("127.0.0.1", port)).is_ok() {
            return format!("127.0.0.1:{port}");
        }
    }
    // No room below the kernel's range here: a port the kernel picks.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    format!("127.0.0.1:{port}")
}

/// The protocol version the server speaks (`tui/src/net/protocol.rs`), as a client
/// written from the protocol's description would send it.
pub const PROTOCOL_VERSION: u32 = 4;

pub const BIN: &str = env!("CARGO_BIN_EXE_cyberdrill");

/// How long any single wait in these tests may take before the test fails (generous:
/// the machine is shared; nothing is asserted about speed).
pub const PATIENCE: Duration = Duration::from_secs(30);

/// A scenario with `teams` economies, each with one national CSIRT, three assets (grid,
/// backbone, hospital; hospitals depend on the next economy's grid across the border),
/// a phishing campaign against every hospital and a ransomware campaign, an all-party
/// sharing agreement and a welcome inject.
pub fn drill_scenario(teams: usize, duration: u32) -> String {
    let mut s = format!(
        r#"[scenario]
id = "net-drill-{teams}"
title = "Network drill for {teams} teams"
briefing = "A generated drill: every economy runs a grid, a backbone and a hospital."
tick_minutes = 60
duration_ticks = {duration}

[defaults]
analysts = 4

[defaults.asset]
operator = "public"
criticality = 3
resilience = 0.5
posture = {{ patching = 55, monitoring = 50, backups = 60 }}

[[sector]]
id = "energy"
name = "Energy"

[[sector]]
id = "telecom"
name = "Telecommunications"

[[sector]]
id = "health"
name = "Health"
"#
    );
    for e in 0..teams {
        let next = (e + 1) % teams;
        let technical = 30 + (e * 37) % 60;
        s += &format!(
            r#"
[[economy]]
id = "e{e}"
name = "Economy {e}"
population = {pop}
gdp_per_capita = 20000.0
readiness = {{ legal = 50, technical = {technical}, organizational = 50, capacity = 50, cooperation = 60 }}
awareness = 50
trust = 70

[[asset]]
id = "e{e}-grid"
name = "Grid of economy {e}"
economy = "e{e}"
sector = "energy"
people_served = 1000000

[[asset]]
id = "e{e}-net"
name = "Backbone of economy {e}"
economy = "e{e}"
sector = "telecom"
people_served = 900000
depends_on = [{{ on = "e{e}-grid", weight = 0.3, kind = "physical" }}]

[[asset]]
id = "e{e}-hospital"
name = "Hospital of economy {e}"
economy = "e{e}"
sector = "health"
people_served = 300000
depends_on = [
    {{ on = "e{e}-grid", weight = 0.3, kind = "physical" }},
    {{ on = "e{e}-net", weight = 0.2, kind = "cyber" }},
    {{ on = "e{next}-grid", weight = 0.1, kind = "physical" }},
]

[[team]]
id = "t{e}"
name = "CSIRT of economy {e}"
role = "csirt"
economy = "e{e}"
analysts = 4
"#,
            pop = 1_000_000 + e * 10_000,
        );
    }
    let economies: Vec<String> = (0..teams).map(|e| format!("\"e{e}\"")).collect();
    s += &format!(
        r#"
[[actor]]
id = "crew"
name = "Phishing crew"
kind = "criminal"
capability = 60

[[campaign]]
id = "phish"
name = "Fake lab results"
actor = "crew"
kind = "phishing"
targets = {{ sectors = ["health"] }}
start = 1
stage_ticks = 1
intensity = 2

[[campaign]]
id = "ransom"
name = "Hospital ransomware"
actor = "crew"
kind = "ransomware"
targets = {{ sectors = ["health"] }}
start = 3
stage_ticks = 2
intensity = 1

[[agreement]]
id = "sharing"
kind = "information_sharing"
parties = [{parties}]
delay = 1

[[inject]]
id = "welcome"
headline = "Exercise start"
text = "Watch your hospital."
at = 0
to = ["all"]
"#,
        parties = economies.join(", ")
    );
    s
}

/// Writes the drill scenario for `teams` teams and `duration` ticks as `drill.toml` in `dir`.
pub fn write_scenario(dir: &Path, teams: usize, duration: u32) -> PathBuf {
    let path = dir.join("drill.toml");
    std::fs::write(&path, drill_scenario(teams, duration)).expect("write scenario");
    path
}

/// A fresh directory for one test's files, removed when it drops (the test file declares
/// `mod scratch;` beside `mod netkit;`).
#[allow(unused_imports)] // not every test file that uses the kit needs scratch space
pub use crate::scratch::{Scratch, dir as scratch_dir};

/// A running `cyberdrill serve`.
pub struct Server {
    pub child: Child,
    pub addr: String,
    /// `{"facilitator": CODE, "teams": {TEAM_ID: CODE}}` as written by `--codes-out`.
    pub codes: Value,
    /// Every stdout line so far.
    pub lines: Arc<Mutex<Vec<String>>>,
    stderr: Arc<Mutex<String>>,
}

impl Server {
    /// Starts `cyberdrill serve SCENARIO --bind 127.0.0.1:0 --codes-out DIR/codes.json
    /// EXTRA...` and waits until it listens.
    pub fn start(scenario: &Path, dir: &Path, extra: &[&str]) -> Server {
        Server::start_on(scenario, dir, "127.0.0.1:0", extra)
    }

    /// Starts a server listening on `bind` (a fixed address, for a server that must
    /// come back where its clients expect it).
    pub fn start_on(scenario: &Path, dir: &Path, bind: &str, extra: &[&str]) -> Server {
        let codes_path = dir.join("codes.json");
        let _ = std::fs::remove_file(&codes_path);
        let mut child = Command::new(BIN)
            .arg("serve")
            .arg(scenario)
            .args(["--bind", bind, "--codes-out"])
            .arg(&codes_path)
            .args(extra)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn cyberdrill serve");
        let stdout = child.stdout.take().expect("stdout");
        let stderr = child.stderr.take().expect("stderr");
        let lines = Arc::new(Mutex::new(Vec::new()));
        let err_text = Arc::new(Mutex::new(String::new()));
        {
            let lines = lines.clone();
            thread::spawn(move || {
                for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                    lines.lock().expect("lines").push(line);
                }
            });
        }
        {
            let err_text = err_text.clone();
            thread::spawn(move || {
                let mut text = String::new();
                let _ = BufReader::new(stderr).read_to_string(&mut text);
                err_text.lock().expect("stderr").push_str(&text);
            });
        }
        let mut server = Server {
            child,
            addr: String::new(),
            codes: Value::Null,
            lines,
            stderr: err_text,
        };
        let listening = server.wait_line("listening on ");
        server.addr = listening["listening on ".len()..].trim().to_string();
        let text = std::fs::read_to_string(&codes_path).expect("codes file written");
        server.codes = serde_json::from_str(&text).expect("codes file is JSON");
        server
    }

    /// Waits for a stdout line starting with `prefix` and returns it.
    pub fn wait_line(&mut self, prefix: &str) -> String {
        let deadline = Instant::now() + PATIENCE;
        loop {
            if let Some(line) = self
                .lines
                .lock()
                .expect("lines")
                .iter()
                .find(|l| l.starts_with(prefix))
            {
                return line.clone();
            }
            if let Ok(Some(status)) = self.child.try_wait() {
                // Let the reader threads catch up before reporting.
                thread::sleep(Duration::from_millis(100));
                if let Some(line) = self
                    .lines
                    .lock()
                    .expect("lines")
                    .iter()
                    .find(|l| l.starts_with(prefix))
                {
                    return line.clone();
                }
                panic!(
                    "serve exited ({status}) before printing `{prefix}`; stdout {:?}, stderr {}",
                    self.lines.lock().expect("lines"),
                    self.stderr.lock().expect("stderr")
                );
            }
            assert!(
                Instant::now() < deadline,
                "serve never printed `{prefix}`: {:?}",
                self.lines.lock().expect("lines")
            );
            thread::sleep(Duration::from_millis(10));
        }
    }

    pub fn team_code(&self, team_id: &str) -> String {
        self.codes["teams"][team_id]
            .as_str()
            .expect("team code")
            .to_string()
    }

    /// The code of evaluator `n` (from 0; the server needs `--evaluators`).
    pub fn evaluator_code(&self, n: usize) -> String {
        self.codes["evaluators"][n]
            .as_str()
            .expect("evaluator code: start the server with --evaluators")
            .to_string()
    }

    pub fn facilitator_code(&self) -> String {
        self.codes["facilitator"]
            .as_str()
            .expect("facilitator code")
            .to_string()
    }

    /// Waits for the process to exit by itself and returns `(exit code, final hash)`.
    pub fn wait_finished(&mut self) -> (i32, String) {
        let line = self.wait_line("finished at tick ");
        let hash = line
            .rsplit(' ')
            .next()
            .expect("hash on the finished line")
            .to_string();
        let deadline = Instant::now() + PATIENCE;
        loop {
            if let Ok(Some(status)) = self.child.try_wait() {
                return (status.code().unwrap_or(-1), hash);
            }
            assert!(
                Instant::now() < deadline,
                "serve did not exit after finishing"
            );
            thread::sleep(Duration::from_millis(10));
        }
    }

    /// SIGKILL, as a power cut or `kill -9` would.
    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// Whether the process is still running.
    pub fn is_running(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }

    pub fn stderr(&self) -> String {
        self.stderr.lock().expect("stderr").clone()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A process a test started itself, killed and reaped when this drops: also when the
/// test fails before it ends the process.
pub struct ChildGuard(pub Child);

impl Drop for ChildGuard {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A blocking protocol client.
pub struct Client {
    pub stream: TcpStream,
}

impl Client {
    /// Opens a TCP connection without any handshake.
    pub fn connect(addr: &str) -> std::io::Result<Client> {
        let stream = TcpStream::connect(addr)?;
        stream.set_read_timeout(Some(PATIENCE))?;
        stream.set_nodelay(true)?;
        Ok(Client { stream })
    }

    /// Connects with a tiny receive buffer, as a peer on a saturated link would, so
    /// that a server writing to it fills the connection quickly.
    pub fn connect_slow(addr: &str) -> std::io::Result<Client> {
        let addr: std::net::SocketAddr = addr.parse().map_err(std::io::Error::other)?;
        let socket = socket2::Socket::new(
            socket2::Domain::for_address(addr),
            socket2::Type::STREAM,
            Some(socket2::Protocol::TCP),
        )?;
        socket.set_recv_buffer_size(4096)?;
        socket.connect(&addr.into())?;
        let stream: TcpStream = socket.into();
        stream.set_read_timeout(Some(PATIENCE))?;
        Ok(Client { stream })
    }

    /// Connects and sends `hello` with `code`; returns the client and the first answer.
    pub fn hello(addr: &str, code: &str) -> std::io::Result<(Client, Value)> {
        let mut client = Client::connect(addr)?;
        client
            .send(&json!({"type": "hello", "protocol_version": PROTOCOL_VERSION, "code": code}))?;
        let answer = client
            .recv()?
            .ok_or_else(|| std::io::Error::other("closed during handshake"))?;
        Ok((client, answer))
    }

    /// Joins and panics unless welcomed.
    pub fn join(addr: &str, code: &str) -> (Client, Value) {
        let (client, welcome) = Client::hello(addr, code).expect("handshake");
        assert_eq!(welcome["type"], "welcome", "{welcome}");
        (client, welcome)
    }

    pub fn send(&mut self, msg: &Value) -> std::io::Result<()> {
        let body = serde_json::to_vec(msg).expect("encode");
        self.send_raw(&frame(&body))
    }

    pub fn send_raw(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        self.stream.write_all(bytes)
    }

    /// The next frame, or `None` when the server closed the connection.
    pub fn recv(&mut self) -> std::io::Result<Option<Value>> {
        let Some(body) = self.recv_bytes()? else {
            return Ok(None);
        };
        serde_json::from_slice(&body)
            .map(Some)
            .map_err(std::io::Error::other)
    }

    /// The next frame's payload as received, or `None` when the server closed the
    /// connection (a load generator decodes only the fields it needs).
    pub fn recv_bytes(&mut self) -> std::io::Result<Option<Vec<u8>>> {
        let mut len = [0u8; 4];
        match self.stream.read_exact(&mut len) {
            Ok(()) => {}
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::UnexpectedEof
                        | std::io::ErrorKind::ConnectionReset
                        | std::io::ErrorKind::ConnectionAborted
                ) =>
            {
                return Ok(None);
            }
            Err(e) => return Err(e),
        }
        let mut body = vec![0u8; u32::from_be_bytes(len) as usize];
        self.stream.read_exact(&mut body)?;
        Ok(Some(body))
    }

    /// Reads frames until one satisfies `want`; panics on close or timeout.
    pub fn recv_until(&mut self, what: &str, want: impl Fn(&Value) -> bool) -> Value {
        loop {
            match self.recv() {
                Ok(Some(msg)) if want(&msg) => return msg,
                Ok(Some(_)) => {}
                Ok(None) => panic!("connection closed while waiting for {what}"),
                // A blocking read past its timeout reports EAGAIN ("resource temporarily
                // unavailable") on Linux: the server sent nothing for that long.
                Err(e)
                    if matches!(
                        e.kind(),
                        std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                    ) =>
                {
                    panic!("nothing arrived within {PATIENCE:?} while waiting for {what}")
                }
                Err(e) => panic!("error while waiting for {what}: {e}"),
            }
        }
    }

    /// Submits a command as `actor` and returns the outcome of the `result`.
    pub fn submit(&mut self, request_id: u64, actor: Value, command: Value) -> Value {
        self.send(&json!({"type": "submit", "request_id": request_id, "actor": actor, "command": command}))
            .expect("send submit");
        let result = self.recv_until("a result", |m| {
            m["type"] == "result" && m["request_id"] == request_id
        });
        result["outcome"].clone()
    }

    /// Waits for a view of at least `tick`.
    pub fn view_at(&mut self, tick: u64) -> Value {
        let msg = self.recv_until("a view", |m| {
            m["type"] == "view" && m["view"]["tick"].as_u64().is_some_and(|t| t >= tick)
        });
        msg["view"].clone()
    }

    pub fn close(self) {
        let _ = self.stream.shutdown(Shutdown::Both);
    }
}

/// A length-delimited frame: 4-byte big-endian length, then the body.
pub fn frame(body: &[u8]) -> Vec<u8> {
    let mut out = (body.len() as u32).to_be_bytes().to_vec();
    out.extend_from_slice(body);
    out
}

/// The JSON form of `Actor::Team(idx)`.
pub fn team(idx: u32) -> Value {
    json!({"team": idx})
}

/// A small portable generator for seeded test choices (not the simulation's RNG).
pub struct Lcg(pub u64);

impl Lcg {
    pub fn below(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % n
    }
}
