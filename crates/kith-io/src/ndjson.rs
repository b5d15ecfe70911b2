//! Canonical NDJSON in: one record per line, streamed with constant memory.
//!
//! Each line is parsed into the kith-core record for the import's kind and validated;
//! the first bad line stops the stream with an error naming the file, the line and the
//! field (`people.ndjson:3: field "source": unknown variant "x", expected "customer" or
//! "employee"`). Blank lines are skipped. Lines longer than [`MAX_LINE_BYTES`] are refused
//! rather than buffered without bound.

use std::fmt;
use std::io::BufRead;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use kith_core::{Order, Person, PersonSource, Post, Profile, Record, Review};
use rayon::prelude::*;
use serde::de::DeserializeOwned;

/// A line longer than this is an error, not an allocation.
pub const MAX_LINE_BYTES: usize = 8 * 1024 * 1024;

/// What a file holds, as named on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RecordKind {
    Customers,
    Employees,
    Profiles,
    Posts,
    Reviews,
    Orders,
}

impl RecordKind {
    pub const ALL: [RecordKind; 6] = [
        RecordKind::Customers,
        RecordKind::Employees,
        RecordKind::Profiles,
        RecordKind::Posts,
        RecordKind::Reviews,
        RecordKind::Orders,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            RecordKind::Customers => "customers",
            RecordKind::Employees => "employees",
            RecordKind::Profiles => "profiles",
            RecordKind::Posts => "posts",
            RecordKind::Reviews => "reviews",
            RecordKind::Orders => "orders",
        }
    }

    pub fn parse(text: &str) -> Option<RecordKind> {
        RecordKind::ALL.into_iter().find(|k| k.as_str() == text)
    }

    /// Where a person in a file of this kind comes from when their row does not say:
    /// an employees file holds employees, any other holds customers.
    pub(crate) fn default_source(self) -> PersonSource {
        if self == RecordKind::Employees {
            PersonSource::Employee
        } else {
            PersonSource::Customer
        }
    }
}

impl fmt::Display for RecordKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Where in a file an error is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Position {
    /// A 1-based physical line, in every text format: `customers.csv:501: …`.
    Line(u64),
    /// A 1-based row, counted through the whole file, in a format without lines
    /// (Parquet): `posts.parquet: row 2: …`.
    Row(u64),
    /// The file as a whole, when no line or row is to blame (a Parquet file's footer or
    /// schema): `posts.parquet: …`.
    File,
}

impl Position {
    /// The physical line, when the position is one.
    pub fn line(self) -> Option<u64> {
        match self {
            Position::Line(n) => Some(n),
            Position::Row(_) | Position::File => None,
        }
    }
}

/// A bad line (or row) in an input file: the file, where in it, the field and why, the
/// value quoted in the message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct LineError {
    pub file: String,
    pub position: Position,
    pub field: Option<String>,
    pub message: String,
}

impl LineError {
    /// An error on a 1-based physical line.
    pub fn at_line(
        file: impl Into<String>,
        line: u64,
        field: Option<String>,
        message: impl Into<String>,
    ) -> Self {
        LineError {
            file: file.into(),
            position: Position::Line(line),
            field,
            message: message.into(),
        }
    }
}

impl fmt::Display for LineError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.position {
            Position::Line(line) => write!(f, "{}:{line}: ", self.file)?,
            Position::Row(row) => write!(f, "{}: row {row}: ", self.file)?,
            Position::File => write!(f, "{}: ", self.file)?,
        }
        if let Some(field) = &self.field {
            write!(f, "field {field:?}: ")?;
        }
        f.write_str(&self.message)
    }
}

/// Streams the records of one NDJSON file.
#[derive(Debug)]
pub struct NdjsonReader<R> {
    source: LineSource<R>,
    parser: LineParser,
    buf: Vec<u8>,
    failed: bool,
    /// Buffers of a parsed batch, kept for the next read.
    spare: Batch,
    /// The batch read ahead while the previous one was parsed (or why reading failed).
    ahead: Option<Result<Batch, LineError>>,
}

/// Where the lines come from, and how far reading has got.
#[derive(Debug)]
struct LineSource<R> {
    input: R,
    line: u64,
    bytes: Arc<AtomicU64>,
    /// The start of a line read past the end of the last batch.
    carry: Vec<u8>,
    at_end: bool,
}

