//! Calibration of the compliance distributions on the Wales record (MODEL.md v2, section 9):
//! the point of a stated grid of lag and attainment triangulars and drift steps with the
//! lowest mean CRPS over every ally-year, every point scored on the same runs (common random
//! numbers), so the search compares like with like.

use super::{Record, Shocks, crps, simulate};
use crate::dist::Triangular;
use crate::scenario::Compliance;
use rayon::prelude::*;
use serde::Serialize;

/// Runs behind the shipped calibration.
pub const CALIBRATION_RUNS: u64 = 500;
/// Seed of the shipped calibration.
pub const CALIBRATION_SEED: u64 = 2014;

/// The compliance distributions calibrated on the Wales record, as `pledge backtest
/// --calibrate` finds them on the builtin history with [`CalibrationGrid::stated`],
/// [`CALIBRATION_RUNS`] and [`CALIBRATION_SEED`] (a test re-derives them). `drift_correlation`
/// is the mean pairwise correlation of the allies' yearly changes in share, 2015-2024, rounded
/// to two decimals.
pub fn calibrated() -> Compliance {
    Compliance {
        lag_years: Triangular::fixed(0.0),
        attainment: Triangular::new(0.3, 0.6, 1.0).expect("ordered"),
        drift_pp: 0.15,
        drift_correlation: 0.17,
    }
}

/// The values a calibration tries.
#[derive(Debug, Clone, Serialize)]
pub struct CalibrationGrid {
    /// Modes of the lag, years (its minimum is always 0).
    pub lag_modes: Vec<f64>,
    /// Widths of the lag above its mode, years.
    pub lag_spreads: Vec<f64>,
    /// Modes of the attainment (its maximum is always 1).
    pub attainment_modes: Vec<f64>,
    /// Minimums of the attainment (at most its mode).
    pub attainment_mins: Vec<f64>,
    /// Drift steps, percentage points of GDP per year.
    pub drift_pp: Vec<f64>,
}

impl CalibrationGrid {
    /// The grid documented in METHODOLOGY.md (1,350 points): lag from 0 to a mode in {0, 1,
    /// 2, 3, 4} to the mode plus {0, 3, 6} years; attainment from a minimum in {0.1, 0.3, 0.5,
    /// 0.7, 0.9} (at most the mode) to a mode in {0.2, 0.4, 0.6, 0.8, 1} to 1; drift in {0,
    /// 0.05, 0.1, 0.15, 0.2, 0.3} percentage points a year.
    pub fn stated() -> CalibrationGrid {
        CalibrationGrid {
            lag_modes: vec![0.0, 1.0, 2.0, 3.0, 4.0],
            lag_spreads: vec![0.0, 3.0, 6.0],
            attainment_modes: vec![0.2, 0.4, 0.6, 0.8, 1.0],
            attainment_mins: vec![0.1, 0.3, 0.5, 0.7, 0.9],
            drift_pp: vec![0.0, 0.05, 0.1, 0.15, 0.2, 0.3],
        }
    }

    /// Every point of the grid, in a fixed order, with `drift_correlation`.
    pub fn points(&self, drift_correlation: f64) -> Vec<Compliance> {
        let mut points = Vec::new();
        for &lag_mode in &self.lag_modes {
            for &spread in &self.lag_spreads {
                for &mode in &self.attainment_modes {
                    for &min in self.attainment_mins.iter().filter(|m| **m <= mode) {
                        for &drift_pp in &self.drift_pp {
                            points.push(Compliance {
                                lag_years: Triangular::new(0.0, lag_mode, lag_mode + spread)
                                    .expect("ordered by construction"),
                                attainment: Triangular::new(min, mode, 1.0)
                                    .expect("ordered by construction"),
                                drift_pp,
                                drift_correlation,
                            });
                        }
                    }
                }
            }
        }
        points
    }
}

/// One scored point of the grid.
#[derive(Debug, Clone, Serialize)]
pub struct GridScore {
    /// The compliance tried.
    pub compliance: Compliance,
    /// Its mean CRPS over every ally-year, percentage points of GDP.
    pub mean_crps_pp: f64,
}

/// What a calibration found.
#[derive(Debug, Clone, Serialize)]
pub struct CalibrationResult {
    /// The point with the lowest mean CRPS (the first in grid order on a tie).
    pub best: Compliance,
    /// Its mean CRPS.
    pub best_crps_pp: f64,
    /// The grid.
    pub grid: CalibrationGrid,
    /// Every point with its score, in grid order.
    pub scores: Vec<GridScore>,
    /// Runs per point.
    pub runs: u64,
    /// Seed of the runs.
    pub seed: u64,
}

/// The mean CRPS of `record`'s shares under `compliance` on `shocks`.
fn mean_crps(record: &Record, compliance: &Compliance, shocks: &Shocks) -> f64 {
    let shares = simulate(record, compliance, shocks);
    let runs = shocks.runs;
    let years = record.years();
    let mut total = 0.0;
    let mut sorted = vec![0.0; runs];
    for (i, ally) in record.allies.iter().enumerate() {
        for y in 0..years {
            sorted.copy_from_slice(&shares[(i * years + y) * runs..][..runs]);
            sorted.sort_unstable_by(f64::total_cmp);
            total += crps(&sorted, ally.actual_pct[y]);
        }
    }
    total / (record.allies.len() * years) as f64
}

/// Searches `grid` for the compliance with the lowest mean CRPS on `record`; `drift
/// correlation` is fixed (it is not identified by per-ally scores).
pub fn calibrate(
    record: &Record,
    grid: &CalibrationGrid,
    drift_correlation: f64,
    runs: u64,
    seed: u64,
) -> CalibrationResult {
    let shocks = Shocks::draw(record, runs, seed, drift_correlation);
    let scores: Vec<GridScore> = grid
        .points(drift_correlation)
        .into_par_iter()
        .map(|compliance| GridScore {
            mean_crps_pp: mean_crps(record, &compliance, &shocks),
            compliance,
        })
        .collect();
    let best = scores
        .iter()
        .min_by(|a, b| a.mean_crps_pp.total_cmp(&b.mean_crps_pp))
        .expect("the grid is not empty");
    CalibrationResult {
        best: best.compliance,
        best_crps_pp: best.mean_crps_pp,
        grid: grid.clone(),
        runs,
        seed,
        scores: scores.clone(),
    }
}
