//! Campaigns: threat actors working through the stages of an intrusion against the
//! targets they chose, and hazards striking at once.
//!
//! Reconnaissance is the campaign choosing `intensity` targets per tick among its
//! targets; each attempt becomes an incident (initial access) with a chance set by the
//! actor's capability against the asset's patching and the public's awareness (APEC
//! 2005: spam, phishing and identity theft prey on unaware users; ITU GCA technical
//! measures). An incident then moves to foothold and impact, each step's chance per tick
//! again capability against defence, so good posture buys time to detect and contain
//! before any damage (Lockheed Martin kill chain, Hutchins et al. 2011). Indicators an
//! economy holds for the campaign (its own or shared by others) block part of its
//! attempts there; domestic legal action halves them, and a campaign's attempts scale
//! with the share of its hosting economies still serving it ([`super::enforcement`]). Natural disasters and technical
//! failures have no stages: they strike and are seen at once.

use bevy_ecs::prelude::*;
use bevy_ecs::system::SystemParam;

use super::enforcement::{DISRUPTION_FACTOR, hosting_left};
use super::{fraction, is_hazard, targets_people};
use crate::command::IncidentId;
use crate::detection::FoundBy;
use crate::outcomes::StopCause;
use crate::scenario::model::{
    ActorKind, CampaignIdx, CampaignKind, EconomyIdx, Posture, Readiness,
};
use crate::scenario::validate::MAX_INTENSITY;
use crate::view::{Source, Stage};
use crate::world::{
    Activity, Assets, Clock, Detected, EconomyRecord, Hit, Id, Ids, Impacted, Intrusion, Knowing,
    KnownBy, NO_INCIDENT, Open, Rng, ScenarioData, TakenDown, in_id_order, spawn_with_id,
};

/// Share of the remaining defence that known indicators add against initial access.
const INDICATOR_BLOCKING: f64 = 0.5;

/// What an economy puts up against a campaign's attempts.
#[derive(SystemParam)]
pub struct Defences<'w, 's> {
    ids: Res<'w, Ids<EconomyIdx>>,
    economies: Query<'w, 's, EconomyRecord>,
}

impl Defences<'_, '_> {
    /// Chance that an attempt of campaign `campaign` (of `kind`, by an actor of
    /// `capability` 0-1) on an asset of `economy` with `posture` gets in.
    fn access_chance(
        &self,
        economy: EconomyIdx,
        campaign: CampaignIdx,
        kind: CampaignKind,
        capability: f64,
        posture: Posture,
    ) -> f64 {
        let Some(record) = self
            .ids
            .get(economy)
            .and_then(|e| self.economies.get(e).ok())
        else {
            return 0.0;
        };
        let mut defence = access_defence(kind, posture, record.awareness.0, record.pillars.0);
        if record
            .indicators
            .0
            .get(campaign.index())
            .copied()
            .unwrap_or(false)
        {
            defence += INDICATOR_BLOCKING * (1.0 - defence);
        }
        let mut chance = attack_strength(capability, defence);
        if record
            .disrupted
            .0
            .get(campaign.index())
            .copied()
            .unwrap_or(false)
        {
            chance *= DISRUPTION_FACTOR;
        }
        chance
    }

    fn readiness(&self, economy: EconomyIdx) -> Option<Readiness> {
        self.ids
            .get(economy)
            .and_then(|e| self.economies.get(e).ok())
            .map(|record| record.pillars.0)
    }
}

/// Campaigns' clocks, by campaign.
#[derive(SystemParam)]
pub struct CampaignClocks<'w, 's> {
    ids: Res<'w, Ids<CampaignIdx>>,
    activities: Query<'w, 's, (&'static mut Activity, &'static TakenDown)>,
}

/// An open incident not at impact yet, as its campaign moves it on.
type Advancing = (
    Entity,
    &'static Id<IncidentId>,
    &'static Hit,
    &'static mut Intrusion,
);

/// Incidents as campaigns make and advance them: new ones are spawned (their ids
/// taken at once), open ones not at impact yet move on.
#[derive(SystemParam)]
pub struct Intrusions<'w, 's> {
    ids: ResMut<'w, Ids<IncidentId>>,
    open: Query<'w, 's, Advancing, (Open, Without<Impacted>)>,
    commands: Commands<'w, 's>,
}

