//! What each `pledge` subcommand does, on validated settings, with no knowledge of the
//! command-line parser: the binary turns flags into these configs and maps the errors to exit
//! codes (2 for bad input, 1 for anything else).

mod backtest;
pub mod compare;
mod estimate;
mod export;
mod import;
pub mod shard;
mod target;

pub use crate::output::{Previous, StopFlag};
pub use backtest::{BacktestConfig, ComplianceChoice, backtest};
pub use estimate::{Estimate, Outputs};
pub use export::{ExportConfig, export};
pub use import::{TOTAL_TOLERANCE, import_nato};
pub use target::{PreparedTarget, TargetConfig, prepare_target, target};

use crate::bounds;
use crate::data::{self, builtin};
use crate::error::{InputError, Location};
use crate::mc::convergence::run_until_stable;
use crate::mc::summary::Summary;
use crate::mc::{self, Engine};
use crate::model::Model;
use crate::output::glance;
use crate::output::{self, Committed, Keep, Outbox, SetError};
use crate::report::{self, Currency, PackFormats, PackOptions};
use crate::results::{Results, Sensitivity};
use crate::scenario::{self, Scenario};
use compare::GoalSpec;
use shard::{ShardSpec, ShardState};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

/// A failure of a subcommand.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum AppError {
    /// Bad input: a scenario, data file or flag. Exit code 2.
    #[error(transparent)]
    Input(#[from] InputError),
    /// The outputs could not be written; the output folder holds what it held before. Exit
    /// code 1.
    #[error("cannot write {}: {source}", path.display())]
    Write {
        /// The file that failed, or the folder when no file is to blame.
        path: PathBuf,
        /// The operating system's reason.
        source: std::io::Error,
    },
    /// A stop was asked for (Ctrl-C, SIGTERM) before the outputs were in place. Exit code 130.
    #[error("interrupted: nothing written; {}", previous_text(dir, previous))]
    Interrupted {
        /// The output folder.
        dir: PathBuf,
        /// What it still holds.
        previous: Previous,
    },
}

impl AppError {
    /// The process exit code for this error.
    pub fn exit_code(&self) -> i32 {
        match self {
            AppError::Input(_) => 2,
            AppError::Write { .. } => 1,
            AppError::Interrupted { .. } => 130,
        }
    }
}

fn previous_text(dir: &Path, previous: &Previous) -> String {
    let dir = dir.display();
    match previous {
        Previous::Set(set) => format!("{dir} still holds the previous run ({set})"),
        Previous::Unlisted => format!("{dir} is as it was"),
        Previous::Absent => format!("{dir} was not created"),
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
    /// Which parts of the briefing pack to write beside the results, and the currency of its
    /// money.
    pub pack: PackOptions,
}

/// Whether [`prepare`] refuses a run whose [`Estimate`] is over the limits (8 GB of memory,
/// 1 hour, 1 GB of files).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Limits {
    /// Refuse it (exit 2, naming `--allow-large`); without `--threads`, use fewer threads than
    /// cores when that keeps the memory within the limit.
    Enforced,
    /// Run it (`--allow-large`).
    Lifted,
}

/// Runs done so far and runs planned, for a progress display on another thread, and the flag
/// that asks the work to stop.
#[derive(Debug, Default)]
pub struct Progress {
    /// Runs finished.
    pub done: AtomicU64,
    /// Runs planned (for `--runs auto`, the maximum).
    pub total: AtomicU64,
    /// Set to stop: checked between steps of the runs and by the writer; nothing is written.
    pub stop: StopFlag,
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
    /// Entries of the output folder that pledge did not write, kept, relative to it.
    pub kept: Vec<PathBuf>,
    /// Things the user should know that did not fail the command.
    pub warnings: Vec<String>,
}

impl RunReport {
    fn new(glance: String, out_dir: &Path, committed: Committed) -> RunReport {
        RunReport {
            glance,
            out_dir: out_dir.to_path_buf(),
            files: committed.files,
            kept: committed.kept,
            warnings: committed.warnings,
        }
    }
}

