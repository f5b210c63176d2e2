//! Shards: `pledge run --shard K/N` runs the K-th of N equal slices of a study's runs and saves
//! its statistics as a partial state; `pledge merge` checks that a set of states belongs to one
//! study and covers every run exactly once, and combines them. Because statistics merge exactly
//! (see [`crate::mc`]), the merged outputs are byte-identical to an unsharded run.
//!
//! Slices are whole blocks of [`BLOCK_RUNS`] runs: shard K of N holds blocks
//! `floor((K-1) * B / N) .. floor(K * B / N)` of the `B` blocks, so slice sizes differ by at
//! most one block.

use crate::error::{InputError, Location};
use crate::mc::{Accumulator, BLOCK_RUNS, block_count, first_run};
use crate::output::input_hash;
use crate::scenario::Scenario;
use serde::{Deserialize, Serialize};
use std::ops::Range;
use std::path::{Path, PathBuf};

/// The `format` field of a state file.
pub const STATE_FORMAT: &str = "pledge-shard-state/1";

/// Which slice of the runs a shard holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShardSpec {
    /// 1-based index K.
    pub index: u64,
    /// Number of shards N.
    pub count: u64,
}

impl ShardSpec {
    /// Parses `K/N` (1 <= K <= N), as given to `--shard`.
    pub fn parse(text: &str) -> Result<ShardSpec, InputError> {
        let invalid = |why: &str| {
            InputError::invalid(
                Location::file("--shard"),
                format!(
                    "'{text}' {why}; expected K/N with 1 <= K <= N, e.g. 3/10 for the third of ten shards"
                ),
            )
        };
        let (k, n) = text
            .split_once('/')
            .ok_or_else(|| invalid("is not of the form K/N"))?;
        let index: u64 = k
            .trim()
            .parse()
            .map_err(|_| invalid("has no whole number K"))?;
        let count: u64 = n
            .trim()
            .parse()
            .map_err(|_| invalid("has no whole number N"))?;
        if index == 0 || index > count {
            return Err(invalid("is out of range"));
        }
        Ok(ShardSpec { index, count })
    }

    /// The blocks of this shard for a study of `runs` runs, or an error when a shard would be
    /// empty.
    pub fn blocks(&self, runs: u64) -> Result<Range<u64>, InputError> {
        let blocks = block_count(runs);
        if self.count > blocks {
            return Err(InputError::invalid(
                Location::file("--shard"),
                format!(
                    "{runs} runs make {blocks} block(s) of {BLOCK_RUNS}; use at most {blocks} shards, or more runs"
                ),
            ));
        }
        let start = blocks * (self.index - 1) / self.count;
        let end = blocks * self.index / self.count;
        Ok(start..end)
    }

    /// The state file's name: `shard-0003-of-0010.json`.
    pub fn file_name(&self) -> String {
        format!("shard-{:04}-of-{:04}.json", self.index, self.count)
    }
}

/// The saved statistics of one shard.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ShardState {
    /// [`STATE_FORMAT`].
    pub format: String,
    /// Version of pledge that wrote it.
    pub tool_version: String,
    /// Hash of the model inputs ([`input_hash`]).
    pub input_hash: String,
    /// The study's seed.
    pub seed: u64,
    /// The study's run count (all shards).
    pub runs: u64,
    /// Which shard.
    pub shard: ShardSpec,
    /// The blocks it holds.
    pub blocks: Range<u64>,
    /// The resolved scenario.
    pub scenario: Scenario,
    /// Statistics of its runs.
    pub accumulator: Accumulator,
}

impl ShardState {
    /// A state for `shard` of `scenario`.
    pub fn new(
        scenario: &Scenario,
        shard: ShardSpec,
        blocks: Range<u64>,
        accumulator: Accumulator,
    ) -> ShardState {
        ShardState {
            format: STATE_FORMAT.to_string(),
            tool_version: env!("CARGO_PKG_VERSION").to_string(),
            input_hash: input_hash(scenario),
            seed: scenario.seed,
            runs: scenario.runs,
            shard,
            blocks,
            scenario: scenario.clone(),
            accumulator,
        }
    }

    /// The state as JSON bytes.
    pub fn to_bytes(&self) -> Vec<u8> {
        serde_json::to_vec(self).expect("JSON serialization cannot fail")
    }
}

/// The state files named by `paths`: each a state file, or a folder whose `shard-*.json` files
/// are taken.
pub fn read_states(paths: &[PathBuf]) -> Result<Vec<(PathBuf, ShardState)>, InputError> {
    let mut files = Vec::new();
    for path in paths {
        if path.is_dir() {
            let mut found: Vec<PathBuf> = std::fs::read_dir(path)
                .map_err(|source| InputError::Read {
                    path: path.clone(),
                    source,
                })?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| {
                    p.file_name()
                        .and_then(|n| n.to_str())
                        .is_some_and(|n| n.starts_with("shard-") && n.ends_with(".json"))
                })
                .collect();
            if found.is_empty() {
                return Err(InputError::invalid(
                    Location::file(path.display().to_string()),
                    "holds no shard-*.json state files; pass the --out folders of `pledge run --shard`",
                ));
            }
            found.sort();
            files.extend(found);
        } else {
            files.push(path.clone());
        }
    }
    files
        .into_iter()
        .map(|file| {
            let bytes = std::fs::read(&file).map_err(|source| InputError::Read {
                path: file.clone(),
                source,
            })?;
            let state: ShardState = serde_json::from_slice(&bytes).map_err(|e| {
                InputError::invalid(
                    Location::at(file.display().to_string(), e.line(), Some(e.column())),
                    format!("not a pledge shard state: {}", without_position(&e)),
                )
            })?;
            Ok((file, state))
        })
        .collect()
}

