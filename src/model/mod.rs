//! The projection of MODEL.md section 4: from GDP paths and goals to core, related and
//! equipment spending per ally, sums per group, and production demand against capacity per
//! item. Pure arithmetic on validated inputs: no IO, no randomness, no failure.
//!
//! [`Model::new`] resolves each goal for each ally once (overrides, floors, zero-spending
//! allies) and calibrates every item's `alpha` on base-year data (`base_demand`).
//! [`Model::evaluate`] then maps one run's [`Draws`] to every value of the
//! [`crate::scenario::metrics::Layout`], in its order; the plan is `evaluate(&Draws::plan(..))`.
//!
//! The base year `B` is data (MODEL.md v2): uncertainty applies to change from `B` only, so
//! every run, every goal and the plan give the same base-year values.

pub mod draws;
mod ramp;

pub use ramp::{GoalClock, ramp};

use crate::data::base_year::{base_equipment_musd, sum_members};
use crate::data::{Ally, Purchase};
use crate::model::draws::Draws;
use crate::scenario::metrics::{
    DELTA_METRICS, GROUP_METRICS, ITEM_METRICS, Layout, Metric, RowKey, RowVariation,
};
use crate::scenario::{Floor, Goal, Path, Plans, Scenario};
use std::collections::BTreeMap;

/// Relative margin by which demand must exceed capacity to count as a shortfall: demand
/// within rounding of capacity (a line calibrated to run at capacity) is not short.
pub const SHORTFALL_TOLERANCE: f64 = 1e-9;

/// One goal as it applies to one ally, after overrides and the zero-spending rule.
#[derive(Debug, Clone, Copy)]
struct AllyGoal {
    /// `G'`: the core goal after the floor, % of GDP.
    core_pct: f64,
    /// `R`: the related goal, % of GDP.
    related_pct: f64,
    /// Year the goal is reached, before the lag.
    target_year: f64,
    path: Path,
    /// `max(E, e)`: the equipment share reached, %.
    equipment_pct: f64,
    /// False for an ally held at 0 (no defence spending and no override): no share drift.
    drifts: bool,
    /// Index into `Model::paths` of the declared path the core share follows, if any.
    path_points: Option<usize>,
}

/// How `goal` applies to `ally` (MODEL.md v2, section 3). The core share follows, first match
/// first: the override's `points`; the override's `core_pct`; the ally's declared points (with
/// `plans = "declared"`); the goal's `core_pct`; the base share. An ally without defence
/// spending stays at 0 unless its override gives `core_pct` or `points`. A declared path is
/// pushed onto `paths`, with the floor applied to every point.
fn ally_goal(
    scenario: &Scenario,
    goal: &Goal,
    ally: &Ally,
    paths: &mut Vec<Vec<(f64, f64)>>,
) -> AllyGoal {
    let o = goal.overrides.get(&ally.iso3);
    let s = ally.defence_pct_gdp;
    let floor = |pct: f64| match goal.floor {
        Floor::Current => pct.max(s),
        Floor::None => pct,
    };
    let switched_on = o.is_some_and(|o| o.core_pct.is_some() || o.points.is_some());
    let held_at_zero = s == 0.0 && !switched_on;
    let b = scenario.base_year();
    let declared: Vec<(f64, f64)> = match (o.and_then(|o| o.points.as_ref()), goal.plans) {
        (Some(points), _) if !held_at_zero => points
            .iter()
            .map(|p| (f64::from(p.year - b), p.core_pct))
            .collect(),
        (None, Plans::Declared) if !held_at_zero && o.and_then(|o| o.core_pct).is_none() => {
            scenario
                .data
                .declared
                .iter()
                .filter(|d| d.iso3 == ally.iso3)
                .map(|d| (f64::from(d.year - b), d.core_pct))
                .collect()
        }
        _ => Vec::new(),
    };
    let path_points = (!declared.is_empty()).then(|| {
        let mut points: Vec<(f64, f64)> = declared.iter().map(|&(t, p)| (t, floor(p))).collect();
        points.sort_by(|a, b| a.0.total_cmp(&b.0));
        paths.push(points);
        paths.len() - 1
    });
    let core = if held_at_zero {
        0.0
    } else if let Some(k) = path_points {
        paths[k].last().map_or(s, |p| p.1)
    } else {
        floor(o.and_then(|o| o.core_pct).or(goal.core_pct).unwrap_or(s))
    };
    let related = if held_at_zero {
        0.0
    } else {
        o.and_then(|o| o.related_pct).unwrap_or(goal.related_pct)
    };
    let equipment = o
        .and_then(|o| o.equipment_pct)
        .unwrap_or(goal.equipment_pct);
    AllyGoal {
        core_pct: core,
        related_pct: related,
        target_year: f64::from(o.and_then(|o| o.target_year).unwrap_or(goal.target_year)),
        path: o.and_then(|o| o.path).unwrap_or(goal.path),
        equipment_pct: equipment.max(ally.equipment_pct),
        drifts: !held_at_zero,
        path_points,
    }
}

