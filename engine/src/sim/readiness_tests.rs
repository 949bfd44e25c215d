//! Readiness that moves: training at home and capacity-building assistance raise an
//! economy's pillars when they end, booked by cause, hashed, in the self-assessment, and
//! every duration read after that is the shorter one of the trained score.

use super::*;
use crate::command::{Command, Pillar};
use crate::readiness::{self, ReadinessCause};
use crate::scenario::model::{EconomyIdx, Readiness, TeamIdx};
use crate::sim::rules::work_ticks;
use crate::testkit::two_economies;
use crate::world::{Done, Pillars};

const STRONG: EconomyIdx = EconomyIdx(0);
const WEAK: EconomyIdx = EconomyIdx(1);
const STRONG_CSIRT: TeamIdx = TeamIdx(0);
const WEAK_CSIRT: TeamIdx = TeamIdx(4);
const WEAK_REGULATOR: TeamIdx = TeamIdx(5);

/// The region with no campaign running, for long enough to train several times: only
/// the teams' own actions change it.
fn quiet_region() -> Scenario {
    let mut scenario = two_economies();
    scenario.meta.duration_ticks = 200;
    for campaign in &mut scenario.campaigns {
        campaign.start = None;
    }
    scenario
}

fn pillars(sim: &Simulation, economy: EconomyIdx) -> Readiness {
    match sim.world.resource::<Ids<EconomyIdx>>().get(economy) {
        Some(e) => match sim.world.get::<Pillars>(e) {
            Some(p) => p.0,
            None => panic!("economy {economy:?} has no pillars"),
        },
        None => panic!("no economy {economy:?}"),
    }
}

/// Submits `command` for `team`, steps until its task is done and returns the ticks it
/// took.
fn run_task(sim: &mut Simulation, team: TeamIdx, command: Command) -> u32 {
    let accepted = match sim.submit(Actor::Team(team), command.clone()) {
        Ok(accepted) => accepted,
        Err(refused) => panic!("{command:?} refused: {refused}"),
    };
    let Some(task) = accepted.task else {
        panic!("{command:?} started no task");
    };
    let Some(entity) = sim.world.resource::<Ids<TaskId>>().get(task) else {
        panic!("no task {task:?}");
    };
    let started = sim.tick();
    for _ in 0..100 {
        sim.step();
        if sim.world.get::<Done>(entity).is_some() {
            return sim.tick() - started;
        }
    }
    panic!("{command:?} never finished");
}

#[test]
fn training_raises_the_pillar_when_it_ends_booked_as_training() {
    let mut sim = Simulation::new(quiet_region(), 1);
    let start = pillars(&sim, WEAK);
    let ticks = run_task(
        &mut sim,
        WEAK_CSIRT,
        Command::Train {
            pillar: Pillar::Technical,
        },
    );
    // It took the capacity-scaled time of its catalogue entry, two analysts.
    assert_eq!(ticks, work_ticks(12, start.capacity, 60));
    let now = pillars(&sim, WEAK);
    let gained = readiness::gain(readiness::TRAINING_GAIN, start.technical);
    assert!(gained > 0);
    assert_eq!(now.technical, start.technical + gained);
    assert_eq!(
        (now.legal, now.capacity),
        (start.legal, start.capacity),
        "only the trained pillar moves"
    );
    assert_eq!(pillars(&sim, STRONG), sim.scenario().economies[0].readiness);
    let assessment = sim.metrics().economies[1].self_assessment;
    let Some(assessment) = assessment else {
        panic!("no self-assessment in the metrics");
    };
    assert_eq!((assessment.start, assessment.end), (start, now));
    assert_eq!(
        assessment.moves.parts(),
        vec![(Pillar::Technical, ReadinessCause::Training, gained)]
    );
    // The team sees its own economy's moves; everyone sees the scores (published).
    let own = sim.view(Actor::Team(WEAK_CSIRT));
    assert_eq!(own.economies[1].readiness, Some(now));
    assert_eq!(own.economies[1].readiness_moves, Some(assessment.moves));
    let other = sim.view(Actor::Team(STRONG_CSIRT));
    assert_eq!(other.economies[1].readiness, Some(now));
    assert_eq!(other.economies[1].readiness_moves, None);
}

