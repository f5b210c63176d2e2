//! Production lines: per item, its `alpha`, unit cost and capacity in the base year, and per
//! goal its demand and capacity in the horizon year (median and plan), the probability of
//! demand above capacity and the years the plan is short.

use super::{Esc, plain, probability, significant, units, w};
use crate::data::Purchase;
use crate::data::groups::display_name;
use crate::report::Currency;
use crate::report::tables::{Show, line_risk, years_text};
use crate::results::Results;
use crate::scenario::metrics::Metric;

/// The section `#items`.
pub(super) fn items(out: &mut String, r: &Results, currency: Currency) {
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
         <th scope=\"col\" class=\"num\">Unit cost {b},<br>{} m</th>\
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
        currency.code(),
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
                    Esc(display_name(&item.buyers)),
                    unit_cost(item.unit_cost_musd, currency),
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
                years_text(&years)
            );
        }
        out.push_str("</tbody>\n");
    }
    out.push_str("</table></div>\n</section>\n");
}

/// A unit cost in millions of `currency`: in US dollars as the data gives it, in another
/// currency to four significant digits (the rate is itself an approximation).
fn unit_cost(musd: f64, currency: Currency) -> String {
    match currency {
        Currency::Usd => plain(musd),
        _ => significant(currency.millions(musd), 4),
    }
}
