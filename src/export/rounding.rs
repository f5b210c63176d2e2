//! The rounding of published figures: quantities to significant figures, probabilities to
//! steps of whole percentage points. Rounding is monotone, so rounded percentiles stay ordered
//! (P10 <= P50 <= P90).

/// `value` rounded to `digits` significant figures, halves away from zero: 1,849,000 to 2
/// figures is 1,800,000, 36.5 is 37, 0.0734 is 0.073. Zero and non-finite values are returned
/// as they are.
pub fn round_significant(value: f64, digits: u32) -> f64 {
    if value == 0.0 || !value.is_finite() || digits == 0 {
        return value;
    }
    let magnitude = value.abs().log10().floor() as i32;
    let shift = i32::try_from(digits).unwrap_or(i32::MAX) - 1 - magnitude;
    // Scale by an exact power of ten on the side that keeps the result exact where it can be:
    // 73 / 10 gives the double nearest 7.3, 73 * 0.1 does not.
    if shift >= 0 {
        let scale = 10f64.powi(shift);
        (value * scale).round() / scale
    } else {
        let scale = 10f64.powi(-shift);
        (value / scale).round() * scale
    }
}

/// A probability (0 to 1) as whole percent, rounded to the nearest multiple of `step_pct`
/// (halves up) and kept within 0 to 100.
pub fn round_probability_pct(probability: f64, step_pct: u32) -> u32 {
    let step = f64::from(step_pct.max(1));
    let pct = (probability * 100.0 / step).round() * step;
    pct.clamp(0.0, 100.0) as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantities_keep_two_significant_figures() {
        let cases = [
            (1_849_000.0, 1_800_000.0),
            (1_850_000.0, 1_900_000.0),
            (36.5, 37.0),
            (36.4, 36.0),
            (117.0, 120.0),
            (496.0, 500.0),
            (999.6, 1000.0),
            (7.34, 7.3),
            (0.0734, 0.073),
            (5.0, 5.0),
            (0.0, 0.0),
            (-1234.0, -1200.0),
        ];
        for (value, expected) in cases {
            assert_eq!(round_significant(value, 2), expected, "{value}");
        }
        assert_eq!(round_significant(123_456.0, 3), 123_000.0);
    }

    #[test]
    fn rounding_keeps_percentiles_in_order() {
        let mut previous = f64::NEG_INFINITY;
        let mut value = 0.001;
        while value < 1e9 {
            let rounded = round_significant(value, 2);
            assert!(rounded >= previous, "{value} -> {rounded} after {previous}");
            previous = rounded;
            value *= 1.013;
        }
    }

    #[test]
    fn probabilities_go_to_steps_of_five_points() {
        let cases = [
            (0.0, 0),
            (0.024, 0),
            (0.025, 5),
            (0.126, 15),
            (0.5, 50),
            (0.974, 95),
            (0.976, 100),
            (1.0, 100),
        ];
        for (probability, expected) in cases {
            assert_eq!(
                round_probability_pct(probability, 5),
                expected,
                "{probability}"
            );
        }
    }
}
