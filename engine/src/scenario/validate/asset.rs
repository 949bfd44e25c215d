//! `[[asset]]` and `[[asset_group]]`: critical infrastructure, expanded in file order,
//! with defaults from the sector template and `[defaults.asset]`, dependencies
//! resolved, split over groups, merged and weighed, and the shares of sector output each
//! asset carries apportioned ([`apportion_output`]).

use super::super::diagnostic::Code;
use super::super::model::*;
use super::super::raw::{
    RawAsset, RawAssetDefaults, RawAssetGroup, RawDependency, RawPosture, RawServe,
};
use super::super::spans::Seg::{Index as I, Key as K};
use super::defaults::*;
use super::ids::{self, AssetName};
use super::{Validator, at};
use std::sync::Arc;

/// Tolerance on the sum of an asset's dependency weights.
const WEIGHT_EPSILON: f64 = 1e-9;

/// Id of member `n` (1-based) of group `group`.
pub fn member_id(group: &str, n: u32) -> String {
    use std::fmt::Write as _;
    // Exact size: a million members' ids are a good part of a large scenario's memory.
    let digits = n.checked_ilog10().unwrap_or(0) as usize + 1;
    let mut id = String::with_capacity(group.len() + 1 + digits);
    let _ = write!(id, "{group}-{n}");
    id
}

/// The source of the next asset(s), in file order.
#[derive(Debug, Clone, Copy)]
enum Source {
    Asset(usize),
    Group(usize),
}

/// `[[asset]]` and `[[asset_group]]` entries in file order, and how many assets they
/// make (more than [`MAX_ASSETS`] when a group took the count past it).
pub(super) struct Order {
    sources: Vec<Source>,
    count: u64,
}

/// Declares every asset, group and member id in file order (assets first without
/// text), checking group counts; see [`ids::declare`].
pub(super) fn declare(cx: &mut Validator<'_>) -> Order {
    let sources = file_order(cx);
    let raw = cx.raw;
    let mut next: u64 = 0;
    for source in &sources {
        match *source {
            Source::Asset(i) => {
                let id = raw.assets[i].id.as_str();
                let name = AssetName::Asset(AssetIdx(next as u32));
                ids::declare_asset(cx, id, name, at("asset", i, &[K("id")]));
                next += 1;
            }
            Source::Group(j) => {
                let g = &raw.asset_groups[j];
                if g.count == 0 {
                    cx.error(
                        Code::OutOfRange,
                        at("asset_group", j, &[K("count")]),
                        "`count` must be at least 1",
                        None,
                    );
                    continue;
                }
                if next + u64::from(g.count) > MAX_ASSETS {
                    cx.error(
                        Code::OverLimit,
                        at("asset_group", j, &[K("count")]),
                        format!("this group takes the scenario past {MAX_ASSETS} assets"),
                        Some("lower `count`; the engine loads at most this many assets".into()),
                    );
                    return Order {
                        sources,
                        count: MAX_ASSETS + 1,
                    };
                }
                let group = AssetName::Group {
                    first: next as u32,
                    count: g.count,
                };
                let id_at = at("asset_group", j, &[K("id")]);
                ids::declare_asset(cx, &g.id, group, id_at);
                ids::declare_members(cx, &g.id, next as u32, g.count, id_at);
                next += u64::from(g.count);
            }
        }
    }
    Order {
        sources,
        count: next,
    }
}

/// `[[asset]]` and `[[asset_group]]` entries in file order (assets first without text).
fn file_order(cx: &Validator<'_>) -> Vec<Source> {
    let o = cx.origins();
    let raw = cx.raw;
    let mut order: Vec<(usize, Source)> = Vec::new();
    for i in 0..raw.assets.len() {
        let key = o.asset_starts.get(i).copied().unwrap_or(i);
        order.push((key, Source::Asset(i)));
    }
    let offset = if o.group_starts.is_empty() {
        raw.assets.len()
    } else {
        0
    };
    for j in 0..raw.asset_groups.len() {
        let key = o.group_starts.get(j).copied().unwrap_or(offset + j);
        order.push((key, Source::Group(j)));
    }
    order.sort_by_key(|(key, _)| *key);
    order.into_iter().map(|(_, s)| s).collect()
}

