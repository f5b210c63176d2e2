//! Located messages for bad input, checked at library level from tables of cases, without
//! starting a process. The command line prints each of these messages after `error: ` and exits
//! with code 2; `cli_errors.rs` checks that once per class of error, with nothing written.
//!
//! - Scenario files (`scenario::parse`): each case changes one line of a valid scenario (a
//!   small one with declared plans, points, drift and capacity plans, [`BASE`], or
//!   [`PROBE`], which uses every table) and names the file, line and column of the error and
//!   words it must contain: syntax, unknown keys in every table, every range, wrong types,
//!   order, sums, unknown allies, groups and categories, duplicates, missing keys, schema
//!   versions, ids and control characters.
//! - Files (`scenario::load`): a `[data]` CSV with a bad cell, an unknown column or missing,
//!   and a scenario file missing or not UTF-8, located in the file at fault.
//! - Flags (`app::prepare`, `app::compare::parse_goals`, `ShardSpec::parse`): `--runs`,
//!   `--threads`, `--tolerance`, `--max-runs`, `--shard`, `--goals` and `--horizon`, each
//!   refused before anything is written. The flags only the binary checks (clap's, and a
//!   `--runs` that is not a number) are in `cli_errors.rs`.

use crate::common::{
    PROBE, allies_csv, allies_csv_with_a_bad_gdp, hague, probe_edit, probe_insert,
    scenario_with_allies, tempdir,
};
use pledge::app::compare::{DEFAULT_GOALS, parse_goals};
use pledge::app::shard::ShardSpec;
use pledge::app::{self, ComplianceChoice, Limits, Progress, RunConfig, Runs, Study};
use pledge::mc::BLOCK_RUNS;
use pledge::report::PackFormats;
use pledge::scenario;
use std::fs;
use std::path::{Path, PathBuf};

/// A valid scenario with declared paths, capacity plans and drift; cases edit it line by line.
const BASE: &str = r#"schema_version = 1
horizon = 2030

[[goal]]
id = "declared"
label = "Declared"
plans = "declared"

[[goal]]
id = "high"
label = "High"
core_pct = 3.5
[goal.overrides.DEU]
points = { 2026 = 2.8, 2029 = 3.5 }

[compliance]
drift_pp = 0.15
drift_correlation = 0.17

[capacity]
plan_attainment = { min = 0.3, mode = 0.6, max = 1.0 }

[[item]]
id = "cv90"
capacity_plan = { 2027 = 300 }
"#;

/// `BASE` with line `n` (1-based), which must read `old`, replaced by `new`.
fn edit(n: usize, old: &str, new: &str) -> String {
    let mut lines: Vec<&str> = BASE.lines().collect();
    assert_eq!(lines[n - 1], old, "BASE line {n}");
    lines[n - 1] = new;
    lines.join("\n") + "\n"
}

#[test]
fn the_base_scenario_is_valid() {
    let s = scenario::parse("base.toml", BASE, Path::new("."), "base").unwrap();
    assert_eq!(s.goals[0].core_pct, None);
    assert_eq!(s.compliance.drift_pp, 0.15);
    let cv90 = s.items.iter().find(|i| i.id == "cv90").unwrap();
    // The scenario's plan replaces the builtin row (250 in 2026).
    assert_eq!(cv90.capacity_plan.len(), 1);
    assert_eq!(
        (cv90.capacity_plan[0].year, cv90.capacity_plan[0].capacity),
        (2027, 300.0)
    );
}

