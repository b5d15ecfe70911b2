//! The embedded backend: one SQLite file, `kith.db`, in the data directory.
//!
//! WAL mode lets the dashboard read while an import writes; `synchronous = NORMAL` is
//! durable against application crashes and, in WAL mode, loses at most the last
//! transactions on power loss — the right trade for re-runnable imports. Writers take
//! the lock up front (`BEGIN IMMEDIATE`), so two processes never deadlock upgrading a
//! read lock, and wait up to [`BUSY_TIMEOUT`] for each other.
//!
//! One connection behind a std `Mutex`: calls are short and synchronous, and SQLite
//! serialises writers anyway. Readers could get a pool of their own later.

mod programs;
mod session;

use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use kith_core::{
    Candidate, CandidateQuery, Order, Person, PersonSource, Platform, Population, Post, Profile,
    Record, Review, TierBands,
};
use rusqlite::{Connection, TransactionBehavior};
use time::OffsetDateTime;

use self::session::SqliteSession;
use crate::auth::{self, ApiToken, Role, SessionUser, User};
use crate::migrate::{self, Migration, migrations};
use crate::ops::{self, Session};
use crate::reads::{self, Overview, PersonView, Refinement, ScatterPoint};
use crate::sql::{Dialect, Statements};
use crate::{Backend, ImportError, ImportReport, InputError, Status, Store, StoreError};

pub(crate) const MIGRATIONS: &[Migration] = migrations!("sqlite": 1 => "0001_initial", 2 => "0002_auth", 3 => "0003_programs", 4 => "0004_identity_decisions", 5 => "0005_program_links");

const BOOTSTRAP: &str = "CREATE TABLE IF NOT EXISTS schema_migrations (
    version    INTEGER NOT NULL PRIMARY KEY,
    name       TEXT NOT NULL,
    applied_at TEXT NOT NULL
) STRICT;";

/// How long a writer waits for another process's transaction before giving up.
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// The file name inside the data directory.
const DB_FILE: &str = "kith.db";

/// kith's store in one SQLite file.
pub struct SqliteStore {
    conn: Mutex<Connection>,
    path: PathBuf,
    sql: Statements,
}

impl std::fmt::Debug for SqliteStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SqliteStore")
            .field("path", &self.path)
            .finish_non_exhaustive()
    }
}

impl SqliteStore {
    /// Opens (creating if needed) `dir/kith.db`, creating `dir` too.
    pub fn open_in_dir(dir: &Path) -> Result<SqliteStore, StoreError> {
        std::fs::create_dir_all(dir).map_err(|source| StoreError::DataDir {
            path: dir.display().to_string(),
            source,
        })?;
        SqliteStore::open(&dir.join(DB_FILE))
    }

    /// Opens (creating if needed) the database file at `path` and migrates it.
    pub fn open(path: &Path) -> Result<SqliteStore, StoreError> {
        let mut conn = Connection::open(path)?;
        conn.busy_timeout(BUSY_TIMEOUT)?;
        // `journal_mode` answers with the mode it settled on; the others are silent.
        conn.query_row("PRAGMA journal_mode = WAL", [], |_| Ok(()))?;
        conn.execute_batch(
            "PRAGMA synchronous = NORMAL;
             PRAGMA foreign_keys = ON;
             PRAGMA temp_store = MEMORY;
             PRAGMA cache_size = -65536;",
        )?;
        // Imports and queries cycle through a few dozen distinct statements.
        conn.set_prepared_statement_cache_capacity(128);
        let sql = Statements::new(Dialect::Sqlite);
        {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            migrate::apply(&mut SqliteSession(&tx), &sql, BOOTSTRAP, MIGRATIONS)?;
            tx.commit()?;
        }
        tracing::debug!(path = %path.display(), "opened SQLite store");
        Ok(SqliteStore {
            conn: Mutex::new(conn),
            path: path.to_owned(),
            sql,
        })
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// A panic in another thread cannot leave the connection mid-transaction: rusqlite
    /// rolls back when the transaction is dropped during unwinding.
    fn lock(&self) -> MutexGuard<'_, Connection> {
        self.conn.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Runs `f` in a write transaction, committed only if `f` succeeds.
    fn write<T, E: From<StoreError>>(
        &self,
        f: impl FnOnce(&mut dyn Session, &Statements) -> Result<T, E>,
    ) -> Result<T, E> {
        let mut conn = self.lock();
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(StoreError::from)?;
        let out = f(&mut SqliteSession(&tx), &self.sql)?;
        tx.commit().map_err(StoreError::from)?;
        Ok(out)
    }

    /// Runs `f` in a read transaction, so several queries see one snapshot.
    fn read<T>(
        &self,
        f: impl FnOnce(&mut dyn Session, &Statements) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        let mut conn = self.lock();
        let tx = conn.transaction_with_behavior(TransactionBehavior::Deferred)?;
        let out = f(&mut SqliteSession(&tx), &self.sql)?;
        tx.commit()?;
        Ok(out)
    }
}

impl Store for SqliteStore {
    fn backend(&self) -> Backend {
        Backend::Sqlite
    }

