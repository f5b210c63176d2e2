//! `report.html`: one self-contained page (charts inlined as SVG, no network, no external
//! scripts or fonts) from [`Results`] alone.
//!
//! The page picks rows of the results and formats them; it computes no statistic. In order:
//! the question (the goals), the headline numbers, the assumptions (every uncertain input with
//! its distribution), the charts, the per-ally and per-item tables, the data sources and a
//! reproducibility footer.
//!
//! Self-contained means one inline `<style>`, no script, and no reference to anything outside
//! the file; a `Content-Security-Policy` of `default-src 'none'` makes a browser refuse any
//! load that might slip in through a chart. Text is escaped once, by [`Esc`].
//!
//! Headlines lead with the median of the runs and its P10–P90 range; the plan (the pledge met
//! in full and on time, MODEL.md v2 section 4) has a labelled column of its own, and the
//! compliance assumption is stated beside the table. Goals and production lines are named by
//! their labels.
//!
//! Headline numbers carry their key and exact values as `data-*` attributes (`data-goal`,
//! `data-group`, `data-item`, `data-metric`, `data-year`, `data-plan`, and when runs were made
//! `data-mean`, `data-p10`, `data-p50`, `data-p90`), written with Rust's `{}` for `f64` as in
//! `summary.csv`, and `data-show` names the value shown (`p50`, `plan` or `mean`), so a test
//! can match each one with its `summary.csv` row.

use super::charts::Chart;
use super::{ResultRow, Results};
use crate::data::groups::GroupKind;
use crate::data::{Ally, Category, Purchase};
use crate::dist::Triangular;
use crate::output::glance::compliance_text;
use crate::output::{LineRisk, RISK_PROBABILITY, grouped, percent, year_ranges};
use crate::scenario::GoalOverride;
use crate::scenario::metrics::Metric;
use std::fmt::{self, Display, Write};

/// `write!` into a `String`, which cannot fail.
macro_rules! w {
    ($out:expr, $($arg:tt)*) => {{
        let _ = write!($out, $($arg)*);
    }};
}

/// The heading of the plan's columns.
const PLAN_HEADING: &str = "Plan: pledge met in full and on time";

/// The builtin groups of the headline numbers; the scenario's own groups follow them.
const HEADLINE_GROUPS: [&str; 2] = ["nato", "europe_canada"];

/// The report page.
pub fn report(results: &Results, charts: &[Chart]) -> String {
    let svg_bytes: usize = charts.iter().map(|c| c.svg.len()).sum();
    let mut out = String::with_capacity(96 * 1024 + svg_bytes);
    head(&mut out, results);
    out.push_str("<body>\n<main>\n");
    title(&mut out, results, charts);
    question(&mut out, results);
    headline(&mut out, results);
    assumptions(&mut out, results);
    figures(&mut out, charts);
    allies(&mut out, results);
    items(&mut out, results);
    sources(&mut out, results);
    footer(&mut out, results);
    out.push_str("</main>\n</body>\n</html>\n");
    out
}

// ---------------------------------------------------------------------------------------------
// Sections
// ---------------------------------------------------------------------------------------------

fn head(out: &mut String, r: &Results) {
    w!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; \
         style-src 'unsafe-inline'\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"color-scheme\" content=\"light\">\n\
         <meta name=\"generator\" content=\"pledge {}\">\n\
         <title>{} \u{2013} pledge report</title>\n<style>\n{STYLE}</style>\n</head>\n",
        Esc(r.tool_version()),
        Esc(&r.scenario.title)
    );
}

fn title(out: &mut String, r: &Results, charts: &[Chart]) {
    let s = &r.scenario;
    let b = s.base_year();
    w!(
        out,
        "<header>\n<p class=\"kicker\">pledge scenario report</p>\n<h1>{}</h1>\n<p class=\"lede\">",
        Esc(&s.title)
    );
    w!(
        out,
        "{} goal{}, {b}\u{2013}{}, money in constant {b} US dollars. ",
        s.goals.len(),
        plural(s.goals.len()),
        s.horizon
    );
    if r.has_statistics() {
        w!(
            out,
            "Medians and P10\u{2013}P90 ranges of {} Monte Carlo runs (seed {}), beside the \
             plan (pledge met in full and on time).",
            grouped(r.runs as f64, 0),
            r.seed
        );
    } else {
        out.push_str("The plan (pledge met in full and on time) only: no Monte Carlo runs.");
    }
    out.push_str("</p>\n<nav aria-label=\"Contents\"><ol>");
    let mut entries = vec![
        ("question", "Question"),
        ("headline", "Headline numbers"),
        ("assumptions", "Assumptions"),
    ];
    if !charts.is_empty() {
        entries.push(("charts", "Charts"));
    }
    entries.extend([
        ("allies", "By ally"),
        ("items", "Production lines"),
        ("sources", "Data sources"),
        ("reproduce", "Reproduce"),
    ]);
    for (id, name) in entries {
        w!(out, "<li><a href=\"#{id}\">{name}</a></li>");
    }
    out.push_str("</ol></nav>\n</header>\n");
}

fn question(out: &mut String, r: &Results) {
    let s = &r.scenario;
    out.push_str("<section id=\"question\">\n<h2>The question</h2>\n");
    w!(
        out,
        "<p>What each goal below means for allies\u{2019} defence spending and for the production \
         lines that turn equipment money into output, {}\u{2013}{}. The first goal, \
         <strong>{}</strong>, is the <strong>reference</strong>: every other goal is also \
         reported as its difference from it, run by run.</p>\n",
        s.base_year(),
        s.horizon,
        Esc(&s.goals[0].label)
    );
    out.push_str(
        "<div class=\"wide\"><table>\n<thead><tr><th scope=\"col\">Id</th>\
         <th scope=\"col\">Goal</th><th scope=\"col\" class=\"num\">Core, % of GDP</th>\
         <th scope=\"col\" class=\"num\">Related, % of GDP</th>\
         <th scope=\"col\" class=\"num\">Target year</th><th scope=\"col\">Path</th>\
         <th scope=\"col\">Floor</th><th scope=\"col\" class=\"num\">Equipment, % of core</th>\
         <th scope=\"col\">Exceptions by ally</th></tr></thead>\n<tbody>\n",
    );
    for (g, goal) in s.goals.iter().enumerate() {
        w!(
            out,
            "<tr><td><code>{}</code></td><td>{}{}</td><td class=\"num\">{}</td>\
             <td class=\"num\">{}</td><td class=\"num\">{}</td><td>{}</td><td>{}</td>\
             <td class=\"num\">{}</td><td>{}</td></tr>\n",
            Esc(&goal.id),
            Esc(&goal.label),
            if g == 0 {
                " <span class=\"tag\">reference</span>"
            } else {
                ""
            },
            Esc(&goal.core_text()),
            plain(goal.related_pct),
            goal.target_year,
            goal.path.as_str(),
            goal.floor.as_str(),
            plain(goal.equipment_pct),
            overrides_text(&goal.overrides)
        );
    }
    out.push_str(
        "</tbody>\n</table></div>\n<p class=\"note\">Core and related spending are % of GDP; \
         the equipment goal is a share of core spending (an ally above it keeps its own). \
         Path: how allies ramp from their base share to the goal (linear, front- or \
         back-loaded, S-curve). Floor <em>current</em>: an ally already above the goal keeps \
         its share; <em>none</em>: it moves to the goal, down if need be.</p>\n</section>\n",
    );
}

