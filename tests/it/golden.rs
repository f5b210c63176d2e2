//! Golden files: every shipped scenario in `scenarios/` (not the `targets-*.toml` files of
//! `pledge target`, which `target.rs` runs) is also a fixture, run by `pledge run` at its own
//! `runs` and `seed`, whose `summary.csv` (plan values and Monte Carlo statistics) must equal
//! `tests/golden/<stem>.summary.csv` byte for byte. There is one test per scenario, and a test
//! that every scenario has one (and every golden file a scenario), so a new scenario cannot be
//! forgotten.
//!
//! After an intended change, rewrite the golden files and snapshots with
//!
//! ```sh
//! PLEDGE_BLESS=1 cargo test --release --test it -- golden snapshot
//! ```
//!
//! and review the diff (`git diff tests/golden`) before committing. With `PLEDGE_BLESS=1` the
//! tests write and pass; without it, a mismatch names the first line that differs.

use crate::common::{assert_golden, golden_dir, pledge, shipped};
use std::collections::BTreeSet;

/// Runs `scenarios/{stem}.toml` and compares its `summary.csv` with its golden file.
fn check(stem: &str) {
    let out = tempfile::tempdir().unwrap();
    pledge(out.path())
        .arg("run")
        .arg(shipped(&format!("{stem}.toml")))
        .args(["--out", "."])
        .assert()
        .success();
    let actual = std::fs::read(out.path().join("summary.csv")).unwrap();
    assert_golden(&format!("{stem}.summary.csv"), &actual);
}

/// One test per shipped scenario, and the list of the scenarios they cover.
macro_rules! golden_tests {
    ($($test:ident => $stem:literal,)*) => {
        $(
            #[test]
            fn $test() {
                check($stem);
            }
        )*
        /// The scenarios that have a golden test.
        const COVERED: &[&str] = &[$($stem),*];
    };
}

golden_tests! {
    declared_plans => "declared-plans",
    europe_alone => "europe-alone",
    front_loaded => "front-loaded",
    hague_2035 => "hague-2035",
    nordic_baltic => "nordic-baltic",
    spain_flexibility => "spain-flexibility",
}

/// The stems of the files in `dir` whose names end in `suffix`, sorted.
fn stems(dir: &std::path::Path, suffix: &str) -> BTreeSet<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter_map(|name| name.strip_suffix(suffix).map(str::to_string))
        .collect()
}

#[test]
fn every_shipped_scenario_has_a_golden_test_and_every_golden_file_a_scenario() {
    // Targets files (`pledge target`) are not scenarios; tests/it/target.rs runs them.
    let scenarios: BTreeSet<String> = stems(&shipped(""), ".toml")
        .into_iter()
        .filter(|stem| !stem.starts_with("targets-"))
        .collect();
    let covered: BTreeSet<String> = COVERED.iter().map(|s| s.to_string()).collect();
    assert_eq!(
        scenarios, covered,
        "scenarios/*.toml against the golden tests: add the new scenario to `golden_tests!` in \
         tests/it/golden.rs and create its golden file with PLEDGE_BLESS=1"
    );
    let golden = stems(&golden_dir(), ".summary.csv");
    assert_eq!(
        golden, covered,
        "tests/golden/*.summary.csv against the golden tests: remove the golden file of a \
         scenario that is gone"
    );
}
