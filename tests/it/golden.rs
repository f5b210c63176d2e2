//! Golden files: every shipped scenario in `scenarios/` is also a fixture whose `summary.csv`
//! is checked in under `tests/golden/`. A change to any number shows up as a diff.
//!
//! After an intended change, regenerate with `PLEDGE_BLESS=1 cargo test --test it golden` and
//! review the diff before committing.

use crate::common::{pledge, root};

#[test]
fn every_shipped_scenario_matches_its_golden_summary() {
    let bless = std::env::var_os("PLEDGE_BLESS").is_some();
    let mut scenarios: Vec<_> = std::fs::read_dir(root().join("scenarios"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        // Targets files (`pledge target`) are not scenarios; tests/it/target.rs runs them.
        .filter(|p| {
            !p.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with("targets-")
        })
        .collect();
    scenarios.sort();
    assert!(scenarios.len() >= 4, "expected the shipped scenarios");
    let mut mismatches = Vec::new();
    for scenario in &scenarios {
        let stem = scenario.file_stem().unwrap().to_string_lossy().into_owned();
        let out = tempfile::tempdir().unwrap();
        pledge(out.path())
            .arg("run")
            .arg(scenario)
            .args(["--out", "."])
            .assert()
            .success();
        let actual = std::fs::read(out.path().join("summary.csv")).unwrap();
        let golden = root()
            .join("tests/golden")
            .join(format!("{stem}.summary.csv"));
        if bless {
            std::fs::create_dir_all(golden.parent().unwrap()).unwrap();
            std::fs::write(&golden, &actual).unwrap();
            continue;
        }
        let expected = std::fs::read(&golden)
            .unwrap_or_else(|_| panic!("{} is missing; run with PLEDGE_BLESS=1", golden.display()));
        if actual != expected {
            let first = String::from_utf8_lossy(&actual)
                .lines()
                .zip(String::from_utf8_lossy(&expected).lines())
                .enumerate()
                .find(|(_, (a, e))| a != e)
                .map(|(i, (a, e))| format!("line {}: got {a:?}, expected {e:?}", i + 1))
                .unwrap_or_else(|| "lengths differ".to_string());
            mismatches.push(format!("{stem}: {first}"));
        }
    }
    assert!(
        mismatches.is_empty(),
        "golden mismatches:\n{}",
        mismatches.join("\n")
    );
}
