//! Reading input files safely: only regular files, never more than a stated number of bytes,
//! and only UTF-8 text. Every reader of user files goes through here, so that a wrong path
//! (a named pipe, a device such as `/dev/zero`, a folder, a multi-gigabyte log) gets a clear
//! message instead of a hang, an exhausted memory or a garbled parse.
//!
//! The limits live in [`crate::bounds`] with their reasons. The file's type is checked with
//! `std::fs::metadata` before it is opened, because opening a FIFO for reading blocks until a
//! writer appears. A file swapped for a FIFO between that check and the open could still
//! block; input files are the user's own, so this module guards against mistakes, not against
//! an adversary racing the check. Whatever the file turns out to be, at most `limit + 1`
//! bytes are read.
//!
//! It also holds the rule for text values ([`check_text`]): no control characters, so that a
//! title, a label or a cell cannot move the cursor, recolour a terminal or hide text when
//! pledge prints it back.

use crate::error::{InputError, Location};
use std::io::Read;
use std::path::Path;

/// The bytes of the regular file at `path`, refused when the file is not a regular file or
/// holds more than `limit_bytes` bytes. `what` names the kind of file for messages ("a
/// scenario file").
pub fn read_bytes(path: &Path, limit_bytes: u64, what: &str) -> Result<Vec<u8>, InputError> {
    let read_error = |source| InputError::Read {
        path: path.to_path_buf(),
        source,
    };
    let file_type = std::fs::metadata(path).map_err(read_error)?.file_type();
    if !file_type.is_file() {
        return Err(InputError::invalid(
            Location::file(path.display().to_string()),
            format!(
                "cannot read: it is {}, not a regular file; expected {what}",
                describe_type(&file_type)
            ),
        ));
    }
    let file = std::fs::File::open(path).map_err(read_error)?;
    let mut bytes = Vec::new();
    file.take(limit_bytes.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(read_error)?;
    if bytes.len() as u64 > limit_bytes {
        return Err(InputError::invalid(
            Location::file(path.display().to_string()),
            format!(
                "cannot read: it is larger than {}, the most pledge reads for {what}",
                format_bytes(limit_bytes)
            ),
        ));
    }
    Ok(bytes)
}

/// The text of the regular file at `path`: [`read_bytes`], then refused unless it is UTF-8,
/// naming the line and column of the first byte that is not.
pub fn read_text(path: &Path, limit_bytes: u64, what: &str) -> Result<String, InputError> {
    let bytes = read_bytes(path, limit_bytes, what)?;
    // Spreadsheets save "Unicode text" as UTF-16, which starts with a byte order mark.
    if bytes.starts_with(&[0xff, 0xfe]) || bytes.starts_with(&[0xfe, 0xff]) {
        return Err(InputError::invalid(
            Location::file(path.display().to_string()),
            format!(
                "cannot read: it is UTF-16 text (it starts with a UTF-16 byte order mark); expected {what} saved as UTF-8"
            ),
        ));
    }
    String::from_utf8(bytes).map_err(|e| {
        let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
        let valid = std::str::from_utf8(valid).expect("the prefix up to valid_up_to is UTF-8");
        // The column of the offset is that of the first byte that is not UTF-8. The whole
        // file is refused, so the location is the file's and the position is in the words.
        let at = Location::from_offset("", valid, valid.len());
        InputError::invalid(
            Location::file(path.display().to_string()),
            format!(
                "cannot read: it is not UTF-8 text (the first byte that is not is at line {}, column {}); expected {what} saved as UTF-8",
                at.line.unwrap_or(1),
                at.column.unwrap_or(1)
            ),
        )
    })
}

/// What a file that is not a regular file is, in words.
fn describe_type(file_type: &std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if file_type.is_fifo() {
            return "a named pipe (FIFO)";
        }
        if file_type.is_char_device() {
            return "a character device";
        }
        if file_type.is_block_device() {
            return "a block device";
        }
        if file_type.is_socket() {
            return "a socket";
        }
    }
    if file_type.is_dir() {
        "a folder"
    } else {
        "a special file"
    }
}