fn overrides_text(overrides: &std::collections::BTreeMap<String, GoalOverride>) -> String {
    if overrides.is_empty() {
        return "none".to_string();
    }
    let mut text = String::new();
    for (k, (iso3, o)) in overrides.iter().enumerate() {
        if k > 0 {
            text.push_str("; ");
        }
        let mut parts = Vec::new();
        if let Some(v) = o.core_pct {
            parts.push(format!("core {}%", plain(v)));
        }
        if let Some(points) = o.points_text() {
            parts.push(format!("declared path {points}"));
        }
        if let Some(v) = o.related_pct {
            parts.push(format!("related {}%", plain(v)));
        }
        if let Some(v) = o.target_year {
            parts.push(format!("target {v}"));
        }
        if let Some(v) = o.path {
            parts.push(format!("path {}", v.as_str()));
        }
        if let Some(v) = o.equipment_pct {
            parts.push(format!("equipment {}%", plain(v)));
        }
        w!(text, "<strong>{}</strong>: {}", Esc(iso3), parts.join(", "));
    }
    text
}

fn headline(out: &mut String, r: &Results) {
    let s = &r.scenario;
    let (b, h) = (s.base_year(), s.horizon);
    let stats = r.has_statistics();
    let reference = &s.goals[0];
    w!(
        out,
        "<section id=\"headline\">\n<h2>Headline numbers, {h}</h2>\n\
         <p>Core defence spending in {h} and the extra spent over the reference \
         (<strong>{}</strong>) summed over {}\u{2013}{h}, in USD billions at constant {b} \
         prices. ",
        Esc(&reference.label),
        b + 1
    );
    if stats {
        w!(
            out,
            "<em>Median</em>: the middle of {} Monte Carlo runs (seed {}); <em>P10\u{2013}P90</em>: \
             the range that holds the middle 80% of them. ",
            grouped(r.runs as f64, 0),
            r.seed
        );
    }
    w!(
        out,
        "<em>Plan</em>: the pledge met in full and on time, that is every ally on its goal by \
         its target year and every announced capacity plan met, the other inputs at their \
         central values.</p>\n\
         <p class=\"assume\"><strong>Compliance assumed:</strong> {}.</p>\n",
        Esc(&compliance_text(&s.compliance, &s.capacity))
    );
    let core_span = if stats { 4 } else { 2 };
    let extra_span = if stats { 3 } else { 1 };
    w!(
        out,
        "<div class=\"wide\"><table class=\"headline\">\n<thead>\n<tr>\
         <th scope=\"col\" rowspan=\"2\">Goal</th><th scope=\"col\" rowspan=\"2\">Group</th>\
         <th scope=\"colgroup\" colspan=\"{core_span}\" class=\"group\">Core spending, {h}</th>\
         <th scope=\"colgroup\" colspan=\"{extra_span}\" class=\"group\">Extra over {}, \
         {}\u{2013}{h}</th></tr>\n<tr>",
        Esc(&reference.label),
        b + 1
    );
    if stats {
        out.push_str(
            "<th scope=\"col\" class=\"num\">Median,<br>USD bn</th>\
             <th scope=\"col\" class=\"num\">P10\u{2013}P90,<br>USD bn</th>\
             <th scope=\"col\" class=\"num\">Median,<br>% of GDP</th>",
        );
    }
    w!(
        out,
        "<th scope=\"col\" class=\"num plan\">{PLAN_HEADING},<br>USD bn (% of GDP)</th>"
    );
    if stats {
        out.push_str(
            "<th scope=\"col\" class=\"num\">Median,<br>USD bn</th>\
             <th scope=\"col\" class=\"num\">P10\u{2013}P90,<br>USD bn</th>",
        );
    }
    w!(
        out,
        "<th scope=\"col\" class=\"num plan\">{PLAN_HEADING},<br>USD bn</th></tr>\n</thead>\n"
    );
    let names: Vec<&str> = HEADLINE_GROUPS
        .into_iter()
        .chain(
            s.groups
                .iter()
                .filter(|g| g.kind == GroupKind::Scenario)
                .map(|g| g.name.as_str()),
        )
        .collect();
    for (g, goal) in s.goals.iter().enumerate() {
        let groups: Vec<(&str, &str, &ResultRow)> = names
            .iter()
            .filter_map(|&group| {
                Some((
                    group,
                    group_name(group),
                    r.row(&goal.id, h, group, None, Metric::CoreMusd)?,
                ))
            })
            .collect();
        out.push_str("<tbody>\n");
        for (k, &(group, name, core)) in groups.iter().enumerate() {
            out.push_str("<tr>");
            if k == 0 {
                w!(
                    out,
                    "<th scope=\"rowgroup\" rowspan=\"{}\" class=\"goal\">{}{}</th>",
                    groups.len(),
                    Esc(&goal.label),
                    if g == 0 {
                        " <span class=\"tag\">reference</span>"
                    } else {
                        ""
                    }
                );
            }
            w!(out, "<th scope=\"row\">{}</th>", Esc(name));
            let pct = r.row(&goal.id, h, group, None, Metric::CorePctGdp);
            if stats {
                value_cell(out, core, Show::Median, "median", usd_bn);
                range_cell(out, r, core, usd_bn);
                match pct {
                    Some(row) => value_cell(out, row, Show::Median, "median", pct_text),
                    None => out.push_str("<td class=\"num\">n/a</td>"),
                }
            }
            out.push_str("<td class=\"num plan\">");
            value_span(out, core, Show::Plan, usd_bn);
            if let Some(row) = pct {
                out.push_str(" (");
                value_span(out, row, Show::Plan, pct_text);
                out.push_str("%)");
            }
            out.push_str("</td>");
            match r.row(&goal.id, h, group, None, Metric::CumDeltaCoreMusd) {
                Some(cum) => {
                    if stats {
                        value_cell(out, cum, Show::Median, "median", signed_usd_bn);
                        range_cell(out, r, cum, signed_usd_bn);
                    }
                    value_cell(out, cum, Show::Plan, "plan", signed_usd_bn);
                }
                None => w!(
                    out,
                    "<td class=\"num muted\" colspan=\"{extra_span}\">{}</td>",
                    if g == 0 { "reference" } else { "n/a" }
                ),
            }
            out.push_str("</tr>\n");
        }
        out.push_str("</tbody>\n");
    }
    out.push_str("</table></div>\n");
    if stats {
        out.push_str(
            "<p class=\"note\">The plan is one path, not the middle of the runs: allies may \
             reach a goal late or fall short of it, but never early or beyond it, so most runs \
             fall below the plan, which can lie above P90. The median and its range describe \
             the runs. Hover over a range for the runs\u{2019} mean and its Monte Carlo \
             standard error.</p>\n",
        );
    }
    risks(out, r);
    out.push_str("</section>\n");
}

