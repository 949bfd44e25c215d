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
//! - ransomware: at impact, the recovery cost, and what is paid of the ransom: as the
//!   economy's ransom policy says (a decision point's `ransom` effect: pay all, refuse,
//!   or negotiate 85%), or without one as the victim alone decides (Sophos 2024: 56%
//!   paid; fewer with good backups).
//!
//! An economy's loss is the sum of its causes, so the breakdown always adds up.

use bevy_ecs::prelude::*;

use super::targets_people;
use crate::command::IncidentId;
use crate::decisions::RansomPolicies;
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
    mut assets: ResMut<Assets>,
    economy_ids: Res<Ids<EconomyIdx>>,
    impacted: ImpactedIncidents,
    policies: Res<RansomPolicies>,
    mut rng: ResMut<Rng>,
    mut ledger: ResMut<Ledger>,
    mut economies: Query<(&Id<EconomyIdx>, &Awareness, &mut Loss)>,
) {
    let scenario = &scenario.0;
    let now = clock.tick;
    let hours = economics::tick_hours(scenario.meta.tick_minutes);
    book_outages(&mut assets, &mut ledger);
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
        // Harmful content harms children, not wallets: `expose_children` counts them.
        // Spam's responders are booked by `deliver_spam`.
        let own_books = matches!(hit.kind, CampaignKind::HarmfulContent | CampaignKind::Spam);
        if open && targets_people(hit.kind) && !own_books {
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
            // Drawn whatever the policy, so that runs differing only in the policy keep
            // the same random stream afterwards (what-if comparisons stay like for like).
            let would_pay = rng.0.chance(economics::pay_chance(backups));
            let share = match policies.get(hit.economy, hit.campaign) {
                Some(policy) => policy.paid_share(),
                None if would_pay => 1.0,
                None => 0.0,
            };
            let demand = economics::ransom(campaign, economy);
            ledger.book_ransomware(RansomCase {
                incident: id,
                economy: hit.economy,
                at: now,
                demand,
                paid: demand * share,
                recovery: economics::recovery_cost(campaign, economy),
            });
        }
    }
    for (id, _, mut loss) in &mut economies {
        loss.0 = ledger.loss(id.0.index());
    }
}

