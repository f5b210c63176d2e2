//! The `pledge` binary as a user runs it: help and version, `run`, `compare`, `validate` and
//! `data`, their output files, and every class of bad input. Bad input must exit with code 2,
//! print one `error: ` message that says where (file:line:column), which key, and what is
//! allowed, never panic, and write nothing.
//!
//! Every command runs in a fresh temporary working folder, so nothing is written into the
//! crate, and "nothing written" can be checked by listing that folder.

use crate::common::{files_below, pledge, root};
use serde_json::Value;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Output;
use tempfile::TempDir;

/// The header of `summary.csv` (MODEL.md section 7).
const SUMMARY_HEADER: &str = "goal,year,group,item,metric,central,mean,p5,p10,p25,p50,p75,p90,p95";
/// The header of `pledge data allies --format csv`.
const ALLIES_HEADER: &str = "iso3,name,eu,region,gdp_usd_bn,defence_pct_gdp,equipment_pct,\
growth_mean_pct,growth_sd_pct,equipment_basis,source";
/// The header of `pledge data items --format csv`.
const ITEMS_HEADER: &str = "id,label,category,buyers,base_utilization,alpha,unit_cost_musd,\
cost_sigma,capacity,capacity_growth_min_pct,capacity_growth_mode_pct,capacity_growth_max_pct,\
lead_years,source,notes";

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

/// A shipped scenario, by absolute path.
fn shipped(name: &str) -> PathBuf {
    root().join("scenarios").join(name)
}

fn tempdir() -> TempDir {
    tempfile::tempdir().unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).expect("pledge writes UTF-8")
}

/// Runs `pledge args..` in `dir` and returns its output, whatever the exit code.
fn output(dir: &Path, args: &[&str]) -> Output {
    pledge(dir).args(args).output().unwrap()
}

/// Runs `pledge args..` in `dir`, expects exit 0 and an empty stderr, and returns stdout.
#[track_caller]
fn succeeds(dir: &Path, args: &[&str]) -> String {
    let out = output(dir, args);
    let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
    assert_eq!(
        out.status.code(),
        Some(0),
        "pledge {args:?} failed\nstdout:\n{stdout}\nstderr:\n{stderr}"
    );
    assert_eq!(stderr, "", "pledge {args:?} wrote to stderr");
    stdout
}

fn p(path: &Path) -> &str {
    path.to_str().expect("temporary paths are UTF-8")
}

fn paths(names: &[&str]) -> Vec<PathBuf> {
    names.iter().map(PathBuf::from).collect()
}

fn read_json(path: &Path) -> Value {
    serde_json::from_slice(&fs::read(path).unwrap())
        .unwrap_or_else(|e| panic!("{} is not JSON: {e}", path.display()))
}

/// The rows of a `summary.csv` below its header, split into cells (ids, groups and metrics
/// never contain commas).
fn summary_rows(path: &Path) -> Vec<Vec<String>> {
    let content = fs::read_to_string(path).unwrap();
    let mut lines = content.lines();
    assert_eq!(lines.next(), Some(SUMMARY_HEADER), "{}", path.display());
    let rows: Vec<Vec<String>> = lines
        .map(|l| l.split(',').map(str::to_string).collect())
        .collect();
    assert!(!rows.is_empty(), "{} has no rows", path.display());
    for row in &rows {
        assert_eq!(row.len(), 14, "{}: {row:?}", path.display());
    }
    rows
}

/// The distinct values of column `index` of a `summary.csv`, in first-seen order.
fn distinct(rows: &[Vec<String>], index: usize) -> Vec<String> {
    let mut seen: Vec<String> = Vec::new();
    for row in rows {
        if !seen.contains(&row[index]) {
            seen.push(row[index].clone());
        }
    }
    seen
}

/// The records of a CSV text, header first.
fn csv_records(content: &str) -> Vec<csv::StringRecord> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(content.as_bytes());
    reader.records().map(|r| r.unwrap()).collect()
}

/// A scenario with two goals on the builtin data, optionally with extra top-level lines.
fn two_goals(before_goals: &str) -> String {
    format!(
        "schema_version = 1\nruns = 20\nseed = 3\n{before_goals}\n\
         [[goal]]\nid = \"wales2\"\nlabel = \"2%\"\ncore_pct = 2\n\n\
         [[goal]]\nid = \"hague\"\nlabel = \"Hague\"\ncore_pct = 3.5\nrelated_pct = 1.5\n"
    )
}

/// Checks a command that must fail on bad input: exit 2, a single `error: ` report on stderr
/// containing every `wanted` fragment, no panic, nothing on stdout, and no file in `dir` other
/// than `inputs`. Returns stderr.
#[track_caller]
fn assert_rejected(dir: &Path, inputs: &[PathBuf], args: &[&str], wanted: &[&str]) -> String {
    let out = output(dir, args);
    let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
    assert_eq!(
        out.status.code(),
        Some(2),
        "pledge {args:?}: expected exit 2\nstdout:\n{stdout}\nstderr:\n{stderr}"
    );
    assert!(
        stderr.starts_with("error: "),
        "pledge {args:?}: stderr does not start with 'error: ':\n{stderr}"
    );
    assert_eq!(
        stderr.matches("error: ").count(),
        1,
        "pledge {args:?}: expected one error:\n{stderr}"
    );
    assert!(
        !stderr.contains("panicked"),
        "pledge {args:?} panicked:\n{stderr}"
    );
    for w in wanted {
        assert!(
            stderr.contains(w),
            "pledge {args:?}: expected {w:?} in stderr:\n{stderr}"
        );
    }
    assert_eq!(stdout, "", "pledge {args:?}: nothing on stdout on failure");
    assert!(
        !dir.join("out").exists(),
        "pledge {args:?} created an output folder"
    );
    assert_eq!(
        files_below(dir),
        inputs,
        "pledge {args:?} wrote files on bad input"
    );
    stderr
}

