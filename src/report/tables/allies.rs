//! Per ally and goal: core spending in the base year (data) and the horizon year (the median
//! with P10 to P90 when runs were made, and the plan), the increase between the two, and the
//! ally's share of the NATO and Europe+Canada totals in the horizon year.
//!
//! Every ally is a group of one in the results (its ISO3 code is the group), so each number is
//! a value of a results row or plain arithmetic on two of them: nothing here runs the model
//! or computes a statistic from runs.
//!
//! - **The increase** is the horizon value minus the base-year value. The base year is data,
//!   the same in every run (MODEL.md v2 section 1), so each percentile of the increase is that
//!   percentile of the horizon value minus the base-year value, exactly.
//! - **A share of a total** is a ratio of two random quantities, and the median of a ratio is
//!   not the ratio of the medians. The results keep percentiles per row, not the runs, so the
//!   table gives the *share of medians* (the ally's median over the group's median), labelled
//!   so, and the plan's share (the ally's plan over the group's plan), which is exact. The
//!   plan's shares of a group's members add to 100%; the shares of medians need not.

use super::headline::{median_and_spread, spread};
use super::{
    Cell, Column, Format, Number, PLAN_HEADING, RANGE_DASH, Role, RowGroup, Shape, Show, Table,
    Text, bn_unit,
};
use crate::data::currency::Currency;
use crate::data::groups::{BuiltinGroup, GroupKind, display_name};
use crate::results::{ResultRow, Results};
use crate::scenario::metrics::Metric;
use crate::text::grouped;

/// The totals an ally's share is taken of, in column order.
pub const SHARE_GROUPS: [BuiltinGroup; 2] = BuiltinGroup::HEADLINE;

/// The heading of the share-of-medians columns.
pub const SHARE_OF_MEDIANS: &str = "Share of medians";

/// What stands in a share column of an ally outside the group (the United States in
/// Europe+Canada).
pub const NOT_A_MEMBER: &str = "not a member";

/// The per-ally table: per goal (a row group), every ally in dataset order; money in
/// `currency`.
pub fn allies(r: &Results, currency: Currency) -> Table<'_> {
    let s = &r.scenario;
    let (b, h) = (s.base_year(), s.horizon);
    let stats = r.has_statistics();
    let bn = &bn_unit(currency);
    let pct = "% of GDP";
    let base = format!("Core spending {b}");
    let core = format!("Core spending {h}");
    let increase = format!("Increase {b}{RANGE_DASH}{h}");
    let mut columns = vec![
        Column::new("Goal", Role::GroupLabel).width(30.0),
        Column::new("Ally", Role::RowLabel).width(16.0),
        Column::new("Code", Role::Text).width(7.0),
        Column::new("Data", Role::Number)
            .under(&base, bn)
            .width(12.0),
    ];
    if stats {
        columns.extend(median_and_spread(&core, bn, 12.0));
        columns.push(
            Column::new("Median", Role::Median)
                .under(&core, pct)
                .width(12.0),
        );
    }
    columns.push(Column {
        shape: Shape::WithShare { share_unit: pct },
        ..Column::new(PLAN_HEADING, Role::Plan)
            .under(&core, bn)
            .width(16.0)
    });
    if stats {
        columns.extend(median_and_spread(&increase, bn, 12.0));
    }
    columns.push(
        Column::new("Plan", Role::Plan)
            .under(&increase, bn)
            .width(12.0),
    );
    let share_groups: Vec<&str> = SHARE_GROUPS
        .iter()
        .map(|g| g.name())
        .filter(|name| s.group(name).is_some())
        .collect();
    for group in &share_groups {
        let band = share_band(group, h);
        if stats {
            columns.push(
                Column::new(SHARE_OF_MEDIANS, Role::Number)
                    .under(&band, "%")
                    .width(12.0),
            );
        }
        columns.push(
            Column::new("Plan", Role::Plan)
                .under(&band, "%")
                .width(12.0),
        );
    }

    let allies: Vec<&str> = s
        .groups
        .iter()
        .filter(|g| g.kind == GroupKind::Ally)
        .map(|g| g.name.as_str())
        .collect();
    let groups = s
        .goals
        .iter()
        .map(|goal| RowGroup {
            label: Text::plain(goal.label.clone()),
            rows: allies
                .iter()
                .filter_map(|iso3| ally_row(r, &goal.id, iso3, &share_groups, currency))
                .collect(),
            empty: None,
        })
        .collect();
    Table {
        name: "allies",
        title: format!("By ally, {h}"),
        notes: notes(r, currency),
        columns,
        groups,
    }
}

