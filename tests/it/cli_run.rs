//! `pledge run SCENARIO` and the files it writes: `summary.csv` (the tidy header, every goal,
//! year and group, ordered percentiles), `result.json` (what is needed to reproduce the run,
//! the resolved scenario, the Monte Carlo record) and the briefing pack, into `--out` or
//! `out/<stem>`; `--seed` and `--runs` recorded and moving only the Monte Carlo columns; and
//! byte-identical outputs from run to run and from another working folder.
//!
//! Every command runs in a fresh temporary working folder, so nothing is written into the
//! crate, and what is written can be checked by listing that folder.

use crate::common::{
    SUMMARY_HEADER, distinct, files_below, p, read_json, shipped, succeeds, summary_rows, tempdir,
    with_pack,
};
use serde_json::Value;
use std::fs;
use std::path::Path;

#[test]
fn run_writes_summary_and_result_into_out() {
    let dir = tempdir();
    let out = dir.path().join("results");
    let scenario = shipped("hague-2035.toml");
    let stdout = succeeds(
        dir.path(),
        &["run", p(&scenario), "--runs", "200", "--out", p(&out)],
    );

    // Exactly the two files and the briefing pack, nothing else in the working folder.
    assert_eq!(
        files_below(dir.path()),
        with_pack("results/", &["results/result.json", "results/summary.csv"])
    );
    // The terminal summary: title, both headline groups, every goal, the output folder.
    for w in [
        "The Hague 2035",
        "NATO",
        "Europe+Canada",
        "2% (Wales 2014) (reference)",
        "5% core by 2035",
        "over 2% (Wales 2014) in 2026-2035",
        "probability of demand above capacity",
        "Median and [P10 \u{2013} P90] over 200 Monte Carlo runs (seed 2025); the plan is the \
         pledge met in full and on time",
        "Compliance: as on the Wales record 2014-2024 (calibrated; assumed to hold for 2025-2035)",
        " median [P10 ",
        "; plan USD ",
        "backlog 2035: median ",
    ] {
        assert!(stdout.contains(w), "stdout lacks {w:?}:\n{stdout}");
    }
    assert!(
        stdout.ends_with(&format!(
            "Wrote summary.csv, result.json, capacity.csv, sensitivity.csv, report.html, pledge.xlsx, charts/ (42 files) to {}\n",
            out.display()
        )),
        "stdout does not name the output folder:\n{stdout}"
    );

    // summary.csv: the tidy header, every goal and year, numbers in every column.
    let rows = summary_rows(&out.join("summary.csv"));
    assert_eq!(distinct(&rows, 0), ["wales2", "hague35", "core5"]);
    let years: Vec<String> = (2025..=2035).map(|y| y.to_string()).collect();
    assert_eq!(distinct(&rows, 1), years);
    let groups = distinct(&rows, 2);
    for g in [
        "nato",
        "europe_canada",
        "eu",
        "non_eu",
        "europe",
        "north_america",
        "USA",
        "DEU",
    ] {
        assert!(groups.contains(&g.to_string()), "no rows for group {g}");
    }
    for row in &rows {
        // plan, mean, then p5, p10, p25, p50, p75, p90 and p95 in increasing order.
        let numbers: Vec<f64> = row[5..]
            .iter()
            .map(|cell| {
                cell.parse()
                    .unwrap_or_else(|_| panic!("{cell:?} is not a number: {row:?}"))
            })
            .collect();
        assert!(numbers.iter().all(|v| v.is_finite()), "{row:?}");
        assert!(
            numbers[2..].windows(2).all(|w| w[0] <= w[1]),
            "percentiles out of order: {row:?}"
        );
        if row[4] == "shortfall_prob" {
            assert!(numbers.iter().all(|v| (0.0..=1.0).contains(v)), "{row:?}");
        }
    }
    // The Monte Carlo spreads the numbers: NATO core spending in 2035 is uncertain.
    let nato_2035 = rows
        .iter()
        .find(|r| r[0] == "hague35" && r[1] == "2035" && r[2] == "nato" && r[4] == "core_musd")
        .expect("a row for NATO core spending in 2035");
    assert_ne!(nato_2035[7], nato_2035[13], "p5 = p95: {nato_2035:?}");

    // result.json: the metadata needed to reproduce the run.
    let json = read_json(&out.join("result.json"));
    assert_eq!(json["tool"]["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(json["seed"], 2025, "the scenario's seed");
    assert_eq!(json["runs"], 200, "the --runs flag");
    let hash = json["input_hash"].as_str().expect("input_hash is a string");
    assert_eq!(hash.len(), 64, "{hash}");
    assert!(
        hash.chars().all(|c| c.is_ascii_hexdigit()),
        "input_hash is not hex: {hash}"
    );
    let vintage = json["data"]["vintage"]
        .as_str()
        .expect("data.vintage is a string");
    assert!(!vintage.trim().is_empty());
    let goals: Vec<&str> = json["scenario"]["goals"]
        .as_array()
        .expect("scenario.goals is an array")
        .iter()
        .map(|g| g["id"].as_str().unwrap())
        .collect();
    assert_eq!(goals, ["wales2", "hague35", "core5"]);
    // Resolved scenario: defaults filled in (hague35's equipment_pct is not in the file).
    assert_eq!(json["scenario"]["goals"][1]["equipment_pct"], 20.0);
    let alphas = json["alphas"].as_object().expect("alphas is an object");
    assert_eq!(alphas.len(), 8, "one alpha per builtin item: {alphas:?}");
    for (item, alpha) in alphas {
        let a = alpha
            .as_f64()
            .unwrap_or_else(|| panic!("alpha of {item} is not a number"));
        assert!(a > 0.0 && a.is_finite(), "alpha of {item}: {a}");
    }

    // The Monte Carlo record: how the runs were drawn and how precise the headlines are.
    let mc = &json["monte_carlo"];
    assert_eq!(mc["runs"], 200);
    // Runs are drawn in blocks, the unit of shard boundaries (see `block_runs`).
    assert!(
        mc["block_runs"].as_u64().is_some_and(|b| b >= 1),
        "{}",
        mc["block_runs"]
    );
    assert!(
        mc["generator"]
            .as_str()
            .is_some_and(|g| g.contains("Xoshiro256++")),
        "{}",
        mc["generator"]
    );
    assert!(mc["percentiles"].as_str().is_some_and(|t| !t.is_empty()));
    assert!(mc["convergence"].is_null(), "no --runs auto: {mc}");
    let headlines = mc["headline_standard_errors"]
        .as_array()
        .expect("headline_standard_errors is an array");
    assert!(!headlines.is_empty());
    for h in headlines {
        let se = h["standard_error"].as_f64().expect("a standard error");
        assert!(se > 0.0 && se.is_finite(), "{h}");
        assert!(
            h["p50"].as_f64().unwrap() <= h["p90"].as_f64().unwrap(),
            "{h}"
        );
        assert!(["wales2", "hague35", "core5"].contains(&h["goal"].as_str().unwrap()));
    }
    // result.json rows hold the same 14 columns as summary.csv.
    assert_eq!(
        json["columns"],
        Value::from(SUMMARY_HEADER.split(',').collect::<Vec<_>>())
    );
    assert_eq!(json["rows"].as_array().map(Vec::len), Some(rows.len()));
}

#[test]
fn run_without_out_writes_into_out_slash_stem() {
    let dir = tempdir();
    fs::copy(shipped("hague-2035.toml"), dir.path().join("my-study.toml")).unwrap();
    let stdout = succeeds(dir.path(), &["run", "my-study.toml", "--runs", "20"]);
    assert_eq!(
        files_below(dir.path()),
        with_pack(
            "out/my-study/",
            &[
                "my-study.toml",
                "out/my-study/result.json",
                "out/my-study/summary.csv",
            ]
        )
    );
    let folder = Path::new("out").join("my-study");
    assert!(
        stdout.contains(&format!("to {}\n", folder.display())),
        "stdout does not name {}:\n{stdout}",
        folder.display()
    );
    summary_rows(&dir.path().join("out/my-study/summary.csv"));
}

#[test]
fn run_records_seed_and_runs_flags() {
    let dir = tempdir();
    // The shipped scenario with fewer runs in the file, so that a run without --runs is quick.
    let shipped_text = fs::read_to_string(shipped("hague-2035.toml")).unwrap();
    assert_eq!(shipped_text.matches("\nruns = 10000\n").count(), 1);
    let scenario = dir.path().join("hague.toml");
    fs::write(
        &scenario,
        shipped_text.replace("\nruns = 10000\n", "\nruns = 96\n"),
    )
    .unwrap();
    succeeds(
        dir.path(),
        &[
            "run",
            p(&scenario),
            "--seed",
            "5",
            "--runs",
            "50",
            "--out",
            "o",
        ],
    );
    let json = read_json(&dir.path().join("o/result.json"));
    assert_eq!(json["seed"], 5);
    assert_eq!(json["runs"], 50);
    assert_eq!(json["scenario"]["seed"], 5);
    assert_eq!(json["scenario"]["runs"], 50);
    assert_eq!(json["monte_carlo"]["runs"], 50);

    // Without the flags, the file's values (seed 2025, 96 runs), and the same input hash:
    // seed and runs are recorded beside the hash, not in it.
    succeeds(dir.path(), &["run", p(&scenario), "--out", "plain"]);
    let plain = read_json(&dir.path().join("plain/result.json"));
    assert_eq!(plain["seed"], 2025);
    assert_eq!(plain["runs"], 96);
    assert_eq!(plain["monte_carlo"]["runs"], 96);
    assert_eq!(plain["input_hash"], json["input_hash"]);

    // Another seed moves the Monte Carlo columns and nothing else.
    succeeds(
        dir.path(),
        &["run", p(&scenario), "--seed", "5", "--out", "seed5"],
    );
    let plain_rows = summary_rows(&dir.path().join("plain/summary.csv"));
    let seed5_rows = summary_rows(&dir.path().join("seed5/summary.csv"));
    assert_eq!(plain_rows.len(), seed5_rows.len());
    for (a, b) in plain_rows.iter().zip(&seed5_rows) {
        assert_eq!(a[..6], b[..6], "keys and plan do not depend on the seed");
    }
    assert!(
        plain_rows
            .iter()
            .zip(&seed5_rows)
            .any(|(a, b)| a[6..] != b[6..]),
        "--seed 5 gives the same Monte Carlo columns as seed 2025"
    );
}

#[test]
fn runs_are_byte_identical() {
    let dir = tempdir();
    // A scenario with its own group and item, overrides, and every source of uncertainty.
    let scenario = shipped("nordic-baltic.toml");
    for out in ["first", "second"] {
        succeeds(
            dir.path(),
            &["run", p(&scenario), "--runs", "100", "--out", out],
        );
    }
    // And once more from another working folder, through a relative path.
    let copy = dir.path().join("copy");
    fs::create_dir(&copy).unwrap();
    fs::copy(&scenario, copy.join("nordic-baltic.toml")).unwrap();
    succeeds(
        &copy,
        &[
            "run",
            "nordic-baltic.toml",
            "--runs",
            "100",
            "--out",
            "third",
        ],
    );
    for file in ["summary.csv", "result.json"] {
        let first = fs::read(dir.path().join("first").join(file)).unwrap();
        assert!(!first.is_empty());
        assert_eq!(
            first,
            fs::read(dir.path().join("second").join(file)).unwrap(),
            "{file}"
        );
        assert_eq!(
            first,
            fs::read(copy.join("third").join(file)).unwrap(),
            "{file}"
        );
    }
}
