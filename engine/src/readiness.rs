//! Readiness that moves: an economy's scores on the five pillars of the ITU Global
//! Cybersecurity Index (legal, technical, organizational, capacity development,
//! cooperation; GCI 2020 and 2024) start as the scenario sets them and rise during play
//! with training at home ([`crate::command::Command::Train`]) and capacity-building
//! assistance from another economy ([`crate::command::Command::BuildCapacity`]): the
//! ITU *Guide to Developing a National Cybersecurity Strategy* (2018, 2nd ed. 2021)
//! names both, "capacity building" and "international cooperation", as the levers of
//! a national strategy, and the GCI counts training programmes under capacity
//! development. Every score the engine reads (action durations, defences, detection,
//! legal action, awareness campaigns) is the live one, so a pillar that moves changes
//! play.
//!
//! Each rise is booked under its cause ([`ReadinessMoves`]): the self-assessment at the
//! end of a run says what moved each pillar. Formulas and sources: `docs/model.md`,
//! "Readiness that moves".

use bevy_ecs::prelude::Component;
use serde::{Deserialize, Serialize};

use crate::command::Pillar;
use crate::scenario::model::Readiness;

/// Points one training adds to a pillar, at most (times the room left, `(100 - r) / 100`).
pub const TRAINING_GAIN: f64 = 5.0;
/// Points one capacity-building assistance adds to the trained economy's pillar, at most
/// (times the room left), and never above the trainers' own score.
pub const ASSISTANCE_GAIN: f64 = 5.0;

/// Why a pillar moved.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReadinessCause {
    /// The economy's own teams trained.
    Training,
    /// Another economy's teams trained them (capacity-building assistance).
    Assistance,
}

impl ReadinessCause {
    /// Every cause, in a fixed order.
    pub const ALL: [ReadinessCause; 2] = [ReadinessCause::Training, ReadinessCause::Assistance];

    /// Worded for screens and reports.
    pub fn label(self) -> &'static str {
        match self {
            ReadinessCause::Training => "training",
            ReadinessCause::Assistance => "capacity-building assistance",
        }
    }
}

/// Points each pillar gained since the start, by cause, as applied (within 0-100): the
/// start plus both is the score now.
#[derive(Component, Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReadinessMoves {
    pub training: Readiness,
    pub assistance: Readiness,
}

/// No points on any pillar.
pub const NONE: Readiness = Readiness {
    legal: 0,
    technical: 0,
    organizational: 0,
    capacity: 0,
    cooperation: 0,
};

impl Default for ReadinessMoves {
    fn default() -> Self {
        Self {
            training: NONE,
            assistance: NONE,
        }
    }
}

impl ReadinessMoves {
    /// The gains booked under `cause`.
    pub fn by(&self, cause: ReadinessCause) -> Readiness {
        match cause {
            ReadinessCause::Training => self.training,
            ReadinessCause::Assistance => self.assistance,
        }
    }

    /// Every (pillar, cause, points) that moved, pillars in the GCI's order.
    pub fn parts(&self) -> Vec<(Pillar, ReadinessCause, u8)> {
        Pillar::ALL
            .into_iter()
            .flat_map(|pillar| {
                ReadinessCause::ALL
                    .into_iter()
                    .map(move |cause| (pillar, cause, pillar.of(self.by(cause))))
            })
            .filter(|&(_, _, points)| points > 0)
            .collect()
    }

    /// Raises `pillar` of `readiness` by `gain(max, r)`, never above `ceiling`, books what
    /// applied under `cause` and returns it: the one way a pillar moves.
    pub fn raise(
        &mut self,
        readiness: &mut Readiness,
        pillar: Pillar,
        cause: ReadinessCause,
        max: f64,
        ceiling: u8,
    ) -> u8 {
        let score = pillar.of_mut(readiness);
        let next = score
            .saturating_add(gain(max, *score))
            .min(ceiling.max(*score))
            .min(100);
        let applied = next - *score;
        *score = next;
        let booked = pillar.of_mut(match cause {
            ReadinessCause::Training => &mut self.training,
            ReadinessCause::Assistance => &mut self.assistance,
        });
        *booked = booked.saturating_add(applied);
        applied
    }
}

/// Points a training of at most `max` points adds to a score `r`:
/// `ceil(max x (100 - r) / 100)`, so the weakest gain most and a full score nothing.
pub fn gain(max: f64, r: u8) -> u8 {
    let room = f64::from(100 - r.min(100));
    (max * room / 100.0).ceil().clamp(0.0, 100.0) as u8
}

/// An economy's ITU-style self-assessment: its five pillars at the start and now, and
/// what moved them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SelfAssessment {
    pub start: Readiness,
    pub end: Readiness,
    pub moves: ReadinessMoves,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn readiness(r: u8) -> Readiness {
        Readiness {
            legal: r,
            technical: r,
            organizational: r,
            capacity: r,
            cooperation: r,
        }
    }

    #[test]
    fn gains_shrink_as_the_score_rises() {
        assert_eq!(gain(TRAINING_GAIN, 0), 5);
        assert_eq!(gain(TRAINING_GAIN, 40), 3);
        assert_eq!(gain(TRAINING_GAIN, 81), 1);
        assert_eq!(gain(TRAINING_GAIN, 100), 0);
    }

    #[test]
    fn rises_are_booked_by_cause_and_add_up_to_the_score() {
        let start = readiness(40);
        let mut now = start;
        let mut moves = ReadinessMoves::default();
        let t = moves.raise(
            &mut now,
            Pillar::Technical,
            ReadinessCause::Training,
            TRAINING_GAIN,
            100,
        );
        assert_eq!((t, now.technical), (3, 43));
        // Trainers at 44 can lift the pupils' 43 by one point only.
        let a = moves.raise(
            &mut now,
            Pillar::Technical,
            ReadinessCause::Assistance,
            ASSISTANCE_GAIN,
            44,
        );
        assert_eq!((a, now.technical), (1, 44));
        // Trainers below the pupils teach nothing and lower nothing.
        let none = moves.raise(
            &mut now,
            Pillar::Legal,
            ReadinessCause::Assistance,
            ASSISTANCE_GAIN,
            10,
        );
        assert_eq!((none, now.legal), (0, 40));
        assert_eq!(
            moves.parts(),
            vec![
                (Pillar::Technical, ReadinessCause::Training, 3),
                (Pillar::Technical, ReadinessCause::Assistance, 1),
            ]
        );
        for pillar in Pillar::ALL {
            let booked = pillar.of(moves.training) + pillar.of(moves.assistance);
            assert_eq!(pillar.of(start) + booked, pillar.of(now), "{pillar:?}");
        }
    }
}
