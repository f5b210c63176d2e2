//! The checks a `result.json` read back must pass before anything uses it: a file this
//! version wrote, unedited, passes every one. Each failure is a sentence for the error
//! message, naming what is wrong.

use super::{MODEL_SPEC, ResultRow, Results, SUMMARY_COLUMNS};
use crate::bounds;
use crate::scenario::{Scenario, input_hash};
use serde::Deserialize;

/// Why a file is refused: a sentence.
type Why = String;

/// When `bytes` look like a `result.json` of another version (by its columns), why it
/// cannot be read; `None` otherwise.
pub(super) fn older_version(bytes: &[u8]) -> Option<Why> {
    #[derive(Deserialize)]
    struct Header {
        columns: Vec<String>,
    }
    let header: Header = serde_json::from_slice(bytes).ok()?;
    (header.columns != SUMMARY_COLUMNS).then(|| columns_differ(&header.columns))
}

/// Why a file with these columns (not this version's) cannot be read.
fn columns_differ(columns: &[String]) -> Why {
    if columns.iter().any(|c| c == "central") {
        "was written by an older pledge (MODEL.md v1, with a 'central' column); its numbers \
         come from another model: run the scenario again with this version"
            .to_string()
    } else {
        format!(
            "its columns are not those of this version; expected {}",
            SUMMARY_COLUMNS.join(",")
        )
    }
}

/// Checks a `result.json` read back against itself.
pub(super) fn check(results: &Results) -> Result<(), Why> {
    if results.columns != SUMMARY_COLUMNS {
        return Err(columns_differ(&results.columns));
    }
    if results.tool.name != env!("CARGO_PKG_NAME") {
        return Err(format!(
            "was written by '{}', not by pledge",
            results.tool.name
        ));
    }
    if results.model_spec != MODEL_SPEC {
        return Err(format!(
            "follows '{}', this version {MODEL_SPEC}; run the scenario again with this version",
            results.model_spec
        ));
    }
    let scenario = &results.scenario;
    if input_hash(scenario) != results.input_hash {
        return Err(
            "its scenario does not match its input hash; the file is damaged or was \
                    edited after pledge wrote it"
                .to_string(),
        );
    }
    if results.seed != scenario.seed || results.runs != scenario.runs {
        return Err(format!(
            "says seed {} and {} runs, its scenario seed {} and {} runs; the file is damaged",
            results.seed, results.runs, scenario.seed, scenario.runs
        ));
    }
    check_data(results)?;
    check_scenario_shape(scenario)?;
    check_alphas(results)?;
    check_rows(results)?;
    check_statistics(results)
}

/// The `data` table repeats the scenario's data: they must agree.
fn check_data(results: &Results) -> Result<(), Why> {
    let (info, data) = (&results.data, &results.scenario.data);
    let agrees = info.base_year == data.base_year
        && info.vintage == data.vintage
        && info.allies == data.allies_provenance
        && info.items == data.items_provenance
        && info.capacity_plans == data.capacity_plans_provenance
        && info.plans == data.plans_provenance;
    if agrees {
        Ok(())
    } else {
        Err("its 'data' table does not agree with its scenario's data; the file is damaged".into())
    }
}

/// What the rows' layout needs of the scenario: goals, groups, years in range, and every
/// item's buyers among the groups, with no name twice.
fn check_scenario_shape(scenario: &Scenario) -> Result<(), Why> {
    let (b, h) = (scenario.base_year(), scenario.horizon);
    if !(bounds::FIRST_BASE_YEAR..=bounds::LAST_BASE_YEAR).contains(&b)
        || h <= b
        || h > bounds::last_horizon(b)
    {
        return Err(format!(
            "its years {b}-{h} are out of range; the file is damaged"
        ));
    }
    if scenario.goals.is_empty() {
        return Err("its scenario has no goals; the file is damaged".into());
    }
    if scenario.groups.is_empty() {
        return Err("its scenario has no groups; the file is damaged".into());
    }
    let twice = |names: Vec<&str>| {
        let mut sorted = names;
        sorted.sort_unstable();
        sorted
            .windows(2)
            .find(|w| w[0] == w[1])
            .map(|w| w[0].to_string())
    };
    let lists = [
        (
            "goal",
            scenario.goals.iter().map(|g| g.id.as_str()).collect(),
        ),
        (
            "group",
            scenario.groups.iter().map(|g| g.name.as_str()).collect(),
        ),
        (
            "item",
            scenario.items.iter().map(|i| i.id.as_str()).collect(),
        ),
    ];
    for (what, names) in lists {
        if let Some(name) = twice(names) {
            return Err(format!(
                "its scenario names {what} '{name}' twice; the file is damaged"
            ));
        }
    }
    if let Some(item) = scenario
        .items
        .iter()
        .find(|i| scenario.group_index(&i.buyers).is_none())
    {
        return Err(format!(
            "item '{}' is bought by '{}', which is not a group of its scenario; the file is damaged",
            item.id, item.buyers
        ));
    }
    Ok(())
}