/// Which value of a row a cell shows, named in its `data-show` attribute.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Show {
    /// The median of the runs (P50).
    Median,
    /// The plan.
    Plan,
    /// The mean of the runs (a probability, for `shortfall_prob`).
    Mean,
}

impl Show {
    fn name(self) -> &'static str {
        match self {
            Show::Median => "p50",
            Show::Plan => "plan",
            Show::Mean => "mean",
        }
    }

    /// The value shown, if the row has it.
    fn value(self, row: &ResultRow) -> Option<f64> {
        match self {
            Show::Plan => Some(row.plan),
            Show::Median => row.stats.as_ref().map(|s| s.percentiles[3]),
            Show::Mean => row.stats.as_ref().map(|s| s.mean),
        }
    }
}

/// A table cell with one value of a row and its `data-*` key; `class` is added to `num`.
fn value_cell(
    out: &mut String,
    row: &ResultRow,
    show: Show,
    class: &str,
    text: impl Fn(f64) -> String,
) {
    w!(out, "<td class=\"num {class}\">");
    value_span(out, row, show, text);
    out.push_str("</td>");
}

/// A `<span>` with one value of a row and its `data-*` key.
fn value_span(out: &mut String, row: &ResultRow, show: Show, text: impl Fn(f64) -> String) {
    out.push_str("<span");
    data_key(out, row, show);
    w!(
        out,
        ">{}</span>",
        show.value(row).map_or("n/a".to_string(), text)
    );
}

/// The `data-*` attributes of a row: its key, its plan value and, with runs, its mean, P10,
/// P50 and P90, as `summary.csv` writes them; and `data-show`, the value the element shows.
fn data_key(out: &mut String, row: &ResultRow, show: Show) {
    w!(
        out,
        " data-goal=\"{}\" data-group=\"{}\"",
        Esc(&row.goal),
        Esc(&row.group)
    );
    if let Some(item) = &row.item {
        w!(out, " data-item=\"{}\"", Esc(item));
    }
    w!(
        out,
        " data-metric=\"{}\" data-year=\"{}\" data-show=\"{}\" data-plan=\"{}\"",
        row.metric.as_str(),
        row.year,
        show.name(),
        row.plan
    );
    if let Some(st) = &row.stats {
        w!(
            out,
            " data-mean=\"{}\" data-p10=\"{}\" data-p50=\"{}\" data-p90=\"{}\"",
            st.mean,
            st.percentiles[1],
            st.percentiles[3],
            st.percentiles[5]
        );
    }
}

/// The runs' P10–P90 in USD bn, with their mean ± its standard error as a tooltip.
fn range_cell(out: &mut String, r: &Results, row: &ResultRow, text: impl Fn(f64) -> String) {
    let Some(st) = &row.stats else {
        out.push_str("<td></td>");
        return;
    };
    let se = r
        .headline_errors()
        .iter()
        .find(|e| {
            e.goal == row.goal
                && e.group == row.group
                && e.metric == row.metric
                && e.year == row.year
        })
        .map_or(String::new(), |e| {
            format!(" \u{b1} {}", usd_bn(e.standard_error))
        });
    w!(
        out,
        "<td class=\"num range\" title=\"mean {}{se}\">{} to {}</td>",
        text(st.mean),
        text(st.percentiles[1]),
        text(st.percentiles[5])
    );
}

/// Per goal, the production lines whose probability of demand above capacity reaches
/// [`RISK_PROBABILITY`] in some year (without runs: whose plan is short), in scenario order,
/// with the peak probability and its year, the years the plan is short and the backlog in
/// the horizon year.
fn risks(out: &mut String, r: &Results) {
    let s = &r.scenario;
    let h = s.horizon;
    let stats = r.has_statistics();
    let threshold = percent(RISK_PROBABILITY);
    out.push_str("<h3 id=\"risks\">Production lines at risk of demand above capacity</h3>\n");
    if stats {
        w!(
            out,
            "<p>Lines whose probability of demand above capacity (the share of runs in which \
             the year\u{2019}s demand exceeds capacity) reaches {threshold} in any year, with \
             the peak and its year; the years in which the plan\u{2019}s demand is above \
             capacity; and the backlog in {h}, in years of production.</p>\n"
        );
    } else {
        w!(
            out,
            "<p>No Monte Carlo runs, so no probabilities: lines whose demand in the plan is \
             above capacity in some year, and their backlog in {h}, in years of \
             production.</p>\n"
        );
    }
    out.push_str(
        "<div class=\"wide\"><table class=\"risks\">\n<thead><tr>\
         <th scope=\"col\">Goal</th><th scope=\"col\">Line</th>",
    );
    if stats {
        out.push_str(
            "<th scope=\"col\" class=\"num\">Peak probability</th>\
             <th scope=\"col\" class=\"num\">Peak year</th>",
        );
    }
    w!(
        out,
        "<th scope=\"col\">Plan short in</th>{}\
         <th scope=\"col\" class=\"num plan\">Backlog {h}, years of production: plan</th>\
         </tr></thead>\n",
        if stats {
            format!("<th scope=\"col\" class=\"num\">Backlog {h}, years of production: median</th>")
        } else {
            String::new()
        }
    );
    let columns = if stats { 7 } else { 4 };
    for goal in &s.goals {
        let listed: Vec<(&crate::data::Item, LineRisk)> = s
            .items
            .iter()
            .map(|item| (item, line_risk(r, &goal.id, &item.id)))
            .filter(|(_, risk)| risk.listed())
            .collect();
        out.push_str("<tbody>\n");
        if listed.is_empty() {
            w!(
                out,
                "<tr><th scope=\"row\">{}</th><td colspan=\"{}\" class=\"muted\">{}</td></tr>\n",
                Esc(&goal.label),
                columns - 1,
                if stats {
                    format!(
                        "no line reaches a {threshold} probability of demand above capacity \
                         in any year"
                    )
                } else {
                    "no line\u{2019}s demand in the plan is above capacity in any year".to_string()
                }
            );
        }
        let rows = listed.len();
        for (k, (item, risk)) in listed.iter().enumerate() {
            out.push_str("<tr>");
            if k == 0 {
                w!(
                    out,
                    "<th scope=\"rowgroup\" rowspan=\"{rows}\" class=\"goal\">{}</th>",
                    Esc(&goal.label)
                );
            }
            w!(out, "<td>{}</td>", Esc(&item.label));
            if let Some((_, year)) = risk.peak {
                match r.row(
                    &goal.id,
                    year,
                    &item.buyers,
                    Some(&item.id),
                    Metric::ShortfallProb,
                ) {
                    Some(row) => value_cell(out, row, Show::Mean, "peak", probability),
                    None => out.push_str("<td class=\"num\">n/a</td>"),
                }
                w!(out, "<td class=\"num\">{year}</td>");
            }
            w!(
                out,
                "<td class=\"years\">{}</td>",
                if risk.plan_short.is_empty() {
                    "never".to_string()
                } else {
                    year_ranges(&risk.plan_short, "\u{2013}")
                }
            );
            let backlog = r.row(
                &goal.id,
                h,
                &item.buyers,
                Some(&item.id),
                Metric::BacklogYears,
            );
            let years = |v: f64| format!("{v:.1}");
            match backlog {
                Some(row) => {
                    if stats {
                        value_cell(out, row, Show::Median, "median", years);
                    }
                    value_cell(out, row, Show::Plan, "plan", years);
                }
                None => w!(
                    out,
                    "<td class=\"num\" colspan=\"{}\">n/a</td>",
                    if stats { 2 } else { 1 }
                ),
            }
            out.push_str("</tr>\n");
        }
        out.push_str("</tbody>\n");
    }
    out.push_str("</table></div>\n");
}