/// An item with its buyers as a group index and its `alpha` fixed.
#[derive(Debug, Clone)]
struct ModelItem {
    category: usize,
    /// Index of the buyers in the reported groups: their equipment spending is that group's.
    group: usize,
    alpha: f64,
    /// `EQ(j,B)`: the buyers' base-year equipment spending, USD millions.
    base_equipment_musd: f64,
    /// Demand in the base year, units: `base_demand`, or what `alpha` buys in `B`.
    base_demand_units: f64,
    unit_cost_musd: f64,
    /// Log-sd of the unit-cost multiplier ten years after `B`.
    cost_sigma: f64,
    /// `K0`: base-year capacity, units per year.
    capacity_units_per_year: f64,
    /// `plan(j,t)` for `t = B..=H`: announced capacity, units per year.
    planned: Vec<f64>,
    /// `T0 - B`: years after `B` from which capacity grows at `r`.
    growth_start_years: f64,
}

/// A piecewise-linear path `years` after `B`: through `(0, k0)` and `points` (years after `B`,
/// value; in year order), flat after the last. Serves announced capacity (`plan(j,t)`) and
/// declared shares (`D(i,tau)`).
fn piecewise(k0: f64, points: &[(f64, f64)], years: f64) -> f64 {
    let mut from = (0.0, k0);
    for &(year, capacity) in points {
        if years <= year {
            let x = (years - from.0) / (year - from.0);
            return from.1 + (capacity - from.1) * x;
        }
        from = (year, capacity);
    }
    from.1
}

/// A scenario compiled for fast, repeated evaluation.
#[derive(Debug, Clone)]
pub struct Model {
    base_year: i32,
    years: usize,
    gdp0_usd_bn: Vec<f64>,
    base_pct: Vec<f64>,
    base_equipment_pct: Vec<f64>,
    /// `goals[g][i]`.
    goals: Vec<Vec<AllyGoal>>,
    /// Declared paths: (years after `B`, % of GDP after the floor), in year order.
    paths: Vec<Vec<(f64, f64)>>,
    /// Member ally indices of every reported group.
    groups: Vec<Vec<usize>>,
    items: Vec<ModelItem>,
    /// `w`: the data mix, which splits base-year money and every cut below it.
    base_mix: [f64; 6],
    /// True when shares drift (`[compliance] drift_pp > 0`).
    drift: bool,
    /// `sqrt((t - B) / 10)` per year: how far the unit-cost multiplier has spread.
    cost_spread: Vec<f64>,
}

