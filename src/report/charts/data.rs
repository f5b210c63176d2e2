//! What each chart shows, picked from [`Results`]: rows chosen by goal, group, item and metric,
//! money converted from USD millions to billions of the currency asked for (USD unless
//! `--currency`, at its stated rate, which the notes of every money chart give), and for each
//! goal the first year in
//! which demand is above capacity in at least half the runs (the mean of `shortfall_prob`
//! reaches 0.5; without runs, the first year the plan is short). Nothing here computes a
//! statistic: every plan value and percentile is read as written.
//!
//! Lines show the median of the runs (solid) in its P10–P90 band, and the plan, the pledge
//! met in full and on time (MODEL.md v2 section 4), as a dotted line: one path, never the
//! headline.

mod planning;

use super::style::{self, CAPACITY, LineStyle};
use crate::data::Item;
use crate::data::currency::Currency;
use crate::data::groups::{BuiltinGroup, GroupKind, display_name};
use crate::results::{ResultRow, Results};
use crate::scenario::metrics::Metric;

/// Width of every chart, pixels.
pub const WIDTH: u32 = 1200;
/// Height of the line charts, pixels.
pub const HEIGHT: u32 = 750;
/// USD millions to USD billions.
const BN_PER_MUSD: f64 = 1e-3;
/// The legend of the plan's dotted line.
pub const PLAN_LABEL: &str = "plan (pledge met in full and on time)";
/// The groups whose spending the fan and difference charts show.
const SPENDING_GROUPS: [BuiltinGroup; 2] = BuiltinGroup::HEADLINE;

/// One chart: its frame (title, legend, notes, footnote) and its body.
#[derive(Debug)]
pub struct Figure {
    /// File stem.
    pub name: String,
    /// Title.
    pub title: String,
    /// Line under the title.
    pub subtitle: String,
    /// Size in pixels.
    pub size: (u32, u32),
    /// First and last year on the x axes.
    pub years: (i32, i32),
    /// Legend entries, drawn under the subtitle.
    pub legend: Vec<LegendItem>,
    /// How to read the chart, drawn above the footnote.
    pub notes: Vec<String>,
    /// Where the numbers come from.
    pub footnote: String,
    /// The panels.
    pub body: Body,
}

/// The panels of a chart.
#[derive(Debug)]
pub enum Body {
    /// Line panels side by side.
    Lines(Vec<LinePanel>),
    /// Annual line panels above cumulative bar panels.
    Difference {
        /// Per year.
        annual: Vec<LinePanel>,
        /// Summed to the horizon.
        cumulative: Vec<BarPanel>,
    },
    /// Items by years, one grid per goal.
    Heatmap(Heatmap),
    /// Allies as horizontal bars.
    Burden(Burden),
    /// Tornado panels of the sensitivity, in rows of two.
    Tornado(super::tornado::Tornado),
    /// Small multiples: line panels in rows of `columns`.
    Grid {
        /// Panels per row.
        columns: usize,
        /// Left to right, top to bottom.
        panels: Vec<LinePanel>,
    },
}

/// A legend entry.
#[derive(Debug)]
pub struct LegendItem {
    /// The sample drawn.
    pub glyph: Glyph,
    /// Its text.
    pub label: String,
}

/// A legend sample.
#[derive(Debug)]
pub enum Glyph {
    /// A line with its marker, over a band swatch when `band` is set.
    Line {
        /// The line.
        style: LineStyle,
        /// Whether a band swatch is drawn behind it.
        band: bool,
        /// Whether the band is an unshaded envelope.
        envelope: bool,
    },
    /// A grey swatch at a band's opacity.
    Swatch {
        /// Opacity.
        alpha: f64,
    },
    /// A bar: hollow for the reference.
    Bar {
        /// Its colour.
        style: LineStyle,
        /// Outline only.
        hollow: bool,
    },
    /// A vertical rule: the first year demand exceeds capacity.
    Rule,
    /// An observed value: a black dot.
    Dot,
}

