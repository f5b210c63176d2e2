//! Turns a scenario file into a [`Scenario`]: every value checked against [`crate::bounds`],
//! every default of MODEL.md section 8 filled in, the dataset loaded, and every error located.

use super::wire::{
    ComplianceFile, ComplianceWire, GoalWire, ItemWire, ScenarioWire, TriangularWire, YearValues,
};
use super::{
    Capacity, Compliance, Floor, Goal, GoalOverride, Growth, Inflation, Mix, Path, PathPoint,
    Plans, SCHEMA_VERSION, Scenario, check_id,
};
use crate::bounds::{self, Bound};
use crate::data::groups::{self, Group, GroupKind};
use crate::data::{
    self, Ally, Category, DEFAULT_UNIT, Dataset, DeclaredPoint, Item, Milestone, PlanPoint,
    Provenance, Purchase, builtin,
};
use crate::dist::Triangular;
use crate::error::{InputError, Location};
use crate::hash::sha256_hex;
use crate::input::{self, TextKind};
use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;
use toml::Spanned;
use toml::de::DeTable;

/// Reads and validates the scenario file at `path`; data paths are relative to its folder.
pub fn load(path: &std::path::Path) -> Result<Scenario> {
    let text = input::read_text(path, bounds::SCENARIO_FILE_BYTES, "a scenario file")?;
    let base_dir = path.parent().unwrap_or(std::path::Path::new("."));
    let stem = path
        .file_stem()
        .map_or("scenario".into(), |s| s.to_string_lossy());
    let mut scenario = parse(&path.display().to_string(), &text, base_dir, &stem)?;
    scenario.file = path.file_name().map(|n| n.to_string_lossy().into_owned());
    Ok(scenario)
}

/// Reads the `[compliance]` table of any TOML file (a scenario, or a file written by `pledge
/// backtest --calibrate`); other tables are not read.
pub fn load_compliance(path: &std::path::Path) -> Result<Compliance> {
    let text = input::read_text(
        path,
        bounds::SCENARIO_FILE_BYTES,
        "a TOML file with a [compliance] table",
    )?;
    let file = path.display().to_string();
    let ctx = Ctx {
        file: &file,
        text: &text,
    };
    let toml_error = |e: toml::de::Error| {
        let message = input::plain_words(e.message().trim());
        match e.span() {
            Some(span) => InputError::invalid(ctx.at(span), message),
            None => InputError::invalid(Location::file(&file), message),
        }
    };
    // Only [compliance] is read, so only its keys and strings are checked.
    let document = DeTable::parse(&text).map_err(toml_error)?;
    if let Some((key, value)) = document
        .get_ref()
        .iter()
        .find(|(k, _)| k.get_ref() == "compliance")
    {
        ctx.text_check()
            .check_value(value, key.get_ref(), TextKind::OneLine)?;
    }
    let wire: ComplianceFile = toml::from_str(&text).map_err(toml_error)?;
    match wire.compliance {
        Some(c) => ctx.compliance(Some(&c)),
        None => Err(InputError::invalid(
            Location::file(&file),
            "has no [compliance] table; expected one with lag_years, attainment, drift_pp or drift_correlation",
        )),
    }
}

/// Validates scenario `text`. `file` names it in messages, data paths are relative to
/// `base_dir`, and `default_title` is used when the file has no `title`.
pub fn parse(
    file: &str,
    text: &str,
    base_dir: &std::path::Path,
    default_title: &str,
) -> Result<Scenario> {
    let ctx = Ctx { file, text };
    let toml_error = |e: toml::de::Error| {
        let message = input::plain_words(e.message().trim());
        match e.span() {
            Some(span) => {
                let message = match key_before(text, span.start) {
                    Some(key) if !message.contains(&format!("`{key}`")) => {
                        format!("{key}: {message}")
                    }
                    _ => message,
                };
                InputError::invalid(ctx.at(span), message)
            }
            None => InputError::invalid(Location::file(file), message),
        }
    };
    // Every key and string is checked for control characters before serde sees it, so no
    // message (serde's "unknown field" included) can echo one.
    let document = DeTable::parse(text).map_err(toml_error)?;
    ctx.text_check().check_table(document.get_ref(), "")?;
    let wire: ScenarioWire = toml::from_str(text).map_err(toml_error)?;
    ctx.resolve(wire, base_dir, default_title)
}

/// `[data] capacity_plans = "none"` or `plans = "none"`: no such table.
const NONE: &str = "none";

/// Keys of free text, which may hold line breaks and tabs: an item's `source` and `notes`.
const FREE_TEXT_KEYS: [&str; 2] = ["source", "notes"];

/// The file being resolved, for locating errors.
struct Ctx<'a> {
    file: &'a str,
    text: &'a str,
}

