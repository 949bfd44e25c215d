//! `[[economy]]`: the economies taking part, their readiness, awareness and trust.

use super::super::diagnostic::Code;
use super::super::model::{Economy, Readiness};
use super::super::spans::Seg::Key as K;
use super::defaults::*;
use super::{Validator, at};

/// Checks every economy and applies its defaults.
pub(super) fn build(cx: &mut Validator<'_>) -> Vec<Economy> {
    let raw = cx.raw;
    let mut out = Vec::with_capacity(raw.economies.len());
    for (i, e) in raw.economies.iter().enumerate() {
        let r = e.readiness;
        for (name, value) in [
            ("legal", r.legal),
            ("technical", r.technical),
            ("organizational", r.organizational),
            ("capacity", r.capacity),
            ("cooperation", r.cooperation),
        ] {
            cx.check_score(at("economy", i, &[K("readiness"), K(name)]), name, value);
        }
        if e.population == 0 {
            cx.error(
                Code::OutOfRange,
                at("economy", i, &[K("population")]),
                "`population` must be at least 1",
                None,
            );
        }
        let gdp = e.gdp_per_capita.unwrap_or(DEFAULT_GDP_PER_CAPITA);
        if !(gdp.is_finite() && gdp > 0.0) {
            cx.error(
                Code::OutOfRange,
                at("economy", i, &[K("gdp_per_capita")]),
                format!("`gdp_per_capita` is {gdp}, out of range"),
                Some("give yearly GDP per inhabitant in US dollars, more than 0".into()),
            );
        }
        let awareness = e.awareness.unwrap_or(DEFAULT_AWARENESS);
        cx.check_score(at("economy", i, &[K("awareness")]), "awareness", awareness);
        let trust = e.trust.unwrap_or(DEFAULT_TRUST);
        cx.check_score(at("economy", i, &[K("trust")]), "trust", trust);
        out.push(Economy {
            id: e.id.clone(),
            name: e.name.clone(),
            population: e.population,
            gdp_per_capita: gdp,
            readiness: Readiness {
                legal: r.legal,
                technical: r.technical,
                organizational: r.organizational,
                capacity: r.capacity,
                cooperation: r.cooperation,
            },
            awareness,
            trust,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::fixture::{SMALL, check, ok};

    #[test]
    fn scores_population_and_gdp_are_in_range() {
        check(
            "[scenario]
id = \"t\"
title = \"T\"
duration_ticks = 10

[[economy]]
id = \"sg\"
name = \"S\"
population = 0
#            ^ error[out-of-range]: `population` must be at least 1
gdp_per_capita = -1.0
#                ^^^^ error[out-of-range]: `gdp_per_capita` is -1, out of range
readiness = { legal = 101, technical = 2, organizational = 3, capacity = 4, cooperation = 5 }
#                     ^^^ error[out-of-range]: `legal` is 101, out of range
awareness = 200
#           ^^^ error[out-of-range]: `awareness` is 200, out of range
trust = 101
#       ^^^ error[out-of-range]: `trust` is 101, out of range
",
        );
    }

    #[test]
    fn economies_default_gdp_awareness_and_trust() {
        let s = ok(SMALL).scenario;
        assert_eq!(s.economies[1].gdp_per_capita, 10_000.0);
        assert_eq!(s.economies[1].trust, 70);
        assert_eq!(s.economies[1].awareness, 35);
    }
}
