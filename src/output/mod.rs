//! Exporters: each turns results into bytes; [`write_files`] alone decides where they go and
//! writes them atomically (a temporary file in the same folder, then a rename), so a reader
//! never sees a half-written file.

mod result_json;
mod summary_csv;

pub use result_json::{input_hash, result_json};
pub use summary_csv::{SUMMARY_COLUMNS, format_number, summary_csv};

use std::io::Write;
use std::sync::{Mutex, PoisonError, mpsc};

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
pub fn write_files<N: AsRef<str>>(
    dir: &Path,
    files: &[(N, Vec<u8>)],
) -> std::io::Result<Vec<PathBuf>> {
    std::fs::create_dir_all(dir)?;
    files
        .iter()
        .map(|(name, bytes)| {
            let path = dir.join(name.as_ref());
            write_atomically(&path, bytes).map(|()| path)
        })
        .collect()
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
    queue: Mutex<mpsc::Sender<Parcel>>,
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
        Ok(Outbox {
            queue: Mutex::new(queue),
            writer,
        })
    }

    /// Queues `files` (`(path relative to the folder, bytes)`) to be written, creating
    /// subfolders as needed; `slot` places them in [`Outbox::finish`]'s list.
    pub fn put(&self, slot: u64, files: Vec<(String, Vec<u8>)>) {
        let queue = self.queue.lock().unwrap_or_else(PoisonError::into_inner);
        // The writer only stops once the outbox is finished, so the send cannot fail.
        let _ = queue.send((slot, files));
    }

    /// Waits for every queued file; returns the paths written, by slot and then in the order
    /// of each `put`, or the first error in that order.
    pub fn finish(self) -> std::io::Result<Vec<PathBuf>> {
        drop(self.queue);
        let mut written = self
            .writer
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
