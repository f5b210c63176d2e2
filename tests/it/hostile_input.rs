//! Input that is wrong in ways a parser does not expect: files that are not regular files or are
//! far too large, text that is not UTF-8, control characters, CSV saved by a spreadsheet with
//! other conventions, and numbers at the very ends of their ranges. Each is refused promptly
//! with a located message, or, when accepted, gives finite results.

use pledge::scenario;
use std::path::Path;
use std::sync::mpsc;
use std::time::Duration;

/// How long a refusal may take. A blocked read (a FIFO, `/dev/zero`) would take forever.
const PROMPTLY: Duration = Duration::from_secs(20);

/// `scenario::load(path)`'s error, which must come within [`PROMPTLY`].
#[track_caller]
fn load_error(path: &Path) -> String {
    let (send, receive) = mpsc::channel();
    let owned = path.to_path_buf();
    // A blocked load leaves its thread behind; the test fails without waiting for it.
    std::thread::spawn(move || {
        let result = scenario::load(&owned)
            .map(|_| ())
            .map_err(|e| e.to_string());
        let _ = send.send(result);
    });
    match receive.recv_timeout(PROMPTLY) {
        Ok(Ok(())) => panic!("{}: accepted", path.display()),
        Ok(Err(message)) => message,
        Err(_) => panic!("{}: no answer within {PROMPTLY:?}", path.display()),
    }
}

/// A folder with `scenario.toml` holding `text`.
fn scenario_dir(text: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("scenario.toml"), text).unwrap();
    dir
}

const GOAL: &str = "schema_version = 1\n[[goal]]\nid = \"g\"\nlabel = \"G\"\ncore_pct = 3\n";

/// Makes a named pipe at `path` with Debian's `mkfifo` (coreutils).
fn mkfifo(path: &Path) {
    let status = std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .expect("mkfifo (coreutils) runs");
    assert!(status.success(), "mkfifo {} failed", path.display());
}

#[test]
fn dev_zero_is_refused_as_not_a_regular_file() {
    let err = load_error(Path::new("/dev/zero"));
    assert_eq!(
        err,
        "/dev/zero: cannot read: it is a character device, not a regular file; expected a scenario file"
    );
}

#[test]
fn a_fifo_is_refused_without_blocking() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("scenario.toml");
    mkfifo(&fifo);
    let err = load_error(&fifo);
    assert!(
        err.ends_with(
            "scenario.toml: cannot read: it is a named pipe (FIFO), not a regular file; expected a scenario file"
        ),
        "{err}"
    );
}

#[test]
fn a_folder_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let err = load_error(dir.path());
    assert!(
        err.ends_with(
            ": cannot read: it is a folder, not a regular file; expected a scenario file"
        ),
        "{err}"
    );
}

#[test]
fn a_scenario_over_1_mib_is_refused_naming_the_limit() {
    // Valid TOML all the way: a comment padding the file past the limit.
    let text = format!("{GOAL}# {}\n", "x".repeat(1 << 20));
    let dir = scenario_dir(&text);
    let err = load_error(&dir.path().join("scenario.toml"));
    assert!(
        err.ends_with(
            "scenario.toml: cannot read: it is larger than 1 MiB, the most pledge reads for a scenario file"
        ),
        "{err}"
    );
    // Just under the limit, the same file is read.
    let text = format!("{GOAL}# {}\n", "x".repeat((1 << 20) - GOAL.len() - 3));
    assert_eq!(text.len(), 1 << 20);
    let dir = scenario_dir(&text);
    scenario::load(&dir.path().join("scenario.toml")).unwrap();
}

#[test]
fn a_scenario_that_is_not_utf8_is_refused_at_the_first_bad_byte() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("scenario.toml");
    // "Défense" saved as Latin-1.
    let mut bytes = GOAL.replace("label = \"G\"", "label = \"D").into_bytes();
    let at = bytes.windows(3).position(|w| w == b"\"D\n").unwrap() + 2;
    bytes.splice(at..at, b"\xe9fense\"".iter().copied());
    std::fs::write(&path, &bytes).unwrap();
    let err = load_error(&path);
    assert!(
        err.ends_with(
            "scenario.toml: cannot read: it is not UTF-8 text (the first byte that is not is at line 4, column 11); expected a scenario file saved as UTF-8"
        ),
        "{err}"
    );
}

