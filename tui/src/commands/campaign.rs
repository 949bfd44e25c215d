//! `cyberdrill campaign import FLOW.json --into FILE`: a MITRE Attack Flow (a STIX 2.1
//! bundle, as the Center for Threat-Informed Defense publishes example flows) becomes a
//! `[[campaign]]` of the scenario, its stages carrying the flow's ATT&CK techniques in
//! flow order. Reading the flow and editing the file is the engine's [`flow`] module;
//! this command picks the actor and kind, checks the edited scenario and writes it.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, bail};
use clap::{Args, Subcommand};
use cyberdrill_engine::scenario;
use cyberdrill_engine::scenario::flow::{self, CampaignSpec};
use cyberdrill_engine::scenario::raw::CampaignKind;

use super::msel::write_atomically;

/// Arguments of `cyberdrill campaign`.
#[derive(Debug, Args)]
pub struct CampaignArgs {
    #[command(subcommand)]
    pub action: CampaignAction,
}

/// What `cyberdrill campaign` does.
#[derive(Debug, Subcommand)]
pub enum CampaignAction {
    /// Add a MITRE Attack Flow (STIX 2.1 JSON) to a scenario as a campaign whose stages
    /// carry the flow's ATT&CK techniques in order; the file is written only if it stays
    /// valid.
    #[command(
        after_help = "Examples:\n  cyberdrill campaign import conti-ransomware.json --into my-drill.toml\n  \
                      cyberdrill campaign import solarwinds.json --into my-drill.toml --actor apt --economy ar --start 4"
    )]
    Import {
        /// The flow: a STIX 2.1 bundle with an `attack-flow` object (Attack Flow Builder:
        /// File > Save as STIX).
        flow: PathBuf,
        /// Scenario file (TOML) to add the campaign to, in place.
        #[arg(long, value_name = "FILE")]
        into: PathBuf,
        /// The campaign's id (default: made of the flow's name).
        #[arg(long)]
        id: Option<String>,
        /// The actor running it (default: the scenario's only actor).
        #[arg(long)]
        actor: Option<String>,
        /// Its kind (default: ransomware if the flow encrypts for impact, ddos for denial
        /// of service, phishing for phishing alone, else malware).
        #[arg(long)]
        kind: Option<String>,
        /// An economy it targets (repeat for several; default: every economy).
        #[arg(long = "economy", value_name = "ID")]
        economies: Vec<String>,
        /// Tick it starts at (default: none, an inject starts it).
        #[arg(long)]
        start: Option<u32>,
    },
}

/// Runs `cyberdrill campaign ...`.
pub fn run(args: CampaignArgs) -> anyhow::Result<ExitCode> {
    match args.action {
        CampaignAction::Import {
            flow,
            into,
            id,
            actor,
            kind,
            economies,
            start,
        } => import(
            &flow,
            &into,
            Choices {
                id,
                actor,
                kind,
                economies,
                start,
            },
        ),
    }
}

/// What the command line chose.
struct Choices {
    id: Option<String>,
    actor: Option<String>,
    kind: Option<String>,
    economies: Vec<String>,
    start: Option<u32>,
}

