//! Sensitivity: which uncertain inputs move the headline outputs most, from the same Monte
//! Carlo runs (docs/METHODOLOGY.md, section "Sensitivity").
//!
//! The first `N = min(runs, SENSITIVITY_RUNS)` runs of the study are evaluated again from
//! their own generators ([`run_rng`]`(seed, r)`, `r` in `0..N`), so they are the same runs
//! as in the statistics, with the same draws. Each run is reduced to one value per input
//! (a scalar summary of its [`Draws`], [`inputs`]) and one per headline output (rows of the
//! model's output, [`outputs`]), kept in memory (`N * (inputs + outputs)` numbers, 8 bytes
//! each), and the statistics are exact ([`stats`]): Spearman's rank correlation and the
//! tornado.
//!
//! The runs are evaluated in parallel but stored in run order, and everything after that is
//! sequential per output, so the result is a function of the scenario, the seed and `N`
//! alone: `run`, `compare`, `merge` (which has the merged scenario and seed) and `report`
//! compute the same numbers whatever the threads or shards, and shard states carry nothing
//! for it.

mod inputs;
mod outputs;
pub mod stats;

use crate::mc::Sampler;
use crate::mc::rng::run_rng;
use crate::model::draws::Draws;
use crate::model::{Model, Workspace};
use crate::results::Results;
use crate::scenario::metrics::Metric;
use crate::stop::StopFlag;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

/// The most runs sensitivity uses: the first 10,000 of a study.
pub const SENSITIVITY_RUNS: u64 = 10_000;

/// At most how many values sensitivity keeps per run of `scenario`: every headline output
/// (per goal, NATO's and Europe+Canada's core spending and six per item) and every input (15
/// scenario-wide, three per item). For the estimate of a run, before anything is allocated.
pub fn values_per_run_bound(scenario: &crate::scenario::Scenario) -> u64 {
    let (goals, items) = (scenario.goals.len() as u64, scenario.items.len() as u64);
    goals
        .saturating_mul(2 + 6 * items)
        .saturating_add(15 + 3 * items)
}

/// Runs evaluated between two looks at the stop flag.
const STEP_RUNS: usize = 1024;

/// Sensitivity was stopped by the user before it finished.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stopped;

/// An uncertain input, as sensitivity ranks it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Input {
    /// Its name in `sensitivity.csv`: `growth_common`, `lag_europe_canada`, `mix_land`,
    /// `shell155_eu.unit_cost`, ...
    pub name: String,
    /// Its name for people.
    pub label: String,
}

/// Which year of an item's headline output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum When {
    /// The horizon `H`.
    Horizon,
    /// The item's peak-risk year (the first year of its highest mean `shortfall_prob`).
    PeakRisk,
    /// The horizon, which is also the peak-risk year.
    HorizonAndPeakRisk,
}

impl When {
    /// The spelling in `sensitivity.csv`.
    pub fn as_str(self) -> &'static str {
        match self {
            When::Horizon => "horizon",
            When::PeakRisk => "peak_risk",
            When::HorizonAndPeakRisk => "horizon_and_peak_risk",
        }
    }
}

/// What the tornado's two values are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Measure {
    /// The output's median (nearest rank).
    P50,
    /// The probability that the 0/1 indicator is 1 (its share of runs).
    Probability,
}

impl Measure {
    /// The spelling in `sensitivity.csv`.
    pub fn as_str(self) -> &'static str {
        match self {
            Measure::P50 => "p50",
            Measure::Probability => "probability",
        }
    }
}

/// One input's influence on one output.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Driver {
    /// Index into [`Sensitivity::inputs`].
    pub input: usize,
    /// Spearman's rank correlation of the input with the output over the runs.
    pub rank_correlation: f64,
    /// The output's [`Measure`] over the runs whose input is in its lowest decile.
    pub tornado_low: f64,
    /// The same over its highest decile.
    pub tornado_high: f64,
}

impl Driver {
    /// `tornado_high - tornado_low`.
    pub fn swing(&self) -> f64 {
        self.tornado_high - self.tornado_low
    }
}

/// One headline output and its drivers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OutputSensitivity {
    /// Goal id.
    pub goal: String,
    /// The group (for an item: its buyers).
    pub group: String,
    /// The item, for item outputs.
    pub item: Option<String>,
    /// The metric.
    pub metric: Metric,
    /// The year.
    pub year: i32,
    /// Why this year.
    pub when: When,
    /// What the tornado reports.
    pub measure: Measure,
    /// Every input, most influential first: by absolute rank correlation, descending, ties
    /// in input order.
    pub drivers: Vec<Driver>,
}

impl OutputSensitivity {
    /// The output's name in `sensitivity.csv`: `nato.core_musd`, `shell155_eu.demand_units`.
    pub fn name(&self) -> String {
        format!(
            "{}.{}",
            self.item.as_deref().unwrap_or(&self.group),
            self.metric.as_str()
        )
    }
}

