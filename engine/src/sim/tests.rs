use super::*;
use crate::command::{Command, IncidentId, Recipient};
use crate::policy::{Policy, play_round};
use crate::scenario::model::{AssetIdx, EconomyIdx, InjectIdx, SectorIdx, TeamIdx};
use crate::testkit::two_economies;
use crate::view::{HistoryBook, HistoryWindow};
use crate::world::Assets;

const STRONG_CSIRT: TeamIdx = TeamIdx(0);
const STRONG_REGULATOR: TeamIdx = TeamIdx(1);
const WEAK_CSIRT: TeamIdx = TeamIdx(4);
const WEAK_OPERATOR: TeamIdx = TeamIdx(6);

/// Every team played by `policy` for one tick, then a step.
fn play_tick(sim: &mut Simulation, policy: Policy) {
    play_round(sim, policy);
    sim.step();
}

fn run_hashes(seed: u64, policy: Policy) -> Vec<String> {
    let mut sim = Simulation::new(two_economies(), seed);
    let mut hashes = vec![sim.state_hash().to_hex()];
    while !sim.is_finished() {
        play_tick(&mut sim, policy);
        hashes.push(sim.state_hash().to_hex());
    }
    hashes
}

#[test]
fn steps_to_the_end_and_then_stands_still() {
    let mut sim = Simulation::new(two_economies(), 1);
    assert_eq!(sim.tick(), 0);
    assert!(!sim.is_finished());
    for _ in 0..48 {
        sim.step();
    }
    assert_eq!(sim.tick(), 48);
    assert!(sim.is_finished());
    let hash = sim.state_hash();
    sim.step();
    assert_eq!(sim.tick(), 48);
    assert_eq!(sim.state_hash(), hash);
    assert!(
        sim.metrics().incidents > 0,
        "the campaigns should have struck"
    );
    let err = sim.submit(Actor::Team(STRONG_CSIRT), Command::AwarenessCampaign);
    assert!(matches!(
        err,
        Err(CommandError::Finished {
            tick: 48,
            duration: 48
        })
    ));
}

/// Two simulations in one process get different hash-map seeds (std's RandomState is
/// random per map), so any iteration over a HashMap whose order mattered, or over ECS
/// storage order, would show up here as diverging hashes.
#[test]
fn same_seed_and_commands_give_the_same_hash_at_every_tick() {
    let a = run_hashes(42, Policy::Cooperative);
    let b = run_hashes(42, Policy::Cooperative);
    assert_eq!(a.len(), 49);
    assert_eq!(a, b);
    assert!(a.iter().all(|h| {
        h.len() == 64
            && h.chars()
                .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase())
    }));
}

#[test]
fn different_seeds_give_different_states() {
    let a = run_hashes(1, Policy::Isolated);
    let b = run_hashes(2, Policy::Isolated);
    assert_eq!(a[0].len(), 64);
    assert_ne!(a[0], b[0], "the seed is part of the state");
    assert_ne!(a.last(), b.last());
}

#[test]
fn damage_cascades_through_dependencies_and_across_the_border() {
    let mut sim = Simulation::new(two_economies(), 3);
    sim.world.resource_mut::<Assets>().damage[0] = 1.0; // strong grid down
    sim.step();
    sim.step();
    sim.step();
    let assets = sim.world.resource::<Assets>();
    let grid = assets.service(0);
    let telecom = assets.service(1);
    let foreign_bank = assets.service(5);
    assert!(grid < 0.2, "grid {grid}");
    assert!(telecom < 0.95, "telecom depends on the grid: {telecom}");
    assert!(
        foreign_bank < 1.0,
        "the weak bank depends on strong telecom: {foreign_bank}"
    );
    assert!(telecom > grid, "dependency weight 0.5 limits the cascade");
}

#[test]
fn a_team_acts_only_for_its_own_economy() {
    let mut sim = Simulation::new(two_economies(), 4);
    sim.world.resource_mut::<Assets>().damage[3] = 0.5; // weak grid
    let err = sim
        .submit(
            Actor::Team(STRONG_CSIRT),
            Command::Restore { asset: AssetIdx(3) },
        )
        .expect_err("the command should be refused");
    assert!(matches!(err, CommandError::NotYourEconomy { .. }), "{err}");
    assert!(err.to_string().contains("own economy"));
    let ok = sim.submit(
        Actor::Team(WEAK_CSIRT),
        Command::Restore { asset: AssetIdx(3) },
    );
    assert!(ok.is_ok(), "{ok:?}");
}