/// One `alpha` per item, in the scenario's order, each finite and positive.
fn check_alphas(results: &Results) -> Result<(), Why> {
    let items: Vec<&str> = results
        .scenario
        .items
        .iter()
        .map(|i| i.id.as_str())
        .collect();
    let named: Vec<&str> = results.alphas.keys().map(String::as_str).collect();
    if items != named {
        return Err(format!(
            "its alphas are for {}, its items {}; the file is damaged",
            named.join(","),
            items.join(",")
        ));
    }
    match results
        .alphas
        .iter()
        .find(|(_, a)| !(a.is_finite() && **a >= 0.0))
    {
        Some((id, a)) => Err(format!("alpha of '{id}' is {a}; the file is damaged")),
        None => Ok(()),
    }
}

/// The rows its scenario's layout has: how many, computed before anything is built from the
/// scenario (a damaged one could ask for billions), then each row's names in order.
fn check_rows(results: &Results) -> Result<(), Why> {
    let scenario = &results.scenario;
    let expected = scenario.values_per_run();
    if results.rows.len() as u64 != expected {
        return Err(format!(
            "it has {} rows, its scenario {expected}; the file is damaged",
            results.rows.len()
        ));
    }
    if expected > bounds::MAX_VALUES_PER_RUN {
        return Err(format!(
            "its scenario has {expected} values a run, more than {}; the file is damaged",
            bounds::MAX_VALUES_PER_RUN
        ));
    }
    let layout = crate::scenario::metrics::Layout::new(scenario);
    for (n, (row, key)) in results.rows.iter().zip(layout.rows()).enumerate() {
        let expected = ResultRow {
            goal: scenario.goals[key.goal].id.clone(),
            year: key.year,
            group: scenario.groups[key.group].name.clone(),
            item: key.item.map(|i| scenario.items[i].id.clone()),
            metric: key.metric,
            plan: row.plan,
            stats: row.stats,
        };
        if *row != expected {
            return Err(format!(
                "row {} is {} {} {} {} {}, where its scenario has {} {} {} {} {} in that place; \
                 the file is damaged",
                n + 1,
                row.goal,
                row.year,
                row.group,
                row.item.as_deref().unwrap_or("-"),
                row.metric.as_str(),
                expected.goal,
                expected.year,
                expected.group,
                expected.item.as_deref().unwrap_or("-"),
                expected.metric.as_str(),
            ));
        }
    }
    Ok(())
}

/// Statistics on every row or on none, as the runs say; every number finite; percentiles in
/// order; headline errors on headline rows.
fn check_statistics(results: &Results) -> Result<(), Why> {
    let with_stats = results.rows.iter().filter(|r| r.stats.is_some()).count();
    match &results.monte_carlo {
        Some(mc) if with_stats != results.rows.len() => {
            return Err(format!(
                "it records {} runs but only {with_stats} of {} rows have statistics; the file is damaged",
                mc.runs,
                results.rows.len()
            ));
        }
        Some(mc) if mc.runs != results.runs => {
            return Err(format!(
                "its monte_carlo table says {} runs, the file {}; the file is damaged",
                mc.runs, results.runs
            ));
        }
        None if with_stats > 0 => {
            return Err(
                "its rows have statistics but it records no runs; the file is damaged".into(),
            );
        }
        _ => {}
    }
    for (n, row) in results.rows.iter().enumerate() {
        let numbers = std::iter::once(row.plan).chain(
            row.stats
                .iter()
                .flat_map(|s| std::iter::once(s.mean).chain(s.percentiles)),
        );
        if numbers.clone().any(|v| !v.is_finite()) {
            return Err(format!(
                "row {} has a number that is not finite; the file is damaged",
                n + 1
            ));
        }
        if let Some(s) = &row.stats
            && s.percentiles.windows(2).any(|w| w[0] > w[1])
        {
            return Err(format!(
                "row {}'s percentiles are not in increasing order; the file is damaged",
                n + 1
            ));
        }
    }
    for h in results.headline_errors() {
        let found = results.rows.iter().any(|r| {
            r.goal == h.goal
                && r.year == h.year
                && r.group == h.group
                && r.item.is_none()
                && r.metric == h.metric
        });
        if !(found && h.standard_error.is_finite() && h.standard_error >= 0.0) {
            return Err(format!(
                "its headline error for {} {} {} {} is not a headline row with a standard error; the file is damaged",
                h.goal,
                h.year,
                h.group,
                h.metric.as_str()
            ));
        }
    }
    Ok(())
}
