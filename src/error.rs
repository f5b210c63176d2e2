//! Errors for bad input: every one names where it happened (file, line, column), the key, what
//! was wrong and what is allowed.
//!
//! The library returns [`InputError`] for anything a user can fix by editing a file or a flag;
//! the binary maps it to exit code 2. Line and column numbers are 1-based, as editors show them.

use std::fmt;
use std::path::PathBuf;

/// Where in an input something is: a file (or a flag) and, when known, a line and column.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Location {
    /// The file as the user named it, or a description such as `--goals`.
    pub file: String,
    /// 1-based line, when known.
    pub line: Option<usize>,
    /// 1-based column, when known.
    pub column: Option<usize>,
}

impl Location {
    /// A whole file or flag, with no position inside it.
    pub fn file(file: impl Into<String>) -> Self {
        Location {
            file: file.into(),
            line: None,
            column: None,
        }
    }

    /// A line (and optionally a column) in a file.
    pub fn at(file: impl Into<String>, line: usize, column: Option<usize>) -> Self {
        Location {
            file: file.into(),
            line: Some(line),
            column,
        }
    }

    /// The location of byte `offset` in `source`, counting lines and columns (in characters).
    pub fn from_offset(file: impl Into<String>, source: &str, offset: usize) -> Self {
        let offset = offset.min(source.len());
        let before = &source[..offset];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let column = before[line_start..].chars().count() + 1;
        Location::at(file, line, Some(column))
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(column) = self.column {
                write!(f, ":{column}")?;
            }
        }
        Ok(())
    }
}

/// Input a user must fix: a scenario, a data file or a flag.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum InputError {
    /// A value, key or file content is invalid.
    #[error("{location}: {message}")]
    Invalid {
        /// Where the problem is.
        location: Location,
        /// What was wrong and what is allowed.
        message: String,
    },
    /// A file could not be read.
    #[error("{path}: cannot read: {source}")]
    Read {
        /// The file.
        path: PathBuf,
        /// The operating system's reason.
        source: std::io::Error,
    },
}

impl InputError {
    /// An invalid-input error at `location`.
    pub fn invalid(location: Location, message: impl Into<String>) -> Self {
        InputError::Invalid {
            location,
            message: message.into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_become_one_based_lines_and_columns() {
        let src = "a = 1\nbé = 2\n";
        assert_eq!(Location::from_offset("f", src, 0).to_string(), "f:1:1");
        assert_eq!(Location::from_offset("f", src, 6).to_string(), "f:2:1");
        // 'é' is two bytes but one column.
        assert_eq!(Location::from_offset("f", src, 10).to_string(), "f:2:4");
        assert_eq!(Location::file("--goals").to_string(), "--goals");
    }
}
