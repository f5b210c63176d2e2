//! The report's tables as data: what each table holds (its columns, with their units, and
//! its rows of cells, each number with its stated format), built once from [`Results`] and
//! rendered by the page (`html::table`) and the workbook (`xlsx::table`). A renderer decides
//! only how a table looks: the words, the rows, the numbers and how they are rounded are
//! decided here, so the two cannot disagree.
//!
//! The tables that both outputs show are the headline numbers ([`headline`]) and the
//! production lines at risk ([`risks`]). The other tables of the page (the goals, the
//! assumptions in prose, per ally and per line) and of the workbook (the dataset's allies and
//! items column for column, the inputs one per row, the sources, the fan's data) are different
//! tables, each shown by one output; the words they share are the constants and functions at
//! the end of this module.
//!
//! Two shapes of cell hold two numbers: a range (P10 to P90) and a value with its share of GDP.
//! The page shows each in one cell (`1,962.0 to 2,269.2`, `1,967.4 (2.80%)`); the workbook gives
//! each number a column of its own, so that every cell holds one number. Headings follow the
//! same rule: a column has a name, a unit and perhaps a band (a heading over several columns),
//! and each renderer joins them its own way.

use super::{ResultRow, Results};
use crate::data::{Dataset, Provenance};
use crate::groups::{BuiltinGroup, GroupKind, display_name};
use crate::metrics::Metric;
use crate::output::{LineRisk, RISK_PROBABILITY, grouped, percent, signed, year_ranges};

/// The heading of the plan's columns: the plan is every ally on its goal by its target year
/// and every announced capacity plan met (MODEL.md v2 section 4).
pub const PLAN_HEADING: &str = "Plan: pledge met in full and on time";

/// The dash between the first and last year of a range, in every table: `2027–2029`.
pub const YEAR_DASH: &str = "\u{2013}";

/// One table: its title, notes that say how to read it, its columns and its rows in groups.
#[derive(Debug, Clone)]
pub struct Table<'r> {
    /// A short name, for the page's `class` attribute: `headline`, `risks`.
    pub name: &'static str,
    /// The title: a heading on the page, a bold line above the table in the workbook.
    pub title: String,
    /// What the table shows and how to read it, one paragraph each.
    pub notes: Vec<String>,
    /// The columns, as the page shows them.
    pub columns: Vec<Column>,
    /// The rows, in groups (one per goal, say); a group's label fills the first column.
    pub groups: Vec<RowGroup<'r>>,
}

/// One column.
#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    /// A heading over this column and its neighbours with the same band: `Core spending 2035`.
    pub band: Option<String>,
    /// The column's own heading: `Median`, `P10–P90`, [`PLAN_HEADING`].
    pub name: String,
    /// The unit of its numbers: `USD bn`, `% of GDP`.
    pub unit: Option<String>,
    /// What it holds.
    pub role: Role,
    /// How many numbers a cell holds.
    pub shape: Shape,
    /// The workbook's width of each of its columns, in characters; `None` leaves the width
    /// as it is (for a second table on a sheet).
    pub width: Option<f64>,
}

/// What a column holds, which decides how it is set off.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// The row group's label (a goal): on the page one cell over the group's rows, in the
    /// workbook repeated on every row. Only the first column.
    GroupLabel,
    /// The name of the row (a group of allies).
    RowLabel,
    /// Text.
    Text,
    /// Years, as text: `2027–2028, 2031`.
    Years,
    /// Numbers.
    Number,
    /// The median of the runs.
    Median,
    /// The runs' P10 to P90.
    Spread,
    /// A peak probability.
    Peak,
    /// The plan.
    Plan,
}

impl Role {
    /// Whether the column holds numbers.
    pub fn is_numeric(self) -> bool {
        matches!(
            self,
            Role::Number | Role::Median | Role::Spread | Role::Peak | Role::Plan
        )
    }
}

