//! The Wales record as a test of the compliance model (MODEL.md v2, section 9).
//!
//! At Wales (September 2014) allies below 2% of GDP agreed to move towards 2% within a
//! decade. [`Record::wales`] takes NATO's 2014-2024 tables (`history.csv`) for the 27 allies
//! with armed forces that were members in 2014; [`run`] simulates their shares from 2014 with
//! the share part of the model (section 4: one goal `core_pct = 2`, `target_year = 2024`,
//! `floor = current`, linear path; lag, attainment and drift drawn as in section 5) and sets
//! every run against what allies actually spent. [`calibrate`] searches a grid of compliance
//! distributions for the lowest mean CRPS.
//!
//! GDP does not enter shares, so the backtest needs none. Every run's values are kept (27
//! allies x 10 years x runs), so percentiles and CRPS are exact.

mod calibrate;
mod record;

pub use calibrate::{
    CALIBRATION_RUNS, CALIBRATION_SEED, CalibrationGrid, CalibrationResult, GridScore, calibrate,
    calibrated,
};
pub use record::{Record, RecordAlly};

use crate::dist::Triangular;
use crate::mc::rng::run_rng;
use crate::scenario::Compliance;
use rand::RngExt;
use rand_distr::StandardNormal;
use rayon::prelude::*;
use serde::Serialize;

/// Runs of a backtest unless asked otherwise.
pub const DEFAULT_RUNS: u64 = 4000;
/// Seed of a backtest unless asked otherwise.
pub const DEFAULT_SEED: u64 = 2014;

/// The value of `range` at probability `u` in [0, 1): the triangular's inverse distribution
/// function, so that one uniform draw serves every range (common random numbers across a
/// calibration grid).
pub fn triangular_at(range: Triangular, u: f64) -> f64 {
    let (a, c, b) = (range.min(), range.mode(), range.max());
    if b == a {
        return a;
    }
    if u * (b - a) < c - a {
        a + (u * (b - a) * (c - a)).sqrt()
    } else {
        b - ((1.0 - u) * (b - a) * (b - c)).sqrt()
    }
}

/// The random part of a backtest, drawn once and shared by every compliance tried: per run
/// and ally a uniform for the lag and one for the attainment, and the ally's drift walk for a
/// step of 1 percentage point.
#[derive(Debug, Clone)]
pub struct Shocks {
    runs: usize,
    years: usize,
    /// `[run][ally]`: uniforms for the lag and the attainment.
    uniforms: Vec<(f64, f64)>,
    /// `[(run * allies + ally) * years + y]`: the unit drift walk after `y + 1` years.
    walk: Vec<f64>,
}

impl Shocks {
    /// Draws `runs` runs for `record` from `(seed, run)`, each run from its own generator, with
    /// drift steps correlated `drift_correlation` across allies. Per run: each ally's lag and
    /// attainment uniforms, then one common shock per year, then each ally's own shocks.
    pub fn draw(record: &Record, runs: u64, seed: u64, drift_correlation: f64) -> Shocks {
        let allies = record.allies.len();
        let years = record.years();
        let (common, own) = (drift_correlation.sqrt(), (1.0 - drift_correlation).sqrt());
        let per_run: Vec<RunShocks> = (0..runs)
            .into_par_iter()
            .map(|run| {
                let mut rng = run_rng(seed, run);
                let uniforms: Vec<(f64, f64)> = (0..allies)
                    .map(|_| (rng.random::<f64>(), rng.random::<f64>()))
                    .collect();
                let zeta: Vec<f64> = (0..years).map(|_| rng.sample(StandardNormal)).collect();
                let mut walk = Vec::with_capacity(allies * years);
                for _ in 0..allies {
                    let mut w = 0.0;
                    for z in &zeta {
                        let eta: f64 = rng.sample(StandardNormal);
                        w += common * z + own * eta;
                        walk.push(w);
                    }
                }
                RunShocks { uniforms, walk }
            })
            .collect();
        let mut shocks = Shocks {
            runs: runs as usize,
            years,
            uniforms: Vec::with_capacity(runs as usize * allies),
            walk: Vec::with_capacity(runs as usize * allies * years),
        };
        for run in per_run {
            shocks.uniforms.extend(run.uniforms);
            shocks.walk.extend(run.walk);
        }
        shocks
    }
}

/// One run's part of [`Shocks`].
struct RunShocks {
    uniforms: Vec<(f64, f64)>,
    walk: Vec<f64>,
}

