//! Capacity planning (docs/METHODOLOGY.md section 17): per goal and production line, the
//! growth needed to meet P90 demand (the plan's demand without runs), the year that sets it
//! and the rate the horizon alone asks for, the latest year an expansion at the line's modal
//! growth can start, the years in which demand is above base capacity before any expansion
//! can arrive, and the years of production the demand to the horizon represents. The numbers
//! are those of `capacity.csv`, computed in [`crate::results::capacity`].

use super::{Cell, Column, Format, Number, PLAN_HEADING, RANGE_DASH, Role, RowGroup, Table, Text};
use crate::report::tables::years_text;
use crate::results::Results;
use crate::results::capacity::{Basis, ItemPlanning, LatestStart, Need, planning};
use crate::text::grouped;

/// The capacity planning table.
pub fn capacity(r: &Results) -> Table<'_> {
    let s = &r.scenario;
    let (b, h) = (s.base_year(), s.horizon);
    let stats = r.has_statistics();
    let basis = if stats { Basis::P90 } else { Basis::Plan };
    let (demand, demand_heading) = if stats {
        ("P90 demand", "P90 demand")
    } else {
        ("the plan\u{2019}s demand", "The plan\u{2019}s demand")
    };
    let growth = format!("Growth needed for {demand}");
    let production = format!("Years of production, {}{RANGE_DASH}{h}", b + 1);
    let a_year = "% a year";
    let capacity_years = format!("years of {b} capacity");
    let mut columns = vec![
        Column::new("Goal", Role::GroupLabel).width(34.0),
        Column::new("Production line", Role::Text).width(30.0),
        Column::new("Modal growth", Role::Number)
            .under("Line", a_year)
            .width(10.0),
        Column::new("Lead time", Role::Number)
            .under("Line", "years")
            .width(10.0),
        Column::new("In every year after the lead time", Role::Number)
            .under(&growth, a_year)
            .width(14.0),
        Column::new("Set by", Role::Number)
            .under(&growth, "year")
            .width(9.0),
        Column::new(format!("For {h} alone"), Role::Number)
            .under(&growth, a_year)
            .width(12.0),
        Column::new(
            format!("Latest start of growth at the modal rate to meet {demand}"),
            Role::Years,
        )
        .width(18.0),
        Column::new(
            format!("{demand_heading} above {b} capacity before growth can arrive"),
            Role::Years,
        )
        .width(18.0),
        Column::new(
            format!("{demand_heading} above capacity in the plan"),
            Role::Years,
        )
        .width(18.0),
    ];
    if stats {
        columns.push(
            Column::new("Sum of yearly medians", Role::Number)
                .under(&production, &capacity_years)
                .width(14.0),
        );
    }
    columns.push(
        Column::new(PLAN_HEADING, Role::Plan)
            .under(&production, &capacity_years)
            .width(18.0),
    );

    let all = planning(r);
    let per_goal = s.items.len().max(1);
    let groups = s
        .goals
        .iter()
        .zip(all.chunks(per_goal).chain(std::iter::repeat(&[][..])))
        .map(|(goal, lines)| RowGroup {
            label: Text::plain(goal.label.clone()),
            rows: lines
                .iter()
                .zip(&s.items)
                .map(|(p, item)| row(p, item.label.clone(), basis, stats, h))
                .collect(),
            empty: Some("no production lines in the scenario".to_string()),
        })
        .collect();
    let mut notes = vec![format!(
        "Growth is from {b} capacity, held until the line\u{2019}s lead time has passed, then \
         constant: the rate that meets {demand} in every later year to {h} (set by the year \
         named; when demand has outgrown {b} capacity by then it is often the first, and the \
         path overshoots later years), and the rate {h}\u{2019}s demand alone asks for. \
         Announced capacity plans are left aside."
    )];
    notes.push(format!(
        "Latest start: the last year in which growth at the line\u{2019}s modal rate, \
         producing once the lead time has passed, still meets {demand} in every year after \
         {b} plus the lead time; \u{2018}too late already\u{2019} when a start in {b} falls \
         short. Years in which demand is above {b} capacity before growth can arrive are \
         listed apart: no start year reaches them. The last column sets {demand} against \
         the capacity the model assumes in the plan: announced capacity plans met in full, \
         modal growth after them."
    ));
    if stats {
        notes.push(format!(
            "P90 is each year\u{2019}s 90th percentile of demand over {} runs, not one \
             run\u{2019}s path: capacity on it meets each year\u{2019}s demand in 90% of runs, \
             every year at once in 90% or fewer. Years of production: demand summed over \
             {}{RANGE_DASH}{h} over {b} capacity, from the yearly medians (not the median of \
             the sum) and from the plan.",
            grouped(r.runs as f64, 0),
            b + 1
        ));
    } else {
        notes.push(format!(
            "Years of production: the plan\u{2019}s demand summed over {}{RANGE_DASH}{h} over \
             {b} capacity.",
            b + 1
        ));
    }
    Table {
        name: "capacity",
        title: "Capacity planning".to_string(),
        notes,
        columns,
        groups,
    }
}

