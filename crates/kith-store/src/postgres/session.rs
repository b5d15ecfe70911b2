//! The `postgres` crate's side of the neutral [`Session`], [`Value`] and [`Columns`].

use std::collections::HashMap;
use std::error::Error;

use bytes::BytesMut;
use postgres::fallible_iterator::FallibleIterator;
use postgres::types::{IsNull, ToSql, Type, to_sql_checked};
use postgres::{Row, Statement, Transaction};
use time::OffsetDateTime;

use kith_core::{Handle, Platform};

use super::batch::Batches;
use crate::StoreError;
use crate::ops::Session;
use crate::sql::Statements;
use crate::tables::{PEOPLE, PERSON_HANDLES, TABLES, Table};
use crate::value::{Columns, Value};

/// A transaction of a [`super::PostgresStore`], with the connection's prepared statements.
pub(super) struct PgSession<'t, 'c> {
    pub(super) tx: &'t mut Transaction<'c>,
    /// Prepared statements outlive transactions (even rolled-back ones) in PostgreSQL,
    /// so they are kept per connection and prepared once.
    pub(super) prepared: &'t mut HashMap<String, Statement>,
    /// Rows held back by `write_row`, written by `flush`.
    pub(super) batches: Batches,
}

impl<'t, 'c> PgSession<'t, 'c> {
    pub(super) fn new(
        tx: &'t mut Transaction<'c>,
        prepared: &'t mut HashMap<String, Statement>,
    ) -> Self {
        PgSession {
            tx,
            prepared,
            batches: Batches::default(),
        }
    }
}

impl PgSession<'_, '_> {
    fn prepare(&mut self, sql: &str) -> Result<Statement, StoreError> {
        if let Some(statement) = self.prepared.get(sql) {
            return Ok(statement.clone());
        }
        let statement = self.tx.prepare(sql)?;
        self.prepared.insert(sql.to_owned(), statement.clone());
        Ok(statement)
    }
}

impl Session for PgSession<'_, '_> {
    fn execute(&mut self, sql: &str, params: &[Value<'_>]) -> Result<u64, StoreError> {
        let statement = self.prepare(sql)?;
        let params: Vec<&(dyn ToSql + Sync)> = params.iter().map(|v| v as _).collect();
        Ok(self.tx.execute(&statement, &params)?)
    }

    fn each_row(
        &mut self,
        sql: &str,
        params: &[Value<'_>],
        each: &mut dyn FnMut(&dyn Columns) -> Result<(), StoreError>,
    ) -> Result<(), StoreError> {
        let statement = self.prepare(sql)?;
        // Streamed, so reading a large table never holds all its rows twice.
        let mut rows = self.tx.query_raw(&statement, params.iter())?;
        while let Some(row) = rows.next()? {
            each(&PgRow(&row))?;
        }
        Ok(())
    }

    fn batch(&mut self, sql: &str) -> Result<(), StoreError> {
        Ok(self.tx.batch_execute(sql)?)
    }

    fn write_row(
        &mut self,
        sql: &Statements,
        table: &'static Table,
        row: &[Value<'_>],
    ) -> Result<(), StoreError> {
        if self.batches.add(table, row)? {
            self.write_batch(sql, table)?;
        }
        Ok(())
    }

    fn replace_handles(
        &mut self,
        _sql: &Statements,
        person_id: &str,
        handles: &[(Platform, &Handle)],
        _none_stored: bool,
    ) -> Result<(), StoreError> {
        let handles = handles
            .iter()
            .map(|(p, h)| (p.as_str().to_owned(), h.as_str().to_owned()))
            .collect();
        self.batches.handles.replace(person_id, handles);
        Ok(())
    }

    fn flush(&mut self, sql: &Statements) -> Result<(), StoreError> {
        // People before handles, which refer to them.
        for table in TABLES {
            self.write_batch(sql, table)?;
        }
        Ok(())
    }
}

impl PgSession<'_, '_> {
    /// Writes the rows waiting for `table`; for people, then replaces their handles.
    fn write_batch(&mut self, sql: &Statements, table: &'static Table) -> Result<(), StoreError> {
        if self.batches.len(table) > 0 {
            let statement = self.prepare(write_many(sql, table)?)?;
            self.tx.execute(&statement, &self.batches.params(table))?;
            self.batches.clear(table);
        }
        if table.index == PEOPLE.index && !self.batches.handles.is_empty() {
            let (people, handles) = self.batches.handles.take();
            let delete = self.prepare(&sql.delete_handles_of_many)?;
            self.tx.execute(&delete, &[&people])?;
            if !handles[0].is_empty() {
                let insert = self.prepare(write_many(sql, &PERSON_HANDLES)?)?;
                let [person, platform, handle] = &handles;
                self.tx.execute(&insert, &[person, platform, handle])?;
            }
        }
        Ok(())
    }
}

fn write_many<'s>(sql: &'s Statements, table: &Table) -> Result<&'s str, StoreError> {
    sql.write_many(table)
        .ok_or_else(|| StoreError::Unstorable(format!("no batched statement for {}", table.name)))
}

impl ToSql for Value<'_> {
    /// Each variant defers to its Rust type, which checks the parameter's SQL type, so a
    /// mismatch is an error rather than misread bytes.
    fn to_sql(
        &self,
        ty: &Type,
        out: &mut BytesMut,
    ) -> Result<IsNull, Box<dyn Error + Sync + Send>> {
        match self {
            Value::Null => Ok(IsNull::Yes),
            Value::Int(i) => i.to_sql_checked(ty, out),
            Value::Real(x) => x.to_sql_checked(ty, out),
            Value::Bool(b) => b.to_sql_checked(ty, out),
            Value::Text(t) => t.as_ref().to_sql_checked(ty, out),
            Value::Timestamp(t) | Value::Instant(t) => t.to_sql_checked(ty, out),
        }
    }

    fn accepts(_: &Type) -> bool {
        true
    }

    to_sql_checked!();
}

struct PgRow<'a>(&'a Row);

impl Columns for PgRow<'_> {
    fn text(&self, i: usize) -> Result<Option<String>, StoreError> {
        Ok(self.0.try_get(i)?)
    }

    fn int(&self, i: usize) -> Result<Option<i64>, StoreError> {
        Ok(self.0.try_get(i)?)
    }

    fn real(&self, i: usize) -> Result<Option<f64>, StoreError> {
        Ok(self.0.try_get(i)?)
    }

    fn boolean(&self, i: usize) -> Result<Option<bool>, StoreError> {
        Ok(self.0.try_get(i)?)
    }

    fn timestamp(&self, i: usize) -> Result<Option<OffsetDateTime>, StoreError> {
        Ok(self.0.try_get(i)?)
    }
}
