//! The one writer of output files. An [`Outbox`] writes one command's files as a set, and the
//! set replaces, as a whole, the set that an earlier command wrote into the same folder.
//!
//! # What a reader of the folder sees
//!
//! The output folder `DIR` holds either the complete previous set or the complete new set,
//! whatever happens to the process (an error, Ctrl-C, SIGTERM, SIGKILL, or a power cut once the
//! commit has been synced), and never a mix of the two. There are four steps:
//!
//! 1. The new set is written into a staging folder beside `DIR`,
//!    `.NAME.pledge-staging-PID` (same parent, hence same file system), each file synced.
//!    Nothing in `DIR` changes.
//! 2. At commit, under an advisory lock on the parent folder: every entry of `DIR` that stays
//!    (files pledge did not write, and files of the previous set the command keeps, see
//!    [`Keep`]) is hard-linked into the staging folder, so it stays in place as the same file;
//!    the manifest [`MANIFEST`] listing the set is written; the staging folder is synced.
//! 3. The staging folder and `DIR` are exchanged in one system call (Linux `renameat2` with
//!    `RENAME_EXCHANGE`). This is the single moment at which the new set appears. A `DIR` that
//!    did not exist appears by one `rename`.
//! 4. The previous folder, now under the staging name, is emptied: its manifest's files and the
//!    second names of the entries kept are removed. A file there that pledge cannot account for
//!    (one made in `DIR` in the instant before the exchange) is moved back into `DIR`.
//!
//! # Which files are pledge's
//!
//! Those the manifest of `DIR` lists. The new set removes those it does not write again (the
//! charts of another scenario's items, the report after a `--no-report` run) and replaces those
//! it writes again. Every other entry of `DIR` is kept where it is, with one exception: a file
//! at a path the new set writes is replaced, as `--out` asks (this is also how a folder written
//! before pledge kept manifests is updated).
//!
//! # Limits
//!
//! - On a file system without `RENAME_EXCHANGE` (NFS, some FUSE file systems) and on systems
//!   other than Linux, `DIR` is renamed aside (`.NAME.pledge-old-PID`) and the staging folder
//!   renamed into place: for the instant between the two renames `DIR` is missing. A kill in
//!   that instant is repaired by the next pledge command that writes into `DIR`, which renames
//!   the previous set back first.
//! - After SIGKILL (which no program can handle) the staging folder stays beside `DIR`, hidden.
//!   The next pledge command that writes into `DIR` removes it when its owner is gone (its lock
//!   is released), or, when it holds a previous set, removes what pledge wrote of it.
//! - `DIR` becomes another folder (inode): a program whose current folder is `DIR` (a shell
//!   after `cd DIR; pledge ... --out .`) is left in the old, removed folder until it changes
//!   folder (`cd .` in a shell). The binary therefore refuses a `DIR` above the current folder,
//!   which would take the whole tree below it along.
//! - Two pledge commands writing into one `DIR` at once: each commit is whole, the last wins.

pub use crate::stop::StopFlag;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use std::ffi::{OsStr, OsString};
use std::fs::{self, File};
use std::io::{self, Write};
use std::path::{Component, Path, PathBuf};

use std::sync::{Mutex, MutexGuard, PoisonError, mpsc};

/// The file in an output folder that lists the files pledge wrote there, as JSON.
pub const MANIFEST: &str = ".pledge-manifest";
/// A file in a staging folder while its set is being written; removed just before the swap,
/// so that a staging folder left by a killed process shows whether it can only hold new files.
const MARKER: &str = ".pledge-staging";
/// The first line of a manifest, in its `format` field.
const MANIFEST_FORMAT: &str = "pledge output set, version 1";

/// The staging folders of this process that hold only new files (before their swap). A file is
/// written, and a swap made, only while its folder is listed, under this lock; so
/// [`discard_all`] can remove them all on the way out of a process that must stop at once.
static LIVE: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

fn live() -> MutexGuard<'static, Vec<PathBuf>> {
    LIVE.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Removes every staging folder of this process that holds only new files, and keeps every
/// outbox of the process from writing again: for a process about to exit at once (a second
/// Ctrl-C). The output folders keep their previous sets.
pub fn discard_all() {
    let mut live = live();
    for staging in live.drain(..) {
        remove_staging(&staging);
    }
    // Held until the process exits: no writer thread may make the folders again.
    std::mem::forget(live);
}

/// Which files of the previous set in the folder the new set keeps.
pub enum Keep {
    /// None: the new set replaces the previous one whole (`run`, `compare`, `merge`, ...).
    Nothing,
    /// Those the function accepts (given their path relative to the folder, with `/`), unless
    /// the new set writes them again: `report` rebuilds the pack beside the results, and a
    /// shard keeps the other shards' states.
    Previous(Box<dyn Fn(&str) -> bool + Send + Sync>),
}

impl std::fmt::Debug for Keep {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Keep::Nothing => f.write_str("Keep::Nothing"),
            Keep::Previous(_) => f.write_str("Keep::Previous(..)"),
        }
    }
}

/// What the output folder held before, as far as pledge knows: for saying what was kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Previous {
    /// A set pledge wrote, with its description (`seed 1, 300 runs`).
    Set(String),
    /// A folder without a manifest of pledge's.
    Unlisted,
    /// No folder.
    Absent,
}

impl Previous {
    /// What `dir` holds now.
    pub fn of(dir: &Path) -> Previous {
        match (read_manifest(dir), dir.is_dir()) {
            (Some(manifest), _) => Previous::Set(manifest.set),
            (None, true) => Previous::Unlisted,
            (None, false) => Previous::Absent,
        }
    }
}