#[test]
fn each_bad_value_gets_a_located_message() {
    let cases: &[(&str, String, &str, &[&str])] = &[
        (
            "plans other than declared",
            edit(7, "plans = \"declared\"", "plans = \"announced\""),
            "bad.toml:7:9",
            &["goal 'declared': plans = \"announced\" is not allowed; expected one of declared"],
        ),
        (
            "no core_pct and no plans",
            edit(7, "plans = \"declared\"", ""),
            "bad.toml:4:1",
            &["missing key 'core_pct'", "or plans = \"declared\""],
        ),
        (
            "points and target_year together",
            edit(
                14,
                "points = { 2026 = 2.8, 2029 = 3.5 }",
                "points = { 2026 = 2.8, 2029 = 3.5 }\ntarget_year = 2030",
            ),
            "bad.toml:14:10",
            &["overrides.DEU.points: an override gives points or target_year, not both"],
        ),
        (
            "a point in the base year",
            edit(
                14,
                "points = { 2026 = 2.8, 2029 = 3.5 }",
                "points = { 2025 = 2.8 }",
            ),
            "bad.toml:14:19",
            &["key '2025' is not allowed; expected a year from 2026 to 2100"],
        ),
        (
            "a point that is not a year",
            edit(
                14,
                "points = { 2026 = 2.8, 2029 = 3.5 }",
                "points = { soon = 2.8 }",
            ),
            "bad.toml:14:19",
            &["key 'soon' is not allowed"],
        ),
        (
            "a share above 100%",
            edit(
                14,
                "points = { 2026 = 2.8, 2029 = 3.5 }",
                "points = { 2026 = 280 }",
            ),
            "bad.toml:14:19",
            &["points.2026 = 280 is out of range; expected a percentage of GDP"],
        ),
        (
            "no points at all",
            edit(14, "points = { 2026 = 2.8, 2029 = 3.5 }", "points = {}"),
            "bad.toml:14:10",
            &["points is empty"],
        ),
        (
            "drift above its range",
            edit(17, "drift_pp = 0.15", "drift_pp = 9"),
            "bad.toml:17:12",
            &[
                "[compliance] drift_pp = 9 is out of range",
                "between 0 and 5",
            ],
        ),
        (
            "drift correlation above 1",
            edit(18, "drift_correlation = 0.17", "drift_correlation = 1.5"),
            "bad.toml:18:21",
            &["[compliance] drift_correlation = 1.5 is out of range"],
        ),
        (
            "plan attainment above 1",
            edit(
                21,
                "plan_attainment = { min = 0.3, mode = 0.6, max = 1.0 }",
                "plan_attainment = { min = 0.3, mode = 0.6, max = 1.5 }",
            ),
            "bad.toml:21:19",
            &[
                "[capacity] plan_attainment.max = 1.5 is out of range",
                "plan attainment",
            ],
        ),
        (
            "a capacity plan point before the base year",
            edit(
                25,
                "capacity_plan = { 2027 = 300 }",
                "capacity_plan = { 2020 = 300 }",
            ),
            "bad.toml:25:26",
            &["item 'cv90': capacity_plan: key '2020' is not allowed"],
        ),
        (
            "a capacity plan of 0",
            edit(
                25,
                "capacity_plan = { 2027 = 300 }",
                "capacity_plan = { 2027 = 0 }",
            ),
            "bad.toml:25:26",
            &[
                "capacity_plan.2027 = 0 is out of range",
                "between 0.001 and 1000000000000",
            ],
        ),
        (
            "an unknown key in [capacity]",
            edit(
                21,
                "plan_attainment = { min = 0.3, mode = 0.6, max = 1.0 }",
                "attainment = 0.5",
            ),
            "bad.toml:21:1",
            &["unknown field `attainment`", "expected `plan_attainment`"],
        ),
        (
            "a base year that leaves no year to project",
            edit(2, "horizon = 2030", "[data]\nbase_year = 2100"),
            "bad.toml:3:13",
            &[
                "[data] base_year = 2100 is out of range; expected a year from 1900 to 2099",
                "the horizon, by 2100 at the latest, must come after it",
            ],
        ),
        (
            "an escape sequence in the title",
            edit(2, "horizon = 2030", "title = \"Red \\u001b[31m alert\""),
            "bad.toml:2:9",
            &[
                "title holds a control character, U+001B (escape), at character 5",
                "expected one line of text without control characters",
            ],
        ),
        (
            "TOML 1.1's \\e escape in a goal id",
            edit(5, "id = \"declared\"", "id = \"decl\\eared\""),
            "bad.toml:5:6",
            &["goal.id holds a control character, U+001B (escape), at character 5"],
        ),
        (
            "a NUL in a goal label",
            edit(6, "label = \"Declared\"", "label = \"Decl\\u0000ared\""),
            "bad.toml:6:9",
            &["goal.label holds a control character, U+0000 (NUL), at character 5"],
        ),
        (
            "a raw C1 control character in a label (TOML itself allows it)",
            edit(11, "label = \"High\"", "label = \"Hi\u{85}gh\""),
            "bad.toml:11:9",
            &["goal.label holds a control character, U+0085, at character 3"],
        ),
        (
            "a right-to-left override in a label",
            edit(11, "label = \"High\"", "label = \"\u{202e}hgiH\""),
            "bad.toml:11:9",
            &["goal.label holds a bidirectional formatting character, U+202E, at character 1"],
        ),
        (
            "an escape in a choice, which the message would echo",
            edit(7, "plans = \"declared\"", "plans = \"declared\\u001b[2J\""),
            "bad.toml:7:9",
            &["goal.plans holds a control character, U+001B (escape)"],
        ),
        (
            "a control character in a key, which serde's message would echo",
            edit(7, "plans = \"declared\"", "\"pl\\u0007ans\" = \"declared\""),
            "bad.toml:7:1",
            &["key 'pl\\u{7}ans' holds a control character, U+0007, at character 3"],
        ),
        (
            "a control character in a group name",
            edit(
                2,
                "horizon = 2030",
                "[groups]\n\"north\\u001b\" = [\"DEU\"]",
            ),
            "bad.toml:3:1",
            &["key 'north\\u{1b}' holds a control character, U+001B (escape), at character 6"],
        ),
        (
            "a tab in an item unit",
            edit(24, "id = \"cv90\"", "id = \"cv90\"\nunit = \"vehicles\\t\""),
            "bad.toml:25:8",
            &["item.unit holds a control character, U+0009 (tab), at character 9"],
        ),
        (
            "a bell in an item's notes, where only line breaks and tabs are allowed",
            edit(
                24,
                "id = \"cv90\"",
                "id = \"cv90\"\nnotes = \"\"\"one\ntwo\\u0007\"\"\"",
            ),
            "bad.toml:25:9",
            &[
                "item.notes holds a control character, U+0007, at character 8",
                "expected text whose only control characters are line breaks and tabs",
            ],
        ),
        (
            "a line feed in an item's label",
            edit(
                24,
                "id = \"cv90\"",
                "id = \"cv90\"\nlabel = \"CV90\\nMk IV\"",
            ),
            "bad.toml:25:9",
            &["item.label holds a control character, U+000A (line feed), at character 5"],
        ),
        (
            "a year spelt with a leading zero, which could name a year twice",
            edit(
                25,
                "capacity_plan = { 2027 = 300 }",
                "capacity_plan = { 2027 = 300, \"02027\" = 400 }",
            ),
            "bad.toml:25:41",
            &[
                "item 'cv90': capacity_plan: key '02027' is not allowed; expected a year from 2026 to 2100",
            ],
        ),
        (
            "an item id used twice, located at the second",
            edit(
                25,
                "capacity_plan = { 2027 = 300 }",
                "capacity_plan = { 2027 = 300 }\n\n[[item]]\nid = \"cv90\"\ncapacity = 10",
            ),
            "bad.toml:28:6",
            &["item id 'cv90' is used twice in this scenario; item ids must be unique"],
        ),
        (
            "a subnormal Dirichlet concentration (it panicked the sampler)",
            edit(
                21,
                "plan_attainment = { min = 0.3, mode = 0.6, max = 1.0 }",
                "plan_attainment = { min = 0.3, mode = 0.6, max = 1.0 }\n[mix]\nland = 0.25\nair = 0.30\nmaritime = 0.15\nair_defence = 0.10\nmunitions = 0.15\nother = 0.05\nconcentration = 5e-324",
            ),
            "bad.toml:29:17",
            &[
                "[mix] concentration = 5e-324 is out of range; expected a Dirichlet concentration of 0 (a fixed mix), or one between 0.001 and 1000000000",
            ],
        ),
        (
            "a share too small to be told from rounding",
            edit(
                21,
                "plan_attainment = { min = 0.3, mode = 0.6, max = 1.0 }",
                "plan_attainment = { min = 0.3, mode = 0.6, max = 1.0 }\n[mix]\nland = 0.25\nair = 0.30\nmaritime = 0.15\nair_defence = 0.25\nmunitions = 1e-9\nother = 0.05\nconcentration = 10",
            ),
            "bad.toml:27:13",
            &[
                "[mix] munitions = 1e-9 is out of range; expected a fraction of 0, or one between 0.000001 and 1",
            ],
        ),
        (
            "a subnormal unit cost (it made demand infinite)",
            edit(
                25,
                "capacity_plan = { 2027 = 300 }",
                "unit_cost_musd = 5e-324",
            ),
            "bad.toml:25:18",
            &[
                "item 'cv90': unit_cost_musd = 5e-324 is out of range; expected a unit cost in USD millions between 0.000001 and 1000000",
            ],
        ),
        (
            "a capacity that shrinks by more than half every year",
            edit(
                25,
                "capacity_plan = { 2027 = 300 }",
                "capacity_growth_pct = { min = -60, mode = 0, max = 5 }",
            ),
            "bad.toml:25:23",
            &[
                "item 'cv90': capacity_growth_pct.min = -60 is out of range; expected capacity growth in % per year between -50 and 1000",
            ],
        ),
        (
            "a goal of nan percent (TOML has nan and inf)",
            edit(12, "core_pct = 3.5", "core_pct = nan"),
            "bad.toml:12:12",
            &[
                "goal 'high': core_pct = NaN is out of range; expected a percentage of GDP between 0 and 100",
            ],
        ),
        (
            "base_utilization is gone",
            edit(
                25,
                "capacity_plan = { 2027 = 300 }",
                "base_utilization = 0.9",
            ),
            "bad.toml:25:1",
            &["unknown field `base_utilization`", "`base_demand`"],
        ),
    ];
    for (what, text, location, wanted) in cases {
        let err = scenario::parse("bad.toml", text, Path::new("."), "bad")
            .err()
            .unwrap_or_else(|| panic!("{what}: accepted"))
            .to_string();
        assert!(
            err.starts_with(&format!("{location}: ")),
            "{what}: expected {location}, got {err}"
        );
        for w in *wanted {
            assert!(err.contains(w), "{what}: lacks {w:?}: {err}");
        }
    }
}