/// Scratch space for [`Model::evaluate`], reused across runs to avoid allocation.
#[derive(Debug, Clone, Default)]
pub struct Workspace {
    gdp: Vec<f64>,
    price: Vec<f64>,
    core: Vec<f64>,
    related: Vec<f64>,
    equipment: Vec<f64>,
    reference_core: Vec<f64>,
    capacity: Vec<f64>,
    group_equipment: Vec<f64>,
    group_gdp: Vec<f64>,
    pct_of_gdp: Vec<f64>,
    /// Unit cost `cost(j) * m(j,t) * P(t)`, item-major: `[j * years + y]`.
    unit_cost: Vec<f64>,
    cumulative_delta: Vec<f64>,
    /// Per item: the backlog at the end of the previous year, units.
    backlog: Vec<f64>,
}

impl Model {
    /// Compiles `scenario`. Alphas of items given by `base_demand` are calibrated here.
    pub fn new(scenario: &Scenario) -> Model {
        let allies = &scenario.data.allies;
        let index_of = |code: &str| {
            allies
                .iter()
                .position(|a| a.iso3 == code)
                .expect("group members are checked when the scenario is resolved")
        };
        let mut paths: Vec<Vec<(f64, f64)>> = Vec::new();
        let goals = scenario
            .goals
            .iter()
            .map(|goal| {
                allies
                    .iter()
                    .map(|ally| ally_goal(scenario, goal, ally, &mut paths))
                    .collect()
            })
            .collect();
        let groups = scenario
            .groups
            .iter()
            .map(|g| g.members.iter().map(|m| index_of(m)).collect())
            .collect();
        let groups: Vec<Vec<usize>> = groups;
        let base_equipment: Vec<f64> = allies.iter().map(base_equipment_musd).collect();
        let base_year = scenario.base_year();
        let years = (scenario.horizon - base_year) as usize + 1;
        let items = scenario
            .items
            .iter()
            .map(|item| {
                let group = scenario
                    .group_index(&item.buyers)
                    .expect("buyers are checked when the scenario is resolved");
                let category = item.category.index();
                let base_equipment_musd = sum_members(&base_equipment, &groups[group]);
                let base_spend = base_equipment_musd * scenario.mix.shares[category];
                let (alpha, base_demand_units) = match item.purchase {
                    Purchase::Alpha(alpha) => (alpha, alpha * base_spend / item.unit_cost_musd),
                    Purchase::BaseDemand(units) => {
                        (units * item.unit_cost_musd / base_spend, units)
                    }
                };
                let points: Vec<(f64, f64)> = item
                    .capacity_plan
                    .iter()
                    .map(|p| (f64::from(p.year - base_year), p.capacity))
                    .collect();
                let last_plan_years = points.last().map_or(0.0, |p| p.0);
                let k0 = item.capacity_units_per_year;
                ModelItem {
                    category,
                    group,
                    alpha,
                    base_equipment_musd,
                    base_demand_units,
                    unit_cost_musd: item.unit_cost_musd,
                    cost_sigma: item.cost_sigma,
                    capacity_units_per_year: item.capacity_units_per_year,
                    growth_start_years: last_plan_years.max(item.lead_years),
                    planned: (0..years)
                        .map(|y| piecewise(k0, &points, y as f64))
                        .collect(),
                }
            })
            .collect();
        Model {
            base_year,
            years,
            gdp0_usd_bn: allies.iter().map(|a| a.gdp_usd_bn).collect(),
            base_pct: allies.iter().map(|a| a.defence_pct_gdp).collect(),
            base_equipment_pct: allies.iter().map(|a| a.equipment_pct).collect(),
            goals,
            paths,
            groups,
            items,
            base_mix: scenario.mix.shares,
            drift: scenario.compliance.drift_pp > 0.0,
            cost_spread: (0..years).map(|y| (y as f64 / 10.0).sqrt()).collect(),
        }
    }

    /// Every item's `alpha`, given or calibrated, in scenario order.
    pub fn alphas(&self) -> Vec<f64> {
        self.items.iter().map(|i| i.alpha).collect()
    }