/// The risk of `item` under `goal`, from its `shortfall_prob` rows.
fn line_risk(r: &Results, goal: &str, item: &str) -> LineRisk {
    LineRisk::new(
        r.item_series(goal, item, Metric::ShortfallProb)
            .iter()
            .map(|row| (row.year, row.plan, row.stats.as_ref().map(|s| s.mean))),
    )
}

fn assumptions(out: &mut String, r: &Results) {
    let s = &r.scenario;
    out.push_str(
        "<section id=\"assumptions\">\n<h2>Assumptions</h2>\n\
         <p>Every uncertain input, its distribution and its parameters. Each Monte Carlo run \
         draws one value of each; all goals share the same draws in a run, so differences \
         between goals are paired. The plan (pledge met in full and on time) takes the value in \
         the last column.</p>\n\
         <div class=\"wide\"><table>\n<thead><tr><th scope=\"col\">Input</th>\
         <th scope=\"col\">Drawn</th><th scope=\"col\">Distribution</th>\
         <th scope=\"col\">Parameters</th><th scope=\"col\">Value in the plan</th></tr></thead>\n\
         <tbody>\n",
    );
    let g = s.growth;
    let growth_fixed = g.sd_scale == 0.0 || s.data.allies.iter().all(|a| a.growth_sd_pct == 0.0);
    assumption_row(
        out,
        "Real GDP growth, % per year",
        "per ally and year",
        if growth_fixed {
            "fixed".to_string()
        } else {
            "normal: a shock common to all allies plus one of the ally's own".to_string()
        },
        format!(
            "mean: each ally\u{2019}s <code>growth_mean_pct</code>; standard deviation: \
             {} \u{d7} the ally\u{2019}s <code>growth_sd_pct</code> (sd_scale); \
             correlation \u{3c1} = {} (share of the variance common to all allies)",
            plain(g.sd_scale),
            plain(g.correlation)
        ),
        "each ally\u{2019}s mean".to_string(),
    );
    let c = s.compliance;
    assumption_row(
        out,
        "Compliance lag, years after the target year",
        "per ally",
        triangular_name(&c.lag_years),
        triangular_text(&c.lag_years),
        "0 (on time)".to_string(),
    );
    assumption_row(
        out,
        "Attainment, fraction of the step from the base share to the goal",
        "per ally",
        triangular_name(&c.attainment),
        triangular_text(&c.attainment),
        "1 (in full)".to_string(),
    );
    assumption_row(
        out,
        "Share drift, percentage points of GDP",
        "per ally and year",
        if c.drift_pp == 0.0 {
            "none"
        } else {
            "random walk of normal steps"
        }
        .to_string(),
        format!(
            "step sd {} pp a year, correlation {} across allies",
            plain(c.drift_pp),
            plain(c.drift_correlation)
        ),
        "0 (none)".to_string(),
    );
    assumption_row(
        out,
        "Attainment of announced capacity plans, share of each increase",
        "per item",
        triangular_name(&s.capacity.plan_attainment),
        format!(
            "{} (an item may set its own)",
            triangular_text(&s.capacity.plan_attainment)
        ),
        "1 (plans met)".to_string(),
    );
    let i = s.inflation;
    assumption_row(
        out,
        "Defence cost inflation above the GDP deflator, % per year",
        "per year",
        if i.sd_pct == 0.0 { "fixed" } else { "normal" }.to_string(),
        format!(
            "mean {}, standard deviation {}",
            plain(i.mean_pct),
            plain(i.sd_pct)
        ),
        plain(i.mean_pct),
    );
    let m = s.mix;
    let shares = Category::ALL
        .iter()
        .map(|c| format!("{} {}", c.as_str(), plain(m.shares[c.index()])))
        .collect::<Vec<_>>()
        .join(", ");
    assumption_row(
        out,
        "Category mix of equipment spending, fractions",
        "per run",
        if m.concentration == 0.0 {
            "fixed".to_string()
        } else {
            "Dirichlet(concentration \u{d7} shares)".to_string()
        },
        format!("shares: {shares}; concentration {}", plain(m.concentration)),
        "the shares".to_string(),
    );
    assumption_row(
        out,
        "Unit cost multiplier of each item",
        "per item",
        "lognormal exp(\u{3c3} z \u{221a}((t \u{2212} B) / 10)), z standard normal: 1 in the \
         base year"
            .to_string(),
        "\u{3c3} = the item\u{2019}s <code>cost_sigma</code> (below), the log-sd ten years on"
            .to_string(),
        "1".to_string(),
    );
    assumption_row(
        out,
        "Capacity growth of each item, % per year",
        "per item",
        "triangular".to_string(),
        "min, mode, max by item (below)".to_string(),
        "the mode".to_string(),
    );
    out.push_str("</tbody>\n</table></div>\n");
    out.push_str(
        "<div class=\"wide\"><table>\n<caption>Uncertain inputs by item; capacity stays at its \
         base level for the lead time, then grows</caption>\n<thead><tr>\
         <th scope=\"col\">Item</th><th scope=\"col\" class=\"num\">Cost \u{3c3} (lognormal)</th>\
         <th scope=\"col\" class=\"num\">Capacity growth, % per year: min, mode, max</th>\
         <th scope=\"col\" class=\"num\">Lead time, years (fixed)</th></tr></thead>\n<tbody>\n",
    );
    for item in &s.items {
        let t = item.capacity_growth_pct;
        w!(
            out,
            "<tr><th scope=\"row\"><code>{}</code> {}</th><td class=\"num\">{}</td>\
             <td class=\"num\">{}, {}, {}</td><td class=\"num\">{}</td></tr>\n",
            Esc(&item.id),
            Esc(&item.label),
            if item.cost_sigma == 0.0 {
                "0 (fixed)".to_string()
            } else {
                plain(item.cost_sigma)
            },
            plain(t.min()),
            plain(t.mode()),
            plain(t.max()),
            plain(item.lead_years)
        );
    }
    out.push_str("</tbody>\n</table></div>\n</section>\n");
}

