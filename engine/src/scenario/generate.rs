//! Synthetic scenarios of any size, for benchmarks and stress tests.
//!
//! A generated scenario is plausible rather than realistic: economies of uneven readiness
//! (the ITU forum's "very different" preparedness), the usual critical sectors, a sparse
//! dependency graph where every service leans on power and telecom and some lean on
//! infrastructure abroad (cables, payment switches, cloud regions), a few campaigns from
//! the APEC strategy's threat list, a CSIRT per economy, injects and objectives.
//!
//! Everything is drawn from one [`SimRng`] seeded with the options' seed, so the same
//! options give the same bytes. The generator keeps only a per-economy plan in memory:
//! [`write_toml`] streams the assets one group at a time, so a million-asset file costs
//! little more memory than a ten-asset one. Assets are written as `[[asset_group]]`s of at
//! most [`GROUP_SIZE`] members (a district's hospitals, a city's bank branches) whose
//! dependencies name single assets, so the file stays small and quick to load while the
//! dependency graph keeps one edge per member and dependency.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::io;

use serde::Serialize;

use super::raw::{
    ActorKind, AgreementKind, CampaignKind, DependencyKind, Operator, RawActor, RawAfter,
    RawAgreement, RawAssetDefaults, RawAssetGroup, RawCampaign, RawCondition, RawDefaults,
    RawDependency, RawDetected, RawEconomy, RawEffect, RawGoal, RawIncidentCondition, RawInject,
    RawMeta, RawObjective, RawPosture, RawReadiness, RawScenario, RawSector, RawServiceCondition,
    RawTargets, RawTeam, RawTechniques, Role,
};
use crate::rng::SimRng;

/// What to generate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GenerateOptions {
    /// Number of economies, at least 1 and at most [`GenerateOptions::MAX_ECONOMIES`].
    pub economies: u32,
    /// Exact number of assets, at least `economies` (every economy gets one).
    pub assets: u64,
    /// Seed of the random stream; the same options give the same scenario.
    pub seed: u64,
}

/// Why a set of options cannot be generated.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GenerateError {
    #[error("--economies must be at least 1")]
    NoEconomies,
    #[error("--economies {0} is more than the maximum of {max}", max = GenerateOptions::MAX_ECONOMIES)]
    TooManyEconomies(u32),
    #[error(
        "--assets {assets} is fewer than --economies {economies}: every economy needs at least one asset"
    )]
    TooFewAssets { assets: u64, economies: u32 },
    #[error("--assets {0} is more than the maximum of {max}", max = GenerateOptions::MAX_ASSETS)]
    TooManyAssets(u64),
}

impl GenerateOptions {
    /// Economy ids and names stay readable up to this many.
    pub const MAX_ECONOMIES: u32 = 1_000;
    /// The most assets the loader accepts, so that every generated file validates.
    pub const MAX_ASSETS: u64 = super::validate::MAX_ASSETS;

    /// Checks the options; [`generate`] and [`write_toml`] clamp unchecked options into
    /// range instead of failing.
    pub fn check(&self) -> Result<(), GenerateError> {
        if self.economies == 0 {
            return Err(GenerateError::NoEconomies);
        }
        if self.economies > Self::MAX_ECONOMIES {
            return Err(GenerateError::TooManyEconomies(self.economies));
        }
        if self.assets > Self::MAX_ASSETS {
            return Err(GenerateError::TooManyAssets(self.assets));
        }
        if self.assets < u64::from(self.economies) {
            return Err(GenerateError::TooFewAssets {
                assets: self.assets,
                economies: self.economies,
            });
        }
        Ok(())
    }

    /// The options moved into range: 1..=MAX economies, at least one asset per economy.
    fn clamped(self) -> Self {
        let economies = self.economies.clamp(1, Self::MAX_ECONOMIES);
        let assets = self.assets.clamp(u64::from(economies), Self::MAX_ASSETS);
        Self {
            economies,
            assets,
            seed: self.seed,
        }
    }
}

/// A whole synthetic scenario in memory (options are clamped into range, see
/// [`GenerateOptions::check`]). Prefer [`write_toml`] for very large scenarios.
pub fn generate(opts: GenerateOptions) -> RawScenario {
    let generator = Generator::new(opts);
    let mut scenario = generator.header.clone();
    scenario.asset_groups = generator.groups().collect();
    scenario
}

/// The same scenario as [`generate`], as TOML text.
pub fn generate_toml(opts: GenerateOptions) -> String {
    let mut bytes = Vec::new();
    // Writing into a `Vec` cannot fail, and every piece written is a `&str`.
    match write_toml(opts, &mut bytes) {
        Ok(()) => String::from_utf8(bytes)
            .unwrap_or_else(|err| String::from_utf8_lossy(err.as_bytes()).into_owned()),
        Err(err) => format!("# generation failed: {err}\n"),
    }
}

/// Streams the scenario of [`generate`] as TOML into `out`, one asset group at a time.
pub fn write_toml<W: io::Write + ?Sized>(opts: GenerateOptions, out: &mut W) -> io::Result<()> {
    let generator = Generator::new(opts);
    let header = toml::to_string(&HeaderView::of(&generator.header)).map_err(io::Error::other)?;
    out.write_all(header.as_bytes())?;
    let mut block = String::with_capacity(512);
    for group in generator.groups() {
        block.clear();
        write_group(&mut block, &group);
        out.write_all(block.as_bytes())?;
    }
    Ok(())
}

/// The sectors every generated scenario declares, with the asset template of each and
/// its share of the assets (per mille).
struct SectorSpec {
    id: &'static str,
    name: &'static str,
    /// What one asset of the sector is called.
    noun: &'static str,
    share: u64,
    operator: Operator,
    criticality: u8,
    resilience: f64,
}

