//! "Did you mean ...?": the closest known name to a misspelt one.

/// Similarity (Jaro-Winkler, 0-1) a candidate needs to be offered as a correction.
const MIN_SIMILARITY: f64 = 0.8;
/// Candidates compared at most per suggestion, so that many dangling references in a
/// million-asset scenario stay fast.
pub const MAX_CANDIDATES: usize = 20_000;

/// The candidate closest to `wrong`, if any is close enough. Ties go to the earliest
/// candidate, so the answer is deterministic.
pub fn closest<'a, I>(wrong: &str, candidates: I) -> Option<&'a str>
where
    I: IntoIterator<Item = &'a str>,
{
    let wrong_lower = wrong.to_lowercase();
    let mut best: Option<(&'a str, f64)> = None;
    for candidate in candidates.into_iter().take(MAX_CANDIDATES) {
        if candidate == wrong {
            continue;
        }
        let score = similarity(&wrong_lower, &candidate.to_lowercase());
        if score >= MIN_SIMILARITY && best.is_none_or(|(_, s)| score > s) {
            best = Some((candidate, score));
        }
    }
    best.map(|(candidate, _)| candidate)
}

/// Jaro-Winkler similarity, raised to 0.9 when one name contains the other (a missing
/// prefix or suffix) and they differ by a few characters only.
fn similarity(a: &str, b: &str) -> f64 {
    let score = strsim::jaro_winkler(a, b);
    let contains = !a.is_empty() && !b.is_empty() && (a.contains(b) || b.contains(a));
    if contains && a.len().abs_diff(b.len()) <= 4 {
        score.max(0.9)
    } else {
        score
    }
}

/// A hint "did you mean `x`?" for `wrong` among `candidates`, or a list of what exists.
pub fn did_you_mean<'a, I>(wrong: &str, candidates: I, what: &str) -> Option<String>
where
    I: IntoIterator<Item = &'a str>,
    I::IntoIter: Clone,
{
    let candidates = candidates.into_iter();
    if let Some(best) = closest(wrong, candidates.clone()) {
        return Some(format!("did you mean `{best}`?"));
    }
    let known: Vec<&str> = candidates.collect();
    match known.len() {
        0 => Some(format!("no {what} is declared in this file")),
        1..=12 => Some(format!(
            "declared {what} ids: {}",
            known
                .iter()
                .map(|k| format!("`{k}`"))
                .collect::<Vec<_>>()
                .join(", ")
        )),
        _ => Some(format!(
            "no declared {what} has a similar id; `cyberdrill inspect` lists them"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_a_transposition_and_a_missing_letter() {
        let known = ["people_served", "posture", "resilience", "criticality"];
        assert_eq!(closest("resilence", known), Some("resilience"));
        assert_eq!(closest("postrue", known), Some("posture"));
        assert_eq!(closest("criticallity", known), Some("criticality"));
    }

    #[test]
    fn offers_nothing_for_an_unrelated_name() {
        assert_eq!(closest("zebra", ["people_served", "posture"]), None);
    }

    #[test]
    fn hint_lists_known_names_when_nothing_is_close() {
        let hint = did_you_mean("zz", ["sg", "jp"], "economy");
        assert_eq!(hint.as_deref(), Some("declared economy ids: `sg`, `jp`"));
        let hint = did_you_mean("sgg", ["sg", "jp"], "economy");
        assert_eq!(hint.as_deref(), Some("did you mean `sg`?"));
        let hint = did_you_mean("x", [], "team");
        assert_eq!(hint.as_deref(), Some("no team is declared in this file"));
    }
}
