//! The portal's handlers: sign-in (password or magic link), the member's own page and
//! its JSON, checking in at an activation, setting a password, signing out.

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use kith_store::programs::ProgramError;
use minijinja::context;
use time::OffsetDateTime;

use super::{PORTAL_COOKIE, SESSION_LIFE, blocking, member, open_session, origin, same_origin};
use crate::AppState;
use crate::auth::secret::{
    MIN_PASSWORD_LEN, decoy_hash, hash_password, sha256_hex, verify_password,
};
use crate::auth::{cookie, form_field};
use crate::error::{ApiError, Failure, PageError};

/// Failed portal sign-ins allowed per email in [`LIMIT_WINDOW`].
const MAX_FAILURES: u64 = 10;
const LIMIT_WINDOW: time::Duration = time::Duration::minutes(15);

fn render(name: &str, ctx: minijinja::Value) -> Result<String, Failure> {
    Ok(super::templates().get_template(name)?.render(ctx)?)
}

fn see_other(to: &str, cookie: Option<HeaderValue>) -> Response {
    let mut response = (StatusCode::SEE_OTHER, [(header::LOCATION, to.to_owned())]).into_response();
    if let Some(c) = cookie {
        response.headers_mut().insert(header::SET_COOKIE, c);
    }
    response
}

fn login_page(status: StatusCode, error: &str, email: &str) -> Response {
    match render("portal_login.html", context! { error, email }) {
        Ok(html) => (status, Html(html)).into_response(),
        Err(e) => PageError(e).into_response(),
    }
}

pub(crate) async fn login_form() -> Response {
    login_page(StatusCode::OK, "", "")
}

pub(crate) async fn login(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if !same_origin(&headers) {
        return PageError(Failure::Csrf).into_response();
    }
    let email = form_field(&body, "email")
        .unwrap_or_default()
        .trim()
        .to_lowercase();
    let password = form_field(&body, "password").unwrap_or_default();
    if email.is_empty() || password.is_empty() {
        return login_page(
            StatusCode::BAD_REQUEST,
            "Enter your email and password.",
            &email,
        );
    }
    let key = format!("portal:{email}");
    let now = OffsetDateTime::now_utc();
    let outcome = blocking(&state, move |store| {
        if store.login_failures_since(&key, now - LIMIT_WINDOW)? >= MAX_FAILURES {
            return Err(Failure::TooManyAttempts);
        }
        let found = store.programs().portal_password(&email)?;
        // Verify against a decoy when there is no password, so a sign-in takes as long
        // whether or not the member exists.
        let (person, hash) = match &found {
            Some((person, Some(hash))) => (Some(person.clone()), hash.as_str()),
            _ => (None, decoy_hash()),
        };
        let matches = verify_password(&password, hash);
        match person.filter(|_| matches) {
            Some(person) => {
                store.clear_login_failures(&key)?;
                Ok(Some(open_session(store, &person)?))
            }
            None => {
                store.record_login_failure(&[&key], now - LIMIT_WINDOW)?;
                Ok(None)
            }
        }
    })
    .await;
    match outcome {
        Ok(Some(token)) => {
            let c = super::session_cookie(&state, &headers, &token, SESSION_LIFE.whole_seconds());
            see_other("/portal", Some(c))
        }
        Ok(None) => login_page(
            StatusCode::UNAUTHORIZED,
            "That email and password do not match a member.",
            "",
        ),
        Err(e) => PageError(e).into_response(),
    }
}

pub(crate) async fn magic(
    State(state): State<AppState>,
    Path(token): Path<String>,
    headers: HeaderMap,
) -> Response {
    let hash = sha256_hex(&token);
    let now = OffsetDateTime::now_utc();
    let opened = blocking(&state, move |store| {
        match store.programs().use_portal_token(&hash, "link", now)? {
            Some(person) => Ok(Some(open_session(store, &person)?)),
            None => Ok(None),
        }
    })
    .await;
    match opened {
        Ok(Some(session)) => {
            let c = super::session_cookie(&state, &headers, &session, SESSION_LIFE.whole_seconds());
            see_other("/portal", Some(c))
        }
        Ok(None) => PageError(Failure::NotFound(
            "This sign-in link was used already or has expired; it".into(),
        ))
        .into_response(),
        Err(e) => PageError(e).into_response(),
    }
}

