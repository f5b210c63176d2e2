//! The headline numbers: what they are and the compliance assumed, the table of core spending
//! and the extra over the reference per goal and group ([`tables::headline`]), and the
//! production lines at risk ([`tables::risks`]); both tables are the workbook's too.

use super::{Esc, table::table, w};
use crate::output::glance::compliance_text;
use crate::report::{Currency, tables};
use crate::results::Results;
use crate::text::grouped;

/// The section `#headline`.
pub(super) fn headline(out: &mut String, r: &Results, currency: Currency) {
    let s = &r.scenario;
    let (b, h) = (s.base_year(), s.horizon);
    let stats = r.has_statistics();
    let headline = tables::headline(r, currency);
    w!(
        out,
        "<section id=\"headline\">\n<h2>{}</h2>\n\
         <p>Core defence spending in {h} and the extra spent over the reference \
         (<strong>{}</strong>) summed over {}\u{2013}{h}, in {} billions at constant {b} \
         prices. ",
        Esc(&headline.title),
        Esc(&s.goals[0].label),
        b + 1,
        currency.code()
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
    if let Some(note) = currency.rate_note() {
        w!(out, "<p class=\"note currency\">{}</p>\n", Esc(&note));
    }
    table(out, &headline);
    if stats {
        out.push_str(
            "<p class=\"note\">The plan is one path, not the middle of the runs: allies may \
             reach a goal late or fall short of it, but never early or beyond it, so most runs \
             fall below the plan, which can lie above P90. The median and its range describe \
             the runs. Hover over a range for the runs\u{2019} mean and its Monte Carlo \
             standard error.</p>\n",
        );
    }
    let risks = tables::risks(r);
    w!(out, "<h3 id=\"risks\">{}</h3>\n", Esc(&risks.title));
    for note in &risks.notes {
        w!(out, "<p>{}</p>\n", Esc(note));
    }
    table(out, &risks);
    out.push_str("</section>\n");
}
