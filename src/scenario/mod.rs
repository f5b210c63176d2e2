//! Scenarios: what a study asks (goals, horizon, uncertainty, items), read from TOML
//! (MODEL.md section 8) and validated into the types below, which the model trusts.
//!
//! This is the only module that reads scenario files. [`wire`] mirrors the file with serde and
//! keeps every value's position; [`resolve`] checks every value and fills defaults, so an error
//! can name the file, line, column and key.

pub mod metrics;
mod resolve;
mod wire;

pub use crate::data::check_id;
pub use resolve::{load, load_compliance, parse};

use crate::data::groups::Group;
use crate::data::{Dataset, Item};
use crate::dist::Triangular;
use crate::scenario::metrics::{DELTA_METRICS, GROUP_METRICS, ITEM_METRICS};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The only scenario schema this version reads.
pub const SCHEMA_VERSION: i64 = 1;

/// A validated scenario with every default filled in.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Scenario {
    /// What the study is called.
    pub title: String,
    /// The scenario file's name (no folder), when it was read from a file; used to print the
    /// command that reproduces a result.
    pub file: Option<String>,
    /// Last projected year `H`.
    pub horizon: i32,
    /// Monte Carlo runs.
    pub runs: u64,
    /// Seed of the Monte Carlo runs.
    pub seed: u64,
    /// The allies and where the data came from.
    pub data: Dataset,
    /// Every group reported: builtin, then scenario-defined, then one per ally.
    pub groups: Vec<Group>,
    /// The goals; the first is the reference.
    pub goals: Vec<Goal>,
    /// GDP growth uncertainty.
    pub growth: Growth,
    /// How allies comply with goals.
    pub compliance: Compliance,
    /// How announced capacity plans are delivered.
    pub capacity: Capacity,
    /// Defence cost inflation above the GDP deflator.
    pub inflation: Inflation,
    /// Equipment spending split over categories.
    pub mix: Mix,
    /// Production lines.
    pub items: Vec<Item>,
}

impl Scenario {
    /// Base year `B` of the data.
    pub fn base_year(&self) -> i32 {
        self.data.base_year
    }

    /// Years `B..=H`, the rows of every output.
    pub fn years(&self) -> std::ops::RangeInclusive<i32> {
        self.base_year()..=self.horizon
    }

    /// How many values one run makes, as [`crate::model::Model::values_per_run`] counts them:
    /// per goal and year, each group's metrics (and after the first goal, its differences
    /// from the first) and each item's. Saturates instead of overflowing.
    pub fn values_per_run(&self) -> u64 {
        let count = |n: usize, per: usize| (n as u64).saturating_mul(per as u64);
        let per_year = |extra: usize| {
            count(self.groups.len(), GROUP_METRICS.len() + extra)
                .saturating_add(count(self.items.len(), ITEM_METRICS.len()))
        };
        let later_goals = count(self.goals.len().saturating_sub(1), 1);
        let years = count(self.years().count(), 1);
        years.saturating_mul(
            per_year(0).saturating_add(later_goals.saturating_mul(per_year(DELTA_METRICS.len()))),
        )
    }

    /// The group called `name`.
    pub fn group(&self, name: &str) -> Option<&Group> {
        self.groups.iter().find(|g| g.name == name)
    }

    /// Index in `groups` of the group called `name`.
    pub fn group_index(&self, name: &str) -> Option<usize> {
        self.groups.iter().position(|g| g.name == name)
    }

    /// The display name of the ally with code `iso3`, or the code itself when the data has
    /// no such ally.
    pub fn ally_name<'a>(&'a self, iso3: &'a str) -> &'a str {
        self.data
            .allies
            .iter()
            .find(|a| a.iso3 == iso3)
            .map_or(iso3, |a| a.name.as_str())
    }
}

/// Ramp shape from the base share to the goal (MODEL.md section 4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Path {
    /// `ramp(x) = x`.
    Linear,
    /// Front-loaded: `1 - (1 - x)^2`.
    Front,
    /// Back-loaded: `x^2`.
    Back,
    /// S-curve: `3x^2 - 2x^3`.
    Scurve,
}

impl Path {
    /// Every shape, in the order listed in messages.
    pub const ALL: [Path; 4] = [Path::Linear, Path::Front, Path::Back, Path::Scurve];

    /// The spelling in scenario files.
    pub fn as_str(self) -> &'static str {
        match self {
            Path::Linear => "linear",
            Path::Front => "front",
            Path::Back => "back",
            Path::Scurve => "scurve",
        }
    }
}

/// What happens to an ally already above the goal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Floor {
    /// It keeps its current share.
    Current,
    /// It moves to the goal, down if need be.
    None,
}

impl Floor {
    /// Every rule, in the order listed in messages.
    pub const ALL: [Floor; 2] = [Floor::Current, Floor::None];

    /// The spelling in scenario files.
    pub fn as_str(self) -> &'static str {
        match self {
            Floor::Current => "current",
            Floor::None => "none",
        }
    }
}

/// Whether a goal follows the allies' declared paths (MODEL.md v2, section 3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Plans {
    /// Every ally follows the goal (or its override).
    None,
    /// Every ally with declared points follows them, as if given as `points`.
    Declared,
}

impl Plans {
    /// The values a scenario may give, in the order listed in messages.
    pub const ALL: [Plans; 1] = [Plans::Declared];

    /// The spelling in scenario files.
    pub fn as_str(self) -> &'static str {
        match self {
            Plans::None => "none",
            Plans::Declared => "declared",
        }
    }
}

/// A milestone of a declared path: the core share in a year (MODEL.md v2, `points`).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct PathPoint {
    /// The year, after the base year.
    pub year: i32,
    /// Core defence spending, % of GDP.
    pub core_pct: f64,
}

