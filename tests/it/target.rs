//! `pledge target`, the inverse question: the inverse of a forward run recovers the goal it was
//! run with; a planted case with every distribution at zero width gives the answer computed by
//! hand; bad targets files are refused with their file, line and column, exit code 2 and
//! nothing written; 1 and 2 threads write the same bytes; the shipped Bruegel-Kiel file runs.

use crate::common::{files_below, pledge, root};
use pledge::mc::{Sampler, rng};
use pledge::model::draws::Draws;
use pledge::model::{Model, Workspace};
use pledge::scenario;
use pledge::scenario::metrics::{Layout, Metric, RowKey};
use serde_json::Value;
use std::fs;
use std::path::Path;

/// The step of the searched levels, percentage points of GDP.
const STEP_PP: f64 = 0.01;

fn read_json(path: &Path) -> Value {
    serde_json::from_slice(&fs::read(path).unwrap()).unwrap()
}

/// Runs `pledge target` in `dir` with `args`, expects success, returns stdout.
#[track_caller]
fn target_ok(dir: &Path, args: &[&str]) -> String {
    let out = pledge(dir).arg("target").args(args).output().unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "pledge target {args:?} failed\nstdout:\n{stdout}\nstderr:\n{stderr}"
    );
    assert!(stderr.is_empty(), "stderr: {stderr}");
    stdout
}

/// The answer for `condition` at `probability_pct` in a `target.json`: the core share, or
/// `None` when not reached.
fn answer(json: &Value, condition: &str, probability_pct: u64) -> Option<f64> {
    let a = json["answers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["condition"] == condition && a["probability_pct"] == probability_pct)
        .unwrap_or_else(|| panic!("no answer for {condition} at {probability_pct}%"));
    a["core_pct"].as_f64()
}

/// A scenario of the builtin data with the shipped scenarios' uncertainty (the calibrated
/// compliance, share drift, capacity plans delivered in part, cost inflation and a random mix)
/// and one goal: 3% core by 2030 on a straight line.
const FORWARD_SCENARIO: &str = r#"schema_version = 1
title = "3% by 2030"
horizon = 2030
runs = 1000
seed = 7

[[goal]]
id = "core3"
label = "3% core by 2030"
core_pct = 3.0
target_year = 2030

[growth]
correlation = 0.5
sd_scale = 1.0

[compliance]
lag_years = 0
attainment = { min = 0.3, mode = 0.6, max = 1 }
drift_pp = 0.15
drift_correlation = 0.17

[capacity]
plan_attainment = { min = 0.3, mode = 0.6, max = 1.0 }

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
"#;

/// Forward: run the goal of 3% by 2030, and in each run take what Europe+Canada's land money
/// added since 2025 buys of Leopard 2A8 tanks in 2026-2030 at the run's unit costs (the model's
/// own functions, not the target module's). Inverse: ask `pledge target` for the share at which
/// the median of those quantities is affordable with probability 50%. It must be the 3% the
/// forward run used, within the search's step of 0.01 pp.
#[test]
fn the_inverse_of_a_forward_run_recovers_its_goal() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("forward.toml"), FORWARD_SCENARIO).unwrap();
    let scenario = scenario::load(&dir.path().join("forward.toml")).unwrap();
    let model = Model::new(&scenario);
    let layout = Layout::new(&scenario);
    let sampler = Sampler::new(&scenario);
    let tank = scenario
        .items
        .iter()
        .position(|i| i.id == "leopard2a8")
        .unwrap();
    let group = scenario.group_index("europe_canada").unwrap();
    let equipment_row = |year: i32| {
        layout
            .find(&RowKey {
                goal: 0,
                year,
                group,
                item: None,
                metric: Metric::EquipmentMusd,
            })
            .unwrap()
    };
    let mut draws = Draws::plan(&scenario);
    let mut work = Workspace::default();
    let mut out = vec![0.0; layout.len()];
    let mut bought: Vec<f64> = (0..scenario.runs)
        .map(|run| {
            sampler.fill(&mut rng::run_rng(scenario.seed, run), &mut draws);
            model.evaluate(&draws, &mut work, &mut out);
            (2026..=2030)
                .map(|year| {
                    let y = (year - 2025) as usize;
                    let added = model.added_category_musd(tank, out[equipment_row(year)], &draws);
                    added / model.unit_cost_musd(&work, tank, y)
                })
                .sum()
        })
        .collect();
    bought.sort_by(f64::total_cmp);
    // The nearest-rank median: the ceil(0.5 n)-th smallest.
    let median = bought[(scenario.runs as usize).div_ceil(2) - 1];
    assert!(median > 100.0, "the goal buys tanks: {median}");

    let targets = format!(
        "schema_version = 1\nscenario = \"forward.toml\"\ngroup = \"europe_canada\"\nyear = 2030\n\n[[target]]\nitem = \"leopard2a8\"\nquantity = {median}\n"
    );
    fs::write(dir.path().join("inverse.toml"), targets).unwrap();
    target_ok(dir.path(), &["inverse.toml", "--out", "out", "--quiet"]);
    let json = read_json(&dir.path().join("out/target.json"));
    let found = answer(&json, "affordable", 50).expect("reached");
    assert!(
        (found - 3.0).abs() <= STEP_PP + 1e-12,
        "the inverse found {found}% for the quantity the 3% goal buys in half the runs"
    );
    // At 3% itself at least half the runs afford the median quantity: one run buys exactly it.
    let curve = |condition: &str| -> Vec<f64> {
        json["curve"][condition]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p.as_f64().unwrap())
            .collect()
    };
    let affordable = curve("affordable");
    assert!(affordable[300] >= 0.5, "p(3%) = {}", affordable[300]);
    // More certainty needs more money.
    let ninety = answer(&json, "affordable", 90).expect("reached");
    assert!(ninety > found, "90%: {ninety}, 50%: {found}");
}

