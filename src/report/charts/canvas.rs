//! Drawing in pixels, the same on every backend: the [`Canvas`] (a backend's root area; on
//! bitmaps text comes from the glyph cache), the frame of a chart (title, subtitle, legend,
//! notes, footnote), text wrapping, dashed lines and markers.

use super::data::{Figure, Glyph, LegendItem};
use super::glyphs;
use super::style::{self, LineStyle, Marker, size};
use plotters::coord::Shift;
use plotters::drawing::{DrawingArea, DrawingAreaErrorKind};
use plotters::element::{Circle, PathElement, Polygon, Rectangle, Text};
use plotters::prelude::DrawingBackend;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::{Color, FontDesc, RGBColor, ShapeStyle, TextStyle};

/// A drawing area in backend pixels.
pub type Area<DB> = DrawingArea<DB, Shift>;
/// What drawing returns.
pub type Drawn<DB> = Result<(), DrawingAreaErrorKind<<DB as DrawingBackend>::ErrorType>>;

/// Where a chart is drawn: the backend's whole area, and whether text is drawn from cached
/// glyphs (bitmaps) or written as `<text>` elements (SVG).
pub struct Canvas<DB: DrawingBackend> {
    /// The whole backend, in backend pixels.
    pub root: Area<DB>,
    cached_glyphs: bool,
}

impl<DB: DrawingBackend> Canvas<DB> {
    /// A canvas whose backend writes text as text (SVG).
    pub fn vector(root: Area<DB>) -> Canvas<DB> {
        Canvas {
            root,
            cached_glyphs: false,
        }
    }

    /// A canvas whose backend is a bitmap: text is drawn from cached glyphs.
    pub fn raster(root: Area<DB>) -> Canvas<DB> {
        Canvas {
            root,
            cached_glyphs: true,
        }
    }

    /// Draws `text` at `pos` in `style`.
    pub fn text(&self, text: &str, pos: (i32, i32), style: &TextStyle<'_>) -> Drawn<DB> {
        if self.cached_glyphs {
            glyphs::draw(&self.root, text, pos, style)
        } else {
            self.root
                .draw(&Text::new(text.to_string(), pos, style.clone()))
        }
    }
}

/// A rectangle in pixels: left, top, right, bottom.
#[derive(Debug, Clone, Copy)]
pub struct Rect {
    /// Left.
    pub x0: i32,
    /// Top.
    pub y0: i32,
    /// Right.
    pub x1: i32,
    /// Bottom.
    pub y1: i32,
}

impl Rect {
    /// The rectangle of a plotting area's pixel ranges, as plotters'
    /// `DrawingArea::get_pixel_range` returns them: `(x range, y range)`.
    pub fn from_pixel_range((xs, ys): (std::ops::Range<i32>, std::ops::Range<i32>)) -> Rect {
        Rect {
            x0: xs.start,
            y0: ys.start,
            x1: xs.end,
            y1: ys.end,
        }
    }

    /// Width.
    pub fn width(&self) -> i32 {
        self.x1 - self.x0
    }

    /// Height.
    pub fn height(&self) -> i32 {
        self.y1 - self.y0
    }

    /// A drawing area of `root` covering this rectangle.
    pub fn area<DB: DrawingBackend>(&self, root: &Area<DB>) -> Area<DB> {
        root.clone().shrink(
            (self.x0, self.y0),
            (self.width().max(1) as u32, self.height().max(1) as u32),
        )
    }

    /// `n` equal rows with `gap` pixels between them.
    pub fn rows(&self, n: usize, gap: i32) -> Vec<Rect> {
        let n = n.max(1) as i32;
        let height = (self.height() - gap * (n - 1)) / n;
        (0..n)
            .map(|k| Rect {
                y0: self.y0 + k * (height + gap),
                y1: self.y0 + k * (height + gap) + height,
                ..*self
            })
            .collect()
    }

    /// `n` equal columns with `gap` pixels between them.
    pub fn columns(&self, n: usize, gap: i32) -> Vec<Rect> {
        let n = n.max(1) as i32;
        let width = (self.width() - gap * (n - 1)) / n;
        (0..n)
            .map(|k| Rect {
                x0: self.x0 + k * (width + gap),
                x1: self.x0 + k * (width + gap) + width,
                ..*self
            })
            .collect()
    }
}

/// Left and right page margin, pixels.
const MARGIN: i32 = 24;
const LEGEND_ROW: i32 = 24;
const NOTE_LINE: i32 = 16;
const GLYPH_WIDTH: i32 = 40;

