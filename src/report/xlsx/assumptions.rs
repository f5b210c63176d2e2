//! The Assumptions sheet: every input of the scenario, one per row, with its value (the plan's),
//! its distribution's parameters and its unit. The page states the same inputs in prose; the
//! words they share come from [`crate::report::tables`].

use super::{ASSUMPTIONS_SHEET, MAX_ROW, Styles, Value, cut, last_col, start_table, write_count};
use crate::data::{Category, Item, Purchase};
use crate::dist::Triangular;
use crate::report::tables::{COST_MULTIPLIER, MIX_DISTRIBUTION, generator_text};
use crate::results::Results;
use crate::scenario::{GoalOverride, Plans};
use rust_xlsxwriter::{RowNum, Worksheet, XlsxError};

/// One row of the assumptions table.
struct Assumption {
    section: String,
    parameter: String,
    value: Value,
    range: Option<Triangular>,
    sd: Option<f64>,
    distribution: String,
    unit: &'static str,
}

impl Assumption {
    fn fixed(section: &str, parameter: &str, value: Value, unit: &'static str) -> Assumption {
        Assumption {
            section: section.to_string(),
            parameter: parameter.to_string(),
            value,
            range: None,
            sd: None,
            distribution: "fixed".to_string(),
            unit,
        }
    }

    fn triangular(
        section: &str,
        parameter: &str,
        range: Triangular,
        per: &str,
        unit: &'static str,
    ) -> Assumption {
        let zero_width = range.min() == range.max();
        Assumption {
            range: (!zero_width).then_some(range),
            distribution: if zero_width {
                "fixed".to_string()
            } else {
                format!("triangular(min, mode, max), drawn {per}; plan = mode")
            },
            ..Assumption::fixed(section, parameter, Value::Number(range.mode()), unit)
        }
    }
}

impl Assumption {
    /// A compliance input: drawn per ally, but the plan meets the pledge in full and on time,
    /// so its value is `plan`, not the mode.
    fn compliance(
        parameter: &str,
        range: Triangular,
        plan: f64,
        unit: &'static str,
        per: &str,
    ) -> Assumption {
        let zero_width = range.min() == range.max();
        Assumption {
            range: (!zero_width).then_some(range),
            distribution: if zero_width {
                format!("fixed at {}; the plan takes {plan}", range.mode())
            } else {
                format!("triangular(min, mode, max), drawn per {per}; the plan takes {plan}")
            },
            ..Assumption::fixed("compliance", parameter, Value::Number(plan), unit)
        }
    }
}

