//! A member's lifecycle from the program page: a manager activates, pauses and removes
//! members as kith-core allows; a removed member's link answers 404 at once and their
//! code no longer earns.

use axum::http::StatusCode;
use kith_core::program::MemberStatus;
use kith_core::program::code::ReferralCode;
use kith_store::Role;
use kith_store::programs::{Enrolment, Receipt};
use time::OffsetDateTime;

use crate::support::{App, Who, order_with_code};
use crate::tracking::{BROWSER, app_for, click, done, stores, sync};

/// The id of the seeded program, "Spring Affiliates".
pub fn program_id(app: &App, name: &str) -> i64 {
    sync(|| app.store().programs().program(name).unwrap().unwrap().id)
}

/// A second program, "Other", made by `manager` from the Programs page; its id. A form
/// aimed at a member through it must not reach the member's own program.
pub async fn another_program(app: &App, manager: &Who) -> i64 {
    let other = app
        .post_form(
            manager,
            "/programs",
            &[("name", "Other"), ("kind", "ambassador")],
        )
        .await;
    assert_eq!(other.status, StatusCode::SEE_OTHER);
    program_id(app, "Other")
}

/// `manager` removes the member `code` of program `id` from its page.
pub async fn remove(app: &App, manager: &Who, id: i64, code: &str) {
    let removed = app
        .post_form(
            manager,
            &format!("/programs/{id}/members/{code}/status"),
            &[("status", "removed")],
        )
        .await;
    assert_eq!(removed.status, StatusCode::SEE_OTHER, "{}", removed.body);
}

fn status_of(app: &App, code: &str) -> MemberStatus {
    sync(|| {
        app.store()
            .programs()
            .members(None)
            .unwrap()
            .into_iter()
            .find(|m| m.code.as_str() == code)
            .unwrap()
            .status
    })
}

#[tokio::test(flavor = "multi_thread")]
async fn a_manager_moves_a_member_invited_active_paused_and_removed() {
    let app = app_for(kith_store::testing::sqlite());
    sync(|| {
        let mut e = Enrolment::new("c-3");
        e.status = MemberStatus::Invited;
        e.code = Some(ReferralCode::parse("ZOE10").unwrap());
        crate::portal::add_person(app.store(), "c-3", "Zoe");
        app.store()
            .programs()
            .enroll("Spring Affiliates", &[e], OffsetDateTime::now_utc())
            .unwrap();
    });
    let id = program_id(&app, "Spring Affiliates");
    let manager = sync(|| app.session(Role::Manager));
    let path = format!("/programs/{id}/members/ZOE10/status");

    let page = app.get(&manager, &format!("/programs/{id}")).await;
    assert!(
        page.body.contains(&format!("action=\"{path}\"")),
        "{}",
        page.body
    );

    // Invited cannot be paused: the page says so and nothing changes.
    let refused = app
        .post_form(&manager, &path, &[("status", "paused")])
        .await;
    let shown = app.follow(&manager, &refused).await;
    assert!(shown.body.contains("was not changed"), "{}", shown.body);
    assert_eq!(status_of(&app, "ZOE10"), MemberStatus::Invited);

    for (to, expected) in [
        ("active", MemberStatus::Active),
        ("paused", MemberStatus::Paused),
        ("active", MemberStatus::Active),
        ("removed", MemberStatus::Removed),
    ] {
        let reply = app.post_form(&manager, &path, &[("status", to)]).await;
        let shown = app.follow(&manager, &reply).await;
        assert!(
            shown.body.contains(&format!("is now {to}")),
            "{}",
            shown.body
        );
        assert_eq!(status_of(&app, "ZOE10"), expected);
    }
    // Removal is final.
    let back = app
        .post_form(&manager, &path, &[("status", "active")])
        .await;
    app.follow(&manager, &back).await;
    assert_eq!(status_of(&app, "ZOE10"), MemberStatus::Removed);
    done(app);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_removed_members_link_answers_404_at_once_and_their_code_stops_earning() {
    for db in stores() {
        let app = app_for(db);
        let id = program_id(&app, "Spring Affiliates");
        let manager = sync(|| app.session(Role::Manager));
        // The link works, and the redirect has cached it.
        let before = app.send(click("/r/MAYA10", Some(BROWSER))).await;
        assert_eq!(before.status, StatusCode::FOUND);

        let reply = app
            .post_form(
                &manager,
                &format!("/programs/{id}/members/MAYA10/status"),
                &[("status", "removed")],
            )
            .await;
        assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
        let after = app.send(click("/r/maya10", Some(BROWSER))).await;
        assert_eq!(after.status, StatusCode::NOT_FOUND, "no 5 s grace");

        let receipt = sync(|| {
            app.store()
                .programs()
                .receive_order(
                    None,
                    &order_with_code("after-removal", "MAYA10", 5_000),
                    OffsetDateTime::now_utc(),
                )
                .unwrap()
        });
        assert_eq!(
            receipt,
            Receipt::Stored,
            "a removed code attributes nothing"
        );
        // Leo, untouched, still earns.
        let leo = sync(|| {
            app.store()
                .programs()
                .receive_order(
                    None,
                    &order_with_code("leo-order", "LEO10", 5_000),
                    OffsetDateTime::now_utc(),
                )
                .unwrap()
        });
        assert!(matches!(leo, Receipt::Attributed { .. }), "{leo:?}");
        done(app);
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_status_form_cannot_reach_a_member_of_another_program_or_be_sent_by_a_viewer() {
    let app = app_for(kith_store::testing::sqlite());
    let manager = sync(|| app.session(Role::Manager));
    let other_id = another_program(&app, &manager).await;
    let reply = app
        .post_form(
            &manager,
            &format!("/programs/{other_id}/members/MAYA10/status"),
            &[("status", "paused")],
        )
        .await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    assert_eq!(status_of(&app, "MAYA10"), MemberStatus::Active);

    let id = program_id(&app, "Spring Affiliates");
    let viewer = sync(|| app.session(Role::Viewer));
    let page = app.get(&viewer, &format!("/programs/{id}")).await;
    assert!(
        !page.body.contains("/status\""),
        "no status forms for a viewer"
    );
    let refused = app
        .post_form(
            &viewer,
            &format!("/programs/{id}/members/MAYA10/status"),
            &[("status", "paused")],
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert_eq!(status_of(&app, "MAYA10"), MemberStatus::Active);
    done(app);
}
