//! The demo's own pseudo-random generator: xoshiro256** seeded through SplitMix64.
//!
//! The demo must give byte-identical files for a seed, release after release. General
//! purpose crates such as `rand` reserve the right to change their streams between
//! versions, so the generator is written out here in a few dozen lines: both algorithms
//! are published with reference outputs (Blackman & Vigna, <https://prng.di.unimi.it/>),
//! which the tests check.
//!
//! The distributions are computed with `f64` arithmetic (`ln`, `exp`, `cos`). These are
//! deterministic on one platform; across platforms the last bit of a transcendental
//! function may differ, which can only move a value that sits exactly on a rounding
//! boundary.

/// xoshiro256**: fast, 256 bits of state, passes BigCrush; ample for sample data.
#[derive(Debug, Clone)]
pub struct Rng {
    s: [u64; 4],
    /// Box–Muller makes normals in pairs; the second one waits here.
    spare_normal: Option<f64>,
}

/// One step of SplitMix64, the recommended way to expand a 64-bit seed into a state.
fn splitmix64(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// A bijection on `u64` (the SplitMix64 finaliser): distinct inputs give distinct
/// outputs, which makes it a source of unique, random-looking identifiers.
pub fn scramble(x: u64) -> u64 {
    let mut z = x;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

impl Rng {
    pub fn new(seed: u64) -> Rng {
        let mut sm = seed;
        let s = [
            splitmix64(&mut sm),
            splitmix64(&mut sm),
            splitmix64(&mut sm),
            splitmix64(&mut sm),
        ];
        Rng {
            s,
            spare_normal: None,
        }
    }

    /// An independent stream for one part of the generation, so that changing how one
    /// part draws numbers does not reshuffle every other part.
    pub fn stream(seed: u64, stream: u64) -> Rng {
        Rng::new(seed ^ scramble(stream.wrapping_add(0x5EED)))
    }

    #[cfg(test)]
    fn from_state(s: [u64; 4]) -> Rng {
        Rng {
            s,
            spare_normal: None,
        }
    }

    pub fn next_u64(&mut self) -> u64 {
        let result = self.s[1].wrapping_mul(5).rotate_left(7).wrapping_mul(9);
        let t = self.s[1] << 17;
        self.s[2] ^= self.s[0];
        self.s[3] ^= self.s[1];
        self.s[1] ^= self.s[2];
        self.s[0] ^= self.s[3];
        self.s[2] ^= t;
        self.s[3] = self.s[3].rotate_left(45);
        result
    }

    /// Uniform in [0, 1), with 53 random bits.
    pub fn f64(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// Uniform in [lo, hi).
    pub fn uniform(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * self.f64()
    }

    /// Uniform integer in [0, n), without modulo bias (Lemire's method); 0 when n is 0.
    pub fn below(&mut self, n: u64) -> u64 {
        if n == 0 {
            return 0;
        }
        let mut m = u128::from(self.next_u64()) * u128::from(n);
        if (m as u64) < n {
            let threshold = n.wrapping_neg() % n;
            while (m as u64) < threshold {
                m = u128::from(self.next_u64()) * u128::from(n);
            }
        }
        (m >> 64) as u64
    }

    /// Uniform integer in [lo, hi], both ends included.
    pub fn range(&mut self, lo: u64, hi: u64) -> u64 {
        if hi <= lo {
            lo
        } else {
            lo + self.below(hi - lo + 1)
        }
    }

    /// Uniform index into a collection of `len` items.
    pub fn index(&mut self, len: usize) -> usize {
        self.below(len as u64) as usize
    }

    /// One item, uniformly. The slice must not be empty.
    pub fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.index(items.len())]
    }

    pub fn bernoulli(&mut self, p: f64) -> bool {
        self.f64() < p
    }

    /// Standard normal, by the Box–Muller transform.
    pub fn normal(&mut self) -> f64 {
        if let Some(z) = self.spare_normal.take() {
            return z;
        }
        // 1 − u lies in (0, 1], so the logarithm is finite.
        let u1 = 1.0 - self.f64();
        let u2 = self.f64();
        let r = (-2.0 * u1.ln()).sqrt();
        let theta = std::f64::consts::TAU * u2;
        self.spare_normal = Some(r * theta.sin());
        r * theta.cos()
    }

    pub fn gaussian(&mut self, mean: f64, sd: f64) -> f64 {
        mean + sd * self.normal()
    }

    /// Log-normal given by its median and the standard deviation of its logarithm: the
    /// natural way to state "typically X, often off by a factor of e^σ".
    pub fn lognormal(&mut self, median: f64, sigma: f64) -> f64 {
        median * (sigma * self.normal()).exp()
    }

    /// Pareto (power law) with minimum `xmin` and tail index `alpha`: P(X > x) = (xmin/x)^α.
    pub fn pareto(&mut self, xmin: f64, alpha: f64) -> f64 {
        xmin / (1.0 - self.f64()).powf(1.0 / alpha)
    }

    /// A power law cut to [lo, hi) by inverting its truncated distribution function;
    /// α near zero is log-uniform (every decade equally likely).
    pub fn bounded_pareto(&mut self, lo: f64, hi: f64, alpha: f64) -> f64 {
        let u = self.f64();
        if alpha.abs() < 1e-6 {
            return lo * (hi / lo).powf(u);
        }
        let tail = (lo / hi).powf(alpha);
        lo / (1.0 - u * (1.0 - tail)).powf(1.0 / alpha)
    }

    /// An index drawn in proportion to `weights` (non-negative, not all zero).
    pub fn weighted(&mut self, weights: &[f64]) -> usize {
        let total: f64 = weights.iter().sum();
        let mut r = self.f64() * total;
        for (i, w) in weights.iter().enumerate() {
            if r < *w {
                return i;
            }
            r -= w;
        }
        // Rounding can leave r a hair above the last weight: take the last positive one.
        weights.iter().rposition(|w| *w > 0.0).unwrap_or(0)
    }

    /// Fisher–Yates.
    pub fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = self.index(i + 1);
            items.swap(i, j);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xoshiro_matches_the_reference_implementation() {
        // First outputs of the reference C code from the state {1, 2, 3, 4}.
        let mut rng = Rng::from_state([1, 2, 3, 4]);
        let got: Vec<u64> = (0..4).map(|_| rng.next_u64()).collect();
        assert_eq!(got, [11520, 0, 1509978240, 1215971899390074240]);
    }

    #[test]
    fn splitmix_matches_the_reference_implementation() {
        let mut state = 1234567;
        let got: Vec<u64> = (0..3).map(|_| splitmix64(&mut state)).collect();
        assert_eq!(
            got,
            [
                6457827717110365317,
                3203168211198807973,
                9817491932198370423
            ]
        );
    }

    #[test]
    fn the_same_seed_gives_the_same_stream_and_streams_differ() {
        let a: Vec<u64> = (0..5)
            .scan(Rng::new(7), |r, _| Some(r.next_u64()))
            .collect();
        let b: Vec<u64> = (0..5)
            .scan(Rng::new(7), |r, _| Some(r.next_u64()))
            .collect();
        let c: Vec<u64> = (0..5)
            .scan(Rng::stream(7, 1), |r, _| Some(r.next_u64()))
            .collect();
        assert_eq!(a, b);
        assert_ne!(a, c);
    }

    #[test]
    fn below_stays_in_range_and_covers_it() {
        let mut rng = Rng::new(1);
        let mut seen = [0u32; 7];
        for _ in 0..7_000 {
            seen[rng.below(7) as usize] += 1;
        }
        assert!(seen.iter().all(|n| (800..1200).contains(n)), "{seen:?}");
        assert_eq!(rng.below(0), 0);
        assert_eq!(rng.range(5, 5), 5);
    }

    #[test]
    fn normal_has_mean_zero_and_unit_variance() {
        let mut rng = Rng::new(2);
        let xs: Vec<f64> = (0..20_000).map(|_| rng.normal()).collect();
        let mean = xs.iter().sum::<f64>() / xs.len() as f64;
        let var = xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / xs.len() as f64;
        assert!(mean.abs() < 0.03, "{mean}");
        assert!((var - 1.0).abs() < 0.05, "{var}");
    }

    #[test]
    fn lognormal_is_centred_on_its_median() {
        let mut rng = Rng::new(3);
        let mut xs: Vec<f64> = (0..10_001).map(|_| rng.lognormal(40.0, 0.5)).collect();
        xs.sort_by(f64::total_cmp);
        assert!((xs[5_000] - 40.0).abs() < 2.0, "{}", xs[5_000]);
    }

    #[test]
    fn bounded_pareto_stays_within_its_bounds_and_favours_the_low_end() {
        let mut rng = Rng::new(4);
        let xs: Vec<f64> = (0..10_000)
            .map(|_| rng.bounded_pareto(1e3, 1e4, 1.0))
            .collect();
        assert!(xs.iter().all(|x| (1e3..1e4).contains(x)));
        let low = xs.iter().filter(|x| **x < 2e3).count();
        // P(X < 2k) = (1 − 1/2) / (1 − 1/10) ≈ 0.556.
        assert!((5_300..5_800).contains(&low), "{low}");
        let p = rng.pareto(10.0, 2.0);
        assert!(p >= 10.0);
    }

    #[test]
    fn weighted_choice_follows_the_weights() {
        let mut rng = Rng::new(5);
        let mut seen = [0u32; 3];
        for _ in 0..10_000 {
            seen[rng.weighted(&[1.0, 0.0, 3.0])] += 1;
        }
        assert_eq!(seen[1], 0);
        assert!((2_300..2_700).contains(&seen[0]), "{seen:?}");
    }

    #[test]
    fn shuffle_is_a_permutation() {
        let mut rng = Rng::new(6);
        let mut v: Vec<u32> = (0..50).collect();
        rng.shuffle(&mut v);
        assert_ne!(v, (0..50).collect::<Vec<_>>());
        v.sort_unstable();
        assert_eq!(v, (0..50).collect::<Vec<_>>());
    }

    #[test]
    fn scramble_is_a_bijection_on_a_sample() {
        let outs: std::collections::BTreeSet<u64> = (0..10_000).map(scramble).collect();
        assert_eq!(outs.len(), 10_000);
    }
}
