//! Decision points: offered when their trigger holds, settled by a team's `decide` or by
//! the default at the deadline, their effects applied at the start of the next tick,
//! journaled as commands (a replay rebuilds them) and visible to inject conditions.

use super::*;
use crate::command::Command;
use crate::decisions::Settlement;
use crate::policy::{self, Policy};
use crate::scenario::model::{
    ActionCondition, Audience, CampaignIdx, Condition, Decision, DecisionIdx, DecisionOption,
    EconomyIdx, Effect, Inject, RansomPolicy, TeamIdx, Trigger,
};
use crate::testkit::two_economies;

const STRONG: EconomyIdx = EconomyIdx(0);
const STRONG_CSIRT: TeamIdx = TeamIdx(0);
const STRONG_REGULATOR: TeamIdx = TeamIdx(1);
const WEAK_CSIRT: TeamIdx = TeamIdx(4);
const RANSOM: DecisionIdx = DecisionIdx(0);
const RANSOMWARE: CampaignIdx = CampaignIdx(0);

/// The two-economy region with one decision, offered to the strong economy's CSIRT
/// and regulator at tick 3: pay (trust -5), refuse (recommended) or negotiate; the
/// default after 4 ticks is to refuse. An inject reports a payment.
fn with_decision(recommended: Option<usize>) -> Scenario {
    let mut scenario = two_economies();
    let option = |id: &str, policy: RansomPolicy, trust: f64, n: usize| DecisionOption {
        id: id.into(),
        label: id.into(),
        text: String::new(),
        effects: vec![
            Effect::Ransom {
                economy: STRONG,
                campaign: Some(RANSOMWARE),
                policy,
            },
            Effect::AdjustTrust {
                economy: STRONG,
                delta: trust,
            },
        ],
        recommended: recommended == Some(n),
    };
    scenario.decisions.push(Decision {
        id: "ransom".into(),
        title: "Pay the ransom?".into(),
        text: String::new(),
        trigger: Trigger::At(3),
        teams: vec![STRONG_CSIRT, STRONG_REGULATOR],
        deadline: Some(4),
        default: Some(1),
        options: vec![
            option("pay", RansomPolicy::Pay, -5.0, 0),
            option("refuse", RansomPolicy::Refuse, 0.0, 1),
            option("negotiate", RansomPolicy::Negotiate, -1.0, 2),
        ],
    });
    scenario.injects.push(Inject {
        id: "paid".into(),
        headline: "The gang confirms payment".into(),
        text: String::new(),
        trigger: Trigger::When(Condition::Action(ActionCondition::Decision {
            decision: RANSOM,
            option: Some(0),
            include_default: false,
        })),
        audience: Audience::All,
        effects: Vec::new(),
        msel: Default::default(),
    });
    scenario
}

fn trust(sim: &Simulation) -> f64 {
    sim.view(Actor::Facilitator).economies[STRONG.index()].trust
}

fn steps(sim: &mut Simulation, n: u32) {
    for _ in 0..n {
        sim.step();
    }
}

#[test]
fn a_decision_is_offered_at_its_trigger_to_its_teams_only() {
    let mut sim = Simulation::new(with_decision(None), 1);
    steps(&mut sim, 2);
    assert!(sim.view(Actor::Team(STRONG_CSIRT)).decisions.is_empty());
    let refused = sim.submit(
        Actor::Team(STRONG_CSIRT),
        Command::Decide {
            decision: RANSOM,
            option: 0,
        },
    );
    assert!(
        matches!(refused, Err(CommandError::DecisionNotOffered { .. })),
        "{refused:?}"
    );
    sim.step();
    let view = sim.view(Actor::Team(STRONG_CSIRT));
    assert_eq!(view.decisions.len(), 1);
    let d = &view.decisions[0];
    assert_eq!(
        (d.offered_at, d.deadline_at, d.default),
        (3, Some(7), Some(1))
    );
    assert!(d.is_open());
    let effects = &d.options[0].effects;
    assert_eq!(effects.len(), 2, "{effects:?}");
    // Each ransom option gives the sum it pays (or refuses) in context: the campaign's
    // demand for one compromised system, as a share of the economy's output.
    let scenario = with_decision(None);
    let demand = crate::economics::ransom(&scenario.campaigns[0], &scenario.economies[0]);
    let output = crate::economics::exercise_output(&scenario, Some(STRONG));
    let in_context = |sum: f64| crate::money::in_context(sum, output, "strong economy");
    assert_eq!(
        effects[0],
        format!(
            "strong economy pays the ransom: {}, for each compromised system ({})",
            in_context(demand),
            scenario.campaigns[0].name
        )
    );
    assert_eq!(effects[1], "trust in strong economy -5 points");
    assert!(
        d.options[1].effects[0].contains(&format!(
            "refuses to pay a demand of {}",
            in_context(demand)
        )),
        "{:?}",
        d.options[1]
    );
    assert!(
        d.options[2].effects[0].contains(&format!(
            "pays 85% of the demand, {},",
            in_context(0.85 * demand)
        )),
        "{:?}",
        d.options[2]
    );
    assert!(sim.view(Actor::Team(WEAK_CSIRT)).decisions.is_empty());
    let not_mine = sim.submit(
        Actor::Team(WEAK_CSIRT),
        Command::Decide {
            decision: RANSOM,
            option: 0,
        },
    );
    assert!(
        matches!(not_mine, Err(CommandError::NotYourDecision { .. })),
        "{not_mine:?}"
    );
    let no_such_option = sim.submit(
        Actor::Team(STRONG_CSIRT),
        Command::Decide {
            decision: RANSOM,
            option: 3,
        },
    );
    assert!(
        matches!(no_such_option, Err(CommandError::UnknownTarget { .. })),
        "{no_such_option:?}"
    );
}

