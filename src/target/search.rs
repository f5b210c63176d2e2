//! The search of `pledge target`: per run, the smallest goal level at which the targets are
//! affordable; over the runs, the probability curve and the levels for 50% and 90%.
//!
//! **Grid.** The searched goal's `core_pct` takes the levels `k / 100` % of GDP, `k = 0..=1000`
//! ([`LEVELS`]): 0% to 10% in steps of 0.01 percentage points. One [`Model`] per level is built
//! the first time a run needs it and kept ([`OnceLock`]), so no run builds one.
//!
//! **Per run.** A run's draws ([`Sampler::fill`] from [`rng::run_rng`]`(seed, r)`) are drawn once
//! and the model is evaluated on them at as many levels as the bisection needs (about 12): the
//! top level first (not affordable there: "not reached at 10%"), then level 0, then halves of
//! the bracket. Affordability can only grow with the level in a run (a higher goal never lowers
//! an ally's share, hence never the group's equipment money, hence never the money added in a
//! category), so the bisection finds the run's smallest affordable level exactly.
//!
//! **Over runs.** Every level sees the same runs (common random numbers), so `p(x)`, the share
//! of runs affordable at `x`, is the share of runs whose smallest level is at most `x`: a
//! histogram of levels gives the whole curve. The answer for a probability `P` is the smallest
//! level whose count reaches `P * runs`, an integer comparison.
//!
//! **Second pass.** With the answers known, every run is drawn again (the same draws), to
//! evaluate the scenario's own goals (the probability that each pays for the targets) and the
//! group's core share of GDP in the targets' year at each answer level.
//!
//! **Reproducibility.** Runs are split into blocks of [`crate::mc::BLOCK_RUNS`]; each worker of the rayon
//! pool takes a contiguous part and counts into its own tallies, which are merged in part order.
//! Counts are integers and [`Sketch`]es merge exactly, so the outcome does not depend on the
//! number of threads, to the bit.

use super::{Amount, Targets, searched_goal};
use crate::mc::{self, Sampler, Sketch, rng};
use crate::model::draws::Draws;
use crate::model::{Model, SHORTFALL_TOLERANCE, Workspace};
use crate::scenario::Scenario;
use crate::scenario::metrics::{Layout, Metric, RowKey};
use crate::stop::StopFlag;
use rayon::prelude::*;
use std::ops::Range;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, Ordering};

/// Number of goal levels searched: 0% to 10% of GDP in steps of [`STEP_PP`].
pub const LEVELS: usize = 1001;
/// The step between levels, percentage points of GDP.
pub const STEP_PP: f64 = 0.01;
/// The probabilities the answers are given for, in %.
pub const PROBABILITIES_PCT: [u64; 2] = [50, 90];

/// The core share of GDP of level `k`, %: `k / 100`.
pub fn level_pct(k: usize) -> f64 {
    k as f64 / 100.0
}

/// What a run must show for the targets to count as met.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Condition {
    /// The group's added money pays for them.
    Affordable,
    /// Affordable, and every item's spare capacity delivers them.
    AffordableAndDeliverable,
}

impl Condition {
    /// Both, in the order reported.
    pub const ALL: [Condition; 2] = [Condition::AffordableAndDeliverable, Condition::Affordable];

    /// The spelling in `target.csv` and `target.json`.
    pub fn as_str(self) -> &'static str {
        match self {
            Condition::Affordable => "affordable",
            Condition::AffordableAndDeliverable => "affordable_and_deliverable",
        }
    }
}

/// Why no level reaches a probability.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotReached {
    /// Fewer runs than the probability asks are deliverable, whatever the share: capacity.
    Capacity,
    /// Not reached at the top level, 10% of GDP.
    Ceiling,
}

/// The P10, P50 and P90 of a value over the runs, nearest rank.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Band {
    /// 10th percentile.
    pub p10: f64,
    /// Median.
    pub p50: f64,
    /// 90th percentile.
    pub p90: f64,
}