#[test]
fn roles_limit_actions() {
    let mut sim = Simulation::new(two_economies(), 5);
    let err = sim
        .submit(
            Actor::Team(STRONG_REGULATOR),
            Command::Contain {
                incident: IncidentId(0),
            },
        )
        .expect_err("the command should be refused");
    assert!(matches!(err, CommandError::RoleMayNot { .. }), "{err}");
    // A sentence a player can read: the catalogue's verb phrase, the roles with articles.
    assert_eq!(
        err.to_string(),
        "a regulator team may not contain an incident: ask a CSIRT or operator team"
    );
    let err = sim
        .submit(
            Actor::Team(WEAK_CSIRT),
            Command::LegalAction {
                incident: IncidentId(0),
            },
        )
        .expect_err("the command should be refused");
    assert_eq!(
        err.to_string(),
        "a CSIRT team may not take legal action: ask a law enforcement team"
    );
    let err = sim
        .submit(Actor::Team(WEAK_OPERATOR), Command::AwarenessCampaign)
        .expect_err("the command should be refused");
    assert_eq!(
        err.to_string(),
        "an operator team may not run an awareness campaign: ask a CSIRT or regulator team"
    );
    let err = sim
        .submit(
            Actor::Team(WEAK_OPERATOR),
            Command::HardenSector {
                sector: SectorIdx(0),
            },
        )
        .expect_err("the command should be refused");
    assert!(matches!(err, CommandError::NotYourSector { .. }), "{err}");
}

#[test]
fn tasks_need_free_analysts() {
    let mut sim = Simulation::new(two_economies(), 6);
    let regulator = Actor::Team(STRONG_REGULATOR); // 4 analysts
    assert!(
        sim.submit(
            regulator,
            Command::HardenSector {
                sector: SectorIdx(0)
            }
        )
        .is_ok()
    );
    assert!(
        sim.submit(
            regulator,
            Command::HardenSector {
                sector: SectorIdx(1)
            }
        )
        .is_ok()
    );
    let err = sim
        .submit(
            regulator,
            Command::HardenSector {
                sector: SectorIdx(2),
            },
        )
        .expect_err("the command should be refused");
    assert_eq!(
        err,
        CommandError::NotEnoughAnalysts {
            action: "harden a sector".into(),
            needed: 2,
            free: 0
        }
    );
    let err = sim
        .submit(
            regulator,
            Command::HardenSector {
                sector: SectorIdx(0),
            },
        )
        .expect_err("the command should be refused");
    // The refusal names who holds the task, so that players can coordinate.
    assert_eq!(
        err,
        CommandError::AlreadyInProgress {
            task: 0,
            holder: STRONG_REGULATOR,
            team: "strong-reg".into()
        }
    );
    assert!(
        err.to_string()
            .starts_with("strong-reg is already doing this (task #0)")
    );
    // Analysts come back when the tasks finish, and the posture has risen.
    for _ in 0..12 {
        sim.step();
    }
    assert!(
        sim.submit(
            regulator,
            Command::HardenSector {
                sector: SectorIdx(2)
            }
        )
        .is_ok()
    );
    assert!(sim.world.resource::<Assets>().posture[0].patching > 50);
}

#[test]
fn facilitator_only_commands_are_refused_to_teams() {
    let mut sim = Simulation::new(two_economies(), 7);
    let err = sim
        .submit(
            Actor::Team(STRONG_CSIRT),
            Command::FireInject {
                inject: InjectIdx(0),
            },
        )
        .expect_err("the command should be refused");
    assert!(matches!(err, CommandError::FacilitatorOnly { .. }), "{err}");
    let err = sim
        .submit(Actor::Facilitator, Command::AwarenessCampaign)
        .expect_err("the command should be refused");
    assert!(matches!(err, CommandError::TeamOnly { .. }), "{err}");
    let fired = sim.submit(
        Actor::Facilitator,
        Command::FireInject {
            inject: InjectIdx(0),
        },
    );
    assert!(fired.is_ok());
    sim.step();
    let view = sim.view(Actor::Team(WEAK_CSIRT));
    assert_eq!(view.injects.len(), 1);
    assert!(
        view.economies[1].trust < 70.0,
        "the inject's trust effect applied"
    );
    let err = sim
        .submit(
            Actor::Facilitator,
            Command::FireInject {
                inject: InjectIdx(0),
            },
        )
        .expect_err("the command should be refused");
    assert!(matches!(err, CommandError::AlreadyFired { inject: 0 }));
}

#[test]
fn messages_are_checked_and_delivered() {
    let mut sim = Simulation::new(two_economies(), 8);
    let strong = Actor::Team(STRONG_CSIRT);
    let err = sim
        .submit(
            strong,
            Command::Message {
                to: Recipient::Team(WEAK_CSIRT),
                text: "  ".into(),
            },
        )
        .expect_err("the command should be refused");
    assert_eq!(err, CommandError::EmptyText);
    let long = "x".repeat(rules::MAX_TEXT + 1);
    let err = sim
        .submit(
            strong,
            Command::Message {
                to: Recipient::All,
                text: long,
            },
        )
        .expect_err("the command should be refused");
    assert!(matches!(err, CommandError::TextTooLong { .. }));
    sim.submit(
        strong,
        Command::Message {
            to: Recipient::Economy(EconomyIdx(1)),
            text: "heads up".into(),
        },
    )
    .expect("valid message");
    assert_eq!(sim.view(Actor::Team(WEAK_CSIRT)).messages.len(), 1);
    assert_eq!(sim.view(Actor::Team(STRONG_REGULATOR)).messages.len(), 0);
}

