//! `GET /r/{code}`: a member's referral link.
//!
//! Answers `302 Found` to the member's destination with kith's UTM parameters and the
//! visitor's referral id (`kith_ref`), and sets the first-party referral cookie for the
//! program's attribution window. The destination comes from the store only — nothing in
//! the request can change it — and must be within the brand's `allowed_redirect_domains`
//! (kith-core's `check_destination`), or the link answers 404.
//!
//! A person's click is handed to the click writer and the 302 is sent only once the
//! click is durable. In a program with single-use codes, the click carries a discount
//! code of its own (`kith_code` on the landing URL), stored with it. Crawlers, link-preview fetchers, HTTP libraries, prefetches and
//! `HEAD` requests are redirected the same way but not counted.

use std::cell::RefCell;
use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};

use axum::body::{Body, Bytes};
use axum::extract::{ConnectInfo, Path, Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use kith_core::program::bots::{is_automated, is_prefetch};
use kith_core::program::code::ReferralCode;
use kith_core::program::redirect::encode;
use kith_store::programs::NewClick;
use time::OffsetDateTime;

use crate::AppState;
use crate::auth::cookie;
use crate::error::{Failure, PageError};

use super::random;

/// The referral cookie: the visitor's id, which the storefront passes back on the order.
pub const REFERRAL_COOKIE: &str = "kith_ref";

fn header_text<'h>(headers: &'h HeaderMap, name: &str) -> Option<&'h str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

/// User agents already classified on this thread, so a busy link does not run every
/// crawler pattern over the same browser string again. Bounded: emptied when full.
const AGENT_CACHE: usize = 1_024;

thread_local! {
    static AGENTS: RefCell<HashMap<Box<str>, bool>> = RefCell::new(HashMap::new());
}

fn automated(agent: Option<&str>) -> bool {
    let Some(agent) = agent else {
        return is_automated(None);
    };
    AGENTS.with_borrow_mut(|seen| {
        if let Some(known) = seen.get(agent) {
            return *known;
        }
        let verdict = is_automated(Some(agent));
        if seen.len() >= AGENT_CACHE {
            seen.clear();
        }
        seen.insert(agent.into(), verdict);
        verdict
    })
}

/// Whether this request is a person following the link.
pub fn is_person(method: &Method, headers: &HeaderMap) -> bool {
    method == Method::GET
        && !automated(header_text(headers, "user-agent"))
        && !is_prefetch(
            header_text(headers, "purpose"),
            header_text(headers, "sec-purpose"),
            header_text(headers, "x-moz"),
        )
}

/// The visitor's id from their referral cookie, if it is one kith made.
fn known_visitor(headers: &HeaderMap) -> Option<String> {
    if !headers.contains_key(header::COOKIE) {
        return None;
    }
    cookie(headers, REFERRAL_COOKIE).filter(|v| {
        v.len() == 32
            && v.bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    })
}

/// A new visitor id: 32 hex digits, the first 12 the current Unix time in milliseconds
/// and the other 20 (80 bits) random. New ids then sort by time, so storing a click
/// appends to the visitor index instead of touching a random page of it.
fn new_visitor(now: OffsetDateTime) -> Result<String, Failure> {
    let millis = now.unix_timestamp_nanos() / 1_000_000;
    let millis = u64::try_from(millis).unwrap_or(0) & 0xFFFF_FFFF_FFFF;
    let mut bytes = [0u8; 10];
    random::fill(&mut bytes).map_err(|e| Failure::Internal(e.to_string()))?;
    let mut id = String::with_capacity(32);
    random::push_hex(&mut id, &millis.to_be_bytes()[2..]);
    random::push_hex(&mut id, &bytes);
    Ok(id)
}

/// The client's address: the first `X-Forwarded-For` hop behind a proxy, else the peer.
/// It only feeds a salted hash used for unique counts, never a decision to redirect.
fn client_address(headers: &HeaderMap, peer: Option<IpAddr>) -> Option<String> {
    let forwarded = header_text(headers, "x-forwarded-for")
        .and_then(|v| v.split(',').next())
        .map(str::trim)
        .filter(|v| !v.is_empty());
    match forwarded {
        Some(ip) => Some(ip.to_owned()),
        None => peer.map(|ip| ip.to_string()),
    }
}

/// The route's handler, when the request comes through the router (the fast path in
/// `tracking::fast` calls [`answer`] directly).
pub(crate) async fn follow(
    State(state): State<AppState>,
    Path(raw): Path<String>,
    request: Request,
) -> Response {
    let peer = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(peer)| peer.ip());
    answer(&state, &raw, request.method(), request.headers(), peer).await
}

