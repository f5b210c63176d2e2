//! The tables and their two renderings: the page's and the workbook's cells of one table
//! read back and compared, and the builders on plan-only results.

use super::headline::spread_column;
use super::*;
use crate::results::Results;
use crate::scenario::metrics::Metric;

#[test]
fn formats_round_as_stated() {
    assert_eq!(Format::Bn(Currency::Usd).text(2_466_812.33), "2,466.8");
    assert_eq!(
        Format::SignedBn(Currency::Usd).text(2_618_759.6),
        "+2,618.8"
    );
    assert_eq!(Format::SignedBn(Currency::Usd).text(-101_600.0), "-101.6");
    assert_eq!(Format::SignedBn(Currency::Usd).text(10.0), "0.0");
    assert_eq!(Format::PctGdp.text(3.514), "3.51");
    assert_eq!(Format::Probability.text(0.13), "13%");
    assert_eq!(Format::Probability.text(0.001), "<1%");
    assert_eq!(Format::Year.text(2027.0), "2027");
    assert_eq!(Format::OneDecimal.text(0.25), "0.2");
    assert_eq!(
        Number {
            value: None,
            format: Format::Bn(Currency::Usd),
            source: None
        }
        .text(),
        "n/a"
    );
}

#[test]
fn two_number_columns_have_two_parts() {
    let range = spread_column("Core spending 2035", "USD bn");
    assert_eq!(
        range.parts(),
        [("P10", Some("USD bn")), ("P90", Some("USD bn"))]
    );
    let plan = Column {
        shape: Shape::WithShare {
            share_unit: "% of GDP",
        },
        ..Column::new(PLAN_HEADING, Role::Plan).under("Core spending 2035", "USD bn")
    };
    assert_eq!(
        plan.parts(),
        [
            (PLAN_HEADING, Some("USD bn")),
            (PLAN_HEADING, Some("% of GDP"))
        ]
    );
    assert_eq!(
        Column::new("Goal", Role::GroupLabel).parts(),
        [("Goal", None)]
    );
}

#[test]
fn years_read_as_ranges_with_an_en_dash() {
    assert_eq!(years_text(&[]), "never");
    assert_eq!(years_text(&[2027, 2028, 2031]), "2027\u{2013}2028, 2031");
}

/// A table with every kind of cell, text that needs escaping, a missing value and an
/// empty group.
fn every_cell<'r>(row: &'r ResultRow) -> Table<'r> {
    let core = "Core spending 2035";
    let columns = vec![
        Column::new("Goal", Role::GroupLabel),
        Column::new("Group", Role::RowLabel),
        Column::new("Median", Role::Median).under(core, "USD bn"),
        spread_column(core, "USD bn"),
        Column {
            shape: Shape::WithShare {
                share_unit: "% of GDP",
            },
            ..Column::new(PLAN_HEADING, Role::Plan).under(core, "USD bn")
        },
        Column::new("Peak probability", Role::Peak),
        Column::new("Peak year", Role::Number),
        Column::new("Plan short in", Role::Years),
        Column::new(PLAN_HEADING, Role::Plan).under("Extra over <a & b>", "USD bn"),
    ];
    let first = vec![
        Cell::text("NATO"),
        Cell::Number(Number::of(row, Show::Median, Format::Bn(Currency::Usd))),
        spread_of(row),
        Cell::WithShare {
            value: Number::of(row, Show::Plan, Format::Bn(Currency::Usd)),
            share: Some(Number::plain(3.514, Format::PctGdp)),
        },
        Cell::Number(Number::plain(0.004, Format::Probability)),
        Cell::Number(Number::plain(2027.0, Format::Year)),
        Cell::text(years_text(&[2027, 2028, 2031])),
        Cell::Remark {
            text: "reference".to_string(),
            span: 1,
        },
    ];
    let second = vec![
        Cell::text("Europe+Canada & <others>"),
        Cell::Number(Number {
            value: None,
            format: Format::Bn(Currency::Usd),
            source: None,
        }),
        Cell::Empty,
        Cell::Missing { span: 1 },
        Cell::Missing { span: 2 },
        Cell::text(years_text(&[])),
        Cell::Number(Number::plain(-1_234_567.0, Format::SignedBn(Currency::Usd))),
    ];
    Table {
        name: "test",
        title: "A table".to_string(),
        notes: Vec::new(),
        columns,
        groups: vec![
            RowGroup {
                label: Text {
                    text: "2% & <more>".to_string(),
                    tag: Some("reference"),
                },
                rows: vec![first, second],
                empty: None,
            },
            RowGroup {
                label: Text::plain("5%"),
                rows: Vec::new(),
                empty: Some("no line at risk".to_string()),
            },
        ],
    }
}

