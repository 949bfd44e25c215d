//! Checking join codes, and slowing down whoever guesses them.
//!
//! A code opens exactly one seat; it is compared in constant time ([`JoinCodes`]). A
//! peer address that presents wrong codes gets a few free attempts (typos happen at a
//! venue), then must wait before its next code is even checked, the wait doubling with
//! each further wrong code up to [`MAX_WAIT`]: a guesser gets about one try a minute,
//! against codes of 58 bits. Attempts during the wait are refused unchecked. An address
//! is forgiven once it stays quiet for [`FORGET_AFTER`]. Local seats (no address) are
//! not throttled.

use std::collections::BTreeMap;
use std::net::IpAddr;
use std::time::{Duration, Instant};

use crate::client::Seat;
use crate::net::codes::JoinCodes;

/// Wrong codes an address may present before it has to wait.
pub const FREE_ATTEMPTS: u32 = 5;

/// The wait after the first wrong code beyond [`FREE_ATTEMPTS`]; it doubles with each
/// further one.
pub const FIRST_WAIT: Duration = Duration::from_secs(1);

/// The longest wait between two checked codes from one address.
pub const MAX_WAIT: Duration = Duration::from_secs(60);

/// An address that presented no wrong code for this long starts afresh.
pub const FORGET_AFTER: Duration = Duration::from_secs(15 * 60);

/// Why a presented code opened no seat.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// The code was checked and is not one of this exercise's.
    Wrong {
        /// Wrong codes from this address in a row.
        strikes: u32,
        /// How long the address must now wait before its next code is checked.
        wait: Duration,
    },
    /// The address is still waiting after earlier wrong codes: not checked.
    Waiting { left: Duration },
}

impl Refusal {
    /// The reason sent to the peer.
    pub fn reason(&self) -> String {
        match self {
            Refusal::Wrong { wait, .. } if wait.is_zero() => {
                "unknown join code: check the code the facilitator gave you \
                 (letters and digits, dashes optional)"
                    .to_string()
            }
            Refusal::Wrong { wait, .. } => format!(
                "unknown join code: check the code the facilitator gave you; after several \
                 wrong codes from your address the next one is checked in {} s",
                wait.as_secs().max(1)
            ),
            Refusal::Waiting { left } => format!(
                "too many wrong join codes from your address: try again in {} s",
                left.as_secs().max(1)
            ),
        }
    }
}

/// Wrong codes from one address.
#[derive(Debug, Clone, Copy)]
struct Strikes {
    count: u32,
    last: Instant,
    /// No code from this address is checked before then.
    locked_until: Option<Instant>,
}

/// The codes of one exercise and the wrong attempts per address.
#[derive(Debug, Clone)]
pub struct Gate {
    codes: JoinCodes,
    team_ids: Vec<String>,
    strikes: BTreeMap<IpAddr, Strikes>,
}

impl Gate {
    pub fn new(codes: JoinCodes, team_ids: Vec<String>) -> Self {
        Gate {
            codes,
            team_ids,
            strikes: BTreeMap::new(),
        }
    }

    pub fn codes(&self) -> &JoinCodes {
        &self.codes
    }

    /// The seat `code` opens for a peer at `peer` (`None`: in this process), or why not.
    pub fn check(
        &mut self,
        code: &str,
        peer: Option<IpAddr>,
        now: Instant,
    ) -> Result<Seat, Refusal> {
        let Some(addr) = peer else {
            return self.seat_for(code).ok_or(Refusal::Wrong {
                strikes: 0,
                wait: Duration::ZERO,
            });
        };
        self.strikes
            .retain(|_, s| now.saturating_duration_since(s.last) < FORGET_AFTER);
        if let Some(until) = self.strikes.get(&addr).and_then(|s| s.locked_until)
            && now < until
        {
            return Err(Refusal::Waiting { left: until - now });
        }
        if let Some(seat) = self.seat_for(code) {
            return Ok(seat);
        }
        let strikes = self.strikes.entry(addr).or_insert(Strikes {
            count: 0,
            last: now,
            locked_until: None,
        });
        strikes.count += 1;
        strikes.last = now;
        let wait = wait_after(strikes.count);
        strikes.locked_until = (!wait.is_zero()).then_some(now + wait);
        Err(Refusal::Wrong {
            strikes: strikes.count,
            wait,
        })
    }

    fn seat_for(&self, code: &str) -> Option<Seat> {
        self.codes.seat_for(code, &self.team_ids)
    }
}

