//! kith's persistence: one [`Store`] trait with two real backends, chosen by URL scheme.
//!
//! SQLite is embedded and the default (`$KITH_DATA/kith.db`, WAL mode); PostgreSQL is
//! selected by a `postgres://` URL. Each dialect has its own migrations folder, applied
//! automatically on open. Dialect differences stay inside this crate.
//!
//! # Layout
//! - [`Store`]: what the rest of kith may ask of storage.
//! - `ops`: what each `Store` method does, written once over a neutral `Session`;
//!   `tables` describes what is written, `sql` renders statements per dialect, `rows`
//!   maps records to columns and back;
//!   `value` and `convert` are the shared currency (parameters, rows, timestamps).
//! - `sqlite`, `postgres`: one backend each — connection, transactions, driver glue —
//!   with `migrations/{sqlite,postgres}/` applied by `migrate`; `delegate` writes their
//!   `Store` impl once.
//! - [`auth`]: users, roles, sessions, API tokens and failed sign-ins, for the server.
//! - [`programs`]: programs, referral clicks, attributed orders and payouts, behind
//!   their own trait [`ProgramStore`].
//! - [`report`]: the ROI report's row as JSON, shared by the CLI and the API.
//! - `reads`: what the dashboard and the API read beyond candidate pages ([`PersonView`],
//!   [`Overview`], [`ScatterPoint`]) and the dashboard's extra filters ([`Refinement`]).
//! - [`identity`]: people's decisions on person ↔ profile links, what identity
//!   resolution reads ([`IdentityInputs`]) and its counts, kept per data version
//!   ([`IdentitySummary`]).
//! - [`testing`] (hidden): the harness that runs one test suite on both backends.

use std::path::Path;
use std::sync::Arc;

use kith_core::identity::Confirmation;
use kith_core::{
    Candidate, CandidateQuery, Order, PersonSource, Platform, Population, Post, Profile, Record,
    Review, TierBands,
};
use time::OffsetDateTime;

pub mod auth;
mod convert;
mod delegate;
pub mod identity;
mod migrate;
mod ops;
mod postgres;
pub mod programs;
mod reads;
pub mod report;
mod rows;
mod sql;
mod sqlite;
mod tables;
#[doc(hidden)]
pub mod testing;
mod value;

pub use crate::auth::{ApiToken, Role, SessionUser, User};
pub use crate::identity::{IdentityInputs, IdentitySummary};
pub use crate::postgres::PostgresStore;
pub use crate::programs::ProgramStore;
pub use crate::reads::{Overview, PersonView, Refinement, ScatterPoint};
pub use crate::sqlite::SqliteStore;

/// An error from an importer's record stream, carried through an import untouched.
pub type InputError = Box<dyn std::error::Error + Send + Sync>;

/// A failure of the storage itself (not of the user's input).
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    // The driver's error is shown in full and deliberately not exposed as `source()`:
    // a printed cause chain would otherwise say it twice.
    #[error("SQLite: {0}")]
    Sqlite(rusqlite::Error),
    /// Shows the server's message (`ERROR: …`), which `postgres::Error` alone hides
    /// behind "db error".
    #[error("PostgreSQL: {}", postgres_message(.0))]
    Postgres(::postgres::Error),
    #[error("cannot open the data directory {path}: {source}")]
    DataDir {
        path: String,
        source: std::io::Error,
    },
    #[error("unsupported database URL {0:?}: use postgres://… or sqlite://PATH")]
    UnsupportedUrl(String),
    #[error("stored data is inconsistent: {0}")]
    Corrupt(String),
    /// A value the caller asked to store that no backend can keep faithfully, such as a
    /// NaN score.
    #[error("cannot store {0}")]
    Unstorable(String),
}

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        StoreError::Sqlite(e)
    }
}

impl From<::postgres::Error> for StoreError {
    fn from(e: ::postgres::Error) -> Self {
        StoreError::Postgres(e)
    }
}

fn postgres_message(e: &::postgres::Error) -> String {
    if let Some(db) = e.as_db_error() {
        return match db.detail() {
            Some(detail) => format!("{}: {} ({detail})", db.severity(), db.message()),
            None => format!("{}: {}", db.severity(), db.message()),
        };
    }
    match std::error::Error::source(e) {
        Some(cause) => format!("{e}: {cause}"),
        None => e.to_string(),
    }
}

