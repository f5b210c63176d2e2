//! The builtin dataset, embedded at compile time: 32 allies, eight production lines and their
//! announced capacity plans, base year 2025, each figure with its source (see `src/data/builtin/SOURCES.md`).

/// The builtin allies CSV, as shipped.
pub const ALLIES_CSV: &str = include_str!("builtin/allies.csv");
/// The builtin items CSV, as shipped.
pub const ITEMS_CSV: &str = include_str!("builtin/items.csv");
/// The builtin announced capacity plans CSV, as shipped.
pub const CAPACITY_PLANS_CSV: &str = include_str!("builtin/capacity_plans.csv");
/// The builtin declared plans CSV (allies' paths after the Hague summit), as shipped.
pub const PLANS_CSV: &str = include_str!("builtin/plans.csv");
/// NATO's official 2014-2024 tables (2024 edition) as a history CSV, as shipped.
pub const HISTORY_CSV: &str = include_str!("builtin/history.csv");
/// Base year of the builtin data.
pub const BASE_YEAR: i32 = 2025;
/// The builtin data's vintage, as recorded in every output.
pub const VINTAGE: &str = "builtin 2025 (data v2): GDP and growth IMF WEO Oct 2025; defence % \
of GDP NATO (SG Annual Report 2025, Mar 2026); equipment shares NATO 2024 estimates (2014-2024 \
tables, Table 8a); items and announced capacity plans as sourced in items.csv and \
capacity_plans.csv";
/// The name used for builtin tables in messages and provenance.
pub const ORIGIN: &str = "builtin";
