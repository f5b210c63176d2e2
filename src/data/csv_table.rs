//! A small reader for the dataset CSV files that keeps line numbers, so that every bad cell is
//! reported as `file:line:column: column 'name': ...` with what is allowed.

use crate::bounds::Bound;
use crate::error::{InputError, Location};

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
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(true)
            .flexible(false)
            .from_reader(text.trim_start_matches('\u{feff}').as_bytes());
        let csv_error = |e: csv::Error| {
            let line = e.position().map_or(1, |p| p.line() as usize);
            InputError::invalid(
                Location::at(file, line, None),
                format!("not valid CSV: {e}"),
            )
        };
        let header: Vec<String> = reader
            .headers()
            .map_err(csv_error)?
            .iter()
            .map(|h| h.trim().to_string())
            .collect();
        for (index, name) in header.iter().enumerate() {
            let known = required.contains(&name.as_str()) || optional.contains(&name.as_str());
            if !known {
                return Err(InputError::invalid(
                    Location::at(file, 1, Some(index + 1)),
                    format!(
                        "unknown column '{name}'; allowed columns: {}",
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
                    format!("column '{name}' appears twice"),
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
            let record = record.map_err(csv_error)?;
            let line = record.position().map_or(0, |p| p.line() as usize);
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
                format!("'{text}' is not a number; expected {}", bound.what),
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