const SECTORS: [SectorSpec; 8] = [
    SectorSpec {
        id: "energy",
        name: "Energy",
        noun: "power company",
        share: 90,
        operator: Operator::Public,
        criticality: 5,
        resilience: 0.6,
    },
    SectorSpec {
        id: "telecom",
        name: "Telecommunications",
        noun: "network operator",
        share: 100,
        operator: Operator::Private,
        criticality: 5,
        resilience: 0.7,
    },
    SectorSpec {
        id: "finance",
        name: "Banking and finance",
        noun: "bank",
        share: 150,
        operator: Operator::Private,
        criticality: 4,
        resilience: 0.6,
    },
    SectorSpec {
        id: "government",
        name: "Government services",
        noun: "e-government service",
        share: 140,
        operator: Operator::Public,
        criticality: 3,
        resilience: 0.4,
    },
    SectorSpec {
        id: "health",
        name: "Health care",
        noun: "hospital",
        share: 140,
        operator: Operator::Public,
        criticality: 4,
        resilience: 0.4,
    },
    SectorSpec {
        id: "transport",
        name: "Transport",
        noun: "port and rail operator",
        share: 100,
        operator: Operator::Public,
        criticality: 3,
        resilience: 0.5,
    },
    SectorSpec {
        id: "water",
        name: "Water",
        noun: "water utility",
        share: 100,
        operator: Operator::Public,
        criticality: 4,
        resilience: 0.5,
    },
    SectorSpec {
        id: "ecommerce",
        name: "E-commerce and digital services",
        noun: "online service",
        share: 180,
        operator: Operator::Private,
        criticality: 2,
        resilience: 0.6,
    },
];

const ENERGY: usize = 0;
const TELECOM: usize = 1;
const FINANCE: usize = 2;
const GOVERNMENT: usize = 3;
const HEALTH: usize = 4;
const ECOMMERCE: usize = 7;

/// How ready an economy is, after the ITU forum's observation that preparedness differs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tier {
    Advanced,
    Middle,
    Nascent,
}

/// What the header decided about one economy, kept to generate its assets.
struct EconomyPlan {
    id: String,
    name: String,
    /// Assets in each sector of [`SECTORS`].
    counts: [u64; SECTORS.len()],
    /// Mean technical readiness, around which asset postures are drawn.
    technical: u8,
    population: u64,
}

/// The plan (small, per economy) and the header (every block but the assets).
struct Generator {
    opts: GenerateOptions,
    plans: Vec<EconomyPlan>,
    header: RawScenario,
}

const DURATION: u32 = 48;

impl Generator {
    fn new(opts: GenerateOptions) -> Self {
        let opts = opts.clamped();
        let mut rng = SimRng::new(opts.seed);
        let (economies, tiers) = draw_economies(&mut rng, opts.economies);
        let plans = plan_assets(&mut rng, &economies, opts.assets);
        let mut header = RawScenario {
            scenario: meta(opts),
            defaults: RawDefaults {
                analysts: Some(4),
                sharing_delay_without_agreement: Some(12),
                mla_delay_without_agreement: Some(48),
                assistance_delay_without_agreement: Some(12),
                ..RawDefaults::default()
            },
            sectors: sectors(),
            ..RawScenario::default()
        };
        header.actors = actors();
        header.campaigns = campaigns(&mut rng, &plans);
        header.teams = teams(&economies, &tiers);
        header.agreements = agreements(&mut rng, &economies, &tiers);
        header.injects = injects(&header.campaigns);
        header.objectives = objectives(&economies);
        header.economies = economies;
        Self {
            opts,
            plans,
            header,
        }
    }

    /// The asset groups, economy by economy and sector by sector, drawn from their own
    /// stream so that they do not depend on how the header was consumed.
    fn groups(&self) -> GroupStream<'_> {
        GroupStream {
            plans: &self.plans,
            rng: SimRng::new(self.opts.seed ^ ASSET_STREAM_SALT),
            economy: 0,
            sector: 0,
            group: 0,
        }
    }
}

/// Separates the asset stream from the header stream of the same seed.
const ASSET_STREAM_SALT: u64 = 0x6173_7365_7473_2121;

fn meta(opts: GenerateOptions) -> RawMeta {
    RawMeta {
        id: format!(
            "synthetic-{}x{}-s{}",
            opts.economies, opts.assets, opts.seed
        ),
        title: format!(
            "Synthetic region: {} economies, {} assets (seed {})",
            opts.economies, opts.assets, opts.seed
        ),
        briefing: "A generated region for benchmarks and stress tests: economies of uneven \
                   readiness, the usual critical sectors, dependencies on power, telecom and \
                   infrastructure abroad, and campaigns of fraud, denial of service, \
                   ransomware and a natural disaster."
            .to_string(),
        tick_minutes: Some(60),
        duration_ticks: DURATION,
        start_label: None,
    }
}

fn sectors() -> Vec<RawSector> {
    SECTORS
        .iter()
        .map(|s| RawSector {
            id: s.id.to_string(),
            name: s.name.to_string(),
            asset: RawAssetDefaults {
                operator: Some(s.operator),
                criticality: Some(s.criticality),
                people_served: None,
                posture: None,
                resilience: Some(s.resilience),
                repair_hours: None,
            },
            output_share: None,
        })
        .collect()
}

