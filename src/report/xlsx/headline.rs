//! The Headline sheet: the scenario's title, what the numbers are and the compliance assumed,
//! then the headline table ([`tables::headline`]) and the production lines at risk
//! ([`tables::risks`]), the page's tables too.

use super::{HEADLINE_SHEET, Styles, cut, table};
use crate::data::currency::Currency;
use crate::output::glance::compliance_text;
use crate::report::tables::{self, PLAN_HEADING};
use crate::results::Results;
use rust_xlsxwriter::{RowNum, Worksheet, XlsxError};

/// The row of the headline table's headings.
const TABLE_ROW: RowNum = 4;

/// The Headline sheet; in another currency than the dollar, the rate and its source on the
/// row above the table.
pub(super) fn headline_sheet(
    sheet: &mut Worksheet,
    results: &Results,
    currency: Currency,
    styles: &Styles,
) -> Result<(), XlsxError> {
    let s = &results.scenario;
    let b = s.base_year();
    let code = currency.code();
    sheet.set_name(HEADLINE_SHEET)?;
    sheet.write_string_with_format(0, 0, cut(&s.title), &styles.bold)?;
    let what = if results.has_statistics() {
        format!(
            "Median and P10 to P90 of {} Monte Carlo runs (seed {}), {code} billions at constant {b} prices. {PLAN_HEADING}: every ally on its goal by its target year and every announced capacity plan met; it is one path, not the middle of the runs, and can lie above P90.",
            results.runs, results.seed
        )
    } else {
        format!(
            "No Monte Carlo runs: the plan only, {code} billions at constant {b} prices. {PLAN_HEADING}: every ally on its goal by its target year and every announced capacity plan met."
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
    if let Some(note) = currency.rate_note() {
        sheet.write_string(TABLE_ROW - 1, 0, cut(&note))?;
    }
    // The sheet's name is the headline table's title.
    let row = table::write(
        sheet,
        TABLE_ROW,
        &tables::headline(results, currency),
        styles,
    )?;
    table::write_titled(sheet, row + 1, &tables::risks(results), styles)?;
    Ok(())
}
