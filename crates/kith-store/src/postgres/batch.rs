//! Batched writes for PostgreSQL: rows gathered per table into typed column arrays and
//! written by one `INSERT … SELECT * FROM unnest(…)` per batch.
//!
//! The sync client waits for every statement's reply, so one row per statement costs a
//! network round trip each — a few thousand rows a second. A batch costs one. Within a
//! batch a repeated key overwrites the earlier row in place, which is what upserting
//! them one after the other would leave, and which PostgreSQL requires: one statement
//! may not update the same row twice. Memory stays bounded by [`BATCH_ROWS`] per table.

use std::collections::HashMap;

use postgres::types::ToSql;
use time::OffsetDateTime;

use crate::StoreError;
use crate::tables::{Kind, TABLES, Table};
use crate::value::Value;

/// Rows per table held before they are written.
pub(super) const BATCH_ROWS: usize = 1_000;

/// One column of a batch, as the array PostgreSQL unnests.
#[derive(Debug)]
enum Column {
    Text(Vec<Option<String>>),
    Int(Vec<Option<i64>>),
    Real(Vec<Option<f64>>),
    Bool(Vec<Option<bool>>),
    Timestamp(Vec<Option<OffsetDateTime>>),
}

/// Writes `value` at `at`, or appends it.
fn put<T>(cells: &mut Vec<Option<T>>, at: Option<usize>, value: Option<T>) {
    match at {
        Some(i) => cells[i] = value,
        None => cells.push(value),
    }
}

impl Column {
    fn new(kind: Kind) -> Column {
        match kind {
            Kind::Text => Column::Text(Vec::new()),
            Kind::Int => Column::Int(Vec::new()),
            Kind::Real => Column::Real(Vec::new()),
            Kind::Bool => Column::Bool(Vec::new()),
            Kind::Timestamp => Column::Timestamp(Vec::new()),
        }
    }

    /// False when the value does not fit the column's type: a bug in the row encoding.
    fn put(&mut self, at: Option<usize>, value: &Value<'_>) -> bool {
        match (self, value) {
            (Column::Text(c), Value::Text(t)) => put(c, at, Some(t.to_string())),
            (Column::Text(c), Value::Null) => put(c, at, None),
            (Column::Int(c), Value::Int(i)) => put(c, at, Some(*i)),
            (Column::Int(c), Value::Null) => put(c, at, None),
            (Column::Real(c), Value::Real(x)) => put(c, at, Some(*x)),
            (Column::Real(c), Value::Null) => put(c, at, None),
            (Column::Bool(c), Value::Bool(b)) => put(c, at, Some(*b)),
            (Column::Bool(c), Value::Null) => put(c, at, None),
            (Column::Timestamp(c), Value::Timestamp(t) | Value::Instant(t)) => {
                put(c, at, Some(*t));
            }
            (Column::Timestamp(c), Value::Null) => put(c, at, None),
            _ => return false,
        }
        true
    }

    fn param(&self) -> &(dyn ToSql + Sync) {
        match self {
            Column::Text(c) => c,
            Column::Int(c) => c,
            Column::Real(c) => c,
            Column::Bool(c) => c,
            Column::Timestamp(c) => c,
        }
    }

    fn clear(&mut self) {
        match self {
            Column::Text(c) => c.clear(),
            Column::Int(c) => c.clear(),
            Column::Real(c) => c.clear(),
            Column::Bool(c) => c.clear(),
            Column::Timestamp(c) => c.clear(),
        }
    }
}

/// The rows of one table waiting to be written.
#[derive(Debug)]
struct Batch {
    table: &'static Table,
    key_positions: Vec<usize>,
    columns: Vec<Column>,
    /// Where each key's row sits, so a repeated key overwrites it.
    rows_by_key: HashMap<Vec<String>, usize>,
    len: usize,
}

impl Batch {
    fn new(table: &'static Table) -> Batch {
        Batch {
            table,
            key_positions: table.key_positions(),
            columns: table
                .columns
                .iter()
                .map(|(_, kind)| Column::new(*kind))
                .collect(),
            rows_by_key: HashMap::new(),
            len: 0,
        }
    }

    fn add(&mut self, row: &[Value<'_>]) -> Result<(), StoreError> {
        if row.len() != self.columns.len() {
            return Err(StoreError::Unstorable(format!(
                "{} values for the {} columns of {}",
                row.len(),
                self.columns.len(),
                self.table.name
            )));
        }
        let at = if self.key_positions.is_empty() {
            None
        } else {
            let key: Vec<String> = self
                .key_positions
                .iter()
                .map(|&i| match row.get(i) {
                    Some(Value::Text(t)) => t.to_string(),
                    _ => String::new(),
                })
                .collect();
            let next = self.len;
            let at = *self.rows_by_key.entry(key).or_insert(next);
            (at < next).then_some(at)
        };
        for ((column, value), (name, _)) in self.columns.iter_mut().zip(row).zip(self.table.columns)
        {
            if !column.put(at, value) {
                return Err(StoreError::Unstorable(format!(
                    "{value:?} in {}.{name}",
                    self.table.name
                )));
            }
        }
        if at.is_none() {
            self.len += 1;
        }
        Ok(())
    }

    fn params(&self) -> Vec<&(dyn ToSql + Sync)> {
        self.columns.iter().map(Column::param).collect()
    }

    fn clear(&mut self) {
        self.columns.iter_mut().for_each(Column::clear);
        self.rows_by_key.clear();
        self.len = 0;
    }
}

/// People whose handles are replaced, with their new handles (platform, handle).
#[derive(Debug, Default)]
pub(super) struct Handles {
    by_person: HashMap<String, Vec<(String, String)>>,
}

impl Handles {
    pub(super) fn replace(&mut self, person_id: &str, handles: Vec<(String, String)>) {
        self.by_person.insert(person_id.to_owned(), handles);
    }

    pub(super) fn is_empty(&self) -> bool {
        self.by_person.is_empty()
    }

    /// The people, then the `person_id, platform, handle` arrays of their handles.
    pub(super) fn take(&mut self) -> (Vec<String>, [Vec<String>; 3]) {
        let mut columns: [Vec<String>; 3] = Default::default();
        let mut people = Vec::with_capacity(self.by_person.len());
        for (person, handles) in self.by_person.drain() {
            for (platform, handle) in handles {
                columns[0].push(person.clone());
                columns[1].push(platform);
                columns[2].push(handle);
            }
            people.push(person);
        }
        (people, columns)
    }
}

/// Every table's waiting rows, for one transaction.
#[derive(Debug)]
pub(super) struct Batches {
    tables: Vec<Batch>,
    pub(super) handles: Handles,
}

impl Default for Batches {
    fn default() -> Self {
        Batches {
            tables: TABLES.iter().map(|t| Batch::new(t)).collect(),
            handles: Handles::default(),
        }
    }
}

impl Batches {
    /// Adds a row; true when the table's batch is full and should be written.
    pub(super) fn add(&mut self, table: &Table, row: &[Value<'_>]) -> Result<bool, StoreError> {
        let batch = &mut self.tables[table.index];
        batch.add(row)?;
        Ok(batch.len >= BATCH_ROWS)
    }

    pub(super) fn len(&self, table: &Table) -> usize {
        self.tables[table.index].len
    }

    pub(super) fn params(&self, table: &Table) -> Vec<&(dyn ToSql + Sync)> {
        self.tables[table.index].params()
    }

    pub(super) fn clear(&mut self, table: &Table) {
        self.tables[table.index].clear();
    }
}
