//! One CSV data row with typed access to its cells, and the [`RecordStream`] that turns
//! rows into records through a format's [`RowReader`].

use csv::StringRecord;
use kith_core::{FieldError, Money, Record};
use time::OffsetDateTime;

use crate::formats::csv_rows::{CsvRows, Header};
use crate::formats::number::{parse_amount, parse_integer, strip_spreadsheet_quote};
use crate::formats::values::{TIMESTAMP_FORMS, parse_bool, parse_timestamp};
use crate::formats::{LineError, Position, RecordStream, RowError};

/// One data row, with typed access to its cells.
#[derive(Debug, Clone, Copy)]
pub struct Row<'a> {
    pub fields: &'a StringRecord,
    /// The physical line the row starts on.
    pub line: u64,
    pub file: &'a str,
    pub header: &'a Header,
}

impl<'a> Row<'a> {
    /// The trimmed cell of a column, empty when the file has no such column.
    pub fn get(&self, column: Option<usize>) -> &'a str {
        column
            .and_then(|c| self.fields.get(c))
            .map_or("", str::trim)
    }

    /// The cell as text, or `None` when empty.
    pub fn text(&self, column: Option<usize>) -> Option<String> {
        Some(self.get(column))
            .filter(|t| !t.is_empty())
            .map(str::to_owned)
    }

    /// An identifier, phone or zip code: the text without a spreadsheet's leading `'`.
    pub fn code(&self, column: Option<usize>) -> Option<String> {
        Some(strip_spreadsheet_quote(self.get(column)))
            .filter(|t| !t.is_empty())
            .map(str::to_owned)
    }

    /// The physical line a column's cell is on: a quoted cell before it may span lines.
    pub fn line_of(&self, column: usize) -> u64 {
        let before: usize = self
            .fields
            .iter()
            .take(column)
            .map(|f| f.matches('\n').count())
            .sum();
        self.line + before as u64
    }

    /// An error about a column's cell.
    pub fn error(&self, column: usize, message: impl Into<String>) -> LineError {
        LineError {
            file: self.file.to_owned(),
            position: Position::Line(self.line_of(column)),
            field: self.header.names.get(column).cloned(),
            message: message.into(),
        }
    }

    /// An error about the row as a whole.
    pub fn row_error(&self, message: impl Into<String>) -> LineError {
        LineError {
            file: self.file.to_owned(),
            position: Position::Line(self.line),
            field: None,
            message: message.into(),
        }
    }

    /// Parses a non-empty cell, or `None` when it is empty.
    fn parse<T>(
        &self,
        column: Option<usize>,
        parse: impl Fn(&str) -> Option<T>,
        what: &str,
    ) -> Result<Option<T>, LineError> {
        let (Some(c), text) = (column, self.get(column)) else {
            return Ok(None);
        };
        if text.is_empty() {
            return Ok(None);
        }
        parse(text)
            .map(Some)
            .ok_or_else(|| self.error(c, format!("{text:?} is not {what}")))
    }

    pub fn amount(&self, column: Option<usize>) -> Result<Option<Money>, LineError> {
        self.parse(column, parse_amount, "an amount")
    }

    pub fn integer(&self, column: Option<usize>) -> Result<Option<u64>, LineError> {
        self.parse(column, parse_integer, "a whole number")
    }

    pub fn boolean(&self, column: Option<usize>) -> Result<Option<bool>, LineError> {
        self.parse(column, parse_bool, "yes or no")
    }

    pub fn timestamp(&self, column: Option<usize>) -> Result<Option<OffsetDateTime>, LineError> {
        let what = format!("a date ({TIMESTAMP_FORMS})");
        self.parse(column, parse_timestamp, &what)
    }

    /// The row as it was, for a rejects file.
    pub fn raw(&self) -> Vec<String> {
        self.fields.iter().map(str::to_owned).collect()
    }

    /// Turns a canonical record's validation error into one naming the file's column
    /// (found by `column_of`), or the row when no column holds that field.
    pub fn field_error(
        &self,
        e: FieldError,
        column_of: impl Fn(&str) -> Option<usize>,
    ) -> LineError {
        match column_of(e.field) {
            Some(c) => self.error(c, e.reason),
            None => self.row_error(format!("{}: {}", e.field, e.reason)),
        }
    }
}

/// What a CSV format does with each row.
pub trait RowReader: Send {
    /// The record a row holds, or `None` for a row the format skips on purpose (an
    /// order's extra line items, a review marked as spam).
    fn read(&mut self, row: &Row<'_>) -> Result<Option<Record>, LineError>;

    /// Called once after the last row, to leave notices about skipped rows.
    fn finish(&mut self) {}
}

/// A [`RecordStream`] over CSV rows and a format's [`RowReader`].
pub struct CsvStream<T> {
    rows: CsvRows,
    reader: T,
    finished: bool,
}

impl<T: RowReader> CsvStream<T> {
    pub fn new(rows: CsvRows, reader: T) -> Self {
        CsvStream {
            rows,
            reader,
            finished: false,
        }
    }
}

impl<T: RowReader> Iterator for CsvStream<T> {
    type Item = Result<Record, RowError>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            let row = match self.rows.next_row() {
                Some(Ok(row)) => row,
                Some(Err(e)) => return Some(Err(e)),
                None => {
                    if !self.finished {
                        self.finished = true;
                        self.reader.finish();
                    }
                    return None;
                }
            };
            match self.reader.read(&row) {
                Ok(Some(record)) => return Some(Ok(record)),
                Ok(None) => continue,
                Err(e) => return Some(Err(RowError::skippable(e, row.raw()))),
            }
        }
    }
}

impl<T: RowReader> RecordStream for CsvStream<T> {
    fn columns(&self) -> &[String] {
        &self.rows.header.names
    }
}
