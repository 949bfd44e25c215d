//! From the parsed TOML document to [`RawScenario`], reporting every shape error.
//!
//! Each top-level section, and each element of each `[[section]]` array, is deserialized
//! on its own so that one bad element does not hide the problems of the others; serde's
//! error messages are rewritten for authors (with "did you mean" for unknown names) and
//! placed at the span the TOML deserializer attaches to them.

use std::ops::Range;

use serde::de::DeserializeOwned;
use toml::Spanned;
use toml::de::{DeTable, DeValue, ValueDeserializer};

use super::diagnostic::{Code, Diagnostic};
use super::raw::RawScenario;
use super::spans::Origins;
use super::suggest;

/// Top-level keys a scenario file may have.
pub const SECTIONS: [&str; 15] = [
    "scenario",
    "defaults",
    "economy",
    "sector",
    "asset",
    "asset_group",
    "actor",
    "campaign",
    "inject",
    "team",
    "agreement",
    "objective",
    "decision",
    "training_objective",
    "module",
];

/// The raw scenario built from the elements that deserialized, where they came from,
/// and the problems found.
pub struct Split {
    pub raw: RawScenario,
    pub origins: Origins,
    pub diagnostics: Vec<Diagnostic>,
}

/// Deserializes every section and element of the document on its own.
pub fn split(root: &Spanned<DeTable<'_>>) -> Split {
    let mut raw = RawScenario::default();
    let mut origins = Origins::default();
    let mut diagnostics = Vec::new();
    let mut meta_ok = false;
    for (key, value) in root.get_ref().iter() {
        let name: &str = key.get_ref();
        match name {
            "scenario" => match single(value, "scenario") {
                Ok(meta) => {
                    raw.scenario = meta;
                    meta_ok = true;
                }
                Err(d) => diagnostics.push(d),
            },
            "defaults" => match single(value, "defaults") {
                Ok(defaults) => raw.defaults = defaults,
                Err(d) => diagnostics.push(d),
            },
            "economy" => raw.economies = array(value, "economy", &mut origins, &mut diagnostics),
            "sector" => raw.sectors = array(value, "sector", &mut origins, &mut diagnostics),
            "asset" => {
                raw.assets = array(value, "asset", &mut origins, &mut diagnostics);
                origins.asset_starts = starts(value, origins.positions.get("asset"));
            }
            "asset_group" => {
                raw.asset_groups = array(value, "asset_group", &mut origins, &mut diagnostics);
                origins.group_starts = starts(value, origins.positions.get("asset_group"));
            }
            "actor" => raw.actors = array(value, "actor", &mut origins, &mut diagnostics),
            "campaign" => raw.campaigns = array(value, "campaign", &mut origins, &mut diagnostics),
            "inject" => raw.injects = array(value, "inject", &mut origins, &mut diagnostics),
            "team" => raw.teams = array(value, "team", &mut origins, &mut diagnostics),
            "agreement" => {
                raw.agreements = array(value, "agreement", &mut origins, &mut diagnostics)
            }
            "objective" => {
                raw.objectives = array(value, "objective", &mut origins, &mut diagnostics)
            }
            "decision" => raw.decisions = array(value, "decision", &mut origins, &mut diagnostics),
            "training_objective" => {
                raw.training_objectives =
                    array(value, "training_objective", &mut origins, &mut diagnostics)
            }
            "module" => raw.modules = array(value, "module", &mut origins, &mut diagnostics),
            other => {
                diagnostics.push(unknown_section(other, key.span()));
                record_misnamed_ids(other, value, &mut origins);
            }
        }
    }
    let has_scenario = root.get_ref().contains_key("scenario");
    if !has_scenario {
        diagnostics.push(
            Diagnostic::error(Code::MissingSection, 0..0, "missing `[scenario]` table").with_hint(
                "every scenario starts with `[scenario]` giving `id`, `title` and `duration_ticks`",
            ),
        );
    }
    if !meta_ok {
        origins.meta_broken = true;
        raw.scenario.duration_ticks = u32::MAX;
    }
    Split {
        raw,
        origins,
        diagnostics,
    }
}

fn unknown_section(name: &str, span: Range<usize>) -> Diagnostic {
    let hint = match suggest::closest(name, SECTIONS) {
        Some(best) => format!("did you mean `{best}`?"),
        None => format!("sections are {}", backticked(&SECTIONS)),
    };
    Diagnostic::error(
        Code::UnknownSection,
        span,
        format!("unknown section `{name}`"),
    )
    .with_hint(hint)
}