/// The band over the share columns of `group`: `Share of NATO 2035`.
fn share_band(group: &str, h: i32) -> String {
    format!("Share of {} {h}", display_name(group))
}

/// What the table shows and how to read it.
fn notes(r: &Results, currency: Currency) -> Vec<String> {
    let s = &r.scenario;
    let (b, h) = (s.base_year(), s.horizon);
    let code = currency.code();
    let prices = currency.prices(b);
    let totals = SHARE_GROUPS
        .iter()
        .map(|g| g.label())
        .collect::<Vec<_>>()
        .join(" and ");
    let mut notes = vec![if r.has_statistics() {
        format!(
            "Per ally and goal: core defence spending in {b} (data: the same in every run and \
             under every goal), and in {h} the median of {} Monte Carlo runs with its \
             P10{RANGE_DASH}P90 range and the plan (the pledge met in full and on time: every \
             ally on its goal by its target year); the increase from {b} to {h}; and the \
             ally\u{2019}s share of the {totals} totals in {h}. Money in {code} billions at \
             {prices}.",
            grouped(r.runs as f64, 0)
        )
    } else {
        format!(
            "Per ally and goal: core defence spending in {b} (data) and in {h} in the plan \
             (the pledge met in full and on time: every ally on its goal by its target year; no \
             Monte Carlo runs); \
             the increase from {b} to {h}; and the ally\u{2019}s share of the {totals} totals \
             in {h}. Money in {code} billions at {prices}."
        )
    }];
    if r.has_statistics() {
        notes.push(format!(
            "The increase is the {h} value minus the {b} value, which is data, so its median \
             and P10{RANGE_DASH}P90 are those of {h} less the {b} value. \
             {SHARE_OF_MEDIANS}: the ally\u{2019}s median over the group\u{2019}s median, not \
             the median of the ally\u{2019}s share run by run (the results keep percentiles, \
             not runs); the shares of medians of a group\u{2019}s members need not add to 100%. \
             Plan: the ally\u{2019}s plan over the group\u{2019}s plan, which add to 100%."
        ));
    } else {
        notes.push(format!(
            "The increase is the {h} value minus the {b} value. Shares: the ally\u{2019}s plan \
             over the group\u{2019}s plan; a group\u{2019}s members add to 100%."
        ));
    }
    notes.extend(currency.rate_note());
    notes
}

/// One row: ally `iso3` under goal `goal`, if the results hold its core spending in both years.
fn ally_row<'r>(
    r: &'r Results,
    goal: &str,
    iso3: &str,
    share_groups: &[&str],
    currency: Currency,
) -> Option<Vec<Cell<'r>>> {
    let s = &r.scenario;
    let (b, h) = (s.base_year(), s.horizon);
    let stats = r.has_statistics();
    let (bn, signed_bn) = (Format::Bn2(currency), Format::SignedBn2(currency));
    let base = r.row(goal, b, iso3, None, Metric::CoreMusd)?;
    let core = r.row(goal, h, iso3, None, Metric::CoreMusd)?;
    let pct = r.row(goal, h, iso3, None, Metric::CorePctGdp);
    let median = |row, format| Cell::Number(Number::of(row, Show::Median, format));
    let mut cells = vec![
        Cell::text(s.ally_name(iso3)),
        Cell::text(iso3),
        Cell::Number(Number::of(base, Show::Plan, bn)),
    ];
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
    // The base year is data: its plan is its value in every run.
    let from_base = |v: f64| Number::plain(v - base.plan, signed_bn);
    if stats {
        match &core.stats {
            Some(st) => {
                cells.push(Cell::Number(from_base(st.percentiles[3])));
                cells.push(Cell::Range {
                    low: from_base(st.percentiles[1]),
                    high: from_base(st.percentiles[5]),
                    hint: Some(format!("mean {}", signed_bn.text(st.mean - base.plan))),
                });
            }
            None => cells.push(Cell::Missing { span: 2 }),
        }
    }
    cells.push(Cell::Number(from_base(core.plan)));
    for group in share_groups {
        let span = if stats { 2 } else { 1 };
        let member = s
            .group(group)
            .is_some_and(|g| g.members.iter().any(|m| m == iso3));
        if !member {
            cells.push(Cell::Remark {
                text: NOT_A_MEMBER.to_string(),
                span,
            });
            continue;
        }
        let Some(total) = r.row(goal, h, group, None, Metric::CoreMusd) else {
            cells.push(Cell::Missing { span });
            continue;
        };
        if stats {
            cells.push(share(core, total, Show::Median));
        }
        cells.push(share(core, total, Show::Plan));
    }
    Some(cells)
}