type Result<T> = std::result::Result<T, InputError>;

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

    fn number(&self, value: &Spanned<f64>, what: &str, bound: Bound) -> Result<f64> {
        bound
            .check(*value.get_ref())
            .map_err(|m| self.err(value.span(), format!("{what} = {m}")))
    }

    fn optional_number(
        &self,
        value: &Option<Spanned<f64>>,
        what: &str,
        bound: Bound,
        default: f64,
    ) -> Result<f64> {
        value
            .as_ref()
            .map_or(Ok(default), |v| self.number(v, what, bound))
    }

    /// A year from `first` to `last`; `allowed` says why, in messages.
    fn year(
        &self,
        value: &Spanned<i64>,
        what: &str,
        (first, last): (i32, i32),
        allowed: &str,
    ) -> Result<i32> {
        let year = *value.get_ref();
        if year < i64::from(first) || year > i64::from(last) {
            return Err(self.err(
                value.span(),
                format!(
                    "{what} = {year} is out of range; expected a year from {first} to {last} ({allowed})"
                ),
            ));
        }
        Ok(year as i32)
    }

    /// One of `options` (by their file spelling), or an error listing them.
    fn choice<T: Copy>(
        &self,
        value: &Spanned<String>,
        what: &str,
        options: &[T],
        spell: fn(T) -> &'static str,
    ) -> Result<T> {
        options
            .iter()
            .copied()
            .find(|o| spell(*o) == value.get_ref())
            .ok_or_else(|| {
                let allowed: Vec<&str> = options.iter().map(|o| spell(*o)).collect();
                self.err(
                    value.span(),
                    format!(
                        "{what} = \"{}\" is not allowed; expected one of {}",
                        input::shown(value.get_ref()),
                        allowed.join(", ")
                    ),
                )
            })
    }

    fn triangular(
        &self,
        value: &Spanned<TriangularWire>,
        what: &str,
        bound: Bound,
    ) -> Result<Triangular> {
        let w = value.get_ref();
        for (part, v) in [("min", w.min), ("mode", w.mode), ("max", w.max)] {
            bound
                .check(v)
                .map_err(|m| self.err(value.span(), format!("{what}.{part} = {m}")))?;
        }
        Triangular::new(w.min, w.mode, w.max).ok_or_else(|| {
            self.err(
                value.span(),
                format!(
                    "{what} = {{ min = {}, mode = {}, max = {} }} is not ordered; expected min <= mode <= max",
                    w.min, w.mode, w.max
                ),
            )
        })
    }

    fn resolve(
        &self,
        wire: ScenarioWire,
        base_dir: &std::path::Path,
        default_title: &str,
    ) -> Result<Scenario> {
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
                        "schema_version = {} is not supported; this version of pledge reads schema_version = {SCHEMA_VERSION}",
                        v.get_ref()
                    ),
                ));
            }
            Some(_) => {}
        }
        let (data, base_items) = self.dataset(&wire, base_dir)?;
        let base_year = data.base_year;
        let last_horizon = bounds::last_horizon(base_year);
        let horizon = match &wire.horizon {
            Some(h) => self.year(
                h,
                "horizon",
                (base_year + 1, last_horizon),
                &if i64::from(last_horizon) < bounds::LAST_YEAR {
                    format!(
                        "after the data's base year {base_year}, and at most {} years after it",
                        bounds::MAX_PROJECTED_YEARS
                    )
                } else {
                    "after the data's base year".to_string()
                },
            )?,
            None => 2035.clamp(base_year + 1, last_horizon),
        };
        let runs = match &wire.runs {
            Some(r) => bounds::runs(i128::from(*r.get_ref()))
                .map_err(|why| self.err(r.span(), format!("runs = {why}")))?,
            None => 10_000,
        };
        let seed = match &wire.seed {
            Some(s) if *s.get_ref() < 0 => {
                return Err(self.err(
                    s.span(),
                    format!(
                        "seed = {} is not allowed; expected a whole number >= 0",
                        s.get_ref()
                    ),
                ));
            }
            Some(s) => *s.get_ref() as u64,
            None => 0,
        };
        let groups = self.groups(&wire, &data.allies)?;
        let goals = self.goals(&wire, &data.allies, base_year, horizon)?;
        let growth = match &wire.growth {
            Some(g) => Growth {
                correlation: self.optional_number(
                    &g.correlation,
                    "[growth] correlation",
                    bounds::CORRELATION,
                    0.0,
                )?,
                sd_scale: self.optional_number(
                    &g.sd_scale,
                    "[growth] sd_scale",
                    bounds::SD_SCALE,
                    1.0,
                )?,
            },
            None => Growth {
                correlation: 0.0,
                sd_scale: 1.0,
            },
        };
        let compliance = self.compliance(wire.compliance.as_ref())?;
        let inflation = match &wire.inflation {
            Some(i) => Inflation {
                mean_pct: self.optional_number(
                    &i.mean,
                    "[inflation] mean",
                    bounds::INFLATION_MEAN_PCT,
                    0.0,
                )?,
                sd_pct: self.optional_number(
                    &i.sd,
                    "[inflation] sd",
                    bounds::INFLATION_SD_PCT,
                    0.0,
                )?,
            },
            None => Inflation {
                mean_pct: 0.0,
                sd_pct: 0.0,
            },
        };
        let capacity = Capacity {
            plan_attainment: match wire
                .capacity
                .as_ref()
                .and_then(|c| c.plan_attainment.as_ref())
            {
                Some(t) => {
                    self.triangular(t, "[capacity] plan_attainment", bounds::PLAN_ATTAINMENT)?
                }
                None => Triangular::fixed(1.0),
            },
        };
        let mix = self.mix(&wire)?;
        let items = self.items(&wire, base_items, &groups, &data.allies, &mix, base_year)?;
        let title = match &wire.title {
            Some(t) => t.get_ref().trim().to_string(),
            None => default_title.to_string(),
        };
        let scenario = Scenario {
            title,
            file: None,
            horizon,
            runs,
            seed,
            data,
            groups,
            goals,
            growth,
            compliance,
            capacity,
            inflation,
            mix,
            items,
        };
        let values = scenario.values_per_run();
        if values > bounds::MAX_VALUES_PER_RUN {
            return Err(InputError::invalid(
                Location::file(self.file),
                format!(
                    "asks for {values} values per run ({} goal(s), {} years, {} groups, {} items); pledge keeps at most {} (a few GB of statistics); use fewer goals, a nearer horizon, or fewer groups or items",
                    scenario.goals.len(),
                    scenario.years().count(),
                    scenario.groups.len(),
                    scenario.items.len(),
                    bounds::MAX_VALUES_PER_RUN
                ),
            ));
        }
        Ok(scenario)
    }

    /// The `[compliance]` table, defaults filled in (full compliance, no drift).
    fn compliance(&self, wire: Option<&ComplianceWire>) -> Result<Compliance> {
        Ok(Compliance {
            lag_years: match wire.and_then(|c| c.lag_years.as_ref()) {
                Some(t) => self.triangular(t, "[compliance] lag_years", bounds::LAG_YEARS)?,
                None => Triangular::fixed(0.0),
            },
            attainment: match wire.and_then(|c| c.attainment.as_ref()) {
                Some(t) => self.triangular(t, "[compliance] attainment", bounds::ATTAINMENT)?,
                None => Triangular::fixed(1.0),
            },
            drift_pp: match wire.and_then(|c| c.drift_pp.as_ref()) {
                Some(v) => self.number(v, "[compliance] drift_pp", bounds::DRIFT_PP)?,
                None => 0.0,
            },
            drift_correlation: match wire.and_then(|c| c.drift_correlation.as_ref()) {
                Some(v) => self.number(v, "[compliance] drift_correlation", bounds::CORRELATION)?,
                None => 0.0,
            },
        })
    }

    /// Loads the allies, the base item list, the capacity plans and the declared plans named
    /// by `[data]`.
    fn dataset(
        &self,
        wire: &ScenarioWire,
        base_dir: &std::path::Path,
    ) -> Result<(Dataset, BaseItems)> {
        let data = wire.data.as_ref();
        let read = |value: Option<&Spanned<String>>,
                    builtin_text: &'static str,
                    may_be_none: bool|
         -> Result<Table> {
            let origin = |o: &str, text: &str, builtin: bool| Table {
                origin: o.to_string(),
                text: text.to_string(),
                builtin,
            };
            match value {
                None => Ok(origin(builtin::ORIGIN, builtin_text, true)),
                Some(v) if v.get_ref() == builtin::ORIGIN => {
                    Ok(origin(builtin::ORIGIN, builtin_text, true))
                }
                Some(v) if may_be_none && v.get_ref() == NONE => Ok(origin(NONE, "", false)),
                Some(v) => {
                    let path = base_dir.join(v.get_ref());
                    let expected = format!(
                        "expected \"builtin\"{} or a CSV path relative to the scenario's folder",
                        if may_be_none { ", \"none\"" } else { "" }
                    );
                    let text = input::read_text(&path, bounds::DATA_CSV_BYTES, "a CSV file")
                        .map_err(|e| match e {
                            InputError::Read { source, .. } => self.err(
                                v.span(),
                                format!("cannot read '{}': {source}; {expected}", path.display()),
                            ),
                            // A refused file is pointed at by the key that names it.
                            InputError::Invalid { message, .. } => {
                                self.err(v.span(), format!("'{}': {message}", path.display()))
                            }
                        })?;
                    Ok(origin(&path.display().to_string(), &text, false))
                }
            }
        };
        let allies_table = read(
            data.and_then(|d| d.allies.as_ref()),
            builtin::ALLIES_CSV,
            false,
        )?;
        let items_table = read(
            data.and_then(|d| d.items.as_ref()),
            builtin::ITEMS_CSV,
            false,
        )?;
        let capacity_table = read(
            data.and_then(|d| d.capacity_plans.as_ref()),
            builtin::CAPACITY_PLANS_CSV,
            true,
        )?;
        let plans_table = read(
            data.and_then(|d| d.plans.as_ref()),
            builtin::PLANS_CSV,
            true,
        )?;
        let base_year = match data.and_then(|d| d.base_year.as_ref()) {
            Some(y) => {
                let year = self.year(
                    y,
                    "[data] base_year",
                    (bounds::FIRST_BASE_YEAR, bounds::LAST_BASE_YEAR),
                    &format!(
                        "the year the allies' figures describe; the horizon, by {} at the latest, must come after it",
                        bounds::LAST_YEAR
                    ),
                )?;
                if allies_table.builtin && year != builtin::BASE_YEAR {
                    return Err(self.err(
                        y.span(),
                        format!(
                            "[data] base_year = {year} does not match the builtin allies, which describe {}; remove base_year or name an allies CSV",
                            builtin::BASE_YEAR
                        ),
                    ));
                }
                year
            }
            None => builtin::BASE_YEAR,
        };
        let allies = data::parse_allies(&allies_table.label("allies.csv"), &allies_table.text)?;
        let items = data::parse_items(&items_table.label("items.csv"), &items_table.text)?;
        let milestones = |table: &Table, kind: &data::MilestoneKind, name: &str| {
            if table.origin == NONE {
                return Ok(Vec::new());
            }
            data::parse_milestones(kind, &table.label(name), &table.text, base_year)
        };
        let capacity_plans =
            milestones(&capacity_table, &data::CAPACITY_PLANS, "capacity_plans.csv")?;
        let mut declared = Vec::new();
        let codes: BTreeSet<&str> = allies.iter().map(|a| a.iso3.as_str()).collect();
        for row in milestones(&plans_table, &data::DECLARED_PLANS, "plans.csv")? {
            if codes.contains(row.key.as_str()) {
                declared.push(DeclaredPoint {
                    iso3: row.key,
                    year: row.year,
                    core_pct: row.value,
                });
            } else if !plans_table.builtin {
                return Err(InputError::invalid(
                    row.origin,
                    format!(
                        "column 'iso3': '{}' is not an ally of the dataset; expected ISO3 codes such as {}",
                        input::shown(&row.key),
                        example_codes(&allies)
                    ),
                ));
            }
            // Builtin plans name builtin allies; custom allies need not have them all.
        }
        let tables = [&allies_table, &items_table, &capacity_table, &plans_table];
        let vintage = if tables.iter().all(|t| t.builtin) {
            builtin::VINTAGE.to_string()
        } else {
            format!(
                "base year {base_year}; allies: {}; items: {}; capacity plans: {}; declared plans: {}",
                allies_table.origin, items_table.origin, capacity_table.origin, plans_table.origin
            )
        };
        let dataset = Dataset {
            base_year,
            vintage,
            allies_provenance: allies_table.provenance(),
            items_provenance: items_table.provenance(),
            capacity_plans_provenance: capacity_table.provenance(),
            plans_provenance: plans_table.provenance(),
            declared,
            allies,
        };
        let base = BaseItems {
            items,
            plans: capacity_plans,
            plans_strict: !capacity_table.builtin,
        };
        Ok((dataset, base))
    }

    fn groups(&self, wire: &ScenarioWire, allies: &[Ally]) -> Result<Vec<Group>> {
        let mut groups = groups::builtin_groups(allies);
        for (name, members) in wire.groups.iter().flatten() {
            groups::check_group_name(name).map_err(|m| {
                self.err(
                    members.span(),
                    format!("[groups] {}", input::shown_in(&m, name)),
                )
            })?;
            let mut codes: Vec<String> = Vec::new();
            for member in members.get_ref() {
                let code = member.get_ref();
                if !allies.iter().any(|a| &a.iso3 == code) {
                    return Err(self.err(
                        member.span(),
                        format!("[groups] {name}: '{}' is not an ally of the dataset; expected ISO3 codes such as {}", input::shown(code), example_codes(allies)),
                    ));
                }
                if codes.contains(code) {
                    return Err(self.err(
                        member.span(),
                        format!("[groups] {name}: '{code}' is listed twice"),
                    ));
                }
                codes.push(code.clone());
            }
            if codes.is_empty() {
                return Err(self.err(
                    members.span(),
                    format!("[groups] {name} has no members; list at least one ISO3 code"),
                ));
            }
            // Members in dataset order, so group sums add up in one fixed order.
            let members = allies
                .iter()
                .filter(|a| codes.contains(&a.iso3))
                .map(|a| a.iso3.clone())
                .collect();
            groups.push(Group {
                name: name.clone(),
                kind: GroupKind::Scenario,
                members,
            });
        }
        groups.extend(groups::ally_groups(allies));
        Ok(groups)
    }

    fn goals(
        &self,
        wire: &ScenarioWire,
        allies: &[Ally],
        base_year: i32,
        horizon: i32,
    ) -> Result<Vec<Goal>> {
        if wire.goal.is_empty() {
            return Err(InputError::invalid(
                self.start(),
                "no [[goal]] table; a scenario needs at least one goal (the first is the reference)",
            ));
        }
        let mut goals: Vec<Goal> = Vec::new();
        let mut ids = BTreeSet::new();
        for spanned in &wire.goal {
            let goal = self.goal(spanned, allies, base_year, horizon)?;
            if !ids.insert(goal.id.clone()) {
                let span = spanned
                    .get_ref()
                    .id
                    .as_ref()
                    .map_or(spanned.span(), |s| s.span());
                return Err(self.err(
                    span,
                    format!(
                        "goal id '{}' is used twice; goal ids must be unique",
                        goal.id
                    ),
                ));
            }
            goals.push(goal);
        }
        Ok(goals)
    }

    fn goal(
        &self,
        spanned: &Spanned<GoalWire>,
        allies: &[Ally],
        base_year: i32,
        horizon: i32,
    ) -> Result<Goal> {
        let w = spanned.get_ref();
        let missing = |key: &str| {
            self.err(
                spanned.span(),
                format!(
                    "[[goal]]: missing key '{key}'; a goal needs id, label and core_pct (or plans = \"declared\")"
                ),
            )
        };
        let id_value = w.id.as_ref().ok_or_else(|| missing("id"))?;
        let id = id_value.get_ref().clone();
        check_id(&id).map_err(|m| {
            self.err(
                id_value.span(),
                format!("goal {}", input::shown_in(&m, &id)),
            )
        })?;
        let ctx = format!("goal '{id}': ");
        let label = w.label.as_ref().ok_or_else(|| missing("label"))?;
        if label.get_ref().trim().is_empty() {
            return Err(self.err(
                label.span(),
                format!("{ctx}label is empty; give a display label"),
            ));
        }
        let plans = match &w.plans {
            Some(p) => self.choice(p, &format!("{ctx}plans"), &Plans::ALL, Plans::as_str)?,
            None => Plans::None,
        };
        let core_pct = match (&w.core_pct, plans) {
            (Some(core), _) => {
                Some(self.number(core, &format!("{ctx}core_pct"), bounds::PCT_GDP)?)
            }
            (None, Plans::Declared) => None,
            (None, Plans::None) => return Err(missing("core_pct")),
        };
        // The base year is data (MODEL.md v2): a goal moves nothing before B + 1.
        let target_year = |value: &Spanned<i64>, what: &str| {
            self.year(
                value,
                what,
                (base_year + 1, bounds::LAST_YEAR as i32),
                "after the data's base year",
            )
        };
        let mut overrides = BTreeMap::new();
        for (code, o) in w.overrides.iter().flatten() {
            if !allies.iter().any(|a| &a.iso3 == code) {
                return Err(self.err(
                    o.span(),
                    format!("{ctx}overrides.{code}: '{code}' is not an ally of the dataset; expected ISO3 codes such as {}", example_codes(allies), code = input::shown(code)),
                ));
            }
            let ow = o.get_ref();
            let octx = format!("{ctx}overrides.{code}.");
            let number = |v: &Option<Spanned<f64>>, key: &str, bound| -> Result<Option<f64>> {
                v.as_ref()
                    .map(|v| self.number(v, &format!("{octx}{key}"), bound))
                    .transpose()
            };
            overrides.insert(
                code.clone(),
                GoalOverride {
                    core_pct: number(&ow.core_pct, "core_pct", bounds::PCT_GDP)?,
                    related_pct: number(&ow.related_pct, "related_pct", bounds::PCT_GDP)?,
                    target_year: ow
                        .target_year
                        .as_ref()
                        .map(|y| target_year(y, &format!("{octx}target_year")))
                        .transpose()?,
                    path: ow
                        .path
                        .as_ref()
                        .map(|p| self.choice(p, &format!("{octx}path"), &Path::ALL, Path::as_str))
                        .transpose()?,
                    equipment_pct: number(
                        &ow.equipment_pct,
                        "equipment_pct",
                        bounds::PCT_OF_DEFENCE,
                    )?,
                    points: match (&ow.points, &ow.target_year) {
                        (Some(p), Some(_)) => {
                            return Err(self.err(
                                p.span(),
                                format!(
                                    "{octx}points: an override gives points or target_year, not both (the last point is the target year)"
                                ),
                            ));
                        }
                        (Some(p), None) => Some(
                            self.year_values(
                                p,
                                &format!("{octx}points"),
                                base_year,
                                bounds::PCT_GDP,
                                false,
                            )?
                                .into_iter()
                                .map(|(year, core_pct)| PathPoint { year, core_pct })
                                .collect(),
                        ),
                        (None, _) => None,
                    },
                },
            );
        }
        Ok(Goal {
            label: label.get_ref().trim().to_string(),
            core_pct,
            plans,
            related_pct: self.optional_number(
                &w.related_pct,
                &format!("{ctx}related_pct"),
                bounds::PCT_GDP,
                0.0,
            )?,
            target_year: match &w.target_year {
                Some(y) => target_year(y, &format!("{ctx}target_year"))?,
                None => horizon,
            },
            path: match &w.path {
                Some(p) => self.choice(p, &format!("{ctx}path"), &Path::ALL, Path::as_str)?,
                None => Path::Linear,
            },
            floor: match &w.floor {
                Some(f) => self.choice(f, &format!("{ctx}floor"), &Floor::ALL, Floor::as_str)?,
                None => Floor::Current,
            },
            equipment_pct: self.optional_number(
                &w.equipment_pct,
                &format!("{ctx}equipment_pct"),
                bounds::PCT_OF_DEFENCE,
                20.0,
            )?,
            overrides,
            id,
        })
    }

    fn mix(&self, wire: &ScenarioWire) -> Result<Mix> {
        let Some(spanned) = &wire.mix else {
            return Ok(Mix::DEFAULT);
        };
        let w = spanned.get_ref();
        let values = [
            &w.land,
            &w.air,
            &w.maritime,
            &w.air_defence,
            &w.munitions,
            &w.other,
        ];
        let mut shares = [0.0; 6];
        for ((share, value), category) in shares.iter_mut().zip(values).zip(Category::ALL) {
            let key = category.as_str();
            let value = value.as_ref().ok_or_else(|| {
                self.err(
                    spanned.span(),
                    format!(
                        "[mix]: missing key '{key}'; when [mix] is given, all six shares are required: {}",
                        Category::ALL.map(Category::as_str).join(", ")
                    ),
                )
            })?;
            let what = format!("[mix] {key}");
            *share = self.number(value, &what, bounds::MIX_SHARE)?;
            if *share > 0.0 {
                self.number(value, &what, bounds::MIX_SHARE_POSITIVE)?;
            }
        }
        let sum: f64 = shares.iter().sum();
        if (sum - 1.0).abs() > 1e-6 {
            return Err(self.err(
                spanned.span(),
                format!(
                    "[mix]: the six shares sum to {}; expected 1 (within 1e-6)",
                    (sum * 1e9).round() / 1e9
                ),
            ));
        }
        let what = "[mix] concentration";
        let concentration =
            self.optional_number(&w.concentration, what, bounds::MIX_CONCENTRATION, 0.0)?;
        if let Some(value) = &w.concentration
            && concentration > 0.0
        {
            self.number(value, what, bounds::MIX_CONCENTRATION_POSITIVE)?;
        }
        Ok(Mix {
            shares,
            concentration,
        })
    }

    fn items(
        &self,
        wire: &ScenarioWire,
        base: BaseItems,
        groups: &[Group],
        allies: &[Ally],
        mix: &Mix,
        base_year: i32,
    ) -> Result<Vec<Item>> {
        let BaseItems {
            mut items,
            plans,
            plans_strict,
        } = base;
        // Items by id: plan rows and [[item]]s look them up, and each may number in the
        // thousands.
        let mut index: BTreeMap<String, usize> = items
            .iter()
            .enumerate()
            .map(|(j, i)| (i.id.clone(), j))
            .collect();
        for row in plans {
            match index.get(&row.key).map(|&j| &mut items[j]) {
                Some(item) => item.capacity_plan.push(PlanPoint {
                    year: row.year,
                    capacity: row.value,
                }),
                // Builtin plans name builtin items; custom items need not have them all.
                None if !plans_strict => {}
                None => {
                    return Err(InputError::invalid(
                        row.origin.clone(),
                        format!(
                            "column 'item': '{}' is not an item of this scenario; expected one of {}",
                            input::shown(&row.key),
                            input::some_of(items.iter().map(|i| i.id.as_str()))
                        ),
                    ));
                }
            }
        }
        for item in &mut items {
            item.capacity_plan.sort_by_key(|p| p.year);
        }
        let mut from_scenario: BTreeSet<&str> = BTreeSet::new();
        for spanned in &wire.item {
            let w = spanned.get_ref();
            let id_value = w.id.as_ref().ok_or_else(|| {
                self.err(
                    spanned.span(),
                    format!("[[item]]: missing key 'id'; {ITEM_KEYS}"),
                )
            })?;
            let id = id_value.get_ref();
            check_id(id).map_err(|m| {
                self.err(id_value.span(), format!("item {}", input::shown_in(&m, id)))
            })?;
            if !from_scenario.insert(id) {
                return Err(self.err(
                    id_value.span(),
                    format!(
                        "item id '{id}' is used twice in this scenario; item ids must be unique"
                    ),
                ));
            }
            match index.get(id) {
                Some(&j) => self.patch_item(spanned, &mut items[j], base_year)?,
                None => {
                    if items.len() == bounds::MAX_ITEMS {
                        return Err(self.err(
                            id_value.span(),
                            format!(
                                "item '{id}' would be item {} of this scenario; a scenario has at most {} items",
                                bounds::MAX_ITEMS + 1,
                                bounds::MAX_ITEMS
                            ),
                        ));
                    }
                    index.insert(id.clone(), items.len());
                    items.push(self.new_item(spanned, base_year)?);
                }
            }
        }
        let group_index: BTreeMap<&str, &Group> =
            groups.iter().map(|g| (g.name.as_str(), g)).collect();
        // Each group's base-year equipment spending, computed once per group: the sum runs
        // over every ally for every member.
        let mut equipment: BTreeMap<&str, f64> = BTreeMap::new();
        for item in &items {
            let Some(group) = group_index.get(item.buyers.as_str()) else {
                return Err(InputError::invalid(
                    item.origin.clone(),
                    format!(
                        "item '{}': buyers = '{}' is not a group; expected one of {} or an ally's ISO3 code",
                        item.id,
                        input::shown(&item.buyers),
                        input::some_of(
                            groups
                                .iter()
                                .filter(|g| g.kind != GroupKind::Ally)
                                .map(|g| g.name.as_str())
                        )
                    ),
                ));
            };
            if let Purchase::BaseDemand(units) = item.purchase {
                let group_equipment = *equipment.entry(group.name.as_str()).or_insert_with(|| {
                    crate::data::base_year::base_category_spend_musd(allies, &group.members, 1.0)
                });
                self.check_calibration(wire, item, units, group_equipment, mix)?;
            }
        }
        Ok(items)
    }

    /// Refuses a `base_demand` item whose `alpha` cannot be calibrated (MODEL.md section 4):
    /// its category share is 0, its buyers have no equipment spending in the base year, or
    /// the base-year demand costs more than the buyers spend on the category (`alpha > 1`).
    fn check_calibration(
        &self,
        wire: &ScenarioWire,
        item: &Item,
        units: f64,
        group_equipment_musd: f64,
        mix: &Mix,
    ) -> Result<()> {
        let share = mix.shares[item.category.index()];
        if share == 0.0 {
            let span = wire.mix.as_ref().map_or(0..0, |m| m.span());
            return Err(self.err(
                span,
                format!(
                    "[mix]: the {} share is 0, so item '{}' ({}) buys nothing and its alpha cannot be calibrated from base_demand; give the share a value, or give the item alpha",
                    item.category.as_str(),
                    item.id,
                    item.origin
                ),
            ));
        }
        // The model's `base_category_spend_musd(allies, members, share)`: the same sum times
        // the share, so the two agree to the bit.
        let spend = group_equipment_musd * share;
        if spend <= 0.0 {
            return Err(InputError::invalid(
                item.origin.clone(),
                format!(
                    "item '{}': cannot calibrate alpha from base_demand: its buyers '{}' spend nothing on {} in the base year; give alpha instead",
                    item.id,
                    item.buyers,
                    item.category.as_str()
                ),
            ));
        }
        let absorbed = units * item.unit_cost_musd;
        if absorbed > spend {
            return Err(InputError::invalid(
                item.origin.clone(),
                format!(
                    "item '{}': base_demand x unit_cost_musd = {} musd is more than its buyers '{}' spend on {} in the base year ({} musd), so alpha would exceed 1; lower base_demand, or choose more buyers",
                    item.id,
                    crate::text::format_number(absorbed),
                    item.buyers,
                    item.category.as_str(),
                    crate::text::format_number(spend)
                ),
            ));
        }
        Ok(())
    }

    /// A new item from an `[[item]]` whose id is not in the list: the required keys must all
    /// be there.
    fn new_item(&self, spanned: &Spanned<ItemWire>, base_year: i32) -> Result<Item> {
        let w = spanned.get_ref();
        let missing = |key: &str| {
            self.err(
                spanned.span(),
                format!("[[item]]: missing key '{key}'; {ITEM_KEYS}"),
            )
        };
        let id = w.id.as_ref().expect("checked by the caller").get_ref();
        let buyers = w.buyers.as_ref().ok_or_else(|| missing("buyers"))?;
        for (key, given) in [
            ("category", w.category.is_some()),
            ("unit_cost_musd", w.unit_cost_musd.is_some()),
            ("capacity", w.capacity.is_some()),
            (
                "alpha' or 'base_demand",
                w.alpha.is_some() || w.base_demand.is_some(),
            ),
        ] {
            if !given {
                return Err(missing(key));
            }
        }
        let mut item = Item {
            id: id.clone(),
            label: id.clone(),
            unit: DEFAULT_UNIT.to_string(),
            category: Category::Other,
            buyers: String::new(),
            purchase: Purchase::Alpha(0.0),
            unit_cost_musd: 0.0,
            cost_sigma: 0.0,
            capacity_units_per_year: 0.0,
            capacity_growth_pct: Triangular::fixed(0.0),
            lead_years: 0.0,
            capacity_plan: Vec::new(),
            plan_attainment: None,
            source: String::new(),
            notes: String::new(),
            origin: self.at(buyers.span()),
        };
        self.patch_item(spanned, &mut item, base_year)?;
        Ok(item)
    }

    /// Sets the keys an `[[item]]` gives, and only those (MODEL.md v2, section 8): `alpha`
    /// or `base_demand` replaces the other, and `capacity_plan` replaces the plan rows.
    fn patch_item(
        &self,
        spanned: &Spanned<ItemWire>,
        item: &mut Item,
        base_year: i32,
    ) -> Result<()> {
        let w = spanned.get_ref();
        let ctx = format!("item '{}': ", item.id);
        let what = |key: &str| format!("{ctx}{key}");
        let number = |value: &Option<Spanned<f64>>, key: &str, bound| {
            value
                .as_ref()
                .map(|v| self.number(v, &what(key), bound))
                .transpose()
        };
        let text = |value: &Option<Spanned<String>>, key: &str| -> Result<Option<String>> {
            value
                .as_ref()
                .map(|v| {
                    let t = v.get_ref().trim();
                    if t.is_empty() {
                        Err(self.err(v.span(), format!("{ctx}{key} is empty; give a value")))
                    } else {
                        Ok(t.to_string())
                    }
                })
                .transpose()
        };
        if let Some(id) = &w.id {
            item.origin = self.at(id.span());
        }
        if let Some(label) = text(&w.label, "label")? {
            item.label = label;
        }
        if let Some(unit) = text(&w.unit, "unit")? {
            item.unit = unit;
        }
        if let Some(category) = &w.category {
            item.category = self.choice(
                category,
                &what("category"),
                &Category::ALL,
                Category::as_str,
            )?;
        }
        if let Some(buyers) = &w.buyers {
            item.buyers = buyers.get_ref().clone();
            item.origin = self.at(buyers.span());
        }
        item.purchase = match (&w.alpha, &w.base_demand) {
            (Some(a), Some(_)) => {
                return Err(self.err(
                    a.span(),
                    format!("{ctx}both alpha and base_demand are given; give one of them"),
                ));
            }
            (Some(a), None) => Purchase::Alpha(self.number(a, &what("alpha"), bounds::ALPHA)?),
            (None, Some(b)) => Purchase::BaseDemand(self.number(
                b,
                &what("base_demand"),
                bounds::BASE_DEMAND_UNITS,
            )?),
            (None, None) => item.purchase,
        };
        if let Some(cost) = number(&w.unit_cost_musd, "unit_cost_musd", bounds::UNIT_COST_MUSD)? {
            item.unit_cost_musd = cost;
        }
        if let Some(sigma) = number(&w.cost_sigma, "cost_sigma", bounds::COST_SIGMA)? {
            item.cost_sigma = sigma;
        }
        if let Some(capacity) = number(&w.capacity, "capacity", bounds::CAPACITY_UNITS_PER_YEAR)? {
            item.capacity_units_per_year = capacity;
        }
        if let Some(t) = &w.capacity_growth_pct {
            item.capacity_growth_pct =
                self.triangular(t, &what("capacity_growth_pct"), bounds::CAPACITY_GROWTH_PCT)?;
        }
        if let Some(lead) = number(&w.lead_years, "lead_years", bounds::LEAD_YEARS)? {
            item.lead_years = lead;
        }
        if let Some(plan) = &w.capacity_plan {
            item.capacity_plan = self
                .year_values(
                    plan,
                    &what("capacity_plan"),
                    base_year,
                    bounds::CAPACITY_UNITS_PER_YEAR,
                    true,
                )?
                .into_iter()
                .map(|(year, capacity)| PlanPoint { year, capacity })
                .collect();
        }
        if let Some(t) = &w.plan_attainment {
            item.plan_attainment =
                Some(self.triangular(t, &what("plan_attainment"), bounds::PLAN_ATTAINMENT)?);
        }
        if let Some(source) = &w.source {
            item.source = input::normalise_line_ends(source);
        }
        if let Some(notes) = &w.notes {
            item.notes = input::normalise_line_ends(notes);
        }
        Ok(())
    }

    /// A table of years to numbers (`capacity_plan`, `points`): years after the base year,
    /// values within `bound`, returned in year order. An empty table is refused unless
    /// `may_be_empty` (`capacity_plan = {}` removes an item's announced plan).
    fn year_values(
        &self,
        table: &Spanned<YearValues>,
        what: &str,
        base_year: i32,
        bound: Bound,
        may_be_empty: bool,
    ) -> Result<Vec<(i32, f64)>> {
        let mut values = Vec::new();
        for (year_text, value) in table.get_ref() {
            // Only the plain spelling, so that "2027", "02027" and "+2027" cannot name one
            // year twice.
            let year = year_text
                .parse::<i32>()
                .ok()
                .filter(|y| y.to_string() == *year_text)
                .filter(|y| *y > base_year && i64::from(*y) <= bounds::LAST_YEAR)
                .ok_or_else(|| {
                    self.err(
                        value.span(),
                        format!(
                            "{what}: key '{}' is not allowed; expected a year from {} to {} (after the base year {base_year})",
                            input::shown(year_text),
                            base_year + 1,
                            bounds::LAST_YEAR
                        ),
                    )
                })?;
            values.push((year, self.number(value, &format!("{what}.{year}"), bound)?));
        }
        if values.is_empty() && !may_be_empty {
            return Err(self.err(
                table.span(),
                format!(
                    "{what} is empty; give at least one year, such as {{ {} = ... }}",
                    base_year + 1
                ),
            ));
        }
        values.sort_by_key(|v| v.0);
        Ok(values)
    }
}

