//! The semantic pass: from [`RawScenario`] to the checked [`Scenario`].
//!
//! Resolves every id to an index, expands asset groups in place, applies defaults, and
//! checks ranges, references, dependency weights and triggers, collecting every problem
//! as a [`Diagnostic`] placed by path (see [`super::spans`]).
//!
//! # Defaults, in one place
//! An asset field is taken from the asset (or asset group), else the sector's `asset`
//! table, else `[defaults.asset]`, else the built-in value: operator public,
//! criticality 3, people_served 100000, posture 50/50/50, resilience 0.5. Economies:
//! gdp_per_capita 10000, awareness 50, trust 70. Teams: analysts from
//! `[defaults] analysts`, else 4. Clock: tick_minutes 60. Delays without an agreement:
//! sharing 12 ticks, mutual legal assistance 48. Campaigns: stage_ticks 3, intensity 1,
//! impact [`model::default_impact`]. Objectives: weight 1.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::ops::Range;

use super::diagnostic::{Diagnostic, LineIndex};
use super::model::{self, *};
use super::raw::*;
use super::spans::{Origins, Seg, SpanIndex};
use super::suggest;

/// Built-in asset defaults, used when neither the asset, its sector nor `[defaults.asset]` says.
pub const DEFAULT_OPERATOR: Operator = Operator::Public;
pub const DEFAULT_CRITICALITY: u8 = 3;
pub const DEFAULT_PEOPLE_SERVED: u64 = 100_000;
pub const DEFAULT_POSTURE: Posture = Posture {
    patching: 50,
    monitoring: 50,
    backups: 50,
};
pub const DEFAULT_RESILIENCE: f64 = 0.5;
pub const DEFAULT_GDP_PER_CAPITA: f64 = 10_000.0;
pub const DEFAULT_AWARENESS: u8 = 50;
pub const DEFAULT_TRUST: u8 = 70;
pub const DEFAULT_ANALYSTS: u32 = 4;
pub const DEFAULT_TICK_MINUTES: u32 = 60;
pub const DEFAULT_SHARING_DELAY: u32 = 12;
pub const DEFAULT_MLA_DELAY: u32 = 48;
pub const DEFAULT_ASSISTANCE_DELAY: u32 = 12;
pub const DEFAULT_STAGE_TICKS: u32 = 3;
pub const DEFAULT_INTENSITY: u32 = 1;
pub const DEFAULT_OBJECTIVE_WEIGHT: f64 = 1.0;

/// Most assets a scenario may have after expanding groups (memory guard).
pub const MAX_ASSETS: u64 = 5_000_000;
/// Most dependency edges after expanding groups (memory guard).
pub const MAX_DEPENDENCIES: u64 = 50_000_000;
/// Most name comparisons spent on "did you mean" hints in one validation.
const SUGGESTION_BUDGET: usize = 2_000_000;
/// Tolerance on the sum of an asset's dependency weights.
const WEIGHT_EPSILON: f64 = 1e-9;

/// Where the raw scenario came from: spans and file positions, when it came from text.
pub struct Context<'a> {
    pub text: Option<&'a str>,
    pub spans: Option<&'a SpanIndex<'a>>,
    pub origins: &'a Origins,
}

/// A resolved asset-namespace name: one asset, or a group of consecutive members.
#[derive(Debug, Clone, Copy)]
enum AssetName {
    Asset(AssetIdx),
    Group { first: u32, count: u32 },
}

/// How a reference resolved.
enum Found<T> {
    Yes(T),
    /// Refers to an element that failed to deserialize: already reported.
    Broken,
    No,
}

/// The source of the next asset(s), in file order.
#[derive(Debug, Clone, Copy)]
enum AssetSource {
    Asset(usize),
    Group(usize),
}

/// Id tables of one kind: id -> index, plus ids of broken elements.
struct Ids {
    kind: &'static str,
    section: &'static str,
    index: HashMap<String, u32>,
    order: Vec<String>,
    broken: HashSet<String>,
}

impl Ids {
    fn new(kind: &'static str, section: &'static str, origins: &Origins) -> Self {
        let broken = origins
            .broken_ids
            .get(section)
            .map(|ids| ids.iter().cloned().collect())
            .unwrap_or_default();
        Self {
            kind,
            section,
            index: HashMap::new(),
            order: Vec::new(),
            broken,
        }
    }

    fn find(&self, id: &str) -> Found<u32> {
        match self.index.get(id) {
            Some(i) => Found::Yes(*i),
            None if self.broken.contains(id) => Found::Broken,
            None => Found::No,
        }
    }
}

/// The validator's working state.
struct Validator<'a> {
    raw: &'a RawScenario,
    ctx: &'a Context<'a>,
    lines: Option<LineIndex<'a>>,
    diagnostics: Vec<Diagnostic>,
    duration: u32,
    economies: Ids,
    sectors: Ids,
    actors: Ids,
    campaigns: Ids,
    injects: Ids,
    teams: Ids,
    /// Asset ids, group ids and member ids share one namespace; with where each was declared.
    asset_names: HashMap<String, (AssetName, Range<usize>)>,
    asset_order_names: Vec<String>,
    /// Names compared so far for "did you mean" hints.
    suggestion_work: usize,
    /// The asset list could not be built whole (too many assets or dependencies).
    assets_incomplete: bool,
    broken_assets: HashSet<String>,
}

/// Checks a raw scenario with no source text (spans are empty): for scenarios built in
/// code, such as generated ones. Assets come first, then the members of each group.
pub fn validate(raw: &RawScenario) -> Result<super::Checked, Vec<Diagnostic>> {
    let origins = Origins::default();
    let ctx = Context {
        text: None,
        spans: None,
        origins: &origins,
    };
    check(raw, &ctx)
}

/// Checks a raw scenario and builds the model; `Ok` only if there is no error.
pub fn check(raw: &RawScenario, ctx: &Context<'_>) -> Result<super::Checked, Vec<Diagnostic>> {
    let mut v = Validator::new(raw, ctx);
    let scenario = v.build();
    let (errors, warnings): (Vec<_>, Vec<_>) =
        v.diagnostics.into_iter().partition(Diagnostic::is_error);
    if errors.is_empty() {
        Ok(super::Checked { scenario, warnings })
    } else {
        let mut all = errors;
        all.extend(warnings);
        Err(all)
    }
}

/// A location to report at: section, raw element index, path inside it.
#[derive(Clone, Copy)]
struct At<'p> {
    section: &'static str,
    element: Option<usize>,
    path: &'p [Seg],
}

fn at<'p>(section: &'static str, element: usize, path: &'p [Seg]) -> At<'p> {
    At {
        section,
        element: Some(element),
        path,
    }
}

fn at_table<'p>(section: &'static str, path: &'p [Seg]) -> At<'p> {
    At {
        section,
        element: None,
        path,
    }
}

use Seg::{Index as I, Key as K};

impl<'a> Validator<'a> {
    fn new(raw: &'a RawScenario, ctx: &'a Context<'a>) -> Self {
        let o = ctx.origins;
        let broken_assets = ["asset", "asset_group"]
            .iter()
            .flat_map(|s| o.broken_ids.get(s).into_iter().flatten().cloned())
            .collect();
        Self {
            raw,
            ctx,
            lines: ctx.text.map(LineIndex::new),
            diagnostics: Vec::new(),
            duration: raw.scenario.duration_ticks,
            economies: Ids::new("economy", "economy", o),
            sectors: Ids::new("sector", "sector", o),
            actors: Ids::new("actor", "actor", o),
            campaigns: Ids::new("campaign", "campaign", o),
            injects: Ids::new("inject", "inject", o),
            teams: Ids::new("team", "team", o),
            asset_names: HashMap::new(),
            asset_order_names: Vec::new(),
            assets_incomplete: false,
            suggestion_work: 0,
            broken_assets,
        }
    }

    // ----- reporting -------------------------------------------------------------

    fn span(&self, at: At<'_>) -> Range<usize> {
        let element = at.element.map(|e| self.ctx.origins.position(at.section, e));
        self.ctx
            .spans
            .map_or(0..0, |s| s.span(at.section, element, at.path))
    }

    fn error(&mut self, at: At<'_>, message: impl Into<String>, hint: Option<String>) {
        let span = self.span(at);
        self.diagnostics
            .push(Diagnostic::error(span, message).with_optional_hint(hint));
    }

    fn warning(&mut self, at: At<'_>, message: impl Into<String>, hint: Option<String>) {
        let span = self.span(at);
        self.diagnostics
            .push(Diagnostic::warning(span, message).with_optional_hint(hint));
    }

    fn line_of(&self, span: &Range<usize>) -> Option<usize> {
        self.lines.as_ref().map(|l| l.line_col(span.start).0)
    }

    /// Accounts for comparing one unknown id with `candidates` names; false once the
    /// run's budget is spent (thousands of dangling ids in a huge scenario), after which
    /// errors come without "did you mean".
    fn spend_suggestion_work(&mut self, candidates: usize) -> bool {
        self.suggestion_work += candidates.min(suggest::MAX_CANDIDATES);
        self.suggestion_work <= SUGGESTION_BUDGET
    }