/// Simulated shares under `compliance`, cell-major: `[(ally * years + y) * runs + run]`, for
/// years `B+1..` of the record.
pub fn simulate(record: &Record, compliance: &Compliance, shocks: &Shocks) -> Vec<f64> {
    let allies = record.allies.len();
    let (years, runs) = (shocks.years, shocks.runs);
    let mut out = vec![0.0; allies * years * runs];
    for run in 0..runs {
        for (i, ally) in record.allies.iter().enumerate() {
            let (u_lag, u_attainment) = shocks.uniforms[run * allies + i];
            let lag = triangular_at(compliance.lag_years, u_lag);
            let attainment = triangular_at(compliance.attainment, u_attainment);
            let walk = &shocks.walk[(run * allies + i) * years..][..years];
            for (y, w) in walk.iter().enumerate() {
                let share = record.share(ally, y + 1, lag, attainment);
                out[(i * years + y) * runs + run] = (share + compliance.drift_pp * w).max(0.0);
            }
        }
    }
    out
}

/// The `q`-quantile of sorted `values` by nearest rank: the `ceil(q n)`-th smallest.
fn nearest_rank(sorted: &[f64], q: f64) -> f64 {
    let rank = (q * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

/// The continuous ranked probability score of the sample `sorted` against the outcome `y`, in
/// its unbiased form: `mean|X - y| - sum_k (2k - n - 1) x_(k) / (n (n - 1))`.
pub fn crps(sorted: &[f64], y: f64) -> f64 {
    let n = sorted.len() as f64;
    let spread: f64 = sorted
        .iter()
        .enumerate()
        .map(|(k, x)| (2.0 * (k as f64 + 1.0) - n - 1.0) * x)
        .sum();
    let miss = sorted.iter().map(|x| (x - y).abs()).sum::<f64>() / n;
    if sorted.len() < 2 {
        return miss;
    }
    miss - spread / (n * (n - 1.0))
}

/// One ally-year of a backtest.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Cell {
    /// The ally.
    pub iso3: String,
    /// The year.
    pub year: i32,
    /// NATO's figure, % of GDP.
    pub actual: f64,
    /// The plan: the Wales pledge met in full and on time, % of GDP.
    pub plan: f64,
    /// P5, P10, P50, P90, P95 of the simulated share, % of GDP.
    pub percentiles: [f64; 5],
    /// The CRPS of the simulated shares against the actual one, percentage points.
    pub crps: f64,
}

impl Cell {
    /// True when the actual share lies inside P10-P90 (inclusive).
    pub fn inside_80(&self) -> bool {
        (self.percentiles[1]..=self.percentiles[3]).contains(&self.actual)
    }

    /// True when the actual share lies inside P5-P95 (inclusive).
    pub fn inside_90(&self) -> bool {
        (self.percentiles[0]..=self.percentiles[4]).contains(&self.actual)
    }
}

/// The percentiles reported per cell.
pub const CELL_QUANTILES: [f64; 5] = [0.05, 0.10, 0.50, 0.90, 0.95];

/// Every cell of a backtest of `record` under `compliance`, from the shares [`simulate`]
/// made.
pub fn cells(record: &Record, shares: &[f64], runs: usize) -> Vec<Cell> {
    let years = record.years();
    let mut cells = Vec::with_capacity(record.allies.len() * years);
    let mut sorted = vec![0.0; runs];
    for (i, ally) in record.allies.iter().enumerate() {
        for y in 0..years {
            sorted.copy_from_slice(&shares[(i * years + y) * runs..][..runs]);
            sorted.sort_unstable_by(f64::total_cmp);
            let actual = ally.actual_pct[y];
            cells.push(Cell {
                iso3: ally.iso3.clone(),
                year: record.base_year + y as i32 + 1,
                actual,
                plan: record.share(ally, y + 1, 0.0, 1.0),
                percentiles: CELL_QUANTILES.map(|q| nearest_rank(&sorted, q)),
                crps: crps(&sorted, actual),
            });
        }
    }
    cells
}

/// Scores of a set of cells.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Scores {
    /// Which cells: `all`, `2024`, `above goal in base year`, ...
    pub scope: String,
    /// How many ally-years.
    pub ally_years: usize,
    /// Share of actual values inside P10-P90 (0.8 would be perfectly calibrated).
    pub coverage_p10_p90: f64,
    /// Share of actual values inside P5-P95 (0.9 would be perfectly calibrated).
    pub coverage_p5_p95: f64,
    /// Mean absolute error of the median, percentage points of GDP.
    pub mae_median_pp: f64,
    /// Mean CRPS, percentage points of GDP.
    pub mean_crps_pp: f64,
}