/// Why a set was not written.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SetError {
    /// A file or folder could not be written; the folder holds the previous set.
    #[error("cannot write {}: {source}", path.display())]
    Write {
        /// The file (or folder) that failed, as the user would name it.
        path: PathBuf,
        /// Why.
        source: io::Error,
    },
    /// A stop was asked for before the set was in place; the folder holds the previous set.
    #[error("interrupted")]
    Interrupted {
        /// What the folder holds.
        previous: Previous,
    },
}

/// A set in place.
#[derive(Debug)]
pub struct Committed {
    /// The files of the new set, as the user would name them (the folder joined with each
    /// name), by slot and then in the order of each `put`.
    pub files: Vec<PathBuf>,
    /// Entries of the folder that pledge did not write and kept, relative to the folder.
    pub kept: Vec<PathBuf>,
    /// Things the user should know that did not stop the commit (a leftover folder that could
    /// not be emptied).
    pub warnings: Vec<String>,
}

/// Files written into one folder as one set, from any thread, as soon as they are made.
///
/// A run's outputs come from jobs that end at different times (the result files, the charts,
/// the page, the workbook). Each job hands its files over as it ends, and a thread of the
/// outbox's own writes them into the staging folder while the other jobs go on: the workers
/// never wait on a disk's `fsync`. [`Outbox::finish`] puts the set in place (see the module's
/// documentation for the guarantee) and lists the paths by slot, then in the order of each
/// `put`, whatever order the jobs ended in; when writes failed, it returns the error of the
/// first failing file in that order and leaves the folder as it was. An outbox dropped without
/// `finish` removes its staging folder.
#[derive(Debug)]
pub struct Outbox {
    queue: Option<mpsc::Sender<Parcel>>,
    writer: Option<std::thread::JoinHandle<Vec<Entry>>>,
    place: Place,
    keep: Keep,
    stop: StopFlag,
    /// The staging folder, open and locked while this outbox lives, so that another process
    /// can tell it from one left by a killed process.
    staging_lock: Option<File>,
    /// Set once the staging folder no longer holds (only) the new set.
    settled: bool,
}

/// Files handed to the writer: `(slot, (relative path, bytes)s)`.
type Parcel = (u64, Vec<(String, Vec<u8>)>);
/// A file written or not: `((slot, position in its put), relative path, outcome)`.
type Entry = ((u64, usize), String, io::Result<()>);

/// Where a set goes.
#[derive(Debug, Clone)]
struct Place {
    /// The folder as the user named it, for messages and the list of files.
    shown: PathBuf,
    /// The folder's real parent (symbolic links resolved).
    parent: PathBuf,
    /// The folder's name in its parent.
    name: OsString,
    /// The staging folder.
    staging: PathBuf,
    /// Where the previous folder goes when the two folders cannot be exchanged in one step.
    aside: PathBuf,
}

impl Place {
    fn dir(&self) -> PathBuf {
        self.parent.join(&self.name)
    }

    fn write_error(&self, name: &Path, source: io::Error) -> SetError {
        SetError::Write {
            path: self.shown.join(name),
            source,
        }
    }

    fn folder_error(&self, source: io::Error) -> SetError {
        SetError::Write {
            path: self.shown.clone(),
            source,
        }
    }
}

impl Outbox {
    /// An outbox for the folder `dir` (made when the set is committed; its parent folders are
    /// made now). It clears what earlier, killed pledge processes left beside `dir`, and makes
    /// its staging folder. `stop` is checked before each file and before the commit.
    pub fn new(dir: &Path, stop: &StopFlag, keep: Keep) -> Result<Outbox, SetError> {
        let folder_error = |source| SetError::Write {
            path: dir.to_path_buf(),
            source,
        };
        let real = real_path(dir).map_err(folder_error)?;
        let (Some(parent), Some(name)) = (real.parent(), real.file_name()) else {
            return Err(folder_error(io::Error::new(
                io::ErrorKind::InvalidInput,
                "the root folder cannot be an output folder",
            )));
        };
        let lossy = name.to_string_lossy();
        let pid = std::process::id();
        let place = Place {
            shown: dir.to_path_buf(),
            parent: parent.to_path_buf(),
            name: name.to_os_string(),
            staging: parent.join(format!(".{lossy}.pledge-staging-{pid}")),
            aside: parent.join(format!(".{lossy}.pledge-old-{pid}")),
        };
        make_parent(&place.parent).map_err(folder_error)?;
        if let Ok(meta) = fs::metadata(place.dir())
            && !meta.is_dir()
        {
            return Err(folder_error(io::Error::new(
                io::ErrorKind::AlreadyExists,
                "it is a file, not a folder",
            )));
        }
        let lock = lock_folder(&place.parent).map_err(folder_error)?;
        clear_leftovers(&place);
        let staging_lock = make_staging(&place.staging).map_err(|e| {
            folder_error(io::Error::new(
                e.kind(),
                format!(
                    "cannot make {} beside it: {e}; pledge writes a new set of files beside the \
                     output folder and swaps the two, so the folder above must be writable (or \
                     write into a folder inside it)",
                    place.staging.display()
                ),
            ))
        })?;
        drop(lock);

        let (queue, parcels) = mpsc::channel::<Parcel>();
        let staging = place.staging.clone();
        let writer_stop = stop.clone();
        let writer = std::thread::Builder::new()
            .name("pledge-writer".to_string())
            .spawn(move || write_parcels(&staging, &parcels, &writer_stop));
        let writer = match writer {
            Ok(writer) => writer,
            Err(e) => {
                live().retain(|p| *p != place.staging);
                remove_staging(&place.staging);
                return Err(folder_error(e));
            }
        };
        Ok(Outbox {
            queue: Some(queue),
            writer: Some(writer),
            place,
            keep,
            stop: stop.clone(),
            staging_lock: Some(staging_lock),
            settled: false,
        })
    }

