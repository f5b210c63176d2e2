//! Capacity planning: per production line and goal, what capacity the demand asks for, the
//! constant growth from today's capacity that would supply it, the latest year an expansion
//! at the line's modal growth rate can start, and the years of production the demand to the
//! horizon represents (docs/METHODOLOGY.md section 17, C59 to C66). Read from [`Results`]
//! alone: the `demand_units` and `capacity_units` rows of each item and goal, and the item's
//! data in the resolved scenario; nothing here runs the model.
//!
//! With `B` the base year, `H` the horizon, `K0` the line's base-year capacity (units per
//! year), `L` its lead time in years, `r` its modal capacity growth (`capacity_growth_mode_pct`)
//! and `D(t)` a demand path (a [`Basis`]: the plan, or the runs' P50 or P90 of each year):
//!
//! ```text
//! needed(t)           = D(t)                                     t = B..H, units per year
//! T0                  = B + L                                    growth starts no earlier
//! growth_needed       = max(0, max over t in B+1..H, t > T0 of (D(t)/K0)^(1/(t - T0)) - 1)
//! binding_year        = the first t at which that maximum is reached (none if it is 0)
//! growth_to_horizon   = max(0, (D(H)/K0)^(1/(H - T0)) - 1)      H > T0
//! growth_path(t)      = K0 (1 + growth_needed)^max(0, t - T0)
//! short_before(t)     = D(t) - K0     for B < t <= T0 with D(t) > K0 (no growth reaches it)
//! short_of_plan(t)    = D(t) - capacity in the plan(t), where positive, B < t <= H
//! C_s(t)              = K0 (1 + r)^max(0, t - s - L)             growth started in year s
//! latest_start        = the largest s in B..H with C_s(t) >= D(t) for every t in B+1..H, t > T0
//! years_of_production = sum over t in B+1..H of D(t) / K0
//! ```
//!
//! `growth_path` meets `D` in every year after `T0` and equals it in the binding year (unless
//! `growth_needed` is 0). When demand has outgrown `K0` by `T0`, the binding year is often the
//! first after `T0` and the path then overshoots later years; `growth_to_horizon` is the rate
//! that the horizon's demand alone asks for. The latest start is `NotNeeded` when
//! `D(t) <= K0` in every year after `T0`, `TooLate` when even `s = B` falls short in one of
//! them, and `NotAtModalRate` when the modal rate is zero or below (no start year adds
//! capacity); `NoYearAfterLead` when the horizon is not after `T0`. "Meets" allows the relative [`SHORTFALL_TOLERANCE`] of the model's shortfall, so
//! demand within rounding of capacity is met here as it is there.
//!
//! The P50 and P90 paths are per-year quantiles: each year's median and 90th percentile of
//! demand over the runs, not the path of one run. Capacity on the P90 path meets each year's
//! demand in 90% of runs; every year at once, in 90% of runs or fewer. Announced capacity plans
//! are not part of `growth_needed` or `latest_start`, which start from `K0`; the capacity the
//! model assumes in the plan (plans met, modal growth after them) is kept beside them as
//! [`ItemPlanning::capacity_in_plan`], and where it falls short of `D` as `short_of_plan`.

use crate::model::SHORTFALL_TOLERANCE;
use crate::results::{ResultRow, Results};
use crate::scenario::metrics::Metric;

/// Which demand path capacity is planned for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Basis {
    /// The plan: the pledge met in full and on time (MODEL.md v2 section 4).
    Plan,
    /// Each year's median over the runs.
    P50,
    /// Each year's 90th percentile over the runs.
    P90,
}

impl Basis {
    /// Every basis, in output order.
    pub const ALL: [Basis; 3] = [Basis::Plan, Basis::P50, Basis::P90];

    /// The spelling in `capacity.csv`: `plan`, `p50`, `p90`.
    pub fn name(self) -> &'static str {
        match self {
            Basis::Plan => "plan",
            Basis::P50 => "p50",
            Basis::P90 => "p90",
        }
    }

    /// The row's value on this basis, if the row has it (the percentiles need runs).
    pub fn value(self, row: &ResultRow) -> Option<f64> {
        match self {
            Basis::Plan => Some(row.plan),
            Basis::P50 => row.stats.as_ref().map(|s| s.percentiles[3]),
            Basis::P90 => row.stats.as_ref().map(|s| s.percentiles[5]),
        }
    }
}

