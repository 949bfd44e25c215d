//! The model's calibration figures (`docs/model.md`, "What the model must show"): every
//! bundled scenario run to its end with every team played by each bot policy, over seeds
//! `0..SEEDS` (default 40). Per policy it prints the mean regional loss and its share of
//! the region's output, the loss by cause, the largest share of its own output any one
//! economy lost, victims of fraud, the intrusions the least-prepared economies (technical
//! readiness below 30) never found, the share of detected incidents found internally, the
//! mean outage loss by sector, and per economy
//! `id:t<technical readiness>:<share of intrusions found>:<loss as % of output>`; then the
//! margins the must-hold tests check.
//!
//! `cargo run --release -p cyberdrill-engine --example calibrate` (`SEEDS=10` for fewer
//! seeds, `SCEN=apec` or `itu,tut` for some scenarios only).

use cyberdrill_engine::Simulation;
use cyberdrill_engine::command::Actor;
use cyberdrill_engine::detection::is_intrusion;
use cyberdrill_engine::policy::{Policy, play_round};
use cyberdrill_engine::scenario::model::CampaignKind;
use cyberdrill_engine::scenario::{self, bundled};

fn main() {
    let seeds: u64 = std::env::var("SEEDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(40);
    let which = std::env::var("SCEN").unwrap_or_else(|_| "apec,itu,tut".into());
    for (name, text) in [
        ("apec", bundled::APEC_REGIONAL),
        ("itu", bundled::ITU_CIRT_DRILL),
        ("tut", bundled::TUTORIAL),
    ] {
        if !which.contains(name) {
            continue;
        }
        let sc = match scenario::parse(text) {
            Ok(c) => c.scenario,
            Err(diagnostics) => {
                eprintln!("bundled scenario {name} does not load: {diagnostics:?}");
                std::process::exit(1);
            }
        };
        let ne = sc.economies.len();
        let mut means = Vec::new();
        let mut per_seed: Vec<Vec<f64>> = Vec::new();
        println!("== {name}");
        for policy in [Policy::Idle, Policy::Isolated, Policy::Cooperative] {
            let mut losses = Vec::new();
            let mut causes = [0.0; 5];
            let mut max_ratio: f64 = 0.0;
            let mut out_total = 0.0;
            let mut e_loss = vec![0.0; ne];
            let mut e_out = vec![0.0; ne];
            let mut det_by_e = vec![(0usize, 0usize); ne];
            let mut weak = (0usize, 0usize);
            let (mut internal, mut outside) = (0u32, 0u32);
            let mut victims = 0.0;
            let mut by_sector = vec![0.0; sc.sectors.len()];
            for seed in 0..seeds {
                let mut sim = Simulation::new(sc.clone(), seed);
                while !sim.is_finished() {
                    play_round(&mut sim, policy);
                    sim.step();
                }
                let m = sim.metrics();
                losses.push(m.regional_loss);
                internal += m.found_by.internal;
                outside += m.found_by.outside;
                out_total = m.economies.iter().map(|e| e.output).sum::<f64>();
                for (e, em) in m.economies.iter().enumerate() {
                    let b = em.loss_breakdown;
                    for (k, v) in [b.direct, b.dependencies, b.fraud, b.ransom, b.recovery]
                        .iter()
                        .enumerate()
                    {
                        causes[k] += v / seeds as f64;
                    }
                    max_ratio = max_ratio.max(em.loss / em.output);
                    e_loss[e] += em.loss / seeds as f64;
                    e_out[e] = em.output;
                    victims += em.victims / seeds as f64;
                    for part in &em.loss_by_sector {
                        if let Some(s) = sc.sectors.iter().position(|s| s.id == part.sector) {
                            by_sector[s] += part.loss / seeds as f64;
                        }
                    }
                }
                let view = sim.view(Actor::Facilitator);
                for i in &view.incidents {
                    let Some(kind) = i.kind else { continue };
                    let hazard = matches!(
                        kind,
                        CampaignKind::NaturalDisaster | CampaignKind::TechnicalFailure
                    );
                    if !is_intrusion(kind, hazard) {
                        continue;
                    }
                    let e = i.economy.index();
                    det_by_e[e].1 += 1;
                    if i.detected_at.is_some() {
                        det_by_e[e].0 += 1;
                    }
                    if sc.economies[e].readiness.technical < 30 {
                        weak.1 += 1;
                        if i.detected_at.is_none() {
                            weak.0 += 1;
                        }
                    }
                }
            }
            let mean = losses.iter().sum::<f64>() / seeds as f64;
            means.push(mean);
            per_seed.push(losses);
            println!(
                "{policy:>11}: mean ${:.3}bn = {:.2}% of output | direct {:.0}M dep {:.0}M fraud {:.0}M ransom {:.1}M recov {:.1}M | max econ loss/output {:.3} | victims {:.0}",
                mean / 1e9,
                100.0 * mean / out_total,
                causes[0] / 1e6,
                causes[1] / 1e6,
                causes[2] / 1e6,
                causes[3] / 1e6,
                causes[4] / 1e6,
                max_ratio,
                victims
            );
            println!(
                "             undetected intrusions in least prepared {:.0}% ({} of {}), internal share {:.0}%",
                100.0 * weak.0 as f64 / weak.1.max(1) as f64,
                weak.0,
                weak.1,
                100.0 * internal as f64 / (internal + outside).max(1) as f64
            );
            let mut sectors = String::new();
            for (s, sector) in sc.sectors.iter().enumerate() {
                sectors += &format!(" {}:{:.1}M", sector.id, by_sector[s] / 1e6);
            }
            println!("             outages by sector{sectors}");
            let mut line = String::new();
            for (e, ec) in sc.economies.iter().enumerate() {
                line += &format!(
                    " {}:t{}:{:.0}%:{:.2}%",
                    ec.id,
                    ec.readiness.technical,
                    100.0 * det_by_e[e].0 as f64 / det_by_e[e].1.max(1) as f64,
                    100.0 * e_loss[e] / e_out[e]
                );
            }
            println!("            {line}");
        }
        let (idle, iso, coop) = (means[0], means[1], means[2]);
        let wins = per_seed[2]
            .iter()
            .zip(&per_seed[1])
            .filter(|(c, i)| c <= i)
            .count();
        println!(
            "   margins: iso/idle {:.3} (need <=0.85), coop/iso {:.3} (need <=0.85); coop<=iso in {}/{} seeds",
            iso / idle,
            coop / iso,
            wins,
            seeds
        );
    }
}
