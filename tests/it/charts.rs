//! The charts of the briefing pack as a reader meets them: every chart is there, each PNG
//! decodes to the chart's size and shows a picture (not a blank or single-colour page), each
//! SVG is well-formed XML whose `<text>` elements carry the title, the axis descriptions, the
//! legend and the footnote, and the numbers drawn are the ones in the results.

use pledge::mc::summary::Summary;
use pledge::mc::{Engine, block_count};
use pledge::model::Model;
use pledge::report::Currency;
use pledge::report::charts::{self, Chart};
use pledge::results::Results;
use pledge::scenario::metrics::Metric;
use pledge::scenario::{self, Scenario};
use std::collections::BTreeSet;
use std::sync::OnceLock;
use std::sync::atomic::AtomicU64;

/// Runs of the Monte Carlo results.
const RUNS: u64 = 500;

fn hague() -> Scenario {
    let mut scenario =
        scenario::load(&crate::common::root().join("scenarios/hague-2035.toml")).unwrap();
    scenario.runs = RUNS;
    scenario
}

/// hague-2035 with [`RUNS`] runs, as `result.json` reads back.
fn monte_carlo() -> &'static Results {
    static RESULTS: OnceLock<Results> = OnceLock::new();
    RESULTS.get_or_init(|| {
        let scenario = hague();
        let model = Model::new(&scenario);
        let central = Summary::central_with(&scenario, &model);
        let accumulator = Engine::new(&scenario, &model, central.variation(), Vec::new()).simulate(
            0..block_count(RUNS),
            RUNS,
            &AtomicU64::new(0),
        );
        let summary = central.with_monte_carlo(&accumulator);
        let json = Results::from_summary(&scenario, &summary).to_json();
        Results::from_json("result.json", &json).unwrap()
    })
}

/// hague-2035's central projection alone: no statistics.
fn central_only() -> Results {
    let scenario = hague();
    let json = Results::from_summary(&scenario, &Summary::central(&scenario)).to_json();
    Results::from_json("result.json", &json).unwrap()
}

fn rendered() -> &'static [Chart] {
    static CHARTS: OnceLock<Vec<Chart>> = OnceLock::new();
    CHARTS.get_or_init(|| charts::render_all(monte_carlo(), Currency::Usd))
}

fn chart<'a>(charts: &'a [Chart], name: &str) -> &'a Chart {
    charts
        .iter()
        .find(|c| c.name == name)
        .unwrap_or_else(|| panic!("no chart '{name}'"))
}

fn expected_names(results: &Results) -> Vec<String> {
    let mut names = vec!["spending_fan".to_string(), "paired_difference".to_string()];
    names.extend(
        results
            .scenario
            .items
            .iter()
            .map(|i| format!("capacity_{}", i.id)),
    );
    names.extend(
        results
            .scenario
            .items
            .iter()
            .map(|i| format!("planning_{}", i.id)),
    );
    names.push("shortfall_probability".to_string());
    names.push("burden".to_string());
    names
}

/// A decoded PNG: width, height and RGB pixels.
fn decode(bytes: &[u8]) -> (u32, u32, Vec<[u8; 3]>) {
    let decoder = png::Decoder::new(std::io::Cursor::new(bytes));
    let mut reader = decoder.read_info().expect("a PNG header");
    let mut buffer = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buffer).expect("PNG image data");
    assert_eq!(info.color_type, png::ColorType::Rgb);
    assert_eq!(info.bit_depth, png::BitDepth::Eight);
    let pixels = buffer[..info.buffer_size()]
        .chunks_exact(3)
        .map(|p| [p[0], p[1], p[2]])
        .collect();
    (info.width, info.height, pixels)
}

/// Parses `svg` as XML (roxmltree: well-formed, one root, every tag closed in order, attribute
/// values quoted, entities known) and checks that its root is an `<svg>` element in the SVG
/// namespace. Returns the text of every `<text>` element, trimmed, in document order.
fn well_formed(svg: &str) -> Result<Vec<String>, String> {
    let document = roxmltree::Document::parse(svg).map_err(|e| e.to_string())?;
    let root = document.root_element();
    if root.tag_name().name() != "svg" || root.tag_name().namespace() != Some(SVG_NAMESPACE) {
        return Err(format!(
            "the root element is {:?}, not an SVG",
            root.tag_name()
        ));
    }
    Ok(root
        .descendants()
        .filter(|n| n.has_tag_name((SVG_NAMESPACE, "text")))
        .map(|text| {
            let content: String = text
                .descendants()
                .filter(|n| n.is_text())
                .filter_map(|n| n.text())
                .collect();
            content.trim().to_string()
        })
        .collect())
}

