//! The click writer: group commit with acknowledgements.
//!
//! The redirect hands each click to this writer and waits for its acknowledgement before
//! it answers, so **a click that got its 302 is durable** — on SQLite appended to the
//! click journal and flushed with `fdatasync`, on PostgreSQL committed with
//! `synchronous_commit = on` — and survives the process being killed right after.
//!
//! One thread owns the click log. It takes every click waiting in its queue (up to
//! [`MAX_BATCH`]) and persists them together: one fsync for the whole batch (on SQLite,
//! the store's mover thread inserts the batch behind the journal). While a batch
//! commits, the next one queues up, so batches grow with the load and the fsync cost is
//! shared — the classic group commit. A batch that fails is tried
//! once more on a fresh connection; if that fails too, its clicks are refused and their
//! redirects answer 503 rather than a 302 for a click that was not kept.

use std::sync::mpsc::{self, Receiver, Sender, TryRecvError};
use std::sync::{Arc, Mutex, PoisonError};

use kith_store::programs::{Applied, ClickLog, NewClick};
use kith_store::{Store, StoreError};
use tokio::sync::oneshot;

/// The most clicks written in one transaction.
pub const MAX_BATCH: usize = 4_096;

/// A click waiting to be written, and where to say it was.
struct Pending {
    click: NewClick,
    ack: oneshot::Sender<bool>,
}

/// Why a click was not recorded.
#[derive(Debug, thiserror::Error)]
#[error("the click could not be stored")]
pub struct NotStored;

/// The handle the redirect uses; the writer thread starts with the first click and ends
/// when the last handle is dropped.
pub struct ClickWriter {
    store: Arc<dyn Store>,
    queue: Mutex<Option<Sender<Pending>>>,
}

impl std::fmt::Debug for ClickWriter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClickWriter").finish_non_exhaustive()
    }
}

impl ClickWriter {
    pub fn new(store: Arc<dyn Store>) -> ClickWriter {
        ClickWriter {
            store,
            queue: Mutex::new(None),
        }
    }

    /// The queue, starting the writer thread on first use.
    fn sender(&self) -> Result<Sender<Pending>, NotStored> {
        let mut queue = self.queue.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(tx) = queue.as_ref() {
            return Ok(tx.clone());
        }
        let (tx, rx) = mpsc::channel();
        let store = Arc::clone(&self.store);
        std::thread::Builder::new()
            .name("kith-click-writer".into())
            .spawn(move || run(store.as_ref(), &rx))
            .map_err(|e| {
                tracing::error!(error = %e, "cannot start the click writer");
                NotStored
            })?;
        *queue = Some(tx.clone());
        Ok(tx)
    }

    /// Records a click and returns once it is durable.
    pub async fn record(&self, click: NewClick) -> Result<(), NotStored> {
        let (ack, done) = oneshot::channel();
        let sent = self.sender()?.send(Pending { click, ack });
        if sent.is_err() {
            // The writer thread is gone (it panicked): start a new one next time.
            *self.queue.lock().unwrap_or_else(PoisonError::into_inner) = None;
            return Err(NotStored);
        }
        match done.await {
            Ok(true) => Ok(()),
            _ => Err(NotStored),
        }
    }
}

/// The writer thread: a batch at a time until every handle is gone.
///
/// Each batch is persisted (durable), then answered; the SQLite log's mover inserts it
/// behind the journal, in order, and every query through the store waits for the clicks
/// answered before it. A batch that issues single-use codes is answered only once
/// inserted: the code must exist, for any process, when the 302 carries it.
fn run(store: &dyn Store, queue: &Receiver<Pending>) {
    let mut log: Option<Box<dyn ClickLog>> = None;
    loop {
        let Ok(first) = queue.recv() else {
            return;
        };
        let (mut clicks, mut acks) = (vec![first.click], vec![first.ack]);
        while clicks.len() < MAX_BATCH {
            match queue.try_recv() {
                Ok(p) => {
                    clicks.push(p.click);
                    acks.push(p.ack);
                }
                Err(TryRecvError::Empty | TryRecvError::Disconnected) => break,
            }
        }
        let stored = match persist_batch(store, &mut log, &clicks) {
            Ok(applied) => {
                // A single-use code must be in the store before its 302 carries it, for
                // any process: an order may use it at once. (Other clicks are seen by a
                // query in this process as soon as they are durable: the store waits
                // for them. Another process sees them once the mover has applied them,
                // a batch later.)
                if clicks.iter().any(|c| c.single_use_code.is_some())
                    && let Err(e) = applied.wait()
                {
                    // Durable all the same: the journal replays them.
                    tracing::error!(error = %e, "clicks stored but not yet visible");
                    log = None;
                }
                true
            }
            Err(_) => false,
        };
        for ack in acks {
            // The redirect may have given up waiting (the client went away); the click
            // is stored all the same.
            let _ = ack.send(stored);
        }
    }
}

/// Persists one batch, reopening the click log and trying once more if it fails.
fn persist_batch(
    store: &dyn Store,
    log: &mut Option<Box<dyn ClickLog>>,
    clicks: &[NewClick],
) -> Result<Applied, StoreError> {
    let mut last = None;
    for _attempt in 0..2 {
        let mut open = match log.take() {
            Some(open) => open,
            None => match store.programs().click_log() {
                Ok(open) => open,
                Err(e) => {
                    tracing::error!(error = %e, "cannot open the click log");
                    last = Some(e);
                    continue;
                }
            },
        };
        match open.persist(clicks) {
            Ok(applied) => {
                *log = Some(open);
                return Ok(applied);
            }
            Err(e) => {
                tracing::error!(error = %e, clicks = clicks.len(), "cannot write clicks");
                last = Some(e);
            }
        }
    }
    Err(last.unwrap_or_else(|| StoreError::Corrupt("the click log failed".into())))
}

/// Writes one batch as the writer does — reopening the click log and trying once more if
/// it fails — and returns once it is visible to readers. Callable directly by tests.
pub fn write_batch(
    store: &dyn Store,
    log: &mut Option<Box<dyn ClickLog>>,
    clicks: &[NewClick],
) -> Result<(), StoreError> {
    persist_batch(store, log, clicks)?.wait()
}
