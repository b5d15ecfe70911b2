//! Import formats: every file kith reads, behind one registry.
//!
//! A format is one [`Format`] entry: its name (as `--format` spells it), the kinds of
//! record it can hold, how to recognise a file of it, and a constructor that turns an
//! [`Input`] into a [`RecordStream`]. [`open_path`] picks the format (named, or guessed
//! when exactly one format recognises the file), opens the file and hands back the
//! stream; nothing is collected, so a file of any length imports in constant memory.
//!
//! Every bad row comes back as a [`RowError`] naming file, physical line (in Parquet, the
//! row: see [`Position`]), column and value (`customers.csv:501: field "Total Spent":
//! "abc" is not an amount`) together with the row as it was, so a caller can stop
//! (all-or-nothing) or set the row aside.
//!
//! # Layout
//! - `input`: opening a file, sniffing its head, counting bytes, notices.
//! - `csv_rows`: CSV plumbing shared by the CSV formats — delimiter, encodings, size
//!   caps, physical lines; `csv_row`: typed cell access and the row-to-record stream.
//! - [`number`], [`values`]: counts (`3.2K`), amounts (`1,234.50`), percentages, booleans,
//!   timestamps, handles.
//! - One file per format: `shopify`, `shopify_orders` (CSV, and `orders_json` for the
//!   Admin API's JSON over `json_stream`), `klaviyo`, `bamboohr`, `judgeme`, `yotpo`,
//!   `ndjson` (canonical), `parquet_file` (canonical records in Parquet), and `generic`
//!   with its [`mapping`] file.
//! - [`fuzzing`]: every reader over arbitrary bytes, for cargo-fuzz and property tests.
//! - `rejects`: the `FILE.rejects.csv` that `--skip-bad-rows` writes.
//! - [`matches`]: the review file of proposed person ↔ profile links (`kith match`).

mod bamboohr;
mod csv_row;
mod csv_rows;
pub mod fuzzing;
mod generic;
mod input;
mod json_stream;
mod judgeme;
mod klaviyo;
pub mod mapping;
pub mod matches;
mod ndjson;
pub mod number;
mod orders_json;
mod parquet_file;
mod rejects;
mod shopify;
mod shopify_orders;
mod social;
pub mod values;
mod yotpo;

#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_parquet;
#[cfg(test)]
mod tests_real;

use std::path::Path;

use kith_core::Record;

pub use crate::formats::csv_rows::{MAX_COLUMNS, MAX_RECORD_BYTES};
pub use crate::formats::input::{Input, Notices, SNIFF_BYTES, Sniff};
pub use crate::formats::mapping::{Mapping, MappingError};
pub use crate::formats::rejects::{Rejects, rejects_path};
pub use crate::ndjson::{LineError, Position, RecordKind};

/// A bad row, and what is needed to set it aside.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError {
    pub error: LineError,
    /// The row as it was in the file, one value per [`RecordStream::columns`]; empty when
    /// the error is not about one row.
    pub row: Vec<String>,
    /// Whether reading can go on after this error. A bad value can be skipped; a file
    /// that cannot be read on (an over-long row, broken JSON) cannot.
    pub recoverable: bool,
}

impl RowError {
    pub fn skippable(error: LineError, row: Vec<String>) -> Self {
        RowError {
            error,
            row,
            recoverable: true,
        }
    }

    pub fn fatal(error: LineError) -> Self {
        RowError {
            error,
            row: Vec::new(),
            recoverable: false,
        }
    }
}

impl std::fmt::Display for RowError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.error.fmt(f)
    }
}

impl std::error::Error for RowError {}

/// The records of one file, in file order. After an error that is not
/// [`recoverable`](RowError::recoverable) the stream ends.
pub trait RecordStream: Iterator<Item = Result<Record, RowError>> + Send {
    /// The names of the raw columns a [`RowError::row`] holds (the file's header for a
    /// CSV file).
    fn columns(&self) -> &[String];
}

/// What a format's constructor is given besides the input.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// The `--mapping` file, already read (generic CSV only).
    pub mapping: Option<Mapping>,
}

/// A format's constructor: the input and the options to a stream of records.
pub type OpenFn = fn(Input, &Options) -> Result<Box<dyn RecordStream>, OpenError>;

/// One import format.
#[derive(Debug)]
pub struct Format {
    /// As `--format` names it.
    pub name: &'static str,
    /// The record kinds a file of this format can hold.
    pub kinds: &'static [RecordKind],
    /// Whether a file looks like this format (its header, first bytes or extension).
    /// Used only to guess; a format that cannot be told apart returns `false`.
    pub recognise: fn(&Sniff) -> bool,
    /// Opens the stream of records.
    pub open: OpenFn,
}

/// The registry: one entry per format.
pub static FORMATS: &[Format] = &[
    ndjson::FORMAT,
    generic::FORMAT,
    shopify::FORMAT,
    shopify_orders::FORMAT,
    klaviyo::FORMAT,
    bamboohr::FORMAT,
    judgeme::FORMAT,
    yotpo::FORMAT,
    social::INSTAGRAM_GRAPH,
    social::TIKTOK,
    social::YOUTUBE,
    social::X,
    social::INSTALOADER,
    parquet_file::FORMAT,
];

