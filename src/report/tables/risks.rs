//! The production lines at risk: per goal, the lines whose probability of demand above
//! capacity reaches 10% in some year, with the peak, the years the plan is short and the
//! backlog in the horizon year.

use super::{
    Cell, Column, Format, Number, PLAN_HEADING, Role, RowGroup, Show, Table, Text, years_text,
};
use crate::data::Item;
use crate::results::Results;
use crate::results::{LineRisk, RISK_PROBABILITY};
use crate::scenario::metrics::Metric;
use crate::text::percent;

/// The risk of `item` under `goal`, from its `shortfall_prob` rows.
pub fn line_risk(r: &Results, goal: &str, item: &str) -> LineRisk {
    LineRisk::new(
        r.item_series(goal, item, Metric::ShortfallProb)
            .iter()
            .map(|row| (row.year, row.plan, row.stats.as_ref().map(|s| s.mean))),
    )
}

/// The production lines at risk: per goal, each line whose probability of demand above
/// capacity reaches [`RISK_PROBABILITY`] in some year (without runs: whose plan is short), in
/// scenario order, with the peak probability and its year, the years the plan is short and
/// the backlog in the horizon year.
pub fn risks(r: &Results) -> Table<'_> {
    let s = &r.scenario;
    let h = s.horizon;
    let stats = r.has_statistics();
    let threshold = percent(RISK_PROBABILITY);
    let note = if stats {
        format!(
            "Lines whose probability of demand above capacity (the share of runs in which the \
             year\u{2019}s demand exceeds capacity) reaches {threshold} in any year, with the \
             peak and its year; the years in which the plan\u{2019}s demand is above capacity; \
             and the backlog in {h}, in years of production."
        )
    } else {
        format!(
            "No Monte Carlo runs, so no probabilities: lines whose demand in the plan is above \
             capacity in some year, and their backlog in {h}, in years of production."
        )
    };
    let empty = if stats {
        format!("no line reaches a {threshold} probability of demand above capacity in any year")
    } else {
        "no line\u{2019}s demand in the plan is above capacity in any year".to_string()
    };
    let backlog = format!("Backlog {h}");
    let years = "years of production";
    let mut columns = vec![
        Column::new("Goal", Role::GroupLabel),
        Column::new("Production line", Role::Text),
    ];
    if stats {
        columns.extend([
            Column::new("Peak probability of demand above capacity", Role::Peak),
            Column::new("Peak year", Role::Number),
        ]);
    }
    columns.push(Column::new("Plan: demand above capacity in", Role::Years));
    if stats {
        columns.push(Column::new("Median", Role::Median).under(&backlog, years));
    }
    columns.push(Column::new(PLAN_HEADING, Role::Plan).under(&backlog, years));

    let groups = s
        .goals
        .iter()
        .map(|goal| RowGroup {
            label: Text::plain(goal.label.clone()),
            rows: s
                .items
                .iter()
                .filter_map(|item| risk_row(r, &goal.id, item))
                .collect(),
            empty: Some(empty.clone()),
        })
        .collect();
    Table {
        name: "risks",
        title: "Production lines at risk of demand above capacity".to_string(),
        notes: vec![note],
        columns,
        groups,
    }
}

/// One row of the risk table: `item` under goal `goal`, if it is at risk.
fn risk_row<'r>(r: &'r Results, goal: &str, item: &Item) -> Option<Vec<Cell<'r>>> {
    let risk = line_risk(r, goal, &item.id);
    if !risk.listed() {
        return None;
    }
    let stats = r.has_statistics();
    let row = |year, metric| r.row(goal, year, &item.buyers, Some(&item.id), metric);
    let mut cells = vec![Cell::text(item.label.clone())];
    if stats {
        match risk.peak {
            Some((_, year)) => {
                cells.push(match row(year, Metric::ShortfallProb) {
                    Some(row) => Cell::Number(Number::of(row, Show::Mean, Format::Probability)),
                    None => Cell::Missing { span: 1 },
                });
                cells.push(Cell::Number(Number::plain(f64::from(year), Format::Year)));
            }
            None => cells.push(Cell::Missing { span: 2 }),
        }
    }
    cells.push(Cell::text(years_text(&risk.plan_short)));
    match row(r.scenario.horizon, Metric::BacklogYears) {
        Some(row) => {
            if stats {
                cells.push(Cell::Number(Number::of(
                    row,
                    Show::Median,
                    Format::OneDecimal,
                )));
            }
            cells.push(Cell::Number(Number::of(
                row,
                Show::Plan,
                Format::OneDecimal,
            )));
        }
        None => cells.push(Cell::Missing {
            span: if stats { 2 } else { 1 },
        }),
    }
    Some(cells)
}
