//! Opening a store migrates it, once, and chooses the backend by URL.

use std::path::Path;

use kith_core::Record;
use kith_store::testing::{self, TestStore};
use kith_store::{Backend, StoreError, store_tests};

use crate::fixtures::*;

/// The migrations create tables without `IF NOT EXISTS`, so reopening would fail if it
/// applied any of them twice.
fn opening_an_existing_store_again_keeps_its_data(db: &TestStore) {
    import(&**db, [Record::Person(full_person())]);
    db.set_brand("name = \"Fernwood\"\n").unwrap();
    let version = db.data_version().unwrap();

    let again = db.reopen();
    let and_again = db.reopen();
    assert_eq!(again.status().unwrap().customers, 1);
    assert_eq!(and_again.data_version().unwrap(), version);
    assert_eq!(
        and_again.brand().unwrap().as_deref(),
        Some("name = \"Fernwood\"\n")
    );
    assert_eq!(again.population().unwrap(), db.population().unwrap());
}

fn a_second_store_on_the_same_database_sees_the_first_ones_writes(db: &TestStore) {
    let other = db.reopen();
    import(&*other, [Record::Person(customer("c-1", "a@example.com"))]);
    assert_eq!(db.status().unwrap().customers, 1);
}

store_tests!(
    opening_an_existing_store_again_keeps_its_data,
    a_second_store_on_the_same_database_sees_the_first_ones_writes,
);

#[test]
fn the_embedded_store_creates_its_data_directory() {
    let parent = tempfile::tempdir().unwrap();
    let dir = parent.path().join("nested").join("kith-data");
    let store = kith_store::open(None, &dir).unwrap();
    assert_eq!(store.backend(), Backend::Sqlite);
    assert!(dir.join("kith.db").is_file());
}

#[test]
fn the_url_scheme_chooses_the_backend() {
    let parent = tempfile::tempdir().unwrap();
    let file = parent.path().join("elsewhere.db");
    let url = format!("sqlite://{}", file.display());
    let store = kith_store::open(Some(&url), Path::new("unused")).unwrap();
    assert_eq!(store.backend(), Backend::Sqlite);
    assert!(file.is_file());

    let err = kith_store::open(Some("mysql://localhost/kith"), parent.path()).unwrap_err();
    assert!(matches!(err, StoreError::UnsupportedUrl(_)), "{err}");

    if let Some(pg) = testing::postgres() {
        let store = kith_store::open(pg.database_url(), parent.path()).unwrap();
        assert_eq!(store.backend(), Backend::Postgres);
    }
}

#[test]
fn a_data_directory_that_cannot_be_created_is_named_in_the_error() {
    let parent = tempfile::tempdir().unwrap();
    let file = parent.path().join("a-file");
    std::fs::write(&file, "not a directory").unwrap();
    let err = kith_store::open(None, &file.join("kith-data")).unwrap_err();
    assert!(err.to_string().contains("a-file"), "{err}");
}
