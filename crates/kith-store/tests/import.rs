//! Importing: one transaction per stream, upserts by natural key, all or nothing.

use kith_core::{Platform, Record};
use kith_store::testing::TestStore;
use kith_store::{ImportError, ImportReport, InputError, Status, store_tests};

use crate::fixtures::*;

fn every_kind_of_record() -> Vec<Record> {
    vec![
        Record::Person(full_person()),
        Record::Person(employee("e-1", "sam@fernwood.example")),
        Record::Profile(full_profile()),
        Record::Post(full_post()),
        Record::Post(post(Platform::Instagram, "maya.eats", "p-2")),
        Record::Review(review("r-1", Some("c-100"), None)),
        Record::Order(order("o-1", None, Some("maya@example.com"), 2_500)),
    ]
}

fn importing_writes_every_kind_and_reports_what_it_wrote(db: &TestStore) {
    let report = import(&**db, every_kind_of_record());
    assert_eq!(
        report,
        ImportReport {
            people: 2,
            profiles: 1,
            posts: 2,
            reviews: 1,
            orders: 1
        }
    );
    assert_eq!(
        db.status().unwrap(),
        Status {
            customers: 1,
            employees: 1,
            profiles: 1,
            posts: 2,
            reviews: 1,
            orders: 1,
            ..Status::default()
        }
    );
}

fn reimporting_the_same_records_updates_them_rather_than_duplicating(db: &TestStore) {
    import(&**db, every_kind_of_record());
    let before = db.status().unwrap();

    let mut renamed = full_person();
    renamed.last_name = Some("Okafor-Lee".into());
    let mut grown = full_profile();
    grown.followers = Some(13_000);
    let mut records = every_kind_of_record();
    records[0] = Record::Person(renamed);
    records[2] = Record::Profile(grown);
    import(&**db, records);

    assert_eq!(db.status().unwrap(), before);
    let population = db.population().unwrap();
    let maya = population.people.iter().find(|p| p.id == "c-100").unwrap();
    assert_eq!(maya.last_name.as_deref(), Some("Okafor-Lee"));
    assert_eq!(population.profiles[0].profile.followers, Some(13_000));
}

fn an_input_error_on_the_third_record_rolls_back_the_whole_stream(db: &TestStore) {
    import(&**db, [Record::Person(customer("c-1", "a@example.com"))]);
    let status = db.status().unwrap();
    let version = db.data_version().unwrap();

    let mut stream = vec![
        Ok(Record::Person(customer("c-2", "b@example.com"))),
        Ok(Record::Profile(profile(Platform::Tiktok, "bee", 900))),
        Err(InputError::from(
            "customers.csv:4: field \"email\": \"x\" is not an email address",
        )),
        Ok(Record::Person(customer("c-3", "c@example.com"))),
    ]
    .into_iter();
    let err = db.import(&mut stream).unwrap_err();

    match err {
        ImportError::Input(e) => assert!(e.to_string().starts_with("customers.csv:4:"), "{e}"),
        other => panic!("expected the input error, got {other:?}"),
    }
    assert_eq!(db.status().unwrap(), status);
    assert_eq!(db.data_version().unwrap(), version);
    assert_eq!(
        stream.next().map(|r| r.is_ok()),
        Some(true),
        "stops at the first error"
    );
}

fn a_persons_handles_replace_the_ones_imported_before(db: &TestStore) {
    import(&**db, [Record::Person(full_person())]);
    let mut moved = full_person();
    moved.handles.instagram = None;
    moved.handles.x = Some(handle("@MayaWrites"));
    import(&**db, [Record::Person(moved)]);

    let handles = &db.population().unwrap().people[0].handles;
    assert_eq!(handles.instagram, None);
    assert_eq!(handles.tiktok, Some(handle("mayaeats")));
    assert_eq!(handles.x, Some(handle("mayawrites")));
}

fn a_later_line_of_a_first_import_replaces_the_handles_of_an_earlier_one(db: &TestStore) {
    let mut moved = full_person();
    moved.handles.instagram = None;
    moved.handles.x = Some(handle("@MayaWrites"));
    let mut other = customer("c-2", "b@example.com");
    other.handles.tiktok = Some(handle("bee"));
    import(
        &**db,
        [
            Record::Person(full_person()),
            Record::Person(other),
            Record::Person(moved),
        ],
    );
    let people = db.population().unwrap().people;
    let maya = people.iter().find(|p| p.id == full_person().id).unwrap();
    assert_eq!(maya.handles.instagram, None);
    assert_eq!(maya.handles.tiktok, Some(handle("mayaeats")));
    assert_eq!(maya.handles.x, Some(handle("mayawrites")));
    let bee = people.iter().find(|p| p.id == "c-2").unwrap();
    assert_eq!(bee.handles.tiktok, Some(handle("bee")));
}