/// One `[[asset]]` or `[[asset_group]]` entry, checked: the asset it makes or, for a
/// group, its first member (the others differ only by their number), how many assets it
/// makes and where it was written. Groups are expanded only once their shares of output
/// are known ([`expand`]), so that a group's members share one [`AssetCommon`].
pub(super) struct Part {
    asset: Asset,
    count: u32,
    /// Section and element it was written as.
    written: (&'static str, usize),
}

/// Checks every asset and group in file order (see [`Part`]).
pub(super) fn build(cx: &mut Validator<'_>, order: &Order) -> Vec<Part> {
    if order.count > MAX_ASSETS {
        cx.assets_incomplete = true;
        return Vec::new();
    }
    let raw = cx.raw;
    let mut parts = Vec::with_capacity(order.sources.len());
    let mut next: u32 = 0;
    let mut edges: u64 = 0;
    for source in &order.sources {
        match *source {
            Source::Asset(i) => {
                let a = &raw.assets[i];
                let index = AssetIdx(next);
                next += 1;
                let written = ("asset", i);
                let Some(mut asset) = base(cx, "asset", i, &Fields::of_asset(a)) else {
                    let asset = placeholder(a.id.clone(), false);
                    parts.push(Part {
                        asset,
                        count: 1,
                        written,
                    });
                    continue;
                };
                let deps = dependencies(cx, "asset", i, &a.depends_on, index, None);
                edges += deps.len() as u64;
                let common = Arc::make_mut(&mut asset.common);
                common.id = a.id.clone();
                common.name = a.name.clone();
                common.depends_on = deps;
                parts.push(Part {
                    asset,
                    count: 1,
                    written,
                });
            }
            Source::Group(j) => {
                let g = &raw.asset_groups[j];
                if g.count == 0 {
                    continue;
                }
                let first = next;
                let written = ("asset_group", j);
                let base = base(cx, "asset_group", j, &Fields::of_group(g));
                let group = (first, g.count);
                let deps = dependencies(
                    cx,
                    "asset_group",
                    j,
                    &g.depends_on,
                    AssetIdx(first),
                    Some(group),
                );
                edges += deps.len() as u64 * u64::from(g.count);
                if edges > MAX_DEPENDENCIES {
                    cx.error(
                        Code::OverLimit,
                        at("asset_group", j, &[K("depends_on")]),
                        format!("the scenario has more than {MAX_DEPENDENCIES} dependencies after expanding groups"),
                        Some("depend on fewer or smaller groups".into()),
                    );
                    cx.assets_incomplete = true;
                    return parts;
                }
                next += g.count;
                let asset = match base {
                    Some(mut asset) => {
                        let common = Arc::make_mut(&mut asset.common);
                        common.id = g.id.clone();
                        common.name = g.name.clone();
                        common.group = true;
                        common.depends_on = deps;
                        asset.member = 1;
                        asset
                    }
                    None => placeholder(g.id.clone(), true),
                };
                parts.push(Part {
                    asset,
                    count: g.count,
                    written,
                });
            }
        }
    }
    parts
}

/// Every asset in file order, groups expanded in place: each member a copy of the
/// group's first with its own number, sharing the group's [`AssetCommon`].
pub(super) fn expand(parts: Vec<Part>) -> Vec<Asset> {
    // Sized once: growing a vector of a million assets copies it about twenty times and
    // holds the old and the new copy at once.
    let count: usize = parts.iter().map(|p| p.count as usize).sum();
    let mut assets = Vec::with_capacity(count);
    for part in parts {
        for n in 1..part.count {
            let mut member = part.asset.clone();
            member.member = n;
            assets.push(member);
        }
        let mut last = part.asset;
        if last.common.group {
            last.member = part.count;
        }
        assets.push(last);
    }
    assets
}

/// The fields an asset and an asset group have in common.
struct Fields<'r> {
    economy: &'r str,
    sector: &'r str,
    own: RawAssetDefaults,
    serves: &'r [RawServe],
}