/// A spending goal (MODEL.md section 3).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Goal {
    /// Short id, used in file names and CSV.
    pub id: String,
    /// Display label.
    pub label: String,
    /// Core defence spending goal, % of GDP. `None` only with declared plans: an ally
    /// without declared points then holds its base share.
    pub core_pct: Option<f64>,
    /// Whether allies follow their declared paths.
    pub plans: Plans,
    /// Defence-related spending goal, % of GDP.
    pub related_pct: f64,
    /// Year by which the goal is reached.
    pub target_year: i32,
    /// Ramp shape.
    pub path: Path,
    /// Floor rule.
    pub floor: Floor,
    /// Goal for the equipment share of core spending, %.
    pub equipment_pct: f64,
    /// Per-ally exceptions, by ISO3 code.
    pub overrides: BTreeMap<String, GoalOverride>,
}

impl Goal {
    /// The core goal in words, for tables: `3.5`, or with declared plans `declared plans;
    /// 3.5 for allies without` or `declared plans; base share for allies without`.
    pub fn core_text(&self) -> String {
        let core = self.core_pct.map(|c| format!("{c}"));
        match (self.plans, core) {
            (Plans::None, Some(core)) => core,
            (_, core) => format!(
                "declared plans; {} for allies without",
                core.as_deref().unwrap_or("base share")
            ),
        }
    }
}

impl GoalOverride {
    /// The declared points in words: `2026: 2.8%, 2029: 3.5%`.
    pub fn points_text(&self) -> Option<String> {
        self.points.as_ref().map(|points| {
            points
                .iter()
                .map(|p| format!("{}: {}%", p.year, p.core_pct))
                .collect::<Vec<_>>()
                .join(", ")
        })
    }
}

/// One ally's exceptions to a goal; `None` takes the goal's value.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct GoalOverride {
    /// Core goal, % of GDP.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub core_pct: Option<f64>,
    /// Related goal, % of GDP.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub related_pct: Option<f64>,
    /// Target year.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target_year: Option<i32>,
    /// Ramp shape.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<Path>,
    /// Equipment share goal, %.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub equipment_pct: Option<f64>,
    /// A declared path: core shares in milestone years, in year order.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub points: Option<Vec<PathPoint>>,
}

/// GDP growth uncertainty (MODEL.md section 5).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Growth {
    /// Share `rho` of growth variance that is common to all allies.
    pub correlation: f64,
    /// Scale `k_sd` applied to every ally's standard deviation.
    pub sd_scale: f64,
}

/// How allies comply with goals.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Compliance {
    /// Years by which an ally reaches a goal after its target year.
    pub lag_years: Triangular,
    /// Fraction of the step from its base share to the goal that an ally makes.
    pub attainment: Triangular,
    /// Standard deviation of the yearly step of each ally's share drift, percentage points
    /// of GDP (MODEL.md v2, section 5); 0 is no drift.
    pub drift_pp: f64,
    /// The common part `rho_d` of the drift steps across allies.
    pub drift_correlation: f64,
}

/// How announced capacity plans are delivered (MODEL.md v2, `[capacity]`).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Capacity {
    /// Share `q` of an announced capacity increase that materialises, for items that do not
    /// set their own.
    pub plan_attainment: Triangular,
}

impl Scenario {
    /// The plan attainment range of item `j`: its own, or the scenario's.
    pub fn plan_attainment(&self, j: usize) -> Triangular {
        self.items[j]
            .plan_attainment
            .unwrap_or(self.capacity.plan_attainment)
    }
}

impl Compliance {
    /// The `[compliance]` table a scenario file can use.
    pub fn to_toml(&self) -> String {
        format!(
            "[compliance]\nlag_years = {}\nattainment = {}\ndrift_pp = {}\ndrift_correlation = {}\n",
            self.lag_years.to_toml(),
            self.attainment.to_toml(),
            self.drift_pp,
            self.drift_correlation
        )
    }
}

/// Defence cost inflation above the GDP deflator, % per year.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Inflation {
    /// Mean, % per year.
    pub mean_pct: f64,
    /// Standard deviation, % per year.
    pub sd_pct: f64,
}

/// Equipment spending split over the categories of [`crate::data::Category::ALL`].
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Mix {
    /// Fractions summing to 1, in [`crate::data::Category::ALL`] order.
    pub shares: [f64; 6],
    /// Dirichlet concentration; 0 keeps the mix fixed.
    pub concentration: f64,
}

impl Mix {
    /// The default mix of MODEL.md section 8, fixed.
    pub const DEFAULT: Mix = Mix {
        shares: [0.25, 0.30, 0.15, 0.10, 0.15, 0.05],
        concentration: 0.0,
    };
}

/// SHA-256 of the model inputs: the resolved scenario and data, without `runs` and `seed`
/// (recorded beside it) and without file paths (the data files are hashed by content). Two
/// runs with the same input hash ran the same model on the same numbers.
pub fn input_hash(scenario: &Scenario) -> String {
    use serde_json::Value;
    let mut value = serde_json::to_value(scenario).expect("a scenario always serializes");
    if let Value::Object(map) = &mut value {
        map.remove("runs");
        map.remove("seed");
        map.remove("file");
        if let Some(Value::Object(data)) = map.get_mut("data") {
            data.remove("vintage");
            for table in [
                "allies_provenance",
                "items_provenance",
                "capacity_plans_provenance",
                "plans_provenance",
            ] {
                if let Some(Value::Object(p)) = data.get_mut(table) {
                    p.remove("origin");
                }
            }
        }
    }
    crate::hash::sha256_hex(value.to_string().as_bytes())
}
