//! Watch and warning: how fast an intrusion is found, and by whom. Pure functions; the
//! detection system (`systems::detect_incidents`) draws one number per undetected
//! incident per tick and asks [`found`] which source, if any, found it.
//!
//! Published dwell times set the pace: Mandiant's M-Trends global median time from
//! compromise to detection was 21 days in 2021, 16 in 2022, 10 in 2023 and 11 in 2024,
//! ransomware far shorter because it announces itself; about half of intrusions are first
//! learned of from outside. Own watch finds an intrusion at a rate set by a median dwell
//! time that falls with monitoring and technical readiness; impact, indicators, victims'
//! reports and partners' notifications find it otherwise. Rates are per hour, so a
//! scenario's tick length does not change them. Formulas and sources: `docs/model.md`
//! ("Detection").

use bevy_ecs::prelude::Component;
use serde::{Deserialize, Serialize};

use crate::scenario::model::{CampaignKind, EconomyIdx};
use crate::systems::targets_people;
use crate::view::Stage;

/// ln 2: a rate of `LN_2 / median` makes half of the events happen within `median`.
pub const LN_2: f64 = std::f64::consts::LN_2;

/// Median days for own watch to find an intrusion at readiness `w` = 0, 0.25, 0.5, 0.75
/// and 1 (`w` = half monitoring, half technical readiness): 10 days in the middle, the
/// global median of M-Trends 2024; three times as long a quarter lower, down to the
/// months of a decade ago (M-Trends: 99 days in 2016) with nothing; a mature 24-hour
/// watch finds intrusions in a few days.
pub const MEDIAN_DWELL_DAYS: [f64; 5] = [90.0, 30.0, 10.0, 4.0, 2.0];

/// Own watch finds an intrusion this many times faster once it has a foothold (lateral
/// movement is noisier than a first implant) and once it reached impact.
pub const LATER_STAGE_FACTOR: f64 = 2.0;

/// Rate per hour at which held indicators of a campaign find its intrusions: a signature
/// match on a monitored network, within the hour on average.
pub const INDICATOR_RATE: f64 = 1.0;

/// Rate per hour at which malware at impact is noticed (an outage or redirected traffic
/// operators see): within two hours on average.
pub const MALWARE_IMPACT_RATE: f64 = 0.5;

/// Rate per hour at which victims' reports of an attack on people at impact reach the
/// economy's CSIRT, with a fully aware public and full organizational readiness: people
/// report fraud they recognise, to an institution that exists to take reports.
pub const REPORT_RATE: f64 = 0.25;

/// How an incident was first found by its own economy: a component of detected
/// incidents (hazards are found by their impact as they strike).
#[derive(Component, Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FoundBy {
    /// Its own watch (monitoring, a SOC, an alert).
    Watch,
    /// Indicators from its own investigation of the campaign.
    OwnIndicators,
    /// The damage showed: an outage, a flood, a hazard striking.
    Impact,
    /// The attacker said so: a ransom note.
    RansomNote,
    /// Indicators another economy shared.
    SharedIndicators { from: EconomyIdx },
    /// Another economy's CSIRT called: the asset talks to the campaign's servers.
    Notified { by: EconomyIdx },
    /// Victims reported fraud.
    VictimReport,
}

impl FoundBy {
    /// Found by the economy itself, as M-Trends counts internal detection; otherwise it
    /// was told from outside (a partner, a victim, the attacker).
    pub fn internal(self) -> bool {
        matches!(
            self,
            FoundBy::Watch | FoundBy::OwnIndicators | FoundBy::Impact
        )
    }

    /// In words, for timelines and reports.
    pub fn label(self) -> &'static str {
        match self {
            FoundBy::Watch => "own watch",
            FoundBy::OwnIndicators => "own indicators",
            FoundBy::Impact => "its impact",
            FoundBy::RansomNote => "the ransom note",
            FoundBy::SharedIndicators { .. } => "shared indicators",
            FoundBy::Notified { .. } => "a partner CSIRT's notification",
            FoundBy::VictimReport => "victims' reports",
        }
    }
}