/// A run or compare checked and estimated, its output folder ready: what [`prepare`] returns
/// and [`Prepared::run`] carries out.
#[derive(Debug)]
pub struct Prepared {
    config: RunConfig,
    scenario: Scenario,
    out_dir: PathBuf,
    outbox: Outbox,
    shard_blocks: Option<Range<u64>>,
    estimate: Estimate,
}

/// Loads, projects, runs the Monte Carlo and writes one study: `summary.csv` and `result.json`
/// (and, for `compare`, the generated `scenario.toml`), or with a shard its partial state.
/// Nothing is written unless every input is valid, and nothing unless the whole set is.
pub fn run(config: &RunConfig, progress: &Progress) -> Result<RunReport, AppError> {
    prepare(config, Limits::Enforced, progress)?.run(progress)
}

/// Everything [`run`] does before the runs: checks the flags and the scenario, estimates the
/// run (refusing one over the limits when they are [`Limits::Enforced`]), and makes the output
/// folder's outbox, so that a folder that cannot be made fails at once. Nothing large is
/// allocated.
pub fn prepare(
    config: &RunConfig,
    limits: Limits,
    progress: &Progress,
) -> Result<Prepared, AppError> {
    let runs_flag = check_flags(config)?;
    let (mut scenario, default_dir) = load_study(config, runs_flag)?;
    if let Some(runs) = runs_flag {
        scenario.runs = runs;
    }
    if let Some(seed) = config.seed {
        scenario.seed = seed;
    }
    check_currency(config.pack.currency, scenario.base_year())?;
    let shard_blocks = config.shard.map(|s| s.blocks(scenario.runs)).transpose()?;
    let estimate = estimate_run(config, limits, &scenario, shard_blocks.as_ref(), runs_flag)?;
    let out_dir = config.out_dir.clone().unwrap_or(default_dir);
    let keep = if config.shard.is_some() {
        keep_shard_states()
    } else {
        Keep::Nothing
    };
    let outbox = outbox(&out_dir, &progress.stop, keep)?;
    Ok(Prepared {
        config: config.clone(),
        scenario,
        out_dir,
        outbox,
        shard_blocks,
        estimate,
    })
}

impl Prepared {
    /// What the run will take.
    pub fn estimate(&self) -> &Estimate {
        &self.estimate
    }

