//! What the exercise's money is: each economy's output, the share of it each asset
//! carries, and the losses that are not lost output (fraud, ransom, recovery), with
//! their published sources. Pure functions over the checked scenario: the loss system
//! (`systems::accrue_loss`) applies them tick by tick.
//!
//! Loss is lost output, after the demand-reduction inoperability input-output model
//! (Santos & Haimes 2004): a sector whose inoperability is `q` loses `q` of its planned
//! output, and the sectors' outputs add up to at most the economy's, so outages alone can
//! never cost an economy more than it produces. Fraud and ransom are money taken from
//! victims, counted per victim and per incident. The formulas and sources are in
//! `docs/model.md` ("Economic loss").

use bevy_ecs::prelude::Resource;
use serde::{Deserialize, Serialize};

use crate::command::IncidentId;
use crate::scenario::model::{AssetIdx, Campaign, CampaignKind, Economy, EconomyIdx, Scenario};

/// Minutes in a year, for output per tick.
pub const MINUTES_PER_YEAR: f64 = 365.0 * 24.0 * 60.0;

/// US GDP per head in 2023 (GDP USD 27.4 trillion, BEA; 335 million people): the
/// yardstick for scaling US-based cost figures to each economy's income.
pub const US_GDP_PER_HEAD: f64 = 81_000.0;

/// Mean loss per complaint to the FBI's Internet Crime Complaint Center in 2023 (880,418
/// complaints, USD 12.5 billion: FBI IC3, *2023 Internet Crime Report*), as a share of US
/// GDP per head: a victim loses about two months of income.
pub const VICTIM_LOSS_SHARE_OF_INCOME: f64 = 14_200.0 / US_GDP_PER_HEAD;

/// Mean cost of recovering from a ransomware attack, excluding any ransom (Sophos, *The
/// State of Ransomware 2024*: 5,000 organisations in 14 countries).
pub const RANSOMWARE_RECOVERY_COST: f64 = 2_730_000.0;

/// Average ransom paid by those who paid (Sophos, *The State of Ransomware 2024*).
pub const RANSOM_PAYMENT: f64 = 2_000_000.0;

/// Share of organisations whose data was encrypted that paid (Sophos 2024: 56%).
pub const RANSOM_PAY_SHARE: f64 = 0.56;

/// Why money was lost: the five lines of an economy's loss.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Cause {
    /// Output lost to an asset's own damage.
    Direct,
    /// Output lost to inoperability that came through dependencies.
    Dependencies,
    /// Money taken from victims of attacks on people.
    Fraud,
    /// Ransoms paid.
    Ransom,
    /// Recovering compromised systems (besides any ransom).
    Recovery,
}

impl Cause {
    /// Every cause, in the order of the breakdown.
    pub const ALL: [Cause; 5] = [
        Cause::Direct,
        Cause::Dependencies,
        Cause::Fraud,
        Cause::Ransom,
        Cause::Recovery,
    ];

    /// The cause in words, for tables and charts.
    pub fn label(self) -> &'static str {
        match self {
            Cause::Direct => "direct outage",
            Cause::Dependencies => "outage through dependencies",
            Cause::Fraud => "fraud",
            Cause::Ransom => "ransom",
            Cause::Recovery => "recovery",
        }
    }
}

/// An economy's loss by cause, US dollars; the parts add up to its loss.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct LossBreakdown {
    pub direct: f64,
    pub dependencies: f64,
    pub fraud: f64,
    pub ransom: f64,
    pub recovery: f64,
}

impl LossBreakdown {
    /// Adds `amount` under `cause`.
    pub fn add(&mut self, cause: Cause, amount: f64) {
        *self.part_mut(cause) += amount;
    }

    /// The amount lost to `cause`.
    pub fn part(&self, cause: Cause) -> f64 {
        match cause {
            Cause::Direct => self.direct,
            Cause::Dependencies => self.dependencies,
            Cause::Fraud => self.fraud,
            Cause::Ransom => self.ransom,
            Cause::Recovery => self.recovery,
        }
    }

    fn part_mut(&mut self, cause: Cause) -> &mut f64 {
        match cause {
            Cause::Direct => &mut self.direct,
            Cause::Dependencies => &mut self.dependencies,
            Cause::Fraud => &mut self.fraud,
            Cause::Ransom => &mut self.ransom,
            Cause::Recovery => &mut self.recovery,
        }
    }

