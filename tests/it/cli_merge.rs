//! `pledge run --shard K/N` and `pledge merge`: each shard writes its state file alone and
//! reports its runs; shards on any number of threads, given as folders or files, in any order,
//! merge to the bytes of an unsharded run (pack included); and every refusal of `merge` (a
//! missing shard, overlapping shards, shards of different studies, a corrupted state, a folder
//! without states) exits 2 naming the file, writing nothing. Shard states as hostile input, at
//! library level, are in `shards.rs`; the messages of a bad `--shard`, in `bad_input.rs`.

use crate::common::{
    assert_rejected, assert_same_outputs, files_below, glance_of, p, read_json, shipped, succeeds,
    tempdir, with_pack,
};
use serde_json::Value;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// Runs per block, as the binary records it in `result.json`: shards are whole blocks, so the
/// run ranges in shard messages are multiples of it.
fn block_runs() -> u64 {
    static BLOCK_RUNS: OnceLock<u64> = OnceLock::new();
    *BLOCK_RUNS.get_or_init(|| {
        let dir = tempdir();
        succeeds(
            dir.path(),
            &[
                "compare",
                "--goals",
                "2",
                "--horizon",
                "2026",
                "--runs",
                "1",
                "--out",
                "o",
            ],
        );
        let json = read_json(&dir.path().join("o/result.json"));
        json["monte_carlo"]["block_runs"]
            .as_u64()
            .filter(|&b| b >= 1)
            .unwrap_or_else(|| panic!("no block_runs in {}", json["monte_carlo"]))
    })
}

/// The runs `start..end` that shard `k` of `n` holds in a study of `runs` runs: of its `B`
/// blocks, blocks `floor((k-1) * B / n) .. floor(k * B / n)` (src/shard.rs).
fn shard_runs(runs: u64, k: u64, n: u64) -> (u64, u64) {
    let block = block_runs();
    let blocks = runs.div_ceil(block);
    let edge = |i: u64| (blocks * i / n * block).min(runs);
    (edge(k - 1), edge(k))
}

/// The state file of shard `k` of `n` in folder `out`, relative to the working folder.
fn state_file(out: &str, k: u64, n: u64) -> PathBuf {
    Path::new(out).join(format!("shard-{k:04}-of-{n:04}.json"))
}

/// `pledge run SCENARIO --runs RUNS --shard K/N [--out OUT] extra..` in `dir`: checks that it
/// writes the state file alone and reports the shard's runs, and returns the state file.
#[track_caller]
fn run_shard(
    dir: &Path,
    scenario: &Path,
    runs: u64,
    (k, n): (u64, u64),
    out: Option<&str>,
    extra: &[&str],
) -> PathBuf {
    let runs_text = runs.to_string();
    let spec = format!("{k}/{n}");
    let mut args = vec!["run", p(scenario), "--runs", &runs_text, "--shard", &spec];
    if let Some(out) = out {
        args.extend(["--out", out]);
    }
    args.extend(extra);
    let before = files_below(dir);
    let stdout = succeeds(dir, &args);

    let default = Path::new("out")
        .join(scenario.file_stem().unwrap())
        .display()
        .to_string();
    let folder = out.unwrap_or(&default);
    let file = state_file(folder, k, n);
    let mut expected = before;
    expected.push(file.clone());
    // And the folder's manifest of the files pledge wrote (already there for a second shard).
    expected.push(Path::new(folder).join(".pledge-manifest"));
    expected.sort();
    expected.dedup();
    assert_eq!(
        files_below(dir),
        expected,
        "{args:?} writes its state file and nothing else"
    );
    let (start, end) = shard_runs(runs, k, n);
    assert!(
        stdout.contains(&format!("shard {k}/{n}, {} of {runs} runs", end - start)),
        "{args:?}:\n{stdout}"
    );
    assert!(stdout.contains("pledge merge"), "{stdout}");
    assert!(
        stdout.ends_with(&format!(
            "Wrote {} to {folder}\n",
            file.file_name().unwrap().to_str().unwrap()
        )),
        "{stdout}"
    );
    file
}

