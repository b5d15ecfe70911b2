//! [`ProgramStore`](crate::programs::ProgramStore) on SQLite, and the click writer's
//! connection.
//!
//! The click log is a second connection to the same file with `synchronous = FULL`: in
//! WAL mode that makes every commit wait for the write-ahead log to reach the disk
//! (fsync), so a click is durable against a killed process *and* a power cut before the
//! redirect answers. The main connection keeps `NORMAL` for imports. A batch of clicks
//! is one transaction, so one fsync covers every click in it (group commit).
//!
//! The writer checkpoints the log into the database itself, every 250 pages (1 MB):
//! between two of its own batches no other writer runs, so each checkpoint completes and
//! the log stays small, and a checkpoint — which the batch behind it waits for — stays
//! short (SQLite's default of 1,000 pages gave a p99 of 5.5–6.1 ms at half load, 250
//! pages 3.9–4.5 ms; docs/PERFORMANCE.md). (A separate checkpointing thread was measured:
//! under constant load its passive checkpoints never caught up, the log grew to
//! gigabytes and throughput fell.) The page cache stays small on purpose: SQLite walks
//! all of it at the end of every transaction.

use std::path::Path;

use rusqlite::{Connection, TransactionBehavior};

use super::{BUSY_TIMEOUT, SqliteStore};
use crate::StoreError;
use crate::programs::{ClickLog, NewClick, impl_program_store, sql::statements};
use crate::sql::Dialect;
use crate::value::Value;

impl_program_store!(SqliteStore);

impl SqliteStore {
    fn open_click_log(&self) -> Result<Box<dyn ClickLog>, StoreError> {
        Ok(Box::new(SqliteClickLog::open(&self.path)?))
    }
}

/// The click writer's own connection.
struct SqliteClickLog {
    conn: Connection,
}

impl SqliteClickLog {
    fn open(path: &Path) -> Result<SqliteClickLog, StoreError> {
        let conn = Connection::open(path)?;
        conn.busy_timeout(BUSY_TIMEOUT)?;
        conn.query_row("PRAGMA journal_mode = WAL", [], |_| Ok(()))?;
        conn.execute_batch(
            "PRAGMA synchronous = FULL;
             PRAGMA cache_size = -4096;
             PRAGMA wal_autocheckpoint = 250;",
        )?;
        Ok(SqliteClickLog { conn })
    }
}

impl ClickLog for SqliteClickLog {
    fn append(&mut self, clicks: &[NewClick]) -> Result<(), StoreError> {
        if clicks.is_empty() {
            return Ok(());
        }
        let sql = &statements(Dialect::Sqlite).insert_click;
        let codes_sql = &statements(Dialect::Sqlite).insert_click_code;
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        {
            let mut insert = tx.prepare_cached(sql)?;
            for c in clicks {
                let day = crate::convert::timestamp_text(c.at);
                let params = [
                    Value::Int(c.member_id),
                    Value::str(&c.visitor),
                    Value::Timestamp(crate::convert::utc_micros(c.at)),
                    Value::str(day.get(..10).unwrap_or(&day)),
                    Value::opt_str(c.ip_hash.as_deref()),
                    Value::opt_int(c.content_id),
                ];
                insert.execute(rusqlite::params_from_iter(params.iter()))?;
            }
            // Each single-use code is stored with its click, in the same transaction.
            let mut insert_code = tx.prepare_cached(codes_sql)?;
            for c in clicks {
                if let Some(code) = &c.single_use_code {
                    let params = [
                        Value::str(code.as_str()),
                        Value::Int(c.member_id),
                        Value::str(&c.visitor),
                        Value::Timestamp(crate::convert::utc_micros(c.at)),
                    ];
                    insert_code.execute(rusqlite::params_from_iter(params.iter()))?;
                }
            }
        }
        tx.commit()?;
        Ok(())
    }
}
