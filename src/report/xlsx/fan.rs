//! The Spending fan sheet: NATO's core spending per goal and year (median, P10, P90 and the
//! plan) in billions of the currency asked for (USD unless `--currency`), and a native Excel
//! line chart drawn from it: the median solid, P10 and P90 dashed, the plan dotted. In another
//! currency than the dollar, a note under the table states the rate and its source.

use super::{FAN_SHEET, Styles, cut, start_table};
use crate::data::currency::Currency;
use crate::data::groups::BuiltinGroup;
use crate::results::Results;
use crate::scenario::metrics::Metric;
use rust_xlsxwriter::{
    Chart, ChartLegendPosition, ChartLine, ChartLineDashType, ChartType, ColNum, Color, Worksheet,
    XlsxError,
};

/// The group whose core spending the fan chart shows.
const FAN_GROUP: BuiltinGroup = BuiltinGroup::Nato;
/// Line colours of the goals, in goal order (Okabe-Ito, distinguishable with colour blindness).
const GOAL_COLOURS: [u32; 7] = [
    0x0072B2, 0xD55E00, 0x009E73, 0xCC79A7, 0xE69F00, 0x56B4E9, 0x000000,
];

/// The fan table's columns after `year`: per goal, with statistics the median, P10 and P90,
/// then the plan.
fn fan_columns(results: &Results) -> Vec<(usize, FanValue)> {
    let mut columns = Vec::new();
    for goal in 0..results.goals().len() {
        if results.has_statistics() {
            columns.push((goal, FanValue::Median));
            columns.push((goal, FanValue::P10));
            columns.push((goal, FanValue::P90));
        }
        columns.push((goal, FanValue::Plan));
    }
    columns
}

/// One value of a row in the fan table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum FanValue {
    Median,
    P10,
    P90,
    Plan,
}

impl FanValue {
    fn name(self) -> &'static str {
        match self {
            FanValue::Median => "median",
            FanValue::P10 => "P10",
            FanValue::P90 => "P90",
            FanValue::Plan => "plan, pledge met in full and on time",
        }
    }

    /// Index into [`crate::mc::summary::RowStats::percentiles`] (P5, P10, P25, P50, P75, P90, P95).
    fn percentile(self) -> Option<usize> {
        match self {
            FanValue::Plan => None,
            FanValue::Median => Some(3),
            FanValue::P10 => Some(1),
            FanValue::P90 => Some(5),
        }
    }
}

/// The Spending fan sheet.
pub(super) fn fan_sheet(
    sheet: &mut Worksheet,
    results: &Results,
    currency: Currency,
    styles: &Styles,
) -> Result<(), XlsxError> {
    let goals = results.goals();
    let code = currency.code();
    let value_columns = fan_columns(results);
    let mut columns = vec![("year".to_string(), 8.0)];
    for &(goal, value) in &value_columns {
        columns.push((
            format!("{}: {} ({code} bn)", goals[goal].label, value.name()),
            18.0,
        ));
    }
    let headers: Vec<(&str, f64)> = columns.iter().map(|(t, w)| (t.as_str(), *w)).collect();
    start_table(sheet, FAN_SHEET, &headers, styles)?;
    let mut last_row = 0;
    for (row, year) in (1..).zip(results.years()) {
        sheet.write_number_with_format(row, 0, year, &styles.year)?;
        for (col, &(goal, value)) in (1..).zip(&value_columns) {
            let Some(r) = results.row(
                &goals[goal].id,
                year,
                FAN_GROUP.name(),
                None,
                Metric::CoreMusd,
            ) else {
                continue;
            };
            let musd = match value.percentile() {
                None => Some(r.plan),
                Some(k) => r.stats.as_ref().map(|s| s.percentiles[k]),
            };
            if let Some(musd) = musd {
                let bn = currency.billions(musd);
                sheet.write_number_with_format(row, col, bn, &styles.one_decimal)?;
            }
        }
        last_row = row;
    }
    if let Some(note) = currency.rate_note() {
        sheet.write_string(last_row + 2, 0, cut(&note))?;
    }
    let has_rows = goals.first().is_some_and(|g| {
        !results
            .group_series(&g.id, FAN_GROUP.name(), Metric::CoreMusd)
            .is_empty()
    });
    if last_row == 0 || !has_rows {
        return Ok(());
    }
    let mut chart = Chart::new(ChartType::Line);
    for (col, &(goal, value)) in (1..).zip(&value_columns) {
        let colour = Color::RGB(GOAL_COLOURS[goal % GOAL_COLOURS.len()]);
        let mut line = ChartLine::new();
        line.set_color(colour);
        match value {
            FanValue::Median => {
                line.set_width(2.25);
            }
            FanValue::Plan => {
                line.set_width(1.5)
                    .set_dash_type(ChartLineDashType::RoundDot);
            }
            FanValue::P10 | FanValue::P90 => {
                line.set_width(1.0)
                    .set_dash_type(ChartLineDashType::Dash)
                    .set_transparency(35);
            }
        }
        chart
            .add_series()
            .set_name((FAN_SHEET, 0, col))
            .set_categories((FAN_SHEET, 1, 0, last_row, 0))
            .set_values((FAN_SHEET, 1, col, last_row, col))
            .set_format(&mut line)
            .delete_from_legend(matches!(value, FanValue::P10 | FanValue::P90));
    }
    let base = results.scenario.base_year();
    let title = if results.has_statistics() {
        format!(
            "{} core defence spending: median (solid), P10 and P90 (dashed) of {} runs; plan, pledge met in full and on time (dotted)",
            FAN_GROUP.label(),
            results.runs
        )
    } else {
        format!(
            "{} core defence spending: plan, pledge met in full and on time",
            FAN_GROUP.label()
        )
    };
    chart.title().set_name(title.as_str());
    chart.x_axis().set_name("Year");
    chart
        .y_axis()
        .set_name(axis_name(currency, base).as_str())
        .set_num_format("#,##0");
    chart.legend().set_position(ChartLegendPosition::Bottom);
    chart.set_width(900).set_height(520);
    let chart_col = ColNum::try_from(headers.len() + 1).unwrap_or(ColNum::MAX);
    sheet.insert_chart(1, chart_col, &chart)?;
    Ok(())
}

/// The value axis: `USD bn, constant 2025 prices`, `EUR bn, constant 2025 prices at 1.13
/// USD/EUR`.
fn axis_name(currency: Currency, base_year: i32) -> String {
    match currency.rate() {
        Some(_) => format!("{} bn, {}", currency.code(), currency.prices(base_year)),
        None => format!("USD bn, constant {base_year} prices"),
    }
}
