//! `pledge.xlsx`: the results as an Excel workbook, from [`Results`] alone.
//!
//! Sheets, in order:
//!
//! - **Headline**: per goal, NATO, Europe+Canada and the scenario's own groups: core spending
//!   in the horizon year and the extra over the reference, each as the median of the runs with
//!   P10 and P90, and the plan (the pledge met in full and on time) in columns of its own;
//!   the compliance assumption above the table; then the production lines whose probability
//!   of demand above capacity reaches 10% in some year, as in the terminal and the page.
//! - **Summary**: `summary.csv` cell for cell (same columns, same rows, numbers as numbers, empty
//!   cells where the CSV is empty). Every number is the full `f64`; the value columns show two
//!   decimals with thousands separators, which changes only what is displayed. Should a summary
//!   ever outgrow Excel's 1,048,575 data rows, it continues on "Summary 2", "Summary 3", ...
//! - **Allies**: the dataset's allies with the columns of the allies CSV.
//! - **Items**: the items with the columns of the items CSV, plus `alpha_used`, the `alpha`
//!   the model ran with (given, or calibrated from `base_demand`).
//! - **Assumptions**: every scenario input, one per row, with its distribution and unit.
//! - **Sources**: provenance and the command that reproduces the run; every source text.
//! - **Spending fan**: NATO core spending per goal (median, P10 and P90 when runs were made,
//!   and the plan) in USD billions, with a native Excel line chart drawn from that table: the
//!   median solid, P10 and P90 dashed, the plan dotted.
//!
//! Nothing here computes a statistic; the only arithmetic is USD millions to billions on the
//! chart sheet. The creation date in the document properties is fixed, so the same results
//! give the same bytes.

use super::{ResultRow, Results};
use crate::data::{Category, Item, Purchase};
use crate::dist::Triangular;
use crate::output::SUMMARY_COLUMNS;
use crate::output::glance::compliance_text;
use crate::output::{LineRisk, grouped, year_ranges};
use crate::scenario::metrics::Metric;
use crate::scenario::{GoalOverride, Plans};
use rust_xlsxwriter::{
    Chart, ChartLegendPosition, ChartLine, ChartLineDashType, ChartType, ColNum, Color,
    DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, RowNum, Workbook, Worksheet,
    XlsxError,
};
use std::borrow::Cow;

/// Sheet of the headline numbers.
pub const HEADLINE_SHEET: &str = "Headline";
/// Heading of the plan's columns.
const PLAN_HEADING: &str = "Plan: pledge met in full and on time";
/// Sheet of `summary.csv`.
pub const SUMMARY_SHEET: &str = "Summary";
/// Sheet of the allies.
pub const ALLIES_SHEET: &str = "Allies";
/// Sheet of the items.
pub const ITEMS_SHEET: &str = "Items";
/// Sheet of the scenario's inputs.
pub const ASSUMPTIONS_SHEET: &str = "Assumptions";
/// Sheet of provenance.
pub const SOURCES_SHEET: &str = "Sources";
/// Sheet of the spending fan chart and its data.
pub const FAN_SHEET: &str = "Spending fan";

/// The group whose core spending the fan chart shows.
const FAN_GROUP: &str = "nato";
/// The Summary's first number column after the keys (`plan`).
const FIRST_VALUE_COL: ColNum = 5;
/// Excel's last row index (1,048,576 rows); a longer summary continues on "Summary 2", ...
const MAX_ROW: RowNum = 1_048_575;
/// Excel's longest cell text, in characters.
const MAX_TEXT_CHARS: usize = 32_767;
/// Line colours of the goals, in goal order (Okabe-Ito, distinguishable with colour blindness).
const GOAL_COLOURS: [u32; 7] = [
    0x0072B2, 0xD55E00, 0x009E73, 0xCC79A7, 0xE69F00, 0x56B4E9, 0x000000,
];

/// The workbook's bytes, or why they could not be made.
///
/// The Summary sheet is streamed through a temporary file in the system's temporary folder
/// (`TMPDIR` on Unix), removed when the workbook is done; that file is the one thing that can
/// fail. Every sheet name is fixed, every text is cut to Excel's limit and every table is
/// kept within Excel's rows, so rust_xlsxwriter has nothing else to refuse.
pub fn workbook(results: &Results) -> std::io::Result<Vec<u8>> {
    build(results).map_err(|error| match error {
        XlsxError::TempFileError(dir, error) => std::io::Error::new(
            error.kind(),
            format!(
                "pledge.xlsx: cannot make a temporary file in {}: {error}",
                dir.display()
            ),
        ),
        XlsxError::IoError(error) => {
            std::io::Error::new(error.kind(), format!("pledge.xlsx: {error}"))
        }
        other => panic!("pledge.xlsx: rust_xlsxwriter refused a cell (a bug in pledge): {other}"),
    })
}

/// Cell formats shared by the sheets.
struct Styles {
    header: Format,
    wrap: Format,
    integer: Format,
    year: Format,
    one_decimal: Format,
    two_decimals: Format,
    four_decimals: Format,
    flexible: Format,
}

