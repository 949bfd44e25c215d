//! Information sharing across borders: indicators sent by one economy arrive at another
//! after the delay of their information-sharing agreement (or the scenario's default
//! without one), labelled with the Traffic Light Protocol (FIRST TLP 2.0). On arrival
//! the receiving economy knows the incident and holds the campaign's indicators, which
//! raise its detection chance and block part of the campaign's attempts there (APEC
//! 2005 action area 7; ITU 2009 "share information"). A TLP:CLEAR warning may be
//! published, which also raises public awareness a little (APEC action area 5). Under
//! TLP:AMBER+STRICT and RED the shipment is for one team of the receiving economy: only
//! that team learns of the incident, and the economy's defences get no indicators.
//! Indicators that arrive within a day of their sender first knowing the incident were
//! shared in time: the receiving economy trusts the sender more ([`crate::partners`]).

use bevy_ecs::prelude::*;

use crate::command::{IncidentId, Tlp};
use crate::outcomes::{Achieved, Outcomes};
use crate::partners::{self, PartnerTrust};
use crate::scenario::model::EconomyIdx;
use crate::view::Source;
use crate::world::{
    Awareness, Clock, Delivered, DeliveryId, Hit, Id, Ids, Indicators, Knowing, KnownBy, Shipment,
    in_id_order,
};

/// Awareness points a published (TLP:CLEAR) warning adds in the receiving economy.
const PUBLIC_WARNING_AWARENESS: f64 = 2.0;

