//! `pledge export --shareable` played against an adversary. Runs are made with the binary, the
//! shareable file is exported, and then this module tries to rebuild one ally's figures from
//! it, knowing what the run's `result.json` knows (the allies' base-year data, the groups and
//! each item's buyers): by the figures of one item, by differences and sums of items bought by
//! different groups (up to three at a time), and by differences between goals. Every attempt
//! must fail: a published figure, or a combination of them, always covers at least `k` allies
//! with equipment spending and no ally holds more than `p`% of it (the contribution proxy of
//! the export: an ally's share of the base-year equipment spending; for a difference between
//! goals, its share of the change). The file must also carry no ally code or name, no title,
//! no path and no money figure.

use crate::common::{files_below, pledge, root};
use pledge::results::Results;
use pledge::scenario::metrics::Metric;
use serde_json::Value;
use std::collections::BTreeSet;
use std::fs;
use std::path::Path;
use tempfile::TempDir;

/// A scenario that makes differencing tempting: items in one category bought by `nato`, by
/// `europe_canada` (NATO without the USA), by `europe` (without Canada too), by `eu`, and by a
/// group of three allies; and a goal that differs from another only by Spain's override.
const TEMPTING: &str = r#"
schema_version = 1
title = "Tempting differences for an adversary"
horizon = 2030
runs = 200
seed = 7

[groups]
baltic_trio = ["EST", "LVA", "LTU"]

[[goal]]
id = "hague35"
label = "3.5% core + 1.5% related"
core_pct = 3.5
related_pct = 1.5

[[goal]]
id = "hague35_esp21"
label = "Hague goal, Spain at 2.1% core"
core_pct = 3.5
related_pct = 1.5
[goal.overrides.ESP]
core_pct = 2.1

[[goal]]
id = "core5"
label = "5% core"
core_pct = 5

[compliance]
attainment = { min = 0.3, mode = 0.6, max = 1 }
drift_pp = 0.15

[[item]]
id = "shells_all"
label = "Artillery shells, all buyers"
unit = "rounds"
category = "munitions"
buyers = "nato"
alpha = 0.05
unit_cost_musd = 0.005
capacity = 1000000

[[item]]
id = "shells_ec"
label = "Artillery shells, the allies but one"
unit = "rounds"
category = "munitions"
buyers = "europe_canada"
alpha = 0.05
unit_cost_musd = 0.005
capacity = 1000000

[[item]]
id = "shells_europe"
label = "Artillery shells, European allies"
unit = "rounds"
category = "munitions"
buyers = "europe"
alpha = 0.05
unit_cost_musd = 0.005
capacity = 1000000

[[item]]
id = "shells_eu"
label = "Artillery shells, the Union's allies"
unit = "rounds"
category = "munitions"
buyers = "eu"
alpha = 0.05
unit_cost_musd = 0.005
capacity = 1000000

[[item]]
id = "shells_trio"
label = "Artillery shells, three allies"
unit = "rounds"
category = "munitions"
buyers = "baltic_trio"
alpha = 0.05
unit_cost_musd = 0.005
capacity = 100000
"#;

/// Runs `pledge args..` in `dir`, expecting success; returns stdout.
#[track_caller]
fn succeeds(dir: &Path, args: &[&str]) -> String {
    let out = pledge(dir).args(args).output().unwrap();
    let (stdout, stderr) = (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "pledge {args:?}\n{stdout}\n{stderr}"
    );
    stdout
}

/// Runs `scenario` (a path) with 200 runs into `dir/run`; returns the results as read back.
fn run(dir: &Path, scenario: &str) -> Results {
    succeeds(
        dir,
        &[
            "run",
            scenario,
            "--runs",
            "200",
            "--no-report",
            "--quiet",
            "--out",
            "run",
        ],
    );
    let bytes = fs::read(dir.join("run/result.json")).unwrap();
    Results::from_json("result.json", &bytes).unwrap()
}

/// Exports `dir/run` to `dir/<file>` with extra flags; returns the file's text and JSON.
fn export(dir: &Path, file: &str, flags: &[&str]) -> (String, Value) {
    let mut args = vec!["export", "run", "--shareable", "--out", file];
    args.extend(flags);
    succeeds(dir, &args);
    let text = fs::read_to_string(dir.join(file)).unwrap();
    let json = serde_json::from_str(&text).unwrap();
    (text, json)
}

/// The adversary: what it knows, and its attempts.
struct Adversary<'a> {
    results: &'a Results,
    k: usize,
    p: f64,
}

