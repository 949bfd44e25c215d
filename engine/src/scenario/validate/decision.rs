//! `[[decision]]`: decision points offered to named teams when their trigger holds, with
//! two or more options, an optional deadline and default, and each option's effects.

use std::collections::HashMap;

use super::super::diagnostic::{Code, Diagnostic};
use super::super::model::*;
use super::super::spans::Seg::{Index as I, Key as K};
use super::inject::{Written, effects, trigger};
use super::{Validator, at};

/// Checks every decision point.
pub(super) fn build(cx: &mut Validator<'_>, campaigns: &[Campaign]) -> Vec<Decision> {
    let raw = cx.raw;
    let mut out = Vec::with_capacity(raw.decisions.len());
    for (i, d) in raw.decisions.iter().enumerate() {
        if d.title.trim().is_empty() {
            cx.error(
                Code::EmptyValue,
                at("decision", i, &[K("title")]),
                "the decision has no title",
                Some("write the question the teams must answer, e.g. \"Pay the ransom?\"".into()),
            );
        }
        let teams = teams(cx, i, &d.to);
        let written = Written {
            at: d.at,
            when: d.when.as_ref(),
            after: d.after.as_ref(),
        };
        let trigger = match trigger(cx, "decision", i, written, campaigns) {
            Trigger::Manual => Trigger::At(0),
            other => other,
        };
        if let Some(deadline) = d.deadline {
            cx.check_at_least_one(at("decision", i, &[K("deadline")]), "deadline", deadline);
        }
        let options = options(cx, i);
        let default = d.default.as_ref().and_then(|id| {
            let found = d.options.iter().position(|o| &o.id == id);
            if found.is_none() {
                let ids = d.options.iter().map(|o| o.id.as_str());
                let hint = super::super::suggest::did_you_mean(id, ids, "option");
                cx.error(
                    Code::UnknownReference,
                    at("decision", i, &[K("default")]),
                    format!("`default` names no option of this decision: `{id}`"),
                    hint,
                );
            }
            found.map(|n| n as u32)
        });
        if d.default.is_some() && d.deadline.is_none() {
            cx.warning(
                Code::NoEffect,
                at("decision", i, &[K("default")]),
                "a default with no deadline never applies: the decision stays open until the end",
                Some("give `deadline` (ticks to decide once offered) for the default to apply during play".into()),
            );
        }
        out.push(Decision {
            id: d.id.clone(),
            title: d.title.clone(),
            text: d.text.clone(),
            trigger,
            teams,
            deadline: d.deadline,
            default,
            options,
        });
    }
    out
}

/// The teams a decision is offered to: at least one, named one by one.
fn teams(cx: &mut Validator<'_>, i: usize, to: &[String]) -> Vec<TeamIdx> {
    if to.is_empty() {
        cx.error(
            Code::EmptyValue,
            at("decision", i, &[K("to")]),
            "the decision is offered to no team",
            Some("list the ids of the teams that decide, e.g. `to = [\"ser-csirt\"]`".into()),
        );
    }
    let mut teams = Vec::new();
    for (k, t) in to.iter().enumerate() {
        if t == "all" {
            cx.error(
                Code::InvalidValue,
                at("decision", i, &[K("to"), I(k)]),
                "a decision is offered to named teams, not to \"all\"",
                Some("list the teams whose role it is to decide".into()),
            );
            continue;
        }
        if let Some(team) = cx.team(t, at("decision", i, &[K("to"), I(k)])) {
            teams.push(team);
        }
    }
    teams.sort_unstable();
    teams.dedup();
    teams
}

