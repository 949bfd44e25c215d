//! The room's pace and the exercise clock.
//!
//! A forum session keeps a room's pace: 5 to 15 real minutes per simulated hour is
//! typical, sometimes turn by turn, with pauses for discussion and the odd jump in time
//! (CISA's Tabletop Exercise Packages; APCERT drills run 3-4 hours). The pace is the
//! journal's [`Pace`]: real time at so many milliseconds a tick, or turn-based; pausing
//! is a separate switch, so that a pause never changes the pace it interrupts.
//!
//! [`Clock`] decides when the next real-time tick is due. It never reads the wall
//! clock: the host hands it `now` with every call (TigerBeetle's testing/time.zig makes
//! the same point), so tests drive it through hours of exercise in microseconds.

use std::time::{Duration, Instant};

pub use cyberdrill_engine::journal::Pace;

/// The slowest real-time pace: one tick an hour.
pub const MAX_MS_PER_TICK: u64 = 3_600_000;

/// Real-time paces offered by the faster and slower keys, fastest first: from a quick
/// local run to a room's 5-30 minutes per simulated hour.
pub const PACE_STEPS_MS: [u64; 15] = [
    250, 500, 1_000, 2_000, 5_000, 10_000, 30_000, 60_000, 120_000, 300_000, 600_000, 900_000,
    1_200_000, 1_800_000, 3_600_000,
];

/// The real-time pace a turn-based clock switches to on the faster or slower key.
pub const DEFAULT_REAL_MS: u64 = 600_000;

/// Parses a pace as written on the command line: `turns`, or `real:` and a duration in
/// human units (`real:10m`, `real:90s`, `real:500ms`, `real:1h`; a bare number is
/// milliseconds, as older versions wrote it).
pub fn parse(s: &str) -> Result<Pace, String> {
    let s = s.trim();
    if s == "turns" {
        return Ok(Pace::TurnBased);
    }
    let hint = "expected `turns` or `real:` and a time per tick from 1ms to 1h, \
                e.g. `real:10m`, `real:90s`, `real:500ms`";
    let Some(period) = s.strip_prefix("real:") else {
        return Err(format!("unknown pace `{s}`: {hint}"));
    };
    let millis = if !period.is_empty() && period.bytes().all(|b| b.is_ascii_digit()) {
        period.parse::<u64>().ok()
    } else {
        parse_duration(period).ok().map(|d| d.as_millis() as u64)
    };
    match millis {
        Some(ms) if (1..=MAX_MS_PER_TICK).contains(&ms) => Ok(Pace::RealTime {
            millis_per_tick: ms,
        }),
        _ => Err(format!("bad pace `{s}`: {hint}")),
    }
}

/// Parses a duration in human units: one or more `<number><unit>` with units `h`, `m`
/// (or `min`), `s` and `ms`, e.g. `3h`, `90s`, `2h30m`, `500ms`.
pub fn parse_duration(s: &str) -> Result<Duration, String> {
    let hint = "write a duration as a number and a unit (h, m, s or ms), e.g. 3h, 2h30m, \
                90s or 500ms";
    let mut total: u64 = 0;
    let mut rest = s.trim();
    if rest.is_empty() {
        return Err(format!("empty duration: {hint}"));
    }
    while !rest.is_empty() {
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 {
            return Err(format!("bad duration `{s}`: {hint}"));
        }
        let number: u64 = rest[..digits]
            .parse()
            .map_err(|_| format!("bad duration `{s}`: the number is too large"))?;
        rest = &rest[digits..];
        let unit_len = rest.bytes().take_while(u8::is_ascii_alphabetic).count();
        let unit_ms: u64 = match &rest[..unit_len] {
            "h" => 3_600_000,
            "m" | "min" => 60_000,
            "s" => 1_000,
            "ms" => 1,
            "" => {
                return Err(format!(
                    "bad duration `{s}`: a number without a unit; {hint}"
                ));
            }
            other => {
                return Err(format!(
                    "bad duration `{s}`: unknown unit `{other}`; {hint}"
                ));
            }
        };
        rest = &rest[unit_len..];
        total = number
            .checked_mul(unit_ms)
            .and_then(|ms| total.checked_add(ms))
            .ok_or_else(|| format!("bad duration `{s}`: too long"))?;
    }
    Ok(Duration::from_millis(total))
}

