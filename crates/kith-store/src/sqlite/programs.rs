//! [`ProgramStore`](crate::programs::ProgramStore) on SQLite, and the click writer's
//! connection.
//!
//! The click log is a second connection to the same file, with the click journal
//! (`programs::journal`) in front of it: a batch of clicks is appended to the journal
//! and flushed with one `fdatasync` while the same batch is inserted here in one
//! transaction with `synchronous = NORMAL` (no fsync of the write-ahead log), which also
//! records how far the journal is applied. The batch is acknowledged — and its redirects
//! answered — once both are done, so a click is durable against a killed process *and*
//! a power cut, and visible to readers, before its 302. On opening, journalled batches
//! past the recorded position are replayed, exactly once. (Before the journal, each
//! batch committed with `synchronous = FULL`: the fsync of every touched page waited for
//! the inserts and the next batch for both.)
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
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, Sender};
use std::thread::JoinHandle;

use rusqlite::{Connection, OptionalExtension, TransactionBehavior};

use super::{BUSY_TIMEOUT, SqliteStore};
use crate::StoreError;
use crate::programs::journal::{Journal, POSITION, Position};
use crate::programs::{Applied, ClickLog, NewClick, impl_program_store, sql::statements};
use crate::sql::Dialect;
use crate::value::Value;

impl_program_store!(SqliteStore);

impl SqliteStore {
    fn open_click_log(&self) -> Result<Box<dyn ClickLog>, StoreError> {
        Ok(Box::new(SqliteClickLog::open(&self.path)?))
    }
}

/// The click writer's side: the journal, and the mover thread that owns the connection
/// and inserts journalled batches in order.
struct SqliteClickLog {
    journal: Journal,
    mover: Option<Sender<Job>>,
    thread: Option<JoinHandle<()>>,
    /// Set by the mover when a batch failed: it applies nothing more, and the writer
    /// reopens the log (whose replay then applies what the journal holds, once).
    failed: Arc<AtomicBool>,
}

/// A journalled batch for the mover, and where to say it is visible.
struct Job {
    clicks: Vec<NewClick>,
    end: Position,
    done: mpsc::Sender<Result<(), String>>,
}

/// The most clicks the mover inserts in one transaction.
const MOVER_BATCH: usize = 16_384;

impl SqliteClickLog {
    /// Opens the connection, replays what the journal holds beyond the applied position
    /// (a batch journalled but not inserted when the process died), then starts a new
    /// segment, deletes the applied ones and starts the mover.
    fn open(path: &Path) -> Result<SqliteClickLog, StoreError> {
        let mut conn = Connection::open(path)?;
        conn.busy_timeout(BUSY_TIMEOUT)?;
        conn.query_row("PRAGMA journal_mode = WAL", [], |_| Ok(()))?;
        // `NORMAL`: the journal, not this commit, is what makes a click durable.
        conn.execute_batch(
            "PRAGMA synchronous = NORMAL;
             PRAGMA cache_size = -4096;
             PRAGMA wal_autocheckpoint = 250;",
        )?;
        let mut applied = applied_position(&conn)?;
        let replay = Journal::unapplied(path, applied).map_err(journal_error)?;
        if !replay.is_empty() {
            let clicks: usize = replay.iter().map(|b| b.clicks.len()).sum();
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            for batch in &replay {
                insert(&tx, &batch.clicks)?;
                applied = batch.end;
            }
            set_position(&tx, applied)?;
            tx.commit()?;
            tracing::info!(clicks, "replayed clicks from the journal");
        }
        let journal = Journal::start(path, applied).map_err(journal_error)?;
        journal.delete_applied().map_err(journal_error)?;
        let (tx, rx) = mpsc::channel();
        let failed = Arc::new(AtomicBool::new(false));
        let flag = Arc::clone(&failed);
        let thread = std::thread::Builder::new()
            .name("kith-click-mover".into())
            .spawn(move || move_clicks(conn, &rx, &flag))
            .map_err(journal_error)?;
        Ok(SqliteClickLog {
            journal,
            mover: Some(tx),
            thread: Some(thread),
            failed,
        })
    }
}

