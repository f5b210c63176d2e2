//! Per-value statistics of many runs in memory that does not grow with the number of runs: a
//! quantile [`Sketch`], the exact minimum and maximum, and a fixed-point sum for the mean.
//!
//! Runs are taken in blocks of [`BLOCK_RUNS`] consecutive run indices. Within a block, values
//! are summed in run order in `f64`; the block sum is then rounded to a multiple of `2^-50` and
//! added to an `i128`. Integer addition is exact, so the total does not depend on how blocks
//! were spread over threads or shards, nor on the order in which they finished.

use super::sketch::Sketch;
use serde::{Deserialize, Serialize};

/// Runs per block: the unit of work and of shard boundaries.
pub const BLOCK_RUNS: u64 = 32;

/// Fixed-point scale of value sums: `2^50`.
const SUM_SCALE: f64 = 1_125_899_906_842_624.0;
/// Fixed-point scale of sums of squared deviations: `2^20`.
const SQUARES_SCALE: f64 = 1_048_576.0;

fn to_fixed(value: f64, scale: f64) -> i128 {
    // `as` saturates, so even an absurd value gives a defined result.
    (value * scale).round() as i128
}

/// `i128` as a decimal string in JSON, which has no 128-bit integers.
mod i128_string {
    use serde::{Deserialize, Deserializer, Serializer, de::Error};

    pub fn serialize<S: Serializer>(value: &i128, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&value.to_string())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<i128, D::Error> {
        String::deserialize(d)?.parse().map_err(D::Error::custom)
    }
}

/// Statistics of one value across runs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ValueStats {
    sketch: Sketch,
    #[serde(with = "i128_string")]
    sum_fixed: i128,
    min: f64,
    max: f64,
}

impl Default for ValueStats {
    fn default() -> Self {
        ValueStats {
            sketch: Sketch::default(),
            sum_fixed: 0,
            min: f64::INFINITY,
            max: f64::NEG_INFINITY,
        }
    }
}

impl ValueStats {
    fn merge(&mut self, other: &ValueStats) {
        self.sketch.merge(&other.sketch);
        self.sum_fixed = self.sum_fixed.saturating_add(other.sum_fixed);
        self.min = self.min.min(other.min);
        self.max = self.max.max(other.max);
    }

    /// The quantile sketch.
    pub fn sketch(&self) -> &Sketch {
        &self.sketch
    }

    /// Mean over `runs` runs. When every run gave the same value, exactly that value.
    pub fn mean(&self, runs: u64) -> f64 {
        if self.min == self.max {
            return self.min;
        }
        self.sum_fixed as f64 / SUM_SCALE / runs as f64
    }

    /// Quantiles (nearest rank), clamped to the observed range; exact when every run gave the
    /// same value.
    pub fn quantiles<const N: usize>(&self, qs: [f64; N]) -> [f64; N] {
        if self.min == self.max {
            return [self.min; N];
        }
        self.sketch
            .quantiles(qs)
            .expect("statistics exist only after at least one run")
            .map(|v| v.clamp(self.min, self.max))
    }
}

/// A squared-deviation sum for the standard error of one headline value.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Spread {
    /// Index of the value in the layout.
    pub value: usize,
    /// The central value deviations are taken from.
    pub central: f64,
    #[serde(with = "i128_string")]
    squares_fixed: i128,
}

/// Statistics over some runs of the tracked values of the layout.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Accumulator {
    runs: u64,
    /// Indices, in a run's values, of the values tracked; `values[k]` is `tracked[k]`'s.
    tracked: Vec<usize>,
    values: Vec<ValueStats>,
    spreads: Vec<Spread>,
}

impl Accumulator {
    /// Empty statistics of the values at indices `tracked` of each run (ascending);
    /// `headline` lists `(index, central value)` of the values whose standard error is
    /// reported.
    pub fn new(tracked: Vec<usize>, headline: &[(usize, f64)]) -> Accumulator {
        Accumulator {
            runs: 0,
            values: vec![ValueStats::default(); tracked.len()],
            tracked,
            spreads: headline
                .iter()
                .map(|&(value, central)| Spread {
                    value,
                    central,
                    squares_fixed: 0,
                })
                .collect(),
        }
    }

