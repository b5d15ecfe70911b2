//! CSV plumbing shared by every CSV format: the delimiter, the encoding, size caps, the
//! header, physical line numbers, and typed access to cells with errors that name the
//! file, the line, the column and the value.
//!
//! Rows are streamed through one reused buffer. A row is decoded as UTF-8 (a leading
//! byte-order mark is dropped); a row that is not UTF-8 is read as Windows-1252 (the
//! superset of Latin-1 that Excel writes) with a notice, once per file. No row may be
//! longer than [`MAX_RECORD_BYTES`]: the parser is never handed more, so an unclosed
//! quote cannot swallow a whole file into memory.

use std::borrow::Cow;
use std::collections::VecDeque;
use std::io::{self, Read};

use csv::{ByteRecord, StringRecord};

pub use crate::formats::csv_row::{CsvStream, Row, RowReader};
use crate::formats::{Input, LineError, Notices, OpenError, Position, RowError};

/// The longest row (all its fields, quotes and separators) a CSV file may have.
pub const MAX_RECORD_BYTES: u64 = 1 << 20;
/// The most columns a CSV header may have.
pub const MAX_COLUMNS: usize = 4096;

/// The form header names are compared in: lower case, `_` as a space, runs of
/// whitespace (including line breaks inside quoted headers) as one space, trimmed.
pub fn normalize_header(name: &str) -> String {
    let lowered = name.trim_start_matches('\u{feff}').to_lowercase();
    lowered
        .split(|c: char| c.is_whitespace() || c == '_')
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// A cell's text: UTF-8 as is, anything else read as Windows-1252.
pub fn decode_field(bytes: &[u8]) -> Cow<'_, str> {
    match std::str::from_utf8(bytes) {
        Ok(s) => Cow::Borrowed(s),
        Err(_) => {
            encoding_rs::WINDOWS_1252
                .decode_without_bom_handling(bytes)
                .0
        }
    }
}

/// The delimiter of the first line: whichever of `,` `;` tab `|` occurs most outside
/// quotes (comma when none does).
pub fn sniff_delimiter(head: &[u8]) -> u8 {
    let mut counts = [0usize; 4];
    let candidates = [b',', b';', b'\t', b'|'];
    let mut quoted = false;
    for &b in head {
        match b {
            b'"' => quoted = !quoted,
            b'\n' if !quoted => break,
            _ if !quoted => {
                if let Some(i) = candidates.iter().position(|c| *c == b) {
                    counts[i] += 1;
                }
            }
            _ => {}
        }
    }
    let best = (0..4).max_by_key(|&i| (counts[i], 4 - i)).unwrap_or(0);
    if counts[best] == 0 {
        b','
    } else {
        candidates[best]
    }
}

/// Hands the parser at most [`MAX_RECORD_BYTES`] (plus one buffer) past the start of the
/// row it is reading, and remembers where line breaks are so rows get their physical
/// line.
///
/// The csv crate's own line numbers are one short after the first row of a CRLF file
/// (its reader counts a CRLF's `\n` only when the next row starts), so lines are counted
/// here instead: a row's line is one plus the `\n`s before its first byte.
struct Capped<R> {
    inner: R,
    handed: u64,
    row_start: u64,
    /// Offsets of `\r` (false) and `\n` (true) handed out and not yet behind a row.
    breaks: VecDeque<(u64, bool)>,
    newlines_before: u64,
}

impl<R> Capped<R> {
    /// The physical line of the row the parser says starts at byte `at`: its first byte
    /// is the first one at or after `at` that is not a line break.
    fn line_at(&mut self, at: u64) -> u64 {
        while let Some(&(offset, newline)) = self.breaks.front() {
            if offset >= at {
                break;
            }
            self.breaks.pop_front();
            self.newlines_before += u64::from(newline);
        }
        let mut next = at;
        while let Some(&(offset, newline)) = self.breaks.front() {
            if offset != next {
                break;
            }
            self.breaks.pop_front();
            self.newlines_before += u64::from(newline);
            next += 1;
        }
        1 + self.newlines_before
    }
}

#[derive(Debug)]
struct RowTooLong;

impl std::fmt::Display for RowTooLong {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "row longer than {MAX_RECORD_BYTES} bytes")
    }
}

impl std::error::Error for RowTooLong {}

impl<R: Read> Read for Capped<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.handed.saturating_sub(self.row_start) > MAX_RECORD_BYTES {
            return Err(io::Error::new(io::ErrorKind::InvalidData, RowTooLong));
        }
        let n = self.inner.read(buf)?;
        for i in memchr::memchr2_iter(b'\n', b'\r', &buf[..n]) {
            self.breaks
                .push_back((self.handed + i as u64, buf[i] == b'\n'));
        }
        self.handed += n as u64;
        Ok(n)
    }
}

/// A CSV header: the names as written (trimmed) and normalised for lookups.
#[derive(Debug, Clone)]
pub struct Header {
    pub names: Vec<String>,
    pub normalized: Vec<String>,
}

impl Header {
    /// The first column whose normalised name is one of `aliases` (tried in order).
    pub fn find(&self, aliases: &[&str]) -> Option<usize> {
        aliases
            .iter()
            .find_map(|a| self.normalized.iter().position(|n| n == a))
    }

    /// Every column with this normalised name.
    pub fn positions(&self, normalized: &str) -> Vec<usize> {
        (0..self.normalized.len())
            .filter(|&i| self.normalized[i] == normalized)
            .collect()
    }
}