fn a_count_too_large_to_store_is_an_input_error_and_writes_nothing(db: &TestStore) {
    let mut huge = post(Platform::Youtube, "big", "v-1");
    huge.views = Some(u64::MAX);
    let mut stream = [
        Ok(Record::Person(customer("c-1", "a@example.com"))),
        Ok(Record::Post(huge)),
    ]
    .into_iter();
    match db.import(&mut stream).unwrap_err() {
        ImportError::Input(e) => {
            let message = e.to_string();
            assert!(
                message.contains("youtube/v-1") && message.contains("views"),
                "{message}"
            );
        }
        other => panic!("expected an input error, got {other:?}"),
    }
    assert_eq!(db.status().unwrap(), Status::default());
}

fn people_without_a_source_count_as_customers(db: &TestStore) {
    let mut unknown = customer("c-1", "a@example.com");
    unknown.source = None;
    import(
        &**db,
        [
            Record::Person(unknown),
            Record::Person(employee("e-1", "e@example.com")),
        ],
    );
    let status = db.status().unwrap();
    assert_eq!((status.customers, status.employees), (1, 1));
    assert_eq!(
        db.population().unwrap().people[0].source,
        None,
        "stored as given"
    );
}

fn tables_that_do_not_exist_yet_count_zero(db: &TestStore) {
    import(&**db, every_kind_of_record());
    let status = db.status().unwrap();
    assert_eq!(
        (
            status.programs,
            status.members,
            status.clicks,
            status.conversions
        ),
        (0, 0, 0, 0)
    );
}

fn a_record_repeated_in_one_stream_ends_as_its_last_version(db: &TestStore) {
    let first = full_person();
    let mut last = full_person();
    last.last_name = Some("Second".into());
    last.handles.instagram = None;
    last.handles.x = Some(handle("maya_x"));
    let mut grown = full_profile();
    grown.followers = Some(99);
    let report = import(
        &**db,
        [
            Record::Person(first),
            Record::Profile(full_profile()),
            Record::Person(last.clone()),
            Record::Profile(grown),
        ],
    );
    assert_eq!(
        (report.people, report.profiles),
        (2, 2),
        "every record written counts"
    );

    let population = db.population().unwrap();
    assert_eq!(population.people, [last]);
    assert_eq!(population.profiles.len(), 1);
    assert_eq!(population.profiles[0].profile.followers, Some(99));
}

/// More rows than a backend writes at once, with keys repeated within and across
/// batches, and a person's handles changing between batches.
fn a_large_import_keeps_the_last_version_of_every_key(db: &TestStore) {
    const ROWS: usize = 2_600;
    const KEYS: usize = 1_700;
    let records = (0..ROWS).flat_map(|i| {
        let key = i % KEYS;
        let mut person = customer(&format!("c-{key:05}"), &format!("p{key}@example.com"));
        person.last_name = Some(format!("v{i}"));
        let name = format!("user{key}");
        if i >= KEYS {
            person.handles.x = Some(handle(&name));
        } else {
            person.handles.instagram = Some(handle(&name));
        }
        let mut post = post(Platform::Tiktok, &name, &format!("{key}"));
        post.likes = Some(i as u64);
        [Record::Person(person), Record::Post(post)]
    });
    let report = import(&**db, records);
    assert_eq!((report.people, report.posts), (ROWS as u64, ROWS as u64));

    let status = db.status().unwrap();
    assert_eq!((status.customers, status.posts), (KEYS as u64, KEYS as u64));
    let population = db.population().unwrap();
    for (key, person) in population.people.iter().enumerate() {
        let last = if key + KEYS < ROWS { key + KEYS } else { key };
        assert_eq!(person.last_name, Some(format!("v{last}")), "{}", person.id);
        let moved = key + KEYS < ROWS;
        assert_eq!(person.handles.x.is_some(), moved, "{}", person.id);
        assert_eq!(person.handles.instagram.is_some(), !moved, "{}", person.id);
    }
}

store_tests!(
    a_record_repeated_in_one_stream_ends_as_its_last_version,
    a_large_import_keeps_the_last_version_of_every_key,
    importing_writes_every_kind_and_reports_what_it_wrote,
    reimporting_the_same_records_updates_them_rather_than_duplicating,
    an_input_error_on_the_third_record_rolls_back_the_whole_stream,
    a_persons_handles_replace_the_ones_imported_before,
    a_later_line_of_a_first_import_replaces_the_handles_of_an_earlier_one,
    a_count_too_large_to_store_is_an_input_error_and_writes_nothing,
    people_without_a_source_count_as_customers,
    tables_that_do_not_exist_yet_count_zero,
);
