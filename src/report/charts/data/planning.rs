//! The capacity planning charts (docs/METHODOLOGY.md section 17): one per production line,
//! small multiples with a panel per goal, on one scale. Each panel shows the capacity needed
//! each year for P90 and P50 demand (per-year quantiles of the runs; the plan's demand without
//! runs), base capacity held to the end of the lead time and then grown at the constant rate
//! that meets P90 demand in every later year, the capacity the model assumes in the plan
//! (announced plans met, modal growth after them), and the latest year an expansion at the
//! line's modal rate can start; the notes give each goal's rate, the year that sets it and the
//! latest start in words. The numbers are those of `capacity.csv`:
//! [`crate::results::capacity`] computes them; nothing is computed here.
//!
//! A line drawn solid or dashed without a band is a point whose band is the value itself and
//! whose plan is not a number: `lines.rs` then draws it as a median and draws no plan line.

use super::{
    Band, Bands, Body, Context, Figure, Glyph, LegendItem, LinePanel, Point, Series, WIDTH,
    YearMarker,
};
use crate::data::Item;
use crate::report::charts::style::{self, CAPACITY, LineStyle, Marker};
use crate::results::capacity::{Basis, ItemPlanning, LatestStart, Need, planning};

/// Panels per row, at most.
const COLUMNS: usize = 2;
/// Capacity needed for the headline basis (P90, or the plan without runs).
const NEEDED: LineStyle = LineStyle {
    color: style::BLUE,
    width: 2,
    dash: &[],
    marker: Marker::Square,
};
/// Capacity needed for median demand.
const MEDIAN: LineStyle = LineStyle {
    color: style::BLUE,
    width: 2,
    dash: &[9.0, 5.0],
    marker: Marker::None,
};
/// Base capacity, then the constant growth that meets the need.
const GROWTH: LineStyle = LineStyle {
    color: style::ORANGE,
    width: 3,
    dash: &[18.0, 6.0],
    marker: Marker::None,
};
/// The latest start year's rule and label.
const START: LineStyle = LineStyle {
    color: style::VERMILLION,
    width: 2,
    dash: &[],
    marker: Marker::TriangleUp,
};

/// One chart per item, named `planning_<item id>`.
pub(super) fn figures(c: &Context) -> Vec<Figure> {
    let items = &c.results.scenario.items;
    let all = planning(c.results);
    items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            let lines: Vec<&ItemPlanning> = all.iter().skip(i).step_by(items.len()).collect();
            figure(c, item, &lines)
        })
        .collect()
}

/// A point drawn as a line of its series' style, without band or plan.
fn value(year: i32, v: f64) -> Point {
    Point {
        year,
        plan: f64::NAN,
        band: Some(Band {
            p10: v,
            p25: v,
            p50: v,
            p75: v,
            p90: v,
        }),
    }
}

