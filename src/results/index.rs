//! Rows by goal, year, group, item and metric, for lookups by name. Names are numbered once,
//! so that a lookup neither allocates nor compares strings beyond the names themselves.

use super::ResultRow;
use crate::scenario::metrics::Metric;
use std::collections::BTreeMap;

/// Goal, year, group, item and metric of a row, names by number.
type Key = (u32, i32, u32, Option<u32>, Metric);

/// The index of [`super::Results`]' rows.
#[derive(Debug, Clone, Default)]
pub(super) struct RowIndex {
    goals: BTreeMap<String, u32>,
    groups: BTreeMap<String, u32>,
    items: BTreeMap<String, u32>,
    rows: BTreeMap<Key, usize>,
}

impl RowIndex {
    /// Indexes `rows`; of equal keys, the last row wins (a checked file has none).
    pub(super) fn new(rows: &[ResultRow]) -> RowIndex {
        fn number(names: &mut BTreeMap<String, u32>, name: &str) -> u32 {
            if let Some(&n) = names.get(name) {
                return n;
            }
            let n = u32::try_from(names.len()).expect("fewer names than rows");
            names.insert(name.to_string(), n);
            n
        }
        let mut index = RowIndex::default();
        let keyed: Vec<(Key, usize)> = rows
            .iter()
            .enumerate()
            .map(|(i, r)| {
                let key = (
                    number(&mut index.goals, &r.goal),
                    r.year,
                    number(&mut index.groups, &r.group),
                    r.item.as_deref().map(|item| number(&mut index.items, item)),
                    r.metric,
                );
                (key, i)
            })
            .collect();
        // Collected at once (sorted, then built in bulk).
        index.rows = keyed.into_iter().collect();
        index
    }

    /// The position of the row with these names, if any.
    pub(super) fn find(
        &self,
        goal: &str,
        year: i32,
        group: &str,
        item: Option<&str>,
        metric: Metric,
    ) -> Option<usize> {
        let item = match item {
            Some(item) => Some(*self.items.get(item)?),
            None => None,
        };
        let key = (
            *self.goals.get(goal)?,
            year,
            *self.groups.get(group)?,
            item,
            metric,
        );
        self.rows.get(&key).copied()
    }
}
