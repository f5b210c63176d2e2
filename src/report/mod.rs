//! The briefing pack: charts (SVG and PNG), a self-contained HTML report and an Excel workbook,
//! built from a run's `result.json` alone ([`Results`]). Nothing here runs the model or computes
//! a statistic: every number drawn or tabulated is read from the results.
//!
//! `pledge run` and `pledge compare` build the pack from the `result.json` they have just
//! written; `pledge report DIR` rebuilds it from `DIR/result.json`.

pub mod charts;
pub mod html;
mod results;
pub mod xlsx;

pub use results::{HeadlineError, ResultRow, Results};

/// What to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PackFormats {
    /// `charts/*.svg`.
    pub svg: bool,
    /// `charts/*.png`.
    pub png: bool,
    /// `report.html`.
    pub html: bool,
    /// `pledge.xlsx`.
    pub xlsx: bool,
}

impl PackFormats {
    /// Nothing.
    pub const NONE: PackFormats = PackFormats {
        svg: false,
        png: false,
        html: false,
        xlsx: false,
    };

    /// Everything.
    pub const ALL: PackFormats = PackFormats {
        svg: true,
        png: true,
        html: true,
        xlsx: true,
    };
}

/// The pack's files as `(path relative to the output folder, bytes)`, in a fixed order.
///
/// The workbook is built on one thread while the charts (SVG, then PNG in parallel) and the
/// page are built on the others; the bytes do not depend on the scheduling.
pub fn pack(results: &Results, formats: PackFormats) -> Vec<(String, Vec<u8>)> {
    let (workbook, mut files) = rayon::join(
        || formats.xlsx.then(|| xlsx::workbook(results)),
        || {
            let mut files = Vec::new();
            if !(formats.svg || formats.png || formats.html) {
                return files;
            }
            let charts = charts::render_all(results);
            let pngs = if formats.png {
                charts::png_all(&charts)
            } else {
                Vec::new()
            };
            let page = formats.html.then(|| html::report(results, &charts));
            // The charts' bytes are moved, not copied: 4 MB of copies cost more in page
            // faults than in copying.
            let mut pngs = pngs.into_iter();
            for chart in charts {
                if formats.svg {
                    files.push((format!("charts/{}.svg", chart.name), chart.svg.into_bytes()));
                }
                if let Some(png) = pngs.next() {
                    files.push((format!("charts/{}.png", chart.name), png));
                }
            }
            if let Some(page) = page {
                files.push(("report.html".to_string(), page.into_bytes()));
            }
            files
        },
    );
    if let Some(workbook) = workbook {
        files.push(("pledge.xlsx".to_string(), workbook));
    }
    files
}
