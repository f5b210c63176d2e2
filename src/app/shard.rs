//! Shards: `pledge run --shard K/N` runs the K-th of N equal slices of a study's runs and saves
//! its statistics as a partial state; `pledge merge` checks that a set of states belongs to one
//! study and covers every run exactly once, and combines them. Because statistics merge exactly
//! (see [`crate::mc`]), the merged outputs are byte-identical to an unsharded run.
//!
//! Slices are whole blocks of [`BLOCK_RUNS`] runs: shard K of N holds blocks
//! `floor((K-1) * B / N) .. floor(K * B / N)` of the `B` blocks, so slice sizes differ by at
//! most one block.
//!
//! A state is input like any other, so `merge` trusts nothing it says that it can check:
//!
//! - it reads a state only if it is a regular file of at most [`MAX_STATE_BYTES`], and
//!   parsing refuses a sketch that inserts cannot make (an index out of range, more than
//!   [`crate::mc::MAX_BUCKETS`] buckets) before allocating for it;
//! - the state carries the SHA-256 of its own contents ([`ShardState::digest`]), which
//!   `merge` recomputes, so a damaged or edited file is refused even where what was changed
//!   is consistent in itself (statistics swapped between rows, a sum moved a little);
//! - what it claims is re-derived: the seed and run count from its scenario, its blocks from
//!   its shard number, its runs from its blocks, and its tracked rows and headline rows from
//!   its scenario by the code the engine uses (`Model::new`, `Summary::central_with`,
//!   `Engine::new`); and each row's statistics must be consistent ([`Accumulator::check`]).
//!
//! The digest guards against damage and edits, not against forgery: anyone can recompute a
//! SHA-256, so a forged state is refused only where it is inconsistent.

use crate::error::{InputError, Location};
use crate::mc::summary::Summary;
use crate::mc::{Accumulator, BLOCK_RUNS, block_count, first_run};
use crate::model::Model;
use crate::scenario::Scenario;
use crate::scenario::input_hash;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::io::{Read, Write};
use std::ops::Range;
use std::path::{Path, PathBuf};

/// The `format` field of a state file. Version 2 added the digest and bounded, run-length
/// encoded sketches.
pub const STATE_FORMAT: &str = "pledge-shard-state/2";

/// Largest state file `merge` reads: 256 MiB. A state holds one sketch per tracked row, of at
/// most `2 * MAX_BUCKETS` run-length encoded counts, fewer the fewer runs it holds: half of the
/// shipped Hague scenario's 10,000 runs make 5 MB; with every ally's growth at the largest
/// mean and spread allowed, `sd_scale` 10 and horizon 2100 (15,600 tracked rows, most spanning
/// the sketch's whole range), 1,600 runs make 14 MB and 50,000 runs 34 MB. A state above the
/// limit can be made smaller by splitting the runs into more shards.
pub const MAX_STATE_BYTES: u64 = 256 * 1024 * 1024;

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
///
/// Unknown top-level fields are ignored (so that a file of another kind is named by the first
/// field it lacks); every field inside the statistics must be known.
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
    /// SHA-256 (hex) of the state's JSON without this field ([`ShardState::content_digest`]);
    /// empty in states of format 1, which had none.
    #[serde(default)]
    pub digest: String,
}

/// Every field of a [`ShardState`] but its digest, in the same order: what the digest covers.
#[derive(Serialize)]
struct Contents<'a> {
    format: &'a str,
    tool_version: &'a str,
    input_hash: &'a str,
    seed: u64,
    runs: u64,
    shard: &'a ShardSpec,
    blocks: &'a Range<u64>,
    scenario: &'a Scenario,
    accumulator: &'a Accumulator,
}

/// Feeds what is written to a SHA-256.
struct HashWriter(Sha256);

