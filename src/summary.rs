//! The results of a scenario: for every row of the [`Layout`], the central value and, once
//! Monte Carlo runs exist, the statistics across runs. Charts, tables and exporters read
//! results from here and compute nothing of their own.

use crate::draws::Draws;
use crate::metrics::{Layout, Metric, RowKey};
use crate::model::{Model, Workspace};
use crate::scenario::Scenario;

/// Central values of every row of a scenario's outputs.
#[derive(Debug, Clone)]
pub struct Summary {
    layout: Layout,
    central: Vec<f64>,
    alphas: Vec<f64>,
}

impl Summary {
    /// Runs the central projection (MODEL.md section 4) of `scenario`.
    pub fn central(scenario: &Scenario) -> Summary {
        let model = Model::new(scenario);
        let layout = Layout::new(scenario);
        let mut central = vec![0.0; layout.len()];
        model.evaluate(&Draws::central(scenario), &mut Workspace::default(), &mut central);
        Summary {
            layout,
            central,
            alphas: model.alphas(),
        }
    }

    /// The row keys, in output order.
    pub fn layout(&self) -> &Layout {
        &self.layout
    }

    /// Central values, in layout order.
    pub fn central_values(&self) -> &[f64] {
        &self.central
    }

    /// Every item's `alpha`, given or calibrated, in scenario order.
    pub fn alphas(&self) -> &[f64] {
        &self.alphas
    }

    /// The central value of a group metric, by names.
    pub fn group_value(
        &self,
        scenario: &Scenario,
        goal: usize,
        year: i32,
        group: &str,
        metric: Metric,
    ) -> Option<f64> {
        let group = scenario.groups.iter().position(|g| g.name == group)?;
        let key = RowKey { goal, year, group, item: None, metric };
        self.layout.find(&key).map(|i| self.central[i])
    }

    /// The central value of an item metric.
    pub fn item_value(&self, goal: usize, year: i32, item: usize, metric: Metric) -> Option<f64> {
        self.layout
            .rows()
            .iter()
            .position(|r| r.goal == goal && r.year == year && r.item == Some(item) && r.metric == metric)
            .map(|i| self.central[i])
    }
}
