//! `pledge report`'s reader of `result.json` on arbitrary bytes: it either reads a valid
//! result or refuses it with a message; it never panics (a damaged or edited file included).
//! What it accepts, the exporters that read results alone can use without panicking.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(results) = pledge::results::Results::from_json("result.json", data) {
        let _ = pledge::output::summary_csv(&results);
        let _ = pledge::output::glance::glance(&results, pledge::data::currency::Currency::Usd);
    }
});
