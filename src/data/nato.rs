//! NATO's tables workbook (*Defence Expenditure of NATO Countries*, published each June) read
//! into the history format (`history.csv`): `pledge data import-nato WORKBOOK.xlsx`.
//!
//! Sheets and blocks read, each a block of ally rows under a title in column B, years across
//! a header row, and the "NATO Europe and Canada" and "NATO Total" rows after the allies:
//!
//! | sheet | block | column of `history.csv` |
//! |---|---|---|
//! | TABLE2 | Current prices and exchange rates | `defence_usd_m_current` |
//! | TABLE3 | Share of real GDP | `defence_pct_gdp` |
//! | TABLE5 | Current prices and exchange rates | `gdp_usd_m_current` |
//! | TABLE5 | Constant 2015 prices and exchange rates | `gdp_usd_m_constant2015` |
//! | TABLE8a | Equipment | `equipment_pct` |
//!
//! A year marked `e` (`2024e`) is an estimate. Where the layout differs from what is expected,
//! the error names the sheet and the cell.

use super::HistoryRow;
use crate::error::{InputError, Location};
use calamine::{Data, Range, Reader, Xlsx};
use serde::Serialize;
use std::io::Cursor;

/// The largest workbook read, bytes (NATO's is about 200 KB).
pub const MAX_WORKBOOK_BYTES: u64 = 50 * 1024 * 1024;

/// NATO's spelling of each ally (a trailing `*` marks a footnote and is dropped), with its
/// ISO3 code.
const NAMES: [(&str, &str); 35] = [
    ("Albania", "ALB"),
    ("Belgium", "BEL"),
    ("Bulgaria", "BGR"),
    ("Canada", "CAN"),
    ("Croatia", "HRV"),
    ("Czechia", "CZE"),
    ("Czech Republic", "CZE"),
    ("Denmark", "DNK"),
    ("Estonia", "EST"),
    ("Finland", "FIN"),
    ("France", "FRA"),
    ("Germany", "DEU"),
    ("Greece", "GRC"),
    ("Hungary", "HUN"),
    ("Iceland", "ISL"),
    ("Italy", "ITA"),
    ("Latvia", "LVA"),
    ("Lithuania", "LTU"),
    ("Luxembourg", "LUX"),
    ("Montenegro", "MNE"),
    ("Netherlands", "NLD"),
    ("North Macedonia", "MKD"),
    ("Norway", "NOR"),
    ("Poland", "POL"),
    ("Portugal", "PRT"),
    ("Romania", "ROU"),
    ("Slovak Republic", "SVK"),
    ("Slovakia", "SVK"),
    ("Slovenia", "SVN"),
    ("Spain", "ESP"),
    ("Sweden", "SWE"),
    ("Türkiye", "TUR"),
    ("Turkey", "TUR"),
    ("United Kingdom", "GBR"),
    ("United States", "USA"),
];

/// Which column of the history a block fills.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Column {
    DefenceUsd,
    DefencePct,
    GdpCurrent,
    GdpConstant,
    Equipment,
}

/// A block to read: its sheet, the start of its title, the column it fills, and whether its
/// allies must add up to its NATO total (money does; shares do not).
const BLOCKS: [(&str, &str, Column, bool); 5] = [
    (
        "TABLE2",
        "Current prices and exchange rates",
        Column::DefenceUsd,
        true,
    ),
    ("TABLE3", "Share of real GDP", Column::DefencePct, false),
    (
        "TABLE5",
        "Current prices and exchange rates",
        Column::GdpCurrent,
        true,
    ),
    (
        "TABLE5",
        "Constant 2015 prices and exchange rates",
        Column::GdpConstant,
        true,
    ),
    ("TABLE8a", "Equipment", Column::Equipment, false),
];

/// How a block's allies (the members of that year) compare with its NATO total in one year.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TotalCheck {
    /// `TABLE2: Current prices and exchange rates`.
    pub block: String,
    /// The year.
    pub year: i32,
    /// The allies' sum.
    pub allies: f64,
    /// NATO's total.
    pub nato_total: f64,
}

impl TotalCheck {
    /// `|allies - total| / total`.
    pub fn relative_difference(&self) -> f64 {
        ((self.allies - self.nato_total) / self.nato_total).abs()
    }
}

/// What a workbook gave.
#[derive(Debug, Clone)]
pub struct NatoImport {
    /// "Defence Expenditure of NATO Countries (2014-2024)", from the years of the tables.
    pub edition: String,
    /// The years, with whether each is an estimate.
    pub years: Vec<(i32, bool)>,
    /// The history rows, by ally (ISO3 order) and year.
    pub history: Vec<HistoryRow>,
    /// The allies' sums against NATO's totals, per money block and year.
    pub checks: Vec<TotalCheck>,
}

