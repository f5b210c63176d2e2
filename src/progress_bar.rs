//! The progress bar of long runs: shown on stderr when a run lasts more than about a second,
//! never when stderr is not a terminal or with `--quiet`. It polls the engine's run counter
//! from a thread of its own, so the library knows nothing of terminals.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use pledge::app::Progress;
use std::io::IsTerminal;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// How long a run may take before a bar appears.
const GRACE: Duration = Duration::from_secs(1);
/// How often the bar is refreshed.
const TICK: Duration = Duration::from_millis(100);

/// Runs `work`, showing a bar for `progress` if it takes longer than [`GRACE`].
pub fn show_while<T>(progress: &Progress, quiet: bool, work: impl FnOnce() -> T) -> T {
    if quiet || !std::io::stderr().is_terminal() {
        return work();
    }
    let finished = AtomicBool::new(false);
    std::thread::scope(|scope| {
        scope.spawn(|| {
            let start = Instant::now();
            let mut bar: Option<ProgressBar> = None;
            while !finished.load(Ordering::Acquire) {
                std::thread::sleep(TICK);
                if bar.is_none() && start.elapsed() >= GRACE {
                    let b = ProgressBar::with_draw_target(
                        Some(progress.total.load(Ordering::Relaxed)),
                        ProgressDrawTarget::stderr(),
                    );
                    b.set_style(
                        ProgressStyle::with_template(
                            "{bar:40} {human_pos}/{human_len} runs, {per_sec}, eta {eta}",
                        )
                        .expect("the template is valid"),
                    );
                    bar = Some(b);
                }
                if let Some(b) = &bar {
                    b.set_length(progress.total.load(Ordering::Relaxed));
                    b.set_position(progress.done.load(Ordering::Relaxed));
                }
            }
            if let Some(b) = bar {
                b.finish_and_clear();
            }
        });
        let result = work();
        finished.store(true, Ordering::Release);
        result
    })
}
