//! `capacity.csv`: capacity planning per goal and production line (docs/METHODOLOGY.md
//! section 17; the measures are computed in [`crate::results::capacity`]), tidy: one row per
//! goal, item, basis, measure and year.
//!
//! Columns ([`CAPACITY_COLUMNS`]):
//!
//! - `goal`, `item`: ids, as in `summary.csv`.
//! - `basis`: the demand path planned for: `plan` (the pledge met in full and on time), `p50`
//!   or `p90` (each year's median or 90th percentile over the runs: per-year quantiles, not
//!   one run's path; only when runs were made); empty for the line's own data.
//! - `measure`, in this order for each goal and item:
//!   - `base_capacity_units_per_year` (`K0`), `lead_years` (`L`), `expansion_from_year`
//!     (`T0 = B + L`, perhaps fractional) and `modal_growth_pct` (`capacity_growth_mode_pct`):
//!     the line's data, no basis, no year;
//!   - `capacity_plan_units_per_year`, per year `B..H`: capacity in the plan (announced
//!     capacity plans met, modal growth after them), no basis;
//!   - then per basis: `growth_needed_pct` (the constant growth from `T0` that meets the
//!     basis' demand in every year after `T0`), `growth_binding_year` (the year that sets
//!     it), `growth_to_horizon_pct` (the rate the horizon year's demand alone asks for),
//!     `latest_start_year` (the latest year an
//!     expansion at the modal rate can start), `years_of_production` (demand summed over
//!     `B+1..H` over `K0`), no year; `capacity_needed_units_per_year` (the basis' demand) and
//!     `growth_path_units_per_year` (`K0 (1 + g)^max(0, t - T0)`) per year `B..H`;
//!     `short_of_capacity_plan_units_per_year`, the basis' demand less capacity in the plan,
//!     in each year after `B` where it is above; and
//!     `short_before_expansion_units_per_year`, demand above `K0` in each year after `B` and
//!     up to `T0`, only for the years where it is.
//! - `year`: the calendar year of a yearly measure, else empty.
//! - `value`: the number, in the unit its measure's name says (`_units_per_year` in the
//!   item's unit); empty when there is none, and `note` says why.
//! - `note`: for `latest_start_year` without a year, `not_needed` (demand within base capacity
//!   after `T0`), `too_late` (even a start in `B` falls short) or `not_at_modal_rate` (modal
//!   growth 0 or below); for `growth_binding_year`, `no_growth_needed`; for the growth
//!   measures, `latest_start_year` and `growth_path_units_per_year`, `no_year_after_lead` when
//!   the horizon is not after `T0`; `not_finite` for a value too large for a number. Else empty.
//!
//! Numbers are written in their shortest round-trip form, as in `summary.csv`. Everything is
//! read from the results, so the file is the same to the byte whatever `--threads`.

use crate::results::Results;
use crate::results::capacity::{ItemPlanning, LatestStart, planning};
use crate::text::format_number;

/// The header of `capacity.csv`.
pub const CAPACITY_COLUMNS: [&str; 7] =
    ["goal", "item", "basis", "measure", "year", "value", "note"];

/// One row of `capacity.csv`.
#[derive(Debug, Clone, PartialEq)]
pub struct CapacityRow<'a> {
    /// Goal id.
    pub goal: &'a str,
    /// Item id.
    pub item: &'a str,
    /// `plan`, `p50`, `p90`, or `""` for the line's data.
    pub basis: &'static str,
    /// The measure, with its unit in its name.
    pub measure: &'static str,
    /// The year of a yearly measure.
    pub year: Option<i32>,
    /// The value; `None` with a note.
    pub value: Option<f64>,
    /// Why there is no value, or `""`.
    pub note: &'static str,
}

