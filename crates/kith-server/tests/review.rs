//! Flagged orders on the program page: listed with their reasons in words, approved or
//! rejected by a manager — never by a viewer, never through another program's page.

use axum::http::StatusCode;
use kith_store::Role;
use kith_store::programs::{Receipt, ReviewState};
use time::OffsetDateTime;

use crate::lifecycle::{another_program, program_id};
use crate::support::{App, order_with_code};
use crate::tracking::{app_for, done, stores, sync};

/// Maya buys with her own code (a self-referral, held for review) and Leo's code brings
/// an order from a stranger (clean).
fn with_orders(app: &App) {
    sync(|| {
        let p = app.store().programs();
        let now = OffsetDateTime::now_utc();
        let mut own = order_with_code("maya-self-1", "MAYA10", 4_200);
        own.email = Some("maya@example.com".into());
        let held = p.receive_order(None, &own, now).unwrap();
        assert!(matches!(held, Receipt::Attributed { .. }), "{held:?}");
        p.receive_order(None, &order_with_code("leo-fan-1", "LEO10", 9_900), now)
            .unwrap();
    });
}

/// Maya's commission in the program's report.
fn mayas_commission(app: &App) -> kith_core::Money {
    let rows = sync(|| {
        app.store()
            .programs()
            .roi(Some("Spring Affiliates"), true, OffsetDateTime::now_utc())
            .unwrap()
    });
    rows.iter()
        .find(|r| r.code.as_ref().is_some_and(|c| c.as_str() == "MAYA10"))
        .unwrap()
        .commission
}

fn review_of(app: &App, order: &str) -> ReviewState {
    sync(|| {
        app.store()
            .programs()
            .conversions(None, None)
            .unwrap()
            .into_iter()
            .find(|c| c.order_id == order)
            .unwrap()
            .review
    })
}

