//! The `pledge` binary: parses flags, calls one function of `pledge::app`, prints the result
//! and maps errors to exit codes (2 for bad input, 1 for anything else).

mod cli;

/// mimalloc instead of the system allocator: building the workbook, the JSON and the charts
/// allocates heavily on several threads, where glibc's per-thread arenas grow one system call
/// at a time (about 6,000 mprotect calls for one briefing pack).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
mod progress;

use clap::Parser;
use std::io::Write;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    let mut stdout = std::io::stdout().lock();
    match cli::execute(cli, &mut stdout) {
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
