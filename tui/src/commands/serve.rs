//! `cyberdrill serve`: host a networked exercise, fresh or resumed from its journal.

use std::io::Write;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use cyberdrill_engine::Simulation;
use cyberdrill_engine::journal::{Header, Journal, JournalWriter, Record, SessionEvent};
use cyberdrill_engine::policy::Policy;
use cyberdrill_engine::scenario::LoadedScenario;
use cyberdrill_tui::host::clock::{self, Pace};
use cyberdrill_tui::host::{Host, HostConfig};
use cyberdrill_tui::net::codes::JoinCodes;
use cyberdrill_tui::net::connection::Limits;
use cyberdrill_tui::net::{server, slips};
use cyberdrill_tui::ssh::{SshLimits, SshServer, host_key};
use tokio::net::TcpListener;

use super::bot::parse_policy;

/// Arguments of `cyberdrill serve`.
#[derive(Debug, clap::Args)]
pub struct ServeArgs {
    /// Scenario file (TOML), or a bundled scenario's name (tutorial, apec-regional,
    /// itu-cirt-drill).
    pub file: PathBuf,
    /// Address to listen on, HOST:PORT (port 0 picks a free port, printed at start).
    #[arg(long)]
    pub bind: String,
    /// The address players type, HOST:PORT, on the slips and in the join command
    /// (default: this machine's address on the local network when binding to all
    /// interfaces, else the bind address).
    #[arg(long, value_name = "HOST:PORT")]
    pub advertise: Option<String>,
    /// Journal every accepted command and every tick to this new file (refuses to
    /// overwrite an existing one). It holds the join codes: keep it private.
    #[arg(long, conflicts_with = "resume")]
    pub journal: Option<PathBuf>,
    /// Also write the join codes as JSON, readable by you only: {"facilitator": CODE,
    /// "teams": {TEAM_ID: CODE}, "evaluators": [CODE]}.
    #[arg(long)]
    pub codes_out: Option<PathBuf>,
    /// Write a printable page (HTML, readable by you only): the roster, then one slip per
    /// seat with its team, economy, role, code and how to join. Cut and hand out.
    #[arg(long, value_name = "FILE.html")]
    pub slips: Option<PathBuf>,
    /// `turns` (a tick when every connected team is ready, at least one of them played
    /// by people, or when the facilitator steps) or `real:` and a time per tick in
    /// human units: `real:10m`, `real:90s`, `real:500ms`. Default `turns`; a resumed
    /// exercise keeps the pace its journal ends with.
    #[arg(long, value_parser = clock::parse, conflicts_with = "session")]
    pub pace: Option<Pace>,
    /// Fit the rest of the exercise into this much real time, e.g. `3h` or `2h30m`: the
    /// pace becomes the session divided by the ticks left (pauses come on top).
    #[arg(long, value_parser = clock::parse_duration, value_name = "DURATION")]
    pub session: Option<Duration>,
    /// Start with the clock stopped, e.g. while teams are still joining; the facilitator
    /// starts it from the console (`space`). A resumed exercise that was paused stays so.
    #[arg(long)]
    pub paused: bool,
    /// End the session (exit 0) once this many ticks are complete, without waiting for
    /// the facilitator to end the hot wash.
    #[arg(long)]
    pub stop_at: Option<u32>,
    /// Also serve the seats over SSH on this address, HOST:PORT: players type `ssh -p
    /// PORT HOST` and their code when asked; nothing to install at the seats.
    #[arg(long, value_name = "HOST:PORT")]
    pub ssh: Option<String>,
    /// The SSH host key (made on the first run, readable by you only, then kept, so
    /// that players' ssh trusts the server once). Default:
    /// ~/.config/cyberdrill/ssh_host_ed25519_key.
    #[arg(long, value_name = "PATH", requires = "ssh")]
    pub host_key: Option<PathBuf>,
    /// Most SSH connections open at once; more are refused.
    #[arg(long, default_value_t = 64, value_name = "N", requires = "ssh")]
    pub ssh_max_sessions: usize,
    /// An SSH seat where nobody presses a key for this long is closed (the same code
    /// joins again).
    #[arg(long, value_parser = clock::parse_duration, default_value = "60m", value_name = "DURATION", requires = "ssh")]
    pub ssh_idle: Duration,
    /// An SSH connection with no running seat this long after connecting is closed.
    #[arg(long, value_parser = clock::parse_duration, default_value = "2m", value_name = "DURATION", requires = "ssh", hide = true)]
    pub ssh_login_timeout: Duration,
    /// The wait before an SSH connection's first wrong code is answered (doubling with
    /// each further one on the connection).
    #[arg(long, value_parser = clock::parse_duration, default_value = "1s", value_name = "DURATION", requires = "ssh", hide = true)]
    pub ssh_wrong_code_delay: Duration,
    /// Bots play the team seats nobody holds (idle, isolated or cooperative): a team that
    /// joins with its code takes its seat over, and the bot takes it back if nobody is
    /// at the seat for --bot-grace.
    #[arg(long, value_name = "POLICY", value_parser = parse_policy)]
    pub bots: Option<Policy>,
    /// How long a seat stays empty before the bot plays it again (--bots).
    #[arg(long, value_parser = clock::parse_duration, default_value = "60s", value_name = "DURATION")]
    pub bot_grace: Duration,
    /// Evaluator seats (observers who see everything, cannot act, and write notes for
    /// the after-action report): one code each.
    #[arg(long, default_value_t = 0, value_name = "N", conflicts_with = "resume")]
    pub evaluators: u32,
    /// Simulation seed (default: a random one, printed and journaled).
    #[arg(long, conflicts_with = "resume")]
    pub seed: Option<u64>,
    /// Continue the exercise recorded in this journal: replays and verifies it, then
    /// serves with the same seed and codes, appending to the same journal.
    #[arg(long)]
    pub resume: Option<PathBuf>,
    /// A peer that takes longer than this to accept a frame is dropped as too slow.
    #[arg(long, default_value_t = 10_000, hide = true)]
    pub write_timeout_ms: u64,
    /// A peer that sends nothing for this long is disconnected (clients ping every 30 s).
    #[arg(long, default_value_t = 120, hide = true)]
    pub idle_timeout_secs: u64,
}

