//! Small scenarios built in code, for the engine's own tests and benchmarks (the
//! scenario files and their loader live elsewhere; these keep the engine's tests
//! independent of them).

use crate::scenario::model::*;
use crate::scenario::validate::{default_output_share, default_repair_hours};

/// A two-economy region: `strong` (index 0, high readiness) and `weak` (index 1), each
/// with a power grid, a telecom network on the grid, and a bank on its telecom network
/// and, across the border, on the other economy's telecom; a criminal ransomware
/// campaign and a phishing campaign against both; one team per role in each economy.
pub fn two_economies() -> Scenario {
    let economies = vec![economy("strong", 85), economy("weak", 30)];
    let sectors = vec![sector("energy"), sector("telecom"), sector("finance")];
    let mut assets = Vec::new();
    for e in 0..2u32 {
        let base = e * 3;
        let other_telecom = AssetIdx((1 - e) * 3 + 1);
        assets.push(asset(
            &format!("{}-grid", economies[e as usize].id),
            e,
            0,
            vec![],
        ));
        assets.push(asset(
            &format!("{}-telecom", economies[e as usize].id),
            e,
            1,
            vec![dep(base, 0.5)],
        ));
        let mut bank_deps = vec![dep(base + 1, 0.4), dep(other_telecom.0, 0.2)];
        bank_deps.sort_by_key(|d| d.on);
        assets.push(asset(
            &format!("{}-bank", economies[e as usize].id),
            e,
            2,
            bank_deps,
        ));
    }
    let actors = vec![Actor {
        id: "crew".into(),
        name: "Ransom crew".into(),
        kind: ActorKind::Criminal,
        capability: 70,
    }];
    let campaigns = vec![
        campaign(
            "ransom",
            CampaignKind::Ransomware,
            vec![0, 2, 3, 5],
            Some(1),
        ),
        campaign("phish", CampaignKind::Phishing, vec![2, 5], Some(2)),
    ];
    let mut teams = Vec::new();
    for e in 0..2u32 {
        let id = &economies[e as usize].id;
        teams.push(team(&format!("{id}-csirt"), Role::Csirt, e, 8));
        teams.push(team(&format!("{id}-reg"), Role::Regulator, e, 4));
        teams.push(team(&format!("{id}-op"), Role::Operator, e, 4));
        teams.push(team(&format!("{id}-police"), Role::LawEnforcement, e, 4));
    }
    // The weak economy's operator runs only its finance sector.
    teams[6].sectors = vec![SectorIdx(2)];
    Scenario {
        meta: Meta {
            id: "two-economies".into(),
            title: "Two economies".into(),
            briefing: "A ransomware crew and a phishing gang work the region.".into(),
            tick_minutes: 60,
            duration_ticks: 48,
            start_label: Some("2026-03-02 08:00".into()),
            sharing_delay_without_agreement: 12,
            mla_delay_without_agreement: 48,
            assistance_delay_without_agreement: 12,
        },
        economies,
        sectors,
        assets,
        actors,
        campaigns,
        injects: vec![Inject {
            id: "news".into(),
            headline: "Banks report outages".into(),
            text: "Customers cannot reach online banking.".into(),
            trigger: Trigger::When(Condition::ServiceBelow {
                scope: ServiceScope::Mean {
                    economy: None,
                    sector: Some(SectorIdx(2)),
                },
                level: 0.9,
            }),
            audience: Audience::All,
            effects: vec![Effect::AdjustTrust {
                economy: EconomyIdx(1),
                delta: -5.0,
            }],
            msel: Msel::default(),
        }],
        teams,
        agreements: vec![Agreement {
            id: "cert-mou".into(),
            kind: AgreementKind::InformationSharing,
            parties: vec![EconomyIdx(0), EconomyIdx(1)],
            delay: 1,
        }],
        objectives: vec![
            Objective {
                id: "keep-banking".into(),
                description: "Keep banking above 80%".into(),
                scope: ObjectiveScope::Region,
                weight: 2.0,
                goal: Goal::ServiceAtLeast {
                    economy: None,
                    sector: Some(SectorIdx(2)),
                    level: 0.8,
                },
            },
            Objective {
                id: "weak-detect".into(),
                description: "Detect within 6 hours".into(),
                scope: ObjectiveScope::Team(TeamIdx(4)),
                weight: 1.0,
                goal: Goal::DetectWithin {
                    campaign: None,
                    economy: Some(EconomyIdx(1)),
                    ticks: 6,
                },
            },
        ],
        decisions: Vec::new(),
        watches: 0,
        training_objectives: Vec::new(),
        modules: Vec::new(),
    }
}

fn economy(id: &str, readiness: u8) -> Economy {
    Economy {
        id: id.into(),
        name: format!("{id} economy"),
        population: 5_000_000,
        gdp_per_capita: 20_000.0,
        readiness: Readiness {
            legal: readiness,
            technical: readiness,
            organizational: readiness,
            capacity: readiness,
            cooperation: readiness,
        },
        awareness: readiness,
        trust: 70,
        spam_filtering: DEFAULT_SPAM_FILTERING,
        sector_shares: ["energy", "telecom", "finance"]
            .map(default_output_share)
            .to_vec(),
    }
}

fn sector(id: &str) -> Sector {
    Sector {
        id: id.into(),
        name: id.into(),
        output_share: default_output_share(id),
    }
}

fn dep(on: u32, weight: f64) -> Dependency {
    Dependency {
        on: AssetIdx(on),
        weight,
        kind: DependencyKind::Cyber,
    }
}

fn asset(id: &str, economy: u32, sector: u32, depends_on: Vec<Dependency>) -> Asset {
    let mut asset = Asset::new(id, id, EconomyIdx(economy), SectorIdx(sector));
    asset.operator = if sector == 2 {
        Operator::Private
    } else {
        Operator::Public
    };
    asset.criticality = 4;
    asset.people_served = 1_000_000;
    asset.posture = Posture {
        patching: 50,
        monitoring: 50,
        backups: 50,
    };
    asset.resilience = 0.5;
    asset.set_depends_on(depends_on);
    // Each asset is the whole of its sector at home.
    asset.set_serves(vec![Serve {
        economy: EconomyIdx(economy),
        share: 1.0,
    }]);
    asset.repair_hours = default_repair_hours(["energy", "telecom", "finance"][sector as usize]);
    asset
}

fn campaign(id: &str, kind: CampaignKind, targets: Vec<u32>, start: Option<u32>) -> Campaign {
    Campaign {
        id: id.into(),
        name: id.into(),
        actor: ActorIdx(0),
        kind,
        targets: targets.into_iter().map(AssetIdx).collect(),
        start,
        stage_ticks: 3,
        intensity: 1,
        impact: default_impact(kind),
        duration: None,
        victim_rate: default_victim_rate(kind),
        victim_loss: None,
        messages: if kind == CampaignKind::Spam {
            DEFAULT_SPAM_MESSAGES
        } else {
            0.0
        },
        response_rate: if kind == CampaignKind::Spam {
            DEFAULT_SPAM_RESPONSE_RATE
        } else {
            0.0
        },
        ransom: None,
        recovery_cost: None,
        origin: None,
        hosting: Vec::new(),
        techniques: Techniques::default(),
    }
}

fn team(id: &str, role: Role, economy: u32, analysts: u32) -> Team {
    Team {
        id: id.into(),
        name: id.into(),
        role,
        economy: EconomyIdx(economy),
        analysts,
        sectors: Vec::new(),
    }
}
