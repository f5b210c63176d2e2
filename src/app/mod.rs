//! What each `pledge` subcommand does, on validated settings, with no knowledge of the
//! command-line parser: the binary turns flags into these configs and maps the errors to exit
//! codes (2 for bad input, 1 for anything else).

mod backtest;
mod estimate;
mod import;

pub use backtest::{BacktestConfig, ComplianceChoice, backtest};
pub use estimate::{Estimate, Outputs, values_per_run};
pub use import::{TOTAL_TOLERANCE, import_nato};

use crate::compare::{self, GoalSpec};
use crate::data::{self, builtin};
use crate::error::{InputError, Location};
use crate::mc::convergence::{Convergence, run_until_stable};
use crate::mc::{self, Engine};
use crate::model::Model;
use crate::output::{self, Outbox};
use crate::report::{self, PackFormats, Results};
use crate::scenario::{self, Scenario};
use crate::shard::{self, ShardSpec, ShardState};
use crate::summary::Summary;
use crate::{bounds, glance};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

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
        /// The compliance assumed.
        compliance: ComplianceChoice,
    },
}

/// How many Monte Carlo runs to make.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Runs {
    /// The scenario's `runs`.
    FromScenario,
    /// Exactly this many.
    Fixed(u64),
    /// Until the headline P50 and P90 are stable (see [`crate::mc::convergence`]).
    Auto {
        /// Largest relative change allowed between checkpoints, %.
        tolerance_pct: f64,
        /// Most runs.
        max_runs: u64,
    },
}

/// Settings of `run` and `compare`.
#[derive(Debug, Clone)]
pub struct RunConfig {
    /// What to run.
    pub study: Study,
    /// Output folder; `None` means `out/<scenario file stem>` or `out/compare`.
    pub out_dir: Option<PathBuf>,
    /// How many runs.
    pub runs: Runs,
    /// Seed, overriding the scenario's.
    pub seed: Option<u64>,
    /// Worker threads; `None` uses every core.
    pub threads: Option<usize>,
    /// Run only this slice of the runs and save a partial state.
    pub shard: Option<ShardSpec>,
    /// Which parts of the briefing pack to write beside the results.
    pub pack: PackFormats,
}