impl Adversary<'_> {
    /// Base-year equipment spending per ally, in dataset order (USD, any scale).
    fn weights(&self) -> Vec<f64> {
        let allies = &self.results.scenario.data.allies;
        allies
            .iter()
            .map(|a| a.defence_pct_gdp * a.gdp_usd_bn * a.equipment_pct)
            .collect()
    }

    /// The scenario index of a published item or goal id (`item N` and `goal N` stand for ids
    /// replaced because they name an ally).
    fn item_index(&self, id: &str) -> usize {
        let items = &self.results.scenario.items;
        match id.strip_prefix("item ") {
            Some(n) => n.parse::<usize>().unwrap() - 1,
            None => items.iter().position(|i| i.id == id).unwrap(),
        }
    }

    fn goal_index(&self, id: &str) -> usize {
        let goals = &self.results.scenario.goals;
        match id.strip_prefix("goal ") {
            Some(n) => n.parse::<usize>().unwrap() - 1,
            None => goals.iter().position(|g| g.id == id).unwrap(),
        }
    }

    /// The buyers of item `j` as a 0/1 vector over the allies.
    fn buyers(&self, j: usize) -> Vec<i32> {
        let scenario = &self.results.scenario;
        let group = scenario.group(&scenario.items[j].buyers).unwrap();
        scenario
            .data
            .allies
            .iter()
            .map(|a| i32::from(group.members.contains(&a.iso3)))
            .collect()
    }

    /// Whether a figure made of allies with these contributions gives some ally away: fewer
    /// than `k` contributors, or one above `p`%. `None` when no ally is in it.
    fn gives_away(&self, contributions: &[f64]) -> Option<bool> {
        if contributions.is_empty() {
            return None;
        }
        let contributors = contributions.iter().filter(|&&c| c > 0.0).count();
        let total: f64 = contributions.iter().sum();
        let largest = contributions.iter().copied().fold(0.0, f64::max);
        Some(contributors < self.k || largest > total * self.p / 100.0)
    }

    /// Every attack on `share`: the first that isolates an ally, in words, or `None`.
    fn find_an_ally(&self, share: &Value) -> Option<String> {
        let scenario = &self.results.scenario;
        let weights = self.weights();
        let rows = share["published"].as_array().unwrap();
        // (item, goal) pairs published, and for each the years.
        let mut published: Vec<(usize, usize, BTreeSet<i64>)> = Vec::new();
        for row in rows {
            let j = self.item_index(row["item"].as_str().unwrap());
            let g = self.goal_index(row["goal"].as_str().unwrap());
            let year = row["year"].as_i64().unwrap();
            match published
                .iter_mut()
                .find(|(pj, pg, _)| (*pj, *pg) == (j, g))
            {
                Some((_, _, years)) => {
                    years.insert(year);
                }
                None => published.push((j, g, BTreeSet::from([year]))),
            }
        }
        let all_years: BTreeSet<i64> = scenario.years().map(i64::from).collect();
        let items: BTreeSet<usize> = published.iter().map(|(j, _, _)| *j).collect();

        // One item: its buyers alone.
        for &j in &items {
            let item = &scenario.items[j];
            let buyers = self.buyers(j);
            if (buyers.iter().sum::<i32>() as usize) < self.k || item.buyers == "USA" {
                return Some(format!("item {} has fewer than {} buyers", item.id, self.k));
            }
            let contributions: Vec<f64> = (0..buyers.len())
                .filter(|&i| buyers[i] != 0)
                .map(|i| weights[i])
                .collect();
            if self.gives_away(&contributions) != Some(false) {
                return Some(format!("item {} alone gives an ally away", item.id));
            }
        }
        // Across years: every published item and goal comes with all its years, so years add
        // no group of their own.
        for (j, _, years) in &published {
            assert_eq!(
                years, &all_years,
                "item {} lacks years",
                scenario.items[*j].id
            );
        }

        // Across groups: every signed sum of up to three distinct published buyers sets.
        let mut sets: Vec<Vec<i32>> = items.iter().map(|&j| self.buyers(j)).collect();
        sets.sort();
        sets.dedup();
        let n = sets.len();
        let mut combinations: Vec<Vec<(i32, usize)>> = Vec::new();
        for a in 0..n {
            for b in a + 1..n {
                for sb in [-1, 1] {
                    combinations.push(vec![(1, a), (sb, b)]);
                    for c in b + 1..n {
                        for sc in [-1, 1] {
                            combinations.push(vec![(1, a), (sb, b), (sc, c)]);
                        }
                    }
                }
            }
        }
        for combination in &combinations {
            let mut coefficients = vec![0; weights.len()];
            for &(sign, s) in combination {
                for (c, m) in coefficients.iter_mut().zip(&sets[s]) {
                    *c += sign * m;
                }
            }
            let contributions: Vec<f64> = (0..weights.len())
                .filter(|&i| coefficients[i] != 0)
                .map(|i| f64::from(coefficients[i].abs()) * weights[i])
                .collect();
            let isolated: Vec<&str> = (0..weights.len())
                .filter(|&i| coefficients[i] != 0)
                .map(|i| scenario.data.allies[i].iso3.as_str())
                .collect();
            if self.gives_away(&contributions) == Some(true) {
                return Some(format!(
                    "a combination of published items isolates {isolated:?}"
                ));
            }
        }

        // Across goals: for each item, the buyers whose spending differs between two goals
        // published for it.
        for &j in &items {
            let goals: Vec<usize> = published
                .iter()
                .filter(|(pj, _, _)| *pj == j)
                .map(|(_, g, _)| *g)
                .collect();
            let buyers = self.buyers(j);
            for (x, &g) in goals.iter().enumerate() {
                for &h in &goals[x + 1..] {
                    let changes: Vec<f64> = (0..buyers.len())
                        .filter(|&i| buyers[i] != 0)
                        .map(|i| self.change(i, g, h))
                        .filter(|&c| c > 0.0)
                        .collect();
                    if self.gives_away(&changes) == Some(true) {
                        return Some(format!(
                            "goals {g} and {h} of item {} differ in too few buyers",
                            scenario.items[j].id
                        ));
                    }
                }
            }
        }
        None
    }

    /// How much ally `i`'s equipment spending differs between goals `g` and `h` (plan, mean
    /// and percentiles, summed over years).
    fn change(&self, i: usize, g: usize, h: usize) -> f64 {
        let scenario = &self.results.scenario;
        let iso3 = &scenario.data.allies[i].iso3;
        let values = |goal: usize, year: i32| {
            let row = self
                .results
                .row(
                    &scenario.goals[goal].id,
                    year,
                    iso3,
                    None,
                    Metric::EquipmentMusd,
                )
                .unwrap();
            let stats = row.stats.unwrap();
            let mut v = vec![row.plan, stats.mean];
            v.extend(stats.percentiles);
            v
        };
        scenario
            .years()
            .map(|year| {
                let (a, b) = (values(g, year), values(h, year));
                a.iter().zip(&b).map(|(x, y)| (x - y).abs()).sum::<f64>()
            })
            .sum()
    }
}