/// One row of the assumptions table; `parameters` is markup.
fn assumption_row(
    out: &mut String,
    input: &str,
    drawn: &str,
    distribution: String,
    parameters: String,
    plan: String,
) {
    w!(
        out,
        "<tr><th scope=\"row\">{input}</th><td>{drawn}</td><td>{distribution}</td>\
         <td>{parameters}</td><td>{plan}</td></tr>\n"
    );
}

fn triangular_name(t: &Triangular) -> String {
    if t.min() == t.max() {
        "fixed".to_string()
    } else {
        "triangular".to_string()
    }
}

fn triangular_text(t: &Triangular) -> String {
    format!(
        "min {}, mode {}, max {}",
        plain(t.min()),
        plain(t.mode()),
        plain(t.max())
    )
}

fn figures(out: &mut String, charts: &[Chart]) {
    if charts.is_empty() {
        return;
    }
    out.push_str("<section id=\"charts\">\n<h2>Charts</h2>\n");
    for (n, chart) in charts.iter().enumerate() {
        w!(
            out,
            "<figure id=\"chart-{}\">\n{}\n<figcaption><span class=\"fig\">Figure {}.</span> {} \
             <span class=\"file\">charts/{}.svg</span></figcaption>\n</figure>\n",
            Esc(&chart.name),
            inline_svg(&chart.svg),
            n + 1,
            Esc(&chart.title),
            Esc(&chart.name)
        );
    }
    out.push_str("</section>\n");
}

/// An SVG document as markup to inline in HTML: the XML declaration and doctype dropped, and
/// a `viewBox` added from `width` and `height` when it has none, so CSS can scale it.
fn inline_svg(svg: &str) -> String {
    let Some(start) = svg.find("<svg") else {
        return String::new();
    };
    let body = svg[start..].trim_end();
    let tag_end = body.find('>').unwrap_or(body.len());
    let tag = &body[..tag_end];
    if tag.contains("viewBox") {
        return body.to_string();
    }
    let attribute = |name: &str| -> Option<f64> {
        let at = tag.find(&format!(" {name}=\""))? + name.len() + 3;
        let value = &tag[at..];
        value[..value.find('"')?]
            .trim_end_matches("px")
            .parse()
            .ok()
    };
    match (attribute("width"), attribute("height")) {
        (Some(width), Some(height)) => format!(
            "<svg viewBox=\"0 0 {width} {height}\"{}",
            &body["<svg".len()..]
        ),
        _ => body.to_string(),
    }
}