/// The namespace of SVG elements.
const SVG_NAMESPACE: &str = "http://www.w3.org/2000/svg";

/// The text a reader sees in `chart`'s SVG, `<text>` elements joined by spaces.
fn visible_text(chart: &Chart) -> String {
    well_formed(&chart.svg)
        .unwrap_or_else(|e| panic!("{}.svg is not well-formed: {e}", chart.name))
        .join(" ")
}

#[test]
fn the_xml_check_catches_broken_documents() {
    let svg = |body: &str| format!("<svg xmlns=\"{SVG_NAMESPACE}\"{body}");
    assert_eq!(
        well_formed(&svg(
            " a=\"1\"><text>x &amp; y</text><g/><text> <tspan>z</tspan> </text></svg>"
        )),
        Ok(vec!["x & y".to_string(), "z".to_string()])
    );
    assert!(well_formed(&svg("><text>x</svg></text>")).is_err());
    assert!(well_formed(&svg("><g></svg>")).is_err());
    assert!(well_formed(&svg(" a=1></svg>")).is_err());
    assert!(well_formed(&svg(">a & b</svg>")).is_err());
    assert!(well_formed(&format!("{}{}", svg("></svg>"), svg("></svg>"))).is_err());
    // Well-formed, but not an SVG.
    assert!(well_formed("<svg></svg>").is_err());
    assert!(well_formed(&format!("<html xmlns=\"{SVG_NAMESPACE}\"></html>")).is_err());
}

#[test]
fn every_chart_is_drawn_once_in_order() {
    let results = monte_carlo();
    let names: Vec<String> = rendered().iter().map(|c| c.name.clone()).collect();
    assert_eq!(names, expected_names(results));
    assert_eq!(
        results.scenario.items.len(),
        8,
        "hague-2035 has eight items"
    );
    let unique: BTreeSet<&String> = names.iter().collect();
    assert_eq!(unique.len(), names.len());
}

#[test]
fn every_png_decodes_to_the_chart_size_and_shows_a_picture() {
    for chart in rendered() {
        let bytes = charts::png(chart);
        assert!(bytes.starts_with(b"\x89PNG\r\n\x1a\n"), "{}", chart.name);
        let (width, height, pixels) = decode(&bytes);
        assert_eq!(
            (width, height),
            (chart.width, chart.height),
            "{}",
            chart.name
        );
        assert!(
            width >= 1000 && height >= 700,
            "{}: {width}x{height}",
            chart.name
        );
        let colours: BTreeSet<[u8; 3]> = pixels.iter().copied().collect();
        assert!(
            colours.len() >= 50,
            "{}: only {} colours",
            chart.name,
            colours.len()
        );
        let ink = pixels.iter().filter(|p| **p != [255, 255, 255]).count() as f64;
        let share = ink / pixels.len() as f64;
        assert!(
            (0.04..0.75).contains(&share),
            "{}: {:.1}% of the pixels are not white",
            chart.name,
            100.0 * share
        );
        // The page is white at its corners: nothing is drawn off the edge.
        assert_eq!(pixels[0], [255, 255, 255], "{}", chart.name);
        assert_eq!(pixels[pixels.len() - 1], [255, 255, 255], "{}", chart.name);
    }
}

