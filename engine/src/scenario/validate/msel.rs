//! An inject's master scenario events list (MSEL) fields: sender, channel, recipients by
//! role, expected player actions (scored as OpenBAS scores its expectations), evaluator
//! notes and discussion questions.

use super::super::diagnostic::Code;
use super::super::model::*;
use super::super::raw::{RawExpectation, RawInject};
use super::super::spans::Seg::{Index as I, Key as K};
use super::super::suggest;
use super::{Validator, at};
use crate::command::CommandKind;

/// Points of an expected action that does not say.
pub const DEFAULT_EXPECTATION_SCORE: u32 = 100;

/// The name of a command as files write it (`share_indicators`).
pub fn action_name(kind: CommandKind) -> String {
    serde_json::to_value(kind)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

/// The commands teams send, which an expected action may name (the facilitator's are
/// not players' actions).
fn player_action(name: &str) -> Option<CommandKind> {
    CommandKind::ALL
        .iter()
        .copied()
        .filter(|k| !k.roles().is_empty())
        .find(|k| action_name(*k) == name)
}

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
    let mut action = None;
    if let Some(name) = &e.action {
        action = player_action(name);
        if action.is_none() {
            let names: Vec<String> = CommandKind::ALL
                .iter()
                .filter(|k| !k.roles().is_empty())
                .map(|k| action_name(*k))
                .collect();
            let hint = match suggest::closest(name, names.iter().map(String::as_str)) {
                Some(best) => format!("did you mean `{best}`?"),
                None => format!("players' commands: {}", names.join(", ")),
            };
            cx.error(
                Code::UnknownValue,
                at("inject", i, &path("action")),
                format!("unknown command `{name}` for an expected action"),
                Some(hint),
            );
            ok = false;
        }
    }
    let may_act = |cx: &Validator<'_>, team: TeamIdx| {
        action.is_none_or(|kind| {
            cx.raw
                .teams
                .get(team.index())
                .is_some_and(|t| kind.allowed_to(t.role))
        })
    };
    let mut teams = Vec::new();
    for (n, t) in e.teams.iter().enumerate() {
        let path = [K("expect"), I(k), K("teams"), I(n)];
        match cx.team(t, at("inject", i, &path)) {
            Some(team) if !may_act(cx, team) => {
                let (kind, role) = (action.map(action_name), cx.raw.teams[team.index()].role);
                cx.error(
                    Code::OutOfReach,
                    at("inject", i, &path),
                    format!(
                        "`{t}` is a {} team and cannot `{}`",
                        role_name(role),
                        kind.unwrap_or_default()
                    ),
                    Some("expect the action of a team whose role may send the command, or leave `action` out for evaluators to judge".into()),
                );
                ok = false;
            }
            Some(team) => teams.push(team),
            None => ok = false,
        }
    }
    if e.teams.is_empty() {
        teams = receivers
            .iter()
            .copied()
            .filter(|t| may_act(cx, *t))
            .collect();
        if teams.is_empty() {
            cx.error(
                Code::OutOfReach,
                at("inject", i, &[K("expect"), I(k)]),
                format!("nobody is expected to act on `{}`: the inject goes to no team that may", e.id),
                Some("name the expected `teams`, or send the inject to teams (with `to` or `to_roles`) whose role may send the command".into()),
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
        action,
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
        assert_eq!(
            share.action,
            Some(crate::command::CommandKind::ShareIndicators)
        );
        assert_eq!(share.teams, vec![TeamIdx(0), TeamIdx(1)]);
        assert_eq!((share.within, share.score), (Some(6), 50));
        assert_eq!(share.objectives, vec![ObjectiveIdx(1)]);
        let statement = &msel.expectations[1];
        assert_eq!((statement.action, statement.score), (None, 100));
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
# ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ error[out-of-reach]: nobody is expected to act on `a`: the inject goes to no team that may
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

    #[test]
    fn expected_teams_must_be_allowed_the_command() {
        check(&format!(
            "{SMALL}
[[inject]]
id = \"z\"
headline = \"Z\"
to = [\"all\"]
expect = [
  {{ id = \"sue\", description = \"d\", action = \"legal_action\", teams = [\"ar-csirt\"] }},
#                                                                    ^^^^^^^^^^ error[out-of-reach]: `ar-csirt` is a csirt team and cannot `legal_action`
  {{ id = \"sue-all\", description = \"d\", action = \"legal_action\" }},
# ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ error[out-of-reach]: nobody is expected to act on `sue-all`: the inject goes to no team that may
]
"
        ));
    }
}
