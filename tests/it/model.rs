//! The plan and single runs against cases worked out by hand (MODEL.md v2, section 4): a toy
//! dataset of three allies small enough to compute every number in a comment, each ramp shape,
//! both floors, overrides, a zero-spending ally, lag and attainment other than 0 and 1, related
//! spending, inflation, calibration on `base_demand`, the mix of added money, the unit-cost
//! multiplier, announced capacity plans, shortfall and backlog.

use pledge::mc::summary::Summary;
use pledge::model::draws::Draws;
use pledge::model::{Model, Workspace};
use pledge::scenario::metrics::{Layout, Metric, RowKey};
use pledge::scenario::{self, Scenario};

/// Relative tolerance for hand-computed values: a few ulps of accumulated rounding.
const REL_TOL: f64 = 1e-12;

/// AAA: GDP 100 bn, 2% on defence, 20% equipment, 2% growth, EU, Europe.
/// BBB: GDP 50 bn, 4% on defence, 30% equipment, no growth, not EU, North America.
/// CCC: GDP 10 bn, no defence spending (like Iceland), 1% growth.
const ALLIES: &str = "iso3,name,eu,region,gdp_usd_bn,defence_pct_gdp,equipment_pct,growth_mean_pct,growth_sd_pct\n\
AAA,Aland,1,europe,100,2,20,2,1\n\
BBB,Bland,0,north_america,50,4,30,0,1\n\
CCC,Cland,0,europe,10,0,0,1,1\n";

/// One land item bought by everyone: 50 bought in the base year, unit cost 2, capacity 100 a
/// year growing 10% a year after a 1-year lead.
const ITEMS: &str = "id,label,category,buyers,base_demand,unit_cost_musd,cost_sigma,capacity,capacity_growth_min_pct,capacity_growth_mode_pct,capacity_growth_max_pct,lead_years\n\
widget,Widgets,land,nato,50,2,0.1,100,0,10,20,1\n";

/// Declared paths: AAA to 3% in 2027 and 4% in 2029; BBB to 3.5% in 2028 (below its 4%);
/// CCC, with no defence spending, to 1% in 2027 (never switched on by declared points).
const PLANS: &str = "iso3,year,core_pct,basis\n\
AAA,2027,3,budget\nAAA,2029,4,plan\nBBB,2028,3.5,plan\nCCC,2027,1,plan\n";

struct Toy {
    scenario: Scenario,
    summary: Summary,
}

impl Toy {
    /// The toy dataset with `body` (goals and any other tables) after a common header.
    fn new(body: &str) -> Toy {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("allies.csv"), ALLIES).unwrap();
        std::fs::write(dir.path().join("items.csv"), ITEMS).unwrap();
        std::fs::write(dir.path().join("plans.csv"), PLANS).unwrap();
        let text = format!(
            "schema_version = 1\nhorizon = 2029\n[data]\nallies = \"allies.csv\"\nitems = \"items.csv\"\nplans = \"plans.csv\"\n{body}"
        );
        let scenario = scenario::parse("toy.toml", &text, dir.path(), "toy").unwrap();
        let summary = Summary::central(&scenario);
        Toy { scenario, summary }
    }

    fn group(&self, goal: usize, year: i32, group: &str, metric: Metric) -> f64 {
        self.summary
            .group_value(&self.scenario, goal, year, group, metric)
            .unwrap_or_else(|| panic!("no {metric:?} for {group} in {year}"))
    }

    fn item(&self, goal: usize, year: i32, metric: Metric) -> f64 {
        self.summary.item_value(goal, year, 0, metric).unwrap()
    }

    /// One run with the plan's draws changed by `edit`.
    fn run(&self, edit: impl FnOnce(&mut Draws)) -> Run {
        let model = Model::new(&self.scenario);
        let layout = Layout::new(&self.scenario);
        let mut draws = Draws::plan(&self.scenario);
        edit(&mut draws);
        let mut values = vec![0.0; layout.len()];
        model.evaluate(&draws, &mut Workspace::default(), &mut values);
        Run {
            layout,
            values,
            scenario: self.scenario.clone(),
        }
    }
}

