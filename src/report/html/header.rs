//! The page's header: the scenario's title, a line on what the numbers are (medians and
//! P10–P90 of the runs beside the plan, or the plan alone) and the contents.

use super::{Esc, plural, w};
use crate::report::Currency;
use crate::report::charts::Chart;
use crate::results::Results;
use crate::text::grouped;

/// The `<header>`.
pub(super) fn header(out: &mut String, r: &Results, charts: &[Chart], currency: Currency) {
    let s = &r.scenario;
    let b = s.base_year();
    w!(
        out,
        "<header>\n<p class=\"kicker\">pledge scenario report</p>\n<h1>{}</h1>\n<p class=\"lede\">",
        Esc(&s.title)
    );
    w!(
        out,
        "{} goal{}, {b}\u{2013}{}, money in constant {b} US dollars",
        s.goals.len(),
        plural(s.goals.len()),
        s.horizon
    );
    match currency.rate() {
        Some(rate) => w!(
            out,
            ", shown in {} at {} USD/{} (see the note under the headline numbers). ",
            currency.code(),
            rate.usd_per_unit,
            currency.code()
        ),
        None => out.push_str(". "),
    }
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
        ("allies", "By group and ally"),
        ("items", "Production lines"),
        ("sources", "Data sources"),
        ("reproduce", "Reproduce"),
    ]);
    for (id, name) in entries {
        w!(out, "<li><a href=\"#{id}\">{name}</a></li>");
    }
    out.push_str("</ol></nav>\n</header>\n");
}
