//! An inject's master scenario events list (MSEL) fields: sender, channel, recipients by
//! role, expected player actions (scored as OpenBAS scores its expectations), evaluator
//! notes and discussion questions.

use super::super::diagnostic::Code;
use super::super::model::*;
use super::super::raw::{RawExpectation, RawInject};
use super::super::spans::Seg::{Index as I, Key as K};
use super::super::suggest;
use super::{Validator, at};

/// Points of an expected action that does not say.
pub const DEFAULT_EXPECTATION_SCORE: u32 = 100;

/// The commands players send that an expected action may name, by their serde names.
pub const PLAYER_ACTIONS: [&str; 13] = [
    "investigate",
    "contain",
    "restore",
    "harden_sector",
    "awareness_campaign",
    "share_indicators",
    "request_assistance",
    "provide_assistance",
    "legal_action",
    "mutual_legal_assistance",
    "takedown",
    "coordinate_operators",
    "message",
];

/// Teams of the roles in `roles`, in index order.
pub(super) fn teams_of_roles(cx: &Validator<'_>, roles: &[Role]) -> Vec<TeamIdx> {
    cx.raw
        .teams
        .iter()
        .enumerate()
        .filter(|(_, t)| roles.contains(&t.role))
        .map(|(k, _)| TeamIdx(k as u32))
        .collect()
}

/// Checks the MSEL fields of inject `i`, whose audience (with `to_roles`) is `audience`.
pub(super) fn build(
    cx: &mut Validator<'_>,
    i: usize,
    inj: &RawInject,
    audience: &Audience,
) -> Msel {
    if inj.sender.as_deref().is_some_and(|s| s.trim().is_empty()) {
        cx.error(
            Code::EmptyValue,
            at("inject", i, &[K("sender")]),
            "`sender` is empty",
            Some("name the persona the message comes from, e.g. \"Minister of Health\", or leave it out".into()),
        );
    }
    for (k, role) in inj.to_roles.iter().enumerate() {
        if teams_of_roles(cx, std::slice::from_ref(role)).is_empty() {
            cx.warning(
                Code::NoEffect,
                at("inject", i, &[K("to_roles"), I(k)]),
                format!("no team has the role `{}`", role_name(*role)),
                Some("add a team of this role, or remove it from `to_roles`".into()),
            );
        }
    }
    let receivers = match audience {
        Audience::All => (0..cx.raw.teams.len()).map(|t| TeamIdx(t as u32)).collect(),
        Audience::Teams(teams) => teams.clone(),
        Audience::Facilitator => Vec::new(),
    };
    let expectations = inj
        .expect
        .iter()
        .enumerate()
        .filter_map(|(k, e)| expectation(cx, i, k, e, &receivers))
        .collect();
    Msel {
        sender: inj.sender.clone(),
        channel: inj.channel,
        to_roles: inj.to_roles.clone(),
        expectations,
        evaluator_notes: inj.evaluator_notes.clone(),
        questions: inj.questions.clone(),
    }
}

fn expectation(
    cx: &mut Validator<'_>,
    i: usize,
    k: usize,
    e: &RawExpectation,
    receivers: &[TeamIdx],
) -> Option<Expectation> {
    let path = |field: &'static str| [K("expect"), I(k), K(field)];
    let mut ok = true;
    if let Some(action) = &e.action
        && !PLAYER_ACTIONS.contains(&action.as_str())
    {
        let hint = match suggest::closest(action, PLAYER_ACTIONS) {
            Some(best) => format!("did you mean `{best}`?"),
            None => format!("players' commands: {}", PLAYER_ACTIONS.join(", ")),
        };
        cx.error(
            Code::UnknownValue,
            at("inject", i, &path("action")),
            format!("unknown command `{action}` for an expected action"),
            Some(hint),
        );
        ok = false;
    }
    let mut teams = Vec::new();
    for (n, t) in e.teams.iter().enumerate() {
        match cx.team(t, at("inject", i, &[K("expect"), I(k), K("teams"), I(n)])) {
            Some(t) => teams.push(t),
            None => ok = false,
        }
    }
    if e.teams.is_empty() {
        teams = receivers.to_vec();
        if teams.is_empty() {
            cx.error(
                Code::OutOfReach,
                at("inject", i, &[K("expect"), I(k)]),
                format!("nobody is expected to act on `{}`: the inject goes to no team", e.id),
                Some("name the expected `teams`, or send the inject to teams with `to` or `to_roles`".into()),
            );
            ok = false;
        }
    }
    teams.sort_unstable();
    teams.dedup();
    if let Some(within) = e.within {
        cx.check_at_least_one(at("inject", i, &path("within")), "within", within);
    }
    let score = e.score.unwrap_or(DEFAULT_EXPECTATION_SCORE);
    if !(1..=100).contains(&score) {
        cx.error(
            Code::OutOfRange,
            at("inject", i, &path("score")),
            format!("`score` is {score}, out of range"),
            Some("an expected action is worth 1 to 100 points".into()),
        );
    }
    let mut objectives = Vec::new();
    for (n, o) in e.objectives.iter().enumerate() {
        match cx.objective(
            o,
            at("inject", i, &[K("expect"), I(k), K("objectives"), I(n)]),
        ) {
            Some(o) => objectives.push(o),
            None => ok = false,
        }
    }
    ok.then(|| Expectation {
        id: e.id.clone(),
        description: e.description.clone(),
        action: e.action.clone(),
        teams,
        within: e.within,
        score,
        objectives,
    })
}

