//! Cascading outages: the dynamic inoperability input-output model (Lian & Haimes 2006),
//!
//! `q(t+1) = q(t) + K [A q(t) + c(t) - q(t)]`, clamped to [0, 1],
//!
//! with q each asset's inoperability (1 - service), A the weighted dependencies (row i:
//! how much of asset i's service fails when each asset it needs fails), c the direct
//! damage and K each asset's resilience. Dependencies across borders are the
//! multi-regional form (Crowther & Haimes 2010): the same matrix, rows and columns in
//! different economies. The update is synchronous from q(t), so cycles are fine and
//! the result does not depend on the order assets are visited; they are visited in
//! index order over compressed sparse rows anyway.

use bevy_ecs::prelude::*;

use crate::world::Assets;

/// One synchronous step of the inoperability model over every asset.
pub fn cascade_outages(mut assets: ResMut<Assets>) {
    let assets = &mut *assets;
    let mut next = std::mem::take(&mut assets.scratch);
    next.clear();
    next.extend((0..assets.len()).map(|i| next_inoperability(assets, i)));
    assets.scratch = std::mem::replace(&mut assets.inoperability, next);
}

/// q_i(t+1) for one asset.
fn next_inoperability(assets: &Assets, i: usize) -> f64 {
    let start = assets.dep_start[i] as usize;
    let end = assets.dep_start[i + 1] as usize;
    let mut inherited = 0.0;
    for k in start..end {
        inherited += assets.dep_weight[k] * assets.inoperability[assets.dep_on[k] as usize];
    }
    let q = assets.inoperability[i];
    let target = (inherited + assets.damage[i]).min(1.0);
    (q + assets.resilience[i] * (target - q)).clamp(0.0, 1.0)
}
