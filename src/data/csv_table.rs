//! A small reader for the dataset CSV files that keeps line numbers, so that every bad cell is
//! reported as `file:line:column: column 'name': ...` with what is allowed.

use crate::bounds::Bound;
use crate::error::{InputError, Location};
use crate::input::{self, TextKind};

/// Columns of free text, which may hold line breaks and tabs (every other cell is one line
/// without control characters): the allies' and items' `source`, the items' `notes`, and
/// the milestone tables' `note` and `source`.
const FREE_TEXT_COLUMNS: [&str; 3] = ["source", "notes", "note"];

/// A parsed CSV file: its header and its records, each with the line it started on.
pub(crate) struct CsvTable {
    file: String,
    header: Vec<String>,
    rows: Vec<(usize, csv::StringRecord)>,
}

/// One record of a [`CsvTable`], with typed, located accessors.
pub(crate) struct CsvRow<'a> {
    table: &'a CsvTable,
    line: usize,
    record: &'a csv::StringRecord,
}

impl CsvTable {
    /// Parses `text`; `required` columns must all be present, and every column must be either
    /// required or in `optional`.
    pub(crate) fn parse(
        file: &str,
        text: &str,
        required: &[&str],
        optional: &[&str],
    ) -> Result<Self, InputError> {
        let text = text.trim_start_matches('\u{feff}');
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(true)
            .flexible(false)
            .from_reader(text.as_bytes());
        let mut lines = LineCounter::new(text);
        let csv_error = |e: csv::Error, lines: &mut LineCounter| {
            let line = e.position().map_or(1, |p| lines.line_at(p.byte()));
            InputError::invalid(
                Location::at(file, line, None),
                format!("not valid CSV: {e}"),
            )
        };
        let header: Vec<String> = reader
            .headers()
            .map_err(|e| csv_error(e, &mut lines))?
            .iter()
            .map(|h| h.trim().to_string())
            .collect();
        if let [only] = header.as_slice() {
            for (separator, name) in [(';', "semicolons"), ('\t', "tabs")] {
                if only.contains(separator) {
                    return Err(InputError::invalid(
                        Location::at(file, 1, None),
                        format!(
                            "this file looks separated by {name}; pledge reads comma-separated CSV (save as 'CSV UTF-8 (comma delimited)')"
                        ),
                    ));
                }
            }
        }
        for (index, name) in header.iter().enumerate() {
            input::check_text(name, TextKind::OneLine).map_err(|m| {
                InputError::invalid(
                    Location::at(file, 1, Some(index + 1)),
                    format!("column name {m}"),
                )
            })?;
            let known = required.contains(&name.as_str()) || optional.contains(&name.as_str());
            if !known {
                return Err(InputError::invalid(
                    Location::at(file, 1, Some(index + 1)),
                    format!(
                        "unknown column '{}'; allowed columns: {}",
                        input::shown(name),
                        required
                            .iter()
                            .chain(optional)
                            .copied()
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                ));
            }
            if header[..index].contains(name) {
                return Err(InputError::invalid(
                    Location::at(file, 1, Some(index + 1)),
                    format!("column '{}' appears twice", input::shown(name)),
                ));
            }
        }
        if let Some(missing) = required.iter().find(|r| !header.iter().any(|h| h == *r)) {
            return Err(InputError::invalid(
                Location::at(file, 1, None),
                format!(
                    "missing column '{missing}'; required columns: {}",
                    required.join(", ")
                ),
            ));
        }
        let mut rows = Vec::new();
        for record in reader.records() {
            let record = record.map_err(|e| csv_error(e, &mut lines))?;
            let line = record.position().map_or(0, |p| lines.line_at(p.byte()));
            for (index, cell) in record.iter().enumerate() {
                let name = header.get(index).map_or("", String::as_str);
                let kind = if FREE_TEXT_COLUMNS.contains(&name) {
                    TextKind::MultiLine
                } else {
                    TextKind::OneLine
                };
                input::check_text(cell, kind).map_err(|m| {
                    InputError::invalid(
                        Location::at(file, line, Some(index + 1)),
                        format!("column '{name}': {m}"),
                    )
                })?;
            }
            if record.iter().all(|f| f.trim().is_empty()) {
                continue;
            }
            rows.push((line, record));
        }
        if rows.is_empty() {
            return Err(InputError::invalid(
                Location::file(file),
                "has a header but no data rows",
            ));
        }
        Ok(CsvTable {
            file: file.to_string(),
            header,
            rows,
        })
    }

    /// The records in file order.
    pub(crate) fn rows(&self) -> impl Iterator<Item = CsvRow<'_>> {
        self.rows.iter().map(|(line, record)| CsvRow {
            table: self,
            line: *line,
            record,
        })
    }

    /// The file name used in messages.
    pub(crate) fn file(&self) -> &str {
        &self.file
    }
}

/// Line numbers from byte offsets, counted as editors count them. The `csv` crate's own line
/// count runs one short after each `\r\n` record end, so CRLF files (Windows, Excel) were
/// reported a line too low.
struct LineCounter<'a> {
    text: &'a str,
    /// A byte offset already counted, and its 1-based line.
    offset: usize,
    line: usize,
}