/// How long the SSH seats get to restore their players' terminals when the session ends.
const SSH_GOODBYE: Duration = Duration::from_secs(2);

/// Most evaluator seats: a forum has a handful of observers, not a crowd.
const MAX_EVALUATORS: u32 = 50;

/// Runs `serve` to the end of the session.
pub fn run(args: ServeArgs) -> anyhow::Result<ExitCode> {
    if args.evaluators > MAX_EVALUATORS {
        bail!(
            "--evaluators {}: at most {MAX_EVALUATORS} evaluator seats",
            args.evaluators
        );
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .context("cannot start the network runtime")?;
    runtime.block_on(serve(args))
}

/// The exercise as it starts: simulation, journal so far, codes, and the clock.
struct Prepared {
    sim: Simulation,
    journal: Journal,
    writer: Option<JournalWriter>,
    codes: JoinCodes,
    pace: Pace,
    paused: bool,
}

async fn serve(args: ServeArgs) -> anyhow::Result<ExitCode> {
    let prepared = match &args.resume {
        Some(journal) => resume(&args, journal)?,
        None => fresh(&args)?,
    };
    let listener = TcpListener::bind(&args.bind).await.with_context(|| {
        format!(
            "cannot listen on `{}`: give a free HOST:PORT of this machine, e.g. 0.0.0.0:7777",
            args.bind
        )
    })?;
    let local = listener
        .local_addr()
        .context("cannot read the listening address")?;
    let advertised = args
        .advertise
        .clone()
        .unwrap_or_else(|| advertised_addr(local));
    let ssh = match &args.ssh {
        Some(addr) => Some(ssh_listen(&args, addr, &advertised).await?),
        None => None,
    };
    if let Some(path) = &args.codes_out {
        let json = serde_json::to_string_pretty(&prepared.codes)?;
        write_private(path, json.as_bytes())
            .with_context(|| format!("cannot write the join codes to {}", path.display()))?;
    }
    if let Some(path) = &args.slips {
        let access = ssh.as_ref().map(|s| &s.access);
        let page = slips::page(
            prepared.sim.scenario(),
            &prepared.codes,
            &advertised,
            access,
        );
        write_private(path, page.as_bytes())
            .with_context(|| format!("cannot write the slips to {}", path.display()))?;
    }
    let mut announcement = announcement(&args, &prepared, &local.to_string(), &advertised);
    if let Some(ssh) = &ssh {
        announcement.push_str(&ssh_announcement(ssh));
    }
    let limits = Limits {
        write_timeout: Duration::from_millis(args.write_timeout_ms.max(1)),
        idle_timeout: Duration::from_secs(args.idle_timeout_secs.max(1)),
        ..Limits::default()
    };
    let config = HostConfig {
        pace: prepared.pace,
        paused: prepared.paused,
        stop_at: args.stop_at,
        bots: args.bots,
        bot_grace: args.bot_grace,
        unix_ms_at_start: unix_ms_now(),
        ..HostConfig::new(prepared.codes)
    };
    let title = prepared.sim.scenario().meta.title.clone();
    let host = Host::new(prepared.sim, prepared.journal, config, Instant::now());
    let mut ssh_server = None;
    // Announced once the server listens for Ctrl-C: a trainer (or a test) may press it
    // as soon as the codes are on the screen.
    let on_start = |doorway: server::Doorway| {
        {
            let mut out = std::io::stdout().lock();
            let _ = out.write_all(announcement.as_bytes());
            let _ = out.flush();
        }
        if let Some(ssh) = ssh {
            let limits = SshLimits {
                max_sessions: args.ssh_max_sessions.max(1),
                idle: args.ssh_idle.max(Duration::from_secs(1)),
                login_timeout: args.ssh_login_timeout.max(Duration::from_millis(100)),
                first_wrong_code_delay: args.ssh_wrong_code_delay,
                write_timeout: limits.write_timeout,
                ..SshLimits::default()
            };
            ssh_server = Some(SshServer::start(
                ssh.listener,
                doorway,
                ssh.key,
                limits,
                title,
                ssh.report_dir,
            ));
        }
    };
    let ending = server::serve(listener, host, prepared.writer, limits.clone(), on_start).await;
    // The seats over SSH were told the session is over: let them say goodbye.
    if let Some(ssh_server) = ssh_server {
        ssh_server.stop(SSH_GOODBYE).await;
    }
    let ending = ending?;
    let _ = writeln!(
        std::io::stdout(),
        "finished at tick {}, state hash {}",
        ending.tick,
        ending.state_hash
    );
    Ok(ExitCode::SUCCESS)
}

/// A scenario file, or a bundled scenario by name when no such file exists (`serve
/// tutorial`), with the name and text a journal records.
pub fn load_scenario(file: &Path) -> anyhow::Result<LoadedScenario> {
    cyberdrill_tui::outcome::load_named(file)
}

/// A new exercise: load the scenario, draw the seed and codes, start the journal.
fn fresh(args: &ServeArgs) -> anyhow::Result<Prepared> {
    let loaded = load_scenario(&args.file)?;
    let seed = match args.seed {
        Some(seed) => seed,
        None => random_seed()?,
    };
    let team_ids: Vec<String> = loaded.scenario.teams.iter().map(|t| t.id.clone()).collect();
    let codes = JoinCodes::generate(&team_ids, args.evaluators)?;
    let header = Header::new(loaded.name.clone(), loaded.source.clone(), seed, "serve");
    let codes_record = Record::Session {
        tick: 0,
        event: SessionEvent::SeatCodes {
            facilitator: codes.facilitator.clone(),
            teams: codes.teams.clone(),
            evaluators: codes.evaluators.clone(),
        },
    };
    let writer = match &args.journal {
        Some(path) => Some(start_journal(path, &loaded, &header, &codes_record)?),
        None => None,
    };
    let sim = Simulation::new(loaded.scenario, seed);
    let pace = match args.session {
        Some(budget) => clock::fit_session(budget, sim.scenario().meta.duration_ticks)
            .map_err(anyhow::Error::msg)?,
        None => args.pace.unwrap_or(Pace::TurnBased),
    };
    Ok(Prepared {
        sim,
        journal: Journal {
            header,
            records: vec![codes_record],
            recovered: None,
            chain: None,
        },
        writer,
        codes,
        pace,
        paused: args.paused,
    })
}

/// Creates the journal, readable by its owner only (it holds the codes), with its
/// header and the join codes.
fn start_journal(
    path: &Path,
    loaded: &LoadedScenario,
    header: &Header,
    codes: &Record,
) -> anyhow::Result<JournalWriter> {
    if path.exists() {
        bail!(
            "journal {} already exists: give a new file name, or continue the exercise it \
             records with `cyberdrill serve {} --bind ADDR --resume {}`",
            path.display(),
            loaded.name,
            path.display()
        );
    }
    let mut writer = JournalWriter::create(path, header)?;
    restrict_to_owner(path)?;
    writer.write(codes)?;
    writer.sync()?;
    Ok(writer)
}

/// An exercise continued from its journal: replay and verify it, recover the codes and
/// the clock (the pace it ended with and whether it was paused; `--pace`, `--session`
/// and `--paused` change them, journaled by the host).
fn resume(args: &ServeArgs, path: &Path) -> anyhow::Result<Prepared> {
    let (mut writer, mut journal) = JournalWriter::open_append(path)?;
    if let Some(cut) = &journal.recovered {
        eprintln!("warning: {cut}");
    }
    let given = load_scenario(&args.file)?;
    if given.source != journal.header.scenario_text {
        bail!(
            "{} is not the scenario journal {} was recorded with ({}): pass the same \
             scenario to resume",
            args.file.display(),
            path.display(),
            journal.header.scenario_file
        );
    }
    let codes = recorded_codes(&journal.records).with_context(|| {
        format!(
            "journal {} has no join codes: it was not recorded by `cyberdrill serve`",
            path.display()
        )
    })?;
    let replayed = cyberdrill_engine::replay::replay(&journal, true)
        .with_context(|| format!("cannot resume from journal {}", path.display()))?;
    let sim = replayed.simulation;
    let team_ids: Vec<String> = sim.scenario().teams.iter().map(|t| t.id.clone()).collect();
    codes.check_covers(&team_ids)?;
    let recorded = journal.clock();
    let resumed = Record::Session {
        tick: sim.tick(),
        event: SessionEvent::ResumedFromJournal,
    };
    writer.write(&resumed)?;
    writer.sync()?;
    journal.records.push(resumed);
    let ticks_left = sim
        .scenario()
        .meta
        .duration_ticks
        .saturating_sub(sim.tick());
    let pace = match args.session {
        Some(budget) => clock::fit_session(budget, ticks_left).map_err(anyhow::Error::msg)?,
        None => args.pace.or(recorded.0).unwrap_or(Pace::TurnBased),
    };
    eprintln!(
        "resumed {} at tick {} (seed {}): {} commands replayed, {} state hashes verified",
        path.display(),
        sim.tick(),
        journal.header.seed,
        replayed.commands,
        replayed.verified_hashes
    );
    Ok(Prepared {
        sim,
        journal,
        writer: Some(writer),
        codes,
        pace,
        paused: recorded.1 || args.paused,
    })
}

/// The join codes recorded at the start of a journal.
fn recorded_codes(records: &[Record]) -> Option<JoinCodes> {
    records.iter().find_map(|record| match record {
        Record::Session {
            event:
                SessionEvent::SeatCodes {
                    facilitator,
                    teams,
                    evaluators,
                },
            ..
        } => Some(JoinCodes {
            facilitator: facilitator.clone(),
            teams: teams.clone(),
            evaluators: evaluators.clone(),
        }),
        _ => None,
    })
}

fn random_seed() -> anyhow::Result<u64> {
    let mut bytes = [0u8; 8];
    getrandom::fill(&mut bytes)
        .map_err(|e| anyhow::anyhow!("the operating system's random source is unavailable: {e}"))?;
    Ok(u64::from_le_bytes(bytes))
}

/// The wall-clock time now, in Unix milliseconds (0 if the clock is before 1970).
pub fn unix_ms_now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
}

