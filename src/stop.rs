//! The request to stop: set by the signal handler (Ctrl-C, SIGTERM, SIGHUP), seen by the
//! runs between steps, by the searches, and by the one writer, which then writes nothing.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

/// Set when the user asks pledge to stop (Ctrl-C, SIGTERM): the work checks it between steps
/// and stops cleanly, and the `Outbox` of `output` then writes nothing. Clones share one flag.
#[derive(Debug, Clone, Default)]
pub struct StopFlag(Arc<AtomicBool>);

impl StopFlag {
    /// A flag not yet set.
    pub fn new() -> StopFlag {
        StopFlag::default()
    }

    /// Asks every holder of a clone to stop.
    pub fn stop(&self) {
        self.0.store(true, Ordering::SeqCst);
    }

    /// Whether a stop was asked for.
    pub fn is_set(&self) -> bool {
        self.0.load(Ordering::SeqCst)
    }
}
