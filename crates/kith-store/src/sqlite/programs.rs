//! [`ProgramStore`](crate::programs::ProgramStore) on SQLite, and the click writer's
//! connection.
//!
//! The click log is a second connection to the same file, with the click journal
//! (`programs::journal`) in front of it: a batch of clicks is written to the journal and
//! flushed with one `fdatasync` — then it is durable, against a killed process and a
//! power cut, and its redirects are answered. A mover thread owning this connection
//! inserts journalled batches in order, in transactions with `synchronous = NORMAL` (no
//! fsync of the write-ahead log) that also record how far the journal is applied; under
//! load it gathers batches for up to [`COMMIT_GAP`] so that one commit writes each touched
//! page once. On opening, journalled batches past the recorded position are replayed,
//! exactly once.
//!
//! Readers never see a click later than its 302 would suggest: every use of the store in
//! this process first waits for the clicks journalled before it ([`Visibility`]); another
//! process sees them once the mover has applied them, a few milliseconds later.
//!
//! The writer checkpoints the log into the database itself, every 250 pages (1 MB):
//! between two of its own batches no other writer runs, so each checkpoint completes and
//! the log stays small, and a checkpoint — which the batch behind it waits for — stays
//! short (SQLite's default of 1,000 pages gave a p99 of 5.5–6.1 ms at half load, 250
//! pages 3.9–4.5 ms; docs/PERFORMANCE.md). (A separate checkpointing thread was measured:
//! under constant load its passive checkpoints never caught up, the log grew to
//! gigabytes and throughput fell.) The page cache stays small on purpose: SQLite walks
//! all of it at the end of every transaction.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use rusqlite::{Connection, OptionalExtension, TransactionBehavior};

use super::{BUSY_TIMEOUT, SqliteStore};
use crate::StoreError;
use crate::programs::journal::{self, Journal, POSITION, Position};
use crate::programs::{Applied, ClickLog, NewClick, impl_program_store, sql::statements};
use crate::sql::Dialect;
use crate::value::Value;

impl_program_store!(SqliteStore);

impl SqliteStore {
    fn open_click_log(&self) -> Result<Box<dyn ClickLog>, StoreError> {
        Ok(Box::new(SqliteClickLog::open(
            &self.path,
            Arc::clone(&self.clicks),
        )?))
    }
}

/// How far this process's click journal is written and how far the mover has applied
/// it. Every read or write through the store waits first for the clicks journalled
/// before it began ([`Visibility::wait`]), so a click whose 302 was sent is seen by any
/// query started after it — without the redirect itself waiting for the insert.
#[derive(Debug, Default)]
pub(super) struct Visibility {
    progress: Mutex<Progress>,
    moved: Condvar,
}

#[derive(Debug, Default)]
struct Progress {
    journalled: Position,
    applied: Position,
    /// Clicks journalled and not yet applied: the writer waits while there are more
    /// than [`MAX_BACKLOG`].
    backlog: usize,
    /// The mover stopped (failed, or its log was closed): nothing to wait for until a
    /// log is opened again, which replays what the journal holds.
    stalled: bool,
}

/// The longest a query waits for the mover before reading without the newest clicks.
const VISIBILITY_WAIT: Duration = Duration::from_secs(5);

/// The most clicks journalled ahead of the mover. The mover runs at a lower priority
/// ([`MOVER_NICE`]); were the CPUs busy with other work for long, it would fall behind,
/// its queue would grow without end and queries would wait up to [`VISIBILITY_WAIT`].
/// Past this many, the writer waits for the mover instead: redirects slow down until it
/// has caught up. Four of the mover's largest transactions, well under a second of its
/// work.
const MAX_BACKLOG: usize = 4 * MOVER_BATCH;

impl Visibility {
    fn progress(&self) -> MutexGuard<'_, Progress> {
        self.progress.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn reset(&self, at: Position) {
        *self.progress() = Progress {
            journalled: at,
            applied: at,
            backlog: 0,
            stalled: false,
        };
        self.moved.notify_all();
    }

    fn journalled(&self, at: Position, clicks: usize) {
        let mut progress = self.progress();
        progress.journalled = at;
        progress.backlog += clicks;
    }