/// How many numbers a cell of a column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// One value (or text).
    Single,
    /// A range, [`Cell::Range`]: in the workbook two columns named `low` and `high`.
    Range {
        /// The name of the low end: `P10`.
        low: &'static str,
        /// The name of the high end: `P90`.
        high: &'static str,
    },
    /// A value and its share of GDP, [`Cell::WithShare`]: in the workbook two columns, the
    /// second in `share_unit`.
    WithShare {
        /// The unit of the share: `% of GDP`.
        share_unit: &'static str,
    },
}

impl Column {
    /// A column of text or single numbers, with no band and no unit.
    pub fn new(name: impl Into<String>, role: Role) -> Column {
        Column {
            band: None,
            name: name.into(),
            unit: None,
            role,
            shape: Shape::Single,
            width: None,
        }
    }

    /// Under `band`, in `unit`.
    fn under(mut self, band: &str, unit: &str) -> Column {
        self.band = Some(band.to_string());
        self.unit = Some(unit.to_string());
        self
    }

    /// The workbook's width of each of its columns.
    fn width(mut self, chars: f64) -> Column {
        self.width = Some(chars);
        self
    }

    /// The name and unit of each number of a cell, in order: one for [`Shape::Single`], two
    /// for the others. The workbook gives each its own column.
    pub fn parts(&self) -> Vec<(&str, Option<&str>)> {
        let unit = self.unit.as_deref();
        match self.shape {
            Shape::Single => vec![(self.name.as_str(), unit)],
            Shape::Range { low, high } => vec![(low, unit), (high, unit)],
            Shape::WithShare { share_unit } => {
                vec![
                    (self.name.as_str(), unit),
                    (self.name.as_str(), Some(share_unit)),
                ]
            }
        }
    }
}

/// Rows under one label.
#[derive(Debug, Clone)]
pub struct RowGroup<'r> {
    /// The label, in the first column ([`Role::GroupLabel`]).
    pub label: Text,
    /// The rows; each has a cell for every column but the first.
    pub rows: Vec<Vec<Cell<'r>>>,
    /// What to say when there are no rows.
    pub empty: Option<String>,
}

/// Text, perhaps with a tag beside it.
#[derive(Debug, Clone, PartialEq)]
pub struct Text {
    /// The text.
    pub text: String,
    /// A word set off beside it on the page: `reference`. The workbook, whose cells hold
    /// names that readers match, leaves it out.
    pub tag: Option<&'static str>,
}

impl Text {
    /// Plain text.
    pub fn plain(text: impl Into<String>) -> Text {
        Text {
            text: text.into(),
            tag: None,
        }
    }
}

/// One cell.
#[derive(Debug, Clone)]
pub enum Cell<'r> {
    /// Nothing.
    Empty,
    /// Text.
    Text(Text),
    /// A number.
    Number(Number<'r>),
    /// A low and a high number of one kind: the runs' P10 to P90.
    Range {
        /// The low end.
        low: Number<'r>,
        /// The high end.
        high: Number<'r>,
        /// More about it, shown on the page when the pointer rests on it: the runs' mean and
        /// its standard error. The workbook leaves it out.
        hint: Option<String>,
    },
    /// A value and its share of GDP.
    WithShare {
        /// The value.
        value: Number<'r>,
        /// Its share of GDP, if the results hold it.
        share: Option<Number<'r>>,
    },
    /// A number the results do not hold, over `span` columns: `n/a` on the page, empty
    /// cells in the workbook (whose number columns hold numbers only).
    Missing {
        /// How many of the table's columns it covers.
        span: usize,
    },
    /// A word in place of numbers, over `span` columns: `reference` where a goal is not
    /// compared with itself. Set off on the page; empty cells in the workbook.
    Remark {
        /// The word.
        text: String,
        /// How many of the table's columns it covers.
        span: usize,
    },
}

impl Cell<'_> {
    /// How many of the table's columns the cell covers.
    pub fn span(&self) -> usize {
        match self {
            Cell::Missing { span } | Cell::Remark { span, .. } => *span,
            _ => 1,
        }
    }

    /// A text cell.
    pub fn text(text: impl Into<String>) -> Cell<'static> {
        Cell::Text(Text::plain(text))
    }
}

