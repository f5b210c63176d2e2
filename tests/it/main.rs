//! The integration tests: one binary, one module per concern.

mod backtest;
mod bad_input;
mod browser;
mod charts;
mod cli;
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
mod target;
mod workbook;