/// The answer for one condition and one probability.
#[derive(Debug, Clone, PartialEq)]
pub struct Answer {
    /// What the runs must show.
    pub condition: Condition,
    /// The probability asked for, %.
    pub probability_pct: u64,
    /// The smallest level with at least that probability, if any.
    pub level: Option<usize>,
    /// Why there is none.
    pub not_reached: Option<NotReached>,
    /// The group's core spending in the targets' year at that level, % of its GDP, over the
    /// runs.
    pub group_core_pct: Option<Band>,
    /// The same in the plan (the pledge met in full and on time).
    pub group_core_pct_plan: Option<f64>,
}

/// The probabilities under one of the scenario's own goals.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GoalOdds {
    /// Runs in which the goal pays for the targets.
    pub affordable: u64,
    /// Runs in which it pays and every item delivers.
    pub affordable_and_deliverable: u64,
}

/// Deliverability of one target over the runs.
#[derive(Debug, Clone, PartialEq)]
pub struct Delivery {
    /// Runs in which the item's spare capacity covers the target.
    pub runs: u64,
    /// The spare capacity: units over `B+1..=year` for a quantity, the least units a year over
    /// `year..=H` for a rate.
    pub spare: Band,
    /// The same in the plan.
    pub spare_plan: f64,
}

/// Everything the search found.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    /// Runs made.
    pub runs: u64,
    /// Their seed.
    pub seed: u64,
    /// Per level, the runs whose smallest affordable level it is; one more entry at the end for
    /// the runs not affordable at the top level.
    pub affordable_by_level: Vec<u64>,
    /// The same, counting deliverable runs only.
    pub both_by_level: Vec<u64>,
    /// Runs in which every target is deliverable.
    pub deliverable: u64,
    /// Per target.
    pub delivery: Vec<Delivery>,
    /// The answers: per [`Condition::ALL`], per [`PROBABILITIES_PCT`].
    pub answers: Vec<Answer>,
    /// Per goal of the scenario.
    pub goals: Vec<GoalOdds>,
    /// The smallest affordable level in the plan, if any.
    pub plan_level: Option<usize>,
    /// Whether every target is deliverable in the plan.
    pub plan_deliverable: bool,
}

impl Outcome {
    /// `p(x)` at level `k` for `condition`: the share of runs that meet it at that level.
    pub fn probability(&self, condition: Condition, k: usize) -> f64 {
        self.count(condition, k) as f64 / self.runs as f64
    }

    /// Runs that meet `condition` at level `k`.
    pub fn count(&self, condition: Condition, k: usize) -> u64 {
        cumulative(self.counts(condition), k)
    }

    fn counts(&self, condition: Condition) -> &[u64] {
        match condition {
            Condition::Affordable => &self.affordable_by_level,
            Condition::AffordableAndDeliverable => &self.both_by_level,
        }
    }
}

/// Runs whose level is at most `k`.
fn cumulative(counts: &[u64], k: usize) -> u64 {
    counts[..=k].iter().sum()
}

/// The smallest level whose cumulative count reaches `probability_pct`% of `runs`.
fn smallest_level(counts: &[u64], runs: u64, probability_pct: u64) -> Option<usize> {
    let mut seen: u64 = 0;
    for (k, &c) in counts[..LEVELS].iter().enumerate() {
        seen += c;
        if u128::from(seen) * 100 >= u128::from(probability_pct) * u128::from(runs) {
            return Some(k);
        }
    }
    None
}

/// Rows of one goal in a layout: the group's equipment spending per year index.
#[derive(Debug, Clone)]
struct GoalRows {
    equipment: Vec<usize>,
}

/// The targets of one category, which share its money.
#[derive(Debug, Clone)]
struct Category {
    /// A model item of the category, bought by the group: its added money is the category's.
    money_item: usize,
    /// Targets (indices) given as quantities, and as rates.
    units: Vec<usize>,
    rates: Vec<usize>,
}

/// A value's sketch and exact range, for its P10, P50 and P90.
#[derive(Debug, Clone, Default)]
struct Stats {
    sketch: Sketch,
    min: f64,
    max: f64,
}

