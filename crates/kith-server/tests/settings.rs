//! Settings forms follow Post/Redirect/Get: each answers `303 See Other` back to
//! `/settings` with a one-shot notice, so a reload never submits a form again.

use axum::http::{StatusCode, header};
use kith_store::Role;

use crate::support::{App, PASSWORD, Reply, Who};

/// The settings form adding `email` as a viewer with `password`, sent by `who`.
async fn add_viewer(app: &App, who: &Who, email: &str, password: &str) -> Reply {
    app.post_form(
        who,
        "/settings/users",
        &[("email", email), ("password", password), ("role", "viewer")],
    )
    .await
}

/// Whether the store knows a user signing in as `email`.
fn has_user(app: &App, email: &str) -> bool {
    app.store().user_credentials(email).unwrap().is_some()
}

#[tokio::test(flavor = "multi_thread")]
async fn adding_a_user_redirects_and_the_notice_shows_once_to_its_author_only() {
    let app = App::sqlite();
    let owner = app.session(Role::Owner);
    let reply = add_viewer(&app, &owner, "new@example.com", PASSWORD).await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER);
    let to = reply.location().unwrap().to_owned();
    assert!(to.starts_with("/settings?notice="), "{to}");
    assert!(
        !to.contains("new%40example") && !to.contains("new@"),
        "{to}"
    );

    // Someone else following the same address sees no notice.
    let admin = app.session(Role::Admin);
    let theirs = app.get(&admin, &to).await;
    assert_eq!(theirs.status, StatusCode::OK);
    assert!(!theirs.body.contains("can now sign in"));

    let page = app.get(&owner, &to).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body
            .contains("new@example.com can now sign in as viewer."),
        "{}",
        page.body
    );
    let reload = app.get(&owner, &to).await;
    assert_eq!(reload.status, StatusCode::OK);
    assert!(!reload.body.contains("can now sign in"), "shown once");
    assert!(has_user(&app, "new@example.com"));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_refused_form_also_redirects_with_its_reason_and_changes_nothing() {
    let app = App::sqlite();
    let owner = app.session(Role::Owner);
    let reply = add_viewer(&app, &owner, "short@example.com", "short").await;
    let page = app.follow(&owner, &reply).await;
    assert!(
        page.body.contains("The password needs at least"),
        "{}",
        page.body
    );
    assert!(page.body.contains("role=\"alert\""));
    assert!(!has_user(&app, "short@example.com"));
}

#[tokio::test(flavor = "multi_thread")]
async fn saving_the_brand_redirects_and_reloading_does_not_save_again() {
    let app = App::sqlite();
    let admin = app.session(Role::Admin);
    let fields = [
        ("name", "Fernwood & Co"),
        ("instagram", "fernwood"),
        ("hashtags", "#fernwood, #slowcoffee"),
        ("reach", "1"),
        ("engagement", "1"),
        ("authenticity", "1"),
        ("affinity", "1"),
        ("brand_love", "1"),
        ("customer_value", "1"),
        ("micro", "1000"),
        ("micro_high", "10000"),
        ("macro", "100000"),
        ("mega", "1000000"),
    ];
    let reply = app.post_form(&admin, "/settings/brand", &fields).await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER);
    let saved = app.store().brand().unwrap().unwrap();
    assert!(saved.contains("Fernwood & Co"), "{saved}");
    let page = app.follow(&admin, &reply).await;
    assert!(page.body.contains("Brand saved"));
    assert!(
        page.body.contains("Fernwood &amp; Co"),
        "escaped on the page"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_new_token_page_is_not_cached_and_the_token_never_travels_in_the_url() {
    let app = App::sqlite();
    let admin = app.session(Role::Admin);
    let reply = app
        .post_form(
            &admin,
            "/settings/tokens",
            &[("name", "nightly"), ("role", "viewer")],
        )
        .await;
    let to = reply.location().unwrap().to_owned();
    assert!(!to.contains("kith_"), "{to}");
    let page = app.follow(&admin, &reply).await;
    assert!(page.body.contains("Your new API token"));
    assert_eq!(page.headers.get(header::CACHE_CONTROL).unwrap(), "no-store");
    let reload = app.get(&admin, &to).await;
    assert!(!reload.body.contains("Your new API token"));
    assert_eq!(app.store().api_tokens().unwrap().len(), 1);
}