impl<'r> Fields<'r> {
    fn of_asset(a: &'r RawAsset) -> Self {
        Self {
            economy: &a.economy,
            sector: &a.sector,
            serves: &a.serves,
            own: RawAssetDefaults {
                operator: a.operator,
                criticality: a.criticality,
                people_served: a.people_served,
                posture: a.posture,
                resilience: a.resilience,
                repair_hours: a.repair_hours,
            },
        }
    }

    fn of_group(g: &'r RawAssetGroup) -> Self {
        Self {
            economy: &g.economy,
            sector: &g.sector,
            serves: &g.serves,
            own: RawAssetDefaults {
                operator: g.operator,
                criticality: g.criticality,
                people_served: g.people_served,
                posture: g.posture,
                resilience: g.resilience,
                repair_hours: g.repair_hours,
            },
        }
    }
}

/// Economy, sector and defaulted fields of an asset or group (no dependencies yet).
fn base(cx: &mut Validator<'_>, section: &'static str, i: usize, f: &Fields<'_>) -> Option<Asset> {
    let economy = cx.economy(f.economy, at(section, i, &[K("economy")]));
    let sector = cx.sector(f.sector, at(section, i, &[K("sector")]));
    let own = &f.own;
    cx.check_asset_defaults(section, Some(i), &[], own);
    let raw = cx.raw;
    let sector_defaults = sector.map(|s| &raw.sectors[s.index()].asset);
    let global = &raw.defaults.asset;
    /// The first of the asset, its sector's template and `[defaults.asset]` that says.
    fn pick<T>(
        own: &RawAssetDefaults,
        sector: Option<&RawAssetDefaults>,
        global: &RawAssetDefaults,
        field: fn(&RawAssetDefaults) -> Option<T>,
    ) -> Option<T> {
        field(own)
            .or_else(|| sector.and_then(field))
            .or_else(|| field(global))
    }
    let posture: Option<RawPosture> = pick(own, sector_defaults, global, |d| d.posture);
    let serves = explicit_serves(cx, section, i, f.serves);
    let repair_hours = pick(own, sector_defaults, global, |d| d.repair_hours)
        .or_else(|| sector.map(|s| default_repair_hours(&raw.sectors[s.index()].id)))
        .unwrap_or(DEFAULT_REPAIR_HOURS);
    let mut asset = Asset::new(String::new(), String::new(), economy?, sector?);
    asset.operator = pick(own, sector_defaults, global, |d| d.operator).unwrap_or(DEFAULT_OPERATOR);
    asset.criticality =
        pick(own, sector_defaults, global, |d| d.criticality).unwrap_or(DEFAULT_CRITICALITY);
    asset.people_served =
        pick(own, sector_defaults, global, |d| d.people_served).unwrap_or(DEFAULT_PEOPLE_SERVED);
    asset.posture = posture.map_or(DEFAULT_POSTURE, |p| Posture {
        patching: p.patching,
        monitoring: p.monitoring,
        backups: p.backups,
    });
    asset.resilience =
        pick(own, sector_defaults, global, |d| d.resilience).unwrap_or(DEFAULT_RESILIENCE);
    asset.repair_hours = repair_hours;
    Arc::make_mut(&mut asset.common).serves = serves;
    Some(asset)
}

/// The economies an asset says it serves, with their shares, checked one by one (their
/// sums are checked by [`apportion_output`]).
fn explicit_serves(
    cx: &mut Validator<'_>,
    section: &'static str,
    i: usize,
    raw: &[RawServe],
) -> Vec<Serve> {
    let mut out: Vec<Serve> = Vec::with_capacity(raw.len());
    for (k, s) in raw.iter().enumerate() {
        let share_path = [K("serves"), I(k), K("share")];
        cx.check_open_unit(at(section, i, &share_path), "share", s.share);
        let economy_path = [K("serves"), I(k), K("economy")];
        let economy_at = at(section, i, &economy_path);
        let Some(economy) = cx.economy(&s.economy, economy_at) else {
            continue;
        };
        if out.iter().any(|o| o.economy == economy) {
            cx.error(
                Code::Repeated,
                economy_at,
                format!("economy `{}` is served twice", s.economy),
                Some("give one share per economy".into()),
            );
            continue;
        }
        if s.share.is_finite() && s.share > 0.0 {
            out.push(Serve {
                economy,
                share: s.share.min(1.0),
            });
        }
    }
    out
}

