//! Every route in one table: method, path, the [`Access`] it needs, and its handler.
//!
//! [`build`] makes the router from this table and wraps each handler in the guard with
//! its declared access, so a route cannot exist without a role; the every-route ×
//! every-role test walks the same table.

use axum::Router;
use axum::http::Method;
use axum::middleware::from_fn_with_state;
use axum::routing::{MethodRouter, get, post};
use kith_store::Role;

use crate::auth::{self, Access};
use crate::{AppState, api, assets, imports, pages, portal, tracking};

/// One route of the app.
#[derive(Debug)]
pub struct Route {
    pub method: Method,
    /// axum's syntax: `/people/{id}`, `/static/{*path}`.
    pub path: &'static str,
    pub access: Access,
    handler: MethodRouter<AppState>,
}

fn route(
    method: Method,
    path: &'static str,
    access: Access,
    handler: MethodRouter<AppState>,
) -> Route {
    Route {
        method,
        path,
        access,
        handler,
    }
}

/// The table.
pub fn table() -> Vec<Route> {
    use Access::{Public, Role as R};
    let (viewer, manager, admin) = (R(Role::Viewer), R(Role::Manager), R(Role::Admin));
    let g = Method::GET;
    let p = Method::POST;
    vec![
        route(g.clone(), "/healthz", Public, get(healthz)),
        // Referral links and Shopify's webhook: public, each checks what it must itself.
        route(
            g.clone(),
            "/r/{code}",
            Public,
            get(tracking::redirect::follow),
        ),
        route(
            p.clone(),
            "/webhooks/shopify/orders",
            Public,
            post(tracking::shopify::receive),
        ),
        // The member portal: its own sign-in and sessions, never a dashboard role.
        route(g.clone(), "/portal", Public, get(portal::routes::home)),
        route(
            g.clone(),
            "/portal/login",
            Public,
            get(portal::routes::login_form),
        ),
        route(
            p.clone(),
            "/portal/login",
            Public,
            post(portal::routes::login),
        ),
        route(
            g.clone(),
            "/portal/link/{token}",
            Public,
            get(portal::routes::magic),
        ),
        route(g.clone(), "/portal/api/me", Public, get(portal::routes::me)),
        route(
            p.clone(),
            "/portal/password",
            Public,
            post(portal::routes::set_password),
        ),
        route(
            p.clone(),
            "/portal/checkin",
            Public,
            post(portal::routes::check_in),
        ),
        route(
            p.clone(),
            "/portal/logout",
            Public,
            post(portal::routes::logout),
        ),
        route(g.clone(), "/static/{*path}", Public, get(assets::serve)),
        route(g.clone(), "/login", Public, get(auth::login::form)),
        route(p.clone(), "/login", Public, post(auth::login::submit)),
        route(p.clone(), "/logout", viewer, post(auth::login::logout)),
        route(
            g.clone(),
            "/api/openapi.json",
            Public,
            get(api::openapi::document),
        ),
        // Dashboard.
        route(g.clone(), "/", viewer, get(pages::overview::page)),
        route(g.clone(), "/discover", viewer, get(pages::discover::page)),
        route(
            g.clone(),
            "/discover/export.csv",
            manager,
            get(pages::discover::export),
        ),
        route(g.clone(), "/people/{id}", viewer, get(pages::person::page)),
        route(
            p.clone(),
            "/people/{id}/links",
            manager,
            post(pages::person::decide),
        ),
        route(g.clone(), "/programs", viewer, get(pages::programs::list)),
        route(
            p.clone(),
            "/programs",
            manager,
            post(pages::programs::create),
        ),
        route(
            g.clone(),
            "/programs/{id}",
            viewer,
            get(pages::programs::detail),
        ),
        route(
            p.clone(),
            "/programs/{id}/members/{code}/status",
            manager,
            post(pages::programs::members::set_status),
        ),
        route(
            p.clone(),
            "/programs/{id}/members/{code}/leaked",
            manager,
            post(pages::programs::members::report_leak),
        ),
        route(
            p.clone(),
            "/programs/{id}/members/{code}/portal-link",
            manager,
            post(pages::programs::members::portal_link),
        ),
        route(
            p.clone(),
            "/programs/{id}/conversions/{order}/review",
            manager,
            post(pages::programs::review::decide),
        ),
        route(
            p.clone(),
            "/programs/{id}/invite",
            manager,
            post(pages::programs::activation::invite),
        ),
        route(
            p.clone(),
            "/programs/{id}/members/{code}/checkin",
            manager,
            post(pages::programs::activation::check_in),
        ),
        route(
            p.clone(),
            "/programs/{id}/posts",
            manager,
            post(pages::programs::advocacy::add_post),
        ),
        route(
            g.clone(),
            "/programs/{id}/leaderboard",
            viewer,
            get(pages::programs::advocacy::leaderboard),
        ),
        route(
            g.clone(),
            "/programs/{id}/payouts",
            admin,
            get(pages::programs::payouts::page),
        ),
        route(
            p.clone(),
            "/programs/{id}/payouts",
            admin,
            post(pages::programs::payouts::create),
        ),
        route(
            g.clone(),
            "/programs/{id}/payouts/{batch}/paypal.csv",
            admin,
            get(pages::programs::payouts::download),
        ),
        route(
            p.clone(),
            "/programs/{id}/payouts/{batch}/paid",
            admin,
            post(pages::programs::payouts::mark_paid),
        ),
        route(
            p.clone(),
            "/programs/enroll",
            manager,
            post(pages::programs::enroll),
        ),
        route(g.clone(), "/import", manager, get(pages::import::page)),
        route(
            p.clone(),
            "/import",
            manager,
            post(pages::import::upload).layer(imports::upload_limit()),
        ),
        route(
            g.clone(),
            "/imports/{id}",
            manager,
            get(pages::import::progress),
        ),
        route(g.clone(), "/settings", admin, get(pages::settings::page)),
        route(
            p.clone(),
            "/settings/brand",
            admin,
            post(pages::settings::save_brand),
        ),
        route(
            p.clone(),
            "/settings/users",
            admin,
            post(pages::settings::add_user),
        ),
        route(
            p.clone(),
            "/settings/users/{id}/role",
            admin,
            post(pages::settings::set_role),
        ),
        route(
            p.clone(),
            "/settings/users/{id}/delete",
            admin,
            post(pages::settings::delete_user),
        ),
        route(
            p.clone(),
            "/settings/tokens",
            admin,
            post(pages::settings::create_token),
        ),
        route(
            p.clone(),
            "/settings/tokens/{id}/revoke",
            admin,
            post(pages::settings::revoke_token),
        ),
        // REST API.
        route(
            g.clone(),
            "/api/v1/candidates",
            viewer,
            get(api::candidates::list),
        ),
        route(g.clone(), "/api/v1/people", viewer, get(api::people::list)),
        route(
            g.clone(),
            "/api/v1/people/{id}",
            viewer,
            get(api::people::one),
        ),
        route(
            g.clone(),
            "/api/v1/people/{id}/scores",
            viewer,
            get(api::people::scores),
        ),
        route(
            g.clone(),
            "/api/v1/profiles",
            viewer,
            get(api::people::profiles),
        ),
        route(
            g.clone(),
            "/api/v1/programs",
            viewer,
            get(api::programs::list),
        ),
        route(
            g.clone(),
            "/api/v1/programs/{id}",
            viewer,
            get(api::programs::one),
        ),
        route(
            p.clone(),
            "/api/v1/programs/{id}/conversions/{order}/review",
            manager,
            post(api::programs::review_order),
        ),
        route(
            p.clone(),
            "/api/v1/programs/{id}/members/{code}/portal-link",
            manager,
            post(api::programs::portal_link),
        ),
        route(
            g.clone(),
            "/api/v1/imports",
            manager,
            get(imports::api_list),
        ),
        route(
            p.clone(),
            "/api/v1/imports",
            manager,
            post(imports::api_create).layer(imports::upload_limit()),
        ),
        route(g, "/api/v1/imports/{id}", manager, get(imports::api_one)),
    ]
}

/// The router: each route's handler behind the guard of its declared access.
pub fn build(state: AppState) -> Router {
    let mut router = Router::new();
    for r in table() {
        let access = r.access;
        let guarded = r
            .handler
            .route_layer(from_fn_with_state(state.clone(), move |s, req, next| {
                auth::guard(s, access, req, next)
            }));
        router = router.route(r.path, guarded);
    }
    router.fallback(pages::not_found).with_state(state)
}

async fn healthz() -> &'static str {
    "ok"
}
