//! pledge: a defence-spending scenario simulator.
//!
//! It projects each NATO ally's defence spending under alternative GDP-percentage goals, turns
//! the money into production demand for shells, interceptors, vehicles and aircraft, and sets
//! that demand against industrial capacity, with Monte Carlo runs for the uncertainty. The
//! method is documented in `docs/METHODOLOGY.md`; this crate is its library, the `pledge`
//! binary a thin layer on top.
//!
//! Flow: [`scenario::load`] reads and validates a scenario (with its [`data`]) → [`model::Model`]
//! compiles it → [`summary::Summary`] evaluates it centrally and [`mc::Engine`] over many runs
//! → [`output`] turns results into files and [`glance`] into a terminal summary. [`app`]
//! strings these together for the command line; [`shard`] splits and merges runs.

#![deny(missing_docs)]

pub mod app;
pub mod bounds;
pub mod compare;
pub mod data;
pub mod dist;
pub mod draws;
pub mod error;
pub mod glance;
pub mod groups;
pub mod hash;
pub mod mc;
pub mod metrics;
pub mod model;
pub mod output;
pub mod report;
pub mod scenario;
pub mod shard;
pub mod summary;