    // ----- range checks ----------------------------------------------------------

    fn check_score(&mut self, at: At<'_>, name: &str, value: u8) {
        if value > 100 {
            self.error(
                at,
                format!("`{name}` is {value}, out of range"),
                Some("scores run from 0 to 100".into()),
            );
        }
    }

    fn check_at_least_one(&mut self, at: At<'_>, name: &str, value: u32) {
        if value == 0 {
            self.error(at, format!("`{name}` must be at least 1"), None);
        }
    }

    fn check_unit(&mut self, at: At<'_>, name: &str, value: f64) {
        if !(0.0..=1.0).contains(&value) {
            self.error(
                at,
                format!("`{name}` is {value}, out of range"),
                Some("write a level from 0 to 1".into()),
            );
        }
    }

    fn check_open_unit(&mut self, at: At<'_>, name: &str, value: f64) {
        if !(value > 0.0 && value <= 1.0) {
            self.error(
                at,
                format!("`{name}` is {value}, out of range"),
                Some("it must be greater than 0 and at most 1".into()),
            );
        }
    }

    fn check_tick(&mut self, at: At<'_>, name: &str, tick: u32) {
        if tick > self.duration {
            let duration = self.duration;
            self.error(
                at,
                format!("`{name}` is tick {tick}, after the end of the exercise (tick {duration})"),
                Some(format!(
                    "use a tick from 0 to {duration}, or raise `duration_ticks` in [scenario]"
                )),
            );
        }
    }

    fn check_asset_defaults(
        &mut self,
        section: &'static str,
        element: Option<usize>,
        prefix: &[Seg],
        d: &RawAssetDefaults,
    ) {
        let path = |s: Seg| [prefix, &[s]].concat();
        if let Some(c) = d.criticality {
            let p = path(K("criticality"));
            self.check_criticality(
                At {
                    section,
                    element,
                    path: &p,
                },
                c,
            );
        }
        if let Some(posture) = d.posture {
            let p = path(K("posture"));
            self.check_posture(
                At {
                    section,
                    element,
                    path: &p,
                },
                posture,
            );
        }
        if let Some(r) = d.resilience {
            let p = path(K("resilience"));
            self.check_open_unit(
                At {
                    section,
                    element,
                    path: &p,
                },
                "resilience",
                r,
            );
        }
    }

    fn check_criticality(&mut self, at: At<'_>, value: u8) {
        if !(1..=5).contains(&value) {
            self.error(
                at,
                format!("`criticality` is {value}, out of range"),
                Some("criticality runs from 1 (minor) to 5 (vital)".into()),
            );
        }
    }

    fn check_posture(&mut self, at: At<'_>, posture: RawPosture) {
        for (name, value) in [
            ("patching", posture.patching),
            ("monitoring", posture.monitoring),
            ("backups", posture.backups),
        ] {
            let mut path = at.path.to_vec();
            path.push(K(name));
            self.check_score(At { path: &path, ..at }, name, value);
        }
    }

    // ----- ids -------------------------------------------------------------------