    /// The whole loss, summed in the order of [`Cause::ALL`].
    pub fn total(&self) -> f64 {
        Cause::ALL.iter().map(|c| self.part(*c)).sum()
    }

    /// Outage loss (direct and through dependencies).
    pub fn outage(&self) -> f64 {
        self.direct + self.dependencies
    }
}

/// Hours in a tick of `tick_minutes`.
pub fn tick_hours(tick_minutes: u32) -> f64 {
    f64::from(tick_minutes.max(1)) / 60.0
}

/// An economy's output (GDP) in one tick, US dollars.
pub fn output_per_tick(economy: &Economy, tick_minutes: u32) -> f64 {
    economy.output_per_year() * f64::from(tick_minutes.max(1)) / MINUTES_PER_YEAR
}

/// Output (GDP) over the whole exercise, US dollars, of `economy` or, with `None`, of the
/// whole region: what a loss is a share of (`EconomyView::output`, `run --json`'s
/// `economies[].output`), for texts that put a sum from the scenario in context (an
/// objective's limit, a ransom demand) before any view exists.
pub fn exercise_output(scenario: &Scenario, economy: Option<EconomyIdx>) -> f64 {
    let ticks = f64::from(scenario.meta.duration_ticks);
    let of = |e: &Economy| output_per_tick(e, scenario.meta.tick_minutes) * ticks;
    match economy {
        Some(e) => scenario.economies.get(e.index()).map_or(0.0, of),
        None => scenario.economies.iter().map(of).sum(),
    }
}

/// For every asset, the output it carries in each economy it serves: US dollars per tick
/// lost when the asset is completely down, `share x sector share x output per tick`
/// (compressed sparse rows, as the dependency graph, for a linear pass every tick).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct OutputShares {
    /// The entries of asset `i` are `start[i]..start[i + 1]`.
    pub start: Vec<u32>,
    /// Economy served, per entry.
    pub economy: Vec<u32>,
    /// US dollars of that economy's output per tick the asset carries, per entry.
    pub per_tick: Vec<f64>,
}

impl OutputShares {
    /// The table of a checked scenario (its assets' `serves` and its economies'
    /// `sector_shares`).
    pub fn new(scenario: &Scenario) -> Self {
        let tick_minutes = scenario.meta.tick_minutes;
        let mut table = OutputShares {
            start: Vec::with_capacity(scenario.assets.len() + 1),
            economy: Vec::new(),
            per_tick: Vec::new(),
        };
        table.start.push(0);
        for asset in &scenario.assets {
            for serve in asset.serves() {
                let Some(economy) = scenario.economies.get(serve.economy.index()) else {
                    continue;
                };
                let sector_share = economy
                    .sector_shares
                    .get(asset.sector.index())
                    .copied()
                    .unwrap_or(0.0);
                table.economy.push(serve.economy.0);
                table
                    .per_tick
                    .push(serve.share * sector_share * output_per_tick(economy, tick_minutes));
            }
            table.start.push(table.economy.len() as u32);
        }
        table
    }

    /// The entries of asset `i`: (economy, US dollars per tick at full outage).
    pub fn of(&self, i: usize) -> impl Iterator<Item = (usize, f64)> + '_ {
        let from = self.start.get(i).copied().unwrap_or(0) as usize;
        let to = self.start.get(i + 1).copied().unwrap_or(0) as usize;
        self.economy
            .get(from..to.max(from))
            .unwrap_or(&[])
            .iter()
            .zip(self.per_tick.get(from..to.max(from)).unwrap_or(&[]))
            .map(|(e, v)| (*e as usize, *v))
    }

    /// Output of all economies an asset carries per tick: what is at stake when it fails.
    pub fn at_stake(&self, i: usize) -> f64 {
        self.of(i).map(|(_, v)| v).sum()
    }
}