/// The rows of a CSV file after its header.
pub struct CsvRows {
    reader: csv::Reader<Capped<Box<dyn Read + Send>>>,
    pub header: Header,
    /// The physical line the last record read starts on.
    line: u64,
    record: StringRecord,
    pub file: String,
    notices: Notices,
    warned_encoding: bool,
    done: bool,
}

impl CsvRows {
    /// Reads the header. An empty file, a UTF-16 file or an over-wide header is refused.
    pub fn open(input: Input) -> Result<CsvRows, OpenError> {
        let file = input.file.clone();
        let at_line_1 = |message: String| LineError {
            file: file.clone(),
            position: Position::Line(1),
            field: None,
            message,
        };
        let head = input.head();
        if head.starts_with(b"\xFF\xFE") || head.starts_with(b"\xFE\xFF") {
            return Err(at_line_1(
                "is UTF-16; export it as CSV (UTF-8) or CSV (comma delimited)".into(),
            )
            .into());
        }
        let delimiter = sniff_delimiter(head);
        let notices = input.notices.clone();
        let capped = Capped {
            inner: input.into_reader(),
            handed: 0,
            row_start: 0,
            breaks: VecDeque::new(),
            newlines_before: 0,
        };
        let reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .delimiter(delimiter)
            .from_reader(capped);
        let mut rows = CsvRows {
            reader,
            line: 1,
            header: Header {
                names: Vec::new(),
                normalized: Vec::new(),
            },
            record: StringRecord::new(),
            file: file.clone(),
            notices,
            warned_encoding: false,
            done: false,
        };
        match rows.read_record() {
            Ok(true) => {}
            Ok(false) => return Err(at_line_1("is empty: there is no header row".into()).into()),
            Err(e) => return Err(e.error.into()),
        }
        if rows.record.len() > MAX_COLUMNS {
            return Err(at_line_1(format!(
                "the header has {} columns; at most {MAX_COLUMNS} are read",
                rows.record.len()
            ))
            .into());
        }
        let names: Vec<String> = rows
            .record
            .iter()
            .map(|n| n.trim_start_matches('\u{feff}').trim().to_owned())
            .collect();
        let normalized = names.iter().map(|n| normalize_header(n)).collect();
        rows.header = Header { names, normalized };
        Ok(rows)
    }

    /// Reads the next record into the reused buffer; `false` at the end.
    fn read_record(&mut self) -> Result<bool, RowError> {
        let mut bytes: ByteRecord = std::mem::take(&mut self.record).into_byte_record();
        let more = match self.reader.read_byte_record(&mut bytes) {
            Ok(more) => more,
            Err(e) => {
                self.done = true;
                let at = self.reader.position().byte();
                let line = self.reader.get_mut().line_at(at);
                let message = match e.kind() {
                    csv::ErrorKind::Io(io)
                        if io.get_ref().is_some_and(|i| i.is::<RowTooLong>()) =>
                    {
                        format!(
                            "a row is longer than {MAX_RECORD_BYTES} bytes (often a quote that is never closed)"
                        )
                    }
                    _ => format!("cannot read: {e}"),
                };
                return Err(RowError::fatal(self.error_at(line, None, message)));
            }
        };
        let next_row = self.reader.position().byte();
        let start = bytes.position().map_or(next_row, |p| p.byte());
        let capped = self.reader.get_mut();
        capped.row_start = next_row;
        self.line = capped.line_at(start);
        self.record = match StringRecord::from_byte_record(bytes) {
            Ok(record) => record,
            Err(e) => {
                let bytes = e.into_byte_record();
                if !self.warned_encoding {
                    self.warned_encoding = true;
                    let line = self.line;
                    self.notices.push(format!(
                        "{}: not UTF-8 from line {line} on; read as Windows-1252 (Latin-1)",
                        self.file
                    ));
                }
                let fields: Vec<Cow<'_, str>> = bytes.iter().map(decode_field).collect();
                let mut record =
                    StringRecord::from(fields.iter().map(|f| &**f).collect::<Vec<_>>());
                record.set_position(bytes.position().cloned());
                record
            }
        };
        Ok(more)
    }

    fn error_at(&self, line: u64, field: Option<String>, message: String) -> LineError {
        LineError {
            file: self.file.clone(),
            position: Position::Line(line),
            field,
            message,
        }
    }

    /// The next data row, skipping rows with nothing in them.
    pub fn next_row(&mut self) -> Option<Result<Row<'_>, RowError>> {
        loop {
            if self.done {
                return None;
            }
            match self.read_record() {
                Ok(true) => {}
                Ok(false) => {
                    self.done = true;
                    return None;
                }
                Err(e) => return Some(Err(e)),
            }
            if self.record.iter().all(|f| f.trim().is_empty()) {
                continue;
            }
            let line = self.line;
            if self.record.len() != self.header.names.len() {
                let message = format!(
                    "the row has {} fields but the header has {} (a missing or extra delimiter?)",
                    self.record.len(),
                    self.header.names.len()
                );
                let row = self.record.iter().map(str::to_owned).collect();
                return Some(Err(RowError::skippable(
                    self.error_at(line, None, message),
                    row,
                )));
            }
            return Some(Ok(Row {
                fields: &self.record,
                line,
                file: &self.file,
                header: &self.header,
            }));
        }
    }
}
