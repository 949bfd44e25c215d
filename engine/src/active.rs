//! Work proportional to change: which assets the per-asset passes (cascade, service,
//! loss) must visit this tick, with results bit for bit those of visiting every asset.
//!
//! - **Cascade.** An asset's next inoperability is a pure function of its own
//!   inoperability, its damage and its dependencies' inoperability (Lian & Haimes 2006,
//!   `systems::cascade_outages`). An asset whose last update left it unchanged and none
//!   of whose inputs changed since is at a fixed point: visiting it would write the very
//!   same bits. So the cascade visits only assets whose inoperability changed in the last
//!   step, the assets depending on them (a reverse dependency index), and assets whose
//!   damage changed ([`crate::world::Assets::set_damage`]). The first step visits all.
//! - **Service.** The sums of `1 - q` are kept per chunk of [`SERVICE_CHUNK`]
//!   consecutive assets (per economy and in total, each summed in index order) and the
//!   chunks' sums added in chunk order; only chunks where an inoperability changed are
//!   summed again. With at most one chunk (every bundled scenario) this is exactly the
//!   plain sum in index order.
//! - **Loss.** The outage loss skips assets with no inoperability, no damage and no
//!   direct share left (`economics::Ledger::book_outages`), so visiting only the others,
//!   in index order, books the same sums.
//!
//! - **Sector means.** The mean service of a sector (of one economy or of all) that an
//!   inject condition, a decision's trigger or an objective asks about is kept per
//!   sector, summed again over that sector's assets (in index order: the same additions
//!   as a pass over every asset that skips the others) only when one of them changed,
//!   instead of a pass over every asset each time a condition is evaluated.
//!
//! [`ActiveSet::visit_all`] turns all of this off (every asset visited, every chunk
//! summed): the determinism tests compare the two at every tick.

/// Assets per chunk of the service sums.
pub const SERVICE_CHUNK: usize = 1024;

/// Which assets the per-asset passes visit; derived from the state, never hashed.
#[derive(Debug, Clone, Default)]
pub struct ActiveSet {
    /// Reverse dependency index: the assets depending on asset `j` are
    /// `dependents[dependent_start[j]..dependent_start[j + 1]]`.
    dependent_start: Vec<u32>,
    dependents: Vec<u32>,
    /// Assets the next cascade step visits (each once, see `queued`), unless `all`.
    pending: Vec<u32>,
    queued: Vec<bool>,
    /// The next cascade step visits every asset.
    all: bool,
    /// Assets the loss pass visits, in index order (see `lossy_mark`).
    lossy: Vec<u32>,
    lossy_mark: Vec<bool>,
    /// Assets that may have become lossy since the last loss pass.
    lossy_new: Vec<u32>,
    /// Per chunk of [`SERVICE_CHUNK`] assets: its sums, and whether they are stale.
    chunks: Vec<ChunkSums>,
    stale: Vec<bool>,
    /// Number of assets per economy.
    per_economy: Vec<usize>,
    /// Every pass visits every asset (the reference the active set is checked against).
    visit_all: bool,
    /// Per sector index: its kept service sums if something asks about it.
    sectors: Vec<Option<SectorSums>>,
    /// Each asset's sector, when any sector is watched (empty otherwise).
    sector_of: Vec<u32>,
    /// The cascade's pass over every asset booked this tick's outages already (the loss
    /// pass books none, see [`Self::take_booked`]).
    booked: bool,
}

/// The service sums of one watched sector: `1 - q` over its assets in index order, in
/// total and per economy, with how many assets each sum has.
#[derive(Debug, Clone, Default)]
struct SectorSums {
    members: Vec<u32>,
    total: f64,
    economies: Vec<(f64, usize)>,
    /// An asset of the sector changed since the sums were taken.
    stale: bool,
}

impl SectorSums {
    /// The sums over `members` from the inoperability `q` and each asset's economy.
    fn summed(&self, q: &[f64], economy: &[u32]) -> (f64, Vec<(f64, usize)>) {
        let mut total = 0.0;
        let mut economies = vec![(0.0, 0usize); self.economies.len()];
        for &i in &self.members {
            let i = i as usize;
            let s = 1.0 - q[i];
            total += s;
            if let Some((sum, count)) = economy.get(i).and_then(|&e| economies.get_mut(e as usize))
            {
                *sum += s;
                *count += 1;
            }
        }
        (total, economies)
    }

