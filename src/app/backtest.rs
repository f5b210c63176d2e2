//! `pledge backtest`: the compliance model against the Wales record (MODEL.md v2, section 9),
//! and with `--calibrate` the search for the compliance that fits it best.

use super::{
    AppError, RunReport, StopFlag, check_threads, finish, flag_error, outbox, thread_pool,
};
use crate::backtest::{self, Backtest, CALIBRATION_RUNS, CalibrationGrid, Record};
use crate::data::{self, builtin};
use crate::dist::Triangular;
use crate::error::InputError;
use crate::hash::sha256_hex;
use crate::output::Keep;
use crate::output::glance::compliance_text;
use crate::report::{self, PageFacts};
use crate::scenario::{self, Capacity, Compliance};
use std::fmt::Write;
use std::path::PathBuf;

/// Which compliance a backtest (or `compare`) assumes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ComplianceChoice {
    /// The distributions calibrated on the Wales record ([`backtest::calibrated`]).
    Calibrated,
    /// The pledge as made: lag 0, attainment 1, no drift.
    Full,
    /// The `[compliance]` table of a TOML file.
    File(PathBuf),
}

impl ComplianceChoice {
    /// The compliance.
    pub fn resolve(&self) -> Result<Compliance, InputError> {
        Ok(match self {
            ComplianceChoice::Calibrated => backtest::calibrated(),
            ComplianceChoice::Full => Compliance {
                lag_years: Triangular::fixed(0.0),
                attainment: Triangular::fixed(1.0),
                drift_pp: 0.0,
                drift_correlation: 0.0,
            },
            ComplianceChoice::File(path) => scenario::load_compliance(path)?,
        })
    }

    /// Where the compliance comes from, in words.
    pub fn describe(&self) -> String {
        match self {
            ComplianceChoice::Calibrated => "calibrated on the Wales record 2014-2024 \
                 (pledge backtest --calibrate); that it holds for 2025-2035 is an assumption; \
                 --compliance full gives the pledge as made"
                .to_string(),
            ComplianceChoice::Full => "the pledge as made (--compliance full)".to_string(),
            ComplianceChoice::File(path) => format!("[compliance] of {}", path.display()),
        }
    }
}

/// What `pledge backtest` is asked.
#[derive(Debug, Clone)]
pub struct BacktestConfig {
    /// The compliance to test (ignored with `calibrate`).
    pub compliance: ComplianceChoice,
    /// Search the calibration grid first, and test what it finds.
    pub calibrate: bool,
    /// A history CSV instead of the builtin one.
    pub history: Option<PathBuf>,
    /// Runs of the backtest.
    pub runs: u64,
    /// Seed of the backtest (and of the calibration).
    pub seed: u64,
    /// Output folder.
    pub out_dir: PathBuf,
    /// Worker threads.
    pub threads: Option<usize>,
}

