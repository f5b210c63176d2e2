//! Helpers shared by the integration tests: running the binary in a temporary folder and
//! checking what it printed and wrote, reading its outputs, the scenario every bad-input test
//! edits one line of ([`PROBE`]), and golden files that `PLEDGE_BLESS=1` rewrites
//! ([`assert_golden`]).

#![allow(dead_code)]

use assert_cmd::Command;
use serde_json::Value;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Output;
use tempfile::TempDir;

/// The header of `summary.csv` (MODEL.md section 7).
pub const SUMMARY_HEADER: &str = "goal,year,group,item,metric,plan,mean,p5,p10,p25,p50,p75,p90,p95";
/// The header of `pledge data allies --format csv`.
pub const ALLIES_HEADER: &str = "iso3,name,eu,region,gdp_usd_bn,defence_pct_gdp,equipment_pct,\
growth_mean_pct,growth_sd_pct,equipment_basis,source";

/// The crate's root folder.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A shipped scenario, by absolute path.
pub fn shipped(name: &str) -> PathBuf {
    root().join("scenarios").join(name)
}

/// The shipped Hague scenario's absolute path, as an argument.
pub fn hague() -> String {
    shipped("hague-2035.toml").to_str().unwrap().to_string()
}

/// A `pledge` command whose working directory is `dir`.
pub fn pledge(dir: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_pledge"));
    cmd.current_dir(dir);
    cmd
}

/// A fresh temporary folder.
pub fn tempdir() -> TempDir {
    tempfile::tempdir().unwrap()
}

/// Output of the binary as text.
pub fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).expect("pledge writes UTF-8")
}

/// A path as an argument.
pub fn p(path: &Path) -> &str {
    path.to_str().expect("temporary paths are UTF-8")
}

/// Names as relative paths.
pub fn paths(names: &[&str]) -> Vec<PathBuf> {
    names.iter().map(PathBuf::from).collect()
}

/// Runs `pledge args..` in `dir` and returns its output, whatever the exit code.
pub fn output(dir: &Path, args: &[&str]) -> Output {
    pledge(dir).args(args).output().unwrap()
}

/// Runs `pledge args..` in `dir`, expects exit 0 and an empty stderr, and returns stdout.
#[track_caller]
pub fn succeeds(dir: &Path, args: &[&str]) -> String {
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

/// Every file below `dir`, relative to it, sorted.
pub fn files_below(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                found.push(path.strip_prefix(dir).unwrap().to_path_buf());
            }
        }
    }
    found.sort();
    found
}

/// Every file and folder below `dir`, relative to it, sorted (folders end in `/`), so that
/// an empty output folder shows up too.
pub fn tree(dir: &Path) -> Vec<String> {
    let mut found = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            let name = path.strip_prefix(dir).unwrap().display().to_string();
            if path.is_dir() {
                found.push(format!("{name}/"));
                stack.push(path);
            } else {
                found.push(name);
            }
        }
    }
    found.sort();
    found
}

/// `names` plus `capacity.csv`, the briefing pack of a study on the builtin items, its
/// `sensitivity.csv` and the folder's manifest of the files pledge wrote, under `prefix`, sorted
/// as `files_below` sorts.
pub fn with_pack(prefix: &str, names: &[&str]) -> Vec<PathBuf> {
    let mut charts = vec![
        "burden".to_string(),
        "paired_difference".to_string(),
        "shortfall_probability".to_string(),
        "spending_fan".to_string(),
        "sensitivity".to_string(),
    ];
    for item in [
        "shell155_eu",
        "shell155_us",
        "pac3_mse",
        "iris_t_slm",
        "leopard2a8",
        "cv90",
        "caesar",
        "f35",
    ] {
        charts.push(format!("capacity_{item}"));
        charts.push(format!("planning_{item}"));
    }
    let mut all: Vec<PathBuf> = paths(names);
    for chart in charts {
        for ext in ["png", "svg"] {
            all.push(PathBuf::from(format!("{prefix}charts/{chart}.{ext}")));
        }
    }
    all.push(PathBuf::from(format!("{prefix}capacity.csv")));
    all.push(PathBuf::from(format!("{prefix}pledge.xlsx")));
    all.push(PathBuf::from(format!("{prefix}report.html")));
    all.push(PathBuf::from(format!("{prefix}sensitivity.csv")));
    all.push(PathBuf::from(format!("{prefix}.pledge-manifest")));
    all.sort();
    all
}

/// A JSON file, parsed.
pub fn read_json(path: &Path) -> Value {
    serde_json::from_slice(&fs::read(path).unwrap())
        .unwrap_or_else(|e| panic!("{} is not JSON: {e}", path.display()))
}