/// The exercise's books: what each economy produces and what it lost, by cause, by
/// sector and by asset. One resource, written only by the loss system, so every figure a
/// screen, report or `run --json` shows comes from the same sums.
#[derive(Resource, Debug, Clone, PartialEq)]
pub struct Ledger {
    /// What each asset carries of each economy's output (fixed for the run).
    pub shares: OutputShares,
    /// Per economy: output (GDP) per tick, US dollars.
    pub output_per_tick: Vec<f64>,
    /// Number of sectors: `sector_loss` has one row of this length per economy.
    pub sectors: usize,
    /// Per asset: the part of its inoperability that comes from its own damage (the
    /// rest came through its dependencies), at most its inoperability.
    pub direct: Vec<f64>,
    /// Per asset: outage loss it caused so far, in every economy it serves.
    pub asset_loss: Vec<f64>,
    /// Per economy: loss by cause.
    pub breakdown: Vec<LossBreakdown>,
    /// Per economy and sector (row-major, economy x sector): outage loss.
    pub sector_loss: Vec<f64>,
    /// Per economy: victims of attacks on people so far (an expected count, so
    /// fractional).
    pub victims: Vec<f64>,
    /// Ransomware that reached impact, in the order it did.
    pub ransoms: Vec<RansomCase>,
}

/// One ransomware impact: the demand, what was paid of it, and the recovery.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RansomCase {
    pub incident: IncidentId,
    pub economy: EconomyIdx,
    pub at: u32,
    /// The demand, US dollars.
    pub demand: f64,
    /// What was paid of the demand, US dollars: all of it, none, or the negotiated share
    /// (the economy's ransom policy, or the victim's own choice without one).
    pub paid: f64,
    /// Recovery cost booked besides any ransom, US dollars.
    pub recovery: f64,
}

impl Ledger {
    /// Empty books for a checked scenario.
    pub fn new(scenario: &Scenario) -> Self {
        let economies = scenario.economies.len();
        let assets = scenario.assets.len();
        let sectors = scenario.sectors.len();
        Ledger {
            shares: OutputShares::new(scenario),
            output_per_tick: scenario
                .economies
                .iter()
                .map(|e| output_per_tick(e, scenario.meta.tick_minutes))
                .collect(),
            sectors,
            direct: vec![0.0; assets],
            asset_loss: vec![0.0; assets],
            breakdown: vec![LossBreakdown::default(); economies],
            sector_loss: vec![0.0; economies * sectors],
            victims: vec![0.0; economies],
            ransoms: Vec::new(),
        }
    }

    /// Books one tick of outages. `inoperability`, `damage`, `resilience` and `sector`
    /// are per asset (index-aligned with the scenario's assets). The direct part of an
    /// asset's inoperability follows its own damage `c` with the asset's resilience
    /// `K`, as the whole does (`qd += K (c - qd)`), never above the whole; the loss of
    /// economy `e` through asset `i` is `q_i x L_ie`, `L_ie` the output per tick the
    /// asset carries there, split into direct `qd x L` and through dependencies
    /// `(q - qd) x L`.
    pub fn book_outages(
        &mut self,
        inoperability: &[f64],
        damage: &[f64],
        resilience: &[f64],
        sector: &[u32],
    ) {
        let assets = 0..self.direct.len();
        self.book_outage_range(assets, inoperability, damage, resilience, sector, |_| {});
    }

    /// [`Self::book_outages`] for the assets `visit` only, in the order given: the same
    /// sums as booking every asset when `visit` holds, in index order, every asset for
    /// which [`Self::books_outage`] holds (the others book nothing).
    pub fn book_outages_of(
        &mut self,
        visit: impl IntoIterator<Item = usize>,
        inoperability: &[f64],
        damage: &[f64],
        resilience: &[f64],
        sector: &[u32],
    ) {
        for i in visit {
            self.book_outage_range(i..i + 1, inoperability, damage, resilience, sector, |_| {});
        }
    }