impl Stats {
    fn new() -> Stats {
        Stats {
            sketch: Sketch::default(),
            min: f64::INFINITY,
            max: f64::NEG_INFINITY,
        }
    }

    fn insert(&mut self, value: f64) {
        self.sketch.insert(value);
        self.min = self.min.min(value);
        self.max = self.max.max(value);
    }

    fn merge(&mut self, other: &Stats) {
        self.sketch.merge(&other.sketch);
        self.min = self.min.min(other.min);
        self.max = self.max.max(other.max);
    }

    /// Nearest-rank P10, P50 and P90 clamped to the observed range; exact when every run gave
    /// the same value.
    fn band(&self) -> Band {
        let [p10, p50, p90] = if self.min == self.max {
            [self.min; 3]
        } else {
            self.sketch
                .quantiles([0.1, 0.5, 0.9])
                .expect("a band is taken after at least one run")
                .map(|v| v.clamp(self.min, self.max))
        };
        Band { p10, p50, p90 }
    }
}

/// One worker's reusable buffers.
struct Scratch {
    draws: Draws,
    work: Workspace,
    out: Vec<f64>,
    out_scenario: Vec<f64>,
    /// Unit cost per target and year index, USD millions.
    unit_cost: Vec<f64>,
    /// Per category and year index: the cost of its quantities' basket, and of its rates.
    basket_cost: Vec<f64>,
    rate_cost: Vec<f64>,
    /// Per target: its spare capacity in this run.
    spare: Vec<f64>,
}

/// What the first pass counts.
#[derive(Debug, Clone)]
struct FirstTally {
    affordable: Vec<u64>,
    both: Vec<u64>,
    deliverable: u64,
    items: Vec<u64>,
    spare: Vec<Stats>,
}

/// What the second pass counts.
#[derive(Debug, Clone)]
struct SecondTally {
    goals: Vec<GoalOdds>,
    core_pct: Vec<Stats>,
}

/// A study of targets against one scenario, ready to run.
#[derive(Debug)]
pub struct Search<'a> {
    scenario: &'a Scenario,
    targets: &'a Targets,
    /// The scenario with the searched goal as its one goal (its `core_pct` set per level).
    searched: Scenario,
    levels: Vec<OnceLock<Model>>,
    scenario_model: Model,
    sampler: Sampler,
    plan_draws: Draws,
    categories: Vec<Category>,
    level_rows: GoalRows,
    level_capacity: Vec<Vec<usize>>,
    level_core_pct: usize,
    scenario_rows: Vec<GoalRows>,
    scenario_capacity: Vec<Vec<usize>>,
    /// `year - B`.
    year_index: usize,
    /// `H - B + 1`.
    years: usize,
    level_width: usize,
    scenario_width: usize,
}

