//! Injects: the scenario's events, fired at a tick, on a condition over the state, some
//! ticks after another inject, or by the facilitator. They start and stop campaigns,
//! damage assets, move trust and awareness, and change teams' analysts: the "master
//! scenario events list" of an exercise (HSEEP; ITU forum 2009, CIRT drills).
//!
//! Injects due at tick 0 fire as the exercise is set up ([`fire_opening_injects`]), the
//! rest during the ticks. Injects are evaluated in scenario order against the state as it
//! is when their turn comes, so an inject fired now can trigger another (`after`,
//! `inject_fired`) in the same tick only if it comes earlier in the file: a stable,
//! documented order.

use std::sync::Arc;

use bevy_ecs::prelude::*;
use bevy_ecs::system::{SystemParam, SystemState};

use crate::decisions::{RansomPolicies, RansomRule};
use crate::metrics::Measures;
use crate::outcomes::StopCause;
use crate::scenario::model::{CampaignIdx, EconomyIdx, Effect, InjectIdx, TeamIdx, Trigger};
use crate::spam::Spam;
use crate::trust::{TrustCause, TrustMoves};
use crate::world::{Activity, Assets, Awareness, Clock, Firing, Ids, ScenarioData, Staff, Trust};

/// What an inject's (or a decision option's) effects may change.
#[derive(SystemParam)]
pub struct InjectEffects<'w, 's> {
    assets: ResMut<'w, Assets>,
    inject_ids: Res<'w, Ids<InjectIdx>>,
    firings: Query<'w, 's, &'static mut Firing>,
    campaign_ids: Res<'w, Ids<CampaignIdx>>,
    campaigns: Query<'w, 's, &'static mut Activity>,
    economy_ids: Res<'w, Ids<EconomyIdx>>,
    economies: Query<'w, 's, (&'static mut Trust, &'static mut Awareness)>,
    trust_moves: Query<'w, 's, &'static mut TrustMoves>,
    team_ids: Res<'w, Ids<TeamIdx>>,
    teams: Query<'w, 's, &'static mut Staff>,
    ransom_policies: ResMut<'w, RansomPolicies>,
    spam: ResMut<'w, Spam>,
}

impl InjectEffects<'_, '_> {
    /// Marks the inject fired at `now` (a queued one keeps the tick it was queued).
    fn fire(&mut self, inject: InjectIdx, now: u32) {
        if let Some(Ok(mut firing)) = self.inject_ids.get(inject).map(|e| self.firings.get_mut(e)) {
            firing.queued = false;
            firing.fired_at.get_or_insert(now);
        }
    }

    /// Applies one effect of an inject or of a decision's option.
    pub(crate) fn apply(&mut self, effect: &Effect, now: u32) {
        match effect {
            Effect::StartCampaign(c) => {
                if let Some(Ok(mut campaign)) =
                    self.campaign_ids.get(*c).map(|e| self.campaigns.get_mut(e))
                    && !campaign.active()
                    // A campaign players stopped (arrests, takedown) stays stopped.
                    && !campaign.stopped_by.is_some_and(StopCause::by_players)
                {
                    campaign.started_at = Some(now);
                    campaign.stopped_at = None;
                    campaign.stopped_by = None;
                }
            }
            Effect::StopCampaign(c) => {
                if let Some(Ok(mut campaign)) =
                    self.campaign_ids.get(*c).map(|e| self.campaigns.get_mut(e))
                    && campaign.active()
                {
                    campaign.stopped_at = Some(now);
                    campaign.stopped_by = Some(StopCause::Inject);
                }
            }
            Effect::DamageAsset { asset, amount } => {
                let a = asset.index();
                if let Some(&damage) = self.assets.damage.get(a) {
                    self.assets.set_damage(a, (damage + amount).clamp(0.0, 1.0));
                }
            }
            Effect::AdjustTrust { economy, delta } => {
                if let Some(entity) = self.economy_ids.get(*economy)
                    && let Ok((mut trust, _)) = self.economies.get_mut(entity)
                    && let Ok(mut moves) = self.trust_moves.get_mut(entity)
                {
                    moves.apply(&mut trust.0, TrustCause::Events, *delta);
                }
            }
            Effect::SetAwareness { economy, value } => {
                if let Some(Ok((_, mut awareness))) = self
                    .economy_ids
                    .get(*economy)
                    .map(|e| self.economies.get_mut(e))
                {
                    awareness.0 = f64::from(*value).clamp(0.0, 100.0);
                }
            }
            Effect::SpamFiltering { economy, value } => self.spam.aim(*economy, *value),
            Effect::AdjustAnalysts { team, delta } => {
                if let Some(Ok(mut staff)) = self.team_ids.get(*team).map(|e| self.teams.get_mut(e))
                {
                    staff.analysts = staff.analysts.saturating_add_signed(*delta);
                }
            }
            Effect::Ransom {
                economy,
                campaign,
                policy,
            } => self.ransom_policies.set(RansomRule {
                economy: *economy,
                campaign: *campaign,
                policy: *policy,
                at: now,
            }),
        }
    }
}

/// What firing injects reads and changes, kept between ticks: one look at the state for
/// a run of injects that are not due (nothing changes until one fires), the effects
/// fetched only when one fires.
type Firings<'a> = (
    &'a mut SystemState<Measures<'static, 'static>>,
    &'a mut SystemState<InjectEffects<'static, 'static>>,
);

/// Fires every inject that is due, in scenario order, applying its effects.
pub fn fire_injects(
    world: &mut World,
    measures: &mut SystemState<Measures<'static, 'static>>,
    effects: &mut SystemState<InjectEffects<'static, 'static>>,
) {
    fire_due(world, (measures, effects), |_| true);
}

