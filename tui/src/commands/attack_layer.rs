//! `cyberdrill attack-layer FILE|JOURNAL --out layer.json`: the ATT&CK techniques of a
//! scenario's campaigns as a MITRE ATT&CK Navigator layer, to show trainees and
//! planners which techniques the exercise covers. From a journal, each technique is
//! coloured by what happened in the run: red when every incident of its campaigns went
//! undetected, green when all were detected, shades between.
//!
//! Layer format 4.5 (ATT&CK Navigator 5.x, enterprise domain); techniques carry no
//! tactic, so the Navigator marks them under every tactic they belong to.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, bail};
use clap::Args;
use cyberdrill_engine::command::Actor;
use cyberdrill_engine::journal::read_journal;
use cyberdrill_engine::replay::replay;
use cyberdrill_engine::scenario::Scenario;
use cyberdrill_engine::scenario::coverage::{self, Seen, Technique};
use serde_json::{Value, json};

/// Arguments of `cyberdrill attack-layer`.
#[derive(Debug, Args)]
pub struct AttackLayerArgs {
    /// Scenario file (TOML) or bundled name; or a journal (of `play`, `serve` or `run
    /// --journal`) to colour the techniques by what was detected in that run.
    pub input: PathBuf,
    /// Where to write the layer (JSON).
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
}

/// Runs `cyberdrill attack-layer`.
pub fn run(args: &AttackLayerArgs) -> anyhow::Result<ExitCode> {
    let is_journal = looks_like_journal(&args.input);
    let (name, layer) = if is_journal {
        let journal = read_journal(&args.input)
            .with_context(|| format!("cannot read journal `{}`", args.input.display()))?;
        let outcome = replay(&journal, false)?;
        let scenario = outcome.simulation.scenario();
        let seen =
            coverage::seen_per_campaign(scenario, &outcome.simulation.view(Actor::Facilitator));
        (
            journal.header.scenario_file.clone(),
            layer(scenario, Some(&seen)),
        )
    } else {
        let loaded = crate::commands::outcome::load_named(&args.input)?;
        let layer = layer(&loaded.scenario, None);
        (loaded.name, layer)
    };
    let count = layer["techniques"].as_array().map_or(0, Vec::len);
    if count == 0 {
        bail!(
            "{name}: no campaign lists ATT&CK techniques; add `techniques = {{ initial_access = [\"T1566\"] }}` to a campaign (see scenarios/README.md)"
        );
    }
    let text = serde_json::to_string_pretty(&layer)?;
    std::fs::write(&args.out, text + "\n")
        .with_context(|| format!("cannot write `{}`", args.out.display()))?;
    writeln!(
        std::io::stdout(),
        "{name}: {count} techniques written to {} (open it in the ATT&CK Navigator: Open Existing Layer)",
        args.out.display()
    )?;
    Ok(ExitCode::SUCCESS)
}

/// A journal is JSON lines, each after its CRC-32 in hex (`E97D5624 {...}`; format 1
/// journals may start with the JSON); a scenario is TOML, which starts with neither.
fn looks_like_journal(path: &Path) -> bool {
    use std::io::Read as _;
    let mut head = [0u8; 256];
    let Ok(n) = std::fs::File::open(path).and_then(|mut f| f.read(&mut head)) else {
        return false;
    };
    let text = head[..n].trim_ascii_start();
    let checksummed = text.len() > 9
        && text[..8].iter().all(u8::is_ascii_hexdigit)
        && text[8] == b' '
        && text[9] == b'{';
    checksummed || text.first() == Some(&b'{')
}

const GREEN: &str = "#66bb6a";
const RED: &str = "#ef5350";
const BLUE: &str = "#64b5f6";

/// The Navigator layer of a scenario's techniques; with `seen`, scored by the share of
/// their campaigns' incidents detected (0-100).
pub fn layer(scenario: &Scenario, seen: Option<&[Seen]>) -> Value {
    let techniques = coverage::techniques(scenario, seen);
    let entries: Vec<Value> = techniques
        .iter()
        .map(|Technique { id, uses, seen: run, .. }| {
            let mut entry = json!({
                "techniqueID": id,
                "enabled": true,
                "showSubtechniques": false,
                "comment": format!("used by {}", uses.join("; ")),
                "metadata": uses.iter().map(|u| json!({ "name": "campaign", "value": u })).collect::<Vec<_>>(),
            });
            match seen {
                None => entry["color"] = json!(BLUE),
                Some(_) => {
                    let total = run.detected + run.missed;
                    match (100 * u64::from(run.detected)).checked_div(u64::from(total)) {
                        None => {
                            entry["comment"] = json!(format!(
                                "used by {}; no incident in this run",
                                uses.join("; ")
                            ));
                        }
                        Some(score) => {
                            entry["score"] = json!(score);
                            entry["comment"] = json!(format!(
                                "used by {}; {} of {} incidents detected",
                                uses.join("; "),
                                run.detected,
                                total
                            ));
                        }
                    }
                }
            }
            entry
        })
        .collect();
    let description = match seen {
        None => format!(
            "ATT&CK techniques of the campaigns of {}",
            scenario.meta.title
        ),
        Some(_) => format!(
            "ATT&CK techniques of the campaigns of {}, scored by the share of their incidents detected in the run (0 red: all missed, 100 green: all detected)",
            scenario.meta.title
        ),
    };
    let mut layer = json!({
        "name": scenario.meta.title,
        "versions": { "layer": "4.5", "navigator": "5.1.0", "attack": "16" },
        "domain": "enterprise-attack",
        "description": description,
        "sorting": 0,
        "hideDisabled": false,
        "techniques": entries,
        "legendItems": [],
        "showTacticRowBackground": false,
        "selectTechniquesAcrossTactics": true,
        "selectSubtechniquesWithParent": false,
    });
    if seen.is_some() {
        layer["gradient"] =
            json!({ "colors": [RED, "#ffee58", GREEN], "minValue": 0, "maxValue": 100 });
        layer["legendItems"] = json!([
            { "label": "all incidents missed", "color": RED },
            { "label": "all incidents detected", "color": GREEN },
        ]);
    } else {
        layer["legendItems"] = json!([{ "label": "used by a campaign", "color": BLUE }]);
    }
    layer
}