fn figure(c: &Context, item: &Item, lines: &[&ItemPlanning]) -> Figure {
    let basis = if c.statistics {
        Basis::P90
    } else {
        Basis::Plan
    };
    let demand = if c.statistics {
        "P90 demand"
    } else {
        "the plan\u{2019}s demand"
    };
    // One scale for every panel, so that goals compare at a glance.
    let largest = lines
        .iter()
        .flat_map(|p| {
            let need = p.need(basis);
            let growth = need
                .and_then(|n| n.growth_path(&p.line))
                .unwrap_or_default();
            need.iter()
                .flat_map(|n| n.needed.clone())
                .chain(p.capacity_in_plan.iter().copied())
                .chain(growth)
                .collect::<Vec<_>>()
        })
        .map(|(_, v)| v)
        .filter(|v| v.is_finite())
        .fold(0.0_f64, f64::max);
    let (unit, scale) = if largest >= 2e6 {
        ("million units per year", 1e-6)
    } else if largest >= 2e4 {
        ("thousand units per year", 1e-3)
    } else {
        ("units per year", 1.0)
    };
    let panels: Vec<LinePanel> = lines
        .iter()
        .enumerate()
        .map(|(g, p)| panel(c, g, p, basis, unit, scale))
        .collect();
    let columns = panels.len().clamp(1, COLUMNS);
    let rows = panels.len().div_ceil(columns).max(1) as u32;
    let mut figure = c.figure(
        format!("planning_{}", item.id),
        format!(
            "{}: capacity needed, and the growth that would supply it",
            item.label
        ),
        (WIDTH, 330 + 300 * rows),
        Body::Grid { columns, panels },
    );
    let mut legend = vec![LegendItem {
        glyph: Glyph::Line {
            style: NEEDED,
            band: false,
            envelope: false,
        },
        label: if c.statistics {
            "Capacity needed for P90 demand (each year\u{2019}s 90th percentile of the runs)"
                .to_string()
        } else {
            "Capacity needed for the plan\u{2019}s demand (pledge met in full and on time)"
                .to_string()
        },
    }];
    if c.statistics {
        legend.push(LegendItem {
            glyph: Glyph::Line {
                style: MEDIAN,
                band: false,
                envelope: false,
            },
            label: "Capacity needed for median demand".to_string(),
        });
    }
    legend.extend([
        LegendItem {
            glyph: Glyph::Line {
                style: GROWTH,
                band: false,
                envelope: false,
            },
            label: format!(
                "{} capacity to the end of the {} year lead time, then the constant growth \
                 that meets {demand} in every later year",
                c.base_year,
                style::number(
                    item.lead_years,
                    if item.lead_years.fract() == 0.0 { 0 } else { 1 }
                )
            ),
        },
        LegendItem {
            glyph: Glyph::Line {
                style: style::plan_style(CAPACITY.color),
                band: false,
                envelope: false,
            },
            label: "Capacity in the plan (announced capacity plans met, modal growth after them)"
                .to_string(),
        },
        LegendItem {
            glyph: Glyph::Rule,
            label: format!(
                "Latest year to start growing at the modal {}% a year and still meet {demand}",
                style::number(item.capacity_growth_pct.mode(), 1)
            ),
        },
    ]);
    figure.legend = legend;
    let goals = c.results.goals();
    let rates: Vec<String> = lines
        .iter()
        .zip(goals)
        .map(|(p, goal)| format!("under {}, {}", goal.label, growth_text(p, p.need(basis))))
        .collect();
    let mut notes = vec![format!(
        "Growth needed for {demand} from {}, and the latest start: {}.",
        lines
            .first()
            .map_or(String::new(), |p| format!("{}", p.line.expansion_from())),
        rates.join("; ")
    )];
    if c.statistics {
        notes.push(format!(
            "P50 and P90 are per-year quantiles of {} runs, not one run\u{2019}s path: each \
             year\u{2019}s demand is below the P90 line in 90% of runs, every year at once in \
             90% of runs or fewer.",
            c.results.runs
        ));
    }
    notes.push(format!(
        "Growth starts from {b} capacity and leaves announced plans aside; years up to {b} plus \
         the lead time in which demand is already above {b} capacity are not counted. \
         Numbers: capacity.csv.",
        b = c.base_year
    ));
    figure.notes = notes;
    figure
}

fn panel(
    c: &Context,
    g: usize,
    p: &ItemPlanning,
    basis: Basis,
    unit: &str,
    scale: f64,
) -> LinePanel {
    let need = p.need(basis);
    let line = |path: &[(i32, f64)]| -> Vec<Point> {
        path.iter().map(|&(t, v)| value(t, v * scale)).collect()
    };
    let mut series = Vec::new();
    if let Some(need) = need {
        series.push(Series {
            style: NEEDED,
            bands: Bands::Outer,
            points: line(&need.needed),
        });
    }
    if let Some(median) = p.need(Basis::P50).filter(|_| basis == Basis::P90) {
        series.push(Series {
            style: MEDIAN,
            bands: Bands::Outer,
            points: line(&median.needed),
        });
    }
    if let Some(path) = need.and_then(|n| n.growth_path(&p.line)) {
        series.push(Series {
            style: GROWTH,
            bands: Bands::Outer,
            points: line(&path),
        });
    }
    series.push(Series {
        style: CAPACITY,
        bands: Bands::Outer,
        points: p
            .capacity_in_plan
            .iter()
            .map(|&(year, v)| Point {
                year,
                plan: v * scale,
                band: None,
            })
            .collect(),
    });
    let markers = match need.map(|n| n.latest_start) {
        Some(LatestStart::Year(year)) if year <= c.horizon => {
            vec![YearMarker { style: START, year }]
        }
        _ => Vec::new(),
    };
    LinePanel {
        title: c.results.goals()[g].label.clone(),
        y_desc: format!("Production, {unit}"),
        series,
        zero_line: None,
        from_zero: true,
        markers,
        dots: Vec::new(),
    }
}

/// The growth needed and the latest start, as the notes say them.
fn growth_text(p: &ItemPlanning, need: Option<&Need>) -> String {
    let Some(need) = need else {
        return "n/a".to_string();
    };
    let growth = match (need.growth_needed_pct, need.binding_year) {
        (Some(g), Some(year)) => format!("{}% a year (set by {year})", style::number(g, 1)),
        (Some(_), None) => "none".to_string(),
        (None, _) => format!("no year after {}", p.line.expansion_from()),
    };
    let start = match need.latest_start {
        LatestStart::Year(year) => format!("start by {year}"),
        LatestStart::NotNeeded => "no expansion needed".to_string(),
        LatestStart::TooLate => "too late already at the modal rate".to_string(),
        LatestStart::NotAtModalRate => "the modal rate adds nothing".to_string(),
        LatestStart::NoYearAfterLead => return growth,
    };
    format!("{growth}, {start}")
}