impl<R: BufRead> NdjsonReader<R> {
    /// `file` is the name used in error messages.
    pub fn new(input: R, file: impl Into<String>, kind: RecordKind) -> Self {
        NdjsonReader {
            source: LineSource {
                input,
                line: 0,
                bytes: Arc::new(AtomicU64::new(0)),
                carry: Vec::new(),
                at_end: false,
            },
            parser: LineParser {
                file: file.into(),
                kind,
            },
            buf: Vec::new(),
            failed: false,
            spare: Batch::default(),
            ahead: None,
        }
    }

    /// A counter of the bytes consumed so far, for progress bars.
    pub fn bytes_read(&self) -> Arc<AtomicU64> {
        Arc::clone(&self.source.bytes)
    }

    /// Reads one physical line into `buf`, refusing to grow past the cap.
    fn read_line(&mut self) -> Result<bool, LineError> {
        let mut buf = std::mem::take(&mut self.buf);
        buf.clear();
        let read = self.source.read_line_into(&mut buf, &self.parser);
        self.buf = buf;
        read
    }

    /// Reads lines up to about `max_bytes`, parses them on all cores and appends the
    /// records to `out`; `Ok(false)` at the end of the file. The first bad line, in file
    /// order, is the batch's error, and nothing after it is returned. While a batch is
    /// parsed the next one is read, and buffers are reused from batch to batch. Do not mix
    /// with the record-at-a-time iterator on the same reader.
    pub fn next_batch(&mut self, max_bytes: usize, out: &mut Vec<Record>) -> Result<bool, LineError>
    where
        R: Send,
    {
        self.next_batch_map(max_bytes, out, |line| line.record().map(Some))
    }

    /// [`next_batch`](Self::next_batch) for callers that turn each line into something
    /// else as it is parsed, on all cores: `map` gets every non-blank line and returns
    /// what to keep of it (`None` for nothing). [`Line::record`] reads it as the file's
    /// record, with the error a bad line gets everywhere.
    pub fn next_batch_map<T, F>(
        &mut self,
        max_bytes: usize,
        out: &mut Vec<T>,
        map: F,
    ) -> Result<bool, LineError>
    where
        R: Send,
        T: Send,
        F: Fn(Line<'_>) -> Result<Option<T>, LineError> + Sync,
    {
        match self.next_chunk_map(max_bytes, map)? {
            Some(chunk) => {
                out.extend(chunk.into_iter().flatten());
                Ok(true)
            }
            None => Ok(false),
        }
    }

    /// [`next_batch_map`](Self::next_batch_map), the batch handed over as it was
    /// mapped: one slot per non-blank line, in file order, `None` where `map` kept
    /// nothing. Each slot is written by the core that mapped its line, so a caller that
    /// keeps the chunks (to group them later) never copies what it keeps.
    pub fn next_chunk_map<T, F>(
        &mut self,
        max_bytes: usize,
        map: F,
    ) -> Result<Option<Vec<Option<T>>>, LineError>
    where
        R: Send,
        T: Send,
        F: Fn(Line<'_>) -> Result<Option<T>, LineError> + Sync,
    {
        if self.failed {
            return Ok(None);
        }
        let current = match self.ahead.take() {
            Some(read) => read,
            None => {
                let mut first = std::mem::take(&mut self.spare);
                self.source
                    .fill(&mut first, max_bytes, &self.parser)
                    .map(|()| first)
            }
        };
        let current = match current {
            Ok(batch) => batch,
            Err(e) => {
                self.failed = true;
                return Err(e);
            }
        };
        if current.lines.is_empty() {
            self.spare = current;
            return Ok(None);
        }
        let mut next = std::mem::take(&mut self.spare);
        let (source, parser) = (&mut self.source, &self.parser);
        let (read, parsed) = rayon::join(
            move || source.fill(&mut next, max_bytes, parser).map(|()| next),
            || current.map(parser, &map),
        );
        self.ahead = Some(read);
        self.spare = current;
        match parsed {
            Ok(chunk) => Ok(Some(chunk)),
            Err(e) => {
                self.failed = true;
                self.ahead = None;
                Err(e)
            }
        }
    }
}

/// The line as text, when it is UTF-8 ([`Line::record`] says where it is not).
pub fn utf8(bytes: &[u8]) -> Option<&str> {
    simdutf8::basic::from_utf8(bytes).ok()
}

/// One non-blank line of a file being read by [`NdjsonReader::next_batch_map`].
#[derive(Debug, Clone, Copy)]
pub struct Line<'a> {
    /// 1-based physical line.
    pub number: u64,
    /// The line without surrounding ASCII whitespace or a byte-order mark; not yet checked
    /// to be UTF-8 (a JSON parser of bytes checks what it reads).
    pub bytes: &'a [u8],
    parser: &'a LineParser,
}

impl Line<'_> {
    /// The line as a validated record of the file's kind.
    pub fn record(&self) -> Result<Record, LineError> {
        let text = self.parser.text(self.number, self.bytes)?;
        self.parser.parse_line(self.number, text)
    }
}