/// The values of one run.
struct Run {
    layout: Layout,
    values: Vec<f64>,
    scenario: Scenario,
}

impl Run {
    fn group(&self, goal: usize, year: i32, group: &str, metric: Metric) -> f64 {
        let group = self.scenario.group_index(group).unwrap();
        self.value(RowKey {
            goal,
            year,
            group,
            item: None,
            metric,
        })
    }

    fn item(&self, goal: usize, year: i32, metric: Metric) -> f64 {
        let group = self.scenario.group_index(&self.scenario.items[0].buyers);
        self.value(RowKey {
            goal,
            year,
            group: group.unwrap(),
            item: Some(0),
            metric,
        })
    }

    fn value(&self, key: RowKey) -> f64 {
        self.values[self.layout.find(&key).expect("a row of the layout")]
    }
}

#[track_caller]
fn close(actual: f64, expected: f64) {
    let scale = expected.abs().max(1e-300);
    assert!(
        (actual - expected).abs() <= REL_TOL * scale || actual == expected,
        "actual {actual}, expected {expected}"
    );
}

const REFERENCE_3PCT: &str =
    "[[goal]]\nid = \"g3\"\nlabel = \"3%\"\ncore_pct = 3\nequipment_pct = 25\n";

#[test]
fn linear_goal_with_floor_current() {
    let toy = Toy::new(REFERENCE_3PCT);
    // Base year is data: AAA 2% of 100 bn = 2,000; BBB 4% of 50 bn = 2,000; CCC 0.
    close(toy.group(0, 2025, "AAA", Metric::CoreMusd), 2000.0);
    close(toy.group(0, 2025, "nato", Metric::CoreMusd), 4000.0);
    // 2027: x = 2/4 = 0.5. AAA share 2 + (3 - 2) * 0.5 = 2.5% of GDP 100 * 1.02^2 = 104.04.
    close(toy.group(0, 2027, "AAA", Metric::GdpUsdBn), 104.04);
    close(
        toy.group(0, 2027, "AAA", Metric::CoreMusd),
        2.5 / 100.0 * 104.04 * 1000.0,
    );
    // Equipment share 20 + (25 - 20) * 0.5 = 22.5%.
    close(
        toy.group(0, 2027, "AAA", Metric::EquipmentMusd),
        2601.0 * 0.225,
    );
    // BBB is above 3%: it keeps 4%, and its 30% equipment share is above the 25% goal.
    close(toy.group(0, 2027, "BBB", Metric::CoreMusd), 2000.0);
    close(toy.group(0, 2027, "BBB", Metric::EquipmentMusd), 600.0);
    // CCC has no defence spending and no override: 0 under every goal.
    close(toy.group(0, 2029, "CCC", Metric::CoreMusd), 0.0);
    // 2029: AAA at 3% of 100 * 1.02^4.
    let gdp_2029 = 100.0 * 1.02_f64.powi(4);
    close(toy.group(0, 2029, "AAA", Metric::CoreMusd), 30.0 * gdp_2029);
    // Groups: nato sums all three; core_pct_gdp = 100 * core / (1000 * GDP).
    let nato_gdp = gdp_2029 + 50.0 + 10.0 * 1.01_f64.powi(4);
    close(toy.group(0, 2029, "nato", Metric::GdpUsdBn), nato_gdp);
    close(
        toy.group(0, 2029, "nato", Metric::CorePctGdp),
        100.0 * (30.0 * gdp_2029 + 2000.0) / (1000.0 * nato_gdp),
    );
    // europe_canada is everyone but USA (all three); europe is AAA and CCC; eu is AAA.
    close(
        toy.group(0, 2029, "europe", Metric::CoreMusd),
        30.0 * gdp_2029,
    );
    close(toy.group(0, 2029, "eu", Metric::CoreMusd), 30.0 * gdp_2029);
    close(
        toy.group(0, 2029, "north_america", Metric::CoreMusd),
        2000.0,
    );
    close(toy.group(0, 2029, "non_eu", Metric::CoreMusd), 2000.0);
    // No related spending by default; total = core.
    close(toy.group(0, 2029, "nato", Metric::RelatedMusd), 0.0);
    close(
        toy.group(0, 2029, "nato", Metric::TotalMusd),
        toy.group(0, 2029, "nato", Metric::CoreMusd),
    );
}