const NAME_STARTS: [&str; 16] = [
    "Ka", "Lu", "Ma", "No", "Ta", "Se", "Va", "Ri", "Co", "Pa", "Be", "Do", "Fe", "Ha", "Zo", "Mi",
];
const NAME_MIDDLES: [&str; 12] = [
    "ran", "vel", "mor", "sil", "den", "lin", "tar", "bor", "nes", "rim", "cal", "dor",
];
const NAME_ENDS: [&str; 8] = ["ia", "a", "o", "and", "ea", "is", "ora", "une"];

/// A pronounceable fictional name, unique within `taken`.
fn economy_name(rng: &mut SimRng, taken: &mut BTreeSet<String>) -> String {
    loop {
        let name = format!(
            "{}{}{}",
            pick(rng, &NAME_STARTS),
            pick(rng, &NAME_MIDDLES),
            pick(rng, &NAME_ENDS)
        );
        let name = if taken.contains(&name) {
            format!("{name} {}", taken.len() + 1)
        } else {
            name
        };
        if taken.insert(name.clone()) {
            return name;
        }
    }
}

fn pick<'a>(rng: &mut SimRng, items: &[&'a str]) -> &'a str {
    items[rng.below(items.len() as u64) as usize]
}

/// Draws a value in `[lo, hi]` as a `u8`.
fn draw_u8(rng: &mut SimRng, lo: u8, hi: u8) -> u8 {
    rng.range_inclusive(u64::from(lo), u64::from(hi)) as u8
}

/// Economies with readiness by tier: the first is advanced, then roughly one in five
/// advanced, half middle, the rest nascent.
fn draw_economies(rng: &mut SimRng, count: u32) -> (Vec<RawEconomy>, Vec<Tier>) {
    let mut taken = BTreeSet::new();
    let mut economies = Vec::with_capacity(count as usize);
    let mut tiers = Vec::with_capacity(count as usize);
    for index in 0..count {
        let tier = match (index, rng.below(10)) {
            (0, _) => Tier::Advanced,
            (_, 0..=1) => Tier::Advanced,
            (_, 2..=6) => Tier::Middle,
            _ => Tier::Nascent,
        };
        let (lo, hi) = match tier {
            Tier::Advanced => (70, 92),
            Tier::Middle => (38, 65),
            Tier::Nascent => (8, 32),
        };
        let mut readiness = || draw_u8(rng, lo, hi);
        let readiness = RawReadiness {
            legal: readiness(),
            technical: readiness(),
            organizational: readiness(),
            capacity: readiness(),
            cooperation: readiness(),
        };
        let name = economy_name(rng, &mut taken);
        let population = rng.range_inclusive(100, 60_000) * 1_000;
        let gdp_per_capita = match tier {
            Tier::Advanced => rng.range_inclusive(30, 70),
            Tier::Middle => rng.range_inclusive(8, 25),
            Tier::Nascent => rng.range_inclusive(1, 8),
        } as f64
            * 1_000.0;
        let awareness = draw_u8(rng, lo.saturating_sub(5), hi.saturating_sub(10));
        let trust = draw_u8(rng, 60, 82);
        economies.push(RawEconomy {
            id: format!("e{}", index + 1),
            name,
            population,
            gdp_per_capita: Some(gdp_per_capita),
            readiness,
            awareness: Some(awareness),
            trust: Some(trust),
            spam_filtering: None,
            sector_shares: Vec::new(),
        });
        tiers.push(tier);
    }
    (economies, tiers)
}

/// Splits `total` over `weights` exactly: each part gets `floor(total * w / sum)`, and the
/// remainder goes one by one to the parts with the largest fractional shares (ties to the
/// lower index), so the parts always add up to `total`.
fn split_exactly(total: u64, weights: &[u64]) -> Vec<u64> {
    let sum: u128 = weights.iter().map(|w| u128::from(*w)).sum();
    if sum == 0 || weights.is_empty() {
        let mut parts = vec![0; weights.len()];
        if let Some(first) = parts.first_mut() {
            *first = total;
        }
        return parts;
    }
    let mut parts = Vec::with_capacity(weights.len());
    let mut remainders = Vec::with_capacity(weights.len());
    for (index, weight) in weights.iter().enumerate() {
        let exact = u128::from(total) * u128::from(*weight);
        parts.push((exact / sum) as u64);
        remainders.push((exact % sum, index));
    }
    let assigned: u64 = parts.iter().sum();
    remainders.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    for (_, index) in remainders.into_iter().take((total - assigned) as usize) {
        parts[index] += 1;
    }
    parts
}

/// How many assets of each sector each economy gets: one per economy first, the rest in
/// proportion to population, then over sectors by their shares.
fn plan_assets(rng: &mut SimRng, economies: &[RawEconomy], total: u64) -> Vec<EconomyPlan> {
    let spare = total - economies.len() as u64;
    let weights: Vec<u64> = economies.iter().map(|e| e.population / 1_000).collect();
    let per_economy = split_exactly(spare, &weights);
    let sector_shares: Vec<u64> = SECTORS.iter().map(|s| s.share).collect();
    economies
        .iter()
        .zip(per_economy)
        .map(|(economy, extra)| {
            let mut counts = [0u64; SECTORS.len()];
            // The guaranteed asset goes to a random sector, so tiny scenarios vary too.
            counts[rng.below(SECTORS.len() as u64) as usize] += 1;
            for (count, part) in counts.iter_mut().zip(split_exactly(extra, &sector_shares)) {
                *count += part;
            }
            EconomyPlan {
                id: economy.id.clone(),
                name: economy.name.clone(),
                counts,
                technical: economy.readiness.technical,
                population: economy.population,
            }
        })
        .collect()
}

/// Most members of one generated asset group.
pub const GROUP_SIZE: u64 = 20;

