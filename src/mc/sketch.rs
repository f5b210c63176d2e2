//! A mergeable quantile sketch with bounded relative error and bounded memory: a log-linear
//! histogram that keeps at most [`MAX_BUCKETS`] buckets per sign.
//!
//! A positive value's bucket is its IEEE-754 bit pattern shifted right by 45 bits: the exponent
//! and the top 7 mantissa bits, so each octave `[2^e, 2^(e+1))` has 128 buckets of equal width
//! `2^e / 128`. Reporting a bucket by its midpoint is off by at most half a bucket, a relative
//! error of at most `2^-8` (0.39%), inside the 0.5% MODEL.md allows. Negative values go to a
//! mirror histogram of their magnitudes, zeros (and magnitudes below `f64::MIN_POSITIVE`) to a
//! counter.
//!
//! **Bounded memory**, as in the bounded ("collapsing lowest") DDSketch of Masson, Rim and Lee
//! (VLDB 2019). Each sign's histogram keeps at most [`MAX_BUCKETS`] = 4,096 consecutive
//! buckets: 32 octaves. When the magnitudes of one sign span more, the lowest buckets, those
//! nearest zero, are collapsed into one: the lowest bucket kept is
//! `max(lowest index seen, highest index seen - MAX_BUCKETS + 1)`, and it counts every value
//! at or below its index. A sketch therefore holds at most `2 * MAX_BUCKETS` counts (32 KiB)
//! whatever the spread of its values, and whatever their number.
//!
//! **Error bound.** Let `v` be the exact value of a quantile (nearest rank) and `M` the largest
//! magnitude of `v`'s sign among the values (the maximum for a positive `v`, minus the minimum
//! for a negative one). The reported value `r`, before clamping to the observed range, obeys
//!
//! ```text
//! |r - v| <= 2^-8  * |v|     when |v| >= 2^-31 * M     (RELATIVE_ERROR)
//! |r - v| <  2^-31 * M       when |v| <  2^-31 * M     (COLLAPSED_ERROR, relative to M)
//! ```
//!
//! Proof: with `h` the bucket of `M`, a magnitude of at least `2^-31 M` has a bucket of at
//! least `h - 31 * 128 = h - MAX_BUCKETS + 128`, above the collapsed bucket
//! `h - MAX_BUCKETS + 1`, so its own bucket is kept; every value in the collapsed bucket, and
//! its midpoint, lie below the bottom of bucket `h - MAX_BUCKETS + 2 <= h - 31 * 128`, which
//! is at most `2^-31 M`. So every quantile within 31 octaves of the largest magnitude of its
//! sign keeps the relative bound: for a row of positive values every quantile of at least
//! `2^-31` (4.7e-10) times the maximum, and always the upper quantiles (the maximum's own
//! bucket is never collapsed); for negative values the lower ones. Only quantiles nearest
//! zero, in a collapsed bucket, lose it: they get that bucket's midpoint, then clamped by
//! [`crate::mc::ValueStats`] to the exact minimum and maximum it keeps (so a quantile equal to
//! the minimum of a positive row is exact). Values in the zero counter are reported as 0,
//! within `f64::MIN_POSITIVE`. A row whose values of each sign span at most 32 octaves never
//! collapses and gets exactly what an unbounded histogram gives: so do all rows of every
//! shipped scenario (the widest spans 24 octaves), whose golden files are unchanged.
//!
//! **Exact merges.** Counts are integers, and a sketch is a function of the multiset of values
//! it was fed, not of their order: its range is `max(lowest, highest - MAX_BUCKETS + 1) ..=
//! highest` over the bucket indices seen, with everything lower counted in the first bucket,
//! and every insert and merge re-establishes exactly that (a collapsed first bucket is always
//! at or below the union's lowest kept bucket, so its values land where their own buckets
//! would). So merging is associative and commutative, and equals one sketch fed every value:
//! the result never depends on how runs were split over threads or shards.

use serde::{Deserialize, Serialize};

/// Bits dropped from a value's bit pattern to get its bucket.
const SHIFT: u32 = 45;

