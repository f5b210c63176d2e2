//! What a run will take, estimated from the scenario alone, before the model, the plan or the
//! engine allocate anything, and the limits above which `run` and `compare` refuse unless given
//! `--allow-large`.
//!
//! - **Values per run** `V`: the rows of `summary.csv`, `years × Σ_goals (groups × group
//!   metrics + items × item metrics)`, as [`crate::scenario::metrics::Layout`] lays them out (a unit test
//!   holds the two equal). It bounds the rows the engine tracks from above.
//! - **Memory**: each worker thread holds one `Accumulator`, whose quantile sketch is assumed
//!   to reach its cap of 4,096 buckets of 8 bytes for every row, and one block buffer of 32
//!   runs × `V` values; one copy of the plan and the summary, about 300 bytes a value; and the
//!   output files, built in memory before they are written. This is a bound: the shipped Hague
//!   scenario (11,044 values) estimates 0.75 GB on 2 threads and uses about 80 MB.
//! - **Time**: `runs × V × 2.5 ns` divided by the threads that have a core of their own. The
//!   figure is measured: 100,000 runs of the Hague scenario (1.1e9 values) take about 1.4 s
//!   on 2 idle cores, 1.3 ns a value on 2 threads.
//! - **Files**: `summary.csv` about 100 bytes a value and `result.json` about 240 (measured on
//!   the Hague scenario: 102 and 238), the workbook about 120 more; a shard's state about 650
//!   bytes a value.

use crate::mc::BLOCK_RUNS;
use std::fmt;

/// Most bytes of output files written without `--allow-large`: 1 GB.
pub const MAX_OUTPUT_BYTES: f64 = 1e9;
/// Most memory used without `--allow-large`: 8 GB.
pub const MAX_MEMORY_BYTES: f64 = 8e9;
/// Longest run without `--allow-large`: 1 hour.
pub const MAX_SECONDS: f64 = 3600.0;
/// A run estimated to take longer than this (10 s) is announced on stderr before it starts.
pub const SHOW_SECONDS: f64 = 10.0;
/// Most worker threads per core: more only adds threads that wait.
pub const THREADS_PER_CORE: usize = 4;
/// Most worker threads, whatever the machine.
pub const MAX_THREADS: usize = 256;

/// Time per value per thread, nanoseconds (see the module's documentation).
const NS_PER_VALUE: f64 = 2.5;
/// A row's quantile sketch at its cap: 4,096 buckets of 8 bytes.
const SKETCH_BYTES_PER_ROW: f64 = 4096.0 * 8.0;
/// One worker's block buffer, per value of a run.
const BLOCK_BYTES_PER_VALUE: f64 = BLOCK_RUNS as f64 * 8.0;
/// The plan, its layout and the summary's statistics, per value.
const PLAN_BYTES_PER_VALUE: f64 = 300.0;
/// `summary.csv` and `result.json`, per value.
const RESULT_BYTES_PER_VALUE: f64 = 350.0;
/// The briefing pack (mostly the workbook's rows), per value.
const PACK_BYTES_PER_VALUE: f64 = 120.0;
/// A shard's state file, per value.
const SHARD_BYTES_PER_VALUE: f64 = 700.0;

/// The files a run writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outputs {
    /// `summary.csv` and `result.json` (`--no-report`).
    Results,
    /// The results and the briefing pack.
    ResultsAndPack,
    /// A shard's state.
    ShardState,
}

/// What a run will take.
#[derive(Debug, Clone, PartialEq)]
pub struct Estimate {
    /// Values per run ([`crate::scenario::Scenario::values_per_run`]).
    pub values_per_run: u64,
    /// Runs to make.
    pub runs: u64,
    /// Whether `runs` is the most (`--runs auto`) rather than the number.
    pub runs_at_most: bool,
    /// Worker threads.
    pub threads: usize,
    /// Seconds, at most.
    pub seconds: f64,
    /// Bytes of memory, at most.
    pub memory_bytes: f64,
    /// Bytes of files written.
    pub output_bytes: f64,
}

impl Estimate {
    /// The estimate for `runs` runs of `values` values each on `threads` threads of a machine
    /// with `cores` cores.
    pub fn new(
        values: u64,
        runs: u64,
        runs_at_most: bool,
        threads: usize,
        cores: usize,
        outputs: Outputs,
    ) -> Estimate {
        let v = values as f64;
        let busy = threads.min(cores).max(1) as f64;
        let output_bytes = v * output_bytes_per_value(outputs);
        Estimate {
            values_per_run: values,
            runs,
            runs_at_most,
            threads,
            seconds: runs as f64 * v * NS_PER_VALUE * 1e-9 / busy,
            memory_bytes: threads as f64 * v * worker_bytes_per_value()
                + v * PLAN_BYTES_PER_VALUE
                + output_bytes,
            output_bytes,
        }
    }