#[tokio::test(flavor = "multi_thread")]
async fn a_manager_sees_why_an_order_was_flagged_and_approves_or_rejects_it() {
    for db in stores() {
        let app = app_for(db);
        with_orders(&app);
        let id = program_id(&app, "Spring Affiliates");
        let manager = sync(|| app.session(Role::Manager));
        let list = app.get(&manager, "/programs").await;
        assert!(list.body.contains("1 to review"), "{}", list.body);
        let page = app.get(&manager, &format!("/programs/{id}")).await;
        assert!(
            page.body.contains("Orders waiting for review (1)"),
            "{}",
            page.body
        );
        assert!(page.body.contains("maya-self-1"), "{}", page.body);
        assert!(page.body.contains("self-referral"), "{}", page.body);
        assert!(
            !page.body.contains("leo-fan-1"),
            "a clean order is not listed"
        );

        assert_eq!(
            mayas_commission(&app),
            kith_core::Money::from_minor(0),
            "held"
        );
        let form = format!("/programs/{id}/conversions/maya-self-1/review");
        let reply = app
            .post_form(&manager, &form, &[("decision", "approve")])
            .await;
        let shown = app.follow(&manager, &reply).await;
        assert!(shown.body.contains("is approved"), "{}", shown.body);
        assert!(
            !shown.body.contains("Orders waiting for review"),
            "{}",
            shown.body
        );
        assert_eq!(review_of(&app, "maya-self-1"), ReviewState::Approved);
        assert_eq!(
            mayas_commission(&app),
            kith_core::Money::from_minor(420),
            "10% of 42.00"
        );
        let list = app.get(&manager, "/programs").await;
        assert!(!list.body.contains("to review"), "{}", list.body);

        // Decided once: a second decision changes nothing and says so.
        let again = app
            .post_form(&manager, &form, &[("decision", "reject")])
            .await;
        let shown = app.follow(&manager, &again).await;
        assert!(shown.body.contains("Not changed"), "{}", shown.body);
        assert_eq!(review_of(&app, "maya-self-1"), ReviewState::Approved);
        done(app);
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_rejected_order_earns_nothing() {
    let app = app_for(kith_store::testing::sqlite());
    with_orders(&app);
    let id = program_id(&app, "Spring Affiliates");
    let manager = sync(|| app.session(Role::Manager));
    let reply = app
        .post_form(
            &manager,
            &format!("/programs/{id}/conversions/maya-self-1/review"),
            &[("decision", "reject")],
        )
        .await;
    let shown = app.follow(&manager, &reply).await;
    assert!(shown.body.contains("is rejected"), "{}", shown.body);
    assert_eq!(review_of(&app, "maya-self-1"), ReviewState::Rejected);
    assert_eq!(mayas_commission(&app), kith_core::Money::from_minor(0));
    done(app);
}

#[tokio::test(flavor = "multi_thread")]
async fn no_decision_from_a_viewer_another_programs_page_or_for_a_clean_order() {
    let app = app_for(kith_store::testing::sqlite());
    with_orders(&app);
    let id = program_id(&app, "Spring Affiliates");
    let viewer = sync(|| app.session(Role::Viewer));
    let page = app.get(&viewer, &format!("/programs/{id}")).await;
    assert!(page.body.contains("maya-self-1"), "a viewer sees the list");
    assert!(!page.body.contains("/review\""), "but has no forms");
    let refused = app
        .post_form(
            &viewer,
            &format!("/programs/{id}/conversions/maya-self-1/review"),
            &[("decision", "approve")],
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);

    let manager = sync(|| app.session(Role::Manager));
    let other_id = another_program(&app, &manager).await;
    let elsewhere = app
        .post_form(
            &manager,
            &format!("/programs/{other_id}/conversions/maya-self-1/review"),
            &[("decision", "approve")],
        )
        .await;
    assert_eq!(elsewhere.status, StatusCode::NOT_FOUND);
    let unknown = app
        .post_form(
            &manager,
            &format!("/programs/{id}/conversions/maya-self-1/review"),
            &[("decision", "maybe")],
        )
        .await;
    assert_eq!(unknown.status, StatusCode::BAD_REQUEST);
    assert_eq!(review_of(&app, "maya-self-1"), ReviewState::Pending);

    let clean = app
        .post_form(
            &manager,
            &format!("/programs/{id}/conversions/leo-fan-1/review"),
            &[("decision", "reject")],
        )
        .await;
    let shown = app.follow(&manager, &clean).await;
    assert!(shown.body.contains("Not changed"), "{}", shown.body);
    assert_eq!(review_of(&app, "leo-fan-1"), ReviewState::Clean);
    done(app);
}

/// `POST path` with a JSON body and a bearer token.
async fn post_json(
    app: &App,
    token: &crate::support::Who,
    path: &str,
    body: &str,
) -> crate::support::Reply {
    let crate::support::Who::Token(t) = token else {
        panic!("a token")
    };
    app.send(
        axum::http::Request::post(path)
            .header(axum::http::header::AUTHORIZATION, format!("Bearer {t}"))
            .header(axum::http::header::CONTENT_TYPE, "application/json")
            .body(axum::body::Body::from(body.to_owned()))
            .unwrap(),
    )
    .await
}

#[tokio::test(flavor = "multi_thread")]
async fn a_script_lists_flagged_orders_and_decides_them_through_the_api() {
    let app = app_for(kith_store::testing::sqlite());
    with_orders(&app);
    let id = program_id(&app, "Spring Affiliates");
    let manager = sync(|| app.token(Role::Manager));
    let program = app
        .get(&manager, &format!("/api/v1/programs/{id}"))
        .await
        .json();
    let waiting = program["waiting_for_review"].as_array().unwrap();
    assert_eq!(waiting.len(), 1, "{program}");
    assert_eq!(waiting[0]["order_id"], "maya-self-1");
    assert_eq!(waiting[0]["code"], "MAYA10");
    assert_eq!(waiting[0]["subtotal"], "42.00");
    assert_eq!(waiting[0]["flags"], serde_json::json!(["self_referral"]));
    assert!(
        waiting[0]["reasons"][0]
            .as_str()
            .unwrap()
            .contains("self-referral")
    );

    let path = format!("/api/v1/programs/{id}/conversions/maya-self-1/review");
    let bad = post_json(&app, &manager, &path, r#"{"decision":"maybe"}"#).await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    let viewer = sync(|| app.token(Role::Viewer));
    let refused = post_json(&app, &viewer, &path, r#"{"decision":"reject"}"#).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert_eq!(review_of(&app, "maya-self-1"), ReviewState::Pending);

    let done_ = post_json(&app, &manager, &path, r#"{"decision":"reject"}"#).await;
    assert_eq!(done_.status, StatusCode::OK, "{}", done_.body);
    assert_eq!(done_.json()["review"], "rejected");
    assert_eq!(review_of(&app, "maya-self-1"), ReviewState::Rejected);
    let again = post_json(&app, &manager, &path, r#"{"decision":"approve"}"#).await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    let clean = format!("/api/v1/programs/{id}/conversions/leo-fan-1/review");
    let clean = post_json(&app, &manager, &clean, r#"{"decision":"reject"}"#).await;
    assert_eq!(clean.status, StatusCode::CONFLICT);
    let unknown = format!("/api/v1/programs/{id}/conversions/nope/review");
    let unknown = post_json(&app, &manager, &unknown, r#"{"decision":"reject"}"#).await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    let program = app
        .get(&manager, &format!("/api/v1/programs/{id}"))
        .await
        .json();
    assert_eq!(program["waiting_for_review"], serde_json::json!([]));
    done(app);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_code_reported_leaked_on_the_program_page_holds_its_next_orders_for_review() {
    let app = app_for(kith_store::testing::sqlite());
    let id = program_id(&app, "Spring Affiliates");
    let form = format!("/programs/{id}/members/MAYA10/leaked");
    let viewer = sync(|| app.session(Role::Viewer));
    assert_eq!(
        app.post_form(&viewer, &form, &[]).await.status,
        StatusCode::FORBIDDEN
    );
    let manager = sync(|| app.session(Role::Manager));
    let other_id = another_program(&app, &manager).await;
    let elsewhere = app
        .post_form(
            &manager,
            &format!("/programs/{other_id}/members/MAYA10/leaked"),
            &[],
        )
        .await;
    assert_eq!(elsewhere.status, StatusCode::NOT_FOUND);

    let page = app.get(&manager, &format!("/programs/{id}")).await;
    assert!(
        page.body.contains(&format!("action=\"{form}\"")),
        "{}",
        page.body
    );
    let reply = app.post_form(&manager, &form, &[]).await;
    let shown = app.follow(&manager, &reply).await;
    assert!(shown.body.contains("is marked as leaked"), "{}", shown.body);
    assert!(shown.body.contains(">leaked</span>"), "{}", shown.body);
    assert!(
        !shown.body.contains(&format!("action=\"{form}\"")),
        "reported once"
    );

    sync(|| {
        app.store()
            .programs()
            .receive_order(
                None,
                &order_with_code("coupon-site-1", "MAYA10", 3_000),
                OffsetDateTime::now_utc(),
            )
            .unwrap()
    });
    assert_eq!(review_of(&app, "coupon-site-1"), ReviewState::Pending);
    let page = app.get(&manager, &format!("/programs/{id}")).await;
    assert!(
        page.body.contains("the code was reported as leaked"),
        "{}",
        page.body
    );
    done(app);
}
