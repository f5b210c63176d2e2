//! Per-ally results and `--currency`, as a reader of the pack meets them.
//!
//! - The Per ally sheet of `pledge.xlsx` holds, for every ally and goal, the numbers of its own
//!   `summary.csv` rows (every ally is a group of one): the base year, the horizon year's
//!   median, P10, P90 and plan, the increase between them, and its shares of the NATO and
//!   Europe+Canada totals; the page shows the same table.
//! - `--currency EUR` divides every money figure of the report sheets and the charts by the
//!   stated 1.13 USD/EUR, names the currency and the rate, and leaves `summary.csv` and
//!   `result.json` byte for byte as in US dollars; an unknown currency is refused.

use crate::common::{pledge, root};
use calamine::{Data, Range, Reader, Xlsx};
use pledge::report::xlsx::{FAN_SHEET, HEADLINE_SHEET, PER_ALLY_SHEET};
use std::collections::BTreeMap;
use std::io::Cursor;
use std::path::Path;
use std::sync::OnceLock;

/// Runs of the Hague runs.
const RUNS: &str = "300";

/// US dollars per euro, as the builtin data states it.
const USD_PER_EUR: f64 = 1.13;

/// hague-2035 run with `--runs 300` into `dir/NAME` with the extra flags.
fn hague(dir: &Path, name: &str, flags: &[&str]) {
    pledge(dir)
        .arg("run")
        .arg(root().join("scenarios/hague-2035.toml"))
        .args(["--runs", RUNS, "--quiet", "--out", name])
        .args(flags)
        .assert()
        .success();
}

/// One hague-2035 run in US dollars (`usd/`) and one in euros (`eur/`), made once.
fn runs() -> &'static Path {
    static DIR: OnceLock<tempfile::TempDir> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        hague(dir.path(), "usd", &[]);
        hague(dir.path(), "eur", &["--currency", "EUR"]);
        dir
    })
    .path()
}

/// `summary.csv` by goal, year, group and metric (money rows, no item): the plan, p10, p50
/// and p90 as written.
type Summary = BTreeMap<(String, i32, String, String), [f64; 4]>;

fn summary(path: &Path) -> Summary {
    let mut reader = csv::Reader::from_path(path).unwrap();
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    let at = |name: &str| header.iter().position(|h| h == name).unwrap();
    let (goal, year, group, item, metric) = (
        at("goal"),
        at("year"),
        at("group"),
        at("item"),
        at("metric"),
    );
    let (plan, p10, p50, p90) = (at("plan"), at("p10"), at("p50"), at("p90"));
    reader
        .records()
        .map(Result::unwrap)
        .filter(|r| r[item].is_empty())
        .map(|r| {
            let number = |k: usize| r[k].parse::<f64>().unwrap();
            (
                (
                    r[goal].to_string(),
                    r[year].parse().unwrap(),
                    r[group].to_string(),
                    r[metric].to_string(),
                ),
                [number(plan), number(p10), number(p50), number(p90)],
            )
        })
        .collect()
}

fn sheet(path: &Path, name: &str) -> Range<Data> {
    let bytes = std::fs::read(path).unwrap();
    let mut book = Xlsx::new(Cursor::new(bytes)).unwrap();
    book.worksheet_range(name)
        .unwrap_or_else(|e| panic!("sheet '{name}': {e}"))
}

fn text(cell: &Data) -> String {
    match cell {
        Data::String(s) => s.clone(),
        Data::Empty => String::new(),
        other => other.to_string(),
    }
}

fn number(cell: &Data) -> Option<f64> {
    match cell {
        Data::Float(v) => Some(*v),
        Data::Int(v) => Some(*v as f64),
        Data::Empty => None,
        other => panic!("a number, found {other:?}"),
    }
}

/// A table on a sheet: the row of its headings (found by its first heading), the headings,
/// and the rows below it up to the first empty one.
struct SheetTable {
    headings: Vec<String>,
    rows: Vec<Vec<Data>>,
}

impl SheetTable {
    fn find(range: &Range<Data>, first_heading: &str) -> SheetTable {
        let rows: Vec<&[Data]> = range.rows().collect();
        let at = rows
            .iter()
            .position(|r| r.first().is_some_and(|c| text(c) == first_heading))
            .unwrap_or_else(|| panic!("no table headed '{first_heading}'"));
        let headings: Vec<String> = rows[at].iter().map(text).collect();
        let body = rows[at + 1..]
            .iter()
            .take_while(|r| r.first().is_some_and(|c| !text(c).is_empty()))
            .map(|r| r.to_vec())
            .collect();
        SheetTable {
            headings,
            rows: body,
        }
    }