/// Writes `files` into a fresh folder and checks that both `pledge run SCENARIO --out out` and
/// `pledge validate SCENARIO` reject `scenario` with the same one-line message, which must
/// start with `error: {location}: ` and contain every `wanted` fragment. Returns the message.
#[track_caller]
fn rejects_files(
    files: &[(&str, &[u8])],
    scenario: &str,
    location: &str,
    wanted: &[&str],
) -> String {
    let dir = tempdir();
    let mut inputs = Vec::new();
    for (name, bytes) in files {
        let path = dir.path().join(name);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(&path, bytes).unwrap();
        inputs.push(PathBuf::from(name));
    }
    inputs.sort();
    let stderr = assert_rejected(
        dir.path(),
        &inputs,
        &["run", scenario, "--out", "out"],
        wanted,
    );
    let prefix = format!("error: {location}: ");
    assert!(
        stderr.starts_with(&prefix),
        "expected the message to start with {prefix:?}:\n{stderr}"
    );
    assert_eq!(
        stderr.lines().count(),
        1,
        "expected a one-line message:\n{stderr}"
    );
    let validated = assert_rejected(dir.path(), &inputs, &["validate", scenario], wanted);
    assert_eq!(validated, stderr, "validate and run report the same error");
    stderr
}

/// [`rejects_files`] for a single scenario file `bad.toml`.
#[track_caller]
fn rejects(scenario: impl AsRef<[u8]>, location: &str, wanted: &[&str]) -> String {
    rejects_files(
        &[("bad.toml", scenario.as_ref())],
        "bad.toml",
        location,
        wanted,
    )
}

/// A valid scenario that uses every table, so that each bad-input test changes one line of it
/// and can name the exact line and column of the error. Line numbers are in the comments of
/// the tests; [`edit`] and [`insert`] check that the line they touch is the expected one.
const BASE: &str = r#"schema_version = 1
title = "Probe"
horizon = 2030
runs = 100
seed = 1

[[goal]]
id = "ref"
label = "Reference"
core_pct = 2.0

[[goal]]
id = "high"
label = "High"
core_pct = 3.5
related_pct = 1.5
target_year = 2030
[goal.overrides.ESP]
core_pct = 2.1

[growth]
correlation = 0.5
sd_scale = 1.0

[compliance]
lag_years = { min = 0, mode = 0, max = 3 }
attainment = { min = 0.6, mode = 1.0, max = 1.0 }

[inflation]
mean = 1.0
sd = 1.0

[mix]
land = 0.25
air = 0.30
maritime = 0.15
air_defence = 0.10
munitions = 0.15
other = 0.05
concentration = 200

[[item]]
id = "shell_x"
category = "munitions"
buyers = "europe_canada"
base_utilization = 0.9
unit_cost_musd = 0.005
cost_sigma = 0.25
capacity = 2000000
capacity_growth_pct = { min = 5, mode = 15, max = 30 }
lead_years = 2

[data]
allies = "builtin"
items = "builtin"

[groups]
front = ["EST", "LVA", "LTU"]
"#;

/// [`BASE`] with line `n` (1-based), which must read `old`, replaced by `new`.
#[track_caller]
fn edit(n: usize, old: &str, new: &str) -> String {
    let mut lines: Vec<&str> = BASE.lines().collect();
    assert_eq!(
        lines[n - 1],
        old,
        "BASE line {n} is not what the test expects"
    );
    lines[n - 1] = new;
    lines.join("\n") + "\n"
}

/// [`BASE`] with `new` inserted after line `n`, which must read `after`.
#[track_caller]
fn insert(n: usize, after: &str, new: &str) -> String {
    let mut lines: Vec<&str> = BASE.lines().collect();
    assert_eq!(
        lines[n - 1],
        after,
        "BASE line {n} is not what the test expects"
    );
    lines.insert(n, new);
    lines.join("\n") + "\n"
}

/// The builtin allies as `pledge data allies --format csv` writes them.
fn allies_csv() -> String {
    succeeds(
        &std::env::temp_dir(),
        &["data", "allies", "--format", "csv"],
    )
}

/// A scenario in `study/` reading its allies from `study/{csv}`.
fn scenario_with_allies(csv: &str) -> String {
    two_goals(&format!("[data]\nallies = \"{csv}\"\n"))
}

// ---------------------------------------------------------------------------------------------
// 1. Help and version
// ---------------------------------------------------------------------------------------------

#[test]
fn help_lists_every_subcommand() {
    let dir = tempdir();
    for args in [&["--help"][..], &["help"][..]] {
        let stdout = succeeds(dir.path(), args);
        assert!(stdout.contains("Usage: pledge <COMMAND>"), "{stdout}");
        for sub in ["run", "compare", "validate", "data", "--version"] {
            assert!(
                stdout.contains(sub),
                "{args:?} does not mention {sub}:\n{stdout}"
            );
        }
    }
    assert!(files_below(dir.path()).is_empty());
}

#[test]
fn help_of_each_subcommand_names_its_flags() {
    let dir = tempdir();
    let cases: [(&str, &[&str]); 4] = [
        (
            "run",
            &[
                "Usage: pledge run",
                "<SCENARIO>",
                "--out <DIR>",
                "--runs <N>",
                "--seed <S>",
            ],
        ),
        (
            "compare",
            &[
                "Usage: pledge compare",
                "--goals <GOALS>",
                "[default: 2,3.5+1.5,5]",
                "--horizon <HORIZON>",
                "[default: 2035]",
                "--out <DIR>",
                "--runs <N>",
                "--seed <S>",
            ],
        ),
        ("validate", &["Usage: pledge validate", "<SCENARIOS>..."]),
        (
            "data",
            &[
                "Usage: pledge data",
                "<TABLE>",
                "[possible values: allies, items]",
                "--format <FORMAT>",
                "[possible values: table, csv, json]",
            ],
        ),
    ];
    for (sub, wanted) in cases {
        let long = succeeds(dir.path(), &[sub, "--help"]);
        let short = succeeds(dir.path(), &["help", sub]);
        assert_eq!(
            long, short,
            "`pledge {sub} --help` and `pledge help {sub}` differ"
        );
        for w in wanted {
            assert!(
                long.contains(w),
                "`pledge {sub} --help` lacks {w:?}:\n{long}"
            );
        }
    }
    assert!(files_below(dir.path()).is_empty());
}