/// Runs the backtest and writes `backtest.csv`, `backtest_summary.csv`, `backtest.json`,
/// `backtest.svg`, `backtest.png` and `backtest.html` (and with `--calibrate`,
/// `calibration.csv` and `compliance.toml`). A stop asked for through `stop` is honoured after
/// the calibration and after the runs: nothing is written.
pub fn backtest(config: &BacktestConfig, stop: &StopFlag) -> Result<RunReport, AppError> {
    if config.runs < 2 || config.runs > 1_000_000 {
        return Err(flag_error(
            "--runs",
            format!("{} is out of range; expected 2 to 1000000", config.runs),
        ));
    }
    let (history_origin, history_text) = match &config.history {
        None => (
            builtin::ORIGIN.to_string(),
            builtin::HISTORY_CSV.to_string(),
        ),
        Some(path) => (
            path.display().to_string(),
            crate::input::read_text(path, crate::bounds::DATA_CSV_BYTES, "a history CSV")?,
        ),
    };
    let rows = data::parse_history(&history_origin, &history_text)?;
    let record = Record::wales(&rows)
        .map_err(|m| InputError::invalid(crate::error::Location::file(&history_origin), m))?;
    // Bad input is refused before the output folder is made.
    let given = if config.calibrate {
        None
    } else {
        Some((config.compliance.resolve()?, config.compliance.describe()))
    };
    check_threads(config.threads)?;
    let pool = thread_pool(config.threads)?;
    let outbox = outbox(&config.out_dir, stop, Keep::Nothing)?;
    let stopped = |outbox: super::Outbox| AppError::Interrupted {
        dir: config.out_dir.clone(),
        previous: outbox.abandon(),
    };
    let mut glance = String::new();
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    let (compliance, source) = if let Some(given) = given {
        given
    } else {
        let correlation = (record.change_correlation() * 100.0).round() / 100.0;
        let found = pool.install(|| {
            backtest::calibrate(
                &record,
                &CalibrationGrid::stated(),
                correlation,
                CALIBRATION_RUNS,
                config.seed,
            )
        });
        let table = compliance_toml(&found.best, found.scores.len(), found.runs, found.seed);
        let _ = writeln!(
            glance,
            "Calibration: {} grid points, {} runs each (seed {}); lowest mean CRPS {:.4} pp of GDP.\n\
             drift_correlation {correlation} is the mean pairwise correlation of the allies' yearly changes.\n\n{table}",
            found.scores.len(),
            found.runs,
            found.seed,
            found.best_crps_pp
        );
        files.push(("calibration.csv".into(), calibration_csv(&found)));
        files.push(("compliance.toml".into(), table.into_bytes()));
        (
            found.best,
            "calibrated now on this history (pledge backtest --calibrate)".to_string(),
        )
    };
    if stop.is_set() {
        return Err(stopped(outbox));
    }
    let result = pool.install(|| backtest::run(&record, &compliance, config.runs, config.seed));
    if stop.is_set() {
        return Err(stopped(outbox));
    }
    let words = compliance_text(
        &compliance,
        &Capacity {
            plan_attainment: Triangular::fixed(1.0),
        },
    );
    let words = words
        .strip_suffix("; announced capacity plans met in full")
        .unwrap_or(&words)
        .to_string();
    let _ = writeln!(
        glance,
        "The Wales backtest: {} allies, {}-{}, {} runs (seed {})\nCompliance: {words} ({source})",
        record.allies.len(),
        record.base_year + 1,
        record.target_year,
        result.runs,
        result.seed
    );
    for s in &result.scores {
        let _ = writeln!(
            glance,
            "  {:<46} {:>3} ally-years: {:>5.1}% inside P10-P90, {:>5.1}% inside P5-P95; median off by {:.2} pp",
            s.scope,
            s.ally_years,
            100.0 * s.coverage_p10_p90,
            100.0 * s.coverage_p5_p95,
            s.mae_median_pp
        );
    }
    let footnote = format!(
        "Data: NATO, Defence Expenditure of NATO Countries 2014-2024 ({history_origin}); {} runs, seed {}; pledge {}",
        result.runs,
        result.seed,
        env!("CARGO_PKG_VERSION")
    );
    let chart = report::charts::backtest_chart(&result, footnote);
    let history_sha256 = sha256_hex(history_text.as_bytes());
    let page = report::backtest_html(
        &result,
        &chart.svg,
        &PageFacts {
            version: env!("CARGO_PKG_VERSION"),
            history: &history_origin,
            history_sha256: &history_sha256,
            compliance: &words,
            compliance_source: &source,
        },
    );
    files.extend([
        ("backtest.csv".to_string(), cells_csv(&result)),
        ("backtest_summary.csv".to_string(), summary_csv(&result)),
        (
            "backtest.json".to_string(),
            result_json(&result, &history_origin, &history_sha256, &source),
        ),
        ("backtest.svg".to_string(), chart.svg.clone().into_bytes()),
        ("backtest.png".to_string(), report::charts::png(&chart)),
        ("backtest.html".to_string(), page.into_bytes()),
    ]);
    outbox.put(0, files);
    let set = format!("backtest, seed {}, {} runs", result.seed, result.runs);
    let committed = finish(&config.out_dir, outbox, &set, Ok(()))?;
    Ok(RunReport::new(glance, &config.out_dir, committed))
}

