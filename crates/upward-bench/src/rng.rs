//! A tiny seeded generator (SplitMix64): the workspace must be the same for a given N on
//! every machine, and ten lines do not justify a dependency.

/// SplitMix64 (Steele, Lea and Flood, 2014): fast, full-period, good enough for test data.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A uniform number in `0..n` (`n` > 0).
    pub fn below(&mut self, n: usize) -> usize {
        ((self.next_u64() >> 11) as f64 / (1u64 << 53) as f64 * n as f64) as usize
    }

    /// A uniform number in `lo..=hi`.
    pub fn range(&mut self, lo: i64, hi: i64) -> i64 {
        lo + self.below((hi - lo + 1) as usize) as i64
    }

    /// A uniform number in `[0, 1)`.
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// True with probability `p`.
    pub fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    pub fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len())]
    }

    /// Index drawn with the given weights.
    pub fn weighted(&mut self, weights: &[f64]) -> usize {
        let total: f64 = weights.iter().sum();
        let mut x = self.unit() * total;
        for (i, w) in weights.iter().enumerate() {
            if x < *w {
                return i;
            }
            x -= w;
        }
        weights.len() - 1
    }

    /// An exponentially distributed number of days with the given mean (at least 0).
    pub fn exp_days(&mut self, mean: f64) -> i64 {
        (-(1.0 - self.unit()).ln() * mean).round() as i64
    }

    /// Picks from a list where earlier entries are more common (a Zipf-like law), as words
    /// are in real text.
    pub fn zipf<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        // Inverse of a continuous 1/x law over 1..=n+1.
        let n = xs.len() as f64;
        let i = ((n + 1.0).powf(self.unit()) - 1.0) as usize;
        &xs[i.min(xs.len() - 1)]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_sequence_and_ranges_hold() {
        let (mut a, mut b) = (Rng::new(7), Rng::new(7));
        for _ in 0..1000 {
            assert_eq!(a.next_u64(), b.next_u64());
            let r = a.range(-3, 5);
            assert!((-3..=5).contains(&r));
            assert!(a.below(10) < 10);
            b.range(-3, 5);
            b.below(10);
        }
    }
}
