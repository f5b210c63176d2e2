//! The headline outputs sensitivity explains, and where each is in a run's values: per goal,
//! NATO's and Europe+Canada's `core_musd` at the horizon, then per item its `demand_units`,
//! `backlog_units` and `shortfall_prob` at the horizon and at its peak-risk year. The
//! peak-risk year is read from the results ([`LineRisk`]: the first year of the highest mean
//! `shortfall_prob` of the item under that goal); an item whose probability is 0 in every year
//! has no peak-risk year, and one whose peak is the horizon is listed once
//! ([`When::HorizonAndPeakRisk`]).

use super::{Measure, When};
use crate::data::groups::BuiltinGroup;
use crate::results::{LineRisk, Results};
use crate::scenario::metrics::{Layout, Metric, RowKey};

/// A headline output: its names, and its index in a run's values.
#[derive(Debug, Clone)]
pub(super) struct OutputDef {
    pub(super) goal: String,
    pub(super) group: String,
    pub(super) item: Option<String>,
    pub(super) metric: Metric,
    pub(super) year: i32,
    pub(super) when: When,
    pub(super) measure: Measure,
    /// Index in the layout.
    pub(super) row: usize,
}

/// The item metrics sensitivity explains.
const ITEM_OUTPUTS: [Metric; 3] = [
    Metric::DemandUnits,
    Metric::BacklogUnits,
    Metric::ShortfallProb,
];

/// Every headline output of the study of `results`, goal by goal.
pub(super) fn outputs(results: &Results) -> Vec<OutputDef> {
    let scenario = &results.scenario;
    let layout = Layout::new(scenario);
    let horizon = scenario.horizon;
    let mut list = Vec::new();
    let find = |key: RowKey| {
        layout
            .find(&key)
            .expect("every headline output is a row of the layout")
    };
    for (g, goal) in scenario.goals.iter().enumerate() {
        for builtin in BuiltinGroup::HEADLINE {
            let Some(group) = scenario.group_index(builtin.name()) else {
                continue;
            };
            list.push(OutputDef {
                goal: goal.id.clone(),
                group: builtin.name().to_string(),
                item: None,
                metric: Metric::CoreMusd,
                year: horizon,
                when: When::Horizon,
                measure: Measure::P50,
                row: find(RowKey {
                    goal: g,
                    year: horizon,
                    group,
                    item: None,
                    metric: Metric::CoreMusd,
                }),
            });
        }
        for (j, item) in scenario.items.iter().enumerate() {
            let group = scenario
                .group_index(&item.buyers)
                .expect("buyers are checked when the scenario is resolved");
            let risk = LineRisk::new(
                results
                    .item_series(&goal.id, &item.id, Metric::ShortfallProb)
                    .into_iter()
                    .map(|r| (r.year, r.plan, r.stats.map(|s| s.mean))),
            );
            let peak = risk.peak.filter(|(p, _)| *p > 0.0).map(|(_, year)| year);
            let years: Vec<(i32, When)> = match peak {
                Some(year) if year == horizon => vec![(horizon, When::HorizonAndPeakRisk)],
                Some(year) => vec![(horizon, When::Horizon), (year, When::PeakRisk)],
                None => vec![(horizon, When::Horizon)],
            };
            for (year, when) in years {
                for metric in ITEM_OUTPUTS {
                    list.push(OutputDef {
                        goal: goal.id.clone(),
                        group: item.buyers.clone(),
                        item: Some(item.id.clone()),
                        metric,
                        year,
                        when,
                        measure: if metric == Metric::ShortfallProb {
                            Measure::Probability
                        } else {
                            Measure::P50
                        },
                        row: find(RowKey {
                            goal: g,
                            year,
                            group,
                            item: Some(j),
                            metric,
                        }),
                    });
                }
            }
        }
    }
    list
}
