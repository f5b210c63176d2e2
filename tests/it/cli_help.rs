//! `pledge --help`, `pledge help SUB`, `pledge SUB --help` and `--version` as a user runs them:
//! every subcommand is listed, each names its flags and defaults, and the version is cargo's.
//! None of them writes a file.

use crate::common::{files_below, succeeds, tempdir};

#[test]
fn help_lists_every_subcommand() {
    let dir = tempdir();
    for args in [&["--help"][..], &["help"][..]] {
        let stdout = succeeds(dir.path(), args);
        assert!(stdout.contains("Usage: pledge <COMMAND>"), "{stdout}");
        for sub in ["run", "compare", "merge", "validate", "data", "--version"] {
            assert!(
                stdout.contains(sub),
                "{args:?} does not mention {sub}:\n{stdout}"
            );
        }
    }
    assert!(files_below(dir.path()).is_empty());
}

#[test]
fn help_of_each_subcommand_names_its_flags() {
    let dir = tempdir();
    // The Monte Carlo flags that `run` and `compare` share.
    const RUN_FLAGS: [&str; 8] = [
        "--runs <N|auto>",
        "--tolerance <PCT>",
        "[default: 0.5]",
        "--max-runs <N>",
        "[default: 1000000]",
        "--seed <S>",
        "--threads <N>",
        "--quiet",
    ];
    let run: Vec<&str> = [
        "Usage: pledge run",
        "<SCENARIO>",
        "--out <DIR>",
        "[default: out/<scenario file stem>]",
        "--shard <K/N>",
        "pledge merge",
    ]
    .into_iter()
    .chain(RUN_FLAGS)
    .collect();
    let compare: Vec<&str> = [
        "Usage: pledge compare",
        "--goals <GOALS>",
        "[default: 2,declared,3.5+1.5,5]",
        "--horizon <HORIZON>",
        "[default: 2035]",
        "--out <DIR>",
        "[default: out/compare]",
    ]
    .into_iter()
    .chain(RUN_FLAGS)
    .collect();
    let cases: [(&str, &[&str]); 5] = [
        ("run", &run),
        ("compare", &compare),
        (
            "merge",
            &[
                "Usage: pledge merge [OPTIONS] --out <DIR> <STATES>...",
                "pledge run --shard K/N --out DIR",
            ],
        ),
        ("validate", &["Usage: pledge validate", "<SCENARIOS>..."]),
        (
            "data",
            &[
                "Usage: pledge data",
                "<TABLE>",
                "[possible values: allies, items, capacity-plans, plans]",
                "--format <FORMAT>",
                "[possible values: table, csv, json]",
            ],
        ),
    ];
    for (sub, wanted) in cases {
        let long = succeeds(dir.path(), &[sub, "--help"]);
        let short = succeeds(dir.path(), &["help", sub]);
        assert_eq!(
            long, short,
            "`pledge {sub} --help` and `pledge help {sub}` differ"
        );
        for w in wanted {
            assert!(
                long.contains(w),
                "`pledge {sub} --help` lacks {w:?}:\n{long}"
            );
        }
    }
    // `compare` has no shards: it runs in one go.
    let compare_help = succeeds(dir.path(), &["compare", "--help"]);
    assert!(!compare_help.contains("--shard"), "{compare_help}");
    assert!(files_below(dir.path()).is_empty());
}

#[test]
fn version_is_the_cargo_version() {
    let dir = tempdir();
    let expected = format!("pledge {}\n", env!("CARGO_PKG_VERSION"));
    assert_eq!(succeeds(dir.path(), &["--version"]), expected);
    assert_eq!(succeeds(dir.path(), &["-V"]), expected);
    // propagate_version: every subcommand knows it too.
    for sub in ["run", "compare", "merge", "validate", "data"] {
        assert_eq!(
            succeeds(dir.path(), &[sub, "--version"]),
            format!("pledge-{sub} {}\n", env!("CARGO_PKG_VERSION"))
        );
    }
}