fn allies(out: &mut String, r: &Results) {
    let s = &r.scenario;
    let (b, h) = (s.base_year(), s.horizon);
    let stats = r.has_statistics();
    w!(
        out,
        "<section id=\"allies\">\n<h2>By ally, {h}</h2>\n\
         <p>Core defence spending in {h} under each goal: {}, in USD billions at constant {b} \
         prices and % of GDP. Groups first, then allies.</p>\n\
         <div class=\"wide\"><table class=\"allies\">\n<thead><tr>\
         <th scope=\"col\" rowspan=\"2\">Group or ally</th>\
         <th scope=\"col\" rowspan=\"2\" class=\"num\">{b}, % of GDP</th>",
        if stats {
            "the median of the runs (hover over a number for its P10\u{2013}P90 range and the \
             plan, the pledge met in full and on time)"
        } else {
            "the plan (pledge met in full and on time)"
        }
    );
    for goal in &s.goals {
        w!(
            out,
            "<th scope=\"colgroup\" colspan=\"2\" class=\"group\">{}</th>",
            Esc(&goal.label)
        );
    }
    out.push_str("</tr>\n<tr>");
    let which = if stats { "median" } else { "plan" };
    for _ in &s.goals {
        w!(
            out,
            "<th scope=\"col\" class=\"num\">USD bn, {which}</th>\
             <th scope=\"col\" class=\"num\">% of GDP, {which}</th>"
        );
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    let show = if stats { Show::Median } else { Show::Plan };
    for group in s.groups.iter() {
        match group.kind {
            GroupKind::Ally => {
                let name = s.ally_name(&group.name);
                w!(
                    out,
                    "<tr><th scope=\"row\">{} <code>{}</code></th>",
                    Esc(name),
                    Esc(&group.name)
                );
            }
            GroupKind::Builtin | GroupKind::Scenario => w!(
                out,
                "<tr class=\"aggregate\"><th scope=\"row\" title=\"{} allies\">{}</th>",
                group.members.len(),
                Esc(group_name(&group.name))
            ),
        }
        let base = r.row(&s.goals[0].id, b, &group.name, None, Metric::CorePctGdp);
        w!(
            out,
            "<td class=\"num\">{}</td>",
            base.map_or("n/a".to_string(), |row| pct_text(row.plan))
        );
        for goal in &s.goals {
            for (metric, class, text) in [
                (Metric::CoreMusd, "num", usd_bn as fn(f64) -> String),
                (Metric::CorePctGdp, "num pct", pct_text),
            ] {
                match r.row(&goal.id, h, &group.name, None, metric) {
                    Some(row) => w!(
                        out,
                        "<td class=\"{class}\"{}>{}</td>",
                        range_title(row, text),
                        show.value(row).map_or("n/a".to_string(), text)
                    ),
                    None => out.push_str("<td class=\"num\">n/a</td>"),
                }
            }
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n</table></div>\n</section>\n");
}

/// A group's display name: `NATO` for `nato`; scenario groups keep their own.
pub(crate) fn group_name(name: &str) -> &str {
    match name {
        "nato" => "NATO",
        "europe_canada" => "Europe+Canada",
        "eu" => "EU",
        "non_eu" => "Non-EU",
        "europe" => "Europe",
        "north_america" => "North America",
        other => other,
    }
}

/// A `title` attribute with the row's P10–P90 and its plan, shown on hover, when runs were
/// made.
fn range_title(row: &ResultRow, show: impl Fn(f64) -> String) -> String {
    match &row.stats {
        Some(st) => format!(
            " title=\"P10\u{2013}P90: {} to {}; plan (pledge met in full and on time): {}\"",
            show(st.percentiles[1]),
            show(st.percentiles[5]),
            show(row.plan)
        ),
        None => String::new(),
    }
}

fn items(out: &mut String, r: &Results) {
    let s = &r.scenario;
    let (b, h) = (s.base_year(), s.horizon);
    let stats = r.has_statistics();
    w!(
        out,
        "<section id=\"items\">\n<h2>Production lines, {h}</h2>\n\
         <p>Each line receives the fraction \u{3b1} of its buyers\u{2019} equipment spending in \
         its category, given or calibrated so that base-year demand uses the stated share of \
         capacity. Demand is the number of units that money buys at that year\u{2019}s unit \
         cost; capacity is what the line can make; both in units per year{}.{}</p>\n\
         <div class=\"wide\"><table class=\"items\">\n<thead><tr>\
         <th scope=\"col\">Line</th><th scope=\"col\" class=\"num\">\u{3b1}</th>\
         <th scope=\"col\" class=\"num\">Unit cost {b},<br>USD m</th>\
         <th scope=\"col\" class=\"num\">Capacity {b},<br>units per year</th>\
         <th scope=\"col\">Goal</th>",
        if stats {
            ": the median of the runs, and the plan (pledge met in full and on time)"
        } else {
            ", in the plan (pledge met in full and on time)"
        },
        if stats {
            " <em>Probability</em>: the share of runs in which demand exceeds capacity."
        } else {
            ""
        },
    );
    if stats {
        w!(
            out,
            "<th scope=\"col\" class=\"num\">Demand {h},<br>units per year: median</th>"
        );
    }
    w!(
        out,
        "<th scope=\"col\" class=\"num plan\">Demand {h},<br>units per year: plan</th>"
    );
    if stats {
        w!(
            out,
            "<th scope=\"col\" class=\"num\">Capacity {h},<br>units per year: median</th>"
        );
    }
    w!(
        out,
        "<th scope=\"col\" class=\"num plan\">Capacity {h},<br>units per year: plan</th>"
    );
    if stats {
        w!(
            out,
            "<th scope=\"col\" class=\"num\">Probability<br>above capacity, {h}</th>"
        );
    }
    out.push_str("<th scope=\"col\">Plan: demand above capacity in</th></tr></thead>\n");
    let rows = s.goals.len();
    for item in &s.items {
        out.push_str("<tbody>\n");
        let alpha = r
            .alpha(&item.id)
            .map_or("n/a".to_string(), |a| significant(a, 3));
        let how = match item.purchase {
            Purchase::Alpha(_) => "given".to_string(),
            Purchase::BaseDemand(units) => {
                format!(
                    "calibrated on base-year demand of {} {}",
                    plain(units),
                    item.unit
                )
            }
        };
        for (g, goal) in s.goals.iter().enumerate() {
            out.push_str("<tr>");
            if g == 0 {
                w!(
                    out,
                    "<th scope=\"rowgroup\" rowspan=\"{rows}\" class=\"item\">{}<br>\
                     <span class=\"muted\">{}, bought by {}</span></th>\
                     <td rowspan=\"{rows}\" class=\"num alpha\">{alpha}<br>\
                     <span class=\"muted\">{how}</span></td>\
                     <td rowspan=\"{rows}\" class=\"num\">{}</td>\
                     <td rowspan=\"{rows}\" class=\"num\">{}</td>",
                    Esc(&item.label),
                    item.category.as_str(),
                    Esc(group_name(&item.buyers)),
                    plain(item.unit_cost_musd),
                    units(item.capacity_units_per_year)
                );
            }
            w!(out, "<td>{}</td>", Esc(&goal.label));
            let row = |metric| r.row(&goal.id, h, &item.buyers, Some(&item.id), metric);
            for metric in [Metric::DemandUnits, Metric::CapacityUnits] {
                let row = row(metric);
                let shows: &[Show] = if stats {
                    &[Show::Median, Show::Plan]
                } else {
                    &[Show::Plan]
                };
                for &show in shows {
                    w!(
                        out,
                        "<td class=\"num{}\">{}</td>",
                        if show == Show::Plan { " plan" } else { "" },
                        row.and_then(|x| show.value(x))
                            .map_or("n/a".to_string(), units)
                    );
                }
            }
            if stats {
                let chance = row(Metric::ShortfallProb)
                    .and_then(|x| x.stats.as_ref())
                    .map_or("n/a".to_string(), |st| probability(st.mean));
                w!(out, "<td class=\"num\">{chance}</td>");
            }
            let years = line_risk(r, &goal.id, &item.id).plan_short;
            w!(
                out,
                "<td class=\"years\">{}</td></tr>\n",
                if years.is_empty() {
                    "never".to_string()
                } else {
                    year_ranges(&years, "\u{2013}")
                }
            );
        }
        out.push_str("</tbody>\n");
    }
    out.push_str("</table></div>\n</section>\n");
}

fn sources(out: &mut String, r: &Results) {
    let d = &r.scenario.data;
    w!(
        out,
        "<section id=\"sources\">\n<h2>Data sources</h2>\n\
         <p>Base year {}. Vintage: {}.</p>\n\
         <table class=\"provenance\">\n<thead><tr><th scope=\"col\">Table</th>\
         <th scope=\"col\">Origin</th><th scope=\"col\">SHA-256 of the file</th></tr></thead>\n\
         <tbody>\n",
        d.base_year,
        Esc(&d.vintage)
    );
    for (name, p) in [
        ("Allies", &d.allies_provenance),
        ("Items", &d.items_provenance),
        ("Capacity plans", &d.capacity_plans_provenance),
        ("Declared plans", &d.plans_provenance),
    ] {
        w!(
            out,
            "<tr><th scope=\"row\">{name}</th><td>{}</td><td><code class=\"hash\">{}</code></td>\
             </tr>\n",
            Esc(&p.origin),
            Esc(&p.sha256)
        );
    }
    out.push_str(
        "</tbody>\n</table>\n<h3>Allies</h3>\n<div class=\"wide\"><table class=\"sources\">\n\
         <caption>Allies sharing a source and an equipment-share basis are listed together\
         </caption>\n<thead><tr><th scope=\"col\">Allies</th>\
         <th scope=\"col\">Equipment share</th><th scope=\"col\">Source</th></tr></thead>\n\
         <tbody>\n",
    );
    // Distinct (source, basis) pairs in the order they first appear, with their allies.
    let mut shared: Vec<(&str, &str, Vec<&Ally>)> = Vec::new();
    for a in &d.allies {
        let key = (a.source.as_str(), a.equipment_basis.as_str());
        match shared.iter_mut().find(|(s, e, _)| (*s, *e) == key) {
            Some((_, _, allies)) => allies.push(a),
            None => shared.push((key.0, key.1, vec![a])),
        }
    }
    for (source, basis, allies) in shared {
        out.push_str("<tr><th scope=\"row\" class=\"names\">");
        for (k, a) in allies.iter().enumerate() {
            w!(
                out,
                "{}{} <code>{}</code>",
                if k == 0 { "" } else { ", " },
                Esc(&a.name),
                Esc(&a.iso3)
            );
        }
        w!(
            out,
            "</th><td class=\"basis\">{}</td><td>{}</td></tr>\n",
            Esc(basis),
            Linked(source)
        );
    }
    out.push_str(
        "</tbody>\n</table></div>\n<h3>Production lines</h3>\n\
         <div class=\"wide\"><table class=\"sources\">\n<thead><tr><th scope=\"col\">Line</th>\
         <th scope=\"col\">Source</th><th scope=\"col\">Notes</th></tr></thead>\n<tbody>\n",
    );
    for item in &r.scenario.items {
        w!(
            out,
            "<tr><th scope=\"row\">{} <code>{}</code></th><td>{}</td><td>{}</td></tr>\n",
            Esc(&item.label),
            Esc(&item.id),
            Linked(&item.source),
            Linked(&item.notes)
        );
    }
    out.push_str("</tbody>\n</table></div>\n</section>\n");
}

fn footer(out: &mut String, r: &Results) {
    w!(
        out,
        "<footer id=\"reproduce\">\n<h2>Reproduce</h2>\n<dl>\n\
         <dt>Tool</dt><dd>pledge {}</dd>\n<dt>Seed</dt><dd>{}</dd>\n\
         <dt>Monte Carlo runs</dt><dd>{}</dd>\n<dt>Generator</dt><dd>{}</dd>\n\
         <dt>Input hash</dt><dd><code class=\"hash\">{}</code></dd>\n</dl>\n\
         <p>Command:</p>\n<pre><code>{}</code></pre>\n</footer>\n",
        Esc(r.tool_version()),
        r.seed,
        grouped(r.runs as f64, 0),
        if r.generator().is_empty() {
            "none (plan only)".to_string()
        } else {
            Esc(r.generator()).to_string()
        },
        Esc(&r.input_hash),
        Esc(&r.command())
    );
}

// ---------------------------------------------------------------------------------------------
// Text
// ---------------------------------------------------------------------------------------------

/// Text escaped for HTML content and attribute values.
pub(crate) struct Esc<'a>(pub(crate) &'a str);

impl Display for Esc<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut rest = self.0;
        while let Some(at) = rest.find(['&', '<', '>', '"', '\'']) {
            f.write_str(&rest[..at])?;
            f.write_str(match rest.as_bytes()[at] {
                b'&' => "&amp;",
                b'<' => "&lt;",
                b'>' => "&gt;",
                b'"' => "&quot;",
                _ => "&#39;",
            })?;
            rest = &rest[at + 1..];
        }
        f.write_str(rest)
    }
}