/// A number with its format and, when it is a value of a results row, that row.
#[derive(Debug, Clone, Copy)]
pub struct Number<'r> {
    /// The value, in the unit of the results (USD millions for money); `None` when the
    /// results do not hold it (a row without runs).
    pub value: Option<f64>,
    /// How it is shown.
    pub format: Format,
    /// The results row it comes from and which of its values it is; the page names them in
    /// `data-*` attributes, so a test can match the number with `summary.csv`.
    pub source: Option<Source<'r>>,
}

impl<'r> Number<'r> {
    /// One value of a results row.
    pub fn of(row: &'r ResultRow, show: Show, format: Format) -> Number<'r> {
        Number {
            value: show.value(row),
            format,
            source: Some(Source { row, show }),
        }
    }

    /// A number that is not a value of a results row.
    pub fn plain(value: f64, format: Format) -> Number<'static> {
        Number {
            value: Some(value),
            format,
            source: None,
        }
    }

    /// The text people read, `n/a` for a missing value.
    pub fn text(&self) -> String {
        self.value
            .map_or_else(|| "n/a".to_string(), |v| self.format.text(v))
    }
}

/// A results row and which of its values a number is.
#[derive(Debug, Clone, Copy)]
pub struct Source<'r> {
    /// The row.
    pub row: &'r ResultRow,
    /// Which value.
    pub show: Show,
}

/// Which value of a results row a number is; the page names it in `data-show`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Show {
    /// The median of the runs (P50).
    Median,
    /// The plan.
    Plan,
    /// The mean of the runs (a probability, for `shortfall_prob`).
    Mean,
}

impl Show {
    /// The name in `data-show` and `summary.csv`: `p50`, `plan`, `mean`.
    pub fn name(self) -> &'static str {
        match self {
            Show::Median => "p50",
            Show::Plan => "plan",
            Show::Mean => "mean",
        }
    }

    /// The value, if the row has it.
    pub fn value(self, row: &ResultRow) -> Option<f64> {
        match self {
            Show::Plan => Some(row.plan),
            Show::Median => row.stats.as_ref().map(|s| s.percentiles[3]),
            Show::Mean => row.stats.as_ref().map(|s| s.mean),
        }
    }
}

/// How a number is shown. The page writes [`Format::text`]; the workbook writes
/// [`Format::shown`] as a number with a number format that rounds it the same way.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// USD millions as USD billions, one decimal, thousands separated: `2,466.8`.
    UsdBn,
    /// As [`Format::UsdBn`], with `+` before a positive difference: `+1,658.9`.
    SignedUsdBn,
    /// A share of GDP in %, two decimals: `3.51`.
    PctGdp,
    /// A probability as a whole percentage, `<1%` and `>99%` at the ends: `26%`.
    Probability,
    /// A calendar year: `2027`.
    Year,
    /// One decimal: `0.2` (years of production).
    OneDecimal,
}

impl Format {
    /// The value in the unit shown: USD millions in billions, the rest as they are.
    pub fn shown(self, value: f64) -> f64 {
        match self {
            Format::UsdBn | Format::SignedUsdBn => value / 1000.0,
            _ => value,
        }
    }

    /// The text people read.
    pub fn text(self, value: f64) -> String {
        self.shown_text(self.shown(value))
    }