impl<R: BufRead> LineSource<R> {
    /// Appends one physical line to `out`; `false` at the end of the input.
    fn read_line_into(
        &mut self,
        out: &mut Vec<u8>,
        parser: &LineParser,
    ) -> Result<bool, LineError> {
        let start = out.len();
        loop {
            let available = match self.input.fill_buf() {
                Ok(b) => b,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(parser.error(self.line, None, format!("cannot read: {e}"))),
            };
            if available.is_empty() {
                return Ok(out.len() > start);
            }
            let (chunk, done) = match memchr::memchr(b'\n', available) {
                Some(i) => (&available[..=i], true),
                None => (available, false),
            };
            let n = chunk.len();
            if out.len() - start + n > MAX_LINE_BYTES {
                self.line += 1;
                return Err(parser.error(
                    self.line,
                    None,
                    format!("line is longer than {MAX_LINE_BYTES} bytes"),
                ));
            }
            out.extend_from_slice(chunk);
            self.input.consume(n);
            self.bytes.fetch_add(n as u64, Ordering::Relaxed);
            if done {
                return Ok(true);
            }
        }
    }

    /// Reads whole lines into `batch` until it holds about `max_bytes`: straight from
    /// the input into the batch's buffer, a megabyte at a time, then split at newlines
    /// (the part of a line past the last one waits for the next batch).
    fn fill(
        &mut self,
        batch: &mut Batch,
        max_bytes: usize,
        parser: &LineParser,
    ) -> Result<(), LineError> {
        const READ: usize = 1 << 20;
        batch.lines.clear();
        let buf = &mut batch.text;
        // Room for a whole batch at once: growing a step at a time would copy it over.
        buf.reserve((max_bytes + 2 * READ).saturating_sub(buf.len()));
        let mut end = self.carry.len();
        if buf.len() < end {
            buf.resize(end, 0);
        }
        buf[..end].copy_from_slice(&self.carry);
        self.carry.clear();
        let mut scanned = 0;
        let too_long = |line| {
            parser.error(
                line,
                None,
                format!("line is longer than {MAX_LINE_BYTES} bytes"),
            )
        };
        loop {
            while let Some(i) = memchr::memchr(b'\n', &buf[scanned..end]) {
                self.line += 1;
                if i + 1 > MAX_LINE_BYTES {
                    return Err(too_long(self.line));
                }
                batch.lines.push((self.line, scanned..scanned + i + 1));
                scanned += i + 1;
            }
            if end - scanned > MAX_LINE_BYTES {
                return Err(too_long(self.line + 1));
            }
            if self.at_end {
                if scanned < end {
                    self.line += 1;
                    batch.lines.push((self.line, scanned..end));
                    scanned = end;
                }
                break;
            }
            if scanned >= max_bytes {
                break;
            }
            if buf.len() < end + READ {
                // Zeroed once: the buffer is reused from batch to batch.
                buf.resize(end + READ, 0);
            }
            let n = loop {
                match self.input.read(&mut buf[end..]) {
                    Ok(n) => break n,
                    Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                    Err(e) => {
                        return Err(parser.error(self.line, None, format!("cannot read: {e}")));
                    }
                }
            };
            self.at_end = n == 0;
            end += n;
            self.bytes.fetch_add(n as u64, Ordering::Relaxed);
        }
        self.carry.extend_from_slice(&buf[scanned..end]);
        Ok(())
    }
}

/// The buffers of [`NdjsonReader::next_batch`], reused from one batch to the next.
#[derive(Debug, Default)]
struct Batch {
    text: Vec<u8>,
    lines: Vec<(u64, std::ops::Range<usize>)>,
}

