//! Which items and goals an export may publish (the rules of [`super`]): the threshold and
//! dominance rules per buyers group, complementary suppression across groups, and the
//! comparison of goals. Decisions depend on the scenario and on the per-ally rows of the
//! results only, and are taken in a fixed order, so an export is reproducible.

use super::Rules;
use super::text::{goal_id_shown, item_id_shown};
use crate::data::base_year::base_equipment_musd;
use crate::error::{InputError, Location};
use crate::results::Results;
use crate::scenario::Scenario;
use crate::scenario::metrics::Metric;

/// The rule that withholds an item or a goal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rule {
    /// Its buyers are fewer than `k` allies with equipment spending.
    MinAllies,
    /// One ally holds more than `p`% of its buyers' base-year equipment spending.
    MaxShare,
    /// With items already published it would give a difference that breaks one of the rules
    /// above.
    Complementary,
    /// Against a goal already published for the item, the buyers whose spending differs break
    /// one of the rules above.
    GoalDifference,
}

impl Rule {
    /// The spelling in the export.
    pub fn as_str(self) -> &'static str {
        match self {
            Rule::MinAllies => "min_allies",
            Rule::MaxShare => "max_share",
            Rule::Complementary => "complementary",
            Rule::GoalDifference => "goal_difference",
        }
    }
}

/// Why something is withheld: the rule and a sentence with counts only, never an ally.
#[derive(Debug, Clone, PartialEq)]
pub struct Withholding {
    /// The rule.
    pub rule: Rule,
    /// The reason, in words.
    pub reason: String,
}

/// What may be published of the items of one buyers group.
#[derive(Debug, Clone, PartialEq)]
pub enum GroupVerdict {
    /// Nothing, under any goal.
    Withheld(Withholding),
    /// Per goal, in scenario order: `Ok` published, `Err` withheld.
    Published(Vec<Result<(), Withholding>>),
}

/// The verdict for every buyers group of the scenario's items.
#[derive(Debug, Clone)]
pub struct Decisions {
    /// `(group name, verdict)`, in the order the groups were decided (largest first).
    groups: Vec<(String, GroupVerdict)>,
}

impl Decisions {
    /// The verdict on the items bought by `buyers`.
    pub fn verdict(&self, buyers: &str) -> Option<&GroupVerdict> {
        self.groups
            .iter()
            .find(|(name, _)| name == buyers)
            .map(|(_, verdict)| verdict)
    }
}

/// A figure seen as a sum over allies: whether it may be published.
#[derive(Debug, Clone, Copy, PartialEq)]
enum CellCheck {
    /// No ally is in it: it cancels out (identical figures).
    Empty,
    /// At least `k` contributors and none above `p`%.
    Safe,
    /// Fewer than `k` allies with a positive contribution.
    TooFew { contributors: usize },
    /// One ally holds more than `p`% of the contributions.
    Dominated,
}

/// The check of a figure made of the allies with `contributions` (each at least 0; an ally in
/// the figure with no contribution counts towards nothing).
fn check_cell(contributions: &[f64], rules: &Rules) -> CellCheck {
    if contributions.is_empty() {
        return CellCheck::Empty;
    }
    let contributors = contributions.iter().filter(|&&c| c > 0.0).count();
    if contributors < rules.min_allies() {
        return CellCheck::TooFew { contributors };
    }
    let total: f64 = contributions.iter().sum();
    let largest = contributions.iter().copied().fold(0.0, f64::max);
    if largest > total * rules.max_share_pct() / 100.0 {
        CellCheck::Dominated
    } else {
        CellCheck::Safe
    }
}

/// A buyers group as a vector over the allies (dataset order): 1 for members.
#[derive(Debug, Clone)]
struct Cell {
    name: String,
    members: Vec<i32>,
    contributors: usize,
    base_musd: f64,
}

/// The contributions of the allies in the signed sum `coefficients` of groups:
/// `|coefficient| * base-year equipment spending` of each ally whose coefficient is not 0.
fn contributions(coefficients: &[i32], base_musd: &[f64]) -> Vec<f64> {
    coefficients
        .iter()
        .zip(base_musd)
        .filter(|(c, _)| **c != 0)
        .map(|(c, w)| f64::from(c.unsigned_abs()) * w)
        .collect()
}