    /// Registers the ids of one kind, reporting duplicates.
    fn register<'r>(
        &mut self,
        which: fn(&mut Self) -> &mut Ids,
        ids: impl Iterator<Item = &'r str>,
    ) {
        for (i, id) in ids.enumerate() {
            let table = which(self);
            let (kind, section) = (table.kind, table.section);
            if let Some(first) = table.index.get(id).copied() {
                let first_span = self.span(at(section, first as usize, &[K("id")]));
                let hint = self
                    .line_of(&first_span)
                    .map(|l| format!("the first `{id}` is on line {l}; ids must be unique"));
                self.error(
                    at(section, i, &[K("id")]),
                    format!("duplicate {kind} id `{id}`"),
                    hint,
                );
            } else {
                let table = which(self);
                table.index.insert(id.to_owned(), i as u32);
                table.order.push(id.to_owned());
            }
        }
    }

    /// Resolves a reference, reporting a dangling one with a suggestion.
    fn resolve(&mut self, which: fn(&Self) -> &Ids, id: &str, at: At<'_>) -> Option<u32> {
        let table = which(self);
        match table.find(id) {
            Found::Yes(i) => Some(i),
            Found::Broken => None,
            Found::No => {
                let kind = table.kind;
                let candidates = table.order.len();
                let hint = if self.spend_suggestion_work(candidates) {
                    let table = which(self);
                    suggest::did_you_mean(id, table.order.iter().map(String::as_str), kind)
                } else {
                    None
                };
                self.error(at, format!("unknown {kind} `{id}`"), hint);
                None
            }
        }
    }

    fn economy(&mut self, id: &str, at: At<'_>) -> Option<EconomyIdx> {
        self.resolve(|v| &v.economies, id, at).map(EconomyIdx)
    }

    fn sector(&mut self, id: &str, at: At<'_>) -> Option<SectorIdx> {
        self.resolve(|v| &v.sectors, id, at).map(SectorIdx)
    }

    fn campaign(&mut self, id: &str, at: At<'_>) -> Option<CampaignIdx> {
        self.resolve(|v| &v.campaigns, id, at).map(CampaignIdx)
    }

    fn inject(&mut self, id: &str, at: At<'_>) -> Option<InjectIdx> {
        self.resolve(|v| &v.injects, id, at).map(InjectIdx)
    }

    fn team(&mut self, id: &str, at: At<'_>) -> Option<TeamIdx> {
        self.resolve(|v| &v.teams, id, at).map(TeamIdx)
    }

    /// An optional reference: absent is fine, present must resolve (`Err` once reported).
    fn optional<'p, T>(
        &mut self,
        id: &Option<String>,
        at: At<'p>,
        resolve: fn(&mut Self, &str, At<'p>) -> Option<T>,
    ) -> Result<Option<T>, ()> {
        match id {
            None => Ok(None),
            Some(id) => resolve(self, id, at).map(Some).ok_or(()),
        }
    }

    fn optional_economy(
        &mut self,
        id: &Option<String>,
        at: At<'_>,
    ) -> Result<Option<EconomyIdx>, ()> {
        self.optional(id, at, Self::economy)
    }

    fn optional_sector(
        &mut self,
        id: &Option<String>,
        at: At<'_>,
    ) -> Result<Option<SectorIdx>, ()> {
        self.optional(id, at, Self::sector)
    }

    fn optional_campaign(
        &mut self,
        id: &Option<String>,
        at: At<'_>,
    ) -> Result<Option<CampaignIdx>, ()> {
        self.optional(id, at, Self::campaign)
    }

    /// Resolves an asset or group name.
    fn asset_name(&mut self, id: &str, at: At<'_>) -> Option<AssetName> {
        if let Some((name, _)) = self.asset_names.get(id) {
            return Some(*name);
        }
        if self.broken_assets.contains(id) {
            return None;
        }
        let hint = if self.spend_suggestion_work(self.asset_order_names.len()) {
            suggest::did_you_mean(
                id,
                self.asset_order_names.iter().map(String::as_str),
                "asset",
            )
        } else {
            None
        };
        self.error(at, format!("unknown asset or asset group `{id}`"), hint);
        None
    }

    // ----- the pass --------------------------------------------------------------

    fn build(&mut self) -> Scenario {
        let raw = self.raw;
        self.register(
            |v| &mut v.economies,
            raw.economies.iter().map(|e| e.id.as_str()),
        );
        self.register(
            |v| &mut v.sectors,
            raw.sectors.iter().map(|e| e.id.as_str()),
        );
        self.register(|v| &mut v.actors, raw.actors.iter().map(|e| e.id.as_str()));
        self.register(
            |v| &mut v.campaigns,
            raw.campaigns.iter().map(|e| e.id.as_str()),
        );
        self.register(
            |v| &mut v.injects,
            raw.injects.iter().map(|e| e.id.as_str()),
        );
        self.register(|v| &mut v.teams, raw.teams.iter().map(|e| e.id.as_str()));
        let order = self.asset_order();
        let asset_count = self.register_assets(&order);

        let meta = self.meta();
        let economies = self.economies_model();
        let sectors = self.sectors_model();
        let assets = if asset_count <= MAX_ASSETS {
            self.assets_model(&order)
        } else {
            self.assets_incomplete = true;
            Vec::new()
        };
        let actors = self.actors_model();
        let campaigns = self.campaigns_model(&assets);
        let teams = self.teams_model();
        let injects = self.injects_model();
        self.check_after_cycles(&injects);
        self.warn_injects_fired_too_late(&injects);
        self.warn_unstartable_campaigns(&campaigns, &injects);
        let agreements = self.agreements_model();
        let objectives = self.objectives_model(&teams);
        Scenario {
            meta,
            economies,
            sectors,
            assets,
            actors,
            campaigns,
            injects,
            teams,
            agreements,
            objectives,
        }
    }

    fn meta(&mut self) -> Meta {
        let m = &self.raw.scenario;
        let d = &self.raw.defaults;
        if self.ctx.origins.meta_broken {
            // `[scenario]` was missing or malformed and is already reported; check the rest.
            return self.meta_model();
        }
        let tick_minutes = m.tick_minutes.unwrap_or(DEFAULT_TICK_MINUTES);
        self.check_at_least_one(
            at_table("scenario", &[K("tick_minutes")]),
            "tick_minutes",
            tick_minutes,
        );
        self.check_at_least_one(
            at_table("scenario", &[K("duration_ticks")]),
            "duration_ticks",
            m.duration_ticks,
        );
        if m.id.trim().is_empty() {
            self.error(
                at_table("scenario", &[K("id")]),
                "`id` is empty",
                Some("give a short machine id such as `apec-regional`".into()),
            );
        }
        if let Some(a) = d.analysts {
            self.check_at_least_one(at_table("defaults", &[K("analysts")]), "analysts", a);
        }
        let asset_defaults = d.asset.clone();
        self.check_asset_defaults("defaults", None, &[K("asset")], &asset_defaults);
        self.meta_model()
    }

    /// `[scenario]` and `[defaults]` with their defaults applied.
    fn meta_model(&self) -> Meta {
        let m = &self.raw.scenario;
        let d = &self.raw.defaults;
        Meta {
            id: m.id.clone(),
            title: m.title.clone(),
            briefing: m.briefing.clone(),
            tick_minutes: m.tick_minutes.unwrap_or(DEFAULT_TICK_MINUTES),
            duration_ticks: m.duration_ticks,
            start_label: m.start_label.clone(),
            sharing_delay_without_agreement: d
                .sharing_delay_without_agreement
                .unwrap_or(DEFAULT_SHARING_DELAY),
            mla_delay_without_agreement: d.mla_delay_without_agreement.unwrap_or(DEFAULT_MLA_DELAY),
            assistance_delay_without_agreement: d
                .assistance_delay_without_agreement
                .unwrap_or(DEFAULT_ASSISTANCE_DELAY),
        }
    }

    fn economies_model(&mut self) -> Vec<Economy> {
        let raw = self.raw;
        raw.economies
            .iter()
            .enumerate()
            .map(|(i, e)| {
                let r = e.readiness;
                for (name, value) in [
                    ("legal", r.legal),
                    ("technical", r.technical),
                    ("organizational", r.organizational),
                    ("capacity", r.capacity),
                    ("cooperation", r.cooperation),
                ] {
                    self.check_score(at("economy", i, &[K("readiness"), K(name)]), name, value);
                }
                if e.population == 0 {
                    self.error(
                        at("economy", i, &[K("population")]),
                        "`population` must be at least 1",
                        None,
                    );
                }
                let gdp = e.gdp_per_capita.unwrap_or(DEFAULT_GDP_PER_CAPITA);
                if !(gdp.is_finite() && gdp > 0.0) {
                    self.error(
                        at("economy", i, &[K("gdp_per_capita")]),
                        format!("`gdp_per_capita` is {gdp}, out of range"),
                        Some("give yearly GDP per inhabitant in US dollars, more than 0".into()),
                    );
                }
                let awareness = e.awareness.unwrap_or(DEFAULT_AWARENESS);
                self.check_score(at("economy", i, &[K("awareness")]), "awareness", awareness);
                let trust = e.trust.unwrap_or(DEFAULT_TRUST);
                self.check_score(at("economy", i, &[K("trust")]), "trust", trust);
                Economy {
                    id: e.id.clone(),
                    name: e.name.clone(),
                    population: e.population,
                    gdp_per_capita: gdp,
                    readiness: Readiness {
                        legal: r.legal,
                        technical: r.technical,
                        organizational: r.organizational,
                        capacity: r.capacity,
                        cooperation: r.cooperation,
                    },
                    awareness,
                    trust,
                }
            })
            .collect()
    }

    fn sectors_model(&mut self) -> Vec<Sector> {
        let raw = self.raw;
        raw.sectors
            .iter()
            .enumerate()
            .map(|(i, s)| {
                self.check_asset_defaults("sector", Some(i), &[K("asset")], &s.asset);
                Sector {
                    id: s.id.clone(),
                    name: s.name.clone(),
                }
            })
            .collect()
    }

    /// `[[asset]]` and `[[asset_group]]` entries in file order (assets first without text).
    fn asset_order(&self) -> Vec<AssetSource> {
        let o = self.ctx.origins;
        let mut order: Vec<(usize, AssetSource)> = Vec::new();
        for i in 0..self.raw.assets.len() {
            let key = o.asset_starts.get(i).copied().unwrap_or(i);
            order.push((key, AssetSource::Asset(i)));
        }
        let offset = if o.group_starts.is_empty() {
            self.raw.assets.len()
        } else {
            0
        };
        for j in 0..self.raw.asset_groups.len() {
            let key = o.group_starts.get(j).copied().unwrap_or(offset + j);
            order.push((key, AssetSource::Group(j)));
        }
        order.sort_by_key(|(key, _)| *key);
        order.into_iter().map(|(_, s)| s).collect()
    }

    /// Gives every asset, group and member its name and index; returns the asset count.
    fn register_assets(&mut self, order: &[AssetSource]) -> u64 {
        let raw = self.raw;
        let mut next: u64 = 0;
        for source in order {
            match *source {
                AssetSource::Asset(i) => {
                    let id = raw.assets[i].id.as_str();
                    let at = at("asset", i, &[K("id")]);
                    if self.claim_asset_name(id, AssetName::Asset(AssetIdx(next as u32)), at) {
                        self.asset_order_names.push(id.to_owned());
                    }
                    next += 1;
                }
                AssetSource::Group(j) => {
                    let g = &raw.asset_groups[j];
                    let id_at = at("asset_group", j, &[K("id")]);
                    if g.count == 0 {
                        self.error(
                            at("asset_group", j, &[K("count")]),
                            "`count` must be at least 1",
                            None,
                        );
                        continue;
                    }
                    if next + u64::from(g.count) > MAX_ASSETS {
                        self.error(
                            at("asset_group", j, &[K("count")]),
                            format!("this group takes the scenario past {MAX_ASSETS} assets"),
                            Some("lower `count`; the engine loads at most this many assets".into()),
                        );
                        return MAX_ASSETS + 1;
                    }
                    let group = AssetName::Group {
                        first: next as u32,
                        count: g.count,
                    };
                    if self.claim_asset_name(&g.id, group, id_at) {
                        self.asset_order_names.push(g.id.clone());
                    }
                    let id_span = self.span(id_at);
                    for n in 1..=g.count {
                        let member = member_id(&g.id, n);
                        let idx = AssetIdx((next + u64::from(n) - 1) as u32);
                        self.claim_member_name(
                            &g.id,
                            &member,
                            AssetName::Asset(idx),
                            id_at,
                            &id_span,
                        );
                    }
                    next += u64::from(g.count);
                }
            }
        }
        next
    }

    /// Like [`Self::claim_asset_name`], for a group member, whose id is not written out;
    /// `span` is the group's id.
    fn claim_member_name(
        &mut self,
        group: &str,
        id: &str,
        name: AssetName,
        at: At<'_>,
        span: &Range<usize>,
    ) {
        if let Some((_, first)) = self.asset_names.get(id) {
            let hint = self.line_of(first).map(|l| {
                format!("`{id}` is already declared on line {l}; members of group `{group}` are named `{group}-1`, `{group}-2`, ...; rename the group or the asset")
            });
            self.error(
                at,
                format!("member `{id}` of group `{group}` has the id of another asset"),
                hint,
            );
            return;
        }
        self.asset_names.insert(id.to_owned(), (name, span.clone()));
    }

    fn claim_asset_name(&mut self, id: &str, name: AssetName, at: At<'_>) -> bool {
        if let Some((_, first)) = self.asset_names.get(id) {
            let hint = self.line_of(first).map(|l| {
                format!("`{id}` is already declared on line {l}; asset, group and group-member ids share one namespace")
            });
            self.error(at, format!("duplicate asset id `{id}`"), hint);
            return false;
        }
        let span = self.span(at);
        self.asset_names.insert(id.to_owned(), (name, span));
        true
    }

    fn assets_model(&mut self, order: &[AssetSource]) -> Vec<Asset> {
        let raw = self.raw;
        let mut assets = Vec::new();
        let mut edges: u64 = 0;
        for source in order {
            match *source {
                AssetSource::Asset(i) => {
                    let a = &raw.assets[i];
                    let fields = AssetFields::of_asset(a);
                    let index = AssetIdx(assets.len() as u32);
                    let Some(base) = self.asset_base("asset", i, &fields) else {
                        assets.push(placeholder(a.id.clone()));
                        continue;
                    };
                    let deps = self.dependencies("asset", i, &a.depends_on, index, None);
                    edges += deps.len() as u64;
                    assets.push(Asset {
                        id: a.id.clone(),
                        name: a.name.clone(),
                        depends_on: deps,
                        ..base
                    });
                }
                AssetSource::Group(j) => {
                    let g = &raw.asset_groups[j];
                    if g.count == 0 {
                        continue;
                    }
                    let first = assets.len() as u32;
                    let fields = AssetFields::of_group(g);
                    let base = self.asset_base("asset_group", j, &fields);
                    let group = (first, g.count);
                    let deps = self.dependencies(
                        "asset_group",
                        j,
                        &g.depends_on,
                        AssetIdx(first),
                        Some(group),
                    );
                    edges += deps.len() as u64 * u64::from(g.count);
                    if edges > MAX_DEPENDENCIES {
                        self.error(
                            at("asset_group", j, &[K("depends_on")]),
                            format!("the scenario has more than {MAX_DEPENDENCIES} dependencies after expanding groups"),
                            Some("depend on fewer or smaller groups".into()),
                        );
                        self.assets_incomplete = true;
                        return assets;
                    }
                    for n in 1..=g.count {
                        let id = member_id(&g.id, n);
                        match &base {
                            Some(base) => assets.push(Asset {
                                id,
                                name: g.name.replace("{n}", &n.to_string()),
                                depends_on: deps.clone(),
                                ..base.clone()
                            }),
                            None => assets.push(placeholder(id)),
                        }
                    }
                }
            }
        }
        assets
    }

    /// Economy, sector and defaulted fields of an asset or group (no dependencies yet).
    fn asset_base(
        &mut self,
        section: &'static str,
        i: usize,
        f: &AssetFields<'_>,
    ) -> Option<Asset> {
        let economy = self.economy(f.economy, at(section, i, &[K("economy")]));
        let sector = self.sector(f.sector, at(section, i, &[K("sector")]));
        let own = RawAssetDefaults {
            operator: f.operator,
            criticality: f.criticality,
            people_served: f.people_served,
            posture: f.posture,
            resilience: f.resilience,
        };
        self.check_asset_defaults(section, Some(i), &[], &own);
        let sector_defaults = sector.map(|s| &self.raw.sectors[s.index()].asset);
        let global = &self.raw.defaults.asset;
        let pick = |field: fn(&RawAssetDefaults) -> Option<_>| -> Option<_> {
            field(&own)
                .or_else(|| sector_defaults.and_then(field))
                .or_else(|| field(global))
        };
        let operator = pick(|d| d.operator.map(Pick::Operator));
        let criticality = pick(|d| d.criticality.map(Pick::Number));
        let people = pick(|d| d.people_served.map(Pick::Big));
        let posture = pick(|d| d.posture.map(Pick::Posture));
        let resilience = pick(|d| d.resilience.map(Pick::Float));
        Some(Asset {
            id: String::new(),
            name: String::new(),
            economy: economy?,
            sector: sector?,
            operator: match operator {
                Some(Pick::Operator(o)) => o,
                _ => DEFAULT_OPERATOR,
            },
            criticality: match criticality {
                Some(Pick::Number(c)) => c,
                _ => DEFAULT_CRITICALITY,
            },
            people_served: match people {
                Some(Pick::Big(p)) => p,
                _ => DEFAULT_PEOPLE_SERVED,
            },
            posture: match posture {
                Some(Pick::Posture(p)) => Posture {
                    patching: p.patching,
                    monitoring: p.monitoring,
                    backups: p.backups,
                },
                _ => DEFAULT_POSTURE,
            },
            resilience: match resilience {
                Some(Pick::Float(r)) => r,
                _ => DEFAULT_RESILIENCE,
            },
            depends_on: Vec::new(),
        })
    }

    /// Resolves dependencies: groups split their weight evenly, the list is sorted by
    /// target and merged, the weights checked.
    fn dependencies(
        &mut self,
        section: &'static str,
        i: usize,
        raw: &[RawDependency],
        owner: AssetIdx,
        own_group: Option<(u32, u32)>,
    ) -> Vec<Dependency> {
        let mut out: Vec<Dependency> = Vec::new();
        let mut sum = 0.0;
        for (d, dep) in raw.iter().enumerate() {
            let weight_path = [K("depends_on"), I(d), K("weight")];
            let on_path = [K("depends_on"), I(d), K("on")];
            if !(dep.weight.is_finite() && dep.weight > 0.0 && dep.weight <= 1.0) {
                self.error(
                    at(section, i, &weight_path),
                    format!("dependency weight {} is out of range", dep.weight),
                    Some("a weight is the share of service lost when the target fails: more than 0, at most 1".into()),
                );
                continue;
            }
            sum += dep.weight;
            let kind = dep.kind.unwrap_or_default();
            let Some(target) = self.asset_name(&dep.on, at(section, i, &on_path)) else {
                continue;
            };
            match target {
                AssetName::Asset(on) => {
                    let is_self = match own_group {
                        None => on == owner,
                        Some((first, count)) => (first..first + count).contains(&on.0),
                    };
                    if is_self {
                        self.error(
                            at(section, i, &on_path),
                            format!("`{}` depends on itself", dep.on),
                            Some(
                                "remove this dependency; an asset cannot need its own service"
                                    .into(),
                            ),
                        );
                        continue;
                    }
                    out.push(Dependency {
                        on,
                        weight: dep.weight,
                        kind,
                    });
                }
                AssetName::Group { first, count } => {
                    if own_group.is_some_and(|(f, _)| f == first) {
                        self.error(
                            at(section, i, &on_path),
                            format!("group `{}` depends on itself", dep.on),
                            Some("remove this dependency; members of a group cannot depend on their own group".into()),
                        );
                        continue;
                    }
                    if own_group.is_none() && (first..first + count).contains(&owner.0) {
                        self.error(
                            at(section, i, &on_path),
                            format!("`{}` contains this asset", dep.on),
                            None,
                        );
                        continue;
                    }
                    let share = dep.weight / f64::from(count);
                    out.extend((first..first + count).map(|m| Dependency {
                        on: AssetIdx(m),
                        weight: share,
                        kind,
                    }));
                }
            }
        }
        if sum > 1.0 + WEIGHT_EPSILON {
            self.error(
                at(section, i, &[K("depends_on")]),
                format!("dependency weights add up to {}, more than 1", round_for_display(sum)),
                Some("the weights are shares of this asset's service; scale them so they sum to at most 1".into()),
            );
        }
        merge_dependencies(out)
    }

    fn actors_model(&mut self) -> Vec<Actor> {
        let raw = self.raw;
        raw.actors
            .iter()
            .enumerate()
            .map(|(i, a)| {
                self.check_score(
                    at("actor", i, &[K("capability")]),
                    "capability",
                    a.capability,
                );
                Actor {
                    id: a.id.clone(),
                    name: a.name.clone(),
                    kind: a.kind,
                    capability: a.capability,
                }
            })
            .collect()
    }

    fn campaigns_model(&mut self, assets: &[Asset]) -> Vec<Campaign> {
        let raw = self.raw;
        let mut out = Vec::new();
        for (i, c) in raw.campaigns.iter().enumerate() {
            let actor = self.resolve(|v| &v.actors, &c.actor, at("campaign", i, &[K("actor")]));
            let targets = self.targets(i, &c.targets, assets);
            if let Some(start) = c.start {
                self.check_tick(at("campaign", i, &[K("start")]), "start", start);
            }
            let stage_ticks = c.stage_ticks.unwrap_or(DEFAULT_STAGE_TICKS);
            self.check_at_least_one(
                at("campaign", i, &[K("stage_ticks")]),
                "stage_ticks",
                stage_ticks,
            );
            let intensity = c.intensity.unwrap_or(DEFAULT_INTENSITY);
            self.check_at_least_one(at("campaign", i, &[K("intensity")]), "intensity", intensity);
            let impact = c.impact.unwrap_or_else(|| model::default_impact(c.kind));
            self.check_unit(at("campaign", i, &[K("impact")]), "impact", impact);
            if let Some(d) = c.duration {
                self.check_at_least_one(at("campaign", i, &[K("duration")]), "duration", d);
            }
            out.push(Campaign {
                id: c.id.clone(),
                name: c.name.clone(),
                actor: ActorIdx(actor.unwrap_or(0)),
                kind: c.kind,
                targets,
                start: c.start,
                stage_ticks,
                intensity,
                impact,
                duration: c.duration,
            });
        }
        out
    }

    /// Resolves a campaign's targets (see [`RawTargets`]): listed assets (a group means all
    /// its members), plus every asset matching the economy and sector filters. When only
    /// assets are listed, the filters add nothing; when nothing is listed, every asset is a
    /// target.
    fn targets(&mut self, i: usize, t: &RawTargets, assets: &[Asset]) -> Vec<AssetIdx> {
        let mut economies = Vec::new();
        let mut unresolved = false;
        for (k, e) in t.economies.iter().enumerate() {
            match self.economy(e, at("campaign", i, &[K("targets"), K("economies"), I(k)])) {
                Some(e) => economies.push(e),
                None => unresolved = true,
            }
        }
        let mut sectors = Vec::new();
        for (k, s) in t.sectors.iter().enumerate() {
            match self.sector(s, at("campaign", i, &[K("targets"), K("sectors"), I(k)])) {
                Some(s) => sectors.push(s),
                None => unresolved = true,
            }
        }
        let mut targets = Vec::new();
        for (k, a) in t.assets.iter().enumerate() {
            match self.asset_name(a, at("campaign", i, &[K("targets"), K("assets"), I(k)])) {
                Some(AssetName::Asset(idx)) => targets.push(idx),
                Some(AssetName::Group { first, count }) => {
                    targets.extend((first..first + count).map(AssetIdx))
                }
                None => unresolved = true,
            }
        }
        let filtered = !t.economies.is_empty() || !t.sectors.is_empty() || t.assets.is_empty();
        if filtered {
            targets.extend(
                assets
                    .iter()
                    .enumerate()
                    .filter(|(_, a)| {
                        (economies.is_empty() || economies.contains(&a.economy))
                            && (sectors.is_empty() || sectors.contains(&a.sector))
                    })
                    .map(|(n, _)| AssetIdx(n as u32)),
            );
        }
        targets.sort_unstable();
        targets.dedup();
        if targets.is_empty() && !unresolved && !self.assets_incomplete {
            self.error(
                at("campaign", i, &[K("targets")]),
                "the campaign's targets match no asset",
                Some("no asset lies in one of these economies and one of these sectors; widen `economies` or `sectors`, or list `assets`".into()),
            );
        }
        targets
    }

    fn teams_model(&mut self) -> Vec<Team> {
        let raw = self.raw;
        let default_analysts = raw.defaults.analysts.unwrap_or(DEFAULT_ANALYSTS);
        let mut out = Vec::new();
        for (i, t) in raw.teams.iter().enumerate() {
            let economy = self.economy(&t.economy, at("team", i, &[K("economy")]));
            if let Some(a) = t.analysts {
                self.check_at_least_one(at("team", i, &[K("analysts")]), "analysts", a);
            }
            let mut sectors = Vec::new();
            for (k, s) in t.sectors.iter().enumerate() {
                if let Some(s) = self.sector(s, at("team", i, &[K("sectors"), I(k)])) {
                    sectors.push(s);
                }
            }
            if !t.sectors.is_empty() && matches!(t.role, Role::Csirt | Role::LawEnforcement) {
                self.warning(
                    at("team", i, &[K("sectors")]),
                    "`sectors` has no effect on this role",
                    Some("only regulators and operators answer for particular sectors".into()),
                );
            }
            sectors.sort_unstable();
            sectors.dedup();
            out.push(Team {
                id: t.id.clone(),
                name: t.name.clone(),
                role: t.role,
                economy: economy.unwrap_or(EconomyIdx(0)),
                analysts: t.analysts.unwrap_or(default_analysts),
                sectors,
            });
        }
        out
    }

    fn injects_model(&mut self) -> Vec<Inject> {
        let raw = self.raw;
        let mut out = Vec::new();
        for (i, inj) in raw.injects.iter().enumerate() {
            let trigger = self.trigger(i, inj);
            let audience = self.audience(i, &inj.to);
            let effects = self.effects(i, &inj.effects);
            out.push(Inject {
                id: inj.id.clone(),
                headline: inj.headline.clone(),
                text: inj.text.clone(),
                trigger,
                audience,
                effects,
            });
        }
        out
    }

    fn trigger(&mut self, i: usize, inj: &RawInject) -> Trigger {
        let given: Vec<&'static str> = [
            ("at", inj.at.is_some()),
            ("when", inj.when.is_some()),
            ("after", inj.after.is_some()),
        ]
        .into_iter()
        .filter(|(_, present)| *present)
        .map(|(name, _)| name)
        .collect();
        if given.len() > 1 {
            let second = given[1];
            self.error(
                at("inject", i, &[K(second)]),
                format!("inject has both `{}` and `{second}`", given[0]),
                Some("give at most one of `at`, `when` and `after`; split it into two injects if both are needed".into()),
            );
            return Trigger::Manual;
        }
        if let Some(tick) = inj.at {
            self.check_tick(at("inject", i, &[K("at")]), "at", tick);
            return Trigger::At(tick);
        }
        if let Some(when) = &inj.when {
            let mut path = vec![K("when")];
            let condition = self.condition(i, when, &mut path);
            if let Some(reason) = condition
                .as_ref()
                .and_then(|c| never_holds(c, self.duration))
            {
                self.error(
                    at("inject", i, &[K("when")]),
                    "this condition can never hold, so the inject never fires",
                    Some(reason),
                );
            }
            return condition.map_or(Trigger::Manual, Trigger::When);
        }
        if let Some(after) = &inj.after {
            let target = self.inject(&after.inject, at("inject", i, &[K("after"), K("inject")]));
            if target == Some(InjectIdx(i as u32)) {
                self.error(
                    at("inject", i, &[K("after"), K("inject")]),
                    "inject fires after itself",
                    Some("`after` must name another inject".into()),
                );
                return Trigger::Manual;
            }
            return target.map_or(Trigger::Manual, |inject| Trigger::After {
                inject,
                delay: after.delay,
            });
        }
        Trigger::Manual
    }

    /// Converts a condition, resolving references; `None` when something did not resolve.
    fn condition(&mut self, i: usize, c: &RawCondition, path: &mut Vec<Seg>) -> Option<Condition> {
        let here = |p: &Vec<Seg>, k: &'static str| {
            let mut p = p.clone();
            p.push(K(k));
            p
        };
        match c {
            RawCondition::TickAtLeast(t) => Some(Condition::TickAtLeast(*t)),
            RawCondition::ServiceBelow(s) => {
                let p = here(path, "service_below");
                let level_path = [p.as_slice(), &[K("level")]].concat();
                self.check_unit(at("inject", i, &level_path), "level", s.level);
                if let Some(asset) = &s.asset {
                    if s.economy.is_some() || s.sector.is_some() {
                        self.error(
                            at("inject", i, &p),
                            "`asset` cannot be combined with `economy` or `sector`",
                            Some("name one asset, or filter by economy and/or sector".into()),
                        );
                        return None;
                    }
                    let ap = [p.as_slice(), &[K("asset")]].concat();
                    match self.asset_name(asset, at("inject", i, &ap))? {
                        AssetName::Asset(a) => Some(Condition::ServiceBelow {
                            scope: ServiceScope::Asset(a),
                            level: s.level,
                        }),
                        AssetName::Group { .. } => {
                            self.error(
                                at("inject", i, &ap),
                                format!("`{asset}` is a group; `asset` needs one asset"),
                                Some(format!("name one member such as `{}`", member_id(asset, 1))),
                            );
                            None
                        }
                    }
                } else {
                    let economy = self
                        .optional_economy(
                            &s.economy,
                            at("inject", i, &[p.as_slice(), &[K("economy")]].concat()),
                        )
                        .ok()?;
                    let sector = self
                        .optional_sector(
                            &s.sector,
                            at("inject", i, &[p.as_slice(), &[K("sector")]].concat()),
                        )
                        .ok()?;
                    Some(Condition::ServiceBelow {
                        scope: ServiceScope::Mean { economy, sector },
                        level: s.level,
                    })
                }
            }
            RawCondition::TrustBelow(t) => {
                let p = here(path, "trust_below");
                if !(0.0..=100.0).contains(&t.value) {
                    self.error(
                        at("inject", i, &[p.as_slice(), &[K("value")]].concat()),
                        format!("trust value {} is out of range", t.value),
                        Some("trust runs from 0 to 100".into()),
                    );
                }
                let economy = self.economy(
                    &t.economy,
                    at("inject", i, &[p.as_slice(), &[K("economy")]].concat()),
                )?;
                Some(Condition::TrustBelow {
                    economy,
                    value: t.value,
                })
            }
            RawCondition::LossAbove(l) => {
                let p = here(path, "loss_above");
                if !l.value.is_finite() {
                    self.error(
                        at("inject", i, &[p.as_slice(), &[K("value")]].concat()),
                        "loss value must be a finite number",
                        None,
                    );
                }
                let economy = self
                    .optional_economy(
                        &l.economy,
                        at("inject", i, &[p.as_slice(), &[K("economy")]].concat()),
                    )
                    .ok()?;
                Some(Condition::LossAbove {
                    economy,
                    value: l.value,
                })
            }
            RawCondition::Incidents(n) => {
                let p = here(path, "incidents");
                let campaign = self
                    .optional_campaign(
                        &n.campaign,
                        at("inject", i, &[p.as_slice(), &[K("campaign")]].concat()),
                    )
                    .ok()?;
                let economy = self
                    .optional_economy(
                        &n.economy,
                        at("inject", i, &[p.as_slice(), &[K("economy")]].concat()),
                    )
                    .ok()?;
                Some(Condition::Incidents {
                    campaign,
                    economy,
                    count: n.count,
                })
            }
            RawCondition::Detected(c) => {
                let p = here(path, "detected");
                self.campaign(c, at("inject", i, &p))
                    .map(Condition::Detected)
            }
            RawCondition::InjectFired(id) => {
                let p = here(path, "inject_fired");
                self.inject(id, at("inject", i, &p))
                    .map(Condition::InjectFired)
            }
            RawCondition::All(list) | RawCondition::Any(list) => {
                let key = if matches!(c, RawCondition::All(_)) {
                    "all"
                } else {
                    "any"
                };
                if list.is_empty() {
                    self.error(
                        at("inject", i, &here(path, key)),
                        format!("`{key}` has no conditions"),
                        Some("list at least one condition".into()),
                    );
                    return None;
                }
                let mut converted = Vec::new();
                let mut ok = true;
                for (n, inner) in list.iter().enumerate() {
                    path.push(K(key));
                    path.push(I(n));
                    match self.condition(i, inner, path) {
                        Some(c) => converted.push(c),
                        None => ok = false,
                    }
                    path.truncate(path.len() - 2);
                }
                if !ok {
                    return None;
                }
                Some(if key == "all" {
                    Condition::All(converted)
                } else {
                    Condition::Any(converted)
                })
            }
            RawCondition::Not(inner) => {
                path.push(K("not"));
                let converted = self.condition(i, inner, path);
                path.pop();
                converted.map(|c| Condition::Not(Box::new(c)))
            }
        }
    }

    fn audience(&mut self, i: usize, to: &[String]) -> Audience {
        if to.is_empty() {
            return Audience::Facilitator;
        }
        if to.iter().any(|t| t == "all") {
            if to.len() > 1 {
                self.warning(
                    at("inject", i, &[K("to")]),
                    "`to` lists \"all\" and particular teams",
                    Some("\"all\" already includes every team; remove the others".into()),
                );
            }
            return Audience::All;
        }
        let mut teams = Vec::new();
        for (k, t) in to.iter().enumerate() {
            if let Some(t) = self.team(t, at("inject", i, &[K("to"), I(k)])) {
                teams.push(t);
            }
        }
        teams.sort_unstable();
        teams.dedup();
        Audience::Teams(teams)
    }

    fn effects(&mut self, i: usize, effects: &[RawEffect]) -> Vec<Effect> {
        let mut out = Vec::new();
        for (k, e) in effects.iter().enumerate() {
            let base = [K("effects"), I(k)];
            let field = |name: &'static str| [base[0], base[1], K(name)];
            let converted = match e {
                RawEffect::StartCampaign(c) => self
                    .campaign(c, at("inject", i, &field("start_campaign")))
                    .map(Effect::StartCampaign),
                RawEffect::StopCampaign(c) => self
                    .campaign(c, at("inject", i, &field("stop_campaign")))
                    .map(Effect::StopCampaign),
                RawEffect::DamageAsset { asset, amount } => {
                    let p = [base[0], base[1], K("damage_asset"), K("amount")];
                    self.check_unit(at("inject", i, &p), "amount", *amount);
                    let ap = [base[0], base[1], K("damage_asset"), K("asset")];
                    match self.asset_name(asset, at("inject", i, &ap)) {
                        Some(AssetName::Asset(a)) => Some(Effect::DamageAsset {
                            asset: a,
                            amount: *amount,
                        }),
                        Some(AssetName::Group { .. }) => {
                            self.error(
                                at("inject", i, &ap),
                                format!("`{asset}` is a group; `damage_asset` needs one asset"),
                                Some(format!("name one member such as `{}`", member_id(asset, 1))),
                            );
                            None
                        }
                        None => None,
                    }
                }
                RawEffect::AdjustTrust { economy, delta } => {
                    if !delta.is_finite() {
                        self.error(
                            at(
                                "inject",
                                i,
                                &[base[0], base[1], K("adjust_trust"), K("delta")],
                            ),
                            "`delta` must be a finite number",
                            None,
                        );
                    }
                    self.economy(
                        economy,
                        at(
                            "inject",
                            i,
                            &[base[0], base[1], K("adjust_trust"), K("economy")],
                        ),
                    )
                    .map(|economy| Effect::AdjustTrust {
                        economy,
                        delta: *delta,
                    })
                }
                RawEffect::SetAwareness { economy, value } => {
                    self.check_score(
                        at(
                            "inject",
                            i,
                            &[base[0], base[1], K("set_awareness"), K("value")],
                        ),
                        "value",
                        *value,
                    );
                    self.economy(
                        economy,
                        at(
                            "inject",
                            i,
                            &[base[0], base[1], K("set_awareness"), K("economy")],
                        ),
                    )
                    .map(|economy| Effect::SetAwareness {
                        economy,
                        value: *value,
                    })
                }
                RawEffect::AdjustAnalysts { team, delta } => self
                    .team(
                        team,
                        at(
                            "inject",
                            i,
                            &[base[0], base[1], K("adjust_analysts"), K("team")],
                        ),
                    )
                    .map(|team| Effect::AdjustAnalysts {
                        team,
                        delta: *delta,
                    }),
            };
            out.extend(converted);
        }
        out
    }

    /// Reports chains of `after` that loop back on themselves (the injects never fire).
    fn check_after_cycles(&mut self, injects: &[Inject]) {
        let next = |i: usize| match injects[i].trigger {
            Trigger::After { inject, .. } => Some(inject.index()),
            _ => None,
        };
        // 0 = unvisited, 1 = on the current walk, 2 = done.
        let mut state = vec![0u8; injects.len()];
        for start in 0..injects.len() {
            let mut walk = Vec::new();
            let mut current = Some(start);
            while let Some(i) = current {
                if state[i] == 2 {
                    break;
                }
                if state[i] == 1 {
                    let cycle_start = walk.iter().position(|&w| w == i).unwrap_or(0);
                    let cycle = &walk[cycle_start..];
                    let reported = cycle.iter().copied().min().unwrap_or(i);
                    let names: Vec<String> = cycle
                        .iter()
                        .chain(std::iter::once(&i))
                        .map(|&n| format!("`{}`", injects[n].id))
                        .collect();
                    self.error(
                        at("inject", reported, &[K("after"), K("inject")]),
                        format!("injects wait for each other in a cycle: {}", names.join(" -> ")),
                        Some("none of them can ever fire; give one of them `at` or `when` instead of `after`".into()),
                    );
                    break;
                }
                state[i] = 1;
                walk.push(i);
                current = next(i);
            }
            for w in walk {
                state[w] = 2;
            }
        }
    }

    /// Warns about an `after` delay that pushes an inject past the end of the exercise,
    /// and an `inject_fired` condition on an inject that never fires by itself. Both are
    /// warnings: the facilitator can still fire any inject by hand.
    fn warn_injects_fired_too_late(&mut self, injects: &[Inject]) {
        let Some(earliest) = earliest_fire_ticks(injects) else {
            return;
        };
        let duration = self.duration;
        for (i, inject) in injects.iter().enumerate() {
            match &inject.trigger {
                Trigger::After {
                    inject: first,
                    delay,
                } => {
                    if let Some(fired) = earliest[first.index()]
                        && fired <= duration
                        && fired.saturating_add(*delay) > duration
                    {
                        self.warning(
                            at("inject", i, &[K("after"), K("delay")]),
                            format!(
                                "this delay puts the inject at tick {} at the earliest, after the end of the exercise (tick {duration})",
                                fired.saturating_add(*delay)
                            ),
                            Some(format!(
                                "`{}` fires at tick {fired} at the earliest: use a delay of at most {}, or raise `duration_ticks` in [scenario]",
                                injects[first.index()].id,
                                duration - fired
                            )),
                        );
                    }
                }
                Trigger::When(condition) => {
                    let mut found = Vec::new();
                    injects_fired_in(condition, &mut vec![K("when")], &mut found);
                    for (path, other) in found {
                        let why = match earliest[other.index()] {
                            None => format!(
                                "`{}` waits, through `after` or `inject_fired`, on injects that wait for each other",
                                injects[other.index()].id
                            ),
                            Some(tick) if tick > duration => format!(
                                "`{}` fires at tick {tick} at the earliest, after the end of the exercise (tick {duration})",
                                injects[other.index()].id
                            ),
                            Some(_) => continue,
                        };
                        self.warning(
                            at("inject", i, &path),
                            format!(
                                "inject `{}` never fires by itself, so this condition never holds",
                                injects[other.index()].id
                            ),
                            Some(format!(
                                "{why}; fix its trigger, or the facilitator must fire it by hand"
                            )),
                        );
                    }
                }
                Trigger::Manual | Trigger::At(_) => {}
            }
        }
    }

    fn warn_unstartable_campaigns(&mut self, campaigns: &[Campaign], injects: &[Inject]) {
        let started: HashSet<CampaignIdx> = injects
            .iter()
            .flat_map(|i| &i.effects)
            .filter_map(|e| match e {
                Effect::StartCampaign(c) => Some(*c),
                _ => None,
            })
            .collect();
        for (i, c) in campaigns.iter().enumerate() {
            if c.start.is_none() && !started.contains(&CampaignIdx(i as u32)) {
                self.warning(
                    at("campaign", i, &[K("id")]),
                    format!("campaign `{}` can never start", c.id),
                    Some("it has no `start` and no inject has `start_campaign` for it; add one of them".into()),
                );
            }
        }
    }

    fn agreements_model(&mut self) -> Vec<Agreement> {
        let raw = self.raw;
        let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
        let mut out = Vec::new();
        for (i, a) in raw.agreements.iter().enumerate() {
            if let Some(first) = seen.get(a.id.as_str()).copied() {
                let first_span = self.span(at("agreement", first, &[K("id")]));
                let hint = self
                    .line_of(&first_span)
                    .map(|l| format!("the first `{}` is on line {l}; ids must be unique", a.id));
                self.error(
                    at("agreement", i, &[K("id")]),
                    format!("duplicate agreement id `{}`", a.id),
                    hint,
                );
            } else {
                seen.insert(&a.id, i);
            }
            let mut parties = Vec::new();
            let mut unresolved = false;
            for (k, p) in a.parties.iter().enumerate() {
                match self.economy(p, at("agreement", i, &[K("parties"), I(k)])) {
                    Some(e) => {
                        if parties.contains(&e) {
                            self.warning(
                                at("agreement", i, &[K("parties"), I(k)]),
                                format!("`{p}` is listed twice"),
                                Some("remove the repeated party".into()),
                            );
                        }
                        parties.push(e);
                    }
                    None => unresolved = true,
                }
            }
            parties.sort_unstable();
            parties.dedup();
            if parties.len() < 2 && !unresolved {
                self.error(
                    at("agreement", i, &[K("parties")]),
                    "an agreement needs at least two different parties",
                    Some("list the economies it binds, e.g. `parties = [\"sg\", \"my\"]`".into()),
                );
            }
            out.push(Agreement {
                id: a.id.clone(),
                kind: a.kind,
                parties,
                delay: a.delay,
            });
        }
        out
    }

    fn objectives_model(&mut self, teams: &[Team]) -> Vec<Objective> {
        let raw = self.raw;
        let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
        let mut out = Vec::new();
        for (i, o) in raw.objectives.iter().enumerate() {
            if let Some(first) = seen.get(o.id.as_str()).copied() {
                let first_span = self.span(at("objective", first, &[K("id")]));
                let hint = self
                    .line_of(&first_span)
                    .map(|l| format!("the first `{}` is on line {l}; ids must be unique", o.id));
                self.error(
                    at("objective", i, &[K("id")]),
                    format!("duplicate objective id `{}`", o.id),
                    hint,
                );
            } else {
                seen.insert(&o.id, i);
            }
            let weight = o.weight.unwrap_or(DEFAULT_OBJECTIVE_WEIGHT);
            if !(weight.is_finite() && weight > 0.0) {
                self.error(
                    at("objective", i, &[K("weight")]),
                    format!("`weight` is {weight}, out of range"),
                    Some("a weight must be more than 0".into()),
                );
            }
            let goal = self.goal(i, &o.goal);
            let scope = match &o.team {
                None => ObjectiveScope::Region,
                Some(t) => match self.team(t, at("objective", i, &[K("team")])) {
                    Some(team) => {
                        if let Some(goal) = &goal {
                            self.check_team_can_act(i, &teams[team.index()], goal);
                        }
                        ObjectiveScope::Team(team)
                    }
                    None => ObjectiveScope::Region,
                },
            };
            if let Some(goal) = goal {
                out.push(Objective {
                    id: o.id.clone(),
                    description: o.description.clone(),
                    scope,
                    weight,
                    goal,
                });
            }
        }
        out
    }

    fn goal(&mut self, i: usize, g: &RawGoal) -> Option<Goal> {
        let p = |variant: &'static str, field: &'static str| [K("goal"), K(variant), K(field)];
        match g {
            RawGoal::ServiceAtLeast {
                economy,
                sector,
                level,
            } => {
                self.check_unit(
                    at("objective", i, &p("service_at_least", "level")),
                    "level",
                    *level,
                );
                let economy = self
                    .optional_economy(
                        economy,
                        at("objective", i, &p("service_at_least", "economy")),
                    )
                    .ok()?;
                let sector = self
                    .optional_sector(sector, at("objective", i, &p("service_at_least", "sector")))
                    .ok()?;
                Some(Goal::ServiceAtLeast {
                    economy,
                    sector,
                    level: *level,
                })
            }
            RawGoal::TrustAtLeast { economy, level } => {
                if !(0.0..=100.0).contains(level) {
                    self.error(
                        at("objective", i, &p("trust_at_least", "level")),
                        format!("trust level {level} is out of range"),
                        Some("trust runs from 0 to 100".into()),
                    );
                }
                let economy =
                    self.economy(economy, at("objective", i, &p("trust_at_least", "economy")))?;
                Some(Goal::TrustAtLeast {
                    economy,
                    level: *level,
                })
            }
            RawGoal::LossAtMost { economy, amount } => {
                if !(amount.is_finite() && *amount >= 0.0) {
                    self.error(
                        at("objective", i, &p("loss_at_most", "amount")),
                        format!("loss amount {amount} is out of range"),
                        Some("give an amount in US dollars, 0 or more".into()),
                    );
                }
                let economy = self
                    .optional_economy(economy, at("objective", i, &p("loss_at_most", "economy")))
                    .ok()?;
                Some(Goal::LossAtMost {
                    economy,
                    amount: *amount,
                })
            }
            RawGoal::DetectWithin {
                campaign,
                economy,
                ticks,
            } => {
                let campaign = self
                    .optional_campaign(
                        campaign,
                        at("objective", i, &p("detect_within", "campaign")),
                    )
                    .ok()?;
                let economy = self
                    .optional_economy(economy, at("objective", i, &p("detect_within", "economy")))
                    .ok()?;
                Some(Goal::DetectWithin {
                    campaign,
                    economy,
                    ticks: *ticks,
                })
            }
            RawGoal::ContainWithin {
                campaign,
                economy,
                ticks,
            } => {
                let campaign = self
                    .optional_campaign(
                        campaign,
                        at("objective", i, &p("contain_within", "campaign")),
                    )
                    .ok()?;
                let economy = self
                    .optional_economy(economy, at("objective", i, &p("contain_within", "economy")))
                    .ok()?;
                Some(Goal::ContainWithin {
                    campaign,
                    economy,
                    ticks: *ticks,
                })
            }
        }
    }

    /// A team objective must be one the team can influence: its role must have actions
    /// that move the measure (see [`role_can_pursue`]), in its own economy, and for a
    /// regulator or operator with sectors, in one of them.
    fn check_team_can_act(&mut self, i: usize, team: &Team, goal: &Goal) {
        let at_goal = at("objective", i, &[K("goal")]);
        if !role_can_pursue(team.role, goal) {
            self.error(
                at("objective", i, &[K("team")]),
                format!(
                    "team `{}` ({}) has no action that can move this goal",
                    team.id,
                    role_name(team.role)
                ),
                Some(role_hint(goal).into()),
            );
            return;
        }
        let (economy, sector) = goal_scope(goal);
        if let Some(e) = economy
            && e != team.economy
        {
            let theirs = self
                .raw
                .economies
                .get(team.economy.index())
                .map_or("?", |x| x.id.as_str());
            let goal_economy = self
                .raw
                .economies
                .get(e.index())
                .map_or("?", |x| x.id.as_str());
            self.error(
                at_goal,
                format!("team `{}` works in `{theirs}` and cannot act on `{goal_economy}`", team.id),
                Some("give this objective to a team of that economy, or make it regional by removing `team`".into()),
            );
            return;
        }
        if let Some(s) = sector
            && matches!(team.role, Role::Regulator | Role::Operator)
            && !team.sectors.is_empty()
            && !team.sectors.contains(&s)
        {
            let name = self
                .raw
                .sectors
                .get(s.index())
                .map_or("?", |x| x.id.as_str());
            self.error(
                at_goal,
                format!("team `{}` does not answer for sector `{name}`", team.id),
                Some(
                    "add the sector to the team's `sectors`, or give the objective to another team"
                        .into(),
                ),
            );
        }
    }
}

