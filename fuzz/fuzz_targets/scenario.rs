//! The scenario loader on arbitrary text: every input either loads or is refused with a
//! located error; none panics, hangs or allocates without bound. A loaded scenario's plan is
//! computed too, and must be finite.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    // Data paths resolve against a folder that does not exist: only "builtin" data loads.
    let dir = std::path::Path::new("/nonexistent-pledge-fuzz");
    if let Ok(scenario) = pledge::scenario::parse("fuzz.toml", text, dir, "fuzz") {
        // Large scenarios are refused before a run by the command line; keep runs small here.
        let years = (scenario.horizon - scenario.base_year()) as usize;
        let size = scenario.goals.len() * scenario.groups.len() * years;
        if size < 200_000 {
            let plan = pledge::mc::summary::Summary::central(&scenario);
            assert!(plan.central_values().iter().all(|v| v.is_finite()));
        }
    }
});
