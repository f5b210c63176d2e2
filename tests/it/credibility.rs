//! Credibility: the builtin 2025 data, summed, agrees with NATO's own published 2025 estimates
//! within what the sources allow (src/data/builtin/SOURCES.md, section 1d).

use pledge::mc::summary::Summary;
use pledge::scenario::metrics::Metric;

fn builtin_2025_core_musd(group: &str) -> f64 {
    let text = "schema_version = 1\n[[goal]]\nid = \"g2\"\nlabel = \"2%\"\ncore_pct = 2\n";
    let scenario = pledge::scenario::parse("s.toml", text, std::path::Path::new("."), "s").unwrap();
    let summary = Summary::central(&scenario);
    summary
        .group_value(&scenario, 0, 2025, group, Metric::CoreMusd)
        .unwrap()
}

/// NATO's 2025 estimate at current prices was reported as "more than US$1.5 tn" (Reuters-type
/// text), "about US$1.6 tn" and "exceeds US$1.66 tn" (nato.news-pravda, US share 60.18%):
/// reliability C, inconsistent. Our GDP is the IMF's (NATO uses DG ECFIN/OECD) and the shares
/// are rounded to one decimal (up to +-0.05 points, about +-2% of a 2.7% average), so we accept
/// the published range widened by that rounding: US$1.47 tn to US$1.70 tn.
#[test]
fn nato_total_2025_agrees_with_published_estimates() {
    let nato = builtin_2025_core_musd("nato");
    assert!(
        (1.47e6..=1.70e6).contains(&nato),
        "NATO 2025 core {nato} musd"
    );
}

/// The United States: US$980 bn in 2025 at current prices (nato.news-pravda; reliability C),
/// consistent with 60.18% of US$1.63 tn. One-decimal rounding of 3.2% allows +-1.6%; we accept
/// +-3%.
#[test]
fn united_states_2025_agrees_with_published_estimate() {
    let usa = builtin_2025_core_musd("USA");
    assert!(
        (usa / 980_000.0 - 1.0).abs() <= 0.03,
        "USA 2025 core {usa} musd"
    );
}

/// Europe and Canada: one source gives US$608 bn at current prices (reliability C); the
/// published NATO totals minus the US figure give US$520 bn to US$680 bn. The March 2026
/// shares we use are above the August 2025 estimates behind those figures (Germany 2.4% against
/// a provisional 2.0%), so we accept that range and check we are above the single US$608 bn
/// quote, not below it.
#[test]
fn europe_canada_2025_agrees_with_published_estimates() {
    let europe_canada = builtin_2025_core_musd("europe_canada");
    assert!(
        (520_000.0..=680_000.0).contains(&europe_canada),
        "Europe+Canada {europe_canada}"
    );
    assert!(europe_canada >= 608_000.0, "Europe+Canada {europe_canada}");
}