/// Answers a referral link: a 302 (after the click is durable), a 404 or a 503.
pub(crate) async fn answer(
    state: &AppState,
    raw: &str,
    method: &Method,
    headers: &HeaderMap,
    peer: Option<IpAddr>,
) -> Response {
    match try_answer(state, raw, method, headers, peer).await {
        Ok(response) => response,
        Err(failure) => PageError(failure).into_response(),
    }
}

async fn try_answer(
    state: &AppState,
    raw: &str,
    method: &Method,
    headers: &HeaderMap,
    peer: Option<IpAddr>,
) -> Result<Response, Failure> {
    let not_found = || Failure::NotFound("This link".into());
    let code = ReferralCode::parse(raw).map_err(|_| not_found())?;
    let tracking = &state.tracking;
    let target = tracking
        .links()
        .target(state, &code)
        .await?
        .ok_or_else(not_found)?;
    let rendered = target.rendered.as_ref().ok_or_else(not_found)?;
    let now = OffsetDateTime::now_utc();
    let visitor = match known_visitor(headers) {
        Some(v) => v,
        None => new_visitor(now)?,
    };
    let mut single_use = None;
    if is_person(method, headers) {
        let ip_hash = match client_address(headers, peer) {
            Some(address) => Some(tracking.hash_address(state, &address).await?),
            None => None,
        };
        // A program may give each person's click a discount code of its own: issued
        // here, stored with the click (so it exists once the 302 is sent), used once.
        if target.single_use {
            let mut bytes = [0u8; 6];
            random::fill(&mut bytes).map_err(|e| Failure::Internal(e.to_string()))?;
            single_use = Some(
                ReferralCode::single_use(&target.code, &random::hex(&bytes))
                    .map_err(|e| Failure::Internal(e.to_string()))?,
            );
        }
        let click = NewClick {
            member_id: target.member_id,
            visitor: visitor.clone(),
            at: now,
            ip_hash,
            content_id: target.content_id,
            single_use_code: single_use.clone(),
        };
        if tracking.click_writer().record(click).await.is_err() {
            // Answering 302 here would be answering a click that was not kept.
            return Ok((
                StatusCode::SERVICE_UNAVAILABLE,
                [(header::RETRY_AFTER, HeaderValue::from_static("1"))],
                "The link could not be followed just now; try again in a moment.",
            )
                .into_response());
        }
    }
    let (head, tail) = &rendered.location;
    let mut location = String::with_capacity(head.len() + visitor.len() + tail.len() + 48);
    location.push_str(head);
    location.push_str(&visitor);
    if let Some(code) = &single_use {
        location.push_str("&kith_code=");
        location.push_str(&encode(code.as_str()));
    }
    location.push_str(tail);
    let location = HeaderValue::from_maybe_shared(Bytes::from(location))
        .map_err(|_| Failure::Internal(format!("an unusable destination for {code}")))?;
    let secure = state.secure_cookies
        || header_text(headers, "x-forwarded-proto")
            .is_some_and(|p| p.eq_ignore_ascii_case("https"));
    let mut set_cookie = String::with_capacity(80 + rendered.cookie_tail.len());
    set_cookie.push_str(REFERRAL_COOKIE);
    set_cookie.push('=');
    set_cookie.push_str(&visitor);
    set_cookie.push_str(&rendered.cookie_tail);
    if secure {
        set_cookie.push_str("; Secure");
    }
    let set_cookie = HeaderValue::from_maybe_shared(Bytes::from(set_cookie))
        .map_err(|_| Failure::Internal("an unusable referral cookie".into()))?;
    let mut response = Response::new(Body::empty());
    *response.status_mut() = StatusCode::FOUND;
    let out = response.headers_mut();
    out.reserve(3);
    out.insert(header::LOCATION, location);
    out.insert(header::SET_COOKIE, set_cookie);
    // Every visit must reach kith to be counted, never a cached redirect.
    out.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(response)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_visitor_ids_are_32_hex_digits_starting_with_the_time() {
        let now = OffsetDateTime::now_utc();
        let id = new_visitor(now).unwrap();
        assert_eq!(id.len(), 32);
        assert!(
            id.bytes()
                .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
        );
        let millis = u64::try_from(now.unix_timestamp_nanos() / 1_000_000).unwrap();
        assert_eq!(
            u64::from_str_radix(&id[..12], 16).unwrap(),
            millis & 0xFFFF_FFFF_FFFF
        );
        assert_ne!(new_visitor(now).unwrap(), id);
    }

    #[test]
    fn the_agent_cache_answers_as_the_classifier_does() {
        for agent in [
            "curl/8.5.0",
            "Mozilla/5.0 (X11; Linux x86_64) Firefox/121.0",
        ] {
            for _ in 0..2 {
                assert_eq!(automated(Some(agent)), is_automated(Some(agent)));
            }
        }
        assert!(automated(None));
    }
}