    /// Adds the sensitivity pass (`results::sensitivity`): the first `min(runs, 10,000)` runs
    /// evaluated again, `values` each, keeping `kept` values a run (f64) until the statistics
    /// are taken.
    pub fn with_sensitivity(mut self, values: u64, kept: u64, cores: usize) -> Estimate {
        let runs = self.runs.min(crate::results::sensitivity::SENSITIVITY_RUNS) as f64;
        let busy = self.threads.min(cores).max(1) as f64;
        self.seconds += runs * values as f64 * NS_PER_VALUE * 1e-9 / busy;
        self.memory_bytes += runs * kept as f64 * 8.0;
        self
    }

    /// The most threads, up to `cores`, whose memory stays within [`MAX_MEMORY_BYTES`]; at
    /// least 1.
    pub fn threads_fitting(values: u64, cores: usize, outputs: Outputs) -> usize {
        let v = values as f64;
        let fixed = v * (PLAN_BYTES_PER_VALUE + output_bytes_per_value(outputs));
        let per_thread = v * worker_bytes_per_value();
        let fit = ((MAX_MEMORY_BYTES - fixed) / per_thread).floor();
        if fit >= cores as f64 {
            cores.max(1)
        } else if fit >= 1.0 {
            fit as usize
        } else {
            1
        }
    }

    /// Each limit this estimate is over, in words, with the limit.
    pub fn over_limits(&self) -> Vec<String> {
        let mut over = Vec::new();
        let threads = plural(self.threads as u64, "thread");
        if self.memory_bytes > MAX_MEMORY_BYTES {
            over.push(format!(
                "needs up to {} of memory on {threads} (limit {})",
                bytes_text(self.memory_bytes),
                bytes_text(MAX_MEMORY_BYTES)
            ));
        }
        if self.seconds > MAX_SECONDS {
            over.push(format!(
                "would take {} on {threads} (limit {})",
                seconds_text(self.seconds),
                seconds_text(MAX_SECONDS)
            ));
        }
        if self.output_bytes > MAX_OUTPUT_BYTES {
            over.push(format!(
                "would write about {} of files (limit {})",
                bytes_text(self.output_bytes),
                bytes_text(MAX_OUTPUT_BYTES)
            ));
        }
        over
    }

    /// Whether the run is long enough to be announced before it starts.
    pub fn is_long(&self) -> bool {
        self.seconds > SHOW_SECONDS
    }

    /// Blocks of runs to simulate between two checks for a stop: about a quarter of a second
    /// of work, and at least four blocks per thread.
    pub fn blocks_per_step(&self) -> u64 {
        let runs_per_second =
            self.threads.max(1) as f64 / (self.values_per_run.max(1) as f64 * NS_PER_VALUE * 1e-9);
        let blocks = (runs_per_second / 4.0 / BLOCK_RUNS as f64).ceil() as u64;
        blocks.max(4 * self.threads.max(1) as u64)
    }
}

impl fmt::Display for Estimate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "estimate: {} values per run × {}{} runs on {}: {}, up to {} of memory, about {} of files",
            crate::text::grouped(self.values_per_run as f64, 0),
            if self.runs_at_most { "at most " } else { "" },
            crate::text::grouped(self.runs as f64, 0),
            plural(self.threads as u64, "thread"),
            seconds_text(self.seconds),
            bytes_text(self.memory_bytes),
            bytes_text(self.output_bytes)
        )
    }
}

fn worker_bytes_per_value() -> f64 {
    SKETCH_BYTES_PER_ROW + BLOCK_BYTES_PER_VALUE
}

fn output_bytes_per_value(outputs: Outputs) -> f64 {
    match outputs {
        Outputs::Results => RESULT_BYTES_PER_VALUE,
        Outputs::ResultsAndPack => RESULT_BYTES_PER_VALUE + PACK_BYTES_PER_VALUE,
        Outputs::ShardState => SHARD_BYTES_PER_VALUE,
    }
}

fn plural(n: u64, what: &str) -> String {
    if n == 1 {
        format!("1 {what}")
    } else {
        format!("{} {what}s", crate::text::grouped(n as f64, 0))
    }
}

