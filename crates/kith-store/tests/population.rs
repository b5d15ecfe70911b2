//! What scoring reads: complete records, in one order on every backend.

use kith_core::{Money, Platform, PurchaseTotals, Record};
use kith_store::store_tests;
use kith_store::testing::{self, TestStore};
use time::macros::datetime;

use crate::fixtures::*;

fn population_is_sorted_by_key_whatever_the_import_order(db: &TestStore) {
    import(
        &**db,
        [
            Record::Post(post(Platform::X, "ana", "9")),
            Record::Person(customer("c-2", "b@example.com")),
            Record::Profile(profile(Platform::X, "ana", 10)),
            Record::Profile(profile(Platform::Youtube, "zed", 10)),
            Record::Post(post(Platform::Instagram, "zoe", "b")),
            Record::Profile(profile(Platform::Instagram, "zoe", 10)),
            Record::Person(customer("C-3", "c@example.com")),
            Record::Profile(profile(Platform::Instagram, "bob", 10)),
            Record::Post(post(Platform::Instagram, "zoe", "a")),
            Record::Person(customer("c-10", "a@example.com")),
            Record::Post(post(Platform::X, "ana", "10")),
        ],
    );
    let population = db.population().unwrap();

    let ids: Vec<&str> = population.people.iter().map(|p| p.id.as_str()).collect();
    assert_eq!(
        ids,
        ["C-3", "c-10", "c-2"],
        "by bytes: upper case first, no natural sort"
    );
    let profiles: Vec<String> = population
        .profiles
        .iter()
        .map(|pp| format!("{}/{}", pp.profile.platform, pp.profile.handle))
        .collect();
    assert_eq!(
        profiles,
        ["instagram/bob", "instagram/zoe", "youtube/zed", "x/ana"]
    );
    let post_ids = |i: usize| -> Vec<&str> {
        population.profiles[i]
            .posts
            .iter()
            .map(|p| p.post_id.as_str())
            .collect()
    };
    assert_eq!(post_ids(0), Vec::<&str>::new());
    assert_eq!(post_ids(1), ["a", "b"]);
    assert_eq!(post_ids(3), ["10", "9"]);
}

fn records_come_back_field_for_field_with_timestamps_in_utc_microseconds(db: &TestStore) {
    let maya = full_person();
    let profile = full_profile();
    let post = full_post();
    import(
        &**db,
        [
            Record::Person(maya.clone()),
            Record::Profile(profile.clone()),
            Record::Post(post.clone()),
        ],
    );
    let population = db.population().unwrap();

    assert_eq!(population.people, [maya]);
    let stored = &population.profiles[0];
    let fetched = stored.profile.fetched_at.unwrap();
    assert_eq!(fetched, datetime!(2026-02-01 09:30:00.123456 UTC));
    assert_eq!(fetched.offset(), time::UtcOffset::UTC);
    assert_eq!(
        stored.profile,
        kith_core::Profile {
            fetched_at: Some(fetched),
            ..profile
        }
    );
    assert_eq!(
        stored.posts[0].posted_at,
        Some(datetime!(2026-01-21 07:59:59.999999 UTC))
    );
    assert_eq!(
        stored.posts[0],
        kith_core::Post {
            posted_at: stored.posts[0].posted_at,
            ..post
        }
    );
}