    /// Queues `files` (`(path relative to the folder, with '/', bytes)`) to be written, creating
    /// subfolders as needed; `slot` places them in [`Outbox::finish`]'s list.
    pub fn put(&self, slot: u64, files: Vec<(String, Vec<u8>)>) {
        if let Some(queue) = &self.queue {
            // The writer only stops once the outbox is finished, so the send cannot fail.
            let _ = queue.send((slot, files));
        }
    }

    /// Writes nothing: removes the staging folder and says what the folder still holds.
    pub fn abandon(mut self) -> Previous {
        self.discard();
        Previous::of(&self.place.dir())
    }

    /// Waits for every queued file and puts the set, described by `set` (`seed 1, 300 runs`,
    /// said when a later command is interrupted), in place. Returns the paths written, by slot
    /// and then in the order of each `put`, or the first error in that order.
    pub fn finish(mut self, set: &str) -> Result<Committed, SetError> {
        let mut written = self.join_writer();
        if self.stop.is_set() {
            return Err(SetError::Interrupted {
                previous: self.abandon(),
            });
        }
        written.sort_by_key(|(order, _, _)| *order);
        let mut names = Vec::with_capacity(written.len());
        for (_, name, outcome) in written {
            if let Err(source) = outcome {
                self.discard();
                return Err(self.place.write_error(Path::new(&name), source));
            }
            names.push(name);
        }
        let committed = self.commit(set, &names);
        if committed.is_err() {
            self.discard();
        }
        committed
    }

    fn join_writer(&mut self) -> Vec<Entry> {
        drop(self.queue.take());
        match self.writer.take() {
            Some(writer) => writer
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
            None => Vec::new(),
        }
    }

    /// Stops the writer and removes the staging folder, unless it holds more than the new set.
    fn discard(&mut self) {
        let _ = self.join_writer();
        if !self.settled {
            self.settled = true;
            let mut live = live();
            if let Some(k) = live.iter().position(|p| *p == self.place.staging) {
                live.remove(k);
                remove_staging(&self.place.staging);
            }
        }
        self.staging_lock = None;
    }

    /// Steps 2 to 4 of the module's documentation.
    fn commit(&mut self, set: &str, names: &[String]) -> Result<Committed, SetError> {
        let place = self.place.clone();
        let folder_error = |source| place.folder_error(source);
        let _lock = lock_folder(&place.parent).map_err(folder_error)?;
        let mut live = live();
        let Some(listed_as_live) = live.iter().position(|p| *p == place.staging) else {
            return Err(SetError::Interrupted {
                previous: Previous::of(&place.dir()),
            });
        };
        if self.stop.is_set() {
            return Err(SetError::Interrupted {
                previous: Previous::of(&place.dir()),
            });
        }
        let dir = place.dir();
        let exists = dir.is_dir();
        let new: BTreeSet<String> = names.iter().cloned().collect();
        let previous: BTreeSet<String> = if exists {
            read_manifest(&dir)
                .map(|m| m.files.into_iter().collect())
                .unwrap_or_default()
        } else {
            BTreeSet::new()
        };
        let mut carry = Carry {
            dir: &dir,
            staging: &place.staging,
            new: &new,
            previous: &previous,
            keep: &self.keep,
            listed: names.to_vec(),
            kept: Vec::new(),
        };
        if exists {
            carry
                .folder(Path::new(""))
                .map_err(|(name, source)| match name {
                    Some(name) => place.write_error(&name, source),
                    None => place.folder_error(source),
                })?;
            copy_permissions(&dir, &place.staging).map_err(folder_error)?;
        }
        let Carry {
            mut listed, kept, ..
        } = carry;
        listed.sort();
        listed.dedup();
        let manifest = Manifest {
            format: MANIFEST_FORMAT.to_string(),
            set: set.to_string(),
            files: listed,
        };
        write_file(&place.staging.join(MANIFEST), &manifest.to_bytes())
            .map_err(|source| place.write_error(Path::new(MANIFEST), source))?;
        sync_folders(&place.staging).map_err(folder_error)?;
        fs::remove_file(place.staging.join(MARKER)).map_err(folder_error)?;

        let swapped = swap(&place.staging, &dir, &place.aside, exists).map_err(|e| {
            if e.kind() == io::ErrorKind::ResourceBusy {
                folder_error(io::Error::new(
                    e.kind(),
                    format!("{e}; is it a mount point? pledge replaces its output folder whole, so name a folder inside it"),
                ))
            } else {
                folder_error(e)
            }
        })?;
        // From here on the new set is in place: nothing below may fail the command.
        self.settled = true;
        live.remove(listed_as_live);
        drop(live);
        let _ = File::open(&place.parent).and_then(|f| f.sync_all());
        let mut warnings = Vec::new();
        if let Some(old) = swapped {
            let left = clear_old(&old, &dir);
            if !left.is_empty() {
                warnings.push(left_message(&old, &left));
            }
        }
        self.staging_lock = None;
        Ok(Committed {
            files: names.iter().map(|n| place.shown.join(n)).collect(),
            kept,
            warnings,
        })
    }
}

impl Drop for Outbox {
    fn drop(&mut self) {
        self.discard();
    }
}

/// The writer thread: writes each file into `staging` unless a stop was asked for.
fn write_parcels(staging: &Path, parcels: &mpsc::Receiver<Parcel>, stop: &StopFlag) -> Vec<Entry> {
    let mut written = Vec::new();
    for (slot, files) in parcels {
        for (position, (name, bytes)) in files.into_iter().enumerate() {
            let live = live();
            let outcome = if stop.is_set() || !live.iter().any(|p| p == staging) {
                Err(io::Error::new(io::ErrorKind::Interrupted, "stopped"))
            } else {
                match set_path(&name) {
                    Some(relative) => write_file(&staging.join(relative), &bytes),
                    None => Err(io::Error::new(
                        io::ErrorKind::InvalidInput,
                        "not a plain relative path inside the output folder",
                    )),
                }
            };
            drop(live);
            written.push(((slot, position), name, outcome));
        }
    }
    written
}

