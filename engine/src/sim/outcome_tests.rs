//! Where attacks come from and what players' actions achieve: legal action, mutual legal
//! assistance and takedowns act through a campaign's origin and hosting economies; work
//! goes on after containment; inject conditions on actions fire only after the action.

use super::*;
use crate::command::{Command, IncidentId};
use crate::outcomes::StopCause;
use crate::scenario::model::{
    ActionCondition, Agreement, AgreementKind, Audience, CampaignIdx, Condition, EconomyIdx,
    Effect, Inject, LegalOutcome, Readiness, TeamIdx, Trigger,
};
use crate::testkit::two_economies;
use crate::view::{Source, Stage};
use crate::world::{
    Contained, Detected, Disrupted, Done, Hit, Intrusion, Investigated, Knowing, KnownBy, Recovered,
};

const STRONG: EconomyIdx = EconomyIdx(0);
const WEAK: EconomyIdx = EconomyIdx(1);
const STRONG_CSIRT: TeamIdx = TeamIdx(0);
const STRONG_POLICE: TeamIdx = TeamIdx(3);
const WEAK_POLICE: TeamIdx = TeamIdx(7);
const PHISH: CampaignIdx = CampaignIdx(1);

/// The two-economy region with full legal readiness (every legal draw succeeds), a
/// two-tick legal assistance treaty, and the phishing gang working from `weak`, its
/// pages hosted in `hosting`.
fn region(hosting: Vec<EconomyIdx>) -> Scenario {
    let mut scenario = two_economies();
    for economy in &mut scenario.economies {
        economy.readiness = Readiness {
            legal: 100,
            technical: 100,
            organizational: 100,
            capacity: 100,
            cooperation: 100,
        };
    }
    scenario.agreements.push(Agreement {
        id: "mla-treaty".into(),
        kind: AgreementKind::MutualLegalAssistance,
        parties: vec![STRONG, WEAK],
        delay: 2,
    });
    let phish = &mut scenario.campaigns[PHISH.index()];
    phish.origin = Some(WEAK);
    phish.hosting = hosting;
    scenario
}

