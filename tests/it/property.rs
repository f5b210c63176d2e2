//! Near-valid scenarios, generated: a valid scenario that uses every table, with one value
//! changed, one line removed or doubled, or one key misspelt, thousands of times from a fixed
//! seed. Each must either load, and then give finite numbers everywhere in its plan, or be
//! refused with an error that names the file (the scenario, or a data file it names) and a
//! line; none may panic.

use pledge::mc::summary::Summary;
use pledge::scenario;
use rand::{RngExt, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;

/// Every table and most keys of MODEL.md section 8.
const BASE: &str = r#"schema_version = 1
title = "Probe"
horizon = 2030
runs = 100
seed = 1

[data]
allies = "builtin"
items = "builtin"
capacity_plans = "builtin"
plans = "builtin"

[groups]
front = ["EST", "LVA", "LTU"]

[[goal]]
id = "ref"
label = "Reference"
core_pct = 2.0

[[goal]]
id = "high"
label = "High"
core_pct = 3.5
related_pct = 1.5
target_year = 2030
path = "scurve"
floor = "current"
equipment_pct = 25
[goal.overrides.ESP]
core_pct = 2.1
[goal.overrides.DEU]
points = { 2026 = 2.8, 2029 = 3.5 }

[[goal]]
id = "declared"
label = "Declared"
plans = "declared"

[growth]
correlation = 0.5
sd_scale = 1.0

[compliance]
lag_years = { min = 0, mode = 0, max = 3 }
attainment = { min = 0.3, mode = 0.6, max = 1.0 }
drift_pp = 0.15
drift_correlation = 0.17

[capacity]
plan_attainment = { min = 0.3, mode = 0.6, max = 1.0 }

[inflation]
mean = 1.0
sd = 1.0

[mix]
land = 0.25
air = 0.30
maritime = 0.15
air_defence = 0.10
munitions = 0.15
other = 0.05
concentration = 200

[[item]]
id = "cv90"
capacity = 400
capacity_plan = { 2027 = 300 }
plan_attainment = 0.5

[[item]]
id = "shell_x"
label = "Shells"
unit = "rounds"
category = "munitions"
buyers = "front"
base_demand = 1000
unit_cost_musd = 0.005
cost_sigma = 0.25
capacity = 2000
capacity_growth_pct = { min = 5, mode = 15, max = 30 }
lead_years = 2
"#;

/// Values a hand-edited file might hold where a number, text or table was expected.
const VALUES: [&str; 34] = [
    "0",
    "-1",
    "1",
    "0.5",
    "1.5",
    "2100",
    "2101",
    "1900",
    "1e308",
    "-1e308",
    "5e-324",
    "1e-300",
    "99999999999999999",
    "nan",
    "inf",
    "-inf",
    "\"\"",
    "\"x\"",
    "\"builtin\"",
    "\"none\"",
    "\"../../etc/passwd\"",
    "\"\\u001b[31mred\"",
    "\"a\\u0000b\"",
    "\"déjà vu ✓\"",
    "true",
    "[]",
    "[1, 2]",
    "{}",
    "{ min = 1, mode = 0, max = 2 }",
    "{ min = 0, mode = 1 }",
    "{ 2026 = 1 }",
    "{ 2020 = 5 }",
    "[\"EST\", \"EST\"]",
    "\"2026\"",
];

/// One near-valid variant of [`BASE`].
fn mutate(rng: &mut Xoshiro256PlusPlus) -> String {
    let mut lines: Vec<String> = BASE.lines().map(str::to_string).collect();
    let values: Vec<usize> = (0..lines.len())
        .filter(|&i| lines[i].contains(" = "))
        .collect();
    match rng.random_range(0..10) {
        // A value replaced (most variants).
        0..=6 => {
            let i = values[rng.random_range(0..values.len())];
            let key = lines[i].split(" = ").next().unwrap_or_default().to_string();
            let value = VALUES[rng.random_range(0..VALUES.len())];
            lines[i] = format!("{key} = {value}");
        }
        // A line removed.
        7 => {
            lines.remove(rng.random_range(0..lines.len()));
        }
        // A line doubled.
        8 => {
            let i = rng.random_range(0..lines.len());
            let line = lines[i].clone();
            lines.insert(i, line);
        }
        // A key misspelt.
        _ => {
            let i = values[rng.random_range(0..values.len())];
            lines[i] = lines[i].replacen(" = ", "x = ", 1);
        }
    }
    lines.join("\n") + "\n"
}

/// The first line of `text` that differs from [`BASE`], for messages.
fn changed_line(text: &str) -> String {
    text.lines()
        .zip(BASE.lines())
        .find(|(a, b)| a != b)
        .map_or_else(|| "(a line at the end)".to_string(), |(a, _)| a.to_string())
}

#[test]
fn near_valid_scenarios_load_with_finite_numbers_or_fail_with_a_located_error() {
    let dir = std::path::Path::new(".");
    assert!(scenario::parse("base.toml", BASE, dir, "base").is_ok());
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(12);
    let (mut loaded, mut refused) = (0, 0);
    let mut failures: Vec<String> = Vec::new();
    for case in 0..3000 {
        let text = mutate(&mut rng);
        match scenario::parse("bad.toml", &text, dir, "bad") {
            Ok(s) => {
                loaded += 1;
                let plan = Summary::central(&s);
                let rows = plan.layout().rows();
                if let Some((row, value)) = plan
                    .central_values()
                    .iter()
                    .enumerate()
                    .find(|(_, v)| !v.is_finite())
                {
                    let changed = changed_line(&text);
                    failures.push(format!(
                        "case {case}: {:?} {} is {value} after `{changed}`",
                        rows[row].metric, rows[row].year
                    ));
                }
            }
            Err(e) => {
                refused += 1;
                let message = e.to_string();
                // `file:line:` of the scenario, or of a data file it names.
                let located = message.split(": ").next().is_some_and(|place| {
                    place
                        .rsplit(':')
                        .any(|part| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit()))
                });
                if !located {
                    let changed = changed_line(&text);
                    failures.push(format!(
                        "case {case}: not located: {message} after `{changed}`"
                    ));
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
    // Both outcomes happen: the generator is neither too gentle nor too rough.
    assert!(
        loaded > 300 && refused > 300,
        "{loaded} loaded, {refused} refused"
    );
}
