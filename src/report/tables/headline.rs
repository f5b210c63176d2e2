//! The headline table: per goal and headline group, core spending in the horizon year and the
//! extra over the reference, the median with P10 to P90 when runs were made, and the plan.

use super::{
    Cell, Column, Format, Number, PLAN_HEADING, RANGE_DASH, Role, RowGroup, Shape, Show, Table,
    Text, bn_unit,
};
use crate::data::currency::Currency;
use crate::data::groups::{BuiltinGroup, GroupKind, display_name};
use crate::results::{ResultRow, Results};
use crate::scenario::metrics::Metric;

/// The groups of the headline table: [`BuiltinGroup::HEADLINE`], then the scenario's own.
fn headline_groups(r: &Results) -> Vec<&str> {
    BuiltinGroup::HEADLINE
        .iter()
        .map(|g| g.name())
        .chain(
            r.scenario
                .groups
                .iter()
                .filter(|g| g.kind == GroupKind::Scenario)
                .map(|g| g.name.as_str()),
        )
        .collect()
}

/// The headline numbers: per goal, and per headline group, core spending in the horizon year
/// and the extra over the reference summed from the year after the base year, each as the
/// median of the runs with P10 to P90 when runs were made, and the plan; money in `currency`.
pub fn headline(r: &Results, currency: Currency) -> Table<'_> {
    let s = &r.scenario;
    let (b, h) = (s.base_year(), s.horizon);
    let stats = r.has_statistics();
    let core = format!("Core spending {h}");
    let extra = format!("Extra over {}, {}{RANGE_DASH}{h}", s.goals[0].label, b + 1);
    let bn = &bn_unit(currency);
    let pct = "% of GDP";
    let mut columns = vec![
        Column::new("Goal", Role::GroupLabel).width(34.0),
        Column::new("Group", Role::RowLabel).width(16.0),
    ];
    if stats {
        columns.extend(median_and_spread(&core, bn, 14.0));
        columns.push(
            Column::new("Median", Role::Median)
                .under(&core, pct)
                .width(14.0),
        );
    }
    columns.push(Column {
        shape: Shape::WithShare { share_unit: pct },
        ..Column::new(PLAN_HEADING, Role::Plan)
            .under(&core, bn)
            .width(18.0)
    });
    let extra_columns = if stats {
        columns.extend(median_and_spread(&extra, bn, 18.0));
        3
    } else {
        1
    };
    columns.push(
        Column::new(PLAN_HEADING, Role::Plan)
            .under(&extra, bn)
            .width(22.0),
    );

    let names = headline_groups(r);
    let groups = s
        .goals
        .iter()
        .enumerate()
        .map(|(g, goal)| RowGroup {
            label: Text {
                text: goal.label.clone(),
                tag: (g == 0).then_some("reference"),
            },
            rows: names
                .iter()
                .filter_map(|group| {
                    headline_row(r, &goal.id, group, g == 0, extra_columns, currency)
                })
                .collect(),
            empty: None,
        })
        .collect();
    Table {
        name: "headline",
        title: format!("Headline numbers, {h}"),
        notes: Vec::new(),
        columns,
        groups,
    }
}

/// One row of the headline table: `group` under goal `goal` (the reference when
/// `reference`), if the results hold its core spending; `extra_columns` is how many columns
/// the extra over the reference takes.
fn headline_row<'r>(
    r: &'r Results,
    goal: &str,
    group: &str,
    reference: bool,
    extra_columns: usize,
    currency: Currency,
) -> Option<Vec<Cell<'r>>> {
    let (bn, signed_bn) = (Format::Bn(currency), Format::SignedBn(currency));
    let h = r.scenario.horizon;
    let stats = r.has_statistics();
    let core = r.row(goal, h, group, None, Metric::CoreMusd)?;
    let pct = r.row(goal, h, group, None, Metric::CorePctGdp);
    let median = |row, format| Cell::Number(Number::of(row, Show::Median, format));
    let mut cells = vec![Cell::text(display_name(group))];
    if stats {
        cells.push(median(core, bn));
        cells.push(spread(r, core, bn));
        cells.push(match pct {
            Some(row) => median(row, Format::PctGdp),
            None => Cell::Missing { span: 1 },
        });
    }
    cells.push(Cell::WithShare {
        value: Number::of(core, Show::Plan, bn),
        share: pct.map(|row| Number::of(row, Show::Plan, Format::PctGdp)),
    });
    match r.row(goal, h, group, None, Metric::CumDeltaCoreMusd) {
        Some(cum) => {
            if stats {
                cells.push(median(cum, signed_bn));
                cells.push(spread(r, cum, signed_bn));
            }
            cells.push(Cell::Number(Number::of(cum, Show::Plan, signed_bn)));
        }
        None => cells.push(Cell::Remark {
            text: if reference { "reference" } else { "n/a" }.to_string(),
            span: extra_columns,
        }),
    }
    Some(cells)
}

/// The P10–P90 column under `band`.
/// A band's median and its runs' P10 to P90, side by side, `width` each: the two columns every
/// table of run statistics opens a band with.
pub(super) fn median_and_spread(band: &str, unit: &str, width: f64) -> [Column; 2] {
    [
        Column::new("Median", Role::Median)
            .under(band, unit)
            .width(width),
        spread_column(band, unit).width(width),
    ]
}

pub(super) fn spread_column(band: &str, unit: &str) -> Column {
    Column {
        shape: Shape::Range {
            low: "P10",
            high: "P90",
        },
        ..Column::new(format!("P10{RANGE_DASH}P90"), Role::Spread).under(band, unit)
    }
}

/// The runs' P10 to P90 of a row, with their mean and, for a headline number, its Monte Carlo
/// standard error (in the currency of `format`) as the hint.
pub(super) fn spread<'r>(r: &Results, row: &'r ResultRow, format: Format) -> Cell<'r> {
    let Some(st) = &row.stats else {
        return Cell::Empty;
    };
    let error_format = match format {
        Format::Bn(currency) | Format::SignedBn(currency) => Format::Bn(currency),
        Format::Bn2(currency) | Format::SignedBn2(currency) => Format::Bn2(currency),
        other => other,
    };
    let error = standard_error(r, row).map_or(String::new(), |se| {
        format!(" \u{b1} {}", error_format.text(se))
    });
    Cell::Range {
        low: Number::plain(st.percentiles[1], format),
        high: Number::plain(st.percentiles[5], format),
        hint: Some(format!("mean {}{error}", format.text(st.mean))),
    }
}

/// The Monte Carlo standard error of a headline number, USD millions.
fn standard_error(r: &Results, row: &ResultRow) -> Option<f64> {
    r.headline_errors()
        .iter()
        .find(|e| {
            e.goal == row.goal
                && e.group == row.group
                && e.metric == row.metric
                && e.year == row.year
        })
        .map(|e| e.standard_error)
}
