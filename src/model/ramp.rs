//! Ramp shapes and progress along a goal's path (MODEL.md section 4).

use crate::scenario::Path;

/// GoalClock `x` in `[0, 1]` towards a goal reached in `reach_year` (target year plus lag,
/// possibly fractional), from base year `B`: `x = 1` if the goal is reached by `B`, else
/// `clamp((t - B) / (reach_year - B), 0, 1)`.
#[derive(Debug, Clone, Copy)]
pub struct GoalClock {
    /// `1 / (reach_year - B)`, or infinity when the goal is reached by `B`.
    per_year: f64,
}

impl GoalClock {
    /// GoalClock towards `reach_year` from `base_year`.
    pub fn new(base_year: i32, reach_year: f64) -> GoalClock {
        let span = reach_year - f64::from(base_year);
        GoalClock {
            per_year: if span <= 0.0 {
                f64::INFINITY
            } else {
                1.0 / span
            },
        }
    }

    /// `x` after `years` years (`t - B`).
    #[inline]
    pub fn at(self, years: usize) -> f64 {
        if self.per_year.is_infinite() {
            1.0
        } else {
            (years as f64 * self.per_year).min(1.0)
        }
    }
}

/// The share of the step to the goal taken at progress `x`.
pub fn ramp(path: Path, x: f64) -> f64 {
    match path {
        Path::Linear => x,
        Path::Front => 1.0 - (1.0 - x) * (1.0 - x),
        Path::Back => x * x,
        Path::Scurve => 3.0 * x * x - 2.0 * x * x * x,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ALL: [Path; 4] = [Path::Linear, Path::Front, Path::Back, Path::Scurve];

    #[test]
    fn every_ramp_starts_at_zero_ends_at_one_and_never_falls() {
        for path in ALL {
            assert_eq!(ramp(path, 0.0), 0.0, "{path:?}");
            assert_eq!(ramp(path, 1.0), 1.0, "{path:?}");
            let mut last = 0.0;
            for step in 1..=100 {
                let value = ramp(path, f64::from(step) / 100.0);
                assert!(value >= last, "{path:?} falls at {step}");
                last = value;
            }
        }
    }

    #[test]
    fn hand_computed_midpoints() {
        assert_eq!(ramp(Path::Linear, 0.5), 0.5);
        assert_eq!(ramp(Path::Front, 0.5), 0.75);
        assert_eq!(ramp(Path::Back, 0.5), 0.25);
        assert_eq!(ramp(Path::Scurve, 0.5), 0.5);
        assert!((ramp(Path::Scurve, 0.25) - 0.15625).abs() < 1e-15);
    }

    #[test]
    fn progress_is_clamped_and_handles_fractional_reach_years() {
        // Years after the base year 2025.
        let by_2035 = GoalClock::new(2025, 2035.0);
        assert_eq!(by_2035.at(0), 0.0);
        assert_eq!(by_2035.at(5), 0.5);
        assert_eq!(by_2035.at(15), 1.0);
        assert!((GoalClock::new(2025, 2030.0).at(2) - 0.4).abs() < 1e-15);
        assert!((GoalClock::new(2025, 2027.5).at(1) - 0.4).abs() < 1e-15);
        assert_eq!(GoalClock::new(2025, 2025.0).at(0), 1.0);
    }
}
