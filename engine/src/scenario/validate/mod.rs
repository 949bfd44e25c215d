//! The semantic pass: from [`RawScenario`] to the checked [`Scenario`].
//!
//! Resolves every id to an index, expands asset groups in place, applies the defaults of
//! [`defaults`], and checks ranges, references, dependency weights and triggers,
//! collecting every problem as a [`Diagnostic`] placed by path (see [`super::spans`]).
//!
//! # Layout
//!
//! One module per section of the file, the way rust-analyzer keeps one handler module
//! per diagnostic: each section module has a `build` function that checks the section's
//! elements and returns their part of the model, and the tests of its diagnostics next to
//! it. [`ids`] declares every id before any section is built (so that references may
//! point forwards) and is the only place a duplicate id or an unknown reference is
//! reported. [`checks`] holds the range checks shared by several sections. Checks that
//! need several finished parts (inject timing, campaigns nothing starts) live with the
//! section they report on and run after it in [`Validator::build`].
//!
//! # Adding a section
//!
//! 1. `raw.rs`: the `Raw*` struct (`deny_unknown_fields`; its doc comments become the
//!    JSON Schema) and its field in `RawScenario`, `#[serde(default, rename = "name")]`.
//! 2. `document.rs`: the name in `SECTIONS` and one arm in `split`.
//! 3. `model.rs`: the checked type and its field in `Scenario`.
//! 4. `validate/NAME.rs`: `pub(super) fn build(cx: &mut Validator<'_>) -> Vec<...>` and its
//!    tests; in this file a `mod` line and one line in [`Validator::build`]; in `ids.rs` a
//!    line in `declare_all` if other sections refer to its ids.
//! 5. `scenarios/README.md`: the section's table, and in `tests/validate.rs` the schema
//!    test's list of sections.
//!
//! A new field of an existing section is checked in that section's module only.
//!
//! # Diagnostics
//!
//! Report with [`Validator::error`] or [`Validator::warning`]: a [`Code`], where (an [`At`]:
//! section, element and path, turned into a span of the file), a message saying what is
//! wrong and a hint saying what to do. A related place goes in a secondary label
//! ([`Diagnostic::with_label`]) with its own caret. A new kind of problem gets a new
//! [`Code`] in `diagnostic.rs` (the authoring guide's table of codes is checked against
//! it). Tests write the diagnostics they expect as carets under the offending line in a
//! TOML comment, checked by [`fixture::check`].

mod actor;
mod agreement;
mod asset;
mod campaign;
mod checks;
mod condition;
mod decision;
mod defaults;
mod economy;
mod ids;
mod inject;
mod meta;
mod module;
mod msel;
mod objective;
mod sector;
mod team;
mod timing;
mod training;

#[cfg(test)]
mod fixture;

use std::ops::Range;

use super::diagnostic::{Code, Diagnostic};
use super::model::Scenario;
use super::raw::RawScenario;
use super::spans::{Origins, Seg, SpanIndex};

pub use asset::member_id;
pub use campaign::is_technique_id;
pub use condition::{Bounds, never_holds};
pub use defaults::*;
pub use objective::role_can_pursue;

/// Where the raw scenario came from: spans and file positions, when it came from text.
pub struct Context<'a> {
    pub text: Option<&'a str>,
    pub spans: Option<&'a SpanIndex<'a>>,
    pub origins: &'a Origins,
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
    let mut cx = Validator::new(raw, ctx);
    let scenario = cx.build();
    let (errors, warnings): (Vec<_>, Vec<_>) =
        cx.diagnostics.into_iter().partition(Diagnostic::is_error);
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

/// Element `element` of `[[section]]`, then `path` inside it.
fn at<'p>(section: &'static str, element: usize, path: &'p [Seg]) -> At<'p> {
    At {
        section,
        element: Some(element),
        path,
    }
}

/// The `[section]` table, then `path` inside it.
fn at_table<'p>(section: &'static str, path: &'p [Seg]) -> At<'p> {
    At {
        section,
        element: None,
        path,
    }
}

/// The validator's working state, handed to every section's `build`.
struct Validator<'a> {
    raw: &'a RawScenario,
    ctx: &'a Context<'a>,
    diagnostics: Vec<Diagnostic>,
    /// The last tick (`u32::MAX` when `[scenario]` is broken: nothing is after the end).
    duration: u32,
    /// Every id of the file, by namespace.
    ids: ids::Names,
    /// The asset list could not be built whole (too many assets or dependencies).
    assets_incomplete: bool,
    /// `after` conditions numbered so far (see [`super::model::Condition::After`]).
    watches: u32,
}

impl<'a> Validator<'a> {
    fn new(raw: &'a RawScenario, ctx: &'a Context<'a>) -> Self {
        Self {
            raw,
            ctx,
            diagnostics: Vec::new(),
            duration: raw.scenario.duration_ticks,
            ids: ids::Names::new(ctx.origins),
            assets_incomplete: false,
            watches: 0,
        }
    }

    /// The number of the next `after` condition.
    fn next_watch(&mut self) -> u32 {
        self.watches += 1;
        self.watches - 1
    }

    /// The whole pass, section by section.
    fn build(&mut self) -> Scenario {
        let order = ids::declare_all(self);
        let meta = meta::build(self);
        let mut economies = economy::build(self);
        let sectors = sector::build(self);
        economy::resolve_sector_shares(self, &mut economies, &sectors);
        let mut parts = asset::build(self, &order);
        asset::apportion_output(self, &economies, &sectors, &mut parts);
        let assets = asset::expand(parts);
        let actors = actor::build(self);
        let campaigns = campaign::build(self, &assets);
        let teams = team::build(self);
        let injects = inject::build(self, &campaigns);
        timing::check(self, &injects);
        campaign::warn_never_started(self, &campaigns, &injects);
        let agreements = agreement::build(self);
        let objectives = objective::build(self, &teams);
        let decisions = decision::build(self, &campaigns);
        let training_objectives = training::build(self, &objectives, &injects);
        let modules = module::build(self);
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
            decisions,
            watches: self.watches,
            training_objectives,
            modules,
        }
    }

    /// Where the raw scenario came from.
    fn origins(&self) -> &'a Origins {
        self.ctx.origins
    }

    /// The span of `at` in the file (empty without text).
    fn span(&self, at: At<'_>) -> Range<usize> {
        let element = at.element.map(|e| self.ctx.origins.position(at.section, e));
        self.ctx
            .spans
            .map_or(0..0, |s| s.span(at.section, element, at.path))
    }

    /// Records a diagnostic built by the caller (one with labels).
    fn push(&mut self, diagnostic: Diagnostic) {
        self.diagnostics.push(diagnostic);
    }

    /// Reports an error at `at`.
    fn error(&mut self, code: Code, at: At<'_>, message: impl Into<String>, hint: Option<String>) {
        let span = self.span(at);
        self.push(Diagnostic::error(code, span, message).with_optional_hint(hint));
    }

    /// Reports a warning at `at`.
    fn warning(
        &mut self,
        code: Code,
        at: At<'_>,
        message: impl Into<String>,
        hint: Option<String>,
    ) {
        let span = self.span(at);
        self.push(Diagnostic::warning(code, span, message).with_optional_hint(hint));
    }
}
