//! Exporters: each turns results into bytes; an [`Outbox`] alone decides where they go and
//! writes them atomically (a temporary file in the same folder, synced, then a rename), so a
//! reader never sees a half-written file.

mod result_json;
mod summary_csv;

pub use result_json::{input_hash, result_json};
pub use summary_csv::{SUMMARY_COLUMNS, format_number, summary_csv};

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::mpsc;

/// A number for people: thousands separators and a fixed number of decimals, `1,234.5`;
/// `-` only when a non-zero digit is shown; `n/a` when not finite. Shared by the terminal
/// summary, the charts and the report page.
pub fn grouped(value: f64, decimals: usize) -> String {
    if !value.is_finite() {
        return "n/a".to_string();
    }
    let text = format!("{:.*}", decimals, value.abs());
    let (whole, fraction) = text.split_once('.').unwrap_or((&text, ""));
    let mut out = String::with_capacity(text.len() + whole.len() / 3 + 1);
    if value < 0.0 && text.bytes().any(|c| matches!(c, b'1'..=b'9')) {
        out.push('-');
    }
    for (i, c) in whole.char_indices() {
        if i > 0 && (whole.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    if !fraction.is_empty() {
        out.push('.');
        out.push_str(fraction);
    }
    out
}

/// Consecutive years as ranges joined by `dash`: `2027`, `2027-2029, 2032`; empty for no
/// years. Shared by the terminal summary (`-`) and the report page (an en dash).
pub fn year_ranges(years: &[i32], dash: &str) -> String {
    let mut text = String::new();
    let mut k = 0;
    while k < years.len() {
        let start = years[k];
        while k + 1 < years.len() && years[k + 1] == years[k] + 1 {
            k += 1;
        }
        if !text.is_empty() {
            text.push_str(", ");
        }
        if years[k] == start {
            text.push_str(&start.to_string());
        } else {
            text.push_str(&format!("{start}{dash}{}", years[k]));
        }
        k += 1;
    }
    text
}

/// USD millions as `USD 1,234.5 bn`; a negative amount reads `-USD 12.3 bn`. With `sign`, a
/// positive amount gets a `+` (`+USD 12.3 bn`), as for a difference. Nothing is signed when
/// it rounds to zero.
pub fn usd_bn_text(musd: f64, sign: bool) -> String {
    let digits = grouped(musd.abs() / 1000.0, 1);
    let nonzero = digits.bytes().any(|c| matches!(c, b'1'..=b'9'));
    let prefix = match () {
        _ if !musd.is_finite() => "",
        _ if musd < 0.0 && nonzero => "-",
        _ if sign && musd > 0.0 && nonzero => "+",
        _ => "",
    };
    format!("{prefix}USD {digits} bn")
}

/// A number with a `+` before it when it is positive and shows a non-zero digit, and a `-`
/// when negative (as [`grouped`]): `+1,234.5`, `-12.3`, `0.0`. For differences.
pub fn signed(value: f64, decimals: usize) -> String {
    let text = grouped(value, decimals);
    if value > 0.0 && text.bytes().any(|c| matches!(c, b'1'..=b'9')) {
        format!("+{text}")
    } else {
        text
    }
}

/// A probability (0 to 1) as a whole percentage; `<1%` and `>99%` rather than a misleading
/// 0 or 100.
pub fn percent(p: f64) -> String {
    let pct = 100.0 * p;
    if pct > 0.0 && pct < 0.5 {
        "<1%".to_string()
    } else if (99.5..100.0).contains(&pct) {
        ">99%".to_string()
    } else {
        format!("{pct:.0}%")
    }
}

/// The probability of demand above capacity from which a production line is named in the
/// risk lists of the terminal summary and the report page: 10% in any year.
pub const RISK_PROBABILITY: f64 = 0.10;

/// Slack below [`RISK_PROBABILITY`] for a mean that is a ratio of whole counts (1,000 runs
/// in 10,000 is 10%, whatever the rounding of the sum).
const RISK_SLACK: f64 = 1e-9;

/// One production line under one goal, as the risk lists show it: read from its
/// `shortfall_prob` rows, nothing estimated.
#[derive(Debug, Clone, PartialEq)]
pub struct LineRisk {
    /// The highest probability of demand above capacity (mean of `shortfall_prob` over
    /// runs) in any year; `None` without Monte Carlo runs.
    pub peak: Option<(f64, i32)>,
    /// Years in which the plan's demand is above capacity (plan `shortfall_prob` is 1).
    pub plan_short: Vec<i32>,
}

impl LineRisk {
    /// From `(year, plan shortfall_prob, mean shortfall_prob if runs were made)`, in year
    /// order. The peak year is the first year of the highest probability.
    pub fn new(years: impl IntoIterator<Item = (i32, f64, Option<f64>)>) -> LineRisk {
        let mut peak: Option<(f64, i32)> = None;
        let mut plan_short = Vec::new();
        for (year, plan, mean) in years {
            if plan >= 1.0 {
                plan_short.push(year);
            }
            if let Some(p) = mean
                && peak.is_none_or(|(best, _)| p > best)
            {
                peak = Some((p, year));
            }
        }
        LineRisk { peak, plan_short }
    }

    /// Whether the line belongs in a risk list: its probability reaches
    /// [`RISK_PROBABILITY`] in some year; without runs, its plan is short in some year.
    pub fn listed(&self) -> bool {
        match self.peak {
            Some((p, _)) => p >= RISK_PROBABILITY - RISK_SLACK,
            None => !self.plan_short.is_empty(),
        }
    }
}

/// Files written into one folder as soon as they are made, from any thread, each whole or not
/// at all.
///
/// A run's outputs come from jobs that end at different times (the result files, the
/// charts, the page, the workbook). Each job hands its files over as it ends, and a thread of
/// the outbox's own writes them while the other jobs go on: the workers never wait on a
/// disk's `fsync`. [`Outbox::finish`] lists the paths by slot, then in the order of each
/// `put`, whatever order the jobs ended in; when writes failed, it returns the error of the
/// first failing file in that order.
#[derive(Debug)]
pub struct Outbox {
    queue: mpsc::Sender<Parcel>,
    writer: std::thread::JoinHandle<Vec<Written>>,
}

/// Files handed to the writer: `(slot, (relative path, bytes)s)`.
type Parcel = (u64, Vec<(String, Vec<u8>)>);
/// A file written or not: `((slot, position in its put), path or error)`.
type Written = ((u64, usize), std::io::Result<PathBuf>);

impl Outbox {
    /// An outbox writing into `dir`, created if missing.
    pub fn new(dir: &Path) -> std::io::Result<Outbox> {
        std::fs::create_dir_all(dir)?;
        let dir = dir.to_path_buf();
        let (queue, parcels) = mpsc::channel::<Parcel>();
        let writer = std::thread::Builder::new()
            .name("pledge-writer".to_string())
            .spawn(move || {
                let mut written = Vec::new();
                for (slot, files) in parcels {
                    for (position, (name, bytes)) in files.into_iter().enumerate() {
                        let path = dir.join(name);
                        let outcome = write_atomically(&path, &bytes).map(|()| path);
                        written.push(((slot, position), outcome));
                    }
                }
                written
            })?;
        Ok(Outbox { queue, writer })
    }

    /// Queues `files` (`(path relative to the folder, bytes)`) to be written, creating
    /// subfolders as needed; `slot` places them in [`Outbox::finish`]'s list.
    pub fn put(&self, slot: u64, files: Vec<(String, Vec<u8>)>) {
        // The writer only stops once the outbox is finished, so the send cannot fail.
        let _ = self.queue.send((slot, files));
    }

    /// Waits for every queued file; returns the paths written, by slot and then in the order
    /// of each `put`, or the first error in that order.
    pub fn finish(self) -> std::io::Result<Vec<PathBuf>> {
        let Outbox { queue, writer } = self;
        drop(queue);
        let mut written = writer
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        written.sort_by_key(|(order, _)| *order);
        written.into_iter().map(|(_, outcome)| outcome).collect()
    }
}

/// Writes `bytes` to a temporary file next to `path`, flushes it to disk and renames it to
/// `path`, creating `path`'s folder if missing.
fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let folder = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(folder)?;
    let file_name = path
        .file_name()
        .map_or("file".into(), |n| n.to_string_lossy());
    let mut tmp = tempfile::Builder::new()
        .prefix(&format!(".{file_name}."))
        .suffix(".tmp")
        .tempfile_in(folder)?;
    tmp.write_all(bytes)?;
    // Temporary files are private (0600); results are ordinary files others may read.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        tmp.as_file()
            .set_permissions(std::fs::Permissions::from_mode(0o644))?;
    }
    tmp.as_file().sync_all()?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn years_collapse_into_ranges() {
        assert_eq!(year_ranges(&[], "-"), "");
        assert_eq!(year_ranges(&[2027], "-"), "2027");
        assert_eq!(
            year_ranges(&[2027, 2028, 2029, 2032, 2034, 2035], "-"),
            "2027-2029, 2032, 2034-2035"
        );
        assert_eq!(
            year_ranges(&[2027, 2028, 2029, 2032, 2034, 2035], "\u{2013}"),
            "2027\u{2013}2029, 2032, 2034\u{2013}2035"
        );
    }

    fn file(name: &str, text: &str) -> (String, Vec<u8>) {
        (name.to_string(), text.as_bytes().to_vec())
    }

    #[test]
    fn outbox_lists_files_by_slot_whatever_order_they_come_in() {
        let dir = tempfile::tempdir().unwrap();
        let outbox = Outbox::new(dir.path()).unwrap();
        std::thread::scope(|scope| {
            let outbox = &outbox;
            scope.spawn(move || outbox.put(7, vec![file("sub/late.txt", "late")]));
            scope.spawn(move || {
                outbox.put(2, vec![file("b.txt", "b"), file("a.txt", "a")]);
            });
        });
        outbox.put(0, vec![file("first.txt", "first")]);
        let written = outbox.finish().unwrap();
        let names: Vec<_> = written
            .iter()
            .map(|p| p.strip_prefix(dir.path()).unwrap().to_str().unwrap())
            .collect();
        assert_eq!(names, ["first.txt", "b.txt", "a.txt", "sub/late.txt"]);
        assert_eq!(
            std::fs::read(dir.path().join("sub/late.txt")).unwrap(),
            b"late"
        );
        // Nothing but the files: no temporary file is left behind.
        let mut left: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        left.sort();
        assert_eq!(left, ["a.txt", "b.txt", "first.txt", "sub"]);
    }

    #[test]
    fn outbox_reports_the_first_failure_in_file_order() {
        let dir = tempfile::tempdir().unwrap();
        // A file where a folder is needed, and a folder where a file should go.
        std::fs::write(dir.path().join("blocker"), "x").unwrap();
        std::fs::create_dir_all(dir.path().join("taken/inside")).unwrap();
        let outbox = Outbox::new(dir.path()).unwrap();
        outbox.put(5, vec![file("blocker/x.txt", "x")]);
        outbox.put(1, vec![file("ok.txt", "ok"), file("taken", "y")]);
        let error = outbox.finish().unwrap_err();
        // `taken` (slot 1) comes before `blocker/x.txt` (slot 5): its error is the one given.
        assert!(
            matches!(
                error.kind(),
                std::io::ErrorKind::IsADirectory | std::io::ErrorKind::DirectoryNotEmpty
            ),
            "{error}"
        );
        assert_eq!(std::fs::read(dir.path().join("ok.txt")).unwrap(), b"ok");
        assert!(dir.path().join("taken/inside").is_dir());
    }

    #[test]
    fn outbox_refuses_a_folder_that_is_a_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("plain");
        std::fs::write(&path, "x").unwrap();
        assert!(Outbox::new(&path).is_err());
    }

    #[test]
    fn money_reads_negative_as_negative() {
        assert_eq!(usd_bn_text(2_466_812.3, false), "USD 2,466.8 bn");
        assert_eq!(usd_bn_text(2_466_812.3, true), "+USD 2,466.8 bn");
        assert_eq!(usd_bn_text(-12_345.0, true), "-USD 12.3 bn");
        assert_eq!(usd_bn_text(-12_345.0, false), "-USD 12.3 bn");
        assert_eq!(usd_bn_text(-10.0, true), "USD 0.0 bn");
        assert_eq!(signed(12.34, 1), "+12.3");
        assert_eq!(signed(-12.34, 1), "-12.3");
        assert_eq!(signed(0.01, 1), "0.0");
        assert_eq!(percent(0.374), "37%");
        assert_eq!(percent(0.001), "<1%");
        assert_eq!(percent(0.997), ">99%");
    }

    #[test]
    fn a_line_risk_is_its_peak_and_the_years_the_plan_is_short() {
        let risk = LineRisk::new([
            (2025, 0.0, Some(0.0)),
            (2026, 1.0, Some(0.3)),
            (2027, 1.0, Some(0.45)),
            (2028, 0.0, Some(0.45)),
            (2029, 1.0, Some(0.2)),
        ]);
        assert_eq!(risk.peak, Some((0.45, 2027)), "the first year of the peak");
        assert_eq!(risk.plan_short, [2026, 2027, 2029]);
        assert!(risk.listed());
        let low = LineRisk::new([(2025, 1.0, Some(0.05)), (2026, 0.0, Some(0.099))]);
        assert!(!low.listed(), "below 10% in every year, whatever the plan");
        assert!(
            LineRisk::new([(2025, 0.0, Some(0.1))]).listed(),
            "10% is reached"
        );
        assert!(
            LineRisk::new([(2025, 1.0, None)]).listed(),
            "no runs: the plan"
        );
        assert!(!LineRisk::new([(2025, 0.0, None)]).listed());
    }
}
