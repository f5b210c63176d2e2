//! The aggregate export for industry (`pledge export DIR --shareable`): production-demand
//! signals per item, goal and year, read from a finished run's `result.json`, with nothing in
//! them from which one ally's figures can be recovered.
//!
//! `summary.csv` and `result.json` hold every ally's spending; this module writes what may
//! leave the building instead. Method (the usual rules of statistical disclosure control for
//! magnitude tables: Hundepool et al., *Statistical Disclosure Control*, Wiley 2012, chapter
//! 4; Eurostat's *Handbook on Statistical Disclosure Control*, 2010):
//!
//! - **What is published.** Per item: its label, unit, category and the number of allies in
//!   its buyers group; per goal and year: demand as P10, P50 and P90 rounded to 2 significant
//!   figures, capacity the same way (capacity is industry's own), and the probability that
//!   demand exceeds capacity rounded to 5 percentage points. No money metric of any group,
//!   no group name, no ally code, no override, title, note, source or file path.
//! - **Threshold rule.** An item's demand is a function of its buyers' equipment spending, so
//!   every published item is bought by at least `k` allies that spend on equipment
//!   ([`Rules::min_allies`], default 5).
//! - **Dominance rule.** No ally holds more than `p`% ([`Rules::max_share_pct`], default 50)
//!   of the buyers' **base-year equipment spending** (`defence_pct_gdp * gdp_usd_bn *
//!   equipment_pct`, [`crate::data::base_year::base_equipment_musd`]): the proxy for an ally's
//!   contribution to an item's demand (demand is calibrated on that money, MODEL.md section 4).
//! - **Complementary suppression across groups.** Items bought by different groups must not
//!   give an ally's figures by difference: every combination `g ± a (± b)` of a buyers group
//!   with one or two already published ones, seen as a signed sum of allies, must either
//!   cancel out or pass both rules above (so a difference of fewer than `k` allies, or one
//!   dominated by one ally, is refused). Groups are taken largest first (most allies with
//!   equipment spending, then most spending, then name), so of two groups that may not both be
//!   published the larger one is.
//! - **Across goals.** Two goals differ by the allies whose spending differs between them. For
//!   each item, a goal is published only if, against every earlier goal published for that
//!   item, the buyers whose equipment spending differs (any year, plan or statistics) are
//!   none, or at least `k` with none holding more than `p`% of the change (the sum over
//!   years of the absolute differences of the plan and the mean): a goal that differs from
//!   another only by one ally's override would otherwise give that ally's change by
//!   difference. Years of one item are published together (they never isolate an ally).
//! - **Text.** Goal and item ids, labels and units are user text; one that names an ally (an
//!   ISO3 code as a word, or a name, in any case) is replaced by a neutral one.
//!
//! The withheld items and goals are listed with the rule and the reason, in counts only.

mod disclosure;
mod document;
mod rounding;
mod text;

pub use disclosure::{Decisions, GroupVerdict, Rule, Withholding, decide};
pub use document::{
    FORMAT, FORMAT_VERSION, PROBABILITY_STEP_PCT, SIGNIFICANT_FIGURES, json_bytes, shareable,
    shareable_json,
};
pub use rounding::{round_probability_pct, round_significant};
pub use text::names_an_ally;

use crate::error::{InputError, Location};

/// The disclosure rules of an export, validated.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rules {
    min_allies: usize,
    max_share_pct: f64,
}

impl Rules {
    /// The default least number of allies behind a published figure.
    pub const DEFAULT_MIN_ALLIES: i64 = 5;
    /// The default largest share of one ally in a published figure, %.
    pub const DEFAULT_MAX_SHARE_PCT: f64 = 50.0;

    /// Checks the rules: `min_allies` at least 2 (the figure of one ally is that ally's),
    /// `max_share_pct` greater than 0 and at most 100. Errors name the flag.
    pub fn new(min_allies: i64, max_share_pct: f64) -> Result<Rules, InputError> {
        if min_allies < 2 {
            return Err(InputError::invalid(
                Location::file("--min-allies"),
                format!(
                    "{min_allies} is out of range; expected a whole number of allies of at least \
                     2 (a figure of one ally is that ally's figure)"
                ),
            ));
        }
        if !(max_share_pct > 0.0 && max_share_pct <= 100.0) {
            return Err(InputError::invalid(
                Location::file("--max-share-pct"),
                format!(
                    "{max_share_pct} is out of range; expected a percentage greater than 0 and \
                     at most 100"
                ),
            ));
        }
        Ok(Rules {
            min_allies: usize::try_from(min_allies).expect("checked positive"),
            max_share_pct,
        })
    }

    /// The least number of allies (with base-year equipment spending) behind any published
    /// figure, and behind any difference of published figures: `k`.
    pub fn min_allies(&self) -> usize {
        self.min_allies
    }

    /// The largest share, %, one ally may hold of a published figure or difference: `p`.
    pub fn max_share_pct(&self) -> f64 {
        self.max_share_pct
    }
}

impl Default for Rules {
    fn default() -> Self {
        Rules::new(Self::DEFAULT_MIN_ALLIES, Self::DEFAULT_MAX_SHARE_PCT)
            .expect("the defaults are valid")
    }
}

#[cfg(test)]
mod tests {
    use super::Rules;

    #[test]
    fn rules_refuse_one_ally_and_shares_outside_0_to_100() {
        assert!(Rules::new(1, 50.0).is_err());
        assert!(Rules::new(-3, 50.0).is_err());
        assert!(Rules::new(2, 0.0).is_err());
        assert!(Rules::new(2, 100.5).is_err());
        assert!(Rules::new(2, f64::NAN).is_err());
        assert!(Rules::new(2, -10.0).is_err());
        let rules = Rules::new(2, 100.0).unwrap();
        assert_eq!((rules.min_allies(), rules.max_share_pct()), (2, 100.0));
        assert_eq!(Rules::default(), Rules::new(5, 50.0).unwrap());
        let message = Rules::new(1, 50.0).unwrap_err().to_string();
        assert!(
            message.starts_with("--min-allies: 1 is out of range"),
            "{message}"
        );
    }
}
