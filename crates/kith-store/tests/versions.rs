//! `data_version` tells computed scores when they are stale; the brand is kept as text.

use kith_core::{Platform, Record};
use kith_store::testing::TestStore;
use kith_store::{InputError, store_tests};

use crate::fixtures::*;

fn data_version_bumps_on_every_import_that_writes(db: &TestStore) {
    let start = db.data_version().unwrap();
    import(&**db, [Record::Person(customer("c-1", "a@example.com"))]);
    assert_eq!(db.data_version().unwrap(), start + 1);
    import(&**db, [Record::Person(customer("c-1", "a@example.com"))]);
    assert_eq!(
        db.data_version().unwrap(),
        start + 2,
        "a re-import may change values"
    );
}

fn an_empty_or_failed_import_leaves_data_version_alone(db: &TestStore) {
    import(
        &**db,
        [Record::Profile(profile(Platform::Tiktok, "bee", 10))],
    );
    let version = db.data_version().unwrap();
    import(&**db, []);
    let mut failing = [Err(InputError::from("bad line"))].into_iter();
    assert!(db.import(&mut failing).is_err());
    assert_eq!(db.data_version().unwrap(), version);
}

fn the_brand_round_trips_and_a_change_bumps_data_version(db: &TestStore) {
    assert_eq!(db.brand().unwrap(), None);
    let start = db.data_version().unwrap();
    let toml = "name = \"Fernwood Coffee\"\nhashtags = [\"#fernwood\"]\n";
    db.set_brand(toml).unwrap();
    assert_eq!(db.brand().unwrap().as_deref(), Some(toml));
    assert_eq!(db.data_version().unwrap(), start + 1);

    db.set_brand(toml).unwrap();
    assert_eq!(
        db.data_version().unwrap(),
        start + 1,
        "the same brand changes nothing"
    );

    db.set_brand("name = \"Fernwood\"\n").unwrap();
    assert_eq!(
        db.brand().unwrap().as_deref(),
        Some("name = \"Fernwood\"\n")
    );
    assert_eq!(db.data_version().unwrap(), start + 2);
}

fn scoring_does_not_change_data_version(db: &TestStore) {
    import(&**db, [Record::Person(customer("c-1", "a@example.com"))]);
    let version = db.data_version().unwrap();
    db.replace_candidates(&[candidate(Platform::X, "zed", None, 1.0)], version)
        .unwrap();
    assert_eq!(db.data_version().unwrap(), version);
    assert_eq!(db.scored_version().unwrap(), Some(version));
}

store_tests!(
    data_version_bumps_on_every_import_that_writes,
    an_empty_or_failed_import_leaves_data_version_alone,
    the_brand_round_trips_and_a_change_bumps_data_version,
    scoring_does_not_change_data_version,
);
