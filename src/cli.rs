//! The command line: clap-derive flags, turned once into `pledge::app` configs. Nothing below
//! this module knows clap.

use clap::{Parser, Subcommand, ValueEnum};
use pledge::app::{self, AppError, DataFormat, DataTable, RunConfig, Study};
use pledge::compare;
use pledge::error::InputError;
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
    /// Run a scenario file and write summary.csv and result.json.
    Run {
        /// The scenario (TOML, schema_version = 1); see scenarios/ for examples.
        scenario: PathBuf,
        #[command(flatten)]
        common: RunFlags,
    },
    /// Compare GDP-percentage goals on the builtin data (the first goal is the reference).
    Compare {
        /// Goals in % of GDP, comma-separated; CORE+RELATED adds defence-related spending,
        /// e.g. 2,3.5+1.5,5.
        #[arg(long, default_value = "2,3.5+1.5,5")]
        goals: String,
        /// Year by which the goals are reached on a linear path, and the last year projected.
        #[arg(long, default_value_t = 2035)]
        horizon: i32,
        #[command(flatten)]
        common: RunFlags,
    },
    /// Check scenario files without running them.
    Validate {
        /// Scenario files.
        #[arg(required = true)]
        scenarios: Vec<PathBuf>,
    },
    /// Show the builtin data: the allies or the production lines, with their sources.
    Data {
        /// Which table.
        #[arg(value_enum)]
        table: TableArg,
        /// table: for reading; csv: every column, editable, usable as [data] allies/items;
        /// json: every column.
        #[arg(long, value_enum, default_value_t = FormatArg::Table)]
        format: FormatArg,
    },
}

#[derive(Debug, clap::Args)]
struct RunFlags {
    /// Output folder [default: out/<scenario file stem>, or out/compare].
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
    /// Monte Carlo runs, overriding the scenario's `runs`.
    #[arg(long, value_name = "N")]
    runs: Option<u64>,
    /// Random seed, overriding the scenario's `seed`.
    #[arg(long, value_name = "S")]
    seed: Option<u64>,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum TableArg {
    Allies,
    Items,
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

/// Runs the parsed command, writing its report to `out`. Returns the exit code.
pub fn execute(cli: Cli, out: &mut impl Write) -> Result<u8, Failure> {
    match cli.command {
        Command::Run { scenario, common } => {
            run(out, common.into_config(Study::File(scenario)))
        }
        Command::Compare { goals, horizon, common } => {
            let goals = compare::parse_goals(&goals)?;
            run(out, common.into_config(Study::Compare { goals, horizon }))
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
        Command::Data { table, format } => {
            let table = match table {
                TableArg::Allies => DataTable::Allies,
                TableArg::Items => DataTable::Items,
            };
            let format = match format {
                FormatArg::Table => DataFormat::Table,
                FormatArg::Csv => DataFormat::Csv,
                FormatArg::Json => DataFormat::Json,
            };
            out.write_all(&app::data(table, format))?;
            Ok(0)
        }
    }
}

impl RunFlags {
    fn into_config(self, study: Study) -> RunConfig {
        RunConfig {
            study,
            out_dir: self.out,
            runs: self.runs,
            seed: self.seed,
        }
    }
}

fn run(out: &mut impl Write, config: RunConfig) -> Result<u8, Failure> {
    let report = app::run(&config)?;
    write!(out, "{}", report.glance)?;
    let names: Vec<String> = report
        .files
        .iter()
        .filter_map(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .collect();
    writeln!(out, "\nWrote {} to {}", names.join(", "), report.out_dir.display())?;
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