#[test]
fn shards_merge_to_the_bytes_of_an_unsharded_run() {
    let dir = tempdir();
    let d = dir.path();
    let scenario = shipped("hague-2035.toml");
    let full = succeeds(d, &["run", p(&scenario), "--runs", "300", "--out", "full"]);

    // Three shards, each on another number of threads.
    let states: Vec<PathBuf> = [(1, "1"), (2, "2"), (3, "3")]
        .into_iter()
        .map(|(k, threads)| {
            run_shard(
                d,
                &scenario,
                300,
                (k, 3),
                Some(&format!("d{k}")),
                &["--threads", threads],
            )
        })
        .collect();
    let merged = succeeds(d, &["merge", "d1", "d2", "d3", "--out", "m"]);
    assert_eq!(
        files_below(&d.join("m")),
        with_pack("", &["result.json", "summary.csv"])
    );
    assert_same_outputs(d, "full", "m");
    // The briefing pack too is byte-identical.
    for file in files_below(&d.join("m")) {
        let left = fs::read(d.join("full").join(&file)).unwrap();
        let right = fs::read(d.join("m").join(&file)).unwrap();
        assert!(
            left == right,
            "full/{} and m/{} differ",
            file.display(),
            file.display()
        );
    }
    assert_eq!(
        glance_of(&merged),
        glance_of(&full),
        "merge prints the summary of the whole study"
    );
    assert!(
        merged.ends_with(
            "Wrote summary.csv, result.json, capacity.csv, sensitivity.csv, report.html, pledge.xlsx, charts/ (42 files) to m\n"
        ),
        "{merged}"
    );

    // The state files themselves, in any order.
    succeeds(
        d,
        &[
            "merge",
            p(&states[2]),
            p(&states[0]),
            p(&states[1]),
            "--out",
            "m-files",
        ],
    );
    assert_same_outputs(d, "full", "m-files");

    // Every shard in one folder.
    fs::create_dir(d.join("together")).unwrap();
    for state in &states {
        fs::copy(
            d.join(state),
            d.join("together").join(state.file_name().unwrap()),
        )
        .unwrap();
    }
    succeeds(d, &["merge", "together", "--out", "m-together"]);
    assert_same_outputs(d, "full", "m-together");

    // Two shards, the first into the default folder out/<stem>.
    let first = run_shard(d, &scenario, 300, (1, 2), None, &[]);
    assert_eq!(first, state_file("out/hague-2035", 1, 2));
    run_shard(d, &scenario, 300, (2, 2), Some("h2"), &[]);
    succeeds(d, &["merge", "out/hague-2035", "h2", "--out", "m2"]);
    assert_same_outputs(d, "full", "m2");
}

/// Runs `pledge merge args..` in `dir`, which must be refused with exit 2 and a message that
/// starts with `error: {file}:` (when given) and holds every `wanted` fragment, writing
/// nothing, not even the output folder. Returns stderr.
#[track_caller]
fn merge_refused(dir: &Path, args: &[&str], file: Option<&Path>, wanted: &[&str]) -> String {
    let mut all = vec!["merge"];
    all.extend(args);
    all.extend(["--out", "m"]);
    let inputs = files_below(dir);
    let stderr = assert_rejected(dir, &inputs, &all, wanted);
    if let Some(file) = file {
        let prefix = format!("error: {}:", file.display());
        assert!(
            stderr.starts_with(&prefix),
            "expected the message to name {}:\n{stderr}",
            file.display()
        );
    }
    assert!(!dir.join("m").exists());
    stderr
}

