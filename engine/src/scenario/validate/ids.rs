//! Ids: declaring them (the one duplicate-id check) and resolving references to them
//! (the one unknown-reference check, with "did you mean").
//!
//! Every namespace is declared before any section is built, so a reference may name an
//! element further down the file. Ids of elements that failed to deserialize are
//! remembered as broken: references to them are not reported a second time.

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use super::super::diagnostic::{Code, Diagnostic};
use super::super::model::*;
use super::super::spans::{Origins, Seg};
use super::super::suggest;
use super::{At, Validator, asset, at};

/// Most name comparisons spent on "did you mean" hints in one validation.
const SUGGESTION_BUDGET: usize = 2_000_000;

/// A resolved asset-namespace name: one asset, or a group of consecutive members.
#[derive(Debug, Clone, Copy)]
pub(super) enum AssetName {
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

/// Where an id was first declared.
struct Entry<T> {
    value: T,
    span: Range<usize>,
}

/// The ids of one namespace: each id's value and where it was declared.
pub(super) struct Ids<T = u32> {
    /// What the ids name, in messages: "economy", "asset".
    kind: &'static str,
    index: HashMap<String, Entry<T>>,
    /// Ids that may be suggested, in file order.
    order: Vec<String>,
    broken: HashSet<String>,
}

impl<T: Copy> Ids<T> {
    fn new(kind: &'static str, sections: &[&str], origins: &Origins) -> Self {
        let broken = sections
            .iter()
            .flat_map(|s| origins.broken_ids.get(s).into_iter().flatten().cloned())
            .collect();
        Self {
            kind,
            index: HashMap::new(),
            order: Vec::new(),
            broken,
        }
    }

    fn find(&self, id: &str) -> Found<T> {
        match self.index.get(id) {
            Some(entry) => Found::Yes(entry.value),
            None if self.broken.contains(id) => Found::Broken,
            None => Found::No,
        }
    }
}

/// Every namespace of the file.
pub(super) struct Names {
    pub economies: Ids,
    pub sectors: Ids,
    pub actors: Ids,
    pub campaigns: Ids,
    pub injects: Ids,
    pub teams: Ids,
    pub agreements: Ids,
    pub objectives: Ids,
    pub decisions: Ids,
    pub training_objectives: Ids,
    /// Expected actions, keyed by [`expectation_key`], valued by their index in the inject.
    pub expectations: Ids,
    /// Asset ids, group ids and member ids share one namespace: `assets` holds the ids
    /// written in the file, `members` answers for the members' ids.
    pub assets: Ids<AssetName>,
    pub members: Members,
    /// Names compared so far for "did you mean" hints.
    suggestion_work: usize,
}

impl Names {
    pub fn new(origins: &Origins) -> Self {
        let ids = |kind, section| Ids::new(kind, &[section], origins);
        Self {
            economies: ids("economy", "economy"),
            sectors: ids("sector", "sector"),
            actors: ids("actor", "actor"),
            campaigns: ids("campaign", "campaign"),
            injects: ids("inject", "inject"),
            teams: ids("team", "team"),
            agreements: ids("agreement", "agreement"),
            objectives: ids("objective", "objective"),
            decisions: ids("decision", "decision"),
            training_objectives: ids("training objective", "training_objective"),
            expectations: Ids::new("expected action", &[], origins),
            assets: Ids::new("asset", &["asset", "asset_group"], origins),
            members: Members::default(),
            suggestion_work: 0,
        }
    }