/// The sensitivity of a study's headline outputs to its uncertain inputs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Sensitivity {
    /// Runs used: the first `min(runs, SENSITIVITY_RUNS)`.
    pub runs: u64,
    /// The study's seed.
    pub seed: u64,
    /// The inputs that vary in the scenario, in a fixed order; an input that cannot vary
    /// (zero width, or zero weight) is left out.
    pub inputs: Vec<Input>,
    /// The headline outputs: per goal, NATO's and Europe+Canada's core spending at the
    /// horizon, then per item its demand, backlog and shortfall indicator at the horizon and
    /// at its peak-risk year.
    pub outputs: Vec<OutputSensitivity>,
}

impl Sensitivity {
    /// The sensitivity of the study of `results` (its scenario, seed and run count), on the
    /// current rayon pool; `None` without Monte Carlo runs. Checks `stop` between steps of
    /// [`STEP_RUNS`] runs.
    pub fn compute(results: &Results, stop: &StopFlag) -> Result<Option<Sensitivity>, Stopped> {
        let scenario = &results.scenario;
        if !results.has_statistics() || scenario.runs == 0 {
            return Ok(None);
        }
        let runs = scenario.runs.min(SENSITIVITY_RUNS) as usize;
        let inputs = inputs::inputs(scenario);
        let outputs = outputs::outputs(results);
        let model = Model::new(scenario);
        let sampler = Sampler::new(scenario);
        let plan = Draws::plan(scenario);
        let width = model.values_per_run();
        let columns = inputs.len() + outputs.len();

        // Row-major: run r's inputs, then its outputs.
        let mut table = vec![0.0; runs * columns];
        for (step, part) in table.chunks_mut(STEP_RUNS * columns.max(1)).enumerate() {
            if stop.is_set() {
                return Err(Stopped);
            }
            let first = step * STEP_RUNS;
            part.par_chunks_mut(columns.max(1))
                .enumerate()
                .for_each_init(
                    || (plan.clone(), Workspace::default(), vec![0.0; width]),
                    |(draws, work, values), (slot, row)| {
                        let run = (first + slot) as u64;
                        sampler.fill(&mut run_rng(scenario.seed, run), draws);
                        model.evaluate(draws, work, values);
                        for (cell, input) in row.iter_mut().zip(&inputs) {
                            *cell = input.value(draws);
                        }
                        for (cell, output) in row[inputs.len()..].iter_mut().zip(&outputs) {
                            *cell = values[output.row];
                        }
                    },
                );
        }
        if stop.is_set() {
            return Err(Stopped);
        }
        let column = |c: usize| -> Vec<f64> { (0..runs).map(|r| table[r * columns + c]).collect() };
        let input_columns: Vec<(Vec<usize>, Vec<f64>)> = (0..inputs.len())
            .into_par_iter()
            .map(|c| {
                let values = column(c);
                let order = stats::order(&values);
                let ranks = stats::mid_ranks(&values, &order);
                (order, ranks)
            })
            .collect();
        let outputs: Vec<OutputSensitivity> = outputs
            .into_par_iter()
            .enumerate()
            .map(|(o, output)| {
                let values = column(inputs.len() + o);
                let ranks = stats::mid_ranks(&values, &stats::order(&values));
                let summary = match output.measure {
                    Measure::P50 => stats::Summary::P50,
                    Measure::Probability => stats::Summary::Share,
                };
                let mut drivers: Vec<Driver> = input_columns
                    .iter()
                    .enumerate()
                    .map(|(input, (order, input_ranks))| {
                        let (low, high) = stats::tornado(&values, order, summary);
                        Driver {
                            input,
                            rank_correlation: stats::rank_correlation(input_ranks, &ranks),
                            tornado_low: low,
                            tornado_high: high,
                        }
                    })
                    .collect();
                // Stable: equal influence keeps input order.
                drivers.sort_by(|a, b| {
                    b.rank_correlation
                        .abs()
                        .total_cmp(&a.rank_correlation.abs())
                });
                OutputSensitivity {
                    goal: output.goal,
                    group: output.group,
                    item: output.item,
                    metric: output.metric,
                    year: output.year,
                    when: output.when,
                    measure: output.measure,
                    drivers,
                }
            })
            .collect();
        Ok(Some(Sensitivity {
            runs: runs as u64,
            seed: scenario.seed,
            inputs: inputs.into_iter().map(|i| i.input).collect(),
            outputs,
        }))
    }

    /// The input a driver names.
    pub fn input(&self, driver: &Driver) -> &Input {
        &self.inputs[driver.input]
    }

    /// The headline outputs of goal `goal`, in order.
    pub fn of_goal<'a>(&'a self, goal: &'a str) -> impl Iterator<Item = &'a OutputSensitivity> {
        self.outputs.iter().filter(move |o| o.goal == goal)
    }
}
