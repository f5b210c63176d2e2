//! `pledge.xlsx`, read back with calamine: its sheets hold exactly what `summary.csv` and
//! `result.json` hold.
//!
//! Numbers are compared bit for bit, not within a tolerance: the workbook must carry the very
//! `f64` that `summary.csv` prints, and the chart table the same value divided by 1000.

use crate::common::{pledge, root};
use calamine::{Data, Range, Reader, Xlsx};
use pledge::report::xlsx::{
    ALLIES_SHEET, ASSUMPTIONS_SHEET, CAPACITY_SHEET, FAN_SHEET, HEADLINE_SHEET, ITEMS_SHEET,
    PER_ALLY_SHEET, SENSITIVITY_SHEET, SOURCES_SHEET, SUMMARY_SHEET,
};
use pledge::results::Results;
use std::io::Cursor;
use std::path::Path;

/// A Hague 2035 run of 300 Monte Carlo runs in a temporary folder.
struct Run {
    dir: tempfile::TempDir,
}

impl Run {
    fn hague() -> Run {
        let dir = tempfile::tempdir().unwrap();
        pledge(dir.path())
            .arg("run")
            .arg(root().join("scenarios/hague-2035.toml"))
            .args(["--runs", "300", "--quiet", "--out", "."])
            .assert()
            .success();
        Run { dir }
    }

    fn path(&self, name: &str) -> std::path::PathBuf {
        self.dir.path().join(name)
    }

    fn workbook(&self) -> Xlsx<Cursor<Vec<u8>>> {
        open(&std::fs::read(self.path("pledge.xlsx")).unwrap())
    }

    fn results(&self) -> Results {
        let bytes = std::fs::read(self.path("result.json")).unwrap();
        Results::from_json("result.json", &bytes).unwrap()
    }

    /// `summary.csv`: header and records.
    fn summary_csv(&self) -> (Vec<String>, Vec<csv::StringRecord>) {
        read_csv(&self.path("summary.csv"))
    }
}

fn open(bytes: &[u8]) -> Xlsx<Cursor<Vec<u8>>> {
    Xlsx::new(Cursor::new(bytes.to_vec())).expect("pledge.xlsx opens")
}

fn read_csv(path: &Path) -> (Vec<String>, Vec<csv::StringRecord>) {
    let mut reader = csv::Reader::from_path(path).unwrap();
    let header = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_string)
        .collect();
    let records = reader.records().map(Result::unwrap).collect();
    (header, records)
}

fn sheet(book: &mut Xlsx<Cursor<Vec<u8>>>, name: &str) -> Range<Data> {
    book.worksheet_range(name)
        .unwrap_or_else(|e| panic!("sheet '{name}': {e}"))
}

fn text(cell: &Data) -> String {
    match cell {
        Data::String(s) => s.clone(),
        Data::Empty => String::new(),
        other => panic!("expected text, found {other:?}"),
    }
}

fn number(cell: &Data) -> f64 {
    match cell {
        Data::Float(v) => *v,
        Data::Int(v) => *v as f64,
        other => panic!("expected a number, found {other:?}"),
    }
}

/// The same `f64`, bit for bit (so `-0.0` and `0.0` differ, as they would in the CSV text).
fn assert_same(actual: f64, expected: f64, what: &str) {
    assert_eq!(
        actual.to_bits(),
        expected.to_bits(),
        "{what}: workbook {actual:?}, expected {expected:?}"
    );
}

fn header(range: &Range<Data>) -> Vec<String> {
    range.rows().next().unwrap().iter().map(text).collect()
}

