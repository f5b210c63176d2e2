//! What `pledge target` reports: the terminal lines ([`glance`]), which lead with the answer,
//! `target.csv` ([`csv_bytes`], tidy) and `target.json` ([`json_bytes`], with the tool version,
//! seed, runs, data vintage and an input hash). All three read a finished [`Outcome`]; they
//! compute nothing but shares of runs.

use super::glance::{PLAN_MEANING, compliance_text};
use crate::hash::sha256_hex;
use crate::mc::rng;
use crate::scenario::{Floor, Scenario};
use crate::target::search::{
    Condition, LEVELS, NotReached, Outcome, PROBABILITIES_PCT, STEP_PP, level_pct,
};
use crate::target::{Amount, SCHEMA_VERSION, SEARCH_GOAL_ID, Targets};
use crate::text::{format_number, grouped};
use serde_json::{Value, json};
use std::fmt::Write;

/// The columns of `target.csv`.
pub const CSV_COLUMNS: &str = "metric,goal,core_pct,condition,probability_pct,item,value";

/// The format of `target.json`.
const FORMAT: &str = "pledge target";
/// Its version.
const FORMAT_VERSION: u32 = 1;

/// A group's name for people.
fn group_name(name: &str) -> String {
    match name {
        "nato" => "NATO".to_string(),
        "europe_canada" => "Europe+Canada".to_string(),
        "eu" => "the EU allies".to_string(),
        "non_eu" => "the allies outside the EU".to_string(),
        "europe" => "European allies".to_string(),
        "north_america" => "North America".to_string(),
        other => other.to_string(),
    }
}

/// A share of runs as a percentage with one decimal: `35.2%`, never `0.0%` or `100.0%` unless
/// it is exactly that.
fn share_text(runs: u64, of: u64) -> String {
    let pct = 100.0 * runs as f64 / of as f64;
    match runs {
        0 => "0%".to_string(),
        r if r == of => "100%".to_string(),
        _ if pct < 0.05 => "<0.1%".to_string(),
        _ if pct >= 99.95 => ">99.9%".to_string(),
        _ => format!("{pct:.1}%"),
    }
}

/// `"x" % of GDP` for level `k`.
fn level_text(k: usize) -> String {
    format!("{:.2}% of GDP", level_pct(k))
}

/// The years a target covers, in words.
fn span_text(amount: Amount, b: i32, year: i32, h: i32) -> String {
    match amount {
        Amount::Units(_) => format!("bought in {}-{year}", b + 1),
        Amount::UnitsPerYear(_) => format!("a year in {year}-{h}"),
    }
}

/// The searched goal in words: `every ally at x% of GDP by 2035 on the path of 'hague35'
/// (linear; allies above keep their share; related 1.5%)`.
fn searched_text(scenario: &Scenario, targets: &Targets) -> String {
    let t = &scenario.goals[targets.goal];
    let floor = match t.floor {
        Floor::Current => "allies above x keep their share",
        Floor::None => "allies above x come down to it",
    };
    let mut text = format!(
        "every ally at x% of GDP by {}, on the path of goal '{}' ({}; {floor}",
        t.target_year,
        t.id,
        t.path.as_str()
    );
    if t.related_pct > 0.0 {
        let _ = write!(text, "; related {}%", t.related_pct);
    }
    if t.overrides.values().any(|o| {
        o.related_pct.is_some()
            || o.target_year.is_some()
            || o.path.is_some()
            || o.equipment_pct.is_some()
    }) {
        text.push_str("; its overrides other than core_pct kept");
    }
    text.push(')');
    text
}

/// The input hash of a target study: SHA-256 of the scenario's input hash
/// ([`crate::scenario::input_hash`], without runs, seed and file paths) and the resolved targets
/// (without runs and file paths).
pub fn input_hash(scenario: &Scenario, targets: &Targets) -> String {
    let document = json!({
        "scenario": crate::scenario::input_hash(scenario),
        "targets": targets_json(scenario, targets),
    });
    sha256_hex(document.to_string().as_bytes())
}

/// The resolved targets, as hashed and written: the title, group, year, template goal and each
/// target with its item's unit, category and base-year unit cost.
fn targets_json(scenario: &Scenario, targets: &Targets) -> Value {
    let list: Vec<Value> = targets
        .targets
        .iter()
        .map(|t| {
            let item = &scenario.items[t.item];
            json!({
                "item": t.item_id,
                "label": t.label,
                "unit": item.unit,
                "category": item.category.as_str(),
                t.amount.key(): t.amount.value(),
                "note": t.note,
                "base_unit_cost_musd": item.unit_cost_musd,
            })
        })
        .collect();
    json!({
        "schema_version": SCHEMA_VERSION,
        "title": targets.title,
        "group": targets.group,
        "year": targets.year,
        "goal": scenario.goals[targets.goal].id,
        "targets": list,
    })
}

