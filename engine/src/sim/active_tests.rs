//! Work proportional to change (`crate::active`) against visiting every asset.

use super::*;
use crate::policy::{Policy, play_round};
use crate::scenario::generate::{GenerateOptions, generate};

/// The state hash at every tick of `scenario` played by `policy`, with the per-asset
/// passes visiting only what changed (`visit_all` false) or every asset.
fn hashes_visiting(scenario: &Scenario, seed: u64, policy: Policy, visit_all: bool) -> Vec<String> {
    let mut sim = Simulation::new(scenario.clone(), seed);
    sim.visit_every_asset(visit_all);
    let mut hashes = vec![sim.state_hash().to_hex()];
    while !sim.is_finished() {
        play_round(&mut sim, policy);
        sim.step();
        hashes.push(sim.state_hash().to_hex());
    }
    hashes
}

/// Work proportional to change gives bit for bit the state of visiting every asset:
/// the bundled regional exercise and a generated world of several service chunks,
/// under every policy, over several seeds, compared at every tick.
#[test]
fn visiting_only_what_changed_gives_the_state_of_visiting_every_asset() {
    let regional = match crate::scenario::parse(crate::scenario::bundled::APEC_REGIONAL) {
        Ok(checked) => checked.scenario,
        Err(diagnostics) => panic!("apec-regional does not load: {diagnostics:?}"),
    };
    let raw = generate(GenerateOptions {
        economies: 3,
        assets: 5_000,
        seed: 3,
    });
    let mut generated = match crate::scenario::validate(&raw) {
        Ok(checked) => checked.scenario,
        Err(diagnostics) => panic!(
            "the generated world does not load: {:?}",
            diagnostics.first()
        ),
    };
    generated.meta.duration_ticks = generated.meta.duration_ticks.min(120);
    assert!(generated.assets.len() > 2 * crate::active::SERVICE_CHUNK);
    for (scenario, seeds) in [(&regional, 0..4), (&generated, 0..2)] {
        for policy in Policy::ALL {
            for seed in seeds.clone() {
                let changed = hashes_visiting(scenario, seed, policy, false);
                let all = hashes_visiting(scenario, seed, policy, true);
                let differ = changed.iter().zip(&all).position(|(a, b)| a != b);
                assert_eq!(
                    differ, None,
                    "{} seed {seed} {policy}: the states part at that tick",
                    scenario.meta.title
                );
                assert_eq!(changed.len(), all.len());
            }
        }
    }
}

/// Team `team`'s bot view as its bot reads it: the sight a bot round lends it, turned
/// back into a view.
fn sight_of(sim: &Simulation, team: TeamIdx) -> View {
    match sim.first_bot_move([team], |sight| Some(sight.to_view())) {
        Some((_, view)) => view,
        None => panic!("team {team:?} has no sight"),
    }
}