/// The latest year an expansion at the modal growth rate can start and still meet demand in
/// every year after the lead time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LatestStart {
    /// The latest start year.
    Year(i32),
    /// Demand stays within base capacity in every year after `B + L`: no expansion is needed
    /// by the horizon.
    NotNeeded,
    /// Even an expansion started in the base year falls short in some year after `B + L`.
    TooLate,
    /// The modal growth rate is zero or negative, so no start year adds capacity.
    NotAtModalRate,
    /// No year of the horizon is after `B + L`: growth could not arrive in time for any.
    NoYearAfterLead,
}

impl LatestStart {
    /// The word in `capacity.csv`'s `note` column (empty for a year).
    pub fn note(self) -> &'static str {
        match self {
            LatestStart::Year(_) => "",
            LatestStart::NotNeeded => "not_needed",
            LatestStart::TooLate => "too_late",
            LatestStart::NotAtModalRate => "not_at_modal_rate",
            LatestStart::NoYearAfterLead => "no_year_after_lead",
        }
    }
}

/// One production line's capacity data, the same under every goal.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Line {
    /// Base year `B`.
    pub base_year: i32,
    /// `K0`, base-year capacity, units per year (positive: checked on input).
    pub base_capacity_units_per_year: f64,
    /// `L`, years before new capacity produces.
    pub lead_years: f64,
    /// `r`, the mode of the item's capacity growth, % per year.
    pub modal_growth_pct: f64,
}

/// Whether `capacity` meets `need`, within the model's relative shortfall tolerance.
pub fn meets(capacity: f64, need: f64) -> bool {
    need <= capacity * (1.0 + SHORTFALL_TOLERANCE)
}

/// The years after `base_year` in which `capacity` (by year) does not meet `needed`, with
/// the shortfall, units per year; a year missing from `capacity` is left out.
pub fn short_of(base_year: i32, capacity: &[(i32, f64)], needed: &[(i32, f64)]) -> Vec<(i32, f64)> {
    needed
        .iter()
        .filter(|&&(t, _)| t > base_year)
        .filter_map(|&(t, need)| {
            let &(_, c) = capacity.iter().find(|&&(year, _)| year == t)?;
            (!meets(c, need)).then_some((t, need - c))
        })
        .collect()
}

impl Line {
    /// `T0 = B + L`: the first moment new capacity can produce; capacity grows for `t > T0`.
    pub fn expansion_from(&self) -> f64 {
        f64::from(self.base_year) + self.lead_years
    }