/// Groups needed for `count` assets of one sector in one economy.
fn groups_in(count: u64) -> u64 {
    count.div_ceil(GROUP_SIZE)
}

/// Members of group `k` (1-based) of a cell of `count` assets: full groups, then the rest.
fn group_size(count: u64, k: u64) -> u64 {
    (count - (k - 1) * GROUP_SIZE).min(GROUP_SIZE)
}

/// Id of group `k` (1-based) of a sector in an economy; its members are `ID-1` .. `ID-N`.
fn group_id(economy: &str, sector: usize, k: u64) -> String {
    format!("{economy}-{}-{k}", SECTORS[sector].id)
}

/// Id of the asset at `index` (0-based) among the assets of a sector in an economy.
fn member_id(economy: &str, sector: usize, index: u64) -> String {
    let k = index / GROUP_SIZE + 1;
    let n = index % GROUP_SIZE + 1;
    format!("{}-{n}", group_id(economy, sector, k))
}

/// Some asset of `sector` in `plan`, if the economy has any.
fn some_asset(rng: &mut SimRng, plan: &EconomyPlan, sector: usize) -> Option<String> {
    let count = plan.counts[sector];
    (count > 0).then(|| member_id(&plan.id, sector, rng.below(count)))
}

/// Yields the asset groups in plan order, drawing each one's posture and dependencies.
struct GroupStream<'a> {
    plans: &'a [EconomyPlan],
    rng: SimRng,
    economy: usize,
    sector: usize,
    /// Groups of the current (economy, sector) already produced.
    group: u64,
}

impl Iterator for GroupStream<'_> {
    type Item = RawAssetGroup;

    fn next(&mut self) -> Option<RawAssetGroup> {
        loop {
            let plan = self.plans.get(self.economy)?;
            if self.group < groups_in(plan.counts[self.sector]) {
                self.group += 1;
                return Some(self.draw_group());
            }
            self.group = 0;
            self.sector += 1;
            if self.sector == SECTORS.len() {
                self.sector = 0;
                self.economy += 1;
            }
        }
    }
}

impl GroupStream<'_> {
    fn draw_group(&mut self) -> RawAssetGroup {
        let plans = self.plans;
        let plan = &plans[self.economy];
        let sector = self.sector;
        let k = self.group;
        let count = group_size(plan.counts[sector], k);
        let rng = &mut self.rng;
        let centre = plan.technical;
        let mut around = |spread: u8| {
            draw_u8(
                rng,
                centre.saturating_sub(spread),
                centre.saturating_add(spread).min(100),
            )
        };
        let posture = RawPosture {
            patching: around(20),
            monitoring: around(20),
            backups: around(25),
        };
        let per_asset = (plan.population / plan.counts.iter().sum::<u64>().max(1)).max(1_000);
        let people_served = self.rng.range_inclusive(per_asset / 2, per_asset * 2);
        let depends_on = self.draw_dependencies(plan, sector);
        RawAssetGroup {
            id: group_id(&plan.id, sector, k),
            name: format!("{} {} {k}.{{n}}", plan.name, SECTORS[sector].noun),
            // At most GROUP_SIZE, so it always fits.
            count: count as u32,
            economy: plan.id.clone(),
            sector: SECTORS[sector].id.to_string(),
            operator: None,
            criticality: None,
            people_served: Some(people_served),
            posture: Some(posture),
            resilience: None,
            repair_hours: None,
            serves: Vec::new(),
            depends_on,
        }
    }

    /// A weight in hundredths, so that it prints and sums exactly enough: at most
    /// 0.35 + 0.25 + 0.20 = 0.80 per asset.
    fn weight(&mut self, lo: u64, hi: u64) -> f64 {
        self.rng.range_inclusive(lo, hi) as f64 / 100.0
    }

    /// Power and telecom at home, and sometimes a cable, payment switch or cloud region
    /// abroad (the multi-regional case of Crowther & Haimes 2010).
    fn draw_dependencies(&mut self, plan: &EconomyPlan, sector: usize) -> Vec<RawDependency> {
        let mut deps = Vec::with_capacity(3);
        let push = |deps: &mut Vec<RawDependency>, on: Option<String>, weight, kind| {
            if let Some(on) = on {
                deps.push(RawDependency {
                    on,
                    weight,
                    kind: Some(kind),
                });
            }
        };
        if sector != ENERGY {
            let on = some_asset(&mut self.rng, plan, ENERGY);
            let weight = self.weight(15, 35);
            push(&mut deps, on, weight, DependencyKind::Physical);
        }
        if sector != TELECOM && self.rng.chance(0.8) {
            let on = some_asset(&mut self.rng, plan, TELECOM);
            let weight = self.weight(10, 25);
            push(&mut deps, on, weight, DependencyKind::Cyber);
        }
        let abroad = match sector {
            TELECOM => Some((TELECOM, 0.3, DependencyKind::Physical)),
            FINANCE => Some((FINANCE, 0.2, DependencyKind::Logical)),
            ECOMMERCE | GOVERNMENT => Some((ECOMMERCE, 0.25, DependencyKind::Cyber)),
            _ => None,
        };
        if let Some((target_sector, chance, kind)) = abroad
            && self.plans.len() > 1
            && self.rng.chance(chance)
        {
            let others = self.plans.len() as u64 - 1;
            let mut other = self.rng.below(others) as usize;
            if other >= self.economy {
                other += 1;
            }
            let on = some_asset(&mut self.rng, &self.plans[other], target_sector);
            let weight = self.weight(10, 20);
            push(&mut deps, on, weight, kind);
        }
        deps
    }
}

