//! NATO's record, 2014 onwards (`history.csv`, MODEL.md v2 section 9): per ally and year the
//! defence share of GDP, the equipment share, defence spending and GDP, as NATO's official
//! tables give them. Empty cells are figures NATO does not publish (Iceland has no armed
//! forces).

use super::csv_table::CsvTable;
use crate::bounds;
use crate::error::{InputError, Location};
use crate::input;
use serde::Serialize;
use std::collections::BTreeSet;

/// The columns of a history CSV, in the order `pledge data import-nato` writes them.
pub const HISTORY_COLUMNS: [&str; 8] = [
    "iso3",
    "year",
    "estimate",
    "defence_pct_gdp",
    "equipment_pct",
    "defence_usd_m_current",
    "gdp_usd_m_current",
    "gdp_usd_m_constant2015",
];

/// One ally's figures for one year.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HistoryRow {
    /// ISO 3166 alpha-3 code.
    pub iso3: String,
    /// Calendar year.
    pub year: i32,
    /// True when NATO marks the year's figures as estimates.
    pub estimate: bool,
    /// Defence expenditure, % of GDP (NATO Table 3).
    pub defence_pct_gdp: Option<f64>,
    /// Equipment expenditure, % of defence expenditure (NATO Table 8a).
    pub equipment_pct: Option<f64>,
    /// Defence expenditure, current USD millions (NATO Table 2).
    pub defence_usd_m_current: Option<f64>,
    /// GDP, current USD millions (NATO Table 5).
    pub gdp_usd_m_current: Option<f64>,
    /// GDP at constant 2015 prices and exchange rates, USD millions (NATO Table 5).
    pub gdp_usd_m_constant2015: Option<f64>,
    /// Where the row is, for messages about it.
    #[serde(skip)]
    pub origin: Location,
}

/// Parses a history CSV. Each (ally, year) appears once.
pub fn parse_history(file: &str, text: &str) -> Result<Vec<HistoryRow>, InputError> {
    let table = CsvTable::parse(file, text, &HISTORY_COLUMNS, &[])?;
    let mut rows: Vec<HistoryRow> = Vec::new();
    let mut seen = BTreeSet::new();
    for row in table.rows() {
        let iso3 = row.required_text("iso3")?.to_string();
        let year_text = row.required_text("year")?;
        let year = year_text
            .parse::<i32>()
            .ok()
            .filter(|y| (1949..=bounds::LAST_YEAR as i32).contains(y))
            .ok_or_else(|| {
                row.error(
                    "year",
                    format!(
                        "'{}' is not a year; expected a year from 1949 to {}",
                        input::shown(year_text),
                        bounds::LAST_YEAR
                    ),
                )
            })?;
        if !seen.insert((iso3.clone(), year)) {
            return Err(row.error(
                "year",
                format!(
                    "{} has two rows for {year}; give each year once",
                    input::shown(&iso3)
                ),
            ));
        }
        let estimate = match row.text("estimate") {
            "0" | "" => false,
            "1" => true,
            other => {
                return Err(row.error(
                    "estimate",
                    format!(
                        "'{}' is not allowed; expected 1 (an estimate) or 0",
                        input::shown(other)
                    ),
                ));
            }
        };
        rows.push(HistoryRow {
            estimate,
            defence_pct_gdp: row.optional_number("defence_pct_gdp", bounds::PCT_GDP)?,
            equipment_pct: row.optional_number("equipment_pct", bounds::PCT_OF_DEFENCE)?,
            defence_usd_m_current: row
                .optional_number("defence_usd_m_current", bounds::USD_MILLIONS)?,
            gdp_usd_m_current: row.optional_number("gdp_usd_m_current", bounds::USD_MILLIONS)?,
            gdp_usd_m_constant2015: row
                .optional_number("gdp_usd_m_constant2015", bounds::USD_MILLIONS)?,
            origin: row.location("iso3"),
            iso3,
            year,
        });
    }
    Ok(rows)
}

/// A row as the cells of [`HISTORY_COLUMNS`], at the builtin file's precision: shares of GDP
/// to 4 decimals, equipment shares to 2, money to 1 (USD 0.1 million). An absent figure is an
/// empty cell.
pub(crate) fn history_record(r: &HistoryRow) -> [String; 8] {
    let cell =
        |v: Option<f64>, decimals: usize| v.map_or(String::new(), |v| format!("{v:.decimals$}"));
    [
        r.iso3.clone(),
        r.year.to_string(),
        u8::from(r.estimate).to_string(),
        cell(r.defence_pct_gdp, 4),
        cell(r.equipment_pct, 2),
        cell(r.defence_usd_m_current, 1),
        cell(r.gdp_usd_m_current, 1),
        cell(r.gdp_usd_m_constant2015, 1),
    ]
}

/// Writes rows as CSV with [`HISTORY_COLUMNS`], readable again by [`parse_history`].
pub fn history_to_csv(rows: &[HistoryRow]) -> Vec<u8> {
    super::records_to_csv(&HISTORY_COLUMNS, rows.iter().map(history_record))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::builtin;

    #[test]
    fn builtin_history_parses_and_round_trips() {
        let rows = parse_history("h.csv", builtin::HISTORY_CSV).unwrap();
        assert_eq!(rows.len(), 32 * 11);
        let usa_2014 = rows
            .iter()
            .find(|r| r.iso3 == "USA" && r.year == 2014)
            .unwrap();
        assert_eq!(usa_2014.defence_pct_gdp, Some(3.7139));
        assert!(!usa_2014.estimate);
        let iceland = rows.iter().find(|r| r.iso3 == "ISL").unwrap();
        assert_eq!(iceland.defence_pct_gdp, None);
        // Written back at the builtin precision, the file is the same to the byte.
        assert_eq!(
            std::str::from_utf8(&history_to_csv(&rows)).unwrap(),
            builtin::HISTORY_CSV
        );
    }
}
