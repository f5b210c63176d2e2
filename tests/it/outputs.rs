//! The output folder as a set, and the bounds on what a run may ask for, as a user meets them:
//! a folder holds one run's files, whole; a kill, Ctrl-C or SIGTERM at any moment leaves the
//! previous set or the new one, never a mix and (but for SIGKILL, repaired by the next run)
//! no leftovers; stale files go and a user's files stay; `--out` refuses the root, the home
//! folder and the current folder; a write error names its file; requests too large for the
//! machine are refused before they start, with the flag that allows them.

use crate::common::{files_below, pledge, root};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

const MANIFEST: &str = ".pledge-manifest";

fn hague() -> String {
    root()
        .join("scenarios/hague-2035.toml")
        .display()
        .to_string()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn run(dir: &Path, args: &[&str]) -> Output {
    pledge(dir).args(args).output().unwrap()
}

#[track_caller]
fn succeeds(dir: &Path, args: &[&str]) -> String {
    let out = run(dir, args);
    assert_eq!(
        out.status.code(),
        Some(0),
        "pledge {args:?}\nstdout:\n{}\nstderr:\n{}",
        text(&out.stdout),
        text(&out.stderr)
    );
    text(&out.stdout)
}

/// The names in `dir` itself, sorted.
fn names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    names
}

/// Every file below `dir` with its bytes.
fn snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    files_below(dir)
        .into_iter()
        .map(|f| {
            let bytes = fs::read(dir.join(&f)).unwrap();
            (f, bytes)
        })
        .collect()
}

fn manifest_files(dir: &Path) -> Vec<String> {
    let json: serde_json::Value =
        serde_json::from_slice(&fs::read(dir.join(MANIFEST)).unwrap()).unwrap();
    json["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f.as_str().unwrap().to_string())
        .collect()
}

fn paths(names: &[&str]) -> Vec<PathBuf> {
    names.iter().map(PathBuf::from).collect()
}

// ---------------------------------------------------------------------------------------------
// One run's files
// ---------------------------------------------------------------------------------------------

/// Reproduction: charts of another scenario's items stayed behind, and so did report.html and
/// pledge.xlsx after a `--no-report` run. Now the files the previous run wrote and this one does
/// not are removed; the user's files (here notes.txt, a file among the charts and a folder of
/// drafts) are kept in place.
#[test]
fn stale_files_go_and_the_users_files_stay() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let nordic = root().join("scenarios/nordic-baltic.toml");
    succeeds(
        d,
        &[
            "run",
            nordic.to_str().unwrap(),
            "--runs",
            "64",
            "--out",
            "o",
        ],
    );
    let o = d.join("o");
    assert!(o.join("charts/capacity_shell155_nb.svg").exists());
    fs::write(o.join("notes.txt"), "my notes").unwrap();
    fs::write(o.join("charts/mine.txt"), "mine").unwrap();
    fs::create_dir(o.join("drafts")).unwrap();
    fs::write(o.join("drafts/a.md"), "draft").unwrap();

    let stdout = succeeds(d, &["run", &hague(), "--runs", "64", "--out", "o"]);
    assert!(
        stdout.ends_with(
            "to o; kept what pledge did not write there: charts/mine.txt, drafts/a.md, notes.txt\n"
        ),
        "{stdout}"
    );
    let files = files_below(&o);
    assert!(!files.contains(&PathBuf::from("charts/capacity_shell155_nb.svg")));
    assert!(!files.contains(&PathBuf::from("charts/capacity_shell155_nb.png")));
    assert!(files.contains(&PathBuf::from("charts/capacity_shell155_eu.svg")));
    assert_eq!(fs::read_to_string(o.join("notes.txt")).unwrap(), "my notes");

    succeeds(
        d,
        &["run", &hague(), "--runs", "64", "--no-report", "--out", "o"],
    );
    assert_eq!(
        files_below(&o),
        paths(&[
            MANIFEST,
            "capacity.csv",
            "charts/mine.txt",
            "drafts/a.md",
            "notes.txt",
            "result.json",
            "sensitivity.csv",
            "summary.csv"
        ])
    );
    assert_eq!(
        manifest_files(&o),
        [
            "capacity.csv",
            "result.json",
            "sensitivity.csv",
            "summary.csv"
        ]
    );
    assert_eq!(names(d), ["o"], "no staging folder or temporary file left");
}