/// Escaped text whose `http://` and `https://` addresses become links. A link loads nothing
/// until it is followed.
struct Linked<'a>(&'a str);

impl Display for Linked<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut rest = self.0;
        let next = |text: &str| {
            ["http://", "https://"]
                .iter()
                .filter_map(|p| text.find(p))
                .min()
        };
        while let Some(at) = next(rest) {
            write!(f, "{}", Esc(&rest[..at]))?;
            let tail = &rest[at..];
            let end = tail
                .find(|c: char| c.is_whitespace() || matches!(c, '<' | '>' | '"' | '\''))
                .unwrap_or(tail.len());
            let url = tail[..end].trim_end_matches(['.', ',', ';', ':', ')', ']']);
            write!(
                f,
                "<a href=\"{}\" rel=\"noreferrer\">{}</a>",
                Esc(url),
                Esc(url)
            )?;
            rest = &tail[url.len()..];
        }
        write!(f, "{}", Esc(rest))
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// USD millions as USD billions with one decimal: `2,466.8`.
fn usd_bn(musd: f64) -> String {
    grouped(musd / 1000.0, 1)
}

/// [`usd_bn`] with a `+` before a positive value and a `-` before a negative one.
fn signed_usd_bn(musd: f64) -> String {
    crate::output::signed(musd / 1000.0, 1)
}

/// A share of GDP in %, two decimals: `3.51`.
fn pct_text(pct: f64) -> String {
    format!("{pct:.2}")
}

/// Units per year: whole units from 100 up, one decimal below.
fn units(value: f64) -> String {
    grouped(value, if value.abs() >= 100.0 { 0 } else { 1 })
}

/// An input as written (shortest round-trip form), with thousands separators from 10,000.
fn plain(value: f64) -> String {
    let text = format!("{value}");
    if value.abs() < 10_000.0 || !value.is_finite() {
        return text;
    }
    let (whole, fraction) = text.split_once('.').unwrap_or((&text, ""));
    let digits = grouped(whole.parse::<f64>().unwrap_or(value).trunc(), 0);
    if fraction.is_empty() {
        digits
    } else {
        format!("{digits}.{fraction}")
    }
}

/// `n` significant digits: `0.279`, `0.0441`.
fn significant(value: f64, n: i32) -> String {
    if value == 0.0 || !value.is_finite() {
        return plain(value);
    }
    let magnitude = value.abs().log10().floor() as i32;
    let decimals = (n - 1 - magnitude).max(0) as usize;
    grouped(value, decimals)
}

/// A probability as a whole percentage, escaped for HTML: `&lt;1%` and `&gt;99%` rather than a
/// misleading 0 or 100.
fn probability(p: f64) -> String {
    Esc(&percent(p)).to_string()
}

