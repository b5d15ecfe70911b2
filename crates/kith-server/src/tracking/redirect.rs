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

use axum::extract::{ConnectInfo, Path, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use kith_core::program::bots::{is_automated, is_prefetch};
use kith_core::program::code::ReferralCode;
use kith_core::program::redirect::{with_single_use_code, with_visitor};
use kith_store::programs::NewClick;
use std::net::SocketAddr;
use time::OffsetDateTime;

use crate::AppState;
use crate::auth::{cookie, set_cookie};
use crate::error::{Failure, PageError};

/// The referral cookie: the visitor's id, which the storefront passes back on the order.
pub const REFERRAL_COOKIE: &str = "kith_ref";

fn header_text<'h>(headers: &'h HeaderMap, name: &str) -> Option<&'h str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

/// Whether this request is a person following the link.
pub fn is_person(method: &Method, headers: &HeaderMap) -> bool {
    method == Method::GET
        && !is_automated(header_text(headers, "user-agent"))
        && !is_prefetch(
            header_text(headers, "purpose"),
            header_text(headers, "sec-purpose"),
            header_text(headers, "x-moz"),
        )
}

/// The visitor's id from their referral cookie, if it is one kith made.
fn known_visitor(headers: &HeaderMap) -> Option<String> {
    cookie(headers, REFERRAL_COOKIE).filter(|v| {
        v.len() == 32
            && v.bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    })
}

/// A new visitor id: 32 hex digits, the first 12 the current Unix time in milliseconds
/// and the other 20 (80 bits) random. New ids then sort by time, so storing a click
/// appends to the visitor index instead of touching a random page of it.
fn new_visitor() -> Result<String, Failure> {
    let millis = OffsetDateTime::now_utc().unix_timestamp_nanos() / 1_000_000;
    let millis = u64::try_from(millis).unwrap_or(0) & 0xFFFF_FFFF_FFFF;
    Ok(format!(
        "{millis:012x}{}",
        crate::auth::secret::random_hex(10)?
    ))
}

/// The client's address: the first `X-Forwarded-For` hop behind a proxy, else the peer.
/// It only feeds a salted hash used for unique counts, never a decision to redirect.
fn client_address(request: &Parts) -> Option<String> {
    let forwarded = header_text(&request.headers, "x-forwarded-for")
        .and_then(|v| v.split(',').next())
        .map(str::trim)
        .filter(|v| !v.is_empty());
    match forwarded {
        Some(ip) => Some(ip.to_owned()),
        None => request
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|ConnectInfo(peer)| peer.ip().to_string()),
    }
}

pub(crate) async fn follow(
    State(state): State<AppState>,
    Path(raw): Path<String>,
    request: Request,
) -> Response {
    // Only the head: the body is not `Sync`, and a redirect has no use for it.
    let (parts, _) = request.into_parts();
    match answer(&state, &raw, &parts).await {
        Ok(response) => response,
        Err(failure) => PageError(failure).into_response(),
    }
}

async fn answer(state: &AppState, raw: &str, request: &Parts) -> Result<Response, Failure> {
    let not_found = || Failure::NotFound("This link".into());
    let code = ReferralCode::parse(raw).map_err(|_| not_found())?;
    let tracking = &state.tracking;
    let target = tracking
        .links()
        .target(state, &code)
        .await?
        .ok_or_else(not_found)?;
    let tracked = target.tracked.as_deref().ok_or_else(not_found)?;
    let headers = &request.headers;
    let visitor = match known_visitor(headers) {
        Some(v) => v,
        None => new_visitor()?,
    };
    let mut single_use = None;
    if is_person(&request.method, headers) {
        let ip_hash = match client_address(request) {
            Some(address) => Some(tracking.hash_address(state, &address).await?),
            None => None,
        };
        // A program may give each person's click a discount code of its own: issued
        // here, stored with the click (so it exists once the 302 is sent), used once.
        if target.single_use {
            let random = crate::auth::secret::random_hex(6)?;
            single_use = Some(
                ReferralCode::single_use(&target.code, &random)
                    .map_err(|e| Failure::Internal(e.to_string()))?,
            );
        }
        let click = NewClick {
            member_id: target.member_id,
            visitor: visitor.clone(),
            at: OffsetDateTime::now_utc(),
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
    let mut location = with_visitor(tracked, &visitor);
    if let Some(code) = &single_use {
        location = with_single_use_code(&location, code.as_str());
    }
    let location = HeaderValue::from_str(&location)
        .map_err(|_| Failure::Internal(format!("an unusable destination for {code}")))?;
    let secure = state.secure_cookies
        || header_text(headers, "x-forwarded-proto")
            .is_some_and(|p| p.eq_ignore_ascii_case("https"));
    let max_age = i64::from(target.window_days) * 86_400;
    Ok((
        StatusCode::FOUND,
        [
            (header::LOCATION, location),
            (
                header::SET_COOKIE,
                set_cookie(REFERRAL_COOKIE, &visitor, max_age, secure),
            ),
            // Every visit must reach kith to be counted, never a cached redirect.
            (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
        ],
    )
        .into_response())
}
