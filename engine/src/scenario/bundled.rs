//! The scenarios shipped inside the binary, so that `cyberdrill` runs from any directory.
//!
//! - [`TUTORIAL`]: two economies, one hospital ransomware story; teaches the game in
//!   fifteen minutes.
//! - [`APEC_REGIONAL`]: nine economies of uneven readiness after the APEC strategy for a
//!   trusted, secure and sustainable online environment (2005); the scenario on which
//!   cooperation must measurably pay.
//! - [`ITU_CIRT_DRILL`]: a national-CIRT cooperation drill after the ITU Regional
//!   Cybersecurity Forum for Asia-Pacific (Hyderabad, 2009), with law enforcement, mutual
//!   legal assistance and child online protection.

/// `scenarios/tutorial.toml`.
pub const TUTORIAL: &str = include_str!("../../../scenarios/tutorial.toml");
/// `scenarios/apec-regional.toml`.
pub const APEC_REGIONAL: &str = include_str!("../../../scenarios/apec-regional.toml");
/// `scenarios/itu-cirt-drill.toml`.
pub const ITU_CIRT_DRILL: &str = include_str!("../../../scenarios/itu-cirt-drill.toml");

/// Every bundled scenario as `(file name, text)`, tutorial first.
pub fn all() -> [(&'static str, &'static str); 3] {
    [
        ("tutorial.toml", TUTORIAL),
        ("apec-regional.toml", APEC_REGIONAL),
        ("itu-cirt-drill.toml", ITU_CIRT_DRILL),
    ]
}

/// The bundled scenario called `name`, with or without its `.toml` extension.
pub fn find(name: &str) -> Option<(&'static str, &'static str)> {
    let wanted = name.strip_suffix(".toml").unwrap_or(name);
    all()
        .into_iter()
        .find(|(file, _)| file.strip_suffix(".toml") == Some(wanted))
}

#[cfg(test)]
mod tests {
    use std::collections::{BTreeMap, BTreeSet};

    use super::*;
    use crate::scenario::raw::{
        ActorKind, AgreementKind, CampaignKind, RawCondition, RawEffect, RawReadiness, RawScenario,
        Role,
    };

    fn parse(text: &str, file: &str) -> RawScenario {
        match toml::from_str(text) {
            Ok(raw) => raw,
            Err(err) => panic!("{file} does not deserialize: {err}"),
        }
    }

    /// Assets counted one by one, with every group expanded to its members.
    fn asset_count(raw: &RawScenario) -> u64 {
        raw.assets.len() as u64
            + raw
                .asset_groups
                .iter()
                .map(|g| u64::from(g.count))
                .sum::<u64>()
    }

    /// Economy of every asset id and group id.
    fn economy_of_ids(raw: &RawScenario) -> BTreeMap<&str, &str> {
        let singles = raw
            .assets
            .iter()
            .map(|a| (a.id.as_str(), a.economy.as_str()));
        let groups = raw
            .asset_groups
            .iter()
            .map(|g| (g.id.as_str(), g.economy.as_str()));
        singles.chain(groups).collect()
    }

    /// Declared dependencies (a group's list counted once) whose ends lie in two economies.
    fn cross_border_dependencies(raw: &RawScenario) -> usize {
        let economy = economy_of_ids(raw);
        let singles = raw
            .assets
            .iter()
            .map(|a| (a.economy.as_str(), &a.depends_on));
        let groups = raw
            .asset_groups
            .iter()
            .map(|g| (g.economy.as_str(), &g.depends_on));
        singles
            .chain(groups)
            .flat_map(|(own, deps)| deps.iter().map(move |d| (own, d.on.as_str())))
            .filter(|(own, on)| economy.get(on).is_some_and(|other| other != own))
            .count()
    }

    fn mean_readiness(r: &RawReadiness) -> u32 {
        (u32::from(r.legal)
            + u32::from(r.technical)
            + u32::from(r.organizational)
            + u32::from(r.capacity)
            + u32::from(r.cooperation))
            / 5
    }

    fn started_by_inject(raw: &RawScenario) -> BTreeSet<&str> {
        raw.injects
            .iter()
            .flat_map(|i| i.effects.iter())
            .filter_map(|e| match e {
                RawEffect::StartCampaign(id) => Some(id.as_str()),
                _ => None,
            })
            .collect()
    }

