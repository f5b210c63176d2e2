//! The data-file readers (allies, items, capacity and declared plans, history) on arbitrary
//! text: each either parses or is refused with a located error; none panics.
#![no_main]

use libfuzzer_sys::fuzz_target;
use pledge::data;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let _ = data::parse_allies("allies.csv", text);
    let _ = data::parse_items("items.csv", text);
    let _ = data::parse_milestones(&data::CAPACITY_PLANS, "capacity_plans.csv", text, 2025);
    let _ = data::parse_milestones(&data::DECLARED_PLANS, "plans.csv", text, 2025);
    let _ = data::parse_history("history.csv", text);
});
