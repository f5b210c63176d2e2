//! `report.html` in a real browser: a fresh result for the Hague scenario is opened in headless
//! Chromium (`/usr/bin/chromium`, Debian's `chromium` package; `.ci/run` installs it), and the
//! page is checked through its DOM:
//!
//! - every chart is an inline `<svg>` inside a `<figure>` with a caption, drawn with a non-zero
//!   size no wider than the page, and there are as many figures as `charts/*.svg` files;
//! - the sections come in the documented order;
//! - every headline number's `data-plan` (and `data-mean`, `data-p10`, `data-p50`,
//!   `data-p90`) is the exact text of the matching `summary.csv` cell, and the number shown is
//!   the value its `data-show` names, rounded (USD billions to one decimal, % of GDP to two,
//!   probabilities to whole percent); each row of the headline table leads with the median and
//!   has the plan in a column headed "Plan: pledge met in full and on time", with the
//!   compliance assumption stated beside it; the headline covers NATO and Europe+Canada for
//!   every goal, and its risk list names exactly the production lines whose probability of
//!   demand above capacity reaches 10% in some year, at the year of their peak;
//! - loading the page requested nothing but the file itself, and logged no console error and
//!   threw no exception.
//!
//! If Chromium is missing, or does not start, the tests fail and say what is missing and how to
//! install it (`apt-get install chromium`): a browser test skipped unseen would hide a broken
//! report. To skip them on purpose (on a machine without Chromium), set `PLEDGE_SKIP_BROWSER=1`:
//! each test then prints a loud note on stderr and returns without checking anything. CI
//! (`.ci/run`) installs Chromium and does not set it.

use crate::common::{pledge, root};
use headless_chrome::protocol::cdp::types::Event;
use headless_chrome::protocol::cdp::{Log, Network, Runtime};
use headless_chrome::{Browser, LaunchOptions};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::ffi::OsStr;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// Where Debian's `chromium` package puts the browser.
const CHROMIUM: &str = "/usr/bin/chromium";

/// The environment variable that skips the browser tests on purpose.
const SKIP: &str = "PLEDGE_SKIP_BROWSER";

/// How to get what the browser tests need, for their failure messages.
const INSTALL: &str = "The browser tests open the report in Debian's headless Chromium. \
Install it with `apt-get update && apt-get install -y --no-install-recommends chromium` \
(.ci/run does), or skip these tests on purpose with PLEDGE_SKIP_BROWSER=1.";

/// The browser to test `page` with, checked to start: `None` (after a loud note on stderr)
/// when `PLEDGE_SKIP_BROWSER=1` asks to skip the test. Panics, saying what is missing and how to
/// install it, when Chromium is not there or does not run.
fn chromium(page: &str) -> Option<PathBuf> {
    match std::env::var(SKIP).as_deref() {
        Ok("1") => {
            // Written to stderr itself, not through `eprintln!`, which the test harness
            // captures and shows only for a failed test.
            let note = format!(
                "\n********************************************************************\n\
                 * {SKIP}=1: SKIPPED a browser test: {page} was NOT checked\n\
                 * in a browser. Unset {SKIP} to run it (it needs {CHROMIUM}).\n\
                 ********************************************************************\n"
            );
            std::io::stderr().write_all(note.as_bytes()).unwrap();
            return None;
        }
        Ok("") | Ok("0") | Err(std::env::VarError::NotPresent) => {}
        Ok(other) => panic!("{SKIP}={other:?}: set it to 1 to skip the browser tests, or unset it"),
        Err(e) => panic!("{SKIP}: {e}"),
    }
    Some(checked_chromium(Path::new(CHROMIUM)))
}

/// `path`, once it has answered `--version` as Chromium does; else a panic that says what is
/// missing and how to install it.
fn checked_chromium(path: &Path) -> PathBuf {
    let shown = path.display();
    assert!(
        path.is_file(),
        "Chromium is missing: there is no {shown}.\n{INSTALL}"
    );
    // Debian's /usr/bin/chromium is a script that starts /usr/lib/chromium/chromium: check
    // that the browser itself runs before the test depends on it.
    let version = Command::new(path)
        .arg("--version")
        .output()
        .unwrap_or_else(|e| panic!("Chromium does not run: cannot start {shown}: {e}\n{INSTALL}"));
    let stdout = String::from_utf8_lossy(&version.stdout);
    assert!(
        version.status.success() && stdout.contains("Chromium"),
        "Chromium does not run: `{shown} --version` did not answer as Chromium does (exit \
         {:?}):\n{stdout}{}\n{INSTALL}",
        version.status.code(),
        String::from_utf8_lossy(&version.stderr)
    );
    path.to_path_buf()
}