/// The terminal lines: the answer first (the shares for 50% and 90%, in % of GDP, with the
/// compliance assumed), then deliverability per target, then each goal of the scenario.
pub fn glance(scenario: &Scenario, targets: &Targets, outcome: &Outcome) -> String {
    let (b, h, year) = (scenario.base_year(), scenario.horizon, targets.year);
    let runs = outcome.runs;
    let name = group_name(&targets.group);
    let mut out = String::new();
    let _ = writeln!(out, "{}", targets.title);
    let _ = writeln!(
        out,
        "Core share of GDP x that pays for {name}'s targets by {year}: {}",
        searched_text(scenario, targets)
    );
    for condition in Condition::ALL {
        let what = match condition {
            Condition::AffordableAndDeliverable => "affordable and deliverable",
            Condition::Affordable => "affordable (money alone)",
        };
        for (n, answer) in outcome
            .answers
            .iter()
            .filter(|a| a.condition == condition)
            .enumerate()
        {
            let head = if n == 0 { what } else { "" };
            let result = match (answer.level, answer.not_reached) {
                (Some(k), _) => {
                    let mut text = level_text(k);
                    if let (Some(band), Some(plan)) =
                        (answer.group_core_pct, answer.group_core_pct_plan)
                    {
                        let _ = write!(
                            text,
                            "; {name} core spending {year}: median {:.2}% of GDP [P10 {:.2} \u{2013} P90 {:.2}], plan {:.2}%",
                            band.p50, band.p10, band.p90, plan
                        );
                    }
                    text
                }
                (None, Some(NotReached::Capacity)) => format!(
                    "not reached at any share: every target is deliverable in only {} of runs (capacity)",
                    share_text(outcome.deliverable, runs)
                ),
                (None, _) => format!(
                    "not reached at 10% of GDP or below ({} of runs at 10%)",
                    share_text(outcome.count(condition, LEVELS - 1), runs)
                ),
            };
            let _ = writeln!(
                out,
                "  {head:<28} probability {}%: {result}",
                answer.probability_pct
            );
        }
    }
    let plan = match (outcome.plan_level, outcome.plan_deliverable) {
        (Some(k), true) => format!("affordable from {}, and deliverable", level_text(k)),
        (Some(k), false) => format!(
            "affordable from {}, not deliverable (capacity)",
            level_text(k)
        ),
        (None, true) => "not affordable at 10% of GDP or below; deliverable".to_string(),
        (None, false) => "not affordable at 10% of GDP or below, nor deliverable".to_string(),
    };
    let _ = writeln!(out, "  in the plan ({PLAN_MEANING}): {plan}");
    let _ = writeln!(
        out,
        "Compliance: {}",
        compliance_text(&scenario.compliance, &scenario.capacity)
    );
    let _ = writeln!(
        out,
        "{} Monte Carlo runs (seed {}), the same runs at every level of x: 0% to 10% of GDP in steps of {STEP_PP} pp",
        grouped(runs as f64, 0),
        outcome.seed
    );

    let _ = writeln!(
        out,
        "\nTargets ({name}'s money added since {b} in each category pays; each line's capacity above what the {b} money buys delivers):"
    );
    let width = targets
        .targets
        .iter()
        .map(|t| t.label.chars().count())
        .max()
        .unwrap_or(0);
    for (t, delivery) in targets.targets.iter().zip(&outcome.delivery) {
        let item = &scenario.items[t.item];
        let spare_what = match t.amount {
            Amount::Units(_) => format!("spare capacity {}-{year}", b + 1),
            Amount::UnitsPerYear(_) => format!("least spare capacity a year in {year}-{h}"),
        };
        let _ = writeln!(
            out,
            "  {:<width$}  {} {} {}: USD {} bn at {b} unit costs; deliverable in {} of runs ({spare_what}: median {} [P10 {} \u{2013} P90 {}], plan {})",
            t.label,
            grouped(t.amount.value(), 0),
            item.unit,
            span_text(t.amount, b, year, h),
            grouped(t.amount.value() * item.unit_cost_musd / 1000.0, 1),
            share_text(delivery.runs, runs),
            grouped(delivery.spare.p50, 0),
            grouped(delivery.spare.p10, 0),
            grouped(delivery.spare.p90, 0),
            grouped(delivery.spare_plan, 0),
        );
    }
    let _ = writeln!(
        out,
        "\nProbability that each goal of the scenario pays for the targets (affordable; affordable and deliverable):"
    );
    let width = scenario
        .goals
        .iter()
        .map(|g| g.label.chars().count())
        .max()
        .unwrap_or(0);
    for (goal, odds) in scenario.goals.iter().zip(&outcome.goals) {
        let _ = writeln!(
            out,
            "  {:<width$}  {:>7}  {:>7}",
            goal.label,
            share_text(odds.affordable, runs),
            share_text(odds.affordable_and_deliverable, runs)
        );
    }
    out
}

