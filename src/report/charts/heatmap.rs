//! The shortfall heat map: items (rows) by years (columns), one grid per goal, each cell the
//! probability that demand exceeds capacity, on a single-hue sequential scale (ColorBrewer
//! "Blues", Brewer, Harrower and The Pennsylvania State University, colorbrewer2.org) that
//! runs from light to dark and so survives grey-scale print; every cell also prints its value.

use super::canvas::{Canvas, Drawn, Rect};
use super::data::Heatmap;
use super::style::{self, size};
use plotters::element::Rectangle;
use plotters::prelude::DrawingBackend;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::{Color, FontTransform, RGBColor, ShapeStyle, TextStyle};

/// ColorBrewer Blues, nine classes, light to dark.
const BLUES: [(u8, u8, u8); 9] = [
    (247, 251, 255),
    (222, 235, 247),
    (198, 219, 239),
    (158, 202, 225),
    (107, 174, 214),
    (66, 146, 198),
    (33, 113, 181),
    (8, 81, 156),
    (8, 48, 107),
];

/// The colour of probability `p` (0 to 1), interpolated along [`BLUES`].
pub fn color(p: f64) -> RGBColor {
    let t = p.clamp(0.0, 1.0) * (BLUES.len() - 1) as f64;
    let k = (t.floor() as usize).min(BLUES.len() - 2);
    let f = t - k as f64;
    let mix = |a: u8, b: u8| (a as f64 + f * (b as f64 - a as f64)).round() as u8;
    let (a, b) = (BLUES[k], BLUES[k + 1]);
    RGBColor(mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2))
}

/// Black or white, whichever reads on `background`.
fn ink(background: RGBColor) -> RGBColor {
    let RGBColor(r, g, b) = background;
    let luminance = 0.2126 * r as f64 + 0.7152 * g as f64 + 0.0722 * b as f64;
    if luminance < 140.0 {
        style::WHITE
    } else {
        style::BLACK
    }
}

/// Height of a grid's caption and of its year row, pixels.
const CAPTION: i32 = 26;
const HEADER: i32 = 20;
const GAP: i32 = 10;
/// Width kept on the right for the colour bar.
const SCALE_WIDTH: i32 = 120;