/// `pledge report DIR` rebuilds the parts of the pack it is asked for beside the results, and
/// keeps the results and the other parts.
#[test]
fn report_into_the_results_folder_keeps_the_results() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    succeeds(d, &["run", &hague(), "--runs", "64", "--out", "o"]);
    let before = files_below(&d.join("o"));
    let summary = fs::read(d.join("o/summary.csv")).unwrap();
    succeeds(d, &["report", "o", "--format", "html"]);
    assert_eq!(files_below(&d.join("o")), before);
    assert_eq!(fs::read(d.join("o/summary.csv")).unwrap(), summary);
    let listed = manifest_files(&d.join("o"));
    assert!(listed.contains(&"result.json".to_string()), "{listed:?}");
    assert!(
        listed.contains(&"charts/burden.svg".to_string()),
        "{listed:?}"
    );
    assert_eq!(names(d), ["o"]);
}

/// Shards written into one folder stay side by side, and merge from it (and into it).
#[test]
fn shards_written_into_one_folder_stay_side_by_side() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    for k in ["1/2", "2/2"] {
        succeeds(
            d,
            &["run", &hague(), "--runs", "128", "--shard", k, "--out", "s"],
        );
    }
    assert_eq!(
        files_below(&d.join("s")),
        paths(&[
            MANIFEST,
            "shard-0001-of-0002.json",
            "shard-0002-of-0002.json"
        ])
    );
    succeeds(d, &["merge", "s", "--out", "m", "--no-report"]);
    // Merged into their own folder, the shards stay beside the results.
    succeeds(d, &["merge", "s", "--out", "s", "--no-report"]);
    assert_eq!(
        files_below(&d.join("s")),
        paths(&[
            MANIFEST,
            "capacity.csv",
            "result.json",
            "sensitivity.csv",
            "shard-0001-of-0002.json",
            "shard-0002-of-0002.json",
            "summary.csv"
        ])
    );
    succeeds(
        d,
        &[
            "run",
            &hague(),
            "--runs",
            "128",
            "--no-report",
            "--out",
            "full",
        ],
    );
    for file in ["summary.csv", "result.json"] {
        assert_eq!(
            fs::read(d.join("m").join(file)).unwrap(),
            fs::read(d.join("full").join(file)).unwrap(),
            "{file}"
        );
    }
}

/// Reproduction: a write error named the folder. Here a folder the user made is where pledge
/// writes result.json: the error names that file, exit 1, and the previous set is untouched.
#[test]
fn a_write_error_names_the_file_and_keeps_the_previous_set() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    succeeds(
        d,
        &["run", &hague(), "--runs", "64", "--no-report", "--out", "o"],
    );
    fs::remove_file(d.join("o/result.json")).unwrap();
    fs::create_dir(d.join("o/result.json")).unwrap();
    fs::write(d.join("o/result.json/inside.txt"), "mine").unwrap();
    let before = snapshot(&d.join("o"));
    let out = run(
        d,
        &[
            "run",
            &hague(),
            "--runs",
            "64",
            "--seed",
            "9",
            "--no-report",
            "--out",
            "o",
        ],
    );
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.starts_with(
            "error: cannot write o/result.json: a folder pledge did not make is in the way"
        ),
        "{stderr}"
    );
    assert_eq!(snapshot(&d.join("o")), before);
    assert_eq!(names(d), ["o"]);
}

// ---------------------------------------------------------------------------------------------
// Kills and interrupts
// ---------------------------------------------------------------------------------------------