impl<'a> Search<'a> {
    /// A search of `targets` on `scenario` (whose `runs` and `seed` are used). Builds the
    /// scenario's model and the row look-ups; the level models are built as runs need them.
    pub fn new(scenario: &'a Scenario, targets: &'a Targets) -> Search<'a> {
        let template = &scenario.goals[targets.goal];
        let mut searched = scenario.clone();
        searched.goals = vec![searched_goal(template, 0.0)];
        let years = scenario.years().count();
        let year_index = (targets.year - scenario.base_year()) as usize;
        let group = targets.group_index;
        let level_layout = Layout::new(&searched);
        let scenario_layout = Layout::new(scenario);
        let rows_of = |layout: &Layout, goal: usize| GoalRows {
            equipment: scenario
                .years()
                .map(|year| row(layout, goal, year, group, None, Metric::EquipmentMusd))
                .collect(),
        };
        let capacity_of = |layout: &Layout| -> Vec<Vec<usize>> {
            targets
                .targets
                .iter()
                .map(|t| {
                    scenario
                        .years()
                        .map(|year| {
                            row(layout, 0, year, group, Some(t.item), Metric::CapacityUnits)
                        })
                        .collect()
                })
                .collect()
        };
        let mut categories: Vec<Category> = Vec::new();
        for (index, t) in targets.targets.iter().enumerate() {
            let category = scenario.items[t.item].category;
            let position = categories
                .iter()
                .position(|c| scenario.items[c.money_item].category == category);
            let c = match position {
                Some(p) => &mut categories[p],
                None => {
                    categories.push(Category {
                        money_item: t.item,
                        units: Vec::new(),
                        rates: Vec::new(),
                    });
                    categories.last_mut().expect("just pushed")
                }
            };
            match t.amount {
                Amount::Units(_) => c.units.push(index),
                Amount::UnitsPerYear(_) => c.rates.push(index),
            }
        }
        Search {
            scenario,
            targets,
            levels: (0..LEVELS).map(|_| OnceLock::new()).collect(),
            scenario_model: Model::new(scenario),
            sampler: Sampler::new(scenario),
            plan_draws: Draws::plan(scenario),
            categories,
            level_rows: rows_of(&level_layout, 0),
            level_capacity: capacity_of(&level_layout),
            level_core_pct: row(
                &level_layout,
                0,
                targets.year,
                group,
                None,
                Metric::CorePctGdp,
            ),
            scenario_rows: (0..scenario.goals.len())
                .map(|g| rows_of(&scenario_layout, g))
                .collect(),
            scenario_capacity: capacity_of(&scenario_layout),
            year_index,
            years,
            level_width: level_layout.len(),
            scenario_width: scenario_layout.len(),
            searched,
        }
    }

    /// Values the model computes per run, about: twelve evaluations of the searched goal for the
    /// bisection, then the scenario's goals and up to four answer levels. For estimates.
    pub fn values_per_run(&self) -> u64 {
        (16 * self.level_width + self.scenario_width) as u64
    }

    /// The model of level `k`, built on first use.
    fn model(&self, k: usize) -> &Model {
        self.levels[k].get_or_init(|| {
            let mut scenario = self.searched.clone();
            scenario.goals[0].core_pct = Some(level_pct(k));
            Model::new(&scenario)
        })
    }

    fn scratch(&self) -> Scratch {
        let targets = self.targets.targets.len();
        let categories = self.categories.len();
        Scratch {
            draws: self.plan_draws.clone(),
            work: Workspace::default(),
            out: vec![0.0; self.level_width],
            out_scenario: vec![0.0; self.scenario_width],
            unit_cost: vec![0.0; targets * self.years],
            basket_cost: vec![0.0; categories * self.years],
            rate_cost: vec![0.0; categories * self.years],
            spare: vec![0.0; targets],
        }
    }

    fn evaluate_level(&self, k: usize, s: &mut Scratch) {
        self.model(k).evaluate(&s.draws, &mut s.work, &mut s.out);
    }

    /// After an evaluation into `s.work` and `out`: the run's unit costs, basket costs and
    /// spare capacities (none depend on the goal). Returns whether every target is
    /// deliverable.
    fn prepare_run(
        &self,
        out: &[f64],
        rows: &GoalRows,
        capacity: &[Vec<usize>],
        s: &mut Scratch,
    ) -> bool {
        let model = &self.scenario_model;
        let (y_end, years) = (self.year_index, self.years);
        for (i, t) in self.targets.targets.iter().enumerate() {
            for y in 0..years {
                s.unit_cost[i * years + y] = model.unit_cost_musd(&s.work, t.item, y);
            }
        }
        for (c, category) in self.categories.iter().enumerate() {
            for y in 1..years {
                let cost = |list: &[usize], s: &Scratch| -> f64 {
                    list.iter()
                        .map(|&i| {
                            self.targets.targets[i].amount.value() * s.unit_cost[i * years + y]
                        })
                        .sum()
                };
                s.basket_cost[c * years + y] = cost(&category.units, s);
                s.rate_cost[c * years + y] = cost(&category.rates, s);
            }
        }
        let base_equipment = out[rows.equipment[0]];
        let mut deliverable = true;
        for (i, t) in self.targets.targets.iter().enumerate() {
            // What the base-year money buys at this year's unit cost: today's programmes.
            let base_money = model.item_spend_musd(t.item, base_equipment, &s.draws);
            let spare_in = |y: usize| out[capacity[i][y]] - base_money / s.unit_cost[i * years + y];
            let spare = match t.amount {
                Amount::Units(_) => (1..=y_end).map(spare_in).sum::<f64>(),
                Amount::UnitsPerYear(_) => {
                    (y_end..years).map(spare_in).fold(f64::INFINITY, f64::min)
                }
            };
            s.spare[i] = spare;
            deliverable &= spare >= t.amount.value() * (1.0 - SHORTFALL_TOLERANCE);
        }
        deliverable
    }

    /// Whether the group's added money in `out` (a goal's `rows`) pays for the targets, at the
    /// costs [`Search::prepare_run`] left in `s`.
    fn affordable(&self, out: &[f64], rows: &GoalRows, s: &Scratch) -> bool {
        let model = &self.scenario_model;
        let (y_end, years) = (self.year_index, self.years);
        let enough = 1.0 - SHORTFALL_TOLERANCE;
        self.categories.iter().enumerate().all(|(c, category)| {
            let added = |y: usize| {
                model.added_category_musd(category.money_item, out[rows.equipment[y]], &s.draws)
            };
            let has_rates = !category.rates.is_empty();
            // A rate is paid first, in every year from the targets' year to the horizon.
            if has_rates && (y_end..years).any(|y| added(y) < s.rate_cost[c * years + y] * enough) {
                return false;
            }
            if category.units.is_empty() {
                return true;
            }
            // Each year's money buys a share of the basket at that year's prices.
            let mut bought = 0.0;
            for y in 1..=y_end {
                let mut money = added(y);
                if has_rates && y == y_end {
                    money -= s.rate_cost[c * years + y];
                }
                bought += money / s.basket_cost[c * years + y];
            }
            bought >= enough
        })
    }

    /// The run in `s.draws`: its smallest affordable level (`None`: not at the top level), and
    /// whether it is deliverable (spare capacities left in `s.spare`).
    fn run_level(&self, s: &mut Scratch) -> (Option<usize>, bool) {
        let top = LEVELS - 1;
        self.evaluate_level(top, s);
        let out = std::mem::take(&mut s.out);
        let deliverable = self.prepare_run(&out, &self.level_rows, &self.level_capacity, s);
        s.out = out;
        if !self.affordable(&s.out, &self.level_rows, s) {
            return (None, deliverable);
        }
        self.evaluate_level(0, s);
        if self.affordable(&s.out, &self.level_rows, s) {
            return (Some(0), deliverable);
        }
        let (mut lo, mut hi) = (0, top);
        while hi - lo > 1 {
            let mid = lo + (hi - lo) / 2;
            self.evaluate_level(mid, s);
            if self.affordable(&s.out, &self.level_rows, s) {
                hi = mid;
            } else {
                lo = mid;
            }
        }
        (Some(hi), deliverable)
    }

    /// Runs `per_run` on every run's draws, `step` blocks at a time on the current rayon pool,
    /// each worker into its own tally, merged in order; `None` when `stop` was set.
    fn pass<T: Send>(
        &self,
        step: u64,
        done: &AtomicU64,
        stop: &StopFlag,
        new: impl Fn() -> T + Sync,
        per_run: impl Fn(&mut Scratch, &mut T) + Sync,
        merge: impl Fn(&mut T, T),
    ) -> Option<T> {
        let runs = self.scenario.runs;
        let blocks = mc::block_count(runs);
        let mut total = new();
        let mut start = 0;
        while start < blocks {
            if stop.is_set() {
                return None;
            }
            let end = blocks.min(start.saturating_add(step.max(1)));
            let workers = rayon::current_num_threads().max(1) as u64;
            let count = end - start;
            let parts: Vec<Range<u64>> = (0..workers)
                .map(|w| start + count * w / workers..start + count * (w + 1) / workers)
                .filter(|r| !r.is_empty())
                .collect();
            let tallies: Vec<T> = parts
                .into_par_iter()
                .map(|part| {
                    let mut s = self.scratch();
                    let mut tally = new();
                    for block in part {
                        let (first, last) =
                            (mc::first_run(block, runs), mc::first_run(block + 1, runs));
                        for run in first..last {
                            let mut generator = rng::run_rng(self.scenario.seed, run);
                            self.sampler.fill(&mut generator, &mut s.draws);
                            per_run(&mut s, &mut tally);
                        }
                        done.fetch_add(last - first, Ordering::Relaxed);
                    }
                    tally
                })
                .collect();
            for tally in tallies {
                merge(&mut total, tally);
            }
            start = end;
        }
        Some(total)
    }

    /// Both passes over the runs, on the current rayon pool, `step` blocks of
    /// [`crate::mc::BLOCK_RUNS`] runs at a time; `done` counts each pass's runs (twice the runs in all).
    /// `None` when `stop` was set.
    pub fn run(&self, step: u64, done: &AtomicU64, stop: &StopFlag) -> Option<Outcome> {
        let targets = self.targets.targets.len();
        let first = self.pass(
            step,
            done,
            stop,
            || FirstTally {
                affordable: vec![0; LEVELS + 1],
                both: vec![0; LEVELS + 1],
                deliverable: 0,
                items: vec![0; targets],
                spare: vec![Stats::new(); targets],
            },
            |s, tally| {
                let (level, deliverable) = self.run_level(s);
                let slot = level.unwrap_or(LEVELS);
                tally.affordable[slot] += 1;
                if deliverable {
                    tally.both[slot] += 1;
                    tally.deliverable += 1;
                }
                for (i, t) in self.targets.targets.iter().enumerate() {
                    if s.spare[i] >= t.amount.value() * (1.0 - SHORTFALL_TOLERANCE) {
                        tally.items[i] += 1;
                    }
                    tally.spare[i].insert(s.spare[i]);
                }
            },
            |total, part| {
                add_counts(&mut total.affordable, &part.affordable);
                add_counts(&mut total.both, &part.both);
                total.deliverable += part.deliverable;
                add_counts(&mut total.items, &part.items);
                for (a, b) in total.spare.iter_mut().zip(&part.spare) {
                    a.merge(b);
                }
            },
        )?;
        let runs = self.scenario.runs;
        let mut answers: Vec<Answer> = Vec::new();
        for condition in Condition::ALL {
            let counts = match condition {
                Condition::Affordable => &first.affordable,
                Condition::AffordableAndDeliverable => &first.both,
            };
            for probability_pct in PROBABILITIES_PCT {
                let level = smallest_level(counts, runs, probability_pct);
                let capacity_short = condition == Condition::AffordableAndDeliverable
                    && u128::from(first.deliverable) * 100
                        < u128::from(probability_pct) * u128::from(runs);
                let not_reached = match (level, capacity_short) {
                    (Some(_), _) => None,
                    (None, true) => Some(NotReached::Capacity),
                    (None, false) => Some(NotReached::Ceiling),
                };
                answers.push(Answer {
                    condition,
                    probability_pct,
                    level,
                    not_reached,
                    group_core_pct: None,
                    group_core_pct_plan: None,
                });
            }
        }
        let mut answer_levels: Vec<usize> = answers.iter().filter_map(|a| a.level).collect();
        answer_levels.sort_unstable();
        answer_levels.dedup();
        let goals = self.scenario.goals.len();
        let second = self.pass(
            step,
            done,
            stop,
            || SecondTally {
                goals: vec![
                    GoalOdds {
                        affordable: 0,
                        affordable_and_deliverable: 0,
                    };
                    goals
                ],
                core_pct: vec![Stats::new(); answer_levels.len()],
            },
            |s, tally| {
                let mut out = std::mem::take(&mut s.out_scenario);
                self.scenario_model
                    .evaluate(&s.draws, &mut s.work, &mut out);
                let deliverable =
                    self.prepare_run(&out, &self.scenario_rows[0], &self.scenario_capacity, s);
                for (g, rows) in self.scenario_rows.iter().enumerate() {
                    if self.affordable(&out, rows, s) {
                        tally.goals[g].affordable += 1;
                        if deliverable {
                            tally.goals[g].affordable_and_deliverable += 1;
                        }
                    }
                }
                s.out_scenario = out;
                for (a, &k) in answer_levels.iter().enumerate() {
                    self.evaluate_level(k, s);
                    tally.core_pct[a].insert(s.out[self.level_core_pct]);
                }
            },
            |total, part| {
                for (a, b) in total.goals.iter_mut().zip(&part.goals) {
                    a.affordable += b.affordable;
                    a.affordable_and_deliverable += b.affordable_and_deliverable;
                }
                for (a, b) in total.core_pct.iter_mut().zip(&part.core_pct) {
                    a.merge(b);
                }
            },
        )?;
        // The plan: the same questions on the plan's draws.
        let mut s = self.scratch();
        let (plan_level, plan_deliverable) = self.run_level(&mut s);
        let plan_spare = s.spare.clone();
        for answer in &mut answers {
            if let Some(k) = answer.level {
                let a = answer_levels.binary_search(&k).expect("listed above");
                answer.group_core_pct = Some(second.core_pct[a].band());
                self.evaluate_level(k, &mut s);
                answer.group_core_pct_plan = Some(s.out[self.level_core_pct]);
            }
        }
        Some(Outcome {
            runs,
            seed: self.scenario.seed,
            affordable_by_level: first.affordable,
            both_by_level: first.both,
            deliverable: first.deliverable,
            delivery: first
                .items
                .iter()
                .zip(&first.spare)
                .zip(plan_spare)
                .map(|((&runs, spare), spare_plan)| Delivery {
                    runs,
                    spare: spare.band(),
                    spare_plan,
                })
                .collect(),
            answers,
            goals: second.goals,
            plan_level,
            plan_deliverable,
        })
    }
}