/// P10, P25, P50, P75 and P90 of one value.
#[derive(Debug, Clone, Copy)]
pub struct Band {
    /// P10.
    pub p10: f64,
    /// P25.
    pub p25: f64,
    /// P50, the median: the solid line.
    pub p50: f64,
    /// P75.
    pub p75: f64,
    /// P90.
    pub p90: f64,
}

/// One year of a series.
#[derive(Debug, Clone, Copy)]
pub struct Point {
    /// Calendar year.
    pub year: i32,
    /// The plan (pledge met in full and on time): the dotted line.
    pub plan: f64,
    /// Percentiles across runs, when runs were made.
    pub band: Option<Band>,
}

/// Which bands a series draws.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bands {
    /// P10-P90 and P25-P75.
    Both,
    /// P10-P90 only.
    Outer,
    /// P10 and P90 as thin lines, unshaded (capacity, set apart from the demand bands).
    Envelope,
}

/// A line with its bands: the median solid (when runs were made) and the plan dotted, both in
/// the colour of `style`.
#[derive(Debug)]
pub struct Series {
    /// How the median is drawn; the plan takes its colour, dotted.
    pub style: LineStyle,
    /// Which bands.
    pub bands: Bands,
    /// Year by year.
    pub points: Vec<Point>,
}

/// A vertical marker at a year.
#[derive(Debug)]
pub struct YearMarker {
    /// The goal's style.
    pub style: LineStyle,
    /// Calendar year.
    pub year: i32,
}

/// A panel of lines over years.
#[derive(Debug)]
pub struct LinePanel {
    /// Caption.
    pub title: String,
    /// Y axis description, with units.
    pub y_desc: String,
    /// Lines; bands are drawn first, lines over them in this order.
    pub series: Vec<Series>,
    /// A horizontal line at zero in this style (the reference of a difference).
    pub zero_line: Option<LineStyle>,
    /// Whether the y axis starts at zero (else it fits the values).
    pub from_zero: bool,
    /// Vertical markers.
    pub markers: Vec<YearMarker>,
    /// Observed values, drawn as black dots over everything.
    pub dots: Vec<(i32, f64)>,
}

/// A horizontal bar with an optional P10-P90 whisker.
#[derive(Debug)]
pub struct Bar {
    /// The goal's style.
    pub style: LineStyle,
    /// The goal's label.
    pub label: String,
    /// The bar's length: the median of the runs, or the plan without runs.
    pub value: f64,
    /// The plan, marked on the bar.
    pub plan: f64,
    /// P10 and P90, when runs were made.
    pub range: Option<(f64, f64)>,
}

/// A panel of horizontal bars, one per goal.
#[derive(Debug)]
pub struct BarPanel {
    /// Caption.
    pub title: String,
    /// X axis description, with units.
    pub x_desc: String,
    /// Top to bottom.
    pub bars: Vec<Bar>,
}

/// Items by years, one grid per goal.
#[derive(Debug)]
pub struct Heatmap {
    /// Columns.
    pub years: Vec<i32>,
    /// Row labels (items).
    pub rows: Vec<String>,
    /// One grid per goal.
    pub panels: Vec<HeatPanel>,
    /// What the colour bar measures.
    pub scale_desc: String,
}

/// One goal's grid.
#[derive(Debug)]
pub struct HeatPanel {
    /// Caption (the goal).
    pub title: String,
    /// `cells[row][column]`, a probability from 0 to 1; `None` where no row was written.
    pub cells: Vec<Vec<Option<f64>>>,
}

/// Allies' spending at the horizon under each goal.
#[derive(Debug)]
pub struct Burden {
    /// The goals' styles, in scenario order.
    pub goals: Vec<LineStyle>,
    /// Allies, top to bottom.
    pub allies: Vec<AllyBars>,
    /// Caption of the money panel.
    pub money_title: String,
    /// X axis description of the money panel (a log scale).
    pub money_desc: String,
    /// Caption of the share panel.
    pub pct_title: String,
    /// X axis description of the share panel.
    pub pct_desc: String,
}