/// The rows of `capacity.csv`, in file order.
pub fn capacity_rows(planning: &[ItemPlanning]) -> Vec<CapacityRow<'_>> {
    let mut rows = Vec::new();
    for p in planning {
        let mut push = |basis: &'static str, measure, year, value: Option<f64>, note| {
            let (value, note) = match value {
                Some(v) if !v.is_finite() => (None, "not_finite"),
                v => (v, note),
            };
            rows.push(CapacityRow {
                goal: &p.goal,
                item: &p.item,
                basis,
                measure,
                year,
                value,
                note,
            });
        };
        let line = &p.line;
        push(
            "",
            "base_capacity_units_per_year",
            None,
            Some(line.base_capacity_units_per_year),
            "",
        );
        push("", "lead_years", None, Some(line.lead_years), "");
        push(
            "",
            "expansion_from_year",
            None,
            Some(line.expansion_from()),
            "",
        );
        push(
            "",
            "modal_growth_pct",
            None,
            Some(line.modal_growth_pct),
            "",
        );
        for &(year, capacity) in &p.capacity_in_plan {
            push(
                "",
                "capacity_plan_units_per_year",
                Some(year),
                Some(capacity),
                "",
            );
        }
        for need in &p.needs {
            let basis = need.basis.name();
            let no_lead = "no_year_after_lead";
            let growth_note = if need.growth_needed_pct.is_none() {
                no_lead
            } else {
                ""
            };
            push(
                basis,
                "growth_needed_pct",
                None,
                need.growth_needed_pct,
                growth_note,
            );
            let binding = need.binding_year.map(f64::from);
            let binding_note = match need.growth_needed_pct {
                None => no_lead,
                Some(_) if binding.is_none() => "no_growth_needed",
                Some(_) => "",
            };
            push(basis, "growth_binding_year", None, binding, binding_note);
            let horizon_note = if need.growth_to_horizon_pct.is_none() {
                no_lead
            } else {
                ""
            };
            push(
                basis,
                "growth_to_horizon_pct",
                None,
                need.growth_to_horizon_pct,
                horizon_note,
            );
            let start = match need.latest_start {
                LatestStart::Year(s) => Some(f64::from(s)),
                _ => None,
            };
            push(
                basis,
                "latest_start_year",
                None,
                start,
                need.latest_start.note(),
            );
            push(
                basis,
                "years_of_production",
                None,
                Some(need.years_of_production),
                "",
            );
            for &(year, units) in &need.needed {
                push(
                    basis,
                    "capacity_needed_units_per_year",
                    Some(year),
                    Some(units),
                    "",
                );
            }
            match need.growth_path(line) {
                Some(path) => {
                    for (year, units) in path {
                        push(
                            basis,
                            "growth_path_units_per_year",
                            Some(year),
                            Some(units),
                            "",
                        );
                    }
                }
                None => push(basis, "growth_path_units_per_year", None, None, no_lead),
            }
            for &(year, units) in &need.short_of_plan_capacity {
                push(
                    basis,
                    "short_of_capacity_plan_units_per_year",
                    Some(year),
                    Some(units),
                    "",
                );
            }
            for &(year, units) in &need.short_before_expansion {
                push(
                    basis,
                    "short_before_expansion_units_per_year",
                    Some(year),
                    Some(units),
                    "",
                );
            }
        }
    }
    rows
}

/// `capacity.csv` as bytes.
pub fn capacity_csv(results: &Results) -> Vec<u8> {
    let planning = planning(results);
    let rows = capacity_rows(&planning);
    let mut out = String::with_capacity(64 * (rows.len() + 1));
    out.push_str(&CAPACITY_COLUMNS.join(","));
    out.push('\n');
    for row in rows {
        // Ids and measures never contain commas or quotes (checked on input).
        let year = row.year.map_or(String::new(), |y| y.to_string());
        let value = row.value.map_or(String::new(), format_number);
        out.push_str(
            &[
                row.goal,
                row.item,
                row.basis,
                row.measure,
                &year,
                &value,
                row.note,
            ]
            .join(","),
        );
        out.push('\n');
    }
    out.into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::results::capacity::{Basis, Line, Need};

    #[test]
    fn rows_are_tidy_and_say_why_a_value_is_missing() {
        let line = Line {
            base_year: 2025,
            base_capacity_units_per_year: 100.0,
            lead_years: 1.0,
            modal_growth_pct: 10.0,
        };
        let needed = vec![(2025, 100.0), (2026, 150.0), (2027, 300.0)];
        let plan = vec![(2025, 100.0), (2026, 100.0), (2027, 110.0)];
        let planning = vec![ItemPlanning {
            goal: "g".to_string(),
            item: "i".to_string(),
            line,
            capacity_in_plan: plan.clone(),
            needs: vec![Need::new(&line, Basis::Plan, needed, &plan)],
        }];
        let rows = capacity_rows(&planning);
        let find = |measure: &str| rows.iter().find(|r| r.measure == measure).unwrap();
        // 300 in 2027, one year after T0 = 2026: 200% a year.
        let growth = find("growth_needed_pct");
        assert_eq!((growth.basis, growth.year), ("plan", None));
        assert!((growth.value.unwrap() - 200.0).abs() < 1e-9);
        // From 2025 at 10%: 110 in 2027, short of 300.
        let start = find("latest_start_year");
        assert_eq!((start.value, start.note), (None, "too_late"));
        let short = find("short_before_expansion_units_per_year");
        assert_eq!((short.year, short.value), (Some(2026), Some(50.0)));
        assert_eq!(find("growth_binding_year").value, Some(2027.0));
        // 4 data rows, 3 plan capacities, 5 scalars, 3 needs, 3 path years, 2 years short
        // of the plan's capacity (2026: 50, 2027: 190), 1 short before the expansion.
        let plan_short: Vec<_> = rows
            .iter()
            .filter(|r| r.measure == "short_of_capacity_plan_units_per_year")
            .map(|r| (r.year.unwrap(), r.value.unwrap()))
            .collect();
        assert_eq!(plan_short, [(2026, 50.0), (2027, 190.0)]);
        assert_eq!(rows.len(), 21);
    }
}