fn actors() -> Vec<RawActor> {
    let actor = |id: &str, name: &str, kind, capability| RawActor {
        id: id.to_string(),
        name: name.to_string(),
        kind,
        capability,
    };
    vec![
        actor("fraud-ring", "Regional fraud ring", ActorKind::Criminal, 55),
        actor(
            "hacktivists",
            "Hacktivist collective",
            ActorKind::Hacktivist,
            45,
        ),
        actor(
            "ransom-crew",
            "Ransomware affiliates",
            ActorKind::Criminal,
            65,
        ),
        actor("storm", "Tropical cyclone", ActorKind::NaturalHazard, 70),
    ]
}

/// A random selection of about half the economies (at least one, at most all), in id order.
fn some_economies(rng: &mut SimRng, plans: &[EconomyPlan]) -> Vec<usize> {
    let wanted = plans.len().div_ceil(2).max(1);
    let mut chosen = BTreeSet::new();
    while chosen.len() < wanted {
        chosen.insert(rng.below(plans.len() as u64) as usize);
    }
    chosen.into_iter().collect()
}

/// Targets `sectors` in `economies`; when those cells hold no asset (tiny scenarios), the
/// first asset of the first chosen economy is named instead, so targets are never empty.
fn targets(plans: &[EconomyPlan], economies: &[usize], sectors: &[usize]) -> RawTargets {
    let any = economies
        .iter()
        .any(|e| sectors.iter().any(|s| plans[*e].counts[*s] > 0));
    if any {
        return RawTargets {
            economies: economies.iter().map(|e| plans[*e].id.clone()).collect(),
            sectors: sectors.iter().map(|s| SECTORS[*s].id.to_string()).collect(),
            assets: Vec::new(),
        };
    }
    let plan = &plans[economies.first().copied().unwrap_or(0)];
    let first_sector = plan.counts.iter().position(|c| *c > 0).unwrap_or(0);
    RawTargets {
        assets: vec![member_id(&plan.id, first_sector, 0)],
        ..RawTargets::default()
    }
}

fn campaigns(rng: &mut SimRng, plans: &[EconomyPlan]) -> Vec<RawCampaign> {
    let campaign =
        |id: &str, name: &str, actor: &str, kind, targets, start, duration| RawCampaign {
            id: id.to_string(),
            name: name.to_string(),
            actor: actor.to_string(),
            kind,
            targets,
            start,
            stage_ticks: Some(3),
            intensity: Some(2),
            impact: None,
            duration: Some(duration),
            victim_rate: None,
            victim_loss: None,
            messages: None,
            response_rate: None,
            ransom: None,
            recovery_cost: None,
            origin: None,
            hosting: Vec::new(),
            techniques: RawTechniques::default(),
        };
    let phished = some_economies(rng, plans);
    let flooded = some_economies(rng, plans);
    let ransomed = some_economies(rng, plans);
    let storm_hit = vec![rng.below(plans.len() as u64) as usize];
    vec![
        campaign(
            "phishing",
            "Bank-themed phishing across the region",
            "fraud-ring",
            CampaignKind::Phishing,
            targets(plans, &phished, &[FINANCE, ECOMMERCE]),
            Some(2),
            30,
        ),
        campaign(
            "ddos",
            "Denial of service against banks",
            "hacktivists",
            CampaignKind::Ddos,
            targets(plans, &flooded, &[FINANCE]),
            Some(12),
            12,
        ),
        campaign(
            "ransomware",
            "Ransomware against hospitals and power",
            "ransom-crew",
            CampaignKind::Ransomware,
            targets(plans, &ransomed, &[HEALTH, ENERGY]),
            None,
            24,
        ),
        campaign(
            "cyclone",
            "Cyclone landfall",
            "storm",
            CampaignKind::NaturalDisaster,
            targets(plans, &storm_hit, &[ENERGY, TELECOM]),
            None,
            3,
        ),
    ]
}

fn teams(economies: &[RawEconomy], tiers: &[Tier]) -> Vec<RawTeam> {
    let mut teams: Vec<RawTeam> = economies
        .iter()
        .zip(tiers)
        .map(|(economy, tier)| RawTeam {
            id: format!("{}-csirt", economy.id),
            name: format!("{} national CSIRT", economy.name),
            role: Role::Csirt,
            economy: economy.id.clone(),
            analysts: Some(match tier {
                Tier::Advanced => 8,
                Tier::Middle => 4,
                Tier::Nascent => 2,
            }),
            sectors: Vec::new(),
        })
        .collect();
    if let Some(first) = economies.first() {
        teams.push(RawTeam {
            id: format!("{}-police", first.id),
            name: format!("{} police cybercrime unit", first.name),
            role: Role::LawEnforcement,
            economy: first.id.clone(),
            analysts: Some(4),
            sectors: Vec::new(),
        });
        teams.push(RawTeam {
            id: format!("{}-finreg", first.id),
            name: format!("{} financial regulator", first.name),
            role: Role::Regulator,
            economy: first.id.clone(),
            analysts: Some(3),
            sectors: vec![SECTORS[FINANCE].id.to_string()],
        });
    }
    teams
}

