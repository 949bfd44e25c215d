//! `[[team]]`: response teams, their economy, analysts and sectors.

use super::super::diagnostic::Code;
use super::super::model::*;
use super::super::spans::Seg::{Index as I, Key as K};
use super::defaults::*;
use super::{Validator, at};

/// Checks every team and applies its defaults.
pub(super) fn build(cx: &mut Validator<'_>) -> Vec<Team> {
    let raw = cx.raw;
    let default_analysts = raw.defaults.analysts.unwrap_or(DEFAULT_ANALYSTS);
    let mut out = Vec::with_capacity(raw.teams.len());
    for (i, t) in raw.teams.iter().enumerate() {
        let economy = cx.economy(&t.economy, at("team", i, &[K("economy")]));
        if let Some(a) = t.analysts {
            cx.check_at_least_one(at("team", i, &[K("analysts")]), "analysts", a);
        }
        let mut sectors = Vec::new();
        for (k, s) in t.sectors.iter().enumerate() {
            if let Some(s) = cx.sector(s, at("team", i, &[K("sectors"), I(k)])) {
                sectors.push(s);
            }
        }
        if !t.sectors.is_empty() && matches!(t.role, Role::Csirt | Role::LawEnforcement) {
            cx.warning(
                Code::NoEffect,
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

#[cfg(test)]
mod tests {
    use super::super::fixture::{HEAD, SMALL, check, ok};

    #[test]
    fn analysts_default_to_the_file_then_four() {
        assert_eq!(ok(SMALL).scenario.teams[1].analysts, 4);
        let text = SMALL.replace("analysts = 4\n", "analysts = 2\n");
        assert_eq!(ok(&text).scenario.teams[1].analysts, 2);
    }

    #[test]
    fn sectors_of_a_csirt_have_no_effect() {
        check(&format!(
            "{HEAD}
[[team]]
id = \"t\"
name = \"T\"
role = \"csirt\"
economy = \"sg\"
analysts = 0
#          ^ error[out-of-range]: `analysts` must be at least 1
sectors = [\"energy\", \"water\"]
#         ^^^^^^^^^^^^^^^^^^^ warning[no-effect]: `sectors` has no effect on this role
#                    ^^^^^^^ error[unknown-reference]: unknown sector `water`
"
        ));
    }
}