/// The page's style sheet: system fonts only, numbers in tabular figures, charts scaled to the
/// page width, and print rules (A4, no navigation, tables and figures kept whole).
pub(crate) const STYLE: &str = r#":root { --ink: #1b1f24; --muted: #5b6470; --rule: #d5d9de; --band: #f3f5f7; --accent: #1f4e79; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; color: var(--ink); background: #fff; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Liberation Sans", "DejaVu Sans", sans-serif; }
main { max-width: 1120px; margin: 0 auto; padding: 24px 28px 48px; }
header { border-bottom: 3px solid var(--accent); margin-bottom: 8px; }
.kicker { margin: 0; color: var(--accent); font-size: 12px; letter-spacing: .08em; text-transform: uppercase; font-weight: 600; }
h1 { font-size: 26px; line-height: 1.2; margin: 4px 0 8px; }
h2 { font-size: 20px; margin: 32px 0 8px; padding-bottom: 4px; border-bottom: 1px solid var(--rule); color: var(--accent); }
h3 { font-size: 16px; margin: 20px 0 6px; }
p { margin: 6px 0 10px; max-width: 75ch; }
.lede { color: var(--muted); }
nav ol { list-style: none; display: flex; flex-wrap: wrap; gap: 4px 18px; padding: 0; margin: 10px 0 12px; font-size: 14px; }
a { color: var(--accent); }
code { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, "Liberation Mono", "DejaVu Sans Mono", monospace; font-size: .88em; }
code.hash { word-break: break-all; }
.wide { overflow-x: auto; }
table { border-collapse: collapse; margin: 8px 0 14px; font-size: 13.5px; font-variant-numeric: tabular-nums; }
caption { caption-side: top; text-align: left; font-weight: 600; padding: 4px 0; }
th, td { padding: 4px 8px; border-bottom: 1px solid var(--rule); text-align: left; vertical-align: top; }
thead th { border-bottom: 2px solid var(--ink); vertical-align: bottom; font-weight: 600; }
thead th.group { text-align: center; border-bottom: 1px solid var(--ink); }
tbody th { font-weight: 500; }
tbody + tbody { border-top: 2px solid var(--rule); }
.num { text-align: right; white-space: nowrap; }
thead th.num { white-space: normal; }
.range, .muted { color: var(--muted); }
.tag { display: inline-block; font-size: 11px; font-weight: 600; padding: 0 5px; border: 1px solid var(--accent); border-radius: 3px; color: var(--accent); vertical-align: 1px; }
table.headline td.median { font-size: 15px; font-weight: 600; }
table.headline th.goal, table.risks th.goal { max-width: 230px; }
th.plan, td.plan { background: var(--band); }
table.headline td.range { font-size: 12.5px; line-height: 1.35; }
p.assume { font-size: 14px; }
.note { font-size: 13px; color: var(--muted); }
ul.short { padding-left: 20px; }
ul.short li { margin: 3px 0; }
.line { font-family: ui-monospace, Menlo, Consolas, "DejaVu Sans Mono", monospace; font-size: .88em; }
tr.aggregate th, tr.aggregate td { background: var(--band); font-weight: 600; }
table.allies td.pct { color: var(--muted); }
table.sources td { font-size: 12.5px; }
table.sources th { width: 24%; min-width: 160px; }
table.sources th.names { font-size: 12.5px; }
table.items th.item { min-width: 190px; }
table.items td.years { min-width: 110px; }
table.items td.alpha { white-space: normal; min-width: 100px; }
table.sources td.basis { width: 10%; }
figure { margin: 18px 0 26px; }
figure svg { display: block; width: 100%; height: auto; max-width: 100%; }
figcaption { font-size: 13.5px; color: var(--muted); margin-top: 6px; }
figcaption .fig { font-weight: 600; color: var(--ink); }
figcaption .file { font-family: ui-monospace, Menlo, Consolas, monospace; font-size: 12px; margin-left: 6px; }
footer { margin-top: 36px; border-top: 3px solid var(--accent); }
footer dl { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; font-size: 14px; }
footer dt { color: var(--muted); }
footer dd { margin: 0; }
pre { background: var(--band); padding: 8px 12px; overflow-x: auto; white-space: pre-wrap; word-break: break-all; }
@page { size: A4; margin: 14mm 12mm; }
@media print {
  body { font-size: 10pt; }
  main { max-width: none; padding: 0; }
  nav { display: none; }
  .wide { overflow: visible; }
  table { font-size: 8.5pt; }
  table.headline td.median { font-size: 9.5pt; }
  table.headline td.range { font-size: 8pt; }
  table.sources td { font-size: 7.5pt; }
  th, td { padding: 2px 5px; }
  table.items th.item, table.items td.years, table.items td.alpha { min-width: 0; }
  thead { display: table-header-group; }
  tr, figure, dl, pre, table.items tbody, table.headline tbody { break-inside: avoid; }
  h2, h3, caption { break-after: avoid; }
  h2 { margin-top: 18px; }
  figure svg { max-height: 230mm; }
  a { color: inherit; text-decoration: none; }
  .tag { border-color: var(--ink); color: var(--ink); }
}
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped() {
        assert_eq!(
            Esc("a & b < c > d \"e\" 'f'").to_string(),
            "a &amp; b &lt; c &gt; d &quot;e&quot; &#39;f&#39;"
        );
        assert_eq!(Esc("plain").to_string(), "plain");
    }

    #[test]
    fn addresses_become_links_and_the_rest_is_escaped() {
        assert_eq!(
            Linked("see https://x.org/a?b=1&c=2. <ok>").to_string(),
            "see <a href=\"https://x.org/a?b=1&amp;c=2\" rel=\"noreferrer\">\
             https://x.org/a?b=1&amp;c=2</a>. &lt;ok&gt;"
        );
        assert_eq!(
            Linked("http://a.b and https://c.d").to_string(),
            "<a href=\"http://a.b\" rel=\"noreferrer\">http://a.b</a> and \
             <a href=\"https://c.d\" rel=\"noreferrer\">https://c.d</a>"
        );
    }

    #[test]
    fn numbers_are_grouped_and_rounded() {
        assert_eq!(grouped(2_466_812.33, 1), "2,466,812.3");
        assert_eq!(usd_bn(2_466_812.33), "2,466.8");
        assert_eq!(usd_bn(-1_234.0), "-1.2");
        assert_eq!(usd_bn(-10.0), "0.0");
        assert_eq!(signed_usd_bn(2_618_759.6), "+2,618.8");
        assert_eq!(signed_usd_bn(10.0), "0.0");
        assert_eq!(grouped(f64::NAN, 1), "n/a");
        assert_eq!(units(2_000_000.0), "2,000,000");
        assert_eq!(units(12.34), "12.3");
        assert_eq!(plain(0.0045), "0.0045");
        assert_eq!(plain(2_000_000.0), "2,000,000");
        assert_eq!(plain(12_345.5), "12,345.5");
        assert_eq!(significant(0.278_640_965, 3), "0.279");
        assert_eq!(significant(0.044_094_96, 3), "0.0441");
        assert_eq!(probability(0.13), "13%");
        assert_eq!(probability(0.001), "&lt;1%");
        assert_eq!(probability(0.999), "&gt;99%");
        assert_eq!(probability(0.0), "0%");
        assert_eq!(probability(1.0), "100%");
    }

    #[test]
    fn svg_gets_a_view_box_and_loses_its_prolog() {
        let svg = "<?xml version=\"1.0\"?>\n<svg width=\"800\" height=\"400\" \
                   xmlns=\"http://www.w3.org/2000/svg\"><rect/></svg>\n";
        assert_eq!(
            inline_svg(svg),
            "<svg viewBox=\"0 0 800 400\" width=\"800\" height=\"400\" \
             xmlns=\"http://www.w3.org/2000/svg\"><rect/></svg>"
        );
        let with = "<svg width=\"8\" height=\"4\" viewBox=\"0 0 8 4\"></svg>";
        assert_eq!(inline_svg(with), with);
        assert_eq!(inline_svg("not svg"), "");
    }
}
