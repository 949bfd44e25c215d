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
    next.extend(
        assets
            .dep_start
            .windows(2)
            .zip(&assets.inoperability)
            .zip(&assets.damage)
            .zip(&assets.resilience)
            .map(|(((deps, &q), &damage), &resilience)| {
                let deps = deps[0] as usize..deps[1] as usize;
                let inherited = inherited(assets, deps);
                next_inoperability(q, inherited, damage, resilience)
            }),
    );
    assets.scratch = std::mem::replace(&mut assets.inoperability, next);
}

/// Sum of a_ij q_j(t) over the dependencies `deps` of one asset, in their order. The
/// per-asset loop walks the columns as zipped slices (one bounds check per asset, not
/// per read): at a million assets this loop is most of a tick.
fn inherited(assets: &Assets, deps: std::ops::Range<usize>) -> f64 {
    let (Some(on), Some(weights)) = (assets.dep_on.get(deps.clone()), assets.dep_weight.get(deps))
    else {
        return 0.0;
    };
    on.iter().zip(weights).fold(0.0, |sum, (&on, &weight)| {
        sum + weight
            * assets
                .inoperability
                .get(on as usize)
                .copied()
                .unwrap_or(0.0)
    })
}

/// q_i(t+1) for one asset from its q_i(t), what it inherits, its damage c_i and K_i.
fn next_inoperability(q: f64, inherited: f64, damage: f64, resilience: f64) -> f64 {
    let target = (inherited + damage).min(1.0);
    (q + resilience * (target - q)).clamp(0.0, 1.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::systems::testing::{run, world_at};

    /// `q' = q + K (min(1, sum of a_ij q_j + c) - q)`, clamped to 0-1, from the state
    /// before the step (synchronous).
    #[test]
    fn inoperability_moves_towards_inherited_plus_direct_damage() {
        // (q of the grid, damage of the telecom, q of the telecom) -> the telecom's next
        // q, with the telecom depending on the grid at weight 0.5 and K = 0.5.
        for (grid, damage, telecom, next) in [
            (0.0, 0.0, 0.0, 0.0),
            (1.0, 0.0, 0.0, 0.25),
            (1.0, 0.0, 0.5, 0.5),
            (0.0, 0.4, 0.0, 0.2),
            (1.0, 0.8, 0.0, 0.5),
            (0.0, 0.0, 0.6, 0.3),
        ] {
            let mut world = world_at(1);
            let mut assets = world.resource_mut::<Assets>();
            assets.inoperability[0] = grid;
            assets.damage[1] = damage;
            assets.inoperability[1] = telecom;
            run(&mut world, cascade_outages);
            let q = world.resource::<Assets>().inoperability[1];
            assert!(
                (q - next).abs() < 1e-12,
                "{grid} {damage} {telecom}: {q}, not {next}"
            );
        }
    }

    #[test]
    fn the_step_is_synchronous_and_crosses_borders() {
        let mut world = world_at(1);
        world.resource_mut::<Assets>().damage[0] = 1.0;
        world.resource_mut::<Assets>().inoperability[4] = 1.0;
        run(&mut world, cascade_outages);
        let q = world.resource::<Assets>().inoperability.clone();
        assert_eq!(q[0], 0.5, "the damaged grid");
        assert_eq!(q[1], 0.0, "its telecom sees the grid's old q, 0");
        // Strong's bank depends on Weak's telecom at weight 0.2: 0.5 x 0.2.
        assert!((q[2] - 0.1).abs() < 1e-12, "{}", q[2]);
        run(&mut world, cascade_outages);
        let q = &world.resource::<Assets>().inoperability;
        assert_eq!(q[1], 0.125, "now the telecom inherits 0.5 x 0.5, halfway");
    }
}
