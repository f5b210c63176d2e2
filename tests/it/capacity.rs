//! Capacity planning on the command line: `capacity.csv` beside `summary.csv`, checked against
//! `summary.csv`'s demand and capacity rows and against the formulas of
//! docs/METHODOLOGY.md section 17 recomputed here; the same bytes whatever `--threads`; the
//! chart, the report section and the workbook sheet are there; and a planted study (no
//! growth, flat demand) gives years of production of `n * D / K0`.

use crate::common::{pledge, root};
use calamine::{Data, Reader, Xlsx};
use pledge::report::xlsx::CAPACITY_SHEET;
use std::collections::BTreeMap;
use std::path::Path;

/// Relative tolerance for numbers recomputed here from the rounded-trip values of the CSVs.
const CLOSE: f64 = 1e-12;

/// The model's tolerance for "capacity meets demand" (`model::SHORTFALL_TOLERANCE`).
const MEETS: f64 = 1e-9;

/// `path`'s header and rows, split at commas (no cell of these files holds one).
fn csv(path: &Path) -> (Vec<String>, Vec<Vec<String>>) {
    let text = std::fs::read_to_string(path).unwrap();
    let mut lines = text
        .lines()
        .map(|l| l.split(',').map(str::to_string).collect());
    let header = lines.next().unwrap();
    (header, lines.collect())
}

/// Runs `pledge run` on hague-2035 with 256 runs into `dir/out` with `extra` flags.
fn run_hague(dir: &Path, out: &str, extra: &[&str]) {
    pledge(dir)
        .arg("run")
        .arg(root().join("scenarios/hague-2035.toml"))
        .args(["--runs", "256", "--quiet", "--out", out])
        .args(extra)
        .assert()
        .success();
}

/// `summary.csv`'s item rows: (goal, year, item, metric) -> (plan, p50, p90) as written.
type SummaryCells = BTreeMap<(String, i32, String, String), (String, String, String)>;

fn summary_items(path: &Path) -> SummaryCells {
    let (header, rows) = csv(path);
    let at = |name: &str| header.iter().position(|h| h == name).unwrap();
    let (goal, year, item, metric) = (at("goal"), at("year"), at("item"), at("metric"));
    let (plan, p50, p90) = (at("plan"), at("p50"), at("p90"));
    rows.into_iter()
        .filter(|r| !r[item].is_empty())
        .map(|r| {
            (
                (
                    r[goal].clone(),
                    r[year].parse().unwrap(),
                    r[item].clone(),
                    r[metric].clone(),
                ),
                (r[plan].clone(), r[p50].clone(), r[p90].clone()),
            )
        })
        .collect()
}

/// One row of `capacity.csv`.
#[derive(Debug, Clone)]
struct Row {
    goal: String,
    item: String,
    basis: String,
    measure: String,
    year: Option<i32>,
    value: String,
    note: String,
}

fn capacity_rows(path: &Path) -> Vec<Row> {
    let (header, rows) = csv(path);
    assert_eq!(
        header,
        ["goal", "item", "basis", "measure", "year", "value", "note"]
    );
    rows.into_iter()
        .map(|r| {
            assert_eq!(r.len(), 7, "{r:?}");
            Row {
                goal: r[0].clone(),
                item: r[1].clone(),
                basis: r[2].clone(),
                measure: r[3].clone(),
                year: (!r[4].is_empty()).then(|| r[4].parse().unwrap()),
                value: r[5].clone(),
                note: r[6].clone(),
            }
        })
        .collect()
}

/// The one value of a scalar measure.
fn scalar<'a>(rows: &'a [Row], goal: &str, item: &str, basis: &str, measure: &str) -> &'a Row {
    let found: Vec<&Row> = rows
        .iter()
        .filter(|r| r.goal == goal && r.item == item && r.basis == basis && r.measure == measure)
        .collect();
    assert_eq!(found.len(), 1, "{goal} {item} {basis} {measure}");
    found[0]
}

