//! Bad input on the command line, one test per class of error: a bad scenario value, bad TOML
//! syntax, an unknown key, a bad data CSV, a missing scenario file and bad flags. Each must exit
//! with code 2, print one `error: ` line that says where (file:line:column, or the flag), never
//! panic, and write nothing: no output folder, no file, not even an empty folder. `run` and
//! `validate` report a scenario's error in the same words, and those words are the library's
//! (`scenario::parse`), so the message of every other bad value, key or file is checked at
//! library level, from the tables of `bad_input.rs`, without starting a process.
//!
//! Then writing the outputs: an `--out` that is a file cannot be written (exit 1, the file left
//! as it was), and the workbook needs no temporary folder, so a missing `TMPDIR` changes
//! nothing.

use crate::common::{
    PROBE, allies_csv_with_a_bad_gdp, assert_rejected, hague, output, pledge, probe_edit,
    probe_insert, scenario_with_allies, succeeds, summary_rows, tempdir, text,
};
use std::fs;
use std::path::{Path, PathBuf};

/// Writes `files` into a fresh folder and checks that both `pledge run SCENARIO --out out` and
/// `pledge validate SCENARIO` reject `scenario` with the same one-line message, which must
/// start with `error: {location}: ` and contain every `wanted` fragment. Returns the message.
#[track_caller]
fn rejects_files(
    files: &[(&str, &[u8])],
    scenario: &str,
    location: &str,
    wanted: &[&str],
) -> String {
    let dir = tempdir();
    let mut inputs = Vec::new();
    for (name, bytes) in files {
        let path = dir.path().join(name);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(&path, bytes).unwrap();
        inputs.push(PathBuf::from(name));
    }
    inputs.sort();
    let stderr = assert_rejected(
        dir.path(),
        &inputs,
        &["run", scenario, "--out", "out"],
        wanted,
    );
    let prefix = format!("error: {location}: ");
    assert!(
        stderr.starts_with(&prefix),
        "expected the message to start with {prefix:?}:\n{stderr}"
    );
    assert_eq!(
        stderr.lines().count(),
        1,
        "expected a one-line message:\n{stderr}"
    );
    let validated = assert_rejected(dir.path(), &inputs, &["validate", scenario], wanted);
    assert_eq!(validated, stderr, "validate and run report the same error");
    stderr
}

/// [`rejects_files`] for a single scenario file `bad.toml`.
#[track_caller]
fn rejects(scenario: impl AsRef<[u8]>, location: &str, wanted: &[&str]) -> String {
    rejects_files(
        &[("bad.toml", scenario.as_ref())],
        "bad.toml",
        location,
        wanted,
    )
}

/// The message `scenario::parse` gives for `text` as `bad.toml` in the working folder: what
/// `pledge run bad.toml` and `pledge validate bad.toml` print after `error: `.
fn library_message(text: &str) -> String {
    pledge::scenario::parse("bad.toml", text, Path::new(""), "bad")
        .expect_err("the library refuses it too")
        .to_string()
}

#[test]
fn base_scenario_of_the_bad_input_tests_is_valid() {
    let dir = tempdir();
    fs::write(dir.path().join("base.toml"), PROBE).unwrap();
    succeeds(dir.path(), &["validate", "base.toml"]);
    succeeds(dir.path(), &["run", "base.toml", "--out", "o"]);
    let rows = summary_rows(&dir.path().join("o/summary.csv"));
    assert!(
        rows.iter().any(|r| r[3] == "shell_x"),
        "the scenario's item is reported"
    );
    assert!(
        rows.iter().any(|r| r[2] == "front"),
        "the scenario's group is reported"
    );
}

/// A value out of its range (the library checks every other: `bad_input.rs`).
#[test]
fn bad_scenario_value() {
    let bad = probe_edit(10, "core_pct = 2.0", "core_pct = -1");
    let stderr = rejects(
        &bad,
        "bad.toml:10:12",
        &[
            "goal 'ref': core_pct = -1 is out of range",
            "a percentage of GDP between 0 and 100",
        ],
    );
    assert_eq!(stderr, format!("error: {}\n", library_message(&bad)));
}

