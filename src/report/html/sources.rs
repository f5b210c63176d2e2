//! The data sources: each table of the dataset with its origin and SHA-256, the allies'
//! sources (allies sharing a source and basis together) and the production lines' sources
//! and notes, addresses as links.

use super::{Esc, Linked, w};
use crate::data::Ally;
use crate::report::tables::data_files;
use crate::results::Results;

/// The section `#sources`.
pub(super) fn sources(out: &mut String, r: &Results) {
    let d = &r.scenario.data;
    w!(
        out,
        "<section id=\"sources\">\n<h2>Data sources</h2>\n\
         <p>Base year {}. Vintage: {}.</p>\n\
         <table class=\"provenance\">\n<thead><tr><th scope=\"col\">Table</th>\
         <th scope=\"col\">Origin</th><th scope=\"col\">SHA-256 of the file</th></tr></thead>\n\
         <tbody>\n",
        d.base_year,
        Esc(&d.vintage)
    );
    for (name, p) in data_files(d) {
        w!(
            out,
            "<tr><th scope=\"row\">{name}</th><td>{}</td><td><code class=\"hash\">{}</code></td>\
             </tr>\n",
            Esc(&p.origin),
            Esc(&p.sha256)
        );
    }
    out.push_str(
        "</tbody>\n</table>\n<h3>Allies</h3>\n<div class=\"wide\"><table class=\"sources\">\n\
         <caption>Allies sharing a source and an equipment-share basis are listed together\
         </caption>\n<thead><tr><th scope=\"col\">Allies</th>\
         <th scope=\"col\">Equipment share</th><th scope=\"col\">Source</th></tr></thead>\n\
         <tbody>\n",
    );
    // Distinct (source, basis) pairs in the order they first appear, with their allies.
    let mut shared: Vec<(&str, &str, Vec<&Ally>)> = Vec::new();
    for a in &d.allies {
        let key = (a.source.as_str(), a.equipment_basis.as_str());
        match shared.iter_mut().find(|(s, e, _)| (*s, *e) == key) {
            Some((_, _, allies)) => allies.push(a),
            None => shared.push((key.0, key.1, vec![a])),
        }
    }
    for (source, basis, allies) in shared {
        out.push_str("<tr><th scope=\"row\" class=\"names\">");
        for (k, a) in allies.iter().enumerate() {
            w!(
                out,
                "{}{} <code>{}</code>",
                if k == 0 { "" } else { ", " },
                Esc(&a.name),
                Esc(&a.iso3)
            );
        }
        w!(
            out,
            "</th><td class=\"basis\">{}</td><td>{}</td></tr>\n",
            Esc(basis),
            Linked(source)
        );
    }
    out.push_str(
        "</tbody>\n</table></div>\n<h3>Production lines</h3>\n\
         <div class=\"wide\"><table class=\"sources\">\n<thead><tr><th scope=\"col\">Line</th>\
         <th scope=\"col\">Source</th><th scope=\"col\">Notes</th></tr></thead>\n<tbody>\n",
    );
    for item in &r.scenario.items {
        w!(
            out,
            "<tr><th scope=\"row\">{} <code>{}</code></th><td>{}</td><td>{}</td></tr>\n",
            Esc(&item.label),
            Esc(&item.id),
            Linked(&item.source),
            Linked(&item.notes)
        );
    }
    out.push_str("</tbody>\n</table></div>\n</section>\n");
}
