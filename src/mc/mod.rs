//! The Monte Carlo engine (MODEL.md sections 5 and 6): many runs of the model, each on its own
//! draws, in parallel, with statistics that are identical whatever the thread count or shard
//! split.
//!
//! Runs are grouped in blocks of [`BLOCK_RUNS`]; a worker evaluates a block's runs one after
//! the other into a buffer, then folds the buffer into its [`Accumulator`] value by value (so
//! each value's sketch stays in cache for the whole block). Workers' accumulators are merged
//! exactly. All goals of a run share its draws (common random numbers), so differences between
//! goals are paired.
//!
//! Memory does not grow with the number of runs, nor without bound with the spread of the
//! values: per worker, one block buffer and one [`Accumulator`], whose sketches hold at most
//! [`MAX_BUCKETS`] counts per sign each ([`Accumulator::bucket_count`]).

mod accumulator;
pub mod convergence;
pub mod rng;
mod sampler;
mod sketch;
pub mod summary;

pub use accumulator::{Accumulator, BLOCK_RUNS, ValueStats};
pub use sampler::Sampler;
pub use sketch::{COLLAPSED_ERROR, MAX_BUCKETS, RELATIVE_ERROR, Sketch};

use crate::model::draws::Draws;
use crate::model::{Model, Workspace};
use crate::scenario::Scenario;
use crate::scenario::metrics::RowVariation;
use rayon::prelude::*;
use std::ops::Range;
use std::sync::atomic::{AtomicU64, Ordering};

/// Number of blocks that hold `runs` runs.
pub fn block_count(runs: u64) -> u64 {
    runs.div_ceil(BLOCK_RUNS)
}

/// The first run of block `block` of a study of `runs` runs, or `runs` past its end: blocks
/// `a..b` hold runs `first_run(a, runs)..first_run(b, runs)`.
pub fn first_run(block: u64, runs: u64) -> u64 {
    (block * BLOCK_RUNS).min(runs)
}

/// Runs many runs of one scenario.
#[derive(Debug)]
pub struct Engine<'a> {
    model: &'a Model,
    sampler: Sampler,
    central_draws: Draws,
    seed: u64,
    tracked: Vec<usize>,
    headline: Vec<(usize, f64)>,
}

impl<'a> Engine<'a> {
    /// An engine for `scenario` compiled as `model`, keeping statistics of the rows that
    /// `variation` (the central summary's, [`crate::mc::summary::Summary::variation`]) says vary;
    /// `headline` lists `(index, central value)` of the values whose standard errors are
    /// reported.
    pub fn new(
        scenario: &Scenario,
        model: &'a Model,
        variation: &[RowVariation],
        headline: Vec<(usize, f64)>,
    ) -> Engine<'a> {
        let tracked = variation
            .iter()
            .enumerate()
            .filter(|(_, v)| **v == RowVariation::Varies)
            .map(|(row, _)| row)
            .collect();
        Engine {
            tracked,
            model,
            sampler: Sampler::new(scenario),
            central_draws: Draws::plan(scenario),
            seed: scenario.seed,
            headline,
        }
    }

    /// Indices, in a run's values, of the rows whose statistics are kept, ascending.
    pub fn tracked(&self) -> &[usize] {
        &self.tracked
    }

    /// `(index, central value)` of the rows whose standard errors are reported.
    pub fn headline(&self) -> &[(usize, f64)] {
        &self.headline
    }

    /// Statistics of the runs in `blocks` (block `b` holds runs `b*BLOCK_RUNS ..`, cut at
    /// `runs`, the study's run count), on the current rayon pool. `done` counts finished runs.
    pub fn simulate(&self, blocks: Range<u64>, runs: u64, done: &AtomicU64) -> Accumulator {
        let workers = rayon::current_num_threads().max(1) as u64;
        let count = blocks.end.saturating_sub(blocks.start);
        let parts: Vec<Range<u64>> = (0..workers)
            .map(|w| blocks.start + count * w / workers..blocks.start + count * (w + 1) / workers)
            .filter(|r| !r.is_empty())
            .collect();
        parts
            .into_par_iter()
            .map(|part| self.run_blocks(part, runs, done))
            .reduce_with(|mut a, b| {
                a.merge(&b);
                a
            })
            .unwrap_or_else(|| Accumulator::new(self.tracked.clone(), &self.headline))
    }

    /// One worker's share: its blocks in order.
    fn run_blocks(&self, blocks: Range<u64>, runs: u64, done: &AtomicU64) -> Accumulator {
        let width = self.model.values_per_run();
        let mut accumulator = Accumulator::new(self.tracked.clone(), &self.headline);
        let mut buffer = vec![0.0; BLOCK_RUNS as usize * width];
        let mut draws = self.central_draws.clone();
        let mut work = Workspace::default();
        for block in blocks {
            let (first, end) = (first_run(block, runs), first_run(block + 1, runs));
            for (slot, run) in (first..end).enumerate() {
                let mut rng = rng::run_rng(self.seed, run);
                self.sampler.fill(&mut rng, &mut draws);
                self.model.evaluate(
                    &draws,
                    &mut work,
                    &mut buffer[slot * width..(slot + 1) * width],
                );
            }
            let in_block = (end - first) as usize;
            accumulator.add_block(&buffer[..in_block * width], in_block);
            done.fetch_add(end - first, Ordering::Relaxed);
        }
        accumulator
    }
}
