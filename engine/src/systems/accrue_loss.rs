//! Economic loss: each asset loses, per tick, its share of the economic activity it
//! supports in proportion to its inoperability (the "economic loss" output of the
//! inoperability input-output model, Santos & Haimes 2004): people served x GDP per
//! inhabitant x criticality/3, per tick of a year, times q. Open attacks on people that
//! reached impact add fraud losses (APEC 2005: online fraud and identity theft).

use bevy_ecs::prelude::*;

use super::targets_people;
use crate::world::{Assets, Economies, Incidents};

/// Fraud per tick of an open attack on people, as a share of the asset's loss at full outage.
const FRAUD_SHARE: f64 = 0.2;

/// Adds this tick's losses to every economy.
pub fn accrue_loss(
    assets: Res<Assets>,
    incidents: Res<Incidents>,
    mut economies: ResMut<Economies>,
) {
    let mut losses = vec![0.0; economies.0.len()];
    for (i, &q) in assets.inoperability.iter().enumerate() {
        if q > 0.0 {
            losses[assets.economy[i] as usize] += q * assets.loss_per_tick[i];
        }
    }
    for incident in &incidents.0 {
        if incident.is_open() && incident.impacted_at.is_some() && targets_people(incident.kind) {
            losses[incident.economy.index()] +=
                FRAUD_SHARE * assets.loss_per_tick[incident.asset.index()];
        }
    }
    for (economy, loss) in economies.0.iter_mut().zip(losses) {
        economy.loss += loss;
    }
}