    /// Accounts for comparing one unknown id with `candidates` names; false once the
    /// run's budget is spent (thousands of dangling ids in a huge scenario), after which
    /// errors come without "did you mean".
    fn spend_suggestion_work(&mut self, candidates: usize) -> bool {
        self.suggestion_work += candidates.min(suggest::MAX_CANDIDATES);
        self.suggestion_work <= SUGGESTION_BUDGET
    }
}

/// Picks one namespace out of [`Names`].
pub(super) type Namespace<T> = fn(&mut Names) -> &mut Ids<T>;

/// Declares the ids of every section; returns the order of `[[asset]]` and
/// `[[asset_group]]` entries and the asset count (see [`asset::declare`]).
pub(super) fn declare_all(cx: &mut Validator<'_>) -> asset::Order {
    let raw = cx.raw;
    section(
        cx,
        "economy",
        |n| &mut n.economies,
        &raw.economies,
        |e| &e.id,
    );
    section(cx, "sector", |n| &mut n.sectors, &raw.sectors, |e| &e.id);
    section(cx, "actor", |n| &mut n.actors, &raw.actors, |e| &e.id);
    section(
        cx,
        "campaign",
        |n| &mut n.campaigns,
        &raw.campaigns,
        |e| &e.id,
    );
    section(cx, "inject", |n| &mut n.injects, &raw.injects, |e| &e.id);
    section(cx, "team", |n| &mut n.teams, &raw.teams, |e| &e.id);
    section(
        cx,
        "agreement",
        |n| &mut n.agreements,
        &raw.agreements,
        |e| &e.id,
    );
    section(
        cx,
        "objective",
        |n| &mut n.objectives,
        &raw.objectives,
        |e| &e.id,
    );
    section(
        cx,
        "decision",
        |n| &mut n.decisions,
        &raw.decisions,
        |e| &e.id,
    );
    let training: Namespace<u32> = |n| &mut n.training_objectives;
    section(
        cx,
        "training_objective",
        training,
        &raw.training_objectives,
        |e| &e.id,
    );
    for (i, inject) in raw.injects.iter().enumerate() {
        for (k, e) in inject.expect.iter().enumerate() {
            let path = [Seg::Key("expect"), Seg::Index(k), Seg::Key("id")];
            let at = at("inject", i, &path);
            let key = expectation_key(&inject.id, &e.id);
            let declared = Declared::Expectation {
                inject: &inject.id,
                id: &e.id,
            };
            declare(cx, |n| &mut n.expectations, &key, k as u32, at, declared);
        }
    }
    asset::declare(cx)
}

/// Declares the `id` of every element of `[[section]]`, valued by its index.
fn section<T>(
    cx: &mut Validator<'_>,
    section: &'static str,
    namespace: Namespace<u32>,
    elements: &[T],
    id: fn(&T) -> &String,
) {
    for (i, element) in elements.iter().enumerate() {
        let at = at(section, i, &[Seg::Key("id")]);
        declare(cx, namespace, id(element), i as u32, at, Declared::Element);
    }
}

/// The key of expected action `id` of inject `inject` in [`Names::expectations`]
/// (joined by a control character no one types in an id).
pub(super) fn expectation_key(inject: &str, id: &str) -> String {
    format!("{inject}\u{1f}{id}")
}

/// What is being declared, for the message when the id is taken.
#[derive(Clone, Copy)]
pub(super) enum Declared<'g> {
    /// An element of a section, under its own `id`.
    Element,
    /// Expected action `id` of inject `inject` (ids are unique within an inject).
    Expectation { inject: &'g str, id: &'g str },
}

/// Declares `id` in a namespace, or reports it as a duplicate (with the first
/// declaration as a secondary label); true if it was new.
pub(super) fn declare<T: Copy>(
    cx: &mut Validator<'_>,
    namespace: Namespace<T>,
    id: &str,
    value: T,
    at: At<'_>,
    declared: Declared<'_>,
) -> bool {
    let span = cx.span(at);
    let table = namespace(&mut cx.ids);
    if let Some(first) = table.index.get(id) {
        let kind = table.kind;
        let first_span = first.span.clone();
        let diagnostic = match declared {
            Declared::Element => duplicate_id(kind, id, span),
            Declared::Expectation { inject, id } => Diagnostic::error(
                Code::DuplicateId,
                span,
                format!("duplicate expected action id `{id}` in inject `{inject}`"),
            )
            .with_hint("the expected actions of one inject need different ids; rename one of them"),
        };
        cx.push(diagnostic.with_label(first_span, "first declared here"));
        return false;
    }
    table.order.push(id.to_owned());
    table.index.insert(id.to_owned(), Entry { value, span });
    true
}