#[test]
fn merge_refuses_a_missing_shard() {
    let dir = tempdir();
    let d = dir.path();
    let scenario = shipped("hague-2035.toml");
    for k in 1..=3 {
        run_shard(d, &scenario, 300, (k, 3), Some(&format!("d{k}")), &[]);
    }
    // The middle one: named at the shard after the gap.
    let (start, end) = shard_runs(300, 2, 3);
    merge_refused(
        d,
        &["d1", "d3"],
        Some(&state_file("d3", 3, 3)),
        &[
            &format!("runs {start}..{end} are missing before shard 3/3"),
            "merge every shard",
        ],
    );
    // The last one: named at the shard before the gap.
    let (start, _) = shard_runs(300, 3, 3);
    merge_refused(
        d,
        &["d1", "d2"],
        Some(&state_file("d2", 2, 3)),
        &[
            &format!("runs {start}..300 after this shard (2/3) are missing"),
            "merge every shard",
        ],
    );
    // The first one.
    let (_, end) = shard_runs(300, 1, 3);
    merge_refused(
        d,
        &["d2", "d3"],
        Some(&state_file("d2", 2, 3)),
        &[&format!("runs 0..{end} are missing before shard 2/3")],
    );
}

#[test]
fn merge_refuses_overlapping_shards() {
    let dir = tempdir();
    let d = dir.path();
    let scenario = shipped("hague-2035.toml");
    for k in 1..=3 {
        run_shard(d, &scenario, 300, (k, 3), Some(&format!("d{k}")), &[]);
    }
    run_shard(d, &scenario, 300, (1, 2), Some("h1"), &[]);
    let (_, thirds_end) = shard_runs(300, 1, 3);
    let (_, half_end) = shard_runs(300, 1, 2);
    let (second_start, second_end) = shard_runs(300, 2, 3);

    // 1/2 beside a complete set of thirds: 1/2 and 1/3 both start at run 0.
    merge_refused(
        d,
        &["h1", "d1", "d2", "d3"],
        Some(&state_file("h1", 1, 2)),
        &[&format!(
            "shard 1/2 overlaps another shard: runs 0..{thirds_end} are given twice"
        )],
    );
    // 1/2 in place of 1/3: it reaches into 2/3.
    merge_refused(
        d,
        &["h1", "d2", "d3"],
        Some(&state_file("d2", 2, 3)),
        &[&format!(
            "shard 2/3 overlaps another shard: runs {second_start}..{} are given twice",
            half_end.min(second_end)
        )],
    );
    // One folder given twice.
    merge_refused(
        d,
        &["d1", "d2", "d3", "d2"],
        Some(&state_file("d2", 2, 3)),
        &["is given twice; name each shard once"],
    );
}

#[test]
fn merge_refuses_shards_of_different_studies() {
    let dir = tempdir();
    let d = dir.path();
    let hague = shipped("hague-2035.toml");
    run_shard(d, &hague, 300, (1, 3), Some("d1"), &[]);
    run_shard(d, &hague, 300, (3, 3), Some("d3"), &[]);
    let first = state_file("d1", 1, 3);

    // Another seed.
    run_shard(d, &hague, 300, (2, 3), Some("seed9"), &["--seed", "9"]);
    merge_refused(
        d,
        &["d1", "seed9", "d3"],
        Some(&state_file("seed9", 2, 3)),
        &[&format!(
            "seed 9 differs from 2025 in {}; shards must come from one study",
            first.display()
        )],
    );

    // Another run count: the same shard index of 400 runs.
    run_shard(d, &hague, 400, (2, 3), Some("runs400"), &[]);
    merge_refused(
        d,
        &["d1", "runs400", "d3"],
        Some(&state_file("runs400", 2, 3)),
        &[&format!(
            "run count 400 differs from 300 in {}; shards must come from one study",
            first.display()
        )],
    );

    // Another scenario, even with the same seed and runs.
    run_shard(
        d,
        &shipped("nordic-baltic.toml"),
        300,
        (2, 3),
        Some("nordic"),
        &["--seed", "2025"],
    );
    merge_refused(
        d,
        &["d1", "nordic", "d3"],
        Some(&state_file("nordic", 2, 3)),
        &[
            "scenario 'Nordic-Baltic front line at 5% by 2032' (input hash",
            &format!("in {}; shards must come from one study", first.display()),
        ],
    );
}

