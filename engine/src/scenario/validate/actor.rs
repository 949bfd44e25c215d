//! `[[actor]]`: threat actors and their capability.

use super::super::model::Actor;
use super::super::spans::Seg::Key as K;
use super::{Validator, at};

/// Checks every actor.
pub(super) fn build(cx: &mut Validator<'_>) -> Vec<Actor> {
    let raw = cx.raw;
    raw.actors
        .iter()
        .enumerate()
        .map(|(i, a)| {
            cx.check_score(
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

#[cfg(test)]
mod tests {
    use super::super::fixture::{HEAD, check};

    #[test]
    fn capability_is_a_score() {
        check(&format!(
            "{HEAD}
[[actor]]
id = \"x\"
name = \"X\"
kind = \"criminal\"
capability = 101
#            ^^^ error[out-of-range]: `capability` is 101, out of range
"
        ));
    }
}