/// Starts and stops campaigns on their clock, makes new attempts (campaigns in scenario
/// order), and moves open incidents through their stages (in id order).
pub fn advance_campaigns(
    scenario: Res<ScenarioData>,
    clock: Res<Clock>,
    mut rng: ResMut<Rng>,
    mut assets: ResMut<Assets>,
    defences: Defences,
    mut campaigns: CampaignClocks,
    mut incidents: Intrusions,
) {
    let now = clock.tick;
    let scenario = &scenario.0;
    for (campaign_idx, entity) in campaigns.ids.iter() {
        let Some(campaign) = scenario.campaigns.get(campaign_idx.index()) else {
            continue;
        };
        let Ok((mut activity, taken_down)) = campaigns.activities.get_mut(entity) else {
            continue;
        };
        if activity.started_at.is_none()
            && activity.stopped_at.is_none()
            && campaign.start.is_some_and(|s| now >= s)
        {
            activity.started_at = Some(now);
        }
        if let (Some(started), Some(duration)) = (activity.started_at, campaign.duration)
            && activity.stopped_at.is_none()
            && now >= started.saturating_add(duration)
        {
            activity.stopped_at = Some(now);
            activity.stopped_by = Some(StopCause::Duration);
        }
        if !activity.active() {
            continue;
        }
        let served = hosting_left(&campaign.hosting, &taken_down.0);
        let actor = &scenario.actors[campaign.actor.index()];
        let capability = fraction(actor.capability);
        let hazard = is_hazard(campaign.kind) || actor.kind == ActorKind::NaturalHazard;
        // Validation refuses more; a scenario built in code is bounded here all the same.
        for _ in 0..campaign.intensity.min(MAX_INTENSITY) {
            let pick = rng.0.below(campaign.targets.len() as u64) as usize;
            let asset = campaign.targets[pick];
            if assets.open_incident[asset.index()] != NO_INCIDENT {
                continue;
            }
            let economy = EconomyIdx(assets.economy[asset.index()]);
            let strike = hazard || {
                let chance = defences.access_chance(
                    economy,
                    campaign_idx,
                    campaign.kind,
                    capability,
                    assets.posture[asset.index()],
                );
                rng.0.chance(chance * served)
            };
            if !strike {
                continue;
            }
            let hit = Hit {
                asset,
                economy,
                campaign: campaign_idx,
                kind: campaign.kind,
                hazard,
            };
            let (commands, ids) = (&mut incidents.commands, &mut *incidents.ids);
            let id = if hazard {
                spawn_with_id(commands, ids, struck_by_hazard(hit, now))
            } else {
                spawn_with_id(commands, ids, got_in(hit, now))
            };
            assets.open_incident[asset.index()] = id.0;
        }
    }
    // Incidents that began this tick are not in the query yet (spawned by commands):
    // they move on from the next tick.
    let open = incidents
        .open
        .iter_mut()
        .map(|(entity, id, hit, intrusion)| (id.0, (entity, hit, intrusion)));
    for (_, (entity, hit, mut intrusion)) in in_id_order(open) {
        if intrusion.stage_entered_at >= now {
            continue;
        }
        let Some(readiness) = defences.readiness(hit.economy) else {
            continue;
        };
        let campaign = &scenario.campaigns[hit.campaign.index()];
        let capability = fraction(scenario.actors[campaign.actor.index()].capability);
        let defence = stage_defence(
            intrusion.stage,
            assets.posture[hit.asset.index()],
            readiness,
        );
        let per_tick = stage_chance(capability, defence, campaign.stage_ticks);
        if rng.0.chance(per_tick) {
            intrusion.stage = next_stage(intrusion.stage);
            intrusion.stage_entered_at = now;
            if intrusion.stage == Stage::Impact {
                incidents.commands.entity(entity).insert(Impacted(now));
            }
        }
    }
}

/// An attack that got in: at initial access, known to nobody yet.
fn got_in(hit: Hit, now: u32) -> impl Bundle {
    (
        hit,
        Intrusion {
            stage: Stage::InitialAccess,
            started_at: now,
            stage_entered_at: now,
        },
        KnownBy::default(),
    )
}

/// A hazard: at impact at once, and found by its impact at once by its own economy.
fn struck_by_hazard(hit: Hit, now: u32) -> impl Bundle {
    (
        hit,
        Intrusion {
            stage: Stage::Impact,
            started_at: now,
            stage_entered_at: now,
        },
        Impacted(now),
        Detected(now),
        FoundBy::Impact,
        KnownBy(vec![Knowing {
            economy: hit.economy,
            team: None,
            at: now,
            source: Source::Own,
        }]),
    )
}

fn next_stage(stage: Stage) -> Stage {
    match stage {
        Stage::Reconnaissance => Stage::InitialAccess,
        Stage::InitialAccess => Stage::Foothold,
        Stage::Foothold | Stage::Impact => Stage::Impact,
    }
}

