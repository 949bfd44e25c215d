//! Economic loss: each asset loses, per tick, its share of the economic activity it
//! supports in proportion to its inoperability (the "economic loss" output of the
//! inoperability input-output model, Santos & Haimes 2004): people served x GDP per
//! inhabitant x criticality/3, per tick of a year, times q. Open attacks on people that
//! reached impact add fraud losses (APEC 2005: online fraud and identity theft).

use bevy_ecs::prelude::*;

use super::targets_people;
use crate::command::IncidentId;
use crate::scenario::model::EconomyIdx;
use crate::world::{Assets, Hit, Id, Ids, Impacted, Loss, Open, in_id_order};

/// Fraud per tick of an open attack on people, as a share of the asset's loss at full outage.
pub const FRAUD_SHARE: f64 = 0.2;

/// Incidents that reached impact and still harm.
type Harming = (With<Impacted>, Open);

/// Adds this tick's losses to every economy: outages asset by asset (in index order),
/// then fraud incident by incident (in id order), so the sums are the same every run.
pub fn accrue_loss(
    assets: Res<Assets>,
    economy_ids: Res<Ids<EconomyIdx>>,
    frauds: Query<(&Id<IncidentId>, &Hit), Harming>,
    mut economies: Query<(&Id<EconomyIdx>, &mut Loss)>,
) {
    let mut losses = vec![0.0; economy_ids.len()];
    for (i, &q) in assets.inoperability.iter().enumerate() {
        if q > 0.0 {
            losses[assets.economy[i] as usize] += q * assets.loss_per_tick[i];
        }
    }
    let open_frauds = frauds
        .iter()
        .filter(|(_, hit)| targets_people(hit.kind))
        .map(|(id, hit)| (id.0, hit));
    for (_, hit) in in_id_order(open_frauds) {
        losses[hit.economy.index()] += FRAUD_SHARE * assets.loss_per_tick[hit.asset.index()];
    }
    for (id, mut loss) in &mut economies {
        if let Some(lost) = losses.get(id.0.index()) {
            loss.0 += lost;
        }
    }
}