#[test]
fn merge_refuses_a_corrupted_state_file() {
    let dir = tempdir();
    let d = dir.path();
    let scenario = shipped("hague-2035.toml");
    for k in 1..=3 {
        run_shard(d, &scenario, 300, (k, 3), Some(&format!("d{k}")), &[]);
    }
    let middle = fs::read(d.join(state_file("d2", 2, 3))).unwrap();

    // Not JSON at all, found in a folder.
    fs::create_dir(d.join("text")).unwrap();
    fs::write(d.join(state_file("text", 2, 3)), "not a state\n").unwrap();
    merge_refused(
        d,
        &["d1", "text", "d3"],
        Some(&state_file("text", 2, 3)),
        &["not a pledge shard state"],
    );

    // Cut short, given directly: located at the end of what is left.
    fs::write(d.join("cut.json"), &middle[..middle.len() / 2]).unwrap();
    let stderr = merge_refused(
        d,
        &["d1", "cut.json", "d3"],
        Some(Path::new("cut.json")),
        &["not a pledge shard state", "EOF"],
    );
    assert!(stderr.starts_with("error: cut.json:1:"), "{stderr}");

    // JSON, but the outputs of a run rather than a state.
    succeeds(d, &["run", p(&scenario), "--runs", "64", "--out", "full"]);
    merge_refused(
        d,
        &["d1", "full/result.json", "d3"],
        Some(Path::new("full/result.json")),
        &["not a pledge shard state", "missing field `format`"],
    );

    // A state whose scenario was edited after the run.
    let mut state: Value = serde_json::from_slice(&middle).unwrap();
    state["scenario"]["title"] = Value::from("Edited by hand");
    fs::write(d.join("edited.json"), serde_json::to_vec(&state).unwrap()).unwrap();
    merge_refused(
        d,
        &["d1", "edited.json", "d3"],
        Some(Path::new("edited.json")),
        &["its scenario does not match its input hash; the file is damaged"],
    );
}

#[test]
fn merge_refuses_a_folder_without_shard_files() {
    let dir = tempdir();
    let d = dir.path();
    let scenario = shipped("hague-2035.toml");
    run_shard(d, &scenario, 300, (1, 1), Some("d1"), &[]);
    fs::create_dir(d.join("empty")).unwrap();
    merge_refused(
        d,
        &["d1", "empty"],
        Some(Path::new("empty")),
        &["holds no shard-*.json state files; pass the --out folders of `pledge run --shard`"],
    );
    // The folder of an unsharded run.
    succeeds(d, &["run", p(&scenario), "--runs", "300", "--out", "full"]);
    merge_refused(
        d,
        &["full"],
        Some(Path::new("full")),
        &["holds no shard-*.json state files"],
    );
    // A folder that does not exist.
    merge_refused(
        d,
        &["d1", "nothere"],
        Some(Path::new("nothere")),
        &["cannot read"],
    );
    // The lone shard 1/1 is the whole study.
    succeeds(d, &["merge", "d1", "--out", "m"]);
    assert_same_outputs(d, "full", "m");
}

/// Two blocks of runs (64 runs with blocks of 32) make at most two shards, and two shards are
/// fine (the refusal of a third is checked at library level in `bad_input.rs`).
#[test]
fn two_blocks_of_runs_make_two_shards() {
    let dir = tempdir();
    run_shard(
        dir.path(),
        &shipped("hague-2035.toml"),
        2 * block_runs(),
        (2, 2),
        Some("d"),
        &[],
    );
}
