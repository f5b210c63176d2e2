//! `pledge compare`: its default goals (with `declared`) into `out/compare`, the
//! `scenario.toml` it writes (valid, and rerunning it with `pledge run` reproduces the
//! comparison byte for byte, also at the largest seed and after `--runs auto`), and its
//! terminal summary. The refusals of its flags are in `cli_errors.rs` and, at library level,
//! `bad_input.rs`.

use crate::common::{
    distinct, files_below, p, read_json, succeeds, summary_rows, tempdir, with_pack,
};
use std::fs;
use std::path::Path;

#[test]
fn compare_with_default_goals_writes_into_out_compare() {
    let dir = tempdir();
    let stdout = succeeds(dir.path(), &["compare", "--runs", "20"]);
    assert_eq!(
        files_below(dir.path()),
        with_pack(
            "out/compare/",
            &[
                "out/compare/result.json",
                "out/compare/scenario.toml",
                "out/compare/summary.csv",
            ]
        )
    );
    let folder = Path::new("out").join("compare");
    assert!(
        stdout.contains(&format!(
            "Wrote summary.csv, result.json, capacity.csv, sensitivity.csv, scenario.toml, report.html, pledge.xlsx, charts/ (42 files) to {}\n",
            folder.display()
        )),
        "{stdout}"
    );
    for w in [
        "NATO",
        "Europe+Canada",
        "2% core (allies above 2% keep their share) (reference)",
        "over 2% core (allies above 2% keep their share) in 2026-2035",
        "Compliance: as on the Wales record 2014-2024 (calibrated; assumed to hold for 2025-2035)",
        "Declared national plans (allies without one hold their share)",
        "3.5% core + 1.5% related",
    ] {
        assert!(stdout.contains(w), "stdout lacks {w:?}:\n{stdout}");
    }
    let rows = summary_rows(&dir.path().join("out/compare/summary.csv"));
    assert_eq!(distinct(&rows, 0), ["g2", "declared", "g3.5+1.5", "g5"]);
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
        with_pack(
            "cmp/",
            &["cmp/result.json", "cmp/scenario.toml", "cmp/summary.csv"]
        )
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

/// `--seed` used to take any u64: `run` accepted one above i64::MAX, but `compare` wrote it
/// into the scenario it generates, which a scenario's `seed` (an i64) cannot hold, so the user
/// got an error about a file they never wrote (`scenario.toml:6:8: invalid value: integer
/// `18446744073709551615`, expected i64`). Now the flag itself is limited to 0..=i64::MAX
/// (its refusal above that is checked with the other bad flags in `cli_errors.rs`), and the
/// largest seed round-trips through the generated scenario.
#[test]
fn compare_with_the_largest_seed_reruns_identically() {
    let dir = tempdir();
    let max = i64::MAX.to_string();
    succeeds(
        dir.path(),
        &[
            "compare", "--goals", "2,3.5", "--runs", "64", "--seed", &max, "--out", "cmp",
        ],
    );
    assert_eq!(
        read_json(&dir.path().join("cmp/result.json"))["seed"],
        i64::MAX
    );
    let validated = succeeds(dir.path(), &["validate", "cmp/scenario.toml"]);
    assert!(validated.contains(&format!("seed {max}")), "{validated}");
    succeeds(dir.path(), &["run", "cmp/scenario.toml", "--out", "rerun"]);
    assert_eq!(
        fs::read(dir.path().join("cmp/summary.csv")).unwrap(),
        fs::read(dir.path().join("rerun/summary.csv")).unwrap()
    );
}

/// `compare --runs auto` records the runs it made in result.json, but the scenario.toml it
/// writes says `runs = 10000` and that it was written by `--runs 10000`, so rerunning it does
/// not reproduce the comparison.
#[test]
fn compare_runs_auto_writes_the_runs_it_made_into_scenario_toml() {
    let dir = tempdir();
    let d = dir.path();
    succeeds(
        d,
        &[
            "compare",
            "--runs",
            "auto",
            "--max-runs",
            "2048",
            "--tolerance",
            "50",
            "--out",
            "cmp",
        ],
    );
    let runs = read_json(&d.join("cmp/result.json"))["runs"]
        .as_u64()
        .unwrap();
    let scenario = fs::read_to_string(d.join("cmp/scenario.toml")).unwrap();
    assert!(
        scenario.contains(&format!("\nruns = {runs}\n")),
        "result.json says {runs} runs:\n{scenario}"
    );
    succeeds(d, &["run", "cmp/scenario.toml", "--out", "rerun"]);
    assert!(
        fs::read(d.join("cmp/summary.csv")).unwrap()
            == fs::read(d.join("rerun/summary.csv")).unwrap()
    );
}
