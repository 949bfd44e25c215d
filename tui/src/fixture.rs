//! A hand-built view of a small exercise for rendering and input tests: three economies
//! (one with a long unicode name), four sectors, assets with cross-border dependencies,
//! incidents at several stages, tasks, messages and injects.

use cyberdrill_engine::command::{Actor, Command, IncidentId, Recipient, TaskId, Tlp};
use cyberdrill_engine::detection::FoundBy;
use cyberdrill_engine::economics::LossBreakdown;
use cyberdrill_engine::readiness::{self, ReadinessMoves};
use cyberdrill_engine::scenario::model::{
    AssetIdx, CampaignIdx, CampaignKind, DecisionIdx, DependencyKind, EconomyIdx, InjectIdx,
    ObjectiveScope, Operator, Posture, Readiness, Role, SectorIdx, TeamIdx,
};
use cyberdrill_engine::spam::{SpamFilter, SpamSeen, SpamTally};
use cyberdrill_engine::trust::{TrustCause, TrustMoves};
use cyberdrill_engine::view::{
    AnalystsView, AssetLossView, AssetView, AssistanceRequestView, CampaignView,
    DecisionOptionView, DecisionView, DependencyView, EconomyPoint, EconomyView, IncidentView,
    InjectView, MessageView, ObjectiveView, SectorInfo, SettledView, Severity, Source, Stage,
    TaskView, TeamInfo, View, Visibility,
};

fn history(trust0: f64, service0: f64, ticks: u32) -> Vec<EconomyPoint> {
    (1..=ticks)
        .map(|t| {
            let t_f = f64::from(t);
            EconomyPoint {
                tick: t,
                trust: trust0 - t_f * 1.5,
                loss: t_f * t_f * 25_000.0,
                service: (service0 - t_f * 0.02).max(0.0),
            }
        })
        .collect()
}

fn economy(idx: u32, id: &str, name: &str, full: bool, trust: f64, service: f64) -> EconomyView {
    EconomyView {
        idx: EconomyIdx(idx),
        id: id.to_string(),
        name: name.to_string(),
        visibility: if full {
            Visibility::Full
        } else {
            Visibility::Public
        },
        trust: trust - 12.0,
        loss: 64.0 * 25_000.0,
        output: 4.0e9,
        loss_breakdown: full.then_some(LossBreakdown {
            direct: 40.0 * 25_000.0,
            dependencies: 14.0 * 25_000.0,
            fraud: 10.0 * 25_000.0,
            ransom: 0.0,
            recovery: 0.0,
        }),
        // Trust fell by 12 from where it started.
        trust_moves: full.then(|| {
            let mut moves = TrustMoves::default();
            moves.book(TrustCause::AttacksOnPeople, -7.5);
            moves.book(TrustCause::Outages, -6.0);
            moves.book(TrustCause::VisibleResponse, 1.0);
            moves.book(TrustCause::AwarePublic, 0.5);
            moves
        }),
        // Spam reached 35,000 people past 99% filtering; three answered.
        spam: full.then_some(SpamSeen {
            filter: SpamFilter {
                level: 99.0,
                target: 99.8,
            },
            tally: SpamTally {
                sent: 3_500_000.0,
                reached: 35_000.0,
                responded: 3.0,
                loss: 3_000.0,
            },
        }),
        // Outages cost 54 x 25,000: finance most, through the payment switch.
        loss_by_sector: if full {
            [6.0, 16.0, 30.0, 2.0].map(|k| k * 25_000.0).to_vec()
        } else {
            Vec::new()
        },
        top_assets: if full {
            [
                (
                    2,
                    "Arcadia interbank payment switch with a very long name",
                    30.0,
                ),
                (1, "ArcTel backbone", 12.0),
                (0, "Arcadia national grid", 6.0),
                (5, "Pacific submarine cable landing", 4.0),
                (3, "Royal Hospital records", 2.0),
            ]
            .map(|(idx, name, k)| AssetLossView {
                asset: AssetIdx(idx),
                name: name.to_string(),
                loss: k * 25_000.0,
            })
            .to_vec()
        } else {
            Vec::new()
        },
        service,
        awareness: full.then_some(55.0),
        readiness: full.then_some(Readiness {
            legal: 60,
            technical: 70,
            organizational: 50,
            capacity: 40,
            cooperation: 65,
        }),
        // Its own training raised technical by 3, Borealis's trainers cooperation by 2.
        readiness_moves: full.then_some(ReadinessMoves {
            training: Readiness {
                technical: 3,
                ..readiness::NONE
            },
            assistance: Readiness {
                cooperation: 2,
                ..readiness::NONE
            },
        }),
        sector_service: if full {
            vec![Some(0.97), Some(0.62), Some(0.31), None]
        } else {
            Vec::new()
        },
        history: history(trust, service + 0.16, 8),
    }
}

