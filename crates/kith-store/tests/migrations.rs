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

/// Turns a store's click table back into what kith wrote before migration 8 (times as
/// text, a `day` column), with `clicks` as `(member_id, visitor, clicked_at text)`.
fn as_before_compact_clicks(db_file: &Path, clicks: &[(i64, &str, &str)]) {
    let conn = rusqlite::Connection::open(db_file).unwrap();
    conn.execute_batch(
        "DROP TABLE clicks;
         CREATE TABLE clicks (
             id INTEGER NOT NULL PRIMARY KEY, member_id INTEGER NOT NULL,
             visitor TEXT NOT NULL, clicked_at TEXT NOT NULL, day TEXT NOT NULL,
             ip_hash TEXT, content_id INTEGER) STRICT;
         CREATE INDEX clicks_member ON clicks (member_id, clicked_at);
         CREATE INDEX clicks_visitor ON clicks (visitor, clicked_at);
         CREATE INDEX clicks_content ON clicks (content_id, member_id) WHERE content_id IS NOT NULL;
         DELETE FROM schema_migrations WHERE version = 8;",
    )
    .unwrap();
    for (member, visitor, at) in clicks {
        conn.execute(
            "INSERT INTO clicks (member_id, visitor, clicked_at, day) VALUES (?1, ?2, ?3, ?4)",
            rusqlite::params![member, visitor, at, &at[..10]],
        )
        .unwrap();
    }
}

#[test]
fn clicks_an_older_kith_stored_as_text_keep_their_exact_times_counts_and_attribution() {
    use kith_core::program::ProgramKind;
    use kith_store::programs::{Enrolment, FactSource, OrderFact, Receipt};
    use time::macros::datetime;

    let dir = tempfile::tempdir().unwrap();
    let store = kith_store::open(None, dir.path()).unwrap();
    import(
        &*store,
        [Record::Person(customer("c-1", "maya@example.com"))],
    );
    let p = store.programs();
    p.create_program(&crate::programs::program(
        "Affiliates",
        ProgramKind::Affiliate,
        Some("10%"),
    ))
    .unwrap();
    let maya = p
        .enroll("Affiliates", &[Enrolment::new("c-1")], crate::programs::T0)
        .unwrap()
        .remove(0);
    drop(store);
    as_before_compact_clicks(
        &dir.path().join("kith.db"),
        &[
            (maya.id, "v-1", "2026-06-02T09:30:00.123456Z"),
            (maya.id, "v-1", "2026-06-02T23:59:59.999999Z"),
            (maya.id, "v-1", "2026-06-03T00:00:00.000000Z"),
            (maya.id, "v-2", "2026-06-03T08:00:00.000001Z"),
        ],
    );

    let store = kith_store::open(None, dir.path()).unwrap();
    let conn = rusqlite::Connection::open(dir.path().join("kith.db")).unwrap();
    let times: Vec<i64> = conn
        .prepare("SELECT clicked_at FROM clicks ORDER BY id")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let micros = |t: time::OffsetDateTime| i64::try_from(t.unix_timestamp_nanos() / 1000).unwrap();
    assert_eq!(
        times,
        [
            micros(datetime!(2026-06-02 09:30:00.123456 UTC)),
            micros(datetime!(2026-06-02 23:59:59.999999 UTC)),
            micros(datetime!(2026-06-03 00:00 UTC)),
            micros(datetime!(2026-06-03 08:00:00.000001 UTC)),
        ]
    );
    let row = store
        .programs()
        .roi(Some("Affiliates"), false, datetime!(2026-06-04 00:00 UTC))
        .unwrap()
        .remove(0);
    assert_eq!(
        (row.clicks, row.unique_clicks),
        (4, 3),
        "v-1 on two days, v-2 once"
    );
    let days = store
        .programs()
        .activity("Affiliates", datetime!(2026-06-04 00:00 UTC))
        .unwrap();
    let clicks: Vec<(String, u64)> = days.iter().map(|d| (d.day.clone(), d.clicks)).collect();
    assert_eq!(clicks, [("2026-06-02".into(), 2), ("2026-06-03".into(), 2)]);

    // An order from v-2 finds the migrated click, inside the window.
    let receipt = store
        .programs()
        .receive_order(
            None,
            &OrderFact {
                order_id: "o-1".into(),
                source: FactSource::Webhook,
                placed_at: datetime!(2026-06-10 12:00 UTC),
                currency: "USD".into(),
                subtotal: kith_core::Money::from_minor(5_000),
                email: Some("buyer@example.com".into()),
                customer_id: None,
                discount_codes: Vec::new(),
                visitor: Some("v-2".into()),
                landing_code: None,
                ip_hash: None,
            },
            datetime!(2026-06-10 12:00 UTC),
        )
        .unwrap();
    assert!(matches!(receipt, Receipt::Attributed { .. }), "{receipt:?}");
}

#[test]
fn a_click_time_an_older_kith_could_not_have_written_fails_the_migration() {
    let dir = tempfile::tempdir().unwrap();
    drop(kith_store::open(None, dir.path()).unwrap());
    as_before_compact_clicks(
        &dir.path().join("kith.db"),
        &[(1, "v-1", "2026-06-02 09:30")],
    );
    assert!(kith_store::open(None, dir.path()).is_err());
    // Nothing was half-done: the old table and its row are still there.
    let conn = rusqlite::Connection::open(dir.path().join("kith.db")).unwrap();
    let kept: String = conn
        .query_row("SELECT clicked_at FROM clicks", [], |r| r.get(0))
        .unwrap();
    assert_eq!(kept, "2026-06-02 09:30");
}