    /// Runs the Monte Carlo and writes the study. A stop asked for through `progress` ends
    /// the runs at the next step (a quarter of a second of work; `--runs auto` only between
    /// its checkpoints) and writes nothing.
    pub fn run(self, progress: &Progress) -> Result<RunReport, AppError> {
        let Prepared {
            config,
            mut scenario,
            out_dir,
            outbox,
            shard_blocks,
            estimate,
        } = self;
        let stopped = |outbox: Outbox| AppError::Interrupted {
            dir: out_dir.clone(),
            previous: outbox.abandon(),
        };
        if progress.stop.is_set() {
            return Err(stopped(outbox));
        }
        let model = Model::new(&scenario);
        let summary = Summary::central_with(&scenario, &model);
        let engine = summary.engine(&scenario, &model);
        let pool = thread_pool(Some(estimate.threads))?;
        let step = estimate.blocks_per_step();

        if let (Some(shard), Some(blocks)) = (config.shard, shard_blocks) {
            let runs_in_shard = mc::first_run(blocks.end, scenario.runs)
                - mc::first_run(blocks.start, scenario.runs);
            progress.total.store(runs_in_shard, Ordering::Relaxed);
            let Some(accumulator) = simulate_in_steps(
                &pool,
                &engine,
                blocks.clone(),
                scenario.runs,
                progress,
                step,
            ) else {
                return Err(stopped(outbox));
            };
            let state = ShardState::new(&scenario, shard, blocks, accumulator);
            outbox.put(SLOT_RESULTS, vec![(shard.file_name(), state.to_bytes())]);
            let set = format!(
                "shard {}/{} of seed {}, {} runs",
                shard.index, shard.count, scenario.seed, scenario.runs
            );
            let committed = finish(&out_dir, outbox, &set, Ok(()))?;
            let glance = format!(
                "{}: shard {}/{}, {runs_in_shard} of {} runs (seed {}). Merge all shards with `pledge merge`.\n",
                scenario.title, shard.index, shard.count, scenario.runs, scenario.seed
            );
            return Ok(RunReport::new(glance, &out_dir, committed));
        }

        let (accumulator, convergence) = match config.runs {
            Runs::Auto {
                tolerance_pct,
                max_runs,
            } => {
                progress.total.store(max_runs, Ordering::Relaxed);
                let (accumulator, convergence) = pool
                    .install(|| run_until_stable(&engine, tolerance_pct, max_runs, &progress.done));
                scenario.runs = accumulator.runs();
                (Some(accumulator), Some(convergence))
            }
            _ => {
                progress.total.store(scenario.runs, Ordering::Relaxed);
                let blocks = 0..mc::block_count(scenario.runs);
                let accumulator =
                    simulate_in_steps(&pool, &engine, blocks, scenario.runs, progress, step);
                (accumulator, None)
            }
        };
        let Some(accumulator) = accumulator.filter(|_| !progress.stop.is_set()) else {
            return Err(stopped(outbox));
        };
        let results = Results::from_summary(&scenario, &summary.with_monte_carlo(&accumulator))
            .with_convergence(convergence);
        // The result files and the briefing pack are independent: build them side by side, on
        // the same worker threads as the runs (a second pool would compete with the first), and
        // write each file as soon as it is made.
        let Ok(sensitivity) = pool.install(|| Sensitivity::compute(&results, &progress.stop))
        else {
            return Err(stopped(outbox));
        };
        let packed =
            pool.install(|| put_outputs(&outbox, &results, sensitivity.as_ref(), config.pack));
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
        let committed = finish(&out_dir, outbox, &set_name(&scenario), packed)?;
        Ok(RunReport::new(
            glance::glance(&results, config.pack.currency),
            &out_dir,
            committed,
        ))
    }
}

/// Keeps the shard states of the previous set: shards written into one folder stay side by
/// side, and merging into that folder keeps them.
fn keep_shard_states() -> Keep {
    Keep::Previous(Box::new(|name: &str| {
        name.starts_with("shard-") && name.ends_with(".json") && !name.contains('/')
    }))
}

/// How a set of results is named in its manifest, and in the message of a later command that
/// is interrupted: `seed 1, 300 runs`.
fn set_name(scenario: &Scenario) -> String {
    format!("seed {}, {} runs", scenario.seed, scenario.runs)
}

/// The statistics of `blocks`, simulated `step` blocks at a time on `pool`, checking for a
/// stop between steps; `None` when stopped. Accumulators merge exactly, so the steps do not
/// change a bit of the result.
fn simulate_in_steps(
    pool: &rayon::ThreadPool,
    engine: &Engine,
    blocks: Range<u64>,
    runs: u64,
    progress: &Progress,
    step: u64,
) -> Option<mc::Accumulator> {
    let mut total: Option<mc::Accumulator> = None;
    let mut start = blocks.start;
    loop {
        if progress.stop.is_set() {
            return None;
        }
        let end = blocks.end.min(start.saturating_add(step.max(1)));
        let part = pool.install(|| engine.simulate(start..end, runs, &progress.done));
        match total.as_mut() {
            Some(total) => total.merge(&part),
            None => total = Some(part),
        }
        start = end;
        if start >= blocks.end {
            return total;
        }
    }
}

