//! The Monte Carlo flags of `run` and `compare` as a user meets them: `--threads` changes no
//! byte of the outputs or the terminal summary; `--runs auto` stops at a checkpoint whose
//! outputs are those of a fixed run of as many runs, or says it has not converged by
//! `--max-runs`; and the progress bar never reaches a stderr that is not a terminal, with or
//! without `--quiet`. Shards and `merge` are in `cli_merge.rs`.

use crate::common::{assert_same_outputs, glance_of, p, read_json, shipped, succeeds, tempdir};
use std::fs;

#[test]
fn threads_do_not_change_the_results() {
    let dir = tempdir();
    let scenario = shipped("hague-2035.toml");
    let run = |threads: Option<&str>, out: &str| {
        let mut args = vec!["run", p(&scenario), "--runs", "300", "--out", out];
        if let Some(t) = threads {
            args.extend(["--threads", t]);
        }
        succeeds(dir.path(), &args)
    };
    let one = run(Some("1"), "t1");
    let two = run(Some("2"), "t2");
    let every = run(None, "all-cores");
    assert_same_outputs(dir.path(), "t1", "t2");
    assert_same_outputs(dir.path(), "t1", "all-cores");
    assert_eq!(glance_of(&one), glance_of(&two));
    assert_eq!(glance_of(&one), glance_of(&every));
    assert!(one.contains("over 300 Monte Carlo runs"), "{one}");
}

/// `--runs auto` stops at a checkpoint of whole blocks; its outputs are exactly those of a fixed
/// run of that many runs, plus the record of the checkpoints. Run on one thread and without
/// `--quiet`: in a debug build it lasts longer than the progress bar's grace period of a
/// second, and still nothing may reach stderr, which is not a terminal here.
#[test]
fn runs_auto_ends_at_a_checkpoint_equal_to_a_fixed_run() {
    let dir = tempdir();
    let d = dir.path();
    let stdout = succeeds(
        d,
        &[
            "compare",
            "--runs",
            "auto",
            "--max-runs",
            "4096",
            "--tolerance",
            "50",
            "--threads",
            "1",
            "--out",
            "auto",
        ],
    );
    let json = read_json(&d.join("auto/result.json"));
    let convergence = &json["monte_carlo"]["convergence"];
    assert_eq!(convergence["tolerance_pct"], 50.0);
    assert_eq!(convergence["max_runs"], 4096);
    let converged = convergence["converged"]
        .as_bool()
        .unwrap_or_else(|| panic!("converged is not a boolean: {convergence}"));
    let checkpoints = convergence["checkpoints"]
        .as_array()
        .unwrap_or_else(|| panic!("no checkpoints: {convergence}"));
    assert!(!checkpoints.is_empty());
    // 1,024 runs, then doubling; a change from the second checkpoint on.
    let mut expected_runs = 1024;
    for (i, checkpoint) in checkpoints.iter().enumerate() {
        assert_eq!(checkpoint["runs"], expected_runs, "{convergence}");
        expected_runs *= 2;
        let change = &checkpoint["max_change_pct"];
        if i == 0 {
            assert!(change.is_null(), "{convergence}");
        } else {
            let change = change.as_f64().expect("a change in %");
            let last = i == checkpoints.len() - 1;
            // It stops at the first checkpoint within the tolerance, and only there.
            assert_eq!(
                change <= 50.0,
                last && converged,
                "checkpoint {i}: {convergence}"
            );
        }
    }
    let runs = checkpoints.last().unwrap()["runs"].as_u64().unwrap();
    assert!(runs <= 4096);
    assert!(converged || runs == 4096, "{convergence}");
    assert_eq!(json["runs"], runs);
    assert_eq!(json["monte_carlo"]["runs"], runs);
    assert_eq!(json["scenario"]["runs"], runs);
    let verdict = if converged {
        format!(
            "--runs auto: headline P50 and P90 stable to 50% after {} checkpoints",
            checkpoints.len()
        )
    } else {
        format!(
            "--runs auto: NOT stable to 50% by --max-runs 4,096 ({} checkpoints)",
            checkpoints.len()
        )
    };
    assert!(stdout.contains(&verdict), "{stdout}");

    // The same study with that many runs, fixed.
    let runs_text = runs.to_string();
    succeeds(d, &["compare", "--runs", &runs_text, "--out", "fixed"]);
    assert!(
        fs::read(d.join("auto/summary.csv")).unwrap()
            == fs::read(d.join("fixed/summary.csv")).unwrap(),
        "summary.csv of --runs auto differs from that of --runs {runs}"
    );
    let mut fixed = read_json(&d.join("fixed/result.json"));
    assert!(fixed["monte_carlo"]["convergence"].is_null());
    fixed["monte_carlo"]["convergence"] = convergence.clone();
    assert!(
        fixed == json,
        "result.json of --runs auto differs from that of --runs {runs} beyond convergence"
    );
}

