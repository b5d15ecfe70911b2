//! The neutral currency between the shared SQL and each backend: [`Value`] for bound
//! parameters and [`Columns`] for reading result rows.
//!
//! Each backend implements its driver's parameter trait for `Value` and `Columns` for its
//! row type; everything above that (statements, encoding, decoding) is written once, so
//! the two backends cannot drift apart.

use std::borrow::Cow;

use time::OffsetDateTime;

use crate::StoreError;

/// A parameter bound to a statement.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Value<'a> {
    Null,
    Int(i64),
    Real(f64),
    Bool(bool),
    Text(Cow<'a, str>),
    /// Already normalised by [`crate::convert::utc_micros`]; SQLite stores it as text,
    /// PostgreSQL as `timestamptz`.
    Timestamp(OffsetDateTime),
    /// The same, for a column SQLite keeps as an INTEGER of Unix microseconds (a click's
    /// time: 8 bytes in the row and in each index instead of 27 of text); PostgreSQL as
    /// `timestamptz`. Compared only with its own kind.
    Instant(OffsetDateTime),
}

impl<'a> Value<'a> {
    pub(crate) fn str(text: &'a str) -> Value<'a> {
        Value::Text(Cow::Borrowed(text))
    }

    pub(crate) fn opt_str(text: Option<&'a str>) -> Value<'a> {
        text.map_or(Value::Null, Value::str)
    }

    pub(crate) fn owned(text: String) -> Value<'static> {
        Value::Text(Cow::Owned(text))
    }

    pub(crate) fn opt_int(v: Option<i64>) -> Value<'static> {
        v.map_or(Value::Null, Value::Int)
    }

    pub(crate) fn opt_real(v: Option<f64>) -> Value<'static> {
        v.map_or(Value::Null, Value::Real)
    }

    pub(crate) fn opt_bool(v: Option<bool>) -> Value<'static> {
        v.map_or(Value::Null, Value::Bool)
    }

    pub(crate) fn instant(t: OffsetDateTime) -> Value<'static> {
        Value::Instant(crate::convert::utc_micros(t))
    }

    pub(crate) fn opt_timestamp(v: Option<OffsetDateTime>) -> Value<'static> {
        v.map_or(Value::Null, |t| {
            Value::Timestamp(crate::convert::utc_micros(t))
        })
    }
}

/// Typed access to the columns of one result row, by position.
pub(crate) trait Columns {
    fn text(&self, i: usize) -> Result<Option<String>, StoreError>;
    fn int(&self, i: usize) -> Result<Option<i64>, StoreError>;
    fn real(&self, i: usize) -> Result<Option<f64>, StoreError>;
    fn boolean(&self, i: usize) -> Result<Option<bool>, StoreError>;
    fn timestamp(&self, i: usize) -> Result<Option<OffsetDateTime>, StoreError>;
}

/// Reads a row's columns left to right, so decoders list fields in `SELECT` order
/// instead of counting positions by hand.
pub(crate) struct Cursor<'r> {
    row: &'r dyn Columns,
    next: usize,
}

impl<'r> Cursor<'r> {
    pub(crate) fn new(row: &'r dyn Columns) -> Self {
        Cursor { row, next: 0 }
    }

    fn advance(&mut self) -> usize {
        self.next += 1;
        self.next - 1
    }

    pub(crate) fn text(&mut self) -> Result<Option<String>, StoreError> {
        let i = self.advance();
        self.row.text(i)
    }

    pub(crate) fn int(&mut self) -> Result<Option<i64>, StoreError> {
        let i = self.advance();
        self.row.int(i)
    }

    pub(crate) fn real(&mut self) -> Result<Option<f64>, StoreError> {
        let i = self.advance();
        self.row.real(i)
    }

    pub(crate) fn boolean(&mut self) -> Result<Option<bool>, StoreError> {
        let i = self.advance();
        self.row.boolean(i)
    }

    pub(crate) fn timestamp(&mut self) -> Result<Option<OffsetDateTime>, StoreError> {
        let i = self.advance();
        self.row.timestamp(i)
    }

    /// A `NOT NULL` text column; `what` names it in the error if it is null after all.
    pub(crate) fn req_text(&mut self, what: &str) -> Result<String, StoreError> {
        self.text()?.ok_or_else(|| null_in(what))
    }

    pub(crate) fn req_int(&mut self, what: &str) -> Result<i64, StoreError> {
        self.int()?.ok_or_else(|| null_in(what))
    }

    pub(crate) fn req_real(&mut self, what: &str) -> Result<f64, StoreError> {
        self.real()?.ok_or_else(|| null_in(what))
    }
}

fn null_in(what: &str) -> StoreError {
    StoreError::Corrupt(format!("{what} is null"))
}
