//! X: API v2 with an app bearer token (`KITH_X_TOKEN`).
//!
//! `GET /2/users/by/username/:name` gives the user with `public_metrics`; `GET
//! /2/users/:id/tweets` pages (`meta.next_token`) the posts of the engagement window,
//! without retweets and replies, with `expansions=author_id,attachments.media_keys` so
//! each page names its author and media types. A name X does not know comes back as
//! `errors` without `data` (skipped, like a suspended account); a protected account's
//! profile is kept and its posts skipped. 401 stops the run; 429 waits until
//! `x-rate-limit-reset` (epoch seconds); a page that leaves `x-rate-limit-remaining` at
//! 0 pauses until the reset before the next request.

use std::time::Duration;

use kith_core::Handle;
use kith_io::social::x::ApiProblem;
use kith_io::social::{DocContext, SocialFormat};

use super::{Fetched, WINDOW_DAYS};
use crate::backoff;
use crate::error::FetchError;
use crate::http::{Http, Reply, Request, Stop, Verdict, by_status};
use crate::run::Config;

const USER_FIELDS: &str =
    "id,name,username,description,protected,verified,profile_image_url,url,entities,public_metrics";

/// X usernames: letters, digits and `_`, at most 15; they go into the URL path.
fn valid(handle: &str) -> bool {
    !handle.is_empty()
        && handle.len() <= 15
        && handle
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_')
}

pub fn fetch(config: &Config, http: &mut Http, handle: &Handle) -> Result<Fetched, Stop> {
    if !valid(handle.as_str()) {
        return Err(Stop::Skip("not a valid X username".into()));
    }
    let at = http.clock.now();
    let mut fetched = Fetched::default();
    let mut ctx = DocContext::new(Some(at));
    let req = Request::get(format!(
        "{}/2/users/by/username/{}",
        config.api_base,
        handle.as_str()
    ))
    .query("user.fields", USER_FIELDS);
    let reply = http.call(&req, &classify)?;
    let user = reply.json().unwrap_or_default();
    if user.get("data").is_none() {
        let problem: Option<ApiProblem> = user
            .pointer("/errors/0")
            .cloned()
            .and_then(|p| serde_json::from_value(p).ok());
        let why = problem.map_or_else(|| "not found".to_owned(), |p| p.describe());
        return Err(Stop::Skip(super::short(&why, http)));
    }
    fetched.add(SocialFormat::X, &reply.body, handle, at, &mut ctx)?;
    if user
        .pointer("/data/protected")
        .and_then(serde_json::Value::as_bool)
        == Some(true)
    {
        fetched.note = Some("protected account: posts skipped".into());
        return Ok(fetched);
    }
    let Some(id) = user
        .pointer("/data/id")
        .and_then(|i| i.as_str())
        .map(str::to_owned)
    else {
        return Ok(fetched);
    };
    let since = (at - time::Duration::days(WINDOW_DAYS))
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default();
    let per_page = config.max_posts.clamp(5, 100).to_string();
    let mut next: Option<String> = None;
    loop {
        let mut req = Request::get(format!("{}/2/users/{id}/tweets", config.api_base))
            .query("max_results", per_page.clone())
            .query(
                "tweet.fields",
                "created_at,public_metrics,attachments,author_id",
            )
            .query("expansions", "author_id,attachments.media_keys")
            .query("media.fields", "type")
            .query("user.fields", USER_FIELDS)
            .query("exclude", "retweets,replies")
            .query("start_time", since.clone());
        if let Some(t) = &next {
            req = req.query("pagination_token", t.clone());
        }
        let reply = http.call(&req, &classify)?;
        let page = reply.json().unwrap_or_default();
        if page.get("data").is_some() {
            fetched.add(SocialFormat::X, &reply.body, handle, at, &mut ctx)?;
        }
        next = page
            .pointer("/meta/next_token")
            .and_then(|t| t.as_str())
            .map(str::to_owned);
        if next.is_none() || fetched.posts() >= config.max_posts {
            return Ok(fetched);
        }
    }
}

/// When the rate-limit window resets, from `x-rate-limit-reset` (epoch seconds).
fn reset_in(reply: &Reply, http: &Http) -> Option<Duration> {
    let epoch: i64 = reply.header("x-rate-limit-reset")?.trim().parse().ok()?;
    let at = time::OffsetDateTime::from_unix_timestamp(epoch).ok()?;
    Some(backoff::until(at, http.clock.now()))
}

fn classify(reply: &Reply, http: &Http) -> Verdict {
    match reply.status {
        401 | 403 if reply.status == 401 || reply.body.contains("client-not-enrolled") => {
            let detail = reply
                .json()
                .and_then(|v| v.get("detail").and_then(|d| d.as_str()).map(str::to_owned))
                .unwrap_or_else(|| format!("HTTP {}", reply.status));
            Verdict::Fatal(FetchError::Auth {
                platform: http.platform,
                detail: http.token().redact(&detail),
            })
        }
        429 => Verdict::Retry {
            hint: reset_in(reply, http).or_else(|| match by_status(reply, http) {
                Some(Verdict::Retry { hint, .. }) => hint,
                _ => None,
            }),
            why: "rate limited (429)".into(),
        },
        200 => {
            let spent = reply.header("x-rate-limit-remaining").map(str::trim) == Some("0");
            Verdict::Done {
                pause: if spent { reset_in(reply, http) } else { None },
            }
        }
        _ => by_status(reply, http).unwrap_or_else(|| {
            Verdict::Skip(format!(
                "HTTP {}: {}",
                reply.status,
                super::short(&reply.body, http)
            ))
        }),
    }
}
