//! `report.html`: one self-contained page (charts inlined as SVG, no network, no external
//! scripts or fonts) from [`Results`] alone.
//!
//! The page picks rows of the results and formats them; it computes no statistic. In order:
//! the question (the goals), the headline numbers, the assumptions (every uncertain input with
//! its distribution), the charts, the per-group, per-ally and per-item tables, capacity
//! planning, what drives the results (sensitivity), the data sources and a reproducibility
//! footer. Money is shown in the currency asked for (`--currency`), each figure labelled with
//! it, and the rate and its source are stated. Each section has a file of its own; this one
//! holds the page's skeleton (the `<head>` and the order of the sections) and the escaping of
//! text.
//!
//! Self-contained means one inline `<style>` (`style.css`, compiled in), no script, and no
//! reference to anything outside the file; a `Content-Security-Policy` of `default-src 'none'`
//! makes a browser refuse any load that might slip in through a chart. Text is escaped once,
//! by `Esc`.
//!
//! Headlines lead with the median of the runs and its P10–P90 range; the plan (the pledge met
//! in full and on time, MODEL.md v2 section 4) has a labelled column of its own, and the
//! compliance assumption is stated beside the table. Goals and production lines are named by
//! their labels. The headline table and the lines at risk are the workbook's too: both are
//! built once in [`super::tables`] and drawn here by `table.rs`.
//!
//! Headline numbers carry their key and exact values as `data-*` attributes (`data-goal`,
//! `data-group`, `data-item`, `data-metric`, `data-year`, `data-plan`, and when runs were made
//! `data-mean`, `data-p10`, `data-p50`, `data-p90`), written with Rust's `{}` for `f64` as in
//! `summary.csv`, and `data-show` names the value shown (`p50`, `plan` or `mean`), so a test
//! can match each one with its `summary.csv` row.

mod allies;
mod assumptions;
mod capacity;
mod figures;
mod footer;
mod header;
mod headline;
mod items;
mod question;
mod sensitivity;
mod sources;
mod table;

use super::charts::Chart;
use super::{Currency, Results};
use crate::text::{grouped, percent};
use std::fmt::{self, Display};

/// `write!` into a `String`, which cannot fail.
macro_rules! w {
    ($out:expr, $($arg:tt)*) => {{
        use std::fmt::Write as _;
        let _ = write!($out, $($arg)*);
    }};
}
use w;

/// The page's style sheet: system fonts only, numbers in tabular figures, charts scaled to the
/// page width, and print rules (A4, no navigation, tables and figures kept whole).
pub(crate) const STYLE: &str = include_str!("style.css");

/// The report page, money in `currency`.
pub fn report(
    results: &Results,
    sensitivity: Option<&super::Sensitivity>,
    charts: &[Chart],
    currency: Currency,
) -> String {
    let svg_bytes: usize = charts.iter().map(|c| c.svg.len()).sum();
    let mut out = String::with_capacity(96 * 1024 + svg_bytes);
    head(&mut out, results);
    out.push_str("<body>\n<main>\n");
    header::header(&mut out, results, charts, currency);
    question::question(&mut out, results);
    headline::headline(&mut out, results, currency);
    assumptions::assumptions(&mut out, results);
    figures::figures(&mut out, charts);
    allies::allies(&mut out, results, currency);
    items::items(&mut out, results, currency);
    capacity::capacity(&mut out, results);
    sensitivity::sensitivity(&mut out, results, sensitivity);
    sources::sources(&mut out, results);
    footer::footer(&mut out, results);
    out.push_str("</main>\n</body>\n</html>\n");
    out
}

/// A table alone as markup, for tests that compare the page's tables with the workbook's.
#[cfg(test)]
pub(crate) fn table_markup(table: &super::tables::Table) -> String {
    let mut out = String::new();
    table::table(&mut out, table);
    out
}

/// The `<head>`: the Content-Security-Policy, the title and the style sheet.
fn head(out: &mut String, r: &Results) {
    w!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; \
         style-src 'unsafe-inline'\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"color-scheme\" content=\"light\">\n\
         <meta name=\"generator\" content=\"pledge {}\">\n\
         <title>{} \u{2013} pledge report</title>\n<style>\n{STYLE}</style>\n</head>\n",
        Esc(r.tool_version()),
        Esc(&r.scenario.title)
    );
}

// ---------------------------------------------------------------------------------------------
// Text
// ---------------------------------------------------------------------------------------------

/// Text escaped for HTML content and attribute values.
pub(crate) struct Esc<'a>(pub(crate) &'a str);

