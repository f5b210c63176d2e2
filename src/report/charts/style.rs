//! How goals are told apart: the Okabe-Ito palette, read together with a dash pattern and a
//! marker shape per goal so that no chart relies on colour alone (grey-scale print,
//! colour-blind readers); fonts, text sizes and the number formats of the axes.
//!
//! Okabe, M. and Ito, K. (2008), "Color Universal Design (CUD): how to make figures and
//! presentations that are friendly to colorblind people", <https://jfly.uni-koeln.de/color/>.

use plotters::style::{FontDesc, FontFamily, FontStyle, RGBColor, TextStyle};

/// Okabe-Ito black.
pub const BLACK: RGBColor = RGBColor(0, 0, 0);
/// Okabe-Ito blue.
pub const BLUE: RGBColor = RGBColor(0, 114, 178);
/// Okabe-Ito vermillion.
pub const VERMILLION: RGBColor = RGBColor(213, 94, 0);
/// Okabe-Ito bluish green.
pub const GREEN: RGBColor = RGBColor(0, 158, 115);
/// Okabe-Ito reddish purple.
pub const PURPLE: RGBColor = RGBColor(204, 121, 167);
/// Okabe-Ito orange.
pub const ORANGE: RGBColor = RGBColor(230, 159, 0);
/// Okabe-Ito sky blue.
pub const SKY: RGBColor = RGBColor(86, 180, 233);
/// Text that is not data: footnotes, subtitles.
pub const GREY_TEXT: RGBColor = RGBColor(85, 85, 85);
/// Grid lines and cell borders.
pub const GRID: RGBColor = RGBColor(222, 222, 222);
/// Zebra rows.
pub const ZEBRA: RGBColor = RGBColor(244, 244, 244);
/// The page.
pub const WHITE: RGBColor = RGBColor(255, 255, 255);

/// A shape drawn at every point of a line, and in its legend entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Marker {
    /// No marker.
    None,
    /// Filled circle.
    Circle,
    /// Filled square.
    Square,
    /// Filled triangle pointing up.
    TriangleUp,
    /// Filled diamond.
    Diamond,
    /// Filled triangle pointing down.
    TriangleDown,
    /// Hollow circle.
    Ring,
    /// Hollow square.
    Box,
}

/// How one series is drawn: colour, stroke width in pixels, dash pattern in pixels (on, off,
/// on, off, ...; empty is solid) and marker.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LineStyle {
    /// Stroke and marker colour; bands use it, lighter.
    pub color: RGBColor,
    /// Stroke width, pixels.
    pub width: u32,
    /// Dash pattern, pixels; empty for a solid line.
    pub dash: &'static [f64],
    /// Marker at every point.
    pub marker: Marker,
}

const SOLID: &[f64] = &[];
const DASHED: &[f64] = &[9.0, 5.0];
const DASH_DOT: &[f64] = &[12.0, 4.0, 2.5, 4.0];
const DOTTED: &[f64] = &[2.5, 3.5];
const LONG_DASH: &[f64] = &[18.0, 6.0];
const DASH_DOT_DOT: &[f64] = &[12.0, 4.0, 2.5, 4.0, 2.5, 4.0];

/// The style of goal `index` (scenario order). The reference (index 0) is black and dashed;
/// the others take Okabe-Ito colours, each with its own dash pattern and marker, so two goals
/// differ in at least two ways besides colour.
pub fn goal_style(index: usize) -> LineStyle {
    const STYLES: [(RGBColor, &[f64], Marker); 7] = [
        (BLACK, DASHED, Marker::Circle),
        (BLUE, SOLID, Marker::Square),
        (VERMILLION, DASH_DOT, Marker::TriangleUp),
        (GREEN, DOTTED, Marker::Diamond),
        (PURPLE, LONG_DASH, Marker::TriangleDown),
        (ORANGE, DASH_DOT_DOT, Marker::Ring),
        (SKY, SOLID, Marker::Box),
    ];
    let (color, dash, marker) = STYLES[index % STYLES.len()];
    LineStyle {
        color,
        width: 2,
        dash,
        marker,
    }
}

/// The median line of goal `index`: its colour and marker, solid. The median is the solid line
/// of every chart; dots are kept for the plan ([`plan_style`]).
pub fn median_style(index: usize) -> LineStyle {
    LineStyle {
        dash: SOLID,
        ..goal_style(index)
    }
}

/// The plan's line in `color`: dotted, without markers.
pub fn plan_style(color: RGBColor) -> LineStyle {
    LineStyle {
        color,
        width: 2,
        dash: DOTTED,
        marker: Marker::None,
    }
}