    fn col(&self, heading: &str) -> usize {
        self.headings
            .iter()
            .position(|h| h == heading)
            .unwrap_or_else(|| panic!("no column '{heading}' in {:?}", self.headings))
    }
}

/// Bit for bit: the workbook carries the `f64` of `summary.csv`, converted.
fn assert_same(actual: f64, expected: f64, what: &str) {
    assert!(
        actual.to_bits() == expected.to_bits(),
        "{what}: {actual} against {expected}"
    );
}

#[test]
fn the_per_ally_sheet_holds_each_allys_summary_rows_and_shares_add_up() {
    let dir = runs().join("usd");
    let csv = summary(&dir.join("summary.csv"));
    let table = SheetTable::find(&sheet(&dir.join("pledge.xlsx"), PER_ALLY_SHEET), "Goal");
    let col = |h: &str| table.col(h);
    let (c_goal, c_code) = (col("Goal"), col("Code"));
    let c_base = col("Core spending 2025, data (USD bn)");
    let c_median = col("Core spending 2035, median (USD bn)");
    let c_p10 = col("Core spending 2035, P10 (USD bn)");
    let c_p90 = col("Core spending 2035, P90 (USD bn)");
    let c_plan = col("Plan: pledge met in full and on time: core spending 2035 (USD bn)");
    let c_inc = col("Increase 2025\u{2013}2035, median (USD bn)");
    let c_inc_p10 = col("Increase 2025\u{2013}2035, P10 (USD bn)");
    let c_inc_p90 = col("Increase 2025\u{2013}2035, P90 (USD bn)");
    let c_inc_plan = col("Plan: increase 2025\u{2013}2035 (USD bn)");
    let shares = [
        (
            "nato",
            col("Share of NATO 2035, share of medians (%)"),
            col("Plan: share of NATO 2035 (%)"),
        ),
        (
            "europe_canada",
            col("Share of Europe+Canada 2035, share of medians (%)"),
            col("Plan: share of Europe+Canada 2035 (%)"),
        ),
    ];

    // Goal labels to ids, from result.json.
    let results = pledge::results::Results::from_json(
        "result.json",
        &std::fs::read(dir.join("result.json")).unwrap(),
    )
    .unwrap();
    let goal_id = |label: &str| {
        results
            .goals()
            .iter()
            .find(|g| g.label == label)
            .unwrap_or_else(|| panic!("goal '{label}'"))
            .id
            .clone()
    };
    assert_eq!(table.rows.len(), 32 * results.goals().len());

    let mut checked = 0;
    // Per goal and group: sums of the shares of medians and of the plan's shares.
    let mut sums: BTreeMap<(String, &str), [f64; 2]> = BTreeMap::new();
    for row in &table.rows {
        let goal = goal_id(&text(&row[c_goal]));
        let iso3 = text(&row[c_code]);
        let key = |year: i32, group: &str| {
            (
                goal.clone(),
                year,
                group.to_string(),
                "core_musd".to_string(),
            )
        };
        let [base_plan, ..] = csv[&key(2025, &iso3)];
        let [plan, p10, p50, p90] = csv[&key(2035, &iso3)];
        let bn = |musd: f64| musd / 1000.0;
        let cell = |c: usize| number(&row[c]).unwrap_or_else(|| panic!("{iso3} column {c}"));
        if ["DEU", "MNE", "USA", "ISL", "POL"].contains(&iso3.as_str()) {
            assert_same(cell(c_base), bn(base_plan), "base year");
            assert_same(cell(c_median), bn(p50), "median");
            assert_same(cell(c_p10), bn(p10), "P10");
            assert_same(cell(c_p90), bn(p90), "P90");
            assert_same(cell(c_plan), bn(plan), "plan");
            assert_same(cell(c_inc), bn(p50 - base_plan), "increase");
            assert_same(cell(c_inc_p10), bn(p10 - base_plan), "increase P10");
            assert_same(cell(c_inc_p90), bn(p90 - base_plan), "increase P90");
            assert_same(cell(c_inc_plan), bn(plan - base_plan), "increase, plan");
            checked += 1;
        }
        // The increase is the horizon minus the base year, for every ally (to the rounding of
        // one subtraction of numbers of at most USD 2,000 bn).
        for (inc, end) in [(c_inc, c_median), (c_inc_plan, c_plan)] {
            let expected = cell(end) - cell(c_base);
            assert!((cell(inc) - expected).abs() <= 1e-9, "{iso3}: increase");
        }
        for (group, c_median_share, c_plan_share) in shares {
            if group == "europe_canada" && iso3 == "USA" {
                assert_eq!(
                    row[c_median_share],
                    Data::Empty,
                    "USA is not in Europe+Canada"
                );
                assert_eq!(row[c_plan_share], Data::Empty);
                continue;
            }
            let [total_plan, _, total_p50, _] = csv[&key(2035, group)];
            assert_same(
                cell(c_median_share),
                100.0 * p50 / total_p50,
                "share of medians",
            );
            assert_same(
                cell(c_plan_share),
                100.0 * plan / total_plan,
                "plan's share",
            );
            let sum = sums.entry((goal.clone(), group)).or_default();
            sum[0] += cell(c_median_share);
            sum[1] += cell(c_plan_share);
        }
    }
    assert_eq!(checked, 5 * results.goals().len());

    // The plan's shares add to 100% to floating-point rounding: the group's plan is the sum of
    // its members' plans (the model adds them in one fixed order), so only the rounding of 32
    // divisions and additions separates them; 1e-9 is a million times that.
    //
    // The shares of medians need not add to 100%: the median of a sum is not the sum of the
    // medians. The members' draws are independent (compliance, drift) or share one common
    // factor (GDP growth, drift's common part), and the distributions are skewed (attainment
    // is triangular 0.3-0.6-1), so the gap is small but not zero; the percentiles themselves
    // carry a relative error of at most 0.39% (the sketch). We allow 2 percentage points, and
    // check that the gap is not zero, so that the table's note ("need not add to 100%") keeps
    // being needed.
    assert_eq!(sums.len(), 2 * results.goals().len());
    let mut largest_gap: f64 = 0.0;
    for ((goal, group), [medians, plans]) in &sums {
        assert!(
            (plans - 100.0).abs() < 1e-9,
            "{goal} {group}: plan shares {plans}"
        );
        assert!(
            (medians - 100.0).abs() < 2.0,
            "{goal} {group}: shares of medians add to {medians}"
        );
        largest_gap = largest_gap.max((medians - 100.0).abs());
    }
    assert!(largest_gap > 1e-6, "shares of medians add to exactly 100%");
}