    /// The mean over the sector's assets of `economy` (any if `None`); 1 with none.
    fn mean(total: f64, economies: &[(f64, usize)], members: usize, economy: Option<u32>) -> f64 {
        let (sum, count) = match economy {
            None => (total, members),
            Some(e) => economies.get(e as usize).copied().unwrap_or((0.0, 0)),
        };
        if count == 0 { 1.0 } else { sum / count as f64 }
    }
}

/// The service sums of one chunk: `1 - q` over its assets, and per economy present.
#[derive(Debug, Clone, Default)]
struct ChunkSums {
    total: f64,
    economies: Vec<(u32, f64)>,
}

/// The assets one cascade step visits.
pub enum Visit {
    /// Every asset, in index order.
    All,
    /// These assets, in index order.
    Some(Vec<u32>),
}

impl ActiveSet {
    /// The set for a world of `economy.len()` assets with the dependencies in
    /// compressed sparse rows (`dep_start`, `dep_on`): every asset pending, every chunk
    /// stale, nothing lossy (nothing is damaged yet).
    pub fn new(dep_start: &[u32], dep_on: &[u32], economy: &[u32], economies: usize) -> Self {
        let n = economy.len();
        let mut dependent_start = vec![0u32; n + 1];
        for &on in dep_on {
            if let Some(count) = dependent_start.get_mut(on as usize + 1) {
                *count += 1;
            }
        }
        for j in 0..n {
            dependent_start[j + 1] += dependent_start[j];
        }
        let mut fill = dependent_start.clone();
        let mut dependents = vec![0u32; dependent_start[n] as usize];
        for (i, deps) in dep_start.windows(2).enumerate() {
            for &on in dep_on
                .get(deps[0] as usize..deps[1] as usize)
                .unwrap_or(&[])
            {
                if let Some(at) = fill.get_mut(on as usize) {
                    dependents[*at as usize] = i as u32;
                    *at += 1;
                }
            }
        }
        let mut per_economy = vec![0usize; economies];
        for &e in economy {
            if let Some(count) = per_economy.get_mut(e as usize) {
                *count += 1;
            }
        }
        let chunks = n.div_ceil(SERVICE_CHUNK);
        Self {
            dependent_start,
            dependents,
            pending: Vec::new(),
            queued: vec![false; n],
            all: true,
            lossy: Vec::new(),
            lossy_mark: vec![false; n],
            lossy_new: Vec::new(),
            chunks: vec![ChunkSums::default(); chunks],
            stale: vec![true; chunks],
            per_economy,
            visit_all: false,
            sectors: Vec::new(),
            sector_of: Vec::new(),
            booked: false,
        }
    }

    /// Keeps the mean service of the sectors in `watched` (indices into the scenario's
    /// sectors), given each asset's sector and economy.
    pub fn watch_sectors(&mut self, watched: &[u32], sector: &[u32], economies: usize) {
        if watched.is_empty() {
            return;
        }
        let count = sector.iter().copied().max().map_or(0, |s| s as usize + 1);
        self.sectors = vec![None; count];
        for &s in watched {
            if let Some(slot) = self.sectors.get_mut(s as usize) {
                *slot = Some(SectorSums {
                    economies: vec![(0.0, 0); economies],
                    stale: true,
                    ..SectorSums::default()
                });
            }
        }
        for (i, &s) in sector.iter().enumerate() {
            if let Some(Some(sums)) = self.sectors.get_mut(s as usize) {
                sums.members.push(i as u32);
            }
        }
        self.sector_of = sector.to_vec();
    }

    /// Sums again the watched sectors where an asset changed (after the cascade).
    pub fn refresh_sectors(&mut self, q: &[f64], economy: &[u32]) {
        for sums in self.sectors.iter_mut().flatten() {
            if sums.stale {
                (sums.total, sums.economies) = sums.summed(q, economy);
                sums.stale = false;
            }
        }
    }

    /// Mean service of `sector`'s assets of `economy` (any if `None`) from the kept
    /// sums (summed now if an asset changed since); `None` if the sector is not watched
    /// or every pass visits every asset (then the caller's full pass is the reference).
    pub fn sector_mean(
        &self,
        economy: Option<u32>,
        sector: u32,
        q: &[f64],
        economies: &[u32],
    ) -> Option<f64> {
        if self.visit_all {
            return None;
        }
        let sums = self.sectors.get(sector as usize)?.as_ref()?;
        let members = sums.members.len();
        Some(if sums.stale {
            let (total, per_economy) = sums.summed(q, economies);
            SectorSums::mean(total, &per_economy, members, economy)
        } else {
            SectorSums::mean(sums.total, &sums.economies, members, economy)
        })
    }