/// Feasible production capacity: a thick dark grey solid line without markers.
pub const CAPACITY: LineStyle = LineStyle {
    color: RGBColor(80, 80, 80),
    width: 4,
    dash: SOLID,
    marker: Marker::None,
};

/// The grey that stands for black in bands (too heavy there) and for bands in the legend.
pub const BAND_GREY: RGBColor = RGBColor(110, 110, 110);

/// Band colour of goal `index`: the reference's black would be too heavy, so it is grey.
pub fn band_color(style: &LineStyle) -> RGBColor {
    if style.color == BLACK {
        BAND_GREY
    } else {
        style.color
    }
}

/// Opacity of the P10-P90 band.
pub const OUTER_BAND_ALPHA: f64 = 0.12;
/// Opacity of the P25-P75 band (drawn over the P10-P90 band).
pub const INNER_BAND_ALPHA: f64 = 0.18;

/// The family registered from `fonts/DejaVuSans*.ttf`.
pub const FAMILY: &str = "sans-serif";

/// Text sizes, in CSS pixels of the SVG (see [`font`]).
pub mod size {
    /// Chart title.
    pub const TITLE: f64 = 20.0;
    /// Subtitle and panel captions.
    pub const CAPTION: f64 = 15.0;
    /// Axis descriptions and legend.
    pub const LABEL: f64 = 13.5;
    /// Tick labels and cell text.
    pub const TICK: f64 = 12.5;
    /// Footnote.
    pub const NOTE: f64 = 11.5;
}

/// A font of `px` CSS pixels. plotters writes `size / 1.24` as the SVG font size and scales the
/// bitmap glyphs to `size`, so the size asked of plotters is `1.24 * px`.
pub fn font(px: f64) -> FontDesc<'static> {
    FontDesc::new(FontFamily::Name(FAMILY), px * 1.24, FontStyle::Normal)
}

/// A bold font of `px` CSS pixels.
pub fn bold(px: f64) -> FontDesc<'static> {
    FontDesc::new(FontFamily::Name(FAMILY), px * 1.24, FontStyle::Bold)
}

/// A text style of `px` CSS pixels in `color`.
pub fn text<'a>(px: f64, color: &'a RGBColor) -> TextStyle<'a> {
    TextStyle::from(font(px)).color(color)
}

/// The width of `text` in `font`, pixels (0 if the font is missing).
pub fn text_width(font: &FontDesc<'_>, text: &str) -> i32 {
    font.box_size(text).map_or(0, |(w, _)| w as i32)
}

/// `value` with `decimals` decimals and a comma every three digits, with a typographic minus:
/// `1,234.5`, `\u{2212}12.0`.
pub fn number(value: f64, decimals: usize) -> String {
    crate::text::grouped(value, decimals).replacen('-', "\u{2212}", 1)
}

/// A probability (0 to 1) as a percentage for a cell: `0%`, `<1%`, `37%`, `>99%`, `100%`.
pub fn percent(p: f64) -> String {
    if p <= 0.0 {
        "0%".to_string()
    } else if p < 0.005 {
        "<1%".to_string()
    } else if p >= 1.0 {
        "100%".to_string()
    } else if p >= 0.995 {
        ">99%".to_string()
    } else {
        format!("{:.0}%", 100.0 * p)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_grouped_by_thousands() {
        assert_eq!(number(1234567.891, 1), "1,234,567.9");
        assert_eq!(number(999.0, 0), "999");
        assert_eq!(number(-1500.0, 0), "\u{2212}1,500");
        assert_eq!(number(-0.001, 1), "0.0");
        assert_eq!(number(0.0, 0), "0");
    }

    #[test]
    fn probabilities_never_round_to_certainty() {
        assert_eq!(percent(0.0), "0%");
        assert_eq!(percent(0.001), "<1%");
        assert_eq!(percent(0.374), "37%");
        assert_eq!(percent(0.997), ">99%");
        assert_eq!(percent(1.0), "100%");
    }

    #[test]
    fn medians_are_solid_and_plans_dotted() {
        for g in 0..7 {
            assert!(median_style(g).dash.is_empty(), "{g}");
            assert_eq!(median_style(g).marker, goal_style(g).marker);
            let plan = plan_style(goal_style(g).color);
            assert_eq!((plan.dash, plan.marker), (DOTTED, Marker::None));
        }
    }

    #[test]
    fn goals_differ_in_more_than_colour() {
        for a in 0..7 {
            for b in (a + 1)..7 {
                let (x, y) = (goal_style(a), goal_style(b));
                let differences = [x.color != y.color, x.dash != y.dash, x.marker != y.marker];
                assert!(
                    differences.iter().filter(|d| **d).count() >= 2,
                    "{a} vs {b}"
                );
            }
        }
    }
}
