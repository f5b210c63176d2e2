//! The typed results schema (`pledge::results::Results`): `result.json` written from the
//! statistics reads back to the same value, and a damaged or edited file is refused with a
//! message naming what is wrong, never a panic. One CLI test holds `pledge report` to exit
//! code 2 with nothing written.

use crate::common::{pledge, root as pledge_root};
use pledge::mc::summary::Summary;
use pledge::results::Results;
use pledge::scenario;
use serde_json::{Value, json};
use std::sync::OnceLock;

/// `result.json` of hague-2035 with 64 runs, as `pledge run` writes it.
fn written() -> &'static str {
    static JSON: OnceLock<String> = OnceLock::new();
    JSON.get_or_init(|| {
        let mut scenario =
            scenario::load(&pledge_root().join("scenarios/hague-2035.toml")).unwrap();
        scenario.runs = 64;
        let model = pledge::model::Model::new(&scenario);
        let plan = Summary::central_with(&scenario, &model);
        let accumulator = plan.engine(&scenario, &model).simulate(
            0..pledge::mc::block_count(64),
            64,
            &std::sync::atomic::AtomicU64::new(0),
        );
        let results = Results::from_summary(&scenario, &plan.with_monte_carlo(&accumulator));
        String::from_utf8(results.to_json()).unwrap()
    })
}

