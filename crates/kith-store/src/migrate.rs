//! Schema migrations: numbered SQL files per dialect, embedded in the binary and applied
//! in order on open, each recorded in `schema_migrations`.
//!
//! A backend calls [`apply`] inside one transaction that it has made exclusive (SQLite
//! `BEGIN IMMEDIATE`, a PostgreSQL advisory lock), so two processes opening the same
//! database at once migrate it once. Files are never edited once released: a change to
//! the schema is a new file.

use time::OffsetDateTime;

use crate::StoreError;
use crate::ops::Session;
use crate::sql::Statements;
use crate::value::Value;

/// One file of `migrations/<dialect>/NNNN_name.sql`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Migration {
    pub version: i64,
    /// The file's stem, `NNNN_name`.
    pub name: &'static str,
    pub sql: &'static str,
}

/// Lists a dialect's migrations, embedding each file: `1 => "0001_initial"`.
macro_rules! migrations {
    ($dialect:literal: $($version:literal => $name:literal),+ $(,)?) => {
        &[$($crate::migrate::Migration {
            version: $version,
            name: $name,
            sql: include_str!(concat!(
                env!("CARGO_MANIFEST_DIR"), "/migrations/", $dialect, "/", $name, ".sql"
            )),
        }),+]
    };
}
pub(crate) use migrations;

/// Applies the migrations not yet recorded. `bootstrap` creates `schema_migrations`
/// if it is missing; it is the one statement that differs by dialect.
pub(crate) fn apply(
    s: &mut dyn Session,
    sql: &Statements,
    bootstrap: &str,
    migrations: &[Migration],
) -> Result<(), StoreError> {
    s.batch(bootstrap)?;
    let mut applied = Vec::new();
    s.each_row(&sql.migration_versions, &[], &mut |row| {
        applied.push(row.int(0)?.unwrap_or(0));
        Ok(())
    })?;
    let known = migrations.iter().map(|m| m.version).max().unwrap_or(0);
    if let Some(newer) = applied.iter().copied().find(|v| *v > known) {
        return Err(StoreError::Corrupt(format!(
            "the database has schema version {newer}, newer than this kith knows ({known}); \
             upgrade kith"
        )));
    }
    let now = Value::Timestamp(crate::convert::utc_micros(OffsetDateTime::now_utc()));
    for m in migrations.iter().filter(|m| !applied.contains(&m.version)) {
        tracing::info!(version = m.version, name = m.name, "applying migration");
        s.batch(m.sql)?;
        s.execute(
            &sql.insert_migration,
            &[Value::Int(m.version), Value::str(m.name), now.clone()],
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every file in a dialect's folder is embedded, in order, under its own name.
    fn assert_embeds_every_file(dialect: &str, list: &[Migration]) {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("migrations")
            .join(dialect);
        let mut files: Vec<String> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".sql"))
            .collect();
        files.sort();
        let embedded: Vec<String> = list.iter().map(|m| format!("{}.sql", m.name)).collect();
        assert_eq!(
            files, embedded,
            "{dialect}: migrations folder and list differ"
        );
        for m in list {
            assert!(
                m.name.starts_with(&format!("{:04}_", m.version)),
                "{dialect}: {}",
                m.name
            );
        }
        assert!(list.windows(2).all(|w| w[0].version < w[1].version));
    }

    #[test]
    fn every_sqlite_migration_file_is_embedded() {
        assert_embeds_every_file("sqlite", crate::sqlite::MIGRATIONS);
    }

    #[test]
    fn every_postgres_migration_file_is_embedded() {
        assert_embeds_every_file("postgres", crate::postgres::MIGRATIONS);
    }

    #[test]
    fn both_dialects_have_the_same_migrations() {
        let names = |l: &[Migration]| l.iter().map(|m| (m.version, m.name)).collect::<Vec<_>>();
        assert_eq!(
            names(crate::sqlite::MIGRATIONS),
            names(crate::postgres::MIGRATIONS)
        );
    }
}
