//! By group and ally. First the groups: core spending in the horizon year under each goal, for
//! every group of allies (the median of the runs, or the plan without runs), with the base
//! year's share of GDP. Then the allies, one row per ally and goal, in the table the workbook
//! shows too ([`tables::allies`]): the base year, the horizon year with P10–P90 and the plan,
//! the increase and the shares of the NATO and Europe+Canada totals.

use super::{Esc, table::table, w};
use crate::data::currency::Currency;
use crate::data::groups::{GroupKind, display_name};
use crate::report::tables::{self, Format, Show, bn_unit};
use crate::results::{ResultRow, Results};
use crate::scenario::metrics::Metric;

/// The section `#allies`.
pub(super) fn allies(out: &mut String, r: &Results, currency: Currency) {
    let s = &r.scenario;
    let (b, h) = (s.base_year(), s.horizon);
    let stats = r.has_statistics();
    let bn = bn_unit(currency);
    w!(
        out,
        "<section id=\"allies\">\n<h2>By group and ally, {h}</h2>\n\
         <h3 id=\"groups\">Groups of allies</h3>\n\
         <p>Core defence spending in {h} under each goal: {}, in {} billions at {} and % of \
         GDP.</p>\n\
         <div class=\"wide\"><table class=\"groups\">\n<thead><tr>\
         <th scope=\"col\" rowspan=\"2\">Group</th>\
         <th scope=\"col\" rowspan=\"2\" class=\"num\">{b}, % of GDP</th>",
        if stats {
            "the median of the runs (hover over a number for its P10\u{2013}P90 range and the \
             plan, the pledge met in full and on time)"
        } else {
            "the plan (pledge met in full and on time)"
        },
        currency.code(),
        currency.prices(b)
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
            "<th scope=\"col\" class=\"num\">{bn}, {which}</th>\
             <th scope=\"col\" class=\"num\">% of GDP, {which}</th>"
        );
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    let show = if stats { Show::Median } else { Show::Plan };
    for group in s.groups.iter().filter(|g| g.kind != GroupKind::Ally) {
        w!(
            out,
            "<tr class=\"aggregate\"><th scope=\"row\" title=\"{} allies\">{}</th>",
            group.members.len(),
            Esc(display_name(&group.name))
        );
        let base = r.row(&s.goals[0].id, b, &group.name, None, Metric::CorePctGdp);
        w!(
            out,
            "<td class=\"num\">{}</td>",
            base.map_or("n/a".to_string(), |row| Format::PctGdp.text(row.plan))
        );
        for goal in &s.goals {
            for (metric, class, format) in [
                (Metric::CoreMusd, "num", Format::Bn(currency)),
                (Metric::CorePctGdp, "num pct", Format::PctGdp),
            ] {
                let text = |v| format.text(v);
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
    out.push_str("</tbody>\n</table></div>\n");
    let allies = tables::allies(r, currency);
    w!(out, "<h3 id=\"by-ally\">{}</h3>\n", Esc(&allies.title));
    for note in &allies.notes {
        w!(out, "<p>{}</p>\n", Esc(note));
    }
    table(out, &allies);
    out.push_str("</section>\n");
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