#[test]
fn a_compliance_file_that_is_a_device_is_refused() {
    let err = scenario::load_compliance(Path::new("/dev/zero"))
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("cannot read: it is a character device, not a regular file"),
        "{err}"
    );
}

#[test]
fn a_data_csv_that_is_not_a_regular_file_is_refused_at_its_key() {
    let dir = tempfile::tempdir().unwrap();
    mkfifo(&dir.path().join("allies.csv"));
    std::fs::write(
        dir.path().join("scenario.toml"),
        format!("{GOAL}[data]\nallies = \"allies.csv\"\nitems = \"/dev/zero\"\n"),
    )
    .unwrap();
    let err = load_error(&dir.path().join("scenario.toml"));
    assert!(err.contains("scenario.toml:7:10: '"), "{err}");
    assert!(
        err.ends_with(
            "allies.csv': cannot read: it is a named pipe (FIFO), not a regular file; expected a CSV file"
        ),
        "{err}"
    );

    // Opening a FIFO to write would block too: remove it first.
    std::fs::remove_file(dir.path().join("allies.csv")).unwrap();
    std::fs::write(
        dir.path().join("allies.csv"),
        pledge::data::builtin::ALLIES_CSV,
    )
    .unwrap();
    let err = load_error(&dir.path().join("scenario.toml"));
    assert_eq!(
        err.split_once("scenario.toml:").map(|(_, rest)| rest),
        Some(
            "8:9: '/dev/zero': cannot read: it is a character device, not a regular file; expected a CSV file"
        ),
        "{err}"
    );
}

#[test]
fn a_data_csv_over_16_mib_is_refused_naming_the_limit() {
    let dir = tempfile::tempdir().unwrap();
    let mut csv = pledge::data::builtin::ITEMS_CSV.to_string();
    csv.push_str(&"\n".repeat((16 << 20) + 1 - csv.len()));
    std::fs::write(dir.path().join("items.csv"), csv).unwrap();
    std::fs::write(
        dir.path().join("scenario.toml"),
        format!("{GOAL}[data]\nitems = \"items.csv\"\n"),
    )
    .unwrap();
    let err = load_error(&dir.path().join("scenario.toml"));
    assert!(err.contains("scenario.toml:7:9: '"), "{err}");
    assert!(
        err.ends_with("items.csv': cannot read: it is larger than 16 MiB, the most pledge reads for a CSV file"),
        "{err}"
    );
}

/// A folder with `allies.csv` holding `csv`, and a scenario that reads it; the error of
/// loading it.
fn allies_error(csv: &str) -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("allies.csv"), csv).unwrap();
    std::fs::write(
        dir.path().join("scenario.toml"),
        format!("{GOAL}[data]\nallies = \"allies.csv\"\nbase_year = 2025\n"),
    )
    .unwrap();
    let err = load_error(&dir.path().join("scenario.toml"));
    (dir, err)
}

/// The builtin allies with the cell `old` of line `line` (1-based) replaced by `new`, and
/// every line ended by `\r\n`, as Excel on Windows saves CSV.
fn crlf_allies(line: usize, old: &str, new: &str) -> String {
    let mut lines: Vec<String> = pledge::data::builtin::ALLIES_CSV
        .lines()
        .map(str::to_string)
        .collect();
    assert!(lines[line - 1].contains(old), "line {line}");
    lines[line - 1] = lines[line - 1].replacen(old, new, 1);
    lines.join("\r\n") + "\r\n"
}

