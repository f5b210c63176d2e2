//! Sensitivity on planted structure: a scenario with one uncertain input ranks it first, an
//! item's unit-cost shock drives its demand down, and `sensitivity.csv` does not depend on the
//! thread count or on a split into shards.

use crate::common::{pledge, root};
use pledge::data::{builtin, items_to_csv, parse_items};
use pledge::dist::Triangular;
use pledge::mc::summary::Summary;
use pledge::mc::{Engine, block_count};
use pledge::model::Model;
use pledge::results::sensitivity::{Measure, OutputSensitivity, Stopped, When};
use pledge::results::{Results, Sensitivity};
use pledge::scenario::{self, Scenario};
use pledge::stop::StopFlag;
use std::path::Path;
use std::sync::atomic::AtomicU64;

/// The Hague scenario at `runs` runs with every spread zero, then `changes` applied to its
/// text, and each builtin item's cost sigma set by `sigma` (by item id).
fn planted(runs: u64, changes: &[(&str, &str)], sigma: impl Fn(&str) -> f64) -> Scenario {
    let dir = tempfile::tempdir().unwrap();
    let mut items = parse_items("items.csv", builtin::ITEMS_CSV).unwrap();
    for item in &mut items {
        item.cost_sigma = sigma(&item.id);
        item.capacity_growth_pct = Triangular::fixed(item.capacity_growth_pct.mode());
    }
    std::fs::write(dir.path().join("items.csv"), items_to_csv(&items)).unwrap();
    let mut text = std::fs::read_to_string(root().join("scenarios/hague-2035.toml"))
        .unwrap()
        .replace("sd_scale = 1.0", "sd_scale = 0")
        .replace(
            "attainment = { min = 0.3, mode = 0.6, max = 1 }",
            "attainment = 0.8",
        )
        .replace("drift_pp = 0.15", "drift_pp = 0")
        .replace(
            "plan_attainment = { min = 0.3, mode = 0.6, max = 1.0 }",
            "plan_attainment = 0.6",
        )
        .replace("sd = 1.0", "sd = 0")
        .replace("concentration = 200", "concentration = 0")
        .replace("[growth]", "[data]\nitems = \"items.csv\"\n[growth]")
        .replace("runs = 10000", &format!("runs = {runs}"));
    for (from, to) in changes {
        assert!(text.contains(from), "{from}");
        text = text.replace(from, to);
    }
    scenario::parse("planted.toml", &text, dir.path(), "planted").unwrap()
}

/// The results and the sensitivity of `scenario`.
fn sensitivity(scenario: &Scenario) -> Sensitivity {
    let model = Model::new(scenario);
    let central = Summary::central_with(scenario, &model);
    let accumulator = Engine::new(scenario, &model, central.variation(), Vec::new()).simulate(
        0..block_count(scenario.runs),
        scenario.runs,
        &AtomicU64::new(0),
    );
    let results = Results::from_summary(scenario, &central.with_monte_carlo(&accumulator));
    Sensitivity::compute(&results, &StopFlag::new())
        .unwrap()
        .expect("runs were made")
}

/// The headline output of `goal` named `name` (`nato.core_musd`) at the horizon.
fn at_horizon<'a>(s: &'a Sensitivity, goal: &str, name: &str) -> &'a OutputSensitivity {
    s.outputs
        .iter()
        .find(|o| o.goal == goal && o.name() == name && o.when != When::PeakRisk)
        .unwrap_or_else(|| panic!("{goal} {name}"))
}

fn names(s: &Sensitivity) -> Vec<&str> {
    s.inputs.iter().map(|i| i.name.as_str()).collect()
}

#[test]
fn the_one_uncertain_input_ranks_first() {
    // Only inflation varies: it is the one input listed, first for every output, and demand
    // falls as prices rise.
    let s = sensitivity(&planted(400, &[("sd = 0", "sd = 1.0")], |_| 0.0));
    assert_eq!(names(&s), ["inflation"]);
    assert_eq!(s.runs, 400);
    for output in &s.outputs {
        assert_eq!(s.input(&output.drivers[0]).name, "inflation");
    }
    let nato = at_horizon(&s, "hague35", "nato.core_musd");
    assert_eq!(nato.measure, Measure::P50);
    let demand = at_horizon(&s, "hague35", "shell155_eu.demand_units");
    let driver = &demand.drivers[0];
    assert!(driver.rank_correlation < -0.9, "{driver:?}");
    assert!(driver.tornado_low > driver.tornado_high, "{driver:?}");

    // Only attainment varies: the two groups' attainments are the inputs, and Europe+Canada's
    // comes first for Europe+Canada's core spending, rising with it.
    let s = sensitivity(&planted(
        400,
        &[(
            "attainment = 0.8",
            "attainment = { min = 0.3, mode = 0.6, max = 1 }",
        )],
        |_| 0.0,
    ));
    assert_eq!(names(&s), ["attainment_europe_canada", "attainment_usa"]);
    for name in ["europe_canada.core_musd", "shell155_eu.demand_units"] {
        let output = at_horizon(&s, "hague35", name);
        let first = &output.drivers[0];
        assert_eq!(s.input(first).name, "attainment_europe_canada", "{name}");
        assert!(first.rank_correlation > 0.9, "{name}: {first:?}");
        assert!(first.tornado_high > first.tornado_low, "{name}: {first:?}");
    }
    let nato = at_horizon(&s, "hague35", "nato.core_musd");
    assert_eq!(nato.drivers.len(), 2);
}