/// The file carries no ally code or name, no title, no path, no money and no override.
#[track_caller]
fn carries_nothing_of_the_allies(text: &str, results: &Results, dir: &Path) {
    let lower = text.to_lowercase();
    for ally in &results.scenario.data.allies {
        assert!(!text.contains(&ally.iso3), "the file holds {}", ally.iso3);
        assert!(
            !lower.contains(&ally.name.to_lowercase()),
            "the file holds {}",
            ally.name
        );
    }
    assert!(
        !text.contains(&results.scenario.title),
        "the file holds the title"
    );
    for (needle, what) in [
        (dir.to_string_lossy().as_ref(), "the folder"),
        (".toml", "a scenario file"),
        ("musd", "a money figure"),
        ("\"overrides\"", "an override"),
        ("\"nato\"", "a group name"),
        ("europe_canada", "a group name"),
        ("baltic_trio", "a group name"),
    ] {
        assert!(!lower.contains(needle), "the file holds {what}: {needle}");
    }
    let scenario_file = results.scenario.file.as_deref().unwrap();
    assert!(
        !text.contains(scenario_file),
        "the file holds the scenario's file name"
    );
}

/// Published figures are rounded as the file says: 2 significant figures, ordered
/// percentiles, probabilities in steps of 5 points.
#[track_caller]
fn rounded(share: &Value) {
    let significant = |v: f64| {
        let v = v.abs();
        if v == 0.0 {
            return true;
        }
        let scale = 10f64.powi(1 - v.log10().floor() as i32);
        ((v * scale) - (v * scale).round()).abs() < 1e-6
    };
    for row in share["published"].as_array().unwrap() {
        for what in ["demand_units", "capacity_units"] {
            let [p10, p50, p90] = ["p10", "p50", "p90"].map(|p| {
                let v = row[format!("{what}_{p}")].as_f64().unwrap();
                assert!(significant(v), "{what}_{p} = {v} has more than 2 figures");
                v
            });
            assert!(p10 <= p50 && p50 <= p90, "{row}");
        }
        let pct = row["shortfall_prob_pct"].as_u64().unwrap();
        assert!(pct <= 100 && pct % 5 == 0, "{row}");
    }
}

