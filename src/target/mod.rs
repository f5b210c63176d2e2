//! The inverse question (`pledge target TARGETS.toml`): what core share of GDP must a group
//! reach, on a scenario's path, for stated quantities of equipment to be affordable (and
//! deliverable, given capacity) by a year, with probability 50% and 90%?
//!
//! A targets file names a scenario, a group, a year, a goal whose path is the template, and
//! quantities of the scenario's items: cumulative units bought in `B+1..=year`, or a yearly
//! rate reached by `year` and held to the horizon. [`load`] reads and checks it ([`wire`]
//! mirrors the file, [`resolve`] checks every value, as the scenario module does, so every
//! error names the file, line, column and key).
//!
//! The method (docs/METHODOLOGY.md section 14, choices C41 to C47):
//!
//! - **Affordable**, in one run: the targets are paid from the group's equipment money in the
//!   item's category *added* since the base year (the model's own `max(0, EQ - EQ(B)) * w~ +
//!   min(0, EQ - EQ(B)) * w`, [`crate::model::Model::added_category_musd`]), at the run's unit
//!   costs. Base-year purchases continue: they are today's programmes. Targets in one category
//!   share its money: each year's money buys a share of the category's basket at that year's
//!   prices, and the shares must add up to the whole basket by `year`; a yearly rate must be
//!   paid in every year from `year` to the horizon, first.
//! - **Deliverable**, in one run: each item's capacity above what the base-year money buys
//!   covers its quantity by `year` (or its rate in every year from `year` on). Capacity does
//!   not depend on the goal, so this is a probability independent of the share.
//! - **The search** ([`search`]): the searched goal is the template with `core_pct = x` for
//!   every ally. Affordability can only grow with `x`, run by run, so each run has a smallest
//!   level that pays; with common random numbers (the same run seeds at every level) the
//!   probability `p(x)` is the share of runs whose level is at most `x`. Each run's level is
//!   found by bisection on a grid of 0% to 10% of GDP in steps of 0.01 percentage points, and
//!   the answer for 50% (90%) is the smallest level with `p >= 0.5` (`0.9`): exact on the grid.
//! - The report (`output::target`, an exporter): terminal lines that lead with the answer, `target.csv` (tidy)
//!   and `target.json`.

mod resolve;
pub mod search;
mod wire;

pub use resolve::{load, parse};
pub use search::{Outcome, Search, search};

use crate::scenario::{Goal, Plans};
use std::path::PathBuf;

/// The only targets schema this version reads.
pub const SCHEMA_VERSION: i64 = 1;

/// A checked targets file, tied to its scenario.
#[derive(Debug, Clone, PartialEq)]
pub struct Targets {
    /// The targets file as the user named it.
    pub file: String,
    /// What the study is called (the file's `title`, else its stem).
    pub title: String,
    /// The scenario file, relative to the targets file's folder, as written.
    pub scenario_key: String,
    /// The scenario file's path as read.
    pub scenario_path: PathBuf,
    /// The group whose money pays and whose items are counted (the items' buyers).
    pub group: String,
    /// Index of the group in the scenario's groups.
    pub group_index: usize,
    /// The year by which the quantities are wanted (`B+1..=H`).
    pub year: i32,
    /// Index of the template goal in the scenario's goals.
    pub goal: usize,
    /// Runs asked for by the file, overriding the scenario's.
    pub runs: Option<u64>,
    /// The quantities, in file order; each item at most once.
    pub targets: Vec<Target>,
}

/// One quantity of one item.
#[derive(Debug, Clone, PartialEq)]
pub struct Target {
    /// Index of the item in the scenario's items.
    pub item: usize,
    /// The item's id.
    pub item_id: String,
    /// How much.
    pub amount: Amount,
    /// Display label: the file's `label`, else the item's.
    pub label: String,
    /// The file's `note`, if any (where the figure comes from).
    pub note: Option<String>,
}

/// A quantity: a stock bought by the year, or a yearly rate reached by it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Amount {
    /// Units bought in `B+1..=year`, in the item's unit (`quantity`).
    Units(f64),
    /// Units a year in every year from `year` to the horizon (`per_year`).
    UnitsPerYear(f64),
}

impl Amount {
    /// The number, in units or units a year.
    pub fn value(self) -> f64 {
        match self {
            Amount::Units(v) | Amount::UnitsPerYear(v) => v,
        }
    }

    /// The key that gives it in a targets file: `quantity` or `per_year`.
    pub fn key(self) -> &'static str {
        match self {
            Amount::Units(_) => "quantity",
            Amount::UnitsPerYear(_) => "per_year",
        }
    }
}

/// The id of the searched goal in outputs.
pub const SEARCH_GOAL_ID: &str = "search";

/// The searched goal at `core_pct`: the template's path shape (target year, path, floor,
/// related and equipment goals, and its overrides other than `core_pct` and `points`) with
/// `core_pct` for every ally and no declared plans, so that every ally follows the searched
/// share.
pub fn searched_goal(template: &Goal, core_pct: f64) -> Goal {
    let mut goal = template.clone();
    goal.id = SEARCH_GOAL_ID.to_string();
    goal.label = format!("{core_pct}% core on the path of '{}'", template.id);
    goal.core_pct = Some(core_pct);
    goal.plans = Plans::None;
    for o in goal.overrides.values_mut() {
        o.core_pct = None;
        o.points = None;
    }
    goal.overrides.retain(|_, o| {
        o.related_pct.is_some()
            || o.target_year.is_some()
            || o.path.is_some()
            || o.equipment_pct.is_some()
    });
    goal
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::{Floor, GoalOverride, Path, PathPoint};
    use std::collections::BTreeMap;

    #[test]
    fn the_searched_goal_keeps_the_templates_path_and_drops_its_core_shares() {
        let mut overrides = BTreeMap::new();
        overrides.insert(
            "ESP".to_string(),
            GoalOverride {
                core_pct: Some(2.1),
                ..GoalOverride::default()
            },
        );
        overrides.insert(
            "POL".to_string(),
            GoalOverride {
                points: Some(vec![PathPoint {
                    year: 2027,
                    core_pct: 4.0,
                }]),
                related_pct: Some(0.5),
                ..GoalOverride::default()
            },
        );
        let template = Goal {
            id: "t".to_string(),
            label: "template".to_string(),
            core_pct: None,
            plans: Plans::Declared,
            related_pct: 1.5,
            target_year: 2033,
            path: Path::Back,
            floor: Floor::None,
            equipment_pct: 25.0,
            overrides,
        };
        let goal = searched_goal(&template, 3.25);
        assert_eq!(goal.id, SEARCH_GOAL_ID);
        assert_eq!(goal.core_pct, Some(3.25));
        assert_eq!(goal.plans, Plans::None);
        assert_eq!(
            (
                goal.related_pct,
                goal.target_year,
                goal.path,
                goal.floor,
                goal.equipment_pct
            ),
            (1.5, 2033, Path::Back, Floor::None, 25.0)
        );
        // Spain's override gave only a core share: gone. Poland keeps its related share only.
        assert_eq!(goal.overrides.len(), 1);
        assert_eq!(
            goal.overrides["POL"],
            GoalOverride {
                related_pct: Some(0.5),
                ..GoalOverride::default()
            }
        );
    }
}