/// How a run's detected incidents were found, source by source, and how many
/// intrusions (attacks other than floods, not hazards) are still undetected: the
/// figures M-Trends reports (found internally vs told from outside).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct FoundCounts {
    pub watch: u32,
    pub own_indicators: u32,
    pub impact: u32,
    pub ransom_note: u32,
    pub shared_indicators: u32,
    pub notified: u32,
    pub victim_report: u32,
    /// Found by the economy itself (watch, own indicators, impact).
    pub internal: u32,
    /// Told from outside (partners, victims, the attacker).
    pub outside: u32,
    /// Intrusions nobody found (yet).
    pub undetected_intrusions: u32,
}

impl FoundCounts {
    /// Counts one incident: how it was found, if it was.
    pub fn count(&mut self, kind: CampaignKind, hazard: bool, found_by: Option<FoundBy>) {
        match found_by {
            Some(source) => self.add(source),
            None if is_intrusion(kind, hazard) => self.undetected_intrusions += 1,
            None => {}
        }
    }

    fn add(&mut self, source: FoundBy) {
        let slot = match source {
            FoundBy::Watch => &mut self.watch,
            FoundBy::OwnIndicators => &mut self.own_indicators,
            FoundBy::Impact => &mut self.impact,
            FoundBy::RansomNote => &mut self.ransom_note,
            FoundBy::SharedIndicators { .. } => &mut self.shared_indicators,
            FoundBy::Notified { .. } => &mut self.notified,
            FoundBy::VictimReport => &mut self.victim_report,
        };
        *slot += 1;
        if source.internal() {
            self.internal += 1;
        } else {
            self.outside += 1;
        }
    }
}

/// An intrusion: an attack that works its way in (not a flood of traffic, not a hazard),
/// the incidents whose dwell time M-Trends measures.
pub fn is_intrusion(kind: CampaignKind, hazard: bool) -> bool {
    !hazard
        && !matches!(
            kind,
            CampaignKind::Ddos | CampaignKind::NaturalDisaster | CampaignKind::TechnicalFailure
        )
}

/// `e^-x` as `(1 - x / 2^20)^(2^20)`, by twenty squarings: only `+` and `x`, so the
/// same bits on every platform (the standard library's `exp` may differ in the last bit).
/// Accurate to a relative `x^2 / 2^21`, far below anything a chance needs.
pub fn survival(x: f64) -> f64 {
    if x.is_nan() || x <= 0.0 {
        return 1.0;
    }
    if x >= 700.0 {
        return 0.0;
    }
    let mut y = 1.0 - x / 1_048_576.0;
    for _ in 0..20 {
        y *= y;
    }
    y
}

/// Chance that an event happening at `rate` per hour happens within `hours`.
pub fn chance_within(rate: f64, hours: f64) -> f64 {
    1.0 - survival(rate * hours)
}

/// Median days for own watch to find an intrusion, linear between the points of
/// [`MEDIAN_DWELL_DAYS`] in `w` (0-1).
pub fn median_dwell_days(w: f64) -> f64 {
    let x = if w.is_finite() {
        w.clamp(0.0, 1.0) * 4.0
    } else {
        0.0
    };
    let i = (x as usize).min(3);
    let f = x - i as f64;
    MEDIAN_DWELL_DAYS[i] + (MEDIAN_DWELL_DAYS[i + 1] - MEDIAN_DWELL_DAYS[i]) * f
}

/// What an undetected incident looks like to its economy this tick.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Exposure {
    pub kind: CampaignKind,
    pub stage: Stage,
    /// The asset's monitoring, 0-100.
    pub monitoring: u8,
    /// The economy's technical and organizational readiness, 0-100.
    pub technical: u8,
    pub organizational: u8,
    /// Public awareness, 0-100.
    pub awareness: f64,
    /// Whether the economy holds the campaign's indicators, and from whom (`None`: its
    /// own investigation).
    pub indicators: Option<Option<EconomyIdx>>,
}

