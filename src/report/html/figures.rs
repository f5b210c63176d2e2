//! The charts, each inlined as SVG in a numbered figure with its caption and file name.

use super::{Esc, w};
use crate::report::charts::Chart;

/// The section `#charts`, when there are charts.
pub(super) fn figures(out: &mut String, charts: &[Chart]) {
    if charts.is_empty() {
        return;
    }
    out.push_str("<section id=\"charts\">\n<h2>Charts</h2>\n");
    for (n, chart) in charts.iter().enumerate() {
        w!(
            out,
            "<figure id=\"chart-{}\">\n{}\n<figcaption><span class=\"fig\">Figure {}.</span> {} \
             <span class=\"file\">charts/{}.svg</span></figcaption>\n</figure>\n",
            Esc(&chart.name),
            inline_svg(&chart.svg),
            n + 1,
            Esc(&chart.title),
            Esc(&chart.name)
        );
    }
    out.push_str("</section>\n");
}

/// An SVG document as markup to inline in HTML: the XML declaration and doctype dropped, and
/// a `viewBox` added from `width` and `height` when it has none, so CSS can scale it.
fn inline_svg(svg: &str) -> String {
    let Some(start) = svg.find("<svg") else {
        return String::new();
    };
    let body = svg[start..].trim_end();
    let tag_end = body.find('>').unwrap_or(body.len());
    let tag = &body[..tag_end];
    if tag.contains("viewBox") {
        return body.to_string();
    }
    let attribute = |name: &str| -> Option<f64> {
        let at = tag.find(&format!(" {name}=\""))? + name.len() + 3;
        let value = &tag[at..];
        value[..value.find('"')?]
            .trim_end_matches("px")
            .parse()
            .ok()
    };
    match (attribute("width"), attribute("height")) {
        (Some(width), Some(height)) => format!(
            "<svg viewBox=\"0 0 {width} {height}\"{}",
            &body["<svg".len()..]
        ),
        _ => body.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn svg_gets_a_view_box_and_loses_its_prolog() {
        let svg = "<?xml version=\"1.0\"?>\n<svg width=\"800\" height=\"400\" \
                   xmlns=\"http://www.w3.org/2000/svg\"><rect/></svg>\n";
        assert_eq!(
            inline_svg(svg),
            "<svg viewBox=\"0 0 800 400\" width=\"800\" height=\"400\" \
             xmlns=\"http://www.w3.org/2000/svg\"><rect/></svg>"
        );
        let with = "<svg width=\"8\" height=\"4\" viewBox=\"0 0 8 4\"></svg>";
        assert_eq!(inline_svg(with), with);
        assert_eq!(inline_svg("not svg"), "");
    }
}