impl<'a> LineCounter<'a> {
    fn new(text: &'a str) -> Self {
        LineCounter {
            text,
            offset: 0,
            line: 1,
        }
    }

    /// The 1-based line of byte `offset`. Offsets usually come in increasing order, and are
    /// then counted from the last one.
    fn line_at(&mut self, offset: u64) -> usize {
        let mut offset = usize::try_from(offset)
            .unwrap_or(usize::MAX)
            .min(self.text.len());
        // After a `\r\n`, the `csv` crate starts the next record at the `\n`, which belongs
        // to the line before.
        if self.text.as_bytes().get(offset) == Some(&b'\n') {
            offset += 1;
        }
        if offset < self.offset {
            self.offset = 0;
            self.line = 1;
        }
        // A line ends at `\n`, or at a `\r` alone (classic Mac OS, Excel's "CSV (Macintosh)").
        let bytes = self.text.as_bytes();
        let newlines = (self.offset..offset)
            .filter(|&i| {
                bytes[i] == b'\n' || (bytes[i] == b'\r' && bytes.get(i + 1) != Some(&b'\n'))
            })
            .count();
        self.offset = offset;
        self.line += newlines;
        self.line
    }
}

impl CsvRow<'_> {
    /// The location of column `name` in this row.
    pub(crate) fn location(&self, name: &str) -> Location {
        let column = self.table.header.iter().position(|h| h == name);
        Location::at(&self.table.file, self.line, column.map(|c| c + 1))
    }

    /// An error about column `name` in this row.
    pub(crate) fn error(&self, name: &str, message: impl std::fmt::Display) -> InputError {
        InputError::invalid(self.location(name), format!("column '{name}': {message}"))
    }

    /// The trimmed free text of column `name` with `\r\n` line ends as `\n`, or `""`.
    pub(crate) fn free_text(&self, name: &str) -> String {
        input::normalise_line_ends(self.text(name))
    }

    /// The trimmed text of column `name`, or `""` when the column is absent.
    pub(crate) fn text(&self, name: &str) -> &str {
        self.table
            .header
            .iter()
            .position(|h| h == name)
            .and_then(|i| self.record.get(i))
            .map_or("", str::trim)
    }

    /// Non-empty text of column `name`.
    pub(crate) fn required_text(&self, name: &str) -> Result<&str, InputError> {
        let text = self.text(name);
        if text.is_empty() {
            return Err(self.error(name, "is empty; a value is required"));
        }
        Ok(text)
    }

    /// A number within `bound` from column `name`.
    pub(crate) fn number(&self, name: &str, bound: Bound) -> Result<f64, InputError> {
        let text = self.required_text(name)?;
        let value: f64 = text.parse().map_err(|_| {
            self.error(
                name,
                format!(
                    "'{}' is not a number; expected {}",
                    input::shown(text),
                    bound.what
                ),
            )
        })?;
        bound.check(value).map_err(|m| self.error(name, m))
    }

    /// Like [`CsvRow::number`], but an empty or absent cell is `None`.
    pub(crate) fn optional_number(
        &self,
        name: &str,
        bound: Bound,
    ) -> Result<Option<f64>, InputError> {
        if self.text(name).is_empty() {
            return Ok(None);
        }
        self.number(name, bound).map(Some)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn first_error(text: &str) -> String {
        let table = CsvTable::parse("t.csv", text, &["note", "b"], &[]).unwrap();
        table
            .rows()
            .find_map(|row| row.number("b", crate::bounds::PCT_GDP).err())
            .map(|e| e.to_string())
            .unwrap()
    }

    #[test]
    fn lines_are_counted_alike_for_lf_and_crlf_and_across_quoted_line_breaks() {
        let lf = "note,b\n1,2\n\"two\nlines\",3\n4,x\n";
        assert!(
            first_error(lf).starts_with("t.csv:5:2: column 'b'"),
            "{}",
            first_error(lf)
        );
        let crlf = lf.replace('\n', "\r\n");
        assert!(
            first_error(&crlf).starts_with("t.csv:5:2: column 'b'"),
            "{}",
            first_error(&crlf)
        );
        // Line ends of classic Mac OS; a lone \r inside a cell is refused as a control
        // character, so this file has none.
        let cr = "note,b\r1,2\r3,x\r";
        assert!(
            first_error(cr).starts_with("t.csv:3:2: column 'b'"),
            "{}",
            first_error(cr)
        );
        let bom = format!("\u{feff}{crlf}");
        assert!(
            first_error(&bom).starts_with("t.csv:5:2: column 'b'"),
            "{}",
            first_error(&bom)
        );
    }

    #[test]
    fn a_file_separated_by_semicolons_or_tabs_gets_a_hint() {
        for (text, name) in [("a;b\n1;2\n", "semicolons"), ("a\tb\n1\t2\n", "tabs")] {
            let err = CsvTable::parse("t.csv", text, &["a", "b"], &[])
                .err()
                .unwrap()
                .to_string();
            assert_eq!(
                err,
                format!(
                    "t.csv:1: this file looks separated by {name}; pledge reads comma-separated CSV (save as 'CSV UTF-8 (comma delimited)')"
                )
            );
        }
    }
}
