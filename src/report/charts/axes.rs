//! Axes drawn by hand, through the [`Canvas`] so that bitmap text comes from the glyph cache:
//! ticks at steps of 1, 2 or 5 times a power of ten (or whole years), grid lines, tick labels,
//! axis descriptions and panel captions.

use super::canvas::{Canvas, Drawn, Rect};
use super::style::{self, size};
use plotters::element::PathElement;
use plotters::prelude::DrawingBackend;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::{FontTransform, ShapeStyle, TextStyle};

/// Height of the x axis labels and description, pixels.
pub const X_LABEL_AREA: i32 = 50;
/// Room for a panel caption, pixels.
pub const CAPTION_AREA: i32 = 30;
/// Value ticks on a bar panel's x axis, at most.
pub const X_TICKS: usize = 7;

/// Tick values and the decimals their step needs.
#[derive(Debug, Clone, PartialEq)]
pub struct Ticks {
    /// Values from low to high.
    pub values: Vec<f64>,
    /// Decimals of the labels.
    pub decimals: usize,
}

/// At most `most` ticks in `lo..=hi`, at the smallest step of 1, 2 or 5 times a power of ten
/// that keeps within `most`.
pub fn ticks(lo: f64, hi: f64, most: usize) -> Ticks {
    let span = hi - lo;
    if !(span > 0.0 && span.is_finite()) {
        return Ticks {
            values: vec![lo],
            decimals: 0,
        };
    }
    let raw = span / most.max(1) as f64;
    let power = 10_f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| m * power)
        .find(|s| *s >= raw * (1.0 - 1e-9))
        .unwrap_or(10.0 * power);
    let decimals = if step >= 1.0 {
        0
    } else {
        (-step.log10() - 1e-9).ceil() as usize
    };
    let first = (lo / step).ceil();
    let values = (0..)
        .map(|k| (first + k as f64) * step)
        .take_while(|v| *v <= hi + step * 1e-9)
        .map(|v| if v.abs() < step * 1e-9 { 0.0 } else { v })
        .collect();
    Ticks { values, decimals }
}

/// Years `first..=last`, every year or every 2, 5, 10, ... years so that at most `most` show,
/// starting at `first`.
pub fn year_ticks(first: i32, last: i32, most: usize) -> Vec<i32> {
    let span = (last - first).max(0);
    let step = [1, 2, 5, 10, 20, 50, 100]
        .into_iter()
        .find(|s| (span / s + 1) as usize <= most.max(1))
        .unwrap_or(100);
    (first..=last).step_by(step as usize).collect()
}

/// What an axis pair shows: tick positions in pixels with their labels, and descriptions.
pub struct Axes<'a> {
    /// X ticks: pixel x, label.
    pub x: Vec<(i32, String)>,
    /// Y ticks: pixel y, label.
    pub y: Vec<(i32, String)>,
    /// X description.
    pub x_desc: &'a str,
    /// Y description, drawn rotated centred on `y_desc_x`.
    pub y_desc: Option<(&'a str, i32)>,
}

/// Draws grid lines at the ticks inside `plot`, the left and bottom axis lines, tick marks,
/// tick labels and descriptions.
pub fn draw<DB: DrawingBackend>(canvas: &Canvas<DB>, plot: Rect, axes: &Axes<'_>) -> Drawn<DB> {
    let root = &canvas.root;
    let grid = ShapeStyle::from(style::GRID);
    for &(x, _) in &axes.x {
        root.draw(&PathElement::new(vec![(x, plot.y0), (x, plot.y1)], grid))?;
    }
    for &(y, _) in &axes.y {
        root.draw(&PathElement::new(vec![(plot.x0, y), (plot.x1, y)], grid))?;
    }
    let axis = ShapeStyle::from(style::GREY_TEXT);
    root.draw(&PathElement::new(
        vec![(plot.x0, plot.y1), (plot.x1, plot.y1)],
        axis,
    ))?;
    let tick_style = style::text(size::TICK, &style::BLACK);
    for (x, label) in &axes.x {
        root.draw(&PathElement::new(
            vec![(*x, plot.y1), (*x, plot.y1 + 5)],
            axis,
        ))?;
        canvas.text(
            label,
            (*x, plot.y1 + 8),
            &tick_style.pos(Pos::new(HPos::Center, VPos::Top)),
        )?;
    }
    if !axes.y.is_empty() {
        root.draw(&PathElement::new(
            vec![(plot.x0, plot.y0), (plot.x0, plot.y1)],
            axis,
        ))?;
    }
    for (y, label) in &axes.y {
        root.draw(&PathElement::new(
            vec![(plot.x0 - 5, *y), (plot.x0, *y)],
            axis,
        ))?;
        canvas.text(
            label,
            (plot.x0 - 8, *y),
            &tick_style.pos(Pos::new(HPos::Right, VPos::Center)),
        )?;
    }
    let desc_style = style::text(size::LABEL, &style::BLACK);
    canvas.text(
        axes.x_desc,
        ((plot.x0 + plot.x1) / 2, plot.y1 + 28),
        &desc_style.pos(Pos::new(HPos::Center, VPos::Top)),
    )?;
    if let Some((desc, x)) = axes.y_desc {
        canvas.text(
            desc,
            (x, (plot.y0 + plot.y1) / 2),
            &desc_style
                .pos(Pos::new(HPos::Center, VPos::Center))
                .transform(FontTransform::Rotate270),
        )?;
    }
    Ok(())
}

/// Draws a panel caption centred over `plot`, its bottom `gap` pixels above it.
pub fn caption<DB: DrawingBackend>(canvas: &Canvas<DB>, plot: Rect, text: &str) -> Drawn<DB> {
    canvas.text(
        text,
        ((plot.x0 + plot.x1) / 2, plot.y0 - 8),
        &TextStyle::from(style::bold(size::CAPTION))
            .color(&style::BLACK)
            .pos(Pos::new(HPos::Center, VPos::Bottom)),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_step_by_one_two_or_five() {
        assert_eq!(
            ticks(0.0, 3600.0, 8),
            Ticks {
                values: vec![0.0, 500.0, 1000.0, 1500.0, 2000.0, 2500.0, 3000.0, 3500.0],
                decimals: 0
            }
        );
        assert_eq!(ticks(0.0, 8.3, 8).values, vec![0.0, 2.0, 4.0, 6.0, 8.0]);
        let small = ticks(-0.12, 0.31, 8);
        assert_eq!(small.decimals, 1);
        assert_eq!(small.values.first(), Some(&-0.1));
        assert_eq!(ticks(0.0, 0.3, 8).decimals, 2);
        assert_eq!(ticks(0.0, 3.0, 8).decimals, 1);
        assert_eq!(ticks(1.0, 1.0, 8).values, vec![1.0]);
    }

    #[test]
    fn year_ticks_start_at_the_base_year() {
        assert_eq!(year_ticks(2025, 2035, 11).len(), 11);
        assert_eq!(
            year_ticks(2025, 2035, 6),
            vec![2025, 2027, 2029, 2031, 2033, 2035]
        );
        assert_eq!(year_ticks(2025, 2025, 8), vec![2025]);
    }
}