fn number(text: &str) -> f64 {
    text.parse()
        .unwrap_or_else(|_| panic!("'{text}' is not a number"))
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= CLOSE * a.abs().max(b.abs()).max(1.0)
}

#[test]
fn capacity_csv_is_summary_csv_demand_planned_by_the_stated_formulas() {
    let dir = tempfile::tempdir().unwrap();
    run_hague(dir.path(), "o", &[]);
    let o = dir.path().join("o");
    let summary = summary_items(&o.join("summary.csv"));
    let rows = capacity_rows(&o.join("capacity.csv"));
    let scenario = pledge::scenario::load(&root().join("scenarios/hague-2035.toml")).unwrap();
    let (b, h) = (scenario.base_year(), scenario.horizon);

    // Capacity needed on each basis is that basis of demand_units, the very number; capacity
    // in the plan is the plan of capacity_units.
    let mut compared = 0;
    for r in &rows {
        let Some(year) = r.year else { continue };
        let key = |metric: &str| (r.goal.clone(), year, r.item.clone(), metric.to_string());
        match r.measure.as_str() {
            "capacity_needed_units_per_year" => {
                let (plan, p50, p90) = &summary[&key("demand_units")];
                let want = match r.basis.as_str() {
                    "plan" => plan,
                    "p50" => p50,
                    "p90" => p90,
                    other => panic!("basis {other}"),
                };
                assert_eq!(&r.value, want, "{r:?}");
                compared += 1;
            }
            "capacity_plan_units_per_year" => {
                assert_eq!(r.value, summary[&key("capacity_units")].0, "{r:?}");
            }
            _ => {}
        }
    }
    let cells = scenario.goals.len() * scenario.items.len() * (h - b + 1) as usize;
    assert_eq!(
        compared,
        3 * cells,
        "plan, P50 and P90 for every goal, item and year"
    );

    for goal in &scenario.goals {
        for item in &scenario.items {
            let (g, i) = (goal.id.as_str(), item.id.as_str());
            let k0 = item.capacity_units_per_year;
            let lead = item.lead_years;
            let t0 = f64::from(b) + lead;
            let r = modal_rate(item);
            assert_eq!(
                number(&scalar(&rows, g, i, "", "base_capacity_units_per_year").value),
                k0
            );
            assert_eq!(number(&scalar(&rows, g, i, "", "lead_years").value), lead);
            assert_eq!(
                number(&scalar(&rows, g, i, "", "expansion_from_year").value),
                t0
            );
            let need = |year: i32, column: usize| -> f64 {
                let cells = &summary[&(
                    g.to_string(),
                    year,
                    i.to_string(),
                    "demand_units".to_string(),
                )];
                number([&cells.0, &cells.1, &cells.2][column])
            };
            for (column, basis) in ["plan", "p50", "p90"].into_iter().enumerate() {
                // g = max over t > T0 of (D(t) / K0)^(1 / (t - T0)) - 1, at least 0.
                let rates: Vec<(i32, f64)> = (b + 1..=h)
                    .filter(|&t| f64::from(t) > t0)
                    .map(|t| {
                        let ratio = need(t, column) / k0;
                        let rate = if ratio <= 1.0 {
                            0.0
                        } else {
                            100.0 * (ratio.powf(1.0 / (f64::from(t) - t0)) - 1.0)
                        };
                        (t, rate)
                    })
                    .collect();
                let growth = rates.iter().map(|&(_, x)| x).fold(0.0, f64::max);
                let written = number(&scalar(&rows, g, i, basis, "growth_needed_pct").value);
                assert!(
                    close(written, growth),
                    "{g} {i} {basis}: {written} vs {growth}"
                );
                // The path at that rate meets the need in every year after T0.
                for t in (b + 1..=h).filter(|&t| f64::from(t) > t0) {
                    let path = k0 * (1.0 + written / 100.0).powf(f64::from(t) - t0);
                    assert!(
                        need(t, column) <= path * (1.0 + MEETS),
                        "{g} {i} {basis} {t}"
                    );
                }
                let binding = scalar(&rows, g, i, basis, "growth_binding_year");
                if growth > 0.0 {
                    let year = number(&binding.value) as i32;
                    let rate = rates.iter().find(|(t, _)| *t == year).unwrap().1;
                    assert!(close(rate, growth), "{g} {i} {basis}");
                } else {
                    assert_eq!(binding.note, "no_growth_needed");
                }
                // Years of production: demand over B+1..=H over K0.
                let years: f64 = (b + 1..=h).map(|t| need(t, column) / k0).sum();
                let written = number(&scalar(&rows, g, i, basis, "years_of_production").value);
                assert!(
                    close(written, years),
                    "{g} {i} {basis}: {written} vs {years}"
                );
                // The latest start meets every year after T0 at the modal rate, and a year
                // later does not.
                let from = |s: i32| {
                    (b + 1..=h).filter(|&t| f64::from(t) > t0).all(|t| {
                        let c = k0 * (1.0 + r / 100.0).powf((f64::from(t - s) - lead).max(0.0));
                        need(t, column) <= c * (1.0 + MEETS)
                    })
                };
                let start = scalar(&rows, g, i, basis, "latest_start_year");
                match start.note.as_str() {
                    "" => {
                        let s = number(&start.value) as i32;
                        assert!(from(s) && (s == h || !from(s + 1)), "{g} {i} {basis} {s}");
                    }
                    "too_late" => assert!(!from(b), "{g} {i} {basis}"),
                    "not_needed" => assert!(
                        (b + 1..=h)
                            .filter(|&t| f64::from(t) > t0)
                            .all(|t| need(t, column) <= k0 * (1.0 + MEETS)),
                        "{g} {i} {basis}"
                    ),
                    other => panic!("{g} {i} {basis}: note {other}"),
                }
            }
        }
    }

    // The chart per line (a panel per goal), the report section and the workbook sheet are
    // there.
    for item in &scenario.items {
        for ext in ["svg", "png"] {
            let chart = o.join(format!("charts/planning_{}.{ext}", item.id));
            assert!(chart.is_file(), "{}", chart.display());
        }
        let svg = std::fs::read_to_string(o.join(format!("charts/planning_{}.svg", item.id)));
        for goal in &scenario.goals {
            assert!(svg.as_ref().unwrap().contains(&goal.label), "{}", item.id);
        }
    }
    let page = std::fs::read_to_string(o.join("report.html")).unwrap();
    assert!(page.contains("<section id=\"capacity\">"));
    assert!(page.contains("<table class=\"capacity\">"));
    let mut book = Xlsx::new(std::io::Cursor::new(
        std::fs::read(o.join("pledge.xlsx")).unwrap(),
    ))
    .unwrap();
    assert!(book.sheet_names().contains(&CAPACITY_SHEET.to_string()));
    let sheet = book.worksheet_range(CAPACITY_SHEET).unwrap();
    let text: Vec<String> = sheet
        .rows()
        .flat_map(|r| r.iter())
        .filter_map(|c| match c {
            Data::String(s) => Some(s.clone()),
            _ => None,
        })
        .collect();
    assert!(text.iter().any(|t| t == "Capacity planning"));
    assert!(text.iter().any(|t| t == "growth_needed_pct"));
}

