//! A [`Table`] of [`crate::report::tables`] as an HTML table: one header row, or two when
//! columns share a band (the band over them, the columns without one spanning both rows); a
//! `<tbody>` per row group, its label one cell over its rows; numbers right-aligned in
//! tabular figures, the median bold, the plan shaded, and each number of a results row in a
//! `<span>` whose `data-*` attributes hold the row's key and exact values.
//!
//! A range is one cell, `low to high`, its hint in a `title`; a value with its share of GDP is
//! one cell, `value (share%)`. Text is escaped here.

use super::{Esc, w};
use crate::report::tables::{Cell, Column, Number, Role, RowGroup, Shape, Show, Table, Text};
use crate::results::ResultRow;

/// Writes `table`, wrapped in a `<div class="wide">` that scrolls sideways on a narrow screen.
pub(super) fn table(out: &mut String, table: &Table) {
    debug_assert_eq!(
        table.columns.first().map(|c| c.role),
        Some(Role::GroupLabel)
    );
    w!(
        out,
        "<div class=\"wide\"><table class=\"{}\">\n",
        Esc(table.name)
    );
    head(out, &table.columns);
    for group in &table.groups {
        body(out, &table.columns, group);
    }
    out.push_str("</table></div>\n");
}

fn head(out: &mut String, columns: &[Column]) {
    if columns.iter().all(|c| c.band.is_none()) {
        out.push_str("<thead><tr>");
        for column in columns {
            heading(out, column, "");
        }
        out.push_str("</tr></thead>\n");
        return;
    }
    out.push_str("<thead>\n<tr>");
    let mut k = 0;
    while k < columns.len() {
        match &columns[k].band {
            None => {
                heading(out, &columns[k], " rowspan=\"2\"");
                k += 1;
            }
            Some(band) => {
                let n = columns[k..]
                    .iter()
                    .take_while(|c| c.band.as_ref() == Some(band))
                    .count();
                w!(
                    out,
                    "<th scope=\"colgroup\" colspan=\"{n}\" class=\"group\">{}</th>",
                    Esc(band)
                );
                k += n;
            }
        }
    }
    out.push_str("</tr>\n<tr>");
    for column in columns.iter().filter(|c| c.band.is_some()) {
        heading(out, column, "");
    }
    out.push_str("</tr>\n</thead>\n");
}

/// A column's heading: its name, and under a band its unit on a line of its own.
fn heading(out: &mut String, column: &Column, span: &str) {
    let class = match column.role {
        Role::Plan => " class=\"num plan\"",
        role if role.is_numeric() => " class=\"num\"",
        _ => "",
    };
    w!(out, "<th scope=\"col\"{span}{class}>{}", Esc(&column.name));
    if let Some(unit) = &column.unit {
        w!(out, ",<br>{}", Esc(unit));
        if let Shape::WithShare { share_unit } = column.shape {
            w!(out, " ({})", Esc(share_unit));
        }
    }
    out.push_str("</th>");
}

fn body(out: &mut String, columns: &[Column], group: &RowGroup) {
    out.push_str("<tbody>\n");
    if let (true, Some(empty)) = (group.rows.is_empty(), &group.empty) {
        w!(
            out,
            "<tr><th scope=\"row\">{}</th><td colspan=\"{}\" class=\"muted\">{}</td></tr>\n",
            label(&group.label),
            columns.len() - 1,
            Esc(empty)
        );
    }
    for (k, row) in group.rows.iter().enumerate() {
        out.push_str("<tr>");
        if k == 0 {
            w!(
                out,
                "<th scope=\"rowgroup\" rowspan=\"{}\" class=\"goal\">{}</th>",
                group.rows.len(),
                label(&group.label)
            );
        }
        let mut at = 1;
        for cell in row {
            self::cell(out, columns[at].role, cell);
            at += cell.span();
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n");
}

/// Text with its tag, if any.
fn label(text: &Text) -> String {
    match text.tag {
        Some(tag) => format!(
            "{} <span class=\"tag\">{}</span>",
            Esc(&text.text),
            Esc(tag)
        ),
        None => Esc(&text.text).to_string(),
    }
}

/// The classes of a number cell in a column of `role`.
fn number_class(role: Role) -> &'static str {
    match role {
        Role::Median => "num median",
        Role::Spread => "num range",
        Role::Peak => "num peak",
        Role::Plan => "num plan",
        _ => "num",
    }
}

/// `colspan` for a cell over more than one column.
fn colspan(span: usize) -> String {
    if span > 1 {
        format!(" colspan=\"{span}\"")
    } else {
        String::new()
    }
}

fn cell(out: &mut String, role: Role, cell: &Cell) {
    match cell {
        Cell::Empty => out.push_str("<td></td>"),
        Cell::Text(text) => match role {
            Role::RowLabel => w!(out, "<th scope=\"row\">{}</th>", label(text)),
            Role::Years => w!(out, "<td class=\"years\">{}</td>", label(text)),
            _ => w!(out, "<td>{}</td>", label(text)),
        },
        Cell::Number(n) => {
            w!(out, "<td class=\"{}\">", number_class(role));
            number(out, n);
            out.push_str("</td>");
        }
        Cell::Range { low, high, hint } => {
            w!(out, "<td class=\"{}\"", number_class(role));
            if let Some(hint) = hint {
                w!(out, " title=\"{}\"", Esc(hint));
            }
            w!(out, ">{} to {}</td>", Esc(&low.text()), Esc(&high.text()));
        }
        Cell::WithShare { value, share } => {
            w!(out, "<td class=\"{}\">", number_class(role));
            number(out, value);
            if let Some(share) = share {
                out.push_str(" (");
                number(out, share);
                out.push_str("%)");
            }
            out.push_str("</td>");
        }
        Cell::Missing { span } => w!(out, "<td class=\"num\"{}>n/a</td>", colspan(*span)),
        Cell::Remark { text, span } => w!(
            out,
            "<td class=\"num muted\"{}>{}</td>",
            colspan(*span),
            Esc(text)
        ),
    }
}

/// A number's text; one of a results row in a `<span>` with the row's `data-*` attributes.
fn number(out: &mut String, n: &Number) {
    match &n.source {
        Some(source) => {
            out.push_str("<span");
            data_key(out, source.row, source.show);
            w!(out, ">{}</span>", Esc(&n.text()));
        }
        None => w!(out, "{}", Esc(&n.text())),
    }
}

/// The `data-*` attributes of a row: its key, its plan value and, with runs, its mean, P10,
/// P50 and P90, as `summary.csv` writes them; and `data-show`, the value the element shows.
fn data_key(out: &mut String, row: &ResultRow, show: Show) {
    w!(
        out,
        " data-goal=\"{}\" data-group=\"{}\"",
        Esc(&row.goal),
        Esc(&row.group)
    );
    if let Some(item) = &row.item {
        w!(out, " data-item=\"{}\"", Esc(item));
    }
    w!(
        out,
        " data-metric=\"{}\" data-year=\"{}\" data-show=\"{}\" data-plan=\"{}\"",
        row.metric.as_str(),
        row.year,
        show.name(),
        row.plan
    );
    if let Some(st) = &row.stats {
        w!(
            out,
            " data-mean=\"{}\" data-p10=\"{}\" data-p50=\"{}\" data-p90=\"{}\"",
            st.mean,
            st.percentiles[1],
            st.percentiles[3],
            st.percentiles[5]
        );
    }
}