/// The ally's value `show` as a percentage of the group's: missing when either is missing or
/// the group's is not positive.
fn share<'r>(ally: &ResultRow, group: &ResultRow, show: Show) -> Cell<'r> {
    match (show.value(ally), show.value(group)) {
        (Some(part), Some(whole)) if whole > 0.0 => {
            Cell::Number(Number::plain(100.0 * part / whole, Format::SharePct))
        }
        _ => Cell::Missing { span: 1 },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::tables::Source;

    /// Two goals on the builtin data, the plan only.
    fn plan_results() -> Results {
        let toml = "schema_version = 1\n\
                    [[goal]]\nid = \"two\"\nlabel = \"2%\"\ncore_pct = 2\n\
                    [[goal]]\nid = \"five\"\nlabel = \"5%\"\ncore_pct = 5\n";
        let scenario =
            crate::scenario::parse("t.toml", toml, std::path::Path::new("."), "t").unwrap();
        let summary = crate::mc::summary::Summary::central(&scenario);
        Results::from_summary(&scenario, &summary)
    }

    fn value(cell: &Cell) -> f64 {
        match cell {
            Cell::Number(n) => n.value.unwrap(),
            Cell::WithShare { value, .. } => value.value.unwrap(),
            other => panic!("a number, found {other:?}"),
        }
    }

    #[test]
    fn without_runs_every_ally_has_the_plan_its_increase_and_its_shares() {
        let results = plan_results();
        let table = allies(&results, Currency::Usd);
        let names: Vec<(Option<&str>, &str)> = table
            .columns
            .iter()
            .map(|c| (c.band.as_deref(), c.name.as_str()))
            .collect();
        assert_eq!(
            names,
            [
                (None, "Goal"),
                (None, "Ally"),
                (None, "Code"),
                (Some("Core spending 2025"), "Data"),
                (Some("Core spending 2035"), PLAN_HEADING),
                (Some("Increase 2025\u{2013}2035"), "Plan"),
                (Some("Share of NATO 2035"), "Plan"),
                (Some("Share of Europe+Canada 2035"), "Plan"),
            ]
        );
        assert_eq!(table.groups.len(), 2);
        for (g, group) in table.groups.iter().enumerate() {
            assert_eq!(group.rows.len(), 32);
            let goal = &results.goals()[g].id;
            let mut shares = [0.0; 2];
            for row in &group.rows {
                let Cell::Text(code) = &row[1] else {
                    panic!("the code")
                };
                let iso3 = code.text.as_str();
                let at = |year| {
                    results
                        .row(goal, year, iso3, None, Metric::CoreMusd)
                        .unwrap()
                        .plan
                };
                assert_eq!(value(&row[2]), at(2025));
                assert_eq!(value(&row[3]), at(2035));
                assert_eq!(value(&row[4]), at(2035) - at(2025));
                shares[0] += value(&row[5]);
                match &row[6] {
                    Cell::Remark { text, span: 1 } => {
                        assert_eq!(iso3, "USA");
                        assert_eq!(text, NOT_A_MEMBER);
                    }
                    cell => shares[1] += value(cell),
                }
                // The core spending is the ally's own row, named for the page.
                let Cell::WithShare { value: n, .. } = &row[3] else {
                    panic!("the plan")
                };
                let Some(Source { row: source, .. }) = n.source else {
                    panic!("a source")
                };
                assert_eq!((source.group.as_str(), source.year), (iso3, 2035));
            }
            // The plan's shares add to 100%, to rounding.
            for total in shares {
                assert!((total - 100.0).abs() < 1e-9, "{total}");
            }
        }
        assert_eq!(table.notes.len(), 2);
    }

    #[test]
    fn another_currency_is_named_in_the_units_and_the_notes() {
        let results = plan_results();
        let table = allies(&results, Currency::Eur);
        assert_eq!(table.columns[3].unit.as_deref(), Some("EUR bn"));
        assert_eq!(table.notes.len(), 3);
        assert!(
            table.notes[2].contains("1.13 USD/EUR"),
            "{}",
            table.notes[2]
        );
        let Cell::Number(base) = &table.groups[0].rows[0][2] else {
            panic!("the base year")
        };
        assert_eq!(base.format, Format::Bn2(Currency::Eur));
        let usd = base.value.unwrap();
        assert_eq!(base.format.shown(usd), usd / 1.13 / 1000.0);
    }
}
