//! Detection from outside: a CSIRT that investigated a campaign tells another economy
//! which of its assets talk to the campaign's servers; on arrival those intrusions are
//! found there, as found from outside, and the `notified` condition holds.

use super::*;
use crate::command::{Command, IncidentId};
use crate::detection::FoundBy;
use crate::outcomes::Achieved;
use crate::scenario::model::{
    ActionCondition, AssetIdx, Audience, CampaignIdx, CampaignKind, Condition, EconomyIdx, Effect,
    Inject, TeamIdx, Trigger,
};
use crate::testkit::two_economies;
use crate::view::{Source, Stage};
use crate::world::{Detected, Done, Hit, Intrusion, Investigated, Knowing, KnownBy};

const STRONG: EconomyIdx = EconomyIdx(0);
const WEAK: EconomyIdx = EconomyIdx(1);
const STRONG_CSIRT: TeamIdx = TeamIdx(0);
const CAMPAIGN: CampaignIdx = CampaignIdx(0);
/// Assets of the test region: one in `strong`, two in `weak`.
const STRONG_ASSET: AssetIdx = AssetIdx(0);

fn weak_assets(scenario: &Scenario) -> Vec<AssetIdx> {
    scenario
        .assets
        .iter()
        .enumerate()
        .filter(|(_, a)| a.economy == WEAK)
        .map(|(i, _)| AssetIdx(i as u32))
        .collect()
}

/// An intrusion of the campaign on `asset`: investigated at home when `economy` found
/// it, unfound otherwise.
fn intrusion(sim: &mut Simulation, asset: AssetIdx, found: bool) -> IncidentId {
    let now = sim.tick();
    let economy = sim.scenario().assets[asset.index()].economy;
    let hit = Hit {
        asset,
        economy,
        campaign: CAMPAIGN,
        kind: CampaignKind::Malware,
        hazard: false,
    };
    let stage = Intrusion {
        stage: Stage::Foothold,
        started_at: now,
        stage_entered_at: now,
    };
    if found {
        spawn_now::<IncidentId>(
            &mut sim.world,
            (
                hit,
                stage,
                Detected(now),
                FoundBy::Watch,
                Investigated,
                KnownBy(vec![Knowing {
                    economy,
                    team: None,
                    at: now,
                    source: Source::Own,
                }]),
            ),
        )
    } else {
        spawn_now::<IncidentId>(&mut sim.world, (hit, stage, KnownBy::default()))
    }
}

fn entity<K: crate::world::Key>(sim: &Simulation, id: K) -> Entity {
    match sim.world.resource::<Ids<K>>().get(id) {
        Some(entity) => entity,
        None => panic!("no entity {id:?}"),
    }
}

/// The region with its campaigns kept quiet (only the test's own incidents exist, and
/// they stay at foothold, so no impact finds them first) and, when given, an inject on
/// the `notified` condition.
fn quiet_region(notified_inject: bool) -> Scenario {
    let mut scenario = two_economies();
    for campaign in &mut scenario.campaigns {
        campaign.start = None;
        campaign.stage_ticks = 1000;
    }
    if notified_inject {
        scenario.injects.push(Inject {
            id: "told".into(),
            headline: "Weak was told".into(),
            text: String::new(),
            trigger: Trigger::When(Condition::Action(ActionCondition::Notified {
                campaign: Some(CAMPAIGN),
                from: Some(STRONG),
                to: Some(WEAK),
            })),
            audience: Audience::All,
            effects: vec![Effect::AdjustTrust {
                economy: WEAK,
                delta: 1.0,
            }],
            msel: Default::default(),
        });
    }
    scenario
}

/// Steps until the notification sent by `task` arrived; returns the tick it did.
fn until_arrived(sim: &mut Simulation, task: Option<TaskId>) -> u32 {
    let Some(task) = task else {
        panic!("notify started no task");
    };
    for _ in 0..60 {
        sim.step();
        let done = sim.world.get::<Done>(entity(sim, task)).is_some();
        let arrived = sim
            .world
            .resource::<Notifications>()
            .delivered()
            .next()
            .and_then(|n| n.arrived_at);
        if let (true, Some(at)) = (done, arrived) {
            return at;
        }
    }
    panic!("the notification never arrived");
}