    /// Makes every pass visit every asset from now on (`true`), or only what changed.
    pub fn set_visit_all(&mut self, visit_all: bool) {
        self.visit_all = visit_all;
        self.all = true;
        self.stale.fill(true);
        for sums in self.sectors.iter_mut().flatten() {
            sums.stale = true;
        }
        // What changed while every asset was visited was not tracked: every asset may
        // book a loss until the next loss pass has looked.
        self.lossy_new.clear();
        self.lossy = (0..self.lossy_mark.len() as u32).collect();
        self.lossy_mark.fill(true);
    }

    /// Whether every pass visits every asset.
    pub fn visits_all(&self) -> bool {
        self.visit_all
    }

    /// Asset `i`'s damage changed: the cascade visits it next, and the loss pass too.
    pub fn damage_changed(&mut self, i: usize) {
        self.queue(i);
        self.may_be_lossy(i);
    }

    /// Asset `i`'s inoperability changed to `q`: it and its dependents are visited by
    /// the next cascade step, its chunk's service summed again, its loss booked.
    pub fn inoperability_changed(&mut self, i: usize, q: f64) {
        self.queue(i);
        let (from, to) = match (self.dependent_start.get(i), self.dependent_start.get(i + 1)) {
            (Some(&from), Some(&to)) => (from as usize, to as usize),
            _ => (0, 0),
        };
        for k in from..to {
            let d = self.dependents[k] as usize;
            self.queue(d);
        }
        if let Some(stale) = self.stale.get_mut(i / SERVICE_CHUNK) {
            *stale = true;
        }
        if let Some(&s) = self.sector_of.get(i)
            && let Some(Some(sums)) = self.sectors.get_mut(s as usize)
        {
            sums.stale = true;
        }
        if q > 0.0 || q.is_nan() {
            self.may_be_lossy(i);
        }
    }

    fn queue(&mut self, i: usize) {
        if self.all {
            return;
        }
        if let Some(queued) = self.queued.get_mut(i)
            && !*queued
        {
            *queued = true;
            self.pending.push(i as u32);
        }
    }

    fn may_be_lossy(&mut self, i: usize) {
        if let Some(mark) = self.lossy_mark.get_mut(i)
            && !*mark
        {
            *mark = true;
            self.lossy_new.push(i as u32);
        }
    }

    /// The assets this cascade step visits; what it changes is reported back through
    /// [`Self::inoperability_changed`] and makes the next step's set. When a quarter of
    /// the assets or more are pending, every asset is visited instead: the assets that
    /// are not pending are at a fixed point and would write the same bits, and the pass
    /// over every asset (which sums the service and books the outages as it goes,
    /// `systems::cascade_outages`) costs less per asset than visiting a list.
    pub fn take_cascade(&mut self) -> Visit {
        if self.all || self.visit_all || self.pending.len() >= self.queued.len().div_ceil(4) {
            for i in self.pending.drain(..) {
                self.queued[i as usize] = false;
            }
            // Visiting all, the changes it reports are the next step's set.
            self.all = self.visit_all;
            return Visit::All;
        }
        let mut visit = std::mem::take(&mut self.pending);
        for &i in &visit {
            self.queued[i as usize] = false;
        }
        visit.sort_unstable();
        Visit::Some(visit)
    }

    /// The assets the next cascade step visits, in index order (`None`: every asset).
    #[cfg(test)]
    pub(crate) fn pending(&self) -> Option<Vec<u32>> {
        if self.all || self.visit_all {
            return None;
        }
        let mut pending = self.pending.clone();
        pending.sort_unstable();
        Some(pending)
    }

    /// Gives back the buffer of a [`Visit::Some`], to be reused.
    pub fn recycle(&mut self, mut buffer: Vec<u32>) {
        if self.pending.is_empty() {
            buffer.clear();
            self.pending = buffer;
        }
    }

    /// The assets the loss pass visits, in index order; `None`: every asset.
    pub fn take_lossy(&mut self) -> Option<Vec<u32>> {
        if self.visit_all {
            return None;
        }
        if !self.lossy_new.is_empty() {
            self.lossy.append(&mut self.lossy_new);
            self.lossy.sort_unstable();
        }
        Some(std::mem::take(&mut self.lossy))
    }

    /// Gives back the loss pass's list, keeping the assets `keep` says still count.
    pub fn keep_lossy(&mut self, mut visited: Vec<u32>, keep: impl Fn(usize) -> bool) {
        if self.visit_all {
            return;
        }
        visited.retain(|&i| {
            let kept = keep(i as usize);
            if !kept {
                self.lossy_mark[i as usize] = false;
            }
            kept
        });
        self.lossy = visited;
    }

