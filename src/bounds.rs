//! Every numeric range the inputs are checked against, in one place, with the words used to
//! tell a user what is allowed. Data files and scenario files share these.
//!
//! # Why every output stays finite
//!
//! The ranges are wide enough for any study, and narrow enough that no accepted input makes an
//! output infinite or NaN. The model multiplies yearly factors and divides by three things:
//! a group's GDP (its core share of GDP), a unit cost (demand is money over cost) and a
//! capacity (`backlog_years`). In powers of ten over at most [`MAX_PROJECTED_YEARS`] = 100
//! years:
//!
//! - GDP starts between `1e-3` and `1e6` USD bn ([`GDP_USD_BN`]); growth draws are floored at
//!   -99% a year (`mc::sampler::FLOOR_PCT`), so GDP stays above `1e-3 * 0.01^100 = 1e-203`.
//!   The mean is at most 50% a year (`1.5^100 = 4e17`), and a wide spread ([`GROWTH_SD_PCT`]
//!   times [`SD_SCALE`]) mostly lowers GDP, since draws below -99% are raised to it.
//! - Money is at most 100% of GDP, times 1000 for USD millions: about `1e27` in the plan.
//! - Unit costs start at no less than USD 1 ([`UNIT_COST_MUSD`]); prices fall by at most 99%
//!   a year, half on average at the lowest mean; the lognormal spread ([`COST_SIGMA`]) moves
//!   cost by `exp(3 * z * sqrt(10))`, about `1e-16` at `z = -4`.
//! - Capacity starts at no less than `1e-3` units a year ([`CAPACITY_UNITS_PER_YEAR`]) and
//!   shrinks by at most half a year ([`CAPACITY_GROWTH_PCT`]): above `1e-3 * 0.5^100 = 8e-34`.
//!
//! The largest value is then `backlog_years` of a line at the smallest cost and capacity fed
//! by the largest ally: about `1e136` in the runs of `tests/it/hostile_input.rs`, which sets
//! every range at its end, against `1.8e308` for an `f64`. With capacity allowed to shrink by
//! 99% a year, the same test reached `7e305`, and 200 projected years overflowed outright.
//! The category mix (`MIX_*`) is a Dirichlet draw whose gamma shapes must be positive.

/// An allowed closed range for a number, and what the number is.
#[derive(Debug, Clone, Copy)]
pub struct Bound {
    /// Smallest allowed value.
    pub min: f64,
    /// Largest allowed value.
    pub max: f64,
    /// When true, `min` itself is not allowed: the value must be greater than it.
    pub min_exclusive: bool,
    /// What the number is, for messages: "a percentage of GDP".
    pub what: &'static str,
}

impl Bound {
    /// `value` if it is finite and within the range, else a message saying what is allowed.
    pub fn check(&self, value: f64) -> Result<f64, String> {
        let above_min = if self.min_exclusive {
            value > self.min
        } else {
            value >= self.min
        };
        let (shown, min, max) = (show(value), show(self.min), show(self.max));
        if value.is_finite() && above_min && value <= self.max {
            Ok(value)
        } else if self.min_exclusive {
            Err(format!(
                "{shown} is out of range; expected {} greater than {min} and at most {max}",
                self.what
            ))
        } else {
            Err(format!(
                "{shown} is out of range; expected {} between {min} and {max}",
                self.what
            ))
        }
    }
}

/// A number for a message: plain decimals, or the exponent form for very small or very
/// large magnitudes (`5e-324`, not 324 digits).
fn show(value: f64) -> String {
    let magnitude = value.abs();
    if magnitude != 0.0 && !(1e-6..1e15).contains(&magnitude) {
        format!("{value:e}")
    } else {
        format!("{value}")
    }
}

const fn bound(min: f64, max: f64, what: &'static str) -> Bound {
    Bound {
        min,
        max,
        min_exclusive: false,
        what,
    }
}

/// A range whose lower end is excluded: `(min, max]`.
const fn above(min: f64, max: f64, what: &'static str) -> Bound {
    Bound {
        min,
        max,
        min_exclusive: true,
        what,
    }
}