/// The message of the panic of `f`, which must panic.
fn panic_message(f: impl FnOnce() + std::panic::UnwindSafe) -> String {
    let payload = std::panic::catch_unwind(f).expect_err("it panics");
    payload
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
        .unwrap_or_default()
}

#[test]
fn a_missing_or_broken_chromium_fails_saying_how_to_install_it() {
    let missing = panic_message(|| {
        checked_chromium(Path::new("/nonexistent/chromium"));
    });
    assert!(
        missing.starts_with("Chromium is missing: there is no /nonexistent/chromium."),
        "{missing}"
    );
    // Something that runs but is not Chromium.
    let broken = panic_message(|| {
        checked_chromium(Path::new("/bin/true"));
    });
    assert!(
        broken.starts_with("Chromium does not run: `/bin/true --version` did not answer"),
        "{broken}"
    );
    for message in [missing, broken] {
        assert!(
            message.contains("apt-get install -y --no-install-recommends chromium")
                && message.contains("PLEDGE_SKIP_BROWSER=1"),
            "{message}"
        );
    }
}

/// Flags that keep Chromium off the network on a machine without one.
const QUIET_FLAGS: [&str; 6] = [
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
];

/// What the page reports about itself, gathered in one evaluation.
const PROBE: &str = r#"JSON.stringify({
  sections: [...document.querySelectorAll('main > header, main > section, main > footer')]
    .map(e => e.id || e.tagName.toLowerCase()),
  pageWidth: document.documentElement.clientWidth,
  figures: [...document.querySelectorAll('figure')].map(f => {
    const svg = f.querySelector(':scope > svg');
    const box = svg ? svg.getBoundingClientRect() : { width: 0, height: 0 };
    const caption = f.querySelector('figcaption');
    return { id: f.id, svg: !!svg, width: box.width, height: box.height,
             caption: caption ? caption.textContent.trim() : '' };
  }),
  strayImages: document.querySelectorAll('img, picture, object, embed, iframe, script').length,
  headline: [...document.querySelectorAll('#headline [data-metric]')].map(e => ({
    goal: e.dataset.goal, year: e.dataset.year, group: e.dataset.group,
    item: e.dataset.item || '', metric: e.dataset.metric, show: e.dataset.show,
    plan: e.dataset.plan, mean: e.dataset.mean ?? null, p10: e.dataset.p10 ?? null,
    p50: e.dataset.p50 ?? null, p90: e.dataset.p90 ?? null, text: e.textContent.trim() })),
  headlineRows: [...document.querySelectorAll('#headline table.headline tbody tr')].map(tr =>
    [...tr.querySelectorAll('[data-show]')].map(e => e.dataset.show + ' ' + e.dataset.metric)),
  headlineHeadings: [...document.querySelectorAll('#headline table.headline thead th')]
    .map(th => th.textContent.trim()),
  assumption: (document.querySelector('#headline p.assume') || { textContent: '' })
    .textContent.trim(),
})"#;

/// One `summary.csv` row's key: goal, year, group, item, metric.
type Key = (String, String, String, String, String);

/// One `summary.csv` row's values as written: plan, mean, p10, p50, p90.
#[derive(Debug)]
struct Cells {
    plan: String,
    mean: String,
    p10: String,
    p50: String,
    p90: String,
}