#[test]
fn a_crlf_csv_names_the_right_line() {
    // Line 3 is Belgium, whose GDP is 716.980.
    let (dir, err) = allies_error(&crlf_allies(3, ",716.980,", ",7l6.980,"));
    let file = dir.path().join("allies.csv");
    assert_eq!(
        err,
        format!(
            "{}:3:5: column 'gdp_usd_bn': '7l6.980' is not a number; expected GDP in current USD billions",
            file.display()
        )
    );
    // A record with a missing cell is located the same way.
    let (dir, err) = allies_error(&crlf_allies(4, ",reported,", ","));
    let file = dir.path().join("allies.csv");
    assert!(
        err.starts_with(&format!("{}:4: not valid CSV", file.display())),
        "{err}"
    );
}

#[test]
fn a_csv_separated_by_semicolons_gets_a_hint() {
    let semicolons = pledge::data::builtin::ALLIES_CSV
        .lines()
        .take(3)
        .map(|l| l.replace(',', ";"))
        .collect::<Vec<_>>()
        .join("\n");
    let (dir, err) = allies_error(&semicolons);
    assert_eq!(
        err,
        format!(
            "{}:1: this file looks separated by semicolons; pledge reads comma-separated CSV (save as 'CSV UTF-8 (comma delimited)')",
            dir.path().join("allies.csv").display()
        )
    );
}

#[test]
fn a_horizon_more_than_100_years_after_the_base_year_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("allies.csv"),
        pledge::data::builtin::ALLIES_CSV,
    )
    .unwrap();
    let text = format!("{GOAL}[data]\nallies = \"allies.csv\"\nbase_year = 1990\n");
    let parse = |text: &str| scenario::parse("s.toml", text, dir.path(), "s");
    let err = parse(&text.replace(
        "schema_version = 1\n",
        "schema_version = 1\nhorizon = 2091\n",
    ))
    .unwrap_err()
    .to_string();
    assert_eq!(
        err,
        "s.toml:2:11: horizon = 2091 is out of range; expected a year from 1991 to 2090 (after the data's base year 1990, and at most 100 years after it)"
    );
    // The default horizon, 2035, is brought within reach.
    let s = parse(&text.replace("1990", "1920")).unwrap();
    assert_eq!(s.horizon, 2020);
    let s = parse(&text).unwrap();
    assert_eq!(s.horizon, 2035);
}

#[test]
fn control_characters_in_csv_cells_are_refused_with_the_cell() {
    // An ally's name with an escape sequence that would turn a terminal red.
    let lines = pledge::data::builtin::ALLIES_CSV.replacen(",Belgium,", ",Bel\u{1b}[31mgium,", 1);
    let (dir, err) = allies_error(&lines);
    assert_eq!(
        err,
        format!(
            "{}:3:2: column 'name': holds a control character, U+001B (escape), at character 4; expected one line of text without control characters",
            dir.path().join("allies.csv").display()
        )
    );

    let items = |csv: &str| {
        pledge::data::parse_items("items.csv", csv)
            .unwrap_err()
            .to_string()
    };
    let header = "id,label,unit,category,buyers,alpha,unit_cost_musd,capacity,source,notes\n";
    assert_eq!(
        items(&format!("{header}x,X\u{0},units,land,nato,0.1,1,10,,\n")),
        "items.csv:2:2: column 'label': holds a control character, U+0000 (NUL), at character 2; expected one line of text without control characters"
    );
    assert_eq!(
        items(&format!("{header}x,X,\u{7f}units,land,nato,0.1,1,10,,\n")),
        "items.csv:2:3: column 'unit': holds a control character, U+007F (delete), at character 1; expected one line of text without control characters"
    );
    assert!(
        items(&format!("{header}x,X,units,land,nato,0.1,1,10,\"a\u{8}b\",\n"))
            .starts_with("items.csv:2:9: column 'source': holds a control character, U+0008, at character 2; expected text whose only control characters are line breaks and tabs")
    );
    // Line breaks and tabs in free text are fine; Windows line ends become \n.
    let ok = pledge::data::parse_items(
        "items.csv",
        &format!("{header}x,X,units,land,nato,0.1,1,10,\"first\r\nsecond\",\"a\tb\"\r\n"),
    )
    .unwrap();
    assert_eq!(
        (ok[0].source.as_str(), ok[0].notes.as_str()),
        ("first\nsecond", "a\tb")
    );

    let err = pledge::data::parse_milestones(
        &pledge::data::CAPACITY_PLANS,
        "plans.csv",
        "item,year,capacity,note\nx,2027,10,\"ok\"\nx,2028,10,\"bad\u{1b}\"\n",
        2025,
    )
    .unwrap_err()
    .to_string();
    assert!(
        err.starts_with("plans.csv:3:4: column 'note': holds a control character, U+001B (escape)"),
        "{err}"
    );
    let err = pledge::data::parse_history("history.csv", "iso3\u{1b},year\n")
        .unwrap_err()
        .to_string();
    assert!(
        err.starts_with("history.csv:1:1: column name holds a control character, U+001B (escape), at character 5"),
        "{err}"
    );
}

