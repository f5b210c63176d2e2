//! The uncertain inputs sensitivity ranks, each a scalar summary of one run's [`Draws`]
//! (docs/METHODOLOGY.md, section "Sensitivity", defines each):
//!
//! - `growth_common`: the mean of the common growth shock `z_t` over the projected years;
//! - `growth_europe_canada`, `growth_usa`: the mean over the projected years, and over the
//!   group's allies with a growth spread weighted by their base-year GDP, of the
//!   idiosyncratic term `sqrt(1 - rho) eps(i,t) = (g(i,t) - mu_i) / (k_sd sd_i) - sqrt(rho) z_t`;
//! - `lag_europe_canada`, `lag_usa`, `attainment_europe_canada`, `attainment_usa`: the mean
//!   compliance lag and attainment over the group's allies, weighted by base-year GDP (an
//!   ally's money moves with its GDP, so Germany's attainment counts for more than Iceland's);
//! - `inflation`: the mean defence cost inflation over the projected years;
//! - `drift_common`: the mean common drift shock `zeta_t` over the projected years;
//! - `mix_<category>`: the run's share of added money going to the category;
//! - per item, `<item>.unit_cost` (`z_j`), `<item>.capacity_growth` (`r_j`) and
//!   `<item>.plan_attainment` (`q_j`).
//!
//! The two ally groups are Europe+Canada (every ally but the United States, as the builtin
//! group) and the United States. An input that cannot move any output in the scenario (its
//! distribution has zero width, or its weight is zero) is left out, so that noise is never
//! ranked.

use super::Input;
use crate::data::Category;
use crate::model::draws::Draws;
use crate::scenario::Scenario;

/// Which part of a run's draws an input summarises.
#[derive(Debug, Clone)]
enum Part {
    GrowthCommon,
    /// Members with `k_sd * sd_i > 0`: index, weight, `mu_i` and `k_sd * sd_i`; and `sqrt(rho)`.
    GrowthOwn {
        members: Vec<(usize, f64, f64, f64)>,
        sqrt_rho: f64,
    },
    /// Members and their weights, summing to 1.
    Lag(Vec<(usize, f64)>),
    /// Members and their weights, summing to 1.
    Attainment(Vec<(usize, f64)>),
    Inflation,
    DriftCommon,
    Mix(usize),
    UnitCost(usize),
    CapacityGrowth(usize),
    PlanAttainment(usize),
}

/// An input and how to read it from a run's draws.
#[derive(Debug, Clone)]
pub(super) struct InputDef {
    pub(super) input: Input,
    part: Part,
}

fn mean(values: impl Iterator<Item = f64>) -> f64 {
    let (mut sum, mut n) = (0.0, 0usize);
    for v in values {
        sum += v;
        n += 1;
    }
    if n == 0 { 0.0 } else { sum / n as f64 }
}

impl InputDef {
    /// The input's value in the run whose draws are `draws`.
    pub(super) fn value(&self, draws: &Draws) -> f64 {
        let years = draws.common_shock.len();
        match &self.part {
            Part::GrowthCommon => mean(draws.common_shock.iter().copied()),
            Part::GrowthOwn { members, sqrt_rho } => mean((0..years).map(|y| {
                members
                    .iter()
                    .map(|&(i, weight, mu, scale)| {
                        let total = (draws.growth_pct[i * years + y] - mu) / scale;
                        weight * (total - sqrt_rho * draws.common_shock[y])
                    })
                    .sum()
            })),
            Part::Lag(members) => members.iter().map(|&(i, w)| w * draws.lag_years[i]).sum(),
            Part::Attainment(members) => {
                members.iter().map(|&(i, w)| w * draws.attainment[i]).sum()
            }
            Part::Inflation => mean(draws.inflation_pct.iter().copied()),
            Part::DriftCommon => mean(draws.drift_common_shock.iter().copied()),
            Part::Mix(k) => draws.mix[*k],
            Part::UnitCost(j) => draws.cost_shock[*j],
            Part::CapacityGrowth(j) => draws.capacity_growth_pct[*j],
            Part::PlanAttainment(j) => draws.plan_attainment[*j],
        }
    }
}

