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
//! index order over compressed sparse rows anyway. Only assets whose inputs changed are
//! visited (the others are at a fixed point: [`crate::active`]).

use bevy_ecs::prelude::*;

use crate::active::{SERVICE_CHUNK, Visit};
use crate::economics::Ledger;
use crate::world::Assets;

/// One synchronous step of the inoperability model over the assets whose inputs
/// changed (every asset on the first step, when many are pending, or when told to
/// visit all: the same bits, see [`crate::active`]). A step over every asset also sums
/// the service and books the outages as it goes (the loss pass then books none).
pub fn cascade_outages(mut assets: ResMut<Assets>, mut ledger: ResMut<Ledger>) {
    let assets = &mut *assets;
    match assets.active.take_cascade() {
        Visit::All => step_all(assets, &mut ledger),
        Visit::Some(visit) => {
            step_some(assets, &visit);
            assets.active.recycle(visit);
        }
    }
}

/// The step over every asset, in index order over compressed sparse rows, a chunk of
/// [`SERVICE_CHUNK`] assets at a time: each chunk's next inoperability, then (while it
/// is in cache) the chunk's service sums and its outages booked, with the very
/// additions `measure_service` and `accrue_loss` would make after the whole step (the
/// systems between them change no asset and no outage figure).
fn step_all(assets: &mut Assets, ledger: &mut Ledger) {
    let n = assets.inoperability.len();
    // Every value of `next` is written below: its old contents need no clearing.
    let mut next = std::mem::take(&mut assets.scratch);
    if next.len() != n {
        next.clear();
        next.resize(n, 0.0);
    }
    let keep_lossy = !assets.active.visits_all();
    let mut still_books = Vec::new();
    let mut from = 0;
    let mut chunk = 0;
    while from < n {
        let to = (from + SERVICE_CHUNK).min(n);
        step_range(assets, from..to, &mut next[from..to]);
        assets
            .active
            .sum_chunk(chunk, &next[from..to], &assets.economy[from..to]);
        ledger.book_outage_range(
            from..to,
            &next,
            &assets.damage,
            &assets.resilience,
            &assets.sector,
            |i| {
                if keep_lossy {
                    still_books.push(i as u32);
                }
            },
        );
        from = to;
        chunk += 1;
    }
    if keep_lossy {
        for (i, (&q, &was)) in next.iter().zip(&assets.inoperability).enumerate() {
            if q.to_bits() != was.to_bits() {
                assets.active.inoperability_changed(i, q);
            }
        }
    }
    assets.active.chunks_summed();
    assets.active.outages_booked(still_books);
    assets.scratch = std::mem::replace(&mut assets.inoperability, next);
}

/// The next inoperability of the consecutive assets `range` into `next` (as long as
/// the range), from the state before the step. Every column is cut to the range once,
/// so that the per-asset reads need no bounds checks.
fn step_range(assets: &Assets, range: std::ops::Range<usize>, next: &mut [f64]) {
    let q = &assets.inoperability[..];
    let (Some(own), Some(damage), Some(resilience), Some(starts)) = (
        q.get(range.clone()),
        assets.damage.get(range.clone()),
        assets.resilience.get(range.clone()),
        assets.dep_start.get(range.start..range.end + 1),
    ) else {
        return;
    };
    let len = next.len().min(own.len());
    let (own, damage, resilience, starts) = (
        &own[..len],
        &damage[..len],
        &resilience[..len],
        &starts[..len + 1],
    );
    // The range's dependencies are consecutive in the compressed rows: walked once,
    // each asset taking its count of them, with no slice cut per asset.
    let (first, last) = (starts[0] as usize, starts[len] as usize);
    let (Some(on), Some(weights)) = (
        assets.dep_on.get(first..last),
        assets.dep_weight.get(first..last),
    ) else {
        return;
    };
    let mut dependencies = on.iter().zip(weights);
    for k in 0..len {
        let count = starts[k + 1].saturating_sub(starts[k]) as usize;
        let inherited = inherited(q, dependencies.by_ref().take(count));
        next[k] = next_inoperability(own[k], inherited, damage[k], resilience[k]);
    }
}

/// The step over the assets `visit` (in index order): every next value computed from
/// the state before the step, then the changed ones written.
fn step_some(assets: &mut Assets, visit: &[u32]) {
    let mut changed = Vec::new();
    for &i in visit {
        let i = i as usize;
        let (Some(deps), Some(&q), Some(&damage), Some(&resilience)) = (
            assets.dep_start.get(i..i + 2),
            assets.inoperability.get(i),
            assets.damage.get(i),
            assets.resilience.get(i),
        ) else {
            continue;
        };
        let deps = deps[0] as usize..deps[1] as usize;
        let (Some(on), Some(weights)) =
            (assets.dep_on.get(deps.clone()), assets.dep_weight.get(deps))
        else {
            continue;
        };
        let inherited = inherited(&assets.inoperability, on.iter().zip(weights));
        let next = next_inoperability(q, inherited, damage, resilience);
        if next.to_bits() != q.to_bits() {
            changed.push((i as u32, next));
        }
    }
    for &(i, q) in &changed {
        assets.inoperability[i as usize] = q;
        assets.active.inoperability_changed(i as usize, q);
    }
}

/// Sum of a_ij q_j(t) over one asset's `dependencies` (`(on, weight)`, in their
/// order), `q` the inoperability before the step: the one sum both steps make. The
/// per-asset loop walks the columns as zipped slices (one bounds check per asset, not
/// per read): at a million assets this loop is most of a tick.
fn inherited<'d>(q: &[f64], dependencies: impl Iterator<Item = (&'d u32, &'d f64)>) -> f64 {
    dependencies.fold(0.0, |sum, (&on, &weight)| {
        sum + weight * q.get(on as usize).copied().unwrap_or(0.0)
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

    /// The cascade visits every asset once, then only those whose inputs changed: a
    /// damaged asset, then it and the assets depending on it, one hop further each step.
    #[test]
    fn only_assets_whose_inputs_changed_are_visited() {
        let mut world = world_at(1);
        let pending = |world: &World| world.resource::<Assets>().active.pending();
        assert_eq!(pending(&world), None, "the first step visits every asset");
        run(&mut world, cascade_outages);
        assert_eq!(
            pending(&world),
            Some(vec![]),
            "nothing is damaged: nothing moves"
        );
        world.resource_mut::<Assets>().set_damage(0, 1.0);
        assert_eq!(pending(&world), Some(vec![0]), "the damaged grid");
        run(&mut world, cascade_outages);
        assert_eq!(
            pending(&world),
            Some(vec![0, 1]),
            "the grid moved: it and its telecom"
        );
        run(&mut world, cascade_outages);
        assert_eq!(
            pending(&world),
            Some(vec![0, 1, 2, 5]),
            "the telecom moved: both banks lean on it"
        );
    }
}
