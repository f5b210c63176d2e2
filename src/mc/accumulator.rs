//! Per-value statistics of many runs in memory that does not grow with the number of runs: a
//! quantile [`Sketch`], the exact minimum and maximum, and a fixed-point sum for the mean.
//!
//! Runs are taken in blocks of [`BLOCK_RUNS`] consecutive run indices. Within a block, values
//! are summed in run order in `f64`; the block sum is then rounded to a multiple of `2^-50` and
//! added to an `i128`. Integer addition is exact, so the total does not depend on how blocks
//! were spread over threads or shards, nor on the order in which they finished.

use super::sketch::{Sketch, number};
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
        let text = String::deserialize(d)?;
        text.parse()
            .map_err(|_| D::Error::custom(format!("'{text}' is not a whole number")))
    }
}

/// Statistics of one value across runs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
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

    /// Whether these statistics can be those of `runs` runs: the sketch counts `runs` values
    /// between the minimum and maximum ([`Sketch::check`]), and the sum lies between `runs`
    /// times each.
    fn check(&self, runs: u64) -> Result<(), String> {
        self.sketch.check(runs, self.min, self.max)?;
        if !fixed_sum_fits(self.sum_fixed, runs, self.min, self.max, SUM_SCALE) {
            return Err(format!(
                "its sum {}/2^50 cannot come from {runs} runs between {} and {}",
                self.sum_fixed,
                number(self.min),
                number(self.max)
            ));
        }
        Ok(())
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

/// Slack for the rounding of block sums when checking a fixed-point sum against its bounds:
/// `2^-40` of the largest sum (each `f64` block sum of at most 32 values is within `32 * 2^-53`
/// of its exact value) plus one unit per run (rounding to the fixed point).
const SUM_SLACK: f64 = 1.0 / 1_099_511_627_776.0;

/// Whether `fixed` can be a saturating fixed-point sum (at `scale`) of `runs` values each
/// between `low` and `high`, added block by block (see [`SUM_SLACK`]).
fn fixed_sum_fits(fixed: i128, runs: u64, low: f64, high: f64, scale: f64) -> bool {
    // A saturated sum stays within the bounds clamped to i128 (saturation only ever moves a
    // partial sum towards them), so clamp them too; clamped, every term is finite.
    let clamp = |x: f64| x.clamp(i128::MIN as f64, i128::MAX as f64);
    let n = runs as f64;
    let slack = clamp(n * low.abs().max(high.abs()) * scale * SUM_SLACK) + n;
    let fixed = fixed as f64;
    clamp(n * low * scale) - slack <= fixed && fixed <= clamp(n * high * scale) + slack
}

/// A squared-deviation sum for the standard error of one headline value.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Spread {
    /// Index of the value in the layout.
    pub value: usize,
    /// The central value deviations are taken from.
    pub central: f64,
    #[serde(with = "i128_string")]
    squares_fixed: i128,
}

impl Spread {
    /// Whether the sum of squared deviations fits `runs` runs of `stats`: every deviation lies
    /// between the distance of the plan value to `[min, max]` and its farther end.
    fn check(&self, runs: u64, stats: &ValueStats) -> Result<(), String> {
        let c = self.central;
        let nearest = (stats.min - c).max(c - stats.max).max(0.0);
        let farthest = (stats.max - c).abs().max((stats.min - c).abs());
        if self.squares_fixed >= 0
            && fixed_sum_fits(
                self.squares_fixed,
                runs,
                nearest * nearest,
                farthest * farthest,
                SQUARES_SCALE,
            )
        {
            Ok(())
        } else {
            Err(format!(
                "its sum of squared deviations {}/2^20 cannot come from {runs} runs between {} and {} around {}",
                self.squares_fixed,
                number(stats.min),
                number(stats.max),
                number(c)
            ))
        }
    }
}

/// ", the first difference at position k: r against s" for two lists of rows.
fn first_difference(got: &[usize], want: &[usize]) -> String {
    let at = got.iter().zip(want).position(|(a, b)| a != b);
    match at {
        Some(k) => format!(
            " (position {k}: row {} where its scenario gives row {})",
            got[k], want[k]
        ),
        None if got.len() < want.len() => format!(" (row {} is missing)", want[got.len()]),
        None if got.len() > want.len() => format!(" (row {} is extra)", got[want.len()]),
        None => String::new(),
    }
}

