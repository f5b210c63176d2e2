//! The drivers of the headline outputs: per goal and headline output, the three inputs with
//! the largest absolute rank correlation, each with its correlation (the page shows the last
//! goal's; the workbook's Sensitivity sheet every goal's). Read from the [`Sensitivity`],
//! nothing estimated.

use super::{Cell, Column, Format, Number, Role, RowGroup, Table, Text};
use crate::data::groups::display_name;
use crate::results::sensitivity::{Measure, OutputSensitivity, When};
use crate::results::{Results, Sensitivity};

/// Drivers shown per output.
pub const TOP_DRIVERS: usize = 3;

/// The table of the goals `goals` (ids, in scenario order); without a sensitivity (no runs),
/// a table without rows that says so.
pub fn sensitivity<'r>(r: &Results, s: Option<&Sensitivity>, goals: &[&str]) -> Table<'r> {
    let mut columns = vec![
        Column::new("Goal", Role::GroupLabel),
        Column::new("Output", Role::RowLabel).width(46.0),
        Column::new("Year", Role::Number),
        Column::new("Measure", Role::Text),
    ];
    for k in 1..=TOP_DRIVERS {
        let band = format!("Driver {k}");
        columns.push(
            Column::new("Input", Role::Text)
                .under(&band, "")
                .width(34.0),
        );
        columns.push(Column::new("\u{3c1}", Role::Number).under(&band, "rank correlation"));
    }
    for c in &mut columns {
        if c.unit.as_deref() == Some("") {
            c.unit = None;
        }
    }
    let note = match s {
        Some(s) => format!(
            "For each headline output, the three uncertain inputs that move it most, ranked by \
             the absolute value of their rank correlation (\u{3c1}, Spearman) with it over the \
             first {} Monte Carlo runs: +1 when the output always rises with the input, \u{2212}1 \
             when it always falls. Item outputs are given in the horizon year and in the year \
             of the line\u{2019}s highest probability of demand above capacity (peak risk). \
             Every input, with the tornado values, is in sensitivity.csv.",
            s.runs
        ),
        None => "No Monte Carlo runs, so no sensitivity: the plan is one path.".to_string(),
    };
    let groups = r
        .scenario
        .goals
        .iter()
        .filter(|g| goals.contains(&g.id.as_str()))
        .map(|goal| RowGroup {
            label: Text::plain(goal.label.clone()),
            rows: s.map_or_else(Vec::new, |s| {
                s.of_goal(&goal.id).map(|o| row(r, s, o)).collect()
            }),
            empty: Some("no sensitivity without Monte Carlo runs".to_string()),
        })
        .collect();
    Table {
        name: "sensitivity",
        title: "What drives the results".to_string(),
        notes: vec![note],
        columns,
        groups,
    }
}

/// How an output is named for people: `Europe+Canada core spending`, `155 mm shells
/// (Europe): demand`.
pub fn output_label(r: &Results, o: &OutputSensitivity) -> String {
    let what = match o.metric.as_str() {
        "core_musd" => "core spending",
        "demand_units" => "demand",
        "backlog_units" => "backlog",
        "shortfall_prob" => "demand above capacity",
        other => other,
    };
    let at = match o.when {
        When::Horizon => "",
        When::PeakRisk => " (peak risk)",
        When::HorizonAndPeakRisk => " (also peak risk)",
    };
    match &o.item {
        None => format!("{} {what}{at}", display_name(&o.group)),
        Some(id) => {
            let label = r
                .scenario
                .items
                .iter()
                .find(|i| &i.id == id)
                .map_or(id.as_str(), |i| i.label.as_str());
            format!("{label}: {what}{at}")
        }
    }
}

fn row<'r>(r: &Results, s: &Sensitivity, o: &OutputSensitivity) -> Vec<Cell<'r>> {
    let mut cells = vec![
        Cell::text(output_label(r, o)),
        Cell::Number(Number::plain(f64::from(o.year), Format::Year)),
        Cell::text(match o.measure {
            Measure::P50 => "median",
            Measure::Probability => "probability",
        }),
    ];
    for k in 0..TOP_DRIVERS {
        match o.drivers.get(k) {
            Some(d) => {
                cells.push(Cell::text(s.input(d).label.clone()));
                cells.push(Cell::Number(Number::plain(
                    d.rank_correlation,
                    Format::Correlation,
                )));
            }
            None => cells.push(Cell::Missing { span: 2 }),
        }
    }
    cells
}
