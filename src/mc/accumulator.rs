//! Per-value statistics of many runs in memory that does not grow with the number of runs: a
//! quantile [`Sketch`], the exact minimum and maximum, and a fixed-point sum for the mean.
//!
//! Runs are taken in blocks of [`BLOCK_RUNS`] consecutive run indices. Within a block, values
//! are summed in run order in `f64`; the block sum is then rounded to a multiple of `2^-50` and
//! added to a signed integer ([`Wide`], 1,152 bits, wide enough for any finite values: where
//! an `i128` would have saturated on a row above about `1e23`, it stays exact). Integer
//! addition is exact, so the total does not depend on how blocks were spread over threads or
//! shards, nor on the order in which they finished.

use super::sketch::{Sketch, number};
use serde::{Deserialize, Serialize};
use wide::Wide;

/// Runs per block: the unit of work and of shard boundaries.
pub const BLOCK_RUNS: u64 = 32;

/// Fixed-point scale of value sums: `2^50`, as a power of two.
const SUM_SHIFT: i32 = 50;
/// Fixed-point scale of sums of squared deviations: `2^20`, as a power of two.
const SQUARES_SHIFT: i32 = 20;

/// Exact fixed-point sums of any finite `f64` values: signed integers of 1,152 bits.
mod wide {
    use serde::{Deserialize, Deserializer, Serialize, Serializer, de::Error};

    /// 64-bit limbs: 1,152 bits. A block sum of 32 finite values is below `2^1029`; scaled by
    /// `2^50` and summed over at most `2^26` blocks (a billion runs) it stays below `2^1105`.
    /// (Squared deviations whose `f64` block sum overflows saturate instead: see
    /// [`Wide::MAX`].)
    const LIMBS: usize = 18;

    /// A signed integer in two's complement, least significant limb first.
    #[derive(Debug, Clone, PartialEq, Eq, Default)]
    pub struct Wide([u64; LIMBS]);

    impl Wide {
        /// Zero.
        pub const ZERO: Wide = Wide([0; LIMBS]);

        /// The largest value, `2^1151 - 1`; sums saturate there (and at `-MAX`).
        pub const MAX: Wide = {
            let mut limbs = [u64::MAX; LIMBS];
            limbs[LIMBS - 1] = i64::MAX as u64;
            Wide(limbs)
        };

        /// Whether the value is below zero.
        pub fn is_negative(&self) -> bool {
            self.0[LIMBS - 1] >> 63 == 1
        }

        /// `-self` (`MAX` for the one value below `-MAX`).
        fn negate(&self) -> Wide {
            let mut out = Wide::ZERO;
            let mut carry = 1;
            for (o, &l) in out.0.iter_mut().zip(&self.0) {
                let (sum, c) = (!l).overflowing_add(carry);
                *o = sum;
                carry = u64::from(c);
            }
            if out.is_negative() && self.is_negative() {
                return Wide::MAX;
            }
            out
        }

        /// The magnitude and whether the value is negative.
        fn magnitude(&self) -> (Wide, bool) {
            if self.is_negative() {
                (self.negate(), true)
            } else {
                (self.clone(), false)
            }
        }

        /// `self + other`, saturated at `MAX` and `-MAX`.
        pub fn saturating_add(&self, other: &Wide) -> Wide {
            let mut out = Wide::ZERO;
            let mut carry = false;
            for ((o, &a), &b) in out.0.iter_mut().zip(&self.0).zip(&other.0) {
                let (sum, c1) = a.overflowing_add(b);
                let (sum, c2) = sum.overflowing_add(u64::from(carry));
                *o = sum;
                carry = c1 || c2;
            }
            let negative = self.is_negative();
            if negative == other.is_negative() && out.is_negative() != negative {
                return if negative {
                    Wide::MAX.negate()
                } else {
                    Wide::MAX
                };
            }
            if out.is_negative() && out.negate().is_negative() {
                return Wide::MAX.negate();
            }
            out
        }