/// The P10–P90 of `row` with a hint.
fn spread_of(row: &ResultRow) -> Cell<'_> {
    let st = row.stats.as_ref().unwrap();
    Cell::Range {
        low: Number::plain(st.percentiles[1], Format::Bn(Currency::Usd)),
        high: Number::plain(st.percentiles[5], Format::Bn(Currency::Usd)),
        hint: Some("mean 1".to_string()),
    }
}

/// The text of each body cell of the page's table, row by row, tags dropped and entities
/// read back.
fn page_cells(markup: &str) -> Vec<Vec<String>> {
    let body = &markup[markup.find("<tbody>").unwrap()..];
    body.split("<tr>")
        .skip(1)
        .map(|tr| {
            let tr = &tr[..tr.find("</tr>").unwrap()];
            tr.split("<t")
                .skip(1)
                .map(|cell| {
                    let inner = &cell[cell.find('>').unwrap() + 1..cell.rfind("</t").unwrap()];
                    let mut text = String::new();
                    let mut in_tag = false;
                    for c in inner.chars() {
                        match c {
                            '<' => in_tag = true,
                            '>' => in_tag = false,
                            _ if !in_tag => text.push(c),
                            _ => {}
                        }
                    }
                    text.replace("&lt;", "<")
                        .replace("&gt;", ">")
                        .replace("&quot;", "\"")
                        .replace("&#39;", "'")
                        .replace("&amp;", "&")
                })
                .collect()
        })
        .collect()
}

#[test]
fn the_page_and_the_workbook_show_the_same_cells() {
    use calamine::{Data, Reader, Xlsx};
    let row = ResultRow {
        goal: "g<1>".to_string(),
        year: 2035,
        group: "nato".to_string(),
        item: None,
        metric: Metric::CoreMusd,
        plan: 2_466_812.33,
        stats: Some(crate::mc::summary::RowStats {
            mean: 2_285_000.0,
            percentiles: [
                1.0e6,
                1_978_400.0,
                2.1e6,
                2_285_612.0,
                2.4e6,
                2_596_949.0,
                2.7e6,
            ],
        }),
    };
    let table = every_cell(&row);
    let page = page_cells(&crate::report::html::table_markup(&table));
    let bytes = crate::report::xlsx::table_workbook(&table);
    let mut book = Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
    let sheet = book.worksheet_range("Table").unwrap();
    let book_rows: Vec<&[Data]> = sheet.rows().collect();

    // The headings: band, name and unit in each, one per number.
    let headings: Vec<String> = book_rows[0].iter().map(|d| d.to_string()).collect();
    assert_eq!(
        headings,
        [
            "Goal",
            "Group",
            "Core spending 2035, median (USD bn)",
            "Core spending 2035, P10 (USD bn)",
            "Core spending 2035, P90 (USD bn)",
            "Plan: pledge met in full and on time: core spending 2035 (USD bn)",
            "Plan: pledge met in full and on time: core spending 2035 (% of GDP)",
            "Peak probability",
            "Peak year",
            "Plan short in",
            "Plan: pledge met in full and on time: extra over <a & b> (USD bn)",
        ]
    );

    // The body: what the page shows, read from the workbook's cells and the formats.
    let number = |cell: &Data, format: Format| match cell {
        Data::Float(v) => format.shown_text(*v),
        Data::Empty => "n/a".to_string(),
        other => panic!("a number, found {other:?}"),
    };
    let text = |cell: &Data| match cell {
        Data::String(s) => s.clone(),
        other => panic!("text, found {other:?}"),
    };
    let mut expected = Vec::new();
    let mut at = 1;
    for group in &table.groups {
        if group.rows.is_empty() {
            let cells = book_rows[at];
            assert_eq!(cells[0], Data::String(group.label.text.clone()));
            expected.push(vec![text(&cells[0]), text(&cells[1])]);
            at += 1;
            continue;
        }
        for (k, row) in group.rows.iter().enumerate() {
            let cells = book_rows[at];
            let mut shown = Vec::new();
            if k == 0 {
                let tag = group.label.tag.map_or(String::new(), |t| format!(" {t}"));
                shown.push(format!("{}{tag}", text(&cells[0])));
            } else {
                assert_eq!(text(&cells[0]), group.label.text, "the label on every row");
            }
            let mut col = 1;
            for cell in row {
                shown.push(match cell {
                    Cell::Text(_) => text(&cells[col]),
                    Cell::Number(n) => number(&cells[col], n.format),
                    Cell::Range { low, .. } => format!(
                        "{} to {}",
                        number(&cells[col], low.format),
                        number(&cells[col + 1], low.format)
                    ),
                    Cell::WithShare { value, share } => format!(
                        "{} ({}%)",
                        number(&cells[col], value.format),
                        number(&cells[col + 1], share.unwrap().format)
                    ),
                    Cell::Empty => {
                        assert_eq!(cells.get(col), Some(&Data::Empty));
                        String::new()
                    }
                    Cell::Missing { .. } => "n/a".to_string(),
                    Cell::Remark { text, .. } => text.clone(),
                });
                let covered = &table.columns[col_of(&table, col)..][..cell.span()];
                for _ in covered.iter().flat_map(|c| c.parts()) {
                    if matches!(cell, Cell::Missing { .. } | Cell::Remark { .. }) {
                        assert_eq!(cells.get(col).unwrap_or(&Data::Empty), &Data::Empty);
                    }
                    col += 1;
                }
            }
            expected.push(shown);
            at += 1;
        }
    }
    assert_eq!(page, expected);
    assert_eq!(page[0][2], "2,285.6");
    assert_eq!(page[0][5], "<1%");
    assert_eq!(page[0][7], "2027\u{2013}2028, 2031");
    assert_eq!(page[1][6], "-1,234.6");
}

