//! The cookies kith sets: the session, and the sign-in form's CSRF token.
//!
//! Both are `HttpOnly` (no script reads them), `SameSite=Lax` (not sent on cross-site
//! form posts), `Path=/`, and `Secure` when the app is served over TLS — directly, or
//! behind a proxy that says so with `X-Forwarded-Proto: https`.

use axum::http::{HeaderMap, HeaderValue, header};

/// The session token (256 random bits, hex); the store keeps only its SHA-256.
pub(crate) const SESSION_COOKIE: &str = "kith_session";
/// The sign-in form's double-submit CSRF token, before there is a session.
pub(crate) const LOGIN_CSRF_COOKIE: &str = "kith_login_csrf";

/// The value of cookie `name` in the request's `Cookie` headers.
pub(crate) fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.trim().to_owned())
        .filter(|v| !v.is_empty())
}

/// Whether cookies must be `Secure`.
pub(crate) fn over_tls(always: bool, headers: &HeaderMap) -> bool {
    always
        || headers
            .get("x-forwarded-proto")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|p| p.eq_ignore_ascii_case("https"))
}

/// A `Set-Cookie` value; `max_age` of 0 deletes the cookie.
pub(crate) fn set_cookie(name: &str, value: &str, max_age: i64, secure: bool) -> HeaderValue {
    let secure = if secure { "; Secure" } else { "" };
    let text = format!("{name}={value}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age}{secure}");
    // Names and values are ASCII hex, so the header is always valid.
    HeaderValue::from_str(&text).unwrap_or(HeaderValue::from_static(""))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookies_are_read_from_any_cookie_header() {
        let mut h = HeaderMap::new();
        h.append(
            header::COOKIE,
            HeaderValue::from_static("a=1; kith_session=abc"),
        );
        h.append(header::COOKIE, HeaderValue::from_static("b=2"));
        assert_eq!(cookie(&h, SESSION_COOKIE).as_deref(), Some("abc"));
        assert_eq!(cookie(&h, "b").as_deref(), Some("2"));
        assert_eq!(cookie(&h, "c"), None);
    }

    #[test]
    fn session_cookies_are_http_only_lax_and_secure_over_tls() {
        let plain = set_cookie(SESSION_COOKIE, "v", 60, false);
        let plain = plain.to_str().unwrap();
        assert!(plain.contains("HttpOnly") && plain.contains("SameSite=Lax"));
        assert!(!plain.contains("Secure"));
        let mut h = HeaderMap::new();
        h.insert("x-forwarded-proto", HeaderValue::from_static("https"));
        assert!(over_tls(false, &h));
        let tls = set_cookie(SESSION_COOKIE, "v", 60, over_tls(false, &h));
        assert!(tls.to_str().unwrap().ends_with("; Secure"));
    }
}
