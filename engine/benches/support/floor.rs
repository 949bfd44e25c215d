//! The plain-Rust floor of the `ticks` bench, shared with the `floor` example (which
//! counts its instructions with callgrind beside the engine's).

use cyberdrill_engine::economics::Ledger;
use cyberdrill_engine::scenario::Scenario;

/// The floor: the engine's per-asset arithmetic (synchronous inoperability cascade,
/// mean service per economy and over the region, and the ledger's outage books: each
/// asset's direct share of its outage, its loss split over the economies it serves,
/// direct and through dependencies, per asset and per economy and sector) in the best
/// plain layout, every asset visited every tick: struct of arrays, the dependencies and
/// the served economies each in one contiguous index (compressed sparse rows), and
/// service and loss summed in the same pass as the cascade, the service of a run of
/// same-economy assets in registers.
pub struct Floor {
    q: Vec<f64>,
    next: Vec<f64>,
    damage: Vec<f64>,
    resilience: Vec<f64>,
    economy: Vec<u32>,
    sector: Vec<u32>,
    dep_start: Vec<u32>,
    dep_on: Vec<u32>,
    dep_weight: Vec<f64>,
    service: Vec<f64>,
    assets_per_economy: Vec<f64>,
    /// The ledger's arrays: direct share per asset, the served economies' index,
    /// loss per asset, direct and dependency loss per economy, loss per economy and
    /// sector.
    direct: Vec<f64>,
    serve_start: Vec<u32>,
    serve_economy: Vec<u32>,
    serve_per_tick: Vec<f64>,
    asset_loss: Vec<f64>,
    loss_direct: Vec<f64>,
    loss_dependencies: Vec<f64>,
    sector_loss: Vec<f64>,
    sectors: usize,
}

impl Floor {
    pub fn from(scenario: &Scenario) -> Self {
        let n = scenario.assets.len();
        let economies = scenario.economies.len();
        let mut dep_start = Vec::with_capacity(n + 1);
        let mut dep_on = Vec::new();
        let mut dep_weight = Vec::new();
        dep_start.push(0u32);
        let mut assets_per_economy = vec![0.0; economies];
        for a in &scenario.assets {
            for d in a.depends_on() {
                dep_on.push(d.on.index() as u32);
                dep_weight.push(d.weight);
            }
            dep_start.push(dep_on.len() as u32);
            assets_per_economy[a.economy.index()] += 1.0;
        }
        // The engine's own table of what each asset carries of each economy's output.
        let shares = Ledger::new(scenario).shares;
        let sectors = scenario.sectors.len();
        Self {
            q: vec![0.0; n],
            next: vec![0.0; n],
            // Some assets damaged, as in a running exercise.
            damage: (0..n)
                .map(|i| if i % 97 == 0 { 0.6 } else { 0.0 })
                .collect(),
            resilience: scenario.assets.iter().map(|a| a.resilience).collect(),
            economy: scenario
                .assets
                .iter()
                .map(|a| a.economy.index() as u32)
                .collect(),
            sector: scenario
                .assets
                .iter()
                .map(|a| a.sector.index() as u32)
                .collect(),
            dep_start,
            dep_on,
            dep_weight,
            service: vec![0.0; economies],
            assets_per_economy,
            direct: vec![0.0; n],
            serve_start: shares.start,
            serve_economy: shares.economy,
            serve_per_tick: shares.per_tick,
            asset_loss: vec![0.0; n],
            loss_direct: vec![0.0; economies],
            loss_dependencies: vec![0.0; economies],
            sector_loss: vec![0.0; economies * sectors],
            sectors,
        }
    }

    /// One tick: q(t+1) for every asset from q(t), with each economy's service and the
    /// outage books as it goes; returns the sum of the mean services and the region's.
    /// Slices cut to one length first, so that the compiler drops the bounds checks.
    pub fn tick(&mut self) -> f64 {
        self.service.fill(0.0);
        let n = self.q.len();
        let q = &self.q[..n];
        let next = &mut self.next[..n];
        let damage = &self.damage[..n];
        let res = &self.resilience[..n];
        let econ = &self.economy[..n];
        let sector = &self.sector[..n];
        let direct = &mut self.direct[..n];
        let asset_loss = &mut self.asset_loss[..n];
        let starts = &self.dep_start[..n + 1];
        let serve_starts = &self.serve_start[..n + 1];
        let (dep_on, dep_weight) = (&self.dep_on[..], &self.dep_weight[..]);
        let (serve_economy, serve_per_tick) = (&self.serve_economy[..], &self.serve_per_tick[..]);
        let sectors = self.sectors;
        let mut total = 0.0;
        let mut run = (u32::MAX, 0.0); // (economy, service) of the current run
        for i in 0..n {
            let (start, end) = (starts[i] as usize, starts[i + 1] as usize);
            let mut inherited = 0.0;
            for (&on, &w) in dep_on[start..end].iter().zip(&dep_weight[start..end]) {
                inherited += w * q[on as usize];
            }
            let qi = q[i];
            let target = (inherited + damage[i]).min(1.0);
            let nq = (qi + res[i] * (target - qi)).clamp(0.0, 1.0);
            next[i] = nq;
            let economy = econ[i];
            if economy != run.0 {
                if run.0 != u32::MAX {
                    self.service[run.0 as usize] += run.1;
                }
                run = (economy, 0.0);
            }
            run.1 += 1.0 - nq;
            total += 1.0 - nq;
            // The ledger: the direct share follows the asset's own damage, and an
            // asset out of service costs every economy it serves its share.
            let c = damage[i].clamp(0.0, 1.0);
            let qd = direct[i];
            if nq <= 0.0 && qd <= 0.0 && c <= 0.0 {
                continue;
            }
            let qd = (qd + res[i] * (c - qd)).clamp(0.0, nq);
            direct[i] = qd;
            if nq <= 0.0 {
                continue;
            }
            let s = sector[i] as usize;
            let (from, to) = (serve_starts[i] as usize, serve_starts[i + 1] as usize);
            for (&e, &at_full) in serve_economy[from..to]
                .iter()
                .zip(&serve_per_tick[from..to])
            {
                let e = e as usize;
                self.loss_direct[e] += qd * at_full;
                self.loss_dependencies[e] += (nq - qd) * at_full;
                asset_loss[i] += nq * at_full;
                self.sector_loss[e * sectors + s] += nq * at_full;
            }
        }
        if run.0 != u32::MAX {
            self.service[run.0 as usize] += run.1;
        }
        std::mem::swap(&mut self.q, &mut self.next);
        let means: f64 = self
            .service
            .iter()
            .zip(&self.assets_per_economy)
            .map(|(s, &n)| if n == 0.0 { 1.0 } else { s / n })
            .sum();
        means + total / self.q.len().max(1) as f64
    }
}