    /// The years after the base year, with their need, in `needed`'s order.
    fn projected<'a>(&self, needed: &'a [(i32, f64)]) -> impl Iterator<Item = (i32, f64)> + 'a {
        let b = self.base_year;
        needed.iter().copied().filter(move |&(t, _)| t > b)
    }

    /// The years after `T0` (and after `B`) with their need.
    fn after_lead<'a>(&self, needed: &'a [(i32, f64)]) -> impl Iterator<Item = (i32, f64)> + 'a {
        let t0 = self.expansion_from();
        self.projected(needed)
            .filter(move |&(t, _)| f64::from(t) > t0)
    }

    /// Capacity in year `t` growing at `growth_pct` a year from `from` on: `K0` up to `from`,
    /// `K0 * (1 + g)^(t - from)` after.
    pub fn capacity_growing(&self, growth_pct: f64, from: f64, t: i32) -> f64 {
        let years = (f64::from(t) - from).max(0.0);
        self.base_capacity_units_per_year * (1.0 + growth_pct / 100.0).powf(years)
    }

    /// The constant growth, % per year from `T0`, at which capacity reaches `need` in year
    /// `t > T0` (0 when base capacity does).
    pub fn growth_to(&self, t: i32, need: f64) -> f64 {
        let ratio = need / self.base_capacity_units_per_year;
        if ratio <= 1.0 {
            0.0
        } else {
            100.0 * (ratio.powf(1.0 / (f64::from(t) - self.expansion_from())) - 1.0)
        }
    }

    /// The constant growth, % per year from `T0`, that meets `needed` in every year after
    /// `T0` (0 when base capacity does); `None` when no year of `needed` is after `T0`.
    pub fn growth_needed_pct(&self, needed: &[(i32, f64)]) -> Option<f64> {
        self.after_lead(needed)
            .map(|(t, need)| self.growth_to(t, need))
            .reduce(f64::max)
    }

    /// The year that sets [`Line::growth_needed_pct`] (the first, if several do); `None` when
    /// no growth is needed.
    pub fn binding_year(&self, needed: &[(i32, f64)]) -> Option<i32> {
        let most = self.growth_needed_pct(needed).filter(|&g| g > 0.0)?;
        self.after_lead(needed)
            .find(|&(t, need)| self.growth_to(t, need) == most)
            .map(|(t, _)| t)
    }

    /// The constant growth, % per year from `T0`, that meets the need of the last year of
    /// `needed` (the horizon) alone; `None` when the horizon is not after `T0`.
    pub fn growth_to_horizon_pct(&self, needed: &[(i32, f64)]) -> Option<f64> {
        let (t, need) = self.after_lead(needed).last()?;
        Some(self.growth_to(t, need))
    }

    /// The path of [`Line::growth_needed_pct`]: capacity in year `t` growing at `growth_pct`
    /// from `T0`.
    pub fn growth_path(&self, growth_pct: f64, t: i32) -> f64 {
        self.capacity_growing(growth_pct, self.expansion_from(), t)
    }

    /// The years after `B` and up to `T0` in which `needed` is above base capacity, with the
    /// shortfall (units per year): no expansion can reach them.
    pub fn short_before_expansion(&self, needed: &[(i32, f64)]) -> Vec<(i32, f64)> {
        let t0 = self.expansion_from();
        let k0 = self.base_capacity_units_per_year;
        self.projected(needed)
            .filter(|&(t, need)| f64::from(t) <= t0 && !meets(k0, need))
            .map(|(t, need)| (t, need - k0))
            .collect()
    }

    /// The latest year `s` in `B..=H` (`H` the last year of `needed`) such that capacity
    /// growing at the modal rate from `s + L` meets `needed` in every year after `T0`.
    pub fn latest_start(&self, needed: &[(i32, f64)]) -> LatestStart {
        let k0 = self.base_capacity_units_per_year;
        let after: Vec<(i32, f64)> = self.after_lead(needed).collect();
        if after.is_empty() {
            return LatestStart::NoYearAfterLead;
        }
        if after.iter().all(|&(_, need)| meets(k0, need)) {
            return LatestStart::NotNeeded;
        }
        if self.modal_growth_pct <= 0.0 {
            return LatestStart::NotAtModalRate;
        }
        let horizon = needed
            .iter()
            .map(|&(t, _)| t)
            .max()
            .unwrap_or(self.base_year);
        let starting = |s: i32| {
            let from = f64::from(s) + self.lead_years;
            after.iter().all(|&(t, need)| {
                meets(self.capacity_growing(self.modal_growth_pct, from, t), need)
            })
        };
        // Later starts give less capacity in every year, so the feasible years are B..=s*.
        (self.base_year..=horizon)
            .rev()
            .find(|&s| starting(s))
            .map_or(LatestStart::TooLate, LatestStart::Year)
    }

    /// Demand summed over `B+1..=H`, in years of base-year capacity.
    pub fn years_of_production(&self, needed: &[(i32, f64)]) -> f64 {
        self.projected(needed)
            .map(|(_, need)| need / self.base_capacity_units_per_year)
            .sum()
    }
}

/// What one demand path asks of one line.
#[derive(Debug, Clone, PartialEq)]
pub struct Need {
    /// The demand path.
    pub basis: Basis,
    /// Capacity needed each year `B..=H`: the demand on this basis, units per year.
    pub needed: Vec<(i32, f64)>,
    /// [`Line::growth_needed_pct`].
    pub growth_needed_pct: Option<f64>,
    /// [`Line::binding_year`].
    pub binding_year: Option<i32>,
    /// [`Line::growth_to_horizon_pct`].
    pub growth_to_horizon_pct: Option<f64>,
    /// [`Line::latest_start`].
    pub latest_start: LatestStart,
    /// [`Line::years_of_production`].
    pub years_of_production: f64,
    /// [`Line::short_before_expansion`].
    pub short_before_expansion: Vec<(i32, f64)>,
    /// The years after `B` in which capacity in the plan (announced plans met, modal growth
    /// after them) falls short of this need, with the shortfall ([`short_of`]).
    pub short_of_plan_capacity: Vec<(i32, f64)>,
}