/// `name` as a path inside a set: plain relative components only, and not pledge's own
/// bookkeeping files.
fn set_path(name: &str) -> Option<PathBuf> {
    let path = Path::new(name);
    let plain = path.components().all(|c| matches!(c, Component::Normal(_)));
    (plain && !name.is_empty() && name != MANIFEST && name != MARKER).then(|| path.to_path_buf())
}

/// Writes a new file (it must not exist), making its folder, and syncs it.
fn write_file(path: &Path, bytes: &[u8]) -> io::Result<()> {
    if let Some(folder) = path.parent() {
        fs::create_dir_all(folder)?;
    }
    let mut file = File::create_new(path)?;
    file.write_all(bytes)?;
    file.sync_all()
}

/// Makes `parent` and its missing ancestors, saying which ancestor is a file when one is.
fn make_parent(parent: &Path) -> io::Result<()> {
    let mut existing = parent;
    while fs::symlink_metadata(existing).is_err() {
        match existing.parent() {
            Some(up) => existing = up,
            None => break,
        }
    }
    if let Ok(meta) = fs::metadata(existing)
        && !meta.is_dir()
    {
        return Err(io::Error::new(
            io::ErrorKind::AlreadyExists,
            format!("{} is a file, not a folder", existing.display()),
        ));
    }
    fs::create_dir_all(parent)
}

/// Makes the staging folder with its marker, locks it for the life of the outbox, and lists
/// it in [`LIVE`].
fn make_staging(staging: &Path) -> io::Result<File> {
    let mut live = live();
    fs::create_dir(staging)?;
    let made = (|| {
        write_file(&staging.join(MARKER), b"")?;
        let lock = File::open(staging)?;
        lock.lock()?;
        Ok(lock)
    })();
    match &made {
        Ok(_) => live.push(staging.to_path_buf()),
        Err(_) => {
            let _ = fs::remove_dir_all(staging);
        }
    }
    made
}

/// Removes a staging folder that holds only new files, its marker last: a process killed
/// while removing it leaves the marker, so the next one still removes the rest whole.
fn remove_staging(staging: &Path) {
    if let Ok(entries) = fs::read_dir(staging) {
        for entry in entries.flatten() {
            if entry.file_name() == OsStr::new(MARKER) {
                continue;
            }
            let _ = if entry.file_type().is_ok_and(|t| t.is_dir()) {
                fs::remove_dir_all(entry.path())
            } else {
                fs::remove_file(entry.path())
            };
        }
    }
    let _ = fs::remove_file(staging.join(MARKER));
    let _ = fs::remove_dir(staging);
}

/// An exclusive advisory lock on a folder, held until the file is dropped.
fn lock_folder(folder: &Path) -> io::Result<File> {
    let file = File::open(folder)?;
    file.lock()?;
    Ok(file)
}

/// `path` made absolute, with the symbolic links and `..` of its existing part resolved;
/// the part that does not exist yet is taken as written.
pub fn real_path(path: &Path) -> io::Result<PathBuf> {
    let absolute = std::path::absolute(path)?;
    let mut real = PathBuf::new();
    let mut exists = true;
    for component in absolute.components() {
        match component {
            Component::Prefix(_) | Component::RootDir => real.push(component),
            Component::CurDir => {}
            Component::ParentDir => {
                real.pop();
                exists = real.exists();
            }
            Component::Normal(part) => {
                real.push(part);
                if exists {
                    match fs::canonicalize(&real) {
                        Ok(resolved) => real = resolved,
                        Err(_) => exists = false,
                    }
                }
            }
        }
    }
    Ok(real)
}

/// The manifest of a set, as stored in [`MANIFEST`].
#[derive(Debug, Serialize, Deserialize)]
struct Manifest {
    format: String,
    /// What the set is: `seed 1, 300 runs`.
    set: String,
    /// The set's files, relative to the folder, with `/`, sorted.
    files: Vec<String>,
}

impl Manifest {
    fn to_bytes(&self) -> Vec<u8> {
        let mut bytes = serde_json::to_vec_pretty(self).expect("JSON serialization cannot fail");
        bytes.push(b'\n');
        bytes
    }
}

/// The manifest in `dir`, keeping only the paths that are plainly inside the folder; `None`
/// when there is none or it is not pledge's.
fn read_manifest(dir: &Path) -> Option<Manifest> {
    let path = dir.join(MANIFEST);
    if !fs::symlink_metadata(&path).ok()?.is_file() {
        return None;
    }
    let mut manifest: Manifest = serde_json::from_slice(&fs::read(path).ok()?).ok()?;
    if manifest.format != MANIFEST_FORMAT {
        return None;
    }
    manifest.files.retain(|name| set_path(name).is_some());
    Some(manifest)
}

/// The walk of step 2: links what stays in `dir` into `staging`.
struct Carry<'a> {
    dir: &'a Path,
    staging: &'a Path,
    new: &'a BTreeSet<String>,
    previous: &'a BTreeSet<String>,
    keep: &'a Keep,
    /// The new set's files, and the previous set's files it keeps.
    listed: Vec<String>,
    /// Entries pledge did not write, kept.
    kept: Vec<PathBuf>,
}

/// A failure of the walk: the file of the set it concerns, if one, and why.
type CarryError = (Option<PathBuf>, io::Error);