/// A sharing forum of the economies that cooperate well, a few bilateral MLA treaties and
/// an assistance pact from the first (advanced) economy to the nascent ones: some pairs
/// covered, others not.
fn agreements(rng: &mut SimRng, economies: &[RawEconomy], tiers: &[Tier]) -> Vec<RawAgreement> {
    let mut agreements = Vec::new();
    let forum: Vec<String> = economies
        .iter()
        .filter(|e| e.readiness.cooperation >= 50)
        .map(|e| e.id.clone())
        .collect();
    if forum.len() >= 2 {
        agreements.push(RawAgreement {
            id: "sharing-forum".to_string(),
            kind: AgreementKind::InformationSharing,
            parties: forum,
            delay: 1,
        });
    }
    if economies.len() >= 2 {
        let treaties = economies.len().div_ceil(3);
        let mut pairs = BTreeSet::new();
        for _ in 0..treaties {
            let a = rng.below(economies.len() as u64) as usize;
            let b = rng.below(economies.len() as u64) as usize;
            if a != b {
                pairs.insert((a.min(b), a.max(b)));
            }
        }
        for (a, b) in pairs {
            agreements.push(RawAgreement {
                id: format!("mlat-{}-{}", economies[a].id, economies[b].id),
                kind: AgreementKind::MutualLegalAssistance,
                parties: vec![economies[a].id.clone(), economies[b].id.clone()],
                delay: rng.range_inclusive(12, 36) as u32,
            });
        }
        let mut pact: Vec<String> = economies
            .iter()
            .zip(tiers)
            .skip(1)
            .filter(|(_, tier)| **tier == Tier::Nascent)
            .map(|(e, _)| e.id.clone())
            .collect();
        if !pact.is_empty() {
            pact.insert(0, economies[0].id.clone());
            agreements.push(RawAgreement {
                id: "assistance-pact".to_string(),
                kind: AgreementKind::Assistance,
                parties: pact,
                delay: 4,
            });
        }
    }
    agreements
}

fn injects(campaigns: &[RawCampaign]) -> Vec<RawInject> {
    let inject = |id: &str, headline: &str, text: &str| RawInject {
        id: id.to_string(),
        headline: headline.to_string(),
        text: text.to_string(),
        at: None,
        when: None,
        after: None,
        to: vec!["all".to_string()],
        ..RawInject::default()
    };
    let has = |id: &str| campaigns.iter().any(|c| c.id == id);
    let mut list = vec![RawInject {
        at: Some(0),
        ..inject(
            "startex",
            "STARTEX",
            "The exercise begins. Agree your channels with your partners.",
        )
    }];
    if has("phishing") {
        list.push(RawInject {
            when: Some(RawCondition::Detected(RawDetected::Campaign(
                "phishing".to_string(),
            ))),
            ..inject(
                "phishing-detected",
                "Phishing confirmed: share the indicators",
                "A CSIRT has confirmed the phishing campaign; the same senders target the region.",
            )
        });
        list.push(RawInject {
            when: Some(RawCondition::Incidents(RawIncidentCondition {
                campaign: Some("phishing".to_string()),
                economy: None,
                count: 5,
            })),
            ..inject(
                "phishing-spreads",
                "Stolen credentials on sale",
                "Credentials from the phishing campaign are offered on an underground forum.",
            )
        });
    }
    list.push(RawInject {
        at: Some(16),
        effects: vec![RawEffect::StartCampaign("ransomware".to_string())],
        ..inject(
            "ransomware-begins",
            "Ransomware affiliates begin intrusions",
            "Hospitals and power companies report ransom notes.",
        )
    });
    list.push(RawInject {
        at: Some(28),
        ..inject(
            "cyclone-warning",
            "Cyclone warning",
            "The meteorological service warns of landfall within four hours.",
        )
    });
    list.push(RawInject {
        after: Some(RawAfter {
            inject: "cyclone-warning".to_string(),
            delay: 4,
        }),
        effects: vec![RawEffect::StartCampaign("cyclone".to_string())],
        ..inject(
            "cyclone-landfall",
            "Cyclone makes landfall",
            "Power and telecom fail in the path of the storm.",
        )
    });
    list.push(RawInject {
        when: Some(RawCondition::ServiceBelow(RawServiceCondition {
            asset: None,
            economy: None,
            sector: None,
            level: 0.8,
        })),
        ..inject(
            "regional-crisis",
            "Regional service below 80%",
            "Ministers convene an emergency call of all CSIRTs.",
        )
    });
    list.push(RawInject {
        at: Some(DURATION - 6),
        ..inject(
            "endex-warning",
            "Six hours to ENDEX",
            "Prepare your debrief.",
        )
    });
    list
}

fn objectives(economies: &[RawEconomy]) -> Vec<RawObjective> {
    let objective = |id: &str, description: &str, team: Option<String>, goal| RawObjective {
        id: id.to_string(),
        description: description.to_string(),
        team,
        weight: None,
        goal,
    };
    let mut list = vec![
        objective(
            "regional-service",
            "Regional mean service stays at 85% or better",
            None,
            RawGoal::ServiceAtLeast {
                economy: None,
                sector: None,
                level: 0.85,
            },
        ),
        objective(
            "detect-phishing",
            "Phishing is detected within 6 ticks",
            None,
            RawGoal::DetectWithin {
                campaign: Some("phishing".to_string()),
                economy: None,
                ticks: 6,
            },
        ),
        objective(
            "contain-ransomware",
            "Ransomware is contained within 12 ticks",
            None,
            RawGoal::ContainWithin {
                campaign: Some("ransomware".to_string()),
                economy: None,
                ticks: 12,
            },
        ),
    ];
    if let Some(first) = economies.first() {
        list.push(objective(
            "first-trust",
            "Public trust in the first economy ends at 60 or above",
            Some(format!("{}-csirt", first.id)),
            RawGoal::TrustAtLeast {
                economy: first.id.clone(),
                level: 60.0,
            },
        ));
    }
    list
}

