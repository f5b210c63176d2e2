//! The integration tests: one binary, one module per concern. The `cli_*` modules run the
//! `pledge` binary as a user does, in a temporary folder; the others call the library.

mod allies;
mod backtest;
mod bad_input;
mod browser;
mod capacity;
mod charts;
mod cli_compare;
mod cli_data;
mod cli_errors;
mod cli_glance;
mod cli_help;
mod cli_merge;
mod cli_monte_carlo;
mod cli_report;
mod cli_run;
mod cli_validate;
mod common;
mod credibility;
mod export;
mod golden;
mod hostile_input;
mod layering;
mod model;
mod monte_carlo;
mod outputs;
mod property;
mod record;
mod results;
mod sensitivity;
mod shards;
mod snapshots;
mod target;
mod workbook;