/// Every input, in the order of the scenario file.
fn assumptions(results: &Results) -> Vec<Assumption> {
    use Value::{Number, Text, Whole};
    let s = &results.scenario;
    let mut rows = vec![
        Assumption::fixed(
            "run",
            "base year",
            Whole(s.base_year().max(0) as u64),
            "year",
        ),
        Assumption::fixed("run", "horizon", Whole(s.horizon.max(0) as u64), "year"),
        Assumption::fixed("run", "Monte Carlo runs", Whole(results.runs), "runs"),
        Assumption::fixed("run", "seed", Whole(results.seed), ""),
        Assumption::fixed(
            "run",
            "generator",
            Text(generator_text(results.generator()).to_string()),
            "",
        ),
    ];
    for goal in &s.goals {
        let section = format!("goal {}", goal.id);
        rows.extend([
            Assumption::fixed(&section, "label", Text(goal.label.clone()), ""),
            match goal.core_pct {
                Some(core) if goal.plans == Plans::None => {
                    Assumption::fixed(&section, "core_pct", Number(core), "% of GDP")
                }
                _ => Assumption::fixed(&section, "core_pct", Text(goal.core_text()), "% of GDP"),
            },
            Assumption::fixed(
                &section,
                "related_pct",
                Number(goal.related_pct),
                "% of GDP",
            ),
            Assumption::fixed(
                &section,
                "target_year",
                Whole(goal.target_year.max(0) as u64),
                "year",
            ),
            Assumption::fixed(&section, "path", Text(goal.path.as_str().to_string()), ""),
            Assumption::fixed(&section, "floor", Text(goal.floor.as_str().to_string()), ""),
            Assumption::fixed(
                &section,
                "equipment_pct",
                Number(goal.equipment_pct),
                "% of core spending",
            ),
        ]);
        for (iso3, o) in &goal.overrides {
            rows.extend(override_rows(&section, iso3, o));
        }
    }
    let growth_spread = "normal, drawn per ally and year";
    rows.extend([
        Assumption {
            distribution: growth_spread.to_string(),
            ..Assumption::fixed(
                "growth",
                "GDP growth of each ally: mean and sd in the Allies sheet",
                Text("see Allies".to_string()),
                "% per year",
            )
        },
        Assumption::fixed(
            "growth",
            "correlation (share of growth variance common to all allies)",
            Number(s.growth.correlation),
            "fraction",
        ),
        Assumption::fixed(
            "growth",
            "sd_scale (multiplies every ally's growth sd)",
            Number(s.growth.sd_scale),
            "factor",
        ),
        Assumption::compliance(
            "lag_years (years late after the target year; value = the plan's, on time)",
            s.compliance.lag_years,
            0.0,
            "years",
            "ally",
        ),
        Assumption::compliance(
            "attainment (fraction of the step to the goal made; value = the plan's, in full)",
            s.compliance.attainment,
            1.0,
            "fraction",
            "ally",
        ),
        Assumption::fixed(
            "compliance",
            "drift_pp (sd of each ally's yearly share step; the plan has none)",
            Number(s.compliance.drift_pp),
            "pp of GDP a year",
        ),
        Assumption::fixed(
            "compliance",
            "drift_correlation (common part of the drift steps)",
            Number(s.compliance.drift_correlation),
            "correlation",
        ),
        Assumption::compliance(
            "plan_attainment (share of an announced capacity increase delivered; value = the plan's, met)",
            s.capacity.plan_attainment,
            1.0,
            "fraction",
            "item",
        ),
        Assumption {
            sd: Some(s.inflation.sd_pct),
            distribution: if s.inflation.sd_pct == 0.0 {
                "fixed".to_string()
            } else {
                "normal(mean, sd), drawn per year".to_string()
            },
            ..Assumption::fixed(
                "inflation",
                "defence cost inflation above the GDP deflator (value = mean)",
                Number(s.inflation.mean_pct),
                "% per year",
            )
        },
    ]);
    let concentration = s.mix.concentration;
    let mix_distribution = if concentration == 0.0 {
        "fixed".to_string()
    } else {
        format!(
            "{MIX_DISTRIBUTION} = Dirichlet({concentration} \u{d7} shares), drawn per run; plan = share"
        )
    };
    for (category, share) in Category::ALL.iter().zip(s.mix.shares) {
        rows.push(Assumption {
            distribution: mix_distribution.clone(),
            ..Assumption::fixed(
                "mix",
                &format!("{} share", category.as_str()),
                Number(share),
                "fraction of equipment spending",
            )
        });
    }
    rows.push(Assumption::fixed(
        "mix",
        "concentration (0 = fixed mix)",
        Number(concentration),
        "",
    ));
    for item in &s.items {
        rows.extend(item_rows(results, item));
    }
    rows
}

/// A goal's exceptions for one ally.
fn override_rows(section: &str, iso3: &str, o: &GoalOverride) -> Vec<Assumption> {
    let name = |key: &str| format!("override {iso3}: {key}");
    let mut rows = Vec::new();
    if let Some(v) = o.core_pct {
        rows.push(Assumption::fixed(
            section,
            &name("core_pct"),
            Value::Number(v),
            "% of GDP",
        ));
    }
    if let Some(points) = o.points_text() {
        rows.push(Assumption::fixed(
            section,
            &name("points"),
            Value::Text(points),
            "% of GDP by year",
        ));
    }
    if let Some(v) = o.related_pct {
        rows.push(Assumption::fixed(
            section,
            &name("related_pct"),
            Value::Number(v),
            "% of GDP",
        ));
    }
    if let Some(v) = o.target_year {
        rows.push(Assumption::fixed(
            section,
            &name("target_year"),
            Value::Whole(v.max(0) as u64),
            "year",
        ));
    }
    if let Some(v) = o.path {
        rows.push(Assumption::fixed(
            section,
            &name("path"),
            Value::Text(v.as_str().to_string()),
            "",
        ));
    }
    if let Some(v) = o.equipment_pct {
        rows.push(Assumption::fixed(
            section,
            &name("equipment_pct"),
            Value::Number(v),
            "% of core spending",
        ));
    }
    rows
}

