//! The builtin dataset, embedded at compile time: 32 allies and eight production lines, base
//! year 2025, each figure with its source (see `src/data/builtin/SOURCES.md`).

/// The builtin allies CSV, as shipped.
pub const ALLIES_CSV: &str = include_str!("builtin/allies.csv");
/// The builtin items CSV, as shipped.
pub const ITEMS_CSV: &str = include_str!("builtin/items.csv");
/// Base year of the builtin data.
pub const BASE_YEAR: i32 = 2025;
/// The builtin data's vintage, as recorded in every output.
pub const VINTAGE: &str = "builtin 2025: GDP and growth IMF WEO Oct 2025; defence % of GDP \
NATO (SG Annual Report 2025, Mar 2026); items as sourced in items.csv";
/// The name used for builtin tables in messages and provenance.
pub const ORIGIN: &str = "builtin";