#[test]
fn a_notification_finds_the_campaigns_intrusions_in_the_other_economy() {
    let mut sim = Simulation::new(quiet_region(true), 1);
    sim.step();
    let weak = weak_assets(sim.scenario());
    assert!(!weak.is_empty(), "the test region has assets in weak");
    let home = intrusion(&mut sim, STRONG_ASSET, true);
    let there = intrusion(&mut sim, weak[0], false);
    let accepted = sim
        .submit(
            Actor::Team(STRONG_CSIRT),
            Command::Notify {
                incident: home,
                to: WEAK,
            },
        )
        .expect("a CSIRT notifies about a campaign it investigated");
    // An intrusion that begins after the notification was sent was not seen.
    let Some(task) = accepted.task else {
        panic!("notify started no task");
    };
    while sim.world.get::<Done>(entity(&sim, task)).is_none() {
        sim.step();
    }
    assert_eq!(
        sim.world.resource::<Notifications>().delivered().count(),
        0,
        "sent, still on its way"
    );
    let later_asset = weak.get(1).copied().unwrap_or(weak[0]);
    let later = intrusion(&mut sim, later_asset, false);
    let arrived = until_arrived(&mut sim, accepted.task);

    let found = sim.world.get::<FoundBy>(entity(&sim, there)).copied();
    assert_eq!(found, Some(FoundBy::Notified { by: STRONG }));
    assert!(sim.world.get::<Detected>(entity(&sim, there)).is_some());
    let later_found = sim.world.get::<FoundBy>(entity(&sim, later)).copied();
    assert!(
        !matches!(later_found, Some(FoundBy::Notified { .. })),
        "an intrusion begun after the notification was sent is not named by it"
    );
    assert!(
        sim.metrics().found_by.notified >= 1,
        "counted as found from outside"
    );
    assert!(
        sim.outcomes().iter().any(|o| o.tick == arrived
            && o.what
                == Achieved::Notified {
                    campaign: CAMPAIGN,
                    from: STRONG,
                    to: WEAK,
                }),
        "the arrival is recorded for the `notified` condition"
    );
    // Conditions hold from the tick after the outcome.
    sim.step();
    let told = sim.injects_fired().into_iter().find(|f| f.id == "told");
    assert!(
        told.is_some_and(|f| f.tick >= arrived),
        "an inject on `notified` fires once the notification arrived"
    );
    let asset_name = sim.scenario().assets[weak[0].index()].name().into_owned();
    let view = sim.view(Actor::Facilitator);
    assert!(
        view.messages
            .iter()
            .any(|m| m.to == crate::command::Recipient::Economy(WEAK)
                && m.text.contains(&asset_name)),
        "weak's teams are told which asset to check"
    );
}

#[test]
fn nobody_is_found_without_a_notification() {
    let mut sim = Simulation::new(quiet_region(true), 1);
    sim.step();
    let weak = weak_assets(sim.scenario());
    intrusion(&mut sim, STRONG_ASSET, true);
    let there = intrusion(&mut sim, weak[0], false);
    for _ in 0..10 {
        sim.step();
    }
    assert_ne!(
        sim.world.get::<FoundBy>(entity(&sim, there)).copied(),
        Some(FoundBy::Notified { by: STRONG })
    );
    assert!(sim.injects_fired().iter().all(|f| f.id != "told"));
}

#[test]
fn only_a_campaign_investigated_at_home_can_be_notified_and_not_to_oneself() {
    let mut sim = Simulation::new(quiet_region(false), 1);
    sim.step();
    let home = intrusion(&mut sim, STRONG_ASSET, true);
    let refused = sim.submit(
        Actor::Team(STRONG_CSIRT),
        Command::Notify {
            incident: home,
            to: STRONG,
        },
    );
    assert!(matches!(refused, Err(CommandError::OwnEconomy { .. })));
    let e = entity(&sim, home);
    sim.world.entity_mut(e).remove::<Investigated>();
    let refused = sim.submit(
        Actor::Team(STRONG_CSIRT),
        Command::Notify {
            incident: home,
            to: WEAK,
        },
    );
    assert!(matches!(refused, Err(CommandError::NotInvestigated { .. })));
}