// ---------------------------------------------------------------------------------------------
// PROBE: a scenario that uses every table
// ---------------------------------------------------------------------------------------------

/// The message `scenario::parse` gives for `text` as `bad.toml`, data paths read from an empty
/// folder; checks that it is one line, starts with `{location}: ` and contains every `wanted`
/// fragment.
#[track_caller]
fn probe_error(what: &str, text: &str, location: &str, wanted: &[&str]) -> String {
    let empty = tempdir();
    let err = scenario::parse("bad.toml", text, empty.path(), "bad")
        .err()
        .unwrap_or_else(|| panic!("{what}: accepted"))
        .to_string();
    assert!(
        err.starts_with(&format!("{location}: ")),
        "{what}: expected {location}, got {err}"
    );
    assert!(!err.contains('\n'), "{what}: not one line: {err}");
    for w in wanted {
        assert!(err.contains(w), "{what}: lacks {w:?}: {err}");
    }
    err
}

#[test]
fn the_probe_scenario_is_valid() {
    let s = scenario::parse("probe.toml", PROBE, Path::new("."), "probe").unwrap();
    assert_eq!(s.title, "Probe");
    assert_eq!(s.goals.len(), 2);
    assert!(
        s.items.iter().any(|i| i.id == "shell_x"),
        "the scenario's item"
    );
    assert!(
        s.groups.iter().any(|g| g.name == "front"),
        "the scenario's group"
    );
}