/// Draws the grids, stacked, and the colour bar on the right.
pub fn heatmap<DB: DrawingBackend>(canvas: &Canvas<DB>, body: Rect, map: &Heatmap) -> Drawn<DB> {
    let root = &canvas.root;
    let label_font = style::font(size::LABEL);
    let labels = map
        .rows
        .iter()
        .map(|r| style::text_width(&label_font, r))
        .chain(std::iter::once(style::text_width(
            &label_font,
            "Production line",
        )))
        .max()
        .unwrap_or(0);
    let grid_x0 = body.x0 + 8 + labels + 12;
    let grid_x1 = body.x1 - SCALE_WIDTH;
    let columns = map.years.len().max(1) as i32;
    let cell_w = (grid_x1 - grid_x0) / columns;
    let rows = map.rows.len().max(1) as i32;
    let panels = map.panels.len().max(1) as i32;
    let cell_h =
        ((body.height() - 24 - panels * (CAPTION + HEADER + GAP)) / (panels * rows)).clamp(8, 26);
    let tick = style::text(size::TICK, &style::BLACK);
    let centre = Pos::new(HPos::Center, VPos::Center);
    let mut y = body.y0;
    for panel in &map.panels {
        canvas.text(
            &panel.title,
            (body.x0 + 8, y + 4),
            &TextStyle::from(style::bold(size::CAPTION))
                .color(&style::BLACK)
                .pos(Pos::new(HPos::Left, VPos::Top)),
        )?;
        y += CAPTION;
        canvas.text(
            "Production line",
            (body.x0 + 8, y + HEADER / 2),
            &style::text(size::LABEL, &style::GREY_TEXT).pos(Pos::new(HPos::Left, VPos::Center)),
        )?;
        for (c, year) in map.years.iter().enumerate() {
            canvas.text(
                &year.to_string(),
                (grid_x0 + cell_w * c as i32 + cell_w / 2, y + HEADER / 2),
                &tick.pos(centre),
            )?;
        }
        y += HEADER;
        for (r, label) in map.rows.iter().enumerate() {
            let top = y + cell_h * r as i32;
            canvas.text(
                label,
                (grid_x0 - 10, top + cell_h / 2),
                &style::text(size::LABEL, &style::BLACK).pos(Pos::new(HPos::Right, VPos::Center)),
            )?;
            for c in 0..map.years.len() {
                let left = grid_x0 + cell_w * c as i32;
                let corners = [(left, top), (left + cell_w, top + cell_h)];
                let value = panel
                    .cells
                    .get(r)
                    .and_then(|row| row.get(c))
                    .copied()
                    .flatten();
                let Some(p) = value else {
                    root.draw(&Rectangle::new(corners, style::WHITE.filled()))?;
                    root.draw(&Rectangle::new(corners, ShapeStyle::from(style::GRID)))?;
                    continue;
                };
                let fill = color(p);
                root.draw(&Rectangle::new(corners, fill.filled()))?;
                root.draw(&Rectangle::new(corners, ShapeStyle::from(style::WHITE)))?;
                if cell_h >= 14 && cell_w >= 34 {
                    let text_color = if p <= 0.0 {
                        style::GREY_TEXT
                    } else {
                        ink(fill)
                    };
                    canvas.text(
                        &style::percent(p),
                        (left + cell_w / 2, top + cell_h / 2),
                        &style::text(size::TICK, &text_color).pos(centre),
                    )?;
                }
            }
        }
        y += cell_h * rows + GAP;
    }
    canvas.text(
        "Year",
        ((grid_x0 + grid_x1) / 2, y),
        &style::text(size::LABEL, &style::BLACK).pos(Pos::new(HPos::Center, VPos::Top)),
    )?;
    scale(
        canvas,
        body.x1 - SCALE_WIDTH + 24,
        body.y0 + CAPTION + HEADER + 30,
        &map.scale_desc,
    )
}

/// The colour bar: 0% at the bottom, 100% at the top, ticks every 25%.
fn scale<DB: DrawingBackend>(canvas: &Canvas<DB>, x: i32, top: i32, desc: &str) -> Drawn<DB> {
    let root = &canvas.root;
    const HEIGHT: i32 = 240;
    const WIDTH: i32 = 18;
    const STEPS: i32 = 40;
    for k in 0..STEPS {
        let p = (k as f64 + 0.5) / STEPS as f64;
        let y1 = top + HEIGHT - HEIGHT * k / STEPS;
        let y0 = top + HEIGHT - HEIGHT * (k + 1) / STEPS;
        root.draw(&Rectangle::new(
            [(x, y0), (x + WIDTH, y1)],
            color(p).filled(),
        ))?;
    }
    root.draw(&Rectangle::new(
        [(x, top), (x + WIDTH, top + HEIGHT)],
        ShapeStyle::from(style::GREY_TEXT),
    ))?;
    for k in 0..=4 {
        let y = top + HEIGHT - HEIGHT * k / 4;
        root.draw(&Rectangle::new(
            [(x + WIDTH, y), (x + WIDTH + 5, y + 1)],
            style::GREY_TEXT.filled(),
        ))?;
        canvas.text(
            &format!("{}%", 25 * k),
            (x + WIDTH + 8, y),
            &style::text(size::TICK, &style::BLACK).pos(Pos::new(HPos::Left, VPos::Center)),
        )?;
    }
    canvas.text(
        desc,
        (x + WIDTH + 58, top + HEIGHT / 2),
        &style::text(size::LABEL, &style::BLACK)
            .pos(Pos::new(HPos::Center, VPos::Center))
            .transform(FontTransform::Rotate270),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_scale_darkens_monotonically() {
        let grey = |c: RGBColor| 0.2126 * c.0 as f64 + 0.7152 * c.1 as f64 + 0.0722 * c.2 as f64;
        let mut last = f64::INFINITY;
        for k in 0..=100 {
            let now = grey(color(k as f64 / 100.0));
            assert!(now < last, "{k}");
            last = now;
        }
    }
}