    /// Number of values one evaluation writes: the length of the scenario's layout.
    pub fn values_per_run(&self) -> usize {
        let groups = self.groups.len();
        let per_goal = |extra: usize| {
            self.years
                * (groups * (GROUP_METRICS.len() + extra) + self.items.len() * ITEM_METRICS.len())
        };
        per_goal(0) + (self.goals.len() - 1) * per_goal(DELTA_METRICS.len())
    }

    /// How each row of `layout` varies across runs, from invariants of this model, so the
    /// Monte Carlo engine keeps statistics only of rows that can differ from every other row:
    ///
    /// - every row of the base year is data (target years lie after it, lags are never
    ///   negative, the cost multiplier is 1 and the mix splits only money added since):
    ///   [`RowVariation::Constant`];
    /// - GDP and capacity do not depend on the goal: rows of later goals are
    ///   [`RowVariation::SameAs`] the first goal's;
    /// - a group none of whose members has related spending under a goal has related spending
    ///   0 in every run, and total spending the same as core spending.
    ///
    /// `tests/it/monte_carlo.rs` checks these invariants on raw runs.
    pub fn variation(&self, layout: &Layout) -> Vec<RowVariation> {
        let index: BTreeMap<RowKey, usize> = layout
            .rows()
            .iter()
            .enumerate()
            .map(|(i, k)| (*k, i))
            .collect();
        let no_related = |key: &RowKey| {
            self.groups[key.group]
                .iter()
                .all(|&i| self.goals[key.goal][i].related_pct == 0.0)
        };
        layout
            .rows()
            .iter()
            .map(|key| {
                let other = |change: RowKey| RowVariation::SameAs(index[&change]);
                match key.metric {
                    // The base year is data in every run (MODEL.md v2).
                    _ if key.year == self.base_year => RowVariation::Constant,
                    Metric::GdpUsdBn | Metric::CapacityUnits if key.goal > 0 => {
                        other(RowKey { goal: 0, ..*key })
                    }
                    Metric::RelatedMusd if no_related(key) => RowVariation::Constant,
                    Metric::TotalMusd if no_related(key) => other(RowKey {
                        metric: Metric::CoreMusd,
                        ..*key
                    }),
                    _ => RowVariation::Varies,
                }
            })
            .collect()
    }

