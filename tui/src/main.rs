//! `cyberdrill`: one binary for facilitators, players, authors and analysts.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Views, reports and batch runs allocate many small strings; mimalloc roughly halves
/// the time glibc's allocator spends on them (measured in docs/performance.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

mod commands;
use cyberdrill_tui::report;

/// Tabletop cyber-exercise engine for regional CSIRT drills.
///
/// With no command, plays the bundled tutorial in the terminal (`cyberdrill play`).
#[derive(Debug, Parser)]
#[command(name = "cyberdrill", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Check scenario files and print every problem with its line, column and a hint.
    #[command(
        after_help = "Examples:\n  cyberdrill validate scenarios/apec-regional.toml my-drill.toml\n  cyberdrill validate my-drill.toml --format json"
    )]
    Validate {
        /// Scenario files (TOML) to check.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// `human` (snippets and hints), `short` (one line per problem) or `json` (for
        /// editors and CI).
        #[arg(long, value_enum, default_value_t)]
        format: commands::validate::Format,
    },
    /// Summarise a scenario: economies, teams, assets, dependencies, campaigns.
    #[command(after_help = "Example:\n  cyberdrill inspect scenarios/apec-regional.toml --json")]
    Inspect {
        /// Scenario file (TOML).
        file: PathBuf,
        /// Print one JSON object instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Print the JSON Schema of the scenario format, for editor completion.
    #[command(after_help = "Example:\n  cyberdrill schema > cyberdrill.schema.json")]
    Schema,
    /// Bundled scenarios and the synthetic scenario generator.
    #[command(after_help = "Examples:\n  cyberdrill scenario list\n  \
                            cyberdrill scenario export tutorial --out tutorial.toml\n  \
                            cyberdrill scenario generate --economies 8 --assets 500 --seed 1")]
    Scenario(commands::scenario::ScenarioArgs),
    /// The master scenario events list (MSEL) as a spreadsheet: export, edit, import.
    #[command(
        after_help = "Examples:\n  cyberdrill msel export my-drill.toml --out msel.xlsx\n  \
                            cyberdrill msel import msel.xlsx --into my-drill.toml"
    )]
    Msel(commands::msel::MselArgs),
    /// Write the ATT&CK techniques of a scenario's campaigns as an ATT&CK Navigator layer;
    /// from a journal, scored by what the run detected.
    #[command(
        after_help = "Examples:\n  cyberdrill attack-layer my-drill.toml --out layer.json\n  \
                            cyberdrill attack-layer drill.journal --out layer.json"
    )]
    AttackLayer(commands::attack_layer::AttackLayerArgs),
    /// Write the exercise package: situation manual, facilitator guide and evaluator
    /// guide, in HTML and Markdown.
    #[command(after_help = "Example:\n  cyberdrill package my-drill.toml --out package/")]
    Package(commands::package::PackageArgs),
    /// Campaigns from elsewhere: import a MITRE Attack Flow (STIX 2.1) into a scenario.
    #[command(
        after_help = "Example:\n  cyberdrill campaign import conti-ransomware.json --into my-drill.toml"
    )]
    Campaign(commands::campaign::CampaignArgs),
    /// Headless run of a scenario with every team played by a bot policy.
    #[command(
        after_help = "Example:\n  cyberdrill run scenarios/apec-regional.toml --seed 7 --policy cooperative --json"
    )]
    Run(commands::run::RunArgs),
    /// Play an exercise in the terminal; bots play the seats nobody took.
    ///
    /// Without FILE, plays the bundled tutorial; without --team or --facilitator, you play
    /// the scenario's first CSIRT team. Keys: ? help, q quit, space pause/resume, n step.
    #[command(
        after_help = "Examples:\n  cyberdrill play\n  cyberdrill play scenarios/apec-regional.toml --team nor-csirt --seed 7\n  cyberdrill play scenarios/itu-cirt-drill.toml --facilitator --bots isolated\n  cyberdrill play scenarios/apec-regional.toml --journal drill.journal\n  cyberdrill play tutorial --pace turns"
    )]
    Play(commands::play::PlayArgs),
    /// Re-simulate a journaled exercise; `--verify` checks every recorded state hash;
    /// `--watch` opens it in the terminal interface for the hot wash.
    ///
    /// Reading a journal checks each line's checksum and its hash chain, and says if the
    /// journal was not closed. The journal digest printed last goes in the minutes: any
    /// later edit of the journal changes it.
    #[command(
        after_help = "Examples:\n  cyberdrill replay drill.journal --verify --json\n  cyberdrill replay drill.journal --watch\n  cyberdrill replay drill.journal --watch --as nor-csirt"
    )]
    Replay(commands::replay::ReplayArgs),
    /// What if? Replay a journal to a tick, change the policy, leave out a team or a
    /// command, and play the rest over many seeds: the recorded outcome beside the
    /// counterfactual's p5/p50/p95.
    #[command(
        after_help = "Examples:\n  cyberdrill branch drill.journal --at 14 --policy isolated --seeds 100\n  cyberdrill branch drill.journal --at 20 --without-command 57 --json\n  cyberdrill branch drill.journal --at 0 --without-team nor-csirt"
    )]
    Branch(commands::branch::BranchArgs),
    /// After-action report of a journaled exercise: HTML with charts, or Markdown.
    #[command(
        after_help = "Examples:\n  cyberdrill report drill.journal --out drill.html\n  cyberdrill report drill.journal --out minutes.md --format md"
    )]
    Report(commands::report::ReportArgs),
    /// Monte-Carlo runs over seeds (and policies), in parallel, with a percentile summary.
    #[command(
        after_help = "Examples:\n  cyberdrill batch scenarios/apec-regional.toml --runs 1000 --policy idle,cooperative --out runs.jsonl\n  cyberdrill batch apec-regional --runs 100 --out runs.jsonl\n  cyberdrill batch scenarios/apec-regional.toml --runs 10000 --shard 2/8 --out part2.jsonl\n  cyberdrill batch apec-regional --runs 10000 --shard env/8 --out part-$JOB_COMPLETION_INDEX.jsonl\n  cyberdrill batch merge part-*.jsonl --out runs.jsonl"
    )]
    Batch(commands::batch::BatchArgs),
    /// Is a scenario balanced? Per bot policy over seeds: objectives never or always met,
    /// injects never or always fired, campaigns that never start, the spread of loss.
    #[command(
        after_help = "Examples:\n  cyberdrill balance my-drill.toml --runs 50\n  cyberdrill balance my-drill.toml --runs 20 --deny-warnings   # in CI\n  cyberdrill balance apec-regional --runs 100 --json"
    )]
    Balance(commands::balance::BalanceArgs),
    /// Host a networked exercise: prints a join code per team and one for the facilitator.
    #[command(
        after_help = "Examples:\n  cyberdrill serve apec-regional --bind 0.0.0.0:7777 --journal drill.journal --bots cooperative --slips slips.html --pace real:10m --paused\n  cyberdrill serve my-drill.toml --bind 0.0.0.0:7777 --session 3h --evaluators 2 --codes-out codes.json\n  cyberdrill serve apec-regional --bind 0.0.0.0:7777 --resume drill.journal --paused"
    )]
    Serve(commands::serve::ServeArgs),
    /// Join a served exercise in the terminal interface, as a team or the facilitator.
    #[command(
        after_help = "Examples:\n  cyberdrill join 192.168.1.10:7777                 # asks for the code\n  CYBERDRILL_CODE=7KQ4-M2XD-9PRT cyberdrill join 192.168.1.10:7777"
    )]
    Join(commands::join::JoinArgs),
    /// Let a bot play a team seat on a served exercise (empty seats, load tests).
    #[command(
        after_help = "Example:\n  cyberdrill bot 192.168.1.10:7777 --code-file team3.code --policy cooperative"
    )]
    Bot(commands::bot::BotArgs),
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => {
            // Help and version are not errors; every other parse failure is a user error (1).
            let code = if err.use_stderr() { 1 } else { 0 };
            let _ = err.print();
            return ExitCode::from(code);
        }
    };
    match run(cli) {
        Ok(code) => code,
        // `cyberdrill … | head`: the reader has what it wanted; stop quietly.
        Err(err) if is_broken_pipe(&err) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::from(1)
        }
    }
}