impl Carry<'_> {
    /// Links what stays of `dir/relative` into `staging/relative`; whether anything stayed.
    fn folder(&mut self, relative: &Path) -> Result<bool, CarryError> {
        let here = self.dir.join(relative);
        let mut entries: Vec<_> = fs::read_dir(&here)
            .and_then(|entries| entries.collect::<io::Result<Vec<_>>>())
            .map_err(|e| (None, e))?;
        entries.sort_by_key(|e| e.file_name());
        let mut stayed = false;
        for entry in entries {
            let name = entry.file_name();
            if relative.as_os_str().is_empty() && name == OsStr::new(MANIFEST) {
                continue;
            }
            let path = relative.join(&name);
            let key = path.to_str().map(str::to_string);
            let is_new = key.as_ref().is_some_and(|k| self.new.contains(k));
            let is_previous = key.as_ref().is_some_and(|k| self.previous.contains(k));
            let target = self.staging.join(&path);
            let file_type = entry.file_type().map_err(|e| (None, e))?;
            let in_staging = fs::symlink_metadata(&target).ok();
            if file_type.is_dir() {
                match in_staging {
                    Some(meta) if meta.is_dir() => stayed |= self.folder(&path)?,
                    Some(_) => {
                        return Err((
                            Some(path),
                            io::Error::new(
                                io::ErrorKind::IsADirectory,
                                "a folder pledge did not make is in the way; it is left alone",
                            ),
                        ));
                    }
                    None => {
                        fs::create_dir(&target).map_err(|e| (None, e))?;
                        copy_permissions(&self.dir.join(&path), &target).map_err(|e| (None, e))?;
                        let empty = fs::read_dir(self.dir.join(&path))
                            .map(|mut entries| entries.next().is_none())
                            .unwrap_or(false);
                        if self.folder(&path)? || empty {
                            stayed = true;
                            if empty {
                                self.kept.push(path);
                            }
                        } else {
                            // Only the previous set's files were there.
                            fs::remove_dir(&target).map_err(|e| (None, e))?;
                        }
                    }
                }
                continue;
            }
            if is_new {
                continue;
            }
            let ours = is_previous && key.as_deref().is_some_and(|k| self.keeps(k));
            if is_previous && !ours {
                continue;
            }
            if in_staging.is_some() {
                return Err((
                    Some(path),
                    io::Error::new(
                        io::ErrorKind::AlreadyExists,
                        "a file pledge did not write is where pledge makes a folder; it is left alone",
                    ),
                ));
            }
            fs::hard_link(self.dir.join(&path), &target).map_err(|e| {
                let message = format!(
                    "cannot keep {} (which pledge did not write) in place while replacing the other files: {e}; move it out of the folder or write elsewhere",
                    path.display()
                );
                (None, io::Error::new(e.kind(), message))
            })?;
            stayed = true;
            if ours {
                self.listed.extend(key);
            } else {
                self.kept.push(path);
            }
        }
        Ok(stayed)
    }

    fn keeps(&self, name: &str) -> bool {
        match self.keep {
            Keep::Nothing => false,
            Keep::Previous(keeps) => keeps(name),
        }
    }
}

/// Gives `to` the permissions of `from` (a folder made private stays private).
fn copy_permissions(from: &Path, to: &Path) -> io::Result<()> {
    fs::set_permissions(to, fs::metadata(from)?.permissions())
}

/// Syncs `folder` and every folder below it (the files were synced as they were written).
fn sync_folders(folder: &Path) -> io::Result<()> {
    for entry in fs::read_dir(folder)? {
        let entry = entry?;
        if entry.file_type()?.is_dir() {
            sync_folders(&entry.path())?;
        }
    }
    File::open(folder)?.sync_all()
}

/// Puts `staging` in the place of `dir` (step 3); returns where the previous folder is now.
fn swap(staging: &Path, dir: &Path, aside: &Path, exists: bool) -> io::Result<Option<PathBuf>> {
    #[cfg(target_os = "linux")]
    {
        use rustix::fs::{CWD, RenameFlags, renameat_with};
        use rustix::io::Errno;
        let flags = if exists {
            RenameFlags::EXCHANGE
        } else {
            RenameFlags::NOREPLACE
        };
        match renameat_with(CWD, staging, CWD, dir, flags) {
            Ok(()) => return Ok(exists.then(|| staging.to_path_buf())),
            // The file system cannot: fall back to two renames.
            Err(Errno::INVAL | Errno::NOSYS | Errno::OPNOTSUPP) => {}
            Err(e) => return Err(e.into()),
        }
    }
    swap_in_two_steps(staging, dir, aside, exists)
}

/// [`swap`] where folders cannot be exchanged in one step: `dir` is missing between the two
/// renames; a kill there leaves the previous set at `aside`, which the next outbox for `dir`
/// renames back ([`clear_leftovers`]).
fn swap_in_two_steps(
    staging: &Path,
    dir: &Path,
    aside: &Path,
    exists: bool,
) -> io::Result<Option<PathBuf>> {
    if exists {
        fs::rename(dir, aside)?;
        if let Err(e) = fs::rename(staging, dir) {
            let _ = fs::rename(aside, dir);
            return Err(e);
        }
        Ok(Some(aside.to_path_buf()))
    } else {
        fs::rename(staging, dir)?;
        Ok(None)
    }
}

/// Step 4: empties `old`, a previous set's folder (or a staging folder left by a killed
/// process), of what pledge can account for: the files its manifest lists, its bookkeeping,
/// and second names of entries that are in `dir`. Moves anything else back into `dir` where
/// that place is free. Removes `old` when it is then empty; returns what is left in it.
fn clear_old(old: &Path, dir: &Path) -> Vec<PathBuf> {
    let listed: BTreeSet<String> = read_manifest(old)
        .map(|m| m.files.into_iter().collect())
        .unwrap_or_default();
    let mut left = Vec::new();
    clear_folder(old, dir, Path::new(""), &listed, &mut left);
    // The manifest goes last: a process killed while clearing leaves it, so that the next
    // one can still tell pledge's files from others.
    if left.is_empty() {
        let _ = fs::remove_file(old.join(MANIFEST));
    }
    if fs::remove_dir(old).is_err() && left.is_empty() && old.exists() {
        left.push(PathBuf::from("."));
    }
    left
}

