//! Input that is wrong in ways a parser does not expect: files that are not regular files or are
//! far too large, text that is not UTF-8, control characters, CSV saved by a spreadsheet with
//! other conventions, and numbers at the very ends of their ranges. Each is refused promptly
//! with a located message, or, when accepted, gives finite results.

use pledge::scenario;
use std::path::Path;
use std::sync::mpsc;
use std::time::Duration;

/// How long a refusal may take. A blocked read (a FIFO, `/dev/zero`) would take forever.
const PROMPTLY: Duration = Duration::from_secs(20);

/// `scenario::load(path)`'s error, which must come within [`PROMPTLY`].
#[track_caller]
fn load_error(path: &Path) -> String {
    let (send, receive) = mpsc::channel();
    let owned = path.to_path_buf();
    // A blocked load leaves its thread behind; the test fails without waiting for it.
    std::thread::spawn(move || {
        let result = scenario::load(&owned)
            .map(|_| ())
            .map_err(|e| e.to_string());
        let _ = send.send(result);
    });
    match receive.recv_timeout(PROMPTLY) {
        Ok(Ok(())) => panic!("{}: accepted", path.display()),
        Ok(Err(message)) => message,
        Err(_) => panic!("{}: no answer within {PROMPTLY:?}", path.display()),
    }
}

/// A folder with `scenario.toml` holding `text`.
fn scenario_dir(text: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("scenario.toml"), text).unwrap();
    dir
}

const GOAL: &str = "schema_version = 1\n[[goal]]\nid = \"g\"\nlabel = \"G\"\ncore_pct = 3\n";

/// Makes a named pipe at `path` with Debian's `mkfifo` (coreutils).
fn mkfifo(path: &Path) {
    let status = std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .expect("mkfifo (coreutils) runs");
    assert!(status.success(), "mkfifo {} failed", path.display());
}

#[test]
fn dev_zero_is_refused_as_not_a_regular_file() {
    let err = load_error(Path::new("/dev/zero"));
    assert_eq!(
        err,
        "/dev/zero: cannot read: it is a character device, not a regular file; expected a scenario file"
    );
}

#[test]
fn a_fifo_is_refused_without_blocking() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("scenario.toml");
    mkfifo(&fifo);
    let err = load_error(&fifo);
    assert!(
        err.ends_with(
            "scenario.toml: cannot read: it is a named pipe (FIFO), not a regular file; expected a scenario file"
        ),
        "{err}"
    );
}

#[test]
fn a_folder_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let err = load_error(dir.path());
    assert!(
        err.ends_with(
            ": cannot read: it is a folder, not a regular file; expected a scenario file"
        ),
        "{err}"
    );
}

#[test]
fn a_scenario_over_1_mib_is_refused_naming_the_limit() {
    // Valid TOML all the way: a comment padding the file past the limit.
    let text = format!("{GOAL}# {}\n", "x".repeat(1 << 20));
    let dir = scenario_dir(&text);
    let err = load_error(&dir.path().join("scenario.toml"));
    assert!(
        err.ends_with(
            "scenario.toml: cannot read: it is larger than 1 MiB, the most pledge reads for a scenario file"
        ),
        "{err}"
    );
    // Just under the limit, the same file is read.
    let text = format!("{GOAL}# {}\n", "x".repeat((1 << 20) - GOAL.len() - 3));
    assert_eq!(text.len(), 1 << 20);
    let dir = scenario_dir(&text);
    scenario::load(&dir.path().join("scenario.toml")).unwrap();
}

#[test]
fn a_scenario_that_is_not_utf8_is_refused_at_the_first_bad_byte() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("scenario.toml");
    // "Défense" saved as Latin-1.
    let mut bytes = GOAL.replace("label = \"G\"", "label = \"D").into_bytes();
    let at = bytes.windows(3).position(|w| w == b"\"D\n").unwrap() + 2;
    bytes.splice(at..at, b"\xe9fense\"".iter().copied());
    std::fs::write(&path, &bytes).unwrap();
    let err = load_error(&path);
    assert!(
        err.ends_with(
            "scenario.toml: cannot read: it is not UTF-8 text (the first byte that is not is at line 4, column 11); expected a scenario file saved as UTF-8"
        ),
        "{err}"
    );
}

#[test]
fn a_compliance_file_that_is_a_device_is_refused() {
    let err = scenario::load_compliance(Path::new("/dev/zero"))
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("cannot read: it is a character device, not a regular file"),
        "{err}"
    );
}

