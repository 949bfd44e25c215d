//! Spam through the facade, seeded: a spam run against both economies' telecom providers
//! reaches people past filtering and makes fraud victims; each defence (providers
//! filtering more, by an inject's effect or a regulator's coordination, and awareness)
//! cuts what reaches people or who responds, in every seed.

use super::*;
use crate::command::Command;
use crate::scenario::model::{
    AssetIdx, Audience, CampaignIdx, CampaignKind, EconomyIdx, Effect, Inject, Msel, SectorIdx,
    TeamIdx, Trigger,
};
use crate::spam::{Spam, SpamTally};
use crate::testkit::two_economies;

const SPAM: CampaignIdx = CampaignIdx(1);
const TELECOM: SectorIdx = SectorIdx(1);
const STRONG_CSIRT: TeamIdx = TeamIdx(0);
const STRONG_REGULATOR: TeamIdx = TeamIdx(1);
const WEAK_CSIRT: TeamIdx = TeamIdx(4);
const WEAK_REGULATOR: TeamIdx = TeamIdx(5);

/// The two-economy region with campaign 1 as a spam run from tick 1 against both telecom
/// providers (a million people each), a response rate high enough to make victims in a
/// short run.
fn region() -> Scenario {
    let mut scenario = two_economies();
    let spam = &mut scenario.campaigns[SPAM.index()];
    spam.kind = CampaignKind::Spam;
    spam.targets = vec![AssetIdx(1), AssetIdx(4)];
    spam.start = Some(1);
    spam.intensity = 2;
    spam.messages = 1.0;
    spam.response_rate = 0.001;
    spam.victim_loss = Some(100.0);
    for asset in [1, 4] {
        scenario.assets[asset].people_served = 1_000_000;
    }
    scenario
}

/// The region's spam at the end of a run in which `act` is done at the start.
fn run(scenario: Scenario, seed: u64, act: &[(TeamIdx, Command)]) -> SpamTally {
    let mut sim = Simulation::new(scenario, seed);
    for (team, command) in act {
        if let Err(err) = sim.submit(Actor::Team(*team), command.clone()) {
            panic!("{command:?} refused: {err}");
        }
    }
    while !sim.is_finished() {
        sim.step();
    }
    let metrics = sim.metrics();
    let from_metrics = metrics
        .economies
        .iter()
        .filter_map(|e| e.spam)
        .fold(0.0, |sum, t| sum + t.reached);
    let tally = sim.world.resource::<Spam>().tally(None);
    assert!(
        (from_metrics - tally.reached).abs() < 1e-6,
        "run --json agrees"
    );
    tally
}

#[test]
fn filtering_and_awareness_each_reduce_the_spam_reaching_people() {
    for seed in 1..=4 {
        let base = run(region(), seed, &[]);
        assert!(base.reached > 0.0, "seed {seed}: the run reaches people");
        assert!(base.responded > 0.0, "seed {seed}: and makes victims");
        assert!(
            (base.reached - base.sent * 0.01).abs() < 1e-6 * base.sent,
            "seed {seed}: 99% filtered by default"
        );

        // An inject (as a decision's option would) has the providers filter 99.9%.
        let mut filtered = region();
        filtered.injects.push(Inject {
            id: "filter".into(),
            headline: "Providers block the run".into(),
            text: String::new(),
            trigger: Trigger::At(0),
            audience: Audience::All,
            effects: [EconomyIdx(0), EconomyIdx(1)]
                .map(|economy| Effect::SpamFiltering {
                    economy,
                    value: 99.9,
                })
                .to_vec(),
            msel: Msel::default(),
        });
        let filtered = run(filtered, seed, &[]);
        assert!(
            filtered.reached < 0.5 * base.reached,
            "seed {seed}: filtering stops spam reaching people: {} vs {}",
            filtered.reached,
            base.reached
        );
        assert!(filtered.responded < base.responded);

        // Regulators coordinating the telecom operators: providers filter more.
        let coordinate = Command::CoordinateOperators { sector: TELECOM };
        let coordinated = run(
            region(),
            seed,
            &[
                (STRONG_REGULATOR, coordinate.clone()),
                (WEAK_REGULATOR, coordinate),
            ],
        );
        assert!(
            coordinated.reached < base.reached,
            "seed {seed}: coordination filters more: {} vs {}",
            coordinated.reached,
            base.reached
        );

        // Awareness campaigns: fewer of the people reached respond.
        let aware = run(
            region(),
            seed,
            &[
                (STRONG_CSIRT, Command::AwarenessCampaign),
                (WEAK_CSIRT, Command::AwarenessCampaign),
            ],
        );
        let rate = |t: &SpamTally| t.responded / t.reached;
        assert!(
            rate(&aware) < rate(&base),
            "seed {seed}: aware people respond less: {} vs {}",
            rate(&aware),
            rate(&base)
        );
        assert!(aware.responded < base.responded);
    }
}