#[allow(clippy::too_many_arguments)]
fn asset(
    idx: u32,
    name: &str,
    economy: u32,
    sector: u32,
    service: f64,
    own: bool,
    depends_on: Vec<DependencyView>,
) -> AssetView {
    AssetView {
        idx: AssetIdx(idx),
        id: format!("a{idx}"),
        name: name.to_string(),
        economy: EconomyIdx(economy),
        sector: SectorIdx(sector),
        operator: if sector == 2 {
            Operator::Private
        } else {
            Operator::Public
        },
        criticality: 4,
        people_served: 1_200_000,
        service,
        posture: own.then_some(Posture {
            patching: 55,
            monitoring: 60,
            backups: 40,
        }),
        depends_on,
        damage: own.then_some(if service < 0.5 { 0.6 } else { 0.0 }),
        at_stake: own.then_some(12_000.0),
    }
}

fn dep(on: u32, weight: f64, kind: DependencyKind, cross_border: bool) -> DependencyView {
    DependencyView {
        on: AssetIdx(on),
        weight,
        kind,
        cross_border,
    }
}

/// The view of the first team (Arcadia's CSIRT) at tick 8 of 48.
pub fn team_view() -> View {
    let teams = vec![
        team(0, "arc-csirt", "Arcadia CSIRT", Role::Csirt, 0),
        team(1, "bor-csirt", "Borealis CIRT", Role::Csirt, 1),
        team(
            2,
            "cal-le",
            "Calédonie–Überseegebiet Police nationale 東京",
            Role::LawEnforcement,
            2,
        ),
    ];
    View {
        viewer: Actor::Team(TeamIdx(0)),
        title: "Tutorial: a ransomware night".to_string(),
        briefing: "A criminal group targets the region's payment switch.".to_string(),
        tick: 8,
        duration_ticks: 48,
        tick_minutes: 60,
        time_label: "Day 1 08:00".to_string(),
        my_team: Some(TeamIdx(0)),
        teams,
        sectors: ["Energy", "Telecom", "Finance", "Health"]
            .iter()
            .enumerate()
            .map(|(i, name)| SectorInfo {
                idx: SectorIdx(i as u32),
                id: name.to_lowercase(),
                name: name.to_string(),
            })
            .collect(),
        economies: vec![
            economy(0, "arc", "Arcadia", true, 72.0, 0.81),
            economy(1, "bor", "Borealis", false, 80.0, 0.95),
            economy(
                2,
                "cal",
                "Calédonie–Überseegebiet des Pazifiks 東京",
                false,
                65.0,
                0.42,
            ),
        ],
        assets: vec![
            asset(0, "Arcadia national grid", 0, 0, 0.97, true, vec![]),
            asset(
                1,
                "ArcTel backbone",
                0,
                1,
                0.62,
                true,
                vec![
                    dep(0, 0.5, DependencyKind::Physical, false),
                    dep(5, 0.3, DependencyKind::Cyber, true),
                ],
            ),
            asset(
                2,
                "Arcadia interbank payment switch with a very long name",
                0,
                2,
                0.31,
                true,
                vec![dep(1, 0.6, DependencyKind::Cyber, false)],
            ),
            asset(3, "Royal Hospital records", 0, 3, 1.0, true, vec![]),
            asset(
                5,
                "Pacific submarine cable landing",
                1,
                1,
                0.9,
                false,
                vec![],
            ),
        ],
        incidents: vec![
            IncidentView {
                id: IncidentId(0),
                asset: AssetIdx(2),
                economy: EconomyIdx(0),
                campaign: Some(CampaignIdx(0)),
                kind: Some(CampaignKind::Ransomware),
                stage: Stage::Impact,
                severity: Severity::Critical,
                source: Source::Own,
                started_at: Some(3),
                detected_at: Some(5),
                contained_at: None,
                recovered_at: None,
                investigated: true,
                found_by: Some(FoundBy::Watch),
                referred: false,
            },
            IncidentView {
                id: IncidentId(1),
                asset: AssetIdx(1),
                economy: EconomyIdx(0),
                campaign: None,
                kind: None,
                stage: Stage::Foothold,
                severity: Severity::Medium,
                source: Source::Own,
                started_at: None,
                detected_at: Some(7),
                contained_at: None,
                recovered_at: None,
                investigated: false,
                found_by: None,
                referred: false,
            },
            IncidentView {
                id: IncidentId(4),
                asset: AssetIdx(5),
                economy: EconomyIdx(1),
                campaign: None,
                kind: Some(CampaignKind::Ddos),
                stage: Stage::InitialAccess,
                severity: Severity::Low,
                source: Source::SharedBy {
                    economy: EconomyIdx(1),
                    tlp: Tlp::Amber,
                },
                started_at: None,
                detected_at: Some(6),
                contained_at: Some(7),
                recovered_at: None,
                investigated: false,
                found_by: None,
                referred: false,
            },
        ],
        campaigns: vec![CampaignView {
            idx: CampaignIdx(0),
            id: "night-locker".to_string(),
            name: "NightLocker".to_string(),
            kind: CampaignKind::Ransomware,
            actor: "Ember Spider".to_string(),
            active: false,
            origin: None,
            hosting: Vec::new(),
            taken_down: Vec::new(),
        }],
        tasks: vec![
            TaskView {
                id: TaskId(0),
                team: TeamIdx(0),
                label: "investigate".to_string(),
                target: "#0 Arcadia interbank payment switch".to_string(),
                analysts: 2,
                started_at: 5,
                done_at: 7,
                progress: 1.0,
                finished: true,
                command: Command::Investigate {
                    incident: IncidentId(0),
                },
                outcome: Some("NightLocker identified; indicators ready to share".to_string()),
            },
            TaskView {
                id: TaskId(1),
                team: TeamIdx(0),
                label: "contain".to_string(),
                target: "#0 Arcadia interbank payment switch".to_string(),
                analysts: 3,
                started_at: 7,
                done_at: 10,
                progress: 0.34,
                finished: false,
                command: Command::Contain {
                    incident: IncidentId(0),
                },
                outcome: None,
            },
        ],
        analysts: AnalystsView {
            total: 8,
            busy: 3,
            lent: 0,
            borrowed: 0,
            incoming: 0,
        },
        messages: vec![
            MessageView {
                tick: 6,
                from: Actor::Team(TeamIdx(1)),
                to: Recipient::Team(TeamIdx(0)),
                text: "We see DDoS traffic on the cable landing, sharing indicators.".to_string(),
            },
            MessageView {
                tick: 7,
                from: Actor::Facilitator,
                to: Recipient::All,
                text: "Reminder: the minister expects a situation report at 10:00.".to_string(),
            },
        ],
        injects: vec![
            InjectView {
                idx: InjectIdx(0),
                fired_at: Some(5),
                headline: "Payment terminals fail across Arcadia".to_string(),
                text: "Shops report card payments refused since 05:00.".to_string(),
                sender: Some("Arcadia Payments Council".to_string()),
                channel: Some("email".to_string()),
                trigger: String::new(),
                recipients: String::new(),
                effects: Vec::new(),
            },
            InjectView {
                idx: InjectIdx(1),
                fired_at: None,
                headline: "Ransom note published".to_string(),
                text: "The group posts a ransom demand on a leak site.".to_string(),
                sender: None,
                channel: None,
                trigger: "at tick 12".to_string(),
                recipients: String::new(),
                effects: Vec::new(),
            },
        ],
        objectives: vec![
            ObjectiveView {
                id: "keep-finance".to_string(),
                description: "Keep Arcadia's finance sector above 70% service".to_string(),
                scope: ObjectiveScope::Team(TeamIdx(0)),
                weight: 2.0,
                score: 0.75,
                measure:
                    "share of ticks so far on which Arcadia's Finance service was at or above 70%"
                        .to_string(),
            },
            ObjectiveView {
                id: "region-loss".to_string(),
                description: "Regional loss under $10M".to_string(),
                scope: ObjectiveScope::Region,
                weight: 1.0,
                score: 0.4,
                measure:
                    "100% while the loss of the region is at most $10M, 0.083% of the region's \
                     output for the exercise; above, $10M / the loss"
                        .to_string(),
            },
        ],
        assistance_requests: vec![AssistanceRequestView {
            from_team: TeamIdx(1),
            to: EconomyIdx(0),
            analysts: 2,
            provided: 0,
            at: 7,
        }],
        decisions: decisions(),
    }
}