/// The person signed in to the portal, for one of its pages; otherwise the answer to
/// give instead: the sign-in page, or the error page.
async fn page_member(state: &AppState, headers: &HeaderMap) -> Result<String, Response> {
    match member(state, headers).await {
        Ok(Some(p)) => Ok(p),
        Ok(None) => Err(see_other("/portal/login", None)),
        Err(e) => Err(PageError(e).into_response()),
    }
}

/// As [`page_member`], for a form the member posts: refused first unless it comes from
/// the portal's own origin.
async fn posting_member(state: &AppState, headers: &HeaderMap) -> Result<String, Response> {
    if !same_origin(headers) {
        return Err(PageError(Failure::Csrf).into_response());
    }
    page_member(state, headers).await
}

pub(crate) async fn home(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let person = match page_member(&state, &headers).await {
        Ok(p) => p,
        Err(response) => return response,
    };
    let now = OffsetDateTime::now_utc();
    let view = blocking(&state, move |store| {
        Ok(store.programs().portal_view(&person, now)?)
    })
    .await;
    let page = view.and_then(|v| {
        // Someone signed in who is in no program (any more) sees an empty portal.
        let view = match v {
            Some(v) => minijinja::Value::from(minijinja::value::Serde(v)),
            None => minijinja::Value::from(minijinja::value::Serde(
                serde_json::json!({"name": null, "memberships": []}),
            )),
        };
        render(
            "portal_home.html",
            context! { view, origin => origin(&headers) },
        )
    });
    match page {
        Ok(html) => Html(html).into_response(),
        Err(e) => PageError(e).into_response(),
    }
}

/// The same view as JSON: `null` memberships when the person is in no program.
pub(crate) async fn me(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let person = match member(&state, &headers).await {
        Ok(Some(p)) => p,
        Ok(None) => return ApiError(Failure::Unauthorized).into_response(),
        Err(e) => return ApiError(e).into_response(),
    };
    let now = OffsetDateTime::now_utc();
    match blocking(&state, move |store| {
        Ok(store.programs().portal_view(&person, now)?)
    })
    .await
    {
        Ok(view) => Json(view).into_response(),
        Err(e) => ApiError(e).into_response(),
    }
}

pub(crate) async fn set_password(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let person = match posting_member(&state, &headers).await {
        Ok(p) => p,
        Err(response) => return response,
    };
    let password = form_field(&body, "password").unwrap_or_default();
    if password.chars().count() < MIN_PASSWORD_LEN {
        return PageError(Failure::BadRequest(format!(
            "A password needs at least {MIN_PASSWORD_LEN} characters."
        )))
        .into_response();
    }
    let saved = blocking(&state, move |store| {
        let hash = hash_password(&password)?;
        Ok(store
            .programs()
            .set_portal_password(&person, &hash, OffsetDateTime::now_utc())?)
    })
    .await;
    match saved {
        Ok(()) => see_other("/portal?password=saved", None),
        Err(e) => PageError(e).into_response(),
    }
}

pub(crate) async fn logout(State(state): State<AppState>, headers: HeaderMap) -> Response {
    if !same_origin(&headers) {
        return PageError(Failure::Csrf).into_response();
    }
    if let Some(token) = cookie(&headers, PORTAL_COOKIE) {
        let hash = sha256_hex(&token);
        let ended = state
            .blocking(move |store| {
                store
                    .programs()
                    .end_portal_token(&hash, OffsetDateTime::now_utc())
            })
            .await;
        if let Err(e) = ended {
            return PageError(e).into_response();
        }
    }
    let c = super::session_cookie(&state, &headers, "", 0);
    see_other("/portal/login", Some(c))
}

/// A member checks in at an activation with the event's code. The person is the
/// session's; the code only says which event, and answers the same "not an event of
/// yours" whether it exists or not.
pub(crate) async fn check_in(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let person = match posting_member(&state, &headers).await {
        Ok(p) => p,
        Err(response) => return response,
    };
    let code = form_field(&body, "event_code").unwrap_or_default();
    let outcome = blocking(&state, move |store| {
        match store
            .programs()
            .check_in_with_event_code(&person, &code, OffsetDateTime::now_utc())
        {
            Ok(_) => Ok(true),
            Err(ProgramError::UnknownEventCode(_)) => Ok(false),
            Err(e) => Err(crate::pages::programs::failure(e)),
        }
    })
    .await;
    match outcome {
        Ok(true) => see_other("/portal?checkin=done", None),
        Ok(false) => PageError(Failure::BadRequest(
            "That code is not the code of an event you are invited to.".into(),
        ))
        .into_response(),
        Err(e) => PageError(e).into_response(),
    }
}
