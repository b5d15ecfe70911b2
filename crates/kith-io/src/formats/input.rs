//! An input file: its bytes as a stream, the head kept aside for recognising the format,
//! a byte counter for progress bars, and notices (warnings) to show after the import.

use std::fs::File;
use std::io::{self, Cursor, Read};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use crate::formats::OpenError;
use crate::formats::csv_rows::{decode_field, normalize_header, sniff_delimiter};
use crate::ndjson::RecordKind;

/// How much of the start of a file is read to recognise its format.
pub const SNIFF_BYTES: usize = 64 * 1024;

/// Warnings gathered while reading (an encoding fallback, rows a format skips on
/// purpose), shown to the user once the import is done.
#[derive(Debug, Clone, Default)]
pub struct Notices(Arc<Mutex<Vec<String>>>);

impl Notices {
    pub fn push(&self, notice: impl Into<String>) {
        let mut list = self.0.lock().unwrap_or_else(|e| e.into_inner());
        list.push(notice.into());
    }

    pub fn take(&self) -> Vec<String> {
        std::mem::take(&mut *self.0.lock().unwrap_or_else(|e| e.into_inner()))
    }
}

/// One file opened for import.
pub struct Input {
    /// The name used in messages (the file name, without its directory).
    pub file: String,
    pub kind: RecordKind,
    pub notices: Notices,
    /// Where the file is, for formats that read it out of order (Parquet's footer);
    /// `None` for bytes in memory.
    path: Option<PathBuf>,
    extension: Option<String>,
    head: Vec<u8>,
    reader: Box<dyn Read + Send>,
    progress: Arc<AtomicU64>,
}

impl std::fmt::Debug for Input {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Input")
            .field("file", &self.file)
            .field("kind", &self.kind)
            .finish_non_exhaustive()
    }
}

impl Input {
    /// Opens a file and reads its head.
    pub fn open(path: &Path, kind: RecordKind) -> Result<Input, OpenError> {
        let io_error = |source| OpenError::Io {
            file: path.display().to_string(),
            source,
        };
        let mut file = File::open(path).map_err(io_error)?;
        let mut head = Vec::with_capacity(SNIFF_BYTES);
        (&mut file)
            .take(SNIFF_BYTES as u64)
            .read_to_end(&mut head)
            .map_err(io_error)?;
        let name = path.file_name().map_or_else(
            || path.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        );
        let extension = path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase);
        let mut input = Input::new(name, extension, kind, head, Box::new(file));
        input.path = Some(path.to_owned());
        Ok(input)
    }

    /// An input over bytes in memory; `file` names it in messages and its extension
    /// counts for recognising the format.
    pub fn from_bytes(bytes: Vec<u8>, file: &str, kind: RecordKind) -> Input {
        let split = bytes.len().min(SNIFF_BYTES);
        let mut head = bytes;
        let rest = head.split_off(split);
        let extension = Path::new(file)
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase);
        Input::new(
            file.to_owned(),
            extension,
            kind,
            head,
            Box::new(Cursor::new(rest)),
        )
    }

    fn new(
        file: String,
        extension: Option<String>,
        kind: RecordKind,
        head: Vec<u8>,
        rest: Box<dyn Read + Send>,
    ) -> Input {
        let progress = Arc::new(AtomicU64::new(0));
        let reader = Counting {
            inner: Cursor::new(head.clone()).chain(rest),
            count: Arc::clone(&progress),
        };
        Input {
            file,
            kind,
            notices: Notices::default(),
            path: None,
            extension,
            head,
            reader: Box::new(reader),
            progress,
        }
    }

    /// The file's path, when it was opened from one.
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// The first bytes of the file (up to [`SNIFF_BYTES`]).
    pub fn head(&self) -> &[u8] {
        &self.head
    }

    /// What formats look at to recognise a file.
    pub fn sniff(&self) -> Sniff<'_> {
        Sniff::new(&self.file, self.extension.clone(), &self.head)
    }

    /// Bytes read so far, for progress bars.
    pub fn progress(&self) -> Arc<AtomicU64> {
        Arc::clone(&self.progress)
    }

    /// The whole file as a stream, from its first byte.
    pub fn into_reader(self) -> Box<dyn Read + Send> {
        self.reader
    }
}

struct Counting<R> {
    inner: R,
    count: Arc<AtomicU64>,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

/// The start of a file, as formats see it when guessing.
#[derive(Debug)]
pub struct Sniff<'a> {
    pub file: String,
    /// Lower-cased, without the dot.
    pub extension: Option<String>,
    pub head: &'a [u8],
    /// The first CSV row, normalised (lower case, `_` as space, spaces collapsed), when
    /// the file does not start like JSON.
    pub header: Option<Vec<String>>,
}

impl<'a> Sniff<'a> {
    fn new(file: &str, extension: Option<String>, head: &'a [u8]) -> Sniff<'a> {
        let text_start = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
        let first = text_start.iter().find(|b| !b.is_ascii_whitespace());
        let header = match first {
            Some(b'{' | b'[') | None => None,
            Some(_) => first_csv_row(head),
        };
        Sniff {
            file: file.to_owned(),
            extension,
            head,
            header,
        }
    }

    /// Whether the header has a column of this normalised name.
    pub fn has(&self, column: &str) -> bool {
        self.header
            .as_ref()
            .is_some_and(|h| h.iter().any(|c| c == column))
    }

    /// The first byte that is not whitespace or a byte-order mark.
    pub fn first_byte(&self) -> Option<u8> {
        let text = self.head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(self.head);
        text.iter().copied().find(|b| !b.is_ascii_whitespace())
    }
}

fn first_csv_row(head: &[u8]) -> Option<Vec<String>> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(sniff_delimiter(head))
        .from_reader(head);
    let mut record = csv::ByteRecord::new();
    match reader.read_byte_record(&mut record) {
        Ok(true) => Some(
            record
                .iter()
                .enumerate()
                .map(|(i, f)| {
                    let f = if i == 0 {
                        f.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(f)
                    } else {
                        f
                    };
                    normalize_header(&decode_field(f))
                })
                .collect(),
        ),
        _ => None,
    }
}