#[test]
fn a_data_csv_that_is_not_a_regular_file_is_refused_at_its_key() {
    let dir = tempfile::tempdir().unwrap();
    mkfifo(&dir.path().join("allies.csv"));
    std::fs::write(
        dir.path().join("scenario.toml"),
        format!("{GOAL}[data]\nallies = \"allies.csv\"\nitems = \"/dev/zero\"\n"),
    )
    .unwrap();
    let err = load_error(&dir.path().join("scenario.toml"));
    assert!(err.contains("scenario.toml:7:10: '"), "{err}");
    assert!(
        err.ends_with(
            "allies.csv': cannot read: it is a named pipe (FIFO), not a regular file; expected a CSV file"
        ),
        "{err}"
    );

    // Opening a FIFO to write would block too: remove it first.
    std::fs::remove_file(dir.path().join("allies.csv")).unwrap();
    std::fs::write(
        dir.path().join("allies.csv"),
        pledge::data::builtin::ALLIES_CSV,
    )
    .unwrap();
    let err = load_error(&dir.path().join("scenario.toml"));
    assert_eq!(
        err.split_once("scenario.toml:").map(|(_, rest)| rest),
        Some(
            "8:9: '/dev/zero': cannot read: it is a character device, not a regular file; expected a CSV file"
        ),
        "{err}"
    );
}

#[test]
fn a_data_csv_over_16_mib_is_refused_naming_the_limit() {
    let dir = tempfile::tempdir().unwrap();
    let mut csv = pledge::data::builtin::ITEMS_CSV.to_string();
    csv.push_str(&"\n".repeat((16 << 20) + 1 - csv.len()));
    std::fs::write(dir.path().join("items.csv"), csv).unwrap();
    std::fs::write(
        dir.path().join("scenario.toml"),
        format!("{GOAL}[data]\nitems = \"items.csv\"\n"),
    )
    .unwrap();
    let err = load_error(&dir.path().join("scenario.toml"));
    assert!(err.contains("scenario.toml:7:9: '"), "{err}");
    assert!(
        err.ends_with("items.csv': cannot read: it is larger than 16 MiB, the most pledge reads for a CSV file"),
        "{err}"
    );
}

/// A folder with `allies.csv` holding `csv`, and a scenario that reads it; the error of
/// loading it.
fn allies_error(csv: &str) -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("allies.csv"), csv).unwrap();
    std::fs::write(
        dir.path().join("scenario.toml"),
        format!("{GOAL}[data]\nallies = \"allies.csv\"\nbase_year = 2025\n"),
    )
    .unwrap();
    let err = load_error(&dir.path().join("scenario.toml"));
    (dir, err)
}

/// The builtin allies with the cell `old` of line `line` (1-based) replaced by `new`, and
/// every line ended by `\r\n`, as Excel on Windows saves CSV.
fn crlf_allies(line: usize, old: &str, new: &str) -> String {
    let mut lines: Vec<String> = pledge::data::builtin::ALLIES_CSV
        .lines()
        .map(str::to_string)
        .collect();
    assert!(lines[line - 1].contains(old), "line {line}");
    lines[line - 1] = lines[line - 1].replacen(old, new, 1);
    lines.join("\r\n") + "\r\n"
}

#[test]
fn a_crlf_csv_names_the_right_line() {
    // Line 3 is Belgium, whose GDP is 716.980.
    let (dir, err) = allies_error(&crlf_allies(3, ",716.980,", ",7l6.980,"));
    let file = dir.path().join("allies.csv");
    assert_eq!(
        err,
        format!(
            "{}:3:5: column 'gdp_usd_bn': '7l6.980' is not a number; expected GDP in current USD billions",
            file.display()
        )
    );
    // A record with a missing cell is located the same way.
    let (dir, err) = allies_error(&crlf_allies(4, ",reported,", ","));
    let file = dir.path().join("allies.csv");
    assert!(
        err.starts_with(&format!("{}:4: not valid CSV", file.display())),
        "{err}"
    );
}

#[test]
fn a_csv_separated_by_semicolons_gets_a_hint() {
    let semicolons = pledge::data::builtin::ALLIES_CSV
        .lines()
        .take(3)
        .map(|l| l.replace(',', ";"))
        .collect::<Vec<_>>()
        .join("\n");
    let (dir, err) = allies_error(&semicolons);
    assert_eq!(
        err,
        format!(
            "{}:1: this file looks separated by semicolons; pledge reads comma-separated CSV (save as 'CSV UTF-8 (comma delimited)')",
            dir.path().join("allies.csv").display()
        )
    );
}

#[test]
fn a_horizon_more_than_100_years_after_the_base_year_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("allies.csv"),
        pledge::data::builtin::ALLIES_CSV,
    )
    .unwrap();
    let text = format!("{GOAL}[data]\nallies = \"allies.csv\"\nbase_year = 1990\n");
    let parse = |text: &str| scenario::parse("s.toml", text, dir.path(), "s");
    let err = parse(&text.replace(
        "schema_version = 1\n",
        "schema_version = 1\nhorizon = 2091\n",
    ))
    .unwrap_err()
    .to_string();
    assert_eq!(
        err,
        "s.toml:2:11: horizon = 2091 is out of range; expected a year from 1991 to 2090 (after the data's base year 1990, and at most 100 years after it)"
    );
    // The default horizon, 2035, is brought within reach.
    let s = parse(&text.replace("1990", "1920")).unwrap();
    assert_eq!(s.horizon, 2020);
    let s = parse(&text).unwrap();
    assert_eq!(s.horizon, 2035);
}