/// Decides what may be published, group by group and goal by goal (see [`super`]). `file`
/// names the results in messages.
pub fn decide(file: &str, results: &Results, rules: &Rules) -> Result<Decisions, InputError> {
    let scenario = &results.scenario;
    let allies = &scenario.data.allies;
    let base_musd: Vec<f64> = allies.iter().map(base_equipment_musd).collect();
    let mut cells: Vec<Cell> = Vec::new();
    for item in &scenario.items {
        if cells.iter().any(|c| c.name == item.buyers) {
            continue;
        }
        let group = scenario.group(&item.buyers).ok_or_else(|| {
            InputError::invalid(
                Location::file(file),
                format!(
                    "item '{}' is bought by '{}', which is not a group of its scenario; the file \
                     is damaged",
                    item.id, item.buyers
                ),
            )
        })?;
        let members: Vec<i32> = allies
            .iter()
            .map(|a| i32::from(group.members.contains(&a.iso3)))
            .collect();
        let in_group = || members.iter().zip(&base_musd).filter(|(m, _)| **m == 1);
        cells.push(Cell {
            name: item.buyers.clone(),
            contributors: in_group().filter(|(_, w)| **w > 0.0).count(),
            base_musd: in_group().map(|(_, w)| w).sum(),
            members,
        });
    }
    // Largest first: most contributors, then most spending, then by name.
    cells.sort_by(|a, b| {
        b.contributors
            .cmp(&a.contributors)
            .then(b.base_musd.total_cmp(&a.base_musd))
            .then(a.name.cmp(&b.name))
    });
    let equipment = EquipmentRows::read(file, results)?;
    let mut published: Vec<&Cell> = Vec::new();
    let mut groups = Vec::new();
    for cell in &cells {
        let verdict = match group_withholding(cell, &published, &base_musd, scenario, rules) {
            Some(withholding) => GroupVerdict::Withheld(withholding),
            None => {
                published.push(cell);
                GroupVerdict::Published(goal_verdicts(cell, &equipment, scenario, rules))
            }
        };
        groups.push((cell.name.clone(), verdict));
    }
    Ok(Decisions { groups })
}

/// Why the items of `cell` may not be published beside those of `published`, if they may not:
/// the group itself, then every combination `cell ± a` and `cell ± a ± b`.
fn group_withholding(
    cell: &Cell,
    published: &[&Cell],
    base_musd: &[f64],
    scenario: &Scenario,
    rules: &Rules,
) -> Option<Withholding> {
    let k = rules.min_allies();
    let p = rules.max_share_pct();
    match check_cell(&contributions(&cell.members, base_musd), rules) {
        CellCheck::Empty | CellCheck::TooFew { .. } => {
            let n = cell.contributors;
            return Some(Withholding {
                rule: Rule::MinAllies,
                reason: format!(
                    "bought by {n} {} with equipment spending, fewer than {k}",
                    allies_word(n)
                ),
            });
        }
        CellCheck::Dominated => {
            return Some(Withholding {
                rule: Rule::MaxShare,
                reason: format!(
                    "one ally holds more than {p}% of its buyers' base-year equipment spending"
                ),
            });
        }
        CellCheck::Safe => {}
    }
    let mut combinations: Vec<Vec<(i32, &Cell)>> = Vec::new();
    for (i, a) in published.iter().enumerate() {
        for sa in [-1, 1] {
            combinations.push(vec![(sa, a)]);
            for b in &published[i + 1..] {
                for sb in [-1, 1] {
                    combinations.push(vec![(sa, a), (sb, b)]);
                }
            }
        }
    }
    for others in combinations {
        let mut coefficients = cell.members.clone();
        for (sign, other) in &others {
            for (c, m) in coefficients.iter_mut().zip(&other.members) {
                *c += sign * m;
            }
        }
        let problem = match check_cell(&contributions(&coefficients, base_musd), rules) {
            CellCheck::Empty | CellCheck::Safe => continue,
            CellCheck::TooFew { contributors } => format!(
                "the allies left by difference would be fewer than {k} ({contributors} with \
                 equipment spending)"
            ),
            CellCheck::Dominated => format!(
                "one ally would hold more than {p}% of the base-year equipment spending left by \
                 difference"
            ),
        };
        let items: Vec<String> = others
            .iter()
            .flat_map(|(_, other)| {
                scenario
                    .items
                    .iter()
                    .enumerate()
                    .filter(|(_, item)| item.buyers == other.name)
                    .map(|(j, _)| format!("'{}'", item_id_shown(scenario, j)))
            })
            .collect();
        return Some(Withholding {
            rule: Rule::Complementary,
            reason: format!(
                "its buyers differ too little from those of published items {}: {problem}; the \
                 items of larger buyers groups are published first",
                items.join(", ")
            ),
        });
    }
    None
}