/// A role as the file writes it.
pub fn role_name(role: Role) -> &'static str {
    match role {
        Role::Csirt => "csirt",
        Role::Regulator => "regulator",
        Role::Operator => "operator",
        Role::LawEnforcement => "law_enforcement",
    }
}

#[cfg(test)]
mod tests {
    use super::super::fixture::{SMALL, check, ok};
    use crate::scenario::model::*;

    const MSEL: &str = "
[[inject]]
id = \"minister\"
headline = \"The minister calls\"
at = 3
sender = \"Minister of Finance\"
channel = \"phone\"
to_roles = [\"csirt\"]
evaluator_notes = \"Watch whether the CSIRT asks its partner before answering.\"
questions = [\"Who speaks for the region?\", \"What do you tell the press?\"]
expect = [
  { id = \"share\", description = \"Share the phishing indicators with the partner\", action = \"share_indicators\", within = 6, score = 50, objectives = [\"detect-fast\"] },
  { id = \"statement\", description = \"Agree a joint statement\", teams = [\"ar-csirt\"] },
]
";

    #[test]
    fn msel_fields_are_checked_and_kept() {
        let s = ok(&format!("{SMALL}{MSEL}")).scenario;
        let inject = s.injects.last().expect("the inject");
        // `to_roles` makes every CSIRT a recipient.
        assert_eq!(
            inject.audience,
            Audience::Teams(vec![TeamIdx(0), TeamIdx(1)])
        );
        let msel = &inject.msel;
        assert_eq!(msel.sender.as_deref(), Some("Minister of Finance"));
        assert_eq!(msel.channel, Some(Channel::Phone));
        assert_eq!(msel.questions.len(), 2);
        let share = &msel.expectations[0];
        assert_eq!(share.action.as_deref(), Some("share_indicators"));
        assert_eq!(share.teams, vec![TeamIdx(0), TeamIdx(1)]);
        assert_eq!((share.within, share.score), (Some(6), 50));
        assert_eq!(share.objectives, vec![ObjectiveIdx(1)]);
        let statement = &msel.expectations[1];
        assert_eq!((statement.action.as_deref(), statement.score), (None, 100));
        assert_eq!(statement.teams, vec![TeamIdx(0)]);
    }

    #[test]
    fn an_inject_without_msel_fields_has_none() {
        let s = ok(SMALL).scenario;
        assert_eq!(s.injects[0].msel, Msel::default());
    }

    #[test]
    fn bad_msel_fields() {
        check(&format!(
            "{SMALL}
[[inject]]
id = \"x\"
headline = \"X\"
sender = \" \"
#        ^^^ error[empty-value]: `sender` is empty
to_roles = [\"regulator\"]
#           ^^^^^^^^^^^ warning[no-effect]: no team has the role `regulator`
"
        ));
        check(&format!(
            "{SMALL}
[[inject]]
id = \"x\"
headline = \"X\"
channel = \"fax\"
#         ^^^^^ error[unknown-value]: unknown value `fax` for `inject[3].channel`
"
        ));
        check(&format!(
            "{SMALL}
[[inject]]
id = \"y\"
headline = \"Y\"
expect = [
  {{ id = \"a\", description = \"d\", action = \"share_indicator\", score = 0 }},
# ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ error[out-of-reach]: nobody is expected to act on `a`: the inject goes to no team
#                                         ^^^^^^^^^^^^^^^^^ error[unknown-value]: unknown command `share_indicator` for an expected action
#                                                                    ^ error[out-of-range]: `score` is 0, out of range
  {{ id = \"a\", description = \"d\", teams = [\"ar-csirt\"], within = 0, objectives = [\"keep-payment\"] }},
#        ^^^ error[duplicate-id]: duplicate expected action id `a` in inject `y`
#                                                               ^ error[out-of-range]: `within` must be at least 1
#                                                                                ^^^^^^^^^^^^^^ error[unknown-reference]: unknown objective `keep-payment`
]
"
        ));
    }
}
