//! `pledge merge`'s reader of shard states on arbitrary bytes: what parses as a state is then
//! verified and merged on its own; either it merges or it is refused with a message. Nothing
//! panics, and a forged bucket index never makes it allocate without bound.
#![no_main]

use libfuzzer_sys::fuzz_target;
use pledge::app::shard::{ShardState, merge};

fuzz_target!(|data: &[u8]| {
    if let Ok(state) = serde_json::from_slice::<ShardState>(data) {
        let _ = merge(&[(std::path::PathBuf::from("shard.json"), state)]);
    }
});