    /// Every campaign must be able to happen: a start tick or an inject that starts it.
    fn assert_every_campaign_starts(raw: &RawScenario, file: &str) {
        let by_inject = started_by_inject(raw);
        for campaign in &raw.campaigns {
            assert!(
                campaign.start.is_some() || by_inject.contains(campaign.id.as_str()),
                "{file}: campaign {} never starts",
                campaign.id
            );
        }
    }

    /// Unordered pairs of economies covered by agreements of `kind`.
    fn covered_pairs(raw: &RawScenario, kind: AgreementKind) -> BTreeSet<(String, String)> {
        let mut pairs = BTreeSet::new();
        for agreement in raw.agreements.iter().filter(|a| a.kind == kind) {
            for a in &agreement.parties {
                for b in &agreement.parties {
                    if a < b {
                        pairs.insert((a.clone(), b.clone()));
                    }
                }
            }
        }
        pairs
    }

    fn economies_with_csirt(raw: &RawScenario) -> BTreeSet<&str> {
        raw.teams
            .iter()
            .filter(|t| t.role == Role::Csirt)
            .map(|t| t.economy.as_str())
            .collect()
    }

    /// Validates with the real loader; any error or warning fails with the rendered text.
    fn assert_validates_cleanly(file: &str, text: &str) -> crate::scenario::Scenario {
        match crate::scenario::parse(text) {
            Ok(checked) if checked.warnings.is_empty() => checked.scenario,
            Ok(checked) => panic!("{}", crate::scenario::render(file, text, &checked.warnings)),
            Err(diagnostics) => panic!("{}", crate::scenario::render(file, text, &diagnostics)),
        }
    }

    #[test]
    fn every_bundled_file_validates_with_no_errors_and_no_warnings() {
        for (file, text) in all() {
            assert_validates_cleanly(file, text);
        }
    }

    #[test]
    fn apec_regional_checked_model_has_cross_border_dependencies_and_campaign_targets() {
        let scenario = assert_validates_cleanly("apec-regional.toml", APEC_REGIONAL);
        assert!(scenario.assets.len() >= 80);
        assert!(scenario.cross_border_dependencies() >= 20);
        for campaign in &scenario.campaigns {
            let economies: BTreeSet<_> = campaign
                .targets
                .iter()
                .map(|a| scenario.assets[a.index()].economy)
                .collect();
            let hazard = matches!(
                campaign.kind,
                CampaignKind::NaturalDisaster | CampaignKind::TechnicalFailure
            );
            if !hazard {
                assert!(
                    economies.len() >= 3,
                    "{} hits {} economies",
                    campaign.id,
                    economies.len()
                );
            }
        }
    }

    /// Mean regional loss and availability of `runs` seeded bot runs of a bundled scenario under `policy`.
    fn mean_loss(text: &str, policy: crate::policy::Policy, runs: u64) -> (f64, f64) {
        let scenario = assert_validates_cleanly("bundled", text);
        let (mut loss, mut availability) = (0.0, 0.0);
        for seed in 0..runs {
            let mut sim = crate::Simulation::new(scenario.clone(), seed);
            while !sim.is_finished() {
                crate::policy::play_round(&mut sim, policy);
                sim.step();
            }
            let metrics = sim.metrics();
            loss += metrics.regional_loss;
            availability += metrics.mean_availability;
        }
        let n = runs as f64;
        (loss / n, availability / n)
    }

    /// Ids of the injects that fired in `runs` seeded bot runs under `policy`.
    fn fired_injects(text: &str, policy: crate::policy::Policy, runs: u64) -> BTreeSet<String> {
        use crate::command::Actor;
        let scenario = assert_validates_cleanly("bundled", text);
        let mut fired = BTreeSet::new();
        for seed in 0..runs {
            let mut sim = crate::Simulation::new(scenario.clone(), seed);
            while !sim.is_finished() {
                crate::policy::play_round(&mut sim, policy);
                sim.step();
            }
            let view = sim.view(Actor::Facilitator);
            for inject in view.injects.iter().filter(|i| i.fired_at.is_some()) {
                fired.insert(scenario.injects[inject.idx.index()].id.clone());
            }
        }
        fired
    }

    /// No dead narrative: every inject of every bundled scenario fires in some seeded run
    /// under some policy (conditions that only a poor or a good response meets included).
    #[test]
    fn every_bundled_inject_fires_under_some_policy() {
        use crate::policy::Policy;
        for (file, text) in all() {
            let mut fired = BTreeSet::new();
            for policy in Policy::ALL {
                fired.extend(fired_injects(text, policy, 6));
            }
            let raw = parse(text, file);
            let never: Vec<&str> = raw
                .injects
                .iter()
                .map(|i| i.id.as_str())
                .filter(|id| !fired.contains(*id))
                .collect();
            assert!(
                never.is_empty(),
                "{file}: injects that never fire: {never:?}"
            );
        }
    }