/// `target.csv`: one row per answer, per scenario goal, per level of the curve and per target
/// (columns [`CSV_COLUMNS`]; an answer not reached has an empty value).
pub fn csv_bytes(scenario: &Scenario, targets: &Targets, outcome: &Outcome) -> Vec<u8> {
    let mut out = String::new();
    out.push_str(CSV_COLUMNS);
    out.push('\n');
    let mut line = |metric: &str,
                    goal: &str,
                    core_pct: Option<f64>,
                    condition: &str,
                    probability: Option<u64>,
                    item: &str,
                    value: Option<f64>| {
        let _ = writeln!(
            out,
            "{metric},{goal},{},{condition},{},{item},{}",
            core_pct.map(format_number).unwrap_or_default(),
            probability.map(|p| p.to_string()).unwrap_or_default(),
            value.map(format_number).unwrap_or_default()
        );
    };
    let search = SEARCH_GOAL_ID;
    for answer in &outcome.answers {
        let condition = answer.condition.as_str();
        let p = Some(answer.probability_pct);
        line(
            "core_pct_needed",
            search,
            None,
            condition,
            p,
            "",
            answer.level.map(level_pct),
        );
        if let (Some(k), Some(band), Some(plan)) = (
            answer.level,
            answer.group_core_pct,
            answer.group_core_pct_plan,
        ) {
            let x = Some(level_pct(k));
            for (metric, value) in [
                ("group_core_pct_gdp_p10", band.p10),
                ("group_core_pct_gdp_p50", band.p50),
                ("group_core_pct_gdp_p90", band.p90),
                ("group_core_pct_gdp_plan", plan),
            ] {
                line(metric, search, x, condition, p, "", Some(value));
            }
        }
    }
    line(
        "core_pct_needed_plan",
        search,
        None,
        Condition::Affordable.as_str(),
        None,
        "",
        outcome.plan_level.map(level_pct),
    );
    let runs = outcome.runs as f64;
    for (goal, odds) in scenario.goals.iter().zip(&outcome.goals) {
        for (condition, count) in [
            (Condition::Affordable, odds.affordable),
            (
                Condition::AffordableAndDeliverable,
                odds.affordable_and_deliverable,
            ),
        ] {
            line(
                "probability",
                &goal.id,
                goal.core_pct,
                condition.as_str(),
                None,
                "",
                Some(count as f64 / runs),
            );
        }
    }
    for condition in [Condition::Affordable, Condition::AffordableAndDeliverable] {
        for k in 0..LEVELS {
            line(
                "probability",
                search,
                Some(level_pct(k)),
                condition.as_str(),
                None,
                "",
                Some(outcome.probability(condition, k)),
            );
        }
    }
    line(
        "probability",
        "",
        None,
        "deliverable",
        None,
        "",
        Some(outcome.deliverable as f64 / runs),
    );
    for (t, delivery) in targets.targets.iter().zip(&outcome.delivery) {
        let item = t.item_id.as_str();
        line(
            "probability",
            "",
            None,
            "deliverable",
            None,
            item,
            Some(delivery.runs as f64 / runs),
        );
        for (metric, value) in [
            ("spare_units_p10", delivery.spare.p10),
            ("spare_units_p50", delivery.spare.p50),
            ("spare_units_p90", delivery.spare.p90),
            ("spare_units_plan", delivery.spare_plan),
        ] {
            line(metric, "", None, "deliverable", None, item, Some(value));
        }
    }
    out.into_bytes()
}

