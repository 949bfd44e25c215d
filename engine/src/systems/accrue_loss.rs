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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::systems::testing::{entity, get, incident, run, world_at};
    use crate::view::Stage;
    use crate::world::Contained;

    #[test]
    fn outages_lose_their_share_and_open_frauds_add_theirs() {
        let mut world = world_at(5);
        let per_tick = world.resource::<Assets>().loss_per_tick.clone();
        world.resource_mut::<Assets>().inoperability[1] = 0.5;
        world.resource_mut::<Assets>().inoperability[3] = 1.0;
        // Phishing at impact on Weak's bank: fraud. At foothold, or contained: none.
        incident(&mut world, 5, 1, Stage::Impact, 4);
        incident(&mut world, 2, 1, Stage::Foothold, 4);
        let closed = incident(&mut world, 2, 1, Stage::Impact, 4);
        let e = entity(&world, closed);
        world.entity_mut(e).insert(Contained(5));
        // Ransomware is not fraud: its loss is the outage it causes.
        incident(&mut world, 0, 0, Stage::Impact, 4);
        run(&mut world, accrue_loss);
        let loss = |e| get::<_, Loss>(&world, EconomyIdx(e)).map_or(f64::NAN, |l| l.0);
        assert_eq!(loss(0), 0.5 * per_tick[1]);
        assert_eq!(loss(1), per_tick[3] + FRAUD_SHARE * per_tick[5]);
        run(&mut world, accrue_loss);
        let loss = |e| get::<_, Loss>(&world, EconomyIdx(e)).map_or(f64::NAN, |l| l.0);
        assert_eq!(loss(0), 2.0 * (0.5 * per_tick[1]), "cumulative");
    }
}
