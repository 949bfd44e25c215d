//! Spam reaching people ([`crate::spam`]): every open spam incident at impact sends, per
//! hour, `messages` to each person its service serves, times the share of the campaign's
//! hosting economies still serving its botnet; the economy's filtering stops all but
//! `1 - filtering / 100` of them, and `response_rate x (1 - 0.5 awareness / 100)` of those
//! reaching people make a fraud victim, booked in the ledger with the campaign's loss per
//! victim. A provider's containment or a takedown everywhere (which closes the incident)
//! ends it.

use bevy_ecs::prelude::*;

use super::enforcement::hosting_left;
use crate::command::IncidentId;
use crate::economics::{self, Ledger};
use crate::scenario::model::{CampaignIdx, CampaignKind, EconomyIdx};
use crate::spam::Spam;
use crate::world::{
    Awareness, Contained, Hit, Id, Ids, Impacted, Recovered, ScenarioData, TakenDown, in_id_order,
};

/// Open incidents at impact: neither contained nor recovered.
type OpenAtImpact<'w, 's> = Query<
    'w,
    's,
    (&'static Id<IncidentId>, &'static Hit),
    (With<Impacted>, Without<Contained>, Without<Recovered>),
>;

/// Books this tick's spam, incident by incident in id order.
#[allow(clippy::too_many_arguments)]
pub fn deliver_spam(
    scenario: Res<ScenarioData>,
    economy_ids: Res<Ids<EconomyIdx>>,
    economies: Query<&Awareness>,
    campaign_ids: Res<Ids<CampaignIdx>>,
    campaigns: Query<&TakenDown>,
    open: OpenAtImpact,
    mut spam: ResMut<Spam>,
    mut ledger: ResMut<Ledger>,
) {
    let scenario = &scenario.0;
    let hours = economics::tick_hours(scenario.meta.tick_minutes);
    let items = open
        .iter()
        .filter(|(_, hit)| hit.kind == CampaignKind::Spam)
        .map(|(id, hit)| (id.0, *hit));
    for (_, hit) in in_id_order(items) {
        let (Some(campaign), Some(asset), Some(economy)) = (
            scenario.campaigns.get(hit.campaign.index()),
            scenario.assets.get(hit.asset.index()),
            scenario.economies.get(hit.economy.index()),
        ) else {
            continue;
        };
        let awareness = economy_ids
            .get(hit.economy)
            .and_then(|e| economies.get(e).ok())
            .map_or(0.0, |a| a.0);
        let served = campaign_ids
            .get(hit.campaign)
            .and_then(|c| campaigns.get(c).ok())
            .map_or(1.0, |taken| hosting_left(&campaign.hosting, &taken.0));
        let sent = asset.people_served as f64 * campaign.messages * hours * served;
        let per_victim = economics::victim_loss(campaign, economy);
        let booked = spam.deliver(
            hit.economy,
            sent,
            awareness,
            campaign.response_rate,
            per_victim,
        );
        ledger.book_fraud(hit.economy, booked.responded, per_victim);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::systems::testing::{entity, incident, run, world_of};
    use crate::testkit::two_economies;
    use crate::view::Stage;

    /// Campaign 1 (the banks) as spam hosted in both economies; the weak economy's
    /// bank (asset 5) serves two million people.
    fn spammed() -> World {
        let mut scenario = two_economies();
        scenario.campaigns[1].kind = CampaignKind::Spam;
        scenario.campaigns[1].messages = 1.0;
        scenario.campaigns[1].response_rate = 0.001;
        scenario.campaigns[1].victim_loss = Some(100.0);
        scenario.campaigns[1].hosting = vec![EconomyIdx(0), EconomyIdx(1)];
        scenario.assets[5].people_served = 2_000_000;
        world_of(scenario, 5)
    }

    fn tally(world: &World) -> crate::spam::SpamTally {
        world.resource::<Spam>().tally(Some(EconomyIdx(1)))
    }

    /// An open spam incident at impact sends a message an hour to each of two million
    /// people; 99% filtered, 20,000 reach them; at 0.001 and no awareness 20 respond,
    /// booked as fraud (USD 2,000); half as many once one of two hosts took its servers
    /// down; none at foothold, none once the provider contained it.
    #[test]
    fn open_spam_reaches_people_past_filtering_and_makes_fraud_victims() {
        let mut world = spammed();
        let weak = entity(&world, EconomyIdx(1));
        world.entity_mut(weak).insert(Awareness(0.0));
        let at_impact = incident(&mut world, 5, 1, Stage::Impact, 4);
        incident(&mut world, 2, 1, Stage::Foothold, 4);
        run(&mut world, deliver_spam);
        let got = tally(&world);
        assert_eq!(
            got.sent, 2_000_000.0,
            "the incident at foothold sends nothing"
        );
        assert!((got.reached - 20_000.0).abs() < 1e-6);
        assert!((got.responded - 20.0).abs() < 1e-6);
        assert!((got.loss - 2_000.0).abs() < 1e-6);
        let ledger = world.resource::<Ledger>();
        assert!((ledger.victims[1] - 20.0).abs() < 1e-6);
        assert!((ledger.breakdown[1].fraud - 2_000.0).abs() < 1e-6);
        let campaign = entity(&world, CampaignIdx(1));
        world
            .entity_mut(campaign)
            .insert(TakenDown(vec![EconomyIdx(0)]));
        run(&mut world, deliver_spam);
        assert_eq!(tally(&world).sent, 3_000_000.0, "one host of two left");
        let e = entity(&world, at_impact);
        world.entity_mut(e).insert(Contained(5));
        run(&mut world, deliver_spam);
        assert_eq!(tally(&world).sent, 3_000_000.0, "contained by the provider");
        assert_eq!(
            world.resource::<Spam>().tally(Some(EconomyIdx(0))).sent,
            0.0
        );
    }

    /// Spam books no fraud through the other attacks on people's path: with only spam
    /// open, `accrue_loss` books nothing more than `deliver_spam` did.
    #[test]
    fn spam_fraud_is_booked_once() {
        let mut world = spammed();
        incident(&mut world, 5, 1, Stage::Impact, 4);
        run(&mut world, deliver_spam);
        let after_spam = world.resource::<Ledger>().breakdown[1].fraud;
        run(&mut world, super::super::accrue_loss);
        assert_eq!(world.resource::<Ledger>().breakdown[1].fraud, after_spam);
        assert!(after_spam > 0.0);
    }
}
