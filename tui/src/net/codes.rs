//! Join codes: one random secret per seat (each team and the facilitator), printed by
//! `cyberdrill serve` and typed by players into `cyberdrill join`.
//!
//! Codes come from the operating system's randomness (they are secrets, not simulation
//! randomness) and are compared in constant time, so that the time a refusal takes
//! says nothing about how close a guess was (docs/protocol.md, "Handshake").

use std::collections::BTreeMap;

use anyhow::Context;
use cyberdrill_engine::scenario::model::TeamIdx;
use serde::{Deserialize, Serialize};
use subtle::ConstantTimeEq;

use crate::client::Seat;

/// Letters used in codes: no `0/O`, `1/I/L` or `U/V` look-alikes, so a code read
/// aloud across a venue or copied from a projector is typed right.
const ALPHABET: &[u8] = b"23456789ABCDEFGHJKMNPQRSTWXYZ";

/// Characters of randomness per code: 12 characters of a 29-letter alphabet carry
/// about 58 bits, far beyond what a guesser limited to about one try a minute per
/// address ([`crate::host::auth`]) can try in an exercise.
const CODE_CHARS: usize = 12;

/// The seats of one exercise and their codes, as printed by `serve` and as written by
/// `--codes-out` (`{"facilitator": CODE, "teams": {TEAM_ID: CODE}, "evaluators": [CODE]}`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JoinCodes {
    pub facilitator: String,
    /// Team id (as in the scenario file) to code, in id order.
    pub teams: BTreeMap<String, String>,
    /// One code per evaluator seat (`serve --evaluators N`), in evaluator order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub evaluators: Vec<String>,
}

impl JoinCodes {
    /// Fresh random codes for the facilitator, each of `team_ids` and `evaluators`
    /// evaluator seats.
    pub fn generate(team_ids: &[String], evaluators: u32) -> anyhow::Result<Self> {
        let facilitator = random_code()?;
        let mut teams = BTreeMap::new();
        for id in team_ids {
            teams.insert(id.clone(), random_code()?);
        }
        let evaluators = (0..evaluators)
            .map(|_| random_code())
            .collect::<anyhow::Result<Vec<String>>>()?;
        Ok(JoinCodes {
            facilitator,
            teams,
            evaluators,
        })
    }

    /// The seat a presented code opens, if any. Every stored code is compared (in
    /// constant time) whatever matches, so timing does not reveal which seat matched.
    pub fn seat_for(&self, presented: &str, team_ids: &[String]) -> Option<Seat> {
        let presented = normalise(presented);
        let mut found = None;
        if codes_equal(&presented, &self.facilitator) {
            found = Some(Seat::Facilitator);
        }
        for (idx, id) in team_ids.iter().enumerate() {
            let Some(code) = self.teams.get(id) else {
                continue;
            };
            if codes_equal(&presented, code) && found.is_none() {
                found = Some(Seat::Team(TeamIdx(idx as u32)));
            }
        }
        for (idx, code) in self.evaluators.iter().enumerate() {
            if codes_equal(&presented, code) && found.is_none() {
                found = Some(Seat::Evaluator(idx as u32));
            }
        }
        found
    }

    /// Checks that these codes (for instance read back from a journal) cover exactly
    /// the scenario's teams, so a resumed exercise opens the same seats.
    pub fn check_covers(&self, team_ids: &[String]) -> anyhow::Result<()> {
        for id in team_ids {
            anyhow::ensure!(
                self.teams.contains_key(id),
                "the recorded join codes have no code for team `{id}`: \
                 the journal was written for a different scenario"
            );
        }
        anyhow::ensure!(
            self.teams.len() == team_ids.len(),
            "the recorded join codes name {} teams but the scenario has {}: \
             the journal was written for a different scenario",
            self.teams.len(),
            team_ids.len()
        );
        Ok(())
    }
}

/// Whether `text` has the shape of a join code: its 12 letters (spaces and dashes
/// aside, any case) all from the codes' alphabet. Any code [`JoinCodes::generate`]
/// makes has it; most login names do not (they hold an `I`, `L`, `O`, `U`, `V`, `0`
/// or `1`, or are of another length), which is how SSH seats tell `ssh CODE@HOST`
/// from a player's own login name sent by default.
pub fn is_code_shaped(text: &str) -> bool {
    let letters = normalise(text);
    letters.len() == CODE_CHARS && letters.bytes().all(|b| ALPHABET.contains(&b))
}