/// Which roles have actions that move a goal: service needs containment and restoring
/// (CSIRT, regulator, operator); detection needs watch and monitoring (CSIRT, operator);
/// containment needs incident response (CSIRT, operator); trust and loss are moved by
/// every role (awareness, takedowns, legal action, response).
pub fn role_can_pursue(role: Role, goal: &Goal) -> bool {
    match goal {
        Goal::ServiceAtLeast { .. } => {
            matches!(role, Role::Csirt | Role::Regulator | Role::Operator)
        }
        Goal::DetectWithin { .. } | Goal::ContainWithin { .. } => {
            matches!(role, Role::Csirt | Role::Operator)
        }
        Goal::TrustAtLeast { .. } | Goal::LossAtMost { .. } => true,
    }
}

fn role_hint(goal: &Goal) -> &'static str {
    match goal {
        Goal::ServiceAtLeast { .. } => "service goals suit a csirt, regulator or operator team",
        _ => "detection and containment goals suit a csirt or operator team",
    }
}

fn role_name(role: Role) -> &'static str {
    match role {
        Role::Csirt => "csirt",
        Role::Regulator => "regulator",
        Role::Operator => "operator",
        Role::LawEnforcement => "law_enforcement",
    }
}

fn goal_scope(goal: &Goal) -> (Option<EconomyIdx>, Option<SectorIdx>) {
    match goal {
        Goal::ServiceAtLeast {
            economy, sector, ..
        } => (*economy, *sector),
        Goal::TrustAtLeast { economy, .. } => (Some(*economy), None),
        Goal::LossAtMost { economy, .. }
        | Goal::DetectWithin { economy, .. }
        | Goal::ContainWithin { economy, .. } => (*economy, None),
    }
}