/// The estimate of a run, with its threads: `--threads`, or every core unless that needs more
/// memory than allowed. Refuses a run over the limits unless `--allow-large`.
fn estimate_run(
    config: &RunConfig,
    limits: Limits,
    scenario: &Scenario,
    shard_blocks: Option<&Range<u64>>,
    runs_flag: Option<u64>,
) -> Result<Estimate, AppError> {
    let values = scenario.values_per_run();
    let outputs = match (config.shard, config.pack.formats == PackFormats::NONE) {
        (Some(_), _) => Outputs::ShardState,
        (None, true) => Outputs::Results,
        (None, false) => Outputs::ResultsAndPack,
    };
    let (runs, at_most) = match (config.runs, shard_blocks) {
        (Runs::Auto { max_runs, .. }, _) => (max_runs, true),
        (_, Some(blocks)) => (
            mc::first_run(blocks.end, scenario.runs) - mc::first_run(blocks.start, scenario.runs),
            false,
        ),
        _ => (scenario.runs, false),
    };
    let cores = cores();
    let threads = match config.threads {
        Some(n) => n,
        None if limits == Limits::Lifted => cores,
        None => Estimate::threads_fitting(values, cores, outputs),
    };
    let mut estimate = Estimate::new(values, runs, at_most, threads, cores, outputs);
    if outputs != Outputs::ShardState {
        let kept = crate::results::sensitivity::values_per_run_bound(scenario);
        estimate = estimate.with_sensitivity(values, kept, cores);
    }
    let over = estimate.over_limits();
    if limits == Limits::Lifted || over.is_empty() {
        return Ok(estimate);
    }
    let location = match (&config.study, config.runs) {
        (_, Runs::Auto { .. }) if estimate.memory_bytes <= estimate::MAX_MEMORY_BYTES => {
            "--max-runs".to_string()
        }
        _ if runs_flag.is_some() && over.len() == 1 && over[0].starts_with("would take") => {
            "--runs".to_string()
        }
        (Study::File(path), _) => path.display().to_string(),
        (Study::Compare { .. }, _) => "--goals".to_string(),
    };
    let goals = scenario.goals.len();
    let years = scenario.years().count();
    Err(InputError::invalid(
        Location::file(location),
        format!(
            "too large to run: {} values per run ({} × {} × {} and {}) × {} runs {}; \
             make it smaller (fewer goals, years, groups, items or runs) or pass --allow-large \
             to run it anyway",
            crate::text::grouped(values as f64, 0),
            count_text(goals, "goal"),
            count_text(years, "year"),
            count_text(scenario.groups.len(), "group"),
            count_text(scenario.items.len(), "item"),
            crate::text::grouped(runs as f64, 0),
            over.join(" and ")
        ),
    )
    .into())
}

fn count_text(n: usize, what: &str) -> String {
    if n == 1 {
        format!("1 {what}")
    } else {
        format!("{} {what}s", crate::text::grouped(n as f64, 0))
    }
}

/// The machine's cores (1 if unknown).
fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// Combines the partial states of `pledge run --shard` into the outputs of the whole study,
/// byte-identical to an unsharded run. Merged into a folder of shards, the shards stay.
pub fn merge(
    states: &[PathBuf],
    out_dir: &Path,
    pack: PackOptions,
    stop: &StopFlag,
) -> Result<RunReport, AppError> {
    let states = shard::read_states(states)?;
    let (scenario, accumulator) = shard::merge(&states)?;
    check_currency(pack.currency, scenario.base_year())?;
    let outbox = outbox(out_dir, stop, keep_shard_states())?;
    let summary = Summary::central(&scenario).with_monte_carlo(&accumulator);
    let results = Results::from_summary(&scenario, &summary);
    let (sensitivity, outbox) = sensitivity_or_stop(&results, out_dir, outbox, stop)?;
    let packed = put_outputs(&outbox, &results, sensitivity.as_ref(), pack);
    let committed = finish(out_dir, outbox, &set_name(&scenario), packed)?;
    Ok(RunReport::new(
        glance::glance(&results, pack.currency),
        out_dir,
        committed,
    ))
}

