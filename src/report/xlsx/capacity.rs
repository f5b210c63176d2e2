//! The Capacity sheet: the capacity planning table ([`tables::capacity`], the page's too),
//! then `capacity.csv` row for row ([`capacity_rows`]): every measure per goal, line, basis
//! and year, numbers as numbers, empty cells where the CSV is empty.

use super::{MAX_ROW, Styles, table};
use crate::output::{CAPACITY_COLUMNS, capacity_rows};
use crate::report::tables;
use crate::results::Results;
use crate::results::capacity::planning;
use rust_xlsxwriter::{Worksheet, XlsxError};

/// Sheet of capacity planning.
pub const CAPACITY_SHEET: &str = "Capacity";

/// The Capacity sheet.
pub(super) fn capacity_sheet(
    sheet: &mut Worksheet,
    results: &Results,
    styles: &Styles,
) -> Result<(), XlsxError> {
    sheet.set_name(CAPACITY_SHEET)?;
    let mut row = table::write_titled(sheet, 0, &tables::capacity(results), styles)?;
    row += 1;
    sheet.write_string_with_format(
        row,
        0,
        "capacity.csv, row for row: every measure per goal, line, basis and year",
        &styles.bold,
    )?;
    row += 1;
    for (col, name) in (0..).zip(CAPACITY_COLUMNS) {
        sheet.write_string_with_format(row, col, name, &styles.header)?;
    }
    let planning = planning(results);
    let rows = capacity_rows(&planning);
    // One row is kept for the note that the rest is in the CSV.
    let room = usize::try_from(MAX_ROW - row - 1).unwrap_or(0);
    let text = |sheet: &mut Worksheet, row, col, value: &str| -> Result<(), XlsxError> {
        if !value.is_empty() {
            sheet.write_string(row, col, value)?;
        }
        Ok(())
    };
    for r in rows.iter().take(room) {
        row += 1;
        text(sheet, row, 0, r.goal)?;
        text(sheet, row, 1, r.item)?;
        text(sheet, row, 2, r.basis)?;
        text(sheet, row, 3, r.measure)?;
        if let Some(year) = r.year {
            sheet.write_number(row, 4, year)?;
        }
        if let Some(value) = r.value {
            sheet.write_number_with_format(row, 5, value, &styles.flexible)?;
        }
        text(sheet, row, 6, r.note)?;
    }
    if rows.len() > room {
        sheet.write_string(
            row + 1,
            0,
            "continued in capacity.csv: more rows than a sheet holds",
        )?;
    }
    Ok(())
}