/// Two allies of GDP USD 1,000 bn, 2% on defence, 25% of it on equipment, no growth; every
/// distribution at zero width, so every run is the plan.
const PLANTED_ALLIES: &str = "iso3,name,eu,region,gdp_usd_bn,defence_pct_gdp,equipment_pct,growth_mean_pct,growth_sd_pct\n\
AAA,Aland,1,europe,1000,2,25,0,1\n\
BBB,Bland,1,europe,1000,2,25,0,1\n";

/// A tank (land, USD 10 m, 10 bought in the base year, capacity 1,000 a year) and a shell
/// (munitions, USD 1 m, 900 bought, capacity 1,000 a year), both bought by NATO (the two
/// allies), no cost uncertainty, no capacity growth.
const PLANTED_ITEMS: &str = "id,label,category,buyers,base_demand,unit_cost_musd,cost_sigma,capacity,capacity_growth_min_pct,capacity_growth_mode_pct,capacity_growth_max_pct,lead_years\n\
tank,Tanks,land,nato,10,10,0,1000,0,0,0,0\n\
shell,Shells,munitions,nato,900,1,0,1000,0,0,0,0\n";

const PLANTED_SCENARIO: &str = r#"schema_version = 1
title = "planted"
horizon = 2032
runs = 40
seed = 3

[data]
allies = "allies.csv"
items = "items.csv"
capacity_plans = "none"
plans = "none"

[growth]
sd_scale = 0

[[goal]]
id = "low"
label = "3% by 2030"
core_pct = 3.0
target_year = 2030

[[goal]]
id = "high"
label = "5% by 2030"
core_pct = 5.0
target_year = 2030
"#;

