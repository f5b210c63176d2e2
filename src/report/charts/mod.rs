//! Charts of the briefing pack (issue 4), drawn with plotters from [`Results`] alone: the
//! spending fan, the paired difference, demand against capacity per item, the shortfall
//! heat map and the burden by ally (money on a log scale, so that small allies are readable).
//!
//! Each chart is first reduced to a `data::Figure` (rows picked from the results, money in
//! billions of the currency asked for), which is then drawn on plotters' SVG backend, and again on its bitmap backend
//! for [`png()`]; so the SVG and the PNG show the same picture. Every chart has a title, axis
//! descriptions with units, a legend and a footnote naming the data vintage, the runs, the seed
//! and the version. Goals are told apart by colour (Okabe-Ito), dash pattern and marker, so
//! the charts survive grey-scale print and colour-blind readers (see `style.rs`).
//!
//! Text is drawn with the bundled DejaVu Sans (plotters' `ab_glyph` feature, no system fonts),
//! and written into the SVG as `<text>` elements in the generic `sans-serif` family. On the
//! bitmap, text comes from a per-thread cache of rasterised glyphs (`glyphs.rs`); axes, ticks
//! and captions are drawn here rather than by plotters' mesh so that they use it too. A PNG
//! takes about 3 ms, an SVG a fraction of one.

mod axes;
mod burden;
mod canvas;
mod data;
mod glyphs;
mod heatmap;
mod lines;
mod style;
mod tornado;

use super::{Currency, Results};
use plotters::prelude::{BitMapBackend, DrawingBackend, IntoDrawingArea, SVGBackend};
use plotters::style::FontStyle;
use rayon::prelude::*;
use std::sync::{Arc, Once};

/// One chart, rendered as SVG; [`png()`] rasterises it.
#[derive(Debug, Clone)]
pub struct Chart {
    /// File stem under `charts/`, e.g. `spending_fan`.
    pub name: String,
    /// Title, as drawn.
    pub title: String,
    /// The SVG document.
    pub svg: String,
    /// Width, pixels (of the SVG's view box and of the PNG).
    pub width: u32,
    /// Height, pixels.
    pub height: u32,
    /// What is drawn, kept to draw the PNG.
    figure: Arc<data::Figure>,
}

/// Every chart of the pack: `spending_fan`, `paired_difference` (when there is more than one
/// goal), `capacity_<item id>` and then `planning_<item id>` (capacity planning) for each item,
/// `shortfall_probability` (when there are items) and `burden`, rendered as SVG in parallel;
/// money in `currency`.
pub fn render_all(results: &Results, currency: Currency) -> Vec<Chart> {
    register_fonts();
    data::figures(results, currency)
        .into_par_iter()
        .map(render)
        .collect()
}

/// The sensitivity chart (`sensitivity`: tornado panels of the last goal's headline outputs),
/// when there is a sensitivity.
pub fn sensitivity(
    results: &Results,
    sensitivity: &crate::results::Sensitivity,
    currency: crate::data::currency::Currency,
) -> Option<Chart> {
    register_fonts();
    tornado::figure(results, sensitivity, currency).map(render)
}

/// The Wales backtest as a chart: one small panel per ally with the simulated median, its
/// P10-P90 band, the plan dotted and NATO's actual shares as dots.
pub fn backtest_chart(backtest: &crate::backtest::Backtest, footnote: String) -> Chart {
    register_fonts();
    render(data::backtest(backtest, footnote))
}

/// Draws `figure` as SVG.
fn render(figure: data::Figure) -> Chart {
    let (width, height) = figure.size;
    let mut svg = String::new();
    {
        let canvas = canvas::Canvas::vector(
            SVGBackend::with_string(&mut svg, figure.size).into_drawing_area(),
        );
        draw(&canvas, &figure).expect("drawing into a string cannot fail");
        canvas
            .root
            .present()
            .expect("drawing into a string cannot fail");
    }
    Chart {
        name: figure.name.clone(),
        title: figure.title.clone(),
        svg: with_title(svg, &figure.title),
        width,
        height,
        figure: Arc::new(figure),
    }
}

/// The chart as PNG bytes (8-bit RGB, the chart's width and height).
pub fn png(chart: &Chart) -> Vec<u8> {
    png_in(chart, pixel_bytes(chart))
}

/// Renders every chart as PNG in parallel and hands each to `each`, with its index in
/// `charts`, as soon as it is made.
pub fn png_each(charts: &[Chart], each: impl Fn(usize, Vec<u8>) + Sync) {
    let largest = largest_pixels(charts);
    charts
        .par_iter()
        .enumerate()
        .for_each(|(index, chart)| each(index, png_in(chart, largest)));
}