#[test]
fn floor_none_brings_high_spenders_down() {
    let toy = Toy::new(&format!("{REFERENCE_3PCT}floor = \"none\"\n"));
    // BBB moves from 4% to 3%: 2027 share 4 + (3 - 4) * 0.5 = 3.5% of 50 bn.
    close(toy.group(0, 2027, "BBB", Metric::CoreMusd), 1750.0);
    close(toy.group(0, 2029, "BBB", Metric::CoreMusd), 1500.0);
    // Its equipment share stays at its own 30% (above the goal's 25%).
    close(
        toy.group(0, 2027, "BBB", Metric::EquipmentMusd),
        1750.0 * 0.30,
    );
}

#[test]
fn each_ramp_shape() {
    // x = 0.5 in 2027 (target 2029): linear 0.5, front 0.75, back 0.25, S-curve 0.5;
    // x = 0.25 in 2026: linear 0.25, front 0.4375, back 0.0625, S-curve 0.15625.
    for (path, mid, quarter) in [
        ("linear", 0.5, 0.25),
        ("front", 0.75, 0.4375),
        ("back", 0.25, 0.0625),
        ("scurve", 0.5, 0.15625),
    ] {
        let toy = Toy::new(&format!("{REFERENCE_3PCT}path = \"{path}\"\n"));
        close(
            toy.group(0, 2027, "AAA", Metric::CoreMusd),
            (2.0 + mid) / 100.0 * 104.04 * 1000.0,
        );
        close(
            toy.group(0, 2026, "AAA", Metric::CoreMusd),
            (2.0 + quarter) / 100.0 * 102.0 * 1000.0,
        );
        close(toy.group(0, 2029, "AAA", Metric::CorePctGdp), 3.0);
    }
}

#[test]
fn lag_and_attainment_shift_and_shrink_the_step_in_a_run_but_not_in_the_plan() {
    let toy = Toy::new(&format!(
        "{REFERENCE_3PCT}path = \"front\"\n[compliance]\nlag_years = {{ min = 0, mode = 1.5, max = 3 }}\nattainment = {{ min = 0.2, mode = 0.6, max = 1 }}\n"
    ));
    // The plan is the pledge met in full and on time, whatever the compliance distributions.
    close(toy.group(0, 2029, "AAA", Metric::CorePctGdp), 3.0);
    let run = toy.run(|d| {
        d.lag_years.fill(1.5);
        d.attainment.fill(0.6);
    });
    // Reach year 2029 + 1.5 = 2030.5; in 2027 x = 2 / 5.5. Attained goal 2 + 0.6 * (3 - 2) = 2.6.
    let x: f64 = 2.0 / 5.5;
    let ramp = 1.0 - (1.0 - x) * (1.0 - x);
    close(
        run.group(0, 2027, "AAA", Metric::CoreMusd),
        (2.0 + 0.6 * ramp) / 100.0 * 104.04 * 1000.0,
    );
    // In the horizon year x = 4 / 5.5: still short of the attained 2.6%.
    let x: f64 = 4.0 / 5.5;
    let ramp = 1.0 - (1.0 - x) * (1.0 - x);
    close(
        run.group(0, 2029, "AAA", Metric::CorePctGdp),
        2.0 + 0.6 * ramp,
    );
    // BBB's floor holds: attainment of a zero step is no step.
    close(run.group(0, 2029, "BBB", Metric::CoreMusd), 2000.0);
    // The base year is data in the run too.
    close(run.group(0, 2025, "AAA", Metric::CoreMusd), 2000.0);
}