/// The `[compliance]` table a scenario can use, with how it was found.
fn compliance_toml(c: &Compliance, grid_points: usize, runs: u64, seed: u64) -> String {
    format!(
        "# Calibrated on the Wales record 2014-2024 by `pledge backtest --calibrate`: the lowest\n\
         # mean CRPS of {grid_points} grid points, {runs} runs each, seed {seed}. That this record\n\
         # predicts 2025-2035 is an assumption.\n{}",
        c.to_toml()
    )
}

/// `backtest.csv`: `iso3,year,actual,plan,p10,p50,p90,inside`.
fn cells_csv(bt: &Backtest) -> Vec<u8> {
    let mut out = String::from("iso3,year,actual,plan,p10,p50,p90,inside\n");
    for c in &bt.cells {
        let [_, p10, p50, p90, _] = c.percentiles;
        let _ = writeln!(
            out,
            "{},{},{},{},{p10},{p50},{p90},{}",
            c.iso3,
            c.year,
            c.actual,
            c.plan,
            u8::from(c.inside_80())
        );
    }
    out.into_bytes()
}

/// `backtest_summary.csv`: one row per scope.
fn summary_csv(bt: &Backtest) -> Vec<u8> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    let failure = "writing CSV to memory cannot fail";
    writer
        .write_record([
            "scope",
            "ally_years",
            "coverage_p10_p90",
            "coverage_p5_p95",
            "mae_median_pp",
            "mean_crps_pp",
        ])
        .expect(failure);
    for s in &bt.scores {
        writer
            .write_record([
                s.scope.clone(),
                s.ally_years.to_string(),
                s.coverage_p10_p90.to_string(),
                s.coverage_p5_p95.to_string(),
                s.mae_median_pp.to_string(),
                s.mean_crps_pp.to_string(),
            ])
            .expect(failure);
    }
    writer.into_inner().expect(failure)
}

/// `calibration.csv`: every grid point with its mean CRPS.
fn calibration_csv(found: &backtest::CalibrationResult) -> Vec<u8> {
    let mut out = String::from(
        "lag_min,lag_mode,lag_max,attainment_min,attainment_mode,attainment_max,drift_pp,drift_correlation,mean_crps_pp\n",
    );
    for g in &found.scores {
        let c = &g.compliance;
        let _ = writeln!(
            out,
            "{},{},{},{},{},{},{},{},{}",
            c.lag_years.min(),
            c.lag_years.mode(),
            c.lag_years.max(),
            c.attainment.min(),
            c.attainment.mode(),
            c.attainment.max(),
            c.drift_pp,
            c.drift_correlation,
            g.mean_crps_pp
        );
    }
    out.into_bytes()
}

/// `backtest.json`: what was run, on what, and every number.
fn result_json(bt: &Backtest, history: &str, history_sha256: &str, source: &str) -> Vec<u8> {
    let document = serde_json::json!({
        "tool": { "name": env!("CARGO_PKG_NAME"), "version": env!("CARGO_PKG_VERSION") },
        "model_spec": "MODEL.md v2, section 9",
        "input_hash": sha256_hex(
            format!("{history_sha256}{}", serde_json::to_string(&bt.compliance).unwrap_or_default())
                .as_bytes()
        ),
        "seed": bt.seed,
        "runs": bt.runs,
        "history": { "origin": history, "sha256": history_sha256 },
        "compliance": bt.compliance,
        "compliance_source": source,
        "percentiles": "nearest rank over every run (exact)",
        "scores": bt.scores,
        "cells": bt.cells,
    });
    let mut bytes = serde_json::to_vec_pretty(&document).expect("JSON serialization cannot fail");
    bytes.push(b'\n');
    bytes
}
