//! The short summary printed at the end of `run` and `compare`: per goal, NATO and
//! Europe+Canada core spending in the horizon year, the cumulative extra over the reference,
//! and the production lines whose demand exceeds capacity, with the first year it does.
//! It reads results only.

use crate::metrics::Metric;
use crate::scenario::Scenario;
use crate::summary::Summary;
use std::fmt::Write;

/// Thousands separators and a fixed number of decimals: `1,234.5`.
fn grouped(value: f64, decimals: usize) -> String {
    let text = format!("{:.*}", decimals, value.abs());
    let (whole, fraction) = text.split_once('.').map_or((text.as_str(), ""), |(w, f)| (w, f));
    let mut out = String::new();
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if !fraction.is_empty() {
        out.push('.');
        out.push_str(fraction);
    }
    if value < 0.0 && text.bytes().any(|b| b.is_ascii_digit() && b != b'0') {
        out.insert(0, '-');
    }
    out
}

/// USD millions shown as USD billions.
fn usd_bn(musd: f64) -> String {
    format!("USD {} bn", grouped(musd / 1000.0, 1))
}

/// The terminal summary of a finished run.
pub fn glance(scenario: &Scenario, summary: &Summary) -> String {
    let h = scenario.horizon;
    let b = scenario.base_year();
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} ({} goal{}, {b}-{h}, central projection, constant {b} USD)",
        scenario.title,
        scenario.goals.len(),
        if scenario.goals.len() == 1 { "" } else { "s" }
    );
    let reference = &scenario.goals[0];
    for (g, goal) in scenario.goals.iter().enumerate() {
        let _ = writeln!(out, "\n  {}{}", goal.label, if g == 0 { " (reference)" } else { "" });
        for (group, name) in [("nato", "NATO"), ("europe_canada", "Europe+Canada")] {
            let value = |year, metric| summary.group_value(scenario, g, year, group, metric);
            let (Some(core), Some(pct)) = (value(h, Metric::CoreMusd), value(h, Metric::CorePctGdp))
            else {
                continue;
            };
            let _ = write!(out, "    {name:<14} core {h}: {} ({:.2}% of GDP)", usd_bn(core), pct);
            if let Some(cum) = value(h, Metric::CumDeltaCoreMusd) {
                let _ = write!(
                    out,
                    "; {} over {} in {}-{h}",
                    usd_bn(cum).replacen("USD ", if cum >= 0.0 { "+USD " } else { "USD " }, 1),
                    reference.id,
                    b + 1
                );
            }
            out.push('\n');
        }
        let short: Vec<String> = scenario
            .items
            .iter()
            .enumerate()
            .filter_map(|(j, item)| {
                let first = scenario.years().find(|&t| {
                    summary.item_value(g, t, j, Metric::ShortfallProb) == Some(1.0)
                })?;
                Some(format!("{} from {first}", item.id))
            })
            .collect();
        let _ = writeln!(
            out,
            "    demand above capacity: {}",
            if short.is_empty() { "none".to_string() } else { short.join(", ") }
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::grouped;

    #[test]
    fn numbers_get_thousands_separators() {
        assert_eq!(grouped(1_234_567.891, 1), "1,234,567.9");
        assert_eq!(grouped(999.94, 1), "999.9");
        assert_eq!(grouped(-1234.0, 0), "-1,234");
        assert_eq!(grouped(-0.01, 1), "0.0");
    }
}