/// Passes over the injects after which [`earliest_fire_ticks`] gives up (chains of
/// `after` and `inject_fired` written against file order settle one link per pass).
const MAX_TIMING_PASSES: usize = 256;

/// A lower bound on the tick at which each inject fires by itself, without the
/// facilitator: `None` when it never does (it waits on itself through `after` or
/// `inject_fired`). A manual inject counts as tick 0, the facilitator may fire it at
/// once. `None` overall when the chains do not settle within [`MAX_TIMING_PASSES`].
fn earliest_fire_ticks(injects: &[Inject]) -> Option<Vec<Option<u32>>> {
    // Start from "never" and lower each bound until nothing moves: min, max and +
    // only ever lower a bound, so what is left on a cycle stays "never".
    let mut earliest: Vec<Option<u32>> = vec![None; injects.len()];
    for _ in 0..MAX_TIMING_PASSES {
        let mut changed = false;
        for (i, inject) in injects.iter().enumerate() {
            let tick = match &inject.trigger {
                Trigger::Manual => Some(0),
                Trigger::At(tick) => Some((*tick).max(1)),
                Trigger::When(condition) => earliest_holding(condition, &earliest),
                Trigger::After { inject, delay } => {
                    earliest[inject.index()].map(|fired| fired.saturating_add(*delay))
                }
            };
            if tick != earliest[i] {
                earliest[i] = tick;
                changed = true;
            }
        }
        if !changed {
            return Some(earliest);
        }
    }
    None
}

