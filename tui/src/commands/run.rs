//! `cyberdrill run`: a headless run of a scenario with every team played by one bot
//! policy, for authors balancing a scenario and analysts comparing policies.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use cyberdrill_engine::Simulation;
use cyberdrill_engine::command::Actor;
use cyberdrill_engine::journal::{Header, JournalWriter};
use cyberdrill_engine::money;
use cyberdrill_engine::policy::Policy;
use cyberdrill_engine::replay::Recorder;
use cyberdrill_engine::view::HistoryWindow;

use super::outcome::{RunOutcome, load_file_or_bundled, play_bots};

/// Arguments of `cyberdrill run`.
#[derive(Debug, clap::Args)]
pub struct RunArgs {
    /// Scenario file, or the name of a bundled scenario (tutorial, apec-regional, itu-cirt-drill).
    pub file: PathBuf,
    /// Seed of the simulation's random stream.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// Stop after this many ticks (default: the scenario's whole length).
    #[arg(long)]
    pub ticks: Option<u32>,
    /// Bot policy playing every team: idle, isolated or cooperative.
    #[arg(long, default_value = "cooperative")]
    pub policy: Policy,
    /// Print one JSON object instead of a readable summary.
    #[arg(long)]
    pub json: bool,
    /// Journal the run (scenario, seed, every bot command, state hash per tick) to this new
    /// file, for `replay` and `report`.
    #[arg(long)]
    pub journal: Option<PathBuf>,
}

/// Runs the scenario and prints the result.
pub fn run(args: RunArgs) -> anyhow::Result<ExitCode> {
    let (text, scenario) = load_file_or_bundled(&args.file)?;
    let policy = args.policy.to_string();
    // The journal's header, which holds the scenario's text, is written before the world
    // is built, and the text is let go: a large scenario's text is not kept while the
    // world takes its memory (a million assets: 16 MB).
    let writer = match &args.journal {
        Some(path) => {
            let header = Header::new(
                args.file.display().to_string(),
                text,
                args.seed,
                format!("run --policy {policy}"),
            )
            .with_bots(policy.clone());
            let writer = JournalWriter::create(path, &header).with_context(|| {
                "choose a new journal file: an existing journal is never overwritten".to_string()
            })?;
            Some(writer)
        }
        None => {
            drop(text);
            None
        }
    };
    let mut sim = Simulation::new(scenario, args.seed);
    let limit = args
        .ticks
        .unwrap_or(u32::MAX)
        .min(sim.scenario().meta.duration_ticks);
    if let Some(writer) = writer {
        let mut recorder = Recorder::new(sim, writer);
        play_bots(&mut recorder, args.policy, limit)?;
        sim = recorder.into_parts().0;
    } else {
        play_bots(&mut sim, args.policy, limit)?;
    }
    let report = RunOutcome::of(&sim, &policy);
    let mut out = std::io::stdout().lock();
    if args.json {
        serde_json::to_writer(&mut out, &report).context("cannot write the JSON report")?;
        writeln!(out)?;
    } else {
        write_summary(&mut out, &sim, &report)?;
    }
    Ok(ExitCode::SUCCESS)
}

