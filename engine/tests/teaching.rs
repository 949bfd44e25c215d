//! What the exercise must teach, as properties of the model over many seeds of the
//! bundled scenarios (the figures are in `docs/model.md`, "What the model must show"):
//! no economy loses more than it produces; doing nothing costs the APEC region a
//! believable share of its output; an unprepared economy misses many intrusions;
//! cooperation beats responding alone, which beats not responding; and an economy that
//! raises its readiness loses less.
//!
//! Every (scenario, policy) is run once for all seeds and shared by the tests that need
//! it.

use std::sync::OnceLock;

use cyberdrill_engine::Simulation;
use cyberdrill_engine::command::Actor;
use cyberdrill_engine::detection::is_intrusion;
use cyberdrill_engine::metrics::Metrics;
use cyberdrill_engine::policy::{Policy, play_round};
use cyberdrill_engine::scenario::model::{CampaignKind, Readiness};
use cyberdrill_engine::scenario::{self, Scenario, bundled};

const SEEDS: std::ops::Range<u64> = 0..40;
const SCENARIOS: [&str; 3] = ["tutorial", "apec-regional", "itu-cirt-drill"];
const POLICIES: [Policy; 3] = [Policy::Idle, Policy::Isolated, Policy::Cooperative];

/// Technical readiness below this: the least-prepared economies.
const LEAST_PREPARED: u8 = 30;

/// What one run leaves behind that the tests look at.
struct Outcome {
    metrics: Metrics,
    /// Every intrusion (not a flood, not a hazard): its economy and whether it was found.
    intrusions: Vec<(usize, bool)>,
}

fn load(name: &str) -> Scenario {
    let Some((_, text)) = bundled::find(name) else {
        panic!("no bundled scenario {name}");
    };
    match scenario::parse(text) {
        Ok(checked) => checked.scenario,
        Err(diagnostics) => panic!("{name} does not load: {diagnostics:?}"),
    }
}

/// Runs the whole scenario with every team played by `policy`.
fn run(scenario: &Scenario, seed: u64, policy: Policy) -> Outcome {
    let mut sim = Simulation::new(scenario.clone(), seed);
    while !sim.is_finished() {
        play_round(&mut sim, policy);
        sim.step();
    }
    let view = sim.view(Actor::Facilitator);
    let intrusions = view
        .incidents
        .iter()
        .filter_map(|i| {
            let kind = i.kind?;
            let hazard = matches!(
                kind,
                CampaignKind::NaturalDisaster | CampaignKind::TechnicalFailure
            );
            is_intrusion(kind, hazard).then_some((i.economy.index(), i.detected_at.is_some()))
        })
        .collect();
    Outcome {
        metrics: sim.metrics(),
        intrusions,
    }
}

/// The runs of one bundled scenario under one policy, computed once.
fn runs(name: &str, policy: Policy) -> &'static [Outcome] {
    static RUNS: [[OnceLock<Vec<Outcome>>; 3]; 3] = [const { [const { OnceLock::new() }; 3] }; 3];
    let Some(s) = SCENARIOS.iter().position(|n| *n == name) else {
        panic!("{name} is not one of {SCENARIOS:?}");
    };
    let Some(p) = POLICIES.iter().position(|q| *q == policy) else {
        panic!("{policy} is not one of {POLICIES:?}");
    };
    RUNS[s][p].get_or_init(|| {
        let scenario = load(name);
        SEEDS.map(|seed| run(&scenario, seed, policy)).collect()
    })
}

fn mean(values: impl Iterator<Item = f64>) -> f64 {
    let (sum, n) = values.fold((0.0, 0usize), |(s, n), v| (s + v, n + 1));
    sum / n as f64
}

fn mean_loss(name: &str, policy: Policy) -> f64 {
    mean(runs(name, policy).iter().map(|o| o.metrics.regional_loss))
}