/// The sensitivity of `results` (none without runs), on the current rayon pool; a stop
/// abandons `outbox` and is an interrupt. The outbox is given back when it goes on.
fn sensitivity_or_stop(
    results: &Results,
    dir: &Path,
    outbox: Outbox,
    stop: &StopFlag,
) -> Result<(Option<Sensitivity>, Outbox), AppError> {
    // A result.json read back was checked against itself, but one forged with its input hash
    // recomputed can still break what the model trusts: refused, not a panic.
    match shard::quietly(|| Sensitivity::compute(results, stop)) {
        Some(Ok(sensitivity)) => Ok((sensitivity, outbox)),
        Some(Err(_)) => Err(AppError::Interrupted {
            dir: dir.to_path_buf(),
            previous: outbox.abandon(),
        }),
        None => {
            outbox.abandon();
            Err(AppError::Input(InputError::invalid(
                Location::file(dir.join("result.json").display().to_string()),
                "its scenario fails the model's own checks, so pledge did not write it as it \
                 is; run the scenario again",
            )))
        }
    }
}

/// Rebuilds the briefing pack in `out_dir` from `dir/result.json`; the sensitivity, which
/// `result.json` does not hold, is computed again from its scenario and seed.
/// Into the folder of the results (`out_dir` is `dir`), the new pack replaces the parts of the
/// previous pack in `formats` and keeps the results and the other parts; into another folder,
/// the pack is the whole set.
pub fn report(
    dir: &Path,
    out_dir: &Path,
    options: PackOptions,
    stop: &StopFlag,
) -> Result<RunReport, AppError> {
    let formats = options.formats;
    let path = dir.join("result.json");
    let bytes = crate::input::read_bytes(
        &path,
        bounds::RESULT_JSON_BYTES,
        "a result.json written by pledge",
    )?;
    let results = Results::from_json(&path.display().to_string(), &bytes)?;
    check_currency(options.currency, results.scenario.base_year())?;
    let same = |p: &Path| output::real_path(p).ok();
    let keep = if same(dir) == same(out_dir) {
        Keep::Previous(Box::new(move |name: &str| !in_pack(name, formats)))
    } else {
        Keep::Nothing
    };
    let outbox = outbox(out_dir, stop, keep)?;
    let (sensitivity, outbox) = sensitivity_or_stop(&results, out_dir, outbox, stop)?;
    let packed = report::pack_into(&results, sensitivity.as_ref(), options, &|rank, files| {
        outbox.put(SLOT_PACK + u64::from(rank), files);
    });
    let set = format!("seed {}, {} runs", results.seed, results.runs);
    let committed = finish(out_dir, outbox, &set, packed)?;
    Ok(RunReport::new(String::new(), out_dir, committed))
}

/// Whether `name` is a file of the parts `formats` of a briefing pack.
fn in_pack(name: &str, formats: PackFormats) -> bool {
    let chart = |ext: &str| {
        name.strip_prefix("charts/")
            .is_some_and(|n| !n.contains('/') && n.ends_with(ext))
    };
    (formats.html && name == "report.html")
        || (formats.xlsx && name == "pledge.xlsx")
        || (formats.svg && chart(".svg"))
        || (formats.png && chart(".png"))
}

/// Where each group of files comes in the list of files written: the result files, the
/// compare scenario, then the briefing pack in its own order.
const SLOT_RESULTS: u64 = 0;
const SLOT_SCENARIO: u64 = 1;
const SLOT_PACK: u64 = 2;

