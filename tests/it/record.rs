//! NATO's record on the command line: `pledge data import-nato` reproduces the builtin
//! history from NATO's own workbook, and `pledge backtest` writes its files, reads a
//! compliance file back, and refuses bad input with exit code 2 and nothing written.

use crate::common::{files_below, pledge, root};
use pledge::data::{builtin, history_to_csv, nato};
use rust_xlsxwriter::Workbook;
use std::path::{Path, PathBuf};

fn workbook() -> PathBuf {
    root().join("src/data/builtin/nato/def-exp-2024-TABLES-en.xlsx")
}

#[test]
fn the_builtin_history_is_what_nato_s_workbook_gives() {
    let bytes = std::fs::read(workbook()).unwrap();
    let import = nato::import_nato("tables.xlsx", bytes).unwrap();
    assert_eq!(
        std::str::from_utf8(&history_to_csv(&import.history)).unwrap(),
        builtin::HISTORY_CSV
    );
    assert_eq!(
        import.edition,
        "Defence Expenditure of NATO Countries (2014-2024); estimates: 2023, 2024"
    );
    // Defence spending and GDP at current and constant prices, 11 years each: the allies
    // that were members in each year add up to NATO's total.
    assert_eq!(import.checks.len(), 3 * 11);
    for check in &import.checks {
        assert!(check.relative_difference() < 1e-12, "{check:?}");
    }
    let usa_2024 = import
        .history
        .iter()
        .find(|r| r.iso3 == "USA" && r.year == 2024)
        .unwrap();
    assert!(usa_2024.estimate);
}

/// A workbook of NATO's layout with one table, `TABLE2`, whose first ally is `first`.
fn small_workbook(dir: &Path, first: &str) -> PathBuf {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet().set_name("TABLE2").unwrap();
    sheet
        .write_string(3, 1, "Table 2 : Defence expenditure")
        .unwrap();
    for (k, year) in ["2014", "2015e"].iter().enumerate() {
        sheet.write_string(7, 3 + k as u16, *year).unwrap();
    }
    sheet
        .write_string(9, 1, "Current prices and exchange rates")
        .unwrap();
    for (row, (name, value)) in [(first, 10.0), ("Belgium", 20.0)].iter().enumerate() {
        sheet.write_string(10 + row as u32, 2, *name).unwrap();
        sheet.write_number(10 + row as u32, 3, *value).unwrap();
        sheet.write_number(10 + row as u32, 4, *value).unwrap();
    }
    sheet.write_string(12, 1, "NATO Europe and Canada").unwrap();
    sheet.write_string(13, 1, "NATO Total").unwrap();
    sheet.write_number(13, 3, 30.0).unwrap();
    sheet.write_number(13, 4, 30.0).unwrap();
    let path = dir.join("tables.xlsx");
    book.save(&path).unwrap();
    path
}

#[test]
fn a_workbook_of_another_layout_is_refused_at_its_sheet_and_cell() {
    let dir = tempfile::tempdir().unwrap();
    // An ally pledge does not know, in cell C11 of TABLE2.
    let bad = small_workbook(dir.path(), "Freedonia");
    let err = nato::import_nato("t.xlsx", std::fs::read(&bad).unwrap())
        .unwrap_err()
        .to_string();
    assert!(
        err.starts_with("t.xlsx: TABLE2!C11: 'Freedonia' is not an ally pledge knows"),
        "{err}"
    );
    // A workbook with TABLE2 right but no TABLE3.
    let good = small_workbook(dir.path(), "Albania");
    let err = nato::import_nato("t.xlsx", std::fs::read(&good).unwrap())
        .unwrap_err()
        .to_string();
    assert!(err.starts_with("t.xlsx: has no sheet 'TABLE3'"), "{err}");
}

#[test]
fn import_nato_writes_the_history_and_refuses_what_is_not_a_workbook() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("nato");
    let run = pledge(dir.path())
        .args(["data", "import-nato", workbook().to_str().unwrap(), "--out"])
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(0), "{run:?}");
    assert_eq!(
        std::fs::read_to_string(out.join("history.csv")).unwrap(),
        builtin::HISTORY_CSV
    );
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("import.json")).unwrap()).unwrap();
    assert_eq!(json["rows"], 352);
    // Not a workbook: exit 2, a located message, nothing written.
    let text = dir.path().join("notes.xlsx");
    std::fs::write(&text, "not a workbook").unwrap();
    let run = pledge(dir.path())
        .args(["data", "import-nato", "notes.xlsx", "--out", "again"])
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(
        stderr.starts_with("error: notes.xlsx: is not a readable Excel workbook"),
        "{stderr}"
    );
    assert!(!dir.path().join("again").exists());
}

#[test]
fn backtest_writes_its_files_and_a_calibration_reads_back_as_the_same_compliance() {
    let dir = tempfile::tempdir().unwrap();
    let run = pledge(dir.path())
        .args(["backtest", "--calibrate", "--runs", "300", "--out", "bt"])
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(0), "{run:?}");
    let stdout = String::from_utf8_lossy(&run.stdout);
    assert!(stdout.contains("Calibration: 1350 grid points"), "{stdout}");
    assert_eq!(
        files_below(&dir.path().join("bt")),
        [
            ".pledge-manifest",
            "backtest.csv",
            "backtest.html",
            "backtest.json",
            "backtest.png",
            "backtest.svg",
            "backtest_summary.csv",
            "calibration.csv",
            "compliance.toml",
        ]
        .map(PathBuf::from)
    );
    let csv = std::fs::read_to_string(dir.path().join("bt/backtest.csv")).unwrap();
    assert!(csv.starts_with("iso3,year,actual,plan,p10,p50,p90,inside\n"));
    assert_eq!(csv.lines().count(), 1 + 270);
    // The calibration, read back with --compliance FILE: the same numbers to the byte.
    let again = pledge(dir.path())
        .args([
            "backtest",
            "--compliance",
            "bt/compliance.toml",
            "--runs",
            "300",
            "--out",
            "again",
        ])
        .output()
        .unwrap();
    assert_eq!(again.status.code(), Some(0), "{again:?}");
    assert_eq!(
        std::fs::read(dir.path().join("bt/backtest.csv")).unwrap(),
        std::fs::read(dir.path().join("again/backtest.csv")).unwrap()
    );
    // And it is the shipped calibration.
    let toml = std::fs::read_to_string(dir.path().join("bt/compliance.toml")).unwrap();
    assert!(
        toml.contains("lag_years = 0\nattainment = { min = 0.3, mode = 0.6, max = 1 }\ndrift_pp = 0.15\ndrift_correlation = 0.17\n"),
        "{toml}"
    );
}

#[test]
fn backtest_refuses_a_bad_compliance_file_with_its_location() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("c.toml"),
        "[compliance]\nlag_years = { min = 2, mode = 1, max = 3 }\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("none.toml"), "title = \"no compliance\"\n").unwrap();
    for (file, wanted) in [
        (
            "c.toml",
            "error: c.toml:2:13: [compliance] lag_years = { min = 2, mode = 1, max = 3 } is not ordered",
        ),
        ("none.toml", "error: none.toml: has no [compliance] table"),
        ("missing.toml", "error: missing.toml: cannot read"),
    ] {
        let run = pledge(dir.path())
            .args(["backtest", "--compliance", file, "--out", "out"])
            .output()
            .unwrap();
        assert_eq!(run.status.code(), Some(2), "{file}");
        let stderr = String::from_utf8_lossy(&run.stderr);
        assert!(stderr.starts_with(wanted), "{file}: {stderr}");
        assert!(!dir.path().join("out").exists(), "{file}: wrote something");
    }
}
