//! Signing in and out.
//!
//! The form is protected against CSRF before any session exists by a double-submit token
//! (a cookie and a hidden field that must match). Failed sign-ins are counted in the
//! store per email and per address: more than [`MAX_PER_EMAIL`] or [`MAX_PER_ADDRESS`]
//! in [`WINDOW`] and sign-in answers 429 until the window has passed. An unknown email
//! costs the same argon2 verification as a wrong password, so timing says nothing.

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{AppendHeaders, Html, IntoResponse, Redirect, Response};
use axum::{Extension, Form};
use minijinja::context;
use serde::Deserialize;
use time::{Duration, OffsetDateTime};

use super::cookies::{LOGIN_CSRF_COOKIE, over_tls};
use super::{Principal, SESSION_COOKIE, Via, cookie, secret, set_cookie};
use crate::AppState;
use crate::error::{Failure, PageError};

pub const MAX_PER_EMAIL: u64 = 5;
pub const MAX_PER_ADDRESS: u64 = 20;
pub const WINDOW: Duration = Duration::minutes(15);
/// How long a session lasts.
pub const SESSION_LENGTH: Duration = Duration::hours(12);

#[derive(Debug, Deserialize)]
pub struct Next {
    next: Option<String>,
}

/// Only a path on this site: never `//host` or `https://…`, so sign-in cannot be used to
/// send someone elsewhere.
fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n) if n.starts_with('/') && !n.starts_with("//") && !n.contains('\\') => n.to_owned(),
        _ => "/".to_owned(),
    }
}

fn render_form(
    state: &AppState,
    headers: &HeaderMap,
    status: StatusCode,
    next: &str,
    email: &str,
    error: Option<&str>,
) -> Result<Response, PageError> {
    let token = secret::random_hex(32)?;
    let html = state
        .templates
        .get_template("login.html")?
        .render(context! {
            csrf => &token,
            next => next,
            email => email,
            error => error,
        })?;
    let cookie = set_cookie(
        LOGIN_CSRF_COOKIE,
        &token,
        3600,
        over_tls(state.secure_cookies, headers),
    );
    Ok((status, [(header::SET_COOKIE, cookie)], Html(html)).into_response())
}

/// `GET /login`: the form, with fields `email` and `password`.
pub async fn form(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(q): Query<Next>,
    principal: Option<Extension<Principal>>,
) -> Result<Response, PageError> {
    let next = safe_next(q.next.as_deref());
    if principal.is_some_and(|p| p.user().is_some()) {
        return Ok(Redirect::to(&next).into_response());
    }
    render_form(&state, &headers, StatusCode::OK, &next, "", None)
}

#[derive(Debug, Deserialize)]
pub struct Credentials {
    email: String,
    password: String,
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    next: Option<String>,
}

/// Emails are compared trimmed and lower-cased.
pub fn normalise_email(email: &str) -> String {
    email.trim().to_lowercase()
}

/// `POST /login`.
pub async fn submit(
    State(state): State<AppState>,
    headers: HeaderMap,
    address: Option<Extension<ConnectInfo<SocketAddr>>>,
    Form(form): Form<Credentials>,
) -> Result<Response, PageError> {
    let expected = cookie(&headers, LOGIN_CSRF_COOKIE).unwrap_or_default();
    if expected.is_empty() || !secret::same_secret(&form.csrf, &expected) {
        return Err(PageError(Failure::Csrf));
    }
    let next = safe_next(form.next.as_deref());
    let email = normalise_email(&form.email);
    let email_key = format!("email:{email}");
    let address_key = format!(
        "ip:{}",
        address.map_or_else(|| "unknown".to_owned(), |a| a.0.0.ip().to_string())
    );

    let since = OffsetDateTime::now_utc() - WINDOW;
    let (ek, ak) = (email_key.clone(), address_key.clone());
    let (by_email, by_address) = state
        .blocking(move |s| {
            Ok((
                s.login_failures_since(&ek, since)?,
                s.login_failures_since(&ak, since)?,
            ))
        })
        .await?;
    if by_email >= MAX_PER_EMAIL || by_address >= MAX_PER_ADDRESS {
        tracing::warn!(%address_key, "sign-in rate limit reached");
        let (status, _, message) = Failure::TooManyAttempts.parts();
        return render_form(&state, &headers, status, &next, &email, Some(&message));
    }

    let lookup = email.clone();
    let found = state.blocking(move |s| s.user_credentials(&lookup)).await?;
    let password = form.password;
    let user = tokio::task::spawn_blocking(move || match found {
        Some((user, hash)) => secret::verify_password(&password, &hash).then_some(user),
        None => {
            let _ = secret::verify_password(&password, secret::decoy_hash());
            None
        }
    })
    .await?;

    let Some(user) = user else {
        let forget = OffsetDateTime::now_utc() - WINDOW;
        state
            .blocking(move |s| s.record_login_failure(&[&email_key, &address_key], forget))
            .await?;
        return render_form(
            &state,
            &headers,
            StatusCode::UNAUTHORIZED,
            &next,
            &email,
            Some("That email and password do not match an account."),
        );
    };

    let token = secret::random_hex(32)?;
    let csrf = secret::random_hex(32)?;
    let token_hash = secret::sha256_hex(&token);
    let expires = OffsetDateTime::now_utc() + SESSION_LENGTH;
    let user_id = user.id;
    state
        .blocking(move |s| {
            s.clear_login_failures(&email_key)?;
            s.create_session(&token_hash, user_id, &csrf, expires)
        })
        .await?;
    tracing::info!(user = user_id, "signed in");
    let secure = over_tls(state.secure_cookies, &headers);
    let session = set_cookie(
        SESSION_COOKIE,
        &token,
        SESSION_LENGTH.whole_seconds(),
        secure,
    );
    let spent = set_cookie(LOGIN_CSRF_COOKIE, "", 0, secure);
    Ok((
        AppendHeaders([(header::SET_COOKIE, session), (header::SET_COOKIE, spent)]),
        Redirect::to(&next),
    )
        .into_response())
}

/// `POST /logout`: ends the session in the store and in the browser.
pub async fn logout(
    State(state): State<AppState>,
    headers: HeaderMap,
    Extension(principal): Extension<Principal>,
) -> Result<Response, PageError> {
    if let Via::Session { token_hash, .. } = principal.via {
        state
            .blocking(move |s| s.delete_session(&token_hash))
            .await?;
    }
    let gone = set_cookie(
        SESSION_COOKIE,
        "",
        0,
        over_tls(state.secure_cookies, &headers),
    );
    Ok(([(header::SET_COOKIE, gone)], Redirect::to("/login")).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_stays_on_this_site() {
        assert_eq!(
            safe_next(Some("/discover?tier=micro")),
            "/discover?tier=micro"
        );
        assert_eq!(safe_next(Some("//evil.example")), "/");
        assert_eq!(safe_next(Some("https://evil.example")), "/");
        assert_eq!(safe_next(Some("/\\evil.example")), "/");
        assert_eq!(safe_next(None), "/");
    }
}