#[test]
fn free_text_in_a_scenario_may_span_lines_and_crlf_becomes_lf() {
    let text = format!(
        "{GOAL}[[item]]\nid = \"cv90\"\nnotes = \"\"\"first\n\tsecond\"\"\"\nsource = \"a\\tb\"\n"
    )
    .replace('\n', "\r\n");
    let s = scenario::parse("s.toml", &text, Path::new("."), "s").unwrap();
    let cv90 = s.items.iter().find(|i| i.id == "cv90").unwrap();
    assert_eq!(cv90.notes, "first\n\tsecond");
    assert_eq!(cv90.source, "a\tb");
}

#[test]
fn a_data_csv_in_latin1_is_refused_at_its_key_naming_the_first_bad_byte() {
    let dir = tempfile::tempdir().unwrap();
    let csv = "id,category,buyers,alpha,unit_cost_musd,capacity,notes\nx,land,nato,0.1,1,10,M\u{fc}nchen\n";
    let latin1: Vec<u8> = csv.chars().map(|c| c as u8).collect();
    std::fs::write(dir.path().join("items.csv"), latin1).unwrap();
    let err = scenario::parse(
        "s.toml",
        &format!("{GOAL}[data]\nitems = \"items.csv\"\n"),
        dir.path(),
        "s",
    )
    .unwrap_err()
    .to_string();
    assert!(err.starts_with("s.toml:7:9: '"), "{err}");
    assert!(
        err.ends_with("items.csv': cannot read: it is not UTF-8 text (the first byte that is not is at line 2, column 23); expected a CSV file saved as UTF-8"),
        "{err}"
    );
}

#[test]
fn a_duplicate_item_id_in_a_csv_is_located_at_the_second_row() {
    let csv = "id,category,buyers,alpha,unit_cost_musd,capacity\nx,land,nato,0.1,1,10\ny,air,nato,0.1,1,10\nx,air,nato,0.1,1,10\n";
    let err = pledge::data::parse_items("items.csv", csv)
        .unwrap_err()
        .to_string();
    assert_eq!(
        err,
        "items.csv:4:1: column 'id': 'x' appears twice; each item once"
    );
}

/// The smallest value `bound` accepts.
fn lowest(bound: pledge::bounds::Bound) -> f64 {
    if bound.min_exclusive {
        bound.min.next_up()
    } else {
        bound.min
    }
}

