//! The sensitivity chart (`charts/sensitivity`): small multiples of tornado panels for the
//! scenario's last goal (the most ambitious in the shipped files), one panel per headline
//! output: NATO's and Europe+Canada's core spending at the horizon, and each item's probability
//! of demand above capacity at its peak-risk year (at the horizon when it has none). One chart
//! rather than one per output: the Hague scenario has 50 headline outputs per goal; the rest
//! are in `sensitivity.csv` and the report's table.
//!
//! A panel shows the five inputs with the largest absolute rank correlation. Each bar runs from
//! the output's median (or probability) over the runs whose input is in its lowest tenth to
//! that over its highest tenth, blue when the output rises with the input, vermilion when it
//! falls. Nothing is computed here: the numbers are the [`Sensitivity`]'s.

use super::axes::{self, Axes, CAPTION_AREA, X_LABEL_AREA, X_TICKS};
use super::canvas::{self, Canvas, Drawn, Rect};
use super::data::{Body, Figure};
use super::style::{self, size};
use crate::data::currency::Currency;
use crate::data::groups::display_name;
use crate::results::sensitivity::{Measure, OutputSensitivity, When};
use crate::results::{Results, Sensitivity};
use crate::scenario::metrics::Metric;
use plotters::chart::ChartBuilder;
use plotters::element::PathElement;
use plotters::prelude::DrawingBackend;
use plotters::style::ShapeStyle;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// Inputs shown per panel.
pub const TOP_INPUTS: usize = 5;
/// Panels per row.
const COLUMNS: usize = 2;
/// Height of one panel, pixels.
const PANEL_HEIGHT: u32 = 330;
/// Line height of a bar's label, pixels.
const TEXT_LINE: i32 = 16;

/// The panels of the chart.
#[derive(Debug)]
pub struct Tornado {
    /// Left to right, top to bottom.
    panels: Vec<Panel>,
}

/// One headline output.
#[derive(Debug)]
struct Panel {
    title: String,
    x_desc: String,
    probability: bool,
    /// `(label, low, high)`, most influential first, in the unit shown.
    bars: Vec<(String, f64, f64)>,
}

/// The chart's figure, when there is a sensitivity and a goal; money in `currency`.
pub(super) fn figure(
    results: &Results,
    sensitivity: &Sensitivity,
    currency: Currency,
) -> Option<Figure> {
    let s = &results.scenario;
    let goal = s.goals.last()?;
    let outputs: Vec<&OutputSensitivity> = sensitivity
        .of_goal(&goal.id)
        .filter(|o| match (o.metric, o.item.is_some()) {
            (Metric::CoreMusd, false) => true,
            (Metric::ShortfallProb, true) => {
                o.when != When::Horizon
                    || !sensitivity.of_goal(&goal.id).any(|p| {
                        p.item == o.item && p.metric == o.metric && p.when == When::PeakRisk
                    })
            }
            _ => false,
        })
        .collect();
    if outputs.is_empty() {
        return None;
    }
    let panels: Vec<Panel> = outputs
        .iter()
        .map(|o| panel(results, sensitivity, o, currency))
        .collect();
    let rows = panels.len().div_ceil(COLUMNS) as u32;
    let footnote = format!(
        "Data: {}; the first {} of {} Monte Carlo runs, seed {}; pledge {}",
        s.data.vintage,
        sensitivity.runs,
        results.runs,
        results.seed,
        results.tool_version()
    );
    Some(Figure {
        name: "sensitivity".to_string(),
        title: format!("What drives the results: {}", goal.label),
        subtitle: s.title.clone(),
        size: (1100, 260 + rows * PANEL_HEIGHT),
        years: (s.base_year(), s.horizon),
        legend: Vec::new(),
        notes: std::iter::once(format!(
            "Each bar runs from the output among the runs whose input is in its lowest tenth to \
             the output among those whose input is in its highest tenth (the median; for a \
             shortfall, the probability). Blue: the output rises with the input; vermilion: \
             it falls. \u{3c1}: rank correlation. The {TOP_INPUTS} inputs with the largest \
             |\u{3c1}| per output."
        ))
        .chain(currency.rate_note())
        .collect(),
        footnote,
        body: Body::Tornado(Tornado { panels }),
    })
}

fn panel(
    results: &Results,
    sensitivity: &Sensitivity,
    o: &OutputSensitivity,
    currency: Currency,
) -> Panel {
    let probability = o.measure == Measure::Probability;
    let (title, x_desc) = match &o.item {
        None => (
            format!("{} core spending, {}", display_name(&o.group), o.year),
            format!(
                "median, {} bn ({})",
                currency.code(),
                currency.prices(results.scenario.base_year())
            ),
        ),
        Some(id) => {
            let label = results
                .scenario
                .items
                .iter()
                .find(|i| &i.id == id)
                .map_or(id.as_str(), |i| i.label.as_str());
            let when = match o.when {
                When::Horizon => "",
                When::PeakRisk | When::HorizonAndPeakRisk => ", peak risk",
            };
            (
                format!("{label}, {}{when}", o.year),
                "probability of demand above capacity, %".to_string(),
            )
        }
    };
    let shown = |v: f64| {
        if probability {
            100.0 * v
        } else {
            currency.billions(v)
        }
    };
    let bars = o
        .drivers
        .iter()
        .take(TOP_INPUTS)
        .map(|d| {
            let label = format!(
                "{} (\u{3c1} {})",
                sensitivity.input(d).label,
                style::number(d.rank_correlation, 2)
            );
            (label, shown(d.tornado_low), shown(d.tornado_high))
        })
        .collect();
    Panel {
        title,
        x_desc,
        probability,
        bars,
    }
}

