//! Base-year money from the data alone: an ally's core and equipment spending in `B`, and a
//! group's, summed in the one fixed order the model uses ([`sum_members`]). The scenario's
//! calibration checks and the model both compute from here, so the two agree to the bit.

use super::Ally;

/// An ally's base-year core spending, USD millions: `s/100 * GDP * 1000`, computed with the
/// same operations as `model::Model::evaluate` so that the two agree to the bit.
pub fn base_core_musd(ally: &Ally) -> f64 {
    ally.defence_pct_gdp * ally.gdp_usd_bn * 10.0
}

/// An ally's base-year equipment spending, USD millions: core spending times `e/100`.
pub fn base_equipment_musd(ally: &Ally) -> f64 {
    base_core_musd(ally) * ally.equipment_pct * 0.01
}

/// Base-year spending of `members` on a category with mix share `share`, USD millions: the
/// denominator of the `alpha` calibration, `EQ(j,B) * w[k]`.
pub fn base_category_spend_musd(allies: &[Ally], members: &[String], share: f64) -> f64 {
    let equipment: Vec<f64> = allies.iter().map(base_equipment_musd).collect();
    let members: Vec<usize> = allies
        .iter()
        .enumerate()
        .filter(|(_, a)| members.contains(&a.iso3))
        .map(|(i, _)| i)
        .collect();
    sum_members(&equipment, &members) * share
}

/// The sum of `row[i]` over `members`, in a fixed order: four partial sums taking members
/// in turn (dataset order), added as `(s0 + s1) + (s2 + s3)`. Four independent chains of
/// additions run in parallel on the processor; the order never depends on anything but the
/// group, so results are reproducible. A one-member group's sum is that member's value.
#[inline]
pub fn sum_members(row: &[f64], members: &[usize]) -> f64 {
    let mut lanes = [0.0; 4];
    let mut chunks = members.chunks_exact(4);
    for chunk in &mut chunks {
        for (lane, &i) in lanes.iter_mut().zip(chunk) {
            *lane += row[i];
        }
    }
    for (lane, &i) in lanes.iter_mut().zip(chunks.remainder()) {
        *lane += row[i];
    }
    (lanes[0] + lanes[1]) + (lanes[2] + lanes[3])
}