/// A scenario at the ends of every documented range, in the direction that stretches the
/// outputs most: 100 projected years; one ally at the largest GDP growing at the highest mean
/// with the widest spread, one at the smallest GDP shrinking; defence and equipment at 100%
/// of GDP; prices falling (`inflation_mean` and `inflation_sd` given) while unit costs start
/// at the smallest accepted and capacity shrinks from the smallest; the widest cost spread,
/// lag and drift; the smallest Dirichlet concentration on the smallest non-zero share.
fn extreme_scenario(
    dir: &Path,
    (inflation_mean, inflation_sd): (f64, f64),
    concentration: f64,
) -> scenario::Scenario {
    use pledge::bounds as b;
    let base_year = (b::LAST_YEAR as i32 - b::MAX_PROJECTED_YEARS).max(b::FIRST_BASE_YEAR);
    let horizon = b::last_horizon(base_year);
    assert_eq!(horizon - base_year, b::MAX_PROJECTED_YEARS);
    std::fs::write(
        dir.join("allies.csv"),
        format!(
            "iso3,name,eu,region,gdp_usd_bn,defence_pct_gdp,equipment_pct,growth_mean_pct,growth_sd_pct\n\
             BIG,Big,1,europe,{gdp_max},{pct_max},{pct_max},{growth_max},0\n\
             WLD,Wild,1,europe,{gdp_max},{pct_max},{pct_max},{growth_max},{sd_max}\n\
             SMA,Small,0,north_america,{gdp_min},{pct_max},{pct_max},{growth_min},{sd_max}\n\
             NUL,Zero,1,europe,{gdp_min},0,0,{growth_min},0\n",
            gdp_max = b::GDP_USD_BN.max,
            gdp_min = lowest(b::GDP_USD_BN),
            pct_max = b::PCT_GDP.max,
            growth_max = b::GROWTH_MEAN_PCT.max,
            growth_min = b::GROWTH_MEAN_PCT.min,
            sd_max = b::GROWTH_SD_PCT.max,
        ),
    )
    .unwrap();
    let cost_min = lowest(b::UNIT_COST_MUSD);
    let capacity_min = lowest(b::CAPACITY_UNITS_PER_YEAR);
    let (g_min, g_max) = (b::CAPACITY_GROWTH_PCT.min, b::CAPACITY_GROWTH_PCT.max);
    std::fs::write(
        dir.join("items.csv"),
        format!(
            "id,category,buyers,alpha,base_demand,unit_cost_musd,cost_sigma,capacity,capacity_growth_min_pct,capacity_growth_mode_pct,capacity_growth_max_pct,lead_years\n\
             cheap,land,nato,{alpha},,{cost_min},{sigma},{capacity_min},{g_min},{g_min},{g_min},0\n\
             planned,land,nato,{alpha},,{cost_min},{sigma},{capacity_min},{g_min},{g_min},{g_max},0\n\
             dear,land,nato,,{demand_max},{cost_max},{sigma},{capacity_max},{g_max},{g_max},{g_max},0\n\
             rare,other,SMA,,{demand_min},{cost_min},{sigma},{capacity_min},{g_min},{g_min},{g_max},{lead}\n\
             none,maritime,NUL,{alpha},,{cost_min},0,{capacity_min},{g_min},{g_min},{g_min},0\n",
            alpha = b::ALPHA.max,
            sigma = b::COST_SIGMA.max,
            demand_max = 900,
            demand_min = lowest(b::BASE_DEMAND_UNITS),
            cost_max = b::UNIT_COST_MUSD.max,
            capacity_max = b::CAPACITY_UNITS_PER_YEAR.max,
            lead = b::LEAD_YEARS.max,
        ),
    )
    .unwrap();
    let share_min = lowest(b::MIX_SHARE_POSITIVE);
    let text = format!(
        "schema_version = 1\nhorizon = {horizon}\nruns = 64\nseed = 3\n\
         [data]\nallies = \"allies.csv\"\nitems = \"items.csv\"\ncapacity_plans = \"none\"\nplans = \"none\"\nbase_year = {base_year}\n\
         [[goal]]\nid = \"all\"\nlabel = \"All\"\ncore_pct = 100\nrelated_pct = 100\nequipment_pct = 100\ntarget_year = {first}\npath = \"front\"\n\
         [[goal]]\nid = \"none\"\nlabel = \"None\"\ncore_pct = 0\nfloor = \"none\"\n\
         [goal.overrides.SMA]\npoints = {{ {first} = 100, {horizon} = 0 }}\n\
         [growth]\ncorrelation = 1\nsd_scale = {sd_scale}\n\
         [compliance]\nlag_years = {{ min = 0, mode = 0, max = {lag} }}\nattainment = {{ min = {attain}, mode = 1, max = 1 }}\ndrift_pp = {drift}\ndrift_correlation = 1\n\
         [capacity]\nplan_attainment = {{ min = 0, mode = 0, max = 1 }}\n\
         [inflation]\nmean = {inflation_mean}\nsd = {inflation_sd}\n\
         [mix]\nland = {land}\nair = {share_min}\nmaritime = {share_min}\nair_defence = 0\nmunitions = 0\nother = {share_min}\nconcentration = {concentration}\n\
         [[item]]\nid = \"planned\"\ncapacity_plan = {{ {first} = {capacity_max}, {horizon} = {capacity_min} }}\n",
        first = base_year + 1,
        sd_scale = b::SD_SCALE.max,
        lag = b::LAG_YEARS.max,
        attain = lowest(b::ATTAINMENT),
        drift = b::DRIFT_PP.max,
        land = 1.0 - 3.0 * share_min,
        capacity_max = b::CAPACITY_UNITS_PER_YEAR.max,
    );
    scenario::parse("extreme.toml", &text, dir, "extreme").unwrap_or_else(|e| panic!("{e}"))
}

