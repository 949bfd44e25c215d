//! Information sharing across borders: indicators sent by one economy arrive at another
//! after the delay of their information-sharing agreement (or the scenario's default
//! without one), labelled with the Traffic Light Protocol (FIRST TLP 2.0). On arrival
//! the receiving economy knows the incident and holds the campaign's indicators, which
//! raise its detection chance and block part of the campaign's attempts there (APEC
//! 2005 action area 7; ITU 2009 "share information"). A TLP:CLEAR warning may be
//! published, which also raises public awareness a little (APEC action area 5).

use bevy_ecs::prelude::*;

use crate::command::Tlp;
use crate::outcomes::{Achieved, Outcomes, label};
use crate::view::Source;
use crate::world::{Clock, Deliveries, Economies, Incidents, Knowing};

/// Awareness points a published (TLP:CLEAR) warning adds in the receiving economy.
const PUBLIC_WARNING_AWARENESS: f64 = 2.0;

/// Delivers every shared indicator whose delay has run out, in sending order.
pub fn deliver_shared_information(
    clock: Res<Clock>,
    mut deliveries: ResMut<Deliveries>,
    mut incidents: ResMut<Incidents>,
    mut economies: ResMut<Economies>,
    mut outcomes: ResMut<Outcomes>,
) {
    let now = clock.tick;
    for delivery in deliveries.0.iter_mut() {
        if delivery.delivered || delivery.arrives_at > now {
            continue;
        }
        delivery.delivered = true;
        let Some(incident) = incidents.0.get_mut(delivery.incident.0 as usize) else {
            continue;
        };
        if incident.known_by(delivery.to).is_none() {
            incident.known.push(Knowing {
                economy: delivery.to,
                at: now,
                source: Source::SharedBy {
                    economy: delivery.from,
                    tlp: delivery.tlp,
                },
            });
        }
        outcomes.record(
            now,
            Achieved::Shared {
                campaign: incident.campaign,
                from: delivery.from,
                to: delivery.to,
                tlp: label(delivery.tlp),
            },
        );
        let receiver = &mut economies.0[delivery.to.index()];
        receiver.knows_campaign[incident.campaign.index()] = true;
        if delivery.tlp == Tlp::Clear {
            receiver.awareness = (receiver.awareness + PUBLIC_WARNING_AWARENESS).min(100.0);
        }
    }
}