impl Display for Esc<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut rest = self.0;
        while let Some(at) = rest.find(['&', '<', '>', '"', '\'']) {
            f.write_str(&rest[..at])?;
            f.write_str(match rest.as_bytes()[at] {
                b'&' => "&amp;",
                b'<' => "&lt;",
                b'>' => "&gt;",
                b'"' => "&quot;",
                _ => "&#39;",
            })?;
            rest = &rest[at + 1..];
        }
        f.write_str(rest)
    }
}

/// Escaped text whose `http://` and `https://` addresses become links. A link loads nothing
/// until it is followed.
pub(super) struct Linked<'a>(pub(super) &'a str);

impl Display for Linked<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut rest = self.0;
        let next = |text: &str| {
            ["http://", "https://"]
                .iter()
                .filter_map(|p| text.find(p))
                .min()
        };
        while let Some(at) = next(rest) {
            write!(f, "{}", Esc(&rest[..at]))?;
            let tail = &rest[at..];
            let end = tail
                .find(|c: char| c.is_whitespace() || matches!(c, '<' | '>' | '"' | '\''))
                .unwrap_or(tail.len());
            let url = tail[..end].trim_end_matches(['.', ',', ';', ':', ')', ']']);
            write!(
                f,
                "<a href=\"{}\" rel=\"noreferrer\">{}</a>",
                Esc(url),
                Esc(url)
            )?;
            rest = &tail[url.len()..];
        }
        write!(f, "{}", Esc(rest))
    }
}

/// `s` after a count other than one.
pub(super) fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// Units per year: whole units from 100 up, one decimal below.
pub(super) fn units(value: f64) -> String {
    grouped(value, if value.abs() >= 100.0 { 0 } else { 1 })
}

/// An input as written (shortest round-trip form), with thousands separators from 10,000.
pub(super) fn plain(value: f64) -> String {
    let text = format!("{value}");
    if value.abs() < 10_000.0 || !value.is_finite() {
        return text;
    }
    let (whole, fraction) = text.split_once('.').unwrap_or((&text, ""));
    let digits = grouped(whole.parse::<f64>().unwrap_or(value).trunc(), 0);
    if fraction.is_empty() {
        digits
    } else {
        format!("{digits}.{fraction}")
    }
}

/// `n` significant digits: `0.279`, `0.0441`.
pub(super) fn significant(value: f64, n: i32) -> String {
    if value == 0.0 || !value.is_finite() {
        return plain(value);
    }
    let magnitude = value.abs().log10().floor() as i32;
    let decimals = (n - 1 - magnitude).max(0) as usize;
    grouped(value, decimals)
}

/// A probability as a whole percentage, escaped for HTML: `&lt;1%` and `&gt;99%` rather than a
/// misleading 0 or 100.
pub(super) fn probability(p: f64) -> String {
    Esc(&percent(p)).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped() {
        assert_eq!(
            Esc("a & b < c > d \"e\" 'f'").to_string(),
            "a &amp; b &lt; c &gt; d &quot;e&quot; &#39;f&#39;"
        );
        assert_eq!(Esc("plain").to_string(), "plain");
    }

    #[test]
    fn addresses_become_links_and_the_rest_is_escaped() {
        assert_eq!(
            Linked("see https://x.org/a?b=1&c=2. <ok>").to_string(),
            "see <a href=\"https://x.org/a?b=1&amp;c=2\" rel=\"noreferrer\">\
             https://x.org/a?b=1&amp;c=2</a>. &lt;ok&gt;"
        );
        assert_eq!(
            Linked("http://a.b and https://c.d").to_string(),
            "<a href=\"http://a.b\" rel=\"noreferrer\">http://a.b</a> and \
             <a href=\"https://c.d\" rel=\"noreferrer\">https://c.d</a>"
        );
    }

    #[test]
    fn numbers_are_grouped_and_rounded() {
        assert_eq!(grouped(2_466_812.33, 1), "2,466,812.3");
        assert_eq!(grouped(f64::NAN, 1), "n/a");
        assert_eq!(units(2_000_000.0), "2,000,000");
        assert_eq!(units(12.34), "12.3");
        assert_eq!(plain(0.0045), "0.0045");
        assert_eq!(plain(2_000_000.0), "2,000,000");
        assert_eq!(plain(12_345.5), "12,345.5");
        assert_eq!(significant(0.278_640_965, 3), "0.279");
        assert_eq!(significant(0.044_094_96, 3), "0.0441");
        assert_eq!(probability(0.13), "13%");
        assert_eq!(probability(0.001), "&lt;1%");
        assert_eq!(probability(0.999), "&gt;99%");
        assert_eq!(probability(0.0), "0%");
        assert_eq!(probability(1.0), "100%");
    }
}