/// Why an import stopped. Either way nothing of the file was written.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// The input was bad; the importer's error names file, line and field.
    #[error(transparent)]
    Input(InputError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// How many records of each kind an import wrote (inserted or updated).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ImportReport {
    pub people: u64,
    pub profiles: u64,
    pub posts: u64,
    pub reviews: u64,
    pub orders: u64,
}

impl ImportReport {
    pub fn total(&self) -> u64 {
        self.people + self.profiles + self.posts + self.reviews + self.orders
    }
}

/// Counts of what the store holds; the keys of `kith status --format json`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Status {
    pub customers: u64,
    pub employees: u64,
    pub profiles: u64,
    pub posts: u64,
    pub reviews: u64,
    pub orders: u64,
    pub candidates: u64,
    pub programs: u64,
    pub members: u64,
    pub clicks: u64,
    pub conversions: u64,
}

/// Which backend a store runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// Storage for one brand.
///
/// Methods are synchronous: the CLI calls them directly and the server from
/// `spawn_blocking`. Every write method is one transaction. `Debug` lets state that
/// holds an `Arc<dyn Store>` derive it; implementations never print credentials.
pub trait Store: Send + Sync + std::fmt::Debug {
    fn backend(&self) -> Backend;

    /// Writes every record the stream yields in one transaction, updating records that
    /// share a natural key (person id; platform + handle; platform + post id; review id;
    /// order id). The first error from the stream rolls everything back.
    fn import(
        &self,
        records: &mut dyn Iterator<Item = Result<Record, InputError>>,
    ) -> Result<ImportReport, ImportError>;

    fn status(&self) -> Result<Status, StoreError>;

    /// Programs, members, clicks, orders and payouts (see [`programs`]).
    fn programs(&self) -> &dyn ProgramStore;

    /// The brand's `brand.toml` text, if one was saved.
    fn brand(&self) -> Result<Option<String>, StoreError>;
    fn set_brand(&self, toml: &str) -> Result<(), StoreError>;

    /// A number that changes whenever imported data or the brand changes, so computed
    /// scores can tell whether they are stale.
    fn data_version(&self) -> Result<i64, StoreError>;
    /// The `data_version` the stored candidates were computed from, if any.
    fn scored_version(&self) -> Result<Option<i64>, StoreError>;

    /// Everything scoring reads, in a deterministic order (people by id, profiles by
    /// platform and handle, posts by post id), so every backend gives the same scores.
    fn population(&self) -> Result<Population, StoreError>;

    // --- Identity: which profiles are whose (see [`identity`]). ---

    /// People (with handles), profiles (without posts) and decisions: what identity
    /// resolution reads, in the population's order, with the `data_version` it was read at.
    fn identity_inputs(&self) -> Result<IdentityInputs, StoreError>;
    /// The identity summary last saved, if it was computed from the data as it is now.
    fn identity_summary(&self) -> Result<Option<IdentitySummary>, StoreError>;
    /// Keeps `summary` for [`Store::identity_summary`] unless the data changed since its
    /// inputs were read; says whether it was kept. A cache: nothing else depends on it.
    fn save_identity_summary(&self, summary: &IdentitySummary) -> Result<bool, StoreError>;
    /// Every decision on a person ↔ profile link.
    fn confirmations(&self) -> Result<Vec<Confirmation>, StoreError>;
    /// Stores decisions in one transaction, each replacing an earlier one on the same
    /// link; `decided_by` says who (`cli`, a user's email). Returns how many changed
    /// anything; when any did, stored scores become stale.
    fn save_confirmations(
        &self,
        decisions: &[Confirmation],
        decided_by: &str,
    ) -> Result<u64, StoreError>;

    /// Replaces all computed candidates with `candidates`, scored from `data_version`.
    fn replace_candidates(
        &self,
        candidates: &[Candidate],
        data_version: i64,
    ) -> Result<(), StoreError>;

    /// One page of candidates, filtered and sorted; `rank` is the position in the
    /// filtered, sorted list.
    fn candidates(&self, query: &CandidateQuery) -> Result<Vec<Candidate>, StoreError>;
    /// How many candidates match the query's filters (ignoring its page).
    fn count_candidates(&self, query: &CandidateQuery) -> Result<u64, StoreError>;

    // --- The dashboard's reads; every list is bounded by the caller's limit. ---

