//! `pledge data import-nato WORKBOOK`: NATO's tables workbook into the history format.

use super::{AppError, RunReport, StopFlag, finish, outbox};
use crate::data::{self, nato};
use crate::error::{InputError, Location};
use crate::hash::sha256_hex;
use crate::output::Keep;
use std::fmt::Write;
use std::path::Path;

/// The largest relative gap between the allies' sum and NATO's total accepted in a money
/// table: the tables are computed sums, so anything above rounding means a misread.
pub const TOTAL_TOLERANCE: f64 = 1e-6;

/// Reads `workbook` and writes `history.csv` and `import.json` to `out_dir`.
pub fn import_nato(
    workbook: &Path,
    out_dir: &Path,
    stop: &StopFlag,
) -> Result<RunReport, AppError> {
    let file = workbook.display().to_string();
    // A regular file only (a FIFO would block), at most the limit.
    let bytes = crate::input::read_bytes(
        workbook,
        nato::MAX_WORKBOOK_BYTES,
        "NATO's tables workbook (.xlsx), well under 1 MB",
    )?;
    let sha256 = sha256_hex(&bytes);
    let import = nato::import_nato(&file, bytes)?;
    if let Some(bad) = import
        .checks
        .iter()
        .find(|c| c.relative_difference() > TOTAL_TOLERANCE)
    {
        return Err(InputError::invalid(
            Location::file(&file),
            format!(
                "{} in {}: the allies add up to {} but NATO's total is {}; the table was misread or is not NATO's",
                bad.block, bad.year, bad.allies, bad.nato_total
            ),
        )
        .into());
    }
    let outbox = outbox(out_dir, stop, Keep::Nothing)?;
    let worst = import
        .checks
        .iter()
        .map(nato::TotalCheck::relative_difference)
        .fold(0.0, f64::max);
    let document = serde_json::json!({
        "tool": { "name": env!("CARGO_PKG_NAME"), "version": env!("CARGO_PKG_VERSION") },
        "workbook": { "file": file, "sha256": sha256 },
        "edition": import.edition,
        "years": import.years.iter().map(|(y, e)| serde_json::json!({"year": y, "estimate": e})).collect::<Vec<_>>(),
        "rows": import.history.len(),
        "checks": import.checks,
    });
    let mut json = serde_json::to_vec_pretty(&document).expect("JSON serialization cannot fail");
    json.push(b'\n');
    outbox.put(
        0,
        vec![
            (
                "history.csv".to_string(),
                data::history_to_csv(&import.history),
            ),
            ("import.json".to_string(), json),
        ],
    );
    let committed = finish(
        out_dir,
        outbox,
        &format!("import of {}", workbook.display()),
        Ok(()),
    )?;
    let allies = {
        let mut codes: Vec<&str> = import.history.iter().map(|r| r.iso3.as_str()).collect();
        codes.dedup();
        codes.len()
    };
    let mut glance = String::new();
    let _ = writeln!(
        glance,
        "{}: {allies} allies, {} rows. The allies add up to NATO's totals in {} money tables and years (largest gap {worst:.1e}).\n\
         Use it with `pledge backtest --history {}`.",
        import.edition,
        import.history.len(),
        import.checks.len(),
        out_dir.join("history.csv").display()
    );
    Ok(RunReport::new(glance, out_dir, committed))
}