/// Worked by hand. Group GDP is 2,000 bn in every year, and the equipment share stays 25%
/// (above the default goal of 20%), so under a goal of x% by 2030 equipment money in year
/// 2025 + k (k <= 5) is 0.25 * 20,000 * (2 + (x - 2) k / 5) USD m, and the money added since
/// 2025 is 1,000 (x - 2) k; after 2030 it stays at 5,000 (x - 2). With the default mix (land
/// 0.25, munitions 0.15, fixed):
///
/// - 750 tanks by 2030: land money 250 (x - 2) k buys 25 (x - 2) k tanks a year, 375 (x - 2)
///   over k = 1..5: affordable from x = 4.00 exactly, in every run.
/// - 1,200 shells a year from 2030 to 2032: munitions money 750 (x - 2) a year buys 750 (x - 2)
///   shells: affordable from x = 3.60; together, 4.00.
/// - Deliverable: the tank line has 1,000 - 10 = 990 spare a year, 4,950 over 2026-2030 (more
///   than 750); the shell line 1,000 - 900 = 100 a year, less than 1,200: never deliverable.
/// - The goal of 3% pays in no run (375 tanks), the goal of 5% in every run (1,125 tanks, 2,250
///   shells a year); with the shells not deliverable, neither pays for deliverable targets.
/// - At 4%, the group's core share in 2030 is 4%.
#[test]
fn a_planted_case_gives_the_answer_worked_by_hand() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("allies.csv"), PLANTED_ALLIES).unwrap();
    fs::write(dir.path().join("items.csv"), PLANTED_ITEMS).unwrap();
    fs::write(dir.path().join("planted.toml"), PLANTED_SCENARIO).unwrap();
    let targets = "schema_version = 1\nscenario = \"planted.toml\"\ngroup = \"nato\"\nyear = 2030\n\n\
[[target]]\nitem = \"tank\"\nquantity = 750\n\n[[target]]\nitem = \"shell\"\nper_year = 1200\n";
    fs::write(dir.path().join("t.toml"), targets).unwrap();
    let stdout = target_ok(dir.path(), &["t.toml", "--out", "out", "--quiet"]);
    let json = read_json(&dir.path().join("out/target.json"));
    for p in [50, 90] {
        assert_eq!(answer(&json, "affordable", p), Some(4.0), "{p}%");
        assert_eq!(answer(&json, "affordable_and_deliverable", p), None, "{p}%");
    }
    let not_reached = json["answers"][0]["not_reached"].as_str().unwrap();
    assert!(not_reached.starts_with("capacity"), "{not_reached}");
    assert_eq!(json["plan"]["core_pct_affordable"], 4.0);
    assert_eq!(json["plan"]["deliverable"], false);
    let affordable = &json["curve"]["affordable"];
    assert_eq!(affordable[399], 0.0, "3.99%");
    assert_eq!(affordable[400], 1.0, "4.00%");
    let core = &json["answers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["condition"] == "affordable")
        .unwrap()["group_core_pct_gdp"];
    for key in ["p10", "p50", "p90", "plan"] {
        let v = core[key].as_f64().unwrap();
        assert!((v - 4.0).abs() < 1e-12, "{key}: {v}");
    }
    let goals = json["goals"].as_array().unwrap();
    assert_eq!(goals[0]["affordable"], 0.0);
    assert_eq!(goals[1]["affordable"], 1.0);
    assert_eq!(goals[1]["affordable_and_deliverable"], 0.0);
    let delivery = json["deliverable"]["targets"].as_array().unwrap();
    assert_eq!(delivery[0]["probability"], 1.0);
    assert_eq!(delivery[1]["probability"], 0.0);
    let spare = |t: usize, key: &str| delivery[t]["spare"][key].as_f64().unwrap();
    assert!((spare(0, "p50") - 4950.0).abs() < 1e-9);
    assert!((spare(1, "plan") - 100.0).abs() < 1e-9);
    assert!(stdout.contains("probability 50%: 4.00% of GDP"), "{stdout}");
    assert!(stdout.contains("not reached at any share"), "{stdout}");

    // Without the shells, the same tanks are affordable and deliverable from 4%.
    let tanks_only = "schema_version = 1\nscenario = \"planted.toml\"\ngroup = \"nato\"\nyear = 2030\n\n\
[[target]]\nitem = \"tank\"\nquantity = 750\n";
    fs::write(dir.path().join("tanks.toml"), tanks_only).unwrap();
    target_ok(dir.path(), &["tanks.toml", "--out", "tanks", "--quiet"]);
    let json = read_json(&dir.path().join("tanks/target.json"));
    assert_eq!(answer(&json, "affordable_and_deliverable", 90), Some(4.0));
    // And the shells alone from 3.60%.
    let shells_only = "schema_version = 1\nscenario = \"planted.toml\"\ngroup = \"nato\"\nyear = 2030\n\n\
[[target]]\nitem = \"shell\"\nper_year = 1200\n";
    fs::write(dir.path().join("shells.toml"), shells_only).unwrap();
    target_ok(dir.path(), &["shells.toml", "--out", "shells", "--quiet"]);
    let json = read_json(&dir.path().join("shells/target.json"));
    assert_eq!(answer(&json, "affordable", 50), Some(3.6));
}