impl Need {
    /// Everything [`Line`] says of `needed` on `basis`, and where `capacity_in_plan` falls
    /// short of it.
    pub fn new(
        line: &Line,
        basis: Basis,
        needed: Vec<(i32, f64)>,
        capacity_in_plan: &[(i32, f64)],
    ) -> Need {
        Need {
            short_of_plan_capacity: short_of(line.base_year, capacity_in_plan, &needed),
            basis,
            growth_needed_pct: line.growth_needed_pct(&needed),
            binding_year: line.binding_year(&needed),
            growth_to_horizon_pct: line.growth_to_horizon_pct(&needed),
            latest_start: line.latest_start(&needed),
            years_of_production: line.years_of_production(&needed),
            short_before_expansion: line.short_before_expansion(&needed),
            needed,
        }
    }

    /// The capacity path of [`Need::growth_needed_pct`], year by year (`None` without one).
    pub fn growth_path(&self, line: &Line) -> Option<Vec<(i32, f64)>> {
        let g = self.growth_needed_pct?;
        Some(
            self.needed
                .iter()
                .map(|&(t, _)| (t, line.growth_path(g, t)))
                .collect(),
        )
    }
}

/// One production line under one goal.
#[derive(Debug, Clone, PartialEq)]
pub struct ItemPlanning {
    /// Goal id.
    pub goal: String,
    /// Item id.
    pub item: String,
    /// The line's data.
    pub line: Line,
    /// Capacity in the plan, `B..=H` (the plan value of `capacity_units`: announced plans met,
    /// modal growth after them), units per year.
    pub capacity_in_plan: Vec<(i32, f64)>,
    /// One [`Need`] per basis the results hold, in [`Basis::ALL`] order: the plan always, P50
    /// and P90 after runs.
    pub needs: Vec<Need>,
}

impl ItemPlanning {
    /// The need on `basis`, if the results hold it.
    pub fn need(&self, basis: Basis) -> Option<&Need> {
        self.needs.iter().find(|n| n.basis == basis)
    }

    /// The basis a one-number summary plans for: P90 after runs, else the plan.
    pub fn headline_basis(&self) -> Basis {
        if self.need(Basis::P90).is_some() {
            Basis::P90
        } else {
            Basis::Plan
        }
    }
}