/// A lower bound on the first tick `condition` can hold, given the injects' bounds.
fn earliest_holding(condition: &Condition, earliest: &[Option<u32>]) -> Option<u32> {
    match condition {
        Condition::TickAtLeast(tick) => Some((*tick).max(1)),
        Condition::InjectFired(inject) => earliest[inject.index()],
        Condition::All(list) => list
            .iter()
            .try_fold(1, |at, c| earliest_holding(c, earliest).map(|t| t.max(at))),
        Condition::Any(list) if !list.is_empty() => list
            .iter()
            .filter_map(|c| earliest_holding(c, earliest))
            .min(),
        _ => Some(1),
    }
}

/// Every `inject_fired` in `condition`, with its path in the file.
fn injects_fired_in(
    condition: &Condition,
    path: &mut Vec<Seg>,
    out: &mut Vec<(Vec<Seg>, InjectIdx)>,
) {
    match condition {
        Condition::InjectFired(inject) => {
            let mut here = path.clone();
            here.push(K("inject_fired"));
            out.push((here, *inject));
        }
        Condition::All(list) | Condition::Any(list) => {
            let key = if matches!(condition, Condition::All(_)) {
                "all"
            } else {
                "any"
            };
            for (n, inner) in list.iter().enumerate() {
                path.extend([K(key), I(n)]);
                injects_fired_in(inner, path, out);
                path.truncate(path.len() - 2);
            }
        }
        Condition::Not(inner) => {
            path.push(K("not"));
            injects_fired_in(inner, path, out);
            path.pop();
        }
        _ => {}
    }
}

