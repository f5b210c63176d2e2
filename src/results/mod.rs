//! A run's results, typed once: the schema of `result.json`, built from the statistics
//! ([`Results::from_summary`]) and read back from the file ([`Results::from_json`]). Every
//! exporter reads this one value: `summary.csv`, `result.json`, the terminal summary, the
//! charts, the page, the workbook and the shareable export.
//!
//! The document is the struct: serde writes it field by field in declaration order, so the
//! order of the fields below is the order of the keys in `result.json`. A row is written as an
//! array of the [`SUMMARY_COLUMNS`] cells, as in `summary.csv`.
//!
//! A file read back is checked against itself (`check.rs`): its columns are this version's,
//! its scenario matches its input hash, and its rows are exactly the rows that scenario's
//! layout has, in order, with finite, ordered statistics. An edited or damaged file is refused
//! with a message; nothing downstream has to guard an index.

pub mod capacity;
mod check;
mod index;
mod risk;
pub mod sensitivity;

use crate::data::Provenance;
use crate::error::{InputError, Location};
use crate::mc::convergence::Convergence;
use crate::mc::summary::{RowStats, Summary};
use crate::mc::{BLOCK_RUNS, rng};
use crate::scenario::metrics::Metric;
use crate::scenario::{Goal, Scenario, input_hash};
use index::RowIndex;
use serde::{Deserialize, Serialize};

pub use risk::{LineRisk, RISK_PROBABILITY};
pub use sensitivity::Sensitivity;

/// The header of `summary.csv`, and the `columns` of `result.json`.
pub const SUMMARY_COLUMNS: [&str; 14] = [
    "goal", "year", "group", "item", "metric", "plan", "mean", "p5", "p10", "p25", "p50", "p75",
    "p90", "p95",
];

/// What `result.json` says of sharing it.
pub const DISCLOSURE: &str =
    "contains per-ally figures; share only the output of pledge export --shareable";

/// The contract the numbers follow.
pub const MODEL_SPEC: &str = "MODEL.md v2";

/// How the percentiles are computed, as recorded in `result.json`.
pub const PERCENTILE_METHOD: &str = "nearest rank (the ceil(q*runs)-th smallest run) from a log-linear histogram sketch, relative error at most 2^-8 (0.39%), clamped to the observed range";

/// One row of `summary.csv`.
#[derive(Debug, Clone, PartialEq)]
pub struct ResultRow {
    /// Goal id.
    pub goal: String,
    /// Calendar year.
    pub year: i32,
    /// Group name (for an item: its buyers).
    pub group: String,
    /// Item id, for item metrics.
    pub item: Option<String>,
    /// The metric.
    pub metric: Metric,
    /// The plan: every ally meets its goal in full and on time, every capacity plan is met
    /// (MODEL.md v2 section 4). Not the middle of the runs; the median is.
    pub plan: f64,
    /// Mean and percentiles across runs, when runs were made.
    pub stats: Option<RowStats>,
}

/// The cells of a row in `result.json`, in [`SUMMARY_COLUMNS`] order.
type RowCells = (
    String,
    i32,
    String,
    Option<String>,
    Metric,
    f64,
    Option<f64>,
    Option<f64>,
    Option<f64>,
    Option<f64>,
    Option<f64>,
    Option<f64>,
    Option<f64>,
    Option<f64>,
);

impl Serialize for ResultRow {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let stat = |k: usize| self.stats.map(|s| s.percentiles[k]);
        let cells: RowCells = (
            self.goal.clone(),
            self.year,
            self.group.clone(),
            self.item.clone(),
            self.metric,
            self.plan,
            self.stats.map(|s| s.mean),
            stat(0),
            stat(1),
            stat(2),
            stat(3),
            stat(4),
            stat(5),
            stat(6),
        );
        cells.serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for ResultRow {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let (goal, year, group, item, metric, plan, mean, p5, p10, p25, p50, p75, p90, p95) =
            RowCells::deserialize(deserializer)?;
        let cells = [p5, p10, p25, p50, p75, p90, p95];
        let stats = match (mean, cells) {
            (
                Some(mean),
                [
                    Some(p5),
                    Some(p10),
                    Some(p25),
                    Some(p50),
                    Some(p75),
                    Some(p90),
                    Some(p95),
                ],
            ) => Some(RowStats {
                mean,
                percentiles: [p5, p10, p25, p50, p75, p90, p95],
            }),
            (None, cells) if cells.iter().all(Option::is_none) => None,
            _ => {
                return Err(serde::de::Error::custom(
                    "a row gives some of mean and the percentiles but not all",
                ));
            }
        };
        Ok(ResultRow {
            goal,
            year,
            group,
            item,
            metric,
            plan,
            stats,
        })
    }
}