/// The withheld entries as `(item, goal, rule)`.
fn withheld(share: &Value) -> Vec<(String, Option<String>, String)> {
    share["withheld"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| {
            (
                w["item"].as_str().unwrap().to_string(),
                w["goal"].as_str().map(str::to_string),
                w["rule"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn published_items(share: &Value) -> Vec<&str> {
    share["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_str().unwrap())
        .collect()
}

fn entry(item: &str, goal: Option<&str>, rule: &str) -> (String, Option<String>, String) {
    (item.into(), goal.map(str::to_string), rule.into())
}

#[test]
fn hague_export_publishes_the_european_lines_and_withholds_the_us_and_nato_ones() {
    let dir = TempDir::new().unwrap();
    let scenario = root().join("scenarios/hague-2035.toml");
    let results = run(dir.path(), scenario.to_str().unwrap());
    let run_json: Value =
        serde_json::from_slice(&fs::read(dir.path().join("run/result.json")).unwrap()).unwrap();
    assert_eq!(
        run_json["disclosure"],
        "contains per-ally figures; share only the output of pledge export --shareable"
    );
    let (text, share) = export(dir.path(), "shareable.json", &[]);

    assert_eq!(
        Adversary {
            results: &results,
            k: 5,
            p: 50.0
        }
        .find_an_ally(&share),
        None
    );
    carries_nothing_of_the_allies(&text, &results, dir.path());
    rounded(&share);
    assert_eq!(
        published_items(&share),
        ["shell155_eu", "iris_t_slm", "leopard2a8", "cv90", "caesar"]
    );
    assert_eq!(
        withheld(&share),
        [
            entry("shell155_us", None, "min_allies"),
            entry("pac3_mse", None, "max_share"),
            entry("f35", None, "max_share"),
        ]
    );
    // 5 items, 3 goals, 2025-2035.
    assert_eq!(share["published"].as_array().unwrap().len(), 5 * 3 * 11);
    assert_eq!(share["rules"]["min_allies"], 5);
    assert_eq!(share["rules"]["max_share_pct"], 50.0);
    for key in ["input_hash", "runs", "seed"] {
        assert_eq!(share["results"][key], run_json[key], "{key}");
    }
    assert_eq!(
        share["results"]["data_vintage"],
        run_json["data"]["vintage"]
    );
    assert_eq!(share["tool"]["version"], env!("CARGO_PKG_VERSION"));
    // Base year: demand is the data's base_demand, rounded.
    let first = &share["published"][0];
    assert_eq!(
        (first["item"].as_str(), first["year"].as_i64()),
        (Some("shell155_eu"), Some(2025))
    );
    assert_eq!(first["demand_units_p50"], 1_800_000);
    // Written atomically: no temporary file is left beside it.
    let left: Vec<_> = files_below(dir.path())
        .into_iter()
        .filter(|f| f.starts_with("."))
        .collect();
    assert!(left.is_empty(), "{left:?}");
}

#[test]
fn tempting_differences_are_withheld_and_the_adversary_fails() {
    let dir = TempDir::new().unwrap();
    fs::write(dir.path().join("tempting.toml"), TEMPTING).unwrap();
    let results = run(dir.path(), "tempting.toml");

    let (text, share) = export(dir.path(), "shareable.json", &[]);
    assert_eq!(
        Adversary {
            results: &results,
            k: 5,
            p: 50.0
        }
        .find_an_ally(&share),
        None
    );
    carries_nothing_of_the_allies(&text, &results, dir.path());
    rounded(&share);
    let european = ["shell155_eu", "iris_t_slm", "leopard2a8", "cv90", "caesar"];
    assert_eq!(
        published_items(&share),
        [&european[..], &["shells_ec"]].concat()
    );
    let mut expected = Vec::new();
    // The goal that differs from the Hague goal only by Spain's override is published for no
    // item; its id and label name Spain, so it is "goal 2".
    for item in [
        "shell155_eu",
        "shell155_us",
        "pac3_mse",
        "iris_t_slm",
        "leopard2a8",
        "cv90",
        "caesar",
        "f35",
        "shells_all",
        "shells_ec",
        "shells_europe",
        "shells_eu",
        "shells_trio",
    ] {
        expected.push(match item {
            "shell155_us" | "shells_trio" => entry(item, None, "min_allies"),
            "pac3_mse" | "f35" | "shells_all" => entry(item, None, "max_share"),
            "shells_europe" | "shells_eu" => entry(item, None, "complementary"),
            _ => entry(item, Some("goal 2"), "goal_difference"),
        });
    }
    assert_eq!(withheld(&share), expected);
    assert_eq!(share["goals"][1]["id"], "goal 2");
    // USA = nato - europe_canada is not there to take.
    let buyers_of = |id: &str| {
        share["published"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["item"] == id)
    };
    assert!(buyers_of("shells_ec") && !buyers_of("shells_all"));

    // With p = 80, nato is no longer dominated: it is the larger group, so it is published and
    // every group that differs from it too little gives way.
    let (text, share) = export(dir.path(), "loose.json", &["--max-share-pct", "80"]);
    assert_eq!(
        Adversary {
            results: &results,
            k: 5,
            p: 80.0
        }
        .find_an_ally(&share),
        None
    );
    carries_nothing_of_the_allies(&text, &results, dir.path());
    assert_eq!(published_items(&share), ["pac3_mse", "f35", "shells_all"]);
    assert!(withheld(&share).contains(&entry("shells_ec", None, "complementary")));

    // Stricter rules only withhold more.
    let (_, share) = export(
        dir.path(),
        "strict.json",
        &["--min-allies", "31", "--max-share-pct", "20"],
    );
    assert_eq!(
        Adversary {
            results: &results,
            k: 31,
            p: 20.0
        }
        .find_an_ally(&share),
        None
    );
    assert!(published_items(&share).is_empty());

    // The adversary has teeth: on an export made under looser rules (k = 2, p = 100) it finds
    // an ally that the default rules protect.
    let flags = ["--min-allies", "2", "--max-share-pct", "100"];
    let (_, share) = export(dir.path(), "lax.json", &flags);
    let lax = Adversary {
        results: &results,
        k: 2,
        p: 100.0,
    };
    assert_eq!(lax.find_an_ally(&share), None);
    let strict = Adversary {
        results: &results,
        k: 5,
        p: 50.0,
    };
    assert!(strict.find_an_ally(&share).is_some());
}

#[test]
fn bad_exports_are_refused_and_write_nothing() {
    let dir = TempDir::new().unwrap();
    let scenario = root().join("scenarios/hague-2035.toml");
    succeeds(
        dir.path(),
        &[
            "run",
            scenario.to_str().unwrap(),
            "--runs",
            "20",
            "--no-report",
            "--quiet",
            "--out",
            "run",
        ],
    );
    fs::create_dir(dir.path().join("empty")).unwrap();
    fs::create_dir(dir.path().join("damaged")).unwrap();
    fs::write(dir.path().join("damaged/result.json"), "{\"rows\": [").unwrap();
    let before = files_below(dir.path());
    let cases: [(&[&str], &str); 10] = [
        (&["empty", "--shareable"], "result.json: cannot read"),
        (&["damaged", "--shareable"], "not a pledge result.json"),
        (&["run"], "--shareable: is required"),
        (
            &["run", "--shareable", "--min-allies", "1"],
            "--min-allies: 1 is out of range",
        ),
        (
            &["run", "--shareable", "--min-allies", "-4"],
            "--min-allies: -4 is out of range",
        ),
        (
            &["run", "--shareable", "--max-share-pct", "0"],
            "--max-share-pct: 0 is out of range",
        ),
        (
            &["run", "--shareable", "--max-share-pct", "100.1"],
            "--max-share-pct: 100.1 is out",
        ),
        (
            &["run", "--shareable", "--max-share-pct", "-5"],
            "--max-share-pct: -5 is out of range",
        ),
        (
            &["run", "--shareable", "--out", "run/result.json"],
            "run is a run's folder (it holds result.json",
        ),
        (
            &["run", "--shareable", "--out", "run/shareable.json"],
            "write the file to share elsewhere",
        ),
    ];
    for (args, message) in cases {
        let mut all = vec!["export"];
        all.extend(args);
        if !args.contains(&"--out") {
            all.extend(["--out", "shareable.json"]);
        }
        let out = pledge(dir.path()).args(&all).output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{all:?}: {stderr}");
        assert!(
            stderr.starts_with("error: ") && stderr.contains(message),
            "{all:?}: {stderr}"
        );
        assert_eq!(files_below(dir.path()), before, "{all:?} wrote something");
    }
    // --out is a folder.
    let out = pledge(dir.path())
        .args(["export", "run", "--shareable", "--out", "empty"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("is a folder"));
    assert_eq!(files_below(dir.path()), before);
}