/// A data table as read: where from, its text, and whether it is the builtin one.
struct Table {
    origin: String,
    text: String,
    builtin: bool,
}

impl Table {
    /// The name used in messages: `builtin plans.csv`, or the path.
    fn label(&self, builtin_name: &str) -> String {
        if self.builtin {
            format!("builtin {builtin_name}")
        } else {
            self.origin.clone()
        }
    }

    fn provenance(&self) -> Provenance {
        Provenance {
            origin: self.origin.clone(),
            sha256: sha256_hex(self.text.as_bytes()),
        }
    }
}

/// The keys of an `[[item]]`, for messages.
const ITEM_KEYS: &str = "a new item needs id, category, buyers, unit_cost_musd, capacity, and alpha or base_demand; an item whose id is already listed changes only the keys given";

/// The item list a scenario starts from, before its `[[item]]` tables: the items of `[data]
/// items` and the rows of `[data] capacity_plans`.
struct BaseItems {
    items: Vec<Item>,
    plans: Vec<Milestone>,
    /// True when the plans came from a file of the user's: a row naming an unknown item is
    /// then an error. Builtin plans skip the items a custom item list does not have.
    plans_strict: bool,
}

/// The key whose value starts at byte `offset`: the `key` of `key = value` on that line.
fn key_before(text: &str, offset: usize) -> Option<&str> {
    let before = &text[..offset.min(text.len())];
    let line = &before[before.rfind('\n').map_or(0, |i| i + 1)..];
    let key = line.trim_end().strip_suffix('=')?.trim();
    let key = key.rsplit(['{', ',']).next()?.trim();
    let simple = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | '"'));
    simple.then_some(key)
}

/// A few ISO3 codes of the dataset, for messages.
fn example_codes(allies: &[Ally]) -> String {
    let codes: Vec<&str> = allies.iter().take(4).map(|a| a.iso3.as_str()).collect();
    format!("{} ('pledge data allies' lists them)", codes.join(", "))
}