#[test]
fn the_report_opens_offline_and_its_headline_numbers_match_summary_csv() {
    let Some(chromium) = chromium("report.html") else {
        return;
    };
    let out = tempfile::tempdir().unwrap();
    let scenario = root().join("scenarios/hague-2035.toml");
    pledge(out.path())
        .arg("run")
        .arg(&scenario)
        .args(["--runs", "300", "--out"])
        .arg(out.path())
        .assert()
        .success();
    let report = out.path().join("report.html").canonicalize().unwrap();
    let url = format!("file://{}", report.display());
    let svg_files = chart_files(&out.path().join("charts"));
    let summary = read_summary(&out.path().join("summary.csv"));

    let page = open(&chromium, &url);

    // Everything loaded was the file itself, and nothing went wrong.
    let strangers: Vec<&String> = page.requests.iter().filter(|u| **u != url).collect();
    assert!(
        strangers.is_empty(),
        "the report requested more than itself: {strangers:?}"
    );
    assert!(
        page.requests.contains(&url),
        "the report's own request was not seen; is the Network domain on? {:?}",
        page.requests
    );
    assert!(
        page.errors.is_empty(),
        "the report logged errors: {:#?}",
        page.errors
    );
    let probe = &page.probe;
    assert_eq!(
        probe["strayImages"], 0,
        "images, frames or scripts in the page"
    );

    // Sections, in order.
    let sections: Vec<&str> = probe["sections"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap())
        .collect();
    let mut expected = vec!["header", "question", "headline", "assumptions"];
    if !svg_files.is_empty() {
        expected.push("charts");
    }
    expected.extend([
        "allies",
        "items",
        "capacity",
        "sensitivity",
        "sources",
        "reproduce",
    ]);
    assert_eq!(sections, expected, "sections out of order");

    // Charts: one drawn figure per charts/*.svg.
    let figures = probe["figures"].as_array().unwrap();
    assert_eq!(
        figures.len(),
        svg_files.len(),
        "figures in the page against charts/*.svg ({svg_files:?})"
    );
    let page_width = probe["pageWidth"].as_f64().unwrap();
    let mut figure_ids = BTreeSet::new();
    for figure in figures {
        let (width, height) = (
            figure["width"].as_f64().unwrap(),
            figure["height"].as_f64().unwrap(),
        );
        assert_eq!(figure["svg"], true, "a figure without inline SVG: {figure}");
        assert!(
            width > 0.0 && height > 0.0,
            "a chart is not drawn: {figure}"
        );
        assert!(
            width <= page_width,
            "a chart is wider than the page: {figure}"
        );
        assert!(
            !figure["caption"].as_str().unwrap().is_empty(),
            "a figure without caption: {figure}"
        );
        figure_ids.insert(figure["id"].as_str().unwrap().to_string());
    }
    let chart_ids: BTreeSet<String> = svg_files.iter().map(|n| format!("chart-{n}")).collect();
    assert_eq!(figure_ids, chart_ids, "figures against chart files");

    // Headline numbers against summary.csv.
    let headline = probe["headline"].as_array().unwrap();
    let mut seen: BTreeSet<(Key, String)> = BTreeSet::new();
    for number in headline {
        let field = |name: &str| number[name].as_str().unwrap_or_default().to_string();
        let key = (
            field("goal"),
            field("year"),
            field("group"),
            field("item"),
            field("metric"),
        );
        let cells = summary
            .get(&key)
            .unwrap_or_else(|| panic!("no summary.csv row for headline {number}"));
        assert_eq!(field("plan"), cells.plan, "plan of {key:?}");
        for (name, csv) in [
            ("mean", &cells.mean),
            ("p10", &cells.p10),
            ("p50", &cells.p50),
            ("p90", &cells.p90),
        ] {
            assert_eq!(&field(name), csv, "{name} of {key:?}");
        }
        let show = field("show");
        let value: f64 = match show.as_str() {
            "plan" => cells.plan.parse().unwrap(),
            "p50" => cells.p50.parse().unwrap(),
            "mean" => cells.mean.parse().unwrap(),
            other => panic!("data-show {other:?} of {key:?}"),
        };
        let shown = match key.4.as_str() {
            "core_musd" => grouped(value / 1000.0, 1),
            "cum_delta_core_musd" => signed(grouped(value / 1000.0, 1)),
            "core_pct_gdp" => format!("{value:.2}"),
            "shortfall_prob" => probability(value),
            "backlog_years" => format!("{value:.1}"),
            other => panic!("unexpected headline metric {other}"),
        };
        assert_eq!(field("text"), shown, "text of {key:?} ({show})");
        assert!(
            seen.insert((key.clone(), show.clone())),
            "{key:?} {show} shown twice"
        );
    }

    // The headline table: every row leads with the median and has the plan; the plan's
    // columns are labelled, every money heading has its unit, and the compliance assumption
    // is stated beside the table.
    let headings: Vec<&str> = probe["headlineHeadings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h.as_str().unwrap())
        .collect();
    assert!(
        headings
            .iter()
            .filter(|h| h.starts_with("Plan: pledge met in full and on time"))
            .count()
            >= 2,
        "{headings:?}"
    );
    for h in headings
        .iter()
        .filter(|h| h.starts_with("Median") || h.starts_with("Plan"))
    {
        assert!(
            h.contains("USD bn") || h.contains("% of GDP"),
            "no unit in {h:?}"
        );
    }
    let assumption = probe["assumption"].as_str().unwrap();
    assert!(
        assumption.starts_with(
            "Compliance assumed: as on the Wales record 2014-2024 (calibrated; assumed to hold \
             for 2025-2035): allies reach a goal on time"
        ),
        "{assumption:?}"
    );
    let rows = probe["headlineRows"].as_array().unwrap();
    assert!(!rows.is_empty());
    for row in rows {
        let shows: Vec<&str> = row
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap())
            .collect();
        assert_eq!(shows.first(), Some(&"p50 core_musd"), "{shows:?}");
        assert!(shows.contains(&"plan core_musd"), "{shows:?}");
        let at = |what: &str| shows.iter().position(|s| *s == what);
        assert!(at("p50 core_musd") < at("plan core_musd"), "{shows:?}");
        if let Some(plan) = at("plan cum_delta_core_musd") {
            assert!(at("p50 cum_delta_core_musd").unwrap() < plan, "{shows:?}");
        }
    }

    // Coverage: both groups for every goal, median and plan, the extra over the reference for
    // the others; and in the risk list exactly the lines whose probability of demand above
    // capacity reaches 10% in some year, shown at their peak year.
    let goals: Vec<&String> = summary
        .keys()
        .map(|k| &k.0)
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let horizon = summary.keys().map(|k| k.1.clone()).max().unwrap();
    let reference = first_goal(&out.path().join("summary.csv"));
    for goal in &goals {
        for group in ["nato", "europe_canada"] {
            let mut metrics = vec!["core_musd", "core_pct_gdp"];
            if **goal != reference {
                metrics.push("cum_delta_core_musd");
            }
            for metric in metrics {
                let key = (
                    goal.to_string(),
                    horizon.clone(),
                    group.to_string(),
                    String::new(),
                    metric.to_string(),
                );
                for show in ["p50", "plan"] {
                    assert!(
                        seen.contains(&(key.clone(), show.to_string())),
                        "headline lacks {key:?} {show}"
                    );
                }
            }
        }
    }
    // Per goal and line: the first year of the highest mean shortfall_prob, if it reaches 10%.
    let mut peaks: BTreeMap<(String, String), (f64, String)> = BTreeMap::new();
    for (k, c) in summary.iter().filter(|(k, _)| k.4 == "shortfall_prob") {
        let mean: f64 = c.mean.parse().unwrap();
        let entry = peaks
            .entry((k.0.clone(), k.3.clone()))
            .or_insert((mean, k.1.clone()));
        if mean > entry.0 || (mean == entry.0 && k.1 < entry.1) {
            *entry = (mean, k.1.clone());
        }
    }
    let at_risk: BTreeSet<(String, String, String)> = peaks
        .into_iter()
        .filter(|(_, (peak, _))| *peak >= 0.10)
        .map(|((goal, item), (_, year))| (goal, item, year))
        .collect();
    let listed: BTreeSet<(String, String, String)> = seen
        .iter()
        .filter(|(k, show)| k.4 == "shortfall_prob" && show == "mean")
        .map(|(k, _)| (k.0.clone(), k.3.clone(), k.1.clone()))
        .collect();
    assert!(!at_risk.is_empty(), "the Hague scenario has lines at risk");
    assert_eq!(listed, at_risk, "lines listed at risk, at their peak year");
}