/// Why a file could not be opened as records.
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    /// The file itself is wrong from the start (empty, no usable header).
    #[error(transparent)]
    Input(#[from] LineError),
    #[error(transparent)]
    Mapping(#[from] MappingError),
    #[error("cannot read {file}: {source}")]
    Io {
        file: String,
        source: std::io::Error,
    },
    #[error("unknown format {0:?}; the formats are {list}", list = format_names())]
    UnknownFormat(String),
    #[error("the {format} format holds {holds}, not {kind}")]
    WrongKind {
        format: &'static str,
        kind: RecordKind,
        holds: String,
    },
    #[error("the csv format needs --mapping MAP.toml to say which column is which field")]
    NeedsMapping,
    #[error("--mapping applies to the csv format, not {0}")]
    MappingWithoutCsv(&'static str),
    #[error("cannot tell the format of {file}; pass --format ({candidates})")]
    Unrecognised { file: String, candidates: String },
    #[error("{file} looks like more than one format ({candidates}); pass --format")]
    Ambiguous { file: String, candidates: String },
}

fn format_names() -> String {
    FORMATS
        .iter()
        .map(|f| f.name)
        .collect::<Vec<_>>()
        .join(", ")
}

/// The format named `name`.
pub fn find(name: &str) -> Option<&'static Format> {
    FORMATS
        .iter()
        .find(|f| f.name.eq_ignore_ascii_case(name.trim()))
}

/// Picks the format for a file: the one named, else the only one that recognises it.
/// A mapping file implies the generic csv format.
pub fn choose(
    name: Option<&str>,
    kind: RecordKind,
    sniff: &Sniff,
    has_mapping: bool,
) -> Result<&'static Format, OpenError> {
    let format = match name {
        Some(name) => find(name).ok_or_else(|| OpenError::UnknownFormat(name.to_owned()))?,
        None if has_mapping => find("csv").ok_or(OpenError::NeedsMapping)?,
        None => guess(kind, sniff)?,
    };
    if !format.kinds.contains(&kind) {
        let holds = format.kinds.iter().map(|k| k.as_str()).collect::<Vec<_>>();
        return Err(OpenError::WrongKind {
            format: format.name,
            kind,
            holds: holds.join(" or "),
        });
    }
    match (format.name, has_mapping) {
        ("csv", false) => Err(OpenError::NeedsMapping),
        (name, true) if name != "csv" => Err(OpenError::MappingWithoutCsv(format.name)),
        _ => Ok(format),
    }
}

fn guess(kind: RecordKind, sniff: &Sniff) -> Result<&'static Format, OpenError> {
    let fitting: Vec<&'static Format> =
        FORMATS.iter().filter(|f| f.kinds.contains(&kind)).collect();
    let matching: Vec<&'static Format> = fitting
        .iter()
        .copied()
        .filter(|f| (f.recognise)(sniff))
        .collect();
    let names = |fs: &[&Format]| fs.iter().map(|f| f.name).collect::<Vec<_>>().join(", ");
    match matching.as_slice() {
        [one] => Ok(one),
        [] => Err(OpenError::Unrecognised {
            file: sniff.file.clone(),
            candidates: format!("{kind} can be {}", names(&fitting)),
        }),
        many => Err(OpenError::Ambiguous {
            file: sniff.file.clone(),
            candidates: names(many),
        }),
    }
}

/// An opened file: its records, and what the caller shows while and after reading.
pub struct Opened {
    pub format: &'static Format,
    pub records: Box<dyn RecordStream>,
    pub progress: std::sync::Arc<std::sync::atomic::AtomicU64>,
    pub notices: Notices,
}

impl std::fmt::Debug for Opened {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Opened")
            .field("format", &self.format.name)
            .finish_non_exhaustive()
    }
}

/// Opens `path` as records of `kind`, in the named format or the one guessed from the
/// file; `mapping` is a mapping file for the generic csv format.
pub fn open_path(
    path: &Path,
    kind: RecordKind,
    format: Option<&str>,
    mapping: Option<&Path>,
) -> Result<Opened, OpenError> {
    let mapping = mapping.map(Mapping::read).transpose()?;
    let input = Input::open(path, kind)?;
    open_input(input, format, mapping)
}

/// Opens an [`Input`] (for tests and fuzzing, from bytes with [`Input::from_bytes`]).
pub fn open_input(
    input: Input,
    format: Option<&str>,
    mapping: Option<Mapping>,
) -> Result<Opened, OpenError> {
    let sniff = input.sniff();
    let format = choose(format, input.kind, &sniff, mapping.is_some())?;
    let progress = input.progress();
    let notices = input.notices.clone();
    let records = (format.open)(input, &Options { mapping })?;
    Ok(Opened {
        format,
        records,
        progress,
        notices,
    })
}