    /// Adds one block: `block` holds `runs` runs of `block.len() / runs` values each (every
    /// value of the layout), runs in ascending run index.
    pub fn add_block(&mut self, block: &[f64], runs: usize) {
        let width = block.len() / runs;
        for (&index, stats) in self.tracked.iter().zip(self.values.iter_mut()) {
            let mut sum = 0.0;
            let (mut min, mut max) = (stats.min, stats.max);
            for &value in block[index..].iter().step_by(width).take(runs) {
                sum += value;
                // Plain comparisons: values are never NaN, and f64::min's NaN rules cost time.
                if value < min {
                    min = value;
                }
                if value > max {
                    max = value;
                }
                stats.sketch.insert(value);
            }
            stats.min = min;
            stats.max = max;
            stats.sum_fixed = stats.sum_fixed.saturating_add(to_fixed(sum, SUM_SCALE));
        }
        for spread in &mut self.spreads {
            let squares: f64 = block[spread.value..]
                .iter()
                .step_by(width)
                .map(|v| (v - spread.central) * (v - spread.central))
                .sum();
            spread.squares_fixed = spread
                .squares_fixed
                .saturating_add(to_fixed(squares, SQUARES_SCALE));
        }
        self.runs += runs as u64;
    }

    /// Adds the runs of `other` (exact: the result does not depend on the order of merges).
    pub fn merge(&mut self, other: &Accumulator) {
        assert_eq!(
            self.values.len(),
            other.values.len(),
            "merging different layouts"
        );
        self.runs += other.runs;
        for (mine, theirs) in self.values.iter_mut().zip(&other.values) {
            mine.merge(theirs);
        }
        for (mine, theirs) in self.spreads.iter_mut().zip(&other.spreads) {
            mine.squares_fixed = mine.squares_fixed.saturating_add(theirs.squares_fixed);
        }
    }

    /// Runs added so far.
    pub fn runs(&self) -> u64 {
        self.runs
    }

    /// Indices, in a run's values, of the values tracked, ascending.
    pub fn tracked(&self) -> &[usize] {
        &self.tracked
    }

    /// Buckets held by all the sketches: the memory that grows with the spread of the values,
    /// at most `tracked().len() * 2 * MAX_BUCKETS`.
    pub fn bucket_count(&self) -> usize {
        self.values.iter().map(|v| v.sketch.bucket_count()).sum()
    }

    /// Statistics of the value at index `value` of a run, if it is tracked.
    pub fn value(&self, value: usize) -> Option<&ValueStats> {
        self.tracked
            .binary_search(&value)
            .ok()
            .map(|k| &self.values[k])
    }

    /// Monte Carlo standard error of the mean of each headline value: `(index, error)`.
    pub fn standard_errors(&self) -> Vec<(usize, f64)> {
        let n = self.runs as f64;
        self.spreads
            .iter()
            .map(|s| {
                let stats = self.value(s.value).expect("headline values are tracked");
                if stats.min == stats.max || self.runs < 2 {
                    return (s.value, 0.0);
                }
                let mean_square = s.squares_fixed as f64 / SQUARES_SCALE / n;
                let bias = stats.mean(self.runs) - s.central;
                let variance = (mean_square - bias * bias).max(0.0) * n / (n - 1.0);
                (s.value, (variance / n).sqrt())
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mean_and_standard_error_of_a_known_sample() {
        // Two values per run; runs give (1, 5), (2, 5), (3, 5), (4, 5).
        let mut acc = Accumulator::new(vec![0, 1], &[(0, 2.0)]);
        acc.add_block(&[1.0, 5.0, 2.0, 5.0], 2);
        acc.add_block(&[3.0, 5.0, 4.0, 5.0], 2);
        assert_eq!(acc.runs(), 4);
        assert_eq!(acc.value(0).unwrap().mean(4), 2.5);
        assert_eq!(acc.value(1).unwrap().mean(4), 5.0);
        assert_eq!(acc.value(1).unwrap().quantiles([0.05, 0.95]), [5.0, 5.0]);
        // Sample variance of 1..4 is 5/3; standard error sqrt(5/3 / 4).
        let (_, se) = acc.standard_errors()[0];
        assert!((se - (5.0_f64 / 12.0).sqrt()).abs() < 1e-12, "{se}");
    }

    #[test]
    fn merge_order_does_not_matter() {
        let blocks: Vec<Vec<f64>> = (0..6)
            .map(|b| {
                (0..8)
                    .map(|i| (f64::from(b * 8 + i) * 0.37).sin() * 1e3)
                    .collect()
            })
            .collect();
        let accumulate = |order: &[usize]| {
            let mut total = Accumulator::new(vec![0], &[(0, 0.0)]);
            for &b in order {
                let mut part = Accumulator::new(vec![0], &[(0, 0.0)]);
                part.add_block(&blocks[b], 8);
                total.merge(&part);
            }
            total
        };
        assert_eq!(
            accumulate(&[0, 1, 2, 3, 4, 5]),
            accumulate(&[5, 3, 1, 0, 2, 4])
        );
    }
}
