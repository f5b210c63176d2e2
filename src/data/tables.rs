//! The builtin tables laid out for reading in a terminal (`pledge data allies`): aligned
//! columns, numbers right-aligned, long source texts left to the CSV and JSON formats.

use super::allies::ally_record;
use super::items::item_record;
use super::milestones::milestone_record;
use super::{ALLY_COLUMNS, Ally, ITEM_COLUMNS, Item, Milestone, MilestoneKind};

/// Aligns `rows` under `header`; columns listed in `numeric` are right-aligned.
fn render(header: &[&str], rows: &[Vec<String>], numeric: &[usize], footer: &str) -> Vec<u8> {
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for row in rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let line = |cells: Vec<String>| -> String {
        let padded: Vec<String> = cells
            .iter()
            .enumerate()
            .map(|(i, c)| {
                if numeric.contains(&i) {
                    format!("{c:>width$}", width = widths[i])
                } else {
                    format!("{c:<width$}", width = widths[i])
                }
            })
            .collect();
        padded.join("  ").trim_end().to_string() + "\n"
    };
    let mut out = line(header.iter().map(|h| h.to_string()).collect());
    out.push_str(&line(widths.iter().map(|w| "-".repeat(*w)).collect()));
    for row in rows {
        out.push_str(&line(row.clone()));
    }
    out.push('\n');
    out.push_str(footer);
    out.into_bytes()
}

/// The cells of `record` whose column (in `columns`) is not in `hidden`.
fn visible(columns: &[&'static str], hidden: &[&str], record: &[String]) -> Vec<String> {
    columns
        .iter()
        .zip(record)
        .filter(|(c, _)| !hidden.contains(c))
        .map(|(_, cell)| cell.clone())
        .collect()
}

/// A table of `records` with the columns not in `hidden`; the columns in `text` are
/// left-aligned, the others (numbers) right-aligned.
fn table(
    columns: &[&'static str],
    hidden: &[&str],
    text: &[&str],
    records: &[Vec<String>],
    footer: &str,
) -> Vec<u8> {
    let header: Vec<&str> = columns
        .iter()
        .copied()
        .filter(|c| !hidden.contains(c))
        .collect();
    let numeric: Vec<usize> = header
        .iter()
        .enumerate()
        .filter(|(_, c)| !text.contains(c))
        .map(|(i, _)| i)
        .collect();
    let rows: Vec<Vec<String>> = records
        .iter()
        .map(|r| visible(columns, hidden, r))
        .collect();
    render(&header, &rows, &numeric, footer)
}

/// The allies as a table.
pub fn allies_table(allies: &[Ally]) -> Vec<u8> {
    let records: Vec<Vec<String>> = allies.iter().map(|a| ally_record(a).to_vec()).collect();
    let footer = format!(
        "{} allies, base year {}; eu: 1 = EU member. GDP and growth: IMF WEO Oct 2025; defence % of \
         GDP: NATO; equipment shares: NATO's 2024 estimates.\nEvery figure's source: pledge data allies \
         --format csv (column 'source').\n",
        allies.len(),
        super::builtin::BASE_YEAR
    );
    let text = ["iso3", "name", "eu", "region", "equipment_basis"];
    table(&ALLY_COLUMNS, &["source"], &text, &records, &footer)
}

/// The items as a table.
pub fn items_table(items: &[Item]) -> Vec<u8> {
    let records: Vec<Vec<String>> = items.iter().map(|i| item_record(i).to_vec()).collect();
    let footer = format!(
        "{} production lines; base_demand and capacity in the line's unit per year, unit cost in USD \
         millions ({}).\nAnnounced capacity plans: pledge data capacity-plans.\n\
         Sources and labelled assumptions: pledge data items --format csv (columns 'source', 'notes').\n",
        items.len(),
        super::builtin::BASE_YEAR
    );
    let hidden = ["label", "source", "notes"];
    table(
        &ITEM_COLUMNS,
        &hidden,
        &["id", "unit", "category", "buyers"],
        &records,
        &footer,
    )
}

/// A milestone table (announced capacity plans, declared plans) as a table.
pub fn milestones_table(kind: &MilestoneKind, rows: &[Milestone], footer: &str) -> Vec<u8> {
    let records: Vec<Vec<String>> = rows.iter().map(|r| milestone_record(r).to_vec()).collect();
    let footer = format!(
        "{} rows. {footer}\nReliability: A official, B major press or think tank, C weak. Notes \
         and sources: --format csv (columns 'note', 'source').\n",
        rows.len()
    );
    table(
        &kind.columns,
        &["note", "source"],
        &[kind.key, "basis", "reliability", "date"],
        &records,
        &footer,
    )
}
