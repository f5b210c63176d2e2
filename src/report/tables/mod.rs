//! The report's tables as data: what each table holds (its columns, with their units, and
//! its rows of cells, each number with its stated format), built once from
//! [`Results`](crate::results::Results) and rendered by the page (`html::table`) and the
//! workbook (`xlsx::table`). A renderer decides only how a table looks: the words, the rows,
//! the numbers and how they are rounded are decided here, so the two cannot disagree.
//!
//! The tables that both outputs show are the headline numbers ([`headline`]), the
//! production lines at risk ([`risks`]), the figures per ally ([`allies`]) and capacity
//! planning ([`capacity`]). The other tables of the page (the goals, the assumptions in
//! prose, the groups of allies, per line) and of the workbook (the dataset's allies and items
//! column for column, the inputs one per row, the sources, the fan's data) are different
//! tables, each shown by one output; the words they share are the constants and functions at
//! the end of this file. The builders are in `headline.rs`, `risks.rs`, `allies.rs` and
//! `capacity.rs`; `tests.rs` renders one table both ways and reads the same cells back.
//!
//! Money is held in USD millions, as in the results, and shown in the currency its
//! [`Format`] names ([`Format::Bn`]), at that currency's stated rate; each money column's unit
//! names the currency (`USD bn`, `EUR bn`).
//!
//! Two shapes of cell hold two numbers: a range (P10 to P90) and a value with its share of GDP.
//! The page shows each in one cell (`1,962.0 to 2,269.2`, `1,967.4 (2.80%)`); the workbook gives
//! each number a column of its own, so that every cell holds one number. Headings follow the
//! same rule: a column has a name, a unit and perhaps a band (a heading over several columns),
//! and each renderer joins them its own way.

mod allies;
mod capacity;
mod headline;
mod risks;
mod sensitivity;
#[cfg(test)]
mod tests;

pub use allies::{NOT_A_MEMBER, SHARE_GROUPS, SHARE_OF_MEDIANS, allies};
pub use capacity::capacity;
pub use headline::headline;
pub use risks::{line_risk, risks};
pub use sensitivity::{TOP_DRIVERS, output_label, sensitivity};

use crate::data::currency::Currency;
use crate::data::{Dataset, Provenance};
use crate::results::ResultRow;
use crate::text::{grouped, percent, signed, year_ranges};

/// The heading of the plan's columns: the plan is every ally on its goal by its target year
/// and every announced capacity plan met (MODEL.md v2 section 4).
pub const PLAN_HEADING: &str = "Plan: pledge met in full and on time";

/// The dash between the ends of a range, in every table: `2027–2029`, `P10–P90`.
pub const RANGE_DASH: &str = "\u{2013}";

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
    /// The value, in the unit of the results (USD millions for money, whatever the currency
    /// shown); `None` when the
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
    /// USD millions as billions of the currency (at its rate, [`Currency::billions`]), one
    /// decimal, thousands separated: `2,466.8`.
    Bn(Currency),
    /// As [`Format::Bn`], with `+` before a positive difference: `+1,658.9`.
    SignedBn(Currency),
    /// As [`Format::Bn`] with two decimals, for one ally's money, which can be a few hundred
    /// millions: `0.28`.
    Bn2(Currency),
    /// As [`Format::Bn2`], with `+` before a positive difference: `+0.12`.
    SignedBn2(Currency),
    /// A share of GDP in %, two decimals: `3.51`.
    PctGdp,
    /// A share of a total in %, two decimals: `0.02`.
    SharePct,
    /// A probability as a whole percentage, `<1%` and `>99%` at the ends: `26%`.
    Probability,
    /// A calendar year: `2027`.
    Year,
    /// One decimal: `0.2` (years of production).
    OneDecimal,
    /// A correlation, two decimals with its sign: `-0.78`, `+0.52`.
    Correlation,
}

impl Format {
    /// The value in the unit shown: USD millions in billions of the currency, the rest as
    /// they are.
    pub fn shown(self, value: f64) -> f64 {
        match self {
            Format::Bn(currency)
            | Format::SignedBn(currency)
            | Format::Bn2(currency)
            | Format::SignedBn2(currency) => currency.billions(value),
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
            Format::Bn(_) => grouped(shown, 1),
            Format::SignedBn(_) => signed(shown, 1),
            Format::Bn2(_) => grouped(shown, 2),
            Format::SignedBn2(_) => signed(shown, 2),
            Format::PctGdp | Format::SharePct => format!("{shown:.2}"),
            Format::Probability => percent(shown),
            Format::Year => format!("{shown}"),
            Format::OneDecimal => format!("{shown:.1}"),
            Format::Correlation => signed(shown, 2),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Words shared by tables that only one output shows
// ---------------------------------------------------------------------------------------------

/// The unit of a money column: `USD bn`, `EUR bn`.
pub fn bn_unit(currency: Currency) -> String {
    format!("{} bn", currency.code())
}

/// Years as ranges, or `never`: `2027–2028, 2031`.
pub fn years_text(years: &[i32]) -> String {
    if years.is_empty() {
        "never".to_string()
    } else {
        year_ranges(years, RANGE_DASH)
    }
}

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