/// What `backtest.html` reports about itself.
const BACKTEST_PROBE: &str = r#"JSON.stringify({
  pageWidth: document.documentElement.clientWidth,
  figures: [...document.querySelectorAll('figure')].map(f => {
    const svg = f.querySelector(':scope > svg');
    const box = svg ? svg.getBoundingClientRect() : { width: 0, height: 0 };
    return { svg: !!svg, width: box.width, height: box.height };
  }),
  strayImages: document.querySelectorAll('img, picture, object, embed, iframe, script').length,
  scores: [...document.querySelectorAll('section table tbody tr')]
    .map(tr => [...tr.querySelectorAll('td')].map(td => td.textContent.trim())),
  assumption: (document.querySelector('p.assume') || { textContent: '' }).textContent.trim(),
})"#;

#[test]
fn the_backtest_page_opens_offline_and_shows_the_scores_of_its_csv() {
    let Some(chromium) = chromium("backtest.html") else {
        return;
    };
    let out = tempfile::tempdir().unwrap();
    pledge(out.path())
        .args(["backtest", "--runs", "200", "--out"])
        .arg(out.path())
        .assert()
        .success();
    let page_file = out.path().join("backtest.html").canonicalize().unwrap();
    let url = format!("file://{}", page_file.display());
    let page = open_with(&chromium, &url, BACKTEST_PROBE);
    let strangers: Vec<&String> = page.requests.iter().filter(|u| **u != url).collect();
    assert!(strangers.is_empty(), "the page requested {strangers:?}");
    assert!(page.errors.is_empty(), "the page logged {:#?}", page.errors);
    let probe = &page.probe;
    assert_eq!(probe["strayImages"], 0);
    let figures = probe["figures"].as_array().unwrap();
    assert_eq!(figures.len(), 1, "{probe}");
    let (width, height) = (
        figures[0]["width"].as_f64().unwrap(),
        figures[0]["height"].as_f64().unwrap(),
    );
    assert!(figures[0]["svg"].as_bool().unwrap());
    assert!(width > 300.0 && height > 300.0, "{width} x {height}");
    assert!(width <= probe["pageWidth"].as_f64().unwrap() + 1.0);
    assert!(
        probe["assumption"]
            .as_str()
            .unwrap()
            .starts_with("Compliance assumed: as on the Wales record"),
        "{probe}"
    );
    // The scores shown are those of backtest_summary.csv, to a tenth of a percent.
    let mut summary = csv::Reader::from_path(out.path().join("backtest_summary.csv")).unwrap();
    let rows: Vec<csv::StringRecord> = summary.records().map(Result::unwrap).collect();
    let shown = probe["scores"].as_array().unwrap();
    assert_eq!(shown.len(), rows.len());
    for (row, cells) in rows.iter().zip(shown) {
        let cells: Vec<&str> = cells
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c.as_str().unwrap())
            .collect();
        assert_eq!(cells[0], &row[1], "ally-years");
        assert_eq!(cells[1], &row[0], "scope");
        let coverage: f64 = row[2].parse().unwrap();
        assert_eq!(cells[2], format!("{:.1}%", 100.0 * coverage));
    }
}

