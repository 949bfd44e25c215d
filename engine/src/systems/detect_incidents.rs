//! Watch and warning: each tick an open, undetected incident is found by its economy
//! with a chance that grows with the asset's monitoring, the economy's technical
//! readiness, how far the attack has gone, and whether the economy holds indicators of
//! the campaign (its own investigations or shared by other economies). APEC 2005 action
//! area 3 (watch, warning and incident response) and 7 (information sharing); ITU GCA
//! technical measures. Detection before impact lets a team contain before any damage.

use bevy_ecs::prelude::*;

use super::fraction;
use crate::command::IncidentId;
use crate::scenario::model::{CampaignKind, EconomyIdx};
use crate::view::{Source, Stage};
use crate::world::{
    Assets, Clock, Detected, Hit, Id, Ids, Indicators, Intrusion, Knowing, KnownBy, Open, Pillars,
    Rng, in_id_order,
};

/// Base chance per tick: even an unwatched network sometimes notices.
const BASE: f64 = 0.02;
const MONITORING_WEIGHT: f64 = 0.2;
const TECHNICAL_WEIGHT: f64 = 0.1;
/// Held indicators of the campaign: the signature is known.
const INDICATOR_BONUS: f64 = 0.3;
const FOOTHOLD_BONUS: f64 = 0.05;
/// Impact shows: an outage or a ransom note is seen by users and operators.
const IMPACT_BONUS: f64 = 0.4;
const MAX_CHANCE: f64 = 0.95;

/// Chance per tick that an incident at `stage` is detected.
pub fn detection_chance(
    monitoring: u8,
    technical: u8,
    stage: Stage,
    kind: CampaignKind,
    knows_campaign: bool,
) -> f64 {
    let stage_bonus = match stage {
        Stage::Reconnaissance | Stage::InitialAccess => 0.0,
        Stage::Foothold => FOOTHOLD_BONUS,
        Stage::Impact
            if matches!(
                kind,
                CampaignKind::Ddos | CampaignKind::Ransomware | CampaignKind::Malware
            ) =>
        {
            2.0 * IMPACT_BONUS
        }
        Stage::Impact => IMPACT_BONUS,
    };
    let indicators = if knows_campaign { INDICATOR_BONUS } else { 0.0 };
    (BASE
        + MONITORING_WEIGHT * fraction(monitoring)
        + TECHNICAL_WEIGHT * fraction(technical)
        + stage_bonus
        + indicators)
        .min(MAX_CHANCE)
}

/// Rolls detection for every open, undetected incident, in id order.
#[allow(clippy::type_complexity)]
pub fn detect_incidents(
    clock: Res<Clock>,
    assets: Res<Assets>,
    economy_ids: Res<Ids<EconomyIdx>>,
    economies: Query<(&Pillars, &Indicators)>,
    mut rng: ResMut<Rng>,
    mut undetected: Query<
        (Entity, &Id<IncidentId>, &Hit, &Intrusion, &mut KnownBy),
        (Without<Detected>, Open),
    >,
    mut commands: Commands,
) {
    let now = clock.tick;
    let items = undetected
        .iter_mut()
        .map(|(entity, id, hit, intrusion, known)| (id.0, (entity, hit, intrusion, known)));
    for (_, (entity, hit, intrusion, mut known)) in in_id_order(items) {
        let Some((pillars, indicators)) = economy_ids
            .get(hit.economy)
            .and_then(|e| economies.get(e).ok())
        else {
            continue;
        };
        let chance = detection_chance(
            assets.posture[hit.asset.index()].monitoring,
            pillars.0.technical,
            intrusion.stage,
            hit.kind,
            indicators
                .0
                .get(hit.campaign.index())
                .copied()
                .unwrap_or(false),
        );
        if rng.0.chance(chance) {
            commands.entity(entity).insert(Detected(now));
            if known.by(hit.economy).is_none() {
                known.0.push(Knowing {
                    economy: hit.economy,
                    team: None,
                    at: now,
                    source: Source::Own,
                });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::systems::testing::{entity, get, get_mut, incident, run, world_at};
    use crate::world::{Contained, Recovered};

    #[test]
    fn detection_grows_with_watch_readiness_stage_and_indicators() {
        use CampaignKind::{Ddos, Malware, Phishing, Ransomware};
        use Stage::{Foothold, Impact, InitialAccess, Reconnaissance};
        for ((monitoring, technical, stage, kind, knows), chance) in [
            ((0, 0, Reconnaissance, Ransomware, false), 0.02),
            ((100, 100, InitialAccess, Ransomware, false), 0.32),
            ((50, 50, Foothold, Phishing, false), 0.22),
            ((50, 50, Impact, Phishing, false), 0.57),
            ((0, 0, Impact, Ransomware, false), 0.82),
            ((50, 50, Impact, Ddos, false), MAX_CHANCE),
            ((0, 0, InitialAccess, Malware, true), 0.32),
            ((100, 100, Impact, Ransomware, true), MAX_CHANCE),
        ] {
            let got = detection_chance(monitoring, technical, stage, kind, knows);
            assert!(
                (got - chance).abs() < 1e-12,
                "{monitoring} {technical} {stage:?} {kind:?} {knows}: {got}, not {chance}"
            );
        }
    }

    /// Each open, undetected incident takes one draw, in id order; closed and detected
    /// ones take none.
    #[test]
    fn open_undetected_incidents_roll_once_each_in_id_order() {
        let mut world = world_at(3);
        let closed = incident(&mut world, 3, 0, Stage::Impact, 1);
        let e = entity(&world, closed);
        world.entity_mut(e).insert((Contained(2), Recovered(3)));
        let seen = incident(&mut world, 2, 1, Stage::Foothold, 1);
        let e = entity(&world, seen);
        world.entity_mut(e).insert(Detected(2));
        let before = world.resource::<Rng>().0.word_pos();
        run(&mut world, detect_incidents);
        assert_eq!(world.resource::<Rng>().0.word_pos(), before, "no draw");

        // Weak holds the phishing indicators; Strong's grid is watched at 50.
        get_mut::<_, Indicators>(&mut world, EconomyIdx(1)).0[1] = true;
        let grid = incident(&mut world, 0, 0, Stage::InitialAccess, 2);
        let bank = incident(&mut world, 5, 1, Stage::Impact, 2);
        let mut rng = world.resource::<Rng>().0.clone();
        let expected = [
            rng.chance(detection_chance(
                50,
                85,
                Stage::InitialAccess,
                CampaignKind::Ransomware,
                false,
            )),
            rng.chance(detection_chance(
                50,
                30,
                Stage::Impact,
                CampaignKind::Phishing,
                true,
            )),
        ];
        run(&mut world, detect_incidents);
        assert_eq!(world.resource::<Rng>().0.word_pos(), rng.word_pos());
        for ((id, economy), detected) in [(grid, 0), (bank, 1)].into_iter().zip(expected) {
            let at = get::<_, Detected>(&world, id).map(|d| d.0);
            assert_eq!(at, detected.then_some(3), "{id:?}");
            let own =
                get::<_, KnownBy>(&world, id).and_then(|k| k.by(EconomyIdx(economy)).copied());
            let known = own.map(|k| (k.at, k.source));
            assert_eq!(known, detected.then_some((3, Source::Own)), "{id:?}");
        }
        assert!(get::<_, Detected>(&world, closed).is_none());
    }
}
