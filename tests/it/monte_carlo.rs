//! The Monte Carlo engine against distributions known in closed form, with tolerances derived
//! from the run count (the standard error of a sample quantile, `sqrt(q(1-q)/n) / f(x_q)`, times
//! four, plus the sketch's relative error), and its invariants: zero width gives the central
//! value, percentiles are ordered, goals are paired, and the result does not depend on threads
//! or on how the runs are split.

use pledge::data::{builtin, items_to_csv, parse_items};
use pledge::dist::Triangular;
use pledge::mc::summary::{QUANTILES, Summary};
use pledge::mc::{Accumulator, Engine, RELATIVE_ERROR, block_count};
use pledge::model::Model;
use pledge::scenario::metrics::Metric;
use pledge::scenario::{self, Scenario};
use std::sync::atomic::AtomicU64;

/// Standard normal quantiles at [`QUANTILES`] (to 16 digits).
const Z: [f64; 7] = [
    -1.644_853_626_951_472_2,
    -1.281_551_565_544_600_4,
    -0.674_489_750_196_081_7,
    0.0,
    0.674_489_750_196_081_7,
    1.281_551_565_544_600_4,
    1.644_853_626_951_472_2,
];

/// Standard normal density.
fn phi(z: f64) -> f64 {
    (-0.5 * z * z).exp() / (2.0 * std::f64::consts::PI).sqrt()
}

/// Standard error of the `q`-quantile of `n` draws from a density `density` at that quantile.
fn quantile_se(q: f64, n: u64, density: f64) -> f64 {
    (q * (1.0 - q) / n as f64).sqrt() / density
}

fn accumulate(scenario: &Scenario, model: &Model, blocks: std::ops::Range<u64>) -> Accumulator {
    let central = Summary::central_with(scenario, model);
    Engine::new(scenario, model, central.variation(), Vec::new()).simulate(
        blocks,
        scenario.runs,
        &AtomicU64::new(0),
    )
}

fn simulate(scenario: &Scenario) -> Summary {
    let model = Model::new(scenario);
    let accumulator = accumulate(scenario, &model, 0..block_count(scenario.runs));
    Summary::central_with(scenario, &model).with_monte_carlo(&accumulator)
}

/// Two allies, AAA (GDP 100, no mean growth, sd 30) and BBB (GDP 200, mean 1%, sd 20), and one
/// land item, with `body` after the header; data in a temporary folder.
fn toy(runs: u64, body: &str) -> Scenario {
    toy_of(
        "AAA,A,1,europe,100,2,20,0,30\nBBB,B,0,europe,200,3,30,1,20\n",
        &format!("horizon = 2026\nruns = {runs}\nseed = 11\n"),
        body,
    )
}

/// The toy's two allies (rows of the allies CSV) and land item, with `header` and `body`
/// around the `[data]` table; data in a temporary folder.
fn toy_of(allies: &str, header: &str, body: &str) -> Scenario {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("allies.csv"),
        format!(
            "iso3,name,eu,region,gdp_usd_bn,defence_pct_gdp,equipment_pct,growth_mean_pct,growth_sd_pct\n{allies}"
        ),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("items.csv"),
        "id,category,buyers,base_demand,unit_cost_musd,capacity\nwidget,land,nato,50,2,100\n",
    )
    .unwrap();
    let text = format!(
        "schema_version = 1\n{header}[data]\nallies = \"allies.csv\"\nitems = \"items.csv\"\n{body}"
    );
    scenario::parse("toy.toml", &text, dir.path(), "toy").unwrap()
}

const GOAL: &str = "[[goal]]\nid = \"g\"\nlabel = \"g\"\ncore_pct = 2\ntarget_year = 2026\n";

struct Checked<'a> {
    scenario: &'a Scenario,
    summary: &'a Summary,
}

impl Checked<'_> {
    fn group_row(&self, group: &str, metric: Metric) -> usize {
        self.summary
            .group_row(self.scenario, 0, 2026, group, metric)
            .unwrap()
    }

    fn item_row(&self, metric: Metric) -> usize {
        self.summary.item_row(0, 2026, 0, metric).unwrap()
    }

    /// Every percentile of `row` against `expected(i)`, the exact quantile at `QUANTILES[i]`, with
    /// `density(i)` the density there.
    #[track_caller]
    fn percentiles(
        &self,
        row: usize,
        expected: impl Fn(usize) -> f64,
        density: impl Fn(usize) -> f64,
    ) {
        let stats = self.summary.row_stats(row).unwrap();
        let n = self.scenario.runs;
        for (i, got) in stats.percentiles.iter().enumerate() {
            let want = expected(i);
            let tolerance =
                4.0 * quantile_se(QUANTILES[i], n, density(i)) + RELATIVE_ERROR * want.abs();
            assert!(
                (got - want).abs() <= tolerance,
                "P{}: got {got}, expected {want} +- {tolerance}",
                QUANTILES[i] * 100.0
            );
        }
    }
}

