//! Capacity planning (docs/METHODOLOGY.md section 15): what each goal asks of each
//! production line's capacity, as the table [`tables::capacity`] (the workbook's Capacity
//! sheet too), with links to the planning charts and a pointer to `capacity.csv`.

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
    for (g, goal) in s.goals.iter().enumerate() {
        w!(
            out,
            "{}<a href=\"#chart-planning_{}\">{}</a>",
            if g == 0 { "" } else { "; " },
            Esc(&goal.id),
            Esc(&goal.label)
        );
    }
    out.push_str(". Every number, year by year: <code>capacity.csv</code>.</p>\n");
    for note in &capacity.notes {
        w!(out, "<p class=\"note\">{}</p>\n", Esc(note));
    }
    table(out, &capacity);
    out.push_str("</section>\n");
}
