//! Numbers and years as text, shared by every stage: the round-trip form of files and
//! messages ([`format_number`]), and the forms people read in the terminal, the charts, the
//! page and the workbook (thousands separators, billions of US dollars or of another
//! currency, signed differences, percentages, year ranges).

/// A number as the shortest decimal that reads back to the same `f64` (round-trip exact).
pub fn format_number(value: f64) -> String {
    // Rust's `Display` for f64 is the shortest round-tripping form and never uses exponents.
    format!("{value}")
}

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
    money_bn_text(musd, "USD", sign)
}

/// Millions of the currency `code` as billions, as [`usd_bn_text`] writes dollars:
/// `EUR 1,234.5 bn`, `-EUR 12.3 bn`, and with `sign` `+EUR 12.3 bn`. The amount is already in
/// that currency (`data::currency::Currency::millions` converts).
pub fn money_bn_text(millions: f64, code: &str, sign: bool) -> String {
    let digits = grouped(millions.abs() / 1000.0, 1);
    let nonzero = digits.bytes().any(|c| matches!(c, b'1'..=b'9'));
    let prefix = match () {
        _ if !millions.is_finite() => "",
        _ if millions < 0.0 && nonzero => "-",
        _ if sign && millions > 0.0 && nonzero => "+",
        _ => "",
    };
    format!("{prefix}{code} {digits} bn")
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_round_trip() {
        for value in [
            0.0,
            1.0,
            0.1,
            1.0 / 3.0,
            1.234_567_890_123e-7,
            9.876_543_21e15,
            -2.5,
        ] {
            let text = format_number(value);
            assert_eq!(text.parse::<f64>().unwrap(), value, "{text}");
            assert!(!text.contains('e'), "{text}");
        }
    }

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
        assert_eq!(money_bn_text(1_234_500.0, "EUR", false), "EUR 1,234.5 bn");
        assert_eq!(money_bn_text(12_345.0, "GBP", true), "+GBP 12.3 bn");
        assert_eq!(money_bn_text(-12_345.0, "EUR", true), "-EUR 12.3 bn");
        assert_eq!(signed(12.34, 1), "+12.3");
        assert_eq!(signed(-12.34, 1), "-12.3");
        assert_eq!(signed(0.01, 1), "0.0");
        assert_eq!(percent(0.374), "37%");
        assert_eq!(percent(0.001), "<1%");
        assert_eq!(percent(0.997), ">99%");
    }
}