/// The mode of an item's capacity growth, % a year.
fn modal_rate(item: &pledge::data::Item) -> f64 {
    item.capacity_growth_pct.mode()
}

#[test]
fn capacity_csv_does_not_depend_on_threads() {
    let dir = tempfile::tempdir().unwrap();
    run_hague(dir.path(), "one", &["--threads", "1", "--no-report"]);
    run_hague(dir.path(), "three", &["--threads", "3", "--no-report"]);
    let one = std::fs::read(dir.path().join("one/capacity.csv")).unwrap();
    let three = std::fs::read(dir.path().join("three/capacity.csv")).unwrap();
    assert!(one == three, "capacity.csv differs between 1 and 3 threads");
}

/// One ally whose GDP does not grow, spending a constant 2% of it; one item bought by it, 150
/// a year in the base year at 0.2 musd each, on a line of capacity 100 that does not grow;
/// prices flat.
const FLAT_ALLIES: &str = "iso3,name,eu,region,gdp_usd_bn,defence_pct_gdp,equipment_pct,growth_mean_pct,growth_sd_pct\n\
AAA,Aland,1,europe,100,2,20,0,0\n";
const FLAT_ITEMS: &str = "id,label,category,buyers,base_demand,unit_cost_musd,cost_sigma,capacity,capacity_growth_min_pct,capacity_growth_mode_pct,capacity_growth_max_pct,lead_years\n\
widget,Widgets,land,AAA,150,0.2,0,100,0,0,0,1\n";