/// What the rule says `team` sees of the facilitator's list (every message, in order):
/// what it sent, and what was sent to everyone, to it or to its economy.
fn messages_seen_by(sim: &Simulation, team: TeamIdx) -> Vec<(Actor, Recipient, String)> {
    let economy = sim.scenario().teams[team.index()].economy;
    sim.view(Actor::Facilitator)
        .messages
        .into_iter()
        .filter(|m| {
            m.from == Actor::Team(team)
                || match m.to {
                    Recipient::All => true,
                    Recipient::Team(t) => t == team,
                    Recipient::Economy(e) => e == economy,
                    Recipient::Facilitator => false,
                }
        })
        .map(|m| (m.from, m.to, m.text))
        .collect()
}

#[test]
fn a_teams_messages_from_the_index_are_what_it_may_read_in_sending_order() {
    let mut sim = Simulation::new(two_economies(), 8);
    let teams = sim.scenario().teams.len() as u32;
    let recipients = [
        Recipient::All,
        Recipient::Facilitator,
        Recipient::Team(WEAK_CSIRT),
        Recipient::Team(STRONG_CSIRT),
        Recipient::Economy(EconomyIdx(0)),
        Recipient::Economy(EconomyIdx(1)),
    ];
    let senders = [
        Actor::Team(STRONG_CSIRT),
        Actor::Facilitator,
        Actor::Team(WEAK_CSIRT),
        Actor::Team(WEAK_OPERATOR),
    ];
    let mut sent = 0;
    for round in 0..4 {
        for (i, from) in senders.iter().enumerate() {
            for to in recipients.iter().skip(i % 2) {
                let text = format!("message {sent}");
                if sim
                    .submit(*from, Command::Message { to: *to, text })
                    .is_ok()
                {
                    sent += 1;
                }
            }
            // Views in between bring the index up to date part of the way; the
            // messages sent after the last one come from the ones not indexed yet.
            if i % 2 == round % 2 {
                let _ = sim.view_with(Actor::Team(TeamIdx(i as u32)), HistoryWindow::Omitted);
            }
        }
        for team in (0..teams).map(TeamIdx) {
            let listed: Vec<(Actor, Recipient, String)> = sim
                .view(Actor::Team(team))
                .messages
                .into_iter()
                .map(|m| (m.from, m.to, m.text))
                .collect();
            assert_eq!(listed, messages_seen_by(&sim, team), "team {team:?}");
        }
        sim.step();
    }
    assert!(sent > 40, "{sent} messages accepted");
    assert_eq!(sim.view(Actor::Facilitator).messages.len(), sent);
}

#[test]
fn views_hide_other_economies_details() {
    let mut sim = Simulation::new(two_economies(), 9);
    for _ in 0..20 {
        sim.step();
    }
    let view = sim.view(Actor::Team(STRONG_CSIRT));
    assert_eq!(view.economies[0].visibility, crate::view::Visibility::Full);
    // Readiness scores are published (as the GCI's are); what moved them is not.
    assert!(view.economies[1].readiness.is_some());
    assert!(view.economies[1].readiness_moves.is_none());
    assert!(view.economies[1].awareness.is_none());
    assert!(view.incidents.iter().all(|i| i.economy == EconomyIdx(0)));
    // Own assets plus the foreign telecom the bank depends on.
    assert!(
        view.assets
            .iter()
            .any(|a| a.idx == AssetIdx(4) && a.posture.is_none())
    );
    assert!(!view.assets.iter().any(|a| a.idx == AssetIdx(3)));
    let all = sim.view(Actor::Facilitator);
    assert_eq!(all.incidents.len(), sim.metrics().incidents as usize);
    assert_eq!(all.assets.len(), 6);
    assert_eq!(view.time_label, "Day 2 04:00");
}