impl Drop for SqliteClickLog {
    /// Waits for the mover to insert what it was given: a log opened after this one
    /// must not replay a batch this mover is still inserting.
    fn drop(&mut self) {
        self.mover = None;
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// The mover: takes every journalled batch waiting (up to [`MOVER_BATCH`] clicks) and
/// inserts them in one transaction with the position just past the last.
fn move_clicks(mut conn: Connection, jobs: &Receiver<Job>, failed: &AtomicBool) {
    while let Ok(first) = jobs.recv() {
        let mut batch = vec![first];
        let mut count = batch[0].clicks.len();
        while count < MOVER_BATCH {
            match jobs.try_recv() {
                Ok(job) => {
                    count += job.clicks.len();
                    batch.push(job);
                }
                Err(_) => break,
            }
        }
        let result = if failed.load(Ordering::Acquire) {
            Err("an earlier batch failed".to_owned())
        } else {
            apply(&mut conn, &batch).map_err(|e| e.to_string())
        };
        if let Err(e) = &result {
            tracing::error!(error = %e, clicks = count, "cannot insert journalled clicks");
            failed.store(true, Ordering::Release);
        }
        for job in batch {
            // The writer may not wait for it (the batch was answered already).
            let _ = job.done.send(result.clone());
        }
    }
}

fn apply(conn: &mut Connection, batch: &[Job]) -> Result<(), StoreError> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    for job in batch {
        insert(&tx, &job.clicks)?;
    }
    if let Some(last) = batch.last() {
        set_position(&tx, last.end)?;
    }
    tx.commit()?;
    Ok(())
}

fn journal_error(e: std::io::Error) -> StoreError {
    StoreError::Corrupt(format!("the click journal: {e}"))
}

fn applied_position(conn: &Connection) -> Result<Position, StoreError> {
    let text: Option<String> = conn
        .query_row(
            "SELECT value FROM program_secrets WHERE name = ?1",
            [POSITION],
            |row| row.get(0),
        )
        .optional()?;
    Ok(text
        .as_deref()
        .and_then(Position::parse)
        .unwrap_or_default())
}

fn set_position(conn: &Connection, at: Position) -> Result<(), StoreError> {
    conn.prepare_cached(
        "INSERT INTO program_secrets (name, value) VALUES (?1, ?2) \
         ON CONFLICT (name) DO UPDATE SET value = excluded.value",
    )?
    .execute([POSITION, &at.text()])?;
    Ok(())
}

/// Inserts clicks, and each single-use code with its click, inside the caller's
/// transaction.
fn insert(tx: &Connection, clicks: &[NewClick]) -> Result<(), StoreError> {
    let sql = &statements(Dialect::Sqlite).insert_click;
    let codes_sql = &statements(Dialect::Sqlite).insert_click_code;
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
    Ok(())
}

impl ClickLog for SqliteClickLog {
    fn append(&mut self, clicks: &[NewClick]) -> Result<(), StoreError> {
        self.persist(clicks)?.wait()
    }

    /// Journals the batch and flushes it (`fdatasync`), then hands it to the mover.
    fn persist(&mut self, clicks: &[NewClick]) -> Result<Applied, StoreError> {
        if self.failed.load(Ordering::Acquire) {
            return Err(StoreError::Corrupt(
                "the click mover failed; reopen the click log".into(),
            ));
        }
        if clicks.is_empty() {
            return Ok(Applied::done());
        }
        if self.journal.full() {
            // Everything before is journalled and handed over: once the mover has
            // applied it, the old segments can go.
            let (done, applied) = mpsc::channel();
            self.send(Job {
                clicks: Vec::new(),
                end: self.journal.end(),
                done,
            })?;
            Applied::pending(applied).wait()?;
            self.journal.rotate().map_err(journal_error)?;
            self.journal.delete_applied().map_err(journal_error)?;
        }
        let end = self.journal.write(clicks).map_err(journal_error)?;
        self.journal.file().sync_data().map_err(journal_error)?;
        let (done, applied) = mpsc::channel();
        self.send(Job {
            clicks: clicks.to_vec(),
            end,
            done,
        })?;
        Ok(Applied::pending(applied))
    }
}

impl SqliteClickLog {
    fn send(&self, job: Job) -> Result<(), StoreError> {
        self.mover
            .as_ref()
            .and_then(|m| m.send(job).ok())
            .ok_or_else(|| StoreError::Corrupt("the click mover stopped".into()))
    }
}