/// The tool that wrote the results.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Tool {
    /// `pledge`.
    pub name: String,
    /// Its version.
    pub version: String,
}

/// A headline number with its Monte Carlo standard error.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HeadlineError {
    /// Goal id.
    pub goal: String,
    /// Calendar year.
    pub year: i32,
    /// Group name.
    pub group: String,
    /// The metric.
    pub metric: Metric,
    /// The plan value of the row.
    pub plan: f64,
    /// The mean over runs.
    pub mean: f64,
    /// Standard error of the mean.
    pub standard_error: f64,
    /// The median over runs.
    pub p50: f64,
    /// The 90th percentile over runs.
    pub p90: f64,
}

/// How the runs were made, when there were runs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MonteCarloInfo {
    /// Runs behind the statistics.
    pub runs: u64,
    /// The random generator (MODEL.md section 5: a named algorithm).
    pub generator: String,
    /// Runs per block, the unit of work and of merging.
    pub block_runs: u64,
    /// How the percentiles are computed ([`PERCENTILE_METHOD`]).
    pub percentiles: String,
    /// Standard errors of the headline numbers.
    pub headline_standard_errors: Vec<HeadlineError>,
    /// How `--runs auto` chose the run count, when it did.
    pub convergence: Option<Convergence>,
}

/// The data the run used, as recorded beside the scenario.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DataInfo {
    /// Base year `B`.
    pub base_year: i32,
    /// The data's vintage.
    pub vintage: String,
    /// Where the allies came from.
    pub allies: Provenance,
    /// Where the items came from.
    pub items: Provenance,
    /// Where the announced capacity plans came from.
    pub capacity_plans: Provenance,
    /// Where the declared plans came from.
    pub plans: Provenance,
}

/// Everything in a `result.json`, in the file's order.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Results {
    /// Who may see the file ([`DISCLOSURE`]).
    pub disclosure: String,
    /// The tool and version that wrote it.
    pub tool: Tool,
    /// The model specification the numbers follow ([`MODEL_SPEC`]).
    pub model_spec: String,
    /// SHA-256 of the model inputs ([`input_hash`]).
    pub input_hash: String,
    /// Seed.
    pub seed: u64,
    /// Monte Carlo runs asked for (0: the plan only).
    pub runs: u64,
    /// How the runs were made; `None` without runs.
    pub monte_carlo: Option<MonteCarloInfo>,
    /// The data's base year, vintage and provenance.
    pub data: DataInfo,
    /// The resolved scenario, data included.
    pub scenario: Scenario,
    /// Every item's `alpha`, given or calibrated, by item id in scenario order.
    pub alphas: indexmap::IndexMap<String, f64>,
    /// [`SUMMARY_COLUMNS`].
    pub columns: Vec<String>,
    /// Every row, in `summary.csv` order.
    pub rows: Vec<ResultRow>,
    #[serde(skip)]
    index: RowIndex,
}

impl Results {
    /// The results of `scenario` from its statistics: the plan and, after runs, the Monte
    /// Carlo statistics of every row.
    pub fn from_summary(scenario: &Scenario, summary: &Summary) -> Results {
        let rows: Vec<ResultRow> = summary
            .layout()
            .rows()
            .iter()
            .zip(summary.central_values())
            .enumerate()
            .map(|(index, (key, &plan))| ResultRow {
                goal: scenario.goals[key.goal].id.clone(),
                year: key.year,
                group: scenario.groups[key.group].name.clone(),
                item: key.item.map(|i| scenario.items[i].id.clone()),
                metric: key.metric,
                plan,
                stats: summary.row_stats(index).copied(),
            })
            .collect();
        let monte_carlo = summary.monte_carlo().map(|mc| MonteCarloInfo {
            runs: mc.runs,
            generator: rng::ALGORITHM.to_string(),
            block_runs: BLOCK_RUNS,
            percentiles: PERCENTILE_METHOD.to_string(),
            headline_standard_errors: mc
                .headlines
                .iter()
                .map(|h| {
                    let row = &rows[h.row];
                    let stats = &mc.rows[h.row];
                    HeadlineError {
                        goal: row.goal.clone(),
                        year: row.year,
                        group: row.group.clone(),
                        metric: row.metric,
                        plan: row.plan,
                        mean: stats.mean,
                        standard_error: h.standard_error,
                        p50: stats.percentiles[3],
                        p90: stats.percentiles[5],
                    }
                })
                .collect(),
            convergence: None,
        });
        let data = &scenario.data;
        let index = RowIndex::new(&rows);
        Results {
            disclosure: DISCLOSURE.to_string(),
            tool: Tool {
                name: env!("CARGO_PKG_NAME").to_string(),
                version: env!("CARGO_PKG_VERSION").to_string(),
            },
            model_spec: MODEL_SPEC.to_string(),
            input_hash: input_hash(scenario),
            seed: scenario.seed,
            runs: scenario.runs,
            monte_carlo,
            data: DataInfo {
                base_year: data.base_year,
                vintage: data.vintage.clone(),
                allies: data.allies_provenance.clone(),
                items: data.items_provenance.clone(),
                capacity_plans: data.capacity_plans_provenance.clone(),
                plans: data.plans_provenance.clone(),
            },
            scenario: scenario.clone(),
            alphas: scenario
                .items
                .iter()
                .map(|i| i.id.clone())
                .zip(summary.alphas().iter().copied())
                .collect(),
            columns: SUMMARY_COLUMNS.map(str::to_string).to_vec(),
            rows,
            index,
        }
    }

