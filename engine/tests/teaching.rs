//! The teaching point of both source documents, as a property of the model: over many
//! seeds of the bundled APEC regional scenario, cooperation beats responding alone,
//! which beats not responding; and an economy that raises its readiness loses less.

use cyberdrill_engine::Simulation;
use cyberdrill_engine::policy::{Policy, play_round};
use cyberdrill_engine::scenario::bundled::APEC_REGIONAL;
use cyberdrill_engine::scenario::model::Readiness;
use cyberdrill_engine::scenario::{self, Scenario};

const SEEDS: std::ops::Range<u64> = 1..25;

fn apec() -> Scenario {
    match scenario::parse(APEC_REGIONAL) {
        Ok(checked) => checked.scenario,
        Err(diagnostics) => panic!("apec-regional.toml does not load: {diagnostics:?}"),
    }
}

/// Runs the whole scenario with every team played by `policy`.
fn run(scenario: &Scenario, seed: u64, policy: Policy) -> Simulation {
    let mut sim = Simulation::new(scenario.clone(), seed);
    while !sim.is_finished() {
        play_round(&mut sim, policy);
        sim.step();
    }
    sim
}

fn mean(values: impl Iterator<Item = f64>) -> f64 {
    let (sum, n) = values.fold((0.0, 0usize), |(s, n), v| (s + v, n + 1));
    sum / n as f64
}

#[test]
fn cooperative_beats_isolated_beats_idle_on_regional_loss() {
    let scenario = apec();
    let loss =
        |policy| mean(SEEDS.map(|seed| run(&scenario, seed, policy).metrics().regional_loss));
    let idle = loss(Policy::Idle);
    let isolated = loss(Policy::Isolated);
    let cooperative = loss(Policy::Cooperative);
    println!(
        "mean regional loss over {} seeds: idle {idle:.0}, isolated {isolated:.0}, cooperative {cooperative:.0}",
        SEEDS.count()
    );
    assert!(
        isolated < 0.5 * idle,
        "responding must at least halve the loss: isolated {isolated:.0}, idle {idle:.0}"
    );
    assert!(
        cooperative < 0.85 * isolated,
        "cooperation must cut the loss by 15% or more: cooperative {cooperative:.0}, isolated {isolated:.0}"
    );
}

#[test]
fn raising_an_economys_readiness_lowers_its_own_loss() {
    let base = apec();
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
    let own_loss = |scenario: &Scenario| {
        mean(
            SEEDS.map(|seed| run(scenario, seed, Policy::Isolated).metrics().economies[index].loss),
        )
    };
    let before = own_loss(&base);
    let after = own_loss(&prepared);
    println!("ruv mean loss: readiness as filed {before:.0}, raised to 70 {after:.0}");
    assert!(
        after < 0.8 * before,
        "raised readiness must cut ruv's own loss by 20% or more: {after:.0} vs {before:.0}"
    );
}