/// Every block of a scenario but the assets, in the file's key names; serialized with
/// `toml` before the streamed assets.
#[derive(Serialize)]
struct HeaderView<'a> {
    scenario: &'a RawMeta,
    defaults: &'a RawDefaults,
    economy: &'a [RawEconomy],
    sector: &'a [RawSector],
    actor: &'a [RawActor],
    campaign: &'a [RawCampaign],
    team: &'a [RawTeam],
    agreement: &'a [RawAgreement],
    inject: &'a [RawInject],
    objective: &'a [RawObjective],
}

impl<'a> HeaderView<'a> {
    fn of(raw: &'a RawScenario) -> Self {
        Self {
            scenario: &raw.scenario,
            defaults: &raw.defaults,
            economy: &raw.economies,
            sector: &raw.sectors,
            actor: &raw.actors,
            campaign: &raw.campaigns,
            team: &raw.teams,
            agreement: &raw.agreements,
            inject: &raw.injects,
            objective: &raw.objectives,
        }
    }
}

/// Appends one `[[asset_group]]` block; hand-written because serializing a million assets
/// through a TOML document would hold them all in memory at once.
fn write_group(out: &mut String, asset: &RawAssetGroup) {
    out.push_str("\n[[asset_group]]\nid = ");
    push_toml_string(out, &asset.id);
    out.push_str("\nname = ");
    push_toml_string(out, &asset.name);
    let _ = write!(out, "\ncount = {}", asset.count);
    out.push_str("\neconomy = ");
    push_toml_string(out, &asset.economy);
    out.push_str("\nsector = ");
    push_toml_string(out, &asset.sector);
    out.push('\n');
    if let Some(people) = asset.people_served {
        let _ = writeln!(out, "people_served = {people}");
    }
    if let Some(p) = asset.posture {
        let _ = writeln!(
            out,
            "posture = {{ patching = {}, monitoring = {}, backups = {} }}",
            p.patching, p.monitoring, p.backups
        );
    }
    if !asset.depends_on.is_empty() {
        out.push_str("depends_on = [");
        for (index, dep) in asset.depends_on.iter().enumerate() {
            if index > 0 {
                out.push_str(", ");
            }
            out.push_str("{ on = ");
            push_toml_string(out, &dep.on);
            // `{:?}` keeps a decimal point (`1.0`), so the value reads back as a float.
            let _ = write!(out, ", weight = {:?}", dep.weight);
            if let Some(kind) = dep.kind {
                let _ = write!(out, ", kind = \"{}\"", dependency_kind_name(kind));
            }
            out.push_str(" }");
        }
        out.push_str("]\n");
    }
}

fn dependency_kind_name(kind: DependencyKind) -> &'static str {
    match kind {
        DependencyKind::Physical => "physical",
        DependencyKind::Cyber => "cyber",
        DependencyKind::Geographic => "geographic",
        DependencyKind::Logical => "logical",
    }
}

