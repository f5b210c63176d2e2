//! The central projection against cases worked out by hand (MODEL.md section 4): a toy dataset
//! of three allies small enough to compute every number in a comment, each ramp shape, both
//! floors, overrides, a zero-spending ally, lag and attainment other than 0 and 1, related
//! spending, inflation, calibration, capacity and shortfall.

use pledge::metrics::Metric;
use pledge::scenario::{self, Scenario};
use pledge::summary::Summary;

/// Relative tolerance for hand-computed values: a few ulps of accumulated rounding.
const REL_TOL: f64 = 1e-12;

/// AAA: GDP 100 bn, 2% on defence, 20% equipment, 2% growth, EU, Europe.
/// BBB: GDP 50 bn, 4% on defence, 30% equipment, no growth, not EU, North America.
/// CCC: GDP 10 bn, no defence spending (like Iceland), 1% growth.
const ALLIES: &str = "iso3,name,eu,region,gdp_usd_bn,defence_pct_gdp,equipment_pct,growth_mean_pct,growth_sd_pct\n\
AAA,Aland,1,europe,100,2,20,2,1\n\
BBB,Bland,0,north_america,50,4,30,0,1\n\
CCC,Cland,0,europe,10,0,0,1,1\n";

/// One land item bought by everyone: base utilisation 0.5, unit cost 2, capacity 100 a year
/// growing 10% a year after a 1-year lead.
const ITEMS: &str = "id,label,category,buyers,base_utilization,unit_cost_musd,cost_sigma,capacity,capacity_growth_min_pct,capacity_growth_mode_pct,capacity_growth_max_pct,lead_years\n\
widget,Widgets,land,nato,0.5,2,0.1,100,0,10,20,1\n";

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
        let text = format!(
            "schema_version = 1\nhorizon = 2029\n[data]\nallies = \"allies.csv\"\nitems = \"items.csv\"\n{body}"
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
fn lag_and_attainment_modes_shift_and_shrink_the_step() {
    let toy = Toy::new(&format!(
        "{REFERENCE_3PCT}path = \"front\"\n[compliance]\nlag_years = {{ min = 0, mode = 1.5, max = 3 }}\nattainment = {{ min = 0.2, mode = 0.6, max = 1 }}\n"
    ));
    // Reach year 2029 + 1.5 = 2030.5; in 2027 x = 2 / 5.5. Attained goal 2 + 0.6 * (3 - 2) = 2.6.
    let x: f64 = 2.0 / 5.5;
    let ramp = 1.0 - (1.0 - x) * (1.0 - x);
    close(
        toy.group(0, 2027, "AAA", Metric::CoreMusd),
        (2.0 + 0.6 * ramp) / 100.0 * 104.04 * 1000.0,
    );
    // In the horizon year x = 4 / 5.5: still short of the attained 2.6%.
    let x: f64 = 4.0 / 5.5;
    let ramp = 1.0 - (1.0 - x) * (1.0 - x);
    close(
        toy.group(0, 2029, "AAA", Metric::CorePctGdp),
        2.0 + 0.6 * ramp,
    );
    // BBB's floor holds: attainment of a zero step is no step.
    close(toy.group(0, 2029, "BBB", Metric::CoreMusd), 2000.0);
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
    // Land share 0.25 -> 250 musd. alpha = 0.5 * 100 units * 2 musd / 250 = 0.4.
    close(toy.summary.alphas()[0], 0.4);
    // Base year demand = base_utilization * capacity.
    close(toy.item(0, 2025, Metric::DemandUnits), 50.0);
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
    // A 6% goal with capacity growth 0 and full base utilisation overwhelms the line.
    let toy = Toy::new(
        "[[goal]]\nid = \"g6\"\nlabel = \"6%\"\ncore_pct = 6\nequipment_pct = 20\n\
         [[item]]\nid = \"widget\"\ncategory = \"land\"\nbuyers = \"nato\"\nbase_utilization = 1\n\
         unit_cost_musd = 2\ncapacity = 100\n",
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
fn a_goal_reached_by_the_base_year_applies_at_once() {
    // MODEL.md section 4: x = 1 when the reach year is not after B.
    let toy = Toy::new(
        "[[goal]]\nid = \"now\"\nlabel = \"now\"\ncore_pct = 3\ntarget_year = 2025\nequipment_pct = 25\n",
    );
    // AAA at 3% of 100 bn already in 2025, with the 25% equipment goal reached.
    close(toy.group(0, 2025, "AAA", Metric::CoreMusd), 3000.0);
    close(toy.group(0, 2025, "AAA", Metric::EquipmentMusd), 750.0);
    close(toy.group(0, 2027, "AAA", Metric::CorePctGdp), 3.0);
    // Alpha is still calibrated on the base-year data (400 + 600 musd of equipment): 0.4.
    close(toy.summary.alphas()[0], 0.4);
}
