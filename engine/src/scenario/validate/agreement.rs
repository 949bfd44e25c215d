//! `[[agreement]]`: information sharing, mutual legal assistance and assistance between
//! economies.

use super::super::diagnostic::Code;
use super::super::model::*;
use super::super::spans::Seg::{Index as I, Key as K};
use super::{Validator, at};

/// Checks every agreement's parties.
pub(super) fn build(cx: &mut Validator<'_>) -> Vec<Agreement> {
    let raw = cx.raw;
    let mut out = Vec::with_capacity(raw.agreements.len());
    for (i, a) in raw.agreements.iter().enumerate() {
        let mut parties = Vec::new();
        let mut unresolved = false;
        for (k, p) in a.parties.iter().enumerate() {
            match cx.economy(p, at("agreement", i, &[K("parties"), I(k)])) {
                Some(e) => {
                    if parties.contains(&e) {
                        cx.warning(
                            Code::Repeated,
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
            cx.error(
                Code::TooFewParties,
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

#[cfg(test)]
mod tests {
    use super::super::fixture::{HEAD, check};

    #[test]
    fn an_agreement_binds_two_different_economies() {
        check(&format!(
            "{HEAD}
[[agreement]]
id = \"a\"
kind = \"information_sharing\"
parties = [\"sg\", \"sg\"]
#         ^^^^^^^^^^^^ error[too-few-parties]: an agreement needs at least two different parties
#                ^^^^ warning[repeated]: `sg` is listed twice
delay = 2
"
        ));
    }
}