/// Every plan value, and every Monte Carlo mean, percentile and standard error, is finite.
#[track_caller]
fn assert_finite(scenario: &scenario::Scenario) {
    use pledge::mc::summary::Summary;
    let model = pledge::model::Model::new(scenario);
    let plan = Summary::central_with(scenario, &model);
    let accumulator =
        pledge::mc::Engine::new(scenario, &model, plan.variation(), plan.headline(scenario))
            .simulate(
                0..pledge::mc::block_count(scenario.runs),
                scenario.runs,
                &std::sync::atomic::AtomicU64::new(0),
            );
    let summary = plan.with_monte_carlo(&accumulator);
    let rows = summary.layout().rows();
    for (row, key) in rows.iter().enumerate() {
        let plan = summary.central_values()[row];
        let stats = summary.row_stats(row).unwrap();
        let all = std::iter::once(plan)
            .chain([stats.mean])
            .chain(stats.percentiles);
        assert!(
            all.clone().all(f64::is_finite),
            "{key:?}: plan {plan}, mean {}, percentiles {:?}",
            stats.mean,
            stats.percentiles
        );
    }
    for headline in &summary.monte_carlo().unwrap().headlines {
        assert!(headline.standard_error.is_finite(), "{headline:?}");
    }
    let results = pledge::results::Results::from_summary(scenario, &summary);
    let csv = String::from_utf8(pledge::output::summary_csv(&results)).unwrap();
    assert!(!csv.contains("inf") && !csv.contains("NaN"));
    let glance = pledge::output::glance::glance(&results, pledge::data::currency::Currency::Usd);
    assert!(
        !glance.contains("inf") && !glance.contains("NaN"),
        "{glance}"
    );
}

#[test]
fn every_output_is_finite_at_the_extremes_of_every_range() {
    use pledge::bounds as b;
    let dir = tempfile::tempdir().unwrap();
    for (inflation, concentration) in [
        (
            (b::INFLATION_MEAN_PCT.min, b::INFLATION_SD_PCT.max),
            b::MIX_CONCENTRATION_POSITIVE.min,
        ),
        (
            (b::INFLATION_MEAN_PCT.min, 0.0),
            b::MIX_CONCENTRATION_POSITIVE.max,
        ),
        ((b::INFLATION_MEAN_PCT.max, b::INFLATION_SD_PCT.max), 0.0),
    ] {
        assert_finite(&extreme_scenario(dir.path(), inflation, concentration));
    }
}

