//! Information sharing across borders: indicators sent by one economy arrive at another
//! after the delay of their information-sharing agreement (or the scenario's default
//! without one), labelled with the Traffic Light Protocol (FIRST TLP 2.0). On arrival
//! the receiving economy knows the incident and holds the campaign's indicators, which
//! raise its detection chance and block part of the campaign's attempts there (APEC
//! 2005 action area 7; ITU 2009 "share information"). A TLP:CLEAR warning may be
//! published, which also raises public awareness a little (APEC action area 5).

use bevy_ecs::prelude::*;

use crate::command::{IncidentId, Tlp};
use crate::outcomes::{Achieved, Outcomes, label};
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
        if known.by(shipment.to).is_none() {
            known.0.push(Knowing {
                economy: shipment.to,
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
                tlp: label(shipment.tlp),
            },
        );
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
