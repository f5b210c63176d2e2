//! Benchmarks on the shipped Hague scenario (3 goals, 32 allies, 11 years, all groups and
//! items): one run (draws + model + statistics), 10,000 runs end to end on the current thread
//! pool and their sensitivity, each part of the briefing pack, the quantile sketch's insert and merge, and the whole
//! `pledge compare` of 10,000 runs with and without the pack (files written to a temporary
//! folder), whose ratio is the pack's cost.
//!
//! `cargo bench --bench monte_carlo`; docs/PERFORMANCE.md records the numbers.

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use pledge::app::{self, compare};
use pledge::mc::summary::Summary;
use pledge::mc::{Accumulator, BLOCK_RUNS, Engine, Sampler, Sketch, block_count, rng};
use pledge::model::draws::Draws;
use pledge::model::{Model, Workspace};
use pledge::report;
use pledge::results::{Results, Sensitivity};
use pledge::scenario::{self, Scenario};
use pledge::stop::StopFlag;
use std::hint::black_box;
use std::path::Path;
use std::sync::atomic::AtomicU64;
use std::time::Duration;

fn hague() -> Scenario {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/hague-2035.toml");
    scenario::load(&path).expect("the shipped scenario is valid")
}

fn one_run(c: &mut Criterion) {
    let scenario = hague();
    let model = Model::new(&scenario);
    let sampler = Sampler::new(&scenario);
    let mut draws = Draws::plan(&scenario);
    let mut work = Workspace::default();
    let mut out = vec![0.0; model.values_per_run()];
    let mut group = c.benchmark_group("one_run");
    group.bench_function("draws", |b| {
        let mut run = 0;
        b.iter(|| {
            run += 1;
            sampler.fill(&mut rng::run_rng(scenario.seed, run), &mut draws);
        })
    });
    group.bench_function("model", |b| {
        b.iter(|| model.evaluate(black_box(&draws), &mut work, &mut out))
    });
    // Statistics of a block of BLOCK_RUNS real runs, as the engine adds them.
    let width = model.values_per_run();
    let block_runs = BLOCK_RUNS as usize;
    let mut block = vec![0.0; block_runs * width];
    for (run, values) in block.chunks_exact_mut(width).enumerate() {
        sampler.fill(&mut rng::run_rng(scenario.seed, run as u64), &mut draws);
        model.evaluate(&draws, &mut work, values);
    }
    let mut accumulator = Accumulator::new((0..width).collect(), &[]);
    group.throughput(Throughput::Elements(BLOCK_RUNS));
    group.bench_function("statistics_block_of_32_runs", |b| {
        b.iter(|| accumulator.add_block(black_box(&block), block_runs))
    });
    group.finish();
}

fn end_to_end(c: &mut Criterion) {
    let scenario = Scenario {
        runs: 10_000,
        ..hague()
    };
    let mut group = c.benchmark_group("end_to_end");
    group.sample_size(10);
    group.throughput(Throughput::Elements(scenario.runs));
    group.bench_function("hague_10000_runs", |b| {
        b.iter(|| {
            let model = Model::new(&scenario);
            let summary = Summary::central_with(&scenario, &model);
            let engine = Engine::new(&scenario, &model, summary.variation(), Vec::new());
            let done = AtomicU64::new(0);
            let accumulator = engine.simulate(0..block_count(scenario.runs), scenario.runs, &done);
            summary.with_monte_carlo(&accumulator)
        })
    });
    // The sensitivity of those 10,000 runs: the runs evaluated again, then the statistics.
    let model = Model::new(&scenario);
    let summary = Summary::central_with(&scenario, &model);
    let engine = Engine::new(&scenario, &model, summary.variation(), Vec::new());
    let accumulator = engine.simulate(
        0..block_count(scenario.runs),
        scenario.runs,
        &AtomicU64::new(0),
    );
    let results = Results::from_summary(&scenario, &summary.with_monte_carlo(&accumulator));
    group.bench_function("hague_10000_runs_sensitivity", |b| {
        b.iter(|| Sensitivity::compute(&results, &StopFlag::new()).expect("not stopped"))
    });
    group.finish();
}