    /// Mean service per economy (1 for one without assets) and over the region, from
    /// the inoperability `q` and each asset's economy: stale chunks are summed again.
    pub fn mean_services(&mut self, q: &[f64], economy: &[u32]) -> (Vec<f64>, f64) {
        for (c, chunk) in self.chunks.iter_mut().enumerate() {
            if self.stale[c] {
                let from = c * SERVICE_CHUNK;
                let to = (from + SERVICE_CHUNK).min(q.len());
                chunk_sums_into(chunk, &q[from..to], &economy[from..to]);
                self.stale[c] = false;
            }
        }
        combine(&self.chunks, &self.per_economy, q.len())
    }

    /// Sums chunk `c` of the service again from `q` and `economy` (that chunk's assets
    /// only): the cascade's pass over every asset does it as it goes, while the chunk is
    /// in cache. The chunk is fresh once [`Self::chunks_summed`] says so.
    pub fn sum_chunk(&mut self, c: usize, q: &[f64], economy: &[u32]) {
        if let Some(chunk) = self.chunks.get_mut(c) {
            chunk_sums_into(chunk, q, economy);
        }
    }

    /// Every chunk was summed again by [`Self::sum_chunk`] from the inoperability the
    /// cascade just wrote (after it reported its changes): none is stale.
    pub fn chunks_summed(&mut self) {
        self.stale.fill(false);
    }

    /// The cascade's pass over every asset booked this tick's outages; `still_books`
    /// lists, in index order, the assets that book something next tick (unless every
    /// pass visits every asset, when the list is not kept).
    pub fn outages_booked(&mut self, still_books: Vec<u32>) {
        self.booked = true;
        if self.visit_all {
            return;
        }
        self.lossy_mark.fill(false);
        for &i in &still_books {
            if let Some(mark) = self.lossy_mark.get_mut(i as usize) {
                *mark = true;
            }
        }
        self.lossy_new.clear();
        self.lossy = still_books;
    }

    /// Whether this tick's outages are booked already (by the cascade's pass over every
    /// asset); the loss pass asks once per tick, and the answer is reset.
    pub fn take_booked(&mut self) -> bool {
        std::mem::take(&mut self.booked)
    }
}

/// The sums of `1 - q` of one chunk, in index order, in total and per economy.
fn chunk_sums(q: &[f64], economy: &[u32]) -> ChunkSums {
    let mut sums = ChunkSums::default();
    chunk_sums_into(&mut sums, q, economy);
    sums
}

/// [`chunk_sums`] into `sums` (its list reused). Each economy's sum is the sequential
/// sum of its assets' `1 - q` in index order; the sum of the economy of the last asset
/// is kept in a register and written back when the economy changes (assets of one
/// economy mostly come in runs), which is the same additions in the same order.
fn chunk_sums_into(sums: &mut ChunkSums, q: &[f64], economy: &[u32]) {
    sums.economies.clear();
    let mut total = 0.0;
    // The running economy, its entry in the list and its sum so far.
    let (mut run_economy, mut slot, mut run) = (0u32, usize::MAX, 0.0);
    for (&q, &e) in q.iter().zip(economy) {
        let s = 1.0 - q;
        total += s;
        if slot != usize::MAX && e == run_economy {
            run += s;
            continue;
        }
        if let Some(entry) = sums.economies.get_mut(slot) {
            entry.1 = run;
        }
        match sums.economies.iter().position(|(seen, _)| *seen == e) {
            Some(at) => {
                slot = at;
                run = sums.economies[at].1 + s;
            }
            None => {
                slot = sums.economies.len();
                sums.economies.push((e, s));
                run = s;
            }
        }
        run_economy = e;
    }
    if let Some(entry) = sums.economies.get_mut(slot) {
        entry.1 = run;
    }
    sums.total = total;
}

/// The chunks' sums added in chunk order, as means.
fn combine(chunks: &[ChunkSums], per_economy: &[usize], assets: usize) -> (Vec<f64>, f64) {
    let mut sums = vec![0.0; per_economy.len()];
    let mut total = 0.0;
    for chunk in chunks {
        total += chunk.total;
        for &(e, s) in &chunk.economies {
            if let Some(sum) = sums.get_mut(e as usize) {
                *sum += s;
            }
        }
    }
    let means = sums
        .iter()
        .zip(per_economy)
        .map(|(sum, &count)| if count == 0 { 1.0 } else { sum / count as f64 })
        .collect();
    let region = if assets == 0 {
        1.0
    } else {
        total / assets as f64
    };
    (means, region)
}

