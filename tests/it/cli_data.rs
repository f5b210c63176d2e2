//! `pledge data allies|items` in every format (table, CSV, JSON: the same allies and items in
//! the same order, the documented columns), and the CSVs read back through a scenario's
//! `[data]` giving the numbers of the builtin data, with their origin recorded.

use crate::common::{ALLIES_HEADER, csv_records, files_below, read_json, succeeds, tempdir};
use serde_json::Value;
use std::fs;

/// The header of `pledge data items --format csv`.
const ITEMS_HEADER: &str = "id,label,unit,category,buyers,base_demand,alpha,unit_cost_musd,\
cost_sigma,capacity,capacity_growth_min_pct,capacity_growth_mode_pct,capacity_growth_max_pct,\
lead_years,source,notes";

#[test]
fn data_allies_in_every_format() {
    let dir = tempdir();
    let csv = succeeds(dir.path(), &["data", "allies", "--format", "csv"]);
    let records = csv_records(&csv);
    assert_eq!(csv.lines().next(), Some(ALLIES_HEADER));
    assert_eq!(records.len(), 1 + 32, "a header and 32 allies");
    let codes: Vec<&str> = records[1..].iter().map(|r| &r[0]).collect();
    for code in ["USA", "CAN", "DEU", "ISL", "TUR", "SWE", "FIN"] {
        assert!(codes.contains(&code), "no {code} in {codes:?}");
    }
    assert_eq!(
        records[1..].iter().filter(|r| &r[2] == "1").count(),
        23,
        "23 EU members"
    );

    let json: Value = serde_json::from_str(&succeeds(
        dir.path(),
        &["data", "allies", "--format", "json"],
    ))
    .expect("data allies --format json is JSON");
    let array = json.as_array().expect("an array");
    assert_eq!(array.len(), 32);
    let json_codes: Vec<&str> = array
        .iter()
        .map(|a| {
            assert!(a.is_object(), "{a}");
            a["iso3"].as_str().unwrap()
        })
        .collect();
    assert_eq!(
        json_codes, codes,
        "JSON and CSV list the same allies in the same order"
    );
    for column in ALLIES_HEADER.split(',') {
        assert!(
            array[0].get(column).is_some(),
            "JSON lacks {column}: {}",
            array[0]
        );
    }

    for args in [
        &["data", "allies"][..],
        &["data", "allies", "--format", "table"][..],
    ] {
        let table = succeeds(dir.path(), args);
        let first = table.lines().next().unwrap();
        for column in [
            "iso3",
            "name",
            "gdp_usd_bn",
            "defence_pct_gdp",
            "equipment_pct",
        ] {
            assert!(first.contains(column), "{first}");
        }
        for code in &codes {
            assert!(
                table.lines().any(|l| l.starts_with(&format!("{code} "))),
                "no row for {code}:\n{table}"
            );
        }
        assert!(table.contains("32 allies, base year 2025"), "{table}");
    }
    assert!(files_below(dir.path()).is_empty());
}

#[test]
fn data_items_in_every_format() {
    let dir = tempdir();
    let csv = succeeds(dir.path(), &["data", "items", "--format", "csv"]);
    assert_eq!(csv.lines().next(), Some(ITEMS_HEADER));
    let records = csv_records(&csv);
    assert_eq!(records.len(), 1 + 8, "a header and 8 items");
    let ids: Vec<&str> = records[1..].iter().map(|r| &r[0]).collect();
    assert!(ids.contains(&"shell155_eu"), "{ids:?}");

    let json: Value = serde_json::from_str(&succeeds(
        dir.path(),
        &["data", "items", "--format", "json"],
    ))
    .expect("data items --format json is JSON");
    let array = json.as_array().expect("an array");
    assert_eq!(array.len(), 8);
    let json_ids: Vec<&str> = array
        .iter()
        .map(|i| {
            assert!(i.is_object(), "{i}");
            i["id"].as_str().unwrap()
        })
        .collect();
    assert_eq!(json_ids, ids);

    for args in [
        &["data", "items"][..],
        &["data", "items", "--format", "table"][..],
    ] {
        let table = succeeds(dir.path(), args);
        assert!(table.lines().next().unwrap().starts_with("id "), "{table}");
        for id in &ids {
            assert!(
                table.lines().any(|l| l.starts_with(&format!("{id} "))),
                "no row for {id}:\n{table}"
            );
        }
        assert!(table.contains("8 production lines"), "{table}");
    }
    assert!(files_below(dir.path()).is_empty());
}

#[test]
fn data_csv_round_trips_through_a_scenario() {
    let dir = tempdir();
    let study = dir.path().join("study");
    fs::create_dir(&study).unwrap();
    let allies = succeeds(dir.path(), &["data", "allies", "--format", "csv"]);
    let items = succeeds(dir.path(), &["data", "items", "--format", "csv"]);
    fs::write(study.join("allies.csv"), &allies).unwrap();
    fs::write(study.join("items.csv"), &items).unwrap();
    let goals = "[[goal]]\nid = \"g2\"\nlabel = \"2%\"\ncore_pct = 2\n\n\
                 [[goal]]\nid = \"hague\"\nlabel = \"Hague\"\ncore_pct = 3.5\nrelated_pct = 1.5\n\n\
                 [[goal]]\nid = \"g5\"\nlabel = \"5%\"\ncore_pct = 5\n";
    let header = "schema_version = 1\nruns = 20\n";
    fs::write(study.join("builtin.toml"), format!("{header}{goals}")).unwrap();
    fs::write(
        study.join("allies.toml"),
        format!("{header}[data]\nallies = \"allies.csv\"\n{goals}"),
    )
    .unwrap();
    fs::write(
        study.join("both.toml"),
        format!("{header}[data]\nallies = \"allies.csv\"\nitems = \"items.csv\"\n{goals}"),
    )
    .unwrap();

    // Run from the parent folder: the CSV paths are relative to the scenario's folder.
    for name in ["builtin", "allies", "both"] {
        succeeds(
            dir.path(),
            &[
                "run",
                &format!("study/{name}.toml"),
                "--out",
                &format!("out-{name}"),
            ],
        );
    }
    let summary =
        |name: &str| fs::read(dir.path().join(format!("out-{name}/summary.csv"))).unwrap();
    assert_eq!(
        summary("allies"),
        summary("builtin"),
        "the exported allies CSV gives other numbers than the builtin allies"
    );
    assert_eq!(
        summary("both"),
        summary("builtin"),
        "the exported allies and items CSVs give other numbers than the builtin data"
    );

    // The CSV really was read: the metadata says where the data came from.
    let json = read_json(&dir.path().join("out-allies/result.json"));
    let origin = json["data"]["allies"]["origin"].as_str().unwrap();
    assert!(
        origin.ends_with("allies.csv") && origin != "builtin",
        "{origin}"
    );
    assert_eq!(json["data"]["items"]["origin"], "builtin");
    let vintage = json["data"]["vintage"].as_str().unwrap();
    assert!(vintage.contains("allies.csv"), "{vintage}");
    let builtin = read_json(&dir.path().join("out-builtin/result.json"));
    assert_eq!(builtin["data"]["allies"]["origin"], "builtin");
    assert_eq!(json["alphas"], builtin["alphas"]);
}