/// Bots' views read from what is kept up to date as the exercise goes (each team's
/// tasks still shown, incidents known, the economies' public figures of the tick), and
/// the sights bots decide from (what is kept lent, not copied), are the views read from
/// every item, for every team at every tick of cooperative runs of the bundled regional
/// exercise, of the ITU drill (harmful content referred) and of a generated world, and
/// the bots decide from their sight what they decide from the reference view, and the
/// bots' moves give the same state at every tick: so the bots decide exactly as from
/// the full reading.
#[test]
fn bot_views_kept_up_to_date_are_the_views_of_every_item() {
    let bundled = |text: &str| match crate::scenario::parse(text) {
        Ok(checked) => checked.scenario,
        Err(diagnostics) => panic!("a bundled scenario does not load: {diagnostics:?}"),
    };
    let regional = bundled(crate::scenario::bundled::APEC_REGIONAL);
    let drill = bundled(crate::scenario::bundled::ITU_CIRT_DRILL);
    let raw = generate(GenerateOptions {
        economies: 4,
        assets: 800,
        seed: 5,
    });
    let mut generated = match crate::scenario::validate(&raw) {
        Ok(checked) => checked.scenario,
        Err(diagnostics) => panic!(
            "the generated world does not load: {:?}",
            diagnostics.first()
        ),
    };
    generated.meta.duration_ticks = generated.meta.duration_ticks.min(80);
    let mut referred = 0;
    for (scenario, seeds) in [(&regional, 0..3), (&drill, 0..2), (&generated, 0..1)] {
        for seed in seeds {
            let mut kept = Simulation::new(scenario.clone(), seed);
            let mut every = Simulation::new(scenario.clone(), seed);
            every.visit_every_asset(true);
            let mut tasks_seen = 0;
            while !kept.is_finished() {
                for t in 0..scenario.teams.len() {
                    let team = TeamIdx(t as u32);
                    let reference = every.bot_view(team);
                    let view = kept.bot_view(team);
                    let at = || format!("{} seed {seed}: team {t}", scenario.meta.title);
                    assert_eq!(view, reference, "{}'s view at tick {}", at(), kept.tick());
                    assert_eq!(
                        sight_of(&kept, team),
                        reference,
                        "{}'s sight at tick {}",
                        at(),
                        kept.tick()
                    );
                    assert_eq!(
                        sight_of(&every, team),
                        reference,
                        "{}'s sight of every item at tick {}",
                        at(),
                        kept.tick()
                    );
                    let decided = kept.first_bot_move([team], |sight| {
                        Some(crate::policy::decide_from(Policy::Cooperative, sight))
                    });
                    assert_eq!(
                        decided.map(|(_, commands)| commands),
                        Some(crate::policy::decide(Policy::Cooperative, &reference)),
                        "{}'s moves at tick {}",
                        at(),
                        kept.tick()
                    );
                    tasks_seen += view.tasks.len();
                    referred += view.incidents.iter().filter(|i| i.referred).count();
                }
                play_round(&mut kept, Policy::Cooperative);
                play_round(&mut every, Policy::Cooperative);
                kept.step();
                every.step();
                assert_eq!(
                    kept.state_hash(),
                    every.state_hash(),
                    "{} seed {seed}: the bots' moves part at tick {}",
                    scenario.meta.title,
                    kept.tick()
                );
            }
            assert!(
                tasks_seen > 100,
                "the bots worked ({tasks_seen} tasks seen)"
            );
        }
    }
    assert!(referred > 0, "no referred incident was ever in view");
}

/// A server sends many seats their views at once and builds the economies they do not
/// own once for them all: each seat must see exactly what its own full view shows, for
/// every team and the facilitator, with the whole history, a window and none.
#[test]
fn views_sharing_the_public_economies_are_each_seats_own_view() {
    let regional = match crate::scenario::parse(crate::scenario::bundled::APEC_REGIONAL) {
        Ok(checked) => checked.scenario,
        Err(diagnostics) => panic!("apec-regional does not load: {diagnostics:?}"),
    };
    let mut sim = Simulation::new(regional.clone(), 2);
    let viewers: Vec<Actor> = (0..regional.teams.len() as u32)
        .map(|t| Actor::Team(TeamIdx(t)))
        .chain([Actor::Facilitator])
        .collect();
    let mut compared = 0;
    while !sim.is_finished() {
        if sim.tick() % 7 == 3 {
            let since = sim.tick().saturating_sub(4);
            for window in [
                HistoryWindow::Full,
                HistoryWindow::After(since),
                HistoryWindow::Omitted,
            ] {
                let public = sim.public_economies(window);
                for &viewer in &viewers {
                    assert_eq!(
                        sim.view_sharing(viewer, window, &public),
                        sim.view_with(viewer, window),
                        "{viewer:?}'s view at tick {} ({window:?})",
                        sim.tick()
                    );
                    compared += 1;
                }
            }
        }
        play_round(&mut sim, Policy::Cooperative);
        sim.step();
    }
    assert!(compared > 100, "only {compared} views compared");
}