fn import(path: &Path, into: &Path, choices: Choices) -> anyhow::Result<ExitCode> {
    let json = read_flow_text(path)?;
    let flow = flow::read_flow(&json).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
    let name = into.display().to_string();
    // Its message says it all (the file, the reason); no cause chain to print twice.
    let text = scenario::read_text(into).map_err(|e| anyhow::anyhow!("{e}"))?;
    let checked = match scenario::parse(&text) {
        Ok(checked) => checked,
        Err(diagnostics) => {
            eprint!("{}", scenario::render(&name, &text, &diagnostics));
            eprintln!("{name} has errors: fix them before importing a flow into it");
            return Ok(ExitCode::FAILURE);
        }
    };
    let actors: Vec<&str> = checked
        .scenario
        .actors
        .iter()
        .map(|a| a.id.as_str())
        .collect();
    let actor = match (choices.actor, actors.as_slice()) {
        (Some(actor), _) => actor,
        (None, [only]) => (*only).to_string(),
        (None, []) => bail!(
            "{name} has no `[[actor]]`: add the threat actor who runs this flow (see scenarios/README.md), then import again"
        ),
        (None, many) => bail!(
            "{name} has {} actors ({}): say which runs this flow with `--actor`",
            many.len(),
            many.join(", ")
        ),
    };
    let kind = match choices.kind {
        Some(kind) => parse_kind(&kind)?,
        None => flow::suggested_kind(&flow),
    };
    let spec = CampaignSpec {
        id: choices.id.unwrap_or_else(|| flow::id_from_name(&flow.name)),
        actor,
        kind,
        economies: choices.economies,
        start: choices.start,
    };
    let edited =
        flow::add_campaign(&text, &flow, &spec).map_err(|e| anyhow::anyhow!("{name}: {e}"))?;
    let mut err = std::io::stderr();
    for note in &flow.notes {
        writeln!(err, "{}: note: {note}", path.display())?;
    }
    match scenario::parse(&edited) {
        Ok(checked) => {
            let before = warnings_of(&text);
            let new: Vec<_> = checked
                .warnings
                .into_iter()
                .filter(|w| !before.contains(&(w.code, w.message.clone())))
                .collect();
            if !new.is_empty() {
                let label = format!("{name} (with the imported campaign)");
                eprint!("{}", scenario::render(&label, &edited, &new));
            }
        }
        Err(diagnostics) => {
            let label = format!("{name} (as the import would write it)");
            eprint!("{}", scenario::render(&label, &edited, &diagnostics));
            eprintln!("{name} was not changed");
            return Ok(ExitCode::FAILURE);
        }
    }
    write_atomically(into, &edited)?;
    let stages: Vec<String> = flow
        .techniques
        .stages()
        .iter()
        .filter(|(_, ids)| !ids.is_empty())
        .map(|(stage, ids)| format!("{} {}", ids.len(), stage.replace('_', " ")))
        .collect();
    writeln!(
        std::io::stdout(),
        "{} -> {name}: campaign `{}` ({}, actor `{}`) with {} techniques: {}",
        path.display(),
        spec.id,
        flow::kind_name(spec.kind),
        spec.actor,
        flow.order.len(),
        stages.join(", ")
    )?;
    Ok(ExitCode::SUCCESS)
}

/// The warnings a scenario has before the import, to report only the ones it adds.
fn warnings_of(text: &str) -> Vec<(scenario::Code, String)> {
    scenario::parse(text)
        .map(|c| {
            c.warnings
                .into_iter()
                .map(|w| (w.code, w.message))
                .collect()
        })
        .unwrap_or_default()
}

/// A flow file, refused beyond 64 MiB (the published flows are under 100 KiB).
fn read_flow_text(path: &Path) -> anyhow::Result<String> {
    const MAX_FLOW_BYTES: u64 = 64 << 20;
    let size = std::fs::metadata(path)
        .with_context(|| format!("cannot read flow `{}`", path.display()))?
        .len();
    if size > MAX_FLOW_BYTES {
        bail!(
            "`{}` is {size} bytes; an Attack Flow bundle is at most {MAX_FLOW_BYTES} bytes here",
            path.display()
        );
    }
    let bytes =
        std::fs::read(path).with_context(|| format!("cannot read flow `{}`", path.display()))?;
    String::from_utf8(bytes)
        .map_err(|e| anyhow::anyhow!("`{}` is not UTF-8 text: {e}", path.display()))
}

/// A campaign kind by its name in the scenario format.
fn parse_kind(name: &str) -> anyhow::Result<CampaignKind> {
    serde_json::from_value(serde_json::Value::String(name.to_string())).map_err(|_| {
        anyhow::anyhow!(
            "`--kind {name}` is not a campaign kind: use phishing, identity_theft, fake_website, ddos, ransomware, malware or harmful_content"
        )
    })
}