#[test]
fn every_svg_is_well_formed_with_title_axes_legend_and_footnote() {
    let results = monte_carlo();
    let footnote = format!(
        "Data: {}; {RUNS} Monte Carlo runs, seed {}; pledge {}",
        results.scenario.data.vintage,
        results.seed,
        results.tool_version()
    );
    assert_eq!(results.seed, 2025);
    let money = "USD bn (constant 2025 USD)";
    for chart in rendered() {
        let text = visible_text(chart);
        assert!(
            chart
                .svg
                .contains(&format!("viewBox=\"0 0 {} {}\"", chart.width, chart.height)),
            "{}",
            chart.name
        );
        assert!(
            chart
                .svg
                .contains(&format!("<title>{}</title>", chart.title)),
            "{}: no <title>",
            chart.name
        );
        assert!(
            text.contains(&chart.title),
            "{}: title not drawn",
            chart.name
        );
        assert!(
            text.contains(&footnote),
            "{}: no footnote in {text}",
            chart.name
        );
        let axes: Vec<String> = match chart.name.as_str() {
            "spending_fan" => vec![
                "Year".into(),
                format!("Core defence spending, {money}"),
                "NATO (32 allies)".into(),
                "Europe+Canada (31 allies)".into(),
            ],
            "paired_difference" => vec![
                "Year".into(),
                "Extra core spending, USD bn per year".into(),
                "Cumulative extra core spending, USD bn".into(),
            ],
            "shortfall_probability" => vec![
                "Year".into(),
                "Production line".into(),
                "Probability that demand exceeds capacity".into(),
            ],
            "burden" => vec![
                format!("Core defence spending in 2035, {money}"),
                "Core defence spending in 2035, % of GDP".into(),
            ],
            _ => vec![
                "Year".into(),
                "Production, ".into(),
                "units per year".into(),
            ],
        };
        for axis in axes {
            assert!(text.contains(&axis), "{}: no '{axis}'", chart.name);
        }
        // The legend (or the heat map's captions) names every goal.
        for goal in results.goals() {
            assert!(
                text.contains(&goal.label),
                "{}: no '{}'",
                chart.name,
                goal.label
            );
        }
    }
}

#[test]
fn the_capacity_charts_mark_the_first_year_demand_exceeds_capacity_in_half_the_runs() {
    let results = monte_carlo();
    let mut marked = 0;
    for item in &results.scenario.items {
        let text = visible_text(chart(rendered(), &format!("capacity_{}", item.id)));
        assert!(text.contains(&item.label), "{}", item.id);
        assert!(!text.contains(&item.id), "{}: items by label", item.id);
        assert!(
            text.contains("plan (pledge met in full and on time)"),
            "{}: no plan in the legend",
            item.id
        );
        for goal in results.goals() {
            let first = results
                .item_series(&goal.id, &item.id, Metric::ShortfallProb)
                .iter()
                .find(|r| r.stats.as_ref().unwrap().mean >= 0.5)
                .map(|r| r.year);
            let claim = format!(
                "{}: above capacity in half the runs or more from",
                goal.label
            );
            match first {
                Some(year) => {
                    marked += 1;
                    assert!(
                        text.contains(&format!("{claim} {year}")),
                        "{} {}",
                        item.id,
                        goal.id
                    );
                }
                None => assert!(!text.contains(&claim), "{} {}", item.id, goal.id),
            }
        }
    }
    assert!(marked > 0, "hague-2035 has shortfalls under the 5% goal");
}

/// `value` as the charts print it: thousands separators, fixed decimals, a typographic minus.
fn chart_number(value: f64, decimals: usize) -> String {
    let text = format!("{:.*}", decimals, value.abs());
    let (whole, fraction) = text.split_once('.').unwrap_or((&text, ""));
    let mut out = String::new();
    if value < 0.0 && text.chars().any(|c| ('1'..='9').contains(&c)) {
        out.push('\u{2212}');
    }
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if !fraction.is_empty() {
        out.push('.');
        out.push_str(fraction);
    }
    out
}

#[test]
fn line_charts_show_the_median_solid_and_the_plan_dotted() {
    let results = monte_carlo();
    for name in ["spending_fan", "paired_difference"] {
        let text = visible_text(chart(rendered(), name));
        assert!(
            text.contains(&format!("Solid lines: median of {RUNS} runs")),
            "{name}: {text}"
        );
        assert!(
            text.contains("dotted lines: the plan (pledge met in full and on time"),
            "{name}: {text}"
        );
        assert!(
            text.contains("plan (pledge met in full and on time)"),
            "{name}: no plan legend"
        );
        assert!(!text.contains("central"), "{name}: {text}");
    }
    // The cumulative bars: median, P10 to P90 and plan, as in the results, in USD bn.
    let text = visible_text(chart(rendered(), "paired_difference"));
    let row = results
        .row("core5", 2035, "nato", None, Metric::CumDeltaCoreMusd)
        .unwrap();
    let st = row.stats.as_ref().unwrap();
    let bn = |musd: f64| chart_number(musd / 1000.0, 0);
    let expected = format!(
        "median {} (P10\u{2013}P90\u{a0}{} to {}); plan {}",
        bn(st.percentiles[3]),
        bn(st.percentiles[1]),
        bn(st.percentiles[5]),
        bn(row.plan)
    );
    // The bar's text may wrap over two <text> elements: compare without the break.
    let joined = text.replace(' ', "");
    assert!(
        joined.contains(&expected.replace(' ', "")),
        "{expected:?} not in {text}"
    );
}