    /// The teaching point (README, `docs/model.md`), on the scenario built to show it: over many seeds,
    /// `cooperative` beats `isolated` beats `idle` on regional loss.
    #[test]
    fn apec_regional_cooperation_pays_over_seeds() {
        use crate::policy::Policy;
        let [idle, isolated, cooperative] =
            Policy::ALL.map(|policy| mean_loss(APEC_REGIONAL, policy, 8));
        assert!(
            cooperative.0 < isolated.0 && isolated.0 < idle.0,
            "mean regional loss: cooperative {:.0}, isolated {:.0}, idle {:.0}",
            cooperative.0,
            isolated.0,
            idle.0
        );
        assert!(cooperative.1 > idle.1, "cooperation keeps more service up");
    }

    #[test]
    fn all_lists_the_three_files_and_find_accepts_names_with_or_without_extension() {
        let names: Vec<&str> = all().iter().map(|(name, _)| *name).collect();
        assert_eq!(
            names,
            ["tutorial.toml", "apec-regional.toml", "itu-cirt-drill.toml"]
        );
        assert_eq!(find("tutorial").map(|(_, text)| text), Some(TUTORIAL));
        assert_eq!(
            find("apec-regional.toml").map(|(_, text)| text),
            Some(APEC_REGIONAL)
        );
        assert_eq!(
            find("itu-cirt-drill").map(|(_, text)| text),
            Some(ITU_CIRT_DRILL)
        );
        assert!(find("no-such-scenario").is_none());
    }

    #[test]
    fn every_bundled_file_deserializes_and_its_id_matches_its_file_name() {
        for (file, text) in all() {
            let raw = parse(text, file);
            assert_eq!(Some(raw.scenario.id.as_str()), file.strip_suffix(".toml"));
            assert!(
                !raw.scenario.briefing.trim().is_empty(),
                "{file} has no briefing"
            );
            assert_every_campaign_starts(&raw, file);
        }
    }

    #[test]
    fn tutorial_is_small_and_teaches_one_story() {
        let raw = parse(TUTORIAL, "tutorial.toml");
        assert_eq!(raw.economies.len(), 2);
        assert!((4..=10).contains(&asset_count(&raw)), "a handful of assets");
        assert!(cross_border_dependencies(&raw) >= 1);
        assert!((1..=2).contains(&raw.campaigns.len()));
        assert!((2..=4).contains(&raw.teams.len()));
        assert!(raw.objectives.len() >= 2);
        assert!((24..=36).contains(&raw.scenario.duration_ticks));
        assert!(raw.injects.len() >= 4, "injects teach step by step");
        assert!(raw.injects.iter().any(|i| i.when.is_some()));
        assert!(raw.injects.iter().any(|i| i.after.is_some()));
    }

    #[test]
    fn apec_regional_meets_the_counts_of_a_regional_exercise() {
        let raw = parse(APEC_REGIONAL, "apec-regional.toml");
        assert!(raw.economies.len() >= 8);
        assert!(raw.teams.len() >= 8);
        assert!(raw.sectors.len() >= 6);
        let templated = raw
            .sectors
            .iter()
            .filter(|s| s.asset.posture.is_some() || s.asset.criticality.is_some())
            .count();
        assert_eq!(
            templated,
            raw.sectors.len(),
            "every sector carries an asset template"
        );
        assert!(asset_count(&raw) >= 80, "{} assets", asset_count(&raw));
        assert!(!raw.asset_groups.is_empty());
        assert!(cross_border_dependencies(&raw) >= 5);
        assert!(raw.campaigns.len() >= 3);
        assert!(raw.injects.len() >= 25, "{} injects", raw.injects.len());
        assert!(raw.injects.iter().filter(|i| i.when.is_some()).count() >= 5);
        assert!(raw.injects.iter().filter(|i| i.after.is_some()).count() >= 3);
        assert!(raw.objectives.len() >= 4);
        assert!((48..=72).contains(&raw.scenario.duration_ticks));
    }

