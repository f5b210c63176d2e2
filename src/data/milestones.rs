//! Milestone tables (MODEL.md v2): one row per key and year with a value, and the basis,
//! reliability grade, note, source and date of each figure. Two tables have this shape:
//! announced capacity plans (`capacity_plans.csv`: `item,year,capacity`) and allies' declared
//! spending paths (`plans.csv`: `iso3,year,core_pct`).

use super::csv_table::CsvTable;
use crate::bounds::{self, Bound};
use crate::error::{InputError, Location};
use crate::input;
use std::collections::BTreeSet;

/// The shape of one milestone table.
#[derive(Debug, Clone, Copy)]
pub struct MilestoneKind {
    /// What the table holds, for messages: "announced capacity".
    pub what: &'static str,
    /// The column of the key (an item id or an ally's ISO3 code).
    pub key: &'static str,
    /// The column of the value.
    pub value: &'static str,
    /// The range of the value.
    pub bound: Bound,
    /// Every column, in the order `pledge data` writes them.
    pub columns: [&'static str; 8],
}

/// Announced capacity plans: `item,year,capacity` in units per year.
pub const CAPACITY_PLANS: MilestoneKind = MilestoneKind {
    what: "announced capacity",
    key: "item",
    value: "capacity",
    bound: bounds::CAPACITY_UNITS_PER_YEAR,
    columns: [
        "item",
        "year",
        "capacity",
        "basis",
        "reliability",
        "note",
        "source",
        "date",
    ],
};

/// Allies' declared defence-spending paths: `iso3,year,core_pct` in % of GDP.
pub const DECLARED_PLANS: MilestoneKind = MilestoneKind {
    what: "declared core share",
    key: "iso3",
    value: "core_pct",
    bound: bounds::PCT_GDP,
    columns: [
        "iso3",
        "year",
        "core_pct",
        "basis",
        "reliability",
        "note",
        "source",
        "date",
    ],
};

/// The text columns after the value, in order.
const DETAILS: [&str; 5] = ["basis", "reliability", "note", "source", "date"];

/// One milestone: `value` for `key` in `year`.
#[derive(Debug, Clone, PartialEq)]
pub struct Milestone {
    /// The item id or ISO3 code.
    pub key: String,
    /// The year, after the base year.
    pub year: i32,
    /// The value.
    pub value: f64,
    /// Basis, reliability, note, source and date, as given.
    pub details: [String; 5],
    /// Where the row is, for messages about it.
    pub origin: Location,
}

/// Parses a milestone table of `kind`. Each year must come after `base_year`, and each (key,
/// year) appear once; whether the keys exist is checked against the scenario.
pub fn parse_milestones(
    kind: &MilestoneKind,
    file: &str,
    text: &str,
    base_year: i32,
) -> Result<Vec<Milestone>, InputError> {
    let required = [kind.key, "year", kind.value];
    let table = CsvTable::parse(file, text, &required, &DETAILS)?;
    let mut rows: Vec<Milestone> = Vec::new();
    let mut seen = BTreeSet::new();
    for row in table.rows() {
        let key = row.required_text(kind.key)?.to_string();
        let year_text = row.required_text("year")?;
        let year = year_text
            .parse::<i32>()
            .ok()
            .filter(|y| *y > base_year && i64::from(*y) <= bounds::LAST_YEAR)
            .ok_or_else(|| {
                row.error(
                    "year",
                    format!(
                        "'{}' is not allowed; expected a year from {} to {} (a {} lies after the base year {base_year})",
                        input::shown(year_text),
                        base_year + 1,
                        bounds::LAST_YEAR,
                        kind.what
                    ),
                )
            })?;
        if !seen.insert((key.clone(), year)) {
            return Err(row.error(
                "year",
                format!(
                    "'{}' has two rows for {year}; give each year once",
                    input::shown(&key)
                ),
            ));
        }
        rows.push(Milestone {
            value: row.number(kind.value, kind.bound)?,
            details: DETAILS.map(|c| row.free_text(c)),
            origin: row.location(kind.key),
            key,
            year,
        });
    }
    Ok(rows)
}

/// A row as the cells of `kind.columns`.
pub(crate) fn milestone_record(m: &Milestone) -> [String; 8] {
    let [basis, reliability, note, source, date] = m.details.clone();
    [
        m.key.clone(),
        m.year.to_string(),
        m.value.to_string(),
        basis,
        reliability,
        note,
        source,
        date,
    ]
}

/// Writes rows as CSV with `kind.columns`, readable again by [`parse_milestones`].
pub fn milestones_to_csv(kind: &MilestoneKind, rows: &[Milestone]) -> Vec<u8> {
    super::records_to_csv(&kind.columns, rows.iter().map(milestone_record))
}

/// Rows as a JSON array of objects keyed by `kind.columns`, year and value as numbers.
pub fn milestones_to_json(kind: &MilestoneKind, rows: &[Milestone]) -> serde_json::Value {
    rows.iter()
        .map(|m| {
            let mut object = serde_json::Map::new();
            for (column, cell) in kind.columns.iter().zip(milestone_record(m)) {
                let value = match *column {
                    "year" => serde_json::json!(m.year),
                    c if c == kind.value => serde_json::json!(m.value),
                    _ => serde_json::Value::String(cell),
                };
                object.insert(column.to_string(), value);
            }
            serde_json::Value::Object(object)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::builtin;

    #[test]
    fn builtin_tables_parse_and_round_trip() {
        for (kind, text, rows) in [
            (&CAPACITY_PLANS, builtin::CAPACITY_PLANS_CSV, 5),
            (&DECLARED_PLANS, builtin::PLANS_CSV, 52),
        ] {
            let parsed = parse_milestones(kind, "m.csv", text, 2025).unwrap();
            assert_eq!(parsed.len(), rows);
            let csv = milestones_to_csv(kind, &parsed);
            let again = parse_milestones(kind, "m.csv", std::str::from_utf8(&csv).unwrap(), 2025);
            assert_eq!(again.unwrap(), parsed);
        }
        let plans = parse_milestones(&CAPACITY_PLANS, "c.csv", builtin::CAPACITY_PLANS_CSV, 2025);
        let first = &plans.unwrap()[0];
        assert_eq!(
            (first.key.as_str(), first.year, first.value),
            ("shell155_us", 2026, 840_000.0)
        );
    }

    #[test]
    fn a_year_at_or_before_the_base_year_is_refused() {
        let err = parse_milestones(
            &CAPACITY_PLANS,
            "c.csv",
            "item,year,capacity\nx,2025,10\n",
            2025,
        )
        .unwrap_err()
        .to_string();
        assert!(
            err.starts_with(
                "c.csv:2:2: column 'year': '2025' is not allowed; expected a year from 2026"
            ),
            "{err}"
        );
    }

    #[test]
    fn a_repeated_year_is_refused() {
        let text = "iso3,year,core_pct\nDEU,2027,3\nDEU,2027,3.5\n";
        let err = parse_milestones(&DECLARED_PLANS, "p.csv", text, 2025)
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with("p.csv:3:2: column 'year': 'DEU' has two rows for 2027"),
            "{err}"
        );
    }

    #[test]
    fn a_share_out_of_range_is_refused_with_what_is_allowed() {
        let text = "iso3,year,core_pct\nDEU,2027,120\n";
        let err = parse_milestones(&DECLARED_PLANS, "p.csv", text, 2025)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("column 'core_pct': 120 is out of range; expected a percentage of GDP"),
            "{err}"
        );
    }
}
