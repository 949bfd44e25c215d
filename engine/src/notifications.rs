//! Detection from outside: one CSIRT telling another "these assets of yours talk to this
//! campaign's servers". A CSIRT that investigated a campaign at home knows its servers
//! and sees who else connects to them (sinkholes, command-server logs, seized
//! machines); a notification passes that on to the economy whose assets it saw. About
//! half of the intrusions Mandiant's M-Trends reports were first learned of from
//! outside, most often from such a notification (M-Trends 2024: 54% external in 2023);
//! APEC 2005 action area 7 (information sharing) and ITU 2009 ("share information")
//! are the cooperation it stands for.
//!
//! `Command::Notify` schedules a [`Notification`] when its task completes; it arrives
//! after the information-sharing agreement's delay (the scenario's default without one)
//! and [`crate::systems::deliver_notifications`] delivers it: every incident of the
//! campaign in the notified economy that had begun before the tick the notification
//! was sent, and is still open and unfound, is found (`FoundBy::Notified`).

use bevy_ecs::prelude::Resource;

use crate::scenario::model::{AssetIdx, CampaignIdx, EconomyIdx, TeamIdx};

/// One notification, pending or delivered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notification {
    /// The CSIRT that sent it, and its economy.
    pub team: TeamIdx,
    pub from: EconomyIdx,
    pub to: EconomyIdx,
    pub campaign: CampaignIdx,
    /// Tick it was sent: incidents begun that tick or later were not seen.
    pub sent_at: u32,
    pub arrives_at: u32,
    /// Tick it arrived (`None`: on its way).
    pub arrived_at: Option<u32>,
    /// The assets it named on arrival (those with an incident it revealed), ascending.
    pub assets: Vec<AssetIdx>,
}

/// Every notification sent, in sending order (sent in the same tick: task id order).
#[derive(Resource, Debug, Clone, Default, PartialEq, Eq)]
pub struct Notifications(pub Vec<Notification>);

impl Notifications {
    /// Notifications that have arrived, in sending order.
    pub fn delivered(&self) -> impl Iterator<Item = &Notification> {
        self.0.iter().filter(|n| n.arrived_at.is_some())
    }
}