/// Reads NATO's tables workbook (`bytes`, named `file` in messages).
pub fn import_nato(file: &str, bytes: Vec<u8>) -> Result<NatoImport, InputError> {
    let mut book: Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(bytes)).map_err(|e| {
        InputError::invalid(
            Location::file(file),
            format!(
                "is not a readable Excel workbook ({e}); expected NATO's tables workbook (.xlsx)"
            ),
        )
    })?;
    let mut years: Option<Vec<(i32, bool)>> = None;
    // (iso3, year) -> the five figures.
    let mut figures: Vec<(String, i32, [Option<f64>; 5])> = Vec::new();
    let mut checks = Vec::new();
    for (sheet_name, title, column, summed) in BLOCKS {
        let range = book.worksheet_range(sheet_name).map_err(|e| {
            InputError::invalid(
                Location::file(file),
                format!(
                    "has no sheet '{sheet_name}' ({e}); expected NATO's tables workbook with sheets TABLE2, TABLE3, TABLE5 and TABLE8a"
                ),
            )
        })?;
        let sheet = Sheet {
            file,
            name: sheet_name,
            range: &range,
        };
        let (header_row, sheet_years) = sheet.years()?;
        match &years {
            None => years = Some(sheet_years.iter().map(|y| (y.1, y.2)).collect()),
            Some(known)
                if known
                    .iter()
                    .map(|y| y.0)
                    .eq(sheet_years.iter().map(|y| y.1)) => {}
            Some(_) => {
                return Err(sheet.error(
                    header_row,
                    sheet_years[0].0,
                    "the years differ from TABLE2's; expected every table to cover the same years",
                ));
            }
        }
        let block = sheet.block(title, header_row)?;
        for ally in &block.allies {
            for &(col, year, _) in &sheet_years {
                let value = sheet.number(ally.row, col)?;
                let entry = match figures.iter_mut().find(|f| f.0 == ally.iso3 && f.1 == year) {
                    Some(entry) => entry,
                    None => {
                        figures.push((ally.iso3.clone(), year, [None; 5]));
                        figures.last_mut().expect("pushed")
                    }
                };
                entry.2[column as usize] = value;
            }
        }
        if summed {
            let total_row = block.nato_total.ok_or_else(|| {
                sheet.error(
                    block.end,
                    1,
                    "no 'NATO Total' row after the allies; expected the allies, then 'NATO Europe and Canada' and 'NATO Total'",
                )
            })?;
            for &(col, year, _) in &sheet_years {
                let total = sheet.number(total_row, col)?.ok_or_else(|| {
                    sheet.error(total_row, col, "the NATO total is empty; expected a number")
                })?;
                // NATO's total counts the year's members only.
                let allies = block
                    .allies
                    .iter()
                    .filter(|a| super::member_in(&a.iso3, year))
                    .map(|a| sheet.number(a.row, col).map(|v| v.unwrap_or(0.0)))
                    .sum::<Result<f64, InputError>>()?;
                checks.push(TotalCheck {
                    block: format!("{sheet_name}: {title}"),
                    year,
                    allies,
                    nato_total: total,
                });
            }
        }
    }
    let years = years.unwrap_or_default();
    figures.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.cmp(&b.1)));
    let history = figures
        .into_iter()
        .map(|(iso3, year, f)| {
            let marked = years.iter().any(|&(y, e)| y == year && e);
            HistoryRow {
                // An estimate of what an ally spent; an ally with no defence figures (Iceland)
                // has nothing estimated.
                estimate: marked && f[Column::DefencePct as usize].is_some(),
                // At the workbook's full precision; `history_to_csv` writes the builtin
                // file's decimals.
                defence_pct_gdp: f[Column::DefencePct as usize],
                equipment_pct: f[Column::Equipment as usize],
                defence_usd_m_current: f[Column::DefenceUsd as usize],
                gdp_usd_m_current: f[Column::GdpCurrent as usize],
                gdp_usd_m_constant2015: f[Column::GdpConstant as usize],
                origin: Location::file(file),
                iso3,
                year,
            }
        })
        .collect();
    let edition = match (years.first(), years.last()) {
        (Some(first), Some(last)) => format!(
            "Defence Expenditure of NATO Countries ({}-{}); estimates: {}",
            first.0,
            last.0,
            years
                .iter()
                .filter(|y| y.1)
                .map(|y| y.0.to_string())
                .collect::<Vec<_>>()
                .join(", ")
        ),
        _ => "Defence Expenditure of NATO Countries".to_string(),
    };
    Ok(NatoImport {
        edition,
        years,
        history,
        checks,
    })
}

/// A column of years: `(column, year, estimate)`.
type YearColumn = (u32, i32, bool);

/// One sheet, for located reading.
struct Sheet<'a> {
    file: &'a str,
    name: &'a str,
    range: &'a Range<Data>,
}

/// The ally rows of a block, and its total rows.
struct Block {
    allies: Vec<AllyRow>,
    /// The first row after the allies.
    end: u32,
    nato_total: Option<u32>,
}

struct AllyRow {
    iso3: String,
    row: u32,
}

