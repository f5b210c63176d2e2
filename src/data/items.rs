//! Items: production lines (shells, interceptors, vehicles, aircraft) with their cost, capacity
//! and who buys them (MODEL.md section 4, "Money to production demand"), parsed from CSV, and
//! their announced capacity plans (`capacity_plans.csv`, MODEL.md v2).

use super::csv_table::CsvTable;
use crate::bounds;
use crate::dist::Triangular;
use crate::error::{InputError, Location};
use crate::input;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// The columns of an items CSV, in the order `pledge data items --format csv` writes them.
pub const ITEM_COLUMNS: [&str; 16] = [
    "id",
    "label",
    "unit",
    "category",
    "buyers",
    "base_demand",
    "alpha",
    "unit_cost_musd",
    "cost_sigma",
    "capacity",
    "capacity_growth_min_pct",
    "capacity_growth_mode_pct",
    "capacity_growth_max_pct",
    "lead_years",
    "source",
    "notes",
];
const REQUIRED: [&str; 5] = ["id", "category", "buyers", "unit_cost_musd", "capacity"];
/// The unit of an item that names none.
pub const DEFAULT_UNIT: &str = "units";

/// Equipment spending category (MODEL.md section 4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    /// Land systems.
    Land,
    /// Aircraft.
    Air,
    /// Ships and submarines.
    Maritime,
    /// Air and missile defence.
    AirDefence,
    /// Munitions.
    Munitions,
    /// Everything else.
    Other,
}

impl Category {
    /// All categories, in the order of the `[mix]` table.
    pub const ALL: [Category; 6] = [
        Category::Land,
        Category::Air,
        Category::Maritime,
        Category::AirDefence,
        Category::Munitions,
        Category::Other,
    ];

    /// The spelling used in files.
    pub fn as_str(self) -> &'static str {
        match self {
            Category::Land => "land",
            Category::Air => "air",
            Category::Maritime => "maritime",
            Category::AirDefence => "air_defence",
            Category::Munitions => "munitions",
            Category::Other => "other",
        }
    }

    /// Position in [`Category::ALL`].
    pub fn index(self) -> usize {
        self as usize
    }

    /// Parses a file spelling, or says what is allowed.
    pub fn parse(text: &str) -> Result<Category, String> {
        Category::ALL
            .into_iter()
            .find(|c| c.as_str() == text)
            .ok_or_else(|| {
                format!(
                    "'{}' is not a category; expected one of {}",
                    input::shown(text),
                    Category::ALL.map(Category::as_str).join(", ")
                )
            })
    }
}

/// How an item's share of its buyers' category spending is set.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Purchase {
    /// The fraction `alpha` of the buyers' spending in the category, given directly.
    Alpha(f64),
    /// The units the buyers take in the base year; `alpha` is calibrated so that base-year
    /// demand equals it in every run (MODEL.md v2).
    BaseDemand(f64),
}

/// One announced capacity: `capacity` units a year in `year` (MODEL.md v2, section 4).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct PlanPoint {
    /// The year the capacity is announced for; after the base year.
    pub year: i32,
    /// Announced capacity, units per year.
    pub capacity: f64,
}

/// One production line.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Item {
    /// Short id, used in outputs.
    pub id: String,
    /// Display label.
    pub label: String,
    /// What one unit of output is ("rounds", "missiles"), for labels.
    pub unit: String,
    /// Equipment category it is bought from.
    pub category: Category,
    /// The group that buys it (a builtin group, a scenario group or an ally code).
    pub buyers: String,
    /// `alpha` or `base_demand`.
    pub purchase: Purchase,
    /// Unit cost in the base year, USD millions.
    pub unit_cost_musd: f64,
    /// Sigma of the lognormal unit-cost multiplier.
    pub cost_sigma: f64,
    /// Base-year capacity, units per year.
    pub capacity_units_per_year: f64,
    /// Capacity growth, % per year.
    pub capacity_growth_pct: Triangular,
    /// Years before capacity starts to grow.
    pub lead_years: f64,
    /// Announced capacities after the base year, in year order (empty: none).
    pub capacity_plan: Vec<PlanPoint>,
    /// The share of an announced increase delivered, when the item sets its own; `None`
    /// takes the scenario's `[capacity] plan_attainment`.
    pub plan_attainment: Option<Triangular>,
    /// Where the figures come from.
    pub source: String,
    /// Assumptions and caveats.
    pub notes: String,
    /// Where the item was defined, for messages about it.
    #[serde(skip)]
    pub origin: Location,
}

