//! Signing in and out, sessions, CSRF and the sign-in rate limit.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use kith_store::Role;

use crate::support::{App, PASSWORD, Who, password_hash, urlencode};

/// GETs `/login` and returns the form's CSRF token (also its cookie's value).
async fn login_csrf(app: &App) -> String {
    let reply = app.get(&Who::Nobody, "/login").await;
    assert_eq!(reply.status, StatusCode::OK);
    let cookie = reply
        .headers
        .get(header::SET_COOKIE)
        .unwrap()
        .to_str()
        .unwrap()
        .to_owned();
    let token = cookie
        .split(';')
        .next()
        .unwrap()
        .split_once('=')
        .unwrap()
        .1
        .to_owned();
    assert!(
        reply.body.contains(&format!("value=\"{token}\"")),
        "the form carries the cookie's token"
    );
    token
}

async fn sign_in(
    app: &App,
    email: &str,
    password: &str,
    csrf: &str,
    extra: &[(&str, &str)],
) -> crate::support::Reply {
    let body = format!(
        "email={}&password={}&csrf={csrf}&next=%2Fdiscover",
        urlencode(email),
        urlencode(password)
    );
    let mut req = Request::post("/login")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::COOKIE, format!("kith_login_csrf={csrf}"));
    for (k, v) in extra {
        req = req.header(*k, *v);
    }
    app.send(req.body(Body::from(body)).unwrap()).await
}

fn session_of(reply: &crate::support::Reply) -> String {
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    reply
        .headers
        .get_all(header::SET_COOKIE)
        .iter()
        .map(|v| v.to_str().unwrap())
        .find(|c| c.starts_with("kith_session="))
        .expect("a session cookie")
        .to_owned()
}