    /// Records how `--runs auto` chose the run count (nothing without runs).
    pub fn with_convergence(mut self, convergence: Option<Convergence>) -> Results {
        if let Some(mc) = &mut self.monte_carlo {
            mc.convergence = convergence;
        }
        self
    }

    /// Reads and checks `result.json` (`file` names it in messages): a file this version
    /// did not write as it is, or one from an older model, is refused.
    pub fn from_json(file: &str, bytes: &[u8]) -> Result<Results, InputError> {
        let mut results: Results = serde_json::from_slice(bytes).map_err(|e| {
            let message = match check::older_version(bytes) {
                Some(why) => why,
                None => format!("not a pledge result.json as this version writes it: {e}"),
            };
            InputError::invalid(Location::at(file, e.line(), Some(e.column())), message)
        })?;
        check::check(&results).map_err(|why| InputError::invalid(Location::file(file), why))?;
        results.index = RowIndex::new(&results.rows);
        Ok(results)
    }

    /// `result.json` as bytes, pretty-printed, with a final newline. Numbers are written in
    /// their shortest round-trip form.
    pub fn to_json(&self) -> Vec<u8> {
        let mut bytes = serde_json::to_vec_pretty(self).expect("results always serialize");
        bytes.push(b'\n');
        bytes
    }

    /// The version of pledge that wrote the results.
    pub fn tool_version(&self) -> &str {
        &self.tool.version
    }

    /// The random generator, or "" without runs.
    pub fn generator(&self) -> &str {
        self.monte_carlo.as_ref().map_or("", |mc| &mc.generator)
    }

    /// The headline numbers' standard errors (none without runs).
    pub fn headline_errors(&self) -> &[HeadlineError] {
        self.monte_carlo
            .as_ref()
            .map_or(&[], |mc| &mc.headline_standard_errors)
    }

    /// How `--runs auto` chose the run count, when it did.
    pub fn convergence(&self) -> Option<&Convergence> {
        self.monte_carlo.as_ref()?.convergence.as_ref()
    }

    /// The goals; the first is the reference.
    pub fn goals(&self) -> &[Goal] {
        &self.scenario.goals
    }

    /// Years `B..=H`.
    pub fn years(&self) -> std::ops::RangeInclusive<i32> {
        self.scenario.years()
    }

    /// Whether Monte Carlo statistics are present.
    pub fn has_statistics(&self) -> bool {
        self.monte_carlo.is_some()
    }

    /// The `alpha` used for item `id`, given or calibrated.
    pub fn alpha(&self, id: &str) -> Option<f64> {
        self.alphas.get(id).copied()
    }

    /// One row, if present.
    pub fn row(
        &self,
        goal: &str,
        year: i32,
        group: &str,
        item: Option<&str>,
        metric: Metric,
    ) -> Option<&ResultRow> {
        self.index
            .find(goal, year, group, item, metric)
            .map(|i| &self.rows[i])
    }

    /// A group metric year by year (`B..=H`); empty if the group or metric is absent.
    pub fn group_series(&self, goal: &str, group: &str, metric: Metric) -> Vec<&ResultRow> {
        self.years()
            .filter_map(|year| self.row(goal, year, group, None, metric))
            .collect()
    }

    /// An item metric year by year (`B..=H`); empty if the item is absent.
    pub fn item_series(&self, goal: &str, item: &str, metric: Metric) -> Vec<&ResultRow> {
        let Some(buyers) = self
            .scenario
            .items
            .iter()
            .find(|i| i.id == item)
            .map(|i| &i.buyers)
        else {
            return Vec::new();
        };
        self.years()
            .filter_map(|year| self.row(goal, year, buyers, Some(item), metric))
            .collect()
    }

    /// The command that reproduces these results.
    pub fn command(&self) -> String {
        let file = self.scenario.file.as_deref().unwrap_or("SCENARIO.toml");
        format!(
            "pledge run {file} --runs {} --seed {}",
            self.runs, self.seed
        )
    }
}