/// `bytes` in words: `1 MiB`, `16 MiB`, `512 KiB` or `100 bytes`.
pub fn format_bytes(bytes: u64) -> String {
    const KIB: u64 = 1024;
    const MIB: u64 = 1024 * KIB;
    if bytes >= MIB && bytes.is_multiple_of(MIB) {
        format!("{} MiB", bytes / MIB)
    } else if bytes >= KIB && bytes.is_multiple_of(KIB) {
        format!("{} KiB", bytes / KIB)
    } else {
        format!("{bytes} bytes")
    }
}

/// Where a text value may break lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextKind {
    /// Titles, labels, ids, names, units, codes and paths: one line, no control character.
    OneLine,
    /// Free text (`source`, `notes`): line breaks (`\n`, or `\r\n` as Windows writes them)
    /// and tabs as well, but no other control character.
    MultiLine,
}

/// Checks that `text` holds no control character (Unicode category Cc: `U+0000`-`U+001F`,
/// `U+007F`-`U+009F`), no bidirectional embedding, override or isolate (`U+202A`-`U+202E`,
/// `U+2066`-`U+2069`, which make text display in another order than it reads) and, in
/// one-line text, no line or paragraph separator (`U+2028`, `U+2029`). `MultiLine` text may
/// also hold `\n`, `\r\n` and `\t`. The error says which character, where, and what is
/// allowed.
pub fn check_text(text: &str, kind: TextKind) -> Result<(), String> {
    let mut chars = text.chars().enumerate().peekable();
    while let Some((index, c)) = chars.next() {
        let allowed = match (kind, c) {
            (TextKind::MultiLine, '\n' | '\t') => true,
            (TextKind::MultiLine, '\r') => chars.peek().is_some_and(|&(_, next)| next == '\n'),
            _ => !refused(c),
        };
        if !allowed {
            let expected = match kind {
                TextKind::OneLine => "expected one line of text without control characters",
                TextKind::MultiLine => {
                    "expected text whose only control characters are line breaks and tabs"
                }
            };
            return Err(format!(
                "holds {}, at character {}; {expected}",
                describe_char(c),
                index + 1
            ));
        }
    }
    Ok(())
}

/// `text` with `\r\n` line ends as `\n`, for free text read from files saved on Windows.
pub fn normalise_line_ends(text: &str) -> String {
    text.replace("\r\n", "\n")
}

/// Whether `c` is refused in any text value.
fn refused(c: char) -> bool {
    c.is_control() || is_bidi_control(c) || matches!(c, '\u{2028}' | '\u{2029}')
}

fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// A refused character in words: `a control character, U+001B (escape)`.
fn describe_char(c: char) -> String {
    let code = format!("U+{:04X}", u32::from(c));
    let name = match c {
        '\0' => Some("NUL"),
        '\t' => Some("tab"),
        '\n' => Some("line feed"),
        '\r' => Some("carriage return"),
        '\u{1b}' => Some("escape"),
        '\u{7f}' => Some("delete"),
        '\u{2028}' => Some("line separator"),
        '\u{2029}' => Some("paragraph separator"),
        _ => None,
    };
    let kind = if is_bidi_control(c) {
        "a bidirectional formatting character"
    } else if c.is_control() {
        "a control character"
    } else {
        "a line break"
    };
    match name {
        Some(name) => format!("{kind}, {code} ({name})"),
        None => format!("{kind}, {code}"),
    }
}

/// Longest text [`shown`] echoes whole.
const SHOWN_CHARS: usize = 60;

/// `text` as a message echoes it: control characters escaped ([`escape_controls`]) and text
/// longer than 60 characters cut, with its length, so that a stray megabyte on one line does
/// not fill the terminal.
pub fn shown(text: &str) -> String {
    let count = text.chars().count();
    if count <= SHOWN_CHARS {
        return escape_controls(text).into_owned();
    }
    let head: String = text.chars().take(SHOWN_CHARS - 10).collect();
    format!("{}... ({count} characters)", escape_controls(&head))
}