/// What the browser saw: the probe's answer, every request, every error.
struct Page {
    probe: Value,
    requests: Vec<String>,
    errors: Vec<String>,
}

/// Opens `url` in a fresh headless `chromium` and probes it with [`PROBE`].
fn open(chromium: &Path, url: &str) -> Page {
    open_with(chromium, url, PROBE)
}

/// Opens `url` in a fresh headless `chromium` and evaluates `probe`, which returns JSON text.
fn open_with(chromium: &Path, url: &str, probe: &str) -> Page {
    let profile = tempfile::tempdir().unwrap();
    let mut args: Vec<&OsStr> = QUIET_FLAGS.iter().map(OsStr::new).collect();
    args.push(OsStr::new("--window-size=1100,900"));
    let options = LaunchOptions::default_builder()
        .path(Some(chromium.to_path_buf()))
        .headless(true)
        .sandbox(false)
        .user_data_dir(Some(profile.path().to_path_buf()))
        .args(args)
        .idle_browser_timeout(Duration::from_secs(30))
        .build()
        .unwrap();
    let browser = Browser::new(options).unwrap_or_else(|e| {
        panic!(
            "cannot start Chromium at {}: {e:#}\n{INSTALL}",
            chromium.display()
        )
    });
    let tab = browser.new_tab().unwrap();
    let requests = Arc::new(Mutex::new(Vec::new()));
    let errors = Arc::new(Mutex::new(Vec::new()));
    let (seen, failed) = (Arc::clone(&requests), Arc::clone(&errors));
    tab.add_event_listener(Arc::new(move |event: &Event| {
        let note = |what: &str, params: String| {
            failed.lock().unwrap().push(format!("{what}: {params}"));
        };
        match event {
            Event::NetworkRequestWillBeSent(e) => {
                seen.lock().unwrap().push(e.params.request.url.clone());
            }
            Event::RuntimeConsoleAPICalled(e)
                if matches!(
                    e.params.Type,
                    Runtime::ConsoleAPICalledEventTypeOption::Error
                        | Runtime::ConsoleAPICalledEventTypeOption::Assert
                ) =>
            {
                note("console error", json(&e.params));
            }
            Event::RuntimeExceptionThrown(e) => note("exception", json(&e.params)),
            Event::LogEntryAdded(e) if e.params.entry.level == Log::LogEntryLevel::Error => {
                note("log error", json(&e.params));
            }
            _ => {}
        }
    }))
    .unwrap();
    let network: Network::Enable = serde_json::from_value(serde_json::json!({})).unwrap();
    tab.call_method(network).unwrap();
    tab.enable_runtime().unwrap();
    tab.enable_log().unwrap();
    tab.navigate_to(url).unwrap();
    tab.wait_until_navigated().unwrap();
    let probe = tab
        .evaluate(probe, false)
        .unwrap()
        .value
        .and_then(|v| v.as_str().map(str::to_string))
        .expect("the probe returns a JSON string");
    // Events travel on their own thread; give the last ones time to arrive.
    std::thread::sleep(Duration::from_millis(200));
    drop(tab);
    drop(browser);
    let requests = requests.lock().unwrap().clone();
    let errors = errors.lock().unwrap().clone();
    Page {
        probe: serde_json::from_str(&probe).unwrap(),
        requests,
        errors,
    }
}