        /// `x * 2^shift` rounded to an integer, halves away from zero (as `f64::round`), or
        /// `None` when `x` is not finite. Exact: no value saturates.
        pub fn from_scaled(x: f64, shift: i32) -> Option<Wide> {
            if !x.is_finite() {
                return None;
            }
            let bits = x.to_bits();
            let exponent = ((bits >> 52) & 0x7FF) as i32;
            let fraction = bits & ((1 << 52) - 1);
            // |x| = mantissa * 2^power, mantissa below 2^53.
            let (mantissa, power) = match exponent {
                0 => (fraction, -1074),
                _ => (fraction | (1 << 52), exponent - 1075),
            };
            let at = power + shift;
            let mut out = Wide::ZERO;
            if at >= 0 {
                let (limb, offset) = ((at / 64) as usize, at % 64);
                out.0[limb] = mantissa << offset;
                if offset > 0 {
                    out.0[limb + 1] = mantissa >> (64 - offset);
                }
            } else if at > -64 {
                let k = -at;
                let whole = mantissa >> k;
                let rest = mantissa & ((1 << k) - 1);
                out.0[0] = whole + u64::from(rest >= 1 << (k - 1));
            }
            Some(if bits >> 63 == 1 { out.negate() } else { out })
        }

        /// Index of the highest set bit of a non-negative value, if any.
        fn top_bit(&self) -> Option<i32> {
            let limb = self.0.iter().rposition(|&l| l != 0)?;
            Some(limb as i32 * 64 + 63 - self.0[limb].leading_zeros() as i32)
        }

        /// Bits `low .. low + 64` of a non-negative value (zeros below bit 0).
        fn window(&self, low: i32) -> u64 {
            if low < 0 {
                return self.window(0) << -low;
            }
            let (limb, offset) = ((low / 64) as usize, low % 64);
            let high = match (offset, self.0.get(limb + 1)) {
                (1.., Some(&next)) => next << (64 - offset),
                _ => 0,
            };
            (self.0[limb] >> offset) | high
        }

        /// Whether any bit below `low` is set (a non-negative value).
        fn any_below(&self, low: i32) -> bool {
            if low <= 0 {
                return false;
            }
            let (limb, offset) = ((low / 64) as usize, low % 64);
            self.0[..limb].iter().any(|&l| l != 0)
                || (offset > 0 && self.0[limb] & ((1 << offset) - 1) != 0)
        }

        /// `self * 2^-shift` rounded to the nearest `f64`, ties to even (as `i128 as f64`),
        /// for `0 <= shift <= 53`; infinite beyond `f64::MAX`.
        pub fn to_f64(&self, shift: i32) -> f64 {
            let (magnitude, negative) = self.magnitude();
            let sign = if negative { -1.0 } else { 1.0 };
            let Some(mut top) = magnitude.top_bit() else {
                return 0.0;
            };
            if top < 53 {
                // Exact: an integer below 2^53 times a power of two.
                return sign
                    * magnitude.0[0] as f64
                    * f64::from_bits(((1023 - shift) as u64) << 52);
            }
            let window = magnitude.window(top - 63);
            let mut mantissa = window >> 11;
            let half = (window >> 10) & 1 == 1;
            let sticky = window & 0x3FF != 0 || magnitude.any_below(top - 63);
            if half && (sticky || mantissa & 1 == 1) {
                mantissa += 1;
                if mantissa == 1 << 53 {
                    mantissa >>= 1;
                    top += 1;
                }
            }
            let exponent = top - shift;
            if exponent > 1023 {
                return sign * f64::INFINITY;
            }
            let bits = (((exponent + 1023) as u64) << 52) | (mantissa & ((1 << 52) - 1));
            sign * f64::from_bits(bits)
        }

