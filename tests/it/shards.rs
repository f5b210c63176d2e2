//! Shard states as hostile input. Each reproduction of the hostile-input run is a test: shards
//! of a small study are written with the library, exactly as `pledge run --shard` writes them,
//! then one is damaged, and `merge` must refuse it with a message naming the file, never
//! panic, allocate without bound or give a wrong number. Each edit is tried twice: as is
//! (the digest no longer matches) and forged (the digest recomputed by someone who knows the
//! format), which the checks of what a state claims must catch. Untampered shards still merge
//! to the bytes of the unsharded run, and a scenario of the widest spread the bounds allow keeps
//! its statistics within the sketch's cap.

use pledge::app::shard::{self, MAX_STATE_BYTES, ShardSpec, ShardState};
use pledge::error::InputError;
use pledge::mc::summary::Summary;
use pledge::mc::{Accumulator, MAX_BUCKETS, block_count};
use pledge::model::Model;
use pledge::output;
use pledge::scenario::{self, Scenario};
use serde_json::Value;
use std::fs;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicU64;

const RUNS: u64 = 300;

/// The shipped Hague scenario with `RUNS` runs.
fn hague() -> Scenario {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/hague-2035.toml");
    Scenario {
        runs: RUNS,
        ..scenario::load(&path).unwrap()
    }
}

/// The statistics of `blocks` of `scenario`, with the engine built as `app::run` builds it.
fn simulate(scenario: &Scenario, blocks: Range<u64>) -> Accumulator {
    let model = Model::new(scenario);
    let summary = Summary::central_with(scenario, &model);
    let engine = summary.engine(scenario, &model);
    engine.simulate(blocks, scenario.runs, &AtomicU64::new(0))
}

/// Shards 1..=n of n of `scenario`, written into `dir` as `pledge run --shard` writes them.
fn write_shards(dir: &Path, scenario: &Scenario, n: u64) -> Vec<PathBuf> {
    (1..=n)
        .map(|index| {
            let spec = ShardSpec { index, count: n };
            let blocks = spec.blocks(scenario.runs).unwrap();
            let state = ShardState::new(scenario, spec, blocks.clone(), simulate(scenario, blocks));
            let path = dir.join(spec.file_name());
            fs::write(&path, state.to_bytes()).unwrap();
            path
        })
        .collect()
}

fn merge(paths: &[PathBuf]) -> Result<(Scenario, Accumulator), InputError> {
    let states = shard::read_states(paths)?;
    shard::merge(&states)
}

/// `summary.csv` and `result.json` of `scenario` with the statistics `accumulator`.
fn outputs(scenario: &Scenario, accumulator: &Accumulator) -> (Vec<u8>, Vec<u8>) {
    let summary = Summary::central(scenario).with_monte_carlo(accumulator);
    let results = pledge::results::Results::from_summary(scenario, &summary);
    (output::summary_csv(&results), results.to_json())
}

/// Three shards of the Hague study, in a temporary folder.
struct Study {
    dir: tempfile::TempDir,
    shards: Vec<PathBuf>,
}

impl Study {
    fn new() -> Study {
        let dir = tempfile::tempdir().unwrap();
        let shards = write_shards(dir.path(), &hague(), 3);
        Study { dir, shards }
    }

    /// The middle shard's JSON.
    fn middle(&self) -> Value {
        serde_json::from_slice(&fs::read(&self.shards[1]).unwrap()).unwrap()
    }

    /// The middle shard with `edit` applied, saved as `name`; with `forge`, its digest is
    /// recomputed over the edited contents (when they still parse).
    fn tampered(&self, name: &str, forge: bool, edit: impl Fn(&mut Value)) -> PathBuf {
        let mut json = self.middle();
        edit(&mut json);
        let bytes = match serde_json::from_value::<ShardState>(json.clone()) {
            Ok(mut state) if forge => {
                state.digest = state.content_digest();
                state.to_bytes()
            }
            _ => serde_json::to_vec(&json).unwrap(),
        };
        let path = self.dir.path().join(name);
        fs::write(&path, bytes).unwrap();
        path
    }