/// Draws the white page, title, subtitle, legend, notes and footnote of `figure`; returns the
/// rectangle left for the body.
pub fn frame<DB: DrawingBackend>(
    canvas: &Canvas<DB>,
    figure: &Figure,
) -> Result<Rect, DrawingAreaErrorKind<DB::ErrorType>> {
    let (width, height) = (figure.size.0 as i32, figure.size.1 as i32);
    canvas.root.fill(&style::WHITE)?;
    let left_top = Pos::new(HPos::Left, VPos::Top);
    let title_font = style::bold(size::TITLE);
    let title_style = TextStyle::from(title_font.clone())
        .color(&style::BLACK)
        .pos(left_top);
    let mut y = 14;
    for line in wrap(&title_font, &figure.title, width - 2 * MARGIN) {
        canvas.text(&line, (MARGIN, y), &title_style)?;
        y += 28;
    }
    y += 2;
    if !figure.subtitle.is_empty() {
        canvas.text(
            &figure.subtitle,
            (MARGIN, y),
            &style::text(size::LABEL, &style::GREY_TEXT).pos(left_top),
        )?;
        y += 24;
    }
    y = legend(canvas, &figure.legend, y + 4, width - MARGIN)? + 6;

    let note_font = style::font(size::NOTE);
    let mut lines: Vec<(String, RGBColor)> = Vec::new();
    for note in &figure.notes {
        for line in wrap(&note_font, note, width - 2 * MARGIN) {
            lines.push((line, style::GREY_TEXT));
        }
    }
    for line in wrap(&note_font, &figure.footnote, width - 2 * MARGIN) {
        lines.push((line, style::BLACK));
    }
    let notes_top = height - 10 - NOTE_LINE * lines.len() as i32;
    for (k, (line, color)) in lines.iter().enumerate() {
        canvas.text(
            line,
            (MARGIN, notes_top + NOTE_LINE * k as i32),
            &style::text(size::NOTE, color).pos(left_top),
        )?;
    }
    Ok(Rect {
        x0: MARGIN - 8,
        y0: y,
        x1: width - MARGIN,
        y1: notes_top - 8,
    })
}

/// Draws the legend in rows from `top`, wrapping at `right`; returns the bottom.
fn legend<DB: DrawingBackend>(
    canvas: &Canvas<DB>,
    items: &[LegendItem],
    top: i32,
    right: i32,
) -> Result<i32, DrawingAreaErrorKind<DB::ErrorType>> {
    if items.is_empty() {
        return Ok(top);
    }
    let font = style::font(size::LABEL);
    let label_style =
        style::text(size::LABEL, &style::BLACK).pos(Pos::new(HPos::Left, VPos::Center));
    let (mut x, mut y) = (MARGIN, top + LEGEND_ROW / 2);
    for item in items {
        let width = GLYPH_WIDTH + 6 + style::text_width(&font, &item.label) + 22;
        if x > MARGIN && x + width > right {
            x = MARGIN;
            y += LEGEND_ROW;
        }
        glyph(&canvas.root, &item.glyph, x, y)?;
        canvas.text(&item.label, (x + GLYPH_WIDTH + 6, y), &label_style)?;
        x += width;
    }
    Ok(y + LEGEND_ROW / 2)
}

/// Draws a legend sample with its left edge at `x`, centred on `y`.
fn glyph<DB: DrawingBackend>(root: &Area<DB>, glyph: &Glyph, x: i32, y: i32) -> Drawn<DB> {
    let (x1, mid) = (x + GLYPH_WIDTH, x + GLYPH_WIDTH / 2);
    match glyph {
        Glyph::Line {
            style,
            band,
            envelope,
        } => {
            if *band && !*envelope {
                root.draw(&Rectangle::new(
                    [(x, y - 8), (x1, y + 8)],
                    style::band_color(style)
                        .mix(style::OUTER_BAND_ALPHA + style::INNER_BAND_ALPHA)
                        .filled(),
                ))?;
            }
            if *band && *envelope {
                for edge in [y - 8, y + 8] {
                    root.draw(&PathElement::new(vec![(x, edge), (x1, edge)], style.color))?;
                }
            }
            polyline(root, &[(x as f64, y as f64), (x1 as f64, y as f64)], style)?;
            marker(root, (mid, y), style.marker, style.color)
        }
        Glyph::Swatch { alpha } => root.draw(&Rectangle::new(
            [(x, y - 8), (x1, y + 8)],
            style::BAND_GREY.mix(*alpha).filled(),
        )),
        Glyph::Bar { style, hollow } => bar(root, (x + 2, y - 6), (x1 - 2, y + 6), style, *hollow),
        Glyph::Rule => polyline(
            root,
            &[(mid as f64, (y - 10) as f64), (mid as f64, (y + 10) as f64)],
            &rule_style(style::BLACK),
        ),
        Glyph::Dot => marker(root, (mid, y), Marker::Circle, style::BLACK),
    }
}