/// GDP of an ally in the base year: at least USD 1 million, since a group's core share of
/// GDP divides by its GDP.
pub const GDP_USD_BN: Bound = bound(1.0e-3, 1.0e6, "GDP in current USD billions");
/// A share of GDP (defence spending, goals).
pub const PCT_GDP: Bound = bound(0.0, 100.0, "a percentage of GDP");
/// A share of defence spending (equipment).
pub const PCT_OF_DEFENCE: Bound = bound(0.0, 100.0, "a percentage of defence spending");
/// Mean real GDP growth.
pub const GROWTH_MEAN_PCT: Bound = bound(-50.0, 50.0, "annual real growth in percent");
/// Standard deviation of real GDP growth.
pub const GROWTH_SD_PCT: Bound = bound(0.0, 50.0, "a standard deviation in percentage points");
/// An amount of money in a data table, USD millions.
pub const USD_MILLIONS: Bound = bound(0.0, 1.0e9, "an amount in USD millions");
/// Unit cost of an item: at least USD 1, since demand is money divided by it (a cost of
/// `5e-324` made demand infinite).
pub const UNIT_COST_MUSD: Bound = bound(1.0e-6, 1.0e6, "a unit cost in USD millions");
/// Spread of the lognormal unit-cost multiplier.
pub const COST_SIGMA: Bound = bound(0.0, 3.0, "a lognormal sigma (0 = no uncertainty)");
/// Base-year capacity of a production line, and an announced capacity: at least one unit in
/// a thousand years, since `backlog_years` divides by capacity.
pub const CAPACITY_UNITS_PER_YEAR: Bound = bound(1.0e-3, 1.0e12, "a capacity in units per year");
/// Annual growth of capacity. A line that loses more than half its capacity every year is
/// closing; a closure is an announced capacity (`capacity_plan`). The floor keeps capacity
/// after [`MAX_PROJECTED_YEARS`] above `1e-33` of its start.
pub const CAPACITY_GROWTH_PCT: Bound = bound(-50.0, 1000.0, "capacity growth in % per year");
/// Years before new capacity produces.
pub const LEAD_YEARS: Bound = bound(0.0, 50.0, "a lead time in years");
/// Fraction of a group's category spending that reaches an item.
pub const ALPHA: Bound = above(0.0, 1.0, "a fraction of the buyers' category spending");
/// Units an item's buyers take in the base year.
pub const BASE_DEMAND_UNITS: Bound =
    above(0.0, 1.0e12, "a number of units bought in the base year");
/// Share of an announced capacity increase that materialises.
pub const PLAN_ATTAINMENT: Bound = bound(
    0.0,
    1.0,
    "a plan attainment (the share of an announced capacity increase delivered)",
);
/// Compliance lag.
pub const LAG_YEARS: Bound = bound(0.0, 50.0, "a lag in years");
/// Attainment of a goal: 1 means fully reached.
pub const ATTAINMENT: Bound = above(
    0.0,
    1.0,
    "an attainment (the share of the step to the goal that is made)",
);
/// Standard deviation of the yearly step of an ally's share drift.
pub const DRIFT_PP: Bound = bound(
    0.0,
    5.0,
    "a share drift in percentage points of GDP per year",
);
/// Correlation of GDP growth shocks across allies.
pub const CORRELATION: Bound = bound(0.0, 1.0, "a correlation");
/// Scale applied to every ally's growth standard deviation.
pub const SD_SCALE: Bound = bound(0.0, 10.0, "a scale factor");
/// Mean defence cost inflation above the GDP deflator.
pub const INFLATION_MEAN_PCT: Bound = bound(-50.0, 50.0, "a rate in % per year");
/// Standard deviation of defence cost inflation.
pub const INFLATION_SD_PCT: Bound = bound(0.0, 50.0, "a standard deviation in % per year");
/// A share of the equipment category mix.
pub const MIX_SHARE: Bound = bound(0.0, 1.0, "a fraction");
/// A share of the mix that is not 0: at least `1e-6`, the tolerance of the shares' sum, so
/// that a positive concentration times a share is a gamma shape `rand_distr` can use (a share
/// of `5e-324` made it 0).
pub const MIX_SHARE_POSITIVE: Bound = bound(1.0e-6, 1.0, "a fraction of 0, or one");
/// Dirichlet concentration of the category mix: 0 keeps the mix fixed; any other value lies
/// in [`MIX_CONCENTRATION_POSITIVE`].
pub const MIX_CONCENTRATION: Bound = bound(0.0, 1.0e9, "a Dirichlet concentration (0 = fixed mix)");
/// A positive Dirichlet concentration: at least `1e-3`. Each category draws
/// `Gamma(concentration * share, 1)`, and rand_distr's `Gamma::new` refuses a shape that is
/// not positive: `[mix] concentration = 5e-324` made every shape 0 and panicked in the
/// sampler. With at least `1e-3` and shares of at least `1e-6`, every shape is at least
/// `1e-9`. Below about 0.01 the mix is already all in one category in almost every run
/// (or, when every gamma draw underflows to 0, the run keeps the central shares), so nothing
/// is lost. At most `1e9`: then the mix barely moves from the central shares.
pub const MIX_CONCENTRATION_POSITIVE: Bound = bound(
    1.0e-3,
    1.0e9,
    "a Dirichlet concentration of 0 (a fixed mix), or one",
);