#[test]
fn control_characters_in_csv_cells_are_refused_with_the_cell() {
    // An ally's name with an escape sequence that would turn a terminal red.
    let lines = pledge::data::builtin::ALLIES_CSV.replacen(",Belgium,", ",Bel\u{1b}[31mgium,", 1);
    let (dir, err) = allies_error(&lines);
    assert_eq!(
        err,
        format!(
            "{}:3:2: column 'name': holds a control character, U+001B (escape), at character 4; expected one line of text without control characters",
            dir.path().join("allies.csv").display()
        )
    );

    let items = |csv: &str| {
        pledge::data::parse_items("items.csv", csv)
            .unwrap_err()
            .to_string()
    };
    let header = "id,label,unit,category,buyers,alpha,unit_cost_musd,capacity,source,notes\n";
    assert_eq!(
        items(&format!("{header}x,X\u{0},units,land,nato,0.1,1,10,,\n")),
        "items.csv:2:2: column 'label': holds a control character, U+0000 (NUL), at character 2; expected one line of text without control characters"
    );
    assert_eq!(
        items(&format!("{header}x,X,\u{7f}units,land,nato,0.1,1,10,,\n")),
        "items.csv:2:3: column 'unit': holds a control character, U+007F (delete), at character 1; expected one line of text without control characters"
    );
    assert!(
        items(&format!("{header}x,X,units,land,nato,0.1,1,10,\"a\u{8}b\",\n"))
            .starts_with("items.csv:2:9: column 'source': holds a control character, U+0008, at character 2; expected text whose only control characters are line breaks and tabs")
    );
    // Line breaks and tabs in free text are fine; Windows line ends become \n.
    let ok = pledge::data::parse_items(
        "items.csv",
        &format!("{header}x,X,units,land,nato,0.1,1,10,\"first\r\nsecond\",\"a\tb\"\r\n"),
    )
    .unwrap();
    assert_eq!(
        (ok[0].source.as_str(), ok[0].notes.as_str()),
        ("first\nsecond", "a\tb")
    );

    let err = pledge::data::parse_milestones(
        &pledge::data::CAPACITY_PLANS,
        "plans.csv",
        "item,year,capacity,note\nx,2027,10,\"ok\"\nx,2028,10,\"bad\u{1b}\"\n",
        2025,
    )
    .unwrap_err()
    .to_string();
    assert!(
        err.starts_with("plans.csv:3:4: column 'note': holds a control character, U+001B (escape)"),
        "{err}"
    );
    let err = pledge::data::parse_history("history.csv", "iso3\u{1b},year\n")
        .unwrap_err()
        .to_string();
    assert!(
        err.starts_with("history.csv:1:1: column name holds a control character, U+001B (escape), at character 5"),
        "{err}"
    );
}

#[test]
fn free_text_in_a_scenario_may_span_lines_and_crlf_becomes_lf() {
    let text = format!(
        "{GOAL}[[item]]\nid = \"cv90\"\nnotes = \"\"\"first\n\tsecond\"\"\"\nsource = \"a\\tb\"\n"
    )
    .replace('\n', "\r\n");
    let s = scenario::parse("s.toml", &text, Path::new("."), "s").unwrap();
    let cv90 = s.items.iter().find(|i| i.id == "cv90").unwrap();
    assert_eq!(cv90.notes, "first\n\tsecond");
    assert_eq!(cv90.source, "a\tb");
}

#[test]
fn a_data_csv_in_latin1_is_refused_at_its_key_naming_the_first_bad_byte() {
    let dir = tempfile::tempdir().unwrap();
    let csv = "id,category,buyers,alpha,unit_cost_musd,capacity,notes\nx,land,nato,0.1,1,10,M\u{fc}nchen\n";
    let latin1: Vec<u8> = csv.chars().map(|c| c as u8).collect();
    std::fs::write(dir.path().join("items.csv"), latin1).unwrap();
    let err = scenario::parse(
        "s.toml",
        &format!("{GOAL}[data]\nitems = \"items.csv\"\n"),
        dir.path(),
        "s",
    )
    .unwrap_err()
    .to_string();
    assert!(err.starts_with("s.toml:7:9: '"), "{err}");
    assert!(
        err.ends_with("items.csv': cannot read: it is not UTF-8 text (the first byte that is not is at line 2, column 23); expected a CSV file saved as UTF-8"),
        "{err}"
    );
}

#[test]
fn a_duplicate_item_id_in_a_csv_is_located_at_the_second_row() {
    let csv = "id,category,buyers,alpha,unit_cost_musd,capacity\nx,land,nato,0.1,1,10\ny,air,nato,0.1,1,10\nx,air,nato,0.1,1,10\n";
    let err = pledge::data::parse_items("items.csv", csv)
        .unwrap_err()
        .to_string();
    assert_eq!(
        err,
        "items.csv:4:1: column 'id': 'x' appears twice; each item once"
    );
}