#[test]
fn numbers_that_made_outputs_infinite_are_refused_in_data_files_too() {
    let header = "iso3,name,eu,region,gdp_usd_bn,defence_pct_gdp,equipment_pct,growth_mean_pct,growth_sd_pct\n";
    let err = pledge::data::parse_allies(
        "a.csv",
        &format!("{header}AAA,A,1,europe,5e-324,2,20,1,1\n"),
    )
    .unwrap_err()
    .to_string();
    assert_eq!(
        err,
        "a.csv:2:5: column 'gdp_usd_bn': 5e-324 is out of range; expected GDP in current USD billions between 0.001 and 1000000"
    );
    let header = "id,category,buyers,alpha,unit_cost_musd,capacity\n";
    let err = pledge::data::parse_items("i.csv", &format!("{header}x,land,nato,0.1,1,1e-9\n"))
        .unwrap_err()
        .to_string();
    assert_eq!(
        err,
        "i.csv:2:6: column 'capacity': 1e-9 is out of range; expected a capacity in units per year between 0.001 and 1000000000000"
    );
    let err = pledge::data::parse_items("i.csv", &format!("{header}x,land,nato,0.1,NaN,10\n"))
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("column 'unit_cost_musd': NaN is out of range"),
        "{err}"
    );
    let err = pledge::data::parse_items("i.csv", &format!("{header}x,land,nato,0.1,inf,10\n"))
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("column 'unit_cost_musd': inf is out of range"),
        "{err}"
    );
}

/// A scenario on the builtin data with `goals` goals to `horizon`.
fn many_goals(goals: usize, horizon: i32) -> String {
    let mut text = format!("schema_version = 1\nhorizon = {horizon}\n");
    for g in 0..goals {
        text.push_str(&format!(
            "[[goal]]\nid = \"g{g}\"\nlabel = \"G{g}\"\ncore_pct = {}\n",
            2.0 + (g % 100) as f64 / 100.0
        ));
    }
    text
}

#[test]
fn a_scenario_too_large_to_hold_in_memory_is_refused() {
    let parse = |text: &str| scenario::parse("many.toml", text, Path::new("."), "many");
    // 182 goals to 2100 fit; 183 do not (27,360 values per goal after the first). What
    // fits is then weighed by the run limits (tests/it/outputs.rs).
    let fits = parse(&many_goals(182, 2100)).unwrap();
    assert_eq!(fits.values_per_run(), 486_704 + 164 * 27_360);
    let err = parse(&many_goals(183, 2100)).unwrap_err().to_string();
    assert_eq!(
        err,
        format!(
            "many.toml: asks for {} values per run (183 goal(s), 76 years, 38 groups, 8 items); pledge keeps at most 5000000 (a few GB of statistics); use fewer goals, a nearer horizon, or fewer groups or items",
            486_704 + 165 * 27_360
        )
    );
    // A 1 MiB file holds thousands of goals: refused before any memory is spent on them.
    let text = many_goals(15_000, 2035);
    assert!(text.len() < 1 << 20);
    assert!(
        parse(&text)
            .unwrap_err()
            .to_string()
            .contains("values per run (15000 goal(s)")
    );
}

#[test]
fn the_scenario_counts_values_as_the_model_does() {
    let dir = tempfile::tempdir().unwrap();
    let mut scenarios = vec![
        extreme_scenario(dir.path(), (0.0, 0.0), 0.0),
        scenario::parse("m.toml", &many_goals(3, 2040), Path::new("."), "m").unwrap(),
    ];
    for entry in std::fs::read_dir(crate::common::root().join("scenarios")).unwrap() {
        let path = entry.unwrap().path();
        // Targets files (`pledge target`) are not scenarios.
        if !path
            .file_name()
            .unwrap()
            .to_string_lossy()
            .starts_with("targets-")
        {
            scenarios.push(scenario::load(&path).unwrap());
        }
    }
    for s in &scenarios {
        let model = pledge::model::Model::new(s);
        assert_eq!(
            s.values_per_run(),
            model.values_per_run() as u64,
            "{}",
            s.title
        );
    }
}

