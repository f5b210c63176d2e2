//! Groups of allies whose spending is summed: the builtin groups of MODEL.md section 2, groups
//! a scenario defines, and every ally as a group of one named by its ISO3 code.

use crate::data::{Ally, Region};
use serde::{Deserialize, Serialize};

/// The builtin group names, in output order.
pub const BUILTIN_GROUPS: [&str; 6] = [
    "nato",
    "europe_canada",
    "eu",
    "non_eu",
    "europe",
    "north_america",
];

/// Where a group comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GroupKind {
    /// One of [`BUILTIN_GROUPS`].
    Builtin,
    /// Defined in the scenario's `[groups]` table.
    Scenario,
    /// A single ally.
    Ally,
}

/// A named set of allies.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Group {
    /// The name used in outputs and in `buyers`.
    pub name: String,
    /// Builtin, scenario-defined or a single ally.
    pub kind: GroupKind,
    /// ISO3 codes of the members, in dataset order.
    pub members: Vec<String>,
}

/// The builtin groups that have members in `allies`, in [`BUILTIN_GROUPS`] order.
///
/// `europe_canada` is every ally but the United States; `europe` and `north_america` follow the
/// `region` column; `eu` and `non_eu` follow the `eu` column.
pub fn builtin_groups(allies: &[Ally]) -> Vec<Group> {
    let select = |keep: &dyn Fn(&Ally) -> bool| -> Vec<String> {
        allies
            .iter()
            .filter(|a| keep(a))
            .map(|a| a.iso3.clone())
            .collect()
    };
    BUILTIN_GROUPS
        .iter()
        .map(|&name| {
            let members = match name {
                "nato" => select(&|_| true),
                "europe_canada" => select(&|a| a.iso3 != "USA"),
                "eu" => select(&|a| a.eu),
                "non_eu" => select(&|a| !a.eu),
                "europe" => select(&|a| a.region == Region::Europe),
                _ => select(&|a| a.region == Region::NorthAmerica),
            };
            Group {
                name: name.to_string(),
                kind: GroupKind::Builtin,
                members,
            }
        })
        .filter(|g| !g.members.is_empty())
        .collect()
}

/// One group per ally, named by its ISO3 code, in dataset order.
pub fn ally_groups(allies: &[Ally]) -> Vec<Group> {
    allies
        .iter()
        .map(|a| Group {
            name: a.iso3.clone(),
            kind: GroupKind::Ally,
            members: vec![a.iso3.clone()],
        })
        .collect()
}

/// Checks a scenario group name: lower-case letters, digits and `_`, starting with a letter,
/// and not a builtin name.
pub fn check_group_name(name: &str) -> Result<(), String> {
    let mut chars = name.chars();
    let well_formed = chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if !well_formed {
        return Err(format!(
            "group name '{name}' is not allowed; expected lower-case letters, digits and _, starting with a letter"
        ));
    }
    if BUILTIN_GROUPS.contains(&name) {
        return Err(format!(
            "group name '{name}' is a builtin group; builtin groups are {}",
            BUILTIN_GROUPS.join(", ")
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::{builtin, parse_allies};

    #[test]
    fn builtin_groups_match_model_md_section_2() {
        let allies = parse_allies("allies.csv", builtin::ALLIES_CSV).unwrap();
        let groups = builtin_groups(&allies);
        let size = |name: &str| {
            groups
                .iter()
                .find(|g| g.name == name)
                .unwrap()
                .members
                .len()
        };
        assert_eq!(size("nato"), 32);
        assert_eq!(size("europe_canada"), 31);
        assert_eq!(size("eu"), 23);
        assert_eq!(size("europe"), 30);
        assert_eq!(size("north_america"), 2);
        let non_eu = &groups.iter().find(|g| g.name == "non_eu").unwrap().members;
        let mut non_eu = non_eu.clone();
        non_eu.sort();
        assert_eq!(
            non_eu,
            [
                "ALB", "CAN", "GBR", "ISL", "MKD", "MNE", "NOR", "TUR", "USA"
            ]
        );
    }

    #[test]
    fn scenario_group_names_are_checked() {
        assert!(check_group_name("nordic_baltic").is_ok());
        assert!(check_group_name("Nordic").is_err());
        assert!(check_group_name("nato").is_err());
        assert!(check_group_name("").is_err());
    }
}