/// Screens say what moved trust: the causes booked add up to the change since the start,
/// an awareness campaign is booked as one, and only the economy's own teams (and the
/// facilitator) see them.
#[test]
fn trust_moves_add_up_to_the_change_by_cause() {
    use crate::trust::TrustCause;
    let region = two_economies();
    let mut sim = Simulation::new(region.clone(), 5);
    let campaign = sim.submit(Actor::Team(WEAK_CSIRT), Command::AwarenessCampaign);
    assert!(campaign.is_ok(), "{campaign:?}");
    while !sim.is_finished() {
        play_tick(&mut sim, Policy::Isolated);
    }
    let all = sim.view(Actor::Facilitator);
    let mut moved = 0.0;
    for economy in &all.economies {
        let Some(moves) = economy.trust_moves else {
            panic!("the facilitator sees what moved {}'s trust", economy.name);
        };
        let start = f64::from(region.economies[economy.idx.index()].trust);
        assert!(
            (start + moves.total() - economy.trust).abs() < 1e-9,
            "{}: {start} + {} is not {}",
            economy.name,
            moves.total(),
            economy.trust
        );
        moved +=
            moves.get(TrustCause::Outages).abs() + moves.get(TrustCause::AttacksOnPeople).abs();
    }
    assert!(moved > 0.0, "attacks and outages moved trust somewhere");
    let weak = &all.economies[1];
    assert!(
        weak.trust_moves
            .is_some_and(|m| m.get(TrustCause::AwarenessCampaigns) > 0.0),
        "{:?}",
        weak.trust_moves
    );
    let strong_view = sim.view(Actor::Team(STRONG_CSIRT));
    assert!(strong_view.economies[0].trust_moves.is_some());
    assert!(strong_view.economies[1].trust_moves.is_none());
}

#[test]
fn responding_lowers_loss_on_the_small_region() {
    let mean_loss = |policy| {
        (0..10u64)
            .map(|seed| {
                let mut sim = Simulation::new(two_economies(), seed);
                while !sim.is_finished() {
                    play_tick(&mut sim, policy);
                }
                sim.metrics().regional_loss
            })
            .sum::<f64>()
            / 10.0
    };
    let idle = mean_loss(Policy::Idle);
    let isolated = mean_loss(Policy::Isolated);
    assert!(isolated < idle * 0.8, "isolated {isolated} vs idle {idle}");
}

/// A ransomware incident at initial access on the strong economy's bank (asset 2),
/// detected by its own economy at tick 0 and registered as the bank's open incident,
/// with `more` components on it (`Investigated`, or `()` for none): the incident the
/// tests here and in `accepted` act on, spawned in one place so that they act on the
/// same one.
pub(super) fn bank_incident(
    sim: &mut Simulation,
    more: impl bevy_ecs::bundle::Bundle,
) -> IncidentId {
    use crate::view::{Source, Stage};
    use crate::world::{Detected, Hit, Intrusion, Knowing, KnownBy, spawn_now};
    let id: IncidentId = spawn_now(
        &mut sim.world,
        (
            Hit {
                asset: AssetIdx(2),
                economy: EconomyIdx(0),
                campaign: crate::scenario::model::CampaignIdx(0),
                kind: crate::scenario::model::CampaignKind::Ransomware,
                hazard: false,
            },
            Intrusion {
                stage: Stage::InitialAccess,
                started_at: 0,
                stage_entered_at: 0,
            },
            Detected(0),
            more,
            KnownBy(vec![Knowing {
                economy: EconomyIdx(0),
                team: None,
                at: 0,
                source: Source::Own,
            }]),
        ),
    );
    sim.world.resource_mut::<Assets>().open_incident[2] = id.0;
    id
}

/// The incident's stage and when it reached impact and was contained.
fn incident_state(
    sim: &Simulation,
    id: IncidentId,
) -> (crate::view::Stage, Option<u32>, Option<u32>) {
    use crate::world::{Contained, Ids, Impacted, Intrusion};
    let entity = sim
        .world
        .resource::<Ids<IncidentId>>()
        .get(id)
        .expect("exists");
    let stage = sim
        .world
        .get::<Intrusion>(entity)
        .expect("an intrusion")
        .stage;
    (
        stage,
        sim.world.get::<Impacted>(entity).map(|t| t.0),
        sim.world.get::<Contained>(entity).map(|t| t.0),
    )
}