    /// [`Store::candidates`] with the dashboard's extra filters.
    fn refined_candidates(
        &self,
        query: &CandidateQuery,
        refinement: &Refinement,
    ) -> Result<Vec<Candidate>, StoreError>;
    fn count_refined_candidates(
        &self,
        query: &CandidateQuery,
        refinement: &Refinement,
    ) -> Result<u64, StoreError>;
    /// One person with their profiles and scored rows.
    fn person(&self, id: &str) -> Result<Option<PersonView>, StoreError>;
    /// A profile's latest posts, newest first.
    fn posts(&self, platform: Platform, handle: &str, limit: u32) -> Result<Vec<Post>, StoreError>;
    /// A person's reviews (by person id, or by email), newest first.
    fn person_reviews(&self, person_id: &str, limit: u32) -> Result<Vec<Review>, StoreError>;
    /// A person's orders (by person id, or by email), newest first.
    fn person_orders(&self, person_id: &str, limit: u32) -> Result<Vec<Order>, StoreError>;
    /// A page of people by id with their handles, and how many there are in all.
    fn people(
        &self,
        source: Option<PersonSource>,
        limit: u32,
        offset: u64,
    ) -> Result<(Vec<kith_core::Person>, u64), StoreError>;
    /// A page of profiles by platform and handle, and how many there are in all.
    fn profiles(
        &self,
        platform: Option<Platform>,
        limit: u32,
        offset: u64,
    ) -> Result<(Vec<Profile>, u64), StoreError>;
    /// Followers and engagement of the brand's own people, at most `max_points`.
    fn scatter(&self, max_points: u32) -> Result<Vec<ScatterPoint>, StoreError>;
    /// Counts by band and platform, matched profiles and brand lovers (people with a row
    /// whose brand sentiment is at least `lover_sentiment`).
    fn overview(&self, tiers: &TierBands, lover_sentiment: f64) -> Result<Overview, StoreError>;

    // --- Authentication (see [`auth`]); secrets arrive hashed. ---

    /// Adds a user; `None` when the email is taken.
    fn create_user(
        &self,
        email: &str,
        password_hash: &str,
        role: Role,
    ) -> Result<Option<User>, StoreError>;
    /// The user with this email and their password hash.
    fn user_credentials(&self, email: &str) -> Result<Option<(User, String)>, StoreError>;
    fn users(&self) -> Result<Vec<User>, StoreError>;
    fn set_user_role(&self, id: i64, role: Role) -> Result<bool, StoreError>;
    fn set_user_password(&self, id: i64, password_hash: &str) -> Result<bool, StoreError>;
    /// Removes a user and their sessions.
    fn delete_user(&self, id: i64) -> Result<bool, StoreError>;
    fn create_session(
        &self,
        token_hash: &str,
        user_id: i64,
        csrf_token: &str,
        expires_at: OffsetDateTime,
    ) -> Result<(), StoreError>;
    /// The user of an unexpired session.
    fn session(&self, token_hash: &str) -> Result<Option<SessionUser>, StoreError>;
    fn delete_session(&self, token_hash: &str) -> Result<(), StoreError>;
    fn create_api_token(&self, token: &ApiToken, secret_hash: &str) -> Result<(), StoreError>;
    /// A token and its secret's hash, revoked or not.
    fn api_token(&self, id: &str) -> Result<Option<(ApiToken, String)>, StoreError>;
    fn api_tokens(&self) -> Result<Vec<ApiToken>, StoreError>;
    fn revoke_api_token(&self, id: &str) -> Result<bool, StoreError>;
    /// Records a failed sign-in under each key (e.g. the email and the address), and
    /// forgets failures from before `forget_before`.
    fn record_login_failure(
        &self,
        keys: &[&str],
        forget_before: OffsetDateTime,
    ) -> Result<(), StoreError>;
    fn login_failures_since(&self, key: &str, since: OffsetDateTime) -> Result<u64, StoreError>;
    fn clear_login_failures(&self, key: &str) -> Result<(), StoreError>;
}

/// Opens the store named by `database_url`, or the embedded SQLite store in `data_dir`.
pub fn open(database_url: Option<&str>, data_dir: &Path) -> Result<Arc<dyn Store>, StoreError> {
    match database_url.map(str::trim).filter(|u| !u.is_empty()) {
        None => Ok(Arc::new(SqliteStore::open_in_dir(data_dir)?)),
        Some(url) if url.starts_with("postgres://") || url.starts_with("postgresql://") => {
            Ok(Arc::new(PostgresStore::connect(url)?))
        }
        Some(url) => match url.strip_prefix("sqlite://") {
            Some(path) => Ok(Arc::new(SqliteStore::open(Path::new(path))?)),
            None => Err(StoreError::UnsupportedUrl(url.to_owned())),
        },
    }
}