    /// [`Self::book_outages`] for the consecutive assets `range`, in index order: the one
    /// place the books' arithmetic is written ([`Self::book_outages`] and
    /// [`Self::book_outages_of`] call it), and how the cascade's pass over every asset
    /// (`systems::cascade_outages`) books a chunk of assets while their inoperability is
    /// still in cache. Each slice is cut to the range once, so that the per-asset reads
    /// need no bounds checks. `still_books(i)` is called for every asset
    /// that [`Self::books_outage`] after its booking (the loss pass's list for the next
    /// tick). Slices shorter than the range book nothing (a bug upstream).
    pub fn book_outage_range(
        &mut self,
        range: std::ops::Range<usize>,
        inoperability: &[f64],
        damage: &[f64],
        resilience: &[f64],
        sector: &[u32],
        mut still_books: impl FnMut(usize),
    ) {
        let from = range.start;
        let (
            Some(q),
            Some(damage),
            Some(resilience),
            Some(sector),
            Some(direct),
            Some(asset_loss),
            Some(starts),
        ) = (
            inoperability.get(range.clone()),
            damage.get(range.clone()),
            resilience.get(range.clone()),
            sector.get(range.clone()),
            self.direct.get_mut(range.clone()),
            self.asset_loss.get_mut(range.clone()),
            self.shares.start.get(range.start..range.end + 1),
        )
        else {
            return;
        };
        let n = q.len();
        let (damage, resilience, sector) = (&damage[..n], &resilience[..n], &sector[..n]);
        let (direct, asset_loss, starts) =
            (&mut direct[..n], &mut asset_loss[..n], &starts[..n + 1]);
        let (economies, per_tick) = (&self.shares.economy[..], &self.shares.per_tick[..]);
        for k in 0..n {
            let q = q[k];
            let qd = direct[k];
            let c = damage[k].clamp(0.0, 1.0);
            if !books(q, qd, c) {
                continue;
            }
            let qd = (qd + resilience[k] * (c - qd)).clamp(0.0, q.max(0.0));
            direct[k] = qd;
            if books(q, qd, c) {
                still_books(from + k);
            }
            if q <= 0.0 {
                continue;
            }
            let s = sector[k] as usize;
            let (at, to) = (starts[k] as usize, starts[k + 1] as usize);
            let (Some(served), Some(at_full)) = (economies.get(at..to), per_tick.get(at..to))
            else {
                continue;
            };
            for (&e, &at_full) in served.iter().zip(at_full) {
                let e = e as usize;
                if let Some(part) = self.breakdown.get_mut(e) {
                    part.direct += qd * at_full;
                    part.dependencies += (q - qd) * at_full;
                }
                asset_loss[k] += q * at_full;
                if let Some(cell) = self.sector_loss.get_mut(e * self.sectors + s) {
                    *cell += q * at_full;
                }
            }
        }
    }

    /// Whether asset `i` books anything with inoperability `q` and damage `damage`: it
    /// is out of service, damaged, or still carries a direct share of its outage.
    pub fn books_outage(&self, i: usize, q: f64, damage: f64) -> bool {
        let qd = self.direct.get(i).copied().unwrap_or(0.0);
        books(q, qd, damage.clamp(0.0, 1.0))
    }

    /// Books `victims` of an attack on people in `economy`, each losing `per_victim`.
    pub fn book_fraud(&mut self, economy: EconomyIdx, victims: f64, per_victim: f64) {
        let e = economy.index();
        if let (Some(count), Some(part)) = (self.victims.get_mut(e), self.breakdown.get_mut(e)) {
            *count += victims;
            part.fraud += victims * per_victim;
        }
    }

    /// Books a ransomware impact: its recovery cost, and whatever was paid of the ransom.
    pub fn book_ransomware(&mut self, case: RansomCase) {
        if let Some(part) = self.breakdown.get_mut(case.economy.index()) {
            part.recovery += case.recovery;
            part.ransom += case.paid;
            self.ransoms.push(case);
        }
    }

    /// Economy `e`'s whole loss so far.
    pub fn loss(&self, e: usize) -> f64 {
        self.breakdown.get(e).map_or(0.0, LossBreakdown::total)
    }

    /// Economy `e`'s outage loss by sector, index-aligned with the scenario's sectors.
    pub fn sector_losses(&self, e: usize) -> &[f64] {
        let from = (e * self.sectors).min(self.sector_loss.len());
        let to = (from + self.sectors).min(self.sector_loss.len());
        &self.sector_loss[from..to]
    }

    /// For every economy, the `n` assets whose outages cost it most so far, largest
    /// first (ties in asset order), only those that cost it something. An asset serving
    /// several economies costs each the part of its loss that it carries there: every
    /// tick books `q x L_ie` in each, so its loss splits as its output per tick does and
    /// the books need no more than `asset_loss`. One pass over the shares table.
    pub fn top_assets(&self, n: usize) -> Vec<Vec<AssetLoss>> {
        let mut top: Vec<Vec<AssetLoss>> = vec![Vec::new(); self.breakdown.len()];
        if n == 0 {
            return top;
        }
        for (i, &loss) in self.asset_loss.iter().enumerate() {
            if loss <= 0.0 {
                continue;
            }
            let at_stake = self.shares.at_stake(i);
            if at_stake <= 0.0 {
                continue;
            }
            for (e, per_tick) in self.shares.of(i) {
                let Some(list) = top.get_mut(e) else {
                    continue;
                };
                let entry = AssetLoss {
                    asset: AssetIdx(i as u32),
                    loss: loss * per_tick / at_stake,
                };
                if entry.loss <= 0.0 {
                    continue;
                }
                // Kept sorted, largest first; an equal loss stays after the earlier asset.
                let at = list.partition_point(|kept| kept.loss >= entry.loss);
                if at < n {
                    list.insert(at, entry);
                    list.truncate(n);
                }
            }
        }
        top
    }
}