/// The sources that may find the incident this tick, in the order they are tried, each
/// with its chance within a tick of `hours`.
pub fn sources(x: &Exposure, hours: f64) -> Vec<(FoundBy, f64)> {
    let mut out = Vec::with_capacity(4);
    if x.stage == Stage::Impact {
        match x.kind {
            CampaignKind::Ransomware => out.push((FoundBy::RansomNote, 1.0)),
            CampaignKind::Ddos => out.push((FoundBy::Impact, 1.0)),
            CampaignKind::Malware => {
                out.push((FoundBy::Impact, chance_within(MALWARE_IMPACT_RATE, hours)))
            }
            _ => {}
        }
    }
    if let Some(from) = x.indicators {
        let source = match from {
            None => FoundBy::OwnIndicators,
            Some(from) => FoundBy::SharedIndicators { from },
        };
        out.push((source, chance_within(INDICATOR_RATE, hours)));
    }
    let w = 0.5 * fraction(x.monitoring) + 0.5 * fraction(x.technical);
    let stage = match x.stage {
        Stage::Reconnaissance | Stage::InitialAccess => 1.0,
        Stage::Foothold | Stage::Impact => LATER_STAGE_FACTOR,
    };
    let watch = LN_2 / (median_dwell_days(w) * 24.0) * stage;
    out.push((FoundBy::Watch, chance_within(watch, hours)));
    if x.stage == Stage::Impact && targets_people(x.kind) {
        let rate = REPORT_RATE * (x.awareness / 100.0).clamp(0.0, 1.0) * fraction(x.organizational);
        out.push((FoundBy::VictimReport, chance_within(rate, hours)));
    }
    out
}

/// Which source found the incident, given a uniform draw `u` in [0, 1): the sources
/// split the chance that any finds it, `1 - prod(1 - p)`, in order, so one draw decides
/// both whether and how.
pub fn found(u: f64, sources: &[(FoundBy, f64)]) -> Option<FoundBy> {
    let mut missed = 1.0;
    for &(source, p) in sources {
        let before = 1.0 - missed;
        missed *= 1.0 - p.clamp(0.0, 1.0);
        if u >= before && u < 1.0 - missed {
            return Some(source);
        }
    }
    None
}