fn spawn(dir: &Path, args: &[&str]) -> Child {
    Command::new(env!("CARGO_BIN_EXE_pledge"))
        .current_dir(dir)
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

fn signal(child: &Child, name: &str) {
    let status = Command::new("kill")
        .args([&format!("-{name}"), &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success(), "kill -{name}");
}

/// Waits at most a minute for `child`.
fn wait(child: Child) -> Output {
    let start = Instant::now();
    let mut child = child;
    while child.try_wait().unwrap().is_none() {
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "pledge did not stop"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().unwrap()
}

/// Reproduction: a kill or Ctrl-C while writing left 14 new files beside 14 old ones, and
/// `.tmp` files. Now, after SIGKILL, SIGINT or SIGTERM at moments spread over a whole run, the
/// folder holds exactly the previous run's files or exactly the new run's, byte for byte,
/// beside the user's notes; SIGINT and SIGTERM leave nothing else beside it and exit 130
/// unless the new set was already in place; what SIGKILL leaves is cleared by the next run.
#[test]
fn a_kill_at_any_moment_leaves_one_whole_set() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let args = |seed: &'static str, out: &'static str| {
        vec![
            "run",
            Box::leak(hague().into_boxed_str()) as &str,
            "--runs",
            "256",
            "--seed",
            seed,
            "--threads",
            "2",
            "--out",
            out,
        ]
    };
    let start = Instant::now();
    succeeds(d, &args("1", "ref1"));
    let duration = start.elapsed();
    succeeds(d, &args("2", "ref2"));
    let sets = [snapshot(&d.join("ref1")), snapshot(&d.join("ref2"))];
    let start = Instant::now();
    succeeds(d, &args("1", "o"));
    let duration = duration.max(start.elapsed());
    fs::write(d.join("o/notes.txt"), "mine").unwrap();

    for signal_name in ["KILL", "INT", "TERM"] {
        // From a tenth of a normal run on, each a little later, until one finishes before the
        // signal: the runs, the writing of the pack and the swap.
        let mut delay = duration.mul_f64(0.1);
        for attempt in 0.. {
            assert!(attempt < 40, "no run finished before SIG{signal_name}");
            // Which set is there now; ask for the other.
            let mut now = snapshot(&d.join("o"));
            now.retain(|(f, _)| f != Path::new("notes.txt"));
            let current = sets
                .iter()
                .position(|s| *s == now)
                .unwrap_or_else(|| panic!("o holds a mixed set: {:?}", files_below(&d.join("o"))));
            let seed = if current == 0 { "2" } else { "1" };
            let child = spawn(d, &args(seed, "o"));
            std::thread::sleep(delay);
            signal(&child, signal_name);
            let out = wait(child);
            let stderr = text(&out.stderr);

            let mut after = snapshot(&d.join("o"));
            after.retain(|(f, _)| f != Path::new("notes.txt"));
            let now_set = sets.iter().position(|s| *s == after).unwrap_or_else(|| {
                panic!(
                    "after SIG{signal_name} at {delay:?}: o holds a mixed set: {:?}",
                    files_below(&d.join("o"))
                )
            });
            assert_eq!(fs::read(d.join("o/notes.txt")).unwrap(), b"mine");
            if signal_name != "KILL" {
                match out.status.code() {
                    Some(130) => {
                        assert_eq!(now_set, current, "interrupted: the previous set stays");
                        assert!(
                            stderr.contains(&format!(
                                "error: interrupted: nothing written; o still holds the previous run (seed {}, 256 runs)",
                                current + 1
                            )),
                            "{stderr}"
                        );
                    }
                    Some(0) => assert_ne!(now_set, current, "finished: the new set is there"),
                    other => panic!("SIG{signal_name}: exit {other:?}\n{stderr}"),
                }
                assert_eq!(
                    names(d),
                    ["o", "ref1", "ref2"],
                    "after SIG{signal_name} at {delay:?}: leftovers"
                );
            }
            if now_set != current {
                break;
            }
            delay = delay.mul_f64(1.3);
        }
        // Whatever SIGKILL left beside the folder goes with the next run.
        let mut now = snapshot(&d.join("o"));
        now.retain(|(f, _)| f != Path::new("notes.txt"));
        let current = sets.iter().position(|s| *s == now).unwrap();
        succeeds(d, &args(if current == 0 { "2" } else { "1" }, "o"));
        let left: Vec<String> = names(d)
            .into_iter()
            .filter(|n| n.starts_with('.'))
            .map(|n| format!("{n}: {:?}", files_below(&d.join(&n))))
            .collect();
        assert_eq!(
            names(d),
            ["o", "ref1", "ref2"],
            "left after SIG{signal_name}: {left:?}"
        );
    }
}

/// Ctrl-C during the runs: the command stops within a step, exits 130, says what the folder
/// still holds, and leaves the previous set and nothing else. The run is long enough to be
/// announced with its estimate.
#[test]
fn ctrl_c_during_the_runs_keeps_the_previous_set() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    succeeds(
        d,
        &["run", &hague(), "--runs", "64", "--seed", "1", "--out", "o"],
    );
    let before = snapshot(&d.join("o"));
    for (signal_name, extra) in [("INT", &[][..]), ("TERM", &["--allow-large"][..])] {
        // A billion runs would take hours: refused without --allow-large, run with it.
        let runs = if extra.is_empty() {
            "3000000"
        } else {
            "1000000000"
        };
        let mut args = vec![
            "run".to_string(),
            hague(),
            "--runs".into(),
            runs.into(),
            "--threads".into(),
            "1".into(),
            "--out".into(),
            "o".into(),
        ];
        args.extend(extra.iter().map(|s| s.to_string()));
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let child = spawn(d, &args);
        std::thread::sleep(Duration::from_millis(1500));
        signal(&child, signal_name);
        let out = wait(child);
        let stderr = text(&out.stderr);
        assert_eq!(out.status.code(), Some(130), "{stderr}");
        assert!(
            stderr.contains(&format!(
                "estimate: 11,044 values per run × {} runs on 1 thread: about ",
                if extra.is_empty() {
                    "3,000,000"
                } else {
                    "1,000,000,000"
                }
            )),
            "{stderr}"
        );
        assert!(
            stderr.ends_with(
                "error: interrupted: nothing written; o still holds the previous run (seed 1, 64 runs)\n"
            ),
            "{stderr}"
        );
        assert_eq!(text(&out.stdout), "");
        assert_eq!(snapshot(&d.join("o")), before);
        assert_eq!(names(d), ["o"]);
    }
}

// ---------------------------------------------------------------------------------------------
// Where outputs may go
// ---------------------------------------------------------------------------------------------

/// Reproduction: `--out /` was accepted. The root, the home folder, and a folder above the
/// current folder are refused with exit 2 and nothing written: pledge replaces its output
/// folder as a whole, so it needs a folder of its own. The current folder itself is allowed.
#[test]
fn out_refuses_the_root_the_home_folder_and_the_folders_above() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    fs::create_dir_all(d.join("home/work/sub")).unwrap();
    let cases: [(&str, &Path, &str); 4] = [
        ("/", d, "/ is the root folder"),
        ("home", d, "home is your home folder"),
        (
            "..",
            &d.join("home/work/sub"),
            ".. is a folder above the current folder",
        ),
        (
            d.to_str().unwrap(),
            &d.join("home"),
            "is a folder above the current folder",
        ),
    ];
    for (out_dir, cwd, wanted) in cases {
        let before = files_below(d);
        let out = pledge(cwd)
            .env("HOME", d.join("home"))
            .args(["run", &hague(), "--runs", "20", "--out", out_dir])
            .output()
            .unwrap();
        let stderr = text(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "--out {out_dir}: {stderr}");
        assert!(
            stderr.starts_with("error: --out: ") && stderr.contains(wanted),
            "--out {out_dir}: {stderr}"
        );
        assert!(stderr.contains("needs a folder of its own"), "{stderr}");
        assert_eq!(files_below(d), before, "--out {out_dir} wrote something");
        assert_eq!(names(d), ["home"]);
    }
    // The current folder: its set is replaced like any other, the user's files kept.
    let work = d.join("home/work");
    succeeds(
        &work,
        &["run", &hague(), "--runs", "20", "--no-report", "--out", "."],
    );
    let stdout = succeeds(
        &work,
        &["run", &hague(), "--runs", "20", "--no-report", "--out", "."],
    );
    assert!(
        stdout.ends_with("to .; kept what pledge did not write there: sub\n"),
        "{stdout}"
    );
    assert_eq!(
        names(&work),
        [
            MANIFEST,
            "capacity.csv",
            "result.json",
            "sensitivity.csv",
            "sub",
            "summary.csv"
        ]
    );
    assert_eq!(names(&d.join("home")), ["work"]);
}