/// Parses and validates an items CSV. Buyers are checked later, against the scenario's groups.
pub fn parse_items(file: &str, text: &str) -> Result<Vec<Item>, InputError> {
    let optional: Vec<&str> = ITEM_COLUMNS
        .iter()
        .copied()
        .filter(|c| !REQUIRED.contains(c))
        .collect();
    let table = CsvTable::parse(file, text, &REQUIRED, &optional)?;
    let mut items: Vec<Item> = Vec::new();
    let mut ids = BTreeSet::new();
    for row in table.rows() {
        let id = row.required_text("id")?;
        if items.len() == bounds::MAX_ITEMS {
            return Err(row.error(
                "id",
                format!(
                    "more than {} items; a scenario has at most {}",
                    bounds::MAX_ITEMS,
                    bounds::MAX_ITEMS
                ),
            ));
        }
        super::check_id(id).map_err(|m| row.error("id", input::shown_in(&m, id)))?;
        if !ids.insert(id.to_string()) {
            return Err(row.error("id", format!("'{id}' appears twice; each item once")));
        }
        let category = Category::parse(row.required_text("category")?)
            .map_err(|m| row.error("category", m))?;
        let alpha = row.optional_number("alpha", bounds::ALPHA)?;
        let base_demand = row.optional_number("base_demand", bounds::BASE_DEMAND_UNITS)?;
        let purchase = match (alpha, base_demand) {
            (Some(a), None) => Purchase::Alpha(a),
            (None, Some(units)) => Purchase::BaseDemand(units),
            (None, None) => {
                return Err(row.error(
                    "base_demand",
                    "neither base_demand nor alpha is given; give base_demand (units the buyers take in the base year) or alpha",
                ));
            }
            (Some(_), Some(_)) => {
                return Err(row.error(
                    "alpha",
                    "both alpha and base_demand are given; give one of them",
                ));
            }
        };
        let growth = |name| -> Result<f64, InputError> {
            Ok(row
                .optional_number(name, bounds::CAPACITY_GROWTH_PCT)?
                .unwrap_or(0.0))
        };
        let (min, mode, max) = (
            growth("capacity_growth_min_pct")?,
            growth("capacity_growth_mode_pct")?,
            growth("capacity_growth_max_pct")?,
        );
        let capacity_growth_pct = Triangular::new(min, mode, max).ok_or_else(|| {
            row.error(
                "capacity_growth_mode_pct",
                format!(
                    "min {min}, mode {mode}, max {max} are not ordered; expected min <= mode <= max"
                ),
            )
        })?;
        let label = row.text("label");
        let unit = row.text("unit");
        items.push(Item {
            id: id.to_string(),
            label: if label.is_empty() { id } else { label }.to_string(),
            unit: if unit.is_empty() { DEFAULT_UNIT } else { unit }.to_string(),
            category,
            buyers: row.required_text("buyers")?.to_string(),
            purchase,
            unit_cost_musd: row.number("unit_cost_musd", bounds::UNIT_COST_MUSD)?,
            cost_sigma: row
                .optional_number("cost_sigma", bounds::COST_SIGMA)?
                .unwrap_or(0.0),
            capacity_units_per_year: row.number("capacity", bounds::CAPACITY_UNITS_PER_YEAR)?,
            capacity_growth_pct,
            lead_years: row
                .optional_number("lead_years", bounds::LEAD_YEARS)?
                .unwrap_or(0.0),
            capacity_plan: Vec::new(),
            plan_attainment: None,
            source: row.free_text("source"),
            notes: row.free_text("notes"),
            origin: row.location("buyers"),
        });
    }
    if items.is_empty() {
        return Err(InputError::invalid(
            Location::file(table.file()),
            "lists no items",
        ));
    }
    Ok(items)
}

