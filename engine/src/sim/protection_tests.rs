//! Child online protection through the facade: harmful content reaches children while it
//! is up, referral (or a takedown naming the incident) safeguards them, local blocking
//! only stops it reaching more; the children objectives score it and `run --json`
//! reports it per economy.

use super::*;
use crate::command::{Command, IncidentId};
use crate::protection::ChildProtection;
use crate::scenario::model::{
    AssetIdx, CampaignIdx, CampaignKind, EconomyIdx, Goal, Objective, ObjectiveScope, TeamIdx,
};
use crate::testkit::two_economies;
use crate::view::{Source, Stage};
use crate::world::{Detected, Done, Hit, Impacted, Intrusion, Investigated, Knowing, KnownBy};

const STRONG: EconomyIdx = EconomyIdx(0);
const WEAK: EconomyIdx = EconomyIdx(1);
const STRONG_CSIRT: TeamIdx = TeamIdx(0);
const STRONG_POLICE: TeamIdx = TeamIdx(3);
const WEAK_POLICE: TeamIdx = TeamIdx(7);
const CONTENT: CampaignIdx = CampaignIdx(1);

/// The two-economy region with campaign 1 as harmful content hosted in both economies
/// (it never starts by itself: the tests place its incidents), a regional objective of
/// 80% of children safeguarded and one of at most 5 children reached in `strong`.
fn region(kind: CampaignKind) -> Scenario {
    let mut scenario = two_economies();
    let content = &mut scenario.campaigns[CONTENT.index()];
    content.kind = kind;
    content.start = None;
    content.victim_rate = 1.0;
    content.victim_loss = None;
    content.hosting = vec![STRONG, WEAK];
    scenario.assets[2].people_served = 1_000_000;
    scenario.objectives = vec![
        Objective {
            id: "safeguard".into(),
            description: "80% of children safeguarded".into(),
            scope: ObjectiveScope::Region,
            weight: 1.0,
            goal: Goal::ChildrenSafeguarded {
                economy: None,
                share: 0.8,
            },
        },
        Objective {
            id: "exposure".into(),
            description: "at most 5 children reached".into(),
            scope: ObjectiveScope::Region,
            weight: 1.0,
            goal: Goal::ChildrenExposedAtMost {
                economy: Some(STRONG),
                count: 5.0,
            },
        },
    ];
    scenario
}

/// An investigated incident of campaign 1 at impact on the strong economy's bank (one
/// million people served), known at home and, shared, in `weak`.
fn material(sim: &mut Simulation) -> IncidentId {
    let now = sim.tick();
    let kind = sim.scenario().campaigns[CONTENT.index()].kind;
    let id = spawn_now::<IncidentId>(
        &mut sim.world,
        (
            Hit {
                asset: AssetIdx(2),
                economy: STRONG,
                campaign: CONTENT,
                kind,
                hazard: false,
            },
            Intrusion {
                stage: Stage::Impact,
                started_at: now,
                stage_entered_at: now,
            },
            Impacted(now),
            Detected(now),
            Investigated,
            KnownBy(vec![
                Knowing {
                    economy: STRONG,
                    team: None,
                    at: now,
                    source: Source::Own,
                },
                Knowing {
                    economy: WEAK,
                    team: None,
                    at: now,
                    source: Source::SharedBy {
                        economy: STRONG,
                        tlp: crate::command::Tlp::Green,
                    },
                },
            ]),
        ),
    );
    sim.world.resource_mut::<Assets>().open_incident[2] = id.0;
    id
}

fn finish(sim: &mut Simulation, accepted: Accepted) {
    let Some(task) = accepted.task else {
        panic!("the command started no task");
    };
    for _ in 0..40 {
        let done = sim
            .world
            .resource::<Ids<TaskId>>()
            .get(task)
            .is_some_and(|e| sim.world.get::<Done>(e).is_some());
        if done {
            return;
        }
        sim.step();
    }
    panic!("task {task:?} did not finish");
}

fn children(sim: &Simulation, economy: EconomyIdx) -> (f64, f64) {
    let c = sim
        .world
        .resource::<ChildProtection>()
        .children(Some(economy));
    (c.exposed, c.safeguarded)
}

fn score(sim: &Simulation, id: &str) -> f64 {
    sim.objective_scores()
        .into_iter()
        .find(|o| o.id == id)
        .map_or(-1.0, |o| o.score)
}