/// Reproduction: a scenario file named `...toml` (stem `..`) wrote into the current folder
/// through `out/..`. Its default folder is `out/scenario`.
#[test]
fn a_scenario_named_dots_writes_into_out_scenario() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    fs::copy(hague(), d.join("...toml")).unwrap();
    let stdout = succeeds(d, &["run", "...toml", "--runs", "20", "--no-report"]);
    assert!(stdout.ends_with("to out/scenario\n"), "{stdout}");
    assert_eq!(names(d), ["...toml", "out"]);
    assert_eq!(names(&d.join("out")), ["scenario"]);
    assert_eq!(
        files_below(&d.join("out/scenario")),
        paths(&[
            MANIFEST,
            "capacity.csv",
            "result.json",
            "sensitivity.csv",
            "summary.csv"
        ])
    );
}

// ---------------------------------------------------------------------------------------------
// Bounded requests
// ---------------------------------------------------------------------------------------------

/// Checks a request refused as too large: exit 2, one message naming what and the limit and
/// `--allow-large`, nothing written.
#[track_caller]
fn too_large(dir: &Path, args: &[&str], wanted: &[&str]) {
    let before = files_below(dir);
    let out = run(dir, args);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "pledge {args:?}: {stderr}");
    assert_eq!(stderr.matches("error: ").count(), 1, "{stderr}");
    for w in wanted {
        assert!(
            stderr.contains(w),
            "pledge {args:?}: {w:?} not in\n{stderr}"
        );
    }
    assert_eq!(text(&out.stdout), "");
    assert_eq!(files_below(dir), before, "pledge {args:?} wrote something");
}