/// What an asset's outages cost one economy it serves, US dollars.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct AssetLoss {
    pub asset: AssetIdx,
    pub loss: f64,
}

/// Scale of a US cost figure in an economy: its GDP per head against the US's.
pub fn income_scale(economy: &Economy) -> f64 {
    economy.gdp_per_capita / US_GDP_PER_HEAD
}

/// Victims per hour made by an attack on people at impact on an asset serving
/// `people_served`: the campaign's rate per million people, fewer where the public is
/// aware (half as many with full awareness, as for the chance of initial access).
pub fn victims_per_hour(campaign: &Campaign, people_served: u64, awareness: f64) -> f64 {
    let aware = (awareness / 100.0).clamp(0.0, 1.0);
    people_served as f64 / 1_000_000.0 * campaign.victim_rate * (1.0 - 0.5 * aware)
}

/// Mean loss of one victim in `economy`: the campaign's, else the FBI IC3 2023 mean
/// scaled to the economy's income; harmful content takes no money.
pub fn victim_loss(campaign: &Campaign, economy: &Economy) -> f64 {
    campaign.victim_loss.unwrap_or(match campaign.kind {
        CampaignKind::HarmfulContent => 0.0,
        _ => VICTIM_LOSS_SHARE_OF_INCOME * economy.gdp_per_capita,
    })
}

/// Ransom demanded of one compromised asset in `economy`.
pub fn ransom(campaign: &Campaign, economy: &Economy) -> f64 {
    campaign
        .ransom
        .unwrap_or_else(|| RANSOM_PAYMENT * income_scale(economy))
}

/// Cost of recovering one compromised asset in `economy`, besides any ransom.
pub fn recovery_cost(campaign: &Campaign, economy: &Economy) -> f64 {
    campaign
        .recovery_cost
        .unwrap_or_else(|| RANSOMWARE_RECOVERY_COST * income_scale(economy))
}

/// Chance that the victim of ransomware pays: the survey's 56% at middling backups (50),
/// more with worse backups, none with perfect ones.
pub fn pay_chance(backups: u8) -> f64 {
    let backups = (f64::from(backups) / 100.0).clamp(0.0, 1.0);
    (2.0 * RANSOM_PAY_SHARE * (1.0 - backups)).clamp(0.0, 1.0)
}