/// Resolves dependencies: groups split their weight evenly, the list is sorted by
/// target and merged, the weights checked.
fn dependencies(
    cx: &mut Validator<'_>,
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
            cx.error(
                Code::OutOfRange,
                at(section, i, &weight_path),
                format!("dependency weight {} is out of range", dep.weight),
                Some("a weight is the share of service lost when the target fails: more than 0, at most 1".into()),
            );
            continue;
        }
        sum += dep.weight;
        let kind = dep.kind.unwrap_or_default();
        let Some(target) = cx.asset_name(&dep.on, at(section, i, &on_path)) else {
            continue;
        };
        match target {
            AssetName::Asset(on) => {
                let is_self = match own_group {
                    None => on == owner,
                    Some((first, count)) => (first..first + count).contains(&on.0),
                };
                if is_self {
                    cx.error(
                        Code::SelfDependency,
                        at(section, i, &on_path),
                        format!("`{}` depends on itself", dep.on),
                        Some("remove this dependency; an asset cannot need its own service".into()),
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
                    cx.error(
                        Code::SelfDependency,
                        at(section, i, &on_path),
                        format!("group `{}` depends on itself", dep.on),
                        Some("remove this dependency; members of a group cannot depend on their own group".into()),
                    );
                    continue;
                }
                if own_group.is_none() && (first..first + count).contains(&owner.0) {
                    cx.error(
                        Code::SelfDependency,
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
        cx.error(
            Code::WeightsOverOne,
            at(section, i, &[K("depends_on")]),
            format!("dependency weights add up to {}, more than 1", round_for_display(sum)),
            Some("the weights are shares of this asset's service; scale them so they sum to at most 1".into()),
        );
    }
    merge_dependencies(out)
}

/// An asset (or a group's first member) that failed to resolve; only kept so that
/// indices stay aligned while the remaining checks run (the scenario is rejected anyway).
fn placeholder(id: String, group: bool) -> Asset {
    let mut asset = Asset::new(id, String::new(), EconomyIdx(0), SectorIdx(0));
    if group {
        Arc::make_mut(&mut asset.common).group = true;
        asset.member = 1;
    }
    asset
}

/// Gives every asset its share of its sector's output in the economies it serves: the
/// shares it states, else (serving its own economy) the part of the sector the others
/// leave, split in proportion to `people_served`. Refuses stated shares of one sector in
/// one economy that add up to more than 1, and warns when a sector's assets carry far
/// less than all of it, or an asset carries nothing.
///
/// Works on [`Part`]s, before groups are expanded: the members of a group have the same
/// economy, sector, people served and stated shares, so they get the same share. The
/// sums still add each member's figure in file order, as when every asset was built on
/// its own, so every share comes out bit for bit the same.
pub(super) fn apportion_output(
    cx: &mut Validator<'_>,
    economies: &[Economy],
    sectors: &[Sector],
    parts: &mut [Part],
) {
    if cx.assets_incomplete {
        return;
    }
    let cell = |e: EconomyIdx, s: SectorIdx| e.index() * sectors.len() + s.index();
    let cells = economies.len() * sectors.len();
    // Stated shares, the first part stating one (to warn at), and the weight of the
    // assets that state none, per (economy, sector).
    let mut stated = vec![0.0f64; cells];
    let mut first_stating: Vec<Option<usize>> = vec![None; cells];
    let mut reported = vec![false; cells];
    let mut implicit_weight = vec![0.0f64; cells];
    let mut implicit_count = vec![0usize; cells];
    for (p, part) in parts.iter().enumerate() {
        let a = &part.asset;
        if a.economy.index() >= economies.len() || a.sector.index() >= sectors.len() {
            continue;
        }
        if a.serves().is_empty() {
            let c = cell(a.economy, a.sector);
            for _ in 0..part.count {
                implicit_weight[c] += a.people_served as f64;
            }
            implicit_count[c] += part.count as usize;
            continue;
        }
        for _ in 0..part.count {
            for (k, s) in a.serves().iter().enumerate() {
                let c = cell(s.economy, a.sector);
                stated[c] += s.share;
                first_stating[c].get_or_insert(p);
                if stated[c] > 1.0 + super::economy::SHARE_EPSILON && !reported[c] {
                    reported[c] = true;
                    let (section, i) = part.written;
                    cx.error(
                        Code::SharesOverOne,
                        at(section, i, &[K("serves"), I(k), K("share")]),
                        format!(
                            "assets serving `{}` carry {:.3} of its `{}` output, more than all of it",
                            economies[s.economy.index()].id,
                            stated[c],
                            sectors[a.sector.index()].id
                        ),
                        Some(
                            "lower the `share` of the assets that serve this economy in this sector (each member of a group carries its group's share)"
                                .into(),
                        ),
                    );
                }
            }
        }
    }
    for part in parts.iter_mut() {
        let a = &mut part.asset;
        if !a.serves().is_empty()
            || a.economy.index() >= economies.len()
            || a.sector.index() >= sectors.len()
        {
            continue;
        }
        let c = cell(a.economy, a.sector);
        let left = (1.0 - stated[c]).max(0.0);
        let share = if implicit_weight[c] > 0.0 {
            left * a.people_served as f64 / implicit_weight[c]
        } else {
            left / implicit_count[c].max(1) as f64
        };
        let economy = a.economy;
        a.set_serves(vec![Serve { economy, share }]);
        if left <= super::economy::SHARE_EPSILON {
            let (section, i) = part.written;
            cx.warning(
                Code::SharesBelow,
                at(section, i, &[K("sector")]),
                format!(
                    "`{}` carries none of `{}`'s `{}` output: assets with `serves` claim all of it",
                    a.id(),
                    economies[a.economy.index()].id,
                    sectors[a.sector.index()].id
                ),
                Some("give it a `serves` share, or lower the others' shares".into()),
            );
        }
    }
    for c in 0..cells {
        let Some(p) = first_stating[c] else {
            continue;
        };
        if implicit_count[c] == 0 && stated[c] < LOW_SHARES {
            let (section, i) = parts[p].written;
            let (e, s) = (c / sectors.len(), c % sectors.len());
            cx.warning(
                Code::SharesBelow,
                at(section, i, &[K("serves")]),
                format!(
                    "the `{}` assets serving `{}` carry only {:.3} of its output there: the rest never loses anything",
                    sectors[s].id, economies[e].id, stated[c]
                ),
                Some("raise their `share`, or add assets for the rest of the sector".into()),
            );
        }
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

#[cfg(test)]
mod tests {
    use super::super::fixture::{HEAD, SMALL, check, ok};
    use crate::scenario::model::*;

    #[test]
    fn defaults_chain_asset_then_sector_then_file_then_built_in() {
        let s = ok(SMALL).scenario;
        let grid = &s.assets[0];
        // Sector template: criticality 5, resilience 0.4; file default posture; built-in operator.
        assert_eq!(grid.criticality, 5);
        assert_eq!(grid.resilience, 0.4);
        assert_eq!(
            grid.posture,
            Posture {
                patching: 60,
                monitoring: 50,
                backups: 60
            }
        );
        assert_eq!(grid.operator, Operator::Public);
        assert_eq!(grid.people_served, 5_000_000);
        let switch = &s.assets[1];
        assert_eq!(switch.operator, Operator::Private);
        assert_eq!(switch.people_served, 100_000);
        assert_eq!(switch.resilience, 0.5);
        // The group's own posture wins over the file default.
        assert_eq!(
            s.assets[2].posture,
            Posture {
                patching: 40,
                monitoring: 30,
                backups: 35
            }
        );
    }

    /// Three economies and a telecom sector, for the tests of output shares.
    const THREE: &str = "[scenario]
id = \"t\"
title = \"T\"
duration_ticks = 10

[[economy]]
id = \"a\"
name = \"A\"
population = 100
readiness = { legal = 1, technical = 2, organizational = 3, capacity = 4, cooperation = 5 }

[[economy]]
id = \"b\"
name = \"B\"
population = 100
readiness = { legal = 1, technical = 2, organizational = 3, capacity = 4, cooperation = 5 }

[[economy]]
id = \"c\"
name = \"C\"
population = 100
readiness = { legal = 1, technical = 2, organizational = 3, capacity = 4, cooperation = 5 }

[[sector]]
id = \"telecom\"
name = \"T\"
";

    #[test]
    fn stated_shares_of_a_sector_in_an_economy_add_up_to_at_most_one() {
        check(&format!(
            "{THREE}
[[asset]]
id = \"cable\"
name = \"Cable\"
economy = \"a\"
sector = \"telecom\"
serves = [{{ economy = \"a\", share = 0.5 }}, {{ economy = \"b\", share = 0.7 }}, {{ economy = \"c\", share = 0.1 }}, {{ economy = \"b\", share = 0.2 }}, {{ economy = \"a\", share = 0 }}]
#        ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ warning[shares-below]: the `telecom` assets serving `c` carry only 0.100 of its output there: the rest never loses anything
#                                                                                                                     ^^^ error[repeated]: economy `b` is served twice
#                                                                                                                                                                  ^ error[out-of-range]: `share` is 0, out of range
#                                                                                                                                                     ^^^ error[repeated]: economy `a` is served twice

[[asset_group]]
id = \"g\"
name = \"G{{n}}\"
count = 2
economy = \"b\"
sector = \"telecom\"
serves = [{{ economy = \"b\", share = 0.2 }}]
#                                  ^^^ error[shares-over-one]: assets serving `b` carry 1.100 of its `telecom` output, more than all of it

[[asset]]
id = \"b-local\"
name = \"B\"
economy = \"b\"
sector = \"telecom\"
#        ^^^^^^^^^ warning[shares-below]: `b-local` carries none of `b`'s `telecom` output: assets with `serves` claim all of it
"
        ));
    }

    #[test]
    fn assets_that_state_no_share_split_what_is_left_by_people_served() {
        let s = ok(&format!(
            "{THREE}
[[asset]]
id = \"cable\"
name = \"Cable\"
economy = \"a\"
sector = \"telecom\"
serves = [{{ economy = \"b\", share = 0.4 }}, {{ economy = \"a\", share = 0.5 }}]

[[asset]]
id = \"big\"
name = \"Big\"
economy = \"b\"
sector = \"telecom\"
people_served = 3000

[[asset]]
id = \"small\"
name = \"Small\"
economy = \"b\"
sector = \"telecom\"
people_served = 1000

[[asset]]
id = \"alone\"
name = \"Alone\"
economy = \"c\"
sector = \"telecom\"
"
        ))
        .scenario;
        let serves = |n: usize| -> Vec<(u32, f64)> {
            s.assets[n]
                .serves()
                .iter()
                .map(|x| (x.economy.0, (x.share * 1e9).round() / 1e9))
                .collect()
        };
        assert_eq!(serves(0), [(1, 0.4), (0, 0.5)], "as stated, in file order");
        assert_eq!(serves(1), [(1, 0.45)], "three quarters of the 0.6 left");
        assert_eq!(serves(2), [(1, 0.15)]);
        assert_eq!(serves(3), [(2, 1.0)], "the whole sector where it is alone");
    }

    #[test]
    fn repair_hours_default_by_sector_id_after_asset_template_and_file() {
        let s = ok(&format!(
            "{HEAD}asset = {{ repair_hours = 40 }}

[[sector]]
id = \"water\"
name = \"W\"

[[sector]]
id = \"ports\"
name = \"P\"

[[asset]]
id = \"grid\"
name = \"Grid\"
economy = \"sg\"
sector = \"energy\"

[[asset]]
id = \"plant\"
name = \"Plant\"
economy = \"sg\"
sector = \"water\"

[[asset]]
id = \"quay\"
name = \"Quay\"
economy = \"sg\"
sector = \"ports\"

[[asset]]
id = \"own\"
name = \"Own\"
economy = \"sg\"
sector = \"ports\"
repair_hours = 480
"
        ))
        .scenario;
        let hours: Vec<f64> = s.assets.iter().map(|a| a.repair_hours).collect();
        assert_eq!(hours, [40.0, 120.0, 96.0, 480.0]);
    }

    #[test]
    fn groups_expand_in_file_order_and_split_dependency_weight() {
        let text = format!(
            "{HEAD}\n[[asset]]\nid = \"a\"\nname = \"A\"\neconomy = \"sg\"\nsector = \"energy\"\ndepends_on = [{{ on = \"g\", weight = 0.6 }}, {{ on = \"b\", weight = 0.2 }}]\n\n[[asset_group]]\nid = \"g\"\nname = \"G{{n}}\"\ncount = 3\neconomy = \"sg\"\nsector = \"energy\"\n\n[[asset]]\nid = \"b\"\nname = \"B\"\neconomy = \"sg\"\nsector = \"energy\"\n"
        );
        let s = ok(&text).scenario;
        let ids: Vec<String> = s.assets.iter().map(|a| a.id().into_owned()).collect();
        assert_eq!(ids, ["a", "g-1", "g-2", "g-3", "b"]);
        assert_eq!(s.assets[2].name(), "G2");
        let deps: Vec<(u32, f64)> = s.assets[0]
            .depends_on()
            .iter()
            .map(|d| (d.on.0, d.weight))
            .collect();
        assert_eq!(deps.len(), 4);
        assert_eq!(deps[3], (4, 0.2));
        for (k, (on, w)) in deps[..3].iter().enumerate() {
            assert_eq!(*on, k as u32 + 1);
            assert!((w - 0.2).abs() < 1e-12);
        }
        assert_eq!(s.assets[0].depends_on()[0].kind, DependencyKind::Cyber);
    }

    #[test]
    fn a_member_id_taken_by_an_asset_points_at_both() {
        check(&format!(
            "{HEAD}
[[asset]]
id = \"g-2\"
#    ----- first declared here
name = \"A\"
economy = \"sg\"
sector = \"energy\"

[[asset_group]]
id = \"g\"
#    ^^^ error[duplicate-id]: member `g-2` of group `g` has the id of another asset
#    --- first declared here, as a group member
name = \"G\"
count = 3
economy = \"sg\"
sector = \"energy\"

[[asset]]
id = \"g-3\"
#    ^^^^^ error[duplicate-id]: duplicate asset id `g-3`
name = \"B\"
economy = \"sg\"
sector = \"energy\"
"
        ));
    }

    #[test]
    fn dependencies_on_oneself_and_weights_over_one() {
        check(&format!(
            "{HEAD}
[[asset]]
id = \"a\"
name = \"A\"
economy = \"sg\"
sector = \"energy\"
depends_on = [{{ on = \"a\", weight = 0.5 }}, {{ on = \"g\", weight = 0 }}]
#                    ^^^ error[self-dependency]: `a` depends on itself
#                                                              ^ error[out-of-range]: dependency weight 0 is out of range

[[asset_group]]
id = \"g\"
name = \"G\"
count = 2
economy = \"sg\"
sector = \"energy\"
depends_on = [{{ on = \"g\", weight = 0.5 }}, {{ on = \"a\", weight = 0.9 }}]
#            ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ error[weights-over-one]: dependency weights add up to 1.4, more than 1
#                    ^^^ error[self-dependency]: group `g` depends on itself
"
        ));
    }

    #[test]
    fn a_group_of_no_members() {
        check(&format!(
            "{HEAD}
[[asset_group]]
id = \"g\"
name = \"G\"
count = 0
#       ^ error[out-of-range]: `count` must be at least 1
economy = \"sg\"
sector = \"energy\"
"
        ));
    }
}