/// The keys of a scenario's top level, which a misspelt one is answered with.
const TOP_KEYS: &[&str] = &[
    "schema_version",
    "title",
    "horizon",
    "runs",
    "seed",
    "data",
    "groups",
    "goal",
    "growth",
    "compliance",
    "inflation",
    "mix",
    "item",
];

#[test]
fn each_bad_line_of_the_probe_gets_a_located_message() {
    let unknown_top: Vec<&str> = std::iter::once("unknown field `colour`")
        .chain(TOP_KEYS.iter().copied())
        .collect();
    let lag = "lag_years = { min = 0, mode = 0, max = 3 }";
    let attainment = "attainment = { min = 0.6, mode = 1.0, max = 1.0 }";
    let cases: &[(&str, String, &str, &[&str])] = &[
        // TOML syntax.
        (
            "an extra =",
            probe_edit(10, "core_pct = 2.0", "core_pct = = 2.0"),
            "bad.toml:10:12",
            &["extra `=`"],
        ),
        (
            "a missing =",
            probe_edit(15, "core_pct = 3.5", "core_pct 3.5"),
            "bad.toml:15:10",
            &["expected `=`"],
        ),
        // Unknown keys, answered with the keys of their table.
        (
            "an unknown key at top level",
            probe_insert(5, "seed = 1", "colour = \"red\""),
            "bad.toml:6:1",
            &unknown_top,
        ),
        (
            "an unknown key in a goal",
            probe_insert(10, "core_pct = 2.0", "colour = \"red\""),
            "bad.toml:11:1",
            &[
                "unknown field `colour`",
                "`id`",
                "`label`",
                "`core_pct`",
                "`related_pct`",
                "`target_year`",
                "`path`",
                "`floor`",
                "`equipment_pct`",
                "`overrides`",
            ],
        ),
        (
            "an unknown key in a goal's overrides",
            probe_insert(19, "core_pct = 2.1", "floor = \"none\""),
            "bad.toml:20:1",
            &[
                "unknown field `floor`",
                "`core_pct`",
                "`related_pct`",
                "`target_year`",
                "`path`",
                "`equipment_pct`",
            ],
        ),
        (
            "an unknown key in [growth]",
            probe_insert(23, "sd_scale = 1.0", "colour = 1"),
            "bad.toml:24:1",
            &["unknown field `colour`", "`correlation`", "`sd_scale`"],
        ),
        (
            "an unknown key in [compliance]",
            probe_insert(27, attainment, "colour = 1"),
            "bad.toml:28:1",
            &["unknown field `colour`", "`lag_years`", "`attainment`"],
        ),
        (
            "an unknown key in [inflation]",
            probe_insert(31, "sd = 1.0", "colour = 1"),
            "bad.toml:32:1",
            &["unknown field `colour`", "`mean`", "`sd`"],
        ),
        (
            "an unknown key in [mix]",
            probe_insert(40, "concentration = 200", "space = 0"),
            "bad.toml:41:1",
            &[
                "unknown field `space`",
                "`land`",
                "`air`",
                "`maritime`",
                "`air_defence`",
                "`munitions`",
                "`other`",
                "`concentration`",
            ],
        ),
        (
            "an unknown key in an item",
            probe_insert(51, "lead_years = 2", "colour = 1"),
            "bad.toml:52:1",
            &[
                "unknown field `colour`",
                "`id`",
                "`category`",
                "`buyers`",
                "`base_demand`",
                "`alpha`",
                "`unit_cost_musd`",
                "`cost_sigma`",
                "`capacity`",
                "`capacity_growth_pct`",
                "`lead_years`",
            ],
        ),
        (
            "an unknown key in [data]",
            probe_insert(55, "items = \"builtin\"", "groups = \"builtin\""),
            "bad.toml:56:1",
            &[
                "unknown field `groups`",
                "`allies`",
                "`items`",
                "`base_year`",
            ],
        ),
        (
            "an unknown key in a triangular",
            probe_edit(
                26,
                lag,
                "lag_years = { min = 0, mode = 0, max = 3, mean = 1 }",
            ),
            "bad.toml:26:13",
            &["unknown field `mean`", "`min`", "`mode`", "`max`"],
        ),
        // Values out of range.
        (
            "a negative core_pct",
            probe_edit(10, "core_pct = 2.0", "core_pct = -1"),
            "bad.toml:10:12",
            &[
                "goal 'ref': core_pct = -1 is out of range",
                "a percentage of GDP between 0 and 100",
            ],
        ),
        (
            "related_pct above 100",
            probe_edit(16, "related_pct = 1.5", "related_pct = 101"),
            "bad.toml:16:15",
            &[
                "goal 'high': related_pct = 101 is out of range",
                "between 0 and 100",
            ],
        ),
        (
            "a horizon before the base year",
            probe_edit(3, "horizon = 2030", "horizon = 2020"),
            "bad.toml:3:11",
            &["horizon = 2020 is out of range", "a year from 2026 to 2100"],
        ),
        (
            // The base year is data (MODEL.md v2): a goal is reached after it.
            "a target year in the base year",
            probe_edit(17, "target_year = 2030", "target_year = 2025"),
            "bad.toml:17:15",
            &[
                "goal 'high': target_year = 2025 is out of range",
                "a year from 2026 to 2100 (after the data's base year)",
            ],
        ),
        (
            "runs = 0",
            probe_edit(4, "runs = 100", "runs = 0"),
            "bad.toml:4:8",
            &["runs = 0 is out of range", "expected 1 to 1000000000"],
        ),
        (
            "a negative seed",
            probe_edit(5, "seed = 1", "seed = -1"),
            "bad.toml:5:8",
            &["seed = -1 is not allowed", ">= 0"],
        ),
        (
            "a correlation above 1",
            probe_edit(22, "correlation = 0.5", "correlation = 1.5"),
            "bad.toml:22:15",
            &[
                "[growth] correlation = 1.5 is out of range",
                "between 0 and 1",
            ],
        ),
        (
            "an attainment of 0",
            probe_edit(
                27,
                attainment,
                "attainment = { min = 0, mode = 1.0, max = 1.0 }",
            ),
            "bad.toml:27:14",
            &[
                "[compliance] attainment.min = 0 is out of range",
                "greater than 0 and at most 1",
            ],
        ),
        (
            "a negative lag",
            probe_edit(26, lag, "lag_years = { min = -1, mode = 0, max = 3 }"),
            "bad.toml:26:13",
            &[
                "[compliance] lag_years.min = -1 is out of range",
                "a lag in years between 0 and 50",
            ],
        ),
        (
            "a negative inflation spread",
            probe_edit(31, "sd = 1.0", "sd = -1"),
            "bad.toml:31:6",
            &["[inflation] sd = -1 is out of range", "between 0 and 50"],
        ),
        (
            "a negative cost_sigma",
            probe_edit(48, "cost_sigma = 0.25", "cost_sigma = -1"),
            "bad.toml:48:14",
            &[
                "item 'shell_x': cost_sigma = -1 is out of range",
                "between 0 and 3",
            ],
        ),
        (
            "a capacity of 0",
            probe_edit(49, "capacity = 2000000", "capacity = 0"),
            "bad.toml:49:12",
            &[
                "item 'shell_x': capacity = 0 is out of range",
                "units per year",
            ],
        ),
        (
            // 1e11 shells at USD 5,000 is USD 500 bn, more than Europe and Canada spend on
            // munitions.
            "a base_demand costing more than the buyers spend",
            probe_edit(46, "base_demand = 1800000", "base_demand = 1e11"),
            "bad.toml:45:10",
            &[
                "item 'shell_x': base_demand x unit_cost_musd = 500000000 musd is more than its buyers 'europe_canada' spend on munitions",
                "alpha would exceed 1",
            ],
        ),
        // Types, order and sums.
        (
            // The value is located and quoted; see `wrong_type_names_the_key` for the key.
            "a string for a number",
            probe_edit(10, "core_pct = 2.0", "core_pct = \"high\""),
            "bad.toml:10:12",
            &["invalid type: string \"high\""],
        ),
        (
            "a triangular not ordered",
            probe_edit(26, lag, "lag_years = { min = 0, mode = 4, max = 3 }"),
            "bad.toml:26:13",
            &[
                "[compliance] lag_years = { min = 0, mode = 4, max = 3 } is not ordered",
                "min <= mode <= max",
            ],
        ),
        (
            "mix shares that do not sum to 1",
            probe_edit(34, "land = 0.25", "land = 0.35"),
            "bad.toml:33:1",
            // 0.35 + 0.30 + 0.15 + 0.10 + 0.15 + 0.05, rounded to hide the floating-point noise.
            &["[mix]: the six shares sum to 1.1; expected 1 (within 1e-6)"],
        ),
        (
            "a mix share missing",
            probe_edit(36, "maritime = 0.15", ""),
            "bad.toml:33:1",
            &[
                "[mix]: missing key 'maritime'",
                "all six shares are required: land, air, maritime, air_defence, munitions, other",
            ],
        ),
        // Names that do not exist.
        (
            "an unknown ally in a group",
            probe_edit(
                58,
                "front = [\"EST\", \"LVA\", \"LTU\"]",
                "front = [\"EST\", \"XYZ\", \"LTU\"]",
            ),
            "bad.toml:58:17",
            &[
                "[groups] front: 'XYZ' is not an ally of the dataset",
                "ISO3 codes",
                "pledge data allies",
            ],
        ),
        (
            "an unknown ally in overrides",
            probe_edit(18, "[goal.overrides.ESP]", "[goal.overrides.XYZ]"),
            "bad.toml:18:1",
            &[
                "goal 'high': overrides.XYZ: 'XYZ' is not an ally of the dataset",
                "ISO3 codes",
            ],
        ),
        (
            "an unknown buyers group",
            probe_edit(45, "buyers = \"europe_canada\"", "buyers = \"nowhere\""),
            "bad.toml:45:10",
            &[
                "item 'shell_x': buyers = 'nowhere' is not a group",
                "nato, europe_canada, eu, non_eu, europe, north_america, front",
                "ISO3 code",
            ],
        ),
        (
            "an unknown category",
            probe_edit(44, "category = \"munitions\"", "category = \"space\""),
            "bad.toml:44:12",
            &["item 'shell_x': category = \"space\" is not allowed; \
               expected one of land, air, maritime, air_defence, munitions, other"],
        ),
        // Keys missing, given twice or together.
        (
            "alpha and base_demand both given",
            probe_insert(46, "base_demand = 1800000", "alpha = 0.2"),
            "bad.toml:47:9",
            &["item 'shell_x': both alpha and base_demand are given; give one of them"],
        ),
        (
            "neither alpha nor base_demand",
            probe_edit(46, "base_demand = 1800000", ""),
            "bad.toml:42:1",
            &["[[item]]: missing key 'alpha' or 'base_demand'"],
        ),
        (
            "a goal id used twice",
            probe_edit(13, "id = \"high\"", "id = \"ref\""),
            "bad.toml:13:6",
            &["goal id 'ref' is used twice", "unique"],
        ),
        (
            // Located at the second item's id (line 61).
            "an item id used twice in the scenario",
            format!(
                "{PROBE}\n[[item]]\nid = \"shell_x\"\ncategory = \"land\"\nbuyers = \"nato\"\n\
                 alpha = 0.1\nunit_cost_musd = 1\ncapacity = 10\n"
            ),
            "bad.toml:61:6",
            &["item id 'shell_x' is used twice in this scenario", "unique"],
        ),
        (
            "no goal",
            "schema_version = 1\ntitle = \"No goals\"\n".to_string(),
            "bad.toml:1:1",
            &["no [[goal]] table", "at least one goal"],
        ),
        (
            "no schema_version",
            probe_edit(1, "schema_version = 1", "# no schema_version"),
            "bad.toml:1:1",
            &["missing key 'schema_version'", "schema_version = 1"],
        ),
        (
            "an unsupported schema_version",
            probe_edit(1, "schema_version = 1", "schema_version = 2"),
            "bad.toml:1:18",
            &["schema_version = 2 is not supported", "schema_version = 1"],
        ),
        (
            "a goal without a label",
            probe_edit(9, "label = \"Reference\"", ""),
            "bad.toml:7:1",
            &["[[goal]]: missing key 'label'", "id, label and core_pct"],
        ),
        (
            "a goal id with a comma",
            probe_edit(8, "id = \"ref\"", "id = \"ref,goal\""),
            "bad.toml:8:6",
            &[
                "goal id 'ref,goal' is not allowed",
                "letters, digits, _, -, . or +",
            ],
        ),
    ];
    for (what, text, location, wanted) in cases {
        probe_error(what, text, location, wanted);
    }
}

