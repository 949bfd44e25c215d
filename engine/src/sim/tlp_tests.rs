//! TLP 2.0 exactly (FIRST, 2022): indicators shared under each label reach exactly the
//! teams the label allows, and no view shows the incident beyond that reach.

use super::*;
use crate::command::{Command, IncidentId, Tlp};
use crate::scenario::model::{AssetIdx, CampaignIdx, CampaignKind, EconomyIdx, Readiness, TeamIdx};
use crate::testkit::two_economies;
use crate::view::{Source, Stage};
use crate::world::{Detected, Hit, Intrusion, Investigated, Knowing, KnownBy};

const STRONG: EconomyIdx = EconomyIdx(0);
const WEAK: EconomyIdx = EconomyIdx(1);
const THIRD: EconomyIdx = EconomyIdx(2);
const STRONG_CSIRT: TeamIdx = TeamIdx(0);
/// The weak economy's CSIRT, regulator, operator and police.
const WEAK_TEAMS: [TeamIdx; 4] = [TeamIdx(4), TeamIdx(5), TeamIdx(6), TeamIdx(7)];
/// The third economy's four teams, in the same order.
const THIRD_TEAMS: [TeamIdx; 4] = [TeamIdx(8), TeamIdx(9), TeamIdx(10), TeamIdx(11)];

/// The two-economy region and a third economy with the same four teams, every
/// information-sharing delay one tick.
fn three_economies() -> Scenario {
    let mut scenario = two_economies();
    let mut third = scenario.economies[1].clone();
    third.id = "third".into();
    third.name = "Third economy".into();
    third.readiness = Readiness {
        legal: 60,
        technical: 60,
        organizational: 60,
        capacity: 60,
        cooperation: 60,
    };
    scenario.economies.push(third);
    let weak: Vec<_> = scenario.teams[4..8].to_vec();
    for mut team in weak {
        team.id = team.id.replace("weak", "third");
        team.economy = THIRD;
        scenario.teams.push(team);
    }
    scenario.meta.sharing_delay_without_agreement = 1;
    scenario.agreements.clear();
    scenario
}

/// An investigated phishing incident on the strong economy's bank, known there only.
fn investigated(sim: &mut Simulation) -> IncidentId {
    let now = sim.tick();
    spawn_now::<IncidentId>(
        &mut sim.world,
        (
            Hit {
                asset: AssetIdx(2),
                economy: STRONG,
                campaign: CampaignIdx(1),
                kind: CampaignKind::Phishing,
                hazard: false,
            },
            Intrusion {
                stage: Stage::InitialAccess,
                started_at: now,
                stage_entered_at: now,
            },
            Detected(now),
            Investigated,
            KnownBy(vec![Knowing {
                economy: STRONG,
                team: None,
                at: now,
                source: Source::Own,
            }]),
        ),
    )
}

/// Shares the incident under `tlp` with the weak economy (RED: naming `red_teams`), runs
/// until it has arrived, and returns the teams whose view shows it, with the awareness
/// of every economy.
fn share(tlp: Tlp, red_teams: Vec<TeamIdx>) -> (Vec<TeamIdx>, Vec<f64>) {
    let mut sim = Simulation::new(three_economies(), 3);
    sim.step();
    let incident = investigated(&mut sim);
    let before: Vec<f64> = awareness(&sim);
    sim.submit(
        Actor::Team(STRONG_CSIRT),
        Command::ShareIndicators {
            incident,
            with: vec![WEAK],
            tlp,
            teams: red_teams,
        },
    )
    .expect("an investigated incident may be shared");
    for _ in 0..8 {
        sim.step();
    }
    let seeing = (0..sim.scenario().teams.len() as u32)
        .map(TeamIdx)
        .filter(|t| {
            sim.view(Actor::Team(*t))
                .incidents
                .iter()
                .any(|i| i.id == incident)
        })
        .collect();
    let after = awareness(&sim);
    let raised = after.iter().zip(&before).map(|(a, b)| a - b).collect();
    (seeing, raised)
}

