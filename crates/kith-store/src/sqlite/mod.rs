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
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use rusqlite::{Connection, TransactionBehavior};

use self::session::SqliteSession;
use crate::StoreError;
use crate::migrate::{self, Migration, migrations};
use crate::ops::Session;
use crate::sql::{Dialect, Statements};

pub(crate) const MIGRATIONS: &[Migration] = migrations!("sqlite": 1 => "0001_initial", 2 => "0002_auth", 3 => "0003_programs", 4 => "0004_identity_decisions", 5 => "0005_program_links", 6 => "0006_click_indexes", 7 => "0007_exchange_rates", 8 => "0008_compact_clicks");

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
    clicks: Arc<programs::Visibility>,
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
            clicks: Arc::default(),
        })
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// A panic in another thread cannot leave the connection mid-transaction: rusqlite
    /// rolls back when the transaction is dropped during unwinding.
    ///
    /// Every use of the store starts here, after the clicks already answered are stored.
    fn lock(&self) -> MutexGuard<'_, Connection> {
        self.clicks.wait();
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

crate::delegate::impl_store!(SqliteStore, Sqlite, "sqlite");
