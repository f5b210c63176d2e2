//! Uncertain parameters as the scenario states them: a triangular range, whose central value
//! is its mode (MODEL.md section 5). A plain number in a scenario is the zero-width range.

use serde::{Deserialize, Serialize};

/// A triangular distribution `(min, mode, max)` with `min <= mode <= max`.
///
/// Built only through [`Triangular::new`] or [`Triangular::fixed`], so the ordering holds.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Triangular {
    min: f64,
    mode: f64,
    max: f64,
}

impl Triangular {
    /// A range, or `None` when it is not ordered `min <= mode <= max` or not finite.
    pub fn new(min: f64, mode: f64, max: f64) -> Option<Self> {
        let finite = min.is_finite() && mode.is_finite() && max.is_finite();
        (finite && min <= mode && mode <= max).then_some(Triangular { min, mode, max })
    }

    /// The zero-width range: always `value`.
    pub fn fixed(value: f64) -> Self {
        Triangular {
            min: value,
            mode: value,
            max: value,
        }
    }

    /// Lower bound.
    pub fn min(&self) -> f64 {
        self.min
    }

    /// Most likely value, the central value of the model.
    pub fn mode(&self) -> f64 {
        self.mode
    }

    /// Upper bound.
    pub fn max(&self) -> f64 {
        self.max
    }

    /// As a scenario file writes it: a number when fixed, else `{ min = .., mode = .., max =
    /// .. }`.
    pub fn to_toml(&self) -> String {
        if self.min == self.max {
            format!("{}", self.mode)
        } else {
            format!(
                "{{ min = {}, mode = {}, max = {} }}",
                self.min, self.mode, self.max
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordering_is_enforced() {
        assert!(Triangular::new(0.0, 1.0, 2.0).is_some());
        assert!(Triangular::new(1.0, 1.0, 1.0).is_some());
        assert!(Triangular::new(0.0, 3.0, 2.0).is_none());
        assert!(Triangular::new(f64::NAN, 1.0, 2.0).is_none());
        assert_eq!(Triangular::fixed(4.0).mode(), 4.0);
    }
}