/// An item's inputs.
fn item_rows(results: &Results, item: &Item) -> Vec<Assumption> {
    use Value::Number;
    let section = format!("item {}", item.id);
    let mut rows = vec![
        Assumption::fixed(
            &section,
            "capacity in the base year",
            Number(item.capacity_units_per_year),
            "units per year",
        ),
        Assumption::triangular(
            &section,
            "capacity growth",
            item.capacity_growth_pct,
            "per item and run",
            "% per year",
        ),
        Assumption::fixed(
            &section,
            "lead_years (before capacity grows)",
            Number(item.lead_years),
            "years",
        ),
        Assumption {
            sd: (item.cost_sigma > 0.0).then_some(item.cost_sigma),
            distribution: if item.cost_sigma > 0.0 {
                format!(
                    "unit cost \u{d7} lognormal multiplier {COST_MULTIPLIER}, \u{3c3} = cost_sigma, z standard normal, drawn per item and run: 1 in the base year, log-sd \u{3c3} ten years on"
                )
            } else {
                "fixed".to_string()
            },
            ..Assumption::fixed(
                &section,
                "unit cost (base-year prices)",
                Number(item.unit_cost_musd),
                "USD millions",
            )
        },
    ];
    match item.purchase {
        Purchase::BaseDemand(units) => rows.push(Assumption::fixed(
            &section,
            "base_demand (units the buyers take in the base year)",
            Number(units),
            "units a year",
        )),
        Purchase::Alpha(a) => rows.push(Assumption::fixed(
            &section,
            "alpha (given)",
            Number(a),
            "fraction of the buyers' category spending",
        )),
    }
    if let Some(alpha) = results.alpha(&item.id) {
        rows.push(Assumption {
            distribution: match item.purchase {
                Purchase::BaseDemand(_) => "calibrated from base_demand".to_string(),
                Purchase::Alpha(_) => "fixed".to_string(),
            },
            ..Assumption::fixed(
                &section,
                "alpha used",
                Number(alpha),
                "fraction of the buyers' category spending",
            )
        });
    }
    rows
}

/// The Assumptions sheet.
pub(super) fn assumptions_sheet(
    sheet: &mut Worksheet,
    results: &Results,
    styles: &Styles,
) -> Result<(), XlsxError> {
    let columns = [
        ("section", 16.0),
        ("parameter", 44.0),
        ("value", 14.0),
        ("min", 9.0),
        ("mode", 9.0),
        ("max", 9.0),
        ("sd", 9.0),
        ("distribution", 60.0),
        ("unit", 26.0),
    ];
    start_table(sheet, ASSUMPTIONS_SHEET, &columns, styles)?;
    let rows = assumptions(results);
    for (row, a) in (1..).zip(&rows) {
        sheet.write_string(row, 0, cut(&a.section))?;
        sheet.write_string(row, 1, cut(&a.parameter))?;
        match &a.value {
            Value::Number(v) => {
                sheet.write_number_with_format(row, 2, *v, &styles.flexible)?;
            }
            Value::Whole(v) => write_count(sheet, row, 2, *v)?,
            Value::Text(t) => {
                sheet.write_string(row, 2, cut(t))?;
            }
        }
        if let Some(range) = a.range {
            for (col, v) in (3..).zip([range.min(), range.mode(), range.max()]) {
                sheet.write_number_with_format(row, col, v, &styles.flexible)?;
            }
        }
        if let Some(sd) = a.sd {
            sheet.write_number_with_format(row, 6, sd, &styles.flexible)?;
        }
        sheet.write_string(row, 7, &a.distribution)?;
        sheet.write_string(row, 8, a.unit)?;
    }
    let last_row = RowNum::try_from(rows.len()).unwrap_or(MAX_ROW);
    sheet.autofilter(0, 0, last_row, last_col(columns.len()))?;
    Ok(())
}