/// Per goal, whether the items of `cell` may be published under it: against every earlier
/// goal published for them, the buyers whose equipment spending differs must cancel out or
/// pass the rules, their contributions being the change.
fn goal_verdicts(
    cell: &Cell,
    equipment: &EquipmentRows,
    scenario: &Scenario,
    rules: &Rules,
) -> Vec<Result<(), Withholding>> {
    let k = rules.min_allies();
    let p = rules.max_share_pct();
    let mut verdicts: Vec<Result<(), Withholding>> = Vec::new();
    for g in 0..scenario.goals.len() {
        let mut verdict = Ok(());
        for h in (0..g).filter(|&h| verdicts[h].is_ok()) {
            let changes: Vec<f64> = (0..cell.members.len())
                .filter(|&i| cell.members[i] != 0)
                .map(|i| equipment.change(i, g, h))
                .filter(|&change| change > 0.0)
                .collect();
            let h_id = goal_id_shown(scenario, h);
            let reason = match check_cell(&changes, rules) {
                CellCheck::Empty | CellCheck::Safe => continue,
                CellCheck::TooFew { contributors } => format!(
                    "only {contributors} of its buyers {} differently than under goal '{h_id}', \
                     fewer than {k}: the difference between the two goals would give their demand",
                    if contributors == 1 { "spends" } else { "spend" }
                ),
                CellCheck::Dominated => format!(
                    "one of its buyers makes more than {p}% of the change in its buyers' \
                     equipment spending from goal '{h_id}': the difference between the two goals \
                     would give that ally's demand"
                ),
            };
            verdict = Err(Withholding {
                rule: Rule::GoalDifference,
                reason,
            });
            break;
        }
        verdicts.push(verdict);
    }
    verdicts
}

fn allies_word(n: usize) -> &'static str {
    if n == 1 { "ally" } else { "allies" }
}

/// Every ally's `equipment_musd` rows, per goal and year: plan, then mean and percentiles.
struct EquipmentRows {
    /// `[goal][ally]`: the values of every year, in year order.
    values: Vec<Vec<Vec<f64>>>,
}

impl EquipmentRows {
    fn read(file: &str, results: &Results) -> Result<EquipmentRows, InputError> {
        let scenario = &results.scenario;
        let mut values = Vec::new();
        for goal in &scenario.goals {
            let mut per_ally = Vec::new();
            for ally in &scenario.data.allies {
                let mut row_values = Vec::new();
                for year in scenario.years() {
                    let row = results
                        .row(&goal.id, year, &ally.iso3, None, Metric::EquipmentMusd)
                        .ok_or_else(|| {
                            InputError::invalid(
                                Location::file(file),
                                format!(
                                    "no equipment_musd row for goal '{}', year {year} and one \
                                     of its allies; the file is damaged",
                                    goal.id
                                ),
                            )
                        })?;
                    row_values.push(row.plan);
                    if let Some(stats) = &row.stats {
                        row_values.push(stats.mean);
                        row_values.extend(stats.percentiles);
                    }
                }
                per_ally.push(row_values);
            }
            values.push(per_ally);
        }
        Ok(EquipmentRows { values })
    }

