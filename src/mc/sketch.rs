//! A mergeable quantile sketch with bounded relative error: a log-linear histogram.
//!
//! A positive value's bucket is its IEEE-754 bit pattern shifted right by 45 bits: the exponent
//! and the top 7 mantissa bits, so each octave `[2^e, 2^(e+1))` has 128 buckets of equal width
//! `2^e / 128`. Reporting a bucket by its midpoint is off by at most half a bucket, a relative
//! error of at most `2^-8` (0.39%), inside the 0.5% MODEL.md allows. Negative values go to a
//! mirror histogram, zeros (and values below `f64::MIN_POSITIVE`) to a counter.
//!
//! Counts are integers, so merging (adding counts) is exact, associative and commutative: the
//! result never depends on how runs were split over threads or shards. Memory grows with the
//! spread of values (about 128 buckets per doubling), never with the number of values.

use serde::{Deserialize, Serialize};

/// Bits dropped from a value's bit pattern to get its bucket.
const SHIFT: u32 = 45;

/// Largest relative error of a reported quantile (before clamping to the observed range).
pub const RELATIVE_ERROR: f64 = 1.0 / 256.0;

/// Counts over a contiguous range of bucket indices.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
struct Store {
    /// Index of `counts[0]`.
    first: u32,
    counts: Vec<u32>,
}

impl Store {
    #[inline]
    fn add(&mut self, index: u32, count: u32) {
        // Fast path: the bucket is inside the current range (almost always, after a few runs).
        let offset = index.wrapping_sub(self.first) as usize;
        if let Some(slot) = self.counts.get_mut(offset) {
            *slot += count;
            return;
        }
        self.grow(index, count);
    }

    #[cold]
    fn grow(&mut self, index: u32, count: u32) {
        if self.counts.is_empty() {
            self.first = index;
            self.counts.push(0);
        } else if index < self.first {
            let grow = (self.first - index) as usize;
            self.counts.splice(0..0, std::iter::repeat_n(0, grow));
            self.first = index;
        } else if (index - self.first) as usize >= self.counts.len() {
            self.counts.resize((index - self.first) as usize + 1, 0);
        }
        self.counts[(index - self.first) as usize] += count;
    }

    fn merge(&mut self, other: &Store) {
        for (offset, &count) in other.counts.iter().enumerate() {
            if count > 0 {
                self.add(other.first + offset as u32, count);
            }
        }
    }

    fn total(&self) -> u64 {
        self.counts.iter().map(|&c| u64::from(c)).sum()
    }

    /// `(bucket index, count)` with non-zero counts, ascending.
    fn buckets(&self) -> impl DoubleEndedIterator<Item = (u32, u32)> + '_ {
        self.counts
            .iter()
            .enumerate()
            .filter(|(_, c)| **c > 0)
            .map(|(i, &c)| (self.first + i as u32, c))
    }
}

/// The midpoint of bucket `index` (a positive value).
fn midpoint(index: u32) -> f64 {
    let low = f64::from_bits(u64::from(index) << SHIFT);
    let high = f64::from_bits(u64::from(index + 1) << SHIFT);
    low + (high - low) / 2.0
}

#[inline]
fn bucket(magnitude: f64) -> u32 {
    (magnitude.to_bits() >> SHIFT) as u32
}

/// A quantile sketch of a stream of finite values.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Sketch {
    positive: Store,
    negative: Store,
    zero: u64,
}

impl Sketch {
    /// Adds one value. Non-finite values are a programming error (the model never makes them).
    #[inline]
    pub fn insert(&mut self, value: f64) {
        debug_assert!(value.is_finite(), "sketch got {value}");
        if value >= f64::MIN_POSITIVE {
            self.positive.add(bucket(value), 1);
        } else if value <= -f64::MIN_POSITIVE {
            self.negative.add(bucket(-value), 1);
        } else {
            self.zero += 1;
        }
    }

    /// Adds every value of `other`.
    pub fn merge(&mut self, other: &Sketch) {
        self.positive.merge(&other.positive);
        self.negative.merge(&other.negative);
        self.zero += other.zero;
    }