    #[tracing::instrument(name = "store.import", skip_all, fields(backend = "sqlite"))]
    fn import(
        &self,
        records: &mut dyn Iterator<Item = Result<Record, InputError>>,
    ) -> Result<ImportReport, ImportError> {
        self.write(|s, sql| ops::import(s, sql, records))
    }

    fn status(&self) -> Result<Status, StoreError> {
        self.read(ops::status)
    }

    fn programs(&self) -> &dyn crate::ProgramStore {
        self
    }

    fn brand(&self) -> Result<Option<String>, StoreError> {
        self.read(ops::brand)
    }

    fn set_brand(&self, toml: &str) -> Result<(), StoreError> {
        self.write(|s, sql| ops::set_brand(s, sql, toml))
    }

    fn data_version(&self) -> Result<i64, StoreError> {
        self.read(ops::data_version)
    }

    fn scored_version(&self) -> Result<Option<i64>, StoreError> {
        self.read(ops::scored_version)
    }

    #[tracing::instrument(name = "store.population", skip_all, fields(backend = "sqlite"))]
    fn population(&self) -> Result<Population, StoreError> {
        self.read(ops::population)
    }

    fn identity_inputs(&self) -> Result<crate::IdentityInputs, StoreError> {
        self.read(crate::identity::inputs)
    }

    fn confirmations(&self) -> Result<Vec<kith_core::identity::Confirmation>, StoreError> {
        self.read(crate::identity::confirmations)
    }

    fn save_confirmations(
        &self,
        decisions: &[kith_core::identity::Confirmation],
        decided_by: &str,
    ) -> Result<u64, StoreError> {
        let now = OffsetDateTime::now_utc();
        self.write(|s, sql| crate::identity::save_confirmations(s, sql, decisions, decided_by, now))
    }