#[test]
fn the_page_shows_the_per_ally_table_with_each_allys_rows() {
    let dir = runs().join("usd");
    let page = std::fs::read_to_string(dir.join("report.html")).unwrap();
    let section = &page[page.find("<section id=\"allies\">").unwrap()..];
    let section = &section[..section.find("</section>").unwrap()];
    assert!(
        section.contains("<table class=\"allies\">"),
        "the shared table"
    );
    assert!(section.contains("<table class=\"groups\">"), "the groups");
    assert!(section.contains("Share of medians"), "labelled");
    assert!(section.contains("need not add to 100%"), "explained");
    // Each ally's median and plan in 2035 is its own row, named in data-* attributes.
    for iso3 in ["DEU", "MNE", "USA"] {
        for show in ["p50", "plan"] {
            let attributes = format!(
                "data-group=\"{iso3}\" data-metric=\"core_musd\" data-year=\"2035\" data-show=\"{show}\""
            );
            assert!(section.contains(&attributes), "{attributes}");
        }
    }
    assert!(section.contains(pledge::report::tables::NOT_A_MEMBER));
}

#[test]
fn currency_eur_divides_money_by_its_rate_names_it_and_leaves_the_results_alone() {
    let (usd, eur) = (runs().join("usd"), runs().join("eur"));

    // The results stay in US dollars, byte for byte.
    for file in ["summary.csv", "result.json"] {
        assert_eq!(
            std::fs::read(usd.join(file)).unwrap(),
            std::fs::read(eur.join(file)).unwrap(),
            "{file}"
        );
    }

    // The headline sheet: every money cell is the dollar cell over 1.13, to the rounding of
    // one division (a relative 1e-15; we allow 1e-12).
    let usd_table = SheetTable::find(&sheet(&usd.join("pledge.xlsx"), HEADLINE_SHEET), "Goal");
    let eur_table = SheetTable::find(&sheet(&eur.join("pledge.xlsx"), HEADLINE_SHEET), "Goal");
    assert_eq!(usd_table.rows.len(), eur_table.rows.len());
    let mut money_columns = 0;
    for (k, heading) in usd_table.headings.iter().enumerate() {
        let in_eur = heading.replace("(USD bn)", "(EUR bn)");
        assert_eq!(eur_table.headings[k], in_eur, "headings name the currency");
        if !heading.ends_with("(USD bn)") {
            continue;
        }
        money_columns += 1;
        for (a, b) in usd_table.rows.iter().zip(&eur_table.rows) {
            let (Some(dollars), Some(euros)) = (number(&a[k]), number(&b[k])) else {
                continue;
            };
            assert!(
                (euros * USD_PER_EUR - dollars).abs() <= 1e-12 * dollars.abs().max(1.0),
                "{heading}: EUR {euros} against USD {dollars}"
            );
        }
    }
    assert!(money_columns >= 5, "{:?}", usd_table.headings);
    let headline = sheet(&eur.join("pledge.xlsx"), HEADLINE_SHEET);
    let words: Vec<String> = headline.rows().flat_map(|r| r.iter().map(text)).collect();
    assert!(
        words
            .iter()
            .any(|w| w.contains("EUR billions at constant 2025 prices")),
        "what the numbers are"
    );
    assert!(
        words
            .iter()
            .any(|w| w.contains("Money in EUR at 1.13 USD/EUR") && w.contains("README.md")),
        "the rate and its source"
    );

    // The fan sheet's table and chart axis.
    let fan = sheet(&eur.join("pledge.xlsx"), FAN_SHEET);
    let fan_headings: Vec<String> = fan.rows().next().unwrap().iter().map(text).collect();
    assert!(
        fan_headings[1..].iter().all(|h| h.ends_with("(EUR bn)")),
        "{fan_headings:?}"
    );

    // The charts: the axes name the currency and the rate, and the burden's is a log scale.
    let svg = |name: &str| std::fs::read_to_string(eur.join("charts").join(name)).unwrap();
    assert!(
        svg("spending_fan.svg")
            .contains("Core defence spending, EUR bn (constant 2025 prices at 1.13 USD/EUR)")
    );
    let burden = svg("burden.svg");
    assert!(burden.contains(
        "Core defence spending in 2035, EUR bn (constant 2025 prices at 1.13 USD/EUR), log scale"
    ));
    assert!(burden.contains("EUR bn (log scale)"));
    assert!(
        !burden.contains("USD bn"),
        "no dollar label left on the burden chart"
    );
    assert!(!svg("paired_difference.svg").contains("USD bn"));

    // The page: every money heading names the euro, and the rate is stated.
    let page = std::fs::read_to_string(eur.join("report.html")).unwrap();
    assert!(page.contains("Money in EUR at 1.13 USD/EUR"));
    assert!(
        !page.contains("USD bn"),
        "a dollar heading left on the page"
    );
    assert!(
        !page.contains("USD m<"),
        "a dollar unit cost left on the page"
    );
    assert!(page.contains("EUR bn"));
}

