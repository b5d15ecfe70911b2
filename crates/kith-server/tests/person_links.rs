//! The person page's linked profiles: what identity resolution proposes, and a
//! manager's Confirm / Reject, stored as `kith match --review` stores it.

use axum::http::StatusCode;
use kith_core::identity::Confirmation;
use kith_core::{Handle, Person, Platform, Profile, Record};
use kith_store::{InputError, Role, Store};

use crate::support::{App, Who, request};

/// Maya matches @maya.chen_92 by name only (waiting for review) and declared @maya.eats
/// (linked without review).
fn seed(store: &dyn Store) {
    let profile = |handle: &str| Profile {
        platform: Platform::Instagram,
        handle: Handle::parse(handle).unwrap(),
        user_id: None,
        display_name: None,
        bio: Some("coffee nerd".into()),
        followers: Some(4_200),
        following: None,
        posts_count: None,
        is_verified: None,
        is_private: None,
        has_profile_pic: None,
        external_url: None,
        fetched_at: None,
        follower_history: Vec::new(),
    };
    let mut maya = Person {
        id: "c-1".into(),
        email: Some("maya@example.com".into()),
        first_name: Some("Maya".into()),
        last_name: Some("Chen".into()),
        city: Some("Denver".into()),
        ..Person::default()
    };
    maya.handles.instagram = Handle::parse("maya.eats").ok();
    let records = [
        Record::Person(maya),
        Record::Profile(profile("maya.chen_92")),
        Record::Profile(profile("maya.eats")),
    ];
    store
        .import(&mut records.into_iter().map(Ok::<_, InputError>))
        .unwrap();
}

fn decision(handle: &str, accepted: bool) -> Confirmation {
    Confirmation {
        person_id: "c-1".into(),
        platform: Platform::Instagram,
        handle: Handle::parse(handle).unwrap(),
        accepted,
    }
}

const FORM: &str = "<form method=\"post\" action=\"/people/c-1/links\"";

#[tokio::test(flavor = "multi_thread")]
async fn a_manager_confirms_a_proposed_link_and_the_page_says_so() {
    let app = App::sqlite();
    seed(app.store());
    let manager = app.session(Role::Manager);

    let page = app.get(&manager, "/people/c-1").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("Linked profiles"), "{}", page.body);
    assert!(page.body.contains("Waiting for review"), "{}", page.body);
    assert!(page.body.contains("same name only"), "{}", page.body);
    assert!(page.body.contains(FORM), "managers get the buttons");

    let reply = app
        .post_form(
            &manager,
            "/people/c-1/links",
            &[
                ("platform", "instagram"),
                ("handle", "maya.chen_92"),
                ("decision", "confirm"),
            ],
        )
        .await;
    let after = app.follow(&manager, &reply).await;
    assert!(
        after
            .body
            .contains("Confirmed: instagram @maya.chen_92 is Maya Chen&#x27;s."),
        "{}",
        after.body
    );
    assert!(!after.body.contains("Waiting for review"), "{}", after.body);
    assert_eq!(
        app.store().confirmations().unwrap(),
        [decision("maya.chen_92", true)]
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_manager_rejects_a_declared_handle_and_it_shows_as_rejected() {
    let app = App::sqlite();
    seed(app.store());
    let manager = app.session(Role::Manager);
    let reply = app
        .post_form(
            &manager,
            "/people/c-1/links",
            &[
                ("platform", "instagram"),
                ("handle", "@Maya.Eats"),
                ("decision", "reject"),
            ],
        )
        .await;
    let after = app.follow(&manager, &reply).await;
    assert!(
        after.body.contains("Rejected: instagram @maya.eats"),
        "{}",
        after.body
    );
    assert!(
        after.body.contains("rejected by a person"),
        "{}",
        after.body
    );
    assert_eq!(
        app.store().confirmations().unwrap(),
        [decision("maya.eats", false)]
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_viewer_sees_the_links_without_buttons_and_may_not_decide() {
    let app = App::sqlite();
    seed(app.store());
    let viewer = app.session(Role::Viewer);
    let page = app.get(&viewer, "/people/c-1").await;
    assert!(page.body.contains("Waiting for review"), "{}", page.body);
    assert!(!page.body.contains(FORM), "no buttons for viewers");

    let reply = app
        .post_form(
            &viewer,
            "/people/c-1/links",
            &[
                ("platform", "instagram"),
                ("handle", "maya.chen_92"),
                ("decision", "confirm"),
            ],
        )
        .await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    assert!(app.store().confirmations().unwrap().is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_decision_without_the_csrf_token_is_refused_and_stores_nothing() {
    let app = App::sqlite();
    seed(app.store());
    let manager = app.session(Role::Manager);
    let Who::Session { cookie, .. } = &manager else {
        unreachable!()
    };
    let forged = Who::Session {
        cookie: cookie.clone(),
        csrf: String::new(),
    };
    let body = "platform=instagram&handle=maya.chen_92&decision=confirm".to_owned();
    let reply = app
        .send(request("POST", "/people/c-1/links", &forged, Some(body)))
        .await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    assert!(app.store().confirmations().unwrap().is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_decision_that_is_neither_confirm_nor_reject_or_about_an_unknown_profile_stores_nothing()
{
    let app = App::sqlite();
    seed(app.store());
    let manager = app.session(Role::Manager);
    let post = |handle: &'static str, decision: &'static str| {
        let manager = manager.clone();
        let app = &app;
        async move {
            app.post_form(
                &manager,
                "/people/c-1/links",
                &[
                    ("platform", "instagram"),
                    ("handle", handle),
                    ("decision", decision),
                ],
            )
            .await
        }
    };
    assert_eq!(
        post("maya.chen_92", "maybe").await.status,
        StatusCode::BAD_REQUEST
    );
    let unknown = post("nobody.here", "confirm").await;
    let page = app.follow(&manager, &unknown).await;
    assert!(
        page.body
            .contains("Nothing stored: no instagram @nobody.here profile was imported."),
        "{}",
        page.body
    );
    let missing = app
        .post_form(
            &manager,
            "/people/c-404/links",
            &[
                ("platform", "instagram"),
                ("handle", "maya.chen_92"),
                ("decision", "confirm"),
            ],
        )
        .await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert!(app.store().confirmations().unwrap().is_empty());
}