impl Batch {
    /// Each line through `map`, on all cores, in file order; the first bad line, in file
    /// order, is the batch's error.
    fn map<T: Send>(
        &self,
        parser: &LineParser,
        map: &(impl Fn(Line<'_>) -> Result<Option<T>, LineError> + Sync),
    ) -> Result<Vec<Option<T>>, LineError> {
        let text = &self.text;
        // Bad lines are rare: the earliest is kept aside, and its slot left empty.
        let first_error: std::sync::Mutex<Option<(u64, LineError)>> = std::sync::Mutex::new(None);
        let mut out = Vec::new();
        self.lines
            .par_iter()
            .map(|(line, range)| {
                let mapped = parser
                    .content(*line, &text[range.clone()])
                    .and_then(|content| match content {
                        Some(bytes) => map(Line {
                            number: *line,
                            bytes,
                            parser,
                        }),
                        None => Ok(None),
                    });
                mapped.unwrap_or_else(|e| {
                    let mut first = first_error.lock().unwrap_or_else(|p| p.into_inner());
                    if first.as_ref().is_none_or(|(at, _)| line < at) {
                        *first = Some((*line, e));
                    }
                    None
                })
            })
            .collect_into_vec(&mut out);
        match first_error.into_inner().unwrap_or_else(|p| p.into_inner()) {
            Some((_, e)) => Err(e),
            None => Ok(out),
        }
    }
}

/// Turns one line's bytes into a validated record of the file's kind.
#[derive(Debug, Clone)]
struct LineParser {
    file: String,
    kind: RecordKind,
}

impl LineParser {
    fn error(&self, line: u64, field: Option<String>, message: impl Into<String>) -> LineError {
        LineError {
            file: self.file.clone(),
            position: Position::Line(line),
            field,
            message: message.into(),
        }
    }

    /// `None` for a blank line.
    fn parse(&self, line: u64, bytes: &[u8]) -> Result<Option<Record>, LineError> {
        let text = self.text(line, bytes)?;
        if text.is_empty() {
            return Ok(None);
        }
        self.parse_line(line, text).map(Some)
    }

    /// The line's bytes without the surrounding whitespace and byte-order mark `text`
    /// would trim; `None` for a blank line. Only a line that does not start with ASCII
    /// (a byte-order mark, Unicode spaces) is checked as text here.
    fn content<'t>(&self, line: u64, bytes: &'t [u8]) -> Result<Option<&'t [u8]>, LineError> {
        let trimmed = bytes.trim_ascii();
        let content = match trimmed.first() {
            None => return Ok(None),
            Some(b) if b.is_ascii() && trimmed.last().is_some_and(u8::is_ascii) => trimmed,
            Some(_) => self.text(line, bytes)?.as_bytes(),
        };
        Ok((!content.is_empty()).then_some(content))
    }

    /// The line's text, trimmed (empty for a blank line).
    fn text<'t>(&self, line: u64, bytes: &'t [u8]) -> Result<&'t str, LineError> {
        let text = simdutf8::compat::from_utf8(bytes).map_err(|e| {
            let at = e.valid_up_to();
            self.error(line, None, format!("not UTF-8 at byte {at}"))
        })?;
        // A UTF-8 byte-order mark may open the first line.
        Ok(text.trim_start_matches('\u{feff}').trim())
    }

    fn parse_line(&self, line: u64, text: &str) -> Result<Record, LineError> {
        let record = match self.kind {
            RecordKind::Customers | RecordKind::Employees => {
                let default = self.kind.default_source();
                let person: Person = self.deserialize(line, text)?;
                Record::Person(
                    person
                        .validated(default)
                        .map_err(|e| self.field_error(line, e))?,
                )
            }
            RecordKind::Profiles => Record::Profile(self.deserialize::<Profile>(line, text)?),
            RecordKind::Posts => {
                let post: Post = self.deserialize(line, text)?;
                Record::Post(post.validated().map_err(|e| self.field_error(line, e))?)
            }
            RecordKind::Reviews => {
                let review: Review = self.deserialize(line, text)?;
                Record::Review(review.validated().map_err(|e| self.field_error(line, e))?)
            }
            RecordKind::Orders => {
                let order: Order = self.deserialize(line, text)?;
                Record::Order(order.validated().map_err(|e| self.field_error(line, e))?)
            }
        };
        Ok(record)
    }

    fn field_error(&self, line: u64, e: kith_core::FieldError) -> LineError {
        self.error(line, Some(e.field.to_owned()), e.reason)
    }

    fn deserialize<T: DeserializeOwned>(&self, line: u64, text: &str) -> Result<T, LineError> {
        // Tracking the path costs on every line; only a failing line needs it.
        if let Ok(value) = T::deserialize(&mut serde_json::Deserializer::from_str(text)) {
            return Ok(value);
        }
        let mut de = serde_json::Deserializer::from_str(text);
        serde_path_to_error::deserialize(&mut de).map_err(|e| {
            let path = e.path().to_string();
            let inner = e.into_inner();
            let message = tidy(&inner.to_string());
            if inner.is_syntax() || inner.is_eof() {
                self.error(line, None, format!("not valid JSON: {message}"))
            } else if path == "." || path.is_empty() {
                self.error(line, None, message)
            } else {
                self.error(line, Some(path), message)
            }
        })
    }
}