/// One ally's bars.
#[derive(Debug)]
pub struct AllyBars {
    /// Display name.
    pub name: String,
    /// Core spending, billions of the currency shown, per goal.
    pub bn: Vec<f64>,
    /// Core spending, % of GDP, per goal.
    pub pct_gdp: Vec<f64>,
}

/// Every chart of the pack, in the order of issue 4: spending fan, paired difference, one
/// capacity chart per item, shortfall probability, burden. The difference chart needs a second
/// goal; the capacity and shortfall charts need items.
/// The Wales backtest as small multiples, one panel per ally.
pub fn backtest(bt: &crate::backtest::Backtest, footnote: String) -> Figure {
    let first = bt.cells.first().map_or(0, |c| c.year);
    let last = bt.cells.last().map_or(0, |c| c.year);
    // In a colour, without markers: the dots are NATO's figures.
    let simulated = style::LineStyle {
        marker: style::Marker::None,
        ..style::median_style(1)
    };
    let mut panels: Vec<LinePanel> = Vec::new();
    for cell in &bt.cells {
        if panels.last().is_none_or(|p| p.title != cell.iso3) {
            panels.push(LinePanel {
                title: cell.iso3.clone(),
                y_desc: String::new(),
                series: vec![Series {
                    style: simulated,
                    bands: Bands::Outer,
                    points: Vec::new(),
                }],
                zero_line: None,
                from_zero: false,
                markers: Vec::new(),
                dots: Vec::new(),
            });
        }
        let panel = panels.last_mut().expect("pushed above");
        let [_, p10, p50, p90, _] = cell.percentiles;
        panel.series[0].points.push(Point {
            year: cell.year,
            plan: cell.plan,
            band: Some(Band {
                p10,
                p25: p50,
                p50,
                p75: p50,
                p90,
            }),
        });
        panel.dots.push((cell.year, cell.actual));
    }
    let columns = 6;
    let rows = panels.len().div_ceil(columns).max(1) as u32;
    let all = bt.scores.first();
    Figure {
        name: "backtest".to_string(),
        title: "The Wales pledge, 2015-2024: simulated defence shares against NATO's figures"
            .to_string(),
        subtitle: format!(
            "Defence expenditure, % of GDP, per ally; {} of {} ally-years inside P10-P90",
            all.map_or("none".to_string(), |s| format!(
                "{:.0}%",
                100.0 * s.coverage_p10_p90
            )),
            all.map_or(0, |s| s.ally_years)
        ),
        size: (1500, 260 + 190 * rows),
        years: (first, last),
        legend: vec![
            LegendItem {
                glyph: Glyph::Line {
                    style: simulated,
                    band: true,
                    envelope: false,
                },
                label: "median and P10-P90 of the runs".to_string(),
            },
            LegendItem {
                glyph: Glyph::Line {
                    style: style::plan_style(simulated.color),
                    band: false,
                    envelope: false,
                },
                label: "plan: 2% by 2024 in full and on time (allies above keep their share)"
                    .to_string(),
            },
            LegendItem {
                glyph: Glyph::Dot,
                label: "actual (NATO; 2023-2024 estimates)".to_string(),
            },
        ],
        notes: vec![
            "Each ally from its 2014 share towards 2% by 2024 (floor: allies above keep \
             theirs), late by the drawn lag, short by the drawn attainment, with the drawn \
             share drift. 80% of actual values inside P10-P90 would be a calibrated model."
                .to_string(),
        ],
        footnote,
        body: Body::Grid { columns, panels },
    }
}

