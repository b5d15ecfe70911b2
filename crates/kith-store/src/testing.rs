//! A harness that runs one test suite against every backend, for this crate's tests and
//! for any crate that tests through a [`Store`].
//!
//! - [`sqlite`] opens a store in a fresh temporary directory.
//! - [`postgres`] opens a store in a fresh schema of the database named by
//!   `KITH_TEST_DATABASE_URL`; without it the PostgreSQL tests are skipped with a notice
//!   on stderr — unless `CI=true` or `KITH_REQUIRE_POSTGRES=1`, where they fail instead.
//! - [`store_tests!`](crate::store_tests) turns `fn name(db: &TestStore)` into the tests
//!   `name::sqlite` and `name::postgres`.
//!
//! Every [`TestStore`] removes its directory or schema when dropped, also on panic.

// A harness reports a broken environment the way tests do: by panicking.
#![allow(clippy::expect_used, clippy::unwrap_used)]

use std::io::Write;
use std::ops::Deref;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Once};
use std::time::{SystemTime, UNIX_EPOCH};

use crate::{PostgresStore, SqliteStore, Store};

/// The variable naming an administrator's connection URL for the PostgreSQL suite.
pub const DATABASE_URL_VAR: &str = "KITH_TEST_DATABASE_URL";

/// A store for one test, on a database no other test sees.
pub struct TestStore {
    // Declared before `place`, so the store closes before its place is removed.
    store: Arc<dyn Store>,
    place: Place,
}

enum Place {
    Dir(TempDir),
    Schema { schema: TestSchema, url: String },
}

/// A directory removed on drop.
struct TempDir(PathBuf);

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A schema dropped, with everything in it, on drop.
struct TestSchema {
    admin_url: String,
    name: String,
}

impl Drop for TestSchema {
    fn drop(&mut self) {
        let name = &self.name;
        let dropped =
            postgres::Client::connect(&self.admin_url, postgres::NoTls).and_then(|mut admin| {
                admin.batch_execute(&format!("DROP SCHEMA IF EXISTS {name} CASCADE"))
            });
        if let Err(e) = dropped {
            let e = crate::StoreError::from(e);
            let _ = writeln!(std::io::stderr(), "could not drop test schema {name}: {e}");
        }
    }
}

impl std::fmt::Debug for TestStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.place {
            Place::Dir(dir) => f.debug_struct("TestStore").field("dir", &dir.0).finish(),
            Place::Schema { schema, .. } => f
                .debug_struct("TestStore")
                .field("schema", &schema.name)
                .finish(),
        }
    }
}

impl Deref for TestStore {
    type Target = dyn Store;

    fn deref(&self) -> &(dyn Store + 'static) {
        &*self.store
    }
}

impl TestStore {
    /// The store, to hand to code that keeps an `Arc<dyn Store>` (a server's state).
    pub fn store(&self) -> Arc<dyn Store> {
        Arc::clone(&self.store)
    }

    /// The SQLite data directory, for a CLI's `--data`.
    pub fn data_dir(&self) -> Option<&Path> {
        match &self.place {
            Place::Dir(dir) => Some(&dir.0),
            Place::Schema { .. } => None,
        }
    }

    /// The PostgreSQL URL of this test's schema, for a CLI's `--database-url`.
    pub fn database_url(&self) -> Option<&str> {
        match &self.place {
            Place::Dir(_) => None,
            Place::Schema { url, .. } => Some(url),
        }
    }

    /// A second, independent store on the same database, as another process would open
    /// it (it runs the migrations again).
    pub fn reopen(&self) -> Arc<dyn Store> {
        match &self.place {
            Place::Dir(dir) => Arc::new(SqliteStore::open_in_dir(&dir.0).expect("reopen SQLite")),
            Place::Schema { url, .. } => {
                Arc::new(PostgresStore::connect(url).expect("reopen PostgreSQL"))
            }
        }
    }
}

