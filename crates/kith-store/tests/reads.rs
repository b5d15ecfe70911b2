//! What the dashboard reads about one person and about the whole brand, bounded.

use kith_core::{CandidateQuery, Platform, Record, TierBands};
use kith_store::testing::TestStore;
use kith_store::{Refinement, store_tests};
use time::macros::datetime;

use crate::fixtures::*;

fn maya(db: &TestStore) {
    let mut person = customer("c-1", "maya@example.com");
    person.handles.instagram = Some(handle("maya.eats"));
    let mut older = full_post();
    older.post_id = "p-0".into();
    older.posted_at = Some(datetime!(2025-06-01 10:00 UTC));
    import(
        &**db,
        [
            Record::Person(person),
            Record::Person(customer("c-2", "other@example.com")),
            Record::Profile(full_profile()),
            Record::Post(older),
            Record::Post(full_post()),
            Record::Review(review("r-1", None, Some("maya@example.com"))),
            Record::Review(review("r-2", Some("c-2"), None)),
            Record::Order(order("o-1", Some("c-1"), None, 2_500)),
            Record::Order(order("o-2", None, Some("maya@example.com"), 1_000)),
            Record::Order(order("o-3", None, Some("other@example.com"), 9_000)),
        ],
    );
}

fn a_person_comes_with_profiles_posts_reviews_and_orders(db: &TestStore) {
    maya(db);
    let mut rows = vec![candidate(
        Platform::Instagram,
        "maya.eats",
        Some("c-1"),
        70.0,
    )];
    rows.push(candidate(Platform::Tiktok, "someone", None, 90.0));
    db.replace_candidates(&rows, 1).unwrap();

    let view = db.person("c-1").unwrap().expect("c-1 exists");
    assert_eq!(
        view.person.handles.instagram.as_ref().map(|h| h.as_str()),
        Some("maya.eats")
    );
    assert_eq!(view.profiles.len(), 1);
    assert_eq!(view.scores.len(), 1, "only the person's own rows");
    assert_eq!(view.scores[0].rank, 1);
    assert!(db.person("nobody").unwrap().is_none());

    let posts = db.posts(Platform::Instagram, "maya.eats", 10).unwrap();
    let ids: Vec<&str> = posts.iter().map(|p| p.post_id.as_str()).collect();
    assert_eq!(ids, ["p-1", "p-0"], "newest first");
    assert_eq!(
        db.posts(Platform::Instagram, "maya.eats", 1).unwrap().len(),
        1,
        "bounded"
    );

    let reviews = db.person_reviews("c-1", 10).unwrap();
    assert_eq!(
        reviews.iter().map(|r| r.id.as_str()).collect::<Vec<_>>(),
        ["r-1"],
        "linked by email"
    );
    let orders = db.person_orders("c-1", 10).unwrap();
    let mut ids: Vec<&str> = orders.iter().map(|o| o.id.as_str()).collect();
    ids.sort();
    assert_eq!(ids, ["o-1", "o-2"], "by id and by email, not another's");
}

fn people_and_profiles_come_in_pages_with_totals(db: &TestStore) {
    maya(db);
    let (page, total) = db.people(None, 1, 0).unwrap();
    assert_eq!(total, 2);
    assert_eq!(page.len(), 1);
    assert_eq!(page[0].id, "c-1");
    assert!(page[0].handles.instagram.is_some(), "with handles");
    let (second, _) = db.people(None, 1, 1).unwrap();
    assert_eq!(second[0].id, "c-2");
    let (employees, none) = db
        .people(Some(kith_core::PersonSource::Employee), 10, 0)
        .unwrap();
    assert!(employees.is_empty());
    assert_eq!(none, 0);
    let (profiles, total) = db.profiles(Some(Platform::Instagram), 10, 0).unwrap();
    assert_eq!((profiles.len(), total), (1, 1));
    assert_eq!(db.profiles(Some(Platform::X), 10, 0).unwrap().1, 0);
}

fn the_overview_counts_own_people_by_band_and_platform(db: &TestStore) {
    let mut low = candidate(Platform::Instagram, "low", Some("c-1"), 50.0);
    low.followers = Some(2_000);
    let mut high = candidate(Platform::Instagram, "high", Some("c-2"), 50.0);
    high.followers = Some(20_000);
    high.brand_sentiment = Some(10.0);
    let mut tiktok = candidate(Platform::Tiktok, "tt", Some("c-1"), 50.0);
    tiktok.followers = Some(500);
    let stranger = candidate(Platform::Instagram, "stranger", None, 50.0);
    db.replace_candidates(&[low, high, tiktok, stranger], 1)
        .unwrap();

    let o = db.overview(&TierBands::default(), 25.0).unwrap();
    assert_eq!(
        o.by_band,
        [
            (Platform::Instagram, "micro_high".to_owned(), 1),
            (Platform::Instagram, "micro_low".to_owned(), 1),
            (Platform::Tiktok, "nano".to_owned(), 1),
        ]
    );
    assert_eq!(o.matched_profiles, 3, "the stranger is no one's");
    assert_eq!(o.brand_lovers, 1, "c-1 has sentiment 40, c-2 only 10");

    let points = db.scatter(2).unwrap();
    assert!(
        (1..=2).contains(&points.len()),
        "sampled down to at most the maximum"
    );
    assert!(db.scatter(100).unwrap().len() == 3);
}

fn refinements_narrow_by_followers_and_brand_love(db: &TestStore) {
    let mut a = candidate(Platform::Instagram, "a", Some("c-1"), 50.0);
    a.followers = Some(2_000);
    let mut b = candidate(Platform::Instagram, "b", Some("c-2"), 60.0);
    b.followers = Some(20_000);
    b.brand_sentiment = None;
    db.replace_candidates(&[a, b], 1).unwrap();
    let q = CandidateQuery::default();
    let band = Refinement {
        min_followers: Some(1_000),
        max_followers: Some(10_000),
        ..Refinement::default()
    };
    let found = db.refined_candidates(&q, &band).unwrap();
    assert_eq!(
        found.iter().map(|c| c.handle.as_str()).collect::<Vec<_>>(),
        ["a"]
    );
    let lovers = Refinement {
        min_brand_sentiment: Some(25.0),
        ..Refinement::default()
    };
    assert_eq!(db.count_refined_candidates(&q, &lovers).unwrap(), 1);
    assert_eq!(
        db.count_refined_candidates(&q, &Refinement::default())
            .unwrap(),
        2
    );
}

store_tests!(
    a_person_comes_with_profiles_posts_reviews_and_orders,
    people_and_profiles_come_in_pages_with_totals,
    the_overview_counts_own_people_by_band_and_platform,
    refinements_narrow_by_followers_and_brand_love,
);