/// Largest scenario file read, in bytes: 1 MiB. A scenario is hand-written TOML; the longest
/// shipped one is under 4 KiB, and a thousand items fit in well under 1 MiB. The limit turns a
/// wrong path (a log, a dump, `/dev/zero`) into a message instead of a parse of gigabytes.
pub const SCENARIO_FILE_BYTES: u64 = 1 << 20;
/// Largest data CSV read (allies, items, capacity plans, declared plans, history), in bytes:
/// 16 MiB. The largest builtin table, `history.csv`, is about 17 KiB; 16 MiB holds hundreds
/// of thousands of rows, far more than any table of allies or items, while keeping the text
/// and its parse a small fraction of memory.
pub const DATA_CSV_BYTES: u64 = 16 << 20;
/// Largest `result.json` read (`pledge report`, `pledge export`): the run limits keep a run's
/// files under 1 GB (`app::estimate`), so this bound is never what stops a real result.
pub const RESULT_JSON_BYTES: u64 = 1 << 30;

/// Latest year accepted for a horizon or a target year.
pub const LAST_YEAR: i64 = 2100;
/// Earliest base year of a dataset (`[data] base_year`).
pub const FIRST_BASE_YEAR: i32 = 1900;
/// Latest base year of a dataset: the projection needs at least one year after it, by
/// [`LAST_YEAR`].
pub const LAST_BASE_YEAR: i32 = LAST_YEAR as i32 - 1;
/// Most years projected after the base year. Growth, prices and capacity compound once a
/// year, so every value's range in powers of ten grows with the number of years; 100 years
/// (more than the 75 from the builtin base year to [`LAST_YEAR`]) keeps every output
/// finite at the extremes of every other bound (see the module documentation).
pub const MAX_PROJECTED_YEARS: i32 = 100;

/// The latest horizon for data of `base_year`: [`MAX_PROJECTED_YEARS`] on, by [`LAST_YEAR`].
pub fn last_horizon(base_year: i32) -> i32 {
    (base_year + MAX_PROJECTED_YEARS).min(LAST_YEAR as i32)
}
/// Most values one run of a scenario may describe: goals x years x (group and item metrics).
/// A sanity bound on the file, not the run limit: before a run, `app::estimate` sets the
/// memory, time and output size against limits that `--allow-large` lifts (each value's
/// statistics and rows take a few KB: 5 goals to 2100 on the builtin data, 137,000 values,
/// took 0.5 GB). Five million values allow about 180 goals to 2100 or 1,300 to 2035, and
/// refuse at once a 1 MiB file of thousands of goals, whose layout alone would take GBs.
pub const MAX_VALUES_PER_RUN: u64 = 5_000_000;
/// Most allies in a dataset. ISO 3166 lists 249 countries; a thousand leaves room for
/// regions or hypothetical members, and keeps the checks that pair allies with groups and
/// items (some quadratic in the number of allies) to well under a second.
pub const MAX_ALLIES: usize = 1_000;
/// Most items (production lines) in a scenario, from its items CSV and its `[[item]]`
/// tables. The builtin list has 8; ten thousand keeps a 16 MiB items CSV from being parsed
/// into hundreds of thousands of lines that no run could hold.
pub const MAX_ITEMS: usize = 10_000;
/// Most Monte Carlo runs accepted.
pub const MAX_RUNS: u64 = 1_000_000_000;

/// `n` as a number of runs, or why it is not one: `"{n} is out of range; expected 1 to
/// {MAX_RUNS}"`. Serves the scenario's `runs` and the `--runs` and `--max-runs` flags.
pub fn runs(n: i128) -> Result<u64, String> {
    u64::try_from(n)
        .ok()
        .filter(|&runs| (1..=MAX_RUNS).contains(&runs))
        .ok_or_else(|| format!("{n} is out of range; expected 1 to {MAX_RUNS}"))
}