fn duplicate_id(kind: &str, id: &str, span: Range<usize>) -> Diagnostic {
    let hint = if kind == "asset" {
        "asset, group and group-member ids share one namespace; rename one of them"
    } else {
        "ids of one kind must be unique; rename one of them"
    };
    Diagnostic::error(
        Code::DuplicateId,
        span,
        format!("duplicate {kind} id `{id}`"),
    )
    .with_hint(hint)
}

/// The ids of group members (`G-1` .. `G-N`), answered from the groups instead of one
/// table entry per member: a scenario of a million assets in groups would otherwise
/// spend a hash-map entry and a string on each (about 170 bytes per asset). A member id
/// ends in `-n`, n written without leading zeros, so the group it belongs to is the part
/// before its last `-`: two groups' members never share an id, and only an id written
/// in the file can take a member's.
#[derive(Default)]
pub(super) struct Members {
    /// Each group id (the first group declaring it): its first member and count, and the
    /// span of its id.
    groups: HashMap<String, (u32, u32, Range<usize>)>,
    /// Ids written in the file that have a member's shape `P-n`, by `P`: n and where.
    shaped: HashMap<String, Vec<(u32, Range<usize>)>>,
}

/// `P-n` split into `P` and n, if the id has a member's shape.
pub(super) fn member_parts(id: &str) -> Option<(&str, u32)> {
    let (group, n) = id.rsplit_once('-')?;
    if n.is_empty() || n.starts_with('0') || !n.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some((group, n.parse().ok()?))
}

impl Members {
    /// The member `id` names, and where its group's id is.
    fn find(&self, id: &str) -> Option<(AssetIdx, &Range<usize>)> {
        let (group, n) = member_parts(id)?;
        match self.groups.get(group) {
            Some((first, count, span)) if n >= 1 && n <= *count => {
                Some((AssetIdx(first + (n - 1)), span))
            }
            _ => None,
        }
    }
}

/// Declares an id written in the file in the asset namespace (an asset's or a group's),
/// refusing one already taken by another asset, group or member; true if it was new.
pub(super) fn declare_asset(
    cx: &mut Validator<'_>,
    id: &str,
    value: AssetName,
    at: At<'_>,
) -> bool {
    if let Some((_, group_span)) = cx.ids.members.find(id) {
        let group_span = group_span.clone();
        if !cx.ids.assets.index.contains_key(id) {
            let span = cx.span(at);
            cx.push(
                duplicate_id("asset", id, span)
                    .with_label(group_span, "first declared here, as a group member"),
            );
            return false;
        }
    }
    if !declare(cx, |n| &mut n.assets, id, value, at, Declared::Element) {
        return false;
    }
    if let Some((prefix, n)) = member_parts(id) {
        let span = cx.ids.assets.index.get(id).map(|e| e.span.clone());
        if let Some(span) = span {
            let shaped = cx.ids.members.shaped.entry(prefix.to_owned()).or_default();
            shaped.push((n, span));
        }
    }
    true
}

/// Declares the members `group-1` .. `group-count` of a group whose first member is
/// asset `first`, reporting each one whose id an asset or group declared earlier took.
pub(super) fn declare_members(
    cx: &mut Validator<'_>,
    group: &str,
    first: u32,
    count: u32,
    at: At<'_>,
) {
    if cx.ids.members.groups.contains_key(group) {
        return; // a second group of the same id: its id is already reported
    }
    let span = cx.span(at);
    let mut taken: Vec<(u32, Range<usize>)> = cx
        .ids
        .members
        .shaped
        .get(group)
        .into_iter()
        .flatten()
        .filter(|(n, _)| (1..=count).contains(n))
        .cloned()
        .collect();
    taken.sort_by_key(|(n, _)| *n);
    for (n, first_span) in taken {
        let id = asset::member_id(group, n);
        cx.push(
            Diagnostic::error(
                Code::DuplicateId,
                span.clone(),
                format!("member `{id}` of group `{group}` has the id of another asset"),
            )
            .with_hint(format!(
                "members of group `{group}` are named `{group}-1`, `{group}-2`, ...; rename the group or the asset"
            ))
            .with_label(first_span, "first declared here"),
        );
    }
    cx.ids
        .members
        .groups
        .insert(group.to_owned(), (first, count, span));
}

