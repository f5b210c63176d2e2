//! Charts of the briefing pack, drawn with plotters from [`Results`] alone.

use super::Results;

/// One chart, rendered as SVG; [`png`] rasterises it.
#[derive(Debug, Clone)]
pub struct Chart {
    /// File stem under `charts/`, e.g. `spending_fan`.
    pub name: String,
    /// Title, as drawn.
    pub title: String,
    /// The SVG document.
    pub svg: String,
}

/// Every chart of the pack.
pub fn render_all(results: &Results) -> Vec<Chart> {
    let _ = results;
    Vec::new()
}

/// The chart as PNG bytes.
pub fn png(chart: &Chart) -> Vec<u8> {
    let _ = chart;
    Vec::new()
}