impl Sheet<'_> {
    fn cell(&self, row: u32, col: u32) -> Option<&Data> {
        self.range.get_value((row, col))
    }

    fn text(&self, row: u32, col: u32) -> String {
        match self.cell(row, col) {
            Some(Data::String(s)) => s.trim().to_string(),
            Some(Data::Float(v)) => v.to_string(),
            Some(Data::Int(v)) => v.to_string(),
            _ => String::new(),
        }
    }

    /// An error at cell `(row, col)` (0-based), named as in Excel: `TABLE3!C25`.
    fn error(&self, row: u32, col: u32, message: impl Into<String>) -> InputError {
        InputError::invalid(
            Location::file(self.file),
            format!(
                "{}!{}{}: {}",
                self.name,
                column_letters(col),
                row + 1,
                message.into()
            ),
        )
    }

    /// The number in a cell: empty is `None`; text or an error value is refused.
    fn number(&self, row: u32, col: u32) -> Result<Option<f64>, InputError> {
        match self.cell(row, col) {
            None | Some(Data::Empty) => Ok(None),
            Some(Data::Float(v)) if v.is_finite() => Ok(Some(*v)),
            Some(Data::Int(v)) => Ok(Some(*v as f64)),
            Some(other) => Err(self.error(
                row,
                col,
                format!("'{other}' is not a number; expected a figure of the table"),
            )),
        }
    }

    /// The header row: the first row whose cells from column D on read as years (`2014`,
    /// `2024e`). Returns it and each year's `(column, year, estimate)`.
    fn years(&self) -> Result<(u32, Vec<YearColumn>), InputError> {
        let (start, end) = match (self.range.start(), self.range.end()) {
            (Some(s), Some(e)) => (s, e),
            _ => return Err(self.error(0, 0, "the sheet is empty; expected one of NATO's tables")),
        };
        for row in start.0..=end.0.min(start.0 + 40) {
            let mut years = Vec::new();
            for col in 3..=end.1 {
                let text = self.text(row, col);
                let (digits, estimate) = match text.strip_suffix('e') {
                    Some(d) => (d, true),
                    None => (text.as_str(), false),
                };
                match digits.parse::<f64>() {
                    Ok(y) if y.fract() == 0.0 && (1949.0..=2100.0).contains(&y) => {
                        years.push((col, y as i32, estimate));
                    }
                    _ => break,
                }
            }
            if years.len() >= 2 {
                return Ok((row, years));
            }
        }
        Err(self.error(
            start.0,
            3,
            "no row of years (2014, 2015, ..., 2024e) from column D on in the first 40 rows; expected NATO's layout",
        ))
    }

    /// The block whose title in column B starts with `title`, below the header row.
    fn block(&self, title: &str, header_row: u32) -> Result<Block, InputError> {
        let last = self.range.end().map_or(0, |e| e.0);
        let title_row = (header_row + 1..=last)
            .find(|&r| self.text(r, 1).starts_with(title))
            .ok_or_else(|| {
                self.error(
                    header_row + 1,
                    1,
                    format!("no block titled '{title}' in column B; expected NATO's layout"),
                )
            })?;
        let mut allies = Vec::new();
        let mut row = title_row + 1;
        while row <= last {
            let name = self.text(row, 2);
            if name.is_empty() {
                break;
            }
            let bare = name.trim_end_matches('*').trim();
            let iso3 = NAMES
                .iter()
                .find(|(n, _)| *n == bare)
                .map(|(_, code)| code.to_string())
                .ok_or_else(|| {
                    self.error(
                        row,
                        2,
                        format!(
                            "'{name}' is not an ally pledge knows; expected one of {}",
                            NAMES.map(|n| n.0).join(", ")
                        ),
                    )
                })?;
            if allies.iter().any(|a: &AllyRow| a.iso3 == iso3) {
                return Err(self.error(row, 2, format!("'{name}' appears twice in the block")));
            }
            allies.push(AllyRow { iso3, row });
            row += 1;
        }
        if allies.is_empty() {
            return Err(self.error(
                title_row + 1,
                2,
                format!("no ally rows under '{title}'; expected ally names in column C"),
            ));
        }
        let nato_total = (row..=last.min(row + 3)).find(|&r| self.text(r, 1) == "NATO Total");
        Ok(Block {
            allies,
            end: row,
            nato_total,
        })
    }
}

/// Excel's letters for a 0-based column: 0 is `A`, 26 is `AA`.
fn column_letters(mut col: u32) -> String {
    let mut letters = Vec::new();
    loop {
        letters.push(b'A' + (col % 26) as u8);
        if col < 26 {
            break;
        }
        col = col / 26 - 1;
    }
    letters.reverse();
    String::from_utf8(letters).expect("ASCII letters")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_are_named_as_in_excel() {
        assert_eq!(column_letters(0), "A");
        assert_eq!(column_letters(3), "D");
        assert_eq!(column_letters(25), "Z");
        assert_eq!(column_letters(26), "AA");
        assert_eq!(column_letters(27), "AB");
    }
}