    /// The text of a value already in the unit shown ([`Format::shown`]): what a workbook
    /// cell's number format shows.
    pub fn shown_text(self, shown: f64) -> String {
        match self {
            Format::UsdBn => grouped(shown, 1),
            Format::SignedUsdBn => signed(shown, 1),
            Format::PctGdp => format!("{shown:.2}"),
            Format::Probability => percent(shown),
            Format::Year => format!("{shown}"),
            Format::OneDecimal => format!("{shown:.1}"),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The tables
// ---------------------------------------------------------------------------------------------

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
/// median of the runs with P10 to P90 when runs were made, and the plan.
pub fn headline(r: &Results) -> Table<'_> {
    let s = &r.scenario;
    let (b, h) = (s.base_year(), s.horizon);
    let stats = r.has_statistics();
    let core = format!("Core spending {h}");
    let extra = format!("Extra over {}, {}{YEAR_DASH}{h}", s.goals[0].label, b + 1);
    let bn = "USD bn";
    let pct = "% of GDP";
    let mut columns = vec![
        Column::new("Goal", Role::GroupLabel).width(34.0),
        Column::new("Group", Role::RowLabel).width(16.0),
    ];
    if stats {
        columns.extend([
            Column::new("Median", Role::Median)
                .under(&core, bn)
                .width(14.0),
            spread_column(&core, bn).width(14.0),
            Column::new("Median", Role::Median)
                .under(&core, pct)
                .width(14.0),
        ]);
    }
    columns.push(Column {
        shape: Shape::WithShare { share_unit: pct },
        ..Column::new(PLAN_HEADING, Role::Plan)
            .under(&core, bn)
            .width(18.0)
    });
    let extra_columns = if stats {
        columns.extend([
            Column::new("Median", Role::Median)
                .under(&extra, bn)
                .width(18.0),
            spread_column(&extra, bn).width(18.0),
        ]);
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
        .map(|(g, goal)| {
            let rows = names
                .iter()
                .filter_map(|&group| {
                    let core = r.row(&goal.id, h, group, None, Metric::CoreMusd)?;
                    let pct = r.row(&goal.id, h, group, None, Metric::CorePctGdp);
                    let mut cells = vec![Cell::text(display_name(group))];
                    if stats {
                        cells.push(Cell::Number(Number::of(core, Show::Median, Format::UsdBn)));
                        cells.push(spread(r, core, Format::UsdBn));
                        cells.push(match pct {
                            Some(row) => {
                                Cell::Number(Number::of(row, Show::Median, Format::PctGdp))
                            }
                            None => Cell::Missing { span: 1 },
                        });
                    }
                    cells.push(Cell::WithShare {
                        value: Number::of(core, Show::Plan, Format::UsdBn),
                        share: pct.map(|row| Number::of(row, Show::Plan, Format::PctGdp)),
                    });
                    match r.row(&goal.id, h, group, None, Metric::CumDeltaCoreMusd) {
                        Some(cum) => {
                            if stats {
                                cells.push(Cell::Number(Number::of(
                                    cum,
                                    Show::Median,
                                    Format::SignedUsdBn,
                                )));
                                cells.push(spread(r, cum, Format::SignedUsdBn));
                            }
                            cells.push(Cell::Number(Number::of(
                                cum,
                                Show::Plan,
                                Format::SignedUsdBn,
                            )));
                        }
                        None => cells.push(Cell::Remark {
                            text: if g == 0 { "reference" } else { "n/a" }.to_string(),
                            span: extra_columns,
                        }),
                    }
                    Some(cells)
                })
                .collect();
            RowGroup {
                label: Text {
                    text: goal.label.clone(),
                    tag: (g == 0).then_some("reference"),
                },
                rows,
                empty: None,
            }
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

/// The P10–P90 column under `band`.
fn spread_column(band: &str, unit: &str) -> Column {
    Column {
        shape: Shape::Range {
            low: "P10",
            high: "P90",
        },
        ..Column::new(format!("P10{YEAR_DASH}P90"), Role::Spread).under(band, unit)
    }
}

/// The runs' P10 to P90 of a row, with their mean and, for a headline number, its Monte Carlo
/// standard error as the hint.
fn spread<'r>(r: &Results, row: &'r ResultRow, format: Format) -> Cell<'r> {
    let Some(st) = &row.stats else {
        return Cell::Empty;
    };
    let error = standard_error(r, row).map_or(String::new(), |se| {
        format!(" \u{b1} {}", Format::UsdBn.text(se))
    });
    Cell::Range {
        low: Number::plain(st.percentiles[1], format),
        high: Number::plain(st.percentiles[5], format),
        hint: Some(format!("mean {}{error}", format.text(st.mean))),
    }
}

/// The Monte Carlo standard error of a headline number, USD millions.
fn standard_error(r: &Results, row: &ResultRow) -> Option<f64> {
    r.headline_errors
        .iter()
        .find(|e| {
            e.goal == row.goal
                && e.group == row.group
                && e.metric == row.metric
                && e.year == row.year
        })
        .map(|e| e.standard_error)
}

/// The risk of `item` under `goal`, from its `shortfall_prob` rows.
pub fn line_risk(r: &Results, goal: &str, item: &str) -> LineRisk {
    LineRisk::new(
        r.item_series(goal, item, Metric::ShortfallProb)
            .iter()
            .map(|row| (row.year, row.plan, row.stats.as_ref().map(|s| s.mean))),
    )
}

/// Years as ranges, or `never`: `2027–2028, 2031`.
pub fn years_text(years: &[i32]) -> String {
    if years.is_empty() {
        "never".to_string()
    } else {
        year_ranges(years, YEAR_DASH)
    }
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
        .map(|goal| {
            let rows = s
                .items
                .iter()
                .map(|item| (item, line_risk(r, &goal.id, &item.id)))
                .filter(|(_, risk)| risk.listed())
                .map(|(item, risk)| {
                    let row =
                        |year, metric| r.row(&goal.id, year, &item.buyers, Some(&item.id), metric);
                    let mut cells = vec![Cell::text(item.label.clone())];
                    if stats {
                        match risk.peak {
                            Some((_, year)) => {
                                cells.push(match row(year, Metric::ShortfallProb) {
                                    Some(row) => Cell::Number(Number::of(
                                        row,
                                        Show::Mean,
                                        Format::Probability,
                                    )),
                                    None => Cell::Missing { span: 1 },
                                });
                                cells.push(Cell::Number(Number::plain(
                                    f64::from(year),
                                    Format::Year,
                                )));
                            }
                            None => cells.push(Cell::Missing { span: 2 }),
                        }
                    }
                    cells.push(Cell::text(years_text(&risk.plan_short)));
                    match row(h, Metric::BacklogYears) {
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
                    cells
                })
                .collect();
            RowGroup {
                label: Text::plain(goal.label.clone()),
                rows,
                empty: Some(empty.clone()),
            }
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

// ---------------------------------------------------------------------------------------------
// Words shared by tables that only one output shows
// ---------------------------------------------------------------------------------------------

/// The dataset's tables with where each came from, in this order: `Allies`, `Items`,
/// `Capacity plans`, `Declared plans`. The page lists them in a table; the workbook's Sources
/// sheet as `allies origin`, `allies sha256`, ...
pub fn data_files(data: &Dataset) -> [(&'static str, &Provenance); 4] {
    [
        ("Allies", &data.allies_provenance),
        ("Items", &data.items_provenance),
        ("Capacity plans", &data.capacity_plans_provenance),
        ("Declared plans", &data.plans_provenance),
    ]
}

/// The random generator as recorded, or what its absence means.
pub fn generator_text(generator: &str) -> &str {
    if generator.is_empty() {
        "none (plan only)"
    } else {
        generator
    }
}

/// The category mix's distribution.
pub const MIX_DISTRIBUTION: &str = "Dirichlet(concentration \u{d7} shares)";

/// The unit cost multiplier of an item in year `t`, with `σ` its `cost_sigma` and `z` a
/// standard normal draw: 1 in the base year `B`.
pub const COST_MULTIPLIER: &str = "exp(\u{3c3} z \u{221a}((t \u{2212} B) / 10))";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_round_as_stated() {
        assert_eq!(Format::UsdBn.text(2_466_812.33), "2,466.8");
        assert_eq!(Format::UsdBn.shown(2_466_812.33), 2_466.812_33);
        assert_eq!(Format::SignedUsdBn.text(2_618_759.6), "+2,618.8");
        assert_eq!(Format::SignedUsdBn.text(-101_600.0), "-101.6");
        assert_eq!(Format::SignedUsdBn.text(10.0), "0.0");
        assert_eq!(Format::PctGdp.text(3.514), "3.51");
        assert_eq!(Format::Probability.text(0.13), "13%");
        assert_eq!(Format::Probability.text(0.001), "<1%");
        assert_eq!(Format::Year.text(2027.0), "2027");
        assert_eq!(Format::OneDecimal.text(0.25), "0.2");
        assert_eq!(
            Number {
                value: None,
                format: Format::UsdBn,
                source: None
            }
            .text(),
            "n/a"
        );
    }

    #[test]
    fn two_number_columns_have_two_parts() {
        let range = spread_column("Core spending 2035", "USD bn");
        assert_eq!(
            range.parts(),
            [("P10", Some("USD bn")), ("P90", Some("USD bn"))]
        );
        let plan = Column {
            shape: Shape::WithShare {
                share_unit: "% of GDP",
            },
            ..Column::new(PLAN_HEADING, Role::Plan).under("Core spending 2035", "USD bn")
        };
        assert_eq!(
            plan.parts(),
            [
                (PLAN_HEADING, Some("USD bn")),
                (PLAN_HEADING, Some("% of GDP"))
            ]
        );
        assert_eq!(
            Column::new("Goal", Role::GroupLabel).parts(),
            [("Goal", None)]
        );
    }

    #[test]
    fn years_read_as_ranges_with_an_en_dash() {
        assert_eq!(years_text(&[]), "never");
        assert_eq!(years_text(&[2027, 2028, 2031]), "2027\u{2013}2028, 2031");
    }

    /// A table with every kind of cell, text that needs escaping, a missing value and an
    /// empty group.
    fn every_cell<'r>(row: &'r ResultRow) -> Table<'r> {
        let core = "Core spending 2035";
        let columns = vec![
            Column::new("Goal", Role::GroupLabel),
            Column::new("Group", Role::RowLabel),
            Column::new("Median", Role::Median).under(core, "USD bn"),
            spread_column(core, "USD bn"),
            Column {
                shape: Shape::WithShare {
                    share_unit: "% of GDP",
                },
                ..Column::new(PLAN_HEADING, Role::Plan).under(core, "USD bn")
            },
            Column::new("Peak probability", Role::Peak),
            Column::new("Peak year", Role::Number),
            Column::new("Plan short in", Role::Years),
            Column::new(PLAN_HEADING, Role::Plan).under("Extra over <a & b>", "USD bn"),
        ];
        let first = vec![
            Cell::text("NATO"),
            Cell::Number(Number::of(row, Show::Median, Format::UsdBn)),
            spread_of(row),
            Cell::WithShare {
                value: Number::of(row, Show::Plan, Format::UsdBn),
                share: Some(Number::plain(3.514, Format::PctGdp)),
            },
            Cell::Number(Number::plain(0.004, Format::Probability)),
            Cell::Number(Number::plain(2027.0, Format::Year)),
            Cell::text(years_text(&[2027, 2028, 2031])),
            Cell::Remark {
                text: "reference".to_string(),
                span: 1,
            },
        ];
        let second = vec![
            Cell::text("Europe+Canada & <others>"),
            Cell::Number(Number {
                value: None,
                format: Format::UsdBn,
                source: None,
            }),
            Cell::Empty,
            Cell::Missing { span: 1 },
            Cell::Missing { span: 2 },
            Cell::text(years_text(&[])),
            Cell::Number(Number::plain(-1_234_567.0, Format::SignedUsdBn)),
        ];
        Table {
            name: "test",
            title: "A table".to_string(),
            notes: Vec::new(),
            columns,
            groups: vec![
                RowGroup {
                    label: Text {
                        text: "2% & <more>".to_string(),
                        tag: Some("reference"),
                    },
                    rows: vec![first, second],
                    empty: None,
                },
                RowGroup {
                    label: Text::plain("5%"),
                    rows: Vec::new(),
                    empty: Some("no line at risk".to_string()),
                },
            ],
        }
    }

    /// The P10–P90 of `row` with a hint.
    fn spread_of(row: &ResultRow) -> Cell<'_> {
        let st = row.stats.as_ref().unwrap();
        Cell::Range {
            low: Number::plain(st.percentiles[1], Format::UsdBn),
            high: Number::plain(st.percentiles[5], Format::UsdBn),
            hint: Some("mean 1".to_string()),
        }
    }

    /// The text of each body cell of the page's table, row by row, tags dropped and entities
    /// read back.
    fn page_cells(markup: &str) -> Vec<Vec<String>> {
        let body = &markup[markup.find("<tbody>").unwrap()..];
        body.split("<tr>")
            .skip(1)
            .map(|tr| {
                let tr = &tr[..tr.find("</tr>").unwrap()];
                tr.split("<t")
                    .skip(1)
                    .map(|cell| {
                        let inner = &cell[cell.find('>').unwrap() + 1..cell.rfind("</t").unwrap()];
                        let mut text = String::new();
                        let mut in_tag = false;
                        for c in inner.chars() {
                            match c {
                                '<' => in_tag = true,
                                '>' => in_tag = false,
                                _ if !in_tag => text.push(c),
                                _ => {}
                            }
                        }
                        text.replace("&lt;", "<")
                            .replace("&gt;", ">")
                            .replace("&quot;", "\"")
                            .replace("&#39;", "'")
                            .replace("&amp;", "&")
                    })
                    .collect()
            })
            .collect()
    }

    #[test]
    fn the_page_and_the_workbook_show_the_same_cells() {
        use calamine::{Data, Reader, Xlsx};
        let row = ResultRow {
            goal: "g<1>".to_string(),
            year: 2035,
            group: "nato".to_string(),
            item: None,
            metric: Metric::CoreMusd,
            plan: 2_466_812.33,
            stats: Some(crate::summary::RowStats {
                mean: 2_285_000.0,
                percentiles: [
                    1.0e6,
                    1_978_400.0,
                    2.1e6,
                    2_285_612.0,
                    2.4e6,
                    2_596_949.0,
                    2.7e6,
                ],
            }),
        };
        let table = every_cell(&row);
        let page = page_cells(&crate::report::html::table_markup(&table));
        let bytes = crate::report::xlsx::table_workbook(&table);
        let mut book = Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
        let sheet = book.worksheet_range("Table").unwrap();
        let book_rows: Vec<&[Data]> = sheet.rows().collect();

        // The headings: band, name and unit in each, one per number.
        let headings: Vec<String> = book_rows[0].iter().map(|d| d.to_string()).collect();
        assert_eq!(
            headings,
            [
                "Goal",
                "Group",
                "Core spending 2035, median (USD bn)",
                "Core spending 2035, P10 (USD bn)",
                "Core spending 2035, P90 (USD bn)",
                "Plan: pledge met in full and on time: core spending 2035 (USD bn)",
                "Plan: pledge met in full and on time: core spending 2035 (% of GDP)",
                "Peak probability",
                "Peak year",
                "Plan short in",
                "Plan: pledge met in full and on time: extra over <a & b> (USD bn)",
            ]
        );

        // The body: what the page shows, read from the workbook's cells and the formats.
        let number = |cell: &Data, format: Format| match cell {
            Data::Float(v) => format.shown_text(*v),
            Data::Empty => "n/a".to_string(),
            other => panic!("a number, found {other:?}"),
        };
        let text = |cell: &Data| match cell {
            Data::String(s) => s.clone(),
            other => panic!("text, found {other:?}"),
        };
        let mut expected = Vec::new();
        let mut at = 1;
        for group in &table.groups {
            if group.rows.is_empty() {
                let cells = book_rows[at];
                assert_eq!(cells[0], Data::String(group.label.text.clone()));
                expected.push(vec![text(&cells[0]), text(&cells[1])]);
                at += 1;
                continue;
            }
            for (k, row) in group.rows.iter().enumerate() {
                let cells = book_rows[at];
                let mut shown = Vec::new();
                if k == 0 {
                    let tag = group.label.tag.map_or(String::new(), |t| format!(" {t}"));
                    shown.push(format!("{}{tag}", text(&cells[0])));
                } else {
                    assert_eq!(text(&cells[0]), group.label.text, "the label on every row");
                }
                let mut col = 1;
                for cell in row {
                    shown.push(match cell {
                        Cell::Text(_) => text(&cells[col]),
                        Cell::Number(n) => number(&cells[col], n.format),
                        Cell::Range { low, .. } => format!(
                            "{} to {}",
                            number(&cells[col], low.format),
                            number(&cells[col + 1], low.format)
                        ),
                        Cell::WithShare { value, share } => format!(
                            "{} ({}%)",
                            number(&cells[col], value.format),
                            number(&cells[col + 1], share.unwrap().format)
                        ),
                        Cell::Empty => {
                            assert_eq!(cells.get(col), Some(&Data::Empty));
                            String::new()
                        }
                        Cell::Missing { .. } => "n/a".to_string(),
                        Cell::Remark { text, .. } => text.clone(),
                    });
                    let covered = &table.columns[col_of(&table, col)..][..cell.span()];
                    for _ in covered.iter().flat_map(|c| c.parts()) {
                        if matches!(cell, Cell::Missing { .. } | Cell::Remark { .. }) {
                            assert_eq!(cells.get(col).unwrap_or(&Data::Empty), &Data::Empty);
                        }
                        col += 1;
                    }
                }
                expected.push(shown);
                at += 1;
            }
        }
        assert_eq!(page, expected);
        assert_eq!(page[0][2], "2,285.6");
        assert_eq!(page[0][5], "<1%");
        assert_eq!(page[0][7], "2027\u{2013}2028, 2031");
        assert_eq!(page[1][6], "-1,234.6");
    }

    /// The table column that workbook column `col` belongs to.
    fn col_of(table: &Table, col: usize) -> usize {
        let mut start = 0;
        for (k, column) in table.columns.iter().enumerate() {
            start += column.parts().len();
            if col < start {
                return k;
            }
        }
        panic!("column {col} is past the table")
    }

    /// Plan-only results of a small scenario on the builtin data.
    fn plan_results() -> Results {
        let toml = "schema_version = 1\ntitle = \"T & t\"\n\
                    [[goal]]\nid = \"two\"\nlabel = \"2%\"\ncore_pct = 2\n\
                    [[goal]]\nid = \"five\"\nlabel = \"5% <core>\"\ncore_pct = 5\n";
        let scenario =
            crate::scenario::parse("t.toml", toml, std::path::Path::new("."), "t").unwrap();
        let summary = crate::summary::Summary::central(&scenario);
        Results::from_summary(&scenario, &summary)
    }

    #[test]
    fn the_headline_without_runs_has_the_plan_only() {
        let results = plan_results();
        let table = headline(&results);
        let names: Vec<&str> = table.columns.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["Goal", "Group", PLAN_HEADING, PLAN_HEADING]);
        assert_eq!(table.groups.len(), 2);
        let first = &table.groups[0];
        assert_eq!(first.label.tag, Some("reference"));
        let labels: Vec<String> = first
            .rows
            .iter()
            .map(|row| match &row[0] {
                Cell::Text(t) => t.text.clone(),
                other => panic!("{other:?}"),
            })
            .collect();
        assert_eq!(labels, ["NATO", "Europe+Canada"]);
        // The reference is not compared with itself; the other goal is.
        assert!(matches!(first.rows[0][2], Cell::Remark { span: 1, .. }));
        assert!(matches!(
            table.groups[1].rows[0][2],
            Cell::Number(Number {
                format: Format::SignedUsdBn,
                source: Some(Source {
                    show: Show::Plan,
                    ..
                }),
                ..
            })
        ));
        for group in &table.groups {
            for row in &group.rows {
                let span: usize = row.iter().map(Cell::span).sum();
                assert_eq!(span + 1, table.columns.len());
            }
        }
    }

    #[test]
    fn every_risk_row_fills_its_columns() {
        let results = plan_results();
        let table = risks(&results);
        assert_eq!(table.columns.len(), 4);
        for group in &table.groups {
            assert!(group.empty.is_some());
            for row in &group.rows {
                let span: usize = row.iter().map(Cell::span).sum();
                assert_eq!(span + 1, table.columns.len());
            }
        }
    }
}