/// Bounds whose description already states the range once got it twice ("expected a
/// correlation between 0 and 1 between 0 and 1", "expected an attainment greater than 0 and at
/// most 1 between 0.000000001 and 1"); fixed, and kept fixed here.
#[test]
fn range_messages_state_the_range_once() {
    let err = probe_error(
        "a correlation above 1",
        &probe_edit(22, "correlation = 0.5", "correlation = 1.5"),
        "bad.toml:22:15",
        &["between 0 and 1"],
    );
    assert_eq!(err.matches("between").count(), 1, "{err}");
    let err = probe_error(
        "a negative base_demand",
        &probe_edit(46, "base_demand = 1800000", "base_demand = -1.5"),
        "bad.toml:46:15",
        &["base_demand"],
    );
    assert!(!err.contains("0.000000001"), "{err}");
    let err = probe_error(
        "an attainment of 0",
        &probe_edit(
            27,
            "attainment = { min = 0.6, mode = 1.0, max = 1.0 }",
            "attainment = { min = 0, mode = 1.0, max = 1.0 }",
        ),
        "bad.toml:27:14",
        &["greater than 0 and at most 1"],
    );
    assert!(!err.contains("0.000000001"), "{err}");
    assert_eq!(err.matches("at most").count(), 1, "{err}");
}

