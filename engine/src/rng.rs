//! The simulation's only source of randomness: one seeded, portable ChaCha stream.
//!
//! `StdRng`/`SmallRng` are not portable across platforms or rand versions, and rand's
//! distribution helpers may change their output between minor versions, so the mapping
//! from raw `u64`s to the values we need is written here, once, and pinned by a
//! known-answer test. Anything that needs randomness (the simulation, the scenario
//! generator) draws from a [`SimRng`].

use rand_chacha::ChaCha12Rng;
use rand_core::{Rng, SeedableRng};

/// A seeded, portable random stream.
#[derive(Debug, Clone)]
pub struct SimRng(ChaCha12Rng);

impl SimRng {
    /// The stream for `seed`; the same seed gives the same stream on every platform.
    pub fn new(seed: u64) -> Self {
        Self(ChaCha12Rng::seed_from_u64(seed))
    }

    /// How many 32-bit words of the stream have been used: with the seed, the whole
    /// state of the generator (part of the simulation's canonical state hash).
    pub fn word_pos(&self) -> u128 {
        self.0.get_word_pos()
    }

    /// The next raw 64 bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0.next_u64()
    }

    /// A uniform value in `[0, 1)` with 53 bits of precision.
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// `true` with probability `p` (values outside `[0, 1]` are clamped).
    pub fn chance(&mut self, p: f64) -> bool {
        self.unit() < p.clamp(0.0, 1.0)
    }

    /// A uniform integer in `[0, n)`; `n` must be positive (0 gives 0).
    ///
    /// Lemire's multiply-and-reject method: unbiased, and defined here so that it never
    /// changes with a dependency update.
    pub fn below(&mut self, n: u64) -> u64 {
        if n == 0 {
            return 0;
        }
        let threshold = n.wrapping_neg() % n;
        loop {
            let product = u128::from(self.next_u64()) * u128::from(n);
            if (product as u64) >= threshold {
                return (product >> 64) as u64;
            }
        }
    }

    /// A uniform integer in `[lo, hi]` (inclusive); `lo` when `hi < lo`.
    pub fn range_inclusive(&mut self, lo: u64, hi: u64) -> u64 {
        if hi <= lo {
            return lo;
        }
        lo + self.below(hi - lo + 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Pins the stream: if this fails, every recorded journal and state hash changes.
    #[test]
    fn known_answers_for_seed_42() {
        let mut rng = SimRng::new(42);
        let raw: Vec<u64> = (0..3).map(|_| rng.next_u64()).collect();
        let mut rng = SimRng::new(42);
        assert_eq!(raw, (0..3).map(|_| rng.next_u64()).collect::<Vec<_>>());
        assert_eq!(raw, KNOWN_SEED_42);
        let mut rng = SimRng::new(7);
        let draws: Vec<u64> = (0..5).map(|_| rng.below(10)).collect();
        assert_eq!(draws, KNOWN_SEED_7_BELOW_10);
    }

    const KNOWN_SEED_42: [u64; 3] = [
        9713269763989775522,
        10011513049433592189,
        11740708795755607249,
    ];
    const KNOWN_SEED_7_BELOW_10: [u64; 5] = [0, 3, 1, 5, 2];

    #[test]
    fn different_seeds_differ() {
        assert_ne!(SimRng::new(1).next_u64(), SimRng::new(2).next_u64());
    }

    #[test]
    fn below_stays_in_range_and_unit_in_unit_interval() {
        let mut rng = SimRng::new(3);
        for n in [1u64, 2, 3, 7, 1000, u64::MAX] {
            for _ in 0..200 {
                assert!(rng.below(n) < n);
            }
        }
        for _ in 0..1000 {
            let u = rng.unit();
            assert!((0.0..1.0).contains(&u));
        }
        assert_eq!(rng.range_inclusive(5, 5), 5);
        assert_eq!(rng.range_inclusive(9, 3), 9);
    }
}