/// Delivers every shipment of indicators whose delay has run out, in sending order (an
/// economy learning of an incident twice keeps the first way it learned).
#[allow(clippy::type_complexity, clippy::too_many_arguments)]
pub fn deliver_shared_information(
    clock: Res<Clock>,
    shipments: Query<(Entity, &Id<DeliveryId>, &Shipment), Without<Delivered>>,
    incident_ids: Res<Ids<IncidentId>>,
    mut incidents: Query<(&Hit, &mut KnownBy)>,
    economy_ids: Res<Ids<EconomyIdx>>,
    mut economies: Query<(&mut Indicators, &mut Awareness)>,
    mut partners: Query<&mut PartnerTrust>,
    mut outcomes: ResMut<Outcomes>,
    mut commands: Commands,
) {
    let now = clock.tick;
    let due = shipments
        .iter()
        .filter(|(_, _, s)| s.arrives_at <= now)
        .map(|(entity, id, s)| (id.0, (entity, s)));
    for (_, (entity, shipment)) in in_id_order(due) {
        commands.entity(entity).insert(Delivered);
        let Some(Ok((hit, mut known))) = incident_ids
            .get(shipment.incident)
            .map(|e| incidents.get_mut(e))
        else {
            continue;
        };
        let sender_knew = known.by(shipment.from).map(|k| k.at);
        if sender_knew.is_some_and(|at| now.saturating_sub(at) <= partners::TIMELY_TICKS)
            && let Some(Ok(mut trust)) = economy_ids.get(shipment.to).map(|e| partners.get_mut(e))
        {
            trust.shared_in_time(shipment.from.index());
        }
        let knows = match shipment.team {
            Some(team) => known.by_team(shipment.to, team).is_some(),
            None => known.by(shipment.to).is_some(),
        };
        if !knows {
            known.0.push(Knowing {
                economy: shipment.to,
                team: shipment.team,
                at: now,
                source: Source::SharedBy {
                    economy: shipment.from,
                    tlp: shipment.tlp,
                },
            });
        }
        outcomes.record(
            now,
            Achieved::Shared {
                campaign: hit.campaign,
                from: shipment.from,
                to: shipment.to,
                tlp: shipment.tlp,
            },
        );
        // For the recipient team only (AMBER+STRICT, RED): the team may act on the
        // incident, but the rest of its economy (its detection and blocking) may not use
        // what it was not told.
        if shipment.team.is_some() {
            continue;
        }
        let Some(Ok((mut indicators, mut awareness))) =
            economy_ids.get(shipment.to).map(|e| economies.get_mut(e))
        else {
            continue;
        };
        if let Some(held) = indicators.0.get_mut(hit.campaign.index()) {
            *held = true;
        }
        if shipment.tlp == Tlp::Clear {
            awareness.0 = (awareness.0 + PUBLIC_WARNING_AWARENESS).min(100.0);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::systems::testing::{get, incident, run, world_at};
    use crate::view::Stage;
    use crate::world::spawn_now;

    fn ship(world: &mut World, arrives_at: u32, incident: IncidentId, tlp: Tlp) -> DeliveryId {
        spawn_now(
            world,
            Shipment {
                arrives_at,
                incident,
                from: EconomyIdx(0),
                to: EconomyIdx(1),
                team: None,
                tlp,
            },
        )
    }

    #[test]
    fn due_shipments_arrive_in_sending_order_and_the_first_way_of_knowing_stays() {
        let mut world = world_at(4);
        let phishing = incident(&mut world, 2, 1, Stage::Impact, 1);
        let first = ship(&mut world, 3, phishing, Tlp::Amber);
        let second = ship(&mut world, 4, phishing, Tlp::Clear);
        let later = ship(&mut world, 5, phishing, Tlp::Green);
        run(&mut world, deliver_shared_information);
        for (delivery, delivered) in [(first, true), (second, true), (later, false)] {
            let has = get::<_, Delivered>(&world, delivery).is_some();
            assert_eq!(has, delivered, "{delivery:?}");
        }
        let known = get::<_, KnownBy>(&world, phishing).map(|k| k.0.clone());
        assert_eq!(
            known,
            Some(vec![Knowing {
                economy: EconomyIdx(1),
                team: None,
                at: 4,
                source: Source::SharedBy {
                    economy: EconomyIdx(0),
                    tlp: Tlp::Amber,
                },
            }])
        );
        let indicators = get::<_, Indicators>(&world, EconomyIdx(1)).map(|i| i.0.clone());
        assert_eq!(
            indicators,
            Some(vec![false, true]),
            "the phishing campaign's"
        );
        // A TLP:CLEAR warning reaches the public: Weak's awareness 30 -> 32.
        let awareness = get::<_, Awareness>(&world, EconomyIdx(1)).map(|a| a.0);
        assert_eq!(awareness, Some(30.0 + PUBLIC_WARNING_AWARENESS));
        // Delivered once: the next tick changes nothing more.
        world.resource_mut::<Clock>().tick = 5;
        run(&mut world, deliver_shared_information);
        assert!(get::<_, Delivered>(&world, later).is_some());
        let awareness = get::<_, Awareness>(&world, EconomyIdx(1)).map(|a| a.0);
        assert_eq!(awareness, Some(30.0 + PUBLIC_WARNING_AWARENESS));
    }

    /// Strong knew of the phishing incident at tick 2: indicators arriving at tick 20
    /// came in time (Weak trusts Strong more, +2 x (100 - 50) / 100), a second copy
    /// arriving at tick 30 did not (no change).
    #[test]
    fn indicators_that_arrive_within_a_day_of_the_sender_knowing_raise_trust() {
        let mut world = world_at(20);
        let phishing = incident(&mut world, 2, 1, Stage::Impact, 1);
        crate::systems::testing::get_mut::<_, KnownBy>(&mut world, phishing)
            .0
            .push(Knowing {
                economy: EconomyIdx(0),
                team: None,
                at: 2,
                source: Source::Own,
            });
        ship(&mut world, 20, phishing, Tlp::Green);
        ship(&mut world, 30, phishing, Tlp::Green);
        let trust = |world: &World| {
            get::<_, PartnerTrust>(world, EconomyIdx(1))
                .map(|t| (t.of(0), t.moves[0].timely_sharing))
        };
        run(&mut world, deliver_shared_information);
        assert_eq!(trust(&world), Some((51.0, 1.0)));
        world.resource_mut::<Clock>().tick = 30;
        run(&mut world, deliver_shared_information);
        assert_eq!(trust(&world), Some((51.0, 1.0)));
    }
}