/// `message` (from a check that quotes the text it refused, as `'text'`) with that quote as
/// [`shown`] gives it.
pub fn shown_in(message: &str, text: &str) -> String {
    message.replace(&format!("'{text}'"), &format!("'{}'", shown(text)))
}

/// `text` with every character [`check_text`] refuses written as `\u{..}`, for echoing text
/// that was not checked (a parser's message) to a terminal.
pub fn escape_controls(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.chars().any(refused) {
        return std::borrow::Cow::Borrowed(text);
    }
    text.chars()
        .map(|c| {
            if refused(c) {
                c.escape_unicode().to_string()
            } else {
                c.to_string()
            }
        })
        .collect::<String>()
        .into()
}

/// serde's type names in words a user knows.
/// Names quoted in backticks (serde's "unknown field `name`") are echoed as [`shown`]
/// gives them.
pub fn plain_words(message: &str) -> String {
    let quoted: Vec<String> = message
        .split('`')
        .enumerate()
        .map(|(i, part)| {
            if i % 2 == 1 {
                shown(part)
            } else {
                escape_controls(part).into_owned()
            }
        })
        .collect();
    quoted
        .join("`")
        .replace("expected f64", "expected a number")
        .replace("expected i64", "expected a whole number")
        .replace("expected a string", "expected text in quotes")
}

/// Up to ten of `names`, and how many more, for messages that list what is allowed.
pub fn some_of<'a>(names: impl Iterator<Item = &'a str>) -> String {
    let names: Vec<&str> = names.collect();
    let shown = names.len().min(10);
    let mut list = names[..shown].join(", ");
    if names.len() > shown {
        list.push_str(&format!(" and {} more", names.len() - shown));
    }
    list
}

/// Refuses a control character in any key or string of a parsed TOML value, located at it:
/// one-line text everywhere but in the keys named in `free_text_keys` (and below them), which
/// may hold line breaks. `path` is the dotted key the value sits at, for the message.
pub struct TomlText<'a> {
    /// The file's name, for locations.
    pub file: &'a str,
    /// The file's text, for locations.
    pub text: &'a str,
    /// Keys whose strings may span lines (`source`, `notes`, `note`).
    pub free_text_keys: &'a [&'a str],
}