/// Builds `summary.csv`, `result.json`, `capacity.csv` (and `sensitivity.csv`) and the
/// briefing pack side by side on the current rayon pool, handing each file to `outbox` as soon
/// as it is made. Fails only when the workbook cannot be made; the other files are handed over
/// all the same.
fn put_outputs(
    outbox: &Outbox,
    results: &Results,
    sensitivity: Option<&Sensitivity>,
    pack: PackOptions,
) -> std::io::Result<()> {
    let ((), packed) = rayon::join(
        || {
            let (json, csv) = rayon::join(|| results.to_json(), || output::summary_csv(results));
            let mut files = vec![
                ("summary.csv".to_string(), csv),
                ("result.json".to_string(), json),
                ("capacity.csv".to_string(), output::capacity_csv(results)),
            ];
            if let Some(sensitivity) = sensitivity {
                let csv = output::sensitivity_csv(sensitivity);
                files.push(("sensitivity.csv".to_string(), csv));
            }
            outbox.put(SLOT_RESULTS, files);
        },
        || put_pack(outbox, results, sensitivity, pack),
    );
    packed
}

/// Builds the briefing pack of results just made, from memory, and writes each part as it
/// is made.
fn put_pack(
    outbox: &Outbox,
    results: &Results,
    sensitivity: Option<&Sensitivity>,
    options: PackOptions,
) -> std::io::Result<()> {
    if options.formats == PackFormats::NONE {
        return Ok(());
    }
    report::pack_into(results, sensitivity, options, &|rank, files| {
        outbox.put(SLOT_PACK + u64::from(rank), files);
    })
}

/// Checks that money of results with base year `base_year` can be shown in `currency`
/// (`--currency`): a rate holds only for the year the data states it for.
fn check_currency(currency: Currency, base_year: i32) -> Result<(), AppError> {
    currency
        .check_base_year(base_year)
        .map_err(|why| flag_error("--currency", why))
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
    check_threads(config.threads)?;
    Ok(runs_flag)
}