#[test]
fn flat_demand_on_a_line_that_does_not_grow_is_n_times_demand_over_capacity() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("allies.csv"), FLAT_ALLIES).unwrap();
    std::fs::write(dir.path().join("items.csv"), FLAT_ITEMS).unwrap();
    std::fs::write(
        dir.path().join("flat.toml"),
        "schema_version = 1\nhorizon = 2035\nruns = 64\n\
         [data]\nallies = \"allies.csv\"\nitems = \"items.csv\"\nplans = \"none\"\n\
         [[goal]]\nid = \"hold\"\nlabel = \"Hold 2%\"\ncore_pct = 2\n\
         [compliance]\nlag_years = 0\nattainment = 1\ndrift_pp = 0\n\
         [inflation]\nmean = 0\nsd = 0\n",
    )
    .unwrap();
    pledge(dir.path())
        .args(["run", "flat.toml", "--quiet", "--no-report", "--out", "o"])
        .assert()
        .success();
    let rows = capacity_rows(&dir.path().join("o/capacity.csv"));
    // Demand is 150 in every year, so n = 10 years (2026-2035) at 150 over 100.
    for r in rows
        .iter()
        .filter(|r| r.measure == "capacity_needed_units_per_year")
    {
        assert!((number(&r.value) - 150.0).abs() < 1e-9, "{r:?}");
    }
    // Nothing is uncertain, so every run is the plan, and so are P50 and P90.
    for basis in ["plan", "p50", "p90"] {
        let years = number(&scalar(&rows, "hold", "widget", basis, "years_of_production").value);
        assert!(
            (years - 10.0 * 150.0 / 100.0).abs() < 1e-9,
            "{basis}: {years}"
        );
    }
    // Capacity stays at 100; growth cannot help at the modal rate of 0%; 150 over 100 one
    // year after T0 = 2026 asks 50% a year, set by 2027; 2026 is short by 50 before any
    // growth can arrive.
    assert!(
        rows.iter()
            .filter(|r| r.measure == "capacity_plan_units_per_year")
            .all(|r| r.value == "100")
    );
    let start = scalar(&rows, "hold", "widget", "plan", "latest_start_year");
    assert_eq!(
        (start.value.as_str(), start.note.as_str()),
        ("", "not_at_modal_rate")
    );
    let growth = number(&scalar(&rows, "hold", "widget", "plan", "growth_needed_pct").value);
    assert!((growth - 50.0).abs() < 1e-9, "{growth}");
    assert_eq!(
        scalar(&rows, "hold", "widget", "plan", "growth_binding_year").value,
        "2027"
    );
    let short: Vec<(Option<i32>, f64)> = rows
        .iter()
        .filter(|r| r.basis == "plan" && r.measure == "short_before_expansion_units_per_year")
        .map(|r| (r.year, number(&r.value)))
        .collect();
    assert_eq!(short.len(), 1);
    assert_eq!(short[0].0, Some(2026));
    assert!((short[0].1 - 50.0).abs() < 1e-9);
}
