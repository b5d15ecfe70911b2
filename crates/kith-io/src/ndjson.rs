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
}

impl<R: BufRead> NdjsonReader<R> {
    /// `file` is the name used in error messages.
    pub fn new(input: R, file: impl Into<String>, kind: RecordKind) -> Self {
        NdjsonReader {
            source: LineSource {
                input,
                line: 0,
                bytes: Arc::new(AtomicU64::new(0)),
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
        if self.failed {
            return Ok(false);
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
        let mut current = match current {
            Ok(batch) => batch,
            Err(e) => {
                self.failed = true;
                return Err(e);
            }
        };
        if current.lines.is_empty() {
            self.spare = current;
            return Ok(false);
        }
        let mut next = std::mem::take(&mut self.spare);
        let (source, parser) = (&mut self.source, &self.parser);
        let (read, ()) = rayon::join(
            move || source.fill(&mut next, max_bytes, parser).map(|()| next),
            || current.parse(parser),
        );
        self.ahead = Some(read);
        let result = current.drain_into(out);
        self.spare = current;
        if result.is_err() {
            self.failed = true;
            self.ahead = None;
        }
        result.map(|()| true)
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

    /// Reads lines into an emptied `batch` until it holds about `max_bytes`.
    fn fill(
        &mut self,
        batch: &mut Batch,
        max_bytes: usize,
        parser: &LineParser,
    ) -> Result<(), LineError> {
        batch.text.clear();
        batch.lines.clear();
        while batch.text.len() < max_bytes {
            let start = batch.text.len();
            if !self.read_line_into(&mut batch.text, parser)? {
                break;
            }
            self.line += 1;
            batch.lines.push((self.line, start..batch.text.len()));
        }
        Ok(())
    }
}

/// The buffers of [`NdjsonReader::next_batch`], reused from one batch to the next.
#[derive(Debug, Default)]
struct Batch {
    text: Vec<u8>,
    lines: Vec<(u64, std::ops::Range<usize>)>,
    parsed: Vec<Result<Option<Record>, LineError>>,
}

impl Batch {
    fn parse(&mut self, parser: &LineParser) {
        self.parsed.clear();
        let text = &self.text;
        self.parsed.par_extend(
            self.lines
                .par_iter()
                .map(|(line, range)| parser.parse(*line, &text[range.clone()])),
        );
    }

    /// Moves the records out in file order, stopping at the first error.
    fn drain_into(&mut self, out: &mut Vec<Record>) -> Result<(), LineError> {
        for result in self.parsed.drain(..) {
            if let Some(record) = result? {
                out.push(record);
            }
        }
        Ok(())
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
        let text = std::str::from_utf8(bytes).map_err(|e| {
            let at = e.valid_up_to();
            self.error(line, None, format!("not UTF-8 at byte {at}"))
        })?;
        // A UTF-8 byte-order mark may open the first line.
        let text = text.trim_start_matches('\u{feff}').trim();
        if text.is_empty() {
            return Ok(None);
        }
        self.parse_line(line, text).map(Some)
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