/// `target.json`, pretty-printed: the answers, the curve, the scenario's goals and each
/// target's deliverability, with what it takes to reproduce them.
pub fn json_bytes(scenario: &Scenario, targets: &Targets, outcome: &Outcome) -> Vec<u8> {
    let runs = outcome.runs as f64;
    let template = &scenario.goals[targets.goal];
    let answers: Vec<Value> = outcome
        .answers
        .iter()
        .map(|a| {
            json!({
                "condition": a.condition.as_str(),
                "probability_pct": a.probability_pct,
                "core_pct": a.level.map(level_pct),
                "not_reached": a.not_reached.map(|n| match n {
                    NotReached::Capacity => "capacity: fewer runs are deliverable than the probability asks, at any share",
                    NotReached::Ceiling => "not reached at 10% of GDP or below",
                }),
                "probability": a.level.map(|k| outcome.probability(a.condition, k)),
                "group_core_pct_gdp": a.group_core_pct.map(|band| json!({
                    "year": targets.year,
                    "p10": band.p10,
                    "p50": band.p50,
                    "p90": band.p90,
                    "plan": a.group_core_pct_plan,
                })),
            })
        })
        .collect();
    let delivery: Vec<Value> = targets
        .targets
        .iter()
        .zip(&outcome.delivery)
        .map(|(t, d)| {
            json!({
                "item": t.item_id,
                "probability": d.runs as f64 / runs,
                "spare_units": match t.amount {
                    Amount::Units(_) => format!("units over {}-{}", scenario.base_year() + 1, targets.year),
                    Amount::UnitsPerYear(_) => format!("least units a year over {}-{}", targets.year, scenario.horizon),
                },
                "spare": { "p10": d.spare.p10, "p50": d.spare.p50, "p90": d.spare.p90, "plan": d.spare_plan },
            })
        })
        .collect();
    let goals: Vec<Value> = scenario
        .goals
        .iter()
        .zip(&outcome.goals)
        .map(|(g, odds)| {
            json!({
                "id": g.id,
                "label": g.label,
                "core_pct": g.core_pct,
                "affordable": odds.affordable as f64 / runs,
                "affordable_and_deliverable": odds.affordable_and_deliverable as f64 / runs,
            })
        })
        .collect();
    let curve = |condition: Condition| -> Vec<f64> {
        (0..LEVELS)
            .map(|k| outcome.probability(condition, k))
            .collect()
    };
    let document = json!({
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "tool": { "name": env!("CARGO_PKG_NAME"), "version": env!("CARGO_PKG_VERSION") },
        "model_spec": "MODEL.md v2",
        "input_hash": input_hash(scenario, targets),
        "scenario_input_hash": crate::scenario::input_hash(scenario),
        "seed": outcome.seed,
        "runs": outcome.runs,
        "generator": rng::ALGORITHM,
        "data": { "base_year": scenario.base_year(), "vintage": scenario.data.vintage },
        "targets_file": std::path::Path::new(&targets.file).file_name().map(|n| n.to_string_lossy()),
        "scenario": { "file": targets.scenario_key, "title": scenario.title },
        "targets": targets_json(scenario, targets),
        "searched_goal": {
            "id": SEARCH_GOAL_ID,
            "template": template.id,
            "core_pct": "searched: every ally, from 0 to 10% of GDP",
            "target_year": template.target_year,
            "path": template.path.as_str(),
            "floor": template.floor.as_str(),
            "related_pct": template.related_pct,
            "equipment_pct": template.equipment_pct,
        },
        "grid": { "from_pct": 0.0, "to_pct": level_pct(LEVELS - 1), "step_pp": STEP_PP, "levels": LEVELS },
        "compliance": compliance_text(&scenario.compliance, &scenario.capacity),
        "method": {
            "affordable": "the group's equipment money in each target item's category added since the base year (max(0, EQ - EQ(B)) * run mix + min(0, EQ - EQ(B)) * data mix), year by year, buys the category's targets at the run's unit costs: each year's money buys a share of the basket of quantities, the shares over B+1..year must reach 1; a yearly rate is paid first in every year from the year to the horizon",
            "deliverable": "each item's capacity above what the base-year money buys at that year's unit cost covers the quantity over B+1..year, or the rate in every year from the year to the horizon",
            "search": "per run, bisection over the grid for the smallest level at which the targets are affordable (affordability never falls as the level rises); the answer for probability P is the smallest level at which at least P of the runs are affordable (and deliverable)",
            "percentiles": "nearest rank from a log-linear histogram sketch, relative error at most 2^-8, clamped to the observed range",
            "tolerance": "a quantity or rate counts as met within a relative 1e-9",
        },
        "probabilities_pct": PROBABILITIES_PCT,
        "answers": answers,
        "plan": {
            "meaning": PLAN_MEANING,
            "core_pct_affordable": outcome.plan_level.map(level_pct),
            "deliverable": outcome.plan_deliverable,
        },
        "deliverable": { "probability": outcome.deliverable as f64 / runs, "targets": delivery },
        "goals": goals,
        "curve": {
            "core_pct": (0..LEVELS).map(level_pct).collect::<Vec<f64>>(),
            "affordable": curve(Condition::Affordable),
            "affordable_and_deliverable": curve(Condition::AffordableAndDeliverable),
        },
    });
    let mut bytes = serde_json::to_vec_pretty(&document).expect("JSON serialization cannot fail");
    bytes.push(b'\n');
    bytes
}
