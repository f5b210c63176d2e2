//! The command line: clap-derive flags, turned once into `pledge::app` configs. Nothing below
//! this module knows clap.

use crate::progress_bar;
use clap::{Parser, Subcommand, ValueEnum};
use pledge::app::compare;
use pledge::app::shard::ShardSpec;
use pledge::app::{
    self, AppError, DataFormat, DataTable, Progress, RunConfig, RunReport, Runs, StopFlag, Study,
};
use pledge::error::{InputError, Location};
use pledge::report::{Currency, PackFormats, PackOptions};
use std::io::Write;
use std::path::PathBuf;

/// Defence-spending scenarios for NATO allies: what each GDP-percentage goal means in money,
/// ally by ally and year by year, and what production that money demands.
#[derive(Debug, Parser)]
#[command(name = "pledge", version, about, long_about = None, propagate_version = true)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run a scenario file: the plan (pledge met in full and on time) and Monte Carlo runs,
    /// written to summary.csv and result.json.
    Run {
        /// The scenario (TOML, schema_version = 1); see scenarios/ for examples.
        scenario: PathBuf,
        /// Output folder [default: out/<scenario file stem>].
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
        /// Run only the K-th of N equal slices of the runs and write a partial state to DIR;
        /// combine the slices with `pledge merge`.
        #[arg(long, value_name = "K/N")]
        shard: Option<String>,
        #[command(flatten)]
        common: RunFlags,
    },
    /// Compare GDP-percentage goals on the builtin data (the first goal is the reference).
    Compare {
        /// Goals in % of GDP, comma-separated; CORE+RELATED adds defence-related spending;
        /// `declared` follows the allies' declared plans (pledge data plans).
        #[arg(long, default_value = compare::DEFAULT_GOALS)]
        goals: String,
        /// The compliance assumed: `calibrated` (on the Wales record 2014-2024), `full` (the
        /// pledge as made), or a TOML file with a [compliance] table.
        #[arg(
            long,
            value_name = "calibrated|full|FILE",
            default_value = "calibrated"
        )]
        compliance: String,
        /// Year by which the goals are reached on a linear path, and the last year projected.
        #[arg(long, default_value_t = 2035)]
        horizon: i32,
        /// Output folder.
        #[arg(long, value_name = "DIR", default_value = "out/compare")]
        out: PathBuf,
        #[command(flatten)]
        common: RunFlags,
    },
    /// Combine the partial states of `pledge run --shard` into the study's outputs.
    Merge {
        /// Folders (or state files) written by `pledge run --shard K/N --out DIR`.
        #[arg(required = true)]
        states: Vec<PathBuf>,
        /// Output folder.
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
        /// Write only summary.csv and result.json, no charts, report or workbook.
        #[arg(long)]
        no_report: bool,
        #[command(flatten)]
        currency: CurrencyFlag,
    },
    /// Rebuild the charts, report.html and pledge.xlsx from DIR/result.json, without running
    /// the model again.
    Report {
        /// A folder holding result.json (written by run, compare or merge).
        dir: PathBuf,
        /// Output folder [default: DIR].
        #[arg(long, value_name = "OUT")]
        out: Option<PathBuf>,
        /// Do not write charts/*.svg and charts/*.png (report.html still shows the charts).
        #[arg(long)]
        no_charts: bool,
        /// What to write, comma-separated.
        #[arg(
            long,
            value_enum,
            value_delimiter = ',',
            default_value = "html,xlsx,svg,png"
        )]
        format: Vec<PackFormatArg>,
        #[command(flatten)]
        currency: CurrencyFlag,
    },
    /// Test the compliance model against the Wales record: simulate every ally's defence
    /// share from 2014 under the 2% pledge and set it against NATO's figures for 2015-2024.
    Backtest {
        /// The compliance to test: `calibrated` (the shipped calibration), `full` (the pledge as
        /// made), or a TOML file with a [compliance] table.
        #[arg(
            long,
            value_name = "calibrated|full|FILE",
            default_value = "calibrated"
        )]
        compliance: String,
        /// First search the calibration grid (METHODOLOGY.md) for the compliance with the
        /// lowest mean CRPS, write it to DIR/compliance.toml, and test it.
        #[arg(long, conflicts_with = "compliance")]
        calibrate: bool,
        /// A history CSV (as `pledge data import-nato` writes) instead of the builtin one.
        #[arg(long, value_name = "FILE")]
        history: Option<PathBuf>,
        /// Runs.
        #[arg(long, default_value_t = pledge::backtest::DEFAULT_RUNS)]
        runs: u64,
        /// Random seed.
        #[arg(long, default_value_t = pledge::backtest::DEFAULT_SEED)]
        seed: u64,
        /// Output folder.
        #[arg(long, value_name = "DIR", default_value = "out/backtest")]
        out: PathBuf,
        /// Worker threads [default: every core]. Results do not depend on it.
        #[arg(long, value_name = "N")]
        threads: Option<usize>,
    },
    /// Write what may be shared with industry from DIR/result.json: demand ranges per item,
    /// goal and year, aggregated so that no ally's figures can be recovered, and what was
    /// withheld and why.
    Export {
        /// A folder holding result.json (written by run, compare or merge).
        dir: PathBuf,
        /// The aggregate that may be shared (the only export; required).
        #[arg(long)]
        shareable: bool,
        /// The file to write (JSON).
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
        /// Least number of allies behind any published figure or difference.
        #[arg(long, default_value_t = 5, allow_negative_numbers = true)]
        min_allies: i64,
        /// Largest share, in %, of one ally in any published figure or difference.
        #[arg(long, default_value_t = 50.0, allow_negative_numbers = true)]
        max_share_pct: f64,
    },
    /// The inverse question: the core share of GDP a group must reach, on a scenario's path,
    /// for stated quantities of equipment to be affordable (and deliverable) by a year, with
    /// probability 50% and 90%; written to target.csv and target.json.
    Target {
        /// The targets file (TOML, schema_version = 1); see scenarios/targets-*.toml.
        targets: PathBuf,
        /// Output folder [default: out/<targets file stem>].
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
        /// Monte Carlo runs, overriding the targets file's and the scenario's `runs`.
        #[arg(long, value_name = "N", allow_negative_numbers = true)]
        runs: Option<u64>,
        /// Random seed, overriding the scenario's `seed`.
        #[arg(long, value_name = "S", allow_negative_numbers = true,
              value_parser = clap::value_parser!(u64).range(0..=i64::MAX as u64))]
        seed: Option<u64>,
        /// Worker threads [default: every core]. Results do not depend on it.
        #[arg(long, value_name = "N", allow_negative_numbers = true)]
        threads: Option<usize>,
        /// No progress bar.
        #[arg(long)]
        quiet: bool,
        /// Run even when the estimate is over an hour.
        #[arg(long)]
        allow_large: bool,
    },
    /// Check scenario files without running them.
    Validate {
        /// Scenario files.
        #[arg(required = true)]
        scenarios: Vec<PathBuf>,
    },
    /// Show the builtin data: the allies, the production lines, their announced capacity plans
    /// or the allies' declared spending plans, with their sources.
    #[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
    Data {
        /// Which table.
        #[arg(value_enum, required = true)]
        table: Option<TableArg>,
        /// table: for reading; csv: every column, editable, usable as [data] allies/items;
        /// json: every column.
        #[arg(long, value_enum, default_value_t = FormatArg::Table)]
        format: FormatArg,
        #[command(subcommand)]
        action: Option<DataAction>,
    },
}

