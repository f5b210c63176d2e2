//! `result.json`: the numbers of `summary.csv` plus what it takes to reproduce them: tool
//! version, resolved scenario, seed, runs, data vintage, calibrated alphas and an input hash.

use super::summary_csv::{SUMMARY_COLUMNS, key_cells};
use crate::hash::sha256_hex;
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
        if let Some(Value::Object(data)) = map.get_mut("data") {
            data.remove("vintage");
            for table in ["allies_provenance", "items_provenance"] {
                if let Some(Value::Object(p)) = data.get_mut(table) {
                    p.remove("origin");
                }
            }
        }
    }
    sha256_hex(value.to_string().as_bytes())
}

/// `result.json` as bytes, pretty-printed. Numbers are written in their shortest round-trip form.
pub fn result_json(scenario: &Scenario, summary: &Summary) -> Vec<u8> {
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
        .map(|(key, central)| {
            let [goal, _, group, item, metric] = key_cells(scenario, key);
            let item = if item.is_empty() { Value::Null } else { json!(item) };
            let mut row = vec![json!(goal), json!(key.year), json!(group), item, json!(metric), json!(central)];
            row.resize(SUMMARY_COLUMNS.len(), Value::Null);
            Value::Array(row)
        })
        .collect();
    let document = json!({
        "tool": { "name": env!("CARGO_PKG_NAME"), "version": env!("CARGO_PKG_VERSION") },
        "model_spec": "MODEL.md v1",
        "input_hash": input_hash(scenario),
        "seed": scenario.seed,
        "runs": scenario.runs,
        "monte_carlo": { "runs_done": 0, "note": "central projection only; Monte Carlo statistics are empty" },
        "data": {
            "base_year": scenario.data.base_year,
            "vintage": scenario.data.vintage,
            "allies": scenario.data.allies_provenance,
            "items": scenario.data.items_provenance,
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
