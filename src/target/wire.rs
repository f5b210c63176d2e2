//! The targets file as written: serde structs that reject unknown keys and keep the position
//! of every value, so [`super::resolve`] can point at it (as `scenario/wire.rs` does for
//! scenario files).
//!
//! Required keys are `Option` here so that a missing one gets a message listing what the file
//! needs, not serde's bare "missing field".

use serde::Deserialize;
use toml::Spanned;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct TargetsWire {
    pub schema_version: Option<Spanned<i64>>,
    pub title: Option<Spanned<String>>,
    pub scenario: Option<Spanned<String>>,
    pub group: Option<Spanned<String>>,
    pub year: Option<Spanned<i64>>,
    pub goal: Option<Spanned<String>>,
    pub runs: Option<Spanned<i64>>,
    #[serde(default)]
    pub target: Vec<Spanned<TargetWire>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct TargetWire {
    pub item: Option<Spanned<String>>,
    pub quantity: Option<Spanned<f64>>,
    pub per_year: Option<Spanned<f64>>,
    pub label: Option<Spanned<String>>,
    pub note: Option<Spanned<String>>,
}