#[test]
fn report_rebuilds_the_pack_in_pounds_and_refuses_an_unknown_currency() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("gbp");
    pledge(dir.path())
        .arg("report")
        .arg(runs().join("usd"))
        .arg("--out")
        .arg(&out)
        .args(["--currency", "gbp", "--format", "svg"])
        .assert()
        .success();
    let fan = std::fs::read_to_string(out.join("charts/spending_fan.svg")).unwrap();
    assert!(fan.contains("GBP bn (constant 2025 prices at 1.27 USD/GBP)"));

    for command in [&["report", "."][..], &["compare"][..]] {
        let assert = pledge(dir.path())
            .args(command)
            .args(["--currency", "XYZ"])
            .assert()
            .code(2);
        let stderr = String::from_utf8(assert.get_output().stderr.clone()).unwrap();
        assert!(
            stderr.contains("'XYZ'") && stderr.contains("USD, EUR, GBP"),
            "{stderr}"
        );
    }
    assert!(!dir.path().join("out").exists(), "nothing written");
}

#[test]
fn a_rate_is_not_applied_to_results_of_another_base_year() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("allies.csv"),
        pledge::data::builtin::ALLIES_CSV,
    )
    .unwrap();
    std::fs::write(
        dir.path().join("s.toml"),
        "schema_version = 1\nruns = 1\n[data]\nallies = \"allies.csv\"\nbase_year = 2026\n\
         plans = \"none\"\ncapacity_plans = \"none\"\n\
         [[goal]]\nid = \"g\"\nlabel = \"G\"\ncore_pct = 3\n",
    )
    .unwrap();
    let assert = pledge(dir.path())
        .args(["run", "s.toml", "--currency", "EUR", "--out", "o"])
        .assert()
        .code(2);
    let stderr = String::from_utf8(assert.get_output().stderr.clone()).unwrap();
    assert!(
        stderr.contains("--currency: EUR is stated for 2025 only"),
        "{stderr}"
    );
    assert!(!dir.path().join("o").exists(), "nothing written");
}