impl Styles {
    fn new() -> Styles {
        let number = |pattern: &str| Format::new().set_num_format(pattern);
        Styles {
            header: Format::new()
                .set_bold()
                .set_text_wrap()
                .set_align(FormatAlign::Top)
                .set_border_bottom(FormatBorder::Thin),
            wrap: Format::new().set_text_wrap().set_align(FormatAlign::Top),
            integer: number("#,##0"),
            year: number("0"),
            one_decimal: number("#,##0.0"),
            two_decimals: number("#,##0.00"),
            four_decimals: number("#,##0.0000"),
            flexible: number("#,##0.0###"),
        }
    }
}

fn build(results: &Results) -> Result<Vec<u8>, XlsxError> {
    let styles = Styles::new();
    let mut book = Workbook::new();
    let created = ExcelDateTime::from_ymd(1980, 1, 1)?;
    book.set_properties(
        &DocProperties::new()
            .set_title(cut(&results.scenario.title))
            .set_subject("pledge results")
            .set_comment(cut(&results.command()))
            .set_creation_datetime(&created),
    );
    headline_sheet(book.add_worksheet(), results, &styles)?;
    summary_sheets(&mut book, results, &styles)?;
    allies_sheet(book.add_worksheet(), results, &styles)?;
    items_sheet(book.add_worksheet(), results, &styles)?;
    assumptions_sheet(book.add_worksheet(), results, &styles)?;
    sources_sheet(book.add_worksheet(), results, &styles)?;
    fan_sheet(book.add_worksheet(), results, &styles)?;
    // Deflate level 1 instead of 6: half the time to save (~30 ms less for 10,000 summary
    // rows) for a file about 1.6 times larger.
    book.set_zip_compression_level(1);
    book.save_to_buffer()
}

/// `text` cut to the longest cell Excel holds.
fn cut(text: &str) -> Cow<'_, str> {
    match text.char_indices().nth(MAX_TEXT_CHARS) {
        Some((end, _)) => Cow::Owned(text[..end].to_string()),
        None => Cow::Borrowed(text),
    }
}

/// Names a sheet, writes a bold header row, freezes it and sets the column widths.
fn start_table(
    sheet: &mut Worksheet,
    name: &str,
    columns: &[(&str, f64)],
    styles: &Styles,
) -> Result<(), XlsxError> {
    sheet.set_name(name)?;
    for (col, (title, width)) in (0..).zip(columns) {
        sheet.write_string_with_format(0, col, *title, &styles.header)?;
        sheet.set_column_width(col, *width)?;
    }
    sheet.set_freeze_panes(1, 0)?;
    Ok(())
}

/// Last column index of a table of `columns` columns.
fn last_col(columns: usize) -> ColNum {
    ColNum::try_from(columns.max(1) - 1).expect("a handful of columns")
}