#[test]
fn shared_indicators_arrive_after_the_agreement_delay_under_their_tlp() {
    use crate::command::Tlp;
    use crate::view::Source;
    let mut sim = Simulation::new(two_economies(), 10);
    let incident = bank_incident(&mut sim, crate::world::Investigated);
    let weak = Actor::Team(WEAK_CSIRT);
    assert!(!sim.view(weak).incidents.iter().any(|i| i.id == incident));
    let err = sim
        .submit(
            weak,
            Command::ShareIndicators {
                incident,
                with: vec![EconomyIdx(0)],
                tlp: Tlp::Amber,
                teams: Vec::new(),
            },
        )
        .expect_err("the weak economy does not know the incident");
    assert_eq!(
        err,
        CommandError::IncidentNotKnown {
            incident: incident.0
        }
    );
    let accepted = sim
        .submit(
            Actor::Team(STRONG_CSIRT),
            Command::ShareIndicators {
                incident,
                with: vec![EconomyIdx(1)],
                tlp: Tlp::Amber,
                teams: Vec::new(),
            },
        )
        .expect("sharing an investigated incident");
    assert!(accepted.task.is_some());
    sim.step(); // the task completes (1 tick at cooperation 85); delivery due 1 tick later
    assert!(!sim.view(weak).incidents.iter().any(|i| i.id == incident));
    sim.step();
    let view = sim.view(weak);
    let shared = view
        .incidents
        .iter()
        .find(|i| i.id == incident)
        .expect("delivered");
    assert_eq!(
        shared.source,
        Source::SharedBy {
            economy: EconomyIdx(0),
            tlp: Tlp::Amber
        }
    );
    assert!(
        shared.campaign.is_some(),
        "the indicators identify the campaign"
    );
    // TLP:AMBER reaches the whole receiving economy; the weak regulator sees it too.
    assert!(
        sim.view(Actor::Team(TeamIdx(5)))
            .incidents
            .iter()
            .any(|i| i.id == incident)
    );
    // The debrief's record: the strong economy knew first, the weak one was told.
    let knowledge = sim.knowledge();
    let record = knowledge
        .iter()
        .find(|k| k.incident == incident)
        .expect("every incident is in the record");
    let learned: Vec<(EconomyIdx, Source)> =
        record.known.iter().map(|k| (k.economy, k.source)).collect();
    assert_eq!(
        learned,
        [
            (EconomyIdx(0), Source::Own),
            (
                EconomyIdx(1),
                Source::SharedBy {
                    economy: EconomyIdx(0),
                    tlp: Tlp::Amber
                }
            )
        ]
    );
    assert_eq!(record.known[1].at, sim.tick());
    assert!(knowledge.windows(2).all(|w| w[0].incident < w[1].incident));
}

/// Lends 3 analysts from `lender` to `borrower` at tick 0 and returns, for ticks 0 to
/// 20, (analysts the lender has free, analysts the borrower has borrowed).
fn loan_over_time(scenario: Scenario, lender: TeamIdx, borrower: TeamIdx) -> Vec<(u32, u32)> {
    let mut sim = Simulation::new(scenario, 11);
    sim.submit(
        Actor::Team(lender),
        Command::ProvideAssistance {
            to: borrower,
            analysts: 3,
        },
    )
    .expect("lending");
    let mut out = Vec::new();
    for _ in 0..=20 {
        let free = sim.view(Actor::Team(lender)).analysts.free();
        let borrowed = sim.view(Actor::Team(borrower)).analysts.borrowed;
        out.push((free, borrowed));
        sim.step();
    }
    out
}

/// The ticks (of 0 to 20) at which the borrower holds the lent analysts.
fn ticks_with_help(loan: &[(u32, u32)]) -> Vec<usize> {
    loan.iter()
        .enumerate()
        .filter(|(_, (_, borrowed))| *borrowed == 3)
        .map(|(tick, _)| tick)
        .collect()
}

/// The test region with an assistance agreement between its two economies (3 ticks).
fn with_mutual_aid() -> Scenario {
    let mut scenario = two_economies();
    scenario.agreements.push(crate::scenario::model::Agreement {
        id: "mutual-aid".into(),
        kind: crate::scenario::model::AgreementKind::Assistance,
        parties: vec![EconomyIdx(0), EconomyIdx(1)],
        delay: 3,
    });
    scenario
}

#[test]
fn lent_analysts_arrive_after_the_assistance_agreement_delay() {
    let loan = loan_over_time(with_mutual_aid(), STRONG_CSIRT, WEAK_CSIRT); // 8 analysts each
    // They leave at once, arrive at tick 3, work 12 ticks and are home at tick 15.
    assert_eq!(ticks_with_help(&loan), (3..15).collect::<Vec<_>>());
    assert!(loan[..15].iter().all(|(free, _)| *free == 5));
    assert_eq!(loan[15].0, 8);
}

#[test]
fn the_borrower_sees_lent_analysts_on_their_way_until_they_arrive() {
    let mut sim = Simulation::new(with_mutual_aid(), 11);
    let lend = Command::ProvideAssistance {
        to: WEAK_CSIRT,
        analysts: 3,
    };
    sim.submit(Actor::Team(STRONG_CSIRT), lend)
        .expect("lending");
    let mut seen = Vec::new();
    for _ in 0..5 {
        let borrower = sim.view(Actor::Team(WEAK_CSIRT)).analysts;
        seen.push((borrower.incoming, borrower.borrowed));
        assert_eq!(sim.view(Actor::Team(STRONG_CSIRT)).analysts.incoming, 0);
        sim.step();
    }
    assert_eq!(seen, vec![(3, 0), (3, 0), (3, 0), (0, 3), (0, 3)]);
}

