//! Service levels published for every economy and the region: the mean service of
//! their assets after this tick's cascade, used by trust, objectives and views.

use bevy_ecs::prelude::*;

use crate::scenario::model::EconomyIdx;
use crate::world::{Assets, Id, Ids, Progress, Service};

/// Recomputes every economy's and the region's mean service.
pub fn measure_service(
    assets: Res<Assets>,
    economy_ids: Res<Ids<EconomyIdx>>,
    mut economies: Query<(&Id<EconomyIdx>, &mut Service)>,
    mut progress: ResMut<Progress>,
) {
    let (per_economy, region) = mean_services(&assets, economy_ids.len());
    for (id, mut service) in &mut economies {
        if let Some(mean) = per_economy.get(id.0.index()) {
            service.0 = *mean;
        }
    }
    progress.service_now = region;
    progress.service_sum += region;
}

/// Mean service per economy (1 for an economy without assets) and over the region.
pub fn mean_services(assets: &Assets, economies: usize) -> (Vec<f64>, f64) {
    let mut sums = vec![0.0; economies];
    let mut counts = vec![0usize; economies];
    let mut total = 0.0;
    for (i, &q) in assets.inoperability.iter().enumerate() {
        let e = assets.economy[i] as usize;
        sums[e] += 1.0 - q;
        counts[e] += 1;
        total += 1.0 - q;
    }
    let per_economy = sums
        .iter()
        .zip(&counts)
        .map(|(sum, &count)| if count == 0 { 1.0 } else { sum / count as f64 })
        .collect();
    let region = if assets.is_empty() {
        1.0
    } else {
        total / assets.len() as f64
    };
    (per_economy, region)
}