/// The scores of `cells` (none when there are no cells).
pub fn scores(scope: &str, cells: &[&Cell]) -> Option<Scores> {
    if cells.is_empty() {
        return None;
    }
    let n = cells.len() as f64;
    let share = |f: fn(&Cell) -> bool| cells.iter().filter(|c| f(c)).count() as f64 / n;
    Some(Scores {
        scope: scope.to_string(),
        ally_years: cells.len(),
        coverage_p10_p90: share(Cell::inside_80),
        coverage_p5_p95: share(Cell::inside_90),
        mae_median_pp: cells
            .iter()
            .map(|c| (c.percentiles[2] - c.actual).abs())
            .sum::<f64>()
            / n,
        mean_crps_pp: cells.iter().map(|c| c.crps).sum::<f64>() / n,
    })
}

/// A finished backtest.
#[derive(Debug, Clone, Serialize)]
pub struct Backtest {
    /// The compliance distributions tried.
    pub compliance: Compliance,
    /// Runs.
    pub runs: u64,
    /// Seed.
    pub seed: u64,
    /// Every ally-year.
    pub cells: Vec<Cell>,
    /// Scores for every ally-year, the last year alone, and the allies already at the goal in
    /// the base year.
    pub scores: Vec<Scores>,
}

/// Runs the backtest of `record` under `compliance`.
pub fn run(record: &Record, compliance: &Compliance, runs: u64, seed: u64) -> Backtest {
    let shocks = Shocks::draw(record, runs, seed, compliance.drift_correlation);
    let shares = simulate(record, compliance, &shocks);
    let cells = cells(record, &shares, runs as usize);
    let last = record.base_year + record.years() as i32;
    let above: Vec<&str> = record
        .allies
        .iter()
        .filter(|a| a.base_pct >= record.goal_pct)
        .map(|a| a.iso3.as_str())
        .collect();
    let all: Vec<&Cell> = cells.iter().collect();
    let last_year: Vec<&Cell> = cells.iter().filter(|c| c.year == last).collect();
    let at_goal: Vec<&Cell> = cells
        .iter()
        .filter(|c| above.contains(&c.iso3.as_str()))
        .collect();
    let below: Vec<&Cell> = cells
        .iter()
        .filter(|c| !above.contains(&c.iso3.as_str()))
        .collect();
    let scores = [
        scores("all", &all),
        scores(&last.to_string(), &last_year),
        scores(
            &format!("below {}% in {}", record.goal_pct, record.base_year),
            &below,
        ),
        scores(
            &format!(
                "at or above {}% in {} ({})",
                record.goal_pct,
                record.base_year,
                above.join(", ")
            ),
            &at_goal,
        ),
    ]
    .into_iter()
    .flatten()
    .collect();
    Backtest {
        compliance: *compliance,
        runs,
        seed,
        cells,
        scores,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crps_of_a_point_forecast_is_the_absolute_error() {
        assert_eq!(crps(&[2.0], 3.5), 1.5);
        // Two equal values: the spread term is 0.
        assert_eq!(crps(&[2.0, 2.0], 3.0), 1.0);
        // {0, 1} against 0: mean|X - y| = 0.5, spread (2-2-1)*0 + (4-2-1)*1 = 1 over 2 -> 0.
        assert_eq!(crps(&[0.0, 1.0], 0.0), 0.0);
    }

    #[test]
    fn nearest_rank_takes_the_ceiling() {
        let v = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0];
        assert_eq!(nearest_rank(&v, 0.10), 1.0);
        assert_eq!(nearest_rank(&v, 0.50), 5.0);
        assert_eq!(nearest_rank(&v, 0.95), 10.0);
        assert_eq!(nearest_rank(&v, 0.0), 1.0);
    }

    #[test]
    fn the_inverse_triangular_hits_its_ends_and_mode() {
        let t = Triangular::new(0.0, 1.0, 4.0).unwrap();
        assert_eq!(triangular_at(t, 0.0), 0.0);
        assert!((triangular_at(t, 0.25) - 1.0).abs() < 1e-12);
        assert!((triangular_at(t, 1.0) - 4.0).abs() < 1e-12);
        assert_eq!(triangular_at(Triangular::fixed(0.7), 0.3), 0.7);
    }
}