        /// `self / divisor`, rounded towards zero.
        pub fn div(&self, divisor: u64) -> Wide {
            let (magnitude, negative) = self.magnitude();
            let mut out = Wide::ZERO;
            let mut rest: u128 = 0;
            for (o, &l) in out.0.iter_mut().zip(&magnitude.0).rev() {
                let current = (rest << 64) | u128::from(l);
                *o = (current / u128::from(divisor)) as u64;
                rest = current % u128::from(divisor);
            }
            if negative { out.negate() } else { out }
        }

        /// `self * factor + term` for a non-negative value, or `None` past `MAX`.
        fn mul_add(&self, factor: u64, term: u64) -> Option<Wide> {
            let mut out = Wide::ZERO;
            let mut carry = u128::from(term);
            for (o, &l) in out.0.iter_mut().zip(&self.0) {
                let product = u128::from(l) * u128::from(factor) + carry;
                *o = product as u64;
                carry = product >> 64;
            }
            (carry == 0 && !out.is_negative()).then_some(out)
        }
    }

    impl std::fmt::Display for Wide {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            const CHUNK: u64 = 10_000_000_000_000_000_000;
            let (mut magnitude, negative) = self.magnitude();
            let mut chunks = Vec::new();
            loop {
                let quotient = magnitude.div(CHUNK);
                let low = quotient.mul_add(CHUNK, 0).expect("below the magnitude");
                // magnitude - quotient * CHUNK, which is below CHUNK.
                chunks.push(magnitude.0[0].wrapping_sub(low.0[0]));
                magnitude = quotient;
                if magnitude == Wide::ZERO {
                    break;
                }
            }
            if negative {
                write!(f, "-")?;
            }
            let mut chunks = chunks.iter().rev();
            write!(f, "{}", chunks.next().expect("at least one chunk"))?;
            chunks.try_for_each(|c| write!(f, "{c:019}"))
        }
    }

    impl std::str::FromStr for Wide {
        type Err = ();

        /// A decimal integer of magnitude at most `MAX`.
        fn from_str(text: &str) -> Result<Wide, ()> {
            let (negative, digits) = match text.strip_prefix('-') {
                Some(rest) => (true, rest),
                None => (false, text),
            };
            if digits.is_empty()
                || digits.len() > 400
                || !digits.bytes().all(|b| b.is_ascii_digit())
            {
                return Err(());
            }
            let mut value = Wide::ZERO;
            for chunk in digits.as_bytes().chunks(19) {
                let chunk = std::str::from_utf8(chunk).map_err(|_| ())?;
                let factor = 10_u64.pow(chunk.len() as u32);
                value = value
                    .mul_add(factor, chunk.parse().map_err(|_| ())?)
                    .ok_or(())?;
            }
            Ok(if negative { value.negate() } else { value })
        }
    }

    /// A decimal string in JSON, which has no integers this wide.
    impl Serialize for Wide {
        fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            s.collect_str(self)
        }
    }

    impl<'de> Deserialize<'de> for Wide {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Wide, D::Error> {
            let text = String::deserialize(d)?;
            text.parse().map_err(|()| {
                D::Error::custom(format!(
                    "'{text}' is not a whole number of magnitude below 2^1151"
                ))
            })
        }
    }
}

/// Statistics of one value across runs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ValueStats {
    sketch: Sketch,
    sum_fixed: Wide,
    min: f64,
    max: f64,
}

impl Default for ValueStats {
    fn default() -> Self {
        ValueStats {
            sketch: Sketch::default(),
            sum_fixed: Wide::ZERO,
            min: f64::INFINITY,
            max: f64::NEG_INFINITY,
        }
    }
}

impl ValueStats {
    fn merge(&mut self, other: &ValueStats) {
        self.sketch.merge(&other.sketch);
        self.sum_fixed = self.sum_fixed.saturating_add(&other.sum_fixed);
        self.min = self.min.min(other.min);
        self.max = self.max.max(other.max);
    }

    /// The quantile sketch.
    pub fn sketch(&self) -> &Sketch {
        &self.sketch
    }