#[test]
fn overrides_and_the_zero_spending_ally() {
    let toy = Toy::new(&format!(
        "{REFERENCE_3PCT}related_pct = 1\n[goal.overrides.AAA]\ncore_pct = 5\ntarget_year = 2027\npath = \"back\"\n\
         [goal.overrides.CCC]\ncore_pct = 1\n"
    ));
    // AAA: 5% by 2027 on x^2: 2026 x = 0.5, ramp 0.25, share 2 + 3 * 0.25 = 2.75% of 102.
    close(
        toy.group(0, 2026, "AAA", Metric::CoreMusd),
        2.75 / 100.0 * 102.0 * 1000.0,
    );
    close(toy.group(0, 2028, "AAA", Metric::CorePctGdp), 5.0);
    // Related spending ramps from 0 on AAA's path: 1% * 0.25 of 102 bn in 2026.
    close(
        toy.group(0, 2026, "AAA", Metric::RelatedMusd),
        0.01 * 0.25 * 102.0 * 1000.0,
    );
    // CCC is named by an override: it goes from 0 to 1% core by 2029 (linear), and takes the
    // goal's 1% related. 2027: x = 0.5, GDP 10 * 1.01^2.
    let gdp = 10.0 * 1.01_f64.powi(2);
    close(
        toy.group(0, 2027, "CCC", Metric::CoreMusd),
        0.5 / 100.0 * gdp * 1000.0,
    );
    close(
        toy.group(0, 2027, "CCC", Metric::RelatedMusd),
        0.5 / 100.0 * gdp * 1000.0,
    );
    // CCC's equipment share ramps from 0 to the goal's 25%.
    close(
        toy.group(0, 2027, "CCC", Metric::EquipmentMusd),
        0.5 / 100.0 * gdp * 1000.0 * 0.125,
    );
    // BBB (not overridden, above 3%) keeps 4% core but takes on related spending.
    close(toy.group(0, 2029, "BBB", Metric::RelatedMusd), 500.0);
    close(toy.group(0, 2029, "BBB", Metric::TotalMusd), 2500.0);
}

#[test]
fn paired_differences_against_the_reference() {
    let toy = Toy::new(&format!(
        "{REFERENCE_3PCT}[[goal]]\nid = \"g4\"\nlabel = \"4%\"\ncore_pct = 4\nequipment_pct = 25\n"
    ));
    // Only AAA differs (BBB is at 4% already, CCC at 0): the step is 1 point more.
    // Year t: extra share 1 * (t - 2025) / 4 of AAA's GDP.
    let extra = |t: i32| {
        let x = f64::from(t - 2025) / 4.0;
        x / 100.0 * 100.0 * 1.02_f64.powi(t - 2025) * 1000.0
    };
    close(toy.group(1, 2025, "nato", Metric::DeltaCoreMusd), 0.0);
    close(toy.group(1, 2025, "nato", Metric::CumDeltaCoreMusd), 0.0);
    for t in 2026..=2029 {
        close(toy.group(1, t, "nato", Metric::DeltaCoreMusd), extra(t));
        close(toy.group(1, t, "BBB", Metric::DeltaCoreMusd), 0.0);
    }
    close(
        toy.group(1, 2029, "nato", Metric::CumDeltaCoreMusd),
        extra(2026) + extra(2027) + extra(2028) + extra(2029),
    );
    // The reference goal has no delta rows.
    assert!(
        toy.summary
            .group_value(&toy.scenario, 0, 2029, "nato", Metric::DeltaCoreMusd)
            .is_none()
    );
}