/// Buckets per octave.
const BUCKETS_PER_OCTAVE: u32 = 1 << (52 - SHIFT);

/// Most buckets one sign's histogram keeps: 32 octaves, a dynamic range of 4.3e9, at the full
/// relative error. The rows of the shipped scenarios span up to 24 octaves within one sign
/// (tiny positive shortfalls and backlogs next to whole units), so 2,048 (16 octaves) would
/// collapse some of them; 4,096 leaves every one untouched. 4,096 counts of 4 bytes per sign
/// keep a sketch within 32 KiB, and an accumulator of the Hague scenario's 7,580 tracked rows
/// within 237 MiB, whatever its values (in practice far less: most rows span a few octaves).
pub const MAX_BUCKETS: usize = 4096;

/// Largest relative error of a reported quantile (before clamping to the observed range),
/// for a quantile of at least `2^-31` times the largest magnitude of its sign (see the module
/// docs).
pub const RELATIVE_ERROR: f64 = 1.0 / 256.0;

/// Largest error of a reported quantile that falls in a collapsed bucket, relative to the
/// largest magnitude of its sign: `2^-(MAX_BUCKETS / 128 - 1)` = `2^-31`.
pub const COLLAPSED_ERROR: f64 =
    1.0 / (1_u64 << (MAX_BUCKETS as u32 / BUCKETS_PER_OCTAVE - 1)) as f64;

/// Bucket of the smallest normal magnitude, `f64::MIN_POSITIVE`: the lowest index a store holds.
pub const MIN_INDEX: u32 = (0x0010_0000_0000_0000_u64 >> SHIFT) as u32;

/// Bucket of `f64::MAX`: the highest index a store holds.
pub const MAX_INDEX: u32 = (0x7FEF_FFFF_FFFF_FFFF_u64 >> SHIFT) as u32;

/// Counts over a contiguous range of at most [`MAX_BUCKETS`] bucket indices; `counts[0]` also
/// counts every value below `first` that was collapsed into it.
///
/// In JSON (shard states) the counts are run-length encoded, `{"first": 1234, "counts": [3,
/// -40, 1]}`: a positive number is one bucket's count, `-k` stands for `k` empty buckets. A
/// row spread over many octaves is mostly empty buckets, so this keeps a state small. Reading
/// refuses anything inserts and merges cannot make (see [`Store::check`]) before it allocates
/// more than [`MAX_BUCKETS`] counts.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(into = "StoreWire", try_from = "StoreWire")]
struct Store {
    /// Index of `counts[0]`.
    first: u32,
    counts: Vec<u32>,
}

/// A [`Store`] as written: its counts run-length encoded.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct StoreWire {
    first: u32,
    counts: Vec<i64>,
}

impl From<Store> for StoreWire {
    fn from(store: Store) -> StoreWire {
        let mut counts = Vec::new();
        let mut empty = 0_i64;
        for &count in &store.counts {
            if count == 0 {
                empty += 1;
                continue;
            }
            if empty > 0 {
                counts.push(-empty);
                empty = 0;
            }
            counts.push(i64::from(count));
        }
        if empty > 0 {
            counts.push(-empty);
        }
        StoreWire {
            first: store.first,
            counts,
        }
    }
}

impl TryFrom<StoreWire> for Store {
    type Error = String;

    fn try_from(wire: StoreWire) -> Result<Store, String> {
        let mut counts: Vec<u32> = Vec::new();
        let mut previous_empty = false;
        for &code in &wire.counts {
            let room = MAX_BUCKETS - counts.len();
            match code {
                1.. => {
                    if room == 0 {
                        return Err(too_many_buckets(counts.len() + 1));
                    }
                    let count = u32::try_from(code)
                        .map_err(|_| format!("a bucket count {code} is out of range"))?;
                    counts.push(count);
                    previous_empty = false;
                }
                0 => {
                    return Err(
                        "a bucket count 0; expected empty buckets as a negative run length".into(),
                    );
                }
                _ => {
                    let empty = code.unsigned_abs();
                    if empty > room as u64 {
                        return Err(too_many_buckets(counts.len() as u64 + empty));
                    }
                    if previous_empty {
                        return Err("two runs of empty buckets in a row; expected one".into());
                    }
                    counts.resize(counts.len() + empty as usize, 0);
                    previous_empty = true;
                }
            }
        }
        let store = Store {
            first: wire.first,
            counts,
        };
        store.check()?;
        Ok(store)
    }
}

