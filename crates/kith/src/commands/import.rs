//! `kith import KIND FILE`: one file into the store, all-or-nothing by default.
//!
//! The format is named with `--format` or guessed from the file (see
//! `kith_io::formats`). Reading is streamed straight into the store's one transaction.
//! With `--skip-bad-rows` the bad rows are taken out of the stream before the store sees
//! them (the store rolls back on the first error it is given) and written, with their
//! reasons, to `FILE.rejects.csv`. The file is parsed on a thread of its own, a few
//! batches ahead of the store, so parsing and writing overlap.

use std::path::Path;
use std::sync::atomic::Ordering;
use std::sync::mpsc;
use std::thread;

use anyhow::{Context, Result, anyhow};
use kith_core::Record;
use kith_io::formats::{self, Opened, RecordStream, Rejects, RowError, rejects_path};
use kith_io::ndjson::RecordKind;
use kith_store::{ImportError, ImportReport, InputError, Store};

use crate::cli::{ImportArgs, Kind};
use crate::progress;

pub fn run(store: &dyn Store, args: &ImportArgs) -> Result<()> {
    let kind = record_kind(args.kind);
    let outcome = import_file(
        store,
        kind,
        &args.file,
        args.format.as_deref(),
        args.mapping.as_deref(),
        args.skip_bad_rows,
    )?;
    println!("{}", summary(kind, &args.file, &outcome.report));
    if let Some((skipped, path)) = &outcome.skipped {
        println!(
            "skipped {skipped} bad row{}; they are in {} with the reason for each",
            if *skipped == 1 { "" } else { "s" },
            path.display()
        );
    }
    Ok(())
}

pub fn record_kind(kind: Kind) -> RecordKind {
    match kind {
        Kind::Customers => RecordKind::Customers,
        Kind::Employees => RecordKind::Employees,
        Kind::Profiles => RecordKind::Profiles,
        Kind::Posts => RecordKind::Posts,
        Kind::Reviews => RecordKind::Reviews,
        Kind::Orders => RecordKind::Orders,
    }
}

/// What an import did.
#[derive(Debug)]
pub struct Outcome {
    pub report: ImportReport,
    /// Rows set aside under `--skip-bad-rows`, and the rejects file they went to.
    pub skipped: Option<(u64, std::path::PathBuf)>,
}

/// Streams one canonical NDJSON file into the store in one transaction.
pub fn import_ndjson(store: &dyn Store, kind: RecordKind, path: &Path) -> Result<ImportReport> {
    import_file(store, kind, path, Some("ndjson"), None, false).map(|o| o.report)
}

/// Imports one file of any format, with a progress bar; notices go to standard error.
pub fn import_file(
    store: &dyn Store,
    kind: RecordKind,
    path: &Path,
    format: Option<&str>,
    mapping: Option<&Path>,
    skip_bad_rows: bool,
) -> Result<Outcome> {
    let opened = formats::open_path(path, kind, format, mapping)?;
    let Opened {
        records,
        progress: bytes,
        notices,
        ..
    } = opened;
    let len = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
    let name = path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    let bar = progress::bytes(len, format!("importing {name}"));
    let mut rejects = skip_bad_rows.then(|| Rejects::new(rejects_path(path)));
    let columns: Vec<String> = records.columns().to_vec();
    let (batches, reader) = read_ahead(records);
    let mut pending = Vec::new().into_iter();
    // The stream borrows the rejects file; it ends with this block.
    let result = {
        let mut stream = std::iter::from_fn(|| {
            loop {
                let next = match pending.next() {
                    Some(next) => next,
                    None => match batches.recv() {
                        Ok(Batch::Rows(rows)) => {
                            bar.set_position(bytes.load(Ordering::Relaxed));
                            pending = rows.into_iter();
                            continue;
                        }
                        Ok(Batch::End) => return None,
                        // The reader thread died without saying it was done: never take
                        // that for the end of the file.
                        Err(_) => return Some(Err(InputError::from("the file reader stopped"))),
                    },
                };
                match (next, rejects.as_mut()) {
                    (Ok(record), _) => return Some(Ok(record)),
                    (Err(e), Some(rejects)) if e.recoverable => {
                        if let Err(io) = rejects.write(&columns, &e) {
                            let message =
                                format!("cannot write {}: {io}", rejects.path().display());
                            return Some(Err(InputError::from(message)));
                        }
                    }
                    (Err(e), _) => return Some(Err(input_error(e))),
                }
            }
        });
        store.import(&mut stream)
    };
    // Stops the reader if the store stopped first, then waits for it.
    drop(batches);
    if reader.join().is_err() {
        return Err(anyhow!("the file reader failed; nothing was imported"));
    }
    bar.finish_and_clear();
    for notice in notices.take() {
        eprintln!("warning: {notice}");
    }
    let report = match result {
        Ok(report) => report,
        // The error already names file, line and field: print it as the cause.
        Err(ImportError::Input(e)) => {
            return Err(anyhow!("{e}").context("nothing was imported"));
        }
        Err(ImportError::Store(e)) => return Err(e).context(format!("cannot import {name}")),
    };
    let skipped = match rejects {
        Some(rejects) => {
            let path = rejects.path().to_path_buf();
            let count = rejects
                .finish()
                .with_context(|| format!("cannot write {}", path.display()))?;
            (count > 0).then_some((count, path))
        }
        None => None,
    };
    Ok(Outcome { report, skipped })
}

/// What the reader thread hands over.
enum Batch {
    Rows(Vec<Result<Record, RowError>>),
    End,
}

const BATCH: usize = 1024;

/// Parses on a thread of its own while the store writes, in batches so the hand-over
/// costs little per record; the bounded channel keeps memory to a few batches.
fn read_ahead(
    mut records: Box<dyn RecordStream>,
) -> (mpsc::Receiver<Batch>, thread::JoinHandle<()>) {
    let (send, receive) = mpsc::sync_channel(8);
    let handle = thread::spawn(move || {
        let mut batch = Vec::with_capacity(BATCH);
        for result in records.by_ref() {
            let fatal = matches!(&result, Err(e) if !e.recoverable);
            batch.push(result);
            if batch.len() == BATCH || fatal {
                let full = std::mem::replace(&mut batch, Vec::with_capacity(BATCH));
                if send.send(Batch::Rows(full)).is_err() {
                    return;
                }
            }
            if fatal {
                break;
            }
        }
        if !batch.is_empty() && send.send(Batch::Rows(batch)).is_err() {
            return;
        }
        let _ = send.send(Batch::End);
    });
    (receive, handle)
}

fn input_error(e: RowError) -> InputError {
    Box::new(e.error)
}

pub fn summary(kind: RecordKind, path: &Path, r: &ImportReport) -> String {
    format!(
        "imported {} {kind} from {} (new or updated)",
        r.total(),
        path.display()
    )
}
