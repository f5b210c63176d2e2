//! The question: what the goals are, the first of them the reference, in a table of their
//! parameters and exceptions by ally.

use super::{Esc, plain, w};
use crate::results::Results;
use crate::scenario::GoalOverride;

/// The section `#question`.
pub(super) fn question(out: &mut String, r: &Results) {
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

/// The exceptions by ally of a goal, as markup: `<strong>POL</strong>: core 5%`.
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