/// Reproduction: 50 goals to 2100 used 3.2 GB at 60 s, and 10,000 groups 6 GB. Both are
/// refused at once, before the model is built, naming the memory limit and the flag.
#[test]
fn a_study_too_large_for_memory_is_refused_before_it_starts() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let mut fifty = String::from(
        "schema_version = 1\ntitle = \"Fifty goals\"\nhorizon = 2100\nruns = 10000\nseed = 1\n",
    );
    for g in 0..50 {
        fifty.push_str(&format!(
            "\n[[goal]]\nid = \"g{g}\"\nlabel = \"goal {g}\"\ncore_pct = {}\n",
            2.0 + 0.05 * f64::from(g)
        ));
    }
    fs::write(d.join("fifty.toml"), fifty).unwrap();
    let iso3 = [
        "ALB", "BEL", "BGR", "CAN", "HRV", "CZE", "DNK", "EST", "FIN", "FRA", "DEU", "GRC", "HUN",
        "ISL", "ITA", "LVA", "LTU", "LUX", "MNE", "NLD", "MKD", "NOR", "POL", "PRT", "ROU", "SVK",
        "SVN", "ESP", "SWE", "TUR", "GBR", "USA",
    ];
    let mut groups = String::from(
        "schema_version = 1\ntitle = \"Many groups\"\nhorizon = 2035\nruns = 1000\nseed = 1\n\n[groups]\n",
    );
    for g in 0..10_000 {
        groups.push_str(&format!(
            "g{g:05} = [\"{}\", \"{}\"]\n",
            iso3[g % 32],
            iso3[(g + 1) % 32]
        ));
    }
    groups.push_str("\n[[goal]]\nid = \"two\"\nlabel = \"2%\"\ncore_pct = 2\n");
    fs::write(d.join("groups.toml"), groups).unwrap();

    too_large(
        d,
        &["run", "fifty.toml", "--out", "o"],
        &[
            "error: fifty.toml: too large to run: 1,362,224 values per run (50 goals × 76 years",
            "of memory on 1 thread (limit 8 GB)",
            "pass --allow-large to run it anyway",
        ],
    );
    too_large(
        d,
        &["run", "groups.toml", "--out", "o"],
        &[
            "error: groups.toml: too large to run: 663,124 values per run (1 goal × 11 years × 10,038 groups",
            "(limit 8 GB)",
            "--allow-large",
        ],
    );
}

/// Reproduction: `--runs 1000000000` was accepted with no estimate. It is refused, naming
/// the time it would take and the limit (or, with --allow-large, announced: see
/// `ctrl_c_during_the_runs_keeps_the_previous_set`).
#[test]
fn a_billion_runs_are_refused_with_the_time_they_would_take() {
    let dir = tempfile::tempdir().unwrap();
    too_large(
        dir.path(),
        &[
            "run",
            &hague(),
            "--runs",
            "1000000000",
            "--threads",
            "1",
            "--out",
            "o",
        ],
        &[
            "error: --runs: too large to run: 11,044 values per run",
            "× 1,000,000,000 runs would take about 7 h 40 min on 1 thread (limit 1 h)",
            "--allow-large",
        ],
    );
}

/// Reproduction: `--threads 10000` took over a minute for 100 runs. It is refused: at most 4
/// threads per core (and 256).
#[test]
fn threads_beyond_four_per_core_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let cores = std::thread::available_parallelism().unwrap().get();
    let most = (4 * cores).min(256);
    for args in [
        vec!["run", &hague(), "--runs", "100", "--threads", "10000"],
        vec!["compare", "--runs", "100", "--threads", "10000"],
        vec!["backtest", "--runs", "100", "--threads", "10000"],
    ] {
        let out = run(dir.path(), &args);
        let stderr = text(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{stderr}");
        assert!(
            stderr.starts_with(&format!(
                "error: --threads: 10000 is out of range; expected 1 to {most} (4 per core"
            )),
            "{stderr}"
        );
    }
    assert!(files_below(dir.path()).is_empty());
}
