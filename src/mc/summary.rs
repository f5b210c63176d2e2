//! The results of a scenario: for every row of the [`Layout`], the central value and, after
//! Monte Carlo runs, the mean and percentiles across runs. Charts, tables and exporters read
//! results from here and compute nothing of their own.

use crate::data::groups::BuiltinGroup;
use crate::mc::{Accumulator, Engine};
use crate::model::draws::Draws;
use crate::model::{Model, Workspace};
use crate::scenario::Scenario;
use crate::scenario::metrics::{Layout, Metric, RowKey, RowVariation};

/// The percentiles reported, as fractions.
pub const QUANTILES: [f64; 7] = [0.05, 0.10, 0.25, 0.50, 0.75, 0.90, 0.95];

/// Statistics of one row across runs.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RowStats {
    /// Mean over runs.
    pub mean: f64,
    /// P5, P10, P25, P50, P75, P90, P95.
    pub percentiles: [f64; 7],
}

/// A headline number: one row whose Monte Carlo standard error is reported.
#[derive(Debug, Clone, PartialEq)]
pub struct Headline {
    /// Index of the row in the layout.
    pub row: usize,
    /// Standard error of the mean across runs (0 before any runs).
    pub standard_error: f64,
}

/// Monte Carlo results.
#[derive(Debug, Clone, PartialEq)]
pub struct MonteCarlo {
    /// Runs behind the statistics.
    pub runs: u64,
    /// Statistics of every row, in layout order.
    pub rows: Vec<RowStats>,
    /// Headline numbers with their standard errors.
    pub headlines: Vec<Headline>,
}

/// Central values, and Monte Carlo statistics when there are runs, of every output row.
#[derive(Debug, Clone)]
pub struct Summary {
    layout: Layout,
    variation: Vec<RowVariation>,
    central: Vec<f64>,
    alphas: Vec<f64>,
    monte_carlo: Option<MonteCarlo>,
}

impl Summary {
    /// Runs the central projection (MODEL.md section 4) of `scenario`.
    pub fn central(scenario: &Scenario) -> Summary {
        Summary::central_with(scenario, &Model::new(scenario))
    }

    /// The central projection of `scenario`, already compiled as `model`.
    pub fn central_with(scenario: &Scenario, model: &Model) -> Summary {
        let layout = Layout::new(scenario);
        let mut central = vec![0.0; layout.len()];
        model.evaluate(
            &Draws::plan(scenario),
            &mut Workspace::default(),
            &mut central,
        );
        Summary {
            variation: model.variation(&layout),
            layout,
            central,
            alphas: model.alphas(),
            monte_carlo: None,
        }
    }

    /// Adds the statistics of finished Monte Carlo runs.
    pub fn with_monte_carlo(mut self, accumulator: &Accumulator) -> Summary {
        let runs = accumulator.runs();
        let mut rows: Vec<RowStats> = Vec::with_capacity(self.layout.len());
        for (row, &variation) in self.variation.iter().enumerate() {
            let stats = match variation {
                RowVariation::Constant => RowStats {
                    mean: self.central[row],
                    percentiles: [self.central[row]; 7],
                },
                RowVariation::SameAs(source) => rows[source],
                RowVariation::Varies => {
                    let v = accumulator.value(row).expect("varying rows are tracked");
                    RowStats {
                        mean: v.mean(runs),
                        percentiles: v.quantiles(QUANTILES),
                    }
                }
            };
            rows.push(stats);
        }
        let headlines = accumulator
            .standard_errors()
            .into_iter()
            .map(|(row, standard_error)| Headline {
                row,
                standard_error,
            })
            .collect();
        self.monte_carlo = Some(MonteCarlo {
            runs,
            rows,
            headlines,
        });
        self
    }

    /// The row keys, in output order.
    pub fn layout(&self) -> &Layout {
        &self.layout
    }

    /// How each row varies across runs, in layout order.
    pub fn variation(&self) -> &[RowVariation] {
        &self.variation
    }

    /// The rows whose standard error is reported, with their central values: for every
    /// goal, NATO and Europe+Canada core spending in the horizon year and, for every goal but
    /// the reference, their cumulative difference from it. Groups missing from custom data
    /// are skipped.
    pub fn headline(&self, scenario: &Scenario) -> Vec<(usize, f64)> {
        let mut rows = Vec::new();
        for goal in 0..scenario.goals.len() {
            for metric in [Metric::CoreMusd, Metric::CumDeltaCoreMusd] {
                for name in BuiltinGroup::HEADLINE.map(BuiltinGroup::name) {
                    if let Some(row) =
                        self.group_row(scenario, goal, scenario.horizon, name, metric)
                    {
                        rows.push((row, self.central[row]));
                    }
                }
            }
        }
        rows
    }

    /// The Monte Carlo engine for this plan as every command builds it: statistics of the
    /// rows that vary, standard errors of the headline rows. `pledge merge` re-derives a
    /// shard's tracked rows the same way, so the two must not drift apart.
    pub fn engine<'a>(&self, scenario: &'a Scenario, model: &'a Model) -> Engine<'a> {
        Engine::new(scenario, model, self.variation(), self.headline(scenario))
    }

    /// Central values, in layout order.
    pub fn central_values(&self) -> &[f64] {
        &self.central
    }

    /// Every item's `alpha`, given or calibrated, in scenario order.
    pub fn alphas(&self) -> &[f64] {
        &self.alphas
    }

    /// Monte Carlo statistics, if runs were made.
    pub fn monte_carlo(&self) -> Option<&MonteCarlo> {
        self.monte_carlo.as_ref()
    }

    /// Index of a group metric's row, by names.
    pub fn group_row(
        &self,
        scenario: &Scenario,
        goal: usize,
        year: i32,
        group: &str,
        metric: Metric,
    ) -> Option<usize> {
        let group = scenario.group_index(group)?;
        self.layout.find(&RowKey {
            goal,
            year,
            group,
            item: None,
            metric,
        })
    }

    /// The central value of a group metric, by names.
    pub fn group_value(
        &self,
        scenario: &Scenario,
        goal: usize,
        year: i32,
        group: &str,
        metric: Metric,
    ) -> Option<f64> {
        self.group_row(scenario, goal, year, group, metric)
            .map(|i| self.central[i])
    }

    /// Index of an item metric's row.
    pub fn item_row(&self, goal: usize, year: i32, item: usize, metric: Metric) -> Option<usize> {
        self.layout.rows().iter().position(|r| {
            r.goal == goal && r.year == year && r.item == Some(item) && r.metric == metric
        })
    }

    /// The central value of an item metric.
    pub fn item_value(&self, goal: usize, year: i32, item: usize, metric: Metric) -> Option<f64> {
        self.item_row(goal, year, item, metric)
            .map(|i| self.central[i])
    }

    /// Statistics of row `row`, if runs were made.
    pub fn row_stats(&self, row: usize) -> Option<&RowStats> {
        self.monte_carlo.as_ref().map(|m| &m.rows[row])
    }
}
