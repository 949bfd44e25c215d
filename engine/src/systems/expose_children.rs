//! Children exposed to harmful content ([`crate::protection`]): every open
//! harmful-content incident at impact reaches, per hour, `people_served / 10^6 x
//! victim_rate x (1 - 0.5 f(awareness))` children (the same reach as an attack on people,
//! with `victim_rate` read as children per million people served), times the share of
//! the campaign's hosting economies still serving the material. A local containment or
//! a takedown everywhere (which closes the incident) ends it; referral does not (it
//! safeguards the children reached, it does not remove the material).

use bevy_ecs::prelude::*;

use super::open_reach::OpenReach;
use crate::economics;
use crate::protection::ChildProtection;
use crate::scenario::model::CampaignKind;
use crate::world::ScenarioData;

/// Books this tick's children exposed, incident by incident in id order.
pub fn expose_children(
    scenario: Res<ScenarioData>,
    open: OpenReach,
    mut protection: ResMut<ChildProtection>,
) {
    let hours = economics::tick_hours(scenario.0.meta.tick_minutes);
    for reach in open.of_kind(&scenario, CampaignKind::HarmfulContent) {
        let hit = reach.hit;
        let (Some(campaign), Some(asset)) = (
            scenario.0.campaigns.get(hit.campaign.index()),
            scenario.0.assets.get(hit.asset.index()),
        ) else {
            continue;
        };
        let children = economics::victims_per_hour(campaign, asset.people_served, reach.awareness)
            * hours
            * reach.served;
        protection.expose(reach.incident, hit.economy, children);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::command::IncidentId;
    use crate::scenario::model::{CampaignIdx, EconomyIdx};
    use crate::systems::testing::{entity, incident, run, world_of};
    use crate::testkit::two_economies;
    use crate::view::Stage;
    use crate::world::{Awareness, Contained, TakenDown};

    /// Campaign 1 (the banks) as harmful content hosted in both economies.
    fn harmful() -> World {
        let mut scenario = two_economies();
        scenario.campaigns[1].kind = CampaignKind::HarmfulContent;
        scenario.campaigns[1].victim_rate = 1.0;
        scenario.campaigns[1].hosting = vec![EconomyIdx(0), EconomyIdx(1)];
        scenario.assets[5].people_served = 2_000_000;
        world_of(scenario, 5)
    }

    fn exposed(world: &World, id: IncidentId) -> f64 {
        world
            .resource::<ChildProtection>()
            .cases
            .get(&id)
            .map_or(0.0, |c| c.exposed)
    }

    /// Open material at impact reaches `people / 10^6 x rate x (1 - 0.5 awareness)` children
    /// an hour (two million people, rate 1, awareness 0: 2 an hour, 1 with full
    /// awareness), half as many once one of its two hosts took it down; none at foothold,
    /// none once contained locally.
    #[test]
    fn open_material_reaches_children_until_blocked_or_taken_down() {
        let mut world = harmful();
        let weak = entity(&world, EconomyIdx(1));
        world.entity_mut(weak).insert(Awareness(0.0));
        let at_impact = incident(&mut world, 5, 1, Stage::Impact, 4);
        let foothold = incident(&mut world, 2, 1, Stage::Foothold, 4);
        run(&mut world, expose_children);
        assert_eq!(exposed(&world, at_impact), 2.0);
        assert_eq!(exposed(&world, foothold), 0.0);
        world.entity_mut(weak).insert(Awareness(100.0));
        run(&mut world, expose_children);
        assert_eq!(exposed(&world, at_impact), 3.0);
        let campaign = entity(&world, CampaignIdx(1));
        world
            .entity_mut(campaign)
            .insert(TakenDown(vec![EconomyIdx(0)]));
        run(&mut world, expose_children);
        assert_eq!(exposed(&world, at_impact), 3.5, "one host of two left");
        let e = entity(&world, at_impact);
        world.entity_mut(e).insert(Contained(5));
        run(&mut world, expose_children);
        assert_eq!(exposed(&world, at_impact), 3.5, "blocked locally");
        let region = world.resource::<ChildProtection>().children(None);
        assert_eq!((region.exposed, region.safeguarded), (3.5, 0.0));
    }

    /// Harmful content costs no money: with only harmful content open, the ledger's fraud
    /// and victims stay at zero while children are exposed.
    #[test]
    fn harmful_content_makes_no_fraud_loss() {
        let mut world = harmful();
        incident(&mut world, 5, 1, Stage::Impact, 4);
        run(&mut world, super::super::accrue_loss);
        run(&mut world, expose_children);
        let ledger = world.resource::<economics::Ledger>();
        assert_eq!(ledger.victims, vec![0.0, 0.0]);
        assert_eq!(ledger.breakdown[1].fraud, 0.0);
        assert!(world.resource::<ChildProtection>().children(None).exposed > 0.0);
    }
}
