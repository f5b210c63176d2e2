//! Exporters: each turns results into bytes; an [`Outbox`] alone decides where they go and
//! writes them as one set that replaces the previous set in its folder whole (the guarantee is
//! documented in `outbox.rs`), so a reader never sees a half-written file or a mix of two runs'
//! files.

mod outbox;
mod result_json;
mod summary_csv;

pub use outbox::{
    Committed, Keep, MANIFEST, Outbox, Previous, SetError, StopFlag, discard_all, real_path,
};
pub use result_json::{input_hash, result_json};
pub use summary_csv::{SUMMARY_COLUMNS, format_number, summary_csv};

/// A number for people: thousands separators and a fixed number of decimals, `1,234.5`;
/// `-` only when a non-zero digit is shown; `n/a` when not finite. Shared by the terminal
/// summary, the charts and the report page.
pub fn grouped(value: f64, decimals: usize) -> String {
    if !value.is_finite() {
        return "n/a".to_string();
    }
    let text = format!("{:.*}", decimals, value.abs());
    let (whole, fraction) = text.split_once('.').unwrap_or((&text, ""));
    let mut out = String::with_capacity(text.len() + whole.len() / 3 + 1);
    if value < 0.0 && text.bytes().any(|c| matches!(c, b'1'..=b'9')) {
        out.push('-');
    }
    for (i, c) in whole.char_indices() {
        if i > 0 && (whole.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    if !fraction.is_empty() {
        out.push('.');
        out.push_str(fraction);
    }
    out
}

/// Consecutive years as ranges joined by `dash`: `2027`, `2027-2029, 2032`; empty for no
/// years. Shared by the terminal summary (`-`) and the report page (an en dash).
pub fn year_ranges(years: &[i32], dash: &str) -> String {
    let mut text = String::new();
    let mut k = 0;
    while k < years.len() {
        let start = years[k];
        while k + 1 < years.len() && years[k + 1] == years[k] + 1 {
            k += 1;
        }
        if !text.is_empty() {
            text.push_str(", ");
        }
        if years[k] == start {
            text.push_str(&start.to_string());
        } else {
            text.push_str(&format!("{start}{dash}{}", years[k]));
        }
        k += 1;
    }
    text
}

/// USD millions as `USD 1,234.5 bn`; a negative amount reads `-USD 12.3 bn`. With `sign`, a
/// positive amount gets a `+` (`+USD 12.3 bn`), as for a difference. Nothing is signed when
/// it rounds to zero.
pub fn usd_bn_text(musd: f64, sign: bool) -> String {
    let digits = grouped(musd.abs() / 1000.0, 1);
    let nonzero = digits.bytes().any(|c| matches!(c, b'1'..=b'9'));
    let prefix = match () {
        _ if !musd.is_finite() => "",
        _ if musd < 0.0 && nonzero => "-",
        _ if sign && musd > 0.0 && nonzero => "+",
        _ => "",
    };
    format!("{prefix}USD {digits} bn")
}

/// A number with a `+` before it when it is positive and shows a non-zero digit, and a `-`
/// when negative (as [`grouped`]): `+1,234.5`, `-12.3`, `0.0`. For differences.
pub fn signed(value: f64, decimals: usize) -> String {
    let text = grouped(value, decimals);
    if value > 0.0 && text.bytes().any(|c| matches!(c, b'1'..=b'9')) {
        format!("+{text}")
    } else {
        text
    }
}

/// A probability (0 to 1) as a whole percentage; `<1%` and `>99%` rather than a misleading
/// 0 or 100.
pub fn percent(p: f64) -> String {
    let pct = 100.0 * p;
    if pct > 0.0 && pct < 0.5 {
        "<1%".to_string()
    } else if (99.5..100.0).contains(&pct) {
        ">99%".to_string()
    } else {
        format!("{pct:.0}%")
    }
}

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
    fn years_collapse_into_ranges() {
        assert_eq!(year_ranges(&[], "-"), "");
        assert_eq!(year_ranges(&[2027], "-"), "2027");
        assert_eq!(
            year_ranges(&[2027, 2028, 2029, 2032, 2034, 2035], "-"),
            "2027-2029, 2032, 2034-2035"
        );
        assert_eq!(
            year_ranges(&[2027, 2028, 2029, 2032, 2034, 2035], "\u{2013}"),
            "2027\u{2013}2029, 2032, 2034\u{2013}2035"
        );
    }

    #[test]
    fn money_reads_negative_as_negative() {
        assert_eq!(usd_bn_text(2_466_812.3, false), "USD 2,466.8 bn");
        assert_eq!(usd_bn_text(2_466_812.3, true), "+USD 2,466.8 bn");
        assert_eq!(usd_bn_text(-12_345.0, true), "-USD 12.3 bn");
        assert_eq!(usd_bn_text(-12_345.0, false), "-USD 12.3 bn");
        assert_eq!(usd_bn_text(-10.0, true), "USD 0.0 bn");
        assert_eq!(signed(12.34, 1), "+12.3");
        assert_eq!(signed(-12.34, 1), "-12.3");
        assert_eq!(signed(0.01, 1), "0.0");
        assert_eq!(percent(0.374), "37%");
        assert_eq!(percent(0.001), "<1%");
        assert_eq!(percent(0.997), ">99%");
    }

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
