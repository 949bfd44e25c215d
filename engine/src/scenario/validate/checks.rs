//! Range checks shared by several sections: scores, counts, levels, ticks, and the
//! asset fields that `[defaults.asset]`, a sector's `asset` table and an asset share.

use super::super::diagnostic::Code;
use super::super::raw::{RawAssetDefaults, RawPosture};
use super::super::spans::Seg::{self, Key as K};
use super::{At, Validator};

impl Validator<'_> {
    /// A score: 0-100.
    pub fn check_score(&mut self, at: At<'_>, name: &str, value: u8) {
        if value > 100 {
            self.error(
                Code::OutOfRange,
                at,
                format!("`{name}` is {value}, out of range"),
                Some("scores run from 0 to 100".into()),
            );
        }
    }

    /// A count or a number of ticks that must be at least 1.
    pub fn check_at_least_one(&mut self, at: At<'_>, name: &str, value: u32) {
        if value == 0 {
            self.error(
                Code::OutOfRange,
                at,
                format!("`{name}` must be at least 1"),
                None,
            );
        }
    }

    /// At most `max`: a documented limit on the work a file may ask of every tick.
    pub fn check_at_most(&mut self, at: At<'_>, name: &str, value: u32, max: u32, why: &str) {
        if value > max {
            self.error(
                Code::OverLimit,
                at,
                format!("`{name}` is {value}, more than the maximum of {max}"),
                Some(why.to_owned()),
            );
        }
    }

    /// A level: 0-1.
    pub fn check_unit(&mut self, at: At<'_>, name: &str, value: f64) {
        if !(0.0..=1.0).contains(&value) {
            self.error(
                Code::OutOfRange,
                at,
                format!("`{name}` is {value}, out of range"),
                Some("write a level from 0 to 1".into()),
            );
        }
    }

    /// A percentage: 0-100, fractions allowed (99.5).
    pub fn check_percent(&mut self, at: At<'_>, name: &str, value: f64) {
        if !(0.0..=100.0).contains(&value) {
            self.error(
                Code::OutOfRange,
                at,
                format!("`{name}` is {value}, out of range"),
                Some("write a percentage from 0 to 100".into()),
            );
        }
    }

    /// A share: more than 0, at most 1.
    pub fn check_open_unit(&mut self, at: At<'_>, name: &str, value: f64) {
        if !(value > 0.0 && value <= 1.0) {
            self.error(
                Code::OutOfRange,
                at,
                format!("`{name}` is {value}, out of range"),
                Some("it must be greater than 0 and at most 1".into()),
            );
        }
    }

    /// A tick within the exercise.
    pub fn check_tick(&mut self, at: At<'_>, name: &str, tick: u32) {
        if tick > self.duration {
            let duration = self.duration;
            self.error(
                Code::TickAfterEnd,
                at,
                format!("`{name}` is tick {tick}, after the end of the exercise (tick {duration})"),
                Some(format!(
                    "use a tick from 0 to {duration}, or raise `duration_ticks` in [scenario]"
                )),
            );
        }
    }

    /// The defaultable asset fields written at `prefix` of an element (or table).
    pub fn check_asset_defaults(
        &mut self,
        section: &'static str,
        element: Option<usize>,
        prefix: &[Seg],
        d: &RawAssetDefaults,
    ) {
        let path = |s: Seg| [prefix, &[s]].concat();
        fn at<'p>(section: &'static str, element: Option<usize>, path: &'p [Seg]) -> At<'p> {
            At {
                section,
                element,
                path,
            }
        }
        if let Some(c) = d.criticality {
            let p = path(K("criticality"));
            self.check_criticality(at(section, element, &p), c);
        }
        if let Some(posture) = d.posture {
            let p = path(K("posture"));
            self.check_posture(at(section, element, &p), posture);
        }
        if let Some(r) = d.resilience {
            let p = path(K("resilience"));
            self.check_open_unit(at(section, element, &p), "resilience", r);
        }
        if let Some(h) = d.repair_hours {
            let p = path(K("repair_hours"));
            self.check_positive(at(section, element, &p), "repair_hours", h, "hours");
        }
    }

    /// A finite amount greater than 0 (hours).
    pub fn check_positive(&mut self, at: At<'_>, name: &str, value: f64, unit: &str) {
        if !(value.is_finite() && value > 0.0) {
            self.error(
                Code::OutOfRange,
                at,
                format!("`{name}` is {value}, out of range"),
                Some(format!("give a number of {unit} greater than 0")),
            );
        }
    }

    /// A finite amount of at least 0 (US dollars, a rate).
    pub fn check_non_negative(&mut self, at: At<'_>, name: &str, value: f64, unit: &str) {
        if !(value.is_finite() && value >= 0.0) {
            self.error(
                Code::OutOfRange,
                at,
                format!("`{name}` is {value}, out of range"),
                Some(format!("give {unit}, 0 or more")),
            );
        }
    }

    fn check_criticality(&mut self, at: At<'_>, value: u8) {
        if !(1..=5).contains(&value) {
            self.error(
                Code::OutOfRange,
                at,
                format!("`criticality` is {value}, out of range"),
                Some("criticality runs from 1 (minor) to 5 (vital)".into()),
            );
        }
    }

    fn check_posture(&mut self, at: At<'_>, posture: RawPosture) {
        for (name, value) in [
            ("patching", posture.patching),
            ("monitoring", posture.monitoring),
            ("backups", posture.backups),
        ] {
            let mut path = at.path.to_vec();
            path.push(K(name));
            self.check_score(At { path: &path, ..at }, name, value);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::fixture::{HEAD, check};

    #[test]
    fn asset_defaults_are_checked_wherever_they_are_written() {
        check(&format!(
            "{HEAD}asset = {{ criticality = 9, posture = {{ patching = 101, monitoring = 1, backups = 1 }}, resilience = 0.0 }}
#                       ^ error[out-of-range]: `criticality` is 9, out of range
#                                                 ^^^ error[out-of-range]: `patching` is 101, out of range
#                                                                                                  ^^^ error[out-of-range]: `resilience` is 0, out of range
"
        ));
    }
}