/// A valid targets file on the shipped Hague scenario, to be broken one line at a time.
fn valid_targets() -> String {
    let scenario = root().join("scenarios/hague-2035.toml");
    format!(
        "schema_version = 1\nscenario = \"{}\"\ngroup = \"europe_canada\"\nyear = 2030\ngoal = \"hague35\"\n\n[[target]]\nitem = \"leopard2a8\"\nquantity = 100\n",
        scenario.display()
    )
}

/// Each bad file: exit code 2, one `error: t.toml:LINE:COLUMN: ...` message with the given
/// words, and nothing written.
#[test]
fn bad_targets_files_are_refused_where_they_are_wrong() {
    let valid = valid_targets();
    let scenario_line = valid.lines().nth(1).unwrap().to_string();
    let cases: Vec<(String, &str, &str)> = vec![
        (
            valid.replace("year = 2030", "year = 2030\ncolour = 1"),
            "t.toml:5:1:",
            "unknown field `colour`",
        ),
        (
            valid.replace("quantity = 100", "quantity = 100\namount = 3"),
            "t.toml:10:1:",
            "unknown field `amount`",
        ),
        (
            valid.replace("schema_version = 1\n", ""),
            "t.toml:1:1:",
            "missing key 'schema_version'",
        ),
        (
            valid.replace(&scenario_line, "scenario = \"missing.toml\""),
            "t.toml:2:12:",
            "cannot read",
        ),
        (
            valid.replace(&format!("{scenario_line}\n"), ""),
            "t.toml:1:1:",
            "missing key 'scenario'",
        ),
        (
            valid.replace("europe_canada", "asia"),
            "t.toml:3:9:",
            "group = \"asia\" is not a group of the scenario",
        ),
        (
            valid.replace("year = 2030", "year = 2025"),
            "t.toml:4:8:",
            "year = 2025 is out of range; expected a year from 2026 to 2035",
        ),
        (
            valid.replace("hague35", "hague99"),
            "t.toml:5:8:",
            "goal = \"hague99\" is not a goal of the scenario; expected one of wales2, hague35, core5",
        ),
        (
            valid.replace("leopard2a8", "tank9"),
            "t.toml:8:8:",
            "item = \"tank9\" is not an item of the scenario",
        ),
        (
            valid.replace("leopard2a8", "f35"),
            "t.toml:8:8:",
            "item 'f35' is bought by nato, not by the group europe_canada",
        ),
        (
            valid.replace("quantity = 100", "quantity = -5"),
            "t.toml:9:12:",
            "target 'leopard2a8': quantity = -5 is out of range",
        ),
        (
            valid.replace("quantity = 100", "quantity = \"many\""),
            "t.toml:9:12:",
            "expected a number",
        ),
        (
            valid.replace("quantity = 100", "quantity = 100\nper_year = 10"),
            "t.toml:10:12:",
            "gives both quantity and per_year",
        ),
        (
            valid.replace("quantity = 100", "label = \"Tanks\""),
            "t.toml:8:8:",
            "missing key 'quantity' or 'per_year'",
        ),
        (
            format!("{valid}\n[[target]]\nitem = \"leopard2a8\"\nper_year = 5\n"),
            "t.toml:12:8:",
            "item 'leopard2a8' has a target already",
        ),
        (
            valid.split("[[target]]").next().unwrap().to_string(),
            "t.toml:1:1:",
            "missing key '[[target]]'",
        ),
        (
            valid.replace("year = 2030", "year = 2030\nruns = 0"),
            "t.toml:5:8:",
            "runs = 0 is out of range",
        ),
    ];
    for (text, location, words) in cases {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("t.toml"), &text).unwrap();
        let out = pledge(dir.path())
            .args(["target", "t.toml", "--out", "out", "--quiet"])
            .output()
            .unwrap();
        let stderr = String::from_utf8(out.stderr).unwrap();
        assert_eq!(out.status.code(), Some(2), "{words}: {stderr}\n{text}");
        assert!(
            stderr.starts_with(&format!("error: {location} ")),
            "expected {location}: {stderr}\n{text}"
        );
        assert!(stderr.contains(words), "expected '{words}': {stderr}");
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
        assert_eq!(
            files_below(dir.path()),
            vec![Path::new("t.toml").to_path_buf()],
            "nothing written: {words}"
        );
    }
}