impl Write for HashWriter {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.update(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl ShardState {
    /// A state for `shard` of `scenario`.
    pub fn new(
        scenario: &Scenario,
        shard: ShardSpec,
        blocks: Range<u64>,
        accumulator: Accumulator,
    ) -> ShardState {
        let mut state = ShardState {
            format: STATE_FORMAT.to_string(),
            tool_version: env!("CARGO_PKG_VERSION").to_string(),
            input_hash: input_hash(scenario),
            seed: scenario.seed,
            runs: scenario.runs,
            shard,
            blocks,
            scenario: scenario.clone(),
            accumulator,
            digest: String::new(),
        };
        state.digest = state.content_digest();
        state
    }

    /// The SHA-256 (hex) of the state's JSON with every field but `digest`, in order: its
    /// format, version, input hash, seed, runs, shard, blocks, scenario and statistics.
    /// JSON numbers round-trip exactly, so a state read back gives the digest it was written
    /// with.
    pub fn content_digest(&self) -> String {
        let contents = Contents {
            format: &self.format,
            tool_version: &self.tool_version,
            input_hash: &self.input_hash,
            seed: self.seed,
            runs: self.runs,
            shard: &self.shard,
            blocks: &self.blocks,
            scenario: &self.scenario,
            accumulator: &self.accumulator,
        };
        let mut hasher = HashWriter(Sha256::new());
        serde_json::to_writer(&mut hasher, &contents).expect("JSON serialization cannot fail");
        hasher
            .0
            .finalize()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }

    /// The runs this state's blocks hold.
    fn runs_held(&self) -> u64 {
        first_run(self.blocks.end, self.runs) - first_run(self.blocks.start, self.runs)
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
            let bytes = read_limited(&file)?;
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

/// The bytes of the state file `path`, refused unless it is a regular file of at most
/// [`MAX_STATE_BYTES`] (checked before it is opened, and again while it is read).
fn read_limited(path: &Path) -> Result<Vec<u8>, InputError> {
    let read_error = |source| InputError::Read {
        path: path.to_path_buf(),
        source,
    };
    let refuse =
        |message: String| InputError::invalid(Location::file(path.display().to_string()), message);
    let too_big = |bytes: u64| {
        refuse(format!(
            "is {bytes} bytes; a shard state is at most {MAX_STATE_BYTES} bytes (256 MiB): use more shards, each of fewer runs"
        ))
    };
    // Before opening: opening a FIFO would wait for a writer.
    let metadata = std::fs::metadata(path).map_err(read_error)?;
    if !metadata.is_file() {
        return Err(refuse(
            "is not a regular file; expected a shard state written by `pledge run --shard`".into(),
        ));
    }
    if metadata.len() > MAX_STATE_BYTES {
        return Err(too_big(metadata.len()));
    }
    let file = std::fs::File::open(path).map_err(read_error)?;
    let mut bytes = Vec::with_capacity(metadata.len() as usize);
    file.take(MAX_STATE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(read_error)?;
    if bytes.len() as u64 > MAX_STATE_BYTES {
        return Err(too_big(bytes.len() as u64));
    }
    Ok(bytes)
}

/// Checks what one state says of itself: its format and version, its scenario against its
/// input hash, its contents against its digest, its seed and run count against its scenario,
/// and its blocks against its shard number.
fn check_state(file: &Path, state: &ShardState) -> Result<(), InputError> {
    let refuse = |message: String| {
        Err(InputError::invalid(
            Location::file(file.display().to_string()),
            message,
        ))
    };
    if state.format != STATE_FORMAT {
        return refuse(format!(
            "format '{}' is not {STATE_FORMAT}; rerun every shard with this version of pledge",
            state.format
        ));
    }
    if state.tool_version != env!("CARGO_PKG_VERSION") {
        return refuse(format!(
            "written by pledge {}, this is pledge {}; rerun every shard with one version",
            state.tool_version,
            env!("CARGO_PKG_VERSION")
        ));
    }
    if input_hash(&state.scenario) != state.input_hash {
        return refuse("its scenario does not match its input hash; the file is damaged".into());
    }
    if state.content_digest() != state.digest {
        return refuse(
            "its contents do not match its digest; the file is damaged or was edited after `pledge run --shard` wrote it"
                .into(),
        );
    }
    if state.seed != state.scenario.seed || state.runs != state.scenario.runs {
        return refuse(format!(
            "says seed {} and {} runs, its scenario seed {} and {} runs; the file is damaged",
            state.seed, state.runs, state.scenario.seed, state.scenario.runs
        ));
    }
    let shard = state.shard;
    let blocks = crate::bounds::runs(i128::from(state.runs))
        .ok()
        .filter(|_| shard.index >= 1 && shard.index <= shard.count)
        .and_then(|runs| shard.blocks(runs).ok());
    if blocks.as_ref() != Some(&state.blocks) {
        return refuse(format!(
            "says shard {}/{} of {} runs holds blocks {}..{}; {}; the file is damaged",
            shard.index,
            shard.count,
            state.runs,
            state.blocks.start,
            state.blocks.end,
            match blocks {
                Some(b) => format!("that shard is blocks {}..{}", b.start, b.end),
                None => "there is no such shard".into(),
            }
        ));
    }
    Ok(())
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
        check_state(file, state)?;
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
    // The rows the engine tracks for this scenario, derived as `app::run` derives them. The
    // scenario was validated by the run that wrote the state; one edited since (with its
    // digest and input hash recomputed) can break what the model trusts, so a failure of the
    // model's own assertions refuses the file instead of ending the process.
    let derive = || {
        let model = Model::new(&first.scenario);
        let engine = Summary::central_with(&first.scenario, &model).engine(&first.scenario, &model);
        (engine.tracked().to_vec(), engine.headline().to_vec())
    };
    let Some((tracked, headline)) = quietly(derive) else {
        return refuse(
            &order[0].0,
            "its scenario fails the model's own checks, so it was not written by `pledge run \
             --shard` as it is; rerun the shards"
                .to_string(),
        );
    };
    for (file, state) in &order {
        if let Err(why) = state
            .accumulator
            .check(state.runs_held(), &tracked, &headline)
        {
            return refuse(file, format!("{why}; the file is damaged"));
        }
    }
    let mut accumulator = order[0].1.accumulator.clone();
    for (_, state) in &order[1..] {
        accumulator.merge(&state.accumulator);
    }
    Ok((first.scenario.clone(), accumulator))
}

/// `work()`, or `None` if it panicked; the panic message is not printed.
pub(crate) fn quietly<T>(work: impl FnOnce() -> T) -> Option<T> {
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(work)).ok();
    std::panic::set_hook(hook);
    result
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