/// Writes a file of secrets atomically (a temporary file renamed into place, so a
/// script that waits for it never reads half of it), readable and writable by its
/// owner only.
fn write_private(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    let mut tmp_name = path.file_name().unwrap_or_default().to_os_string();
    tmp_name.push(".tmp");
    let tmp = path.with_file_name(tmp_name);
    let _ = std::fs::remove_file(&tmp);
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(&tmp)?;
    file.write_all(bytes)?;
    file.sync_all()?;
    std::fs::rename(&tmp, path)?;
    Ok(())
}

/// Makes an existing file readable and writable by its owner only.
fn restrict_to_owner(path: &Path) -> anyhow::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))
            .with_context(|| format!("cannot make {} private to its owner", path.display()))?;
    }
    #[cfg(not(unix))]
    let _ = path;
    Ok(())
}

/// The address players should type: the bind address, or, when bound to every
/// interface, this machine's address on the network that leads outwards (found by
/// asking the system which local address a UDP socket towards a documentation address
/// would use: nothing is sent).
fn advertised_addr(local: SocketAddr) -> String {
    if !local.ip().is_unspecified() {
        return local.to_string();
    }
    let probe = std::net::UdpSocket::bind("0.0.0.0:0")
        .and_then(|s| s.connect("192.0.2.1:9").map(|()| s))
        .and_then(|s| s.local_addr());
    match probe {
        Ok(addr) if !addr.ip().is_unspecified() => format!("{}:{}", addr.ip(), local.port()),
        _ => format!("127.0.0.1:{}", local.port()),
    }
}

