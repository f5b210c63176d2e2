//! The builtin tables laid out for reading in a terminal (`pledge data allies`): aligned
//! columns, numbers right-aligned, long source texts left to the CSV and JSON formats.

use super::{Ally, Item, Purchase};

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

/// The allies as a table.
pub fn allies_table(allies: &[Ally]) -> Vec<u8> {
    let header = [
        "iso3",
        "name",
        "eu",
        "region",
        "gdp_usd_bn",
        "defence_pct_gdp",
        "equipment_pct",
        "equipment_basis",
        "growth_mean_pct",
        "growth_sd_pct",
    ];
    let rows: Vec<Vec<String>> = allies
        .iter()
        .map(|a| {
            vec![
                a.iso3.clone(),
                a.name.clone(),
                if a.eu { "yes" } else { "no" }.to_string(),
                a.region.as_str().to_string(),
                format!("{:.3}", a.gdp_usd_bn),
                a.defence_pct_gdp.to_string(),
                a.equipment_pct.to_string(),
                a.equipment_basis.clone(),
                format!("{:.2}", a.growth_mean_pct),
                format!("{:.2}", a.growth_sd_pct),
            ]
        })
        .collect();
    let footer = format!(
        "{} allies, base year {}. GDP: IMF WEO Oct 2025; defence % of GDP: NATO; 'imputed' equipment \
         shares are assumptions.\nEvery figure's source: pledge data allies --format csv (column 'source').\n",
        allies.len(),
        super::builtin::BASE_YEAR
    );
    render(&header, &rows, &[4, 5, 6, 8, 9], &footer)
}

/// The items as a table.
pub fn items_table(items: &[Item]) -> Vec<u8> {
    let header = [
        "id",
        "category",
        "buyers",
        "base_utilization",
        "alpha",
        "unit_cost_musd",
        "cost_sigma",
        "capacity",
        "growth_min_pct",
        "growth_mode_pct",
        "growth_max_pct",
        "lead_years",
    ];
    let rows: Vec<Vec<String>> = items
        .iter()
        .map(|i| {
            let (utilization, alpha) = match i.purchase {
                Purchase::Alpha(a) => (String::new(), a.to_string()),
                Purchase::BaseUtilization(u) => (u.to_string(), String::new()),
            };
            vec![
                i.id.clone(),
                i.category.as_str().to_string(),
                i.buyers.clone(),
                utilization,
                alpha,
                i.unit_cost_musd.to_string(),
                i.cost_sigma.to_string(),
                i.capacity_units_per_year.to_string(),
                i.capacity_growth_pct.min().to_string(),
                i.capacity_growth_pct.mode().to_string(),
                i.capacity_growth_pct.max().to_string(),
                i.lead_years.to_string(),
            ]
        })
        .collect();
    let footer = format!(
        "{} production lines; capacity in units per year, unit cost in USD millions ({}).\n\
         Sources and labelled assumptions: pledge data items --format csv (columns 'source', 'notes').\n",
        items.len(),
        super::builtin::BASE_YEAR
    );
    render(&header, &rows, &[3, 4, 5, 6, 7, 8, 9, 10, 11], &footer)
}