/// What a condition can be, whatever happens in the exercise.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Possible {
    Never(String),
    Always,
    Maybe,
}

/// Why `condition` can never hold within `duration` ticks, if it cannot.
pub fn never_holds(condition: &Condition, duration: u32) -> Option<String> {
    match possible(condition, duration) {
        Possible::Never(reason) => Some(reason),
        _ => None,
    }
}

fn possible(c: &Condition, duration: u32) -> Possible {
    match c {
        Condition::TickAtLeast(t) if *t > duration => Possible::Never(format!(
            "`tick_at_least = {t}` is after the last tick ({duration})"
        )),
        Condition::TickAtLeast(0) => Possible::Always,
        Condition::ServiceBelow { level, .. } if *level <= 0.0 => {
            Possible::Never(format!("service is never below {level}"))
        }
        Condition::TrustBelow { value, .. } if *value <= 0.0 => {
            Possible::Never(format!("trust is never below {value}"))
        }
        Condition::Incidents { count: 0, .. } => Possible::Always,
        Condition::All(list) => {
            let parts: Vec<Possible> = list.iter().map(|c| possible(c, duration)).collect();
            if let Some(Possible::Never(r)) = parts.iter().find(|p| matches!(p, Possible::Never(_)))
            {
                Possible::Never(format!("in `all`, {r}"))
            } else if parts.iter().all(|p| *p == Possible::Always) {
                Possible::Always
            } else {
                Possible::Maybe
            }
        }
        Condition::Any(list) => {
            let parts: Vec<Possible> = list.iter().map(|c| possible(c, duration)).collect();
            if parts.contains(&Possible::Always) {
                Possible::Always
            } else if !parts.is_empty() && parts.iter().all(|p| matches!(p, Possible::Never(_))) {
                Possible::Never("every condition in `any` is impossible".into())
            } else {
                Possible::Maybe
            }
        }
        Condition::Not(inner) => match possible(inner, duration) {
            Possible::Always => Possible::Never("`not` of a condition that always holds".into()),
            Possible::Never(_) => Possible::Always,
            Possible::Maybe => Possible::Maybe,
        },
        _ => Possible::Maybe,
    }
}