/// Every item under every goal, goals in scenario order and items in scenario order within a
/// goal.
pub fn planning(results: &Results) -> Vec<ItemPlanning> {
    let s = &results.scenario;
    let base_year = s.base_year();
    s.goals
        .iter()
        .flat_map(|goal| {
            s.items.iter().map(move |item| {
                let line = Line {
                    base_year,
                    base_capacity_units_per_year: item.capacity_units_per_year,
                    lead_years: item.lead_years,
                    modal_growth_pct: item.capacity_growth_pct.mode(),
                };
                let series = |metric, basis: Basis| -> Option<Vec<(i32, f64)>> {
                    results
                        .item_series(&goal.id, &item.id, metric)
                        .iter()
                        .map(|row| Some((row.year, basis.value(row)?)))
                        .collect()
                };
                let capacity_in_plan =
                    series(Metric::CapacityUnits, Basis::Plan).unwrap_or_default();
                let demand_rows = results.item_series(&goal.id, &item.id, Metric::DemandUnits);
                let needs = Basis::ALL
                    .into_iter()
                    .filter_map(|basis| {
                        let needed: Option<Vec<(i32, f64)>> = demand_rows
                            .iter()
                            .map(|row| Some((row.year, basis.value(row)?)))
                            .collect();
                        needed
                            .filter(|n| !n.is_empty())
                            .map(|n| Need::new(&line, basis, n, &capacity_in_plan))
                    })
                    .collect();
                ItemPlanning {
                    goal: goal.id.clone(),
                    item: item.id.clone(),
                    line,
                    capacity_in_plan,
                    needs,
                }
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A named tolerance for sums and powers worked by hand.
    const CLOSE: f64 = 1e-9;

    fn line(capacity: f64, lead_years: f64, modal_growth_pct: f64) -> Line {
        Line {
            base_year: 2025,
            base_capacity_units_per_year: capacity,
            lead_years,
            modal_growth_pct,
        }
    }

    /// `values` for 2025, 2026, ...
    fn path(values: &[f64]) -> Vec<(i32, f64)> {
        (2025..).zip(values.iter().copied()).collect()
    }

    #[test]
    fn flat_demand_over_flat_capacity_is_n_times_demand_over_capacity() {
        // The planted case: no capacity growth, demand D = 150 every year against K0 = 100,
        // over n = 10 projected years (2026-2035): 10 * 150 / 100 = 15 years of production.
        let flat = line(100.0, 0.0, 0.0);
        let needed = path(&[150.0; 11]);
        assert!((flat.years_of_production(&needed) - 15.0).abs() < CLOSE);
        // The base year is data, not a year to supply: a different 2025 changes nothing.
        let mut other_base = needed.clone();
        other_base[0].1 = 1e6;
        assert!((flat.years_of_production(&other_base) - 15.0).abs() < CLOSE);
        // At zero growth no start year helps.
        assert_eq!(flat.latest_start(&needed), LatestStart::NotAtModalRate);
        // 150/100 in 2026, one year after T0 = 2025: 50% a year, and less for later years.
        assert!((flat.growth_needed_pct(&needed).unwrap() - 50.0).abs() < CLOSE);
    }

    #[test]
    fn the_growth_needed_is_the_steepest_year_after_the_lead_time() {
        // K0 = 100, lead 2 years: growth from T0 = 2027.
        // 2028: 110 = 100 * 1.1^1 -> 10%; 2029: 121 = 100 * 1.1^2 -> 10%;
        // 2030: 125 = 100 * (1 + g)^3 -> g = 1.25^(1/3) - 1 = 7.72%. The need is 10%.
        // 2026: 105 and 2027: 104 are above K0 before any expansion can arrive.
        let l = line(100.0, 2.0, 10.0);
        let needed = path(&[90.0, 105.0, 104.0, 110.0, 121.0, 125.0]);
        let g = l.growth_needed_pct(&needed).unwrap();
        assert!((g - 10.0).abs() < CLOSE, "{g}");
        // 2028 and 2029 both ask 10% (to rounding); the first that sets the maximum binds.
        let binding = l.binding_year(&needed).unwrap();
        assert!(binding == 2028 || binding == 2029, "{binding}");
        let horizon = l.growth_to_horizon_pct(&needed).unwrap();
        assert!((horizon - 100.0 * (1.25_f64.powf(1.0 / 3.0) - 1.0)).abs() < CLOSE);
        assert!((horizon - 7.721_734_501_594_2).abs() < 1e-9, "{horizon}");
        let short = l.short_before_expansion(&needed);
        assert_eq!(short.len(), 2);
        assert_eq!((short[0].0, short[1].0), (2026, 2027));
        assert!((short[0].1 - 5.0).abs() < CLOSE && (short[1].1 - 4.0).abs() < CLOSE);
        // The path: K0 to 2027, then 110, 121, 133.1; it meets every year after T0.
        let expected = [100.0, 100.0, 100.0, 110.0, 121.0, 133.1];
        for ((t, need), want) in needed.iter().zip(expected) {
            let c = l.growth_path(g, *t);
            assert!((c - want).abs() < 1e-9 * want, "{t}: {c}");
            if f64::from(*t) > l.expansion_from() {
                assert!(meets(c, *need), "{t}");
            }
        }
        // At the modal 10% from 2027, the base year is the only start that meets 2028-2029.
        assert_eq!(l.latest_start(&needed), LatestStart::Year(2025));
        // Demand within base capacity: no growth needed.
        assert_eq!(
            l.growth_needed_pct(&path(&[90.0, 100.0, 80.0, 95.0])),
            Some(0.0)
        );
        assert_eq!(l.binding_year(&path(&[90.0, 100.0, 80.0, 95.0])), None);
        // 2029 (125 over two years: 11.8%) binds, not 2028 (105 over one: 5%).
        assert_eq!(
            l.binding_year(&path(&[90.0, 90.0, 90.0, 105.0, 125.0])),
            Some(2029)
        );
        // No year after T0 = 2027 within the path: nothing to say.
        assert_eq!(l.growth_needed_pct(&path(&[90.0, 200.0, 300.0])), None);
    }

    #[test]
    fn a_fractional_lead_time_counts_part_of_a_year() {
        // Lead 0.5: T0 = 2025.5; 2026 is half a year of growth: 100 * (1 + g)^0.5 = 121
        // -> g = 1.21^2 - 1 = 46.41%.
        let l = line(100.0, 0.5, 10.0);
        let g = l.growth_needed_pct(&path(&[100.0, 121.0])).unwrap();
        assert!((g - 46.41).abs() < 1e-9, "{g}");
    }

    #[test]
    fn the_latest_start_is_the_last_year_the_modal_rate_still_arrives_in_time() {
        // K0 = 100, lead 1 year, modal 10%; demand 121 in 2030 only (H = 2030).
        // Started in s, capacity grows from s + 1: 100 * 1.1^(2030 - s - 1) >= 121 needs
        // 2029 - s >= 2, so s <= 2027.
        let l = line(100.0, 1.0, 10.0);
        let needed = path(&[100.0, 100.0, 100.0, 100.0, 100.0, 121.0]);
        assert_eq!(l.latest_start(&needed), LatestStart::Year(2027));
        // 200 in 2030: from 2025 at 10% gives 100 * 1.1^4 = 146.41 < 200.
        let big = path(&[100.0, 100.0, 100.0, 100.0, 100.0, 200.0]);
        assert_eq!(l.latest_start(&big), LatestStart::TooLate);
        // Within base capacity after the lead time: not needed, even if 2026 (before
        // T0 = 2026, inclusive) is short.
        let early = path(&[100.0, 150.0, 100.0, 90.0]);
        assert_eq!(l.latest_start(&early), LatestStart::NotNeeded);
        assert_eq!(l.short_before_expansion(&early).len(), 1);
        // A horizon within the lead time leaves nothing to plan for.
        assert_eq!(
            l.latest_start(&path(&[100.0, 150.0])),
            LatestStart::NoYearAfterLead
        );
        // A negative modal rate adds no capacity.
        assert_eq!(
            line(100.0, 1.0, -5.0).latest_start(&needed),
            LatestStart::NotAtModalRate
        );
        // The latest start always meets the years it is defined on, and the year after
        // it does not.
        let wavy = path(&[100.0, 95.0, 104.0, 112.0, 118.0, 140.0, 150.0, 170.0]);
        let LatestStart::Year(s) = l.latest_start(&wavy) else {
            panic!("a start year is expected");
        };
        let meets_from = |s: i32| {
            wavy.iter()
                .filter(|(t, _)| *t > 2026)
                .all(|&(t, need)| meets(l.capacity_growing(10.0, f64::from(s) + 1.0, t), need))
        };
        assert!(meets_from(s) && !meets_from(s + 1), "{s}");
    }

    #[test]
    fn needs_collect_every_measure_of_a_basis() {
        let l = line(100.0, 2.0, 10.0);
        // Capacity in the plan: 100 to 2027, then 105 and 130.
        let plan = path(&[100.0, 100.0, 100.0, 105.0, 130.0]);
        let need = Need::new(
            &l,
            Basis::P90,
            path(&[90.0, 105.0, 104.0, 110.0, 121.0]),
            &plan,
        );
        // Short of it in 2026 (5), 2027 (4) and 2028 (5); 2029 is met.
        let short: Vec<(i32, f64)> = need.short_of_plan_capacity.clone();
        assert_eq!(
            short.iter().map(|s| s.0).collect::<Vec<_>>(),
            [2026, 2027, 2028]
        );
        assert!((short[0].1 - 5.0).abs() < CLOSE && (short[2].1 - 5.0).abs() < CLOSE);
        assert_eq!(need.basis.name(), "p90");
        assert!((need.years_of_production - 4.4).abs() < CLOSE);
        let growth = need.growth_path(&l).unwrap();
        assert_eq!(growth.len(), 5);
        assert!((growth[4].1 - 121.0).abs() < 1e-9);
        assert_eq!(LatestStart::TooLate.note(), "too_late");
    }
}
