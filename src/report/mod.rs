//! The briefing pack: charts (SVG and PNG), a self-contained HTML report and an Excel workbook,
//! built from a run's `result.json` alone ([`Results`]). Nothing here runs the model or computes
//! a statistic: every number drawn or tabulated is read from the results.
//!
//! `pledge run` and `pledge compare` build the pack from the `result.json` they have just
//! written; `pledge report DIR` rebuilds it from `DIR/result.json`.
//!
//! Money is shown in the currency of [`PackOptions`] (`--currency`, US dollars by default), at
//! the rate the data states for the base year ([`Currency`]); the results themselves stay in
//! US dollars, so the same results give the pack in any currency.

mod backtest_page;
pub mod charts;
pub mod html;
pub mod tables;
pub mod xlsx;

pub use crate::data::currency::Currency;
use crate::results::{Results, Sensitivity};
pub use backtest_page::{PageFacts, backtest_html};

use std::sync::{Mutex, PoisonError};

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

/// What to write and how to show money: the options of [`pack`] and [`pack_into`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PackOptions {
    /// Which parts.
    pub formats: PackFormats,
    /// The currency of every money figure in the charts, the page and the workbook's report
    /// sheets (`--currency`); the results stay in USD.
    pub currency: Currency,
}

impl From<PackFormats> for PackOptions {
    /// These parts, money in US dollars.
    fn from(formats: PackFormats) -> PackOptions {
        PackOptions {
            formats,
            currency: Currency::Usd,
        }
    }
}

/// Rank of `report.html` among the parts of [`pack_into`].
const RANK_PAGE: u32 = u32::MAX - 1;
/// Rank of `pledge.xlsx`.
const RANK_WORKBOOK: u32 = u32::MAX;

/// The pack's files as `(path relative to the output folder, bytes)`, in a fixed order: the
/// SVGs, the PNGs, `report.html`, `pledge.xlsx`. Fails only when the workbook's temporary
/// file cannot be made ([`xlsx::workbook`]).
pub fn pack(
    results: &Results,
    sensitivity: Option<&Sensitivity>,
    options: PackOptions,
) -> std::io::Result<Vec<(String, Vec<u8>)>> {
    let parts = Mutex::new(Vec::new());
    pack_into(results, sensitivity, options, &|rank, files| {
        parts
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push((rank, files));
    })?;
    let mut parts = parts.into_inner().unwrap_or_else(PoisonError::into_inner);
    parts.sort_by_key(|(rank, _)| *rank);
    Ok(parts.into_iter().flat_map(|(_, files)| files).collect())
}

/// Builds the pack and hands each part to `put` as soon as it is made, on the thread that
/// made it, so that a caller can write it while the rest is still being built. A part is
/// `(rank, files)`: the SVGs together (rank 0), each PNG (1, 2, ...), the page and the
/// workbook (the two highest ranks); ranks grow in the order of [`pack`]'s list.
///
/// The workbook, the longest job that cannot be split, starts first; the charts (SVG, then
/// PNG in parallel) and the page take the other threads. The bytes do not depend on the
/// scheduling. When the workbook cannot be made, every other part is still handed over and
/// the workbook's error is returned.
pub fn pack_into(
    results: &Results,
    sensitivity: Option<&Sensitivity>,
    options: PackOptions,
    put: &(dyn Fn(u32, Vec<(String, Vec<u8>)>) + Sync),
) -> std::io::Result<()> {
    let PackOptions { formats, currency } = options;
    let (workbook, ()) = rayon::join(
        || {
            if formats.xlsx {
                let workbook = xlsx::workbook(results, sensitivity, currency)?;
                put(RANK_WORKBOOK, vec![("pledge.xlsx".to_string(), workbook)]);
            }
            Ok(())
        },
        || {
            if !(formats.svg || formats.png || formats.html) {
                return;
            }
            let mut charts = charts::render_all(results, currency);
            charts.extend(sensitivity.and_then(|s| charts::sensitivity(results, s, currency)));
            let page = formats
                .html
                .then(|| html::report(results, sensitivity, &charts, currency));
            // The SVG text is moved out, not copied: the PNGs need only the figures.
            let svgs = formats.svg.then(|| {
                charts
                    .iter_mut()
                    .map(|chart| {
                        let svg = std::mem::take(&mut chart.svg);
                        (format!("charts/{}.svg", chart.name), svg.into_bytes())
                    })
                    .collect()
            });
            rayon::join(
                || {
                    if let Some(svgs) = svgs {
                        put(0, svgs);
                    }
                    if let Some(page) = page {
                        put(
                            RANK_PAGE,
                            vec![("report.html".to_string(), page.into_bytes())],
                        );
                    }
                },
                || {
                    if formats.png {
                        charts::png_each(&charts, |index, png| {
                            let rank = u32::try_from(index + 1).expect("a few dozen charts");
                            let name = format!("charts/{}.png", charts[index].name);
                            put(rank, vec![(name, png)]);
                        });
                    }
                },
            );
        },
    );
    workbook
}
