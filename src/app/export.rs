//! `pledge export DIR --shareable --out FILE`: the aggregate export for industry, made from a
//! finished run's `DIR/result.json` (the rules and the format are in [`crate::export`]).

use super::{AppError, RunReport, finish, outbox};
use crate::error::{InputError, Location};
use crate::export::{self, Rules};
use crate::output::{Keep, StopFlag};
use crate::results::Results;
use serde_json::Value;
use std::path::{Path, PathBuf};

/// Settings of `export`, as given on the command line; [`export`] checks them.
#[derive(Debug, Clone)]
pub struct ExportConfig {
    /// The run's folder, holding `result.json`.
    pub dir: PathBuf,
    /// The file to write.
    pub file: PathBuf,
    /// Whether `--shareable` was given. It is the only export, and it is required so that the
    /// intent to share is explicit.
    pub shareable: bool,
    /// `--min-allies`: `k`, at least 2.
    pub min_allies: i64,
    /// `--max-share-pct`: `p`, greater than 0 and at most 100.
    pub max_share_pct: f64,
}

/// Writes the shareable export of `dir/result.json` to the configured file, atomically (a
/// temporary file in the same folder, then a rename, by [`crate::output::Outbox`]). Every
/// input is checked before anything is written.
pub fn export(config: &ExportConfig, stop: &StopFlag) -> Result<RunReport, AppError> {
    if !config.shareable {
        return Err(InputError::invalid(
            Location::file("--shareable"),
            "is required: the only export is the aggregate that may be shared with industry; add \
             --shareable to say that this is what you want",
        )
        .into());
    }
    let rules = Rules::new(config.min_allies, config.max_share_pct)?;
    let (folder, name) = target(&config.file)?;
    refuse_run_folder(&folder, &name)?;
    let path = config.dir.join("result.json");
    let bytes = crate::input::read_bytes(
        &path,
        crate::bounds::RESULT_JSON_BYTES,
        "a result.json written by pledge",
    )?;
    let file = path.display().to_string();
    let results = Results::from_json(&file, &bytes)?;
    let document = export::shareable(&file, &results, &rules)?;
    // One file added to the folder: everything already there stays (a run's own files too).
    let outbox = outbox(&folder, stop, Keep::Previous(Box::new(|_: &str| true)))?;
    outbox.put(0, vec![(name, export::json_bytes(&document))]);
    let committed = finish(&folder, outbox, "shareable export", Ok(()))?;
    Ok(RunReport::new(
        glance(&document, &rules),
        &folder,
        committed,
    ))
}

/// The folder and file name of `--out FILE`.
fn target(file: &Path) -> Result<(PathBuf, String), InputError> {
    let refuse = |what: &str| {
        InputError::invalid(
            Location::file("--out"),
            format!(
                "'{}' {what}; expected the path of a file such as shareable.json",
                file.display()
            ),
        )
    };
    if file.is_dir() {
        return Err(refuse("is a folder"));
    }
    let name = file
        .file_name()
        .ok_or_else(|| refuse("names no file"))?
        .to_string_lossy()
        .into_owned();
    let folder = match file.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
        _ => PathBuf::from("."),
    };
    Ok((folder, name))
}

/// Refuses a run's folder (one holding `result.json` or `summary.csv`) as the destination.
fn refuse_run_folder(folder: &Path, name: &str) -> Result<(), InputError> {
    // A run's folder holds per-ally figures, and its next run replaces what it holds: the
    // file to share goes elsewhere.
    for run_file in ["result.json", "summary.csv"] {
        if folder.join(run_file).exists() {
            return Err(InputError::invalid(
                Location::file("--out"),
                format!(
                    "{} is a run's folder (it holds {run_file}, with per-ally figures, and the \
                     next run into it replaces its files); write the file to share elsewhere, \
                     such as shareable/{name}",
                    folder.display()
                ),
            ));
        }
    }
    Ok(())
}

/// The terminal summary: what was published, what was withheld and why.
fn glance(document: &Value, rules: &Rules) -> String {
    let count = |key: &str| document[key].as_array().map_or(0, Vec::len);
    let text = |v: &Value| v.as_str().unwrap_or_default().to_string();
    let withheld = document["withheld"].as_array().cloned().unwrap_or_default();
    let whole: usize = withheld.iter().filter(|w| w["goal"].is_null()).count();
    let mut out = format!(
        "Shareable export: every figure aggregates at least {} allies, none above {}% \
         (contribution: share of the buyers' base-year equipment spending)\n\
         {} of {} items published, {} rows (item, goal, year)\n",
        rules.min_allies(),
        rules.max_share_pct(),
        count("items"),
        count("items") + whole,
        count("published"),
    );
    if !withheld.is_empty() {
        out.push_str("Withheld:\n");
    }
    for w in &withheld {
        let goal = match w["goal"].as_str() {
            Some(goal) => format!(" under goal '{goal}'"),
            None => String::new(),
        };
        out.push_str(&format!(
            "  {}{goal}: {} ({})\n",
            text(&w["item"]),
            text(&w["reason"]),
            text(&w["rule"])
        ));
    }
    out
}