/// The table column that workbook column `col` belongs to.
fn col_of(table: &Table, col: usize) -> usize {
    let mut start = 0;
    for (k, column) in table.columns.iter().enumerate() {
        start += column.parts().len();
        if col < start {
            return k;
        }
    }
    panic!("column {col} is past the table")
}

/// Plan-only results of a small scenario on the builtin data.
fn plan_results() -> Results {
    let toml = "schema_version = 1\ntitle = \"T & t\"\n\
                [[goal]]\nid = \"two\"\nlabel = \"2%\"\ncore_pct = 2\n\
                [[goal]]\nid = \"five\"\nlabel = \"5% <core>\"\ncore_pct = 5\n";
    let scenario = crate::scenario::parse("t.toml", toml, std::path::Path::new("."), "t").unwrap();
    let summary = crate::mc::summary::Summary::central(&scenario);
    Results::from_summary(&scenario, &summary)
}

#[test]
fn the_headline_without_runs_has_the_plan_only() {
    let results = plan_results();
    let table = headline(&results, Currency::Usd);
    let names: Vec<&str> = table.columns.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["Goal", "Group", PLAN_HEADING, PLAN_HEADING]);
    assert_eq!(table.groups.len(), 2);
    let first = &table.groups[0];
    assert_eq!(first.label.tag, Some("reference"));
    let labels: Vec<String> = first
        .rows
        .iter()
        .map(|row| match &row[0] {
            Cell::Text(t) => t.text.clone(),
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(labels, ["NATO", "Europe+Canada"]);
    // The reference is not compared with itself; the other goal is.
    assert!(matches!(first.rows[0][2], Cell::Remark { span: 1, .. }));
    assert!(matches!(
        table.groups[1].rows[0][2],
        Cell::Number(Number {
            format: Format::SignedBn(Currency::Usd),
            source: Some(Source {
                show: Show::Plan,
                ..
            }),
            ..
        })
    ));
    for group in &table.groups {
        for row in &group.rows {
            let span: usize = row.iter().map(Cell::span).sum();
            assert_eq!(span + 1, table.columns.len());
        }
    }
}

#[test]
fn every_risk_row_fills_its_columns() {
    let results = plan_results();
    let table = risks(&results);
    assert_eq!(table.columns.len(), 4);
    for group in &table.groups {
        assert!(group.empty.is_some());
        for row in &group.rows {
            let span: usize = row.iter().map(Cell::span).sum();
            assert_eq!(span + 1, table.columns.len());
        }
    }
}
