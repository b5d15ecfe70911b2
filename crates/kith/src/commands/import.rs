//! `kith import KIND FILE`: all-or-nothing import of one file.

use std::fs::File;
use std::io::BufReader;
use std::path::Path;

use anyhow::{Context, Result, bail};
use kith_io::ndjson::{NdjsonReader, RecordKind};
use kith_store::{ImportError, ImportReport, InputError, Store};

use crate::cli::{ImportArgs, Kind};
use crate::progress;

pub fn run(store: &dyn Store, args: &ImportArgs) -> Result<()> {
    if args.mapping.is_some() {
        bail!("--mapping applies to the csv format, which this version does not read yet");
    }
    let kind = record_kind(args.kind);
    let format = match args.format.as_deref() {
        Some(f) => f.to_owned(),
        None => guess_format(&args.file)?,
    };
    if format != "ndjson" {
        bail!("format {format:?} is not supported yet; this version reads canonical ndjson");
    }
    let report = import_ndjson(store, kind, &args.file)?;
    println!("{}", summary(kind, &args.file, &report));
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

/// NDJSON is recognised by its extension, or by a first non-blank byte of `{`.
fn guess_format(path: &Path) -> Result<String> {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    if matches!(ext.as_deref(), Some("ndjson" | "jsonl")) {
        return Ok("ndjson".into());
    }
    let head = std::fs::read(path).map(|b| b.into_iter().take(4096).collect::<Vec<u8>>());
    let head = head.with_context(|| format!("cannot read {}", path.display()))?;
    let first = head
        .iter()
        .copied()
        .find(|b| !b.is_ascii_whitespace() && *b != 0xEF && *b != 0xBB && *b != 0xBF);
    if first == Some(b'{') {
        return Ok("ndjson".into());
    }
    bail!(
        "cannot tell the format of {}; pass --format",
        path.display()
    )
}

/// Streams one NDJSON file into the store in one transaction, with a progress bar.
pub fn import_ndjson(store: &dyn Store, kind: RecordKind, path: &Path) -> Result<ImportReport> {
    let file = File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
    let len = file.metadata().map(|m| m.len()).unwrap_or(0);
    let name = path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    let reader = NdjsonReader::new(BufReader::with_capacity(1 << 16, file), name.clone(), kind);
    let bytes = reader.bytes_read();
    let bar = progress::bytes(len, format!("importing {name}"));
    let mut records = reader.map(|r| {
        bar.set_position(bytes.load(std::sync::atomic::Ordering::Relaxed));
        r.map_err(|e| Box::new(e) as InputError)
    });
    let result = store.import(&mut records);
    bar.finish_and_clear();
    match result {
        Ok(report) => Ok(report),
        // The line error already names file, line and field: print it as the cause.
        Err(ImportError::Input(e)) => Err(anyhow::anyhow!("{e}").context("nothing was imported")),
        Err(ImportError::Store(e)) => Err(e).context(format!("cannot import {name}")),
    }
}

pub fn summary(kind: RecordKind, path: &Path, r: &ImportReport) -> String {
    format!(
        "imported {} {kind} from {} (new or updated)",
        r.total(),
        path.display()
    )
}