fn fraction(score: u8) -> f64 {
    (f64::from(score) / 100.0).clamp(0.0, 1.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn exposure(kind: CampaignKind, stage: Stage) -> Exposure {
        Exposure {
            kind,
            stage,
            monitoring: 50,
            technical: 50,
            organizational: 50,
            awareness: 50.0,
            indicators: None,
        }
    }

    #[test]
    fn survival_matches_the_exponential() {
        // Relative error `x^2 / 2^21` (the documented accuracy) plus the rounding of
        // twenty squarings.
        for x in [0.0_f64, 0.001, 0.1, 0.5, 1.0, 3.0, 10.0] {
            let exact = (-x).exp();
            let bound = exact * (1.01 * x * x / 2_097_152.0 + 1e-9);
            assert!((survival(x) - exact).abs() <= bound, "{x}");
        }
        assert_eq!(survival(-1.0), 1.0);
        assert_eq!(survival(f64::NAN), 1.0);
        assert_eq!(survival(1e6), 0.0);
    }

    #[test]
    fn the_median_dwell_time_is_the_median() {
        // At middling readiness half of the intrusions are found by watch within 10 days.
        let rate = LN_2 / (median_dwell_days(0.5) * 24.0);
        assert!((chance_within(rate, 240.0) - 0.5).abs() < 1e-6);
        assert_eq!(median_dwell_days(0.0), 90.0);
        assert_eq!(median_dwell_days(0.625), 7.0);
        assert_eq!(median_dwell_days(1.0), 2.0);
        assert_eq!(median_dwell_days(f64::NAN), 90.0);
    }

    #[test]
    fn a_chance_per_tick_does_not_depend_on_the_tick_length() {
        let x = exposure(CampaignKind::Malware, Stage::Foothold);
        let one_hour = sources(&x, 1.0)[0].1;
        let two_hours = sources(&x, 2.0)[0].1;
        assert!(((1.0 - one_hour) * (1.0 - one_hour) - (1.0 - two_hours)).abs() < 1e-12);
    }

    #[test]
    fn ransomware_and_floods_announce_themselves_at_impact() {
        let ransom = sources(&exposure(CampaignKind::Ransomware, Stage::Impact), 1.0);
        assert_eq!(ransom[0], (FoundBy::RansomNote, 1.0));
        assert_eq!(found(0.999, &ransom), Some(FoundBy::RansomNote));
        let flood = sources(&exposure(CampaignKind::Ddos, Stage::Impact), 1.0);
        assert_eq!(found(0.5, &flood), Some(FoundBy::Impact));
        let before = sources(&exposure(CampaignKind::Ransomware, Stage::Foothold), 1.0);
        assert!(before.iter().all(|(s, _)| *s == FoundBy::Watch));
    }

    #[test]
    fn readiness_and_indicators_speed_detection_up() {
        let watch = |monitoring: u8, technical: u8| {
            let x = Exposure {
                monitoring,
                technical,
                ..exposure(CampaignKind::Malware, Stage::InitialAccess)
            };
            sources(&x, 1.0)[0].1
        };
        assert!(watch(90, 90) > watch(50, 50) && watch(50, 50) > watch(10, 10));
        let shared = Exposure {
            indicators: Some(Some(EconomyIdx(3))),
            ..exposure(CampaignKind::Phishing, Stage::Foothold)
        };
        let s = sources(&shared, 1.0);
        assert_eq!(
            s[0].0,
            FoundBy::SharedIndicators {
                from: EconomyIdx(3)
            }
        );
        assert!(s[0].1 > 0.6 && s[0].1 > s[1].1);
    }

    #[test]
    fn victims_report_where_people_are_aware_and_someone_listens() {
        let report = |awareness: f64, organizational: u8| {
            let x = Exposure {
                awareness,
                organizational,
                ..exposure(CampaignKind::Phishing, Stage::Impact)
            };
            let s = sources(&x, 1.0);
            s.iter()
                .find(|(f, _)| *f == FoundBy::VictimReport)
                .map_or(0.0, |(_, p)| *p)
        };
        assert!(report(80.0, 80) > report(30.0, 30));
        assert_eq!(report(0.0, 80), 0.0);
        let ddos = sources(&exposure(CampaignKind::Ddos, Stage::Impact), 1.0);
        assert!(ddos.iter().all(|(f, _)| *f != FoundBy::VictimReport));
    }

    #[test]
    fn one_draw_says_whether_and_by_which_source() {
        let s = [(FoundBy::Impact, 0.5), (FoundBy::Watch, 0.5)];
        assert_eq!(found(0.0, &s), Some(FoundBy::Impact));
        assert_eq!(found(0.49, &s), Some(FoundBy::Impact));
        assert_eq!(found(0.5, &s), Some(FoundBy::Watch));
        assert_eq!(found(0.74, &s), Some(FoundBy::Watch));
        assert_eq!(found(0.75, &s), None);
        assert_eq!(found(0.3, &[]), None);
    }

    #[test]
    fn internal_and_outside_sources_follow_m_trends() {
        assert!(FoundBy::Watch.internal() && FoundBy::Impact.internal());
        assert!(!FoundBy::RansomNote.internal());
        assert!(!FoundBy::Notified { by: EconomyIdx(0) }.internal());
        assert!(!FoundBy::VictimReport.internal());
    }
}
