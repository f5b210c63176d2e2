//! Located messages for bad scenario files, checked at library level from a table of cases
//! (`scenario::parse`, no process per case): each case changes one line of a valid scenario
//! and names the file, line and column of the error and words it must contain. The CLI tests
//! check the exit code and that nothing is written, once per class of error.

use pledge::scenario;

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
    let s = scenario::parse("base.toml", BASE, std::path::Path::new("."), "base").unwrap();
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
        let err = scenario::parse("bad.toml", text, std::path::Path::new("."), "bad")
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