/// Where to connect, the clock, and the roster with one code a line.
fn announcement(
    args: &ServeArgs,
    prepared: &Prepared,
    listening: &str,
    advertised: &str,
) -> String {
    use std::fmt::Write as _;
    let scenario = prepared.sim.scenario();
    let mut out = String::new();
    let _ = writeln!(out, "serving \"{}\" on {listening}", scenario.meta.title);
    let _ = writeln!(out, "listening on {listening}");
    let _ = writeln!(
        out,
        "pace {}{}, tick {} of {}",
        clock::label(prepared.pace),
        if prepared.paused {
            " (paused: the facilitator starts the clock)"
        } else {
            ""
        },
        prepared.sim.tick(),
        scenario.meta.duration_ticks
    );
    if let Some(policy) = args.bots {
        let _ = writeln!(
            out,
            "bots ({policy}) play every team seat nobody holds; a team joining takes its seat over"
        );
    }
    let codes = &prepared.codes;
    let _ = writeln!(out, "facilitator code: {}", codes.facilitator);
    for team in &scenario.teams {
        if let Some(code) = codes.teams.get(&team.id) {
            let _ = writeln!(out, "team {} ({}) code: {code}", team.id, team.name);
        }
    }
    for (n, code) in codes.evaluators.iter().enumerate() {
        let _ = writeln!(out, "evaluator {} code: {code}", n + 1);
    }
    if let Some(path) = &args.slips {
        let _ = writeln!(out, "slips to print: {}", path.display());
    }
    let _ = writeln!(
        out,
        "players: cyberdrill join {advertised} (it asks for the code); bots: cyberdrill bot {advertised}"
    );
    out
}