fn clear_folder(
    old: &Path,
    dir: &Path,
    relative: &Path,
    listed: &BTreeSet<String>,
    left: &mut Vec<PathBuf>,
) {
    let Ok(entries) = fs::read_dir(old.join(relative)) else {
        left.push(relative.to_path_buf());
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let path = relative.join(&name);
        let from = old.join(&path);
        let to = dir.join(&path);
        let Ok(file_type) = entry.file_type() else {
            left.push(path);
            continue;
        };
        if file_type.is_dir() {
            let was_empty = fs::read_dir(&from).is_ok_and(|mut e| e.next().is_none());
            let ours = path
                .to_str()
                .is_some_and(|p| listed.iter().any(|l| l.starts_with(&format!("{p}/"))));
            if was_empty && !ours && fs::symlink_metadata(&to).is_err() {
                // An empty folder pledge did not make: back into place.
                if fs::rename(&from, &to).is_err() {
                    left.push(path);
                }
                continue;
            }
            clear_folder(old, dir, &path, listed, left);
            let _ = fs::remove_dir(&from);
            continue;
        }
        let root = relative.as_os_str().is_empty();
        if root && name == OsStr::new(MANIFEST) {
            continue;
        }
        let accounted = (root && name == OsStr::new(MARKER))
            || path.to_str().is_some_and(|p| listed.contains(p))
            || same_file(&from, &to);
        if accounted {
            if fs::remove_file(&from).is_err() {
                left.push(path);
            }
            continue;
        }
        let free = fs::symlink_metadata(&to).is_err();
        let moved = free
            && to.parent().is_none_or(|p| fs::create_dir_all(p).is_ok())
            && fs::rename(&from, &to).is_ok();
        if !moved {
            left.push(path);
        }
    }
}

/// Whether `a` and `b` are names of one file.
fn same_file(a: &Path, b: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        match (fs::symlink_metadata(a), fs::symlink_metadata(b)) {
            (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
            _ => false,
        }
    }
    #[cfg(not(unix))]
    {
        let _ = (a, b);
        false
    }
}

fn left_message(old: &Path, left: &[PathBuf]) -> String {
    let names: Vec<String> = left.iter().map(|p| p.display().to_string()).collect();
    format!(
        "kept {}: it holds files pledge did not write and could not move back ({})",
        old.display(),
        names.join(", ")
    )
}

