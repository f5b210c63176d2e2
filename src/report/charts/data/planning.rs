//! The capacity planning charts (docs/METHODOLOGY.md section 15): one per goal, small
//! multiples with a panel per production line. Each panel shows the capacity needed each year
//! for P90 and P50 demand (per-year quantiles of the runs; the plan's demand without runs),
//! base capacity held to the end of the lead time and then grown at the constant rate that
//! meets P90 demand in every later year (the rate in the caption), the capacity the model
//! assumes in the plan (announced plans met, modal growth after them), and the latest year an
//! expansion at the line's modal rate can start. The numbers are those of `capacity.csv`:
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

/// Panels per row.
const COLUMNS: usize = 2;
/// The dashes of the P50 line.
const DASHES: &[f64] = &[9.0, 5.0];
/// The long dashes of the growth path.
const LONG_DASHES: &[f64] = &[18.0, 6.0];

/// One chart per goal, named `planning_<goal id>`; none without items.
pub(super) fn figures(c: &Context) -> Vec<Figure> {
    let items = &c.results.scenario.items;
    if items.is_empty() {
        return Vec::new();
    }
    let all = planning(c.results);
    all.chunks(items.len())
        .enumerate()
        .map(|(g, lines)| figure(c, g, lines))
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

/// The colour of the growth path: orange, unless the goal's own colour is.
fn growth_style(goal: usize) -> LineStyle {
    let goal_color = style::goal_style(goal).color;
    LineStyle {
        color: if goal_color == style::ORANGE {
            style::PURPLE
        } else {
            style::ORANGE
        },
        width: 3,
        dash: LONG_DASHES,
        marker: Marker::None,
    }
}

/// The P50 line of goal `goal`: its colour, dashed, no marker.
fn p50_style(goal: usize) -> LineStyle {
    LineStyle {
        color: style::goal_style(goal).color,
        width: 2,
        dash: DASHES,
        marker: Marker::None,
    }
}

fn figure(c: &Context, g: usize, lines: &[ItemPlanning]) -> Figure {
    let goal = &c.results.goals()[g];
    let items = &c.results.scenario.items;
    let basis = if c.statistics {
        Basis::P90
    } else {
        Basis::Plan
    };
    let panels: Vec<LinePanel> = lines
        .iter()
        .zip(items)
        .map(|(p, item)| panel(c, g, p, item, basis))
        .collect();
    let rows = panels.len().div_ceil(COLUMNS) as u32;
    let mut figure = c.figure(
        format!("planning_{}", goal.id),
        format!("Capacity planning: {}", c.goal_label(g)),
        (WIDTH, 330 + 270 * rows),
        Body::Grid {
            columns: COLUMNS,
            panels,
        },
    );
    let needed = if c.statistics {
        "Capacity needed for P90 demand (each year\u{2019}s 90th percentile of the runs)"
    } else {
        "Capacity needed for the plan\u{2019}s demand (pledge met in full and on time)"
    };
    let mut legend = vec![LegendItem {
        glyph: Glyph::Line {
            style: style::median_style(g),
            band: false,
            envelope: false,
        },
        label: needed.to_string(),
    }];
    if c.statistics {
        legend.push(LegendItem {
            glyph: Glyph::Line {
                style: p50_style(g),
                band: false,
                envelope: false,
            },
            label: "Capacity needed for median demand".to_string(),
        });
    }
    legend.extend([
        LegendItem {
            glyph: Glyph::Line {
                style: growth_style(g),
                band: false,
                envelope: false,
            },
            label: format!(
                "{} capacity to the end of the lead time, then the constant growth that meets \
                 {} demand in every later year (rate in each caption)",
                c.base_year,
                if c.statistics {
                    "P90"
                } else {
                    "the plan\u{2019}s"
                }
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
            label: "Latest year to start growing at the line\u{2019}s modal rate and still meet it"
                .to_string(),
        },
    ]);
    figure.legend = legend;
    let mut notes = Vec::new();
    if c.statistics {
        notes.push(format!(
            "P50 and P90 are per-year quantiles of {} runs, not one run\u{2019}s path: each \
             year\u{2019}s demand is below the P90 line in 90% of runs, every year at once in \
             90% of runs or fewer.",
            c.results.runs
        ));
    }
    notes.push(format!(
        "Growth starts from {b} capacity after the line\u{2019}s lead time and leaves \
         announced plans aside; years up to {b} + lead time in which demand is already above \
         {b} capacity are not counted. Numbers: capacity.csv.",
        b = c.base_year
    ));
    figure.notes = notes;
    figure
}

fn panel(c: &Context, g: usize, p: &ItemPlanning, item: &Item, basis: Basis) -> LinePanel {
    let need = p.need(basis);
    let growth = need.and_then(|n| n.growth_path(&p.line));
    let largest = need
        .iter()
        .flat_map(|n| &n.needed)
        .chain(&p.capacity_in_plan)
        .chain(growth.iter().flatten())
        .map(|&(_, v)| v)
        .filter(|v| v.is_finite())
        .fold(0.0_f64, f64::max);
    let (prefix, scale) = if largest >= 2e6 {
        ("million ", 1e-6)
    } else if largest >= 2e4 {
        ("thousand ", 1e-3)
    } else {
        ("", 1.0)
    };
    let line = |path: &[(i32, f64)]| -> Vec<Point> {
        path.iter().map(|&(t, v)| value(t, v * scale)).collect()
    };
    let mut series = Vec::new();
    if let Some(need) = need {
        series.push(Series {
            style: style::median_style(g),
            bands: Bands::Outer,
            points: line(&need.needed),
        });
    }
    if let Some(median) = p.need(Basis::P50).filter(|_| basis == Basis::P90) {
        series.push(Series {
            style: p50_style(g),
            bands: Bands::Outer,
            points: line(&median.needed),
        });
    }
    if let Some(path) = &growth {
        series.push(Series {
            style: growth_style(g),
            bands: Bands::Outer,
            points: line(path),
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
        Some(LatestStart::Year(year)) if year <= c.horizon => vec![YearMarker {
            style: style::goal_style(g),
            year,
        }],
        _ => Vec::new(),
    };
    LinePanel {
        title: format!("{}: {}", item.label, caption(p, need)),
        y_desc: format!("{prefix}{} per year", item.unit),
        series,
        zero_line: None,
        from_zero: true,
        markers,
        dots: Vec::new(),
    }
}

/// The growth needed, as a panel's caption says it.
fn caption(p: &ItemPlanning, need: Option<&Need>) -> String {
    let from = p.line.expansion_from();
    match need.map(|n| n.growth_needed_pct) {
        Some(Some(g)) if g > 0.0 => format!("{}% a year from {from}", style::number(g, 1)),
        Some(Some(_)) => format!("no growth needed after {from}"),
        _ => format!("no year after {from}"),
    }
}
