//! `summary.csv` (MODEL.md section 7): one tidy row per goal, year, group or item, and metric.
//! `plan` is the deterministic path (every ally meets its goal in full and on time, every
//! capacity plan is met); `mean` and the percentiles describe the Monte Carlo runs.

use crate::metrics::RowKey;
use crate::scenario::Scenario;
use crate::summary::Summary;

/// The header of `summary.csv`.
pub const SUMMARY_COLUMNS: [&str; 14] = [
    "goal", "year", "group", "item", "metric", "plan", "mean", "p5", "p10", "p25", "p50", "p75",
    "p90", "p95",
];

/// A number as the shortest decimal that reads back to the same `f64` (round-trip exact).
pub fn format_number(value: f64) -> String {
    // Rust's `Display` for f64 is the shortest round-tripping form and never uses exponents.
    format!("{value}")
}

/// The key cells of a row: goal id, year, group, item id, metric.
pub(crate) fn key_cells(scenario: &Scenario, key: &RowKey) -> [String; 5] {
    [
        scenario.goals[key.goal].id.clone(),
        key.year.to_string(),
        scenario.groups[key.group].name.clone(),
        key.item
            .map_or(String::new(), |i| scenario.items[i].id.clone()),
        key.metric.as_str().to_string(),
    ]
}

/// `summary.csv` as bytes. The Monte Carlo columns are empty when no runs were made.
pub fn summary_csv(scenario: &Scenario, summary: &Summary) -> Vec<u8> {
    let mut out = String::with_capacity(summary.layout().len() * 160);
    out.push_str(&SUMMARY_COLUMNS.join(","));
    out.push('\n');
    let empty_statistics = ",".repeat(SUMMARY_COLUMNS.len() - 6);
    for (row, (key, value)) in summary
        .layout()
        .rows()
        .iter()
        .zip(summary.central_values())
        .enumerate()
    {
        // Ids, group names and metrics never contain commas or quotes (checked on input).
        out.push_str(&key_cells(scenario, key).join(","));
        out.push(',');
        out.push_str(&format_number(*value));
        match summary.row_stats(row) {
            Some(stats) => {
                for v in std::iter::once(stats.mean).chain(stats.percentiles) {
                    out.push(',');
                    out.push_str(&format_number(v));
                }
            }
            None => out.push_str(&empty_statistics),
        }
        out.push('\n');
    }
    out.into_bytes()
}

#[cfg(test)]
mod tests {
    use super::format_number;

    #[test]
    fn numbers_round_trip() {
        for value in [
            0.0,
            1.0,
            0.1,
            1.0 / 3.0,
            1.234_567_890_123e-7,
            9.876_543_21e15,
            -2.5,
        ] {
            let text = format_number(value);
            assert_eq!(text.parse::<f64>().unwrap(), value, "{text}");
            assert!(!text.contains('e'), "{text}");
        }
    }
}