fn add_counts(total: &mut [u64], part: &[u64]) {
    for (a, b) in total.iter_mut().zip(part) {
        *a += b;
    }
}

/// The index of a row in `layout`.
fn row(
    layout: &Layout,
    goal: usize,
    year: i32,
    group: usize,
    item: Option<usize>,
    metric: Metric,
) -> usize {
    layout
        .find(&RowKey {
            goal,
            year,
            group,
            item,
            metric,
        })
        .expect("the layout has a row for every goal, year, group and item")
}

/// Runs the search of `targets` on `scenario` on the current rayon pool: see [`Search::run`].
pub fn search(
    scenario: &Scenario,
    targets: &Targets,
    step: u64,
    done: &AtomicU64,
    stop: &StopFlag,
) -> Option<Outcome> {
    Search::new(scenario, targets).run(step, done, stop)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_smallest_level_is_an_integer_comparison() {
        let mut counts = vec![0; LEVELS + 1];
        counts[3] = 5;
        counts[7] = 4;
        counts[LEVELS] = 1;
        assert_eq!(smallest_level(&counts, 10, 50), Some(3));
        assert_eq!(smallest_level(&counts, 10, 90), Some(7));
        assert_eq!(smallest_level(&counts, 10, 91), None);
        assert_eq!(cumulative(&counts, 6), 5);
        assert_eq!(level_pct(350), 3.5);
        assert_eq!(level_pct(LEVELS - 1), 10.0);
    }

    #[test]
    fn a_stop_ends_the_search_and_the_steps_change_no_bit() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
        let (targets, mut scenario) =
            super::super::load(&root.join("targets-bruegel-kiel-2025.toml")).unwrap();
        scenario.runs = 100;
        let search = Search::new(&scenario, &targets);
        let done = AtomicU64::new(0);
        let whole = search.run(u64::MAX, &done, &StopFlag::new()).unwrap();
        assert_eq!(done.load(Ordering::Relaxed), 200, "two passes of 100 runs");
        let stepped = search.run(1, &AtomicU64::new(0), &StopFlag::new()).unwrap();
        assert_eq!(whole, stepped, "one block at a time");
        let stop = StopFlag::new();
        stop.stop();
        assert!(search.run(1, &AtomicU64::new(0), &stop).is_none());
    }
}
