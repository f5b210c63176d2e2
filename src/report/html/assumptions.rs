//! The assumptions: every uncertain input with its distribution, its parameters and its value
//! in the plan, in prose; then the uncertain inputs by item. The workbook's Assumptions sheet
//! lists the same inputs one per row; the words they share (the mix's distribution, the
//! cost multiplier) come from [`crate::report::tables`].

use super::{Esc, plain, w};
use crate::data::Category;
use crate::dist::Triangular;
use crate::report::tables::{COST_MULTIPLIER, MIX_DISTRIBUTION};
use crate::results::Results;

/// The section `#assumptions`.
pub(super) fn assumptions(out: &mut String, r: &Results) {
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
            MIX_DISTRIBUTION.to_string()
        },
        format!("shares: {shares}; concentration {}", plain(m.concentration)),
        "the shares".to_string(),
    );
    assumption_row(
        out,
        "Unit cost multiplier of each item",
        "per item",
        format!("lognormal {COST_MULTIPLIER}, z standard normal: 1 in the base year"),
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

/// `fixed` for a distribution of zero width, else `triangular`.
fn triangular_name(t: &Triangular) -> String {
    if t.min() == t.max() {
        "fixed".to_string()
    } else {
        "triangular".to_string()
    }
}

/// `min 0.3, mode 0.6, max 1`.
fn triangular_text(t: &Triangular) -> String {
    format!(
        "min {}, mode {}, max {}",
        plain(t.min()),
        plain(t.mode()),
        plain(t.max())
    )
}
