//! Capacity planning (docs/METHODOLOGY.md section 17): what each goal asks of each
//! production line's capacity, as the table [`tables::capacity`] (the workbook's Capacity
//! sheet too), with links to the planning charts (one per line) and a pointer to `capacity.csv`.

use super::{Esc, table::table, w};
use crate::report::tables;
use crate::results::Results;

/// The section `#capacity`.
pub(super) fn capacity(out: &mut String, r: &Results) {
    let s = &r.scenario;
    if s.items.is_empty() {
        return;
    }
    let capacity = tables::capacity(r);
    w!(
        out,
        "<section id=\"capacity\">\n<h2>{}</h2>\n\
         <p>What each goal asks of each production line: the constant growth of capacity, \
         from {} capacity and once the line\u{2019}s lead time has passed, that would meet \
         demand in every year to {}; the latest year in which growth at the line\u{2019}s \
         most likely (modal) rate can start and still do so; and the demand to {} in years \
         of today\u{2019}s production. Charts: ",
        Esc(&capacity.title),
        s.base_year(),
        s.horizon,
        s.horizon
    );
    for (i, item) in s.items.iter().enumerate() {
        w!(
            out,
            "{}<a href=\"#chart-planning_{}\">{}</a>",
            if i == 0 { "" } else { "; " },
            Esc(&item.id),
            Esc(&item.label)
        );
    }
    out.push_str(
        ". Every number year by year, for the plan, the median and P90: <code>capacity.csv</code> \
         (written by <code>pledge run</code>, <code>compare</code> and <code>merge</code>) and \
         the workbook\u{2019}s Capacity sheet.</p>\n",
    );
    for note in &capacity.notes {
        w!(out, "<p class=\"note\">{}</p>\n", Esc(note));
    }
    table(out, &capacity);
    out.push_str("</section>\n");
}