/// The inputs of `scenario` that vary, in this order: growth (common, then by group),
/// compliance lag and attainment by group, inflation, drift, the mix by category, then per
/// item its unit cost, capacity growth and plan attainment.
pub(super) fn inputs(scenario: &Scenario) -> Vec<InputDef> {
    let allies = &scenario.data.allies;
    let groups: [(&str, &str, Vec<usize>); 2] = [
        (
            "europe_canada",
            "Europe+Canada",
            (0..allies.len())
                .filter(|&i| allies[i].iso3 != "USA")
                .collect(),
        ),
        (
            "usa",
            "United States",
            (0..allies.len())
                .filter(|&i| allies[i].iso3 == "USA")
                .collect(),
        ),
    ];
    // Weights by base-year GDP, summing to 1 over `members`.
    let weighted = |members: &[usize]| -> Vec<(usize, f64)> {
        let total: f64 = members.iter().map(|&i| allies[i].gdp_usd_bn).sum();
        members
            .iter()
            .map(|&i| (i, allies[i].gdp_usd_bn / total))
            .collect()
    };
    let mut list = Vec::new();
    let mut add = |name: String, label: String, part: Part| {
        list.push(InputDef {
            input: Input { name, label },
            part,
        });
    };
    let rho = scenario.growth.correlation;
    let scale = |i: usize| scenario.growth.sd_scale * allies[i].growth_sd_pct;
    let projected = scenario.horizon > scenario.base_year();
    let any_spread = (0..allies.len()).any(|i| scale(i) > 0.0);
    if projected && rho > 0.0 && any_spread {
        add(
            "growth_common".into(),
            "GDP growth, common shock".into(),
            Part::GrowthCommon,
        );
    }
    for (name, label, members) in &groups {
        let spread: Vec<usize> = members
            .iter()
            .copied()
            .filter(|&i| scale(i) > 0.0)
            .collect();
        let members: Vec<(usize, f64, f64, f64)> = weighted(&spread)
            .into_iter()
            .map(|(i, w)| (i, w, allies[i].growth_mean_pct, scale(i)))
            .collect();
        if projected && rho < 1.0 && !members.is_empty() {
            add(
                format!("growth_{name}"),
                format!("GDP growth, {label}"),
                Part::GrowthOwn {
                    members,
                    sqrt_rho: rho.sqrt(),
                },
            );
        }
    }
    let varies = |range: crate::dist::Triangular| range.max() > range.min();
    let compliance = scenario.compliance;
    for (name, label, members) in &groups {
        if varies(compliance.lag_years) && !members.is_empty() {
            add(
                format!("lag_{name}"),
                format!("Compliance lag, {label}"),
                Part::Lag(weighted(members)),
            );
        }
    }
    for (name, label, members) in &groups {
        if varies(compliance.attainment) && !members.is_empty() {
            add(
                format!("attainment_{name}"),
                format!("Attainment, {label}"),
                Part::Attainment(weighted(members)),
            );
        }
    }
    if projected && scenario.inflation.sd_pct > 0.0 {
        add(
            "inflation".into(),
            "Defence cost inflation".into(),
            Part::Inflation,
        );
    }
    if projected && compliance.drift_pp > 0.0 && compliance.drift_correlation > 0.0 {
        add(
            "drift_common".into(),
            "Share drift, common shock".into(),
            Part::DriftCommon,
        );
    }
    let mix = scenario.mix;
    let shares = mix.shares.iter().filter(|w| **w > 0.0).count();
    if mix.concentration > 0.0 && shares > 1 {
        for category in Category::ALL {
            if mix.shares[category.index()] > 0.0 {
                add(
                    format!("mix_{}", category.as_str()),
                    format!("Mix, {} share", category.as_str().replace('_', " ")),
                    Part::Mix(category.index()),
                );
            }
        }
    }
    for (j, item) in scenario.items.iter().enumerate() {
        if item.cost_sigma > 0.0 {
            add(
                format!("{}.unit_cost", item.id),
                format!("Unit cost, {}", item.label),
                Part::UnitCost(j),
            );
        }
        if varies(item.capacity_growth_pct) {
            add(
                format!("{}.capacity_growth", item.id),
                format!("Capacity growth, {}", item.label),
                Part::CapacityGrowth(j),
            );
        }
        if varies(scenario.plan_attainment(j)) && !item.capacity_plan.is_empty() {
            add(
                format!("{}.plan_attainment", item.id),
                format!("Plan attainment, {}", item.label),
                Part::PlanAttainment(j),
            );
        }
    }
    list
}
