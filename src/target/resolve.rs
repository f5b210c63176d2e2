//! Turns a targets file into [`Targets`]: the scenario it names is loaded, and every value is
//! checked against it (the group, the year, the template goal, the items and their buyers),
//! with every error located at the file, line, column and key, as `scenario/resolve.rs` does.

use super::wire::{TargetWire, TargetsWire};
use super::{Amount, SCHEMA_VERSION, Target, Targets};
use crate::bounds::{self, Bound};
use crate::error::{InputError, Location};
use crate::input;
use crate::scenario::{self, Scenario};
use std::collections::BTreeSet;
use std::ops::Range;
use std::path::Path;
use toml::Spanned;
use toml::de::DeTable;

type Result<T> = std::result::Result<T, InputError>;

/// A quantity of units: more than 0, at most a trillion (a sanity bound far above any stock
/// or rate of equipment).
const UNITS: Bound = Bound {
    min: 0.0,
    max: 1.0e12,
    min_exclusive: true,
    what: "a number of units, in the item's unit",
};

/// The same bound for a yearly rate.
const UNITS_PER_YEAR: Bound = Bound {
    min: 0.0,
    max: 1.0e12,
    min_exclusive: true,
    what: "a number of units a year, in the item's unit",
};

/// Free text keys, which may hold line breaks and tabs.
const FREE_TEXT_KEYS: [&str; 1] = ["note"];

/// Most `[[target]]` tables: far more than any study lists.
const MAX_TARGETS: usize = 1_000;

/// Reads the targets file at `path` and the scenario it names (relative to the targets
/// file's folder), and checks one against the other.
pub fn load(path: &Path) -> Result<(Targets, Scenario)> {
    let text = input::read_text(path, bounds::SCENARIO_FILE_BYTES, "a targets file")?;
    let base_dir = path.parent().unwrap_or(Path::new("."));
    let stem = path
        .file_stem()
        .map_or("targets".into(), |s| s.to_string_lossy());
    parse(&path.display().to_string(), &text, base_dir, &stem)
}

/// Checks targets `text`. `file` names it in messages, the scenario path is relative to
/// `base_dir`, and `default_title` is used when the file has no `title`.
pub fn parse(
    file: &str,
    text: &str,
    base_dir: &Path,
    default_title: &str,
) -> Result<(Targets, Scenario)> {
    let ctx = Ctx { file, text };
    let toml_error = |e: toml::de::Error| {
        let message = input::plain_words(e.message().trim());
        match e.span() {
            Some(span) => InputError::invalid(ctx.at(span), message),
            None => InputError::invalid(Location::file(file), message),
        }
    };
    // Keys and strings are checked for control characters before serde sees them, so that no
    // message can echo one.
    let document = DeTable::parse(text).map_err(toml_error)?;
    ctx.text_check().check_table(document.get_ref(), "")?;
    let wire: TargetsWire = toml::from_str(text).map_err(toml_error)?;
    ctx.resolve(wire, base_dir, default_title)
}

/// The file being resolved, for locating errors.
struct Ctx<'a> {
    file: &'a str,
    text: &'a str,
}