pub fn figures(results: &Results, currency: Currency) -> Vec<Figure> {
    let context = Context::new(results, currency);
    let mut figures = vec![spending_fan(&context)];
    figures.extend(paired_difference(&context));
    figures.extend(
        results
            .scenario
            .items
            .iter()
            .map(|item| capacity(&context, item)),
    );
    figures.extend(planning::figures(&context));
    figures.extend(shortfall_probability(&context));
    figures.push(burden(&context));
    figures
}

/// What every chart shares.
struct Context<'a> {
    results: &'a Results,
    currency: Currency,
    base_year: i32,
    horizon: i32,
    footnote: String,
    statistics: bool,
}

impl<'a> Context<'a> {
    fn new(results: &'a Results, currency: Currency) -> Context<'a> {
        let statistics = results.has_statistics();
        let vintage = &results.scenario.data.vintage;
        let footnote = if statistics {
            format!(
                "Data: {vintage}; {} Monte Carlo runs, seed {}; pledge {}",
                results.runs,
                results.seed,
                results.tool_version()
            )
        } else {
            format!(
                "Data: {vintage}; plan only (pledge met in full and on time), no Monte Carlo runs; pledge {}",
                results.tool_version()
            )
        };
        Context {
            results,
            currency,
            base_year: results.scenario.base_year(),
            horizon: results.scenario.horizon,
            footnote,
            statistics,
        }
    }

    fn figure(&self, name: String, title: String, size: (u32, u32), body: Body) -> Figure {
        Figure {
            name,
            title,
            subtitle: self.results.scenario.title.clone(),
            size,
            years: (self.base_year, self.horizon),
            legend: Vec::new(),
            notes: Vec::new(),
            footnote: self.footnote.clone(),
            body,
        }
    }

    /// Goal labels with the reference marked.
    fn goal_label(&self, index: usize) -> String {
        let label = &self.results.goals()[index].label;
        if index == 0 {
            format!("{label} (reference)")
        } else {
            label.clone()
        }
    }

    /// "constant 2025 USD", or "constant 2025 prices at 1.13 USD/EUR".
    fn prices(&self) -> String {
        self.currency.prices(self.base_year)
    }

    /// The unit of money: "USD bn", "EUR bn".
    fn bn(&self) -> String {
        format!("{} bn", self.currency.code())
    }

    /// USD millions to billions of the currency shown.
    fn bn_scale(&self) -> f64 {
        BN_PER_MUSD / self.currency.usd_per_unit()
    }

    /// The rate and its source, for the notes of a money chart; nothing in US dollars.
    fn rate_note(&self) -> Option<String> {
        self.currency.rate_note()
    }

    /// The groups of [`SPENDING_GROUPS`] that the results hold, with captions.
    fn spending_groups(&self) -> Vec<(&'static str, String)> {
        SPENDING_GROUPS
            .iter()
            .filter_map(|builtin| {
                let (name, display) = (builtin.name(), builtin.label());
                let group = self.results.scenario.group(name)?;
                let n = group.members.len();
                let allies = if n == 1 { "ally" } else { "allies" };
                Some((name, format!("{display} ({n} {allies})")))
            })
            .collect()
    }

    /// How to read the lines and bands, for the notes.
    fn band_note(&self, bands: Bands) -> String {
        let plan = "dotted lines: the plan (pledge met in full and on time: every ally on its goal by its target year, every capacity plan met), which can lie above P90";
        let runs = self.results.runs;
        match (self.statistics, bands) {
            (false, _) => "Dotted lines: the plan (pledge met in full and on time). No Monte Carlo runs, so no median or bands.".to_string(),
            (true, Bands::Both) => format!(
                "Solid lines: median of {runs} runs; {plan}. Shaded: P25\u{2013}P75 (darker) and P10\u{2013}P90 (lighter)."
            ),
            (true, _) => format!(
                "Solid lines: median of {runs} runs; {plan}. Shaded: P10\u{2013}P90; for capacity, between the thin lines."
            ),
        }
    }

    /// The legend entry of the plan's dotted line.
    fn plan_legend(&self) -> LegendItem {
        LegendItem {
            glyph: Glyph::Line {
                style: style::plan_style(style::BLACK),
                band: false,
                envelope: false,
            },
            label: PLAN_LABEL.to_string(),
        }
    }

    /// The legend entry of goal `g`'s line: its median with runs, else its plan.
    fn goal_legend(&self, g: usize, label: String) -> LegendItem {
        LegendItem {
            glyph: Glyph::Line {
                style: if self.statistics {
                    style::median_style(g)
                } else {
                    style::LineStyle {
                        dash: style::plan_style(style::BLACK).dash,
                        ..style::goal_style(g)
                    }
                },
                band: self.statistics,
                envelope: false,
            },
            label,
        }
    }

    /// Band swatches for the legend, when there are bands.
    fn band_legend(&self, bands: Bands) -> Vec<LegendItem> {
        if !self.statistics {
            return Vec::new();
        }
        let mut items = Vec::new();
        if bands == Bands::Both {
            items.push(LegendItem {
                glyph: Glyph::Swatch {
                    alpha: style::OUTER_BAND_ALPHA + style::INNER_BAND_ALPHA,
                },
                label: "P25\u{2013}P75".to_string(),
            });
        }
        items.push(LegendItem {
            glyph: Glyph::Swatch {
                alpha: style::OUTER_BAND_ALPHA,
            },
            label: "P10\u{2013}P90".to_string(),
        });
        items
    }
}

fn point(row: &ResultRow, scale: f64) -> Point {
    let band = row.stats.as_ref().and_then(|s| {
        let p = s.percentiles;
        let band = Band {
            p10: p[1] * scale,
            p25: p[2] * scale,
            p50: p[3] * scale,
            p75: p[4] * scale,
            p90: p[5] * scale,
        };
        [band.p10, band.p25, band.p50, band.p75, band.p90]
            .iter()
            .all(|v| v.is_finite())
            .then_some(band)
    });
    Point {
        year: row.year,
        plan: row.plan * scale,
        band,
    }
}

fn points(rows: &[&ResultRow], scale: f64) -> Vec<Point> {
    rows.iter().map(|r| point(r, scale)).collect()
}

fn spending_fan(c: &Context) -> Figure {
    let goals = c.results.goals();
    let panels = c
        .spending_groups()
        .into_iter()
        .map(|(group, title)| LinePanel {
            title,
            y_desc: format!("Core defence spending, {} ({})", c.bn(), c.prices()),
            series: (0..goals.len())
                .map(|g| Series {
                    style: style::median_style(g),
                    bands: Bands::Both,
                    points: points(
                        &c.results
                            .group_series(&goals[g].id, group, Metric::CoreMusd),
                        c.bn_scale(),
                    ),
                })
                .collect(),
            zero_line: None,
            from_zero: false,
            markers: Vec::new(),
            dots: Vec::new(),
        })
        .collect();
    let mut figure = c.figure(
        "spending_fan".to_string(),
        format!(
            "Core defence spending under each goal, {}\u{2013}{}",
            c.base_year, c.horizon
        ),
        (WIDTH, HEIGHT),
        Body::Lines(panels),
    );
    figure.legend = (0..goals.len())
        .map(|g| c.goal_legend(g, c.goal_label(g)))
        .chain(c.statistics.then(|| c.plan_legend()))
        .chain(c.band_legend(Bands::Both))
        .collect();
    figure.notes = vec![
        c.band_note(Bands::Both),
        format!(
            "{} is data; later years are projections. Money in {}.",
            c.base_year,
            c.prices()
        ),
    ];
    figure.notes.extend(c.rate_note());
    figure
}

fn paired_difference(c: &Context) -> Option<Figure> {
    let goals = c.results.goals();
    if goals.len() < 2 {
        return None;
    }
    let reference = &goals[0].label;
    let groups = c.spending_groups();
    let annual = groups
        .iter()
        .map(|(group, title)| LinePanel {
            title: title.clone(),
            y_desc: format!("Extra core spending, {} per year", c.bn()),
            series: (1..goals.len())
                .map(|g| Series {
                    style: style::median_style(g),
                    bands: Bands::Both,
                    points: points(
                        &c.results
                            .group_series(&goals[g].id, group, Metric::DeltaCoreMusd),
                        c.bn_scale(),
                    ),
                })
                .collect(),
            zero_line: Some(style::goal_style(0)),
            from_zero: true,
            markers: Vec::new(),
            dots: Vec::new(),
        })
        .collect();
    let cumulative = groups
        .iter()
        .map(|(group, title)| BarPanel {
            title: format!("{title}: total {}\u{2013}{}", c.base_year + 1, c.horizon),
            x_desc: format!("Cumulative extra core spending, {}", c.bn()),
            bars: (1..goals.len())
                .filter_map(|g| {
                    let row = c.results.row(
                        &goals[g].id,
                        c.horizon,
                        group,
                        None,
                        Metric::CumDeltaCoreMusd,
                    )?;
                    let p = point(row, c.bn_scale());
                    Some(Bar {
                        style: style::goal_style(g),
                        label: goals[g].label.clone(),
                        value: p.band.map_or(p.plan, |b| b.p50),
                        plan: p.plan,
                        range: p.band.map(|b| (b.p10, b.p90)),
                    })
                })
                .collect(),
        })
        .collect();
    let mut figure = c.figure(
        "paired_difference".to_string(),
        format!("Each goal minus the reference: extra core spending over {reference}"),
        (WIDTH, 900 + 40 * goals.len().saturating_sub(3) as u32),
        Body::Difference { annual, cumulative },
    );
    figure.legend = (0..goals.len())
        .map(|g| {
            if g == 0 {
                LegendItem {
                    glyph: Glyph::Line {
                        style: style::goal_style(0),
                        band: false,
                        envelope: false,
                    },
                    label: format!("{reference} (reference: zero)"),
                }
            } else {
                c.goal_legend(g, goals[g].label.clone())
            }
        })
        .chain(c.statistics.then(|| c.plan_legend()))
        .chain(c.band_legend(Bands::Both))
        .collect();
    let bars = if c.statistics {
        "Bars: median total; whiskers: P10\u{2013}P90; dotted tick: the plan"
    } else {
        "Bars: the plan's total"
    };
    figure.notes = vec![
        c.band_note(Bands::Both),
        format!(
            "Differences are taken run by run (every goal sees the same draws). {bars}. Money in {}.",
            c.prices()
        ),
    ];
    figure.notes.extend(c.rate_note());
    Some(figure)
}

fn capacity(c: &Context, item: &Item) -> Figure {
    let goals = c.results.goals();
    let item_id = item.id.as_str();
    // With runs: the first year demand is above capacity in half the runs or more; without,
    // the first year the plan's demand is.
    let first_excess: Vec<Option<i32>> = goals
        .iter()
        .map(|goal| {
            c.results
                .item_series(&goal.id, item_id, Metric::ShortfallProb)
                .iter()
                .find(|r| r.stats.as_ref().map_or(r.plan, |s| s.mean) >= 0.5)
                .map(|r| r.year)
        })
        .collect();
    let rows = |goal: &str, metric: Metric| c.results.item_series(goal, item_id, metric);
    let capacity_rows = goals
        .first()
        .map_or_else(Vec::new, |goal| rows(&goal.id, Metric::CapacityUnits));
    let demand_rows: Vec<Vec<&ResultRow>> = goals
        .iter()
        .map(|goal| rows(&goal.id, Metric::DemandUnits))
        .collect();
    // Large counts (shells) read better in thousands or millions.
    let largest = demand_rows
        .iter()
        .flatten()
        .chain(&capacity_rows)
        .map(|r| point(r, 1.0))
        .map(|p| p.band.map_or(p.plan, |b| b.p90.max(p.plan)))
        .fold(0.0_f64, f64::max);
    let (unit, scale) = if largest >= 2e6 {
        ("million units per year", 1e-6)
    } else if largest >= 2e4 {
        ("thousand units per year", 1e-3)
    } else {
        ("units per year", 1.0)
    };
    let capacity = Series {
        style: CAPACITY,
        bands: Bands::Envelope,
        points: points(&capacity_rows, scale),
    };
    let demand = demand_rows.iter().enumerate().map(|(g, rows)| Series {
        style: style::median_style(g),
        bands: Bands::Outer,
        points: points(rows, scale),
    });
    let markers = first_excess
        .iter()
        .enumerate()
        .filter_map(|(g, year)| {
            Some(YearMarker {
                style: style::goal_style(g),
                year: (*year)?,
            })
        })
        .collect();
    let panel = LinePanel {
        title: String::new(),
        y_desc: format!("Production, {unit}"),
        series: std::iter::once(capacity).chain(demand).collect(),
        zero_line: None,
        from_zero: true,
        markers,
        dots: Vec::new(),
    };
    let buyers = match c.results.scenario.group(&item.buyers) {
        Some(g) if g.kind == GroupKind::Ally => {
            c.results.scenario.ally_name(&item.buyers).to_string()
        }
        Some(g) if g.kind == GroupKind::Scenario => format!("the {} group", item.buyers),
        _ => display_name(&item.buyers).to_string(),
    };
    let mut figure = c.figure(
        format!("capacity_{item_id}"),
        format!("{}: demand from {buyers} against capacity", item.label),
        (WIDTH, HEIGHT),
        Body::Lines(vec![panel]),
    );
    let mut legend = vec![LegendItem {
        glyph: Glyph::Line {
            style: CAPACITY,
            band: c.statistics,
            envelope: true,
        },
        label: "Feasible capacity (the same under every goal)".to_string(),
    }];
    let excess = if c.statistics {
        "above capacity in half the runs or more from"
    } else {
        "the plan's demand exceeds capacity from"
    };
    legend.extend((0..goals.len()).map(|g| {
        let what = if c.statistics { "median" } else { "plan" };
        c.goal_legend(
            g,
            match first_excess[g] {
                Some(year) => format!("Demand ({what}), {}: {excess} {year}", c.goal_label(g)),
                None => format!("Demand ({what}), {}", c.goal_label(g)),
            },
        )
    }));
    if c.statistics {
        legend.push(c.plan_legend());
    }
    if first_excess.iter().any(Option::is_some) {
        legend.push(LegendItem {
            glyph: Glyph::Rule,
            label: if c.statistics {
                "First year demand is above capacity in half the runs or more".to_string()
            } else {
                "First year the plan's demand exceeds capacity".to_string()
            },
        });
    }
    legend.extend(c.band_legend(Bands::Outer));
    figure.legend = legend;
    figure.notes = vec![
        c.band_note(Bands::Outer),
        "Demand: the units the goal's equipment money would buy each year; capacity: what the line can build (its plan: every announced capacity plan met).".to_string(),
    ];
    figure
}

fn shortfall_probability(c: &Context) -> Option<Figure> {
    let results = c.results;
    let items = &results.scenario.items;
    if items.is_empty() {
        return None;
    }
    let years: Vec<i32> = results.years().collect();
    let panels: Vec<HeatPanel> = results
        .goals()
        .iter()
        .enumerate()
        .map(|(g, goal)| HeatPanel {
            title: c.goal_label(g),
            cells: items
                .iter()
                .map(|item| {
                    years
                        .iter()
                        .map(|&year| {
                            let row = results.row(
                                &goal.id,
                                year,
                                &item.buyers,
                                Some(&item.id),
                                Metric::ShortfallProb,
                            )?;
                            Some(row.stats.as_ref().map_or(row.plan, |s| s.mean))
                        })
                        .collect()
                })
                .collect(),
        })
        .collect();
    let height = 190 + panels.len() as u32 * (56 + 26 * items.len() as u32);
    let (scale_desc, note) = if c.statistics {
        (
            "Probability that demand exceeds capacity".to_string(),
            format!(
                "Cell: share of the {} runs in which the year's demand exceeds feasible capacity.",
                results.runs
            ),
        )
    } else {
        (
            "Demand exceeds capacity in the plan (pledge met in full and on time)".to_string(),
            "No Monte Carlo runs: 100% marks the years in which the plan's demand exceeds capacity.".to_string(),
        )
    };
    let mut figure = c.figure(
        "shortfall_probability".to_string(),
        "Probability that demand exceeds production capacity".to_string(),
        (WIDTH, height),
        Body::Heatmap(Heatmap {
            years,
            rows: items.iter().map(|i| i.label.clone()).collect(),
            panels,
            scale_desc,
        }),
    );
    figure.notes = vec![note];
    Some(figure)
}

fn burden(c: &Context) -> Figure {
    let results = c.results;
    let goals = results.goals();
    // The median of the runs; without runs, the plan.
    let value = |goal: &str, iso3: &str, metric: Metric| {
        results
            .row(goal, c.horizon, iso3, None, metric)
            .map_or(0.0, |r| {
                r.stats.as_ref().map_or(r.plan, |s| s.percentiles[3])
            })
    };
    let mut allies: Vec<AllyBars> = results
        .scenario
        .groups
        .iter()
        .filter(|g| g.kind == GroupKind::Ally)
        .map(|g| AllyBars {
            name: results.scenario.ally_name(&g.name).to_string(),
            bn: goals
                .iter()
                .map(|goal| value(&goal.id, &g.name, Metric::CoreMusd) * c.bn_scale())
                .collect(),
            pct_gdp: goals
                .iter()
                .map(|goal| value(&goal.id, &g.name, Metric::CorePctGdp))
                .collect(),
        })
        .collect();
    allies.sort_by(|a, b| {
        let last = |x: &AllyBars| x.bn.last().copied().unwrap_or(0.0);
        last(b)
            .total_cmp(&last(a))
            .then_with(|| a.name.cmp(&b.name))
    });
    let row_height = (8 * goals.len() as u32 + 6).max(18);
    let height = 250 + allies.len() as u32 * row_height;
    let last = goals.last().map_or(String::new(), |g| g.label.clone());
    let mut figure = c.figure(
        "burden".to_string(),
        format!(
            "Core defence spending by ally in {} under each goal",
            c.horizon
        ),
        (WIDTH, height.max(HEIGHT)),
        Body::Burden(Burden {
            goals: (0..goals.len()).map(style::goal_style).collect(),
            allies,
            money_title: format!("{} (log scale)", c.bn()),
            money_desc: format!(
                "Core defence spending in {}, {} ({}), log scale",
                c.horizon,
                c.bn(),
                c.prices()
            ),
            pct_title: "% of GDP".to_string(),
            pct_desc: format!("Core defence spending in {}, % of GDP", c.horizon),
        }),
    );
    figure.legend = (0..goals.len())
        .map(|g| LegendItem {
            glyph: Glyph::Bar {
                style: style::goal_style(g),
                hollow: g == 0,
            },
            label: c.goal_label(g),
        })
        .collect();
    let what = if c.statistics {
        format!("Median of {} runs", results.runs)
    } else {
        "The plan (pledge met in full and on time)".to_string()
    };
    figure.notes = vec![
        format!(
            "{what}. Bars top to bottom in legend order; allies sorted by spending under \u{2018}{last}\u{2019}; the numbers are that goal's."
        ),
        format!(
            "Money on a log scale, so that small allies are readable: each power of ten takes the same width, and every bar starts at the left edge of the axis, so read a bar's value at its end, not its length. An ally without core spending has no bar. Money in {}; % of GDP on a linear scale.",
            c.prices()
        ),
    ];
    figure.notes.extend(c.rate_note());
    figure
}