/// Upper-cases and drops spaces and dashes, so `abcd-efgh-jkmn` and `ABCD EFGH JKMN`
/// both work.
fn normalise(code: &str) -> String {
    code.chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

/// Constant-time equality of two codes (after normalising the stored one too).
fn codes_equal(presented: &str, stored: &str) -> bool {
    let stored = normalise(stored);
    bool::from(presented.as_bytes().ct_eq(stored.as_bytes()))
}

/// One code, `XXXX-XXXX-XXXX`, drawn from the OS random source with rejection
/// sampling so every letter is equally likely.
fn random_code() -> anyhow::Result<String> {
    let usable = ALPHABET.len();
    let limit = (256 / usable * usable) as u8;
    let mut out = String::with_capacity(CODE_CHARS + 2);
    let mut drawn = 0;
    while drawn < CODE_CHARS {
        let mut buf = [0u8; 32];
        getrandom::fill(&mut buf)
            .map_err(|e| anyhow::anyhow!("{e}"))
            .context("the operating system's random source is unavailable")?;
        for byte in buf {
            if drawn == CODE_CHARS {
                break;
            }
            if byte >= limit {
                continue;
            }
            if drawn > 0 && drawn % 4 == 0 {
                out.push('-');
            }
            out.push(ALPHABET[byte as usize % usable] as char);
            drawn += 1;
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids() -> Vec<String> {
        vec!["arcadia-cert".to_string(), "borealis-cirt".to_string()]
    }

    #[test]
    fn codes_are_distinct_well_formed_and_open_their_own_seat() {
        let codes = JoinCodes::generate(&ids(), 2).expect("OS randomness");
        let all: Vec<&String> = std::iter::once(&codes.facilitator)
            .chain(codes.teams.values())
            .chain(codes.evaluators.iter())
            .collect();
        for code in &all {
            assert_eq!(code.len(), CODE_CHARS + 2, "{code}");
            assert!(
                code.chars()
                    .all(|c| c == '-' || ALPHABET.contains(&(c as u8)))
            );
        }
        let distinct: std::collections::BTreeSet<&String> = all.iter().copied().collect();
        assert_eq!(distinct.len(), all.len(), "5 seats, 5 different codes");
        assert_eq!(
            codes.seat_for(&codes.evaluators[1], &ids()),
            Some(Seat::Evaluator(1))
        );
        assert_eq!(
            codes.seat_for(&codes.facilitator, &ids()),
            Some(Seat::Facilitator)
        );
        assert_eq!(
            codes.seat_for(&codes.teams["borealis-cirt"], &ids()),
            Some(Seat::Team(TeamIdx(1)))
        );
    }

    #[test]
    fn every_generated_code_is_code_shaped_even_one_without_a_digit() {
        // A code has no digit about one time in fifty ((21/29)^12): such a code once
        // went untried as an SSH user name, and its player was asked again.
        assert!(is_code_shaped("WFDP-KEME-GRWW"));
        assert!(is_code_shaped("wfdp keme grww"));
        assert!(is_code_shaped("2345-6789-ABCD"));
        for _ in 0..2000 {
            let code = random_code().expect("OS randomness");
            assert!(is_code_shaped(&code), "{code}");
        }
        for name in [
            "alice",
            "administrator",
            "abcdefghijkl",
            "jonathanpark",
            "WFDP-KEME-GRW",
        ] {
            assert!(!is_code_shaped(name), "{name}");
        }
    }

    #[test]
    fn wrong_or_partial_codes_open_nothing_and_case_and_dashes_do_not_matter() {
        let codes = JoinCodes::generate(&ids(), 2).expect("OS randomness");
        let good = codes.teams["arcadia-cert"].clone();
        assert_eq!(codes.seat_for("", &ids()), None);
        assert_eq!(codes.seat_for(&good[..good.len() - 1], &ids()), None);
        assert_eq!(codes.seat_for(&format!("{good}2"), &ids()), None);
        let relaxed = good.replace('-', " ").to_ascii_lowercase();
        assert_eq!(
            codes.seat_for(&relaxed, &ids()),
            Some(Seat::Team(TeamIdx(0)))
        );
    }

    #[test]
    fn recorded_codes_must_cover_the_scenario_teams() {
        let codes = JoinCodes::generate(&ids(), 2).expect("OS randomness");
        assert!(codes.check_covers(&ids()).is_ok());
        assert!(codes.check_covers(&ids()[..1]).is_err());
        let mut more = ids();
        more.push("extra".into());
        assert!(codes.check_covers(&more).is_err());
    }
}