fn reviews_link_to_people_by_id_then_email_and_the_rest_are_left_out(db: &TestStore) {
    import(
        &**db,
        [
            // An employee shares the address and sorts first; the customer is preferred.
            Record::Person(customer("m-1", "maya@example.com")),
            Record::Person(employee("e-1", "maya@example.com")),
            Record::Person(employee("e-2", "sam@example.com")),
            Record::Review(review("r-1", Some("e-2"), Some("maya@example.com"))),
            Record::Review(review("r-2", None, Some("maya@example.com"))),
            Record::Review(review("r-3", None, Some("stranger@example.com"))),
            Record::Review(review("r-4", Some("gone"), Some("sam@example.com"))),
            Record::Review(review("r-5", Some("gone"), None)),
        ],
    );
    let linked: Vec<(String, Option<String>)> = db
        .population()
        .unwrap()
        .reviews
        .into_iter()
        .map(|r| (r.id, r.person_id))
        .collect();
    assert_eq!(
        linked,
        [
            ("r-1".to_owned(), Some("e-2".to_owned())),
            ("r-2".to_owned(), Some("m-1".to_owned())),
            ("r-4".to_owned(), Some("e-2".to_owned())),
        ]
    );
}

fn purchases_sum_order_subtotals_per_person_linked_by_id_or_email(db: &TestStore) {
    import(
        &**db,
        [
            Record::Person(customer("c-2", "bo@example.com")),
            Record::Person(customer("c-1", "maya@example.com")),
            Record::Order(order("o-1", Some("c-1"), None, 2_500)),
            Record::Order(order("o-2", None, Some("maya@example.com"), 1_050)),
            Record::Order(order("o-3", None, Some("bo@example.com"), 99)),
            Record::Order(order("o-4", None, Some("nobody@example.com"), 10_000)),
            Record::Order(order("o-5", None, None, 10_000)),
        ],
    );
    assert_eq!(
        db.population().unwrap().purchases,
        [
            PurchaseTotals {
                person_id: "c-1".into(),
                orders: 2,
                spent: Money::from_minor(3_550)
            },
            PurchaseTotals {
                person_id: "c-2".into(),
                orders: 1,
                spent: Money::from_minor(99)
            },
        ]
    );
}

store_tests!(
    population_is_sorted_by_key_whatever_the_import_order,
    records_come_back_field_for_field_with_timestamps_in_utc_microseconds,
    reviews_link_to_people_by_id_then_email_and_the_rest_are_left_out,
    purchases_sum_order_subtotals_per_person_linked_by_id_or_email,
);

/// A varied data set, imported in an order unlike the sorted one.
fn mixed_records() -> Vec<Record> {
    let mut records = vec![
        Record::Person(full_person()),
        Record::Profile(full_profile()),
        Record::Post(full_post()),
    ];
    for i in (0..40).rev() {
        let id = format!("c-{i}");
        let email = format!("p{}@example.com", i % 7);
        let mut person = if i % 5 == 0 {
            employee(&id, &email)
        } else {
            customer(&id, &email)
        };
        person.tags = vec![format!("t{i}")];
        person.handles.tiktok = Some(handle(&format!("user{i}")));
        records.push(Record::Person(person));
        let platform = Platform::ALL[i % 4];
        let mut p = profile(platform, &format!("User{i}"), 500 + 97 * i as u64);
        p.fetched_at = Some(datetime!(2026-03-01 00:00:00.000000999 +05:30));
        records.push(Record::Profile(p));
        for n in 0..3 {
            let mut post = post(platform, &format!("user{i}"), &format!("{i}-{n}"));
            post.caption = Some(format!("caption {i} {n} ✨"));
            records.push(Record::Post(post));
        }
        records.push(Record::Review(review(
            &format!("r-{i}"),
            None,
            Some(&email),
        )));
        records.push(Record::Order(order(
            &format!("o-{i}"),
            None,
            Some(&email),
            100 * i as i64,
        )));
    }
    records
}

#[test]
fn sqlite_and_postgresql_give_byte_identical_populations() {
    let Some(pg) = testing::postgres() else {
        return;
    };
    let lite = testing::sqlite();
    import(&*pg, mixed_records());
    import(&*lite, mixed_records());

    let from_pg = format!("{:#?}", pg.population().unwrap());
    let from_lite = format!("{:#?}", lite.population().unwrap());
    assert!(from_pg.len() > 10_000, "the data set is not trivial");
    assert_eq!(from_pg, from_lite);
}