#[test]
fn gdp_after_one_year_has_normal_quantiles_and_correlated_sums() {
    let scenario = toy(200_000, &format!("{GOAL}[growth]\ncorrelation = 0.5\n"));
    let summary = simulate(&scenario);
    let check = Checked {
        scenario: &scenario,
        summary: &summary,
    };
    // AAA: GDP = 100 * (1 + 0.30 X), X standard normal.
    let sd_a = 30.0;
    check.percentiles(
        check.group_row("AAA", Metric::GdpUsdBn),
        |i| 100.0 + sd_a * Z[i],
        |i| phi(Z[i]) / sd_a,
    );
    // BBB: GDP = 200 * (1.01 + 0.20 Y).
    let sd_b = 40.0;
    check.percentiles(
        check.group_row("BBB", Metric::GdpUsdBn),
        |i| 202.0 + sd_b * Z[i],
        |i| phi(Z[i]) / sd_b,
    );
    // The sum: corr(X, Y) = 0.5, so sd = sqrt(30^2 + 40^2 + 2 * 0.5 * 30 * 40).
    let sd = (sd_a * sd_a + sd_b * sd_b + sd_a * sd_b).sqrt();
    let row = check.group_row("nato", Metric::GdpUsdBn);
    check.percentiles(row, |i| 302.0 + sd * Z[i], |i| phi(Z[i]) / sd);
    let mean = summary.row_stats(row).unwrap().mean;
    assert!(
        (mean - 302.0).abs() <= 4.0 * sd / (scenario.runs as f64).sqrt(),
        "mean {mean}"
    );
}

fn triangular_quantile(t: Triangular, q: f64) -> f64 {
    let (a, c, b) = (t.min(), t.mode(), t.max());
    if q < (c - a) / (b - a) {
        a + (q * (b - a) * (c - a)).sqrt()
    } else {
        b - ((1.0 - q) * (b - a) * (b - c)).sqrt()
    }
}

fn triangular_density(t: Triangular, x: f64) -> f64 {
    let (a, c, b) = (t.min(), t.mode(), t.max());
    if x < c {
        2.0 * (x - a) / ((b - a) * (c - a))
    } else {
        2.0 * (b - x) / ((b - a) * (b - c))
    }
}

#[test]
fn capacity_growth_is_triangular_and_unit_costs_lognormal() {
    let scenario = toy(
        200_000,
        &format!(
            "{GOAL}[growth]\nsd_scale = 0\n[[item]]\nid = \"widget\"\ncategory = \"land\"\nbuyers = \"nato\"\n\
             base_demand = 50\nunit_cost_musd = 2\ncapacity = 100\ncost_sigma = 0.4\n\
             capacity_growth_pct = {{ min = 0, mode = 10, max = 40 }}\n"
        ),
    );
    let summary = simulate(&scenario);
    let check = Checked {
        scenario: &scenario,
        summary: &summary,
    };
    // Capacity in 2026 = 100 * (1 + r / 100), r ~ triangular(0, 10, 40).
    let r = Triangular::new(0.0, 10.0, 40.0).unwrap();
    check.percentiles(
        check.item_row(Metric::CapacityUnits),
        |i| 100.0 + triangular_quantile(r, QUANTILES[i]),
        |i| triangular_density(r, triangular_quantile(r, QUANTILES[i])) / 1.0,
    );
    // Demand = plan demand / m with m = exp(0.4 z sqrt((2026 - 2025) / 10)) (MODEL.md v2: the
    // multiplier grows from 1 in the base year): lognormal, quantile plan * exp(sigma z_q).
    let central = summary.central_values()[check.item_row(Metric::DemandUnits)];
    let sigma = 0.4 * 0.1_f64.sqrt();
    check.percentiles(
        check.item_row(Metric::DemandUnits),
        |i| central * (sigma * Z[i]).exp(),
        |i| phi(Z[i]) / (sigma * central * (sigma * Z[i]).exp()),
    );
}