fn write_summary(
    out: &mut impl Write,
    sim: &Simulation,
    report: &RunOutcome,
) -> std::io::Result<()> {
    let m = &report.metrics;
    let meta = &sim.scenario().meta;
    writeln!(out, "{} ({})", meta.title, meta.id)?;
    writeln!(
        out,
        "seed {}, policy {}, {} of {} ticks ({} min each)",
        report.seed, report.policy, report.ticks, meta.duration_ticks, meta.tick_minutes
    )?;
    writeln!(out, "state hash {}", report.state_hash)?;
    writeln!(out)?;
    let region_output: f64 = m.economies.iter().map(|e| e.output).sum();
    writeln!(
        out,
        "regional loss       {} ({})",
        money::exact(m.regional_loss),
        money::in_context(m.regional_loss, region_output, "the region")
    )?;
    writeln!(
        out,
        "mean availability   {:.1}%",
        m.mean_availability * 100.0
    )?;
    writeln!(out, "lowest trust        {:.1}", m.min_trust)?;
    writeln!(
        out,
        "incidents           {} ({} detected, {} contained, {} recovered)",
        m.incidents, m.detected, m.contained, m.recovered
    )?;
    writeln!(
        out,
        "mean time to detect {}, contain {}, recover {} (ticks)",
        ticks(m.mean_time_to_detect),
        ticks(m.mean_time_to_contain),
        ticks(m.mean_time_to_recover)
    )?;
    writeln!(out)?;
    // The loss's share of the economy's output for the exercise, and what moved trust
    // (the facilitator's view has every economy's).
    writeln!(
        out,
        "{:<24} {:>16} {:>9} {:>7} {:>8}  what moved trust",
        "economy", "loss", "of output", "trust", "service"
    )?;
    let view = sim.view_with(Actor::Facilitator, HistoryWindow::Omitted);
    for e in &m.economies {
        let moved = view
            .economies
            .iter()
            .find(|v| v.id == e.id)
            .and_then(|v| v.trust_moves)
            .map_or_else(|| "-".to_string(), |moves| moves.words());
        writeln!(
            out,
            "{:<24} {:>16} {:>9} {:>7.1} {:>7.1}%  {moved}",
            e.id,
            money::exact(e.loss),
            money::share(e.loss, e.output),
            e.trust,
            e.service * 100.0
        )?;
    }
    if !report.objectives.is_empty() {
        writeln!(out)?;
        writeln!(
            out,
            "{:<28} {:<20} {:>6} {:>6}",
            "objective", "scope", "weight", "score"
        )?;
        for o in &report.objectives {
            writeln!(
                out,
                "{:<28} {:<20} {:>6.1} {:>5.0}%",
                o.id,
                o.scope,
                o.weight,
                o.score * 100.0
            )?;
        }
    }
    Ok(())
}

fn ticks(value: Option<f64>) -> String {
    value.map_or("-".to_string(), |v| format!("{v:.1}"))
}

#[cfg(test)]
mod tests {
    use cyberdrill_engine::Simulation;
    use cyberdrill_engine::command::Actor;
    use cyberdrill_engine::money;
    use cyberdrill_engine::policy::Policy;
    use cyberdrill_engine::scenario::{self, bundled};

    use super::{RunOutcome, play_bots, write_summary};

    /// The text summary puts every loss in context (the region's in a sentence, each
    /// economy's as its share of its output) and says what moved each economy's trust.
    #[test]
    fn the_summary_puts_losses_in_context_and_says_what_moved_trust() {
        let checked = scenario::parse(bundled::TUTORIAL).expect("bundled scenario");
        let mut sim = Simulation::new(checked.scenario, 1);
        play_bots(&mut sim, Policy::Idle, 12).expect("bots play");
        let report = RunOutcome::of(&sim, "idle");
        let mut out = Vec::new();
        write_summary(&mut out, &sim, &report).expect("write");
        let text = String::from_utf8_lossy(&out);
        let m = &report.metrics;
        assert!(m.regional_loss > 0.0, "the idle tutorial loses money");
        let region: f64 = m.economies.iter().map(|e| e.output).sum();
        assert!(
            text.contains(&money::in_context(m.regional_loss, region, "the region")),
            "{text}"
        );
        let view = sim.view(Actor::Facilitator);
        for (e, seen) in m.economies.iter().zip(&view.economies) {
            let Some(line) = text.lines().find(|l| l.starts_with(&format!("{} ", e.id))) else {
                panic!("no line for {} in {text}", e.id);
            };
            assert!(line.contains(&money::share(e.loss, e.output)), "{line}");
            let Some(moves) = seen.trust_moves else {
                panic!("the facilitator sees what moved trust");
            };
            assert!(line.ends_with(&moves.words()), "{line}");
        }
        assert!(text.contains("what moved trust"), "{text}");
    }
}