#[test]
fn long_or_deep_text_gets_a_short_message() {
    let parse = |text: &str| {
        scenario::parse("s.toml", text, Path::new("."), "s")
            .unwrap_err()
            .to_string()
    };
    let long = "x".repeat(100_000);
    let err = parse(&format!("{GOAL}path = \"{long}\"\n"));
    assert_eq!(
        err,
        format!(
            "s.toml:6:8: goal 'g': path = \"{}... (100000 characters)\" is not allowed; expected one of linear, front, back, scurve",
            "x".repeat(50)
        )
    );
    let err = parse(&format!("{long} = 1\n{GOAL}"));
    assert!(
        err.starts_with(&format!(
            "s.toml:1:1: unknown field `{}... (100000 characters)`, expected one of `schema_version`",
            "x".repeat(50)
        )),
        "{}",
        &err[..200]
    );
    let err = parse(&GOAL.replace("id = \"g\"", &format!("id = \"{long}\"")));
    assert!(err.len() < 300, "{}", &err[..300]);
    // TOML nested past its parser's limit of 80 levels.
    let err = parse(&format!(
        "{GOAL}x = {}{}\n",
        "[".repeat(200),
        "]".repeat(200)
    ));
    assert!(err.starts_with("s.toml:6:85: "), "{err}");
    assert!(err.contains("recursion"), "{err}");
}

#[test]
fn a_dataset_too_large_for_an_alliance_is_refused_promptly() {
    // 400,000 items (10 MB): every duplicate check was quadratic, over a minute of CPU.
    let dir = tempfile::tempdir().unwrap();
    let mut csv = String::from("id,category,buyers,alpha,unit_cost_musd,capacity\n");
    for i in 0..400_000 {
        csv.push_str(&format!("i{i},land,nato,0.1,1,10\n"));
    }
    std::fs::write(dir.path().join("items.csv"), csv).unwrap();
    std::fs::write(
        dir.path().join("scenario.toml"),
        format!("{GOAL}[data]\nitems = \"items.csv\"\ncapacity_plans = \"none\"\n"),
    )
    .unwrap();
    let err = load_error(&dir.path().join("scenario.toml"));
    assert!(
        err.ends_with(
            "items.csv:10002:1: column 'id': more than 10000 items; a scenario has at most 10000"
        ),
        "{err}"
    );

    let mut csv = String::from(
        "iso3,name,eu,region,gdp_usd_bn,defence_pct_gdp,equipment_pct,growth_mean_pct,growth_sd_pct\n",
    );
    let letters = |i: usize| {
        [i / 676, i / 26 % 26, i % 26]
            .map(|k| char::from(b'A' + k as u8))
            .iter()
            .collect::<String>()
    };
    for i in 0..1001 {
        csv.push_str(&format!("{},X,1,europe,10,2,20,1,1\n", letters(i)));
    }
    let err = pledge::data::parse_allies("a.csv", &csv)
        .unwrap_err()
        .to_string();
    assert_eq!(
        err,
        "a.csv:1002:1: column 'iso3': more than 1000 allies; a dataset lists at most 1000 (ISO 3166 has 249 countries)"
    );
}

#[test]
fn a_link_to_a_device_is_judged_by_what_it_points_at() {
    let dir = tempfile::tempdir().unwrap();
    let link = dir.path().join("scenario.toml");
    std::os::unix::fs::symlink("/dev/zero", &link).unwrap();
    let err = load_error(&link);
    assert!(
        err.ends_with("scenario.toml: cannot read: it is a character device, not a regular file; expected a scenario file"),
        "{err}"
    );
}

#[test]
fn a_compliance_file_with_a_control_character_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("c.toml");
    std::fs::write(&path, "[compliance]\n\"lag\\u001b\" = 1\n").unwrap();
    let err = scenario::load_compliance(&path).unwrap_err().to_string();
    assert!(
        err.ends_with("c.toml:2:1: key 'lag\\u{1b}' holds a control character, U+001B (escape), at character 4; expected one line of text without control characters"),
        "{err}"
    );
}
