//! The Sensitivity sheet: per goal and headline output, the three inputs that move it most
//! with their rank correlations ([`tables::sensitivity`], the page's table, here for every
//! goal), then every input of every output with its tornado, as in `sensitivity.csv`.

use super::{SENSITIVITY_SHEET, Styles, table};
use crate::output::SENSITIVITY_COLUMNS;
use crate::report::tables;
use crate::results::{Results, Sensitivity};
use rust_xlsxwriter::{Worksheet, XlsxError};

/// The Sensitivity sheet.
pub(super) fn sensitivity_sheet(
    sheet: &mut Worksheet,
    results: &Results,
    sensitivity: Option<&Sensitivity>,
    styles: &Styles,
) -> Result<(), XlsxError> {
    sheet.set_name(SENSITIVITY_SHEET)?;
    let goals: Vec<&str> = results.goals().iter().map(|g| g.id.as_str()).collect();
    let top = tables::sensitivity(results, sensitivity, &goals);
    let mut row = table::write_titled(sheet, 0, &top, styles)?;
    let Some(s) = sensitivity else {
        return Ok(());
    };
    row += 1;
    sheet.write_string_with_format(row, 0, "Every input (sensitivity.csv)", &styles.bold)?;
    row += 1;
    for (col, name) in (0..).zip(SENSITIVITY_COLUMNS) {
        sheet.write_string_with_format(row, col, name, &styles.header)?;
    }
    for output in &s.outputs {
        let name = output.name();
        for (rank, d) in output.drivers.iter().enumerate() {
            row += 1;
            sheet.write_string(row, 0, &output.goal)?;
            sheet.write_string(row, 1, &name)?;
            sheet.write_number_with_format(row, 2, f64::from(output.year), &styles.year)?;
            sheet.write_string(row, 3, output.when.as_str())?;
            sheet.write_string(row, 4, &s.input(d).name)?;
            sheet.write_number_with_format(row, 5, d.rank_correlation, &styles.four_decimals)?;
            sheet.write_number(row, 6, d.tornado_low)?;
            sheet.write_number(row, 7, d.tornado_high)?;
            sheet.write_number(row, 8, d.swing())?;
            sheet.write_number(row, 9, (rank + 1) as f64)?;
            sheet.write_string(row, 10, output.measure.as_str())?;
        }
    }
    Ok(())
}
