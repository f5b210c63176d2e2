//! `summary.csv` (MODEL.md section 7): one tidy row per goal, year, group or item, and metric.
//! `plan` is the deterministic path (every ally meets its goal in full and on time, every
//! capacity plan is met); `mean` and the percentiles describe the Monte Carlo runs.

use crate::results::{Results, SUMMARY_COLUMNS};
use crate::text::format_number;

/// `summary.csv` as bytes. The Monte Carlo columns are empty when no runs were made.
pub fn summary_csv(results: &Results) -> Vec<u8> {
    let mut out = String::with_capacity(results.rows.len() * 160);
    out.push_str(&SUMMARY_COLUMNS.join(","));
    out.push('\n');
    let empty_statistics = ",".repeat(SUMMARY_COLUMNS.len() - 6);
    for row in &results.rows {
        // Ids, group names and metrics never contain commas or quotes (checked on input).
        let year = row.year.to_string();
        let item = row.item.as_deref().unwrap_or("");
        out.push_str(&[&row.goal, &year, &row.group, item, row.metric.as_str()].join(","));
        out.push(',');
        out.push_str(&format_number(row.plan));
        match &row.stats {
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