/// Chance that an actor of `capability` (0-1) beats a defence `defence` (0-1):
/// `capability * (1 - 0.8 defence) + 0.05`, in [0, 1]. Even a perfect defence leaks a
/// little; even a weak actor sometimes gets in.
pub fn attack_strength(capability: f64, defence: f64) -> f64 {
    (capability * (1.0 - 0.8 * defence.clamp(0.0, 1.0)) + 0.05).clamp(0.0, 1.0)
}

/// Chance per tick of moving one stage on: twice the attack strength spread over the
/// campaign's `stage_ticks`, at most 1.
pub fn stage_chance(capability: f64, defence: f64, stage_ticks: u32) -> f64 {
    (2.0 * attack_strength(capability, defence) / f64::from(stage_ticks.max(1))).min(1.0)
}

/// Defence against initial access: awareness weighs most against attacks on people,
/// patching against exploits, technical readiness and monitoring against floods.
pub fn access_defence(
    kind: CampaignKind,
    posture: Posture,
    awareness: f64,
    readiness: Readiness,
) -> f64 {
    let patching = fraction(posture.patching);
    let aware = fraction(awareness);
    if targets_people(kind) {
        0.3 * patching + 0.7 * aware
    } else if kind == CampaignKind::Ddos {
        0.5 * fraction(readiness.technical) + 0.5 * fraction(posture.monitoring)
    } else {
        0.6 * patching + 0.4 * aware
    }
}