/// The message `Results::from_json` gives for the written file after `edit`.
fn refusal(what: &str, edit: impl FnOnce(&mut Value)) -> String {
    let mut doc: Value = serde_json::from_str(written()).unwrap();
    edit(&mut doc);
    let bytes = serde_json::to_vec_pretty(&doc).unwrap();
    match Results::from_json("result.json", &bytes) {
        Ok(_) => panic!("{what}: the edited file was accepted"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn a_written_file_reads_back_and_writes_again_byte_for_byte() {
    let results = Results::from_json("result.json", written().as_bytes()).unwrap();
    assert!(results.to_json() == written().as_bytes());
    assert!(results.has_statistics());
    assert_eq!(results.runs, 64);
    assert_eq!(
        results.headline_errors().len(),
        10,
        "3 goals x 2 groups' core, 2 goals x 2 groups' cumulative difference"
    );
}

#[test]
fn damaged_files_are_refused_with_what_is_wrong() {
    type Edit = Box<dyn FnOnce(&mut Value)>;
    let cases: Vec<(&str, Edit, &str)> = vec![
        (
            "no goals (used to panic pledge report after the workbook)",
            Box::new(|d| d["scenario"]["goals"] = json!([])),
            "its scenario does not match its input hash",
        ),
        (
            "a row removed",
            Box::new(|d| {
                d["rows"].as_array_mut().unwrap().pop();
            }),
            "rows, its scenario",
        ),
        (
            "two rows swapped",
            Box::new(|d| d["rows"].as_array_mut().unwrap().swap(0, 1)),
            "row 1 is wales2 2025 nato - related_musd, where its scenario has wales2 2025 nato - core_musd",
        ),
        (
            "percentiles reversed",
            Box::new(|d| {
                // The last row: an item metric of the last goal in the horizon year, which varies.
                let last = d["rows"].as_array().unwrap().len() - 1;
                let row = &mut d["rows"][last];
                let (p5, p95) = (row[7].clone(), row[13].clone());
                row[7] = p95;
                row[13] = p5;
            }),
            "'s percentiles are not in increasing order",
        ),
        (
            "some statistics of a row missing",
            Box::new(|d| d["rows"][3][9] = Value::Null),
            "a row gives some of mean and the percentiles but not all",
        ),
        (
            "a plan value missing",
            Box::new(|d| d["rows"][3][5] = Value::Null),
            "invalid type: null, expected f64",
        ),
        (
            "an unknown metric",
            Box::new(|d| d["rows"][3][4] = json!("core_eur")),
            "unknown variant `core_eur`",
        ),
        (
            "the seed edited",
            Box::new(|d| d["seed"] = json!(7)),
            "says seed 7 and 64 runs, its scenario seed",
        ),
        (
            "the runs of the monte_carlo table edited",
            Box::new(|d| d["monte_carlo"]["runs"] = json!(65)),
            "its monte_carlo table says 65 runs, the file 64",
        ),
        (
            "statistics without runs",
            Box::new(|d| d["monte_carlo"] = Value::Null),
            "its rows have statistics but it records no runs",
        ),
        (
            "an alpha removed",
            Box::new(|d| {
                d["alphas"].as_object_mut().unwrap().shift_remove("f35");
            }),
            "its alphas are for",
        ),
        (
            "an unknown key",
            Box::new(|d| d["note"] = json!("edited")),
            "unknown field `note`",
        ),
        (
            "the data table edited",
            Box::new(|d| d["data"]["vintage"] = json!("data v1")),
            "its 'data' table does not agree with its scenario's data",
        ),
        (
            "another tool",
            Box::new(|d| d["tool"]["name"] = json!("other")),
            "was written by 'other', not by pledge",
        ),
        (
            "another model",
            Box::new(|d| d["model_spec"] = json!("MODEL.md v1")),
            "follows 'MODEL.md v1', this version MODEL.md v2",
        ),
        (
            "the old central column",
            Box::new(|d| d["columns"][5] = json!("central")),
            "was written by an older pledge (MODEL.md v1, with a 'central' column)",
        ),
        (
            "a headline error on no row",
            Box::new(|d| d["monte_carlo"]["headline_standard_errors"][0]["group"] = json!("mars")),
            "its headline error for wales2 2035 mars core_musd is not a headline row",
        ),
    ];
    for (what, edit, expected) in cases {
        let message = refusal(what, edit);
        assert!(
            message.starts_with("result.json") && message.contains(expected),
            "{what}: {message}"
        );
    }
}

#[test]
fn a_forged_scenario_with_its_hash_recomputed_is_refused_by_its_rows() {
    let message = refusal("one goal of three", |d| {
        let goals = d["scenario"]["goals"].as_array_mut().unwrap();
        goals.truncate(1);
        let scenario: pledge::scenario::Scenario =
            serde_json::from_value(d["scenario"].clone()).unwrap();
        d["input_hash"] = json!(pledge::scenario::input_hash(&scenario));
    });
    assert!(message.contains("rows, its scenario"), "{message}");
}

#[test]
fn report_refuses_an_edited_result_json_with_exit_2_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let mut doc: Value = serde_json::from_str(written()).unwrap();
    doc["scenario"]["goals"] = json!([]);
    std::fs::create_dir(d.join("edited")).unwrap();
    std::fs::write(d.join("edited/result.json"), doc.to_string()).unwrap();
    let out = pledge(d).args(["report", "edited"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("result.json: its scenario does not match its input hash"),
        "{stderr}"
    );
    let files: Vec<_> = std::fs::read_dir(d.join("edited"))
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(files, ["result.json"]);
}

#[test]
fn report_refuses_a_forged_scenario_that_breaks_the_model_instead_of_panicking() {
    // A group member that is no ally: the rows still match, the input hash is recomputed, so
    // only the model (run again for the sensitivity) can tell.
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let mut doc: Value = serde_json::from_str(written()).unwrap();
    doc["scenario"]["groups"][0]["members"][0] = json!("XXX");
    let scenario: pledge::scenario::Scenario =
        serde_json::from_value(doc["scenario"].clone()).unwrap();
    doc["input_hash"] = json!(pledge::scenario::input_hash(&scenario));
    std::fs::create_dir(d.join("forged")).unwrap();
    std::fs::write(d.join("forged/result.json"), doc.to_string()).unwrap();
    let out = pledge(d).args(["report", "forged"]).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("its scenario fails the model's own checks")
            && !stderr.contains("panicked"),
        "{stderr}"
    );
    let files: Vec<_> = std::fs::read_dir(d.join("forged"))
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(files, ["result.json"]);
}
