//! The baseline dataset (MODEL.md section 2): allies and production lines (items), parsed and
//! validated from CSV, with the builtin copy embedded in the binary.
//!
//! The builtin files live in `src/data/builtin/` beside `SOURCES.md`, the research that backs
//! every figure. A user can print them with `pledge data allies --format csv`, edit them and pass
//! them back with `[data] allies = "path.csv"`.

mod allies;
pub mod base_year;
pub mod builtin;
mod csv_table;
pub mod currency;
pub mod groups;
mod history;
mod items;
mod milestones;
pub mod nato;
pub mod tables;

pub use allies::{ALLY_COLUMNS, Ally, Region, allies_to_csv, parse_allies};
pub use history::{HISTORY_COLUMNS, HistoryRow, history_to_csv, parse_history};
pub use items::{
    Category, DEFAULT_UNIT, ITEM_COLUMNS, Item, PlanPoint, Purchase, items_to_csv, items_to_json,
    parse_items,
};
pub use milestones::{
    CAPACITY_PLANS, DECLARED_PLANS, Milestone, MilestoneKind, milestones_to_csv,
    milestones_to_json, parse_milestones,
};

use serde::{Deserialize, Serialize};

/// Allies that joined NATO in 2004 or later, with the year they joined; the others were
/// members before. NATO's totals for a year count only that year's members.
pub const ACCESSIONS: [(&str, i32); 13] = [
    ("BGR", 2004),
    ("EST", 2004),
    ("LVA", 2004),
    ("LTU", 2004),
    ("ROU", 2004),
    ("SVK", 2004),
    ("SVN", 2004),
    ("ALB", 2009),
    ("HRV", 2009),
    ("MNE", 2017),
    ("MKD", 2020),
    ("FIN", 2023),
    ("SWE", 2024),
];

/// Whether the ally `iso3` was a member of NATO in `year`.
pub fn member_in(iso3: &str, year: i32) -> bool {
    ACCESSIONS
        .iter()
        .find(|(code, _)| *code == iso3)
        .is_none_or(|&(_, joined)| year >= joined)
}

/// A CSV file of `columns` and `records`, as bytes.
fn records_to_csv<const N: usize>(
    columns: &[&str; N],
    records: impl Iterator<Item = [String; N]>,
) -> Vec<u8> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    let failure = "writing CSV to memory cannot fail";
    writer.write_record(columns).expect(failure);
    for record in records {
        writer.write_record(record).expect(failure);
    }
    writer.into_inner().expect(failure)
}

/// Where a table of the dataset came from, for the record in every output.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Provenance {
    /// `builtin` or the path as given in the scenario.
    pub origin: String,
    /// SHA-256 of the file's bytes, hex.
    pub sha256: String,
}

/// The allies and items a scenario runs on, with the base year `B` of the figures.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Dataset {
    /// Base year `B`: the year the figures describe; projections start at `B + 1`.
    pub base_year: i32,
    /// A short description of the data's vintage.
    pub vintage: String,
    /// The allies, in file order.
    pub allies: Vec<Ally>,
    /// Where the allies came from.
    pub allies_provenance: Provenance,
    /// Where the items came from.
    pub items_provenance: Provenance,
    /// Where the announced capacity plans came from (`none` when the scenario turned them
    /// off).
    pub capacity_plans_provenance: Provenance,
    /// Allies' declared core shares by year (MODEL.md v2, `plans.csv`): `(iso3, year, % of
    /// GDP)` for the allies of the dataset, in file order.
    pub declared: Vec<DeclaredPoint>,
    /// Where the declared plans came from (`none` when the scenario turned them off).
    pub plans_provenance: Provenance,
}

/// One declared milestone of an ally's core share.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DeclaredPoint {
    /// The ally.
    pub iso3: String,
    /// The year.
    pub year: i32,
    /// Declared core share, % of GDP.
    pub core_pct: f64,
}

/// Checks a goal or item id: ASCII letters, digits, `_`, `-`, `.` and `+`, starting with a
/// letter or digit, at most 64 characters (ids become file names and CSV cells).
pub fn check_id(id: &str) -> Result<(), String> {
    let ok_char = |c: char| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | '+');
    let well_formed = id.len() <= 64
        && id.chars().next().is_some_and(|c| c.is_ascii_alphanumeric())
        && id.chars().all(ok_char);
    if well_formed {
        Ok(())
    } else {
        Err(format!(
            "id '{id}' is not allowed; expected up to 64 letters, digits, _, -, . or +, starting with a letter or digit"
        ))
    }
}
