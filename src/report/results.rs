//! A run's results as the briefing pack reads them: `result.json` parsed back into the
//! resolved scenario, its metadata and every row with its plan value and statistics.
//!
//! Only a `result.json` whose `columns` are this version's ([`SUMMARY_COLUMNS`], with `plan`)
//! is read: one written before MODEL.md v2 (with `central`) is refused, since its numbers come
//! from another model.

use crate::error::{InputError, Location};
use crate::mc::rng;
use crate::metrics::Metric;
use crate::output::{SUMMARY_COLUMNS, input_hash};
use crate::scenario::{Goal, Scenario};
use crate::summary::{RowStats, Summary};
use serde_json::Value;
use std::collections::BTreeMap;

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

/// The Monte Carlo standard error of a headline number.
#[derive(Debug, Clone, PartialEq)]
pub struct HeadlineError {
    /// Goal id.
    pub goal: String,
    /// Group name.
    pub group: String,
    /// The metric.
    pub metric: Metric,
    /// Calendar year.
    pub year: i32,
    /// Standard error of the mean.
    pub standard_error: f64,
}

/// Everything in a `result.json`.
#[derive(Debug, Clone)]
pub struct Results {
    /// Version of pledge that wrote it.
    pub tool_version: String,
    /// Hash of the model inputs.
    pub input_hash: String,
    /// Seed.
    pub seed: u64,
    /// Monte Carlo runs.
    pub runs: u64,
    /// Random generator, as recorded.
    pub generator: String,
    /// The resolved scenario, data included.
    pub scenario: Scenario,
    /// Every item's `alpha`, given or calibrated, by item id in scenario order.
    pub alphas: Vec<(String, f64)>,
    /// Standard errors of the headline numbers.
    pub headline_errors: Vec<HeadlineError>,
    /// Every row, in `summary.csv` order.
    pub rows: Vec<ResultRow>,
    index: RowIndex,
}

fn bad(file: &str, message: impl Into<String>) -> InputError {
    InputError::invalid(Location::file(file), message)
}

impl Results {
    /// Parses `result.json` (`file` names it in messages).
    pub fn from_json(file: &str, bytes: &[u8]) -> Result<Results, InputError> {
        let doc: Value = serde_json::from_slice(bytes).map_err(|e| {
            InputError::invalid(
                Location::at(file, e.line(), Some(e.column())),
                format!("not a pledge result.json: {e}"),
            )
        })?;
        let field = |name: &str| {
            doc.get(name)
                .ok_or_else(|| bad(file, format!("not a pledge result.json: no '{name}'")))
        };
        let columns: Vec<&str> = field("columns")?
            .as_array()
            .map(|c| c.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        if columns != SUMMARY_COLUMNS {
            let message = if columns.contains(&"central") {
                "was written by an older pledge (MODEL.md v1, with a 'central' column); its \
                 numbers come from another model: run the scenario again with this version"
                    .to_string()
            } else {
                format!(
                    "its columns are not those of this version; expected {}",
                    SUMMARY_COLUMNS.join(",")
                )
            };
            return Err(bad(file, message));
        }
        let scenario: Scenario = serde_json::from_value(field("scenario")?.clone())
            .map_err(|e| bad(file, format!("its scenario cannot be read: {e}")))?;
        let text = |v: &Value| v.as_str().map(str::to_string);
        let number = |v: &Value| v.as_f64();
        let tool_version = field("tool")?
            .get("version")
            .and_then(text)
            .ok_or_else(|| bad(file, "no tool.version"))?;
        let alphas = field("alphas")?
            .as_object()
            .ok_or_else(|| bad(file, "'alphas' is not an object"))?
            .iter()
            .map(|(k, v)| Ok((k.clone(), number(v).ok_or_else(|| bad(file, "bad alpha"))?)))
            .collect::<Result<Vec<_>, InputError>>()?;
        let monte_carlo = doc.get("monte_carlo").filter(|v| !v.is_null());
        let headline_errors = monte_carlo
            .and_then(|mc| mc.get("headline_standard_errors"))
            .and_then(Value::as_array)
            .map(|list| {
                list.iter()
                    .filter_map(|h| {
                        Some(HeadlineError {
                            goal: text(h.get("goal")?)?,
                            group: text(h.get("group")?)?,
                            metric: Metric::parse(h.get("metric")?.as_str()?)?,
                            year: h.get("year")?.as_i64()? as i32,
                            standard_error: number(h.get("standard_error")?)?,
                        })
                    })
                    .collect()
            })
            .unwrap_or_default();
        let generator = monte_carlo
            .and_then(|mc| mc.get("generator"))
            .and_then(text)
            .unwrap_or_default();
        let rows = field("rows")?
            .as_array()
            .ok_or_else(|| bad(file, "'rows' is not an array"))?
            .iter()
            .enumerate()
            .map(|(i, row)| {
                parse_row(row).ok_or_else(|| bad(file, format!("row {} cannot be read", i + 1)))
            })
            .collect::<Result<Vec<_>, InputError>>()?;
        let index = RowIndex::new(&rows);
        Ok(Results {
            tool_version,
            input_hash: field("input_hash")?
                .as_str()
                .unwrap_or_default()
                .to_string(),
            seed: field("seed")?.as_u64().unwrap_or_default(),
            runs: field("runs")?.as_u64().unwrap_or_default(),
            generator,
            scenario,
            alphas,
            headline_errors,
            rows,
            index,
        })
    }

    /// The results of `scenario` straight from memory: the same value as
    /// [`Results::from_json`] of the `result.json` written for them (a test checks it), without
    /// parsing that file again.
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
        let headline_errors = summary
            .monte_carlo()
            .map(|mc| {
                mc.headlines
                    .iter()
                    .map(|h| {
                        let row = &rows[h.row];
                        HeadlineError {
                            goal: row.goal.clone(),
                            group: row.group.clone(),
                            metric: row.metric,
                            year: row.year,
                            standard_error: h.standard_error,
                        }
                    })
                    .collect()
            })
            .unwrap_or_default();
        let index = RowIndex::new(&rows);
        Results {
            tool_version: env!("CARGO_PKG_VERSION").to_string(),
            input_hash: input_hash(scenario),
            seed: scenario.seed,
            runs: scenario.runs,
            generator: if summary.monte_carlo().is_some() {
                rng::ALGORITHM.to_string()
            } else {
                String::new()
            },
            scenario: scenario.clone(),
            alphas: scenario
                .items
                .iter()
                .map(|i| i.id.clone())
                .zip(summary.alphas().iter().copied())
                .collect(),
            headline_errors,
            rows,
            index,
        }
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
        self.rows.first().is_some_and(|r| r.stats.is_some())
    }

