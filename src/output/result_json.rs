//! `result.json`: the numbers of `summary.csv` plus what it takes to reproduce them: tool
//! version, resolved scenario, seed, runs, data vintage, calibrated alphas and an input hash.

use super::summary_csv::{SUMMARY_COLUMNS, key_cells};
use crate::hash::sha256_hex;
use crate::mc::convergence::Convergence;
use crate::mc::{BLOCK_RUNS, rng};
use crate::scenario::Scenario;
use crate::summary::Summary;
use serde_json::{Value, json};

/// SHA-256 of the model inputs: the resolved scenario and data, without `runs` and `seed`
/// (recorded beside it) and without file paths (the data files are hashed by content).
pub fn input_hash(scenario: &Scenario) -> String {
    let mut value = serde_json::to_value(scenario).expect("a scenario always serializes");
    if let Value::Object(map) = &mut value {
        map.remove("runs");
        map.remove("seed");
        map.remove("file");
        if let Some(Value::Object(data)) = map.get_mut("data") {
            data.remove("vintage");
            for table in [
                "allies_provenance",
                "items_provenance",
                "capacity_plans_provenance",
                "plans_provenance",
            ] {
                if let Some(Value::Object(p)) = data.get_mut(table) {
                    p.remove("origin");
                }
            }
        }
    }
    sha256_hex(value.to_string().as_bytes())
}

/// `result.json` as bytes, pretty-printed. Numbers are written in their shortest round-trip
/// form. `convergence` records how `--runs auto` chose the run count.
pub fn result_json(
    scenario: &Scenario,
    summary: &Summary,
    convergence: Option<&Convergence>,
) -> Vec<u8> {
    let alphas: serde_json::Map<String, Value> = scenario
        .items
        .iter()
        .zip(summary.alphas())
        .map(|(item, alpha)| (item.id.clone(), json!(alpha)))
        .collect();
    let rows: Vec<Value> = summary
        .layout()
        .rows()
        .iter()
        .zip(summary.central_values())
        .enumerate()
        .map(|(index, (key, plan))| {
            let [goal, _, group, item, metric] = key_cells(scenario, key);
            let item = if item.is_empty() {
                Value::Null
            } else {
                json!(item)
            };
            let mut row = vec![
                json!(goal),
                json!(key.year),
                json!(group),
                item,
                json!(metric),
                json!(plan),
            ];
            match summary.row_stats(index) {
                Some(stats) => {
                    row.push(json!(stats.mean));
                    row.extend(stats.percentiles.iter().map(|p| json!(p)));
                }
                None => row.resize(SUMMARY_COLUMNS.len(), Value::Null),
            }
            Value::Array(row)
        })
        .collect();
    let monte_carlo = summary.monte_carlo().map(|mc| {
        let headlines: Vec<Value> = mc
            .headlines
            .iter()
            .map(|h| {
                let key = &summary.layout().rows()[h.row];
                let [goal, _, group, _, metric] = key_cells(scenario, key);
                json!({
                    "goal": goal,
                    "year": key.year,
                    "group": group,
                    "metric": metric,
                    "plan": summary.central_values()[h.row],
                    "mean": mc.rows[h.row].mean,
                    "standard_error": h.standard_error,
                    "p50": mc.rows[h.row].percentiles[3],
                    "p90": mc.rows[h.row].percentiles[5],
                })
            })
            .collect();
        json!({
            "runs": mc.runs,
            "generator": rng::ALGORITHM,
            "block_runs": BLOCK_RUNS,
            "percentiles": "nearest rank (the ceil(q*runs)-th smallest run) from a log-linear histogram sketch, relative error at most 2^-8 (0.39%), clamped to the observed range",
            "headline_standard_errors": headlines,
            "convergence": convergence,
        })
    });
    let document = json!({
        "disclosure": "contains per-ally figures; share only the output of pledge export --shareable",
        "tool": { "name": env!("CARGO_PKG_NAME"), "version": env!("CARGO_PKG_VERSION") },
        "model_spec": "MODEL.md v2",
        "input_hash": input_hash(scenario),
        "seed": scenario.seed,
        "runs": scenario.runs,
        "monte_carlo": monte_carlo,
        "data": {
            "base_year": scenario.data.base_year,
            "vintage": scenario.data.vintage,
            "allies": scenario.data.allies_provenance,
            "items": scenario.data.items_provenance,
            "capacity_plans": scenario.data.capacity_plans_provenance,
            "plans": scenario.data.plans_provenance,
        },
        "scenario": scenario,
        "alphas": alphas,
        "columns": SUMMARY_COLUMNS,
        "rows": rows,
    });
    let mut bytes = serde_json::to_vec_pretty(&document).expect("JSON serialization cannot fail");
    bytes.push(b'\n');
    bytes
}