/// MODEL.md section 8: "An error names the file, the line and column, the key, what was wrong
/// and what is allowed." Type errors used to come straight from serde, naming neither the key
/// nor, in words, what is allowed ("expected f64").
#[test]
fn wrong_type_names_the_key() {
    let err = probe_error(
        "a string for a number",
        &probe_edit(10, "core_pct = 2.0", "core_pct = \"high\""),
        "bad.toml:10:12",
        &["core_pct: invalid type: string \"high\", expected a number"],
    );
    assert!(!err.contains("f64"), "{err}");
    probe_error(
        "a string for a whole number",
        &probe_edit(5, "seed = 1", "seed = \"one\""),
        "bad.toml:5:8",
        &["seed: invalid type: string \"one\", expected a whole number"],
    );
}

// ---------------------------------------------------------------------------------------------
// Files: data CSVs and the scenario file itself
// ---------------------------------------------------------------------------------------------

/// Writes `files` into a fresh folder and loads `scenario` from it as the binary does
/// (`scenario::load`), expecting an error that starts with `{location}: ` (a path below the
/// folder) and contains every `wanted` fragment, in which `{dir}` stands for the folder.
#[track_caller]
fn load_error(files: &[(&str, &[u8])], scenario: &str, location: &str, wanted: &[&str]) {
    let dir = tempdir();
    for (name, bytes) in files {
        let path = dir.path().join(name);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(&path, bytes).unwrap();
    }
    let err = scenario::load(&dir.path().join(scenario))
        .err()
        .unwrap_or_else(|| panic!("{scenario}: accepted"))
        .to_string();
    let location = format!("{}: ", dir.path().join(location).display());
    assert!(
        err.starts_with(&location),
        "expected {location:?} first: {err}"
    );
    assert!(!err.contains('\n'), "not one line: {err}");
    for w in wanted {
        let w = w.replace("{dir}", &dir.path().display().to_string());
        assert!(err.contains(&w), "lacks {w:?}: {err}");
    }
}