/// Event parameters as JSON, for messages.
fn json(params: &impl serde::Serialize) -> String {
    serde_json::to_string(params).unwrap_or_default()
}

/// Stems of `dir/*.svg`, sorted; none if `dir` is absent.
fn chart_files(dir: &Path) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut stems: Vec<String> = entries
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "svg"))
        .map(|p| p.file_stem().unwrap().to_string_lossy().into_owned())
        .collect();
    stems.sort();
    stems
}

/// `summary.csv` by key, with its cells as written.
fn read_summary(path: &Path) -> BTreeMap<Key, Cells> {
    let mut reader = csv::Reader::from_path(path).unwrap();
    let header = reader.headers().unwrap().clone();
    let column = |name: &str| header.iter().position(|h| h == name).unwrap();
    let [goal, year, group, item, metric, plan, mean, p10, p50, p90] = [
        "goal", "year", "group", "item", "metric", "plan", "mean", "p10", "p50", "p90",
    ]
    .map(column);
    reader
        .records()
        .map(|record| {
            let r = record.unwrap();
            let cell = |i: usize| r[i].to_string();
            (
                (
                    cell(goal),
                    cell(year),
                    cell(group),
                    cell(item),
                    cell(metric),
                ),
                Cells {
                    plan: cell(plan),
                    mean: cell(mean),
                    p10: cell(p10),
                    p50: cell(p50),
                    p90: cell(p90),
                },
            )
        })
        .collect()
}

/// The reference goal: the first row's goal.
fn first_goal(path: &Path) -> String {
    let mut reader = csv::Reader::from_path(path).unwrap();
    reader.records().next().unwrap().unwrap()[0].to_string()
}

/// `1,234.5`: thousands separators, fixed decimals, `-` only before a non-zero value.
fn grouped(value: f64, decimals: usize) -> String {
    let text = format!("{:.*}", decimals, value.abs());
    let (whole, fraction) = text.split_once('.').unwrap_or((&text, ""));
    let digits: Vec<char> = whole.chars().collect();
    let mut out = String::new();
    if value < 0.0 && text.chars().any(|c| ('1'..='9').contains(&c)) {
        out.push('-');
    }
    for (i, c) in digits.iter().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(*c);
    }
    if !fraction.is_empty() {
        out.push('.');
        out.push_str(fraction);
    }
    out
}

/// A `+` before a positive, non-zero shown value.
fn signed(text: String) -> String {
    if !text.starts_with('-') && text.chars().any(|c| ('1'..='9').contains(&c)) {
        format!("+{text}")
    } else {
        text
    }
}

/// A probability as the page shows it: whole percent, `<1%` and `>99%` at the edges.
fn probability(p: f64) -> String {
    let pct = 100.0 * p;
    if pct > 0.0 && pct < 0.5 {
        "<1%".to_string()
    } else if (99.5..100.0).contains(&pct) {
        ">99%".to_string()
    } else {
        format!("{pct:.0}%")
    }
}