/// The rows of a `summary.csv` below its header, split into cells (ids, groups and metrics
/// never contain commas).
pub fn summary_rows(path: &Path) -> Vec<Vec<String>> {
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
pub fn distinct(rows: &[Vec<String>], index: usize) -> Vec<String> {
    let mut seen: Vec<String> = Vec::new();
    for row in rows {
        if !seen.contains(&row[index]) {
            seen.push(row[index].clone());
        }
    }
    seen
}

/// The records of a CSV text, header first.
pub fn csv_records(content: &str) -> Vec<csv::StringRecord> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(content.as_bytes());
    reader.records().map(|r| r.unwrap()).collect()
}

/// Asserts that folders `a` and `b` (below `dir`) hold byte-identical `summary.csv` and
/// `result.json`.
#[track_caller]
pub fn assert_same_outputs(dir: &Path, a: &str, b: &str) {
    for file in ["summary.csv", "result.json"] {
        let left = fs::read(dir.join(a).join(file)).unwrap();
        let right = fs::read(dir.join(b).join(file)).unwrap();
        assert!(!left.is_empty());
        assert!(left == right, "{a}/{file} and {b}/{file} differ");
    }
}

/// The terminal summary without its last line (`Wrote .. to FOLDER`).
pub fn glance_of(stdout: &str) -> &str {
    let body = stdout.trim_end_matches('\n');
    &body[..body.rfind('\n').expect("a multi-line summary")]
}

// ---------------------------------------------------------------------------------------------
// Bad input
// ---------------------------------------------------------------------------------------------

/// Checks a command that must fail on bad input: exit 2, a single `error: ` report on stderr
/// containing every `wanted` fragment, no panic, nothing on stdout, no file in `dir` other
/// than `inputs`, and no new file or folder at all. Returns stderr.
#[track_caller]
pub fn assert_rejected(dir: &Path, inputs: &[PathBuf], args: &[&str], wanted: &[&str]) -> String {
    let before = tree(dir);
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
    assert_eq!(
        tree(dir),
        before,
        "pledge {args:?} created files or folders on bad input"
    );
    stderr
}

/// A valid scenario that uses every table, so that each bad-input test changes one line of it
/// and can name the exact line and column of the error. Line numbers are in the comments of
/// the tests; [`probe_edit`] and [`probe_insert`] check that the line they touch is the
/// expected one.
pub const PROBE: &str = r#"schema_version = 1
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
base_demand = 1800000
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

/// `base` with line `n` (1-based), which must read `old`, replaced by `new`.
#[track_caller]
pub fn edit_line(base: &str, n: usize, old: &str, new: &str) -> String {
    let mut lines: Vec<&str> = base.lines().collect();
    assert_eq!(
        lines[n - 1],
        old,
        "line {n} of the base scenario is not what the test expects"
    );
    lines[n - 1] = new;
    lines.join("\n") + "\n"
}

/// [`PROBE`] with line `n` (1-based), which must read `old`, replaced by `new`.
#[track_caller]
pub fn probe_edit(n: usize, old: &str, new: &str) -> String {
    edit_line(PROBE, n, old, new)
}

/// [`PROBE`] with `new` inserted after line `n`, which must read `after`.
#[track_caller]
pub fn probe_insert(n: usize, after: &str, new: &str) -> String {
    let mut lines: Vec<&str> = PROBE.lines().collect();
    assert_eq!(
        lines[n - 1],
        after,
        "PROBE line {n} is not what the test expects"
    );
    lines.insert(n, new);
    lines.join("\n") + "\n"
}

/// A scenario with two goals on the builtin data, optionally with extra top-level lines.
pub fn two_goals(before_goals: &str) -> String {
    format!(
        "schema_version = 1\nruns = 20\nseed = 3\n{before_goals}\n\
         [[goal]]\nid = \"wales2\"\nlabel = \"2%\"\ncore_pct = 2\n\n\
         [[goal]]\nid = \"hague\"\nlabel = \"Hague\"\ncore_pct = 3.5\nrelated_pct = 1.5\n"
    )
}

/// A scenario reading its allies from `{csv}` beside it.
pub fn scenario_with_allies(csv: &str) -> String {
    two_goals(&format!("[data]\nallies = \"{csv}\"\n"))
}

/// The builtin allies as `pledge data allies --format csv` writes them.
pub fn allies_csv() -> String {
    use pledge::app::{DataFormat, DataTable, data};
    String::from_utf8(data(DataTable::Allies, DataFormat::Csv)).unwrap()
}

/// The builtin allies CSV with the GDP of the fourth ally (line 5 of the file) spelt `lots`,
/// and the 1-based column of that cell.
pub fn allies_csv_with_a_bad_gdp() -> (Vec<u8>, usize) {
    let csv = allies_csv();
    let mut records = csv_records(&csv);
    assert_eq!(
        csv.lines().count(),
        records.len(),
        "no line breaks inside cells"
    );
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
    (writer.into_inner().unwrap(), gdp + 1)
}