/// Mean service per economy and over the region of `economies` economies, summed from
/// scratch in the same chunks as [`ActiveSet::mean_services`].
pub fn mean_services(q: &[f64], economy: &[u32], economies: usize) -> (Vec<f64>, f64) {
    let mut per_economy = vec![0usize; economies];
    for &e in economy {
        if let Some(count) = per_economy.get_mut(e as usize) {
            *count += 1;
        }
    }
    let chunks: Vec<ChunkSums> = q
        .chunks(SERVICE_CHUNK)
        .zip(economy.chunks(SERVICE_CHUNK))
        .map(|(q, economy)| chunk_sums(q, economy))
        .collect();
    combine(&chunks, &per_economy, q.len())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::SimRng;

    /// The mean service of a sector (of one economy or of all) as a pass over every
    /// asset takes it: the reference for the kept sums.
    fn full_pass(q: &[f64], economy: &[u32], sector: &[u32], e: Option<u32>, s: u32) -> f64 {
        let mut sum = 0.0;
        let mut count = 0usize;
        for i in 0..q.len() {
            if e.is_none_or(|e| economy[i] == e) && sector[i] == s {
                sum += 1.0 - q[i];
                count += 1;
            }
        }
        if count == 0 { 1.0 } else { sum / count as f64 }
    }

    /// Each economy's sum in a chunk is the plain sum of its assets' `1 - q` in index
    /// order, bit for bit, however the economies interleave (runs, alternation, one
    /// asset each), and the total is the plain sum over the chunk.
    #[test]
    fn chunk_sums_are_the_plain_sums_in_index_order_bit_for_bit() {
        let mut rng = SimRng::new(3);
        for layout in 0..4u32 {
            let n = 700;
            let economy: Vec<u32> = (0..n)
                .map(|i| match layout {
                    0 => (i / 100) as u32,
                    1 => (i % 3) as u32,
                    2 => ((i / 7) % 4) as u32,
                    _ => (rng.unit() * 5.0) as u32,
                })
                .collect();
            let q: Vec<f64> = (0..n).map(|_| rng.unit()).collect();
            let sums = chunk_sums(&q, &economy);
            let mut total = 0.0;
            let mut plain: Vec<(u32, f64)> = Vec::new();
            for (&q, &e) in q.iter().zip(&economy) {
                total += 1.0 - q;
                match plain.iter_mut().find(|(seen, _)| *seen == e) {
                    Some(entry) => entry.1 += 1.0 - q,
                    None => plain.push((e, 1.0 - q)),
                }
            }
            assert_eq!(sums.total.to_bits(), total.to_bits(), "layout {layout}");
            let bits =
                |v: &[(u32, f64)]| v.iter().map(|(e, s)| (*e, s.to_bits())).collect::<Vec<_>>();
            assert_eq!(bits(&sums.economies), bits(&plain), "layout {layout}");
        }
    }

    /// The kept means of watched sectors are bit for bit those of a pass over every
    /// asset, whether summed again after a change or read while stale; a sector nobody
    /// asks about is not kept.
    #[test]
    fn kept_sector_means_are_the_full_pass_bit_for_bit() {
        let n = 3_000;
        let economy: Vec<u32> = (0..n).map(|i| (i * 7 % 3) as u32).collect();
        let sector: Vec<u32> = (0..n).map(|i| (i % 5) as u32).collect();
        let dep_start = vec![0u32; n + 1];
        let mut set = ActiveSet::new(&dep_start, &[], &economy, 3);
        set.watch_sectors(&[1, 3], &sector, 3);
        let mut q = vec![0.0; n];
        let mut rng = SimRng::new(1);
        for step in 0..20 {
            for _ in 0..50 {
                let i = ((rng.unit() * n as f64) as usize).min(n - 1);
                q[i] = rng.unit();
                set.inoperability_changed(i, q[i]);
            }
            if step % 2 == 0 {
                set.refresh_sectors(&q, &economy);
            }
            for s in [1, 3] {
                for e in [None, Some(0), Some(1), Some(2), Some(9)] {
                    let kept = set.sector_mean(e, s, &q, &economy).map(f64::to_bits);
                    let full = full_pass(&q, &economy, &sector, e, s).to_bits();
                    assert_eq!(kept, Some(full), "step {step}, economy {e:?}, sector {s}");
                }
            }
            assert_eq!(set.sector_mean(None, 2, &q, &economy), None, "not watched");
        }
        set.set_visit_all(true);
        assert_eq!(
            set.sector_mean(None, 1, &q, &economy),
            None,
            "the reference"
        );
    }
}