    #[tracing::instrument(
        name = "store.replace_candidates",
        skip_all,
        fields(backend = "sqlite")
    )]
    fn replace_candidates(
        &self,
        candidates: &[Candidate],
        data_version: i64,
    ) -> Result<(), StoreError> {
        self.write(|s, sql| ops::replace_candidates(s, sql, candidates, data_version))
    }

    fn candidates(&self, query: &CandidateQuery) -> Result<Vec<Candidate>, StoreError> {
        self.read(|s, sql| ops::candidates(s, sql, query, &Refinement::default()))
    }

    fn count_candidates(&self, query: &CandidateQuery) -> Result<u64, StoreError> {
        self.read(|s, sql| ops::count_candidates(s, sql, query, &Refinement::default()))
    }

    fn refined_candidates(
        &self,
        query: &CandidateQuery,
        refinement: &Refinement,
    ) -> Result<Vec<Candidate>, StoreError> {
        self.read(|s, sql| ops::candidates(s, sql, query, refinement))
    }

    fn count_refined_candidates(
        &self,
        query: &CandidateQuery,
        refinement: &Refinement,
    ) -> Result<u64, StoreError> {
        self.read(|s, sql| ops::count_candidates(s, sql, query, refinement))
    }

    fn person(&self, id: &str) -> Result<Option<PersonView>, StoreError> {
        self.read(|s, sql| reads::person(s, sql, id))
    }

    fn posts(&self, platform: Platform, handle: &str, limit: u32) -> Result<Vec<Post>, StoreError> {
        self.read(|s, sql| reads::posts(s, sql, platform, handle, limit))
    }

    fn person_reviews(&self, person_id: &str, limit: u32) -> Result<Vec<Review>, StoreError> {
        self.read(|s, sql| reads::reviews(s, sql, person_id, limit))
    }

    fn person_orders(&self, person_id: &str, limit: u32) -> Result<Vec<Order>, StoreError> {
        self.read(|s, sql| reads::orders(s, sql, person_id, limit))
    }

    fn people(
        &self,
        source: Option<PersonSource>,
        limit: u32,
        offset: u64,
    ) -> Result<(Vec<Person>, u64), StoreError> {
        self.read(|s, sql| reads::people(s, sql, source, limit, offset))
    }

    fn profiles(
        &self,
        platform: Option<Platform>,
        limit: u32,
        offset: u64,
    ) -> Result<(Vec<Profile>, u64), StoreError> {
        self.read(|s, sql| reads::profiles(s, sql, platform, limit, offset))
    }

    fn scatter(&self, max_points: u32) -> Result<Vec<ScatterPoint>, StoreError> {
        self.read(|s, sql| reads::scatter(s, sql, max_points))
    }

    fn overview(&self, tiers: &TierBands, lover_sentiment: f64) -> Result<Overview, StoreError> {
        self.read(|s, sql| reads::overview(s, sql, tiers, lover_sentiment))
    }

    fn create_user(
        &self,
        email: &str,
        password_hash: &str,
        role: Role,
    ) -> Result<Option<User>, StoreError> {
        let now = OffsetDateTime::now_utc();
        self.write(|s, sql| auth::create_user(s, sql, email, password_hash, role, now))
    }

    fn user_credentials(&self, email: &str) -> Result<Option<(User, String)>, StoreError> {
        self.read(|s, sql| auth::user_credentials(s, sql, email))
    }

    fn users(&self) -> Result<Vec<User>, StoreError> {
        self.read(auth::users)
    }

    fn set_user_role(&self, id: i64, role: Role) -> Result<bool, StoreError> {
        self.write(|s, sql| auth::set_user_role(s, sql, id, role))
    }

    fn set_user_password(&self, id: i64, password_hash: &str) -> Result<bool, StoreError> {
        self.write(|s, sql| auth::set_user_password(s, sql, id, password_hash))
    }

    fn delete_user(&self, id: i64) -> Result<bool, StoreError> {
        self.write(|s, sql| auth::delete_user(s, sql, id))
    }

    fn create_session(
        &self,
        token_hash: &str,
        user_id: i64,
        csrf_token: &str,
        expires_at: OffsetDateTime,
    ) -> Result<(), StoreError> {
        let now = OffsetDateTime::now_utc();
        self.write(|s, sql| {
            auth::create_session(s, sql, token_hash, user_id, csrf_token, now, expires_at)
        })
    }

    fn session(&self, token_hash: &str) -> Result<Option<SessionUser>, StoreError> {
        let now = OffsetDateTime::now_utc();
        self.read(|s, sql| auth::session(s, sql, token_hash, now))
    }

    fn delete_session(&self, token_hash: &str) -> Result<(), StoreError> {
        self.write(|s, sql| auth::delete_session(s, sql, token_hash))
    }

    fn create_api_token(&self, token: &ApiToken, secret_hash: &str) -> Result<(), StoreError> {
        self.write(|s, sql| auth::create_api_token(s, sql, token, secret_hash))
    }

    fn api_token(&self, id: &str) -> Result<Option<(ApiToken, String)>, StoreError> {
        self.read(|s, sql| auth::api_token(s, sql, id))
    }

    fn api_tokens(&self) -> Result<Vec<ApiToken>, StoreError> {
        self.read(auth::api_tokens)
    }

    fn revoke_api_token(&self, id: &str) -> Result<bool, StoreError> {
        let now = OffsetDateTime::now_utc();
        self.write(|s, sql| auth::revoke_api_token(s, sql, id, now))
    }

    fn record_login_failure(
        &self,
        keys: &[&str],
        forget_before: OffsetDateTime,
    ) -> Result<(), StoreError> {
        let now = OffsetDateTime::now_utc();
        self.write(|s, sql| auth::record_login_failure(s, sql, keys, now, forget_before))
    }

    fn login_failures_since(&self, key: &str, since: OffsetDateTime) -> Result<u64, StoreError> {
        self.read(|s, sql| auth::login_failures_since(s, sql, key, since))
    }

    fn clear_login_failures(&self, key: &str) -> Result<(), StoreError> {
        self.write(|s, sql| auth::clear_login_failures(s, sql, key))
    }
}