    /// Number of values inserted.
    pub fn count(&self) -> u64 {
        self.positive.total() + self.negative.total() + self.zero
    }

    /// The values at quantiles `qs` (each in `[0, 1]`, ascending), by the nearest-rank rule: the
    /// `ceil(q * n)`-th smallest value (the smallest for `q = 0`), each within
    /// [`RELATIVE_ERROR`] of the exact one. `None` when the sketch is empty.
    pub fn quantiles<const N: usize>(&self, qs: [f64; N]) -> Option<[f64; N]> {
        let n = self.count();
        if n == 0 {
            return None;
        }
        let ranks = qs.map(|q| ((q * n as f64).ceil() as u64).clamp(1, n));
        let mut out = [0.0; N];
        let mut next = 0;
        let mut seen = 0_u64;
        let ascending = self
            .negative
            .buckets()
            .rev()
            .map(|(i, c)| (-midpoint(i), u64::from(c)))
            .chain((self.zero > 0).then_some((0.0, self.zero)))
            .chain(
                self.positive
                    .buckets()
                    .map(|(i, c)| (midpoint(i), u64::from(c))),
            );
        for (value, count) in ascending {
            seen += count;
            while next < N && ranks[next] <= seen {
                out[next] = value;
                next += 1;
            }
            if next == N {
                break;
            }
        }
        Some(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn exact(sorted: &[f64], q: f64) -> f64 {
        let n = sorted.len();
        let rank = ((q * n as f64).ceil() as usize).clamp(1, n);
        sorted[rank - 1]
    }

    #[test]
    fn quantiles_are_within_the_relative_error_bound() {
        // A deterministic spread of values over six orders of magnitude, both signs and zero.
        let mut values: Vec<f64> = (0..20_000)
            .map(|i| {
                let x = f64::from(i) * 0.618_033_988_75 % 1.0;
                let magnitude = 10f64.powf(6.0 * x - 2.0);
                if i % 3 == 0 {
                    -magnitude
                } else if i % 97 == 0 {
                    0.0
                } else {
                    magnitude
                }
            })
            .collect();
        let mut sketch = Sketch::default();
        for &v in &values {
            sketch.insert(v);
        }
        values.sort_by(f64::total_cmp);
        let qs = [0.0, 0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 1.0];
        let got = sketch.quantiles(qs).unwrap();
        for (q, g) in qs.iter().zip(got) {
            let want = exact(&values, *q);
            assert!(
                (g - want).abs() <= RELATIVE_ERROR * want.abs(),
                "q {q}: {g} vs {want}"
            );
        }
    }

    #[test]
    fn merging_equals_inserting_everything_in_one_sketch() {
        let values: Vec<f64> = (1..5000)
            .map(|i| f64::from(i).sqrt() * 123.4 - 2000.0)
            .collect();
        let mut whole = Sketch::default();
        values.iter().for_each(|&v| whole.insert(v));
        let (mut left, mut right) = (Sketch::default(), Sketch::default());
        values[..1234].iter().for_each(|&v| right.insert(v));
        values[1234..].iter().for_each(|&v| left.insert(v));
        left.merge(&right);
        assert_eq!(left.count(), whole.count());
        let qs = [0.05, 0.5, 0.95];
        assert_eq!(left.quantiles(qs), whole.quantiles(qs));
    }

    #[test]
    fn the_nearest_rank_rule_on_a_small_sample() {
        let mut sketch = Sketch::default();
        for v in [1.0, 2.0, 3.0, 4.0] {
            sketch.insert(v);
        }
        // ranks ceil(0.25*4)=1, ceil(0.5*4)=2, ceil(0.75*4)=3, ceil(0.9*4)=4
        let got = sketch.quantiles([0.25, 0.5, 0.75, 0.9]).unwrap();
        for (g, want) in got.iter().zip([1.0, 2.0, 3.0, 4.0]) {
            assert!((g - want).abs() <= RELATIVE_ERROR * want, "{g} vs {want}");
        }
        assert_eq!(Sketch::default().quantiles([0.5]), None);
    }
}