/// Ids declared under a misspelt section name count as broken ids of the section it
/// most likely meant, so that references to them are not reported a second time.
fn record_misnamed_ids(name: &str, value: &Spanned<DeValue<'_>>, origins: &mut Origins) {
    let Some(meant) = suggest::closest(name, SECTIONS) else {
        return;
    };
    let Some(section) = SECTIONS.iter().copied().find(|s| *s == meant) else {
        return;
    };
    if let DeValue::Array(items) = value.get_ref() {
        let ids = items.iter().filter_map(id_of);
        origins.broken_ids.entry(section).or_default().extend(ids);
    }
}

/// Start offsets of the deserialized elements of an array section.
fn starts(value: &Spanned<DeValue<'_>>, positions: Option<&Vec<usize>>) -> Vec<usize> {
    let DeValue::Array(items) = value.get_ref() else {
        return Vec::new();
    };
    positions
        .map(|p| {
            p.iter()
                .map(|i| items.get(*i).map_or(0, element_start))
                .collect()
        })
        .unwrap_or_default()
}

/// Where an element begins: its span, or its first key when the span is empty.
fn element_start(item: &Spanned<DeValue<'_>>) -> usize {
    let span = item.span();
    if span.start < span.end {
        return span.start;
    }
    match item.get_ref() {
        DeValue::Table(t) => t.keys().map(|k| k.span().start).min().unwrap_or(span.start),
        _ => span.start,
    }
}

/// Deserializes a `[section]` table.
fn single<T: DeserializeOwned>(
    value: &Spanned<DeValue<'_>>,
    section: &str,
) -> Result<T, Diagnostic> {
    if !matches!(value.get_ref(), DeValue::Table(_)) {
        return Err(Diagnostic::error(
            Code::WrongType,
            value.span(),
            format!("`{section}` must be a table"),
        )
        .with_hint(format!(
            "write it as a `[{section}]` header followed by its fields"
        )));
    }
    deserialize(value, section)
}