/// TOML that does not parse (the library checks another: `bad_input.rs`).
#[test]
fn bad_toml_syntax() {
    let bad = probe_edit(10, "core_pct = 2.0", "core_pct = = 2.0");
    let stderr = rejects(&bad, "bad.toml:10:12", &["extra `=`"]);
    assert_eq!(stderr, format!("error: {}\n", library_message(&bad)));
}

/// A key the format does not have, answered with the keys it has (the library checks one in
/// every table: `bad_input.rs`).
#[test]
fn unknown_key() {
    let bad = probe_insert(5, "seed = 1", "colour = \"red\"");
    let mut wanted = vec!["unknown field `colour`"];
    wanted.extend([
        "schema_version",
        "title",
        "horizon",
        "runs",
        "seed",
        "data",
        "groups",
        "goal",
        "growth",
        "compliance",
        "inflation",
        "mix",
        "item",
    ]);
    let stderr = rejects(&bad, "bad.toml:6:1", &wanted);
    assert_eq!(stderr, format!("error: {}\n", library_message(&bad)));
}

/// A cell of a `[data]` CSV that is not a number, located in the CSV (the library checks an
/// unknown column and a missing file: `bad_input.rs`).
#[test]
fn bad_data_csv() {
    let (bad_csv, column) = allies_csv_with_a_bad_gdp();
    let scenario = scenario_with_allies("allies.csv");
    rejects_files(
        &[
            ("study/bad.toml", scenario.as_bytes()),
            ("study/allies.csv", &bad_csv),
        ],
        "study/bad.toml",
        &format!(
            "{}:5:{column}",
            Path::new("study").join("allies.csv").display()
        ),
        &[
            "column 'gdp_usd_bn'",
            "'lots' is not a number",
            "GDP in current USD billions",
        ],
    );
}

#[test]
fn missing_scenario_file() {
    let dir = tempdir();
    let stderr = assert_rejected(
        dir.path(),
        &[],
        &["run", "nothere.toml", "--out", "out"],
        &["nothere.toml: cannot read"],
    );
    assert!(stderr.starts_with("error: nothere.toml: "), "{stderr}");
    assert_rejected(
        dir.path(),
        &[],
        &["validate", "nothere.toml"],
        &["nothere.toml: cannot read"],
    );
    // Without --out either: no default out/ folder.
    assert_rejected(dir.path(), &[], &["run", "nothere.toml"], &["nothere.toml"]);
}

/// Checks that `pledge args..`, run in an empty folder, is rejected without writing anything.
#[track_caller]
fn rejects_flags(args: &[&str], wanted: &[&str]) -> String {
    let dir = tempdir();
    assert_rejected(dir.path(), &[], args, wanted)
}

