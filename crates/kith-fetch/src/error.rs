//! What stops a fetch run. A problem with one handle (missing, private, a response that
//! would not read) is not an error: it is recorded in the state and the run goes on.

use std::path::PathBuf;

use kith_core::Platform;

#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    #[error("no {platform} token: set {env} or pass --token-file")]
    NoToken {
        platform: Platform,
        env: &'static str,
    },
    #[error(
        "{platform} rejected the token ({detail}); get a new token and run again: finished handles are kept"
    )]
    Auth { platform: Platform, detail: String },
    #[error(
        "{platform} quota is used up ({detail}); run again after it resets: finished handles are kept"
    )]
    Quota { platform: Platform, detail: String },
    #[error(
        "{platform} asks to wait {wait_secs} s, longer than the {max_secs} s this run waits; run again later: finished handles are kept"
    )]
    RateLimited {
        platform: Platform,
        wait_secs: u64,
        max_secs: u64,
    },
    #[error("{0}")]
    Config(String),
    #[error("{file}:{line}: {message}")]
    Handles {
        file: String,
        line: u64,
        message: String,
    },
    #[error("cannot write {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("state file {path} cannot be used: {message}")]
    State { path: PathBuf, message: String },
}