#[derive(Debug, Subcommand)]
enum DataAction {
    /// Read NATO's tables workbook (Defence Expenditure of NATO Countries, published each
    /// June) into the history format of the Wales backtest: DIR/history.csv, and
    /// DIR/import.json with the edition and the checks of the allies against NATO's totals.
    ImportNato {
        /// The workbook (.xlsx).
        workbook: PathBuf,
        /// Output folder.
        #[arg(long, value_name = "DIR", default_value = "out/nato")]
        out: PathBuf,
    },
}

#[derive(Debug, clap::Args)]
struct RunFlags {
    /// Monte Carlo runs, overriding the scenario's `runs`; `auto` runs until the headline P50
    /// and P90 are stable to --tolerance.
    #[arg(long, value_name = "N|auto", allow_negative_numbers = true)]
    runs: Option<String>,
    /// With --runs auto: largest change, in %, of a headline P50 or P90 between checkpoints
    /// [default: 0.5].
    #[arg(long, value_name = "PCT", allow_negative_numbers = true)]
    tolerance: Option<f64>,
    /// With --runs auto: most runs [default: 1000000].
    #[arg(long, value_name = "N", allow_negative_numbers = true)]
    max_runs: Option<u64>,
    /// Random seed, overriding the scenario's `seed`.
    #[arg(long, value_name = "S", allow_negative_numbers = true,
          value_parser = clap::value_parser!(u64).range(0..=i64::MAX as u64))]
    seed: Option<u64>,
    /// Worker threads [default: every core]. Results do not depend on it.
    #[arg(long, value_name = "N", allow_negative_numbers = true)]
    threads: Option<usize>,
    /// No progress bar.
    #[arg(long)]
    quiet: bool,
    /// Write only summary.csv and result.json (and scenario.toml), no charts, report or
    /// workbook.
    #[arg(long)]
    no_report: bool,
    /// Run even when the estimate is over pledge's limits (8 GB of memory, 1 hour, 1 GB of
    /// files); the estimate is still shown.
    #[arg(long)]
    allow_large: bool,
    #[command(flatten)]
    currency: CurrencyFlag,
}