#[test]
fn attainment_is_triangular() {
    let scenario = toy(
        200_000,
        "[[goal]]\nid = \"g\"\nlabel = \"g\"\ncore_pct = 4\ntarget_year = 2026\nequipment_pct = 0\n\
         [growth]\nsd_scale = 0\n[compliance]\nattainment = { min = 0.5, mode = 0.8, max = 1 }\n",
    );
    let summary = simulate(&scenario);
    let check = Checked {
        scenario: &scenario,
        summary: &summary,
    };
    // AAA core 2026 = (2 + a * (4 - 2)) / 100 * 100 bn * 1000 = 2000 + 2000 a.
    let a = Triangular::new(0.5, 0.8, 1.0).unwrap();
    check.percentiles(
        check.group_row("AAA", Metric::CoreMusd),
        |i| 2000.0 + 2000.0 * triangular_quantile(a, QUANTILES[i]),
        |i| triangular_density(a, triangular_quantile(a, QUANTILES[i])) / 2000.0,
    );
    // Capacity has no uncertainty here: every percentile is exactly the base capacity.
    let capacity = summary
        .row_stats(check.item_row(Metric::CapacityUnits))
        .unwrap();
    assert_eq!(capacity.percentiles, [100.0; 7]);
}

#[test]
fn inflation_moves_unit_costs_as_a_normal() {
    let scenario = toy(
        200_000,
        &format!("{GOAL}[growth]\nsd_scale = 0\n[inflation]\nmean = 2\nsd = 5\n"),
    );
    let summary = simulate(&scenario);
    let check = Checked {
        scenario: &scenario,
        summary: &summary,
    };
    // Everything but the price index is fixed: demand = spend / (2 * (1 + c / 100)), decreasing
    // in c ~ normal(2, 5), so its q-quantile is at c's (1 - q)-quantile.
    let spend_over_cost = summary.central_values()[check.item_row(Metric::DemandUnits)] * 1.02;
    let demand = |c: f64| spend_over_cost / (1.0 + c / 100.0);
    check.percentiles(
        check.item_row(Metric::DemandUnits),
        |i| demand(2.0 - 5.0 * Z[i]),
        |i| {
            let c = 2.0 - 5.0 * Z[i];
            // density of demand = density of c / |d demand / d c|
            let slope = spend_over_cost / 100.0 / (1.0 + c / 100.0).powi(2);
            phi(Z[i]) / 5.0 / slope
        },
    );
}

#[test]
fn the_dirichlet_mix_keeps_its_mean_and_variance() {
    let concentration: f64 = 50.0;
    // A goal that adds money: AAA from 2% to 4%, BBB from 3% to 4% by 2026.
    let scenario = toy(
        200_000,
        &format!(
            "[[goal]]\nid = \"g\"\nlabel = \"g\"\ncore_pct = 4\ntarget_year = 2026\n[growth]\nsd_scale = 0\n[mix]\nland = 0.25\nair = 0.30\nmaritime = 0.15\nair_defence = 0.10\n\
             munitions = 0.15\nother = 0.05\nconcentration = {concentration}\n"
        ),
    );
    let summary = simulate(&scenario);
    let check = Checked {
        scenario: &scenario,
        summary: &summary,
    };
    // The run's land share w ~ Beta(c * 0.25, c * 0.75) (mean 0.25, variance 0.25 * 0.75 /
    // (c + 1)) splits only the money added since 2025 (MODEL.md v2): demand = 50 (the base
    // year's, split by the data mix) + the added part, proportional to w.
    let row = check.item_row(Metric::DemandUnits);
    let central = summary.central_values()[row];
    let added = central - 50.0;
    assert!(added > 10.0, "{added}");
    let sd = added / 0.25 * (0.25 * 0.75 / (concentration + 1.0)).sqrt();
    let mean = summary.row_stats(row).unwrap().mean;
    assert!(
        (mean - central).abs() <= 4.0 * sd / (scenario.runs as f64).sqrt(),
        "{mean} vs {central}"
    );
    // And the spread is that of the Beta: P25..P75 spans about 1.35 sd (normal approximation,
    // within 10% at c = 50).
    let p = summary.row_stats(row).unwrap().percentiles;
    let iqr = p[4] - p[2];
    assert!((iqr / (1.349 * sd) - 1.0).abs() < 0.1, "IQR {iqr}, sd {sd}");
}