#[test]
fn a_choice_applies_its_effects_next_tick_and_conditions_see_it() {
    let mut sim = Simulation::new(with_decision(None), 1);
    steps(&mut sim, 3);
    let before = trust(&sim);
    let accepted = sim
        .submit(
            Actor::Team(STRONG_REGULATOR),
            Command::Decide {
                decision: RANSOM,
                option: 0,
            },
        )
        .expect("offered to the regulator");
    assert!(
        accepted.message().contains("Pay the ransom? pay"),
        "{accepted:?}"
    );
    assert_eq!(accepted.task, None);
    // Settled at once (nobody else can choose), applied at the next tick.
    let again = sim.submit(
        Actor::Team(STRONG_CSIRT),
        Command::Decide {
            decision: RANSOM,
            option: 1,
        },
    );
    assert!(
        matches!(again, Err(CommandError::AlreadyDecided { .. })),
        "{again:?}"
    );
    assert_eq!(trust(&sim), before);
    sim.step();
    assert!(
        trust(&sim) <= before - 4.0,
        "trust {} from {before}",
        trust(&sim)
    );
    assert_eq!(
        sim.ransom_policies().get(STRONG, RANSOMWARE),
        Some(RansomPolicy::Pay)
    );
    assert_eq!(
        sim.decision_points().0[0].settled,
        Some(Settlement {
            option: 0,
            by: Some(STRONG_REGULATOR),
            at: 3,
            applied: true
        })
    );
    let settled = sim.view(Actor::Team(STRONG_CSIRT)).decisions[0].settled;
    assert_eq!(
        settled.map(|s| (s.option, s.by)),
        Some((0, Some(STRONG_REGULATOR)))
    );
    steps(&mut sim, 1);
    let fired: Vec<String> = sim.injects_fired().into_iter().map(|f| f.id).collect();
    assert!(fired.contains(&"paid".to_string()), "{fired:?}");
}

#[test]
fn without_a_choice_the_default_applies_at_the_deadline_by_nobody() {
    let mut sim = Simulation::new(with_decision(None), 1);
    steps(&mut sim, 6);
    assert!(
        sim.decision_points().0[0].settled.is_none(),
        "open until tick 7"
    );
    sim.step();
    let settled = sim.decision_points().0[0].settled;
    assert_eq!(settled.map(|s| (s.option, s.by, s.at)), Some((1, None, 7)));
    assert_eq!(
        sim.ransom_policies().get(STRONG, RANSOMWARE),
        Some(RansomPolicy::Refuse)
    );
    while !sim.is_finished() {
        sim.step();
    }
    assert!(
        sim.injects_fired().iter().all(|f| f.id != "paid"),
        "a default is not a payment"
    );
}

#[test]
fn bots_take_the_recommended_option_and_idle_leaves_the_default() {
    for (policy, recommended, expected) in [
        (Policy::Isolated, Some(2), (2, true)),
        (Policy::Cooperative, Some(0), (0, true)),
        (Policy::Cooperative, None, (1, false)),
        (Policy::Idle, Some(0), (1, false)),
    ] {
        let mut sim = Simulation::new(with_decision(recommended), 3);
        policy::play_until(&mut sim, policy, 12);
        let settled = sim.decision_points().0[0].settled.expect("settled");
        assert_eq!(
            (settled.option, settled.by.is_some()),
            expected,
            "{policy} with {recommended:?}"
        );
        if settled.by.is_some() {
            // The first team offered decides, at once.
            assert_eq!((settled.by, settled.at), (Some(STRONG_CSIRT), 3));
        }
    }
}

#[test]
fn a_choice_is_part_of_the_state_hash() {
    let scenario = with_decision(None);
    let run = |option: Option<u32>| {
        let mut sim = Simulation::new(scenario.clone(), 9);
        steps(&mut sim, 3);
        if let Some(option) = option {
            sim.submit(
                Actor::Team(STRONG_CSIRT),
                Command::Decide {
                    decision: RANSOM,
                    option,
                },
            )
            .expect("open");
        }
        steps(&mut sim, 2);
        sim.state_hash()
    };
    assert_eq!(run(Some(2)), run(Some(2)));
    assert_ne!(run(Some(2)), run(Some(0)));
    assert_ne!(run(Some(1)), run(None), "chosen now, or the default later");
}
