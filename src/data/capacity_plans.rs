//! Announced capacity plans (MODEL.md v2, section 4): one row per production line and year,
//! `item,year,capacity`, with the basis, reliability grade and source of each announcement.
//! The scenario attaches them to its items ([`super::Item::capacity_plan`]).

use super::csv_table::CsvTable;
use crate::bounds;
use crate::error::{InputError, Location};
use serde::Serialize;

/// The columns of a capacity plans CSV, in the order `pledge data capacity-plans --format csv`
/// writes them.
pub const CAPACITY_PLAN_COLUMNS: [&str; 8] = [
    "item",
    "year",
    "capacity",
    "basis",
    "reliability",
    "note",
    "source",
    "date",
];
const REQUIRED: [&str; 3] = ["item", "year", "capacity"];

/// One announced capacity of one line.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CapacityPlanRow {
    /// The item's id.
    pub item: String,
    /// The year the capacity is announced for.
    pub year: i32,
    /// Announced capacity, units per year.
    pub capacity: f64,
    /// `target`, `framework`, ...: what kind of announcement it is.
    pub basis: String,
    /// Reliability grade of the source (A official, B major press, C weak).
    pub reliability: String,
    /// What was announced, and how the figure was derived.
    pub note: String,
    /// Where it comes from.
    pub source: String,
    /// When it was announced.
    pub date: String,
    /// Where the row is, for messages about it.
    #[serde(skip)]
    pub origin: Location,
}

/// Parses a capacity plans CSV. Each year must come after `base_year`, and each (item, year)
/// appear once; whether the items exist is checked against the scenario's items.
pub fn parse_capacity_plans(
    file: &str,
    text: &str,
    base_year: i32,
) -> Result<Vec<CapacityPlanRow>, InputError> {
    let optional: Vec<&str> = CAPACITY_PLAN_COLUMNS
        .iter()
        .copied()
        .filter(|c| !REQUIRED.contains(c))
        .collect();
    let table = CsvTable::parse(file, text, &REQUIRED, &optional)?;
    let mut rows: Vec<CapacityPlanRow> = Vec::new();
    for row in table.rows() {
        let item = row.required_text("item")?.to_string();
        let year_text = row.required_text("year")?;
        let year = year_text
            .parse::<i32>()
            .ok()
            .filter(|y| *y > base_year && i64::from(*y) <= bounds::LAST_YEAR)
            .ok_or_else(|| {
                row.error(
                    "year",
                    format!(
                        "'{year_text}' is not allowed; expected a year from {} to {} (announced plans lie after the base year {base_year})",
                        base_year + 1,
                        bounds::LAST_YEAR
                    ),
                )
            })?;
        if rows.iter().any(|r| r.item == item && r.year == year) {
            return Err(row.error(
                "year",
                format!("item '{item}' has two rows for {year}; give each year once"),
            ));
        }
        rows.push(CapacityPlanRow {
            capacity: row.number("capacity", bounds::CAPACITY_UNITS_PER_YEAR)?,
            basis: row.text("basis").to_string(),
            reliability: row.text("reliability").to_string(),
            note: row.text("note").to_string(),
            source: row.text("source").to_string(),
            date: row.text("date").to_string(),
            origin: row.location("item"),
            item,
            year,
        });
    }
    Ok(rows)
}

/// A row as the cells of [`CAPACITY_PLAN_COLUMNS`].
pub(crate) fn capacity_plan_record(r: &CapacityPlanRow) -> [String; 8] {
    [
        r.item.clone(),
        r.year.to_string(),
        r.capacity.to_string(),
        r.basis.clone(),
        r.reliability.clone(),
        r.note.clone(),
        r.source.clone(),
        r.date.clone(),
    ]
}

/// Writes rows as CSV with [`CAPACITY_PLAN_COLUMNS`], readable again by
/// [`parse_capacity_plans`].
pub fn capacity_plans_to_csv(rows: &[CapacityPlanRow]) -> Vec<u8> {
    super::records_to_csv(
        &CAPACITY_PLAN_COLUMNS,
        rows.iter().map(capacity_plan_record),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::builtin;

    #[test]
    fn builtin_plans_parse_and_round_trip() {
        let rows = parse_capacity_plans("c.csv", builtin::CAPACITY_PLANS_CSV, 2025).unwrap();
        assert_eq!(rows.len(), 5);
        assert_eq!((rows[0].item.as_str(), rows[0].year), ("shell155_us", 2026));
        assert_eq!(rows[0].capacity, 840_000.0);
        let csv = capacity_plans_to_csv(&rows);
        let again = parse_capacity_plans("c.csv", std::str::from_utf8(&csv).unwrap(), 2025);
        assert_eq!(again.unwrap(), rows);
    }

    #[test]
    fn a_year_at_or_before_the_base_year_is_refused() {
        let err = parse_capacity_plans("c.csv", "item,year,capacity\nx,2025,10\n", 2025)
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
        let text = "item,year,capacity\nx,2027,10\nx,2027,12\n";
        let err = parse_capacity_plans("c.csv", text, 2025)
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with("c.csv:3:2: column 'year': item 'x' has two rows for 2027"),
            "{err}"
        );
    }
}
