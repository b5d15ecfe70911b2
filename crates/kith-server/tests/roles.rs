//! Every route × every role: the walk goes over the same table the router is built from,
//! so a route cannot be added without being checked here.
//!
//! For a route that needs a role: no one gets 401 (API) or a redirect to `/login`
//! (pages); a signed-in user or token below the role gets 403; at or above it, neither.
//! Public routes never ask anyone to sign in.

use axum::http::StatusCode;
use kith_server::auth::Access;
use kith_server::routes::table;
use kith_store::Role;

use crate::support::{App, Who, request};

/// The route's path with its parameters filled in (ids that do not exist, so an allowed
/// request changes nothing).
fn concrete(path: &str) -> String {
    path.replace("{*path}", "kith.css")
        .replace("/users/{id}", "/users/999999")
        .replace("/tokens/{id}", "/tokens/nope")
        .replace("/imports/{id}", "/imports/999")
        .replace("{id}", "nobody")
}

fn form_for(who: &Who) -> String {
    match who {
        Who::Session { csrf, .. } => format!("csrf={csrf}"),
        _ => String::new(),
    }
}

/// `who` makes the credentials for each request: a fresh session each time, since one of
/// the routes is `/logout`.
async fn walk(app: &App, label: &str, who: &dyn Fn() -> Who, role: Option<Role>) {
    for route in table() {
        let who = who();
        let path = concrete(route.path);
        let method = route.method.as_str();
        let body = (method == "POST").then(|| form_for(&who));
        let mut req = request(method, &path, &who, body);
        if let Who::Session { csrf, .. } = &who {
            req.headers_mut()
                .insert("x-csrf-token", csrf.parse().unwrap());
        }
        let reply = app.send(req).await;
        let to_login = reply.status == StatusCode::SEE_OTHER
            && reply.location().is_some_and(|l| l.starts_with("/login"));
        let what = format!("{label} {method} {path} → {}", reply.status);
        match (route.access, role) {
            (Access::Public, _) => {
                assert!(
                    reply.status != StatusCode::FORBIDDEN && !to_login,
                    "{what}: public"
                );
            }
            (Access::Role(_), None) if path.starts_with("/api/") => {
                assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "{what}");
                assert_eq!(reply.json()["code"], "unauthorized", "{what}");
            }
            (Access::Role(_), None) => assert!(to_login, "{what}: should redirect to /login"),
            (Access::Role(needed), Some(r)) if !r.allows(needed) => {
                assert_eq!(
                    reply.status,
                    StatusCode::FORBIDDEN,
                    "{what}: needs {needed}"
                );
            }
            (Access::Role(needed), Some(_)) => assert!(
                !matches!(
                    reply.status,
                    StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN
                ) && (!to_login || path == "/logout"),
                "{what}: allowed for {needed}"
            ),
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn every_route_answers_every_role_as_its_table_entry_says() {
    let app = App::sqlite();
    walk(&app, "nobody", &|| Who::Nobody, None).await;
    for role in Role::ALL {
        walk(
            &app,
            &format!("{role} session"),
            &|| app.session(role),
            Some(role),
        )
        .await;
        let token = app.token(role);
        walk(
            &app,
            &format!("{role} token"),
            &|| token.clone(),
            Some(role),
        )
        .await;
    }
}

#[test]
fn the_table_declares_each_method_and_path_once() {
    let mut seen: Vec<(String, &str)> = table()
        .iter()
        .map(|r| (r.method.to_string(), r.path))
        .collect();
    let n = seen.len();
    seen.sort();
    seen.dedup();
    assert_eq!(seen.len(), n);
}

#[test]
fn only_sign_in_health_assets_tracking_portal_and_the_api_document_are_public() {
    // `/r/{code}` is a customer's click on a referral link; the Shopify webhook proves
    // itself with its HMAC signature; the member portal has its own sign-in. Anything
    // else public is a mistake.
    let allowed = [
        "/healthz",
        "/static/",
        "/login",
        "/api/openapi.json",
        "/r/",
        "/webhooks/shopify/",
        "/portal",
    ];
    for route in table().iter().filter(|r| r.access == Access::Public) {
        assert!(
            allowed.iter().any(|a| route.path.starts_with(a)),
            "{} {} is public",
            route.method,
            route.path
        );
    }
    for needed in [
        "/",
        "/discover",
        "/settings",
        "/api/v1/candidates",
        "/import",
    ] {
        let r = table().into_iter().find(|r| r.path == needed).unwrap();
        assert_ne!(r.access, Access::Public, "{needed}");
    }
}

#[test]
fn settings_need_an_admin_and_imports_a_manager() {
    for r in table() {
        if r.path.starts_with("/settings") {
            assert_eq!(r.access, Access::Role(Role::Admin), "{}", r.path);
        }
        if r.path.contains("import") {
            assert_eq!(r.access, Access::Role(Role::Manager), "{}", r.path);
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_revoked_token_and_a_forged_one_are_no_one() {
    let app = App::sqlite();
    let Who::Token(token) = app.token(Role::Admin) else {
        unreachable!()
    };
    let id = token.split('_').nth(1).unwrap().to_owned();
    assert_eq!(
        app.get(&Who::Token(token.clone()), "/api/v1/candidates")
            .await
            .status,
        StatusCode::OK
    );
    let forged = format!("kith_{id}_{}", "0".repeat(64));
    assert_eq!(
        app.get(&Who::Token(forged), "/api/v1/candidates")
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
    app.store().revoke_api_token(&id).unwrap();
    assert_eq!(
        app.get(&Who::Token(token), "/api/v1/candidates")
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
}
