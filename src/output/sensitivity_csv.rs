//! `sensitivity.csv`: one tidy row per goal, headline output, year and input, most
//! influential input first (docs/METHODOLOGY.md, section "Sensitivity").
//!
//! Columns: `goal`; `output` (`<group or item>.<metric>`); `year`; `when` (`horizon`,
//! `peak_risk` or `horizon_and_peak_risk`); `input` (its name, as in the methodology);
//! `rank_correlation` (Spearman); `tornado_low` and `tornado_high` (the output's `measure`
//! over the runs whose input is in its lowest and its highest decile); `swing`
//! (`tornado_high - tornado_low`); `rank` (1 = largest absolute rank correlation); `measure`
//! (`p50`, or `probability` for the 0/1 shortfall indicator).

use crate::results::Sensitivity;
use crate::text::format_number;

/// The header of `sensitivity.csv`.
pub const SENSITIVITY_COLUMNS: [&str; 11] = [
    "goal",
    "output",
    "year",
    "when",
    "input",
    "rank_correlation",
    "tornado_low",
    "tornado_high",
    "swing",
    "rank",
    "measure",
];

/// `sensitivity.csv` as bytes.
pub fn sensitivity_csv(sensitivity: &Sensitivity) -> Vec<u8> {
    let mut out = SENSITIVITY_COLUMNS.join(",");
    out.push('\n');
    for output in &sensitivity.outputs {
        let name = output.name();
        let year = output.year.to_string();
        for (rank, driver) in output.drivers.iter().enumerate() {
            // Ids, names and metrics never contain commas or quotes (checked on input).
            let cells = [
                output.goal.as_str(),
                &name,
                &year,
                output.when.as_str(),
                &sensitivity.input(driver).name,
                &format_number(driver.rank_correlation),
                &format_number(driver.tornado_low),
                &format_number(driver.tornado_high),
                &format_number(driver.swing()),
                &(rank + 1).to_string(),
                output.measure.as_str(),
            ];
            out.push_str(&cells.join(","));
            out.push('\n');
        }
    }
    out.into_bytes()
}
