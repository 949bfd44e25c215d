//! Spam reaching people ([`crate::spam`]): every open spam incident at impact sends, per
//! hour, `messages` to each person its service serves, times the share of the campaign's
//! hosting economies still serving its botnet; the economy's filtering stops all but
//! `1 - filtering / 100` of them, and `response_rate x (1 - 0.5 awareness / 100)` of those
//! reaching people make a fraud victim, booked in the ledger with the campaign's loss per
//! victim. A provider's containment or a takedown everywhere (which closes the incident)
//! ends it.

use bevy_ecs::prelude::*;

use super::open_reach::OpenReach;
use crate::economics::{self, Ledger};
use crate::scenario::model::CampaignKind;
use crate::spam::Spam;
use crate::world::ScenarioData;

/// Books this tick's spam, incident by incident in id order.
pub fn deliver_spam(
    scenario: Res<ScenarioData>,
    open: OpenReach,
    mut spam: ResMut<Spam>,
    mut ledger: ResMut<Ledger>,
) {
    let hours = economics::tick_hours(scenario.0.meta.tick_minutes);
    for reach in open.of_kind(&scenario, CampaignKind::Spam) {
        let hit = reach.hit;
        let (Some(campaign), Some(asset), Some(economy)) = (
            scenario.0.campaigns.get(hit.campaign.index()),
            scenario.0.assets.get(hit.asset.index()),
            scenario.0.economies.get(hit.economy.index()),
        ) else {
            continue;
        };
        let sent = asset.people_served as f64 * campaign.messages * hours * reach.served;
        let per_victim = economics::victim_loss(campaign, economy);
        let booked = spam.deliver(
            hit.economy,
            sent,
            reach.awareness,
            campaign.response_rate,
            per_victim,
        );
        ledger.book_fraud(hit.economy, booked.responded, per_victim);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::model::{CampaignIdx, EconomyIdx};
    use crate::systems::testing::{entity, incident, run, world_of};
    use crate::testkit::two_economies;
    use crate::view::Stage;
    use crate::world::{Awareness, Contained, TakenDown};

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