/// The options of decision `i`: two or more, ids unique within it, at most one
/// recommended.
fn options(cx: &mut Validator<'_>, i: usize) -> Vec<DecisionOption> {
    let raw = cx.raw;
    let d = &raw.decisions[i];
    if d.options.len() < 2 {
        cx.error(
            Code::TooFewOptions,
            at("decision", i, &[K("id")]),
            format!(
                "decision `{}` has {} option(s): a decision needs at least two",
                d.id,
                d.options.len()
            ),
            Some("add `[[decision.option]]` blocks, each with `id` and `label`".into()),
        );
    }
    let mut seen: HashMap<&str, usize> = HashMap::new();
    let mut recommended: Option<usize> = None;
    let mut out = Vec::with_capacity(d.options.len());
    for (n, o) in d.options.iter().enumerate() {
        let id_at = [K("option"), I(n), K("id")];
        if o.id.trim().is_empty() {
            cx.error(
                Code::EmptyValue,
                at("decision", i, &id_at),
                "an option has an empty id",
                Some("give it a short id such as `pay`".into()),
            );
        } else if let Some(&first) = seen.get(o.id.as_str()) {
            let span = cx.span(at("decision", i, &id_at));
            let first_span = cx.span(at("decision", i, &[K("option"), I(first), K("id")]));
            cx.push(
                Diagnostic::error(
                    Code::DuplicateId,
                    span,
                    format!("duplicate option id `{}` in decision `{}`", o.id, d.id),
                )
                .with_hint("options of one decision need different ids; rename one of them")
                .with_label(first_span, "first declared here"),
            );
        } else {
            seen.insert(o.id.as_str(), n);
        }
        if o.label.trim().is_empty() {
            cx.error(
                Code::EmptyValue,
                at("decision", i, &[K("option"), I(n), K("label")]),
                "an option has an empty label",
                Some("write what the choice is, e.g. \"Refuse and restore from backups\"".into()),
            );
        }
        if o.recommended {
            if let Some(first) = recommended {
                let span = cx.span(at("decision", i, &[K("option"), I(n), K("recommended")]));
                let first_span = cx.span(at(
                    "decision",
                    i,
                    &[K("option"), I(first), K("recommended")],
                ));
                cx.push(
                    Diagnostic::error(
                        Code::ConflictingFields,
                        span,
                        format!("decision `{}` recommends two options", d.id),
                    )
                    .with_hint("bots take the recommended option: mark one only")
                    .with_label(first_span, "first recommended here"),
                );
            } else {
                recommended = Some(n);
            }
        }
        let effects = effects(cx, "decision", i, &[K("option"), I(n)], &o.effects);
        out.push(DecisionOption {
            id: o.id.clone(),
            label: o.label.clone(),
            text: o.text.clone(),
            effects,
            recommended: o.recommended,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::fixture::{SMALL, check};

    const DECISION: &str = "
[[decision]]
id = \"pay\"
title = \"Pay the ransom?\"
to = [\"ar-csirt\", \"bo-csirt\"]
when = { detected = \"phish-banks\" }
deadline = 4
default = \"refuse\"

[[decision.option]]
id = \"pay\"
label = \"Pay\"
effects = [{ adjust_trust = { economy = \"ar\", delta = -2.0 } }]

[[decision.option]]
id = \"refuse\"
label = \"Refuse and restore\"
recommended = true
";

    #[test]
    fn a_well_formed_decision_is_accepted() {
        check(&format!("{SMALL}{DECISION}"));
    }

    #[test]
    fn options_teams_and_default_are_checked() {
        check(&format!(
            "{SMALL}
[[decision]]
id = \"d\"
#    ^^^ error[too-few-options]: decision `d` has 1 option(s): a decision needs at least two
title = \"Speak now?\"
to = [\"all\", \"ar-csirtt\"]
#     ^^^^^ error[invalid-value]: a decision is offered to named teams, not to \"all\"
#            ^^^^^^^^^^^ error[unknown-reference]: unknown team `ar-csirtt`
deadline = 0
#          ^ error[out-of-range]: `deadline` must be at least 1
default = \"later\"
#         ^^^^^^^ error[unknown-reference]: `default` names no option of this decision: `later`

[[decision.option]]
id = \"now\"
label = \"\"
#       ^^ error[empty-value]: an option has an empty label

[[decision]]
id = \"e\"
title = \"Notify the regulator?\"
to = [\"ar-csirt\"]
default = \"yes\"
#         ^^^^^ warning[no-effect]: a default with no deadline never applies: the decision stays open until the end

[[decision.option]]
id = \"yes\"
#    ----- first declared here
label = \"Yes\"
recommended = true
#             ---- first recommended here

[[decision.option]]
id = \"yes\"
#    ^^^^^ error[duplicate-id]: duplicate option id `yes` in decision `e`
label = \"No\"
recommended = true
#             ^^^^ error[conflicting-fields]: decision `e` recommends two options
"
        ));
    }

    #[test]
    fn conditions_name_decisions_and_their_options() {
        let text = format!(
            "{SMALL}{DECISION}
[[inject]]
id = \"paid\"
headline = \"Paid\"
when = {{ decision = {{ id = \"pay\", option = \"pay\" }} }}

[[inject]]
id = \"typo\"
headline = \"Typo\"
when = {{ decision = {{ id = \"pay\", option = \"refuze\" }} }}
#                                          ^^^^^^^^ error[unknown-reference]: decision `pay` has no option `refuze`
"
        );
        check(&text);
    }
}