    fn applied(&self, at: Position, clicks: usize) {
        let mut progress = self.progress();
        progress.applied = at;
        progress.backlog = progress.backlog.saturating_sub(clicks);
        drop(progress);
        self.moved.notify_all();
    }

    /// Waits (for the writer) until the mover is fewer than `most` clicks behind, or has
    /// stopped.
    fn wait_for_room(&self, most: usize) {
        let mut progress = self.progress();
        while progress.backlog >= most && !progress.stalled {
            progress = self
                .moved
                .wait(progress)
                .unwrap_or_else(PoisonError::into_inner);
        }
    }

    fn stall(&self) {
        self.progress().stalled = true;
        self.moved.notify_all();
    }

    /// Waits until every click journalled so far is in the store.
    pub(super) fn wait(&self) {
        let mut progress = self.progress();
        let target = progress.journalled;
        let deadline = Instant::now() + VISIBILITY_WAIT;
        while progress.applied < target && !progress.stalled {
            let now = Instant::now();
            if now >= deadline {
                tracing::warn!("reading before the newest clicks are stored");
                return;
            }
            progress = self
                .moved
                .wait_timeout(progress, deadline - now)
                .unwrap_or_else(PoisonError::into_inner)
                .0;
        }
    }
}

/// The click writer's side: the journal, and the mover thread that owns the connection
/// and inserts journalled batches in order.
struct SqliteClickLog {
    journal: Journal,
    visibility: Arc<Visibility>,
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
/// The least time between two of the mover's commits. A batch arriving after a quiet
/// moment is inserted at once; under load, batches gather for up to this long.
const COMMIT_GAP: Duration = Duration::from_millis(2);
/// The mover's nice value. Its inserts can wait a little, a redirect waiting for its
/// click's `fdatasync` cannot: at the default priority the mover took CPU from the HTTP
/// workers and the writer just when a batch was acknowledged, and every click waited
/// longer (83–86k stored clicks a second against 92k at nice 10 and 93–99k at 19,
/// docs/PERFORMANCE.md). 10, not 19: with the CPUs busy with other work, the mover still
/// gets about a tenth of what a default thread gets, and [`MAX_BACKLOG`] slows the
/// redirects rather than let it fall behind for long.
const MOVER_NICE: i32 = 10;

impl SqliteClickLog {
    /// Opens the connection, replays what the journal holds beyond the applied position
    /// (a batch journalled but not inserted when the process died), then starts a new
    /// segment, deletes the applied ones and starts the mover.
    fn open(path: &Path, visibility: Arc<Visibility>) -> Result<SqliteClickLog, StoreError> {
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
        visibility.reset(applied);
        let (tx, rx) = mpsc::channel();
        let mover = Mover {
            base: path.to_owned(),
            failed: Arc::new(AtomicBool::new(false)),
            visibility: Arc::clone(&visibility),
        };
        let failed = Arc::clone(&mover.failed);
        let thread = std::thread::Builder::new()
            .name("kith-click-mover".into())
            .spawn(move || mover.run(conn, &rx))
            .map_err(journal_error)?;
        Ok(SqliteClickLog {
            journal,
            visibility,
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
        self.visibility.stall();
    }
}

/// The mover thread's side.
struct Mover {
    base: PathBuf,
    /// Set when a batch failed: it applies nothing more, and the writer reopens the log
    /// (whose replay then applies what the journal holds, once).
    failed: Arc<AtomicBool>,
    visibility: Arc<Visibility>,
}

impl Mover {
    /// Takes every journalled batch waiting (up to [`MOVER_BATCH`] clicks) and inserts
    /// them in one transaction with the position just past the last. Once a
    /// transaction reaches a new segment, the segments before it are applied and deleted.
    fn run(self, mut conn: Connection, jobs: &Receiver<Job>) {
        // However this thread ends — a panic included — nothing waits for it any more:
        // the writer would otherwise wait for room that never comes.
        let _stall_on_exit = StallOnExit(Arc::clone(&self.visibility));
        lower_this_threads_priority(MOVER_NICE);
        let mut segment = 0;
        let mut last_commit = Instant::now() - COMMIT_GAP;
        while let Ok(first) = jobs.recv() {
            let mut batch = vec![first];
            let mut count = batch[0].clicks.len();
            // Under load, batches keep coming: gathering them for the rest of the gap
            // makes one commit of many, which writes each touched page once.
            let until = last_commit + COMMIT_GAP;
            while count < MOVER_BATCH {
                let job = match until.checked_duration_since(Instant::now()) {
                    Some(left) if !left.is_zero() => jobs.recv_timeout(left).ok(),
                    _ => jobs.try_recv().ok(),
                };
                let Some(job) = job else { break };
                count += job.clicks.len();
                batch.push(job);
            }
            last_commit = Instant::now();
            let result = if self.failed.load(Ordering::Acquire) {
                Err("an earlier batch failed".to_owned())
            } else {
                apply(&mut conn, &batch).map_err(|e| e.to_string())
            };
            match (&result, batch.last()) {
                (Err(e), _) => {
                    tracing::error!(error = %e, clicks = count, "cannot insert journalled clicks");
                    self.failed.store(true, Ordering::Release);
                    self.visibility.stall();
                }
                (Ok(()), Some(last)) => {
                    self.visibility.applied(last.end, count);
                    if last.end.segment > segment {
                        segment = last.end.segment;
                        if let Err(e) = journal::delete_before(&self.base, segment) {
                            tracing::warn!(error = %e, "cannot delete applied journal segments");
                        }
                    }
                }
                (Ok(()), None) => {}
            }
            for job in batch {
                // The writer may not wait for it (the batch was answered already).
                let _ = job.done.send(result.clone());
            }
        }
    }
}

/// Marks the mover stopped when dropped.
struct StallOnExit(Arc<Visibility>);

impl Drop for StallOnExit {
    fn drop(&mut self) {
        self.0.stall();
    }
}

/// Sets the calling thread's nice value (on Linux a thread has its own; raising it needs
/// no privilege). A failure only costs speed, so it is logged and ignored.
fn lower_this_threads_priority(nice: i32) {
    #[cfg(target_os = "linux")]
    if let Err(e) = rustix::process::setpriority_process(Some(rustix::thread::gettid()), nice) {
        tracing::debug!(error = %e, "cannot lower the click mover's priority");
    }
    #[cfg(not(target_os = "linux"))]
    let _ = nice;
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
        let params = [
            Value::Int(c.member_id),
            Value::str(&c.visitor),
            Value::instant(c.at),
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
        self.visibility.wait_for_room(MAX_BACKLOG);
        let end = self.journal.write(clicks).map_err(journal_error)?;
        self.visibility.journalled(end, clicks.len());
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

#[cfg(test)]
mod tests {
    use super::*;

    fn at(offset: u64) -> Position {
        Position { segment: 1, offset }
    }

    /// Starts a thread that waits for room for `most` clicks and says when it got it.
    fn writer_waiting(visibility: &Arc<Visibility>, most: usize) -> mpsc::Receiver<()> {
        let (said, heard) = mpsc::channel();
        let visibility = Arc::clone(visibility);
        std::thread::spawn(move || {
            visibility.wait_for_room(most);
            let _ = said.send(());
        });
        heard
    }

    #[test]
    fn the_writer_waits_while_the_mover_is_too_far_behind_and_goes_on_once_it_catches_up() {
        let visibility = Arc::new(Visibility::default());
        visibility.reset(at(0));
        visibility.journalled(at(100), 30);
        visibility.journalled(at(200), 30);
        let heard = writer_waiting(&visibility, 50);
        std::thread::sleep(Duration::from_millis(50));
        assert!(heard.try_recv().is_err(), "60 clicks behind, over 50");
        visibility.applied(at(100), 30);
        heard
            .recv_timeout(Duration::from_secs(10))
            .expect("30 behind: room again");
    }

    #[test]
    fn a_stalled_mover_never_holds_the_writer() {
        let visibility = Arc::new(Visibility::default());
        visibility.reset(at(0));
        visibility.journalled(at(100), 80);
        let heard = writer_waiting(&visibility, 50);
        visibility.stall();
        heard
            .recv_timeout(Duration::from_secs(10))
            .expect("a stalled mover: the writer goes on (and reopens the log)");
    }

    #[test]
    fn a_writer_with_room_does_not_wait() {
        let visibility = Visibility::default();
        visibility.journalled(at(100), 10);
        visibility.wait_for_room(50);
    }
}