fn too_many_buckets(buckets: impl std::fmt::Display) -> String {
    format!("a histogram of {buckets} buckets; expected at most {MAX_BUCKETS}")
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
        let (low, high) = match self.last() {
            None => (index, index),
            Some(last) => (self.first.min(index), last.max(index)),
        };
        self.cover(low, high);
        self.put(index, count);
    }

    /// Index of the last bucket, if any.
    fn last(&self) -> Option<u32> {
        (!self.counts.is_empty()).then(|| self.first + (self.counts.len() as u32 - 1))
    }

    /// Re-bases the store on the range `max(low, high - MAX_BUCKETS + 1) ..= high`, collapsing
    /// the buckets below it into its first. `low` is at most `first` and `high` at least the
    /// last bucket (when there are buckets).
    fn cover(&mut self, low: u32, high: u32) {
        let first = low.max(high.saturating_sub(MAX_BUCKETS as u32 - 1));
        let len = (high - first) as usize + 1;
        debug_assert!(len <= MAX_BUCKETS);
        if self.counts.is_empty() {
            self.reserve(len);
        } else if first < self.first {
            let grow = (self.first - first) as usize;
            self.reserve(self.counts.len() + grow);
            self.counts.splice(0..0, std::iter::repeat_n(0, grow));
        } else if first > self.first {
            let drop = ((first - self.first) as usize).min(self.counts.len());
            let collapsed: u32 = self.counts.drain(..drop).sum();
            if self.counts.is_empty() {
                self.counts.push(0);
            }
            self.counts[0] += collapsed;
        }
        self.first = first;
        self.reserve(len);
        self.counts.resize(len, 0);
    }

    /// Room for `len` counts, growing by doubling but never past [`MAX_BUCKETS`].
    fn reserve(&mut self, len: usize) {
        let capacity = self.counts.capacity();
        if len > capacity {
            let target = len.max((2 * capacity).min(MAX_BUCKETS));
            self.counts.reserve_exact(target - self.counts.len());
        }
    }

    /// Adds `count` to bucket `index`, or to the first bucket when `index` is below it. The
    /// range must reach `index` from above.
    fn put(&mut self, index: u32, count: u32) {
        let offset = index.saturating_sub(self.first) as usize;
        self.counts[offset] += count;
    }

    fn merge(&mut self, other: &Store) {
        let Some(other_last) = other.last() else {
            return;
        };
        let (low, high) = match self.last() {
            None => (other.first, other_last),
            Some(last) => (self.first.min(other.first), last.max(other_last)),
        };
        self.cover(low, high);
        for (offset, &count) in other.counts.iter().enumerate() {
            if count > 0 {
                self.put(other.first + offset as u32, count);
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

    /// Whether `magnitude` falls in the first bucket: exactly its index, or below it when the
    /// store is full and so may have collapsed.
    fn holds_lowest(&self, magnitude: f64) -> bool {
        if self.counts.is_empty() || magnitude < f64::MIN_POSITIVE {
            return false;
        }
        let index = bucket(magnitude);
        index == self.first || (self.counts.len() == MAX_BUCKETS && index < self.first)
    }

    /// Why this store cannot be one that inserts and merges make, if it cannot: its range must
    /// lie within `MIN_INDEX..=MAX_INDEX`, hold at most `MAX_BUCKETS` buckets, and have
    /// non-zero first and last counts (an empty store is the default one).
    fn check(&self) -> Result<(), String> {
        let Some(&last_count) = self.counts.last() else {
            return match self.first {
                0 => Ok(()),
                first => Err(format!(
                    "an empty histogram has first = {first}; expected 0"
                )),
            };
        };
        if self.counts.len() > MAX_BUCKETS {
            return Err(too_many_buckets(self.counts.len()));
        }
        let last = u64::from(self.first) + self.counts.len() as u64 - 1;
        if self.first < MIN_INDEX || last > u64::from(MAX_INDEX) {
            return Err(format!(
                "a histogram covers buckets {}..={last}; expected buckets within {MIN_INDEX}..={MAX_INDEX}",
                self.first
            ));
        }
        if self.counts[0] == 0 || last_count == 0 {
            return Err(
                "a histogram's first or last bucket is empty; expected both to count values".into(),
            );
        }
        Ok(())
    }
}

/// `x` as a message shows it: plainly, or in scientific notation when very large or small.
pub(super) fn number(x: f64) -> String {
    if x != 0.0 && !(1e-6..1e16).contains(&x.abs()) {
        format!("{x:e}")
    } else {
        x.to_string()
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
#[serde(deny_unknown_fields)]
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

    /// Number of buckets held (both signs), at most `2 * MAX_BUCKETS`: the sketch's memory.
    pub fn bucket_count(&self) -> usize {
        self.positive.counts.len() + self.negative.counts.len()
    }

    /// Whether a histogram is full ([`MAX_BUCKETS`] buckets), and so may have collapsed values
    /// into its first bucket: quantiles there are then within [`COLLAPSED_ERROR`] of the
    /// largest magnitude of their sign rather than within [`RELATIVE_ERROR`] of themselves.
    pub fn may_have_collapsed(&self) -> bool {
        self.positive.counts.len() == MAX_BUCKETS || self.negative.counts.len() == MAX_BUCKETS
    }

    /// Checks a sketch read from outside (a shard state) against everything inserts and merges
    /// guarantee: it counts `count` values, each histogram is well formed (buckets within
    /// `MIN_INDEX..=MAX_INDEX`, at most [`MAX_BUCKETS`] of them, the first and last not empty),
    /// and its lowest and highest buckets hold `min` and `max`. `Err` says what is wrong.
    pub fn check(&self, count: u64, min: f64, max: f64) -> Result<(), String> {
        self.positive.check()?;
        self.negative.check()?;
        // Each store is at most MAX_BUCKETS counts of u32, so these sums cannot overflow.
        let counted = self.positive.total() + self.negative.total();
        if counted.checked_add(self.zero) != Some(count) {
            return Err(format!(
                "its histogram counts {counted} + {} zero values; expected {count}, one per run",
                self.zero
            ));
        }
        if !(min.is_finite() && max.is_finite() && min <= max) {
            return Err(format!(
                "minimum {} and maximum {}; expected finite numbers, minimum <= maximum",
                number(min),
                number(max)
            ));
        }
        // The sign class of the minimum is the lowest non-empty one, that of the maximum the
        // highest; the largest magnitude of a sign is never collapsed, the smallest may be.
        let min_ok = match self.negative.last() {
            Some(last) => min <= -f64::MIN_POSITIVE && bucket(-min) == last,
            None if self.zero > 0 => min.abs() < f64::MIN_POSITIVE,
            None => self.positive.holds_lowest(min),
        };
        let max_ok = match self.positive.last() {
            Some(last) => max >= f64::MIN_POSITIVE && bucket(max) == last,
            None if self.zero > 0 => max.abs() < f64::MIN_POSITIVE,
            None => self.negative.holds_lowest(-max),
        };
        if !(min_ok && max_ok) {
            return Err(format!(
                "minimum {} and maximum {} do not lie in the histogram's lowest and highest buckets",
                number(min),
                number(max)
            ));
        }
        Ok(())
    }

    /// The values at quantiles `qs` (each in `[0, 1]`, ascending), by the nearest-rank rule: the
    /// `ceil(q * n)`-th smallest value (the smallest for `q = 0`), each within the bound of the
    /// module docs ([`RELATIVE_ERROR`], or [`COLLAPSED_ERROR`] of the largest magnitude of its
    /// sign in a collapsed bucket). `None` when the sketch is empty.
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

    /// SplitMix64: a tiny deterministic generator for test data.
    struct Mix(u64);

    impl Mix {
        fn next(&mut self) -> u64 {
            self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = self.0;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            z ^ (z >> 31)
        }

        fn unit(&mut self) -> f64 {
            (self.next() >> 11) as f64 / (1_u64 << 53) as f64
        }

        fn below(&mut self, n: usize) -> usize {
            (self.next() % n as u64) as usize
        }
    }

    /// `n` values with magnitudes log-uniform from 1e-300 to 1e300, both signs, and a few zeros.
    fn wide_sample(seed: u64, n: usize) -> Vec<f64> {
        let mut mix = Mix(seed);
        (0..n)
            .map(|_| {
                let magnitude = 10f64.powf(600.0 * mix.unit() - 300.0);
                match mix.below(10) {
                    0 => 0.0,
                    1..=3 => -magnitude,
                    _ => magnitude,
                }
            })
            .collect()
    }

    fn sketch_of(values: &[f64]) -> Sketch {
        let mut sketch = Sketch::default();
        values.iter().for_each(|&v| sketch.insert(v));
        sketch
    }

    fn assert_within_cap(sketch: &Sketch) {
        for store in [&sketch.positive, &sketch.negative] {
            assert!(store.counts.len() <= MAX_BUCKETS, "{}", store.counts.len());
            assert!(
                store.counts.capacity() <= MAX_BUCKETS,
                "{}",
                store.counts.capacity()
            );
            store.check().unwrap();
        }
    }

    #[test]
    fn memory_stays_within_the_cap_from_1e_300_to_1e300() {
        let values = wide_sample(1, 50_000);
        let mut sketch = Sketch::default();
        for (i, &v) in values.iter().enumerate() {
            sketch.insert(v);
            if i % 97 == 0 {
                assert_within_cap(&sketch);
            }
        }
        assert_within_cap(&sketch);
        assert_eq!(sketch.bucket_count(), 2 * MAX_BUCKETS);
        assert!(sketch.may_have_collapsed());
        // Ascending and descending magnitudes, the worst orders for a sliding range.
        let mut sorted = values.clone();
        sorted.sort_by(f64::total_cmp);
        let mut up = Sketch::default();
        for &v in &sorted {
            up.insert(v);
            assert!(up.positive.counts.len() <= MAX_BUCKETS);
            assert!(up.negative.counts.len() <= MAX_BUCKETS);
        }
        let down = sketch_of(&sorted.iter().rev().copied().collect::<Vec<_>>());
        assert_eq!(up, sketch);
        assert_eq!(down, sketch);
        // The extremes of the whole f64 range.
        let mut extremes = Sketch::default();
        for v in [
            f64::MAX,
            f64::MIN_POSITIVE,
            -f64::MAX,
            -f64::MIN_POSITIVE,
            5e-324,
            -0.0,
        ] {
            extremes.insert(v);
        }
        assert_within_cap(&extremes);
        assert_eq!(extremes.count(), 6);
        extremes.check(6, -f64::MAX, f64::MAX).unwrap();
    }

    #[test]
    fn random_splits_merged_in_any_order_equal_one_sketch_of_everything() {
        let values = wide_sample(2, 20_000);
        let whole = sketch_of(&values);
        let mut mix = Mix(3);
        for parts in 1..=3 {
            for _trial in 0..4 {
                // Deal each value to a random part.
                let mut split = vec![Vec::new(); parts];
                for &v in &values {
                    split[mix.below(parts)].push(v);
                }
                let sketches: Vec<Sketch> = split.iter().map(|p| sketch_of(p)).collect();
                let orders: &[&[usize]] = match parts {
                    1 => &[&[0]],
                    2 => &[&[0, 1], &[1, 0]],
                    _ => &[
                        &[0, 1, 2],
                        &[0, 2, 1],
                        &[1, 0, 2],
                        &[1, 2, 0],
                        &[2, 0, 1],
                        &[2, 1, 0],
                    ],
                };
                for order in orders {
                    let mut merged = Sketch::default();
                    for &k in *order {
                        merged.merge(&sketches[k]);
                    }
                    assert_eq!(merged, whole, "{parts} parts in order {order:?}");
                }
                // Merged as a tree: (a + b) + c against a + (b + c).
                if parts == 3 {
                    let mut ab = sketches[0].clone();
                    ab.merge(&sketches[1]);
                    ab.merge(&sketches[2]);
                    let mut bc = sketches[1].clone();
                    bc.merge(&sketches[2]);
                    let mut a = sketches[0].clone();
                    a.merge(&bc);
                    assert_eq!(ab, a);
                    assert_eq!(a, whole);
                }
            }
        }
        // One part holding only small magnitudes, merged into one that collapsed them.
        let (small, large): (Vec<f64>, Vec<f64>) = values.iter().partition(|v| v.abs() < 1e-100);
        let mut merged = sketch_of(&large);
        merged.merge(&sketch_of(&small));
        assert_eq!(merged, whole);
        let mut merged = sketch_of(&small);
        merged.merge(&sketch_of(&large));
        assert_eq!(merged, whole);
    }

    #[test]
    fn quantiles_keep_the_stated_bound_whatever_the_spread() {
        let mut values = wide_sample(4, 30_000);
        let sketch = sketch_of(&values);
        values.sort_by(f64::total_cmp);
        let largest_positive = values[values.len() - 1];
        let largest_negative = -values[0];
        let qs = [
            0.0, 0.001, 0.002, 0.005, 0.01, 0.05, 0.1, 0.25, 0.4, 0.5, 0.6, 0.75, 0.9, 0.95, 0.99,
            0.995, 0.998, 0.999, 1.0,
        ];
        let got = sketch.quantiles(qs).unwrap();
        let mut relative = 0;
        for (q, g) in qs.iter().zip(got) {
            let want = exact(&values, *q);
            let largest = if want < 0.0 {
                largest_negative
            } else {
                largest_positive
            };
            let bound = if want.abs() >= largest * COLLAPSED_ERROR {
                relative += 1;
                RELATIVE_ERROR * want.abs()
            } else {
                COLLAPSED_ERROR * largest
            };
            assert!((g - want).abs() <= bound, "q {q}: {g} vs {want}");
        }
        // The extreme quantiles of each sign kept the relative bound.
        assert!(relative >= 4, "{relative}");
    }

    #[test]
    fn a_narrow_sample_never_collapses() {
        // 32 octaves of one sign fit in MAX_BUCKETS buckets exactly.
        let low = 1.0;
        let high = f64::from_bits(1.0f64.to_bits() + ((MAX_BUCKETS as u64) << SHIFT) - 1);
        let sketch = sketch_of(&[high, 3.0, low]);
        assert_eq!(sketch.positive.counts.len(), MAX_BUCKETS);
        assert_eq!(sketch.positive.counts[0], 1);
        assert!(!sketch_of(&[high / 2.0, low]).may_have_collapsed());
        // One more bucket above collapses the lowest two into one.
        let mut wider = sketch.clone();
        wider.insert(f64::from_bits(high.to_bits() + (1 << SHIFT)));
        assert!(wider.may_have_collapsed());
        assert_eq!(wider.positive.counts.len(), MAX_BUCKETS);
        assert_eq!(wider.positive.first, sketch.positive.first + 1);
        // 1.0 (collapsed from the bucket below) and nothing from its own bucket.
        assert_eq!(wider.positive.counts[0], 1);
        assert_eq!(wider.count(), 4);
    }

    #[test]
    fn checks_refuse_sketches_that_inserts_cannot_make() {
        let values = wide_sample(5, 2_000);
        let sketch = sketch_of(&values);
        let (min, max) = values
            .iter()
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &v| {
                (a.min(v), b.max(v))
            });
        sketch.check(2_000, min, max).unwrap();
        let refused = |edit: &dyn Fn(&mut Sketch), count: u64, min: f64, max: f64| {
            let mut bad = sketch.clone();
            edit(&mut bad);
            bad.check(count, min, max).unwrap_err()
        };
        let why = refused(&|s| s.positive.first = u32::MAX, 2_000, min, max);
        assert!(why.contains("expected buckets within"), "{why}");
        let why = refused(&|s| s.positive.counts.push(1), 2_001, min, max);
        assert!(why.contains("expected at most 4096"), "{why}");
        let mut narrow = sketch_of(&[1.0, 2.0, -3.0]);
        narrow.check(3, -3.0, 2.0).unwrap();
        narrow.negative.counts.insert(0, 0);
        narrow.negative.first -= 1;
        let why = narrow.check(3, -3.0, 2.0).unwrap_err();
        assert!(why.contains("first or last bucket is empty"), "{why}");
        let why = refused(&|s| s.zero += 1, 2_000, min, max);
        assert!(why.contains("expected 2000, one per run"), "{why}");
        let why = refused(&|_| (), 2_000, max, min);
        assert!(why.contains("minimum <= maximum"), "{why}");
        let why = refused(&|_| (), 2_000, min, max / 2.0);
        assert!(why.contains("highest buckets"), "{why}");
        let why = refused(&|_| (), 2_000, min * 4.0, max);
        assert!(why.contains("highest buckets"), "{why}");
        let why = refused(&|_| (), 2_000, f64::NAN, max);
        assert!(why.contains("finite"), "{why}");
        let empty = Store {
            first: 7,
            counts: Vec::new(),
        };
        assert!(empty.check().is_err());
    }

    #[test]
    fn json_is_run_length_encoded_and_reads_back_exactly() {
        let sketch = sketch_of(&wide_sample(6, 3_000));
        let json = serde_json::to_string(&sketch).unwrap();
        assert!(json.len() < 40_000, "{}", json.len());
        assert_eq!(serde_json::from_str::<Sketch>(&json).unwrap(), sketch);
        let small = sketch_of(&[1.0, 1.0, 4.0, -2.0, 0.0]);
        let json = serde_json::to_string(&small).unwrap();
        // 1.0 and 4.0 are 256 buckets apart: 2, then 255 empty buckets, then 1.
        assert!(
            json.contains(r#""positive":{"first":130944,"counts":[2,-255,1]}"#),
            "{json}"
        );
        assert_eq!(serde_json::from_str::<Sketch>(&json).unwrap(), small);
        assert_eq!(
            serde_json::from_str::<Sketch>(&serde_json::to_string(&Sketch::default()).unwrap())
                .unwrap(),
            Sketch::default()
        );
    }

    #[test]
    fn json_that_inserts_cannot_make_is_refused_before_it_is_expanded() {
        let read = |positive: &str| {
            let json = format!(
                r#"{{"positive":{positive},"negative":{{"first":0,"counts":[]}},"zero":0}}"#
            );
            serde_json::from_str::<Sketch>(&json)
                .unwrap_err()
                .to_string()
        };
        for (positive, why) in [
            (
                r#"{"first":4294967295,"counts":[1]}"#,
                "expected buckets within 128..=262015",
            ),
            (
                r#"{"first":200,"counts":[1,-9223372036854775808,1]}"#,
                "expected at most 4096",
            ),
            (
                r#"{"first":200,"counts":[1,-4095,1]}"#,
                "of 4097 buckets; expected at most 4096",
            ),
            (r#"{"first":200,"counts":[1,0,1]}"#, "a bucket count 0"),
            (
                r#"{"first":200,"counts":[1,-2,-3,1]}"#,
                "two runs of empty buckets",
            ),
            (
                r#"{"first":200,"counts":[-2,1]}"#,
                "first or last bucket is empty",
            ),
            (
                r#"{"first":200,"counts":[1,-2]}"#,
                "first or last bucket is empty",
            ),
            (
                r#"{"first":200,"counts":[4294967296]}"#,
                "bucket count 4294967296 is out of range",
            ),
            (
                r#"{"first":7,"counts":[]}"#,
                "an empty histogram has first = 7",
            ),
            (
                r#"{"first":200,"counts":[1],"extra":1}"#,
                "unknown field `extra`",
            ),
        ] {
            let message = read(positive);
            assert!(message.contains(why), "{positive}: {message}");
        }
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