/// A duration in the largest unit that holds it exactly: `10m`, `90s`, `1h`, `500ms`.
pub fn duration_label(ms: u64) -> String {
    match ms {
        0 => "0ms".to_string(),
        ms if ms % 3_600_000 == 0 => format!("{}h", ms / 3_600_000),
        ms if ms % 60_000 == 0 => format!("{}m", ms / 60_000),
        ms if ms % 1000 == 0 => format!("{}s", ms / 1000),
        ms => format!("{ms}ms"),
    }
}

/// The pace as written on the command line: `turns`, `real:10m`, `real:90s`.
pub fn label(pace: Pace) -> String {
    match pace {
        Pace::RealTime { millis_per_tick } => format!("real:{}", duration_label(millis_per_tick)),
        Pace::TurnBased => "turns".to_string(),
    }
}

/// The pace in words for a status line: `a tick every 10m`, `turn-based`.
pub fn describe(pace: Pace) -> String {
    match pace {
        Pace::RealTime { millis_per_tick } => {
            format!("a tick every {}", duration_label(millis_per_tick))
        }
        Pace::TurnBased => "turn-based".to_string(),
    }
}

/// The next faster real-time pace of [`PACE_STEPS_MS`] (turn-based starts real time at
/// [`DEFAULT_REAL_MS`]).
pub fn faster(pace: Pace) -> Pace {
    let ms = match pace {
        Pace::RealTime { millis_per_tick } => PACE_STEPS_MS
            .iter()
            .rev()
            .copied()
            .find(|&ms| ms < millis_per_tick)
            .unwrap_or(PACE_STEPS_MS[0]),
        Pace::TurnBased => DEFAULT_REAL_MS,
    };
    Pace::RealTime {
        millis_per_tick: ms,
    }
}

/// The next slower real-time pace of [`PACE_STEPS_MS`] (turn-based starts real time at
/// [`DEFAULT_REAL_MS`]).
pub fn slower(pace: Pace) -> Pace {
    let ms = match pace {
        Pace::RealTime { millis_per_tick } => PACE_STEPS_MS
            .iter()
            .copied()
            .find(|&ms| ms > millis_per_tick)
            .unwrap_or(PACE_STEPS_MS[PACE_STEPS_MS.len() - 1]),
        Pace::TurnBased => DEFAULT_REAL_MS,
    };
    Pace::RealTime {
        millis_per_tick: ms,
    }
}

/// The real-time pace that plays `ticks_left` ticks in `budget` (`--session 3h`): whole
/// seconds per tick when a tick is a second or more, so that the pace reads well.
/// Discussion pauses come on top of the budget.
pub fn fit_session(budget: Duration, ticks_left: u32) -> Result<Pace, String> {
    if ticks_left == 0 {
        return Err("the exercise has no ticks left to fit into a session".to_string());
    }
    let per_tick = budget.as_millis() / u128::from(ticks_left);
    let per_tick = u64::try_from(per_tick).unwrap_or(u64::MAX);
    let per_tick = if per_tick >= 1000 {
        per_tick / 1000 * 1000
    } else {
        per_tick
    };
    if !(1..=MAX_MS_PER_TICK).contains(&per_tick) {
        return Err(format!(
            "a session of {} for {ticks_left} ticks is {} a tick: the pace must be between \
             1ms and 1h a tick; choose another session length or --pace",
            duration_label(budget.as_millis() as u64),
            duration_label(per_tick)
        ));
    }
    Ok(Pace::RealTime {
        millis_per_tick: per_tick,
    })
}