/// Runs done so far and runs planned, for a progress display on another thread.
#[derive(Debug, Default)]
pub struct Progress {
    /// Runs finished.
    pub done: AtomicU64,
    /// Runs planned (for `--runs auto`, the maximum).
    pub total: AtomicU64,
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

/// Loads, projects, runs the Monte Carlo and writes one study: `summary.csv` and `result.json`
/// (and, for `compare`, the generated `scenario.toml`), or with a shard its partial state.
/// Nothing is written unless every input is valid.
pub fn run(config: &RunConfig, progress: &Progress) -> Result<RunReport, AppError> {
    let runs_flag = check_flags(config)?;
    let (mut scenario, default_dir) = load_study(config, runs_flag)?;
    if let Some(runs) = runs_flag {
        scenario.runs = runs;
    }
    if let Some(seed) = config.seed {
        scenario.seed = seed;
    }
    let shard_blocks = config.shard.map(|s| s.blocks(scenario.runs)).transpose()?;
    let out_dir = config.out_dir.clone().unwrap_or(default_dir);
    // Before the runs, so that a folder that cannot be made fails at once.
    let outbox = outbox(&out_dir)?;

    let model = Model::new(&scenario);
    let summary = Summary::central_with(&scenario, &model);
    let engine = Engine::new(
        &scenario,
        &model,
        summary.variation(),
        summary.headline(&scenario),
    );
    let pool = thread_pool(config.threads)?;

    if let (Some(shard), Some(blocks)) = (config.shard, shard_blocks) {
        let runs_in_shard =
            mc::first_run(blocks.end, scenario.runs) - mc::first_run(blocks.start, scenario.runs);
        progress.total.store(runs_in_shard, Ordering::Relaxed);
        let accumulator =
            pool.install(|| engine.simulate(blocks.clone(), scenario.runs, &progress.done));
        let state = ShardState::new(&scenario, shard, blocks, accumulator);
        outbox.put(SLOT_RESULTS, vec![(shard.file_name(), state.to_bytes())]);
        let files = finish(&out_dir, outbox, Ok(()))?;
        return Ok(RunReport {
            glance: format!(
                "{}: shard {}/{}, {runs_in_shard} of {} runs (seed {}). Merge all shards with `pledge merge`.\n",
                scenario.title, shard.index, shard.count, scenario.runs, scenario.seed
            ),
            out_dir,
            files,
        });
    }

    let (accumulator, convergence) = match config.runs {
        Runs::Auto {
            tolerance_pct,
            max_runs,
        } => {
            progress.total.store(max_runs, Ordering::Relaxed);
            let (accumulator, convergence) =
                pool.install(|| run_until_stable(&engine, tolerance_pct, max_runs, &progress.done));
            scenario.runs = accumulator.runs();
            (accumulator, Some(convergence))
        }
        _ => {
            progress.total.store(scenario.runs, Ordering::Relaxed);
            let blocks = 0..mc::block_count(scenario.runs);
            let accumulator =
                pool.install(|| engine.simulate(blocks, scenario.runs, &progress.done));
            (accumulator, None)
        }
    };
    let summary = summary.with_monte_carlo(&accumulator);
    // The result files and the briefing pack are independent: build them side by side, on
    // the same worker threads as the runs (a second pool would compete with the first), and
    // write each file as soon as it is made.
    let packed = pool.install(|| {
        put_outputs(
            &outbox,
            &scenario,
            &summary,
            convergence.as_ref(),
            config.pack,
        )
    });
    if let Study::Compare {
        goals,
        horizon,
        compliance,
    } = &config.study
    {
        // Written after the runs, so `--runs auto` records the runs it made.
        let text = compare::scenario_toml(
            goals,
            *horizon,
            scenario.runs,
            scenario.seed,
            &scenario.compliance,
            &compliance.describe(),
        );
        outbox.put(
            SLOT_SCENARIO,
            vec![("scenario.toml".to_string(), text.into_bytes())],
        );
    }
    let files_written = finish(&out_dir, outbox, packed)?;
    Ok(RunReport {
        glance: glance::glance(&scenario, &summary, convergence.as_ref()),
        out_dir,
        files: files_written,
    })
}

/// Combines the partial states of `pledge run --shard` into the outputs of the whole study,
/// byte-identical to an unsharded run.
pub fn merge(states: &[PathBuf], out_dir: &Path, pack: PackFormats) -> Result<RunReport, AppError> {
    let states = shard::read_states(states)?;
    let (scenario, accumulator) = shard::merge(&states)?;
    let summary = Summary::central(&scenario).with_monte_carlo(&accumulator);
    let outbox = outbox(out_dir)?;
    let packed = put_outputs(&outbox, &scenario, &summary, None, pack);
    let written = finish(out_dir, outbox, packed)?;
    Ok(RunReport {
        glance: glance::glance(&scenario, &summary, None),
        out_dir: out_dir.to_path_buf(),
        files: written,
    })
}

/// Rebuilds the briefing pack in `out_dir` from `dir/result.json`, without running the model.
pub fn report(dir: &Path, out_dir: &Path, formats: PackFormats) -> Result<RunReport, AppError> {
    let path = dir.join("result.json");
    let bytes = std::fs::read(&path).map_err(|source| InputError::Read {
        path: path.clone(),
        source,
    })?;
    let results = Results::from_json(&path.display().to_string(), &bytes)?;
    let outbox = outbox(out_dir)?;
    let packed = report::pack_into(&results, formats, &|rank, files| {
        outbox.put(SLOT_PACK + u64::from(rank), files);
    });
    let written = finish(out_dir, outbox, packed)?;
    Ok(RunReport {
        glance: String::new(),
        out_dir: out_dir.to_path_buf(),
        files: written,
    })
}

/// Where each group of files comes in the list of files written: the result files, the
/// compare scenario, then the briefing pack in its own order.
const SLOT_RESULTS: u64 = 0;
const SLOT_SCENARIO: u64 = 1;
const SLOT_PACK: u64 = 2;

/// Builds `summary.csv`, `result.json` and the briefing pack side by side on the current
/// rayon pool, handing each file to `outbox` as soon as it is made. Fails only when the
/// workbook cannot be made; the other files are handed over all the same.
fn put_outputs(
    outbox: &Outbox,
    scenario: &Scenario,
    summary: &Summary,
    convergence: Option<&Convergence>,
    pack: PackFormats,
) -> std::io::Result<()> {
    let ((), packed) = rayon::join(
        || {
            let (json, csv) = rayon::join(
                || output::result_json(scenario, summary, convergence),
                || output::summary_csv(scenario, summary),
            );
            outbox.put(
                SLOT_RESULTS,
                vec![
                    ("summary.csv".to_string(), csv),
                    ("result.json".to_string(), json),
                ],
            );
        },
        || put_pack(outbox, scenario, summary, pack),
    );
    packed
}

/// Builds the briefing pack of results just made, from memory, and writes each part as it
/// is made.
fn put_pack(
    outbox: &Outbox,
    scenario: &Scenario,
    summary: &Summary,
    formats: PackFormats,
) -> std::io::Result<()> {
    if formats == PackFormats::NONE {
        return Ok(());
    }
    let results = Results::from_summary(scenario, summary);
    report::pack_into(&results, formats, &|rank, files| {
        outbox.put(SLOT_PACK + u64::from(rank), files);
    })
}

/// Checks the flags of `run` and `compare` that the scenario does not check; returns
/// `--runs N` when given.
fn check_flags(config: &RunConfig) -> Result<Option<u64>, AppError> {
    let runs_flag = match config.runs {
        Runs::Fixed(n) => Some(n),
        _ => None,
    };
    if let Some(runs) = runs_flag {
        bounds::runs(i128::from(runs)).map_err(|why| flag_error("--runs", why))?;
    }
    if let Runs::Auto {
        tolerance_pct,
        max_runs,
    } = config.runs
    {
        let resolution_pct = 100.0 * mc::RELATIVE_ERROR;
        if !(tolerance_pct >= resolution_pct && tolerance_pct <= 100.0) {
            return Err(flag_error(
                "--tolerance",
                format!(
                    "{tolerance_pct} is out of range; expected a percentage from {resolution_pct} (the resolution of the reported percentiles) to 100"
                ),
            ));
        }
        bounds::runs(i128::from(max_runs)).map_err(|why| flag_error("--max-runs", why))?;
        if config.shard.is_some() {
            return Err(flag_error(
                "--shard",
                "cannot be combined with --runs auto; give a number of runs".into(),
            ));
        }
    }
    if config.threads == Some(0) {
        return Err(flag_error(
            "--threads",
            "0 is out of range; expected at least 1".into(),
        ));
    }
    Ok(runs_flag)
}

fn flag_error(flag: &str, message: String) -> AppError {
    InputError::invalid(Location::file(flag), message).into()
}

fn thread_pool(threads: Option<usize>) -> Result<rayon::ThreadPool, AppError> {
    let mut builder = rayon::ThreadPoolBuilder::new();
    if let Some(n) = threads {
        builder = builder.num_threads(n);
    }
    builder
        .build()
        .map_err(|e| flag_error("--threads", format!("cannot start worker threads: {e}")))
}

/// An outbox into `dir`, or why the folder cannot be made.
fn outbox(dir: &Path) -> Result<Outbox, AppError> {
    Outbox::new(dir).map_err(|source| write_error(dir, source))
}

/// Waits for the outbox; the files it wrote, or the first that failed, or else why the
/// files made (`made`) are not all there.
fn finish(dir: &Path, outbox: Outbox, made: std::io::Result<()>) -> Result<Vec<PathBuf>, AppError> {
    let written = outbox.finish().map_err(|source| write_error(dir, source))?;
    made.map_err(|source| write_error(dir, source))?;
    Ok(written)
}

fn write_error(dir: &Path, source: std::io::Error) -> AppError {
    AppError::Write {
        dir: dir.to_path_buf(),
        source,
    }
}

/// The study's scenario and its default output folder.
fn load_study(config: &RunConfig, runs_flag: Option<u64>) -> Result<(Scenario, PathBuf), AppError> {
    match &config.study {
        Study::File(path) => {
            let scenario = scenario::load(path)?;
            let stem = path
                .file_stem()
                .map_or("scenario".into(), |s| s.to_string_lossy());
            Ok((scenario, Path::new("out").join(stem.as_ref())))
        }
        Study::Compare {
            goals,
            horizon,
            compliance,
        } => {
            let first = builtin::BASE_YEAR + 1;
            if *horizon < first || i64::from(*horizon) > bounds::LAST_YEAR {
                return Err(flag_error(
                    "--horizon",
                    format!(
                        "{horizon} is out of range; expected a year from {first} to {}",
                        bounds::LAST_YEAR
                    ),
                ));
            }
            let text = compare::scenario_toml(
                goals,
                *horizon,
                runs_flag.unwrap_or(10_000),
                config.seed.unwrap_or(0),
                &compliance.resolve()?,
                &compliance.describe(),
            );
            let mut scenario = scenario::parse("scenario.toml", &text, Path::new("."), "compare")?;
            // Written beside the results, from where it reruns.
            scenario.file = Some("scenario.toml".to_string());
            Ok((scenario, Path::new("out").join("compare")))
        }
    }
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
    /// The production lines' announced capacity plans.
    CapacityPlans,
    /// Allies' declared spending paths.
    Plans,
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
    let milestones = |kind: &data::MilestoneKind, text: &str, footer: &str| {
        let rows = data::parse_milestones(kind, builtin::ORIGIN, text, builtin::BASE_YEAR)
            .expect("the builtin milestone tables are valid (tested)");
        match format {
            DataFormat::Csv => data::milestones_to_csv(kind, &rows),
            DataFormat::Json => json_lines(&data::milestones_to_json(kind, &rows)),
            DataFormat::Table => data::tables::milestones_table(kind, &rows, footer),
        }
    };
    match table {
        DataTable::CapacityPlans => milestones(
            &data::CAPACITY_PLANS,
            builtin::CAPACITY_PLANS_CSV,
            "Announced capacities in units per year; a run delivers the share plan_attainment \
             of each increase ([capacity] in a scenario).",
        ),
        DataTable::Plans => milestones(
            &data::DECLARED_PLANS,
            builtin::PLANS_CSV,
            "Declared core defence spending, % of GDP (national definitions can exceed NATO's); \
             a goal with plans = \"declared\" follows them.",
        ),
        DataTable::Allies => {
            let allies = data::parse_allies(builtin::ORIGIN, builtin::ALLIES_CSV)
                .expect("the builtin allies are valid (tested)");
            match format {
                DataFormat::Csv => data::allies_to_csv(&allies),
                DataFormat::Json => json_lines(&allies),
                DataFormat::Table => data::tables::allies_table(&allies),
            }
        }
        DataTable::Items => {
            let items = data::parse_items(builtin::ORIGIN, builtin::ITEMS_CSV)
                .expect("the builtin items are valid (tested)");
            match format {
                DataFormat::Csv => data::items_to_csv(&items),
                DataFormat::Json => json_lines(&data::items_to_json(&items)),
                DataFormat::Table => data::tables::items_table(&items),
            }
        }
    }
}

fn json_lines<T: serde::Serialize + ?Sized>(rows: &T) -> Vec<u8> {
    let mut bytes = serde_json::to_vec_pretty(rows).expect("JSON serialization cannot fail");
    bytes.push(b'\n');
    bytes
}