/// serde's messages quote with backticks and end with a position inside the line; the
/// line is already named, so the position goes and the quotes become plain.
fn tidy(message: &str) -> String {
    let cut = message
        .rfind(" at line ")
        .map_or(message, |i| &message[..i]);
    cut.replace('`', "\"")
}

impl<R: BufRead> Iterator for NdjsonReader<R> {
    type Item = Result<Record, LineError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.failed {
            return None;
        }
        loop {
            match self.read_line() {
                Ok(false) => return None,
                Ok(true) => {}
                Err(e) => {
                    self.failed = true;
                    return Some(Err(e));
                }
            }
            self.source.line += 1;
            match self.parser.parse(self.source.line, &self.buf) {
                Ok(None) => continue,
                Ok(Some(record)) => return Some(Ok(record)),
                Err(e) => {
                    self.failed = true;
                    return Some(Err(e));
                }
            }
        }
    }
}

/// Reads a whole NDJSON text of canonical records of one type, for tests and small files.
pub fn parse_all<T: DeserializeOwned>(text: &str) -> Result<Vec<T>, serde_json::Error> {
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(serde_json::from_str)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(kind: RecordKind, text: &str) -> Vec<Result<Record, LineError>> {
        NdjsonReader::new(text.as_bytes(), "people.ndjson", kind).collect()
    }

    #[test]
    fn a_bad_source_names_file_line_and_field() {
        let text = "{\"id\":\"1\"}\n\n{\"id\":\"2\",\"source\":\"vendor\"}\n{\"id\":\"3\"}\n";
        let results = read(RecordKind::Customers, text);
        assert_eq!(results.len(), 2, "reading stops at the first error");
        let err = results[1].as_ref().unwrap_err();
        assert_eq!(
            err.to_string(),
            "people.ndjson:3: field \"source\": unknown variant \"vendor\", expected \"customer\" or \"employee\""
        );
    }

    #[test]
    fn broken_json_is_reported_with_its_line() {
        let results = read(RecordKind::Customers, "{\"id\":\"1\"}\n{\"id\":\"2\",\n");
        let err = results[1].as_ref().unwrap_err();
        assert_eq!(err.position.line(), Some(2));
        assert!(
            err.to_string()
                .starts_with("people.ndjson:2: not valid JSON"),
            "{err}"
        );
    }

    #[test]
    fn validation_errors_name_the_field() {
        let results = read(RecordKind::Customers, "{\"first_name\":\"Ana\"}\n");
        let err = results[0].as_ref().unwrap_err();
        assert_eq!(err.field.as_deref(), Some("id"));
    }

    #[test]
    fn nested_fields_are_named_by_path() {
        let results = read(
            RecordKind::Profiles,
            "{\"platform\":\"instagram\",\"handle\":\"a\",\"followers\":\"many\"}",
        );
        let err = results[0].as_ref().unwrap_err();
        assert_eq!(err.field.as_deref(), Some("followers"));
    }

    /// Hands out at most 7 bytes per read, so lines straddle every read.
    struct Trickle<'a>(&'a [u8]);

    impl std::io::Read for Trickle<'_> {
        fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
            let n = out.len().min(7).min(self.0.len());
            out[..n].copy_from_slice(&self.0[..n]);
            self.0 = &self.0[n..];
            Ok(n)
        }
    }

    #[test]
    fn batches_split_reads_into_the_lines_a_line_reader_sees() {
        let text = "\u{feff}{\"id\":\"a\"}\r\n\n  \t\n\u{a0}\n{\"id\":\"b\"}\u{a0}\n\
                    {\"id\":\"c\",\"note\":\"ünïcode\"}\n{\"id\":\"d\"}";
        let one_by_one = read(RecordKind::Customers, text);
        for max_bytes in [1, 10, 30, 1 << 20] {
            let reader = std::io::BufReader::with_capacity(4, Trickle(text.as_bytes()));
            let mut reader = NdjsonReader::new(reader, "people.ndjson", RecordKind::Customers);
            let mut batched = Vec::new();
            while reader.next_batch(max_bytes, &mut batched).unwrap() {}
            let expected: Vec<Record> = one_by_one.iter().cloned().map(Result::unwrap).collect();
            assert_eq!(batched, expected, "batches of {max_bytes} bytes");
            assert_eq!(batched.len(), 4);
        }
        // Line numbers count every physical line, blank or not.
        let bad = "{\"id\":\"a\"}\n\n\u{a0}\n{\"id\":1}\n";
        let reader = std::io::BufReader::with_capacity(4, Trickle(bad.as_bytes()));
        let mut reader = NdjsonReader::new(reader, "people.ndjson", RecordKind::Customers);
        let err = reader.next_batch(1 << 20, &mut Vec::new()).unwrap_err();
        assert_eq!(err.position.line(), Some(4), "{err}");
    }

    #[test]
    fn batches_read_the_same_records_and_stop_at_the_first_bad_line() {
        let good: String = (0..500)
            .map(|i| format!("{{\"id\":\"{i}\"}}\n\n"))
            .collect();
        let one_by_one: Vec<Record> = read(RecordKind::Customers, &good)
            .into_iter()
            .map(Result::unwrap)
            .collect();
        let mut reader = NdjsonReader::new(good.as_bytes(), "people.ndjson", RecordKind::Customers);
        let mut batched = Vec::new();
        while reader.next_batch(100, &mut batched).unwrap() {}
        assert_eq!(batched, one_by_one);

        // Lines 4 and 6 are both bad; parsed in parallel, line 4 must be the one named.
        let bad = "{\"id\":\"1\"}\n{\"id\":\"2\"}\n\n{\"id\":7}\n{\"id\":\"5\"}\n{\n";
        let mut reader = NdjsonReader::new(bad.as_bytes(), "people.ndjson", RecordKind::Customers);
        let mut records = Vec::new();
        let err = reader.next_batch(1 << 20, &mut records).unwrap_err();
        assert_eq!(err.position.line(), Some(4));
        assert!(
            !reader.next_batch(1 << 20, &mut records).unwrap(),
            "nothing after the error"
        );
    }

    #[test]
    fn a_read_error_met_while_reading_ahead_comes_after_the_batches_before_it() {
        let mut text: String = (0..300).map(|i| format!("{{\"id\":\"{i}\"}}\n")).collect();
        text.push_str(&format!("{{\"id\":\"{}\"}}\n", "x".repeat(MAX_LINE_BYTES)));
        let mut reader = NdjsonReader::new(text.as_bytes(), "people.ndjson", RecordKind::Customers);
        let mut records = Vec::new();
        let err = loop {
            match reader.next_batch(1_000, &mut records) {
                Ok(true) => {}
                Ok(false) => panic!("the long line must be an error"),
                Err(e) => break e,
            }
        };
        // The batch holding the bad line fails whole; every batch before it arrived first.
        assert!(records.len() > 200, "only {} records", records.len());
        let ids: Vec<String> = records
            .iter()
            .map(|r| match r {
                Record::Person(p) => p.id.clone(),
                other => panic!("unexpected {other:?}"),
            })
            .collect();
        let expected: Vec<String> = (0..ids.len()).map(|i| i.to_string()).collect();
        assert_eq!(ids, expected, "in file order");
        assert_eq!(err.position.line(), Some(301));
        assert!(err.message.contains("longer than"), "{err}");
    }

    #[test]
    fn employees_default_to_the_employee_source() {
        let results = read(RecordKind::Employees, "\u{feff}{\"id\":\"E1\"}\r\n");
        match &results[0] {
            Ok(Record::Person(p)) => assert_eq!(p.source(), PersonSource::Employee),
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn over_long_lines_are_refused() {
        let long = format!("{{\"id\":\"{}\"}}", "x".repeat(MAX_LINE_BYTES));
        let results = read(RecordKind::Customers, &long);
        assert!(
            results[0]
                .as_ref()
                .unwrap_err()
                .message
                .contains("longer than")
        );
    }
}
