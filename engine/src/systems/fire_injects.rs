//! Injects: the scenario's events, fired at a tick, on a condition over the state, some
//! ticks after another inject, or by the facilitator. They start and stop campaigns,
//! damage assets, move trust and awareness, and change teams' analysts: the "master
//! scenario events list" of an exercise (HSEEP; ITU forum 2009, CIRT drills).
//!
//! Injects are evaluated in scenario order against the state at the start of the tick,
//! so an inject fired now can trigger another (`after`, `inject_fired`) in the same tick
//! only if it comes earlier in the file: a stable, documented order.

use bevy_ecs::prelude::*;

use crate::metrics::Snapshot;
use crate::outcomes::{Outcomes, StopCause, Watches};
use crate::scenario::model::{Effect, Trigger};
use crate::world::{
    Assets, Campaigns, Clock, Economies, Incidents, Injects, Progress, ScenarioData, Teams,
};

/// Fires every inject that is due, applying its effects.
#[allow(clippy::too_many_arguments)]
pub fn fire_injects(
    scenario: Res<ScenarioData>,
    clock: Res<Clock>,
    incidents: Res<Incidents>,
    progress: Res<Progress>,
    outcomes: Res<Outcomes>,
    watches: Res<Watches>,
    mut injects: ResMut<Injects>,
    mut assets: ResMut<Assets>,
    mut economies: ResMut<Economies>,
    mut campaigns: ResMut<Campaigns>,
    mut teams: ResMut<Teams>,
) {
    let now = clock.tick;
    for index in 0..scenario.0.injects.len() {
        let due = {
            let state = &injects.0[index];
            if state.queued {
                true
            } else if state.fired_at.is_some() {
                false
            } else {
                let snapshot = Snapshot {
                    scenario: &scenario.0,
                    clock: &clock,
                    assets: &assets,
                    economies: &economies,
                    incidents: &incidents,
                    injects: &injects,
                    progress: &progress,
                    outcomes: &outcomes,
                    watches: &watches,
                };
                trigger_due(&scenario.0.injects[index].trigger, now, &snapshot)
            }
        };
        if !due {
            continue;
        }
        let state = &mut injects.0[index];
        state.queued = false;
        state.fired_at.get_or_insert(now);
        for effect in &scenario.0.injects[index].effects {
            apply_effect(
                effect,
                now,
                &mut assets,
                &mut economies,
                &mut campaigns,
                &mut teams,
            );
        }
    }
}

/// Whether an inject's trigger holds at tick `now`.
fn trigger_due(trigger: &Trigger, now: u32, snapshot: &Snapshot) -> bool {
    match trigger {
        Trigger::Manual => false,
        Trigger::At(tick) => now >= *tick,
        Trigger::When(condition) => snapshot.holds(condition),
        Trigger::After { inject, delay } => snapshot.injects.0[inject.index()]
            .fired_at
            .is_some_and(|fired| now >= fired.saturating_add(*delay)),
    }
}

/// Applies one effect of an inject to the world.
pub(crate) fn apply_effect(
    effect: &Effect,
    now: u32,
    assets: &mut Assets,
    economies: &mut Economies,
    campaigns: &mut Campaigns,
    teams: &mut Teams,
) {
    match effect {
        Effect::StartCampaign(c) => {
            let campaign = &mut campaigns.0[c.index()];
            // A campaign players stopped (arrests, takedown) stays stopped.
            if !campaign.active() && !campaign.stopped_by.is_some_and(StopCause::by_players) {
                campaign.started_at = Some(now);
                campaign.stopped_at = None;
                campaign.stopped_by = None;
            }
        }
        Effect::StopCampaign(c) => {
            let campaign = &mut campaigns.0[c.index()];
            if campaign.active() {
                campaign.stopped_at = Some(now);
                campaign.stopped_by = Some(StopCause::Inject);
            }
        }
        Effect::DamageAsset { asset, amount } => {
            let damage = &mut assets.damage[asset.index()];
            *damage = (*damage + amount).clamp(0.0, 1.0);
        }
        Effect::AdjustTrust { economy, delta } => {
            let trust = &mut economies.0[economy.index()].trust;
            *trust = (*trust + delta).clamp(0.0, 100.0);
        }
        Effect::SetAwareness { economy, value } => {
            economies.0[economy.index()].awareness = f64::from(*value).clamp(0.0, 100.0);
        }
        Effect::AdjustAnalysts { team, delta } => {
            let analysts = &mut teams.0[team.index()].analysts;
            *analysts = analysts.saturating_add_signed(*delta);
        }
    }
}
