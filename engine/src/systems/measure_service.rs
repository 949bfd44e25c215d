//! Service levels published for every economy and the region: the mean service of
//! their assets after this tick's cascade, used by trust, objectives and views.

use bevy_ecs::prelude::*;

use crate::scenario::model::EconomyIdx;
use crate::world::{Assets, Id, Progress, Service};

/// Recomputes every economy's and the region's mean service (summing again only the
/// chunks of assets whose service changed: [`crate::active`]), and the watched
/// sectors' means where an asset of theirs changed.
pub fn measure_service(
    mut assets: ResMut<Assets>,
    mut economies: Query<(&Id<EconomyIdx>, &mut Service)>,
    mut progress: ResMut<Progress>,
) {
    let assets = &mut *assets;
    let (per_economy, region) = assets
        .active
        .mean_services(&assets.inoperability, &assets.economy);
    for (id, mut service) in &mut economies {
        if let Some(mean) = per_economy.get(id.0.index()) {
            service.0 = *mean;
        }
    }
    progress.service_now = region;
    progress.service_sum += region;
    assets
        .active
        .refresh_sectors(&assets.inoperability, &assets.economy);
}

/// Mean service per economy (1 for an economy without assets) and over the region,
/// each the sum of `1 - q` over its assets in index order, a chunk of
/// [`crate::active::SERVICE_CHUNK`] assets at a time, divided by their number.
pub fn mean_services(assets: &Assets, economies: usize) -> (Vec<f64>, f64) {
    crate::active::mean_services(&assets.inoperability, &assets.economy, economies)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::systems::testing::{get, run, world_at};

    #[test]
    fn means_per_economy_and_over_the_region() {
        let mut world = world_at(1);
        let mut assets = world.resource_mut::<Assets>();
        assets.inoperability = vec![0.0, 0.3, 0.6, 1.0, 0.0, 0.0];
        let (per_economy, region) = mean_services(&assets, 3);
        assert!((per_economy[0] - 0.7).abs() < 1e-12);
        assert!((per_economy[1] - 2.0 / 3.0).abs() < 1e-12);
        assert_eq!(
            per_economy[2], 1.0,
            "an economy without assets is fully served"
        );
        assert!((region - 4.1 / 6.0).abs() < 1e-12);
        run(&mut world, measure_service);
        let service = |e| get::<EconomyIdx, Service>(&world, EconomyIdx(e)).map(|s| s.0);
        assert!((service(0).unwrap_or(0.0) - 0.7).abs() < 1e-12);
        assert!((service(1).unwrap_or(0.0) - 2.0 / 3.0).abs() < 1e-12);
        let progress = world.resource::<Progress>();
        assert!((progress.service_now - 4.1 / 6.0).abs() < 1e-12);
        assert_eq!(progress.service_sum, progress.service_now, "summed once");
    }
}
