//! Snapshots of what a reader opens: `result.json` as written, and the visible text of
//! `report.html` (the page without its tags, styles and scripts, one line per block, table
//! cells separated by ` | `), both of one small, fast run (the shipped Hague scenario cut to
//! the horizon 2027, 64 runs, its own seed), checked in as
//! `tests/golden/hague-2027.result.json` and `tests/golden/hague-2027.report.txt`. Any change
//! to a field, a number, a heading or a sentence shows up as a diff, named by its first
//! differing line.
//!
//! After an intended change, rewrite them (with the golden summaries) with
//! `PLEDGE_BLESS=1 cargo test --release --test it -- golden snapshot` and review the diff.

use crate::common::{assert_golden, shipped, succeeds, tempdir};
use std::fs;
use std::sync::OnceLock;

/// The files of the snapshot run, kept for both tests.
struct Run {
    result_json: Vec<u8>,
    report_html: String,
}

/// `scenarios/hague-2035.toml` with `horizon = 2027` and `runs = 64`, run once.
fn run() -> &'static Run {
    static RUN: OnceLock<Run> = OnceLock::new();
    RUN.get_or_init(|| {
        let text = fs::read_to_string(shipped("hague-2035.toml")).unwrap();
        let mut cut = text.clone();
        for (from, to) in [
            ("\nhorizon = 2035\n", "\nhorizon = 2027\n"),
            ("\nruns = 10000\n", "\nruns = 64\n"),
        ] {
            assert_eq!(text.matches(from).count(), 1, "hague-2035.toml: {from:?}");
            cut = cut.replace(from, to);
        }
        let dir = tempdir();
        fs::write(dir.path().join("hague-2027.toml"), cut).unwrap();
        succeeds(dir.path(), &["run", "hague-2027.toml", "--out", "out"]);
        let out = dir.path().join("out");
        Run {
            result_json: fs::read(out.join("result.json")).unwrap(),
            report_html: fs::read_to_string(out.join("report.html")).unwrap(),
        }
    })
}

#[test]
fn result_json_snapshot() {
    assert_golden("hague-2027.result.json", &run().result_json);
}

#[test]
fn report_text_snapshot() {
    let text = visible_text(&run().report_html);
    assert!(
        text.lines().count() > 100,
        "the page shows little text:\n{text}"
    );
    assert_golden("hague-2027.report.txt", text.as_bytes());
}

/// Elements that start a line of their own.
const BLOCKS: &[&str] = &[
    "html",
    "head",
    "title",
    "body",
    "main",
    "header",
    "footer",
    "section",
    "article",
    "nav",
    "aside",
    "div",
    "p",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "ul",
    "ol",
    "li",
    "dl",
    "dt",
    "dd",
    "table",
    "caption",
    "thead",
    "tbody",
    "tfoot",
    "tr",
    "figure",
    "figcaption",
    "br",
    "hr",
    "pre",
    "blockquote",
    "details",
    "summary",
    // Inline SVG: each label of a chart on its own line.
    "svg",
    "text",
    "desc",
];

/// The text a reader sees on `html`: no tags, no comments, nothing of `<script>` or `<style>`;
/// a line per block element, whitespace collapsed, empty lines dropped, table cells separated
/// by ` | `, entities decoded. Written for the page pledge writes (well-formed, attribute
/// values quoted), not for any HTML.
fn visible_text(html: &str) -> String {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    let flush = |line: &mut String, lines: &mut Vec<String>| {
        let collapsed = line.split_ascii_whitespace().collect::<Vec<_>>().join(" ");
        if !collapsed.is_empty() {
            lines.push(collapsed);
        }
        line.clear();
    };
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        line.push_str(&decode(&rest[..open]));
        rest = &rest[open..];
        if let Some(after) = rest.strip_prefix("<!--") {
            rest = &after[after.find("-->").expect("a closed comment") + 3..];
            continue;
        }
        let end = tag_end(rest);
        let tag = &rest[1..end];
        rest = &rest[end + 1..];
        if tag.starts_with('!') || tag.starts_with('?') {
            continue;
        }
        let closing = tag.starts_with('/');
        let name = tag
            .trim_start_matches('/')
            .split(|c: char| c.is_ascii_whitespace() || c == '/')
            .next()
            .unwrap_or_default()
            .to_ascii_lowercase();
        if !closing && matches!(name.as_str(), "script" | "style") && !tag.ends_with('/') {
            let close = format!("</{name}");
            let at = rest
                .to_ascii_lowercase()
                .find(&close)
                .unwrap_or_else(|| panic!("<{name}> is never closed"));
            rest = &rest[at..];
            rest = &rest[tag_end(rest) + 1..];
            continue;
        }
        if BLOCKS.contains(&name.as_str()) {
            flush(&mut line, &mut lines);
        } else if !closing && matches!(name.as_str(), "td" | "th") && !line.trim().is_empty() {
            line.push_str(" | ");
        }
    }
    line.push_str(&decode(rest));
    flush(&mut line, &mut lines);
    lines.join("\n") + "\n"
}

/// The index of the `>` that ends the tag `tag` starts with, outside quoted attribute values.
fn tag_end(tag: &str) -> usize {
    let mut quote = None;
    for (i, c) in tag.char_indices() {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, '>') => return i,
            _ => {}
        }
    }
    panic!("an unclosed tag: {:?}", &tag[..tag.len().min(80)])
}

/// `text` with its character references decoded; an unknown one is kept as written.
fn decode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let decoded = rest.find(';').and_then(|semi| {
            let name = &rest[1..semi];
            let c = match name {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "nbsp" => Some('\u{a0}'),
                _ => match name.strip_prefix("#x").or_else(|| name.strip_prefix("#X")) {
                    Some(hex) => u32::from_str_radix(hex, 16).ok().and_then(char::from_u32),
                    None => name
                        .strip_prefix('#')
                        .and_then(|dec| dec.parse().ok())
                        .and_then(char::from_u32),
                },
            };
            c.map(|c| (c, semi))
        });
        match decoded {
            Some((c, semi)) => {
                out.push(c);
                rest = &rest[semi + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

#[test]
fn visible_text_keeps_what_a_reader_sees() {
    let html = "<!DOCTYPE html><html><head><title>T &amp; U</title>\
                <style>p { color: red }</style><script>let a = '<p>';</script></head>\
                <body><!-- a <p>comment</p> --><h1>Head<em>ing</em></h1>\
                <p title=\"a > b\">One\n   two&#39;s &lt;three&gt;&#x2013;four</p>\
                <table><tr><th>A</th><th>B</th></tr><tr><td>1</td><td><span>2</span></td></tr>\
                </table><svg><text x=\"1\">label</text></svg></body></html>";
    assert_eq!(
        visible_text(html),
        "T & U\nHeading\nOne two's <three>\u{2013}four\nA | B\n1 | 2\nlabel\n"
    );
}
