//! The record a backtest is scored against: each ally's base share and its actual shares in
//! the years after, and the goal the allies pledged (MODEL.md v2, section 9).

use crate::data::HistoryRow;
use crate::model::{GoalClock, ramp};
use crate::scenario::Path;

/// The one member without armed forces (Iceland): no part of any spending record.
pub const NO_ARMED_FORCES: &str = "ISL";

/// One ally's record.
#[derive(Debug, Clone, PartialEq)]
pub struct RecordAlly {
    /// ISO3 code.
    pub iso3: String,
    /// Share of GDP in the base year, %.
    pub base_pct: f64,
    /// Actual share of GDP in each year after the base year, %.
    pub actual_pct: Vec<f64>,
}

/// What allies pledged and what they did.
#[derive(Debug, Clone, PartialEq)]
pub struct Record {
    /// The year of the pledge, `B`.
    pub base_year: i32,
    /// The year the goal was due.
    pub target_year: i32,
    /// The goal, % of GDP (`floor = current`: an ally above it keeps its share).
    pub goal_pct: f64,
    /// The allies, in the history's order.
    pub allies: Vec<RecordAlly>,
}

impl Record {
    /// The Wales pledge of 2014 (2% by 2024) and NATO's record from `history`: the 27 allies
    /// with armed forces that were members in 2014 (not Iceland, nor Montenegro, North
    /// Macedonia, Finland and Sweden, who joined later), years 2015 to 2024.
    pub fn wales(history: &[HistoryRow]) -> Result<Record, String> {
        let (base_year, target_year) = (2014, 2024);
        let mut codes: Vec<&str> = Vec::new();
        for row in history {
            if !codes.contains(&row.iso3.as_str())
                && row.iso3 != NO_ARMED_FORCES
                && crate::data::member_in(&row.iso3, base_year)
            {
                codes.push(&row.iso3);
            }
        }
        let share = |iso3: &str, year: i32| {
            history
                .iter()
                .find(|r| r.iso3 == iso3 && r.year == year)
                .and_then(|r| r.defence_pct_gdp)
                .ok_or_else(|| {
                    format!("the history has no defence share for {iso3} in {year}; the Wales backtest needs 2014 to 2024 for every ally that was a member in 2014")
                })
        };
        let allies = codes
            .into_iter()
            .map(|iso3| {
                Ok(RecordAlly {
                    iso3: iso3.to_string(),
                    base_pct: share(iso3, base_year)?,
                    actual_pct: (base_year + 1..=target_year)
                        .map(|t| share(iso3, t))
                        .collect::<Result<_, String>>()?,
                })
            })
            .collect::<Result<Vec<_>, String>>()?;
        Ok(Record {
            base_year,
            target_year,
            goal_pct: 2.0,
            allies,
        })
    }

    /// Years after the base year in the record.
    pub fn years(&self) -> usize {
        self.allies.first().map_or(0, |a| a.actual_pct.len())
    }

    /// The share of GDP `years` after `B` of `ally` on a linear path to the goal with
    /// `floor = current`, `lag` years late and reaching the fraction `attainment` of its step
    /// (MODEL.md section 4), before drift.
    pub fn share(&self, ally: &RecordAlly, years: usize, lag: f64, attainment: f64) -> f64 {
        let s = ally.base_pct;
        let goal = self.goal_pct.max(s);
        let attained = s + attainment * (goal - s);
        let clock = GoalClock::new(self.base_year, f64::from(self.target_year) + lag);
        s + (attained - s) * ramp(Path::Linear, clock.at(years))
    }

    /// The mean, over pairs of allies, of the correlation of their yearly changes in share:
    /// how much of the year-to-year movement is common to all allies (the `drift_correlation`
    /// the record supports).
    pub fn change_correlation(&self) -> f64 {
        let changes: Vec<Vec<f64>> = self
            .allies
            .iter()
            .map(|a| {
                std::iter::once(a.base_pct)
                    .chain(a.actual_pct.iter().copied())
                    .collect::<Vec<f64>>()
                    .windows(2)
                    .map(|w| w[1] - w[0])
                    .collect()
            })
            .collect();
        let mut total = 0.0;
        let mut pairs = 0;
        for i in 0..changes.len() {
            for j in i + 1..changes.len() {
                if let Some(r) = correlation(&changes[i], &changes[j]) {
                    total += r;
                    pairs += 1;
                }
            }
        }
        if pairs == 0 {
            0.0
        } else {
            total / pairs as f64
        }
    }
}

/// Pearson's correlation, or `None` when either series is constant.
fn correlation(a: &[f64], b: &[f64]) -> Option<f64> {
    let n = a.len() as f64;
    let (ma, mb) = (a.iter().sum::<f64>() / n, b.iter().sum::<f64>() / n);
    let (mut sab, mut saa, mut sbb) = (0.0, 0.0, 0.0);
    for (x, y) in a.iter().zip(b) {
        sab += (x - ma) * (y - mb);
        saa += (x - ma) * (x - ma);
        sbb += (y - mb) * (y - mb);
    }
    (saa > 0.0 && sbb > 0.0).then(|| sab / (saa * sbb).sqrt())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::{builtin, parse_history};

    #[test]
    fn the_wales_record_has_27_allies_and_ten_years() {
        let history = parse_history("h.csv", builtin::HISTORY_CSV).unwrap();
        let record = Record::wales(&history).unwrap();
        assert_eq!(record.allies.len(), 27);
        assert_eq!(record.years(), 10);
        // Three allies were at 2% or more in 2014.
        let above: Vec<&str> = record
            .allies
            .iter()
            .filter(|a| a.base_pct >= 2.0)
            .map(|a| a.iso3.as_str())
            .collect();
        assert_eq!(above, ["GBR", "GRC", "USA"]);
    }

    #[test]
    fn the_plan_path_is_linear_to_two_percent_by_2024() {
        let record = Record {
            base_year: 2014,
            target_year: 2024,
            goal_pct: 2.0,
            allies: vec![RecordAlly {
                iso3: "AAA".into(),
                base_pct: 1.0,
                actual_pct: vec![1.0; 10],
            }],
        };
        let ally = &record.allies[0];
        assert!((record.share(ally, 5, 0.0, 1.0) - 1.5).abs() < 1e-12);
        assert_eq!(record.share(ally, 10, 0.0, 1.0), 2.0);
        // Late by 10 years: halfway by 2024. Half attainment: 1.5% at most.
        assert!((record.share(ally, 10, 10.0, 1.0) - 1.5).abs() < 1e-12);
        assert!((record.share(ally, 10, 0.0, 0.5) - 1.5).abs() < 1e-12);
    }

    #[test]
    fn correlation_of_changes_is_pearsons() {
        assert_eq!(correlation(&[1.0, 2.0, 3.0], &[2.0, 4.0, 6.0]), Some(1.0));
        assert_eq!(correlation(&[1.0, 2.0, 3.0], &[3.0, 2.0, 1.0]), Some(-1.0));
        assert_eq!(correlation(&[1.0, 1.0], &[1.0, 2.0]), None);
    }
}
