//! The short summary printed at the end of `run` and `compare`: per goal, NATO and
//! Europe+Canada core spending in the horizon year, the cumulative extra over the reference,
//! and the production lines whose demand exceeds capacity, with the years it does.
//! It reads results only.

use crate::mc::convergence::Convergence;
use crate::metrics::Metric;
use crate::output::{grouped, year_ranges};
use crate::scenario::Scenario;
use crate::summary::Summary;
use std::fmt::Write;

/// USD millions shown as USD billions.
fn usd_bn(musd: f64) -> String {
    format!("USD {} bn", grouped(musd / 1000.0, 1))
}

/// The terminal summary of a finished run.
pub fn glance(scenario: &Scenario, summary: &Summary, convergence: Option<&Convergence>) -> String {
    let h = scenario.horizon;
    let b = scenario.base_year();
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} ({} goal{}, {b}-{h}, constant {b} USD)",
        scenario.title,
        scenario.goals.len(),
        if scenario.goals.len() == 1 { "" } else { "s" }
    );
    match summary.monte_carlo() {
        Some(mc) => {
            let _ = write!(
                out,
                "Central projection, and in [brackets] P10 to P90 over {} Monte Carlo runs (seed {}) \u{b1} the standard error of the mean",
                grouped(mc.runs as f64, 0),
                scenario.seed
            );
            if let Some(c) = convergence {
                let checkpoints = c.checkpoints.len();
                let plural = if checkpoints == 1 { "" } else { "s" };
                let _ = if c.converged {
                    write!(
                        out,
                        "\n--runs auto: headline P50 and P90 stable to {}% after {checkpoints} checkpoint{plural}",
                        c.tolerance_pct
                    )
                } else {
                    write!(
                        out,
                        "\n--runs auto: NOT stable to {}% by --max-runs {} ({checkpoints} checkpoint{plural}); results use every run made",
                        c.tolerance_pct,
                        grouped(c.max_runs as f64, 0)
                    )
                };
            }
            out.push('\n');
        }
        None => out.push_str("Central projection only\n"),
    }
    let reference = &scenario.goals[0];
    for (g, goal) in scenario.goals.iter().enumerate() {
        let _ = writeln!(
            out,
            "\n  {}{}",
            goal.label,
            if g == 0 { " (reference)" } else { "" }
        );
        for (group, name) in [("nato", "NATO"), ("europe_canada", "Europe+Canada")] {
            let row = |metric| summary.group_row(scenario, g, h, group, metric);
            let (Some(core), Some(pct)) = (row(Metric::CoreMusd), row(Metric::CorePctGdp)) else {
                continue;
            };
            let central = summary.central_values();
            let _ = write!(
                out,
                "    {name:<14} core {h}: {} ({:.2}% of GDP){}",
                usd_bn(central[core]),
                central[pct],
                range(summary, core)
            );
            if let Some(cum) = row(Metric::CumDeltaCoreMusd) {
                let value = central[cum];
                let _ = write!(
                    out,
                    "\n    {:<14} {}{} over {} in {}-{h}{}",
                    "",
                    if value >= 0.0 { "+" } else { "" },
                    usd_bn(value),
                    reference.id,
                    b + 1,
                    range(summary, cum)
                );
            }
            out.push('\n');
        }
        let short: Vec<String> = scenario
            .items
            .iter()
            .enumerate()
            .filter_map(|(j, item)| {
                let years: Vec<i32> = scenario
                    .years()
                    .filter(|&t| summary.item_value(g, t, j, Metric::ShortfallProb) == Some(1.0))
                    .collect();
                if years.is_empty() {
                    return None;
                }
                let chance = summary
                    .item_row(g, h, j, Metric::ShortfallProb)
                    .and_then(|row| summary.row_stats(row))
                    .map(|s| format!("  (probability in {h}: {:.0}%)", 100.0 * s.mean))
                    .unwrap_or_default();
                Some(format!(
                    "      {:<14} {}{chance}",
                    item.id,
                    year_ranges(&years, "-")
                ))
            })
            .collect();
        if short.is_empty() {
            let _ = writeln!(out, "    demand above capacity: none (central projection)");
        } else {
            let _ = writeln!(out, "    demand above capacity (central projection) in:");
            for line in short {
                let _ = writeln!(out, "{line}");
            }
        }
    }
    out
}

/// ` [P10 to P90, ±se]` in USD billions for a row with Monte Carlo statistics, else nothing.
fn range(summary: &Summary, row: usize) -> String {
    let Some(stats) = summary.row_stats(row) else {
        return String::new();
    };
    let se = summary
        .monte_carlo()
        .and_then(|mc| mc.headlines.iter().find(|h| h.row == row))
        .map(|h| format!(", \u{b1}{}", grouped(h.standard_error / 1000.0, 1)))
        .unwrap_or_default();
    let [_, p10, _, _, _, p90, _] = stats.percentiles;
    if p10 == p90 {
        return String::new();
    }
    format!(
        " [{} to {}{se}]",
        grouped(p10 / 1000.0, 1),
        grouped(p90 / 1000.0, 1)
    )
}

#[cfg(test)]
mod tests {
    use crate::output::grouped;

    #[test]
    fn numbers_get_thousands_separators() {
        assert_eq!(grouped(1_234_567.891, 1), "1,234,567.9");
        assert_eq!(grouped(999.94, 1), "999.9");
        assert_eq!(grouped(-1234.0, 0), "-1,234");
        assert_eq!(grouped(-0.01, 1), "0.0");
    }
}
