//! Detection from outside: CSIRT-to-CSIRT notifications whose delay ran out arrive. The
//! notified economy finds every incident of the campaign on its assets that had begun
//! before the tick the notification was sent and is still open and unfound, as found by the
//! notifying economy (`FoundBy::Notified`, counted as found from outside, as M-Trends
//! counts external notification); its teams get the message with the assets named.
//! APEC 2005 action area 7, ITU 2009 "share information"; see [`crate::notifications`].

use bevy_ecs::prelude::*;

use crate::command::{Actor, IncidentId, Recipient};
use crate::detection::FoundBy;
use crate::notifications::Notifications;
use crate::outcomes::{Achieved, Outcomes};
use crate::world::{
    Clock, Detected, Hit, Id, Ids, Intrusion, KnownBy, Message, MessageId, Open, ScenarioData,
    in_id_order, spawn_with_id,
};

/// Open incidents nobody found yet.
type Unfound<'w, 's> = Query<
    'w,
    's,
    (
        Entity,
        &'static Id<IncidentId>,
        &'static Hit,
        &'static Intrusion,
        &'static mut KnownBy,
    ),
    (Without<Detected>, Open),
>;

/// Delivers every notification due this tick, in sending order.
pub fn deliver_notifications(
    clock: Res<Clock>,
    scenario: Res<ScenarioData>,
    mut notifications: ResMut<Notifications>,
    mut unfound: Unfound,
    mut outcomes: ResMut<Outcomes>,
    mut messages: ResMut<Ids<MessageId>>,
    mut commands: Commands,
) {
    let now = clock.tick;
    let mut found: Vec<Entity> = Vec::new();
    for notice in notifications
        .0
        .iter_mut()
        .filter(|n| n.arrived_at.is_none() && n.arrives_at <= now)
    {
        notice.arrived_at = Some(now);
        let items = unfound
            .iter_mut()
            .filter(|(entity, _, hit, intrusion, _)| {
                hit.economy == notice.to
                    && hit.campaign == notice.campaign
                    && intrusion.started_at < notice.sent_at
                    && !found.contains(entity)
            })
            .map(|(entity, id, hit, _, known)| (id.0, (entity, hit.asset, known)));
        for (_, (entity, asset, mut known)) in in_id_order(items) {
            found.push(entity);
            commands
                .entity(entity)
                .insert((Detected(now), FoundBy::Notified { by: notice.from }));
            known.found_at_home(notice.to, now);
            if !notice.assets.contains(&asset) {
                notice.assets.push(asset);
            }
        }
        notice.assets.sort_unstable();
        outcomes.record(
            now,
            Achieved::Notified {
                campaign: notice.campaign,
                from: notice.from,
                to: notice.to,
            },
        );
        let s = &scenario.0;
        let named: Vec<std::borrow::Cow<'_, str>> = notice
            .assets
            .iter()
            .filter_map(|a| s.assets.get(a.index()).map(|a| a.name()))
            .collect();
        let campaign = s
            .campaigns
            .get(notice.campaign.index())
            .map_or("a campaign", |c| c.name.as_str());
        let text = if named.is_empty() {
            format!(
                "Notification about {campaign}: none of your assets still unknown to you talk to its servers."
            )
        } else {
            format!(
                "Notification about {campaign}: {} talk(s) to its servers; check them now.",
                named.join(", ")
            )
        };
        spawn_with_id(
            &mut commands,
            &mut messages,
            Message {
                tick: now,
                from: Actor::Team(notice.team),
                to: Recipient::Economy(notice.to),
                text,
            },
        );
    }
}