/// A name no other test, in this process or another, is using.
fn unique(prefix: &str) -> String {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    format!(
        "{prefix}_{}_{}_{nanos}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    )
}

/// A SQLite store in a new temporary directory.
pub fn sqlite() -> TestStore {
    let dir = TempDir(std::env::temp_dir().join(unique("kith-test")));
    let store = SqliteStore::open_in_dir(&dir.0).expect("open a SQLite test store");
    TestStore {
        store: Arc::new(store),
        place: Place::Dir(dir),
    }
}

fn flag(name: &str) -> bool {
    std::env::var(name)
        .is_ok_and(|v| matches!(v.trim().to_ascii_lowercase().as_str(), "1" | "true"))
}

/// Whether a missing PostgreSQL must fail the run rather than skip its tests.
pub fn postgres_required() -> bool {
    flag("CI") || flag("KITH_REQUIRE_POSTGRES")
}

/// The administrator URL of the test database, or `None` when the PostgreSQL suite is
/// skipped. Panics when it is required but not configured.
pub fn postgres_admin_url() -> Option<String> {
    match std::env::var(DATABASE_URL_VAR)
        .ok()
        .filter(|u| !u.trim().is_empty())
    {
        Some(url) => Some(url),
        None if postgres_required() => panic!(
            "{DATABASE_URL_VAR} is not set, and CI=true or KITH_REQUIRE_POSTGRES=1 requires \
             the PostgreSQL suite"
        ),
        None => {
            static NOTICE: Once = Once::new();
            // Straight to the stream: the test harness captures `eprintln!` of passing
            // tests, and a skipped suite must not go unnoticed.
            NOTICE.call_once(|| {
                let _ = writeln!(
                    std::io::stderr(),
                    "PostgreSQL suite skipped: {DATABASE_URL_VAR} is not set"
                );
            });
            None
        }
    }
}

/// `url` with `search_path` set to `schema` through the `options` startup parameter.
fn with_search_path(url: &str, schema: &str) -> String {
    let separator = if url.contains('?') { '&' } else { '?' };
    format!("{url}{separator}options=-csearch_path%3D{schema}")
}

/// A PostgreSQL store in a new schema, or `None` when the suite is skipped.
pub fn postgres() -> Option<TestStore> {
    let admin_url = postgres_admin_url()?;
    let name = unique("kith_test");
    let mut admin = postgres::Client::connect(&admin_url, postgres::NoTls).unwrap_or_else(|e| {
        panic!(
            "connect to {DATABASE_URL_VAR}: {}",
            crate::StoreError::from(e)
        )
    });
    // The name is made of ASCII letters, digits and underscores only.
    admin
        .batch_execute(&format!("CREATE SCHEMA {name}"))
        .expect("create the test schema");
    drop(admin);
    let url = with_search_path(&admin_url, &name);
    // Owned before connecting, so the schema is dropped even if opening the store fails.
    let schema = TestSchema { admin_url, name };
    let store = PostgresStore::connect(&url).expect("open a PostgreSQL test store");
    Some(TestStore {
        store: Arc::new(store),
        place: Place::Schema { schema, url },
    })
}

/// Runs each `fn name(db: &TestStore)` on SQLite and on PostgreSQL, as the tests
/// `name::sqlite` and `name::postgres`.
#[macro_export]
macro_rules! store_tests {
    ($($name:ident),+ $(,)?) => {$(
        mod $name {
            #[test]
            fn sqlite() {
                super::$name(&$crate::testing::sqlite());
            }

            #[test]
            fn postgres() {
                if let Some(db) = $crate::testing::postgres() {
                    super::$name(&db);
                }
            }
        }
    )+};
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_schema_travels_in_the_url_options() {
        let url = with_search_path("postgres://u:p@h/db", "kith_test_1");
        let config: postgres::Config = url.parse().unwrap();
        assert_eq!(config.get_options(), Some("-csearch_path=kith_test_1"));
        let url = with_search_path("postgres://u:p@h/db?sslmode=disable", "s");
        assert!(url.ends_with("?sslmode=disable&options=-csearch_path%3Ds"));
    }
}