/// The vertical rule marking a year, in `color`.
pub fn rule_style(color: RGBColor) -> LineStyle {
    LineStyle {
        color,
        width: 2,
        dash: &[5.0, 3.0],
        marker: Marker::None,
    }
}

/// A horizontal bar from `(x0, y0)` to `(x1, y1)`: filled in the goal's colour with a dark
/// outline, or hollow (white with a thick outline) for the reference.
pub fn bar<DB: DrawingBackend>(
    root: &Area<DB>,
    top_left: (i32, i32),
    bottom_right: (i32, i32),
    style: &LineStyle,
    hollow: bool,
) -> Drawn<DB> {
    let (fill, outline) = if hollow {
        (style::WHITE, 2)
    } else {
        (style.color, 1)
    };
    root.draw(&Rectangle::new([top_left, bottom_right], fill.filled()))?;
    root.draw(&Rectangle::new(
        [top_left, bottom_right],
        ShapeStyle::from(style.color).stroke_width(outline),
    ))
}

/// Splits `text` into lines no wider than `width` pixels in `font`, at spaces. Each word is
/// measured once; a line's width is its words' plus its spaces'.
pub fn wrap(font: &FontDesc<'_>, text: &str, width: i32) -> Vec<String> {
    const SPACES: usize = 16;
    let space = style::text_width(font, &" ".repeat(SPACES)) as f64 / SPACES as f64;
    let mut lines = Vec::new();
    let mut line = String::new();
    let mut line_width = 0.0;
    for word in text.split(' ') {
        let word_width = style::text_width(font, word) as f64;
        if !line.is_empty() && line_width + space + word_width > width as f64 {
            lines.push(std::mem::take(&mut line));
            line_width = 0.0;
        }
        if !line.is_empty() {
            line.push(' ');
            line_width += space;
        }
        line.push_str(word);
        line_width += word_width;
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// Draws a polyline through `points` (pixels) in `style`'s colour, width and dash pattern,
/// without markers.
pub fn polyline<DB: DrawingBackend>(
    root: &Area<DB>,
    points: &[(f64, f64)],
    style: &LineStyle,
) -> Drawn<DB> {
    let stroke = ShapeStyle::from(style.color).stroke_width(style.width);
    let pixel = |(x, y): (f64, f64)| (x.round() as i32, y.round() as i32);
    if style.dash.is_empty() {
        return root.draw(&PathElement::new(
            points.iter().copied().map(pixel).collect::<Vec<_>>(),
            stroke,
        ));
    }
    for dash in dashes(points, style.dash) {
        root.draw(&PathElement::new(
            dash.into_iter().map(pixel).collect::<Vec<_>>(),
            stroke,
        ))?;
    }
    Ok(())
}

/// The "on" pieces of a polyline cut by a dash pattern (on, off, on, off, ... pixels), the
/// pattern running on across vertices.
fn dashes(points: &[(f64, f64)], pattern: &[f64]) -> Vec<Vec<(f64, f64)>> {
    let mut pieces = Vec::new();
    let mut current: Vec<(f64, f64)> = Vec::new();
    let (mut phase, mut left) = (0, pattern[0]);
    let on = |phase: usize| phase.is_multiple_of(2);
    let push = |piece: &mut Vec<(f64, f64)>, p: (f64, f64)| {
        if piece.last() != Some(&p) {
            piece.push(p);
        }
    };
    if let Some(&first) = points.first() {
        current.push(first);
    }
    for pair in points.windows(2) {
        let (mut from, to) = (pair[0], pair[1]);
        loop {
            let length = (to.0 - from.0).hypot(to.1 - from.1);
            if length <= left {
                left -= length;
                if on(phase) {
                    push(&mut current, to);
                }
                break;
            }
            let t = left / length;
            let cut = (from.0 + t * (to.0 - from.0), from.1 + t * (to.1 - from.1));
            if on(phase) {
                push(&mut current, cut);
                if current.len() > 1 {
                    pieces.push(std::mem::take(&mut current));
                }
                current.clear();
            } else {
                current = vec![cut];
            }
            from = cut;
            phase = (phase + 1) % pattern.len();
            left = pattern[phase];
        }
    }
    if on(phase) && current.len() > 1 {
        pieces.push(current);
    }
    pieces
}

/// Radius of markers, pixels.
const MARKER_RADIUS: i32 = 4;

/// Draws `marker` centred at `(x, y)` in `color`.
pub fn marker<DB: DrawingBackend>(
    root: &Area<DB>,
    (x, y): (i32, i32),
    marker: Marker,
    color: RGBColor,
) -> Drawn<DB> {
    let r = MARKER_RADIUS;
    let fill = color.filled();
    match marker {
        Marker::None => Ok(()),
        Marker::Circle => root.draw(&Circle::new((x, y), r, fill)),
        Marker::Square => root.draw(&Rectangle::new([(x - r, y - r), (x + r, y + r)], fill)),
        Marker::TriangleUp => root.draw(&Polygon::new(
            vec![(x, y - r - 2), (x - r - 1, y + r), (x + r + 1, y + r)],
            fill,
        )),
        Marker::TriangleDown => root.draw(&Polygon::new(
            vec![(x, y + r + 2), (x - r - 1, y - r), (x + r + 1, y - r)],
            fill,
        )),
        Marker::Diamond => root.draw(&Polygon::new(
            vec![
                (x, y - r - 2),
                (x + r + 1, y),
                (x, y + r + 2),
                (x - r - 1, y),
            ],
            fill,
        )),
        Marker::Ring => {
            root.draw(&Circle::new((x, y), r, style::WHITE.filled()))?;
            root.draw(&Circle::new(
                (x, y),
                r,
                ShapeStyle::from(color).stroke_width(2),
            ))
        }
        Marker::Box => {
            root.draw(&Rectangle::new(
                [(x - r, y - r), (x + r, y + r)],
                style::WHITE.filled(),
            ))?;
            root.draw(&Rectangle::new(
                [(x - r, y - r), (x + r, y + r)],
                ShapeStyle::from(color).stroke_width(2),
            ))
        }
    }
}

/// Draws a line of `style` through `points` (pixels) with its marker at every point.
pub fn series_line<DB: DrawingBackend>(
    root: &Area<DB>,
    points: &[(i32, i32)],
    style: &LineStyle,
) -> Drawn<DB> {
    let float: Vec<(f64, f64)> = points.iter().map(|&(x, y)| (x as f64, y as f64)).collect();
    polyline(root, &float, style)?;
    for &p in points {
        marker(root, p, style.marker, style.color)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dashes_follow_the_pattern_across_vertices() {
        let pieces = dashes(&[(0.0, 0.0), (10.0, 0.0), (10.0, 10.0)], &[4.0, 2.0]);
        // 0-4 on, 4-6 off, 6-10 on (corner) 10-(10,0)... on continues to (10,0), then off.
        assert_eq!(pieces[0], vec![(0.0, 0.0), (4.0, 0.0)]);
        assert_eq!(pieces[1], vec![(6.0, 0.0), (10.0, 0.0)]);
        assert_eq!(pieces[2], vec![(10.0, 2.0), (10.0, 6.0)]);
        assert_eq!(pieces[3], vec![(10.0, 8.0), (10.0, 10.0)]);
        assert_eq!(pieces.len(), 4);
    }

    #[test]
    fn wrapping_keeps_every_word_in_order() {
        super::super::register_fonts();
        let font = style::font(size::NOTE);
        let text = "Data: builtin 2025: GDP and growth IMF WEO Oct 2025; 2000 Monte Carlo runs";
        let lines = wrap(&font, text, 200);
        assert!(lines.len() > 1);
        assert_eq!(lines.join(" "), text);
        for line in &lines {
            assert!(
                style::text_width(&font, line) <= 200 || !line.contains(' '),
                "{line}"
            );
        }
        assert_eq!(wrap(&font, text, 10_000), vec![text.to_string()]);
    }

    #[test]
    fn a_solid_pattern_is_one_piece() {
        let pieces = dashes(&[(0.0, 0.0), (3.0, 0.0)], &[10.0, 2.0]);
        assert_eq!(pieces, vec![vec![(0.0, 0.0), (3.0, 0.0)]]);
    }
}
