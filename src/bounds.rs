//! Every numeric range the inputs are checked against, in one place, with the words used to
//! tell a user what is allowed. Data files and scenario files share these.

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
        if value.is_finite() && above_min && value <= self.max {
            Ok(value)
        } else if self.min_exclusive {
            Err(format!(
                "{value} is out of range; expected {} greater than {} and at most {}",
                self.what, self.min, self.max
            ))
        } else {
            Err(format!(
                "{value} is out of range; expected {} between {} and {}",
                self.what, self.min, self.max
            ))
        }
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

/// GDP of an ally in the base year.
pub const GDP_USD_BN: Bound = above(0.0, 1.0e6, "GDP in current USD billions");
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
/// Unit cost of an item.
pub const UNIT_COST_MUSD: Bound = above(0.0, 1.0e6, "a unit cost in USD millions");
/// Spread of the lognormal unit-cost multiplier.
pub const COST_SIGMA: Bound = bound(0.0, 3.0, "a lognormal sigma (0 = no uncertainty)");
/// Base-year capacity of a production line.
pub const CAPACITY_UNITS_PER_YEAR: Bound = above(0.0, 1.0e12, "a capacity in units per year");
/// Annual growth of capacity.
pub const CAPACITY_GROWTH_PCT: Bound = bound(-99.0, 1000.0, "capacity growth in % per year");
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
/// Dirichlet concentration of the category mix.
pub const MIX_CONCENTRATION: Bound = bound(0.0, 1.0e9, "a Dirichlet concentration (0 = fixed mix)");

/// Largest scenario file read, in bytes: 1 MiB. A scenario is hand-written TOML; the longest
/// shipped one is under 4 KiB, and a thousand items fit in well under 1 MiB. The limit turns a
/// wrong path (a log, a dump, `/dev/zero`) into a message instead of a parse of gigabytes.
pub const SCENARIO_FILE_BYTES: u64 = 1 << 20;
/// Largest data CSV read (allies, items, capacity plans, declared plans, history), in bytes:
/// 16 MiB. The largest builtin table, `history.csv`, is about 17 KiB; 16 MiB holds hundreds
/// of thousands of rows, far more than any table of allies or items, while keeping the text
/// and its parse a small fraction of memory.
pub const DATA_CSV_BYTES: u64 = 16 << 20;

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
