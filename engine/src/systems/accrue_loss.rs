//! Economic loss, booked in the [`Ledger`] every tick (formulas and sources in
//! `docs/model.md`, "Economic loss"):
//!
//! - outages: every inoperable asset costs each economy it serves its share of that
//!   economy's sector output per tick times its inoperability (the demand-reduction
//!   inoperability input-output model, Santos & Haimes 2004), split into the part due to
//!   its own damage and the part that came through its dependencies;
//! - fraud: an open attack on people at impact makes victims among the people the asset
//!   serves, fewer where the public is aware, each losing the campaign's mean loss (FBI
//!   IC3 2023, scaled to the economy's income);
//! - ransomware: at impact, the recovery cost, and the ransom if the victim pays (Sophos
//!   2024: 56% paid; fewer with good backups).
//!
//! An economy's loss is the sum of its causes, so the breakdown always adds up.

use bevy_ecs::prelude::*;

use super::targets_people;
use crate::command::IncidentId;
use crate::economics::{self, Ledger, RansomCase};
use crate::scenario::model::{CampaignKind, EconomyIdx};
use crate::world::{
    Assets, Awareness, Clock, Contained, Hit, Id, Ids, Impacted, Loss, Recovered, Rng,
    ScenarioData, in_id_order,
};

/// Incidents that reached impact, with whether they are still open (neither contained
/// nor recovered).
type ImpactedIncidents<'w, 's> = Query<
    'w,
    's,
    (
        &'static Id<IncidentId>,
        &'static Hit,
        &'static Impacted,
        Has<Contained>,
        Has<Recovered>,
    ),
>;

/// Books this tick's losses: outages asset by asset (in index order), then fraud and
/// ransomware incident by incident (in id order), so the sums and the draws are the same
/// every run.
#[allow(clippy::too_many_arguments)]
pub fn accrue_loss(
    scenario: Res<ScenarioData>,
    clock: Res<Clock>,
    assets: Res<Assets>,
    economy_ids: Res<Ids<EconomyIdx>>,
    impacted: ImpactedIncidents,
    mut rng: ResMut<Rng>,
    mut ledger: ResMut<Ledger>,
    mut economies: Query<(&Id<EconomyIdx>, &Awareness, &mut Loss)>,
) {
    let scenario = &scenario.0;
    let now = clock.tick;
    let hours = economics::tick_hours(scenario.meta.tick_minutes);
    ledger.book_outages(
        &assets.inoperability,
        &assets.damage,
        &assets.resilience,
        &assets.sector,
    );
    let awareness = |e: EconomyIdx| {
        economy_ids
            .get(e)
            .and_then(|entity| economies.get(entity).ok())
            .map_or(0.0, |(_, a, _)| a.0)
    };
    let items = impacted
        .iter()
        .map(|(id, hit, at, contained, recovered)| (id.0, (hit, at.0, !contained && !recovered)));
    for (id, (hit, impacted_at, open)) in in_id_order(items) {
        let (Some(campaign), Some(economy)) = (
            scenario.campaigns.get(hit.campaign.index()),
            scenario.economies.get(hit.economy.index()),
        ) else {
            continue;
        };
        if open && targets_people(hit.kind) {
            let served = scenario
                .assets
                .get(hit.asset.index())
                .map_or(0, |a| a.people_served);
            let victims =
                economics::victims_per_hour(campaign, served, awareness(hit.economy)) * hours;
            ledger.book_fraud(
                hit.economy,
                victims,
                economics::victim_loss(campaign, economy),
            );
        }
        if hit.kind == CampaignKind::Ransomware && impacted_at == now {
            let backups = assets.posture[hit.asset.index()].backups;
            let paid = rng.0.chance(economics::pay_chance(backups));
            ledger.book_ransomware(RansomCase {
                incident: id,
                economy: hit.economy,
                at: now,
                demand: economics::ransom(campaign, economy),
                paid,
                recovery: economics::recovery_cost(campaign, economy),
            });
        }
    }
    for (id, _, mut loss) in &mut economies {
        loss.0 = ledger.loss(id.0.index());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::systems::testing::{entity, get, incident, run, world_at};
    use crate::view::Stage;
    use crate::world::Contained;

    #[test]
    fn outages_lose_their_share_and_open_frauds_add_theirs() {
        let mut world = world_at(5);
        let per_tick = world.resource::<Assets>().loss_per_tick.clone();
        world.resource_mut::<Assets>().inoperability[1] = 0.5;
        world.resource_mut::<Assets>().inoperability[3] = 1.0;
        // Phishing at impact on Weak's bank: fraud. At foothold, or contained: none.
        incident(&mut world, 5, 1, Stage::Impact, 4);
        incident(&mut world, 2, 1, Stage::Foothold, 4);
        let closed = incident(&mut world, 2, 1, Stage::Impact, 4);
        let e = entity(&world, closed);
        world.entity_mut(e).insert(Contained(5));
        // Ransomware is not fraud: its loss is the outage it causes.
        incident(&mut world, 0, 0, Stage::Impact, 4);
        run(&mut world, accrue_loss);
        let loss = |e| get::<_, Loss>(&world, EconomyIdx(e)).map_or(f64::NAN, |l| l.0);
        assert_eq!(loss(0), 0.5 * per_tick[1]);
        assert_eq!(loss(1), per_tick[3] + FRAUD_SHARE * per_tick[5]);
        run(&mut world, accrue_loss);
        let loss = |e| get::<_, Loss>(&world, EconomyIdx(e)).map_or(f64::NAN, |l| l.0);
        assert_eq!(loss(0), 2.0 * (0.5 * per_tick[1]), "cumulative");
    }
}
