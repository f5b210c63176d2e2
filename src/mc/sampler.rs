//! Draws of MODEL.md section 5: one [`Draws`] per run from that run's generator.
//!
//! Order of draws within a run (fixed, so a run's values never depend on anything but
//! `(seed, run)` and the scenario): the common growth shocks `z_t` for `t = B+1..=H`; the
//! idiosyncratic shocks `eps(i,t)`, ally by ally; each ally's lag; each ally's attainment;
//! inflation per year; the category mix (one gamma per category with a non-zero share, when
//! the concentration is positive); then per item its cost shock, its capacity growth and its
//! capacity plan attainment; last, when `[compliance] drift_pp` is positive, the common drift
//! shocks `zeta_t` and each ally's `eta(i,t)` (MODEL.md v2, section 5). Drift comes last and
//! draws nothing when it is off, so turning it on leaves every other draw of a run as it was.
//! Every distribution is sampled even when its width is 0, so widening one input does not
//! shift the draws of the others; the one exception is the category mix, which draws nothing
//! when its concentration is 0 (fixed). A zero-width input gives exactly its central value.
//!
//! Growth and inflation draws are floored at -99% a year so GDP and prices stay positive;
//! with the builtin data this floor is more than 15 standard deviations away.

use super::rng::RunRng;
use crate::dist::Triangular as TriangularRange;
use crate::model::draws::Draws;
use crate::scenario::Scenario;
use rand::RngExt;
use rand_distr::{Distribution, Gamma, StandardNormal, Triangular};

/// Lowest growth or inflation rate drawn, % per year.
pub const FLOOR_PCT: f64 = -99.0;

/// Precomputed distributions of one scenario.
#[derive(Debug, Clone)]
pub struct Sampler {
    projected_years: usize,
    /// Per ally: mean growth and `k_sd * sd`.
    growth: Vec<(f64, f64)>,
    sqrt_rho: f64,
    sqrt_one_minus_rho: f64,
    lag: Triangular<f64>,
    attainment: Triangular<f64>,
    inflation_mean_pct: f64,
    inflation_sd_pct: f64,
    /// Central shares and, when the mix varies, a gamma per non-zero share.
    mix_shares: [f64; 6],
    mix_gammas: Option<Vec<(usize, Gamma<f64>)>>,
    /// Share drift: step sd (pp), and the weights of the common and own shocks.
    drift: Option<(f64, f64, f64)>,
    /// Per item: capacity growth range and plan attainment range.
    items: Vec<(Triangular<f64>, Triangular<f64>)>,
}

fn triangular(range: TriangularRange) -> Triangular<f64> {
    Triangular::new(range.min(), range.max(), range.mode())
        .expect("ranges are ordered when the scenario is resolved")
}

impl Sampler {
    /// The distributions of `scenario`.
    pub fn new(scenario: &Scenario) -> Sampler {
        let rho = scenario.growth.correlation;
        let k_sd = scenario.growth.sd_scale;
        let mix = scenario.mix;
        let mix_gammas = (mix.concentration > 0.0).then(|| {
            mix.shares
                .iter()
                .enumerate()
                .filter(|(_, w)| **w > 0.0)
                .map(|(k, w)| {
                    let gamma =
                        Gamma::new(mix.concentration * w, 1.0).expect("positive shape and scale");
                    (k, gamma)
                })
                .collect()
        });
        Sampler {
            projected_years: (scenario.horizon - scenario.base_year()) as usize,
            growth: scenario
                .data
                .allies
                .iter()
                .map(|a| (a.growth_mean_pct, k_sd * a.growth_sd_pct))
                .collect(),
            sqrt_rho: rho.sqrt(),
            drift: (scenario.compliance.drift_pp > 0.0).then(|| {
                let rho_d = scenario.compliance.drift_correlation;
                (
                    scenario.compliance.drift_pp,
                    rho_d.sqrt(),
                    (1.0 - rho_d).sqrt(),
                )
            }),
            sqrt_one_minus_rho: (1.0 - rho).sqrt(),
            lag: triangular(scenario.compliance.lag_years),
            attainment: triangular(scenario.compliance.attainment),
            inflation_mean_pct: scenario.inflation.mean_pct,
            inflation_sd_pct: scenario.inflation.sd_pct,
            mix_shares: mix.shares,
            mix_gammas,
            items: (0..scenario.items.len())
                .map(|j| {
                    let item = &scenario.items[j];
                    (
                        triangular(item.capacity_growth_pct),
                        triangular(scenario.plan_attainment(j)),
                    )
                })
                .collect(),
        }
    }

    /// Fills `draws` (shaped by [`Draws::plan`]) with one run's values.
    pub fn fill(&self, rng: &mut RunRng, draws: &mut Draws) {
        let years = self.projected_years;
        for z in draws.common_shock.iter_mut() {
            *z = rng.sample(StandardNormal);
        }
        for (i, &(mean, sd)) in self.growth.iter().enumerate() {
            for (y, z) in draws.common_shock.iter().enumerate() {
                let eps: f64 = rng.sample(StandardNormal);
                let shock = self.sqrt_rho * z + self.sqrt_one_minus_rho * eps;
                draws.growth_pct[i * years + y] = (mean + sd * shock).max(FLOOR_PCT);
            }
        }
        for lag in draws.lag_years.iter_mut() {
            *lag = self.lag.sample(rng);
        }
        for attainment in draws.attainment.iter_mut() {
            *attainment = self.attainment.sample(rng);
        }
        for inflation in draws.inflation_pct.iter_mut() {
            let z: f64 = rng.sample(StandardNormal);
            *inflation = (self.inflation_mean_pct + self.inflation_sd_pct * z).max(FLOOR_PCT);
        }
        match &self.mix_gammas {
            None => draws.mix = self.mix_shares,
            Some(gammas) => {
                let mut mix = [0.0; 6];
                for (k, gamma) in gammas {
                    mix[*k] = gamma.sample(rng);
                }
                let total: f64 = mix.iter().sum();
                // With a tiny concentration every gamma draw can underflow to 0; the mix is
                // then undefined, and the run keeps the central shares.
                draws.mix = if total > 0.0 {
                    mix.map(|g| g / total)
                } else {
                    self.mix_shares
                };
            }
        }
        for (j, (growth, plan_attainment)) in self.items.iter().enumerate() {
            draws.cost_shock[j] = rng.sample(StandardNormal);
            draws.capacity_growth_pct[j] = growth.sample(rng);
            draws.plan_attainment[j] = plan_attainment.sample(rng);
        }
        if let Some((step_sd, common, own)) = self.drift {
            for zeta in draws.drift_common_shock.iter_mut() {
                *zeta = rng.sample(StandardNormal);
            }
            let allies = draws.lag_years.len();
            for i in 0..allies {
                let mut walk = 0.0;
                for (y, zeta) in draws.drift_common_shock.iter().enumerate() {
                    let eta: f64 = rng.sample(StandardNormal);
                    walk += step_sd * (common * zeta + own * eta);
                    draws.drift_pp[i * years + y] = walk;
                }
            }
        }
    }
}