/// An investigated phishing incident on the strong economy's bank, known at home and,
/// as if its indicators had been shared, in `weak`.
fn investigated_phishing(sim: &mut Simulation) -> IncidentId {
    let now = sim.tick();
    spawn_now::<IncidentId>(
        &mut sim.world,
        (
            Hit {
                asset: crate::scenario::model::AssetIdx(2),
                economy: STRONG,
                campaign: PHISH,
                kind: crate::scenario::model::CampaignKind::Phishing,
                hazard: false,
            },
            Intrusion {
                stage: Stage::InitialAccess,
                started_at: now,
                stage_entered_at: now,
            },
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
    )
}

fn entity<K: crate::world::Key>(sim: &Simulation, id: K) -> Entity {
    match sim.world.resource::<Ids<K>>().get(id) {
        Some(entity) => entity,
        None => panic!("no entity {id:?}"),
    }
}

/// Steps until task `task` has completed.
fn finish(sim: &mut Simulation, task: Option<TaskId>) {
    let Some(task) = task else {
        panic!("the command started no task");
    };
    for _ in 0..40 {
        if sim.world.get::<Done>(entity(sim, task)).is_some() {
            return;
        }
        sim.step();
    }
    panic!("task {task:?} did not finish");
}

/// The phishing campaign's activity and where it was taken down.
fn phish_state(sim: &Simulation) -> (Activity, Vec<EconomyIdx>) {
    let e = entity(sim, PHISH);
    let activity = sim.world.get::<Activity>(e).copied().unwrap_or_default();
    let taken = sim
        .world
        .get::<TakenDown>(e)
        .map(|t| t.0.clone())
        .unwrap_or_default();
    (activity, taken)
}

fn started(hosting: Vec<EconomyIdx>, seed: u64) -> Simulation {
    let mut sim = Simulation::new(region(hosting), seed);
    for _ in 0..3 {
        sim.step();
    }
    assert!(
        phish_state(&sim).0.started_at.is_some(),
        "phishing starts at 2"
    );
    sim
}

#[test]
fn a_takedown_is_done_where_the_content_is_hosted_and_stops_it_when_no_host_is_left() {
    let mut sim = started(vec![STRONG, WEAK], 1);
    let incident = investigated_phishing(&mut sim);
    let accepted = sim
        .submit(Actor::Team(STRONG_POLICE), Command::Takedown { incident })
        .expect("strong hosts part of it");
    finish(&mut sim, accepted.task);
    let (activity, taken_down) = phish_state(&sim);
    assert_eq!(taken_down, vec![STRONG]);
    assert!(activity.active(), "still served from weak");

    let accepted = sim
        .submit(Actor::Team(WEAK_POLICE), Command::Takedown { incident })
        .expect("weak hosts the rest and knows the shared incident");
    finish(&mut sim, accepted.task);
    assert_eq!(phish_state(&sim).0.stopped_by, Some(StopCause::Takedown));
    let ids: Vec<Entity> = sim
        .world
        .resource::<Ids<IncidentId>>()
        .iter()
        .map(|(_, e)| e)
        .collect();
    for e in ids {
        if sim.world.get::<Hit>(e).is_some_and(|h| h.campaign == PHISH) {
            assert!(
                sim.world.get::<Contained>(e).is_some() || sim.world.get::<Recovered>(e).is_some(),
                "every open incident of the campaign closed with its content"
            );
        }
    }
    assert!(sim.outcomes().iter().any(|o| matches!(
        o.what,
        Achieved::Takedown {
            campaign: PHISH,
            host: WEAK
        }
    )));
}

#[test]
fn a_takedown_outside_the_hosting_economies_is_refused_with_what_to_do() {
    let mut sim = started(vec![WEAK], 1);
    let incident = investigated_phishing(&mut sim);
    let err = sim
        .submit(Actor::Team(STRONG_POLICE), Command::Takedown { incident })
        .expect_err("strong does not host it");
    assert!(matches!(err, CommandError::NotHostedHere { .. }), "{err}");
    assert!(err.to_string().contains("share the indicators"), "{err}");
}

#[test]
fn mutual_legal_assistance_succeeds_only_at_the_origin_or_a_host() {
    let mut sim = started(vec![WEAK], 2);
    let incident = investigated_phishing(&mut sim);
    let mut elsewhere = region(vec![WEAK]);
    // Ask the only other economy, with the gang placed outside the region.
    elsewhere.campaigns[PHISH.index()].origin = None;
    elsewhere.campaigns[PHISH.index()].hosting = Vec::new();
    let mut nowhere = Simulation::new(elsewhere, 2);
    for _ in 0..3 {
        nowhere.step();
    }
    let lost = investigated_phishing(&mut nowhere);
    let accepted = nowhere
        .submit(
            Actor::Team(STRONG_POLICE),
            Command::MutualLegalAssistance {
                incident: lost,
                to: WEAK,
            },
        )
        .expect("any other economy may be asked");
    finish(&mut nowhere, accepted.task);
    assert!(phish_state(&nowhere).0.active(), "weak cannot reach it");
    assert!(nowhere.outcomes().iter().any(|o| matches!(
        o.what,
        Achieved::Mla {
            outcome: LegalOutcome::Failed,
            ..
        }
    )));

    let accepted = sim
        .submit(
            Actor::Team(STRONG_POLICE),
            Command::MutualLegalAssistance { incident, to: WEAK },
        )
        .expect("accepted");
    finish(&mut sim, accepted.task);
    assert_eq!(phish_state(&sim).0.stopped_by, Some(StopCause::Mla));
}

#[test]
fn legal_action_at_the_origin_arrests_elsewhere_only_disrupts() {
    let mut sim = started(vec![WEAK], 3);
    let incident = investigated_phishing(&mut sim);
    let accepted = sim
        .submit(
            Actor::Team(STRONG_POLICE),
            Command::LegalAction { incident },
        )
        .expect("strong has victims");
    finish(&mut sim, accepted.task);
    assert!(phish_state(&sim).0.active(), "its people are in weak");
    let disrupted = sim.world.get::<Disrupted>(entity(&sim, STRONG));
    assert!(disrupted.is_some_and(|d| d.0[PHISH.index()]));
    let accepted = sim
        .submit(Actor::Team(WEAK_POLICE), Command::LegalAction { incident })
        .expect("weak knows the shared incident");
    finish(&mut sim, accepted.task);
    assert_eq!(phish_state(&sim).0.stopped_by, Some(StopCause::LegalAction));
}

#[test]
fn a_contained_incident_can_still_be_investigated_shared_and_taken_down() {
    let mut sim = started(vec![STRONG], 4);
    let incident = investigated_phishing(&mut sim);
    let now = sim.tick();
    let e = entity(&sim, incident);
    sim.world.entity_mut(e).insert(Contained(now));
    for command in [
        Command::Investigate { incident },
        Command::ShareIndicators {
            incident,
            with: vec![WEAK],
            tlp: crate::command::Tlp::Green,
            teams: Vec::new(),
        },
    ] {
        sim.submit(Actor::Team(STRONG_CSIRT), command)
            .expect("work goes on after containment");
    }
    sim.submit(Actor::Team(STRONG_POLICE), Command::Takedown { incident })
        .expect("a takedown after containment");
}

#[test]
fn conditions_on_actions_fire_after_the_action_and_n_ticks_after_it() {
    let mut scenario = region(vec![WEAK]);
    let succeeded = Condition::Action(ActionCondition::Mla {
        campaign: Some(PHISH),
        from: Some(STRONG),
        to: Some(WEAK),
        outcome: LegalOutcome::Succeeded,
    });
    let inject = |id: &str, trigger| Inject {
        id: id.into(),
        headline: id.into(),
        text: String::new(),
        trigger,
        audience: Audience::All,
        effects: vec![Effect::AdjustTrust {
            economy: STRONG,
            delta: 1.0,
        }],
        msel: Default::default(),
    };
    scenario
        .injects
        .push(inject("arrests", Trigger::When(succeeded.clone())));
    scenario.injects.push(inject(
        "charged",
        Trigger::When(Condition::After {
            delay: 3,
            condition: Box::new(succeeded),
            watch: 0,
        }),
    ));
    scenario.watches = 1;
    let fired = |sim: &Simulation, id: &str| {
        sim.injects_fired()
            .into_iter()
            .find(|f| f.id == id)
            .map(|f| f.tick)
    };
    let mut idle = Simulation::new(scenario.clone(), 5);
    while !idle.is_finished() {
        idle.step();
    }
    assert_eq!(fired(&idle, "arrests"), None, "nobody asked");
    assert_eq!(fired(&idle, "charged"), None);

    let mut sim = Simulation::new(scenario, 5);
    for _ in 0..3 {
        sim.step();
    }
    let incident = investigated_phishing(&mut sim);
    let accepted = sim
        .submit(
            Actor::Team(STRONG_POLICE),
            Command::MutualLegalAssistance { incident, to: WEAK },
        )
        .expect("accepted");
    finish(&mut sim, accepted.task);
    let done = sim.tick();
    while !sim.is_finished() {
        sim.step();
    }
    assert_eq!(fired(&sim, "arrests"), Some(done + 1), "the tick after");
    assert_eq!(fired(&sim, "charged"), Some(done + 4), "three ticks later");
}
