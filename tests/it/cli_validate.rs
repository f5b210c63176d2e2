//! `pledge validate FILES..`: one `ok` line per valid file, with what it holds, and for a bad
//! file its one located error (exit 2), the other files still checked; nothing written.

use crate::common::{
    PROBE, files_below, output, p, paths, probe_edit, shipped, succeeds, tempdir, text,
};
use std::fs;
use std::path::PathBuf;

#[test]
fn validate_prints_one_ok_line_per_valid_file() {
    let dir = tempdir();
    let names = [
        "hague-2035.toml",
        "nordic-baltic.toml",
        "spain-flexibility.toml",
    ];
    let files: Vec<PathBuf> = names.iter().map(|n| shipped(n)).collect();
    let args: Vec<&str> = std::iter::once("validate")
        .chain(files.iter().map(|f| p(f)))
        .collect();
    let stdout = succeeds(dir.path(), &args);
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 3, "{stdout}");
    for (line, file) in lines.iter().zip(&files) {
        assert!(
            line.starts_with(&format!("{}: ok: ", file.display())),
            "{line}"
        );
    }
    assert!(
        lines[1].contains("'Nordic-Baltic front line at 5% by 2032'"),
        "{}",
        lines[1]
    );
    assert!(
        lines[1].contains("9 item(s)"),
        "the scenario adds an item: {}",
        lines[1]
    );
    assert!(lines[1].contains("seed 7"), "{}", lines[1]);
    assert!(
        files_below(dir.path()).is_empty(),
        "validate writes nothing"
    );
}

#[test]
fn validate_reports_the_bad_file_and_still_checks_the_others() {
    let dir = tempdir();
    fs::write(dir.path().join("good.toml"), PROBE).unwrap();
    fs::write(
        dir.path().join("bad.toml"),
        probe_edit(10, "core_pct = 2.0", "core_pct = -1"),
    )
    .unwrap();
    let out = output(dir.path(), &["validate", "good.toml", "bad.toml"]);
    let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
    assert_eq!(out.status.code(), Some(2), "{stdout}{stderr}");
    assert_eq!(
        stdout,
        "good.toml: ok: 'Probe', 2 goal(s), 9 item(s), 39 group(s), 2025-2030, 100 runs, seed 1\n"
    );
    assert!(stderr.starts_with("error: bad.toml:10:12: "), "{stderr}");
    assert!(stderr.contains("core_pct = -1 is out of range"), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");

    // A bad file first does not stop the check of the good one after it.
    let out = output(dir.path(), &["validate", "bad.toml", "good.toml"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stdout).starts_with("good.toml: ok: "));
    assert!(text(&out.stderr).starts_with("error: bad.toml:10:12: "));
    assert_eq!(files_below(dir.path()), paths(&["bad.toml", "good.toml"]));
}
