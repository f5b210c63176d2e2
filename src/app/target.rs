//! `pledge target TARGETS.toml`: the core share of GDP a group needs for stated quantities of
//! equipment to be affordable (and deliverable) by a year, with probability 50% and 90% (the
//! method is in [`crate::target`]). Every input is checked, and the study estimated, before
//! the output folder is made; the files go through an [`crate::output::Outbox`].

use super::estimate::{self, Estimate, Outputs};
use super::{
    AppError, Limits, Progress, RunReport, check_threads, cores, default_folder, finish,
    flag_error, outbox, thread_pool,
};
use crate::error::{InputError, Location};
use crate::output::Keep;
use crate::target::{self, Search};
use crate::{bounds, output};
use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering;

/// Settings of `target`.
#[derive(Debug, Clone)]
pub struct TargetConfig {
    /// The targets file.
    pub file: PathBuf,
    /// Output folder; `None` means `out/<targets file stem>`.
    pub out_dir: Option<PathBuf>,
    /// Runs, overriding the targets file's and the scenario's.
    pub runs: Option<u64>,
    /// Seed, overriding the scenario's.
    pub seed: Option<u64>,
    /// Worker threads; `None` uses every core.
    pub threads: Option<usize>,
    /// Whether a study estimated at over an hour is refused.
    pub limits: Limits,
}

/// What [`prepare_target`] hands to [`target`]'s second half: the checked study, its estimate
/// and its outbox.
#[derive(Debug)]
pub struct PreparedTarget {
    targets: target::Targets,
    scenario: crate::scenario::Scenario,
    out_dir: PathBuf,
    outbox: output::Outbox,
    threads: usize,
    estimate: Estimate,
}

impl PreparedTarget {
    /// The estimated time, in words, when it is long enough to announce (over 10 s).
    pub fn long_estimate(&self) -> Option<String> {
        self.estimate.is_long().then(|| {
            format!(
                "estimate: {} runs × about {} values evaluated per run on {} thread{}: {}",
                crate::text::grouped(self.scenario.runs as f64, 0),
                crate::text::grouped(self.estimate.values_per_run as f64, 0),
                self.threads,
                if self.threads == 1 { "" } else { "s" },
                estimate::seconds_text(self.estimate.seconds)
            )
        })
    }
}

/// Runs the study and writes `target.csv` and `target.json`.
pub fn target(config: &TargetConfig, progress: &Progress) -> Result<RunReport, AppError> {
    prepare_target(config, progress)?.run(progress)
}

/// Checks the flags, reads the targets file and its scenario, estimates the study (refused over
/// an hour unless [`Limits::Lifted`]) and makes the outbox. Nothing is written.
pub fn prepare_target(
    config: &TargetConfig,
    progress: &Progress,
) -> Result<PreparedTarget, AppError> {
    if let Some(runs) = config.runs {
        bounds::runs(i128::from(runs)).map_err(|why| flag_error("--runs", why))?;
    }
    check_threads(config.threads)?;
    let (targets, mut scenario) = target::load(&config.file)?;
    if let Some(runs) = config.runs.or(targets.runs) {
        scenario.runs = runs;
    }
    if let Some(seed) = config.seed {
        scenario.seed = seed;
    }
    let cores = cores();
    let threads = config.threads.unwrap_or(cores);
    let values = Search::new(&scenario, &targets).values_per_run();
    // Only the time matters here: the search keeps counts and a few sketches, not a sketch per
    // value, so the estimate's memory and files do not apply.
    let estimate = Estimate::new(
        values,
        scenario.runs,
        false,
        threads,
        cores,
        Outputs::Results,
    );
    if config.limits == Limits::Enforced && estimate.seconds > estimate::MAX_SECONDS {
        let location = if config.runs.is_some() {
            "--runs".to_string()
        } else {
            config.file.display().to_string()
        };
        return Err(InputError::invalid(
            Location::file(location),
            format!(
                "too large to run: {} runs × about {} values evaluated per run would take {} on {} thread{} (limit {}); use fewer runs, or pass --allow-large to run it anyway",
                crate::text::grouped(scenario.runs as f64, 0),
                crate::text::grouped(values as f64, 0),
                estimate::seconds_text(estimate.seconds),
                threads,
                if threads == 1 { "" } else { "s" },
                estimate::seconds_text(estimate::MAX_SECONDS)
            ),
        )
        .into());
    }
    let out_dir = config
        .out_dir
        .clone()
        .unwrap_or_else(|| Path::new("out").join(default_folder(&config.file)));
    let outbox = outbox(&out_dir, &progress.stop, Keep::Nothing)?;
    Ok(PreparedTarget {
        targets,
        scenario,
        out_dir,
        outbox,
        threads,
        estimate,
    })
}

impl PreparedTarget {
    /// Runs both passes on a pool of the chosen threads, then writes the files as one set. A
    /// stop ends the runs at the next step and writes nothing.
    pub fn run(self, progress: &Progress) -> Result<RunReport, AppError> {
        let PreparedTarget {
            targets,
            scenario,
            out_dir,
            outbox,
            threads,
            estimate,
        } = self;
        let stopped = |outbox: output::Outbox| AppError::Interrupted {
            dir: out_dir.clone(),
            previous: outbox.abandon(),
        };
        if progress.stop.is_set() {
            return Err(stopped(outbox));
        }
        let pool = thread_pool(Some(threads))?;
        progress
            .total
            .store(scenario.runs.saturating_mul(2), Ordering::Relaxed);
        let search = Search::new(&scenario, &targets);
        let step = estimate.blocks_per_step();
        let Some(outcome) = pool.install(|| search.run(step, &progress.done, &progress.stop))
        else {
            return Err(stopped(outbox));
        };
        outbox.put(
            0,
            vec![
                (
                    "target.csv".to_string(),
                    output::target::csv_bytes(&scenario, &targets, &outcome),
                ),
                (
                    "target.json".to_string(),
                    output::target::json_bytes(&scenario, &targets, &outcome),
                ),
            ],
        );
        let set = format!("targets, seed {}, {} runs", scenario.seed, scenario.runs);
        let committed = finish(&out_dir, outbox, &set, Ok(()))?;
        Ok(RunReport::new(
            output::target::glance(&scenario, &targets, &outcome),
            &out_dir,
            committed,
        ))
    }
}