/// Whether an asset with inoperability `q`, direct share `qd` and damage `c` (clamped
/// to 0-1) books anything: it is out of service, damaged, or still carries a direct
/// share of its outage.
fn books(q: f64, qd: f64, c: f64) -> bool {
    !(q <= 0.0 && qd <= 0.0 && c <= 0.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::model::{AssetIdx, EconomyIdx, Serve};
    use crate::testkit::two_economies;

    #[test]
    fn a_breakdown_adds_up_to_its_total() {
        let mut b = LossBreakdown::default();
        for (k, cause) in Cause::ALL.iter().enumerate() {
            b.add(*cause, (k + 1) as f64);
        }
        b.add(Cause::Fraud, 0.5);
        assert_eq!(b.total(), 15.5);
        assert_eq!(b.outage(), 3.0);
        assert_eq!(b.part(Cause::Fraud), 3.5);
    }

    #[test]
    fn an_asset_carries_its_share_of_its_sectors_output_in_each_economy_it_serves() {
        let mut scenario = two_economies();
        // The strong economy's bank (asset 2) also serves a tenth of the weak one's finance.
        scenario.assets[2].set_serves(vec![
            Serve {
                economy: EconomyIdx(0),
                share: 1.0,
            },
            Serve {
                economy: EconomyIdx(1),
                share: 0.1,
            },
        ]);
        let table = OutputShares::new(&scenario);
        let per_tick = |e: usize| output_per_tick(&scenario.economies[e], 60);
        // 5 million people x USD 20,000 a year, an hour of it.
        assert!((per_tick(0) - 1e11 / 8760.0).abs() < 1e-6);
        let bank: Vec<(usize, f64)> = table.of(2).collect();
        assert_eq!(bank.len(), 2);
        assert_eq!(bank[0].0, 0);
        assert!((bank[0].1 - 0.07 * per_tick(0)).abs() < 1e-6, "finance 7%");
        assert!((bank[1].1 - 0.1 * 0.07 * per_tick(1)).abs() < 1e-6);
        assert!((table.at_stake(2) - bank[0].1 - bank[1].1).abs() < 1e-9);
        let grid: Vec<(usize, f64)> = table.of(AssetIdx(3).index()).collect();
        assert_eq!(grid, [(1, 0.025 * per_tick(1))], "energy 2.5% at home");
        assert_eq!(table.of(99).count(), 0);
    }

    /// The output a loss is compared with: an economy's output per tick over every tick
    /// of the exercise; the region's is the sum of its economies'.
    #[test]
    fn the_exercise_output_is_every_tick_of_it_and_the_region_sums_its_economies() {
        let scenario = two_economies();
        let ticks = f64::from(scenario.meta.duration_ticks);
        let per_tick =
            |e: usize| output_per_tick(&scenario.economies[e], scenario.meta.tick_minutes);
        let strong = exercise_output(&scenario, Some(EconomyIdx(0)));
        assert!(strong > 0.0);
        assert!((strong - per_tick(0) * ticks).abs() < 1e-6);
        let weak = exercise_output(&scenario, Some(EconomyIdx(1)));
        assert!((exercise_output(&scenario, None) - strong - weak).abs() < 1e-6);
        assert_eq!(exercise_output(&scenario, Some(EconomyIdx(9))), 0.0);
    }

    #[test]
    fn costs_scale_with_income_unless_the_campaign_says() {
        let mut scenario = two_economies();
        let economy = &scenario.economies[0];
        let ransom_campaign = &scenario.campaigns[0];
        let scale = 20_000.0 / US_GDP_PER_HEAD;
        assert!((ransom(ransom_campaign, economy) - 2_000_000.0 * scale).abs() < 1e-6);
        assert!((recovery_cost(ransom_campaign, economy) - 2_730_000.0 * scale).abs() < 1e-6);
        let phish = &scenario.campaigns[1];
        assert!((victim_loss(phish, economy) - 14_200.0 / 81_000.0 * 20_000.0).abs() < 1e-6);
        scenario.campaigns[1].victim_loss = Some(50.0);
        assert_eq!(victim_loss(&scenario.campaigns[1], economy), 50.0);
    }

    #[test]
    fn aware_people_fall_victim_half_as_often() {
        let scenario = two_economies();
        let phish = &scenario.campaigns[1];
        assert_eq!(victims_per_hour(phish, 2_000_000, 0.0), 20.0);
        assert_eq!(victims_per_hour(phish, 2_000_000, 100.0), 10.0);
        assert_eq!(
            victims_per_hour(&scenario.campaigns[0], 2_000_000, 0.0),
            0.0
        );
    }

    /// Every bundled scenario and a generated one, checked.
    fn scenarios() -> Vec<Scenario> {
        let mut texts: Vec<String> = crate::scenario::bundled::all()
            .iter()
            .map(|(_, text)| text.to_string())
            .collect();
        texts.push(crate::scenario::generate::generate_toml(
            crate::scenario::generate::GenerateOptions {
                economies: 12,
                assets: 400,
                seed: 7,
            },
        ));
        texts
            .iter()
            .map(|text| match crate::scenario::parse(text) {
                Ok(checked) => checked.scenario,
                Err(diagnostics) => panic!("scenario does not load: {diagnostics:?}"),
            })
            .collect()
    }

    #[test]
    fn outages_never_cost_an_economy_more_than_its_output() {
        let mut rng = crate::rng::SimRng::new(11);
        for scenario in scenarios() {
            let n = scenario.assets.len();
            let resilience: Vec<f64> = scenario.assets.iter().map(|a| a.resilience).collect();
            let sector: Vec<u32> = scenario.assets.iter().map(|a| a.sector.0).collect();
            // Everything down, then 200 ticks of arbitrary inoperability and damage.
            let mut ledger = Ledger::new(&scenario);
            ledger.book_outages(&vec![1.0; n], &vec![1.0; n], &resilience, &sector);
            for (e, parts) in ledger.breakdown.iter().enumerate() {
                let output = ledger.output_per_tick[e];
                assert!(
                    parts.outage() <= output * (1.0 + 1e-9),
                    "{}",
                    scenario.economies[e].id
                );
            }
            for _ in 0..200 {
                let before: Vec<f64> = ledger.breakdown.iter().map(LossBreakdown::outage).collect();
                let q: Vec<f64> = (0..n).map(|_| rng.unit()).collect();
                let c: Vec<f64> = (0..n).map(|_| 2.0 * rng.unit() - 0.5).collect();
                ledger.book_outages(&q, &c, &resilience, &sector);
                for (e, parts) in ledger.breakdown.iter().enumerate() {
                    let tick = parts.outage() - before[e];
                    assert!(tick >= 0.0);
                    assert!(tick <= ledger.output_per_tick[e] * (1.0 + 1e-9));
                    assert!(parts.direct >= 0.0 && parts.dependencies >= 0.0);
                }
                assert!(ledger.direct.iter().zip(&q).all(|(d, q)| *d <= *q));
            }
        }
    }

    /// The cascade's pass books a chunk of assets at a time with `book_outage_range`:
    /// the books are bit for bit those of `book_outages` over every asset, and the
    /// assets it says still book are those `books_outage` holds for afterwards.
    #[test]
    fn booking_by_ranges_is_booking_every_asset_bit_for_bit() {
        let mut rng = crate::rng::SimRng::new(5);
        for scenario in scenarios() {
            let n = scenario.assets.len();
            let resilience: Vec<f64> = scenario.assets.iter().map(|a| a.resilience).collect();
            let sector: Vec<u32> = scenario.assets.iter().map(|a| a.sector.0).collect();
            let mut whole = Ledger::new(&scenario);
            let mut ranges = Ledger::new(&scenario);
            for tick in 0..60 {
                // Mostly nothing, some damage and outages, as in a running exercise.
                let draw = |rng: &mut crate::rng::SimRng| {
                    if rng.chance(0.7) { 0.0 } else { rng.unit() }
                };
                let q: Vec<f64> = (0..n).map(|_| draw(&mut rng)).collect();
                let c: Vec<f64> = (0..n).map(|_| draw(&mut rng)).collect();
                whole.book_outages(&q, &c, &resilience, &sector);
                let mut still = Vec::new();
                let mut from = 0;
                while from < n {
                    let to = (from + 7).min(n);
                    ranges.book_outage_range(from..to, &q, &c, &resilience, &sector, |i| {
                        still.push(i)
                    });
                    from = to;
                }
                let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
                assert_eq!(bits(&whole.direct), bits(&ranges.direct), "tick {tick}");
                assert_eq!(bits(&whole.asset_loss), bits(&ranges.asset_loss));
                assert_eq!(bits(&whole.sector_loss), bits(&ranges.sector_loss));
                let parts = |l: &Ledger| {
                    l.breakdown
                        .iter()
                        .map(|p| (p.direct.to_bits(), p.dependencies.to_bits()))
                        .collect::<Vec<_>>()
                };
                assert_eq!(parts(&whole), parts(&ranges));
                let books: Vec<usize> = (0..n)
                    .filter(|&i| ranges.books_outage(i, q[i], c[i]))
                    .collect();
                assert_eq!(still, books, "tick {tick}");
            }
        }
    }

    #[test]
    fn a_shared_asset_costs_every_economy_it_serves() {
        let scenario = two_economies();
        let mut ledger = Ledger::new(&scenario);
        let n = scenario.assets.len();
        let sector: Vec<u32> = scenario.assets.iter().map(|a| a.sector.0).collect();
        // Asset 2 (the strong economy's bank) half down from its own damage at once.
        let mut q = vec![0.0; n];
        let mut c = vec![0.0; n];
        q[2] = 0.5;
        c[2] = 0.5;
        ledger.book_outages(&q, &c, &vec![1.0; n], &sector);
        let bank = 0.5 * 0.07 * ledger.output_per_tick[0];
        assert!((ledger.breakdown[0].direct - bank).abs() < 1e-6);
        assert_eq!(ledger.breakdown[0].dependencies, 0.0);
        assert!((ledger.sector_losses(0)[2] - bank).abs() < 1e-6);
        assert_eq!(ledger.breakdown[1].total(), 0.0);
        // Its damage repaired, it stays down through what it depends on.
        c[2] = 0.0;
        ledger.book_outages(&q, &c, &vec![1.0; n], &sector);
        assert!((ledger.breakdown[0].dependencies - bank).abs() < 1e-6);
        assert!((ledger.asset_loss[2] - 2.0 * bank).abs() < 1e-6);
        assert!((ledger.loss(0) - 2.0 * bank).abs() < 1e-6);
    }

    #[test]
    fn the_top_assets_of_an_economy_are_what_their_outages_cost_it_largest_first() {
        let mut scenario = two_economies();
        // The strong economy's bank (asset 2) also serves a tenth of the weak one's finance.
        let mut serves = scenario.assets[2].serves().to_vec();
        serves.push(Serve {
            economy: EconomyIdx(1),
            share: 0.1,
        });
        scenario.assets[2].set_serves(serves);
        let mut ledger = Ledger::new(&scenario);
        let n = scenario.assets.len();
        let sector: Vec<u32> = scenario.assets.iter().map(|a| a.sector.0).collect();
        let mut q = vec![0.0; n];
        q[2] = 0.5;
        q[3] = 1.0;
        for _ in 0..3 {
            ledger.book_outages(&q, &q, &vec![1.0; n], &sector);
        }
        let top = ledger.top_assets(5);
        assert_eq!(top.len(), 2);
        let bank_home = 3.0 * 0.5 * 0.07 * ledger.output_per_tick[0];
        let bank_abroad = 3.0 * 0.5 * 0.1 * 0.07 * ledger.output_per_tick[1];
        let grid = 3.0 * 0.025 * ledger.output_per_tick[1];
        assert_eq!(top[0].len(), 1);
        assert_eq!(top[0][0].asset, AssetIdx(2));
        assert!((top[0][0].loss - bank_home).abs() < 1e-6 * bank_home);
        // The weak economy: its grid first, then its share of the foreign bank.
        let order: Vec<AssetIdx> = top[1].iter().map(|a| a.asset).collect();
        assert_eq!(order, [AssetIdx(3), AssetIdx(2)]);
        assert!((top[1][0].loss - grid).abs() < 1e-6 * grid);
        assert!((top[1][1].loss - bank_abroad).abs() < 1e-6 * bank_abroad);
        // Each economy's assets add up to its outage loss.
        for (e, list) in top.iter().enumerate() {
            let sum: f64 = list.iter().map(|a| a.loss).sum();
            let outage = ledger.breakdown[e].outage();
            assert!((sum - outage).abs() < 1e-6 * outage, "economy {e}");
        }
        assert_eq!(ledger.top_assets(1)[1].len(), 1);
        assert!(ledger.top_assets(0).iter().all(Vec::is_empty));
    }

    #[test]
    fn fraud_and_ransom_are_booked_apart_from_outages() {
        let scenario = two_economies();
        let mut ledger = Ledger::new(&scenario);
        ledger.book_fraud(EconomyIdx(1), 3.0, 100.0);
        ledger.book_ransomware(RansomCase {
            incident: IncidentId(0),
            economy: EconomyIdx(1),
            at: 4,
            demand: 1000.0,
            paid: 0.0,
            recovery: 50.0,
        });
        ledger.book_ransomware(RansomCase {
            incident: IncidentId(1),
            economy: EconomyIdx(1),
            at: 5,
            demand: 1000.0,
            paid: 1000.0,
            recovery: 50.0,
        });
        let parts = ledger.breakdown[1];
        assert_eq!(
            (parts.fraud, parts.ransom, parts.recovery),
            (300.0, 1000.0, 100.0)
        );
        assert_eq!(ledger.victims[1], 3.0);
        assert_eq!(ledger.loss(1), 1400.0);
        assert_eq!(ledger.ransoms.len(), 2);
        assert_eq!(parts.outage(), 0.0);
    }

    #[test]
    fn better_backups_pay_fewer_ransoms() {
        assert_eq!(pay_chance(50), RANSOM_PAY_SHARE);
        assert_eq!(pay_chance(100), 0.0);
        assert_eq!(pay_chance(0), 1.0);
        assert!(pay_chance(30) > pay_chance(70));
    }
}
