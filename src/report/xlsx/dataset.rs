//! The Allies and Items sheets: the dataset's allies and the scenario's items, column for
//! column as in their CSV files, numbers as numbers; Items adds `alpha_used`, the `alpha` the
//! model ran with.

use super::{ALLIES_SHEET, ITEMS_SHEET, MAX_ROW, Styles, cut, last_col, start_table};
use crate::data::Purchase;
use crate::results::Results;
use crate::text::grouped;
use rust_xlsxwriter::{ColNum, RowNum, Worksheet, XlsxError};

/// The Allies sheet.
pub(super) fn allies_sheet(
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

/// The Items sheet.
pub(super) fn items_sheet(
    sheet: &mut Worksheet,
    results: &Results,
    styles: &Styles,
) -> Result<(), XlsxError> {
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
