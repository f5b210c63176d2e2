//! The section `#sensitivity`: what drives the results. For the scenario's last goal (the most
//! ambitious in the shipped files), each headline output's three main drivers
//! ([`tables::sensitivity`], the workbook's table too), with a pointer to the chart and to
//! `sensitivity.csv`; without Monte Carlo runs, a sentence saying there is none.

use super::{Esc, table::table, w};
use crate::report::tables;
use crate::results::{Results, Sensitivity};
use crate::text::grouped;

/// The section `#sensitivity`.
pub(super) fn sensitivity(out: &mut String, r: &Results, s: Option<&Sensitivity>) {
    let goal = r.goals().last().map(|g| g.id.as_str());
    let t = tables::sensitivity(r, s, goal.as_slice());
    w!(
        out,
        "<section id=\"sensitivity\">\n<h2>{}</h2>\n",
        Esc(&t.title)
    );
    match (s, r.goals().last()) {
        (Some(s), Some(last)) => {
            w!(
                out,
                "<p>Which uncertain inputs move the headline outputs most under \
                 <strong>{}</strong>, from the first {} of the {} Monte Carlo runs, \
                 re-evaluated with their own draws. The chart <em>sensitivity</em> shows, for \
                 the main outputs, how far each input moves the median (or the probability of \
                 demand above capacity) between the runs where the input is in its lowest \
                 tenth and those where it is in its highest.</p>\n",
                Esc(&last.label),
                grouped(s.runs as f64, 0),
                grouped(r.runs as f64, 0)
            );
            for note in &t.notes {
                w!(out, "<p class=\"note\">{}</p>\n", Esc(note));
            }
            table(out, &t);
        }
        _ => {
            out.push_str(
                "<p>No Monte Carlo runs, so no sensitivity: the plan is one path, with every \
                 input at its central value.</p>\n",
            );
        }
    }
    out.push_str("</section>\n");
}
