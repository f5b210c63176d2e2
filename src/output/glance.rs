//! The short summary printed at the end of `run` and `compare`: per goal, NATO and
//! Europe+Canada core spending in the horizon year and the cumulative extra over the
//! reference, each as the median with its P10-P90 range and the plan beside it; then the
//! production lines at risk of demand above capacity. It reads results only. Money is shown in
//! the currency asked for (`--currency`), at its stated rate, and the first line says so.
//!
//! The plan (MODEL.md v2 section 4) is the pledge met in full and on time: it is one line,
//! never the headline, because one-sided compliance draws often put it above P90.

use crate::data::currency::Currency;
use crate::data::groups::BuiltinGroup;
use crate::dist::Triangular;
use crate::results::{LineRisk, RISK_PROBABILITY, Results};
use crate::scenario::metrics::Metric;
use crate::scenario::{Capacity, Compliance};
use crate::text::{grouped, money_bn_text, percent, year_ranges};
use std::fmt::Write;

/// What the plan is, in the words every output uses.
pub const PLAN_MEANING: &str = "pledge met in full and on time";

/// The terminal summary of a finished run, money in `currency`.
pub fn glance(results: &Results, currency: Currency) -> String {
    let scenario = &results.scenario;
    let h = scenario.horizon;
    let b = scenario.base_year();
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} ({} goal{}, {b}-{h}, {})",
        scenario.title,
        scenario.goals.len(),
        if scenario.goals.len() == 1 { "" } else { "s" },
        currency.prices(b)
    );
    let usd_bn_text =
        |musd: f64, sign: bool| money_bn_text(currency.millions(musd), currency.code(), sign);
    let band = |percentiles, sign| band(percentiles, sign, currency);
    match &results.monte_carlo {
        Some(mc) => {
            let _ = write!(
                out,
                "Median and [P10 \u{2013} P90] over {} Monte Carlo runs (seed {}); the plan is the {PLAN_MEANING}",
                grouped(mc.runs as f64, 0),
                scenario.seed
            );
            if let Some(c) = &mc.convergence {
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
        None => {
            let _ = writeln!(
                out,
                "Plan only ({PLAN_MEANING}): no Monte Carlo runs, so no median or range"
            );
        }
    }
    let _ = writeln!(
        out,
        "Compliance: {}",
        compliance_text(&scenario.compliance, &scenario.capacity)
    );
    let reference = &scenario.goals[0];
    for (g, goal) in scenario.goals.iter().enumerate() {
        let _ = writeln!(
            out,
            "\n  {}{}",
            goal.label,
            if g == 0 { " (reference)" } else { "" }
        );
        for headline in BuiltinGroup::HEADLINE {
            let (group, name) = (headline.name(), headline.label());
            let row = |metric| results.row(&goal.id, h, group, None, metric);
            let (Some(core), Some(pct)) = (row(Metric::CoreMusd), row(Metric::CorePctGdp)) else {
                continue;
            };
            let _ = match core.stats.zip(pct.stats) {
                Some((core_stats, pct_stats)) => write!(
                    out,
                    "    {name:<14} core {h}: {} median{} ({:.2}% of GDP); plan {} ({:.2}% of GDP)",
                    usd_bn_text(core_stats.percentiles[3], false),
                    band(core_stats.percentiles, false),
                    pct_stats.percentiles[3],
                    usd_bn_text(core.plan, false),
                    pct.plan,
                ),
                None => write!(
                    out,
                    "    {name:<14} core {h}: plan {} ({:.2}% of GDP)",
                    usd_bn_text(core.plan, false),
                    pct.plan,
                ),
            };
            if let Some(cum) = row(Metric::CumDeltaCoreMusd) {
                let over = format!("over {} in {}-{h}", reference.label, b + 1);
                let _ = match cum.stats {
                    Some(stats) => write!(
                        out,
                        "\n    {:<14} {} median{} {over}; plan {}",
                        "",
                        usd_bn_text(stats.percentiles[3], true),
                        band(stats.percentiles, true),
                        usd_bn_text(cum.plan, true),
                    ),
                    None => write!(
                        out,
                        "\n    {:<14} plan {} {over}",
                        "",
                        usd_bn_text(cum.plan, true),
                    ),
                };
            }
            out.push('\n');
        }
        risk_list(&mut out, results, &goal.id);
    }
    out
}

/// What the scenario assumes of compliance and of announced capacity plans, in words: "full
/// compliance (lag 0, attainment 1)" only when both are fixed there, then the share drift when
/// there is one, then how much of each announced capacity increase is delivered.
pub fn compliance_text(c: &Compliance, capacity: &Capacity) -> String {
    let fixed_at = |t: &Triangular, v: f64| t.min() == v && t.max() == v;
    let mut text = if fixed_at(&c.lag_years, 0.0) && fixed_at(&c.attainment, 1.0) {
        "full compliance (lag 0, attainment 1)".to_string()
    } else {
        let when = if fixed_at(&c.lag_years, 0.0) {
            "on time".to_string()
        } else {
            format!("{} years late", triangular_text(&c.lag_years))
        };
        format!(
            "allies reach a goal {when} and make {} of the step to it, drawn per ally",
            triangular_text(&c.attainment)
        )
    };
    if *c == crate::backtest::calibrated() {
        text = format!(
            "as on the Wales record 2014-2024 (calibrated; assumed to hold for 2025-2035): {text}"
        );
    }
    if c.drift_pp > 0.0 {
        text.push_str(&format!(
            "; shares drift {} pp of GDP a year (correlation {} across allies)",
            c.drift_pp, c.drift_correlation
        ));
    }
    let q = &capacity.plan_attainment;
    text.push_str(&if fixed_at(q, 1.0) {
        "; announced capacity plans met in full".to_string()
    } else {
        format!(
            "; announced capacity plans deliver {} of each increase",
            triangular_text(q)
        )
    });
    text
}

/// `2 (fixed)` or `triangular 0-0-3 (min-mode-max)`.
fn triangular_text(t: &Triangular) -> String {
    if t.min() == t.max() {
        format!("{} (fixed)", t.mode())
    } else {
        format!(
            "triangular {}-{}-{} (min-mode-max)",
            t.min(),
            t.mode(),
            t.max()
        )
    }
}

/// ` [P10 x – P90 y]` in billions of `currency`, signed for a difference; nothing when
/// P10 = P90.
fn band(percentiles: [f64; 7], sign: bool, currency: Currency) -> String {
    let [_, p10, _, _, _, p90, _] = percentiles;
    if p10 == p90 {
        return String::new();
    }
    let code = currency.code();
    let number = |musd: f64| {
        let text = money_bn_text(currency.millions(musd), code, sign);
        let (prefix, rest) = text.split_once(&format!("{code} ")).unwrap_or(("", &text));
        format!("{prefix}{}", rest.trim_end_matches(" bn"))
    };
    format!(" [P10 {} \u{2013} P90 {}]", number(p10), number(p90))
}

/// The production lines of goal `g` whose probability of demand above capacity reaches
/// [`RISK_PROBABILITY`] in some year (without runs: whose plan is short in some year), in
/// scenario order, with the peak and its year, the years the plan is short, and the backlog
/// at the horizon.
fn risk_list(out: &mut String, results: &Results, goal: &str) {
    let h = results.scenario.horizon;
    let has_runs = results.has_statistics();
    let listed: Vec<(&str, LineRisk, &str)> = results
        .scenario
        .items
        .iter()
        .filter_map(|item| {
            let risk = LineRisk::new(
                results
                    .item_series(goal, &item.id, Metric::ShortfallProb)
                    .into_iter()
                    .map(|row| (row.year, row.plan, row.stats.map(|s| s.mean))),
            );
            risk.listed()
                .then_some((item.label.as_str(), risk, item.id.as_str()))
        })
        .collect();
    let threshold = percent(RISK_PROBABILITY);
    if listed.is_empty() {
        let _ = if has_runs {
            writeln!(
                out,
                "    no line reaches a {threshold} probability of demand above capacity in any year"
            )
        } else {
            writeln!(
                out,
                "    no line's plan demand is above capacity in any year"
            )
        };
        return;
    }
    let _ = if has_runs {
        writeln!(
            out,
            "    lines reaching a {threshold} probability of demand above capacity:"
        )
    } else {
        writeln!(out, "    lines whose plan demand is above capacity:")
    };
    let width = listed
        .iter()
        .map(|(label, _, _)| label.chars().count())
        .max()
        .unwrap_or(0);
    for (label, risk, item) in listed {
        let mut parts = Vec::new();
        if let Some((p, year)) = risk.peak {
            parts.push(format!("peak {} in {year}", percent(p)));
        }
        parts.push(if risk.plan_short.is_empty() {
            "plan never short".to_string()
        } else {
            format!("plan short {}", year_ranges(&risk.plan_short, "-"))
        });
        if let Some(row) = results
            .item_series(goal, item, Metric::BacklogYears)
            .into_iter()
            .find(|r| r.year == h)
        {
            let plan = row.plan;
            parts.push(match row.stats {
                Some(s) => format!(
                    "backlog {h}: median {:.1}, plan {plan:.1} years of production",
                    s.percentiles[3]
                ),
                None => format!("backlog {h}: plan {plan:.1} years of production"),
            });
        }
        let _ = writeln!(out, "      {label:<width$}  {}", parts.join("; "));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_get_thousands_separators() {
        assert_eq!(grouped(1_234_567.891, 1), "1,234,567.9");
        assert_eq!(grouped(999.94, 1), "999.9");
        assert_eq!(grouped(-1234.0, 0), "-1,234");
        assert_eq!(grouped(-0.01, 1), "0.0");
    }

    #[test]
    fn bands_read_negative_as_negative() {
        let p = [-9e3, -5e3, 0.0, 0.0, 0.0, 2e3, 3e3];
        let usd = Currency::Usd;
        assert_eq!(band(p, true, usd), " [P10 -5.0 \u{2013} P90 +2.0]");
        assert_eq!(band(p, false, usd), " [P10 -5.0 \u{2013} P90 2.0]");
        assert_eq!(band([1.0; 7], true, usd), "");
        let q = [0.0, 1130.0, 0.0, 0.0, 0.0, 2260.0, 0.0];
        assert_eq!(band(q, false, Currency::Eur), " [P10 1.0 \u{2013} P90 2.0]");
    }

    #[test]
    fn compliance_is_named_full_only_when_fixed_at_lag_0_and_attainment_1() {
        let full = Compliance {
            lag_years: Triangular::fixed(0.0),
            attainment: Triangular::fixed(1.0),
            drift_pp: 0.0,
            drift_correlation: 0.0,
        };
        let met = Capacity {
            plan_attainment: Triangular::fixed(1.0),
        };
        assert_eq!(
            compliance_text(&full, &met),
            "full compliance (lag 0, attainment 1); announced capacity plans met in full"
        );
        let drawn = Compliance {
            lag_years: Triangular::new(0.0, 0.0, 3.0).unwrap(),
            attainment: Triangular::new(0.6, 1.0, 1.0).unwrap(),
            drift_pp: 0.15,
            drift_correlation: 0.17,
        };
        let partly = Capacity {
            plan_attainment: Triangular::new(0.3, 0.6, 1.0).unwrap(),
        };
        assert_eq!(
            compliance_text(&drawn, &partly),
            "allies reach a goal triangular 0-0-3 (min-mode-max) years late and make \
             triangular 0.6-1-1 (min-mode-max) of the step to it, drawn per ally; shares drift \
             0.15 pp of GDP a year (correlation 0.17 across allies); announced capacity plans \
             deliver triangular 0.3-0.6-1 (min-mode-max) of each increase"
        );
    }

    #[test]
    fn without_runs_the_plan_is_shown_labelled_as_the_plan() {
        let text = r#"
            schema_version = 1
            horizon = 2030
            runs = 10
            [[goal]]
            id = "g2"
            label = "2% core (allies above 2% keep their share)"
            core_pct = 2
            [[goal]]
            id = "g5"
            label = "5% core"
            core_pct = 5
        "#;
        let scenario =
            crate::scenario::parse("compare.toml", text, std::path::Path::new("."), "x").unwrap();
        let summary = crate::mc::summary::Summary::central(&scenario);
        let out = glance(&Results::from_summary(&scenario, &summary), Currency::Usd);
        assert!(
            out.contains("Plan only (pledge met in full and on time): no Monte Carlo runs"),
            "{out}"
        );
        assert!(
            out.contains("    NATO           core 2030: plan USD "),
            "{out}"
        );
        assert!(
            out.contains(" over 2% core (allies above 2% keep their share) in 2026-2030"),
            "{out}"
        );
        assert!(!out.contains("bn median"), "{out}");
    }
}
