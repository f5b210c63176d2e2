//! The exact statistics of sensitivity, on every run's value kept in memory: Spearman's rank
//! correlation (mid-ranks for ties) and the tornado (the output's P50, or for a 0/1 indicator
//! its share of 1s, among the runs whose input is in its lowest or its highest decile).
//!
//! Every sum runs over runs in run order, so the result is a function of the values alone.

use std::cmp::Ordering;

/// The share of runs in a decile.
pub const DECILE: f64 = 0.1;

/// What the tornado reports of the runs in a decile.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Summary {
    /// The median, nearest rank: the `ceil(k/2)`-th smallest of `k` values.
    P50,
    /// The mean of a 0/1 indicator: the probability that it is 1.
    Share,
}

/// Run indices in increasing order of `values`, ties broken by run index.
pub fn order(values: &[f64]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..values.len()).collect();
    order.sort_by(|&a, &b| values[a].total_cmp(&values[b]).then(a.cmp(&b)));
    order
}

/// The mid-ranks of `values` (1-based; tied values share the mean of their ranks), given
/// their [`order`].
pub fn mid_ranks(values: &[f64], order: &[usize]) -> Vec<f64> {
    let mut ranks = vec![0.0; values.len()];
    let mut start = 0;
    while start < order.len() {
        let mut end = start + 1;
        while end < order.len()
            && values[order[end]].total_cmp(&values[order[start]]) == Ordering::Equal
        {
            end += 1;
        }
        // Ranks start+1..=end, whose mean is (start + 1 + end) / 2.
        let rank = (start + 1 + end) as f64 / 2.0;
        for &run in &order[start..end] {
            ranks[run] = rank;
        }
        start = end;
    }
    ranks
}

/// Spearman's rank correlation: Pearson's correlation of the mid-ranks `x` and `y` (of equal
/// length). 0 when either is constant (its ranks have no spread) or there are fewer than two
/// runs.
pub fn rank_correlation(x: &[f64], y: &[f64]) -> f64 {
    let n = x.len();
    if n < 2 {
        return 0.0;
    }
    // Mid-ranks always average (n + 1) / 2.
    let mean = (n as f64 + 1.0) / 2.0;
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for (a, b) in x.iter().zip(y) {
        let (dx, dy) = (a - mean, b - mean);
        sxy += dx * dy;
        sxx += dx * dx;
        syy += dy * dy;
    }
    if sxx <= 0.0 || syy <= 0.0 {
        return 0.0;
    }
    (sxy / (sxx * syy).sqrt()).clamp(-1.0, 1.0)
}

/// The number of runs in a decile of `n` runs: `ceil(n / 10)`.
pub fn decile_runs(n: usize) -> usize {
    n.div_ceil(10)
}

/// The tornado of `output` against an input whose runs in increasing order are `order`:
/// `summary` of the output over the first [`decile_runs`] runs of `order` (the input's lowest
/// decile) and over the last as many (its highest). `(0, 0)` without runs.
pub fn tornado(output: &[f64], order: &[usize], summary: Summary) -> (f64, f64) {
    let k = decile_runs(order.len());
    if k == 0 {
        return (0.0, 0.0);
    }
    let of = |runs: &[usize]| {
        let mut values: Vec<f64> = runs.iter().map(|&r| output[r]).collect();
        match summary {
            Summary::P50 => {
                values.sort_by(f64::total_cmp);
                values[values.len().div_ceil(2) - 1]
            }
            Summary::Share => {
                values.iter().filter(|&&v| v >= 0.5).count() as f64 / values.len() as f64
            }
        }
    };
    (of(&order[..k]), of(&order[order.len() - k..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mid_ranks_share_ties() {
        let values = [3.0, 1.0, 3.0, 2.0];
        let order = order(&values);
        assert_eq!(order, [1, 3, 0, 2], "ties in run order");
        assert_eq!(mid_ranks(&values, &order), [3.5, 1.0, 3.5, 2.0]);
    }

    /// Worked by hand: x = 1..=5, y = (2, 1, 4, 3, 5). d = (1, -1, 1, -1, 0), sum d^2 = 4,
    /// rho = 1 - 6 * 4 / (5 * 24) = 0.8.
    #[test]
    fn spearman_by_hand() {
        let x = [1.0, 2.0, 3.0, 4.0, 5.0];
        let y = [20.0, 10.0, 40.0, 30.0, 50.0];
        let rx = mid_ranks(&x, &order(&x));
        let ry = mid_ranks(&y, &order(&y));
        assert!((rank_correlation(&rx, &ry) - 0.8).abs() < 1e-12);
        let reversed: Vec<f64> = y.iter().map(|v| -v).collect();
        let rr = mid_ranks(&reversed, &order(&reversed));
        assert!((rank_correlation(&rx, &rr) + 0.8).abs() < 1e-12);
        // A monotone transform changes nothing.
        let cubed: Vec<f64> = y.iter().map(|v| v * v * v).collect();
        let rc = mid_ranks(&cubed, &order(&cubed));
        assert_eq!(rank_correlation(&rx, &rc), rank_correlation(&rx, &ry));
        // With ties: x = (1, 2, 2, 3), y = (1, 2, 3, 4): ranks x (1, 2.5, 2.5, 4), y (1..4);
        // deviations from 2.5: x (-1.5, 0, 0, 1.5), y (-1.5, -0.5, 0.5, 1.5);
        // sxy = 4.5, sxx = 4.5, syy = 5, rho = 4.5 / sqrt(22.5) = 0.9486832980505138.
        let x = [1.0, 2.0, 2.0, 3.0];
        let y = [1.0, 2.0, 3.0, 4.0];
        let rx = mid_ranks(&x, &order(&x));
        let ry = mid_ranks(&y, &order(&y));
        assert!((rank_correlation(&rx, &ry) - 4.5 / 22.5_f64.sqrt()).abs() < 1e-12);
        assert_eq!(rank_correlation(&rx, &[2.5; 4]), 0.0, "a constant output");
        assert_eq!(rank_correlation(&[1.0], &[1.0]), 0.0, "one run");
    }

    /// Twenty runs: the decile is 2 runs. The input's lowest two are runs 0 and 1 (input 0,
    /// tied, broken by run index: run 19 also has 0 but comes last), its highest two runs 17
    /// and 18.
    #[test]
    fn tornado_by_hand() {
        let mut input: Vec<f64> = (0..20).map(f64::from).collect();
        input[1] = 0.0;
        input[19] = 0.0;
        let output: Vec<f64> = (0..20).map(|r| f64::from(r * 10)).collect();
        let order = order(&input);
        assert_eq!(&order[..3], &[0, 1, 19]);
        assert_eq!(&order[18..], &[17, 18]);
        // P50 of two values, nearest rank: the smaller.
        assert_eq!(tornado(&output, &order, Summary::P50), (0.0, 170.0));
        let indicator: Vec<f64> = (0..20).map(|r| f64::from(u8::from(r == 18))).collect();
        assert_eq!(tornado(&indicator, &order, Summary::Share), (0.0, 0.5));
        assert_eq!(decile_runs(10_000), 1_000);
        assert_eq!(decile_runs(11), 2);
        assert_eq!(tornado(&[], &[], Summary::P50), (0.0, 0.0));
    }
}
