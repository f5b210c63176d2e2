//! The burden chart: per ally, core spending at the horizon under each goal, as horizontal bars
//! in USD billions (left) and in % of GDP (right), allies on shared zebra rows.

use super::axes::{self, Axes, CAPTION_AREA, X_LABEL_AREA, X_TICKS};
use super::canvas::{self, Canvas, Drawn, Rect};
use super::data::{AllyBars, Burden};
use super::style::{self, size};
use plotters::chart::ChartBuilder;
use plotters::element::Rectangle;
use plotters::prelude::DrawingBackend;
use plotters::style::Color;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// Draws the two panels in `body`.
pub fn burden<DB: DrawingBackend>(canvas: &Canvas<DB>, body: Rect, burden: &Burden) -> Drawn<DB> {
    let root = &canvas.root;
    let n = burden.allies.len().max(1) as f64;
    let label_font = style::font(size::LABEL);
    let names = burden
        .allies
        .iter()
        .map(|a| style::text_width(&label_font, &a.name))
        .max()
        .unwrap_or(0)
        + 14;
    let split = body.x0 + names + (body.width() - names) * 56 / 100;
    let largest = |values: &dyn Fn(&AllyBars) -> &[f64]| {
        burden
            .allies
            .iter()
            .flat_map(|a| values(a).iter().copied())
            .fold(0.0_f64, f64::max)
            .max(1e-9)
    };
    // Room on the right of the longest bar for its number.
    let usd_max = largest(&|a| &a.usd_bn) * 1.14;
    let pct_max = largest(&|a| &a.pct_gdp) * 1.16;

    let usd_area = Rect { x1: split, ..body }.area(root);
    let pct_area = Rect {
        x0: split + 20,
        ..body
    }
    .area(root);
    let usd = ChartBuilder::on(&usd_area)
        .margin_right(10)
        .margin_top(CAPTION_AREA)
        .x_label_area_size(X_LABEL_AREA)
        .y_label_area_size(names)
        .build_cartesian_2d(0.0..usd_max, 0.0..n)?;
    let pct = ChartBuilder::on(&pct_area)
        .margin_right(10)
        .margin_top(CAPTION_AREA)
        .x_label_area_size(X_LABEL_AREA)
        .y_label_area_size(4)
        .build_cartesian_2d(0.0..pct_max, 0.0..n)?;
    let usd_plot = Rect::from_pixel_range(usd.plotting_area().get_pixel_range());
    let pct_plot = Rect::from_pixel_range(pct.plotting_area().get_pixel_range());

    // Zebra rows across both panels, under the grid.
    for k in (0..burden.allies.len()).step_by(2) {
        let top = usd.backend_coord(&(0.0, n - k as f64)).1;
        let bottom = usd.backend_coord(&(0.0, n - k as f64 - 1.0)).1;
        root.draw(&Rectangle::new(
            [(body.x0, top), (pct_plot.x1, bottom)],
            style::ZEBRA.filled(),
        ))?;
    }
    let usd_ticks = axes::ticks(0.0, usd_max, X_TICKS);
    let pct_ticks = axes::ticks(0.0, pct_max, X_TICKS);
    let usd_axes = Axes {
        x: usd_ticks
            .values
            .iter()
            .map(|v| {
                (
                    usd.backend_coord(&(*v, 0.0)).0,
                    style::number(*v, usd_ticks.decimals),
                )
            })
            .collect(),
        y: Vec::new(),
        x_desc: &burden.usd_desc,
        y_desc: None,
    };
    let pct_axes = Axes {
        x: pct_ticks
            .values
            .iter()
            .map(|v| {
                (
                    pct.backend_coord(&(*v, 0.0)).0,
                    format!("{}%", style::number(*v, pct_ticks.decimals)),
                )
            })
            .collect(),
        y: Vec::new(),
        x_desc: &burden.pct_desc,
        y_desc: None,
    };
    axes::draw(canvas, usd_plot, &usd_axes)?;
    axes::draw(canvas, pct_plot, &pct_axes)?;
    axes::caption(canvas, usd_plot, &burden.usd_title)?;
    axes::caption(canvas, pct_plot, &burden.pct_title)?;

    let name_style =
        style::text(size::LABEL, &style::BLACK).pos(Pos::new(HPos::Right, VPos::Center));
    let value_style =
        style::text(size::TICK - 1.0, &style::BLACK).pos(Pos::new(HPos::Left, VPos::Center));
    let goals = burden.goals.len().max(1) as f64;
    let thickness = 0.8 / goals;
    let last = burden.goals.len().saturating_sub(1);
    for (k, ally) in burden.allies.iter().enumerate() {
        let top = n - k as f64 - 0.1;
        let centre = usd.backend_coord(&(0.0, n - k as f64 - 0.5)).1;
        canvas.text(&ally.name, (body.x0 + names - 8, centre), &name_style)?;
        for (g, goal) in burden.goals.iter().enumerate() {
            let (y0, y1) = (
                top - g as f64 * thickness,
                top - (g as f64 + 1.0) * thickness,
            );
            for (chart, value) in [(&usd, ally.usd_bn[g]), (&pct, ally.pct_gdp[g])] {
                let a = chart.backend_coord(&(0.0, y0));
                let b = chart.backend_coord(&(value.max(0.0), y1));
                canvas::bar(root, a, (b.0.max(a.0 + 1), b.1 - 1), goal, g == 0)?;
            }
        }
        // The sort key's numbers, right of the longest bar, level with the last goal's.
        let y = usd
            .backend_coord(&(0.0, top - (last as f64 + 0.5) * thickness))
            .1;
        let usd_bn = ally.usd_bn[last];
        let usd_text = style::number(usd_bn, if usd_bn >= 100.0 { 0 } else { 1 });
        let pct_text = format!("{}%", style::number(ally.pct_gdp[last], 1));
        let longest = |values: &[f64]| values.iter().copied().fold(0.0, f64::max);
        for (chart, value, text) in [
            (&usd, longest(&ally.usd_bn), usd_text),
            (&pct, longest(&ally.pct_gdp), pct_text),
        ] {
            let x = chart.backend_coord(&(value, 0.0)).0;
            canvas.text(&text, (x + 5, y), &value_style)?;
        }
    }
    Ok(())
}
