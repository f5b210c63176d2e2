//! `pledge report`'s reader of `result.json` on arbitrary bytes: it either reads a valid
//! result or refuses it with a message; it never panics (a damaged or edited file included).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = pledge::report::Results::from_json("result.json", data);
});
