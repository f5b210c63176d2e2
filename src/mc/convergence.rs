//! `--runs auto`: run in doubling batches until the P50 and P90 of every headline number move
//! by less than a tolerance between two checkpoints, or a maximum is reached.
//!
//! Checkpoints are at `FIRST_RUNS * 2^k` runs (capped at the maximum), all whole blocks, so
//! the result at a checkpoint is exactly that of a fixed run of that many runs.

use super::{Accumulator, Engine, block_count};
use serde::{Deserialize, Serialize};
use std::sync::atomic::AtomicU64;

/// Runs at the first checkpoint.
pub const FIRST_RUNS: u64 = 1024;

/// One checkpoint of an automatic run.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Checkpoint {
    /// Runs done at this checkpoint.
    pub runs: u64,
    /// Largest relative change, in %, of a headline P50 or P90 since the previous checkpoint
    /// (`None` at the first).
    pub max_change_pct: Option<f64>,
}

/// How an automatic run ended.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Convergence {
    /// The tolerance asked for, %.
    pub tolerance_pct: f64,
    /// The most runs allowed.
    pub max_runs: u64,
    /// Whether the tolerance was met before the maximum.
    pub converged: bool,
    /// Every checkpoint.
    pub checkpoints: Vec<Checkpoint>,
}

fn headline_quantiles(accumulator: &Accumulator, rows: &[usize]) -> Vec<[f64; 2]> {
    rows.iter()
        .map(|&r| {
            accumulator
                .value(r)
                .expect("headline values are tracked")
                .quantiles([0.5, 0.9])
        })
        .collect()
}

fn max_change_pct(old: &[[f64; 2]], new: &[[f64; 2]]) -> f64 {
    old.iter()
        .flatten()
        .zip(new.iter().flatten())
        .map(|(o, n)| {
            if o == n {
                0.0
            } else {
                100.0 * (n - o).abs() / o.abs().max(n.abs())
            }
        })
        .fold(0.0, f64::max)
}

/// Runs `engine` until the headline rows are stable to `tolerance_pct` or `max_runs` is reached.
pub fn run_until_stable(
    engine: &Engine<'_>,
    tolerance_pct: f64,
    max_runs: u64,
    done: &AtomicU64,
) -> (Accumulator, Convergence) {
    let headline_rows: Vec<usize> = engine.headline.iter().map(|&(row, _)| row).collect();
    let headline_rows = &headline_rows[..];
    let mut runs = FIRST_RUNS.min(max_runs);
    let mut accumulator = engine.simulate(0..block_count(runs), runs, done);
    let mut previous = headline_quantiles(&accumulator, headline_rows);
    let mut convergence = Convergence {
        tolerance_pct,
        max_runs,
        converged: false,
        checkpoints: vec![Checkpoint {
            runs,
            max_change_pct: None,
        }],
    };
    while runs < max_runs {
        let next = (runs * 2).min(max_runs);
        accumulator.merge(&engine.simulate(block_count(runs)..block_count(next), next, done));
        runs = next;
        let current = headline_quantiles(&accumulator, headline_rows);
        let change = max_change_pct(&previous, &current);
        convergence.checkpoints.push(Checkpoint {
            runs,
            max_change_pct: Some(change),
        });
        previous = current;
        if change <= tolerance_pct {
            convergence.converged = true;
            break;
        }
    }
    (accumulator, convergence)
}
