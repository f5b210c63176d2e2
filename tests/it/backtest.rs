//! The Wales backtest and the calibration of compliance (MODEL.md v2, section 9): the plan
//! path for full compliance, coverage as defined on a hand-made record, recovery of known
//! parameters from a record the model made itself, and the shipped calibration re-derived.

use pledge::backtest::{
    self, CALIBRATION_RUNS, CALIBRATION_SEED, CalibrationGrid, Record, RecordAlly, Shocks,
};
use pledge::data::{builtin, parse_history};
use pledge::dist::Triangular;
use pledge::scenario::Compliance;

fn wales() -> Record {
    Record::wales(&parse_history("history.csv", builtin::HISTORY_CSV).unwrap()).unwrap()
}

fn compliance(lag: Triangular, attainment: Triangular, drift_pp: f64) -> Compliance {
    Compliance {
        lag_years: lag,
        attainment,
        drift_pp,
        drift_correlation: 0.17,
    }
}

#[test]
fn full_compliance_without_drift_is_the_wales_plan_path() {
    let record = wales();
    let full = compliance(Triangular::fixed(0.0), Triangular::fixed(1.0), 0.0);
    let result = backtest::run(&record, &full, 64, 1);
    assert_eq!(result.cells.len(), 270);
    for cell in &result.cells {
        let ally = record.allies.iter().find(|a| a.iso3 == cell.iso3).unwrap();
        // The plan, computed here: linear from the 2014 share to max(2, share) by 2024.
        let s = ally.base_pct;
        let x = f64::from(cell.year - 2014) / 10.0;
        let plan = s + (s.max(2.0) - s) * x;
        assert!((cell.plan - plan).abs() < 1e-12, "{cell:?}");
        assert_eq!(cell.percentiles, [cell.plan; 5], "{cell:?}");
    }
    // Allies mostly stepped up after 2022, not on a ramp: almost no actual value is on it.
    let all = &result.scores[0];
    assert_eq!(all.scope, "all");
    assert!(all.coverage_p10_p90 < 0.02, "{all:?}");
}

#[test]
fn coverage_and_error_are_computed_as_defined_on_a_hand_made_record() {
    // Two allies, three years. A at 1% heading for 2% by 2017, B at 3% (keeps it).
    // Actual: A 1.2, 1.9, 1.4; B 3.0, 2.0, 3.05.
    let record = Record {
        base_year: 2014,
        target_year: 2017,
        goal_pct: 2.0,
        allies: vec![
            RecordAlly {
                iso3: "AAA".into(),
                base_pct: 1.0,
                actual_pct: vec![1.2, 1.9, 1.4],
            },
            RecordAlly {
                iso3: "BBB".into(),
                base_pct: 3.0,
                actual_pct: vec![3.0, 2.0, 3.05],
            },
        ],
    };
    // Attainment uniform-ish over (0, 1]: A's share in year y is 1 + a * y / 3, so its P10-P90
    // in year y is roughly 1 + [0.32, 0.95] * y / 3; B has no step and no drift: exactly 3.
    let c = compliance(
        Triangular::fixed(0.0),
        Triangular::new(0.0, 1.0, 1.0).unwrap(),
        0.0,
    );
    let result = backtest::run(&record, &c, 20_000, 5);
    let inside: Vec<bool> = result.cells.iter().map(|c| c.inside_80()).collect();
    // A: 1.2 in [1.10, 1.32] yes; 1.9 above 1.63 no; 1.4 in [1.32, 1.95] yes.
    // B: 3.0 = 3 yes (inclusive); 2.0 no; 3.05 no.
    assert_eq!(inside, [true, false, true, true, false, false]);
    let all = &result.scores[0];
    assert_eq!(all.ally_years, 6);
    assert!((all.coverage_p10_p90 - 3.0 / 6.0).abs() < 1e-12);
    // The median error: B's medians are 3, so |0| + |1| + |0.05|; A's medians 1 + 0.707 y / 3.
    let median_a = |y: f64| 1.0 + 0.5_f64.sqrt() * y / 3.0;
    let mae = ((1.2 - median_a(1.0)).abs()
        + (1.9 - median_a(2.0)).abs()
        + (1.4 - median_a(3.0)).abs()
        + 0.0
        + 1.0
        + 0.05)
        / 6.0;
    assert!(
        (all.mae_median_pp - mae).abs() < 0.01,
        "{} vs {mae}",
        all.mae_median_pp
    );
    // The last year alone: A 1.4 inside, B 3.05 outside.
    assert_eq!(result.scores[1].scope, "2017");
    assert_eq!(result.scores[1].coverage_p10_p90, 0.5);
}

#[test]
fn calibration_recovers_the_parameters_of_a_record_the_model_made() {
    // 27 allies' 2014 shares repeated eight times (216 allies), their actual shares drawn from
    // the model itself with known compliance. Drift steps are independent across allies here:
    // a common shock is one draw for the whole record, which no number of allies averages out.
    // The goal is due in 2019, half-way through the record: before the goal is reached a
    // share moves as attainment / (target + lag - B), so lag and attainment can only be told
    // apart by when the shares level off. (On the real record, due in 2024, its last year,
    // they cannot: METHODOLOGY.md, section 12.)
    let wales = wales();
    let truth = Compliance {
        drift_correlation: 0.0,
        ..compliance(
            Triangular::new(0.0, 2.0, 4.0).unwrap(),
            Triangular::new(0.3, 0.6, 1.0).unwrap(),
            0.15,
        )
    };
    let mut record = Record {
        target_year: 2019,
        allies: (0..8)
            .flat_map(|copy| {
                wales.allies.iter().map(move |a| RecordAlly {
                    iso3: format!("{}{copy}", a.iso3),
                    ..a.clone()
                })
            })
            .collect(),
        ..wales
    };
    let shocks = Shocks::draw(&record, 1, 99, truth.drift_correlation);
    let actual = backtest::simulate(&record, &truth, &shocks);
    let years = record.years();
    for (i, ally) in record.allies.iter_mut().enumerate() {
        ally.actual_pct = actual[i * years..(i + 1) * years].to_vec();
    }
    let grid = CalibrationGrid {
        lag_modes: vec![0.0, 2.0, 4.0],
        lag_spreads: vec![0.0, 2.0, 4.0],
        attainment_modes: vec![0.6, 1.0],
        attainment_mins: vec![0.3, 0.6],
        drift_pp: vec![0.05, 0.15, 0.3],
    };
    let found = backtest::calibrate(&record, &grid, 0.0, 400, 7);
    assert_eq!(found.scores.len(), 9 * 4 * 3);
    assert_eq!(found.best, truth, "best CRPS {}", found.best_crps_pp);
}

#[test]
fn the_shipped_calibration_is_what_the_stated_grid_gives() {
    let record = wales();
    let correlation = (record.change_correlation() * 100.0).round() / 100.0;
    assert_eq!(correlation, 0.17);
    let found = backtest::calibrate(
        &record,
        &CalibrationGrid::stated(),
        correlation,
        CALIBRATION_RUNS,
        CALIBRATION_SEED,
    );
    assert_eq!(found.scores.len(), 1350);
    assert_eq!(found.best, backtest::calibrated());
    // And it covers the record: about 85% of ally-years inside P10-P90 (80% is perfect).
    let result = backtest::run(&record, &found.best, 4000, 2014);
    let all = &result.scores[0];
    assert!((0.75..0.92).contains(&all.coverage_p10_p90), "{all:?}");
}