/// The SSH side before the session starts: its socket, host key and what players type.
struct SshListening {
    listener: TcpListener,
    listening: SocketAddr,
    key: russh::keys::PrivateKey,
    created: Option<PathBuf>,
    access: slips::SshAccess,
    /// Where reports asked for at SSH seats are written.
    report_dir: PathBuf,
}

/// Listens for SSH (`--ssh`) and loads or makes the host key (`--host-key`).
async fn ssh_listen(
    args: &ServeArgs,
    addr: &str,
    advertised: &str,
) -> anyhow::Result<SshListening> {
    let path = match &args.host_key {
        Some(path) => path.clone(),
        None => host_key::default_path().context(
            "no home directory to keep the SSH host key in: give a file with --host-key PATH",
        )?,
    };
    let key = host_key::load_or_create(&path)?;
    let listener = TcpListener::bind(addr).await.with_context(|| {
        format!(
            "cannot listen for SSH on `{addr}`: give a free HOST:PORT of this machine, e.g. \
             0.0.0.0:2222"
        )
    })?;
    let listening = listener
        .local_addr()
        .context("cannot read the SSH listening address")?;
    let fingerprint = key.fingerprint();
    let report_dir = ssh_report_dir(args)?;
    let access = slips::SshAccess {
        command: cyberdrill_tui::ssh::ssh_command(host_of(advertised), listening.port()),
        fingerprint,
        report_dir: report_dir.display().to_string(),
    };
    Ok(SshListening {
        listener,
        listening,
        created: key.created.then_some(path),
        key: key.key,
        access,
        report_dir,
    })
}

/// Where reports asked for at SSH seats are written: beside the journal (the report is
/// made from it), else in the directory the server was started in; absolute, since it
/// is shown to people who are not in that directory.
fn ssh_report_dir(args: &ServeArgs) -> anyhow::Result<PathBuf> {
    let journal = args.journal.as_ref().or(args.resume.as_ref());
    let dir = match journal.and_then(|j| j.parent()) {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let dir = std::path::absolute(&dir)
        .with_context(|| format!("cannot tell where {} is", dir.display()))?;
    // `.` and `..` spelled out are harder to find than the directory they name.
    Ok(dir.canonicalize().unwrap_or(dir))
}

/// The host part of HOST:PORT (`[::1]:7777` gives `::1`).
fn host_of(addr: &str) -> &str {
    let host = addr.rsplit_once(':').map_or(addr, |(host, _)| host);
    host.trim_start_matches('[').trim_end_matches(']')
}

/// Prints where SSH listens, the command players type and the key's fingerprint.
fn ssh_announcement(ssh: &SshListening) -> String {
    use std::fmt::Write as _;
    let mut out = String::new();
    if let Some(path) = &ssh.created {
        let _ = writeln!(
            out,
            "made a new SSH host key in {} (kept for later sessions)",
            path.display()
        );
    }
    let _ = writeln!(out, "ssh listening on {}", ssh.listening);
    let _ = writeln!(
        out,
        "players: {} (it asks for the code); host key {}",
        ssh.access.command, ssh.access.fingerprint
    );
    let _ = writeln!(
        out,
        "ssh: reports asked for at SSH seats are written in {}",
        ssh.report_dir.display()
    );
    out
}