#[test]
fn lent_analysts_take_the_longer_default_delay_without_an_agreement() {
    let scenario = two_economies();
    let delay = scenario.meta.assistance_delay_without_agreement;
    assert_eq!(delay, 12);
    let loan = loan_over_time(scenario, STRONG_CSIRT, WEAK_CSIRT);
    let arrives = delay as usize;
    let leaves = arrives + rules::ASSISTANCE_TICKS as usize;
    assert_eq!(
        ticks_with_help(&loan),
        (arrives..leaves.min(21)).collect::<Vec<_>>()
    );
    assert!(loan.iter().all(|(free, _)| *free == 5), "away all along");
}

#[test]
fn lent_analysts_join_a_team_of_the_same_economy_at_once() {
    let loan = loan_over_time(two_economies(), STRONG_CSIRT, STRONG_REGULATOR);
    assert_eq!(
        ticks_with_help(&loan),
        (0..rules::ASSISTANCE_TICKS as usize).collect::<Vec<_>>()
    );
    assert_eq!(loan[rules::ASSISTANCE_TICKS as usize], (8, 0));
}

#[test]
fn containment_stops_an_attack_where_it_stands() {
    // No campaign starts by itself: the seeded incident is the only attack.
    let mut scenario = two_economies();
    for campaign in &mut scenario.campaigns {
        campaign.start = None;
    }
    let mut sim = Simulation::new(scenario, 12);
    let incident = bank_incident(&mut sim, crate::world::Investigated);
    sim.submit(Actor::Team(STRONG_CSIRT), Command::Contain { incident })
        .expect("containing a detected incident at home");
    sim.step();
    sim.step();
    let (stage, impacted_at, contained_at) = incident_state(&sim, incident);
    assert_eq!(contained_at, Some(2));
    for _ in 0..30 {
        sim.step();
    }
    let (later_stage, later_impacted_at, _) = incident_state(&sim, incident);
    assert_eq!(
        (later_stage, later_impacted_at),
        (stage, impacted_at),
        "no progress once contained"
    );
    if later_impacted_at.is_none() {
        assert_eq!(
            sim.world.resource::<Assets>().damage[2],
            0.0,
            "contained before impact: no damage"
        );
    }
    let err = sim
        .submit(Actor::Team(STRONG_CSIRT), Command::Contain { incident })
        .expect_err("already contained");
    assert!(matches!(err, CommandError::IncidentClosed { .. }));
}

#[test]
fn the_cascade_handles_cycles_and_stays_in_bounds() {
    let mut scenario = two_economies();
    // grid <-> telecom cycle in the strong economy.
    scenario.assets[0].set_depends_on(vec![crate::scenario::model::Dependency {
        on: AssetIdx(1),
        weight: 0.9,
        kind: crate::scenario::model::DependencyKind::Physical,
    }]);
    scenario.campaigns.clear();
    let mut sim = Simulation::new(scenario, 13);
    sim.world.resource_mut::<Assets>().damage[1] = 1.0;
    for _ in 0..40 {
        sim.step();
    }
    let assets = sim.world.resource::<Assets>();
    for i in 0..assets.len() {
        assert!((0.0..=1.0).contains(&assets.inoperability[i]));
    }
    // Steady state of the cycle: q1 = 1 (clamped), q0 = 0.9 q1.
    assert!((assets.inoperability[1] - 1.0).abs() < 1e-6);
    assert!(
        (assets.inoperability[0] - 0.9).abs() < 1e-3,
        "{}",
        assets.inoperability[0]
    );
}

#[test]
fn a_view_with_only_new_history_completes_to_the_full_view() {
    let mut sim = Simulation::new(two_economies(), 3);
    for _ in 0..5 {
        play_tick(&mut sim, Policy::Cooperative);
    }
    let viewer = Actor::Team(WEAK_CSIRT);
    let mut book = HistoryBook::default();
    let mut earlier = sim.view(viewer);
    book.complete(&mut earlier, None).expect("a full view");
    assert!(earlier.economies.iter().all(|e| e.history.len() == 5));
    let stale_book = book.clone();
    for _ in 0..3 {
        play_tick(&mut sim, Policy::Cooperative);
    }
    let full = sim.view(viewer);
    let mut partial = sim.view_with(viewer, HistoryWindow::After(5));
    assert!(partial.economies.iter().all(|e| e.history.len() == 3));
    assert_ne!(partial, full);
    book.complete(&mut partial, Some(5)).expect("no gap");
    assert_eq!(partial, full);
    // Sent twice (a reconnect races a push): the points are kept once.
    let mut again = sim.view_with(viewer, HistoryWindow::After(4));
    book.complete(&mut again, Some(4)).expect("no gap");
    assert_eq!(again, full);
    // A view with nothing new completes to the same history.
    let mut nothing_new = sim.view_with(viewer, HistoryWindow::After(8));
    book.complete(&mut nothing_new, Some(8)).expect("no gap");
    assert_eq!(nothing_new, full);

    let mut gap = sim.view_with(viewer, HistoryWindow::After(7));
    let err = stale_book
        .clone()
        .complete(&mut gap, Some(7))
        .expect_err("points 6 and 7 missing");
    assert_eq!(err.had_through, Some(5));
    assert!(err.to_string().contains("through tick 5"), "{err}");
    let err = HistoryBook::default()
        .complete(&mut gap, Some(7))
        .expect_err("nothing known");
    assert_eq!(err.had_through, None);
    let bare = sim.view_with(viewer, HistoryWindow::Omitted);
    assert!(bare.economies.iter().all(|e| e.history.is_empty()));
}