    /// The `alpha` used for item `id`, given or calibrated.
    pub fn alpha(&self, id: &str) -> Option<f64> {
        self.alphas.iter().find(|(i, _)| i == id).map(|&(_, a)| a)
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

/// Rows by goal, year, group, item and metric. Names are numbered once, so that a lookup
/// neither allocates nor compares strings beyond the names themselves.
#[derive(Debug, Clone, Default)]
struct RowIndex {
    goals: BTreeMap<String, u32>,
    groups: BTreeMap<String, u32>,
    items: BTreeMap<String, u32>,
    rows: BTreeMap<RowIndexKey, usize>,
}

/// Goal, year, group, item and metric of a row, names by number.
type RowIndexKey = (u32, i32, u32, Option<u32>, Metric);

impl RowIndex {
    fn new(rows: &[ResultRow]) -> RowIndex {
        fn number(names: &mut BTreeMap<String, u32>, name: &str) -> u32 {
            if let Some(&n) = names.get(name) {
                return n;
            }
            let n = u32::try_from(names.len()).expect("fewer names than rows");
            names.insert(name.to_string(), n);
            n
        }
        let mut index = RowIndex::default();
        let keyed: Vec<(RowIndexKey, usize)> = rows
            .iter()
            .enumerate()
            .map(|(i, r)| {
                let key = (
                    number(&mut index.goals, &r.goal),
                    r.year,
                    number(&mut index.groups, &r.group),
                    r.item.as_deref().map(|item| number(&mut index.items, item)),
                    r.metric,
                );
                (key, i)
            })
            .collect();
        // Collected at once (sorted, then built in bulk); of equal keys, the last row wins.
        index.rows = keyed.into_iter().collect();
        index
    }

    fn find(
        &self,
        goal: &str,
        year: i32,
        group: &str,
        item: Option<&str>,
        metric: Metric,
    ) -> Option<usize> {
        let item = match item {
            Some(item) => Some(*self.items.get(item)?),
            None => None,
        };
        let key = (
            *self.goals.get(goal)?,
            year,
            *self.groups.get(group)?,
            item,
            metric,
        );
        self.rows.get(&key).copied()
    }
}

fn parse_row(row: &Value) -> Option<ResultRow> {
    let cells = row.as_array()?;
    let number = |i: usize| cells.get(i)?.as_f64();
    let stats = number(6).map(|mean| {
        let mut percentiles = [0.0; 7];
        for (k, p) in percentiles.iter_mut().enumerate() {
            *p = number(7 + k).unwrap_or(f64::NAN);
        }
        RowStats { mean, percentiles }
    });
    Some(ResultRow {
        goal: cells.first()?.as_str()?.to_string(),
        year: cells.get(1)?.as_i64()? as i32,
        group: cells.get(2)?.as_str()?.to_string(),
        item: cells.get(3)?.as_str().map(str::to_string),
        metric: Metric::parse(cells.get(4)?.as_str()?)?,
        plan: number(5)?,
        stats,
    })
}