    /// How much ally `i`'s equipment spending differs between goals `g` and `h`: the sum of
    /// the absolute differences of its plan, mean and percentiles over the years. 0 exactly
    /// when the two goals give it the same figures (the runs share their draws).
    fn change(&self, i: usize, g: usize, h: usize) -> f64 {
        self.values[g][i]
            .iter()
            .zip(&self.values[h][i])
            .map(|(a, b)| (a - b).abs())
            .sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules(k: i64, p: f64) -> Rules {
        Rules::new(k, p).unwrap()
    }

    #[test]
    fn a_cell_needs_k_contributors_and_no_dominant_one() {
        let r = rules(3, 50.0);
        assert_eq!(check_cell(&[], &r), CellCheck::Empty);
        assert_eq!(
            check_cell(&[5.0, 0.0, 0.0], &r),
            CellCheck::TooFew { contributors: 1 }
        );
        assert_eq!(check_cell(&[5.0, 2.0, 2.0], &r), CellCheck::Dominated);
        assert_eq!(check_cell(&[4.0, 2.0, 2.0], &r), CellCheck::Safe);
        assert_eq!(
            check_cell(&[4.0, 2.0, 2.0], &rules(4, 50.0)),
            CellCheck::TooFew { contributors: 3 }
        );
        assert_eq!(
            check_cell(&[9.0, 1.0, 1.0], &rules(3, 100.0)),
            CellCheck::Safe
        );
    }

    /// The verdicts on a builtin-data scenario with `extra` TOML (groups, items, goals), on
    /// its plan.
    fn verdicts(extra: &str, k: i64, p: f64) -> Vec<(String, GroupVerdict)> {
        let toml = format!(
            "schema_version = 1\n[[goal]]\nid = \"g\"\nlabel = \"3.5%\"\ncore_pct = 3.5\n{extra}"
        );
        let scenario =
            crate::scenario::parse("t.toml", &toml, std::path::Path::new("."), "t").unwrap();
        let summary = crate::mc::summary::Summary::central(&scenario);
        let results = Results::from_summary(&scenario, &summary);
        decide("result.json", &results, &rules(k, p))
            .unwrap()
            .groups
    }

    fn item(id: &str, buyers: &str) -> String {
        format!(
            "[[item]]\nid = \"{id}\"\ncategory = \"land\"\nbuyers = \"{buyers}\"\nalpha = 0.01\n\
             unit_cost_musd = 1\ncapacity = 100\n"
        )
    }

    fn rule_of(verdicts: &[(String, GroupVerdict)], group: &str) -> Option<Rule> {
        match &verdicts.iter().find(|(name, _)| name == group).unwrap().1 {
            GroupVerdict::Withheld(why) => Some(why.rule),
            GroupVerdict::Published(_) => None,
        }
    }

    #[test]
    fn builtin_groups_one_ally_apart_or_dominated_are_not_both_published() {
        let extra = [
            item("a", "europe"),
            item("b", "eu"),
            item("c", "non_eu"),
            "[groups]\ntrio = [\"EST\", \"LVA\", \"LTU\"]\n".into(),
            item("d", "trio"),
        ]
        .concat();
        let v = verdicts(&extra, 5, 50.0);
        // The largest group goes first.
        assert_eq!(v[0].0, "nato");
        assert_eq!(rule_of(&v, "nato"), Some(Rule::MaxShare));
        assert_eq!(rule_of(&v, "europe_canada"), None);
        // europe = europe_canada without Canada.
        assert_eq!(rule_of(&v, "europe"), Some(Rule::Complementary));
        // europe_canada - eu: eight allies, more than half of it one ally's.
        assert_eq!(rule_of(&v, "eu"), Some(Rule::Complementary));
        assert_eq!(rule_of(&v, "non_eu"), Some(Rule::MaxShare));
        assert_eq!(rule_of(&v, "USA"), Some(Rule::MinAllies));
        assert_eq!(rule_of(&v, "trio"), Some(Rule::MinAllies));
        // With p = 80 the larger group, nato, is kept and europe_canada gives way.
        let v = verdicts(&extra, 5, 80.0);
        assert_eq!(rule_of(&v, "nato"), None);
        assert_eq!(rule_of(&v, "europe_canada"), Some(Rule::Complementary));
    }

    #[test]
    fn a_difference_of_three_groups_counts_too() {
        // a = x + y + EST: every pair is safe, a - x - y is Estonia.
        let x = "\"DEU\", \"FRA\", \"ITA\", \"ESP\", \"POL\", \"NLD\"";
        let y = "\"GBR\", \"TUR\", \"NOR\", \"CAN\", \"SWE\", \"DNK\", \"FIN\", \"ROU\"";
        let extra = [
            format!("[groups]\nx = [{x}]\ny = [{y}]\na = [{x}, {y}, \"EST\"]\n"),
            item("ia", "a"),
            item("ix", "x"),
            item("iy", "y"),
        ]
        .concat();
        let v = verdicts(&extra, 5, 50.0);
        assert_eq!(rule_of(&v, "a"), None);
        assert_eq!(rule_of(&v, "y"), None);
        assert_eq!(rule_of(&v, "x"), Some(Rule::Complementary));
    }

    #[test]
    fn a_goal_that_differs_by_one_override_is_withheld() {
        let extra = "[[goal]]\nid = \"h\"\nlabel = \"3.5%, one ally at 2.1\"\ncore_pct = 3.5\n\
                     [goal.overrides.ESP]\ncore_pct = 2.1\n\
                     [[goal]]\nid = \"five\"\nlabel = \"5%\"\ncore_pct = 5\n";
        let v = verdicts(extra, 5, 50.0);
        let published = |group: &str| match &v.iter().find(|(n, _)| n == group).unwrap().1 {
            GroupVerdict::Published(goals) => goals.clone(),
            GroupVerdict::Withheld(_) => panic!("{group} withheld"),
        };
        let goals = published("europe_canada");
        assert!(goals[0].is_ok() && goals[2].is_ok(), "{goals:?}");
        assert_eq!(goals[1].as_ref().unwrap_err().rule, Rule::GoalDifference);
    }

    #[test]
    fn contributions_weigh_allies_by_their_coefficient() {
        assert_eq!(
            contributions(&[1, 0, -1, 2], &[10.0, 20.0, 30.0, 40.0]),
            vec![10.0, 30.0, 80.0]
        );
    }
}
