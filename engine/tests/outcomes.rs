//! The world credits only what players did: over 40 seeds of every bundled scenario, a
//! run where nobody acts (`idle`) has no campaign stopped by legal action, mutual legal
//! assistance or a takedown, and no inject that reports the result of a player's action
//! fires; where teams cooperate, the law stops campaigns in most seeds.

use cyberdrill_engine::Simulation;
use cyberdrill_engine::outcomes::Achieved;
use cyberdrill_engine::outcomes::StopCause;
use cyberdrill_engine::policy::{Policy, play_until};
use cyberdrill_engine::scenario::model::{ActionCondition, Condition, IncidentState, Trigger};
use cyberdrill_engine::scenario::{self, Scenario, bundled};

const SEEDS: std::ops::Range<u64> = 0..40;

fn load(name: &str, text: &str) -> Scenario {
    match scenario::parse(text) {
        Ok(checked) => checked.scenario,
        Err(diagnostics) => panic!("{name} does not load: {diagnostics:?}"),
    }
}

/// The whole scenario with every team played by `policy`.
fn run(scenario: &Scenario, seed: u64, policy: Policy) -> Simulation {
    let mut sim = Simulation::new(scenario.clone(), seed);
    let Ok(()) = play_until(&mut sim, policy, u32::MAX);
    sim
}

/// Whether a condition can only hold after some team acted: it needs an action's
/// record, an investigation, a containment or a recovery (detection and impact happen
/// by themselves), or an inject that needs one.
fn needs_action(scenario: &Scenario, condition: &Condition) -> bool {
    match condition {
        // A decision's default applies at its deadline with nobody acting.
        Condition::Action(ActionCondition::Decision {
            include_default, ..
        }) => !include_default,
        Condition::Action(_) => true,
        Condition::Reached { state, .. } => *state != IncidentState::Detected,
        Condition::After { condition, .. } => needs_action(scenario, condition),
        Condition::All(list) => list.iter().any(|c| needs_action(scenario, c)),
        Condition::Any(list) => !list.is_empty() && list.iter().all(|c| needs_action(scenario, c)),
        Condition::InjectFired(inject) => trigger_needs_action(scenario, inject.index()),
        _ => false,
    }
}

fn trigger_needs_action(scenario: &Scenario, inject: usize) -> bool {
    match &scenario.injects[inject].trigger {
        Trigger::When(condition) => needs_action(scenario, condition),
        Trigger::After { inject, .. } => trigger_needs_action(scenario, inject.index()),
        Trigger::At(_) | Trigger::Manual => false,
    }
}

fn stopped_by_law(sim: &Simulation) -> usize {
    sim.campaign_runs()
        .iter()
        .filter(|c| {
            matches!(
                c.stopped_by,
                Some(StopCause::LegalAction | StopCause::Mla | StopCause::Takedown)
            )
        })
        .count()
}

#[test]
fn idle_runs_credit_no_action_nobody_took() {
    for (name, text) in bundled::all() {
        let scenario = load(name, text);
        let reporting: Vec<&str> = (0..scenario.injects.len())
            .filter(|&i| trigger_needs_action(&scenario, i))
            .map(|i| scenario.injects[i].id.as_str())
            .collect();
        for seed in SEEDS {
            let sim = run(&scenario, seed, Policy::Idle);
            // Only decision points settled by their default at the deadline: nobody chose.
            let achieved: Vec<_> = sim
                .outcomes()
                .iter()
                .filter(|o| !matches!(o.what, Achieved::Decided { by: None, .. }))
                .collect();
            assert!(achieved.is_empty(), "{name} seed {seed}: {achieved:?}");
            assert_eq!(stopped_by_law(&sim), 0, "{name} seed {seed}");
            let fired: Vec<String> = sim
                .injects_fired()
                .into_iter()
                .map(|f| f.id)
                .filter(|id| reporting.contains(&id.as_str()))
                .collect();
            assert!(
                fired.is_empty(),
                "{name} seed {seed}: injects reporting a player's action fired under idle: {fired:?}"
            );
        }
    }
}

#[test]
fn the_regional_scenarios_report_player_results_only_through_conditions_on_them() {
    for (name, text) in bundled::all() {
        let scenario = load(name, text);
        let reporting = (0..scenario.injects.len())
            .filter(|&i| trigger_needs_action(&scenario, i))
            .count();
        assert!(
            reporting >= 2,
            "{name}: only {reporting} inject(s) wait for a player's action"
        );
    }
}

#[test]
fn cooperating_teams_stop_campaigns_through_the_law_in_most_seeds() {
    for name in ["apec-regional", "itu-cirt-drill"] {
        let Some((file, text)) = bundled::find(name) else {
            panic!("{name} is not bundled");
        };
        let scenario = load(file, text);
        let seeds = SEEDS
            .filter(|&seed| stopped_by_law(&run(&scenario, seed, Policy::Cooperative)) > 0)
            .count();
        assert!(
            seeds * 2 > SEEDS.count(),
            "{name}: legal action, MLA or a takedown stopped a campaign in only {seeds} of {} seeds",
            SEEDS.count()
        );
    }
}