/// Bytes of the chart's RGB pixels.
fn pixel_bytes(chart: &Chart) -> usize {
    chart.width as usize * chart.height as usize * 3
}

/// Bytes of the largest chart's RGB pixels.
fn largest_pixels(charts: &[Chart]) -> usize {
    charts.iter().map(pixel_bytes).max().unwrap_or(0)
}

/// The chart as PNG, drawn in this thread's pixel buffer; a buffer too small is replaced by
/// one of at least `capacity` bytes.
fn png_in(chart: &Chart, capacity: usize) -> Vec<u8> {
    register_fonts();
    // One pixel buffer per thread, reused chart after chart, and made large enough for the
    // largest chart at once: fresh memory costs more in page faults than the drawing itself.
    thread_local! {
        static PIXELS: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
    }
    PIXELS.with_borrow_mut(|pixels| {
        let len = pixel_bytes(chart);
        if pixels.capacity() < len {
            // Replaced, not grown: the old pixels need no copying.
            *pixels = Vec::with_capacity(capacity.max(len));
        }
        // Whatever the last chart left is painted over: every chart starts by filling its
        // canvas with white.
        pixels.resize(len, 255);
        encode_png(chart, pixels)
    })
}

/// Draws `chart` into `pixels` (`width * height` RGB, any content) and encodes it as PNG.
fn encode_png(chart: &Chart, pixels: &mut [u8]) -> Vec<u8> {
    let (width, height) = (chart.width, chart.height);
    {
        let canvas = canvas::Canvas::raster(
            BitMapBackend::with_buffer(pixels, (width, height)).into_drawing_area(),
        );
        draw(&canvas, &chart.figure).expect("drawing into a buffer cannot fail");
        canvas
            .root
            .present()
            .expect("drawing into a buffer cannot fail");
    }
    // Charts compress to well under a tenth of their pixels.
    let mut bytes = Vec::with_capacity(pixels.len() / 8);
    let mut encoder = png::Encoder::new(&mut bytes, width, height);
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    encoder.set_compression(png::Compression::Fast);
    // Sub alone: a third faster than Paeth alone (itself a quarter faster than trying every
    // filter per row), files a fifth larger.
    encoder.set_filter(png::Filter::Sub);
    let mut writer = encoder
        .write_header()
        .expect("writing a PNG header into memory cannot fail");
    writer
        .write_image_data(pixels)
        .expect("the buffer holds exactly width * height RGB pixels");
    writer
        .finish()
        .expect("finishing a PNG in memory cannot fail");
    bytes
}

/// Registers the bundled fonts with plotters, once per process.
fn register_fonts() {
    static FONTS: Once = Once::new();
    FONTS.call_once(|| {
        let regular = plotters::style::register_font(
            style::FAMILY,
            FontStyle::Normal,
            include_bytes!("../fonts/DejaVuSans.ttf"),
        );
        let bold = plotters::style::register_font(
            style::FAMILY,
            FontStyle::Bold,
            include_bytes!("../fonts/DejaVuSans-Bold.ttf"),
        );
        assert!(
            regular.is_ok() && bold.is_ok(),
            "the bundled DejaVu Sans fonts are valid TrueType"
        );
    });
}

/// Draws `figure` on `canvas`, the whole backend.
fn draw<DB: DrawingBackend>(
    canvas: &canvas::Canvas<DB>,
    figure: &data::Figure,
) -> canvas::Drawn<DB> {
    let body = canvas::frame(canvas, figure)?;
    match &figure.body {
        data::Body::Lines(panels) => lines::line_panels(canvas, body, panels, figure.years),
        data::Body::Difference { annual, cumulative } => {
            let split = body.y0 + body.height() * 58 / 100;
            lines::line_panels(
                canvas,
                canvas::Rect { y1: split, ..body },
                annual,
                figure.years,
            )?;
            lines::bar_panels(
                canvas,
                canvas::Rect {
                    y0: split + 14,
                    ..body
                },
                cumulative,
            )
        }
        data::Body::Heatmap(map) => heatmap::heatmap(canvas, body, map),
        data::Body::Burden(b) => burden::burden(canvas, body, b),
        data::Body::Tornado(t) => tornado::tornado(canvas, body, t),
        data::Body::Grid { columns, panels } => {
            lines::grid(canvas, body, *columns, panels, figure.years)
        }
    }
}

/// `svg` with a `<title>` (read by screen readers and shown as a tooltip) after its root tag.
fn with_title(svg: String, title: &str) -> String {
    let Some(end) = svg.find(">\n") else {
        return svg;
    };
    let escaped = title
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;");
    format!(
        "{}<title>{escaped}</title>\n{}",
        &svg[..end + 2],
        &svg[end + 2..]
    )
}
