//! The burden chart: per ally, core spending at the horizon under each goal, as horizontal bars
//! in billions of the currency shown on a log scale (left) and in % of GDP on a linear scale
//! (right), allies on shared zebra rows.
//!
//! The allies' money spans four powers of ten (the United States against Montenegro), so on a
//! linear axis every small ally is a sliver. On the log axis each power of ten takes the same
//! width; it starts at the power of ten at or below the smallest positive value, and every bar
//! starts there, so a bar is read at its end (its length has no meaning of its own). Grid
//! lines fall at 1, 2 and 5 times each power of ten, labelled at each power of ten (and at 2
//! and 5 too when the axis spans at most three). An ally without core spending has no bar.

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
    // The money axis in log10 of the value; room on the right of the longest bar for its
    // number.
    let log = LogAxis::new(burden.allies.iter().flat_map(|a| a.bn.iter().copied()));
    let (usd_min, usd_max) = (log.low, log.high);
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
        .build_cartesian_2d(usd_min..usd_max, 0.0..n)?;
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
        let top = usd.backend_coord(&(usd_min, n - k as f64)).1;
        let bottom = usd.backend_coord(&(usd_min, n - k as f64 - 1.0)).1;
        root.draw(&Rectangle::new(
            [(body.x0, top), (pct_plot.x1, bottom)],
            style::ZEBRA.filled(),
        ))?;
    }
    let pct_ticks = axes::ticks(0.0, pct_max, X_TICKS);
    let usd_axes = Axes {
        x: log
            .ticks()
            .into_iter()
            .map(|(at, label)| (usd.backend_coord(&(at, 0.0)).0, label))
            .collect(),
        y: Vec::new(),
        x_desc: &burden.money_desc,
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
    axes::caption(canvas, usd_plot, &burden.money_title)?;
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
        let centre = usd.backend_coord(&(usd_min, n - k as f64 - 0.5)).1;
        canvas.text(&ally.name, (body.x0 + names - 8, centre), &name_style)?;
        for (g, goal) in burden.goals.iter().enumerate() {
            let (y0, y1) = (
                top - g as f64 * thickness,
                top - (g as f64 + 1.0) * thickness,
            );
            let money = ally.bn[g];
            if money > 0.0 {
                let a = usd.backend_coord(&(usd_min, y0));
                let b = usd.backend_coord(&(log.at(money), y1));
                canvas::bar(root, a, (b.0.max(a.0 + 1), b.1 - 1), goal, g == 0)?;
            }
            let a = pct.backend_coord(&(0.0, y0));
            let b = pct.backend_coord(&(ally.pct_gdp[g].max(0.0), y1));
            canvas::bar(root, a, (b.0.max(a.0 + 1), b.1 - 1), goal, g == 0)?;
        }
        // The sort key's numbers, right of the longest bar, level with the last goal's.
        let y = usd
            .backend_coord(&(usd_min, top - (last as f64 + 0.5) * thickness))
            .1;
        let bn = ally.bn[last];
        let decimals = match bn {
            v if v >= 100.0 => 0,
            v if v >= 1.0 || v == 0.0 => 1,
            _ => 2,
        };
        let usd_text = style::number(bn, decimals);
        let pct_text = format!("{}%", style::number(ally.pct_gdp[last], 1));
        let longest = |values: &[f64]| values.iter().copied().fold(0.0, f64::max);
        let usd_end = log.at(longest(&ally.bn));
        for (chart, value, text) in [
            (&usd, usd_end, usd_text),
            (&pct, longest(&ally.pct_gdp), pct_text),
        ] {
            let x = chart.backend_coord(&(value, 0.0)).0;
            canvas.text(&text, (x + 5, y), &value_style)?;
        }
    }
    Ok(())
}

/// A log10 axis over positive values: its ends in log10 units (the low end the power of ten
/// at or below the smallest positive value, the high end the largest value plus room for its
/// number), and where a value falls.
#[derive(Debug, Clone, Copy, PartialEq)]
struct LogAxis {
    /// log10 of the left end: a whole number.
    low: f64,
    /// log10 of the right end.
    high: f64,
}

impl LogAxis {
    /// Share of the axis's span left on the right of the largest value for its number.
    const ROOM: f64 = 0.16;

    /// The axis for `values`; with no positive value, 0.1 to 1.
    fn new(values: impl Iterator<Item = f64>) -> LogAxis {
        let (smallest, largest) = values
            .filter(|v| *v > 0.0 && v.is_finite())
            .fold((f64::INFINITY, 0.0_f64), |(lo, hi), v| {
                (lo.min(v), hi.max(v))
            });
        if largest <= 0.0 {
            return LogAxis {
                low: -1.0,
                high: 0.0,
            };
        }
        let low = smallest.log10().floor();
        let top = largest.log10().max(low + 1.0);
        LogAxis {
            low,
            high: top + (top - low) * Self::ROOM,
        }
    }

    /// Where `value` falls, in log10 units; the left end for a value at or below zero.
    fn at(&self, value: f64) -> f64 {
        if value > 0.0 {
            value.log10().max(self.low)
        } else {
            self.low
        }
    }

    /// Grid lines at 1, 2 and 5 times each power of ten within the axis, as (position, label):
    /// each power of ten labelled, 2 and 5 too when the axis spans at most three powers.
    fn ticks(&self) -> Vec<(f64, String)> {
        let label_all = self.high - self.low <= 3.0 + 1e-9;
        let first = self.low as i32;
        let last = self.high.floor() as i32;
        let mut ticks = Vec::new();
        for power in first..=last {
            for mantissa in [1.0, 2.0, 5.0] {
                let value = mantissa * 10_f64.powi(power);
                let at = value.log10();
                if at < self.low - 1e-9 || at > self.high + 1e-9 {
                    continue;
                }
                let label = if mantissa == 1.0 || label_all {
                    style::number(value, usize::try_from(-power).unwrap_or(0))
                } else {
                    String::new()
                };
                ticks.push((at, label));
            }
        }
        ticks
    }
}

#[cfg(test)]
mod tests {
    use super::LogAxis;

    #[test]
    fn the_log_axis_starts_at_a_power_of_ten_and_labels_each() {
        let axis = LogAxis::new([0.28, 0.0, 12.0, 1_430.0].into_iter());
        assert_eq!(axis.low, -1.0);
        assert!(axis.high > 1_430_f64.log10());
        let ticks = axis.ticks();
        let labelled: Vec<&str> = ticks
            .iter()
            .map(|(_, l)| l.as_str())
            .filter(|l| !l.is_empty())
            .collect();
        assert_eq!(labelled, ["0.1", "1", "10", "100", "1,000"]);
        assert_eq!(ticks.len(), 15, "{ticks:?}");
        assert_eq!(axis.at(0.0), -1.0);
        assert_eq!(axis.at(100.0), 2.0);
        let narrow = LogAxis::new([3.0, 40.0].into_iter());
        assert_eq!(narrow.low, 0.0);
        let labels: Vec<String> = narrow.ticks().into_iter().map(|(_, l)| l).collect();
        assert_eq!(labels, ["1", "2", "5", "10", "20", "50"]);
        assert_eq!(
            LogAxis::new([0.0].into_iter()),
            LogAxis {
                low: -1.0,
                high: 0.0
            }
        );
    }
}