/// Deserializes each element of a `[[section]]` array, recording where each came from.
fn array<T: DeserializeOwned>(
    value: &Spanned<DeValue<'_>>,
    section: &'static str,
    origins: &mut Origins,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<T> {
    let DeValue::Array(items) = value.get_ref() else {
        diagnostics.push(
            Diagnostic::error(
                Code::WrongType,
                value.span(),
                format!("`{section}` must be a list of tables"),
            )
            .with_hint(format!(
                "write each one under its own `[[{section}]]` header (two brackets)"
            )),
        );
        return Vec::new();
    };
    let mut out = Vec::with_capacity(items.len());
    let mut positions = Vec::with_capacity(items.len());
    for (position, item) in items.iter().enumerate() {
        let label = format!("{section}[{position}]");
        if !matches!(item.get_ref(), DeValue::Table(_)) {
            diagnostics.push(
                Diagnostic::error(
                    Code::WrongType,
                    item.span(),
                    format!("`{label}` must be a table"),
                )
                .with_hint(format!(
                    "write each one under its own `[[{section}]]` header"
                )),
            );
            continue;
        }
        match deserialize(item, &label) {
            Ok(element) => {
                out.push(element);
                positions.push(position);
            }
            Err(diagnostic) => {
                diagnostics.push(diagnostic);
                if let Some(id) = id_of(item) {
                    origins.broken_ids.entry(section).or_default().push(id);
                }
            }
        }
    }
    origins.positions.insert(section, positions);
    out
}

/// The `id` string of a table element, if it has one.
fn id_of(item: &Spanned<DeValue<'_>>) -> Option<String> {
    match item.get_ref() {
        DeValue::Table(t) => t
            .get("id")
            .and_then(|v| v.get_ref().as_str())
            .map(str::to_owned),
        _ => None,
    }
}

/// Deserializes one value, turning the error into a diagnostic at its span.
fn deserialize<T: DeserializeOwned>(
    value: &Spanned<DeValue<'_>>,
    label: &str,
) -> Result<T, Diagnostic> {
    let deserializer = ValueDeserializer::from(value.clone());
    serde_path_to_error::deserialize(deserializer).map_err(|err| {
        let path = err.path().to_string();
        let inner = err.into_inner();
        let span = inner.span().unwrap_or_else(|| value.span());
        let location = if path == "." {
            label.to_owned()
        } else {
            format!("{label}.{path}")
        };
        explain(inner.message(), &location, span)
    })
}

/// Rewrites a serde/TOML message for authors and adds a hint.
pub fn explain(message: &str, location: &str, span: Range<usize>) -> Diagnostic {
    if let Some(rest) = message.strip_prefix("unknown field `") {
        let (name, expected) = split_name(rest);
        let known = expected_names(expected);
        let location = location
            .strip_suffix(&format!(".{name}"))
            .unwrap_or(location);
        let hint = match suggest::closest(name, known.iter().copied()) {
            Some(best) => format!("did you mean `{best}`?"),
            None if known.is_empty() => "this table takes no fields".to_owned(),
            None => format!("fields allowed here: {}", backticked(&known)),
        };
        return Diagnostic::error(
            Code::UnknownField,
            span,
            format!("unknown field `{name}` in `{location}`"),
        )
        .with_hint(hint);
    }
    if let Some(rest) = message.strip_prefix("unknown variant `") {
        let (name, expected) = split_name(rest);
        let known = expected_names(expected);
        let hint = match suggest::closest(name, known.iter().copied()) {
            Some(best) => format!("did you mean `{best}`?"),
            None => format!("allowed values: {}", backticked(&known)),
        };
        return Diagnostic::error(
            Code::UnknownValue,
            span,
            format!("unknown value `{name}` for `{location}`"),
        )
        .with_hint(hint);
    }
    if let Some(rest) = message.strip_prefix("missing field `") {
        let name = rest.split('`').next().unwrap_or(rest);
        return Diagnostic::error(
            Code::MissingField,
            span,
            format!("missing field `{name}` in `{location}`"),
        )
        .with_hint(format!("add `{name} = ...` to this table"));
    }
    for prefix in ["invalid type: ", "invalid value: "] {
        if let Some(rest) = message.strip_prefix(prefix)
            && let Some((found, expected)) = rest.rsplit_once(", expected ")
        {
            let what = describe_expected(expected);
            let problem = if prefix == "invalid type: " {
                format!("expected {what}, found {found}")
            } else {
                format!("{found} is out of range: expected {what}")
            };
            let code = if prefix == "invalid type: " {
                Code::WrongType
            } else {
                Code::OutOfRange
            };
            return Diagnostic::error(code, span, format!("`{location}`: {problem}"))
                .with_hint(type_hint(found, &what));
        }
    }
    Diagnostic::error(
        Code::InvalidValue,
        span,
        format!("`{location}`: {}", message.trim_end()),
    )
}

/// Splits "name`, expected ..." into the name and the rest.
fn split_name(rest: &str) -> (&str, &str) {
    match rest.split_once('`') {
        Some((name, tail)) => (name, tail),
        None => (rest, ""),
    }
}

/// The backticked names in "..., expected one of `a`, `b`".
fn expected_names(text: &str) -> Vec<&str> {
    text.split('`').skip(1).step_by(2).collect()
}

fn backticked(names: &[&str]) -> String {
    names
        .iter()
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// What to write instead of a value of the wrong type.
fn type_hint(found: &str, what: &str) -> String {
    if found.starts_with("string") && what.contains("number") {
        "numbers are written without quotes".to_owned()
    } else if found.starts_with("floating point") && what.contains("whole number") {
        "write a whole number, without a decimal point".to_owned()
    } else if what == "a string" {
        "text is written in double quotes, e.g. \"sg\"".to_owned()
    } else {
        format!("this field takes {what}")
    }
}

/// serde's name for an expected type, in words an author knows.
fn describe_expected(expected: &str) -> String {
    match expected {
        "u8" => "a whole number from 0 to 255".to_owned(),
        "u32" => "a whole number from 0 to 4294967295".to_owned(),
        "u64" => "a whole number, 0 or more".to_owned(),
        "i32" => "a whole number".to_owned(),
        "f64" => "a number".to_owned(),
        "a sequence" => "an array `[...]`".to_owned(),
        "a boolean" => "`true` or `false`".to_owned(),
        other if other.starts_with("struct ") => "a table".to_owned(),
        other if other.starts_with("enum ") => {
            "a one-key table such as `{ name = value }`".to_owned()
        }
        other => other.to_owned(),
    }
}