/// serde_json's message without its trailing " at line L column C" (the location says it).
fn without_position(e: &serde_json::Error) -> String {
    let text = e.to_string();
    match text.rfind(" at line ") {
        Some(i) => text[..i].to_string(),
        None => text,
    }
}

/// Checks that `states` are shards of one study covering every run once, and merges them.
pub fn merge(states: &[(PathBuf, ShardState)]) -> Result<(Scenario, Accumulator), InputError> {
    let refuse = |file: &Path, message: String| {
        Err(InputError::invalid(
            Location::file(file.display().to_string()),
            message,
        ))
    };
    let Some((first_file, first)) = states.first() else {
        return Err(InputError::invalid(
            Location::file("merge"),
            "no shard states given",
        ));
    };
    for (file, state) in states {
        if state.format != STATE_FORMAT {
            return refuse(
                file,
                format!("format '{}' is not {STATE_FORMAT}", state.format),
            );
        }
        if state.tool_version != env!("CARGO_PKG_VERSION") {
            return refuse(
                file,
                format!(
                    "written by pledge {}, this is pledge {}; rerun every shard with one version",
                    state.tool_version,
                    env!("CARGO_PKG_VERSION")
                ),
            );
        }
        if input_hash(&state.scenario) != state.input_hash {
            return refuse(
                file,
                "its scenario does not match its input hash; the file is damaged".into(),
            );
        }
        let differs = |what: &str, mine: String, theirs: String| {
            refuse(
                file,
                format!(
                    "{what} {mine} differs from {theirs} in {}; shards must come from one study",
                    first_file.display()
                ),
            )
        };
        if state.input_hash != first.input_hash {
            let describe = |s: &ShardState| {
                format!(
                    "'{}' (input hash {})",
                    s.scenario.title,
                    &s.input_hash[..12]
                )
            };
            return differs("scenario", describe(state), describe(first));
        }
        if state.seed != first.seed {
            return differs("seed", state.seed.to_string(), first.seed.to_string());
        }
        if state.runs != first.runs {
            return differs("run count", state.runs.to_string(), first.runs.to_string());
        }
    }
    for (i, (file, _)) in states.iter().enumerate() {
        let same = |other: &PathBuf| match (file.canonicalize(), other.canonicalize()) {
            (Ok(a), Ok(b)) => a == b,
            _ => file == other,
        };
        if states[..i].iter().any(|(other, _)| same(other)) {
            return refuse(file, "is given twice; name each shard once".into());
        }
    }
    let mut order: Vec<&(PathBuf, ShardState)> = states.iter().collect();
    order.sort_by_key(|(_, s)| (s.blocks.start, s.blocks.end));
    let mut covered = 0;
    let runs_of = |block: u64| first_run(block, first.runs);
    for (file, state) in &order {
        let describe = |s: &ShardState| format!("shard {}/{}", s.shard.index, s.shard.count);
        if state.blocks.start < covered {
            return refuse(
                file,
                format!(
                    "{} overlaps another shard: runs {}..{} are given twice",
                    describe(state),
                    runs_of(state.blocks.start),
                    runs_of(covered.min(state.blocks.end))
                ),
            );
        }
        if state.blocks.start > covered {
            return refuse(
                file,
                format!(
                    "runs {}..{} are missing before {}; merge every shard",
                    runs_of(covered),
                    runs_of(state.blocks.start),
                    describe(state)
                ),
            );
        }
        covered = state.blocks.end;
    }
    let total = block_count(first.runs);
    if covered < total {
        let (last_file, last) = order[order.len() - 1];
        return refuse(
            last_file,
            format!(
                "runs {}..{} after this shard ({}/{}) are missing; merge every shard",
                runs_of(covered),
                first.runs,
                last.shard.index,
                last.shard.count
            ),
        );
    }
    let mut accumulator = order[0].1.accumulator.clone();
    for (_, state) in &order[1..] {
        accumulator.merge(&state.accumulator);
    }
    Ok((first.scenario.clone(), accumulator))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_tile_the_blocks() {
        let runs = 1000; // 32 blocks, the last partial
        let mut next = 0;
        for index in 1..=7 {
            let blocks = ShardSpec { index, count: 7 }.blocks(runs).unwrap();
            assert_eq!(blocks.start, next);
            assert!(blocks.end - blocks.start >= 4 && blocks.end - blocks.start <= 5);
            next = blocks.end;
        }
        assert_eq!(next, block_count(runs));
        assert!(
            ShardSpec {
                index: 1,
                count: 33
            }
            .blocks(runs)
            .is_err()
        );
    }

    #[test]
    fn shard_specs_parse() {
        assert_eq!(
            ShardSpec::parse("3/10").unwrap(),
            ShardSpec {
                index: 3,
                count: 10
            }
        );
        for bad in ["0/3", "4/3", "3", "a/3", "3/b", ""] {
            assert!(ShardSpec::parse(bad).is_err(), "{bad}");
        }
    }
}
