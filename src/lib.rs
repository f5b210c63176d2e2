//! pledge: a defence-spending scenario simulator.
//!
//! It projects each NATO ally's defence spending under alternative GDP-percentage goals, turns
//! the money into production demand for shells, interceptors, vehicles and aircraft, and sets
//! that demand against industrial capacity, with Monte Carlo runs for the uncertainty. The
//! method is documented in `docs/METHODOLOGY.md`; this crate is its library, the `pledge`
//! binary a thin layer on top.
//!
//! Flow, one stage after another (ARCHITECTURE.md, "Stages"): [`scenario::load`] reads and
//! validates a scenario (with its [`data`]) → [`model::Model`] compiles it →
//! [`mc::summary::Summary`] evaluates it as planned and [`mc::Engine`] over many runs →
//! [`results::Results`] types the results once → [`output`] and [`report`] turn them into
//! files and [`output::glance`] into a terminal summary. [`app`] strings these together for
//! the command line, and [`app::shard`] splits and merges runs.

//!
//! The central projection of a two-goal scenario on the builtin data:
//!
//! ```
//! use pledge::scenario::metrics::Metric;
//! use pledge::mc::summary::Summary;
//!
//! let toml = r#"
//! schema_version = 1
//! [[goal]]
//! id = "wales2"
//! label = "2%"
//! core_pct = 2
//! [[goal]]
//! id = "core5"
//! label = "5% by 2035"
//! core_pct = 5
//! "#;
//! let scenario = pledge::scenario::parse("example.toml", toml, std::path::Path::new("."), "example")?;
//! let summary = Summary::central(&scenario);
//! let nato_2035 = |goal| summary.group_value(&scenario, goal, 2035, "nato", Metric::CorePctGdp);
//! // Allies above 2% keep their share, so NATO as a whole spends more than 2%.
//! assert!(nato_2035(0).unwrap() > 2.0);
//! assert!((nato_2035(1).unwrap() - 5.0).abs() < 0.05);
//! # Ok::<(), pledge::error::InputError>(())
//! ```

#![deny(missing_docs)]

pub mod app;
pub mod backtest;
pub mod bounds;
pub mod data;
pub mod dist;
pub mod error;
pub mod export;
pub mod hash;
pub mod input;
pub mod mc;
pub mod model;
pub mod output;
pub mod report;
pub mod results;
pub mod scenario;
pub mod stop;
pub mod target;
pub mod text;