/// `800 MB`, `1.3 GB`, `45 GB` (decimal units).
pub fn bytes_text(bytes: f64) -> String {
    if bytes >= 10e9 {
        format!("{:.0} GB", bytes / 1e9)
    } else if bytes >= 1e9 {
        let text = format!("{:.1}", bytes / 1e9);
        format!("{} GB", text.strip_suffix(".0").unwrap_or(&text))
    } else if bytes >= 1e6 {
        format!("{:.0} MB", bytes / 1e6)
    } else {
        format!("{:.0} kB", (bytes / 1e3).max(1.0))
    }
}

/// `about 14 s`, `about 12 min`, `about 3 h 50 min`; `1 h` for a whole hour.
pub fn seconds_text(seconds: f64) -> String {
    let s = seconds.round() as u64;
    if seconds == MAX_SECONDS {
        "1 h".to_string()
    } else if s < 1 {
        "under a second".to_string()
    } else if s < 60 {
        format!("about {s} s")
    } else if s < 3600 {
        format!("about {} min", (s + 30) / 60)
    } else {
        let minutes = (s + 30) / 60;
        format!("about {} h {} min", minutes / 60, minutes % 60)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::metrics::Layout;
    use std::path::Path;

    #[test]
    fn values_per_run_is_the_layouts_length() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
        for name in ["hague-2035.toml", "nordic-baltic.toml", "europe-alone.toml"] {
            let scenario = crate::scenario::load(&root.join(name)).unwrap();
            assert_eq!(
                scenario.values_per_run(),
                Layout::new(&scenario).len() as u64,
                "{name}"
            );
        }
    }

    #[test]
    fn the_sensitivity_pass_is_counted_for_the_runs_it_evaluates_again() {
        let values = 11_044;
        let base = Estimate::new(values, 10_000, false, 2, 2, Outputs::ResultsAndPack);
        let with = base.clone().with_sensitivity(values, 189, 2);
        // The 10,000 runs once more, and 10,000 x 189 values of 8 bytes kept.
        assert!((with.seconds - 2.0 * base.seconds).abs() <= 1e-12 * base.seconds);
        assert!((with.memory_bytes - base.memory_bytes - 15_120_000.0).abs() < 1e-3);
        // Of a million runs, only the first 10,000 are evaluated again.
        let many = Estimate::new(values, 1_000_000, false, 2, 2, Outputs::Results);
        let again = many.clone().with_sensitivity(values, 189, 2);
        assert!((again.seconds - many.seconds * 1.01).abs() <= 1e-9 * many.seconds);
    }

    #[test]
    fn the_hague_scenario_fits_and_a_billion_runs_do_not() {
        let hague = 11_044;
        let usual = Estimate::new(hague, 10_000, false, 2, 2, Outputs::ResultsAndPack);
        assert!(usual.over_limits().is_empty(), "{usual}");
        assert!(!usual.is_long(), "{usual}");
        let huge = Estimate::new(hague, 1_000_000_000, false, 2, 2, Outputs::Results);
        let over = huge.over_limits();
        assert_eq!(over.len(), 1, "{over:?}");
        assert!(over[0].starts_with("would take about 3 h 50 min on 2 threads (limit 1 h)"));
        // More threads than cores do not make it faster.
        let crowded = Estimate::new(hague, 100_000, false, 8, 2, Outputs::Results);
        assert_eq!(
            crowded.seconds,
            Estimate::new(hague, 100_000, false, 2, 2, Outputs::Results).seconds
        );
    }

    #[test]
    fn threads_are_reduced_to_fit_memory() {
        assert_eq!(Estimate::threads_fitting(11_044, 2, Outputs::Results), 2);
        // 200,000 values need 6.6 GB per thread: one thread fits.
        assert_eq!(Estimate::threads_fitting(200_000, 64, Outputs::Results), 1);
        assert_eq!(Estimate::threads_fitting(11_044, 64, Outputs::Results), 21);
    }

    #[test]
    fn sizes_and_durations_read_as_people_write_them() {
        assert_eq!(bytes_text(45.2e9), "45 GB");
        assert_eq!(bytes_text(1.34e9), "1.3 GB");
        assert_eq!(bytes_text(480e6), "480 MB");
        assert_eq!(bytes_text(8e9), "8 GB");
        assert_eq!(seconds_text(14.2), "about 14 s");
        assert_eq!(seconds_text(725.0), "about 12 min");
        assert_eq!(seconds_text(13_805.0), "about 3 h 50 min");
        assert_eq!(seconds_text(MAX_SECONDS), "1 h");
    }
}
