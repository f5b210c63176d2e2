//! Exporters: each turns results into bytes; [`write_files`] alone decides where they go and
//! writes them atomically (a temporary file in the same folder, then a rename), so a reader
//! never sees a half-written file.

mod result_json;
mod summary_csv;

pub use result_json::{input_hash, result_json};
pub use summary_csv::{SUMMARY_COLUMNS, format_number, summary_csv};

use rayon::prelude::*;
use std::collections::BTreeSet;
use std::io::Write;

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
use std::path::{Path, PathBuf};

/// Writes every `(relative path, bytes)` into `dir`, creating folders as needed. Each file
/// appears whole or not at all. Returns the paths written, in the order of `files`.
///
/// Files are written in parallel on the current rayon pool: each waits on its own `fsync`,
/// so a pack of some thirty files takes about half as long as one file after another. When
/// writes fail, the error is the one of the first failing file in `files`.
pub fn write_files<N: AsRef<str> + Sync>(
    dir: &Path,
    files: &[(N, Vec<u8>)],
) -> std::io::Result<Vec<PathBuf>> {
    std::fs::create_dir_all(dir)?;
    let paths: Vec<PathBuf> = files
        .iter()
        .map(|(name, _)| dir.join(name.as_ref()))
        .collect();
    let folders: BTreeSet<&Path> = paths.iter().map(|p| p.parent().unwrap_or(dir)).collect();
    for folder in folders {
        std::fs::create_dir_all(folder)?;
    }
    let outcomes: Vec<std::io::Result<()>> = paths
        .par_iter()
        .zip(files)
        .map(|(path, (_, bytes))| write_atomically(path, bytes))
        .collect();
    outcomes.into_iter().collect::<std::io::Result<()>>()?;
    Ok(paths)
}

/// Writes `bytes` to a temporary file next to `path`, flushes it to disk and renames it to
/// `path`.
fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let folder = path.parent().unwrap_or(Path::new("."));
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