/// Every spread of the builtin Hague scenario set to zero, with compliance fixed at lag
/// `lag` and attainment `attainment`, and capacity plans met in the share `q`.
fn zero_width_hague(runs: u64, lag: &str, attainment: &str, q: &str) -> Scenario {
    let dir = tempfile::tempdir().unwrap();
    let mut items = parse_items("items.csv", builtin::ITEMS_CSV).unwrap();
    for item in &mut items {
        item.cost_sigma = 0.0;
        item.capacity_growth_pct = Triangular::fixed(item.capacity_growth_pct.mode());
    }
    std::fs::write(dir.path().join("items.csv"), items_to_csv(&items)).unwrap();
    let text = std::fs::read_to_string(pledge_root().join("scenarios/hague-2035.toml")).unwrap();
    let text = text
        .replace("sd_scale = 1.0", "sd_scale = 0")
        .replace("lag_years = 0", &format!("lag_years = {lag}"))
        .replace(
            "attainment = { min = 0.3, mode = 0.6, max = 1 }",
            &format!("attainment = {attainment}"),
        )
        .replace("drift_pp = 0.15", "drift_pp = 0")
        .replace(
            "plan_attainment = { min = 0.3, mode = 0.6, max = 1.0 }",
            &format!("plan_attainment = {q}"),
        )
        .replace("sd = 1.0", "sd = 0")
        .replace("concentration = 200", "concentration = 0")
        .replace("[growth]", "[data]\nitems = \"items.csv\"\n[growth]")
        .replace("runs = 10000", &format!("runs = {runs}"));
    let scenario = scenario::parse("zero.toml", &text, dir.path(), "zero").unwrap();
    assert_eq!(
        scenario.compliance.lag_years,
        Triangular::fixed(lag.parse().unwrap())
    );
    assert_eq!(
        scenario.capacity.plan_attainment,
        Triangular::fixed(q.parse().unwrap())
    );
    scenario
}