fn pack(c: &mut Criterion) {
    let scenario = Scenario {
        runs: 2000,
        ..hague()
    };
    let model = Model::new(&scenario);
    let central = Summary::central_with(&scenario, &model);
    let engine = Engine::new(&scenario, &model, central.variation(), Vec::new());
    let accumulator = engine.simulate(
        0..block_count(scenario.runs),
        scenario.runs,
        &AtomicU64::new(0),
    );
    let summary = central.with_monte_carlo(&accumulator);
    let results = Results::from_summary(&scenario, &summary);
    let usd = report::Currency::Usd;
    let charts = report::charts::render_all(&results, usd);
    let mut group = c.benchmark_group("pack");
    group.sample_size(20);
    group.bench_function("results_from_summary", |b| {
        b.iter(|| Results::from_summary(&scenario, &summary))
    });
    group.bench_function("charts_svg", |b| {
        b.iter(|| report::charts::render_all(&results, usd))
    });
    group.bench_function("charts_png_one_thread", |b| {
        b.iter(|| charts.iter().map(report::charts::png).collect::<Vec<_>>())
    });
    group.bench_function("html", |b| {
        b.iter(|| report::html::report(&results, None, &charts, usd))
    });
    group.bench_function("xlsx", |b| {
        b.iter(|| report::xlsx::workbook(&results, None, usd).expect("made in memory"))
    });
    group.bench_function("whole_pack", |b| {
        b.iter(|| {
            report::pack(&results, None, report::PackFormats::ALL.into()).expect("made in memory")
        })
    });
    group.finish();
}

/// `pledge compare --runs 10000 --quiet` as the command line runs it, files and all, with
/// `--no-report` and with the whole pack.
fn compare_command(c: &mut Criterion) {
    let out = tempfile::tempdir().expect("a temporary folder");
    let config = |pack| app::RunConfig {
        study: app::Study::Compare {
            goals: compare::parse_goals(compare::DEFAULT_GOALS).expect("the default goals"),
            horizon: 2035,
            compliance: app::ComplianceChoice::Calibrated,
        },
        out_dir: Some(out.path().join("compare")),
        runs: app::Runs::Fixed(10_000),
        seed: None,
        threads: None,
        shard: None,
        pack: report::PackOptions::from(pack),
    };
    let mut group = c.benchmark_group("compare_10000_runs");
    group.sample_size(30);
    group.measurement_time(Duration::from_secs(8));
    for (name, pack) in [
        ("no_report", report::PackFormats::NONE),
        ("with_pack", report::PackFormats::ALL),
    ] {
        let config = config(pack);
        group.bench_function(name, |b| {
            b.iter(|| app::run(&config, &app::Progress::default()).expect("compare runs"))
        });
    }
    group.finish();
}

fn sketch(c: &mut Criterion) {
    let values: Vec<f64> = (0..10_000)
        .map(|i| 1.0e6 * (1.0 + (f64::from(i) * 0.618).sin() * 0.1))
        .collect();
    let mut group = c.benchmark_group("sketch");
    group.throughput(Throughput::Elements(values.len() as u64));
    group.bench_function("insert_10000", |b| {
        b.iter(|| {
            let mut sketch = Sketch::default();
            for &v in &values {
                sketch.insert(v);
            }
            sketch
        })
    });
    group.throughput(Throughput::Elements(1));
    for spread in [1, 100] {
        let mut left = Sketch::default();
        let mut right = Sketch::default();
        for (i, &v) in values.iter().enumerate() {
            let v = v * f64::from(spread).powf(f64::from(i as u32 % 2));
            if i % 2 == 0 {
                left.insert(v)
            } else {
                right.insert(v)
            }
        }
        group.bench_with_input(BenchmarkId::new("merge", spread), &spread, |b, _| {
            b.iter(|| {
                let mut merged = left.clone();
                merged.merge(black_box(&right));
                merged
            })
        });
    }
    group.finish();
}

criterion_group! {
    name = benches;
    // No plots: criterion's plots need system fonts, which pledge does not use (its plotters
    // has no `ttf` feature). The numbers are in the terminal output and target/criterion.
    config = Criterion::default().without_plots();
    targets = one_run, end_to_end, pack, sketch, compare_command
}
criterion_main!(benches);
