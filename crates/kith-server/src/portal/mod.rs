//! The member portal: ambassadors, affiliates and employees sign in (a magic link, or a
//! password they set) and see their own codes, links, briefs, clicks, orders, earnings
//! and payouts — and nothing of anyone else's.
//!
//! Isolation does not rest on checks sprinkled over handlers: a portal session names one
//! person, and every portal read is `ProgramStore::portal_view(person)` with the person
//! taken from the session. No route takes a person, member or code as a parameter.
//! Portal sessions are separate from the dashboard's (`kith_portal` cookie, never a
//! dashboard role), so a member can never reach a manager's page.
//!
//! Cookies are `HttpOnly; SameSite=Lax`, so a cross-site form never carries them, and
//! every portal `POST` must come from kith's own origin when the browser says where it
//! came from (`Origin`).
//!
//! # Layout
//! - this file: sessions, magic links, the signed-in person, the templates;
//! - `routes`: the handlers.

pub(crate) mod routes;

use std::sync::LazyLock;

use axum::http::{HeaderMap, header};
use kith_store::{Store, StoreError};
use minijinja::Environment;
use time::{Duration, OffsetDateTime};

use crate::AppState;
use crate::auth::secret::{random_hex, sha256_hex};
use crate::auth::{cookie, set_cookie};
use crate::error::Failure;

/// The portal session cookie.
pub const PORTAL_COOKIE: &str = "kith_portal";
/// How long a portal session lasts.
pub const SESSION_LIFE: Duration = Duration::days(30);
/// How long a magic link works (once).
pub const LINK_LIFE: Duration = Duration::hours(72);

const TEMPLATES: &[(&str, &str)] = &[
    (
        "portal_base.html",
        include_str!("../templates/portal_base.html"),
    ),
    (
        "portal_login.html",
        include_str!("../templates/portal_login.html"),
    ),
    (
        "portal_home.html",
        include_str!("../templates/portal_home.html"),
    ),
];

/// The portal's templates: fixed text compiled in, escaped by default.
pub(crate) fn templates() -> &'static Environment<'static> {
    static ENV: LazyLock<Environment<'static>> = LazyLock::new(|| {
        let mut env = Environment::new();
        for (name, source) in TEMPLATES {
            if let Err(e) = env.add_template(name, source) {
                tracing::error!(template = name, error = %e, "portal template does not parse");
            }
        }
        env
    });
    &ENV
}

/// A new magic link's token for `person_id`: stored as its hash, shown once. The URL
/// is `{public base}/portal/link/{token}`.
pub fn issue_link(
    store: &dyn Store,
    person_id: &str,
    now: OffsetDateTime,
) -> Result<String, Failure> {
    let token = random_hex(32)?;
    store.programs().create_portal_token(
        &sha256_hex(&token),
        person_id,
        "link",
        now,
        now + LINK_LIFE,
    )?;
    Ok(token)
}

/// Opens a session for `person_id`: the cookie's value.
fn open_session(store: &dyn Store, person_id: &str) -> Result<String, Failure> {
    let token = random_hex(32)?;
    let now = OffsetDateTime::now_utc();
    store.programs().create_portal_token(
        &sha256_hex(&token),
        person_id,
        "session",
        now,
        now + SESSION_LIFE,
    )?;
    Ok(token)
}

/// The person signed in to the portal, if any.
pub(crate) async fn member(
    state: &AppState,
    headers: &HeaderMap,
) -> Result<Option<String>, Failure> {
    let Some(token) = cookie(headers, PORTAL_COOKIE) else {
        return Ok(None);
    };
    let hash = sha256_hex(&token);
    let now = OffsetDateTime::now_utc();
    state
        .blocking(move |store| store.programs().use_portal_token(&hash, "session", now))
        .await
}

/// `https://host` as the member reached kith, for showing whole links.
pub(crate) fn origin(headers: &HeaderMap) -> String {
    let host = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("localhost");
    let https = headers
        .get("x-forwarded-proto")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|p| p.eq_ignore_ascii_case("https"));
    format!("{}://{host}", if https { "https" } else { "http" })
}

/// Where a sign-in link made in the dashboard points: `KITH_PUBLIC_URL` when set (as
/// `kith program portal-link` and `kith links list` use it), else the address the
/// dashboard was reached at.
pub(crate) fn link_base(headers: &HeaderMap) -> String {
    std::env::var("KITH_PUBLIC_URL")
        .ok()
        .map(|b| b.trim().trim_end_matches('/').to_owned())
        .filter(|b| !b.is_empty())
        .unwrap_or_else(|| origin(headers))
}

/// Whether a `POST` came from kith's own pages: without an `Origin` (older browsers,
/// scripts) it is judged by its `SameSite` cookie alone.
pub(crate) fn same_origin(headers: &HeaderMap) -> bool {
    let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) else {
        return true;
    };
    let host = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let origin_host = origin.split_once("://").map_or(origin, |(_, h)| h);
    !host.is_empty() && origin_host.eq_ignore_ascii_case(host)
}

/// The `Set-Cookie` for a portal session (`max_age` 0 ends it).
fn session_cookie(
    state: &AppState,
    headers: &HeaderMap,
    value: &str,
    max_age: i64,
) -> axum::http::HeaderValue {
    let secure = state.secure_cookies
        || headers
            .get("x-forwarded-proto")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|p| p.eq_ignore_ascii_case("https"));
    set_cookie(PORTAL_COOKIE, value, max_age, secure)
}

/// Runs a store call that may fail on the blocking pool.
async fn blocking<T: Send + 'static>(
    state: &AppState,
    f: impl FnOnce(&dyn Store) -> Result<T, Failure> + Send + 'static,
) -> Result<T, Failure> {
    state
        .blocking(move |store| Ok::<_, StoreError>(f(store)))
        .await?
}