#[derive(Debug, clap::Args)]
struct CurrencyFlag {
    /// The currency of money in the charts, report.html, pledge.xlsx's report sheets and the
    /// terminal summary, at the base-year rate the builtin data states (EUR 1.13, GBP 1.27
    /// USD per unit, 2025); summary.csv and result.json stay in USD.
    #[arg(long, value_enum, ignore_case = true, default_value = "USD")]
    currency: CurrencyArg,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum CurrencyArg {
    /// US dollars, the unit of the data and of the results
    #[value(name = "USD")]
    Usd,
    /// Euros, at 1.13 USD/EUR (2025)
    #[value(name = "EUR")]
    Eur,
    /// Pounds sterling, at 1.27 USD/GBP (2025)
    #[value(name = "GBP")]
    Gbp,
}

impl CurrencyFlag {
    fn currency(&self) -> Currency {
        match self.currency {
            CurrencyArg::Usd => Currency::Usd,
            CurrencyArg::Eur => Currency::Eur,
            CurrencyArg::Gbp => Currency::Gbp,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum PackFormatArg {
    /// report.html
    Html,
    /// pledge.xlsx
    Xlsx,
    /// charts/*.svg
    Svg,
    /// charts/*.png
    Png,
}

/// `calibrated`, `full`, or a file's path.
fn compliance_choice(text: &str) -> app::ComplianceChoice {
    match text {
        "calibrated" => app::ComplianceChoice::Calibrated,
        "full" => app::ComplianceChoice::Full,
        path => app::ComplianceChoice::File(PathBuf::from(path)),
    }
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum TableArg {
    Allies,
    Items,
    // Announced capacity plans: one row per production line and year.
    CapacityPlans,
    // Allies' declared spending paths: one row per ally and milestone year.
    Plans,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum FormatArg {
    Table,
    Csv,
    Json,
}

/// Why the command failed.
#[derive(Debug, thiserror::Error)]
pub enum Failure {
    /// A subcommand failed.
    #[error(transparent)]
    App(#[from] AppError),
    /// Writing to stdout failed.
    #[error("cannot write to standard output: {0}")]
    Stdout(#[from] std::io::Error),
}

impl Failure {
    /// The exit code.
    pub fn exit_code(&self) -> u8 {
        match self {
            Failure::App(e) => e.exit_code() as u8,
            Failure::Stdout(_) => 1,
        }
    }
}

impl From<InputError> for Failure {
    fn from(e: InputError) -> Self {
        Failure::App(AppError::Input(e))
    }
}

/// Runs the parsed command, writing its report to `out`. Returns the exit code. `stop` is set
/// by the binary's signal handler: the command then stops and writes nothing.
pub fn execute(cli: Cli, out: &mut impl Write, stop: &StopFlag) -> Result<u8, Failure> {
    match cli.command {
        Command::Run {
            scenario,
            out: dir,
            shard,
            common,
        } => {
            let shard = shard.as_deref().map(ShardSpec::parse).transpose()?;
            let config = common.config(Study::File(scenario), dir, shard)?;
            run(out, &config, &common, stop)
        }
        Command::Compare {
            goals,
            compliance,
            horizon,
            out: dir,
            common,
        } => {
            let goals = compare::parse_goals(&goals)?;
            let study = Study::Compare {
                goals,
                horizon,
                compliance: compliance_choice(&compliance),
            };
            let config = common.config(study, Some(dir), None)?;
            run(out, &config, &common, stop)
        }
        Command::Merge {
            states,
            out: dir,
            no_report,
            currency,
        } => {
            let pack = PackOptions {
                formats: pack_unless(no_report),
                currency: currency.currency(),
            };
            let report = app::merge(&states, &dir, pack, stop)?;
            report_to(out, &report)
        }
        Command::Report {
            dir,
            out: out_dir,
            no_charts,
            format,
            currency,
        } => {
            let has = |f| format.contains(&f);
            let formats = PackFormats {
                svg: has(PackFormatArg::Svg) && !no_charts,
                png: has(PackFormatArg::Png) && !no_charts,
                html: has(PackFormatArg::Html),
                xlsx: has(PackFormatArg::Xlsx),
            };
            let out_dir = out_dir.unwrap_or_else(|| dir.clone());
            let options = PackOptions {
                formats,
                currency: currency.currency(),
            };
            let report = app::report(&dir, &out_dir, options, stop)?;
            report_to(out, &report)
        }
        Command::Backtest {
            compliance,
            calibrate,
            history,
            runs,
            seed,
            out: out_dir,
            threads,
        } => {
            let report = app::backtest(
                &app::BacktestConfig {
                    compliance: compliance_choice(&compliance),
                    calibrate,
                    history,
                    runs,
                    seed,
                    out_dir,
                    threads,
                },
                stop,
            )?;
            report_to(out, &report)
        }
        Command::Export {
            dir,
            shareable,
            out: file,
            min_allies,
            max_share_pct,
        } => {
            let config = app::ExportConfig {
                dir,
                file,
                shareable,
                min_allies,
                max_share_pct,
            };
            report_to(out, &app::export(&config, stop)?)
        }
        Command::Target {
            targets,
            out: dir,
            runs,
            seed,
            threads,
            quiet,
            allow_large,
        } => {
            let progress = Progress {
                stop: stop.clone(),
                ..Progress::default()
            };
            let config = app::TargetConfig {
                file: targets,
                out_dir: dir,
                runs,
                seed,
                threads,
                limits: if allow_large {
                    app::Limits::Lifted
                } else {
                    app::Limits::Enforced
                },
            };
            let prepared = app::prepare_target(&config, &progress)?;
            if let Some(estimate) = prepared.long_estimate() {
                eprintln!("{estimate}");
            }
            let report = progress_bar::show_while(&progress, quiet, || prepared.run(&progress))?;
            report_to(out, &report)
        }
        Command::Validate { scenarios } => {
            let mut code = 0;
            for result in app::validate(&scenarios) {
                match result {
                    Ok(line) => writeln!(out, "{line}")?,
                    Err(e) => {
                        out.flush()?;
                        eprintln!("error: {e}");
                        code = 2;
                    }
                }
            }
            Ok(code)
        }
        Command::Data {
            action: Some(DataAction::ImportNato { workbook, out: dir }),
            ..
        } => {
            let report = app::import_nato(&workbook, &dir, stop)?;
            report_to(out, &report)
        }
        Command::Data {
            table: Some(table),
            format,
            action: None,
        } => {
            let table = match table {
                TableArg::Allies => DataTable::Allies,
                TableArg::Items => DataTable::Items,
                TableArg::CapacityPlans => DataTable::CapacityPlans,
                TableArg::Plans => DataTable::Plans,
            };
            let format = match format {
                FormatArg::Table => DataFormat::Table,
                FormatArg::Csv => DataFormat::Csv,
                FormatArg::Json => DataFormat::Json,
            };
            out.write_all(&app::data(table, format))?;
            Ok(0)
        }
        Command::Data { table: None, .. } => Err(AppError::Input(InputError::invalid(
            Location::file("pledge data"),
            "name a table (allies, items, capacity-plans, plans) or import-nato WORKBOOK",
        ))
        .into()),
    }
}

impl RunFlags {
    fn config(
        &self,
        study: Study,
        out_dir: Option<PathBuf>,
        shard: Option<ShardSpec>,
    ) -> Result<RunConfig, InputError> {
        let auto_only = |flag: &str| {
            InputError::invalid(
                Location::file(flag),
                "applies only with --runs auto; remove it or add --runs auto",
            )
        };
        let runs = match self.runs.as_deref() {
            Some("auto") => Runs::Auto {
                tolerance_pct: self.tolerance.unwrap_or(0.5),
                max_runs: self.max_runs.unwrap_or(1_000_000),
            },
            _ if self.tolerance.is_some() => return Err(auto_only("--tolerance")),
            _ if self.max_runs.is_some() => return Err(auto_only("--max-runs")),
            None => Runs::FromScenario,
            Some(text) => Runs::Fixed(text.parse().map_err(|_| {
                InputError::invalid(
                    Location::file("--runs"),
                    format!("'{text}' is not allowed; expected a whole number of runs or auto"),
                )
            })?),
        };
        Ok(RunConfig {
            study,
            out_dir,
            runs,
            seed: self.seed,
            threads: self.threads,
            shard,
            pack: PackOptions {
                formats: pack_unless(self.no_report),
                currency: self.currency.currency(),
            },
        })
    }
}

/// The whole briefing pack, or none with `--no-report`.
fn pack_unless(no_report: bool) -> PackFormats {
    if no_report {
        PackFormats::NONE
    } else {
        PackFormats::ALL
    }
}

/// `run` and `compare`: a long run's estimate on stderr before it starts, a progress bar while
/// it runs.
fn run(
    out: &mut impl Write,
    config: &RunConfig,
    flags: &RunFlags,
    stop: &StopFlag,
) -> Result<u8, Failure> {
    let progress = Progress {
        stop: stop.clone(),
        ..Progress::default()
    };
    let limits = if flags.allow_large {
        app::Limits::Lifted
    } else {
        app::Limits::Enforced
    };
    let prepared = app::prepare(config, limits, &progress)?;
    if prepared.estimate().is_long() {
        eprintln!("{}", prepared.estimate());
    }
    let report = progress_bar::show_while(&progress, flags.quiet, || prepared.run(&progress))?;
    report_to(out, &report)
}

fn report_to(out: &mut impl Write, report: &RunReport) -> Result<u8, Failure> {
    for warning in &report.warnings {
        eprintln!("warning: {warning}");
    }
    write!(out, "{}", report.glance)?;
    // Files directly in the output folder by name; files in subfolders counted per folder.
    let mut names: Vec<String> = Vec::new();
    let mut folders: Vec<(String, usize)> = Vec::new();
    for path in &report.files {
        let relative = path.strip_prefix(&report.out_dir).unwrap_or(path);
        let mut parts = relative.components();
        let first = parts
            .next()
            .map(|c| c.as_os_str().to_string_lossy().into_owned());
        match (first, parts.next()) {
            (Some(name), None) => names.push(name),
            (Some(folder), Some(_)) => match folders.iter_mut().find(|(f, _)| *f == folder) {
                Some((_, count)) => *count += 1,
                None => folders.push((folder, 1)),
            },
            (None, _) => {}
        }
    }
    names.extend(folders.iter().map(|(f, n)| format!("{f}/ ({n} files)")));
    write!(
        out,
        "\nWrote {} to {}",
        names.join(", "),
        report.out_dir.display()
    )?;
    if !report.kept.is_empty() {
        const SHOWN: usize = 5;
        let mut kept: Vec<String> = report
            .kept
            .iter()
            .take(SHOWN)
            .map(|p| p.display().to_string())
            .collect();
        if report.kept.len() > SHOWN {
            kept.push(format!("{} more", report.kept.len() - SHOWN));
        }
        write!(
            out,
            "; kept what pledge did not write there: {}",
            kept.join(", ")
        )?;
    }
    writeln!(out)?;
    Ok(0)
}

#[cfg(test)]
mod tests {
    use super::Cli;
    use clap::CommandFactory;

    #[test]
    fn cli_definition_is_consistent() {
        Cli::command().debug_assert();
    }
}