fn option(id: &str, label: &str, effects: &[&str], recommended: bool) -> DecisionOptionView {
    DecisionOptionView {
        id: id.to_string(),
        label: label.to_string(),
        text: String::new(),
        effects: effects.iter().map(|e| e.to_string()).collect(),
        recommended,
    }
}

/// A settled decision and an open one put to Arcadia's CSIRT (team 0).
fn decisions() -> Vec<DecisionView> {
    vec![
        DecisionView {
            idx: DecisionIdx(0),
            id: "statement".to_string(),
            title: "Public statement: now or later?".to_string(),
            text: String::new(),
            teams: vec![TeamIdx(0)],
            options: vec![
                option("now", "Speak now", &["trust in Arcadia +2 points"], true),
                option(
                    "later",
                    "Wait for the facts",
                    &["trust in Arcadia -3 points"],
                    false,
                ),
            ],
            offered_at: 6,
            deadline_at: Some(10),
            default: Some(1),
            settled: Some(SettledView {
                option: 0,
                by: Some(TeamIdx(0)),
                at: 8,
            }),
        },
        DecisionView {
            idx: DecisionIdx(1),
            id: "ransom".to_string(),
            title: "Pay the ransom?".to_string(),
            text: "The hospital's records are encrypted; the note demands payment.".to_string(),
            teams: vec![TeamIdx(0)],
            options: vec![
                option(
                    "pay",
                    "Pay the ransom",
                    &[
                        "Arcadia pays the ransom: $1.2M, 0.03% of Arcadia's output for the exercise, \
                         for each compromised system (ransomware)",
                        "trust in Arcadia -2 points",
                    ],
                    false,
                ),
                option(
                    "refuse",
                    "Refuse and restore from backups",
                    &[
                        "Arcadia refuses to pay a demand of $1.2M, 0.03% of Arcadia's output for the \
                       exercise, for each compromised system, restores from backups (ransomware)",
                    ],
                    true,
                ),
            ],
            offered_at: 10,
            deadline_at: Some(14),
            default: Some(1),
            settled: None,
        },
    ]
}

/// The facilitator's view of the same moment: everything visible.
pub fn facilitator_view() -> View {
    let mut view = team_view();
    view.viewer = Actor::Facilitator;
    view.my_team = None;
    for economy in &mut view.economies {
        economy.visibility = Visibility::Full;
        economy.sector_service = vec![Some(0.95), Some(0.7), Some(0.2), Some(1.0)];
    }
    view.campaigns[0].active = true;
    view.analysts = AnalystsView::default();
    view.injects[0].recipients = "every team".to_string();
    view.injects[1].recipients = "Arcadia CSIRT, Borealis CIRT".to_string();
    view.injects[1].effects = vec![
        "starts NightLocker".to_string(),
        "trust in Arcadia -5 points".to_string(),
    ];
    view
}

fn team(idx: u32, id: &str, name: &str, role: Role, economy: u32) -> TeamInfo {
    TeamInfo {
        idx: TeamIdx(idx),
        id: id.to_string(),
        name: name.to_string(),
        role,
        economy: EconomyIdx(economy),
        sectors: Vec::new(),
    }
}
