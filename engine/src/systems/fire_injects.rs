//! Injects: the scenario's events, fired at a tick, on a condition over the state, some
//! ticks after another inject, or by the facilitator. They start and stop campaigns,
//! damage assets, move trust and awareness, and change teams' analysts: the "master
//! scenario events list" of an exercise (HSEEP; ITU forum 2009, CIRT drills).
//!
//! Injects are evaluated in scenario order against the state as it is when their turn
//! comes, so an inject fired now can trigger another (`after`, `inject_fired`) in the
//! same tick only if it comes earlier in the file: a stable, documented order.

use std::sync::Arc;

use bevy_ecs::prelude::*;
use bevy_ecs::system::SystemParam;

use crate::decisions::{RansomPolicies, RansomRule};
use crate::metrics::Measures;
use crate::outcomes::StopCause;
use crate::scenario::model::{CampaignIdx, EconomyIdx, Effect, InjectIdx, TeamIdx};
use crate::world::{Activity, Assets, Awareness, Firing, Ids, Staff, Trust};

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
    team_ids: Res<'w, Ids<TeamIdx>>,
    teams: Query<'w, 's, &'static mut Staff>,
    ransom_policies: ResMut<'w, RansomPolicies>,
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
                if let Some(damage) = self.assets.damage.get_mut(asset.index()) {
                    *damage = (*damage + amount).clamp(0.0, 1.0);
                }
            }
            Effect::AdjustTrust { economy, delta } => {
                if let Some(Ok((mut trust, _))) = self
                    .economy_ids
                    .get(*economy)
                    .map(|e| self.economies.get_mut(e))
                {
                    trust.0 = (trust.0 + delta).clamp(0.0, 100.0);
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

/// Fires every inject that is due, in scenario order, applying its effects.
pub fn fire_injects(mut world: ParamSet<(Measures, InjectEffects)>) {
    let (now, scenario) = {
        let measures = world.p0();
        (measures.clock.tick, Arc::clone(&measures.scenario.0))
    };
    for (index, inject) in scenario.injects.iter().enumerate() {
        let idx = InjectIdx(index as u32);
        if !world.p0().inject_due(idx, now) {
            continue;
        }
        let mut effects = world.p1();
        effects.fire(idx, now);
        for effect in &inject.effects {
            effects.apply(effect, now);
        }
    }
}