/// The error is stdout's reader having gone away.
fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Some(Command::Validate { files, format }) => commands::validate::run(&files, format),
        Some(Command::Inspect { file, json }) => commands::inspect::run(&file, json),
        Some(Command::Schema) => commands::schema::run(),
        Some(Command::Scenario(args)) => commands::scenario::run(args),
        Some(Command::Msel(args)) => commands::msel::run(args),
        Some(Command::AttackLayer(args)) => commands::attack_layer::run(&args),
        Some(Command::Campaign(args)) => commands::campaign::run(args),
        Some(Command::Package(args)) => commands::package::run(&args),
        Some(Command::Run(args)) => commands::run::run(args),
        None => commands::play::run(commands::play::PlayArgs::default()),
        Some(Command::Play(args)) => commands::play::run(args),
        Some(Command::Replay(args)) => commands::replay::run(&args),
        Some(Command::Branch(args)) => commands::branch::run(&args).map(|()| ExitCode::SUCCESS),
        Some(Command::Report(args)) => commands::report::run(&args).map(|()| ExitCode::SUCCESS),
        Some(Command::Batch(args)) => commands::batch::run(&args).map(|()| ExitCode::SUCCESS),
        Some(Command::Balance(args)) => commands::balance::run(&args),
        Some(Command::Serve(args)) => commands::serve::run(args),
        Some(Command::Bot(args)) => commands::bot::run(args),
        Some(Command::Join(args)) => commands::join::run(args),
    }
}