#[test]
fn no_runs_no_sensitivity_and_a_stop_stops_it() {
    let scenario = planted(64, &[("sd = 0", "sd = 1.0")], |_| 0.0);
    let plan_only = Results::from_summary(&scenario, &Summary::central(&scenario));
    assert_eq!(Sensitivity::compute(&plan_only, &StopFlag::new()), Ok(None));
    let model = Model::new(&scenario);
    let central = Summary::central_with(&scenario, &model);
    let accumulator = Engine::new(&scenario, &model, central.variation(), Vec::new()).simulate(
        0..block_count(scenario.runs),
        scenario.runs,
        &AtomicU64::new(0),
    );
    let results = Results::from_summary(&scenario, &central.with_monte_carlo(&accumulator));
    let stop = StopFlag::new();
    stop.stop();
    assert_eq!(Sensitivity::compute(&results, &stop), Err(Stopped));
}

#[test]
fn an_items_unit_cost_drives_its_demand_down() {
    // The 155 mm line's unit cost and inflation vary; the cost shock ranks first for its
    // demand, with a negative correlation (demand is money over unit cost: exactly -1 in
    // ranks), and inflation first for every other item's.
    let s = sensitivity(&planted(300, &[("sd = 0", "sd = 1.0")], |id| {
        if id == "shell155_eu" { 0.3 } else { 0.0 }
    }));
    assert_eq!(names(&s), ["inflation", "shell155_eu.unit_cost"]);
    for goal in ["wales2", "hague35", "core5"] {
        let own = at_horizon(&s, goal, "shell155_eu.demand_units");
        let first = &own.drivers[0];
        assert_eq!(s.input(first).name, "shell155_eu.unit_cost", "{goal}");
        assert!(first.rank_correlation < -0.9, "{goal}: {first:?}");
        assert!(first.tornado_low > first.tornado_high, "{goal}: {first:?}");
        let other = at_horizon(&s, goal, "pac3_mse.demand_units");
        assert_eq!(s.input(&other.drivers[0]).name, "inflation", "{goal}");
        let unrelated = &other.drivers[1];
        assert!(
            unrelated.rank_correlation.abs() < 0.3,
            "{goal}: {unrelated:?}"
        );
    }
}

fn run(dir: &Path, args: &[&str]) {
    let out = pledge(dir).args(args).output().unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn sensitivity_csv_does_not_depend_on_threads_or_shards() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let hague = root().join("scenarios/hague-2035.toml");
    let hague = hague.to_str().unwrap();
    let base = ["run", hague, "--runs", "200", "--no-report"];
    let with = |extra: [&str; 4]| {
        run(d, &[&base[..], &extra[..]].concat());
    };
    with(["--threads", "1", "--out", "t1"]);
    with(["--threads", "2", "--out", "t2"]);
    for (spec, out) in [("1/3", "s1"), ("2/3", "s2"), ("3/3", "s3")] {
        with(["--shard", spec, "--out", out]);
    }
    run(d, &["merge", "s1", "s2", "s3", "--out", "m", "--no-report"]);
    let read = |folder: &str| std::fs::read(d.join(folder).join("sensitivity.csv")).unwrap();
    let one = read("t1");
    assert!(one.starts_with(b"goal,output,year,when,input,rank_correlation,"));
    assert!(one.len() > 1000);
    assert!(one == read("t2"), "1 and 2 threads");
    assert!(one == read("m"), "3 shards merged");
    assert!(
        !d.join("s1/sensitivity.csv").exists(),
        "a shard holds no sensitivity"
    );
    let text = String::from_utf8(one).unwrap();
    assert!(text.contains(",shell155_eu.shortfall_prob,"), "{text}");
    assert!(text.lines().skip(1).all(|l| l.split(',').count() == 11));
    // The probability of a 0/1 indicator is labelled so.
    assert!(
        text.lines()
            .any(|l| l.contains("shortfall_prob") && l.ends_with(",probability"))
    );
    assert!(
        text.lines()
            .any(|l| l.contains("core_musd") && l.ends_with(",p50"))
    );
    // Peak-risk rows exist for the 155 mm line.
    assert!(text.contains(",peak_risk,") || text.contains(",horizon_and_peak_risk,"));
}
