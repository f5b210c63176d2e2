//! The scenario file as written: serde structs that mirror MODEL.md section 8, reject unknown
//! keys and keep the position of every value, so [`super::resolve`] can point at it.
//!
//! Required keys are `Option` here so that a missing one gets a message listing what the table
//! needs, not serde's bare "missing field".

use serde::Deserialize;
use serde::de::{self, MapAccess, Visitor};
use std::collections::BTreeMap;
use std::fmt;
use toml::Spanned;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ScenarioWire {
    pub schema_version: Option<Spanned<i64>>,
    pub title: Option<Spanned<String>>,
    pub horizon: Option<Spanned<i64>>,
    pub runs: Option<Spanned<i64>>,
    pub seed: Option<Spanned<i64>>,
    pub data: Option<DataWire>,
    pub groups: Option<BTreeMap<String, Spanned<Vec<Spanned<String>>>>>,
    #[serde(default)]
    pub goal: Vec<Spanned<GoalWire>>,
    pub growth: Option<GrowthWire>,
    pub compliance: Option<ComplianceWire>,
    pub capacity: Option<CapacityWire>,
    pub inflation: Option<InflationWire>,
    pub mix: Option<Spanned<MixWire>>,
    #[serde(default)]
    pub item: Vec<Spanned<ItemWire>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct DataWire {
    pub allies: Option<Spanned<String>>,
    pub items: Option<Spanned<String>>,
    pub capacity_plans: Option<Spanned<String>>,
    pub plans: Option<Spanned<String>>,
    pub base_year: Option<Spanned<i64>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct GoalWire {
    pub id: Option<Spanned<String>>,
    pub label: Option<Spanned<String>>,
    pub core_pct: Option<Spanned<f64>>,
    pub related_pct: Option<Spanned<f64>>,
    pub target_year: Option<Spanned<i64>>,
    pub path: Option<Spanned<String>>,
    pub floor: Option<Spanned<String>>,
    pub equipment_pct: Option<Spanned<f64>>,
    pub plans: Option<Spanned<String>>,
    pub overrides: Option<BTreeMap<String, Spanned<OverrideWire>>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct OverrideWire {
    pub core_pct: Option<Spanned<f64>>,
    pub related_pct: Option<Spanned<f64>>,
    pub target_year: Option<Spanned<i64>>,
    pub path: Option<Spanned<String>>,
    pub equipment_pct: Option<Spanned<f64>>,
    pub points: Option<Spanned<YearValues>>,
}

/// A table of years to numbers as written: `{ 2026 = 2.8, 2029 = 3.5 }`.
pub(super) type YearValues = BTreeMap<String, Spanned<f64>>;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct GrowthWire {
    pub correlation: Option<Spanned<f64>>,
    pub sd_scale: Option<Spanned<f64>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ComplianceWire {
    pub lag_years: Option<Spanned<TriangularWire>>,
    pub attainment: Option<Spanned<TriangularWire>>,
    pub drift_pp: Option<Spanned<f64>>,
    pub drift_correlation: Option<Spanned<f64>>,
}

/// Any TOML file, of which only `[compliance]` is read (`pledge backtest --compliance FILE`).
#[derive(Deserialize)]
pub(super) struct ComplianceFile {
    pub compliance: Option<ComplianceWire>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct CapacityWire {
    pub plan_attainment: Option<Spanned<TriangularWire>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct InflationWire {
    pub mean: Option<Spanned<f64>>,
    pub sd: Option<Spanned<f64>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct MixWire {
    pub land: Option<Spanned<f64>>,
    pub air: Option<Spanned<f64>>,
    pub maritime: Option<Spanned<f64>>,
    pub air_defence: Option<Spanned<f64>>,
    pub munitions: Option<Spanned<f64>>,
    pub other: Option<Spanned<f64>>,
    pub concentration: Option<Spanned<f64>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ItemWire {
    pub id: Option<Spanned<String>>,
    pub label: Option<Spanned<String>>,
    pub unit: Option<Spanned<String>>,
    pub category: Option<Spanned<String>>,
    pub buyers: Option<Spanned<String>>,
    pub base_demand: Option<Spanned<f64>>,
    pub alpha: Option<Spanned<f64>>,
    pub unit_cost_musd: Option<Spanned<f64>>,
    pub cost_sigma: Option<Spanned<f64>>,
    pub capacity: Option<Spanned<f64>>,
    pub capacity_growth_pct: Option<Spanned<TriangularWire>>,
    pub lead_years: Option<Spanned<f64>>,
    pub capacity_plan: Option<Spanned<YearValues>>,
    pub plan_attainment: Option<Spanned<TriangularWire>>,
    pub source: Option<String>,
    pub notes: Option<String>,
}

/// A triangular range as written: a number (fixed) or `{ min, mode, max }`, not yet checked
/// for order.
pub(super) struct TriangularWire {
    pub min: f64,
    pub mode: f64,
    pub max: f64,
}

impl<'de> Deserialize<'de> for TriangularWire {
    fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(TriangularVisitor)
    }
}

struct TriangularVisitor;

const TRIANGULAR_KEYS: &[&str] = &["min", "mode", "max"];

impl TriangularVisitor {
    fn fixed(value: f64) -> TriangularWire {
        TriangularWire {
            min: value,
            mode: value,
            max: value,
        }
    }
}

impl<'de> Visitor<'de> for TriangularVisitor {
    type Value = TriangularWire;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a number or a table { min = .., mode = .., max = .. }")
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<TriangularWire, E> {
        Ok(Self::fixed(v as f64))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<TriangularWire, E> {
        Ok(Self::fixed(v as f64))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<TriangularWire, E> {
        Ok(Self::fixed(v))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<TriangularWire, A::Error> {
        let (mut min, mut mode, mut max) = (None, None, None);
        while let Some(key) = map.next_key::<String>()? {
            let slot = match key.as_str() {
                "min" => &mut min,
                "mode" => &mut mode,
                "max" => &mut max,
                _ => return Err(de::Error::unknown_field(&key, TRIANGULAR_KEYS)),
            };
            if slot.is_some() {
                return Err(de::Error::custom(format!("duplicate key `{key}`")));
            }
            *slot = Some(map.next_value::<f64>()?);
        }
        Ok(TriangularWire {
            min: min.ok_or_else(|| de::Error::missing_field("min"))?,
            mode: mode.ok_or_else(|| de::Error::missing_field("mode"))?,
            max: max.ok_or_else(|| de::Error::missing_field("max"))?,
        })
    }
}