/// The exercise clock: the pace, whether it stands still, and when the next real-time
/// tick is due.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Clock {
    pace: Pace,
    paused: bool,
    /// Since when the clock has stood still (for the real length of a pause).
    paused_since: Option<Instant>,
    /// Real-time pace, running: when the next tick is due.
    due: Option<Instant>,
}

impl Clock {
    /// A clock at `pace`, standing still or running from `now`.
    pub fn new(pace: Pace, paused: bool, now: Instant) -> Self {
        let mut clock = Clock {
            pace,
            paused,
            paused_since: paused.then_some(now),
            due: None,
        };
        clock.schedule_from(now);
        clock
    }

    pub fn pace(&self) -> Pace {
        self.pace
    }

    pub fn is_paused(&self) -> bool {
        self.paused
    }

    /// When the next tick is due (real-time pace, running), else `None`.
    pub fn due(&self) -> Option<Instant> {
        self.due
    }

    /// Whether a real-time tick is due at `now`.
    pub fn is_due(&self, now: Instant) -> bool {
        self.due.is_some_and(|due| now >= due)
    }

    /// Stops the clock; `false` if it already stood still.
    pub fn pause(&mut self, now: Instant) -> bool {
        if self.paused {
            return false;
        }
        self.paused = true;
        self.paused_since = Some(now);
        self.due = None;
        true
    }

    /// Starts the clock again at its pace; the real time it stood still, or `None` if
    /// it was running.
    pub fn resume(&mut self, now: Instant) -> Option<Duration> {
        if !self.paused {
            return None;
        }
        self.paused = false;
        let stood = self
            .paused_since
            .take()
            .map_or(Duration::ZERO, |since| now.saturating_duration_since(since));
        self.schedule_from(now);
        Some(stood)
    }

    /// Changes the pace; `false` if it was already `pace`. A running real-time clock
    /// ticks one new period from `now`.
    pub fn set_pace(&mut self, pace: Pace, now: Instant) -> bool {
        if pace == self.pace {
            return false;
        }
        self.pace = pace;
        self.schedule_from(now);
        true
    }

    /// A tick happened at `now`: the next one is a period after the one that was due
    /// (keeping the cadence), or a period from now if the host fell behind.
    pub fn ticked(&mut self, now: Instant) {
        let Pace::RealTime { millis_per_tick } = self.pace else {
            self.due = None;
            return;
        };
        if self.paused {
            self.due = None;
            return;
        }
        let period = Duration::from_millis(millis_per_tick);
        let next = self.due.map_or(now + period, |due| due + period);
        self.due = Some(if next <= now { now + period } else { next });
    }

    /// Stops scheduling ticks for good (the exercise is over), without a pause.
    pub fn stop(&mut self) {
        self.due = None;
    }

