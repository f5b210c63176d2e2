//! Screening of user text (goal and item ids, labels, units) before it is published: a text
//! that names an ally is replaced, since an export carries no ally codes or names (a goal
//! labelled "Spain at 2.1% core" would carry an ally's input).

use crate::data::Ally;
use crate::scenario::Scenario;

/// What replaces a label or unit that names an ally.
pub const LABEL_WITHHELD: &str = "withheld: it names an ally";

/// `text` if it names no ally of the scenario, else `replacement`.
fn screened(scenario: &Scenario, text: &str, replacement: impl FnOnce() -> String) -> String {
    if names_an_ally(text, &scenario.data.allies) {
        replacement()
    } else {
        text.to_string()
    }
}

/// The id under which goal `g` is published: its own, or `goal N` (N from 1, in scenario
/// order; ids cannot hold spaces, so it is never another goal's id) when it names an ally.
pub fn goal_id_shown(scenario: &Scenario, g: usize) -> String {
    screened(scenario, &scenario.goals[g].id, || {
        format!("goal {}", g + 1)
    })
}

/// The label under which goal `g` is published.
pub fn goal_label_shown(scenario: &Scenario, g: usize) -> String {
    screened(scenario, &scenario.goals[g].label, || LABEL_WITHHELD.into())
}

/// The id under which item `j` is published: its own, or `item N` when it names an ally.
pub fn item_id_shown(scenario: &Scenario, j: usize) -> String {
    screened(scenario, &scenario.items[j].id, || {
        format!("item {}", j + 1)
    })
}

/// The label under which item `j` is published.
pub fn item_label_shown(scenario: &Scenario, j: usize) -> String {
    screened(scenario, &scenario.items[j].label, || LABEL_WITHHELD.into())
}

/// The unit under which item `j` is published.
pub fn item_unit_shown(scenario: &Scenario, j: usize) -> String {
    screened(scenario, &scenario.items[j].unit, || LABEL_WITHHELD.into())
}

/// Whether `text` names one of `allies`: one of their ISO3 codes as a word (a run of letters,
/// in any case: `ESP`, `hague35_esp21`), or one of their names (in any case: `Spain`).
pub fn names_an_ally(text: &str, allies: &[Ally]) -> bool {
    let lower = text.to_lowercase();
    let names_one = allies
        .iter()
        .any(|a| !a.name.is_empty() && lower.contains(&a.name.to_lowercase()));
    names_one
        || text
            .split(|c: char| !c.is_alphabetic())
            .filter(|word| word.len() == 3)
            .any(|word| allies.iter().any(|a| a.iso3.eq_ignore_ascii_case(word)))
}

#[cfg(test)]
mod tests {
    use super::names_an_ally;
    use crate::data::{Ally, Region};

    fn ally(iso3: &str, name: &str) -> Ally {
        Ally {
            iso3: iso3.into(),
            name: name.into(),
            eu: true,
            region: Region::Europe,
            gdp_usd_bn: 1.0,
            defence_pct_gdp: 1.0,
            equipment_pct: 1.0,
            growth_mean_pct: 1.0,
            growth_sd_pct: 1.0,
            equipment_basis: String::new(),
            source: String::new(),
        }
    }

    #[test]
    fn codes_as_words_and_names_in_any_case() {
        let allies = [ally("ESP", "Spain"), ally("TUR", "Türkiye")];
        for text in [
            "ESP",
            "hague35_esp21",
            "Spain at 2.1% core",
            "SPAIN",
            "shells for türkiye",
            "tur-5",
        ] {
            assert!(names_an_ally(text, &allies), "{text}");
        }
        for text in [
            "3.5% core + 1.5% related by 2035 (The Hague 2025)",
            "155 mm shells (Europe)",
            "espresso",
            "turbines",
            "shell155_eu",
        ] {
            assert!(!names_an_ally(text, &allies), "{text}");
        }
    }
}