/// A bot's view leaves out history and the words only people read; every bot must
/// decide from it exactly as from the full view, every tick of a whole cooperative run
/// of the regional scenario (most commands of any bundled scenario) and of the small one.
#[test]
fn bots_decide_the_same_from_the_bot_view() {
    let regional = match crate::scenario::parse(crate::scenario::bundled::APEC_REGIONAL) {
        Ok(checked) => checked.scenario,
        Err(diagnostics) => panic!("apec-regional does not load: {diagnostics:?}"),
    };
    for (scenario, seed) in [(two_economies(), 9), (regional, 3)] {
        let mut sim = Simulation::new(scenario, seed);
        let mut decided = 0;
        while !sim.is_finished() {
            for t in 0..sim.scenario().teams.len() {
                let team = TeamIdx(t as u32);
                let from_bot_view = crate::policy::bot_commands(&sim, team, Policy::Cooperative);
                assert_eq!(
                    from_bot_view,
                    crate::policy::decide(Policy::Cooperative, &sim.view(Actor::Team(team))),
                    "team {t} at tick {}",
                    sim.tick()
                );
                decided += from_bot_view.len();
            }
            play_tick(&mut sim, Policy::Cooperative);
        }
        assert!(decided > 20, "the bots acted ({decided} commands)");
    }
    let bare = {
        let sim = Simulation::new(two_economies(), 9);
        sim.bot_view(TeamIdx(0))
    };
    assert!(bare.economies.iter().all(|e| e.history.is_empty()));
    assert!(bare.injects.is_empty() && bare.objectives.is_empty() && bare.time_label.is_empty());
}

#[test]
fn the_audience_is_the_seats_a_command_names_and_the_facilitator() {
    let sim = Simulation::new(two_economies(), 1);
    let teams_of_weak: Vec<Actor> = (4..8).map(|t| Actor::Team(TeamIdx(t))).collect();
    let audience = |command: Command| sim.audience(&command).into_iter().collect::<Vec<_>>();
    assert_eq!(
        audience(Command::AwarenessCampaign),
        vec![Actor::Facilitator],
        "acts at home only"
    );
    let mut expected = teams_of_weak.clone();
    expected.push(Actor::Facilitator);
    assert_eq!(
        audience(Command::RequestAssistance {
            from: EconomyIdx(1),
            analysts: 2
        }),
        expected
    );
    assert_eq!(
        audience(Command::ProvideAssistance {
            to: WEAK_CSIRT,
            analysts: 2
        }),
        vec![Actor::Team(WEAK_CSIRT), Actor::Facilitator]
    );
    assert_eq!(
        audience(Command::Message {
            to: Recipient::Facilitator,
            text: "x".into()
        }),
        vec![Actor::Facilitator]
    );
    assert_eq!(
        audience(Command::Broadcast { text: "x".into() }).len(),
        9,
        "every team and the facilitator"
    );
}

#[test]
fn injects_due_at_tick_0_are_read_before_the_first_tick() {
    use crate::scenario::model::{Audience, Effect, Inject, Trigger};
    let mut scenario = two_economies();
    let news = scenario.injects[0].clone();
    let opening = Inject {
        id: "startex".into(),
        headline: "STARTEX".into(),
        text: "The exercise begins.".into(),
        trigger: Trigger::At(0),
        audience: Audience::All,
        effects: vec![Effect::AdjustTrust {
            economy: EconomyIdx(1),
            delta: -10.0,
        }],
        msel: Default::default(),
    };
    let follow_up = Inject {
        id: "welcome".into(),
        headline: "Welcome".into(),
        trigger: Trigger::After {
            inject: InjectIdx(1),
            delay: 0,
        },
        effects: Vec::new(),
        ..opening.clone()
    };
    let later = Inject {
        id: "later".into(),
        headline: "An hour in".into(),
        trigger: Trigger::After {
            inject: InjectIdx(1),
            delay: 1,
        },
        effects: Vec::new(),
        ..opening.clone()
    };
    scenario.injects = vec![news, opening, follow_up, later];
    let sim = Simulation::new(scenario, 3);
    assert_eq!(sim.tick(), 0);
    let view = sim.view(Actor::Team(WEAK_CSIRT));
    let fired: Vec<(&str, Option<u32>)> = view
        .injects
        .iter()
        .map(|i| (i.headline.as_str(), i.fired_at))
        .collect();
    // The opening inject and the one right after it are delivered at tick 0; the
    // condition (`when`) and the delayed one wait for the ticks.
    assert_eq!(fired, vec![("STARTEX", Some(0)), ("Welcome", Some(0))]);
    assert!(
        view.economies[1].trust < 65.0,
        "the opening inject's effect applied at tick 0: {}",
        view.economies[1].trust
    );
    let mut sim = sim;
    sim.step();
    let view = sim.view(Actor::Team(WEAK_CSIRT));
    assert!(
        view.injects
            .iter()
            .any(|i| i.headline == "An hour in" && i.fired_at == Some(1))
    );
}