#[test]
fn the_heat_map_prints_the_mean_shortfall_probability() {
    let results = monte_carlo();
    let text = visible_text(chart(rendered(), "shortfall_probability"));
    let cells: Vec<&str> = text.split(' ').filter(|w| w.ends_with('%')).collect();
    // Every goal, item and year has a cell.
    let expected = results.goals().len() * results.scenario.items.len() * results.years().count();
    assert!(
        cells.len() >= expected,
        "{} cells for {expected}",
        cells.len()
    );
    let row = results
        .row("core5", 2035, "nato", Some("f35"), Metric::ShortfallProb)
        .unwrap();
    let mean = row.stats.as_ref().unwrap().mean;
    assert!((0.01..0.99).contains(&mean), "{mean}");
    let printed = format!("{:.0}%", 100.0 * mean);
    assert!(
        cells.contains(&printed.as_str()),
        "{printed} not in {cells:?}"
    );
}

#[test]
fn the_burden_chart_lists_every_ally_largest_first() {
    let results = monte_carlo();
    let text = visible_text(chart(rendered(), "burden"));
    let allies = &results.scenario.data.allies;
    assert_eq!(allies.len(), 32);
    let mut positions: Vec<(usize, &str)> = allies
        .iter()
        .map(|a| {
            let at = text
                .find(&format!(" {} ", a.name))
                .unwrap_or_else(|| panic!("{} missing", a.name));
            (at, a.iso3.as_str())
        })
        .collect();
    positions.sort();
    // Bars are the median of the runs.
    let core = |iso3: &str| {
        results
            .row("core5", 2035, iso3, None, Metric::CoreMusd)
            .unwrap()
            .stats
            .unwrap()
            .percentiles[3]
    };
    assert_eq!(positions[0].1, "USA");
    for pair in positions.windows(2) {
        assert!(core(pair[0].1) >= core(pair[1].1), "{pair:?}");
    }
    assert_eq!(core("ISL"), 0.0, "Iceland is kept, at zero");
}

#[test]
fn rendering_is_deterministic() {
    let again = charts::render_all(monte_carlo(), Currency::Usd);
    for (a, b) in rendered().iter().zip(&again) {
        assert_eq!(a.svg, b.svg, "{}", a.name);
    }
    let first = chart(rendered(), "spending_fan");
    assert_eq!(
        charts::png(first),
        charts::png(chart(&again, "spending_fan"))
    );
    // In parallel, each thread reusing its pixel buffer and glyphs: the same PNGs.
    let parallel = std::sync::Mutex::new(vec![Vec::new(); rendered().len()]);
    charts::png_each(rendered(), |index, png| {
        parallel.lock().unwrap()[index] = png;
    });
    assert_eq!(
        parallel.into_inner().unwrap(),
        rendered().iter().map(charts::png).collect::<Vec<_>>()
    );
}

#[test]
fn results_without_statistics_still_render_the_plan() {
    let results = central_only();
    assert!(!results.has_statistics());
    let charts = charts::render_all(&results, Currency::Usd);
    let names: Vec<String> = charts.iter().map(|c| c.name.clone()).collect();
    assert_eq!(names, expected_names(&results));
    for chart in &charts {
        let text = visible_text(chart);
        assert!(
            text.contains("plan only (pledge met in full and on time), no Monte Carlo runs"),
            "{}: {text}",
            chart.name
        );
        assert!(
            !text.contains("P10\u{2013}P90"),
            "{}: a band without runs",
            chart.name
        );
        let (width, height, pixels) = decode(&charts::png(chart));
        assert_eq!((width, height), (chart.width, chart.height));
        let colours: BTreeSet<[u8; 3]> = pixels.iter().copied().collect();
        assert!(
            colours.len() >= 20,
            "{}: {} colours",
            chart.name,
            colours.len()
        );
    }
}
