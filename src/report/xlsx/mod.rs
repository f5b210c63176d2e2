//! `pledge.xlsx`: the results as an Excel workbook, from [`Results`] alone.
//!
//! Sheets, in order:
//!
//! - **Headline**: per goal, NATO, Europe+Canada and the scenario's own groups: core spending
//!   in the horizon year and the extra over the reference, each as the median of the runs with
//!   P10 and P90, and the plan (the pledge met in full and on time) in columns of its own;
//!   the compliance assumption above the table; then the production lines whose probability
//!   of demand above capacity reaches 10% in some year, as in the terminal. Both tables are
//!   the page's too, built once in [`super::tables`] and written here by `table.rs`.
//! - **Per ally**: per goal and ally, core spending in the base year and the horizon year
//!   (median, P10, P90, plan), the increase and the shares of the NATO and Europe+Canada
//!   totals: [`super::tables::allies`], the page's table too.
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
//! - **Sensitivity**: per goal and headline output, its three main drivers, then every input
//!   with its tornado as in `sensitivity.csv` (none without runs).
//! - **Capacity**: the capacity planning table (the page's too), then `capacity.csv` row for row.
//!
//! One file a sheet (`headline.rs`, `per_ally.rs`, `summary.rs`, `dataset.rs` for Allies and
//! Items, `assumptions.rs`, `sources.rs`, `fan.rs`, `capacity.rs`); this one holds the
//! workbook and what the sheets share. Nothing here computes a statistic; the only arithmetic
//! is USD millions to billions, in the currency asked for on the report sheets (Headline, Per
//! ally, Spending fan); the sheets that copy the results and the data (Summary, Allies, Items,
//! Assumptions) keep their US dollars, the unit their column names state.
//! The creation date in the document properties is fixed, so the same results give the same
//! bytes.

mod assumptions;
mod capacity;
mod dataset;
mod fan;
mod headline;
mod per_ally;
mod sensitivity;
mod sources;
mod summary;
mod table;

use super::{Currency, Results};
pub use capacity::CAPACITY_SHEET;
use rust_xlsxwriter::{
    ColNum, DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, RowNum, Workbook,
    Worksheet, XlsxError,
};
use std::borrow::Cow;

/// Sheet of the headline numbers.
pub const HEADLINE_SHEET: &str = "Headline";
/// Sheet of the per-ally table.
pub const PER_ALLY_SHEET: &str = "Per ally";
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
/// Sheet of the sensitivity.
pub const SENSITIVITY_SHEET: &str = "Sensitivity";
/// Sheet of the spending fan chart and its data.
pub const FAN_SHEET: &str = "Spending fan";

/// Excel's last row index (1,048,576 rows); a longer summary continues on "Summary 2", ...
const MAX_ROW: RowNum = 1_048_575;
/// Excel's longest cell text, in characters.
const MAX_TEXT_CHARS: usize = 32_767;

/// The workbook's bytes, or why they could not be made.
///
/// The workbook is made in memory: no temporary file. Every sheet name is fixed, every text
/// is cut to Excel's limit and every table is kept within Excel's rows, so rust_xlsxwriter
/// has nothing to refuse; should it refuse all the same, the error names the workbook and
/// says it is a bug in pledge, and the set of outputs is not written.
pub fn workbook(
    results: &Results,
    sensitivity: Option<&super::Sensitivity>,
    currency: Currency,
) -> std::io::Result<Vec<u8>> {
    build(results, sensitivity, currency).map_err(|error| match error {
        XlsxError::IoError(error) => {
            std::io::Error::new(error.kind(), format!("pledge.xlsx: {error}"))
        }
        other => std::io::Error::other(format!(
            "pledge.xlsx: rust_xlsxwriter refused the workbook (a bug in pledge): {other}"
        )),
    })
}

/// Cell formats shared by the sheets.
struct Styles {
    bold: Format,
    header: Format,
    wrap: Format,
    integer: Format,
    year: Format,
    one_decimal: Format,
    two_decimals: Format,
    four_decimals: Format,
    flexible: Format,
    percent: Format,
}

impl Styles {
    fn new() -> Styles {
        let number = |pattern: &str| Format::new().set_num_format(pattern);
        Styles {
            bold: Format::new().set_bold(),
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
            percent: number("0%"),
        }
    }
}

/// A workbook of one sheet, named `Table`, holding `table` from its first row, for tests that
/// compare the workbook's tables with the page's.
#[cfg(test)]
pub(crate) fn table_workbook(table: &super::tables::Table) -> Vec<u8> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("Table").expect("a valid name");
    table::write(sheet, 0, table, &Styles::new()).expect("a small table");
    book.save_to_buffer().expect("in memory")
}

/// Every sheet, in order, then the bytes.
fn build(
    results: &Results,
    sensitivity: Option<&super::Sensitivity>,
    currency: Currency,
) -> Result<Vec<u8>, XlsxError> {
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
    headline::headline_sheet(book.add_worksheet(), results, currency, &styles)?;
    per_ally::per_ally_sheet(book.add_worksheet(), results, currency, &styles)?;
    summary::summary_sheets(&mut book, results, &styles)?;
    dataset::allies_sheet(book.add_worksheet(), results, &styles)?;
    dataset::items_sheet(book.add_worksheet(), results, &styles)?;
    assumptions::assumptions_sheet(book.add_worksheet(), results, &styles)?;
    sources::sources_sheet(book.add_worksheet(), results, &styles)?;
    fan::fan_sheet(book.add_worksheet(), results, currency, &styles)?;
    sensitivity::sensitivity_sheet(book.add_worksheet(), results, sensitivity, &styles)?;
    capacity::capacity_sheet(book.add_worksheet(), results, &styles)?;
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

/// A value in the key-value sheets (Assumptions, Sources).
enum Value {
    Number(f64),
    Whole(u64),
    Text(String),
}