#[test]
fn a_data_csv_that_does_not_exist_is_named_at_its_key() {
    load_error(
        &[(
            "bad.toml",
            probe_edit(54, "allies = \"builtin\"", "allies = \"nope.csv\"").as_bytes(),
        )],
        "bad.toml",
        "bad.toml:54:10",
        &[
            "cannot read '{dir}/nope.csv'",
            "\"builtin\" or a CSV path relative to the scenario's folder",
        ],
    );
}

#[test]
fn a_data_csv_with_a_bad_cell_is_located_at_the_cell() {
    let (bad_csv, column) = allies_csv_with_a_bad_gdp();
    let scenario = scenario_with_allies("allies.csv");
    load_error(
        &[
            ("study/bad.toml", scenario.as_bytes()),
            ("study/allies.csv", &bad_csv),
        ],
        "study/bad.toml",
        &format!("study/allies.csv:5:{column}"),
        &[
            "column 'gdp_usd_bn'",
            "'lots' is not a number",
            "GDP in current USD billions",
        ],
    );
}

#[test]
fn a_data_csv_with_an_unknown_column_is_located_at_its_header() {
    let csv = allies_csv().replacen("growth_sd_pct", "growth_sd", 1);
    let scenario = scenario_with_allies("allies.csv");
    load_error(
        &[
            ("study/bad.toml", scenario.as_bytes()),
            ("study/allies.csv", csv.as_bytes()),
        ],
        "study/bad.toml",
        "study/allies.csv:1:9",
        &[
            "unknown column 'growth_sd'",
            "allowed columns: iso3, name, eu, region, gdp_usd_bn, defence_pct_gdp, equipment_pct, \
             growth_mean_pct, growth_sd_pct, equipment_basis, source",
        ],
    );
}

#[test]
fn a_scenario_file_that_is_missing_or_not_utf8_is_named() {
    load_error(&[], "nothere.toml", "nothere.toml", &["cannot read"]);
    load_error(
        &[("bad.toml", b"schema_version = 1\ntitle = \"\xff\xfe\"\n")],
        "bad.toml",
        "bad.toml",
        &["cannot read", "UTF-8"],
    );
}

// ---------------------------------------------------------------------------------------------
// Flags
// ---------------------------------------------------------------------------------------------

/// `pledge run HAGUE` with `runs`, `threads` and `shard`, into `out` below a fresh folder.
fn run_config(dir: &Path, runs: Runs, threads: Option<usize>, shard: Option<&str>) -> RunConfig {
    RunConfig {
        study: Study::File(PathBuf::from(hague())),
        out_dir: Some(dir.join("out")),
        runs,
        seed: None,
        threads,
        shard: shard.map(|s| ShardSpec::parse(s).unwrap()),
        pack: PackFormats::NONE.into(),
    }
}

/// `pledge compare` with its default goals, `horizon` and `runs`, into `out` below `dir`.
fn compare_config(dir: &Path, horizon: i32, runs: Runs, threads: Option<usize>) -> RunConfig {
    RunConfig {
        study: Study::Compare {
            goals: parse_goals(DEFAULT_GOALS).unwrap(),
            horizon,
            compliance: ComplianceChoice::Calibrated,
        },
        ..run_config(dir, runs, threads, None)
    }
}