/// A number of one decimal, or `n/a` when there is none or it is not finite.
fn one_decimal(value: Option<f64>) -> Cell<'static> {
    match value.filter(|v| v.is_finite()) {
        Some(v) => Cell::Number(Number::plain(v, Format::OneDecimal)),
        None => Cell::Missing { span: 1 },
    }
}

/// The latest start, in words where it is not a year.
fn latest_start_text(start: LatestStart, h: i32) -> String {
    match start {
        LatestStart::Year(year) => year.to_string(),
        LatestStart::NotNeeded => format!("not needed by {h}"),
        LatestStart::TooLate => "too late already".to_string(),
        LatestStart::NotAtModalRate => "never at the modal rate".to_string(),
        LatestStart::NoYearAfterLead => format!("no year after the lead time by {h}"),
    }
}

fn row(p: &ItemPlanning, label: String, basis: Basis, stats: bool, h: i32) -> Vec<Cell<'static>> {
    let line = &p.line;
    let mut cells = vec![
        Cell::text(label),
        one_decimal(Some(line.modal_growth_pct)),
        one_decimal(Some(line.lead_years)),
    ];
    match p.need(basis) {
        Some(need) => need_cells(&mut cells, need, h),
        None => cells.push(Cell::Missing { span: 6 }),
    }
    let years = |basis| p.need(basis).map(|n| n.years_of_production);
    if stats {
        cells.push(one_decimal(years(Basis::P50)));
    }
    cells.push(one_decimal(years(Basis::Plan)));
    cells
}

fn need_cells(cells: &mut Vec<Cell<'static>>, need: &Need, h: i32) {
    cells.push(one_decimal(need.growth_needed_pct));
    cells.push(match (need.growth_needed_pct, need.binding_year) {
        (_, Some(year)) => Cell::Number(Number::plain(f64::from(year), Format::Year)),
        (Some(_), None) => Cell::Remark {
            text: "none needed".to_string(),
            span: 1,
        },
        (None, None) => Cell::Missing { span: 1 },
    });
    cells.push(one_decimal(need.growth_to_horizon_pct));
    cells.push(Cell::text(latest_start_text(need.latest_start, h)));
    let short: Vec<i32> = need
        .short_before_expansion
        .iter()
        .map(|&(t, _)| t)
        .collect();
    cells.push(Cell::text(years_text(&short)));
    let plan_short: Vec<i32> = need
        .short_of_plan_capacity
        .iter()
        .map(|&(t, _)| t)
        .collect();
    cells.push(Cell::text(years_text(&plan_short)));
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Plan-only results of two goals on the builtin data.
    fn plan_results() -> Results {
        let toml = "schema_version = 1\n\
                    [[goal]]\nid = \"two\"\nlabel = \"2%\"\ncore_pct = 2\n\
                    [[goal]]\nid = \"five\"\nlabel = \"5%\"\ncore_pct = 5\n";
        let scenario =
            crate::scenario::parse("t.toml", toml, std::path::Path::new("."), "t").unwrap();
        let summary = crate::mc::summary::Summary::central(&scenario);
        Results::from_summary(&scenario, &summary)
    }

    #[test]
    fn without_runs_every_line_is_planned_for_the_plan_and_fills_its_columns() {
        let results = plan_results();
        let table = capacity(&results);
        assert_eq!(table.columns.len(), 11, "no median column without runs");
        assert!(
            table.columns[4].band.as_deref() == Some("Growth needed for the plan\u{2019}s demand")
        );
        assert_eq!(table.groups.len(), 2);
        for group in &table.groups {
            assert_eq!(group.rows.len(), results.scenario.items.len());
            for row in &group.rows {
                let span: usize = row.iter().map(Cell::span).sum();
                assert_eq!(span + 1, table.columns.len());
            }
        }
        // The same numbers as the analysis: the first line under the second goal.
        let p = &planning(&results)[results.scenario.items.len()];
        let need = p.need(Basis::Plan).unwrap();
        match &table.groups[1].rows[0][3] {
            Cell::Number(n) => assert_eq!(n.value, need.growth_needed_pct),
            other => panic!("{other:?}"),
        }
        match &table.groups[1].rows[0][6] {
            Cell::Text(t) => assert_eq!(t.text, latest_start_text(need.latest_start, 2035)),
            other => panic!("{other:?}"),
        }
    }
}
