//! The Sources sheet: the run (title, file, command, tool, input hash, seed, runs, generator),
//! the data (vintage, base year, each table's origin and SHA-256) and every source text, one
//! per row.

use super::{MAX_ROW, SOURCES_SHEET, Styles, Value, cut, last_col, start_table, write_count};
use crate::report::tables::{data_files, generator_text};
use crate::results::Results;
use rust_xlsxwriter::{RowNum, Worksheet, XlsxError};

/// The Sources sheet.
pub(super) fn sources_sheet(
    sheet: &mut Worksheet,
    results: &Results,
    styles: &Styles,
) -> Result<(), XlsxError> {
    let columns = [("section", 12.0), ("key", 24.0), ("value", 110.0)];
    start_table(sheet, SOURCES_SHEET, &columns, styles)?;
    let s = &results.scenario;
    let data = &s.data;
    let text = |v: &str| Value::Text(v.to_string());
    let mut rows: Vec<(&str, String, Value)> = vec![
        ("run", "title".into(), text(&s.title)),
        (
            "run",
            "scenario file".into(),
            text(s.file.as_deref().unwrap_or("")),
        ),
        (
            "run",
            "command to reproduce".into(),
            text(&results.command()),
        ),
        ("run", "tool version".into(), text(results.tool_version())),
        ("run", "input hash".into(), text(&results.input_hash)),
        ("run", "seed".into(), Value::Whole(results.seed)),
        ("run", "runs".into(), Value::Whole(results.runs)),
        (
            "run",
            "generator".into(),
            text(generator_text(results.generator())),
        ),
        ("data", "vintage".into(), text(&data.vintage)),
        (
            "data",
            "base year".into(),
            Value::Whole(data.base_year.max(0) as u64),
        ),
    ];
    for (name, provenance) in data_files(data) {
        let name = name.to_lowercase();
        rows.push(("data", format!("{name} origin"), text(&provenance.origin)));
        rows.push(("data", format!("{name} sha256"), text(&provenance.sha256)));
    }
    for a in &data.allies {
        rows.push(("ally", format!("{} {}", a.iso3, a.name), text(&a.source)));
    }
    for item in &s.items {
        rows.push(("item", item.id.clone(), text(&item.source)));
    }
    for (row, (section, key, value)) in (1..).zip(&rows) {
        sheet.write_string(row, 0, *section)?;
        sheet.write_string(row, 1, cut(key))?;
        match value {
            Value::Text(t) => {
                sheet.write_string_with_format(row, 2, cut(t), &styles.wrap)?;
            }
            Value::Whole(v) => write_count(sheet, row, 2, *v)?,
            Value::Number(v) => {
                sheet.write_number(row, 2, *v)?;
            }
        }
    }
    let last_row = RowNum::try_from(rows.len()).unwrap_or(MAX_ROW);
    sheet.autofilter(0, 0, last_row, last_col(columns.len()))?;
    Ok(())
}
