//! The click writer: group commit with acknowledgements.
//!
//! The redirect hands each click to this writer and waits for its acknowledgement before
//! it answers, so **a click that got its 302 is durable** — the store's click log commits
//! with an fsync (SQLite `synchronous = FULL`, PostgreSQL `synchronous_commit = on`) —
//! and survives the process being killed right after.
//!
//! One thread owns the click log. It takes every click waiting in its queue (up to
//! [`MAX_BATCH`]) and persists them together: one fsync for the whole batch (on SQLite,
//! of the click journal; the store's mover thread inserts the batch behind it). While a batch commits, the next one queues up, so batches grow with the load
//! and the fsync cost is shared — the classic group commit. A batch that fails is tried
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
/// Each batch is persisted (durable), then answered. Under load — when the next clicks
/// are already waiting — it is answered at once and becomes visible to readers a moment
/// later, in order (the SQLite log's mover inserts it behind the journal). When nothing
/// waits behind it, it is answered only once visible, so a burst of clicks is visible,
/// all of it, by the time its last click is answered. A batch that issues single-use
/// codes is always answered once visible: the code must exist when the 302 carries it.
fn run(store: &dyn Store, queue: &Receiver<Pending>) {
    let mut log: Option<Box<dyn ClickLog>> = None;
    let mut carried: Option<Pending> = None;
    loop {
        let first = match carried.take() {
            Some(p) => p,
            None => match queue.recv() {
                Ok(p) => p,
                Err(_) => return,
            },
        };
        let mut batch = vec![first];
        while batch.len() < MAX_BATCH {
            match queue.try_recv() {
                Ok(p) => batch.push(p),
                Err(TryRecvError::Empty | TryRecvError::Disconnected) => break,
            }
        }
        let clicks: Vec<NewClick> = batch.iter().map(|p| p.click.clone()).collect();
        let stored = match persist_batch(store, &mut log, &clicks) {
            Ok(applied) => {
                carried = queue.try_recv().ok();
                // A single-use code must be in the store before its 302: an order may
                // use it at once.
                let issues_codes = clicks.iter().any(|c| c.single_use_code.is_some());
                if carried.is_none() || issues_codes {
                    // Nothing behind it: answer once readers can see it. If that fails,
                    // the clicks are durable all the same (the journal replays them).
                    if let Err(e) = applied.wait() {
                        tracing::error!(error = %e, "clicks stored but not yet visible");
                        log = None;
                    }
                }
                true
            }
            Err(_) => false,
        };
        for p in batch {
            // The redirect may have given up waiting (the client went away); the click
            // is stored all the same.
            let _ = p.ack.send(stored);
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

/// Writes one batch, reopening the click log and trying once more if it fails. This is
/// the writer's one step, callable directly by tests.
pub fn write_batch(
    store: &dyn Store,
    log: &mut Option<Box<dyn ClickLog>>,
    clicks: &[NewClick],
) -> Result<(), StoreError> {
    let mut last = None;
    for _attempt in 0..2 {
        let open = match log.take() {
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
        let mut open = open;
        match open.append(clicks) {
            Ok(()) => {
                *log = Some(open);
                return Ok(());
            }
            Err(e) => {
                tracing::error!(error = %e, clicks = clicks.len(), "cannot write clicks");
                last = Some(e);
            }
        }
    }
    Err(last.unwrap_or_else(|| StoreError::Corrupt("the click log failed".into())))
}