impl Validator<'_> {
    /// Resolves a reference, reporting a dangling one with a suggestion.
    fn resolve(&mut self, namespace: Namespace<u32>, id: &str, at: At<'_>) -> Option<u32> {
        let table = namespace(&mut self.ids);
        match table.find(id) {
            Found::Yes(i) => Some(i),
            Found::Broken => None,
            Found::No => {
                let (kind, candidates) = (table.kind, table.order.len());
                let hint = if self.ids.spend_suggestion_work(candidates) {
                    let table = namespace(&mut self.ids);
                    suggest::did_you_mean(id, table.order.iter().map(String::as_str), kind)
                } else {
                    None
                };
                self.error(
                    Code::UnknownReference,
                    at,
                    format!("unknown {kind} `{id}`"),
                    hint,
                );
                None
            }
        }
    }

    pub fn economy(&mut self, id: &str, at: At<'_>) -> Option<EconomyIdx> {
        self.resolve(|n| &mut n.economies, id, at).map(EconomyIdx)
    }

    pub fn sector(&mut self, id: &str, at: At<'_>) -> Option<SectorIdx> {
        self.resolve(|n| &mut n.sectors, id, at).map(SectorIdx)
    }

    pub fn actor(&mut self, id: &str, at: At<'_>) -> Option<ActorIdx> {
        self.resolve(|n| &mut n.actors, id, at).map(ActorIdx)
    }

    pub fn campaign(&mut self, id: &str, at: At<'_>) -> Option<CampaignIdx> {
        self.resolve(|n| &mut n.campaigns, id, at).map(CampaignIdx)
    }

    pub fn inject(&mut self, id: &str, at: At<'_>) -> Option<InjectIdx> {
        self.resolve(|n| &mut n.injects, id, at).map(InjectIdx)
    }

    pub fn team(&mut self, id: &str, at: At<'_>) -> Option<TeamIdx> {
        self.resolve(|n| &mut n.teams, id, at).map(TeamIdx)
    }

    pub fn decision(&mut self, id: &str, at: At<'_>) -> Option<DecisionIdx> {
        self.resolve(|n| &mut n.decisions, id, at).map(DecisionIdx)
    }

    /// An option of a decision, by its id (options are numbered in file order).
    pub fn decision_option(&mut self, decision: DecisionIdx, id: &str, at: At<'_>) -> Option<u32> {
        let raw = self.raw;
        let decision = raw.decisions.get(decision.index())?;
        let options = &decision.options;
        if let Some(n) = options.iter().position(|o| o.id == id) {
            return Some(n as u32);
        }
        let hint = suggest::did_you_mean(id, options.iter().map(|o| o.id.as_str()), "option");
        self.error(
            Code::UnknownReference,
            at,
            format!("decision `{}` has no option `{id}`", decision.id),
            hint,
        );
        None
    }

    pub fn objective(&mut self, id: &str, at: At<'_>) -> Option<ObjectiveIdx> {
        self.resolve(|n| &mut n.objectives, id, at)
            .map(ObjectiveIdx)
    }

    /// Resolves expected action `id` of inject `inject` (already resolved), reporting
    /// an unknown one with the inject's expected actions as suggestions.
    pub fn expectation(&mut self, inject: &str, id: &str, at: At<'_>) -> Option<u32> {
        match self.ids.expectations.find(&expectation_key(inject, id)) {
            Found::Yes(k) => Some(k),
            Found::Broken => None,
            Found::No => {
                let raw = self.raw;
                let known = raw
                    .injects
                    .iter()
                    .filter(|i| i.id == inject)
                    .flat_map(|i| &i.expect)
                    .map(|e| e.id.as_str());
                let hint = suggest::did_you_mean(id, known, "expected action");
                self.error(
                    Code::UnknownReference,
                    at,
                    format!("inject `{inject}` has no expected action `{id}`"),
                    hint,
                );
                None
            }
        }
    }

    /// An optional reference: absent is fine, present must resolve (`Err` once reported).
    pub fn optional<'p, T>(
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

    /// Resolves an asset or group name.
    pub fn asset_name(&mut self, id: &str, at: At<'_>) -> Option<AssetName> {
        let table = &self.ids.assets;
        let found = match table.find(id) {
            Found::Yes(name) => Found::Yes(name),
            other => match self.ids.members.find(id) {
                Some((member, _)) => Found::Yes(AssetName::Asset(member)),
                None => other,
            },
        };
        match found {
            Found::Yes(name) => Some(name),
            Found::Broken => None,
            Found::No => {
                let candidates = table.order.len();
                let hint = if self.ids.spend_suggestion_work(candidates) {
                    let names = self.ids.assets.order.iter().map(String::as_str);
                    suggest::did_you_mean(id, names, "asset")
                } else {
                    None
                };
                self.error(
                    Code::UnknownReference,
                    at,
                    format!("unknown asset or asset group `{id}`"),
                    hint,
                );
                None
            }
        }
    }

    /// Resolves an asset name that must be one asset, not a group.
    pub fn single_asset(&mut self, id: &str, at: At<'_>, field: &str) -> Option<AssetIdx> {
        match self.asset_name(id, at)? {
            AssetName::Asset(a) => Some(a),
            AssetName::Group { .. } => {
                self.error(
                    Code::WrongKind,
                    at,
                    format!("`{id}` is a group; `{field}` needs one asset"),
                    Some(format!(
                        "name one member such as `{}`",
                        asset::member_id(id, 1)
                    )),
                );
                None
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::fixture::{HEAD, check};

    #[test]
    fn a_duplicate_points_at_the_first_declaration() {
        check(&format!(
            "{HEAD}
[[sector]]
id = \"energy\"
#    ^^^^^^^^ error[duplicate-id]: duplicate sector id `energy`
name = \"Again\"
"
        ));
    }

    #[test]
    fn the_duplicate_label_is_on_the_first_id() {
        check(
            "[scenario]
id = \"t\"
title = \"T\"
duration_ticks = 10

[[actor]]
id = \"x\"
#    --- first declared here
name = \"X\"
kind = \"criminal\"
capability = 5

[[actor]]
id = \"x\"
#    ^^^ error[duplicate-id]: duplicate actor id `x`
name = \"Y\"
kind = \"insider\"
capability = 5
",
        );
    }

    #[test]
    fn agreements_and_objectives_are_checked_by_the_same_rule() {
        let text = format!(
            "{HEAD}
[[economy]]
id = \"my\"
name = \"M\"
population = 100
readiness = {{ legal = 1, technical = 2, organizational = 3, capacity = 4, cooperation = 5 }}

[[agreement]]
id = \"a\"
kind = \"assistance\"
parties = [\"sg\", \"my\"]
delay = 1

[[agreement]]
id = \"a\"
#    ^^^ error[duplicate-id]: duplicate agreement id `a`
kind = \"assistance\"
parties = [\"sg\", \"my\"]
delay = 1

[[objective]]
id = \"o\"
description = \"d\"
goal = {{ trust_at_least = {{ economy = \"sg\", level = 5 }} }}

[[objective]]
id = \"o\"
#    ^^^ error[duplicate-id]: duplicate objective id `o`
description = \"d\"
goal = {{ trust_at_least = {{ economy = \"sg\", level = 5 }} }}
"
        );
        check(&text);
    }

    #[test]
    fn an_unknown_reference_suggests_the_closest_id() {
        let text = format!(
            "{HEAD}
[[team]]
id = \"t\"
name = \"T\"
role = \"csirt\"
economy = \"sgg\"
#         ^^^^^ error[unknown-reference]: unknown economy `sgg`
"
        );
        check(&text);
        let rendered = super::super::fixture::rendered(&text);
        assert!(
            rendered.contains("= hint: did you mean `sg`?"),
            "{rendered}"
        );
    }
}