impl TomlText<'_> {
    /// Checks every key and string of `table`, whose keys sit below the dotted `path`.
    pub fn check_table(&self, table: &toml::de::DeTable, path: &str) -> Result<(), InputError> {
        for (key, value) in table {
            let name = key.get_ref();
            check_text(name, TextKind::OneLine)
                .map_err(|m| self.err(key.span(), format!("key '{}' {m}", shown(name))))?;
            let dotted = if path.is_empty() {
                name.to_string()
            } else {
                format!("{path}.{name}")
            };
            let kind = if self.free_text_keys.contains(&name.as_ref()) {
                TextKind::MultiLine
            } else {
                TextKind::OneLine
            };
            self.check_value(value, &dotted, kind)?;
        }
        Ok(())
    }

    /// Checks every key and string of `value`, at the dotted `path`, as `kind` text.
    pub fn check_value(
        &self,
        value: &toml::Spanned<toml::de::DeValue>,
        path: &str,
        kind: TextKind,
    ) -> Result<(), InputError> {
        use toml::de::DeValue;
        match value.get_ref() {
            DeValue::String(text) => {
                check_text(text, kind).map_err(|m| self.err(value.span(), format!("{path} {m}")))
            }
            DeValue::Array(values) => values
                .iter()
                .try_for_each(|v| self.check_value(v, path, kind)),
            DeValue::Table(table) => self.check_table(table, path),
            _ => Ok(()),
        }
    }

    fn err(&self, span: std::ops::Range<usize>, message: String) -> InputError {
        InputError::invalid(
            Location::from_offset(self.file, self.text, span.start),
            message,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_are_named_in_binary_units() {
        assert_eq!(format_bytes(1 << 20), "1 MiB");
        assert_eq!(format_bytes(16 << 20), "16 MiB");
        assert_eq!(format_bytes(2048), "2 KiB");
        assert_eq!(format_bytes(100), "100 bytes");
    }

    #[test]
    fn a_file_at_the_limit_is_read_and_one_byte_more_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f.txt");
        std::fs::write(&path, "abcd").unwrap();
        assert_eq!(read_text(&path, 4, "a test file").unwrap(), "abcd");
        let err = read_text(&path, 3, "a test file").unwrap_err().to_string();
        assert!(
            err.ends_with("f.txt: cannot read: it is larger than 3 bytes, the most pledge reads for a test file"),
            "{err}"
        );
    }

    #[test]
    fn bad_utf8_is_located() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("latin1.csv");
        std::fs::write(&path, b"a,b\nM\xfcnchen,1\n").unwrap();
        let err = read_text(&path, 100, "a CSV file").unwrap_err().to_string();
        assert!(
            err.ends_with("latin1.csv: cannot read: it is not UTF-8 text (the first byte that is not is at line 2, column 2); expected a CSV file saved as UTF-8"),
            "{err}"
        );
    }

    #[test]
    fn control_characters_are_refused_and_named() {
        let one = |t| check_text(t, TextKind::OneLine);
        let multi = |t| check_text(t, TextKind::MultiLine);
        assert_eq!(one("Défense 2035 — 3.5% «core»"), Ok(()));
        assert_eq!(
            one("red\u{1b}[31m").unwrap_err(),
            "holds a control character, U+001B (escape), at character 4; expected one line of text without control characters"
        );
        assert!(
            one("a\nb")
                .unwrap_err()
                .starts_with("holds a control character, U+000A (line feed), at character 2")
        );
        assert!(one("\u{0}").unwrap_err().contains("U+0000 (NUL)"));
        assert!(
            one("x\u{85}")
                .unwrap_err()
                .contains("a control character, U+0085, at character 2")
        );
        assert!(
            one("abc\u{202e}fed")
                .unwrap_err()
                .contains("a bidirectional formatting character, U+202E")
        );
        assert!(
            one("a\u{2028}")
                .unwrap_err()
                .contains("a line break, U+2028 (line separator)")
        );
        assert_eq!(multi("line one\nline two\r\n\tindented"), Ok(()));
        assert_eq!(
            multi("bell\u{7}").unwrap_err(),
            "holds a control character, U+0007, at character 5; expected text whose only control characters are line breaks and tabs"
        );
        assert!(
            multi("a\rb")
                .unwrap_err()
                .contains("U+000D (carriage return), at character 2")
        );
        assert_eq!(normalise_line_ends("a\r\nb\n"), "a\nb\n");
        assert_eq!(escape_controls("ok"), "ok");
        assert_eq!(shown(&"x".repeat(60)), "x".repeat(60));
        assert_eq!(
            shown(&"y".repeat(1000)),
            format!("{}... (1000 characters)", "y".repeat(50))
        );
        assert_eq!(shown("a\u{1b}b"), "a\\u{1b}b");
        assert_eq!(escape_controls("k\u{1b}[0m"), "k\\u{1b}[0m");
    }

    #[test]
    fn utf16_is_named() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("unicode.txt");
        std::fs::write(&path, b"\xff\xfei\x00s\x00").unwrap();
        let err = read_text(&path, 100, "a CSV file").unwrap_err().to_string();
        assert!(err.ends_with("unicode.txt: cannot read: it is UTF-16 text (it starts with a UTF-16 byte order mark); expected a CSV file saved as UTF-8"), "{err}");
    }

    #[test]
    fn a_folder_is_refused_before_it_is_opened() {
        let dir = tempfile::tempdir().unwrap();
        let err = read_text(dir.path(), 100, "a scenario file")
            .unwrap_err()
            .to_string();
        assert!(
            err.ends_with(
                ": cannot read: it is a folder, not a regular file; expected a scenario file"
            ),
            "{err}"
        );
    }
}