/// Bad flags. The messages that only the binary gives (clap's, and `--runs` that is not a
/// number) are checked here; those of the library's checks (`--runs 0`, `--threads`,
/// `--tolerance`, `--max-runs`, `--shard`, `--goals`, `--horizon`) in `bad_input.rs`, with one
/// of them here, end to end.
#[test]
fn bad_flags() {
    let hague = hague();
    let run = |flags: &[&str]| -> Vec<String> {
        ["run", hague.as_str(), "--out", "out"]
            .iter()
            .chain(flags)
            .map(|s| s.to_string())
            .collect()
    };
    let args = |all: &[&str]| -> Vec<String> { all.iter().map(|s| s.to_string()).collect() };
    let not_runs = |value: &str| {
        format!("--runs: '{value}' is not allowed; expected a whole number of runs or auto")
    };
    // (arguments, wanted fragments, whether the message starts with the flag)
    let mut cases: Vec<(Vec<String>, Vec<String>, Option<&str>)> = vec![
        // The library's check, through the binary.
        (
            run(&["--runs", "0"]),
            vec!["--runs: 0 is out of range; expected 1 to 1000000000".into()],
            Some("--runs"),
        ),
        (
            run(&["--runs", "abc"]),
            vec![not_runs("abc")],
            Some("--runs"),
        ),
        (
            args(&["compare", "--runs", "1e3"]),
            vec![not_runs("1e3")],
            Some("--runs"),
        ),
        // `auto` is spelled in lower case.
        (
            args(&["compare", "--runs", "AUTO"]),
            vec![not_runs("AUTO")],
            Some("--runs"),
        ),
        // `-5` after `--runs` reads as a flag, not as a value; glued to it, it is a value.
        (run(&["--runs", "-5"]), vec!["'-5'".into()], None),
        (run(&["--runs=-5"]), vec![not_runs("-5")], None),
        (run(&["--seed", "-1"]), vec!["'-1'".into()], None),
        // One above i64::MAX, the largest seed a scenario can hold.
        (
            run(&["--runs", "300", "--seed", "9223372036854775808"]),
            vec![
                "invalid value '9223372036854775808' for '--seed <S>'".into(),
                "9223372036854775808 is not in 0..=9223372036854775807".into(),
            ],
            None,
        ),
        (
            args(&["data", "planes"]),
            vec![
                "invalid value 'planes'".into(),
                "[possible values: allies, items, capacity-plans, plans]".into(),
            ],
            None,
        ),
        (
            args(&["data", "allies", "--format", "xml"]),
            vec![
                "invalid value 'xml'".into(),
                "[possible values: table, csv, json]".into(),
            ],
            None,
        ),
        (args(&["validate"]), vec!["<SCENARIOS>".into()], None),
    ];
    // `--seed` above i64::MAX, which `compare` could not write into its scenario (see
    // `cli_compare.rs`), is refused by both commands.
    for seed in ["18446744073709551615", "9223372036854775808"] {
        for command in [
            args(&["compare", "--runs", "20", "--seed", seed]),
            args(&["run", hague.as_str(), "--runs", "20", "--seed", seed]),
        ] {
            cases.push((
                command,
                vec![
                    format!("invalid value '{seed}' for '--seed <S>'"),
                    "9223372036854775807".into(),
                ],
                None,
            ));
        }
    }
    for (args, wanted, flag) in &cases {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let wanted: Vec<&str> = wanted.iter().map(String::as_str).collect();
        let stderr = rejects_flags(&args, &wanted);
        if let Some(flag) = flag {
            assert!(stderr.starts_with(&format!("error: {flag}: ")), "{stderr}");
        }
    }
}

/// An `--out` that cannot be a folder fails (before the runs) with exit 1 (the outputs
/// cannot be written), one error naming the folder, and the file left as it was.
#[test]
fn out_that_is_a_file_is_refused() {
    let dir = tempdir();
    std::fs::write(dir.path().join("taken"), "mine").unwrap();
    for args in [
        &["compare", "--runs", "200", "--out", "taken"][..],
        &["run", &hague(), "--runs", "200", "--out", "taken/sub"][..],
    ] {
        let out = output(dir.path(), args);
        let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
        assert_eq!(out.status.code(), Some(1), "pledge {args:?}:\n{stderr}");
        assert_eq!(
            stdout, "",
            "pledge {args:?}: no summary when nothing can be written"
        );
        assert!(
            stderr.starts_with("error: cannot write taken")
                && stderr.matches("error: ").count() == 1,
            "pledge {args:?}:\n{stderr}"
        );
        assert_eq!(
            std::fs::read_to_string(dir.path().join("taken")).unwrap(),
            "mine"
        );
    }
}

/// The workbook is made in memory: it needs no temporary folder (it once streamed its
/// Summary sheet through a temporary file, the pack's only way to fail), so a missing one
/// changes nothing.
#[test]
fn workbook_needs_no_temporary_folder() {
    let dir = tempdir();
    let missing = dir.path().join("no-such-folder");
    let out = pledge(dir.path())
        .env("TMPDIR", &missing)
        .args(["compare", "--runs", "200", "--out", "out", "--quiet"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let book = std::fs::read(dir.path().join("out/pledge.xlsx")).unwrap();
    assert!(book.starts_with(b"PK"), "a zip");
    assert!(!missing.exists());
}