    fn schedule_from(&mut self, now: Instant) {
        self.due = match self.pace {
            Pace::RealTime { millis_per_tick } if !self.paused => {
                Some(now + Duration::from_millis(millis_per_tick))
            }
            _ => None,
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn real(ms: u64) -> Pace {
        Pace::RealTime {
            millis_per_tick: ms,
        }
    }

    #[test]
    fn paces_read_in_human_units_and_print_back_the_same_way() {
        assert_eq!(parse("turns"), Ok(Pace::TurnBased));
        assert_eq!(parse("real:10m"), Ok(real(600_000)));
        assert_eq!(parse("real:90s"), Ok(real(90_000)));
        assert_eq!(parse("real:500ms"), Ok(real(500)));
        assert_eq!(parse("real:1h"), Ok(real(3_600_000)));
        assert_eq!(parse("real:2m30s"), Ok(real(150_000)));
        assert_eq!(label(real(150_000)), "real:150s");
        assert_eq!(parse("real:250"), Ok(real(250)), "a bare number is ms");
        for pace in ["turns", "real:10m", "real:90s", "real:500ms", "real:1h"] {
            assert_eq!(parse(pace).map(label), Ok(pace.to_string()));
        }
        assert_eq!(label(real(1500)), "real:1500ms");
        for bad in [
            "real:", "real:0", "real:2h", "real:-3", "real:x", "real:5d", "fast", "",
        ] {
            let err = parse(bad).expect_err(bad);
            assert!(err.contains("real:10m"), "{bad}: {err}");
        }
    }

    #[test]
    fn durations_add_their_parts_and_refuse_numbers_without_units() {
        assert_eq!(parse_duration("3h"), Ok(Duration::from_secs(3 * 3600)));
        assert_eq!(
            parse_duration("2h30m"),
            Ok(Duration::from_secs(2 * 3600 + 1800))
        );
        assert_eq!(parse_duration("45min"), Ok(Duration::from_secs(45 * 60)));
        assert!(parse_duration("3").is_err_and(|e| e.contains("without a unit")));
        assert!(parse_duration("3d").is_err_and(|e| e.contains("unknown unit `d`")));
        assert!(parse_duration("99999999999999999999h").is_err());
    }

    #[test]
    fn faster_and_slower_step_through_minutes_and_stop_at_the_ends() {
        assert_eq!(slower(real(60_000)), real(120_000));
        assert_eq!(faster(real(600_000)), real(300_000));
        assert_eq!(faster(real(250)), real(250));
        assert_eq!(slower(real(3_600_000)), real(3_600_000));
        assert_eq!(faster(real(7_000)), real(5_000), "between steps");
        assert_eq!(slower(Pace::TurnBased), real(DEFAULT_REAL_MS));
    }

    #[test]
    fn a_session_budget_becomes_whole_seconds_per_tick() {
        let three_hours = Duration::from_secs(3 * 3600);
        assert_eq!(fit_session(three_hours, 66), Ok(real(163_000)));
        assert_eq!(fit_session(three_hours, 12), Ok(real(900_000)));
        assert!(fit_session(three_hours, 0).is_err());
        assert!(fit_session(Duration::from_secs(100 * 3600), 1).is_err());
    }

    #[test]
    fn a_running_clock_keeps_its_cadence_and_a_pause_keeps_pace_and_length() {
        let t0 = Instant::now();
        let at = |s: u64| t0 + Duration::from_secs(s);
        let mut clock = Clock::new(real(10_000), false, t0);
        assert_eq!(clock.due(), Some(at(10)));
        assert!(!clock.is_due(at(9)) && clock.is_due(at(10)));
        // Handled a little late: the next tick keeps the 10 s cadence.
        clock.ticked(at(11));
        assert_eq!(clock.due(), Some(at(20)));
        // Far behind: a period from now, not a burst of ticks.
        clock.ticked(at(55));
        assert_eq!(clock.due(), Some(at(65)));
        assert!(clock.pause(at(60)));
        assert!(!clock.pause(at(61)), "already paused");
        assert_eq!(clock.due(), None);
        assert_eq!(clock.pace(), real(10_000), "a pause keeps the pace");
        assert_eq!(clock.resume(at(150)), Some(Duration::from_secs(90)));
        assert_eq!(clock.resume(at(151)), None);
        assert_eq!(clock.due(), Some(at(160)));
    }

    #[test]
    fn turn_based_survives_a_pause_and_a_pace_change_while_paused_stays_paused() {
        let t0 = Instant::now();
        let mut clock = Clock::new(Pace::TurnBased, true, t0);
        assert_eq!(
            clock.resume(t0 + Duration::from_secs(5)),
            Some(Duration::from_secs(5))
        );
        assert_eq!(clock.pace(), Pace::TurnBased);
        assert_eq!(clock.due(), None);
        clock.pause(t0);
        assert!(clock.set_pace(real(60_000), t0));
        assert!(clock.is_paused());
        assert_eq!(clock.due(), None);
        clock.resume(t0 + Duration::from_secs(1));
        assert_eq!(clock.due(), Some(t0 + Duration::from_secs(61)));
    }
}