#[test]
fn no_economy_ever_loses_more_than_its_output_over_the_exercise() {
    for name in SCENARIOS {
        for policy in POLICIES {
            for (seed, outcome) in SEEDS.zip(runs(name, policy)) {
                for economy in &outcome.metrics.economies {
                    assert!(
                        economy.loss <= economy.output,
                        "{name} {policy} seed {seed}: {} lost {:.0} of an output of {:.0}",
                        economy.id,
                        economy.loss,
                        economy.output
                    );
                    let parts = economy.loss_breakdown;
                    assert!(
                        (parts.total() - economy.loss).abs() <= 1e-6 * economy.loss.max(1.0),
                        "{name} {policy} seed {seed}: {}'s breakdown does not add up",
                        economy.id
                    );
                }
            }
        }
    }
}

#[test]
fn doing_nothing_costs_the_apec_region_one_to_twenty_percent_of_its_output() {
    let outcomes = runs("apec-regional", Policy::Idle);
    let output: f64 = outcomes[0].metrics.economies.iter().map(|e| e.output).sum();
    let share = mean_loss("apec-regional", Policy::Idle) / output;
    println!(
        "apec-regional idle: mean regional loss {:.2}% of output",
        100.0 * share
    );
    assert!(
        (0.01..=0.20).contains(&share),
        "idle regional loss is {:.2}% of the region's output, not 1-20%",
        100.0 * share
    );
}

#[test]
fn an_unprepared_economy_misses_many_intrusions() {
    for name in ["apec-regional", "itu-cirt-drill"] {
        let scenario = load(name);
        let technical: Vec<u8> = scenario
            .economies
            .iter()
            .map(|e| e.readiness.technical)
            .collect();
        let mut median: Vec<u8> = technical.clone();
        median.sort_unstable();
        let middle = median[median.len() / 2];
        // (found, all) among the least prepared, the lower half and the upper half.
        let mut least = (0usize, 0usize);
        let mut lower = (0usize, 0usize);
        let mut upper = (0usize, 0usize);
        for outcome in runs(name, Policy::Idle) {
            for &(economy, found) in &outcome.intrusions {
                let tally = |t: &mut (usize, usize)| {
                    t.0 += usize::from(found);
                    t.1 += 1;
                };
                if technical[economy] < LEAST_PREPARED {
                    tally(&mut least);
                }
                if technical[economy] < middle {
                    tally(&mut lower);
                } else {
                    tally(&mut upper);
                }
            }
        }
        let share = |t: (usize, usize)| t.0 as f64 / t.1.max(1) as f64;
        println!(
            "{name} idle: found {:.0}% of {} intrusions in the least prepared, {:.0}% below the median technical readiness, {:.0}% above",
            100.0 * share(least),
            least.1,
            100.0 * share(lower),
            100.0 * share(upper)
        );
        assert!(
            least.1 > 0,
            "{name}: no intrusions in the least-prepared economies"
        );
        assert!(
            share(least) <= 0.8,
            "{name}: idle, the least-prepared economies found {:.0}% of their intrusions; at least 20% must stay hidden",
            100.0 * share(least)
        );
        assert!(
            share(upper) > share(lower),
            "{name}: better technical readiness must find more: {:.0}% vs {:.0}%",
            100.0 * share(upper),
            100.0 * share(lower)
        );
    }
}

/// Mean children the material reached, and the share of them safeguarded, over the seeds.
fn mean_children(name: &str, policy: Policy) -> (f64, f64) {
    let outcomes = runs(name, policy);
    let total = |f: fn(&cyberdrill_engine::protection::Children) -> f64| {
        outcomes
            .iter()
            .flat_map(|o| &o.metrics.economies)
            .filter_map(|e| e.children.as_ref().map(f))
            .sum::<f64>()
    };
    let exposed = total(|c| c.exposed);
    let safeguarded = total(|c| c.safeguarded);
    let share = if exposed > 0.0 {
        safeguarded / exposed
    } else {
        1.0
    };
    (exposed / SEEDS.count() as f64, share)
}

