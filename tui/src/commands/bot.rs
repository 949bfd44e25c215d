//! `cyberdrill bot`: a bot plays one team seat on a live server (empty seats, load
//! tests). It decides from its team's view only, like a human player.

use std::collections::BTreeMap;
use std::io::Write;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use cyberdrill_engine::command::Actor;
use cyberdrill_engine::policy::{self, Policy};
use cyberdrill_engine::view::View;
use cyberdrill_tui::net::bridge::ViewBook;
use cyberdrill_tui::net::client::{self, Sender};
use cyberdrill_tui::net::protocol::{ClientMsg, Outcome, Seat, ServerMsg};

use super::code::CodeArgs;

/// Arguments of `cyberdrill bot`.
#[derive(Debug, clap::Args)]
pub struct BotArgs {
    /// Server address, HOST:PORT.
    pub addr: String,
    #[command(flatten)]
    pub code: CodeArgs,
    /// How the bot plays: idle, isolated or cooperative.
    #[arg(long, default_value = "cooperative", value_parser = parse_policy)]
    pub policy: Policy,
}

/// Parses a policy name.
pub fn parse_policy(name: &str) -> Result<Policy, String> {
    name.parse::<Policy>().map_err(|e| e.to_string())
}

/// Runs the bot until the exercise ends.
pub fn run(args: BotArgs) -> anyhow::Result<ExitCode> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("cannot start the network runtime")?;
    runtime.block_on(play(args))
}

/// What the bot remembers between frames.
struct Bot {
    policy: Policy,
    seat: Actor,
    /// The tick the bot last decided for: it acts once per tick, on the first view
    /// of that tick.
    decided_for: Option<u32>,
    /// Submitted and not yet answered, with when each was sent.
    pending: BTreeMap<u64, Instant>,
    /// Milliseconds from submit to answer, for the summary (a venue's network check).
    round_trips: Vec<f64>,
    next_request: u64,
    /// Waiting for answers before saying `ready`.
    ready_owed: bool,
    accepted: u64,
    rejected: u64,
}

impl Bot {
    /// Decides and submits this tick's commands, then says ready once all are answered.
    async fn on_view(&mut self, view: &View, sender: &mut Sender) -> anyhow::Result<()> {
        if self.decided_for == Some(view.tick) {
            return Ok(());
        }
        self.decided_for = Some(view.tick);
        for command in policy::decide(self.policy, view) {
            self.next_request += 1;
            self.pending.insert(self.next_request, Instant::now());
            sender
                .send(&ClientMsg::Submit {
                    request_id: self.next_request,
                    actor: self.seat,
                    command,
                })
                .await?;
        }
        self.ready_owed = true;
        self.say_ready_when_answered(sender).await
    }

    async fn on_result(
        &mut self,
        request_id: u64,
        outcome: &Outcome,
        sender: &mut Sender,
    ) -> anyhow::Result<()> {
        if let Some(sent) = self.pending.remove(&request_id) {
            self.round_trips.push(sent.elapsed().as_secs_f64() * 1000.0);
        }
        match outcome {
            Outcome::Accepted(_) => self.accepted += 1,
            Outcome::Rejected(_) | Outcome::Denied(_) | Outcome::InProgress { .. } => {
                self.rejected += 1
            }
        }
        self.say_ready_when_answered(sender).await
    }

    async fn say_ready_when_answered(&mut self, sender: &mut Sender) -> anyhow::Result<()> {
        if self.ready_owed && self.pending.is_empty() {
            self.ready_owed = false;
            sender.send(&ClientMsg::Ready).await?;
        }
        Ok(())
    }
}

async fn play(args: BotArgs) -> anyhow::Result<ExitCode> {
    let code = args.code.resolve()?;
    let joined = client::join(&args.addr, &code, true).await?;
    let seat = match joined.seat {
        Seat::Team(team) => Actor::Team(team),
        Seat::Facilitator | Seat::Evaluator(_) => bail!(
            "that is the {}'s code: bots play team seats; use a team's code (the \
             facilitator and evaluators join with `cyberdrill join`)",
            joined.seat_name.to_lowercase()
        ),
    };
    eprintln!(
        "bot ({}) playing {} in \"{}\", joined at tick {}",
        args.policy, joined.seat_name, joined.title, joined.status.tick
    );
    let mut sender = joined.sender;
    let mut receiver = joined.receiver;
    let mut bot = Bot {
        policy: args.policy,
        seat,
        decided_for: None,
        pending: BTreeMap::new(),
        round_trips: Vec::new(),
        next_request: joined.next_request_id.saturating_sub(1),
        ready_owed: false,
        accepted: 0,
        rejected: 0,
    };
    // Views arrive without what was sent before: the book completes them.
    let mut book = ViewBook::default();
    let mut keepalive = tokio::time::interval(Duration::from_secs(30));
    loop {
        let msg = tokio::select! {
            msg = receiver.recv() => msg?,
            _ = keepalive.tick() => {
                sender.send(&ClientMsg::Ping).await?;
                continue;
            }
        };
        match msg {
            None => bail!("the server closed the connection before the exercise ended"),
            Some(ServerMsg::View {
                mut view,
                history_after,
            }) => {
                book.complete(&mut view, history_after)
                    .map_err(anyhow::Error::msg)?;
                bot.on_view(&view, &mut sender).await?;
            }
            Some(ServerMsg::Result {
                request_id,
                outcome,
            }) => bot.on_result(request_id, &outcome, &mut sender).await?,
            Some(ServerMsg::Finished { tick, state_hash }) => {
                let _ = writeln!(
                    std::io::stdout(),
                    "finished at tick {tick}, state hash {state_hash}; {} commands accepted, {} refused; {}",
                    bot.accepted,
                    bot.rejected,
                    round_trip_summary(&mut bot.round_trips)
                );
                return Ok(ExitCode::SUCCESS);
            }
            Some(ServerMsg::Error { message }) => eprintln!("server: {message}"),
            Some(ServerMsg::Replaced { reason }) => bail!("{reason}"),
            Some(_) => {}
        }
    }
}

/// `round trip p50 X ms, p99 Y ms, max Z ms`: how long the server took to answer.
fn round_trip_summary(millis: &mut [f64]) -> String {
    if millis.is_empty() {
        return "no commands sent".to_string();
    }
    millis.sort_by(f64::total_cmp);
    let at = |p: f64| millis[((millis.len() - 1) as f64 * p).round() as usize];
    format!(
        "round trip p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        at(0.5),
        at(0.99),
        at(1.0)
    )
}
