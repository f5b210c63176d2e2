//! `report.html`: one self-contained page (charts inlined as SVG, no network, no external
//! scripts or fonts) from [`Results`] alone.

use super::Results;
use super::charts::Chart;

/// The report page.
pub fn report(results: &Results, charts: &[Chart]) -> String {
    let _ = (results, charts);
    String::new()
}