/// Step 0, under the parent's lock: folders that earlier pledge processes, now gone, left
/// beside the folder. A staging folder still marked as such holds only files pledge made (and
/// second names of files in the folder): removed. Otherwise a folder with a manifest is a
/// complete set: put in place when the folder is missing (a previous set set aside is looked
/// at first), else emptied as in step 4.
fn clear_leftovers(place: &Place) {
    let lossy = place.name.to_string_lossy();
    let aside = format!(".{lossy}.pledge-old-");
    let staging = format!(".{lossy}.pledge-staging-");
    let Ok(entries) = fs::read_dir(&place.parent) else {
        return;
    };
    let mut leftovers: Vec<(bool, PathBuf)> = entries
        .flatten()
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        .filter_map(|e| {
            let name = e.file_name().into_string().ok()?;
            let is_staging = name.starts_with(&staging);
            (is_staging || name.starts_with(&aside)).then(|| (is_staging, e.path()))
        })
        .collect();
    leftovers.sort();
    let dir = place.dir();
    for (_, path) in leftovers {
        let Ok(lock) = File::open(&path) else {
            continue;
        };
        if lock.try_lock().is_err() {
            continue; // Its pledge process is still at work.
        }
        if path.join(MARKER).exists() {
            remove_staging(&path);
        } else if !dir.exists() && read_manifest(&path).is_some() {
            let _ = fs::rename(&path, &dir);
        } else {
            clear_old(&path, &dir);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(name: &str, text: &str) -> (String, Vec<u8>) {
        (name.to_string(), text.as_bytes().to_vec())
    }

    /// Every file below `dir`, relative, sorted.
    fn tree(dir: &Path) -> Vec<String> {
        let mut found = Vec::new();
        let mut stack = vec![dir.to_path_buf()];
        while let Some(d) = stack.pop() {
            for entry in fs::read_dir(&d).unwrap() {
                let path = entry.unwrap().path();
                let name = path.strip_prefix(dir).unwrap().display().to_string();
                if path.is_dir() {
                    found.push(format!("{name}/"));
                    stack.push(path);
                } else {
                    found.push(name);
                }
            }
        }
        found.sort();
        found
    }

    fn names(dir: &Path) -> Vec<String> {
        let mut names: Vec<_> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        names.sort();
        names
    }

    fn write_set(dir: &Path, set: &str, files: Vec<(String, Vec<u8>)>) -> Committed {
        let outbox = Outbox::new(dir, &StopFlag::new(), Keep::Nothing).unwrap();
        outbox.put(0, files);
        outbox.finish(set).unwrap()
    }

    #[test]
    fn outbox_lists_files_by_slot_whatever_order_they_come_in() {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join("out");
        let outbox = Outbox::new(&dir, &StopFlag::new(), Keep::Nothing).unwrap();
        std::thread::scope(|scope| {
            let outbox = &outbox;
            scope.spawn(move || outbox.put(7, vec![file("sub/late.txt", "late")]));
            scope.spawn(move || {
                outbox.put(2, vec![file("b.txt", "b"), file("a.txt", "a")]);
            });
        });
        outbox.put(0, vec![file("first.txt", "first")]);
        let written = outbox.finish("test").unwrap();
        let listed: Vec<_> = written
            .files
            .iter()
            .map(|p| p.strip_prefix(&dir).unwrap().to_str().unwrap())
            .collect();
        assert_eq!(listed, ["first.txt", "b.txt", "a.txt", "sub/late.txt"]);
        assert_eq!(fs::read(dir.join("sub/late.txt")).unwrap(), b"late");
        // The files and the manifest: no temporary or staging file is left behind.
        assert_eq!(
            tree(&dir),
            [
                MANIFEST,
                "a.txt",
                "b.txt",
                "first.txt",
                "sub/",
                "sub/late.txt"
            ]
        );
        assert_eq!(names(root.path()), ["out"]);
        let manifest = read_manifest(&dir).unwrap();
        assert_eq!(manifest.set, "test");
        assert_eq!(
            manifest.files,
            ["a.txt", "b.txt", "first.txt", "sub/late.txt"]
        );
    }

    #[test]
    fn a_failed_file_leaves_the_previous_set_and_is_named() {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join("out");
        write_set(&dir, "first", vec![file("ok.txt", "old")]);
        let outbox = Outbox::new(&dir, &StopFlag::new(), Keep::Nothing).unwrap();
        outbox.put(5, vec![file("../escape.txt", "x")]);
        outbox.put(1, vec![file("ok.txt", "new"), file("twice.txt", "1")]);
        outbox.put(2, vec![file("twice.txt", "2")]);
        let SetError::Write { path, .. } = outbox.finish("second").unwrap_err() else {
            panic!("a write error expected");
        };
        // `twice.txt` (slot 2) comes before `../escape.txt` (slot 5): its error is the one given.
        assert_eq!(path, dir.join("twice.txt"));
        assert_eq!(fs::read(dir.join("ok.txt")).unwrap(), b"old");
        assert_eq!(tree(&dir), [MANIFEST, "ok.txt"]);
        assert_eq!(names(root.path()), ["out"], "no staging folder is left");
    }

    #[test]
    fn outbox_refuses_a_folder_that_is_a_file() {
        let root = tempfile::tempdir().unwrap();
        let path = root.path().join("plain");
        fs::write(&path, "x").unwrap();
        for dir in [path.clone(), path.join("sub")] {
            let error = Outbox::new(&dir, &StopFlag::new(), Keep::Nothing).unwrap_err();
            assert!(
                error.to_string().starts_with(&format!(
                    "cannot write {}: {}",
                    dir.display(),
                    if dir == path {
                        "it is a file".to_string()
                    } else {
                        format!("{} is a file", path.display())
                    }
                )),
                "{error}"
            );
        }
        assert_eq!(names(root.path()), ["plain"]);
    }

    #[test]
    fn a_new_set_removes_the_stale_files_and_keeps_the_users() {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join("out");
        write_set(
            &dir,
            "seed 1",
            vec![
                file("summary.csv", "1"),
                file("charts/old_item.svg", "1"),
                file("charts/both.svg", "1"),
                file("report.html", "1"),
            ],
        );
        fs::write(dir.join("notes.txt"), "mine").unwrap();
        fs::write(dir.join("charts/mine.svg"), "mine").unwrap();
        fs::create_dir_all(dir.join("drafts/empty")).unwrap();
        fs::write(dir.join("drafts/a.txt"), "mine").unwrap();
        let before = fs::metadata(dir.join("notes.txt")).unwrap();
        let committed = write_set(
            &dir,
            "seed 2",
            vec![file("summary.csv", "2"), file("charts/both.svg", "2")],
        );
        assert_eq!(
            tree(&dir),
            [
                MANIFEST,
                "charts/",
                "charts/both.svg",
                "charts/mine.svg",
                "drafts/",
                "drafts/a.txt",
                "drafts/empty/",
                "notes.txt",
                "summary.csv",
            ]
        );
        assert_eq!(fs::read(dir.join("summary.csv")).unwrap(), b"2");
        assert_eq!(fs::read(dir.join("notes.txt")).unwrap(), b"mine");
        {
            use std::os::unix::fs::MetadataExt;
            let after = fs::metadata(dir.join("notes.txt")).unwrap();
            assert_eq!(before.ino(), after.ino(), "kept in place: the same file");
        }
        assert_eq!(
            committed.kept,
            paths(&[
                "charts/mine.svg",
                "drafts/a.txt",
                "drafts/empty",
                "notes.txt"
            ])
        );
        assert_eq!(
            read_manifest(&dir).unwrap().files,
            ["charts/both.svg", "summary.csv"]
        );
        assert_eq!(names(root.path()), ["out"]);
    }

    fn paths(names: &[&str]) -> Vec<PathBuf> {
        names.iter().map(PathBuf::from).collect()
    }

    #[test]
    fn keep_carries_files_of_the_previous_set() {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join("out");
        write_set(
            &dir,
            "seed 1",
            vec![
                file("result.json", "1"),
                file("report.html", "1"),
                file("charts/a.svg", "1"),
            ],
        );
        let keep = Keep::Previous(Box::new(|name: &str| !name.starts_with("charts/")));
        let outbox = Outbox::new(&dir, &StopFlag::new(), keep).unwrap();
        outbox.put(0, vec![file("report.html", "2"), file("charts/b.svg", "2")]);
        outbox.finish("seed 1").unwrap();
        assert_eq!(
            tree(&dir),
            [
                MANIFEST,
                "charts/",
                "charts/b.svg",
                "report.html",
                "result.json"
            ]
        );
        assert_eq!(fs::read(dir.join("report.html")).unwrap(), b"2");
        assert_eq!(
            read_manifest(&dir).unwrap().files,
            ["charts/b.svg", "report.html", "result.json"]
        );
    }

    #[test]
    fn a_stop_writes_nothing_and_says_what_the_folder_holds() {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join("out");
        write_set(&dir, "seed 1, 64 runs", vec![file("a.txt", "1")]);
        let stop = StopFlag::new();
        let outbox = Outbox::new(&dir, &stop, Keep::Nothing).unwrap();
        outbox.put(0, vec![file("a.txt", "2")]);
        stop.stop();
        outbox.put(1, vec![file("b.txt", "2")]);
        let SetError::Interrupted { previous } = outbox.finish("seed 2").unwrap_err() else {
            panic!("an interruption expected");
        };
        assert_eq!(previous, Previous::Set("seed 1, 64 runs".to_string()));
        assert_eq!(fs::read(dir.join("a.txt")).unwrap(), b"1");
        assert_eq!(tree(&dir), [MANIFEST, "a.txt"]);
        assert_eq!(names(root.path()), ["out"]);
        // A folder that did not exist is not made.
        let fresh = root.path().join("fresh");
        let outbox = Outbox::new(&fresh, &stop, Keep::Nothing).unwrap();
        outbox.put(0, vec![file("a.txt", "2")]);
        assert!(matches!(
            outbox.finish("x"),
            Err(SetError::Interrupted {
                previous: Previous::Absent
            })
        ));
        assert_eq!(names(root.path()), ["out"]);
    }

    #[test]
    fn a_dropped_outbox_leaves_nothing() {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join("out");
        let outbox = Outbox::new(&dir, &StopFlag::new(), Keep::Nothing).unwrap();
        outbox.put(0, vec![file("a.txt", "1")]);
        drop(outbox);
        assert!(names(root.path()).is_empty());
    }

    #[test]
    fn leftovers_of_killed_processes_are_cleared() {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join("out");
        write_set(&dir, "seed 1", vec![file("a.txt", "1")]);
        fs::write(dir.join("notes.txt"), "mine").unwrap();
        // Killed while writing: still marked, holds only new files.
        let writing = root.path().join(".out.pledge-staging-999999998");
        fs::create_dir_all(writing.join("charts")).unwrap();
        fs::write(writing.join(MARKER), "").unwrap();
        fs::write(writing.join("charts/x.svg"), "new").unwrap();
        // Killed just after the exchange: the previous set, a second name of notes.txt, and
        // a file someone made in the folder in that instant.
        let swapped = root.path().join(".out.pledge-staging-999999999");
        fs::create_dir(&swapped).unwrap();
        fs::write(
            swapped.join(MANIFEST),
            Manifest {
                format: MANIFEST_FORMAT.into(),
                set: "seed 0".into(),
                files: vec!["old.txt".into()],
            }
            .to_bytes(),
        )
        .unwrap();
        fs::write(swapped.join("old.txt"), "0").unwrap();
        fs::hard_link(dir.join("notes.txt"), swapped.join("notes.txt")).unwrap();
        fs::write(swapped.join("late.txt"), "mine too").unwrap();
        // A live process's staging folder is left alone.
        let busy = root.path().join(".out.pledge-staging-1");
        let busy_lock = make_staging(&busy).unwrap();

        write_set(&dir, "seed 2", vec![file("a.txt", "2")]);
        assert_eq!(names(root.path()), [".out.pledge-staging-1", "out"]);
        assert_eq!(tree(&dir), [MANIFEST, "a.txt", "late.txt", "notes.txt"]);
        assert_eq!(fs::read(dir.join("late.txt")).unwrap(), b"mine too");
        drop(busy_lock);
        live().retain(|p| *p != busy);
    }

    #[test]
    fn without_an_exchange_the_previous_set_is_put_back_after_a_kill_between_the_renames() {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join("out");
        write_set(&dir, "seed 1", vec![file("a.txt", "1")]);
        let aside = root.path().join(".out.pledge-old-999999999");
        let staging = root.path().join(".out.pledge-staging-999999999");
        fs::create_dir(&staging).unwrap();
        // Killed between the two renames: the folder is missing, the previous set aside.
        fs::rename(&dir, &aside).unwrap();
        write_set(&dir, "seed 2", vec![file("b.txt", "2")]);
        assert_eq!(tree(&dir), [MANIFEST, "b.txt"]);
        assert_eq!(read_manifest(&dir).unwrap().set, "seed 2");
        assert_eq!(names(root.path()), ["out"]);
        // And the two steps themselves.
        fs::create_dir(&staging).unwrap();
        fs::write(staging.join("c.txt"), "3").unwrap();
        let old = swap_in_two_steps(&staging, &dir, &aside, true).unwrap();
        assert_eq!(old.as_deref(), Some(aside.as_path()));
        assert_eq!(tree(&dir), ["c.txt"]);
        assert_eq!(tree(&aside), [MANIFEST, "b.txt"]);
    }

    #[test]
    fn real_paths_resolve_what_exists() {
        let root = tempfile::tempdir().unwrap();
        let real_root = fs::canonicalize(root.path()).unwrap();
        fs::create_dir(root.path().join("a")).unwrap();
        std::os::unix::fs::symlink(root.path().join("a"), root.path().join("link")).unwrap();
        assert_eq!(
            real_path(&root.path().join("link/new/../x")).unwrap(),
            real_root.join("a/x")
        );
        assert_eq!(
            real_path(&root.path().join("a/..")).unwrap(),
            real_root.clone()
        );
    }

    #[test]
    fn writing_through_a_symbolic_link_keeps_the_link() {
        let root = tempfile::tempdir().unwrap();
        fs::create_dir(root.path().join("real")).unwrap();
        let link = root.path().join("link");
        std::os::unix::fs::symlink(root.path().join("real"), &link).unwrap();
        write_set(&link, "one", vec![file("a.txt", "1")]);
        write_set(&link, "two", vec![file("b.txt", "2")]);
        assert!(
            fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(tree(&root.path().join("real")), [MANIFEST, "b.txt"]);
        assert_eq!(names(root.path()), ["link", "real"]);
    }

    #[test]
    fn the_folder_keeps_its_permissions() {
        use std::os::unix::fs::PermissionsExt;
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join("out");
        write_set(&dir, "one", vec![file("a.txt", "1")]);
        fs::set_permissions(&dir, fs::Permissions::from_mode(0o700)).unwrap();
        write_set(&dir, "two", vec![file("a.txt", "2")]);
        let mode = fs::metadata(&dir).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o700);
    }
}
