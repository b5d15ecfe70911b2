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

use postgres::{Client, Config, IsolationLevel, NoTls, Statement};

use self::session::PgSession;
use crate::StoreError;
use crate::migrate::{self, Migration, migrations};
use crate::ops::Session;
use crate::sql::{Dialect, Statements};

pub(crate) const MIGRATIONS: &[Migration] = migrations!("postgres": 1 => "0001_initial", 2 => "0002_auth", 3 => "0003_programs", 4 => "0004_identity_decisions", 5 => "0005_program_links", 6 => "0006_click_indexes", 7 => "0007_exchange_rates", 8 => "0008_compact_clicks");

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

crate::delegate::impl_store!(PostgresStore, Postgres, "postgres");