/// A TOML basic string with the escapes the spec requires.
fn push_toml_string(out: &mut String, text: &str) {
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04X}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;

    fn opts(economies: u32, assets: u64, seed: u64) -> GenerateOptions {
        GenerateOptions {
            economies,
            assets,
            seed,
        }
    }

    fn asset_count(raw: &RawScenario) -> u64 {
        raw.assets.len() as u64
            + raw
                .asset_groups
                .iter()
                .map(|g| u64::from(g.count))
                .sum::<u64>()
    }

    #[test]
    fn same_options_give_identical_bytes() {
        let a = generate_toml(opts(5, 400, 9));
        let b = generate_toml(opts(5, 400, 9));
        assert_eq!(a, b);
    }

    #[test]
    fn different_seeds_give_different_scenarios() {
        assert_ne!(
            generate_toml(opts(5, 400, 1)),
            generate_toml(opts(5, 400, 2))
        );
    }

    #[test]
    fn asset_count_is_exact_for_every_shape() {
        for (economies, assets) in [
            (1, 1),
            (1, 7),
            (3, 3),
            (4, 10),
            (7, 1000),
            (20, 20),
            (9, 12_345),
        ] {
            let raw = generate(opts(economies, assets, 3));
            assert_eq!(asset_count(&raw), assets, "{economies} economies");
            assert_eq!(raw.economies.len(), economies as usize);
        }
    }

    #[test]
    fn text_reads_back_as_the_scenario_in_memory() {
        for (economies, assets, seed) in [(1, 1, 0), (6, 500, 4), (3, 40, 77)] {
            let text = generate_toml(opts(economies, assets, seed));
            let parsed: RawScenario = match toml::from_str(&text) {
                Ok(raw) => raw,
                Err(err) => panic!("generated TOML does not parse: {err}\n{text}"),
            };
            let expected = generate(opts(economies, assets, seed));
            let as_json = |raw: &RawScenario| serde_json::to_value(raw).map_err(|e| e.to_string());
            assert_eq!(as_json(&parsed), as_json(&expected));
        }
    }

    #[test]
    fn output_validates_with_no_errors_and_no_warnings() {
        for (economies, assets, seed) in [(1, 1, 0), (2, 3, 1), (5, 400, 2), (12, 5_000, 3)] {
            let text = generate_toml(opts(economies, assets, seed));
            match crate::scenario::parse(&text) {
                Ok(checked) => {
                    let rendered =
                        crate::scenario::render("generated.toml", &text, &checked.warnings);
                    assert!(checked.warnings.is_empty(), "{rendered}");
                    assert_eq!(checked.scenario.assets.len() as u64, assets);
                }
                Err(diagnostics) => {
                    panic!(
                        "{}",
                        crate::scenario::render("generated.toml", &text, &diagnostics)
                    )
                }
            }
        }
    }

    #[test]
    fn groups_are_small_and_dependencies_name_single_existing_assets_of_weight_at_most_one() {
        let raw = generate(opts(8, 3_000, 5));
        assert!(raw.assets.is_empty());
        let group_ids: BTreeSet<&str> = raw.asset_groups.iter().map(|g| g.id.as_str()).collect();
        assert_eq!(group_ids.len(), raw.asset_groups.len());
        let mut economy_of = std::collections::BTreeMap::new();
        for group in &raw.asset_groups {
            assert!(
                (1..=GROUP_SIZE).contains(&u64::from(group.count)),
                "{}",
                group.id
            );
            for n in 1..=group.count {
                economy_of.insert(format!("{}-{n}", group.id), group.economy.as_str());
            }
        }
        let mut cross_border = 0;
        for group in &raw.asset_groups {
            let total: f64 = group.depends_on.iter().map(|d| d.weight).sum();
            assert!(
                total <= 1.0,
                "{} depends with total weight {total}",
                group.id
            );
            for dep in &group.depends_on {
                assert!(dep.weight > 0.0);
                assert!(
                    !dep.on.starts_with(&format!("{}-", group.id)),
                    "{} needs itself",
                    group.id
                );
                let Some(other) = economy_of.get(&dep.on) else {
                    panic!(
                        "{} depends on {}, which is not a single asset",
                        group.id, dep.on
                    );
                };
                if *other != group.economy {
                    cross_border += 1;
                }
            }
        }
        assert!(cross_border > 0, "some dependencies cross borders");
    }

    #[test]
    fn group_layout_splits_each_cell_exactly() {
        for count in [1, 19, 20, 21, 40, 1_001] {
            let sizes: Vec<u64> = (1..=groups_in(count))
                .map(|k| group_size(count, k))
                .collect();
            assert_eq!(sizes.iter().sum::<u64>(), count);
            assert!(
                sizes.iter().all(|s| (1..=GROUP_SIZE).contains(s)),
                "{sizes:?}"
            );
        }
        assert_eq!(member_id("e2", TELECOM, 0), "e2-telecom-1-1");
        assert_eq!(member_id("e2", TELECOM, 20), "e2-telecom-2-1");
    }

    #[test]
    fn every_campaign_has_targets_and_starts() {
        for (economies, assets) in [(1, 1), (2, 3), (10, 10_000)] {
            let raw = generate(opts(economies, assets, 11));
            let started: BTreeSet<&str> = raw
                .injects
                .iter()
                .flat_map(|i| &i.effects)
                .filter_map(|e| match e {
                    RawEffect::StartCampaign(id) => Some(id.as_str()),
                    _ => None,
                })
                .collect();
            for campaign in &raw.campaigns {
                let t = &campaign.targets;
                assert!(!(t.assets.is_empty() && t.economies.is_empty() && t.sectors.is_empty()));
                assert!(campaign.start.is_some() || started.contains(campaign.id.as_str()));
            }
        }
    }

    #[test]
    fn every_economy_has_a_csirt_and_readiness_is_uneven() {
        let raw = generate(opts(12, 2_000, 21));
        for economy in &raw.economies {
            assert!(
                raw.teams
                    .iter()
                    .any(|t| t.role == Role::Csirt && t.economy == economy.id),
                "{} has no CSIRT",
                economy.id
            );
        }
        let technical: BTreeSet<u8> = raw
            .economies
            .iter()
            .map(|e| e.readiness.technical)
            .collect();
        let (Some(lo), Some(hi)) = (technical.first(), technical.last()) else {
            panic!("no economies");
        };
        assert!(hi - lo >= 30, "readiness {lo}..{hi} is not uneven");
    }

    #[test]
    fn check_rejects_impossible_options_and_generate_clamps_them() {
        assert_eq!(opts(0, 10, 1).check(), Err(GenerateError::NoEconomies));
        assert_eq!(
            opts(5, 3, 1).check(),
            Err(GenerateError::TooFewAssets {
                assets: 3,
                economies: 5
            })
        );
        assert_eq!(
            opts(1_001, 5_000, 1).check(),
            Err(GenerateError::TooManyEconomies(1_001))
        );
        assert_eq!(opts(3, 30, 1).check(), Ok(()));
        let too_many = GenerateOptions::MAX_ASSETS + 1;
        assert_eq!(
            opts(3, too_many, 1).check(),
            Err(GenerateError::TooManyAssets(too_many))
        );
        let raw = generate(opts(0, 0, 1));
        assert_eq!((raw.economies.len(), asset_count(&raw)), (1, 1));
    }

    #[test]
    fn split_exactly_adds_up_and_follows_weights() {
        assert_eq!(split_exactly(10, &[1, 1]), vec![5, 5]);
        assert_eq!(split_exactly(7, &[1, 1, 1]), vec![3, 2, 2]);
        assert_eq!(split_exactly(5, &[0, 0]), vec![5, 0]);
        let parts = split_exactly(1_000_003, &[90, 100, 150, 140, 140, 100, 100, 180]);
        assert_eq!(parts.iter().sum::<u64>(), 1_000_003);
        assert!(parts[7] > parts[0]);
    }

    #[test]
    fn toml_strings_are_escaped() {
        let mut out = String::new();
        push_toml_string(&mut out, "a\"b\\c\nd\u{1}");
        assert_eq!(out, r#""a\"b\\c\nd\u0001""#);
        let parsed: toml::Value = match toml::from_str(&format!("x = {out}")) {
            Ok(v) => v,
            Err(err) => panic!("{err}"),
        };
        assert_eq!(
            parsed.get("x").and_then(|v| v.as_str()),
            Some("a\"b\\c\nd\u{1}")
        );
    }
}