#[test]
fn each_bad_flag_is_refused_before_anything_is_written() {
    let auto = |tolerance_pct: f64, max_runs: u64| Runs::Auto {
        tolerance_pct,
        max_runs,
    };
    let tolerance = |value: &str| {
        format!(
            "--tolerance: {value} is out of range; expected a percentage from 0.390625 (the \
             resolution of the reported percentiles) to 100"
        )
    };
    let two_blocks = 2 * BLOCK_RUNS;
    type Make = Box<dyn Fn(&Path) -> RunConfig>;
    let cases: Vec<(&str, Make, String)> = vec![
        (
            "run --runs 0",
            Box::new(|d| run_config(d, Runs::Fixed(0), None, None)),
            "--runs: 0 is out of range; expected 1 to 1000000000".into(),
        ),
        (
            "compare --runs 0",
            Box::new(|d| compare_config(d, 2035, Runs::Fixed(0), None)),
            "--runs: 0 is out of range".into(),
        ),
        (
            "run --threads 0",
            Box::new(|d| run_config(d, Runs::Fixed(300), Some(0), None)),
            "--threads: 0 is out of range; expected 1 to ".into(),
        ),
        (
            "compare --threads 0",
            Box::new(|d| compare_config(d, 2035, Runs::Fixed(300), Some(0))),
            "--threads: 0 is out of range; expected 1 to ".into(),
        ),
        (
            "--tolerance 0",
            Box::new(move |d| run_config(d, auto(0.0, 1_000_000), None, None)),
            tolerance("0"),
        ),
        (
            "--tolerance 101",
            Box::new(move |d| run_config(d, auto(101.0, 1_000_000), None, None)),
            tolerance("101"),
        ),
        (
            "--tolerance NaN",
            Box::new(move |d| run_config(d, auto(f64::NAN, 1_000_000), None, None)),
            tolerance("NaN"),
        ),
        (
            "--max-runs 0",
            Box::new(move |d| run_config(d, auto(0.5, 0), None, None)),
            "--max-runs: 0 is out of range; expected 1 to 1000000000".into(),
        ),
        (
            "--shard with --runs auto",
            Box::new(move |d| run_config(d, auto(0.5, 1_000_000), None, Some("1/2"))),
            "--shard: cannot be combined with --runs auto; give a number of runs".into(),
        ),
        (
            // Two blocks of runs (64 runs with blocks of 32) make at most two shards.
            "--shard 1/3 of two blocks",
            Box::new(move |d| run_config(d, Runs::Fixed(two_blocks), None, Some("1/3"))),
            format!(
                "--shard: {two_blocks} runs make 2 block(s) of {BLOCK_RUNS}; use at most 2 \
                 shards, or more runs"
            ),
        ),
        (
            "compare --horizon 1990",
            Box::new(|d| compare_config(d, 1990, Runs::FromScenario, None)),
            "--horizon: 1990 is out of range; expected a year from 2026 to 2100".into(),
        ),
    ];
    for (what, make, wanted) in &cases {
        let dir = tempdir();
        let config = make(dir.path());
        let err = app::prepare(&config, Limits::Enforced, &Progress::default())
            .err()
            .unwrap_or_else(|| panic!("{what}: accepted"));
        assert_eq!(err.exit_code(), 2, "{what}: {err}");
        let err = err.to_string();
        assert!(err.starts_with(wanted.as_str()), "{what}: {err}");
        assert!(!err.contains('\n'), "{what}: not one line: {err}");
        assert_eq!(
            fs::read_dir(dir.path()).unwrap().count(),
            0,
            "{what}: something was written"
        );
    }
}

#[test]
fn a_shard_that_is_not_k_of_n_is_refused() {
    for (spec, why) in [
        ("0/3", "is out of range"),
        ("4/3", "is out of range"),
        ("1/0", "is out of range"),
        ("2", "is not of the form K/N"),
        ("a/3", "has no whole number K"),
        ("1/b", "has no whole number N"),
    ] {
        let err = ShardSpec::parse(spec).err().unwrap().to_string();
        assert_eq!(
            err,
            format!(
                "--shard: '{spec}' {why}; expected K/N with 1 <= K <= N, \
                 e.g. 3/10 for the third of ten shards"
            )
        );
    }
}

#[test]
fn goals_that_are_not_numbers_or_listed_twice_are_refused() {
    let err = parse_goals("2,abc").err().unwrap().to_string();
    assert!(err.starts_with("--goals: "), "{err}");
    for w in [
        "'abc' is not a goal",
        "such as 3.5",
        "core+related such as 3.5+1.5",
    ] {
        assert!(err.contains(w), "lacks {w:?}: {err}");
    }
    let err = parse_goals("2,2").err().unwrap().to_string();
    assert!(err.starts_with("--goals: "), "{err}");
    assert!(
        err.contains("'2' is listed twice; list each goal once"),
        "{err}"
    );
}
