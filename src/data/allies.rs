//! Allies: one row per ally with GDP, defence share, equipment share and growth (MODEL.md
//! section 2), parsed from CSV with every value range-checked.

use super::csv_table::CsvTable;
use crate::bounds;
use crate::error::{InputError, Location};
use crate::input;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// The columns of an allies CSV, in the order `pledge data allies --format csv` writes them.
pub const ALLY_COLUMNS: [&str; 11] = [
    "iso3",
    "name",
    "eu",
    "region",
    "gdp_usd_bn",
    "defence_pct_gdp",
    "equipment_pct",
    "growth_mean_pct",
    "growth_sd_pct",
    "equipment_basis",
    "source",
];
const OPTIONAL: [&str; 2] = ["equipment_basis", "source"];

/// Where an ally is, for the builtin `europe` and `north_america` groups.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Region {
    /// Europe (including Türkiye).
    Europe,
    /// The United States and Canada.
    NorthAmerica,
}

impl Region {
    /// The spelling used in files.
    pub fn as_str(self) -> &'static str {
        match self {
            Region::Europe => "europe",
            Region::NorthAmerica => "north_america",
        }
    }
}

/// One ally's base-year figures.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Ally {
    /// ISO 3166 alpha-3 code, the key.
    pub iso3: String,
    /// Display name.
    pub name: String,
    /// Member of the European Union.
    pub eu: bool,
    /// Region.
    pub region: Region,
    /// GDP in the base year, current USD billions.
    pub gdp_usd_bn: f64,
    /// Defence expenditure in the base year, % of GDP (NATO definition).
    pub defence_pct_gdp: f64,
    /// Share of defence expenditure on major equipment incl. R&D, %.
    pub equipment_pct: f64,
    /// Mean annual real GDP growth, %.
    pub growth_mean_pct: f64,
    /// Standard deviation of annual real GDP growth, percentage points.
    pub growth_sd_pct: f64,
    /// `reported`, `imputed` or `n/a`: how the equipment share was found.
    pub equipment_basis: String,
    /// Where the figures come from.
    pub source: String,
}

/// Parses and validates an allies CSV. `file` names it in error messages.
pub fn parse_allies(file: &str, text: &str) -> Result<Vec<Ally>, InputError> {
    let required = &ALLY_COLUMNS[..ALLY_COLUMNS.len() - OPTIONAL.len()];
    let table = CsvTable::parse(file, text, required, &OPTIONAL)?;
    let mut allies: Vec<Ally> = Vec::new();
    let mut codes = BTreeSet::new();
    for row in table.rows() {
        if allies.len() == bounds::MAX_ALLIES {
            return Err(row.error(
                "iso3",
                format!(
                    "more than {} allies; a dataset lists at most {} (ISO 3166 has 249 countries)",
                    bounds::MAX_ALLIES,
                    bounds::MAX_ALLIES
                ),
            ));
        }
        let iso3 = row.required_text("iso3")?;
        if iso3.len() != 3 || !iso3.bytes().all(|b| b.is_ascii_uppercase()) {
            return Err(row.error(
                "iso3",
                format!("'{}' is not an ISO 3166 alpha-3 code; expected three capital letters such as DEU", input::shown(iso3)),
            ));
        }
        if !codes.insert(iso3.to_string()) {
            return Err(row.error("iso3", format!("'{iso3}' appears twice; each ally once")));
        }
        let eu = match row.required_text("eu")? {
            "1" | "true" | "TRUE" => true,
            "0" | "false" | "FALSE" => false,
            other => {
                return Err(row.error(
                    "eu",
                    format!(
                        "'{}' is not allowed; expected 1 (EU member) or 0",
                        input::shown(other)
                    ),
                ));
            }
        };
        let region = match row.required_text("region")? {
            "europe" => Region::Europe,
            "north_america" => Region::NorthAmerica,
            other => {
                return Err(row.error(
                    "region",
                    format!(
                        "'{}' is not allowed; expected europe or north_america",
                        input::shown(other)
                    ),
                ));
            }
        };
        allies.push(Ally {
            iso3: iso3.to_string(),
            name: row.required_text("name")?.to_string(),
            eu,
            region,
            gdp_usd_bn: row.number("gdp_usd_bn", bounds::GDP_USD_BN)?,
            defence_pct_gdp: row.number("defence_pct_gdp", bounds::PCT_GDP)?,
            equipment_pct: row.number("equipment_pct", bounds::PCT_OF_DEFENCE)?,
            growth_mean_pct: row.number("growth_mean_pct", bounds::GROWTH_MEAN_PCT)?,
            growth_sd_pct: row.number("growth_sd_pct", bounds::GROWTH_SD_PCT)?,
            equipment_basis: row.text("equipment_basis").to_string(),
            source: row.free_text("source"),
        });
    }
    if allies.is_empty() {
        return Err(InputError::invalid(
            Location::file(table.file()),
            "lists no allies",
        ));
    }
    Ok(allies)
}

/// An ally as the cells of [`ALLY_COLUMNS`].
pub(crate) fn ally_record(a: &Ally) -> [String; 11] {
    [
        a.iso3.clone(),
        a.name.clone(),
        if a.eu { "1" } else { "0" }.to_string(),
        a.region.as_str().to_string(),
        a.gdp_usd_bn.to_string(),
        a.defence_pct_gdp.to_string(),
        a.equipment_pct.to_string(),
        a.growth_mean_pct.to_string(),
        a.growth_sd_pct.to_string(),
        a.equipment_basis.clone(),
        a.source.clone(),
    ]
}

/// Writes allies as CSV with [`ALLY_COLUMNS`], readable again by [`parse_allies`].
pub fn allies_to_csv(allies: &[Ally]) -> Vec<u8> {
    super::records_to_csv(&ALLY_COLUMNS, allies.iter().map(ally_record))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::builtin;

    #[test]
    fn builtin_allies_parse_and_round_trip_through_csv() {
        let allies = parse_allies("allies.csv", builtin::ALLIES_CSV).unwrap();
        assert_eq!(allies.len(), 32);
        assert_eq!(allies.iter().filter(|a| a.eu).count(), 23);
        let again = parse_allies(
            "again.csv",
            std::str::from_utf8(&allies_to_csv(&allies)).unwrap(),
        )
        .unwrap();
        assert_eq!(allies, again);
    }

    #[test]
    fn bad_cells_are_located_by_line_and_column() {
        let text = "iso3,name,eu,region,gdp_usd_bn,defence_pct_gdp,equipment_pct,growth_mean_pct,growth_sd_pct\n\
                    AAA,A,1,europe,100,2,20,1,1\n\
                    BBB,B,1,europe,-5,2,20,1,1\n";
        let err = parse_allies("toy.csv", text).unwrap_err().to_string();
        assert!(
            err.starts_with("toy.csv:3:5: column 'gdp_usd_bn': -5 is out of range"),
            "{err}"
        );

        let unknown = text.replace("growth_sd_pct", "growth_sd");
        let err = parse_allies("toy.csv", &unknown).unwrap_err().to_string();
        assert!(
            err.contains("toy.csv:1:9: unknown column 'growth_sd'"),
            "{err}"
        );
    }
}