    /// Merges the first and last shards with `middle`, which must be refused with a message
    /// naming it and holding every one of `expected`; returns the message.
    #[track_caller]
    fn refused(&self, middle: &Path, expected: &[&str]) -> String {
        let paths = [
            self.shards[0].clone(),
            middle.to_path_buf(),
            self.shards[2].clone(),
        ];
        let message = match merge(&paths) {
            Ok(_) => panic!("{} was merged", middle.display()),
            Err(e) => e.to_string(),
        };
        assert!(
            message.starts_with(&middle.display().to_string()),
            "the message does not name {}: {message}",
            middle.display()
        );
        for words in expected {
            assert!(message.contains(words), "expected {words:?} in: {message}");
        }
        message
    }

    /// `edit` as is (refused by the digest) and forged (refused with `forged`).
    #[track_caller]
    fn refused_both_ways(&self, name: &str, edit: impl Fn(&mut Value), forged: &[&str]) {
        let plain = self.tampered(&format!("{name}.json"), false, &edit);
        self.refused(&plain, &["its contents do not match its digest"]);
        let forgery = self.tampered(&format!("{name}-forged.json"), true, &edit);
        self.refused(&forgery, forged);
    }
}

/// The index in `values` of the first statistic whose values are all positive and differ.
fn positive_row(state: &Value) -> usize {
    state["accumulator"]["values"]
        .as_array()
        .unwrap()
        .iter()
        .position(|v| v["min"].as_f64().unwrap() > 0.0 && v["min"].as_f64() != v["max"].as_f64())
        .unwrap()
}

#[test]
fn untampered_shards_merge_to_the_bytes_of_the_unsharded_run() {
    let scenario = hague();
    let whole = simulate(&scenario, 0..block_count(RUNS));
    let expected = outputs(&scenario, &whole);
    let dir = tempfile::tempdir().unwrap();
    for n in [1, 2, 3] {
        let sub = dir.path().join(format!("of{n}"));
        fs::create_dir(&sub).unwrap();
        let mut paths = write_shards(&sub, &scenario, n);
        for _ in 0..2 {
            let (merged_scenario, merged) = merge(&paths).unwrap();
            assert_eq!(merged, whole, "{n} shards");
            assert_eq!(outputs(&merged_scenario, &merged), expected, "{n} shards");
            paths.reverse();
        }
        // The folder, as `pledge merge DIR` takes it.
        let (_, merged) = merge(&[sub]).unwrap();
        assert_eq!(merged, whole);
    }
}

#[test]
fn a_bucket_index_of_4294967295_is_refused_while_parsing() {
    let study = Study::new();
    let row = positive_row(&study.middle());
    for forge in [false, true] {
        let path = study.tampered(&format!("first-{forge}.json"), forge, |s| {
            s["accumulator"]["values"][row]["sketch"]["positive"]["first"] =
                Value::from(4_294_967_295_u64);
        });
        study.refused(
            &path,
            &[
                "not a pledge shard state",
                "a histogram covers buckets 4294967295..=",
                "expected buckets within 128..=262015",
            ],
        );
    }
    // A run of empty buckets as long as the index space, and one bucket too many.
    for (name, counts) in [
        ("long-run.json", vec![1, -4_294_967_295_i64, 1]),
        ("too-many.json", vec![1, -(MAX_BUCKETS as i64 - 1), 1]),
    ] {
        let path = study.tampered(name, false, |s| {
            s["accumulator"]["values"][row]["sketch"]["positive"]["counts"] =
                Value::from(counts.clone());
        });
        study.refused(
            &path,
            &[
                "not a pledge shard state",
                &format!("expected at most {MAX_BUCKETS}"),
            ],
        );
    }
}

#[test]
fn an_edited_run_count_is_refused() {
    let study = Study::new();
    let runs = study.middle()["accumulator"]["runs"].as_u64().unwrap();
    study.refused_both_ways(
        "runs",
        |s| s["accumulator"]["runs"] = Value::from(runs + 32),
        &[&format!(
            "its statistics count {} runs; its blocks hold {runs}",
            runs + 32
        )],
    );
    // The study's run count, in the state and its scenario (which the input hash leaves out).
    study.refused_both_ways(
        "study-runs",
        |s| s["runs"] = Value::from(RUNS + 100),
        &["says seed 2025 and 400 runs, its scenario seed 2025 and 300 runs"],
    );
    study.refused_both_ways(
        "scenario-runs",
        |s| s["scenario"]["runs"] = Value::from(RUNS + 100),
        &["says seed 2025 and 300 runs, its scenario seed 2025 and 400 runs"],
    );
}

