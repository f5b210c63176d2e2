//! Panels of lines over years (spending fan, annual differences, demand against capacity) and
//! panels of horizontal bars with whiskers (cumulative differences).
//!
//! A series is drawn as its median (solid, with markers) over its bands, and its plan (the
//! pledge met in full and on time) as a dotted line in the same colour; without runs, the
//! plan alone, dotted, with the series' markers.

use super::axes::{self, Axes, CAPTION_AREA, X_LABEL_AREA, X_TICKS};
use super::canvas::{self, Canvas, Drawn, Rect};
use super::data::{Band, Bands, BarPanel, LinePanel};
use super::style::{self, size};
use plotters::chart::{ChartBuilder, ChartContext};
use plotters::coord::cartesian::Cartesian2d;
use plotters::coord::types::RangedCoordf64;
use plotters::element::{PathElement, Polygon};
use plotters::prelude::DrawingBackend;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::{Color, RGBAColor, ShapeStyle, TextStyle};

/// Pixels per year label at least.
const PIXELS_PER_YEAR_LABEL: i32 = 40;
/// Value ticks on a line panel's y axis, at most.
const Y_TICKS: usize = 8;
/// Line height of text in bar panels, pixels.
const TEXT_LINE: i32 = 17;

/// The lowest and highest value a panel draws (zero included when asked), padded.
fn value_range(panel: &LinePanel) -> (f64, f64) {
    let (mut lo, mut hi) = if panel.from_zero {
        (0.0_f64, 0.0_f64)
    } else {
        (f64::INFINITY, f64::NEG_INFINITY)
    };
    for series in &panel.series {
        for p in &series.points {
            let band = p.band.map_or([p.plan; 2], |b| [b.p10, b.p90]);
            for v in [p.plan, band[0], band[1]] {
                if v.is_finite() {
                    lo = lo.min(v);
                    hi = hi.max(v);
                }
            }
        }
    }
    for &(_, v) in &panel.dots {
        if v.is_finite() {
            lo = lo.min(v);
            hi = hi.max(v);
        }
    }
    padded(lo, hi, panel.from_zero)
}

/// `lo..hi` widened by 6% (not below zero when `from_zero` and `lo` is zero).
fn padded(mut lo: f64, mut hi: f64, from_zero: bool) -> (f64, f64) {
    if !(lo.is_finite() && hi.is_finite()) {
        (lo, hi) = (0.0, 1.0);
    }
    if hi - lo <= f64::EPSILON {
        hi = lo + 1.0;
    }
    let pad = 0.06 * (hi - lo);
    let keep_zero = lo == 0.0 && from_zero;
    (if keep_zero { lo } else { lo - pad }, hi + pad)
}

/// Draws `panels` side by side in `body`, years `first..=last` on the x axis.
pub fn line_panels<DB: DrawingBackend>(
    canvas: &Canvas<DB>,
    body: Rect,
    panels: &[LinePanel],
    years: (i32, i32),
) -> Drawn<DB> {
    for (panel, rect) in panels.iter().zip(body.columns(panels.len(), 24)) {
        line_panel(canvas, rect, panel, years)?;
    }
    Ok(())
}