#[test]
fn one_and_two_threads_write_the_same_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let file = root().join("scenarios/targets-bruegel-kiel-2025.toml");
    let file = file.to_str().unwrap();
    for (threads, out) in [("1", "one"), ("2", "two")] {
        target_ok(
            dir.path(),
            &[
                file,
                "--runs",
                "300",
                "--threads",
                threads,
                "--out",
                out,
                "--quiet",
            ],
        );
    }
    for name in ["target.csv", "target.json"] {
        let one = fs::read(dir.path().join("one").join(name)).unwrap();
        let two = fs::read(dir.path().join("two").join(name)).unwrap();
        assert!(one == two, "{name} differs between 1 and 2 threads");
    }
}

#[test]
fn the_shipped_bruegel_kiel_targets_run() {
    let dir = tempfile::tempdir().unwrap();
    let file = root().join("scenarios/targets-bruegel-kiel-2025.toml");
    let stdout = target_ok(
        dir.path(),
        &[file.to_str().unwrap(), "--runs", "256", "--seed", "11"],
    );
    // The answer comes first, with its unit and the compliance assumed.
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(
        lines[0],
        "Bruegel-Kiel 2025 heavy equipment for Europe+Canada by 2030"
    );
    assert!(
        lines[2].contains("affordable and deliverable") && lines[2].contains("probability 50%")
    );
    assert!(stdout.contains("% of GDP"), "{stdout}");
    assert!(
        stdout.contains("Compliance: as on the Wales record"),
        "{stdout}"
    );
    assert!(stdout.contains("Wrote target.csv, target.json to out/targets-bruegel-kiel-2025"));
    let out = dir.path().join("out/targets-bruegel-kiel-2025");
    let json = read_json(&out.join("target.json"));
    assert_eq!(json["runs"], 256);
    assert_eq!(json["seed"], 11);
    assert_eq!(json["tool"]["version"], env!("CARGO_PKG_VERSION"));
    assert!(!json["data"]["vintage"].as_str().unwrap().is_empty());
    for hash in ["input_hash", "scenario_input_hash"] {
        let h = json[hash].as_str().unwrap();
        assert!(
            h.len() == 64 && h.chars().all(|c| c.is_ascii_hexdigit()),
            "{hash}"
        );
    }
    let items: Vec<&str> = json["targets"]["targets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["item"].as_str().unwrap())
        .collect();
    assert_eq!(items, ["leopard2a8", "cv90", "caesar"]);
    // The curves rise with the share, and deliverability only lowers them.
    let curve = |c: &str| -> Vec<f64> {
        json["curve"][c]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p.as_f64().unwrap())
            .collect()
    };
    let (affordable, both) = (curve("affordable"), curve("affordable_and_deliverable"));
    assert_eq!(affordable.len(), 1001);
    assert!(affordable.windows(2).all(|w| w[0] <= w[1]));
    assert!(affordable.iter().zip(&both).all(|(a, b)| b <= a));
    // The scenario's goals are listed with their probabilities, each between 0 and 1.
    let goals = json["goals"].as_array().unwrap();
    assert_eq!(goals.len(), 3);
    assert!(
        goals
            .iter()
            .all(|g| (0.0..=1.0).contains(&g["affordable"].as_f64().unwrap()))
    );
    let csv = fs::read_to_string(out.join("target.csv")).unwrap();
    assert!(csv.starts_with("metric,goal,core_pct,condition,probability_pct,item,value\n"));
    assert!(csv.contains("\ncore_pct_needed,search,,affordable,50,,"));
    assert!(csv.contains("\nprobability,hague35,3.5,affordable,,,"));
    // A second run with the same seed writes the same bytes.
    let again = tempfile::tempdir().unwrap();
    target_ok(
        again.path(),
        &[
            file.to_str().unwrap(),
            "--runs",
            "256",
            "--seed",
            "11",
            "--quiet",
        ],
    );
    let again_json = fs::read(
        again
            .path()
            .join("out/targets-bruegel-kiel-2025/target.json"),
    );
    assert!(again_json.unwrap() == fs::read(out.join("target.json")).unwrap());
}
