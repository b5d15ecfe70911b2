//! People's decisions on person ↔ profile links: kept, replaced, handed to scoring.

use kith_core::identity::{Confirmation, LinkReason};
use kith_core::{Platform, Record};
use kith_store::store_tests;
use kith_store::testing::TestStore;

use crate::fixtures::*;

fn decision(person: &str, platform: Platform, name: &str, accepted: bool) -> Confirmation {
    Confirmation {
        person_id: person.into(),
        platform,
        handle: handle(name),
        accepted,
    }
}

fn decisions_are_kept_sorted_and_reach_the_population(db: &TestStore) {
    let saved = [
        decision("c-2", Platform::X, "ana", false),
        decision("c-10", Platform::Tiktok, "bee", true),
        decision("c-10", Platform::Instagram, "bee", true),
    ];
    assert_eq!(db.save_confirmations(&saved, "cli").unwrap(), 3);

    let expected = [
        decision("c-10", Platform::Instagram, "bee", true),
        decision("c-10", Platform::Tiktok, "bee", true),
        decision("c-2", Platform::X, "ana", false),
    ];
    assert_eq!(db.confirmations().unwrap(), expected);
    assert_eq!(db.population().unwrap().confirmations, expected);
    assert_eq!(db.identity_inputs().unwrap().confirmations, expected);
}

fn a_later_decision_replaces_the_earlier_one(db: &TestStore) {
    db.save_confirmations(&[decision("c-1", Platform::X, "ana", true)], "cli")
        .unwrap();
    db.save_confirmations(&[decision("c-1", Platform::X, "ana", false)], "a@b.example")
        .unwrap();
    assert_eq!(
        db.confirmations().unwrap(),
        [decision("c-1", Platform::X, "ana", false)]
    );
}

fn a_decision_makes_scores_stale_but_repeating_it_does_not(db: &TestStore) {
    let start = db.data_version().unwrap();
    let confirm = [decision("c-1", Platform::X, "ana", true)];
    assert_eq!(db.save_confirmations(&confirm, "cli").unwrap(), 1);
    assert_eq!(db.data_version().unwrap(), start + 1);
    assert_eq!(db.save_confirmations(&confirm, "cli").unwrap(), 0);
    assert_eq!(db.data_version().unwrap(), start + 1, "nothing changed");
    db.save_confirmations(&[], "cli").unwrap();
    assert_eq!(db.data_version().unwrap(), start + 1);
}

fn identity_inputs_hold_people_with_handles_and_profiles_without_posts(db: &TestStore) {
    let mut maya = customer("c-1", "maya@example.com");
    maya.handles.instagram = Some(handle("maya.eats"));
    import(
        &**db,
        [
            Record::Profile(profile(Platform::Tiktok, "zed", 10)),
            Record::Person(maya.clone()),
            Record::Profile(profile(Platform::Instagram, "maya.eats", 10)),
            Record::Post(post(Platform::Instagram, "maya.eats", "p1")),
        ],
    );
    let inputs = db.identity_inputs().unwrap();
    assert_eq!(inputs.people, [maya]);
    let profiles: Vec<String> = inputs
        .profiles
        .iter()
        .map(|p| format!("{}/{}", p.platform, p.handle))
        .collect();
    assert_eq!(profiles, ["instagram/maya.eats", "tiktok/zed"]);

    let resolution = inputs.resolve();
    assert_eq!(resolution.links.len(), 1);
    assert_eq!(resolution.links[0].reason, LinkReason::DeclaredHandle);
}

fn a_rejected_declared_handle_is_no_longer_linked(db: &TestStore) {
    let mut maya = customer("c-1", "maya@example.com");
    maya.handles.instagram = Some(handle("maya.eats"));
    import(
        &**db,
        [
            Record::Person(maya),
            Record::Profile(profile(Platform::Instagram, "maya.eats", 10)),
        ],
    );
    db.save_confirmations(
        &[decision("c-1", Platform::Instagram, "maya.eats", false)],
        "cli",
    )
    .unwrap();
    assert!(db.identity_inputs().unwrap().resolve().links.is_empty());
}

fn the_identity_summary_is_kept_for_the_data_version_it_was_computed_from(db: &TestStore) {
    let mut maya = customer("c-1", "maya@example.com");
    maya.handles.instagram = Some(handle("maya.eats"));
    import(
        &**db,
        [
            Record::Person(maya),
            Record::Person(customer("c-2", "ana@example.com")),
            Record::Profile(profile(Platform::Instagram, "maya.eats", 10)),
        ],
    );
    assert_eq!(db.identity_summary().unwrap(), None, "nothing computed yet");
    let inputs = db.identity_inputs().unwrap();
    assert_eq!(inputs.data_version, db.data_version().unwrap());
    let summary = inputs.summary(&inputs.resolve());
    assert_eq!(
        (
            summary.matched_customers,
            summary.matched_employees,
            summary.to_review
        ),
        (1, 0, 0)
    );
    assert!(db.save_identity_summary(&summary).unwrap());
    assert_eq!(db.identity_summary().unwrap(), Some(summary));

    // A decision moves the data on: the summary is stale, and stays unsaved.
    db.save_confirmations(
        &[decision("c-1", Platform::Instagram, "maya.eats", false)],
        "cli",
    )
    .unwrap();
    assert_eq!(db.identity_summary().unwrap(), None);
    assert!(!db.save_identity_summary(&summary).unwrap());
    let inputs = db.identity_inputs().unwrap();
    let fresh = inputs.summary(&inputs.resolve());
    assert_eq!(fresh.matched_customers, 0);
    assert!(db.save_identity_summary(&fresh).unwrap());
    assert_eq!(db.identity_summary().unwrap(), Some(fresh));
}

store_tests!(
    the_identity_summary_is_kept_for_the_data_version_it_was_computed_from,
    decisions_are_kept_sorted_and_reach_the_population,
    a_later_decision_replaces_the_earlier_one,
    a_decision_makes_scores_stale_but_repeating_it_does_not,
    identity_inputs_hold_people_with_handles_and_profiles_without_posts,
    a_rejected_declared_handle_is_no_longer_linked,
);
