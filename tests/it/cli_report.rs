//! `pledge report DIR`: the briefing pack rebuilt from `result.json` alone is byte-identical to
//! the one `run` wrote, `--format html --no-charts` writes the page alone, and a folder without
//! `result.json`, or one written by v1 (a `central` column), is refused with exit 2.

use crate::common::{files_below, p, paths, pledge, shipped, succeeds, tempdir};
use serde_json::Value;
use std::fs;
use std::path::Path;

#[test]
fn report_rebuilds_the_pack_from_result_json() {
    let dir = tempdir();
    let d = dir.path();
    let scenario = shipped("hague-2035.toml");
    succeeds(d, &["run", p(&scenario), "--runs", "100", "--out", "full"]);
    // Everything again, into another folder: the same bytes.
    fs::create_dir(d.join("again")).unwrap();
    fs::copy(d.join("full/result.json"), d.join("again/result.json")).unwrap();
    succeeds(d, &["report", "again"]);
    for file in files_below(&d.join("full")) {
        // The folder's manifest lists the files pledge wrote: here the pack only, since
        // result.json was put there by hand; summary.csv, capacity.csv and sensitivity.csv
        // are run outputs.
        if file == Path::new("summary.csv")
            || file == Path::new("capacity.csv")
            || file == Path::new("sensitivity.csv")
            || file == Path::new(".pledge-manifest")
        {
            continue;
        }
        let left = fs::read(d.join("full").join(&file)).unwrap();
        let right = fs::read(d.join("again").join(&file)).unwrap();
        assert!(
            left == right,
            "{} differs after pledge report",
            file.display()
        );
    }
    // Only the page, into a third folder.
    succeeds(
        d,
        &[
            "report",
            "full",
            "--out",
            "page",
            "--format",
            "html",
            "--no-charts",
        ],
    );
    assert_eq!(
        files_below(&d.join("page")),
        paths(&[".pledge-manifest", "report.html"])
    );
    // No result.json: exit 2, nothing written.
    fs::create_dir(d.join("empty")).unwrap();
    let out = pledge(d).args(["report", "empty"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("result.json: cannot read"), "{stderr}");
    assert!(files_below(&d.join("empty")).is_empty());
}

#[test]
fn report_refuses_a_result_json_with_the_old_central_column() {
    let dir = tempdir();
    let d = dir.path();
    let scenario = shipped("hague-2035.toml");
    succeeds(
        d,
        &[
            "run",
            p(&scenario),
            "--runs",
            "20",
            "--no-report",
            "--out",
            "new",
        ],
    );
    let text = fs::read_to_string(d.join("new/result.json")).unwrap();
    let mut json: Value = serde_json::from_str(&text).unwrap();
    json["columns"][5] = Value::from("central");
    fs::create_dir(d.join("old")).unwrap();
    fs::write(d.join("old/result.json"), json.to_string()).unwrap();
    let out = pledge(d).args(["report", "old"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(
            "result.json: was written by an older pledge (MODEL.md v1, with a 'central' column)"
        ),
        "{stderr}"
    );
    assert_eq!(files_below(&d.join("old")), paths(&["result.json"]));
}