fn line_panel<DB: DrawingBackend>(
    canvas: &Canvas<DB>,
    rect: Rect,
    panel: &LinePanel,
    (first, last): (i32, i32),
) -> Drawn<DB> {
    let root = &canvas.root;
    let (mut lo, hi) = value_range(panel);
    let mut ticks = axes::ticks(lo, hi, Y_TICKS);
    // An axis that does not start at zero starts at a labelled tick.
    if let [first_tick, second, ..] = ticks.values[..]
        && first_tick > lo
    {
        lo = first_tick - (second - first_tick);
        ticks.values.insert(0, lo);
    }
    let tick_font = style::font(size::TICK);
    let labels: Vec<String> = ticks
        .values
        .iter()
        .map(|v| style::number(*v, ticks.decimals))
        .collect();
    let widest = labels
        .iter()
        .map(|l| style::text_width(&tick_font, l))
        .max()
        .unwrap_or(0);
    let y_label_area = widest + 40;
    let top = if panel.title.is_empty() {
        8
    } else {
        CAPTION_AREA
    };
    let area = rect.area(root);
    let chart = ChartBuilder::on(&area)
        .margin_right(14)
        .margin_top(top)
        .x_label_area_size(X_LABEL_AREA)
        .y_label_area_size(y_label_area)
        .build_cartesian_2d((first as f64 - 0.4)..(last as f64 + 0.4), lo..hi)?;
    let plot = Rect::from_pixel_range(chart.plotting_area().get_pixel_range());
    let most_years = (plot.width() / PIXELS_PER_YEAR_LABEL).max(2) as usize;
    let axes = Axes {
        x: axes::year_ticks(first, last, most_years)
            .into_iter()
            .map(|y| (chart.backend_coord(&(y as f64, lo)).0, y.to_string()))
            .collect(),
        y: ticks
            .values
            .iter()
            .zip(labels)
            .map(|(v, l)| (chart.backend_coord(&(first as f64, *v)).1, l))
            .collect(),
        x_desc: "Year",
        y_desc: Some((&panel.y_desc, rect.x0 + 12)),
    };
    axes::draw(canvas, plot, &axes)?;
    if !panel.title.is_empty() {
        axes::caption(canvas, plot, &panel.title)?;
    }

    // Bands first, widest first, so that no band hides a line.
    for series in panel.series.iter().filter(|s| s.bands != Bands::Envelope) {
        let color = style::band_color(&series.style);
        let outer: Vec<(f64, f64, f64)> = series
            .points
            .iter()
            .filter_map(|p| Some((p.year as f64, p.band?.p10, p.band?.p90)))
            .collect();
        fill(&chart, band(&outer), color.mix(style::OUTER_BAND_ALPHA))?;
        if series.bands == Bands::Both {
            let inner: Vec<(f64, f64, f64)> = series
                .points
                .iter()
                .filter_map(|p| Some((p.year as f64, p.band?.p25, p.band?.p75)))
                .collect();
            fill(&chart, band(&inner), color.mix(style::INNER_BAND_ALPHA))?;
        }
    }
    for series in panel.series.iter().filter(|s| s.bands == Bands::Envelope) {
        for edge in [|b: &Band| b.p10, |b: &Band| b.p90] {
            let pixels: Vec<(i32, i32)> = series
                .points
                .iter()
                .filter_map(|p| Some(chart.backend_coord(&(p.year as f64, edge(&p.band?)))))
                .collect();
            root.draw(&PathElement::new(pixels, series.style.color))?;
        }
    }
    if let Some(zero) = &panel.zero_line {
        let y = chart.backend_coord(&(first as f64, 0.0)).1 as f64;
        canvas::polyline(root, &[(plot.x0 as f64, y), (plot.x1 as f64, y)], zero)?;
    }
    // Year markers, labels stacked where goals share a year.
    for (k, m) in panel.markers.iter().enumerate() {
        let x = chart.backend_coord(&(m.year as f64, 0.0)).0;
        canvas::polyline(
            root,
            &[(x as f64, plot.y0 as f64), (x as f64, plot.y1 as f64)],
            &canvas::rule_style(m.style.color),
        )?;
        let y = plot.y0 + 10 + 18 * k as i32;
        canvas::marker(root, (x + 10, y), m.style.marker, m.style.color)?;
        canvas.text(
            &m.year.to_string(),
            (x + 18, y),
            &TextStyle::from(style::bold(size::TICK))
                .color(&m.style.color)
                .pos(Pos::new(HPos::Left, VPos::Center)),
        )?;
    }
    // Lines over everything: the plans (dotted), then the medians over them; the reference
    // (first) last in each.
    let mut order: Vec<usize> = (0..panel.series.len()).collect();
    if !order.is_empty() {
        order.rotate_left(1);
    }
    let pixels = |values: &mut dyn Iterator<Item = (i32, f64)>| -> Vec<(i32, i32)> {
        values
            .filter(|(_, v)| v.is_finite())
            .map(|(year, v)| chart.backend_coord(&(year as f64, v)))
            .collect()
    };
    for &k in &order {
        let series = &panel.series[k];
        let with_runs = series.points.iter().any(|p| p.band.is_some());
        let plan = pixels(&mut series.points.iter().map(|p| (p.year, p.plan)));
        let plan_style = style::plan_style(series.style.color);
        if with_runs {
            canvas::polyline(root, &to_f64(&plan), &plan_style)?;
        } else {
            canvas::series_line(
                root,
                &plan,
                &style::LineStyle {
                    marker: series.style.marker,
                    ..plan_style
                },
            )?;
        }
    }
    for &k in &order {
        let series = &panel.series[k];
        let median = pixels(
            &mut series
                .points
                .iter()
                .filter_map(|p| Some((p.year, p.band?.p50))),
        );
        if !median.is_empty() {
            canvas::series_line(root, &median, &series.style)?;
        }
    }
    for &(year, value) in &panel.dots {
        let at = chart.backend_coord(&(year as f64, value));
        canvas::marker(root, at, style::Marker::Circle, style::BLACK)?;
    }
    Ok(())
}

/// Line panels in rows of `columns`, left to right, top to bottom.
pub fn grid<DB: DrawingBackend>(
    canvas: &Canvas<DB>,
    body: Rect,
    columns: usize,
    panels: &[LinePanel],
    years: (i32, i32),
) -> Drawn<DB> {
    let rows = body.rows(panels.len().div_ceil(columns.max(1)), 12);
    for (row, chunk) in rows.iter().zip(panels.chunks(columns.max(1))) {
        for (panel, rect) in chunk.iter().zip(row.columns(columns, 18)) {
            line_panel(canvas, rect, panel, years)?;
        }
    }
    Ok(())
}

/// Pixel points as the `f64` points of [`canvas::polyline`].
fn to_f64(points: &[(i32, i32)]) -> Vec<(f64, f64)> {
    points.iter().map(|&(x, y)| (x as f64, y as f64)).collect()
}