/// Fires, as the exercise is set up (tick 0), the injects due at tick 0: `at = 0` and
/// those `after` one of them with no delay. The opening story (the STARTEX message,
/// the welcome) is then on every seat's screen before the first tick instead of an hour
/// later. Conditions (`when`) wait for the first tick, which measures the state they read.
pub fn fire_opening_injects(
    world: &mut World,
    measures: &mut SystemState<Measures<'static, 'static>>,
    effects: &mut SystemState<InjectEffects<'static, 'static>>,
) {
    fire_due(world, (measures, effects), |trigger| {
        !matches!(trigger, Trigger::When(_))
    });
}

/// Fires the injects whose trigger `kind` accepts and that are due now, in scenario order.
/// The state is read once for a run of injects that are not due (nothing changes until
/// one fires), and afresh after each one fires.
fn fire_due(world: &mut World, (measures, effects): Firings, kind: impl Fn(&Trigger) -> bool) {
    let now = world.resource::<Clock>().tick;
    let scenario = Arc::clone(&world.resource::<ScenarioData>().0);
    let mut next = 0;
    loop {
        // Every resource is inserted with the world (`Simulation::new`).
        let Ok(reads) = measures.get(world) else {
            return;
        };
        let due = scenario
            .injects
            .iter()
            .enumerate()
            .skip(next)
            .find(|&(index, inject)| {
                kind(&inject.trigger) && reads.inject_due(InjectIdx(index as u32), now)
            });
        let Some((index, inject)) = due else {
            break;
        };
        let Ok(mut effects) = effects.get_mut(world) else {
            return;
        };
        effects.fire(InjectIdx(index as u32), now);
        for effect in &inject.effects {
            effects.apply(effect, now);
        }
        next = index + 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::model::{AssetIdx, Trigger};
    use crate::systems::testing::{get, get_mut, run, world_at, world_of};
    use crate::testkit::two_economies;

    fn weak_trust(world: &World) -> Option<f64> {
        get::<_, Trust>(world, EconomyIdx(1)).map(|t| t.0)
    }

    /// The region's one inject: "Banks report outages" when banking's mean service is
    /// below 90%, costing Weak 5 points of trust.
    #[test]
    fn a_conditional_inject_fires_once_when_its_condition_holds() {
        let mut world = world_at(2);
        run(&mut world, fire_injects);
        assert_eq!(
            get::<_, Firing>(&world, InjectIdx(0)).and_then(|f| f.fired_at),
            None
        );
        assert_eq!(weak_trust(&world), Some(70.0));
        world.resource_mut::<Assets>().inoperability[5] = 0.5;
        world.resource_mut::<Clock>().tick = 3;
        run(&mut world, fire_injects);
        let fired = get::<_, Firing>(&world, InjectIdx(0)).copied();
        assert_eq!(
            fired,
            Some(Firing {
                fired_at: Some(3),
                queued: false
            })
        );
        assert_eq!(weak_trust(&world), Some(65.0));
        world.resource_mut::<Clock>().tick = 4;
        run(&mut world, fire_injects);
        assert_eq!(weak_trust(&world), Some(65.0), "fired once");
    }

    /// Fired by the facilitator at tick 2 (queued), it applies at the next run, keeps
    /// the tick it was fired, and every kind of effect applies.
    #[test]
    fn a_queued_inject_applies_each_effect() {
        let mut scenario = two_economies();
        scenario.injects[0].trigger = Trigger::Manual;
        scenario.injects[0].effects = vec![
            Effect::StartCampaign(CampaignIdx(1)),
            Effect::StopCampaign(CampaignIdx(0)),
            Effect::DamageAsset {
                asset: AssetIdx(4),
                amount: 0.7,
            },
            Effect::DamageAsset {
                asset: AssetIdx(4),
                amount: 0.7,
            },
            Effect::AdjustTrust {
                economy: EconomyIdx(0),
                delta: 40.0,
            },
            Effect::SetAwareness {
                economy: EconomyIdx(1),
                value: 90,
            },
            Effect::AdjustAnalysts {
                team: TeamIdx(4),
                delta: -10,
            },
        ];
        let mut world = world_of(scenario, 3);
        get_mut::<_, Activity>(&mut world, CampaignIdx(0)).started_at = Some(1);
        *get_mut::<_, Firing>(&mut world, InjectIdx(0)) = Firing {
            fired_at: Some(2),
            queued: true,
        };
        run(&mut world, fire_injects);
        let firing = get::<_, Firing>(&world, InjectIdx(0)).copied();
        assert_eq!(
            firing,
            Some(Firing {
                fired_at: Some(2),
                queued: false
            })
        );
        let activity = |c| get::<_, Activity>(&world, CampaignIdx(c)).copied();
        assert_eq!(
            activity(1),
            Some(Activity {
                started_at: Some(3),
                stopped_at: None,
                stopped_by: None
            })
        );
        assert_eq!(
            activity(0),
            Some(Activity {
                started_at: Some(1),
                stopped_at: Some(3),
                stopped_by: Some(StopCause::Inject)
            })
        );
        assert_eq!(
            world.resource::<Assets>().damage[4],
            1.0,
            "adds up, at most 1"
        );
        assert_eq!(
            get::<_, Trust>(&world, EconomyIdx(0)).map(|t| t.0),
            Some(100.0)
        );
        let awareness = get::<_, Awareness>(&world, EconomyIdx(1)).map(|a| a.0);
        assert_eq!(awareness, Some(90.0));
        let analysts = get::<_, Staff>(&world, TeamIdx(4)).map(|s| s.analysts);
        assert_eq!(analysts, Some(0), "never below none");
    }
}