#[test]
fn calibration_demand_capacity_and_shortfall() {
    let toy = Toy::new(&format!("{REFERENCE_3PCT}[inflation]\nmean = 2\nsd = 1\n"));
    // Base-year equipment: AAA 2% * 100 bn * 20% = 400; BBB 4% * 50 bn * 30% = 600; CCC 0.
    // Land share 0.25 -> 250 musd. alpha = 50 units * 2 musd / 250 = 0.4.
    close(toy.summary.alphas()[0], 0.4);
    // Base year demand is the data's base_demand, exactly.
    assert_eq!(toy.item(0, 2025, Metric::DemandUnits), 50.0);
    close(toy.item(0, 2025, Metric::CapacityUnits), 100.0);
    // 2027: equipment AAA 2601 * 0.225 + BBB 600; spend * 0.25 * 0.4; unit cost 2 * 1.02^2.
    let spend = (2601.0 * 0.225 + 600.0) * 0.25 * 0.4;
    let unit_cost = 2.0 * 1.0404;
    close(toy.item(0, 2027, Metric::DemandUnits), spend / unit_cost);
    // Capacity grows 10% a year after the 1-year lead: 2027 -> 100 * 1.1^1.
    close(toy.item(0, 2027, Metric::CapacityUnits), 110.0);
    close(toy.item(0, 2026, Metric::CapacityUnits), 100.0);
    close(toy.item(0, 2027, Metric::ShortfallUnits), 0.0);
    close(toy.item(0, 2027, Metric::ShortfallProb), 0.0);
}

#[test]
fn shortfall_and_unabsorbed_money() {
    // A 6% goal with capacity growth 0 and the line at full capacity overwhelms it. The
    // [[item]] changes only the keys it gives (MODEL.md v2).
    let toy = Toy::new(
        "[[goal]]\nid = \"g6\"\nlabel = \"6%\"\ncore_pct = 6\nequipment_pct = 20\n\
         [[item]]\nid = \"widget\"\nbase_demand = 100\ncapacity_growth_pct = 0\n",
    );
    // alpha = 1 * 100 * 2 / 250 = 0.8. 2029: AAA 6% of 100*1.02^4 at 20%; BBB 6% of 50 at 30%.
    close(toy.summary.alphas()[0], 0.8);
    let gdp = 100.0 * 1.02_f64.powi(4);
    let equipment = 60.0 * gdp * 0.20 + 3000.0 * 0.30;
    let demand = equipment * 0.25 * 0.8 / 2.0;
    close(toy.item(0, 2029, Metric::DemandUnits), demand);
    close(toy.item(0, 2029, Metric::CapacityUnits), 100.0);
    close(toy.item(0, 2029, Metric::ShortfallUnits), demand - 100.0);
    close(toy.item(0, 2029, Metric::ShortfallProb), 1.0);
    close(
        toy.item(0, 2029, Metric::UnabsorbedMusd),
        (demand - 100.0) * 2.0,
    );
    // In the base year demand equals capacity exactly: not a shortfall.
    close(toy.item(0, 2025, Metric::ShortfallProb), 0.0);
}

#[test]
fn scenario_groups_sum_their_members() {
    let toy = Toy::new(&format!(
        "[groups]\nab = [\"BBB\", \"AAA\"]\n{REFERENCE_3PCT}"
    ));
    close(
        toy.group(0, 2027, "ab", Metric::CoreMusd),
        toy.group(0, 2027, "AAA", Metric::CoreMusd) + toy.group(0, 2027, "BBB", Metric::CoreMusd),
    );
}

#[test]
fn backlog_accumulates_demand_not_met() {
    // The 6% goal of `shortfall_and_unabsorbed_money`: alpha 0.8, capacity 100 every year.
    let toy = Toy::new(
        "[[goal]]\nid = \"g6\"\nlabel = \"6%\"\ncore_pct = 6\nequipment_pct = 20\n\
         [[item]]\nid = \"widget\"\nbase_demand = 100\ncapacity_growth_pct = 0\n",
    );
    // Year t, x = (t - 2025) / 4: AAA at 2 + 4x % of 100 * 1.02^(t-2025) with 20% equipment,
    // BBB at 4 + 2x % of 50 with 30%; demand = 0.8 * 0.25 * equipment / 2.
    let demand = |t: i32| {
        let x = f64::from(t - 2025) / 4.0;
        let aaa = (2.0 + 4.0 * x) * 100.0 * 1.02_f64.powi(t - 2025) * 10.0 * 0.20;
        let bbb = (4.0 + 2.0 * x) * 50.0 * 10.0 * 0.30;
        0.8 * 0.25 * (aaa + bbb) / 2.0
    };
    assert_eq!(toy.item(0, 2025, Metric::BacklogUnits), 0.0);
    let mut backlog: f64 = 0.0;
    for t in 2026..=2029 {
        backlog = (backlog + demand(t) - 100.0).max(0.0);
        close(toy.item(0, t, Metric::DemandUnits), demand(t));
        close(toy.item(0, t, Metric::BacklogUnits), backlog);
        close(toy.item(0, t, Metric::BacklogYears), backlog / 100.0);
    }
    // By 2029: 2026 demand 115.3, then 131.0, 147.2, 163.7; the backlog is their excess.
    assert!(backlog > 150.0, "{backlog}");
}

