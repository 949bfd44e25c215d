//! `[[economy]]`: the economies taking part, their readiness, awareness and trust, and
//! the shares of their output (GDP) that each sector produces.

use super::super::diagnostic::Code;
use super::super::model::{DEFAULT_SPAM_FILTERING, Economy, Readiness, Sector};
use super::super::spans::Seg::{Index as I, Key as K};
use super::defaults::*;
use super::{Validator, at};

/// Tolerance on sums of shares written with a few decimals.
pub(super) const SHARE_EPSILON: f64 = 1e-9;

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
        let spam_filtering = e.spam_filtering.unwrap_or(DEFAULT_SPAM_FILTERING);
        cx.check_percent(
            at("economy", i, &[K("spam_filtering")]),
            "spam_filtering",
            spam_filtering,
        );
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
            spam_filtering: if (0.0..=100.0).contains(&spam_filtering) {
                spam_filtering
            } else {
                DEFAULT_SPAM_FILTERING
            },
            sector_shares: Vec::new(),
        });
    }
    out
}

/// Each economy's share of output per sector (its `sector_shares`, else the sector's
/// `output_share`), checked to add up to at most 1: outages can never cost an economy
/// more than its output (Santos & Haimes 2004).
pub(super) fn resolve_sector_shares(
    cx: &mut Validator<'_>,
    economies: &mut [Economy],
    sectors: &[Sector],
) {
    let raw = cx.raw;
    for (i, e) in raw.economies.iter().enumerate() {
        let mut shares: Vec<f64> = sectors.iter().map(|s| s.output_share).collect();
        let mut given = vec![false; sectors.len()];
        for (k, s) in e.sector_shares.iter().enumerate() {
            let share_path = [K("sector_shares"), I(k), K("share")];
            cx.check_unit(at("economy", i, &share_path), "share", s.share);
            let sector_path = [K("sector_shares"), I(k), K("sector")];
            let sector_at = at("economy", i, &sector_path);
            let Some(sector) = cx.sector(&s.sector, sector_at) else {
                continue;
            };
            if given[sector.index()] {
                cx.error(
                    Code::Repeated,
                    sector_at,
                    format!("sector `{}` is given a share twice", s.sector),
                    Some("keep one share per sector".into()),
                );
            }
            given[sector.index()] = true;
            if s.share.is_finite() {
                shares[sector.index()] = s.share;
            }
        }
        let total: f64 = shares.iter().sum();
        if total > 1.0 + SHARE_EPSILON {
            let path: &[_] = if e.sector_shares.is_empty() {
                &[K("id")]
            } else {
                &[K("sector_shares")]
            };
            cx.error(
                Code::SharesOverOne,
                at("economy", i, path),
                format!(
                    "the sectors of `{}` produce {total:.3} of its output, more than all of it",
                    e.id
                ),
                Some(
                    "lower `sector_shares` here or the sectors' `output_share` so they add up to at most 1"
                        .into(),
                ),
            );
        }
        if let Some(economy) = economies.get_mut(i) {
            economy.sector_shares = shares;
        }
    }
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
    fn sector_shares_resolve_and_add_up_to_at_most_one() {
        check(
            "[scenario]
id = \"t\"
title = \"T\"
duration_ticks = 10

[[economy]]
id = \"sg\"
name = \"S\"
population = 100
readiness = { legal = 1, technical = 2, organizational = 3, capacity = 4, cooperation = 5 }
sector_shares = [
#               ^ error[shares-over-one]: the sectors of `sg` produce 1.200 of its output, more than all of it
    { sector = \"energy\", share = 0.2 },
    { sector = \"energy\", share = 0.4 },
#              ^^^^^^^^ error[repeated]: sector `energy` is given a share twice
    { sector = \"enrgy\", share = 1.5 },
#              ^^^^^^^ error[unknown-reference]: unknown sector `enrgy`
#                               ^^^ error[out-of-range]: `share` is 1.5, out of range
]

[[sector]]
id = \"energy\"
name = \"E\"

[[sector]]
id = \"finance\"
name = \"F\"
output_share = 0.8
",
        );
    }

    #[test]
    fn an_economy_takes_each_sectors_share_unless_it_says_otherwise() {
        let s = ok("[scenario]
id = \"t\"
title = \"T\"
duration_ticks = 10

[[economy]]
id = \"sg\"
name = \"S\"
population = 100
readiness = { legal = 1, technical = 2, organizational = 3, capacity = 4, cooperation = 5 }
sector_shares = [{ sector = \"energy\", share = 0.1 }]

[[sector]]
id = \"energy\"
name = \"E\"

[[sector]]
id = \"finance\"
name = \"F\"

[[sector]]
id = \"mining\"
name = \"M\"
output_share = 0.2
")
        .scenario;
        assert_eq!(s.sectors[0].output_share, 0.025, "energy's default");
        assert_eq!(s.sectors[1].output_share, 0.07, "finance's default");
        assert_eq!(s.sectors[2].output_share, 0.2, "as written");
        assert_eq!(s.economies[0].sector_shares, [0.1, 0.07, 0.2]);
    }

    #[test]
    fn economies_default_gdp_awareness_and_trust() {
        let s = ok(SMALL).scenario;
        assert_eq!(s.economies[1].gdp_per_capita, 10_000.0);
        assert_eq!(s.economies[1].trust, 70);
        assert_eq!(s.economies[1].awareness, 35);
    }

    /// Spam filtering is a percentage, 99 when not given.
    #[test]
    fn spam_filtering_is_a_percent_with_a_default() {
        assert_eq!(ok(SMALL).scenario.economies[0].spam_filtering, 99.0);
        check(
            "[scenario]
id = \"t\"
title = \"T\"
duration_ticks = 10

[[economy]]
id = \"sg\"
name = \"S\"
population = 100
readiness = { legal = 1, technical = 2, organizational = 3, capacity = 4, cooperation = 5 }
spam_filtering = 120.0
#                ^^^^^ error[out-of-range]: `spam_filtering` is 120, out of range
",
        );
    }
}