#[tokio::test(flavor = "multi_thread")]
async fn the_login_page_has_email_and_password_fields() {
    let app = App::sqlite();
    let body = app.get(&Who::Nobody, "/login").await.body;
    assert!(
        body.contains("name=\"email\"") && body.contains("name=\"password\""),
        "{body}"
    );
    assert!(
        body.contains("<label for=\"email\">"),
        "fields are labelled"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn signing_in_sets_a_strict_session_cookie_and_signing_out_ends_it() {
    let app = App::sqlite();
    app.store()
        .create_user("ana@example.com", password_hash(), Role::Manager)
        .unwrap();
    let csrf = login_csrf(&app).await;
    let reply = sign_in(&app, " Ana@Example.com ", PASSWORD, &csrf, &[]).await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER);
    assert_eq!(
        reply.location(),
        Some("/discover"),
        "back to where they were going"
    );
    let cookie = session_of(&reply);
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );
    assert!(!cookie.contains("Secure"), "plain HTTP: {cookie}");

    let value = cookie
        .split(';')
        .next()
        .unwrap()
        .split_once('=')
        .unwrap()
        .1
        .to_owned();
    let session = app
        .store()
        .session(&kith_server::auth::secret::sha256_hex(&value))
        .unwrap()
        .unwrap();
    let who = Who::Session {
        cookie: value,
        csrf: session.csrf_token,
    };
    assert_eq!(app.get(&who, "/").await.status, StatusCode::OK);
    assert_eq!(
        app.post_form(&who, "/logout", &[]).await.status,
        StatusCode::SEE_OTHER
    );
    let after = app.get(&who, "/").await;
    assert_eq!(
        after.location(),
        Some("/login?next=/"),
        "the session is gone"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn cookies_are_secure_behind_a_tls_proxy() {
    let app = App::sqlite();
    app.store()
        .create_user("bo@example.com", password_hash(), Role::Viewer)
        .unwrap();
    let csrf = login_csrf(&app).await;
    let reply = sign_in(
        &app,
        "bo@example.com",
        PASSWORD,
        &csrf,
        &[("x-forwarded-proto", "https")],
    )
    .await;
    assert!(session_of(&reply).contains("; Secure"));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_wrong_password_and_an_unknown_email_get_the_same_answer() {
    let app = App::sqlite();
    app.store()
        .create_user("cy@example.com", password_hash(), Role::Viewer)
        .unwrap();
    let csrf = login_csrf(&app).await;
    let wrong = sign_in(&app, "cy@example.com", "not the password", &csrf, &[]).await;
    let unknown = sign_in(&app, "nobody@example.com", "not the password", &csrf, &[]).await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert_eq!(unknown.status, StatusCode::UNAUTHORIZED);
    assert!(
        wrong.body.contains("do not match an account")
            && unknown.body.contains("do not match an account")
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn sign_in_without_the_form_token_is_refused() {
    let app = App::sqlite();
    app.store()
        .create_user("di@example.com", password_hash(), Role::Viewer)
        .unwrap();
    let body = format!(
        "email=di%40example.com&password={}&csrf=forged",
        urlencode(PASSWORD)
    );
    let req = Request::post("/login")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::COOKIE, "kith_login_csrf=other")
        .body(Body::from(body))
        .unwrap();
    assert_eq!(app.send(req).await.status, StatusCode::FORBIDDEN);
}

#[tokio::test(flavor = "multi_thread")]
async fn five_failures_lock_the_email_out_even_with_the_right_password() {
    let app = App::sqlite();
    app.store()
        .create_user("eve@example.com", password_hash(), Role::Viewer)
        .unwrap();
    let csrf = login_csrf(&app).await;
    for _ in 0..5 {
        let reply = sign_in(&app, "eve@example.com", "guess", &csrf, &[]).await;
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
    }
    let locked = sign_in(&app, "eve@example.com", PASSWORD, &csrf, &[]).await;
    assert_eq!(locked.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(locked.body.contains("Too many failed sign-ins"));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_session_form_without_its_csrf_token_is_refused() {
    let app = App::sqlite();
    let who = app.session(Role::Owner);
    let Who::Session { cookie, .. } = &who else {
        unreachable!()
    };
    let forged = Who::Session {
        cookie: cookie.clone(),
        csrf: "0".repeat(64),
    };
    let reply = app
        .post_form(
            &forged,
            "/settings/tokens",
            &[("name", "x"), ("role", "viewer")],
        )
        .await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    assert!(reply.body.contains("did not come from kith"));
    assert!(
        app.store().api_tokens().unwrap().is_empty(),
        "nothing was created"
    );
    let ok = app
        .post_form(
            &who,
            "/settings/tokens",
            &[("name", "x"), ("role", "viewer")],
        )
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER);
    assert_eq!(app.store().api_tokens().unwrap().len(), 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_new_token_is_shown_once_and_stored_only_as_a_hash() {
    let app = App::sqlite();
    let who = app.session(Role::Admin);
    let reply = app
        .post_form(
            &who,
            "/settings/tokens",
            &[("name", "ci"), ("role", "viewer")],
        )
        .await;
    let reply = app.follow(&who, &reply).await;
    let start = reply.body.find("kith_").expect("the token is shown");
    let token: String = reply.body[start..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect();
    let api = app
        .get(&Who::Token(token.clone()), "/api/v1/candidates")
        .await;
    assert_eq!(api.status, StatusCode::OK);
    let page = app.get(&who, "/settings").await;
    assert!(!page.body.contains(&token), "not shown again");
    let (_, stored) = app
        .store()
        .api_token(token.split('_').nth(1).unwrap())
        .unwrap()
        .unwrap();
    assert!(!token.contains(&stored), "the store keeps a hash");
}

#[tokio::test(flavor = "multi_thread")]
async fn an_admin_cannot_make_an_owner_or_a_token_above_their_role() {
    let app = App::sqlite();
    let admin = app.session(Role::Admin);
    let reply = app
        .post_form(
            &admin,
            "/settings/users",
            &[
                ("email", "x@example.com"),
                ("password", PASSWORD),
                ("role", "owner"),
            ],
        )
        .await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    let reply = app
        .post_form(
            &admin,
            "/settings/tokens",
            &[("name", "t"), ("role", "owner")],
        )
        .await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
}

#[tokio::test(flavor = "multi_thread")]
async fn the_last_owner_cannot_be_demoted() {
    let app = App::sqlite();
    let owner = app.session(Role::Owner);
    let other = app.session(Role::Admin);
    let _ = other;
    let id = app
        .store()
        .user_credentials("owner@example.com")
        .unwrap()
        .unwrap()
        .0
        .id;
    let reply = app
        .post_form(
            &owner,
            &format!("/settings/users/{id}/role"),
            &[("role", "viewer")],
        )
        .await;
    assert_eq!(reply.status, StatusCode::CONFLICT);
    assert_eq!(
        app.store()
            .user_credentials("owner@example.com")
            .unwrap()
            .unwrap()
            .0
            .role,
        Role::Owner
    );
}
