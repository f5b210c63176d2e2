//! The `pledge` binary: parses flags, calls one function of `pledge::app`, prints the result
//! and maps errors to exit codes (2 for bad input, 130 when interrupted, 1 for anything
//! else).

mod cli;

/// mimalloc instead of the system allocator: building the workbook, the JSON and the charts
/// allocates heavily on several threads, where glibc's per-thread arenas grow one system call
/// at a time (about 6,000 mprotect calls for one briefing pack).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
mod progress_bar;

use clap::Parser;
use std::io::Write;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    let stop = on_interrupt();
    let mut stdout = std::io::stdout().lock();
    match cli::execute(cli, &mut stdout, &stop) {
        Ok(code) => ExitCode::from(code),
        // A closed pipe (`pledge data allies | head`) is not an error.
        Err(cli::Failure::Stdout(e)) if e.kind() == std::io::ErrorKind::BrokenPipe => {
            ExitCode::SUCCESS
        }
        Err(failure) => {
            let _ = stdout.flush();
            eprintln!("error: {failure}");
            ExitCode::from(failure.exit_code())
        }
    }
}

/// Ctrl-C, SIGTERM and SIGHUP (the `ctrlc` crate with its `termination` feature: it handles
/// the signals on a thread of its own, so the handler may print and take locks). The first
/// sets the flag that the runs and the writer check: the command stops at its next step,
/// writes nothing, and exits 130 saying what the output folder still holds. A second exits at
/// once, after removing the staging folders (the output folders keep their previous sets).
fn on_interrupt() -> pledge::app::StopFlag {
    let stop = pledge::app::StopFlag::new();
    let flag = stop.clone();
    let installed = ctrlc::set_handler(move || {
        if flag.is_set() {
            pledge::output::discard_all();
            eprintln!("\ninterrupted again: stopped at once; nothing written");
            std::process::exit(130);
        }
        flag.stop();
        eprintln!("\nstopping (interrupt again to stop at once)");
    });
    if let Err(e) = installed {
        eprintln!("warning: cannot handle Ctrl-C: {e}");
    }
    stop
}