    /// The exact smallest value.
    pub fn min(&self) -> f64 {
        self.min
    }

    /// The exact largest value.
    pub fn max(&self) -> f64 {
        self.max
    }

    /// Whether these statistics can be those of `runs` runs: the sketch counts `runs` values
    /// between the minimum and maximum ([`Sketch::check`]), and so does the mean.
    fn check(&self, runs: u64) -> Result<(), String> {
        self.sketch.check(runs, self.min, self.max)?;
        let mean = mean_of(&self.sum_fixed, runs);
        let slack = self.min.abs().max(self.max.abs()) * SUM_SLACK + MEAN_ROUNDING;
        if !(self.min - slack <= mean && mean <= self.max + slack) {
            return Err(format!(
                "its sum {}/2^50 makes a mean of {} over {runs} runs, outside its minimum {} and maximum {}",
                self.sum_fixed,
                number(mean),
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
        mean_of(&self.sum_fixed, runs)
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

/// The mean of `runs` values whose fixed-point sum (at `2^-50`) is `sum`.
fn mean_of(sum: &Wide, runs: u64) -> f64 {
    let total = sum.to_f64(SUM_SHIFT);
    if total.is_finite() {
        total / runs as f64
    } else {
        // A sum beyond f64::MAX whose mean is not.
        sum.div(runs).to_f64(SUM_SHIFT)
    }
}

/// Relative slack for the rounding of sums when checking a mean against the range of the
/// values: `2^-40` (an `f64` block sum of at most 32 values is within `32 * 2^-53` of its
/// exact value, relative to the largest magnitude).
const SUM_SLACK: f64 = 1.0 / 1_099_511_627_776.0;

/// Absolute slack for the rounding of block sums to the fixed point, per run at most `2^-51`
/// (at `2^-50`) and `2^-21` (at `2^-20`); twice that.
const MEAN_ROUNDING: f64 = 1.0 / 1_125_899_906_842_624.0 * 2.0;
const SQUARES_ROUNDING: f64 = 1.0 / 1_048_576.0 * 2.0;

/// A squared-deviation sum for the standard error of one headline value.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Spread {
    /// Index of the value in the layout.
    pub value: usize,
    /// The central value deviations are taken from.
    pub central: f64,
    squares_fixed: Wide,
}

impl Spread {
    /// Whether the sum of squared deviations fits `runs` runs of `stats`: their mean lies
    /// between the squared distances of the plan value to `[min, max]` and to its farther end
    /// (or the sum saturated because those squares exceed `f64`).
    fn check(&self, runs: u64, stats: &ValueStats) -> Result<(), String> {
        let c = self.central;
        let nearest = (stats.min - c).max(c - stats.max).max(0.0);
        let farthest = (stats.max - c).abs().max((stats.min - c).abs());
        let (low, high) = (nearest * nearest, farthest * farthest);
        let mean_square = self.squares_fixed.to_f64(SQUARES_SHIFT) / runs as f64;
        let slack = high * SUM_SLACK + SQUARES_ROUNDING;
        let fits = if self.squares_fixed.is_negative() {
            false
        } else if self.squares_fixed == Wide::MAX {
            high.is_infinite()
        } else {
            low - slack <= mean_square && mean_square <= high + slack
        };
        if fits {
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
                    squares_fixed: Wide::ZERO,
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
            let block_sum = Wide::from_scaled(sum, SUM_SHIFT).unwrap_or_else(|| {
                // The f64 sum overflowed: add the values exactly one by one instead (each
                // rounded to the fixed point). A block always takes the same way.
                block[index..]
                    .iter()
                    .step_by(width)
                    .take(runs)
                    .filter_map(|&v| Wide::from_scaled(v, SUM_SHIFT))
                    .fold(Wide::ZERO, |total, v| total.saturating_add(&v))
            });
            stats.sum_fixed = stats.sum_fixed.saturating_add(&block_sum);
        }
        for spread in &mut self.spreads {
            let squares: f64 = block[spread.value..]
                .iter()
                .step_by(width)
                .map(|v| (v - spread.central) * (v - spread.central))
                .sum();
            // Squares beyond f64::MAX saturate: their standard error is reported as infinite.
            let squares = Wide::from_scaled(squares, SQUARES_SHIFT).unwrap_or(Wide::MAX);
            spread.squares_fixed = spread.squares_fixed.saturating_add(&squares);
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
            mine.squares_fixed = mine.squares_fixed.saturating_add(&theirs.squares_fixed);
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
                if s.squares_fixed == Wide::MAX {
                    // Deviations whose squares exceed f64::MAX.
                    return (s.value, f64::INFINITY);
                }
                let mean_square = s.squares_fixed.to_f64(SQUARES_SHIFT) / n;
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
        let why = refused(&|a| {
            let sum = a.values[1].sum_fixed.clone();
            a.values[1].sum_fixed = sum.saturating_add(&sum);
        });
        assert!(why.starts_with("row 1: its sum"), "{why}");
        assert!(
            why.contains("outside its minimum 40 and maximum 135"),
            "{why}"
        );
        let why = refused(&|a| a.values[0].sum_fixed = Wide::from_scaled(-1e6 * 96.0, 50).unwrap());
        assert!(
            why.contains("makes a mean of -1000000 over 96 runs"),
            "{why}"
        );
        let why = refused(&|a| a.values[2].min = -2.0);
        assert!(why.contains("lowest and highest buckets"), "{why}");
        let why = refused(&|a| a.spreads.clear());
        assert!(why.contains("0 squared-deviation sums"), "{why}");
        let why = refused(&|a| a.spreads[0].central = 51.0);
        assert!(
            why.contains("expected row 1 around its plan value 50"),
            "{why}"
        );
        let squares_refused = |edit: &dyn Fn(&mut Accumulator)| {
            let why = refused(edit);
            assert!(
                why.starts_with("row 1: its sum of squared deviations"),
                "{why}"
            );
        };
        squares_refused(&|a| a.spreads[0].squares_fixed = Wide::from_scaled(-1.0, 0).unwrap());
        squares_refused(&|a| {
            let squares = a.spreads[0].squares_fixed.to_f64(0);
            a.spreads[0].squares_fixed = Wide::from_scaled(squares * 100.0, 0).unwrap();
        });
        squares_refused(&|a| a.spreads[0].squares_fixed = Wide::MAX);
        // Statistics swapped between rows are each consistent: only a digest catches that.
        let mut swapped = acc.clone();
        swapped.values.swap(0, 2);
        swapped.check(96, &[0, 1, 2], &headline).unwrap();
    }

    #[test]
    fn sums_of_the_largest_values_stay_exact() {
        let mut acc = Accumulator::new(vec![0], &[(0, 0.0)]);
        acc.add_block(&[1e300, 2e300], 2);
        acc.add_block(&[3e300], 1);
        // Blocks whose f64 sum overflows are added value by value.
        acc.add_block(&[f64::MAX, f64::MAX, -f64::MAX], 3);
        acc.check(6, &[0], &[(0, 0.0)]).unwrap();
        let mean = acc.value(0).unwrap().mean(6);
        let want = (6e300 + f64::MAX) / 6.0;
        assert!((mean - want).abs() <= want * 1e-15, "{mean} vs {want}");
        // Their squares exceed f64: the standard error is infinite, not 0.
        assert_eq!(acc.standard_errors(), vec![(0, f64::INFINITY)]);
        let mut other = Accumulator::new(vec![0], &[(0, 0.0)]);
        other.add_block(&[-f64::MAX; 32], 32);
        acc.merge(&other);
        acc.check(38, &[0], &[(0, 0.0)]).unwrap();
        let mean = acc.value(0).unwrap().mean(38);
        let want = (6e300 - 31.0 * f64::MAX) / 38.0;
        assert!(
            (mean - want).abs() <= want.abs() * 1e-15,
            "{mean} vs {want}"
        );
    }

    /// SplitMix64, for test data.
    fn mix(state: &mut u64) -> u64 {
        *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = *state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    #[test]
    fn wide_sums_equal_i128_sums_wherever_those_do_not_saturate() {
        let mut state = 7;
        let mut wide = Wide::ZERO;
        let mut narrow: i128 = 0;
        for i in 0..20_000 {
            // Magnitudes from 2^-60 to 2^70, both signs, and exact halves.
            let exponent = (mix(&mut state) % 130) as i32 - 60;
            let x = (mix(&mut state) >> 11) as f64 / (1_u64 << 53) as f64 * 2f64.powi(exponent);
            let x = match i % 4 {
                0 => -x,
                1 => (x * 2f64.powi(50)).trunc() / 2f64.powi(50) + 2f64.powi(-51),
                _ => x,
            };
            let w = Wide::from_scaled(x, SUM_SHIFT).unwrap();
            let n = (x * 2f64.powi(50)).round() as i128;
            assert_eq!(w.to_string(), n.to_string(), "{x}");
            assert_eq!(w.to_f64(SUM_SHIFT), n as f64 / 2f64.powi(50), "{x}");
            wide = wide.saturating_add(&w);
            narrow += n;
            assert_eq!(wide.to_string(), narrow.to_string());
            assert_eq!(wide.to_f64(SUM_SHIFT), narrow as f64 / 2f64.powi(50));
            assert_eq!(wide.to_f64(0), narrow as f64);
            assert_eq!(wide.to_string().parse::<Wide>().as_ref(), Ok(&wide));
        }
        for n in [
            i128::MAX,
            i128::MIN,
            0,
            -1,
            1 << 100,
            (1 << 53) + 1,
            -(1 << 64) - 3,
        ] {
            let w: Wide = n.to_string().parse().unwrap();
            assert_eq!(w.to_f64(0), n as f64, "{n}");
            assert_eq!(w.to_f64(SQUARES_SHIFT), n as f64 / 2f64.powi(20), "{n}");
            assert_eq!(w.to_string(), n.to_string());
        }
    }

    #[test]
    fn wide_numbers_read_back_and_refuse_what_is_not_one() {
        let max = Wide::MAX.to_string();
        assert_eq!(max.len(), 347);
        assert_eq!(max.parse::<Wide>(), Ok(Wide::MAX));
        let min = format!("-{max}");
        assert_eq!(min.parse::<Wide>().unwrap().to_string(), min);
        assert_eq!(Wide::MAX.saturating_add(&Wide::MAX), Wide::MAX);
        let big = Wide::from_scaled(f64::MAX, 50).unwrap();
        assert_eq!(big.to_f64(50), f64::MAX);
        assert_eq!(big.to_f64(0), f64::INFINITY);
        assert_eq!(big.to_string().parse::<Wide>().as_ref(), Ok(&big));
        let small = Wide::from_scaled(-f64::MIN_POSITIVE, 50).unwrap();
        assert_eq!(small, Wide::ZERO);
        // 2^1151, one past MAX (2^1151 ends in 8).
        assert!(max.ends_with('7'));
        let past = format!("{}8", &max[..max.len() - 1]);
        for bad in ["", "-", "+1", "1a", " 1", "1.0", &past, &"9".repeat(401)] {
            assert_eq!(bad.parse::<Wide>(), Err(()), "{bad:?}");
        }
        let json = serde_json::to_string(&big).unwrap();
        assert_eq!(serde_json::from_str::<Wide>(&json).unwrap(), big);
        let refused = serde_json::from_str::<Wide>(r#""lots""#).unwrap_err();
        assert!(
            refused.to_string().contains("'lots' is not a whole number"),
            "{refused}"
        );
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