fn awareness(sim: &Simulation) -> Vec<f64> {
    sim.view(Actor::Facilitator)
        .economies
        .iter()
        .map(|e| e.awareness.unwrap_or(0.0))
        .collect()
}

/// The strong economy's four teams, which know the incident from their own detection.
fn strong_teams() -> Vec<TeamIdx> {
    (0..4).map(TeamIdx).collect()
}

fn with(mut teams: Vec<TeamIdx>, more: &[TeamIdx]) -> Vec<TeamIdx> {
    teams.extend_from_slice(more);
    teams.sort_unstable();
    teams
}

#[test]
fn tlp_clear_is_public_every_economy_sees_it_and_the_public_is_warned() {
    let (seeing, raised) = share(Tlp::Clear, Vec::new());
    let everyone = with(with(strong_teams(), &WEAK_TEAMS), &THIRD_TEAMS);
    assert_eq!(seeing, everyone);
    assert!(
        raised[WEAK.index()] > 0.0 && raised[THIRD.index()] > 0.0,
        "{raised:?}"
    );
}

#[test]
fn tlp_green_reaches_the_whole_community_but_is_not_published() {
    let (seeing, raised) = share(Tlp::Green, Vec::new());
    let everyone = with(with(strong_teams(), &WEAK_TEAMS), &THIRD_TEAMS);
    assert_eq!(seeing, everyone, "every team of the region");
    assert!(
        raised[WEAK.index()] <= 0.0 && raised[THIRD.index()] <= 0.0,
        "not a public warning: {raised:?}"
    );
}

#[test]
fn tlp_amber_reaches_every_team_of_the_recipient_economy_only() {
    let (seeing, _) = share(Tlp::Amber, Vec::new());
    assert_eq!(
        seeing,
        with(strong_teams(), &WEAK_TEAMS),
        "not the third economy"
    );
}

#[test]
fn tlp_amber_strict_reaches_the_recipient_csirt_only() {
    let (seeing, _) = share(Tlp::AmberStrict, Vec::new());
    assert_eq!(
        seeing,
        with(strong_teams(), &WEAK_TEAMS[..1]),
        "the weak CSIRT, not its regulator, operator or police"
    );
}

#[test]
fn tlp_red_reaches_the_named_teams_only() {
    // Naming the weak economy's police, not its CSIRT.
    let (seeing, _) = share(Tlp::Red, vec![WEAK_TEAMS[3]]);
    assert_eq!(seeing, with(strong_teams(), &WEAK_TEAMS[3..]));
    let mut sim = Simulation::new(three_economies(), 3);
    sim.step();
    let incident = investigated(&mut sim);
    let red = |teams: Vec<TeamIdx>| Command::ShareIndicators {
        incident,
        with: vec![WEAK],
        tlp: Tlp::Red,
        teams,
    };
    let unnamed = sim.submit(Actor::Team(STRONG_CSIRT), red(Vec::new()));
    assert!(
        matches!(unnamed, Err(CommandError::RedWithoutTeams)),
        "{unnamed:?}"
    );
    // A team of an economy not shared with is refused.
    let elsewhere = sim.submit(Actor::Team(STRONG_CSIRT), red(vec![THIRD_TEAMS[0]]));
    assert!(
        matches!(elsewhere, Err(CommandError::RedTeamElsewhere { .. })),
        "{elsewhere:?}"
    );
}

#[test]
fn labels_run_from_the_most_open_to_the_most_restrictive_and_read_amber_strict() {
    assert_eq!(
        Tlp::ALL,
        [
            Tlp::Clear,
            Tlp::Green,
            Tlp::Amber,
            Tlp::AmberStrict,
            Tlp::Red
        ]
    );
    let parsed: Tlp = serde_json::from_str("\"amber+strict\"").expect("the TLP 2.0 spelling");
    assert_eq!(parsed, Tlp::AmberStrict);
    assert_eq!(crate::names::tlp_name(Tlp::AmberStrict), "TLP:AMBER+STRICT");
}