/// A whole number: a number while an `f64` holds it exactly, text beyond.
fn write_count(
    sheet: &mut Worksheet,
    row: RowNum,
    col: ColNum,
    value: u64,
) -> Result<(), XlsxError> {
    const EXACT: u64 = 1 << 53;
    if value <= EXACT {
        sheet.write_number(row, col, value as f64)?;
    } else {
        sheet.write_string(row, col, value.to_string())?;
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Summary

fn summary_sheets(
    book: &mut Workbook,
    results: &Results,
    styles: &Styles,
) -> Result<(), XlsxError> {
    let widths = [10.0, 6.0, 15.0, 13.0, 20.0];
    let columns: Vec<(&str, f64)> = SUMMARY_COLUMNS
        .iter()
        .enumerate()
        .map(|(i, &name)| (name, widths.get(i).copied().unwrap_or(14.0)))
        .collect();
    let per_sheet = MAX_ROW as usize;
    let mut chunks = results.rows.chunks(per_sheet).peekable();
    let mut part = 1;
    loop {
        let rows = chunks.next().unwrap_or(&[]);
        let name = if part == 1 {
            SUMMARY_SHEET.to_string()
        } else {
            format!("{SUMMARY_SHEET} {part}")
        };
        let sheet = book.add_worksheet();
        start_table(sheet, &name, &columns, styles)?;
        // One format a value column rather than one a metric: a per-cell format costs
        // rust_xlsxwriter a hash of the format for each of ~100,000 cells (about 15 ms).
        for col in FIRST_VALUE_COL..=last_col(columns.len()) {
            sheet.set_column_format(col, &styles.two_decimals)?;
        }
        for (row, r) in (1..).zip(rows) {
            sheet.write_string(row, 0, &r.goal)?;
            sheet.write_number(row, 1, r.year)?;
            sheet.write_string(row, 2, &r.group)?;
            if let Some(item) = &r.item {
                sheet.write_string(row, 3, item)?;
            }
            sheet.write_string(row, 4, r.metric.as_str())?;
            sheet.write_number(row, 5, r.plan)?;
            if let Some(stats) = &r.stats {
                sheet.write_number(row, 6, stats.mean)?;
                for (col, &p) in (7..).zip(&stats.percentiles) {
                    sheet.write_number(row, col, p)?;
                }
            }
        }
        let last_row = RowNum::try_from(rows.len()).expect("at most MAX_ROW rows a sheet");
        sheet.autofilter(0, 0, last_row, last_col(columns.len()))?;
        if chunks.peek().is_none() {
            return Ok(());
        }
        part += 1;
    }
}

// ---------------------------------------------------------------------------------------------
// Headline

/// The groups of the headline table: NATO, Europe+Canada, then the scenario's own groups.
fn headline_groups(results: &Results) -> Vec<&str> {
    ["nato", "europe_canada"]
        .into_iter()
        .chain(
            results
                .scenario
                .groups
                .iter()
                .filter(|g| g.kind == crate::data::groups::GroupKind::Scenario)
                .map(|g| g.name.as_str()),
        )
        .collect()
}

fn headline_sheet(
    sheet: &mut Worksheet,
    results: &Results,
    styles: &Styles,
) -> Result<(), XlsxError> {
    let s = &results.scenario;
    let (b, h) = (s.base_year(), s.horizon);
    let stats = results.has_statistics();
    let reference = &s.goals[0].label;
    sheet.set_name(HEADLINE_SHEET)?;
    let bold = Format::new().set_bold();
    sheet.write_string_with_format(0, 0, cut(&s.title), &bold)?;
    let what = if stats {
        format!(
            "Median and P10 to P90 of {} Monte Carlo runs (seed {}), USD billions at constant {b} prices. {PLAN_HEADING}: every ally on its goal by its target year and every announced capacity plan met; it is one path, not the middle of the runs, and can lie above P90.",
            results.runs, results.seed
        )
    } else {
        format!(
            "No Monte Carlo runs: the plan only, USD billions at constant {b} prices. {PLAN_HEADING}: every ally on its goal by its target year and every announced capacity plan met."
        )
    };
    sheet.write_string(1, 0, cut(&what))?;
    sheet.write_string(
        2,
        0,
        format!(
            "Compliance assumed: {}.",
            compliance_text(&s.compliance, &s.capacity)
        ),
    )?;
    let extra = format!("extra over {reference}, {}-{h}", b + 1);
    let columns: Vec<(String, f64)> = vec![
        ("Goal".to_string(), 34.0),
        ("Group".to_string(), 16.0),
        (format!("Core spending {h}, median (USD bn)"), 14.0),
        (format!("Core spending {h}, P10 (USD bn)"), 14.0),
        (format!("Core spending {h}, P90 (USD bn)"), 14.0),
        (format!("Core spending {h}, median (% of GDP)"), 14.0),
        (format!("{PLAN_HEADING}: core spending {h} (USD bn)"), 18.0),
        (
            format!("{PLAN_HEADING}: core spending {h} (% of GDP)"),
            18.0,
        ),
        (format!("{}, median (USD bn)", capitalised(&extra)), 18.0),
        (format!("{}, P10 (USD bn)", capitalised(&extra)), 18.0),
        (format!("{}, P90 (USD bn)", capitalised(&extra)), 18.0),
        (format!("{PLAN_HEADING}: {extra} (USD bn)"), 22.0),
    ];
    const TABLE_ROW: RowNum = 4;
    for (col, (title, width)) in (0..).zip(&columns) {
        sheet.write_string_with_format(TABLE_ROW, col, cut(title), &styles.header)?;
        sheet.set_column_width(col, *width)?;
    }
    let mut row = TABLE_ROW + 1;
    for goal in &s.goals {
        for group in headline_groups(results) {
            let Some(core) = results.row(&goal.id, h, group, None, Metric::CoreMusd) else {
                continue;
            };
            sheet.write_string(row, 0, cut(&goal.label))?;
            sheet.write_string(row, 1, super::html::group_name(group))?;
            let bn = |v: f64| v / 1000.0;
            let pct = results.row(&goal.id, h, group, None, Metric::CorePctGdp);
            let cum = results.row(&goal.id, h, group, None, Metric::CumDeltaCoreMusd);
            let cells: [HeadlineCell; 10] = [
                (Some(core), Cell::P(3), bn, &styles.one_decimal),
                (Some(core), Cell::P(1), bn, &styles.one_decimal),
                (Some(core), Cell::P(5), bn, &styles.one_decimal),
                (pct, Cell::P(3), |v| v, &styles.two_decimals),
                (Some(core), Cell::Plan, bn, &styles.one_decimal),
                (pct, Cell::Plan, |v| v, &styles.two_decimals),
                (cum, Cell::P(3), bn, &styles.one_decimal),
                (cum, Cell::P(1), bn, &styles.one_decimal),
                (cum, Cell::P(5), bn, &styles.one_decimal),
                (cum, Cell::Plan, bn, &styles.one_decimal),
            ];
            for (col, (source, cell, convert, format)) in (2..).zip(cells) {
                if let Some(value) = source.and_then(|r| cell.value(r)) {
                    sheet.write_number_with_format(row, col, convert(value), format)?;
                }
            }
            row += 1;
        }
    }

    // The risk list, as in the terminal and on the page.
    row += 1;
    let threshold = crate::output::percent(crate::output::RISK_PROBABILITY);
    sheet.write_string_with_format(
        row,
        0,
        if stats {
            format!(
                "Production lines whose probability of demand above capacity reaches {threshold} in some year"
            )
        } else {
            "Production lines whose demand in the plan is above capacity in some year".to_string()
        },
        &bold,
    )?;
    row += 1;
    let risk_columns = [
        "Goal".to_string(),
        "Production line".to_string(),
        "Peak probability of demand above capacity".to_string(),
        "Peak year".to_string(),
        "Plan: demand above capacity in".to_string(),
        format!("Backlog {h}, median (years of production)"),
        format!("{PLAN_HEADING}: backlog {h} (years of production)"),
    ];
    for (col, title) in (0..).zip(&risk_columns) {
        sheet.write_string_with_format(row, col, title, &styles.header)?;
    }
    row += 1;
    let percent = Format::new().set_num_format("0%");
    for goal in &s.goals {
        let mut any = false;
        for item in &s.items {
            let risk = LineRisk::new(
                results
                    .item_series(&goal.id, &item.id, Metric::ShortfallProb)
                    .iter()
                    .map(|r| (r.year, r.plan, r.stats.as_ref().map(|st| st.mean))),
            );
            if !risk.listed() {
                continue;
            }
            any = true;
            sheet.write_string(row, 0, cut(&goal.label))?;
            sheet.write_string(row, 1, cut(&item.label))?;
            if let Some((p, year)) = risk.peak {
                sheet.write_number_with_format(row, 2, p, &percent)?;
                sheet.write_number_with_format(row, 3, year, &styles.year)?;
            }
            sheet.write_string(
                row,
                4,
                if risk.plan_short.is_empty() {
                    "never".to_string()
                } else {
                    year_ranges(&risk.plan_short, "-")
                },
            )?;
            if let Some(backlog) = results.row(
                &goal.id,
                h,
                &item.buyers,
                Some(&item.id),
                Metric::BacklogYears,
            ) {
                if let Some(median) = Cell::P(3).value(backlog) {
                    sheet.write_number_with_format(row, 5, median, &styles.one_decimal)?;
                }
                sheet.write_number_with_format(row, 6, backlog.plan, &styles.one_decimal)?;
            }
            row += 1;
        }
        if !any {
            sheet.write_string(row, 0, cut(&goal.label))?;
            sheet.write_string(
                row,
                1,
                if stats {
                    format!(
                        "no line reaches a {threshold} probability of demand above capacity in any year"
                    )
                } else {
                    "no line's demand in the plan is above capacity in any year".to_string()
                },
            )?;
            row += 1;
        }
    }
    Ok(())
}

/// A headline cell: its row (if present), the value it holds, the conversion to the unit of
/// its column and its number format.
type HeadlineCell<'a> = (Option<&'a ResultRow>, Cell, fn(f64) -> f64, &'a Format);

/// Which value of a row a headline cell holds.
#[derive(Debug, Clone, Copy)]
enum Cell {
    /// The plan.
    Plan,
    /// A percentile: index into [`crate::mc::summary::RowStats::percentiles`].
    P(usize),
}

impl Cell {
    fn value(self, row: &ResultRow) -> Option<f64> {
        match self {
            Cell::Plan => Some(row.plan),
            Cell::P(k) => row.stats.as_ref().map(|s| s.percentiles[k]),
        }
    }
}

/// `text` with its first letter in capitals.
fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map_or(String::new(), |c| c.to_uppercase().chain(chars).collect())
}

// ---------------------------------------------------------------------------------------------
// Allies and items

fn allies_sheet(
    sheet: &mut Worksheet,
    results: &Results,
    styles: &Styles,
) -> Result<(), XlsxError> {
    let columns = [
        ("iso3", 6.0),
        ("name", 16.0),
        ("eu", 6.0),
        ("region", 13.0),
        ("gdp_usd_bn", 12.0),
        ("defence_pct_gdp", 10.0),
        ("equipment_pct", 10.0),
        ("growth_mean_pct", 10.0),
        ("growth_sd_pct", 10.0),
        ("equipment_basis", 11.0),
        ("source", 100.0),
    ];
    debug_assert_eq!(columns.map(|c| c.0), crate::data::ALLY_COLUMNS);
    start_table(sheet, ALLIES_SHEET, &columns, styles)?;
    let allies = &results.scenario.data.allies;
    for (row, a) in (1..).zip(allies) {
        sheet.write_string(row, 0, &a.iso3)?;
        sheet.write_string(row, 1, cut(&a.name))?;
        sheet.write_boolean(row, 2, a.eu)?;
        sheet.write_string(row, 3, a.region.as_str())?;
        sheet.write_number_with_format(row, 4, a.gdp_usd_bn, &styles.flexible)?;
        sheet.write_number_with_format(row, 5, a.defence_pct_gdp, &styles.two_decimals)?;
        sheet.write_number_with_format(row, 6, a.equipment_pct, &styles.two_decimals)?;
        sheet.write_number_with_format(row, 7, a.growth_mean_pct, &styles.two_decimals)?;
        sheet.write_number_with_format(row, 8, a.growth_sd_pct, &styles.two_decimals)?;
        sheet.write_string(row, 9, cut(&a.equipment_basis))?;
        sheet.write_string_with_format(row, 10, cut(&a.source), &styles.wrap)?;
    }
    let last_row = RowNum::try_from(allies.len()).unwrap_or(MAX_ROW);
    sheet.autofilter(0, 0, last_row, last_col(columns.len()))?;
    Ok(())
}

fn items_sheet(sheet: &mut Worksheet, results: &Results, styles: &Styles) -> Result<(), XlsxError> {
    let columns = [
        ("id", 13.0),
        ("label", 30.0),
        ("unit", 10.0),
        ("category", 12.0),
        ("buyers", 14.0),
        ("base_demand", 11.0),
        ("alpha", 9.0),
        ("alpha_used", 10.0),
        ("unit_cost_musd", 12.0),
        ("cost_sigma", 9.0),
        ("capacity", 12.0),
        ("capacity_growth_min_pct", 11.0),
        ("capacity_growth_mode_pct", 11.0),
        ("capacity_growth_max_pct", 11.0),
        ("lead_years", 8.0),
        ("capacity_plan", 24.0),
        ("plan_attainment", 14.0),
        ("source", 70.0),
        ("notes", 70.0),
    ];
    let col = |name: &str| -> ColNum {
        let index = columns.iter().position(|(c, _)| *c == name);
        ColNum::try_from(index.expect("a column of the sheet")).unwrap_or(ColNum::MAX)
    };
    start_table(sheet, ITEMS_SHEET, &columns, styles)?;
    let scenario = &results.scenario;
    for (j, item) in scenario.items.iter().enumerate() {
        let row = RowNum::try_from(j + 1).unwrap_or(MAX_ROW);
        let text = [
            ("id", item.id.as_str()),
            ("label", item.label.as_str()),
            ("unit", item.unit.as_str()),
            ("category", item.category.as_str()),
            ("buyers", item.buyers.as_str()),
            ("source", item.source.as_str()),
            ("notes", item.notes.as_str()),
        ];
        for (name, value) in text {
            sheet.write_string_with_format(row, col(name), cut(value), &styles.wrap)?;
        }
        match item.purchase {
            Purchase::BaseDemand(units) => {
                sheet.write_number_with_format(row, col("base_demand"), units, &styles.flexible)?;
            }
            Purchase::Alpha(a) => {
                sheet.write_number_with_format(row, col("alpha"), a, &styles.four_decimals)?;
            }
        }
        if let Some(alpha) = results.alpha(&item.id) {
            sheet.write_number_with_format(row, col("alpha_used"), alpha, &styles.four_decimals)?;
        }
        let numbers = [
            ("unit_cost_musd", item.unit_cost_musd, &styles.flexible),
            ("cost_sigma", item.cost_sigma, &styles.two_decimals),
            ("capacity", item.capacity_units_per_year, &styles.integer),
            (
                "capacity_growth_min_pct",
                item.capacity_growth_pct.min(),
                &styles.one_decimal,
            ),
            (
                "capacity_growth_mode_pct",
                item.capacity_growth_pct.mode(),
                &styles.one_decimal,
            ),
            (
                "capacity_growth_max_pct",
                item.capacity_growth_pct.max(),
                &styles.one_decimal,
            ),
            ("lead_years", item.lead_years, &styles.one_decimal),
        ];
        for (name, value, format) in numbers {
            sheet.write_number_with_format(row, col(name), value, format)?;
        }
        let plan: Vec<String> = item
            .capacity_plan
            .iter()
            .map(|p| format!("{}: {}", p.year, grouped(p.capacity, 0)))
            .collect();
        sheet.write_string_with_format(row, col("capacity_plan"), plan.join("; "), &styles.wrap)?;
        let q = scenario.plan_attainment(j);
        let q_text = if q.min() == q.max() {
            format!("{}", q.mode())
        } else {
            format!("{}-{}-{}", q.min(), q.mode(), q.max())
        };
        sheet.write_string_with_format(row, col("plan_attainment"), q_text, &styles.wrap)?;
    }
    let last_row = RowNum::try_from(scenario.items.len()).unwrap_or(MAX_ROW);
    sheet.autofilter(0, 0, last_row, last_col(columns.len()))?;
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Assumptions

/// A value in the assumptions table.
enum Value {
    Number(f64),
    Whole(u64),
    Text(String),
}

/// One row of the assumptions table.
struct Assumption {
    section: String,
    parameter: String,
    value: Value,
    range: Option<Triangular>,
    sd: Option<f64>,
    distribution: String,
    unit: &'static str,
}

impl Assumption {
    fn fixed(section: &str, parameter: &str, value: Value, unit: &'static str) -> Assumption {
        Assumption {
            section: section.to_string(),
            parameter: parameter.to_string(),
            value,
            range: None,
            sd: None,
            distribution: "fixed".to_string(),
            unit,
        }
    }

    fn triangular(
        section: &str,
        parameter: &str,
        range: Triangular,
        per: &str,
        unit: &'static str,
    ) -> Assumption {
        let zero_width = range.min() == range.max();
        Assumption {
            range: (!zero_width).then_some(range),
            distribution: if zero_width {
                "fixed".to_string()
            } else {
                format!("triangular(min, mode, max), drawn {per}; plan = mode")
            },
            ..Assumption::fixed(section, parameter, Value::Number(range.mode()), unit)
        }
    }
}

impl Assumption {
    /// A compliance input: drawn per ally, but the plan meets the pledge in full and on time,
    /// so its value is `plan`, not the mode.
    fn compliance(
        parameter: &str,
        range: Triangular,
        plan: f64,
        unit: &'static str,
        per: &str,
    ) -> Assumption {
        let zero_width = range.min() == range.max();
        Assumption {
            range: (!zero_width).then_some(range),
            distribution: if zero_width {
                format!("fixed at {}; the plan takes {plan}", range.mode())
            } else {
                format!("triangular(min, mode, max), drawn per {per}; the plan takes {plan}")
            },
            ..Assumption::fixed("compliance", parameter, Value::Number(plan), unit)
        }
    }
}

fn assumptions(results: &Results) -> Vec<Assumption> {
    use Value::{Number, Text, Whole};
    let s = &results.scenario;
    let mut rows = vec![
        Assumption::fixed(
            "run",
            "base year",
            Whole(s.base_year().max(0) as u64),
            "year",
        ),
        Assumption::fixed("run", "horizon", Whole(s.horizon.max(0) as u64), "year"),
        Assumption::fixed("run", "Monte Carlo runs", Whole(results.runs), "runs"),
        Assumption::fixed("run", "seed", Whole(results.seed), ""),
        Assumption::fixed(
            "run",
            "generator",
            Text(results.generator().to_string()),
            "",
        ),
    ];
    for goal in &s.goals {
        let section = format!("goal {}", goal.id);
        rows.extend([
            Assumption::fixed(&section, "label", Text(goal.label.clone()), ""),
            match goal.core_pct {
                Some(core) if goal.plans == Plans::None => {
                    Assumption::fixed(&section, "core_pct", Number(core), "% of GDP")
                }
                _ => Assumption::fixed(&section, "core_pct", Text(goal.core_text()), "% of GDP"),
            },
            Assumption::fixed(
                &section,
                "related_pct",
                Number(goal.related_pct),
                "% of GDP",
            ),
            Assumption::fixed(
                &section,
                "target_year",
                Whole(goal.target_year.max(0) as u64),
                "year",
            ),
            Assumption::fixed(&section, "path", Text(goal.path.as_str().to_string()), ""),
            Assumption::fixed(&section, "floor", Text(goal.floor.as_str().to_string()), ""),
            Assumption::fixed(
                &section,
                "equipment_pct",
                Number(goal.equipment_pct),
                "% of core spending",
            ),
        ]);
        for (iso3, o) in &goal.overrides {
            rows.extend(override_rows(&section, iso3, o));
        }
    }
    let growth_spread = "normal, drawn per ally and year";
    rows.extend([
        Assumption {
            distribution: growth_spread.to_string(),
            ..Assumption::fixed(
                "growth",
                "GDP growth of each ally: mean and sd in the Allies sheet",
                Text("see Allies".to_string()),
                "% per year",
            )
        },
        Assumption::fixed(
            "growth",
            "correlation (share of growth variance common to all allies)",
            Number(s.growth.correlation),
            "fraction",
        ),
        Assumption::fixed(
            "growth",
            "sd_scale (multiplies every ally's growth sd)",
            Number(s.growth.sd_scale),
            "factor",
        ),
        Assumption::compliance(
            "lag_years (years late after the target year; value = the plan's, on time)",
            s.compliance.lag_years,
            0.0,
            "years",
            "ally",
        ),
        Assumption::compliance(
            "attainment (fraction of the step to the goal made; value = the plan's, in full)",
            s.compliance.attainment,
            1.0,
            "fraction",
            "ally",
        ),
        Assumption::fixed(
            "compliance",
            "drift_pp (sd of each ally's yearly share step; the plan has none)",
            Number(s.compliance.drift_pp),
            "pp of GDP a year",
        ),
        Assumption::fixed(
            "compliance",
            "drift_correlation (common part of the drift steps)",
            Number(s.compliance.drift_correlation),
            "correlation",
        ),
        Assumption::compliance(
            "plan_attainment (share of an announced capacity increase delivered; value = the plan's, met)",
            s.capacity.plan_attainment,
            1.0,
            "fraction",
            "item",
        ),
        Assumption {
            sd: Some(s.inflation.sd_pct),
            distribution: if s.inflation.sd_pct == 0.0 {
                "fixed".to_string()
            } else {
                "normal(mean, sd), drawn per year".to_string()
            },
            ..Assumption::fixed(
                "inflation",
                "defence cost inflation above the GDP deflator (value = mean)",
                Number(s.inflation.mean_pct),
                "% per year",
            )
        },
    ]);
    let concentration = s.mix.concentration;
    let mix_distribution = if concentration == 0.0 {
        "fixed".to_string()
    } else {
        format!(
            "Dirichlet(concentration x shares) = Dirichlet({concentration} x shares), drawn per run; plan = share"
        )
    };
    for (category, share) in Category::ALL.iter().zip(s.mix.shares) {
        rows.push(Assumption {
            distribution: mix_distribution.clone(),
            ..Assumption::fixed(
                "mix",
                &format!("{} share", category.as_str()),
                Number(share),
                "fraction of equipment spending",
            )
        });
    }
    rows.push(Assumption::fixed(
        "mix",
        "concentration (0 = fixed mix)",
        Number(concentration),
        "",
    ));
    for item in &s.items {
        rows.extend(item_rows(results, item));
    }
    rows
}

fn override_rows(section: &str, iso3: &str, o: &GoalOverride) -> Vec<Assumption> {
    let name = |key: &str| format!("override {iso3}: {key}");
    let mut rows = Vec::new();
    if let Some(v) = o.core_pct {
        rows.push(Assumption::fixed(
            section,
            &name("core_pct"),
            Value::Number(v),
            "% of GDP",
        ));
    }
    if let Some(points) = o.points_text() {
        rows.push(Assumption::fixed(
            section,
            &name("points"),
            Value::Text(points),
            "% of GDP by year",
        ));
    }
    if let Some(v) = o.related_pct {
        rows.push(Assumption::fixed(
            section,
            &name("related_pct"),
            Value::Number(v),
            "% of GDP",
        ));
    }
    if let Some(v) = o.target_year {
        rows.push(Assumption::fixed(
            section,
            &name("target_year"),
            Value::Whole(v.max(0) as u64),
            "year",
        ));
    }
    if let Some(v) = o.path {
        rows.push(Assumption::fixed(
            section,
            &name("path"),
            Value::Text(v.as_str().to_string()),
            "",
        ));
    }
    if let Some(v) = o.equipment_pct {
        rows.push(Assumption::fixed(
            section,
            &name("equipment_pct"),
            Value::Number(v),
            "% of core spending",
        ));
    }
    rows
}

fn item_rows(results: &Results, item: &Item) -> Vec<Assumption> {
    use Value::Number;
    let section = format!("item {}", item.id);
    let mut rows = vec![
        Assumption::fixed(
            &section,
            "capacity in the base year",
            Number(item.capacity_units_per_year),
            "units per year",
        ),
        Assumption::triangular(
            &section,
            "capacity growth",
            item.capacity_growth_pct,
            "per item and run",
            "% per year",
        ),
        Assumption::fixed(
            &section,
            "lead_years (before capacity grows)",
            Number(item.lead_years),
            "years",
        ),
        Assumption {
            sd: (item.cost_sigma > 0.0).then_some(item.cost_sigma),
            distribution: if item.cost_sigma > 0.0 {
                "unit cost x lognormal multiplier exp(cost_sigma z sqrt((t - B) / 10)), z standard normal, drawn per item and run: 1 in the base year, log-sd cost_sigma ten years on".to_string()
            } else {
                "fixed".to_string()
            },
            ..Assumption::fixed(
                &section,
                "unit cost (base-year prices)",
                Number(item.unit_cost_musd),
                "USD millions",
            )
        },
    ];
    match item.purchase {
        Purchase::BaseDemand(units) => rows.push(Assumption::fixed(
            &section,
            "base_demand (units the buyers take in the base year)",
            Number(units),
            "units a year",
        )),
        Purchase::Alpha(a) => rows.push(Assumption::fixed(
            &section,
            "alpha (given)",
            Number(a),
            "fraction of the buyers' category spending",
        )),
    }
    if let Some(alpha) = results.alpha(&item.id) {
        rows.push(Assumption {
            distribution: match item.purchase {
                Purchase::BaseDemand(_) => "calibrated from base_demand".to_string(),
                Purchase::Alpha(_) => "fixed".to_string(),
            },
            ..Assumption::fixed(
                &section,
                "alpha used",
                Number(alpha),
                "fraction of the buyers' category spending",
            )
        });
    }
    rows
}

fn assumptions_sheet(
    sheet: &mut Worksheet,
    results: &Results,
    styles: &Styles,
) -> Result<(), XlsxError> {
    let columns = [
        ("section", 16.0),
        ("parameter", 44.0),
        ("value", 14.0),
        ("min", 9.0),
        ("mode", 9.0),
        ("max", 9.0),
        ("sd", 9.0),
        ("distribution", 60.0),
        ("unit", 26.0),
    ];
    start_table(sheet, ASSUMPTIONS_SHEET, &columns, styles)?;
    let rows = assumptions(results);
    for (row, a) in (1..).zip(&rows) {
        sheet.write_string(row, 0, cut(&a.section))?;
        sheet.write_string(row, 1, cut(&a.parameter))?;
        match &a.value {
            Value::Number(v) => {
                sheet.write_number_with_format(row, 2, *v, &styles.flexible)?;
            }
            Value::Whole(v) => write_count(sheet, row, 2, *v)?,
            Value::Text(t) => {
                sheet.write_string(row, 2, cut(t))?;
            }
        }
        if let Some(range) = a.range {
            for (col, v) in (3..).zip([range.min(), range.mode(), range.max()]) {
                sheet.write_number_with_format(row, col, v, &styles.flexible)?;
            }
        }
        if let Some(sd) = a.sd {
            sheet.write_number_with_format(row, 6, sd, &styles.flexible)?;
        }
        sheet.write_string(row, 7, &a.distribution)?;
        sheet.write_string(row, 8, a.unit)?;
    }
    let last_row = RowNum::try_from(rows.len()).unwrap_or(MAX_ROW);
    sheet.autofilter(0, 0, last_row, last_col(columns.len()))?;
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Sources

fn sources_sheet(
    sheet: &mut Worksheet,
    results: &Results,
    styles: &Styles,
) -> Result<(), XlsxError> {
    let columns = [("section", 12.0), ("key", 24.0), ("value", 110.0)];
    start_table(sheet, SOURCES_SHEET, &columns, styles)?;
    let s = &results.scenario;
    let data = &s.data;
    let text = |v: &str| Value::Text(v.to_string());
    let mut rows: Vec<(&str, String, Value)> = vec![
        ("run", "title".into(), text(&s.title)),
        (
            "run",
            "scenario file".into(),
            text(s.file.as_deref().unwrap_or("")),
        ),
        (
            "run",
            "command to reproduce".into(),
            text(&results.command()),
        ),
        ("run", "tool version".into(), text(results.tool_version())),
        ("run", "input hash".into(), text(&results.input_hash)),
        ("run", "seed".into(), Value::Whole(results.seed)),
        ("run", "runs".into(), Value::Whole(results.runs)),
        ("run", "generator".into(), text(results.generator())),
        ("data", "vintage".into(), text(&data.vintage)),
        (
            "data",
            "base year".into(),
            Value::Whole(data.base_year.max(0) as u64),
        ),
        (
            "data",
            "allies origin".into(),
            text(&data.allies_provenance.origin),
        ),
        (
            "data",
            "allies sha256".into(),
            text(&data.allies_provenance.sha256),
        ),
        (
            "data",
            "items origin".into(),
            text(&data.items_provenance.origin),
        ),
        (
            "data",
            "items sha256".into(),
            text(&data.items_provenance.sha256),
        ),
        (
            "data",
            "capacity plans origin".into(),
            text(&data.capacity_plans_provenance.origin),
        ),
        (
            "data",
            "capacity plans sha256".into(),
            text(&data.capacity_plans_provenance.sha256),
        ),
        (
            "data",
            "declared plans origin".into(),
            text(&data.plans_provenance.origin),
        ),
        (
            "data",
            "declared plans sha256".into(),
            text(&data.plans_provenance.sha256),
        ),
    ];
    for a in &data.allies {
        rows.push(("ally", format!("{} {}", a.iso3, a.name), text(&a.source)));
    }
    for item in &s.items {
        rows.push(("item", item.id.clone(), text(&item.source)));
    }
    for (row, (section, key, value)) in (1..).zip(&rows) {
        sheet.write_string(row, 0, *section)?;
        sheet.write_string(row, 1, cut(key))?;
        match value {
            Value::Text(t) => {
                sheet.write_string_with_format(row, 2, cut(t), &styles.wrap)?;
            }
            Value::Whole(v) => write_count(sheet, row, 2, *v)?,
            Value::Number(v) => {
                sheet.write_number(row, 2, *v)?;
            }
        }
    }
    let last_row = RowNum::try_from(rows.len()).unwrap_or(MAX_ROW);
    sheet.autofilter(0, 0, last_row, last_col(columns.len()))?;
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Spending fan

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

fn fan_sheet(sheet: &mut Worksheet, results: &Results, styles: &Styles) -> Result<(), XlsxError> {
    let goals = results.goals();
    let value_columns = fan_columns(results);
    let mut columns = vec![("year".to_string(), 8.0)];
    for &(goal, value) in &value_columns {
        columns.push((
            format!("{}: {} (USD bn)", goals[goal].label, value.name()),
            18.0,
        ));
    }
    let headers: Vec<(&str, f64)> = columns.iter().map(|(t, w)| (t.as_str(), *w)).collect();
    start_table(sheet, FAN_SHEET, &headers, styles)?;
    let mut last_row = 0;
    for (row, year) in (1..).zip(results.years()) {
        sheet.write_number_with_format(row, 0, year, &styles.year)?;
        for (col, &(goal, value)) in (1..).zip(&value_columns) {
            let Some(r) = results.row(&goals[goal].id, year, FAN_GROUP, None, Metric::CoreMusd)
            else {
                continue;
            };
            let musd = match value.percentile() {
                None => Some(r.plan),
                Some(k) => r.stats.as_ref().map(|s| s.percentiles[k]),
            };
            if let Some(musd) = musd {
                sheet.write_number_with_format(row, col, musd / 1000.0, &styles.one_decimal)?;
            }
        }
        last_row = row;
    }
    let has_rows = goals.first().is_some_and(|g| {
        !results
            .group_series(&g.id, FAN_GROUP, Metric::CoreMusd)
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
            "NATO core defence spending: median (solid), P10 and P90 (dashed) of {} runs; plan, pledge met in full and on time (dotted)",
            results.runs
        )
    } else {
        "NATO core defence spending: plan, pledge met in full and on time".to_string()
    };
    chart.title().set_name(title.as_str());
    chart.x_axis().set_name("Year");
    chart
        .y_axis()
        .set_name(format!("USD bn, constant {base} prices").as_str())
        .set_num_format("#,##0");
    chart.legend().set_position(ChartLegendPosition::Bottom);
    chart.set_width(900).set_height(520);
    let chart_col = ColNum::try_from(headers.len() + 1).unwrap_or(ColNum::MAX);
    sheet.insert_chart(1, chart_col, &chart)?;
    Ok(())
}
