//! The Per ally sheet: the scenario's title, then the per-ally table ([`tables::allies`], the
//! page's too) with its title and notes (what each column is, how the shares are taken, and in
//! another currency than the dollar the rate and its source). The headings are frozen, with
//! the goal, the ally and its code, so that the numbers of 32 allies under every goal can be
//! scrolled, sorted and filtered.

use super::{PER_ALLY_SHEET, Styles, cut, table};
use crate::data::currency::Currency;
use crate::report::tables;
use crate::results::Results;
use rust_xlsxwriter::{Worksheet, XlsxError};

/// The row of the table's title; the scenario's title is above it.
const TITLE_ROW: u32 = 2;

/// The Per ally sheet.
pub(super) fn per_ally_sheet(
    sheet: &mut Worksheet,
    results: &Results,
    currency: Currency,
    styles: &Styles,
) -> Result<(), XlsxError> {
    sheet.set_name(PER_ALLY_SHEET)?;
    sheet.write_string_with_format(0, 0, cut(&results.scenario.title), &styles.bold)?;
    let allies = tables::allies(results, currency);
    let notes = u32::try_from(allies.notes.len()).expect("a few notes");
    table::write_titled(sheet, TITLE_ROW, &allies, styles)?;
    // Headings, then goal, ally and code, stay in view.
    sheet.set_freeze_panes(TITLE_ROW + 1 + notes + 1, 3)?;
    Ok(())
}
