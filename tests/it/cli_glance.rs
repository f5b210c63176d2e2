//! The terminal summary of `pledge run` against the `summary.csv` it was built from, on a
//! scenario made for it (a line with room to spare, one at its limit, a goal below the
//! reference): the risk list names exactly the lines whose probability of demand above
//! capacity reaches 10%, at their peak year, with the years the plan is short and the backlog,
//! in scenario order and by label; a negative difference is printed with a leading minus; and
//! the files name the plan column `plan`, not v1's `central`.

use crate::common::{SUMMARY_HEADER, csv_records, read_json, succeeds, tempdir};
use std::fs;
use tempfile::TempDir;

/// A scenario on the builtin data whose second goal spends less than the reference (allies
/// above 2% come down), with two lines of its own: one with room to spare, one at its limit.
const RISK_SCENARIO: &str = r#"schema_version = 1
title = "Risk list"
horizon = 2032
runs = 200
seed = 11

[[goal]]
id = "high"
label = "3.5% core"
core_pct = 3.5

[[goal]]
id = "low"
label = "2% core, allies above come down"
core_pct = 2
floor = "none"

[compliance]
lag_years = { min = 0, mode = 0, max = 2 }
attainment = { min = 0.7, mode = 1.0, max = 1.0 }

[[item]]
id = "roomy"
label = "A line with room to spare"
category = "land"
buyers = "nato"
alpha = 0.01
unit_cost_musd = 10
cost_sigma = 0.2
capacity = 1000000
capacity_growth_pct = { min = 0, mode = 5, max = 10 }
lead_years = 1

[[item]]
id = "tight"
label = "A line at its limit"
category = "land"
buyers = "nato"
alpha = 0.01
unit_cost_musd = 10
cost_sigma = 0.2
capacity = 100
capacity_growth_pct = { min = 0, mode = 5, max = 10 }
lead_years = 1
"#;

/// [`RISK_SCENARIO`] run in a fresh folder: its stdout and its `summary.csv` as
/// `(header, records)`.
fn risk_run() -> (TempDir, String, Vec<String>, Vec<csv::StringRecord>) {
    let dir = tempdir();
    fs::write(dir.path().join("risk.toml"), RISK_SCENARIO).unwrap();
    let stdout = succeeds(
        dir.path(),
        &["run", "risk.toml", "--no-report", "--out", "o"],
    );
    let content = fs::read_to_string(dir.path().join("o/summary.csv")).unwrap();
    let mut records = csv_records(&content);
    let header = records.remove(0).iter().map(str::to_string).collect();
    (dir, stdout, header, records)
}

/// The lines of `stdout` under goal `label` (from its heading to the next blank line).
fn goal_block<'a>(stdout: &'a str, label: &str) -> Vec<&'a str> {
    stdout
        .lines()
        .skip_while(|l| !l.starts_with(&format!("  {label}")))
        .take_while(|l| !l.is_empty())
        .collect()
}

/// `1,234.5`: the terminal's thousands separators, written here independently.
fn thousands(value: f64, decimals: usize) -> String {
    let text = format!("{:.*}", decimals, value.abs());
    let (whole, fraction) = text.split_once('.').unwrap_or((&text, ""));
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
    out
}

