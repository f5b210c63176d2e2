//! One run's values of every uncertain input of MODEL.md section 5. The plan is the model
//! evaluated on [`Draws::plan`]: every ally meets its goal in full and on time (lag 0,
//! attainment 1), every announced capacity plan is met (`q = 1`), and every other input is at
//! its central value (growth and inflation at their means, capacity growth at its mode, the
//! mix at its shares, unit-cost shocks at 0).

use crate::scenario::Scenario;

/// Every uncertain input for one run, shared by all goals of the run (common random numbers).
#[derive(Debug, Clone, PartialEq)]
pub struct Draws {
    /// Common standard-normal growth shock `z_t`, per projected year (0 centrally).
    pub common_shock: Vec<f64>,
    /// Real GDP growth in %, ally-major: `growth_pct[ally * projected_years + (t - B - 1)]`.
    pub growth_pct: Vec<f64>,
    /// Compliance lag in years, per ally.
    pub lag_years: Vec<f64>,
    /// Attainment in (0, 1], per ally.
    pub attainment: Vec<f64>,
    /// Defence cost inflation above the GDP deflator in %, per projected year `B+1..=H`.
    pub inflation_pct: Vec<f64>,
    /// Category mix, fractions summing to 1, in [`crate::data::Category::ALL`] order.
    pub mix: [f64; 6],
    /// Standard-normal unit-cost shock `z_j`, per item: `m(j,t) = exp(sigma_j z_j
    /// sqrt((t - B) / 10))`.
    pub cost_shock: Vec<f64>,
    /// Capacity growth in % per year after the last announced plan year, per item.
    pub capacity_growth_pct: Vec<f64>,
    /// Share `q` of an announced capacity increase delivered, per item.
    pub plan_attainment: Vec<f64>,
    /// Common standard-normal drift shock `zeta_t`, per projected year (0 without drift).
    pub drift_common_shock: Vec<f64>,
    /// Share drift `Dr(i,t)` in percentage points of GDP, ally-major like `growth_pct`
    /// (`Dr(i,B) = 0` is not stored); all 0 without drift.
    pub drift_pp: Vec<f64>,
}

impl Draws {
    /// The plan: the pledge met in full and on time, every capacity plan met, every other
    /// input at its central value. Not the middle of the distribution (the median is).
    pub fn plan(scenario: &Scenario) -> Draws {
        let projected_years = (scenario.horizon - scenario.base_year()) as usize;
        let allies = &scenario.data.allies;
        Draws {
            common_shock: vec![0.0; projected_years],
            growth_pct: allies
                .iter()
                .flat_map(|a| std::iter::repeat_n(a.growth_mean_pct, projected_years))
                .collect(),
            lag_years: vec![0.0; allies.len()],
            attainment: vec![1.0; allies.len()],
            inflation_pct: vec![scenario.inflation.mean_pct; projected_years],
            mix: scenario.mix.shares,
            cost_shock: vec![0.0; scenario.items.len()],
            capacity_growth_pct: scenario
                .items
                .iter()
                .map(|i| i.capacity_growth_pct.mode())
                .collect(),
            plan_attainment: vec![1.0; scenario.items.len()],
            drift_common_shock: vec![0.0; projected_years],
            drift_pp: vec![0.0; allies.len() * projected_years],
        }
    }
}
