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