#[test]
fn a_backlog_is_worked_off_when_capacity_overtakes_demand() {
    // Capacity 100 with no lead and 60% growth a year against demand that first jumps: the
    // backlog rises, then falls back to 0 and stays there.
    let toy = Toy::new(
        "[[goal]]\nid = \"g6\"\nlabel = \"6%\"\ncore_pct = 6\nequipment_pct = 20\ntarget_year = 2026\n\
         [[item]]\nid = \"widget\"\nbase_demand = 100\ncapacity_growth_pct = 60\nlead_years = 0\n",
    );
    let mut backlog: f64 = 0.0;
    let mut seen_positive = false;
    for t in 2026..=2029 {
        let demand = toy.item(0, t, Metric::DemandUnits);
        let capacity = toy.item(0, t, Metric::CapacityUnits);
        close(capacity, 100.0 * 1.6_f64.powi(t - 2025));
        backlog = (backlog + demand - capacity).max(0.0);
        seen_positive |= backlog > 0.0;
        close(toy.item(0, t, Metric::BacklogUnits), backlog);
    }
    assert!(seen_positive);
    assert_eq!(toy.item(0, 2029, Metric::BacklogUnits), 0.0);
}

#[test]
fn capacity_plan_met_in_the_plan_and_half_met_with_q_one_half() {
    // Capacity 100, announced 200 in 2027, growth 10% after the plan (lead 1 year, so growth
    // starts at T0 = max(2027, 2026) = 2027).
    let toy = Toy::new(&format!(
        "{REFERENCE_3PCT}[[item]]\nid = \"widget\"\ncapacity_plan = {{ 2027 = 200 }}\n"
    ));
    // Plan: piecewise linear 100 -> 150 (2026) -> 200 (2027), then 200 * 1.1^(t - 2027).
    for (t, expected) in [
        (2025, 100.0),
        (2026, 150.0),
        (2027, 200.0),
        (2028, 220.0),
        (2029, 242.0),
    ] {
        close(toy.item(0, t, Metric::CapacityUnits), expected);
    }
    // q = 0.5: half of each announced increase, Kp = 100 + 0.5 * (plan - 100).
    let run = toy.run(|d| d.plan_attainment.fill(0.5));
    for (t, expected) in [
        (2025, 100.0),
        (2026, 125.0),
        (2027, 150.0),
        (2028, 165.0),
        (2029, 181.5),
    ] {
        close(run.item(0, t, Metric::CapacityUnits), expected);
    }
    // Capacity changes nothing of demand.
    for t in 2025..=2029 {
        assert_eq!(
            run.item(0, t, Metric::DemandUnits),
            toy.item(0, t, Metric::DemandUnits)
        );
    }
}

#[test]
fn a_plan_point_beyond_the_horizon_still_shapes_the_path() {
    // 100 in 2025 to 500 in 2033: 50 more a year, flat growth after (growth 0 for clarity).
    let toy = Toy::new(&format!(
        "{REFERENCE_3PCT}[[item]]\nid = \"widget\"\ncapacity_growth_pct = 0\ncapacity_plan = {{ 2033 = 500 }}\n"
    ));
    close(toy.item(0, 2027, Metric::CapacityUnits), 200.0);
    close(toy.item(0, 2029, Metric::CapacityUnits), 300.0);
}