/// A new component or resource must be hashed (or left out for a stated reason) in
/// `sim/hash.rs`: every type on the world's entities and every resource the engine
/// inserts is in the hash's list.
#[test]
fn every_component_and_resource_is_covered_by_the_hash() {
    use std::any::TypeId;
    use std::collections::BTreeSet;
    let covered = super::hash::covered_types();
    let mut sim = Simulation::new(two_economies(), 3);
    // Few incidents are found early in this short run (dwell-time detection), so the
    // policy may never run short of analysts: one request (and its message) by hand.
    let request = Command::RequestAssistance {
        from: EconomyIdx(0),
        analysts: 1,
    };
    if let Err(err) = sim.submit(Actor::Team(TeamIdx(4)), request) {
        panic!("Weak's CSIRT may ask Strong for help: {err}");
    }
    while !sim.is_finished() {
        play_tick(&mut sim, Policy::Cooperative);
    }
    let world = &sim.world;
    let type_of = |id| {
        world
            .components()
            .get_info(id)
            .and_then(|info| info.type_id())
    };
    // Every entity of the simulation is listed under its kind's ids.
    fn entities<K: crate::world::Key>(world: &World) -> Vec<Entity> {
        world.resource::<Ids<K>>().iter().map(|(_, e)| e).collect()
    }
    let all = [
        entities::<EconomyIdx>(world),
        entities::<TeamIdx>(world),
        entities::<CampaignIdx>(world),
        entities::<InjectIdx>(world),
        entities::<IncidentId>(world),
        entities::<TaskId>(world),
        entities::<DeliveryId>(world),
        entities::<MessageId>(world),
        entities::<RequestId>(world),
    ];
    assert!(
        all.iter().all(|kind| !kind.is_empty()),
        "every kind of entity exists by the end of a cooperative run: {:?}",
        all.iter().map(Vec::len).collect::<Vec<_>>()
    );
    let mut archetypes = BTreeSet::new();
    let mut missing = BTreeSet::new();
    for entity in all.iter().flatten() {
        let Ok(entity) = world.get_entity(*entity) else {
            continue;
        };
        archetypes.insert(entity.archetype().id());
        for component in entity.archetype().components() {
            if let Some(ty) = type_of(*component)
                && !covered.contains(&ty)
            {
                missing.insert(format!("component #{}", component.index()));
            }
        }
    }
    // Resources bevy inserts into any world, and the schedules' settings it inserts
    // when a schedule is built, are not the simulation's state.
    let mut bevy: BTreeSet<TypeId> = World::new()
        .iter_resources()
        .filter_map(|(_, info, _)| info.type_id())
        .collect();
    bevy.insert(TypeId::of::<bevy_ecs::schedule::Schedules>());
    for (id, info, _) in world.iter_resources() {
        if let Some(ty) = info.type_id()
            && !covered.contains(&ty)
            && !bevy.contains(&ty)
        {
            missing.insert(format!("resource #{}", id.index()));
        }
    }
    assert!(
        missing.is_empty(),
        "not covered by sim/hash.rs (hash them, or list them in covered_types with why not): {missing:?}"
    );
    assert!(
        archetypes.len() >= 9,
        "{} archetypes seen",
        archetypes.len()
    );
}

#[test]
fn a_bot_round_read_in_one_go_moves_as_a_view_per_team() {
    let regional = match crate::scenario::parse(crate::scenario::bundled::APEC_REGIONAL) {
        Ok(checked) => checked.scenario,
        Err(diagnostics) => panic!("apec-regional does not load: {diagnostics:?}"),
    };
    for policy in [Policy::Isolated, Policy::Cooperative] {
        let mut round = Simulation::new(regional.clone(), 5);
        let mut per_team = Simulation::new(regional.clone(), 5);
        while !round.is_finished() {
            play_round(&mut round, policy);
            for t in 0..per_team.scenario().teams.len() {
                let team = TeamIdx(t as u32);
                for command in crate::policy::bot_commands(&per_team, team, policy) {
                    let _refused = per_team.submit(Actor::Team(team), command);
                }
            }
            assert_eq!(
                round.state_hash(),
                per_team.state_hash(),
                "{policy} at tick {}",
                round.tick()
            );
            round.step();
            per_team.step();
        }
    }
}