type Chart<'a, DB> = ChartContext<'a, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>;

/// Fills `polygon` (chart coordinates) in `color`, if it has any points.
fn fill<DB: DrawingBackend>(
    chart: &Chart<'_, DB>,
    polygon: Vec<(f64, f64)>,
    color: RGBAColor,
) -> Drawn<DB> {
    if polygon.is_empty() {
        return Ok(());
    }
    chart
        .plotting_area()
        .draw(&Polygon::new(polygon, color.filled()))
}

/// The polygon of a band through `(x, low, high)` points; empty for fewer than two points.
fn band(points: &[(f64, f64, f64)]) -> Vec<(f64, f64)> {
    if points.len() < 2 {
        return Vec::new();
    }
    points
        .iter()
        .map(|&(x, lo, _)| (x, lo))
        .chain(points.iter().rev().map(|&(x, _, hi)| (x, hi)))
        .collect()
}

/// Draws bar panels side by side in `body`.
pub fn bar_panels<DB: DrawingBackend>(
    canvas: &Canvas<DB>,
    body: Rect,
    panels: &[BarPanel],
) -> Drawn<DB> {
    for (panel, rect) in panels.iter().zip(body.columns(panels.len(), 24)) {
        bar_panel(canvas, rect, panel)?;
    }
    Ok(())
}

fn bar_panel<DB: DrawingBackend>(canvas: &Canvas<DB>, rect: Rect, panel: &BarPanel) -> Drawn<DB> {
    let root = &canvas.root;
    let (mut lo, mut hi) = (0.0_f64, 0.0_f64);
    for bar in &panel.bars {
        let (a, b) = bar.range.unwrap_or((bar.value, bar.value));
        for v in [bar.value, bar.plan, a, b] {
            if v.is_finite() {
                lo = lo.min(v);
                hi = hi.max(v);
            }
        }
    }
    let (lo, hi) = padded(lo, hi, true);
    let ticks = axes::ticks(lo, hi, X_TICKS);
    let n = panel.bars.len().max(1) as f64;
    let area = rect.area(root);
    let chart = ChartBuilder::on(&area)
        .margin_right(14)
        .margin_top(CAPTION_AREA)
        .x_label_area_size(X_LABEL_AREA)
        .y_label_area_size(16)
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
    let zero = chart.backend_coord(&(0.0, 0.0)).0;
    root.draw(&PathElement::new(
        vec![(zero, plot.y0), (zero, plot.y1)],
        ShapeStyle::from(style::GREY_TEXT),
    ))?;

    let text_decimals = if hi - lo >= 100.0 { 0 } else { 1 };
    let font = style::font(size::LABEL);
    let label_style = style::text(size::LABEL, &style::BLACK).pos(Pos::new(HPos::Left, VPos::Top));
    for (k, bar) in panel.bars.iter().enumerate() {
        // A row: the label and the numbers, wrapped, then the bar and its whisker.
        let row_top = chart.backend_coord(&(0.0, n - k as f64)).1;
        let row_bottom = chart.backend_coord(&(0.0, n - k as f64 - 1.0)).1;
        let number = |v: f64| style::number(v, text_decimals);
        let text = match bar.range {
            Some((p10, p90)) => format!(
                "{}: median {} (P10\u{2013}P90\u{a0}{} to {}); plan {}",
                bar.label,
                number(bar.value),
                number(p10),
                number(p90),
                number(bar.plan)
            ),
            None => format!("{}: plan {}", bar.label, number(bar.value)),
        };
        let mut y = row_top + 6;
        for line in canvas::wrap(&font, &text, plot.width() - 4) {
            canvas.text(&line, (plot.x0 + 4, y), &label_style)?;
            y += TEXT_LINE;
        }
        let thickness = (row_bottom - y - 8).clamp(6, 18);
        let (top, bottom) = (y + 2, y + 2 + thickness);
        let x1 = chart.backend_coord(&(bar.value, 0.0)).0;
        canvas::bar(
            root,
            (zero.min(x1), top),
            (zero.max(x1), bottom),
            &bar.style,
            false,
        )?;
        if let Some((p10, p90)) = bar.range {
            let (a, b) = (
                chart.backend_coord(&(p10, 0.0)).0,
                chart.backend_coord(&(p90, 0.0)).0,
            );
            let mid = (top + bottom) / 2;
            let whisker = ShapeStyle::from(style::BLACK).stroke_width(2);
            root.draw(&PathElement::new(vec![(a, mid), (b, mid)], whisker))?;
            for x in [a, b] {
                root.draw(&PathElement::new(
                    vec![(x, top - 3), (x, bottom + 3)],
                    whisker,
                ))?;
            }
            // The plan: a dotted tick across the bar.
            let x = chart.backend_coord(&(bar.plan, 0.0)).0 as f64;
            canvas::polyline(
                root,
                &[(x, (top - 6) as f64), (x, (bottom + 6) as f64)],
                &style::plan_style(style::BLACK),
            )?;
        }
    }
    Ok(())
}
