//! `kith`: the command line. Wiring, progress bars and exit codes; every rule lives in
//! the library crates.
//!
//! Exit codes: 0 success, 1 a user error (printed as one line with its cause chain),
//! 2 a usage error (from clap).

use std::process::ExitCode;

use clap::Parser;

mod cli;
mod commands;
mod output;
mod progress;
mod refresh;

// Scoring and imports allocate millions of small strings across threads; glibc's
// allocator spent a quarter of `kith score`'s time in its own bookkeeping.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("KITH_LOG")
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn")),
        )
        .with_writer(std::io::stderr)
        .init();
    if matches!(cli.command, cli::Command::Score(_)) {
        keep_freed_memory();
    }
    match commands::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            // One line: the error and every cause, outermost first.
            let chain: Vec<String> = err.chain().map(ToString::to_string).collect();
            eprintln!("error: {}", chain.join(": "));
            ExitCode::from(1)
        }
    }
}

/// `kith score` frees and reuses hundreds of megabytes within its second or two: by
/// default mimalloc hands freed memory back to the system after a delay, and touching it
/// again costs a page fault and zeroing each time (`MIMALLOC_SHOW_STATS=1`: 269 MiB
/// purged and faulted back over 1M posts; system time 0.4–0.9 s, 0.2–0.3 s without).
///
/// Huge pages are off too. Fresh memory costs far more than its zeroing in a virtual
/// machine that hands freed pages back to its host (virtio-balloon free page
/// reporting): a 2 MiB page must then be found and backed whole. Measured on such a VM
/// over 1M posts, with memory cold (runs 5 s apart): 1.16 s with huge pages, 0.89 s
/// without; warm, huge pages win by ~0.05 s. Scoring usually runs cold.
///
/// The allocator reads its options from the environment only as the process starts, so
/// the command starts itself once more with these set (a value already in the
/// environment is kept). Should that fail, it simply runs as it is.
fn keep_freed_memory() {
    const PURGE_DELAY: &str = "MIMALLOC_PURGE_DELAY";
    const HUGE_PAGES: &str = "MIMALLOC_ALLOW_THP";
    #[cfg(unix)]
    if std::env::var_os(PURGE_DELAY).is_none() {
        use std::os::unix::process::CommandExt;
        if let Ok(exe) = std::env::current_exe() {
            let mut again = std::process::Command::new(exe);
            again
                .args(std::env::args_os().skip(1))
                .env(PURGE_DELAY, "-1");
            if std::env::var_os(HUGE_PAGES).is_none() {
                again.env(HUGE_PAGES, "0");
            }
            let failed = again.exec();
            tracing::debug!(error = %failed, "cannot restart with {PURGE_DELAY}=-1");
        }
    }
}