/// `--threads`: at least 1, and at most [`estimate::THREADS_PER_CORE`] per core and
/// [`estimate::MAX_THREADS`] in all: more threads than that only wait, and each holds its own
/// statistics.
fn check_threads(threads: Option<usize>) -> Result<(), AppError> {
    let Some(n) = threads else {
        return Ok(());
    };
    let cores = cores();
    let most = (estimate::THREADS_PER_CORE * cores).min(estimate::MAX_THREADS);
    if n == 0 || n > most {
        return Err(flag_error(
            "--threads",
            format!(
                "{n} is out of range; expected 1 to {most} ({} per core on this machine's {} \
             core{}, at most {}); results do not depend on it",
                estimate::THREADS_PER_CORE,
                cores,
                if cores == 1 { "" } else { "s" },
                estimate::MAX_THREADS
            ),
        ));
    }
    Ok(())
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

/// An outbox into `dir`, or why it cannot be the output folder: the root folder, the home
/// folder, and a folder above the current folder are refused (exit 2), since the outbox
/// replaces the folder as a whole (the current folder itself is allowed: `--out .`); a folder
/// that cannot be made fails (exit 1).
fn outbox(dir: &Path, stop: &StopFlag, keep: Keep) -> Result<Outbox, AppError> {
    check_out_dir(dir)?;
    Outbox::new(dir, stop, keep).map_err(|e| set_error(dir, e))
}

fn check_out_dir(dir: &Path) -> Result<(), AppError> {
    let real = output::real_path(dir).map_err(|source| AppError::Write {
        path: dir.to_path_buf(),
        source,
    })?;
    let refuse = |what: &str| {
        flag_error(
            "--out",
            format!(
                "{} is {what}; pledge replaces the files of its previous run in its output \
             folder as one set, so it needs a folder of its own, e.g. out/NAME",
                dir.display()
            ),
        )
    };
    if real.parent().is_none() {
        return Err(refuse("the root folder"));
    }
    if let Some(home) = std::env::var_os("HOME").filter(|h| !h.is_empty())
        && output::real_path(Path::new(&home)).is_ok_and(|home| home == real)
    {
        return Err(refuse("your home folder"));
    }
    if let Ok(cwd) = std::env::current_dir().and_then(|cwd| cwd.canonicalize())
        && cwd != real
        && cwd.starts_with(&real)
    {
        return Err(refuse("a folder above the current folder"));
    }
    Ok(())
}

/// Waits for the outbox and puts its set in place; the files it wrote. When a file could not be
/// made (`made`, which names its file first: `pledge.xlsx: ...`) or written, or a stop was
/// asked for, nothing is written and the folder keeps its previous set.
fn finish(
    dir: &Path,
    outbox: Outbox,
    set: &str,
    made: std::io::Result<()>,
) -> Result<Committed, AppError> {
    if let Err(source) = made {
        drop(outbox.abandon());
        let text = source.to_string();
        return Err(match text.split_once(": ") {
            Some((name, why)) if !name.is_empty() && !name.contains(char::is_whitespace) => {
                AppError::Write {
                    path: dir.join(name),
                    source: std::io::Error::new(source.kind(), why.to_string()),
                }
            }
            _ => AppError::Write {
                path: dir.to_path_buf(),
                source,
            },
        });
    }
    outbox.finish(set).map_err(|e| set_error(dir, e))
}

fn set_error(dir: &Path, error: SetError) -> AppError {
    match error {
        SetError::Write { path, source } => AppError::Write { path, source },
        SetError::Interrupted { previous } => AppError::Interrupted {
            dir: dir.to_path_buf(),
            previous,
        },
    }
}

/// The study's scenario and its default output folder.
fn load_study(config: &RunConfig, runs_flag: Option<u64>) -> Result<(Scenario, PathBuf), AppError> {
    match &config.study {
        Study::File(path) => {
            let scenario = scenario::load(path)?;
            Ok((scenario, Path::new("out").join(default_folder(path))))
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

/// The default output folder's name for a scenario file: its stem, or `scenario` when the stem
/// is empty, `.` or `..` (a file named `...toml` must not write into `out/..`).
fn default_folder(path: &Path) -> String {
    match path.file_stem().map(|s| s.to_string_lossy()) {
        Some(stem) if !matches!(stem.as_ref(), "" | "." | "..") => stem.into_owned(),
        _ => "scenario".to_string(),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_of_blocks_do_not_change_a_bit_and_a_stop_ends_them() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/hague-2035.toml");
        let mut scenario = scenario::load(&path).unwrap();
        scenario.runs = 300;
        let model = Model::new(&scenario);
        let plan = Summary::central_with(&scenario, &model);
        let engine = plan.engine(&scenario, &model);
        let pool = thread_pool(Some(2)).unwrap();
        let progress = Progress::default();
        let blocks = 0..mc::block_count(scenario.runs);
        let csv = |step: u64| {
            let accumulator =
                simulate_in_steps(&pool, &engine, blocks.clone(), 300, &progress, step).unwrap();
            let summary = Summary::central_with(&scenario, &model).with_monte_carlo(&accumulator);
            output::summary_csv(&Results::from_summary(&scenario, &summary))
        };
        let whole = csv(u64::MAX);
        assert!(whole == csv(1), "one block at a time");
        assert!(whole == csv(3), "three blocks at a time");
        progress.stop.stop();
        assert!(simulate_in_steps(&pool, &engine, blocks, 300, &progress, 1).is_none());
    }

    #[test]
    fn a_scenario_named_dots_gets_a_folder_of_its_own() {
        assert_eq!(default_folder(Path::new("...toml")), "scenario");
        assert_eq!(default_folder(Path::new("a/..toml")), "scenario");
        assert_eq!(default_folder(Path::new("hague.toml")), "hague");
    }

    #[test]
    fn report_replaces_only_the_parts_it_is_asked_for() {
        let html = PackFormats {
            html: true,
            ..PackFormats::NONE
        };
        assert!(in_pack("report.html", html));
        assert!(!in_pack("pledge.xlsx", html));
        assert!(!in_pack("charts/burden.svg", html));
        assert!(in_pack("charts/burden.svg", PackFormats::ALL));
        assert!(!in_pack("result.json", PackFormats::ALL));
        assert!(!in_pack("charts/sub/x.svg", PackFormats::ALL));
    }
}
