//! Groups of allies whose spending is summed: the builtin groups of MODEL.md section 2, groups
//! a scenario defines, and every ally as a group of one named by its ISO3 code.

use crate::data::{Ally, Region};
use serde::{Deserialize, Serialize};

/// A builtin group of MODEL.md section 2: its name in files and outputs, its membership rule
/// and its one display label. Every output that shows a builtin group by name (the terminal,
/// the page, the workbook, the charts) takes the label from here.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum BuiltinGroup {
    /// Every ally.
    Nato,
    /// Every ally but the United States.
    EuropeCanada,
    /// The allies in the EU (the `eu` column).
    Eu,
    /// The allies outside the EU.
    NonEu,
    /// The allies in Europe (the `region` column).
    Europe,
    /// The United States and Canada (the `region` column).
    NorthAmerica,
}

impl BuiltinGroup {
    /// Every builtin group, in output order.
    pub const ALL: [BuiltinGroup; 6] = [
        BuiltinGroup::Nato,
        BuiltinGroup::EuropeCanada,
        BuiltinGroup::Eu,
        BuiltinGroup::NonEu,
        BuiltinGroup::Europe,
        BuiltinGroup::NorthAmerica,
    ];

    /// The groups that the headline numbers (terminal, page and workbook) and the spending
    /// charts show, in this order; the scenario's own groups follow them where shown.
    pub const HEADLINE: [BuiltinGroup; 2] = [BuiltinGroup::Nato, BuiltinGroup::EuropeCanada];

    /// The name in scenario files, `summary.csv`, `result.json` and `buyers`: `europe_canada`.
    pub const fn name(self) -> &'static str {
        match self {
            BuiltinGroup::Nato => "nato",
            BuiltinGroup::EuropeCanada => "europe_canada",
            BuiltinGroup::Eu => "eu",
            BuiltinGroup::NonEu => "non_eu",
            BuiltinGroup::Europe => "europe",
            BuiltinGroup::NorthAmerica => "north_america",
        }
    }

    /// The name people read: `Europe+Canada`.
    pub const fn label(self) -> &'static str {
        match self {
            BuiltinGroup::Nato => "NATO",
            BuiltinGroup::EuropeCanada => "Europe+Canada",
            BuiltinGroup::Eu => "EU",
            BuiltinGroup::NonEu => "Non-EU",
            BuiltinGroup::Europe => "Europe",
            BuiltinGroup::NorthAmerica => "North America",
        }
    }

    /// The builtin group of that name, if it is one.
    pub fn from_name(name: &str) -> Option<BuiltinGroup> {
        BuiltinGroup::ALL.into_iter().find(|g| g.name() == name)
    }

    /// Whether `ally` belongs to the group.
    fn includes(self, ally: &Ally) -> bool {
        match self {
            BuiltinGroup::Nato => true,
            BuiltinGroup::EuropeCanada => ally.iso3 != "USA",
            BuiltinGroup::Eu => ally.eu,
            BuiltinGroup::NonEu => !ally.eu,
            BuiltinGroup::Europe => ally.region == Region::Europe,
            BuiltinGroup::NorthAmerica => ally.region == Region::NorthAmerica,
        }
    }
}

/// The builtin group names, in output order ([`BuiltinGroup::ALL`]'s names).
pub const BUILTIN_GROUPS: [&str; 6] = {
    let mut names = [""; 6];
    let mut i = 0;
    while i < names.len() {
        names[i] = BuiltinGroup::ALL[i].name();
        i += 1;
    }
    names
};

/// A group's display name: a builtin group's [`BuiltinGroup::label`] (`NATO` for `nato`);
/// any other group (a scenario's own, or an ally by its ISO3 code) keeps its name.
pub fn display_name(name: &str) -> &str {
    match BuiltinGroup::from_name(name) {
        Some(group) => group.label(),
        None => name,
    }
}

/// Where a group comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GroupKind {
    /// One of [`BuiltinGroup::ALL`].
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

/// The builtin groups that have members in `allies`, in [`BuiltinGroup::ALL`] order.
///
/// `europe_canada` is every ally but the United States; `europe` and `north_america` follow the
/// `region` column; `eu` and `non_eu` follow the `eu` column.
pub fn builtin_groups(allies: &[Ally]) -> Vec<Group> {
    BuiltinGroup::ALL
        .into_iter()
        .map(|group| Group {
            name: group.name().to_string(),
            kind: GroupKind::Builtin,
            members: allies
                .iter()
                .filter(|a| group.includes(a))
                .map(|a| a.iso3.clone())
                .collect(),
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
    fn builtin_names_and_labels_are_one_each() {
        assert_eq!(
            BUILTIN_GROUPS,
            [
                "nato",
                "europe_canada",
                "eu",
                "non_eu",
                "europe",
                "north_america"
            ]
        );
        for group in BuiltinGroup::ALL {
            assert_eq!(BuiltinGroup::from_name(group.name()), Some(group));
            assert_eq!(display_name(group.name()), group.label());
        }
        assert_eq!(display_name("europe_canada"), "Europe+Canada");
        assert_eq!(display_name("nordic_baltic"), "nordic_baltic");
        assert_eq!(display_name("USA"), "USA");
        assert_eq!(BuiltinGroup::from_name("Nato"), None);
    }

    #[test]
    fn scenario_group_names_are_checked() {
        assert!(check_group_name("nordic_baltic").is_ok());
        assert!(check_group_name("Nordic").is_err());
        assert!(check_group_name("nato").is_err());
        assert!(check_group_name("").is_err());
    }
}