#[test]
fn the_run_mix_splits_only_money_added_since_the_base_year() {
    let toy = Toy::new(REFERENCE_3PCT);
    // The run's mix doubles the land share of added money: 0.5 against the data's 0.25.
    let run = toy.run(|d| d.mix = [0.5, 0.2, 0.1, 0.05, 0.1, 0.05]);
    // Base year: unchanged, 50 units.
    assert_eq!(run.item(0, 2025, Metric::DemandUnits), 50.0);
    // 2027: equipment AAA 2601 * 0.225 + BBB 600 = 1185.225 against 1000 in 2025.
    let added = 2601.0 * 0.225 + 600.0 - 1000.0;
    let spend = 0.4 * (1000.0 * 0.25 + added * 0.5);
    close(run.item(0, 2027, Metric::DemandUnits), spend / 2.0);
}

#[test]
fn a_cut_is_split_by_the_data_mix() {
    // A 1% goal with floor none: AAA falls from 2% to 1%, BBB from 4% to 1%.
    let toy = Toy::new(
        "[[goal]]\nid = \"g1\"\nlabel = \"1%\"\ncore_pct = 1\nfloor = \"none\"\nequipment_pct = 0\n",
    );
    let run = toy.run(|d| d.mix = [0.5, 0.2, 0.1, 0.05, 0.1, 0.05]);
    // 2029: AAA 1% of 100 * 1.02^4 at 20% equipment, BBB 1% of 50 at 30%.
    let equipment = 100.0 * 1.02_f64.powi(4) * 10.0 * 0.20 + 50.0 * 10.0 * 0.30;
    let spend = 0.4 * (1000.0 * 0.25 + (equipment - 1000.0) * 0.25);
    close(run.item(0, 2029, Metric::DemandUnits), spend / 2.0);
}

#[test]
fn the_unit_cost_multiplier_grows_from_zero() {
    let toy = Toy::new(REFERENCE_3PCT);
    // cost_sigma 0.1 and a shock z = 2: m(t) = exp(0.1 * 2 * sqrt((t - 2025) / 10)).
    let run = toy.run(|d| d.cost_shock.fill(2.0));
    assert_eq!(run.item(0, 2025, Metric::DemandUnits), 50.0);
    for t in [2027, 2029] {
        let m = (0.2 * (f64::from(t - 2025) / 10.0).sqrt()).exp();
        close(
            run.item(0, t, Metric::DemandUnits),
            toy.item(0, t, Metric::DemandUnits) / m,
        );
    }
}

#[test]
fn the_base_year_is_data_under_every_goal_and_draw() {
    let toy = Toy::new(&format!(
        "{REFERENCE_3PCT}[[goal]]\nid = \"g5\"\nlabel = \"5%\"\ncore_pct = 5\nrelated_pct = 1.5\ntarget_year = 2026\nequipment_pct = 40\n"
    ));
    let run = toy.run(|d| {
        d.lag_years.fill(0.0);
        d.attainment.fill(0.3);
        d.cost_shock.fill(-3.0);
        d.mix = [0.9, 0.02, 0.02, 0.02, 0.02, 0.02];
        d.plan_attainment.fill(0.0);
        d.inflation_pct.fill(20.0);
    });
    for goal in 0..2 {
        close(run.group(goal, 2025, "AAA", Metric::CoreMusd), 2000.0);
        close(run.group(goal, 2025, "nato", Metric::EquipmentMusd), 1000.0);
        assert_eq!(run.group(goal, 2025, "nato", Metric::RelatedMusd), 0.0);
        assert_eq!(run.item(goal, 2025, Metric::DemandUnits), 50.0);
        assert_eq!(run.item(goal, 2025, Metric::CapacityUnits), 100.0);
        assert_eq!(run.item(goal, 2025, Metric::ShortfallProb), 0.0);
        assert_eq!(run.item(goal, 2025, Metric::BacklogUnits), 0.0);
    }
}