    #[test]
    fn apec_regional_readiness_is_uneven() {
        let raw = parse(APEC_REGIONAL, "apec-regional.toml");
        let means: Vec<u32> = raw
            .economies
            .iter()
            .map(|e| mean_readiness(&e.readiness))
            .collect();
        let advanced = means.iter().filter(|m| **m >= 75).count();
        let middle = means.iter().filter(|m| (35..75).contains(*m)).count();
        let nascent = means.iter().filter(|m| **m < 35).count();
        assert_eq!(advanced, 2, "{means:?}");
        assert!(middle >= 3, "{means:?}");
        assert!(nascent >= 2, "{means:?}");
    }

    #[test]
    fn apec_regional_has_every_role_and_a_csirt_per_economy() {
        let raw = parse(APEC_REGIONAL, "apec-regional.toml");
        let with_csirt = economies_with_csirt(&raw);
        for economy in &raw.economies {
            assert!(
                with_csirt.contains(economy.id.as_str()),
                "{} has no CSIRT",
                economy.id
            );
        }
        for role in [Role::Regulator, Role::Operator, Role::LawEnforcement] {
            assert!(raw.teams.iter().any(|t| t.role == role), "no {role:?} team");
        }
    }

    #[test]
    fn apec_regional_covers_the_threats_of_the_strategy() {
        let raw = parse(APEC_REGIONAL, "apec-regional.toml");
        let kinds: BTreeSet<String> = raw
            .campaigns
            .iter()
            .map(|c| format!("{:?}", c.kind))
            .collect();
        for kind in [
            CampaignKind::Phishing,
            CampaignKind::IdentityTheft,
            CampaignKind::FakeWebsite,
            CampaignKind::Ddos,
            CampaignKind::Ransomware,
        ] {
            assert!(kinds.contains(&format!("{kind:?}")), "no {kind:?} campaign");
        }
        let hazard_actors: BTreeSet<&str> = raw
            .actors
            .iter()
            .filter(|a| a.kind == ActorKind::NaturalHazard)
            .map(|a| a.id.as_str())
            .collect();
        assert!(raw.campaigns.iter().any(|c| {
            matches!(
                c.kind,
                CampaignKind::NaturalDisaster | CampaignKind::TechnicalFailure
            ) && hazard_actors.contains(c.actor.as_str())
        }));
    }

    /// The teaching point needs one actor hitting several economies, so that the first to
    /// detect can warn the rest.
    #[test]
    fn apec_regional_criminal_campaigns_cross_borders() {
        let raw = parse(APEC_REGIONAL, "apec-regional.toml");
        let multi_economy = raw
            .campaigns
            .iter()
            .filter(|c| c.targets.economies.len() >= 3 || c.targets.economies.is_empty())
            .filter(|c| c.kind != CampaignKind::NaturalDisaster)
            .count();
        assert!(multi_economy >= 3);
    }

    #[test]
    fn apec_regional_agreements_cover_some_but_not_all_pairs() {
        let raw = parse(APEC_REGIONAL, "apec-regional.toml");
        let n = raw.economies.len();
        let all_pairs = n * (n - 1) / 2;
        for kind in [
            AgreementKind::InformationSharing,
            AgreementKind::MutualLegalAssistance,
            AgreementKind::Assistance,
        ] {
            let covered = covered_pairs(&raw, kind).len();
            assert!(
                covered > 0 && covered < all_pairs,
                "{kind:?}: {covered} of {all_pairs}"
            );
        }
    }

    #[test]
    fn itu_drill_has_cirts_police_mla_sharing_and_child_online_protection() {
        let raw = parse(ITU_CIRT_DRILL, "itu-cirt-drill.toml");
        assert!((4..=6).contains(&raw.economies.len()));
        let with_csirt = economies_with_csirt(&raw);
        assert!(
            raw.economies
                .iter()
                .all(|e| with_csirt.contains(e.id.as_str()))
        );
        assert!(raw.teams.iter().any(|t| t.role == Role::LawEnforcement));
        assert!(!covered_pairs(&raw, AgreementKind::MutualLegalAssistance).is_empty());
        assert!(!covered_pairs(&raw, AgreementKind::InformationSharing).is_empty());
        assert!(
            raw.campaigns
                .iter()
                .any(|c| c.kind == CampaignKind::HarmfulContent)
        );
        assert!(raw.scenario.briefing.contains("self-assessment"));
        let conditional = raw.injects.iter().filter(|i| {
            matches!(
                i.when,
                Some(RawCondition::Detected(_)) | Some(RawCondition::Incidents(_))
            )
        });
        assert!(conditional.count() >= 2);
    }
}