/// Defence against moving from `stage` to the next: patching and technical readiness
/// against a foothold, monitoring and organisation against impact.
pub fn stage_defence(stage: Stage, posture: Posture, readiness: Readiness) -> f64 {
    match stage {
        Stage::Reconnaissance | Stage::InitialAccess => {
            0.5 * fraction(posture.patching) + 0.5 * fraction(readiness.technical)
        }
        Stage::Foothold | Stage::Impact => {
            0.5 * fraction(posture.monitoring) + 0.5 * fraction(readiness.organizational)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Simulation;
    use crate::scenario::model::Scenario;
    use crate::scenario::validate::MAX_INTENSITY;
    use crate::systems::testing::{entity, get, incident, run, world_of};
    use crate::testkit::two_economies;
    use crate::world::Contained;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-12
    }

    #[test]
    fn attacks_beat_defences_by_capability() {
        for ((capability, defence), strength) in [
            ((0.0, 0.0), 0.05),
            ((1.0, 0.0), 1.0),
            ((0.7, 0.5), 0.47),
            ((0.7, 1.0), 0.19),
            ((1.0, 2.0), 0.25),
        ] {
            let got = attack_strength(capability, defence);
            assert!(close(got, strength), "{capability} vs {defence}: {got}");
        }
        for ((capability, defence, ticks), chance) in [
            ((0.7, 0.5, 3), 0.94 / 3.0),
            ((0.7, 0.5, 1), 0.94),
            ((1.0, 0.0, 0), 1.0),
        ] {
            let got = stage_chance(capability, defence, ticks);
            assert!(close(got, chance), "{capability} {defence} {ticks}: {got}");
        }
    }

    #[test]
    fn defences_weigh_what_each_kind_of_attack_meets() {
        let posture = Posture {
            patching: 20,
            monitoring: 60,
            backups: 0,
        };
        let readiness = Readiness {
            legal: 0,
            technical: 40,
            organizational: 80,
            capacity: 0,
            cooperation: 0,
        };
        for (kind, defence) in [
            (CampaignKind::Phishing, 0.3 * 0.2 + 0.7 * 0.3),
            (CampaignKind::Ddos, 0.5 * 0.4 + 0.5 * 0.6),
            (CampaignKind::Ransomware, 0.6 * 0.2 + 0.4 * 0.3),
        ] {
            let got = access_defence(kind, posture, 30.0, readiness);
            assert!(close(got, defence), "{kind:?}: {got}");
        }
        for (stage, defence) in [(Stage::InitialAccess, 0.3), (Stage::Foothold, 0.7)] {
            let got = stage_defence(stage, posture, readiness);
            assert!(close(got, defence), "{stage:?}: {got}");
        }
    }

    fn activity(world: &World, campaign: u32) -> Option<Activity> {
        get::<_, Activity>(world, CampaignIdx(campaign)).copied()
    }

    #[test]
    fn campaigns_start_and_stop_on_their_clock() {
        let mut scenario = two_economies();
        scenario.campaigns[0].duration = Some(2);
        for (tick, ransomware, phishing) in [
            (0, (None, None), (None, None)),
            (1, (Some(1), None), (None, None)),
            (2, (Some(1), None), (Some(2), None)),
            (3, (Some(1), Some(3)), (Some(2), None)),
        ] {
            let mut world = world_of(scenario.clone(), 0);
            for t in 0..=tick {
                world.resource_mut::<Clock>().tick = t;
                run(&mut world, advance_campaigns);
            }
            let clock = |a: Option<Activity>| a.map(|a| (a.started_at, a.stopped_at));
            assert_eq!(clock(activity(&world, 0)), Some(ransomware), "tick {tick}");
            assert_eq!(clock(activity(&world, 1)), Some(phishing), "tick {tick}");
        }
    }

    /// A hazard strikes at once: at impact, detected and known at home, the asset taken.
    #[test]
    fn a_hazard_strikes_at_impact_and_is_seen_at_once() {
        let mut scenario = two_economies();
        scenario.campaigns[0].kind = CampaignKind::NaturalDisaster;
        let mut world = world_of(scenario, 1);
        run(&mut world, advance_campaigns);
        let ids = world.resource::<Ids<IncidentId>>();
        assert_eq!(ids.len(), 1, "intensity 1: one strike");
        let id = IncidentId(0);
        let hit = get::<_, Hit>(&world, id).copied();
        let Some(hit) = hit else {
            panic!("no hit");
        };
        assert!(hit.hazard);
        assert!([0, 2, 3, 5].contains(&hit.asset.0), "{:?}", hit.asset);
        assert_eq!(
            world.resource::<Assets>().open_incident[hit.asset.index()],
            0
        );
        assert_eq!(get::<_, Impacted>(&world, id).map(|i| i.0), Some(1));
        assert_eq!(get::<_, Detected>(&world, id).map(|d| d.0), Some(1));
        let known = get::<_, KnownBy>(&world, id).map(|k| k.0.clone());
        assert_eq!(
            known,
            Some(vec![Knowing {
                economy: hit.economy,
                team: None,
                at: 1,
                source: Source::Own,
            }])
        );
    }

    #[test]
    fn an_asset_under_attack_is_not_attacked_again() {
        let mut scenario = two_economies();
        scenario.campaigns[0].kind = CampaignKind::NaturalDisaster;
        let mut world = world_of(scenario, 1);
        for asset in [0, 2, 3, 5] {
            world.resource_mut::<Assets>().open_incident[asset] = 99;
        }
        run(&mut world, advance_campaigns);
        assert!(world.resource::<Ids<IncidentId>>().is_empty());
    }

    /// Campaigns that never start, an actor of full capability and one tick per stage:
    /// every draw succeeds, so the stages follow one another tick by tick.
    fn sure_attacks() -> Scenario {
        let mut scenario = two_economies();
        scenario.actors[0].capability = 100;
        for campaign in &mut scenario.campaigns {
            campaign.start = None;
            campaign.stage_ticks = 1;
        }
        scenario
    }

    #[test]
    fn open_intrusions_move_one_stage_a_tick_from_the_tick_after_they_began() {
        let mut world = world_of(sure_attacks(), 1);
        let moving = incident(&mut world, 0, 0, Stage::InitialAccess, 1);
        let stopped = incident(&mut world, 3, 0, Stage::InitialAccess, 1);
        let e = entity(&world, stopped);
        world.entity_mut(e).insert(Contained(1));
        let stage = |world: &World, id| {
            get::<_, Intrusion>(world, id).map(|i| (i.stage, i.stage_entered_at))
        };
        run(&mut world, advance_campaigns);
        assert_eq!(stage(&world, moving), Some((Stage::InitialAccess, 1)));
        world.resource_mut::<Clock>().tick = 2;
        run(&mut world, advance_campaigns);
        assert_eq!(stage(&world, moving), Some((Stage::Foothold, 2)));
        assert!(get::<_, Impacted>(&world, moving).is_none());
        world.resource_mut::<Clock>().tick = 3;
        run(&mut world, advance_campaigns);
        assert_eq!(stage(&world, moving), Some((Stage::Impact, 3)));
        assert_eq!(get::<_, Impacted>(&world, moving).map(|i| i.0), Some(3));
        assert_eq!(
            stage(&world, stopped),
            Some((Stage::InitialAccess, 1)),
            "contained"
        );
    }

    /// Issue 17: an intensity of 4294967295 made the first tick never end. Validation
    /// refuses it, but a scenario built in code skips validation: the engine bounds a
    /// campaign's attempts per tick itself, so any intensity above the maximum does the
    /// work (and gives the state) of the maximum.
    #[test]
    fn a_campaign_attempts_at_most_the_maximum_per_tick() {
        let run = |intensity: u32| {
            let mut scenario = two_economies();
            for campaign in &mut scenario.campaigns {
                campaign.intensity = intensity;
                campaign.start = Some(1);
            }
            let mut sim = Simulation::new(scenario, 7);
            sim.step();
            sim.step();
            sim.state_hash()
        };
        assert_eq!(run(u32::MAX), run(MAX_INTENSITY));
    }
}