#[test]
fn a_declared_path_is_the_plan_exactly_and_late_and_short_in_a_run() {
    let toy = Toy::new(&format!(
        "{REFERENCE_3PCT}[goal.overrides.AAA]\npoints = {{ 2027 = 3.0, 2029 = 4.0 }}\n"
    ));
    // The plan: piecewise linear from 2% in 2025 through 3% (2027) to 4% (2029).
    for (t, share) in [
        (2025, 2.0),
        (2026, 2.5),
        (2027, 3.0),
        (2028, 3.5),
        (2029, 4.0),
    ] {
        close(toy.group(0, t, "AAA", Metric::CorePctGdp), share);
    }
    // A run 2 years late and at half attainment: the milestone clock runs at 4 / (4 + 2), so
    // 2027 is tau = 2 * 4 / 6 = 1.333 years on: D = 2 + 1.333 / 2 = 2.667, share 2 + 0.5 * 0.667.
    let run = toy.run(|d| {
        d.lag_years.fill(2.0);
        d.attainment.fill(0.5);
    });
    let d_2027 = 2.0 + (4.0 / 3.0) / 2.0;
    close(
        run.group(0, 2027, "AAA", Metric::CorePctGdp),
        2.0 + 0.5 * (d_2027 - 2.0),
    );
    // 2029: tau = 4 * 4 / 6 = 2.667, D = 3 + 0.667 / 2 = 3.333.
    let d_2029 = 3.0 + (8.0 / 3.0 - 2.0) / 2.0;
    close(
        run.group(0, 2029, "AAA", Metric::CorePctGdp),
        2.0 + 0.5 * (d_2029 - 2.0),
    );
    // Equipment follows the goal's own clock (2029, linear), as if AAA had no points.
    close(
        toy.group(0, 2027, "AAA", Metric::EquipmentMusd),
        0.03 * 104.04 * 1000.0 * 0.225,
    );
}

#[test]
fn plans_declared_follow_the_data_and_allies_without_points_hold_or_follow_the_goal() {
    // No core_pct: allies without declared points hold their base share.
    let toy = Toy::new(
        "[[goal]]\nid = \"declared\"\nlabel = \"Declared\"\nplans = \"declared\"\n\
         [[goal]]\nid = \"declared3\"\nlabel = \"Declared, else 3%\"\nplans = \"declared\"\ncore_pct = 3\n\
         [goal.overrides.BBB]\ncore_pct = 5\n",
    );
    // AAA follows its declared path under both goals.
    for goal in 0..2 {
        close(toy.group(goal, 2026, "AAA", Metric::CorePctGdp), 2.5);
        close(toy.group(goal, 2029, "AAA", Metric::CorePctGdp), 4.0);
    }
    // BBB declared 3.5% in 2028, below its 4%: the floor keeps it at 4%.
    close(toy.group(0, 2028, "BBB", Metric::CoreMusd), 2000.0);
    // Under the second goal BBB's override core_pct comes first: 4% to 5% by 2029.
    close(toy.group(1, 2029, "BBB", Metric::CoreMusd), 2500.0);
    // CCC has no defence spending: declared points never switch it on.
    assert_eq!(toy.group(0, 2029, "CCC", Metric::CoreMusd), 0.0);
    assert_eq!(toy.group(1, 2029, "CCC", Metric::CoreMusd), 0.0);
}

#[test]
fn override_points_switch_on_an_ally_without_defence_spending() {
    let toy = Toy::new(&format!(
        "{REFERENCE_3PCT}[goal.overrides.CCC]\npoints = {{ 2027 = 1.0 }}\n"
    ));
    let gdp = 10.0 * 1.01_f64.powi(1);
    close(
        toy.group(0, 2026, "CCC", Metric::CoreMusd),
        0.5 / 100.0 * gdp * 1000.0,
    );
    close(toy.group(0, 2029, "CCC", Metric::CorePctGdp), 1.0);
}