#[test]
fn edited_blocks_or_shard_numbers_are_refused() {
    let study = Study::new();
    study.refused_both_ways(
        "blocks",
        |s| s["blocks"]["end"] = Value::from(s["blocks"]["end"].as_u64().unwrap() - 1),
        &["says shard 2/3 of 300 runs holds blocks 3..5; that shard is blocks 3..6"],
    );
    study.refused_both_ways(
        "index",
        |s| s["shard"]["index"] = Value::from(0),
        &["says shard 0/3 of 300 runs holds blocks 3..6; there is no such shard"],
    );
}

#[test]
fn reversed_values_are_refused() {
    let study = Study::new();
    let path = study.tampered("reversed.json", false, |s| {
        s["accumulator"]["values"].as_array_mut().unwrap().reverse();
    });
    study.refused(&path, &["its contents do not match its digest"]);
    // Forged, every row's statistics are still consistent in themselves; this forgery is
    // caught only because the headline rows' squared deviations no longer fit the ranges of
    // the statistics now in their place. A swap of two rows without a standard error would
    // pass (see `Accumulator::check`): against edits, the digest is what holds.
    let forged = study.tampered("reversed-forged.json", true, |s| {
        s["accumulator"]["values"].as_array_mut().unwrap().reverse();
    });
    study.refused(
        &forged,
        &["its sum of squared deviations", "cannot come from 96 runs"],
    );
}

#[test]
fn an_edited_sum_is_refused() {
    let study = Study::new();
    let row = positive_row(&study.middle());
    // Values all positive cannot sum to 0, nor to twice their number times their maximum:
    // the mean would lie outside their range.
    study.refused_both_ways(
        "sum-zero",
        |s| s["accumulator"]["values"][row]["sum_fixed"] = Value::from("0"),
        &["its sum 0/2^50 makes a mean of 0 over 96 runs, outside its minimum"],
    );
    let max = study.middle()["accumulator"]["values"][row]["max"]
        .as_f64()
        .unwrap();
    let too_much = (2.0 * 96.0 * max * 2f64.powi(50)) as i128;
    study.refused_both_ways(
        "sum-large",
        |s| s["accumulator"]["values"][row]["sum_fixed"] = Value::from(too_much.to_string()),
        &["over 96 runs, outside its minimum"],
    );
    // Not a number at all.
    let path = study.tampered("sum-text.json", false, |s| {
        s["accumulator"]["values"][row]["sum_fixed"] = Value::from("lots");
    });
    study.refused(
        &path,
        &["not a pledge shard state", "'lots' is not a whole number"],
    );
}

#[test]
fn dropped_spreads_are_refused() {
    let study = Study::new();
    let headline = study.middle()["accumulator"]["spreads"]
        .as_array()
        .unwrap()
        .len();
    assert!(headline > 0);
    study.refused_both_ways(
        "spreads-empty",
        |s| s["accumulator"]["spreads"] = Value::Array(Vec::new()),
        &[&format!(
            "it holds 0 squared-deviation sums; its scenario has {headline} headline rows"
        )],
    );
    study.refused_both_ways(
        "spreads-short",
        |s| {
            s["accumulator"]["spreads"].as_array_mut().unwrap().pop();
        },
        &[&format!(
            "it holds {} squared-deviation sums; its scenario has {headline} headline rows",
            headline - 1
        )],
    );
    let path = study.tampered("spreads-gone.json", false, |s| {
        s["accumulator"].as_object_mut().unwrap().remove("spreads");
    });
    study.refused(
        &path,
        &["not a pledge shard state", "missing field `spreads`"],
    );
}

