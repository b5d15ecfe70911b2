//! The production backend: PostgreSQL through the synchronous `postgres` client.
//!
//! **Never call it on an async runtime's thread.** The sync client runs a small tokio
//! runtime of its own and panics when called from inside another; the server reaches
//! the store through `tokio::task::spawn_blocking`, the CLI calls it directly.
//!
//! One connection behind a std `Mutex`, reconnected when the server drops it. Statements
//! are prepared once per connection. The schema lives in whatever `search_path` names,
//! so a URL such as `postgres://…/db?options=-csearch_path%3Dkith` selects a schema.

mod batch;
mod programs;
mod session;

use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard, PoisonError};

use kith_core::{
    Candidate, CandidateQuery, Order, Person, PersonSource, Platform, Population, Post, Profile,
    Record, Review, TierBands,
};
use postgres::{Client, Config, IsolationLevel, NoTls, Statement};
use time::OffsetDateTime;

use self::session::PgSession;
use crate::auth::{self, ApiToken, Role, SessionUser, User};
use crate::migrate::{self, Migration, migrations};
use crate::ops::{self, Session};
use crate::reads::{self, Overview, PersonView, Refinement, ScatterPoint};
use crate::sql::{Dialect, Statements};
use crate::{Backend, ImportError, ImportReport, InputError, Status, Store, StoreError};

pub(crate) const MIGRATIONS: &[Migration] = migrations!("postgres": 1 => "0001_initial", 2 => "0002_auth", 3 => "0003_programs", 4 => "0004_identity_decisions", 5 => "0005_program_links");

/// Serialises concurrent migrations of the same schema: a transaction-scoped advisory
/// lock keyed by kith and the current schema.
const BOOTSTRAP: &str =
    "SELECT pg_advisory_xact_lock(1801677928, hashtext(COALESCE(current_schema(), '')));
CREATE TABLE IF NOT EXISTS schema_migrations (
    version    BIGINT NOT NULL PRIMARY KEY,
    name       TEXT NOT NULL,
    applied_at TIMESTAMPTZ NOT NULL
);";

struct Connection {
    client: Client,
    prepared: HashMap<String, Statement>,
}

impl Connection {
    fn open(config: &Config) -> Result<Connection, StoreError> {
        Ok(Connection {
            client: config.connect(NoTls)?,
            prepared: HashMap::new(),
        })
    }
}

/// kith's store in a PostgreSQL database.
pub struct PostgresStore {
    conn: Mutex<Connection>,
    config: Config,
    sql: Statements,
}

impl std::fmt::Debug for PostgresStore {
    // The configuration holds the password: show only where the store points.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PostgresStore")
            .field("dbname", &self.config.get_dbname())
            .field("user", &self.config.get_user())
            .finish_non_exhaustive()
    }
}

impl PostgresStore {
    /// Connects to `url` (`postgres://user:password@host:port/db`, without TLS) and
    /// migrates the schema.
    pub fn connect(url: &str) -> Result<PostgresStore, StoreError> {
        PostgresStore::connect_config(url.parse()?)
    }

    /// Connects with a configuration built in code, e.g. with `options` set.
    pub fn connect_config(config: Config) -> Result<PostgresStore, StoreError> {
        let mut conn = Connection::open(&config)?;
        let sql = Statements::new(Dialect::Postgres);
        {
            let mut tx = conn.client.transaction()?;
            let mut session = PgSession::new(&mut tx, &mut conn.prepared);
            migrate::apply(&mut session, &sql, BOOTSTRAP, MIGRATIONS)?;
            tx.commit()?;
        }
        tracing::debug!(dbname = ?config.get_dbname(), "connected to PostgreSQL store");
        Ok(PostgresStore {
            conn: Mutex::new(conn),
            config,
            sql,
        })
    }

    /// The connection, reopened first if the server closed it (a restart, a failover).
    /// A poisoned lock is taken as is: a panic mid-transaction drops the transaction,
    /// which rolls it back.
    fn lock(&self) -> Result<MutexGuard<'_, Connection>, StoreError> {
        let mut conn = self.conn.lock().unwrap_or_else(PoisonError::into_inner);
        if conn.client.is_closed() {
            tracing::warn!("PostgreSQL connection closed; reconnecting");
            *conn = Connection::open(&self.config)?;
        }
        Ok(conn)
    }

    fn write<T, E: From<StoreError>>(
        &self,
        f: impl FnOnce(&mut dyn Session, &Statements) -> Result<T, E>,
    ) -> Result<T, E> {
        let mut guard = self.lock()?;
        let conn = &mut *guard;
        let mut tx = conn.client.transaction().map_err(StoreError::from)?;
        let out = f(&mut PgSession::new(&mut tx, &mut conn.prepared), &self.sql)?;
        tx.commit().map_err(StoreError::from)?;
        Ok(out)
    }

    /// A read-only, repeatable-read transaction: several queries see one snapshot.
    fn read<T>(
        &self,
        f: impl FnOnce(&mut dyn Session, &Statements) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        let mut guard = self.lock()?;
        let conn = &mut *guard;
        let mut tx = conn
            .client
            .build_transaction()
            .isolation_level(IsolationLevel::RepeatableRead)
            .read_only(true)
            .start()?;
        let out = f(&mut PgSession::new(&mut tx, &mut conn.prepared), &self.sql)?;
        tx.commit()?;
        Ok(out)
    }
}

impl Store for PostgresStore {
    fn backend(&self) -> Backend {
        Backend::Postgres
    }

    #[tracing::instrument(name = "store.import", skip_all, fields(backend = "postgres"))]
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

    #[tracing::instrument(name = "store.population", skip_all, fields(backend = "postgres"))]
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
        fields(backend = "postgres")
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
