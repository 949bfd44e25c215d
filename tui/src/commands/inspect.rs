//! `cyberdrill inspect FILE [--json]`: what a scenario contains, for authors. FILE may be
//! a bundled scenario's name (`tutorial`), as for every command that takes a scenario.

use std::fmt::Write as _;
use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use cyberdrill_engine::scenario::{self, Scenario, bundled};
use serde_json::json;

/// Loads the file and prints its summary, readable or as one JSON object.
pub fn run(path: &Path, as_json: bool) -> anyhow::Result<ExitCode> {
    let bundled_name = !path.exists() && path.to_str().and_then(bundled::find).is_some();
    let loaded = match scenario::load_file(path) {
        Err(scenario::LoadError::Io { .. }) if bundled_name => {
            cyberdrill_tui::outcome::load_named(path)?
        }
        Ok(loaded) => loaded,
        Err(err) => {
            eprint!("{err}");
            if matches!(err, scenario::LoadError::Io { .. }) {
                eprintln!();
            }
            return Ok(ExitCode::from(1));
        }
    };
    let s = &loaded.scenario;
    if as_json {
        writeln!(
            std::io::stdout(),
            "{}",
            serde_json::to_string_pretty(&summary_json(s))?
        )?;
    } else {
        write!(std::io::stdout(), "{}", summary_text(s))?;
    }
    Ok(ExitCode::SUCCESS)
}

/// The counts shown by both forms.
struct Counts {
    dependencies: usize,
    cross_border: usize,
}

fn counts(s: &Scenario) -> Counts {
    Counts {
        dependencies: s.assets.iter().map(|a| a.depends_on().len()).sum(),
        cross_border: s.cross_border_dependencies(),
    }
}

/// `{"title", "economies", "teams", "counts"}`.
pub fn summary_json(s: &Scenario) -> serde_json::Value {
    let c = counts(s);
    json!({
        "title": s.meta.title,
        "economies": s.economies.iter().map(|e| json!({"id": e.id, "name": e.name})).collect::<Vec<_>>(),
        "teams": s.teams.iter().map(|t| json!({
            "id": t.id,
            "role": role_name(t.role),
            "economy": s.economies[t.economy.index()].id,
        })).collect::<Vec<_>>(),
        "counts": {
            "sectors": s.sectors.len(),
            "assets": s.assets.len(),
            "dependencies": c.dependencies,
            "cross_border_dependencies": c.cross_border,
            "campaigns": s.campaigns.len(),
            "injects": s.injects.len(),
            "objectives": s.objectives.len(),
        },
    })
}

fn role_name(role: scenario::model::Role) -> String {
    serde_json::to_value(role)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_else(|| format!("{role:?}"))
}

/// A few readable lines per part of the scenario.
fn summary_text(s: &Scenario) -> String {
    let c = counts(s);
    let mut out = String::new();
    let m = &s.meta;
    let _ = writeln!(out, "{} ({})", m.title, m.id);
    let _ = writeln!(
        out,
        "  {} ticks of {} minutes{}",
        m.duration_ticks,
        m.tick_minutes,
        m.start_label
            .as_ref()
            .map(|l| format!(", starting {l}"))
            .unwrap_or_default()
    );
    let _ = writeln!(out, "economies ({}):", s.economies.len());
    for e in &s.economies {
        let assets = s
            .assets
            .iter()
            .filter(|a| s.economies[a.economy.index()].id == e.id)
            .count();
        let _ = writeln!(
            out,
            "  {:<12} {} (population {}, {} assets, trust {})",
            e.id, e.name, e.population, assets, e.trust
        );
    }
    let _ = writeln!(out, "teams ({}):", s.teams.len());
    for t in &s.teams {
        let _ = writeln!(
            out,
            "  {:<12} {} ({}, {}, {} analysts)",
            t.id,
            t.name,
            role_name(t.role),
            s.economies[t.economy.index()].id,
            t.analysts
        );
    }
    let _ = writeln!(out, "sectors: {}", s.sectors.len());
    let _ = writeln!(
        out,
        "assets: {} with {} dependencies ({} across borders)",
        s.assets.len(),
        c.dependencies,
        c.cross_border
    );
    let _ = writeln!(out, "campaigns ({}):", s.campaigns.len());
    for k in &s.campaigns {
        let start = k
            .start
            .map_or_else(|| "on inject".to_owned(), |t| format!("tick {t}"));
        let _ = writeln!(
            out,
            "  {:<12} {} ({} targets, starts {start})",
            k.id,
            k.name,
            k.targets.len()
        );
    }
    let _ = writeln!(out, "injects: {}", s.injects.len());
    let _ = writeln!(out, "objectives: {}", s.objectives.len());
    out
}
