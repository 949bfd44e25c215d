//! What an open attack on people reaches this tick: the incidents of one campaign kind at
//! impact (neither contained nor recovered), in id order, each with its economy's
//! awareness and the share of its campaign's hosting economies still serving it
//! ([`super::enforcement::hosting_left`]). Child exposure and spam read the same reach.

use bevy_ecs::prelude::*;
use bevy_ecs::system::SystemParam;

use super::enforcement::hosting_left;
use crate::command::IncidentId;
use crate::scenario::model::{CampaignIdx, CampaignKind, EconomyIdx};
use crate::world::{
    Awareness, Contained, Hit, Id, Ids, Impacted, Recovered, ScenarioData, TakenDown, in_id_order,
};

/// One open incident's reach this tick.
pub struct Reach {
    pub incident: IncidentId,
    pub hit: Hit,
    /// The economy's public awareness, 0-100.
    pub awareness: f64,
    /// Share of the campaign's hosting economies still serving it, 0-1.
    pub served: f64,
}

/// The open incidents at impact of a campaign kind and what they reach.
#[derive(SystemParam)]
pub struct OpenReach<'w, 's> {
    economy_ids: Res<'w, Ids<EconomyIdx>>,
    economies: Query<'w, 's, &'static Awareness>,
    campaign_ids: Res<'w, Ids<CampaignIdx>>,
    campaigns: Query<'w, 's, &'static TakenDown>,
    open: Query<'w, 's, (&'static Id<IncidentId>, &'static Hit), AtImpact>,
}

/// Incidents at impact, neither contained nor recovered.
type AtImpact = (With<Impacted>, Without<Contained>, Without<Recovered>);

impl OpenReach<'_, '_> {
    /// The open incidents of `kind` at impact, in id order, with their reach.
    pub fn of_kind(&self, scenario: &ScenarioData, kind: CampaignKind) -> Vec<Reach> {
        let items = self
            .open
            .iter()
            .filter(|(_, hit)| hit.kind == kind)
            .map(|(id, hit)| (id.0, *hit));
        in_id_order(items)
            .into_iter()
            .map(|(incident, hit)| {
                let awareness = self
                    .economy_ids
                    .get(hit.economy)
                    .and_then(|e| self.economies.get(e).ok())
                    .map_or(0.0, |a| a.0);
                let served = match (
                    scenario.0.campaigns.get(hit.campaign.index()),
                    self.campaign_ids
                        .get(hit.campaign)
                        .and_then(|c| self.campaigns.get(c).ok()),
                ) {
                    (Some(campaign), Some(taken)) => hosting_left(&campaign.hosting, &taken.0),
                    _ => 1.0,
                };
                Reach {
                    incident,
                    hit,
                    awareness,
                    served,
                }
            })
            .collect()
    }
}