// ---------------------------------------------------------------------------------------------
// Golden files
// ---------------------------------------------------------------------------------------------

/// The folder of golden files and snapshots.
pub fn golden_dir() -> PathBuf {
    root().join("tests/golden")
}

/// Whether `PLEDGE_BLESS=1` asks the golden tests to rewrite their files instead of comparing.
pub fn blessing() -> bool {
    match std::env::var("PLEDGE_BLESS") {
        Err(_) => false,
        Ok(v) if v.is_empty() || v == "0" => false,
        Ok(v) if v == "1" => true,
        Ok(v) => panic!("PLEDGE_BLESS={v:?}: set it to 1 to rewrite the golden files, or unset it"),
    }
}

/// Compares `actual` with the golden file `tests/golden/{name}`, or with `PLEDGE_BLESS=1`
/// rewrites it (when it differs) and passes. On a mismatch the message names the first line
/// that differs, with its number and both versions, not the whole file.
#[track_caller]
pub fn assert_golden(name: &str, actual: &[u8]) {
    let path = golden_dir().join(name);
    let expected = fs::read(&path).ok();
    if blessing() {
        if expected.as_deref() != Some(actual) {
            fs::write(&path, actual).unwrap();
            // Straight to stderr: the harness would swallow `eprintln!` of a passing test.
            let note = format!("PLEDGE_BLESS=1: rewrote {}\n", path.display());
            std::io::Write::write_all(&mut std::io::stderr(), note.as_bytes()).unwrap();
        }
        return;
    }
    let Some(expected) = expected else {
        panic!(
            "{} is missing; create it with PLEDGE_BLESS=1 cargo test --release --test it and \
             review it before committing",
            path.display()
        );
    };
    if let Some(difference) = first_difference(&expected, actual) {
        panic!(
            "{name} differs from its golden file {}:\n{difference}\nIf the change is intended, \
             rewrite it with PLEDGE_BLESS=1 cargo test --release --test it and review the diff.",
            path.display()
        );
    }
}

/// Where `actual` first differs from `expected`, line by line: `None` when the bytes are equal.
pub fn first_difference(expected: &[u8], actual: &[u8]) -> Option<String> {
    if expected == actual {
        return None;
    }
    let (expected, actual) = (
        String::from_utf8_lossy(expected),
        String::from_utf8_lossy(actual),
    );
    let e_lines: Vec<&str> = expected.split_inclusive('\n').collect();
    let a_lines: Vec<&str> = actual.split_inclusive('\n').collect();
    let counts = format!("(expected {} lines, got {})", e_lines.len(), a_lines.len());
    let show = |line: Option<&&str>| -> String {
        const MOST: usize = 300;
        let Some(line) = line else {
            return "(nothing: the file ends before)".to_string();
        };
        let (content, end) = match line.strip_suffix('\n') {
            Some(content) => (content, ""),
            None => (*line, " (no line end)"),
        };
        if content.chars().count() > MOST {
            let cut: String = content.chars().take(MOST).collect();
            format!("{cut:?}... ({} characters){end}", content.chars().count())
        } else {
            format!("{content:?}{end}")
        }
    };
    let Some(i) = (0..e_lines.len().max(a_lines.len())).find(|&i| e_lines.get(i) != a_lines.get(i))
    else {
        return Some(format!(
            "the bytes differ where they are not UTF-8 {counts}"
        ));
    };
    Some(format!(
        "first difference at line {} {counts}:\n  expected: {}\n  got:      {}",
        i + 1,
        show(e_lines.get(i)),
        show(a_lines.get(i))
    ))
}

#[test]
fn first_difference_names_the_first_line_that_differs() {
    assert_eq!(first_difference(b"a\nb\n", b"a\nb\n"), None);
    let d = first_difference(b"a\nb\nc\n", b"a\nB\nc\n").unwrap();
    assert!(
        d.starts_with("first difference at line 2 (expected 3 lines, got 3)"),
        "{d}"
    );
    assert!(
        d.contains("expected: \"b\"\n") && d.contains("got:      \"B\""),
        "{d}"
    );
    let d = first_difference(b"a\n", b"a\nextra\n").unwrap();
    assert!(
        d.contains("at line 2") && d.contains("expected: (nothing: the file ends before)"),
        "{d}"
    );
    let d = first_difference(b"a\nb\n", b"a\nb").unwrap();
    assert!(
        d.contains("at line 2") && d.ends_with("\"b\" (no line end)"),
        "{d}"
    );
    let long = "x".repeat(5000);
    let d = first_difference(long.as_bytes(), b"y").unwrap();
    assert!(d.len() < 1000, "a long line is cut: {} bytes", d.len());
}