    /// Evaluates one run: writes every value of the layout into `out`, in layout order.
    ///
    /// Scratch arrays are year-major (`[y * allies + i]`), so the sums over a group's members
    /// for one year read nearby memory. Every sum adds members in dataset order.
    ///
    /// # Panics
    /// If `out.len()` is not [`Model::values_per_run`] or `draws` does not fit the scenario;
    /// both are programming errors.
    pub fn evaluate(&self, draws: &Draws, work: &mut Workspace, out: &mut [f64]) {
        assert_eq!(
            out.len(),
            self.values_per_run(),
            "output buffer does not fit the layout"
        );

        let n_allies = self.gdp0_usd_bn.len();
        let years = self.years;
        let projected = years - 1;
        let cells = n_allies * years;
        work.gdp.resize(cells, 0.0);
        work.core.resize(cells, 0.0);
        work.related.resize(cells, 0.0);
        work.equipment.resize(cells, 0.0);
        work.reference_core.resize(self.groups.len() * years, 0.0);
        work.group_equipment.resize(self.groups.len(), 0.0);
        work.cumulative_delta.resize(self.groups.len(), 0.0);
        work.backlog.resize(self.items.len(), 0.0);

        // GDP paths and the defence price index are shared by all goals.
        for i in 0..n_allies {
            let mut gdp = self.gdp0_usd_bn[i];
            work.gdp[i] = gdp;
            for y in 1..years {
                gdp *= 1.0 + draws.growth_pct[i * projected + y - 1] / 100.0;
                work.gdp[y * n_allies + i] = gdp;
            }
        }
        work.price.clear();
        work.price.push(1.0);
        for y in 1..years {
            let last = work.price[y - 1];
            work.price
                .push(last * (1.0 + draws.inflation_pct[y - 1] / 100.0));
        }

        // Capacity and unit costs depend on the run's draws but not on the goal.
        work.capacity.clear();
        work.unit_cost.clear();
        for (j, item) in self.items.iter().enumerate() {
            let growth = 1.0 + draws.capacity_growth_pct[j] / 100.0;
            let attainment = draws.plan_attainment[j];
            let log_sd = item.cost_sigma * draws.cost_shock[j];
            let k0 = item.capacity_units_per_year;
            for y in 0..years {
                let planned = k0 + attainment * (item.planned[y] - k0);
                let growth_years = (y as f64 - item.growth_start_years).max(0.0);
                work.capacity.push(planned * growth.powf(growth_years));
                // m(j,t) = exp(sigma * z * sqrt((t - B) / 10)): 1 in the base year.
                let multiplier = (log_sd * self.cost_spread[y]).exp();
                work.unit_cost
                    .push(item.unit_cost_musd * multiplier * work.price[y]);
            }
        }

        // Group GDP, and the factor that turns core spending into % of it, per year and
        // group: shared by all goals.
        let n_groups = self.groups.len();
        work.group_gdp.clear();
        work.pct_of_gdp.clear();
        for y in 0..years {
            let gdp_row = &work.gdp[y * n_allies..(y + 1) * n_allies];
            for members in &self.groups {
                let gdp = sum_members(gdp_row, members);
                work.group_gdp.push(gdp);
                // 100 * core / (1000 * GDP): musd against USD bn, in %.
                work.pct_of_gdp.push(0.1 / gdp);
            }
        }

        let mut cursor = 0;
        for (g, goal) in self.goals.iter().enumerate() {
            self.spend(goal, draws, work);
            work.cumulative_delta.fill(0.0);
            work.backlog.fill(0.0);
            for y in 0..years {
                let row = y * n_allies;
                let core_row = &work.core[row..row + n_allies];
                let related_row = &work.related[row..row + n_allies];
                let equipment_row = &work.equipment[row..row + n_allies];
                for (k, members) in self.groups.iter().enumerate() {
                    let core = sum_members(core_row, members);
                    let related = sum_members(related_row, members);
                    let equipment = sum_members(equipment_row, members);
                    work.group_equipment[k] = equipment;
                    let values = [
                        core,
                        related,
                        core + related,
                        core * work.pct_of_gdp[y * n_groups + k],
                        equipment,
                        work.group_gdp[y * n_groups + k],
                    ];
                    out[cursor..cursor + values.len()].copy_from_slice(&values);
                    cursor += values.len();
                    if g == 0 {
                        work.reference_core[k * years + y] = core;
                    } else {
                        let delta = core - work.reference_core[k * years + y];
                        if y > 0 {
                            work.cumulative_delta[k] += delta;
                        }
                        out[cursor] = delta;
                        out[cursor + 1] = work.cumulative_delta[k];
                        cursor += DELTA_METRICS.len();
                    }
                }
                for (j, item) in self.items.iter().enumerate() {
                    let unit_cost = work.unit_cost[j * years + y];
                    // The base year is data; later, the money added since B is split by the
                    // run's mix and a cut by the data mix (MODEL.md v2, section 4).
                    let demand = if y == 0 {
                        item.base_demand_units
                    } else {
                        self.item_spend_musd(j, work.group_equipment[item.group], draws) / unit_cost
                    };
                    let capacity = work.capacity[j * years + y];
                    // Demand within rounding of capacity is not a shortfall.
                    let short = demand > capacity * (1.0 + SHORTFALL_TOLERANCE);
                    let shortfall = if short { demand - capacity } else { 0.0 };
                    // backlog(j, B) = 0 by definition, even where demand exceeds capacity.
                    let backlog = if y == 0 {
                        0.0
                    } else {
                        (work.backlog[j] + demand - capacity).max(0.0)
                    };
                    work.backlog[j] = backlog;
                    let values = [
                        demand,
                        capacity,
                        shortfall,
                        if short { 1.0 } else { 0.0 },
                        shortfall * unit_cost,
                        backlog,
                        backlog / capacity,
                    ];
                    out[cursor..cursor + values.len()].copy_from_slice(&values);
                    cursor += values.len();
                }
            }
        }
        debug_assert_eq!(cursor, out.len());
    }