/// Statistics over some runs of the tracked values of the layout.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
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

    /// Checks statistics read from outside (a shard state) against what the engine makes for
    /// `runs` runs of a layout whose tracked values are `tracked` and whose headline values
    /// are `headline` (`(index, central value)`, as given to [`Accumulator::new`]): the run
    /// count, the tracked list, one statistic per tracked value, each consistent in itself
    /// (its sketch counts `runs` values between its minimum and maximum, and its sum lies
    /// between `runs` times each), and the squared-deviation sums of exactly the headline
    /// values, each within what the minimum and maximum allow. `Err` says what is wrong.
    ///
    /// Only what is consistent can be checked: statistics swapped between rows, or a sum moved
    /// within its bounds, pass; the shard state's digest is what catches those.
    pub fn check(
        &self,
        runs: u64,
        tracked: &[usize],
        headline: &[(usize, f64)],
    ) -> Result<(), String> {
        if self.runs != runs {
            return Err(format!(
                "its statistics count {} runs; its blocks hold {runs}",
                self.runs
            ));
        }
        if self.tracked != tracked {
            return Err(format!(
                "its statistics track {} rows, not the {} rows its scenario varies{}",
                self.tracked.len(),
                tracked.len(),
                first_difference(&self.tracked, tracked)
            ));
        }
        if self.values.len() != tracked.len() {
            return Err(format!(
                "it holds {} statistics for {} tracked rows; expected one per row",
                self.values.len(),
                tracked.len()
            ));
        }
        for (stats, &row) in self.values.iter().zip(tracked) {
            stats
                .check(runs)
                .map_err(|why| format!("row {row}: {why}"))?;
        }
        if self.spreads.len() != headline.len() {
            return Err(format!(
                "it holds {} squared-deviation sums; its scenario has {} headline rows",
                self.spreads.len(),
                headline.len()
            ));
        }
        for (spread, &(row, central)) in self.spreads.iter().zip(headline) {
            if spread.value != row || spread.central.to_bits() != central.to_bits() {
                return Err(format!(
                    "a squared-deviation sum is of row {} around {}; expected row {row} around its plan value {central}",
                    spread.value, spread.central
                ));
            }
            let stats = self
                .value(row)
                .ok_or_else(|| format!("headline row {row} is not tracked"))?;
            spread
                .check(runs, stats)
                .map_err(|why| format!("row {row}: {why}"))?;
        }
        Ok(())
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

    /// Three values per run over 96 runs in three blocks; value 1 is the headline, around 50.
    fn three_blocks() -> Accumulator {
        let mut acc = Accumulator::new(vec![0, 1, 2], &[(1, 50.0)]);
        for b in 0..3 {
            let block: Vec<f64> = (0..32)
                .flat_map(|r| {
                    let x = f64::from(b * 32 + r);
                    [x.sin() * 1e3, 40.0 + x, -1.0]
                })
                .collect();
            acc.add_block(&block, 32);
        }
        acc
    }

    #[test]
    fn checks_accept_what_the_engine_makes_and_refuse_the_rest() {
        let acc = three_blocks();
        let headline = [(1, 50.0)];
        acc.check(96, &[0, 1, 2], &headline).unwrap();
        let refused = |edit: &dyn Fn(&mut Accumulator)| {
            let mut bad = acc.clone();
            edit(&mut bad);
            bad.check(96, &[0, 1, 2], &headline).unwrap_err()
        };
        let why = refused(&|a| a.runs = 64);
        assert_eq!(why, "its statistics count 64 runs; its blocks hold 96");
        let why = refused(&|a| {
            a.tracked.pop();
        });
        assert!(why.contains("track 2 rows, not the 3 rows"), "{why}");
        assert!(why.contains("row 2 is missing"), "{why}");
        let why = refused(&|a| {
            a.values.pop();
        });
        assert!(why.contains("2 statistics for 3 tracked rows"), "{why}");
        let why = refused(&|a| a.values[1].sum_fixed *= 2);
        assert!(why.starts_with("row 1: its sum"), "{why}");
        let why = refused(&|a| a.values[0].sum_fixed = -a.values[0].sum_fixed - (1 << 80));
        assert!(why.starts_with("row 0: its sum"), "{why}");
        let why = refused(&|a| a.values[2].min = -2.0);
        assert!(why.contains("lowest and highest buckets"), "{why}");
        let why = refused(&|a| a.spreads.clear());
        assert!(why.contains("0 squared-deviation sums"), "{why}");
        let why = refused(&|a| a.spreads[0].central = 51.0);
        assert!(
            why.contains("expected row 1 around its plan value 50"),
            "{why}"
        );
        let why = refused(&|a| a.spreads[0].squares_fixed = -1);
        assert!(
            why.starts_with("row 1: its sum of squared deviations"),
            "{why}"
        );
        let why = refused(&|a| a.spreads[0].squares_fixed *= 100);
        assert!(
            why.starts_with("row 1: its sum of squared deviations"),
            "{why}"
        );
        // Statistics swapped between rows are each consistent: only a digest catches that.
        let mut swapped = acc.clone();
        swapped.values.swap(0, 2);
        swapped.check(96, &[0, 1, 2], &headline).unwrap();
    }

    #[test]
    fn sums_too_large_for_the_fixed_point_saturate_and_still_check() {
        let mut acc = Accumulator::new(vec![0], &[(0, 0.0)]);
        acc.add_block(&[1e300, 2e300], 2);
        acc.add_block(&[3e300], 1);
        assert_eq!(acc.values[0].sum_fixed, i128::MAX);
        acc.check(3, &[0], &[(0, 0.0)]).unwrap();
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
