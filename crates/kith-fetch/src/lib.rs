//! kith's live connectors: fetch profiles and recent posts from the Instagram Graph API
//! (Business Discovery), the TikTok Research API, the YouTube Data API v3 and the X API
//! v2, and write them as canonical NDJSON that `kith import` reads.
//!
//! Every response is read by the same mappers as imported files
//! ([`kith_io::social`]), so a fetched profile and an imported one cannot differ. Runs
//! are resumable: a state file records each handle as done, skipped (missing or private
//! account, with the platform's reason) or failed, and a second run picks up where the
//! first stopped. Tokens never reach a log, an error message or a file.
//!
//! # Layout
//! - [`run`]: the driver — handles in, files and state out; [`Config`] and [`Summary`].
//! - [`http`]: one request with retries: 429 and `Retry-After`, usage headers,
//!   exponential backoff with jitter ([`backoff`]), on a [`clock::Clock`] tests control.
//! - [`platforms`]: one connector per platform: requests, pagination, error shapes.
//! - [`state`], [`handles`], [`secret`]: the state file, the handles file, the token.

pub mod backoff;
pub mod clock;
pub mod error;
pub mod handles;
pub mod http;
pub mod platforms;
pub mod run;
pub mod secret;
pub mod state;

pub use error::FetchError;
pub use run::{Config, Outcome, Progress, Summary, run};
pub use secret::Token;