/// Referral is for harmful content, by the incident's own economy, once; when it
/// completes the children reached so far and after are safeguarded, the view marks the
/// incident for that economy, and the objectives and `run --json` follow.
#[test]
fn a_referral_safeguards_the_children_the_material_reached() {
    let mut sim = Simulation::new(region(CampaignKind::Phishing), 1);
    sim.step();
    let phishing = material(&mut sim);
    let err = sim
        .submit(
            Actor::Team(STRONG_CSIRT),
            Command::Refer { incident: phishing },
        )
        .expect_err("phishing is not harmful content");
    assert!(matches!(err, CommandError::NotReferralKind { .. }), "{err}");

    let mut sim = Simulation::new(region(CampaignKind::HarmfulContent), 1);
    sim.step();
    let incident = material(&mut sim);
    for _ in 0..3 {
        sim.step();
    }
    let (exposed, safeguarded) = children(&sim, STRONG);
    // 1 child an hour per million people, one-hour ticks, awareness halving part of it.
    assert!(exposed > 1.0 && exposed <= 3.0, "{exposed}");
    assert_eq!(safeguarded, 0.0);
    assert_eq!(score(&sim, "safeguard"), 0.0, "nobody safeguarded yet");
    let money = sim.metrics().economies[0].loss_breakdown.fraud;
    assert_eq!(money, 0.0, "harmful content takes no money");

    let err = sim
        .submit(Actor::Team(WEAK_POLICE), Command::Refer { incident })
        .expect_err("the children are strong's");
    assert!(matches!(err, CommandError::NotYourEconomy { .. }), "{err}");
    let accepted = sim
        .submit(Actor::Team(STRONG_CSIRT), Command::Refer { incident })
        .expect("strong's CSIRT refers its own incident");
    finish(&mut sim, accepted);
    sim.step();
    let (exposed, safeguarded) = children(&sim, STRONG);
    assert!(exposed > 3.0);
    assert_eq!(safeguarded, exposed, "before and after the referral");
    assert_eq!(score(&sim, "safeguard"), 1.0);
    let err = sim
        .submit(Actor::Team(STRONG_POLICE), Command::Refer { incident })
        .expect_err("referred once");
    assert!(matches!(err, CommandError::AlreadyReferred { .. }), "{err}");

    let seen = |actor| {
        sim.view(actor)
            .incidents
            .iter()
            .find(|i| i.id == incident)
            .map(|i| i.referred)
    };
    assert_eq!(seen(Actor::Team(STRONG_POLICE)), Some(true));
    assert_eq!(
        seen(Actor::Team(WEAK_POLICE)),
        Some(false),
        "not weak's children"
    );
    let metrics = sim.metrics();
    let figures = metrics.economies[0]
        .children
        .expect("harmful content: children");
    assert_eq!((figures.exposed, figures.safeguarded), (exposed, exposed));
    let json = serde_json::to_value(&metrics).unwrap_or_default();
    assert!(json["economies"][0]["children"]["safeguarded"].is_number());
}

/// Blocking the material locally stops it reaching more children but safeguards none; a
/// takedown naming the incident refers it; without harmful content `run --json` has no
/// children.
#[test]
fn blocking_stops_exposure_and_a_takedown_refers() {
    let mut sim = Simulation::new(region(CampaignKind::HarmfulContent), 2);
    sim.step();
    let incident = material(&mut sim);
    for _ in 0..12 {
        sim.step();
    }
    assert!(
        score(&sim, "exposure") < 1.0,
        "more than 5 children reached"
    );
    let accepted = sim
        .submit(Actor::Team(STRONG_CSIRT), Command::Contain { incident })
        .expect("contain at home");
    finish(&mut sim, accepted);
    let blocked = children(&sim, STRONG);
    for _ in 0..3 {
        sim.step();
    }
    assert_eq!(
        children(&sim, STRONG),
        blocked,
        "no more reached, none safeguarded"
    );
    assert_eq!(blocked.1, 0.0);

    let accepted = sim
        .submit(Actor::Team(WEAK_POLICE), Command::Takedown { incident })
        .expect("weak hosts part of it");
    finish(&mut sim, accepted);
    let (exposed, safeguarded) = children(&sim, STRONG);
    assert_eq!(safeguarded, exposed, "the takedown passed the report on");
    let view = sim.view(Actor::Facilitator);
    assert!(
        view.incidents
            .iter()
            .any(|i| i.id == incident && i.referred)
    );

    let plain = Simulation::new(two_economies(), 1);
    assert!(
        plain
            .metrics()
            .economies
            .iter()
            .all(|e| e.children.is_none())
    );
}