/// Books the outages of the assets that book anything (every asset when the passes
/// visit all, see [`crate::active`]), in index order; none when the cascade's pass over
/// every asset booked them this tick already.
fn book_outages(assets: &mut Assets, ledger: &mut Ledger) {
    let Assets {
        inoperability,
        damage,
        resilience,
        sector,
        active,
        ..
    } = assets;
    if active.take_booked() {
        return;
    }
    match active.take_lossy() {
        None => ledger.book_outages(inoperability, damage, resilience, sector),
        Some(visit) => {
            let each = visit.iter().map(|&i| i as usize);
            ledger.book_outages_of(each, inoperability, damage, resilience, sector);
            active.keep_lossy(visit, |i| {
                ledger.books_outage(
                    i,
                    inoperability.get(i).copied().unwrap_or(0.0),
                    damage.get(i).copied().unwrap_or(0.0),
                )
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::decisions::RansomRule;
    use crate::scenario::model::{CampaignIdx, NEGOTIATED_RANSOM_SHARE, RansomPolicy};
    use crate::systems::testing::{entity, get, incident, run, world_at};
    use crate::view::Stage;
    use crate::world::Contained;

    /// An open attack on people at impact makes victims (the campaign's rate over the
    /// people the asset serves, times the tick's hours), each losing the campaign's mean
    /// loss; a foothold or a contained incident makes none; a ransomware impact books one
    /// ransom case at the tick it hits. With no outage the economy's loss is exactly that.
    #[test]
    fn open_frauds_make_victims_and_ransomware_books_one_case_at_impact() {
        let mut world = world_at(5);
        // Phishing at impact on Weak's bank: fraud. At foothold, or contained: none.
        incident(&mut world, 5, 1, Stage::Impact, 4);
        incident(&mut world, 2, 1, Stage::Foothold, 4);
        let closed = incident(&mut world, 2, 1, Stage::Impact, 4);
        let e = entity(&world, closed);
        world.entity_mut(e).insert(Contained(5));
        // Ransomware hitting Strong's grid now.
        let ransom = incident(&mut world, 0, 0, Stage::Impact, 5);
        let scenario = std::sync::Arc::clone(&world.resource::<ScenarioData>().0);
        let awareness = get::<_, Awareness>(&world, EconomyIdx(1)).map_or(f64::NAN, |a| a.0);
        let (phishing, weak) = (&scenario.campaigns[1], &scenario.economies[1]);
        let hours = economics::tick_hours(scenario.meta.tick_minutes);
        let victims =
            economics::victims_per_hour(phishing, scenario.assets[5].people_served, awareness)
                * hours;
        assert!(victims > 0.0, "the fixture's bank serves people");
        run(&mut world, accrue_loss);
        let ledger = world.resource::<Ledger>();
        assert_eq!(ledger.victims[1], victims);
        assert_eq!(
            ledger.victims[0], 0.0,
            "Strong's bank attack is a foothold or contained"
        );
        let fraud = victims * economics::victim_loss(phishing, weak);
        assert_eq!(
            get::<_, Loss>(&world, EconomyIdx(1)).map(|l| l.0),
            Some(fraud)
        );
        let cases: Vec<_> = ledger
            .ransoms
            .iter()
            .map(|c| (c.incident, c.economy, c.at))
            .collect();
        assert_eq!(cases, [(ransom, EconomyIdx(0), 5)]);
        world.resource_mut::<crate::world::Clock>().tick = 6;
        run(&mut world, accrue_loss);
        let ledger = world.resource::<Ledger>();
        assert_eq!(ledger.victims[1], 2.0 * victims, "cumulative");
        assert_eq!(
            ledger.ransoms.len(),
            1,
            "a ransom is booked once, at impact"
        );
    }

    /// The ransom paid at a ransomware impact in Strong's grid (demand `demand`) with the
    /// economy's ransom policy `policy` in force, and the recovery booked.
    fn ransom_paid_under(policy: RansomPolicy) -> (f64, f64, f64) {
        let mut world = world_at(5);
        world.resource_mut::<RansomPolicies>().set(RansomRule {
            economy: EconomyIdx(0),
            campaign: Some(CampaignIdx(0)),
            policy,
            at: 3,
        });
        incident(&mut world, 0, 0, Stage::Impact, 5);
        let scenario = std::sync::Arc::clone(&world.resource::<ScenarioData>().0);
        let demand = economics::ransom(&scenario.campaigns[0], &scenario.economies[0]);
        let recovery = economics::recovery_cost(&scenario.campaigns[0], &scenario.economies[0]);
        run(&mut world, accrue_loss);
        let ledger = world.resource::<Ledger>();
        let parts = ledger.breakdown[0];
        assert_eq!(
            parts.recovery, recovery,
            "recovery is paid whatever the policy"
        );
        assert_eq!(ledger.ransoms.len(), 1);
        assert_eq!(ledger.ransoms[0].paid, parts.ransom);
        (parts.ransom, demand, recovery)
    }

    /// The economy's ransom policy decides what is paid: all of the demand, none of it,
    /// or the negotiated share; the recovery cost is booked in every case.
    #[test]
    fn the_ransom_paid_follows_the_economys_ransom_policy() {
        let (paid, demand, _) = ransom_paid_under(RansomPolicy::Pay);
        assert!(demand > 0.0);
        assert_eq!(paid, demand);
        let (paid, _, recovery) = ransom_paid_under(RansomPolicy::Refuse);
        assert_eq!(paid, 0.0);
        assert!(recovery > 0.0);
        let (paid, demand, _) = ransom_paid_under(RansomPolicy::Negotiate);
        assert_eq!(paid, demand * NEGOTIATED_RANSOM_SHARE);
    }

    /// A policy for another economy or another campaign does not bind this victim.
    #[test]
    fn a_ransom_policy_binds_only_its_economy_and_campaign() {
        let mut world = world_at(5);
        let mut policies = world.resource_mut::<RansomPolicies>();
        policies.set(RansomRule {
            economy: EconomyIdx(1),
            campaign: None,
            policy: RansomPolicy::Pay,
            at: 1,
        });
        policies.set(RansomRule {
            economy: EconomyIdx(0),
            campaign: Some(CampaignIdx(1)),
            policy: RansomPolicy::Pay,
            at: 1,
        });
        // Full backups: alone, the victim never pays.
        world.resource_mut::<Assets>().posture[0].backups = 100;
        incident(&mut world, 0, 0, Stage::Impact, 5);
        run(&mut world, accrue_loss);
        let ledger = world.resource::<Ledger>();
        assert_eq!(ledger.ransoms[0].paid, 0.0);
        assert_eq!(ledger.breakdown[0].ransom, 0.0);
    }
}