#[test]
fn version_is_the_cargo_version() {
    let dir = tempdir();
    let expected = format!("pledge {}\n", env!("CARGO_PKG_VERSION"));
    assert_eq!(succeeds(dir.path(), &["--version"]), expected);
    assert_eq!(succeeds(dir.path(), &["-V"]), expected);
    // propagate_version: every subcommand knows it too.
    for sub in ["run", "compare", "validate", "data"] {
        assert_eq!(
            succeeds(dir.path(), &[sub, "--version"]),
            format!("pledge-{sub} {}\n", env!("CARGO_PKG_VERSION"))
        );
    }
}

// ---------------------------------------------------------------------------------------------
// 2. run
// ---------------------------------------------------------------------------------------------

#[test]
fn run_writes_summary_and_result_into_out() {
    let dir = tempdir();
    let out = dir.path().join("results");
    let scenario = shipped("hague-2035.toml");
    let stdout = succeeds(dir.path(), &["run", p(&scenario), "--out", p(&out)]);

    // Exactly the two files, nothing else anywhere in the working folder.
    assert_eq!(
        files_below(dir.path()),
        paths(&["results/result.json", "results/summary.csv"])
    );
    // The terminal summary: title, both headline groups, every goal, the output folder.
    for w in [
        "The Hague 2035",
        "NATO",
        "Europe+Canada",
        "2% (Wales 2014) (reference)",
        "5% core by 2035",
        "over wales2 in 2026-2035",
        "demand above capacity:",
    ] {
        assert!(stdout.contains(w), "stdout lacks {w:?}:\n{stdout}");
    }
    assert!(
        stdout.ends_with(&format!(
            "Wrote summary.csv, result.json to {}\n",
            out.display()
        )),
        "stdout does not name the output folder:\n{stdout}"
    );

    // summary.csv: the tidy header, every goal and year, numbers in `central`.
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
        let central: f64 = row[5]
            .parse()
            .unwrap_or_else(|_| panic!("central is not a number: {row:?}"));
        assert!(central.is_finite(), "{row:?}");
    }

    // result.json: the metadata needed to reproduce the run.
    let json = read_json(&out.join("result.json"));
    assert_eq!(json["tool"]["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(json["seed"], 2025, "the scenario's seed");
    assert_eq!(json["runs"], 10000, "the scenario's runs");
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
}

#[test]
fn run_without_out_writes_into_out_slash_stem() {
    let dir = tempdir();
    fs::copy(shipped("hague-2035.toml"), dir.path().join("my-study.toml")).unwrap();
    let stdout = succeeds(dir.path(), &["run", "my-study.toml", "--runs", "20"]);
    assert_eq!(
        files_below(dir.path()),
        paths(&[
            "my-study.toml",
            "out/my-study/result.json",
            "out/my-study/summary.csv",
        ])
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
    let scenario = shipped("hague-2035.toml");
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

    // Without the flags, the file's values (seed 2025), and the same input hash: seed and
    // runs are recorded beside the hash, not in it.
    succeeds(dir.path(), &["run", p(&scenario), "--out", "plain"]);
    let plain = read_json(&dir.path().join("plain/result.json"));
    assert_eq!(plain["seed"], 2025);
    assert_eq!(plain["input_hash"], json["input_hash"]);
}

// ---------------------------------------------------------------------------------------------
// 3. compare
// ---------------------------------------------------------------------------------------------

#[test]
fn compare_with_default_goals_writes_into_out_compare() {
    let dir = tempdir();
    let stdout = succeeds(dir.path(), &["compare", "--runs", "20"]);
    assert_eq!(
        files_below(dir.path()),
        paths(&[
            "out/compare/result.json",
            "out/compare/scenario.toml",
            "out/compare/summary.csv",
        ])
    );
    let folder = Path::new("out").join("compare");
    assert!(
        stdout.contains(&format!(
            "Wrote summary.csv, result.json, scenario.toml to {}\n",
            folder.display()
        )),
        "{stdout}"
    );
    for w in [
        "NATO",
        "Europe+Canada",
        "2% core (reference)",
        "3.5% core + 1.5% related",
    ] {
        assert!(stdout.contains(w), "stdout lacks {w:?}:\n{stdout}");
    }
    let rows = summary_rows(&dir.path().join("out/compare/summary.csv"));
    assert_eq!(distinct(&rows, 0), ["g2", "g3.5+1.5", "g5"]);
    assert_eq!(distinct(&rows, 1).last().map(String::as_str), Some("2035"));
}

#[test]
fn compare_writes_a_scenario_that_reruns_identically() {
    let dir = tempdir();
    let out = dir.path().join("cmp");
    succeeds(
        dir.path(),
        &[
            "compare",
            "--goals",
            "2,3.5+1.5",
            "--horizon",
            "2030",
            "--runs",
            "20",
            "--out",
            p(&out),
        ],
    );
    assert_eq!(
        files_below(dir.path()),
        paths(&["cmp/result.json", "cmp/scenario.toml", "cmp/summary.csv"])
    );
    let rows = summary_rows(&out.join("summary.csv"));
    assert_eq!(distinct(&rows, 0), ["g2", "g3.5+1.5"]);
    let years: Vec<String> = (2025..=2030).map(|y| y.to_string()).collect();
    assert_eq!(distinct(&rows, 1), years, "--horizon 2030 is the last year");
    let json = read_json(&out.join("result.json"));
    assert_eq!(json["runs"], 20);
    assert_eq!(json["scenario"]["goals"][1]["related_pct"], 1.5);
    assert_eq!(json["scenario"]["goals"][1]["target_year"], 2030);

    // The written scenario is valid...
    let scenario = out.join("scenario.toml");
    let stdout = succeeds(dir.path(), &["validate", p(&scenario)]);
    assert!(
        stdout.starts_with(&format!("{}: ok: ", scenario.display())),
        "{stdout}"
    );
    for w in ["2 goal(s)", "2025-2030", "20 runs", "seed 0"] {
        assert!(stdout.contains(w), "validate lacks {w:?}: {stdout}");
    }
    // ...and running it reproduces the comparison byte for byte.
    let rerun = dir.path().join("rerun");
    succeeds(dir.path(), &["run", p(&scenario), "--out", p(&rerun)]);
    assert_eq!(
        fs::read(out.join("summary.csv")).unwrap(),
        fs::read(rerun.join("summary.csv")).unwrap(),
        "summary.csv of `run scenario.toml` differs from that of `compare`"
    );
    assert_eq!(
        read_json(&out.join("result.json"))["input_hash"],
        read_json(&rerun.join("result.json"))["input_hash"]
    );
}

// ---------------------------------------------------------------------------------------------
// 4. validate
// ---------------------------------------------------------------------------------------------

#[test]
fn validate_prints_one_ok_line_per_valid_file() {
    let dir = tempdir();
    let names = [
        "hague-2035.toml",
        "nordic-baltic.toml",
        "spain-flexibility.toml",
    ];
    let files: Vec<PathBuf> = names.iter().map(|n| shipped(n)).collect();
    let args: Vec<&str> = std::iter::once("validate")
        .chain(files.iter().map(|f| p(f)))
        .collect();
    let stdout = succeeds(dir.path(), &args);
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 3, "{stdout}");
    for (line, file) in lines.iter().zip(&files) {
        assert!(
            line.starts_with(&format!("{}: ok: ", file.display())),
            "{line}"
        );
    }
    assert!(
        lines[1].contains("'Nordic-Baltic front line at 5% by 2032'"),
        "{}",
        lines[1]
    );
    assert!(
        lines[1].contains("9 item(s)"),
        "the scenario adds an item: {}",
        lines[1]
    );
    assert!(lines[1].contains("seed 7"), "{}", lines[1]);
    assert!(
        files_below(dir.path()).is_empty(),
        "validate writes nothing"
    );
}

#[test]
fn validate_reports_the_bad_file_and_still_checks_the_others() {
    let dir = tempdir();
    fs::write(dir.path().join("good.toml"), BASE).unwrap();
    fs::write(
        dir.path().join("bad.toml"),
        edit(10, "core_pct = 2.0", "core_pct = -1"),
    )
    .unwrap();
    let out = output(dir.path(), &["validate", "good.toml", "bad.toml"]);
    let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
    assert_eq!(out.status.code(), Some(2), "{stdout}{stderr}");
    assert_eq!(
        stdout,
        "good.toml: ok: 'Probe', 2 goal(s), 9 item(s), 39 group(s), 2025-2030, 100 runs, seed 1\n"
    );
    assert!(stderr.starts_with("error: bad.toml:10:12: "), "{stderr}");
    assert!(stderr.contains("core_pct = -1 is out of range"), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");

    // A bad file first does not stop the check of the good one after it.
    let out = output(dir.path(), &["validate", "bad.toml", "good.toml"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stdout).starts_with("good.toml: ok: "));
    assert!(text(&out.stderr).starts_with("error: bad.toml:10:12: "));
    assert_eq!(files_below(dir.path()), paths(&["bad.toml", "good.toml"]));
}

// ---------------------------------------------------------------------------------------------
// 5. data
// ---------------------------------------------------------------------------------------------

#[test]
fn data_allies_in_every_format() {
    let dir = tempdir();
    let csv = succeeds(dir.path(), &["data", "allies", "--format", "csv"]);
    let records = csv_records(&csv);
    assert_eq!(csv.lines().next(), Some(ALLIES_HEADER));
    assert_eq!(records.len(), 1 + 32, "a header and 32 allies");
    let codes: Vec<&str> = records[1..].iter().map(|r| &r[0]).collect();
    for code in ["USA", "CAN", "DEU", "ISL", "TUR", "SWE", "FIN"] {
        assert!(codes.contains(&code), "no {code} in {codes:?}");
    }
    assert_eq!(
        records[1..].iter().filter(|r| &r[2] == "1").count(),
        23,
        "23 EU members"
    );

    let json: Value = serde_json::from_str(&succeeds(
        dir.path(),
        &["data", "allies", "--format", "json"],
    ))
    .expect("data allies --format json is JSON");
    let array = json.as_array().expect("an array");
    assert_eq!(array.len(), 32);
    let json_codes: Vec<&str> = array
        .iter()
        .map(|a| {
            assert!(a.is_object(), "{a}");
            a["iso3"].as_str().unwrap()
        })
        .collect();
    assert_eq!(
        json_codes, codes,
        "JSON and CSV list the same allies in the same order"
    );
    for column in ALLIES_HEADER.split(',') {
        assert!(
            array[0].get(column).is_some(),
            "JSON lacks {column}: {}",
            array[0]
        );
    }

    for args in [
        &["data", "allies"][..],
        &["data", "allies", "--format", "table"][..],
    ] {
        let table = succeeds(dir.path(), args);
        let first = table.lines().next().unwrap();
        for column in [
            "iso3",
            "name",
            "gdp_usd_bn",
            "defence_pct_gdp",
            "equipment_pct",
        ] {
            assert!(first.contains(column), "{first}");
        }
        for code in &codes {
            assert!(
                table.lines().any(|l| l.starts_with(&format!("{code} "))),
                "no row for {code}:\n{table}"
            );
        }
        assert!(table.contains("32 allies, base year 2025"), "{table}");
    }
    assert!(files_below(dir.path()).is_empty());
}

#[test]
fn data_items_in_every_format() {
    let dir = tempdir();
    let csv = succeeds(dir.path(), &["data", "items", "--format", "csv"]);
    assert_eq!(csv.lines().next(), Some(ITEMS_HEADER));
    let records = csv_records(&csv);
    assert_eq!(records.len(), 1 + 8, "a header and 8 items");
    let ids: Vec<&str> = records[1..].iter().map(|r| &r[0]).collect();
    assert!(ids.contains(&"shell155_eu"), "{ids:?}");

    let json: Value = serde_json::from_str(&succeeds(
        dir.path(),
        &["data", "items", "--format", "json"],
    ))
    .expect("data items --format json is JSON");
    let array = json.as_array().expect("an array");
    assert_eq!(array.len(), 8);
    let json_ids: Vec<&str> = array
        .iter()
        .map(|i| {
            assert!(i.is_object(), "{i}");
            i["id"].as_str().unwrap()
        })
        .collect();
    assert_eq!(json_ids, ids);

    for args in [
        &["data", "items"][..],
        &["data", "items", "--format", "table"][..],
    ] {
        let table = succeeds(dir.path(), args);
        assert!(table.lines().next().unwrap().starts_with("id "), "{table}");
        for id in &ids {
            assert!(
                table.lines().any(|l| l.starts_with(&format!("{id} "))),
                "no row for {id}:\n{table}"
            );
        }
        assert!(table.contains("8 production lines"), "{table}");
    }
    assert!(files_below(dir.path()).is_empty());
}

#[test]
fn data_csv_round_trips_through_a_scenario() {
    let dir = tempdir();
    let study = dir.path().join("study");
    fs::create_dir(&study).unwrap();
    let allies = succeeds(dir.path(), &["data", "allies", "--format", "csv"]);
    let items = succeeds(dir.path(), &["data", "items", "--format", "csv"]);
    fs::write(study.join("allies.csv"), &allies).unwrap();
    fs::write(study.join("items.csv"), &items).unwrap();
    let goals = "[[goal]]\nid = \"g2\"\nlabel = \"2%\"\ncore_pct = 2\n\n\
                 [[goal]]\nid = \"hague\"\nlabel = \"Hague\"\ncore_pct = 3.5\nrelated_pct = 1.5\n\n\
                 [[goal]]\nid = \"g5\"\nlabel = \"5%\"\ncore_pct = 5\n";
    let header = "schema_version = 1\nruns = 20\n";
    fs::write(study.join("builtin.toml"), format!("{header}{goals}")).unwrap();
    fs::write(
        study.join("allies.toml"),
        format!("{header}[data]\nallies = \"allies.csv\"\n{goals}"),
    )
    .unwrap();
    fs::write(
        study.join("both.toml"),
        format!("{header}[data]\nallies = \"allies.csv\"\nitems = \"items.csv\"\n{goals}"),
    )
    .unwrap();

    // Run from the parent folder: the CSV paths are relative to the scenario's folder.
    for name in ["builtin", "allies", "both"] {
        succeeds(
            dir.path(),
            &[
                "run",
                &format!("study/{name}.toml"),
                "--out",
                &format!("out-{name}"),
            ],
        );
    }
    let summary =
        |name: &str| fs::read(dir.path().join(format!("out-{name}/summary.csv"))).unwrap();
    assert_eq!(
        summary("allies"),
        summary("builtin"),
        "the exported allies CSV gives other numbers than the builtin allies"
    );
    assert_eq!(
        summary("both"),
        summary("builtin"),
        "the exported allies and items CSVs give other numbers than the builtin data"
    );

    // The CSV really was read: the metadata says where the data came from.
    let json = read_json(&dir.path().join("out-allies/result.json"));
    let origin = json["data"]["allies"]["origin"].as_str().unwrap();
    assert!(
        origin.ends_with("allies.csv") && origin != "builtin",
        "{origin}"
    );
    assert_eq!(json["data"]["items"]["origin"], "builtin");
    let vintage = json["data"]["vintage"].as_str().unwrap();
    assert!(vintage.contains("allies.csv"), "{vintage}");
    let builtin = read_json(&dir.path().join("out-builtin/result.json"));
    assert_eq!(builtin["data"]["allies"]["origin"], "builtin");
    assert_eq!(json["alphas"], builtin["alphas"]);
}

// ---------------------------------------------------------------------------------------------
// 6. Bad input: exit 2, a located message, no panic, nothing written
// ---------------------------------------------------------------------------------------------

#[test]
fn base_scenario_of_the_bad_input_tests_is_valid() {
    let dir = tempdir();
    fs::write(dir.path().join("base.toml"), BASE).unwrap();
    succeeds(dir.path(), &["validate", "base.toml"]);
    succeeds(dir.path(), &["run", "base.toml", "--out", "o"]);
    let rows = summary_rows(&dir.path().join("o/summary.csv"));
    assert!(
        rows.iter().any(|r| r[3] == "shell_x"),
        "the scenario's item is reported"
    );
    assert!(
        rows.iter().any(|r| r[2] == "front"),
        "the scenario's group is reported"
    );
}

#[test]
fn toml_syntax_error() {
    rejects(
        edit(10, "core_pct = 2.0", "core_pct = = 2.0"),
        "bad.toml:10:12",
        &["extra `=`"],
    );
    rejects(
        edit(15, "core_pct = 3.5", "core_pct 3.5"),
        "bad.toml:15:10",
        &["expected `=`"],
    );
}

const TOP_KEYS: &[&str] = &[
    "schema_version",
    "title",
    "horizon",
    "runs",
    "seed",
    "data",
    "groups",
    "goal",
    "growth",
    "compliance",
    "inflation",
    "mix",
    "item",
];

#[test]
fn unknown_key_at_top_level() {
    let mut wanted = vec!["unknown field `colour`"];
    wanted.extend(TOP_KEYS.iter().copied());
    rejects(
        insert(5, "seed = 1", "colour = \"red\""),
        "bad.toml:6:1",
        &wanted,
    );
}

#[test]
fn unknown_key_in_goal() {
    rejects(
        insert(10, "core_pct = 2.0", "colour = \"red\""),
        "bad.toml:11:1",
        &[
            "unknown field `colour`",
            "`id`",
            "`label`",
            "`core_pct`",
            "`related_pct`",
            "`target_year`",
            "`path`",
            "`floor`",
            "`equipment_pct`",
            "`overrides`",
        ],
    );
}

#[test]
fn unknown_key_in_goal_overrides() {
    rejects(
        insert(19, "core_pct = 2.1", "floor = \"none\""),
        "bad.toml:20:1",
        &[
            "unknown field `floor`",
            "`core_pct`",
            "`related_pct`",
            "`target_year`",
            "`path`",
            "`equipment_pct`",
        ],
    );
}

#[test]
fn unknown_key_in_growth() {
    rejects(
        insert(23, "sd_scale = 1.0", "colour = 1"),
        "bad.toml:24:1",
        &["unknown field `colour`", "`correlation`", "`sd_scale`"],
    );
}

#[test]
fn unknown_key_in_compliance() {
    rejects(
        insert(
            27,
            "attainment = { min = 0.6, mode = 1.0, max = 1.0 }",
            "colour = 1",
        ),
        "bad.toml:28:1",
        &["unknown field `colour`", "`lag_years`", "`attainment`"],
    );
}

#[test]
fn unknown_key_in_inflation() {
    rejects(
        insert(31, "sd = 1.0", "colour = 1"),
        "bad.toml:32:1",
        &["unknown field `colour`", "`mean`", "`sd`"],
    );
}

#[test]
fn unknown_key_in_mix() {
    rejects(
        insert(40, "concentration = 200", "space = 0"),
        "bad.toml:41:1",
        &[
            "unknown field `space`",
            "`land`",
            "`air`",
            "`maritime`",
            "`air_defence`",
            "`munitions`",
            "`other`",
            "`concentration`",
        ],
    );
}

#[test]
fn unknown_key_in_item() {
    rejects(
        insert(51, "lead_years = 2", "colour = 1"),
        "bad.toml:52:1",
        &[
            "unknown field `colour`",
            "`id`",
            "`category`",
            "`buyers`",
            "`base_utilization`",
            "`alpha`",
            "`unit_cost_musd`",
            "`cost_sigma`",
            "`capacity`",
            "`capacity_growth_pct`",
            "`lead_years`",
        ],
    );
}

#[test]
fn unknown_key_in_data() {
    rejects(
        insert(55, "items = \"builtin\"", "groups = \"builtin\""),
        "bad.toml:56:1",
        &[
            "unknown field `groups`",
            "`allies`",
            "`items`",
            "`base_year`",
        ],
    );
}

#[test]
fn unknown_key_in_triangular() {
    rejects(
        edit(
            26,
            "lag_years = { min = 0, mode = 0, max = 3 }",
            "lag_years = { min = 0, mode = 0, max = 3, mean = 1 }",
        ),
        "bad.toml:26:13",
        &["unknown field `mean`", "`min`", "`mode`", "`max`"],
    );
}

#[test]
fn core_pct_negative() {
    rejects(
        edit(10, "core_pct = 2.0", "core_pct = -1"),
        "bad.toml:10:12",
        &[
            "goal 'ref': core_pct = -1 is out of range",
            "a percentage of GDP between 0 and 100",
        ],
    );
}

#[test]
fn related_pct_above_100() {
    rejects(
        edit(16, "related_pct = 1.5", "related_pct = 101"),
        "bad.toml:16:15",
        &[
            "goal 'high': related_pct = 101 is out of range",
            "between 0 and 100",
        ],
    );
}

#[test]
fn horizon_before_base_year() {
    rejects(
        edit(3, "horizon = 2030", "horizon = 2020"),
        "bad.toml:3:11",
        &["horizon = 2020 is out of range", "a year from 2026 to 2100"],
    );
}

#[test]
fn target_year_before_base_year() {
    rejects(
        edit(17, "target_year = 2030", "target_year = 2024"),
        "bad.toml:17:15",
        &[
            "goal 'high': target_year = 2024 is out of range",
            "a year from 2026 to 2100",
        ],
    );
}

#[test]
fn runs_zero() {
    rejects(
        edit(4, "runs = 100", "runs = 0"),
        "bad.toml:4:8",
        &["runs = 0 is out of range", "expected 1 to 1000000000"],
    );
}

#[test]
fn seed_negative() {
    rejects(
        edit(5, "seed = 1", "seed = -1"),
        "bad.toml:5:8",
        &["seed = -1 is not allowed", ">= 0"],
    );
}

#[test]
fn correlation_above_1() {
    rejects(
        edit(22, "correlation = 0.5", "correlation = 1.5"),
        "bad.toml:22:15",
        &[
            "[growth] correlation = 1.5 is out of range",
            "between 0 and 1",
        ],
    );
}

/// Bounds whose description already states the range get it twice:
/// "expected a correlation between 0 and 1 between 0 and 1",
/// "expected an attainment greater than 0 and at most 1 between 0.000000001 and 1".
#[test]
#[ignore = "src bug: src/bounds.rs range messages repeat the range"]
fn range_messages_state_the_range_once() {
    let stderr = rejects(
        edit(22, "correlation = 0.5", "correlation = 1.5"),
        "bad.toml:22:15",
        &["between 0 and 1"],
    );
    assert_eq!(stderr.matches("between").count(), 1, "{stderr}");
    let stderr = rejects(
        edit(46, "base_utilization = 0.9", "base_utilization = 1.5"),
        "bad.toml:46:20",
        &["base_utilization"],
    );
    assert!(!stderr.contains("0.000000001"), "{stderr}");
}

#[test]
fn attainment_min_zero() {
    rejects(
        edit(
            27,
            "attainment = { min = 0.6, mode = 1.0, max = 1.0 }",
            "attainment = { min = 0, mode = 1.0, max = 1.0 }",
        ),
        "bad.toml:27:14",
        &[
            "[compliance] attainment.min = 0 is out of range",
            "greater than 0 and at most 1",
        ],
    );
}

#[test]
fn lag_min_negative() {
    rejects(
        edit(
            26,
            "lag_years = { min = 0, mode = 0, max = 3 }",
            "lag_years = { min = -1, mode = 0, max = 3 }",
        ),
        "bad.toml:26:13",
        &[
            "[compliance] lag_years.min = -1 is out of range",
            "a lag in years between 0 and 50",
        ],
    );
}

#[test]
fn inflation_sd_negative() {
    rejects(
        edit(31, "sd = 1.0", "sd = -1"),
        "bad.toml:31:6",
        &["[inflation] sd = -1 is out of range", "between 0 and 50"],
    );
}

#[test]
fn cost_sigma_negative() {
    rejects(
        edit(48, "cost_sigma = 0.25", "cost_sigma = -1"),
        "bad.toml:48:14",
        &[
            "item 'shell_x': cost_sigma = -1 is out of range",
            "between 0 and 3",
        ],
    );
}

#[test]
fn capacity_zero() {
    rejects(
        edit(49, "capacity = 2000000", "capacity = 0"),
        "bad.toml:49:12",
        &[
            "item 'shell_x': capacity = 0 is out of range",
            "units per year",
        ],
    );
}

#[test]
fn base_utilization_above_1() {
    rejects(
        edit(46, "base_utilization = 0.9", "base_utilization = 1.5"),
        "bad.toml:46:20",
        &[
            "item 'shell_x': base_utilization = 1.5 is out of range",
            "greater than 0 and at most 1",
        ],
    );
}

#[test]
fn wrong_type() {
    // The value is located and quoted; see `wrong_type_names_the_key` for the key.
    rejects(
        edit(10, "core_pct = 2.0", "core_pct = \"high\""),
        "bad.toml:10:12",
        &["invalid type: string \"high\""],
    );
}

/// MODEL.md section 8: "An error names the file, the line and column, the key, what was wrong
/// and what is allowed." Type errors come straight from serde and name neither the key nor,
/// in words, what is allowed ("expected f64").
#[test]
#[ignore = "src bug: type errors do not name the key (bad.toml:10:12: invalid type: string \"high\", expected f64)"]
fn wrong_type_names_the_key() {
    rejects(
        edit(10, "core_pct = 2.0", "core_pct = \"high\""),
        "bad.toml:10:12",
        &["core_pct", "number"],
    );
}

#[test]
fn triangular_not_ordered() {
    rejects(
        edit(
            26,
            "lag_years = { min = 0, mode = 0, max = 3 }",
            "lag_years = { min = 0, mode = 4, max = 3 }",
        ),
        "bad.toml:26:13",
        &[
            "[compliance] lag_years = { min = 0, mode = 4, max = 3 } is not ordered",
            "min <= mode <= max",
        ],
    );
}

#[test]
fn mix_shares_do_not_sum_to_1() {
    rejects(
        edit(34, "land = 0.25", "land = 0.35"),
        "bad.toml:33:1",
        &[
            "[mix]: the six shares sum to 1.0",
            "expected 1 (within 1e-6)",
        ],
    );
}

#[test]
fn mix_share_missing() {
    rejects(
        edit(36, "maritime = 0.15", ""),
        "bad.toml:33:1",
        &[
            "[mix]: missing key 'maritime'",
            "all six shares are required: land, air, maritime, air_defence, munitions, other",
        ],
    );
}

#[test]
fn unknown_ally_in_group() {
    rejects(
        edit(
            58,
            "front = [\"EST\", \"LVA\", \"LTU\"]",
            "front = [\"EST\", \"XYZ\", \"LTU\"]",
        ),
        "bad.toml:58:17",
        &[
            "[groups] front: 'XYZ' is not an ally of the dataset",
            "ISO3 codes",
            "pledge data allies",
        ],
    );
}

#[test]
fn unknown_ally_in_overrides() {
    rejects(
        edit(18, "[goal.overrides.ESP]", "[goal.overrides.XYZ]"),
        "bad.toml:18:1",
        &[
            "goal 'high': overrides.XYZ: 'XYZ' is not an ally of the dataset",
            "ISO3 codes",
        ],
    );
}

#[test]
fn unknown_buyers_group() {
    rejects(
        edit(45, "buyers = \"europe_canada\"", "buyers = \"nowhere\""),
        "bad.toml:45:10",
        &[
            "item 'shell_x': buyers = 'nowhere' is not a group",
            "nato, europe_canada, eu, non_eu, europe, north_america, front",
            "ISO3 code",
        ],
    );
}

#[test]
fn unknown_category() {
    rejects(
        edit(44, "category = \"munitions\"", "category = \"space\""),
        "bad.toml:44:12",
        &[
            "`space`",
            "`land`, `air`, `maritime`, `air_defence`, `munitions`, `other`",
        ],
    );
}

#[test]
fn alpha_and_base_utilization_both_given() {
    rejects(
        insert(46, "base_utilization = 0.9", "alpha = 0.2"),
        "bad.toml:47:9",
        &["item 'shell_x': both alpha and base_utilization are given; give one of them"],
    );
}

#[test]
fn neither_alpha_nor_base_utilization() {
    rejects(
        edit(46, "base_utilization = 0.9", ""),
        "bad.toml:42:1",
        &["[[item]]: missing key 'alpha' or 'base_utilization'"],
    );
}

#[test]
fn duplicate_goal_id() {
    rejects(
        edit(13, "id = \"high\"", "id = \"ref\""),
        "bad.toml:13:6",
        &["goal id 'ref' is used twice", "unique"],
    );
}

#[test]
fn duplicate_item_id_in_scenario() {
    let scenario = format!(
        "{BASE}\n[[item]]\nid = \"shell_x\"\ncategory = \"land\"\nbuyers = \"nato\"\n\
         alpha = 0.1\nunit_cost_musd = 1\ncapacity = 10\n"
    );
    // Located at the second item's buyers (line 63).
    rejects(
        scenario,
        "bad.toml:63:10",
        &["item id 'shell_x' is used twice in this scenario", "unique"],
    );
}

#[test]
fn no_goal() {
    rejects(
        "schema_version = 1\ntitle = \"No goals\"\n",
        "bad.toml:1:1",
        &["no [[goal]] table", "at least one goal"],
    );
}

#[test]
fn missing_schema_version() {
    rejects(
        edit(1, "schema_version = 1", "# no schema_version"),
        "bad.toml:1:1",
        &["missing key 'schema_version'", "schema_version = 1"],
    );
}

#[test]
fn unsupported_schema_version() {
    rejects(
        edit(1, "schema_version = 1", "schema_version = 2"),
        "bad.toml:1:18",
        &["schema_version = 2 is not supported", "schema_version = 1"],
    );
}

#[test]
fn goal_without_label() {
    rejects(
        edit(9, "label = \"Reference\"", ""),
        "bad.toml:7:1",
        &["[[goal]]: missing key 'label'", "id, label and core_pct"],
    );
}

#[test]
fn bad_goal_id() {
    rejects(
        edit(8, "id = \"ref\"", "id = \"ref,goal\""),
        "bad.toml:8:6",
        &[
            "goal id 'ref,goal' is not allowed",
            "letters, digits, _, -, . or +",
        ],
    );
}

#[test]
fn data_allies_file_missing() {
    rejects(
        edit(54, "allies = \"builtin\"", "allies = \"nope.csv\""),
        "bad.toml:54:10",
        &[
            "cannot read 'nope.csv'",
            "\"builtin\" or a CSV path relative to the scenario's folder",
        ],
    );
}

#[test]
fn data_allies_csv_with_a_bad_cell() {
    let csv = allies_csv();
    let mut records = csv_records(&csv);
    assert_eq!(
        csv.lines().count(),
        records.len(),
        "no line breaks inside cells"
    );
    // The fourth ally (line 5 of the file): a GDP that is not a number.
    let gdp = ALLIES_HEADER
        .split(',')
        .position(|c| c == "gdp_usd_bn")
        .unwrap();
    let mut bad: Vec<String> = records[4].iter().map(str::to_string).collect();
    bad[gdp] = "lots".to_string();
    records[4] = csv::StringRecord::from(bad);
    let mut writer = csv::Writer::from_writer(Vec::new());
    for r in &records {
        writer.write_record(r).unwrap();
    }
    let bad_csv = writer.into_inner().unwrap();
    let scenario = scenario_with_allies("allies.csv");
    rejects_files(
        &[
            ("study/bad.toml", scenario.as_bytes()),
            ("study/allies.csv", &bad_csv),
        ],
        "study/bad.toml",
        &format!(
            "{}:5:{}",
            Path::new("study").join("allies.csv").display(),
            gdp + 1
        ),
        &[
            "column 'gdp_usd_bn'",
            "'lots' is not a number",
            "GDP in current USD billions",
        ],
    );
}

#[test]
fn data_allies_csv_with_an_unknown_column() {
    let csv = allies_csv().replacen("growth_sd_pct", "growth_sd", 1);
    let scenario = scenario_with_allies("allies.csv");
    rejects_files(
        &[
            ("study/bad.toml", scenario.as_bytes()),
            ("study/allies.csv", csv.as_bytes()),
        ],
        "study/bad.toml",
        &format!("{}:1:9", Path::new("study").join("allies.csv").display()),
        &[
            "unknown column 'growth_sd'",
            "allowed columns: iso3, name, eu, region, gdp_usd_bn, defence_pct_gdp, equipment_pct, \
             growth_mean_pct, growth_sd_pct, equipment_basis, source",
        ],
    );
}

#[test]
fn scenario_file_missing() {
    let dir = tempdir();
    let stderr = assert_rejected(
        dir.path(),
        &[],
        &["run", "nothere.toml", "--out", "out"],
        &["nothere.toml: cannot read"],
    );
    assert!(stderr.starts_with("error: nothere.toml: "), "{stderr}");
    assert_rejected(
        dir.path(),
        &[],
        &["validate", "nothere.toml"],
        &["nothere.toml: cannot read"],
    );
    // Without --out either: no default out/ folder.
    assert_rejected(dir.path(), &[], &["run", "nothere.toml"], &["nothere.toml"]);
}

#[test]
fn scenario_file_not_utf8() {
    rejects(
        b"schema_version = 1\ntitle = \"\xff\xfe\"\n",
        "bad.toml",
        &["cannot read", "UTF-8"],
    );
}

/// Checks that `pledge args..`, run in an empty folder, is rejected without writing anything.
#[track_caller]
fn rejects_flags(args: &[&str], wanted: &[&str]) -> String {
    let dir = tempdir();
    assert_rejected(dir.path(), &[], args, wanted)
}

fn hague() -> String {
    shipped("hague-2035.toml").to_str().unwrap().to_string()
}

#[test]
fn runs_flag_zero() {
    let stderr = rejects_flags(
        &["run", &hague(), "--runs", "0", "--out", "out"],
        &["--runs: 0 is out of range; expected 1 to 1000000000"],
    );
    assert!(stderr.starts_with("error: --runs: "), "{stderr}");
    rejects_flags(
        &["compare", "--runs", "0"],
        &["error: --runs: 0 is out of range"],
    );
}

#[test]
fn runs_flag_not_a_number() {
    rejects_flags(
        &["run", &hague(), "--runs", "abc", "--out", "out"],
        &["invalid value 'abc' for '--runs <N>'"],
    );
}

#[test]
fn seed_flag_negative() {
    rejects_flags(
        &["run", &hague(), "--seed", "-1", "--out", "out"],
        &["'-1'"],
    );
}

#[test]
fn goals_flag_not_a_number() {
    let stderr = rejects_flags(
        &["compare", "--goals", "2,abc"],
        &[
            "'abc' is not a goal",
            "such as 3.5",
            "core+related such as 3.5+1.5",
        ],
    );
    assert!(stderr.starts_with("error: --goals: "), "{stderr}");
}

#[test]
fn goals_flag_listed_twice() {
    let stderr = rejects_flags(
        &["compare", "--goals", "2,2", "--out", "out"],
        &["'2' is listed twice; list each goal once"],
    );
    assert!(stderr.starts_with("error: --goals: "), "{stderr}");
}

#[test]
fn horizon_flag_out_of_range() {
    let stderr = rejects_flags(
        &["compare", "--horizon", "1990"],
        &["1990 is out of range; expected a year from 2026 to 2100"],
    );
    assert!(stderr.starts_with("error: --horizon: "), "{stderr}");
}

#[test]
fn data_unknown_table() {
    rejects_flags(
        &["data", "planes"],
        &["invalid value 'planes'", "[possible values: allies, items]"],
    );
}

#[test]
fn data_unknown_format() {
    rejects_flags(
        &["data", "allies", "--format", "xml"],
        &["invalid value 'xml'", "[possible values: table, csv, json]"],
    );
}

#[test]
fn validate_without_files() {
    rejects_flags(&["validate"], &["<SCENARIOS>"]);
}

/// `--seed` takes any u64, and `run` accepts one above i64::MAX; `compare` writes it into the
/// scenario it generates, which a scenario's `seed` (an i64) cannot hold, so the user gets an
/// error about a file they never wrote: `scenario.toml:6:8: invalid value: integer
/// `18446744073709551615`, expected i64`. Either accept the seed or reject the flag itself.
#[test]
#[ignore = "src bug: compare --seed above i64::MAX fails on its own generated scenario.toml"]
fn compare_with_a_seed_above_i64_max() {
    let dir = tempdir();
    let out = output(
        dir.path(),
        &["compare", "--seed", "18446744073709551615", "--runs", "20"],
    );
    let stderr = text(&out.stderr);
    match out.status.code() {
        Some(0) => {}
        Some(2) => {
            assert!(stderr.starts_with("error: --seed: "), "{stderr}");
            assert!(files_below(dir.path()).is_empty());
        }
        code => panic!("exit {code:?}: {stderr}"),
    }
}

// ---------------------------------------------------------------------------------------------
// 7. Determinism
// ---------------------------------------------------------------------------------------------

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