impl Ctx<'_> {
    fn at(&self, span: Range<usize>) -> Location {
        Location::from_offset(self.file, self.text, span.start)
    }

    fn err(&self, span: Range<usize>, message: impl Into<String>) -> InputError {
        InputError::invalid(self.at(span), message)
    }

    fn start(&self) -> Location {
        Location::at(self.file, 1, Some(1))
    }

    /// The checker of control characters in this file's keys and strings.
    fn text_check(&self) -> input::TomlText<'_> {
        input::TomlText {
            file: self.file,
            text: self.text,
            free_text_keys: &FREE_TEXT_KEYS,
        }
    }

    fn resolve(
        &self,
        wire: TargetsWire,
        base_dir: &Path,
        default_title: &str,
    ) -> Result<(Targets, Scenario)> {
        match &wire.schema_version {
            None => {
                return Err(InputError::invalid(
                    self.start(),
                    format!(
                        "missing key 'schema_version'; start the file with schema_version = {SCHEMA_VERSION}"
                    ),
                ));
            }
            Some(v) if *v.get_ref() != SCHEMA_VERSION => {
                return Err(self.err(
                    v.span(),
                    format!(
                        "schema_version = {} is not supported; this version of pledge reads targets files with schema_version = {SCHEMA_VERSION}",
                        v.get_ref()
                    ),
                ));
            }
            Some(_) => {}
        }
        let missing = |key: &str| {
            InputError::invalid(
                self.start(),
                format!(
                    "missing key '{key}'; a targets file needs scenario, group, year and at least one [[target]]"
                ),
            )
        };
        let scenario_value = wire.scenario.as_ref().ok_or_else(|| missing("scenario"))?;
        let scenario_key = scenario_value.get_ref().clone();
        let scenario_path = base_dir.join(&scenario_key);
        let scenario = scenario::load(&scenario_path).map_err(|e| match e {
            // A file that cannot be read is pointed at by the key that names it; an error
            // inside the scenario names the scenario file itself.
            InputError::Read { source, .. } => self.err(
                scenario_value.span(),
                format!(
                    "scenario = \"{}\": cannot read '{}': {source}; expected a scenario file, relative to the targets file's folder",
                    input::shown(&scenario_key),
                    scenario_path.display()
                ),
            ),
            other => other,
        })?;
        let group_value = wire.group.as_ref().ok_or_else(|| missing("group"))?;
        let group = group_value.get_ref().clone();
        let group_index = scenario.group_index(&group).ok_or_else(|| {
            self.err(
                group_value.span(),
                format!(
                    "group = \"{}\" is not a group of the scenario; expected one of {}",
                    input::shown(&group),
                    input::some_of(scenario.groups.iter().map(|g| g.name.as_str()))
                ),
            )
        })?;
        let b = scenario.base_year();
        let year_value = wire.year.as_ref().ok_or_else(|| missing("year"))?;
        let year = *year_value.get_ref();
        if year <= i64::from(b) || year > i64::from(scenario.horizon) {
            return Err(self.err(
                year_value.span(),
                format!(
                    "year = {year} is out of range; expected a year from {} to {} (after the scenario's base year, up to its horizon)",
                    b + 1,
                    scenario.horizon
                ),
            ));
        }
        let year = year as i32;
        let goal = match &wire.goal {
            Some(g) => scenario
                .goals
                .iter()
                .position(|goal| goal.id == *g.get_ref())
                .ok_or_else(|| {
                    self.err(
                        g.span(),
                        format!(
                            "goal = \"{}\" is not a goal of the scenario; expected one of {}",
                            input::shown(g.get_ref()),
                            input::some_of(scenario.goals.iter().map(|goal| goal.id.as_str()))
                        ),
                    )
                })?,
            None => scenario.goals.len() - 1,
        };
        let runs = match &wire.runs {
            Some(r) => Some(
                bounds::runs(i128::from(*r.get_ref()))
                    .map_err(|why| self.err(r.span(), format!("runs = {why}")))?,
            ),
            None => None,
        };
        if wire.target.is_empty() {
            return Err(missing("[[target]]"));
        }
        if wire.target.len() > MAX_TARGETS {
            return Err(self.err(
                wire.target[MAX_TARGETS].span(),
                format!(
                    "{} [[target]] tables; pledge reads at most {MAX_TARGETS}",
                    wire.target.len()
                ),
            ));
        }
        let mut seen = BTreeSet::new();
        let mut targets = Vec::with_capacity(wire.target.len());
        for spanned in &wire.target {
            let target = self.target(spanned, &scenario, &group)?;
            if !seen.insert(target.item) {
                let span = spanned
                    .get_ref()
                    .item
                    .as_ref()
                    .map_or(spanned.span(), |s| s.span());
                return Err(self.err(
                    span,
                    format!(
                        "item '{}' has a target already; give each item one [[target]]",
                        target.item_id
                    ),
                ));
            }
            targets.push(target);
        }
        let title = match &wire.title {
            Some(t) if t.get_ref().trim().is_empty() => {
                return Err(self.err(t.span(), "title is empty; give a title or leave it out"));
            }
            Some(t) => t.get_ref().trim().to_string(),
            None => default_title.to_string(),
        };
        Ok((
            Targets {
                file: self.file.to_string(),
                title,
                scenario_key,
                scenario_path,
                group,
                group_index,
                year,
                goal,
                runs,
                targets,
            },
            scenario,
        ))
    }

    fn target(
        &self,
        spanned: &Spanned<TargetWire>,
        scenario: &Scenario,
        group: &str,
    ) -> Result<Target> {
        let w = spanned.get_ref();
        let item_value = w.item.as_ref().ok_or_else(|| {
            self.err(
                spanned.span(),
                "[[target]]: missing key 'item'; a target needs item and either quantity or per_year",
            )
        })?;
        let item_id = item_value.get_ref().clone();
        let item = scenario
            .items
            .iter()
            .position(|i| i.id == item_id)
            .ok_or_else(|| {
                self.err(
                    item_value.span(),
                    format!(
                        "item = \"{}\" is not an item of the scenario; expected one of {}",
                        input::shown(&item_id),
                        input::some_of(scenario.items.iter().map(|i| i.id.as_str()))
                    ),
                )
            })?;
        let it = &scenario.items[item];
        if it.buyers != group {
            return Err(self.err(
                item_value.span(),
                format!(
                    "item '{item_id}' is bought by {}, not by the group {group}; a target's item must be bought by the targets' group, whose money pays for it",
                    it.buyers
                ),
            ));
        }
        let ctx = format!("target '{item_id}': ");
        let amount = match (&w.quantity, &w.per_year) {
            (Some(q), None) => Amount::Units(
                UNITS
                    .check(*q.get_ref())
                    .map_err(|m| self.err(q.span(), format!("{ctx}quantity = {m}")))?,
            ),
            (None, Some(r)) => Amount::UnitsPerYear(
                UNITS_PER_YEAR
                    .check(*r.get_ref())
                    .map_err(|m| self.err(r.span(), format!("{ctx}per_year = {m}")))?,
            ),
            (Some(_), Some(r)) => {
                return Err(self.err(
                    r.span(),
                    format!(
                        "{ctx}gives both quantity and per_year; expected one: quantity (units bought by the year) or per_year (units a year from the year on)"
                    ),
                ));
            }
            (None, None) => {
                return Err(self.err(
                    item_value.span(),
                    format!(
                        "{ctx}missing key 'quantity' or 'per_year'; expected quantity (units bought by the year) or per_year (units a year from the year on)"
                    ),
                ));
            }
        };
        let label = match &w.label {
            Some(l) if l.get_ref().trim().is_empty() => {
                return Err(self.err(
                    l.span(),
                    format!("{ctx}label is empty; give a label or leave it out"),
                ));
            }
            Some(l) => l.get_ref().trim().to_string(),
            None => it.label.clone(),
        };
        Ok(Target {
            item,
            item_id,
            amount,
            label,
            note: w.note.as_ref().map(|n| n.get_ref().trim().to_string()),
        })
    }
}
