//! What each `pledge` subcommand does, on validated settings, with no knowledge of the
//! command-line parser: the binary turns flags into these configs and maps the errors to exit
//! codes (2 for bad input, 1 for anything else).

use crate::compare::{self, GoalSpec};
use crate::data::{self, builtin};
use crate::error::{InputError, Location};
use crate::scenario::{self, Scenario};
use crate::summary::Summary;
use crate::{bounds, glance, output};
use std::path::{Path, PathBuf};

/// A failure of a subcommand.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum AppError {
    /// Bad input: a scenario, data file or flag. Exit code 2.
    #[error(transparent)]
    Input(#[from] InputError),
    /// The outputs could not be written. Exit code 1.
    #[error("cannot write to {dir}: {source}")]
    Write {
        /// The output folder.
        dir: PathBuf,
        /// The operating system's reason.
        source: std::io::Error,
    },
}

impl AppError {
    /// The process exit code for this error.
    pub fn exit_code(&self) -> i32 {
        match self {
            AppError::Input(_) => 2,
            AppError::Write { .. } => 1,
        }
    }
}

/// What to run: a scenario file, or goals to compare on the builtin data.
#[derive(Debug, Clone)]
pub enum Study {
    /// `pledge run FILE`.
    File(PathBuf),
    /// `pledge compare --goals .. --horizon ..`.
    Compare {
        /// The goals, the first the reference.
        goals: Vec<GoalSpec>,
        /// The year by which they are reached, and the last year projected.
        horizon: i32,
    },
}

/// Settings of `run` and `compare`.
#[derive(Debug, Clone)]
pub struct RunConfig {
    /// What to run.
    pub study: Study,
    /// Output folder; `None` means `out/<scenario file stem>` or `out/compare`.
    pub out_dir: Option<PathBuf>,
    /// Runs, overriding the scenario's.
    pub runs: Option<u64>,
    /// Seed, overriding the scenario's.
    pub seed: Option<u64>,
}

/// What a finished run produced.
#[derive(Debug)]
pub struct RunReport {
    /// The terminal summary.
    pub glance: String,
    /// The output folder.
    pub out_dir: PathBuf,
    /// The files written.
    pub files: Vec<PathBuf>,
}

/// Loads, projects and writes one study: `summary.csv` and `result.json` (and, for
/// `compare`, the generated `scenario.toml`). Nothing is written unless every input is valid.
pub fn run(config: &RunConfig) -> Result<RunReport, AppError> {
    if let Some(runs) = config.runs {
        if runs == 0 || runs > bounds::MAX_RUNS {
            return Err(InputError::invalid(
                Location::file("--runs"),
                format!("{runs} is out of range; expected 1 to {}", bounds::MAX_RUNS),
            )
            .into());
        }
    }
    let (mut scenario, default_dir, scenario_file) = match &config.study {
        Study::File(path) => {
            let scenario = scenario::load(path)?;
            let stem = path.file_stem().map_or("scenario".into(), |s| s.to_string_lossy());
            (scenario, Path::new("out").join(stem.as_ref()), None)
        }
        Study::Compare { goals, horizon } => {
            let first = builtin::BASE_YEAR + 1;
            if *horizon < first || i64::from(*horizon) > bounds::LAST_YEAR {
                return Err(InputError::invalid(
                    Location::file("--horizon"),
                    format!(
                        "{horizon} is out of range; expected a year from {first} to {}",
                        bounds::LAST_YEAR
                    ),
                )
                .into());
            }
            let text = compare::scenario_toml(
                goals,
                *horizon,
                config.runs.unwrap_or(10_000),
                config.seed.unwrap_or(0),
            );
            let scenario = scenario::parse("scenario.toml", &text, Path::new("."), "compare")?;
            (scenario, Path::new("out").join("compare"), Some(text))
        }
    };
    if let Some(runs) = config.runs {
        scenario.runs = runs;
    }
    if let Some(seed) = config.seed {
        scenario.seed = seed;
    }
    let summary = Summary::central(&scenario);
    let mut files = vec![
        ("summary.csv", output::summary_csv(&scenario, &summary)),
        ("result.json", output::result_json(&scenario, &summary)),
    ];
    if let Some(text) = scenario_file {
        files.push(("scenario.toml", text.into_bytes()));
    }
    let out_dir = config.out_dir.clone().unwrap_or(default_dir);
    let written = output::write_files(&out_dir, &files).map_err(|source| AppError::Write {
        dir: out_dir.clone(),
        source,
    })?;
    Ok(RunReport {
        glance: glance::glance(&scenario, &summary),
        out_dir,
        files: written,
    })
}

/// Checks scenario files without running them. Returns one line per valid file, or the first
/// error per invalid file.
pub fn validate(paths: &[PathBuf]) -> Vec<Result<String, InputError>> {
    paths
        .iter()
        .map(|path| {
            let scenario = scenario::load(path)?;
            Ok(describe(path, &scenario))
        })
        .collect()
}

fn describe(path: &Path, scenario: &Scenario) -> String {
    format!(
        "{}: ok: '{}', {} goal(s), {} item(s), {} group(s), {}-{}, {} runs, seed {}",
        path.display(),
        scenario.title,
        scenario.goals.len(),
        scenario.items.len(),
        scenario.groups.len(),
        scenario.base_year(),
        scenario.horizon,
        scenario.runs,
        scenario.seed
    )
}

/// Which builtin table `pledge data` shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DataTable {
    /// The 32 allies.
    Allies,
    /// The production lines.
    Items,
}

/// How `pledge data` writes a table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DataFormat {
    /// Aligned columns for reading, sources left out.
    Table,
    /// CSV with every column, sources included; can be passed back in `[data]`.
    Csv,
    /// JSON array of objects, sources included.
    Json,
}

/// The builtin `table` in `format`, as bytes for stdout.
pub fn data(table: DataTable, format: DataFormat) -> Vec<u8> {
    let allies = data::parse_allies(builtin::ORIGIN, builtin::ALLIES_CSV)
        .expect("the builtin allies are valid (tested)");
    let items = data::parse_items(builtin::ORIGIN, builtin::ITEMS_CSV)
        .expect("the builtin items are valid (tested)");
    match (table, format) {
        (DataTable::Allies, DataFormat::Csv) => data::allies_to_csv(&allies),
        (DataTable::Items, DataFormat::Csv) => data::items_to_csv(&items),
        (DataTable::Allies, DataFormat::Json) => json_lines(&allies),
        (DataTable::Items, DataFormat::Json) => json_lines(&items),
        (DataTable::Allies, DataFormat::Table) => crate::data::tables::allies_table(&allies),
        (DataTable::Items, DataFormat::Table) => crate::data::tables::items_table(&items),
    }
}

fn json_lines<T: serde::Serialize>(rows: &[T]) -> Vec<u8> {
    let mut bytes = serde_json::to_vec_pretty(rows).expect("JSON serialization cannot fail");
    bytes.push(b'\n');
    bytes
}