/// The wait imposed after `strikes` wrong codes in a row.
pub fn wait_after(strikes: u32) -> Duration {
    if strikes <= FREE_ATTEMPTS {
        return Duration::ZERO;
    }
    let doublings = (strikes - FREE_ATTEMPTS - 1).min(16);
    FIRST_WAIT.saturating_mul(1 << doublings).min(MAX_WAIT)
}

#[cfg(test)]
mod tests {
    use super::*;
    use cyberdrill_engine::scenario::model::TeamIdx;

    fn gate() -> Gate {
        let ids = vec!["a-cert".to_string(), "b-cert".to_string()];
        let codes = JoinCodes::generate(&ids, 1).expect("OS randomness");
        Gate::new(codes, ids)
    }

    #[test]
    fn codes_open_their_seats_including_evaluators() {
        let mut gate = gate();
        let t0 = Instant::now();
        let codes = gate.codes().clone();
        let here = Some(IpAddr::from([10, 0, 0, 7]));
        assert_eq!(
            gate.check(&codes.facilitator, here, t0),
            Ok(Seat::Facilitator)
        );
        assert_eq!(
            gate.check(&codes.teams["b-cert"], here, t0),
            Ok(Seat::Team(TeamIdx(1)))
        );
        assert_eq!(
            gate.check(&codes.evaluators[0], None, t0),
            Ok(Seat::Evaluator(0))
        );
    }

    #[test]
    fn wrong_codes_from_one_address_wait_longer_and_longer_and_others_are_not_slowed() {
        let mut gate = gate();
        let t0 = Instant::now();
        let guesser = Some(IpAddr::from([192, 0, 2, 1]));
        let neighbour = Some(IpAddr::from([192, 0, 2, 2]));
        for strike in 1..=FREE_ATTEMPTS {
            assert_eq!(
                gate.check("WRONG", guesser, t0),
                Err(Refusal::Wrong {
                    strikes: strike,
                    wait: Duration::ZERO
                })
            );
        }
        assert_eq!(
            gate.check("WRONG", guesser, t0),
            Err(Refusal::Wrong {
                strikes: 6,
                wait: Duration::from_secs(1)
            })
        );
        // Even the right code is not checked while the address waits.
        let good = gate.codes().teams["a-cert"].clone();
        let refused = gate.check(&good, guesser, t0 + Duration::from_millis(500));
        assert!(
            matches!(refused, Err(Refusal::Waiting { .. })),
            "{refused:?}"
        );
        // The neighbour is not slowed down.
        assert_eq!(gate.check(&good, neighbour, t0), Ok(Seat::Team(TeamIdx(0))));
        // The waits double to the cap.
        let mut now = t0 + Duration::from_secs(1);
        let mut waits = Vec::new();
        for _ in 0..9 {
            match gate.check("WRONG", guesser, now) {
                Err(Refusal::Wrong { wait, .. }) => {
                    waits.push(wait.as_secs());
                    now += wait;
                }
                other => panic!("{other:?}"),
            }
        }
        assert_eq!(waits, vec![2, 4, 8, 16, 32, 60, 60, 60, 60]);
        // After the wait, the right code opens the seat.
        assert_eq!(gate.check(&good, guesser, now), Ok(Seat::Team(TeamIdx(0))));
    }

    #[test]
    fn a_quiet_address_is_forgiven() {
        let mut gate = gate();
        let t0 = Instant::now();
        let peer = Some(IpAddr::from([192, 0, 2, 9]));
        for _ in 0..8 {
            let _ = gate.check("WRONG", peer, t0);
        }
        let later = t0 + FORGET_AFTER + Duration::from_secs(1);
        assert_eq!(
            gate.check("WRONG", peer, later),
            Err(Refusal::Wrong {
                strikes: 1,
                wait: Duration::ZERO
            })
        );
    }

    #[test]
    fn one_try_a_minute_at_most_once_the_waits_are_at_their_cap() {
        // A guesser that retries the moment it may: how many codes are checked in an hour.
        let mut gate = gate();
        let t0 = Instant::now();
        let peer = Some(IpAddr::from([198, 51, 100, 4]));
        let mut now = t0;
        let mut checked = 0;
        while now < t0 + Duration::from_secs(3600) {
            match gate.check("WRONG", peer, now) {
                Err(Refusal::Wrong { wait, .. }) => {
                    checked += 1;
                    now += wait.max(Duration::from_millis(1));
                }
                Err(Refusal::Waiting { left }) => now += left,
                Ok(seat) => panic!("a wrong code opened {seat:?}"),
            }
        }
        // 5 free, then 1+2+4+8+16+32 s, then one a minute.
        assert!(
            (60..=70).contains(&checked),
            "{checked} codes checked in an hour"
        );
    }
}
