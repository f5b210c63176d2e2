//! The shareable file: one JSON document with the metadata, the rules, the rounding, the
//! goals and items published, a `published` array of tidy rows (one per item, goal and year)
//! and a `withheld` array saying what was left out and why.

use super::Rules;
use super::disclosure::{GroupVerdict, Withholding, decide};
use super::rounding::{round_probability_pct, round_significant};
use super::text::{
    goal_id_shown, goal_label_shown, item_id_shown, item_label_shown, item_unit_shown,
};
use crate::data::builtin;
use crate::error::{InputError, Location};
use crate::results::Results;
use crate::scenario::metrics::Metric;
use serde_json::{Value, json};

/// The `format` of the file.
pub const FORMAT: &str = "pledge shareable export";
/// The version of the file's layout.
pub const FORMAT_VERSION: u32 = 1;
/// Significant figures of published quantities.
pub const SIGNIFICANT_FIGURES: u32 = 2;
/// Step of published probabilities, percentage points.
pub const PROBABILITY_STEP_PCT: u32 = 5;

/// Positions of P10, P50 and P90 in [`crate::mc::summary::QUANTILES`].
const P10_P50_P90: [usize; 3] = [1, 3, 5];

/// The shareable export of `results` under `rules`, as pretty JSON bytes: [`shareable`]
/// written out.
pub fn shareable_json(file: &str, results: &Results, rules: &Rules) -> Result<Vec<u8>, InputError> {
    Ok(json_bytes(&shareable(file, results, rules)?))
}

/// A document as the file holds it: pretty JSON and a final newline.
pub fn json_bytes(document: &Value) -> Vec<u8> {
    let mut bytes = serde_json::to_vec_pretty(document).expect("JSON serialization cannot fail");
    bytes.push(b'\n');
    bytes
}

