//! The Summary sheet: `summary.csv` cell for cell, streamed in rust_xlsxwriter's low-memory
//! mode; past Excel's last row it continues on "Summary 2", "Summary 3", ...

use super::{MAX_ROW, SUMMARY_SHEET, Styles, last_col, start_table};
use crate::results::Results;
use crate::results::SUMMARY_COLUMNS;
use rust_xlsxwriter::{ColNum, RowNum, Workbook, XlsxError};

/// The Summary's first number column after the keys (`plan`).
const FIRST_VALUE_COL: ColNum = 5;

/// The Summary sheet, and as many more as its rows need.
pub(super) fn summary_sheets(
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
