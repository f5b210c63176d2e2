//! `backtest.html`: the Wales backtest on a page of its own, self-contained like the report
//! (no script, no load of any kind): what was tested, the scores, the compliance assumed, and
//! the small multiples of every ally's simulated band against NATO's figures.

use super::html::{Esc, STYLE};
use crate::backtest::Backtest;
use std::fmt::Write;

/// What the page says about its inputs.
pub struct PageFacts<'a> {
    /// `pledge` version.
    pub version: &'a str,
    /// Where the history came from (`builtin`, or a path).
    pub history: &'a str,
    /// SHA-256 of the history file.
    pub history_sha256: &'a str,
    /// The compliance in words.
    pub compliance: &'a str,
    /// Where the compliance came from.
    pub compliance_source: &'a str,
}

/// The page, with `svg` (the small multiples) inline.
pub fn backtest_html(bt: &Backtest, svg: &str, facts: &PageFacts<'_>) -> String {
    let mut out = String::new();
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; \
         style-src 'unsafe-inline'\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"generator\" content=\"pledge {}\">\n\
         <title>The Wales backtest \u{2013} pledge</title>\n<style>\n{STYLE}</style>\n</head>\n\
         <body>\n<main>\n<header>\n<p class=\"kicker\">pledge backtest</p>\n\
         <h1>The Wales pledge, 2015\u{2013}2024: the compliance model against the record</h1>\n\
         <p class=\"lede\">At Wales (2014) allies below 2% of GDP agreed to move towards 2% \
         within a decade. Each ally's share is simulated from 2014 ({} runs, seed {}) and set \
         against NATO's figures for 2015\u{2013}2024. If the model is well calibrated, 80% of \
         actual values lie inside the P10\u{2013}P90 band and 90% inside P5\u{2013}P95.</p>\n\
         <p class=\"assume\"><strong>Compliance assumed:</strong> {} ({}).</p>\n</header>\n",
        Esc(facts.version),
        bt.runs,
        bt.seed,
        Esc(facts.compliance),
        Esc(facts.compliance_source)
    );
    out.push_str(
        "<section>\n<h2>Scores</h2>\n<div class=\"wide\"><table>\n<thead><tr>\
         <th scope=\"col\">Ally-years</th><th scope=\"col\">Which</th>\
         <th scope=\"col\" class=\"num\">Inside P10\u{2013}P90</th>\
         <th scope=\"col\" class=\"num\">Inside P5\u{2013}P95</th>\
         <th scope=\"col\" class=\"num\">Median's mean absolute error (pp of GDP)</th>\
         <th scope=\"col\" class=\"num\">Mean CRPS (pp of GDP)</th></tr></thead>\n<tbody>\n",
    );
    for s in &bt.scores {
        let _ = writeln!(
            out,
            "<tr><td class=\"num\">{}</td><td>{}</td><td class=\"num\">{:.1}%</td>\
             <td class=\"num\">{:.1}%</td><td class=\"num\">{:.3}</td>\
             <td class=\"num\">{:.3}</td></tr>",
            s.ally_years,
            Esc(&s.scope),
            100.0 * s.coverage_p10_p90,
            100.0 * s.coverage_p5_p95,
            s.mae_median_pp,
            s.mean_crps_pp
        );
    }
    out.push_str("</tbody>\n</table></div>\n</section>\n");
    let _ = write!(
        out,
        "<section>\n<h2>Every ally</h2>\n<figure class=\"chart\">{svg}\n<figcaption>The \
         simulated median (solid) and P10\u{2013}P90 band, the plan (dotted: 2% by 2024 in \
         full and on time, allies above keep their share) and NATO's figures (dots; 2023 and \
         2024 are NATO estimates). The numbers are in backtest.csv.</figcaption></figure>\n\
         </section>\n<footer>\n<p>History: {} (sha256 <code class=\"hash\">{}</code>). \
         That the 2014\u{2013}2024 record predicts 2025\u{2013}2035 is an assumption. \
         pledge {}.</p>\n</footer>\n</main>\n</body>\n</html>\n",
        Esc(facts.history),
        Esc(facts.history_sha256),
        Esc(facts.version)
    );
    out
}