/// A value picked along the default chain.
enum Pick {
    Operator(Operator),
    Number(u8),
    Big(u64),
    Posture(RawPosture),
    Float(f64),
}

/// The fields an asset and an asset group have in common.
struct AssetFields<'r> {
    economy: &'r str,
    sector: &'r str,
    operator: Option<Operator>,
    criticality: Option<u8>,
    people_served: Option<u64>,
    posture: Option<RawPosture>,
    resilience: Option<f64>,
}

impl<'r> AssetFields<'r> {
    fn of_asset(a: &'r RawAsset) -> Self {
        Self {
            economy: &a.economy,
            sector: &a.sector,
            operator: a.operator,
            criticality: a.criticality,
            people_served: a.people_served,
            posture: a.posture,
            resilience: a.resilience,
        }
    }

    fn of_group(g: &'r RawAssetGroup) -> Self {
        Self {
            economy: &g.economy,
            sector: &g.sector,
            operator: g.operator,
            criticality: g.criticality,
            people_served: g.people_served,
            posture: g.posture,
            resilience: g.resilience,
        }
    }
}

/// Id of member `n` (1-based) of group `group`.
pub fn member_id(group: &str, n: u32) -> String {
    format!("{group}-{n}")
}

/// An asset that failed to resolve; only kept so that indices stay aligned while the
/// remaining checks run (the scenario is rejected anyway).
fn placeholder(id: String) -> Asset {
    Asset {
        id,
        name: String::new(),
        economy: EconomyIdx(0),
        sector: SectorIdx(0),
        operator: DEFAULT_OPERATOR,
        criticality: DEFAULT_CRITICALITY,
        people_served: DEFAULT_PEOPLE_SERVED,
        posture: DEFAULT_POSTURE,
        resilience: DEFAULT_RESILIENCE,
        depends_on: Vec::new(),
    }
}

/// Sorts dependencies by target and merges repeated targets (weights add, first kind kept).
fn merge_dependencies(mut deps: Vec<Dependency>) -> Vec<Dependency> {
    deps.sort_by_key(|d| d.on);
    let mut out: Vec<Dependency> = Vec::with_capacity(deps.len());
    for d in deps {
        match out.last_mut() {
            Some(last) if last.on == d.on => last.weight += d.weight,
            _ => out.push(d),
        }
    }
    out
}

/// Up to four decimals, without trailing zeros.
fn round_for_display(x: f64) -> String {
    let s = format!("{x:.4}");
    s.trim_end_matches('0').trim_end_matches('.').to_owned()
}