#[test]
fn a_tracked_list_one_short_is_refused_without_a_panic() {
    let study = Study::new();
    let tracked = study.middle()["accumulator"]["tracked"]
        .as_array()
        .unwrap()
        .len();
    let short = format!(
        "its statistics track {} rows, not the {tracked} rows its scenario varies",
        tracked - 1
    );
    // The last row dropped: found missing at the end.
    study.refused_both_ways(
        "tracked-last",
        |s| {
            s["accumulator"]["tracked"].as_array_mut().unwrap().pop();
        },
        &[&short, "is missing"],
    );
    // The first dropped, with its statistics: every row after it is off by one.
    study.refused_both_ways(
        "tracked-first",
        |s| {
            s["accumulator"]["tracked"]
                .as_array_mut()
                .unwrap()
                .remove(0);
            s["accumulator"]["values"].as_array_mut().unwrap().remove(0);
        },
        &[&short, "position 0"],
    );
    // The list intact but one statistic short.
    study.refused_both_ways(
        "values-short",
        |s| {
            s["accumulator"]["values"].as_array_mut().unwrap().pop();
        },
        &[&format!(
            "it holds {} statistics for {tracked} tracked rows",
            tracked - 1
        )],
    );
}

#[test]
fn an_edited_or_missing_digest_is_refused() {
    let study = Study::new();
    let path = study.tampered("digest.json", false, |s| {
        let digest = s["digest"].as_str().unwrap();
        let flipped = if digest.starts_with('0') { "1" } else { "0" };
        s["digest"] = Value::from(format!("{flipped}{}", &digest[1..]));
    });
    study.refused(&path, &["its contents do not match its digest"]);
    let path = study.tampered("no-digest.json", false, |s| {
        s.as_object_mut().unwrap().remove("digest");
    });
    study.refused(&path, &["its contents do not match its digest"]);
    // A state of the first format, which had no digest.
    let path = study.tampered("format-1.json", false, |s| {
        s["format"] = Value::from("pledge-shard-state/1");
        s.as_object_mut().unwrap().remove("digest");
    });
    study.refused(
        &path,
        &["format 'pledge-shard-state/1' is not pledge-shard-state/2"],
    );
}

#[test]
fn statistics_that_contradict_themselves_are_refused_even_when_forged() {
    let study = Study::new();
    let row = positive_row(&study.middle());
    study.refused_both_ways(
        "min-above-max",
        |s| {
            let v = &mut s["accumulator"]["values"][row];
            let (min, max) = (v["min"].clone(), v["max"].clone());
            v["min"] = max;
            v["max"] = min;
        },
        &["expected finite numbers, minimum <= maximum"],
    );
    study.refused_both_ways(
        "max-moved",
        |s| {
            let v = &mut s["accumulator"]["values"][row];
            v["max"] = Value::from(v["max"].as_f64().unwrap() * 2.0);
        },
        &["do not lie in the histogram's lowest and highest buckets"],
    );
    study.refused_both_ways(
        "zero-count",
        |s| {
            let v = &mut s["accumulator"]["values"][row];
            v["sketch"]["zero"] = Value::from(v["sketch"]["zero"].as_u64().unwrap() + 5);
        },
        &["expected 96, one per run"],
    );
}

#[test]
fn only_regular_files_of_bounded_size_are_read() {
    let study = Study::new();
    // A character device, given directly.
    study.refused(Path::new("/dev/null"), &["is not a regular file"]);
    // A folder named like a state, inside a folder of states.
    let folder = study.dir.path().join("folder");
    fs::create_dir_all(folder.join("shard-0002-of-0003.json")).unwrap();
    let message = merge(std::slice::from_ref(&folder))
        .unwrap_err()
        .to_string();
    assert!(
        message.starts_with(&folder.join("shard-0002-of-0003.json").display().to_string())
            && message.contains("is not a regular file"),
        "{message}"
    );
    // A (sparse) file one byte over the limit is refused before it is read.
    let big = study.dir.path().join("big.json");
    fs::File::create(&big)
        .unwrap()
        .set_len(MAX_STATE_BYTES + 1)
        .unwrap();
    study.refused(
        &big,
        &[&format!(
            "is {} bytes; a shard state is at most {MAX_STATE_BYTES} bytes",
            MAX_STATE_BYTES + 1
        )],
    );
}