#[test]
fn terminal_risk_list_names_lines_that_reach_10_percent_with_their_peak_year() {
    let (_dir, stdout, header, records) = risk_run();
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let json = read_json(&_dir.path().join("o/result.json"));
    let items: Vec<(String, String)> = json["scenario"]["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            let text = |k: &str| i[k].as_str().unwrap().to_string();
            (text("id"), text("label"))
        })
        .collect();
    let (mut named, mut omitted) = (0, 0);
    for (goal, label) in [
        ("high", "3.5% core"),
        ("low", "2% core, allies above come down"),
    ] {
        let block = goal_block(&stdout, label);
        assert!(!block.is_empty(), "no block for {label}:\n{stdout}");
        let mut listed_order = Vec::new();
        for (id, item_label) in &items {
            // Year by year: (year, plan, mean) of the line's shortfall_prob rows.
            let rows: Vec<(i32, f64, f64)> = records
                .iter()
                .filter(|r| {
                    r[col("goal")] == *goal
                        && r[col("item")] == **id
                        && r[col("metric")] == *"shortfall_prob"
                })
                .map(|r| {
                    let number = |c: &str| r[col(c)].parse::<f64>().unwrap();
                    (
                        r[col("year")].parse().unwrap(),
                        number("plan"),
                        number("mean"),
                    )
                })
                .collect();
            assert_eq!(rows.len(), 8, "{goal} {id}: 2025-2032");
            let peak = rows.iter().map(|r| r.2).fold(0.0, f64::max);
            let line = block
                .iter()
                .find(|l| l.trim_start().starts_with(item_label.as_str()));
            if peak < 0.10 {
                assert!(line.is_none(), "{goal}: {id} peaks at {peak} but is listed");
                omitted += 1;
                continue;
            }
            let line = line.unwrap_or_else(|| panic!("{goal}: {id} peaks at {peak}, not listed"));
            listed_order.push(id.clone());
            named += 1;
            let year = rows.iter().find(|r| r.2 == peak).unwrap().0;
            let pct = if (0.995..1.0).contains(&peak) {
                ">99%".to_string()
            } else {
                format!("{:.0}%", 100.0 * peak)
            };
            let shown = format!("peak {pct} in {year}");
            assert!(
                line.contains(&shown),
                "{goal} {id}: {shown:?} not in {line:?}"
            );
            let short: Vec<i32> = rows.iter().filter(|r| r.1 == 1.0).map(|r| r.0).collect();
            if short.is_empty() {
                assert!(line.contains("plan never short"), "{line}");
            } else {
                // Runs of consecutive years: `2025-2027, 2030`.
                let mut ranges: Vec<(i32, i32)> = Vec::new();
                for &y in &short {
                    match ranges.last_mut() {
                        Some((_, end)) if *end + 1 == y => *end = y,
                        _ => ranges.push((y, y)),
                    }
                }
                let text: Vec<String> = ranges
                    .iter()
                    .map(|&(a, b)| {
                        if a == b {
                            a.to_string()
                        } else {
                            format!("{a}-{b}")
                        }
                    })
                    .collect();
                let shown = format!("plan short {};", text.join(", "));
                assert!(
                    line.contains(&shown),
                    "{goal} {id}: {shown:?} not in {line:?}"
                );
            }
            let backlog = records
                .iter()
                .find(|r| {
                    r[col("goal")] == *goal
                        && r[col("year")] == *"2032"
                        && r[col("item")] == **id
                        && r[col("metric")] == *"backlog_years"
                })
                .expect("a backlog_years row");
            let number = |c: &str| backlog[col(c)].parse::<f64>().unwrap();
            let shown = format!(
                "backlog 2032: median {:.1}, plan {:.1} years of production",
                number("p50"),
                number("plan")
            );
            assert!(
                line.contains(&shown),
                "{goal} {id}: {shown:?} not in {line:?}"
            );
        }
        // Listed in scenario order: the order of the lines is the order of the items.
        let printed: Vec<String> = block
            .iter()
            .filter_map(|l| {
                let l = l.trim_start();
                items
                    .iter()
                    .find(|(_, label)| l.starts_with(label.as_str()))
                    .map(|(id, _)| id.clone())
            })
            .collect();
        assert_eq!(printed, listed_order, "{goal}");
        // Items by label, never by id.
        assert!(
            !block
                .iter()
                .any(|l| l.contains("tight") || l.contains("roomy"))
        );
    }
    assert!(named > 0 && omitted > 0, "{named} named, {omitted} omitted");
    // The line with room to spare is never short: it is never listed.
    assert!(!stdout.contains("A line with room to spare"), "{stdout}");
    assert!(stdout.contains("A line at its limit"), "{stdout}");
}

#[test]
fn terminal_prints_a_negative_difference_with_a_leading_minus() {
    let (_dir, stdout, header, records) = risk_run();
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let nato = records
        .iter()
        .find(|r| {
            r[col("goal")] == *"low"
                && r[col("year")] == *"2032"
                && r[col("group")] == *"nato"
                && r[col("metric")] == *"cum_delta_core_musd"
        })
        .expect("the low goal's cumulative difference");
    let number = |c: &str| nato[col(c)].parse::<f64>().unwrap();
    let (median, plan, p10, p90) = (number("p50"), number("plan"), number("p10"), number("p90"));
    assert!(median < 0.0 && plan < 0.0 && p90 < 0.0, "{nato:?}");
    let bn = |musd: f64| thousands(musd / 1000.0, 1);
    let expected = format!(
        "-USD {} bn median [P10 -{} \u{2013} P90 -{}] over 3.5% core in 2026-2032; plan -USD {} bn",
        bn(median),
        bn(p10),
        bn(p90),
        bn(plan)
    );
    assert!(stdout.contains(&expected), "{expected:?} not in:\n{stdout}");
    assert!(!stdout.contains("USD -"), "a minus after USD:\n{stdout}");
    assert!(!stdout.contains("+-"), "{stdout}");
}

#[test]
fn summary_csv_and_result_json_name_the_plan_column_plan() {
    let (dir, _, header, _) = risk_run();
    assert_eq!(header.join(","), SUMMARY_HEADER);
    assert_eq!(header[5], "plan");
    assert!(!header.iter().any(|h| h == "central"));
    let json = read_json(&dir.path().join("o/result.json"));
    assert_eq!(json["model_spec"], "MODEL.md v2");
    assert_eq!(json["columns"][5], "plan");
    for h in json["monte_carlo"]["headline_standard_errors"]
        .as_array()
        .unwrap()
    {
        assert!(h["plan"].is_number(), "{h}");
        assert!(h.get("central").is_none(), "{h}");
    }
}
