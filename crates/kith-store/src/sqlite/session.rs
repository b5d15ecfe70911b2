//! rusqlite's side of the neutral [`Session`], [`Value`] and [`Columns`].

use rusqlite::types::{ToSqlOutput, ValueRef};
use rusqlite::{Connection, Row, ToSql, params_from_iter};
use time::OffsetDateTime;

use crate::StoreError;
use crate::convert;
use crate::ops::Session;
use crate::value::{Columns, Value};

/// A transaction (or the bare connection) of a [`super::SqliteStore`].
pub(super) struct SqliteSession<'c>(pub(super) &'c Connection);

impl Session for SqliteSession<'_> {
    fn execute(&mut self, sql: &str, params: &[Value<'_>]) -> Result<u64, StoreError> {
        let mut statement = self.0.prepare_cached(sql)?;
        Ok(statement.execute(params_from_iter(params))? as u64)
    }

    fn each_row(
        &mut self,
        sql: &str,
        params: &[Value<'_>],
        each: &mut dyn FnMut(&dyn Columns) -> Result<(), StoreError>,
    ) -> Result<(), StoreError> {
        let mut statement = self.0.prepare_cached(sql)?;
        let mut rows = statement.query(params_from_iter(params))?;
        while let Some(row) = rows.next()? {
            each(&SqliteRow(row))?;
        }
        Ok(())
    }

    fn batch(&mut self, sql: &str) -> Result<(), StoreError> {
        Ok(self.0.execute_batch(sql)?)
    }
}

impl ToSql for Value<'_> {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(match self {
            Value::Null => ToSqlOutput::Borrowed(ValueRef::Null),
            Value::Int(i) => ToSqlOutput::from(*i),
            Value::Real(x) => ToSqlOutput::from(*x),
            Value::Bool(b) => ToSqlOutput::from(*b),
            Value::Text(t) => ToSqlOutput::Borrowed(ValueRef::Text(t.as_bytes())),
            Value::Timestamp(t) => ToSqlOutput::from(convert::timestamp_text(*t)),
            Value::Instant(t) => ToSqlOutput::from(convert::unix_micros(*t)),
        })
    }
}

struct SqliteRow<'a, 's>(&'a Row<'s>);

impl Columns for SqliteRow<'_, '_> {
    fn text(&self, i: usize) -> Result<Option<String>, StoreError> {
        Ok(self.0.get(i)?)
    }

    fn int(&self, i: usize) -> Result<Option<i64>, StoreError> {
        Ok(self.0.get(i)?)
    }

    fn real(&self, i: usize) -> Result<Option<f64>, StoreError> {
        Ok(self.0.get(i)?)
    }

    fn boolean(&self, i: usize) -> Result<Option<bool>, StoreError> {
        Ok(self.0.get(i)?)
    }

    /// Text, or an INTEGER of Unix microseconds ([`Value::Instant`]).
    fn timestamp(&self, i: usize) -> Result<Option<OffsetDateTime>, StoreError> {
        match self.0.get_ref(i)? {
            ValueRef::Null => Ok(None),
            ValueRef::Integer(micros) => convert::from_unix_micros(micros).map(Some),
            _ => {
                let text: String = self.0.get(i)?;
                convert::parse_timestamp_text(&text).map(Some)
            }
        }
    }
}