#[test]
fn runs_auto_that_reaches_max_runs_has_not_converged() {
    let dir = tempdir();
    let d = dir.path();
    let stdout = succeeds(
        d,
        &[
            "compare",
            "--goals",
            "2,3.5",
            "--runs",
            "auto",
            "--max-runs",
            "64",
            "--out",
            "auto",
        ],
    );
    assert!(
        stdout.contains("over 64 Monte Carlo runs")
            && stdout.contains("--runs auto: NOT stable to 0.5% by --max-runs 64 (1 checkpoint)"),
        "{stdout}"
    );
    let json = read_json(&d.join("auto/result.json"));
    let convergence = &json["monte_carlo"]["convergence"];
    assert_eq!(convergence["converged"], false);
    assert_eq!(convergence["tolerance_pct"], 0.5, "the default tolerance");
    assert_eq!(
        convergence["checkpoints"],
        serde_json::json!([{ "runs": 64, "max_change_pct": null }])
    );
    assert_eq!(json["runs"], 64);
    succeeds(
        d,
        &[
            "compare", "--goals", "2,3.5", "--runs", "64", "--out", "fixed",
        ],
    );
    assert!(
        fs::read(d.join("auto/summary.csv")).unwrap()
            == fs::read(d.join("fixed/summary.csv")).unwrap()
    );
}

/// The progress bar goes to stderr only when it is a terminal; here it is a pipe, so every
/// command leaves stderr empty with or without `--quiet` (`succeeds` checks it), and `--quiet`
/// changes neither stdout nor the files.
#[test]
fn progress_never_reaches_a_stderr_that_is_not_a_terminal() {
    let dir = tempdir();
    let d = dir.path();
    let scenario = shipped("nordic-baltic.toml");
    let s = p(&scenario);
    let commands: [&[&str]; 4] = [
        &["run", s, "--runs", "500", "--threads", "1", "--out", "run"],
        &[
            "run", s, "--runs", "500", "--shard", "1/1", "--out", "shard",
        ],
        &["merge", "shard", "--out", "merged"],
        &["compare", "--runs", "500", "--threads", "1", "--out", "cmp"],
    ];
    for args in commands {
        let loud = succeeds(d, args);
        // The same command into a sibling folder (the last argument), with --quiet; merge
        // has no progress bar and no --quiet.
        let (out, rest) = args.split_last().unwrap();
        let sibling = format!("{out}-quiet");
        let mut quiet: Vec<&str> = rest.to_vec();
        quiet.push(&sibling);
        if args[0] != "merge" {
            quiet.push("--quiet");
        }
        let silent = succeeds(d, &quiet);
        assert_eq!(glance_of(&loud), glance_of(&silent), "{args:?}");
    }
    assert_same_outputs(d, "run", "run-quiet");
    assert_same_outputs(d, "run", "merged");
    assert_same_outputs(d, "cmp", "cmp-quiet");
    assert!(
        fs::read(d.join("shard/shard-0001-of-0001.json")).unwrap()
            == fs::read(d.join("shard-quiet/shard-0001-of-0001.json")).unwrap()
    );
}