/// Every cell of every row as text (numbers in Rust's shortest form).
fn all_text(range: &Range<Data>) -> String {
    range
        .rows()
        .flat_map(|row| row.iter())
        .map(|cell| match cell {
            Data::Float(v) => v.to_string(),
            other => other.to_string(),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn workbook_has_the_ten_sheets_in_order() {
    let run = Run::hague();
    let book = run.workbook();
    assert_eq!(
        book.sheet_names(),
        [
            HEADLINE_SHEET,
            PER_ALLY_SHEET,
            SUMMARY_SHEET,
            ALLIES_SHEET,
            ITEMS_SHEET,
            ASSUMPTIONS_SHEET,
            SOURCES_SHEET,
            FAN_SHEET,
            SENSITIVITY_SHEET,
            CAPACITY_SHEET
        ]
    );
    assert_eq!(HEADLINE_SHEET, "Headline");
    assert_eq!(SUMMARY_SHEET, "Summary");
    assert_eq!(FAN_SHEET, "Spending fan");
    // The chart is a native Excel chart: its part is in the zip (names are stored uncompressed).
    let bytes = std::fs::read(run.path("pledge.xlsx")).unwrap();
    let has = |name: &[u8]| bytes.windows(name.len()).any(|w| w == name);
    assert!(has(b"xl/charts/chart1.xml"), "no chart in pledge.xlsx");
    assert!(
        has(b"xl/drawings/drawing1.xml"),
        "no drawing in pledge.xlsx"
    );
}

#[test]
fn summary_sheet_is_summary_csv_cell_for_cell() {
    let run = Run::hague();
    let (csv_header, records) = run.summary_csv();
    let mut book = run.workbook();
    let summary = sheet(&mut book, SUMMARY_SHEET);
    assert_eq!(header(&summary), csv_header);
    assert_eq!(
        summary.height(),
        records.len() + 1,
        "header plus one row a CSV row"
    );
    assert!(
        records.len() > 10_000,
        "the Hague summary has {} rows",
        records.len()
    );
    for (i, (row, record)) in summary.rows().skip(1).zip(&records).enumerate() {
        let line = i + 2;
        assert_eq!(row.len(), csv_header.len(), "row {line}");
        for (col, (cell, expected)) in row.iter().zip(record.iter()).enumerate() {
            let what = format!("row {line}, {}", csv_header[col]);
            match col {
                // goal, group, item, metric: text, item empty for group rows
                0 | 2..=4 => assert_eq!(text(cell), expected, "{what}"),
                _ if expected.is_empty() => assert_eq!(cell, &Data::Empty, "{what}"),
                _ => assert_same(number(cell), expected.parse().unwrap(), &what),
            }
        }
    }
}

#[test]
fn allies_and_items_sheets_list_the_dataset() {
    let run = Run::hague();
    let results = run.results();
    let mut book = run.workbook();

    let allies = sheet(&mut book, ALLIES_SHEET);
    assert_eq!(header(&allies), pledge::data::ALLY_COLUMNS);
    let codes: Vec<String> = allies.rows().skip(1).map(|r| text(&r[0])).collect();
    assert_eq!(codes.len(), 32);
    let expected: Vec<&str> = results
        .scenario
        .data
        .allies
        .iter()
        .map(|a| a.iso3.as_str())
        .collect();
    assert_eq!(codes, expected);
    for code in ["USA", "DEU", "FRA", "GBR", "POL", "TUR", "ISL", "CAN"] {
        assert!(codes.iter().any(|c| c == code), "{code} missing");
    }
    let column = |name: &str| header(&allies).iter().position(|h| h == name).unwrap();
    for (row, ally) in allies.rows().skip(1).zip(&results.scenario.data.allies) {
        assert_same(
            number(&row[column("gdp_usd_bn")]),
            ally.gdp_usd_bn,
            &ally.iso3,
        );
        assert_same(
            number(&row[column("defence_pct_gdp")]),
            ally.defence_pct_gdp,
            &ally.iso3,
        );
        assert_eq!(row[column("eu")], Data::Bool(ally.eu), "{}", ally.iso3);
        assert_eq!(text(&row[column("source")]), ally.source);
        assert!(!ally.source.is_empty());
    }

    let items = sheet(&mut book, ITEMS_SHEET);
    let item_header = header(&items);
    for column in pledge::data::ITEM_COLUMNS {
        assert!(
            item_header.iter().any(|h| h == column),
            "Items lacks {column}"
        );
    }
    let at = |name: &str| item_header.iter().position(|h| h == name).unwrap();
    assert_eq!(items.height(), 1 + 8);
    for (row, item) in items.rows().skip(1).zip(&results.scenario.items) {
        assert_eq!(text(&row[at("id")]), item.id);
        assert_eq!(text(&row[at("source")]), item.source);
        assert_eq!(text(&row[at("notes")]), item.notes);
        assert_same(
            number(&row[at("unit_cost_musd")]),
            item.unit_cost_musd,
            &item.id,
        );
        let alpha = results.alphas[&item.id];
        assert_same(number(&row[at("alpha_used")]), alpha, &item.id);
    }
}

#[test]
fn sources_and_assumptions_record_how_to_reproduce_the_run() {
    let run = Run::hague();
    let results = run.results();
    let mut book = run.workbook();

    let sources = sheet(&mut book, SOURCES_SHEET);
    let all = all_text(&sources);
    assert_eq!(results.seed, 2025);
    for needle in [
        results.input_hash.as_str(),
        "2025",
        "300",
        results.tool_version(),
        results.generator(),
        results.scenario.data.allies_provenance.sha256.as_str(),
        results.scenario.data.items_provenance.sha256.as_str(),
        results.command().as_str(),
    ] {
        assert!(!needle.is_empty());
        assert!(all.contains(needle), "Sources lacks {needle:?}");
    }
    let seed_row = sources
        .rows()
        .find(|r| text(&r[1]) == "seed")
        .expect("a seed row");
    assert_eq!(number(&seed_row[2]), 2025.0);
    for ally in &results.scenario.data.allies {
        assert!(
            all.contains(&ally.source),
            "Sources lacks {}'s source",
            ally.iso3
        );
    }
    for item in &results.scenario.items {
        assert!(
            all.contains(&item.source),
            "Sources lacks {}'s source",
            item.id
        );
    }

    let assumptions = sheet(&mut book, ASSUMPTIONS_SHEET);
    assert_eq!(
        header(&assumptions),
        [
            "section",
            "parameter",
            "value",
            "min",
            "mode",
            "max",
            "sd",
            "distribution",
            "unit"
        ]
    );
    let find = |section: &str, parameter: &str| {
        assumptions
            .rows()
            .find(|r| text(&r[0]) == section && text(&r[1]).starts_with(parameter))
            .unwrap_or_else(|| panic!("no {section} / {parameter}"))
            .to_vec()
    };
    let attainment = find("compliance", "attainment");
    assert_eq!(
        [3, 4, 5].map(|c| number(&attainment[c])),
        [0.3, 0.6, 1.0],
        "attainment min, mode, max"
    );
    assert!(text(&attainment[7]).starts_with("triangular"));
    // The plan meets the pledge in full and on time, whatever the distributions' modes.
    assert_eq!(number(&attainment[2]), 1.0, "the plan's attainment");
    assert_eq!(
        number(&find("compliance", "lag_years")[2]),
        0.0,
        "the plan's lag"
    );
    let inflation = find("inflation", "defence cost inflation");
    assert_eq!((number(&inflation[2]), number(&inflation[6])), (1.0, 1.0));
    assert_eq!(number(&find("goal hague35", "core_pct")[2]), 3.5);
    assert_eq!(number(&find("goal hague35", "related_pct")[2]), 1.5);
    assert_eq!(number(&find("mix", "air share")[2]), 0.30);
    assert_eq!(number(&find("mix", "concentration")[2]), 200.0);
    assert_eq!(number(&find("run", "horizon")[2]), 2035.0);
    assert_eq!(number(&find("run", "Monte Carlo runs")[2]), 300.0);
    let growth = find("item shell155_eu", "capacity growth");
    assert_eq!([3, 4, 5].map(|c| number(&growth[c])), [0.0, 10.0, 25.0]);
    assert_eq!(number(&find("item shell155_eu", "unit cost")[6]), 0.3);
}

#[test]
fn spending_fan_table_is_nato_core_spending_from_summary_csv_in_usd_bn() {
    let run = Run::hague();
    let results = run.results();
    let (csv_header, records) = run.summary_csv();
    let col = |name: &str| csv_header.iter().position(|h| h == name).unwrap();
    let mut book = run.workbook();
    let fan = sheet(&mut book, FAN_SHEET);

    let goals = results.goals();
    let mut expected_header = vec!["year".to_string()];
    for goal in goals {
        for value in [
            "median",
            "P10",
            "P90",
            "plan, pledge met in full and on time",
        ] {
            expected_header.push(format!("{}: {value} (USD bn)", goal.label));
        }
    }
    assert_eq!(header(&fan), expected_header);
    let years: Vec<i32> = results.years().collect();
    assert_eq!(fan.height(), 1 + years.len());
    let mut compared = 0;
    for (row, year) in fan.rows().skip(1).zip(&years) {
        assert_eq!(number(&row[0]), f64::from(*year));
        for (g, goal) in goals.iter().enumerate() {
            let record = records
                .iter()
                .find(|r| {
                    r[col("goal")] == goal.id
                        && r[col("year")] == year.to_string()
                        && r[col("group")] == *"nato"
                        && r[col("item")].is_empty()
                        && r[col("metric")] == *"core_musd"
                })
                .unwrap_or_else(|| panic!("summary.csv has no nato core_musd {} {year}", goal.id));
            for (k, source) in ["p50", "p10", "p90", "plan"].into_iter().enumerate() {
                let musd: f64 = record[col(source)].parse().unwrap();
                let what = format!("{} {year} {source}", goal.id);
                assert_same(number(&row[1 + 4 * g + k]), musd / 1000.0, &what);
                compared += 1;
            }
        }
    }
    assert_eq!(compared, years.len() * goals.len() * 4);
}

#[test]
fn workbook_is_the_same_bytes_when_rebuilt_and_without_statistics_drops_the_bands() {
    let run = Run::hague();
    let mut results = run.results();
    let written = std::fs::read(run.path("pledge.xlsx")).unwrap();
    // The sensitivity is computed again from the results, as `pledge report` does.
    let sensitivity =
        pledge::results::Sensitivity::compute(&results, &pledge::stop::StopFlag::new()).unwrap();
    assert!(sensitivity.is_some());
    let usd = pledge::report::Currency::Usd;
    let rebuilt = pledge::report::xlsx::workbook(&results, sensitivity.as_ref(), usd).unwrap();
    assert!(written == rebuilt, "pledge.xlsx is not reproducible");

    // The plan only: empty statistics cells, plan columns only on the fan sheet.
    for row in &mut results.rows {
        row.stats = None;
    }
    results.monte_carlo = None;
    assert!(!results.has_statistics());
    let mut book = open(&pledge::report::xlsx::workbook(&results, None, usd).unwrap());
    let summary = sheet(&mut book, SUMMARY_SHEET);
    assert_eq!(summary.height(), results.rows.len() + 1);
    for row in summary.rows().skip(1).take(500) {
        assert!(matches!(row[5], Data::Float(_)), "plan is a number");
        assert!(row[6..].iter().all(|c| *c == Data::Empty), "no statistics");
    }
    let fan = sheet(&mut book, FAN_SHEET);
    assert_eq!(fan.width(), 1 + results.goals().len());
    assert!(header(&fan)[1].ends_with(": plan, pledge met in full and on time (USD bn)"));
}

#[test]
fn headline_sheet_leads_with_the_median_and_gives_the_plan_its_own_column() {
    let run = Run::hague();
    let results = run.results();
    let (csv_header, records) = run.summary_csv();
    let col = |name: &str| csv_header.iter().position(|h| h == name).unwrap();
    let mut book = run.workbook();
    let sheet = sheet(&mut book, HEADLINE_SHEET);
    let rows: Vec<&[Data]> = sheet.rows().collect();
    let cell_text = |r: &[Data], c: usize| match r.get(c) {
        Some(Data::String(s)) => s.clone(),
        _ => String::new(),
    };
    // What the numbers are, and the compliance assumption, above the table.
    assert!(
        cell_text(rows[1], 0).starts_with("Median and P10 to P90 of 300 Monte Carlo runs"),
        "{:?}",
        rows[1]
    );
    assert!(cell_text(rows[1], 0).contains("Plan: pledge met in full and on time"));
    assert_eq!(
        cell_text(rows[2], 0),
        "Compliance assumed: as on the Wales record 2014-2024 (calibrated; assumed to hold for \
         2025-2035): allies reach a goal on time and make triangular 0.3-0.6-1 (min-mode-max) \
         of the step to it, drawn per ally; shares drift 0.15 pp of GDP a year (correlation \
         0.17 across allies); announced capacity plans deliver triangular 0.3-0.6-1 \
         (min-mode-max) of each increase."
    );
    let header: Vec<String> = rows[4].iter().map(text).collect();
    assert_eq!(header[0], "Goal");
    assert_eq!(header[2], "Core spending 2035, median (USD bn)");
    assert_eq!(
        header[6],
        "Plan: pledge met in full and on time: core spending 2035 (USD bn)"
    );
    // Every heading states its unit.
    for h in &header[2..] {
        assert!(h.contains("(USD bn)") || h.contains("(% of GDP)"), "{h}");
    }
    let goals = results.goals();
    let mut checked = 0;
    for row in &rows[5..5 + 2 * goals.len()] {
        let label = text(&row[0]);
        let goal = goals
            .iter()
            .find(|g| g.label == label)
            .unwrap_or_else(|| panic!("a goal by label: {label}"));
        let group = match text(&row[1]).as_str() {
            "NATO" => "nato",
            "Europe+Canada" => "europe_canada",
            other => panic!("group {other}"),
        };
        let value = |metric: &str, column: &str| -> Option<f64> {
            records
                .iter()
                .find(|r| {
                    r[col("goal")] == goal.id
                        && r[col("year")] == *"2035"
                        && r[col("group")] == *group
                        && r[col("metric")] == *metric
                })
                .map(|r| r[col(column)].parse().unwrap())
        };
        let bn = |v: f64| v / 1000.0;
        let core_median = value("core_musd", "p50").unwrap();
        assert_same(number(&row[2]), bn(core_median), "core median");
        assert_same(
            number(&row[3]),
            bn(value("core_musd", "p10").unwrap()),
            "core p10",
        );
        assert_same(
            number(&row[4]),
            bn(value("core_musd", "p90").unwrap()),
            "core p90",
        );
        assert_same(
            number(&row[5]),
            value("core_pct_gdp", "p50").unwrap(),
            "pct median",
        );
        assert_same(
            number(&row[6]),
            bn(value("core_musd", "plan").unwrap()),
            "core plan",
        );
        assert_same(
            number(&row[7]),
            value("core_pct_gdp", "plan").unwrap(),
            "pct plan",
        );
        match value("cum_delta_core_musd", "p50") {
            Some(median) => {
                assert_same(number(&row[8]), bn(median), "extra median");
                assert_same(
                    number(&row[11]),
                    bn(value("cum_delta_core_musd", "plan").unwrap()),
                    "extra plan",
                );
            }
            None => assert!(row.get(8).is_none_or(|c| *c == Data::Empty), "reference"),
        }
        checked += 1;
    }
    assert_eq!(checked, 2 * goals.len());
    // The risk list names lines by label, never by id.
    let all = all_text(&sheet);
    assert!(
        all.contains("Peak probability of demand above capacity"),
        "{all}"
    );
    for item in &results.scenario.items {
        assert!(!all.contains(&item.id), "{} by id", item.id);
    }
}