#[test]
fn a_trained_pillar_shortens_every_action_that_reads_it() {
    let mut trained = Simulation::new(quiet_region(), 1);
    let mut untrained = Simulation::new(quiet_region(), 1);
    let start = pillars(&trained, WEAK).capacity;
    // Capacity development until it rose at least 9 points: 9 x 0.12 > 1 tick off a
    // 12-tick base.
    while pillars(&trained, WEAK).capacity < start + 9 {
        run_task(
            &mut trained,
            WEAK_CSIRT,
            Command::Train {
                pillar: Pillar::Capacity,
            },
        );
    }
    while untrained.tick() < trained.tick() {
        untrained.step();
    }
    let campaign = |sim: &mut Simulation| run_task(sim, WEAK_REGULATOR, Command::AwarenessCampaign);
    let (fast, slow) = (campaign(&mut trained), campaign(&mut untrained));
    assert_eq!(slow, work_ticks(12, start, 60));
    assert!(fast < slow, "trained {fast} ticks, untrained {slow}");
    assert_ne!(trained.state_hash(), untrained.state_hash());
}

#[test]
fn capacity_building_lifts_the_other_economy_never_above_the_trainers() {
    let mut sim = Simulation::new(quiet_region(), 1);
    let strong = pillars(&sim, STRONG);
    let weak = pillars(&sim, WEAK);
    assert!(strong.legal > weak.legal);
    run_task(
        &mut sim,
        STRONG_CSIRT,
        Command::BuildCapacity {
            to: WEAK,
            pillar: Pillar::Legal,
        },
    );
    let gained = readiness::gain(readiness::ASSISTANCE_GAIN, weak.legal);
    assert_eq!(pillars(&sim, WEAK).legal, weak.legal + gained);
    assert_eq!(
        pillars(&sim, STRONG),
        strong,
        "the trainers' own score stays"
    );
    let Some(assessment) = sim.metrics().economies[1].self_assessment else {
        panic!("no self-assessment");
    };
    assert_eq!(
        assessment.moves.parts(),
        vec![(Pillar::Legal, ReadinessCause::Assistance, gained)]
    );
    // The weak cannot teach the strong what they do not know.
    run_task(
        &mut sim,
        WEAK_CSIRT,
        Command::BuildCapacity {
            to: STRONG,
            pillar: Pillar::Legal,
        },
    );
    assert_eq!(pillars(&sim, STRONG), strong);
    // Capacity building goes abroad; at home it is training.
    let refused = sim.submit(
        Actor::Team(STRONG_CSIRT),
        Command::BuildCapacity {
            to: STRONG,
            pillar: Pillar::Legal,
        },
    );
    assert!(
        matches!(refused, Err(CommandError::OwnEconomy { .. })),
        "{refused:?}"
    );
}

/// An action is hours of work: with two-hour ticks training takes half the ticks it
/// takes with hourly ones (rounded up), with half-hour ticks twice as many, the same
/// time on the clock within a tick.
#[test]
fn an_action_takes_the_same_hours_whatever_the_tick_length() {
    let mut took = Vec::new();
    for minutes in [30, 60, 120] {
        let mut scenario = quiet_region();
        scenario.meta.tick_minutes = minutes;
        let mut sim = Simulation::new(scenario, 1);
        let capacity = pillars(&sim, WEAK).capacity;
        let ticks = run_task(
            &mut sim,
            WEAK_CSIRT,
            Command::Train {
                pillar: Pillar::Technical,
            },
        );
        assert_eq!(
            ticks,
            work_ticks(12, capacity, minutes),
            "{minutes}-minute ticks"
        );
        took.push((
            minutes,
            ticks,
            u32::from(12 * (150 - u16::from(capacity))) * 60 / 100,
        ));
    }
    for (minutes, ticks, work_minutes) in took {
        let on_clock = ticks * minutes;
        assert!(
            on_clock >= work_minutes && on_clock <= work_minutes + minutes,
            "{minutes}-minute ticks: {ticks} ticks for {work_minutes} minutes of work"
        );
    }
}