/// Draws the panels in `body`, [`COLUMNS`] to a row.
pub fn tornado<DB: DrawingBackend>(canvas: &Canvas<DB>, body: Rect, t: &Tornado) -> Drawn<DB> {
    let rows = body.rows(t.panels.len().div_ceil(COLUMNS), 18);
    for (k, panel) in t.panels.iter().enumerate() {
        let rect = rows[k / COLUMNS].columns(COLUMNS, 28)[k % COLUMNS];
        draw_panel(canvas, rect, panel)?;
    }
    Ok(())
}

fn draw_panel<DB: DrawingBackend>(canvas: &Canvas<DB>, rect: Rect, panel: &Panel) -> Drawn<DB> {
    let root = &canvas.root;
    let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
    for &(_, a, b) in &panel.bars {
        lo = lo.min(a.min(b));
        hi = hi.max(a.max(b));
    }
    if panel.probability {
        (lo, hi) = (0.0, 100.0);
    }
    if !(lo.is_finite() && hi.is_finite()) {
        (lo, hi) = (0.0, 1.0);
    }
    if hi - lo <= f64::EPSILON * hi.abs().max(1.0) {
        (lo, hi) = (
            lo - 0.5 * lo.abs().max(1.0) * 0.01,
            hi + 0.5 * hi.abs().max(1.0) * 0.01,
        );
    }
    let pad = if panel.probability {
        0.0
    } else {
        0.06 * (hi - lo)
    };
    let (lo, hi) = (lo - pad, hi + pad);
    let ticks = axes::ticks(lo, hi, X_TICKS);
    let n = panel.bars.len().max(1) as f64;
    let area = rect.area(root);
    let chart = ChartBuilder::on(&area)
        .margin_right(14)
        .margin_top(CAPTION_AREA)
        .x_label_area_size(X_LABEL_AREA)
        .y_label_area_size(8)
        .build_cartesian_2d(lo..hi, 0.0..n)?;
    let plot = Rect::from_pixel_range(chart.plotting_area().get_pixel_range());
    let axes = Axes {
        x: ticks
            .values
            .iter()
            .map(|v| {
                (
                    chart.backend_coord(&(*v, 0.0)).0,
                    style::number(*v, ticks.decimals),
                )
            })
            .collect(),
        y: Vec::new(),
        x_desc: &panel.x_desc,
        y_desc: None,
    };
    axes::draw(canvas, plot, &axes)?;
    axes::caption(canvas, plot, &panel.title)?;
    let font = style::font(size::TICK);
    let label_style = style::text(size::TICK, &style::BLACK).pos(Pos::new(HPos::Left, VPos::Top));
    let decimals = if panel.probability || hi - lo >= 100.0 {
        0
    } else {
        1
    };
    let value = |v: f64| {
        if panel.probability {
            format!("{}%", style::number(v, 0))
        } else {
            style::number(v, decimals)
        }
    };
    for (k, (label, low, high)) in panel.bars.iter().enumerate() {
        let row_top = chart.backend_coord(&(0.0, n - k as f64)).1;
        let row_bottom = chart.backend_coord(&(0.0, n - k as f64 - 1.0)).1;
        let text = format!("{label}: {} \u{2192} {}", value(*low), value(*high));
        let mut y = row_top + 4;
        for line in canvas::wrap(&font, &text, plot.width() - 4) {
            canvas.text(&line, (plot.x0 + 4, y), &label_style)?;
            y += TEXT_LINE;
        }
        let thickness = (row_bottom - y - 6).clamp(4, 14);
        let (top, bottom) = (y + 1, y + 1 + thickness);
        let (a, b) = (
            chart.backend_coord(&(*low, 0.0)).0,
            chart.backend_coord(&(*high, 0.0)).0,
        );
        let color = if high >= low {
            style::BLUE
        } else {
            style::VERMILLION
        };
        let bar_style = style::LineStyle {
            color,
            ..style::goal_style(0)
        };
        canvas::bar(
            root,
            (a.min(b), top),
            (a.max(b).max(a.min(b) + 2), bottom),
            &bar_style,
            false,
        )?;
        // The high decile's end, marked.
        root.draw(&PathElement::new(
            vec![(b, top - 3), (b, bottom + 3)],
            ShapeStyle::from(style::BLACK).stroke_width(2),
        ))?;
    }
    Ok(())
}