/// Every ally growing 50% a year on average with a standard deviation of 50 points, scaled by
/// 10: the widest spread the bounds allow, to 2100, with `runs` runs.
fn widest(runs: u64) -> Scenario {
    let dir = tempfile::tempdir().unwrap();
    let builtin = pledge::data::builtin::ALLIES_CSV;
    let mut lines = builtin.lines();
    let header = lines.next().unwrap();
    let columns: Vec<&str> = header.split(',').collect();
    let mean = columns
        .iter()
        .position(|c| *c == "growth_mean_pct")
        .unwrap();
    let sd = columns.iter().position(|c| *c == "growth_sd_pct").unwrap();
    let mut csv = format!("{header}\n");
    for line in lines {
        // The growth columns come before the quoted source, so splitting at commas is safe
        // up to them.
        let mut cells: Vec<&str> = line.splitn(sd + 2, ',').collect();
        cells[mean] = "50";
        cells[sd] = "50";
        csv.push_str(&cells.join(","));
        csv.push('\n');
    }
    fs::write(dir.path().join("allies.csv"), csv).unwrap();
    let text = format!(
        "schema_version = 1\ntitle = \"widest\"\nhorizon = 2100\nruns = {runs}\nseed = 3\n\
         [data]\nallies = \"allies.csv\"\n\
         [[goal]]\nid = \"wales2\"\nlabel = \"2%\"\ncore_pct = 2.0\n\
         [growth]\ncorrelation = 0.5\nsd_scale = 10\n"
    );
    scenario::parse("widest.toml", &text, dir.path(), "widest").unwrap()
}

#[test]
fn the_widest_spread_keeps_the_statistics_within_the_cap() {
    let scenario = widest(320);
    let model = Model::new(&scenario);
    let summary = Summary::central_with(&scenario, &model);
    let engine = summary.engine(&scenario, &model);
    let accumulator = engine.simulate(0..block_count(320), 320, &AtomicU64::new(0));
    let tracked = accumulator.tracked();
    let full = tracked
        .iter()
        .filter(|&&row| {
            accumulator
                .value(row)
                .unwrap()
                .sketch()
                .may_have_collapsed()
        })
        .count();
    // The spread is real: many rows fill the sketch and collapse their lowest values.
    assert!(
        full > tracked.len() / 4,
        "{full} of {} rows full",
        tracked.len()
    );
    assert!(
        accumulator.bucket_count() <= tracked.len() * MAX_BUCKETS,
        "{} buckets for {} rows",
        accumulator.bucket_count(),
        tracked.len()
    );
    for &row in tracked {
        let stats = accumulator.value(row).unwrap();
        assert!(stats.sketch().bucket_count() <= 2 * MAX_BUCKETS);
        let [min, p5, p10, p25, p50, p75, p90, p95, max] =
            stats.quantiles([0.0, 0.05, 0.10, 0.25, 0.5, 0.75, 0.90, 0.95, 1.0]);
        let all = [min, p5, p10, p25, p50, p75, p90, p95, max];
        assert!(all.is_sorted(), "row {row}: {all:?}");
        assert!(all.iter().all(|p| p.is_finite()), "row {row}: {all:?}");
        // The exact sums do not saturate: every mean lies within its row's range, up to the
        // rounding of block sums (far below 2^-40 of the largest magnitude).
        let (mean, min, max) = (stats.mean(320), stats.min(), stats.max());
        let slack = min.abs().max(max.abs()) * 2f64.powi(-40);
        assert!(
            min - slack <= mean && mean <= max + slack,
            "row {row}: mean {mean} outside {min}..{max}"
        );
    }
    // Its shards merge to the unsharded statistics, through files.
    let dir = tempfile::tempdir().unwrap();
    let paths = write_shards(dir.path(), &scenario, 3);
    let (_, merged) = merge(&paths).unwrap();
    assert_eq!(merged, accumulator);
}

#[test]
fn a_forged_scenario_that_breaks_the_model_is_refused_without_a_panic() {
    // One shard holding every run, its scenario edited so that an item is bought by a group
    // that does not exist, and its input hash and digest recomputed: a forgery, not damage.
    let dir = tempfile::tempdir().unwrap();
    let shard = write_shards(dir.path(), &hague(), 1).remove(0);
    let mut state: ShardState = serde_json::from_slice(&fs::read(&shard).unwrap()).unwrap();
    state.scenario.items[0].buyers = "nowhere".to_string();
    state.input_hash = pledge::scenario::input_hash(&state.scenario);
    state.digest = state.content_digest();
    let forged = dir.path().join("forged.json");
    fs::write(&forged, state.to_bytes()).unwrap();
    let message = merge(std::slice::from_ref(&forged))
        .unwrap_err()
        .to_string();
    assert!(
        message.starts_with(&format!(
            "{}: its scenario fails the model's own checks",
            forged.display()
        )),
        "{message}"
    );
}