/// Child online protection (ITU COP Guidelines 2020): responding finds and blocks the
/// material, cooperation (shared indicators, referrals, takedown where it is hosted)
/// reaches fewer children and safeguards most of those it reached; doing nothing
/// safeguards none.
#[test]
fn cooperation_protects_more_children_than_isolation_and_idle_none() {
    let name = "itu-cirt-drill";
    let (idle, idle_share) = mean_children(name, Policy::Idle);
    let (isolated, isolated_share) = mean_children(name, Policy::Isolated);
    let (cooperative, cooperative_share) = mean_children(name, Policy::Cooperative);
    println!(
        "{name}: mean children exposed over {} seeds (safeguarded share): idle {idle:.0} ({idle_share:.2}), isolated {isolated:.0} ({isolated_share:.2}), cooperative {cooperative:.0} ({cooperative_share:.2})",
        SEEDS.count()
    );
    assert!(
        idle_share == 0.0,
        "{name}: idle safeguarded {idle_share:.2}"
    );
    assert!(
        isolated <= 0.85 * idle,
        "{name}: responding alone must reach 15% fewer children: isolated {isolated:.0}, idle {idle:.0}"
    );
    assert!(
        cooperative <= 0.85 * isolated,
        "{name}: cooperation must reach 15% fewer children: cooperative {cooperative:.0}, isolated {isolated:.0}"
    );
    assert!(
        cooperative_share >= 0.6 && cooperative_share > isolated_share,
        "{name}: cooperation must safeguard most children reached, more than isolation: {cooperative_share:.2} vs {isolated_share:.2}"
    );
}

#[test]
fn cooperation_beats_isolation_beats_doing_nothing() {
    for name in ["apec-regional", "itu-cirt-drill"] {
        let idle = mean_loss(name, Policy::Idle);
        let isolated = mean_loss(name, Policy::Isolated);
        let cooperative = mean_loss(name, Policy::Cooperative);
        println!(
            "{name}: mean regional loss over {} seeds: idle {idle:.0}, isolated {isolated:.0} ({:.2}), cooperative {cooperative:.0} ({:.2})",
            SEEDS.count(),
            isolated / idle,
            cooperative / isolated
        );
        assert!(
            isolated <= 0.85 * idle,
            "{name}: responding alone must cut the loss by 15% or more: isolated {isolated:.0}, idle {idle:.0}"
        );
        assert!(
            cooperative <= 0.85 * isolated,
            "{name}: cooperation must cut the loss by 15% or more: cooperative {cooperative:.0}, isolated {isolated:.0}"
        );
    }
    let isolated = runs("apec-regional", Policy::Isolated);
    let cooperative = runs("apec-regional", Policy::Cooperative);
    let wins = cooperative
        .iter()
        .zip(isolated)
        .filter(|(c, i)| c.metrics.regional_loss <= i.metrics.regional_loss)
        .count();
    println!(
        "apec-regional: cooperative <= isolated in {wins} of {} seeds",
        SEEDS.count()
    );
    assert!(
        wins * 5 >= SEEDS.count() * 4,
        "apec-regional: cooperation must not lose more than isolation in 80% of seeds: {wins} of {}",
        SEEDS.count()
    );
}

#[test]
fn raising_an_economys_readiness_lowers_its_own_loss() {
    let base = load("apec-regional");
    let Some(index) = base.economies.iter().position(|e| e.id == "ruv") else {
        panic!("apec-regional has no economy `ruv`");
    };
    let mut prepared = base.clone();
    prepared.economies[index].readiness = Readiness {
        legal: 70,
        technical: 70,
        organizational: 70,
        capacity: 70,
        cooperation: 70,
    };
    prepared.economies[index].awareness = 70;
    let before = mean(
        runs("apec-regional", Policy::Isolated)
            .iter()
            .map(|o| o.metrics.economies[index].loss),
    );
    let after = mean(
        SEEDS.map(|seed| run(&prepared, seed, Policy::Isolated).metrics.economies[index].loss),
    );
    println!("ruv mean loss: readiness as filed {before:.0}, raised to 70 {after:.0}");
    assert!(
        after < 0.8 * before,
        "raised readiness must cut ruv's own loss by 20% or more: {after:.0} vs {before:.0}"
    );
}
