//! Production lines at risk, as the terminal summary and the report page list them: read
//! from the `shortfall_prob` rows of the results, nothing estimated.

/// The probability of demand above capacity from which a production line is named in the
/// risk lists of the terminal summary and the report page: 10% in any year.
pub const RISK_PROBABILITY: f64 = 0.10;

/// Slack below [`RISK_PROBABILITY`] for a mean that is a ratio of whole counts (1,000 runs
/// in 10,000 is 10%, whatever the rounding of the sum).
const RISK_SLACK: f64 = 1e-9;

/// One production line under one goal, as the risk lists show it: read from its
/// `shortfall_prob` rows, nothing estimated.
#[derive(Debug, Clone, PartialEq)]
pub struct LineRisk {
    /// The highest probability of demand above capacity (mean of `shortfall_prob` over
    /// runs) in any year; `None` without Monte Carlo runs.
    pub peak: Option<(f64, i32)>,
    /// Years in which the plan's demand is above capacity (plan `shortfall_prob` is 1).
    pub plan_short: Vec<i32>,
}

impl LineRisk {
    /// From `(year, plan shortfall_prob, mean shortfall_prob if runs were made)`, in year
    /// order. The peak year is the first year of the highest probability.
    pub fn new(years: impl IntoIterator<Item = (i32, f64, Option<f64>)>) -> LineRisk {
        let mut peak: Option<(f64, i32)> = None;
        let mut plan_short = Vec::new();
        for (year, plan, mean) in years {
            if plan >= 1.0 {
                plan_short.push(year);
            }
            if let Some(p) = mean
                && peak.is_none_or(|(best, _)| p > best)
            {
                peak = Some((p, year));
            }
        }
        LineRisk { peak, plan_short }
    }

    /// Whether the line belongs in a risk list: its probability reaches
    /// [`RISK_PROBABILITY`] in some year; without runs, its plan is short in some year.
    pub fn listed(&self) -> bool {
        match self.peak {
            Some((p, _)) => p >= RISK_PROBABILITY - RISK_SLACK,
            None => !self.plan_short.is_empty(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_risk_is_its_peak_and_the_years_the_plan_is_short() {
        let risk = LineRisk::new([
            (2025, 0.0, Some(0.0)),
            (2026, 1.0, Some(0.3)),
            (2027, 1.0, Some(0.45)),
            (2028, 0.0, Some(0.45)),
            (2029, 1.0, Some(0.2)),
        ]);
        assert_eq!(risk.peak, Some((0.45, 2027)), "the first year of the peak");
        assert_eq!(risk.plan_short, [2026, 2027, 2029]);
        assert!(risk.listed());
        let low = LineRisk::new([(2025, 1.0, Some(0.05)), (2026, 0.0, Some(0.099))]);
        assert!(!low.listed(), "below 10% in every year, whatever the plan");
        assert!(
            LineRisk::new([(2025, 0.0, Some(0.1))]).listed(),
            "10% is reached"
        );
        assert!(
            LineRisk::new([(2025, 1.0, None)]).listed(),
            "no runs: the plan"
        );
        assert!(!LineRisk::new([(2025, 0.0, None)]).listed());
    }
}
