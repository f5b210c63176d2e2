//! One run's values of every uncertain input of MODEL.md section 5. The central projection is
//! the model evaluated on [`Draws::central`]: growth at its mean, lag, attainment and capacity
//! growth at their modes, inflation at its mean, the mix at its shares and unit-cost
//! multipliers at 1.

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
    /// Unit-cost multiplier `m(j)`, per item.
    pub cost_multiplier: Vec<f64>,
    /// Capacity growth in % per year, per item.
    pub capacity_growth_pct: Vec<f64>,
}

impl Draws {
    /// The central values: no randomness.
    pub fn central(scenario: &Scenario) -> Draws {
        let projected_years = (scenario.horizon - scenario.base_year()) as usize;
        let allies = &scenario.data.allies;
        Draws {
            common_shock: vec![0.0; projected_years],
            growth_pct: allies
                .iter()
                .flat_map(|a| std::iter::repeat_n(a.growth_mean_pct, projected_years))
                .collect(),
            lag_years: vec![scenario.compliance.lag_years.mode(); allies.len()],
            attainment: vec![scenario.compliance.attainment.mode(); allies.len()],
            inflation_pct: vec![scenario.inflation.mean_pct; projected_years],
            mix: scenario.mix.shares,
            cost_multiplier: vec![1.0; scenario.items.len()],
            capacity_growth_pct: scenario
                .items
                .iter()
                .map(|i| i.capacity_growth_pct.mode())
                .collect(),
        }
    }
}