    /// The money of item `item`'s buyers in its category above their base-year level, USD
    /// millions, when their equipment spending is `equipment_musd`: money added since `B` is
    /// split by the run's mix, a cut below `B` by the data mix (MODEL.md v2, section 4):
    /// `max(0, EQ - EQ(B)) * w~[k] + min(0, EQ - EQ(B)) * w[k]`. Negative after a cut.
    pub fn added_category_musd(&self, item: usize, equipment_musd: f64, draws: &Draws) -> f64 {
        let item = &self.items[item];
        let change = equipment_musd - item.base_equipment_musd;
        let k = item.category;
        change.max(0.0) * draws.mix[k] + change.min(0.0) * self.base_mix[k]
    }

    /// `spend(j,t)` of MODEL.md section 4, USD millions: item `item`'s share `alpha` of its
    /// buyers' category money, the base-year money split by the data mix plus
    /// [`Model::added_category_musd`], when the buyers' equipment spending is `equipment_musd`.
    /// [`Model::evaluate`] computes demand with it.
    pub fn item_spend_musd(&self, item: usize, equipment_musd: f64, draws: &Draws) -> f64 {
        let it = &self.items[item];
        it.alpha
            * (it.base_equipment_musd * self.base_mix[it.category]
                + self.added_category_musd(item, equipment_musd, draws))
    }

    /// `unit_cost(j,t)`, USD millions per unit, of item `item` in year `B + year_index`, as the
    /// last [`Model::evaluate`] into `work` computed it (it does not depend on the goal).
    ///
    /// # Panics
    /// If `work` has not been filled by `evaluate` on this model.
    pub fn unit_cost_musd(&self, work: &Workspace, item: usize, year_index: usize) -> f64 {
        work.unit_cost[item * self.years + year_index]
    }

    /// Core, related and equipment spending of every ally and year under one goal.
    fn spend(&self, goal: &[AllyGoal], draws: &Draws, work: &mut Workspace) {
        let n_allies = goal.len();
        let projected = self.years - 1;
        for (i, ag) in goal.iter().enumerate() {
            let s = self.base_pct[i];
            let e = self.base_equipment_pct[i];
            let attained = s + draws.attainment[i] * (ag.core_pct - s);
            let clock = GoalClock::new(self.base_year, ag.target_year + draws.lag_years[i]);
            let drift = &draws.drift_pp[i * projected..(i + 1) * projected];
            // A declared path runs on a clock late by the lag: tau = y * ym / (ym + lag).
            let declared = ag.path_points.map(|k| {
                let points = &self.paths[k];
                let last = points.last().map_or(1.0, |p| p.0);
                (points, last / (last + draws.lag_years[i]))
            });
            for y in 0..self.years {
                let r = ramp(ag.path, clock.at(y));
                let cell = y * n_allies + i;
                let gdp = work.gdp[cell];
                let mut share_pct = match declared {
                    Some((points, pace)) => {
                        let target = piecewise(s, points, y as f64 * pace);
                        s + draws.attainment[i] * (target - s)
                    }
                    None => s + (attained - s) * r,
                };
                // Share drift: a random walk around the path from B + 1 on, never below 0.
                if self.drift && y > 0 && ag.drifts {
                    share_pct = (share_pct + drift[y - 1]).max(0.0);
                }
                // % of GDP in USD bn to USD millions: * 1000 / 100.
                let core = share_pct * gdp * 10.0;
                work.core[cell] = core;
                work.related[cell] = ag.related_pct * r * gdp * 10.0;
                work.equipment[cell] = core * (e + (ag.equipment_pct - e) * r) * 0.01;
            }
        }
    }
}
