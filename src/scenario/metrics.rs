//! The metrics of MODEL.md section 7 and the fixed order in which the model writes them: a
//! [`Layout`] names every value of one run, row by row of `summary.csv`.
//!
//! Order: goal (scenario order), then year (`B..=H`), then each group with its metrics, then
//! each item with its metrics. The model fills a flat `[f64]` in exactly this order.

use crate::scenario::Scenario;
use serde::{Deserialize, Serialize};

/// A reported quantity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Metric {
    /// Core defence spending, USD millions.
    CoreMusd,
    /// Defence-related spending, USD millions.
    RelatedMusd,
    /// Core plus related, USD millions.
    TotalMusd,
    /// Core spending as % of the group's GDP.
    CorePctGdp,
    /// Equipment spending, USD millions.
    EquipmentMusd,
    /// GDP, USD billions.
    GdpUsdBn,
    /// Core spending minus the reference goal's, USD millions.
    DeltaCoreMusd,
    /// [`Metric::DeltaCoreMusd`] summed over `B+1..=year`, USD millions.
    CumDeltaCoreMusd,
    /// Production demand, units per year.
    DemandUnits,
    /// Feasible capacity, units per year.
    CapacityUnits,
    /// Demand above capacity, units per year.
    ShortfallUnits,
    /// 1 when demand exceeds capacity, else 0; its mean over runs is a probability.
    ShortfallProb,
    /// Money the line cannot turn into output, USD millions.
    UnabsorbedMusd,
    /// Demand not yet delivered at the end of the year, units (MODEL.md v2).
    BacklogUnits,
    /// The backlog over that year's capacity: years of production to clear it (MODEL.md v2).
    BacklogYears,
}

impl Metric {
    /// The spelling in `summary.csv`.
    pub fn as_str(self) -> &'static str {
        match self {
            Metric::CoreMusd => "core_musd",
            Metric::RelatedMusd => "related_musd",
            Metric::TotalMusd => "total_musd",
            Metric::CorePctGdp => "core_pct_gdp",
            Metric::EquipmentMusd => "equipment_musd",
            Metric::GdpUsdBn => "gdp_usd_bn",
            Metric::DeltaCoreMusd => "delta_core_musd",
            Metric::CumDeltaCoreMusd => "cum_delta_core_musd",
            Metric::DemandUnits => "demand_units",
            Metric::CapacityUnits => "capacity_units",
            Metric::ShortfallUnits => "shortfall_units",
            Metric::ShortfallProb => "shortfall_prob",
            Metric::UnabsorbedMusd => "unabsorbed_musd",
            Metric::BacklogUnits => "backlog_units",
            Metric::BacklogYears => "backlog_years",
        }
    }

    /// The metric spelled `text` in `summary.csv`.
    pub fn parse(text: &str) -> Option<Metric> {
        GROUP_METRICS
            .into_iter()
            .chain(DELTA_METRICS)
            .chain(ITEM_METRICS)
            .find(|m| m.as_str() == text)
    }
}

/// Metrics of every group, every goal.
pub const GROUP_METRICS: [Metric; 6] = [
    Metric::CoreMusd,
    Metric::RelatedMusd,
    Metric::TotalMusd,
    Metric::CorePctGdp,
    Metric::EquipmentMusd,
    Metric::GdpUsdBn,
];
/// Extra group metrics of every goal but the reference.
pub const DELTA_METRICS: [Metric; 2] = [Metric::DeltaCoreMusd, Metric::CumDeltaCoreMusd];
/// Metrics of every item, every goal.
pub const ITEM_METRICS: [Metric; 7] = [
    Metric::DemandUnits,
    Metric::CapacityUnits,
    Metric::ShortfallUnits,
    Metric::ShortfallProb,
    Metric::UnabsorbedMusd,
    Metric::BacklogUnits,
    Metric::BacklogYears,
];

/// What one value is: the key columns of a `summary.csv` row, as indices into the scenario.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct RowKey {
    /// Index into `scenario.goals`.
    pub goal: usize,
    /// Calendar year.
    pub year: i32,
    /// Index into `scenario.groups` (for an item: its buyers).
    pub group: usize,
    /// Index into `scenario.items`, for item metrics.
    pub item: Option<usize>,
    /// The metric.
    pub metric: Metric,
}

/// Every value of one run, in the order the model writes them.
#[derive(Debug, Clone)]
pub struct Layout {
    rows: Vec<RowKey>,
}

impl Layout {
    /// The layout of `scenario`'s outputs.
    pub fn new(scenario: &Scenario) -> Layout {
        let mut rows = Vec::new();
        for goal in 0..scenario.goals.len() {
            let group_metrics: Vec<Metric> = if goal == 0 {
                GROUP_METRICS.to_vec()
            } else {
                GROUP_METRICS
                    .iter()
                    .chain(&DELTA_METRICS)
                    .copied()
                    .collect()
            };
            for year in scenario.years() {
                for group in 0..scenario.groups.len() {
                    for &metric in &group_metrics {
                        rows.push(RowKey {
                            goal,
                            year,
                            group,
                            item: None,
                            metric,
                        });
                    }
                }
                for (index, item) in scenario.items.iter().enumerate() {
                    let group = scenario
                        .group_index(&item.buyers)
                        .expect("buyers are checked when the scenario is resolved");
                    for metric in ITEM_METRICS {
                        rows.push(RowKey {
                            goal,
                            year,
                            group,
                            item: Some(index),
                            metric,
                        });
                    }
                }
            }
        }
        Layout { rows }
    }

    /// The rows, in model order.
    pub fn rows(&self) -> &[RowKey] {
        &self.rows
    }

    /// Number of values per run.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// True when there are no values (never, for a valid scenario).
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// Index of the value with this key, if any.
    pub fn find(&self, key: &RowKey) -> Option<usize> {
        self.rows.iter().position(|r| r == key)
    }
}

/// How a row's value varies across Monte Carlo runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowVariation {
    /// It can take any value.
    Varies,
    /// It is its central value in every run.
    Constant,
    /// It equals the given (earlier) row in every run.
    SameAs(usize),
}
