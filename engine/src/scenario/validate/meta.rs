//! `[scenario]` and `[defaults]`: the exercise's clock and the file-wide defaults.

use super::super::diagnostic::Code;
use super::super::model::Meta;
use super::super::spans::Seg::Key as K;
use super::defaults::*;
use super::{Validator, at_table};

/// Checks `[scenario]` and `[defaults]` and applies their defaults.
pub(super) fn build(cx: &mut Validator<'_>) -> Meta {
    if !cx.origins().meta_broken {
        check(cx);
    }
    // With `[scenario]` missing or malformed (already reported), the rest is checked
    // against a clock with no end.
    model(cx)
}

fn check(cx: &mut Validator<'_>) {
    let m = &cx.raw.scenario;
    let d = &cx.raw.defaults;
    let tick_minutes = m.tick_minutes.unwrap_or(DEFAULT_TICK_MINUTES);
    cx.check_at_least_one(
        at_table("scenario", &[K("tick_minutes")]),
        "tick_minutes",
        tick_minutes,
    );
    cx.check_at_least_one(
        at_table("scenario", &[K("duration_ticks")]),
        "duration_ticks",
        m.duration_ticks,
    );
    cx.check_at_most(
        at_table("scenario", &[K("duration_ticks")]),
        "duration_ticks",
        m.duration_ticks,
        MAX_DURATION_TICKS,
        "runs go through every tick and keep a point of history per economy per tick; use longer ticks (`tick_minutes`)",
    );
    if m.id.trim().is_empty() {
        cx.error(
            Code::EmptyValue,
            at_table("scenario", &[K("id")]),
            "`id` is empty",
            Some("give a short machine id such as `apec-regional`".into()),
        );
    }
    if let Some(a) = d.analysts {
        cx.check_at_least_one(at_table("defaults", &[K("analysts")]), "analysts", a);
    }
    cx.check_asset_defaults("defaults", None, &[K("asset")], &d.asset);
}

/// `[scenario]` and `[defaults]` with their defaults applied.
fn model(cx: &Validator<'_>) -> Meta {
    let m = &cx.raw.scenario;
    let d = &cx.raw.defaults;
    Meta {
        id: m.id.clone(),
        title: m.title.clone(),
        briefing: m.briefing.clone(),
        tick_minutes: m.tick_minutes.unwrap_or(DEFAULT_TICK_MINUTES),
        duration_ticks: m.duration_ticks,
        start_label: m.start_label.clone(),
        sharing_delay_without_agreement: d
            .sharing_delay_without_agreement
            .unwrap_or(DEFAULT_SHARING_DELAY),
        mla_delay_without_agreement: d.mla_delay_without_agreement.unwrap_or(DEFAULT_MLA_DELAY),
        assistance_delay_without_agreement: d
            .assistance_delay_without_agreement
            .unwrap_or(DEFAULT_ASSISTANCE_DELAY),
    }
}

#[cfg(test)]
mod tests {
    use super::super::fixture::{check, ok, rendered};

    #[test]
    fn the_clock_and_the_id_are_checked() {
        check(
            "[scenario]
id = \" \"
#    ^^^ error[empty-value]: `id` is empty
title = \"T\"
duration_ticks = 0
#                ^ error[out-of-range]: `duration_ticks` must be at least 1
tick_minutes = 0
#              ^ error[out-of-range]: `tick_minutes` must be at least 1

[defaults]
analysts = 0
#          ^ error[out-of-range]: `analysts` must be at least 1
",
        );
    }

    #[test]
    fn the_length_of_an_exercise_has_a_documented_maximum() {
        check(
            "[scenario]
id = \"t\"
title = \"T\"
duration_ticks = 100001
#                ^^^^^^ error[over-limit]: `duration_ticks` is 100001, more than the maximum of 100000
",
        );
        ok("[scenario]\nid = \"t\"\ntitle = \"T\"\nduration_ticks = 100000\n");
    }

    #[test]
    fn defaults_of_the_clock_and_the_delays() {
        let meta = ok("[scenario]\nid = \"t\"\ntitle = \"T\"\nduration_ticks = 3\n")
            .scenario
            .meta;
        assert_eq!(meta.tick_minutes, 60);
        assert_eq!(meta.sharing_delay_without_agreement, 12);
        assert_eq!(meta.mla_delay_without_agreement, 48);
        assert_eq!(meta.assistance_delay_without_agreement, 12);
    }

    #[test]
    fn a_broken_scenario_table_does_not_hide_other_problems() {
        let small = super::super::fixture::SMALL;
        let text = small
            .replace("title = \"Two economies, one payment switch\"\n", "")
            .replace(
                "economy = \"ar\"\nsector = \"energy\"",
                "economy = \"aar\"\nsector = \"energy\"",
            );
        let out = rendered(&text);
        assert!(out.contains("missing field `title` in `scenario`"), "{out}");
        assert!(out.contains("unknown economy `aar`"), "{out}");
        // No error about the clock, which is unknown rather than wrong.
        assert!(!out.contains("after the end of the exercise"), "{out}");
    }
}