fn pledge_root() -> std::path::PathBuf {
    std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn zero_width_compliance_at_0_and_1_with_q_1_gives_the_plan_in_every_run() {
    let scenario = zero_width_hague(100, "0", "1", "1");
    let summary = simulate(&scenario);
    for (row, plan) in summary.central_values().iter().enumerate() {
        let stats = summary.row_stats(row).unwrap();
        assert_eq!(stats.mean, *plan, "row {row}");
        assert_eq!(stats.percentiles, [*plan; 7], "row {row}");
    }
}

#[test]
fn fixed_lag_attainment_and_q_below_the_pledge_make_every_run_differ_from_the_plan() {
    // MODEL.md section 5: a fixed lag of 1 or attainment of 0.9 is not the plan, by design.
    let scenario = zero_width_hague(64, "1", "0.9", "0.5");
    let summary = simulate(&scenario);
    let nato = summary
        .group_row(&scenario, 1, 2030, "nato", Metric::CoreMusd)
        .unwrap();
    let stats = summary.row_stats(nato).unwrap();
    // Every run is the same (zero width) and below the plan (late and short).
    assert_eq!(stats.percentiles, [stats.mean; 7]);
    assert!(stats.mean < summary.central_values()[nato]);
    // And the US shell line, with an announced plan, gets half of the announced increase.
    let j = scenario
        .items
        .iter()
        .position(|i| i.id == "shell155_us")
        .unwrap();
    let capacity = summary.item_row(0, 2027, j, Metric::CapacityUnits).unwrap();
    let (k0, k_2027) = (480_000.0, 1_200_000.0);
    assert_eq!(summary.central_values()[capacity], k_2027);
    assert_eq!(
        summary.row_stats(capacity).unwrap().mean,
        k0 + 0.5 * (k_2027 - k0)
    );
}

#[test]
fn percentiles_are_ordered_and_probabilities_are_probabilities() {
    let scenario = scenario::load(&pledge_root().join("scenarios/hague-2035.toml")).unwrap();
    let scenario = Scenario {
        runs: 2000,
        ..scenario
    };
    let summary = simulate(&scenario);
    for (row, key) in summary.layout().rows().iter().enumerate() {
        let stats = summary.row_stats(row).unwrap();
        assert!(
            stats.percentiles.windows(2).all(|w| w[0] <= w[1]),
            "row {row}: {stats:?}"
        );
        if key.metric == Metric::ShortfallProb {
            assert!((0.0..=1.0).contains(&stats.mean), "row {row}");
        }
    }
}

#[test]
fn goals_are_paired_run_by_run() {
    // Two identical goals: their core spending varies from run to run, their difference never.
    let goal = |id: &str| {
        format!(
            "[[goal]]\nid = \"{id}\"\nlabel = \"x\"\ncore_pct = 3\n[goal.overrides.BBB]\ncore_pct = 4\n"
        )
    };
    let scenario = toy(
        500,
        &format!(
            "{}{}[growth]\ncorrelation = 0.3\n[compliance]\nattainment = {{ min = 0.5, mode = 0.9, max = 1 }}\n",
            goal("a"),
            goal("b")
        ),
    );
    let summary = simulate(&scenario);
    let core = summary
        .group_row(&scenario, 1, 2026, "nato", Metric::CoreMusd)
        .unwrap();
    let p = summary.row_stats(core).unwrap().percentiles;
    assert!(p[0] < p[6], "core spending should vary: {p:?}");
    for metric in [Metric::DeltaCoreMusd, Metric::CumDeltaCoreMusd] {
        let row = summary
            .group_row(&scenario, 1, 2026, "nato", metric)
            .unwrap();
        let stats = summary.row_stats(row).unwrap();
        assert_eq!(stats.percentiles, [0.0; 7]);
        assert_eq!(stats.mean, 0.0);
    }
}

#[test]
fn statistics_do_not_depend_on_threads_or_on_the_split() {
    let scenario = scenario::load(&pledge_root().join("scenarios/nordic-baltic.toml")).unwrap();
    let scenario = Scenario {
        runs: 1000,
        ..scenario
    };
    let model = Model::new(&scenario);
    let blocks = block_count(scenario.runs);
    let on = |threads: usize| {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        pool.install(|| accumulate(&scenario, &model, 0..blocks))
    };
    let one = on(1);
    assert_eq!(one, on(2));
    assert_eq!(one, on(3));
    // Split at uneven places and merged in reverse order.
    let mut merged = accumulate(&scenario, &model, 23..blocks);
    merged.merge(&accumulate(&scenario, &model, 5..23));
    merged.merge(&accumulate(&scenario, &model, 0..5));
    assert_eq!(one, merged);
}

/// Every row `Model::variation` leaves untracked is, over 50 raw runs, constant or a copy.
fn check_variation(scenario: &Scenario) {
    use pledge::mc::{Sampler, rng};
    use pledge::model::Workspace;
    use pledge::model::draws::Draws;
    use pledge::scenario::metrics::RowVariation;
    let model = Model::new(scenario);
    let central = Summary::central_with(scenario, &model);
    let variation = central.variation();
    let sampler = Sampler::new(scenario);
    let mut draws = Draws::plan(scenario);
    let mut out = vec![0.0; model.values_per_run()];
    let mut work = Workspace::default();
    let mut varied = 0;
    for run in 0..50 {
        sampler.fill(&mut rng::run_rng(1, run), &mut draws);
        model.evaluate(&draws, &mut work, &mut out);
        for (row, v) in variation.iter().enumerate() {
            match *v {
                RowVariation::Constant => {
                    assert_eq!(out[row], central.central_values()[row], "row {row}")
                }
                RowVariation::SameAs(source) => assert_eq!(out[row], out[source], "row {row}"),
                RowVariation::Varies => {
                    varied += usize::from(out[row] != central.central_values()[row])
                }
            }
        }
    }
    assert!(varied > 0);
    assert!(
        variation
            .iter()
            .any(|v| matches!(v, RowVariation::SameAs(_)))
    );
}

#[test]
fn rows_left_untracked_really_are_constant_or_copies() {
    // A scenario where everything varies, lags and attainments included.
    check_variation(&scenario::load(&pledge_root().join("scenarios/front-loaded.toml")).unwrap());
    // A goal due the year after the base year with an uncertain lag.
    check_variation(&toy(
        50,
        "[[goal]]\nid = \"soon\"\nlabel = \"soon\"\ncore_pct = 3\ntarget_year = 2026\n\
         [compliance]\nlag_years = { min = 0, mode = 0, max = 2 }\n",
    ));
}

#[test]
fn every_run_reproduces_the_base_year_data_under_every_goal() {
    use pledge::data::Purchase;
    use pledge::mc::{Sampler, rng};
    use pledge::model::Workspace;
    use pledge::model::draws::Draws;
    use pledge::scenario::metrics::{Layout, RowKey};
    // Every uncertain input of the shipped Hague scenario varies, drift-free compliance included.
    let scenario = scenario::load(&pledge_root().join("scenarios/hague-2035.toml")).unwrap();
    let model = Model::new(&scenario);
    let layout = Layout::new(&scenario);
    let sampler = Sampler::new(&scenario);
    let mut draws = Draws::plan(&scenario);
    let mut out = vec![0.0; layout.len()];
    let mut work = Workspace::default();
    let b = scenario.base_year();
    // The data, computed here from the CSV figures: core = s% of GDP (USD bn) in USD millions.
    let ally_core = |iso3: &str| {
        let a = scenario
            .data
            .allies
            .iter()
            .find(|a| a.iso3 == iso3)
            .unwrap();
        a.defence_pct_gdp / 100.0 * a.gdp_usd_bn * 1000.0
    };
    let mut checked = 0;
    for run in 0..200 {
        sampler.fill(&mut rng::run_rng(scenario.seed, run), &mut draws);
        model.evaluate(&draws, &mut work, &mut out);
        for (row, key) in layout.rows().iter().enumerate() {
            if key.year != b {
                continue;
            }
            let value = out[row];
            let group = &scenario.groups[key.group];
            match (key.item, key.metric) {
                (None, Metric::CoreMusd) if group.members.len() == 1 => {
                    let expected = ally_core(&group.members[0]);
                    assert!((value - expected).abs() <= 1e-9 * expected, "{key:?}");
                }
                (Some(j), Metric::DemandUnits) => {
                    let Purchase::BaseDemand(units) = scenario.items[j].purchase else {
                        panic!("builtin items give base_demand");
                    };
                    assert_eq!(value, units, "{key:?}");
                }
                (Some(j), Metric::CapacityUnits) => {
                    assert_eq!(value, scenario.items[j].capacity_units_per_year, "{key:?}")
                }
                (Some(_), Metric::ShortfallProb | Metric::BacklogUnits) => {
                    assert_eq!(value, 0.0, "{key:?}")
                }
                (None, Metric::RelatedMusd | Metric::DeltaCoreMusd) => {
                    assert_eq!(value, 0.0, "{key:?}")
                }
                _ => {}
            }
            // And the same value in every goal: the first goal's row is the reference.
            if !matches!(key.metric, Metric::DeltaCoreMusd | Metric::CumDeltaCoreMusd) {
                let first = layout.find(&RowKey { goal: 0, ..*key }).unwrap();
                assert_eq!(value, out[first], "{key:?}");
            }
            checked += 1;
        }
    }
    assert!(checked > 200 * 1000, "{checked}");
}

#[test]
fn with_the_builtin_data_no_item_is_short_in_the_base_year() {
    // compare's goals on the builtin data, with every uncertainty of the shipped scenarios.
    let scenario = scenario::load(&pledge_root().join("scenarios/hague-2035.toml")).unwrap();
    let scenario = Scenario {
        runs: 2000,
        ..scenario
    };
    let summary = simulate(&scenario);
    for g in 0..scenario.goals.len() {
        for j in 0..scenario.items.len() {
            let row = summary
                .item_row(g, scenario.base_year(), j, Metric::ShortfallProb)
                .unwrap();
            let stats = summary.row_stats(row).unwrap();
            assert_eq!((stats.mean, stats.percentiles[6]), (0.0, 0.0));
            // Later years do carry risk under the higher goals: the test is not vacuous.
        }
    }
    let shells = scenario
        .items
        .iter()
        .position(|i| i.id == "shell155_eu")
        .unwrap();
    let later = summary
        .item_row(2, 2027, shells, Metric::ShortfallProb)
        .unwrap();
    assert!(summary.row_stats(later).unwrap().mean > 0.1);
}

#[test]
fn results_from_memory_equal_results_read_back_from_result_json() {
    use pledge::results::Results;
    let scenario = scenario::load(&pledge_root().join("scenarios/spain-flexibility.toml")).unwrap();
    let scenario = Scenario {
        runs: 200,
        ..scenario
    };
    let summary = simulate(&scenario);
    let memory = Results::from_summary(&scenario, &summary);
    let json = memory.to_json();
    let file = Results::from_json("result.json", &json).unwrap();
    assert_eq!(memory.rows, file.rows);
    assert_eq!(memory.headline_errors(), file.headline_errors());
    assert_eq!(memory.alphas, file.alphas);
    assert_eq!(
        (
            memory.tool_version(),
            &memory.input_hash,
            memory.seed,
            memory.runs,
            memory.generator()
        ),
        (
            file.tool_version(),
            &file.input_hash,
            file.seed,
            file.runs,
            file.generator()
        )
    );
    assert!(
        file.to_json() == json,
        "read back and written again, byte for byte"
    );
    assert_eq!(
        serde_json::to_value(&memory.scenario).unwrap(),
        serde_json::to_value(&file.scenario).unwrap()
    );
}

/// The shipped Hague scenario with `extra` appended, run `runs` times.
fn hague_with(extra: &str, runs: u64) -> (Scenario, Summary) {
    let path = pledge_root().join("scenarios/hague-2035.toml");
    let text = std::fs::read_to_string(&path).unwrap() + extra;
    let scenario = scenario::parse("hague.toml", &text, &pledge_root(), "hague").unwrap();
    let scenario = Scenario { runs, ..scenario };
    let summary = simulate(&scenario);
    (scenario, summary)
}

#[test]
fn an_item_giving_only_capacity_keeps_every_other_builtin_value() {
    let (plain, _) = hague_with("", 1);
    let (patched, _) = hague_with("\n[[item]]\nid = \"caesar\"\ncapacity = 144\n", 1);
    let j = plain.items.iter().position(|i| i.id == "caesar").unwrap();
    let (before, after) = (&plain.items[j], &patched.items[j]);
    assert_eq!(after.capacity_units_per_year, 144.0);
    assert_eq!(before.capacity_units_per_year, 72.0);
    // Every other field as in the builtin data (the origin names where the patch is).
    let mut expected = before.clone();
    expected.capacity_units_per_year = 144.0;
    expected.origin = after.origin.clone();
    assert_eq!(*after, expected);
    // Items are otherwise untouched.
    assert_eq!(plain.items.len(), patched.items.len());
}

#[test]
fn doubling_capacity_leaves_demand_alone_and_lowers_the_shortfall_probability() {
    let runs = 4096;
    let (scenario, base) = hague_with("", runs);
    let (_, doubled) = hague_with("\n[[item]]\nid = \"leopard2a8\"\ncapacity = 80\n", runs);
    let j = scenario
        .items
        .iter()
        .position(|i| i.id == "leopard2a8")
        .unwrap();
    let mut lower = 0;
    for g in 0..scenario.goals.len() {
        for t in scenario.years() {
            let row = |s: &Summary, m| s.item_row(g, t, j, m).unwrap();
            let demand = row(&base, Metric::DemandUnits);
            // Demand: the same plan and the same statistics, to the bit.
            assert_eq!(
                base.central_values()[demand],
                doubled.central_values()[demand]
            );
            assert_eq!(base.row_stats(demand), doubled.row_stats(demand));
            let p = row(&base, Metric::ShortfallProb);
            let (before, after) = (
                base.row_stats(p).unwrap().mean,
                doubled.row_stats(p).unwrap().mean,
            );
            assert!(after <= before, "goal {g} {t}: {after} > {before}");
            lower += usize::from(after < before);
        }
    }
    // The 5% goal's tank shortfall risk (above 90% at its peak) falls in many years.
    assert!(lower >= 5, "{lower}");
}

#[test]
fn share_drift_is_a_correlated_normal_step_and_leaves_the_base_year_alone() {
    // No growth uncertainty; both allies on a flat path (the 2% goal holds AAA at 2% and BBB
    // at 3%), so the only uncertainty in 2026 is one drift step of sd 0.4 pp, correlation 0.5.
    let scenario = toy(
        200_000,
        &format!(
            "{GOAL}[growth]\nsd_scale = 0\n[compliance]\ndrift_pp = 0.4\ndrift_correlation = 0.5\n"
        ),
    );
    let summary = simulate(&scenario);
    let check = Checked {
        scenario: &scenario,
        summary: &summary,
    };
    // AAA core = (2 + D) % of 100 bn = 2000 + 1000 D, D ~ normal(0, 0.4).
    let sd_a = 400.0;
    check.percentiles(
        check.group_row("AAA", Metric::CoreMusd),
        |i| 2000.0 + sd_a * Z[i],
        |i| phi(Z[i]) / sd_a,
    );
    // BBB: GDP 202 (1% growth), core = (3 + D') % of it; NATO sums both with corr 0.5.
    let sd_b = 0.4 * 202.0 * 10.0;
    let sd = (sd_a * sd_a + sd_b * sd_b + sd_a * sd_b).sqrt();
    check.percentiles(
        check.group_row("nato", Metric::CoreMusd),
        |i| 2000.0 + 3.0 * 2020.0 + sd * Z[i],
        |i| phi(Z[i]) / sd,
    );
    // The plan has no drift, and the base year is data in every run.
    let row = check.group_row("nato", Metric::CoreMusd);
    assert_eq!(summary.central_values()[row], 2000.0 + 3.0 * 2020.0);
    let base = summary
        .group_row(&scenario, 0, 2025, "nato", Metric::CoreMusd)
        .unwrap();
    assert_eq!(summary.row_stats(base).unwrap().percentiles, [8000.0; 7]);
}

#[test]
fn turning_drift_on_leaves_every_other_draw_of_a_run_alone() {
    use pledge::mc::{Sampler, rng};
    use pledge::model::draws::Draws;
    let off = toy(
        1,
        &format!("{GOAL}[compliance]\nlag_years = {{ min = 0, mode = 1, max = 2 }}\n"),
    );
    let on = toy(
        1,
        &format!(
            "{GOAL}[compliance]\nlag_years = {{ min = 0, mode = 1, max = 2 }}\ndrift_pp = 0.2\n"
        ),
    );
    let draw = |scenario: &Scenario| {
        let mut draws = Draws::plan(scenario);
        Sampler::new(scenario).fill(&mut rng::run_rng(3, 7), &mut draws);
        draws
    };
    let (a, b) = (draw(&off), draw(&on));
    assert!(a.drift_pp.iter().all(|d| *d == 0.0));
    assert!(b.drift_pp.iter().any(|d| *d != 0.0));
    assert_eq!(
        Draws {
            drift_pp: a.drift_pp.clone(),
            drift_common_shock: a.drift_common_shock.clone(),
            ..b
        },
        a
    );
}

/// The toy's two allies growing 50% a year on average with a standard deviation of 50 points,
/// scaled by 10 (the widest spread the bounds allow), projected to 2100: rows whose values
/// span far more than the sketch's 32 octaves, so that its lowest buckets collapse.
fn widest_toy(runs: u64) -> Scenario {
    toy_of(
        "AAA,A,1,europe,100,2,20,50,50\nBBB,B,0,europe,200,3,30,50,50\n",
        &format!("horizon = 2100\nruns = {runs}\nseed = 5\n"),
        &format!(
            "[growth]\ncorrelation = 0.5\nsd_scale = 10\n{GOAL}\
             [[goal]]\nid = \"h\"\nlabel = \"h\"\ncore_pct = 5\ntarget_year = 2040\n"
        ),
    )
}

#[test]
fn collapsed_sketches_still_merge_exactly_whatever_the_threads_or_the_split() {
    let scenario = widest_toy(1000);
    let model = Model::new(&scenario);
    let blocks = block_count(scenario.runs);
    let on = |threads: usize| {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        pool.install(|| accumulate(&scenario, &model, 0..blocks))
    };
    let one = on(1);
    let collapsed = one
        .tracked()
        .iter()
        .filter(|&&row| one.value(row).unwrap().sketch().may_have_collapsed())
        .count();
    assert!(collapsed > 0, "no row fills its sketch");
    assert_eq!(one, on(2));
    assert_eq!(one, on(3));
    for cuts in [[5, 23], [1, 30], [11, 12]] {
        let parts = [0..cuts[0], cuts[0]..cuts[1], cuts[1]..blocks];
        let parts: Vec<Accumulator> = parts
            .into_iter()
            .map(|p| accumulate(&scenario, &model, p))
            .collect();
        for order in [[0, 1, 2], [2, 1, 0], [1, 2, 0]] {
            let mut merged = parts[order[0]].clone();
            merged.merge(&parts[order[1]]);
            merged.merge(&parts[order[2]]);
            assert_eq!(one, merged, "cut at {cuts:?}, merged in order {order:?}");
        }
    }
}

#[test]
fn percentiles_of_the_widest_spread_keep_the_stated_error_bound() {
    use pledge::mc::{COLLAPSED_ERROR, Sampler, rng};
    use pledge::model::Workspace;
    use pledge::model::draws::Draws;
    let scenario = widest_toy(640);
    let model = Model::new(&scenario);
    let accumulator = accumulate(&scenario, &model, 0..block_count(scenario.runs));
    // Every run's values, raw.
    let sampler = Sampler::new(&scenario);
    let mut draws = Draws::plan(&scenario);
    let mut work = Workspace::default();
    let width = model.values_per_run();
    let mut runs = vec![0.0; width * scenario.runs as usize];
    for (run, out) in runs.chunks_mut(width).enumerate() {
        sampler.fill(&mut rng::run_rng(scenario.seed, run as u64), &mut draws);
        model.evaluate(&draws, &mut work, out);
    }
    let qs = [0.0, 0.05, 0.10, 0.25, 0.5, 0.75, 0.90, 0.95, 1.0];
    let mut relative = 0;
    let mut absolute = 0;
    for &row in accumulator.tracked() {
        let mut values: Vec<f64> = runs.chunks(width).map(|r| r[row]).collect();
        values.sort_by(f64::total_cmp);
        let n = values.len();
        let largest_positive = values[n - 1].max(0.0);
        let largest_negative = (-values[0]).max(0.0);
        let got = accumulator.value(row).unwrap().quantiles(qs);
        for (q, g) in qs.iter().zip(got) {
            let want = values[((q * n as f64).ceil() as usize).clamp(1, n) - 1];
            let largest = if want < 0.0 {
                largest_negative
            } else {
                largest_positive
            };
            let bound = if want.abs() >= COLLAPSED_ERROR * largest {
                relative += 1;
                RELATIVE_ERROR * want.abs()
            } else {
                absolute += 1;
                COLLAPSED_ERROR * largest
            };
            assert!(
                (g - want).abs() <= bound,
                "row {row}, q {q}: {g} against {want} (bound {bound})"
            );
        }
    }
    // Both cases occur.
    assert!(relative > 0 && absolute > 0, "{relative} {absolute}");
}