/// An item as the cells of [`ITEM_COLUMNS`]; an empty cell is an absent value.
pub(crate) fn item_record(i: &Item) -> [String; 16] {
    let (base_demand, alpha) = match i.purchase {
        Purchase::Alpha(a) => (String::new(), a.to_string()),
        Purchase::BaseDemand(units) => (units.to_string(), String::new()),
    };
    [
        i.id.clone(),
        i.label.clone(),
        i.unit.clone(),
        i.category.as_str().to_string(),
        i.buyers.clone(),
        base_demand,
        alpha,
        i.unit_cost_musd.to_string(),
        i.cost_sigma.to_string(),
        i.capacity_units_per_year.to_string(),
        i.capacity_growth_pct.min().to_string(),
        i.capacity_growth_pct.mode().to_string(),
        i.capacity_growth_pct.max().to_string(),
        i.lead_years.to_string(),
        i.source.clone(),
        i.notes.clone(),
    ]
}

/// Columns of [`ITEM_COLUMNS`] that hold text; the others hold numbers.
const TEXT_COLUMNS: [&str; 7] = [
    "id", "label", "unit", "category", "buyers", "source", "notes",
];

/// Writes items as CSV with [`ITEM_COLUMNS`], readable again by [`parse_items`].
pub fn items_to_csv(items: &[Item]) -> Vec<u8> {
    super::records_to_csv(&ITEM_COLUMNS, items.iter().map(item_record))
}

/// Items as a JSON array of objects keyed by the CSV column names ([`ITEM_COLUMNS`]), numbers
/// as numbers and absent values as `null`.
pub fn items_to_json(items: &[Item]) -> serde_json::Value {
    let rows = items
        .iter()
        .map(|item| {
            let record = item_record(item);
            let object: serde_json::Map<String, serde_json::Value> = ITEM_COLUMNS
                .iter()
                .zip(record)
                .map(|(column, cell)| {
                    let value = if TEXT_COLUMNS.contains(column) {
                        serde_json::Value::String(cell)
                    } else if cell.is_empty() {
                        serde_json::Value::Null
                    } else {
                        let number: f64 = cell.parse().expect("written from an f64");
                        serde_json::json!(number)
                    };
                    (column.to_string(), value)
                })
                .collect();
            serde_json::Value::Object(object)
        })
        .collect();
    serde_json::Value::Array(rows)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::builtin;

    #[test]
    fn builtin_items_parse_and_round_trip_through_csv() {
        let items = parse_items("items.csv", builtin::ITEMS_CSV).unwrap();
        assert_eq!(items.len(), 8);
        let shells = &items[0];
        assert_eq!(shells.id, "shell155_eu");
        assert_eq!(shells.purchase, Purchase::BaseDemand(1_800_000.0));
        assert_eq!(shells.unit, "rounds");
        assert_eq!(
            shells.capacity_growth_pct,
            Triangular::new(0.0, 10.0, 25.0).unwrap()
        );
        let csv = items_to_csv(&items);
        let again = parse_items("again.csv", std::str::from_utf8(&csv).unwrap()).unwrap();
        assert_eq!(items_to_csv(&again), csv);
        assert_eq!(again[7].origin.to_string(), "again.csv:9:5");
    }

    #[test]
    fn alpha_and_base_demand_exclude_each_other() {
        let text = "id,category,buyers,unit_cost_musd,capacity,alpha,base_demand\n\
                    x,land,nato,1,10,0.1,9\n";
        let err = parse_items("i.csv", text).unwrap_err().to_string();
        assert!(err.starts_with("i.csv:2:6: column 'alpha': both"), "{err}");
    }
}