/// The shareable export of `results` under `rules`, as a JSON document. `file` names the
/// results in messages. Refuses results without Monte Carlo statistics (ranges are what it
/// publishes) and damaged ones.
pub fn shareable(file: &str, results: &Results, rules: &Rules) -> Result<Value, InputError> {
    if !results.has_statistics() {
        return Err(InputError::invalid(
            Location::file(file),
            "has no Monte Carlo statistics (the plan only); the export publishes ranges: run the \
             scenario with --runs 1 or more",
        ));
    }
    let decisions = decide(file, results, rules)?;
    let scenario = &results.scenario;
    let missing = |what: &str, item: &str| {
        InputError::invalid(
            Location::file(file),
            format!("no {what} row for item '{item}'; the file is damaged"),
        )
    };
    let mut items = Vec::new();
    let mut published = Vec::new();
    let mut withheld = Vec::new();
    for (j, item) in scenario.items.iter().enumerate() {
        let id = item_id_shown(scenario, j);
        let verdict = decisions
            .verdict(&item.buyers)
            .expect("every buyers group is decided");
        let goals = match verdict {
            GroupVerdict::Withheld(why) => {
                withheld.push(withheld_entry(
                    &id,
                    &item_label_shown(scenario, j),
                    None,
                    why,
                ));
                continue;
            }
            GroupVerdict::Published(goals) => goals,
        };
        let buyers = scenario.group(&item.buyers).expect("decided groups exist");
        items.push(json!({
            "id": id,
            "label": item_label_shown(scenario, j),
            "unit": item_unit_shown(scenario, j),
            "category": item.category.as_str(),
            "buyers_allies": buyers.members.len(),
        }));
        for (g, goal) in scenario.goals.iter().enumerate() {
            let goal_shown = goal_id_shown(scenario, g);
            if let Err(why) = &goals[g] {
                let label = item_label_shown(scenario, j);
                withheld.push(withheld_entry(&id, &label, Some(&goal_shown), why));
                continue;
            }
            for year in scenario.years() {
                let row = |metric: Metric| {
                    results
                        .row(&goal.id, year, &item.buyers, Some(&item.id), metric)
                        .and_then(|r| r.stats)
                        .ok_or_else(|| missing(metric.as_str(), &item.id))
                };
                let demand = row(Metric::DemandUnits)?;
                let capacity = row(Metric::CapacityUnits)?;
                let shortfall = row(Metric::ShortfallProb)?;
                let [d10, d50, d90] = P10_P50_P90.map(|q| quantity(demand.percentiles[q]));
                let [c10, c50, c90] = P10_P50_P90.map(|q| quantity(capacity.percentiles[q]));
                published.push(json!({
                    "item": id,
                    "goal": goal_shown,
                    "year": year,
                    "demand_units_p10": d10,
                    "demand_units_p50": d50,
                    "demand_units_p90": d90,
                    "capacity_units_p10": c10,
                    "capacity_units_p50": c50,
                    "capacity_units_p90": c90,
                    "shortfall_prob_pct": round_probability_pct(shortfall.mean, PROBABILITY_STEP_PCT),
                }));
            }
        }
    }
    let goals: Vec<Value> = (0..scenario.goals.len())
        .map(
            |g| json!({ "id": goal_id_shown(scenario, g), "label": goal_label_shown(scenario, g) }),
        )
        .collect();
    let vintage = if scenario.data.vintage == builtin::VINTAGE {
        scenario.data.vintage.clone()
    } else {
        format!(
            "custom data, base year {} (identified by the input hash)",
            scenario.data.base_year
        )
    };
    let k = rules.min_allies();
    let p = rules.max_share_pct();
    Ok(json!({
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "disclosure": "aggregate production-demand signals for industry: every figure, and every sum or difference of up to three of them that pledge checks, covers enough allies with no ally dominant, under the rules below; read the rules' limits before sharing",
        "tool": { "name": env!("CARGO_PKG_NAME"), "version": env!("CARGO_PKG_VERSION") },
        "results": {
            "tool_version": results.tool_version(),
            "input_hash": results.input_hash,
            "runs": results.runs,
            "seed": results.seed,
            "data_vintage": vintage,
            "base_year": scenario.base_year(),
            "horizon": scenario.horizon,
        },
        "rules": {
            "min_allies": k,
            "max_share_pct": p,
            "threshold": format!("every published item is bought by at least {k} allies with base-year equipment spending"),
            "dominance": format!("no ally holds more than {p}% of the base-year equipment spending of an item's buyers"),
            "contribution": "an ally's contribution to an item's demand is taken as its share of the buyers' base-year equipment spending (defence % of GDP x GDP x equipment % of defence spending), the money the item's demand is calibrated on",
            "differences": format!("no difference of published items (any sum or difference of up to three buyers groups) leaves fewer than {k} allies or one ally above {p}%; of two groups that may not both be published, the larger is"),
            "goals": format!("an item is published under a goal only if, against every goal published before it for that item, the buyers whose spending differs are none, or at least {k} with none above {p}% of the change"),
            "years": "all years of a published item and goal are published: they describe the same allies",
            "not_exported": "money figures of any group or ally, group names, ally codes and names, overrides, titles, notes, sources and file paths",
        },
        "rounding": {
            "units": format!("P10, P50 and P90 over the Monte Carlo runs, each rounded to {SIGNIFICANT_FIGURES} significant figures"),
            "shortfall_prob_pct": format!("the share of runs in which demand exceeds capacity, rounded to the nearest {PROBABILITY_STEP_PCT} percentage points"),
        },
        "goals": goals,
        "items": items,
        "published": published,
        "withheld": withheld,
    }))
}

/// A published quantity: rounded, and a whole number written as one.
fn quantity(value: f64) -> Value {
    let rounded = round_significant(value, SIGNIFICANT_FIGURES);
    if rounded.fract() == 0.0 && rounded.abs() < 1e15 {
        json!(rounded as i64)
    } else {
        json!(rounded)
    }
}

fn withheld_entry(item: &str, label: &str, goal: Option<&str>, why: &Withholding) -> Value {
    json!({
        "item": item,
        "label": label,
        "goal": goal,
        "rule": why.rule.as_str(),
        "reason": why.reason,
    })
}
