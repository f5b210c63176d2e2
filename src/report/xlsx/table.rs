//! A [`Table`] of [`crate::report::tables`] on a sheet: one heading row, then the rows, the
//! group's label repeated on each, so that every row can be sorted and filtered alone.
//!
//! Every number has a cell of its own: a range fills two columns (`P10`, `P90`) and a value
//! with its share of GDP two (`USD bn`, `% of GDP`). A heading joins band, name and unit:
//! `Core spending 2035, median (USD bn)`; the plan's columns name the plan first,
//! `Plan: pledge met in full and on time: core spending 2035 (USD bn)`. Numbers are written in
//! the unit shown ([`Format::shown`]) with a number format that rounds them as the page does;
//! a missing number, or a remark in its place, leaves its cells empty, so that a number column
//! holds numbers only.

use super::{Styles, cut};
use crate::report::tables::{Cell, Column, Format, Number, Role, Table};
use rust_xlsxwriter::{ColNum, RowNum, Worksheet, XlsxError};

/// Writes the table's title in bold at `first_row`, each note on a row of its own below it,
/// then the table ([`write`]); returns the first row after it.
pub(super) fn write_titled(
    sheet: &mut Worksheet,
    first_row: RowNum,
    table: &Table,
    styles: &Styles,
) -> Result<RowNum, XlsxError> {
    sheet.write_string_with_format(first_row, 0, cut(&table.title), &styles.bold)?;
    let mut row = first_row + 1;
    for note in &table.notes {
        sheet.write_string(row, 0, cut(note))?;
        row += 1;
    }
    write(sheet, row, table, styles)
}

/// Writes the headings at `first_row` (setting the widths the columns state) and the rows
/// below; returns the first row after the table.
pub(super) fn write(
    sheet: &mut Worksheet,
    first_row: RowNum,
    table: &Table,
    styles: &Styles,
) -> Result<RowNum, XlsxError> {
    let mut col: ColNum = 0;
    for column in &table.columns {
        for heading in headings(column) {
            sheet.write_string_with_format(first_row, col, cut(&heading), &styles.header)?;
            if let Some(width) = column.width {
                sheet.set_column_width(col, width)?;
            }
            col += 1;
        }
    }
    let mut row = first_row + 1;
    for group in &table.groups {
        if group.rows.is_empty() {
            if let Some(empty) = &group.empty {
                sheet.write_string(row, 0, cut(&group.label.text))?;
                sheet.write_string(row, 1, cut(empty))?;
                row += 1;
            }
            continue;
        }
        for cells in &group.rows {
            sheet.write_string(row, 0, cut(&group.label.text))?;
            let mut at = 1;
            let mut col: ColNum = 1;
            for cell in cells {
                let covered = &table.columns[at..at + cell.span()];
                write_cell(sheet, row, col, cell, styles)?;
                at += cell.span();
                col += covered
                    .iter()
                    .map(|c| ColNum::try_from(c.parts().len()).expect("one or two"))
                    .sum::<ColNum>();
            }
            row += 1;
        }
    }
    Ok(row)
}

/// The headings of a column's parts, one per sheet column.
fn headings(column: &Column) -> Vec<String> {
    column
        .parts()
        .into_iter()
        .map(|(name, unit)| {
            let heading = match (&column.band, column.role) {
                (Some(band), Role::Plan) => format!("{name}: {}", lower_first(band)),
                (Some(band), _) => format!("{band}, {}", lower_first(name)),
                (None, _) => name.to_string(),
            };
            match unit {
                Some(unit) => format!("{heading} ({unit})"),
                None => heading,
            }
        })
        .collect()
}

/// `text` with its first letter in lower case: `Median` to `median`; `P10` stays (a name of
/// a percentile, not a word).
fn lower_first(text: &str) -> String {
    let mut chars = text.chars();
    match (chars.next(), chars.next()) {
        (Some(first), Some(second)) if !second.is_uppercase() && !second.is_ascii_digit() => first
            .to_lowercase()
            .chain(text[first.len_utf8()..].chars())
            .collect(),
        _ => text.to_string(),
    }
}

fn write_cell(
    sheet: &mut Worksheet,
    row: RowNum,
    col: ColNum,
    cell: &Cell,
    styles: &Styles,
) -> Result<(), XlsxError> {
    match cell {
        Cell::Text(text) => {
            sheet.write_string(row, col, cut(&text.text))?;
        }
        Cell::Number(n) => write_number(sheet, row, col, n, styles)?,
        Cell::Range { low, high, .. } => {
            write_number(sheet, row, col, low, styles)?;
            write_number(sheet, row, col + 1, high, styles)?;
        }
        Cell::WithShare { value, share } => {
            write_number(sheet, row, col, value, styles)?;
            if let Some(share) = share {
                write_number(sheet, row, col + 1, share, styles)?;
            }
        }
        Cell::Empty | Cell::Missing { .. } | Cell::Remark { .. } => {}
    }
    Ok(())
}

fn write_number(
    sheet: &mut Worksheet,
    row: RowNum,
    col: ColNum,
    n: &Number,
    styles: &Styles,
) -> Result<(), XlsxError> {
    let Some(value) = n.value else {
        return Ok(());
    };
    let format = match n.format {
        Format::Bn(_) | Format::SignedBn(_) | Format::OneDecimal => &styles.one_decimal,
        Format::PctGdp
        | Format::SharePct
        | Format::Correlation
        | Format::Bn2(_)
        | Format::SignedBn2(_) => &styles.two_decimals,
        Format::Probability => &styles.percent,
        Format::Year => &styles.year,
    };
    sheet.write_number_with_format(row, col, n.format.shown(value), format)?;
    Ok(())
}
